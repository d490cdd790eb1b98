//! The account pages end to end.

use crate::testkit::{CHANGED, FIRST, NOW, authenticator, shown, world, world_with};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use districtops_service::SecuritySettings;

#[tokio::test]
async fn a_user_who_must_change_the_password_is_sent_to_the_form_and_can_use_it() {
    let w = world().await;
    let fresh = w.first_sign_in("fresh").await;
    let home = w.get(&fresh, "/").await;
    assert_eq!(home.location(), Some("/account/password"));
    let tokens = w.get(&fresh, "/account/tokens").await;
    assert_eq!(
        tokens.location(),
        Some("/account/password"),
        "tokens need a settled account"
    );

    let page = w.get(&fresh, "/account/password").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = page.text();
    assert!(body.contains("data-testid=\"must-change-password\""));
    assert!(body.contains("data-testid=\"password-form\""));
    assert!(
        body.contains("每 90 天须更换一次"),
        "the 等保 rules in words"
    );
    assert!(body.contains(&format!("name=\"csrf_token\" value=\"{}\"", fresh.csrf)));

    let mismatch = [
        ("current_password", FIRST),
        ("new_password", CHANGED),
        ("repeat_password", "other"),
    ];
    let reply = w.post(&fresh, "/account/password", &mismatch).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains(
        "<span class=\"field-error\" data-field=\"repeat_password\">两次输入的新密码不一致。"
    ));

    let wrong = [
        ("current_password", "nope"),
        ("new_password", CHANGED),
        ("repeat_password", CHANGED),
    ];
    let reply = w.post(&fresh, "/account/password", &wrong).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .text()
            .contains("data-field=\"current_password\">当前密码不正确。")
    );

    let short = [
        ("current_password", FIRST),
        ("new_password", "aB3$"),
        ("repeat_password", "aB3$"),
    ];
    let reply = w.post(&fresh, "/account/password", &short).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .text()
            .contains("data-field=\"new_password\">密码至少 8 位。")
    );

    let good = [
        ("current_password", FIRST),
        ("new_password", CHANGED),
        ("repeat_password", CHANGED),
    ];
    let reply = w.post(&fresh, "/account/password", &good).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.location(), Some("/?ok=password_changed"));
    assert_eq!(w.get(&fresh, "/").await.status, StatusCode::OK);
    assert!(
        !w.get(&fresh, "/account/password")
            .await
            .text()
            .contains("must-change-password")
    );
}

#[tokio::test]
async fn an_administrator_enrols_a_second_factor_and_sees_the_recovery_codes_once() {
    let w = world_with(SecuritySettings {
        require_admin_totp: true,
        ..SecuritySettings::default()
    })
    .await;
    let admin = w.sign_in("sysadmin").await;
    assert_eq!(w.get(&admin, "/").await.location(), Some("/account/totp"));

    let body = w.get(&admin, "/account/totp").await.text();
    assert!(body.contains("data-testid=\"must-enrol-totp\""));
    assert!(body.contains("data-testid=\"totp-admin-rule\""));
    assert!(body.contains("data-state=\"off\""));
    assert!(body.contains("data-testid=\"totp-start-form\""));

    let reply = w.post(&admin, "/account/totp/start", &[]).await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.text();
    assert!(
        body.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "a QR code"
    );
    assert!(shown(&body, "totp-url").starts_with("otpauth://totp/"));
    let grouped = shown(&body, "totp-secret");
    assert!(
        grouped.split(' ').all(|group| group.len() <= 4),
        "{grouped}"
    );
    let secret: String = grouped.split_whitespace().collect();

    let now = NOW
        .parse::<chrono::DateTime<chrono::Utc>>()
        .unwrap()
        .timestamp();
    let right = authenticator::code(&secret, now);
    let near: Vec<String> = [-30, 0, 30]
        .iter()
        .map(|d| authenticator::code(&secret, now + d))
        .collect();
    let wrong = (0..1_000_000)
        .map(|n| format!("{n:06}"))
        .find(|c| !near.contains(c))
        .unwrap();
    let reply = w
        .post(&admin, "/account/totp/confirm", &[("code", &wrong)])
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = reply.text();
    assert!(body.contains("data-field=\"code\""));
    assert!(body.contains("data-testid=\"totp-confirm-form\""));
    assert!(!body.contains("data-testid=\"totp-secret\""));

    let reply = w
        .post(&admin, "/account/totp/confirm", &[("code", &right)])
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.text();
    assert!(body.contains("data-testid=\"recovery-codes\""));
    assert_eq!(body.matches("<li><code>").count(), 10);
    assert!(body.contains("只显示这一次"));

    assert_eq!(w.get(&admin, "/").await.status, StatusCode::OK);
    let body = w.get(&admin, "/account/totp").await.text();
    assert!(body.contains("data-state=\"on\""));
    assert!(!body.contains("recovery-codes"), "shown once");
    let again = w.post(&admin, "/account/totp/start", &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.text().contains("两步验证已开启。"));
}

#[tokio::test]
async fn tokens_are_shown_once_work_against_the_api_and_can_be_revoked() {
    let w = world().await;
    let staff = w.sign_in("staff").await;
    let body = w.get(&staff, "/account/tokens").await.text();
    assert!(body.contains("data-testid=\"tokens-empty\""));
    assert!(body.contains("Authorization: Bearer dop_"));

    let reply = w.post(&staff, "/account/tokens", &[("name", "   ")]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("data-field=\"name\">必填。"));

    let reply = w
        .post(&staff, "/account/tokens", &[("name", "月报脚本")])
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.text();
    let secret = shown(&body, "token-secret").to_owned();
    assert!(secret.starts_with("dop_"));
    assert!(body.contains("data-copy=\"#new-token\""));
    assert!(body.contains("data-testid=\"token-row\""));

    let api = |token: String| {
        Request::get("/api/v1/me")
            .header(header::AUTHORIZATION, token)
            .body(Body::empty())
    };
    assert_eq!(
        w.send(api(format!("Bearer {secret}")).unwrap())
            .await
            .status,
        StatusCode::OK
    );

    let body = w.get(&staff, "/account/tokens").await.text();
    assert!(!body.contains(&secret), "shown once");
    assert!(body.contains("月报脚本"));
    let marker = "data-token-id=\"";
    let at = body.find(marker).unwrap() + marker.len();
    let id = &body[at..at + body[at..].find('"').unwrap()];

    let reply = w
        .post(&staff, &format!("/account/tokens/{id}/revoke"), &[])
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.location(), Some("/account/tokens?ok=revoked"));
    let body = w.get(&staff, "/account/tokens?ok=revoked").await.text();
    assert!(body.contains("令牌已撤销。"));
    assert!(body.contains("data-state=\"revoked\""));
    assert!(!body.contains("data-testid=\"token-revoke\""));
    assert_eq!(
        w.send(api(format!("Bearer {secret}")).unwrap())
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    for id in ["999", "abc"] {
        let reply = w
            .post(&staff, &format!("/account/tokens/{id}/revoke"), &[])
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{id}");
    }
    let other = w.sign_in("auditor").await;
    let reply = w
        .post(&other, &format!("/account/tokens/{id}/revoke"), &[])
        .await;
    assert_eq!(
        reply.status,
        StatusCode::NOT_FOUND,
        "another user's token is not found"
    );
}

#[tokio::test]
async fn posts_without_the_csrf_token_are_refused() {
    let w = world().await;
    let staff = w.sign_in("staff").await;
    let request = Request::post("/account/tokens")
        .header(header::COOKIE, &staff.cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("name=x"))
        .unwrap();
    assert_eq!(w.send(request).await.status, StatusCode::FORBIDDEN);
}
