//! The integration tests: one binary, each test on its own fresh database and server, each
//! storage and HTTP test on SQLite and on PostgreSQL.

mod database;
mod helpers;

mod api;
mod audit;
mod backup;
mod bad_input;
mod cli;
mod cockpit;
mod events;
mod login;
mod map;
mod matrix;
mod project_import;
mod projects;
mod security;
mod sessions;
