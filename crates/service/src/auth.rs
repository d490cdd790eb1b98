//! Login, sessions, second factor and logout; changing one's own password is in
//! [`password`].

mod password;

use crate::audit::Object;
use crate::passwords::{decoy_hash, verify_password};
use crate::secrets::{random_hex, token_hash};
use crate::{Actor, Ctx, ServiceError, ServiceResult, Services};
use chrono::{DateTime, Utc};
use districtops_domain::audit::{FieldChange, Outcome};
use districtops_domain::login::LockoutState;
use districtops_domain::user::Username;
use districtops_store::{NewSession, Tx, UserRow};

/// How far a login has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionStage {
    /// The password was right; the second factor is still owed.
    SecondFactor,
    /// Fully signed in.
    Active,
}

impl SessionStage {
    fn as_str(self) -> &'static str {
        match self {
            Self::SecondFactor => "second_factor",
            Self::Active => "active",
        }
    }
}

/// A session just opened: the secret for the cookie is shown once and stored only hashed.
#[derive(Clone, Debug)]
pub struct NewLogin {
    pub session_id: String,
    pub csrf_token: String,
    pub stage: SessionStage,
}

/// A session found for a request.
#[derive(Clone, Debug)]
pub struct SessionInfo {
    pub actor: Actor,
    pub csrf_token: String,
    pub stage: SessionStage,
    /// The actor must enrol a second factor before anything else.
    pub needs_totp_enrolment: bool,
}

/// Where the login request came from.
#[derive(Clone, Debug, Default)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl Services {
    /// Checks a user name and password. Every refusal is the same [`ServiceError::LoginFailed`]
    /// whatever the reason (unknown user, wrong password, locked, disabled); the audit log
    /// keeps the real reason.
    pub async fn check_password(
        &self,
        client: &ClientInfo,
        username: &str,
        password: &str,
    ) -> ServiceResult<UserRow> {
        let ctx = Ctx::anonymous(client.ip.clone());
        let attempted: String = username.trim().chars().take(64).collect();
        let found = match Username::parse(username) {
            Ok(name) => self.store.user_by_name(name.as_str()).await?,
            Err(_) => None,
        };
        let Some(user) = found else {
            // Spend the time a real check takes, so timing tells nothing either.
            verify_password(password.to_owned(), decoy_hash().await?).await;
            return self
                .refuse_login(&ctx, &attempted, None, "unknown_user")
                .await;
        };
        let now = self.now();
        if user.lockout().is_locked(now) {
            return self
                .refuse_login(&ctx, &user.username, Some(&user), "locked")
                .await;
        }
        if !verify_password(password.to_owned(), user.password_hash.clone()).await {
            let mut tx = self.store.begin().await?;
            let after = self.count_failed_login(&mut tx, &user, now).await?;
            tx.commit().await?;
            let reason = if after.is_locked(now) {
                "bad_password_now_locked"
            } else {
                "bad_password"
            };
            return self
                .refuse_login(&ctx, &user.username, Some(&user), reason)
                .await;
        }
        if user.disabled {
            return self
                .refuse_login(&ctx, &user.username, Some(&user), "disabled")
                .await;
        }
        Ok(user)
    }

    /// Counts one more failed login of `user` in `tx`; returns the lockout that follows.
    async fn count_failed_login(
        &self,
        tx: &mut Tx,
        user: &UserRow,
        now: DateTime<Utc>,
    ) -> ServiceResult<LockoutState> {
        let after = user.lockout().after_failure(now);
        self.store
            .set_lockout(tx, user.id, after.failed_logins, after.locked_until)
            .await?;
        Ok(after)
    }

    /// Records a refused login and its reason in a transaction of its own, and answers
    /// [`ServiceError::LoginFailed`].
    async fn refuse_login<T>(
        &self,
        ctx: &Ctx,
        username: &str,
        user: Option<&UserRow>,
        reason: &str,
    ) -> ServiceResult<T> {
        let tx = self.store.begin().await?;
        self.refuse_login_in(tx, ctx, username, user, reason).await
    }

    /// As [`Services::refuse_login`], committing the record with what `tx` already holds.
    async fn refuse_login_in<T>(
        &self,
        mut tx: Tx,
        ctx: &Ctx,
        username: &str,
        user: Option<&UserRow>,
        reason: &str,
    ) -> ServiceResult<T> {
        let object = user.map_or_else(Object::none, |u| Object::user(u.id));
        let changes = vec![FieldChange::new("reason", None::<&str>, Some(reason))];
        self.audit_as(
            &mut tx,
            ctx,
            Some(username),
            "auth.login",
            object,
            Outcome::Failure,
            changes,
        )
        .await?;
        tx.commit().await?;
        Err(ServiceError::LoginFailed)
    }

    /// Signs in with a password, opening a session with a fresh ID. Users with a second factor
    /// get a session that can only finish the login.
    pub async fn login(
        &self,
        client: &ClientInfo,
        username: &str,
        password: &str,
    ) -> ServiceResult<NewLogin> {
        let user = self.check_password(client, username, password).await?;
        let stage = if user.totp_enabled {
            SessionStage::SecondFactor
        } else {
            SessionStage::Active
        };
        let mut tx = self.store.begin().await?;
        self.store.set_lockout(&mut tx, user.id, 0, None).await?;
        let login = self.open_session(&mut tx, &user, client, stage).await?;
        if stage == SessionStage::Active {
            let ctx = Ctx::of(self.actor(&user).await?, client.ip.clone());
            self.record(&mut tx, &ctx, "auth.login", Object::user(user.id), vec![])
                .await?;
        }
        tx.commit().await?;
        Ok(login)
    }

    async fn open_session(
        &self,
        tx: &mut Tx,
        user: &UserRow,
        client: &ClientInfo,
        stage: SessionStage,
    ) -> ServiceResult<NewLogin> {
        let session_id = random_hex(32);
        let csrf_token = random_hex(32);
        let user_agent: Option<String> = client
            .user_agent
            .as_deref()
            .map(|ua| ua.chars().take(300).collect());
        self.store
            .insert_session(
                tx,
                &NewSession {
                    id_hash: &token_hash(&session_id),
                    user_id: user.id,
                    csrf_token: &csrf_token,
                    stage: stage.as_str(),
                    at: self.now(),
                    ip: client.ip.as_deref(),
                    user_agent: user_agent.as_deref(),
                },
            )
            .await?;
        Ok(NewLogin {
            session_id,
            csrf_token,
            stage,
        })
    }

    /// Finishes a login through the API, where the code comes with the password. A user with a
    /// second factor must give a valid code; an administrator who must have one and has not
    /// enrolled is refused until they enrol in the browser.
    pub async fn finish_api_login(
        &self,
        client: &ClientInfo,
        user: &UserRow,
        code: &str,
    ) -> ServiceResult<Actor> {
        let actor = self.actor(user).await?;
        let ctx = Ctx::of(actor.clone(), client.ip.clone());
        let mut tx = self.store.begin().await?;
        let refusal = if user.totp_enabled {
            (!self.accept_second_factor(&mut tx, user, code).await?).then_some("bad_second_factor")
        } else if self.settings.require_admin_totp && actor.access.is_administrator() {
            Some("second_factor_not_enrolled")
        } else {
            None
        };
        if let Some(reason) = refusal {
            drop(tx);
            return self
                .refuse_login(&ctx, &user.username, Some(user), reason)
                .await;
        }
        self.store.set_lockout(&mut tx, user.id, 0, None).await?;
        let changes = vec![FieldChange::new("via", None::<&str>, Some("api"))];
        self.record(&mut tx, &ctx, "auth.login", Object::user(user.id), changes)
            .await?;
        tx.commit().await?;
        Ok(actor)
    }

    /// Finishes a login with a TOTP code or a recovery code. The half-open session is replaced
    /// by a new one with a new ID.
    pub async fn complete_second_factor(
        &self,
        client: &ClientInfo,
        session_id: &str,
        code: &str,
    ) -> ServiceResult<NewLogin> {
        let info = self
            .session(session_id)
            .await?
            .ok_or(ServiceError::Unauthenticated)?;
        if info.stage != SessionStage::SecondFactor {
            return Err(ServiceError::Unauthenticated);
        }
        let user = self
            .store
            .user(info.actor.id.0)
            .await?
            .ok_or(ServiceError::Unauthenticated)?;
        let ctx = Ctx::of(info.actor.clone(), client.ip.clone());
        let mut tx = self.store.begin().await?;
        let accepted = self.accept_second_factor(&mut tx, &user, code).await?;
        if !accepted {
            drop(tx);
            let mut tx = self.store.begin().await?;
            let now = self.now();
            let lockout = self.count_failed_login(&mut tx, &user, now).await?;
            if lockout.is_locked(now) {
                self.store
                    .delete_session(&mut tx, &token_hash(session_id))
                    .await?;
            }
            return self
                .refuse_login_in(tx, &ctx, &user.username, Some(&user), "bad_second_factor")
                .await;
        }
        self.store
            .delete_session(&mut tx, &token_hash(session_id))
            .await?;
        self.store.set_lockout(&mut tx, user.id, 0, None).await?;
        let login = self
            .open_session(&mut tx, &user, client, SessionStage::Active)
            .await?;
        self.record(&mut tx, &ctx, "auth.login", Object::user(user.id), vec![])
            .await?;
        tx.commit().await?;
        Ok(login)
    }

    /// The live session with this ID, if any. An expired session is removed; a disabled
    /// user's session is refused.
    pub async fn session(&self, session_id: &str) -> ServiceResult<Option<SessionInfo>> {
        let id_hash = token_hash(session_id);
        let Some(row) = self.store.session(&id_hash).await? else {
            return Ok(None);
        };
        let now = self.now();
        let limits = &self.settings.session_limits;
        if limits.is_expired(row.created_at, row.last_seen_at, now) {
            let mut tx = self.store.begin().await?;
            self.store.delete_session(&mut tx, &id_hash).await?;
            tx.commit().await?;
            return Ok(None);
        }
        let Some(user) = self.store.user(row.user_id).await? else {
            return Ok(None);
        };
        if user.disabled {
            return Ok(None);
        }
        // Writing on every request would make every read a write; a minute is fine-grained
        // enough for a 30-minute idle limit.
        if now - row.last_seen_at >= chrono::Duration::seconds(60) {
            self.store.touch_session(&id_hash, now).await?;
        }
        let actor = self.actor(&user).await?;
        let stage = if row.stage == "active" {
            SessionStage::Active
        } else {
            SessionStage::SecondFactor
        };
        let needs_totp_enrolment = self.settings.require_admin_totp
            && actor.access.is_administrator()
            && !user.totp_enabled;
        Ok(Some(SessionInfo {
            actor,
            csrf_token: row.csrf_token,
            stage,
            needs_totp_enrolment,
        }))
    }

    /// Ends one session.
    pub async fn logout(&self, ctx: &Ctx, session_id: &str) -> ServiceResult<()> {
        let mut tx = self.store.begin().await?;
        self.store
            .delete_session(&mut tx, &token_hash(session_id))
            .await?;
        if let Some(actor) = &ctx.actor {
            self.record(&mut tx, ctx, "auth.logout", Object::user(actor.id), vec![])
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
