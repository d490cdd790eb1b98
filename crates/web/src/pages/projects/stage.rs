//! The stage of a project on its page: its dated history, and a form to change it with a
//! date. A backward change must be ticked as a correction (the service refuses it otherwise);
//! a forward change over stages is shown again with the stages it skips, to be confirmed.

use super::keep::{Frame, page_for, refused, saved, typed_date};
use super::{Choice, parse_id, stage_choices};
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
use chrono::NaiveDate;
use districtops_domain::projects::{Stage, Transition};
use districtops_domain::validation::FieldErrors;
use districtops_service::ServiceError;
use districtops_service::projects::ProjectDetail;
use serde::Deserialize;

const ANCHOR: &str = "project-stage";

/// A stage change as typed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct StageForm {
    /// The stage the user saw (to warn about a skip).
    pub from: String,
    pub stage: String,
    /// `YYYY-MM-DD`; empty is today.
    pub on_date: String,
    pub correction: String,
    pub confirm_skip: String,
    pub version: String,
}

impl StageForm {
    fn from_detail(d: &ProjectDetail) -> Self {
        Self {
            from: d.row.stage.clone(),
            stage: d.row.stage.clone(),
            version: d.row.version.to_string(),
            ..Self::default()
        }
    }
}

pub struct StageLine {
    pub on: String,
    pub from: &'static str,
    pub to: &'static str,
    pub correction: bool,
}

#[derive(Template)]
#[template(path = "projects/_stage.html")]
pub struct StagePart {
    f: Frame,
    lines: Vec<StageLine>,
    stages: Vec<Choice>,
    form: StageForm,
    errors: FieldMessages,
    open: bool,
    /// The key of a refusal that is not about one field.
    notice: Option<&'static str>,
    /// The catalog keys of the stages a forward change skips, to be confirmed.
    skipped: Vec<&'static str>,
}

impl StagePart {
    pub fn new(f: Frame, d: &ProjectDetail) -> Self {
        Self::with_form(f, d, StageForm::from_detail(d))
    }

    fn with_form(f: Frame, d: &ProjectDetail, form: StageForm) -> Self {
        let key = |code: &str| Stage::parse(code).map_or("project.stage.invalid", Stage::label_key);
        Self {
            f,
            lines: d
                .stage_changes
                .iter()
                .map(|c| StageLine {
                    on: c.on_date.to_string(),
                    from: key(&c.from_stage),
                    to: key(&c.to_stage),
                    correction: c.correction,
                })
                .collect(),
            stages: stage_choices(form.stage.trim()),
            form,
            errors: FieldMessages::default(),
            open: false,
            notice: None,
            skipped: Vec::new(),
        }
    }
}

/// Why the form is shown again.
enum Refusal {
    Fields(FieldErrors),
    /// A forward change over these stages, not yet confirmed.
    Skips(Vec<Stage>),
    /// Someone changed the project first: the catalog key of the message.
    Stale(&'static str),
}

/// The form's stage and date, or why it is shown again before the service is asked.
fn check(form: &StageForm) -> Result<(Stage, Option<NaiveDate>), Refusal> {
    let mut errors = FieldErrors::default();
    let to = errors.check(Stage::parse(form.stage.trim()));
    let on = typed_date("on_date", &form.on_date, &mut errors);
    let Some(to) = to else {
        return Err(Refusal::Fields(errors));
    };
    errors.into_result().map_err(Refusal::Fields)?;
    let from = Stage::parse(form.from.trim()).ok();
    let transition = from.map(|from| Stage::check_transition(from, to, false));
    if let Some(Ok(Transition::Skipped { over })) = transition
        && form.confirm_skip.is_empty()
    {
        return Err(Refusal::Skips(over));
    }
    Ok((to, on))
}

/// `POST /projects/{id}/stage`: changes the stage on a date.
pub async fn change(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<StageForm>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let ctx = user.ctx();
    let version = form.version.trim().parse().unwrap_or(-1);
    let correction = !form.correction.is_empty();
    let refusal = match check(&form) {
        Err(refusal) => refusal,
        Ok((to, on)) => match state
            .services
            .change_project_stage(&ctx, id, version, to, on, correction)
            .await
        {
            Ok(_) => return Ok(saved(id, ANCHOR)),
            Err(ServiceError::Invalid(errors)) => Refusal::Fields(errors),
            Err(ServiceError::Conflict(key)) => Refusal::Stale(key),
            Err(e) => return Err(e.into()),
        },
    };
    let d = state.services.project(&ctx, id).await?;
    let page = page_for(&state, lang, &user, &format!("/projects/{id}"));
    let frame = Frame::new(&page, &user, id);
    let (status, mut part) = match refusal {
        Refusal::Fields(errors) => {
            let mut part = StagePart::with_form(frame, &d, form);
            part.errors = FieldMessages::new(lang.tr(), &errors);
            (StatusCode::UNPROCESSABLE_ENTITY, part)
        }
        Refusal::Skips(over) => {
            let mut part = StagePart::with_form(frame, &d, form);
            part.skipped = over.into_iter().map(Stage::label_key).collect();
            (StatusCode::UNPROCESSABLE_ENTITY, part)
        }
        Refusal::Stale(key) => {
            // The latest stage and version, with the change the user asked for.
            let latest = StageForm {
                stage: form.stage,
                on_date: form.on_date,
                correction: form.correction,
                ..StageForm::from_detail(&d)
            };
            let mut part = StagePart::with_form(frame, &d, latest);
            part.notice = Some(key);
            (StatusCode::CONFLICT, part)
        }
    };
    part.open = true;
    refused(&headers, status, page, &d.row.name, id, part)
}
