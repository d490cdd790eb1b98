//! Personal API tokens, stored as hashes.

use crate::{Result, Store, Tx, exec, on_db, on_tx};
use chrono::{DateTime, Utc};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TokenRow {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A live token and the state of its owner, as authentication needs them.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TokenOwnerRow {
    pub token_id: i64,
    pub user_id: i64,
    pub last_used_at: Option<DateTime<Utc>>,
}

impl Store {
    pub async fn insert_token(
        &self,
        tx: &mut Tx,
        user_id: i64,
        name: &str,
        token_hash: &str,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        let sql = "INSERT INTO api_tokens (user_id, name, token_hash, created_at) \
                   VALUES ($1, $2, $3, $4) RETURNING id";
        Ok(on_tx!(tx, conn => sqlx::query_scalar(sql)
            .bind(user_id)
            .bind(name)
            .bind(token_hash)
            .bind(at)
            .fetch_one(conn)
            .await)?)
    }

    pub async fn tokens_of(&self, user_id: i64) -> Result<Vec<TokenRow>> {
        let sql = "SELECT id, user_id, name, created_at, last_used_at, revoked_at \
                   FROM api_tokens WHERE user_id = $1 ORDER BY id DESC";
        Ok(on_db!(self, pool => sqlx::query_as(sql).bind(user_id).fetch_all(pool).await)?)
    }

    /// The unrevoked token with this hash.
    pub async fn live_token(&self, token_hash: &str) -> Result<Option<TokenOwnerRow>> {
        let sql = "SELECT id AS token_id, user_id, last_used_at FROM api_tokens \
                   WHERE token_hash = $1 AND revoked_at IS NULL";
        Ok(on_db!(self, pool => sqlx::query_as(sql).bind(token_hash).fetch_optional(pool).await)?)
    }

    pub async fn touch_token(&self, id: i64, at: DateTime<Utc>) -> Result<()> {
        let mut tx = self.begin().await?;
        let sql = "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2";
        exec!(&mut tx, conn => sqlx::query(sql).bind(at).bind(id).execute(conn).await)?;
        tx.commit().await
    }

    /// Revokes a live token of `user_id`; false when the user has no such live token.
    pub async fn revoke_token(
        &self,
        tx: &mut Tx,
        user_id: i64,
        id: i64,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        let sql = "UPDATE api_tokens SET revoked_at = $1 \
                   WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL";
        let done = exec!(tx, conn => sqlx::query(sql).bind(at).bind(id).bind(user_id).execute(conn).await)?;
        Ok(done == 1)
    }
}
