//! Applying an import: the file read and classified again inside one transaction, every
//! accepted row written in file order (runs of created rows a batch at a time, updates one by
//! one through the version-checked path), and one `project.import` summary record.

use super::fields::DraftLookups;
use super::import::{ImportReport, read_ledger};
use crate::audit::Object;
use crate::{Ctx, ServiceResult, Services};
use districtops_domain::access::Permission;
use districtops_domain::audit::FieldChange;
use districtops_domain::projects::ProjectDraft;

/// Created rows written per batch (a few statements each).
const CREATE_BATCH: usize = 10_000;

/// How far [`Services::apply_import_with`] has got, for a progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportProgress {
    /// The file is read and its `rows` (data rows, blank ones included) checked.
    Read { rows: usize },
    /// `written` of the `total` created and updated rows are written (not yet committed).
    Written { written: usize, total: usize },
}

impl Services {
    /// Imports `bytes`: the preview is made again and every accepted row applied in one
    /// transaction (rejected rows are reported and left out), with one `project.import`
    /// summary record and each project's own create or update record. Any failure while
    /// applying (a project changed meanwhile, a code taken) writes nothing.
    pub async fn apply_import(&self, ctx: &Ctx, bytes: &[u8]) -> ServiceResult<ImportReport> {
        self.apply_import_with(ctx, bytes, &|_| {}).await
    }

    /// [`Services::apply_import`], telling `progress` when the file is read and after each
    /// batch of rows written (the command line draws a bar).
    pub async fn apply_import_with(
        &self,
        ctx: &Ctx,
        bytes: &[u8],
        progress: &(dyn Fn(ImportProgress) + Sync),
    ) -> ServiceResult<ImportReport> {
        ctx.require(Permission::WriteBusiness)?;
        // The file is read before the transaction begins: on SQLite the transaction holds the
        // one writer connection, and parsing a large workbook takes a while.
        let started = std::time::Instant::now();
        let phase = |what: &str| {
            tracing::debug!(ms = started.elapsed().as_millis() as u64, "import: {what}");
        };
        let preview = read_ledger(bytes)?;
        phase("file read and parsed");
        progress(ImportProgress::Read {
            rows: preview.rows.len(),
        });
        // A long transaction: on SQLite it commits alone, not in a group with quick edits.
        let mut tx = self.store.begin_long().await?;
        let report = self.plan_import(&mut tx, ctx, &preview).await?;
        phase("rows matched");
        // Rows apply in file order; each run of created rows is written a batch at a time.
        let total = report.rows.iter().filter(|r| r.plan.is_some()).count();
        let mut written = 0;
        let mut lookups = DraftLookups::default();
        let mut created: Vec<&ProjectDraft> = Vec::new();
        for row in &report.rows {
            match &row.plan {
                Some((draft, None)) => {
                    created.push(draft);
                    if created.len() == CREATE_BATCH {
                        self.create_projects_in(&mut tx, ctx, &created, &mut lookups)
                            .await?;
                        written += created.len();
                        created.clear();
                        progress(ImportProgress::Written { written, total });
                    }
                }
                Some((draft, Some((id, version)))) => {
                    self.create_projects_in(&mut tx, ctx, &created, &mut lookups)
                        .await?;
                    written += created.len();
                    created.clear();
                    self.update_project_in(&mut tx, ctx, *id, *version, draft, false, &mut lookups)
                        .await?;
                    written += 1;
                    if written % CREATE_BATCH == 0 {
                        progress(ImportProgress::Written { written, total });
                    }
                }
                None => {}
            }
        }
        self.create_projects_in(&mut tx, ctx, &created, &mut lookups)
            .await?;
        progress(ImportProgress::Written {
            written: total,
            total,
        });
        let counts = report.counts();
        let summary = [
            ("created", counts.created),
            ("updated", counts.updated),
            ("unchanged", counts.unchanged),
            ("rejected", counts.rejected),
        ]
        .into_iter()
        .map(|(field, n)| FieldChange::new(field, None::<&str>, Some(n.to_string())))
        .collect();
        self.record(
            &mut tx,
            ctx,
            "project.import",
            Object::new("project", 0),
            summary,
        )
        .await?;
        phase("rows written");
        tx.commit().await?;
        phase("committed");
        Ok(report)
    }
}
