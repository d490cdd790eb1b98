//! Creating and updating a project from a [`ProjectDraft`]: checked, names resolved, scope
//! checked for the target department, status recomputed, a revision kept and every changed
//! field audited before → after, all in one transaction.

use super::fields::{DraftLookups, changes};
use crate::audit::Object;
use crate::{Ctx, ServiceError, ServiceResult, Services};
use districtops_domain::access::{Permission, RecordOwner};
use districtops_domain::audit::FieldChange;
use districtops_domain::projects::{ProjectDraft, Stage, Transition};
use districtops_domain::validation::FieldError;
use districtops_domain::{DepartmentId, UserId};
use districtops_store::{ProjectFields, ProjectRow, StageChangeRow, StoreError, Tx};

/// The answer to a name or code another project already has.
fn taken(e: StoreError) -> ServiceError {
    if e.is_unique_violation() {
        let text = e.to_string();
        if text.contains("projects.code") || text.contains("projects_code_key") {
            FieldError::new("code", "project.ledger.code_taken").into()
        } else {
            FieldError::new("name", "project.ledger.name_taken").into()
        }
    } else if e.is_foreign_key_violation() {
        FieldError::new("department", "project.department.unknown").into()
    } else {
        e.into()
    }
}

/// What [`changes`] records for a new project (every field that has a value, before absent),
/// built straight from the row: an import creates 100,000 projects, and going through
/// [`ProjectRow::fields`] and the generic comparison costs four allocations a field.
fn created_changes(row: &ProjectRow) -> Vec<FieldChange> {
    fn put(out: &mut Vec<FieldChange>, field: &str, after: Option<String>) {
        if let Some(after) = after {
            out.push(FieldChange {
                field: field.to_owned(),
                before: None,
                after: Some(after),
            });
        }
    }
    let text = |v: &Option<String>| v.clone();
    let show = |v: Option<i64>| v.map(|v| v.to_string());
    let day = |v: Option<chrono::NaiveDate>| v.map(|d| d.to_string());
    let mut out = Vec::with_capacity(30);
    put(&mut out, "code", text(&row.code));
    put(&mut out, "name", Some(row.name.clone()));
    put(&mut out, "platform_id", show(row.platform_id));
    put(&mut out, "kind", Some(row.kind.clone()));
    put(&mut out, "stage", Some(row.stage.clone()));
    put(
        &mut out,
        "department_id",
        Some(row.department_id.to_string()),
    );
    put(&mut out, "leader_user_id", show(row.leader_user_id));
    put(&mut out, "leader_name", text(&row.leader_name));
    put(
        &mut out,
        "total_investment",
        Some(row.total_investment.to_string()),
    );
    let completed = Some(row.completed_investment.to_string());
    put(&mut out, "completed_investment", completed);
    put(&mut out, "floor_area_m2", show(row.floor_area_m2));
    put(&mut out, "land_area_mu_x100", show(row.land_area_mu_x100));
    put(&mut out, "address", text(&row.address));
    put(&mut out, "longitude", row.longitude.map(|v| v.to_string()));
    put(&mut out, "latitude", row.latitude.map(|v| v.to_string()));
    put(&mut out, "planned_signing", day(row.planned_signing));
    put(&mut out, "actual_signing", day(row.actual_signing));
    put(&mut out, "planned_start", day(row.planned_start));
    put(&mut out, "actual_start", day(row.actual_start));
    put(&mut out, "planned_structure", day(row.planned_structure));
    put(&mut out, "actual_structure", day(row.actual_structure));
    put(&mut out, "planned_completion", day(row.planned_completion));
    put(&mut out, "actual_completion", day(row.actual_completion));
    put(&mut out, "planned_operation", day(row.planned_operation));
    put(&mut out, "actual_operation", day(row.actual_operation));
    put(&mut out, "notes", text(&row.notes));
    put(&mut out, "illustrative", Some(row.illustrative.to_string()));
    put(&mut out, "status_colour", Some(row.status_colour.clone()));
    out
}

impl Services {
    /// Creates a project in the caller's scope (or in the department the draft names, which
    /// must be inside it: else `Forbidden`).
    pub async fn create_project(
        &self,
        ctx: &Ctx,
        draft: &ProjectDraft,
    ) -> ServiceResult<ProjectRow> {
        let mut tx = self.store.begin().await?;
        let row = self.create_project_in(&mut tx, ctx, draft).await?;
        tx.commit().await?;
        Ok(row)
    }

    /// As [`Services::create_project`], inside `tx` (the caller commits): the import applies
    /// many rows in one transaction through the same rules.
    pub(crate) async fn create_project_in(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        draft: &ProjectDraft,
    ) -> ServiceResult<ProjectRow> {
        ctx.require(Permission::WriteBusiness)?;
        draft.check()?;
        let home = self.home_department(ctx).await?;
        let mut fields = self.resolve_draft(tx, draft, None, home).await?;
        self.require_target(ctx, &fields)?;
        // A new project has no milestones, plan, history or override: nothing to assess, so
        // no query (an import creates thousands). Its month is recorded by its first change or
        // the nightly recomputation.
        fields.status_colour = super::status::assess(self.today(), &[], &[], 0)
            .colour
            .as_str()
            .to_owned();
        let row = self
            .store
            .insert_project(tx, &fields, self.now())
            .await
            .map_err(taken)?;
        self.store
            .insert_project_revision(tx, &row, ctx.user_id()?)
            .await?;
        let changes = changes(None, &row.fields());
        self.record(
            tx,
            ctx,
            "project.create",
            Object::new("project", row.id),
            changes,
        )
        .await?;
        Ok(row)
    }

    /// [`Services::create_project_in`] for many drafts at once, in the order given (an
    /// import's run of created rows): the same checks and the same rows, revisions and audit
    /// records, written a few hundred per statement; the names are resolved through `lookups`.
    pub(crate) async fn create_projects_in(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        drafts: &[&ProjectDraft],
        lookups: &mut DraftLookups,
    ) -> ServiceResult<Vec<ProjectRow>> {
        ctx.require(Permission::WriteBusiness)?;
        if drafts.is_empty() {
            return Ok(Vec::new());
        }
        let home = self.home_department(ctx).await?;
        let colour = super::status::assess(self.today(), &[], &[], 0)
            .colour
            .as_str()
            .to_owned();
        let mut all = Vec::with_capacity(drafts.len());
        for draft in drafts {
            draft.check()?;
            let mut fields = self
                .resolve_draft_with(tx, draft, None, home, lookups)
                .await?;
            self.require_target(ctx, &fields)?;
            fields.status_colour = colour.clone();
            all.push(fields);
        }
        let rows = self
            .store
            .insert_projects(tx, &all, self.now())
            .await
            .map_err(taken)?;
        self.store
            .insert_project_revisions(tx, &rows, ctx.user_id()?)
            .await?;
        let records = rows
            .iter()
            .map(|row| (Object::new("project", row.id), created_changes(row)))
            .collect();
        self.record_all(tx, ctx, "project.create", records).await?;
        Ok(rows)
    }

    /// Replaces a project's fields with `draft`'s, if nobody changed it since `version`. A
    /// stage change is dated today; backwards only when `correction` is set.
    pub async fn update_project(
        &self,
        ctx: &Ctx,
        id: i64,
        version: i64,
        draft: &ProjectDraft,
        correction: bool,
    ) -> ServiceResult<ProjectRow> {
        // Read before taking the writer: time inside it holds up every other edit.
        let mut lookups = DraftLookups::default();
        lookups.read_for(self, draft).await?;
        let mut tx = self.store.begin().await?;
        let row = self
            .update_project_in(&mut tx, ctx, id, version, draft, correction, &mut lookups)
            .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// As [`Services::update_project`], inside `tx` (the caller commits); names are resolved
    /// through `lookups`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn update_project_in(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        id: i64,
        version: i64,
        draft: &ProjectDraft,
        correction: bool,
        lookups: &mut DraftLookups,
    ) -> ServiceResult<ProjectRow> {
        let current = self
            .reachable_project_in(tx, ctx, id, Permission::WriteBusiness)
            .await?;
        draft.check()?;
        let before = current.fields();
        let fields = self
            .resolve_draft_with(tx, draft, Some(&before), before.department_id, lookups)
            .await?;
        self.require_target(ctx, &fields)?;
        self.save(
            tx,
            ctx,
            &current,
            version,
            fields,
            correction,
            "project.update",
        )
        .await
    }

    /// The department a new project goes to when the draft names none: the caller's own, or
    /// the district's root department for the command-line operator.
    async fn home_department(&self, ctx: &Ctx) -> ServiceResult<i64> {
        if let Some(actor) = &ctx.actor {
            return Ok(actor.department_id.0);
        }
        self.root_department()
            .await?
            .map(|d| d.id)
            .ok_or(ServiceError::NotFound)
    }

    /// The district's root department (the one without a parent).
    pub(crate) async fn root_department(
        &self,
    ) -> ServiceResult<Option<districtops_store::DepartmentRow>> {
        let departments = self.store.departments().await?;
        Ok(departments.into_iter().find(|d| d.parent_id.is_none()))
    }

    /// The target department and leader of a new or changed project must be in scope.
    fn require_target(&self, ctx: &Ctx, fields: &ProjectFields) -> ServiceResult<()> {
        let owner = RecordOwner {
            department: DepartmentId(fields.department_id),
            user: fields.leader_user_id.map(UserId),
        };
        ctx.require_reach(owner)
            .map_err(|_| ServiceError::Forbidden)
    }
}

impl Services {
    /// Writes `fields` over `current` at `version` in `tx` (the caller commits): stage checked and
    /// dated, colour recomputed, revision kept, changes audited under `action`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn save(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        current: &ProjectRow,
        version: i64,
        mut fields: ProjectFields,
        correction: bool,
        action: &str,
    ) -> ServiceResult<ProjectRow> {
        let user_id = ctx.user_id()?;
        let from = Stage::parse(&current.stage)?;
        let to = Stage::parse(&fields.stage)?;
        let transition = Stage::check_transition(from, to, correction)
            .map_err(|e| ServiceError::from(e.to_field_error()))?;
        let colour = self
            .shown_colour_in(tx, current.id, fields.completed_investment)
            .await?;
        fields.status_colour = colour.as_str().to_owned();
        let row = self
            .store
            .update_project(tx, current, version, &fields, self.now())
            .await
            .map_err(taken)?
            .ok_or(ServiceError::Conflict("conflict.changed_by_someone"))?;
        if transition != Transition::Unchanged {
            let change = StageChangeRow {
                id: 0,
                project_id: current.id,
                from_stage: from.as_str().to_owned(),
                to_stage: to.as_str().to_owned(),
                on_date: self.today(),
                correction: matches!(transition, Transition::Correction { .. }),
                recorded_at: self.now(),
                user_id,
            };
            self.store.insert_stage_change(tx, &change).await?;
        }
        self.store
            .insert_project_revision(tx, &row, user_id)
            .await?;
        let mut changes = changes(Some(&current.fields()), &row.fields());
        if let Transition::Correction { .. } = transition {
            changes.push(districtops_domain::audit::FieldChange::new(
                "correction",
                None::<&str>,
                Some("true"),
            ));
        }
        self.record(tx, ctx, action, Object::new("project", current.id), changes)
            .await?;
        Ok(row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> ProjectRow {
        let day = |d: &str| Some(d.parse().unwrap());
        ProjectRow {
            id: 7,
            code: Some("HY-2026-001".into()),
            name: "树兰医院".into(),
            platform_id: Some(2),
            kind: "medical".into(),
            stage: "signed".into(),
            department_id: 3,
            leader_user_id: Some(9),
            leader_name: Some("王区长".into()),
            total_investment: 2_136_280_000,
            completed_investment: 1,
            floor_area_m2: Some(236_834),
            land_area_mu_x100: Some(7_763),
            address: Some("经十路105号".into()),
            longitude: Some(116.97432),
            latitude: Some(36.678_74),
            planned_signing: day("2026-02-22"),
            actual_signing: day("2026-03-31"),
            planned_start: day("2026-08-28"),
            actual_start: day("2026-09-05"),
            planned_structure: day("2027-10-29"),
            actual_structure: day("2027-10-30"),
            planned_completion: day("2028-07-17"),
            actual_completion: day("2028-07-18"),
            planned_operation: day("2028-11-04"),
            actual_operation: day("2028-11-05"),
            notes: Some("备注".into()),
            illustrative: true,
            status_colour: "green".into(),
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
            version: 1,
        }
    }

    /// The import's records of new projects are the form's, field for field.
    #[test]
    fn created_changes_are_the_generic_changes() {
        let full = row();
        assert_eq!(created_changes(&full), changes(None, &full.fields()));
        assert_eq!(created_changes(&full).len(), 28);
        let sparse = ProjectRow {
            code: None,
            platform_id: None,
            leader_user_id: None,
            leader_name: None,
            floor_area_m2: None,
            land_area_mu_x100: None,
            address: None,
            longitude: None,
            latitude: None,
            actual_signing: None,
            planned_structure: None,
            actual_operation: None,
            notes: None,
            illustrative: false,
            total_investment: 0,
            ..row()
        };
        assert_eq!(created_changes(&sparse), changes(None, &sparse.fields()));
    }
}
