//! The audit and login logs end to end.

use crate::testkit::{CHANGED, shown, world};
use axum::http::{StatusCode, header};
use districtops_domain::audit::Outcome;
use districtops_service::Ctx;
use districtops_service::audit::Object;
use districtops_service::auth::ClientInfo;

#[tokio::test]
async fn only_auditors_read_the_logs() {
    let w = world().await;
    let staff = w.sign_in("staff").await;
    for uri in [
        "/audit",
        "/audit/logins",
        "/audit/export.xlsx",
        "/audit/logins/export.xlsx",
    ] {
        let reply = w.get(&staff, uri).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{uri}");
        assert!(reply.text().contains("您的角色无权执行此操作。"), "{uri}");
    }
}

#[tokio::test]
async fn the_audit_log_filters_pages_and_translates() {
    let w = world().await;
    let auditor = w.sign_in("auditor").await;
    for _ in 0..60 {
        w.services()
            .audit_alone(
                &Ctx::system(),
                "test.event",
                Object::none(),
                Outcome::Success,
                vec![],
            )
            .await
            .unwrap();
    }
    let reply = w.get(&auditor, "/audit").await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.text();
    assert!(body.contains("data-testid=\"audit-table\""));
    assert_eq!(body.matches("data-testid=\"audit-row\"").count(), 50);
    assert!(body.contains("时间 (UTC)"));
    assert!(body.contains("2026-11-29 10:00:00"));
    let total = shown(&body, "audit-summary").to_owned();
    assert!(total.contains("第 1 / 2 页"), "{total}");
    assert!(body.contains("href=\"/audit?page=2\""));

    let body = w
        .get(&auditor, "/audit?action=user.password&outcome=success")
        .await
        .text();
    assert_eq!(
        body.matches("data-testid=\"audit-row\"").count(),
        1,
        "the auditor's own password change"
    );
    assert!(body.contains("修改本人密码"), "the action in words");
    assert!(body.contains("<code class=\"muted\">user.password.change</code>"));
    assert!(body.contains("password: *** → ***"));
    assert!(body.contains("href=\"/audit/export.xlsx?action=user.password&#38;outcome=success\""));

    let body = w
        .get(
            &auditor,
            "/audit?user=test&page=2&from=2026-11-29&to=2026-11-29",
        )
        .await
        .text();
    assert!(body.contains("data-testid=\"audit-empty\""));

    let reply = w
        .get(
            &auditor,
            "/audit?from=2020-13-45&to=2026-11-28&outcome=maybe",
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.text();
    assert!(body.contains("data-field=\"from\""));
    assert!(body.contains("data-field=\"outcome\""));
    assert!(body.contains("value=\"2020-13-45\""));
    assert!(
        body.contains("data-testid=\"audit-empty\""),
        "the good bound still filters"
    );
}

#[tokio::test]
async fn the_login_log_shows_failures_with_their_reason_and_exports() {
    let w = world().await;
    let auditor = w.sign_in("auditor").await;
    let client = ClientInfo {
        ip: Some("192.0.2.7".into()),
        user_agent: None,
    };
    assert!(w.services().login(&client, "staff", "wrong").await.is_err());
    assert!(
        w.services()
            .login(&client, "nobody", CHANGED)
            .await
            .is_err()
    );

    let body = w
        .get(&auditor, "/audit/logins?outcome=failure")
        .await
        .text();
    assert_eq!(body.matches("data-testid=\"audit-row\"").count(), 2);
    assert!(body.contains("密码错误"));
    assert!(body.contains("用户名不存在"));
    assert!(body.contains("192.0.2.7"));
    assert!(
        !body.contains("name=\"action\""),
        "the login log's action is fixed"
    );
    let body = w.get(&auditor, "/audit/logins?action=user.").await.text();
    assert!(
        body.contains("data-action=\"auth.login\""),
        "the action filter is ignored here"
    );
    assert!(!body.contains("data-action=\"user."));

    let reply = w
        .get(&auditor, "/audit/logins/export.xlsx?outcome=failure")
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.headers.get(header::CONTENT_TYPE).unwrap(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let disposition = reply
        .headers
        .get(header::CONTENT_DISPOSITION)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"logins-2026-11-29.xlsx\""),
        "{disposition}"
    );
    assert!(reply.body.starts_with(b"PK"), "a zip container");

    let reply = w.get(&auditor, "/audit/export.xlsx?from=bad").await;
    assert_eq!(reply.status, StatusCode::OK, "a bad filter filters nothing");
    let body = w.get(&auditor, "/audit?action=audit.export").await.text();
    assert_eq!(
        body.matches("data-testid=\"audit-row\"").count(),
        2,
        "exports are audited"
    );
    assert!(body.contains("导出审计日志"));
}
