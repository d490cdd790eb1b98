//! The import over sheets built in memory: header search, two-row headers without merge
//! information, duplicates, blank and totals rows.

use super::Field;
use super::projects_import::{ImportError, RowOutcome, preview_sheet};
use super::read::{Merge, Sheet};
use districtops_domain::cells::CellValue;
use districtops_domain::money::Money;
use districtops_domain::projects::Stage;

fn t(text: &str) -> CellValue {
    if text.is_empty() {
        CellValue::Empty
    } else {
        CellValue::Text(text.to_owned())
    }
}

fn rows(rows: &[&[&str]]) -> Vec<Vec<CellValue>> {
    rows.iter()
        .map(|r| r.iter().map(|c| t(c)).collect())
        .collect()
}

#[test]
fn the_header_is_found_under_title_rows() {
    let mut sheet = Sheet::from_rows(
        "s",
        rows(&[
            &["2026年重点项目台账"],
            &["", "", "单位：万元"],
            &["序号", "项目名称", "总投资", "项目阶段"],
            &["1", "甲项目", "1,200", "在建"],
        ]),
        vec![],
    );
    let p = preview_sheet(&mut sheet).unwrap();
    assert_eq!((p.header_row, p.header_height), (3, 1));
    let RowOutcome::Parsed { row: 4, draft } = &p.rows[0] else {
        panic!("{:?}", p.rows)
    };
    assert_eq!(draft.total_investment, Money::from_wan(1200));
    assert_eq!(draft.stage, Some(Stage::UnderConstruction));
}

#[test]
fn a_unit_note_above_the_header_sets_the_money_unit() {
    let mut sheet = Sheet::from_rows(
        "s",
        rows(&[
            &["重点项目台账", "", "金额单位：亿元　填报日期：2026-10-31"],
            &["项目名称", "总投资", "已完成投资（万元）", "项目阶段"],
            &["甲项目", "1.5", "300", "签约"],
        ]),
        vec![],
    );
    let p = preview_sheet(&mut sheet).unwrap();
    let draft = p.drafts().next().unwrap();
    assert_eq!(draft.total_investment, Money::from_wan(15_000));
    assert_eq!(draft.completed_investment, Money::from_wan(300));
}

#[test]
fn a_two_row_header_without_merges_is_recognised() {
    let mut sheet = Sheet::from_rows(
        "s",
        rows(&[
            &[
                "项目名称",
                "投资（亿元）",
                "投资（亿元）",
                "开工时间",
                "开工时间",
                "责任单位",
            ],
            &["项目名称", "总投资", "已完成", "计划", "实际", "责任单位"],
            &[
                "甲项目",
                "1.5",
                "0.5",
                "2026年3月",
                "2026-03-15",
                "区发改局",
            ],
        ]),
        vec![],
    );
    let p = preview_sheet(&mut sheet).unwrap();
    assert_eq!(p.header_height, 2);
    use Field::*;
    assert_eq!(
        p.columns,
        [
            (0, Name),
            (1, TotalInvestment),
            (2, CompletedInvestment),
            (3, StartPlanned),
            (4, StartActual),
            (5, Department)
        ]
    );
    let draft = p.drafts().next().unwrap();
    assert_eq!(draft.total_investment, Money::from_wan(15_000));
    assert_eq!(draft.completed_investment, Money::from_wan(5_000));
    assert_eq!(draft.dates.start.planned.unwrap().to_string(), "2026-03-31");
}

#[test]
fn merged_parents_span_their_children() {
    let merge = |first_row, last_row, first_col, last_col| Merge {
        first_row,
        last_row,
        first_col,
        last_col,
    };
    let mut sheet = Sheet::from_rows(
        "s",
        rows(&[
            &["项目名称", "投资（万元）", "", "备注"],
            &["", "总投资", "累计完成", ""],
            &["乙项目", "45亿", "3000", "—"],
        ]),
        vec![merge(0, 1, 0, 0), merge(0, 0, 1, 2), merge(0, 1, 3, 3)],
    );
    let p = preview_sheet(&mut sheet).unwrap();
    let draft = p.drafts().next().unwrap();
    assert_eq!(draft.total_investment, Money::from_yi(45));
    assert_eq!(draft.completed_investment, Money::from_wan(3000));
    assert_eq!(draft.notes, None);
}

#[test]
fn a_group_row_above_the_names_is_part_of_the_header() {
    let merge = |first_col, last_col| Merge {
        first_row: 1,
        last_row: 1,
        first_col,
        last_col,
    };
    let mut sheet = Sheet::from_rows(
        "s",
        rows(&[
            &["项目台账"],
            &["", "", "投资（亿元）", "", "开工时间", ""],
            &["项目名称", "阶段", "总投资", "已完成", "计划", "实际"],
            &["甲项目", "在建", "2", "0.5", "2025-03", "2025-04-08"],
        ]),
        vec![
            Merge {
                first_row: 0,
                last_row: 0,
                first_col: 0,
                last_col: 5,
            },
            merge(2, 3),
            merge(4, 5),
        ],
    );
    let p = preview_sheet(&mut sheet).unwrap();
    assert_eq!((p.header_row, p.header_height), (2, 2));
    let draft = p.drafts().next().unwrap();
    assert_eq!(draft.total_investment, Money::from_yi(2));
    assert_eq!(draft.completed_investment, Money::from_wan(5_000));
    assert_eq!(draft.dates.start.planned.unwrap().to_string(), "2025-03-31");
    assert_eq!(draft.dates.start.actual.unwrap().to_string(), "2025-04-08");
}

#[test]
fn a_merged_single_header_cell_does_not_eat_the_first_row() {
    let mut sheet = Sheet::from_rows(
        "s",
        rows(&[
            &["项目名称", "项目阶段", "备注", "", "总投资"],
            &["甲项目", "签约", "说明", "", "10"],
        ]),
        vec![Merge {
            first_row: 0,
            last_row: 0,
            first_col: 2,
            last_col: 3,
        }],
    );
    let p = preview_sheet(&mut sheet).unwrap();
    assert_eq!(p.header_height, 1);
    assert_eq!(p.drafts().count(), 1);
}

#[test]
fn unknown_and_duplicate_columns_are_listed() {
    let mut sheet = Sheet::from_rows(
        "s",
        rows(&[
            &["项目名称", "项目编号", "名称", "联系电话", "阶段"],
            &["甲", "A1", "乙", "123", "竣工"],
        ]),
        vec![],
    );
    let p = preview_sheet(&mut sheet).unwrap();
    assert_eq!(p.unknown_columns, ["名称", "联系电话"]);
    assert_eq!(p.drafts().next().unwrap().name.as_deref(), Some("甲"));
}

#[test]
fn blank_and_totals_rows_are_skipped() {
    let mut sheet = Sheet::from_rows(
        "s",
        rows(&[
            &["序号", "项目名称", "总投资", "状态"],
            &["1", "/", "—", "绿灯"],
            &["", "无", "-", ""],
            &["合 计", "", "100", ""],
            &["2", "丙", "", "红灯"],
        ]),
        vec![],
    );
    let p = preview_sheet(&mut sheet).unwrap();
    assert_eq!(
        p.rows[..3],
        [
            RowOutcome::Blank { row: 2 },
            RowOutcome::Blank { row: 3 },
            RowOutcome::Blank { row: 4 }
        ]
    );
    assert!(matches!(p.rows[3], RowOutcome::Parsed { row: 5, .. }));
}

#[test]
fn no_header_is_an_error() {
    let mut sheet = Sheet::from_rows("s", rows(&[&["甲", "乙"], &["项目名称", "备注"]]), vec![]);
    assert_eq!(preview_sheet(&mut sheet), Err(ImportError::HeaderNotFound));
}

#[test]
fn text_cells_are_cleaned() {
    let mut sheet = Sheet::from_rows(
        "s",
        rows(&[
            &["项目名称", "项目编号", "备注", "项目类型"],
            &[
                " 丁\u{3000}\u{3000}项目 ",
                "ＨＹ－００１",
                "1.一期\n2.二期",
                "其它",
            ],
        ]),
        vec![],
    );
    let p = preview_sheet(&mut sheet).unwrap();
    let draft = p.drafts().next().unwrap();
    assert_eq!(draft.name.as_deref(), Some("丁 项目"));
    assert_eq!(draft.code.as_deref(), Some("HY-001"));
    assert_eq!(draft.notes.as_deref(), Some("1.一期 2.二期"));
}

#[test]
fn the_illustrative_column_reads_yes_and_no_as_offices_type_them() {
    let mut sheet = Sheet::from_rows(
        "s",
        rows(&[
            &["项目名称", "项目阶段", "总投资", "是否示例"],
            &["甲", "签约", "1", "是"],
            &["乙", "签约", "1", "√"],
            &["丙", "签约", "1", "Y"],
            &["丁", "签约", "1", "否"],
            &["戊", "签约", "1", ""],
            &["己", "签约", "1", "也许"],
        ]),
        vec![],
    );
    let p = preview_sheet(&mut sheet).unwrap();
    let flags: Vec<bool> = p.drafts().map(|d| d.illustrative).collect();
    assert_eq!(flags, [true, true, true, false, false]);
    let RowOutcome::Rejected { name, errors, .. } = &p.rows[5] else {
        panic!("{:?}", p.rows[5])
    };
    assert_eq!(name, "己", "a rejected row still names its project");
    assert_eq!(errors[0].message_key, "import.cell.yes_no_invalid");
    assert_eq!(errors[0].cell, "D7");
}

/// The keys of a message catalog, read simply: `[section]` lines and `key = ` lines.
fn catalog_keys(source: &str) -> Vec<String> {
    let mut section = String::new();
    let mut keys = Vec::new();
    for line in source.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.to_owned();
        } else if let Some((key, _)) = line.split_once(" = ") {
            keys.push(format!("{section}.{key}"));
        }
    }
    keys
}

#[test]
fn every_key_the_import_reports_is_in_both_catalogs() {
    use super::read::ReadError;
    use super::safety::UploadError;
    let mut used: Vec<&str> = [
        UploadError::TooLarge,
        UploadError::NotXlsx,
        UploadError::TooManyEntries,
        UploadError::TooBigUncompressed,
    ]
    .iter()
    .map(|e| e.message_key())
    .collect();
    used.extend([ReadError::Unreadable, ReadError::SheetNotFound].map(|e| e.message_key()));
    used.extend([
        ImportError::HeaderNotFound.message_key(),
        "import.cell.unit_unknown",
        "import.cell.yes_no_invalid",
        "import.issue",
        "export.projects_title",
        "project.kind.invalid",
        "project.stage.invalid",
    ]);
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../web/locales/");
    for file in ["zh-CN.toml", "en.toml"] {
        let source = std::fs::read_to_string(format!("{root}{file}")).unwrap();
        let keys = catalog_keys(&source);
        for key in &used {
            assert!(keys.iter().any(|k| k == key), "{key} missing from {file}");
        }
    }
}
