//! The battle map (挂图作战) through the JSON API and its page, on both backends: points are
//! the caller's scope and the ledger's filters, projects without coordinates are counted but
//! not drawn, and the district outline is served from the binary.

use crate::helpers::{on_both_backends, spawn_app};
use crate::projects::{Api, platform, project};
use districtops_store::Backend;
use serde_json::{Value, json};

fn located(name: &str, total: i64, department: &str, lng: f64, lat: f64) -> Value {
    let mut body = project(name, total, department);
    body["longitude"] = json!(lng);
    body["latitude"] = json!(lat);
    body
}

fn names(map: &Value) -> Vec<&str> {
    let mut names: Vec<&str> = map["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    names
}

async fn points_are_scoped_filtered_and_located(backend: Backend) {
    let app = spawn_app(backend).await;
    platform(&app, "国际医学科学中心").await;
    let office = Api::new(&app, "office").await;
    let hospital = office
        .create(located("医院", 300, "投资促进局", 116.93, 36.66))
        .await;
    let mut school = located("学校", 200, "投资促进局", 116.95, 36.67);
    school["stage"] = json!("signed");
    office.create(school).await;
    office
        .create(project("无坐标项目", 100, "投资促进局"))
        .await;
    office
        .create(located("街道项目", 1_000, "振兴街街道", 116.90, 36.65))
        .await;

    // District-wide: four projects, three drawn.
    let leader = Api::new(&app, "leader").await;
    let (status, map) = leader.get("/api/v1/projects/map").await;
    assert_eq!(status, 200, "{map}");
    assert_eq!(map["total"], 4);
    assert_eq!(map["located"], 3);
    assert_eq!(map["total_investment_yuan"], 1_600);
    assert_eq!(map["truncated"], false);
    assert_eq!(names(&map), ["医院", "学校", "街道项目"]);
    let point = map["points"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == hospital["id"])
        .unwrap();
    assert_eq!(point["lng"], 116.93);
    assert_eq!(point["lat"], 36.66);
    assert_eq!(point["stage"], "under_construction");
    assert_eq!(point["total_investment_yuan"], 300);
    assert_eq!(point["completed_investment_yuan"], 75);
    assert!(["green", "yellow", "red"].contains(&point["colour"].as_str().unwrap()));
    let by_colour = map["by_colour"].as_array().unwrap();
    let counted: i64 = by_colour.iter().map(|c| c["count"].as_i64().unwrap()).sum();
    let drawn: i64 = by_colour
        .iter()
        .map(|c| c["located"].as_i64().unwrap())
        .sum();
    assert_eq!((counted, drawn), (4, 3));

    // The bureau's staff see their bureau's projects only.
    let staff = Api::new(&app, "staff").await;
    let (_, map) = staff.get("/api/v1/projects/map").await;
    assert_eq!(map["total"], 3);
    assert_eq!(map["located"], 2);
    assert_eq!(names(&map), ["医院", "学校"]);

    // The ledger's filters apply; sort and paging parameters are ignored.
    let (_, map) = leader
        .get("/api/v1/projects/map?stage=signed&sort=name&page=3")
        .await;
    assert_eq!(
        (map["total"].clone(), names(&map)),
        (json!(1), vec!["学校"])
    );
    let (_, map) = leader
        .get("/api/v1/projects/map?q=%E6%97%A0%E5%9D%90%E6%A0%87")
        .await;
    assert_eq!(
        (map["total"].clone(), map["located"].clone()),
        (json!(1), json!(0))
    );
    assert!(names(&map).is_empty());
    assert_eq!(leader.get("/api/v1/projects/map?stage=bogus").await.0, 422);

    // Nobody reading business data, nothing to see.
    let auditor = Api::new(&app, "auditor").await;
    assert_eq!(auditor.get("/api/v1/projects/map").await.0, 403);

    // The page shows the same totals and carries the points; the outline is served.
    let (browser, _) = app.browser("staff").await;
    let page = app
        .text(&browser, "/projects/map?stage=under_construction")
        .await;
    assert!(page.contains(r#"data-testid="map-count">2<"#), "{page}");
    assert!(page.contains(r#"data-testid="map-located">1<"#));
    assert!(page.contains("医院") && !page.contains("街道项目"));
    let outline = app.json(&browser, "/static/vendor/district.json").await;
    assert_eq!(outline["features"][0]["properties"]["adcode"], 370104);
    let city = app.json(&browser, "/static/vendor/jinan.json").await;
    assert_eq!(city["features"].as_array().unwrap().len(), 12);
}

on_both_backends!(points_are_scoped_filtered_and_located);
