//! Events (集中开工 mass groundbreaking, 集中签约 mass signing): a dated ceremony grouping
//! projects. An event is seen by whoever reaches its department; its totals (project count,
//! total and completed investment, floor area) are computed from the linked projects the
//! caller may see, never typed. Linking a project needs reach to that project.

use crate::audit::Object;
use crate::projects::{ProjectQuery, owner_of, scope_for};
use crate::{Ctx, ServiceError, ServiceResult, Services};
use chrono::NaiveDate;
use districtops_domain::DepartmentId;
use districtops_domain::access::{Permission, RecordOwner};
use districtops_domain::audit::FieldChange;
use districtops_domain::money::Money;
use districtops_domain::validation::{FieldError, FieldErrors, clean_text};
use districtops_store::{DepartmentRow, EventRow, NewEvent, ProjectRow};

/// The kind of an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// 集中开工.
    Groundbreaking,
    /// 集中签约.
    Signing,
}

impl EventKind {
    pub const ALL: [EventKind; 2] = [Self::Groundbreaking, Self::Signing];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Groundbreaking => "groundbreaking",
            Self::Signing => "signing",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw.trim())
    }
}

/// A new event as typed, with the projects it groups.
#[derive(Clone, Debug)]
pub struct NewEventInput {
    pub kind: EventKind,
    pub name: String,
    pub held_on: NaiveDate,
    pub place: Option<String>,
    pub department_id: i64,
    pub notes: Option<String>,
    pub illustrative: bool,
    pub project_ids: Vec<i64>,
}

/// The sums of an event's projects that the caller may see.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EventTotals {
    pub projects: i64,
    pub total_investment: Money,
    pub completed_investment: Money,
    pub floor_area_m2: i64,
}

impl EventTotals {
    pub fn of(rows: &[ProjectRow]) -> ServiceResult<Self> {
        let overflow = || ServiceError::Internal("event totals overflow".into());
        let sum = |get: fn(&ProjectRow) -> i64| {
            Money::try_sum(rows.iter().map(|r| Money::from_yuan(get(r)))).ok_or_else(overflow)
        };
        Ok(Self {
            projects: rows.len() as i64,
            total_investment: sum(|r| r.total_investment)?,
            completed_investment: sum(|r| r.completed_investment)?,
            floor_area_m2: rows
                .iter()
                .filter_map(|r| r.floor_area_m2)
                .try_fold(0_i64, i64::checked_add)
                .ok_or_else(overflow)?,
        })
    }
}

/// An event with its computed totals (the list).
#[derive(Clone, Debug)]
pub struct EventSummary {
    pub row: EventRow,
    pub totals: EventTotals,
}

/// What the event form offers: departments, the projects matching a search, the ticked ones.
#[derive(Clone, Debug)]
pub struct EventChoices {
    pub departments: Vec<DepartmentRow>,
    pub matches: Vec<ProjectRow>,
    /// How many projects match the search (more than `matches` holds when it was cut).
    pub matched: i64,
    pub ticked: Vec<ProjectRow>,
}

/// An event, its department's name, the projects the caller may see and their totals.
#[derive(Clone, Debug)]
pub struct EventDetail {
    pub row: EventRow,
    pub department: String,
    pub projects: Vec<ProjectRow>,
    pub totals: EventTotals,
}

fn owner(department_id: i64) -> RecordOwner {
    RecordOwner {
        department: DepartmentId(department_id),
        user: None,
    }
}

fn optional_text(
    errors: &mut FieldErrors,
    raw: Option<&str>,
    field: &'static str,
    max: usize,
) -> Option<String> {
    match raw.map(str::trim) {
        Some(text) if !text.is_empty() => errors.check(clean_text(text, field, max)),
        _ => None,
    }
}

impl Services {
    /// The event's fields checked, every field error at once.
    async fn checked_event(&self, input: &NewEventInput) -> ServiceResult<NewEvent> {
        let mut errors = FieldErrors::default();
        let name = errors.check(clean_text(&input.name, "name", 100));
        let place = optional_text(&mut errors, input.place.as_deref(), "place", 100);
        let notes = optional_text(&mut errors, input.notes.as_deref(), "notes", 1000);
        let department = self.store.department(input.department_id).await?;
        if department.is_none() {
            errors.push(FieldError::new(
                "department_id",
                "project.department.unknown",
            ));
        }
        errors.into_result()?;
        Ok(NewEvent {
            kind: input.kind.as_str().to_owned(),
            name: name.unwrap_or_default(),
            held_on: input.held_on,
            place,
            department_id: input.department_id,
            notes,
            illustrative: input.illustrative,
        })
    }

    /// Creates an event and links its projects, in one audited transaction.
    pub async fn create_event(&self, ctx: &Ctx, input: &NewEventInput) -> ServiceResult<i64> {
        ctx.require(Permission::WriteBusiness)?;
        let new = self.checked_event(input).await?;
        ctx.require_reach(owner(input.department_id))?;
        let mut tx = self.store.begin().await?;
        let row = self.store.insert_event(&mut tx, &new, self.now()).await?;
        let mut ids = input.project_ids.clone();
        ids.sort_unstable();
        ids.dedup();
        for &project_id in &ids {
            // Outside the caller's scope (or missing): NotFound, and nothing is kept.
            self.reachable_project_in(&mut tx, ctx, project_id, Permission::WriteBusiness)
                .await?;
            self.store
                .link_event_project(&mut tx, row.id, project_id)
                .await?;
        }
        let linked: Vec<String> = ids.iter().map(i64::to_string).collect();
        let changes = vec![
            FieldChange::new("kind", None::<&str>, Some(&new.kind)),
            FieldChange::new("name", None::<&str>, Some(&new.name)),
            FieldChange::new("held_on", None::<&str>, Some(new.held_on)),
            FieldChange::new("place", None::<&str>, new.place.as_deref()),
            FieldChange::new("department_id", None::<&str>, Some(new.department_id)),
            FieldChange::new("notes", None::<&str>, new.notes.as_deref()),
            FieldChange::new("illustrative", None::<&str>, Some(new.illustrative)),
            FieldChange::new("projects", None::<&str>, Some(linked.join(","))),
        ];
        self.record(
            &mut tx,
            ctx,
            "event.create",
            Object::new("event", row.id),
            changes,
        )
        .await?;
        tx.commit().await?;
        Ok(row.id)
    }

    /// Changes an event, if nobody changed it since `version`, and sets its projects to
    /// `input.project_ids`. Linking or unlinking a project needs reach to it; links to
    /// projects the caller cannot see are kept, since the caller could not untick them.
    pub async fn update_event(
        &self,
        ctx: &Ctx,
        id: i64,
        version: i64,
        input: &NewEventInput,
    ) -> ServiceResult<()> {
        ctx.require(Permission::WriteBusiness)?;
        let mut tx = self.store.begin().await?;
        let before = self
            .store
            .event_in(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        ctx.require_reach(owner(before.department_id))?;
        let new = self.checked_event(input).await?;
        ctx.require_reach(owner(new.department_id))?;
        let row = self
            .store
            .update_event(&mut tx, id, version, &new)
            .await?
            .ok_or(ServiceError::Conflict("conflict.changed_by_someone"))?;
        let linked = self.store.event_project_ids_in(&mut tx, id).await?;
        let mut wanted = input.project_ids.clone();
        wanted.sort_unstable();
        wanted.dedup();
        for &project_id in wanted.iter().filter(|p| !linked.contains(p)) {
            self.reachable_project_in(&mut tx, ctx, project_id, Permission::WriteBusiness)
                .await?;
            self.store
                .link_event_project(&mut tx, id, project_id)
                .await?;
        }
        let mut after = wanted.clone();
        for &project_id in linked.iter().filter(|p| !wanted.contains(p)) {
            let project = self.store.project_in(&mut tx, project_id).await?;
            if project.is_some_and(|p| ctx.require_reach(owner_of(&p)).is_ok()) {
                self.store
                    .unlink_event_project(&mut tx, id, project_id)
                    .await?;
            } else {
                after.push(project_id);
            }
        }
        after.sort_unstable();
        let list = |ids: &[i64]| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let mut changes = Vec::new();
        let mut diff = |field: &str, old: String, new: String| {
            if old != new {
                changes.push(FieldChange::new(field, Some(old), Some(new)));
            }
        };
        diff("kind", before.kind, row.kind);
        diff("name", before.name, row.name);
        diff(
            "held_on",
            before.held_on.to_string(),
            row.held_on.to_string(),
        );
        diff(
            "place",
            before.place.unwrap_or_default(),
            row.place.unwrap_or_default(),
        );
        diff(
            "department_id",
            before.department_id.to_string(),
            row.department_id.to_string(),
        );
        diff(
            "notes",
            before.notes.unwrap_or_default(),
            row.notes.unwrap_or_default(),
        );
        diff(
            "illustrative",
            before.illustrative.to_string(),
            row.illustrative.to_string(),
        );
        diff("projects", list(&linked), list(&after));
        self.record(
            &mut tx,
            ctx,
            "event.update",
            Object::new("event", id),
            changes,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// What the event form offers a writer: the departments, the first `limit` projects of
    /// the ledger whose name or code contains `text` (with how many match), and the ticked
    /// projects the caller may see.
    pub async fn event_form_choices(
        &self,
        ctx: &Ctx,
        text: &str,
        limit: i64,
        ticked: &[i64],
    ) -> ServiceResult<EventChoices> {
        let (_, departments) = self.project_form_choices(ctx).await?;
        let query = ProjectQuery {
            text: Some(text.to_owned()),
            per_page: limit,
            ..ProjectQuery::default()
        };
        let page = self.list_projects(ctx, &query).await?;
        let mut chosen = Vec::new();
        for &id in ticked {
            if let Some(row) = self.store.project(id).await?
                && ctx.require_reach(owner_of(&row)).is_ok()
            {
                chosen.push(row);
            }
        }
        Ok(EventChoices {
            departments,
            matched: page.totals.count,
            matches: page.rows,
            ticked: chosen,
        })
    }

    /// The events the caller may see, latest first, each with its computed totals.
    pub async fn list_events(&self, ctx: &Ctx) -> ServiceResult<Vec<EventSummary>> {
        ctx.require(Permission::ReadBusiness)?;
        let scope = scope_for(ctx)?;
        let mut out = Vec::new();
        for row in self.store.events(&scope).await? {
            let projects = self.store.event_projects(row.id, &scope).await?;
            let totals = EventTotals::of(&projects)?;
            out.push(EventSummary { row, totals });
        }
        Ok(out)
    }

    /// One event inside the caller's scope; `NotFound` for one outside it.
    pub async fn event(&self, ctx: &Ctx, id: i64) -> ServiceResult<EventDetail> {
        ctx.require(Permission::ReadBusiness)?;
        let row = self.store.event(id).await?.ok_or(ServiceError::NotFound)?;
        ctx.require_reach(owner(row.department_id))?;
        let scope = scope_for(ctx)?;
        let projects = self.store.event_projects(id, &scope).await?;
        debug_assert!(
            projects
                .iter()
                .all(|p| ctx.require_reach(owner_of(p)).is_ok())
        );
        let department = self.department_name(row.department_id).await?;
        Ok(EventDetail {
            totals: EventTotals::of(&projects)?,
            row,
            department,
            projects,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(EventKind::parse("party"), None);
    }
}
