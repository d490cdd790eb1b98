//! The status light of a key project (红黄绿灯): computed, never typed in, always with reasons.
//!
//! [`compute_status`] assesses one project as of a day `as_of` (the last day of the period
//! being assessed, or today). Each rule below yields [`Reason`]s; the colour is the worst
//! colour among them (Green < Yellow < Red), and there is always at least one reason.
//!
//! - A milestone is **done** when its actual date is on or before `as_of`; a milestone done
//!   later counts as not done, so a past period is assessed as it stood then.
//! - **Overdue**: not done and planned before `as_of`; it is `days = as_of − planned` days
//!   overdue (at least 1). More than `red_overdue_days` → **Red**
//!   ([`Reason::MilestoneLongOverdue`]); 1 to `red_overdue_days` → **Yellow**
//!   ([`Reason::MilestoneOverdue`]).
//! - **At risk**: not done and planned on `as_of` or at most `warning_days` after it (a
//!   milestone due on `as_of` is at risk, not overdue) → **Yellow**
//!   ([`Reason::MilestoneAtRisk`]).
//! - **Critical blocker**: every open blocker marked critical → **Red**
//!   ([`Reason::CriticalBlocker`]). Blockers not marked critical do not change the colour.
//! - **Plan target**: the cumulative target of the plan period with the latest last day on or
//!   before `as_of` (on a tie, such as March and Q1, the larger target). No such period → the
//!   target is 0 and the lag rule does not apply. Amounts are [`Money`] (whole 元).
//! - **Shortfall** = target − completed, clamped at 0. It is returned as
//!   [`StatusOutcome::shortfall`] to be stored with the period's colour.
//! - **Investment lag**: target > 0 and `shortfall × 100 > target × lag_percent` (strictly
//!   more than `lag_percent` % of the target) → **Yellow** ([`Reason::InvestmentLag`]).
//! - **Not made up** (three-colour warning hysteresis): the previous period was Red, or was
//!   itself held by this rule ([`PreviousStatus::held`]), with a shortfall above 0 recorded;
//!   while the shortfall now is still above 0 → at least **Yellow** ([`Reason::NotMadeUp`]).
//!   So a red period cannot turn green until the project has caught up with its cumulative
//!   plan (which includes every earlier target); a red period with no shortfall holds nothing.
//! - Otherwise **Green**: [`Reason::NothingToAssess`] when the project has neither milestones
//!   nor plan targets, else [`Reason::OnTrack`].
//!
//! Reasons come worst colour first, then in rule order (blockers, milestones in input order,
//! lag, not made up). A manual [`Override`] replaces the colour shown; build the next period's
//! [`PreviousStatus`] from the computed outcome, so an override does not erase the hold.

use super::quarter::PlanPeriod;
use super::reason::Reason;
use crate::money::Money;
use crate::validation::{FieldError, FieldErrors, clean_text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The colour of the status light, ordered by severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Colour {
    Green,
    Yellow,
    Red,
}

impl Colour {
    pub const ALL: [Colour; 3] = [Self::Green, Self::Yellow, Self::Red];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Green => "green",
            Self::Yellow => "yellow",
            Self::Red => "red",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|colour| colour.as_str() == raw)
            .ok_or(FieldError::new("colour", "project.status.invalid"))
    }

    /// The catalog key of the colour's name, for example `project.status.red`.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Green => "project.status.green",
            Self::Yellow => "project.status.yellow",
            Self::Red => "project.status.red",
        }
    }
}

/// The settings of the status rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    /// A milestone overdue by more than this many days turns the project red.
    pub red_overdue_days: i64,
    /// A milestone due within this many days of `as_of` and not done is at risk.
    pub warning_days: i64,
    /// Completed investment below the plan by more than this percentage of the plan is a lag.
    pub lag_percent: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            red_overdue_days: 30,
            warning_days: 15,
            lag_percent: 10,
        }
    }
}

impl Thresholds {
    /// Checks settings entered by an administrator: day counts 0–3650, percentage 0–100.
    pub fn check(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        let days = 0..=3650;
        if !days.contains(&self.red_overdue_days) {
            errors.push(FieldError::new(
                "red_overdue_days",
                "project.status.threshold_invalid",
            ));
        }
        if !days.contains(&self.warning_days) {
            errors.push(FieldError::new(
                "warning_days",
                "project.status.threshold_invalid",
            ));
        }
        if self.lag_percent > 100 {
            errors.push(FieldError::new(
                "lag_percent",
                "project.status.threshold_invalid",
            ));
        }
        errors.into_result()
    }
}

/// A milestone as the status rules see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MilestoneFact {
    pub name: String,
    pub planned: NaiveDate,
    pub actual: Option<NaiveDate>,
}

impl MilestoneFact {
    /// Whether the milestone was done on or before `as_of`.
    pub fn done_by(&self, as_of: NaiveDate) -> bool {
        self.actual.is_some_and(|actual| actual <= as_of)
    }
}

/// The cumulative investment to be completed by the end of `period`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanTarget {
    pub period: PlanPeriod,
    pub cumulative_target: Money,
}

/// An open blocker (堵点) of the project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockerFact {
    pub title: String,
    pub critical: bool,
}

/// What was recorded for the period before the one assessed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviousStatus {
    /// The computed colour (not an override).
    pub colour: Colour,
    /// [`StatusOutcome::shortfall`] of that period.
    pub shortfall: Money,
    /// [`StatusOutcome::held`] of that period: it was kept from green by an earlier red.
    #[serde(default)]
    pub held: bool,
}

impl PreviousStatus {
    /// Whether this period must make up the recorded shortfall before it may be green.
    pub fn holds(&self) -> bool {
        self.shortfall > Money::ZERO && (self.colour == Colour::Red || self.held)
    }
}

/// Everything [`compute_status`] looks at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusInput {
    /// The day assessed: the last day of the period, or today.
    pub as_of: NaiveDate,
    pub milestones: Vec<MilestoneFact>,
    /// The investment plan, in any order.
    pub plan: Vec<PlanTarget>,
    /// Investment completed to date as of `as_of`.
    pub completed: Money,
    pub open_blockers: Vec<BlockerFact>,
    pub previous: Option<PreviousStatus>,
}

/// The computed status of one project for one period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatusOutcome {
    pub colour: Colour,
    /// Never empty; worst colour first.
    pub reasons: Vec<Reason>,
    /// Plan target − completed, clamped at 0; store it for the next period.
    pub shortfall: Money,
}

impl StatusOutcome {
    /// Whether the hysteresis rule kept this period from being green.
    pub fn held(&self) -> bool {
        self.reasons
            .iter()
            .any(|reason| matches!(reason, Reason::NotMadeUp { .. }))
    }

    /// What the next period needs to know about this one.
    pub fn as_previous(&self) -> PreviousStatus {
        PreviousStatus {
            colour: self.colour,
            shortfall: self.shortfall,
            held: self.held(),
        }
    }
}

/// Computes the status light; the rules are in the [module documentation](self).
pub fn compute_status(input: &StatusInput, thresholds: &Thresholds) -> StatusOutcome {
    let as_of = input.as_of;
    let mut reasons: Vec<Reason> = input
        .open_blockers
        .iter()
        .filter(|blocker| blocker.critical)
        .map(|blocker| Reason::CriticalBlocker {
            title: blocker.title.clone(),
        })
        .collect();

    for milestone in input.milestones.iter().filter(|m| !m.done_by(as_of)) {
        let name = milestone.name.clone();
        let days = (as_of - milestone.planned).num_days();
        if days >= 1 && days > thresholds.red_overdue_days {
            reasons.push(Reason::MilestoneLongOverdue {
                name,
                planned: milestone.planned,
                days,
                limit_days: thresholds.red_overdue_days,
            });
        } else if days >= 1 {
            reasons.push(Reason::MilestoneOverdue {
                name,
                planned: milestone.planned,
                days,
            });
        } else if -days <= thresholds.warning_days {
            reasons.push(Reason::MilestoneAtRisk {
                name,
                due: milestone.planned,
                due_in_days: -days,
            });
        }
    }

    let target = input
        .plan
        .iter()
        .filter(|target| target.period.last_day() <= as_of)
        .max_by_key(|target| (target.period.last_day(), target.cumulative_target));
    let planned = target.map_or(Money::ZERO, |target| target.cumulative_target);
    let shortfall = shortfall(planned, input.completed);
    if let Some(target) = target {
        let lag_limit = i128::from(planned.yuan()) * i128::from(thresholds.lag_percent);
        if planned > Money::ZERO && i128::from(shortfall.yuan()) * 100 > lag_limit {
            reasons.push(Reason::InvestmentLag {
                period: target.period,
                planned,
                completed: input.completed,
                percent_short: percent_rounded_up(shortfall, planned),
            });
        }
    }

    if input.previous.is_some_and(|p| p.holds()) && shortfall > Money::ZERO {
        reasons.push(Reason::NotMadeUp { shortfall });
    }

    if reasons.is_empty() {
        reasons.push(if input.milestones.is_empty() && input.plan.is_empty() {
            Reason::NothingToAssess
        } else {
            Reason::OnTrack
        });
    }
    reasons.sort_by_key(|reason| std::cmp::Reverse(reason.colour()));
    StatusOutcome {
        colour: reasons
            .iter()
            .map(Reason::colour)
            .max()
            .unwrap_or(Colour::Green),
        reasons,
        shortfall,
    }
}

/// `planned − completed`, clamped at 0 (and at the largest amount, which no ledger reaches).
fn shortfall(planned: Money, completed: Money) -> Money {
    let gap = (i128::from(planned.yuan()) - i128::from(completed.yuan())).max(0);
    Money::from_yuan(i64::try_from(gap).unwrap_or(i64::MAX))
}

/// `part / whole` in percent, rounded up; `whole` > 0.
fn percent_rounded_up(part: Money, whole: Money) -> u32 {
    let (part, whole) = (i128::from(part.yuan()), i128::from(whole.yuan()));
    u32::try_from((part * 100 + whole - 1) / whole).unwrap_or(u32::MAX)
}

/// A colour set by hand over the computed one, with the written reason the audit record keeps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Override {
    colour: Colour,
    reason: String,
}

impl Override {
    /// The longest reason accepted, in characters.
    pub const MAX_REASON_CHARS: usize = 500;

    /// An override to `colour`; the reason is required (trimmed, 1–500 characters, no
    /// control characters).
    pub fn new(colour: Colour, reason: &str) -> Result<Self, FieldError> {
        Ok(Self {
            colour,
            reason: clean_text(reason, "reason", Self::MAX_REASON_CHARS)?,
        })
    }

    pub fn colour(&self) -> Colour {
        self.colour
    }

    pub fn reason(&self) -> &str {
        &self.reason
    }
}
