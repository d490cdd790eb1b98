//! `/projects/map`: the battle map (挂图作战). The ledger's filters (kept in the URL), the
//! district's outline drawn by ECharts from `/static/map.js`, the matching projects as points
//! coloured by status, and the totals of the matching set beside the map. The points travel in
//! a `data-` attribute, so the page needs no further request and works offline.

use super::filters::FilterForm;
use super::{best, colour_class, colour_key};
use crate::api::projects::list::ListParams;
use crate::api::projects::map::ProjectMap;
use crate::assets::{CITY_PATH, DISTRICT_PATH};
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::pages::Page;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{RawQuery, State};
use districtops_domain::projects::Stage;
use std::collections::BTreeMap;

/// The totals of one colour as shown.
pub struct ColourRow {
    pub colour: String,
    pub label: String,
    pub class: &'static str,
    pub count: i64,
    pub located: i64,
    pub total: String,
    pub completed: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "projects/map.html")]
pub struct MapPage {
    page: Page,
    params: ListParams,
    filters: FilterForm,
    /// `/projects` with the same filters.
    list_href: String,
    /// `/projects/chart` with the same filters.
    chart_href: String,
    /// The points, JSON (see [`ProjectMap`]).
    points_json: String,
    /// Stage code → its name, JSON.
    stages_json: String,
    district_url: &'static str,
    /// Jinan's districts, drawn faintly around the built-in district (none with a configured
    /// outline of another district).
    city_url: &'static str,
    total: i64,
    located: i64,
    unlocated: i64,
    total_investment: String,
    completed_investment: String,
    by_colour: Vec<ColourRow>,
    truncated: Option<String>,
}

/// The filters of `params` as a query string (empty ones left out), after `path`.
pub(super) fn with_filters(path: &str, params: &ListParams) -> String {
    let pairs: Vec<(String, String)> = serde_urlencoded::to_string(&params.filters)
        .ok()
        .and_then(|q| serde_urlencoded::from_str(&q).ok())
        .unwrap_or_default();
    let kept: Vec<(String, String)> = pairs
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
    if kept.is_empty() {
        path.to_owned()
    } else {
        format!(
            "{path}?{}",
            serde_urlencoded::to_string(kept).unwrap_or_default()
        )
    }
}

/// The battle map with the same filters as a ledger view.
pub fn href(params: &ListParams) -> String {
    with_filters("/projects/map", params)
}

pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    RawQuery(query): RawQuery,
) -> AppResult<MapPage> {
    let params = ListParams::from_query(query.as_deref()).unwrap_or_default();
    let (q, errors) = params.to_query(50);
    let ctx = user.ctx();
    let data = ProjectMap::from(&state.services.project_map(&ctx, &q).await?);
    let filters = FilterForm::load(&state, &ctx, &params, &errors, "/projects/map").await?;
    let tr = lang.tr();
    let stages: BTreeMap<&str, &str> = Stage::ALL
        .iter()
        .map(|s| (s.as_str(), tr.t(s.label_key())))
        .collect();
    Ok(MapPage {
        page: Page::new(&state, lang, &user, "map", "/projects/map"),
        list_href: with_filters("/projects", &params),
        chart_href: super::chart::href(&params),
        points_json: serde_json::to_string(&data.points).unwrap_or_else(|_| "[]".into()),
        stages_json: serde_json::to_string(&stages).unwrap_or_else(|_| "{}".into()),
        district_url: DISTRICT_PATH,
        city_url: if state.config.district_geojson.is_some() {
            ""
        } else {
            CITY_PATH
        },
        total: data.total,
        located: data.located,
        unlocated: data.total - data.located,
        total_investment: best(data.total_investment_yuan),
        completed_investment: best(data.completed_investment_yuan),
        by_colour: data
            .by_colour
            .iter()
            .map(|c| ColourRow {
                colour: c.colour.clone(),
                label: tr.t(colour_key(&c.colour)).to_owned(),
                class: colour_class(&c.colour),
                count: c.count,
                located: c.located,
                total: best(c.total_investment_yuan),
                completed: best(c.completed_investment_yuan),
            })
            .collect(),
        truncated: data
            .truncated
            .then(|| tr.f("map.truncated", &[("cap", &data.cap)])),
        params,
        filters,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_only_the_filters() {
        let params =
            ListParams::from_query(Some("stage=signed&q=%E5%8C%BB&page=4&sort=name")).unwrap();
        assert_eq!(href(&params), "/projects/map?stage=signed&q=%E5%8C%BB");
        assert_eq!(
            with_filters("/projects", &ListParams::default()),
            "/projects"
        );
    }
}
