//! The battle chart's month grid: month ends, flags reached late, overdue, the range.

use super::chart::{ChartRange, Flag, FlagName, MarkKind, Moment, cells};
use chrono::NaiveDate;
use districtops_domain::projects::Period;

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn month(text: &str) -> Period {
    Period::parse(text).unwrap()
}

fn flag(name: &str, planned: Option<&str>, actual: Option<&str>) -> Flag {
    Flag {
        name: FlagName::Milestone(name.into()),
        planned: planned.map(day),
        actual: actual.map(day),
    }
}

/// Month by month, the kinds of the marks in each cell.
fn kinds(range: ChartRange, flags: &[Flag], today: &str) -> Vec<Vec<MarkKind>> {
    cells(range, flags, day(today))
        .into_iter()
        .map(|cell| cell.into_iter().map(|m| m.kind).collect())
        .collect()
}

#[test]
fn a_flag_falls_in_its_month_up_to_the_last_day() {
    let range = ChartRange::new(month("2020-01"), month("2020-03")).unwrap();
    let flags = [
        flag("一月底", Some("2020-01-31"), None),
        flag("闰二月", Some("2020-02-29"), None),
        flag("三月初", Some("2020-03-01"), None),
    ];
    let grid = kinds(range, &flags, "2020-01-01");
    assert_eq!(
        grid,
        [
            vec![MarkKind::Planned],
            vec![MarkKind::Planned],
            vec![MarkKind::Planned]
        ]
    );
}

#[test]
fn overdue_starts_the_day_after_the_planned_day() {
    let range = ChartRange::new(month("2020-01"), month("2020-01")).unwrap();
    let flags = [flag("主体封顶", Some("2020-01-31"), None)];
    assert_eq!(
        kinds(range, &flags, "2020-01-31"),
        [vec![MarkKind::Planned]]
    );
    assert_eq!(
        kinds(range, &flags, "2020-02-01"),
        [vec![MarkKind::Overdue]]
    );
}

#[test]
fn a_flag_reached_late_shows_its_plan_and_its_late_arrival() {
    let range = ChartRange::new(month("2020-03"), month("2020-05")).unwrap();
    let flags = [flag("主体封顶", Some("2020-03-31"), Some("2020-04-01"))];
    let grid = cells(range, &flags, day("2020-06-01"));
    assert_eq!(
        grid[0][0].kind,
        MarkKind::Planned,
        "its plan is not overdue"
    );
    assert_eq!(grid[1][0].kind, MarkKind::Late);
    assert_eq!(grid[1][0].on, day("2020-04-01"));
    assert_eq!(grid[1][0].planned, Some(day("2020-03-31")));
    assert!(grid[2].is_empty());
}

#[test]
fn reached_in_its_month_shows_once_and_early_is_on_time() {
    let range = ChartRange::new(month("2020-03"), month("2020-04")).unwrap();
    let flags = [
        flag("开工", Some("2020-03-31"), Some("2020-03-02")),
        flag("提前", Some("2020-04-10"), Some("2020-03-20")),
    ];
    let grid = kinds(range, &flags, "2020-06-01");
    assert_eq!(grid[0], [MarkKind::OnTime, MarkKind::OnTime]);
    assert_eq!(grid[1], [MarkKind::Planned]);
}

#[test]
fn a_moment_with_only_an_actual_day_is_on_time_and_outside_flags_are_left_out() {
    let range = ChartRange::new(month("2020-04"), month("2020-04")).unwrap();
    let flags = [
        Flag {
            name: FlagName::Moment(Moment::Start),
            planned: None,
            actual: Some(day("2020-04-02")),
        },
        flag("去年", Some("2019-12-31"), None),
        flag("明年", Some("2021-01-01"), None),
    ];
    assert_eq!(kinds(range, &flags, "2026-11-29"), [vec![MarkKind::OnTime]]);
}

#[test]
fn the_range_is_forwards_and_at_most_three_years() {
    assert!(ChartRange::new(month("2020-02"), month("2020-01")).is_err());
    assert!(ChartRange::new(month("2020-01"), month("2022-12")).is_ok());
    let too_long = ChartRange::new(month("2020-01"), month("2023-01")).unwrap_err();
    assert_eq!(too_long.message, "project.chart.range_too_long");
    let year = ChartRange::year_of(day("2026-11-29"));
    assert_eq!(year.months().len(), 12);
    assert_eq!(year.first().to_string(), "2026-01");
    assert_eq!(year.last().to_string(), "2026-12");
}
