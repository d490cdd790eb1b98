//! Static files, embedded in the binary: our own stylesheet and scripts from `static/`, and
//! the pinned front-end packages from `node_modules/` (installed by `npm ci`, copied in by
//! `build.rs`). Nothing is ever loaded from a CDN. The district's outline is the built-in
//! 槐荫区 cut from Jinan's map, or the file named by `district.geojson`.

use crate::state::AppState;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rust_embed::RustEmbed;
use std::borrow::Cow;

#[derive(RustEmbed)]
#[folder = "static/"]
struct Own;

const JS: &str = "text/javascript";
const JSON: &str = "application/json";

/// Front-end packages, copied from `node_modules` at build time, with their media type.
const VENDOR: &[(&str, &[u8], &str)] = &[
    (
        "vendor/htmx.min.js",
        include_bytes!(concat!(env!("OUT_DIR"), "/vendor/htmx.min.js")),
        JS,
    ),
    (
        "vendor/echarts.min.js",
        include_bytes!(concat!(env!("OUT_DIR"), "/vendor/echarts.min.js")),
        JS,
    ),
    (
        "vendor/jinan.json",
        include_bytes!(concat!(env!("OUT_DIR"), "/vendor/jinan.json")),
        JSON,
    ),
];

/// 槐荫区 (adcode 370104), cut from Jinan's map by `build.rs`.
const BUILT_IN_DISTRICT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/vendor/district.json"));

/// Where the district's outline is served.
pub const DISTRICT_PATH: &str = "/static/vendor/district.json";
/// Where Jinan's districts (the built-in district's neighbours) are served.
pub const CITY_PATH: &str = "/static/vendor/jinan.json";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(DISTRICT_PATH, get(district))
        .route("/static/{*path}", get(serve))
        .route(
            "/favicon.ico",
            get(|| serve(Path("favicon.svg".to_owned()))),
        )
}

/// The district's outline: the configured file, else the built-in one.
async fn district(State(state): State<AppState>) -> Response {
    match &state.config.district_geojson {
        Some(file) => respond(Cow::Owned(file.0.to_vec()), JSON),
        None => respond(Cow::Borrowed(BUILT_IN_DISTRICT), JSON),
    }
}

async fn serve(Path(path): Path<String>) -> Response {
    if let Some((_, bytes, mime)) = VENDOR.iter().find(|(name, _, _)| *name == path) {
        respond(Cow::Borrowed(*bytes), mime)
    } else if let Some(file) = Own::get(&path) {
        respond(file.data, file.metadata.mimetype())
    } else {
        StatusCode::NOT_FOUND.into_response()
    }
}

fn respond(bytes: Cow<'static, [u8]>, mime: &str) -> Response {
    let mut response = bytes.into_owned().into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(mime) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}
