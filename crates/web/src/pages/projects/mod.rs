//! Pages of the key-project ledger: the list (`/projects`, also as of a past day), the battle
//! map (`/projects/map`), the battle chart (`/projects/chart`),
//! one project's page (`/projects/{id}`), and the forms to create and edit one. Every page calls one service
//! method for its data; the service checks the caller's permission and data scope.

mod chart;
#[cfg(test)]
mod chart_tests;
mod detail;
mod filters;
pub(crate) use detail::reason_text;
mod form;
mod form_page;
mod history;
mod import;
mod keep;
#[cfg(test)]
mod keep_tests;
mod list;
mod map;
mod milestones;
mod plan;
mod progress;
mod stage;
mod status;
#[cfg(test)]
mod tests;

use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use districtops_domain::money::{Money, MoneyUnit};
use districtops_domain::projects::{Colour, ProjectKind, Stage};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/projects", get(list::show).post(form_page::create))
        .route("/projects/new", get(form_page::new))
        .route("/projects/map", get(map::show))
        .route("/projects/chart", get(chart::show))
        .route("/projects/chart.xlsx", get(chart::export))
        .route("/projects/{id}", get(detail::show))
        .route(
            "/projects/{id}/edit",
            get(form_page::edit).post(form_page::update),
        )
        .route("/projects/{id}/milestones", post(milestones::add))
        .route(
            "/projects/{id}/milestones/{milestone_id}",
            post(milestones::update),
        )
        .route("/projects/{id}/progress", post(progress::report))
        .route("/projects/{id}/plan", post(plan::set))
        .route("/projects/{id}/stage", post(stage::change))
        .route("/projects/{id}/status/override", post(status::set))
        .route("/projects/{id}/status/override/clear", post(status::clear))
        .route("/projects/import", get(import::form))
        .route("/projects/export.xlsx", get(import::export))
        .merge(
            // Uploads get their own body limit (the application's default is 1 MiB).
            Router::new()
                .route("/projects/import/preview", post(import::preview))
                .route("/projects/import/apply", post(import::apply))
                .route_layer(DefaultBodyLimit::max(import::MAX_UPLOAD_BYTES)),
        )
}

/// An id from the path; anything that is not one is a page that does not exist.
fn parse_id(raw: &str) -> AppResult<i64> {
    raw.parse().map_err(|_| AppError::not_found())
}

/// An amount as the ledger shows it in a 万元 column: "1,234.5678".
pub fn wan(yuan: i64) -> String {
    Money::from_yuan(yuan).format_number(MoneyUnit::Wan)
}

/// A total: in 亿元 from 1 亿 on, else in 万元, with the unit.
pub fn best(yuan: i64) -> String {
    Money::from_yuan(yuan).display_best()
}

/// Hundredths of a 亩 as "12.5".
pub fn mu(x100: i64) -> String {
    let sign = if x100 < 0 { "-" } else { "" };
    let (whole, frac) = (x100.unsigned_abs() / 100, x100.unsigned_abs() % 100);
    match frac {
        0 => format!("{sign}{whole}"),
        f if f % 10 == 0 => format!("{sign}{whole}.{}", f / 10),
        f => format!("{sign}{whole}.{f:02}"),
    }
}

/// The catalog key of a stage code's name (an unknown code shows as itself).
pub fn stage_key(code: &str) -> &str {
    match Stage::parse(code) {
        Ok(v) => v.label_key(),
        Err(_) => code,
    }
}

pub fn kind_key(code: &str) -> &str {
    match ProjectKind::parse(code) {
        Ok(v) => v.label_key(),
        Err(_) => code,
    }
}

pub fn colour_key(code: &str) -> &str {
    match Colour::parse(code) {
        Ok(v) => v.label_key(),
        Err(_) => code,
    }
}

/// The tag class of a colour: green ok, yellow warn, red bad.
pub fn colour_class(code: &str) -> &'static str {
    match code {
        "red" => "tag-bad",
        "yellow" => "tag-warn",
        _ => "tag-ok",
    }
}

/// The catalog key of a field's label (forms and filters).
pub fn field_label(field: &str) -> &'static str {
    match field {
        "code" => "project.ledger.field.code",
        "name" => "project.ledger.field.name",
        "platform" => "project.ledger.field.platform",
        "kind" => "project.ledger.field.kind",
        "stage" => "project.ledger.field.stage",
        "department" => "project.ledger.field.department",
        "leader" => "project.ledger.field.leader",
        "status" => "project.ledger.field.status",
        "total_investment" => "project.ledger.field.total_investment",
        "completed_investment" => "project.ledger.field.completed_investment",
        "floor_area_m2" => "project.ledger.field.floor_area_m2",
        "land_area" => "project.ledger.field.land_area",
        "address" => "project.ledger.field.address",
        "longitude" => "project.ledger.field.longitude",
        "latitude" => "project.ledger.field.latitude",
        "notes" => "project.ledger.field.notes",
        "q" => "project.ledger.filter.q",
        "sort" => "project.ledger.filter.sort",
        "order" => "project.ledger.filter.sort",
        "page" => "project.ledger.filter.page",
        "per_page" => "project.ledger.filter.page",
        "version" => "project.ledger.field.version",
        "as_of" => "project.as_of.label",
        "from" | "to" => "project.chart.months",
        _ => "project.ledger.field.dates",
    }
}

/// One `<option>` of a select.
#[derive(Clone, Debug)]
pub struct Choice {
    pub value: String,
    /// Text shown: a catalog key when `translate`, else the text itself.
    pub label: String,
    pub translate: bool,
    pub selected: bool,
}

impl Choice {
    pub fn coded(value: &str, key: &str, chosen: &str) -> Self {
        Self {
            value: value.to_owned(),
            label: key.to_owned(),
            translate: true,
            selected: value == chosen,
        }
    }

    pub fn named(value: String, label: String, chosen: &str) -> Self {
        Self {
            selected: value == chosen,
            value,
            label,
            translate: false,
        }
    }
}

pub fn stage_choices(chosen: &str) -> Vec<Choice> {
    Stage::ALL
        .iter()
        .map(|s| Choice::coded(s.as_str(), s.label_key(), chosen))
        .collect()
}

pub fn kind_choices(chosen: &str) -> Vec<Choice> {
    ProjectKind::ALL
        .iter()
        .map(|k| Choice::coded(k.as_str(), k.label_key(), chosen))
        .collect()
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn numbers_show_as_the_ledger_writes_them() {
        assert_eq!(wan(12_345_678), "1,234.5678");
        assert_eq!(best(64_800_000_000), "648 亿元");
        assert_eq!(best(15_000), "1.5 万元");
        assert_eq!(mu(1250), "12.5");
        assert_eq!(mu(1205), "12.05");
        assert_eq!(mu(300), "3");
        assert_eq!(stage_key("signed"), "project.stage.signed");
        assert_eq!(colour_class("red"), "tag-bad");
    }
}
