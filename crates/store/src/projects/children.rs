//! What hangs off a project: its platform, the dated history of its stage, its milestones,
//! its monthly progress reports and its investment plan.

use crate::{Result, Store, Tx, exec, on_db, on_tx};
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PlatformRow {
    pub id: i64,
    pub name: String,
    pub positioning: Option<String>,
    /// Planned area in hundredths of a km².
    pub planned_area_km2_x100: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct StageChangeRow {
    pub id: i64,
    pub project_id: i64,
    pub from_stage: String,
    pub to_stage: String,
    pub on_date: NaiveDate,
    pub correction: bool,
    pub recorded_at: DateTime<Utc>,
    pub user_id: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct MilestoneRow {
    pub id: i64,
    pub project_id: i64,
    pub name: String,
    pub planned: NaiveDate,
    pub actual: Option<NaiveDate>,
    pub owner_name: Option<String>,
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ProgressRow {
    pub id: i64,
    pub project_id: i64,
    /// `YYYY-MM`.
    pub period: String,
    pub invested_in_period: i64,
    pub percent: i64,
    pub narrative: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PlanRow {
    pub project_id: i64,
    /// `YYYY-MM` or `YYYY-Qn`.
    pub period: String,
    pub cumulative_target: i64,
}

const PLATFORM: &str = "id, name, positioning, planned_area_km2_x100, created_at, version";
const STAGE: &str =
    "id, project_id, from_stage, to_stage, on_date, correction, recorded_at, user_id";
pub(super) const MILESTONE: &str = "id, project_id, name, planned, actual, owner_name, version";
const PROGRESS: &str =
    "id, project_id, period, invested_in_period, percent, narrative, recorded_at";

impl Store {
    pub async fn platforms(&self) -> Result<Vec<PlatformRow>> {
        let sql = format!("SELECT {PLATFORM} FROM platforms ORDER BY id");
        Ok(on_db!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await)?)
    }

    pub async fn platform_by_name_in(
        &self,
        tx: &mut Tx,
        name: &str,
    ) -> Result<Option<PlatformRow>> {
        let sql = format!("SELECT {PLATFORM} FROM platforms WHERE name = $1");
        Ok(on_tx!(tx, conn => sqlx::query_as(&sql).bind(name).fetch_optional(conn).await)?)
    }

    pub async fn insert_platform(
        &self,
        tx: &mut Tx,
        name: &str,
        positioning: Option<&str>,
        planned_area_km2_x100: Option<i64>,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        let sql = "INSERT INTO platforms (name, positioning, planned_area_km2_x100, created_at) \
                   VALUES ($1, $2, $3, $4) RETURNING id";
        Ok(on_tx!(tx, conn => sqlx::query_scalar(sql)
            .bind(name)
            .bind(positioning)
            .bind(planned_area_km2_x100)
            .bind(at)
            .fetch_one(conn)
            .await)?)
    }

    pub async fn insert_stage_change(&self, tx: &mut Tx, row: &StageChangeRow) -> Result<()> {
        let sql = "INSERT INTO project_stage_changes (project_id, from_stage, to_stage, on_date, \
                   correction, recorded_at, user_id) VALUES ($1, $2, $3, $4, $5, $6, $7)";
        exec!(tx, conn => sqlx::query(sql)
            .bind(row.project_id)
            .bind(&row.from_stage)
            .bind(&row.to_stage)
            .bind(row.on_date)
            .bind(row.correction)
            .bind(row.recorded_at)
            .bind(row.user_id)
            .execute(conn)
            .await)?;
        Ok(())
    }

    /// Dates the latest stage change of a project (one recorded today for an earlier day).
    pub async fn redate_last_stage_change(
        &self,
        tx: &mut Tx,
        project_id: i64,
        on_date: NaiveDate,
    ) -> Result<()> {
        let sql = "UPDATE project_stage_changes SET on_date = $1 WHERE id = \
                   (SELECT MAX(id) FROM project_stage_changes WHERE project_id = $2)";
        exec!(tx, conn => sqlx::query(sql).bind(on_date).bind(project_id).execute(conn).await)?;
        Ok(())
    }

    /// A project's stage changes, oldest first.
    pub async fn stage_changes(&self, project_id: i64) -> Result<Vec<StageChangeRow>> {
        let sql =
            format!("SELECT {STAGE} FROM project_stage_changes WHERE project_id = $1 ORDER BY id");
        Ok(on_db!(self, pool => sqlx::query_as(&sql).bind(project_id).fetch_all(pool).await)?)
    }

    /// A project's milestones by planned date, read in the write transaction.
    pub async fn milestones_in(&self, tx: &mut Tx, project_id: i64) -> Result<Vec<MilestoneRow>> {
        let sql = format!(
            "SELECT {MILESTONE} FROM milestones WHERE project_id = $1 ORDER BY planned, id"
        );
        Ok(on_tx!(tx, conn => sqlx::query_as(&sql).bind(project_id).fetch_all(conn).await)?)
    }

    pub async fn milestones(&self, project_id: i64) -> Result<Vec<MilestoneRow>> {
        let sql = format!(
            "SELECT {MILESTONE} FROM milestones WHERE project_id = $1 ORDER BY planned, id"
        );
        Ok(on_db!(self, pool => sqlx::query_as(&sql).bind(project_id).fetch_all(pool).await)?)
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn insert_milestone(
        &self,
        tx: &mut Tx,
        project_id: i64,
        name: &str,
        planned: NaiveDate,
        actual: Option<NaiveDate>,
        owner_name: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        let sql = "INSERT INTO milestones (project_id, name, planned, actual, owner_name) \
                   VALUES ($1, $2, $3, $4, $5) RETURNING id";
        let id = on_tx!(tx, conn => sqlx::query_scalar(sql)
            .bind(project_id)
            .bind(name)
            .bind(planned)
            .bind(actual)
            .bind(owner_name)
            .fetch_one(conn)
            .await)?;
        self.insert_milestone_revision(tx, id, at).await?;
        Ok(id)
    }

    /// Changes a milestone of `project_id` if it is still at `version`; false when stale or
    /// not a milestone of that project. Both this and [`Store::insert_milestone`] keep the
    /// milestone's revision valid from `at`.
    #[allow(clippy::too_many_arguments)]
    pub async fn update_milestone(
        &self,
        tx: &mut Tx,
        project_id: i64,
        id: i64,
        version: i64,
        name: &str,
        planned: NaiveDate,
        actual: Option<NaiveDate>,
        owner_name: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        let sql = "UPDATE milestones SET name = $1, planned = $2, actual = $3, owner_name = $4, \
                   version = version + 1 WHERE id = $5 AND project_id = $6 AND version = $7";
        let done = exec!(tx, conn => sqlx::query(sql)
            .bind(name)
            .bind(planned)
            .bind(actual)
            .bind(owner_name)
            .bind(id)
            .bind(project_id)
            .bind(version)
            .execute(conn)
            .await)?;
        if done == 1 {
            self.insert_milestone_revision(tx, id, at).await?;
        }
        Ok(done == 1)
    }

    pub async fn progress_reports(&self, project_id: i64) -> Result<Vec<ProgressRow>> {
        let sql = format!(
            "SELECT {PROGRESS} FROM progress_reports WHERE project_id = $1 ORDER BY period DESC"
        );
        Ok(on_db!(self, pool => sqlx::query_as(&sql).bind(project_id).fetch_all(pool).await)?)
    }

    pub async fn progress_report_in(
        &self,
        tx: &mut Tx,
        project_id: i64,
        period: &str,
    ) -> Result<Option<ProgressRow>> {
        let sql = format!(
            "SELECT {PROGRESS} FROM progress_reports WHERE project_id = $1 AND period = $2"
        );
        Ok(on_tx!(tx, conn => sqlx::query_as(&sql)
            .bind(project_id)
            .bind(period)
            .fetch_optional(conn)
            .await)?)
    }

    /// Inserts or replaces the report of one period.
    #[allow(clippy::too_many_arguments)]
    pub async fn upsert_progress_report(
        &self,
        tx: &mut Tx,
        project_id: i64,
        period: &str,
        invested_in_period: i64,
        percent: i64,
        narrative: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let sql = "INSERT INTO progress_reports (project_id, period, invested_in_period, percent, \
                   narrative, recorded_at) VALUES ($1, $2, $3, $4, $5, $6) \
                   ON CONFLICT (project_id, period) DO UPDATE SET \
                   invested_in_period = excluded.invested_in_period, percent = excluded.percent, \
                   narrative = excluded.narrative, recorded_at = excluded.recorded_at";
        exec!(tx, conn => sqlx::query(sql)
            .bind(project_id)
            .bind(period)
            .bind(invested_in_period)
            .bind(percent)
            .bind(narrative)
            .bind(at)
            .execute(conn)
            .await)?;
        Ok(())
    }

    pub async fn investment_plan(&self, project_id: i64) -> Result<Vec<PlanRow>> {
        let sql = "SELECT project_id, period, cumulative_target FROM investment_plan \
                   WHERE project_id = $1 ORDER BY period";
        Ok(on_db!(self, pool => sqlx::query_as(sql).bind(project_id).fetch_all(pool).await)?)
    }

    /// Sets the cumulative target of one plan period.
    pub async fn upsert_plan_target(
        &self,
        tx: &mut Tx,
        project_id: i64,
        period: &str,
        cumulative_target: i64,
    ) -> Result<()> {
        let sql = "INSERT INTO investment_plan (project_id, period, cumulative_target) \
                   VALUES ($1, $2, $3) ON CONFLICT (project_id, period) DO UPDATE SET \
                   cumulative_target = excluded.cumulative_target";
        exec!(tx, conn => sqlx::query(sql)
            .bind(project_id)
            .bind(period)
            .bind(cumulative_target)
            .execute(conn)
            .await)?;
        Ok(())
    }
}
