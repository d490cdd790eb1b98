//! Layered configuration: built-in defaults → `districtops.toml` (or `--config FILE`) →
//! `DISTRICTOPS__SECTION__KEY` environment variables → command-line flags.

use anyhow::{Context, Result};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub security: SecurityConfig,
    pub district: DistrictConfig,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// Address to listen on.
    pub listen: String,
    /// Served over TLS (by a reverse proxy in front): secure `__Host-` cookies.
    pub tls: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_proxy: bool,
    /// Login attempts a minute allowed from one address.
    pub login_per_minute: u32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `sqlite://PATH` or `postgres://USER@HOST:PORT/DB`.
    pub url: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SecurityConfig {
    /// `dengbao` (等保: ≥ 8 characters, 3 of 4 classes, 90-day rotation) or `asvs` (≥ 12).
    pub password_policy: String,
    /// Days before a password must be changed, in 等保 mode.
    pub password_max_age_days: i64,
    /// Administrators must use a second factor.
    pub require_admin_totp: bool,
    /// `sm3` (GB/T 32905) or `sha256`.
    pub audit_algorithm: String,
    /// Hex key of the audit chain's HMAC. When empty, the key is read from (or first
    /// written to) `audit_key_file`.
    pub audit_key: String,
    pub audit_key_file: PathBuf,
    /// Session idle timeout, minutes.
    pub session_idle_minutes: i64,
    /// Session absolute lifetime, hours.
    pub session_absolute_hours: i64,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DistrictConfig {
    /// Shown in the page header, e.g. 槐荫区.
    pub name: String,
    /// A GeoJSON file with the district's outline, read at start-up and drawn on the battle
    /// map instead of the built-in 槐荫区 (coordinates in the same system as the projects').
    pub geojson: Option<PathBuf>,
    /// The date the ledger treats as today (YYYY-MM-DD), for a training or demonstration copy
    /// of a past ledger: status lights, overdue days and this year's targets follow it, while
    /// sign-in and the audit log keep the real clock. Unset: the real date. `districtops demo`
    /// sets it to the end of the demo's recorded history.
    pub business_date: Option<chrono::NaiveDate>,
}

impl DistrictConfig {
    /// The configured outline, checked to be a GeoJSON object (`None`: the built-in one).
    pub fn read_geojson(&self) -> Result<Option<Vec<u8>>> {
        let Some(path) = self
            .geojson
            .as_deref()
            .filter(|p| !p.as_os_str().is_empty())
        else {
            return Ok(None);
        };
        let bytes = std::fs::read(path)
            .with_context(|| format!("reading district.geojson {}", path.display()))?;
        let value: serde_json::Value = serde_json::from_slice(&bytes)
            .with_context(|| format!("district.geojson {} is not JSON", path.display()))?;
        anyhow::ensure!(
            value.get("type").and_then(|t| t.as_str()).is_some(),
            "district.geojson {} is not a GeoJSON object (no \"type\")",
            path.display()
        );
        Ok(Some(bytes))
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            tls: false,
            trust_proxy: false,
            login_per_minute: 10,
        }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: "sqlite://./data/districtops.db".into(),
        }
    }
}

impl Default for SecurityConfig {
    fn default() -> Self {
        Self {
            password_policy: "dengbao".into(),
            password_max_age_days: 90,
            require_admin_totp: true,
            audit_algorithm: "sm3".into(),
            audit_key: String::new(),
            audit_key_file: PathBuf::from("./data/audit.key"),
            session_idle_minutes: 30,
            session_absolute_hours: 8,
        }
    }
}

impl Config {
    /// Reads the layers. `file` is `--config`; without it `./districtops.toml` is read when
    /// present. `overrides` are the command-line flags, applied last.
    pub fn load(file: Option<&Path>, overrides: Figment) -> Result<Self> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) => {
                anyhow::ensure!(
                    path.exists(),
                    "configuration file {} not found",
                    path.display()
                );
                figment = figment.merge(Toml::file(path));
            }
            None => figment = figment.merge(Toml::file("districtops.toml")),
        }
        figment
            .merge(Env::prefixed("DISTRICTOPS__").split("__"))
            .merge(overrides)
            .extract()
            .context("reading the configuration")
    }
}

#[cfg(test)]
// figment's `Jail` closures return its large error type; that is its API, not ours.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;

    #[test]
    fn layers_apply_in_order() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "districtops.toml",
                "[server]\nlisten = \"0.0.0.0:9000\"\n[district]\nname = \"槐荫区\"\n",
            )?;
            jail.set_env("DISTRICTOPS__SERVER__LISTEN", "127.0.0.1:9100");
            let config = Config::load(None, Figment::new()).expect("loads");
            assert_eq!(config.server.listen, "127.0.0.1:9100");
            assert_eq!(config.district.name, "槐荫区");
            assert_eq!(config.database.url, "sqlite://./data/districtops.db");

            let flags = Figment::from(Serialized::default("server.listen", "127.0.0.1:9200"));
            let config = Config::load(None, flags).expect("loads");
            assert_eq!(config.server.listen, "127.0.0.1:9200");
            Ok(())
        });
    }

    #[test]
    fn district_geojson_is_read_and_checked() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "outline.json",
                r#"{"type": "FeatureCollection", "features": []}"#,
            )?;
            jail.create_file("bad.json", "[1, 2]")?;
            let mut district = DistrictConfig::default();
            assert!(district.read_geojson().expect("nothing to read").is_none());
            district.geojson = Some("outline.json".into());
            assert!(district.read_geojson().expect("reads").is_some());
            district.geojson = Some("bad.json".into());
            assert!(district.read_geojson().is_err());
            district.geojson = Some("missing.json".into());
            assert!(district.read_geojson().is_err());
            Ok(())
        });
    }

    #[test]
    fn unknown_keys_are_refused() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("districtops.toml", "[server]\nlisen = \"x\"\n")?;
            assert!(Config::load(None, Figment::new()).is_err());
            Ok(())
        });
    }
}
