use districtops_domain::{FieldError, FieldErrors};
use districtops_store::StoreError;
use thiserror::Error;

/// What a service call can answer besides success. The web layer maps each to a status code
/// and a message from the catalogs; the messages here are catalog keys.
#[derive(Debug, Error)]
pub enum ServiceError {
    /// The input was refused, field by field (422).
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
    /// Not signed in, or the session ended (401).
    #[error("not signed in")]
    Unauthenticated,
    /// The user name, password or code was wrong, or the account is locked or disabled. One
    /// answer for all, so a caller learns nothing about which (401).
    #[error("login failed")]
    LoginFailed,
    /// Signed in, but the role does not allow it (403).
    #[error("forbidden")]
    Forbidden,
    /// No such object, or one outside the caller's data scope: the two look the same (404).
    #[error("not found")]
    NotFound,
    /// Someone changed the object since it was read (409).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ServiceError {
    /// For `map_err` on a store write: a unique-key violation (a name another record already
    /// holds) becomes the field error `taken`; any other error stays what it was.
    pub(crate) fn taken(taken: FieldError) -> impl FnOnce(StoreError) -> Self {
        move |e| {
            if e.is_unique_violation() {
                taken.into()
            } else {
                e.into()
            }
        }
    }
}

impl From<FieldErrors> for ServiceError {
    fn from(errors: FieldErrors) -> Self {
        Self::Invalid(errors)
    }
}

impl From<FieldError> for ServiceError {
    fn from(error: FieldError) -> Self {
        Self::Invalid(error.into())
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;
