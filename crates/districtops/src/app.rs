//! Building and running the application from a configuration: the one place where the
//! store, the services and the web layer are wired together (for `serve`, `demo` and tests).

use crate::config::Config;
use anyhow::{Context, Result, bail};
use districtops_domain::audit::ChainAlgorithm;
use districtops_domain::login::SessionLimits;
use districtops_domain::password::{PasswordPolicy, PolicyMode};
use districtops_service::{Clock, SecuritySettings, Services, SystemClock};
use districtops_store::Store;
use districtops_web::{AppState, GeoJson, WebConfig};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

/// Turns the `[security]` configuration into the services' settings, reading or creating the
/// audit key.
pub fn security_settings(config: &Config) -> Result<SecuritySettings> {
    let security = &config.security;
    let mode = PolicyMode::parse(&security.password_policy).with_context(|| {
        format!(
            "security.password_policy must be dengbao or asvs, not {:?}",
            security.password_policy
        )
    })?;
    let audit_algorithm = ChainAlgorithm::parse(&security.audit_algorithm).with_context(|| {
        format!(
            "security.audit_algorithm must be sm3 or sha256, not {:?}",
            security.audit_algorithm
        )
    })?;
    if security.session_idle_minutes < 1 || security.session_absolute_hours < 1 {
        bail!("session timeouts must be positive");
    }
    Ok(SecuritySettings {
        password_policy: PasswordPolicy {
            mode,
            max_age_days: security.password_max_age_days,
        },
        session_limits: SessionLimits {
            idle: chrono::Duration::minutes(security.session_idle_minutes),
            absolute: chrono::Duration::hours(security.session_absolute_hours),
        },
        require_admin_totp: security.require_admin_totp,
        audit_algorithm,
        audit_key: audit_key(config)?,
        totp_issuer: if config.district.name.is_empty() {
            "districtops".to_owned()
        } else {
            format!("districtops {}", config.district.name)
        },
    })
}

/// The audit key: from the configuration, else from the key file, else a new random key
/// written to the key file (readable by the owner only).
fn audit_key(config: &Config) -> Result<Vec<u8>> {
    let security = &config.security;
    if !security.audit_key.is_empty() {
        return hex::decode(security.audit_key.trim()).context("security.audit_key must be hex");
    }
    let path = &security.audit_key_file;
    if path.exists() {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the audit key {}", path.display()))?;
        return hex::decode(text.trim())
            .with_context(|| format!("the audit key in {} must be hex", path.display()));
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let key = districtops_service::secrets::random_hex(32);
    write_private(path, &key)
        .with_context(|| format!("writing the audit key {}", path.display()))?;
    tracing::warn!(path = %path.display(), "created a new audit key; back it up with the database");
    Ok(hex::decode(key)?)
}

fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}

/// Opens the database named in the configuration and brings its schema up to date.
pub async fn open_store(config: &Config) -> Result<Store> {
    Store::open(&config.database.url)
        .await
        .with_context(|| format!("opening the database {}", redact(&config.database.url)))
}

/// The database URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &credentials[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// The services of a configuration.
pub async fn services(config: &Config, clock: Arc<dyn Clock>) -> Result<Services> {
    let store = open_store(config).await?;
    Ok(Services::new(store, clock, security_settings(config)?)
        .with_business_date(config.district.business_date))
}

/// A bound, ready-to-run server.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    pub services: Services,
}

impl Application {
    /// Opens the database and binds the address (port 0 picks a free one).
    pub async fn build(config: &Config, demo: bool) -> Result<Self> {
        let services = services(config, Arc::new(SystemClock)).await?;
        Self::with_services(config, services, demo).await
    }

    /// Binds a server around ready services (tests inject a manual clock this way).
    pub async fn with_services(config: &Config, services: Services, demo: bool) -> Result<Self> {
        let web = WebConfig {
            tls: config.server.tls,
            demo,
            district_name: config.district.name.clone(),
            login_per_minute: config.server.login_per_minute,
            trust_proxy: config.server.trust_proxy,
            district_geojson: config
                .district
                .read_geojson()?
                .map(|bytes| GeoJson(bytes.into())),
        };
        let router = districtops_web::router(AppState::new(services.clone(), web));
        let listener = TcpListener::bind(&config.server.listen)
            .await
            .with_context(|| format!("listening on {}", config.server.listen))?;
        Ok(Self {
            listener,
            router,
            services,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// Serves until Ctrl-C or SIGTERM, then finishes the requests under way.
    pub async fn run(self) -> Result<()> {
        let store = self.services.store.clone();
        let sweeper = tokio::spawn(sweep_sessions(self.services.clone()));
        let statuses = tokio::spawn(recompute_statuses_daily(self.services.clone()));
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("serving")?;
        sweeper.abort();
        statuses.abort();
        store.close().await;
        Ok(())
    }

    /// Serves until the future is dropped (for tests).
    pub async fn run_forever(self) -> std::io::Result<()> {
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
    }
}

/// Removes expired sessions every ten minutes.
async fn sweep_sessions(services: Services) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        tick.tick().await;
        let now = services.now();
        let limits = services.settings.session_limits;
        if let Err(e) = services
            .store
            .delete_expired_sessions(now - limits.idle, now - limits.absolute)
            .await
        {
            tracing::warn!(error = %e, "sweeping expired sessions");
        }
    }
}

/// Recomputes every status light now and then daily just after midnight China time, so a
/// milestone passing its date turns the light without anyone touching the project. Each
/// run is idempotent: several app servers doing it is harmless.
async fn recompute_statuses_daily(services: Services) {
    use districtops_service::projects::status_recompute::until_next_run;
    loop {
        let started = std::time::Instant::now();
        match services
            .recompute_statuses(&districtops_service::Ctx::system())
            .await
        {
            Ok(done) => tracing::info!(
                projects = done.projects,
                changed = done.changed,
                ms = started.elapsed().as_millis() as u64,
                "recomputed the status lights"
            ),
            Err(e) => tracing::warn!(error = %e, "recomputing the status lights"),
        }
        let wait = until_next_run(services.now())
            .to_std()
            .unwrap_or(std::time::Duration::from_secs(3600));
        tokio::time::sleep(wait).await;
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_are_hidden_in_database_urls() {
        assert_eq!(
            redact("postgres://app:s3cret@db:5432/x"),
            "postgres://app:***@db:5432/x"
        );
        assert_eq!(redact("postgres://app@db/x"), "postgres://app@db/x");
        assert_eq!(redact("sqlite://./data/x.db"), "sqlite://./data/x.db");
    }
}
