//! `GET`, `POST` and `PUT` of one project.

use super::{ProjectInput, ProjectJson};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::forms::Json;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use districtops_service::ServiceError;
use districtops_service::projects::ProjectDetail;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct MilestoneJson {
    pub id: i64,
    pub name: String,
    pub planned: NaiveDate,
    pub actual: Option<NaiveDate>,
    pub owner_name: Option<String>,
    pub version: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ProgressJson {
    /// `YYYY-MM`.
    pub period: String,
    pub invested_in_period_yuan: i64,
    pub percent: i64,
    pub narrative: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct StageChangeJson {
    pub from_stage: String,
    pub to_stage: String,
    pub on_date: NaiveDate,
    pub correction: bool,
}

/// The status light and why.
#[derive(Serialize, ToSchema)]
pub struct StatusJson {
    pub colour: String,
    /// Each reason: `kind` and its parameters (amounts in 元).
    #[schema(value_type = Vec<Object>)]
    pub reasons: Vec<serde_json::Value>,
}

/// A project with its platform and department names, children and status.
#[derive(Serialize, ToSchema)]
pub struct ProjectDetailJson {
    pub project: ProjectJson,
    pub platform: Option<String>,
    pub department: String,
    pub milestones: Vec<MilestoneJson>,
    pub progress: Vec<ProgressJson>,
    pub stage_changes: Vec<StageChangeJson>,
    pub status: StatusJson,
}

impl From<&ProjectDetail> for ProjectDetailJson {
    fn from(d: &ProjectDetail) -> Self {
        Self {
            project: ProjectJson::from(&d.row),
            platform: d.platform.clone(),
            department: d.department.clone(),
            milestones: d
                .milestones
                .iter()
                .map(|m| MilestoneJson {
                    id: m.id,
                    name: m.name.clone(),
                    planned: m.planned,
                    actual: m.actual,
                    owner_name: m.owner_name.clone(),
                    version: m.version,
                })
                .collect(),
            progress: d
                .progress
                .iter()
                .map(|p| ProgressJson {
                    period: p.period.clone(),
                    invested_in_period_yuan: p.invested_in_period,
                    percent: p.percent,
                    narrative: p.narrative.clone(),
                    recorded_at: p.recorded_at,
                })
                .collect(),
            stage_changes: d
                .stage_changes
                .iter()
                .map(|c| StageChangeJson {
                    from_stage: c.from_stage.clone(),
                    to_stage: c.to_stage.clone(),
                    on_date: c.on_date,
                    correction: c.correction,
                })
                .collect(),
            status: StatusJson {
                colour: d.status.colour.as_str().to_owned(),
                reasons: d
                    .status
                    .reasons
                    .iter()
                    .filter_map(|r| serde_json::to_value(r).ok())
                    .collect(),
            },
        }
    }
}

/// An id from the path; anything else names no project.
pub(crate) fn project_id(raw: &str) -> AppResult<i64> {
    raw.parse().map_err(|_| AppError::not_found())
}

/// One project, if it is inside the caller's data scope.
#[utoipa::path(
    get,
    path = "/api/v1/projects/{id}",
    tag = "projects",
    params(("id" = i64, Path, description = "Project id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The project", body = ProjectDetailJson),
        (status = 401, description = "Not signed in"),
        (status = 404, description = "No such project, or outside the caller's scope"),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<axum::Json<ProjectDetailJson>> {
    let id = project_id(&id)?;
    let detail = state.services.project(&user.ctx(), id).await?;
    Ok(axum::Json(ProjectDetailJson::from(&detail)))
}

/// Creates a project.
#[utoipa::path(
    post,
    path = "/api/v1/projects",
    tag = "projects",
    request_body = ProjectInput,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = ProjectJson),
        (status = 400, description = "Not JSON"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "The caller may not write projects of that department"),
        (status = 422, description = "Field errors"),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(input): Json<ProjectInput>,
) -> AppResult<(StatusCode, axum::Json<ProjectJson>)> {
    let draft = input.to_draft().map_err(ServiceError::Invalid)?;
    let row = state.services.create_project(&user.ctx(), &draft).await?;
    Ok((StatusCode::CREATED, axum::Json(ProjectJson::from(&row))))
}

/// Replaces a project's fields, if nobody changed it since `version`.
#[utoipa::path(
    put,
    path = "/api/v1/projects/{id}",
    tag = "projects",
    params(("id" = i64, Path, description = "Project id")),
    request_body = ProjectInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Updated", body = ProjectJson),
        (status = 401, description = "Not signed in"),
        (status = 404, description = "No such project, or outside the caller's scope"),
        (status = 409, description = "Someone changed the project since `version`"),
        (status = 422, description = "Field errors"),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(input): Json<ProjectInput>,
) -> AppResult<axum::Json<ProjectJson>> {
    let id = project_id(&id)?;
    let version = input.version().map_err(ServiceError::from)?;
    let draft = input.to_draft().map_err(ServiceError::Invalid)?;
    let row = state
        .services
        .update_project(&user.ctx(), id, version, &draft, input.correction)
        .await?;
    Ok(axum::Json(ProjectJson::from(&row)))
}
