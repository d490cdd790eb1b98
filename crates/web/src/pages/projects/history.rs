//! The ledger "as of" a past day on the pages (`?as_of=2020-03-31`): the read-only banner
//! and the answer to a day that does not parse or lies ahead.

use crate::error::AppError;
use crate::i18n::Tr;
use axum::http::StatusCode;
use chrono::NaiveDate;
use districtops_domain::FieldErrors;
use districtops_service::ServiceError;

/// What an as-of page shows above its content.
pub struct History {
    /// `YYYY-MM-DD`, kept in the page's links.
    pub day: String,
    /// "历史视图：截至 2020-03-31 的台账，只读".
    pub banner: String,
}

impl History {
    pub fn new(tr: Tr, day: NaiveDate) -> Self {
        Self {
            day: day.to_string(),
            banner: tr.f("project.as_of.banner", &[("date", &day)]),
        }
    }
}

/// A refused day as the page's error (422 with the message itself, e.g. "截至日期不能晚于今天"),
/// any other error as it is.
pub fn refused(error: ServiceError) -> AppError {
    match error {
        ServiceError::Invalid(FieldErrors(fields)) if !fields.is_empty() => {
            AppError::new(StatusCode::UNPROCESSABLE_ENTITY, fields[0].message)
        }
        other => other.into(),
    }
}

/// The `as_of` parameter of a page that takes no other (a project's page).
#[derive(Debug, Default, serde::Deserialize)]
pub struct AsOfParam {
    #[serde(default)]
    pub as_of: String,
}

impl AsOfParam {
    /// The day asked for, `None` for today's ledger; one that does not parse is a 422.
    pub fn day(&self) -> Result<Option<NaiveDate>, AppError> {
        let raw = self.as_of.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        districtops_service::projects::as_of::parse_day(raw)
            .map(Some)
            .map_err(|e| AppError::new(StatusCode::UNPROCESSABLE_ENTITY, e.message))
    }
}
