//! Dates in cells: Excel serials, and the ways Chinese offices type a day or a month.

use super::text::normalize_text;
use super::{CellError, CellErrorKind, CellValue, Decimal};
use chrono::{Days, NaiveDate};
use std::fmt;

/// A date as precise as the cell gave it: a day, or only a month ("2020年4月", "2020.4").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatePrecision {
    Day(NaiveDate),
    /// `month` is 1–12 when built by the parsers.
    Month {
        year: i32,
        month: u32,
    },
}

impl DatePrecision {
    /// The day itself, or the first day of the month (`None` for a month out of range).
    pub fn first_day(&self) -> Option<NaiveDate> {
        match *self {
            Self::Day(date) => Some(date),
            Self::Month { year, month } => NaiveDate::from_ymd_opt(year, month, 1),
        }
    }

    /// The day itself, or the last day of the month (`None` for a month out of range).
    pub fn last_day(&self) -> Option<NaiveDate> {
        match *self {
            Self::Day(date) => Some(date),
            Self::Month { .. } => {
                let first = self.first_day()?;
                first.checked_add_months(chrono::Months::new(1))?.pred_opt()
            }
        }
    }
}

/// ISO forms: "2020-04-02" for a day, "2020-04" for a month.
impl fmt::Display for DatePrecision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Day(date) => write!(f, "{}", date.format("%Y-%m-%d")),
            Self::Month { year, month } => write!(f, "{year:04}-{month:02}"),
        }
    }
}

/// The serial of 9999-12-31, the last day Excel knows.
const MAX_SERIAL: i64 = 2_958_465;
/// Plain numbers are read as serials only in this window (1906-01-08 to 2173-10-13): below
/// it they are typos like 4.2 or 20.4, above it compact dates like 202004.
const NUMBER_SERIALS: std::ops::Range<f64> = 2_200.0..100_000.0;
const MILLIS_PER_DAY: f64 = 86_400_000.0;

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a fixed valid date")
}

/// The day of an Excel serial in the 1900 date system: 1 is 1900-01-01, 61 is 1900-03-01.
/// Excel counts a 1900-02-29 that never was (serial 60, a bug kept from Lotus 1-2-3): it is
/// refused as impossible, and serials from 61 on are shifted back by it. The fraction is the
/// time of day and is dropped after rounding to Excel's millisecond, so 43922.9999999999
/// (midnight after float noise) is 43923. Serials below 1 are refused.
pub fn serial_to_date(serial: f64) -> Result<NaiveDate, CellErrorKind> {
    if !serial.is_finite() {
        return Err(CellErrorKind::DateOutOfRange);
    }
    let day = ((serial * MILLIS_PER_DAY).round() / MILLIS_PER_DAY).floor();
    if !(1.0..=MAX_SERIAL as f64).contains(&day) {
        return Err(CellErrorKind::DateOutOfRange);
    }
    let day = day as u64;
    let epoch = match day {
        60 => return Err(CellErrorKind::DateImpossible),
        1..60 => ymd(1899, 12, 31),
        _ => ymd(1899, 12, 30),
    };
    epoch
        .checked_add_days(Days::new(day))
        .ok_or(CellErrorKind::DateOutOfRange)
}

/// The Excel serial of a day, the inverse of [`serial_to_date`]; `None` outside
/// 1900-01-01..=9999-12-31.
pub fn date_to_serial(date: NaiveDate) -> Option<i64> {
    let epoch = if date >= ymd(1900, 3, 1) {
        ymd(1899, 12, 30)
    } else {
        ymd(1899, 12, 31)
    };
    let serial = (date - epoch).num_days();
    (1..=MAX_SERIAL).contains(&serial).then_some(serial)
}

/// Reads a date from a cell.
///
/// - Date cells are Excel serials (see [`serial_to_date`]).
/// - Number cells are serials too, except the shapes Excel leaves when it did not see a date
///   in what was typed: 20200402 is the day "20200402"; 2020.4 is the month "2020.4" (and
///   2020.1 is refused: "2020.10" became the same number); 2020 alone is a year without a
///   month. Other plain numbers are serials only from 2200 to 99999 (1906 to 2173): 4.2,
///   20.4 or 202004 are typed dates Excel did not see, not days in 1900 or 2453, and are
///   refused rather than read as dates no one meant.
/// - Text, after [`normalize_text`] (full-width digits, spaces): days "2020-04-02",
///   "2020-4-2", "2020/4/2", "2020.4.2", "2020年4月2日", "2020年4月2号", "20200402"; months
///   "2020年4月", "2020年4月份", "2020-04", "2020/4", "2020.4"; a time after the day
///   ("2020-04-02 10:30:00", "2020-04-02T10:30") is dropped. The year comes first and has
///   four digits; a two-digit year and a year at the end ("4/2/2020": day or month first?)
///   are refused.
pub fn parse_date(cell: &CellValue) -> Result<DatePrecision, CellError> {
    let result = match cell {
        CellValue::Empty => Err(CellErrorKind::Empty),
        CellValue::Bool(_) => Err(CellErrorKind::DateInvalid),
        CellValue::DateTime(serial) => serial_to_date(*serial).map(DatePrecision::Day),
        CellValue::Number(value) => number_date(*value),
        CellValue::Text(text) => {
            let text = normalize_text(text);
            if text.is_empty() {
                Err(CellErrorKind::Empty)
            } else {
                text_date(&text)
            }
        }
    };
    result.map_err(|kind| CellError::new(kind, cell))
}

fn number_date(value: f64) -> Result<DatePrecision, CellErrorKind> {
    if !value.is_finite() {
        return Err(CellErrorKind::DateInvalid);
    }
    let whole = value.fract() == 0.0;
    if whole && (10_000_101.0..=99_991_231.0).contains(&value) {
        let text = format!("{value:.0}");
        return day(&text[..4], &text[4..6], &text[6..]);
    }
    if (1900.0..2200.0).contains(&value) {
        if whole {
            return Err(CellErrorKind::DateYearOnly);
        }
        let decimal = Decimal::from_f64(value).ok_or(CellErrorKind::DateInvalid)?;
        return match decimal.frac.as_str() {
            "1" => Err(CellErrorKind::DateAmbiguousMonth),
            frac => month(&decimal.int, frac),
        };
    }
    if !NUMBER_SERIALS.contains(&value) {
        return Err(CellErrorKind::DateInvalid);
    }
    serial_to_date(value).map(DatePrecision::Day)
}

fn text_date(text: &str) -> Result<DatePrecision, CellErrorKind> {
    // Spaces inside the Chinese forms go ("2020 年 4 月 2 日"); the one after 日 or 号 stays,
    // it separates the time ("2020年4月2日 10:30").
    let chars: Vec<char> = text.chars().collect();
    let text: String = (0..chars.len())
        .filter(|&i| {
            let inside = i
                .checked_sub(1)
                .is_some_and(|j| ['年', '月'].contains(&chars[j]))
                || chars
                    .get(i + 1)
                    .is_some_and(|c| ['年', '月', '日', '号', '份'].contains(c));
            chars[i] != ' ' || !inside
        })
        .map(|i| chars[i])
        .collect();
    let (date, time) = match text.split_once([' ', 'T']) {
        Some((date, time)) => (date, Some(time)),
        None => (text.as_str(), None),
    };
    if time.is_some_and(|time| !valid_time(time)) {
        return Err(CellErrorKind::DateInvalid);
    }
    let parsed = if date.contains('年') {
        chinese_date(date)?
    } else if date.bytes().all(|b| b.is_ascii_digit()) {
        if date.len() != 8 {
            return Err(CellErrorKind::DateInvalid);
        }
        day(&date[..4], &date[4..6], &date[6..])?
    } else {
        separated_date(date)?
    };
    if time.is_some() && !matches!(parsed, DatePrecision::Day(_)) {
        return Err(CellErrorKind::DateInvalid);
    }
    Ok(parsed)
}

/// "2020年4月2日", "2020年4月2号", "2020年4月2", "2020年4月", "2020年4月份".
fn chinese_date(date: &str) -> Result<DatePrecision, CellErrorKind> {
    let (year_text, rest) = date.split_once('年').ok_or(CellErrorKind::DateInvalid)?;
    if rest.is_empty() {
        year(year_text)?;
        return Err(CellErrorKind::DateYearOnly);
    }
    let (month_text, rest) = rest.split_once('月').ok_or(CellErrorKind::DateInvalid)?;
    match rest {
        "" | "份" => month(year_text, month_text),
        _ => {
            let day_text = rest.strip_suffix(['日', '号']).unwrap_or(rest);
            day(year_text, month_text, day_text)
        }
    }
}

/// "2020-04-02", "2020/4/2", "2020.4.2", "2020-04", "2020/4", "2020.4": one separator.
fn separated_date(date: &str) -> Result<DatePrecision, CellErrorKind> {
    let separator = date
        .chars()
        .find(|c| !c.is_ascii_digit())
        .filter(|c| ['-', '/', '.'].contains(c))
        .ok_or(CellErrorKind::DateInvalid)?;
    let parts: Vec<&str> = date.split(separator).collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(CellErrorKind::DateInvalid);
    }
    let year_last = parts.last().is_some_and(|p| p.len() == 4) && parts[0].len() != 4;
    match parts.as_slice() {
        _ if year_last => Err(CellErrorKind::DateInvalid),
        [y, m] => month(y, m),
        [y, m, d] => day(y, m, d),
        _ => Err(CellErrorKind::DateInvalid),
    }
}

/// Four digits, not starting with 0; two digits are a two-digit year.
fn year(text: &str) -> Result<i32, CellErrorKind> {
    let digits = text.bytes().all(|b| b.is_ascii_digit());
    match text.len() {
        4 if digits && !text.starts_with('0') => {
            text.parse().map_err(|_| CellErrorKind::DateInvalid)
        }
        2 if digits => Err(CellErrorKind::DateTwoDigitYear),
        _ => Err(CellErrorKind::DateInvalid),
    }
}

/// One or two digits.
fn small(text: &str) -> Result<u32, CellErrorKind> {
    if (1..=2).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().map_err(|_| CellErrorKind::DateInvalid)
    } else {
        Err(CellErrorKind::DateInvalid)
    }
}

fn month(year_text: &str, month_text: &str) -> Result<DatePrecision, CellErrorKind> {
    let (year, month) = (year(year_text)?, small(month_text)?);
    if !(1..=12).contains(&month) {
        return Err(CellErrorKind::DateImpossible);
    }
    Ok(DatePrecision::Month { year, month })
}

fn day(year_text: &str, month_text: &str, day_text: &str) -> Result<DatePrecision, CellErrorKind> {
    let (year, month, day) = (year(year_text)?, small(month_text)?, small(day_text)?);
    NaiveDate::from_ymd_opt(year, month, day)
        .map(DatePrecision::Day)
        .ok_or(CellErrorKind::DateImpossible)
}

/// "10:30", "10:30:00", "10:30:00.000": a time of day, dropped after checking.
fn valid_time(time: &str) -> bool {
    let mut parts = time.split(':');
    let field =
        |part: Option<&str>, max: u32| part.and_then(|p| small(p).ok()).is_some_and(|n| n <= max);
    let (hour, minute) = (parts.next(), parts.next());
    let second = parts
        .next()
        .map(|s| s.split_once('.').map_or(s, |(whole, _)| whole));
    field(hour, 23)
        && field(minute, 59)
        && second.is_none_or(|s| field(Some(s), 59))
        && parts.next().is_none()
}

#[cfg(test)]
mod tests;
