//! One account's page: its profile (name and department, changed only if nobody changed the
//! account meanwhile), its roles, and the actions on it.

use super::users::{OneTimePassword, UserView};
use super::{
    FieldMessages, Notice, SelectOption, department_options, form_id, form_version, parse_id,
    role_key,
};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::forms::Form;
use crate::i18n::Lang;
use crate::pages::Page;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use districtops_domain::access::{Permission, Role};
use districtops_service::ServiceError;
use districtops_store::DepartmentRow;
use serde::Deserialize;
use std::collections::BTreeSet;

pub fn page(state: &AppState, lang: Lang, user: &CurrentUser, id: i64) -> Page {
    Page::new(state, lang, user, "users", &format!("/admin/users/{id}"))
}

/// The profile form as typed.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct EditUserForm {
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub department_id: String,
    #[serde(default)]
    pub version: String,
}

/// One checkbox of the roles form.
#[derive(Clone, Debug)]
pub struct RoleChoice {
    pub value: &'static str,
    pub key: &'static str,
    pub checked: bool,
    pub admin: bool,
}

/// What the user typed when someone else had changed the account first.
#[derive(Clone, Debug)]
pub struct ConflictView {
    pub message: &'static str,
    pub display_name: String,
    pub department: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/user.html")]
pub struct UserPage {
    page: Page,
    title: String,
    pub(super) u: UserView,
    can_manage: bool,
    can_grant: bool,
    form: EditUserForm,
    errors: FieldMessages,
    departments: Vec<SelectOption>,
    roles: Vec<RoleChoice>,
    role_errors: FieldMessages,
    conflict: Option<ConflictView>,
    pub(super) secret: Option<OneTimePassword>,
    rows: Vec<DepartmentRow>,
}

impl UserPage {
    /// The account as it is now (the service refuses callers who may not see accounts).
    pub async fn load(
        state: &AppState,
        user: &CurrentUser,
        id: i64,
        page: Page,
    ) -> AppResult<Self> {
        let ctx = user.ctx();
        let users = state.services.list_users(&ctx).await?;
        let target = users
            .iter()
            .find(|u| u.user.id == id)
            .ok_or_else(AppError::not_found)?;
        let rows = state.services.departments(&ctx).await?;
        let lang = page.t.lang();
        let u = UserView::new(state, lang, user, target, &rows);
        let form = EditUserForm {
            display_name: u.display_name.clone(),
            department_id: u.department_id.to_string(),
            version: u.version.to_string(),
        };
        let access = &user.actor.access;
        Ok(Self {
            title: lang
                .tr()
                .f("admin.users.detail_title", &[("name", &u.display_name)]),
            can_manage: access.has(Permission::ManageUsers),
            can_grant: access.has(Permission::GrantRoles),
            departments: department_options(&rows, &form.department_id, &BTreeSet::new()),
            form,
            errors: FieldMessages::default(),
            roles: Role::ALL
                .into_iter()
                .map(|r| RoleChoice {
                    value: r.as_str(),
                    key: role_key(r),
                    checked: target.roles.contains(&r),
                    admin: r.is_administrator(),
                })
                .collect(),
            role_errors: FieldMessages::default(),
            conflict: None,
            secret: None,
            rows,
            u,
            page,
        })
    }

    /// Keeps what the user typed into the profile form.
    fn with_form(mut self, form: EditUserForm) -> Self {
        self.departments = department_options(&self.rows, &form.department_id, &BTreeSet::new());
        self.form = form;
        self
    }

    /// Keeps the roles the user ticked.
    fn with_roles(mut self, roles: &[Role]) -> Self {
        for choice in &mut self.roles {
            choice.checked = roles.iter().any(|r| r.as_str() == choice.value);
        }
        self
    }
}

pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(notice): Query<Notice>,
) -> AppResult<UserPage> {
    let id = parse_id(&id)?;
    UserPage::load(
        &state,
        &user,
        id,
        notice.apply(page(&state, lang, &user, id)),
    )
    .await
}

/// Saves the profile form.
pub async fn update(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<EditUserForm>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let tr = lang.tr();
    let version = form_version(&form.version);
    let department_id = form_id(&form.department_id);
    let result = state
        .services
        .update_user(&user.ctx(), id, version, &form.display_name, department_id)
        .await;
    match result {
        Ok(()) => Ok(Redirect::to("/admin/users?ok=updated").into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let mut view = UserPage::load(&state, &user, id, page(&state, lang, &user, id))
                .await?
                .with_form(form);
            let errors =
                super::unchosen_is_required(errors, "department_id", &view.form.department_id);
            view.errors = FieldMessages::new(tr, &errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, view).into_response())
        }
        // The form shows the latest values (and their version); what the user typed is shown
        // beside it so nothing is lost.
        Err(ServiceError::Conflict(key)) => {
            let mut view = UserPage::load(&state, &user, id, page(&state, lang, &user, id)).await?;
            let department = view
                .rows
                .iter()
                .find(|d| d.id == department_id)
                .map_or_else(|| form.department_id.clone(), |d| d.name.clone());
            view.conflict = Some(ConflictView {
                message: tr.t(key),
                display_name: form.display_name,
                department,
            });
            Ok((StatusCode::CONFLICT, view).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Replaces the account's roles with the ticked ones.
pub async fn set_roles(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let tr = lang.tr();
    let roles = fields
        .iter()
        .filter(|(name, _)| name == "roles")
        .map(|(_, value)| Role::parse(value).ok_or_else(|| AppError::bad_request("error.bad_form")))
        .collect::<AppResult<Vec<Role>>>()?;
    match state.services.set_user_roles(&user.ctx(), id, &roles).await {
        Ok(()) => Ok(Redirect::to("/admin/users?ok=roles").into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let mut view = UserPage::load(&state, &user, id, page(&state, lang, &user, id))
                .await?
                .with_roles(&roles);
            view.role_errors = FieldMessages::new(tr, &errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, view).into_response())
        }
        Err(ServiceError::Conflict(key)) => {
            let page = page(&state, lang, &user, id).flash_error(tr.t(key));
            let view = UserPage::load(&state, &user, id, page)
                .await?
                .with_roles(&roles);
            Ok((StatusCode::CONFLICT, view).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
