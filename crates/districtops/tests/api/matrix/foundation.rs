//! The foundation's routes: the home page, accounts and roles, departments, the audit log,
//! one's own account and tokens.

use super::*;

const MANAGE_USERS: &[Permission] = &[Permission::ManageUsers];
const USER_ADMINS: &[Permission] = &[Permission::ManageUsers, Permission::GrantRoles];
const GRANT: &[Permission] = &[Permission::GrantRoles];
const DEPARTMENTS: &[Permission] = &[Permission::ManageDepartments];
const AUDIT: &[Permission] = &[Permission::ReadAudit];

pub(super) fn routes() -> Vec<Route> {
    use Gate::*;
    vec![
        route("GET", "/", &[], SignedIn),
        route("GET", "/api/v1/me", &[], SignedIn),
        route("GET", "/admin/users", &[], AnyOf(USER_ADMINS)),
        route(
            "POST",
            "/admin/users",
            &[
                ("username", "matrix.new"),
                ("display_name", "新人"),
                ("department_id", "{dept}"),
            ],
            AnyOf(MANAGE_USERS),
        ),
        route("GET", "/admin/users/{target}", &[], AnyOf(USER_ADMINS)),
        route(
            "POST",
            "/admin/users/{target}",
            &[
                ("display_name", "改名"),
                ("department_id", "{dept}"),
                ("version", "1"),
            ],
            AnyOf(MANAGE_USERS),
        ),
        route(
            "POST",
            "/admin/users/{target}/roles",
            &[("roles", "staff")],
            AnyOf(GRANT),
        ),
        route("POST", "/admin/users/{target}/unlock", &[], AnyOf(GRANT)),
        route(
            "POST",
            "/admin/users/{target}/disable",
            &[],
            AnyOf(MANAGE_USERS),
        ),
        route(
            "POST",
            "/admin/users/{target}/enable",
            &[],
            AnyOf(MANAGE_USERS),
        ),
        route(
            "POST",
            "/admin/users/{target}/password",
            &[],
            AnyOf(MANAGE_USERS),
        ),
        route("GET", "/admin/roles", &[], AnyOf(USER_ADMINS)),
        route("GET", "/admin/departments", &[], SignedIn),
        route(
            "POST",
            "/admin/departments",
            &[
                ("name", "矩阵科"),
                ("kind", "section"),
                ("parent_id", "{dept}"),
            ],
            AnyOf(DEPARTMENTS),
        ),
        route("GET", "/admin/departments/{dept}", &[], AnyOf(DEPARTMENTS)),
        route(
            "POST",
            "/admin/departments/{dept}",
            &[
                ("name", "投资促进局"),
                ("parent_id", "{root}"),
                ("version", "1"),
            ],
            AnyOf(DEPARTMENTS),
        ),
        route("GET", "/audit", &[], AnyOf(AUDIT)),
        route("GET", "/audit/export.xlsx", &[], AnyOf(AUDIT)),
        route("GET", "/audit/logins", &[], AnyOf(AUDIT)),
        route("GET", "/audit/logins/export.xlsx", &[], AnyOf(AUDIT)),
        route("GET", "/account/password", &[], SignedIn),
        route("GET", "/account/totp", &[], SignedIn),
        route("GET", "/account/tokens", &[], SignedIn),
        route("POST", "/account/tokens", &[("name", "矩阵")], SignedIn),
        route("POST", "/account/tokens/{token}/revoke", &[], Nobody),
    ]
}
