//! Roles, permissions and data scope: who may do what, and to which records.
//!
//! Architecture invariant: a user's effective access is computed here, in
//! [`Access::for_user`], and nowhere else. Several roles combine as a union of permissions and
//! a union of scopes.

use crate::ids::{DepartmentId, UserId};
use crate::org::OrgTree;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// What a role allows, independent of which records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Create, edit and disable user accounts; reset passwords.
    ManageUsers,
    /// Create and edit departments.
    ManageDepartments,
    /// Change system settings (password policy, thresholds).
    ManageSettings,
    /// Grant and revoke roles; unlock accounts; reset a second factor.
    GrantRoles,
    /// Read the audit log and the login log.
    ReadAudit,
    /// Read business data (within the data scope).
    ReadBusiness,
    /// Create and change business data (within the data scope).
    WriteBusiness,
}

impl Permission {
    pub const ALL: [Permission; 7] = [
        Self::ManageUsers,
        Self::ManageDepartments,
        Self::ManageSettings,
        Self::GrantRoles,
        Self::ReadAudit,
        Self::ReadBusiness,
        Self::WriteBusiness,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ManageUsers => "manage_users",
            Self::ManageDepartments => "manage_departments",
            Self::ManageSettings => "manage_settings",
            Self::GrantRoles => "grant_roles",
            Self::ReadAudit => "read_audit",
            Self::ReadBusiness => "read_business",
            Self::WriteBusiness => "write_business",
        }
    }
}

/// Which business records a role reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataScope {
    /// No business data at all (the three administrator roles).
    None,
    /// Records the user owns.
    Own,
    /// Records of the user's department.
    Department,
    /// Records of the user's department and every department below it.
    DepartmentTree,
    /// Every record of the district.
    District,
}

impl DataScope {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Own => "own",
            Self::Department => "department",
            Self::DepartmentTree => "department_tree",
            Self::District => "district",
        }
    }
}

/// The built-in roles. The system administrator, the security administrator and the auditor
/// are separate roles with no business data (等保 三员分立).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    SystemAdmin,
    SecurityAdmin,
    Auditor,
    Leader,
    Office,
    Staff,
    Commissioner,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Self::SystemAdmin,
        Self::SecurityAdmin,
        Self::Auditor,
        Self::Leader,
        Self::Office,
        Self::Staff,
        Self::Commissioner,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SystemAdmin => "system_admin",
            Self::SecurityAdmin => "security_admin",
            Self::Auditor => "auditor",
            Self::Leader => "leader",
            Self::Office => "office",
            Self::Staff => "staff",
            Self::Commissioner => "commissioner",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == raw)
    }

    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Self::SystemAdmin => &[ManageUsers, ManageDepartments, ManageSettings],
            Self::SecurityAdmin => &[GrantRoles],
            Self::Auditor => &[ReadAudit],
            Self::Leader | Self::Office | Self::Staff | Self::Commissioner => {
                &[ReadBusiness, WriteBusiness]
            }
        }
    }

    pub fn scope(self) -> DataScope {
        match self {
            Self::SystemAdmin | Self::SecurityAdmin | Self::Auditor => DataScope::None,
            Self::Leader | Self::Office => DataScope::District,
            Self::Staff => DataScope::DepartmentTree,
            Self::Commissioner => DataScope::Own,
        }
    }

    /// The administrator roles, for which a second factor is mandatory in production.
    pub fn is_administrator(self) -> bool {
        matches!(
            self,
            Self::SystemAdmin | Self::SecurityAdmin | Self::Auditor
        )
    }
}

/// Checks a set of roles for one user: an administrator role (system, security, auditor) is
/// held alone, so the three duties stay with three people and none of them reaches business
/// data (等保 三员分立).
pub fn check_role_set(roles: &[Role]) -> Result<(), crate::FieldError> {
    let admins = roles.iter().filter(|role| role.is_administrator()).count();
    if admins > 0 && roles.len() > 1 {
        return Err(crate::FieldError::new("roles", "role.admin_alone"));
    }
    Ok(())
}

/// Who owns a business record: the department it belongs to and the user responsible for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordOwner {
    pub department: DepartmentId,
    pub user: Option<UserId>,
}

/// The business records a user reaches: the union of the scopes of all their roles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Visibility {
    /// No business data.
    Nothing,
    /// Every record of the district.
    District,
    /// Records of these departments, and records the user owns.
    Limited {
        departments: BTreeSet<DepartmentId>,
        own: Option<UserId>,
    },
}

/// A user's effective access: permissions and data scope, computed from all their roles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Access {
    pub user: UserId,
    pub department: DepartmentId,
    pub roles: BTreeSet<Role>,
    pub permissions: BTreeSet<Permission>,
    pub visibility: Visibility,
}

impl Access {
    /// The one place where roles become access.
    pub fn for_user(
        user: UserId,
        department: DepartmentId,
        roles: impl IntoIterator<Item = Role>,
        tree: &OrgTree,
    ) -> Self {
        let roles: BTreeSet<Role> = roles.into_iter().collect();
        let permissions = roles
            .iter()
            .flat_map(|role| role.permissions())
            .copied()
            .collect();
        let widest = roles
            .iter()
            .map(|role| role.scope())
            .max()
            .unwrap_or(DataScope::None);
        let visibility = match widest {
            DataScope::None => Visibility::Nothing,
            DataScope::District => Visibility::District,
            _ => {
                let mut departments = BTreeSet::new();
                let mut own = None;
                for role in &roles {
                    match role.scope() {
                        DataScope::Own => own = Some(user),
                        DataScope::Department => {
                            departments.insert(department);
                        }
                        DataScope::DepartmentTree => departments.extend(tree.subtree(department)),
                        DataScope::None | DataScope::District => {}
                    }
                }
                Visibility::Limited { departments, own }
            }
        };
        Self {
            user,
            department,
            roles,
            permissions,
            visibility,
        }
    }

    pub fn has(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }

    /// Whether a record with this owner is inside the user's data scope.
    pub fn can_reach(&self, owner: RecordOwner) -> bool {
        match &self.visibility {
            Visibility::Nothing => false,
            Visibility::District => true,
            Visibility::Limited { departments, own } => {
                departments.contains(&owner.department) || (own.is_some() && owner.user == *own)
            }
        }
    }

    pub fn is_administrator(&self) -> bool {
        self.roles.iter().any(|role| role.is_administrator())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::DepartmentNode;

    fn tree() -> OrgTree {
        // 1 district; 2 bureau with section 3; 4 street
        OrgTree::new([
            DepartmentNode {
                id: DepartmentId(1),
                parent: None,
            },
            DepartmentNode {
                id: DepartmentId(2),
                parent: Some(DepartmentId(1)),
            },
            DepartmentNode {
                id: DepartmentId(3),
                parent: Some(DepartmentId(2)),
            },
            DepartmentNode {
                id: DepartmentId(4),
                parent: Some(DepartmentId(1)),
            },
        ])
    }

    fn owner(department: i64, user: Option<i64>) -> RecordOwner {
        RecordOwner {
            department: DepartmentId(department),
            user: user.map(UserId),
        }
    }

    #[test]
    fn administrators_reach_no_business_records() {
        for role in [Role::SystemAdmin, Role::SecurityAdmin, Role::Auditor] {
            let access = Access::for_user(UserId(1), DepartmentId(1), [role], &tree());
            assert!(!access.can_reach(owner(1, Some(1))));
            assert!(!access.has(Permission::ReadBusiness));
        }
    }

    #[test]
    fn staff_reach_their_department_and_below() {
        let access = Access::for_user(UserId(9), DepartmentId(2), [Role::Staff], &tree());
        assert!(access.can_reach(owner(2, None)));
        assert!(access.can_reach(owner(3, None)));
        assert!(!access.can_reach(owner(4, None)));
        assert!(!access.can_reach(owner(1, None)));
    }

    #[test]
    fn commissioner_reaches_only_own_records() {
        let access = Access::for_user(UserId(9), DepartmentId(2), [Role::Commissioner], &tree());
        assert!(access.can_reach(owner(4, Some(9))));
        assert!(!access.can_reach(owner(2, Some(8))));
    }

    #[test]
    fn several_roles_combine_as_a_union() {
        let access = Access::for_user(
            UserId(9),
            DepartmentId(3),
            [Role::Commissioner, Role::Staff],
            &tree(),
        );
        assert!(access.can_reach(owner(3, None)));
        assert!(access.can_reach(owner(4, Some(9))));
        assert!(!access.can_reach(owner(4, Some(8))));

        let access = Access::for_user(
            UserId(9),
            DepartmentId(3),
            [Role::Auditor, Role::Leader],
            &tree(),
        );
        assert!(access.can_reach(owner(4, None)));
        assert!(access.has(Permission::ReadAudit));
        assert!(access.is_administrator());
    }

    #[test]
    fn no_role_means_no_access() {
        let access = Access::for_user(UserId(9), DepartmentId(3), [], &tree());
        assert!(access.permissions.is_empty());
        assert!(!access.can_reach(owner(3, Some(9))));
    }

    #[test]
    fn administrator_roles_are_held_alone() {
        assert!(check_role_set(&[Role::Leader, Role::Staff]).is_ok());
        assert!(check_role_set(&[Role::Auditor]).is_ok());
        assert!(check_role_set(&[]).is_ok());
        assert!(check_role_set(&[Role::SystemAdmin, Role::Auditor]).is_err());
        assert!(check_role_set(&[Role::SecurityAdmin, Role::Leader]).is_err());
    }

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
