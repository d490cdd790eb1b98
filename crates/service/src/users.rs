//! User accounts: created and disabled by the system administrator, given roles by the
//! security administrator.

use crate::audit::Object;
use crate::passwords::hash_password;
use crate::secrets::temporary_password;
use crate::{Ctx, ServiceError, ServiceResult, Services};
use districtops_domain::access::{Permission, Role, check_role_set};
use districtops_domain::audit::FieldChange;
use districtops_domain::user::{DisplayName, Username};
use districtops_domain::validation::{FieldError, FieldErrors};
use districtops_store::{NewUser, UserRow};

/// The answer to a user name another account already has.
const USERNAME_TAKEN: FieldError = FieldError::new("username", "user.username.taken");

/// A new account as typed into the form or the command line.
#[derive(Clone, Debug, Default)]
pub struct NewUserInput {
    pub username: String,
    pub display_name: String,
    pub department_id: i64,
    /// The first password; generated when absent. Either way it must be changed at first login.
    pub password: Option<String>,
    /// Roles to grant at once (the command line only; on the web the security administrator
    /// grants roles).
    pub roles: Vec<Role>,
    /// Let the user keep the first password (the demo district only). Every real account
    /// must change the password it was given.
    pub skip_password_change: bool,
}

/// A user with their roles, for lists.
#[derive(Clone, Debug)]
pub struct UserWithRoles {
    pub user: UserRow,
    pub roles: Vec<Role>,
}

impl Services {
    /// Creates an account. Returns its id and the first password (to hand over once).
    pub async fn create_user(
        &self,
        ctx: &Ctx,
        input: NewUserInput,
    ) -> ServiceResult<(i64, String)> {
        ctx.require(Permission::ManageUsers)?;
        if !input.roles.is_empty() {
            ctx.require(Permission::GrantRoles)?;
        }
        let mut errors = FieldErrors::default();
        let username = errors.check(Username::parse(&input.username));
        let display_name = errors.check(DisplayName::parse(&input.display_name));
        errors.check(check_role_set(&input.roles));
        let password = input.password.unwrap_or_else(temporary_password);
        if let Some(name) = &username {
            errors.check(
                self.settings
                    .password_policy
                    .check(&password, name.as_str()),
            );
        }
        if self.store.department(input.department_id).await?.is_none() {
            errors.push(FieldError::new("department_id", "department.not_found"));
        }
        errors.into_result()?;
        let (Some(username), Some(display_name)) = (username, display_name) else {
            unreachable!("errors were returned above");
        };
        if self.store.user_by_name(username.as_str()).await?.is_some() {
            return Err(USERNAME_TAKEN.into());
        }
        let hash = hash_password(password.clone()).await?;
        let mut tx = self.store.begin().await?;
        let new = NewUser {
            username: username.as_str(),
            display_name: display_name.as_str(),
            department_id: input.department_id,
            password_hash: &hash,
            must_change_password: !input.skip_password_change,
            created_at: self.now(),
        };
        let id = self
            .store
            .insert_user(&mut tx, &new)
            .await
            .map_err(ServiceError::taken(USERNAME_TAKEN))?;
        let role_names: Vec<&str> = input.roles.iter().map(|r| r.as_str()).collect();
        self.store.set_roles(&mut tx, id, &role_names).await?;
        let changes = vec![
            FieldChange::new("username", None::<&str>, Some(username.as_str())),
            FieldChange::new("display_name", None::<&str>, Some(display_name.as_str())),
            FieldChange::new("department_id", None::<&str>, Some(input.department_id)),
            FieldChange::new(
                "roles",
                None::<&str>,
                (!role_names.is_empty()).then(|| role_names.join(",")),
            ),
        ];
        self.record(&mut tx, ctx, "user.create", Object::user(id), changes)
            .await?;
        tx.commit().await?;
        Ok((id, password))
    }

    /// Every account with its roles (administrators only).
    pub async fn list_users(&self, ctx: &Ctx) -> ServiceResult<Vec<UserWithRoles>> {
        if ctx.require(Permission::ManageUsers).is_err() {
            ctx.require(Permission::GrantRoles)?;
        }
        let users = self.store.users().await?;
        let pairs = self.store.all_roles().await?;
        Ok(users
            .into_iter()
            .map(|user| {
                let roles = pairs
                    .iter()
                    .filter(|(id, _)| *id == user.id)
                    .filter_map(|(_, role)| Role::parse(role))
                    .collect();
                UserWithRoles { user, roles }
            })
            .collect())
    }

    /// An account by user name (administrators only).
    pub async fn find_user(&self, ctx: &Ctx, username: &str) -> ServiceResult<UserRow> {
        if ctx.require(Permission::ManageUsers).is_err() {
            ctx.require(Permission::GrantRoles)?;
        }
        let name = Username::parse(username)?;
        self.store
            .user_by_name(name.as_str())
            .await?
            .ok_or(ServiceError::NotFound)
    }

    /// Sets a new first password (generated when `password` is absent) that must be changed
    /// at the next login, and ends the user's sessions.
    pub async fn reset_password(
        &self,
        ctx: &Ctx,
        user_id: i64,
        password: Option<String>,
    ) -> ServiceResult<String> {
        ctx.require(Permission::ManageUsers)?;
        let user = self
            .store
            .user(user_id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let password = password.unwrap_or_else(temporary_password);
        self.settings
            .password_policy
            .check(&password, &user.username)?;
        let hash = hash_password(password.clone()).await?;
        let mut tx = self.store.begin().await?;
        self.store
            .set_password(&mut tx, user_id, &hash, self.now(), true)
            .await?;
        self.store.delete_sessions_of(&mut tx, user_id).await?;
        let changes = vec![FieldChange::new(
            "password",
            Some("***"),
            Some("*** (reset)"),
        )];
        self.record(
            &mut tx,
            ctx,
            "user.password.reset",
            Object::user(user_id),
            changes,
        )
        .await?;
        tx.commit().await?;
        Ok(password)
    }

    /// Disables or re-enables an account. Disabling ends every session of the user.
    pub async fn set_user_disabled(
        &self,
        ctx: &Ctx,
        user_id: i64,
        disabled: bool,
    ) -> ServiceResult<()> {
        ctx.require(Permission::ManageUsers)?;
        if ctx.actor.as_ref().is_some_and(|a| a.id.0 == user_id) {
            return Err(ServiceError::Conflict("user.cannot_disable_self"));
        }
        let user = self
            .store
            .user(user_id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let mut tx = self.store.begin().await?;
        self.store.set_disabled(&mut tx, user_id, disabled).await?;
        if disabled {
            self.store.delete_sessions_of(&mut tx, user_id).await?;
        }
        let action = if disabled {
            "user.disable"
        } else {
            "user.enable"
        };
        let changes = vec![FieldChange::new(
            "disabled",
            Some(user.disabled),
            Some(disabled),
        )];
        self.record(&mut tx, ctx, action, Object::user(user_id), changes)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes a user's name and department, if nobody changed the account since `version`.
    pub async fn update_user(
        &self,
        ctx: &Ctx,
        user_id: i64,
        version: i64,
        display_name: &str,
        department_id: i64,
    ) -> ServiceResult<()> {
        ctx.require(Permission::ManageUsers)?;
        let mut errors = FieldErrors::default();
        let name = errors.check(DisplayName::parse(display_name));
        if self.store.department(department_id).await?.is_none() {
            errors.push(FieldError::new("department_id", "department.not_found"));
        }
        errors.into_result()?;
        let name = name.expect("checked above");
        let mut tx = self.store.begin().await?;
        let user = self
            .store
            .user_in(&mut tx, user_id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        if !self
            .store
            .update_user_profile(&mut tx, user_id, version, name.as_str(), department_id)
            .await?
        {
            return Err(ServiceError::Conflict("conflict.changed_by_someone"));
        }
        let mut changes = Vec::new();
        if user.display_name != name.as_str() {
            changes.push(FieldChange::new(
                "display_name",
                Some(&user.display_name),
                Some(name.as_str()),
            ));
        }
        if user.department_id != department_id {
            changes.push(FieldChange::new(
                "department_id",
                Some(user.department_id),
                Some(department_id),
            ));
        }
        self.record(&mut tx, ctx, "user.update", Object::user(user_id), changes)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces a user's roles (security administrator only; never their own).
    pub async fn set_user_roles(
        &self,
        ctx: &Ctx,
        user_id: i64,
        roles: &[Role],
    ) -> ServiceResult<()> {
        ctx.require(Permission::GrantRoles)?;
        if ctx.actor.as_ref().is_some_and(|a| a.id.0 == user_id) {
            return Err(ServiceError::Conflict("role.cannot_change_own"));
        }
        check_role_set(roles)?;
        let mut tx = self.store.begin().await?;
        if self.store.user_in(&mut tx, user_id).await?.is_none() {
            return Err(ServiceError::NotFound);
        }
        let before = self.store.roles_of_in(&mut tx, user_id).await?;
        let mut after: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        after.sort_unstable();
        after.dedup();
        self.store.set_roles(&mut tx, user_id, &after).await?;
        let list = |roles: &[&str]| (!roles.is_empty()).then(|| roles.join(","));
        let before: Vec<&str> = before.iter().map(String::as_str).collect();
        let changes = vec![FieldChange::new("roles", list(&before), list(&after))];
        self.record(
            &mut tx,
            ctx,
            "user.roles.set",
            Object::user(user_id),
            changes,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Lifts a lockout (security administrator).
    pub async fn unlock_user(&self, ctx: &Ctx, user_id: i64) -> ServiceResult<()> {
        ctx.require(Permission::GrantRoles)?;
        let mut tx = self.store.begin().await?;
        let user = self
            .store
            .user_in(&mut tx, user_id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        self.store.set_lockout(&mut tx, user_id, 0, None).await?;
        let changes = vec![FieldChange::new(
            "failed_logins",
            Some(user.failed_logins),
            Some(0),
        )];
        self.record(&mut tx, ctx, "user.unlock", Object::user(user_id), changes)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
