//! `/events` (集中开工、集中签约): the events the caller may see with their computed totals,
//! and `/events/{id}`: one event's projects, each linking to its page. Totals come from the
//! service, summed over the linked projects the caller may see. [`form`]: `/events/new` and
//! `/events/{id}/edit`.

mod form;
#[cfg(test)]
mod tests;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::pages::Page;
use crate::pages::projects::{best, kind_key, stage_key};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use districtops_domain::access::Permission;
use districtops_service::events::{EventDetail, EventTotals};
use districtops_store::EventRow;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/events", get(list).post(form::create))
        .route("/events/new", get(form::new))
        .route("/events/{id}", get(show))
        .route("/events/{id}/edit", get(form::edit).post(form::update))
}

/// An event as a row of the list or the head of its page.
pub struct EventView {
    pub id: i64,
    pub kind: &'static str,
    pub name: String,
    pub held_on: String,
    pub place: String,
    pub illustrative: bool,
    pub projects: i64,
    pub total: String,
    pub completed: String,
    pub floor_area: String,
}

impl EventView {
    fn new(r: &EventRow, t: EventTotals) -> Self {
        Self {
            id: r.id,
            kind: kind_label(&r.kind),
            name: r.name.clone(),
            held_on: r.held_on.to_string(),
            place: r.place.clone().unwrap_or_default(),
            illustrative: r.illustrative,
            projects: t.projects,
            total: best(t.total_investment.yuan()),
            completed: best(t.completed_investment.yuan()),
            floor_area: t.floor_area_m2.to_string(),
        }
    }
}

/// The catalog key of an event kind.
fn kind_label(kind: &str) -> &'static str {
    match kind {
        "signing" => "event.kind.signing",
        _ => "event.kind.groundbreaking",
    }
}

pub struct ProjectLine {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub stage: String,
    pub total: String,
    pub illustrative: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "events/list.html")]
pub struct ListPage {
    page: Page,
    events: Vec<EventView>,
    can_write: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "events/detail.html")]
pub struct DetailPage {
    page: Page,
    event: EventView,
    can_write: bool,
    department: String,
    notes: String,
    projects: Vec<ProjectLine>,
}

pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
) -> AppResult<ListPage> {
    let events = state.services.list_events(&user.ctx()).await?;
    Ok(ListPage {
        page: Page::new(&state, lang, &user, "events", "/events"),
        events: events
            .iter()
            .map(|e| EventView::new(&e.row, e.totals))
            .collect(),
        can_write: user.actor.access.has(Permission::WriteBusiness),
    })
}

/// An id from the path; anything that is not one is a page that does not exist.
fn parse_id(raw: &str) -> AppResult<i64> {
    raw.parse().map_err(|_| AppError::not_found())
}

pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<DetailPage> {
    let id = parse_id(&id)?;
    let d: EventDetail = state.services.event(&user.ctx(), id).await?;
    let tr = lang.tr();
    Ok(DetailPage {
        page: Page::new(&state, lang, &user, "events", &format!("/events/{id}")),
        event: EventView::new(&d.row, d.totals),
        can_write: user.actor.access.has(Permission::WriteBusiness),
        department: d.department.clone(),
        notes: d.row.notes.clone().unwrap_or_default(),
        projects: d
            .projects
            .iter()
            .map(|p| ProjectLine {
                id: p.id,
                code: p.code.clone().unwrap_or_default(),
                name: p.name.clone(),
                kind: tr.t(kind_key(&p.kind)).to_owned(),
                stage: tr.t(stage_key(&p.stage)).to_owned(),
                total: best(p.total_investment),
                illustrative: p.illustrative,
            })
            .collect(),
    })
}
