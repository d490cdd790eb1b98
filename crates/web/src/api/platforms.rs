//! Functional platforms (功能平台): the list with the figures of their projects, and one
//! platform with its roadmap and one year's targets against their actuals. Money is an
//! integer count of 元 in fields named `…_yuan`; a target's `target` and `actual` are in its
//! metric's base unit (`base_unit`: `yuan`, `m2` or `count`).

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use chrono::{Datelike, NaiveDate};
use districtops_domain::projects::KpiUnit;
use districtops_service::projects::goals::{KpiProgress, PlatformDetail, PlatformSummary};
use districtops_store::{PhaseRow, PlatformRow, ProjectTotals};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A platform and the count and sums of its projects the caller may see.
#[derive(Serialize, ToSchema)]
pub struct PlatformJson {
    pub id: i64,
    pub name: String,
    pub positioning: Option<String>,
    /// Planned area in hundredths of a km² (45 km² is 4500).
    pub planned_area_km2_x100: Option<i64>,
    pub projects: i64,
    pub total_investment_yuan: i64,
    pub completed_investment_yuan: i64,
    pub floor_area_m2: i64,
    pub version: i64,
}

impl PlatformJson {
    fn new(row: &PlatformRow, totals: &ProjectTotals) -> Self {
        Self {
            id: row.id,
            name: row.name.clone(),
            positioning: row.positioning.clone(),
            planned_area_km2_x100: row.planned_area_km2_x100,
            projects: totals.count,
            total_investment_yuan: totals.total_investment,
            completed_investment_yuan: totals.completed_investment,
            floor_area_m2: totals.floor_area_m2,
            version: row.version,
        }
    }
}

/// A phase of a platform's roadmap, due in a year or, when `target_date` is set, on a day.
#[derive(Serialize, ToSchema)]
pub struct PhaseJson {
    pub id: i64,
    pub ordinal: i64,
    pub title: String,
    pub target_year: i64,
    pub target_date: Option<NaiveDate>,
    pub goal: Option<String>,
    pub done: bool,
    pub illustrative: bool,
    pub version: i64,
}

impl From<&PhaseRow> for PhaseJson {
    fn from(p: &PhaseRow) -> Self {
        Self {
            id: p.id,
            ordinal: p.ordinal,
            title: p.title.clone(),
            target_year: p.target_year,
            target_date: p.target_date,
            goal: p.goal.clone(),
            done: p.done,
            illustrative: p.illustrative,
            version: p.version,
        }
    }
}

/// An annual target against its actual, computed over the projects the caller may see.
#[derive(Serialize, ToSchema)]
pub struct KpiJson {
    pub id: i64,
    /// `null`: a target of the whole district.
    pub platform_id: Option<i64>,
    pub platform: Option<String>,
    pub year: i64,
    pub name: String,
    /// How the actual is computed: `completed_investment`, `signed_investment`,
    /// `projects_signed`, `projects_started`, `projects_completed`, `floor_area_started`,
    /// `projects_total`.
    pub metric: String,
    /// The unit the values are shown in: `yi` (亿元), `wan_m2` (万平方米), `count` (个).
    pub unit: String,
    /// The unit of `target` and `actual`: `yuan`, `m2` or `count`.
    pub base_unit: String,
    pub target: i64,
    pub actual: i64,
    /// Whole percent of the target reached (rounded down); `null` for a target of zero.
    pub percent: Option<i64>,
    pub notes: Option<String>,
    pub illustrative: bool,
    pub version: i64,
}

impl From<&KpiProgress> for KpiJson {
    fn from(k: &KpiProgress) -> Self {
        let unit = k.metric.unit();
        let base_unit = match unit {
            KpiUnit::Yi => "yuan",
            KpiUnit::WanM2 => "m2",
            KpiUnit::Count => "count",
        };
        Self {
            id: k.row.id,
            platform_id: k.row.platform_id,
            platform: k.row.platform_name.clone(),
            year: k.row.year,
            name: k.row.name.clone(),
            metric: k.metric.as_str().to_owned(),
            unit: unit.as_str().to_owned(),
            base_unit: base_unit.to_owned(),
            target: k.row.target,
            actual: k.actual,
            percent: k.percent,
            notes: k.row.notes.clone(),
            illustrative: k.row.illustrative,
            version: k.row.version,
        }
    }
}

/// A platform with its roadmap and the targets of `year`.
#[derive(Serialize, ToSchema)]
pub struct PlatformDetailJson {
    pub platform: PlatformJson,
    /// By ordinal.
    pub roadmap: Vec<PhaseJson>,
    pub year: i64,
    pub kpis: Vec<KpiJson>,
    /// The years the platform has targets for, latest first.
    pub kpi_years: Vec<i64>,
}

impl From<&PlatformDetail> for PlatformDetailJson {
    fn from(d: &PlatformDetail) -> Self {
        Self {
            platform: PlatformJson::new(&d.row, &d.totals),
            roadmap: d.phases.iter().map(PhaseJson::from).collect(),
            year: d.year,
            kpis: d.kpis.iter().map(KpiJson::from).collect(),
            kpi_years: d.kpi_years.clone(),
        }
    }
}

/// Which year's targets (default: this year).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    pub year: Option<i64>,
}

/// Every platform with the figures of its projects inside the caller's data scope.
#[utoipa::path(
    get,
    path = "/api/v1/platforms",
    tag = "platforms",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The platforms", body = Vec<PlatformJson>),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "The caller may not read business data"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<axum::Json<Vec<PlatformJson>>> {
    let platforms: Vec<PlatformSummary> = state.services.platform_overview(&user.ctx()).await?;
    Ok(axum::Json(
        platforms
            .iter()
            .map(|p| PlatformJson::new(&p.row, &p.totals))
            .collect(),
    ))
}

/// One platform, its roadmap, and the targets of a year against their actuals.
#[utoipa::path(
    get,
    path = "/api/v1/platforms/{id}",
    tag = "platforms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The platform's id"), YearQuery),
    responses(
        (status = 200, description = "The platform", body = PlatformDetailJson),
        (status = 400, description = "The year is not a year"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "The caller may not read business data"),
        (status = 404, description = "No such platform"),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    query: Result<Query<YearQuery>, axum::extract::rejection::QueryRejection>,
) -> AppResult<axum::Json<PlatformDetailJson>> {
    let id: i64 = id.parse().map_err(|_| AppError::not_found())?;
    let Ok(Query(query)) = query else {
        return Err(AppError::bad_request("goal.year_invalid"));
    };
    let year = match query.year {
        None => i64::from(state.services.today().year()),
        Some(year) if districtops_domain::projects::kpi::YEARS.contains(&year) => year,
        Some(_) => return Err(AppError::bad_request("goal.year_invalid")),
    };
    let detail = state
        .services
        .platform_detail(&user.ctx(), id, year)
        .await?;
    Ok(axum::Json(PlatformDetailJson::from(&detail)))
}
