//! Application services of districtops: every rule that needs the store, in one place that
//! the web layer and the CLI share.
//!
//! Architecture invariants:
//! - Every service method that reads or writes business data takes an [`Actor`] and passes
//!   the scope check in [`actor`] before it touches the store.
//! - Every change, login and export writes its audit record in the same transaction as the
//!   change itself ([`audit`]).
//! - "Now" comes from the injected [`Clock`], never from the system directly, so tests can
//!   move time.

pub mod actor;
pub mod audit;
mod audit_xlsx;
pub mod auth;
pub mod clock;
pub mod departments;
mod error;
pub mod events;
pub mod excel;
pub mod passwords;
pub mod projects;
pub mod secrets;
pub mod tokens;
pub mod totp;
pub mod users;

pub use actor::{Actor, Ctx};
pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{ServiceError, ServiceResult};

use districtops_domain::audit::ChainAlgorithm;
use districtops_domain::login::SessionLimits;
use districtops_domain::password::PasswordPolicy;
use districtops_store::Store;
use std::sync::Arc;

/// Settings the services run with.
#[derive(Clone, Debug)]
pub struct SecuritySettings {
    pub password_policy: PasswordPolicy,
    pub session_limits: SessionLimits,
    /// Whether the three administrator roles must use a second factor.
    pub require_admin_totp: bool,
    /// The hash of the audit chain.
    pub audit_algorithm: ChainAlgorithm,
    /// The key of the audit chain's HMAC. Keep it outside the database.
    pub audit_key: Vec<u8>,
    /// Issuer shown in authenticator apps.
    pub totp_issuer: String,
}

impl Default for SecuritySettings {
    fn default() -> Self {
        Self {
            password_policy: PasswordPolicy::default(),
            session_limits: SessionLimits::default(),
            require_admin_totp: true,
            audit_algorithm: ChainAlgorithm::Sm3,
            audit_key: Vec::new(),
            totp_issuer: "districtops".to_owned(),
        }
    }
}

/// The services of one district: cheap to clone, shared by every request.
#[derive(Clone)]
pub struct Services {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub settings: Arc<SecuritySettings>,
    /// The date the ledger treats as today, when it is fixed (`district.business_date`):
    /// status lights, overdue days, this year's targets and the date of a stage change
    /// follow it; sessions, passwords and the audit log keep the real clock. The demo fixes
    /// it at the end of its recorded history, so its figures read as they did then.
    pub business_date: Option<chrono::NaiveDate>,
}

impl Services {
    pub fn new(store: Store, clock: Arc<dyn Clock>, settings: SecuritySettings) -> Self {
        Self {
            store,
            clock,
            settings: Arc::new(settings),
            business_date: None,
        }
    }

    /// The services with the ledger's today fixed at `date` (`None`: the real date).
    pub fn with_business_date(mut self, date: Option<chrono::NaiveDate>) -> Self {
        self.business_date = date;
        self
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
}
