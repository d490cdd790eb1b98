//! Who is acting, from where, and what they may reach: the one scope-check layer.

use crate::{ServiceError, ServiceResult, Services};
use districtops_domain::access::{Access, Permission, RecordOwner, Role};
use districtops_domain::org::{DepartmentNode, OrgTree};
use districtops_domain::{DepartmentId, UserId};
use districtops_store::{DepartmentRow, UserRow};

/// A signed-in user and their effective access.
#[derive(Clone, Debug)]
pub struct Actor {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub department_id: DepartmentId,
    pub department_name: String,
    pub access: Access,
    pub must_change_password: bool,
    pub totp_enabled: bool,
}

impl Actor {
    /// Refuses unless one of the actor's roles grants `permission`.
    pub fn require(&self, permission: Permission) -> ServiceResult<()> {
        if self.access.has(permission) {
            Ok(())
        } else {
            Err(ServiceError::Forbidden)
        }
    }

    /// Refuses a business record outside the actor's data scope. The refusal is `NotFound`,
    /// so nobody learns that a record they may not see exists.
    pub fn require_reach(&self, owner: RecordOwner) -> ServiceResult<()> {
        if self.access.can_reach(owner) {
            Ok(())
        } else {
            Err(ServiceError::NotFound)
        }
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.access.roles.contains(&role)
    }
}

/// The context of one call: the actor (absent before login) and the client's address, both
/// written into audit records.
#[derive(Clone, Debug, Default)]
pub struct Ctx {
    pub actor: Option<Actor>,
    pub ip: Option<String>,
    /// The operator at the server's command line (the CLI). It holds every administrative
    /// permission and reads and writes business data district-wide (import and export of the
    /// ledger from the server's console), audited as `system`.
    ///
    /// Only [`Ctx::system`] sets it, and the field is private to this crate's module: the web
    /// layer builds its contexts with [`Ctx::anonymous`] and [`Ctx::of`] only, so no request can
    /// ever act as `system`.
    system: bool,
}

impl Ctx {
    /// The operator at the command line: audited as `system`, allowed every permission with a
    /// district-wide data scope. Never built from a web request.
    pub fn system() -> Self {
        Self {
            actor: None,
            ip: None,
            system: true,
        }
    }

    pub fn anonymous(ip: Option<String>) -> Self {
        Self {
            actor: None,
            ip,
            system: false,
        }
    }

    pub fn of(actor: Actor, ip: Option<String>) -> Self {
        Self {
            actor: Some(actor),
            ip,
            system: false,
        }
    }

    pub fn is_system(&self) -> bool {
        self.system
    }

    /// The actor, or `Unauthenticated` for a call that needs one.
    pub fn actor(&self) -> ServiceResult<&Actor> {
        self.actor.as_ref().ok_or(ServiceError::Unauthenticated)
    }

    /// Refuses unless the caller holds `permission`. The command-line operator holds every
    /// permission, business data included: it is the server's own console (whoever runs it can
    /// read the database file anyway), and everything it does is audited as `system`.
    pub fn require(&self, permission: Permission) -> ServiceResult<()> {
        if self.system {
            return Ok(());
        }
        self.actor()?.require(permission)
    }

    /// Refuses a business record outside the caller's scope (`NotFound`); the command-line
    /// operator's scope is the whole district.
    pub fn require_reach(&self, owner: RecordOwner) -> ServiceResult<()> {
        if self.system {
            return Ok(());
        }
        self.actor()?.require_reach(owner)
    }

    /// The signed-in user's id, kept on revisions; `None` for the command-line operator.
    pub fn user_id(&self) -> ServiceResult<Option<i64>> {
        if self.system {
            return Ok(None);
        }
        Ok(Some(self.actor()?.id.0))
    }
}

impl Services {
    /// The org tree as the access rules need it.
    pub async fn org_tree(&self) -> ServiceResult<OrgTree> {
        Ok(tree_of(&self.store.departments().await?))
    }

    /// Loads a user as an actor, computing their access from all their roles.
    pub async fn actor(&self, user: &UserRow) -> ServiceResult<Actor> {
        let roles = self.store.roles_of(user.id).await?;
        // One read of the departments gives both the tree and the user's department name.
        let departments = self.store.departments().await?;
        let department_name = departments
            .iter()
            .find(|d| d.id == user.department_id)
            .map(|d| d.name.clone())
            .unwrap_or_default();
        let tree = tree_of(&departments);
        let access = Access::for_user(
            UserId(user.id),
            DepartmentId(user.department_id),
            roles.iter().filter_map(|role| Role::parse(role)),
            &tree,
        );
        Ok(Actor {
            id: UserId(user.id),
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            department_id: DepartmentId(user.department_id),
            department_name,
            access,
            must_change_password: user.must_change_password
                || self
                    .settings
                    .password_policy
                    .is_expired(user.password_changed_at, self.now()),
            totp_enabled: user.totp_enabled,
        })
    }
}

fn tree_of(departments: &[DepartmentRow]) -> OrgTree {
    OrgTree::new(departments.iter().map(|d| DepartmentNode {
        id: DepartmentId(d.id),
        parent: d.parent_id.map(DepartmentId),
    }))
}
