//! The key-project ledger through the JSON API, on both backends: create, list, filter,
//! sort, page and total; optimistic concurrency; audit. Scope, progress and bad input are in
//! [`scope`]; the helpers here drive the API as a script would.

mod list_page;
mod scope;

use crate::helpers::{TestApp, on_both_backends, spawn_app};
use districtops_service::projects::platforms::NewPlatformInput;
use districtops_store::{AuditFilter, Backend};
use serde_json::{Value, json};

/// A bearer-token client for one seeded user.
pub(crate) struct Api<'a> {
    app: &'a TestApp,
    pub(crate) token: String,
    client: reqwest::Client,
}

impl<'a> Api<'a> {
    pub(crate) async fn new(app: &'a TestApp, username: &str) -> Self {
        Self {
            app,
            token: app.token(username).await,
            client: reqwest::Client::new(),
        }
    }

    pub(crate) async fn get(&self, path: &str) -> (u16, Value) {
        let response = self
            .client
            .get(self.app.url(path))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    pub(crate) async fn send(&self, method: &str, path: &str, body: &Value) -> (u16, Value) {
        let request = match method {
            "PUT" => self.client.put(self.app.url(path)),
            _ => self.client.post(self.app.url(path)),
        };
        let response = request
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    pub(crate) async fn create(&self, body: Value) -> Value {
        let (status, project) = self.send("POST", "/api/v1/projects", &body).await;
        assert_eq!(status, 201, "{project}");
        project
    }
}

pub(crate) async fn platform(app: &TestApp, name: &str) -> i64 {
    let ctx = app.ctx_of("office").await;
    let input = NewPlatformInput {
        name: name.into(),
        positioning: Some("医养健康".into()),
        planned_area_km2_x100: Some(4500),
    };
    app.services.create_platform(&ctx, &input).await.unwrap()
}

pub(crate) fn project(name: &str, total: i64, department: &str) -> Value {
    json!({
        "name": name,
        "platform": "国际医学科学中心",
        "kind": "medical",
        "stage": "under_construction",
        "department": department,
        "leader": "王区长",
        "total_investment_yuan": total,
        "completed_investment_yuan": total / 4,
        "floor_area_m2": 1000,
        "land_area_mu_x100": 1250,
        "address": format!("{name}路 1 号"),
        "dates": { "start": { "planned": "2020-04-02", "actual": "2020-04-02" } },
    })
}

async fn the_ledger_lists_filters_sorts_pages_and_totals(backend: Backend) {
    let app = spawn_app(backend).await;
    let medical = platform(&app, "国际医学科学中心").await;
    let office = Api::new(&app, "office").await;
    for i in 1..=12 {
        office
            .create(project(
                &format!("项目{i:02}"),
                i * 100_000_000,
                "投资促进局",
            ))
            .await;
    }
    let mut hq = project("央企总部_100%", 5, "振兴街街道");
    hq["kind"] = json!("headquarters");
    hq["stage"] = json!("signed");
    hq["completed_investment_yuan"] = json!(0);
    office.create(hq).await;

    let (status, all) = office
        .get("/api/v1/projects?per_page=5&sort=total_investment&order=desc")
        .await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(all["total"], 13);
    assert_eq!(all["items"].as_array().unwrap().len(), 5);
    assert_eq!(all["items"][0]["name"], "项目12");
    assert_eq!(all["items"][0]["total_investment_yuan"], 1_200_000_000_i64);
    assert_eq!(all["items"][0]["platform_id"], medical);
    let expected_total: i64 = (1..=12).map(|i| i * 100_000_000).sum::<i64>() + 5;
    assert_eq!(all["totals"]["total_investment_yuan"], expected_total);
    assert_eq!(all["totals"]["floor_area_m2"], 13_000);
    assert_eq!(all["totals"]["land_area_mu_x100"], 13 * 1250);

    let (_, page3) = office
        .get("/api/v1/projects?per_page=5&page=3&sort=total_investment")
        .await;
    let names: Vec<&str> = page3["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["项目10", "项目11", "项目12"]);
    let (_, first) = office
        .get("/api/v1/projects?per_page=1&sort=total_investment")
        .await;
    assert_eq!(first["items"][0]["name"], "央企总部_100%");

    let (_, signed) = office
        .get("/api/v1/projects?stage=signed&kind=headquarters")
        .await;
    assert_eq!(signed["total"], 1);
    assert_eq!(signed["totals"]["total_investment_yuan"], 5);

    // Wildcards in the search text are taken literally.
    let (_, literal) = office.get("/api/v1/projects?q=_100%25").await;
    assert_eq!(literal["total"], 1);
    let (_, none) = office.get("/api/v1/projects?q=%25%25%25x").await;
    assert_eq!(none["total"], 0);
    let (_, by_address) = office
        .get("/api/v1/projects?q=%E9%A1%B9%E7%9B%AE03%E8%B7%AF")
        .await;
    assert_eq!(by_address["total"], 1);

    let street = app.departments["振兴街街道"];
    let (_, in_street) = office
        .get(&format!(
            "/api/v1/projects?department={street}&leader=%E7%8E%8B%E5%8C%BA%E9%95%BF"
        ))
        .await;
    assert_eq!(in_street["total"], 1);
    let (_, green) = office.get("/api/v1/projects?status=green").await;
    assert_eq!(green["total"], 13);

    let (status, refused) = office.get("/api/v1/projects?per_page=501&stage=nope").await;
    assert_eq!(status, 422);
    let fields: Vec<&str> = refused["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["stage", "per_page"]);
}

async fn a_stale_version_is_refused_and_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    platform(&app, "国际医学科学中心").await;
    let staff = Api::new(&app, "staff").await;
    let created = staff
        .create(project("树兰医院", 1_000_000, "投资促进局"))
        .await;
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["version"], 1);

    let mut first = project("树兰医院", 2_000_000, "投资促进局");
    first["version"] = json!(1);
    let (status, updated) = staff
        .send("PUT", &format!("/api/v1/projects/{id}"), &first)
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["total_investment_yuan"], 2_000_000);

    let mut stale = project("树兰医院（改）", 9_000_000, "投资促进局");
    stale["version"] = json!(1);
    let (status, refused) = staff
        .send("PUT", &format!("/api/v1/projects/{id}"), &stale)
        .await;
    assert_eq!(status, 409);
    assert_eq!(refused["error"]["code"], "conflict.changed_by_someone");
    let (_, now) = staff.get(&format!("/api/v1/projects/{id}")).await;
    assert_eq!(now["project"]["name"], "树兰医院");
    assert_eq!(now["project"]["total_investment_yuan"], 2_000_000);
    assert_eq!(now["project"]["version"], 2);
    assert_eq!(
        app.services
            .store
            .count_project_revisions(id)
            .await
            .unwrap(),
        2
    );

    // The audit record names every changed field, before → after.
    let filter = AuditFilter {
        action_prefix: Some("project.update".into()),
        ..AuditFilter::default()
    };
    let (records, total) = app.services.store.audit_page(&filter, 0, 10).await.unwrap();
    assert_eq!(total, 1);
    let changes = records[0].changes();
    let total_change = changes
        .iter()
        .find(|c| c.field == "total_investment")
        .unwrap();
    assert_eq!(total_change.before.as_deref(), Some("1000000"));
    assert_eq!(total_change.after.as_deref(), Some("2000000"));
    assert!(
        changes.iter().all(|c| c.field != "name"),
        "unchanged fields are not listed"
    );
    assert_eq!(
        records[0].object_id.as_deref(),
        Some(id.to_string().as_str())
    );

    // A backward stage change needs to be marked as a correction.
    let mut back = project("树兰医院", 2_000_000, "投资促进局");
    back["stage"] = json!("signed");
    back["version"] = json!(2);
    let (status, refused) = staff
        .send("PUT", &format!("/api/v1/projects/{id}"), &back)
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        refused["error"]["fields"][0]["code"],
        "project.stage.backwards"
    );
    back["correction"] = json!(true);
    let (status, _) = staff
        .send("PUT", &format!("/api/v1/projects/{id}"), &back)
        .await;
    assert_eq!(status, 200);
    let (_, now) = staff.get(&format!("/api/v1/projects/{id}")).await;
    assert_eq!(now["stage_changes"][0]["from_stage"], "under_construction");
    assert_eq!(now["stage_changes"][0]["correction"], true);
}

async fn stage_changes_are_dated_and_the_plan_colours_the_light(backend: Backend) {
    use districtops_domain::money::Money;
    use districtops_domain::projects::Stage;
    let app = spawn_app(backend).await;
    platform(&app, "国际医学科学中心").await;
    let staff = Api::new(&app, "staff").await;
    let created = staff
        .create(project("大数据中心", 1_000_000, "投资促进局"))
        .await;
    let id = created["id"].as_i64().unwrap();
    let ctx = app.ctx_of("staff").await;
    let services = &app.services;
    let signed = "2020-03-01".parse().ok();
    let refused = services
        .change_project_stage(&ctx, id, 1, Stage::Signed, signed, false)
        .await;
    assert!(refused.is_err(), "backwards without a correction");
    let tomorrow = services.today().succ_opt();
    let refused = services
        .change_project_stage(&ctx, id, 1, Stage::Completed, tomorrow, false)
        .await;
    assert!(
        refused.is_err(),
        "a stage change cannot be dated in the future"
    );
    let row = services
        .change_project_stage(&ctx, id, 1, Stage::StructureDone, signed, false)
        .await
        .unwrap();
    assert_eq!((row.stage.as_str(), row.version), ("structure_done", 2));
    let history = services.store.stage_changes(id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].on_date.to_string(), "2020-03-01");
    assert_eq!(history[0].from_stage, "under_construction");
    let earlier = "2020-02-01".parse().ok();
    let refused = services
        .change_project_stage(&ctx, id, 2, Stage::Completed, earlier, false)
        .await;
    assert!(refused.is_err(), "the history stays in date order");

    // Completed 250,000 of a cumulative target of 1,000,000 by 2020-Q1: more than 10% short.
    services
        .set_plan_target(&ctx, id, "2020-Q1", Money::from_yuan(1_000_000))
        .await
        .unwrap();
    let (_, detail) = staff.get(&format!("/api/v1/projects/{id}")).await;
    assert_eq!(detail["status"]["colour"], "yellow");
    assert_eq!(detail["status"]["reasons"][0]["kind"], "investment_lag");
    assert_eq!(detail["project"]["status_colour"], "yellow");
    assert!(
        services
            .set_plan_target(&ctx, id, "2020-13", Money::from_yuan(1))
            .await
            .is_err()
    );

    // Another bureau's staff cannot move it.
    let other = app.ctx_of("commissioner").await;
    let hidden = services
        .change_project_stage(&other, id, 2, Stage::Completed, None, false)
        .await;
    assert!(matches!(
        hidden,
        Err(districtops_service::ServiceError::NotFound)
    ));
}

on_both_backends!(
    the_ledger_lists_filters_sorts_pages_and_totals,
    a_stale_version_is_refused_and_changes_nothing,
    stage_changes_are_dated_and_the_plan_colours_the_light,
);
