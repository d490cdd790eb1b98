//! Keeping a project from its page: milestones, monthly progress, the investment plan and
//! the stage, each an inline form that answers htmx with its part and a plain browser with
//! a page, with Chinese field messages and nothing changed on a refusal.

use crate::testkit::{Browser, World, shown, world};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use districtops_domain::money::Money;
use districtops_domain::projects::{ProjectDraft, ProjectKind};
use districtops_service::Ctx;

/// A project of 10 亿元 created by `staff`; its page's path.
async fn project(w: &World, staff: &Browser) -> String {
    let info = w
        .services()
        .session(&staff.cookie[staff.cookie.find('=').unwrap() + 1..])
        .await
        .unwrap()
        .unwrap();
    let draft = ProjectDraft {
        name: Some("树兰（济南）医院".into()),
        kind: Some(ProjectKind::Medical),
        total_investment: Some(Money::from_yuan(1_000_000_000)),
        ..ProjectDraft::default()
    };
    let row = w
        .services()
        .create_project(&Ctx::of(info.actor, None), &draft)
        .await
        .unwrap();
    format!("/projects/{}", row.id)
}

/// Posts a form as htmx does (with the `HX-Request` header).
async fn hx_post(
    w: &World,
    browser: &Browser,
    uri: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let mut all = vec![("csrf_token", browser.csrf.as_str())];
    all.extend_from_slice(fields);
    let request = Request::post(uri)
        .header(header::COOKIE, &browser.cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("hx-request", "true")
        .body(Body::from(serde_urlencoded::to_string(&all).unwrap()))
        .unwrap();
    let reply = w.send(request).await;
    (reply.status, reply.text())
}

#[tokio::test]
async fn milestones_are_added_and_changed_with_their_version() {
    let w = world().await;
    let staff = w.sign_in("staff").await;
    let path = project(&w, &staff).await;
    let add = format!("{path}/milestones");

    // Refused with htmx: the part alone, the typed values kept, messages in Chinese.
    let (status, body) = hx_post(
        &w,
        &staff,
        &add,
        &[("name", "主体封顶"), ("planned", "2026-13-01")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.starts_with("<section class=\"card\" id=\"project-milestones\">"),
        "{body}"
    );
    assert_eq!(shown(&body, "error-planned"), "日期格式应为 YYYY-MM-DD。");
    assert!(body.contains("value=\"主体封顶\""));
    // Without script: the same part on a page of its own.
    let reply = w
        .post(&staff, &add, &[("name", ""), ("planned", "2026-10-20")])
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = reply.text();
    assert!(body.contains("<html") && body.contains("返回项目页面"));
    assert_eq!(shown(&body, "error-name"), "必填。");
    assert!(
        !w.get(&staff, &path)
            .await
            .text()
            .contains("data-testid=\"milestone-row\"")
    );

    let reply = w
        .post(
            &staff,
            &add,
            &[
                ("name", "主体封顶"),
                ("planned", "2026-10-20"),
                ("owner_name", "张三"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        reply.location(),
        Some(format!("{path}#project-milestones").as_str())
    );
    let body = w.get(&staff, &path).await.text();
    assert_eq!(body.matches("data-testid=\"milestone-row\"").count(), 1);
    let at = body.find(&format!("action=\"{add}/")).unwrap();
    let edit = body[at + 8..].split('"').next().unwrap().to_owned();

    let change = |name: &'static str| {
        [
            ("name", name),
            ("planned", "2026-10-20"),
            ("actual", "2026-10-18"),
            ("version", "1"),
        ]
    };
    assert_eq!(
        w.post(&staff, &edit, &change("主体封顶（一期）"))
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    // A stale form: the message, the latest values and version in the form, the typed ones beside.
    let (status, body) = hx_post(&w, &staff, &edit, &change("主体完工")).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("该记录已被他人修改"), "{body}");
    assert!(
        body.contains("value=\"主体封顶（一期）\"")
            && body.contains("name=\"version\" value=\"2\"")
    );
    assert!(shown(&body, "milestone-yours").contains("主体完工"));
    let page = w.get(&staff, &path).await.text();
    assert!(page.contains("主体封顶（一期）") && !page.contains("<td>主体完工</td>"));
}

#[tokio::test]
async fn a_month_of_progress_moves_the_completed_investment() {
    let w = world().await;
    let staff = w.sign_in("staff").await;
    let path = project(&w, &staff).await;
    let report = format!("{path}/progress");

    let bad = [
        ("period", "2026-13"),
        ("invested_in_period", "12亩"),
        ("percent", "120"),
    ];
    let (status, body) = hx_post(&w, &staff, &report, &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        shown(&body, "error-invested_in_period"),
        "无法识别的金额单位（可用：元、万元、亿元）。"
    );
    let reply = w
        .post(
            &staff,
            &report,
            &[
                ("period", "2026-13"),
                ("invested_in_period", "500"),
                ("percent", "120"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = reply.text();
    assert_eq!(shown(&body, "error-percent"), "形象进度应为 0–100。");
    assert!(body.contains("data-testid=\"error-period\""));
    assert_eq!(
        shown(&w.get(&staff, &path).await.text(), "project-completed"),
        "0 万元"
    );

    let good = [
        ("period", "2026-10"),
        ("invested_in_period", "1,234.5"),
        ("percent", "35"),
        ("narrative", "主体施工"),
    ];
    assert_eq!(
        w.post(&staff, &report, &good).await.status,
        StatusCode::SEE_OTHER
    );
    let body = w.get(&staff, &path).await.text();
    assert_eq!(shown(&body, "project-completed"), "1,234.5 万元");
    assert!(body.contains("<td class=\"num\">1,234.5</td>"));
    // More than the total investment: refused, nothing changed.
    let (status, body) = hx_post(
        &w,
        &staff,
        &report,
        &[
            ("period", "2026-11"),
            ("invested_in_period", "11亿"),
            ("percent", "50"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        shown(&body, "error-invested_in_period"),
        "已完成投资不能超过总投资。"
    );
    assert_eq!(
        shown(&w.get(&staff, &path).await.text(), "project-completed"),
        "1,234.5 万元"
    );
}

#[tokio::test]
async fn the_plan_shows_target_actual_and_gap() {
    let w = world().await;
    let staff = w.sign_in("staff").await;
    let path = project(&w, &staff).await;
    let plan = format!("{path}/plan");

    let (status, body) = hx_post(
        &w,
        &staff,
        &plan,
        &[("period", "2026-Q5"), ("cumulative_target", "800")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        shown(&body, "error-period"),
        "期间格式应为 YYYY-MM（月）或 YYYY-Qn（季度）。"
    );
    assert!(body.contains("value=\"2026-Q5\""));
    assert!(
        !w.get(&staff, &path)
            .await
            .text()
            .contains("data-testid=\"plan-row\"")
    );

    let report = [
        ("period", "2026-10"),
        ("invested_in_period", "300"),
        ("percent", "20"),
    ];
    assert_eq!(
        w.post(&staff, &format!("{path}/progress"), &report)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    for (period, target) in [("2026-Q4", "800"), ("2027-Q1", "0.2亿")] {
        let reply = w
            .post(
                &staff,
                &plan,
                &[("period", period), ("cumulative_target", target)],
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
    }
    let body = w.get(&staff, &path).await.text();
    assert!(body.contains("<tr data-testid=\"plan-row\"><td>2026-Q4</td><td class=\"num\">800</td><td class=\"num\">300</td>"), "{body}");
    assert_eq!(shown(&body, "plan-gap"), "500");
    assert!(body.contains("<td>2027-Q1</td><td class=\"num\">2,000</td><td class=\"num\"></td>"));
}

#[tokio::test]
async fn the_stage_changes_on_a_date_and_backwards_only_as_a_correction() {
    let w = world().await;
    let staff = w.sign_in("staff").await;
    let path = project(&w, &staff).await;
    let stage = format!("{path}/stage");
    let form = |to: &'static str, version: &'static str| {
        vec![
            ("from", "pipeline"),
            ("stage", to),
            ("on_date", "2026-11-02"),
            ("version", version),
        ]
    };

    // A forward skip warns and waits for the confirmation.
    let (status, body) = hx_post(&w, &staff, &stage, &form("under_construction", "1")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(shown(&body, "stage-skip-warning").contains("签约"));
    assert!(shown(&w.get(&staff, &path).await.text(), "project-stage").contains("储备"));
    let mut confirmed = form("under_construction", "1");
    confirmed.push(("confirm_skip", "on"));
    assert_eq!(
        w.post(&staff, &stage, &confirmed).await.status,
        StatusCode::SEE_OTHER
    );
    let body = w.get(&staff, &path).await.text();
    assert!(shown(&body, "project-stage").contains("开工"));
    assert!(body.contains("<td>2026-11-02</td>"));

    // Backwards without the correction ticked: refused with the reason.
    let back = [
        ("from", "under_construction"),
        ("stage", "signed"),
        ("version", "2"),
    ];
    let (status, body) = hx_post(&w, &staff, &stage, &back).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(shown(&body, "error-stage").contains("阶段不能回退"));
    // A stale version: the message and the latest version.
    let stale = [
        ("from", "under_construction"),
        ("stage", "structure_done"),
        ("version", "1"),
    ];
    let (status, body) = hx_post(&w, &staff, &stage, &stale).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("该记录已被他人修改") && body.contains("name=\"version\" value=\"2\""));
    let mut corrected = back.to_vec();
    corrected.push(("correction", "on"));
    assert_eq!(
        w.post(&staff, &stage, &corrected).await.status,
        StatusCode::SEE_OTHER
    );
    let body = w.get(&staff, &path).await.text();
    assert!(shown(&body, "project-stage").contains("签约"));
    assert!(
        body.contains("tag tag-warn"),
        "the correction is marked in the history"
    );

    // A date in the future is refused.
    let future = [
        ("from", "signed"),
        ("stage", "under_construction"),
        ("on_date", "2027-01-01"),
        ("version", "3"),
    ];
    let (status, body) = hx_post(&w, &staff, &stage, &future).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(shown(&body, "error-on_date"), "阶段变更日期不能晚于今天。");
}

#[tokio::test]
async fn only_writers_get_the_forms_and_may_post() {
    let w = world().await;
    let staff = w.sign_in("staff").await;
    let path = project(&w, &staff).await;
    let body = w.get(&staff, &path).await.text();
    assert!(
        body.contains("data-testid=\"milestone-add\"")
            && body.contains("data-testid=\"stage-form\"")
    );
    let auditor = w.sign_in("auditor").await;
    let reply = w
        .post(
            &auditor,
            &format!("{path}/plan"),
            &[("period", "2026-Q4"), ("cumulative_target", "1")],
        )
        .await;
    assert!(
        matches!(reply.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{}",
        reply.status
    );
    assert!(
        !w.get(&staff, &path)
            .await
            .text()
            .contains("data-testid=\"plan-row\"")
    );
}
