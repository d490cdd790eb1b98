//! Tests of the status light rules (`status.rs`), and the helpers the other status tests share;
//! the hysteresis, settings and override tests are in `hold_tests.rs`, the property tests in
//! `status_props.rs`.

use super::*;
use crate::money::Money;
use chrono::NaiveDate;

pub(super) fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub(super) fn month(y: i32, m: u32) -> PlanPeriod {
    Period::new(y, m).unwrap().into()
}

pub(super) fn quarter(y: i32, q: u32) -> PlanPeriod {
    Quarter::new(y, q).unwrap().into()
}

pub(super) fn input(as_of: NaiveDate) -> StatusInput {
    StatusInput {
        as_of,
        milestones: vec![],
        plan: vec![],
        completed: Money::ZERO,
        open_blockers: vec![],
        previous: None,
    }
}

pub(super) fn milestone(
    name: &str,
    planned: NaiveDate,
    actual: Option<NaiveDate>,
) -> MilestoneFact {
    MilestoneFact {
        name: name.into(),
        planned,
        actual,
    }
}

pub(super) fn with_milestone(as_of: NaiveDate, planned: NaiveDate) -> StatusInput {
    StatusInput {
        milestones: vec![milestone("主体封顶", planned, None)],
        ..input(as_of)
    }
}

pub(super) fn target(period: PlanPeriod, yuan: i64) -> PlanTarget {
    PlanTarget {
        period,
        cumulative_target: Money::from_yuan(yuan),
    }
}

pub(super) fn with_plan(as_of: NaiveDate, plan: Vec<PlanTarget>, completed: i64) -> StatusInput {
    StatusInput {
        plan,
        completed: Money::from_yuan(completed),
        ..input(as_of)
    }
}

pub(super) fn status(input: &StatusInput) -> StatusOutcome {
    compute_status(input, &Thresholds::default())
}

pub(super) fn colour(input: &StatusInput) -> Colour {
    status(input).colour
}

#[test]
fn colours_are_ordered_and_named() {
    assert!(Colour::Green < Colour::Yellow && Colour::Yellow < Colour::Red);
    for c in Colour::ALL {
        assert_eq!(Colour::parse(c.as_str()), Ok(c));
        assert_eq!(c.label_key(), format!("project.status.{}", c.as_str()));
    }
    assert_eq!(
        Colour::parse("RED").unwrap_err().message,
        "project.status.invalid"
    );
}

#[test]
fn a_project_with_nothing_to_assess_is_green_and_says_so() {
    let outcome = status(&input(day(2026, 1, 31)));
    assert_eq!(outcome.colour, Colour::Green);
    assert_eq!(outcome.reasons, [Reason::NothingToAssess]);
    assert_eq!(outcome.shortfall.yuan(), 0);
}

#[test]
fn overdue_milestones_turn_yellow_then_red_after_the_threshold() {
    let as_of = day(2026, 6, 30);
    let outcome = status(&with_milestone(as_of, day(2026, 6, 29)));
    assert_eq!(outcome.colour, Colour::Yellow);
    assert_eq!(
        outcome.reasons,
        [Reason::MilestoneOverdue {
            name: "主体封顶".into(),
            planned: day(2026, 6, 29),
            days: 1
        }]
    );
    // 30 days overdue is still yellow; 31 is red.
    assert_eq!(
        colour(&with_milestone(as_of, day(2026, 5, 31))),
        Colour::Yellow
    );
    let red = status(&with_milestone(as_of, day(2026, 5, 30)));
    assert_eq!(red.colour, Colour::Red);
    assert_eq!(
        red.reasons,
        [Reason::MilestoneLongOverdue {
            name: "主体封顶".into(),
            planned: day(2026, 5, 30),
            days: 31,
            limit_days: 30
        }]
    );
}

#[test]
fn overdue_days_count_real_month_lengths() {
    // as_of on 31 January: 30 days back is 1 January.
    let jan31 = day(2026, 1, 31);
    assert_eq!(
        colour(&with_milestone(jan31, day(2026, 1, 1))),
        Colour::Yellow
    );
    assert_eq!(
        colour(&with_milestone(jan31, day(2025, 12, 31))),
        Colour::Red
    );
    // as_of on 28 February of a common year.
    let feb28 = day(2026, 2, 28);
    assert_eq!(
        colour(&with_milestone(feb28, day(2026, 1, 29))),
        Colour::Yellow
    );
    assert_eq!(
        colour(&with_milestone(feb28, day(2026, 1, 28))),
        Colour::Red
    );
    // as_of on 29 February of a leap year: one day more in February.
    let feb29 = day(2024, 2, 29);
    assert_eq!(
        colour(&with_milestone(feb29, day(2024, 1, 30))),
        Colour::Yellow
    );
    assert_eq!(
        colour(&with_milestone(feb29, day(2024, 1, 29))),
        Colour::Red
    );
    let outcome = status(&with_milestone(feb29, day(2024, 1, 31)));
    assert!(matches!(
        outcome.reasons[0],
        Reason::MilestoneOverdue { days: 29, .. }
    ));
}

#[test]
fn a_milestone_due_today_is_at_risk_not_overdue() {
    let as_of = day(2024, 2, 29);
    let outcome = status(&with_milestone(as_of, as_of));
    assert_eq!(outcome.colour, Colour::Yellow);
    assert_eq!(
        outcome.reasons,
        [Reason::MilestoneAtRisk {
            name: "主体封顶".into(),
            due: as_of,
            due_in_days: 0
        }]
    );
    assert_eq!(
        outcome.reasons[0].key(),
        "project.status.reason.milestone_due_today"
    );
}

#[test]
fn the_warning_window_includes_its_last_day() {
    let as_of = day(2026, 2, 14);
    // 15 days after 14 February 2026 is 1 March (February has 28 days).
    assert_eq!(
        colour(&with_milestone(as_of, day(2026, 3, 1))),
        Colour::Yellow
    );
    assert_eq!(
        colour(&with_milestone(as_of, day(2026, 3, 2))),
        Colour::Green
    );
    // In a leap year it is 29 February.
    let as_of = day(2024, 2, 14);
    assert_eq!(
        colour(&with_milestone(as_of, day(2024, 2, 29))),
        Colour::Yellow
    );
    assert_eq!(
        colour(&with_milestone(as_of, day(2024, 3, 1))),
        Colour::Green
    );
    assert_eq!(
        status(&with_milestone(as_of, day(2024, 3, 1))).reasons,
        [Reason::OnTrack]
    );
}

#[test]
fn done_milestones_count_only_when_done_by_the_day_assessed() {
    let as_of = day(2026, 6, 30);
    let planned = day(2026, 1, 1);
    let mut input = with_milestone(as_of, planned);
    input.milestones[0].actual = Some(day(2026, 6, 30));
    assert_eq!(colour(&input), Colour::Green);
    // Done only after the period assessed: the period was red then.
    input.milestones[0].actual = Some(day(2026, 7, 1));
    assert_eq!(colour(&input), Colour::Red);
}

#[test]
fn critical_blockers_are_red_and_others_do_not_count() {
    let mut input = input(day(2026, 6, 30));
    input.open_blockers.push(BlockerFact {
        title: "管线迁改未完成".into(),
        critical: false,
    });
    assert_eq!(colour(&input), Colour::Green);
    input.open_blockers.push(BlockerFact {
        title: "土地未交付".into(),
        critical: true,
    });
    let outcome = status(&input);
    assert_eq!(outcome.colour, Colour::Red);
    assert_eq!(
        outcome.reasons,
        [Reason::CriticalBlocker {
            title: "土地未交付".into()
        }]
    );
}

#[test]
fn a_lag_is_more_than_the_threshold_percentage_of_the_plan() {
    let as_of = day(2026, 3, 31);
    let plan = vec![target(month(2026, 3), 1_000_000)];
    // Exactly 10 % short: not a lag.
    let outcome = status(&with_plan(as_of, plan.clone(), 900_000));
    assert_eq!(
        (outcome.colour, outcome.shortfall.yuan()),
        (Colour::Green, 100_000)
    );
    // One yuan more: a lag, shown as 11 % (rounded up).
    let outcome = status(&with_plan(as_of, plan.clone(), 899_999));
    assert_eq!(outcome.colour, Colour::Yellow);
    assert_eq!(
        outcome.reasons,
        [Reason::InvestmentLag {
            period: month(2026, 3),
            planned: Money::from_yuan(1_000_000),
            completed: Money::from_yuan(899_999),
            percent_short: 11
        }]
    );
    // Ahead of plan: no shortfall.
    let outcome = status(&with_plan(as_of, plan, 1_200_000));
    assert_eq!(
        (outcome.colour, outcome.shortfall.yuan()),
        (Colour::Green, 0)
    );
}

#[test]
fn the_target_is_that_of_the_latest_period_ended_by_the_day_assessed() {
    let plan = vec![
        target(month(2024, 3), 300),
        target(month(2024, 1), 100),
        target(month(2024, 2), 200),
    ];
    // Mid-February: January's target applies.
    let outcome = status(&with_plan(day(2024, 2, 15), plan.clone(), 100));
    assert_eq!(
        (outcome.colour, outcome.shortfall.yuan()),
        (Colour::Green, 0)
    );
    // 28 February of a leap year: February is not over yet.
    assert_eq!(
        status(&with_plan(day(2024, 2, 28), plan.clone(), 100))
            .shortfall
            .yuan(),
        0
    );
    // 29 February: February's target applies.
    let outcome = status(&with_plan(day(2024, 2, 29), plan.clone(), 100));
    assert_eq!(
        (outcome.colour, outcome.shortfall.yuan()),
        (Colour::Yellow, 100)
    );
    // Before the first period ends there is no target, and nothing to lag.
    let outcome = status(&with_plan(day(2024, 1, 30), plan, 0));
    assert_eq!(outcome.colour, Colour::Green);
    assert_eq!(outcome.reasons, [Reason::OnTrack]);
}

#[test]
fn quarterly_plans_apply_from_the_last_day_of_the_quarter() {
    let plan = vec![
        target(quarter(2026, 1), 5_000),
        target(quarter(2026, 2), 9_000),
    ];
    assert_eq!(
        colour(&with_plan(day(2026, 3, 30), plan.clone(), 0)),
        Colour::Green
    );
    let outcome = status(&with_plan(day(2026, 3, 31), plan.clone(), 0));
    assert_eq!(
        (outcome.colour, outcome.shortfall.yuan()),
        (Colour::Yellow, 5_000)
    );
    assert!(matches!(
        outcome.reasons[0],
        Reason::InvestmentLag {
            percent_short: 100,
            ..
        }
    ));
    let outcome = status(&with_plan(day(2026, 6, 30), plan, 8_500));
    assert_eq!(
        (outcome.colour, outcome.shortfall.yuan()),
        (Colour::Green, 500)
    );
}

#[test]
fn a_month_and_a_quarter_ending_together_use_the_larger_target() {
    let plan = vec![
        target(month(2026, 3), 4_000),
        target(quarter(2026, 1), 5_000),
    ];
    assert_eq!(
        status(&with_plan(day(2026, 3, 31), plan, 4_000))
            .shortfall
            .yuan(),
        1_000
    );
}

#[test]
fn reasons_come_worst_first_and_the_colour_is_the_worst() {
    let as_of = day(2026, 6, 30);
    let mut input = with_plan(as_of, vec![target(month(2026, 6), 100)], 0);
    input.milestones = vec![
        milestone("开工", day(2026, 7, 5), None),
        milestone("主体封顶", day(2026, 4, 1), None),
    ];
    let outcome = status(&input);
    assert_eq!(outcome.colour, Colour::Red);
    let keys: Vec<&str> = outcome.reasons.iter().map(Reason::key).collect();
    assert_eq!(
        keys,
        [
            "project.status.reason.milestone_long_overdue",
            "project.status.reason.milestone_at_risk",
            "project.status.reason.investment_lag",
        ]
    );
}
