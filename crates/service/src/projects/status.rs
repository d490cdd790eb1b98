//! The status light of a project, from its milestones, plan and completed investment.
//! Computed (never typed in) whenever a project changes and every night
//! ([`status_recompute`](super::status_recompute)); each computation records the month's
//! outcome in the colour history, whose previous month feeds the hold rule ("a red period
//! turns yellow only when the shortfall is made up"). The colour cached in
//! `projects.status_colour` (what the list, map and cockpit count) is the manual override
//! when one is set ([`status_override`](super::status_override)), else the computed one.
//! Thresholds are settings ([`status_settings`](super::status_settings)).

use super::china;
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
    /// The ledger's today and the instant, when read.
    pub today: NaiveDate,
    pub read_at: DateTime<Utc>,
}

impl StatusHistory {
    /// The override in force at `at`, if any.
    pub fn override_at(&self, at: DateTime<Utc>) -> Option<&StatusOverrideRow> {
        self.overrides
            .iter()
            .find(|o| o.set_at <= at && o.cleared_at.is_none_or(|c| c > at))
    }

    /// The colour set by hand that was shown instead of month `period`'s computed one: the
    /// override in force when the month ended, or now for the month under way (or one that
    /// does not parse).
    pub fn month_override(&self, period: &str) -> Option<&StatusOverrideRow> {
        // Its last instant: midnight after its last day, in China, less a microsecond.
        let ended = Period::parse(period)
            .ok()
            .filter(|month| month.last_day() < self.today)
            .and_then(|month| month.last_day().succ_opt())
            .and_then(|next| next.and_hms_opt(0, 0, 0))
            .and_then(|midnight| midnight.and_local_timezone(china()).single())
            .map(|midnight| midnight.with_timezone(&Utc) - chrono::Duration::microseconds(1));
        self.override_at(ended.map_or(self.read_at, |end| end.min(self.read_at)))
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
        Ok(StatusHistory {
            status,
            overrides,
            today: self.today(),
            read_at: self.now(),
        })
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
#[path = "status_tests.rs"]
mod tests;
