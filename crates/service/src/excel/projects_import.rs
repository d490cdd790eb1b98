//! Reading a project ledger as offices keep it: title rows above, a one- or two-row header
//! (merged cells such as "投资（亿元）" over "总投资" and "已完成"), Chinese header names with
//! units, and one project per row. Every row becomes a [`ProjectDraft`] or the list of all
//! its problems, each with its cell reference; nothing touches the database.

use super::projects_cells::parse_row;
use super::projects_fields::{Field, HeaderUnit, default_unit, resolve_header};
use super::projects_stream::map_in_parallel;
use super::read::{ReadError, Sheet, read_sheet};
use super::safety::{UploadError, UploadLimits, check_upload};
use districtops_domain::cells::{CellValue, normalize_text};
use districtops_domain::money::MoneyUnit;
use districtops_domain::projects::ProjectDraft;
use serde::Serialize;

/// How many rows from the top are searched for the header.
pub(super) const HEADER_SEARCH_ROWS: usize = 30;
/// A row is the header when at least this many of its cells name a known column.
const MIN_KNOWN_HEADERS: usize = 3;

/// Why a file could not be previewed at all; [`ImportError::message_key`] is the catalog key.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Upload(#[from] UploadError),
    #[error(transparent)]
    Read(#[from] ReadError),
    /// No row in the first 30 has three known headers.
    #[error("import.header.not_found")]
    HeaderNotFound,
}

impl ImportError {
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::Upload(e) => e.message_key(),
            Self::Read(e) => e.message_key(),
            Self::HeaderNotFound => "import.header.not_found",
        }
    }
}

/// One problem in one cell: "D14: 无法识别的日期 '2020.13.1'" once the web layer has looked up
/// the key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CellIssue {
    /// The A1 reference ("D14"), or the row number alone when the field has no column.
    pub cell: String,
    pub message_key: &'static str,
    /// The cell as typed.
    pub raw: String,
}

/// What became of one row of the sheet.
// Nearly every row is `Parsed`: boxing the draft would add an allocation per row and save
// no memory.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum RowOutcome {
    /// A project; `row` is the Excel row number (1-based).
    Parsed { row: usize, draft: ProjectDraft },
    /// A row with problems, every one of them listed, and its project's name as far as it
    /// could be read (empty when the name cell itself is missing or unreadable).
    Rejected {
        row: usize,
        name: String,
        errors: Vec<CellIssue>,
    },
    /// Nothing to import: an empty row (or one of "/", "—", "无") or a totals row (合计).
    Blank { row: usize },
}

/// A column the header names, with the unit its numbers are in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    /// 0-based column index.
    pub col: usize,
    pub field: Field,
    pub unit: Option<HeaderUnit>,
}

/// What an import would do, before anything is written.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportPreview {
    pub sheet: String,
    /// The Excel row number (1-based) of the header's first row.
    pub header_row: usize,
    /// 1 or 2: how many rows the header takes.
    pub header_height: usize,
    /// The known columns, as (0-based column, field), left to right.
    pub columns: Vec<(usize, Field)>,
    /// Headers not recognised (or naming a field a column to their left already has).
    pub unknown_columns: Vec<String>,
    pub rows: Vec<RowOutcome>,
}

impl ImportPreview {
    /// The drafts of the rows that parsed.
    pub fn drafts(&self) -> impl Iterator<Item = &ProjectDraft> {
        self.rows.iter().filter_map(|r| match r {
            RowOutcome::Parsed { draft, .. } => Some(draft),
            _ => None,
        })
    }
}

/// Checks the upload, reads the named (or first) sheet and previews it.
pub fn preview_projects(
    bytes: &[u8],
    sheet: Option<&str>,
    limits: &UploadLimits,
) -> Result<ImportPreview, ImportError> {
    check_upload(bytes, limits)?;
    let mut sheet = read_sheet(bytes, sheet)?;
    preview_sheet(&mut sheet)
}

/// Previews a sheet already read (its header merges are expanded here).
pub fn preview_sheet(sheet: &mut Sheet) -> Result<ImportPreview, ImportError> {
    let layout = Layout::find(sheet)?;
    let sheet = &*sheet;
    let rows = map_in_parallel(layout.first_data..sheet.height(), |r| layout.row(sheet, r));
    Ok(layout.preview(sheet, rows))
}

/// Where a sheet's header is and what its columns hold.
pub(super) struct Layout {
    header: usize,
    two_rows: bool,
    columns: Vec<Column>,
    unknown_columns: Vec<String>,
    pub(super) first_data: usize,
}

impl Layout {
    /// Finds the header in the first rows of `sheet` (expanding their merged cells).
    pub(super) fn find(sheet: &mut Sheet) -> Result<Self, ImportError> {
        sheet.expand_merges(0..HEADER_SEARCH_ROWS + 2);
        let found = (0..HEADER_SEARCH_ROWS.min(sheet.height()))
            .find(|&r| known_headers(sheet, r) >= MIN_KNOWN_HEADERS)
            .ok_or(ImportError::HeaderNotFound)?;
        // Group cells ("投资（亿元）" merged over "总投资" and "已完成") may sit in the row
        // above the one with most names.
        let (header, two_rows) = match found.checked_sub(1) {
            Some(above) if groups_matter(sheet, above) => (above, true),
            _ => (found, has_sub_header(sheet, found)),
        };
        let note = money_unit_note(sheet, header);
        let (columns, unknown_columns) = columns(sheet, header, two_rows, note);
        Ok(Self {
            header,
            two_rows,
            columns,
            unknown_columns,
            first_data: header + if two_rows { 2 } else { 1 },
        })
    }

    /// What becomes of data row `r` (0-based).
    pub(super) fn row(&self, sheet: &Sheet, r: usize) -> RowOutcome {
        let row = r + 1;
        if is_blank_row(sheet, r, &self.columns) || is_totals_row(sheet, r) {
            RowOutcome::Blank { row }
        } else {
            match parse_row(sheet, r, &self.columns) {
                Ok(draft) => RowOutcome::Parsed { row, draft },
                Err((name, errors)) => RowOutcome::Rejected { row, name, errors },
            }
        }
    }

    pub(super) fn preview(&self, sheet: &Sheet, rows: Vec<RowOutcome>) -> ImportPreview {
        ImportPreview {
            sheet: sheet.name.clone(),
            header_row: self.header + 1,
            header_height: if self.two_rows { 2 } else { 1 },
            columns: self.columns.iter().map(|c| (c.col, c.field)).collect(),
            unknown_columns: self.unknown_columns.clone(),
            rows,
        }
    }
}

fn text_of(cell: &CellValue) -> Option<&str> {
    match cell {
        CellValue::Text(text) if !normalize_text(text).is_empty() => Some(text),
        _ => None,
    }
}

fn known_headers(sheet: &Sheet, row: usize) -> usize {
    sheet
        .row_cells(row)
        .iter()
        .filter_map(|(_, cell)| text_of(cell))
        .filter(|text| resolve_header(None, text).is_some())
        .count()
}

/// Whether the row under the header is a second header row: a merged header cell spans
/// more than one cell, or every cell under the header is text that repeats the cell above
/// or names a column together with it ("计划" under "开工时间").
fn has_sub_header(sheet: &Sheet, header: usize) -> bool {
    let merged_down = sheet
        .merges
        .iter()
        .any(|m| m.first_row == header && m.last_row > m.first_row);
    if merged_down || groups_matter(sheet, header) {
        return true;
    }
    let cells = sheet.row_cells(header + 1);
    let non_blank: Vec<&(usize, CellValue)> =
        cells.iter().filter(|(_, c)| !is_blankish(c)).collect();
    non_blank.len() >= 2
        && non_blank.iter().all(|(col, cell)| {
            let above = text_of(sheet.cell(header, *col));
            text_of(cell).is_some_and(|text| {
                above == Some(text)
                    || above.is_some_and(|p| resolve_header(Some(p), text).is_some())
            })
        })
}

fn columns(
    sheet: &Sheet,
    header: usize,
    two_rows: bool,
    note: Option<MoneyUnit>,
) -> (Vec<Column>, Vec<String>) {
    let width = sheet
        .width(header)
        .max(if two_rows { sheet.width(header + 1) } else { 0 });
    let mut known: Vec<Column> = Vec::new();
    let mut unknown = Vec::new();
    for col in 0..width {
        let top = text_of(sheet.cell(header, col));
        let below = if two_rows {
            text_of(sheet.cell(header + 1, col))
        } else {
            None
        };
        let (parent, child) = match (top, below) {
            (Some(p), Some(c)) if p != c => (Some(p), c),
            (Some(p), _) => (None, p),
            (None, Some(c)) => (None, c),
            (None, None) => continue,
        };
        match resolve_header(parent, child) {
            Some((field, unit)) if !known.iter().any(|k| k.field == field) => known.push(Column {
                col,
                field,
                unit: unit
                    .or_else(|| default_unit(field).and(note.map(HeaderUnit::Money)))
                    .or_else(|| default_unit(field)),
            }),
            _ => unknown.push(match parent {
                Some(p) => format!("{} / {}", normalize_text(p), normalize_text(child)),
                None => normalize_text(child),
            }),
        }
    }
    (known, unknown)
}

/// Whether a cell of `row` merged across columns changes what the cells under it mean: it
/// gives them a unit ("投资（亿元）") or names a column with them ("开工时间" over "计划").
/// A title merged over the table changes nothing.
fn groups_matter(sheet: &Sheet, row: usize) -> bool {
    sheet
        .merges
        .iter()
        .filter(|m| m.first_row == row && m.last_row == row && m.last_col > m.first_col)
        .any(|m| {
            let Some(parent) = text_of(sheet.cell(row, m.first_col)) else {
                return false;
            };
            (m.first_col..=m.last_col).any(|col| {
                text_of(sheet.cell(row + 1, col)).is_some_and(|child| {
                    let alone = resolve_header(None, child);
                    let under = resolve_header(Some(parent), child);
                    under.is_some() && under != alone
                })
            })
        })
}

/// The money unit a note above the header gives the whole table ("单位：亿元",
/// "金额单位：万元"); money columns whose header names no unit are in it.
fn money_unit_note(sheet: &Sheet, header: usize) -> Option<MoneyUnit> {
    (0..header)
        .flat_map(|r| sheet.row_cells(r))
        .filter_map(|(_, cell)| text_of(cell))
        .find_map(|text| {
            let text = normalize_text(text);
            let (_, rest) = text.split_once("单位")?;
            let rest = rest.trim_start_matches([':', ' ']);
            let word: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
            MoneyUnit::parse(&word)
        })
}

/// "", "/", "—", "-", "无" and the like: nothing was entered.
pub(crate) fn is_blankish(cell: &CellValue) -> bool {
    match cell {
        CellValue::Empty => true,
        CellValue::Text(text) => {
            let text = normalize_text(text);
            matches!(
                text.as_str(),
                "" | "/" | "\\" | "-" | "--" | "—" | "——" | "–" | "无" | "暂无" | "空"
            )
        }
        _ => false,
    }
}

fn is_blank_row(sheet: &Sheet, row: usize, columns: &[Column]) -> bool {
    columns
        .iter()
        .filter(|c| !matches!(c.field, Field::Serial | Field::Status))
        .all(|c| is_blankish(sheet.cell(row, c.col)))
}

/// A row whose first cell with text says 合计, 总计 or 小计 (with or without spaces).
fn is_totals_row(sheet: &Sheet, row: usize) -> bool {
    sheet
        .row_cells(row)
        .iter()
        .find_map(|(_, cell)| text_of(cell))
        .is_some_and(|text| {
            let text: String = normalize_text(text)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            matches!(text.as_str(), "合计" | "总计" | "小计" | "累计" | "合计:")
        })
}
