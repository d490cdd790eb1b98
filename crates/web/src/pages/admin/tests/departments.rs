//! The org tree, the roles page and the English pages.

use crate::testkit::{Browser, world};
use axum::http::StatusCode;
use districtops_domain::access::Role;
use districtops_service::Ctx;

#[tokio::test]
async fn departments_are_added_renamed_and_moved() {
    let w = world().await;
    let admin = w.sign_in("sysadmin").await;
    let page = w.get(&admin, "/admin/departments").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = page.text();
    assert!(body.contains("data-testid=\"department-tree\""));
    assert!(body.contains("data-testid=\"department-create-form\""));
    assert!(body.contains("tree-depth-1"));

    let district = w.district.to_string();
    let bureau = w.bureau.to_string();
    let reply = w
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
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = reply.text();
    assert!(body.contains("data-testid=\"error-parent_id\""));
    assert!(body.contains("value=\"综合科\""));
    assert!(body.contains("<option value=\"section\" selected>"));
    let reply = w
        .post(
            &admin,
            "/admin/departments",
            &[("name", ""), ("kind", ""), ("parent_id", "")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = reply.text();
    assert!(
        body.contains("data-testid=\"error-name\"") && body.contains("data-testid=\"error-kind\"")
    );

    let reply = w
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
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        reply.location(),
        Some("/admin/departments?ok=department_created")
    );
    let body = w
        .get(&admin, "/admin/departments?ok=department_created")
        .await
        .text();
    assert!(body.contains("部门已添加") && body.contains("综合科") && body.contains("科室"));
    assert!(body.contains("tree-depth-2"));

    let rows = w.services().departments(&Ctx::system()).await.unwrap();
    let section = rows.iter().find(|d| d.name == "综合科").unwrap();
    let uri = format!("/admin/departments/{}", section.id);
    let page = w.get(&admin, &uri).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("data-testid=\"department-edit-form\""));
    let version = section.version.to_string();
    let reply = w
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
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        reply.location(),
        Some("/admin/departments?ok=department_updated")
    );
    let reply = w
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
    assert_eq!(reply.status, StatusCode::CONFLICT);
    let body = reply.text();
    assert!(body.contains("data-testid=\"conflict\"") && body.contains("我的名字"));
    assert!(body.contains("value=\"办公室\""));
    let reply = w
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
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("data-testid=\"error-parent_id\""));
}

#[tokio::test]
async fn the_roles_page_lists_each_role_and_its_holders() {
    let w = world().await;
    for who in ["sysadmin", "secadmin"] {
        let browser = w.sign_in(who).await;
        let page = w.get(&browser, "/admin/roles").await;
        assert_eq!(page.status, StatusCode::OK, "{who}");
        let body = page.text();
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
    let body = w.get(&english, "/admin/users").await.text();
    assert!(body.contains("New user") && body.contains("Department staff"));
    let body = w.get(&english, "/admin/departments").await.text();
    assert!(body.contains("Org tree") && body.contains("Bureau / office"));
}
