//! The ledger as of a date after several changes, on both backends: a project changed on
//! three days (twice at the same instant on the last), asked for on each day with filters and
//! sorts on the values it had then; its milestones as they stood; a clock that went back.

use crate::helpers::{TestApp, on_both_backends, spawn_app};
use crate::projects::{Api, platform, project};
use chrono::{Duration, NaiveDate};
use districtops_service::projects::as_of::end_of_day;
use districtops_service::projects::progress::MilestoneInput;
use districtops_store::{Backend, ProjectFilter, ProjectScope, ProjectSort};
use serde_json::{Value, json};

/// `PUT`s `body` over project `id` at `version` as the office.
async fn change(app: &TestApp, id: i64, version: i64, mut body: Value) {
    body["version"] = json!(version);
    let office = Api::new(app, "office").await;
    let (status, answer) = office
        .send("PUT", &format!("/api/v1/projects/{id}"), &body)
        .await;
    assert_eq!(status, 200, "{answer}");
}

/// `(total, names in order, totals' investment)` of the API list as of `day` with `query`.
async fn listed(app: &TestApp, day: NaiveDate, query: &str) -> (i64, Vec<String>, i64) {
    let (status, page) = Api::new(app, "office")
        .await
        .get(&format!("/api/v1/projects?as_of={day}{query}"))
        .await;
    assert_eq!(status, 200, "{page}");
    let names = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect();
    (
        page["total"].as_i64().unwrap(),
        names,
        page["totals"]["total_investment_yuan"].as_i64().unwrap(),
    )
}

async fn a_project_changed_several_times_is_found_by_its_values_of_the_day(backend: Backend) {
    let app = spawn_app(backend).await;
    platform(&app, "国际医学科学中心").await;
    let office = Api::new(&app, "office").await;
    let ours = office
        .create(project("树兰医院", 1_000, "投资促进局"))
        .await;
    let id = ours["id"].as_i64().unwrap();
    office
        .create(project("齐鲁制药", 2_000, "投资促进局"))
        .await;
    let day0 = app.services.today();

    app.clock.advance(Duration::days(1));
    let day1 = app.services.today();
    let mut body = project("树兰医院", 5_000, "投资促进局");
    body["stage"] = json!("structure_done");
    change(&app, id, 1, body.clone()).await;

    app.clock.advance(Duration::days(1));
    let day2 = app.services.today();
    body["name"] = json!("树兰医院（二期）");
    change(&app, id, 2, body.clone()).await;
    body["total_investment_yuan"] = json!(1_500);
    body["completed_investment_yuan"] = json!(100);
    change(&app, id, 3, body).await;

    let by_total = "&sort=total_investment&order=desc";
    assert_eq!(
        listed(&app, day0, by_total).await,
        (2, vec!["齐鲁制药".into(), "树兰医院".into()], 3_000)
    );
    assert_eq!(
        listed(&app, day1, by_total).await,
        (2, vec!["树兰医院".into(), "齐鲁制药".into()], 7_000)
    );
    assert_eq!(
        listed(&app, day2, by_total).await,
        (2, vec!["齐鲁制药".into(), "树兰医院（二期）".into()], 3_500),
        "the last of two changes at the same instant"
    );

    // Filters see the values of the day, not today's.
    let stage = "&stage=structure_done";
    assert_eq!(listed(&app, day0, stage).await.0, 0);
    assert_eq!(
        listed(&app, day1, stage).await,
        (1, vec!["树兰医院".into()], 5_000)
    );
    let second = "&q=%E4%BA%8C%E6%9C%9F";
    assert_eq!(listed(&app, day1, second).await.0, 0, "二期 came on day 2");
    assert_eq!(listed(&app, day2, second).await.0, 1);
    let (_, names, _) = listed(&app, day1, "&stage=under_construction").await;
    assert_eq!(names, ["齐鲁制药"]);
    // Paging by a historical sort key.
    let (total, names, _) = listed(&app, day1, &format!("{by_total}&per_page=1&page=2")).await;
    assert_eq!((total, names), (2, vec!["齐鲁制药".to_owned()]));

    let ctx = app.ctx_of("office").await;
    for (day, version, total) in [(day0, 1, 1_000), (day1, 2, 5_000), (day2, 4, 1_500)] {
        let detail = app.services.project_as_of(&ctx, id, day).await.unwrap();
        assert_eq!(
            (detail.row.version, detail.row.total_investment),
            (version, total),
            "{day}"
        );
    }
}

async fn milestones_are_shown_as_they_stood(backend: Backend) {
    let app = spawn_app(backend).await;
    platform(&app, "国际医学科学中心").await;
    let ours = Api::new(&app, "office")
        .await
        .create(project("树兰医院", 1_000, "投资促进局"))
        .await;
    let id = ours["id"].as_i64().unwrap();
    let ctx = app.ctx_of("office").await;
    let day = |s: &str| s.parse::<NaiveDate>().unwrap();
    let start = MilestoneInput {
        name: "开工".into(),
        planned: Some(day("2020-04-01")),
        actual: None,
        owner_name: None,
    };
    let start_id = app.services.add_milestone(&ctx, id, &start).await.unwrap();
    let day0 = app.services.today();

    app.clock.advance(Duration::days(1));
    let day1 = app.services.today();
    let ctx = app.ctx_of("office").await;
    let moved = MilestoneInput {
        name: "主体开工".into(),
        planned: Some(day("2020-05-01")),
        actual: Some(day1),
        ..start
    };
    app.services
        .update_milestone(&ctx, id, start_id, 1, &moved)
        .await
        .unwrap();
    app.clock.advance(Duration::days(1));
    let ctx = app.ctx_of("office").await;
    let done = MilestoneInput {
        name: "竣工".into(),
        planned: Some(day("2021-05-01")),
        actual: None,
        owner_name: Some("王工".into()),
    };
    app.services.add_milestone(&ctx, id, &done).await.unwrap();

    let seen = |d: NaiveDate| {
        let (services, ctx) = (&app.services, &ctx);
        async move {
            let detail = services.project_as_of(ctx, id, d).await.unwrap();
            detail
                .milestones
                .iter()
                .map(|m| (m.name.clone(), m.planned, m.actual))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        seen(day0).await,
        [("开工".to_owned(), day("2020-04-01"), None)]
    );
    assert_eq!(
        seen(day1).await,
        [("主体开工".to_owned(), day("2020-05-01"), Some(day1))]
    );
    assert_eq!(seen(app.services.today()).await.len(), 2);

    let (browser, _) = app.browser("office").await;
    let page = app
        .text(&browser, &format!("/projects/{id}?as_of={day0}"))
        .await;
    assert_eq!(page.matches("data-testid=\"milestone-row\"").count(), 1);
    assert!(page.contains("<td>开工</td><td>2020-04-01</td>"), "{page}");
    assert!(page.contains("里程碑为当日所记"), "{page}");
}

async fn a_clock_that_went_back_still_gives_one_revision_per_project(backend: Backend) {
    let app = spawn_app(backend).await;
    platform(&app, "国际医学科学中心").await;
    let ours = Api::new(&app, "office")
        .await
        .create(project("树兰医院", 1_000, "投资促进局"))
        .await;
    let id = ours["id"].as_i64().unwrap();
    let day0 = app.services.today();
    app.clock.advance(Duration::days(2));
    change(&app, id, 1, project("树兰医院", 2_000, "投资促进局")).await;
    app.clock.advance(Duration::days(-1));
    change(&app, id, 2, project("树兰医院", 3_000, "投资促进局")).await;

    // As the revisions say: the latest one valid before the end of each day.
    let mut filter = ProjectFilter::new(ProjectScope::District);
    filter.sort = ProjectSort::TotalInvestment;
    for (days, total) in [(0, 1_000), (1, 3_000), (2, 3_000)] {
        let before = end_of_day(day0 + Duration::days(days));
        let page = app
            .services
            .store
            .project_page_as_of(&filter, before)
            .await
            .unwrap();
        let totals: Vec<i64> = page.rows.iter().map(|r| r.total_investment).collect();
        assert_eq!(totals, [total], "day {days}");
        assert_eq!(page.totals.count, 1);
    }
}

on_both_backends!(
    a_project_changed_several_times_is_found_by_its_values_of_the_day,
    milestones_are_shown_as_they_stood,
    a_clock_that_went_back_still_gives_one_revision_per_project,
);
