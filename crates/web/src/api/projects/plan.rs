//! `GET /api/v1/projects/{id}/plan` and `PUT /api/v1/projects/{id}/plan/{period}`: the
//! investment plan, each period's cumulative target beside what was done by its end.

use super::one::project_id;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::Json;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use districtops_domain::money::Money;
use districtops_domain::projects::PlanLine;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One period of the plan. Amounts are whole 元.
#[derive(Serialize, ToSchema)]
pub struct PlanLineJson {
    /// `YYYY-MM` (a month) or `YYYY-Qn` (a quarter).
    #[schema(example = "2026-Q2")]
    pub period: String,
    /// The cumulative investment planned by the end of the period.
    pub cumulative_target_yuan: i64,
    /// Completed by the end of the period (so far, for the current one); null for a period
    /// that has not begun.
    pub actual_cumulative_yuan: Option<i64>,
    /// `cumulative_target − actual_cumulative`, at least 0; null with no actual.
    pub gap_yuan: Option<i64>,
}

impl From<&PlanLine> for PlanLineJson {
    fn from(l: &PlanLine) -> Self {
        Self {
            period: l.period.to_string(),
            cumulative_target_yuan: l.target.yuan(),
            actual_cumulative_yuan: l.actual.map(Money::yuan),
            gap_yuan: l.gap.map(Money::yuan),
        }
    }
}

/// The cumulative target of one period.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanTargetBody {
    /// Whole 元, zero or more.
    pub cumulative_target_yuan: i64,
}

/// The investment plan of a project, in period order.
#[utoipa::path(
    get,
    path = "/api/v1/projects/{id}/plan",
    tag = "projects",
    params(("id" = i64, Path, description = "Project id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The plan", body = Vec<PlanLineJson>),
        (status = 401, description = "Not signed in"),
        (status = 404, description = "No such project, or outside the caller's scope"),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<axum::Json<Vec<PlanLineJson>>> {
    let id = project_id(&id)?;
    let plan = state.services.project_plan(&user.ctx(), id).await?;
    Ok(axum::Json(plan.iter().map(PlanLineJson::from).collect()))
}

/// Sets (or replaces) the cumulative target of one month or quarter.
#[utoipa::path(
    put,
    path = "/api/v1/projects/{id}/plan/{period}",
    tag = "projects",
    params(
        ("id" = i64, Path, description = "Project id"),
        ("period" = String, Path, description = "`YYYY-MM` or `YYYY-Qn`", example = "2026-Q2"),
    ),
    request_body = PlanTargetBody,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Set"),
        (status = 401, description = "Not signed in"),
        (status = 404, description = "No such project, or outside the caller's scope"),
        (status = 422, description = "Field errors"),
    )
)]
pub async fn set(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, period)): Path<(String, String)>,
    Json(body): Json<PlanTargetBody>,
) -> AppResult<StatusCode> {
    let id = project_id(&id)?;
    let target = Money::from_yuan(body.cumulative_target_yuan);
    state
        .services
        .set_plan_target(&user.ctx(), id, &period, target)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
