//! The filters of the audit and login logs, read from the query string once for both pages
//! and their exports. Input that does not parse never fails the request: the field gets an
//! error and filters nothing.

use chrono::{DateTime, NaiveDate, Utc};
use districtops_domain::audit::Outcome;
use districtops_domain::{FieldError, FieldErrors};
use districtops_store::AuditFilter;

/// Records per page.
pub const PER_PAGE: i64 = 50;
/// The longest text filter taken.
const MAX_TEXT: usize = 64;
/// The highest page number taken (far beyond any real log).
const MAX_PAGE: i64 = 1_000_000;

/// The filters as typed, echoed back into the form and into links.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FilterForm {
    pub from: String,
    pub to: String,
    pub user: String,
    pub action: String,
    pub outcome: String,
    pub object: String,
}

/// The parsed filters of one request.
#[derive(Clone, Debug, Default)]
pub struct Filters {
    pub form: FilterForm,
    pub filter: AuditFilter,
    pub errors: FieldErrors,
    pub page: i64,
}

impl Filters {
    /// Reads the raw query string. `fixed_prefix` pins the action prefix (the login log's
    /// `auth.`) and leaves the `action` field out.
    pub fn parse(query: Option<&str>, fixed_prefix: Option<&str>) -> Self {
        let pairs: Vec<(String, String)> = query
            .and_then(|q| serde_urlencoded::from_str(q).ok())
            .unwrap_or_default();
        let get = |name: &str| {
            let value = pairs
                .iter()
                .find(|(k, _)| k == name)
                .map_or("", |(_, v)| v.as_str());
            value.trim().chars().take(MAX_TEXT * 4).collect::<String>()
        };
        let mut out = Filters {
            form: FilterForm {
                from: get("from"),
                to: get("to"),
                user: get("user"),
                action: if fixed_prefix.is_some() {
                    String::new()
                } else {
                    get("action")
                },
                outcome: get("outcome"),
                object: get("object"),
            },
            page: get("page").parse::<i64>().unwrap_or(1).clamp(1, MAX_PAGE),
            ..Filters::default()
        };
        let errors = &mut out.errors;
        let from = errors.check(date("from", &out.form.from)).flatten();
        let to = errors.check(date("to", &out.form.to)).flatten();
        let to = match (from, to) {
            (Some(from), Some(to)) if to < from => {
                errors.push(FieldError::new("to", "audit.filter.range"));
                None
            }
            _ => to,
        };
        out.filter = AuditFilter {
            from: from.map(start_of),
            until: to.and_then(|d| d.succ_opt()).map(start_of),
            username: errors.check(text("user", &out.form.user)).flatten(),
            action_prefix: match fixed_prefix {
                Some(prefix) => Some(prefix.to_owned()),
                None => errors.check(text("action", &out.form.action)).flatten(),
            },
            outcome: errors.check(outcome(&out.form.outcome)).flatten(),
            object_type: errors.check(text("object", &out.form.object)).flatten(),
        };
        out
    }

    /// The catalog key of the error of `field`, if its value was refused.
    pub fn error(&self, field: &str) -> Option<&'static str> {
        self.errors
            .0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message)
    }

    /// The filters as a query string (without the page), for links and the export.
    pub fn query(&self) -> String {
        let f = &self.form;
        let pairs: Vec<(&str, &str)> = [
            ("from", &f.from),
            ("to", &f.to),
            ("user", &f.user),
            ("action", &f.action),
            ("outcome", &f.outcome),
            ("object", &f.object),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k, v.as_str()))
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    /// The query string of another page of the same filters.
    pub fn page_query(&self, page: i64) -> String {
        let filters = self.query();
        if filters.is_empty() {
            format!("page={page}")
        } else {
            format!("{filters}&page={page}")
        }
    }
}

fn start_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(chrono::NaiveTime::MIN).and_utc()
}

/// A `YYYY-MM-DD` date; empty means no bound.
fn date(field: &'static str, raw: &str) -> Result<Option<NaiveDate>, FieldError> {
    if raw.is_empty() {
        return Ok(None);
    }
    let well_formed = raw.len() == 10 && raw.as_bytes()[4] == b'-' && raw.as_bytes()[7] == b'-';
    match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        Ok(day) if well_formed => Ok(Some(day)),
        _ => Err(FieldError::new(field, "audit.filter.date_invalid")),
    }
}

fn text(field: &'static str, raw: &str) -> Result<Option<String>, FieldError> {
    if raw.is_empty() {
        Ok(None)
    } else if raw.chars().count() > MAX_TEXT || raw.chars().any(char::is_control) {
        Err(FieldError::new(field, "audit.filter.text_invalid"))
    } else {
        Ok(Some(raw.to_owned()))
    }
}

fn outcome(raw: &str) -> Result<Option<Outcome>, FieldError> {
    match raw {
        "" => Ok(None),
        "success" => Ok(Some(Outcome::Success)),
        "failure" => Ok(Some(Outcome::Failure)),
        _ => Err(FieldError::new("outcome", "audit.filter.outcome_invalid")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn dates_are_inclusive_utc_days() {
        let f = Filters::parse(
            Some("from=2026-11-01&to=2026-11-29&user=zhang&outcome=failure"),
            None,
        );
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        assert_eq!(f.filter.from, Some(at("2026-11-01T00:00:00Z")));
        assert_eq!(f.filter.until, Some(at("2026-11-30T00:00:00Z")));
        assert_eq!(f.filter.username.as_deref(), Some("zhang"));
        assert_eq!(f.filter.outcome, Some(Outcome::Failure));
        assert_eq!(f.page, 1);
    }

    #[test]
    fn bad_input_is_refused_field_by_field_and_filters_nothing() {
        let f = Filters::parse(
            Some("from=2020-13-45&to=yesterday&outcome=maybe&user=ok&page=-3"),
            None,
        );
        assert_eq!(f.error("from"), Some("audit.filter.date_invalid"));
        assert_eq!(f.error("to"), Some("audit.filter.date_invalid"));
        assert_eq!(f.error("outcome"), Some("audit.filter.outcome_invalid"));
        assert_eq!(f.error("user"), None);
        assert_eq!(
            (f.filter.from, f.filter.until, f.filter.outcome),
            (None, None, None)
        );
        assert_eq!(f.filter.username.as_deref(), Some("ok"));
        assert_eq!(f.page, 1);
        assert_eq!(f.form.from, "2020-13-45", "what was typed is shown again");
        let long = "x".repeat(MAX_TEXT + 1);
        let f = Filters::parse(Some(&format!("action={long}&page=abc")), None);
        assert_eq!(f.error("action"), Some("audit.filter.text_invalid"));
        assert_eq!(f.filter.action_prefix, None);
        assert_eq!(Filters::parse(Some("%%%=&&="), None).filter.from, None);
    }

    #[test]
    fn a_reversed_range_drops_the_end() {
        let f = Filters::parse(Some("from=2026-11-29&to=2026-11-01"), None);
        assert_eq!(f.error("to"), Some("audit.filter.range"));
        assert!(f.filter.from.is_some() && f.filter.until.is_none());
    }

    #[test]
    fn the_login_log_pins_the_action_prefix() {
        let f = Filters::parse(Some("action=user.&page=3"), Some("auth."));
        assert_eq!(f.filter.action_prefix.as_deref(), Some("auth."));
        assert_eq!(f.form.action, "");
        assert_eq!(f.page, 3);
    }

    #[test]
    fn links_keep_the_filters() {
        let f = Filters::parse(Some("user=%E5%BC%A0%E4%B8%89&outcome=success&page=2"), None);
        assert_eq!(f.form.user, "张三");
        assert_eq!(f.query(), "user=%E5%BC%A0%E4%B8%89&outcome=success");
        assert_eq!(
            f.page_query(3),
            "user=%E5%BC%A0%E4%B8%89&outcome=success&page=3"
        );
        assert_eq!(Filters::parse(None, None).page_query(2), "page=2");
    }
}
