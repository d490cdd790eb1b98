//! `PUT` and `DELETE /api/v1/projects/{id}/status-override`: the colour of a project set by
//! hand (with a required reason) and cleared, both against the project's version.
//! `GET /api/v1/projects/{id}/status-history`: the computed colour of each month with its
//! reasons, whether it was held, and the overrides set by hand.

use super::ProjectJson;
use super::one::project_id;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::Json;
use crate::i18n::{Lang, Tr};
use crate::pages::projects::reason_text;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use chrono::{DateTime, NaiveDate, Utc};
use districtops_domain::projects::{Colour, Reason};
use districtops_domain::validation::FieldError;
use districtops_service::ServiceError;
use districtops_service::projects::status::StatusHistory;
use districtops_store::StatusOverrideRow;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

/// A colour set by hand.
#[derive(Deserialize, ToSchema)]
pub struct OverrideBody {
    /// The version of the project the change was made from.
    pub version: Option<i64>,
    /// `green`, `yellow` or `red`.
    #[schema(example = "yellow")]
    pub colour: String,
    /// Why the computed colour does not apply (1–500 characters).
    #[schema(example = "延期已经区政府批准")]
    pub reason: String,
}

/// The version a clearing is made from.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionParam {
    /// The version of the project the change was made from.
    #[serde(default)]
    pub version: String,
}

fn version(raw: Option<i64>) -> Result<i64, FieldError> {
    raw.ok_or(FieldError::new("version", "validation.required"))
}

/// Sets the colour of a project by hand; the list, map and cockpit show it until cleared.
#[utoipa::path(
    put,
    path = "/api/v1/projects/{id}/status-override",
    tag = "projects",
    params(("id" = i64, Path, description = "Project id")),
    request_body = OverrideBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Set; the project at its new version", body = ProjectJson),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "The caller may not write projects"),
        (status = 404, description = "No such project, or outside the caller's scope"),
        (status = 409, description = "Someone changed the project since `version`"),
        (status = 422, description = "Field errors (a reason is required)"),
    )
)]
pub async fn set(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(body): Json<OverrideBody>,
) -> AppResult<axum::Json<ProjectJson>> {
    let id = project_id(&id)?;
    let version = version(body.version).map_err(ServiceError::from)?;
    let colour = Colour::parse(body.colour.trim()).map_err(ServiceError::from)?;
    let row = state
        .services
        .set_status_override(&user.ctx(), id, version, colour, &body.reason)
        .await?;
    Ok(axum::Json(ProjectJson::from(&row)))
}

/// Clears the colour set by hand; the computed colour applies again.
#[utoipa::path(
    delete,
    path = "/api/v1/projects/{id}/status-override",
    tag = "projects",
    params(("id" = i64, Path, description = "Project id"), VersionParam),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Cleared; the project at its new version", body = ProjectJson),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "The caller may not write projects"),
        (status = 404, description = "No such project, or outside the caller's scope"),
        (status = 409, description = "Someone changed the project since `version`"),
        (status = 422, description = "No colour is set by hand, or no version"),
    )
)]
pub async fn clear(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(params): Query<VersionParam>,
) -> AppResult<axum::Json<ProjectJson>> {
    let id = project_id(&id)?;
    let version = version(params.version.trim().parse().ok()).map_err(ServiceError::from)?;
    let row = state
        .services
        .clear_status_override(&user.ctx(), id, version)
        .await?;
    Ok(axum::Json(ProjectJson::from(&row)))
}

/// A colour set by hand, with its reason; `cleared_at` is null while it is in force.
#[derive(Serialize, ToSchema)]
pub struct OverrideJson {
    pub id: i64,
    /// `green`, `yellow` or `red`.
    pub colour: String,
    pub reason: String,
    pub set_at: DateTime<Utc>,
    pub cleared_at: Option<DateTime<Utc>>,
}

impl From<&StatusOverrideRow> for OverrideJson {
    fn from(o: &StatusOverrideRow) -> Self {
        Self {
            id: o.id,
            colour: o.colour.clone(),
            reason: o.reason.clone(),
            set_at: o.set_at,
            cleared_at: o.cleared_at,
        }
    }
}

/// The computed status of one month.
#[derive(Serialize, ToSchema)]
pub struct MonthStatusJson {
    /// `YYYY-MM`.
    #[schema(example = "2026-11")]
    pub period: String,
    /// The computed colour: `green`, `yellow` or `red`.
    pub colour: String,
    /// Each reason: `kind`, its parameters (amounts in 元) and `text`, the reason in the
    /// caller's language.
    #[schema(value_type = Vec<Object>)]
    pub reasons: Vec<Value>,
    /// Kept from green because an earlier red month's shortfall is not made up.
    pub held: bool,
    /// The day the month was last assessed on.
    pub as_of: NaiveDate,
    /// When the month's outcome was computed as it stands (the same outcome computed again
    /// on the same day leaves it).
    pub computed_at: DateTime<Utc>,
    /// The colour set by hand that was shown instead of the computed one when the month ended
    /// (now, for the month under way), if any.
    pub overridden_by: Option<OverrideJson>,
}

/// A project's status over time.
#[derive(Serialize, ToSchema)]
pub struct StatusHistoryJson {
    pub project_id: i64,
    /// The project's version (for an override).
    pub version: i64,
    /// The colour the ledger shows now: the override's, else the computed one.
    pub colour: String,
    /// The override in force, if any.
    pub current_override: Option<OverrideJson>,
    /// Newest month first.
    pub months: Vec<MonthStatusJson>,
    /// Every override, newest first, cleared ones kept.
    pub overrides: Vec<OverrideJson>,
}

/// A reason as JSON: its fields and its text.
fn reason_json(tr: Tr, reason: &Reason) -> Value {
    let mut value = serde_json::to_value(reason).unwrap_or(Value::Null);
    if let Value::Object(fields) = &mut value {
        fields.insert("text".into(), Value::String(reason_text(tr, reason)));
    }
    value
}

impl StatusHistoryJson {
    fn new(tr: Tr, history: &StatusHistory) -> Self {
        let status = &history.status;
        Self {
            project_id: status.project_id,
            version: status.version,
            colour: status.colour.as_str().to_owned(),
            current_override: status.current_override.as_ref().map(OverrideJson::from),
            months: status
                .history
                .iter()
                .map(|m| MonthStatusJson {
                    period: m.period.clone(),
                    colour: m.colour.as_str().to_owned(),
                    reasons: m.reasons.iter().map(|r| reason_json(tr, r)).collect(),
                    held: m.held,
                    as_of: m.as_of,
                    computed_at: m.computed_at,
                    overridden_by: history.month_override(&m.period).map(OverrideJson::from),
                })
                .collect(),
            overrides: history.overrides.iter().map(OverrideJson::from).collect(),
        }
    }
}

/// The status of a project month by month, with the overrides set by hand.
#[utoipa::path(
    get,
    path = "/api/v1/projects/{id}/status-history",
    tag = "projects",
    params(("id" = i64, Path, description = "Project id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The months, newest first, and the overrides", body = StatusHistoryJson),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "The caller may not read business data"),
        (status = 404, description = "No such project, or outside the caller's scope"),
    )
)]
pub async fn history(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<axum::Json<StatusHistoryJson>> {
    let id = project_id(&id)?;
    let history = state.services.status_history(&user.ctx(), id).await?;
    Ok(axum::Json(StatusHistoryJson::new(lang.tr(), &history)))
}
