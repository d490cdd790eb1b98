//! The status light over time, on both backends: the manual override through the API
//! (reason required, version-checked, audited, shown by the list until cleared), the nightly
//! recomputation, and the hold of a red month carried into the next one.

use crate::helpers::{TestApp, on_both_backends, spawn_app};
use chrono::Duration;
use districtops_domain::money::Money;
use districtops_domain::projects::{Colour, Period, ProjectDraft, ProjectKind, Reason, Thresholds};
use districtops_service::projects::progress::{MilestoneInput, ProgressInput};
use districtops_service::{Ctx, ServiceError};
use districtops_store::{AuditFilter, Backend};
use serde_json::{Value, json};

/// A project of 投资促进局 with 1,000 万元 total investment; its id.
async fn project(app: &TestApp, name: &str) -> i64 {
    let draft = ProjectDraft {
        name: Some(name.into()),
        kind: Some(ProjectKind::Other),
        department: Some("投资促进局".into()),
        total_investment: Some(Money::from_yuan(10_000_000)),
        ..ProjectDraft::default()
    };
    let ctx = app.ctx_of("office").await;
    app.services.create_project(&ctx, &draft).await.unwrap().id
}

async fn call(app: &TestApp, method: &str, path: &str, body: Value) -> (u16, Value) {
    let token = app.token("office").await;
    let response = app
        .client()
        .request(method.parse().unwrap(), app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn colour_of(app: &TestApp, id: i64) -> String {
    app.services
        .store
        .project(id)
        .await
        .unwrap()
        .unwrap()
        .status_colour
}

async fn an_override_needs_a_reason_wins_until_cleared_and_is_audited(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = project(&app, "人工调整项目").await;
    let path = format!("/api/v1/projects/{id}/status-override");
    assert_eq!(colour_of(&app, id).await, "green");

    // No reason, an unknown colour, no version: refused, nothing changed.
    for body in [
        json!({ "version": 1, "colour": "red", "reason": "   " }),
        json!({ "version": 1, "colour": "purple", "reason": "理由" }),
        json!({ "colour": "red", "reason": "理由" }),
    ] {
        let (status, answer) = call(&app, "PUT", &path, body).await;
        assert_eq!(status, 422, "{answer}");
    }
    let (_, refused) = call(
        &app,
        "PUT",
        &path,
        json!({ "version": 1, "colour": "red", "reason": "" }),
    )
    .await;
    assert!(refused.to_string().contains("必填"), "{refused}");
    assert_eq!(colour_of(&app, id).await, "green");

    let body = json!({ "version": 1, "colour": "red", "reason": "业主资金链断裂，区领导要求挂红" });
    let (status, set) = call(&app, "PUT", &path, body.clone()).await;
    assert_eq!(status, 200, "{set}");
    assert_eq!(
        (set["status_colour"].as_str(), set["version"].as_i64()),
        (Some("red"), Some(2))
    );
    let (_, red) = call(&app, "GET", "/api/v1/projects?status=red", Value::Null).await;
    assert_eq!(red["total"], 1);
    // A stale form is a conflict, not an overwrite.
    assert_eq!(call(&app, "PUT", &path, body).await.0, 409);

    // Saving the project keeps the colour set by hand.
    let ctx = app.ctx_of("office").await;
    let milestone = MilestoneInput {
        name: "开工".into(),
        planned: Some(app.services.today() + Duration::days(100)),
        ..MilestoneInput::default()
    };
    app.services
        .add_milestone(&ctx, id, &milestone)
        .await
        .unwrap();
    assert_eq!(colour_of(&app, id).await, "red");

    let (status, cleared) = call(&app, "DELETE", &format!("{path}?version=2"), Value::Null).await;
    assert_eq!(status, 200, "{cleared}");
    assert_eq!(cleared["status_colour"], "green");
    let (status, answer) = call(&app, "DELETE", &format!("{path}?version=3"), Value::Null).await;
    assert_eq!(status, 422, "nothing left to clear: {answer}");
    assert_eq!(call(&app, "DELETE", &path, Value::Null).await.0, 422);

    let filter = AuditFilter {
        action_prefix: Some("project.status.override".into()),
        ..AuditFilter::default()
    };
    let (records, total) = app.services.store.audit_page(&filter, 0, 10).await.unwrap();
    assert_eq!(total, 2);
    let clear = &records[0];
    assert_eq!(clear.action, "project.status.override_clear");
    let changes = records[1].changes();
    let reason = changes
        .iter()
        .find(|c| c.field == "override_reason")
        .unwrap();
    assert_eq!(
        reason.after.as_deref(),
        Some("业主资金链断裂，区领导要求挂红")
    );
    let colour = changes.iter().find(|c| c.field == "status_colour").unwrap();
    assert_eq!(
        (colour.before.as_deref(), colour.after.as_deref()),
        (Some("green"), Some("red"))
    );
    let cleared = clear.changes();
    let before = cleared
        .iter()
        .find(|c| c.field == "override_colour")
        .unwrap();
    assert_eq!(
        (before.before.as_deref(), before.after.as_deref()),
        (Some("red"), None)
    );
}

async fn the_nightly_recomputation_catches_a_milestone_passing_its_date(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = project(&app, "里程碑到期项目").await;
    let quiet = project(&app, "无里程碑项目").await;
    let ctx = app.ctx_of("office").await;
    let milestone = MilestoneInput {
        name: "主体封顶".into(),
        planned: Some(app.services.today() + Duration::days(3)),
        ..MilestoneInput::default()
    };
    app.services
        .add_milestone(&ctx, id, &milestone)
        .await
        .unwrap();
    assert_eq!(
        colour_of(&app, id).await,
        "yellow",
        "due in 3 days: at risk"
    );

    // 40 days later nobody touched the project, so its cached colour is stale ...
    app.clock.advance(Duration::days(40));
    assert_eq!(colour_of(&app, id).await, "yellow");
    // ... until the recomputation, which only the system may run.
    assert!(matches!(
        app.services.recompute_statuses(&ctx).await,
        Err(ServiceError::Forbidden)
    ));
    let done = app
        .services
        .recompute_statuses(&Ctx::system())
        .await
        .unwrap();
    assert_eq!((done.projects, done.changed), (2, 1));
    assert_eq!(colour_of(&app, id).await, "red");
    assert_eq!(colour_of(&app, quiet).await, "green");
    // Idempotent: a second run (another app server) changes nothing.
    let again = app
        .services
        .recompute_statuses(&Ctx::system())
        .await
        .unwrap();
    assert_eq!(again.changed, 0);

    let history = app.services.store.status_history(id).await.unwrap();
    assert_eq!(history[0].colour, "red");
    assert_eq!(history[0].as_of, app.services.today());
    let filter = AuditFilter {
        action_prefix: Some("project.status.recompute".into()),
        ..AuditFilter::default()
    };
    let (records, total) = app.services.store.audit_page(&filter, 0, 10).await.unwrap();
    assert_eq!(total, 2);
    let changed = records[1].changes();
    let changed = changed.iter().find(|c| c.field == "changed").unwrap();
    assert_eq!(changed.after.as_deref(), Some("1"));

    // Thresholds are settings: only an administrator of settings changes them, audited, and
    // the next recomputation follows.
    let lenient = Thresholds {
        red_overdue_days: 365,
        ..Thresholds::default()
    };
    assert!(matches!(
        app.services.set_status_thresholds(&ctx, lenient).await,
        Err(ServiceError::Forbidden)
    ));
    let admin = app.ctx_of("system.admin").await;
    app.services
        .set_status_thresholds(&admin, lenient)
        .await
        .unwrap();
    assert_eq!(app.services.status_thresholds().await.unwrap(), lenient);
    app.services
        .recompute_statuses(&Ctx::system())
        .await
        .unwrap();
    assert_eq!(colour_of(&app, id).await, "yellow");
    app.services
        .set_status_thresholds(&admin, Thresholds::default())
        .await
        .unwrap();
    app.services
        .recompute_statuses(&Ctx::system())
        .await
        .unwrap();

    // The page shows the month's colour with its reason in words.
    let (client, _) = app.browser("office").await;
    let page = app.text(&client, &format!("/projects/{id}")).await;
    assert!(page.contains("data-testid=\"status-history\""), "{page}");
    assert!(page.contains("里程碑「主体封顶」逾期"), "{page}");
}

async fn a_red_month_is_yellow_next_month_until_the_shortfall_is_made_up(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = project(&app, "欠账项目").await;
    let ctx = app.ctx_of("office").await;
    let today = app.services.today();
    let this_month = Period::containing(today);
    let month = this_month.to_string();
    let due = this_month.prev().unwrap().to_string();
    // This month: 200 万元 due by last month's end and nothing done, a milestone 40 days
    // overdue: red.
    app.services
        .set_plan_target(&ctx, id, &due, Money::from_yuan(2_000_000))
        .await
        .unwrap();
    let milestone = MilestoneInput {
        name: "开工".into(),
        planned: Some(today - Duration::days(40)),
        ..MilestoneInput::default()
    };
    let milestone_id = app
        .services
        .add_milestone(&ctx, id, &milestone)
        .await
        .unwrap();
    assert_eq!(colour_of(&app, id).await, "red");

    // Next month the milestone is done and 95 % of the plan is in: within the lag
    // threshold, but last month's red is not made up yet.
    let next_month = this_month.next().unwrap().first_day();
    app.clock
        .advance(Duration::days((next_month - today).num_days() + 1));
    let done = MilestoneInput {
        actual: Some(today),
        ..milestone
    };
    app.services
        .update_milestone(&ctx, id, milestone_id, 1, &done)
        .await
        .unwrap();
    let report = ProgressInput {
        period: month.clone(),
        invested_in_period: Money::from_yuan(1_900_000),
        percent: 10,
        narrative: None,
    };
    app.services
        .report_progress(&ctx, id, &report)
        .await
        .unwrap();
    assert_eq!(colour_of(&app, id).await, "yellow");
    let status = app.services.project_status(&ctx, id).await.unwrap();
    assert_eq!(status.history.len(), 2);
    assert_eq!(status.history[1].colour, Colour::Red);
    assert_eq!(status.history[0].colour, Colour::Yellow);
    assert!(status.history[0].held);
    assert!(status.history[0].reasons.iter().any(|r| matches!(
        r,
        Reason::NotMadeUp { shortfall } if shortfall.yuan() == 100_000
    )));

    // The rest comes in: green.
    let report = ProgressInput {
        invested_in_period: Money::from_yuan(2_000_000),
        ..report
    };
    app.services
        .report_progress(&ctx, id, &report)
        .await
        .unwrap();
    assert_eq!(colour_of(&app, id).await, "green");
}

async fn the_project_page_sets_and_clears_an_override_with_its_forms(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = project(&app, "页面调整项目").await;
    let (client, csrf) = app.browser("office").await;
    let post = |path: String, form: Vec<(&'static str, String)>| {
        let mut form = form;
        form.push(("csrf_token", csrf.clone()));
        client.post(app.url(&path)).form(&form).send()
    };
    let set = format!("/projects/{id}/status/override");
    let form = |version: &str, reason: &str| {
        vec![
            ("version", version.to_owned()),
            ("colour", "yellow".to_owned()),
            ("reason", reason.to_owned()),
        ]
    };
    // No reason: the form comes back with the message and the colour chosen, nothing saved.
    let refused = post(set.clone(), form("1", " ")).await.unwrap();
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(page.contains("data-testid=\"error-reason\""), "{page}");
    assert!(
        page.contains("<option value=\"yellow\" selected>"),
        "{page}"
    );
    assert_eq!(colour_of(&app, id).await, "green");

    let saved = post(set.clone(), form("1", "等待规划调整批复"))
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    assert_eq!(colour_of(&app, id).await, "yellow");
    let page = app.text(&client, &format!("/projects/{id}")).await;
    assert!(
        page.contains("data-testid=\"status-override-current\""),
        "{page}"
    );
    assert!(page.contains("等待规划调整批复"), "{page}");
    // A stale form: a conflict, shown with the latest state.
    let stale = post(set, form("1", "另一个理由")).await.unwrap();
    assert_eq!(stale.status(), 409);
    assert!(
        stale
            .text()
            .await
            .unwrap()
            .contains("data-testid=\"status-conflict\"")
    );

    let clear = format!("/projects/{id}/status/override/clear");
    let cleared = post(clear, vec![("version", "2".to_owned())])
        .await
        .unwrap();
    assert_eq!(cleared.status(), 303);
    assert_eq!(colour_of(&app, id).await, "green");
}

on_both_backends!(
    an_override_needs_a_reason_wins_until_cleared_and_is_audited,
    the_project_page_sets_and_clears_an_override_with_its_forms,
    the_nightly_recomputation_catches_a_milestone_passing_its_date,
    a_red_month_is_yellow_next_month_until_the_shortfall_is_made_up,
);
