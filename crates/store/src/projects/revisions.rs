//! Writing revisions: every create and update keeps the row as a JSON snapshot beside the
//! columns the as-of list filters, sorts and sums on, and closes the project's earlier
//! revisions (`valid_to`, see migration 0007); every milestone write keeps the milestone.

use super::ProjectRow;
use crate::prepared::{Prepared, prepare};
use crate::{Result, Store, StoreError, Tx, exec};
use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;

/// Revisions per statement: 19 values each, under SQLite's 32,766 bound values.
const REVISIONS_PER_STATEMENT: usize = 1_000;

const REVISION_INSERT: &str = "INSERT INTO project_revisions (project_id, revision, valid_from, \
    user_id, snapshot, code, name, platform_id, kind, stage, department_id, leader_name, \
    total_investment, completed_investment, floor_area_m2, land_area_mu_x100, address, \
    planned_start, status_colour) ";

/// A project row to keep as a revision, with its JSON snapshot.
#[derive(Clone, Debug)]
pub struct NewRevision<'a> {
    row: &'a ProjectRow,
    snapshot: String,
}

impl<'a> NewRevision<'a> {
    /// `row` as its revision keeps it.
    pub fn of(row: &'a ProjectRow) -> Result<Self> {
        let snapshot = serde_json::to_string(row)
            .map_err(|e| StoreError::Sql(sqlx::Error::Encode(Box::new(e))))?;
        Ok(Self { row, snapshot })
    }
}

impl Store {
    /// Keeps the row as it is now as revision `row.version`, valid from `row.updated_at`.
    pub async fn insert_project_revision(
        &self,
        tx: &mut Tx,
        row: &ProjectRow,
        user_id: Option<i64>,
    ) -> Result<()> {
        self.insert_project_revisions(tx, std::slice::from_ref(row), user_id)
            .await
    }

    /// [`Store::insert_project_revision`] for many rows (an import, `districtops gen`), a
    /// thousand per statement, in the order given (a project may appear more than once, with
    /// rising versions).
    pub async fn insert_project_revisions(
        &self,
        tx: &mut Tx,
        rows: &[ProjectRow],
        user_id: Option<i64>,
    ) -> Result<()> {
        let revisions = rows
            .iter()
            .map(NewRevision::of)
            .collect::<Result<Vec<_>>>()?;
        let statements = self.prepare_revisions(revisions, user_id);
        for (mut statement, chunk) in statements
            .into_iter()
            .zip(rows.chunks(REVISIONS_PER_STATEMENT))
        {
            self.run(tx, &mut statement).await?;
            self.close_earlier_revisions(tx, chunk).await?;
        }
        Ok(())
    }

    /// The statements that insert `revisions`, to [run](Store::run) in order (they hold
    /// copies of the values, so they can be made on another thread). They close no earlier
    /// revision, as [`Store::insert_project_revisions`] does: enough for new projects, whose
    /// first revision closes nothing.
    pub fn prepare_revisions(
        &self,
        revisions: Vec<NewRevision<'_>>,
        user_id: Option<i64>,
    ) -> Vec<Prepared<'static>> {
        let mut statements = Vec::with_capacity(revisions.len().div_ceil(REVISIONS_PER_STATEMENT));
        let mut revisions = revisions.into_iter().peekable();
        while revisions.peek().is_some() {
            let chunk = revisions.by_ref().take(REVISIONS_PER_STATEMENT);
            statements.push(prepare!(self.backend(), REVISION_INSERT, |query| {
                query.push_values(chunk, |mut values, NewRevision { row, snapshot }| {
                    values
                        .push_bind(row.id)
                        .push_bind(row.version)
                        .push_bind(row.updated_at)
                        .push_bind(user_id)
                        .push_bind(snapshot)
                        .push_bind(row.code.clone())
                        .push_bind(row.name.clone())
                        .push_bind(row.platform_id)
                        .push_bind(row.kind.clone())
                        .push_bind(row.stage.clone())
                        .push_bind(row.department_id)
                        .push_bind(row.leader_name.clone())
                        .push_bind(row.total_investment)
                        .push_bind(row.completed_investment)
                        .push_bind(row.floor_area_m2)
                        .push_bind(row.land_area_mu_x100)
                        .push_bind(row.address.clone())
                        .push_bind(row.planned_start)
                        .push_bind(row.status_colour.clone());
                });
            }));
        }
        statements
    }

    /// Sets `valid_to` (the earliest `valid_from` of a later revision) on the revisions of the
    /// projects of `rows` that the new ones may close: the open ones and any closed after the
    /// earliest new `valid_from` (only when the clock went back). A project's first revision
    /// closes nothing, so a bulk of new projects costs no statement.
    async fn close_earlier_revisions(&self, tx: &mut Tx, rows: &[ProjectRow]) -> Result<()> {
        let mut ids: Vec<i64> = rows
            .iter()
            .filter(|r| r.version > 1)
            .map(|r| r.id)
            .collect();
        let Some(earliest) = rows
            .iter()
            .filter(|r| r.version > 1)
            .map(|r| r.updated_at)
            .min()
        else {
            return Ok(());
        };
        ids.sort_unstable();
        ids.dedup();
        exec!(tx, conn => {
            let mut query = QueryBuilder::new(
                "UPDATE project_revisions SET valid_to = (SELECT MIN(n.valid_from) \
                 FROM project_revisions n WHERE n.project_id = project_revisions.project_id \
                 AND n.revision > project_revisions.revision) \
                 WHERE (valid_to IS NULL OR valid_to > ",
            );
            query.push_bind(earliest).push(") AND project_id IN (");
            let mut list = query.separated(", ");
            for id in &ids {
                list.push_bind(*id);
            }
            query.push(")");
            query.build().execute(&mut *conn).await
        })?;
        Ok(())
    }

    /// Keeps milestone `id` as it is now, valid from `at`.
    pub(super) async fn insert_milestone_revision(
        &self,
        tx: &mut Tx,
        id: i64,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let sql = "INSERT INTO milestone_revisions (milestone_id, version, project_id, \
                   valid_from, name, planned, actual, owner_name) \
                   SELECT id, version, project_id, $1, name, planned, actual, owner_name \
                   FROM milestones WHERE id = $2";
        exec!(tx, conn => sqlx::query(sql).bind(at).bind(id).execute(conn).await)?;
        Ok(())
    }

    /// Keeps every milestone of `project_ids` as it is now, valid from `at` (after a bulk
    /// insert of new projects).
    pub(super) async fn insert_milestone_revisions_of(
        &self,
        tx: &mut Tx,
        project_ids: &[i64],
        at: DateTime<Utc>,
    ) -> Result<()> {
        for chunk in project_ids.chunks(4_000) {
            exec!(tx, conn => {
                let mut query = QueryBuilder::new(
                    "INSERT INTO milestone_revisions (milestone_id, version, project_id, \
                     valid_from, name, planned, actual, owner_name) \
                     SELECT id, version, project_id, ",
                );
                query
                    .push_bind(at)
                    .push(", name, planned, actual, owner_name FROM milestones WHERE project_id IN (");
                let mut list = query.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                query.push(")");
                query.build().execute(&mut *conn).await
            })?;
        }
        Ok(())
    }
}
