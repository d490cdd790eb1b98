//! Numbers in cells, kept exact: "127.38亿元", "1，200万", "2300余亩", "85%".

use super::text::normalize_text;
use super::{CellError, CellErrorKind, CellValue, Decimal};
use crate::money::{Money, MoneyError, MoneyUnit};

/// A number read from a cell, still as exact decimal text, with the unit written after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedNumber {
    /// Canonical decimal text: no grouping, no leading or trailing zeros ("1200", "127.38",
    /// "-3.2", "0").
    pub digits: String,
    /// The unit as written after the number, without white space: "亿元", "万", "万平方米",
    /// "亩", "%". `None` for a bare number and for number cells.
    pub unit_text: Option<String>,
    /// The text said the number is approximate ("约", "近", "逾", "超过", "余", "多", "左右").
    pub approximate: bool,
}

/// Words before a number that make it approximate, longest first.
const APPROX_PREFIXES: [&str; 7] = ["大约", "将近", "超过", "约", "近", "逾", "超"];
/// Magnitude words at the head of a unit, with their power of ten, longest first.
const MAGNITUDES: [(&str, usize); 5] =
    [("万亿", 12), ("千万", 7), ("百万", 6), ("亿", 8), ("万", 4)];

impl ParsedNumber {
    /// The unit is a percent sign ("85%": digits "85").
    pub fn is_percent(&self) -> bool {
        self.unit_text.as_deref() == Some("%")
    }

    /// Moves a magnitude word at the head of the unit into the digits, exactly: "650" with
    /// "万平方米" becomes "6500000" with "平方米"; "45" with "亿" becomes "4500000000" and no
    /// unit. The magnitudes are 万, 百万, 千万, 亿 and 万亿; anything else (千米, 千瓦) is
    /// a unit and stays.
    pub fn expand_magnitude(&self) -> ParsedNumber {
        let Some(unit) = self.unit_text.as_deref() else {
            return self.clone();
        };
        let Some((rest, places)) = MAGNITUDES
            .iter()
            .find_map(|(word, places)| unit.strip_prefix(word).map(|rest| (rest, *places)))
        else {
            return self.clone();
        };
        let digits = Decimal::parse(&self.digits)
            .map_or_else(|| self.digits.clone(), |d| d.shifted(places).canonical());
        ParsedNumber {
            digits,
            unit_text: (!rest.is_empty()).then(|| rest.to_owned()),
            approximate: self.approximate,
        }
    }

    /// The amount of money, in the unit written in the cell ("45亿", "1,200万元") or, for a
    /// bare number, in `default_unit` (the column's, from a header like "总投资（万元）").
    /// Any other unit ("%", "亩") is [`MoneyError::UnknownUnit`]. Whether an approximate
    /// amount is acceptable is the caller's rule.
    pub fn to_money(&self, default_unit: MoneyUnit) -> Result<Money, MoneyError> {
        let unit = match self.unit_text.as_deref() {
            None => default_unit,
            Some(text) => MoneyUnit::parse(text).ok_or(MoneyError::UnknownUnit)?,
        };
        Money::parse_decimal(&self.digits, unit)
    }
}

/// Reads a number from a cell.
///
/// Number cells give the number Excel shows (15 significant digits, so no float noise).
/// Text is normalised first ([`normalize_text`]: full-width digits and commas, spaces) and
/// then read as: an optional approximation word (约, 大约, 近, 将近, 逾, 超, 超过); a
/// decimal with an optional sign and commas grouping thousands ("1,200.5"; "1,5" and
/// "1,2000" are refused, see the grammar of `Decimal::parse`); and an optional unit, which
/// may start with 余 or 多 ("2300余亩"), carry it after a magnitude ("3万余平方米"), or end
/// in 左右 ("45亿元左右") — those words are dropped and mark the number approximate. The
/// unit is kept as written for the caller to check; it may not hold digits ("1.2.3",
/// "12-5" are refused). Dates, booleans and empty cells are refused.
pub fn parse_number(cell: &CellValue) -> Result<ParsedNumber, CellError> {
    let result = match cell {
        CellValue::Empty => Err(CellErrorKind::Empty),
        CellValue::Number(value) => Decimal::from_f64(*value)
            .map(|d| ParsedNumber {
                digits: d.canonical(),
                unit_text: None,
                approximate: false,
            })
            .ok_or(CellErrorKind::NumberInvalid),
        CellValue::Text(text) => parse_text(text),
        CellValue::Bool(_) | CellValue::DateTime(_) => Err(CellErrorKind::NumberInvalid),
    };
    result.map_err(|kind| CellError::new(kind, cell))
}

fn parse_text(raw: &str) -> Result<ParsedNumber, CellErrorKind> {
    let text = normalize_text(raw).replace('\u{2212}', "-");
    if text.is_empty() {
        return Err(CellErrorKind::Empty);
    }
    let mut approximate = false;
    let mut rest = text.as_str();
    if let Some(stripped) = APPROX_PREFIXES.iter().find_map(|p| rest.strip_prefix(p)) {
        approximate = true;
        rest = stripped.trim_start();
    }
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, ',' | '.' | '+' | '-')))
        .unwrap_or(rest.len());
    let decimal = Decimal::parse(&rest[..end]).ok_or(CellErrorKind::NumberInvalid)?;
    let mut unit: String = rest[end..].chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(stripped) = unit.strip_suffix("左右") {
        unit = stripped.to_owned();
        approximate = true;
    }
    // "余" or "多" right after the number ("2300余亩") or after its magnitude ("3万余平方米").
    let magnitude = MAGNITUDES
        .iter()
        .find(|(word, _)| unit.starts_with(word))
        .map_or("", |(word, _)| *word);
    if let Some(tail) = unit[magnitude.len()..].strip_prefix(['余', '多']) {
        unit = format!("{magnitude}{tail}");
        approximate = true;
    }
    if unit
        .chars()
        .any(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '+' | '-'))
    {
        return Err(CellErrorKind::NumberInvalid);
    }
    Ok(ParsedNumber {
        digits: decimal.canonical(),
        unit_text: (!unit.is_empty()).then_some(unit),
        approximate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn text(raw: &str) -> Result<ParsedNumber, CellErrorKind> {
        parse_number(&CellValue::Text(raw.to_owned())).map_err(|e| e.kind)
    }

    fn parsed(digits: &str, unit: Option<&str>, approximate: bool) -> ParsedNumber {
        ParsedNumber {
            digits: digits.to_owned(),
            unit_text: unit.map(str::to_owned),
            approximate,
        }
    }

    #[test]
    fn plain_and_grouped_numbers() {
        for (raw, digits) in [
            ("45", "45"),
            ("45.5", "45.5"),
            ("45.50", "45.5"),
            ("1,200", "1200"),
            ("1，200", "1200"),
            ("１２００", "1200"),
            ("１，２００．５", "1200.5"),
            (" 3 ", "3"),
            ("\u{3000}3\u{3000}", "3"),
            ("-3.2", "-3.2"),
            ("－3.2", "-3.2"),
            ("\u{2212}3.2", "-3.2"),
            ("0.000", "0"),
        ] {
            assert_eq!(text(raw), Ok(parsed(digits, None, false)), "{raw:?}");
        }
    }

    #[test]
    fn units_are_kept_as_written() {
        for (raw, digits, unit) in [
            ("45亿", "45", "亿"),
            ("1,200万", "1200", "万"),
            ("127.38亿元", "127.38", "亿元"),
            ("127.38 亿元", "127.38", "亿元"),
            ("650万平方米", "650", "万平方米"),
            ("45平方公里", "45", "平方公里"),
            ("85%", "85", "%"),
            ("85％", "85", "%"),
            ("3 万 元", "3", "万元"),
            ("12m²", "12", "m²"),
            ("8000元/平方米", "8000", "元/平方米"),
        ] {
            assert_eq!(text(raw), Ok(parsed(digits, Some(unit), false)), "{raw:?}");
        }
    }

    #[test]
    fn approximation_words_are_dropped_and_flagged() {
        for (raw, digits, unit) in [
            ("2300余亩", "2300", Some("亩")),
            ("2300多亩", "2300", Some("亩")),
            ("约45亿元", "45", Some("亿元")),
            ("大约 45亿元", "45", Some("亿元")),
            ("近2300亩", "2300", Some("亩")),
            ("将近2300亩", "2300", Some("亩")),
            ("逾10亿", "10", Some("亿")),
            ("超过10亿元", "10", Some("亿元")),
            ("3万余平方米", "3", Some("万平方米")),
            ("3亿多元", "3", Some("亿元")),
            ("45亿元左右", "45", Some("亿元")),
            ("100余", "100", None),
            ("约 100", "100", None),
        ] {
            assert_eq!(text(raw), Ok(parsed(digits, unit, true)), "{raw:?}");
        }
    }

    #[test]
    fn what_is_not_a_number_is_refused() {
        for raw in [
            "abc",
            "1.2.3",
            "--5",
            "-",
            ".",
            "1,5",
            "1,2000",
            "12-5",
            "45亿3千万",
            "约",
            "余100",
            "1e5",
            "亿元",
            "第3",
            "1 200",
        ] {
            assert_eq!(text(raw), Err(CellErrorKind::NumberInvalid), "{raw:?}");
        }
        assert_eq!(text(""), Err(CellErrorKind::Empty));
        assert_eq!(text(" \u{3000} "), Err(CellErrorKind::Empty));
        let error = parse_number(&CellValue::Text("1.2.3".into())).unwrap_err();
        assert_eq!(
            (error.message_key(), error.raw.as_str()),
            ("cell.number.invalid", "1.2.3")
        );
        for cell in [
            CellValue::Empty,
            CellValue::Bool(true),
            CellValue::DateTime(43_923.0),
            CellValue::Number(f64::NAN),
        ] {
            assert!(parse_number(&cell).is_err(), "{cell:?}");
        }
    }

    #[test]
    fn number_cells_have_no_float_noise() {
        let number = |v: f64| parse_number(&CellValue::Number(v)).unwrap().digits;
        assert_eq!(number(127.38), "127.38");
        assert_eq!(number(1e6), "1000000");
        assert_eq!(number(0.1 + 0.2), "0.3");
        assert_eq!(number(-45.0), "-45");
        assert_eq!(number(0.85), "0.85");
    }

    #[test]
    fn magnitudes_expand_exactly() {
        let expand = |raw: &str| text(raw).unwrap().expand_magnitude();
        assert_eq!(
            expand("650万平方米"),
            parsed("6500000", Some("平方米"), false)
        );
        assert_eq!(
            expand("127.38亿元"),
            parsed("12738000000", Some("元"), false)
        );
        assert_eq!(expand("45亿"), parsed("4500000000", None, false));
        assert_eq!(
            expand("1.5万亿元"),
            parsed("1500000000000", Some("元"), false)
        );
        assert_eq!(expand("3千万"), parsed("30000000", None, false));
        assert_eq!(expand("3万余平方米"), parsed("30000", Some("平方米"), true));
        assert_eq!(expand("45亩"), parsed("45", Some("亩"), false));
        assert_eq!(expand("45"), parsed("45", None, false));
    }

    #[test]
    fn money_from_cells() {
        let money = |raw: &str| text(raw).unwrap().to_money(MoneyUnit::Wan);
        assert_eq!(money("45"), Ok(Money::from_yuan(450_000)));
        assert_eq!(money("45亿"), Ok(Money::from_yuan(4_500_000_000)));
        assert_eq!(money("127.38亿元"), Ok(Money::from_yuan(12_738_000_000)));
        assert_eq!(money("1,200.0001万元"), Ok(Money::from_yuan(12_000_001)));
        assert_eq!(money("8000元"), Ok(Money::from_yuan(8000)));
        assert_eq!(money("1.23456"), Err(MoneyError::TooPrecise));
        assert_eq!(money("-3"), Err(MoneyError::Negative));
        assert_eq!(money("85%"), Err(MoneyError::UnknownUnit));
        assert_eq!(money("2300亩"), Err(MoneyError::UnknownUnit));
        let cell = parse_number(&CellValue::Number(127.38)).unwrap();
        assert_eq!(
            cell.to_money(MoneyUnit::Yi),
            Ok(Money::from_yuan(12_738_000_000))
        );
        assert!(text("85%").unwrap().is_percent());
    }

    proptest! {
        #[test]
        fn numbers_with_units_parse_back(
            int in 0u64..10_000_000,
            frac in 0u32..10_000,
            unit in prop::sample::select(vec!["", "万", "亿元", "万平方米", "亩", "%"]),
        ) {
            let text_form = format!("{int}.{frac:04}{unit}");
            let expected = Decimal::parse(&format!("{int}.{frac:04}")).unwrap().canonical();
            let got = text(&text_form).unwrap();
            prop_assert_eq!(&got.digits, &expected);
            prop_assert_eq!(got.unit_text.as_deref().unwrap_or(""), unit);
            prop_assert!(!got.approximate);
        }

        #[test]
        fn number_cells_match_their_text(int in 0u32..1_000_000, frac in 0u32..100) {
            let typed = format!("{int}.{frac:02}");
            let cell = parse_number(&CellValue::Number(typed.parse().unwrap())).unwrap();
            prop_assert_eq!(cell, text(&typed).unwrap());
        }

        #[test]
        fn digits_are_always_canonical(raw in any::<String>()) {
            if let Ok(number) = text(&raw) {
                let decimal = Decimal::parse(&number.digits).unwrap();
                prop_assert_eq!(decimal.canonical(), number.digits);
            }
        }
    }
}
