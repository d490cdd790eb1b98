//! Helpers of the ledger import: a stored project as the draft a spreadsheet row would give,
//! and a row's draft completed with the values of columns the file does not have.

use crate::excel::Field;
use crate::excel::projects_import::CellIssue;
use crate::excel::read::cell_ref;
use districtops_domain::cells::normalize_text;
use districtops_domain::money::Money;
use districtops_domain::projects::{Dates, KeyDates, LandArea, ProjectDraft, ProjectKind, Stage};
use districtops_store::ProjectRow;
use std::collections::HashMap;

/// A stored project as a draft, names instead of ids (`platforms` and `departments` map ids
/// to names).
pub(super) fn draft_of(
    row: &ProjectRow,
    platforms: &HashMap<i64, String>,
    departments: &HashMap<i64, String>,
) -> ProjectDraft {
    let d = |planned, actual| Dates { planned, actual };
    ProjectDraft {
        code: row.code.clone(),
        name: Some(row.name.clone()),
        platform: row.platform_id.and_then(|id| platforms.get(&id).cloned()),
        kind: ProjectKind::parse(&row.kind).ok(),
        stage: Stage::parse(&row.stage).ok(),
        department: departments.get(&row.department_id).cloned(),
        leader: row.leader_name.clone(),
        total_investment: Some(Money::from_yuan(row.total_investment)),
        completed_investment: Some(Money::from_yuan(row.completed_investment)),
        floor_area_m2: row.floor_area_m2,
        land_area: row.land_area_mu_x100.map(LandArea),
        address: row.address.clone(),
        longitude: row.longitude,
        latitude: row.latitude,
        dates: KeyDates {
            signing: d(row.planned_signing, row.actual_signing),
            start: d(row.planned_start, row.actual_start),
            structure: d(row.planned_structure, row.actual_structure),
            completion: d(row.planned_completion, row.actual_completion),
            operation: d(row.planned_operation, row.actual_operation),
        },
        notes: row.notes.clone(),
        illustrative: row.illustrative,
    }
}

/// `new` with every field whose column the file lacks taken from `old`: a sheet without a
/// 经度 column leaves the longitude as it is. Empty investment cells count as zero, as the
/// project form does.
#[allow(clippy::clone_on_copy)]
pub(super) fn keep_missing(new: &mut ProjectDraft, old: &ProjectDraft, present: &[Field]) {
    let has = |field: &str| present.iter().any(|f| f.draft_field() == Some(field));
    macro_rules! keep {
        ($($name:literal => $($path:ident).+;)*) => {$(
            if !has($name) {
                new.$($path).+ = old.$($path).+.clone();
            }
        )*};
    }
    keep! {
        "code" => code; "name" => name; "platform" => platform; "kind" => kind;
        "stage" => stage; "department" => department; "leader" => leader;
        "total_investment" => total_investment;
        "completed_investment" => completed_investment;
        "floor_area_m2" => floor_area_m2; "land_area" => land_area; "address" => address;
        "longitude" => longitude; "latitude" => latitude;
        "signing_planned" => dates.signing.planned; "signing_actual" => dates.signing.actual;
        "start_planned" => dates.start.planned; "start_actual" => dates.start.actual;
        "structure_planned" => dates.structure.planned;
        "structure_actual" => dates.structure.actual;
        "completion_planned" => dates.completion.planned;
        "completion_actual" => dates.completion.actual;
        "operation_planned" => dates.operation.planned;
        "operation_actual" => dates.operation.actual;
        "notes" => notes; "illustrative" => illustrative;
    }
    // Kind, stage and department are never emptied by an empty cell (as the update keeps them).
    new.kind = new.kind.or(old.kind);
    new.stage = new.stage.or(old.stage);
    if new
        .department
        .as_deref()
        .is_none_or(|d| d.trim().is_empty())
    {
        new.department = old.department.clone();
    }
    new.total_investment = new.total_investment.or(Some(Money::ZERO));
    new.completed_investment = new.completed_investment.or(Some(Money::ZERO));
}

/// The cell of `field` in Excel row `row` (1-based), or the row number when the file has no
/// such column.
pub(super) fn cell_of(columns: &[(usize, Field)], row: usize, field: &str) -> String {
    columns
        .iter()
        .find(|(_, f)| f.draft_field() == Some(field))
        .map_or_else(|| row.to_string(), |(col, _)| cell_ref(row - 1, *col))
}

/// An issue with `field`'s cell in row `row`, quoting `raw`.
pub(super) fn issue(
    columns: &[(usize, Field)],
    row: usize,
    field: &str,
    message_key: &'static str,
    raw: Option<&str>,
) -> CellIssue {
    CellIssue {
        cell: cell_of(columns, row, field),
        message_key,
        raw: raw.unwrap_or_default().to_owned(),
    }
}

/// Text compared the way `match_key` compares it.
pub(super) fn norm(text: &str) -> String {
    normalize_text(text)
}
