//! The status light of a project, from its milestones, plan and completed investment.
//! Computed (never typed in) whenever a project changes and every night
//! ([`status_recompute`](super::status_recompute)); each computation records the month's
//! outcome in the colour history, whose previous month feeds the hold rule ("a red period
//! turns yellow only when the shortfall is made up"). The colour cached in
//! `projects.status_colour` (what the list, map and cockpit count) is the manual override
//! when one is set ([`status_override`](super::status_override)), else the computed one.
//! Thresholds are settings ([`status_settings`](super::status_settings)).

use super::status_override::ProjectStatus;
use super::status_settings::thresholds_of;
use crate::{Ctx, ServiceResult, Services};
use chrono::{DateTime, NaiveDate, Utc};
use districtops_domain::money::Money;
use districtops_domain::projects::{
    Colour, MilestoneFact, Period, PlanPeriod, PlanTarget, PreviousStatus, StatusInput,
    StatusOutcome, Thresholds, compute_status,
};
use districtops_store::{
    MilestoneRow, PlanRow, RecordedOutcome, StatusFacts, StatusHistoryRow, StatusOverrideRow, Tx,
};

/// A project's months and every manual override of its colour (newest first, cleared ones
/// kept), for the API.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusHistory {
    pub status: ProjectStatus,
    pub overrides: Vec<StatusOverrideRow>,
}

impl StatusHistory {
    /// The override in force at `at`, if any.
    pub fn override_at(&self, at: DateTime<Utc>) -> Option<&StatusOverrideRow> {
        self.overrides
            .iter()
            .find(|o| o.set_at <= at && o.cleared_at.is_none_or(|c| c > at))
    }
}

/// The status of a project with these facts on `as_of`, with the default thresholds and no
/// previous period. Plan rows whose period does not parse are skipped (they cannot be
/// written through the services).
pub fn assess(
    as_of: NaiveDate,
    milestones: &[MilestoneRow],
    plan: &[PlanRow],
    completed: i64,
) -> StatusOutcome {
    assess_with(
        as_of,
        milestones,
        plan,
        completed,
        None,
        &Thresholds::default(),
    )
}

/// As [`assess`], after the `previous` month's outcome and with `thresholds`.
pub fn assess_with(
    as_of: NaiveDate,
    milestones: &[MilestoneRow],
    plan: &[PlanRow],
    completed: i64,
    previous: Option<PreviousStatus>,
    thresholds: &Thresholds,
) -> StatusOutcome {
    let milestones = milestones.iter().map(|m| MilestoneFact {
        name: m.name.clone(),
        planned: m.planned,
        actual: m.actual,
    });
    let plan = plan
        .iter()
        .map(|p| (p.period.as_str(), p.cumulative_target));
    let input = status_input(as_of, milestones, plan, completed, previous);
    compute_status(&input, thresholds)
}

/// The status of a project from the facts read in a write transaction, with the thresholds
/// among them, after the previous month's outcome among them.
fn assess_facts(as_of: NaiveDate, facts: &StatusFacts, completed: i64) -> StatusOutcome {
    let milestones = facts.milestones.iter().map(|m| MilestoneFact {
        name: m.name.clone(),
        planned: m.planned,
        actual: m.actual,
    });
    let plan = facts
        .plan
        .iter()
        .map(|(period, target)| (period.as_str(), *target));
    let previous = facts.previous.as_ref().and_then(|p| {
        Some(PreviousStatus {
            colour: Colour::parse(&p.colour).ok()?,
            shortfall: Money::from_yuan(p.shortfall),
            held: p.held,
        })
    });
    let input = status_input(as_of, milestones, plan, completed, previous);
    compute_status(&input, &thresholds_of(&facts.settings))
}

/// The rules' input; plan rows whose period does not parse are skipped.
fn status_input<'a>(
    as_of: NaiveDate,
    milestones: impl Iterator<Item = MilestoneFact>,
    plan: impl Iterator<Item = (&'a str, i64)>,
    completed: i64,
    previous: Option<PreviousStatus>,
) -> StatusInput {
    StatusInput {
        as_of,
        milestones: milestones.collect(),
        plan: plan
            .filter_map(|(period, target)| {
                Some(PlanTarget {
                    period: PlanPeriod::parse(period).ok()?,
                    cumulative_target: Money::from_yuan(target),
                })
            })
            .collect(),
        completed: Money::from_yuan(completed),
        open_blockers: Vec::new(),
        previous,
    }
}

/// The month before the one `as_of` falls in, as stored (`YYYY-MM`).
pub(crate) fn previous_period(as_of: NaiveDate) -> String {
    let month = Period::containing(as_of);
    month.prev().unwrap_or(month).to_string()
}

/// What a stored month tells the next one; `None` for a colour no service writes.
pub(crate) fn previous_of(row: &StatusHistoryRow) -> Option<PreviousStatus> {
    Some(PreviousStatus {
        colour: Colour::parse(&row.colour).ok()?,
        shortfall: Money::from_yuan(row.shortfall),
        held: row.held,
    })
}

/// What `row` records of its month, to compare with what is recorded.
fn recorded(row: &StatusHistoryRow) -> RecordedOutcome {
    RecordedOutcome {
        colour: row.colour.clone(),
        reasons: row.reasons.clone(),
        shortfall: row.shortfall,
        held: row.held,
        as_of: row.as_of,
    }
}

/// The history row of `outcome`: the month of `as_of`, computed at `now`.
pub(crate) fn history_row(
    project_id: i64,
    as_of: NaiveDate,
    outcome: &StatusOutcome,
    now: DateTime<Utc>,
) -> StatusHistoryRow {
    StatusHistoryRow {
        project_id,
        period: Period::containing(as_of).to_string(),
        colour: outcome.colour.as_str().to_owned(),
        // A list of plain enums and strings always serialises.
        reasons: serde_json::to_string(&outcome.reasons).unwrap_or_else(|_| "[]".to_owned()),
        shortfall: outcome.shortfall.yuan(),
        held: outcome.held(),
        as_of,
        computed_at: now,
    }
}

impl Services {
    /// The status history of project `id` with all its overrides (inside the caller's scope).
    pub async fn status_history(&self, ctx: &Ctx, id: i64) -> ServiceResult<StatusHistory> {
        let status = self.project_status(ctx, id).await?;
        let overrides = self.store.status_overrides(id).await?;
        Ok(StatusHistory { status, overrides })
    }

    /// The status of project `id` today as it stands in `tx`, with `completed` investment,
    /// after last month's recorded outcome; this month's outcome is recorded in `tx`. Also
    /// gives the colour of the current manual override, if any.
    pub(crate) async fn assess_in(
        &self,
        tx: &mut Tx,
        id: i64,
        completed: i64,
    ) -> ServiceResult<(StatusOutcome, Option<Colour>)> {
        let today = self.today();
        let month = Period::containing(today).to_string();
        let facts = self
            .store
            .status_facts_in(tx, id, &previous_period(today), &month)
            .await?;
        let outcome = assess_facts(today, &facts, completed);
        let row = history_row(id, today, &outcome, self.now());
        // Most edits leave the light as it was: the month's row stays, stamped when it was
        // first computed so.
        if facts.current.as_ref() != Some(&recorded(&row)) {
            self.store.upsert_statuses(tx, &[row]).await?;
        }
        let manual = facts.manual.and_then(|c| Colour::parse(&c).ok());
        Ok((outcome, manual))
    }

    /// The colour to cache for project `id`: its manual override, else the colour
    /// [`Services::assess_in`] computes (and records).
    pub(crate) async fn shown_colour_in(
        &self,
        tx: &mut Tx,
        id: i64,
        completed: i64,
    ) -> ServiceResult<Colour> {
        let (outcome, manual) = self.assess_in(tx, id, completed).await?;
        Ok(manual.unwrap_or(outcome.colour))
    }

    /// The status of project `id` today for a page (nothing recorded): its facts as read,
    /// last month's outcome and the thresholds of the settings.
    pub(crate) async fn assess_today(
        &self,
        id: i64,
        milestones: &[MilestoneRow],
        plan: &[PlanRow],
        completed: i64,
    ) -> ServiceResult<StatusOutcome> {
        let today = self.today();
        let thresholds = self.status_thresholds().await?;
        let previous = self
            .store
            .status(id, &previous_period(today))
            .await?
            .as_ref()
            .and_then(previous_of);
        Ok(assess_with(
            today,
            milestones,
            plan,
            completed,
            previous,
            &thresholds,
        ))
    }
}

#[cfg(test)]
mod tests {
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
}
