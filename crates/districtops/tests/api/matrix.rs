//! The access matrix: every route × every role (and nobody signed in), including objects
//! outside the caller's reach. Each area lists its routes in its own file under `matrix/`; a
//! route missing there is a route nobody proved safe.

use crate::events::event_of;
use crate::helpers::{TestApp, on_both_backends, spawn_app};
use crate::project_children::milestone_of;
use districtops_domain::access::{Permission, Role};
use districtops_domain::projects::{ProjectDraft, ProjectKind};
use districtops_store::Backend;

mod areas;
mod foundation;
mod keep;
mod ledger;
mod settings;

/// Who may pass a route's gate.
#[derive(Clone, Copy, Debug)]
enum Gate {
    /// Anyone signed in.
    SignedIn,
    /// Holders of any of these permissions.
    AnyOf(&'static [Permission]),
    /// Nobody: the object is outside every caller's reach (another user's token).
    Nobody,
    /// Holders of these roles: a business record inside their data scope.
    Roles(&'static [Role]),
}

struct Route {
    method: &'static str,
    /// `{target}` is the test's target user, `{dept}` a department, `{token}` another user's token.
    path: &'static str,
    form: &'static [(&'static str, &'static str)],
    /// A JSON body (sent instead of the form, with the CSRF token in its header).
    json: Option<&'static str>,
    /// Sent as a multipart upload of a (refused) file, the CSRF token in its header.
    upload: bool,
    gate: Gate,
}

/// A multipart body with one `file` part that is not a workbook.
const UPLOAD_BOUNDARY: &str = "matrixboundary7MA4YWxk";
const UPLOAD_BODY: &str = "--matrixboundary7MA4YWxk\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\nnot a workbook\r\n--matrixboundary7MA4YWxk--\r\n";
const READ: &[Permission] = &[Permission::ReadBusiness];
const WRITE: &[Permission] = &[Permission::WriteBusiness];
/// Who reaches a project of 投资促进局 with no leader account: district-wide roles and the
/// bureau's staff (not a commissioner, whose scope is their own records).
const BUREAU: &[Role] = &[Role::Leader, Role::Office, Role::Staff];
/// Who reaches a project of 振兴街街道: district-wide roles only.
const STREET: &[Role] = &[Role::Leader, Role::Office];

/// Every route, area by area.
fn routes() -> Vec<Route> {
    [
        foundation::routes(),
        ledger::routes(),
        keep::routes(),
        areas::routes(),
        settings::routes(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// A page (or a GET of the API) with a form body, or none.
fn route(
    method: &'static str,
    path: &'static str,
    form: &'static [(&'static str, &'static str)],
    gate: Gate,
) -> Route {
    Route {
        method,
        path,
        form,
        json: None,
        upload: false,
        gate,
    }
}

/// A multipart upload of a file that is not a workbook.
fn upload(path: &'static str, gate: Gate) -> Route {
    Route {
        method: "POST",
        path,
        form: &[],
        json: None,
        upload: true,
        gate,
    }
}

/// An API call with a JSON body.
fn api(method: &'static str, path: &'static str, json: &'static str, gate: Gate) -> Route {
    Route {
        method,
        path,
        form: &[],
        json: Some(json),
        upload: false,
        gate,
    }
}

fn allowed(gate: Gate, role: Option<Role>) -> bool {
    match (gate, role) {
        (_, None) | (Gate::Nobody, _) => false,
        (Gate::SignedIn, Some(_)) => true,
        (Gate::AnyOf(permissions), Some(role)) => {
            permissions.iter().any(|p| role.permissions().contains(p))
        }
        (Gate::Roles(roles), Some(role)) => roles.contains(&role),
    }
}

/// A live token of the leader, who is not among the callers: nobody may touch it.
async fn foreign_token(app: &TestApp) -> i64 {
    let ctx = app.ctx_of("leader").await;
    app.services
        .create_token(&ctx, "区领导的令牌")
        .await
        .unwrap()
        .0
}

/// A project of 投资促进局 and one of 振兴街街道, neither led by an account.
async fn projects(app: &TestApp) -> (String, String) {
    let ctx = app.ctx_of("office").await;
    let mut ids = Vec::new();
    for (name, department) in [("局里项目", "投资促进局"), ("街道项目", "振兴街街道")]
    {
        let draft = ProjectDraft {
            name: Some(name.into()),
            kind: Some(ProjectKind::Other),
            department: Some(department.into()),
            ..ProjectDraft::default()
        };
        let row = app.services.create_project(&ctx, &draft).await.unwrap();
        ids.push(row.id.to_string());
    }
    (ids[0].clone(), ids[1].clone())
}

async fn every_route_refuses_every_caller_it_should(backend: Backend) {
    let app = spawn_app(backend).await;
    let target = app.user_id("leader").to_string();
    let dept = app.departments["投资促进局"].to_string();
    let root = app.departments["测试区"].to_string();
    let token = foreign_token(&app).await.to_string();
    let (project, street_project) = projects(&app).await;
    let event = event_of(&app, "投资促进局", &project).await;
    let street_event = event_of(&app, "振兴街街道", &street_project).await;
    let milestone = milestone_of(&app, &project).await;
    let street_milestone = milestone_of(&app, &street_project).await;
    let (platform, phase, kpi) = areas::plan_of(&app).await;
    let fill = |text: &str| {
        text.replace("{target}", &target)
            .replace("{street_event}", &street_event)
            .replace("{street_milestone}", &street_milestone)
            .replace("{milestone}", &milestone)
            .replace("{event}", &event)
            .replace("{street_project}", &street_project)
            .replace("{project}", &project)
            .replace("{dept}", &dept)
            .replace("{root}", &root)
            .replace("{platform}", &platform)
            .replace("{phase}", &phase)
            .replace("{kpi}", &kpi)
            .replace("{token}", &token)
    };

    let mut callers: Vec<(Option<Role>, reqwest::Client, String)> =
        vec![(None, app.client(), String::new())];
    for role in Role::ALL.into_iter().filter(|r| *r != Role::Leader) {
        let (client, csrf) = app.browser(&role.as_str().replace('_', ".")).await;
        callers.push((Some(role), client, csrf));
    }
    let mut failures = Vec::new();
    for route in routes() {
        let path = fill(route.path);
        for (role, client, csrf) in &callers {
            let request = match (route.method, route.json) {
                ("GET", _) => client.get(app.url(&path)),
                _ if route.upload => client
                    .post(app.url(&path))
                    .header(
                        "content-type",
                        format!("multipart/form-data; boundary={UPLOAD_BOUNDARY}"),
                    )
                    .header("x-csrf-token", csrf.as_str())
                    .body(UPLOAD_BODY),
                (method, Some(json)) => client
                    .request(method.parse().unwrap(), app.url(&path))
                    .header("content-type", "application/json")
                    .header("x-csrf-token", csrf.as_str())
                    .body(fill(json)),
                _ => {
                    let mut form: Vec<(String, String)> = route
                        .form
                        .iter()
                        .map(|(k, v)| ((*k).to_owned(), fill(v)))
                        .collect();
                    form.push(("csrf_token".into(), csrf.clone()));
                    client.post(app.url(&path)).form(&form)
                }
            };
            let status = request.send().await.unwrap().status().as_u16();
            let expected_allowed = allowed(route.gate, *role);
            let refused = matches!(status, 401 | 403 | 404) || (role.is_none() && status == 303);
            let ok = if expected_allowed {
                !refused && status < 500
            } else {
                refused
            };
            if !ok {
                failures.push(format!(
                    "{} {} as {:?}: {status}",
                    route.method,
                    path,
                    role.map(Role::as_str)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "access matrix violations:\n{}",
        failures.join("\n")
    );
    // The foreign token survived every attempt.
    let owner = app
        .services
        .store
        .tokens_of(app.user_id("leader"))
        .await
        .unwrap();
    assert!(owner.iter().all(|t| t.revoked_at.is_none()));
}

on_both_backends!(every_route_refuses_every_caller_it_should);
