//! The JSON API and its OpenAPI document.

use crate::helpers::{on_both_backends, spawn_app};
use districtops_store::Backend;

#[test]
fn the_openapi_document_matches_the_snapshot() {
    let document = districtops_web::api::openapi();
    let json = serde_json::to_value(&document).unwrap();
    insta::assert_json_snapshot!("openapi", json);
}

async fn the_document_and_swagger_ui_are_served(backend: Backend) {
    let app = spawn_app(backend).await;
    let client = reqwest::Client::new();
    let document = app.json(&client, "/api/v1/openapi.json").await;
    assert!(document["paths"]["/api/v1/me"].is_object());
    assert!(document["paths"]["/api/v1/auth/login"].is_object());
    let ui = client.get(app.url("/api/docs/")).send().await.unwrap();
    assert_eq!(ui.status(), 200);
    assert!(ui.text().await.unwrap().contains("swagger"));
}

async fn me_needs_a_caller_and_describes_them(backend: Backend) {
    let app = spawn_app(backend).await;
    let client = reqwest::Client::new();
    let anonymous = client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let body: serde_json::Value = anonymous.json().await.unwrap();
    assert_eq!(body["error"]["code"], "error.unauthenticated");
    assert!(
        body["error"]["request_id"]
            .as_str()
            .is_some_and(|id| id.len() == 16)
    );

    let token = app.token("staff").await;
    let me: serde_json::Value = app.me_with_token(&token).await.json().await.unwrap();
    assert_eq!(me["username"], "staff");
    assert_eq!(me["department_name"], "投资促进局");
    assert_eq!(
        me["permissions"],
        serde_json::json!(["read_business", "write_business"])
    );
}

async fn errors_speak_the_callers_language(backend: Backend) {
    let app = spawn_app(backend).await;
    let client = reqwest::Client::new();
    let zh = app.json(&client, "/api/v1/me").await;
    let en: serde_json::Value = client
        .get(app.url("/api/v1/me"))
        .header("cookie", "lang=en")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(zh["error"]["message"], "请先登录。");
    assert_eq!(en["error"]["message"], "Please sign in.");
}

async fn health_readiness_and_metrics(backend: Backend) {
    let app = spawn_app(backend).await;
    let client = reqwest::Client::new();
    assert_eq!(app.status(&client, "/healthz").await, 200);
    assert_eq!(app.status(&client, "/readyz").await, 200);
    app.post_login(&app.client(), "staff", "Wrong#Pass1").await;
    let metrics = app.text(&client, "/metrics").await;
    assert!(metrics.contains("http_requests_total"));
    assert!(metrics.contains("http_request_duration_seconds"));
    assert!(metrics.contains("login_failures_total"));
    assert!(metrics.contains("route=\"/readyz\""));
}

on_both_backends!(
    the_document_and_swagger_ui_are_served,
    me_needs_a_caller_and_describes_them,
    errors_speak_the_callers_language,
    health_readiness_and_metrics,
);
