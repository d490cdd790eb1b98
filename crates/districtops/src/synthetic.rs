//! A synthetic district for load tests and benchmarks (`districtops gen`): an org tree,
//! accounts, three platforms and N projects across stages, kinds, departments and leaders,
//! each with its five stage milestones, ten monthly progress reports and a quarterly
//! investment plan — so 100,000 projects bring a million progress reports.
//!
//! The same seed and the same day give the same district: every value comes from one
//! `ChaCha8Rng` (its output is fixed by its specification, unlike `StdRng`'s, which may change
//! between `rand` versions), in one order, and dates are laid out around the clock's day.
//!
//! The org, accounts and platforms go through the services, as the admin pages write them.
//! The projects go through [`Store::insert_projects_bulk`] in one transaction with one audit
//! record, in batches of many rows per statement, with the values the services would have
//! written: completed investment = the sum of the reports, the status colour computed by the
//! domain rules, revision 1 kept, the cockpit's roll-ups kept by the database's triggers.
//!
//! [`Store::insert_projects_bulk`]: districtops_store::Store::insert_projects_bulk

mod plan;

use anyhow::{Context, Result, bail};
use districtops_domain::access::Role;
use districtops_domain::audit::FieldChange;
use districtops_service::audit::Object;
use districtops_service::departments::NewDepartmentInput;
use districtops_service::projects::platforms::NewPlatformInput;
use districtops_service::users::NewUserInput;
use districtops_service::{Ctx, Services};
use plan::{Leader, Planner};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct GenOptions {
    pub projects: usize,
    pub seed: u64,
}

/// What was generated. Money is whole 元.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GenSummary {
    pub departments: usize,
    /// Usernames of the accounts created (`leader`, then one `staffNN` per department).
    pub accounts: Vec<String>,
    pub platforms: usize,
    pub projects: usize,
    pub milestones: usize,
    pub reports: usize,
    pub plan_targets: usize,
    pub total_investment: i64,
    pub completed_investment: i64,
    /// Projects per status colour: green, yellow, red.
    pub colours: [usize; 3],
}

/// The district's name and its departments with their kind.
const DISTRICT: &str = "合成区";
const DEPARTMENTS: [(&str, &str); 12] = [
    ("发展和改革局", "bureau"),
    ("投资促进局", "bureau"),
    ("住房和城乡建设局", "bureau"),
    ("卫生健康局", "bureau"),
    ("教育和体育局", "bureau"),
    ("科学技术局", "bureau"),
    ("工业和信息化局", "bureau"),
    ("交通运输局", "bureau"),
    ("城东街道", "street"),
    ("城西街道", "street"),
    ("城南街道", "street"),
    ("城北街道", "street"),
];
const PLATFORMS: [(&str, &str); 3] = [
    ("合成医学科学中心", "医疗、康养与生命科学"),
    ("合成经济开发区", "先进制造与总部经济"),
    ("合成中央商务区", "金融、商贸与现代服务"),
];
/// Projects generated and written per batch (all batches share one transaction).
const BATCH: usize = 5_000;

/// Writes a synthetic district into an empty database. Every account gets `password` and
/// may keep it (the district is for tests and benchmarks, as the demo's accounts are).
pub async fn generate(
    services: &Services,
    options: &GenOptions,
    password: &str,
) -> Result<GenSummary> {
    if !services.store.departments().await?.is_empty() {
        bail!("gen writes a new district into an empty database; this one already has departments");
    }
    let ctx = Ctx::system();
    let department = |parent_id, name: &str, kind: &str| NewDepartmentInput {
        parent_id,
        name: name.to_owned(),
        kind: kind.to_owned(),
    };
    let root = services
        .create_department(&ctx, department(None, DISTRICT, "district"))
        .await
        .context("creating the district")?;
    let mut departments = Vec::new();
    for (name, kind) in DEPARTMENTS {
        let id = services
            .create_department(&ctx, department(Some(root), name, kind))
            .await
            .with_context(|| format!("creating {name}"))?;
        departments.push(id);
    }
    let account = |username: String, display_name: String, department_id, role| NewUserInput {
        username,
        display_name,
        department_id,
        password: Some(password.to_owned()),
        roles: vec![role],
        skip_password_change: true,
    };
    let mut summary = GenSummary {
        departments: departments.len() + 1,
        ..GenSummary::default()
    };
    services
        .create_user(
            &ctx,
            account("leader".into(), "区领导".into(), root, Role::Leader),
        )
        .await
        .context("creating the account leader")?;
    summary.accounts.push("leader".into());
    // One account per department; each also leads a few projects of other departments.
    let mut leaders = Vec::new();
    for (n, department_id) in departments.iter().enumerate() {
        let username = format!("staff{:02}", n + 1);
        let name = format!("{}专员", DEPARTMENTS[n].0);
        let (id, _) = services
            .create_user(
                &ctx,
                account(username.clone(), name.clone(), *department_id, Role::Staff),
            )
            .await
            .with_context(|| format!("creating the account {username}"))?;
        leaders.push(Leader { user_id: id, name });
        summary.accounts.push(username);
    }
    let mut platforms = Vec::new();
    for (name, positioning) in PLATFORMS {
        let input = NewPlatformInput {
            name: name.to_owned(),
            positioning: Some(positioning.to_owned()),
            planned_area_km2_x100: None,
        };
        platforms.push(
            services
                .create_platform(&ctx, &input)
                .await
                .with_context(|| format!("creating platform {name}"))?,
        );
    }
    summary.platforms = platforms.len();

    let mut planner = Planner {
        rng: ChaCha8Rng::seed_from_u64(options.seed),
        today: services.today(),
        departments,
        platforms,
        leaders,
    };
    let mut tx = services.store.begin_long().await?;
    let mut next = 0;
    while next < options.projects {
        let end = (next + BATCH).min(options.projects);
        let batch: Vec<_> = (next..end).map(|i| planner.project(i)).collect();
        let rows = services
            .store
            .insert_projects_bulk(&mut tx, &batch, services.now(), None)
            .await
            .context("writing projects")?;
        for (project, row) in batch.iter().zip(&rows) {
            summary.milestones += project.milestones.len();
            summary.reports += project.reports.len();
            summary.plan_targets += project.plan.len();
            summary.total_investment += row.total_investment;
            summary.completed_investment += row.completed_investment;
            let colour = match row.status_colour.as_str() {
                "red" => 2,
                "yellow" => 1,
                _ => 0,
            };
            summary.colours[colour] += 1;
        }
        summary.projects += rows.len();
        next = end;
    }
    let changes = vec![
        FieldChange::new("seed", None::<&str>, Some(options.seed)),
        FieldChange::new("projects", None::<&str>, Some(summary.projects)),
        FieldChange::new("reports", None::<&str>, Some(summary.reports)),
    ];
    services
        .record(&mut tx, &ctx, "project.generate", Object::none(), changes)
        .await?;
    tx.commit().await?;
    services.store.analyze().await?;
    Ok(summary)
}
