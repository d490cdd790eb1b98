//! The admin pages end to end: through the whole router (authentication, CSRF, error
//! rendering) against a fresh SQLite database.

mod departments;
mod users;

use super::{kind_key, permission_key, role_key, scope_key, tree_order};
use crate::i18n::{self, Lang};
use crate::{AppState, WebConfig};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum::response::Response;
use districtops_domain::access::{DataScope, Permission, Role};
use districtops_domain::org::DepartmentKind;
use districtops_service::auth::ClientInfo;
use districtops_service::departments::NewDepartmentInput;
use districtops_service::users::NewUserInput;
use districtops_service::{Ctx, SecuritySettings, Services, SystemClock};
use districtops_store::{DepartmentRow, Store};
use std::sync::Arc;
use tower::ServiceExt;

const FIRST: &str = "Xq7#mTz9pLw2";
const CHANGED: &str = "Rb4%kVn8sJy6";

struct World {
    state: AppState,
    path: std::path::PathBuf,
    district: i64,
    bureau: i64,
}

impl Drop for World {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut name = self.path.clone().into_os_string();
            name.push(suffix);
            let _ = std::fs::remove_file(name);
        }
    }
}

/// A district with a bureau, a system administrator, a security administrator and a member
/// of staff, each with a password they have already changed.
async fn world() -> World {
    let path = std::env::temp_dir().join(format!(
        "districtops-admin-{}.db",
        districtops_service::secrets::random_hex(8)
    ));
    let store = Store::open(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let settings = SecuritySettings {
        require_admin_totp: false,
        ..SecuritySettings::default()
    };
    let services = Services::new(store, Arc::new(SystemClock), settings);
    let system = Ctx::system();
    let department = |parent_id, name: &str, kind: &str| NewDepartmentInput {
        parent_id,
        name: name.to_owned(),
        kind: kind.to_owned(),
    };
    let district = services
        .create_department(&system, department(None, "槐荫区", "district"))
        .await
        .unwrap();
    let bureau = services
        .create_department(&system, department(Some(district), "发改局", "bureau"))
        .await
        .unwrap();
    for (username, name, role) in [
        ("sysadmin", "系统管理员甲", Role::SystemAdmin),
        ("secadmin", "安全管理员乙", Role::SecurityAdmin),
        ("staff", "工作人员丙", Role::Staff),
    ] {
        let input = NewUserInput {
            username: username.to_owned(),
            display_name: name.to_owned(),
            department_id: bureau,
            password: Some(FIRST.to_owned()),
            roles: vec![role],
            ..NewUserInput::default()
        };
        services.create_user(&system, input).await.unwrap();
    }
    World {
        state: AppState::new(services, WebConfig::default()),
        path,
        district,
        bureau,
    }
}

/// A browser session: the cookie and the CSRF token.
struct Browser {
    cookie: String,
    csrf: String,
}

impl World {
    fn services(&self) -> &Services {
        &self.state.services
    }

    async fn sign_in(&self, username: &str) -> Browser {
        let services = self.services();
        let login = services
            .login(&ClientInfo::default(), username, FIRST)
            .await
            .unwrap();
        let info = services.session(&login.session_id).await.unwrap().unwrap();
        let ctx = Ctx::of(info.actor, None);
        services
            .change_own_password(&ctx, Some(&login.session_id), FIRST, CHANGED)
            .await
            .unwrap();
        Browser {
            cookie: format!("{}={}", self.state.session_cookie(), login.session_id),
            csrf: login.csrf_token,
        }
    }

    async fn send(&self, request: Request<Body>) -> (StatusCode, Option<String>, String) {
        let response: Response = crate::router(self.state.clone())
            .oneshot(request)
            .await
            .unwrap();
        let status = response.status();
        let location = response
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_owned());
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, location, String::from_utf8(body.to_vec()).unwrap())
    }

    async fn get(&self, browser: &Browser, uri: &str) -> (StatusCode, String) {
        let request = Request::get(uri)
            .header(header::COOKIE, &browser.cookie)
            .body(Body::empty())
            .unwrap();
        let (status, _, body) = self.send(request).await;
        (status, body)
    }

    async fn post(
        &self,
        browser: &Browser,
        uri: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, Option<String>, String) {
        let mut all = vec![("csrf_token", browser.csrf.as_str())];
        all.extend_from_slice(fields);
        let request = Request::post(uri)
            .header(header::COOKIE, &browser.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(serde_urlencoded::to_string(&all).unwrap()))
            .unwrap();
        self.send(request).await
    }

    async fn user_id(&self, username: &str) -> i64 {
        self.services()
            .find_user(&Ctx::system(), username)
            .await
            .unwrap()
            .id
    }
}

/// The one-time password shown in the page.
fn shown_password(body: &str) -> &str {
    let marker = "data-testid=\"created-password\">";
    let start = body.find(marker).expect("the password box is shown") + marker.len();
    &body[start..start + body[start..].find('<').unwrap()]
}

#[test]
fn every_role_permission_scope_and_kind_has_a_name_in_both_languages() {
    let mut keys: Vec<&str> = Role::ALL.into_iter().map(role_key).collect();
    keys.extend(Permission::ALL.into_iter().map(permission_key));
    let scopes = [
        DataScope::None,
        DataScope::Own,
        DataScope::Department,
        DataScope::DepartmentTree,
        DataScope::District,
    ];
    keys.extend(scopes.into_iter().map(scope_key));
    keys.extend(
        DepartmentKind::ALL
            .into_iter()
            .map(|k| kind_key(k.as_str())),
    );
    for lang in Lang::ALL {
        let known = i18n::keys(lang);
        for key in &keys {
            assert!(known.contains(key), "{key} missing in {}", lang.code());
        }
    }
}

#[test]
fn the_tree_lists_parents_before_children_and_survives_a_cycle() {
    let row = |id, parent_id, kind: &str| DepartmentRow {
        id,
        parent_id,
        name: format!("d{id}"),
        kind: kind.to_owned(),
        created_at: chrono::DateTime::UNIX_EPOCH,
        version: 1,
    };
    let rows = vec![
        row(5, Some(3), "section"),
        row(2, Some(1), "street"),
        row(3, Some(1), "bureau"),
        row(1, None, "district"),
        row(8, Some(9), "section"),
        row(9, Some(8), "section"),
    ];
    let order: Vec<(usize, i64)> = tree_order(&rows)
        .into_iter()
        .map(|(depth, d)| (depth, d.id))
        .collect();
    assert_eq!(order, [(0, 1), (1, 3), (2, 5), (1, 2), (0, 8), (1, 9)]);
}
