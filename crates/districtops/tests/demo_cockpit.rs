//! The whole demo district loaded into a fresh SQLite database, as `districtops demo` does
//! (the ledger imported, then 2020 replayed month by month), read through the cockpit: the
//! article's figures (23 started projects at the medical science center, 648 亿元 completed,
//! 650万 m²; the development zone's 10 signed projects of 127.38 亿元), red and yellow
//! projects with their reasons in words, and a monthly investment trend.

use districtops_domain::money::Money;
use std::collections::HashSet;

const MEDICAL_CENTER: &str = "济南国际医学科学中心";
const DEV_ZONE: &str = "济南槐荫经济开发区";

/// The demo loaded into a fresh SQLite database, as `districtops demo` does, on a clock at
/// `now`.
async fn seeded_demo() -> (districtops_service::Services, std::path::PathBuf) {
    use districtops_service::{ManualClock, Services};
    let dir = std::env::temp_dir().join(format!(
        "districtops-demo-data-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
    ));
    let url = format!("sqlite://{}", dir.join("demo.db").display());
    let store = districtops_store::Store::open(&url).await.expect("open");
    let mut config = districtops::Config::default();
    config.security.audit_key = "00".repeat(32);
    let settings = districtops::app::security_settings(&config).expect("settings");
    let clock = std::sync::Arc::new(ManualClock::new(chrono::Utc::now()));
    // As `districtops demo` runs it: the ledger's today is the end of the recorded history.
    let business_date = districtops::demo::progress::history_end().expect("history");
    let services = Services::new(store, clock, settings).with_business_date(Some(business_date));
    districtops::demo::seed(&services, "Demo-Passw0rd!2020")
        .await
        .expect("the demo seeds");
    (services, dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_cockpit_has_the_articles_figures_lights_with_reasons_and_a_trend() {
    use districtops_domain::projects::{Colour, Reason};
    use districtops_service::Ctx;
    let (services, dir) = seeded_demo().await;
    let ctx = Ctx::system();
    let cockpit = services.cockpit(&ctx).await.unwrap();
    let on = |name: &str| {
        cockpit
            .platforms
            .iter()
            .find(|p| p.platform_name.as_deref() == Some(name))
            .unwrap_or_else(|| panic!("{name} is on the cockpit"))
    };
    let center = on(MEDICAL_CENTER);
    assert_eq!(center.count, 23);
    assert_eq!(
        Money::from_yuan(center.completed_investment),
        Money::from_yi(648).unwrap()
    );
    assert_eq!(center.floor_area_m2, 6_500_000);
    let zone = on(DEV_ZONE);
    assert_eq!(zone.count, 10);
    assert_eq!(
        Money::from_yuan(zone.total_investment),
        Money::from_wan(1_273_800).unwrap()
    );

    // Red: a milestone long overdue; yellow: investment behind plan.
    assert_eq!((cockpit.red, cockpit.yellow), (2, 3), "{cockpit:#?}");
    let names: HashSet<&str> = cockpit
        .red_projects
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(
        names,
        HashSet::from(["山东第一医科大学（二期）", "医学中心妇女儿童医院"])
    );
    for red in &cockpit.red_projects {
        // Overdue as of the demo's ledger date (2020-06-30), not as of the real today.
        assert!(
            red.reasons.iter().any(|r| matches!(r,
                Reason::MilestoneLongOverdue { planned, days, .. }
                    if *days == (services.today() - *planned).num_days() && *days < 120)),
            "{red:?}"
        );
    }
    assert_eq!(services.today().to_string(), "2020-06-30");
    // This year's targets are 2020's, with actuals from the ledger.
    assert!(!cockpit.kpis.is_empty());
    assert!(
        cockpit.kpis.iter().all(|k| k.row.year == 2020),
        "{:?}",
        cockpit.kpis
    );
    assert!(
        cockpit.kpis.iter().any(|k| k.actual > 0),
        "{:?}",
        cockpit.kpis
    );
    let lagging = services
        .list_projects(
            &ctx,
            &districtops_service::projects::ProjectQuery {
                colour: Some(Colour::Yellow),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    for row in &lagging.rows {
        let detail = services.project_status(&ctx, row.id).await.unwrap();
        let june = detail
            .history
            .iter()
            .find(|m| m.period == "2020-06")
            .unwrap();
        assert!(
            june.reasons
                .iter()
                .any(|r| matches!(r, Reason::InvestmentLag { .. })),
            "{}: {june:?}",
            row.name
        );
    }

    // The monthly trend: the reports of January to June 2020, 27 亿元 in all.
    let periods: Vec<&str> = cockpit.months.iter().map(|m| m.period.as_str()).collect();
    assert_eq!(
        periods,
        [
            "2020-01", "2020-02", "2020-03", "2020-04", "2020-05", "2020-06"
        ]
    );
    let invested: i64 = cockpit.months.iter().map(|m| m.invested).sum();
    assert_eq!(Money::from_yuan(invested), Money::from_yi(27).unwrap());
    let _ = std::fs::remove_dir_all(dir);
}
