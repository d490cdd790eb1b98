//! The export's layout, and its round trip through the import.

use chrono::NaiveDate;
use districtops_domain::cells::CellValue;
use districtops_domain::money::Money;
use districtops_domain::projects::{
    Colour, Dates, KeyDates, LandArea, ProjectDraft, ProjectKind, Stage,
};
use districtops_service::excel::projects_export::{HEADERS, ProjectExportRow, write_projects};
use districtops_service::excel::projects_import::{RowOutcome, preview_projects};
use districtops_service::excel::read::read_sheet;
use districtops_service::excel::safety::UploadLimits;
use proptest::prelude::*;
use std::io::{Cursor, Read};

const TITLE: &str = "槐荫区重点项目台账（截至 2026-11-29）";

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn full_draft() -> ProjectDraft {
    let both = |p, a| Dates {
        planned: p,
        actual: a,
    };
    ProjectDraft {
        code: Some("HY-2026-001".into()),
        name: Some("树兰（济南）医院".into()),
        platform: Some("西部会展片区".into()),
        kind: Some(ProjectKind::Medical),
        stage: Some(Stage::StructureDone),
        department: Some("区卫健局".into()),
        leader: Some("张三".into()),
        total_investment: Some(Money::from_yuan(12_345_678_912)),
        completed_investment: Some(Money::from_yuan(1_234_567_891)),
        floor_area_m2: Some(325_000),
        land_area: Some(LandArea(23_055)),
        address: Some("=HYPERLINK(\"x\")".into()),
        longitude: Some(116.912_345),
        latitude: Some(36.654_321),
        dates: KeyDates {
            signing: both(day(2023, 1, 15), day(2023, 1, 20)),
            start: both(day(2023, 6, 30), day(2023, 7, 1)),
            structure: both(day(2025, 12, 31), day(2025, 11, 2)),
            completion: both(day(2026, 12, 31), None),
            operation: both(day(2027, 6, 30), None),
        },
        notes: Some("-每月调度一次 第二行".into()),
        illustrative: true,
    }
}

fn drafts() -> Vec<ProjectDraft> {
    vec![
        full_draft(),
        ProjectDraft {
            name: Some("+86 热线配套".into()),
            stage: Some(Stage::Pipeline),
            total_investment: Some(Money::from_yuan(1)),
            ..Default::default()
        },
        ProjectDraft {
            code: Some("2024001".into()),
            name: Some("@济南西站片区道路".into()),
            kind: Some(ProjectKind::Infrastructure),
            completed_investment: Some(Money::ZERO),
            ..Default::default()
        },
    ]
}

fn export(drafts: &[ProjectDraft]) -> Vec<u8> {
    let mut rows: Vec<ProjectExportRow> = drafts.iter().map(ProjectExportRow::from).collect();
    rows[0].status = Some(Colour::Red);
    write_projects(TITLE, &rows).unwrap()
}

fn reimport(bytes: &[u8]) -> Vec<ProjectDraft> {
    let preview = preview_projects(bytes, None, &UploadLimits::default()).unwrap();
    assert!(
        preview.unknown_columns.is_empty(),
        "{:?}",
        preview.unknown_columns
    );
    preview
        .rows
        .iter()
        .filter_map(|r| match r {
            RowOutcome::Parsed { draft, .. } => Some(draft.clone()),
            RowOutcome::Blank { .. } => None,
            RowOutcome::Rejected { row, errors, .. } => panic!("row {row}: {errors:?}"),
        })
        .collect()
}

#[test]
fn export_then_import_gives_back_the_same_drafts() {
    let drafts = drafts();
    assert_eq!(reimport(&export(&drafts)), drafts);
}

#[test]
fn the_layout_offices_expect() {
    let drafts = drafts();
    let bytes = export(&drafts);
    let sheet = read_sheet(&bytes, None).unwrap();
    assert_eq!(sheet.name, "重点项目台账");
    assert_eq!(sheet.cell(0, 0), &CellValue::Text(TITLE.into()));
    for (col, header) in HEADERS.iter().enumerate() {
        assert_eq!(sheet.cell(1, col), &CellValue::Text((*header).into()));
    }
    assert_eq!(sheet.cell(1, 8), &CellValue::Text("总投资（万元）".into()));
    // Money in 万元 as numbers, dates as date cells, formula-like text escaped.
    assert_eq!(sheet.cell(2, 8), &CellValue::Number(1_234_567.891_2));
    assert_eq!(sheet.cell(2, 0), &CellValue::Number(1.0));
    assert_eq!(sheet.cell(2, 4), &CellValue::Text("医疗卫生".into()));
    assert_eq!(sheet.cell(2, 5), &CellValue::Text("主体完工".into()));
    assert_eq!(sheet.cell(2, 25), &CellValue::Text("红灯".into()));
    // 示例: 是 for an illustrative project, blank otherwise.
    assert_eq!(sheet.cell(2, 27), &CellValue::Text("是".into()));
    assert_eq!(sheet.cell(3, 27), &CellValue::Empty);
    assert_eq!(sheet.cell(2, 15), &CellValue::DateTime(44_941.0));
    assert_eq!(
        sheet.cell(2, 12),
        &CellValue::Text("'=HYPERLINK(\"x\")".into())
    );
    // The totals row: values, not formulas.
    let totals = 2 + drafts.len();
    assert_eq!(sheet.cell(totals, 0), &CellValue::Text("合计".into()));
    assert_eq!(sheet.cell(totals, 8), &CellValue::Number(1_234_567.891_3));
    assert_eq!(sheet.cell(totals, 9), &CellValue::Number(123_456.789_1));
    assert_eq!(sheet.cell(totals, 10), &CellValue::Number(325_000.0));
    assert_eq!(sheet.cell(totals, 11), &CellValue::Number(230.55));
    assert_eq!(sheet.height(), totals + 1);
    // The header is frozen and the formats are there.
    let xml = zip_entry(&bytes, "xl/worksheets/sheet1.xml");
    assert!(
        xml.contains("ySplit=\"2\"") && xml.contains("xSplit=\"3\""),
        "{xml}"
    );
    assert!(xml.contains("<mergeCell ref=\"A1:AB1\"/>"), "{xml}");
    assert!(!xml.contains("<f>"), "totals must be values");
    let styles = zip_entry(&bytes, "xl/styles.xml");
    assert!(styles.contains("#,##0.00") && styles.contains("yyyy-mm-dd"));
}

fn zip_entry(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn an_empty_ledger_has_its_header_and_a_zero_total() {
    let bytes = write_projects(TITLE, &[]).unwrap();
    let sheet = read_sheet(&bytes, None).unwrap();
    assert_eq!(sheet.cell(2, 0), &CellValue::Text("合计".into()));
    assert_eq!(sheet.cell(2, 8), &CellValue::Number(0.0));
    assert!(reimport(&bytes).is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Any amount with up to four decimals of 万元 (whole 元) survives the trip through the
    /// double in the cell.
    #[test]
    fn money_survives_the_round_trip(
        totals in prop::collection::vec(0_i64..1_000_000_000_000_000, 1..6),
        areas in prop::collection::vec(0_i64..10_000_000_000, 1..6),
    ) {
        let drafts: Vec<ProjectDraft> = totals
            .iter()
            .zip(areas.iter().cycle())
            .enumerate()
            .map(|(i, (total, area))| ProjectDraft {
                name: Some(format!("项目{i}")),
                total_investment: Some(Money::from_yuan(*total)),
                completed_investment: Some(Money::from_yuan(total / 3)),
                floor_area_m2: Some(*area),
                land_area: Some(LandArea(area / 7)),
                ..Default::default()
            })
            .collect();
        let bytes = write_projects(TITLE, &drafts.iter().map(ProjectExportRow::from).collect::<Vec<_>>()).unwrap();
        prop_assert_eq!(reimport(&bytes), drafts);
    }
}
