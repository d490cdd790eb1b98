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
const CREATE_BATCH: usize = 2_000;

impl Services {
    /// Imports `bytes`: the preview is made again and every accepted row applied in one
    /// transaction (rejected rows are reported and left out), with one `project.import`
    /// summary record and each project's own create or update record. Any failure while
    /// applying (a project changed meanwhile, a code taken) writes nothing.
    pub async fn apply_import(&self, ctx: &Ctx, bytes: &[u8]) -> ServiceResult<ImportReport> {
        ctx.require(Permission::WriteBusiness)?;
        // The file is read before the transaction begins: on SQLite the transaction holds the
        // one writer connection, and parsing a large workbook takes a while.
        let preview = read_ledger(bytes)?;
        let mut tx = self.store.begin().await?;
        let report = self.plan_import(&mut tx, ctx, &preview).await?;
        // Rows apply in file order; each run of created rows is written a batch at a time.
        let mut lookups = DraftLookups::default();
        let mut created: Vec<&ProjectDraft> = Vec::new();
        for row in &report.rows {
            match &row.plan {
                Some((draft, None)) => {
                    created.push(draft);
                    if created.len() == CREATE_BATCH {
                        self.create_projects_in(&mut tx, ctx, &created, &mut lookups)
                            .await?;
                        created.clear();
                    }
                }
                Some((draft, Some((id, version)))) => {
                    self.create_projects_in(&mut tx, ctx, &created, &mut lookups)
                        .await?;
                    created.clear();
                    self.update_project_in(&mut tx, ctx, *id, *version, draft, false)
                        .await?;
                }
                None => {}
            }
        }
        self.create_projects_in(&mut tx, ctx, &created, &mut lookups)
            .await?;
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
        tx.commit().await?;
        Ok(report)
    }
}
