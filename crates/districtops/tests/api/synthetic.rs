//! `districtops gen`: the same seed gives the same district; the district is consistent
//! (completed investment = the sum of the reports, colours as the domain computes them,
//! roll-ups equal to the reports) and the ledger and the cockpit work on it.

use crate::database::create_database;
use crate::helpers::{AUDIT_KEY, on_both_backends};
use districtops::Config;
use districtops::app::security_settings;
use districtops::synthetic::{GenOptions, GenSummary, generate};
use districtops_service::projects::ProjectQuery;
use districtops_service::projects::status::assess;
use districtops_service::{Ctx, ManualClock, Services};
use districtops_store::{
    Backend, MilestoneRow, ProgressRow, ProjectFilter, ProjectRow, ProjectScope, Store,
};
use std::sync::Arc;

const PASSWORD: &str = "Synthetic#2026";

/// A district of `projects` generated with `seed` on a fresh database, on a fixed day.
pub(crate) async fn generated(
    backend: Backend,
    projects: usize,
    seed: u64,
) -> (Services, GenSummary, crate::database::TestDatabase) {
    let (url, database) = create_database(backend).await;
    let mut config = Config::default();
    config.security.audit_key = AUDIT_KEY.into();
    let settings = security_settings(&config).expect("settings");
    let store = Store::open(&url).await.expect("open the database");
    let noon = "2026-11-29T04:00:00Z".parse().unwrap();
    let services = Services::new(store, Arc::new(ManualClock::new(noon)), settings);
    let summary = generate(&services, &GenOptions { projects, seed }, PASSWORD)
        .await
        .expect("gen writes the district");
    (services, summary, database)
}

type Children = Vec<(Vec<MilestoneRow>, Vec<ProgressRow>)>;

/// Every project with its milestones and reports.
async fn ledger(store: &Store) -> (Vec<ProjectRow>, Children) {
    let mut filter = ProjectFilter::new(ProjectScope::District);
    filter.limit = 10_000;
    let rows = store.project_page(&filter).await.unwrap().rows;
    let mut children = Vec::new();
    for row in &rows {
        children.push((
            store.milestones(row.id).await.unwrap(),
            store.progress_reports(row.id).await.unwrap(),
        ));
    }
    (rows, children)
}

async fn the_same_seed_gives_the_same_district(backend: Backend) {
    let (first, summary, _a) = generated(backend, 40, 7).await;
    let (second, again, _b) = generated(backend, 40, 7).await;
    assert_eq!(summary, again);
    assert_eq!(summary.projects, 40);
    assert_eq!(summary.reports, 400);
    assert_eq!(summary.milestones, 200);
    assert_eq!(ledger(&first.store).await, ledger(&second.store).await);

    let (other, _, _c) = generated(backend, 40, 8).await;
    assert_ne!(ledger(&first.store).await.0, ledger(&other.store).await.0);
}

async fn a_generated_district_is_consistent_and_serves_the_ledger_and_cockpit(backend: Backend) {
    let (services, summary, _database) = generated(backend, 120, 1).await;
    let store = &services.store;
    let (rows, children) = ledger(store).await;
    assert_eq!(rows.len(), 120);
    let today = services.today();
    for (row, (milestones, reports)) in rows.iter().zip(&children) {
        let invested: i64 = reports.iter().map(|r| r.invested_in_period).sum();
        assert_eq!(row.completed_investment, invested, "{}", row.name);
        assert!(row.completed_investment <= row.total_investment);
        assert_eq!(reports.len(), 10);
        let plan = store.investment_plan(row.id).await.unwrap();
        let colour = assess(today, milestones, &plan, row.completed_investment).colour;
        assert_eq!(row.status_colour, colour.as_str(), "{}", row.name);
        assert_eq!(store.count_project_revisions(row.id).await.unwrap(), 1);
    }
    assert_eq!(summary.colours.iter().sum::<usize>(), 120);

    let cockpit = services.cockpit(&Ctx::system()).await.unwrap();
    assert_eq!(cockpit.totals.count, 120);
    assert_eq!(cockpit.totals.total_investment, summary.total_investment);
    assert_eq!(
        cockpit.totals.completed_investment,
        summary.completed_investment
    );
    assert_eq!(cockpit.red as usize, summary.colours[2]);
    let naive = store
        .cockpit_months_from_reports(&ProjectScope::District)
        .await
        .unwrap();
    assert_eq!(cockpit.months, naive);
    assert_eq!(
        cockpit.months.iter().map(|m| m.invested).sum::<i64>(),
        summary.completed_investment
    );

    let query = ProjectQuery {
        per_page: 50,
        ..ProjectQuery::default()
    };
    let page = services
        .list_projects(&Ctx::system(), &query)
        .await
        .unwrap();
    assert_eq!(page.rows.len(), 50);
    assert_eq!(page.totals.count, 120);

    // The accounts it made can sign in with the password given.
    let leader = store.user_by_name("leader").await.unwrap().expect("leader");
    assert!(!leader.must_change_password);
    assert_eq!(summary.accounts.len(), 13);

    // A second run refuses to write into a database that already holds a district.
    let options = GenOptions {
        projects: 1,
        seed: 1,
    };
    assert!(generate(&services, &options, PASSWORD).await.is_err());
}

on_both_backends!(
    the_same_seed_gives_the_same_district,
    a_generated_district_is_consistent_and_serves_the_ledger_and_cockpit,
);
