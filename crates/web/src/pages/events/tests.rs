//! Creating and editing an event from its form: projects picked from a filtered list of
//! checkboxes (no script needed), Chinese field messages, the version check.

use crate::testkit::{shown, world};
use axum::http::StatusCode;
use districtops_domain::money::Money;
use districtops_domain::projects::{ProjectDraft, ProjectKind};
use districtops_service::Ctx;

#[tokio::test]
async fn an_event_is_created_and_edited_with_its_projects() {
    let w = world().await;
    let staff = w.sign_in("staff").await;
    let info = w
        .services()
        .session(&staff.cookie[staff.cookie.find('=').unwrap() + 1..])
        .await
        .unwrap()
        .unwrap();
    let ctx = Ctx::of(info.actor, None);
    let mut ids = Vec::new();
    for (name, yi) in [("树兰医院", 30), ("齐鲁科创大厦", 12), ("绿地中心", 5)] {
        let draft = ProjectDraft {
            name: Some(name.into()),
            kind: Some(ProjectKind::Medical),
            total_investment: Some(Money::from_yuan(yi * 100_000_000)),
            ..ProjectDraft::default()
        };
        ids.push(
            w.services()
                .create_project(&ctx, &draft)
                .await
                .unwrap()
                .id
                .to_string(),
        );
    }
    let body = w.get(&staff, "/events/new").await.text();
    assert_eq!(body.matches("data-testid=\"pick\"").count(), 3);

    // The search lists again and keeps what was typed and ticked.
    let bureau = w.bureau.to_string();
    let mut fields = vec![
        ("kind", "groundbreaking"),
        ("name", "2020年集中开工"),
        ("held_on", "2020-04-02"),
        ("place", "树兰医院"),
        ("department_id", bureau.as_str()),
        ("project_ids", ids[0].as_str()),
        ("q", "科创"),
    ];
    let mut search = fields.clone();
    search.push(("search", "1"));
    let reply = w.post(&staff, "/events", &search).await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.text();
    assert_eq!(
        body.matches("data-testid=\"pick\"").count(),
        2,
        "the ticked one and the match"
    );
    assert!(body.contains("value=\"2020年集中开工\"") && body.contains(" checked> 树兰医院"));
    assert!(!body.contains("绿地中心"));
    assert!(w.services().list_events(&ctx).await.unwrap().is_empty());

    let mut bad = fields.clone();
    bad[2] = ("held_on", "2020-04-31");
    let reply = w.post(&staff, "/events", &bad).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        shown(&reply.text(), "error-held_on"),
        "日期格式应为 YYYY-MM-DD。"
    );

    fields.push(("project_ids", ids[1].as_str()));
    let reply = w.post(&staff, "/events", &fields).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let location = reply.location().unwrap().to_owned();
    let body = w.get(&staff, &location).await.text();
    assert_eq!(shown(&body, "event-count"), "2");
    assert_eq!(shown(&body, "event-total"), "42 亿元");

    // Edit: untick one, tick another; a stale second save gets 409 with the latest version.
    let edit = format!("{location}/edit");
    let body = w.get(&staff, &edit).await.text();
    assert_eq!(body.matches(" checked> ").count(), 2);
    let change = [
        ("kind", "signing"),
        ("name", "2020年集中签约"),
        ("held_on", "2020-05-01"),
        ("department_id", bureau.as_str()),
        ("project_ids", ids[0].as_str()),
        ("project_ids", ids[2].as_str()),
        ("version", "1"),
    ];
    assert_eq!(
        w.post(&staff, &edit, &change).await.status,
        StatusCode::SEE_OTHER
    );
    let body = w.get(&staff, &location).await.text();
    assert_eq!(shown(&body, "event-total"), "35 亿元");
    assert!(body.contains("集中签约"));
    let reply = w.post(&staff, &edit, &change).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    let body = reply.text();
    assert!(body.contains("该记录已被他人修改"));
    assert!(body.contains("value=\"2\" data-testid=\"event-version\""));
}
