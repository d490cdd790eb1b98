//! `POST /api/v1/auth/login`: a user name and password (and a TOTP code where the user has a
//! second factor) for a bearer token.

use crate::auth::Client;
use crate::error::{AppError, AppResult};
use crate::forms::Json;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use districtops_service::{Ctx, ServiceError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    #[schema(example = "staff")]
    pub username: String,
    pub password: String,
    /// The current code of the user's authenticator app (or a recovery code); required when
    /// the user has a second factor.
    #[serde(default)]
    pub totp: Option<String>,
    /// A name for the token, shown in "my API tokens".
    #[serde(default)]
    pub token_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    /// The bearer token: shown once, never again.
    pub token: String,
    pub token_type: &'static str,
}

/// Exchanges a user name and password for a personal API token.
#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = LoginResponse),
        (status = 401, description = "Wrong user name, password or code; or the account is locked"),
        (status = 429, description = "Too many attempts from this address"),
    )
)]
pub async fn login(
    State(state): State<AppState>,
    Client(client): Client,
    Json(request): Json<LoginRequest>,
) -> AppResult<axum::Json<LoginResponse>> {
    if let Some(ip) = client.ip.as_deref().and_then(|ip| ip.parse().ok())
        && state.login_limiter.check_key(&ip).is_err()
    {
        metrics::counter!("login_failures_total", "reason" => "rate_limited").increment(1);
        return Err(AppError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "auth.rate_limited",
        ));
    }
    let services = &state.services;
    let user = match services
        .check_password(&client, &request.username, &request.password)
        .await
    {
        Ok(user) => user,
        Err(e) => {
            if matches!(e, ServiceError::LoginFailed) {
                metrics::counter!("login_failures_total", "reason" => "credentials").increment(1);
            }
            return Err(e.into());
        }
    };
    let code = request.totp.as_deref().unwrap_or("");
    let actor = services.finish_api_login(&client, &user, code).await?;
    let ctx = Ctx::of(actor, client.ip.clone());
    let name = request.token_name.as_deref().unwrap_or("API login");
    let (_, token) = services.create_token(&ctx, name).await?;
    Ok(axum::Json(LoginResponse {
        token,
        token_type: "Bearer",
    }))
}
