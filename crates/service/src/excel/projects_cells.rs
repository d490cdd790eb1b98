//! One ledger row into a [`ProjectDraft`], or every problem in it by cell.

use super::projects_fields::{Field, HeaderUnit, unit_of};
use super::projects_import::{CellIssue, Column, is_blankish};
use super::projects_values::{parse_kind, parse_stage, scale_round};
use super::read::{Sheet, cell_ref};
use districtops_domain::cells::{CellValue, normalize_text, parse_date, parse_number};
use districtops_domain::money::{Money, MoneyUnit};
use districtops_domain::projects::{Dates, LandArea, ProjectDraft};

/// A failed cell: the catalog key of what is wrong with it.
type CellResult<T> = Result<T, &'static str>;

/// Reads row `row` (0-based) through `columns`; every cell is tried, so the error list is
/// complete, and [`ProjectDraft::check`] runs over what parsed.
pub(crate) fn parse_row(
    sheet: &Sheet,
    row: usize,
    columns: &[Column],
) -> Result<ProjectDraft, (String, Vec<CellIssue>)> {
    let mut draft = ProjectDraft::default();
    let mut issues = Vec::new();
    let mut failed: Vec<&'static str> = Vec::new();
    for column in columns {
        let cell = sheet.cell(row, column.col);
        if is_blankish(cell) {
            continue;
        }
        if let Err(key) = fill(&mut draft, column, cell) {
            issues.push(CellIssue {
                cell: cell_ref(row, column.col),
                message_key: key,
                raw: cell.raw_text(),
            });
            failed.extend(column.field.draft_field());
        }
    }
    if let Err(errors) = draft.check() {
        for error in errors.0 {
            if failed.contains(&error.field) {
                continue;
            }
            let column = columns
                .iter()
                .find(|c| c.field.draft_field() == Some(error.field));
            let (cell, raw) = match column {
                Some(c) => (cell_ref(row, c.col), sheet.cell(row, c.col).raw_text()),
                None => ((row + 1).to_string(), String::new()),
            };
            issues.push(CellIssue {
                cell,
                message_key: error.message,
                raw,
            });
        }
    }
    if issues.is_empty() {
        Ok(draft)
    } else {
        Err((draft.name.unwrap_or_default(), issues))
    }
}

fn fill(draft: &mut ProjectDraft, column: &Column, cell: &CellValue) -> CellResult<()> {
    use Field::*;
    match column.field {
        Serial | Status => {}
        Code => draft.code = Some(normalize_text(&text(cell))),
        Name => draft.name = Some(one_line(cell)),
        Platform => draft.platform = Some(one_line(cell)),
        Department => draft.department = Some(one_line(cell)),
        Leader => draft.leader = Some(one_line(cell)),
        Address => draft.address = Some(one_line(cell)),
        // Line breaks (Alt+Enter) are control characters to `clean_text`: one line it is.
        Notes => draft.notes = Some(one_line(cell)),
        Illustrative => draft.illustrative = yes_no(cell)?,
        Kind => draft.kind = Some(parse_kind(&text(cell)).ok_or("project.kind.invalid")?),
        Stage => draft.stage = Some(parse_stage(&text(cell)).ok_or("project.stage.invalid")?),
        TotalInvestment => draft.total_investment = Some(money(cell, column.unit)?),
        CompletedInvestment => draft.completed_investment = Some(money(cell, column.unit)?),
        FloorArea => draft.floor_area_m2 = Some(floor_area(cell, column.unit)?),
        LandArea => draft.land_area = Some(self::LandArea(land_area(cell, column.unit)?)),
        Longitude => draft.longitude = Some(degrees(cell)?),
        Latitude => draft.latitude = Some(degrees(cell)?),
        field => {
            let planned = matches!(
                field,
                SigningPlanned
                    | StartPlanned
                    | StructurePlanned
                    | CompletionPlanned
                    | OperationPlanned
            );
            let date = parse_date(cell).map_err(|e| e.message_key())?;
            // A month alone: planned dates are deadlines (the month's last day), actual
            // dates are taken as the month's first day.
            let day = if planned {
                date.last_day()
            } else {
                date.first_day()
            };
            let day = day.ok_or("cell.date.impossible")?;
            let dates = dates_of(draft, field);
            if planned {
                dates.planned = Some(day);
            } else {
                dates.actual = Some(day);
            }
        }
    }
    Ok(())
}

fn dates_of(draft: &mut ProjectDraft, field: Field) -> &mut Dates {
    use Field::*;
    let d = &mut draft.dates;
    match field {
        SigningPlanned | SigningActual => &mut d.signing,
        StartPlanned | StartActual => &mut d.start,
        StructurePlanned | StructureActual => &mut d.structure,
        CompletionPlanned | CompletionActual => &mut d.completion,
        _ => &mut d.operation,
    }
}

/// [`text`] with every run of white space (line breaks, the ideographic space) made one
/// space: names typed with "中国重汽\u{3000}\u{3000}总部" match "中国重汽 总部".
fn one_line(cell: &CellValue) -> String {
    text(cell).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text as typed, trimmed; numbers as Excel shows them (a code typed as 2024001). The
/// apostrophe an export puts before text that looks like a formula ("'-3号楼") goes again.
fn text(cell: &CellValue) -> String {
    match cell {
        CellValue::Text(text) => {
            let text = text.trim();
            match text.strip_prefix('\'') {
                Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_owned(),
                _ => text.to_owned(),
            }
        }
        other => other.raw_text(),
    }
}

fn money(cell: &CellValue, unit: Option<HeaderUnit>) -> CellResult<Money> {
    let unit = match unit {
        Some(HeaderUnit::Money(unit)) => unit,
        _ => MoneyUnit::Wan,
    };
    let number = parse_number(cell).map_err(|e| e.message_key())?;
    number.to_money(unit).map_err(|e| e.message_key())
}

/// Square metres, whole (rounded half away from zero): "3.5万平方米" or 3.5 under
/// "建筑面积（万平方米）" is 35 000.
fn floor_area(cell: &CellValue, unit: Option<HeaderUnit>) -> CellResult<i64> {
    let number = parse_number(cell)
        .map_err(|e| e.message_key())?
        .expand_magnitude();
    let factor = match (number.unit_text.as_deref(), unit) {
        (None, Some(HeaderUnit::SquareMetres(factor))) => factor,
        (None, _) => 1,
        (Some(written), _) => match unit_of(written) {
            Some(HeaderUnit::SquareMetres(factor)) => factor,
            _ => return Err("import.cell.unit_unknown"),
        },
    };
    scale_round(&number.digits, factor.into(), 1).ok_or("cell.number.invalid")
}

/// Hundredths of a 亩 (rounded half away from zero), from 亩, 公顷 (15 亩) or 平方米
/// (1 亩 is 2000/3 m²).
fn land_area(cell: &CellValue, unit: Option<HeaderUnit>) -> CellResult<i64> {
    let number = parse_number(cell)
        .map_err(|e| e.message_key())?
        .expand_magnitude();
    let unit = match number.unit_text.as_deref() {
        None => unit.unwrap_or(HeaderUnit::Mu),
        Some(written) => unit_of(written).ok_or("import.cell.unit_unknown")?,
    };
    let (num, den) = match unit {
        HeaderUnit::Mu => (100, 1),
        HeaderUnit::Hectare => (1_500, 1),
        HeaderUnit::SquareMetres(factor) => (3 * i128::from(factor), 20),
        HeaderUnit::Money(_) => return Err("import.cell.unit_unknown"),
    };
    scale_round(&number.digits, num, den).ok_or("cell.number.invalid")
}

/// 是/否 as offices type it: 是, Y, yes, true, √, ✓, 1 (and 否, N, no, false, ×, ✗, 0).
fn yes_no(cell: &CellValue) -> CellResult<bool> {
    if let CellValue::Bool(value) = cell {
        return Ok(*value);
    }
    let typed = normalize_text(&text(cell)).to_lowercase();
    match typed.as_str() {
        "是" | "y" | "yes" | "true" | "√" | "✓" | "✔" | "1" | "示例" => Ok(true),
        "否" | "n" | "no" | "false" | "×" | "✗" | "✘" | "x" | "0" | "" => Ok(false),
        _ => Err("import.cell.yes_no_invalid"),
    }
}

fn degrees(cell: &CellValue) -> CellResult<f64> {
    let number = parse_number(cell).map_err(|e| e.message_key())?;
    if number.unit_text.as_deref().is_some_and(|u| u != "°") {
        return Err("import.cell.unit_unknown");
    }
    number.digits.parse().map_err(|_| "cell.number.invalid")
}
