//! No input makes the server panic, answer 500, or write half a change.

use crate::helpers::{TestApp, on_both_backends, spawn_app};
use districtops_store::{AuditFilter, Backend};

/// How many audit records there are.
async fn audit_count(app: &TestApp) -> i64 {
    let filter = AuditFilter::default();
    app.services
        .store
        .audit_page(&filter, 0, 1)
        .await
        .unwrap()
        .1
}

async fn malformed_and_hostile_input_is_refused_cleanly(backend: Backend) {
    let app = spawn_app(backend).await;
    let (client, csrf) = app.browser("system.admin").await;
    let api = reqwest::Client::new();
    let audit_before = audit_count(&app).await;
    let departments_before = app.services.store.departments().await.unwrap().len();

    // JSON: broken, wrong types, wrong content type, huge.
    let login = app.url("/api/v1/auth/login");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("application/json", b"{\"username\": ".to_vec()),
        (
            "application/json",
            b"{\"username\": 5, \"password\": []}".to_vec(),
        ),
        ("application/json", b"[]".to_vec()),
        ("application/json", vec![0xff, 0xfe, 0x00]),
        ("text/plain", b"username=staff".to_vec()),
        (
            "application/json",
            format!(
                "{{\"username\": \"{}\", \"password\": \"x\"}}",
                "a".repeat(2 << 20)
            )
            .into_bytes(),
        ),
    ];
    for (content_type, body) in cases {
        let oversized = body.len() > districtops_web::MAX_BODY_BYTES;
        let sent = api
            .post(&login)
            .header("content-type", content_type)
            .header("connection", connection_for(&body))
            .body(body)
            .send()
            .await;
        let Some(response) = answered(sent, oversized) else {
            continue;
        };
        let status = response.status().as_u16();
        assert!((400..500).contains(&status), "{content_type}: {status}");
        let json: serde_json::Value = response.json().await.unwrap();
        assert!(
            json["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }

    // Forms: invalid UTF-8, wrong types, oversized, injection attempts.
    let post_form = |path: &str, body: Vec<u8>| {
        client
            .post(app.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-csrf-token", &csrf)
            .header("connection", connection_for(&body))
            .body(body)
            .send()
    };
    let bad_forms: Vec<(&str, Vec<u8>)> = vec![
        (
            "/admin/departments",
            b"name=%FF%FE&kind=bureau&parent_id=1".to_vec(),
        ),
        (
            "/admin/departments",
            b"name=x&kind=bureau&parent_id=not-a-number".to_vec(),
        ),
        (
            "/admin/departments",
            b"name=x&kind=<script>alert(1)</script>&parent_id=1".to_vec(),
        ),
        (
            "/admin/departments",
            format!("name={}&kind=bureau&parent_id=1", "局".repeat(500)).into_bytes(),
        ),
        (
            "/admin/departments",
            format!("name={}&kind=bureau", "x".repeat(3 << 20)).into_bytes(),
        ),
        (
            "/admin/users",
            b"username=%27%3B+DROP+TABLE+users%3B--&display_name=x&department_id=1".to_vec(),
        ),
        ("/account/tokens", b"name=".to_vec()),
    ];
    for (path, body) in bad_forms {
        let oversized = body.len() > districtops_web::MAX_BODY_BYTES;
        let Some(response) = answered(post_form(path, body).await, oversized) else {
            continue;
        };
        let status = response.status().as_u16();
        assert!((400..500).contains(&status), "{path}: {status}");
    }
    assert_eq!(
        app.services.store.departments().await.unwrap().len(),
        departments_before,
        "nothing was written"
    );

    // Script in a value is stored as text and shown escaped.
    let response = post_form(
        "/admin/departments",
        b"name=%3Cscript%3Ealert(1)%3C%2Fscript%3E&kind=bureau&parent_id=1".to_vec(),
    )
    .await
    .unwrap();
    assert!(response.status().is_redirection() || response.status().is_success());
    let page = app.text(&client, "/admin/departments").await;
    assert!(!page.contains("<script>alert(1)</script>"));
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;") || page.contains("&#60;script&#62;")
    );

    // Paths and queries that do not parse.
    for path in [
        "/admin/users/abc",
        "/admin/users/99999999999999999999",
        "/audit?page=-1&from=2020-13-45",
        "/%ff",
    ] {
        let status = app.status(&client, path).await;
        assert!(status < 500, "{path}: {status}");
    }
    let audit_after = audit_count(&app).await;
    assert!(audit_after >= audit_before);
}

on_both_backends!(malformed_and_hostile_input_is_refused_cleanly);

/// The server's answer. A body over the limit is refused (413) as soon as the limit is passed,
/// and the server may close the connection before the client has finished sending; the client
/// then sees the connection end instead of the answer. Either is a refusal.
fn answered(
    sent: reqwest::Result<reqwest::Response>,
    oversized: bool,
) -> Option<reqwest::Response> {
    match sent {
        Ok(response) => Some(response),
        Err(e) if oversized => {
            assert!(
                e.is_request() || e.is_body(),
                "an oversized body ends the request: {e}"
            );
            None
        }
        Err(e) => panic!("the request failed: {e}"),
    }
}

/// A refused oversized body leaves its connection half-read, and the server closes it: such
/// requests must not go back into the client's pool, where the next request would pick up the
/// closed connection.
fn connection_for(body: &[u8]) -> &'static str {
    if body.len() > districtops_web::MAX_BODY_BYTES {
        "close"
    } else {
        "keep-alive"
    }
}
