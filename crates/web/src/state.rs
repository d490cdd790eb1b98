//! What every handler shares.

use districtops_service::Services;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

/// How the web layer is set up.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Served over TLS (directly or behind a proxy): cookies get `Secure` and the `__Host-`
    /// prefix.
    pub tls: bool,
    /// Demo mode: marked in every page header.
    pub demo: bool,
    /// The district's name, shown in the header and titles.
    pub district_name: String,
    /// Logins a second allowed from one address (the burst is ten times this per minute).
    pub login_per_minute: u32,
    /// Trust `X-Forwarded-For` from a reverse proxy for the client address.
    pub trust_proxy: bool,
    /// The district's own outline (`district.geojson`), served instead of the built-in 槐荫区.
    pub district_geojson: Option<GeoJson>,
}

/// A GeoJSON document read at start-up.
#[derive(Clone)]
pub struct GeoJson(pub Arc<[u8]>);

impl std::fmt::Debug for GeoJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GeoJson({} bytes)", self.0.len())
    }
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            tls: false,
            demo: false,
            district_name: String::new(),
            login_per_minute: 10,
            trust_proxy: false,
            district_geojson: None,
        }
    }
}

/// The state of the application, cheap to clone into every handler.
#[derive(Clone)]
pub struct AppState {
    pub services: Services,
    pub config: Arc<WebConfig>,
    /// Login attempts per client address.
    pub login_limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
}

impl AppState {
    pub fn new(services: Services, config: WebConfig) -> Self {
        let per_minute = NonZeroU32::new(config.login_per_minute.max(1)).expect("at least one");
        let login_limiter = Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute)));
        Self {
            services,
            config: Arc::new(config),
            login_limiter,
        }
    }

    /// The session cookie's name: `__Host-` prefixed over TLS, which pins it to this host and
    /// path `/` and requires `Secure`.
    pub fn session_cookie(&self) -> &'static str {
        if self.config.tls {
            "__Host-districtops_session"
        } else {
            "districtops_session"
        }
    }

    /// The cookie of the CSRF token used before login (double-submit).
    pub fn login_csrf_cookie(&self) -> &'static str {
        if self.config.tls {
            "__Host-districtops_csrf"
        } else {
            "districtops_csrf"
        }
    }
}
