//! Property tests of the status light rules (`status.rs`).

use super::*;
use crate::money::Money;
use chrono::{Duration, NaiveDate};
use proptest::prelude::*;

fn base() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 1, 1).unwrap()
}

fn shift(period: Period, months: i32) -> Period {
    (0..months.unsigned_abs()).fold(period, |p, _| {
        if months > 0 { p.next() } else { p.prev() }.unwrap()
    })
}

fn any_colour() -> impl Strategy<Value = Colour> {
    proptest::sample::select(Colour::ALL.to_vec())
}

fn any_input() -> impl Strategy<Value = StatusInput> {
    let milestone = (-90i64..90, proptest::option::of(-90i64..90));
    let target = (-8i32..8, any::<bool>(), 0i64..10_000);
    let previous = proptest::option::of((any_colour(), 0i64..1_000, any::<bool>()));
    (
        0i64..1_200,
        proptest::collection::vec(milestone, 0..5),
        proptest::collection::vec(target, 0..5),
        0i64..10_000,
        proptest::collection::vec(any::<bool>(), 0..3),
        previous,
    )
        .prop_map(|(day, milestones, plan, completed, blockers, previous)| {
            let as_of = base() + Duration::days(day);
            StatusInput {
                as_of,
                milestones: milestones
                    .into_iter()
                    .enumerate()
                    .map(|(i, (planned, actual))| MilestoneFact {
                        name: format!("m{i}"),
                        planned: as_of + Duration::days(planned),
                        actual: actual.map(|a| as_of + Duration::days(a)),
                    })
                    .collect(),
                plan: plan
                    .into_iter()
                    .map(|(months, quarterly, yuan)| {
                        let month = shift(Period::containing(as_of), months);
                        PlanTarget {
                            period: if quarterly {
                                Quarter::containing(month.first_day()).into()
                            } else {
                                month.into()
                            },
                            cumulative_target: Money::from_yuan(yuan),
                        }
                    })
                    .collect(),
                completed: Money::from_yuan(completed),
                open_blockers: blockers
                    .into_iter()
                    .map(|critical| BlockerFact {
                        title: "堵点".into(),
                        critical,
                    })
                    .collect(),
                previous: previous.map(|(colour, shortfall, held)| PreviousStatus {
                    colour,
                    shortfall: Money::from_yuan(shortfall),
                    held,
                }),
            }
        })
}

fn any_thresholds() -> impl Strategy<Value = Thresholds> {
    (0i64..60, 0i64..30, 0u32..=100).prop_map(|(red, warning, lag)| Thresholds {
        red_overdue_days: red,
        warning_days: warning,
        lag_percent: lag,
    })
}

/// The colour of each rule on its own, written independently of `compute_status`.
fn rule_colours(input: &StatusInput, t: &Thresholds) -> Vec<Colour> {
    let mut colours = vec![Colour::Green];
    if input.open_blockers.iter().any(|b| b.critical) {
        colours.push(Colour::Red);
    }
    for m in &input.milestones {
        if m.actual.is_some_and(|a| a <= input.as_of) {
            continue;
        }
        let late = (input.as_of - m.planned).num_days();
        if late > 0 {
            colours.push(if late > t.red_overdue_days {
                Colour::Red
            } else {
                Colour::Yellow
            });
        } else if -late <= t.warning_days {
            colours.push(Colour::Yellow);
        }
    }
    let due: Vec<&PlanTarget> = input
        .plan
        .iter()
        .filter(|p| p.period.last_day() <= input.as_of)
        .collect();
    let last = due.iter().map(|p| p.period.last_day()).max();
    let planned = due
        .iter()
        .filter(|p| Some(p.period.last_day()) == last)
        .map(|p| p.cumulative_target.yuan())
        .max()
        .unwrap_or(0);
    let shortfall = (planned - input.completed.yuan()).max(0);
    if planned > 0 && shortfall * 100 > planned * i64::from(t.lag_percent) {
        colours.push(Colour::Yellow);
    }
    let holds = input
        .previous
        .is_some_and(|p| p.shortfall.yuan() > 0 && (p.colour == Colour::Red || p.held));
    if holds && shortfall > 0 {
        colours.push(Colour::Yellow);
    }
    colours
}

proptest! {
    #[test]
    fn the_colour_is_the_worst_rule_colour(input in any_input(), t in any_thresholds()) {
        let outcome = compute_status(&input, &t);
        let expected = rule_colours(&input, &t).into_iter().max().unwrap();
        prop_assert_eq!(outcome.colour, expected);
        prop_assert!(!outcome.reasons.is_empty());
        prop_assert_eq!(outcome.reasons.iter().map(Reason::colour).max(), Some(outcome.colour));
        prop_assert_eq!(outcome.reasons[0].colour(), outcome.colour);
        prop_assert!(outcome.shortfall >= Money::ZERO);
    }

    #[test]
    fn a_critical_blocker_never_makes_the_colour_better(
        input in any_input(), t in any_thresholds()
    ) {
        let before = compute_status(&input, &t).colour;
        let mut worse = input;
        worse.open_blockers.push(BlockerFact { title: "新增堵点".into(), critical: true });
        let after = compute_status(&worse, &t).colour;
        prop_assert!(after >= before);
        prop_assert_eq!(after, Colour::Red);
    }

    #[test]
    fn completing_a_milestone_never_makes_the_colour_worse(
        input in any_input(), t in any_thresholds(), which in any::<usize>(), ago in 0i64..60
    ) {
        prop_assume!(!input.milestones.is_empty());
        let before = compute_status(&input, &t).colour;
        let mut better = input;
        let i = which % better.milestones.len();
        better.milestones[i].actual = Some(better.as_of - Duration::days(ago));
        prop_assert!(compute_status(&better, &t).colour <= before);
    }

    #[test]
    fn more_investment_never_makes_the_colour_worse(
        input in any_input(), t in any_thresholds(), more in 0i64..10_000
    ) {
        let before = compute_status(&input, &t);
        let mut better = input;
        better.completed = Money::from_yuan(better.completed.yuan() + more);
        let after = compute_status(&better, &t);
        prop_assert!(after.colour <= before.colour);
        prop_assert!(after.shortfall <= before.shortfall);
    }
}
