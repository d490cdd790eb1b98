//! The investment plan of a project on its page: period, cumulative target, completed by the
//! period's end, and the gap; and a form to set the cumulative target of a month
//! (`2026-06`) or a quarter (`2026-Q2`), typed in 万元 or 亿元.

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
use districtops_domain::projects::PlanLine;
use districtops_domain::validation::FieldErrors;
use districtops_service::ServiceError;
use serde::Deserialize;

const ANCHOR: &str = "project-plan";

/// A plan target as typed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct PlanForm {
    /// `YYYY-MM` or `YYYY-Qn`.
    pub period: String,
    /// 万元 unless a unit is typed.
    pub cumulative_target: String,
}

/// One period of the plan as the table shows it, amounts in 万元.
pub struct PlanRowView {
    pub period: String,
    pub target: String,
    pub actual: String,
    pub gap: String,
    pub short: bool,
}

#[derive(Template)]
#[template(path = "projects/_plan.html")]
pub struct PlanPart {
    f: Frame,
    lines: Vec<PlanRowView>,
    form: PlanForm,
    errors: FieldMessages,
    open: bool,
}

impl PlanPart {
    pub fn new(f: Frame, plan: &[PlanLine]) -> Self {
        Self {
            f,
            lines: plan
                .iter()
                .map(|l| PlanRowView {
                    period: l.period.to_string(),
                    target: wan(l.target.yuan()),
                    actual: l.actual.map(|a| wan(a.yuan())).unwrap_or_default(),
                    gap: l.gap.map(|g| wan(g.yuan())).unwrap_or_default(),
                    short: l.gap.is_some_and(|g| !g.is_zero()),
                })
                .collect(),
            form: PlanForm::default(),
            errors: FieldMessages::default(),
            open: false,
        }
    }
}

/// `POST /projects/{id}/plan`: sets the cumulative target of one period.
pub async fn set(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<PlanForm>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let ctx = user.ctx();
    let result = match typed_money("cumulative_target", &form.cumulative_target) {
        Ok(target) => {
            let period = form.period.trim();
            state
                .services
                .set_plan_target(&ctx, id, period, target)
                .await
        }
        Err(error) => Err(ServiceError::Invalid(FieldErrors(vec![error]))),
    };
    let errors = match result {
        Ok(()) => return Ok(saved(id, ANCHOR)),
        Err(ServiceError::Invalid(errors)) => errors,
        Err(e) => return Err(e.into()),
    };
    let d = state.services.project(&ctx, id).await?;
    let page = page_for(&state, lang, &user, &format!("/projects/{id}"));
    let mut part = PlanPart::new(Frame::new(&page, &user, id), &d.plan);
    part.form = form;
    part.errors = FieldMessages::new(lang.tr(), &errors);
    part.open = true;
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    refused(&headers, status, page, &d.row.name, id, part)
}
