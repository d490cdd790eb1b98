//! The demo district: its org tree and accounts, loaded from `demo/huaiyin-org.toml` through
//! the same services the admin pages use.

use anyhow::{Context, Result, bail};
use districtops_domain::access::Role;
use districtops_service::Ctx;
use districtops_service::Services;
use districtops_service::departments::NewDepartmentInput;
use districtops_service::users::NewUserInput;
use serde::Deserialize;
use std::collections::HashMap;

const ORG: &str = include_str!("../demo/huaiyin-org.toml");

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

/// Creates the org tree and the accounts, all with `password`.
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
    Ok(accounts)
}
