//! The ledger's data scope, progress and milestones, and refusals of bad input.

use super::{Api, platform, project};
use crate::helpers::{on_both_backends, spawn_app};
use districtops_store::Backend;
use serde_json::{Value, json};

async fn the_data_scope_hides_other_bureaus_projects(backend: Backend) {
    let app = spawn_app(backend).await;
    platform(&app, "国际医学科学中心").await;
    let office = Api::new(&app, "office").await;
    let ours = office.create(project("招商项目", 100, "投资促进局")).await;
    let theirs = office.create(project("街道项目", 100, "振兴街街道")).await;
    let theirs_id = theirs["id"].as_i64().unwrap();

    let staff = Api::new(&app, "staff").await;
    let (_, list) = staff.get("/api/v1/projects").await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], ours["id"]);
    assert_eq!(list["totals"]["total_investment_yuan"], 100);
    assert_eq!(
        staff.get(&format!("/api/v1/projects/{theirs_id}")).await.0,
        404
    );
    let mut edit = project("街道项目（改）", 100, "振兴街街道");
    edit["version"] = json!(1);
    let path = format!("/api/v1/projects/{theirs_id}");
    assert_eq!(staff.send("PUT", &path, &edit).await.0, 404);
    let report = json!({ "period": "2026-10", "invested_in_period_yuan": 1, "percent": 1 });
    assert_eq!(
        staff
            .send("POST", &format!("{path}/progress"), &report)
            .await
            .0,
        404
    );
    let milestone = json!({ "name": "封顶", "planned": "2026-12-01" });
    assert_eq!(
        staff
            .send("POST", &format!("{path}/milestones"), &milestone)
            .await
            .0,
        404
    );
    // Nor may staff create a project for a department outside their scope.
    let (status, _) = staff
        .send(
            "POST",
            "/api/v1/projects",
            &project("越权项目", 1, "振兴街街道"),
        )
        .await;
    assert_eq!(status, 403);
    let (_, still) = office.get(&path).await;
    assert_eq!(still["project"]["name"], "街道项目");
    assert_eq!(still["project"]["version"], 1);

    let leader = Api::new(&app, "leader").await;
    assert_eq!(leader.get("/api/v1/projects").await.1["total"], 2);
    assert_eq!(leader.get(&path).await.0, 200);
    let auditor = Api::new(&app, "auditor").await;
    assert_eq!(auditor.get("/api/v1/projects").await.0, 403);
    assert_eq!(auditor.get(&path).await.0, 403);
}

async fn progress_and_milestones_move_the_ledger(backend: Backend) {
    let app = spawn_app(backend).await;
    platform(&app, "国际医学科学中心").await;
    let staff = Api::new(&app, "staff").await;
    let created = staff
        .create(project("质子中心", 1_000_000, "投资促进局"))
        .await;
    let path = format!("/api/v1/projects/{}", created["id"]);
    assert_eq!(created["completed_investment_yuan"], 250_000);

    let report = json!({ "period": "2026-10", "invested_in_period_yuan": 100_000, "percent": 30, "narrative": "主体施工" });
    assert_eq!(
        staff
            .send("POST", &format!("{path}/progress"), &report)
            .await
            .0,
        204
    );
    // Replacing the month's report replaces its amount.
    let again = json!({ "period": "2026-10", "invested_in_period_yuan": 150_000, "percent": 35 });
    assert_eq!(
        staff
            .send("POST", &format!("{path}/progress"), &again)
            .await
            .0,
        204
    );
    let too_much =
        json!({ "period": "2026-11", "invested_in_period_yuan": 10_000_000, "percent": 35 });
    let (status, refused) = staff
        .send("POST", &format!("{path}/progress"), &too_much)
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        refused["error"]["fields"][0]["code"],
        "project.completed_exceeds_total"
    );

    let overdue = json!({ "name": "主体封顶", "planned": "2020-01-01", "owner_name": "张工" });
    let (status, added) = staff
        .send("POST", &format!("{path}/milestones"), &overdue)
        .await;
    assert_eq!(status, 201, "{added}");
    let (_, detail) = staff.get(&path).await;
    assert_eq!(detail["project"]["completed_investment_yuan"], 400_000);
    assert_eq!(detail["progress"].as_array().unwrap().len(), 1);
    assert_eq!(detail["progress"][0]["percent"], 35);
    assert_eq!(detail["milestones"][0]["name"], "主体封顶");
    assert_eq!(detail["status"]["colour"], "red");
    assert_eq!(
        detail["status"]["reasons"][0]["kind"],
        "milestone_long_overdue"
    );
    assert_eq!(
        detail["project"]["status_colour"], "red",
        "the colour is cached"
    );
    let (_, red) = staff.get("/api/v1/projects?status=red").await;
    assert_eq!(red["total"], 1);
}

async fn bad_input_is_refused_with_field_errors(backend: Backend) {
    let app = spawn_app(backend).await;
    platform(&app, "国际医学科学中心").await;
    let staff = Api::new(&app, "staff").await;
    let mut negative = project("负数项目", -5, "投资促进局");
    negative["platform"] = json!("不存在的平台");
    let (status, refused) = staff.send("POST", "/api/v1/projects", &negative).await;
    assert_eq!(status, 422, "{refused}");
    let codes: Vec<&str> = refused["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"money.negative"), "{codes:?}");

    let (status, refused) = staff
        .send(
            "POST",
            "/api/v1/projects",
            &project("无平台", 5, "投资促进局")
                .as_object()
                .map(|o| {
                    let mut o = o.clone();
                    o.insert("platform".into(), json!("不存在的平台"));
                    Value::Object(o)
                })
                .unwrap(),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(refused["error"]["fields"][0]["field"], "platform");
    assert_eq!(
        refused["error"]["fields"][0]["code"],
        "project.platform.unknown"
    );

    let (status, refused) = staff
        .send(
            "POST",
            "/api/v1/projects",
            &json!({ "name": "x", "kind": "castle", "stage": 5 }),
        )
        .await;
    assert!((400..500).contains(&status), "{status} {refused}");
    let (status, refused) = staff
        .send(
            "POST",
            "/api/v1/projects",
            &json!({ "name": "x", "kind": "castle" }),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        refused["error"]["fields"][0]["code"],
        "project.kind.invalid"
    );
    let (status, _) = staff
        .send("PUT", "/api/v1/projects/1", &json!({ "name": "x" }))
        .await;
    assert!(status == 404 || status == 422, "{status}");

    for body in [&b"{\"name\": "[..], &b"[]"[..], &[0xff, 0xfe][..]] {
        let response = reqwest::Client::new()
            .post(app.url("/api/v1/projects"))
            .bearer_auth(&staff.token)
            .header("content-type", "application/json")
            .body(body.to_vec())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        assert!((400..500).contains(&status), "{status}");
    }
    for path in [
        "/api/v1/projects/abc",
        "/api/v1/projects/99999999999999999999",
        "/api/v1/projects/-1",
    ] {
        assert_eq!(staff.get(path).await.0, 404, "{path}");
    }
    // Duplicates: the same name on the same platform, the same code.
    let mut first = project("重名", 5, "投资促进局");
    first["code"] = json!("HY-001");
    staff.create(first.clone()).await;
    let mut same_code = first.clone();
    same_code["name"] = json!("另一个名字");
    let (status, refused) = staff.send("POST", "/api/v1/projects", &same_code).await;
    assert_eq!(status, 422);
    assert_eq!(refused["error"]["fields"][0]["field"], "code");
    first["code"] = json!("HY-002");
    let (status, refused) = staff.send("POST", "/api/v1/projects", &first).await;
    assert_eq!(status, 422);
    assert_eq!(
        refused["error"]["fields"][0]["code"],
        "project.ledger.name_taken"
    );
    assert_eq!(staff.get("/api/v1/projects").await.1["total"], 1);
}

on_both_backends!(
    the_data_scope_hides_other_bureaus_projects,
    progress_and_milestones_move_the_ledger,
    bad_input_is_refused_with_field_errors,
);
