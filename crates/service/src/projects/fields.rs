//! From a checked [`ProjectDraft`] to the stored fields: names of platform, department and
//! leader resolved to ids, and the field-by-field difference the audit record keeps.

use crate::{ServiceResult, Services};
use districtops_domain::audit::FieldChange;
use districtops_domain::projects::{Dates, ProjectDraft};
use districtops_domain::validation::{FieldError, FieldErrors};
use districtops_store::{DepartmentRow, ProjectFields, Tx, UserRow};
use std::collections::HashMap;

/// The key dates' column stems, in `ProjectFields::dates` order.
const DATE_NAMES: [&str; 5] = ["signing", "start", "structure", "completion", "operation"];

impl Services {
    /// The stored fields for `draft`. Absent kind, stage and department keep `current`'s
    /// (or, for a new project, the caller's department); other absent fields are empty.
    pub(crate) async fn resolve_draft(
        &self,
        tx: &mut Tx,
        draft: &ProjectDraft,
        current: Option<&ProjectFields>,
        own_department: i64,
    ) -> ServiceResult<ProjectFields> {
        let mut lookups = DraftLookups::default();
        self.resolve_draft_with(tx, draft, current, own_department, &mut lookups)
            .await
    }

    /// As [`Services::resolve_draft`], reusing the platforms, departments and users `lookups`
    /// already read in this transaction (an import resolves thousands of drafts).
    pub(crate) async fn resolve_draft_with(
        &self,
        tx: &mut Tx,
        draft: &ProjectDraft,
        current: Option<&ProjectFields>,
        own_department: i64,
        lookups: &mut DraftLookups,
    ) -> ServiceResult<ProjectFields> {
        let mut errors = FieldErrors::default();
        let platform_id = match trimmed(&draft.platform) {
            None => None,
            Some(name) => match lookups.platform(self, tx, name).await? {
                Some(id) => Some(id),
                None => {
                    errors.push(FieldError::new("platform", "project.platform.unknown"));
                    None
                }
            },
        };
        let department_id = match trimmed(&draft.department) {
            None => current.map_or(own_department, |c| c.department_id),
            Some(name) => {
                if lookups.departments.is_none() {
                    lookups.departments = Some(self.store.departments().await?);
                }
                let departments = lookups.departments.as_deref().unwrap_or_default();
                // An id (as the form's select sends) or a name (as a spreadsheet writes).
                let by_id = name.parse::<i64>().ok();
                let matching: Vec<i64> = match departments.iter().find(|d| Some(d.id) == by_id) {
                    Some(d) => vec![d.id],
                    None => departments
                        .iter()
                        .filter(|d| d.name == name)
                        .map(|d| d.id)
                        .collect(),
                };
                match matching.as_slice() {
                    [id] => *id,
                    [] => {
                        errors.push(FieldError::new("department", "project.department.unknown"));
                        0
                    }
                    _ => {
                        errors.push(FieldError::new(
                            "department",
                            "project.department.ambiguous",
                        ));
                        0
                    }
                }
            }
        };
        let leader_name = trimmed(&draft.leader);
        // A leader is a name in the ledger; when exactly one account has that name, the
        // project is also linked to it (so the leader's own scope reaches it).
        let leader_user_id = match &leader_name {
            None => None,
            Some(name) => {
                if lookups.users.is_none() {
                    lookups.users = Some(self.store.users().await?);
                }
                let users = lookups.users.as_deref().unwrap_or_default();
                let mut found = users
                    .iter()
                    .filter(|u| &u.display_name == name && !u.disabled);
                match (found.next(), found.next()) {
                    (Some(user), None) => Some(user.id),
                    _ => None,
                }
            }
        };
        let kind = match (draft.kind, current) {
            (Some(kind), _) => kind.as_str().to_owned(),
            (None, Some(current)) => current.kind.clone(),
            (None, None) => {
                errors.push(FieldError::new("kind", "validation.required"));
                String::new()
            }
        };
        let stage = match (draft.stage, current) {
            (Some(stage), _) => stage.as_str().to_owned(),
            (None, Some(current)) => current.stage.clone(),
            (None, None) => "pipeline".to_owned(),
        };
        errors.into_result()?;
        let dates = |d: Dates| (d.planned, d.actual);
        let k = draft.dates;
        Ok(ProjectFields {
            code: trimmed(&draft.code),
            name: trimmed(&draft.name).unwrap_or_default(),
            platform_id,
            kind,
            stage,
            department_id,
            leader_user_id,
            leader_name,
            total_investment: draft.total_investment.map_or(0, |m| m.yuan()),
            completed_investment: draft.completed_investment.map_or(0, |m| m.yuan()),
            floor_area_m2: draft.floor_area_m2,
            land_area_mu_x100: draft.land_area.map(|a| a.0),
            address: trimmed(&draft.address),
            longitude: draft.longitude,
            latitude: draft.latitude,
            dates: [
                dates(k.signing),
                dates(k.start),
                dates(k.structure),
                dates(k.completion),
                dates(k.operation),
            ],
            notes: trimmed(&draft.notes),
            illustrative: draft.illustrative,
            status_colour: current.map_or_else(|| "green".to_owned(), |c| c.status_colour.clone()),
        })
    }
}

/// Platforms, departments and users read once and reused while resolving many drafts in
/// one transaction; empty (`Default`) reads each on first need.
#[derive(Default)]
pub(crate) struct DraftLookups {
    platforms: HashMap<String, Option<i64>>,
    departments: Option<Vec<DepartmentRow>>,
    users: Option<Vec<UserRow>>,
}

impl DraftLookups {
    /// Reads now, before the caller takes the writer, what resolving `draft` needs: its
    /// platform, the departments, and the users shown under the leader's name (all a single
    /// draft can match).
    pub(crate) async fn read_for(
        &mut self,
        services: &Services,
        draft: &ProjectDraft,
    ) -> ServiceResult<()> {
        if let Some(name) = trimmed(&draft.platform) {
            let platforms = services.store.platforms().await?;
            let id = platforms.iter().find(|p| p.name == name).map(|p| p.id);
            self.platforms.insert(name, id);
        }
        if draft.department.is_some() {
            self.departments = Some(services.store.departments().await?);
        }
        if let Some(name) = trimmed(&draft.leader) {
            self.users = Some(services.store.users_displayed_as(&name).await?);
        }
        Ok(())
    }

    /// The id of the platform named exactly `name`, read inside `tx` once per name.
    async fn platform(
        &mut self,
        services: &Services,
        tx: &mut Tx,
        name: String,
    ) -> ServiceResult<Option<i64>> {
        if let Some(id) = self.platforms.get(&name) {
            return Ok(*id);
        }
        let id = services
            .store
            .platform_by_name_in(tx, &name)
            .await?
            .map(|p| p.id);
        self.platforms.insert(name, id);
        Ok(id)
    }
}

/// The text without its surrounding spaces, if any is left.
fn trimmed(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// The fields as (name, value) text pairs, for the audit record.
fn as_pairs(f: &ProjectFields) -> Vec<(String, Option<String>)> {
    let text = |v: &Option<String>| v.clone();
    let show = |v: Option<i64>| v.map(|v| v.to_string());
    let mut pairs = vec![
        ("code".to_owned(), text(&f.code)),
        ("name".to_owned(), Some(f.name.clone())),
        ("platform_id".to_owned(), show(f.platform_id)),
        ("kind".to_owned(), Some(f.kind.clone())),
        ("stage".to_owned(), Some(f.stage.clone())),
        (
            "department_id".to_owned(),
            Some(f.department_id.to_string()),
        ),
        ("leader_user_id".to_owned(), show(f.leader_user_id)),
        ("leader_name".to_owned(), text(&f.leader_name)),
        (
            "total_investment".to_owned(),
            Some(f.total_investment.to_string()),
        ),
        (
            "completed_investment".to_owned(),
            Some(f.completed_investment.to_string()),
        ),
        ("floor_area_m2".to_owned(), show(f.floor_area_m2)),
        ("land_area_mu_x100".to_owned(), show(f.land_area_mu_x100)),
        ("address".to_owned(), text(&f.address)),
        ("longitude".to_owned(), f.longitude.map(|v| v.to_string())),
        ("latitude".to_owned(), f.latitude.map(|v| v.to_string())),
    ];
    for (stem, (planned, actual)) in DATE_NAMES.iter().zip(f.dates) {
        pairs.push((format!("planned_{stem}"), planned.map(|d| d.to_string())));
        pairs.push((format!("actual_{stem}"), actual.map(|d| d.to_string())));
    }
    pairs.push(("notes".to_owned(), text(&f.notes)));
    pairs.push(("illustrative".to_owned(), Some(f.illustrative.to_string())));
    pairs.push(("status_colour".to_owned(), Some(f.status_colour.clone())));
    pairs
}

/// Every field that differs, before → after (`before` absent for a new project: every
/// field that has a value).
pub(crate) fn changes(before: Option<&ProjectFields>, after: &ProjectFields) -> Vec<FieldChange> {
    let after = as_pairs(after);
    let before = before.map(as_pairs);
    after
        .into_iter()
        .enumerate()
        .filter_map(|(i, (field, value))| {
            let old = before.as_ref().and_then(|b| b[i].1.clone());
            (old != value).then(|| FieldChange::new(&field, old, value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_fields_are_recorded() {
        let before = ProjectFields {
            name: "树兰医院".into(),
            kind: "medical".into(),
            total_investment: 100,
            ..ProjectFields::default()
        };
        let mut after = before.clone();
        after.total_investment = 250;
        after.dates[1].0 = Some("2020-04-02".parse().unwrap());
        let found = changes(Some(&before), &after);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].field, "total_investment");
        assert_eq!(found[0].before.as_deref(), Some("100"));
        assert_eq!(found[0].after.as_deref(), Some("250"));
        assert_eq!(found[1].field, "planned_start");
        let created = changes(None, &before);
        assert!(created.iter().all(|c| c.before.is_none()));
        assert!(created.iter().any(|c| c.field == "name"));
        assert!(!created.iter().any(|c| c.field == "code"));
    }
}
