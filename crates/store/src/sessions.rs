//! Login sessions, stored in the database so several app servers share them.

use crate::{Result, Store, Tx, exec, on_db};
use chrono::{DateTime, Utc};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SessionRow {
    pub id_hash: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub stage: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

pub struct NewSession<'a> {
    pub id_hash: &'a str,
    pub user_id: i64,
    pub csrf_token: &'a str,
    pub stage: &'a str,
    pub at: DateTime<Utc>,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

impl Store {
    pub async fn insert_session(&self, tx: &mut Tx, new: &NewSession<'_>) -> Result<()> {
        let sql = "INSERT INTO sessions (id_hash, user_id, csrf_token, stage, created_at, \
                   last_seen_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $5, $6, $7)";
        exec!(tx, conn => sqlx::query(sql)
            .bind(new.id_hash)
            .bind(new.user_id)
            .bind(new.csrf_token)
            .bind(new.stage)
            .bind(new.at)
            .bind(new.ip)
            .bind(new.user_agent)
            .execute(conn)
            .await)?;
        Ok(())
    }

    pub async fn session(&self, id_hash: &str) -> Result<Option<SessionRow>> {
        let sql = "SELECT id_hash, user_id, csrf_token, stage, created_at, last_seen_at \
                   FROM sessions WHERE id_hash = $1";
        Ok(on_db!(self, pool => sqlx::query_as(sql).bind(id_hash).fetch_optional(pool).await)?)
    }

    /// Moves a session's idle clock on.
    pub async fn touch_session(&self, id_hash: &str, at: DateTime<Utc>) -> Result<()> {
        let mut tx = self.begin().await?;
        let sql = "UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2";
        exec!(&mut tx, conn => sqlx::query(sql).bind(at).bind(id_hash).execute(conn).await)?;
        tx.commit().await
    }

    pub async fn delete_session(&self, tx: &mut Tx, id_hash: &str) -> Result<()> {
        exec!(tx, conn => sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(conn)
            .await)?;
        Ok(())
    }

    /// Ends every session of a user (on logout everywhere, disabling, password reset).
    pub async fn delete_sessions_of(&self, tx: &mut Tx, user_id: i64) -> Result<u64> {
        let done = exec!(tx, conn => sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(conn)
            .await)?;
        Ok(done)
    }

    /// Ends every session of a user but the one with hash `keep` (after a password change).
    pub async fn delete_other_sessions_of(
        &self,
        tx: &mut Tx,
        user_id: i64,
        keep: Option<&str>,
    ) -> Result<u64> {
        let sql = "DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2";
        exec!(tx, conn => sqlx::query(sql)
            .bind(user_id)
            .bind(keep.unwrap_or_default())
            .execute(conn)
            .await)
        .map_err(Into::into)
    }

    /// Removes sessions idle since before `idle_before` or created before `created_before`.
    pub async fn delete_expired_sessions(
        &self,
        idle_before: DateTime<Utc>,
        created_before: DateTime<Utc>,
    ) -> Result<u64> {
        let mut tx = self.begin().await?;
        let sql = "DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2";
        let done = exec!(&mut tx, conn => sqlx::query(sql)
            .bind(idle_before)
            .bind(created_before)
            .execute(conn)
            .await)?;
        tx.commit().await?;
        Ok(done)
    }
}
