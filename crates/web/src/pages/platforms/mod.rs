//! `/platforms`: the functional platforms (功能平台) with their projects' figures and the
//! district's own targets of the year; `/platforms/{id}`: one platform's positioning,
//! planned area, roadmap as a timeline, one year's targets against their actuals, and a link
//! to its projects in the ledger. The forms to add and change phases ([`phases`]) and
//! targets ([`kpis`]) share [`forms`]; the service decides who may.

mod forms;
mod kpis;
mod phases;
#[cfg(test)]
mod tests;

use super::Page;
use super::projects::best;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::routing::{get, post};
use chrono::Datelike;
use districtops_domain::projects::PhaseTarget;
use districtops_service::projects::goals::KpiProgress;
use districtops_store::{PhaseRow, PlatformRow, ProjectTotals};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/platforms", get(list))
        .route("/platforms/{id}", get(show))
        .route("/platforms/{id}/phases", post(phases::create))
        .route("/platforms/{id}/phases/new", get(phases::new))
        .route(
            "/platforms/{id}/phases/{phase}",
            get(phases::edit).post(phases::update),
        )
        .route(
            "/platforms/{id}/phases/{phase}/delete",
            post(phases::delete),
        )
        .route("/kpis", post(kpis::create))
        .route("/kpis/new", get(kpis::new))
        .route("/kpis/{id}", get(kpis::edit).post(kpis::update))
        .route("/kpis/{id}/delete", post(kpis::delete))
}

/// A target of the year as a row: its actual and target in the metric's display unit, the
/// share reached and the bar's length (capped at 100).
pub struct KpiView {
    pub id: i64,
    pub version: i64,
    pub name: String,
    /// The platform's name, or "全区" for a target of the district.
    pub owner: String,
    pub metric: &'static str,
    pub unit: &'static str,
    pub target: String,
    pub actual: String,
    /// "80%", or "—" for a target of zero.
    pub percent: String,
    pub bar: i64,
    pub illustrative: bool,
}

impl KpiView {
    pub fn new(tr: Tr, k: &KpiProgress) -> Self {
        let unit = k.metric.unit();
        Self {
            id: k.row.id,
            version: k.row.version,
            name: k.row.name.clone(),
            owner: k
                .row
                .platform_name
                .clone()
                .unwrap_or_else(|| tr.t("goal.district_wide").to_owned()),
            metric: k.metric.label_key(),
            unit: unit.label_key(),
            target: unit.format_exact(k.row.target),
            actual: unit.format_rounded(k.actual, 2),
            percent: k
                .percent
                .map_or_else(|| "—".to_owned(), |p| format!("{p}%")),
            bar: k.percent.map_or(100, |p| p.min(100)),
            illustrative: k.row.illustrative,
        }
    }
}

/// A phase of the roadmap as the timeline shows it.
pub struct PhaseView {
    pub id: i64,
    pub ordinal: i64,
    pub title: String,
    pub due: String,
    pub goal: String,
    pub done: bool,
    pub illustrative: bool,
}

impl From<&PhaseRow> for PhaseView {
    fn from(p: &PhaseRow) -> Self {
        Self {
            id: p.id,
            ordinal: p.ordinal,
            title: p.title.clone(),
            due: PhaseTarget::from_parts(p.target_year, p.target_date).to_string(),
            goal: p.goal.clone().unwrap_or_default(),
            done: p.done,
            illustrative: p.illustrative,
        }
    }
}

/// A platform's facts and the figures of its projects the reader may see.
pub struct PlatformView {
    pub id: i64,
    pub name: String,
    pub positioning: String,
    /// "45", in km²; empty when not known.
    pub area: String,
    pub projects: i64,
    pub total: String,
    pub completed: String,
}

impl PlatformView {
    fn new(row: &PlatformRow, totals: &ProjectTotals) -> Self {
        Self {
            id: row.id,
            name: row.name.clone(),
            positioning: row.positioning.clone().unwrap_or_default(),
            area: row.planned_area_km2_x100.map(km2).unwrap_or_default(),
            projects: totals.count,
            total: best(totals.total_investment),
            completed: best(totals.completed_investment),
        }
    }
}

/// Hundredths of a km² as "45" or "4.5".
fn km2(x100: i64) -> String {
    super::projects::mu(x100)
}

/// The `year` of the query (`?year=2020`), else this year.
fn year_of(query: Option<&str>, this_year: i64) -> AppResult<i64> {
    let raw = query
        .unwrap_or_default()
        .split('&')
        .find_map(|pair| pair.strip_prefix("year="));
    match raw {
        None | Some("") => Ok(this_year),
        Some(text) => text
            .parse()
            .ok()
            .filter(|y| districtops_domain::projects::kpi::YEARS.contains(y))
            .ok_or_else(|| AppError::bad_request("goal.year_invalid")),
    }
}

fn parse_id(raw: &str) -> AppResult<i64> {
    raw.parse().map_err(|_| AppError::not_found())
}

#[derive(Template, WebTemplate)]
#[template(path = "platforms/list.html")]
pub struct ListPage {
    page: Page,
    kpi_title: String,
    platforms: Vec<PlatformView>,
    district_kpis: Vec<KpiView>,
    can_plan: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "platforms/detail.html")]
pub struct DetailPage {
    page: Page,
    platform: PlatformView,
    phases: Vec<PhaseView>,
    kpi_title: String,
    year: i64,
    this_year: i64,
    kpis: Vec<KpiView>,
    other_years: Vec<i64>,
    can_plan: bool,
}

pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
) -> AppResult<ListPage> {
    let ctx = user.ctx();
    let year = i64::from(state.services.today().year());
    let platforms = state.services.platform_overview(&ctx).await?;
    let kpis = state.services.kpi_progress(&ctx, year).await?;
    let tr = lang.tr();
    Ok(ListPage {
        page: Page::new(&state, lang, &user, "platforms", "/platforms"),
        kpi_title: tr.f("goal.kpi.district_title", &[("year", &year)]),
        platforms: platforms
            .iter()
            .map(|p| PlatformView::new(&p.row, &p.totals))
            .collect(),
        district_kpis: kpis
            .iter()
            .filter(|k| k.row.platform_id.is_none())
            .map(|k| KpiView::new(tr, k))
            .collect(),
        can_plan: state.services.may_plan(&ctx),
    })
}

pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> AppResult<DetailPage> {
    let id = parse_id(&id)?;
    let this_year = i64::from(state.services.today().year());
    let year = year_of(query.as_deref(), this_year)?;
    let d = state
        .services
        .platform_detail(&user.ctx(), id, year)
        .await?;
    let tr = lang.tr();
    Ok(DetailPage {
        page: Page::new(
            &state,
            lang,
            &user,
            "platforms",
            &format!("/platforms/{id}"),
        ),
        platform: PlatformView::new(&d.row, &d.totals),
        phases: d.phases.iter().map(PhaseView::from).collect(),
        kpis: d.kpis.iter().map(|k| KpiView::new(tr, k)).collect(),
        other_years: d.kpi_years.into_iter().filter(|y| *y != year).collect(),
        can_plan: d.can_plan,
        kpi_title: tr.f("goal.kpi.year_title", &[("year", &year)]),
        year,
        this_year,
    })
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn the_year_comes_from_the_query_or_the_clock() {
        assert_eq!(year_of(None, 2026).unwrap(), 2026);
        assert_eq!(year_of(Some("year=2020"), 2026).unwrap(), 2020);
        assert_eq!(year_of(Some("x=1&year="), 2026).unwrap(), 2026);
        assert_eq!(
            year_of(Some("year=20x0"), 2026)
                .unwrap_err()
                .status
                .as_u16(),
            400
        );
        assert_eq!(
            year_of(Some("year=99999"), 2026)
                .unwrap_err()
                .status
                .as_u16(),
            400
        );
        assert_eq!(km2(4500), "45");
    }
}
