//! The battle map (挂图作战): the filtered projects that have coordinates, as points, and the
//! count and investment of the whole filtered set by status colour (projects without
//! coordinates are counted but not drawn). Same filter, same scope clause as the ledger list.

use super::list::{Bind, ProjectFilter, bind_all};
use crate::{Result, Store, on_db};

/// One project on the map. Money is whole 元.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct ProjectPointRow {
    pub id: i64,
    pub name: String,
    pub stage: String,
    pub status_colour: String,
    pub total_investment: i64,
    pub completed_investment: i64,
    pub longitude: f64,
    pub latitude: f64,
}

/// The filtered projects of one status colour.
#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct ColourTotals {
    pub status_colour: String,
    pub count: i64,
    /// How many of them have coordinates.
    pub located: i64,
    pub total_investment: i64,
    pub completed_investment: i64,
}

/// The points (at most the limit asked for, by id) and the totals by colour.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProjectPoints {
    pub points: Vec<ProjectPointRow>,
    pub by_colour: Vec<ColourTotals>,
}

const LOCATED: &str = "longitude IS NOT NULL AND latitude IS NOT NULL";

impl Store {
    /// The projects `filter` matches that have coordinates (at most `limit`, by id; the
    /// filter's sort and paging are ignored), and the totals of every match by colour.
    pub async fn project_points(
        &self,
        filter: &ProjectFilter,
        limit: i64,
    ) -> Result<ProjectPoints> {
        let (clause, binds) = filter.to_sql();
        let located = if clause.is_empty() {
            format!(" WHERE {LOCATED}")
        } else {
            format!("{clause} AND {LOCATED}")
        };
        let sql = format!(
            "SELECT id, name, stage, status_colour, total_investment, completed_investment, \
             longitude, latitude FROM projects{located} ORDER BY id LIMIT ${}",
            binds.len() + 1
        );
        let totals_sql = format!(
            "SELECT status_colour, COUNT(*) AS count, \
             CAST(COALESCE(SUM(CASE WHEN {LOCATED} THEN 1 ELSE 0 END), 0) AS BIGINT) AS located, \
             CAST(COALESCE(SUM(total_investment), 0) AS BIGINT) AS total_investment, \
             CAST(COALESCE(SUM(completed_investment), 0) AS BIGINT) AS completed_investment \
             FROM projects{clause} GROUP BY status_colour ORDER BY status_colour"
        );
        let points = on_db!(self, pool => bind_all!(sqlx::query_as(&sql), &binds)
            .bind(limit)
            .fetch_all(pool)
            .await)?;
        let by_colour = on_db!(self, pool => bind_all!(sqlx::query_as(&totals_sql), &binds)
            .fetch_all(pool)
            .await)?;
        Ok(ProjectPoints { points, by_colour })
    }
}
