//! Turning what spreadsheet cells hold into typed values.
//!
//! Staff keep their ledgers in Excel, WPS or LibreOffice and type the way Chinese offices
//! type: full-width digits, "2020年4月", "2020.4" that Excel has turned into a number,
//! "1,200万", "2300余亩". The importer maps each cell of the reading library onto a
//! [`CellValue`]; the functions here turn it into a date or an exact number, or into a
//! [`CellError`] that names the rule broken (a catalog key) and keeps the text the cell held,
//! so the import report can say "D14: 无法识别的日期 '2020.13.1'".

mod dates;
mod decimal;
mod numbers;
mod text;

pub use dates::{DatePrecision, date_to_serial, parse_date, serial_to_date};
pub use numbers::{ParsedNumber, parse_number};
pub use text::normalize_text;

pub(crate) use decimal::Decimal;
use serde::Serialize;

/// What one spreadsheet cell holds.
#[derive(Clone, Debug, PartialEq)]
pub enum CellValue {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// A number the sheet formats as a date or time: the Excel serial (days in the 1900 date
    /// system, the fraction is the time of day).
    DateTime(f64),
}

impl CellValue {
    /// Whether the cell holds nothing but white space. Optional columns skip blank cells
    /// before parsing; the parsers answer [`CellErrorKind::Empty`] for them.
    pub fn is_blank(&self) -> bool {
        match self {
            Self::Empty => true,
            Self::Text(text) => normalize_text(text).is_empty(),
            _ => false,
        }
    }

    /// The cell as the report quotes it: text as typed, numbers as Excel shows them
    /// ("127.38", not "127.38000000000001"), booleans as Excel writes them.
    pub fn raw_text(&self) -> String {
        match self {
            Self::Empty => String::new(),
            Self::Text(text) => text.clone(),
            Self::Number(value) | Self::DateTime(value) => {
                Decimal::from_f64(*value).map_or_else(|| value.to_string(), |d| d.canonical())
            }
            Self::Bool(true) => "TRUE".to_owned(),
            Self::Bool(false) => "FALSE".to_owned(),
        }
    }
}

/// Which rule a cell broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CellErrorKind {
    /// The cell is empty or white space only.
    Empty,
    /// Not a date in any form we read.
    DateInvalid,
    /// A date in a form we read that does not exist: month 13, 31 April, 29 February 2021,
    /// or Excel's 1900-02-29 (serial 60).
    DateImpossible,
    /// A year written with two digits ("20.4.2", "20年4月"): 1920 or 2020 is a guess.
    DateTwoDigitYear,
    /// A year without a month ("2020年", or 2020 typed as a number).
    DateYearOnly,
    /// A number like 2020.1: Excel turned the typed "2020.10" into 2020.1 as well as
    /// "2020.1", so January and October cannot be told apart.
    DateAmbiguousMonth,
    /// An Excel serial before 1900-01-01 or after 9999-12-31.
    DateOutOfRange,
    /// Not a number in any form we read.
    NumberInvalid,
}

impl CellErrorKind {
    /// The catalog key of the message.
    pub fn message_key(self) -> &'static str {
        match self {
            Self::Empty => "cell.empty",
            Self::DateInvalid => "cell.date.invalid",
            Self::DateImpossible => "cell.date.impossible",
            Self::DateTwoDigitYear => "cell.date.two_digit_year",
            Self::DateYearOnly => "cell.date.year_only",
            Self::DateAmbiguousMonth => "cell.date.ambiguous_month",
            Self::DateOutOfRange => "cell.date.out_of_range",
            Self::NumberInvalid => "cell.number.invalid",
        }
    }
}

/// A cell that could not be read: the rule it broke and what it held.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}: '{raw}'", kind.message_key())]
pub struct CellError {
    pub kind: CellErrorKind,
    /// The cell as typed (see [`CellValue::raw_text`]), for the report.
    pub raw: String,
}

impl CellError {
    pub fn new(kind: CellErrorKind, cell: &CellValue) -> Self {
        Self {
            kind,
            raw: cell.raw_text(),
        }
    }

    /// The catalog key of the message.
    pub fn message_key(&self) -> &'static str {
        self.kind.message_key()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_cells_are_empty_or_white_space() {
        assert!(CellValue::Empty.is_blank());
        assert!(CellValue::Text(" \u{3000} ".into()).is_blank());
        assert!(!CellValue::Text("-".into()).is_blank());
        assert!(!CellValue::Number(0.0).is_blank());
        assert!(!CellValue::Bool(false).is_blank());
    }

    #[test]
    fn raw_text_is_what_excel_shows() {
        assert_eq!(
            CellValue::Number(127.380_000_000_000_01).raw_text(),
            "127.38"
        );
        assert_eq!(CellValue::DateTime(43923.5).raw_text(), "43923.5");
        assert_eq!(
            CellValue::Text(" 2020.13.1 ".into()).raw_text(),
            " 2020.13.1 "
        );
        assert_eq!(CellValue::Bool(true).raw_text(), "TRUE");
        assert_eq!(CellValue::Number(f64::NAN).raw_text(), "NaN");
        assert_eq!(CellValue::Empty.raw_text(), "");
    }

    #[test]
    fn errors_carry_key_and_text() {
        let error = CellError::new(
            CellErrorKind::DateImpossible,
            &CellValue::Text("2020.13.1".into()),
        );
        assert_eq!(error.message_key(), "cell.date.impossible");
        assert_eq!(error.raw, "2020.13.1");
        assert_eq!(error.to_string(), "cell.date.impossible: '2020.13.1'");
    }
}
