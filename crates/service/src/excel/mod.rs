//! Spreadsheets in and out: shared helpers for the workbooks districtops writes, and the
//! engine of the project ledger's import and export.
//!
//! - [`safety`]: refuses an upload before any parser sees it (size, zip entries,
//!   uncompressed size, magic bytes, no workbook).
//! - [`read`]: one sheet of an xlsx as rows of [`CellValue`](districtops_domain::cells::CellValue),
//!   merged header cells expanded.
//! - [`projects_import`]: finds the header under title rows, maps Chinese headers and their
//!   units onto [`ProjectDraft`](districtops_domain::projects::ProjectDraft) fields, reads each
//!   row or lists every problem in it by cell ("D14").
//! - [`projects_export`]: the ledger as offices lay it out; importing it gives the same drafts.
//! - [`chart_export`]: the battle chart (作战图), projects × months with their flags.
//!
//! Everything here is pure: bytes in, values out; no database, no clock.

pub mod chart_export;
mod projects_cells;
pub mod projects_export;
mod projects_fields;
pub mod projects_import;
#[cfg(test)]
mod projects_import_tests;
pub mod projects_stream;
mod projects_values;
pub mod read;
pub mod safety;

pub use projects_fields::{Field, HeaderUnit};
pub use projects_values::{
    MatchKey, changed_fields, colour_label, field_texts, kind_label, match_key, parse_kind,
    parse_stage, stage_label,
};

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Worksheet, XlsxError};
use std::borrow::Cow;

/// Text that a spreadsheet could read as a formula (`= + - @`, or a tab or carriage return
/// before one) gets a leading apostrophe, so a value typed into districtops never runs as a
/// formula in Excel, WPS or a CSV made from the file.
pub fn safe_text(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The width a column needs for `text`, counting a Chinese character as two.
pub fn display_width(text: &str) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { 1.0 } else { 2.1 })
        .sum()
}

/// Formats shared by every export: a bold title, a shaded header row with borders.
pub struct Formats {
    pub title: Format,
    pub header: Format,
    pub cell: Format,
}

impl Default for Formats {
    fn default() -> Self {
        Self {
            title: Format::new().set_bold().set_font_size(14),
            header: Format::new()
                .set_bold()
                .set_background_color("#DDEBF7")
                .set_border(FormatBorder::Thin)
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            cell: Format::new().set_border(FormatBorder::Thin),
        }
    }
}

/// Writes a title in row 0, centred over the headers' width as offices lay it out, and headers
/// in row 1, freezes everything above row 2, and returns the starting column widths (from the
/// headers). Rows are written in order, as a worksheet that streams its rows needs.
pub fn write_heading(
    sheet: &mut Worksheet,
    formats: &Formats,
    title: &str,
    headers: &[&str],
) -> Result<Vec<f64>, XlsxError> {
    let title = safe_text(title);
    match headers.len() {
        0 | 1 => sheet.write_string_with_format(0, 0, title, &formats.title)?,
        n => {
            let centred = formats.title.clone().set_align(FormatAlign::Center);
            sheet.merge_range(0, 0, 0, n as u16 - 1, &title, &centred)?
        }
    };
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(1, col as u16, *header, &formats.header)?;
    }
    sheet.set_freeze_panes(2, 0)?;
    Ok(headers.iter().map(|h| display_width(h) + 2.0).collect())
}

/// Sets column widths, capped so a long note does not make a column a screen wide.
pub fn apply_widths(sheet: &mut Worksheet, widths: &[f64]) -> Result<(), XlsxError> {
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, width.clamp(6.0, 60.0))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starters_are_escaped() {
        for text in ["=1+1", "+86", "-5", "@SUM(A1)", "\t=x"] {
            assert!(safe_text(text).starts_with('\''), "{text}");
        }
        assert_eq!(safe_text("槐荫区"), "槐荫区");
        assert_eq!(safe_text("1+1"), "1+1");
    }

    #[test]
    fn chinese_counts_double() {
        assert!(display_width("槐荫区") > display_width("abc") * 2.0);
    }
}
