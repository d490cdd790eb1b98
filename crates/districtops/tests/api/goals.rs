//! Platform roadmaps and annual targets on both backends: planned through the service
//! (version-checked, audited, refused with field errors), measured from the ledger inside
//! the caller's scope, and read through `/api/v1/platforms/{id}` and `/api/v1/cockpit`. The
//! demo district's roadmap and targets are in [`demo`].

mod demo;

use crate::helpers::{on_both_backends, spawn_app};
use crate::projects::{Api, platform, project};
use chrono::Datelike;
use districtops_service::ServiceError;
use districtops_service::projects::goals::{KpiTargetInput, PhaseInput};
use districtops_store::{AuditFilter, Backend};
use serde_json::{Value, json};

pub(crate) fn phase(ordinal: &str, title: &str, target: &str) -> PhaseInput {
    PhaseInput {
        ordinal: ordinal.into(),
        title: title.into(),
        target: target.into(),
        goal: format!("{title}的目标"),
        ..PhaseInput::default()
    }
}

pub(crate) fn target(
    platform_id: Option<i64>,
    year: i64,
    name: &str,
    metric: &str,
    value: &str,
) -> KpiTargetInput {
    KpiTargetInput {
        platform_id,
        year: year.to_string(),
        name: name.into(),
        metric: metric.into(),
        target: value.into(),
        ..KpiTargetInput::default()
    }
}

fn fields(error: ServiceError) -> Vec<(&'static str, &'static str)> {
    match error {
        ServiceError::Invalid(errors) => errors.0.iter().map(|e| (e.field, e.message)).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

fn named<'a>(kpis: &'a Value, name: &str) -> &'a Value {
    kpis.as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == name)
        .unwrap_or_else(|| panic!("{name} in {kpis}"))
}

async fn a_roadmap_is_planned_version_checked_and_audited(backend: Backend) {
    let app = spawn_app(backend).await;
    let center = platform(&app, "国际医学科学中心").await;
    let office = app.ctx_of("office").await;
    let s = &app.services;
    for (n, title, due) in [("2", "五年初具规模", "2022"), ("1", "三年聚集资源", "2020")]
    {
        s.add_phase(&office, center, &phase(n, title, due))
            .await
            .unwrap();
    }
    let dated = s
        .add_phase(&office, center, &phase("3", "十年国内领先", "2027-06-30"))
        .await
        .unwrap();

    // Bad input: every field named, nothing kept.
    let refused = s
        .add_phase(&office, center, &phase("1", "", "2027/6"))
        .await
        .unwrap_err();
    assert_eq!(
        fields(refused),
        [
            ("title", "validation.required"),
            ("target", "goal.phase.target_invalid")
        ]
    );
    let taken = s
        .add_phase(&office, center, &phase("1", "重复", "2030"))
        .await
        .unwrap_err();
    assert_eq!(fields(taken), [("ordinal", "goal.phase.ordinal_taken")]);
    let missing = s
        .add_phase(&office, center + 99, &phase("1", "无", "2030"))
        .await;
    assert!(matches!(missing, Err(ServiceError::NotFound)));

    // Only district-wide writers plan: a bureau's staff and the auditor may not.
    for who in ["staff", "auditor"] {
        let ctx = app.ctx_of(who).await;
        let result = s.add_phase(&ctx, center, &phase("9", "越权", "2030")).await;
        assert!(matches!(result, Err(ServiceError::Forbidden)), "{who}");
    }

    // A stale version is refused; the current one moves it on.
    let mut done = phase("3", "十年国内领先", "2027");
    done.done = true;
    let stale = s.update_phase(&office, center, dated, 7, &done).await;
    assert!(matches!(
        stale,
        Err(ServiceError::Conflict("conflict.changed_by_someone"))
    ));
    s.update_phase(&office, center, dated, 1, &done)
        .await
        .unwrap();
    let again = s.update_phase(&office, center, dated, 1, &done).await;
    assert!(matches!(again, Err(ServiceError::Conflict(_))));

    let leader = Api::new(&app, "leader").await;
    let (status, body) = leader.get(&format!("/api/v1/platforms/{center}")).await;
    assert_eq!(status, 200, "{body}");
    let roadmap: Vec<(i64, &str, i64, Value, bool)> = body["roadmap"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["ordinal"].as_i64().unwrap(),
                p["title"].as_str().unwrap(),
                p["target_year"].as_i64().unwrap(),
                p["target_date"].clone(),
                p["done"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        roadmap,
        [
            (1, "三年聚集资源", 2020, Value::Null, false),
            (2, "五年初具规模", 2022, Value::Null, false),
            (3, "十年国内领先", 2027, Value::Null, true),
        ]
    );
    assert_eq!(body["platform"]["planned_area_km2_x100"], 4500);

    s.delete_phase(&office, center, dated, 2).await.unwrap();
    let (_, body) = leader.get(&format!("/api/v1/platforms/{center}")).await;
    assert_eq!(body["roadmap"].as_array().unwrap().len(), 2);

    let filter = AuditFilter {
        action_prefix: Some("platform.phase".into()),
        ..AuditFilter::default()
    };
    let (records, total) = s.store.audit_page(&filter, 0, 10).await.unwrap();
    assert_eq!(total, 5, "three added, one changed, one deleted");
    let update = records
        .iter()
        .find(|r| r.action == "platform.phase.update")
        .unwrap();
    let changes = update.changes();
    let done_change = changes.iter().find(|c| c.field == "done").unwrap();
    assert_eq!(
        (done_change.before.as_deref(), done_change.after.as_deref()),
        (Some("false"), Some("true"))
    );
    assert!(changes.iter().any(|c| c.field == "target"
        && c.before.as_deref() == Some("2027-06-30")
        && c.after.as_deref() == Some("2027")));

    let (status, _) = leader.get("/api/v1/platforms/999999").await;
    assert_eq!(status, 404);
    let (status, _) = leader
        .get(&format!("/api/v1/platforms/{center}?year=20x6"))
        .await;
    assert_eq!(status, 400);
}

on_both_backends!(a_roadmap_is_planned_version_checked_and_audited);

async fn targets_are_measured_from_the_ledger_within_the_callers_scope(backend: Backend) {
    let app = spawn_app(backend).await;
    let center = platform(&app, "国际医学科学中心").await;
    let office_api = Api::new(&app, "office").await;
    // Two projects of the bureau started in 2020 (1000 m² each), one of the street office
    // started in 2020, and one of the street office signed in 2020 on no platform.
    let ours = office_api
        .create(project("局里甲", 400_000_000, "投资促进局"))
        .await;
    office_api
        .create(project("局里乙", 100_000_000, "投资促进局"))
        .await;
    office_api
        .create(project("街道丙", 800_000_000, "振兴街街道"))
        .await;
    let mut signed = project("签约丁", 1_273_800_000, "振兴街街道");
    signed["platform"] = Value::Null;
    signed["stage"] = json!("signed");
    signed["dates"] = json!({ "signing": { "actual": "2020-06-18" } });
    office_api.create(signed).await;
    for (period, yuan) in [("2020-03", 30_000_000), ("2021-01", 99_000_000)] {
        let report = json!({ "period": period, "invested_in_period_yuan": yuan, "percent": 10 });
        let (status, body) = office_api
            .send(
                "POST",
                &format!("/api/v1/projects/{}/progress", ours["id"]),
                &report,
            )
            .await;
        assert_eq!(status, 204, "{body}");
    }

    let office = app.ctx_of("office").await;
    let s = &app.services;
    let plan = [
        (Some(center), 2020, "新开工项目", "projects_started", "4"),
        (
            Some(center),
            2020,
            "新开工建筑面积",
            "floor_area_started",
            "0.4",
        ),
        (
            Some(center),
            2020,
            "完成投资",
            "completed_investment",
            "0.6",
        ),
        (Some(center), 2020, "项目总数", "projects_total", "0"),
        (None, 2020, "全区签约总投资", "signed_investment", "127.38"),
        (None, 2020, "全区签约项目", "projects_signed", "2"),
    ];
    for (platform_id, year, name, metric, value) in plan {
        s.add_kpi_target(&office, &target(platform_id, year, name, metric, value))
            .await
            .unwrap();
    }
    let duplicate = s
        .add_kpi_target(
            &office,
            &target(Some(center), 2020, "新开工项目", "projects_started", "1"),
        )
        .await
        .unwrap_err();
    assert_eq!(fields(duplicate), [("name", "goal.kpi.name_taken")]);
    let bad = s
        .add_kpi_target(&office, &target(Some(center + 99), 20, "x", "gdp", "-1"))
        .await
        .unwrap_err();
    assert_eq!(
        fields(bad),
        [
            ("year", "goal.year_invalid"),
            ("metric", "goal.kpi.metric_invalid")
        ]
    );
    let unknown = s
        .add_kpi_target(
            &office,
            &target(Some(center + 99), 2020, "x", "projects_total", "1"),
        )
        .await
        .unwrap_err();
    assert_eq!(fields(unknown), [("platform", "goal.kpi.platform_unknown")]);
    let staff = app.ctx_of("staff").await;
    let forbidden = s
        .add_kpi_target(&staff, &target(None, 2020, "越权", "projects_total", "1"))
        .await;
    assert!(matches!(forbidden, Err(ServiceError::Forbidden)));

    let leader = Api::new(&app, "leader").await;
    let (status, body) = leader
        .get(&format!("/api/v1/platforms/{center}?year=2020"))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["year"], 2020);
    assert_eq!(body["platform"]["projects"], 3);
    let kpis = &body["kpis"];
    assert_eq!(
        kpis.as_array().unwrap().len(),
        4,
        "the platform's own targets only"
    );
    let started = named(kpis, "新开工项目");
    assert_eq!(
        (started["actual"].clone(), started["target"].clone()),
        (json!(3), json!(4))
    );
    assert_eq!(started["percent"], 75);
    assert_eq!(
        (started["unit"].clone(), started["base_unit"].clone()),
        (json!("count"), json!("count"))
    );
    let floor = named(kpis, "新开工建筑面积");
    assert_eq!(
        (floor["actual"].clone(), floor["target"].clone()),
        (json!(3000), json!(4000))
    );
    assert_eq!(floor["unit"], "wan_m2");
    let invested = named(kpis, "完成投资");
    assert_eq!(invested["actual"], 30_000_000, "only 2020's reports count");
    assert_eq!(invested["target"], 60_000_000);
    assert_eq!(invested["percent"], 50);
    let total = named(kpis, "项目总数");
    assert_eq!(
        (total["actual"].clone(), total["percent"].clone()),
        (json!(3), Value::Null)
    );
    assert_eq!(body["kpi_years"], json!([2020]));

    // The district's targets are in the cockpit of 2020's year only; this year has none.
    let (_, cockpit) = leader.get("/api/v1/cockpit").await;
    assert_eq!(
        cockpit["kpis"],
        json!([]),
        "no targets for {}",
        app.services.today().year()
    );
    let this_year = i64::from(app.services.today().year());
    s.add_kpi_target(
        &office,
        &target(None, this_year, "全区签约", "signed_investment", "127.38"),
    )
    .await
    .unwrap();
    let progress = s.kpi_progress(&office, 2020).await.unwrap();
    let signed = progress
        .iter()
        .find(|k| k.row.name == "全区签约总投资")
        .unwrap();
    assert_eq!(
        (signed.actual, signed.row.target, signed.percent),
        (1_273_800_000, 12_738_000_000, Some(10))
    );
    let count = progress
        .iter()
        .find(|k| k.row.name == "全区签约项目")
        .unwrap();
    assert_eq!((count.actual, count.percent), (1, Some(50)));
    assert!(
        progress[0].row.platform_id.is_none(),
        "the district's targets come first"
    );
    let (_, cockpit) = leader.get("/api/v1/cockpit").await;
    assert_eq!(cockpit["kpis"].as_array().unwrap().len(), 1);
    assert_eq!(cockpit["kpis"][0]["platform_id"], Value::Null);
    assert_eq!(cockpit["kpis"][0]["target"], 12_738_000_000_i64);

    // The bureau's staff see the bureau's share of the same targets.
    let staff_api = Api::new(&app, "staff").await;
    let (status, body) = staff_api
        .get(&format!("/api/v1/platforms/{center}?year=2020"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["platform"]["projects"], 2);
    assert_eq!(named(&body["kpis"], "新开工项目")["actual"], 2);
    let (_, list) = staff_api.get("/api/v1/platforms").await;
    assert_eq!(list[0]["projects"], 2);
    assert_eq!(list[0]["total_investment_yuan"], 500_000_000);

    // A change is version-checked and audited before → after.
    let id = progress[0].row.id;
    let version = progress[0].row.version;
    let change = target(None, 2020, "全区签约总投资", "signed_investment", "130");
    let stale = s.update_kpi_target(&office, id, version + 1, &change).await;
    assert!(matches!(stale, Err(ServiceError::Conflict(_))));
    s.update_kpi_target(&office, id, version, &change)
        .await
        .unwrap();
    let filter = AuditFilter {
        action_prefix: Some("kpi.update".into()),
        ..AuditFilter::default()
    };
    let (records, _) = s.store.audit_page(&filter, 0, 10).await.unwrap();
    let changes = records[0].changes();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(
        (changes[0].before.as_deref(), changes[0].after.as_deref()),
        (Some("12738000000"), Some("13000000000"))
    );
    s.delete_kpi_target(&office, id, version + 1).await.unwrap();
    assert_eq!(s.kpi_progress(&office, 2020).await.unwrap().len(), 5);
}

on_both_backends!(targets_are_measured_from_the_ledger_within_the_callers_scope);
