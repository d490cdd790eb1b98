//! The one error type of the web layer.
//!
//! Handlers return `Result<_, AppError>`. An error becomes a response carrying an
//! [`ErrorInfo`] extension; the `render_errors` middleware then renders it as a JSON body
//! under `/api/` or as an HTML page elsewhere, in the user's language and with the request ID.
//! Internal errors are logged with their cause and shown only as a generic message.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use districtops_domain::FieldErrors;
use districtops_service::ServiceError;

/// An error answered to the client.
#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    /// Catalog key of the message.
    pub message: &'static str,
    pub fields: FieldErrors,
}

/// What `render_errors` needs to render an error response.
#[derive(Clone, Debug)]
pub struct ErrorInfo {
    pub message: &'static str,
    pub fields: FieldErrors,
}

impl AppError {
    pub fn new(status: StatusCode, message: &'static str) -> Self {
        Self {
            status,
            message,
            fields: FieldErrors::default(),
        }
    }

    pub fn bad_request(message: &'static str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "error.not_found")
    }

    pub fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, "error.forbidden")
    }

    pub fn unauthenticated() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "error.unauthenticated")
    }

    pub fn internal(context: &str, cause: &dyn std::fmt::Display) -> Self {
        tracing::error!(context, %cause, "internal error");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "error.internal")
    }
}

impl From<ServiceError> for AppError {
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::Invalid(fields) => Self {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                message: "error.invalid",
                fields,
            },
            ServiceError::Unauthenticated => Self::unauthenticated(),
            ServiceError::LoginFailed => Self::new(StatusCode::UNAUTHORIZED, "auth.login_failed"),
            ServiceError::Forbidden => Self::forbidden(),
            ServiceError::NotFound => Self::not_found(),
            ServiceError::Conflict(key) => Self::new(StatusCode::CONFLICT, key),
            ServiceError::Store(e) => Self::internal("store", &e),
            ServiceError::Internal(e) => Self::internal("service", &e),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        response.extensions_mut().insert(ErrorInfo {
            message: self.message,
            fields: self.fields,
        });
        response
    }
}

pub type AppResult<T> = Result<T, AppError>;
