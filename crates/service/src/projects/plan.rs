//! The investment plan of one project as a table: period, cumulative target, investment
//! completed by the period's end, and the gap ([`plan_lines`] has the rule).

use crate::{Ctx, ServiceError, ServiceResult, Services};
use districtops_domain::access::Permission;
use districtops_domain::money::Money;
use districtops_domain::projects::{Period, PlanLine, PlanPeriod, PlanTarget, plan_lines};
use districtops_store::{PlanRow, ProgressRow};

use super::owner_of;

/// The plan table from the stored rows (rows whose period does not parse are skipped: they
/// cannot be written through the services).
pub(crate) fn plan_table(
    plan: &[PlanRow],
    progress: &[ProgressRow],
    completed: i64,
    today: chrono::NaiveDate,
) -> ServiceResult<Vec<PlanLine>> {
    let targets: Vec<PlanTarget> = plan
        .iter()
        .filter_map(|p| {
            Some(PlanTarget {
                period: PlanPeriod::parse(&p.period).ok()?,
                cumulative_target: Money::from_yuan(p.cumulative_target),
            })
        })
        .collect();
    let reports: Vec<(Period, Money)> = progress
        .iter()
        .filter_map(|r| {
            Some((
                Period::parse(&r.period).ok()?,
                Money::from_yuan(r.invested_in_period),
            ))
        })
        .collect();
    plan_lines(&targets, &reports, Money::from_yuan(completed), today)
        .ok_or_else(|| ServiceError::Internal("plan totals overflow".into()))
}

impl Services {
    /// The investment plan of project `id` beside what was done; `NotFound` outside the
    /// caller's scope.
    pub async fn project_plan(&self, ctx: &Ctx, id: i64) -> ServiceResult<Vec<PlanLine>> {
        ctx.require(Permission::ReadBusiness)?;
        let row = self
            .store
            .project(id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        ctx.require_reach(owner_of(&row))?;
        let plan = self.store.investment_plan(id).await?;
        let progress = self.store.progress_reports(id).await?;
        plan_table(&plan, &progress, row.completed_investment, self.today())
    }
}
