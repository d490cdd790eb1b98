//! The monthly progress reports of a project on its page: the reports, and a form to record
//! one month (本月完成投资 typed in 万元 or 亿元, progress in percent, a narrative). Recording
//! a month again replaces its report.

use super::keep::{Frame, page_for, refused, saved, typed_money};
use super::{parse_id, wan};
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
use districtops_domain::validation::{FieldError, FieldErrors};
use districtops_service::ServiceError;
use districtops_service::projects::progress::ProgressInput;
use districtops_store::ProgressRow;
use serde::Deserialize;

const ANCHOR: &str = "project-progress";

/// A month's report as typed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProgressForm {
    /// `YYYY-MM`.
    pub period: String,
    /// 万元 unless a unit is typed.
    pub invested_in_period: String,
    pub percent: String,
    pub narrative: String,
}

impl ProgressForm {
    /// The input, or the amount and percent that do not parse (the service checks the rest).
    fn to_input(&self) -> Result<ProgressInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let invested = errors.check(typed_money("invested_in_period", &self.invested_in_period));
        let percent = self
            .percent
            .trim()
            .trim_end_matches(['%', '％'])
            .parse::<i64>();
        if percent.is_err() {
            errors.push(FieldError::new(
                "percent",
                "project.progress.percent_invalid",
            ));
        }
        errors.into_result()?;
        Ok(ProgressInput {
            period: self.period.clone(),
            invested_in_period: invested.unwrap_or_default(),
            percent: percent.unwrap_or_default(),
            narrative: Some(self.narrative.clone()),
        })
    }
}

pub struct ProgressLine {
    pub period: String,
    pub invested_wan: String,
    pub percent: i64,
    pub narrative: String,
}

#[derive(Template)]
#[template(path = "projects/_progress.html")]
pub struct ProgressPart {
    f: Frame,
    lines: Vec<ProgressLine>,
    form: ProgressForm,
    errors: FieldMessages,
    open: bool,
}

impl ProgressPart {
    pub fn new(f: Frame, rows: &[ProgressRow]) -> Self {
        Self {
            f,
            lines: rows
                .iter()
                .map(|p| ProgressLine {
                    period: p.period.clone(),
                    invested_wan: wan(p.invested_in_period),
                    percent: p.percent,
                    narrative: p.narrative.clone().unwrap_or_default(),
                })
                .collect(),
            form: ProgressForm::default(),
            errors: FieldMessages::default(),
            open: false,
        }
    }
}

/// `POST /projects/{id}/progress`: records (or replaces) one month's report.
pub async fn report(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<ProgressForm>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let ctx = user.ctx();
    let result = match form.to_input() {
        Ok(input) => state.services.report_progress(&ctx, id, &input).await,
        Err(errors) => Err(ServiceError::Invalid(errors)),
    };
    let errors = match result {
        Ok(()) => return Ok(saved(id, ANCHOR)),
        Err(ServiceError::Invalid(errors)) => errors,
        Err(e) => return Err(e.into()),
    };
    let d = state.services.project(&ctx, id).await?;
    let page = page_for(&state, lang, &user, &format!("/projects/{id}"));
    let mut part = ProgressPart::new(Frame::new(&page, &user, id), &d.progress);
    part.form = form;
    part.errors = FieldMessages::new(lang.tr(), &errors);
    part.open = true;
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    refused(&headers, status, page, &d.row.name, id, part)
}
