//! Values of ledger cells that are not plain numbers or dates: stage and kind labels, areas
//! in their units, and the helpers the import preview needs to compare a row with a project.

use chrono::NaiveDate;
use districtops_domain::cells::normalize_text;
use districtops_domain::money::{Money, MoneyUnit};
use districtops_domain::projects::{Colour, ProjectDraft, ProjectKind, Stage};

/// The stage a cell names: a code ("under_construction") or a Chinese label with its usual
/// synonyms (在建 is 开工, 封顶 is 主体完工, 运营 and 投产 are 投用).
pub fn parse_stage(raw: &str) -> Option<Stage> {
    let text = normalize_text(raw).replace(' ', "");
    if let Ok(stage) = Stage::parse(&text.to_ascii_lowercase()) {
        return Some(stage);
    }
    let text = text.strip_prefix("已").unwrap_or(&text);
    Some(match text {
        "储备" | "谋划" | "前期" | "拟建" | "洽谈" | "在谈" | "储备项目" => {
            Stage::Pipeline
        }
        "签约" | "签约项目" => Stage::Signed,
        "开工" | "在建" | "施工" | "建设中" | "新开工" | "续建" | "在建项目" => {
            Stage::UnderConstruction
        }
        "主体完工" | "封顶" | "主体封顶" | "主体竣工" => Stage::StructureDone,
        "竣工" | "完工" | "竣工验收" | "建成" => Stage::Completed,
        "投用" | "运营" | "投产" | "投入使用" | "运行" | "开业" | "投运" => {
            Stage::InOperation
        }
        _ => return None,
    })
}

/// The Chinese label the export writes for a stage (the zh-CN catalog's words).
pub fn stage_label(stage: Stage) -> &'static str {
    match stage {
        Stage::Pipeline => "储备",
        Stage::Signed => "签约",
        Stage::UnderConstruction => "开工",
        Stage::StructureDone => "主体完工",
        Stage::Completed => "竣工",
        Stage::InOperation => "投用",
    }
}

/// The kind a cell names: a code ("medical") or a Chinese label with its synonyms.
pub fn parse_kind(raw: &str) -> Option<ProjectKind> {
    let text = normalize_text(raw).replace(' ', "");
    if let Ok(kind) = ProjectKind::parse(&text.to_ascii_lowercase()) {
        return Some(kind);
    }
    let text = text.strip_suffix("类").unwrap_or(&text);
    Some(match text {
        "医疗卫生" | "医疗" | "卫生" | "医疗健康" | "医院" => ProjectKind::Medical,
        "总部经济" | "总部" | "总部项目" => ProjectKind::Headquarters,
        "产业项目" | "产业" | "工业" | "制造业" | "工业项目" => {
            ProjectKind::Industrial
        }
        "科研平台" | "科研" | "研发平台" | "创新平台" | "科技创新" => {
            ProjectKind::ResearchPlatform
        }
        "基础设施" | "基建" | "市政" | "城建" | "基础设施项目" => {
            ProjectKind::Infrastructure
        }
        "教育" | "学校" | "教育项目" => ProjectKind::Education,
        "其他" | "其它" => ProjectKind::Other,
        _ => return None,
    })
}

/// The Chinese label the export writes for a kind (the zh-CN catalog's words).
pub fn kind_label(kind: ProjectKind) -> &'static str {
    match kind {
        ProjectKind::Medical => "医疗卫生",
        ProjectKind::Headquarters => "总部经济",
        ProjectKind::Industrial => "产业项目",
        ProjectKind::ResearchPlatform => "科研平台",
        ProjectKind::Infrastructure => "基础设施",
        ProjectKind::Education => "教育",
        ProjectKind::Other => "其他",
    }
}

/// The Chinese label of a status light.
pub fn colour_label(colour: Colour) -> &'static str {
    match colour {
        Colour::Green => "绿灯",
        Colour::Yellow => "黄灯",
        Colour::Red => "红灯",
    }
}

/// Multiplies exact decimal `digits` ("12.345", "-3") by `num / den` and rounds half away
/// from zero to a whole number: areas in their field's unit. `None` when it does not fit.
pub(crate) fn scale_round(digits: &str, num: i128, den: i128) -> Option<i64> {
    let (negative, body) = match digits.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, digits),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if frac.len() > 12
        || int.len() > 18
        || !(int.chars().chain(frac.chars())).all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let scale = 10_i128.pow(frac.len() as u32);
    let whole: i128 = format!("0{int}{frac}").parse().ok()?;
    let den = den.checked_mul(scale)?;
    let product = whole.checked_mul(num)?;
    let rounded = (product + den / 2) / den;
    let signed = if negative { -rounded } else { rounded };
    i64::try_from(signed).ok()
}

/// How an imported row is matched to a project already in the ledger: by its code when it
/// has one, else by platform and name together.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum MatchKey {
    Code(String),
    PlatformName { platform: String, name: String },
}

/// The key to match `draft` with: its code, else its platform and name (white space and
/// full-width forms normalised), else `None` (a row without a name matches nothing).
pub fn match_key(draft: &ProjectDraft) -> Option<MatchKey> {
    let clean = |t: &Option<String>| t.as_deref().map(normalize_text).filter(|t| !t.is_empty());
    if let Some(code) = clean(&draft.code) {
        return Some(MatchKey::Code(code));
    }
    Some(MatchKey::PlatformName {
        platform: clean(&draft.platform).unwrap_or_default(),
        name: clean(&draft.name)?,
    })
}

type Change = (&'static str, Option<String>, Option<String>);

/// The fields that differ between `old` and `new`, with both values as text (see
/// [`field_texts`]), in the order of the ledger's columns.
pub fn changed_fields(old: &ProjectDraft, new: &ProjectDraft) -> Vec<Change> {
    field_texts(old)
        .into_iter()
        .zip(field_texts(new))
        .filter(|((_, before), (_, after))| before != after)
        .map(|((field, before), (_, after))| (field, before, after))
        .collect()
}

/// Every field of a draft as text, named as `ProjectDraft::check` names them: money in 万元
/// ("1234.5678"), land in 亩 ("12.5"), dates as YYYY-MM-DD, kind and stage as codes.
pub fn field_texts(d: &ProjectDraft) -> Vec<(&'static str, Option<String>)> {
    let money = |m: Option<Money>| m.map(|m| m.to_decimal_text(MoneyUnit::Wan));
    let number = |v: Option<f64>| v.map(|v| v.to_string());
    let day = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    let k = &d.dates;
    vec![
        ("code", d.code.clone()),
        ("name", d.name.clone()),
        ("platform", d.platform.clone()),
        ("kind", d.kind.map(|k| k.as_str().to_owned())),
        ("stage", d.stage.map(|s| s.as_str().to_owned())),
        ("department", d.department.clone()),
        ("leader", d.leader.clone()),
        ("total_investment", money(d.total_investment)),
        ("completed_investment", money(d.completed_investment)),
        ("floor_area_m2", d.floor_area_m2.map(|a| a.to_string())),
        ("land_area", d.land_area.map(|a| land_text(a.0))),
        ("address", d.address.clone()),
        ("longitude", number(d.longitude)),
        ("latitude", number(d.latitude)),
        ("signing_planned", day(k.signing.planned)),
        ("signing_actual", day(k.signing.actual)),
        ("start_planned", day(k.start.planned)),
        ("start_actual", day(k.start.actual)),
        ("structure_planned", day(k.structure.planned)),
        ("structure_actual", day(k.structure.actual)),
        ("completion_planned", day(k.completion.planned)),
        ("completion_actual", day(k.completion.actual)),
        ("operation_planned", day(k.operation.planned)),
        ("operation_actual", day(k.operation.actual)),
        ("notes", d.notes.clone()),
    ]
}

/// Hundredths of a 亩 as decimal text: 1250 is "12.5".
fn land_text(hundredths: i64) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let abs = hundredths.unsigned_abs();
    let text = format!("{sign}{}.{:02}", abs / 100, abs % 100);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use districtops_domain::projects::LandArea;

    #[test]
    fn stages_from_labels_codes_and_synonyms() {
        for (raw, stage) in [
            ("储备", Stage::Pipeline),
            ("签约", Stage::Signed),
            ("已签约", Stage::Signed),
            ("开工", Stage::UnderConstruction),
            ("在建", Stage::UnderConstruction),
            ("主体完工", Stage::StructureDone),
            ("封顶", Stage::StructureDone),
            ("竣工", Stage::Completed),
            ("投用", Stage::InOperation),
            ("运营", Stage::InOperation),
            (" 在 建 ", Stage::UnderConstruction),
            ("under_construction", Stage::UnderConstruction),
            ("Signed", Stage::Signed),
        ] {
            assert_eq!(parse_stage(raw), Some(stage), "{raw}");
        }
        assert_eq!(parse_stage("暂停"), None);
        for stage in Stage::ALL {
            assert_eq!(parse_stage(stage_label(stage)), Some(stage));
        }
    }

    #[test]
    fn kinds_from_labels_codes_and_synonyms() {
        for kind in ProjectKind::ALL {
            assert_eq!(parse_kind(kind_label(kind)), Some(kind));
            assert_eq!(parse_kind(kind.as_str()), Some(kind));
        }
        assert_eq!(parse_kind("医疗类"), Some(ProjectKind::Medical));
        assert_eq!(parse_kind("工业"), Some(ProjectKind::Industrial));
        assert_eq!(parse_kind("商业"), None);
    }

    #[test]
    fn areas_scale_exactly_and_round_half_away() {
        assert_eq!(scale_round("12.5", 100, 1), Some(1250));
        assert_eq!(scale_round("1.23456", 10_000, 1), Some(12_346));
        assert_eq!(scale_round("0.00005", 10_000, 1), Some(1));
        assert_eq!(scale_round("-3.5", 1, 1), Some(-4));
        assert_eq!(scale_round("2", 1500, 1), Some(3000));
        assert_eq!(scale_round("666.67", 15, 100), Some(100));
        assert_eq!(scale_round("99999999999999999999", 1, 1), None);
        assert_eq!(scale_round("abc", 1, 1), None);
    }

    #[test]
    fn match_keys_prefer_the_code() {
        let mut draft = ProjectDraft {
            name: Some(" 树兰医院 ".into()),
            platform: Some("西部会展".into()),
            ..Default::default()
        };
        assert_eq!(
            match_key(&draft),
            Some(MatchKey::PlatformName {
                platform: "西部会展".into(),
                name: "树兰医院".into()
            })
        );
        draft.code = Some("ＨＹ－001".into());
        assert_eq!(match_key(&draft), Some(MatchKey::Code("HY-001".into())));
        assert_eq!(match_key(&ProjectDraft::default()), None);
    }

    #[test]
    fn changed_fields_lists_only_what_differs() {
        let old = ProjectDraft {
            name: Some("a".into()),
            total_investment: Money::from_wan(45),
            land_area: Some(LandArea(1250)),
            ..Default::default()
        };
        let mut new = old.clone();
        assert!(changed_fields(&old, &new).is_empty());
        new.total_investment = Money::from_yi(1);
        new.dates.start.actual = NaiveDate::from_ymd_opt(2024, 3, 1);
        new.land_area = None;
        assert_eq!(
            changed_fields(&old, &new),
            vec![
                ("total_investment", Some("45".into()), Some("10000".into())),
                ("land_area", Some("12.5".into()), None),
                ("start_actual", None, Some("2024-03-01".into())),
            ]
        );
    }
}
