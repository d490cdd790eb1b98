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

    fn set(&mut self, row: usize, col: usize, value: CellValue) {
        if value == CellValue::Empty {
            return;
        }
        if self.rows.len() <= row {
            self.rows.resize_with(row + 1, Vec::new);
        }
        let cells = &mut self.rows[row];
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
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_sheet_inner(bytes, sheet)
    }))
    .unwrap_or(Err(ReadError::Unreadable))
}

fn read_sheet_inner(bytes: &[u8], sheet: Option<&str>) -> Result<Sheet, ReadError> {
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
    let mut out = Sheet {
        name: name.clone(),
        ..Sheet::default()
    };
    // The merged regions are looked for on a thread of their own while the cells are read
    // (see `merges`); calamine's own (second) pass is the fallback.
    let scanned = std::thread::scope(|scope| {
        let scan = scope.spawn(|| merges::scan(bytes, &name));
        let cells = read_cells(&mut book, &name, &mut out);
        let scanned = scan.join().ok().flatten();
        cells.map(|()| scanned)
    })?;
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
    Ok(out)
}

/// Streams the cells of sheet `name` into `out`.
fn read_cells(
    book: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    out: &mut Sheet,
) -> Result<(), ReadError> {
    let mut cells = book
        .worksheet_cells_reader(name)
        .map_err(|_| ReadError::Unreadable)?;
    while let Some(cell) = cells.next_cell().map_err(|_| ReadError::Unreadable)? {
        let (row, col) = cell.get_position();
        if col >= MAX_COLUMNS {
            continue;
        }
        let value = cell_value(Data::from(cell.get_value().clone()));
        out.set(row as usize, col as usize, value);
    }
    Ok(())
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
mod tests {
    use super::*;
    use rust_xlsxwriter::{Format, Workbook};

    #[test]
    fn cell_references() {
        assert_eq!(cell_ref(13, 3), "D14");
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }

    #[test]
    fn cells_map_onto_cell_values() {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet().set_name("台账").unwrap();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        sheet.write_string(1, 1, "槐荫区").unwrap();
        sheet.write_number(1, 2, 127.38).unwrap();
        sheet.write_boolean(1, 3, true).unwrap();
        sheet
            .write_number_with_format(1, 4, 43923.0, &date)
            .unwrap();
        sheet
            .merge_range(3, 1, 3, 3, "合并", &Format::new())
            .unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let mut read = read_sheet(&bytes, None).unwrap();
        assert_eq!(read.name, "台账");
        assert_eq!(read.cell(1, 1), &CellValue::Text("槐荫区".into()));
        assert_eq!(read.cell(1, 2), &CellValue::Number(127.38));
        assert_eq!(read.cell(1, 3), &CellValue::Bool(true));
        assert_eq!(read.cell(1, 4), &CellValue::DateTime(43923.0));
        assert_eq!(read.cell(0, 0), &CellValue::Empty);
        assert_eq!(read.cell(99, 99), &CellValue::Empty);
        assert_eq!(read.cell(3, 2), &CellValue::Empty);
        assert_eq!(read.merges.len(), 1);
        read.expand_merges(0..10);
        for col in 1..=3 {
            assert_eq!(read.cell(3, col), &CellValue::Text("合并".into()));
        }
        assert_eq!(read_sheet(&bytes, Some("台账")).unwrap().name, "台账");
        assert_eq!(
            read_sheet(&bytes, Some("Sheet9")),
            Err(ReadError::SheetNotFound)
        );
    }

    #[test]
    fn broken_files_are_unreadable_not_panics() {
        assert_eq!(read_sheet(b"PK\x03\x04", None), Err(ReadError::Unreadable));
        assert_eq!(read_sheet(b"", None), Err(ReadError::Unreadable));
    }

    #[test]
    fn far_cells_cost_nothing() {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "a").unwrap();
        sheet.write_string(1_048_575, 16_383, "z").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let read = read_sheet(&bytes, None).unwrap();
        assert_eq!(read.cell(0, 0), &CellValue::Text("a".into()));
        assert_eq!(read.width(1_048_575), 0);
    }

    #[test]
    fn hostile_merges_are_capped() {
        let merge = Merge {
            first_row: 0,
            last_row: 1_000_000,
            first_col: 0,
            last_col: 100_000,
        };
        let mut sheet = Sheet::from_rows("s", vec![vec![CellValue::Bool(true)]], vec![merge; 1000]);
        sheet.expand_merges(0..32);
        assert_eq!(sheet.cell(32, MAX_COLUMNS as usize - 1), &CellValue::Empty);
        assert_eq!(sheet.cell(1, 1), &CellValue::Bool(true));
        let filled: usize = (0..sheet.height()).map(|r| sheet.row_cells(r).len()).sum();
        // The 32 rows asked for, 512 columns each; the 999 other merges stop on the budget.
        assert_eq!(filled, 32 * MAX_COLUMNS as usize);
    }

    #[test]
    fn dense_rows_and_merges() {
        let mut sheet = Sheet::from_rows(
            "s",
            vec![vec![CellValue::Text("投资".into()), CellValue::Empty]],
            vec![Merge {
                first_row: 0,
                last_row: 1,
                first_col: 0,
                last_col: 1,
            }],
        );
        assert!(sheet.merge_at(1, 1).is_some());
        assert!(sheet.merge_at(2, 1).is_none());
        sheet.expand_merges(0..2);
        assert_eq!(sheet.cell(1, 1), &CellValue::Text("投资".into()));
        assert_eq!(sheet.height(), 2);
    }
}
