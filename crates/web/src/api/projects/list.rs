//! `GET /api/v1/projects`: the ledger, filtered, sorted and paged, with the totals of the
//! whole filtered set. The same parameters drive the ledger page.

use super::ProjectJson;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::Json;
use axum::extract::{RawQuery, State};
use chrono::NaiveDate;
use districtops_domain::FieldErrors;
use districtops_domain::projects::{Colour, ProjectKind, Stage};
use districtops_domain::validation::FieldError;
use districtops_service::projects::list::MAX_PER_PAGE;
use districtops_service::projects::{ProjectQuery, as_of};
use districtops_store::{ProjectPage, ProjectSort};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A code parameter, `None` when left empty.
fn code(raw: &str) -> Option<&str> {
    Some(raw.trim()).filter(|r| !r.is_empty())
}

/// The longest text filter taken.
const MAX_TEXT: usize = 100;

/// The ledger's filters, shared by the list, the map and the pages built on them (every one
/// optional, every one a string: what does not parse is a field error from
/// [`ListParams::to_query`], never a refusal of the whole query). Flattened into
/// [`ListParams`]; a number inside `#[serde(flatten)]` would not parse from a query string
/// (serde hands the flattened struct strings only), which is one more reason these are strings.
#[derive(Clone, Debug, Default, Deserialize, Serialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProjectFilters {
    /// Platform id.
    #[serde(default)]
    pub platform: String,
    /// Stage code, e.g. `under_construction`.
    #[serde(default)]
    pub stage: String,
    /// Kind code, e.g. `medical`.
    #[serde(default)]
    pub kind: String,
    /// Leader's name, exactly.
    #[serde(default)]
    pub leader: String,
    /// Owning department id.
    #[serde(default)]
    pub department: String,
    /// `green`, `yellow` or `red`.
    #[serde(default)]
    pub status: String,
    /// Part of the name, code or address.
    #[serde(default)]
    pub q: String,
}

impl ProjectFilters {
    /// Reads a raw query string (other parameters are ignored); what does not parse as a
    /// query at all is a 400.
    pub fn from_query(query: Option<&str>) -> AppResult<Self> {
        serde_urlencoded::from_str(query.unwrap_or(""))
            .map_err(|_| AppError::bad_request("error.bad_form"))
    }
}

/// The list's query parameters, as typed (every one optional): the filters, sort, paging and
/// day. The OpenAPI document lists the filters from [`ProjectFilters`] (utoipa's
/// `IntoParams` does not follow `flatten`), so a handler names both: `params(ProjectFilters,
/// ListParams)`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    #[serde(flatten)]
    #[param(ignore)]
    pub filters: ProjectFilters,
    /// `id`, `name`, `code`, `stage`, `kind`, `total_investment`, `completed_investment`,
    /// `floor_area`, `land_area`, `planned_start`, `status`, `updated_at`.
    #[serde(default)]
    pub sort: String,
    /// `asc` (default) or `desc`.
    #[serde(default)]
    pub order: String,
    /// From 1.
    #[serde(default)]
    pub page: String,
    /// 1–500 (default 50).
    #[serde(default)]
    pub per_page: String,
    /// A past day, `YYYY-MM-DD`: the ledger as it stood at the end of that day (China time),
    /// rebuilt from the revision kept at every change; projects created later are absent.
    /// A later day, or one that does not parse, is a 422.
    #[serde(default)]
    pub as_of: String,
}

impl ListParams {
    /// Reads a raw query string; what does not parse as a query at all is a 400.
    pub fn from_query(query: Option<&str>) -> AppResult<Self> {
        serde_urlencoded::from_str(query.unwrap_or(""))
            .map_err(|_| AppError::bad_request("error.bad_form"))
    }

    /// The day of a historical view, `None` for today's ledger; a day that does not parse
    /// adds a field error and gives `None`.
    pub fn as_of(&self, errors: &mut FieldErrors) -> Option<NaiveDate> {
        code(&self.as_of).and_then(|raw| errors.check(as_of::parse_day(raw)))
    }

    /// The service query, and a field error for every parameter that does not parse (that
    /// parameter then filters nothing).
    pub fn to_query(&self, default_per_page: i64) -> (ProjectQuery, FieldErrors) {
        let mut errors = FieldErrors::default();
        let id = |raw: &str, field: &'static str, errors: &mut FieldErrors| -> Option<i64> {
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            let parsed = raw.parse::<i64>().ok().filter(|v| *v > 0);
            if parsed.is_none() {
                errors.push(FieldError::new(field, "project.ledger.filter_invalid"));
            }
            parsed
        };
        let text = |raw: &str, field: &'static str, errors: &mut FieldErrors| {
            let raw = raw.trim();
            if raw.is_empty() {
                None
            } else if raw.chars().count() > MAX_TEXT || raw.chars().any(char::is_control) {
                errors.push(FieldError::new(field, "project.ledger.filter_invalid"));
                None
            } else {
                Some(raw.to_owned())
            }
        };
        let f = &self.filters;
        let mut query = ProjectQuery {
            platform_id: id(&f.platform, "platform", &mut errors),
            department_id: id(&f.department, "department", &mut errors),
            stage: code(&f.stage).and_then(|s| errors.check(Stage::parse(s))),
            kind: code(&f.kind).and_then(|k| errors.check(ProjectKind::parse(k))),
            colour: code(&f.status).and_then(|c| {
                errors.check(
                    Colour::parse(c)
                        .map_err(|_| FieldError::new("status", "project.status.invalid")),
                )
            }),
            leader: text(&f.leader, "leader", &mut errors),
            text: text(&f.q, "q", &mut errors),
            per_page: default_per_page,
            ..ProjectQuery::default()
        };
        if let Some(sort) = code(&self.sort) {
            match ProjectSort::parse(sort) {
                Some(sort) => query.sort = sort,
                None => errors.push(FieldError::new("sort", "project.ledger.filter_invalid")),
            }
        }
        match code(&self.order) {
            None | Some("asc") => {}
            Some("desc") => query.descending = true,
            Some(_) => errors.push(FieldError::new("order", "project.ledger.filter_invalid")),
        }
        if let Some(page) = code(&self.page) {
            match page.parse::<i64>() {
                Ok(page) if page >= 1 => query.page = page,
                _ => errors.push(FieldError::new("page", "project.ledger.filter_invalid")),
            }
        }
        if let Some(per_page) = code(&self.per_page) {
            match per_page.parse::<i64>() {
                Ok(n) if (1..=MAX_PER_PAGE).contains(&n) => query.per_page = n,
                _ => errors.push(FieldError::new(
                    "per_page",
                    "project.ledger.per_page_invalid",
                )),
            }
        }
        (query, errors)
    }
}

/// The sums of every project the filters match (not only this page).
#[derive(Serialize, ToSchema)]
pub struct TotalsJson {
    pub total_investment_yuan: i64,
    pub completed_investment_yuan: i64,
    pub floor_area_m2: i64,
    pub land_area_mu_x100: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ProjectList {
    pub items: Vec<ProjectJson>,
    /// How many projects the filters match.
    pub total: i64,
    pub totals: TotalsJson,
}

impl From<&ProjectPage> for ProjectList {
    fn from(page: &ProjectPage) -> Self {
        let t = &page.totals;
        Self {
            items: page.rows.iter().map(ProjectJson::from).collect(),
            total: t.count,
            totals: TotalsJson {
                total_investment_yuan: t.total_investment,
                completed_investment_yuan: t.completed_investment,
                floor_area_m2: t.floor_area_m2,
                land_area_mu_x100: t.land_area_mu_x100,
            },
        }
    }
}

/// The ledger inside the caller's data scope: today's, or as it stood at the end of a past day
/// (`as_of`).
#[utoipa::path(
    get,
    path = "/api/v1/projects",
    tag = "projects",
    params(ProjectFilters, ListParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of the ledger", body = ProjectList),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "The caller's roles do not read business data"),
        (status = 422, description = "A parameter does not parse, or `as_of` is a later day"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(query): RawQuery,
) -> AppResult<Json<ProjectList>> {
    let params = ListParams::from_query(query.as_deref())?;
    let (query, mut errors) = params.to_query(50);
    let as_of = params.as_of(&mut errors);
    if !errors.is_empty() {
        return Err(districtops_service::ServiceError::Invalid(errors).into());
    }
    let ctx = user.ctx();
    let page = match as_of {
        Some(day) => {
            state
                .services
                .list_projects_as_of(&ctx, &query, day)
                .await?
        }
        None => state.services.list_projects(&ctx, &query).await?,
    };
    Ok(Json(ProjectList::from(&page)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_parse_and_refuse_field_by_field() {
        let params = ListParams::from_query(Some(
            "stage=signed&sort=total_investment&order=desc&page=2&q=%E5%8C%BB",
        ))
        .unwrap();
        let (query, errors) = params.to_query(50);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(query.stage, Some(Stage::Signed));
        assert_eq!(query.sort, ProjectSort::TotalInvestment);
        assert!(query.descending);
        assert_eq!((query.page, query.per_page), (2, 50));
        assert_eq!(query.text.as_deref(), Some("医"));

        let params = ListParams::from_query(Some(
            "stage=x&per_page=501&sort=evil&platform=-1&status=blue",
        ))
        .unwrap();
        let (query, errors) = params.to_query(50);
        let fields: Vec<_> = errors.0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["platform", "stage", "status", "sort", "per_page"]);
        assert_eq!(query.stage, None);
    }

    #[test]
    fn the_flattened_filters_read_numbers_and_text_from_a_real_query() {
        let query = "platform=3&department=12&stage=signed&kind=medical&leader=%E5%BC%A0%E4%B8%89\
                     &status=red&q=%E5%8C%BB&page=2&per_page=20&sort=name&order=desc\
                     &as_of=2026-01-31&unknown=1";
        let params = ListParams::from_query(Some(query)).unwrap();
        let f = &params.filters;
        assert_eq!(
            (
                f.platform.as_str(),
                f.department.as_str(),
                f.leader.as_str()
            ),
            ("3", "12", "张三")
        );
        assert_eq!(
            (params.page.as_str(), params.as_of.as_str()),
            ("2", "2026-01-31")
        );
        let (query, errors) = params.to_query(50);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            (query.platform_id, query.department_id),
            (Some(3), Some(12))
        );
        assert_eq!((query.page, query.per_page), (2, 20));
        assert_eq!(query.colour, Some(Colour::Red));

        // The map reads the same filters from the same query, sort and paging ignored.
        let filters = ProjectFilters::from_query(Some("platform=3&page=9&status=red")).unwrap();
        let (query, errors) = ListParams::from(filters).to_query(50);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!((query.platform_id, query.page), (Some(3), 1));

        // Bad numbers are field errors, not a refused query.
        let params = ListParams::from_query(Some("platform=3.5&department=x&page=0")).unwrap();
        let fields: Vec<_> = params.to_query(50).1.0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["platform", "department", "page"]);
    }

    #[test]
    fn the_filters_write_back_the_query_they_were_read_from() {
        let params =
            ListParams::from_query(Some("platform=3&q=%E5%8C%BB&sort=name&page=2")).unwrap();
        let written = serde_urlencoded::to_string(&params).unwrap();
        let again = ListParams::from_query(Some(&written)).unwrap();
        assert_eq!(serde_urlencoded::to_string(&again).unwrap(), written);
        assert_eq!(again.filters.platform, "3");
        assert_eq!(again.filters.q, "医");
        assert_eq!(again.sort, "name");
    }

    #[test]
    fn the_openapi_lists_each_filter_of_the_list_and_the_map() {
        let doc = serde_json::to_value(crate::api::openapi()).unwrap();
        for path in ["/api/v1/projects", "/api/v1/projects/map"] {
            let names: Vec<&str> = doc["paths"][path]["get"]["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|p| p["name"].as_str())
                .collect();
            for name in [
                "platform",
                "stage",
                "kind",
                "leader",
                "department",
                "status",
                "q",
            ] {
                assert!(names.contains(&name), "{path} lacks {name}: {names:?}");
            }
            assert!(!names.contains(&"filters"), "{path}: {names:?}");
            let paged = names.contains(&"page");
            assert_eq!(paged, path == "/api/v1/projects", "{path}: {names:?}");
        }
    }
}
