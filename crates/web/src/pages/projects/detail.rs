//! `/projects/{id}`: one project — facts, key dates planned vs actual, milestones, progress
//! reports, stage history, and the status light with its reasons in words.

use super::{best, colour_class, colour_key, kind_key, mu, parse_id, stage_key, wan};
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::i18n::{Lang, Tr};
use crate::pages::Page;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use chrono::NaiveDate;
use districtops_domain::access::Permission;
use districtops_domain::projects::Reason;
use districtops_service::projects::ProjectDetail;

/// One key moment: label key, planned, actual.
pub struct DateRow {
    pub label: &'static str,
    pub planned: String,
    pub actual: String,
}

pub struct MilestoneView {
    pub name: String,
    pub planned: String,
    pub actual: String,
    pub owner: String,
}

pub struct ProgressView {
    pub period: String,
    pub invested_wan: String,
    pub percent: i64,
    pub narrative: String,
}

pub struct StageView {
    pub on: String,
    pub from: String,
    pub to: String,
    pub correction: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "projects/detail.html")]
pub struct DetailPage {
    page: Page,
    d: ProjectDetail,
    kind: String,
    stage: String,
    colour: String,
    colour_class: &'static str,
    reasons: Vec<String>,
    total: String,
    completed: String,
    land_area: String,
    dates: Vec<DateRow>,
    milestones: Vec<MilestoneView>,
    progress: Vec<ProgressView>,
    stages: Vec<StageView>,
    can_write: bool,
}

/// A reason in words: its catalog message with the parameters filled in.
pub fn reason_text(tr: Tr, reason: &Reason) -> String {
    let params = reason.params();
    let args: Vec<(&str, &dyn std::fmt::Display)> = params
        .iter()
        .map(|(name, value)| (*name, value as &dyn std::fmt::Display))
        .collect();
    tr.f(reason.key(), &args)
}

fn day(date: Option<NaiveDate>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<DetailPage> {
    let id = parse_id(&id)?;
    let d = state.services.project(&user.ctx(), id).await?;
    let tr = lang.tr();
    let r = &d.row;
    let dates = vec![
        (
            "project.ledger.moment.signing",
            r.planned_signing,
            r.actual_signing,
        ),
        (
            "project.ledger.moment.start",
            r.planned_start,
            r.actual_start,
        ),
        (
            "project.ledger.moment.structure",
            r.planned_structure,
            r.actual_structure,
        ),
        (
            "project.ledger.moment.completion",
            r.planned_completion,
            r.actual_completion,
        ),
        (
            "project.ledger.moment.operation",
            r.planned_operation,
            r.actual_operation,
        ),
    ]
    .into_iter()
    .map(|(label, planned, actual)| DateRow {
        label,
        planned: day(planned),
        actual: day(actual),
    })
    .collect();
    Ok(DetailPage {
        page: Page::new(&state, lang, &user, "projects", &format!("/projects/{id}")),
        kind: tr.t(kind_key(&r.kind)).to_owned(),
        stage: tr.t(stage_key(&r.stage)).to_owned(),
        colour: tr.t(colour_key(d.status.colour.as_str())).to_owned(),
        colour_class: colour_class(d.status.colour.as_str()),
        reasons: d
            .status
            .reasons
            .iter()
            .map(|reason| reason_text(tr, reason))
            .collect(),
        total: best(r.total_investment),
        completed: best(r.completed_investment),
        land_area: r.land_area_mu_x100.map(mu).unwrap_or_default(),
        dates,
        milestones: d
            .milestones
            .iter()
            .map(|m| MilestoneView {
                name: m.name.clone(),
                planned: m.planned.to_string(),
                actual: day(m.actual),
                owner: m.owner_name.clone().unwrap_or_default(),
            })
            .collect(),
        progress: d
            .progress
            .iter()
            .map(|p| ProgressView {
                period: p.period.clone(),
                invested_wan: wan(p.invested_in_period),
                percent: p.percent,
                narrative: p.narrative.clone().unwrap_or_default(),
            })
            .collect(),
        stages: d
            .stage_changes
            .iter()
            .map(|c| StageView {
                on: c.on_date.to_string(),
                from: tr.t(stage_key(&c.from_stage)).to_owned(),
                to: tr.t(stage_key(&c.to_stage)).to_owned(),
                correction: c.correction,
            })
            .collect(),
        can_write: user.actor.access.has(Permission::WriteBusiness),
        d,
    })
}
