//! The `districtops` program: command line, configuration and wiring. The work itself is done
//! by the service and web crates; this crate only chooses what to run.

pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
pub mod demo;
pub mod synthetic;

pub use app::Application;
pub use config::Config;
