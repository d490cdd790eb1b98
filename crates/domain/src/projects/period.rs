//! Reporting periods: a calendar month (`2026-11`), the period of a progress report and of the
//! status light.

use crate::validation::FieldError;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A calendar month. Ordered by time; written `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Period {
    year: i32,
    month: u32,
}

impl Period {
    /// The month `month` (1–12) of `year`; `None` for a month that does not exist or lies
    /// outside the calendar's range.
    pub fn new(year: i32, month: u32) -> Option<Self> {
        let period = Self { year, month };
        ((1..=12).contains(&month) && period.first_day_opt().is_some()).then_some(period)
    }

    /// The month that contains `date`.
    pub fn containing(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            month: date.month(),
        }
    }

    /// Parses `YYYY-MM` (four-digit year from 0001, two-digit month), surrounding blanks
    /// ignored.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let invalid = FieldError::new("period", "project.period.invalid");
        let (year, month) = raw.trim().split_once('-').ok_or(invalid.clone())?;
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(year, 4) || !digits(month, 2) {
            return Err(invalid);
        }
        match (year.parse(), month.parse()) {
            (Ok(year), Ok(month)) if year >= 1 => Self::new(year, month).ok_or(invalid),
            _ => Err(invalid),
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(self) -> u32 {
        self.month
    }

    fn first_day_opt(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month, 1)
    }

    /// The first day of the month.
    pub fn first_day(self) -> NaiveDate {
        self.first_day_opt()
            .expect("a Period is a month of the calendar")
    }

    /// The last day of the month: the 28th, 29th (leap February), 30th or 31st.
    pub fn last_day(self) -> NaiveDate {
        (28..=31)
            .rev()
            .find_map(|day| NaiveDate::from_ymd_opt(self.year, self.month, day))
            .expect("a Period is a month of the calendar")
    }

    /// Whether `date` falls in this month.
    pub fn contains(self, date: NaiveDate) -> bool {
        date.year() == self.year && date.month() == self.month
    }

    /// The month after this one; `None` at the end of the calendar.
    pub fn next(self) -> Option<Self> {
        self.last_day().succ_opt().map(Self::containing)
    }

    /// The month before this one; `None` at the start of the calendar.
    pub fn prev(self) -> Option<Self> {
        self.first_day().pred_opt().map(Self::containing)
    }

    /// Every month from `first` to `last`, both included, in order; empty when `last` is
    /// before `first`.
    pub fn range(first: Period, last: Period) -> Periods {
        Periods {
            next: (first <= last).then_some(first),
            last,
        }
    }

    /// How many months from `self` to `other` (negative when `other` is earlier).
    pub fn months_until(self, other: Period) -> i64 {
        (i64::from(other.year) - i64::from(self.year)) * 12 + i64::from(other.month)
            - i64::from(self.month)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl From<Period> for String {
    fn from(period: Period) -> Self {
        period.to_string()
    }
}

impl TryFrom<String> for Period {
    type Error = FieldError;

    fn try_from(raw: String) -> Result<Self, FieldError> {
        Self::parse(&raw)
    }
}

/// The months of a [`Period::range`], oldest first.
#[derive(Clone, Debug)]
pub struct Periods {
    next: Option<Period>,
    last: Period,
}

impl Iterator for Periods {
    type Item = Period;

    fn next(&mut self) -> Option<Period> {
        let current = self.next?;
        self.next = current.next().filter(|next| *next <= self.last);
        Some(current)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.next.map_or(0, |next| next.months_until(self.last) + 1);
        let n = usize::try_from(n).unwrap_or(0);
        (n, Some(n))
    }
}

impl ExactSizeIterator for Periods {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn p(y: i32, m: u32) -> Period {
        Period::new(y, m).unwrap()
    }

    #[test]
    fn parses_year_and_month() {
        assert_eq!(Period::parse("2026-11"), Ok(p(2026, 11)));
        assert_eq!(Period::parse(" 2020-04 "), Ok(p(2020, 4)));
        for raw in [
            "2026-13",
            "2026-00",
            "2026-1",
            "26-11",
            "2026/11",
            "2026-11-01",
            "",
            "0000-01",
            "２０２６-11",
            "+202-11",
        ] {
            assert_eq!(
                Period::parse(raw).unwrap_err().message,
                "project.period.invalid",
                "{raw}"
            );
        }
        assert_eq!(p(2026, 1).to_string(), "2026-01");
    }

    #[test]
    fn month_ends_know_leap_februaries() {
        assert_eq!(p(2026, 1).last_day(), day(2026, 1, 31));
        assert_eq!(p(2026, 2).last_day(), day(2026, 2, 28));
        assert_eq!(p(2024, 2).last_day(), day(2024, 2, 29));
        assert_eq!(p(2000, 2).last_day(), day(2000, 2, 29));
        assert_eq!(p(1900, 2).last_day(), day(1900, 2, 28));
        assert_eq!(p(2026, 4).last_day(), day(2026, 4, 30));
        assert_eq!(p(2026, 12).last_day(), day(2026, 12, 31));
        assert_eq!(p(2026, 12).first_day(), day(2026, 12, 1));
    }

    #[test]
    fn next_and_prev_cross_years() {
        assert_eq!(p(2026, 12).next(), Some(p(2027, 1)));
        assert_eq!(p(2027, 1).prev(), Some(p(2026, 12)));
        assert_eq!(p(2026, 5).next(), Some(p(2026, 6)));
        assert!(p(2026, 12) < p(2027, 1) && p(2026, 2) < p(2026, 10));
        let last = Period::containing(NaiveDate::MAX);
        assert_eq!(last.next(), None);
        assert_eq!(Period::containing(NaiveDate::MIN).prev(), None);
    }

    #[test]
    fn contains_exactly_the_days_of_the_month() {
        let feb = p(2024, 2);
        assert!(feb.contains(day(2024, 2, 1)) && feb.contains(day(2024, 2, 29)));
        assert!(!feb.contains(day(2024, 1, 31)) && !feb.contains(day(2024, 3, 1)));
        assert!(!feb.contains(day(2023, 2, 1)));
        assert_eq!(Period::containing(day(2024, 2, 29)), feb);
    }

    #[test]
    fn ranges_include_both_ends() {
        let months: Vec<String> = Period::range(p(2025, 11), p(2026, 2))
            .map(|m| m.to_string())
            .collect();
        assert_eq!(months, ["2025-11", "2025-12", "2026-01", "2026-02"]);
        assert_eq!(Period::range(p(2026, 2), p(2026, 2)).count(), 1);
        assert_eq!(Period::range(p(2026, 3), p(2026, 2)).count(), 0);
        assert_eq!(Period::range(p(2020, 1), p(2026, 12)).len(), 84);
    }

    proptest! {
        #[test]
        fn every_day_is_in_exactly_its_month(days in 0i64..200_000) {
            let date = day(1900, 1, 1) + chrono::Duration::days(days);
            let month = Period::containing(date);
            prop_assert!(month.contains(date));
            prop_assert!(month.first_day() <= date && date <= month.last_day());
            prop_assert!(!month.next().unwrap().contains(date));
            prop_assert!(!month.prev().unwrap().contains(date));
            prop_assert_eq!(month.last_day().succ_opt().unwrap(), month.next().unwrap().first_day());
            prop_assert_eq!(Period::parse(&month.to_string()), Ok(month));
        }

        #[test]
        fn ranges_step_one_month_at_a_time(a in 0u32..400, b in 0u32..400) {
            let first = Period::containing(day(2000, 1, 1)) ;
            let from = (0..a).fold(first, |m, _| m.next().unwrap());
            let to = (0..b).fold(first, |m, _| m.next().unwrap());
            let months: Vec<Period> = Period::range(from, to).collect();
            prop_assert_eq!(months.len(), if a <= b { (b - a + 1) as usize } else { 0 });
            prop_assert!(months.windows(2).all(|w| w[0].next() == Some(w[1])));
            prop_assert_eq!(from.months_until(to), i64::from(b) - i64::from(a));
        }
    }
}
