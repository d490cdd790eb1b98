//! `/projects/chart`: the battle chart (作战图). The ledger's filters and sort (kept in the
//! URL), a range of months (`from`/`to`, `YYYY-MM`, this year by default), and one row per
//! project with its milestones' flags in the months they were planned or reached. A plain
//! table rendered on the server: it prints (A3 landscape, `static/chart.css`) and needs no
//! script. [`CHART_PER_PAGE`] projects a page; `/projects/chart.xlsx` is the same as a
//! workbook.

use super::filters::FilterForm;
use super::import::rfc5987;
use super::{colour_class, colour_key, stage_key};
use crate::api::projects::list::ListParams;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, Tr};
use crate::pages::Page;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use districtops_domain::FieldErrors;
use districtops_domain::projects::Period;
use districtops_domain::validation::FieldError;
use districtops_service::projects::chart::{CHART_PER_PAGE, ChartRange, FlagName, Mark, MarkKind};
use serde::{Deserialize, Serialize};

/// The chart's own parameters, beside the list's.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct MonthParams {
    /// First month, `YYYY-MM`.
    #[serde(default)]
    pub from: String,
    /// Last month, `YYYY-MM`.
    #[serde(default)]
    pub to: String,
}

impl MonthParams {
    /// The range asked for: this year by default, a year from `from` when only it is given.
    /// A month that does not parse, or a range backwards or over three years, adds a field
    /// error and gives this year.
    pub fn range(&self, today: NaiveDate, errors: &mut FieldErrors) -> ChartRange {
        let default = ChartRange::year_of(today);
        let month = |raw: &str, field: &'static str, errors: &mut FieldErrors| {
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            errors.check(
                Period::parse(raw)
                    .map_err(|_| FieldError::new(field, "project.chart.month_invalid")),
            )
        };
        let from = month(&self.from, "from", errors);
        let to = month(&self.to, "to", errors);
        let (first, last) = match (from, to) {
            (None, None) => return default,
            (Some(first), None) => (first, (1..12).fold(first, |m, _| m.next().unwrap_or(m))),
            (None, Some(last)) => (default.first().min(last), last),
            (Some(first), Some(last)) => (first, last),
        };
        errors
            .check(ChartRange::new(first, last))
            .unwrap_or(default)
    }
}

/// A flag as one cell shows it.
pub struct MarkView {
    pub symbol: &'static str,
    /// `planned`, `on_time`, `late` or `overdue` (the CSS class `mark-…`).
    pub kind: &'static str,
    pub name: String,
    /// "迟" or "逾期": the words that say what the colour says.
    pub suffix: &'static str,
    /// The whole story for the tooltip: "主体封顶：计划 2020-03-31，实际 2020-04-01".
    pub title: String,
}

pub struct ChartRowView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub stage: String,
    pub colour: String,
    pub colour_code: String,
    pub colour_class: &'static str,
    pub cells: Vec<Vec<MarkView>>,
}

/// A line of the legend.
pub struct LegendItem {
    pub symbol: &'static str,
    pub kind: &'static str,
    pub label: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "projects/chart.html")]
pub struct ChartPage {
    page: Page,
    params: ListParams,
    filters: FilterForm,
    /// "2026年1月", … one per column.
    months: Vec<String>,
    rows: Vec<ChartRowView>,
    summary: String,
    /// Said when the filtered set spans more than one page.
    paged_note: Option<String>,
    title: String,
    legend: Vec<LegendItem>,
    prev_href: Option<String>,
    next_href: Option<String>,
    list_href: String,
    xlsx_href: String,
}

/// `path?<filters, sort, months, page>`, empty values left out.
fn link(path: &str, params: &ListParams, range: ChartRange, page: Option<i64>) -> String {
    let mut p = params.clone();
    p.page = page.map(|n| n.to_string()).unwrap_or_default();
    p.per_page = String::new();
    p.as_of = String::new();
    let mut pairs: Vec<(String, String)> = serde_urlencoded::to_string(&p)
        .ok()
        .and_then(|q| serde_urlencoded::from_str(&q).ok())
        .unwrap_or_default();
    pairs.retain(|(_, v)| !v.trim().is_empty());
    pairs.push(("from".into(), range.first().to_string()));
    pairs.push(("to".into(), range.last().to_string()));
    format!(
        "{path}?{}",
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    )
}

/// The battle chart with the filters of a ledger view (this year's months).
pub fn href(params: &ListParams) -> String {
    super::map::with_filters("/projects/chart", params)
}

fn flag_name(tr: Tr, name: &FlagName) -> String {
    match name {
        FlagName::Moment(moment) => tr.t(moment.label_key()).to_owned(),
        FlagName::Milestone(name) => name.clone(),
    }
}

fn kind_key(kind: MarkKind) -> &'static str {
    match kind {
        MarkKind::Planned => "project.chart.kind.planned",
        MarkKind::OnTime => "project.chart.kind.on_time",
        MarkKind::Late => "project.chart.kind.late",
        MarkKind::Overdue => "project.chart.kind.overdue",
    }
}

fn mark_view(tr: Tr, mark: &Mark) -> MarkView {
    let name = flag_name(tr, &mark.name);
    let planned = mark
        .planned
        .map(|p| tr.f("project.chart.planned_on", &[("date", &p)]))
        .unwrap_or_default();
    MarkView {
        symbol: mark.kind.symbol(),
        kind: mark.kind.as_str(),
        suffix: match mark.kind {
            MarkKind::Late => tr.t("project.chart.late_short"),
            MarkKind::Overdue => tr.t("project.chart.overdue_short"),
            MarkKind::Planned | MarkKind::OnTime => "",
        },
        title: format!("{name}：{} {}{planned}", tr.t(kind_key(mark.kind)), mark.on),
        name,
    }
}

/// The list's and the chart's parameters from one query string.
fn parse(query: Option<&str>) -> (ListParams, MonthParams) {
    let params = ListParams::from_query(query).unwrap_or_default();
    let months = serde_urlencoded::from_str(query.unwrap_or("")).unwrap_or_default();
    (params, months)
}

pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    RawQuery(query): RawQuery,
) -> AppResult<ChartPage> {
    let (params, months) = parse(query.as_deref());
    let (mut q, mut errors) = params.to_query(CHART_PER_PAGE);
    q.per_page = CHART_PER_PAGE;
    let range = months.range(state.services.today(), &mut errors);
    let ctx = user.ctx();
    let chart = state.services.project_chart(&ctx, &q, range).await?;
    let mut filters = FilterForm::load(&state, &ctx, &params, &errors, "/projects/chart").await?;
    filters.months = Some((range.first().to_string(), range.last().to_string()));
    let tr = lang.tr();
    let pages = ((chart.total + CHART_PER_PAGE - 1) / CHART_PER_PAGE).max(1);
    let page_no = q.page.min(pages);
    let page = Page::new(&state, lang, &user, "map", "/projects/chart");
    Ok(ChartPage {
        months: range
            .months()
            .iter()
            .map(|m| {
                tr.f(
                    "project.chart.month",
                    &[("year", &m.year()), ("month", &m.month())],
                )
            })
            .collect(),
        rows: chart
            .rows
            .iter()
            .map(|r| ChartRowView {
                id: r.project.id,
                code: r.project.code.clone().unwrap_or_default(),
                name: r.project.name.clone(),
                stage: tr.t(stage_key(&r.project.stage)).to_owned(),
                colour: tr.t(colour_key(&r.project.status_colour)).to_owned(),
                colour_code: r.project.status_colour.clone(),
                colour_class: colour_class(&r.project.status_colour),
                cells: r
                    .cells
                    .iter()
                    .map(|cell| cell.iter().map(|m| mark_view(tr, m)).collect())
                    .collect(),
            })
            .collect(),
        summary: tr.f(
            "project.chart.summary",
            &[
                ("total", &chart.total),
                ("page", &page_no),
                ("pages", &pages),
                ("per_page", &CHART_PER_PAGE),
            ],
        ),
        paged_note: (pages > 1).then(|| tr.t("project.chart.paged").to_owned()),
        title: tr.f(
            "project.chart.print_title",
            &[
                ("district", &page.district),
                ("from", &range.first()),
                ("to", &range.last()),
                ("date", &chart.today),
            ],
        ),
        legend: MarkKind::ALL
            .into_iter()
            .map(|kind| LegendItem {
                symbol: kind.symbol(),
                kind: kind.as_str(),
                label: kind_key(kind),
            })
            .collect(),
        prev_href: (page_no > 1)
            .then(|| link("/projects/chart", &params, range, Some(page_no - 1))),
        next_href: (page_no < pages)
            .then(|| link("/projects/chart", &params, range, Some(page_no + 1))),
        list_href: super::map::with_filters("/projects", &params),
        xlsx_href: link("/projects/chart.xlsx", &params, range, None),
        page,
        params,
        filters,
    })
}

/// `/projects/chart.xlsx?<the chart's query>`: the chart as a workbook (at most
/// `MAX_XLSX_ROWS` projects; the title says when there are more).
pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(query): RawQuery,
) -> AppResult<Response> {
    let (params, months) = parse(query.as_deref());
    let (q, mut errors) = params.to_query(CHART_PER_PAGE);
    let range = months.range(state.services.today(), &mut errors);
    if let Some(error) = errors
        .0
        .iter()
        .find(|e| e.field == "from" || e.field == "to")
    {
        return Err(AppError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            error.message,
        ));
    }
    let bytes = state
        .services
        .export_project_chart(&user.ctx(), &q, range)
        .await?;
    let today = state.services.today();
    let disposition = format!(
        "attachment; filename=\"chart-{today}.xlsx\"; filename*=UTF-8''{}",
        rfc5987(&format!("重点项目作战图-{today}.xlsx"))
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn months_default_to_this_year_and_refuse_field_by_field() {
        let today = day("2026-11-29");
        let mut errors = FieldErrors::default();
        let range = MonthParams::default().range(today, &mut errors);
        assert_eq!(
            (range.first().to_string(), range.last().to_string()),
            ("2026-01".into(), "2026-12".into())
        );
        let only_from = MonthParams {
            from: "2020-03".into(),
            to: String::new(),
        };
        let range = only_from.range(today, &mut errors);
        assert_eq!(range.last().to_string(), "2021-02");
        assert!(errors.is_empty());

        let bad = MonthParams {
            from: "2020-13".into(),
            to: String::new(),
        };
        let range = bad.range(today, &mut errors);
        assert_eq!(range, ChartRange::year_of(today));
        let fields: Vec<_> = errors.0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["from"]);
        let mut errors = FieldErrors::default();
        let backwards = MonthParams {
            from: "2020-05".into(),
            to: "2020-04".into(),
        };
        backwards.range(today, &mut errors);
        assert_eq!(errors.0[0].message, "project.chart.range_backwards");
    }

    #[test]
    fn links_keep_filters_sort_and_months() {
        let params =
            ListParams::from_query(Some("stage=signed&sort=name&page=3&as_of=2020-01-01")).unwrap();
        let range = ChartRange::new(
            Period::parse("2020-01").unwrap(),
            Period::parse("2020-06").unwrap(),
        )
        .unwrap();
        assert_eq!(
            link("/projects/chart", &params, range, Some(2)),
            "/projects/chart?stage=signed&sort=name&page=2&from=2020-01&to=2020-06"
        );
        assert_eq!(href(&params), "/projects/chart?stage=signed");
    }
}
