//! User accounts, their roles and second factors.

use crate::{Result, Store, Tx, exec, on_db, on_tx};
use chrono::{DateTime, Utc};
use districtops_domain::login::LockoutState;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub department_id: i64,
    pub password_hash: String,
    pub password_changed_at: DateTime<Utc>,
    pub must_change_password: bool,
    pub disabled: bool,
    pub failed_logins: i64,
    pub locked_until: Option<DateTime<Utc>>,
    pub totp_secret: Option<String>,
    pub totp_enabled: bool,
    pub totp_last_step: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub version: i64,
}

impl UserRow {
    /// The account's failed logins and lockout, as the lockout rules see them.
    pub fn lockout(&self) -> LockoutState {
        LockoutState {
            failed_logins: self.failed_logins,
            locked_until: self.locked_until,
        }
    }
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub department_id: i64,
    pub password_hash: &'a str,
    pub must_change_password: bool,
    pub created_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, username, display_name, department_id, password_hash, \
    password_changed_at, must_change_password, disabled, failed_logins, locked_until, \
    totp_secret, totp_enabled, totp_last_step, created_at, version";

impl Store {
    pub async fn users(&self) -> Result<Vec<UserRow>> {
        let sql = format!("SELECT {COLUMNS} FROM users ORDER BY username");
        Ok(on_db!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await)?)
    }

    /// The users shown as `display_name` (a project's leader is written by name).
    pub async fn users_displayed_as(&self, display_name: &str) -> Result<Vec<UserRow>> {
        let sql = format!("SELECT {COLUMNS} FROM users WHERE display_name = $1 ORDER BY username");
        Ok(on_db!(self, pool => sqlx::query_as(&sql).bind(display_name).fetch_all(pool).await)?)
    }

    pub async fn user(&self, id: i64) -> Result<Option<UserRow>> {
        let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
        Ok(on_db!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?)
    }

    pub async fn user_by_name(&self, username: &str) -> Result<Option<UserRow>> {
        let sql = format!("SELECT {COLUMNS} FROM users WHERE username = $1");
        Ok(on_db!(self, pool => sqlx::query_as(&sql).bind(username).fetch_optional(pool).await)?)
    }

    /// The user, read inside a write transaction (to decide on the freshest state).
    pub async fn user_in(&self, tx: &mut Tx, id: i64) -> Result<Option<UserRow>> {
        let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
        Ok(on_tx!(tx, conn => sqlx::query_as(&sql).bind(id).fetch_optional(conn).await)?)
    }

    pub async fn insert_user(&self, tx: &mut Tx, new: &NewUser<'_>) -> Result<i64> {
        let sql = "INSERT INTO users (username, display_name, department_id, password_hash, \
                   password_changed_at, must_change_password, created_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $5) RETURNING id";
        Ok(on_tx!(tx, conn => sqlx::query_scalar(sql)
            .bind(new.username)
            .bind(new.display_name)
            .bind(new.department_id)
            .bind(new.password_hash)
            .bind(new.created_at)
            .bind(new.must_change_password)
            .fetch_one(conn)
            .await)?)
    }

    /// Changes name and department if the user is still at `version`.
    pub async fn update_user_profile(
        &self,
        tx: &mut Tx,
        id: i64,
        version: i64,
        display_name: &str,
        department_id: i64,
    ) -> Result<bool> {
        let sql = "UPDATE users SET display_name = $1, department_id = $2, version = version + 1 \
                   WHERE id = $3 AND version = $4";
        let done = exec!(tx, conn => sqlx::query(sql)
            .bind(display_name)
            .bind(department_id)
            .bind(id)
            .bind(version)
            .execute(conn)
            .await)?;
        Ok(done == 1)
    }

    pub async fn set_password(
        &self,
        tx: &mut Tx,
        id: i64,
        password_hash: &str,
        changed_at: DateTime<Utc>,
        must_change: bool,
    ) -> Result<()> {
        let sql = "UPDATE users SET password_hash = $1, password_changed_at = $2, \
                   must_change_password = $3, failed_logins = 0, locked_until = NULL, \
                   version = version + 1 WHERE id = $4";
        exec!(tx, conn => sqlx::query(sql)
            .bind(password_hash)
            .bind(changed_at)
            .bind(must_change)
            .bind(id)
            .execute(conn)
            .await)?;
        Ok(())
    }

    pub async fn set_disabled(&self, tx: &mut Tx, id: i64, disabled: bool) -> Result<()> {
        let sql = "UPDATE users SET disabled = $1, version = version + 1 WHERE id = $2";
        exec!(tx, conn => sqlx::query(sql).bind(disabled).bind(id).execute(conn).await)?;
        Ok(())
    }

    /// Stores the lockout counters after a login attempt.
    pub async fn set_lockout(
        &self,
        tx: &mut Tx,
        id: i64,
        failed_logins: i64,
        locked_until: Option<DateTime<Utc>>,
    ) -> Result<()> {
        let sql = "UPDATE users SET failed_logins = $1, locked_until = $2 WHERE id = $3";
        exec!(tx, conn => sqlx::query(sql)
            .bind(failed_logins)
            .bind(locked_until)
            .bind(id)
            .execute(conn)
            .await)?;
        Ok(())
    }

    pub async fn roles_of(&self, user_id: i64) -> Result<Vec<String>> {
        let sql = "SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role";
        Ok(on_db!(self, pool => sqlx::query_scalar(sql).bind(user_id).fetch_all(pool).await)?)
    }

    /// Every (user, role) pair, for lists of users.
    pub async fn all_roles(&self) -> Result<Vec<(i64, String)>> {
        let sql = "SELECT user_id, role FROM user_roles ORDER BY user_id, role";
        Ok(on_db!(self, pool => sqlx::query_as(sql).fetch_all(pool).await)?)
    }

    pub async fn roles_of_in(&self, tx: &mut Tx, user_id: i64) -> Result<Vec<String>> {
        let sql = "SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role";
        Ok(on_tx!(tx, conn => sqlx::query_scalar(sql).bind(user_id).fetch_all(conn).await)?)
    }

    pub async fn set_roles(&self, tx: &mut Tx, user_id: i64, roles: &[&str]) -> Result<()> {
        exec!(tx, conn => sqlx::query("DELETE FROM user_roles WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *conn)
            .await)?;
        for role in roles {
            exec!(tx, conn => sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                .bind(user_id)
                .bind(role)
                .execute(conn)
                .await)?;
        }
        Ok(())
    }

    /// Stores a second-factor secret (`enabled` once the user proved they hold it).
    pub async fn set_totp(
        &self,
        tx: &mut Tx,
        user_id: i64,
        secret: Option<&str>,
        enabled: bool,
    ) -> Result<()> {
        let sql = "UPDATE users SET totp_secret = $1, totp_enabled = $2, totp_last_step = NULL \
                   WHERE id = $3";
        exec!(tx, conn => sqlx::query(sql).bind(secret).bind(enabled).bind(user_id).execute(conn).await)?;
        Ok(())
    }

    /// Records the time step of an accepted code, only if it is later than the last one: the
    /// same code can never be used twice. False when the step was already used.
    pub async fn advance_totp_step(&self, tx: &mut Tx, user_id: i64, step: i64) -> Result<bool> {
        let sql = "UPDATE users SET totp_last_step = $1 \
                   WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)";
        let done =
            exec!(tx, conn => sqlx::query(sql).bind(step).bind(user_id).execute(conn).await)?;
        Ok(done == 1)
    }

    pub async fn replace_recovery_codes(
        &self,
        tx: &mut Tx,
        user_id: i64,
        code_hashes: &[String],
    ) -> Result<()> {
        exec!(tx, conn => sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *conn)
            .await)?;
        for hash in code_hashes {
            exec!(tx, conn => sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
                .bind(user_id)
                .bind(hash)
                .execute(conn)
                .await)?;
        }
        Ok(())
    }

    /// Marks an unused recovery code as used; false when there is no such unused code.
    pub async fn use_recovery_code(
        &self,
        tx: &mut Tx,
        user_id: i64,
        code_hash: &str,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        let sql = "UPDATE recovery_codes SET used_at = $1 \
                   WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL";
        let done = exec!(tx, conn => sqlx::query(sql).bind(at).bind(user_id).bind(code_hash).execute(conn).await)?;
        Ok(done >= 1)
    }

    pub async fn unused_recovery_codes(&self, user_id: i64) -> Result<i64> {
        let sql = "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL";
        Ok(on_db!(self, pool => sqlx::query_scalar(sql).bind(user_id).fetch_one(pool).await)?)
    }

    pub async fn count_users(&self) -> Result<i64> {
        Ok(
            on_db!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await)?,
        )
    }
}
