//! One module per command; each returns the process's exit code.

mod backup;
mod demo;
mod generate;
mod ledger;
mod serve;
mod user;

use crate::cli::{AuditCommand, Cli, Command, ExportCommand, ImportCommand};
use crate::config::Config;
use anyhow::Result;
use districtops_service::SystemClock;
use districtops_service::audit::ChainReport;
use figment::Figment;
use figment::providers::Serialized;
use std::process::ExitCode;
use std::sync::Arc;

pub async fn run(cli: Cli) -> Result<ExitCode> {
    match &cli.command {
        Command::Serve { listen } => serve::run(config(&cli, listen.as_deref())?).await,
        Command::Demo { listen, data_dir } => demo::run(listen, data_dir).await,
        Command::Migrate => {
            let config = config(&cli, None)?;
            crate::app::open_store(&config).await?.close().await;
            println!("数据库已是最新结构 / schema is up to date");
            Ok(ExitCode::SUCCESS)
        }
        Command::User(command) => user::run(&config(&cli, None)?, command).await,
        Command::Backup { to } => backup::run(&config(&cli, None)?, to).await,
        Command::Audit(AuditCommand::Verify) => verify_audit(&config(&cli, None)?).await,
        Command::Import(ImportCommand::Projects {
            file,
            dry_run,
            format,
        }) => ledger::import(&config(&cli, None)?, file, *dry_run, *format).await,
        Command::Export(ExportCommand::Projects { to, as_of }) => {
            ledger::export(&config(&cli, None)?, to, *as_of).await
        }
        Command::Generate { projects, seed } => {
            let options = crate::synthetic::GenOptions {
                projects: *projects,
                seed: *seed,
            };
            generate::run(&config(&cli, None)?, options).await
        }
    }
}

/// The configuration with the command line's flags applied last.
fn config(cli: &Cli, listen: Option<&str>) -> Result<Config> {
    let mut flags = Figment::new();
    if let Some(url) = &cli.database {
        flags = flags.merge(Serialized::default("database.url", url));
    }
    if let Some(listen) = listen {
        flags = flags.merge(Serialized::default("server.listen", listen));
    }
    Config::load(cli.config.as_deref(), flags)
}

async fn verify_audit(config: &Config) -> Result<ExitCode> {
    let services = crate::app::services(config, Arc::new(SystemClock)).await?;
    let report = services.verify_audit_chain().await?;
    services.store.close().await;
    match report {
        ChainReport::Intact { records } => {
            println!(
                "审计日志完整：{records} 条记录校验通过 / audit chain intact: {records} records"
            );
            Ok(ExitCode::SUCCESS)
        }
        ChainReport::Broken(broken) => {
            println!("审计日志被篡改 / audit chain broken: {}", describe(&broken));
            Ok(ExitCode::from(1))
        }
    }
}

fn describe(broken: &districtops_domain::audit::ChainBreak) -> String {
    use districtops_domain::audit::ChainBreak;
    match broken {
        ChainBreak::Altered { seq } => {
            format!("第 {seq} 条记录内容与其哈希不符（被修改） / record {seq} was altered")
        }
        ChainBreak::Unlinked { seq } => {
            format!(
                "第 {seq} 条记录未指向前一条（被插入或替换） / record {seq} does not link to the one before"
            )
        }
        ChainBreak::Gap { after, next } => {
            format!(
                "第 {after} 条之后缺少记录，下一条是第 {next} 条（被删除） / records missing between {after} and {next}"
            )
        }
    }
}
