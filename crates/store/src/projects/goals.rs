//! A platform's roadmap phases and the annual targets (年度指标) of the district and its
//! platforms, with the one query per metric that computes a target's actual value from the
//! ledger, inside the caller's [`ProjectScope`] like every cockpit figure.

use super::list::{Bind, ProjectFilter, ProjectScope, bind_all};
use crate::{PlatformRow, Result, Store, Tx, exec, on_db, on_tx};
use chrono::NaiveDate;
use districtops_domain::projects::KpiMetric;

/// A phase of a platform's roadmap.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PhaseRow {
    pub id: i64,
    pub platform_id: i64,
    pub ordinal: i64,
    pub title: String,
    pub target_year: i64,
    pub target_date: Option<NaiveDate>,
    pub goal: Option<String>,
    pub done: bool,
    pub illustrative: bool,
    pub version: i64,
}

/// The writable fields of a phase.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PhaseFields {
    pub ordinal: i64,
    pub title: String,
    pub target_year: i64,
    pub target_date: Option<NaiveDate>,
    pub goal: Option<String>,
    pub done: bool,
    pub illustrative: bool,
}

/// An annual target; `platform_id` is `None` for a target of the whole district.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct KpiTargetRow {
    pub id: i64,
    pub platform_id: Option<i64>,
    pub platform_name: Option<String>,
    pub year: i64,
    pub name: String,
    /// A [`KpiMetric`] code.
    pub metric: String,
    /// In the metric's base unit (元, m², a count).
    pub target: i64,
    pub notes: Option<String>,
    pub illustrative: bool,
    pub version: i64,
}

/// The writable fields of a target.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KpiTargetFields {
    pub platform_id: Option<i64>,
    pub year: i64,
    pub name: String,
    pub metric: String,
    pub target: i64,
    pub notes: Option<String>,
    pub illustrative: bool,
}

const PLATFORM: &str = "id, name, positioning, planned_area_km2_x100, created_at, version";
const PHASE: &str = "id, platform_id, ordinal, title, target_year, target_date, goal, done, \
    illustrative, version";
const TARGET: &str = "t.id, t.platform_id, pl.name AS platform_name, t.year, t.name, t.metric, \
    t.target, t.notes, t.illustrative, t.version";
const TARGET_FROM: &str = "kpi_targets t LEFT JOIN platforms pl ON pl.id = t.platform_id";
/// Targets in display order: the district's first, then by platform, then by id.
const TARGET_ORDER: &str = "ORDER BY CASE WHEN t.platform_id IS NULL THEN 0 ELSE 1 END, \
    t.platform_id, t.id";

impl Store {
    pub async fn platform(&self, id: i64) -> Result<Option<PlatformRow>> {
        let sql = format!("SELECT {PLATFORM} FROM platforms WHERE id = $1");
        Ok(on_db!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?)
    }

    pub async fn platform_in(&self, tx: &mut Tx, id: i64) -> Result<Option<PlatformRow>> {
        let sql = format!("SELECT {PLATFORM} FROM platforms WHERE id = $1");
        Ok(on_tx!(tx, conn => sqlx::query_as(&sql).bind(id).fetch_optional(conn).await)?)
    }

    /// A platform's roadmap, by ordinal.
    pub async fn phases(&self, platform_id: i64) -> Result<Vec<PhaseRow>> {
        let sql =
            format!("SELECT {PHASE} FROM platform_phases WHERE platform_id = $1 ORDER BY ordinal");
        Ok(on_db!(self, pool => sqlx::query_as(&sql).bind(platform_id).fetch_all(pool).await)?)
    }

    pub async fn phase_in(&self, tx: &mut Tx, id: i64) -> Result<Option<PhaseRow>> {
        let sql = format!("SELECT {PHASE} FROM platform_phases WHERE id = $1");
        Ok(on_tx!(tx, conn => sqlx::query_as(&sql).bind(id).fetch_optional(conn).await)?)
    }

    pub async fn insert_phase(
        &self,
        tx: &mut Tx,
        platform_id: i64,
        f: &PhaseFields,
    ) -> Result<PhaseRow> {
        let sql = format!(
            "INSERT INTO platform_phases (platform_id, ordinal, title, target_year, target_date, \
             goal, done, illustrative) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {PHASE}"
        );
        Ok(on_tx!(tx, conn => sqlx::query_as(&sql)
            .bind(platform_id)
            .bind(f.ordinal)
            .bind(&f.title)
            .bind(f.target_year)
            .bind(f.target_date)
            .bind(&f.goal)
            .bind(f.done)
            .bind(f.illustrative)
            .fetch_one(conn)
            .await)?)
    }

    /// Overwrites a phase if it is still at `version`; `None` when someone changed it first.
    pub async fn update_phase(
        &self,
        tx: &mut Tx,
        id: i64,
        version: i64,
        f: &PhaseFields,
    ) -> Result<Option<PhaseRow>> {
        let sql = format!(
            "UPDATE platform_phases SET ordinal = $1, title = $2, target_year = $3, \
             target_date = $4, goal = $5, done = $6, illustrative = $7, version = version + 1 \
             WHERE id = $8 AND version = $9 RETURNING {PHASE}"
        );
        Ok(on_tx!(tx, conn => sqlx::query_as(&sql)
            .bind(f.ordinal)
            .bind(&f.title)
            .bind(f.target_year)
            .bind(f.target_date)
            .bind(&f.goal)
            .bind(f.done)
            .bind(f.illustrative)
            .bind(id)
            .bind(version)
            .fetch_optional(conn)
            .await)?)
    }

    /// Deletes a phase if it is still at `version`; false when stale.
    pub async fn delete_phase(&self, tx: &mut Tx, id: i64, version: i64) -> Result<bool> {
        let sql = "DELETE FROM platform_phases WHERE id = $1 AND version = $2";
        let done = exec!(tx, conn => sqlx::query(sql).bind(id).bind(version).execute(conn).await)?;
        Ok(done == 1)
    }

    /// The targets of `year`: the district's and every platform's.
    pub async fn kpi_targets(&self, year: i64) -> Result<Vec<KpiTargetRow>> {
        let sql = format!("SELECT {TARGET} FROM {TARGET_FROM} WHERE t.year = $1 {TARGET_ORDER}");
        Ok(on_db!(self, pool => sqlx::query_as(&sql).bind(year).fetch_all(pool).await)?)
    }

    /// The targets of one platform, every year, latest year first.
    pub async fn platform_kpi_targets(&self, platform_id: i64) -> Result<Vec<KpiTargetRow>> {
        let sql = format!(
            "SELECT {TARGET} FROM {TARGET_FROM} WHERE t.platform_id = $1 \
             ORDER BY t.year DESC, t.id"
        );
        Ok(on_db!(self, pool => sqlx::query_as(&sql).bind(platform_id).fetch_all(pool).await)?)
    }

    pub async fn kpi_target(&self, id: i64) -> Result<Option<KpiTargetRow>> {
        let sql = format!("SELECT {TARGET} FROM {TARGET_FROM} WHERE t.id = $1");
        Ok(on_db!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?)
    }

    pub async fn kpi_target_in(&self, tx: &mut Tx, id: i64) -> Result<Option<KpiTargetRow>> {
        let sql = format!("SELECT {TARGET} FROM {TARGET_FROM} WHERE t.id = $1");
        Ok(on_tx!(tx, conn => sqlx::query_as(&sql).bind(id).fetch_optional(conn).await)?)
    }

    pub async fn insert_kpi_target(&self, tx: &mut Tx, f: &KpiTargetFields) -> Result<i64> {
        let sql = "INSERT INTO kpi_targets (platform_id, year, name, metric, target, notes, \
                   illustrative) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
        Ok(on_tx!(tx, conn => sqlx::query_scalar(sql)
            .bind(f.platform_id)
            .bind(f.year)
            .bind(&f.name)
            .bind(&f.metric)
            .bind(f.target)
            .bind(&f.notes)
            .bind(f.illustrative)
            .fetch_one(conn)
            .await)?)
    }

    /// Overwrites a target if it is still at `version`; false when someone changed it first.
    pub async fn update_kpi_target(
        &self,
        tx: &mut Tx,
        id: i64,
        version: i64,
        f: &KpiTargetFields,
    ) -> Result<bool> {
        let sql = "UPDATE kpi_targets SET platform_id = $1, year = $2, name = $3, metric = $4, \
                   target = $5, notes = $6, illustrative = $7, version = version + 1 \
                   WHERE id = $8 AND version = $9";
        let done = exec!(tx, conn => sqlx::query(sql)
            .bind(f.platform_id)
            .bind(f.year)
            .bind(&f.name)
            .bind(&f.metric)
            .bind(f.target)
            .bind(&f.notes)
            .bind(f.illustrative)
            .bind(id)
            .bind(version)
            .execute(conn)
            .await)?;
        Ok(done == 1)
    }

    /// Deletes a target if it is still at `version`; false when stale.
    pub async fn delete_kpi_target(&self, tx: &mut Tx, id: i64, version: i64) -> Result<bool> {
        let sql = "DELETE FROM kpi_targets WHERE id = $1 AND version = $2";
        let done = exec!(tx, conn => sqlx::query(sql).bind(id).bind(version).execute(conn).await)?;
        Ok(done == 1)
    }

    /// The actual value of `metric` in `year` over the projects in `scope` (of `platform_id`,
    /// or of the whole district), in the metric's base unit. One query.
    pub async fn kpi_actual(
        &self,
        scope: &ProjectScope,
        platform_id: Option<i64>,
        metric: KpiMetric,
        year: i64,
    ) -> Result<i64> {
        let mut filter = ProjectFilter::new(scope.clone());
        filter.platform_id = platform_id;
        let query = ActualQuery::new(&filter, metric, year);
        Ok(on_db!(self, pool => {
            let mut sql = bind_all!(sqlx::query_scalar(&query.sql), &query.binds);
            if let Some((first, last)) = query.days {
                sql = sql.bind(first).bind(last);
            }
            sql.fetch_one(pool).await
        })?)
    }
}

/// The query of one metric's actual: the scope's and platform's values, then, for a metric
/// dated by a project's actual date, the year's first and last day (bound as dates, which
/// both backends compare with their date columns).
struct ActualQuery {
    sql: String,
    binds: Vec<Bind>,
    days: Option<(NaiveDate, NaiveDate)>,
}

impl ActualQuery {
    fn new(filter: &ProjectFilter, metric: KpiMetric, year: i64) -> Self {
        let (clause, mut binds) = filter.to_sql();
        let n = binds.len();
        let and = if clause.is_empty() { " WHERE" } else { " AND" };
        let in_year =
            |column: &str| format!("{and} {column} >= ${} AND {column} <= ${}", n + 1, n + 2);
        let sum = |column: &str| format!("CAST(COALESCE(SUM({column}), 0) AS BIGINT)");
        let (sql, dated) = match metric {
            KpiMetric::CompletedInvestment => {
                binds.push(Bind::Text(format!("{year:04}-01")));
                binds.push(Bind::Text(format!("{year:04}-12")));
                let sql = format!(
                    "SELECT {} FROM progress_reports WHERE period >= ${} AND period <= ${} \
                     AND project_id IN (SELECT id FROM projects{clause})",
                    sum("invested_in_period"),
                    n + 1,
                    n + 2
                );
                (sql, false)
            }
            KpiMetric::SignedInvestment => (
                format!(
                    "SELECT {} FROM projects{clause}{}",
                    sum("total_investment"),
                    in_year("actual_signing")
                ),
                true,
            ),
            KpiMetric::ProjectsSigned => (
                format!(
                    "SELECT COUNT(*) FROM projects{clause}{}",
                    in_year("actual_signing")
                ),
                true,
            ),
            KpiMetric::ProjectsStarted => (
                format!(
                    "SELECT COUNT(*) FROM projects{clause}{}",
                    in_year("actual_start")
                ),
                true,
            ),
            KpiMetric::ProjectsCompleted => (
                format!(
                    "SELECT COUNT(*) FROM projects{clause}{}",
                    in_year("actual_completion")
                ),
                true,
            ),
            KpiMetric::FloorAreaStarted => (
                format!(
                    "SELECT {} FROM projects{clause}{}",
                    sum("floor_area_m2"),
                    in_year("actual_start")
                ),
                true,
            ),
            KpiMetric::ProjectsTotal => (format!("SELECT COUNT(*) FROM projects{clause}"), false),
        };
        let days = dated.then(|| year_days(year));
        Self { sql, binds, days }
    }
}

/// The first and last day of `year` (clamped to the years a date can hold).
fn year_days(year: i64) -> (NaiveDate, NaiveDate) {
    let year = i32::try_from(year.clamp(1, 9999)).unwrap_or(9999);
    let day = |month, day| NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default();
    (day(1, 1), day(12, 31))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_year_follows_the_scope_and_the_platform() {
        let mut filter = ProjectFilter::new(ProjectScope::Limited {
            departments: vec![3],
            own_user: None,
        });
        filter.platform_id = Some(7);
        let query = ActualQuery::new(&filter, KpiMetric::ProjectsStarted, 2020);
        assert_eq!(
            query.sql,
            "SELECT COUNT(*) FROM projects WHERE (department_id IN ($1)) AND platform_id = $2 \
             AND actual_start >= $3 AND actual_start <= $4"
        );
        assert_eq!(query.binds.len(), 2);
        assert_eq!(query.days, Some(year_days(2020)));
        assert_eq!(year_days(2020).1.to_string(), "2020-12-31");

        let district = ProjectFilter::new(ProjectScope::District);
        let query = ActualQuery::new(&district, KpiMetric::SignedInvestment, 2020);
        assert_eq!(
            query.sql,
            "SELECT CAST(COALESCE(SUM(total_investment), 0) AS BIGINT) FROM projects WHERE \
             actual_signing >= $1 AND actual_signing <= $2"
        );
        let query = ActualQuery::new(&district, KpiMetric::CompletedInvestment, 2020);
        assert!(
            query.sql.contains("period >= $1 AND period <= $2"),
            "{}",
            query.sql
        );
        assert!(
            query
                .sql
                .ends_with("project_id IN (SELECT id FROM projects)")
        );
        assert_eq!((query.binds.len(), query.days), (2, None));
        let query = ActualQuery::new(&district, KpiMetric::ProjectsTotal, 2020);
        assert_eq!(query.sql, "SELECT COUNT(*) FROM projects");
        assert!(query.binds.is_empty() && query.days.is_none());
    }
}
