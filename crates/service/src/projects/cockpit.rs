//! The leaders' cockpit (领导驾驶舱): the ledger's figures by stage, platform and colour,
//! the red projects with their reasons, investment completed by month, and this year's
//! targets against their actuals — all inside the caller's data scope.

use super::goals::KpiProgress;
use super::{scope_for, status::assess_with};
use crate::{Ctx, ServiceResult, Services};
use chrono::Datelike;
use districtops_domain::access::Permission;
use districtops_domain::projects::{Reason, Stage};
use districtops_store::{CockpitMonth, CockpitPlatform, CountBy, ProjectTotals};

/// A red project and why it is red (assessed today with the thresholds in force).
#[derive(Clone, Debug, PartialEq)]
pub struct RedProject {
    pub id: i64,
    pub name: String,
    pub platform: Option<String>,
    pub reasons: Vec<Reason>,
}

/// Everything the cockpit shows. Money is whole 元.
#[derive(Clone, Debug, PartialEq)]
pub struct Cockpit {
    pub totals: ProjectTotals,
    /// Per stage present in scope, in the stages' own order.
    pub stages: Vec<CountBy>,
    pub platforms: Vec<CockpitPlatform>,
    pub green: i64,
    pub yellow: i64,
    pub red: i64,
    pub red_projects: Vec<RedProject>,
    /// Oldest period first.
    pub months: Vec<CockpitMonth>,
    /// This year's targets (本年度指标) against their actuals.
    pub kpis: Vec<KpiProgress>,
}

impl Services {
    /// The cockpit of the projects the caller may see.
    pub async fn cockpit(&self, ctx: &Ctx) -> ServiceResult<Cockpit> {
        ctx.require(Permission::ReadBusiness)?;
        let scope = scope_for(ctx)?;
        let totals = self.store.cockpit_totals(&scope).await?;
        let mut stages = self.store.cockpit_stages(&scope).await?;
        stages.sort_by_key(|s| {
            Stage::parse(&s.value)
                .ok()
                .map_or(usize::MAX, |stage| stage as usize)
        });
        let platforms = self.store.cockpit_platforms(&scope).await?;
        let colours = self.store.cockpit_colours(&scope).await?;
        let colour = |name: &str| {
            colours
                .iter()
                .find(|c| c.value == name)
                .map_or(0, |c| c.count)
        };
        let today = self.today();
        let thresholds = self.status_thresholds().await?;
        let mut red_projects = Vec::new();
        let red = self.store.cockpit_red(&scope).await?;
        let ids: Vec<i64> = red.iter().map(|r| r.id).collect();
        let (all_milestones, all_plans) = self.store.cockpit_red_facts(&ids).await?;
        for row in red {
            let of = |project_id: i64| project_id == row.id;
            let milestones: Vec<_> = all_milestones
                .iter()
                .filter(|m| of(m.project_id))
                .cloned()
                .collect();
            let plan: Vec<_> = all_plans
                .iter()
                .filter(|p| of(p.project_id))
                .cloned()
                .collect();
            let status = assess_with(
                today,
                &milestones,
                &plan,
                row.completed_investment,
                None,
                &thresholds,
            );
            red_projects.push(RedProject {
                id: row.id,
                name: row.name,
                platform: row.platform_name,
                reasons: status.reasons,
            });
        }
        Ok(Cockpit {
            totals,
            stages,
            platforms,
            green: colour("green"),
            yellow: colour("yellow"),
            red: colour("red"),
            red_projects,
            months: self.store.cockpit_months(&scope).await?,
            kpis: self.kpi_progress(ctx, i64::from(today.year())).await?,
        })
    }
}
