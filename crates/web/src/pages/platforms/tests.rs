//! The platform pages end to end: the list and a platform's page with its roadmap, its
//! targets against the ledger and the link to its projects; the planners' forms with their
//! field messages and the stale-version refusal; the cockpit's targets of the year.

use crate::testkit::{FIRST, World, shown, world};
use axum::http::StatusCode;
use districtops_domain::access::Role;
use districtops_domain::money::Money;
use districtops_domain::projects::{KeyDates, ProjectDraft, ProjectKind, Stage};
use districtops_service::Ctx;
use districtops_service::projects::goals::{KpiTargetInput, PhaseInput};
use districtops_service::projects::platforms::NewPlatformInput;
use districtops_service::users::NewUserInput;

/// The medical center with its first phase, a target of this year, and one project of the
/// bureau started this year; returns the platform's id.
async fn center(w: &World) -> i64 {
    let system = Ctx::system();
    let s = w.services();
    let input = NewPlatformInput {
        name: "国际医学科学中心".into(),
        positioning: Some("医疗硅谷".into()),
        planned_area_km2_x100: Some(4500),
    };
    let id = s.create_platform(&system, &input).await.unwrap();
    let phase = PhaseInput {
        ordinal: "1".into(),
        title: "三年聚集资源".into(),
        target: "2020".into(),
        goal: "聚集资源".into(),
        done: true,
        ..PhaseInput::default()
    };
    s.add_phase(&system, id, &phase).await.unwrap();
    let kpi = KpiTargetInput {
        platform_id: Some(id),
        year: "2026".into(),
        name: "新开工项目".into(),
        metric: "projects_started".into(),
        target: "4".into(),
        illustrative: true,
        ..KpiTargetInput::default()
    };
    s.add_kpi_target(&system, &kpi).await.unwrap();
    let mut dates = KeyDates::default();
    dates.start.actual = Some("2026-03-01".parse().unwrap());
    let draft = ProjectDraft {
        name: Some("树兰医院".into()),
        platform: Some("国际医学科学中心".into()),
        kind: Some(ProjectKind::Medical),
        stage: Some(Stage::UnderConstruction),
        department: Some("发改局".into()),
        total_investment: Some(Money::from_yuan(4_500_000_000)),
        dates,
        ..ProjectDraft::default()
    };
    s.create_project(&system, &draft).await.unwrap();
    id
}

/// A district leader of the world, signed in.
async fn leader(w: &World) -> crate::testkit::Browser {
    let input = NewUserInput {
        username: "leader".into(),
        display_name: "区长".into(),
        department_id: w.district,
        password: Some(FIRST.to_owned()),
        roles: vec![Role::Leader],
        ..NewUserInput::default()
    };
    w.services()
        .create_user(&Ctx::system(), input)
        .await
        .unwrap();
    w.sign_in("leader").await
}

#[tokio::test]
async fn a_platform_shows_its_roadmap_targets_and_projects() {
    let w = world().await;
    let id = center(&w).await;
    let staff = w.sign_in("staff").await;

    let list = w.get(&staff, "/platforms").await;
    assert_eq!(list.status, StatusCode::OK);
    let body = list.text();
    assert!(
        body.contains(&format!("href=\"/platforms/{id}\"")),
        "{body}"
    );
    assert!(body.contains(&format!("href=\"/projects?platform={id}\">1<")));
    assert!(
        body.contains("href=\"/platforms\" aria-current=\"page\""),
        "the nav names it"
    );
    assert_eq!(shown(&body, "kpi-title"), "2026 年全区指标");
    assert!(
        body.contains("data-testid=\"kpi-empty\""),
        "no district-wide target"
    );

    let body = w.get(&staff, &format!("/platforms/{id}")).await.text();
    assert_eq!(shown(&body, "platform-area"), "45");
    assert_eq!(shown(&body, "platform-total"), "45 亿元");
    assert_eq!(shown(&body, "phase-due"), "2020");
    assert_eq!(shown(&body, "phase-title"), "三年聚集资源");
    assert_eq!(shown(&body, "kpi-title"), "2026 年度指标");
    assert_eq!(shown(&body, "kpi-actual"), "1 个");
    assert_eq!(shown(&body, "kpi-target"), "4 个");
    assert_eq!(shown(&body, "kpi-percent"), "25%");
    assert!(body.contains("<progress max=\"100\" value=\"25\""));
    assert!(
        !body.contains("data-testid=\"phase-edit\""),
        "staff do not plan"
    );
    assert!(!body.contains("<script>"));

    let body = w
        .get(&staff, &format!("/platforms/{id}?year=2020"))
        .await
        .text();
    assert!(body.contains("data-testid=\"kpi-empty\""));
    let bad = w.get(&staff, &format!("/platforms/{id}?year=abcd")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text().contains("年份应为"), "a message in Chinese");
    assert_eq!(
        w.get(&staff, "/platforms/999").await.status,
        StatusCode::NOT_FOUND
    );
    for path in [
        format!("/platforms/{id}/phases/new"),
        "/kpis/new".to_owned(),
    ] {
        assert_eq!(
            w.get(&staff, &path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let refused = w
        .post(
            &staff,
            "/kpis",
            &[
                ("year", "2026"),
                ("name", "越权"),
                ("metric", "projects_total"),
                ("target", "1"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let body = w.get(&staff, "/cockpit").await.text();
    assert_eq!(shown(&body, "cockpit-kpi-title"), "2026 年度指标完成情况");
    assert_eq!(shown(&body, "kpi-percent"), "25%");
}

#[tokio::test]
async fn planners_change_roadmaps_and_targets_through_the_forms() {
    let w = world().await;
    let id = center(&w).await;
    let leader = leader(&w).await;

    let body = w.get(&leader, &format!("/platforms/{id}")).await.text();
    assert!(body.contains("data-testid=\"phase-edit\""));
    let form = w
        .get(&leader, &format!("/platforms/{id}/phases/new"))
        .await
        .text();
    assert!(
        form.contains("name=\"ordinal\" value=\"2\""),
        "the next number is proposed"
    );

    let phases = format!("/platforms/{id}/phases");
    let refused = w
        .post(
            &leader,
            &phases,
            &[
                ("ordinal", "2"),
                ("title", "五年初具规模"),
                ("target", "2022.6"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused.text();
    assert!(
        shown(&body, "error-target").contains("2027-06-30"),
        "{body}"
    );
    assert!(
        body.contains("value=\"五年初具规模\""),
        "what was typed is kept"
    );
    let saved = w
        .post(
            &leader,
            &phases,
            &[
                ("ordinal", "2"),
                ("title", "五年初具规模"),
                ("target", "2022"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert_eq!(saved.location(), Some(format!("/platforms/{id}").as_str()));
    let body = w.get(&leader, &format!("/platforms/{id}")).await.text();
    assert_eq!(body.matches("data-testid=\"phase\"").count(), 2);

    // A stale form is refused with the latest version taken, so a second save overwrites.
    let phase = w
        .services()
        .platform_detail(&Ctx::system(), id, 2026)
        .await
        .unwrap()
        .phases[1]
        .id;
    let edit = format!("/platforms/{id}/phases/{phase}");
    let stale = [
        ("ordinal", "2"),
        ("title", "五年"),
        ("target", "2022"),
        ("version", "9"),
    ];
    let reply = w.post(&leader, &edit, &stale).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    let body = reply.text();
    assert!(body.contains("该记录已被他人修改"), "{body}");
    assert!(body.contains("name=\"version\" value=\"1\""));
    let fresh = [
        ("ordinal", "2"),
        ("title", "五年"),
        ("target", "2022"),
        ("version", "1"),
    ];
    assert_eq!(
        w.post(&leader, &edit, &fresh).await.status,
        StatusCode::SEE_OTHER
    );

    // Targets are typed in their metric's unit.
    let bad = [
        ("platform", &*id.to_string()),
        ("year", "2026"),
        ("name", "竣工项目"),
        ("metric", "projects_completed"),
        ("target", "1.5"),
    ];
    let reply = w.post(&leader, "/kpis", &bad).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(shown(&reply.text(), "error-target").contains("小数位过多"));
    let good = [
        ("platform", &*id.to_string()),
        ("year", "2026"),
        ("name", "签约总投资"),
        ("metric", "signed_investment"),
        ("target", "127.38"),
    ];
    let reply = w.post(&leader, "/kpis", &good).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.location(), Some(format!("/platforms/{id}").as_str()));
    let body = w.get(&leader, &format!("/platforms/{id}")).await.text();
    assert!(body.contains("127.38 亿元"), "{body}");
    let district = [
        ("year", "2026"),
        ("name", "全区开工"),
        ("metric", "projects_started"),
        ("target", "0"),
    ];
    let reply = w.post(&leader, "/kpis", &district).await;
    assert_eq!(reply.location(), Some("/platforms"));
    let body = w.get(&leader, "/platforms").await.text();
    assert_eq!(
        shown(&body, "kpi-percent"),
        "—",
        "a target of zero has no percentage"
    );
}

#[tokio::test]
async fn a_fixed_business_date_is_the_ledgers_today_and_is_shown() {
    let mut w = world().await;
    center(&w).await;
    let services = w.state.services.clone();
    w.state.services = services.with_business_date(Some("2020-06-30".parse().unwrap()));
    let staff = w.sign_in("staff").await;

    let body = w.get(&staff, "/platforms").await.text();
    assert_eq!(shown(&body, "business-date"), "台账日期 2020-06-30");
    assert!(body.contains("状态灯、逾期天数和本年度指标都按这一天计算"));
    assert_eq!(shown(&body, "kpi-title"), "2020 年全区指标");
    // Without it, the ledger's today is the clock's and no badge is shown.
    w.state.services.business_date = None;
    let body = w.get(&staff, "/platforms").await.text();
    assert!(!body.contains("data-testid=\"business-date\""));
    assert_eq!(shown(&body, "kpi-title"), "2026 年全区指标");
}
