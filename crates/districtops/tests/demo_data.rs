//! The demo district's key-project ledger (`demo/huaiyin-projects.xlsx`), read through the
//! same spreadsheet engine as a user's import, reproduces the facts of the 2020 report
//! (`/work/shared/seed/huaiyin-2020-article.txt`): 23 started projects at the medical science
//! center with 650万 m² and 648亿元 completed, and the development zone's 10 signed projects
//! of 127.38亿元. The ledger holds the investment completed by the end of 2019 and
//! `demo/huaiyin-progress.toml` the reports of 2020, which add up to the article's figure.
//! No database: only the files and the engine (`demo_cockpit.rs` loads the whole demo).

use chrono::NaiveDate;
use districtops_domain::money::Money;
use districtops_domain::projects::{ProjectDraft, Stage};
use districtops_service::excel::projects_import::{ImportPreview, RowOutcome, preview_projects};
use districtops_service::excel::safety::UploadLimits;
use std::collections::HashSet;

const XLSX: &[u8] = include_bytes!("../demo/huaiyin-projects.xlsx");
const FODS: &str = include_str!("../demo/huaiyin-projects.fods");
const PLATFORMS: &str = include_str!("../demo/huaiyin-platforms.toml");
const ORG: &str = include_str!("../demo/huaiyin-org.toml");

const MEDICAL_CENTER: &str = "济南国际医学科学中心";
const HQ_BASE: &str = "央企和跨国公司北方总部基地";
const DEV_ZONE: &str = "济南槐荫经济开发区";
const ILLUSTRATIVE: &str = "示例数据";

fn preview() -> ImportPreview {
    preview_projects(XLSX, None, &UploadLimits::default()).expect("the demo ledger reads")
}

fn drafts() -> Vec<ProjectDraft> {
    preview().drafts().cloned().collect()
}

fn on(drafts: &[ProjectDraft], platform: &str) -> Vec<ProjectDraft> {
    drafts
        .iter()
        .filter(|d| d.platform.as_deref() == Some(platform))
        .cloned()
        .collect()
}

fn total(amounts: impl IntoIterator<Item = Option<Money>>) -> Money {
    Money::try_sum(amounts.into_iter().map(|m| m.unwrap_or_default())).expect("fits")
}

fn named<'a>(drafts: &'a [ProjectDraft], name: &str) -> &'a ProjectDraft {
    drafts
        .iter()
        .find(|d| d.name.as_deref() == Some(name))
        .unwrap_or_else(|| panic!("{name} is in the demo ledger"))
}

fn day(text: &str) -> Option<NaiveDate> {
    Some(text.parse().expect("a date"))
}

#[test]
fn every_row_parses_and_every_column_is_known() {
    let preview = preview();
    let rejected: Vec<_> = preview
        .rows
        .iter()
        .filter(|r| matches!(r, RowOutcome::Rejected { .. }))
        .collect();
    assert!(rejected.is_empty(), "rejected rows: {rejected:#?}");
    assert!(
        preview.unknown_columns.is_empty(),
        "unknown columns: {:?}",
        preview.unknown_columns
    );
    let drafts = drafts();
    assert_eq!(drafts.len(), 39);
    let codes: HashSet<_> = drafts.iter().filter_map(|d| d.code.as_deref()).collect();
    assert_eq!(codes.len(), drafts.len(), "every project has its own code");
}

#[test]
fn the_medical_center_has_23_started_projects_of_650_wan_m2_and_648_yi() {
    let drafts = drafts();
    let center = on(&drafts, MEDICAL_CENTER);
    assert_eq!(center.len(), 23);
    let floor: i64 = center.iter().filter_map(|d| d.floor_area_m2).sum();
    assert_eq!(floor, 6_500_000);
    // The ledger's baseline (end of 2019) plus the reports of 2020.
    let progress = districtops::demo::progress::parse().expect("the progress file reads");
    let reported = Money::try_sum(progress.project.iter().map(|p| {
        assert!(
            center
                .iter()
                .any(|d| d.code.as_deref() == Some(p.code.as_str())),
            "{} is at the medical center",
            p.code
        );
        p.reported().expect("amounts in range")
    }))
    .unwrap();
    let baseline = total(center.iter().map(|d| d.completed_investment));
    assert_eq!(
        Money::try_sum([baseline, reported]).unwrap(),
        Money::from_yi(648).unwrap()
    );
    for draft in &center {
        assert!(
            draft.stage.is_some_and(|s| s >= Stage::UnderConstruction),
            "{:?} has started",
            draft.name
        );
        assert!(draft.total_investment.is_some() && draft.completed_investment.is_some());
    }
}

#[test]
fn the_named_projects_are_as_reported() {
    let drafts = drafts();
    for name in [
        "山东第一医科大学（一期）",
        "山东第一医科大学（二期）",
        "树兰（济南）医院",
        "国家健康医疗大数据北方中心",
        "质子临床研究中心",
    ] {
        assert_eq!(
            named(&drafts, name).platform.as_deref(),
            Some(MEDICAL_CENTER)
        );
    }
    // 主体已经完成.
    for name in ["国家健康医疗大数据北方中心", "质子临床研究中心"] {
        assert_eq!(
            named(&drafts, name).stage,
            Some(Stage::StructureDone),
            "{name}"
        );
    }
    assert!(
        named(&drafts, "质子临床研究中心")
            .notes
            .as_deref()
            .is_some_and(|n| n.contains("全国第一家"))
    );
    // 医科大学去年迎来首批师生: phase I in operation since 2019.
    let phase_one = named(&drafts, "山东第一医科大学（一期）");
    assert_eq!(phase_one.stage, Some(Stage::InOperation));
    assert_eq!(phase_one.dates.operation.actual, day("2019-09-01"));
    // The mass groundbreaking of 2020-04-02 was held at Shulan Hospital.
    let shulan = named(&drafts, "树兰（济南）医院");
    assert_eq!(shulan.dates.start.actual, day("2020-04-02"));
    assert!(
        shulan
            .notes
            .as_deref()
            .is_some_and(|n| n.contains("4月2日"))
    );
}

#[test]
fn the_development_zone_signed_10_projects_of_127_38_yi() {
    let drafts = drafts();
    let zone = on(&drafts, DEV_ZONE);
    let signed: Vec<_> = zone
        .iter()
        .filter(|d| d.stage == Some(Stage::Signed))
        .collect();
    assert_eq!(signed.len(), 10);
    assert_eq!(zone.len(), 10);
    // 127.38 亿元 is 1 273 800 万元.
    assert_eq!(
        total(signed.iter().map(|d| d.total_investment)),
        Money::from_wan(1_273_800).unwrap()
    );
    for draft in &signed {
        let signing = draft.dates.signing.actual.expect("a signing date");
        assert_eq!(signing, NaiveDate::from_ymd_opt(2020, 6, 18).unwrap());
    }
    let industries = ["半导体", "食品", "医疗物资", "直播"];
    for industry in industries {
        assert!(
            signed
                .iter()
                .any(|d| d.notes.as_deref().is_some_and(|n| n.contains(industry))),
            "an {industry} project"
        );
    }
}

#[test]
fn the_hq_base_has_the_named_soes() {
    let drafts = drafts();
    let base = on(&drafts, HQ_BASE);
    for soe in ["华润", "中铁", "中建", "国网", "国药"] {
        assert!(
            base.iter()
                .any(|d| d.name.as_deref().is_some_and(|n| n.starts_with(soe))),
            "a {soe} project"
        );
    }
    let hall = named(&drafts, "京沪会客厅“两展馆、两中心”");
    assert_eq!(hall.floor_area_m2, Some(5_000));
}

#[test]
fn every_project_is_in_the_district_and_marked_illustrative() {
    for draft in drafts() {
        let name = draft.name.clone().unwrap_or_default();
        let (lng, lat) = (draft.longitude.unwrap(), draft.latitude.unwrap());
        assert!((116.83..=116.98).contains(&lng), "{name}: {lng}");
        assert!((36.60..=36.72).contains(&lat), "{name}: {lat}");
        if draft.platform.as_deref() == Some(MEDICAL_CENTER) {
            assert!((116.84..=116.90).contains(&lng), "{name}: {lng}");
            assert!((36.63..=36.68).contains(&lat), "{name}: {lat}");
        }
        // The report gives totals, not the parts: every row says which of its figures
        // are invented.
        assert!(
            draft
                .notes
                .as_deref()
                .is_some_and(|n| n.contains(ILLUSTRATIVE)),
            "{name}"
        );
        // ... and its 示例 column says 是, so the project is stored as illustrative.
        assert!(draft.illustrative, "{name}: 示例 column");
    }
}

#[test]
fn platforms_departments_and_leaders_are_those_of_the_demo() {
    let platforms: toml::Table = toml::from_str(PLATFORMS).unwrap();
    let platform_names: HashSet<&str> = platforms["platform"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        platform_names,
        HashSet::from([MEDICAL_CENTER, HQ_BASE, DEV_ZONE])
    );
    let center = platforms["platform"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"].as_str() == Some(MEDICAL_CENTER))
        .unwrap();
    assert_eq!(center["planned_area_km2_x100"].as_integer(), Some(4500));

    let org: toml::Table = toml::from_str(ORG).unwrap();
    let mut departments: HashSet<&str> = org["department"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    departments.insert(org["district"].as_str().unwrap());
    let people: HashSet<&str> = org["user"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    for draft in drafts() {
        let name = draft.name.clone().unwrap_or_default();
        assert!(platform_names.contains(draft.platform.as_deref().unwrap_or("")));
        assert!(
            departments.contains(draft.department.as_deref().unwrap_or("")),
            "{name}: {:?}",
            draft.department
        );
        assert!(
            people.contains(draft.leader.as_deref().unwrap_or("")),
            "{name}: {:?}",
            draft.leader
        );
    }
}

/// The committed xlsx is made from the committed fods (make-demo-data.sh): every project code
/// of the one is in the other.
#[test]
fn the_xlsx_is_not_older_than_its_source() {
    let drafts = drafts();
    let in_source = FODS.matches("<text:p>HY-").count();
    assert_eq!(in_source, drafts.len(), "run demo/make-demo-data.sh");
    for draft in &drafts {
        let code = draft.code.as_deref().unwrap();
        let name = draft.name.as_deref().unwrap();
        assert!(FODS.contains(&format!("<text:p>{code}</text:p>")), "{code}");
        assert!(FODS.contains(name), "{name}");
    }
}

#[test]
fn the_medical_center_has_its_four_phases() {
    let phases = districtops::demo::goals::roadmaps(PLATFORMS).expect("the roadmap reads");
    let center: Vec<_> = phases
        .iter()
        .filter(|p| p.platform == MEDICAL_CENTER)
        .collect();
    let shown: Vec<(&str, &str, &str, bool)> = center
        .iter()
        .map(|p| {
            let i = &p.input;
            (
                i.ordinal.as_str(),
                i.title.as_str(),
                i.target.as_str(),
                i.done,
            )
        })
        .collect();
    // “三年聚集资源、五年初具规模、十年国内领先、十五年国际引领”, from the center's start in 2017.
    assert_eq!(
        shown,
        [
            ("1", "三年聚集资源", "2020", true),
            ("2", "五年初具规模", "2022", false),
            ("3", "十年国内领先", "2027", false),
            ("4", "十五年国际引领", "2032", false),
        ]
    );
    assert_eq!(phases.len(), 4, "only the medical center states a roadmap");
}
