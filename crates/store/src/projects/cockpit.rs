//! The leaders' cockpit (领导驾驶舱): aggregates of the ledger, one query each, every one
//! inside the caller's [`ProjectScope`] so figures never count rows the caller may not see.

use super::list::{Bind, ProjectFilter, ProjectScope, ProjectTotals};
use crate::{Result, Store, on_db};

/// A count per value of one column (a stage, a status colour).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CountBy {
    pub value: String,
    pub count: i64,
}

/// The figures of one platform (`platform_id` is `None` for projects on no platform).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CockpitPlatform {
    pub platform_id: Option<i64>,
    pub platform_name: Option<String>,
    pub count: i64,
    pub total_investment: i64,
    pub completed_investment: i64,
    pub floor_area_m2: i64,
}

/// A project whose light is red, with what its reasons are computed from.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CockpitRed {
    pub id: i64,
    pub name: String,
    pub platform_name: Option<String>,
    pub completed_investment: i64,
}

/// The investment reported for one period (`YYYY-MM`) by the projects in scope.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CockpitMonth {
    pub period: String,
    pub invested: i64,
}

macro_rules! bind_each {
    ($query:expr, $binds:expr) => {{
        let mut query = $query;
        for bind in $binds {
            query = match bind {
                Bind::Int(value) => query.bind(*value),
                Bind::Text(text) => query.bind(text.clone()),
            };
        }
        query
    }};
}

/// The `WHERE` clause (possibly empty) and values of `scope`.
fn scoped(scope: &ProjectScope) -> (String, Vec<Bind>) {
    ProjectFilter::new(scope.clone()).to_sql()
}

impl Store {
    /// How many projects are in each stage.
    pub async fn cockpit_stages(&self, scope: &ProjectScope) -> Result<Vec<CountBy>> {
        let (clause, binds) = scoped(scope);
        let sql = format!(
            "SELECT stage AS value, COUNT(*) AS count FROM projects{clause} \
             GROUP BY stage ORDER BY stage"
        );
        Ok(
            on_db!(self, pool => bind_each!(sqlx::query_as(&sql), &binds)
            .fetch_all(pool)
            .await)?,
        )
    }

    /// How many projects have each status colour.
    pub async fn cockpit_colours(&self, scope: &ProjectScope) -> Result<Vec<CountBy>> {
        let (clause, binds) = scoped(scope);
        let sql = format!(
            "SELECT status_colour AS value, COUNT(*) AS count FROM projects{clause} \
             GROUP BY status_colour ORDER BY status_colour"
        );
        Ok(
            on_db!(self, pool => bind_each!(sqlx::query_as(&sql), &binds)
            .fetch_all(pool)
            .await)?,
        )
    }

    /// Count, investment and floor area per platform, by platform id (none last).
    pub async fn cockpit_platforms(&self, scope: &ProjectScope) -> Result<Vec<CockpitPlatform>> {
        let (clause, binds) = scoped(scope);
        let sql = format!(
            "SELECT t.platform_id, pl.name AS platform_name, t.count, t.total_investment, \
             t.completed_investment, t.floor_area_m2 FROM (\
             SELECT platform_id, COUNT(*) AS count, \
             CAST(COALESCE(SUM(total_investment), 0) AS BIGINT) AS total_investment, \
             CAST(COALESCE(SUM(completed_investment), 0) AS BIGINT) AS completed_investment, \
             CAST(COALESCE(SUM(floor_area_m2), 0) AS BIGINT) AS floor_area_m2 \
             FROM projects{clause} GROUP BY platform_id) t \
             LEFT JOIN platforms pl ON pl.id = t.platform_id \
             ORDER BY CASE WHEN t.platform_id IS NULL THEN 1 ELSE 0 END, t.platform_id"
        );
        Ok(
            on_db!(self, pool => bind_each!(sqlx::query_as(&sql), &binds)
            .fetch_all(pool)
            .await)?,
        )
    }

    /// The count and sums of every project in scope.
    pub async fn cockpit_totals(&self, scope: &ProjectScope) -> Result<ProjectTotals> {
        let (clause, binds) = scoped(scope);
        let sql = format!(
            "SELECT COUNT(*) AS count, \
             CAST(COALESCE(SUM(total_investment), 0) AS BIGINT) AS total_investment, \
             CAST(COALESCE(SUM(completed_investment), 0) AS BIGINT) AS completed_investment, \
             CAST(COALESCE(SUM(floor_area_m2), 0) AS BIGINT) AS floor_area_m2, \
             CAST(COALESCE(SUM(land_area_mu_x100), 0) AS BIGINT) AS land_area_mu_x100 \
             FROM projects{clause}"
        );
        Ok(
            on_db!(self, pool => bind_each!(sqlx::query_as(&sql), &binds)
            .fetch_one(pool)
            .await)?,
        )
    }

    /// The red projects in scope, by id.
    pub async fn cockpit_red(&self, scope: &ProjectScope) -> Result<Vec<CockpitRed>> {
        let mut filter = ProjectFilter::new(scope.clone());
        filter.status_colour = Some("red".to_owned());
        let (clause, binds) = filter.to_sql();
        let sql = format!(
            "SELECT r.id, r.name, pl.name AS platform_name, r.completed_investment FROM (\
             SELECT id, name, platform_id, completed_investment FROM projects{clause}) r \
             LEFT JOIN platforms pl ON pl.id = r.platform_id ORDER BY r.id"
        );
        Ok(
            on_db!(self, pool => bind_each!(sqlx::query_as(&sql), &binds)
            .fetch_all(pool)
            .await)?,
        )
    }

    /// The investment reported per period by the projects in scope, oldest first.
    pub async fn cockpit_months(&self, scope: &ProjectScope) -> Result<Vec<CockpitMonth>> {
        let (clause, binds) = scoped(scope);
        let sql = format!(
            "SELECT period, CAST(SUM(invested_in_period) AS BIGINT) AS invested \
             FROM progress_reports WHERE project_id IN (SELECT id FROM projects{clause}) \
             GROUP BY period ORDER BY period"
        );
        Ok(
            on_db!(self, pool => bind_each!(sqlx::query_as(&sql), &binds)
            .fetch_all(pool)
            .await)?,
        )
    }
}
