//! The built-in roles: what each allows, which records it reaches, and who holds it.
//! Read-only: roles are granted on each user's page.

use super::{permission_key, role_key, scope_key};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::pages::Page;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use districtops_domain::access::{Permission, Role};

/// Someone who holds a role.
#[derive(Clone, Debug)]
pub struct Holder {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub disabled: bool,
}

/// One role as the page shows it.
#[derive(Clone, Debug)]
pub struct RoleView {
    pub code: &'static str,
    /// Catalog keys.
    pub name: &'static str,
    pub permissions: Vec<&'static str>,
    pub scope: &'static str,
    pub admin: bool,
    pub holders: Vec<Holder>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/roles.html")]
pub struct RolesPage {
    page: Page,
    roles: Vec<RoleView>,
}

pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
) -> AppResult<RolesPage> {
    let access = &user.actor.access;
    // Showing role metadata is the only decision taken here; the user list below is the
    // service's to refuse.
    if !(access.has(Permission::ManageUsers) || access.has(Permission::GrantRoles)) {
        return Err(AppError::forbidden());
    }
    let users = state.services.list_users(&user.ctx()).await?;
    let roles = Role::ALL
        .into_iter()
        .map(|role| RoleView {
            code: role.as_str(),
            name: role_key(role),
            permissions: role
                .permissions()
                .iter()
                .map(|p| permission_key(*p))
                .collect(),
            scope: scope_key(role.scope()),
            admin: role.is_administrator(),
            holders: users
                .iter()
                .filter(|u| u.roles.contains(&role))
                .map(|u| Holder {
                    id: u.user.id,
                    username: u.user.username.clone(),
                    display_name: u.user.display_name.clone(),
                    disabled: u.user.disabled,
                })
                .collect(),
        })
        .collect();
    Ok(RolesPage {
        page: Page::new(&state, lang, &user, "roles", "/admin/roles"),
        roles,
    })
}
