//! `GET /api/v1/cockpit`: the leaders' cockpit (领导驾驶舱) as JSON, inside the caller's
//! data scope. Money is an integer count of 元 in fields named `…_yuan`.

use crate::api::platforms::KpiJson;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::state::AppState;
use axum::extract::State;
use districtops_service::projects::Cockpit;
use serde::Serialize;
use utoipa::ToSchema;

/// Count and sums of a set of projects.
#[derive(Serialize, ToSchema)]
pub struct CockpitTotalsJson {
    pub count: i64,
    pub total_investment_yuan: i64,
    pub completed_investment_yuan: i64,
    pub floor_area_m2: i64,
}

/// How many projects are in one stage.
#[derive(Serialize, ToSchema)]
pub struct StageCountJson {
    /// `pipeline`, `signed`, `under_construction`, `structure_done`, `completed`,
    /// `in_operation`.
    pub stage: String,
    pub count: i64,
}

/// The figures of one platform (`platform_id` null: projects on no platform).
#[derive(Serialize, ToSchema)]
pub struct PlatformFiguresJson {
    pub platform_id: Option<i64>,
    pub platform: Option<String>,
    pub count: i64,
    pub total_investment_yuan: i64,
    pub completed_investment_yuan: i64,
    pub floor_area_m2: i64,
}

/// How many projects have each status colour.
#[derive(Serialize, ToSchema)]
pub struct ColourCountsJson {
    pub green: i64,
    pub yellow: i64,
    pub red: i64,
}

/// A red project and why it is red.
#[derive(Serialize, ToSchema)]
pub struct RedProjectJson {
    pub id: i64,
    pub name: String,
    pub platform: Option<String>,
    /// Each reason: `kind` and its parameters (amounts in 元).
    #[schema(value_type = Vec<Object>)]
    pub reasons: Vec<serde_json::Value>,
}

/// Investment reported in one month.
#[derive(Serialize, ToSchema)]
pub struct MonthJson {
    /// `YYYY-MM`.
    pub period: String,
    pub invested_yuan: i64,
}

/// The cockpit: totals, by stage, by platform, by colour, the red projects, by month.
#[derive(Serialize, ToSchema)]
pub struct CockpitJson {
    pub totals: CockpitTotalsJson,
    pub stages: Vec<StageCountJson>,
    pub platforms: Vec<PlatformFiguresJson>,
    pub colours: ColourCountsJson,
    pub red_projects: Vec<RedProjectJson>,
    pub months: Vec<MonthJson>,
    /// This year's targets (本年度指标) against their actuals.
    pub kpis: Vec<KpiJson>,
}

impl From<&Cockpit> for CockpitJson {
    fn from(c: &Cockpit) -> Self {
        Self {
            totals: CockpitTotalsJson {
                count: c.totals.count,
                total_investment_yuan: c.totals.total_investment,
                completed_investment_yuan: c.totals.completed_investment,
                floor_area_m2: c.totals.floor_area_m2,
            },
            stages: c
                .stages
                .iter()
                .map(|s| StageCountJson {
                    stage: s.value.clone(),
                    count: s.count,
                })
                .collect(),
            platforms: c
                .platforms
                .iter()
                .map(|p| PlatformFiguresJson {
                    platform_id: p.platform_id,
                    platform: p.platform_name.clone(),
                    count: p.count,
                    total_investment_yuan: p.total_investment,
                    completed_investment_yuan: p.completed_investment,
                    floor_area_m2: p.floor_area_m2,
                })
                .collect(),
            colours: ColourCountsJson {
                green: c.green,
                yellow: c.yellow,
                red: c.red,
            },
            red_projects: c
                .red_projects
                .iter()
                .map(|r| RedProjectJson {
                    id: r.id,
                    name: r.name.clone(),
                    platform: r.platform.clone(),
                    reasons: r
                        .reasons
                        .iter()
                        .filter_map(|reason| serde_json::to_value(reason).ok())
                        .collect(),
                })
                .collect(),
            months: c
                .months
                .iter()
                .map(|m| MonthJson {
                    period: m.period.clone(),
                    invested_yuan: m.invested,
                })
                .collect(),
            kpis: c.kpis.iter().map(KpiJson::from).collect(),
        }
    }
}

/// The cockpit of the projects inside the caller's data scope.
#[utoipa::path(
    get,
    path = "/api/v1/cockpit",
    tag = "cockpit",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The cockpit", body = CockpitJson),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "The caller may not read business data"),
    )
)]
pub async fn cockpit(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<axum::Json<CockpitJson>> {
    let cockpit = state.services.cockpit(&user.ctx()).await?;
    Ok(axum::Json(CockpitJson::from(&cockpit)))
}
