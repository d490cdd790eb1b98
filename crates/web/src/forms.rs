//! Form and JSON extractors whose refusals speak the user's language: a malformed body,
//! a wrong type or invalid UTF-8 gets a 4xx with a catalog message, never a bare text error.

use crate::error::AppError;
use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;

/// `axum::Form` with our error.
pub struct Form<T>(pub T);

impl<T, S> FromRequest<S> for Form<T>
where
    axum::Form<T>: FromRequest<S, Rejection = FormRejection>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        match axum::Form::<T>::from_request(request, state).await {
            Ok(axum::Form(value)) => Ok(Self(value)),
            Err(rejection) => Err(match rejection {
                FormRejection::InvalidFormContentType(_) => {
                    AppError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "error.media_type")
                }
                FormRejection::BytesRejection(_) => {
                    AppError::new(StatusCode::PAYLOAD_TOO_LARGE, "error.too_large")
                }
                _ => AppError::new(StatusCode::UNPROCESSABLE_ENTITY, "error.bad_form"),
            }),
        }
    }
}

/// `axum::Json` with our error.
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    axum::Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(match rejection {
                JsonRejection::MissingJsonContentType(_) => {
                    AppError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "error.media_type")
                }
                JsonRejection::BytesRejection(_) => {
                    AppError::new(StatusCode::PAYLOAD_TOO_LARGE, "error.too_large")
                }
                JsonRejection::JsonSyntaxError(_) => {
                    AppError::new(StatusCode::BAD_REQUEST, "error.bad_json")
                }
                _ => AppError::new(StatusCode::UNPROCESSABLE_ENTITY, "error.bad_json_fields"),
            }),
        }
    }
}
