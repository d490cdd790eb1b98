//! `/platforms/{id}/phases/new` and `/platforms/{id}/phases/{phase}`: the form of a
//! roadmap phase, to add, change or remove one.

use super::forms::{VersionForm, refusal, require_planner, version_of};
use super::parse_id;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::Form;
use crate::i18n::Lang;
use crate::pages::Page;
use crate::pages::admin::FieldMessages;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use districtops_domain::projects::PhaseTarget;
use districtops_service::ServiceError;
use districtops_service::projects::goals::PhaseInput;
use districtops_store::PhaseRow;
use serde::Deserialize;

/// A phase as typed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct PhaseForm {
    pub ordinal: String,
    pub title: String,
    pub target: String,
    pub goal: String,
    pub done: String,
    pub illustrative: String,
    pub version: String,
}

impl PhaseForm {
    fn from_row(p: &PhaseRow) -> Self {
        let on = |flag: bool| if flag { "on" } else { "" }.to_owned();
        Self {
            ordinal: p.ordinal.to_string(),
            title: p.title.clone(),
            target: PhaseTarget::from_parts(p.target_year, p.target_date).to_string(),
            goal: p.goal.clone().unwrap_or_default(),
            done: on(p.done),
            illustrative: on(p.illustrative),
            version: p.version.to_string(),
        }
    }

    fn input(&self) -> PhaseInput {
        PhaseInput {
            ordinal: self.ordinal.clone(),
            title: self.title.clone(),
            target: self.target.clone(),
            goal: self.goal.clone(),
            done: !self.done.is_empty(),
            illustrative: !self.illustrative.is_empty(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "platforms/phase_form.html")]
pub struct PhasePage {
    page: Page,
    platform_id: i64,
    platform: String,
    /// The phase being changed (`None` for a new one).
    phase_id: Option<i64>,
    form: PhaseForm,
    errors: FieldMessages,
}

async fn phase_page(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    platform_id: i64,
    phase_id: Option<i64>,
    form: PhaseForm,
) -> AppResult<PhasePage> {
    let year = i64::from(state.services.today().year());
    let d = state
        .services
        .platform_detail(&user.ctx(), platform_id, year)
        .await?;
    let path = match phase_id {
        Some(p) => format!("/platforms/{platform_id}/phases/{p}"),
        None => format!("/platforms/{platform_id}/phases/new"),
    };
    Ok(PhasePage {
        page: Page::new(state, lang, user, "platforms", &path),
        platform_id,
        platform: d.row.name,
        phase_id,
        form,
        errors: FieldMessages::default(),
    })
}

pub async fn new(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<PhasePage> {
    let id = parse_id(&id)?;
    require_planner(&state, &user)?;
    let year = i64::from(state.services.today().year());
    let phases = state
        .services
        .platform_detail(&user.ctx(), id, year)
        .await?
        .phases;
    let next = phases.iter().map(|p| p.ordinal).max().unwrap_or(0) + 1;
    let form = PhaseForm {
        ordinal: next.to_string(),
        ..PhaseForm::default()
    };
    phase_page(&state, lang, &user, id, None, form).await
}

pub async fn edit(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path((id, phase)): Path<(String, String)>,
) -> AppResult<PhasePage> {
    let (id, phase) = (parse_id(&id)?, parse_id(&phase)?);
    require_planner(&state, &user)?;
    let row = state.services.phase(&user.ctx(), id, phase).await?;
    phase_page(
        &state,
        lang,
        &user,
        id,
        Some(phase),
        PhaseForm::from_row(&row),
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<PhaseForm>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    match state
        .services
        .add_phase(&user.ctx(), id, &form.input())
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/platforms/{id}")).into_response()),
        Err(e) => {
            let mut view = phase_page(&state, lang, &user, id, None, form).await?;
            let status = refusal(lang, e, &mut view.page, &mut view.errors)?;
            Ok((status, view).into_response())
        }
    }
}

pub async fn update(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path((id, phase)): Path<(String, String)>,
    Form(form): Form<PhaseForm>,
) -> AppResult<Response> {
    let (id, phase) = (parse_id(&id)?, parse_id(&phase)?);
    let ctx = user.ctx();
    let version = version_of(&form.version);
    match state
        .services
        .update_phase(&ctx, id, phase, version, &form.input())
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/platforms/{id}")).into_response()),
        Err(e) => {
            let mut form = form;
            if let ServiceError::Conflict(_) = e {
                form.version = state
                    .services
                    .phase(&ctx, id, phase)
                    .await?
                    .version
                    .to_string();
            }
            let mut view = phase_page(&state, lang, &user, id, Some(phase), form).await?;
            let status = refusal(lang, e, &mut view.page, &mut view.errors)?;
            Ok((status, view).into_response())
        }
    }
}

pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, phase)): Path<(String, String)>,
    Form(form): Form<VersionForm>,
) -> AppResult<Response> {
    let (id, phase) = (parse_id(&id)?, parse_id(&phase)?);
    let version = version_of(&form.version);
    state
        .services
        .delete_phase(&user.ctx(), id, phase, version)
        .await?;
    Ok(Redirect::to(&format!("/platforms/{id}")).into_response())
}
