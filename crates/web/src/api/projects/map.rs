//! `GET /api/v1/projects/map`: the battle map's data — the ledger's filters, the projects that
//! have coordinates as points, and the count and investment of every match by colour
//! (projects without coordinates are counted, not drawn). The map page uses the same shapes.

use super::list::{ListParams, ProjectFilters};
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::state::AppState;
use axum::Json;
use axum::extract::{RawQuery, State};
use districtops_service::projects::map::MAX_MAP_POINTS;
use districtops_store::ProjectPoints;
use serde::Serialize;
use utoipa::ToSchema;

/// The map's filters are the ledger's [`ProjectFilters`], without sort and paging (sort and
/// paging parameters in the query are ignored).
impl From<ProjectFilters> for ListParams {
    fn from(filters: ProjectFilters) -> Self {
        ListParams {
            filters,
            ..ListParams::default()
        }
    }
}

/// One project on the map. Coordinates are in the map's system (GCJ-02).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MapPoint {
    pub id: i64,
    pub name: String,
    /// Stage code.
    pub stage: String,
    /// `green`, `yellow` or `red`.
    pub colour: String,
    pub lng: f64,
    pub lat: f64,
    /// Whole 元.
    pub total_investment_yuan: i64,
    /// Whole 元.
    pub completed_investment_yuan: i64,
}

/// The matching projects of one colour.
#[derive(Clone, Debug, Default, Serialize, ToSchema)]
pub struct ColourTotalsJson {
    /// `green`, `yellow` or `red`.
    pub colour: String,
    pub count: i64,
    /// How many of them have coordinates (are drawn).
    pub located: i64,
    pub total_investment_yuan: i64,
    pub completed_investment_yuan: i64,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ProjectMap {
    /// The projects drawn (with coordinates), by id, at most `cap`.
    pub points: Vec<MapPoint>,
    /// Every project the filters match, with or without coordinates.
    pub total: i64,
    /// How many of them have coordinates.
    pub located: i64,
    pub total_investment_yuan: i64,
    pub completed_investment_yuan: i64,
    /// By colour, red first.
    pub by_colour: Vec<ColourTotalsJson>,
    /// The most points drawn.
    pub cap: i64,
    /// More projects have coordinates than `cap`.
    pub truncated: bool,
}

/// Colours in the order the map lists them.
const ORDER: [&str; 3] = ["red", "yellow", "green"];

impl From<&ProjectPoints> for ProjectMap {
    fn from(data: &ProjectPoints) -> Self {
        let mut by_colour: Vec<ColourTotalsJson> = data
            .by_colour
            .iter()
            .map(|c| ColourTotalsJson {
                colour: c.status_colour.clone(),
                count: c.count,
                located: c.located,
                total_investment_yuan: c.total_investment,
                completed_investment_yuan: c.completed_investment,
            })
            .collect();
        by_colour.sort_by_key(|c| ORDER.iter().position(|o| *o == c.colour).unwrap_or(9));
        let sum = |f: fn(&ColourTotalsJson) -> i64| by_colour.iter().map(f).sum::<i64>();
        let located = sum(|c| c.located);
        Self {
            points: data
                .points
                .iter()
                .map(|p| MapPoint {
                    id: p.id,
                    name: p.name.clone(),
                    stage: p.stage.clone(),
                    colour: p.status_colour.clone(),
                    lng: p.longitude,
                    lat: p.latitude,
                    total_investment_yuan: p.total_investment,
                    completed_investment_yuan: p.completed_investment,
                })
                .collect(),
            total: sum(|c| c.count),
            located,
            total_investment_yuan: sum(|c| c.total_investment_yuan),
            completed_investment_yuan: sum(|c| c.completed_investment_yuan),
            cap: MAX_MAP_POINTS,
            truncated: located > data.points.len() as i64,
            by_colour,
        }
    }
}

/// The battle map's points and totals inside the caller's data scope.
#[utoipa::path(
    get,
    path = "/api/v1/projects/map",
    tag = "projects",
    params(ProjectFilters),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The projects with coordinates and the totals by colour", body = ProjectMap),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "The caller's roles do not read business data"),
        (status = 422, description = "A parameter does not parse"),
    )
)]
pub async fn map(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(query): RawQuery,
) -> AppResult<Json<ProjectMap>> {
    let params: ListParams = ProjectFilters::from_query(query.as_deref())?.into();
    let (query, errors) = params.to_query(50);
    if !errors.is_empty() {
        return Err(districtops_service::ServiceError::Invalid(errors).into());
    }
    let data = state.services.project_map(&user.ctx(), &query).await?;
    Ok(Json(ProjectMap::from(&data)))
}
