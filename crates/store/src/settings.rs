//! System settings as key/value pairs; the service layer gives them types.

use crate::{Result, Store, Tx, exec, on_db};

impl Store {
    pub async fn settings(&self) -> Result<Vec<(String, String)>> {
        let sql = "SELECT key, value FROM settings ORDER BY key";
        Ok(on_db!(self, pool => sqlx::query_as(sql).fetch_all(pool).await)?)
    }

    pub async fn put_setting(&self, tx: &mut Tx, key: &str, value: &str) -> Result<()> {
        let sql = "INSERT INTO settings (key, value) VALUES ($1, $2) \
                   ON CONFLICT (key) DO UPDATE SET value = excluded.value";
        exec!(tx, conn => sqlx::query(sql).bind(key).bind(value).execute(conn).await)?;
        Ok(())
    }
}
