//! The key-project ledger's routes: the list, map, chart, export and import, the project page
//! and form, its history as of a date, the status override, and the cockpit.

use super::*;

const PROJECT_JSON: &str = r#"{"name": "矩阵项目", "kind": "other", "version": 1}"#;
const OVERRIDE_JSON: &str = r#"{"version": 1, "colour": "yellow", "reason": "矩阵理由"}"#;
const OVERRIDE_FORM: &[(&str, &str)] =
    &[("version", "1"), ("colour", "red"), ("reason", "矩阵理由")];

pub(super) fn routes() -> Vec<Route> {
    use Gate::*;
    vec![
        route("GET", "/api/v1/projects", &[], AnyOf(READ)),
        route("GET", "/api/v1/projects/map", &[], AnyOf(READ)),
        route("GET", "/api/v1/projects?as_of=2020-01-01", &[], AnyOf(READ)),
        api("POST", "/api/v1/projects", PROJECT_JSON, Roles(BUREAU)),
        route("GET", "/api/v1/projects/{project}", &[], Roles(BUREAU)),
        route(
            "GET",
            "/api/v1/projects/{street_project}",
            &[],
            Roles(STREET),
        ),
        api(
            "PUT",
            "/api/v1/projects/{project}",
            PROJECT_JSON,
            Roles(BUREAU),
        ),
        api(
            "PUT",
            "/api/v1/projects/{street_project}",
            PROJECT_JSON,
            Roles(STREET),
        ),
        api(
            "PUT",
            "/api/v1/projects/{project}/status-override",
            OVERRIDE_JSON,
            Roles(BUREAU),
        ),
        api(
            "PUT",
            "/api/v1/projects/{street_project}/status-override",
            OVERRIDE_JSON,
            Roles(STREET),
        ),
        api(
            "DELETE",
            "/api/v1/projects/{project}/status-override?version=1",
            "{}",
            Roles(BUREAU),
        ),
        api(
            "DELETE",
            "/api/v1/projects/{street_project}/status-override?version=1",
            "{}",
            Roles(STREET),
        ),
        route(
            "POST",
            "/projects/{project}/status/override",
            OVERRIDE_FORM,
            Roles(BUREAU),
        ),
        route(
            "POST",
            "/projects/{street_project}/status/override",
            OVERRIDE_FORM,
            Roles(STREET),
        ),
        route(
            "POST",
            "/projects/{project}/status/override/clear",
            &[("version", "1")],
            Roles(BUREAU),
        ),
        route(
            "POST",
            "/projects/{street_project}/status/override/clear",
            &[("version", "1")],
            Roles(STREET),
        ),
        route("GET", "/api/v1/cockpit", &[], AnyOf(READ)),
        route("GET", "/cockpit", &[], AnyOf(READ)),
        route("GET", "/projects", &[], AnyOf(READ)),
        route("GET", "/projects/map", &[], AnyOf(READ)),
        route("GET", "/projects/chart", &[], AnyOf(READ)),
        route("GET", "/projects/chart.xlsx?stage=signed", &[], AnyOf(READ)),
        route("GET", "/projects?as_of=2020-01-01", &[], AnyOf(READ)),
        route(
            "GET",
            "/projects/export.xlsx?as_of=2020-01-01",
            &[],
            AnyOf(READ),
        ),
        route(
            "GET",
            "/projects/{project}?as_of=2020-01-01",
            &[],
            Roles(BUREAU),
        ),
        route(
            "GET",
            "/projects/{street_project}?as_of=2020-01-01",
            &[],
            Roles(STREET),
        ),
        route("GET", "/projects/new", &[], AnyOf(WRITE)),
        route("GET", "/projects/import", &[], AnyOf(WRITE)),
        upload("/projects/import/preview", AnyOf(WRITE)),
        upload("/projects/import/apply", AnyOf(WRITE)),
        route(
            "GET",
            "/projects/export.xlsx?stage=signed",
            &[],
            AnyOf(READ),
        ),
        route(
            "POST",
            "/projects",
            &[
                ("name", "矩阵表单项目"),
                ("kind", "other"),
                ("department", "投资促进局"),
            ],
            Roles(BUREAU),
        ),
        route("GET", "/projects/{project}", &[], Roles(BUREAU)),
        route("GET", "/projects/{street_project}", &[], Roles(STREET)),
        route("GET", "/projects/{project}/edit", &[], Roles(BUREAU)),
        route("GET", "/projects/{street_project}/edit", &[], Roles(STREET)),
        route(
            "POST",
            "/projects/{project}/edit",
            &[
                ("name", "矩阵表单项目甲"),
                ("kind", "other"),
                ("version", "1"),
            ],
            Roles(BUREAU),
        ),
        route(
            "POST",
            "/projects/{street_project}/edit",
            &[
                ("name", "矩阵表单项目乙"),
                ("kind", "other"),
                ("version", "1"),
            ],
            Roles(STREET),
        ),
    ]
}
