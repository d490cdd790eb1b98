//! Importing the project ledger from a spreadsheet: every row matched to a project (by code,
//! else by platform and name) and classified as created, updated (with the fields that
//! change), unchanged or rejected (with every problem, by cell); then all accepted rows
//! applied in one transaction through the same create and update code as the form, or none.

use super::import_rows::{draft_of, issue, keep_missing, norm};
use crate::excel::projects_import::{CellIssue, ImportPreview, preview_projects};
use crate::excel::safety::UploadLimits;
use crate::excel::{MatchKey, changed_fields, match_key};
use crate::{Ctx, ServiceError, ServiceResult, Services};
use districtops_domain::access::{Permission, RecordOwner};
use districtops_domain::projects::{ProjectDraft, Stage};
use districtops_domain::{DepartmentId, FieldError, FieldErrors};
use districtops_store::ProjectRow;
use std::collections::{HashMap, HashSet};

pub use super::import_apply::ImportProgress;
pub use super::import_report::{FieldDiff, ImportAction, ImportCounts, ImportReport, ImportRow};

/// The file refused as a whole, as a field error of `file`.
pub(super) fn refused(key: &'static str) -> ServiceError {
    ServiceError::Invalid(FieldErrors(vec![FieldError::new("file", key)]))
}

/// Checks and reads the upload (no database).
pub(super) fn read_ledger(bytes: &[u8]) -> ServiceResult<ImportPreview> {
    preview_projects(bytes, None, &UploadLimits::default()).map_err(|e| refused(e.message_key()))
}

/// The projects an import may match, indexed the two ways a row looks them up, so a file of
/// 100,000 rows against a ledger as large costs 200,000 look-ups, not 10^10 comparisons.
/// Where several projects share a key, the first by id wins (as a search in id order would).
pub(super) struct Existing<'a> {
    /// By the key a row matches on: the code, else platform and name (both normalised).
    by_key: HashMap<MatchKey, &'a ProjectRow>,
    /// By name as stored and platform (normalised): a new row may not take that pair.
    by_name: HashMap<(String, Option<String>), &'a ProjectRow>,
}

impl<'a> Existing<'a> {
    /// `rows` in id order.
    pub(super) fn new(rows: &'a [ProjectRow], names: &Names) -> Self {
        let mut by_key = HashMap::new();
        let mut by_name = HashMap::new();
        for p in rows {
            let platform = p
                .platform_id
                .and_then(|id| names.platforms.get(&id))
                .map(|n| norm(n));
            let key = match &p.code {
                Some(code) => MatchKey::Code(norm(code)),
                None => MatchKey::PlatformName {
                    platform: platform.clone().unwrap_or_default(),
                    name: norm(&p.name),
                },
            };
            by_key.entry(key).or_insert(p);
            by_name.entry((p.name.clone(), platform)).or_insert(p);
        }
        Self { by_key, by_name }
    }
}

/// Names of platforms and departments, both ways.
pub(super) struct Names {
    platforms: HashMap<i64, String>,
    departments: HashMap<i64, String>,
    platform_ids: HashMap<String, i64>,
    /// Department name → ids (two departments may share a name).
    department_ids: HashMap<String, Vec<i64>>,
}

impl Services {
    /// Refuses a caller who may not import (to show the upload form only to those who may).
    pub fn may_import(&self, ctx: &Ctx) -> ServiceResult<()> {
        ctx.require(Permission::WriteBusiness)
    }

    /// What importing `bytes` would do, without writing anything: every row classified
    /// against the committed ledger, outside any transaction (on SQLite, one would hold the
    /// one writer connection while a large workbook is read and matched).
    pub async fn preview_import(&self, ctx: &Ctx, bytes: &[u8]) -> ServiceResult<ImportReport> {
        ctx.require(Permission::WriteBusiness)?;
        let preview = read_ledger(bytes)?;
        let mut planner = self.planner().await?;
        let rows = self
            .plan_rows(ctx, &mut planner, &preview, &preview.rows)
            .await?;
        Ok(ImportReport {
            sheet: preview.sheet,
            unknown_columns: preview.unknown_columns,
            rows,
        })
    }

    pub(super) async fn import_names(&self) -> ServiceResult<Names> {
        let platforms: HashMap<i64, String> = self
            .store
            .platforms()
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect();
        let departments: HashMap<i64, String> = self
            .store
            .departments()
            .await?
            .into_iter()
            .map(|d| (d.id, d.name))
            .collect();
        let platform_ids = platforms.iter().map(|(id, n)| (norm(n), *id)).collect();
        let mut department_ids: HashMap<String, Vec<i64>> = HashMap::new();
        for (id, name) in &departments {
            department_ids.entry(norm(name)).or_default().push(*id);
        }
        Ok(Names {
            platforms,
            departments,
            platform_ids,
            department_ids,
        })
    }

    /// One parsed row: checked, names resolved, scope checked, matched and compared.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn classify(
        &self,
        ctx: &Ctx,
        preview: &ImportPreview,
        names: &Names,
        existing: &Existing<'_>,
        seen: &mut HashSet<MatchKey>,
        row: usize,
        draft: &ProjectDraft,
    ) -> ImportRow {
        let columns = &preview.columns;
        let present: Vec<_> = columns.iter().map(|(_, f)| *f).collect();
        let name = draft.name.clone().unwrap_or_default();
        let reject = |issues: Vec<CellIssue>| ImportRow {
            row,
            name: name.clone(),
            action: ImportAction::Rejected { issues },
            plan: None,
        };
        let key = match_key(draft);
        if let Some(key) = &key
            && !seen.insert(key.clone())
        {
            return reject(vec![issue(
                columns,
                row,
                "name",
                "import.row.duplicate",
                Some(&name),
            )]);
        }
        let found = key.and_then(|key| existing.by_key.get(&key).copied());
        let mut draft = draft.clone();
        let old = found.map(|p| draft_of(p, &names.platforms, &names.departments));
        if let Some(old) = &old {
            keep_missing(&mut draft, old, &present);
        }
        let mut issues = Vec::new();
        if let Err(errors) = draft.check() {
            for e in errors.0 {
                issues.push(issue(columns, row, e.field, e.message, None));
            }
        }
        if let Some(platform) = draft.platform.as_deref().filter(|p| !p.trim().is_empty())
            && !names.platform_ids.contains_key(&norm(platform))
        {
            issues.push(issue(
                columns,
                row,
                "platform",
                "import.platform.unknown",
                Some(platform),
            ));
        }
        let department = match draft.department.as_deref().filter(|d| !d.trim().is_empty()) {
            None => found.map(|p| p.department_id),
            Some(text) => match names.department_ids.get(&norm(text)).map(Vec::as_slice) {
                Some([id]) => Some(*id),
                Some(_) => {
                    issues.push(issue(
                        columns,
                        row,
                        "department",
                        "project.department.ambiguous",
                        Some(text),
                    ));
                    None
                }
                None => {
                    issues.push(issue(
                        columns,
                        row,
                        "department",
                        "import.department.unknown",
                        Some(text),
                    ));
                    None
                }
            },
        };
        let reachable = |id: i64| {
            ctx.require_reach(RecordOwner {
                department: DepartmentId(id),
                user: None,
            })
            .is_ok()
        };
        let outside = department.is_some_and(|d| !reachable(d))
            || found.is_some_and(|p| !reachable(p.department_id));
        if outside {
            let raw = draft.department.clone().unwrap_or_default();
            issues.push(issue(
                columns,
                row,
                "department",
                "import.department.outside_scope",
                Some(&raw),
            ));
        }
        if let (Some(p), Some(to)) = (found, draft.stage)
            && let Ok(from) = Stage::parse(&p.stage)
            && let Err(e) = Stage::check_transition(from, to, false)
        {
            let raw = crate::excel::stage_label(to);
            issues.push(issue(
                columns,
                row,
                "stage",
                e.to_field_error().message,
                Some(raw),
            ));
        }
        if !issues.is_empty() {
            return reject(issues);
        }
        // The names as stored, so the write resolves exactly what the preview matched
        // ("区住建局" typed with full-width or extra spaces).
        if let Some(id) = department {
            draft.department = names.departments.get(&id).cloned();
        }
        if let Some(id) = draft
            .platform
            .as_deref()
            .and_then(|p| names.platform_ids.get(&norm(p)))
        {
            draft.platform = names.platforms.get(id).cloned();
        }
        // A new project may not take the platform and name of one already in the ledger (it
        // would fail the unique key when applied).
        if found.is_none()
            && let Some(other) = existing
                .by_name
                .get(&(name.trim().to_owned(), draft.platform.as_deref().map(norm)))
        {
            return reject(vec![issue(
                columns,
                row,
                "name",
                "project.ledger.name_taken",
                Some(&other.name),
            )]);
        }
        let (action, target) = match (found, &old) {
            (Some(p), Some(old)) => {
                let changed = changed_fields(old, &draft);
                if changed.is_empty() {
                    (ImportAction::Unchanged, None)
                } else {
                    (
                        ImportAction::Updated { changed },
                        Some(Some((p.id, p.version))),
                    )
                }
            }
            _ => (ImportAction::Created, Some(None)),
        };
        ImportRow {
            row,
            name,
            action,
            plan: target.map(|t| (draft, t)),
        }
    }
}
