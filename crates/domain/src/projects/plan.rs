//! The investment plan as staff read it: each period's cumulative target beside the
//! investment actually completed by the end of that period, and the gap between them.
//!
//! The completed investment of a period's end is today's completed investment less what the
//! monthly reports after that period added: reports are the only dated record of it, and
//! whatever the ledger held before the first report counts as done before every period.

use super::period::Period;
use super::quarter::PlanPeriod;
use super::status::PlanTarget;
use crate::money::Money;
use chrono::NaiveDate;

/// One row of the plan table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanLine {
    pub period: PlanPeriod,
    /// Cumulative target by the end of the period.
    pub target: Money,
    /// Completed by the end of the period (so far, for the current one); `None` for a period
    /// that has not begun.
    pub actual: Option<Money>,
    /// `target − actual`, at least 0; `None` when there is no actual yet.
    pub gap: Option<Money>,
}

/// The plan table in period order (by last day; a month before the quarter that ends with it).
/// `reports` are the monthly amounts of the progress reports; `completed` is the project's
/// completed investment now; `today` decides which periods have begun. `None` when a sum
/// does not fit (no real ledger reaches that).
pub fn plan_lines(
    targets: &[PlanTarget],
    reports: &[(Period, Money)],
    completed: Money,
    today: NaiveDate,
) -> Option<Vec<PlanLine>> {
    let mut targets = targets.to_vec();
    targets.sort_by_key(|t| {
        (
            t.period.last_day(),
            matches!(t.period, PlanPeriod::Quarter(_)),
        )
    });
    targets
        .iter()
        .map(|t| {
            if t.period.first_day() > today {
                return Some(PlanLine {
                    period: t.period,
                    target: t.cumulative_target,
                    actual: None,
                    gap: None,
                });
            }
            let end = t.period.last_day();
            let later = Money::try_sum(
                reports
                    .iter()
                    .filter(|(month, _)| month.first_day() > end)
                    .map(|(_, amount)| *amount),
            )?;
            let actual = completed.checked_sub(later)?.max(Money::ZERO);
            let gap = t.cumulative_target.checked_sub(actual)?.max(Money::ZERO);
            Some(PlanLine {
                period: t.period,
                target: t.cumulative_target,
                actual: Some(actual),
                gap: Some(gap),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(period: &str, yuan: i64) -> PlanTarget {
        PlanTarget {
            period: PlanPeriod::parse(period).unwrap(),
            cumulative_target: Money::from_yuan(yuan),
        }
    }

    fn month(raw: &str) -> Period {
        Period::parse(raw).unwrap()
    }

    #[test]
    fn each_period_is_compared_with_what_was_done_by_its_end() {
        let today = NaiveDate::from_ymd_opt(2026, 5, 10).unwrap();
        let plan = [
            target("2026-Q2", 900),
            target("2026-03", 500),
            target("2026-Q1", 600),
            target("2026-Q3", 1_500),
        ];
        let reports = [
            (month("2026-02"), Money::from_yuan(100)),
            (month("2026-04"), Money::from_yuan(200)),
            (month("2026-05"), Money::from_yuan(50)),
        ];
        // 300 before any report, then 100 in February, 200 in April, 50 in May.
        let lines = plan_lines(&plan, &reports, Money::from_yuan(650), today).unwrap();
        let shown: Vec<_> = lines
            .iter()
            .map(|l| {
                (
                    l.period.to_string(),
                    l.actual.map(Money::yuan),
                    l.gap.map(Money::yuan),
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("2026-03".to_owned(), Some(400), Some(100)),
                ("2026-Q1".to_owned(), Some(400), Some(200)),
                ("2026-Q2".to_owned(), Some(650), Some(250)),
                ("2026-Q3".to_owned(), None, None),
            ]
        );
    }

    #[test]
    fn a_period_done_beyond_its_target_has_no_gap() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        let lines = plan_lines(&[target("2026-12", 100)], &[], Money::from_yuan(250), today);
        assert_eq!(lines.unwrap()[0].gap, Some(Money::ZERO));
        assert_eq!(plan_lines(&[], &[], Money::ZERO, today), Some(Vec::new()));
    }
}
