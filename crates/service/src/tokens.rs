//! Personal API tokens for scripts: shown once, stored hashed, revocable, scoped like their
//! owner.

use crate::audit::Object;
use crate::secrets::{random_hex, token_hash};
use crate::{Ctx, ServiceError, ServiceResult, Services};
use districtops_domain::audit::FieldChange;
use districtops_domain::validation::clean_text;
use districtops_store::{TokenRow, UserRow};

/// Every token starts with this, so a leaked one is easy to recognise in a log or a scan.
pub const TOKEN_PREFIX: &str = "dop_";

impl Services {
    /// Creates a token for the actor; the secret is returned once and never stored.
    pub async fn create_token(&self, ctx: &Ctx, name: &str) -> ServiceResult<(i64, String)> {
        let actor = ctx.actor()?;
        let name = clean_text(name, "name", 60)?;
        let secret = format!("{TOKEN_PREFIX}{}", random_hex(32));
        let mut tx = self.store.begin().await?;
        let id = self
            .store
            .insert_token(&mut tx, actor.id.0, &name, &token_hash(&secret), self.now())
            .await?;
        let changes = vec![FieldChange::new("name", None::<&str>, Some(&name))];
        self.record(
            &mut tx,
            ctx,
            "token.create",
            Object::new("api_token", id),
            changes,
        )
        .await?;
        tx.commit().await?;
        Ok((id, secret))
    }

    /// The actor's own tokens.
    pub async fn my_tokens(&self, ctx: &Ctx) -> ServiceResult<Vec<TokenRow>> {
        Ok(self.store.tokens_of(ctx.actor()?.id.0).await?)
    }

    /// Revokes one of the actor's own tokens; another user's token is not found.
    pub async fn revoke_token(&self, ctx: &Ctx, id: i64) -> ServiceResult<()> {
        let actor = ctx.actor()?;
        let mut tx = self.store.begin().await?;
        if !self
            .store
            .revoke_token(&mut tx, actor.id.0, id, self.now())
            .await?
        {
            return Err(ServiceError::NotFound);
        }
        self.record(
            &mut tx,
            ctx,
            "token.revoke",
            Object::new("api_token", id),
            vec![],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The user a bearer token belongs to, if the token is live and the user enabled.
    pub async fn user_for_token(&self, secret: &str) -> ServiceResult<Option<UserRow>> {
        if !secret.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        let Some(token) = self.store.live_token(&token_hash(secret)).await? else {
            return Ok(None);
        };
        let user = self
            .store
            .user(token.user_id)
            .await?
            .filter(|u| !u.disabled);
        // "Last used" to the minute: writing on every call would make every read a write.
        let now = self.now();
        let stale = token
            .last_used_at
            .is_none_or(|at| now - at >= chrono::Duration::seconds(60));
        if user.is_some() && stale {
            self.store.touch_token(token.token_id, now).await?;
        }
        Ok(user)
    }
}
