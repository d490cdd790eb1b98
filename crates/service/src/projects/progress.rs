//! Milestones and monthly progress reports. A report's investment is added to the project's
//! completed investment; replacing a period's report replaces its amount, so the total stays
//! the sum of what the reports and the ledger say.

use crate::audit::Object;
use crate::{Ctx, ServiceError, ServiceResult, Services};
use chrono::NaiveDate;
use districtops_domain::access::Permission;
use districtops_domain::audit::FieldChange;
use districtops_domain::money::Money;
use districtops_domain::projects::Period;
use districtops_domain::validation::{FieldError, FieldErrors, clean_text};

/// A milestone as typed.
#[derive(Clone, Debug, Default)]
pub struct MilestoneInput {
    pub name: String,
    pub planned: Option<NaiveDate>,
    pub actual: Option<NaiveDate>,
    pub owner_name: Option<String>,
}

impl MilestoneInput {
    fn check(&self) -> Result<(String, NaiveDate, Option<String>), FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = errors.check(clean_text(&self.name, "name", 100));
        let owner = match self.owner_name.as_deref().map(str::trim) {
            Some(text) if !text.is_empty() => errors.check(clean_text(text, "owner_name", 40)),
            _ => None,
        };
        if self.planned.is_none() {
            errors.push(FieldError::new("planned", "validation.required"));
        }
        errors.into_result()?;
        Ok((
            name.unwrap_or_default(),
            self.planned.unwrap_or_default(),
            owner,
        ))
    }
}

/// A progress report as typed.
#[derive(Clone, Debug, Default)]
pub struct ProgressInput {
    /// `YYYY-MM`.
    pub period: String,
    pub invested_in_period: Money,
    /// 0–100.
    pub percent: i64,
    pub narrative: Option<String>,
}

impl Services {
    /// Adds a milestone to a project; returns its id.
    pub async fn add_milestone(
        &self,
        ctx: &Ctx,
        project_id: i64,
        input: &MilestoneInput,
    ) -> ServiceResult<i64> {
        let mut tx = self.store.begin().await?;
        let project = self
            .reachable_project_in(&mut tx, ctx, project_id, Permission::WriteBusiness)
            .await?;
        let (name, planned, owner) = input.check()?;
        let id = self
            .store
            .insert_milestone(
                &mut tx,
                project_id,
                &name,
                planned,
                input.actual,
                owner.as_deref(),
                self.now(),
            )
            .await?;
        self.recolour(&mut tx, project_id, project.completed_investment)
            .await?;
        let changes = vec![
            FieldChange::new("milestone_id", None::<&str>, Some(id)),
            FieldChange::new("name", None::<&str>, Some(&name)),
            FieldChange::new("planned", None::<&str>, Some(planned)),
            FieldChange::new("actual", None::<&str>, input.actual),
            FieldChange::new("owner_name", None::<&str>, owner.as_deref()),
        ];
        self.record(
            &mut tx,
            ctx,
            "project.milestone.add",
            Object::new("project", project_id),
            changes,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a milestone of a project, if nobody changed it since `version`.
    pub async fn update_milestone(
        &self,
        ctx: &Ctx,
        project_id: i64,
        milestone_id: i64,
        version: i64,
        input: &MilestoneInput,
    ) -> ServiceResult<()> {
        let mut tx = self.store.begin().await?;
        let project = self
            .reachable_project_in(&mut tx, ctx, project_id, Permission::WriteBusiness)
            .await?;
        let (name, planned, owner) = input.check()?;
        let before = self
            .store
            .milestones_in(&mut tx, project_id)
            .await?
            .into_iter()
            .find(|m| m.id == milestone_id)
            .ok_or(ServiceError::NotFound)?;
        let updated = self
            .store
            .update_milestone(
                &mut tx,
                project_id,
                milestone_id,
                version,
                &name,
                planned,
                input.actual,
                owner.as_deref(),
                self.now(),
            )
            .await?;
        if !updated {
            return Err(ServiceError::Conflict("conflict.changed_by_someone"));
        }
        self.recolour(&mut tx, project_id, project.completed_investment)
            .await?;
        let mut changes = vec![FieldChange::new(
            "milestone_id",
            Some(milestone_id),
            Some(milestone_id),
        )];
        if before.name != name {
            changes.push(FieldChange::new("name", Some(&before.name), Some(&name)));
        }
        if before.planned != planned {
            changes.push(FieldChange::new(
                "planned",
                Some(before.planned),
                Some(planned),
            ));
        }
        if before.actual != input.actual {
            changes.push(FieldChange::new("actual", before.actual, input.actual));
        }
        if before.owner_name != owner {
            changes.push(FieldChange::new("owner_name", before.owner_name, owner));
        }
        self.record(
            &mut tx,
            ctx,
            "project.milestone.update",
            Object::new("project", project_id),
            changes,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records (or replaces) the progress report of one month and moves the project's
    /// completed investment by the difference.
    pub async fn report_progress(
        &self,
        ctx: &Ctx,
        project_id: i64,
        input: &ProgressInput,
    ) -> ServiceResult<()> {
        let mut errors = FieldErrors::default();
        let period = errors.check(Period::parse(&input.period));
        if input.invested_in_period.is_negative() {
            errors.push(FieldError::new("invested_in_period", "money.negative"));
        }
        if !(0..=100).contains(&input.percent) {
            errors.push(FieldError::new(
                "percent",
                "project.progress.percent_invalid",
            ));
        }
        let narrative = match input.narrative.as_deref().map(str::trim) {
            Some(text) if !text.is_empty() => errors.check(clean_text(text, "narrative", 2000)),
            _ => None,
        };
        let mut tx = self.store.begin().await?;
        let current = self
            .reachable_project_in(&mut tx, ctx, project_id, Permission::WriteBusiness)
            .await?;
        errors.into_result()?;
        let period = period.map(|p| p.to_string()).unwrap_or_default();
        let previous = self
            .store
            .progress_report_in(&mut tx, project_id, &period)
            .await?;
        let old = previous.as_ref().map_or(0, |p| p.invested_in_period);
        let invested = input.invested_in_period.yuan();
        let completed = current
            .completed_investment
            .checked_sub(old)
            .and_then(|c| c.checked_add(invested))
            .filter(|c| *c >= 0)
            .ok_or(FieldError::new("invested_in_period", "money.overflow"))?;
        if completed > current.total_investment {
            return Err(
                FieldError::new("invested_in_period", "project.completed_exceeds_total").into(),
            );
        }
        self.store
            .upsert_progress_report(
                &mut tx,
                project_id,
                &period,
                invested,
                input.percent,
                narrative.as_deref(),
                self.now(),
            )
            .await?;
        let mut fields = current.fields();
        fields.completed_investment = completed;
        self.save(
            &mut tx,
            ctx,
            &current,
            current.version,
            fields,
            false,
            "project.progress",
        )
        .await?;
        let changes = vec![
            FieldChange::new("period", None::<&str>, Some(&period)),
            FieldChange::new(
                "invested_in_period",
                previous.as_ref().map(|p| p.invested_in_period),
                Some(invested),
            ),
            FieldChange::new(
                "percent",
                previous.as_ref().map(|p| p.percent),
                Some(input.percent),
            ),
        ];
        self.record(
            &mut tx,
            ctx,
            "project.progress.report",
            Object::new("project", project_id),
            changes,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets the cumulative investment target of a month or quarter (`YYYY-MM`, `YYYY-Qn`).
    pub async fn set_plan_target(
        &self,
        ctx: &Ctx,
        project_id: i64,
        period: &str,
        target: Money,
    ) -> ServiceResult<()> {
        let mut tx = self.store.begin().await?;
        let project = self
            .reachable_project_in(&mut tx, ctx, project_id, Permission::WriteBusiness)
            .await?;
        let period = districtops_domain::projects::PlanPeriod::parse(period)?;
        if target.is_negative() {
            return Err(FieldError::new("cumulative_target", "money.negative").into());
        }
        self.store
            .upsert_plan_target(&mut tx, project_id, &period.to_string(), target.yuan())
            .await?;
        self.recolour(&mut tx, project_id, project.completed_investment)
            .await?;
        let changes = vec![
            FieldChange::new("period", None::<&str>, Some(period)),
            FieldChange::new("cumulative_target", None::<&str>, Some(target.yuan())),
        ];
        self.record(
            &mut tx,
            ctx,
            "project.plan.set",
            Object::new("project", project_id),
            changes,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Recomputes (and records for the month) the colour of a project after its milestones
    /// or plan changed, and caches it, or the manual override when one is set.
    async fn recolour(
        &self,
        tx: &mut districtops_store::Tx,
        id: i64,
        completed: i64,
    ) -> ServiceResult<()> {
        let colour = self.shown_colour_in(tx, id, completed).await?;
        self.store
            .set_project_colour(tx, id, colour.as_str())
            .await?;
        Ok(())
    }
}
