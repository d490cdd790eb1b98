//! Bulk writing of whole projects (the row, revision 1, milestones and their revisions, monthly
//! reports and the investment plan), many rows per statement, for `districtops gen`'s synthetic districts.
//!
//! The rows are the ones the services would write; only the statements differ: one
//! `INSERT … VALUES (…), (…), …` per batch instead of one per row, so a district of 100,000
//! projects and a million reports takes seconds, not minutes. The roll-up triggers fire per
//! row as for any other write, so the cockpit's roll-ups are current when the call returns.

use super::{ProjectFields, ProjectRow};
use crate::{Result, Store, Tx, exec};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::QueryBuilder;

/// A milestone of a [`BulkProject`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkMilestone {
    pub name: String,
    pub planned: NaiveDate,
    pub actual: Option<NaiveDate>,
    pub owner_name: Option<String>,
}

/// A monthly progress report of a [`BulkProject`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkReport {
    /// `YYYY-MM`.
    pub period: String,
    pub invested_in_period: i64,
    pub percent: i64,
    pub narrative: Option<String>,
}

/// A project with everything that hangs off it.
#[derive(Clone, Debug, PartialEq)]
pub struct BulkProject {
    pub fields: ProjectFields,
    pub milestones: Vec<BulkMilestone>,
    pub reports: Vec<BulkReport>,
    /// `(period, cumulative_target)`, the period `YYYY-MM` or `YYYY-Qn`.
    pub plan: Vec<(String, i64)>,
}

/// Child rows per statement: under SQLite's 32,766 and PostgreSQL's 65,535 bound values
/// (the projects themselves go through [`Store::insert_projects`]).
const CHILDREN_PER_STATEMENT: usize = 4000;

impl Store {
    /// Inserts `projects` at version 1 with their revision 1 and their children, inside `tx`,
    /// and returns the inserted rows in the order given.
    pub async fn insert_projects_bulk(
        &self,
        tx: &mut Tx,
        projects: &[BulkProject],
        at: DateTime<Utc>,
        user_id: Option<i64>,
    ) -> Result<Vec<ProjectRow>> {
        let fields: Vec<ProjectFields> = projects.iter().map(|p| p.fields.clone()).collect();
        let rows = self.insert_projects(tx, fields, at).await?;
        self.insert_project_revisions(tx, &rows, user_id).await?;
        let with_ids: Vec<(i64, &BulkProject)> =
            rows.iter().map(|r| r.id).zip(projects.iter()).collect();
        let milestones: Vec<(i64, &BulkMilestone)> = with_ids
            .iter()
            .flat_map(|(id, p)| p.milestones.iter().map(move |m| (*id, m)))
            .collect();
        for chunk in milestones.chunks(CHILDREN_PER_STATEMENT) {
            exec!(tx, conn => {
                let mut query = QueryBuilder::new(
                    "INSERT INTO milestones (project_id, name, planned, actual, owner_name) ",
                );
                query.push_values(chunk, |mut row, (id, m)| {
                    row.push_bind(*id)
                        .push_bind(&m.name)
                        .push_bind(m.planned)
                        .push_bind(m.actual)
                        .push_bind(&m.owner_name);
                });
                query.build().execute(&mut *conn).await
            })?;
        }
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        self.insert_milestone_revisions_of(tx, &ids, at).await?;
        let reports: Vec<(i64, &BulkReport)> = with_ids
            .iter()
            .flat_map(|(id, p)| p.reports.iter().map(move |r| (*id, r)))
            .collect();
        for chunk in reports.chunks(CHILDREN_PER_STATEMENT) {
            exec!(tx, conn => {
                let mut query = QueryBuilder::new(
                    "INSERT INTO progress_reports (project_id, period, invested_in_period, \
                     percent, narrative, recorded_at) ",
                );
                query.push_values(chunk, |mut row, (id, r)| {
                    row.push_bind(*id)
                        .push_bind(&r.period)
                        .push_bind(r.invested_in_period)
                        .push_bind(r.percent)
                        .push_bind(&r.narrative)
                        .push_bind(at);
                });
                query.build().execute(&mut *conn).await
            })?;
        }
        let plan: Vec<(i64, &(String, i64))> = with_ids
            .iter()
            .flat_map(|(id, p)| p.plan.iter().map(move |t| (*id, t)))
            .collect();
        for chunk in plan.chunks(CHILDREN_PER_STATEMENT) {
            exec!(tx, conn => {
                let mut query = QueryBuilder::new(
                    "INSERT INTO investment_plan (project_id, period, cumulative_target) ",
                );
                query.push_values(chunk, |mut row, (id, (period, target))| {
                    row.push_bind(*id).push_bind(period).push_bind(*target);
                });
                query.build().execute(&mut *conn).await
            })?;
        }
        Ok(rows)
    }

    /// Refreshes the query planner's statistics (`ANALYZE`), as a bulk load should: without
    /// them SQLite takes an equality filter on a column with six values for a selective one
    /// and sorts a third of the ledger instead of walking the sort's index.
    pub async fn analyze(&self) -> Result<()> {
        let mut tx = self.begin_long().await?;
        exec!(&mut tx, conn => sqlx::query("ANALYZE").execute(conn).await)?;
        tx.commit().await
    }
}
