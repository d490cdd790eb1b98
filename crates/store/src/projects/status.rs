//! The status light over time: one computed outcome per project and month
//! (`project_status_history`), the manual overrides (`project_status_overrides`, cleared rather
//! than deleted, at most one current per project), and the batch reads and writes of the
//! daily recomputation, which walks the ledger by id range instead of one project at a time.

use super::children::{MilestoneRow, PlanRow};
use crate::{Result, Store, Tx, exec, on_db, on_tx};
use chrono::{DateTime, NaiveDate, Utc};

/// The computed status of a project for one month, as last assessed.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct StatusHistoryRow {
    pub project_id: i64,
    /// `YYYY-MM`.
    pub period: String,
    /// The computed colour (never an override).
    pub colour: String,
    /// The reasons as a JSON array.
    pub reasons: String,
    /// Plan target − completed, clamped at 0, in 元.
    pub shortfall: i64,
    /// Kept from green by an earlier red period.
    pub held: bool,
    /// The day assessed.
    pub as_of: NaiveDate,
    /// When the outcome was computed as it stands: computing the same outcome again on the
    /// same day leaves the row as it is.
    pub computed_at: DateTime<Utc>,
}

/// A colour set by hand; current while `cleared_at` is empty.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct StatusOverrideRow {
    pub id: i64,
    pub project_id: i64,
    pub colour: String,
    pub reason: String,
    pub set_by: Option<i64>,
    pub set_at: DateTime<Utc>,
    pub cleared_by: Option<i64>,
    pub cleared_at: Option<DateTime<Utc>>,
}

/// What the recomputation needs of a project itself.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct StatusSubjectRow {
    pub id: i64,
    pub completed_investment: i64,
    pub status_colour: String,
}

const HISTORY: &str = "project_id, period, colour, reasons, shortfall, held, as_of, computed_at";
const OVERRIDE: &str = "id, project_id, colour, reason, set_by, set_at, cleared_by, cleared_at";
/// Rows per multi-row `INSERT` (8 parameters each: well under SQLite's 32,766).
const UPSERT_ROWS: usize = 500;

impl Store {
    /// A project's status per month, newest first.
    pub async fn status_history(&self, project_id: i64) -> Result<Vec<StatusHistoryRow>> {
        let sql = format!(
            "SELECT {HISTORY} FROM project_status_history WHERE project_id = $1 \
             ORDER BY period DESC"
        );
        Ok(on_db!(self, pool => sqlx::query_as(&sql).bind(project_id).fetch_all(pool).await)?)
    }

    /// The recorded status of a project for `period`.
    pub async fn status(&self, project_id: i64, period: &str) -> Result<Option<StatusHistoryRow>> {
        let sql = format!(
            "SELECT {HISTORY} FROM project_status_history WHERE project_id = $1 AND period = $2"
        );
        Ok(on_db!(self, pool => sqlx::query_as(&sql)
            .bind(project_id)
            .bind(period)
            .fetch_optional(pool)
            .await)?)
    }

    /// Records (or replaces) the status of each row's project and period.
    pub async fn upsert_statuses(&self, tx: &mut Tx, rows: &[StatusHistoryRow]) -> Result<()> {
        for chunk in rows.chunks(UPSERT_ROWS) {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| {
                    let p: Vec<String> = (1..=8).map(|j| format!("${}", i * 8 + j)).collect();
                    format!("({})", p.join(", "))
                })
                .collect();
            let sql = format!(
                "INSERT INTO project_status_history ({HISTORY}) VALUES {} \
                 ON CONFLICT (project_id, period) DO UPDATE SET colour = excluded.colour, \
                 reasons = excluded.reasons, shortfall = excluded.shortfall, \
                 held = excluded.held, as_of = excluded.as_of, \
                 computed_at = excluded.computed_at",
                values.join(", ")
            );
            exec!(tx, conn => {
                let mut query = sqlx::query(&sql);
                for row in chunk {
                    query = query
                        .bind(row.project_id)
                        .bind(&row.period)
                        .bind(&row.colour)
                        .bind(&row.reasons)
                        .bind(row.shortfall)
                        .bind(row.held)
                        .bind(row.as_of)
                        .bind(row.computed_at);
                }
                query.execute(conn).await
            })?;
        }
        Ok(())
    }

    /// Every override of a project, current or cleared, newest first.
    pub async fn status_overrides(&self, project_id: i64) -> Result<Vec<StatusOverrideRow>> {
        let sql = format!(
            "SELECT {OVERRIDE} FROM project_status_overrides WHERE project_id = $1 \
             ORDER BY id DESC"
        );
        Ok(on_db!(self, pool => sqlx::query_as(&sql).bind(project_id).fetch_all(pool).await)?)
    }

    /// The current override of a project, read inside `tx`.
    pub async fn current_override_in(
        &self,
        tx: &mut Tx,
        project_id: i64,
    ) -> Result<Option<StatusOverrideRow>> {
        let sql = format!(
            "SELECT {OVERRIDE} FROM project_status_overrides \
             WHERE project_id = $1 AND cleared_at IS NULL"
        );
        Ok(on_tx!(tx, conn => sqlx::query_as(&sql)
            .bind(project_id)
            .fetch_optional(conn)
            .await)?)
    }

    /// Records a new current override (clear the previous one first).
    pub async fn insert_status_override(
        &self,
        tx: &mut Tx,
        project_id: i64,
        colour: &str,
        reason: &str,
        by: Option<i64>,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        let sql = "INSERT INTO project_status_overrides (project_id, colour, reason, set_by, \
                   set_at) VALUES ($1, $2, $3, $4, $5) RETURNING id";
        Ok(on_tx!(tx, conn => sqlx::query_scalar(sql)
            .bind(project_id)
            .bind(colour)
            .bind(reason)
            .bind(by)
            .bind(at)
            .fetch_one(conn)
            .await)?)
    }

    /// Clears the current override of a project; whether there was one.
    pub async fn clear_status_override(
        &self,
        tx: &mut Tx,
        project_id: i64,
        by: Option<i64>,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        let sql = "UPDATE project_status_overrides SET cleared_by = $1, cleared_at = $2 \
                   WHERE project_id = $3 AND cleared_at IS NULL";
        let changed = exec!(tx, conn => sqlx::query(sql)
            .bind(by)
            .bind(at)
            .bind(project_id)
            .execute(conn)
            .await)?;
        Ok(changed > 0)
    }

    /// Up to `limit` projects with an id above `after`, by id: one batch of the
    /// recomputation.
    pub async fn status_subjects_in(
        &self,
        tx: &mut Tx,
        after: i64,
        limit: i64,
    ) -> Result<Vec<StatusSubjectRow>> {
        let sql = "SELECT id, completed_investment, status_colour FROM projects \
                   WHERE id > $1 ORDER BY id LIMIT $2";
        Ok(on_tx!(tx, conn => sqlx::query_as(sql)
            .bind(after)
            .bind(limit)
            .fetch_all(conn)
            .await)?)
    }

    /// The milestones of the projects with ids `first..=last`, by project.
    pub async fn milestones_between_in(
        &self,
        tx: &mut Tx,
        first: i64,
        last: i64,
    ) -> Result<Vec<MilestoneRow>> {
        let sql = "SELECT id, project_id, name, planned, actual, owner_name, version \
                   FROM milestones WHERE project_id BETWEEN $1 AND $2 \
                   ORDER BY project_id, planned, id";
        Ok(on_tx!(tx, conn => sqlx::query_as(sql)
            .bind(first)
            .bind(last)
            .fetch_all(conn)
            .await)?)
    }

    /// The investment plans of the projects with ids `first..=last`.
    pub async fn plans_between_in(
        &self,
        tx: &mut Tx,
        first: i64,
        last: i64,
    ) -> Result<Vec<PlanRow>> {
        let sql = "SELECT project_id, period, cumulative_target FROM investment_plan \
                   WHERE project_id BETWEEN $1 AND $2 ORDER BY project_id, period";
        Ok(on_tx!(tx, conn => sqlx::query_as(sql)
            .bind(first)
            .bind(last)
            .fetch_all(conn)
            .await)?)
    }

    /// The recorded statuses of `period` for the projects with ids `first..=last`.
    pub async fn statuses_between_in(
        &self,
        tx: &mut Tx,
        period: &str,
        first: i64,
        last: i64,
    ) -> Result<Vec<StatusHistoryRow>> {
        let sql = format!(
            "SELECT {HISTORY} FROM project_status_history \
             WHERE period = $1 AND project_id BETWEEN $2 AND $3"
        );
        Ok(on_tx!(tx, conn => sqlx::query_as(&sql)
            .bind(period)
            .bind(first)
            .bind(last)
            .fetch_all(conn)
            .await)?)
    }

    /// The current overrides of the projects with ids `first..=last`.
    pub async fn overrides_between_in(
        &self,
        tx: &mut Tx,
        first: i64,
        last: i64,
    ) -> Result<Vec<StatusOverrideRow>> {
        let sql = format!(
            "SELECT {OVERRIDE} FROM project_status_overrides \
             WHERE cleared_at IS NULL AND project_id BETWEEN $1 AND $2"
        );
        Ok(on_tx!(tx, conn => sqlx::query_as(&sql)
            .bind(first)
            .bind(last)
            .fetch_all(conn)
            .await)?)
    }

    /// Caches `colour` on each of `ids` (not a new version: the colour is derived).
    pub async fn set_projects_colour(&self, tx: &mut Tx, ids: &[i64], colour: &str) -> Result<()> {
        for chunk in ids.chunks(UPSERT_ROWS) {
            let placeholders: Vec<String> = (2..chunk.len() + 2).map(|i| format!("${i}")).collect();
            let sql = format!(
                "UPDATE projects SET status_colour = $1 WHERE id IN ({})",
                placeholders.join(", ")
            );
            exec!(tx, conn => {
                let mut query = sqlx::query(&sql).bind(colour);
                for id in chunk {
                    query = query.bind(id);
                }
                query.execute(conn).await
            })?;
        }
        Ok(())
    }
}
