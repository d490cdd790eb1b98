//! What only PostgreSQL needs: connection set-up and its migrations.

use crate::Result;
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

pub(crate) async fn connect(url: &str) -> Result<PgPool> {
    Ok(PgPoolOptions::new()
        .max_connections(16)
        .connect(url)
        .await?)
}
