//! The status lights' thresholds and history through the API, on both backends: who reads
//! and changes the thresholds, every bad value refused field by field with nothing changed,
//! a change recolouring the ledger and the cockpit's red list at once, and a project's months
//! with their reasons, holds and overrides.

use crate::helpers::{TestApp, on_both_backends, spawn_app};
use crate::projects::Api;
use chrono::Duration;
use districtops_domain::money::Money;
use districtops_domain::projects::{Period, ProjectDraft, ProjectKind, Thresholds};
use districtops_service::Ctx;
use districtops_service::projects::progress::{MilestoneInput, ProgressInput};
use districtops_service::projects::status_settings::ThresholdsSaved;
use districtops_store::{AuditFilter, Backend};
use serde_json::{Value, json};

const THRESHOLDS: &str = "/api/v1/settings/status-thresholds";

/// A project of 投资促进局 whose only milestone is `overdue` days late; its id.
async fn late_project(app: &TestApp, name: &str, overdue: i64) -> i64 {
    let ctx = app.ctx_of("office").await;
    let draft = ProjectDraft {
        name: Some(name.into()),
        kind: Some(ProjectKind::Other),
        department: Some("投资促进局".into()),
        total_investment: Some(Money::from_yuan(10_000_000)),
        ..ProjectDraft::default()
    };
    let id = app.services.create_project(&ctx, &draft).await.unwrap().id;
    let milestone = MilestoneInput {
        name: "主体封顶".into(),
        planned: Some(app.services.today() - Duration::days(overdue)),
        ..MilestoneInput::default()
    };
    app.services
        .add_milestone(&ctx, id, &milestone)
        .await
        .unwrap();
    id
}

async fn colour_of(app: &TestApp, id: i64) -> String {
    let row = app.services.store.project(id).await.unwrap().unwrap();
    row.status_colour
}

async fn audited(app: &TestApp) -> i64 {
    let filter = AuditFilter {
        action_prefix: Some("settings.status_thresholds".into()),
        ..AuditFilter::default()
    };
    app.services
        .store
        .audit_page(&filter, 0, 10)
        .await
        .unwrap()
        .1
}

fn field_messages(answer: &Value) -> Vec<(String, String)> {
    answer["error"]["fields"]
        .as_array()
        .map(|fields| {
            fields
                .iter()
                .map(|f| {
                    let text = |k: &str| f[k].as_str().unwrap_or_default().to_owned();
                    (text("field"), text("message"))
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn thresholds_are_read_by_readers_and_changed_by_the_settings_admin_only(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = late_project(&app, "逾期二十天", 20).await;
    assert_eq!(colour_of(&app, id).await, "yellow");
    let office = Api::new(&app, "office").await;
    let admin = Api::new(&app, "system.admin").await;
    let defaults = json!({ "red_overdue_days": 30, "warning_days": 15, "lag_percent": 10 });
    for reader in [&office, &admin] {
        assert_eq!(reader.get(THRESHOLDS).await, (200, defaults.clone()));
    }
    let auditor = Api::new(&app, "auditor").await;
    assert_eq!(auditor.get(THRESHOLDS).await.0, 403);
    let strict = json!({ "red_overdue_days": 7, "warning_days": 15, "lag_percent": 10 });
    assert_eq!(office.send("PUT", THRESHOLDS, &strict).await.0, 403);

    // Every bad value is refused with a Chinese message on its field; nothing changes.
    let days = "请填写 0 到 3650 之间的整数天数。";
    let percent = "请填写 0 到 100 之间的整数百分比。";
    let bad = [
        (
            json!({ "red_overdue_days": "三十", "warning_days": -1, "lag_percent": 101 }),
            vec![
                ("red_overdue_days", days),
                ("warning_days", days),
                ("lag_percent", percent),
            ],
        ),
        (
            json!({ "red_overdue_days": 1e20, "warning_days": 3.5, "lag_percent": true }),
            vec![
                ("red_overdue_days", days),
                ("warning_days", days),
                ("lag_percent", percent),
            ],
        ),
        (
            json!({ "red_overdue_days": [30], "warning_days": {}, "lag_percent": null }),
            vec![
                ("red_overdue_days", days),
                ("warning_days", days),
                ("lag_percent", "必填。"),
            ],
        ),
        (
            json!({ "red_overdue_days": 3651, "warning_days": 15 }),
            vec![("red_overdue_days", days), ("lag_percent", "必填。")],
        ),
    ];
    for (body, expected) in bad {
        let (status, answer) = admin.send("PUT", THRESHOLDS, &body).await;
        assert_eq!(status, 422, "{body}: {answer}");
        let expected: Vec<(String, String)> = expected
            .into_iter()
            .map(|(f, m)| (f.to_owned(), m.to_owned()))
            .collect();
        assert_eq!(field_messages(&answer), expected, "{body}");
    }
    let huge =
        r#"{"red_overdue_days": 99999999999999999999999999, "warning_days": 1, "lag_percent": 1}"#;
    for raw in [huge, r#"{"red": 1}"#, "[]", "not json", ""] {
        let response = reqwest::Client::new()
            .put(app.url(THRESHOLDS))
            .bearer_auth(&admin.token)
            .header("content-type", "application/json")
            .body(raw)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        assert!((400..500).contains(&status), "{raw}: {status}");
    }
    assert_eq!(admin.get(THRESHOLDS).await.1, defaults);
    assert_eq!(audited(&app).await, 0);
    assert_eq!(colour_of(&app, id).await, "yellow");

    // A good change is audited and recolours the ledger at once.
    let (status, saved) = admin.send("PUT", THRESHOLDS, &strict).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["thresholds"], strict);
    assert_eq!(
        (&saved["applied"], &saved["projects"], &saved["changed"]),
        (&json!("recomputed"), &json!(1), &json!(1))
    );
    assert_eq!(colour_of(&app, id).await, "red");
    assert_eq!(office.get(THRESHOLDS).await.1, strict);
    assert_eq!(audited(&app).await, 1);
    let (status, again) = admin.send("PUT", THRESHOLDS, &strict).await;
    assert_eq!((status, &again["applied"]), (200, &json!("unchanged")));
    assert_eq!(audited(&app).await, 1);
}

async fn the_cockpit_gives_red_reasons_by_the_configured_thresholds(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = late_project(&app, "逾期二十天", 20).await;
    let office = Api::new(&app, "office").await;
    let (_, cockpit) = office.get("/api/v1/cockpit").await;
    assert_eq!(cockpit["red_projects"], json!([]), "{cockpit}");

    let admin = app.ctx_of("system.admin").await;
    let strict = Thresholds {
        red_overdue_days: 7,
        ..Thresholds::default()
    };
    let saved = app
        .services
        .set_status_thresholds(&admin, strict)
        .await
        .unwrap();
    assert!(matches!(saved, ThresholdsSaved::Recomputed(done) if done.changed == 1));
    let (_, cockpit) = office.get("/api/v1/cockpit").await;
    let red = &cockpit["red_projects"];
    assert_eq!(red.as_array().map(Vec::len), Some(1), "{cockpit}");
    assert_eq!(red[0]["id"], id);
    // The reason is the red one, with the configured limit, not the default's yellow one.
    let reason = &red[0]["reasons"][0];
    assert_eq!(reason["kind"], "milestone_long_overdue", "{reason}");
    assert_eq!(
        (&reason["days"], &reason["limit_days"]),
        (&json!(20), &json!(7))
    );
}

async fn the_status_history_gives_months_reasons_holds_and_overrides(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = late_project(&app, "欠账项目", 40).await;
    let ctx = app.ctx_of("office").await;
    let today = app.services.today();
    let this_month = Period::containing(today);
    let due = this_month.prev().unwrap().to_string();
    app.services
        .set_plan_target(&ctx, id, &due, Money::from_yuan(2_000_000))
        .await
        .unwrap();
    // Next month the milestone is done and 95 % of the plan is in: yellow, held.
    let next = this_month.next().unwrap().first_day();
    app.clock
        .advance(Duration::days((next - today).num_days() + 1));
    let milestones = app.services.store.milestones(id).await.unwrap();
    let done = MilestoneInput {
        name: "主体封顶".into(),
        planned: Some(today - Duration::days(40)),
        actual: Some(today),
        ..MilestoneInput::default()
    };
    app.services
        .update_milestone(&ctx, id, milestones[0].id, milestones[0].version, &done)
        .await
        .unwrap();
    let report = ProgressInput {
        period: this_month.to_string(),
        invested_in_period: Money::from_yuan(1_900_000),
        percent: 10,
        narrative: None,
    };
    app.services
        .report_progress(&ctx, id, &report)
        .await
        .unwrap();

    let office = Api::new(&app, "office").await;
    let path = format!("/api/v1/projects/{id}/status-history");
    let (status, history) = office.get(&path).await;
    assert_eq!(status, 200, "{history}");
    assert_eq!(
        (&history["project_id"], &history["colour"]),
        (&json!(id), &json!("yellow"))
    );
    let months = history["months"].as_array().unwrap();
    assert_eq!(months.len(), 2, "{history}");
    let (now, before) = (&months[0], &months[1]);
    assert_eq!(now["period"], next.format("%Y-%m").to_string());
    assert_eq!(
        (&now["colour"], &now["held"]),
        (&json!("yellow"), &json!(true))
    );
    let made_up = now["reasons"].as_array().unwrap();
    let reason = made_up.iter().find(|r| r["kind"] == "not_made_up").unwrap();
    assert!(
        reason["text"].as_str().unwrap().contains("上期亮红灯"),
        "{reason}"
    );
    assert_eq!(
        (&before["colour"], &before["held"]),
        (&json!("red"), &json!(false))
    );
    let late = before["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "milestone_long_overdue");
    let text = late.and_then(|r| r["text"].as_str()).unwrap_or_default();
    assert!(text.contains("里程碑「主体封顶」逾期 40 天"), "{before}");
    assert_eq!(now["overridden_by"], Value::Null);
    assert_eq!(history["overrides"], json!([]));

    // A colour set by hand: current, listed, and shown on the months computed under it.
    let version = history["version"].clone();
    let body = json!({ "version": version, "colour": "red", "reason": "区领导要求挂红" });
    let (status, set) = office
        .send(
            "PUT",
            &format!("/api/v1/projects/{id}/status-override"),
            &body,
        )
        .await;
    assert_eq!(status, 200, "{set}");
    app.clock.advance(Duration::hours(1));
    app.services
        .recompute_statuses(&Ctx::system())
        .await
        .unwrap();
    let (_, history) = office.get(&path).await;
    assert_eq!(history["colour"], "red");
    assert_eq!(history["current_override"]["reason"], "区领导要求挂红");
    assert_eq!(history["overrides"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        history["months"][0]["colour"], "yellow",
        "computed colour kept"
    );
    assert_eq!(history["months"][0]["overridden_by"]["colour"], "red");
    assert_eq!(history["months"][1]["overridden_by"], Value::Null);

    for missing in [
        "/api/v1/projects/999999/status-history",
        "/api/v1/projects/abc/status-history",
    ] {
        assert_eq!(office.get(missing).await.0, 404, "{missing}");
    }
}

on_both_backends!(
    thresholds_are_read_by_readers_and_changed_by_the_settings_admin_only,
    the_cockpit_gives_red_reasons_by_the_configured_thresholds,
    the_status_history_gives_months_reasons_holds_and_overrides
);
