//! Planning an import a block of rows at a time, each row matched and classified as if the
//! whole file were matched at once against the ledger as it stood before the import.

use super::import::{Existing, ImportRow, Names};
use super::import_report::ImportAction;
use super::import_rows::norm;
use crate::excel::MatchKey;
use crate::excel::projects_import::{ImportPreview, RowOutcome};
use crate::{Ctx, ServiceResult, Services};
use districtops_store::ProjectRow;
use std::collections::HashSet;

/// Matches an import's rows, a block at a time, as if all were matched at once against the
/// ledger as it stood before the import. The ledger is read outside the import's
/// transaction, so what earlier blocks wrote is not seen: the projects they created are not
/// matched, those they updated are matched as they were. Blocks may so be planned while
/// earlier ones are still being written.
pub(super) struct Planner {
    names: Names,
    /// The keys of the rows planned so far (a second row with one is a duplicate).
    seen: HashSet<MatchKey>,
}

impl Services {
    /// A planner for one import, whose rows may come a block at a time.
    pub(super) async fn planner(&self) -> ServiceResult<Planner> {
        Ok(Planner {
            names: self.import_names().await?,
            seen: HashSet::new(),
        })
    }

    /// Classifies `rows` of the sheet `head` describes against the committed ledger.
    pub(super) async fn plan_rows(
        &self,
        ctx: &Ctx,
        planner: &mut Planner,
        head: &ImportPreview,
        rows: &[RowOutcome],
    ) -> ServiceResult<Vec<ImportRow>> {
        let candidates = self.candidates(rows).await?;
        let existing = Existing::new(&candidates, &planner.names);
        let mut planned = Vec::with_capacity(rows.len());
        for outcome in rows {
            let (row, draft) = match outcome {
                RowOutcome::Blank { .. } => continue,
                RowOutcome::Rejected { row, name, errors } => {
                    planned.push(ImportRow {
                        row: *row,
                        name: name.clone(),
                        action: ImportAction::Rejected {
                            issues: errors.clone(),
                        },
                        plan: None,
                    });
                    continue;
                }
                RowOutcome::Parsed { row, draft } => (*row, draft),
            };
            let names = &planner.names;
            planned.push(self.classify(ctx, head, names, &existing, &mut planner.seen, row, draft));
        }
        Ok(planned)
    }

    /// The committed projects any of `rows` could match, by code or by name, in id order.
    async fn candidates(&self, rows: &[RowOutcome]) -> ServiceResult<Vec<ProjectRow>> {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        let drafts = rows.iter().filter_map(|r| match r {
            RowOutcome::Parsed { draft, .. } => Some(draft),
            _ => None,
        });
        for draft in drafts {
            for (set, value) in [(&mut codes, &draft.code), (&mut names, &draft.name)] {
                if let Some(v) = value {
                    set.insert(v.trim().to_owned());
                    set.insert(norm(v));
                }
            }
        }
        let codes: Vec<String> = codes.into_iter().collect();
        let names: Vec<String> = names.into_iter().collect();
        Ok(self.store.projects_matching(&codes, &names).await?)
    }
}
