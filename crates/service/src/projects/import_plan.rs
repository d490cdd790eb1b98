//! Planning an import a block of rows at a time, each row matched and classified as if the
//! whole file were matched at once against the ledger as it stood before the import.

use super::import::{Existing, ImportRow, Names};
use super::import_report::ImportAction;
use super::import_rows::norm;
use crate::excel::MatchKey;
use crate::excel::projects_import::{ImportPreview, RowOutcome};
use crate::{Ctx, ServiceResult, Services};
use districtops_store::{ProjectRow, Tx};
use std::collections::{HashMap, HashSet};

/// Matches an import's rows, a block at a time, as if all were matched against the ledger
/// as it stood before the import: the projects it created are left out of later blocks'
/// matches, and those it updated are matched as they were.
pub(super) struct Planner {
    names: Names,
    /// The keys of the rows planned so far (a second row with one is a duplicate).
    seen: HashSet<MatchKey>,
    /// Projects the import created (`None`) or is to update (their row before).
    touched: HashMap<i64, Option<ProjectRow>>,
}

impl Planner {
    /// Notes projects the import created.
    pub(super) fn created(&mut self, ids: impl IntoIterator<Item = i64>) {
        self.touched.extend(ids.into_iter().map(|id| (id, None)));
    }
}

impl Services {
    /// A planner for one import, whose rows may come a block at a time.
    pub(super) async fn planner(&self) -> ServiceResult<Planner> {
        Ok(Planner {
            names: self.import_names().await?,
            seen: HashSet::new(),
            touched: HashMap::new(),
        })
    }

    /// Classifies `rows` of the sheet `head` describes, inside `tx`: matched against the
    /// ledger as it was before the import, whatever earlier blocks of it wrote.
    pub(super) async fn plan_rows(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        planner: &mut Planner,
        head: &ImportPreview,
        rows: &[RowOutcome],
    ) -> ServiceResult<Vec<ImportRow>> {
        let candidates = self.candidates(tx, planner, rows).await?;
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
            let classified =
                self.classify(ctx, head, names, &existing, &mut planner.seen, row, draft);
            if let Some((_, Some((id, _)))) = &classified.plan
                && let Some(before) = existing.by_id(*id)
            {
                planner
                    .touched
                    .entry(*id)
                    .or_insert_with(|| Some(before.clone()));
            }
            planned.push(classified);
        }
        Ok(planned)
    }

    /// The projects any of `rows` could match, fetched in batches by code and by name, as
    /// they were before the import (see [`Planner`]), in id order.
    async fn candidates(
        &self,
        tx: &mut Tx,
        planner: &Planner,
        rows: &[RowOutcome],
    ) -> ServiceResult<Vec<ProjectRow>> {
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
        // Projects this import updated may match under the code or name they had.
        let mut found: Vec<ProjectRow> = planner
            .touched
            .values()
            .flatten()
            .filter(|p| {
                p.code.as_ref().is_some_and(|c| codes.contains(c)) || names.contains(&p.name)
            })
            .cloned()
            .collect();
        let codes: Vec<String> = codes.into_iter().collect();
        let names: Vec<String> = names.into_iter().collect();
        let stored = self.store.projects_matching_in(tx, &codes, &names).await?;
        // As they were: those it created left out, those it updated as they were before.
        found.extend(
            stored
                .into_iter()
                .filter(|p| !planner.touched.contains_key(&p.id)),
        );
        found.sort_by_key(|p| p.id);
        Ok(found)
    }
}
