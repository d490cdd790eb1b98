//! `districtops demo`: a fresh demo district, served at once.

use crate::Application;
use crate::config::Config;
use anyhow::{Context, Result};
use districtops_domain::password::PasswordPolicy;
use districtops_service::secrets::temporary_password;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

pub async fn run(listen: &str, data_dir: &Path) -> Result<ExitCode> {
    let started = Instant::now();
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating {}", data_dir.display()))?;
    for name in ["demo.db", "demo.db-wal", "demo.db-shm"] {
        let path = data_dir.join(name);
        if path.exists() {
            std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
        }
    }
    let password = match std::env::var("DISTRICTOPS_DEMO_PASSWORD") {
        Ok(password) if !password.is_empty() => {
            PasswordPolicy::default()
                .check(&password, "")
                .map_err(|e| {
                    anyhow::anyhow!(
                        "DISTRICTOPS_DEMO_PASSWORD does not meet the password policy ({})",
                        e.message
                    )
                })?;
            password
        }
        _ => temporary_password(),
    };
    let mut config = Config::default();
    config.server.listen = listen.to_owned();
    config.database.url = format!("sqlite://{}", data_dir.join("demo.db").display());
    config.security.require_admin_totp = false;
    config.security.audit_key_file = data_dir.join("audit.key");
    config.district.name = crate::demo::district_name()?;
    config.district.business_date = Some(crate::demo::progress::history_end()?);
    let app = Application::build(&config, true).await?;
    let accounts = crate::demo::seed(&app.services, &password).await?;

    let url = format!("http://{}/", app.local_addr());
    println!();
    println!(
        "  districtops 演示区 / demo district: {}",
        config.district.name
    );
    println!("  打开 / open: {url}");
    if let Some(date) = config.district.business_date {
        println!(
            "  台账日期 / ledger date: {date}（演示数据记到这一天 / the demo's history ends here）"
        );
    }
    println!(
        "  启动用时 / started in {} ms",
        started.elapsed().as_millis()
    );
    println!();
    println!("  演示账号 / demo accounts (密码 / password: {password})");
    for account in &accounts {
        let roles: Vec<&str> = account.roles.iter().map(|r| r.as_str()).collect();
        println!(
            "    {:<14} {} {}",
            account.username,
            pad(&account.name, 24),
            roles.join(", ")
        );
    }
    println!();
    app.run().await?;
    Ok(ExitCode::SUCCESS)
}

/// Pads text to a terminal width, counting a Chinese character as two columns.
fn pad(text: &str, width: usize) -> String {
    let used: usize = text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}
