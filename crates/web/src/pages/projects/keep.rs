//! What the project page's inline forms share (milestones, progress, plan, stage): the frame
//! every part renders in, amounts typed in 万元 or 亿元, dates, and the one way each form
//! answers.
//!
//! A form posts to its own URL. Saved: a redirect back to the project page (htmx follows it
//! and takes the part, the facts and the status out of the page). Refused: with htmx, the part alone with
//! its field messages (422) or the latest values (409); without script, the same part on a
//! page of its own, so nothing typed is lost either way.

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, Tr};
use crate::pages::Page;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use districtops_domain::access::Permission;
use districtops_domain::money::{Money, MoneyUnit};
use districtops_domain::validation::{FieldError, FieldErrors};

/// What every part of the project page needs besides its own rows.
#[derive(Clone, Debug)]
pub struct Frame {
    pub t: Tr,
    pub csrf: String,
    pub project_id: i64,
    pub can_write: bool,
}

impl Frame {
    pub fn new(page: &Page, user: &CurrentUser, project_id: i64) -> Self {
        Self {
            t: page.t,
            csrf: page.csrf.clone(),
            project_id,
            can_write: user.actor.access.has(Permission::WriteBusiness),
        }
    }
}

/// A part shown on a page of its own: the answer to a refused form without script.
#[derive(Template, WebTemplate)]
#[template(path = "projects/_alone.html")]
pub struct AlonePage {
    page: Page,
    project_id: i64,
    project_name: String,
    part: String,
}

/// Where a saved form goes: back to the project page, at the part it changed.
pub fn saved(project_id: i64, anchor: &str) -> Response {
    Redirect::to(&format!("/projects/{project_id}#{anchor}")).into_response()
}

/// A refused form: the part alone for htmx, else on a page of its own.
pub fn refused(
    headers: &HeaderMap,
    status: StatusCode,
    page: Page,
    project_name: &str,
    project_id: i64,
    part: impl Template,
) -> AppResult<Response> {
    let html = part
        .render()
        .map_err(|e| AppError::internal("rendering a part of the project page", &e))?;
    if headers.contains_key("hx-request") {
        return Ok((status, axum::response::Html(html)).into_response());
    }
    let alone = AlonePage {
        page,
        project_id,
        project_name: project_name.to_owned(),
        part: html,
    };
    Ok((status, alone).into_response())
}

/// The page a refused form is shown on, for `path`.
pub fn page_for(state: &AppState, lang: Lang, user: &CurrentUser, path: &str) -> Page {
    Page::new(state, lang, user, "projects", path)
}

/// An amount as typed in a 万元 field, exactly: "1,234.5", "1234.5万", "1.2亿", "3000元".
/// Empty is `validation.required`.
pub fn typed_money(field: &'static str, raw: &str) -> Result<Money, FieldError> {
    let text: String = raw
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' ' | '\u{3000}'))
        .collect();
    if text.is_empty() {
        return Err(FieldError::new(field, "validation.required"));
    }
    let split = text
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == '-'))
        .map_or(text.len(), |(at, _)| at);
    let (number, unit) = text.split_at(split);
    if number.is_empty() {
        return Err(FieldError::new(field, "money.invalid"));
    }
    let unit = if unit.is_empty() {
        MoneyUnit::Wan
    } else {
        MoneyUnit::parse(unit).ok_or(FieldError::new(field, "money.unit_unknown"))?
    };
    Money::parse_decimal(number, unit).map_err(|e| FieldError::new(field, e.message_key()))
}

/// A date field: empty is none, anything but `YYYY-MM-DD` a field error.
pub fn typed_date(field: &'static str, raw: &str, errors: &mut FieldErrors) -> Option<NaiveDate> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let day = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok();
    if day.is_none() {
        errors.push(FieldError::new(field, "project.ledger.date_invalid"));
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_typed_in_wan_or_yi_exactly() {
        let yuan = |raw| typed_money("x", raw).map(Money::yuan);
        assert_eq!(yuan("1,234.5"), Ok(12_345_000));
        assert_eq!(yuan(" 1234.5万元 "), Ok(12_345_000));
        assert_eq!(yuan("1.2亿"), Ok(120_000_000));
        assert_eq!(yuan("3000元"), Ok(3000));
        assert_eq!(yuan("0.1"), Ok(1000));
        let key = |raw| typed_money("x", raw).unwrap_err().message;
        assert_eq!(key(""), "validation.required");
        assert_eq!(key("-5"), "money.negative");
        assert_eq!(key("1.23456"), "money.too_precise");
        assert_eq!(key("12亩"), "money.unit_unknown");
        assert_eq!(key("abc"), "money.invalid");
    }
}
