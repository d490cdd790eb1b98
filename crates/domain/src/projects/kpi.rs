//! Annual targets (年度指标) of the district and its platforms, and the dated phases of a
//! platform's roadmap (发展路径).
//!
//! A target's actual value is never typed: it is computed from the ledger by its
//! [`KpiMetric`], a closed list, each with its [`KpiUnit`]. Values are exact integers in the
//! unit's base (元, m², a count); people type and read them in the display unit (亿元,
//! 万平方米, 个), parsed and printed as decimal text, never through a float.

use crate::cells::Decimal;
use crate::validation::FieldError;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The unit a target is typed and shown in, and the base its values are stored in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KpiUnit {
    /// 亿元, stored in 元.
    Yi,
    /// 万平方米, stored in m².
    WanM2,
    /// 个, a count.
    Count,
}

impl KpiUnit {
    /// How many decimals of the display unit make one base unit: 亿元 has 8 (1 元), 万平方米
    /// 4 (1 m²), a count none.
    pub const fn decimals(self) -> usize {
        match self {
            Self::Yi => 8,
            Self::WanM2 => 4,
            Self::Count => 0,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Yi => "yi",
            Self::WanM2 => "wan_m2",
            Self::Count => "count",
        }
    }

    /// The catalog key of the unit's name ("亿元", "万平方米", "个").
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Yi => "goal.unit.yi",
            Self::WanM2 => "goal.unit.wan_m2",
            Self::Count => "goal.unit.count",
        }
    }

    /// Reads a value of zero or more typed in the display unit ("127.38" 亿元 is
    /// 12 738 000 000 元), refusing what is not a number, negatives, more decimals than one
    /// base unit, and values that do not fit.
    pub fn parse_value(self, text: &str, field: &'static str) -> Result<i64, FieldError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(FieldError::new(field, "validation.required"));
        }
        let decimal =
            Decimal::parse(text).ok_or(FieldError::new(field, "goal.kpi.value_invalid"))?;
        if decimal.negative {
            return Err(FieldError::new(field, "goal.kpi.value_negative"));
        }
        if decimal.frac.len() > self.decimals() {
            return Err(FieldError::new(field, "goal.kpi.value_too_precise"));
        }
        let base = decimal.shifted(self.decimals());
        match base.int.as_str() {
            "" => Ok(0),
            digits => digits
                .parse()
                .map_err(|_| FieldError::new(field, "goal.kpi.value_invalid")),
        }
    }

    /// The exact value in the display unit, grouped, without the unit: "1,234.5678".
    /// [`KpiUnit::parse_value`] reads it back to the same base value.
    pub fn format_exact(self, base: i64) -> String {
        Decimal::from_scaled(base.into(), self.decimals()).grouped()
    }

    /// The value in the display unit rounded half up to at most `places` decimals, trailing
    /// zeros dropped: 64 812 345 678 元 is "648.12" 亿元.
    pub fn format_rounded(self, base: i64, places: usize) -> String {
        let places = places.min(self.decimals());
        let divisor = 10_i128.pow((self.decimals() - places) as u32);
        let value = i128::from(base);
        let half = divisor / 2;
        let rounded = if value < 0 {
            -((-value + half) / divisor)
        } else {
            (value + half) / divisor
        };
        Decimal::from_scaled(rounded, places).grouped()
    }
}

/// How a target's actual value is computed from the ledger. The actual is always counted
/// over the projects the reader may see, of the target's platform (or the whole district).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KpiMetric {
    /// Investment completed in the year: the sum of the year's monthly progress reports.
    CompletedInvestment,
    /// Total investment of the projects signed in the year (actual signing date).
    SignedInvestment,
    /// Projects signed in the year (actual signing date).
    ProjectsSigned,
    /// Projects started in the year (actual start date).
    ProjectsStarted,
    /// Projects completed in the year (actual completion date).
    ProjectsCompleted,
    /// Floor area of the projects started in the year.
    FloorAreaStarted,
    /// Projects on the ledger, whatever their stage or year.
    ProjectsTotal,
}

impl KpiMetric {
    pub const ALL: [KpiMetric; 7] = [
        Self::CompletedInvestment,
        Self::SignedInvestment,
        Self::ProjectsSigned,
        Self::ProjectsStarted,
        Self::ProjectsCompleted,
        Self::FloorAreaStarted,
        Self::ProjectsTotal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::CompletedInvestment => "completed_investment",
            Self::SignedInvestment => "signed_investment",
            Self::ProjectsSigned => "projects_signed",
            Self::ProjectsStarted => "projects_started",
            Self::ProjectsCompleted => "projects_completed",
            Self::FloorAreaStarted => "floor_area_started",
            Self::ProjectsTotal => "projects_total",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|metric| metric.as_str() == raw.trim())
            .ok_or(FieldError::new("metric", "goal.kpi.metric_invalid"))
    }

    /// The catalog key of how the actual is computed ("本年完成投资（月度进度报告合计）").
    pub fn label_key(self) -> &'static str {
        match self {
            Self::CompletedInvestment => "goal.metric.completed_investment",
            Self::SignedInvestment => "goal.metric.signed_investment",
            Self::ProjectsSigned => "goal.metric.projects_signed",
            Self::ProjectsStarted => "goal.metric.projects_started",
            Self::ProjectsCompleted => "goal.metric.projects_completed",
            Self::FloorAreaStarted => "goal.metric.floor_area_started",
            Self::ProjectsTotal => "goal.metric.projects_total",
        }
    }

    pub fn unit(self) -> KpiUnit {
        match self {
            Self::CompletedInvestment | Self::SignedInvestment => KpiUnit::Yi,
            Self::FloorAreaStarted => KpiUnit::WanM2,
            Self::ProjectsSigned
            | Self::ProjectsStarted
            | Self::ProjectsCompleted
            | Self::ProjectsTotal => KpiUnit::Count,
        }
    }
}

/// The share of the target reached, in whole percent rounded down (it may pass 100); `None`
/// for a target of zero, which any actual meets.
pub fn percent_of(actual: i64, target: i64) -> Option<i64> {
    if target <= 0 {
        return None;
    }
    let percent = i128::from(actual.max(0)) * 100 / i128::from(target);
    Some(i64::try_from(percent).unwrap_or(i64::MAX))
}

/// The years a target or a phase may be set for.
pub const YEARS: std::ops::RangeInclusive<i64> = 1949..=2100;

/// Checks the year of a target or a phase.
pub fn check_year(year: i64, field: &'static str) -> Result<i64, FieldError> {
    if YEARS.contains(&year) {
        Ok(year)
    } else {
        Err(FieldError::new(field, "goal.year_invalid"))
    }
}

/// When a roadmap phase is due: a year ("2027") or a day ("2027-06-30").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhaseTarget {
    Year(i64),
    Date(NaiveDate),
}

impl PhaseTarget {
    /// Reads "2027", "2027年" or "2027-06-30".
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(FieldError::new("target", "validation.required"));
        }
        let invalid = FieldError::new("target", "goal.phase.target_invalid");
        let year = text.strip_suffix('年').unwrap_or(text);
        if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) {
            let year = year.parse().map_err(|_| invalid.clone())?;
            return check_year(year, "target").map(Self::Year);
        }
        let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| invalid)?;
        check_year(i64::from(day.year()), "target")?;
        Ok(Self::Date(day))
    }

    /// From the stored columns: the year, and the day when one was given.
    pub fn from_parts(year: i64, date: Option<NaiveDate>) -> Self {
        date.map_or(Self::Year(year), Self::Date)
    }

    pub fn year(self) -> i64 {
        match self {
            Self::Year(year) => year,
            Self::Date(day) => i64::from(day.year()),
        }
    }

    pub fn date(self) -> Option<NaiveDate> {
        match self {
            Self::Year(_) => None,
            Self::Date(day) => Some(day),
        }
    }
}

impl fmt::Display for PhaseTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Year(year) => write!(f, "{year}"),
            Self::Date(day) => write!(f, "{day}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_round_trip_and_have_their_unit() {
        for metric in KpiMetric::ALL {
            assert_eq!(KpiMetric::parse(metric.as_str()), Ok(metric));
            assert_eq!(
                metric.label_key(),
                format!("goal.metric.{}", metric.as_str())
            );
        }
        assert_eq!(KpiMetric::CompletedInvestment.unit(), KpiUnit::Yi);
        assert_eq!(KpiMetric::SignedInvestment.unit(), KpiUnit::Yi);
        assert_eq!(KpiMetric::FloorAreaStarted.unit(), KpiUnit::WanM2);
        assert_eq!(KpiMetric::ProjectsStarted.unit(), KpiUnit::Count);
        assert_eq!(
            KpiMetric::parse("gdp").unwrap_err().message,
            "goal.kpi.metric_invalid"
        );
    }

    #[test]
    fn values_are_typed_in_the_display_unit_and_stored_exactly() {
        assert_eq!(
            KpiUnit::Yi.parse_value("127.38", "target"),
            Ok(12_738_000_000)
        );
        assert_eq!(
            KpiUnit::Yi.parse_value("1,200", "target"),
            Ok(120_000_000_000)
        );
        assert_eq!(KpiUnit::Yi.parse_value("0.00000001", "target"), Ok(1));
        assert_eq!(KpiUnit::WanM2.parse_value("650", "target"), Ok(6_500_000));
        assert_eq!(KpiUnit::WanM2.parse_value("0.0001", "target"), Ok(1));
        assert_eq!(KpiUnit::Count.parse_value(" 23 ", "target"), Ok(23));
        assert_eq!(KpiUnit::Count.parse_value("0", "target"), Ok(0));
        let refused = |unit: KpiUnit, text: &str| unit.parse_value(text, "target").unwrap_err();
        assert_eq!(refused(KpiUnit::Count, "").message, "validation.required");
        assert_eq!(
            refused(KpiUnit::Count, "2.5").message,
            "goal.kpi.value_too_precise"
        );
        assert_eq!(
            refused(KpiUnit::Yi, "0.000000001").message,
            "goal.kpi.value_too_precise"
        );
        assert_eq!(
            refused(KpiUnit::Yi, "-5").message,
            "goal.kpi.value_negative"
        );
        assert_eq!(refused(KpiUnit::Yi, "五").message, "goal.kpi.value_invalid");
        assert_eq!(
            refused(KpiUnit::Yi, "1e3").message,
            "goal.kpi.value_invalid"
        );
        assert_eq!(
            refused(KpiUnit::Yi, "100000000000000").message,
            "goal.kpi.value_invalid",
            "beyond an i64 of 元"
        );
        assert_eq!(refused(KpiUnit::Count, "x").field, "target");
    }

    #[test]
    fn values_print_back_exactly_or_rounded() {
        for (unit, base) in [
            (KpiUnit::Yi, 12_738_000_000),
            (KpiUnit::Yi, 1),
            (KpiUnit::WanM2, 6_500_123),
            (KpiUnit::Count, 1_234),
        ] {
            let text = unit.format_exact(base).replace(',', "");
            assert_eq!(unit.parse_value(&text, "target"), Ok(base));
        }
        assert_eq!(KpiUnit::Yi.format_exact(64_800_000_000), "648");
        assert_eq!(KpiUnit::WanM2.format_exact(12_345_678), "1,234.5678");
        assert_eq!(KpiUnit::Yi.format_rounded(64_812_345_678, 2), "648.12");
        assert_eq!(KpiUnit::Yi.format_rounded(64_815_000_000, 2), "648.15");
        assert_eq!(KpiUnit::Yi.format_rounded(64_899_500_000, 2), "649");
        assert_eq!(KpiUnit::WanM2.format_rounded(6_500_000, 2), "650");
        assert_eq!(KpiUnit::Count.format_rounded(1_234, 2), "1,234");
    }

    #[test]
    fn percent_is_rounded_down_and_needs_a_target() {
        assert_eq!(percent_of(0, 5), Some(0));
        assert_eq!(percent_of(4, 5), Some(80));
        assert_eq!(percent_of(2, 3), Some(66));
        assert_eq!(percent_of(12, 10), Some(120));
        assert_eq!(percent_of(i64::MAX, 1), Some(i64::MAX));
        assert_eq!(percent_of(5, 0), None);
        assert_eq!(percent_of(-3, 10), Some(0));
    }

    #[test]
    fn a_phase_is_due_in_a_year_or_on_a_day() {
        assert_eq!(PhaseTarget::parse("2027"), Ok(PhaseTarget::Year(2027)));
        assert_eq!(PhaseTarget::parse(" 2032年 "), Ok(PhaseTarget::Year(2032)));
        let day = NaiveDate::from_ymd_opt(2027, 6, 30).unwrap();
        assert_eq!(PhaseTarget::parse("2027-06-30"), Ok(PhaseTarget::Date(day)));
        assert_eq!(PhaseTarget::Date(day).year(), 2027);
        assert_eq!(
            PhaseTarget::from_parts(2027, Some(day)).to_string(),
            "2027-06-30"
        );
        assert_eq!(PhaseTarget::from_parts(2027, None).to_string(), "2027");
        for bad in ["2027-13-01", "二〇二七", "27", "2027/6/30"] {
            assert_eq!(
                PhaseTarget::parse(bad).unwrap_err().message,
                "goal.phase.target_invalid",
                "{bad}"
            );
        }
        assert_eq!(
            PhaseTarget::parse("").unwrap_err().message,
            "validation.required"
        );
        assert_eq!(
            PhaseTarget::parse("1900").unwrap_err().message,
            "goal.year_invalid"
        );
        assert_eq!(check_year(2026, "year"), Ok(2026));
        assert_eq!(check_year(99999, "year").unwrap_err().field, "year");
    }
}
