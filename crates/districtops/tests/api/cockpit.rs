//! The leaders' cockpit (`/api/v1/cockpit`, `/cockpit`) on both backends: its figures, its
//! data scope, and the demo district's cockpit showing the article's figures.

use crate::database::create_database;
use crate::helpers::{on_both_backends, spawn_app};
use crate::projects::{Api, platform, project};
use chrono::Duration;
use districtops::app::security_settings;
use districtops::{Config, demo};
use districtops_domain::money::Money;
use districtops_service::{Ctx, ManualClock, Services};
use districtops_store::{Backend, Store};
use serde_json::{Value, json};
use std::sync::Arc;

fn platform_named<'a>(cockpit: &'a Value, name: &str) -> &'a Value {
    cockpit["platforms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["platform"] == name)
        .unwrap_or_else(|| panic!("{name} in {cockpit}"))
}

async fn the_cockpit_sums_the_ledger_within_the_callers_scope(backend: Backend) {
    let app = spawn_app(backend).await;
    platform(&app, "国际医学科学中心").await;
    let office = Api::new(&app, "office").await;
    let ours = office
        .create(project("招商项目", 400_000_000, "投资促进局"))
        .await;
    let late = office
        .create(project("滞后项目", 200_000_000, "投资促进局"))
        .await;
    let theirs = office
        .create(project("街道项目", 800_000_000, "振兴街街道"))
        .await;
    let mut signed = project("签约项目", 1_000_000_000, "振兴街街道");
    signed["stage"] = json!("signed");
    signed["platform"] = Value::Null;
    signed["floor_area_m2"] = Value::Null;
    office.create(signed).await;

    // A milestone long overdue turns a project red, a few days overdue yellow.
    let today = app.services.today();
    let long_ago = json!({ "name": "主体封顶", "planned": "2020-01-01" });
    let (status, _) = office
        .send(
            "POST",
            &format!("/api/v1/projects/{}/milestones", late["id"]),
            &long_ago,
        )
        .await;
    assert_eq!(status, 201);
    let recent = json!({ "name": "桩基完成", "planned": (today - Duration::days(3)).to_string() });
    let (status, _) = office
        .send(
            "POST",
            &format!("/api/v1/projects/{}/milestones", theirs["id"]),
            &recent,
        )
        .await;
    assert_eq!(status, 201);
    for (id, period, yuan) in [
        (&ours["id"], "2026-09", 30_000_000),
        (&ours["id"], "2026-10", 20_000_000),
        (&theirs["id"], "2026-10", 50_000_000),
    ] {
        let report = json!({ "period": period, "invested_in_period_yuan": yuan, "percent": 10 });
        let (status, body) = office
            .send("POST", &format!("/api/v1/projects/{id}/progress"), &report)
            .await;
        assert_eq!(status, 204, "{body}");
    }

    let leader = Api::new(&app, "leader").await;
    let (status, all) = leader.get("/api/v1/cockpit").await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(all["totals"]["count"], 4);
    assert_eq!(all["totals"]["total_investment_yuan"], 2_400_000_000_i64);
    // A quarter of each total, plus the 1亿 the progress reports added.
    assert_eq!(all["totals"]["completed_investment_yuan"], 700_000_000);
    assert_eq!(all["totals"]["floor_area_m2"], 3000);
    assert_eq!(all["colours"], json!({ "green": 2, "yellow": 1, "red": 1 }));
    assert_eq!(
        all["stages"],
        json!([
            { "stage": "signed", "count": 1 },
            { "stage": "under_construction", "count": 3 },
        ])
    );
    let center = platform_named(&all, "国际医学科学中心");
    assert_eq!(center["count"], 3);
    assert_eq!(center["total_investment_yuan"], 1_400_000_000);
    assert_eq!(center["floor_area_m2"], 3000);
    let none = &all["platforms"][1];
    assert_eq!(none["platform"], Value::Null);
    assert_eq!(none["count"], 1);
    assert_eq!(all["red_projects"].as_array().unwrap().len(), 1);
    assert_eq!(all["red_projects"][0]["id"], late["id"]);
    assert_eq!(all["red_projects"][0]["platform"], "国际医学科学中心");
    assert_eq!(
        all["red_projects"][0]["reasons"][0]["kind"],
        "milestone_long_overdue"
    );
    assert_eq!(
        all["months"],
        json!([
            { "period": "2026-09", "invested_yuan": 30_000_000 },
            { "period": "2026-10", "invested_yuan": 70_000_000 },
        ])
    );

    // Staff of the bureau see the bureau's projects only.
    let staff = Api::new(&app, "staff").await;
    let (status, mine) = staff.get("/api/v1/cockpit").await;
    assert_eq!(status, 200);
    assert_eq!(mine["totals"]["count"], 2);
    assert_eq!(mine["totals"]["total_investment_yuan"], 600_000_000);
    assert_eq!(
        mine["colours"],
        json!({ "green": 1, "yellow": 0, "red": 1 })
    );
    assert_eq!(mine["platforms"].as_array().unwrap().len(), 1);
    assert_eq!(
        mine["months"],
        json!([
            { "period": "2026-09", "invested_yuan": 30_000_000 },
            { "period": "2026-10", "invested_yuan": 20_000_000 },
        ])
    );

    // The page shows the same figures, and the red project links to its page.
    let (browser, _) = app.browser("leader").await;
    let page = app.text(&browser, "/cockpit").await;
    assert!(page.contains("领导驾驶舱"), "{page}");
    assert!(page.contains(r#"data-testid="figure-total">24<"#), "{page}");
    assert!(page.contains(&format!(r#"href="/projects/{}""#, late["id"])));
    assert!(page.contains("/static/cockpit.js"));
    assert!(!page.contains("<script>"));
    let (browser, _) = app.browser("staff").await;
    let page = app.text(&browser, "/cockpit").await;
    assert!(!page.contains("街道项目"));
    assert!(
        page.contains(r#"data-testid="figure-projects">2<"#),
        "{page}"
    );
}

async fn the_demo_cockpit_shows_the_articles_figures(backend: Backend) {
    let (url, _database) = create_database(backend).await;
    let mut config = Config::default();
    config.security.audit_key = crate::helpers::AUDIT_KEY.into();
    let settings = security_settings(&config).expect("settings");
    let store = Store::open(&url).await.expect("open the database");
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let services = Services::new(store, clock, settings);
    demo::seed(&services, "Demo-Passw0rd!2020")
        .await
        .expect("the demo seeds");

    let cockpit = services.cockpit(&Ctx::system()).await.unwrap();
    let on = |name: &str| {
        cockpit
            .platforms
            .iter()
            .find(|p| p.platform_name.as_deref() == Some(name))
            .unwrap_or_else(|| panic!("{name} is on the cockpit"))
    };
    let center = on("济南国际医学科学中心");
    assert_eq!(center.count, 23);
    assert_eq!(
        Money::from_yuan(center.completed_investment),
        Money::from_yi(648).unwrap()
    );
    assert_eq!(center.floor_area_m2, 6_500_000);
    let zone = on("济南槐荫经济开发区");
    assert_eq!(zone.count, 10);
    // 127.38 亿元 is 1 273 800 万元.
    assert_eq!(
        Money::from_yuan(zone.total_investment),
        Money::from_wan(1_273_800).unwrap()
    );
    let signed = cockpit.stages.iter().find(|s| s.value == "signed").unwrap();
    assert!(signed.count >= 10);
}

on_both_backends!(
    the_cockpit_sums_the_ledger_within_the_callers_scope,
    the_demo_cockpit_shows_the_articles_figures,
);
