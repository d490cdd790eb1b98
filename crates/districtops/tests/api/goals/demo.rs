//! The demo district's roadmap (`huaiyin-platforms.toml`) and targets (`huaiyin-kpis.toml`)
//! load through the goals service on both backends, onto platforms of the demo's names.

use super::named;
use crate::helpers::{on_both_backends, spawn_app};
use crate::projects::{Api, platform};
use districtops_store::Backend;
use serde_json::json;

async fn the_demo_roadmap_and_targets_load_through_the_service(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut ids = Vec::new();
    for name in [
        "济南国际医学科学中心",
        "央企和跨国公司北方总部基地",
        "济南槐荫经济开发区",
    ] {
        ids.push(platform(&app, name).await);
    }
    districtops::demo::goals::seed_goals(&app.services)
        .await
        .expect("the demo goals load");
    let leader = Api::new(&app, "leader").await;
    let (_, center) = leader
        .get(&format!("/api/v1/platforms/{}?year=2020", ids[0]))
        .await;
    let due: Vec<i64> = center["roadmap"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["target_year"].as_i64().unwrap())
        .collect();
    assert_eq!(due, [2020, 2022, 2027, 2032]);
    assert_eq!(center["roadmap"][0]["done"], true);
    let (_, base) = leader
        .get(&format!("/api/v1/platforms/{}?year=2020", ids[1]))
        .await;
    let stated = named(&base["kpis"], "年内引进央企项目");
    assert_eq!(
        (stated["target"].clone(), stated["illustrative"].clone()),
        (json!(5), json!(false))
    );
    let (_, cockpit) = leader.get("/api/v1/cockpit").await;
    let this_year = cockpit["kpis"].as_array().unwrap();
    assert!(this_year.len() >= 5, "{cockpit}");
    assert!(this_year.iter().all(|k| k["illustrative"] == true));
    let district = named(&cockpit["kpis"], "全区重点项目完成投资");
    assert_eq!(district["target"], 12_000_000_000_i64);
}

on_both_backends!(the_demo_roadmap_and_targets_load_through_the_service);
