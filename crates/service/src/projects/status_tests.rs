//! Tests of the status light's assessment and of which override a month shows.

use super::*;
use districtops_domain::projects::Reason;

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn milestone(name: &str, planned: &str, actual: Option<&str>) -> MilestoneRow {
    MilestoneRow {
        id: 1,
        project_id: 1,
        name: name.into(),
        planned: day(planned),
        actual: actual.map(day),
        owner_name: None,
        version: 1,
    }
}

fn plan(period: &str, target: i64) -> PlanRow {
    PlanRow {
        project_id: 1,
        period: period.into(),
        cumulative_target: target,
    }
}

#[test]
fn an_overdue_milestone_and_a_lagging_plan_colour_the_light() {
    let milestone = milestone("主体封顶", "2026-09-01", None);
    let plan = plan("2026-10", 1_000_000);
    let as_of = day("2026-11-29");
    assert_eq!(assess(as_of, &[], &[], 0).colour, Colour::Green);
    assert_eq!(assess(as_of, &[milestone], &[], 0).colour, Colour::Red);
    let lag = assess(as_of, &[], std::slice::from_ref(&plan), 100_000);
    assert_eq!(lag.colour, Colour::Yellow);
    assert_eq!(assess(as_of, &[], &[plan], 1_000_000).colour, Colour::Green);
}

#[test]
fn the_previous_month_of_a_day_crosses_years_and_leap_days() {
    assert_eq!(previous_period(day("2026-01-31")), "2025-12");
    assert_eq!(previous_period(day("2024-02-29")), "2024-01");
    assert_eq!(previous_period(day("2024-03-01")), "2024-02");
    assert_eq!(previous_period(day("2026-12-31")), "2026-11");
}

#[test]
fn a_period_with_no_plan_and_no_milestones_is_green_with_nothing_to_assess() {
    let outcome = assess(day("2024-02-29"), &[], &[], 0);
    assert_eq!(outcome.reasons, [Reason::NothingToAssess]);
    let row = history_row(7, day("2024-02-29"), &outcome, Utc::now());
    assert_eq!(
        (row.period.as_str(), row.colour.as_str(), row.held),
        ("2024-02", "green", false)
    );
}

#[test]
fn a_red_month_holds_the_next_one_through_its_stored_row() {
    // March: the milestone is 40 days overdue (red) and the plan is 50 % short.
    let milestones = [milestone("开工", "2024-02-20", Some("2024-04-10"))];
    let plan = [plan("2024-03", 1_000), plan("2024-04", 2_000)];
    let march = assess(day("2024-03-31"), &milestones, &plan, 500);
    assert_eq!(march.colour, Colour::Red);
    let stored = history_row(1, day("2024-03-31"), &march, Utc::now());
    let thresholds = Thresholds::default();
    // April: the milestone is done and the lag is within 10 %, but 100 元 are still
    // missing: the red month is not made up, so April is yellow, and held.
    let previous = previous_of(&stored);
    let april = assess_with(
        day("2024-04-30"),
        &milestones,
        &plan,
        1_900,
        previous,
        &thresholds,
    );
    assert_eq!(april.colour, Colour::Yellow);
    assert!(april.held());
    // May: the hold carries over from a held month until the shortfall is made up.
    let stored = history_row(1, day("2024-04-30"), &april, Utc::now());
    let may = |completed| {
        assess_with(
            day("2024-05-31"),
            &milestones,
            &plan,
            completed,
            previous_of(&stored),
            &thresholds,
        )
        .colour
    };
    assert_eq!(may(1_999), Colour::Yellow);
    assert_eq!(may(2_000), Colour::Green);
    // Without the stored month, the same May is green at once.
    let fresh = assess_with(
        day("2024-05-31"),
        &milestones,
        &plan,
        1_999,
        None,
        &thresholds,
    );
    assert_eq!(fresh.colour, Colour::Green);
}

#[test]
fn stored_reasons_read_back_in_words() {
    let milestones = [milestone("主体封顶", "2026-09-01", None)];
    let outcome = assess(day("2026-11-29"), &milestones, &[], 0);
    let row = history_row(1, day("2026-11-29"), &outcome, Utc::now());
    let back: Vec<Reason> = serde_json::from_str(&row.reasons).unwrap();
    assert_eq!(back, outcome.reasons);
}

proptest::proptest! {
    /// Month after month through the stored rows (month ends, leap Februaries, months
    /// without a plan): a month after a red or held one is never green while a shortfall
    /// is left, and a month with none is never held.
    #[test]
    fn the_hold_carries_across_stored_months(
        start in 0u32..36,
        steps in proptest::collection::vec((0i64..3_000, 0i64..3_000, proptest::bool::ANY), 1..14),
        late_by in 0i64..120,
    ) {
        let first = Period::new(2023, 1).unwrap();
        let first = (0..start).fold(first, |p, _| p.next().unwrap());
        let milestones = [milestone("主体封顶", "2024-02-29", None)];
        let late = day("2024-02-29") + chrono::Duration::days(late_by);
        let done = [milestone("主体封顶", "2024-02-29", Some(&late.to_string()))];
        let (mut plan, mut target, mut completed) = (Vec::new(), 0, 0);
        let mut stored: Option<StatusHistoryRow> = None;
        let mut month = first;
        for (more_target, more_done, planned) in steps {
            let as_of = month.last_day();
            if planned {
                target += more_target;
                plan.push(PlanRow {
                    project_id: 1,
                    period: month.to_string(),
                    cumulative_target: target,
                });
            }
            completed += more_done;
            let facts = if as_of >= late { &done } else { &milestones };
            let previous = stored.as_ref().and_then(previous_of);
            let outcome = assess_with(
                as_of, facts, &plan, completed, previous, &Thresholds::default(),
            );
            if previous.is_some_and(|p| p.holds()) && outcome.shortfall > Money::ZERO {
                proptest::prop_assert!(outcome.colour >= Colour::Yellow);
                proptest::prop_assert!(outcome.held());
            }
            if outcome.shortfall == Money::ZERO {
                proptest::prop_assert!(!outcome.held());
            }
            let row = history_row(1, as_of, &outcome, Utc::now());
            proptest::prop_assert_eq!(&row.period, &month.to_string());
            stored = Some(row);
            month = month.next().unwrap();
        }
    }
}

#[test]
fn settings_thresholds_change_the_colour() {
    let milestones = [milestone("竣工验收", "2026-11-01", None)];
    let as_of = day("2026-11-29");
    assert_eq!(assess(as_of, &milestones, &[], 0).colour, Colour::Yellow);
    let strict = Thresholds {
        red_overdue_days: 7,
        ..Thresholds::default()
    };
    let outcome = assess_with(as_of, &milestones, &[], 0, None, &strict);
    assert_eq!(outcome.colour, Colour::Red);
}

mod month_override {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn set(id: i64, from: &str, until: Option<&str>) -> StatusOverrideRow {
        StatusOverrideRow {
            id,
            project_id: 1,
            colour: "red".into(),
            reason: "区领导要求挂红".into(),
            set_by: None,
            set_at: at(from),
            cleared_by: None,
            cleared_at: until.map(at),
        }
    }

    fn history(overrides: Vec<StatusOverrideRow>) -> StatusHistory {
        StatusHistory {
            status: ProjectStatus {
                project_id: 1,
                version: 1,
                colour: Colour::Red,
                current_override: None,
                history: Vec::new(),
            },
            overrides,
            today: "2026-11-29".parse().unwrap(),
            read_at: at("2026-11-29T02:00:00Z"),
        }
    }

    /// A past month shows the override in force at its end in China; the month under way
    /// the one in force now, whenever its outcome was computed.
    #[test]
    fn a_month_shows_the_override_in_force_when_it_ended() {
        let current = history(vec![set(2, "2026-11-10T02:00:00Z", None)]);
        assert_eq!(current.month_override("2026-11").map(|o| o.id), Some(2));
        assert_eq!(current.month_override("2026-10").map(|o| o.id), None);

        let cleared = history(vec![set(
            1,
            "2026-10-15T02:00:00Z",
            Some("2026-11-05T02:00:00Z"),
        )]);
        assert_eq!(cleared.month_override("2026-10").map(|o| o.id), Some(1));
        assert_eq!(cleared.month_override("2026-11").map(|o| o.id), None);

        // 00:30 on 1 November in China is still 31 October in UTC.
        let after_midnight = history(vec![set(3, "2026-10-31T16:30:00Z", None)]);
        assert_eq!(after_midnight.month_override("2026-10").map(|o| o.id), None);
        let before_midnight = history(vec![set(4, "2026-10-31T15:30:00Z", None)]);
        assert_eq!(
            before_midnight.month_override("2026-10").map(|o| o.id),
            Some(4)
        );
    }
}
