//! The project ledger as a workbook, laid out the way offices keep it: a title row, a header
//! row with units, one row per project, a totals row (values, not formulas), the header
//! frozen. Reading it back with [`super::projects_import`] gives the same drafts.

use super::projects_values::{colour_label, kind_label, stage_label};
use super::{Formats, apply_widths, display_width, safe_text, write_heading};
use chrono::NaiveDate;
use districtops_domain::cells::date_to_serial;
use districtops_domain::money::{Money, MoneyUnit};
use districtops_domain::projects::{Colour, KeyDates, LandArea, ProjectDraft, ProjectKind, Stage};
use rust_xlsxwriter::{Format, FormatBorder, Workbook, Worksheet, XlsxError};
use std::fmt::Write as _;

/// One project as the export writes it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProjectExportRow {
    pub code: Option<String>,
    pub name: String,
    pub platform: Option<String>,
    pub kind: Option<ProjectKind>,
    pub stage: Option<Stage>,
    pub department: Option<String>,
    pub leader: Option<String>,
    pub total_investment: Option<Money>,
    pub completed_investment: Option<Money>,
    pub floor_area_m2: Option<i64>,
    pub land_area: Option<LandArea>,
    pub address: Option<String>,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    pub dates: KeyDates,
    pub status: Option<Colour>,
    pub notes: Option<String>,
    /// Figures invented for a demo or training ledger (the 示例 column says 是).
    pub illustrative: bool,
}

impl From<&ProjectDraft> for ProjectExportRow {
    fn from(d: &ProjectDraft) -> Self {
        Self {
            code: d.code.clone(),
            name: d.name.clone().unwrap_or_default(),
            platform: d.platform.clone(),
            kind: d.kind,
            stage: d.stage,
            department: d.department.clone(),
            leader: d.leader.clone(),
            total_investment: d.total_investment,
            completed_investment: d.completed_investment,
            floor_area_m2: d.floor_area_m2,
            land_area: d.land_area,
            address: d.address.clone(),
            longitude: d.longitude,
            latitude: d.latitude,
            dates: d.dates,
            status: None,
            notes: d.notes.clone(),
            illustrative: d.illustrative,
        }
    }
}

/// The headers, left to right. Units are in the headers, so numbers stay numbers.
pub const HEADERS: [&str; 28] = [
    "序号",
    "项目编号",
    "项目名称",
    "所属平台",
    "项目类型",
    "项目阶段",
    "责任单位",
    "责任领导",
    "总投资（万元）",
    "已完成投资（万元）",
    "建筑面积（平方米）",
    "占地面积（亩）",
    "建设地点",
    "经度",
    "纬度",
    "计划签约",
    "实际签约",
    "计划开工",
    "实际开工",
    "计划主体完工",
    "实际主体完工",
    "计划竣工",
    "实际竣工",
    "计划投用",
    "实际投用",
    "状态",
    "备注",
    "示例",
];

const TOTAL_COL: u16 = 8;

/// A cell value before it is written.
enum Value {
    Text(String),
    Number(f64, Num),
    Date(NaiveDate),
    None,
}

/// How a number is shown.
#[derive(Clone, Copy)]
enum Num {
    /// 万元 with two decimals shown ("#,##0.00"); the cell keeps all four.
    Money,
    /// Whole numbers: 序号, m².
    Whole,
    /// 亩 to the hundredth.
    Hundredths,
    /// Longitude and latitude.
    Degrees,
}

struct Styles {
    base: Formats,
    /// By [`Num`], in its order.
    numbers: [Format; 4],
    date: Format,
}

/// Writes the ledger: `title` in row 1 (for example "槐荫区重点项目台账（截至 2026-11-29）"),
/// the headers in row 2, one project per row, then a 合计 row with the sums of investment and
/// areas. Money is written in 万元 as a number with four decimals shown as "#,##0.00".
pub fn write_projects(title: &str, rows: &[ProjectExportRow]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // Rows go to a temporary file as they are written, strings inline: a ledger of 100,000
    // projects is millions of cells, which the default worksheet holds in memory (hundreds of
    // megabytes in the server) and indexes in a table of shared strings.
    let sheet = book
        .add_worksheet_with_constant_memory()
        .set_name("重点项目台账")?;
    let styles = Styles {
        base: Formats::default(),
        numbers: ["#,##0.00", "#,##0", "#,##0.00", "0.000000"].map(|f| {
            Format::new()
                .set_num_format(f)
                .set_border(FormatBorder::Thin)
        }),
        date: Format::new()
            .set_num_format("yyyy-mm-dd")
            .set_border(FormatBorder::Thin),
    };
    let mut widths = write_heading(sheet, &styles.base, title, &HEADERS)?;
    // Printed the way ledgers are: A3 landscape, one page wide, the header on every page.
    sheet.set_landscape();
    sheet.set_paper_size(8);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 1)?;
    sheet.set_freeze_panes(2, 3)?;
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 2;
        let values = row_values(i + 1, row);
        write_row(sheet, &styles, r, &values, &mut widths)?;
    }
    let totals = totals(rows);
    write_row(sheet, &styles, rows.len() as u32 + 2, &totals, &mut widths)?;
    for col in [9, 10] {
        widths[col] = widths[col].max(14.0);
    }
    apply_widths(sheet, &widths)?;
    book.save_to_buffer()
}

fn write_row(
    sheet: &mut Worksheet,
    styles: &Styles,
    r: u32,
    values: &[Value],
    widths: &mut [f64],
) -> Result<(), XlsxError> {
    // The text a number is shown as, to size its column: one buffer for the whole row, as a
    // ledger of 100,000 rows has millions of cells.
    let mut shown = String::new();
    for (col, value) in values.iter().enumerate() {
        let c = col as u16;
        let width = match value {
            Value::Text(text) => {
                sheet.write_string_with_format(r, c, safe_text(text), &styles.base.cell)?;
                display_width(text)
            }
            Value::Number(number, num) => {
                sheet.write_number_with_format(r, c, *number, &styles.numbers[*num as usize])?;
                shown.clear();
                // Writing into a String cannot fail.
                let _ = write!(shown, "{number:.2},");
                display_width(&shown)
            }
            Value::Date(date) => {
                // The serial exists for any date the ledger holds (1900–9999).
                let serial = date_to_serial(*date).unwrap_or(1);
                sheet.write_number_with_format(r, c, serial as f64, &styles.date)?;
                display_width("2020-01-01")
            }
            Value::None => {
                sheet.write_blank(r, c, &styles.base.cell)?;
                0.0
            }
        };
        if let Some(column) = widths.get_mut(col) {
            *column = column.max(width + 2.0);
        }
    }
    Ok(())
}

/// The exact amount in 万元 as the nearest double: the only float on the way out, at the
/// cell itself (Excel stores numbers as doubles; 15 significant digits hold any 万元 amount
/// with four decimals up to 10^11 万元).
fn wan(money: Money) -> Value {
    let text = money.to_decimal_text(MoneyUnit::Wan);
    text.parse()
        .map_or(Value::None, |v| Value::Number(v, Num::Money))
}

fn land(area: LandArea) -> Value {
    Value::Number(area.0 as f64 / 100.0, Num::Hundredths)
}

fn text(value: &Option<String>) -> Value {
    value.clone().map_or(Value::None, Value::Text)
}

fn date(day: Option<NaiveDate>) -> Value {
    day.map_or(Value::None, Value::Date)
}

fn row_values(serial: usize, row: &ProjectExportRow) -> Vec<Value> {
    let d = &row.dates;
    vec![
        Value::Number(serial as f64, Num::Whole),
        text(&row.code),
        Value::Text(row.name.clone()),
        text(&row.platform),
        row.kind
            .map_or(Value::None, |k| Value::Text(kind_label(k).into())),
        row.stage
            .map_or(Value::None, |s| Value::Text(stage_label(s).into())),
        text(&row.department),
        text(&row.leader),
        row.total_investment.map_or(Value::None, wan),
        row.completed_investment.map_or(Value::None, wan),
        row.floor_area_m2
            .map_or(Value::None, |a| Value::Number(a as f64, Num::Whole)),
        row.land_area.map_or(Value::None, land),
        text(&row.address),
        row.longitude
            .map_or(Value::None, |v| Value::Number(v, Num::Degrees)),
        row.latitude
            .map_or(Value::None, |v| Value::Number(v, Num::Degrees)),
        date(d.signing.planned),
        date(d.signing.actual),
        date(d.start.planned),
        date(d.start.actual),
        date(d.structure.planned),
        date(d.structure.actual),
        date(d.completion.planned),
        date(d.completion.actual),
        date(d.operation.planned),
        date(d.operation.actual),
        row.status
            .map_or(Value::None, |c| Value::Text(colour_label(c).into())),
        text(&row.notes),
        if row.illustrative {
            Value::Text("是".into())
        } else {
            Value::None
        },
    ]
}

/// The 合计 row: sums of investment and areas as values (rust_xlsxwriter computes no
/// formulas), blank where a sum does not fit.
fn totals(rows: &[ProjectExportRow]) -> Vec<Value> {
    let mut values: Vec<Value> = (0..HEADERS.len()).map(|_| Value::None).collect();
    values[0] = Value::Text("合计".into());
    let money_sum = |get: fn(&ProjectExportRow) -> Option<Money>| {
        Money::try_sum(rows.iter().filter_map(get)).map_or(Value::None, wan)
    };
    values[TOTAL_COL as usize] = money_sum(|r| r.total_investment);
    values[TOTAL_COL as usize + 1] = money_sum(|r| r.completed_investment);
    let area_sum = |get: fn(&ProjectExportRow) -> Option<i64>| {
        rows.iter()
            .filter_map(get)
            .try_fold(0_i64, i64::checked_add)
    };
    values[10] =
        area_sum(|r| r.floor_area_m2).map_or(Value::None, |a| Value::Number(a as f64, Num::Whole));
    values[11] = area_sum(|r| r.land_area.map(|a| a.0)).map_or(Value::None, |a| land(LandArea(a)));
    values
}
