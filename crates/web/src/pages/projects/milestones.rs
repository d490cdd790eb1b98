//! The milestones of a project on its page: the list, a form to add one, and a form per
//! milestone to change it. A change carries the milestone's version: a stale form gets the
//! "someone changed this" message with the latest values in the form and what was typed
//! beside it.

use super::keep::{Frame, page_for, refused, saved, typed_date};
use super::parse_id;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::Form;
use crate::i18n::Lang;
use crate::pages::admin::FieldMessages;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use districtops_domain::validation::FieldErrors;
use districtops_service::ServiceError;
use districtops_service::projects::progress::MilestoneInput;
use districtops_store::MilestoneRow;
use serde::Deserialize;

const ANCHOR: &str = "project-milestones";

/// A milestone as typed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct MilestoneForm {
    pub name: String,
    pub planned: String,
    pub actual: String,
    pub owner_name: String,
    pub version: String,
}

impl MilestoneForm {
    fn from_row(m: &MilestoneRow) -> Self {
        Self {
            name: m.name.clone(),
            planned: m.planned.to_string(),
            actual: m.actual.map(|d| d.to_string()).unwrap_or_default(),
            owner_name: m.owner_name.clone().unwrap_or_default(),
            version: m.version.to_string(),
        }
    }

    /// The input, or the dates that do not parse (the service checks the rest).
    fn to_input(&self) -> Result<MilestoneInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let planned = typed_date("planned", &self.planned, &mut errors);
        let actual = typed_date("actual", &self.actual, &mut errors);
        errors.into_result()?;
        Ok(MilestoneInput {
            name: self.name.clone(),
            planned,
            actual,
            owner_name: Some(self.owner_name.clone()),
        })
    }
}

/// One milestone with its own form.
pub struct MilestoneLine {
    pub id: i64,
    pub name: String,
    pub planned: String,
    pub actual: String,
    pub owner: String,
    pub form: MilestoneForm,
    pub errors: FieldMessages,
    /// The form is shown open (it was refused).
    pub open: bool,
    /// The message of a refusal that is not about one field.
    pub notice: Option<&'static str>,
    /// What the user typed, when someone saved first.
    pub yours: Option<MilestoneForm>,
}

#[derive(Template)]
#[template(path = "projects/_milestones.html")]
pub struct MilestonesPart {
    f: Frame,
    lines: Vec<MilestoneLine>,
    new_form: MilestoneForm,
    new_errors: FieldMessages,
    new_open: bool,
}

impl MilestonesPart {
    pub fn new(f: Frame, rows: &[MilestoneRow]) -> Self {
        Self {
            f,
            lines: rows
                .iter()
                .map(|m| MilestoneLine {
                    id: m.id,
                    name: m.name.clone(),
                    planned: m.planned.to_string(),
                    actual: m.actual.map(|d| d.to_string()).unwrap_or_default(),
                    owner: m.owner_name.clone().unwrap_or_default(),
                    form: MilestoneForm::from_row(m),
                    errors: FieldMessages::default(),
                    open: false,
                    notice: None,
                    yours: None,
                })
                .collect(),
            new_form: MilestoneForm::default(),
            new_errors: FieldMessages::default(),
            new_open: false,
        }
    }
}

/// `POST /projects/{id}/milestones`: adds a milestone.
pub async fn add(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<MilestoneForm>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let ctx = user.ctx();
    let result = match form.to_input() {
        Ok(input) => state.services.add_milestone(&ctx, id, &input).await,
        Err(errors) => Err(ServiceError::Invalid(errors)),
    };
    let errors = match result {
        Ok(_) => return Ok(saved(id, ANCHOR)),
        Err(ServiceError::Invalid(errors)) => errors,
        Err(e) => return Err(e.into()),
    };
    let d = state.services.project(&ctx, id).await?;
    let page = page_for(&state, lang, &user, &format!("/projects/{id}"));
    let mut part = MilestonesPart::new(Frame::new(&page, &user, id), &d.milestones);
    part.new_form = form;
    part.new_errors = FieldMessages::new(lang.tr(), &errors);
    part.new_open = true;
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    refused(&headers, status, page, &d.row.name, id, part)
}

/// `POST /projects/{id}/milestones/{milestone_id}`: changes a milestone, if nobody changed
/// it since the form's version.
pub async fn update(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    headers: HeaderMap,
    Path((id, milestone_id)): Path<(String, String)>,
    Form(form): Form<MilestoneForm>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let milestone_id = parse_id(&milestone_id)?;
    let version = form.version.trim().parse().unwrap_or(-1);
    let ctx = user.ctx();
    let result = match form.to_input() {
        Ok(input) => {
            state
                .services
                .update_milestone(&ctx, id, milestone_id, version, &input)
                .await
        }
        Err(errors) => Err(ServiceError::Invalid(errors)),
    };
    // The field messages, or the key of "someone saved first".
    let refusal: Result<FieldErrors, &'static str> = match result {
        Ok(()) => return Ok(saved(id, ANCHOR)),
        Err(ServiceError::Conflict(key)) => Err(key),
        Err(ServiceError::Invalid(errors)) => Ok(errors),
        Err(e) => return Err(e.into()),
    };
    let d = state.services.project(&ctx, id).await?;
    let page = page_for(&state, lang, &user, &format!("/projects/{id}"));
    let mut part = MilestonesPart::new(Frame::new(&page, &user, id), &d.milestones);
    let line = part
        .lines
        .iter_mut()
        .find(|l| l.id == milestone_id)
        .ok_or(ServiceError::NotFound)?;
    line.open = true;
    let status = match refusal {
        Ok(errors) => {
            line.errors = FieldMessages::new(lang.tr(), &errors);
            line.form = form;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(key) => {
            // The form now holds the latest values and version; what was typed is beside it.
            line.notice = Some(key);
            line.yours = Some(form);
            StatusCode::CONFLICT
        }
    };
    refused(&headers, status, page, &d.row.name, id, part)
}
