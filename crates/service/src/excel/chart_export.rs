//! The battle chart (作战图) as a workbook: a title row, a header row with the project
//! columns and one column per month, one row per project with the month's marks in its cell,
//! then a legend. Printed A3 landscape with the header on every page; the marks are shapes
//! and words, so a black-and-white copy reads the same.

use super::projects_values::{colour_label, stage_label};
use super::{Formats, apply_widths, display_width, safe_text, write_heading};
use crate::projects::chart::{FlagName, Mark, MarkKind, Moment};
use districtops_domain::projects::{Colour, Period, Stage};
use rust_xlsxwriter::{Workbook, XlsxError};

/// One project's row as the workbook writes it.
#[derive(Clone, Debug)]
pub struct ChartLine {
    pub code: Option<String>,
    pub name: String,
    pub stage: Option<Stage>,
    pub colour: Option<Colour>,
    /// One list of marks per month.
    pub cells: Vec<Vec<Mark>>,
}

/// The columns before the months.
const LEADING: [&str; 5] = ["序号", "项目编号", "项目名称", "项目阶段", "状态"];

/// What each mark means, for the legend (and the words after a mark's name).
pub fn kind_text(kind: MarkKind) -> &'static str {
    match kind {
        MarkKind::Planned => "计划",
        MarkKind::OnTime => "按期完成",
        MarkKind::Late => "逾期完成",
        MarkKind::Overdue => "逾期未完成",
    }
}

fn moment_text(moment: Moment) -> &'static str {
    match moment {
        Moment::Signing => "签约",
        Moment::Start => "开工",
        Moment::Structure => "主体完工",
        Moment::Completion => "竣工",
        Moment::Operation => "投用",
    }
}

/// A mark as a line of its cell: "⚑主体封顶 04-01（逾期完成）".
fn mark_text(mark: &Mark) -> String {
    let name = match &mark.name {
        FlagName::Moment(moment) => moment_text(*moment),
        FlagName::Milestone(name) => name.as_str(),
    };
    let day = mark.on.format("%m-%d");
    match mark.kind {
        MarkKind::Planned | MarkKind::OnTime => format!("{}{name} {day}", mark.kind.symbol()),
        kind => format!("{}{name} {day}（{}）", kind.symbol(), kind_text(kind)),
    }
}

/// Writes the chart: `title` in row 1, the headers in row 2 (months as "2020年4月"), one
/// project per row, then the legend under the table.
pub fn write_chart(
    title: &str,
    months: &[Period],
    lines: &[ChartLine],
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("作战图")?;
    let formats = Formats::default();
    let month_names: Vec<String> = months
        .iter()
        .map(|m| format!("{}年{}月", m.year(), m.month()))
        .collect();
    let headers: Vec<&str> = LEADING
        .iter()
        .copied()
        .chain(month_names.iter().map(String::as_str))
        .collect();
    let mut widths = write_heading(sheet, &formats, title, &headers)?;
    sheet.set_landscape();
    sheet.set_paper_size(8);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 1)?;
    sheet.set_freeze_panes(2, LEADING.len() as u16)?;
    let wrap = formats.cell.clone().set_text_wrap();
    let colour_format = |colour: Colour| {
        let fill = match colour {
            Colour::Red => "#F8CBAD",
            Colour::Yellow => "#FFE699",
            Colour::Green => "#C6EFCE",
        };
        formats.cell.clone().set_background_color(fill).set_bold()
    };
    for (i, line) in lines.iter().enumerate() {
        let r = i as u32 + 2;
        sheet.write_number_with_format(r, 0, (i + 1) as f64, &formats.cell)?;
        let texts = [
            line.code.clone().unwrap_or_default(),
            line.name.clone(),
            line.stage.map(stage_label).unwrap_or_default().to_owned(),
        ];
        for (c, text) in texts.iter().enumerate() {
            let col = c as u16 + 1;
            sheet.write_string_with_format(r, col, safe_text(text), &formats.cell)?;
            widths[c + 1] = widths[c + 1].max(display_width(text) + 2.0);
        }
        match line.colour {
            Some(colour) => sheet.write_string_with_format(
                r,
                4,
                colour_label(colour),
                &colour_format(colour),
            )?,
            None => sheet.write_blank(r, 4, &formats.cell)?,
        };
        for (m, marks) in line.cells.iter().enumerate() {
            let col = (LEADING.len() + m) as u16;
            let lines: Vec<String> = marks.iter().map(mark_text).collect();
            let text = lines.join("\n");
            sheet.write_string_with_format(r, col, safe_text(&text), &wrap)?;
            let widest = lines.iter().map(|l| display_width(l)).fold(0.0, f64::max);
            widths[LEADING.len() + m] = widths[LEADING.len() + m].max(widest + 2.0);
        }
    }
    let legend_row = lines.len() as u32 + 3;
    sheet.write_string_with_format(legend_row, 0, "图例", &formats.header)?;
    for (i, kind) in MarkKind::ALL.into_iter().enumerate() {
        let text = format!("{} {}", kind.symbol(), kind_text(kind));
        sheet.write_string(legend_row + 1 + i as u32, 1, &text)?;
    }
    sheet.write_string(
        legend_row + 5,
        1,
        "状态列：红灯、黄灯、绿灯（以文字标明，黑白打印亦可辨认）",
    )?;
    for width in widths.iter_mut().take(LEADING.len() - 2) {
        *width = width.max(8.0);
    }
    apply_widths(sheet, &widths)?;
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::excel::read::read_sheet;
    use chrono::NaiveDate;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn the_workbook_has_the_title_months_marks_and_legend() {
        let months: Vec<Period> = Period::range(
            Period::parse("2020-03").unwrap(),
            Period::parse("2020-04").unwrap(),
        )
        .collect();
        let late = Mark {
            name: FlagName::Milestone("主体封顶".into()),
            kind: MarkKind::Late,
            on: day("2020-04-01"),
            planned: Some(day("2020-03-31")),
        };
        let start = Mark {
            name: FlagName::Moment(Moment::Start),
            kind: MarkKind::OnTime,
            on: day("2020-04-02"),
            planned: None,
        };
        let line = ChartLine {
            code: Some("=HYPERLINK(1)".into()),
            name: "树兰医院".into(),
            stage: Some(Stage::UnderConstruction),
            colour: Some(Colour::Red),
            cells: vec![vec![], vec![late, start]],
        };
        let bytes = write_chart("槐荫区重点项目作战图", &months, &[line]).unwrap();
        let sheet = read_sheet(&bytes, None).unwrap();
        let text = format!("{sheet:?}");
        for expected in [
            "槐荫区重点项目作战图",
            "2020年3月",
            "2020年4月",
            "⚑主体封顶 04-01（逾期完成）\\n⚑开工 04-02",
            "'=HYPERLINK(1)",
            "红灯",
            "图例",
            "⚠ 逾期未完成",
        ] {
            assert!(text.contains(expected), "{expected} missing in {text}");
        }
    }
}
