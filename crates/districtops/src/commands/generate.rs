//! `districtops gen --projects N [--seed S]`: writes a synthetic district into the configured
//! (empty) database for load tests and benchmarks, and prints what it wrote.
//!
//! The accounts (`leader`, `staff01`…) get the password in `DISTRICTOPS_GEN_PASSWORD`, or a
//! generated one that is printed once.

use crate::config::Config;
use crate::synthetic::{GenOptions, generate};
use anyhow::Result;
use districtops_domain::money::Money;
use districtops_domain::password::PasswordPolicy;
use districtops_service::SystemClock;
use districtops_service::secrets::temporary_password;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

pub async fn run(config: &Config, options: GenOptions) -> Result<ExitCode> {
    let password = match std::env::var("DISTRICTOPS_GEN_PASSWORD") {
        Ok(password) if !password.is_empty() => {
            PasswordPolicy::default()
                .check(&password, "")
                .map_err(|e| {
                    anyhow::anyhow!(
                        "DISTRICTOPS_GEN_PASSWORD does not meet the password policy ({})",
                        e.message
                    )
                })?;
            password
        }
        _ => temporary_password(),
    };
    let started = Instant::now();
    let services = crate::app::services(config, Arc::new(SystemClock)).await?;
    let result = generate(&services, &options, &password).await;
    services.store.close().await;
    let summary = result?;
    let yi = |yuan: i64| Money::from_yuan(yuan).format_yi();
    println!(
        "已生成合成区 / generated a synthetic district (seed {}) in {:.1} s:",
        options.seed,
        started.elapsed().as_secs_f64()
    );
    println!(
        "  部门 {} 个，平台 {} 个，项目 {} 个，里程碑 {} 个，月报 {} 条，投资计划 {} 条",
        summary.departments,
        summary.platforms,
        summary.projects,
        summary.milestones,
        summary.reports,
        summary.plan_targets
    );
    println!(
        "  总投资 {}，已完成 {}；绿 {} / 黄 {} / 红 {}",
        yi(summary.total_investment),
        yi(summary.completed_investment),
        summary.colours[0],
        summary.colours[1],
        summary.colours[2]
    );
    println!(
        "  账号 / accounts: {} (密码 / password: {password})",
        summary.accounts.join(", ")
    );
    Ok(ExitCode::SUCCESS)
}
