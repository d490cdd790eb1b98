//! Tests of the three-colour hysteresis (a red period not made up), the threshold settings and
//! manual overrides (`status.rs`).

use super::status_tests::{colour, day, month, status, target, with_milestone, with_plan};
use super::*;
use crate::money::Money;

fn after_red(shortfall: i64) -> Option<PreviousStatus> {
    Some(PreviousStatus {
        colour: Colour::Red,
        shortfall: Money::from_yuan(shortfall),
        held: false,
    })
}

#[test]
fn a_red_period_stays_at_least_yellow_until_its_shortfall_is_made_up() {
    let as_of = day(2026, 4, 30);
    let plan = vec![target(month(2026, 4), 1_000)];
    // 5 % short: no lag by itself, but the red period before is not made up.
    let mut input = with_plan(as_of, plan, 950);
    input.previous = after_red(300);
    let outcome = status(&input);
    assert_eq!(outcome.colour, Colour::Yellow);
    assert_eq!(
        outcome.reasons,
        [Reason::NotMadeUp {
            shortfall: Money::from_yuan(50)
        }]
    );
    assert!(outcome.held());
    // Caught up with the plan: the hold ends and the project is green.
    input.completed = Money::from_yuan(1_000);
    let outcome = status(&input);
    assert_eq!(
        (outcome.colour, outcome.shortfall.yuan()),
        (Colour::Green, 0)
    );
    assert!(!outcome.held());
}

#[test]
fn the_hold_never_lowers_a_worse_colour() {
    let mut input = with_milestone(day(2026, 4, 30), day(2026, 1, 1));
    input.plan = vec![target(month(2026, 4), 1_000)];
    input.completed = Money::from_yuan(500);
    input.previous = after_red(300);
    let outcome = status(&input);
    assert_eq!(outcome.colour, Colour::Red);
    assert!(outcome.reasons.contains(&Reason::NotMadeUp {
        shortfall: Money::from_yuan(500)
    }));
}

#[test]
fn only_a_red_period_with_a_shortfall_holds() {
    let mut input = with_plan(day(2026, 4, 30), vec![target(month(2026, 4), 1_000)], 950);
    // Red for a blocker, no shortfall recorded: nothing to make up.
    input.previous = after_red(0);
    assert_eq!(colour(&input), Colour::Green);
    // A yellow period that was not itself held does not hold.
    input.previous = Some(PreviousStatus {
        colour: Colour::Yellow,
        shortfall: Money::from_yuan(300),
        held: false,
    });
    assert_eq!(colour(&input), Colour::Green);
}

#[test]
fn the_hold_carries_on_from_period_to_period_until_made_up() {
    let plan = vec![
        target(month(2026, 1), 1_000),
        target(month(2026, 2), 2_000),
        target(month(2026, 3), 3_000),
    ];
    let mut january = with_plan(day(2026, 1, 31), plan.clone(), 800);
    january.open_blockers.push(BlockerFact {
        title: "资金未到位".into(),
        critical: true,
    });
    let january = status(&january);
    assert_eq!(
        (january.colour, january.shortfall.yuan()),
        (Colour::Red, 200)
    );

    let mut february = with_plan(day(2026, 2, 28), plan.clone(), 1_950);
    february.previous = Some(january.as_previous());
    let february = status(&february);
    assert_eq!(february.colour, Colour::Yellow);
    assert_eq!(
        february.reasons,
        [Reason::NotMadeUp {
            shortfall: Money::from_yuan(50)
        }]
    );

    let mut march = with_plan(day(2026, 3, 31), plan, 2_990);
    march.previous = Some(february.as_previous());
    let march_outcome = status(&march);
    assert_eq!(march_outcome.colour, Colour::Yellow, "still 10 元 behind");

    march.completed = Money::from_yuan(3_000);
    assert_eq!(colour(&march), Colour::Green);
}

#[test]
fn thresholds_are_settings() {
    let strict = Thresholds {
        red_overdue_days: 0,
        warning_days: 0,
        lag_percent: 0,
    };
    assert_eq!(strict.check(), Ok(()));
    let input = with_milestone(day(2026, 6, 30), day(2026, 6, 29));
    assert_eq!(compute_status(&input, &strict).colour, Colour::Red);
    let input = with_milestone(day(2026, 6, 30), day(2026, 7, 1));
    assert_eq!(compute_status(&input, &strict).colour, Colour::Green);
    let input = with_plan(day(2026, 6, 30), vec![target(month(2026, 6), 100)], 99);
    assert_eq!(compute_status(&input, &strict).colour, Colour::Yellow);

    let wrong = Thresholds {
        red_overdue_days: -1,
        warning_days: 4000,
        lag_percent: 101,
    };
    let fields: Vec<&str> = wrong
        .check()
        .unwrap_err()
        .0
        .iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(fields, ["red_overdue_days", "warning_days", "lag_percent"]);
}

#[test]
fn an_override_needs_a_written_reason() {
    let ok = Override::new(Colour::Green, "  区领导现场调度后确认已整改  ").unwrap();
    assert_eq!(
        (ok.colour(), ok.reason()),
        (Colour::Green, "区领导现场调度后确认已整改")
    );
    assert_eq!(
        Override::new(Colour::Red, " \t ").unwrap_err().message,
        "validation.required"
    );
    assert!(Override::new(Colour::Red, &"字".repeat(500)).is_ok());
    let too_long = Override::new(Colour::Red, &"字".repeat(501)).unwrap_err();
    assert_eq!(
        (too_long.field, too_long.message),
        ("reason", "validation.too_long")
    );
    assert_eq!(
        Override::new(Colour::Red, "a\u{7}b").unwrap_err().message,
        "validation.control_chars"
    );
}
