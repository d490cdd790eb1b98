//! `GET /api/v1/me`: who the caller is and what they may do.

use crate::auth::CurrentUser;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub department_id: i64,
    pub department_name: String,
    /// Built-in role codes, e.g. `leader`, `staff`.
    pub roles: Vec<String>,
    /// Permission codes the roles grant.
    pub permissions: Vec<String>,
}

/// The signed-in user.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller", body = Me),
        (status = 401, description = "Not signed in"),
    )
)]
pub async fn me(user: CurrentUser) -> Json<Me> {
    let actor = user.actor;
    Json(Me {
        id: actor.id.0,
        username: actor.username,
        display_name: actor.display_name,
        department_id: actor.department_id.0,
        department_name: actor.department_name,
        roles: actor
            .access
            .roles
            .iter()
            .map(|r| r.as_str().to_owned())
            .collect(),
        permissions: actor
            .access
            .permissions
            .iter()
            .map(|p| p.as_str().to_owned())
            .collect(),
    })
}
