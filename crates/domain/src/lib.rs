//! The pure domain of districtops: the types and rules every area shares.
//!
//! Architecture invariant: nothing in this crate does IO. No database, no network, no clock:
//! functions that depend on "now" take it as an argument, so every rule is a plain function
//! that a unit test can call.

pub mod access;
pub mod audit;
pub mod cells;
pub mod ids;
pub mod login;
pub mod money;
pub mod org;
pub mod password;
pub mod projects;
pub mod user;
pub mod validation;

pub use ids::{DepartmentId, UserId};
pub use validation::{FieldError, FieldErrors};
