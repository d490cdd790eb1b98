//! The battle chart's page: this year by default, flags by month with their words, the
//! legend and the print stylesheet, the chart link on the ledger and the map, refusals.

use crate::testkit::{shown, world};
use axum::http::StatusCode;
use districtops_domain::money::Money;
use districtops_domain::projects::{ProjectDraft, ProjectKind};
use districtops_service::Ctx;
use districtops_service::projects::progress::MilestoneInput;

#[tokio::test]
async fn the_chart_flags_milestones_by_month_and_prints() {
    let w = world().await;
    let staff = w.sign_in("staff").await;
    let info = w
        .services()
        .session(&staff.cookie[staff.cookie.find('=').unwrap() + 1..])
        .await
        .unwrap()
        .unwrap();
    let ctx = Ctx::of(info.actor, None);
    let draft = ProjectDraft {
        name: Some("树兰医院".into()),
        kind: Some(ProjectKind::Medical),
        total_investment: Some(Money::from_yuan(100)),
        ..ProjectDraft::default()
    };
    let id = w.services().create_project(&ctx, &draft).await.unwrap().id;
    // The world's day is 2026-11-29.
    for (name, planned, actual) in [
        ("主体封顶", "2026-03-31", Some("2026-04-01")),
        ("竣工验收", "2026-10-31", None),
        ("设备进场", "2026-12-15", None),
    ] {
        let milestone = MilestoneInput {
            name: name.into(),
            planned: planned.parse().ok(),
            actual: actual.and_then(|a| a.parse().ok()),
            ..MilestoneInput::default()
        };
        w.services()
            .add_milestone(&ctx, id, &milestone)
            .await
            .unwrap();
    }

    let reply = w.get(&staff, "/projects/chart").await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.text();
    assert!(
        body.contains("2026年1月") && body.contains("2026年12月"),
        "this year"
    );
    assert_eq!(body.matches("data-testid=\"chart-row\"").count(), 1);
    assert!(
        body.contains("title=\"主体封顶：逾期完成 2026-04-01，计划 2026-03-31\""),
        "{body}"
    );
    assert!(body.contains("<span class=\"mark-suffix\">迟</span>"));
    assert!(body.contains("title=\"竣工验收：逾期未完成 2026-10-31\""));
    assert!(body.contains("<span class=\"mark-suffix\">逾期</span>"));
    assert!(body.contains("title=\"设备进场：计划 2026-12-15\""));
    assert!(shown(&body, "chart-summary").contains("共 1 个项目"));
    assert!(body.contains("data-testid=\"chart-legend\""));
    // The workbook link carries the same months (the `&` is escaped in the attribute).
    assert!(body.contains("href=\"/projects/chart.xlsx?from=2026-01&#38;to=2026-12\""));
    let css = w.get(&staff, "/static/chart.css").await.text();
    assert!(css.contains("@page { size: A3 landscape"));
    assert!(css.contains("display: table-header-group"));

    // The ledger and the map link to the chart with their filters.
    let ledger = w.get(&staff, "/projects?stage=pipeline").await.text();
    assert!(
        ledger.contains("href=\"/projects/chart?stage=pipeline\""),
        "{ledger}"
    );
    let map = w.get(&staff, "/projects/map?stage=pipeline").await.text();
    assert!(map.contains("href=\"/projects/chart?stage=pipeline\""));

    // A month range outside the chart's: said beside the filters, this year shown.
    let body = w
        .get(&staff, "/projects/chart?from=2020-01&to=2023-06")
        .await
        .text();
    assert!(body.contains("作战图最多显示 36 个月"), "{body}");
    assert!(body.contains("2026年1月"));
    let reply = w.get(&staff, "/projects/chart.xlsx?from=2020-13").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);

    let auditor = w.sign_in("auditor").await;
    assert_eq!(
        w.get(&auditor, "/projects/chart").await.status,
        StatusCode::FORBIDDEN
    );
}
