//! Keeping a project from its page and the API: milestones, progress reports, the investment
//! plan and the stage. Version 0 is never current: allowed callers get 409 and nothing changes.

use super::*;

const PROGRESS_JSON: &str = r#"{"period": "2026-10", "invested_in_period_yuan": 0, "percent": 1}"#;
const MILESTONE_JSON: &str = r#"{"name": "矩阵里程碑", "planned": "2030-01-01"}"#;
/// Version 0 is never current: allowed callers get 409 and nothing changes.
const MILESTONE_PUT_JSON: &str = r#"{"name": "矩阵里程碑", "planned": "2030-01-01", "version": 0}"#;
const PLAN_JSON: &str = r#"{"cumulative_target_yuan": 0}"#;
const STAGE_JSON: &str = r#"{"to": "signed", "version": 0}"#;

pub(super) fn routes() -> Vec<Route> {
    use Gate::*;
    vec![
        api(
            "POST",
            "/api/v1/projects/{project}/progress",
            PROGRESS_JSON,
            Roles(BUREAU),
        ),
        api(
            "POST",
            "/api/v1/projects/{street_project}/progress",
            PROGRESS_JSON,
            Roles(STREET),
        ),
        api(
            "POST",
            "/api/v1/projects/{project}/milestones",
            MILESTONE_JSON,
            Roles(BUREAU),
        ),
        api(
            "POST",
            "/api/v1/projects/{street_project}/milestones",
            MILESTONE_JSON,
            Roles(STREET),
        ),
        api(
            "PUT",
            "/api/v1/projects/{project}/milestones/{milestone}",
            MILESTONE_PUT_JSON,
            Roles(BUREAU),
        ),
        api(
            "PUT",
            "/api/v1/projects/{street_project}/milestones/{street_milestone}",
            MILESTONE_PUT_JSON,
            Roles(STREET),
        ),
        route("GET", "/api/v1/projects/{project}/plan", &[], Roles(BUREAU)),
        route(
            "GET",
            "/api/v1/projects/{street_project}/plan",
            &[],
            Roles(STREET),
        ),
        api(
            "PUT",
            "/api/v1/projects/{project}/plan/2030-Q1",
            PLAN_JSON,
            Roles(BUREAU),
        ),
        api(
            "PUT",
            "/api/v1/projects/{street_project}/plan/2030-Q1",
            PLAN_JSON,
            Roles(STREET),
        ),
        api(
            "POST",
            "/api/v1/projects/{project}/stage",
            STAGE_JSON,
            Roles(BUREAU),
        ),
        api(
            "POST",
            "/api/v1/projects/{street_project}/stage",
            STAGE_JSON,
            Roles(STREET),
        ),
        route(
            "POST",
            "/projects/{project}/milestones",
            &[("name", "矩阵里程碑"), ("planned", "2030-01-01")],
            Roles(BUREAU),
        ),
        route(
            "POST",
            "/projects/{street_project}/milestones",
            &[("name", "矩阵里程碑"), ("planned", "2030-01-01")],
            Roles(STREET),
        ),
        route(
            "POST",
            "/projects/{project}/milestones/{milestone}",
            &[
                ("name", "矩阵里程碑"),
                ("planned", "2030-01-01"),
                ("version", "0"),
            ],
            Roles(BUREAU),
        ),
        route(
            "POST",
            "/projects/{street_project}/milestones/{street_milestone}",
            &[
                ("name", "矩阵里程碑"),
                ("planned", "2030-01-01"),
                ("version", "0"),
            ],
            Roles(STREET),
        ),
        route(
            "POST",
            "/projects/{project}/progress",
            &[
                ("period", "2026-10"),
                ("invested_in_period", "0"),
                ("percent", "1"),
            ],
            Roles(BUREAU),
        ),
        route(
            "POST",
            "/projects/{street_project}/progress",
            &[
                ("period", "2026-10"),
                ("invested_in_period", "0"),
                ("percent", "1"),
            ],
            Roles(STREET),
        ),
        route(
            "POST",
            "/projects/{project}/plan",
            &[("period", "2030-Q1"), ("cumulative_target", "0")],
            Roles(BUREAU),
        ),
        route(
            "POST",
            "/projects/{street_project}/plan",
            &[("period", "2030-Q1"), ("cumulative_target", "0")],
            Roles(STREET),
        ),
        route(
            "POST",
            "/projects/{project}/stage",
            &[("from", "pipeline"), ("stage", "signed"), ("version", "0")],
            Roles(BUREAU),
        ),
        route(
            "POST",
            "/projects/{street_project}/stage",
            &[("from", "pipeline"), ("stage", "signed"), ("version", "0")],
            Roles(STREET),
        ),
    ]
}
