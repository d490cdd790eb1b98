//! `/projects/{id}`: one project — facts, key dates planned vs actual, milestones, progress
//! reports, stage history, and the status light with its reasons in words. With
//! `?as_of=YYYY-MM-DD`, the project as the ledger said at the end of that day, read-only.

use super::history::{AsOfParam, History, refused};
use super::keep::Frame;
use super::milestones::MilestonesPart;
use super::plan::PlanPart;
use super::progress::ProgressPart;
use super::stage::StagePart;
use super::status::StatusPanel;
use super::{best, colour_class, colour_key, kind_key, mu, parse_id, stage_key};
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::i18n::{Lang, Tr};
use crate::pages::Page;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
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
    milestones: MilestonesPart,
    progress: ProgressPart,
    plan: PlanPart,
    stage_part: StagePart,
    can_write: bool,
    /// The day of a historical (read-only) view.
    history: Option<History>,
    status: StatusPanel,
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
    Query(as_of): Query<AsOfParam>,
) -> AppResult<DetailPage> {
    let id = parse_id(&id)?;
    let tr = lang.tr();
    let (d, history) = match as_of.day()? {
        Some(day) => (
            state
                .services
                .project_as_of(&user.ctx(), id, day)
                .await
                .map_err(refused)?,
            Some(History::new(tr, day)),
        ),
        None => (state.services.project(&user.ctx(), id).await?, None),
    };
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
    let page = Page::new(&state, lang, &user, "projects", &format!("/projects/{id}"));
    let mut status = StatusPanel::load(&state, tr, &user, id).await?;
    status.can_write &= history.is_none();
    // A colour set by hand is what the ledger shows today (not in a historical view).
    let shown = match (&history, status.manual) {
        (None, Some(manual)) => manual,
        _ => d.status.colour,
    };
    let mut frame = Frame::new(&page, &user, id);
    frame.can_write &= history.is_none();
    Ok(DetailPage {
        page,
        kind: tr.t(kind_key(&r.kind)).to_owned(),
        stage: tr.t(stage_key(&r.stage)).to_owned(),
        colour: tr.t(colour_key(shown.as_str())).to_owned(),
        colour_class: colour_class(shown.as_str()),
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
        milestones: MilestonesPart::new(frame.clone(), &d.milestones),
        progress: ProgressPart::new(frame.clone(), &d.progress),
        plan: PlanPart::new(frame.clone(), &d.plan),
        stage_part: StagePart::new(frame, &d),
        can_write: history.is_none() && user.actor.access.has(Permission::WriteBusiness),
        history,
        status,
        d,
    })
}
