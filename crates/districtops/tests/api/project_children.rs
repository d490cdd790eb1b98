//! A project's milestones, investment plan and stage through the JSON API on both backends:
//! version checks (409), Chinese field errors (422), scope (404), and nothing changed by a
//! refusal.

use crate::helpers::{TestApp, on_both_backends, spawn_app};
use crate::projects::{Api, platform, project};
use districtops_service::projects::progress::MilestoneInput;
use districtops_store::Backend;
use serde_json::{Value, json};

/// A milestone of project `project` (an id), added by the office, as the id's text (for the
/// matrix).
pub(crate) async fn milestone_of(app: &TestApp, project: &str) -> String {
    let ctx = app.ctx_of("office").await;
    let input = MilestoneInput {
        name: "矩阵里程碑".into(),
        planned: "2030-01-01".parse().ok(),
        ..MilestoneInput::default()
    };
    let id = app
        .services
        .add_milestone(&ctx, project.parse().unwrap(), &input)
        .await
        .unwrap();
    id.to_string()
}

/// The field errors of a refusal: (field, Chinese message).
pub(crate) fn fields(body: &Value) -> Vec<(String, String)> {
    body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn milestones_change_with_their_version(backend: Backend) {
    let app = spawn_app(backend).await;
    platform(&app, "国际医学科学中心").await;
    let office = Api::new(&app, "office").await;
    let ours = office.create(project("招商项目", 100, "投资促进局")).await;
    let theirs = office.create(project("街道项目", 100, "振兴街街道")).await;
    let path = format!("/api/v1/projects/{}", ours["id"]);
    let body = json!({ "name": "主体封顶", "planned": "2026-12-01" });
    let (status, created) = office
        .send("POST", &format!("{path}/milestones"), &body)
        .await;
    assert_eq!(status, 201);
    let one = format!("{path}/milestones/{}", created["id"]);

    let change = json!({ "name": "主体封顶（一期）", "planned": "2026-12-20", "actual": "2026-12-18",
                         "owner_name": "张三", "version": 1 });
    assert_eq!(office.send("PUT", &one, &change).await.0, 204);
    let (_, detail) = office.get(&path).await;
    assert_eq!(detail["milestones"][0]["name"], "主体封顶（一期）");
    assert_eq!(detail["milestones"][0]["version"], 2);

    // Stale, invalid, unversioned, out of scope, not this project's: refused, nothing changed.
    let (status, stale) = office
        .send(
            "PUT",
            &one,
            &json!({ "name": "二期", "planned": "2027-01-01", "version": 1 }),
        )
        .await;
    assert_eq!(status, 409);
    assert_eq!(stale["error"]["code"], "conflict.changed_by_someone");
    assert_eq!(
        stale["error"]["message"],
        "该记录已被他人修改。请查看最新内容后再提交。"
    );
    let (status, invalid) = office
        .send(
            "PUT",
            &one,
            &json!({ "name": " ", "planned": null, "version": 2 }),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        fields(&invalid),
        [
            ("name".to_owned(), "必填。".to_owned()),
            ("planned".to_owned(), "必填。".to_owned())
        ]
    );
    let (status, unversioned) = office
        .send(
            "PUT",
            &one,
            &json!({ "name": "二期", "planned": "2027-01-01" }),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(fields(&unversioned)[0].0, "version");
    let staff = Api::new(&app, "staff").await;
    let street = format!("/api/v1/projects/{}", theirs["id"]);
    let street_milestone = milestone_of(&app, &theirs["id"].to_string()).await;
    let change2 = json!({ "name": "越权", "planned": "2027-01-01", "version": 1 });
    assert_eq!(
        staff
            .send(
                "PUT",
                &format!("{street}/milestones/{street_milestone}"),
                &change2
            )
            .await
            .0,
        404
    );
    assert_eq!(
        office
            .send(
                "PUT",
                &format!("{path}/milestones/{street_milestone}"),
                &change2
            )
            .await
            .0,
        404
    );
    let (_, detail) = office.get(&path).await;
    assert_eq!(detail["milestones"][0]["name"], "主体封顶（一期）");
    assert_eq!(detail["milestones"][0]["version"], 2);
    assert_eq!(
        office.get(&street).await.1["milestones"][0]["name"],
        "矩阵里程碑"
    );
}

async fn the_plan_is_set_by_period_and_read_beside_what_was_done(backend: Backend) {
    let app = spawn_app(backend).await;
    platform(&app, "国际医学科学中心").await;
    let office = Api::new(&app, "office").await;
    let ours = office
        .create(project("招商项目", 1_000, "投资促进局"))
        .await;
    let theirs = office
        .create(project("街道项目", 1_000, "振兴街街道"))
        .await;
    let path = format!("/api/v1/projects/{}", ours["id"]);
    for (period, yuan) in [("2020-Q2", 400), ("2020-03", 100), ("2099-12", 1_000)] {
        let body = json!({ "cumulative_target_yuan": yuan });
        assert_eq!(
            office
                .send("PUT", &format!("{path}/plan/{period}"), &body)
                .await
                .0,
            204
        );
    }
    // Replacing a target keeps one row per period.
    let body = json!({ "cumulative_target_yuan": 300 });
    assert_eq!(
        office
            .send("PUT", &format!("{path}/plan/2020-Q2"), &body)
            .await
            .0,
        204
    );
    let (status, plan) = office.get(&format!("{path}/plan")).await;
    assert_eq!(status, 200);
    // 250 元 completed (a quarter of the total) and no reports: all of it done before 2020.
    assert_eq!(
        plan,
        json!([
            { "period": "2020-03", "cumulative_target_yuan": 100, "actual_cumulative_yuan": 250, "gap_yuan": 0 },
            { "period": "2020-Q2", "cumulative_target_yuan": 300, "actual_cumulative_yuan": 250, "gap_yuan": 50 },
            { "period": "2099-12", "cumulative_target_yuan": 1000, "actual_cumulative_yuan": null, "gap_yuan": null },
        ])
    );

    let (status, bad) = office
        .send("PUT", &format!("{path}/plan/2020-Q5"), &body)
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        fields(&bad),
        [(
            "period".to_owned(),
            "期间格式应为 YYYY-MM（月）或 YYYY-Qn（季度）。".to_owned()
        )]
    );
    let negative = json!({ "cumulative_target_yuan": -1 });
    let (status, bad) = office
        .send("PUT", &format!("{path}/plan/2020-Q3"), &negative)
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        fields(&bad),
        [(
            "cumulative_target".to_owned(),
            "金额不能为负数。".to_owned()
        )]
    );
    let staff = Api::new(&app, "staff").await;
    let street = format!("/api/v1/projects/{}", theirs["id"]);
    assert_eq!(staff.get(&format!("{street}/plan")).await.0, 404);
    assert_eq!(
        staff
            .send("PUT", &format!("{street}/plan/2020-Q3"), &body)
            .await
            .0,
        404
    );
    assert_eq!(office.get(&format!("{street}/plan")).await.1, json!([]));
    assert_eq!(
        office
            .get(&format!("{path}/plan"))
            .await
            .1
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

async fn the_stage_changes_forward_and_back_only_as_a_correction(backend: Backend) {
    let app = spawn_app(backend).await;
    platform(&app, "国际医学科学中心").await;
    let office = Api::new(&app, "office").await;
    let ours = office.create(project("招商项目", 100, "投资促进局")).await;
    let theirs = office.create(project("街道项目", 100, "振兴街街道")).await;
    let stage = format!("/api/v1/projects/{}/stage", ours["id"]);

    let (status, row) = office
        .send("POST", &stage, &json!({ "to": "completed", "version": 1 }))
        .await;
    assert_eq!(status, 200, "{row}");
    assert_eq!(
        (row["stage"].as_str(), row["version"].as_i64()),
        (Some("completed"), Some(2))
    );

    let back = json!({ "to": "signed", "version": 2 });
    let (status, refused) = office.send("POST", &stage, &back).await;
    assert_eq!(status, 422);
    assert_eq!(fields(&refused)[0].0, "to");
    assert!(fields(&refused)[0].1.contains("阶段不能回退"));
    let (status, refused) = office
        .send(
            "POST",
            &stage,
            &json!({ "to": "开工", "on": "2999-01-01", "version": 2 }),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        fields(&refused)[0],
        ("to".to_owned(), "项目阶段无效。".to_owned())
    );
    let (status, refused) = office
        .send(
            "POST",
            &stage,
            &json!({ "to": "in_operation", "on": "2999-01-01", "version": 2 }),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        fields(&refused),
        [("on".to_owned(), "阶段变更日期不能晚于今天。".to_owned())]
    );
    let (status, stale) = office
        .send(
            "POST",
            &stage,
            &json!({ "to": "in_operation", "version": 1 }),
        )
        .await;
    assert_eq!(status, 409);
    assert_eq!(stale["error"]["code"], "conflict.changed_by_someone");
    let staff = Api::new(&app, "staff").await;
    let street = format!("/api/v1/projects/{}/stage", theirs["id"]);
    assert_eq!(
        staff
            .send("POST", &street, &json!({ "to": "completed", "version": 1 }))
            .await
            .0,
        404
    );
    let (_, detail) = office
        .get(&format!("/api/v1/projects/{}", ours["id"]))
        .await;
    assert_eq!(
        (
            detail["project"]["stage"].as_str(),
            detail["project"]["version"].as_i64()
        ),
        (Some("completed"), Some(2))
    );

    let mut corrected = back.clone();
    corrected["correction"] = json!(true);
    let (status, row) = office.send("POST", &stage, &corrected).await;
    assert_eq!(status, 200);
    assert_eq!(row["stage"], "signed");
    let (_, detail) = office
        .get(&format!("/api/v1/projects/{}", ours["id"]))
        .await;
    let changes = detail["stage_changes"].as_array().unwrap();
    assert_eq!(changes.last().unwrap()["correction"], true);
    assert_eq!(
        office
            .get(&format!("/api/v1/projects/{}", theirs["id"]))
            .await
            .1["project"]["version"],
        1
    );
}

on_both_backends!(
    milestones_change_with_their_version,
    the_plan_is_set_by_period_and_read_beside_what_was_done,
    the_stage_changes_forward_and_back_only_as_a_correction,
);
