//! Pages of the `admin` area: user accounts, the org tree and the built-in roles.
//!
//! Every change goes through a service method with the caller's context: the service refuses
//! what the caller's roles do not allow. The pages check permissions only to decide which
//! forms and buttons to show.

mod departments;
mod roles;
mod status_settings;
#[cfg(test)]
mod tests;
mod user_detail;
mod users;

use crate::error::{AppError, AppResult};
use crate::i18n::Tr;
use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};
use chrono::{DateTime, FixedOffset, Utc};
use districtops_domain::FieldErrors;
use districtops_domain::access::{DataScope, Permission, Role};
use districtops_domain::org::DepartmentKind;
use districtops_store::DepartmentRow;
use std::collections::{BTreeSet, HashMap};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(users::list).post(users::create))
        .route(
            "/admin/users/{id}",
            get(user_detail::show).post(user_detail::update),
        )
        .route("/admin/users/{id}/roles", post(user_detail::set_roles))
        .route("/admin/users/{id}/disable", post(users::disable))
        .route("/admin/users/{id}/enable", post(users::enable))
        .route("/admin/users/{id}/password", post(users::reset_password))
        .route("/admin/users/{id}/unlock", post(users::unlock))
        .route(
            "/admin/departments",
            get(departments::list).post(departments::create),
        )
        .route(
            "/admin/departments/{id}",
            get(departments::edit).post(departments::update),
        )
        .route("/admin/roles", get(roles::show))
        .route(
            "/admin/settings/status",
            get(status_settings::show).post(status_settings::save),
        )
}

pub use crate::pages::Notice;

/// An ID from the path; anything that is not one is a page that does not exist.
fn parse_id(raw: &str) -> AppResult<i64> {
    raw.parse().map_err(|_| AppError::not_found())
}

/// A number typed into a form field; what does not parse is handed to the service as an ID
/// that names nothing, so the service's own message explains it.
fn form_id(raw: &str) -> i64 {
    raw.trim().parse().unwrap_or(0)
}

/// The version an edit form was loaded at. One that does not parse matches no version, so the
/// service answers "changed by someone".
fn form_version(raw: &str) -> i64 {
    raw.trim().parse().unwrap_or(-1)
}

/// A select left on "choose…" sends no ID, which the service reports as an ID naming nothing:
/// the user is told the field is required instead.
fn unchosen_is_required(mut errors: FieldErrors, field: &str, raw: &str) -> FieldErrors {
    if raw.trim().is_empty() {
        for error in errors.0.iter_mut().filter(|e| e.field == field) {
            error.message = "validation.required";
        }
    }
    errors
}

/// The field messages of a refused form, in the user's language.
#[derive(Clone, Debug, Default)]
pub struct FieldMessages(Vec<(&'static str, &'static str)>);

impl FieldMessages {
    pub fn new(t: Tr, errors: &FieldErrors) -> Self {
        Self(errors.0.iter().map(|e| (e.field, t.t(e.message))).collect())
    }

    /// The message(s) for one field.
    pub fn get(&self, field: &str) -> Option<String> {
        let found: Vec<&str> = self
            .0
            .iter()
            .filter(|(f, _)| *f == field)
            .map(|(_, m)| *m)
            .collect();
        if found.is_empty() {
            None
        } else {
            Some(found.join(" "))
        }
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|(f, _)| *f == field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Messages about fields the form has no input for (shown above the form).
    pub fn other(&self, shown: &[&str]) -> Vec<&'static str> {
        self.0
            .iter()
            .filter(|(f, _)| !shown.contains(f))
            .map(|(_, m)| *m)
            .collect()
    }
}

/// One `<option>` of a select.
#[derive(Clone, Debug)]
pub struct SelectOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// Departments in tree order (each parent before its children; bureaus, then street offices,
/// then sections, in order of creation) with their depth. Safe on a malformed tree: a
/// department whose parent is missing, or that sits in a cycle, is listed at the top level.
pub fn tree_order(rows: &[DepartmentRow]) -> Vec<(usize, &DepartmentRow)> {
    let ids: BTreeSet<i64> = rows.iter().map(|d| d.id).collect();
    let mut children: HashMap<Option<i64>, Vec<&DepartmentRow>> = HashMap::new();
    for row in rows {
        let parent = row.parent_id.filter(|p| ids.contains(p) && *p != row.id);
        children.entry(parent).or_default().push(row);
    }
    for list in children.values_mut() {
        list.sort_by_key(|d| (kind_rank(&d.kind), d.id));
    }
    let mut out = Vec::with_capacity(rows.len());
    let mut seen = BTreeSet::new();
    let roots = children.get(&None).cloned().unwrap_or_default();
    // The roots first; then whatever a cycle kept unreachable from them.
    let mut rest: Vec<&DepartmentRow> = rows.iter().collect();
    rest.sort_by_key(|d| d.id);
    for start in roots.into_iter().chain(rest) {
        let mut stack = vec![(0usize, start)];
        while let Some((depth, node)) = stack.pop() {
            if !seen.insert(node.id) {
                continue;
            }
            out.push((depth, node));
            for child in children.get(&Some(node.id)).into_iter().flatten().rev() {
                stack.push((depth + 1, *child));
            }
        }
    }
    out
}

fn kind_rank(kind: &str) -> u8 {
    match DepartmentKind::parse(kind) {
        Ok(DepartmentKind::District) => 0,
        Ok(DepartmentKind::Bureau) => 1,
        Ok(DepartmentKind::Street) => 2,
        Ok(DepartmentKind::Section) => 3,
        Err(_) => 4,
    }
}

/// The departments as options of a select, indented by depth.
pub fn department_options(
    rows: &[DepartmentRow],
    selected: &str,
    skip: &BTreeSet<i64>,
) -> Vec<SelectOption> {
    tree_order(rows)
        .into_iter()
        .filter(|(_, d)| !skip.contains(&d.id))
        .map(|(depth, d)| {
            let value = d.id.to_string();
            SelectOption {
                selected: value == selected.trim(),
                label: format!("{}{}", "\u{3000}".repeat(depth), d.name),
                value,
            }
        })
        .collect()
}

/// A time as shown on admin pages: China Standard Time (UTC+8, no daylight saving).
pub fn local_time(at: DateTime<Utc>) -> String {
    let offset = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    at.with_timezone(&offset)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The catalog key of a role's name.
pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::SystemAdmin => "role.name.system_admin",
        Role::SecurityAdmin => "role.name.security_admin",
        Role::Auditor => "role.name.auditor",
        Role::Leader => "role.name.leader",
        Role::Office => "role.name.office",
        Role::Staff => "role.name.staff",
        Role::Commissioner => "role.name.commissioner",
    }
}

/// The catalog key of a permission's description.
pub fn permission_key(permission: Permission) -> &'static str {
    match permission {
        Permission::ManageUsers => "admin.permission.manage_users",
        Permission::ManageDepartments => "admin.permission.manage_departments",
        Permission::ManageSettings => "admin.permission.manage_settings",
        Permission::GrantRoles => "admin.permission.grant_roles",
        Permission::ReadAudit => "admin.permission.read_audit",
        Permission::ReadBusiness => "admin.permission.read_business",
        Permission::WriteBusiness => "admin.permission.write_business",
    }
}

/// The catalog key of a data scope's description.
pub fn scope_key(scope: DataScope) -> &'static str {
    match scope {
        DataScope::None => "admin.scope.none",
        DataScope::Own => "admin.scope.own",
        DataScope::Department => "admin.scope.department",
        DataScope::DepartmentTree => "admin.scope.department_tree",
        DataScope::District => "admin.scope.district",
    }
}

/// The catalog key of a department kind's name (an unknown kind shows as itself).
pub fn kind_key(kind: &str) -> &str {
    match DepartmentKind::parse(kind) {
        Ok(DepartmentKind::District) => "admin.kind.district",
        Ok(DepartmentKind::Bureau) => "admin.kind.bureau",
        Ok(DepartmentKind::Street) => "admin.kind.street",
        Ok(DepartmentKind::Section) => "admin.kind.section",
        Err(_) => kind,
    }
}
