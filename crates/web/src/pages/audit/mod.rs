//! The security auditor's pages: the audit log and the login log, each with an Excel export.
//! The services refuse anyone without `ReadAudit`.

pub mod filter;
pub mod log;
#[cfg(test)]
mod tests;

use crate::state::AppState;
use axum::Router;
use axum::routing::get;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/audit", get(log::audit_log))
        .route("/audit/export.xlsx", get(log::audit_export))
        .route("/audit/logins", get(log::login_log))
        .route("/audit/logins/export.xlsx", get(log::login_export))
}
