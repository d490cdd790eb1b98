//! The user pages: list, create, edit, actions and roles.

use crate::testkit::{shown, world};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use districtops_service::Ctx;
use districtops_service::auth::ClientInfo;

#[tokio::test]
async fn the_system_administrator_creates_a_user_and_sees_the_first_password_once() {
    let w = world().await;
    let admin = w.sign_in("sysadmin").await;
    let page = w.get(&admin, "/admin/users").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = page.text();
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
    let reply = w.post(&admin, "/admin/users", &fields).await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.text();
    assert!(body.contains("data-testid=\"user-row-zhang.san\""));
    let password = shown(&body, "created-password");
    assert_eq!(
        password.chars().count(),
        12,
        "a generated password: {password}"
    );
    assert!(body.contains("用户 zhang.san 的初始密码"));
    assert!(body.contains("用户首次登录时必须修改"));

    let body = w.get(&admin, "/admin/users").await.text();
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
    let reply = w.post(&admin, "/admin/users", &fields).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = reply.text();
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
    let reply = w.post(&admin, "/admin/users", &fields).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = reply.text();
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
    let page = w.get(&admin, &format!("/admin/users/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("data-testid=\"user-edit-form\""));
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
    let reply = w.post(&admin, &format!("/admin/users/{id}"), &ok).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.location(), Some("/admin/users?ok=updated"));
    let body = w.get(&admin, "/admin/users?ok=updated").await.text();
    assert!(body.contains("用户信息已保存"));
    assert!(body.contains("工作人员丁"));

    // The same (now stale) version again.
    let stale = [
        ("display_name", "我的改动"),
        ("department_id", &district),
        ("version", &version),
    ];
    let reply = w.post(&admin, &format!("/admin/users/{id}"), &stale).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    let body = reply.text();
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
    let reply = w
        .post(&admin, &format!("/admin/users/{id}"), &invalid)
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = reply.text();
    assert!(body.contains("data-testid=\"error-display_name\""));
    assert!(body.contains("data-testid=\"error-department_id\""));
}

#[tokio::test]
async fn disabling_resetting_and_the_service_refusals() {
    let w = world().await;
    let admin = w.sign_in("sysadmin").await;
    let id = w.user_id("staff").await;
    let reply = w
        .post(&admin, &format!("/admin/users/{id}/disable"), &[])
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.location(), Some("/admin/users?ok=disabled"));
    let body = w.get(&admin, "/admin/users?ok=disabled").await.text();
    assert!(body.contains("data-testid=\"enable-staff\""));
    assert!(body.contains("data-confirm="));
    let reply = w
        .post(
            &admin,
            &format!("/admin/users/{id}/enable"),
            &[("back", "detail")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        reply.location(),
        Some(format!("/admin/users/{id}?ok=enabled").as_str())
    );

    let reply = w
        .post(&admin, &format!("/admin/users/{id}/password"), &[])
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let password = shown(&reply.text(), "created-password").to_owned();
    assert!(
        w.services()
            .login(&ClientInfo::default(), "staff", &password)
            .await
            .is_ok()
    );

    // Refused by the service, whatever the page shows.
    let me = w.user_id("sysadmin").await;
    let reply = w
        .post(&admin, &format!("/admin/users/{me}/disable"), &[])
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(reply.text().contains("不能停用自己的账号"));
    let reply = w
        .post(
            &admin,
            &format!("/admin/users/{id}/roles"),
            &[("roles", "leader")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = w
        .post(&admin, &format!("/admin/users/{id}/unlock"), &[])
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = w.post(&admin, "/admin/users/nope/disable", &[]).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_security_administrator_sets_roles() {
    let w = world().await;
    let security = w.sign_in("secadmin").await;
    let id = w.user_id("staff").await;
    let page = w.get(&security, "/admin/users").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = page.text();
    assert!(body.contains("data-testid=\"roles-staff\""));
    assert!(!body.contains("data-testid=\"user-create-form\""));
    assert!(!body.contains("data-testid=\"disable-staff\""));

    let body = w.get(&security, &format!("/admin/users/{id}")).await.text();
    assert!(body.contains("data-testid=\"user-roles-form\""));
    assert!(!body.contains("data-testid=\"user-edit-form\""));

    let mixed = [("roles", "system_admin"), ("roles", "leader")];
    let reply = w
        .post(&security, &format!("/admin/users/{id}/roles"), &mixed)
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = reply.text();
    assert!(body.contains("data-testid=\"error-roles\""));
    assert!(
        body.contains("value=\"system_admin\" checked"),
        "the ticked boxes stay ticked"
    );
    assert!(body.contains("value=\"leader\" checked"));
    assert!(!body.contains("value=\"staff\" checked"));

    let good = [("roles", "leader"), ("roles", "commissioner")];
    let reply = w
        .post(&security, &format!("/admin/users/{id}/roles"), &good)
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.location(), Some("/admin/users?ok=roles"));
    let body = w.get(&security, "/admin/users?ok=roles").await.text();
    assert!(body.contains("角色已保存"));
    assert!(body.contains("区领导") && body.contains("企业服务专员"));

    let reply = w
        .post(
            &security,
            &format!("/admin/users/{id}/roles"),
            &[("roles", "root")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let reply = w
        .post(&security, &format!("/admin/users/{id}/disable"), &[])
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
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
        let page = w.get(&staff, uri).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{uri}");
        assert!(page.text().contains("您的角色无权执行此操作"), "{uri}");
    }
    let reply = w
        .post(&staff, "/admin/users", &[("username", "sneaky")])
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let page = w.get(&staff, "/admin/departments").await;
    assert_eq!(page.status, StatusCode::OK, "the org tree is no secret");
    assert!(
        !page
            .text()
            .contains("data-testid=\"department-create-form\"")
    );
    let reply = w
        .post(
            &staff,
            "/admin/departments",
            &[("name", "x"), ("kind", "bureau")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);

    let admin = w.sign_in("sysadmin").await;
    let request = Request::post("/admin/users")
        .header(header::COOKIE, &admin.cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("username=nocsrf"))
        .unwrap();
    assert_eq!(w.send(request).await.status, StatusCode::FORBIDDEN);
}
