//! Cross-site request forgery protection for every state-changing request.
//!
//! - A browser session's requests carry the session's synchronizer token, in the
//!   `X-CSRF-Token` header (htmx sends it from the `hx-headers` of `<body>`) or in a
//!   `csrf_token` form field.
//! - Forms used before login (the login form itself) use a double-submit cookie.
//! - Requests with a bearer token carry no ambient credential and need no token; neither do
//!   `/api/` requests without any session (a script logging in with JSON).
//! - Whatever the token, a request the browser marks as cross-site is refused.

use crate::auth::Auth;
use crate::error::AppError;
use crate::state::AppState;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;

/// The form field that carries the token.
pub const FIELD: &str = "csrf_token";
/// The header that carries the token.
pub const HEADER: &str = "x-csrf-token";
/// Bodies larger than this are not read for a token (the body limit refuses them anyway).
const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

pub async fn guard(
    State(state): State<AppState>,
    jar: CookieJar,
    request: Request,
    next: Next,
) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    if is_cross_site(&request) {
        return refuse();
    }
    let expected = match request.extensions().get::<Auth>() {
        Some(Auth::Token { .. }) => return next.run(request).await,
        Some(Auth::Session { info, .. }) => info.csrf_token.clone(),
        None if request.uri().path().starts_with("/api/") => return next.run(request).await,
        None => match jar.get(state.login_csrf_cookie()) {
            Some(cookie) if !cookie.value().is_empty() => cookie.value().to_owned(),
            _ => return refuse(),
        },
    };
    let (request, provided) = match provided_token(request).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    match provided {
        Some(token) if constant_time_eq(token.as_bytes(), expected.as_bytes()) => {
            next.run(request).await
        }
        _ => refuse(),
    }
}

fn refuse() -> Response {
    AppError::new(StatusCode::FORBIDDEN, "error.csrf").into_response()
}

/// The browser's own word that the request comes from another site.
fn is_cross_site(request: &Request) -> bool {
    let headers = request.headers();
    if headers
        .get("sec-fetch-site")
        .is_some_and(|v| v == "cross-site")
    {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    match (origin, host) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => {
            let origin_host = origin.split("://").nth(1).unwrap_or(origin);
            origin_host != host
        }
        _ => false,
    }
}

/// The token from the header, or else from a urlencoded form body (which is read and put
/// back for the handler).
async fn provided_token(request: Request) -> Result<(Request, Option<String>), Response> {
    if let Some(value) = request.headers().get(HEADER) {
        let token = value.to_str().ok().map(str::to_owned);
        return Ok((request, token));
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok((request, None));
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, MAX_FORM_BYTES).await.map_err(|_| {
        AppError::new(StatusCode::PAYLOAD_TOO_LARGE, "error.too_large").into_response()
    })?;
    let token = form_urlencoded_value(&bytes, FIELD);
    Ok((Request::from_parts(parts, Body::from(bytes)), token))
}

fn form_urlencoded_value(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_exactly() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(!constant_time_eq(b"", b"a"));
    }

    #[test]
    fn the_token_is_found_in_a_form_body() {
        assert_eq!(
            form_urlencoded_value(b"a=1&csrf_token=xyz", FIELD).as_deref(),
            Some("xyz")
        );
        assert_eq!(form_urlencoded_value(b"a=1", FIELD), None);
        assert_eq!(form_urlencoded_value(&[0xff, 0xfe], FIELD), None);
    }
}
