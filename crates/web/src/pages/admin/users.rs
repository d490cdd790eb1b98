//! The user list: every account with its roles and state, the form to create one, and the
//! actions on one account (disable, enable, reset password, unlock).

use super::user_detail::{self, UserPage};
use super::{
    FieldMessages, Notice, SelectOption, department_options, local_time, parse_id, role_key,
};
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::Form;
use crate::i18n::Lang;
use crate::pages::Page;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use districtops_domain::access::Permission;
use districtops_service::users::{NewUserInput, UserWithRoles};
use districtops_service::{ServiceError, ServiceResult};
use districtops_store::DepartmentRow;
use serde::Deserialize;
use std::collections::BTreeSet;

/// One account as the pages show it.
#[derive(Clone, Debug)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub department_id: i64,
    pub department: String,
    /// Catalog keys of the role names.
    pub roles: Vec<&'static str>,
    pub disabled: bool,
    /// When the lockout ends, if the account is locked now.
    pub locked_until: Option<String>,
    /// Locked, or with failed logins counted: unlocking would change something.
    pub unlockable: bool,
    pub must_change_password: bool,
    pub totp_enabled: bool,
    /// The signed-in user themselves.
    pub is_self: bool,
    pub version: i64,
}

impl UserView {
    pub fn new(
        state: &AppState,
        lang: Lang,
        me: &CurrentUser,
        user: &UserWithRoles,
        departments: &[DepartmentRow],
    ) -> Self {
        let row = &user.user;
        let now = state.services.now();
        let locked_until = match row.locked_until {
            Some(until) if row.lockout().is_locked(now) => Some(
                lang.tr()
                    .f("admin.users.locked_until", &[("until", &local_time(until))]),
            ),
            _ => None,
        };
        Self {
            id: row.id,
            username: row.username.clone(),
            display_name: row.display_name.clone(),
            department_id: row.department_id,
            department: departments
                .iter()
                .find(|d| d.id == row.department_id)
                .map(|d| d.name.clone())
                .unwrap_or_default(),
            roles: user.roles.iter().map(|r| role_key(*r)).collect(),
            disabled: row.disabled,
            unlockable: locked_until.is_some() || row.failed_logins > 0,
            locked_until,
            must_change_password: row.must_change_password,
            totp_enabled: row.totp_enabled,
            is_self: row.id == me.actor.id.0,
            version: row.version,
        }
    }
}

/// A first password to hand over once.
#[derive(Clone, Debug)]
pub struct OneTimePassword {
    pub title: String,
    pub password: String,
}

/// The new-user form as typed.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct NewUserForm {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub department_id: String,
    #[serde(default)]
    pub password: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/users.html")]
pub struct UsersPage {
    page: Page,
    users: Vec<UserView>,
    can_manage: bool,
    can_grant: bool,
    form: NewUserForm,
    errors: FieldMessages,
    departments: Vec<SelectOption>,
    secret: Option<OneTimePassword>,
}

impl UsersPage {
    /// The list as it is now (the service refuses callers who may not see it).
    async fn load(state: &AppState, user: &CurrentUser, page: Page) -> AppResult<Self> {
        let ctx = user.ctx();
        let users = state.services.list_users(&ctx).await?;
        let departments = state.services.departments(&ctx).await?;
        let lang = page.t.lang();
        let access = &user.actor.access;
        Ok(Self {
            users: users
                .iter()
                .map(|u| UserView::new(state, lang, user, u, &departments))
                .collect(),
            can_manage: access.has(Permission::ManageUsers),
            can_grant: access.has(Permission::GrantRoles),
            departments: department_options(&departments, "", &BTreeSet::new()),
            form: NewUserForm::default(),
            errors: FieldMessages::default(),
            secret: None,
            page,
        })
    }

    /// The user name of an account in the list.
    fn username_of(&self, id: i64) -> &str {
        self.users
            .iter()
            .find(|u| u.id == id)
            .map_or("", |u| u.username.as_str())
    }

    /// Keeps what the user typed into the new-user form.
    fn with_form(mut self, rows: &[DepartmentRow], form: NewUserForm) -> Self {
        self.departments = department_options(rows, &form.department_id, &BTreeSet::new());
        self.form = form;
        self
    }
}

fn page(state: &AppState, lang: Lang, user: &CurrentUser) -> Page {
    Page::new(state, lang, user, "users", "/admin/users")
}

pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Query(notice): Query<Notice>,
) -> AppResult<UsersPage> {
    UsersPage::load(&state, &user, notice.apply(page(&state, lang, &user))).await
}

pub async fn create(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Form(form): Form<NewUserForm>,
) -> AppResult<Response> {
    let input = NewUserInput {
        username: form.username.clone(),
        display_name: form.display_name.clone(),
        department_id: super::form_id(&form.department_id),
        password: Some(form.password.clone()).filter(|p| !p.is_empty()),
        // No roles here (the security administrator grants them), and the first password
        // must be changed at first login.
        ..NewUserInput::default()
    };
    let tr = lang.tr();
    match state.services.create_user(&user.ctx(), input).await {
        // The first password cannot travel through a redirect without landing in a URL or a
        // cookie: the answer to the form shows it, once.
        Ok((id, password)) => {
            let page = page(&state, lang, &user).flash_ok(tr.t("admin.flash.user_created"));
            let mut view = UsersPage::load(&state, &user, page).await?;
            let title = tr.f(
                "admin.users.secret_created",
                &[("username", &view.username_of(id))],
            );
            view.secret = Some(OneTimePassword { title, password });
            Ok(view.into_response())
        }
        Err(ServiceError::Invalid(errors)) => {
            let rows = state.services.departments(&user.ctx()).await?;
            let mut view = UsersPage::load(&state, &user, page(&state, lang, &user))
                .await?
                .with_form(&rows, form);
            let errors =
                super::unchosen_is_required(errors, "department_id", &view.form.department_id);
            view.errors = FieldMessages::new(tr, &errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, view).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Where an action on one account was started: the list or the account's page.
#[derive(Debug, Default, Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    back: String,
}

impl ActionForm {
    fn to_detail(&self) -> bool {
        self.back == "detail"
    }

    fn redirect(&self, id: i64, ok: &str) -> Response {
        let target = if self.to_detail() {
            format!("/admin/users/{id}?ok={ok}")
        } else {
            format!("/admin/users?ok={ok}")
        };
        Redirect::to(&target).into_response()
    }
}

/// Runs one action on an account: `call` makes the service call for the account's ID. On
/// success the answer goes back where the action started; when the service refuses for a
/// reason the user can act on, that page is shown again with the reason.
async fn act<Fut>(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    id: &str,
    form: &ActionForm,
    ok: &str,
    call: impl FnOnce(i64) -> Fut,
) -> AppResult<Response>
where
    Fut: Future<Output = ServiceResult<()>>,
{
    let id = parse_id(id)?;
    match call(id).await {
        Ok(()) => Ok(form.redirect(id, ok)),
        Err(ServiceError::Conflict(key)) => {
            let text = lang.tr().t(key);
            let response = if form.to_detail() {
                let page = user_detail::page(state, lang, user, id).flash_error(text);
                UserPage::load(state, user, id, page).await?.into_response()
            } else {
                let page = page(state, lang, user).flash_error(text);
                UsersPage::load(state, user, page).await?.into_response()
            };
            Ok((StatusCode::CONFLICT, response).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn disable(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> AppResult<Response> {
    let ctx = user.ctx();
    act(&state, lang, &user, &id, &form, "disabled", |id| {
        state.services.set_user_disabled(&ctx, id, true)
    })
    .await
}

pub async fn enable(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> AppResult<Response> {
    let ctx = user.ctx();
    act(&state, lang, &user, &id, &form, "enabled", |id| {
        state.services.set_user_disabled(&ctx, id, false)
    })
    .await
}

pub async fn unlock(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> AppResult<Response> {
    let ctx = user.ctx();
    act(&state, lang, &user, &id, &form, "unlocked", |id| {
        state.services.unlock_user(&ctx, id)
    })
    .await
}

/// Sets a generated first password and shows it once (on the page the action came from).
pub async fn reset_password(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let ctx = user.ctx();
    let password = state.services.reset_password(&ctx, id, None).await?;
    let tr = lang.tr();
    let flash = tr.t("admin.flash.password_reset");
    let secret = |username: &str| OneTimePassword {
        title: tr.f("admin.users.secret_reset", &[("username", &username)]),
        password: password.clone(),
    };
    if form.to_detail() {
        let page = user_detail::page(&state, lang, &user, id).flash_ok(flash);
        let mut view = UserPage::load(&state, &user, id, page).await?;
        view.secret = Some(secret(&view.u.username));
        Ok(view.into_response())
    } else {
        let page = page(&state, lang, &user).flash_ok(flash);
        let mut view = UsersPage::load(&state, &user, page).await?;
        view.secret = Some(secret(view.username_of(id)));
        Ok(view.into_response())
    }
}
