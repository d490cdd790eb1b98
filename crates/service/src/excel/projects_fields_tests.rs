//! Header names, synonyms and units.

use super::*;
use proptest::prelude::*;

#[test]
fn headers_with_units() {
    let money = |u| Some(HeaderUnit::Money(u));
    for (raw, key, unit) in [
        ("总投资(亿元)", "总投资", money(MoneyUnit::Yi)),
        ("总投资（万元）", "总投资", money(MoneyUnit::Wan)),
        ("总投资\n（万元）", "总投资", money(MoneyUnit::Wan)),
        (
            "建筑面积(万平方米)",
            "建筑面积",
            Some(HeaderUnit::SquareMetres(10_000)),
        ),
        (
            "建筑面积（㎡）",
            "建筑面积",
            Some(HeaderUnit::SquareMetres(1)),
        ),
        ("占地(亩)", "占地", Some(HeaderUnit::Mu)),
        ("占地面积亩", "占地面积", Some(HeaderUnit::Mu)),
        ("用地面积（公顷）", "用地面积", Some(HeaderUnit::Hectare)),
        ("计划开工时间", "计划开工", None),
        (" 项 目 名 称 ", "项目名称", None),
        ("*项目名称", "项目名称", None),
        ("备注", "备注", None),
    ] {
        assert_eq!(split_header(raw), (key.to_owned(), unit), "{raw:?}");
    }
}

#[test]
fn every_field_has_a_header_that_resolves_to_it() {
    for (field, names) in SYNONYMS {
        assert_eq!(resolve_header(None, field.header()).unwrap().0, *field);
        for name in *names {
            assert_eq!(field_for_key(name), Some(*field), "{name}");
        }
    }
}

#[test]
fn two_row_headers_combine() {
    let yi = Some(HeaderUnit::Money(MoneyUnit::Yi));
    assert_eq!(
        resolve_header(Some("投资（亿元）"), "总投资"),
        Some((TotalInvestment, yi))
    );
    assert_eq!(
        resolve_header(Some("投资（亿元）"), "已完成"),
        Some((CompletedInvestment, yi))
    );
    assert_eq!(
        resolve_header(Some("开工时间"), "计划"),
        Some((StartPlanned, None))
    );
    assert_eq!(
        resolve_header(Some("开工时间"), "实际"),
        Some((StartActual, None))
    );
    assert_eq!(
        resolve_header(Some("项目名称"), "项目名称"),
        Some((Name, None))
    );
    assert_eq!(resolve_header(Some("投资"), "联系电话"), None);
}

proptest! {
    /// Full-width forms, spaces and line breaks, bracket styles and a time suffix never
    /// change which field a header names.
    #[test]
    fn header_spellings_normalise(
        index in 0..SYNONYMS.len(),
        spaces in prop::collection::vec(prop::sample::select(vec!["", " ", "\u{3000}", "\n"]), 3),
        bracket in prop::sample::select(vec![("(", ")"), ("（", "）"), ("【", "】")]),
    ) {
        let (field, names) = SYNONYMS[index];
        let name = names[0];
        let mut chars = name.chars();
        let first: String = chars.next().into_iter().collect();
        let rest: String = chars.collect();
        let unit = match default_unit(field) {
            Some(HeaderUnit::Money(_)) => "万元",
            Some(HeaderUnit::SquareMetres(_)) => "平方米",
            Some(_) => "亩",
            None => "",
        };
        let raw = if unit.is_empty() {
            format!("{}{first}{}{rest}{}", spaces[0], spaces[1], spaces[2])
        } else {
            format!("{}{first}{}{rest}{}{unit}{}", spaces[0], spaces[1], bracket.0, bracket.1)
        };
        let resolved = resolve_header(None, &raw);
        prop_assert_eq!(resolved.map(|r| r.0), Some(field));
        prop_assert_eq!(resolved.and_then(|r| r.1), if unit.is_empty() { None } else { default_unit(field) });
    }
}
