//! The key-project ledger (重点项目台账): the model each later area copies.
//!
//! - [`cockpit`]: the leaders' cockpit: the ledger's figures inside the caller's scope.
//! - [`list`]: the ledger list, the caller's data scope turned into a store filter.
//! - [`read`]: one project with its milestones, reports, stage history and status reasons.
//! - [`write`]: create and update from a [`ProjectDraft`], audited field by field.
//! - [`import`]: the ledger from a spreadsheet, previewed row by row, applied all at once.
//! - [`export`]: the filtered ledger as a spreadsheet.
//! - [`as_of`]: the list, a project and the export as the ledger stood at the end of a day.
//! - [`chart`]: the battle chart (作战图): projects × months with their milestones' flags.
//! - [`map`]: the battle map's points and totals by status colour.
//! - [`stage`]: dated stage changes (backwards only as a correction).
//! - [`progress`]: milestones and monthly progress reports.
//! - [`plan`]: the investment plan beside what was done by each period.
//! - [`platforms`]: the functional platforms projects belong to.
//! - [`goals`]: platform roadmaps and annual targets with their actuals from the ledger.
//! - [`status`]: the status light, recomputed and cached whenever a project changes.
//! - [`status_override`]: the colour history per month and the manual override.
//! - [`status_recompute`]: every status light recomputed in batches, daily.
//! - [`status_settings`]: the thresholds of the status rules, from the settings.
//!
//! Every method passes `Ctx::require` and, for one project, `Actor::require_reach` on its
//! owner (department and leader) before it touches the store: a project outside the
//! caller's scope answers `NotFound`.
//!
//! [`ProjectDraft`]: districtops_domain::projects::ProjectDraft

pub mod as_of;
pub mod chart;
#[cfg(test)]
mod chart_tests;
pub mod cockpit;
mod create_many;
pub mod export;
mod fields;
pub mod goals;
pub mod import;
mod import_apply;
mod import_plan;
mod import_report;
mod import_rows;
pub mod list;
pub mod map;
pub mod plan;
pub mod platforms;
pub mod progress;
pub mod read;
pub mod stage;
pub mod status;
pub mod status_override;
pub mod status_recompute;
pub mod status_settings;
pub mod write;

use crate::{Actor, Ctx, ServiceError, ServiceResult, Services};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use districtops_domain::access::{Permission, RecordOwner, Visibility};
use districtops_domain::{DepartmentId, UserId};
use districtops_store::{ProjectRow, ProjectScope, Tx};

pub use cockpit::{Cockpit, RedProject};
pub use list::ProjectQuery;
pub use read::ProjectDetail;

/// Who owns a project for the scope check: its department and its leader.
pub fn owner_of(row: &ProjectRow) -> RecordOwner {
    RecordOwner {
        department: DepartmentId(row.department_id),
        user: row.leader_user_id.map(UserId),
    }
}

/// The caller's data scope as a filter of the ledger list.
pub fn scope_of(actor: &Actor) -> ProjectScope {
    match &actor.access.visibility {
        Visibility::District => ProjectScope::District,
        Visibility::Nothing => ProjectScope::Limited {
            departments: Vec::new(),
            own_user: None,
        },
        Visibility::Limited { departments, own } => ProjectScope::Limited {
            departments: departments.iter().map(|d| d.0).collect(),
            own_user: own.map(|u| u.0),
        },
    }
}

/// The caller's data scope: the command-line operator's is the whole district.
pub fn scope_for(ctx: &Ctx) -> ServiceResult<ProjectScope> {
    if ctx.is_system() {
        return Ok(ProjectScope::District);
    }
    Ok(scope_of(ctx.actor()?))
}

/// China's time zone (UTC+8, no daylight saving).
pub(crate) fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// The date in China (UTC+8) at `now`: the day a stage change or a status is dated.
pub fn local_date(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&china()).date_naive()
}

impl Services {
    /// Reads a project for a change inside `tx`: `permission` checked, then the project's
    /// owner against the caller's scope (`NotFound` outside it).
    pub(crate) async fn reachable_project_in(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        id: i64,
        permission: Permission,
    ) -> ServiceResult<ProjectRow> {
        ctx.require(permission)?;
        let row = self
            .store
            .project_in(tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        ctx.require_reach(owner_of(&row))?;
        Ok(row)
    }

    /// Today in China, by the injected clock.
    pub fn today(&self) -> NaiveDate {
        self.business_date.unwrap_or_else(|| local_date(self.now()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_is_chinas() {
        let late = "2026-11-28T17:30:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(local_date(late).to_string(), "2026-11-29");
        let early = "2026-11-28T15:59:59Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(local_date(early).to_string(), "2026-11-28");
    }
}
