//! Planning an import a block of rows at a time, each row matched and classified as if the
//! whole file were matched at once against the ledger as it stood before the import.

use super::import::{Existing, ImportRow, Names};
use super::import_report::ImportAction;
use super::import_rows::norm;
use crate::excel::MatchKey;
use crate::excel::projects_import::{ImportPreview, RowOutcome};
use crate::{Ctx, ServiceResult, Services};
use districtops_store::ProjectRow;
use std::collections::{HashMap, HashSet};

/// Matches an import's rows, a block at a time, as if all were matched at once against the
/// ledger as it stood before the import. The ledger is read outside the import's
/// transaction, so what earlier blocks wrote is not seen: the projects they created are not
/// matched, those they updated are matched as they were. Blocks may so be planned while
/// earlier ones are still being written.
pub(super) struct Planner {
    names: Names,
    /// The keys of the rows planned so far (a second row with one is a duplicate).
    seen: HashSet<MatchKey>,
    /// The ledger's codes and names, normalised, read on first need.
    ledger: Option<LedgerKeys>,
}

/// The ids of the committed projects by code and by name, both normalised as a row's are: a
/// code typed full-width in the form (ＨＹ－００１) is found by the file's HY-001.
#[derive(Default)]
struct LedgerKeys {
    codes: HashMap<String, Vec<i64>>,
    names: HashMap<String, Vec<i64>>,
}

impl LedgerKeys {
    fn new(keys: Vec<(i64, Option<String>, String)>) -> Self {
        let mut ledger = Self::default();
        for (id, code, name) in keys {
            if let Some(code) = code {
                ledger.codes.entry(norm(&code)).or_default().push(id);
            }
            ledger.names.entry(norm(&name)).or_default().push(id);
        }
        ledger
    }
}

impl Services {
    /// A planner for one import, whose rows may come a block at a time.
    pub(super) async fn planner(&self) -> ServiceResult<Planner> {
        Ok(Planner {
            names: self.import_names().await?,
            seen: HashSet::new(),
            ledger: None,
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
        let candidates = self.candidates(planner, rows).await?;
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
    async fn candidates(
        &self,
        planner: &mut Planner,
        rows: &[RowOutcome],
    ) -> ServiceResult<Vec<ProjectRow>> {
        let drafts: Vec<_> = rows
            .iter()
            .filter_map(|r| match r {
                RowOutcome::Parsed { draft, .. } => Some(draft),
                _ => None,
            })
            .collect();
        if drafts.is_empty() {
            return Ok(Vec::new());
        }
        let ledger = match &mut planner.ledger {
            Some(ledger) => ledger,
            None => planner
                .ledger
                .insert(LedgerKeys::new(self.store.project_keys().await?)),
        };
        let mut ids = Vec::new();
        for draft in drafts {
            for (keys, value) in [(&ledger.codes, &draft.code), (&ledger.names, &draft.name)] {
                if let Some(found) = value.as_deref().and_then(|v| keys.get(&norm(v))) {
                    ids.extend_from_slice(found);
                }
            }
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(self.store.projects_by_id(&ids).await?)
    }
}
