//! The integration tests: one binary, each test on its own fresh database and server, each
//! storage and HTTP test on SQLite and on PostgreSQL.

mod database;
mod helpers;

mod api;
mod as_of;
mod as_of_history;
mod audit;
mod backup;
mod bad_input;
mod cli;
mod cockpit;
mod events;
mod goals;
mod login;
mod map;
mod matrix;
mod project_batch;
mod project_children;
mod project_import;
mod project_import_blocks;
mod project_status;
mod projects;
mod rollups;
mod security;
mod sessions;
mod status_settings;
mod synthetic;
