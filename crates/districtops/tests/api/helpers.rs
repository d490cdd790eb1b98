//! `spawn_app()`: a real server on a random port with a fresh database, on SQLite or on
//! PostgreSQL, with a clock the test moves, and a browser-like client.

use crate::database::{TestDatabase, create_database};
use chrono::{DateTime, Utc};
use districtops::Application;
use districtops::config::Config;
use districtops_domain::access::Role;
use districtops_service::departments::NewDepartmentInput;
use districtops_service::users::NewUserInput;
use districtops_service::{Ctx, ManualClock, SecuritySettings, Services};
use districtops_store::{Backend, Store, UserRow};
use reqwest::redirect::Policy;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

/// The password of every seeded account.
pub const PASSWORD: &str = "Huaiyin#2026";
/// The key of the test apps' audit chain.
pub const AUDIT_KEY: &str = "00112233445566778899aabbccddeeff";

/// Options for a test app.
#[derive(Clone, Debug)]
pub struct Options {
    pub require_admin_totp: bool,
    pub login_per_minute: u32,
    /// Serve as if behind TLS (secure, `__Host-` cookies).
    pub tls: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            require_admin_totp: false,
            login_per_minute: 10_000,
            tls: false,
        }
    }
}

/// A running app and what a test needs to drive it.
pub struct TestApp {
    pub addr: SocketAddr,
    pub services: Services,
    pub clock: Arc<ManualClock>,
    pub database_url: String,
    /// Department ids by name: 测试区 (root), 投资促进局 with section 招商科, 振兴街街道.
    pub departments: HashMap<&'static str, i64>,
    /// User ids by username; one account per role, named after it.
    pub users: HashMap<String, i64>,
    _database: TestDatabase,
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, Options::default()).await
}

pub async fn spawn_app_with(backend: Backend, options: Options) -> TestApp {
    let (url, database) = create_database(backend).await;
    let mut config = Config::default();
    config.server.listen = "127.0.0.1:0".into();
    config.server.login_per_minute = options.login_per_minute;
    config.server.tls = options.tls;
    config.database.url = url.clone();
    config.security.require_admin_totp = options.require_admin_totp;
    config.security.audit_key = AUDIT_KEY.into();
    config.district.name = "测试区".into();
    let settings: SecuritySettings =
        districtops::app::security_settings(&config).expect("settings");
    let store = Store::open(&url).await.expect("open the test database");
    let clock = Arc::new(ManualClock::new(start_time()));
    let services = Services::new(store, clock.clone(), settings);
    let app = Application::with_services(&config, services.clone(), false)
        .await
        .expect("build app");
    let addr = app.local_addr();
    tokio::spawn(app.run_forever());

    let (departments, users) = seed(&services).await;
    TestApp {
        addr,
        services,
        clock,
        database_url: url,
        departments,
        users,
        _database: database,
    }
}

/// Now, to the second (the database keeps microseconds; tests compare times).
fn start_time() -> DateTime<Utc> {
    DateTime::from_timestamp(Utc::now().timestamp(), 0).expect("valid time")
}

/// The org tree and one account per role, each named after its role (`system_admin`, …).
async fn seed(services: &Services) -> (HashMap<&'static str, i64>, HashMap<String, i64>) {
    let ctx = Ctx::system();
    let dept = |parent_id, name: &str, kind: &str| NewDepartmentInput {
        parent_id,
        name: name.into(),
        kind: kind.into(),
    };
    let root = services
        .create_department(&ctx, dept(None, "测试区", "district"))
        .await
        .unwrap();
    let bureau = services
        .create_department(&ctx, dept(Some(root), "投资促进局", "bureau"))
        .await
        .unwrap();
    let section = services
        .create_department(&ctx, dept(Some(bureau), "招商科", "section"))
        .await
        .unwrap();
    let street = services
        .create_department(&ctx, dept(Some(root), "振兴街街道", "street"))
        .await
        .unwrap();
    let departments = HashMap::from([
        ("测试区", root),
        ("投资促进局", bureau),
        ("招商科", section),
        ("振兴街街道", street),
    ]);
    let mut users = HashMap::new();
    for role in Role::ALL {
        let department_id = if role == Role::Staff || role == Role::Commissioner {
            bureau
        } else {
            root
        };
        let input = NewUserInput {
            username: role.as_str().replace('_', "."),
            display_name: format!("{} 测试", role.as_str()),
            department_id,
            password: Some(PASSWORD.into()),
            roles: vec![role],
            skip_password_change: true,
        };
        let (id, _) = services.create_user(&ctx, input).await.unwrap();
        users.insert(role.as_str().replace('_', "."), id);
    }
    (departments, users)
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// A client that keeps cookies and does not follow redirects, like a careful browser.
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .expect("client")
    }

    /// The status of `GET path` for this client.
    pub async fn status(&self, client: &reqwest::Client, path: &str) -> u16 {
        let response = client.get(self.url(path)).send().await.unwrap();
        response.status().as_u16()
    }

    /// The body of `GET path` for this client, as text.
    pub async fn text(&self, client: &reqwest::Client, path: &str) -> String {
        let response = client.get(self.url(path)).send().await.unwrap();
        response.text().await.unwrap()
    }

    /// The body of `GET path` for this client, as JSON.
    pub async fn json(&self, client: &reqwest::Client, path: &str) -> serde_json::Value {
        let response = client.get(self.url(path)).send().await.unwrap();
        response.json().await.unwrap()
    }

    /// `GET /api/v1/me` with a bearer token.
    pub async fn me_with_token(&self, token: &str) -> reqwest::Response {
        reqwest::Client::new()
            .get(self.url("/api/v1/me"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    /// The login form's CSRF token for this client (fetching the form sets its cookie).
    pub async fn login_csrf(&self, client: &reqwest::Client) -> String {
        let page = self.text(client, "/login").await;
        csrf_in(&page).expect("the login form has a CSRF token")
    }

    /// Posts the login form; returns the response (303 on success, 401 on failure).
    pub async fn post_login(
        &self,
        client: &reqwest::Client,
        username: &str,
        password: &str,
    ) -> reqwest::Response {
        let csrf = self.login_csrf(client).await;
        client
            .post(self.url("/login"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("username", username),
                ("password", password),
                ("next", "/"),
            ])
            .send()
            .await
            .unwrap()
    }

    /// Posts the second-factor form of a half-open login with `code`.
    pub async fn post_totp(&self, client: &reqwest::Client, code: &str) -> reqwest::Response {
        let page = self.text(client, "/login/totp").await;
        let csrf = csrf_in(&page).expect("the second-factor form has a CSRF token");
        client
            .post(self.url("/login/totp"))
            .form(&[("csrf_token", csrf.as_str()), ("code", code), ("next", "/")])
            .send()
            .await
            .unwrap()
    }

    /// A signed-in browser client and its CSRF token.
    pub async fn browser(&self, username: &str) -> (reqwest::Client, String) {
        let client = self.client();
        let response = self.post_login(&client, username, PASSWORD).await;
        assert_eq!(response.status(), 303, "{username} signs in");
        let csrf = self.page_csrf(&client).await;
        (client, csrf)
    }

    /// The session's CSRF token, read from a page.
    pub async fn page_csrf(&self, client: &reqwest::Client) -> String {
        let page = self.text(client, "/account/password").await;
        csrf_in(&page).expect("pages carry the session's CSRF token")
    }

    /// Posts `body` to the JSON API's login from a fresh client.
    pub async fn api_login(&self, body: serde_json::Value) -> reqwest::Response {
        reqwest::Client::new()
            .post(self.url("/api/v1/auth/login"))
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// A bearer token for `username` from the API.
    pub async fn token(&self, username: &str) -> String {
        let body = serde_json::json!({ "username": username, "password": PASSWORD });
        let response = self.api_login(body).await;
        assert_eq!(response.status(), 200, "{username} gets a token");
        let body: serde_json::Value = response.json().await.unwrap();
        body["token"].as_str().unwrap().to_owned()
    }

    /// The stored account of a seeded user.
    pub async fn user(&self, username: &str) -> UserRow {
        let id = self.user_id(username);
        self.services.store.user(id).await.unwrap().unwrap()
    }

    /// The service context of a seeded user, as if they were signed in.
    pub async fn ctx_of(&self, username: &str) -> Ctx {
        let user = self.user(username).await;
        Ctx::of(self.services.actor(&user).await.unwrap(), None)
    }

    pub fn user_id(&self, username: &str) -> i64 {
        self.users[username]
    }
}

/// The value of the first `csrf_token` hidden field in a page.
pub fn csrf_in(page: &str) -> Option<String> {
    let at = page.find("name=\"csrf_token\" value=\"")?;
    let rest = &page[at + "name=\"csrf_token\" value=\"".len()..];
    rest.split('"')
        .next()
        .map(str::to_owned)
        .filter(|v| !v.is_empty())
}

/// The session cookie a response set, if any.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("districtops_session=") && !v.starts_with("districtops_session=;"))
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim_start_matches("districtops_session=").to_owned())
}

/// Runs a test body once on SQLite and once on PostgreSQL.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name(districtops_store::Backend::Sqlite).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name(districtops_store::Backend::Postgres).await;
                }
            }
        )*
    };
}
pub(crate) use on_both_backends;
