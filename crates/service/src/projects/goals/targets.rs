//! Annual targets (年度指标) of the district or of a platform: a name, a year, a metric
//! and the target in the metric's unit. Changes are version-checked and audited.

use super::{changed, optional_text, require_planner, stale};
use crate::audit::Object;
use crate::{Ctx, ServiceError, ServiceResult, Services};
use districtops_domain::access::Permission;
use districtops_domain::audit::FieldChange;
use districtops_domain::projects::KpiMetric;
use districtops_domain::projects::kpi::check_year;
use districtops_domain::validation::{FieldError, FieldErrors, clean_text};
use districtops_store::{KpiTargetFields, KpiTargetRow, Tx};

/// An annual target as typed; the value is in the metric's display unit ("127.38" 亿元).
#[derive(Clone, Debug, Default)]
pub struct KpiTargetInput {
    /// `None`: a target of the whole district.
    pub platform_id: Option<i64>,
    pub year: String,
    pub name: String,
    /// A [`KpiMetric`] code.
    pub metric: String,
    pub target: String,
    pub notes: String,
    pub illustrative: bool,
}

impl KpiTargetInput {
    fn check(&self) -> Result<KpiTargetFields, FieldErrors> {
        let mut errors = FieldErrors::default();
        let year = match self.year.trim().parse::<i64>() {
            Ok(year) => errors.check(check_year(year, "year")),
            Err(_) => {
                errors.push(FieldError::new("year", "goal.year_invalid"));
                None
            }
        };
        let name = errors.check(clean_text(&self.name, "name", 60));
        let metric = errors.check(KpiMetric::parse(&self.metric));
        let target =
            metric.and_then(|m| errors.check(m.unit().parse_value(&self.target, "target")));
        let notes = optional_text(&mut errors, &self.notes, "notes", 500);
        errors.into_result()?;
        Ok(KpiTargetFields {
            platform_id: self.platform_id,
            year: year.unwrap_or_default(),
            name: name.unwrap_or_default(),
            metric: metric.map(KpiMetric::as_str).unwrap_or_default().to_owned(),
            target: target.unwrap_or_default(),
            notes,
            illustrative: self.illustrative,
        })
    }
}

fn target_changes(before: Option<&KpiTargetFields>, after: &KpiTargetFields) -> Vec<FieldChange> {
    let platform = |f: &KpiTargetFields| f.platform_id.map(|p| p.to_string()).unwrap_or_default();
    let fields: [(&str, Option<String>, String); 7] = [
        ("platform_id", before.map(platform), platform(after)),
        (
            "year",
            before.map(|b| b.year.to_string()),
            after.year.to_string(),
        ),
        ("name", before.map(|b| b.name.clone()), after.name.clone()),
        (
            "metric",
            before.map(|b| b.metric.clone()),
            after.metric.clone(),
        ),
        (
            "target",
            before.map(|b| b.target.to_string()),
            after.target.to_string(),
        ),
        (
            "notes",
            before.map(|b| b.notes.clone().unwrap_or_default()),
            after.notes.clone().unwrap_or_default(),
        ),
        (
            "illustrative",
            before.map(|b| b.illustrative.to_string()),
            after.illustrative.to_string(),
        ),
    ];
    changed(fields)
}

fn fields_of_target(row: &KpiTargetRow) -> KpiTargetFields {
    KpiTargetFields {
        platform_id: row.platform_id,
        year: row.year,
        name: row.name.clone(),
        metric: row.metric.clone(),
        target: row.target,
        notes: row.notes.clone(),
        illustrative: row.illustrative,
    }
}

impl Services {
    /// One target (for its form).
    pub async fn kpi_target(&self, ctx: &Ctx, id: i64) -> ServiceResult<KpiTargetRow> {
        ctx.require(Permission::ReadBusiness)?;
        self.store
            .kpi_target(id)
            .await?
            .ok_or(ServiceError::NotFound)
    }

    /// Sets a new annual target; returns its id.
    pub async fn add_kpi_target(&self, ctx: &Ctx, input: &KpiTargetInput) -> ServiceResult<i64> {
        require_planner(ctx)?;
        let fields = input.check()?;
        let mut tx = self.store.begin().await?;
        self.check_target_platform(&mut tx, &fields).await?;
        let id = self
            .store
            .insert_kpi_target(&mut tx, &fields)
            .await
            .map_err(ServiceError::taken(name_taken()))?;
        let changes = target_changes(None, &fields);
        self.record(
            &mut tx,
            ctx,
            "kpi.create",
            Object::new("kpi_target", id),
            changes,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a target, if nobody changed it since `version`.
    pub async fn update_kpi_target(
        &self,
        ctx: &Ctx,
        id: i64,
        version: i64,
        input: &KpiTargetInput,
    ) -> ServiceResult<()> {
        require_planner(ctx)?;
        let fields = input.check()?;
        let mut tx = self.store.begin().await?;
        let before = self
            .store
            .kpi_target_in(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        self.check_target_platform(&mut tx, &fields).await?;
        let updated = self
            .store
            .update_kpi_target(&mut tx, id, version, &fields)
            .await
            .map_err(ServiceError::taken(name_taken()))?;
        if !updated {
            return Err(stale());
        }
        let changes = target_changes(Some(&fields_of_target(&before)), &fields);
        self.record(
            &mut tx,
            ctx,
            "kpi.update",
            Object::new("kpi_target", id),
            changes,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes a target, if nobody changed it since `version`.
    pub async fn delete_kpi_target(&self, ctx: &Ctx, id: i64, version: i64) -> ServiceResult<()> {
        require_planner(ctx)?;
        let mut tx = self.store.begin().await?;
        let before = self
            .store
            .kpi_target_in(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        if !self.store.delete_kpi_target(&mut tx, id, version).await? {
            return Err(stale());
        }
        let changes = target_changes(None, &fields_of_target(&before))
            .into_iter()
            .map(|c| FieldChange {
                before: c.after,
                after: None,
                ..c
            })
            .collect();
        self.record(
            &mut tx,
            ctx,
            "kpi.delete",
            Object::new("kpi_target", id),
            changes,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A target's platform must exist.
    async fn check_target_platform(
        &self,
        tx: &mut Tx,
        fields: &KpiTargetFields,
    ) -> ServiceResult<()> {
        let Some(platform_id) = fields.platform_id else {
            return Ok(());
        };
        if self.store.platform_in(tx, platform_id).await?.is_none() {
            return Err(FieldError::new("platform", "goal.kpi.platform_unknown").into());
        }
        Ok(())
    }
}

fn name_taken() -> FieldError {
    FieldError::new("name", "goal.kpi.name_taken")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_read_in_their_metrics_unit() {
        let input = KpiTargetInput {
            year: "2020".into(),
            name: "签约项目总投资".into(),
            metric: "signed_investment".into(),
            target: "127.38".into(),
            ..KpiTargetInput::default()
        };
        assert_eq!(input.check().unwrap().target, 12_738_000_000);
        let bad = KpiTargetInput {
            year: "二〇二〇".into(),
            metric: "projects_started".into(),
            target: "2.5".into(),
            ..input
        };
        let errors = bad.check().unwrap_err();
        let fields: Vec<_> = errors.0.iter().map(|e| (e.field, e.message)).collect();
        assert_eq!(
            fields,
            [
                ("year", "goal.year_invalid"),
                ("target", "goal.kpi.value_too_precise")
            ]
        );
    }

    #[test]
    fn audit_changes_name_what_changed() {
        let before = KpiTargetFields {
            year: 2020,
            name: "开工".into(),
            metric: "projects_started".into(),
            target: 5,
            ..KpiTargetFields::default()
        };
        let after = KpiTargetFields {
            target: 6,
            ..before.clone()
        };
        let changes = target_changes(Some(&before), &after);
        assert_eq!(changes, [FieldChange::new("target", Some("5"), Some("6"))]);
        let created = target_changes(None, &before);
        assert!(created.iter().all(|c| c.before.is_none()));
        assert_eq!(created.len(), 5, "{created:?}");
    }
}
