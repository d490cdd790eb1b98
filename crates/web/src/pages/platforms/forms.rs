//! What the forms of phases ([`super::phases`]) and targets ([`super::kpis`]) share: what
//! the user typed is kept on an error, with the message beside its field; a hidden
//! `version` refuses a stale save with the latest version taken, so a second save is a
//! deliberate overwrite. The service decides who may change them.

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::pages::Page;
use crate::pages::admin::FieldMessages;
use crate::state::AppState;
use axum::http::StatusCode;
use districtops_service::ServiceError;
use serde::Deserialize;

/// The `version` a delete is checked against.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct VersionForm {
    pub version: String,
}

pub(super) fn version_of(raw: &str) -> i64 {
    raw.trim().parse().unwrap_or(-1)
}

/// The planners' forms are refused to others before they are shown.
pub(super) fn require_planner(state: &AppState, user: &CurrentUser) -> AppResult<()> {
    if state.services.may_plan(&user.ctx()) {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// The status and flash of a refused save; other errors become the error page.
pub(super) fn refusal(
    lang: Lang,
    error: ServiceError,
    page: &mut Page,
    errors: &mut FieldMessages,
) -> AppResult<StatusCode> {
    match error {
        ServiceError::Invalid(fields) => {
            *errors = FieldMessages::new(lang.tr(), &fields);
            Ok(StatusCode::UNPROCESSABLE_ENTITY)
        }
        ServiceError::Conflict(key) => {
            *page = page.clone().flash_error(lang.tr().t(key));
            Ok(StatusCode::CONFLICT)
        }
        other => Err(other.into()),
    }
}
