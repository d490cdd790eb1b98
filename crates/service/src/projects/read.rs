//! One project with everything its page shows.

use super::owner_of;
use super::plan::plan_table;
use crate::{Ctx, ServiceError, ServiceResult, Services};
use districtops_domain::access::Permission;
use districtops_domain::projects::{PlanLine, StatusOutcome};
use districtops_store::{MilestoneRow, ProgressRow, ProjectRow, StageChangeRow};

/// A project, the names of what it refers to, its children and its status with reasons.
#[derive(Clone, Debug)]
pub struct ProjectDetail {
    pub row: ProjectRow,
    pub platform: Option<String>,
    pub department: String,
    pub milestones: Vec<MilestoneRow>,
    pub progress: Vec<ProgressRow>,
    pub stage_changes: Vec<StageChangeRow>,
    /// The investment plan beside what was done by each period.
    pub plan: Vec<PlanLine>,
    /// Assessed today (the cached colour is the same unless a day passed since the change).
    pub status: StatusOutcome,
}

impl Services {
    /// A project inside the caller's scope; `NotFound` for one outside it.
    pub async fn project(&self, ctx: &Ctx, id: i64) -> ServiceResult<ProjectDetail> {
        ctx.require(Permission::ReadBusiness)?;
        let actor = ctx.actor()?;
        let row = self
            .store
            .project(id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        actor.require_reach(owner_of(&row))?;
        let milestones = self.store.milestones(id).await?;
        let plan = self.store.investment_plan(id).await?;
        let status = self
            .assess_today(id, &milestones, &plan, row.completed_investment)
            .await?;
        let (platform, department) = self.names_of(&row).await?;
        let progress = self.store.progress_reports(id).await?;
        Ok(ProjectDetail {
            plan: plan_table(&plan, &progress, row.completed_investment, self.today())?,
            progress,
            stage_changes: self.store.stage_changes(id).await?,
            platform,
            department,
            milestones,
            status,
            row,
        })
    }
}

impl Services {
    /// The names of a project's platform (if any) and department, for its page.
    pub(crate) async fn names_of(
        &self,
        row: &ProjectRow,
    ) -> ServiceResult<(Option<String>, String)> {
        let platform = match row.platform_id {
            Some(id) => self.store.platform(id).await?.map(|p| p.name),
            None => None,
        };
        Ok((platform, self.department_name(row.department_id).await?))
    }

    /// The name of department `id` (empty if it is gone).
    pub(crate) async fn department_name(&self, id: i64) -> ServiceResult<String> {
        Ok(self
            .store
            .department(id)
            .await?
            .map(|d| d.name)
            .unwrap_or_default())
    }
}
