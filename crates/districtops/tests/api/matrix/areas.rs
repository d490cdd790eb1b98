//! Events (集中开工, 集中签约) and platforms with their roadmaps and annual targets.

use super::*;
use crate::goals::{phase, target};
use crate::projects::platform;

/// Who plans roadmaps and targets: those who write business data district-wide.
const PLANNERS: &[Role] = &[Role::Leader, Role::Office];
const PHASE_FORM: &[(&str, &str)] = &[("ordinal", "9"), ("title", "矩阵阶段"), ("target", "2030")];
const PHASE_UPDATE: &[(&str, &str)] = &[
    ("ordinal", "1"),
    ("title", "矩阵阶段"),
    ("target", "2031"),
    ("version", "1"),
];
const KPI_FORM: &[(&str, &str)] = &[
    ("year", "2026"),
    ("name", "矩阵新指标"),
    ("metric", "projects_started"),
    ("target", "3"),
];
const KPI_UPDATE: &[(&str, &str)] = &[
    ("platform", "{platform}"),
    ("year", "2020"),
    ("name", "矩阵指标"),
    ("metric", "projects_total"),
    ("target", "2"),
    ("version", "1"),
];
const EVENT_PUT_JSON: &str = r#"{"kind": "signing", "name": "矩阵活动", "held_on": "2020-06-18",
    "department_id": {dept}, "project_ids": [{project}], "version": 0}"#;
const EVENT_FORM: &[(&str, &str)] = &[
    ("kind", "signing"),
    ("name", "矩阵表单活动"),
    ("held_on", "2020-06-18"),
    ("department_id", "{dept}"),
    ("project_ids", "{project}"),
];
const EVENT_EDIT_FORM: &[(&str, &str)] = &[
    ("kind", "signing"),
    ("name", "矩阵表单活动"),
    ("held_on", "2020-06-18"),
    ("department_id", "{dept}"),
    ("version", "0"),
];
const EVENT_JSON: &str = r#"{"kind": "signing", "name": "矩阵活动", "held_on": "2020-06-18",
    "department_id": {dept}, "project_ids": [{project}]}"#;

pub(super) fn routes() -> Vec<Route> {
    use Gate::*;
    vec![
        route("GET", "/api/v1/events", &[], AnyOf(READ)),
        api("POST", "/api/v1/events", EVENT_JSON, Roles(BUREAU)),
        route("GET", "/api/v1/events/{event}", &[], Roles(BUREAU)),
        route("GET", "/api/v1/events/{street_event}", &[], Roles(STREET)),
        route("GET", "/events", &[], AnyOf(READ)),
        route("GET", "/events/{event}", &[], Roles(BUREAU)),
        route("GET", "/events/{street_event}", &[], Roles(STREET)),
        api(
            "PUT",
            "/api/v1/events/{event}",
            EVENT_PUT_JSON,
            Roles(BUREAU),
        ),
        api(
            "PUT",
            "/api/v1/events/{street_event}",
            EVENT_PUT_JSON,
            Roles(STREET),
        ),
        route("GET", "/events/new", &[], AnyOf(WRITE)),
        route("POST", "/events", EVENT_FORM, Roles(BUREAU)),
        route("GET", "/events/{event}/edit", &[], Roles(BUREAU)),
        route("GET", "/events/{street_event}/edit", &[], Roles(STREET)),
        route(
            "POST",
            "/events/{event}/edit",
            EVENT_EDIT_FORM,
            Roles(BUREAU),
        ),
        route(
            "POST",
            "/events/{street_event}/edit",
            EVENT_EDIT_FORM,
            Roles(STREET),
        ),
        route("GET", "/platforms", &[], AnyOf(READ)),
        route("GET", "/platforms/{platform}", &[], AnyOf(READ)),
        route("GET", "/api/v1/platforms", &[], AnyOf(READ)),
        route("GET", "/api/v1/platforms/{platform}", &[], AnyOf(READ)),
        route(
            "GET",
            "/platforms/{platform}/phases/new",
            &[],
            Roles(PLANNERS),
        ),
        route(
            "POST",
            "/platforms/{platform}/phases",
            PHASE_FORM,
            Roles(PLANNERS),
        ),
        route(
            "GET",
            "/platforms/{platform}/phases/{phase}",
            &[],
            Roles(PLANNERS),
        ),
        route(
            "POST",
            "/platforms/{platform}/phases/{phase}",
            PHASE_UPDATE,
            Roles(PLANNERS),
        ),
        route(
            "POST",
            "/platforms/{platform}/phases/{phase}/delete",
            &[("version", "1")],
            Roles(PLANNERS),
        ),
        route("GET", "/kpis/new", &[], Roles(PLANNERS)),
        route("POST", "/kpis", KPI_FORM, Roles(PLANNERS)),
        route("GET", "/kpis/{kpi}", &[], Roles(PLANNERS)),
        route("POST", "/kpis/{kpi}", KPI_UPDATE, Roles(PLANNERS)),
        route(
            "POST",
            "/kpis/{kpi}/delete",
            &[("version", "1")],
            Roles(PLANNERS),
        ),
    ]
}

/// A platform with one phase and one target, for the access matrix: their ids as text.
pub(super) async fn plan_of(app: &TestApp) -> (String, String, String) {
    let center = platform(app, "矩阵平台").await;
    let office = app.ctx_of("office").await;
    let phase = app
        .services
        .add_phase(&office, center, &phase("1", "三年聚集资源", "2020"))
        .await
        .unwrap();
    let kpi = app
        .services
        .add_kpi_target(
            &office,
            &target(Some(center), 2020, "矩阵指标", "projects_total", "1"),
        )
        .await
        .unwrap();
    (center.to_string(), phase.to_string(), kpi.to_string())
}
