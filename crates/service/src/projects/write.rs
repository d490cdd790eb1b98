//! Creating and updating a project from a [`ProjectDraft`]: checked, names resolved, scope
//! checked for the target department, status recomputed, a revision kept and every changed
//! field audited before → after, all in one transaction.

use super::fields::{DraftLookups, changes};
use crate::audit::Object;
use crate::{Ctx, ServiceError, ServiceResult, Services};
use districtops_domain::access::{Permission, RecordOwner};
use districtops_domain::projects::{ProjectDraft, Stage, Transition};
use districtops_domain::validation::FieldError;
use districtops_domain::{DepartmentId, UserId};
use districtops_store::{ProjectFields, ProjectRow, StageChangeRow, StoreError, Tx};

/// The answer to a name or code another project already has.
pub(super) fn taken(e: StoreError) -> ServiceError {
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
            .insert_project(tx, fields, self.now())
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
    pub(super) async fn home_department(&self, ctx: &Ctx) -> ServiceResult<i64> {
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
    pub(super) fn require_target(&self, ctx: &Ctx, fields: &ProjectFields) -> ServiceResult<()> {
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
