//! Events (集中开工、集中签约) through the JSON API and pages, on both backends: totals
//! computed from the linked projects the caller may see, the event's department as its scope,
//! linking only reachable projects, the audit record; changes with their version (links the
//! caller cannot see are kept); and the demo district's events.

use crate::database::create_database;
use crate::helpers::{TestApp, on_both_backends, spawn_app};
use crate::project_children::fields;
use crate::projects::{Api, platform, project};
use districtops::app::security_settings;
use districtops::{Config, demo};
use districtops_domain::money::Money;
use districtops_service::events::{EventKind, NewEventInput};
use districtops_service::{Ctx, ManualClock, Services};
use districtops_store::{AuditFilter, Backend, Store};
use serde_json::{Value, json};
use std::sync::Arc;

fn event(name: &str, department_id: i64, project_ids: &[&Value]) -> Value {
    json!({
        "kind": "signing",
        "name": name,
        "held_on": "2020-06-18",
        "place": "开发区管委会",
        "department_id": department_id,
        "project_ids": project_ids.iter().map(|p| p["id"].clone()).collect::<Vec<_>>(),
    })
}

/// An event of `department` grouping the project `project` (an id), created by the office,
/// as the id's text (for the matrix).
pub(crate) async fn event_of(app: &TestApp, department: &str, project: &str) -> String {
    let ctx = app.ctx_of("office").await;
    let input = NewEventInput {
        kind: EventKind::Groundbreaking,
        name: format!("{department}集中开工"),
        held_on: "2020-04-02".parse().unwrap(),
        place: None,
        department_id: app.departments[department],
        notes: None,
        illustrative: false,
        project_ids: vec![project.parse().unwrap()],
    };
    let id = app.services.create_event(&ctx, &input).await.unwrap();
    id.to_string()
}

async fn event_totals_are_computed_within_the_callers_scope(backend: Backend) {
    let app = spawn_app(backend).await;
    platform(&app, "国际医学科学中心").await;
    let bureau = app.departments["投资促进局"];
    let street = app.departments["振兴街街道"];
    let office = Api::new(&app, "office").await;
    let mut illustrative = project("招商项目", 300, "投资促进局");
    illustrative["illustrative"] = json!(true);
    let ours = office.create(illustrative).await;
    let theirs = office.create(project("街道项目", 500, "振兴街街道")).await;

    let (status, created) = office
        .send(
            "POST",
            "/api/v1/events",
            &event("集中签约", bureau, &[&ours, &theirs]),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let totals = &created["event"]["totals"];
    assert_eq!(totals["projects"], 2);
    assert_eq!(totals["total_investment_yuan"], 800);
    assert_eq!(totals["completed_investment_yuan"], 75 + 125);
    assert_eq!(totals["floor_area_m2"], 2000);
    let id = created["event"]["id"].as_i64().unwrap();

    // Staff of the bureau see the event, but only the bureau's project and its sums.
    let staff = Api::new(&app, "staff").await;
    let (_, list) = staff.get("/api/v1/events").await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["totals"]["projects"], 1);
    assert_eq!(list[0]["totals"]["total_investment_yuan"], 300);
    let (status, one) = staff.get(&format!("/api/v1/events/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(one["projects"].as_array().unwrap().len(), 1);
    assert_eq!(one["projects"][0]["id"], ours["id"]);

    // An event of the street is not theirs: absent from the list, 404 by id.
    let (_, street_event) = office
        .send(
            "POST",
            "/api/v1/events",
            &event("街道开工", street, &[&theirs]),
        )
        .await;
    let street_id = street_event["event"]["id"].as_i64().unwrap();
    assert_eq!(
        staff.get(&format!("/api/v1/events/{street_id}")).await.0,
        404
    );
    assert_eq!(
        staff
            .get("/api/v1/events")
            .await
            .1
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        office
            .get("/api/v1/events")
            .await
            .1
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // Staff may not link a project they cannot reach; nothing is kept.
    let (status, _) = staff
        .send(
            "POST",
            "/api/v1/events",
            &event("越权活动", bureau, &[&ours, &theirs]),
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(
        office
            .get("/api/v1/events")
            .await
            .1
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // Totals are never typed in; the kind must be known.
    let mut typed = event("手填合计", bureau, &[&ours]);
    typed["total_investment_yuan"] = json!(1);
    assert!(matches!(
        office.send("POST", "/api/v1/events", &typed).await.0,
        400 | 422
    ));
    let mut odd = event("未知类型", bureau, &[&ours]);
    odd["kind"] = json!("party");
    assert_eq!(office.send("POST", "/api/v1/events", &odd).await.0, 422);

    // Each creation is audited with the linked projects.
    let filter = AuditFilter {
        action_prefix: Some("event.create".into()),
        ..AuditFilter::default()
    };
    let (records, total) = app.services.store.audit_page(&filter, 0, 10).await.unwrap();
    assert_eq!(total, 2);
    let linked = records
        .iter()
        .find(|r| r.object_id.as_deref() == Some(id.to_string().as_str()))
        .unwrap()
        .changes();
    let projects = linked.iter().find(|c| c.field == "projects").unwrap();
    assert_eq!(
        projects.after.as_deref(),
        Some(format!("{},{}", ours["id"], theirs["id"]).as_str())
    );

    // The pages: the list with its totals, the event with links to its projects.
    let (browser, _) = app.browser("staff").await;
    let page = app.text(&browser, "/events").await;
    assert!(page.contains("集中签约"), "{page}");
    assert!(!page.contains("街道开工"));
    assert!(page.contains(r#"href="/events""#));
    let page = app.text(&browser, &format!("/events/{id}")).await;
    assert!(page.contains(&format!(r#"href="/projects/{}""#, ours["id"])));
    assert!(!page.contains("街道项目"));
    assert_eq!(
        app.status(&browser, &format!("/events/{street_id}")).await,
        404
    );
}

async fn the_demo_has_the_articles_events(backend: Backend) {
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

    let ctx = Ctx::system();
    let events = services.list_events(&ctx).await.unwrap();
    let signing = events.iter().find(|e| e.row.kind == "signing").unwrap();
    assert_eq!(signing.totals.projects, 10);
    // 127.38 亿元 is 1 273 800 万元, computed from the ten projects.
    assert_eq!(
        signing.totals.total_investment,
        Money::from_wan(1_273_800).unwrap()
    );
    let groundbreaking = events
        .iter()
        .find(|e| e.row.kind == "groundbreaking")
        .unwrap();
    assert_eq!(groundbreaking.row.held_on.to_string(), "2020-04-02");
    assert_eq!(groundbreaking.row.place.as_deref(), Some("树兰医院"));
    let detail = services.event(&ctx, groundbreaking.row.id).await.unwrap();
    assert!(detail.projects.iter().any(|p| p.name == "树兰（济南）医院"));
    assert!(
        detail
            .projects
            .iter()
            .all(|p| p.actual_start == Some(groundbreaking.row.held_on))
    );
    // Every demo project is stored as illustrative (the ledger's 示例 column).
    let query = districtops_service::projects::ProjectQuery {
        per_page: 500,
        ..Default::default()
    };
    let page = services.list_projects(&ctx, &query).await.unwrap();
    assert!(!page.rows.is_empty());
    assert!(page.rows.iter().all(|p| p.illustrative));
}

async fn events_change_with_their_version_and_keep_unseen_links(backend: Backend) {
    let app = spawn_app(backend).await;
    platform(&app, "国际医学科学中心").await;
    let bureau = app.departments["投资促进局"];
    let office = Api::new(&app, "office").await;
    let a = office.create(project("甲项目", 300, "投资促进局")).await;
    let b = office.create(project("乙项目", 200, "投资促进局")).await;
    let street = office.create(project("街道项目", 500, "振兴街街道")).await;
    let street2 = office
        .create(project("街道二号项目", 50, "振兴街街道"))
        .await;
    let event = |name: &str, ids: &[&Value], version: Option<i64>| {
        json!({ "kind": "groundbreaking", "name": name, "held_on": "2020-04-02",
                "department_id": bureau, "version": version,
                "project_ids": ids.iter().map(|p| p["id"].clone()).collect::<Vec<_>>() })
    };
    let (status, created) = office
        .send(
            "POST",
            "/api/v1/events",
            &event("集中开工", &[&a, &street], None),
        )
        .await;
    assert_eq!(status, 201);
    let path = format!("/api/v1/events/{}", created["event"]["id"]);

    // Staff of the bureau swap 甲 for 乙; the street's project, unseen by them, stays linked.
    let staff = Api::new(&app, "staff").await;
    let (status, changed) = staff
        .send("PUT", &path, &event("2020年集中开工", &[&b], Some(1)))
        .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["event"]["version"], 2);
    assert_eq!(changed["event"]["totals"]["total_investment_yuan"], 200);
    let (_, seen) = office.get(&path).await;
    assert_eq!(seen["event"]["totals"]["total_investment_yuan"], 700);
    assert_eq!(seen["event"]["name"], "2020年集中开工");

    let (status, stale) = office
        .send("PUT", &path, &event("旧稿", &[&a], Some(1)))
        .await;
    assert_eq!(status, 409);
    assert_eq!(stale["error"]["code"], "conflict.changed_by_someone");
    let (status, bad) = office
        .send("PUT", &path, &event("  ", &[&a], Some(2)))
        .await;
    assert_eq!(status, 422);
    assert_eq!(fields(&bad), [("name".to_owned(), "必填。".to_owned())]);
    assert_eq!(
        office
            .send("PUT", &path, &event("无版本", &[&a], None))
            .await
            .0,
        422
    );
    let (status, _) = staff
        .send("PUT", &path, &event("越权链接", &[&b, &street2], Some(2)))
        .await;
    assert_eq!(status, 404);
    let (_, same) = office.get(&path).await;
    assert_eq!(same["event"]["version"], 2);
    assert_eq!(same["event"]["totals"]["total_investment_yuan"], 700);

    let filter = AuditFilter {
        action_prefix: Some("event.update".into()),
        ..AuditFilter::default()
    };
    let (records, total) = app.services.store.audit_page(&filter, 0, 10).await.unwrap();
    assert_eq!(total, 1);
    let changes = records[0].changes();
    let projects = changes.iter().find(|c| c.field == "projects").unwrap();
    assert_eq!(
        projects.before.as_deref(),
        Some(format!("{},{}", a["id"], street["id"]).as_str())
    );
    assert_eq!(
        projects.after.as_deref(),
        Some(format!("{},{}", b["id"], street["id"]).as_str())
    );
}

on_both_backends!(
    event_totals_are_computed_within_the_callers_scope,
    the_demo_has_the_articles_events,
    events_change_with_their_version_and_keep_unseen_links,
);
