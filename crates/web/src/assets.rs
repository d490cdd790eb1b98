//! Static files, embedded in the binary: our own stylesheet and scripts from `static/`, and
//! the pinned front-end packages from `node_modules/` (installed by `npm ci`, copied in by
//! `build.rs`). Nothing is ever loaded from a CDN.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "static/"]
struct Own;

/// Front-end packages, copied from `node_modules` at build time.
const VENDOR: &[(&str, &[u8])] = &[
    (
        "vendor/htmx.min.js",
        include_bytes!(concat!(env!("OUT_DIR"), "/vendor/htmx.min.js")),
    ),
    (
        "vendor/echarts.min.js",
        include_bytes!(concat!(env!("OUT_DIR"), "/vendor/echarts.min.js")),
    ),
];

pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/static/{*path}", get(serve)).route(
        "/favicon.ico",
        get(|| serve(Path("favicon.svg".to_owned()))),
    )
}

async fn serve(Path(path): Path<String>) -> Response {
    let (bytes, mime): (std::borrow::Cow<'static, [u8]>, String) =
        if let Some((_, bytes)) = VENDOR.iter().find(|(name, _)| *name == path) {
            (
                std::borrow::Cow::Borrowed(*bytes),
                "text/javascript".to_owned(),
            )
        } else if let Some(file) = Own::get(&path) {
            (file.data, file.metadata.mimetype().to_owned())
        } else {
            return StatusCode::NOT_FOUND.into_response();
        };
    let mut response = bytes.into_owned().into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&mime) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}
