//! Layers every response passes: request IDs, security headers, error rendering, metrics.

use crate::error::ErrorInfo;
use crate::i18n::Lang;
use askama::Template;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde_json::json;
use std::time::Instant;
use tower_http::request_id::{MakeRequestId, RequestId};

pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Request IDs: 16 random hex digits, logged with every line and shown on error pages.
#[derive(Clone, Copy, Debug, Default)]
pub struct MakeId;

impl MakeRequestId for MakeId {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let id = districtops_service::secrets::random_hex(8);
        HeaderValue::from_str(&id).ok().map(RequestId::new)
    }
}

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
    frame-ancestors 'none'";
/// Swagger UI styles itself inline; its pages get that and nothing more.
const CSP_SWAGGER: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

/// Security headers on every response (OWASP ASVS V14.4).
pub async fn security_headers(request: Request, next: Next) -> Response {
    let swagger = request.uri().path().starts_with("/api/docs");
    let is_static = request.uri().path().starts_with("/static/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let csp = if swagger { CSP_SWAGGER } else { CSP };
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    headers.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    if !is_static && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    t: crate::i18n::Tr,
    status: u16,
    message: &'a str,
    request_id: &'a str,
}

/// Turns error responses into a body the client can read: JSON under `/api/`, an HTML page
/// elsewhere; a browser that is not signed in is sent to the login page instead.
pub async fn render_errors(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if matches!(path, "/healthz" | "/readyz" | "/metrics") {
        return next.run(request).await;
    }
    let is_api = path.starts_with("/api/");
    let is_htmx = request.headers().contains_key("hx-request");
    let lang = lang_of(request.headers());
    let request_id = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    let next_url = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned());
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let info = match response.extensions().get::<ErrorInfo>() {
        Some(info) => info.clone(),
        None if response.headers().contains_key(header::CONTENT_TYPE)
            && !status.is_server_error() =>
        {
            return response;
        }
        None => ErrorInfo {
            message: default_message(status),
            fields: Default::default(),
        },
    };
    let t = lang.tr();
    if is_api {
        let fields: Vec<_> = info
            .fields
            .0
            .iter()
            .map(|f| json!({ "field": f.field, "code": f.message, "message": t.t(f.message) }))
            .collect();
        let body = json!({ "error": {
            "code": info.message,
            "message": t.t(info.message),
            "fields": fields,
            "request_id": request_id,
        }});
        let mut out = (status, axum::Json(body)).into_response();
        copy_headers(&response, &mut out);
        return out;
    }
    let redirect = match (status, info.message) {
        (StatusCode::UNAUTHORIZED, _) => {
            let next = next_url.filter(|u| u.starts_with('/') && !u.starts_with("//"));
            let target = match next {
                Some(next) if next != "/" => format!("/login?next={}", urlencode(&next)),
                _ => "/login".to_owned(),
            };
            Some(target)
        }
        (_, "auth.must_change_password") => Some("/account/password".to_owned()),
        (_, "auth.must_enrol_totp") => Some("/account/totp".to_owned()),
        _ => None,
    };
    if let Some(target) = redirect {
        if is_htmx {
            let mut out = StatusCode::OK.into_response();
            if let Ok(value) = HeaderValue::from_str(&target) {
                out.headers_mut().insert("hx-redirect", value);
            }
            return out;
        }
        return Redirect::to(&target).into_response();
    }
    let page = ErrorPage {
        t,
        status: status.as_u16(),
        message: t.t(info.message),
        request_id: &request_id,
    };
    let body = page
        .render()
        .unwrap_or_else(|_| t.t(info.message).to_owned());
    let mut out = (status, Html(body)).into_response();
    copy_headers(&response, &mut out);
    out
}

/// The language chosen in the `lang` cookie (read here directly: this layer runs before the
/// one that puts it into the request).
pub fn lang_of(headers: &axum::http::HeaderMap) -> Lang {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().strip_prefix("lang="))
        .find_map(Lang::parse)
        .unwrap_or_default()
}

fn copy_headers(from: &Response, to: &mut Response) {
    for name in [
        header::SET_COOKIE,
        header::WWW_AUTHENTICATE,
        header::RETRY_AFTER,
    ] {
        for value in from.headers().get_all(&name) {
            to.headers_mut().append(name.clone(), value.clone());
        }
    }
}

fn default_message(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "error.not_found",
        StatusCode::METHOD_NOT_ALLOWED => "error.method",
        StatusCode::PAYLOAD_TOO_LARGE => "error.too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "error.media_type",
        StatusCode::UNAUTHORIZED => "error.unauthenticated",
        StatusCode::FORBIDDEN => "error.forbidden",
        s if s.is_server_error() => "error.internal",
        _ => "error.bad_request",
    }
}

/// Percent-encodes a path for a query parameter.
pub fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .map(|s| s[1..].to_owned())
        .unwrap_or_default()
}

/// Counts requests and their latency by route for `/metrics`.
pub async fn track_metrics(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().to_string();
    let start = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let labels = [
        ("method", method),
        ("route", route.clone()),
        ("status", status),
    ];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", "route" => route)
        .record(start.elapsed().as_secs_f64());
    response
}
