//! The JSON API under `/api/v1`, documented by the OpenAPI document generated from the
//! handlers (`#[utoipa::path]`) and served at `/api/v1/openapi.json`, with Swagger UI at
//! `/api/docs/`.

pub mod auth;
pub mod cockpit;
pub mod events;
pub mod me;
pub mod platforms;
pub mod projects;
pub mod settings;

use crate::state::AppState;
use axum::Router;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use utoipa_swagger_ui::SwaggerUi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "districtops API",
        description = "区域发展调度平台 — the JSON API of districtops. Authenticate with \
                       `POST /api/v1/auth/login`, then send `Authorization: Bearer <token>`.",
        license(name = "Apache-2.0")
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Login and tokens"),
        (name = "me", description = "The signed-in user"),
        (name = "projects", description = "The key-project ledger (重点项目台账)"),
        (name = "cockpit", description = "The leaders' cockpit (领导驾驶舱)"),
        (name = "events", description = "Mass groundbreaking and signing events (集中开工、集中签约)"),
        (name = "platforms", description = "Functional platforms, their roadmaps and annual targets (功能平台、发展路径、年度指标)"),
        (name = "settings", description = "System settings: the status lights' thresholds (三色预警阈值)"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API routes and the document describing them, built from the same handlers.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(auth::login))
        .routes(routes!(me::me))
        .routes(routes!(projects::list::list, projects::one::create))
        .routes(routes!(projects::map::map))
        .routes(routes!(projects::one::get, projects::one::update))
        .routes(routes!(projects::children::progress))
        .routes(routes!(projects::children::add_milestone))
        .routes(routes!(projects::milestones::update))
        .routes(routes!(projects::plan::get))
        .routes(routes!(projects::plan::set))
        .routes(routes!(projects::stage::change))
        .routes(routes!(projects::status::set, projects::status::clear))
        .routes(routes!(projects::status::history))
        .routes(routes!(settings::get, settings::put))
        .routes(routes!(cockpit::cockpit))
        .routes(routes!(events::list, events::create))
        .routes(routes!(events::get, events::update))
        .routes(routes!(platforms::list))
        .routes(routes!(platforms::get))
}

/// The OpenAPI document (for the snapshot test and `/api/v1/openapi.json`).
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes().split_for_parts().1
}

pub fn router() -> Router<AppState> {
    let (router, api) = routes().split_for_parts();
    router.merge(SwaggerUi::new("/api/docs").url("/api/v1/openapi.json", api))
}
