//! `POST /api/v1/projects/{id}/stage`: a dated change of stage. Forward at any time (also
//! over stages), backwards only with `correction`.

use super::ProjectJson;
use super::one::project_id;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::Json;
use crate::state::AppState;
use axum::extract::{Path, State};
use chrono::NaiveDate;
use districtops_domain::projects::Stage;
use districtops_domain::validation::{FieldError, FieldErrors};
use districtops_service::ServiceError;
use serde::Deserialize;
use utoipa::ToSchema;

/// A change of stage.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageChangeBody {
    /// `pipeline`, `signed`, `under_construction`, `structure_done`, `completed` or
    /// `in_operation`.
    #[schema(example = "under_construction")]
    pub to: String,
    /// The day it happened (today when absent); never in the future, never before the
    /// previous change.
    pub on: Option<NaiveDate>,
    /// A backward change that corrects a mistaken entry.
    #[serde(default)]
    pub correction: bool,
    /// The project's version the change was made from.
    pub version: Option<i64>,
}

/// The service names the fields as the project form does; the API's body says `to` and `on`.
fn renamed(errors: FieldErrors) -> FieldErrors {
    FieldErrors(
        errors
            .0
            .into_iter()
            .map(|e| match e.field {
                "stage" => FieldError { field: "to", ..e },
                "on_date" => FieldError { field: "on", ..e },
                _ => e,
            })
            .collect(),
    )
}

/// Changes the stage of a project on a date; the change is kept in its stage history.
#[utoipa::path(
    post,
    path = "/api/v1/projects/{id}/stage",
    tag = "projects",
    params(("id" = i64, Path, description = "Project id")),
    request_body = StageChangeBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed", body = ProjectJson),
        (status = 401, description = "Not signed in"),
        (status = 404, description = "No such project, or outside the caller's scope"),
        (status = 409, description = "Someone changed the project since `version`"),
        (status = 422, description = "Field errors (also a backward change without `correction`)"),
    )
)]
pub async fn change(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Json(body): Json<StageChangeBody>,
) -> AppResult<axum::Json<ProjectJson>> {
    let id = project_id(&id)?;
    let to = Stage::parse(&body.to).map_err(|e| FieldError { field: "to", ..e });
    let version = body
        .version
        .ok_or(FieldError::new("version", "validation.required"));
    let (to, version) = match (to, version) {
        (Ok(to), Ok(version)) => (to, version),
        (to, version) => {
            let errors = [to.err(), version.err()].into_iter().flatten().collect();
            return Err(ServiceError::Invalid(FieldErrors(errors)).into());
        }
    };
    let row = state
        .services
        .change_project_stage(&user.ctx(), id, version, to, body.on, body.correction)
        .await
        .map_err(|e| match e {
            ServiceError::Invalid(errors) => ServiceError::Invalid(renamed(errors)),
            other => other,
        })?;
    Ok(axum::Json(ProjectJson::from(&row)))
}
