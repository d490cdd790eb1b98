//! `PUT` and `DELETE /api/v1/projects/{id}/status-override`: the colour of a project set by
//! hand (with a required reason) and cleared, both against the project's version.

use super::ProjectJson;
use super::one::project_id;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::Json;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use districtops_domain::projects::Colour;
use districtops_domain::validation::FieldError;
use districtops_service::ServiceError;
use serde::Deserialize;
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
