//! The ledger pages end to end: list with filters, totals and pager; the forms with their
//! field messages and the conflict view; the project page with its status reasons.

use crate::testkit::{shown, world};
use axum::http::StatusCode;
use districtops_domain::money::Money;
use districtops_domain::projects::{ProjectDraft, ProjectKind};
use districtops_service::Ctx;
use districtops_service::projects::progress::MilestoneInput;

fn draft(name: &str, yuan: i64) -> ProjectDraft {
    ProjectDraft {
        name: Some(name.into()),
        kind: Some(ProjectKind::Medical),
        total_investment: Some(Money::from_yuan(yuan)),
        address: Some(format!("{name}路")),
        ..ProjectDraft::default()
    }
}

#[tokio::test]
async fn the_ledger_filters_sorts_pages_and_totals() {
    let w = world().await;
    let staff = w.sign_in("staff").await;
    let info = w
        .services()
        .session(&staff.cookie[staff.cookie.find('=').unwrap() + 1..])
        .await
        .unwrap()
        .unwrap();
    let ctx = Ctx::of(info.actor, None);
    for i in 1..=55 {
        w.services()
            .create_project(&ctx, &draft(&format!("项目{i:02}"), 100_000_000))
            .await
            .unwrap();
    }
    let reply = w.get(&staff, "/projects").await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.text();
    assert_eq!(body.matches("data-testid=\"project-row\"").count(), 50);
    assert!(shown(&body, "project-summary").contains("共 55 个项目"));
    assert_eq!(shown(&body, "totals-total"), "55 亿元");
    assert!(
        body.contains("重点项目</a>"),
        "the navigation names the ledger"
    );
    assert!(body.contains("href=\"/projects?page=2\""));
    assert!(body.contains("aria-label=\"预警状态：绿灯\""));

    let body = w
        .get(
            &staff,
            "/projects?q=%E9%A1%B9%E7%9B%AE07&sort=name&order=desc",
        )
        .await
        .text();
    assert_eq!(body.matches("data-testid=\"project-row\"").count(), 1);
    assert_eq!(shown(&body, "totals-total"), "1 亿元");
    assert!(
        body.contains("value=\"项目07\""),
        "the filter is kept in the form"
    );

    let reply = w.get(&staff, "/projects?stage=nope&page=zz").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.text().contains("data-testid=\"filter-error\""));

    let auditor = w.sign_in("auditor").await;
    assert_eq!(
        w.get(&auditor, "/projects").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_forms_keep_input_and_show_conflicts() {
    let w = world().await;
    let staff = w.sign_in("staff").await;
    let reply = w.get(&staff, "/projects/new").await;
    assert_eq!(reply.status, StatusCode::OK);
    let reply = w
        .post(
            &staff,
            "/projects",
            &[
                ("name", "树兰医院"),
                ("kind", "medical"),
                ("stage", "signed"),
                ("total_investment", "-5"),
                ("land_area", "1.234"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = reply.text();
    assert_eq!(shown(&body, "error-total_investment"), "金额不能为负数。");
    assert!(
        body.contains("value=\"树兰医院\""),
        "what was typed is kept"
    );
    assert!(body.contains("data-testid=\"error-land_area\""));

    let reply = w
        .post(
            &staff,
            "/projects",
            &[
                ("name", "树兰医院"),
                ("kind", "medical"),
                ("stage", "signed"),
                ("total_investment", "1,200.5"),
                ("planned_start", "2020-04-02"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let location = reply.location().unwrap().to_owned();
    let body = w.get(&staff, &location).await.text();
    assert_eq!(shown(&body, "project-total"), "1,200.5 万元");
    assert!(shown(&body, "project-stage").contains("签约"));
    assert!(body.contains("暂无里程碑和投资计划"));

    // Someone else saves first: the second save gets 409 with both versions shown.
    let edit = format!("{location}/edit");
    let form = [
        ("name", "树兰（济南）医院"),
        ("kind", "medical"),
        ("stage", "signed"),
        ("total_investment", "1300"),
        ("version", "1"),
    ];
    assert_eq!(
        w.post(&staff, &edit, &form).await.status,
        StatusCode::SEE_OTHER
    );
    let stale = [
        ("name", "树兰医院二期"),
        ("kind", "medical"),
        ("stage", "signed"),
        ("total_investment", "1400"),
        ("version", "1"),
    ];
    let reply = w.post(&staff, &edit, &stale).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    let body = reply.text();
    assert!(body.contains("data-testid=\"project-conflict\""));
    assert!(body.contains("树兰（济南）医院") && body.contains("value=\"树兰医院二期\""));
    assert!(body.contains("value=\"2\" data-testid=\"project-version\""));
    assert!(body.contains("该记录已被他人修改"));

    // Reasons are rendered in words.
    let id: i64 = location.rsplit('/').next().unwrap().parse().unwrap();
    let info = w
        .services()
        .session(&staff.cookie[staff.cookie.find('=').unwrap() + 1..])
        .await
        .unwrap()
        .unwrap();
    let ctx = Ctx::of(info.actor, None);
    let milestone = MilestoneInput {
        name: "主体封顶".into(),
        planned: "2026-10-20".parse().ok(),
        ..MilestoneInput::default()
    };
    w.services()
        .add_milestone(&ctx, id, &milestone)
        .await
        .unwrap();
    let body = w.get(&staff, &location).await.text();
    assert!(
        body.contains("里程碑「主体封顶」逾期 40 天，超过 30 天（计划 2026-10-20）"),
        "{body}"
    );
    assert_eq!(shown(&body, "project-status"), "红灯");
}
