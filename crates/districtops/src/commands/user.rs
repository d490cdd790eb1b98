//! `districtops user add|passwd|disable|enable|list`: the operator at the server's console
//! acts as `system`, audited like everyone else.

use crate::cli::{OutputFormat, UserAdd, UserCommand};
use crate::config::Config;
use anyhow::{Context, Result, bail};
use districtops_domain::access::Role;
use districtops_service::departments::NewDepartmentInput;
use districtops_service::users::NewUserInput;
use districtops_service::{Ctx, ServiceError, Services, SystemClock};
use std::io::BufRead;
use std::process::ExitCode;
use std::sync::Arc;

pub async fn run(config: &Config, command: &UserCommand) -> Result<ExitCode> {
    let services = crate::app::services(config, Arc::new(SystemClock)).await?;
    let result = dispatch(config, &services, command).await;
    services.store.close().await;
    result
}

async fn dispatch(config: &Config, services: &Services, command: &UserCommand) -> Result<ExitCode> {
    let ctx = Ctx::system();
    match command {
        UserCommand::Add(add) => add_user(config, services, add).await,
        UserCommand::Passwd {
            username,
            password_stdin,
        } => {
            let user = services.find_user(&ctx, username).await.map_err(explain)?;
            let given = if *password_stdin {
                Some(read_password()?)
            } else {
                None
            };
            let password = services
                .reset_password(&ctx, user.id, given)
                .await
                .map_err(explain)?;
            println!(
                "已重置 {username} 的密码，首次登录须修改 / password reset; it must be changed at next login"
            );
            if !*password_stdin {
                println!("新密码 / new password: {password}");
            }
            Ok(ExitCode::SUCCESS)
        }
        UserCommand::Disable { username } | UserCommand::Enable { username } => {
            let disabled = matches!(command, UserCommand::Disable { .. });
            let user = services.find_user(&ctx, username).await.map_err(explain)?;
            services
                .set_user_disabled(&ctx, user.id, disabled)
                .await
                .map_err(explain)?;
            println!(
                "{username}: {}",
                if disabled {
                    "已停用 / disabled"
                } else {
                    "已启用 / enabled"
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        UserCommand::List { format } => {
            let users = services.list_users(&ctx).await.map_err(explain)?;
            match format {
                OutputFormat::Json => {
                    let rows: Vec<_> = users
                        .iter()
                        .map(|u| {
                            serde_json::json!({
                                "id": u.user.id,
                                "username": u.user.username,
                                "display_name": u.user.display_name,
                                "department_id": u.user.department_id,
                                "roles": u.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
                                "disabled": u.user.disabled,
                            })
                        })
                        .collect();
                    println!("{}", serde_json::to_string_pretty(&rows)?);
                }
                OutputFormat::Text => {
                    for u in &users {
                        let roles: Vec<&str> = u.roles.iter().map(|r| r.as_str()).collect();
                        let state = if u.user.disabled {
                            "disabled"
                        } else {
                            "active"
                        };
                        println!(
                            "{:<20} {:<20} {:<8} {}",
                            u.user.username,
                            u.user.display_name,
                            state,
                            roles.join(",")
                        );
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn add_user(config: &Config, services: &Services, add: &UserAdd) -> Result<ExitCode> {
    let ctx = Ctx::system();
    let roles = add
        .roles
        .iter()
        .map(|r| Role::parse(r).with_context(|| format!("unknown role {r}")))
        .collect::<Result<Vec<_>>>()?;
    let department_id = department(config, services, add.department.as_deref()).await?;
    let password = if add.password_stdin {
        Some(read_password()?)
    } else {
        None
    };
    let input = NewUserInput {
        username: add.username.clone(),
        display_name: add.name.clone(),
        department_id,
        password,
        roles,
        skip_password_change: false,
    };
    let (id, password) = services.create_user(&ctx, input).await.map_err(explain)?;
    println!(
        "已创建用户 {} (id {id})，首次登录须修改密码 / user created; the password must be changed at first login",
        add.username
    );
    if !add.password_stdin {
        println!("初始密码 / first password: {password}");
    }
    Ok(ExitCode::SUCCESS)
}

/// The department named by id or exact name; by default the district, created from the
/// configuration's district name when the org tree is still empty.
async fn department(config: &Config, services: &Services, wanted: Option<&str>) -> Result<i64> {
    let ctx = Ctx::system();
    let departments = services.departments(&ctx).await?;
    match wanted {
        Some(wanted) => departments
            .iter()
            .find(|d| d.id.to_string() == wanted || d.name == wanted)
            .map(|d| d.id)
            .with_context(|| format!("no department {wanted}")),
        None => match departments.iter().find(|d| d.parent_id.is_none()) {
            Some(root) => Ok(root.id),
            None => {
                let name = if config.district.name.is_empty() {
                    "本区".to_owned()
                } else {
                    config.district.name.clone()
                };
                let input = NewDepartmentInput {
                    parent_id: None,
                    name: name.clone(),
                    kind: "district".into(),
                };
                let id = services
                    .create_department(&ctx, input)
                    .await
                    .map_err(explain)?;
                println!("已创建区级根部门 {name} / created the district root department");
                Ok(id)
            }
        },
    }
}

fn read_password() -> Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        bail!("no password on standard input");
    }
    Ok(password)
}

/// A service refusal in words for the console (zh-CN first, as the pages are).
fn explain(error: ServiceError) -> anyhow::Error {
    match error {
        ServiceError::Invalid(fields) => {
            let tr = districtops_web::i18n::Lang::ZhCn.tr();
            let parts: Vec<String> = fields
                .0
                .iter()
                .map(|f| format!("{}: {}", f.field, tr.t(f.message)))
                .collect();
            anyhow::anyhow!("{}", parts.join("; "))
        }
        ServiceError::NotFound => anyhow::anyhow!("没有该用户 / no such user"),
        ServiceError::Conflict(key) => {
            anyhow::anyhow!("{}", districtops_web::i18n::Lang::ZhCn.tr().t(key))
        }
        other => anyhow::Error::new(other),
    }
}
