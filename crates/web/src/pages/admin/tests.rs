//! The admin pages end to end: through the whole router (authentication, CSRF, error
//! rendering) against a fresh SQLite database.

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

#[tokio::test]
async fn the_system_administrator_creates_a_user_and_sees_the_first_password_once() {
    let w = world().await;
    let admin = w.sign_in("sysadmin").await;
    let (status, body) = w.get(&admin, "/admin/users").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("data-testid=\"users-table\""));
    assert!(body.contains("data-testid=\"user-row-staff\""));
    assert!(body.contains("data-testid=\"user-create-form\""));
    assert!(body.contains("部门工作人员"), "role names are translated");
    assert!(
        !body.contains("data-testid=\"roles-staff\""),
        "roles are the security administrator's"
    );

    let bureau = w.bureau.to_string();
    let fields = [
        ("username", "Zhang.San"),
        ("display_name", "张三"),
        ("department_id", &bureau),
        ("password", ""),
    ];
    let (status, _, body) = w.post(&admin, "/admin/users", &fields).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("data-testid=\"user-row-zhang.san\""));
    let password = shown_password(&body);
    assert_eq!(
        password.chars().count(),
        12,
        "a generated password: {password}"
    );
    assert!(body.contains("用户 zhang.san 的初始密码"));
    assert!(body.contains("用户首次登录时必须修改"));

    let (_, body) = w.get(&admin, "/admin/users").await;
    assert!(!body.contains(password), "shown only once");
    assert!(body.contains("须修改密码"));
}

#[tokio::test]
async fn a_refused_new_user_form_keeps_the_input_and_names_each_field() {
    let w = world().await;
    let admin = w.sign_in("sysadmin").await;
    let fields = [
        ("username", "1 bad"),
        ("display_name", "李四"),
        ("department_id", ""),
        ("password", ""),
    ];
    let (status, _, body) = w.post(&admin, "/admin/users", &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("value=\"1 bad\""));
    assert!(body.contains("value=\"李四\""));
    assert!(body.contains("data-testid=\"error-username\""));
    assert!(
        body.contains("data-testid=\"error-department_id\">必填。"),
        "an unchosen department is required"
    );
    assert!(body.contains("<span class=\"field-error\""));
    assert!(!body.contains("data-testid=\"created-password\""));

    let bureau = w.bureau.to_string();
    let fields = [
        ("username", "staff"),
        ("display_name", "重名"),
        ("department_id", &bureau),
        ("password", ""),
    ];
    let (status, _, body) = w.post(&admin, "/admin/users", &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("该用户名已被使用"));
    assert!(
        body.contains(&format!("<option value=\"{bureau}\" selected>")),
        "the department stays chosen"
    );
}

#[tokio::test]
async fn editing_a_user_detects_someone_elses_change() {
    let w = world().await;
    let admin = w.sign_in("sysadmin").await;
    let id = w.user_id("staff").await;
    let (status, body) = w.get(&admin, &format!("/admin/users/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("data-testid=\"user-edit-form\""));
    let version = w
        .services()
        .find_user(&Ctx::system(), "staff")
        .await
        .unwrap()
        .version
        .to_string();
    let district = w.district.to_string();

    let ok = [
        ("display_name", "工作人员丁"),
        ("department_id", &district),
        ("version", &version),
    ];
    let (status, location, _) = w.post(&admin, &format!("/admin/users/{id}"), &ok).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/admin/users?ok=updated"));
    let (_, body) = w.get(&admin, "/admin/users?ok=updated").await;
    assert!(body.contains("用户信息已保存"));
    assert!(body.contains("工作人员丁"));

    // The same (now stale) version again.
    let stale = [
        ("display_name", "我的改动"),
        ("department_id", &district),
        ("version", &version),
    ];
    let (status, _, body) = w.post(&admin, &format!("/admin/users/{id}"), &stale).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("data-testid=\"conflict\""));
    assert!(body.contains("该记录已被他人修改"));
    assert!(body.contains("我的改动"), "what the user typed is shown");
    assert!(
        body.contains("value=\"工作人员丁\""),
        "the form holds the latest values"
    );

    let invalid = [
        ("display_name", " "),
        ("department_id", "999"),
        ("version", &version),
    ];
    let (status, _, body) = w
        .post(&admin, &format!("/admin/users/{id}"), &invalid)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("data-testid=\"error-display_name\""));
    assert!(body.contains("data-testid=\"error-department_id\""));
}

#[tokio::test]
async fn disabling_resetting_and_the_service_refusals() {
    let w = world().await;
    let admin = w.sign_in("sysadmin").await;
    let id = w.user_id("staff").await;
    let (status, location, _) = w
        .post(&admin, &format!("/admin/users/{id}/disable"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/admin/users?ok=disabled"));
    let (_, body) = w.get(&admin, "/admin/users?ok=disabled").await;
    assert!(body.contains("data-testid=\"enable-staff\""));
    assert!(body.contains("data-confirm="));
    let (status, location, _) = w
        .post(
            &admin,
            &format!("/admin/users/{id}/enable"),
            &[("back", "detail")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, Some(format!("/admin/users/{id}?ok=enabled")));

    let (status, _, body) = w
        .post(&admin, &format!("/admin/users/{id}/password"), &[])
        .await;
    assert_eq!(status, StatusCode::OK);
    let password = shown_password(&body).to_owned();
    assert!(
        w.services()
            .login(&ClientInfo::default(), "staff", &password)
            .await
            .is_ok()
    );

    // Refused by the service, whatever the page shows.
    let me = w.user_id("sysadmin").await;
    let (status, _, body) = w
        .post(&admin, &format!("/admin/users/{me}/disable"), &[])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("不能停用自己的账号"));
    let (status, _, _) = w
        .post(
            &admin,
            &format!("/admin/users/{id}/roles"),
            &[("roles", "leader")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = w
        .post(&admin, &format!("/admin/users/{id}/unlock"), &[])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = w.post(&admin, "/admin/users/nope/disable", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_security_administrator_sets_roles() {
    let w = world().await;
    let security = w.sign_in("secadmin").await;
    let id = w.user_id("staff").await;
    let (status, body) = w.get(&security, "/admin/users").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("data-testid=\"roles-staff\""));
    assert!(!body.contains("data-testid=\"user-create-form\""));
    assert!(!body.contains("data-testid=\"disable-staff\""));

    let (_, body) = w.get(&security, &format!("/admin/users/{id}")).await;
    assert!(body.contains("data-testid=\"user-roles-form\""));
    assert!(!body.contains("data-testid=\"user-edit-form\""));

    let mixed = [("roles", "system_admin"), ("roles", "leader")];
    let (status, _, body) = w
        .post(&security, &format!("/admin/users/{id}/roles"), &mixed)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("data-testid=\"error-roles\""));
    assert!(
        body.contains("value=\"system_admin\" checked"),
        "the ticked boxes stay ticked"
    );
    assert!(body.contains("value=\"leader\" checked"));
    assert!(!body.contains("value=\"staff\" checked"));

    let good = [("roles", "leader"), ("roles", "commissioner")];
    let (status, location, _) = w
        .post(&security, &format!("/admin/users/{id}/roles"), &good)
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/admin/users?ok=roles"));
    let (_, body) = w.get(&security, "/admin/users?ok=roles").await;
    assert!(body.contains("角色已保存"));
    assert!(body.contains("区领导") && body.contains("企业服务专员"));

    let (status, _, _) = w
        .post(
            &security,
            &format!("/admin/users/{id}/roles"),
            &[("roles", "root")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) = w
        .post(&security, &format!("/admin/users/{id}/disable"), &[])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn others_may_not_see_the_admin_pages_and_forms_need_the_token() {
    let w = world().await;
    let staff = w.sign_in("staff").await;
    for uri in [
        "/admin/users",
        "/admin/roles",
        &format!("/admin/departments/{}", w.bureau),
    ] {
        let (status, body) = w.get(&staff, uri).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{uri}");
        assert!(body.contains("您的角色无权执行此操作"), "{uri}");
    }
    let (status, _, _) = w
        .post(&staff, "/admin/users", &[("username", "sneaky")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = w.get(&staff, "/admin/departments").await;
    assert_eq!(status, StatusCode::OK, "the org tree is no secret");
    assert!(!body.contains("data-testid=\"department-create-form\""));
    let (status, _, _) = w
        .post(
            &staff,
            "/admin/departments",
            &[("name", "x"), ("kind", "bureau")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let admin = w.sign_in("sysadmin").await;
    let request = Request::post("/admin/users")
        .header(header::COOKIE, &admin.cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("username=nocsrf"))
        .unwrap();
    assert_eq!(w.send(request).await.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn departments_are_added_renamed_and_moved() {
    let w = world().await;
    let admin = w.sign_in("sysadmin").await;
    let (status, body) = w.get(&admin, "/admin/departments").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("data-testid=\"department-tree\""));
    assert!(body.contains("data-testid=\"department-create-form\""));
    assert!(body.contains("tree-depth-1"));

    let district = w.district.to_string();
    let bureau = w.bureau.to_string();
    let (status, _, body) = w
        .post(
            &admin,
            "/admin/departments",
            &[
                ("name", "综合科"),
                ("kind", "section"),
                ("parent_id", &district),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("data-testid=\"error-parent_id\""));
    assert!(body.contains("value=\"综合科\""));
    assert!(body.contains("<option value=\"section\" selected>"));
    let (status, _, body) = w
        .post(
            &admin,
            "/admin/departments",
            &[("name", ""), ("kind", ""), ("parent_id", "")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("data-testid=\"error-name\"") && body.contains("data-testid=\"error-kind\"")
    );

    let (status, location, _) = w
        .post(
            &admin,
            "/admin/departments",
            &[
                ("name", "综合科"),
                ("kind", "section"),
                ("parent_id", &bureau),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location.as_deref(),
        Some("/admin/departments?ok=department_created")
    );
    let (_, body) = w
        .get(&admin, "/admin/departments?ok=department_created")
        .await;
    assert!(body.contains("部门已添加") && body.contains("综合科") && body.contains("科室"));
    assert!(body.contains("tree-depth-2"));

    let rows = w.services().departments(&Ctx::system()).await.unwrap();
    let section = rows.iter().find(|d| d.name == "综合科").unwrap();
    let (status, body) = w
        .get(&admin, &format!("/admin/departments/{}", section.id))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("data-testid=\"department-edit-form\""));
    let version = section.version.to_string();
    let uri = format!("/admin/departments/{}", section.id);
    let (status, location, _) = w
        .post(
            &admin,
            &uri,
            &[
                ("name", "办公室"),
                ("parent_id", &bureau),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location.as_deref(),
        Some("/admin/departments?ok=department_updated")
    );
    let (status, _, body) = w
        .post(
            &admin,
            &uri,
            &[
                ("name", "我的名字"),
                ("parent_id", &bureau),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("data-testid=\"conflict\"") && body.contains("我的名字"));
    assert!(body.contains("value=\"办公室\""));
    let (status, _, body) = w
        .post(
            &admin,
            &uri,
            &[
                ("name", "办公室"),
                ("parent_id", &district),
                ("version", "2"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("data-testid=\"error-parent_id\""));
}

#[tokio::test]
async fn the_roles_page_lists_each_role_and_its_holders() {
    let w = world().await;
    for who in ["sysadmin", "secadmin"] {
        let browser = w.sign_in(who).await;
        let (status, body) = w.get(&browser, "/admin/roles").await;
        assert_eq!(status, StatusCode::OK, "{who}");
        for role in Role::ALL {
            assert!(body.contains(&format!("data-testid=\"role-row-{}\"", role.as_str())));
        }
        assert!(body.contains("本部门及所有下级部门"));
        assert!(body.contains("工作人员丙"));
    }
}

#[tokio::test]
async fn pages_speak_english_too() {
    let w = world().await;
    let admin = w.sign_in("sysadmin").await;
    let english = Browser {
        cookie: format!("{}; lang=en", admin.cookie),
        csrf: admin.csrf.clone(),
    };
    let (_, body) = w.get(&english, "/admin/users").await;
    assert!(body.contains("New user") && body.contains("Department staff"));
    let (_, body) = w.get(&english, "/admin/departments").await;
    assert!(body.contains("Org tree") && body.contains("Bureau / office"));
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
