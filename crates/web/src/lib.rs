//! The HTTP shell of districtops: HTML pages under `/`, the JSON API under `/api/v1`, and
//! the operations endpoints. Handlers are thin: they parse the request, call one service
//! method and render its answer.
//!
//! Architecture invariants:
//! - No handler builds SQL or touches the store for business data: they call services.
//! - No handler checks roles by hand: the service method does, through `Ctx`.
//! - No template holds UI text: every word comes from the message catalogs (`locales/`).

pub mod api;
pub mod assets;
pub mod auth;
pub mod cookies;
pub mod csrf;
pub mod error;
pub mod forms;
pub mod i18n;
pub mod middleware;
pub mod ops;
pub mod pages;
pub mod state;
#[cfg(test)]
pub(crate) mod testkit;

pub use state::{AppState, GeoJson, WebConfig};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// The largest request body accepted (forms and JSON; uploads get their own limit).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The whole application.
pub fn router(state: AppState) -> Router {
    ops::metrics_handle();
    let pages = Router::new()
        .route("/", get(pages::home::show))
        .route("/cockpit", get(pages::cockpit::show))
        .route("/login", get(pages::login::form).post(pages::login::submit))
        .route(
            "/login/totp",
            get(pages::login::totp_form).post(pages::login::totp_submit),
        )
        .route("/logout", post(pages::login::logout))
        .route("/lang/{code}", get(pages::login::switch_language))
        .merge(pages::admin::routes())
        .merge(pages::account::routes())
        .merge(pages::audit::routes())
        .merge(pages::projects::routes())
        .merge(pages::events::routes())
        .merge(pages::platforms::routes());

    let app = Router::new()
        .merge(pages)
        .merge(api::router())
        .merge(assets::router())
        .fallback(|| async { error::AppError::not_found() })
        .layer(CatchPanicLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf::guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        .layer(axum::middleware::from_fn(middleware::render_errors))
        .merge(ops::router())
        .layer(axum::middleware::from_fn(middleware::track_metrics))
        .with_state(state);

    app.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(middleware::REQUEST_ID.clone(), middleware::MakeId))
            .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
                let id = request
                    .headers()
                    .get(&middleware::REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", method = %request.method(), uri = %request.uri(), request_id = %id)
            }))
            .layer(PropagateRequestIdLayer::new(middleware::REQUEST_ID.clone()))
            .layer(axum::middleware::from_fn(middleware::security_headers))
            .layer(DefaultBodyLimit::max(MAX_BODY_BYTES)),
    )
}
