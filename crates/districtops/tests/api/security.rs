//! CSRF and the security headers.

use crate::helpers::{on_both_backends, spawn_app};
use districtops_store::Backend;

async fn state_changes_without_the_csrf_token_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let (client, csrf) = app.browser("staff").await;

    // No token, a wrong token, or a cross-site request: refused, and nothing changed.
    let create = |token: Option<&str>| {
        let mut form = vec![("name", "脚本令牌")];
        if let Some(token) = token {
            form.push(("csrf_token", token));
        }
        client.post(app.url("/account/tokens")).form(&form).send()
    };
    assert_eq!(create(None).await.unwrap().status(), 403);
    assert_eq!(create(Some("0000")).await.unwrap().status(), 403);
    let cross_site = client
        .post(app.url("/account/tokens"))
        .header("sec-fetch-site", "cross-site")
        .form(&[("name", "x"), ("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), 403);
    let foreign_origin = client
        .post(app.url("/logout"))
        .header("origin", "http://evil.example")
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(foreign_origin.status(), 403);
    let user = app.user("staff").await;
    assert!(
        app.services
            .store
            .tokens_of(user.id)
            .await
            .unwrap()
            .is_empty()
    );

    // The header works as well as the field (htmx sends the header).
    let with_header = client
        .post(app.url("/account/tokens"))
        .header("x-csrf-token", &csrf)
        .form(&[("name", "脚本令牌")])
        .send()
        .await
        .unwrap();
    assert!(with_header.status().is_success() || with_header.status().is_redirection());
    assert_eq!(
        app.services.store.tokens_of(user.id).await.unwrap().len(),
        1
    );

    // The login form needs its own token too (login CSRF).
    let fresh = app.client();
    let login = fresh
        .post(app.url("/login"))
        .form(&[
            ("username", "staff"),
            ("password", crate::helpers::PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 403);
}

async fn every_route_sends_the_security_headers(backend: Backend) {
    let app = spawn_app(backend).await;
    let (client, _) = app.browser("system.admin").await;
    let anonymous = app.client();
    let paths = [
        "/",
        "/login",
        "/admin/users",
        "/admin/departments",
        "/admin/roles",
        "/audit",
        "/account/tokens",
        "/account/password",
        "/account/totp",
        "/api/v1/me",
        "/api/v1/openapi.json",
        "/api/docs/",
        "/static/app.css",
        "/static/vendor/htmx.min.js",
        "/no/such/page",
        "/healthz",
        "/readyz",
        "/metrics",
    ];
    for path in paths {
        for who in [&client, &anonymous] {
            let response = who.get(app.url(path)).send().await.unwrap();
            let headers = response.headers();
            let csp = headers
                .get("content-security-policy")
                .map(|v| v.to_str().unwrap().to_owned());
            let csp = csp.unwrap_or_else(|| panic!("{path}: no Content-Security-Policy"));
            assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
            assert!(
                csp.contains("script-src 'self'")
                    && !csp.contains("script-src 'self' 'unsafe-inline'"),
                "{path}: {csp}"
            );
            assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
            assert_eq!(headers["x-frame-options"], "DENY", "{path}");
            assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
            assert!(headers.contains_key("x-request-id"), "{path}");
            assert_ne!(response.status(), 500, "{path}");
        }
    }
}

async fn cookies_are_http_only_and_same_site(backend: Backend) {
    let app = spawn_app(backend).await;
    let response = app
        .post_login(&app.client(), "staff", crate::helpers::PASSWORD)
        .await;
    let cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert!(!cookies.is_empty());
    for cookie in cookies {
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Lax"), "{cookie}");
        assert!(cookie.contains("Path=/"), "{cookie}");
    }
}

on_both_backends!(
    state_changes_without_the_csrf_token_are_refused,
    every_route_sends_the_security_headers,
    cookies_are_http_only_and_same_site,
);

async fn logins_from_one_address_are_rate_limited(backend: Backend) {
    let options = crate::helpers::Options {
        login_per_minute: 3,
        ..Default::default()
    };
    let app = crate::helpers::spawn_app_with(backend, options).await;
    let client = app.client();
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(
            app.post_login(&client, "staff", "Wrong#Pass1")
                .await
                .status()
                .as_u16(),
        );
    }
    assert_eq!(&statuses[..3], &[401, 401, 401]);
    assert_eq!(&statuses[3..], &[429, 429]);
    // Refused by the limiter before the password is checked: no lockout count was spent.
    assert_eq!(app.user("staff").await.failed_logins, 3);
}

async fn over_tls_cookies_are_host_prefixed_and_secure(backend: Backend) {
    let options = crate::helpers::Options {
        tls: true,
        ..Default::default()
    };
    let app = crate::helpers::spawn_app_with(backend, options).await;
    let response = app.client().get(app.url("/login")).send().await.unwrap();
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("__Host-districtops_csrf="), "{cookie}");
    assert!(
        cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("Path=/"),
        "{cookie}"
    );
}

on_both_backends!(
    logins_from_one_address_are_rate_limited,
    over_tls_cookies_are_host_prefixed_and_secure
);
