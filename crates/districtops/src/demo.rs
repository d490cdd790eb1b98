//! The demo district: its org tree and accounts, loaded from `demo/huaiyin-org.toml` through
//! the same services the admin pages use; its functional platforms (`demo/huaiyin-platforms.toml`,
//! through the platform service); and its key-project ledger (`demo/huaiyin-projects.xlsx`,
//! made from `huaiyin-projects.fods` by `demo/make-demo-data.sh`), through the same import
//! users run (`districtops import projects`); then its mass groundbreaking and signing
//! events (`demo/huaiyin-events.toml`, through the event service, see [`events`]); then the
//! milestones, plans and monthly reports of 2020 (`demo/huaiyin-progress.toml`, see
//! [`progress`]).
//!
//! The accounts are created today; the ledger's history is replayed from the start of 2020 on
//! a manual clock (the ledger file holds the figures at the end of 2019), so revisions and
//! reports carry their 2020 dates and each month's status light is recorded. At the end the
//! lights are recomputed for today.

pub mod events;
pub mod goals;
pub mod progress;

use anyhow::{Context, Result, bail};
use districtops_domain::access::Role;
use districtops_service::Ctx;
use districtops_service::Services;
use districtops_service::departments::NewDepartmentInput;
use districtops_service::projects::platforms::NewPlatformInput;
use districtops_service::users::NewUserInput;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

const ORG: &str = include_str!("../demo/huaiyin-org.toml");
const PLATFORMS: &str = include_str!("../demo/huaiyin-platforms.toml");
const PROJECTS: &[u8] = include_bytes!("../demo/huaiyin-projects.xlsx");

#[derive(Deserialize)]
struct DemoPlatforms {
    platform: Vec<DemoPlatform>,
}

/// A platform as `huaiyin-platforms.toml` gives it (its roadmap and carriers are not stored
/// yet, so they are not read here).
#[derive(Deserialize)]
struct DemoPlatform {
    name: String,
    positioning: Option<String>,
    planned_area_km2_x100: Option<i64>,
}

#[derive(Deserialize)]
struct DemoOrg {
    district: String,
    department: Vec<DemoDepartment>,
    user: Vec<DemoUser>,
}

#[derive(Deserialize)]
struct DemoDepartment {
    name: String,
    kind: String,
    #[serde(default)]
    sections: Vec<String>,
}

#[derive(Deserialize)]
struct DemoUser {
    username: String,
    name: String,
    department: String,
    roles: Vec<String>,
}

/// A demo account as printed at start-up.
pub struct DemoAccount {
    pub username: String,
    pub name: String,
    pub roles: Vec<Role>,
}

/// The district's name in the demo data set.
pub fn district_name() -> Result<String> {
    Ok(parse()?.district)
}

fn parse() -> Result<DemoOrg> {
    toml::from_str(ORG).context("reading demo/huaiyin-org.toml")
}

/// Creates the org tree, the accounts (all with `password`), the platforms and the
/// key-project ledger.
pub async fn seed(services: &Services, password: &str) -> Result<Vec<DemoAccount>> {
    let org = parse()?;
    let ctx = Ctx::system();
    let mut ids = HashMap::new();
    let root = services
        .create_department(
            &ctx,
            NewDepartmentInput {
                parent_id: None,
                name: org.district.clone(),
                kind: "district".into(),
            },
        )
        .await
        .context("creating the district")?;
    ids.insert(org.district.clone(), root);
    for department in &org.department {
        let id = services
            .create_department(
                &ctx,
                NewDepartmentInput {
                    parent_id: Some(root),
                    name: department.name.clone(),
                    kind: department.kind.clone(),
                },
            )
            .await
            .with_context(|| format!("creating {}", department.name))?;
        ids.insert(department.name.clone(), id);
        for section in &department.sections {
            let input = NewDepartmentInput {
                parent_id: Some(id),
                name: section.clone(),
                kind: "section".into(),
            };
            services
                .create_department(&ctx, input)
                .await
                .with_context(|| format!("creating {section}"))?;
        }
    }
    let mut accounts = Vec::new();
    for user in org.user {
        let Some(&department_id) = ids.get(&user.department) else {
            bail!(
                "demo user {} names an unknown department {}",
                user.username,
                user.department
            );
        };
        let roles = user
            .roles
            .iter()
            .map(|r| Role::parse(r).with_context(|| format!("unknown role {r}")))
            .collect::<Result<Vec<_>>>()?;
        let input = NewUserInput {
            username: user.username.clone(),
            display_name: user.name.clone(),
            department_id,
            password: Some(password.to_owned()),
            roles: roles.clone(),
            skip_password_change: true,
        };
        services
            .create_user(&ctx, input)
            .await
            .with_context(|| format!("creating {}", user.username))?;
        accounts.push(DemoAccount {
            username: user.username,
            name: user.name,
            roles,
        });
    }
    // After the accounts: a project's leader is linked to the account of that name.
    seed_projects(services).await?;
    goals::seed_goals(services).await?;
    Ok(accounts)
}

/// Creates the three platforms, then imports the ledger as the command-line operator (every
/// row must be accepted: the demo never starts on a partial ledger), the events and the
/// months of progress, all on the replay's clock; then recomputes the lights for today.
async fn seed_projects(services: &Services) -> Result<()> {
    let clock = Arc::new(progress::replay_clock()?);
    // The replay's today is its own clock's, month by month.
    let replay = Services {
        clock: clock.clone(),
        business_date: None,
        ..services.clone()
    };
    seed_ledger(&replay).await?;
    progress::seed_progress(&replay, &clock).await?;
    services
        .recompute_statuses(&Ctx::system())
        .await
        .context("recomputing the status lights for today")?;
    Ok(())
}

/// The platforms, the ledger and the events.
async fn seed_ledger(services: &Services) -> Result<()> {
    let ctx = Ctx::system();
    let platforms: DemoPlatforms =
        toml::from_str(PLATFORMS).context("reading demo/huaiyin-platforms.toml")?;
    for platform in platforms.platform {
        let input = NewPlatformInput {
            name: platform.name.clone(),
            positioning: platform.positioning,
            planned_area_km2_x100: platform.planned_area_km2_x100,
        };
        services
            .create_platform(&ctx, &input)
            .await
            .with_context(|| format!("creating platform {}", platform.name))?;
    }
    let preview = services
        .preview_import(&ctx, PROJECTS)
        .await
        .context("reading demo/huaiyin-projects.xlsx")?;
    if let Some((row, issues)) = preview.rejected().next() {
        let issues: Vec<String> = issues
            .iter()
            .map(|i| format!("{} {} '{}'", i.cell, i.message_key, i.raw))
            .collect();
        bail!(
            "demo/huaiyin-projects.xlsx row {row} is rejected: {}",
            issues.join("; ")
        );
    }
    services
        .apply_import(&ctx, PROJECTS)
        .await
        .context("importing demo/huaiyin-projects.xlsx")?;
    events::seed_events(services).await
}
