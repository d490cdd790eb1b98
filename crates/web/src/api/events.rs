//! Events (集中开工 mass groundbreaking, 集中签约 mass signing): list, create, read. Totals
//! are computed by the service from the linked projects the caller may see.

use crate::api::projects::ProjectJson;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::forms::Json;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use districtops_domain::validation::{FieldError, FieldErrors};
use districtops_service::ServiceError;
use districtops_service::events::{EventDetail, EventKind, EventTotals, NewEventInput};
use districtops_store::EventRow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The computed sums of an event's projects that the caller may see.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct EventTotalsJson {
    pub projects: i64,
    pub total_investment_yuan: i64,
    pub completed_investment_yuan: i64,
    pub floor_area_m2: i64,
}

impl From<EventTotals> for EventTotalsJson {
    fn from(t: EventTotals) -> Self {
        Self {
            projects: t.projects,
            total_investment_yuan: t.total_investment.yuan(),
            completed_investment_yuan: t.completed_investment.yuan(),
            floor_area_m2: t.floor_area_m2,
        }
    }
}

/// An event with its computed totals.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct EventJson {
    pub id: i64,
    /// `groundbreaking` (集中开工) or `signing` (集中签约).
    pub kind: String,
    pub name: String,
    pub held_on: NaiveDate,
    pub place: Option<String>,
    pub department_id: i64,
    pub notes: Option<String>,
    pub illustrative: bool,
    pub created_at: DateTime<Utc>,
    pub version: i64,
    pub totals: EventTotalsJson,
}

impl EventJson {
    fn new(r: &EventRow, totals: EventTotals) -> Self {
        Self {
            id: r.id,
            kind: r.kind.clone(),
            name: r.name.clone(),
            held_on: r.held_on,
            place: r.place.clone(),
            department_id: r.department_id,
            notes: r.notes.clone(),
            illustrative: r.illustrative,
            created_at: r.created_at,
            version: r.version,
            totals: totals.into(),
        }
    }
}

/// An event, its department and the projects the caller may see.
#[derive(Serialize, ToSchema)]
pub struct EventDetailJson {
    pub event: EventJson,
    pub department: String,
    pub projects: Vec<ProjectJson>,
}

impl From<&EventDetail> for EventDetailJson {
    fn from(d: &EventDetail) -> Self {
        Self {
            event: EventJson::new(&d.row, d.totals),
            department: d.department.clone(),
            projects: d.projects.iter().map(ProjectJson::from).collect(),
        }
    }
}

/// A new event, or the new state of one (`PUT` replaces every field and sets its projects to
/// `project_ids`). Totals are not typed: they are computed from `project_ids`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    /// `groundbreaking` or `signing`.
    pub kind: String,
    pub name: String,
    pub held_on: NaiveDate,
    #[serde(default)]
    pub place: Option<String>,
    pub department_id: i64,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub illustrative: bool,
    #[serde(default)]
    pub project_ids: Vec<i64>,
    /// Required for an update: the version the change was made from.
    #[serde(default)]
    pub version: Option<i64>,
}

impl EventInput {
    fn to_input(&self) -> Result<NewEventInput, FieldErrors> {
        let kind = EventKind::parse(&self.kind).ok_or_else(|| {
            let mut errors = FieldErrors::default();
            errors.push(FieldError::new("kind", "event.kind_invalid"));
            errors
        })?;
        Ok(NewEventInput {
            kind,
            name: self.name.clone(),
            held_on: self.held_on,
            place: self.place.clone(),
            department_id: self.department_id,
            notes: self.notes.clone(),
            illustrative: self.illustrative,
            project_ids: self.project_ids.clone(),
        })
    }
}

/// The events the caller may see, latest first, with computed totals.
#[utoipa::path(
    get,
    path = "/api/v1/events",
    tag = "events",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The events", body = Vec<EventJson>),
        (status = 401, description = "Not signed in"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<axum::Json<Vec<EventJson>>> {
    let events = state.services.list_events(&user.ctx()).await?;
    Ok(axum::Json(
        events
            .iter()
            .map(|e| EventJson::new(&e.row, e.totals))
            .collect(),
    ))
}

/// Creates an event and links its projects.
#[utoipa::path(
    post,
    path = "/api/v1/events",
    tag = "events",
    request_body = EventInput,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = EventDetailJson),
        (status = 400, description = "Not JSON"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "The caller may not write business data"),
        (status = 404, description = "A department or project outside the caller's scope"),
        (status = 422, description = "Field errors"),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(input): Json<EventInput>,
) -> AppResult<(StatusCode, axum::Json<EventDetailJson>)> {
    let input = input.to_input().map_err(ServiceError::Invalid)?;
    let ctx = user.ctx();
    let id = state.services.create_event(&ctx, &input).await?;
    let detail = state.services.event(&ctx, id).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(EventDetailJson::from(&detail)),
    ))
}

/// One event, if the caller reaches its department.
#[utoipa::path(
    get,
    path = "/api/v1/events/{id}",
    tag = "events",
    params(("id" = i64, Path, description = "Event id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The event", body = EventDetailJson),
        (status = 401, description = "Not signed in"),
        (status = 404, description = "No such event, or outside the caller's scope"),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<axum::Json<EventDetailJson>> {
    let id: i64 = id.parse().map_err(|_| AppError::not_found())?;
    let detail = state.services.event(&user.ctx(), id).await?;
    Ok(axum::Json(EventDetailJson::from(&detail)))
}

/// Changes an event, if nobody changed it since `version`, and sets its projects. Links to
/// projects the caller cannot see are kept.
#[utoipa::path(
    put,
    path = "/api/v1/events/{id}",
    tag = "events",
    params(("id" = i64, Path, description = "Event id")),
    request_body = EventInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed", body = EventDetailJson),
        (status = 400, description = "Not JSON"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "The caller may not write business data"),
        (status = 404, description = "No such event, or it, its new department or a project is outside the caller's scope"),
        (status = 409, description = "Someone changed the event since `version`"),
        (status = 422, description = "Field errors"),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(body): Json<EventInput>,
) -> AppResult<axum::Json<EventDetailJson>> {
    let id: i64 = id.parse().map_err(|_| AppError::not_found())?;
    let version = body
        .version
        .ok_or_else(|| ServiceError::from(FieldError::new("version", "validation.required")))?;
    let input = body.to_input().map_err(ServiceError::Invalid)?;
    let ctx = user.ctx();
    state
        .services
        .update_event(&ctx, id, version, &input)
        .await?;
    let detail = state.services.event(&ctx, id).await?;
    Ok(axum::Json(EventDetailJson::from(&detail)))
}
