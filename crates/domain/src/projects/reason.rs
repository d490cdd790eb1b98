//! Why a project has its colour: each [`Reason`] is a catalog key plus named parameters, so
//! the UI renders "里程碑「主体封顶」逾期 12 天" in the user's language.

use super::quarter::PlanPeriod;
use super::status::Colour;
use crate::money::{Money, MoneyUnit};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One finding of [`compute_status`](super::compute_status). Stored as JSON with the
/// period's colour, so its history reads back in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// Green: no milestones and no investment plan, so there is nothing to assess.
    NothingToAssess,
    /// Green: milestones and investment were assessed and nothing is wrong.
    OnTrack,
    /// Yellow: a milestone not done, planned `days` (1 to the red threshold) before `as_of`.
    MilestoneOverdue {
        name: String,
        planned: NaiveDate,
        days: i64,
    },
    /// Red: a milestone not done, planned `days` before `as_of`, more than `limit_days`.
    MilestoneLongOverdue {
        name: String,
        planned: NaiveDate,
        days: i64,
        limit_days: i64,
    },
    /// Yellow: a milestone not done and due in `due_in_days` (0 = due on `as_of` itself),
    /// within the warning window.
    MilestoneAtRisk {
        name: String,
        due: NaiveDate,
        due_in_days: i64,
    },
    /// Yellow: the investment completed is more than the lag threshold below the cumulative
    /// target of `period`; `percent_short` is the shortfall in percent of the target, rounded
    /// up (so it exceeds the threshold exactly when the rule fires).
    InvestmentLag {
        period: PlanPeriod,
        planned: Money,
        completed: Money,
        percent_short: u32,
    },
    /// Red: an open blocker marked critical.
    CriticalBlocker { title: String },
    /// Yellow: an earlier red period's investment shortfall is not made up yet;
    /// `shortfall` is what is still missing now.
    NotMadeUp { shortfall: Money },
}

impl Reason {
    /// The colour this finding alone gives the project.
    pub fn colour(&self) -> Colour {
        match self {
            Self::NothingToAssess | Self::OnTrack => Colour::Green,
            Self::MilestoneOverdue { .. }
            | Self::MilestoneAtRisk { .. }
            | Self::InvestmentLag { .. }
            | Self::NotMadeUp { .. } => Colour::Yellow,
            Self::MilestoneLongOverdue { .. } | Self::CriticalBlocker { .. } => Colour::Red,
        }
    }

    /// The catalog key of the message.
    pub fn key(&self) -> &'static str {
        match self {
            Self::NothingToAssess => "project.status.reason.nothing_to_assess",
            Self::OnTrack => "project.status.reason.on_track",
            Self::MilestoneOverdue { .. } => "project.status.reason.milestone_overdue",
            Self::MilestoneLongOverdue { .. } => "project.status.reason.milestone_long_overdue",
            Self::MilestoneAtRisk { due_in_days: 0, .. } => {
                "project.status.reason.milestone_due_today"
            }
            Self::MilestoneAtRisk { .. } => "project.status.reason.milestone_at_risk",
            Self::InvestmentLag { .. } => "project.status.reason.investment_lag",
            Self::CriticalBlocker { .. } => "project.status.reason.critical_blocker",
            Self::NotMadeUp { .. } => "project.status.reason.not_made_up",
        }
    }

    /// The `{name}` placeholders of the message and their values.
    pub fn params(&self) -> Vec<(&'static str, Param)> {
        use Param::*;
        let text = |s: &String| Text(s.clone());
        match self {
            Self::NothingToAssess | Self::OnTrack => vec![],
            Self::MilestoneOverdue {
                name,
                planned,
                days,
            } => vec![
                ("name", text(name)),
                ("planned", Date(*planned)),
                ("days", Days(*days)),
            ],
            Self::MilestoneLongOverdue {
                name,
                planned,
                days,
                limit_days,
            } => vec![
                ("name", text(name)),
                ("planned", Date(*planned)),
                ("days", Days(*days)),
                ("limit", Days(*limit_days)),
            ],
            Self::MilestoneAtRisk {
                name,
                due,
                due_in_days,
            } => vec![
                ("name", text(name)),
                ("due", Date(*due)),
                ("days", Days(*due_in_days)),
            ],
            Self::InvestmentLag {
                period,
                planned,
                completed,
                percent_short,
            } => vec![
                ("period", Period(*period)),
                ("planned", Amount(*planned)),
                ("completed", Amount(*completed)),
                ("percent", Percent(*percent_short)),
            ],
            Self::CriticalBlocker { title } => vec![("title", text(title))],
            Self::NotMadeUp { shortfall } => vec![("shortfall", Amount(*shortfall))],
        }
    }
}

/// The value of one message placeholder. `Display` gives a language-neutral rendering that
/// the catalogs are written for; the web layer may render a variant its own way.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Param {
    /// User text (a milestone name, a blocker title), shown as entered.
    Text(String),
    /// A number of days.
    Days(i64),
    /// A date, shown `YYYY-MM-DD`.
    Date(NaiveDate),
    /// A plan period, shown `2026-11` or `2026-Q4`.
    Period(PlanPeriod),
    /// An amount, shown exactly in 万元 with thousands separators and no unit
    /// (12 345 678 元 → `1,234.5678`): the catalog text carries the unit.
    Amount(Money),
    /// A whole percentage, shown without the sign (the catalog text carries `%`).
    Percent(u32),
}

impl fmt::Display for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(text) => f.write_str(text),
            Self::Days(days) => days.fmt(f),
            Self::Date(date) => write!(f, "{}", date.format("%Y-%m-%d")),
            Self::Period(period) => period.fmt(f),
            Self::Amount(money) => f.write_str(&money.format_number(MoneyUnit::Wan)),
            Self::Percent(percent) => percent.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::projects::period::Period as Month;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// What a catalog lookup with `{name}` placeholders does (see the web layer's `Tr::f`).
    fn render(template: &str, reason: &Reason) -> String {
        reason
            .params()
            .iter()
            .fold(template.to_owned(), |text, (name, value)| {
                text.replace(&format!("{{{name}}}"), &value.to_string())
            })
    }

    #[test]
    fn reasons_render_from_key_and_params() {
        let overdue = Reason::MilestoneOverdue {
            name: "主体封顶".into(),
            planned: day(2026, 10, 20),
            days: 12,
        };
        assert_eq!(overdue.key(), "project.status.reason.milestone_overdue");
        assert_eq!(
            render("里程碑「{name}」逾期 {days} 天", &overdue),
            "里程碑「主体封顶」逾期 12 天"
        );
        let lag = Reason::InvestmentLag {
            period: Month::new(2026, 3).unwrap().into(),
            planned: Money::from_yuan(1_200_000_000),
            completed: Money::from_yuan(905_000_000),
            percent_short: 25,
        };
        assert_eq!(
            render(
                "截至 {period} 计划 {planned} 万元，完成 {completed} 万元，落后 {percent}%",
                &lag
            ),
            "截至 2026-03 计划 120,000 万元，完成 90,500 万元，落后 25%"
        );
        assert_eq!(lag.colour(), Colour::Yellow);
    }

    #[test]
    fn due_today_has_its_own_message() {
        let at_risk = |due_in_days| Reason::MilestoneAtRisk {
            name: "开工".into(),
            due: day(2026, 1, 31),
            due_in_days,
        };
        assert_eq!(
            at_risk(0).key(),
            "project.status.reason.milestone_due_today"
        );
        assert_eq!(at_risk(1).key(), "project.status.reason.milestone_at_risk");
    }

    #[test]
    fn amounts_show_in_wan_exactly() {
        let wan = |yuan| Param::Amount(Money::from_yuan(yuan)).to_string();
        assert_eq!(wan(0), "0");
        assert_eq!(wan(15_000), "1.5");
        assert_eq!(wan(12_345_678), "1,234.5678");
        assert_eq!(wan(-25_000), "-2.5");
        assert_eq!(Param::Date(day(2024, 2, 29)).to_string(), "2024-02-29");
        let shortfall = Reason::NotMadeUp {
            shortfall: Money::from_yuan(500_000),
        };
        assert_eq!(
            shortfall.params(),
            [("shortfall", Param::Amount(Money::from_yuan(500_000)))]
        );
    }
}
