//! Reading sheets: cells, merges, broken and hostile files.

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
