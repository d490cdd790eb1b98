//! Changing one's own password.

use crate::audit::Object;
use crate::passwords::{hash_password, verify_password};
use crate::secrets::token_hash;
use crate::{Ctx, ServiceError, ServiceResult, Services};
use districtops_domain::audit::FieldChange;
use districtops_domain::validation::FieldError;

impl Services {
    /// Changes the actor's own password after checking the current one. Other sessions of
    /// the user end; the current one stays.
    pub async fn change_own_password(
        &self,
        ctx: &Ctx,
        current_session: Option<&str>,
        current: &str,
        new: &str,
    ) -> ServiceResult<()> {
        let actor = ctx.actor()?;
        let user = self
            .store
            .user(actor.id.0)
            .await?
            .ok_or(ServiceError::Unauthenticated)?;
        if !verify_password(current.to_owned(), user.password_hash.clone()).await {
            return Err(FieldError::new("current_password", "password.current_wrong").into());
        }
        if current == new {
            return Err(FieldError::new("new_password", "password.same_as_current").into());
        }
        self.settings
            .password_policy
            .check(new, &user.username)
            .map_err(|e| FieldError::new("new_password", e.message))?;
        let hash = hash_password(new.to_owned()).await?;
        let mut tx = self.store.begin().await?;
        self.store
            .set_password(&mut tx, user.id, &hash, self.now(), false)
            .await?;
        let keep = current_session.map(token_hash);
        self.store
            .delete_other_sessions_of(&mut tx, user.id, keep.as_deref())
            .await?;
        let changes = vec![FieldChange::new("password", Some("***"), Some("***"))];
        self.record(
            &mut tx,
            ctx,
            "user.password.change",
            Object::user(user.id),
            changes,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
