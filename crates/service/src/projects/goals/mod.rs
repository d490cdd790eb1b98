//! Platform roadmaps (发展路径) and annual targets (年度指标): read by everyone who reads
//! business data, written by those who write it district-wide (leaders and the leading-group
//! office), as platforms are. Every change is version-checked and audited.
//!
//! A target's actual is computed from the ledger by its metric, over the projects the
//! caller may see ([`Services::kpi_progress`]): a leader reads the district's progress, a
//! bureau its own share of it.
//!
//! - [`roadmap`]: a platform's phases, added, changed and removed.
//! - [`targets`]: annual targets, set, changed and removed.

mod roadmap;
mod targets;

pub use roadmap::PhaseInput;
pub use targets::KpiTargetInput;

use super::scope_for;
use crate::{Ctx, ServiceError, ServiceResult, Services};
use districtops_domain::access::{Permission, Visibility};
use districtops_domain::audit::FieldChange;
use districtops_domain::projects::{KpiMetric, percent_of};
use districtops_domain::validation::{FieldErrors, clean_text};
use districtops_store::{KpiTargetRow, PhaseRow, PlatformRow, ProjectFilter, ProjectTotals};

/// A target with its actual, computed over the projects the caller may see.
#[derive(Clone, Debug, PartialEq)]
pub struct KpiProgress {
    pub row: KpiTargetRow,
    pub metric: KpiMetric,
    /// In the metric's base unit.
    pub actual: i64,
    /// Whole percent of the target reached; `None` for a target of zero.
    pub percent: Option<i64>,
}

/// A platform with the count and sums of its projects the caller may see.
#[derive(Clone, Debug, PartialEq)]
pub struct PlatformSummary {
    pub row: PlatformRow,
    pub totals: ProjectTotals,
}

/// A platform's page: its facts, roadmap, one year's targets with their actuals, the
/// totals of its projects the caller may see, and whether the caller may plan.
#[derive(Clone, Debug, PartialEq)]
pub struct PlatformDetail {
    pub row: PlatformRow,
    pub phases: Vec<PhaseRow>,
    pub year: i64,
    pub kpis: Vec<KpiProgress>,
    /// The years the platform has targets for, latest first.
    pub kpi_years: Vec<i64>,
    pub totals: ProjectTotals,
    pub can_plan: bool,
}

fn optional_text(
    errors: &mut FieldErrors,
    raw: &str,
    field: &'static str,
    max: usize,
) -> Option<String> {
    match raw.trim() {
        "" => None,
        text => errors.check(clean_text(text, field, max)),
    }
}

/// Roadmaps and targets are the district's plan: written by whoever writes business data
/// district-wide, and by the command-line operator.
fn require_planner(ctx: &Ctx) -> ServiceResult<()> {
    ctx.require(Permission::WriteBusiness)?;
    if !ctx.is_system() && ctx.actor()?.access.visibility != Visibility::District {
        return Err(ServiceError::Forbidden);
    }
    Ok(())
}

fn stale() -> ServiceError {
    ServiceError::Conflict("conflict.changed_by_someone")
}

/// The fields that changed (every non-empty one for a new record), before → after.
fn changed<const N: usize>(fields: [(&str, Option<String>, String); N]) -> Vec<FieldChange> {
    fields
        .into_iter()
        .filter(|(_, before, after)| match before {
            Some(before) => before != after,
            None => !after.is_empty(),
        })
        .map(|(field, before, after)| {
            FieldChange::new(field, before, Some(after).filter(|a| !a.is_empty()))
        })
        .collect()
}

impl Services {
    /// Whether the caller may change roadmaps and targets (the pages show the forms).
    pub fn may_plan(&self, ctx: &Ctx) -> bool {
        require_planner(ctx).is_ok()
    }

    /// Every platform with the count and sums of its projects the caller may see.
    pub async fn platform_overview(&self, ctx: &Ctx) -> ServiceResult<Vec<PlatformSummary>> {
        ctx.require(Permission::ReadBusiness)?;
        let mut out = Vec::new();
        for row in self.store.platforms().await? {
            let totals = self.platform_totals(ctx, row.id).await?;
            out.push(PlatformSummary { row, totals });
        }
        Ok(out)
    }

    /// One platform with its roadmap and the targets of `year` against their actuals.
    pub async fn platform_detail(
        &self,
        ctx: &Ctx,
        id: i64,
        year: i64,
    ) -> ServiceResult<PlatformDetail> {
        ctx.require(Permission::ReadBusiness)?;
        let row = self
            .store
            .platform(id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let targets = self.store.platform_kpi_targets(id).await?;
        let mut kpi_years: Vec<i64> = targets.iter().map(|t| t.year).collect();
        kpi_years.dedup();
        let mut kpis = Vec::new();
        for target in targets.into_iter().filter(|t| t.year == year) {
            kpis.push(self.progress_of(ctx, target).await?);
        }
        Ok(PlatformDetail {
            phases: self.store.phases(id).await?,
            totals: self.platform_totals(ctx, id).await?,
            can_plan: self.may_plan(ctx),
            row,
            year,
            kpis,
            kpi_years,
        })
    }

    /// Every target of `year` (the district's first, then each platform's) with its actual
    /// over the projects the caller may see.
    pub async fn kpi_progress(&self, ctx: &Ctx, year: i64) -> ServiceResult<Vec<KpiProgress>> {
        ctx.require(Permission::ReadBusiness)?;
        let mut out = Vec::new();
        for target in self.store.kpi_targets(year).await? {
            out.push(self.progress_of(ctx, target).await?);
        }
        Ok(out)
    }

    async fn progress_of(&self, ctx: &Ctx, row: KpiTargetRow) -> ServiceResult<KpiProgress> {
        let metric = KpiMetric::parse(&row.metric)
            .map_err(|_| ServiceError::Internal(format!("unknown metric {}", row.metric)))?;
        let scope = scope_for(ctx)?;
        let actual = self
            .store
            .kpi_actual(&scope, row.platform_id, metric, row.year)
            .await?;
        Ok(KpiProgress {
            percent: percent_of(actual, row.target),
            row,
            metric,
            actual,
        })
    }

    async fn platform_totals(&self, ctx: &Ctx, platform_id: i64) -> ServiceResult<ProjectTotals> {
        let mut filter = ProjectFilter::new(scope_for(ctx)?);
        filter.platform_id = Some(platform_id);
        filter.limit = 0;
        Ok(self.store.project_page(&filter).await?.totals)
    }
}
