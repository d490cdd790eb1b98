//! Creating many projects in one transaction (an import's created rows, block after block)
//! with the rules, rows, revisions and audit records of [`Services::create_project_in`],
//! written a thousand per statement.
//!
//! The work is a pipeline ([`Creation`]): the writer resolves each batch of drafts and takes
//! the rows' ids ([`Store::new_projects`](districtops_store::Store::new_projects)), then hands
//! the rows to a blocking thread, which binds each chunk's rows, makes its revision snapshots
//! and chained audit records and binds those; the writer runs the statements as they come.
//! The thread goes on from one batch to the next, so while the database writes the end of
//! one batch, the next is already being bound: the database does not wait for the
//! serialising, hashing and binding, nor they for it.

use super::fields::DraftLookups;
use super::write::taken;
use crate::audit::Object;
use crate::{Ctx, ServiceError, ServiceResult, Services};
use districtops_domain::access::Permission;
use districtops_domain::audit::FieldChange;
use districtops_domain::projects::ProjectDraft;
use districtops_store::{AuditChain, NewRevision, Prepared, ProjectRow, Tx};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// Projects written per round: one statement of rows, one of revisions, one of audit records.
const CHUNK: usize = 1_000;

/// Statements bound ahead of the one being written (a chunk's rows, then its revisions and
/// its audit records, are three).
const AHEAD: usize = 6;

/// A statement of a chunk, bound: one of its rows (a code already taken fails it) or of what
/// follows them.
pub(crate) enum Statement {
    Rows(Prepared<'static>),
    Rest(Prepared<'static>),
}

/// New projects on their way into a transaction ([`Services::begin_creation`]): batches of
/// rows handed over ([`Services::create_more`]) are bound on a blocking thread, which holds
/// the audit chain until [`Services::finish_creation`]; the writer runs their statements as
/// they are ready ([`Creation::statement`], [`Services::run_created`]).
pub(crate) struct Creation {
    /// Batches of rows to the binding thread.
    batches: mpsc::UnboundedSender<Vec<ProjectRow>>,
    statements: mpsc::Receiver<ServiceResult<Statement>>,
    binder: JoinHandle<AuditChain>,
    /// Batches handed over that the binding thread has not finished.
    unbound: Arc<AtomicUsize>,
    /// The last id taken: the next batch's follow it, though its rows may not be written yet.
    last_id: Option<i64>,
    /// The caller's department (where a draft without one goes).
    home: i64,
    /// The status colour of a project with no milestones, plan or blockers yet.
    colour: String,
}

impl Creation {
    /// The next bound statement, once it is ready; `None` once the binding thread stopped.
    pub(crate) async fn statement(&mut self) -> Option<ServiceResult<Statement>> {
        self.statements.recv().await
    }

    /// How many batches handed over are still being bound.
    pub(crate) fn unbound(&self) -> usize {
        self.unbound.load(Ordering::Acquire)
    }
}

/// What [`changes`](super::fields::changes) records for a new project (every field that has a
/// value, before absent), built straight from the row: an import creates 100,000 projects,
/// and going through [`ProjectRow::fields`] and the generic comparison costs four allocations
/// a field.
fn created_changes(row: &ProjectRow) -> Vec<FieldChange> {
    fn put(out: &mut Vec<FieldChange>, field: &str, after: Option<String>) {
        if let Some(after) = after {
            out.push(FieldChange {
                field: field.to_owned(),
                before: None,
                after: Some(after),
            });
        }
    }
    let text = |v: &Option<String>| v.clone();
    let show = |v: Option<i64>| v.map(|v| v.to_string());
    let day = |v: Option<chrono::NaiveDate>| v.map(|d| d.to_string());
    let mut out = Vec::with_capacity(30);
    put(&mut out, "code", text(&row.code));
    put(&mut out, "name", Some(row.name.clone()));
    put(&mut out, "platform_id", show(row.platform_id));
    put(&mut out, "kind", Some(row.kind.clone()));
    put(&mut out, "stage", Some(row.stage.clone()));
    put(
        &mut out,
        "department_id",
        Some(row.department_id.to_string()),
    );
    put(&mut out, "leader_user_id", show(row.leader_user_id));
    put(&mut out, "leader_name", text(&row.leader_name));
    put(
        &mut out,
        "total_investment",
        Some(row.total_investment.to_string()),
    );
    let completed = Some(row.completed_investment.to_string());
    put(&mut out, "completed_investment", completed);
    put(&mut out, "floor_area_m2", show(row.floor_area_m2));
    put(&mut out, "land_area_mu_x100", show(row.land_area_mu_x100));
    put(&mut out, "address", text(&row.address));
    put(&mut out, "longitude", row.longitude.map(|v| v.to_string()));
    put(&mut out, "latitude", row.latitude.map(|v| v.to_string()));
    put(&mut out, "planned_signing", day(row.planned_signing));
    put(&mut out, "actual_signing", day(row.actual_signing));
    put(&mut out, "planned_start", day(row.planned_start));
    put(&mut out, "actual_start", day(row.actual_start));
    put(&mut out, "planned_structure", day(row.planned_structure));
    put(&mut out, "actual_structure", day(row.actual_structure));
    put(&mut out, "planned_completion", day(row.planned_completion));
    put(&mut out, "actual_completion", day(row.actual_completion));
    put(&mut out, "planned_operation", day(row.planned_operation));
    put(&mut out, "actual_operation", day(row.actual_operation));
    put(&mut out, "notes", text(&row.notes));
    put(&mut out, "illustrative", Some(row.illustrative.to_string()));
    put(&mut out, "status_colour", Some(row.status_colour.clone()));
    out
}

impl Services {
    /// Starts creating projects in `tx` as `ctx`: the binding thread takes the audit chain
    /// where `tx` has it. Until [`Services::finish_creation`], nothing else may write to the
    /// chain in `tx`.
    pub(crate) async fn begin_creation(&self, tx: &mut Tx, ctx: &Ctx) -> ServiceResult<Creation> {
        ctx.require(Permission::WriteBusiness)?;
        let home = self.home_department(ctx).await?;
        let colour = super::status::assess(self.today(), &[], &[], 0)
            .colour
            .as_str()
            .to_owned();
        let chain = self.audit_chain(tx).await?;
        let (batches, mut incoming) = mpsc::unbounded_channel::<Vec<ProjectRow>>();
        let (sender, statements) = mpsc::channel(AHEAD);
        let unbound = Arc::new(AtomicUsize::new(0));
        let binder = {
            let (services, ctx, user) = (self.clone(), ctx.clone(), ctx.user_id()?);
            let unbound = Arc::clone(&unbound);
            tokio::task::spawn_blocking(move || {
                let mut chain = chain;
                // The writer stops listening when a write fails.
                let send = |statement| sender.blocking_send(statement).is_ok();
                'batches: while let Some(batch) = incoming.blocking_recv() {
                    for rows in batch.chunks(CHUNK) {
                        // A chunk's rows are bound first, so the database starts on them
                        // while their revisions and audit records are made.
                        for statement in services.store.prepare_new_projects(rows) {
                            if !send(Ok(Statement::Rows(statement))) {
                                break 'batches;
                            }
                        }
                        match services.prepare_rest(&ctx, user, rows, &mut chain) {
                            Ok(rest) => {
                                for statement in rest {
                                    if !send(Ok(Statement::Rest(statement))) {
                                        break 'batches;
                                    }
                                }
                            }
                            Err(error) => {
                                send(Err(error));
                                break 'batches;
                            }
                        }
                    }
                    unbound.fetch_sub(1, Ordering::AcqRel);
                }
                chain
            })
        };
        Ok(Creation {
            batches,
            statements,
            binder,
            unbound,
            last_id: None,
            home,
            colour,
        })
    }

    /// Checks and resolves `drafts` as [`Services::create_project_in`] does (names through
    /// `lookups`), takes their ids and hands the rows to `creation`'s binding thread, in the
    /// order given. Returns how many.
    pub(crate) async fn create_more(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        creation: &mut Creation,
        drafts: &[&ProjectDraft],
        lookups: &mut DraftLookups,
    ) -> ServiceResult<usize> {
        if drafts.is_empty() {
            return Ok(0);
        }
        let mut all = Vec::with_capacity(drafts.len());
        for draft in drafts {
            draft.check()?;
            let mut fields = self
                .resolve_draft_with(tx, draft, None, creation.home, lookups)
                .await?;
            self.require_target(ctx, &fields)?;
            fields.status_colour = creation.colour.clone();
            all.push(fields);
        }
        let rows = self
            .store
            .new_projects(tx, all, self.now(), creation.last_id)
            .await?;
        creation.last_id = rows.last().map(|r| r.id).or(creation.last_id);
        let count = rows.len();
        creation.unbound.fetch_add(1, Ordering::AcqRel);
        if creation.batches.send(rows).is_err() {
            // The binding thread stopped; its error comes with the statements.
            creation.unbound.fetch_sub(1, Ordering::AcqRel);
        }
        Ok(count)
    }

    /// Runs a statement of `creation` in `tx`.
    pub(crate) async fn run_created(&self, tx: &mut Tx, statement: Statement) -> ServiceResult<()> {
        match statement {
            Statement::Rows(mut rows) => {
                self.store.run(tx, &mut rows).await.map_err(taken)?;
            }
            Statement::Rest(mut rest) => {
                self.store.run(tx, &mut rest).await?;
            }
        }
        Ok(())
    }

    /// Runs every statement of `creation` still to come and gives the audit chain back to
    /// `tx`.
    pub(crate) async fn finish_creation(
        &self,
        tx: &mut Tx,
        creation: Creation,
    ) -> ServiceResult<()> {
        let Creation {
            batches,
            mut statements,
            binder,
            ..
        } = creation;
        // No more batches: the thread stops once it has bound those it has.
        drop(batches);
        while let Some(statement) = statements.recv().await {
            self.run_created(tx, statement?).await?;
        }
        let chain = binder
            .await
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
        self.store.chain_written(tx, &chain);
        Ok(())
    }

    /// The statements that follow a chunk's rows: their revisions, and their
    /// `project.create` records (at their creation time) linked to `chain`.
    fn prepare_rest(
        &self,
        ctx: &Ctx,
        user: Option<i64>,
        rows: &[ProjectRow],
        chain: &mut AuditChain,
    ) -> ServiceResult<Vec<Prepared<'static>>> {
        let revisions = rows
            .iter()
            .map(NewRevision::of)
            .collect::<Result<Vec<_>, _>>()
            .map_err(ServiceError::from)?;
        let audits = rows
            .iter()
            .map(|row| {
                let object = Object::new("project", row.id);
                let changes = created_changes(row);
                chain.link(Self::success_record(
                    row.created_at,
                    ctx,
                    "project.create",
                    object,
                    changes,
                ))
            })
            .collect();
        let mut rest = self.store.prepare_revisions(revisions, user);
        rest.extend(self.store.prepare_audits(audits));
        Ok(rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::projects::fields::changes;

    fn row() -> ProjectRow {
        let day = |d: &str| Some(d.parse().unwrap());
        ProjectRow {
            id: 7,
            code: Some("HY-2026-001".into()),
            name: "树兰医院".into(),
            platform_id: Some(2),
            kind: "medical".into(),
            stage: "signed".into(),
            department_id: 3,
            leader_user_id: Some(9),
            leader_name: Some("王区长".into()),
            total_investment: 2_136_280_000,
            completed_investment: 1,
            floor_area_m2: Some(236_834),
            land_area_mu_x100: Some(7_763),
            address: Some("经十路105号".into()),
            longitude: Some(116.97432),
            latitude: Some(36.678_74),
            planned_signing: day("2026-02-22"),
            actual_signing: day("2026-03-31"),
            planned_start: day("2026-08-28"),
            actual_start: day("2026-09-05"),
            planned_structure: day("2027-10-29"),
            actual_structure: day("2027-10-30"),
            planned_completion: day("2028-07-17"),
            actual_completion: day("2028-07-18"),
            planned_operation: day("2028-11-04"),
            actual_operation: day("2028-11-05"),
            notes: Some("备注".into()),
            illustrative: true,
            status_colour: "green".into(),
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
            version: 1,
        }
    }

    /// The import's records of new projects are the form's, field for field.
    #[test]
    fn created_changes_are_the_generic_changes() {
        let full = row();
        assert_eq!(created_changes(&full), changes(None, &full.fields()));
        assert_eq!(created_changes(&full).len(), 28);
        let sparse = ProjectRow {
            code: None,
            platform_id: None,
            leader_user_id: None,
            leader_name: None,
            floor_area_m2: None,
            land_area_mu_x100: None,
            address: None,
            longitude: None,
            latitude: None,
            actual_signing: None,
            planned_structure: None,
            actual_operation: None,
            notes: None,
            illustrative: false,
            total_investment: 0,
            ..row()
        };
        assert_eq!(created_changes(&sparse), changes(None, &sparse.fields()));
    }
}
