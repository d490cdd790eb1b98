//! A project's status over time (one computed outcome per month) and the manual override of
//! its colour: set with a written reason, cleared when no longer needed, both checked against
//! the project's version and audited before → after. While an override is current it is the
//! colour the ledger caches; the computed colour and its history go on underneath, so the
//! hold rule is not erased by an override.

use super::owner_of;
use crate::audit::Object;
use crate::{Ctx, ServiceError, ServiceResult, Services};
use chrono::{DateTime, NaiveDate, Utc};
use districtops_domain::access::Permission;
use districtops_domain::audit::FieldChange;
use districtops_domain::projects::{Colour, Override, Reason};
use districtops_domain::validation::FieldError;
use districtops_store::{ProjectRow, StatusOverrideRow, Tx};

/// The computed status of one month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeriodStatus {
    /// `YYYY-MM`.
    pub period: String,
    pub colour: Colour,
    pub reasons: Vec<Reason>,
    /// Kept from green because an earlier red month is not made up.
    pub held: bool,
    pub as_of: NaiveDate,
    pub computed_at: DateTime<Utc>,
}

/// What the status section of a project shows.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectStatus {
    pub project_id: i64,
    /// The project's version, for the override form.
    pub version: i64,
    /// The colour the ledger shows: the override's, else the computed one.
    pub colour: Colour,
    /// The override in force, if any.
    pub current_override: Option<StatusOverrideRow>,
    /// Newest month first.
    pub history: Vec<PeriodStatus>,
}

impl Services {
    /// The status history and override of a project inside the caller's scope.
    pub async fn project_status(&self, ctx: &Ctx, id: i64) -> ServiceResult<ProjectStatus> {
        ctx.require(Permission::ReadBusiness)?;
        let row = self
            .store
            .project(id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        ctx.require_reach(owner_of(&row))?;
        let history = self
            .store
            .status_history(id)
            .await?
            .into_iter()
            .filter_map(|h| {
                Some(PeriodStatus {
                    colour: Colour::parse(&h.colour).ok()?,
                    reasons: serde_json::from_str(&h.reasons).unwrap_or_default(),
                    held: h.held,
                    as_of: h.as_of,
                    computed_at: h.computed_at,
                    period: h.period,
                })
            })
            .collect();
        let current_override = self
            .store
            .status_overrides(id)
            .await?
            .into_iter()
            .find(|o| o.cleared_at.is_none());
        Ok(ProjectStatus {
            project_id: id,
            version: row.version,
            colour: Colour::parse(&row.status_colour).unwrap_or(Colour::Green),
            current_override,
            history,
        })
    }

    /// Sets the colour of project `id` by hand, if nobody changed the project since
    /// `version`. The reason is required (1–500 characters); an override in force is
    /// replaced (and kept as cleared).
    pub async fn set_status_override(
        &self,
        ctx: &Ctx,
        id: i64,
        version: i64,
        colour: Colour,
        reason: &str,
    ) -> ServiceResult<ProjectRow> {
        let mut tx = self.store.begin().await?;
        let current = self
            .reachable_project_in(&mut tx, ctx, id, Permission::WriteBusiness)
            .await?;
        let manual = Override::new(colour, reason)?;
        let before = self.store.current_override_in(&mut tx, id).await?;
        let (by, now) = (ctx.user_id()?, self.now());
        if before.is_some() {
            self.store
                .clear_status_override(&mut tx, id, by, now)
                .await?;
        }
        self.store
            .insert_status_override(
                &mut tx,
                id,
                manual.colour().as_str(),
                manual.reason(),
                by,
                now,
            )
            .await?;
        let after = (manual.colour().as_str(), manual.reason());
        let row = self
            .write_colour(
                &mut tx,
                ctx,
                &current,
                version,
                manual.colour(),
                "project.status.override",
                before.as_ref(),
                Some(after),
            )
            .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Clears the override of project `id`, if nobody changed the project since `version`;
    /// the computed colour is shown again.
    pub async fn clear_status_override(
        &self,
        ctx: &Ctx,
        id: i64,
        version: i64,
    ) -> ServiceResult<ProjectRow> {
        let mut tx = self.store.begin().await?;
        let current = self
            .reachable_project_in(&mut tx, ctx, id, Permission::WriteBusiness)
            .await?;
        let before = self
            .store
            .current_override_in(&mut tx, id)
            .await?
            .ok_or(FieldError::new("colour", "project.status_override.none"))?;
        self.store
            .clear_status_override(&mut tx, id, ctx.user_id()?, self.now())
            .await?;
        let (computed, _cleared) = self
            .assess_in(&mut tx, id, current.completed_investment)
            .await?;
        let computed = computed.colour;
        let row = self
            .write_colour(
                &mut tx,
                ctx,
                &current,
                version,
                computed,
                "project.status.override_clear",
                Some(&before),
                None,
            )
            .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Caches `colour` on `current` as a new version (a stale `version` is a conflict), keeps
    /// the revision and audits the override before → after with the colour.
    #[allow(clippy::too_many_arguments)]
    async fn write_colour(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        current: &ProjectRow,
        version: i64,
        colour: Colour,
        action: &str,
        before: Option<&StatusOverrideRow>,
        after: Option<(&str, &str)>,
    ) -> ServiceResult<ProjectRow> {
        let mut fields = current.fields();
        fields.status_colour = colour.as_str().to_owned();
        let row = self
            .store
            .update_project(tx, current, version, &fields, self.now())
            .await?
            .ok_or(ServiceError::Conflict("conflict.changed_by_someone"))?;
        self.store
            .insert_project_revision(tx, &row, ctx.user_id()?)
            .await?;
        let changes = vec![
            FieldChange::new(
                "override_colour",
                before.map(|o| &o.colour),
                after.map(|a| a.0),
            ),
            FieldChange::new(
                "override_reason",
                before.map(|o| &o.reason),
                after.map(|a| a.1),
            ),
            FieldChange::new(
                "status_colour",
                Some(&current.status_colour),
                Some(&row.status_colour),
            ),
        ];
        self.record(tx, ctx, action, Object::new("project", current.id), changes)
            .await?;
        Ok(row)
    }
}
