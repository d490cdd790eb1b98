//! Session lifetimes and the ways a session ends.

use crate::helpers::{on_both_backends, spawn_app};
use chrono::Duration;
use districtops_service::Ctx;
use districtops_store::Backend;

async fn an_idle_session_ends_after_thirty_minutes(backend: Backend) {
    let app = spawn_app(backend).await;
    let (client, _) = app.browser("staff").await;
    app.clock.advance(Duration::minutes(29));
    assert_eq!(
        app.status(&client, "/api/v1/me").await,
        200,
        "used within 30 minutes"
    );
    app.clock.advance(Duration::minutes(29));
    assert_eq!(
        app.status(&client, "/api/v1/me").await,
        200,
        "each use restarts the idle clock"
    );
    app.clock.advance(Duration::minutes(31));
    assert_eq!(
        app.status(&client, "/api/v1/me").await,
        401,
        "idle for 31 minutes"
    );
    // A page sends the browser to the login form instead.
    let page = client.get(app.url("/")).send().await.unwrap();
    assert_eq!(page.status(), 303);
    assert_eq!(page.headers()["location"], "/login");
}

async fn a_busy_session_ends_after_eight_hours(backend: Backend) {
    let app = spawn_app(backend).await;
    let (client, _) = app.browser("staff").await;
    for _ in 0..16 {
        app.clock.advance(Duration::minutes(29));
        assert_eq!(app.status(&client, "/api/v1/me").await, 200);
    }
    // 7 h 44 min so far; 20 more minutes pass the absolute limit.
    app.clock.advance(Duration::minutes(20));
    assert_eq!(app.status(&client, "/api/v1/me").await, 401);
}

async fn disabling_a_user_ends_their_sessions_and_tokens(backend: Backend) {
    let app = spawn_app(backend).await;
    let (client, _) = app.browser("staff").await;
    let token = app.token("staff").await;
    assert_eq!(app.status(&client, "/api/v1/me").await, 200);

    app.services
        .set_user_disabled(&Ctx::system(), app.user_id("staff"), true)
        .await
        .unwrap();
    assert_eq!(app.status(&client, "/api/v1/me").await, 401);
    assert_eq!(app.me_with_token(&token).await.status(), 401);
    let again = app
        .post_login(&app.client(), "staff", crate::helpers::PASSWORD)
        .await;
    assert_eq!(again.status(), 401, "a disabled account cannot sign in");
}

async fn logout_ends_the_session(backend: Backend) {
    let app = spawn_app(backend).await;
    let (client, csrf) = app.browser("staff").await;
    let response = client
        .post(app.url("/logout"))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(app.status(&client, "/api/v1/me").await, 401);
}

async fn a_revoked_token_stops_working(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.token("office").await;
    let me = app.me_with_token(&token).await;
    assert_eq!(me.status(), 200);
    let body: serde_json::Value = me.json().await.unwrap();
    assert_eq!(body["username"], "office");
    assert_eq!(body["roles"][0], "office");

    let ctx = app.ctx_of("office").await;
    let tokens = app.services.my_tokens(&ctx).await.unwrap();
    app.services.revoke_token(&ctx, tokens[0].id).await.unwrap();
    assert_eq!(app.me_with_token(&token).await.status(), 401);
    assert_eq!(app.me_with_token("dop_00").await.status(), 401);
}

on_both_backends!(
    an_idle_session_ends_after_thirty_minutes,
    a_busy_session_ends_after_eight_hours,
    disabling_a_user_ends_their_sessions_and_tokens,
    logout_ends_the_session,
    a_revoked_token_stops_working,
);
