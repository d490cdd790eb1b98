//! The status section of a project's page (`projects/_status.html`): the colour of each
//! month with its reasons, the manual override in force, and the forms to set or clear it
//! (`POST /projects/{id}/status/override` and `/status/override/clear`). Both forms carry
//! the project's version; a refused or stale form comes back on a page of its own with the
//! messages and what the user typed, and a saved one returns to the project.

use super::{Choice, colour_class, parse_id};
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::Form;
use crate::i18n::{Lang, Tr};
use crate::pages::Page;
use crate::pages::admin::FieldMessages;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use districtops_domain::FieldErrors;
use districtops_domain::access::Permission;
use districtops_domain::projects::Colour;
use districtops_service::ServiceError;
use districtops_service::projects::status_override::ProjectStatus;
use serde::Deserialize;

/// One month of the history.
pub struct MonthView {
    pub period: String,
    pub colour: &'static str,
    pub colour_class: &'static str,
    pub reasons: Vec<String>,
}

/// The override in force.
pub struct OverrideView {
    pub colour: &'static str,
    pub colour_class: &'static str,
    pub reason: String,
    pub set_at: String,
}

/// What `_status.html` shows.
pub struct StatusPanel {
    pub project_id: i64,
    pub version: i64,
    pub can_write: bool,
    /// The colour set by hand, shown instead of the computed one.
    pub manual: Option<Colour>,
    pub current: Option<OverrideView>,
    pub months: Vec<MonthView>,
    pub colours: Vec<Choice>,
    pub reason: String,
    pub errors: FieldMessages,
    pub conflict: bool,
}

impl StatusPanel {
    /// The panel of `status` in the language of `tr`, with an empty form.
    pub fn new(tr: Tr, status: &ProjectStatus, user: &CurrentUser) -> Self {
        let months = status
            .history
            .iter()
            .map(|m| MonthView {
                period: m.period.clone(),
                colour: tr.t(m.colour.label_key()),
                colour_class: colour_class(m.colour.as_str()),
                reasons: m
                    .reasons
                    .iter()
                    .map(|r| super::reason_text(tr, r))
                    .collect(),
            })
            .collect();
        let manual = status
            .current_override
            .as_ref()
            .and_then(|o| Colour::parse(&o.colour).ok());
        let current = status
            .current_override
            .as_ref()
            .zip(manual)
            .map(|(o, colour)| OverrideView {
                colour: tr.t(colour.label_key()),
                colour_class: colour_class(colour.as_str()),
                reason: o.reason.clone(),
                set_at: crate::pages::admin::local_time(o.set_at),
            });
        let chosen = status
            .current_override
            .as_ref()
            .map_or("", |o| o.colour.as_str());
        Self {
            project_id: status.project_id,
            version: status.version,
            can_write: user.actor.access.has(Permission::WriteBusiness),
            manual,
            current,
            months,
            colours: Colour::ALL
                .iter()
                .map(|c| Choice::coded(c.as_str(), c.label_key(), chosen))
                .collect(),
            reason: String::new(),
            errors: FieldMessages::new(tr, &FieldErrors::default()),
            conflict: false,
        }
    }

    /// The panel of project `id` for the caller.
    pub async fn load(state: &AppState, tr: Tr, user: &CurrentUser, id: i64) -> AppResult<Self> {
        let status = state.services.project_status(&user.ctx(), id).await?;
        Ok(Self::new(tr, &status, user))
    }
}

/// A refused override form, on a page of its own.
#[derive(Template, WebTemplate)]
#[template(path = "projects/status.html")]
pub struct StatusPage {
    page: Page,
    name: String,
    status: StatusPanel,
}

#[derive(Deserialize)]
pub struct OverrideForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    colour: String,
    #[serde(default)]
    reason: String,
}

/// `POST /projects/{id}/status/override`.
pub async fn set(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<OverrideForm>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let version = form.version.trim().parse().unwrap_or(-1);
    let result = match Colour::parse(form.colour.trim()) {
        Ok(colour) => {
            state
                .services
                .set_status_override(&user.ctx(), id, version, colour, &form.reason)
                .await
        }
        Err(error) => Err(error.into()),
    };
    answer(&state, lang, &user, id, result.map(drop), form).await
}

/// `POST /projects/{id}/status/override/clear`.
pub async fn clear(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<OverrideForm>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let version = form.version.trim().parse().unwrap_or(-1);
    let result = state
        .services
        .clear_status_override(&user.ctx(), id, version)
        .await;
    answer(&state, lang, &user, id, result.map(drop), form).await
}

/// Back to the project when saved; the form again with its messages when refused or stale
/// (with the latest version, so a second submit is deliberate).
async fn answer(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    id: i64,
    result: Result<(), ServiceError>,
    form: OverrideForm,
) -> AppResult<Response> {
    let tr = lang.tr();
    let (errors, conflict) = match result {
        Ok(()) => return Ok(Redirect::to(&format!("/projects/{id}#status")).into_response()),
        Err(ServiceError::Invalid(errors)) => (errors, false),
        Err(ServiceError::Conflict(_)) => (FieldErrors::default(), true),
        Err(other) => return Err(other.into()),
    };
    let detail = state.services.project(&user.ctx(), id).await?;
    let mut status = StatusPanel::load(state, tr, user, id).await?;
    status.errors = FieldMessages::new(tr, &errors);
    status.conflict = conflict;
    status.reason = form.reason;
    for choice in &mut status.colours {
        choice.selected = choice.value == form.colour.trim();
    }
    let page = StatusPage {
        page: Page::new(
            state,
            lang,
            user,
            "projects",
            &format!("/projects/{id}/status"),
        ),
        name: detail.row.name,
        status,
    };
    let code = if conflict {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((code, page).into_response())
}
