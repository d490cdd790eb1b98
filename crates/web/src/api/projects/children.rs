//! `POST /api/v1/projects/{id}/progress` and `/milestones`.

use super::one::project_id;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::Json;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use districtops_domain::money::Money;
use districtops_service::projects::progress::{MilestoneInput, ProgressInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The progress report of one month (replaces an earlier report of the same month).
#[derive(Deserialize, ToSchema)]
pub struct ProgressBody {
    /// `YYYY-MM`.
    #[schema(example = "2026-10")]
    pub period: String,
    /// Investment completed in the month, whole 元.
    pub invested_in_period_yuan: i64,
    /// Progress in percent, 0–100.
    pub percent: i64,
    pub narrative: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct MilestoneBody {
    pub name: String,
    pub planned: Option<NaiveDate>,
    pub actual: Option<NaiveDate>,
    pub owner_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// Records the progress report of a month; the project's completed investment moves by it.
#[utoipa::path(
    post,
    path = "/api/v1/projects/{id}/progress",
    tag = "projects",
    params(("id" = i64, Path, description = "Project id")),
    request_body = ProgressBody,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Recorded"),
        (status = 401, description = "Not signed in"),
        (status = 404, description = "No such project, or outside the caller's scope"),
        (status = 422, description = "Field errors"),
    )
)]
pub async fn progress(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(body): Json<ProgressBody>,
) -> AppResult<StatusCode> {
    let id = project_id(&id)?;
    let input = ProgressInput {
        period: body.period,
        invested_in_period: Money::from_yuan(body.invested_in_period_yuan),
        percent: body.percent,
        narrative: body.narrative,
    };
    state
        .services
        .report_progress(&user.ctx(), id, &input)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Adds a milestone.
#[utoipa::path(
    post,
    path = "/api/v1/projects/{id}/milestones",
    tag = "projects",
    params(("id" = i64, Path, description = "Project id")),
    request_body = MilestoneBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Added", body = Created),
        (status = 401, description = "Not signed in"),
        (status = 404, description = "No such project, or outside the caller's scope"),
        (status = 422, description = "Field errors"),
    )
)]
pub async fn add_milestone(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(body): Json<MilestoneBody>,
) -> AppResult<(StatusCode, axum::Json<Created>)> {
    let id = project_id(&id)?;
    let input = MilestoneInput {
        name: body.name,
        planned: body.planned,
        actual: body.actual,
        owner_name: body.owner_name,
    };
    let milestone = state
        .services
        .add_milestone(&user.ctx(), id, &input)
        .await?;
    Ok((StatusCode::CREATED, axum::Json(Created { id: milestone })))
}
