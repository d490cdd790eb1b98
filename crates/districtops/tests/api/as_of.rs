//! The ledger as of a date, on both backends: created on one day, changed three days later,
//! asked for in between; the list (API and page), a project's page and the export; projects
//! created later absent; the data scope kept; a later or malformed day refused in Chinese.
//! And the battle chart's page and workbook on the same data.

use crate::cli::districtops;
use crate::helpers::{on_both_backends, spawn_app};
use crate::projects::{Api, platform, project};
use chrono::Duration;
use districtops_service::excel::read::read_sheet;
use districtops_service::projects::chart::ChartRange;
use districtops_service::{ServiceError, projects::ProjectQuery};
use districtops_store::{AuditFilter, Backend};
use serde_json::json;

async fn the_ledger_as_of_a_day_is_rebuilt_from_the_revisions(backend: Backend) {
    let app = spawn_app(backend).await;
    platform(&app, "国际医学科学中心").await;
    let office = Api::new(&app, "office").await;
    let ours = office
        .create(project("树兰医院", 1_000, "投资促进局"))
        .await;
    office.create(project("街道项目", 500, "振兴街街道")).await;
    let ours_id = ours["id"].as_i64().unwrap();
    let day0 = app.services.today();

    app.clock.advance(Duration::days(3));
    let today = app.services.today();
    let office = Api::new(&app, "office").await;
    let mut changed = project("树兰医院（二期）", 3_000, "投资促进局");
    changed["version"] = json!(1);
    let (status, body) = office
        .send("PUT", &format!("/api/v1/projects/{ours_id}"), &changed)
        .await;
    assert_eq!(status, 200, "{body}");
    let later = office.create(project("新签项目", 7, "投资促进局")).await;

    // As of day 0: the old name and amount, the later project absent, totals of that ledger.
    let (status, then) = office
        .get(&format!(
            "/api/v1/projects?as_of={day0}&sort=total_investment&order=desc"
        ))
        .await;
    assert_eq!(status, 200, "{then}");
    assert_eq!(then["total"], 2);
    assert_eq!(then["items"][0]["name"], "树兰医院");
    assert_eq!(then["items"][0]["total_investment_yuan"], 1_000);
    assert_eq!(then["totals"]["total_investment_yuan"], 1_500);
    // Filters and paging apply to the snapshots.
    let (_, filtered) = office
        .get(&format!(
            "/api/v1/projects?as_of={day0}&q=%E4%BA%8C%E6%9C%9F"
        ))
        .await;
    assert_eq!(filtered["total"], 0, "the name 二期 came later");
    let (_, paged) = office
        .get(&format!(
            "/api/v1/projects?as_of={day0}&per_page=1&page=2&sort=name"
        ))
        .await;
    assert_eq!(paged["total"], 2);
    assert_eq!(paged["items"].as_array().unwrap().len(), 1);

    // As of today: the change and the new project.
    let (_, now) = office.get(&format!("/api/v1/projects?as_of={today}")).await;
    assert_eq!(now["total"], 3);
    assert_eq!(now["totals"]["total_investment_yuan"], 3_507);

    // The data scope holds for history too.
    let staff = Api::new(&app, "staff").await;
    let (_, theirs) = staff.get(&format!("/api/v1/projects?as_of={day0}")).await;
    assert_eq!(theirs["total"], 1);
    assert_eq!(theirs["items"][0]["id"], ours_id);

    // A later day, or one that is not a day, is refused field by field in Chinese.
    let tomorrow = today.succ_opt().unwrap();
    let (status, refused) = office
        .get(&format!("/api/v1/projects?as_of={tomorrow}"))
        .await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(
        refused["error"]["fields"][0]["code"],
        "project.as_of.future"
    );
    assert_eq!(
        refused["error"]["fields"][0]["message"],
        "截至日期不能晚于今天。"
    );
    let (status, refused) = office.get("/api/v1/projects?as_of=2020-02-30").await;
    assert_eq!(status, 422);
    assert_eq!(
        refused["error"]["fields"][0]["code"],
        "project.as_of.invalid"
    );

    // One project as of a day; one created later was not there yet.
    let ctx = app.ctx_of("office").await;
    let detail = app
        .services
        .project_as_of(&ctx, ours_id, day0)
        .await
        .unwrap();
    assert_eq!(detail.row.name, "树兰医院");
    assert_eq!(detail.row.version, 1);
    let later_id = later["id"].as_i64().unwrap();
    let not_yet = app.services.project_as_of(&ctx, later_id, day0).await;
    assert!(
        matches!(&not_yet, Err(ServiceError::Invalid(f)) if f.0[0].message == "project.as_of.not_yet"),
        "{not_yet:?}"
    );

    // The export of that ledger, titled with the day and audited with it.
    let bytes = app
        .services
        .export_projects_as_of(&ctx, &ProjectQuery::default(), day0)
        .await
        .unwrap();
    let sheet = format!("{:?}", read_sheet(&bytes, None).unwrap());
    assert!(
        sheet.contains(&format!("测试区重点项目台账（截至 {day0}）")),
        "{sheet}"
    );
    assert!(sheet.contains("树兰医院") && !sheet.contains("二期") && !sheet.contains("新签项目"));
    let filter = AuditFilter {
        action_prefix: Some("project.export".into()),
        ..AuditFilter::default()
    };
    let (records, _) = app.services.store.audit_page(&filter, 0, 10).await.unwrap();
    let as_of = records[0]
        .changes()
        .into_iter()
        .find(|c| c.field == "as_of");
    assert_eq!(as_of.and_then(|c| c.after), Some(day0.to_string()));
}

async fn the_history_pages_are_read_only_under_a_banner(backend: Backend) {
    let app = spawn_app(backend).await;
    platform(&app, "国际医学科学中心").await;
    let office = Api::new(&app, "office").await;
    let ours = office
        .create(project("树兰医院", 1_000, "投资促进局"))
        .await;
    let id = ours["id"].as_i64().unwrap();
    let day0 = app.services.today();
    app.clock.advance(Duration::days(1));
    let (browser, _) = app.browser("office").await;

    let list = app.text(&browser, &format!("/projects?as_of={day0}")).await;
    assert!(
        list.contains(&format!("历史视图：截至 {day0} 的台账，只读")),
        "{list}"
    );
    assert!(
        !list.contains("data-testid=\"project-new\""),
        "no way to write"
    );
    assert!(list.contains(&format!("/projects/{id}?as_of={day0}")));
    assert!(list.contains(&format!("/projects/export.xlsx?as_of={day0}")));

    let page = app
        .text(&browser, &format!("/projects/{id}?as_of={day0}"))
        .await;
    assert!(page.contains("data-testid=\"history-banner\""), "{page}");
    assert!(page.contains("data-testid=\"history-note\""));
    assert!(!page.contains("data-testid=\"project-edit\""));
    assert!(
        app.text(&browser, &format!("/projects/{id}"))
            .await
            .contains("data-testid=\"project-edit\"")
    );

    let tomorrow = app.services.today().succ_opt().unwrap();
    let response = browser
        .get(app.url(&format!("/projects/{id}?as_of={tomorrow}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("截至日期不能晚于今天。")
    );
    let list = app.text(&browser, "/projects?as_of=2020-13-01").await;
    assert!(list.contains("截至日期格式应为 YYYY-MM-DD"), "{list}");

    let response = browser
        .get(app.url(&format!("/projects/export.xlsx?as_of={day0}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.unwrap();
    let sheet = format!("{:?}", read_sheet(&bytes, None).unwrap());
    assert!(sheet.contains(&format!("（截至 {day0}）")));
}

async fn the_battle_chart_shows_flags_by_month_and_exports(backend: Backend) {
    let app = spawn_app(backend).await;
    platform(&app, "国际医学科学中心").await;
    let office = Api::new(&app, "office").await;
    let mut body = project("树兰医院", 1_000, "投资促进局");
    body["dates"] = json!({
        "start": { "planned": "2020-03-31", "actual": "2020-04-02" },
        "completion": { "planned": "2020-05-31" },
    });
    office.create(body).await;
    office.create(project("街道项目", 500, "振兴街街道")).await;

    let (browser, _) = app.browser("staff").await;
    let page = app
        .text(&browser, "/projects/chart?from=2020-03&to=2020-06")
        .await;
    assert_eq!(
        page.matches("data-testid=\"chart-row\"").count(),
        1,
        "scope"
    );
    assert!(page.contains("2020年3月") && page.contains("2020年6月"));
    assert!(page.contains("data-testid=\"mark-planned\""), "{page}");
    assert!(page.contains("data-testid=\"mark-late\""));
    assert!(page.contains("data-testid=\"mark-overdue\""));
    assert!(page.contains("/static/chart.css"));
    let css = app.text(&browser, "/static/chart.css").await;
    assert!(css.contains("size: A3 landscape"));

    let refused = app
        .text(&browser, "/projects/chart?from=2020-06&to=2020-03")
        .await;
    assert!(refused.contains("截止月份不能早于起始月份。"));

    let response = browser
        .get(app.url("/projects/chart.xlsx?from=2020-03&to=2020-06"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let sheet = format!(
        "{:?}",
        read_sheet(&response.bytes().await.unwrap(), None).unwrap()
    );
    assert!(sheet.contains("⚑开工 04-02（逾期完成）"), "{sheet}");
    assert!(sheet.contains("⚠竣工 05-31（逾期未完成）"));
    assert!(!sheet.contains("街道项目"));
    let range = ChartRange::year_of(app.services.today());
    assert_eq!(range.months().len(), 12);
}

async fn the_command_line_exports_the_ledger_as_of_a_day(backend: Backend) {
    let app = spawn_app(backend).await;
    platform(&app, "国际医学科学中心").await;
    Api::new(&app, "office")
        .await
        .create(project("树兰医院", 1_000, "投资促进局"))
        .await;
    let today = app.services.today();
    let out = std::env::temp_dir().join(format!(
        "districtops-as-of-{}-{backend:?}.xlsx",
        std::process::id()
    ));
    let out = out.to_string_lossy().into_owned();
    let url = &app.database_url;

    let day = today.to_string();
    let exported = districtops(url, &["export", "projects", "--to", &out, "--as-of", &day]);
    assert!(exported.status.success(), "{exported:?}");
    let sheet = format!(
        "{:?}",
        read_sheet(&std::fs::read(&out).unwrap(), None).unwrap()
    );
    assert!(sheet.contains(&format!("（截至 {today}）")) && sheet.contains("树兰医院"));
    std::fs::remove_file(&out).ok();

    let ahead = districtops(
        url,
        &["export", "projects", "--to", &out, "--as-of", "2999-01-01"],
    );
    assert_eq!(ahead.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&ahead.stderr).contains("截至日期不能晚于今天。"));
    let malformed = districtops(
        url,
        &["export", "projects", "--to", &out, "--as-of", "2020-02-30"],
    );
    assert_eq!(malformed.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&malformed.stderr).contains("截至日期格式应为 YYYY-MM-DD"));
    assert!(!std::path::Path::new(&out).exists(), "nothing written");
}

on_both_backends!(
    the_command_line_exports_the_ledger_as_of_a_day,
    the_ledger_as_of_a_day_is_rebuilt_from_the_revisions,
    the_history_pages_are_read_only_under_a_banner,
    the_battle_chart_shows_flags_by_month_and_exports,
);
