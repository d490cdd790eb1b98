//! Login: lockout, the same answer for every failure, second factor and its replays.

use crate::helpers::{PASSWORD, TestApp, on_both_backends, session_cookie, spawn_app};
use chrono::Duration;
use districtops_store::Backend;
use serde_json::json;

/// The text of the login form's error, or of the JSON error.
async fn failure_text(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    let message = body
        .split("data-testid=\"login-error\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_default()
        .to_owned();
    (status, message)
}

async fn five_failures_lock_the_account_for_fifteen_minutes(backend: Backend) {
    let app = spawn_app(backend).await;
    let client = app.client();
    for _ in 0..5 {
        let response = app.post_login(&client, "staff", "wrong-Password1").await;
        assert_eq!(response.status(), 401);
    }
    // Locked: even the right password is refused, with the same words.
    let locked = app.post_login(&client, "staff", PASSWORD).await;
    assert_eq!(locked.status(), 401);
    let (_, locked_text) = failure_text(locked).await;
    let (_, wrong_text) =
        failure_text(app.post_login(&app.client(), "leader", "nope-Nope1").await).await;
    assert_eq!(locked_text, wrong_text);

    app.clock.advance(Duration::minutes(14));
    assert_eq!(
        app.post_login(&client, "staff", PASSWORD).await.status(),
        401
    );
    app.clock.advance(Duration::minutes(2));
    assert_eq!(
        app.post_login(&client, "staff", PASSWORD).await.status(),
        303,
        "the lock ended"
    );
}

async fn an_unknown_user_gets_the_same_answer_as_a_wrong_password(backend: Backend) {
    let app = spawn_app(backend).await;
    let unknown = failure_text(app.post_login(&app.client(), "nobody", PASSWORD).await).await;
    let wrong = failure_text(
        app.post_login(&app.client(), "staff", "Wrong#Password1")
            .await,
    )
    .await;
    let malformed = failure_text(
        app.post_login(&app.client(), "'; DROP TABLE users; --", PASSWORD)
            .await,
    )
    .await;
    assert_eq!(unknown, wrong);
    assert_eq!(unknown, malformed);
    assert!(!unknown.1.is_empty());

    let api = async |username: &str, password: &str| -> serde_json::Value {
        let body = json!({ "username": username, "password": password });
        app.api_login(body).await.json().await.unwrap()
    };
    let unknown = api("nobody", PASSWORD).await;
    let wrong = api("staff", "Wrong#Password1").await;
    assert_eq!(unknown["error"]["message"], wrong["error"]["message"]);
    assert_eq!(unknown["error"]["code"], "auth.login_failed");
}

async fn login_issues_a_new_session_id(backend: Backend) {
    let app = spawn_app(backend).await;
    let client = app.client();
    // An attacker plants a session ID before the victim logs in.
    let planted = "a".repeat(64);
    let url = reqwest::Url::parse(&app.url("/")).unwrap();
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    jar.add_cookie_str(&format!("districtops_session={planted}"), &url);
    let client_with_plant = reqwest::Client::builder()
        .cookie_provider(jar)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = app.post_login(&client_with_plant, "staff", PASSWORD).await;
    assert_eq!(response.status(), 303);
    let issued = session_cookie(&response).expect("login sets a session cookie");
    assert_ne!(issued, planted);

    let first = session_cookie(&app.post_login(&client, "staff", PASSWORD).await).unwrap();
    let second = session_cookie(&app.post_login(&client, "staff", PASSWORD).await).unwrap();
    assert_ne!(first, second, "every login gets a new ID");
}

/// Enrols `username` in TOTP through the pages' services; returns the secret.
async fn enrol(app: &TestApp, username: &str) -> String {
    let ctx = app.ctx_of(username).await;
    let enrolment = app.services.begin_totp_enrolment(&ctx).await.unwrap();
    let code = totp_now(app, &enrolment.secret);
    let codes = app
        .services
        .confirm_totp_enrolment(&ctx, &code)
        .await
        .unwrap();
    assert_eq!(codes.len(), 10);
    // The enrolment used the current step; move on so the next code is fresh.
    app.clock.advance(Duration::seconds(30));
    enrolment.secret
}

fn totp_now(app: &TestApp, secret: &str) -> String {
    let bytes = totp_rs::Secret::Encoded(secret.to_owned())
        .to_bytes()
        .unwrap();
    let totp =
        totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 0, 30, bytes, None, "t".into()).unwrap();
    totp.generate(app.services.now().timestamp() as u64)
}

async fn second_factor_is_required_and_a_code_works_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let secret = enrol(&app, "leader").await;

    let client = app.client();
    let response = app.post_login(&client, "leader", PASSWORD).await;
    assert_eq!(response.status(), 303);
    assert!(
        response.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login/totp")
    );
    // Half signed in: the product is still closed.
    assert_eq!(app.status(&client, "/api/v1/me").await, 401);

    let code = totp_now(&app, &secret);
    let response = app.post_totp(&client, &code).await;
    assert_eq!(response.status(), 303);
    assert!(
        session_cookie(&response).is_some(),
        "the second factor rotates the session ID"
    );
    assert_eq!(app.status(&client, "/api/v1/me").await, 200);

    // The same code again, in a new login within its 30 seconds: refused.
    let other = app.client();
    app.post_login(&other, "leader", PASSWORD).await;
    let replay = app.post_totp(&other, &code).await;
    assert_eq!(replay.status(), 401, "a used code is refused");

    // The API wants the code with the password.
    let without = app
        .api_login(json!({ "username": "leader", "password": PASSWORD }))
        .await;
    assert_eq!(without.status(), 401);
    app.clock.advance(Duration::seconds(30));
    let fresh = totp_now(&app, &secret);
    let with = app
        .api_login(json!({ "username": "leader", "password": PASSWORD, "totp": fresh }))
        .await;
    assert_eq!(with.status(), 200);
}

async fn administrators_must_enrol_a_second_factor_when_required(backend: Backend) {
    let options = crate::helpers::Options {
        require_admin_totp: true,
        ..Default::default()
    };
    let app = crate::helpers::spawn_app_with(backend, options).await;
    let client = app.client();
    assert_eq!(
        app.post_login(&client, "auditor", PASSWORD).await.status(),
        303
    );
    let home = client.get(app.url("/audit")).send().await.unwrap();
    assert_eq!(home.status(), 303);
    assert_eq!(home.headers()["location"], "/account/totp");
    // A business user is not asked.
    let (staff, _) = app.browser("staff").await;
    assert_eq!(staff.get(app.url("/")).send().await.unwrap().status(), 200);
    // Nor can an unenrolled administrator get an API token.
    let response = app
        .api_login(json!({ "username": "auditor", "password": PASSWORD }))
        .await;
    assert_eq!(response.status(), 401);
}

async fn a_first_password_must_be_changed(backend: Backend) {
    let app = spawn_app(backend).await;
    let ctx = districtops_service::Ctx::system();
    let password = app
        .services
        .reset_password(&ctx, app.user_id("staff"), None)
        .await
        .unwrap();
    let client = app.client();
    assert_eq!(
        app.post_login(&client, "staff", &password).await.status(),
        303
    );
    let home = client.get(app.url("/")).send().await.unwrap();
    assert_eq!(home.headers()["location"], "/account/password");
    let csrf = app.page_csrf(&client).await;
    let changed = client
        .post(app.url("/account/password"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("current_password", password.as_str()),
            ("new_password", "Quancheng!2027"),
            ("repeat_password", "Quancheng!2027"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        changed.status(),
        303,
        "{}",
        changed.text().await.unwrap_or_default()
    );
    assert_eq!(client.get(app.url("/")).send().await.unwrap().status(), 200);
}

on_both_backends!(
    five_failures_lock_the_account_for_fifteen_minutes,
    an_unknown_user_gets_the_same_answer_as_a_wrong_password,
    login_issues_a_new_session_id,
    second_factor_is_required_and_a_code_works_once,
    administrators_must_enrol_a_second_factor_when_required,
    a_first_password_must_be_changed,
);
