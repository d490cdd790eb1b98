//! Quarters (`2026-Q4`) and the period of an investment plan target: a month or a quarter.

use super::period::{Period, Periods};
use crate::validation::FieldError;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A calendar quarter: Q1 is January–March. Ordered by time; written `YYYY-Qn`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Quarter {
    year: i32,
    quarter: u32,
}

impl Quarter {
    /// Quarter `quarter` (1–4) of `year`; `None` outside 1–4 or the calendar's range.
    pub fn new(year: i32, quarter: u32) -> Option<Self> {
        ((1..=4).contains(&quarter) && Period::new(year, 1).is_some())
            .then_some(Self { year, quarter })
    }

    /// The quarter that contains `date`.
    pub fn containing(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            quarter: (date.month() - 1) / 3 + 1,
        }
    }

    /// Parses `YYYY-Qn` (`q` in either case), surrounding blanks ignored.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let invalid = FieldError::new("period", "project.period.invalid");
        let raw = raw.trim();
        let (year, quarter) = raw
            .split_once("-Q")
            .or_else(|| raw.split_once("-q"))
            .ok_or(invalid.clone())?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid);
        }
        match (year.parse(), quarter) {
            (Ok(year), "1" | "2" | "3" | "4") if year >= 1 => {
                Self::new(year, quarter.parse().unwrap_or(0)).ok_or(invalid)
            }
            _ => Err(invalid),
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    /// The quarter of the year, 1–4.
    pub fn quarter(self) -> u32 {
        self.quarter
    }

    /// The first month of the quarter.
    pub fn first_month(self) -> Period {
        Period::new(self.year, self.quarter * 3 - 2).expect("a Quarter is in the calendar")
    }

    /// The last month of the quarter.
    pub fn last_month(self) -> Period {
        Period::new(self.year, self.quarter * 3).expect("a Quarter is in the calendar")
    }

    /// The three months of the quarter.
    pub fn months(self) -> Periods {
        Period::range(self.first_month(), self.last_month())
    }

    pub fn first_day(self) -> NaiveDate {
        self.first_month().first_day()
    }

    /// The last day of the quarter: 31 March, 30 June, 30 September or 31 December.
    pub fn last_day(self) -> NaiveDate {
        self.last_month().last_day()
    }

    /// Whether `date` falls in this quarter.
    pub fn contains(self, date: NaiveDate) -> bool {
        Self::containing(date) == self
    }

    /// The quarter after this one; `None` at the end of the calendar.
    pub fn next(self) -> Option<Self> {
        self.last_month()
            .next()
            .map(|m| Self::containing(m.first_day()))
    }

    /// The quarter before this one; `None` at the start of the calendar.
    pub fn prev(self) -> Option<Self> {
        self.first_month()
            .prev()
            .map(|m| Self::containing(m.first_day()))
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-Q{}", self.year, self.quarter)
    }
}

impl From<Quarter> for String {
    fn from(quarter: Quarter) -> Self {
        quarter.to_string()
    }
}

impl TryFrom<String> for Quarter {
    type Error = FieldError;

    fn try_from(raw: String) -> Result<Self, FieldError> {
        Self::parse(&raw)
    }
}

/// The period of one investment plan target: a plan is kept by month or by quarter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum PlanPeriod {
    Month(Period),
    Quarter(Quarter),
}

impl PlanPeriod {
    /// Parses `YYYY-MM` as a month or `YYYY-Qn` as a quarter.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Period::parse(raw)
            .map(Self::Month)
            .or_else(|_| Quarter::parse(raw).map(Self::Quarter))
    }

    pub fn first_day(self) -> NaiveDate {
        match self {
            Self::Month(month) => month.first_day(),
            Self::Quarter(quarter) => quarter.first_day(),
        }
    }

    /// The last day of the period: a target is due by the end of this day.
    pub fn last_day(self) -> NaiveDate {
        match self {
            Self::Month(month) => month.last_day(),
            Self::Quarter(quarter) => quarter.last_day(),
        }
    }

    /// Whether `date` falls in the period.
    pub fn contains(self, date: NaiveDate) -> bool {
        self.first_day() <= date && date <= self.last_day()
    }
}

impl fmt::Display for PlanPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Month(month) => month.fmt(f),
            Self::Quarter(quarter) => quarter.fmt(f),
        }
    }
}

impl From<PlanPeriod> for String {
    fn from(period: PlanPeriod) -> Self {
        period.to_string()
    }
}

impl TryFrom<String> for PlanPeriod {
    type Error = FieldError;

    fn try_from(raw: String) -> Result<Self, FieldError> {
        Self::parse(&raw)
    }
}

impl From<Period> for PlanPeriod {
    fn from(month: Period) -> Self {
        Self::Month(month)
    }
}

impl From<Quarter> for PlanPeriod {
    fn from(quarter: Quarter) -> Self {
        Self::Quarter(quarter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn q(y: i32, n: u32) -> Quarter {
        Quarter::new(y, n).unwrap()
    }

    #[test]
    fn parses_quarters_and_plan_periods() {
        assert_eq!(Quarter::parse("2026-Q4"), Ok(q(2026, 4)));
        assert_eq!(Quarter::parse(" 2026-q1 "), Ok(q(2026, 1)));
        for raw in [
            "2026-Q5", "2026-Q0", "2026-Q", "2026Q1", "26-Q1", "2026-Q+1", "2026-Q01",
        ] {
            assert_eq!(
                Quarter::parse(raw).unwrap_err().message,
                "project.period.invalid",
                "{raw}"
            );
        }
        assert_eq!(q(2026, 4).to_string(), "2026-Q4");
        assert_eq!(
            PlanPeriod::parse("2026-11"),
            Ok(PlanPeriod::Month(Period::new(2026, 11).unwrap()))
        );
        assert_eq!(
            PlanPeriod::parse("2026-Q3"),
            Ok(PlanPeriod::Quarter(q(2026, 3)))
        );
        assert!(PlanPeriod::parse("2026-H2").is_err());
    }

    #[test]
    fn quarters_span_three_months() {
        assert_eq!(q(2026, 1).first_day(), day(2026, 1, 1));
        assert_eq!(q(2026, 1).last_day(), day(2026, 3, 31));
        assert_eq!(q(2026, 2).last_day(), day(2026, 6, 30));
        assert_eq!(q(2026, 3).last_day(), day(2026, 9, 30));
        assert_eq!(q(2026, 4).last_day(), day(2026, 12, 31));
        let months: Vec<String> = q(2024, 1).months().map(|m| m.to_string()).collect();
        assert_eq!(months, ["2024-01", "2024-02", "2024-03"]);
        assert_eq!(q(2026, 4).next(), Some(q(2027, 1)));
        assert_eq!(q(2027, 1).prev(), Some(q(2026, 4)));
        assert!(q(2026, 4) < q(2027, 1));
        assert!(q(2026, 2).contains(day(2026, 4, 1)) && !q(2026, 2).contains(day(2026, 3, 31)));
    }

    #[test]
    fn plan_periods_end_on_their_last_day() {
        let feb = PlanPeriod::from(Period::new(2024, 2).unwrap());
        assert_eq!(feb.last_day(), day(2024, 2, 29));
        assert!(feb.contains(day(2024, 2, 29)) && !feb.contains(day(2024, 3, 1)));
        let q1 = PlanPeriod::from(q(2026, 1));
        assert_eq!(q1.first_day(), day(2026, 1, 1));
        assert_eq!(q1.last_day(), day(2026, 3, 31));
        assert_eq!(q1.to_string(), "2026-Q1");
    }

    proptest! {
        #[test]
        fn every_day_is_in_exactly_its_quarter(days in 0i64..200_000) {
            let date = day(1900, 1, 1) + chrono::Duration::days(days);
            let quarter = Quarter::containing(date);
            prop_assert!(quarter.first_day() <= date && date <= quarter.last_day());
            prop_assert!(quarter.months().any(|m| m.contains(date)));
            prop_assert_eq!(quarter.last_day().succ_opt().unwrap(), quarter.next().unwrap().first_day());
            prop_assert_eq!(Quarter::parse(&quarter.to_string()), Ok(quarter));
            prop_assert_eq!(PlanPeriod::parse(&quarter.to_string()), Ok(PlanPeriod::Quarter(quarter)));
        }
    }
}
