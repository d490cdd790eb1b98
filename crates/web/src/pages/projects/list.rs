//! `/projects`: the ledger. The filters live in the URL (a filtered view can be bookmarked),
//! the column headers sort, 50 rows a page, and a totals row sums the whole filtered set.
//! With `as_of=YYYY-MM-DD` the same view shows the ledger as it stood at the end of that day,
//! read-only under a banner.

use super::filters::FilterForm;
use super::history::History;
use super::{best, colour_class, colour_key, kind_key, mu, stage_key, wan};
use crate::api::projects::list::ListParams;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::pages::Page;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{RawQuery, State};
use districtops_domain::access::Permission;
use districtops_service::ServiceError;
use districtops_store::ProjectListPage;

/// Rows per page.
pub const PER_PAGE: i64 = 50;

/// One row of the ledger as shown.
pub struct RowView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub stage: String,
    pub kind: String,
    pub leader: String,
    pub total_wan: String,
    pub completed_wan: String,
    pub floor_area: String,
    pub land_area: String,
    pub colour: String,
    pub colour_class: &'static str,
    pub illustrative: bool,
}

/// A sortable column header.
pub struct Header {
    pub label: &'static str,
    pub href: String,
    /// `ascending`, `descending` or `none`, for `aria-sort`.
    pub aria: &'static str,
    pub numeric: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "projects/list.html")]
pub struct ListPage {
    page: Page,
    params: ListParams,
    filters: FilterForm,
    /// `/projects/map` with the same filters.
    map_href: String,
    /// `/projects/chart` with the same filters.
    chart_href: String,
    /// The day of a historical (read-only) view.
    history: Option<History>,
    headers: Vec<Header>,
    rows: Vec<RowView>,
    summary: String,
    totals: [String; 4],
    prev_href: Option<String>,
    next_href: Option<String>,
    can_write: bool,
    /// `/projects/export.xlsx` with the same filters.
    export_href: String,
}

const COLUMNS: [(&str, &str, bool); 9] = [
    ("code", "project.ledger.field.code", false),
    ("name", "project.ledger.field.name", false),
    ("stage", "project.ledger.field.stage", false),
    ("kind", "project.ledger.field.kind", false),
    ("total_investment", "project.ledger.col.total_wan", true),
    (
        "completed_investment",
        "project.ledger.col.completed_wan",
        true,
    ),
    ("floor_area", "project.ledger.col.floor_area", true),
    ("land_area", "project.ledger.col.land_area", true),
    ("status", "project.ledger.field.status", false),
];

/// The query string of `params` with `page`, `sort` and `order` replaced.
fn href(params: &ListParams, page: Option<i64>, sort: Option<(&str, &str)>) -> String {
    let mut p = params.clone();
    p.page = page.map(|n| n.to_string()).unwrap_or_default();
    if let Some((sort, order)) = sort {
        p.sort = sort.to_owned();
        p.order = order.to_owned();
    }
    p.per_page = String::new();
    let pairs: Vec<(String, String)> = serde_urlencoded::to_string(&p)
        .ok()
        .and_then(|q| serde_urlencoded::from_str(&q).ok())
        .unwrap_or_default();
    let kept: Vec<(String, String)> = pairs.into_iter().filter(|(_, v)| !v.is_empty()).collect();
    format!(
        "/projects?{}",
        serde_urlencoded::to_string(kept).unwrap_or_default()
    )
}

pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    RawQuery(query): RawQuery,
) -> AppResult<ListPage> {
    let params = ListParams::from_query(query.as_deref()).unwrap_or_default();
    let (mut q, mut errors) = params.to_query(PER_PAGE);
    q.per_page = PER_PAGE;
    let as_of = params.as_of(&mut errors);
    let ctx = user.ctx();
    let tr = lang.tr();
    let mut history = None;
    // Only the columns the page shows are read; a historical view decodes whole snapshots.
    let data = match as_of {
        Some(day) => match state.services.list_projects_as_of(&ctx, &q, day).await {
            Ok(data) => {
                history = Some(History::new(tr, day));
                ProjectListPage::from(&data)
            }
            // A day ahead: said beside the filters, today's ledger shown.
            Err(ServiceError::Invalid(refused)) => {
                errors.0.extend(refused.0);
                state.services.list_projects_brief(&ctx, &q).await?
            }
            Err(e) => return Err(e.into()),
        },
        None => state.services.list_projects_brief(&ctx, &q).await?,
    };
    let filters = FilterForm::load(&state, &ctx, &params, &errors, "/projects").await?;
    let t = &data.totals;
    let pages = ((t.count + PER_PAGE - 1) / PER_PAGE).max(1);
    let current_sort = q.sort.as_str();
    let headers = COLUMNS
        .iter()
        .map(|(code, label, numeric)| {
            let active = current_sort == *code;
            let next_order = if active && !q.descending {
                "desc"
            } else {
                "asc"
            };
            Header {
                label,
                href: href(&params, None, Some((code, next_order))),
                aria: match (active, q.descending) {
                    (false, _) => "none",
                    (true, false) => "ascending",
                    (true, true) => "descending",
                },
                numeric: *numeric,
            }
        })
        .collect();
    Ok(ListPage {
        page: Page::new(&state, lang, &user, "projects", "/projects"),
        filters,
        map_href: super::map::href(&params),
        chart_href: super::chart::href(&params),
        headers,
        rows: data
            .rows
            .into_iter()
            .map(|r| RowView {
                id: r.id,
                stage: tr.t(stage_key(&r.stage)).to_owned(),
                kind: tr.t(kind_key(&r.kind)).to_owned(),
                code: r.code.unwrap_or_default(),
                name: r.name,
                leader: r.leader_name.unwrap_or_default(),
                total_wan: wan(r.total_investment),
                completed_wan: wan(r.completed_investment),
                floor_area: r.floor_area_m2.map(|a| a.to_string()).unwrap_or_default(),
                land_area: r.land_area_mu_x100.map(mu).unwrap_or_default(),
                colour: tr.t(colour_key(&r.status_colour)).to_owned(),
                colour_class: colour_class(&r.status_colour),
                illustrative: r.illustrative,
            })
            .collect(),
        summary: tr.f(
            "project.ledger.summary",
            &[
                ("total", &t.count),
                ("page", &q.page.min(pages)),
                ("pages", &pages),
            ],
        ),
        totals: [
            best(t.total_investment),
            best(t.completed_investment),
            t.floor_area_m2.to_string(),
            mu(t.land_area_mu_x100),
        ],
        prev_href: (q.page > 1).then(|| href(&params, Some((q.page - 1).min(pages)), None)),
        next_href: (q.page < pages).then(|| href(&params, Some(q.page + 1), None)),
        can_write: history.is_none() && user.actor.access.has(Permission::WriteBusiness),
        history,
        export_href: format!("/projects/export.xlsx?{}", query.as_deref().unwrap_or("")),
        params,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_the_filters() {
        let params = ListParams::from_query(Some("stage=signed&q=%E5%8C%BB&page=4")).unwrap();
        assert_eq!(
            href(&params, Some(2), None),
            "/projects?stage=signed&q=%E5%8C%BB&page=2"
        );
        assert_eq!(
            href(&params, None, Some(("name", "desc"))),
            "/projects?stage=signed&q=%E5%8C%BB&sort=name&order=desc"
        );
    }
}
