//! The status lights' settings and history: the thresholds page and API (read by ledger
//! readers and settings administrators, changed by settings administrators only) and a
//! project's status history (inside the caller's data scope).

use super::*;

const SETTINGS: &[Permission] = &[Permission::ManageSettings];
const THRESHOLD_READERS: &[Permission] = &[Permission::ManageSettings, Permission::ReadBusiness];
/// The defaults: an allowed caller saves them unchanged, so later routes see the same lights.
const THRESHOLDS_JSON: &str = r#"{"red_overdue_days": 30, "warning_days": 15, "lag_percent": 10}"#;
const THRESHOLDS_FORM: &[(&str, &str)] = &[
    ("red_overdue_days", "30"),
    ("warning_days", "15"),
    ("lag_percent", "10"),
];

pub(super) fn routes() -> Vec<Route> {
    use Gate::*;
    vec![
        route("GET", "/admin/settings/status", &[], AnyOf(SETTINGS)),
        route(
            "POST",
            "/admin/settings/status",
            THRESHOLDS_FORM,
            AnyOf(SETTINGS),
        ),
        route(
            "GET",
            "/api/v1/settings/status-thresholds",
            &[],
            AnyOf(THRESHOLD_READERS),
        ),
        api(
            "PUT",
            "/api/v1/settings/status-thresholds",
            THRESHOLDS_JSON,
            AnyOf(SETTINGS),
        ),
        route(
            "GET",
            "/api/v1/projects/{project}/status-history",
            &[],
            Roles(BUREAU),
        ),
        route(
            "GET",
            "/api/v1/projects/{street_project}/status-history",
            &[],
            Roles(STREET),
        ),
    ]
}
