//! The page tests' world: the whole router (authentication, CSRF, error rendering) against a
//! fresh SQLite database, driven one request at a time with `oneshot`.

use crate::{AppState, WebConfig};
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use chrono::{DateTime, Utc};
use districtops_domain::access::Role;
use districtops_service::auth::{ClientInfo, NewLogin};
use districtops_service::departments::NewDepartmentInput;
use districtops_service::users::NewUserInput;
use districtops_service::{Ctx, ManualClock, SecuritySettings, Services};
use districtops_store::Store;
use std::path::PathBuf;
use std::sync::Arc;
use tower::ServiceExt;

/// The first password of every account.
pub(crate) const FIRST: &str = "Xq7#mTz9pLw2";
/// The password [`World::sign_in`] changes the first one to.
pub(crate) const CHANGED: &str = "Rb4%kVn8sJy6";
/// The world's clock stands still at this moment.
pub(crate) const NOW: &str = "2026-11-29T10:00:00Z";

/// The people of the bureau: user name, display name and role.
const PEOPLE: [(&str, &str, Role); 5] = [
    ("sysadmin", "系统管理员甲", Role::SystemAdmin),
    ("secadmin", "安全管理员乙", Role::SecurityAdmin),
    ("auditor", "审计员丁", Role::Auditor),
    ("staff", "工作人员丙", Role::Staff),
    ("fresh", "新同事戊", Role::Staff),
];

/// A district (槐荫区) with one bureau (发改局) holding [`PEOPLE`], each with the first
/// password [`FIRST`] still to change.
pub(crate) struct World {
    pub state: AppState,
    pub district: i64,
    pub bureau: i64,
    path: PathBuf,
}

impl Drop for World {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut name = self.path.clone().into_os_string();
            name.push(suffix);
            let _ = std::fs::remove_file(name);
        }
    }
}

/// A browser session: the cookie and the CSRF token.
pub(crate) struct Browser {
    pub cookie: String,
    pub csrf: String,
}

/// The answer to one request.
pub(crate) struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    /// The body as text (pages are UTF-8).
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("the body is UTF-8")
    }

    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }
}

/// The world with administrators free to sign in without a second factor.
pub(crate) async fn world() -> World {
    world_with(SecuritySettings {
        require_admin_totp: false,
        ..SecuritySettings::default()
    })
    .await
}

/// The world under these security settings.
pub(crate) async fn world_with(settings: SecuritySettings) -> World {
    let path = std::env::temp_dir().join(format!(
        "districtops-pages-{}.db",
        districtops_service::secrets::random_hex(8)
    ));
    let store = Store::open(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let clock = Arc::new(ManualClock::new(NOW.parse::<DateTime<Utc>>().unwrap()));
    let services = Services::new(store, clock, settings);
    let system = Ctx::system();
    let department = |parent_id, name: &str, kind: &str| NewDepartmentInput {
        parent_id,
        name: name.to_owned(),
        kind: kind.to_owned(),
    };
    let district = services
        .create_department(&system, department(None, "槐荫区", "district"))
        .await
        .unwrap();
    let bureau = services
        .create_department(&system, department(Some(district), "发改局", "bureau"))
        .await
        .unwrap();
    for (username, display_name, role) in PEOPLE {
        let input = NewUserInput {
            username: username.to_owned(),
            display_name: display_name.to_owned(),
            department_id: bureau,
            password: Some(FIRST.to_owned()),
            roles: vec![role],
            ..NewUserInput::default()
        };
        services.create_user(&system, input).await.unwrap();
    }
    World {
        state: AppState::new(services, WebConfig::default()),
        district,
        bureau,
        path,
    }
}

impl World {
    pub fn services(&self) -> &Services {
        &self.state.services
    }

    /// Signs in with the first password and changes it, as the first login demands.
    pub async fn sign_in(&self, username: &str) -> Browser {
        let services = self.services();
        let login = self.login(username).await;
        let info = services.session(&login.session_id).await.unwrap().unwrap();
        let ctx = Ctx::of(info.actor, None);
        services
            .change_own_password(&ctx, Some(&login.session_id), FIRST, CHANGED)
            .await
            .unwrap();
        self.browser(login)
    }

    /// Signs in with the first password and leaves it unchanged: the password is still owed.
    pub async fn first_sign_in(&self, username: &str) -> Browser {
        let login = self.login(username).await;
        self.browser(login)
    }

    async fn login(&self, username: &str) -> NewLogin {
        self.services()
            .login(&ClientInfo::default(), username, FIRST)
            .await
            .unwrap()
    }

    fn browser(&self, login: NewLogin) -> Browser {
        Browser {
            cookie: format!("{}={}", self.state.session_cookie(), login.session_id),
            csrf: login.csrf_token,
        }
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = crate::router(self.state.clone())
            .oneshot(request)
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, browser: &Browser, uri: &str) -> Reply {
        let request = Request::get(uri)
            .header(header::COOKIE, &browser.cookie)
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    /// Posts a form with the browser's CSRF token.
    pub async fn post(&self, browser: &Browser, uri: &str, fields: &[(&str, &str)]) -> Reply {
        let mut all = vec![("csrf_token", browser.csrf.as_str())];
        all.extend_from_slice(fields);
        let request = Request::post(uri)
            .header(header::COOKIE, &browser.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(serde_urlencoded::to_string(&all).unwrap()))
            .unwrap();
        self.send(request).await
    }

    pub async fn user_id(&self, username: &str) -> i64 {
        self.services()
            .find_user(&Ctx::system(), username)
            .await
            .unwrap()
            .id
    }
}

/// The text of the element marked `data-testid="{id}"` (up to the next tag).
pub(crate) fn shown<'a>(body: &'a str, id: &str) -> &'a str {
    let marker = format!("data-testid=\"{id}\"");
    let at = body
        .find(&marker)
        .unwrap_or_else(|| panic!("{id} is shown"))
        + marker.len();
    let start = at + body[at..].find('>').unwrap() + 1;
    &body[start..start + body[start..].find('<').unwrap()]
}

/// RFC 6238 with SHA-1, written out here because the web crate has no HMAC of its own.
pub(crate) mod authenticator {
    fn sha1(data: &[u8]) -> [u8; 20] {
        let mut h: [u32; 5] = [
            0x6745_2301,
            0xEFCD_AB89,
            0x98BA_DCFE,
            0x1032_5476,
            0xC3D2_E1F0,
        ];
        let mut msg = data.to_vec();
        msg.push(0x80);
        while msg.len() % 64 != 56 {
            msg.push(0);
        }
        msg.extend_from_slice(&(data.len() as u64 * 8).to_be_bytes());
        for chunk in msg.chunks(64) {
            let mut w = [0u32; 80];
            for i in 0..80 {
                w[i] = if i < 16 {
                    u32::from_be_bytes(chunk[4 * i..4 * i + 4].try_into().unwrap())
                } else {
                    (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1)
                };
            }
            let [mut a, mut b, mut c, mut d, mut e] = h;
            for (i, wi) in w.into_iter().enumerate() {
                let (f, k) = match i {
                    0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                    20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                    40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                    _ => (b ^ c ^ d, 0xCA62_C1D6),
                };
                let t = a
                    .rotate_left(5)
                    .wrapping_add(f)
                    .wrapping_add(e)
                    .wrapping_add(k)
                    .wrapping_add(wi);
                (e, d, c, b, a) = (d, c, b.rotate_left(30), a, t);
            }
            for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
                *x = x.wrapping_add(y);
            }
        }
        let mut out = [0u8; 20];
        out.chunks_mut(4)
            .zip(h)
            .for_each(|(o, x)| o.copy_from_slice(&x.to_be_bytes()));
        out
    }

    fn hmac_sha1(key: &[u8], msg: &[u8]) -> [u8; 20] {
        let mut block = [0u8; 64];
        block[..key.len()].copy_from_slice(key);
        let inner: Vec<u8> = block
            .iter()
            .map(|b| b ^ 0x36)
            .chain(msg.iter().copied())
            .collect();
        let outer: Vec<u8> = block.iter().map(|b| b ^ 0x5c).chain(sha1(&inner)).collect();
        sha1(&outer)
    }

    fn base32(text: &str) -> Vec<u8> {
        let (mut bits, mut n, mut out) = (0u64, 0, Vec::new());
        for c in text.chars().filter(|c| c.is_ascii_alphanumeric()) {
            bits = bits << 5 | "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".find(c).unwrap() as u64;
            n += 5;
            if n >= 8 {
                n -= 8;
                out.push((bits >> n) as u8);
                bits &= (1 << n) - 1;
            }
        }
        out
    }

    /// The 6-digit code for a base32 secret at a Unix time.
    pub fn code(secret: &str, unix: i64) -> String {
        raw_code(&base32(secret), unix)
    }

    fn raw_code(key: &[u8], unix: i64) -> String {
        let mac = hmac_sha1(key, &((unix / 30) as u64).to_be_bytes());
        let at = usize::from(mac[19] & 0xf);
        let value = u32::from_be_bytes(mac[at..at + 4].try_into().unwrap()) & 0x7fff_ffff;
        format!("{:06}", value % 1_000_000)
    }

    #[test]
    fn matches_rfc6238() {
        assert_eq!(raw_code(b"12345678901234567890", 59), "287082");
        assert_eq!(raw_code(b"12345678901234567890", 1_111_111_109), "081804");
    }
}
