//! `districtops backup --to FILE`.

use crate::config::Config;
use anyhow::{Context, Result};
use districtops_store::{Backend, Store};
use std::path::Path;
use std::process::ExitCode;

pub async fn run(config: &Config, to: &Path) -> Result<ExitCode> {
    let store = Store::connect(&config.database.url).await?;
    if store.backend() == Backend::Postgres {
        println!(
            "PostgreSQL 请使用 pg_dump 备份，例如 / back up PostgreSQL with pg_dump, e.g.:\n  \
             pg_dump --format=custom --file=districtops.dump \"{}\"\n\
             恢复 / restore: pg_restore --clean --dbname=<URL> districtops.dump",
            crate::app::redact(&config.database.url)
        );
        return Ok(ExitCode::from(2));
    }
    store
        .backup_to(to)
        .await
        .with_context(|| format!("backing up to {}", to.display()))?;
    store.close().await;
    println!(
        "备份完成，完整性检查通过 / backup written and integrity-checked: {}",
        to.display()
    );
    Ok(ExitCode::SUCCESS)
}
