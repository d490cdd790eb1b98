//! Exact drafts and exact rejections from the LibreOffice-made fixtures.

use chrono::NaiveDate;
use districtops_domain::money::Money;
use districtops_domain::projects::{Dates, LandArea, ProjectDraft, ProjectKind, Stage};
use districtops_service::excel::Field;
use districtops_service::excel::projects_import::{
    CellIssue, ImportPreview, RowOutcome, preview_projects,
};
use districtops_service::excel::safety::UploadLimits;

pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn preview(name: &str) -> ImportPreview {
    preview_projects(&fixture(name), None, &UploadLimits::default()).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn yuan(n: i64) -> Option<Money> {
    Some(Money::from_yuan(n))
}

fn text(s: &str) -> Option<String> {
    Some(s.to_owned())
}

fn issue(cell: &str, key: &'static str, raw: &str) -> CellIssue {
    CellIssue {
        cell: cell.into(),
        message_key: key,
        raw: raw.into(),
    }
}

fn parsed(preview: &ImportPreview, row: usize) -> &ProjectDraft {
    preview
        .rows
        .iter()
        .find_map(|r| match r {
            RowOutcome::Parsed { row: n, draft } if *n == row => Some(draft),
            _ => None,
        })
        .unwrap_or_else(|| panic!("row {row} did not parse: {:#?}", preview.rows))
}

fn rejected(preview: &ImportPreview, row: usize) -> Vec<CellIssue> {
    preview
        .rows
        .iter()
        .find_map(|r| match r {
            RowOutcome::Rejected { row: n, errors, .. } if *n == row => Some(errors.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("row {row} was not rejected: {:#?}", preview.rows))
}

#[test]
fn ledger_with_title_rows_and_a_merged_two_row_header() {
    let p = preview("ledger.xlsx");
    assert_eq!(
        (p.sheet.as_str(), p.header_row, p.header_height),
        ("台账", 3, 2)
    );
    use Field::*;
    let fields: Vec<Field> = p.columns.iter().map(|(_, f)| *f).collect();
    assert_eq!(
        fields,
        [
            Serial,
            Code,
            Name,
            Platform,
            Kind,
            Stage,
            Department,
            TotalInvestment,
            CompletedInvestment,
            FloorArea,
            LandArea,
            StartPlanned,
            StartActual,
            CompletionPlanned,
            CompletionActual,
            Notes
        ]
    );
    assert_eq!(p.columns[7], (7, TotalInvestment));
    assert_eq!(p.unknown_columns, ["联系电话"]);
    assert_eq!(p.rows.len(), 7);

    // 45 and "12.3456" under "投资（亿元）"; 32.5 under 万平方米; "2300余亩".
    assert_eq!(
        parsed(&p, 5),
        &ProjectDraft {
            code: text("HY-2026-001"),
            name: text("树兰（济南）医院"),
            platform: text("西部会展片区"),
            kind: Some(ProjectKind::Medical),
            stage: Some(self::Stage::UnderConstruction),
            department: text("区卫健局"),
            total_investment: yuan(4_500_000_000),
            completed_investment: yuan(1_234_560_000),
            floor_area_m2: Some(325_000),
            land_area: Some(self::LandArea(230_000)),
            dates: key_dates(
                [day(2024, 3, 1), day(2024, 4, 2)],
                [day(2026, 12, 31), None]
            ),
            notes: text("重点推进"),
            ..Default::default()
        }
    );
    // Full-width code and digits, ideographic spaces, units in the cells ("45亿", "1,200万").
    assert_eq!(
        parsed(&p, 6),
        &ProjectDraft {
            code: text("HY-2026-002"),
            name: text("中国重汽 总部"),
            platform: text("西部会展片区"),
            kind: Some(ProjectKind::Headquarters),
            stage: Some(self::Stage::Signed),
            department: text("区投资促进局"),
            total_investment: yuan(4_500_000_000),
            completed_investment: yuan(12_000_000),
            floor_area_m2: Some(85_000),
            land_area: Some(self::LandArea(12_000)),
            dates: key_dates([day(2026, 4, 30), None], [day(2027, 6, 30), None]),
            ..Default::default()
        }
    );
    // "15公顷" is 225 亩; "-", "无" are blank; "20261001" is a day.
    let road = parsed(&p, 7);
    assert_eq!(road.land_area, Some(self::LandArea(22_500)));
    assert_eq!(road.floor_area_m2, None);
    assert_eq!(road.completed_investment, Some(Money::ZERO));
    assert_eq!(road.stage, Some(self::Stage::Pipeline));
    assert_eq!(
        road.dates,
        key_dates([day(2026, 10, 1), None], [day(2028, 6, 30), None])
    );
    // Every problem of a row at once, by cell.
    assert_eq!(
        rejected(&p, 8),
        [
            issue("E8", "project.kind.invalid", "商业综合体"),
            issue("H8", "money.negative", "-5"),
            issue("L8", "cell.date.impossible", "2020.13.1"),
            issue("M8", "cell.date.invalid", "明年"),
        ]
    );
    assert_eq!(
        rejected(&p, 9),
        [
            issue("C9", "validation.required", ""),
            issue("I9", "project.completed_exceeds_total", "3"),
        ]
    );
    // The empty row and the 合计 row.
    assert_eq!(p.rows[5], RowOutcome::Blank { row: 10 });
    assert_eq!(p.rows[6], RowOutcome::Blank { row: 11 });
}

fn key_dates(
    start: [Option<NaiveDate>; 2],
    completion: [Option<NaiveDate>; 2],
) -> districtops_domain::projects::KeyDates {
    districtops_domain::projects::KeyDates {
        start: Dates {
            planned: start[0],
            actual: start[1],
        },
        completion: Dates {
            planned: completion[0],
            actual: completion[1],
        },
        ..Default::default()
    }
}

#[test]
fn text_dates_in_every_supported_form() {
    let p = preview("dates.xlsx");
    assert_eq!((p.header_row, p.header_height), (1, 1));
    // Rows 2–10: days typed as text, full-width and spaced; 11 a day with a time.
    for row in 2..=11 {
        let start = parsed(&p, row).dates.start;
        assert_eq!(
            (start.planned, start.actual),
            (day(2020, 4, 2), day(2020, 4, 2)),
            "row {row}"
        );
    }
    // Rows 12–16: months; planned dates fall on the month's last day, actual on its first.
    for row in 12..=16 {
        let start = parsed(&p, row).dates.start;
        assert_eq!(
            (start.planned, start.actual),
            (day(2020, 4, 30), day(2020, 4, 1)),
            "row {row}"
        );
    }
    // 20200402 and 2020.4 as numbers, and a real date cell.
    assert_eq!(parsed(&p, 17).dates.start.planned, day(2020, 4, 2));
    assert_eq!(parsed(&p, 18).dates.start.planned, day(2020, 4, 30));
    assert_eq!(parsed(&p, 19).dates.start.actual, day(2020, 4, 2));
    let bad: Vec<Vec<CellIssue>> = (20..=25).map(|row| rejected(&p, row)).collect();
    assert_eq!(
        bad,
        [
            vec![issue("B20", "cell.date.impossible", "2020.13.1")],
            vec![issue("B21", "cell.date.two_digit_year", "20.4.2")],
            vec![issue("B22", "cell.date.year_only", "2020年")],
            vec![issue("B23", "cell.date.invalid", "4/2/2020")],
            vec![issue("B24", "cell.date.impossible", "2021-02-29")],
            vec![issue("B25", "cell.date.ambiguous_month", "2020.1")],
        ]
    );
}

#[test]
fn units_in_headers_and_in_cells() {
    let p = preview("units.xlsx");
    assert_eq!(p.unknown_columns, ["负责人电话"]);
    // Headers: 总投资（万元）, 已完成投资(亿元), 建筑面积（平方米）, 占地面积（公顷）.
    let numbers = parsed(&p, 2);
    assert_eq!(
        (
            numbers.total_investment,
            numbers.completed_investment,
            numbers.floor_area_m2,
            numbers.land_area
        ),
        (
            yuan(12_000_000),
            yuan(5_000_000),
            Some(12_345),
            Some(self::LandArea(3_000))
        )
    );
    assert_eq!(
        (numbers.longitude, numbers.latitude),
        (Some(116.9), Some(36.65))
    );
    // A unit in the cell wins over the column's: "45亿", "1,200万", "3.5万平方米", "120亩".
    let with_units = parsed(&p, 3);
    assert_eq!(
        (
            with_units.total_investment,
            with_units.completed_investment,
            with_units.floor_area_m2,
            with_units.land_area
        ),
        (
            yuan(4_500_000_000),
            yuan(12_000_000),
            Some(35_000),
            Some(self::LandArea(12_000))
        )
    );
    // Full-width digits and separators: "１，２００．５" 万元, "０．０１" 亿元, "１．５" 公顷.
    let full_width = parsed(&p, 4);
    assert_eq!(
        (
            full_width.total_investment,
            full_width.completed_investment,
            full_width.floor_area_m2,
            full_width.land_area
        ),
        (
            yuan(12_005_000),
            yuan(1_000_000),
            Some(12_345),
            Some(self::LandArea(2_250))
        )
    );
    assert_eq!(
        rejected(&p, 5),
        [issue("B5", "cell.number.invalid", " 1 200 ")]
    );
    assert_eq!(
        rejected(&p, 6),
        [
            issue("B6", "money.too_precise", "1.23456"),
            issue("C6", "money.too_precise", "0.000000001"),
        ]
    );
    assert_eq!(
        rejected(&p, 7),
        [
            issue("B7", "money.unit_unknown", "85%"),
            issue("C7", "money.unit_unknown", "2300亩"),
            issue("D7", "import.cell.unit_unknown", "12亩"),
            issue("E7", "import.cell.unit_unknown", "45万元"),
            issue("F7", "project.coordinate_invalid", "200"),
            issue("G7", "project.coordinate_invalid", "95"),
        ]
    );
}
