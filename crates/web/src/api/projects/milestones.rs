//! `PUT /api/v1/projects/{id}/milestones/{milestone_id}`: changes a milestone, if nobody
//! changed it since `version`.

use super::one::project_id;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::Json;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use districtops_domain::validation::FieldError;
use districtops_service::ServiceError;
use districtops_service::projects::progress::MilestoneInput;
use serde::Deserialize;
use utoipa::ToSchema;

/// The new state of a milestone (every field is replaced).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MilestoneUpdate {
    #[schema(example = "主体封顶")]
    pub name: String,
    pub planned: Option<NaiveDate>,
    pub actual: Option<NaiveDate>,
    pub owner_name: Option<String>,
    /// The milestone's version the change was made from (from `GET /api/v1/projects/{id}`).
    pub version: Option<i64>,
}

/// Changes a milestone; its version goes up by one.
#[utoipa::path(
    put,
    path = "/api/v1/projects/{id}/milestones/{milestone_id}",
    tag = "projects",
    params(
        ("id" = i64, Path, description = "Project id"),
        ("milestone_id" = i64, Path, description = "Milestone id"),
    ),
    request_body = MilestoneUpdate,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Changed"),
        (status = 401, description = "Not signed in"),
        (status = 404, description = "No such project or milestone, or outside the caller's scope"),
        (status = 409, description = "Someone changed the milestone since `version`"),
        (status = 422, description = "Field errors"),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, milestone_id)): Path<(String, String)>,
    Json(body): Json<MilestoneUpdate>,
) -> AppResult<StatusCode> {
    let id = project_id(&id)?;
    let milestone_id = project_id(&milestone_id)?;
    let version = body
        .version
        .ok_or_else(|| ServiceError::from(FieldError::new("version", "validation.required")))?;
    let input = MilestoneInput {
        name: body.name,
        planned: body.planned,
        actual: body.actual,
        owner_name: body.owner_name,
    };
    state
        .services
        .update_milestone(&user.ctx(), id, milestone_id, version, &input)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
