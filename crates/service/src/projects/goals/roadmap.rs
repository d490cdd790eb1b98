//! A platform's roadmap (发展路径): numbered phases, each due in a year or on a day, with
//! its goal and whether it is reached. Changes are version-checked and audited on the
//! platform.

use super::{changed, optional_text, require_planner, stale};
use crate::audit::Object;
use crate::{Ctx, ServiceError, ServiceResult, Services};
use districtops_domain::access::Permission;
use districtops_domain::audit::FieldChange;
use districtops_domain::projects::PhaseTarget;
use districtops_domain::validation::{FieldError, FieldErrors, clean_text};
use districtops_store::{PhaseFields, PhaseRow};

/// A roadmap phase as typed.
#[derive(Clone, Debug, Default)]
pub struct PhaseInput {
    /// Its place in the roadmap, from 1.
    pub ordinal: String,
    pub title: String,
    /// A year ("2027") or a day ("2027-06-30").
    pub target: String,
    pub goal: String,
    pub done: bool,
    pub illustrative: bool,
}

impl PhaseInput {
    fn check(&self) -> Result<PhaseFields, FieldErrors> {
        let mut errors = FieldErrors::default();
        let ordinal = match self.ordinal.trim().parse::<i64>() {
            Ok(n) if (1..=99).contains(&n) => Some(n),
            _ => {
                errors.push(FieldError::new("ordinal", "goal.phase.ordinal_invalid"));
                None
            }
        };
        let title = errors.check(clean_text(&self.title, "title", 40));
        let target = errors.check(PhaseTarget::parse(&self.target));
        let goal = optional_text(&mut errors, &self.goal, "goal", 500);
        errors.into_result()?;
        let target = target.unwrap_or(PhaseTarget::Year(0));
        Ok(PhaseFields {
            ordinal: ordinal.unwrap_or_default(),
            title: title.unwrap_or_default(),
            target_year: target.year(),
            target_date: target.date(),
            goal,
            done: self.done,
            illustrative: self.illustrative,
        })
    }
}

fn phase_changes(before: Option<&PhaseFields>, after: &PhaseFields) -> Vec<FieldChange> {
    let target = |f: &PhaseFields| PhaseTarget::from_parts(f.target_year, f.target_date);
    let fields: [(&str, Option<String>, String); 6] = [
        (
            "ordinal",
            before.map(|b| b.ordinal.to_string()),
            after.ordinal.to_string(),
        ),
        (
            "title",
            before.map(|b| b.title.clone()),
            after.title.clone(),
        ),
        (
            "target",
            before.map(|b| target(b).to_string()),
            target(after).to_string(),
        ),
        (
            "goal",
            before.map(|b| b.goal.clone().unwrap_or_default()),
            after.goal.clone().unwrap_or_default(),
        ),
        (
            "done",
            before.map(|b| b.done.to_string()),
            after.done.to_string(),
        ),
        (
            "illustrative",
            before.map(|b| b.illustrative.to_string()),
            after.illustrative.to_string(),
        ),
    ];
    changed(fields)
}

fn fields_of_phase(row: &PhaseRow) -> PhaseFields {
    PhaseFields {
        ordinal: row.ordinal,
        title: row.title.clone(),
        target_year: row.target_year,
        target_date: row.target_date,
        goal: row.goal.clone(),
        done: row.done,
        illustrative: row.illustrative,
    }
}

impl Services {
    /// One phase of a platform's roadmap (for its form).
    pub async fn phase(&self, ctx: &Ctx, platform_id: i64, id: i64) -> ServiceResult<PhaseRow> {
        ctx.require(Permission::ReadBusiness)?;
        let phases = self.store.phases(platform_id).await?;
        phases
            .into_iter()
            .find(|p| p.id == id)
            .ok_or(ServiceError::NotFound)
    }

    /// Adds a phase to a platform's roadmap; returns its id.
    pub async fn add_phase(
        &self,
        ctx: &Ctx,
        platform_id: i64,
        input: &PhaseInput,
    ) -> ServiceResult<i64> {
        require_planner(ctx)?;
        let fields = input.check()?;
        let mut tx = self.store.begin().await?;
        self.store
            .platform_in(&mut tx, platform_id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let row = self
            .store
            .insert_phase(&mut tx, platform_id, &fields)
            .await
            .map_err(ServiceError::taken(ordinal_taken()))?;
        let mut changes = vec![FieldChange::new("phase_id", None::<&str>, Some(row.id))];
        changes.extend(phase_changes(None, &fields));
        let object = Object::new("platform", platform_id);
        self.record(&mut tx, ctx, "platform.phase.add", object, changes)
            .await?;
        tx.commit().await?;
        Ok(row.id)
    }

    /// Changes a phase, if nobody changed it since `version`.
    pub async fn update_phase(
        &self,
        ctx: &Ctx,
        platform_id: i64,
        id: i64,
        version: i64,
        input: &PhaseInput,
    ) -> ServiceResult<()> {
        require_planner(ctx)?;
        let fields = input.check()?;
        let mut tx = self.store.begin().await?;
        let before = self.store.phase_in(&mut tx, id).await?;
        let before = before
            .filter(|p| p.platform_id == platform_id)
            .ok_or(ServiceError::NotFound)?;
        self.store
            .update_phase(&mut tx, id, version, &fields)
            .await
            .map_err(ServiceError::taken(ordinal_taken()))?
            .ok_or_else(stale)?;
        let mut changes = vec![FieldChange::new("phase_id", Some(id), Some(id))];
        changes.extend(phase_changes(Some(&fields_of_phase(&before)), &fields));
        let object = Object::new("platform", platform_id);
        self.record(&mut tx, ctx, "platform.phase.update", object, changes)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes a phase, if nobody changed it since `version`.
    pub async fn delete_phase(
        &self,
        ctx: &Ctx,
        platform_id: i64,
        id: i64,
        version: i64,
    ) -> ServiceResult<()> {
        require_planner(ctx)?;
        let mut tx = self.store.begin().await?;
        let before = self.store.phase_in(&mut tx, id).await?;
        let before = before
            .filter(|p| p.platform_id == platform_id)
            .ok_or(ServiceError::NotFound)?;
        if !self.store.delete_phase(&mut tx, id, version).await? {
            return Err(stale());
        }
        let mut changes = vec![FieldChange::new("phase_id", Some(id), None::<i64>)];
        changes.extend(
            phase_changes(None, &fields_of_phase(&before))
                .into_iter()
                .map(|c| FieldChange {
                    before: c.after,
                    after: None,
                    ..c
                }),
        );
        let object = Object::new("platform", platform_id);
        self.record(&mut tx, ctx, "platform.phase.delete", object, changes)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

fn ordinal_taken() -> FieldError {
    FieldError::new("ordinal", "goal.phase.ordinal_taken")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_are_checked_field_by_field() {
        let input = PhaseInput {
            ordinal: "0".into(),
            title: " ".into(),
            target: "2027-02-30".into(),
            goal: "国内领先".into(),
            ..PhaseInput::default()
        };
        let errors = input.check().unwrap_err();
        let fields: Vec<_> = errors.0.iter().map(|e| (e.field, e.message)).collect();
        assert_eq!(
            fields,
            [
                ("ordinal", "goal.phase.ordinal_invalid"),
                ("title", "validation.required"),
                ("target", "goal.phase.target_invalid"),
            ]
        );
        let input = PhaseInput {
            ordinal: "3".into(),
            title: "十年".into(),
            target: "2027".into(),
            ..PhaseInput::default()
        };
        let fields = input.check().unwrap();
        assert_eq!(
            (fields.ordinal, fields.target_year, fields.target_date),
            (3, 2027, None)
        );
        assert_eq!(fields.goal, None);
    }
}
