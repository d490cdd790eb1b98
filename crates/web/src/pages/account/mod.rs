//! The signed-in user's own account: password, two-step verification and API tokens.
//!
//! The password and two-step pages take [`crate::auth::SignedIn`], not `CurrentUser`: a user
//! who owes a password change or a second-factor enrolment is sent there and must be able to
//! settle it.

pub mod password;
pub mod qr;
#[cfg(test)]
mod tests;
pub mod tokens;
pub mod totp;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};
use districtops_domain::{FieldError, FieldErrors};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/account/password",
            get(password::form).post(password::submit),
        )
        .route("/account/totp", get(totp::show))
        .route("/account/totp/start", post(totp::start))
        .route("/account/totp/confirm", post(totp::confirm))
        .route("/account/tokens", get(tokens::list).post(tokens::create))
        .route("/account/tokens/{id}/revoke", post(tokens::revoke))
}

/// A form's field errors as templates look them up.
#[derive(Clone, Debug, Default)]
pub struct Errors(pub FieldErrors);

impl Errors {
    /// The catalog key of the first error of `field`.
    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.0
            .0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<FieldError> for Errors {
    fn from(error: FieldError) -> Self {
        Self(error.into())
    }
}

impl From<FieldErrors> for Errors {
    fn from(errors: FieldErrors) -> Self {
        Self(errors)
    }
}

/// A time as the account pages show it (UTC, to the minute).
pub(crate) fn minute(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d %H:%M").to_string()
}
