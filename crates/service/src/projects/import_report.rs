//! What an import does with each row, and the counts: the report the CLI prints and the
//! preview page shows.

use crate::excel::projects_import::CellIssue;
use districtops_domain::projects::ProjectDraft;
use serde::Serialize;

/// One changed field: name (as `field_texts` names it), before, after.
pub type FieldDiff = (&'static str, Option<String>, Option<String>);

/// What the import does with one row.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ImportAction {
    Created,
    Updated { changed: Vec<FieldDiff> },
    Unchanged,
    Rejected { issues: Vec<CellIssue> },
}

/// One row of the sheet and what becomes of it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ImportRow {
    /// The Excel row number (1-based).
    pub row: usize,
    /// The project's name as the row gives it.
    pub name: String,
    #[serde(flatten)]
    pub action: ImportAction,
    /// The draft to write and the project (id, version) it updates.
    #[serde(skip)]
    pub(super) plan: Option<(ProjectDraft, Option<(i64, i64)>)>,
}

/// What an import does (or did), row by row.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ImportReport {
    pub sheet: String,
    pub unknown_columns: Vec<String>,
    pub rows: Vec<ImportRow>,
}

/// How many rows of each kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: usize,
}

impl ImportReport {
    pub fn counts(&self) -> ImportCounts {
        let mut c = ImportCounts::default();
        for row in &self.rows {
            match row.action {
                ImportAction::Created => c.created += 1,
                ImportAction::Updated { .. } => c.updated += 1,
                ImportAction::Unchanged => c.unchanged += 1,
                ImportAction::Rejected { .. } => c.rejected += 1,
            }
        }
        c
    }

    /// The rejected rows with their issues.
    pub fn rejected(&self) -> impl Iterator<Item = (usize, &[CellIssue])> {
        self.rows.iter().filter_map(|r| match &r.action {
            ImportAction::Rejected { issues } => Some((r.row, issues.as_slice())),
            _ => None,
        })
    }
}
