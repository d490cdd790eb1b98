//! One sheet of an xlsx as rows of [`CellValue`], read with calamine.
//!
//! Cells are streamed one by one and kept sparsely (only the cells that hold something), so a
//! hostile file with one cell in A1 and one in XFD1048576 costs two cells, not seventeen
//! billion. Positions are absolute: row 0 is Excel's row 1, column 0 is column A, whatever
//! the sheet's used range starts at. Call [`crate::excel::safety::check_upload`] first.

mod merges;

use calamine::{Data, Reader, Xlsx};
use districtops_domain::cells::CellValue;
use std::io::Cursor;

/// Columns beyond this are ignored: a ledger has a few dozen.
pub const MAX_COLUMNS: u32 = 512;

/// The most cells [`Sheet::expand_merges`] fills in.
const MAX_EXPANDED_CELLS: usize = 20_000;

/// Why a sheet could not be read; [`ReadError::message_key`] is the catalog key.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// Not a workbook calamine can open, or a sheet whose XML is broken.
    #[error("import.file.unreadable")]
    Unreadable,
    /// No sheet of that name, or a workbook without sheets.
    #[error("import.sheet.not_found")]
    SheetNotFound,
}

impl ReadError {
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::Unreadable => "import.file.unreadable",
            Self::SheetNotFound => "import.sheet.not_found",
        }
    }
}

/// A merged region: rows and columns inclusive, 0-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Merge {
    pub first_row: usize,
    pub last_row: usize,
    pub first_col: usize,
    pub last_col: usize,
}

/// The cells of one sheet.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sheet {
    pub name: String,
    /// Per row, the cells that hold something, sorted by column.
    rows: Vec<Vec<(usize, CellValue)>>,
    pub merges: Vec<Merge>,
}

const EMPTY: CellValue = CellValue::Empty;

impl Sheet {
    /// A sheet from dense rows (tests, and callers that already have cells).
    pub fn from_rows(name: &str, rows: Vec<Vec<CellValue>>, merges: Vec<Merge>) -> Self {
        let mut sheet = Self {
            name: name.to_owned(),
            rows: Vec::new(),
            merges,
        };
        for (r, row) in rows.into_iter().enumerate() {
            for (c, value) in row.into_iter().enumerate() {
                sheet.set(r, c, value);
            }
        }
        sheet
    }

    /// The number of rows up to the last one that holds a cell.
    pub fn height(&self) -> usize {
        self.rows.len()
    }

    /// The width of row `row`: one past its last cell.
    pub fn width(&self, row: usize) -> usize {
        self.rows
            .get(row)
            .and_then(|cells| cells.last())
            .map_or(0, |(c, _)| c + 1)
    }

    /// The cell at `row`, `col` (0-based); [`CellValue::Empty`] outside the data.
    pub fn cell(&self, row: usize, col: usize) -> &CellValue {
        self.rows
            .get(row)
            .and_then(|cells| {
                cells
                    .binary_search_by_key(&col, |(c, _)| *c)
                    .ok()
                    .map(|i| &cells[i].1)
            })
            .unwrap_or(&EMPTY)
    }

    /// The cells of `row` that hold something, as (column, value), by column.
    pub fn row_cells(&self, row: usize) -> &[(usize, CellValue)] {
        self.rows.get(row).map_or(&[], Vec::as_slice)
    }

    /// Lets go of the cells of `rows` (once they are read into something else, so a long
    /// sheet read a block at a time never holds all its cells at once): they read as empty.
    pub fn forget_rows(&mut self, rows: std::ops::Range<usize>) {
        for row in self.rows.iter_mut().take(rows.end).skip(rows.start) {
            *row = Vec::new();
        }
    }

    fn set(&mut self, row: usize, col: usize, value: CellValue) {
        if value == CellValue::Empty {
            return;
        }
        if self.rows.len() <= row {
            // A new row is likely as wide as the one above it.
            let width = self.rows.last().map_or(0, Vec::len);
            self.rows.resize_with(row, Vec::new);
            self.rows.push(Vec::with_capacity(width));
        }
        let cells = &mut self.rows[row];
        // A sheet lists a row's cells left to right: most cells go at the end.
        if cells.last().is_none_or(|(last, _)| *last < col) {
            cells.push((col, value));
            return;
        }
        match cells.binary_search_by_key(&col, |(c, _)| *c) {
            Ok(i) => cells[i].1 = value,
            Err(i) => cells.insert(i, (col, value)),
        }
    }

    /// Gives every cell of each merged region that starts in `rows` the value of its top-left
    /// cell, within `rows`, so a header merged over "总投资" and "已完成" heads both columns.
    pub fn expand_merges(&mut self, rows: std::ops::Range<usize>) {
        let merges: Vec<Merge> = self
            .merges
            .iter()
            .filter(|m| rows.contains(&m.first_row))
            .copied()
            .collect();
        // A hostile file can list thousands of overlapping merges: the cells written are
        // capped, and a header never needs more.
        let mut budget = MAX_EXPANDED_CELLS;
        for merge in merges {
            let value = self.cell(merge.first_row, merge.first_col).clone();
            if value == CellValue::Empty {
                continue;
            }
            let last_col = merge.last_col.min(MAX_COLUMNS as usize - 1);
            let last_row = merge
                .last_row
                .min(rows.end.saturating_sub(1).max(merge.first_row));
            for row in merge.first_row..=last_row {
                for col in merge.first_col..=last_col {
                    if (row, col) == (merge.first_row, merge.first_col) {
                        continue;
                    }
                    if budget == 0 {
                        return;
                    }
                    budget -= 1;
                    self.set(row, col, value.clone());
                }
            }
        }
    }

    /// The merged region that `row`, `col` lies in, if any.
    pub fn merge_at(&self, row: usize, col: usize) -> Option<&Merge> {
        self.merges.iter().find(|m| {
            (m.first_row..=m.last_row).contains(&row) && (m.first_col..=m.last_col).contains(&col)
        })
    }
}

/// Maps a calamine cell onto a [`CellValue`]: strings are text, integers and floats numbers,
/// dates their Excel serial; ISO dates and durations (written by some tools as text) are text;
/// error cells (`#N/A`) and empty cells are empty.
pub fn cell_value(data: Data) -> CellValue {
    match data {
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => {
            CellValue::Text(text)
        }
        Data::Float(value) => CellValue::Number(value),
        Data::Int(value) => CellValue::Number(value as f64),
        Data::Bool(value) => CellValue::Bool(value),
        Data::DateTime(value) => CellValue::DateTime(value.as_f64()),
        Data::Error(_) | Data::Empty => CellValue::Empty,
    }
}

/// Reads the sheet named `sheet`, or the first sheet, of an xlsx, with its merged regions
/// (not yet expanded: see [`Sheet::expand_merges`]).
///
/// A corrupted file can make calamine panic (an inverted `<dimension>` overflows a
/// subtraction in debug builds): that is an unreadable file too, not a crashed request.
pub fn read_sheet(bytes: &[u8], sheet: Option<&str>) -> Result<Sheet, ReadError> {
    let mut out = Sheet::default();
    read_sheet_into(bytes, sheet, &mut out, usize::MAX, &mut |_, _, _| true)?;
    Ok(out)
}

/// [`read_sheet`] into `out`, handing it to `on_rows` with the number of rows read so far
/// about every `every` rows, and once at the end with its height and `true`: the rows above
/// that number are complete and the merged regions known, so a caller can work on them
/// while the rest is read. `on_rows` returns whether to read on: `false` stops the reading
/// (`out` then holds what was read). When the merged regions can only be had from a second
/// pass over the sheet, the rows are handed over at the end only.
pub fn read_sheet_into(
    bytes: &[u8],
    sheet: Option<&str>,
    out: &mut Sheet,
    every: usize,
    on_rows: &mut dyn FnMut(&mut Sheet, usize, bool) -> bool,
) -> Result<(), ReadError> {
    // A corrupted file can make calamine panic: an unreadable file too.
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| ReadError::Unreadable)?;
        let names = book.sheet_names();
        let name = match sheet {
            Some(wanted) => names
                .iter()
                .find(|n| n.as_str() == wanted)
                .cloned()
                .ok_or(ReadError::SheetNotFound)?,
            None => names.first().cloned().ok_or(ReadError::SheetNotFound)?,
        };
        *out = Sheet {
            name: name.clone(),
            ..Sheet::default()
        };
        // The merged regions are looked for on a thread of their own while the cells are read
        // (see `merges`); calamine's own (second) pass is the fallback.
        let scanned = std::thread::scope(|scope| {
            let mut scan = Some(scope.spawn(|| merges::scan(bytes, &name)));
            let mut join = || scan.take().and_then(|scan| scan.join().ok().flatten());
            // Rows are handed over while reading only once the merged regions are known.
            let mut known: Option<bool> = None;
            let mut progress = |sheet: &mut Sheet, rows: usize| {
                let known = *known.get_or_insert_with(|| match join() {
                    Some(merges) => {
                        sheet.merges = merges;
                        true
                    }
                    None => false,
                });
                !known || on_rows(sheet, rows, false)
            };
            let finished = read_cells(&mut book, &name, out, every, &mut progress);
            finished.map(|finished| {
                let merges = match known {
                    Some(true) => Some(std::mem::take(&mut out.merges)),
                    Some(false) => None,
                    None => join(),
                };
                finished.then_some(merges)
            })
        })?;
        // Stopped by `on_rows`.
        let Some(scanned) = scanned else {
            return Ok(());
        };
        out.merges = match scanned {
            Some(merges) => merges,
            None => book
                .merge_cells_by_sheet_name(&name)
                .map_err(|_| ReadError::Unreadable)?
                .into_iter()
                .map(|d| Merge {
                    first_row: d.start.0 as usize,
                    last_row: d.end.0.max(d.start.0) as usize,
                    first_col: d.start.1 as usize,
                    last_col: d.end.1.max(d.start.1) as usize,
                })
                .collect(),
        };
        let height = out.height();
        on_rows(out, height, true);
        Ok(())
    }));
    read.unwrap_or(Err(ReadError::Unreadable))
}

/// Streams the cells of sheet `name` into `out`, calling `progress` with the number of rows
/// complete every `every` rows; whether it read to the end (`progress` may stop it).
fn read_cells(
    book: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    out: &mut Sheet,
    every: usize,
    progress: &mut dyn FnMut(&mut Sheet, usize) -> bool,
) -> Result<bool, ReadError> {
    let mut cells = book
        .worksheet_cells_reader(name)
        .map_err(|_| ReadError::Unreadable)?;
    let mut next_report = every;
    while let Some(cell) = cells.next_cell().map_err(|_| ReadError::Unreadable)? {
        let (row, col) = cell.get_position();
        // Cells come row by row: every row above this one is complete.
        if row as usize >= next_report {
            if !progress(out, row as usize) {
                return Ok(false);
            }
            next_report = (row as usize).saturating_add(every);
        }
        if col >= MAX_COLUMNS {
            continue;
        }
        let value = cell_value(Data::from(cell.get_value().clone()));
        out.set(row as usize, col as usize, value);
    }
    Ok(true)
}

/// The A1-style reference of a 0-based cell: (13, 3) is "D14".
pub fn cell_ref(row: usize, col: usize) -> String {
    format!("{}{}", column_name(col), row + 1)
}

/// The letters of a 0-based column: 0 is "A", 25 "Z", 26 "AA".
pub fn column_name(col: usize) -> String {
    let mut n = col + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

#[cfg(test)]
mod tests;
