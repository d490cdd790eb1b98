//! Key projects (重点项目): the rules of the project ledger (台账).
//!
//! - [`ProjectKind`]: what a project is (medical, headquarters, ...).
//! - [`Stage`]: 储备 → 签约 → 开工 → 主体完工 → 竣工 → 投用, and the rule for changing it
//!   ([`Stage::check_transition`], [`StageChange::check_history`]).
//! - [`Period`] (a month), [`Quarter`] and [`PlanPeriod`]: the periods of progress reports
//!   and of the investment plan; [`plan_lines`]: the plan beside what was done by each period.
//! - [`KpiMetric`] and [`KpiUnit`]: annual targets, how their actual is computed, in which
//!   unit; [`PhaseTarget`]: when a roadmap phase is due.
//! - [`compute_status`]: the red/yellow/green status light with its [`Reason`]s; the rules are
//!   documented in [`status`].
//!
//! Amounts are [`Money`](crate::money::Money): whole 元, never floating point.

pub mod draft;
pub mod history;
#[cfg(test)]
mod hold_tests;
pub mod kind;
pub mod kpi;
pub mod period;
pub mod plan;
pub mod quarter;
pub mod reason;
pub mod stage;
pub mod status;
#[cfg(test)]
mod status_props;
#[cfg(test)]
mod status_tests;

pub use draft::{Dates, KeyDates, LandArea, ProjectDraft};
pub use history::StageChange;
pub use kind::ProjectKind;
pub use kpi::{KpiMetric, KpiUnit, PhaseTarget, percent_of};
pub use period::{Period, Periods};
pub use plan::{PlanLine, plan_lines};
pub use quarter::{PlanPeriod, Quarter};
pub use reason::{Param, Reason};
pub use stage::{Stage, StageError, Transition};
pub use status::{
    BlockerFact, Colour, MilestoneFact, Override, PlanTarget, PreviousStatus, StatusInput,
    StatusOutcome, Thresholds, compute_status,
};
