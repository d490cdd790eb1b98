//! Server-rendered pages. Every page template extends `layout.html` and gets a [`Page`]: the
//! language, the user, the CSRF token and the navigation their roles allow.

pub mod account;
pub mod admin;
pub mod audit;
pub mod cockpit;
pub mod events;
pub mod home;
pub mod login;
pub mod platforms;
pub mod projects;

use crate::auth::CurrentUser;
use crate::i18n::{Lang, Tr};
use crate::middleware::urlencode;
use crate::state::AppState;
use districtops_domain::access::Permission;
use serde::Deserialize;

/// The signed-in user as the header shows them.
#[derive(Clone, Debug)]
pub struct UserBadge {
    pub display_name: String,
    pub department: String,
}

#[derive(Clone, Debug)]
pub struct NavItem {
    pub key: &'static str,
    pub label: &'static str,
    pub href: &'static str,
}

#[derive(Clone, Debug)]
pub struct NavGroup {
    pub title: &'static str,
    pub items: Vec<NavItem>,
}

/// A message shown once at the top of a page.
#[derive(Clone, Debug)]
pub struct Flash {
    /// `ok` or `error`.
    pub kind: &'static str,
    pub text: String,
}

/// The `?ok=…` a page is redirected to after a change, naming the message to show once.
#[derive(Debug, Default, Deserialize)]
pub struct Notice {
    ok: Option<String>,
}

impl Notice {
    /// The catalog key of the message; only known names are shown, never the query's text.
    pub fn message(&self) -> Option<&'static str> {
        Some(match self.ok.as_deref()? {
            "created" => "admin.flash.user_created",
            "updated" => "admin.flash.user_updated",
            "disabled" => "admin.flash.user_disabled",
            "enabled" => "admin.flash.user_enabled",
            "roles" => "admin.flash.roles_set",
            "unlocked" => "admin.flash.user_unlocked",
            "department_created" => "admin.flash.department_created",
            "department_updated" => "admin.flash.department_updated",
            "password_changed" => "account.password.changed",
            _ => return None,
        })
    }

    /// Adds the message, if any, to the page.
    pub fn apply(&self, page: Page) -> Page {
        match self.message() {
            Some(key) => {
                let text = page.t.t(key);
                page.flash_ok(text)
            }
            None => page,
        }
    }
}

/// The badge of a ledger whose today is fixed (`district.business_date`).
#[derive(Clone, Debug)]
pub struct BusinessDate {
    pub label: String,
    pub hint: String,
}

/// What the layout needs on every page.
#[derive(Clone, Debug)]
pub struct Page {
    pub t: Tr,
    pub user: Option<UserBadge>,
    pub csrf: String,
    pub demo: bool,
    /// The ledger's fixed today (`district.business_date`), shown beside the district's name.
    pub business_date: Option<BusinessDate>,
    pub district: String,
    pub nav: Vec<NavGroup>,
    pub active: &'static str,
    /// The current path, encoded for the language switch's `next`.
    pub path_encoded: String,
    pub flashes: Vec<Flash>,
}

impl Page {
    /// A page for a signed-in user; `active` is the key of the navigation item to highlight.
    pub fn new(
        state: &AppState,
        lang: Lang,
        user: &CurrentUser,
        active: &'static str,
        path: &str,
    ) -> Self {
        let mut page = Self::anonymous(state, lang, user.csrf_token().to_owned(), path);
        page.user = Some(UserBadge {
            display_name: user.actor.display_name.clone(),
            department: user.actor.department_name.clone(),
        });
        page.nav = navigation(user);
        page.active = active;
        page
    }

    /// A page before login (the CSRF token is the login form's double-submit token).
    pub fn anonymous(state: &AppState, lang: Lang, csrf: String, path: &str) -> Self {
        Self {
            t: lang.tr(),
            user: None,
            csrf,
            demo: state.config.demo,
            business_date: state.services.business_date.map(|date| {
                let t = lang.tr();
                BusinessDate {
                    label: t.f("demo.business_date", &[("date", &date)]),
                    hint: t.f("demo.business_date_hint", &[("date", &date)]),
                }
            }),
            district: state.config.district_name.clone(),
            nav: Vec::new(),
            active: "",
            path_encoded: urlencode(path),
            flashes: Vec::new(),
        }
    }

    pub fn flash_ok(mut self, text: impl Into<String>) -> Self {
        self.flashes.push(Flash {
            kind: "ok",
            text: text.into(),
        });
        self
    }

    pub fn flash_error(mut self, text: impl Into<String>) -> Self {
        self.flashes.push(Flash {
            kind: "error",
            text: text.into(),
        });
        self
    }
}

/// The navigation a user's permissions open.
fn navigation(user: &CurrentUser) -> Vec<NavGroup> {
    let access = &user.actor.access;
    let item = |key, label, href| NavItem { key, label, href };
    let mut work = vec![item("home", "nav.home", "/")];
    if access.has(Permission::ReadBusiness) {
        work.push(item("projects", "area.projects", "/projects"));
        work.push(item("map", "map.nav", "/projects/map"));
        work.push(item("cockpit", "cockpit.nav", "/cockpit"));
        work.push(item("events", "event.nav", "/events"));
        work.push(item("platforms", "goal.nav", "/platforms"));
    }
    let mut groups = vec![NavGroup {
        title: "nav.group.work",
        items: work,
    }];
    let mut admin = Vec::new();
    if access.has(Permission::ManageUsers) || access.has(Permission::GrantRoles) {
        admin.push(item("users", "nav.users", "/admin/users"));
    }
    if access.has(Permission::ManageDepartments) {
        admin.push(item("departments", "nav.departments", "/admin/departments"));
    }
    if access.has(Permission::GrantRoles) || access.has(Permission::ManageUsers) {
        admin.push(item("roles", "nav.roles", "/admin/roles"));
    }
    if access.has(Permission::ManageSettings) {
        admin.push(item(
            "status_settings",
            "nav.status_thresholds",
            "/admin/settings/status",
        ));
    }
    if !admin.is_empty() {
        groups.push(NavGroup {
            title: "nav.group.admin",
            items: admin,
        });
    }
    if access.has(Permission::ReadAudit) {
        groups.push(NavGroup {
            title: "nav.group.audit",
            items: vec![
                item("audit", "nav.audit", "/audit"),
                item("logins", "nav.logins", "/audit/logins"),
            ],
        });
    }
    groups.push(NavGroup {
        title: "nav.group.account",
        items: vec![
            item("password", "nav.password", "/account/password"),
            item("totp", "nav.totp", "/account/totp"),
            item("tokens", "nav.tokens", "/account/tokens"),
        ],
    });
    groups
}
