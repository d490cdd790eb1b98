//! Tests of exact money: parsing, arithmetic and display.
use super::*;
use MoneyUnit::{Wan, Yi, Yuan};
use proptest::prelude::*;

fn yuan(n: i64) -> Money {
    Money::from_yuan(n)
}

#[test]
fn units() {
    assert_eq!(
        (Wan.yuan_per_unit(), Yi.yuan_per_unit()),
        (10_000, 100_000_000)
    );
    for (text, unit) in [("元", Yuan), ("万", Wan), ("万元", Wan), (" 亿 ", Yi)] {
        assert_eq!(MoneyUnit::parse(text), Some(unit), "{text:?}");
    }
    for (text, unit) in [("亿元", Yi), ("（万元）", Wan), ("( 亿元 )", Yi)] {
        assert_eq!(MoneyUnit::parse(text), Some(unit), "{text:?}");
    }
    for text in ["", "亩", "万万", "千元", "(万元", "人民币万元", "yuan"] {
        assert_eq!(MoneyUnit::parse(text), None, "{text:?}");
    }
}

#[test]
fn constructors_and_arithmetic() {
    assert_eq!(Money::from_wan(45), Some(yuan(450_000)));
    assert_eq!(Money::from_yi(2), Some(yuan(200_000_000)));
    assert_eq!(Money::from_wan(i64::MAX / 1000), None);
    assert_eq!(yuan(5).checked_add(yuan(7)), Some(yuan(12)));
    assert_eq!(yuan(5).checked_sub(yuan(7)), Some(yuan(-2)));
    assert_eq!(yuan(i64::MAX).checked_add(yuan(1)), None);
    assert_eq!(yuan(i64::MIN).checked_sub(yuan(1)), None);
    assert_eq!(Money::try_sum([yuan(1), yuan(2), yuan(3)]), Some(yuan(6)));
    assert_eq!(Money::try_sum([]), Some(Money::ZERO));
    assert_eq!(Money::try_sum([yuan(i64::MAX), yuan(1), yuan(-5)]), None);
    assert!(yuan(-1) < Money::ZERO && Money::ZERO.is_zero() && yuan(-1).is_negative());
    use serde::de::{IntoDeserializer, value::Error};
    let de = IntoDeserializer::<Error>::into_deserializer(12_345_678_i64);
    assert_eq!(Money::deserialize(de), Ok(yuan(12_345_678)));
}

#[test]
fn parses_exact_decimals() {
    for (text, unit, expected) in [
        ("45", Wan, 450_000),
        ("45.5", Wan, 455_000),
        (" 1,200.0001 ", Wan, 12_000_001),
        ("-0", Wan, 0),
        ("1.23450", Wan, 12_345),
        ("127.38", Yi, 12_738_000_000),
        ("0.00000001", Yi, 1),
        ("8,000", Yuan, 8000),
        ("8000.00", Yuan, 8000),
    ] {
        assert_eq!(
            Money::parse_decimal(text, unit),
            Ok(yuan(expected)),
            "{text:?}"
        );
    }
    let signed = |t: &str| Money::parse_signed_decimal(t, Yuan);
    assert_eq!(signed("-9223372036854775808"), Ok(yuan(i64::MIN)));
    assert_eq!(signed("-9223372036854775809"), Err(MoneyError::Overflow));
    assert_eq!(Money::parse_signed_decimal("-3.2", Wan), Ok(yuan(-32_000)));
}

#[test]
fn refuses_with_the_reason() {
    for (text, unit, error) in [
        ("-3.2", Wan, MoneyError::Negative),
        ("1.23456", Wan, MoneyError::TooPrecise),
        ("8000.5", Yuan, MoneyError::TooPrecise),
        ("922337203685477.5808", Wan, MoneyError::Overflow),
        (
            "99999999999999999999999999999999999999999",
            Yuan,
            MoneyError::Overflow,
        ),
    ] {
        assert_eq!(Money::parse_decimal(text, unit), Err(error), "{text:?}");
    }
    for bad in ["", "abc", "1.2.3", "--5", "1,5", "45万", "1e3", "４５"] {
        assert_eq!(
            Money::parse_decimal(bad, Wan),
            Err(MoneyError::Invalid),
            "{bad:?}"
        );
    }
    assert_eq!(MoneyError::TooPrecise.message_key(), "money.too_precise");
    assert_eq!(MoneyError::Overflow.to_string(), "money.overflow");
}

#[test]
fn formats_exactly() {
    for (n, text) in [
        (12_345_678, "1,234.5678 万元"),
        (4_500_000, "450 万元"),
        (5_000, "0.5 万元"),
        (0, "0 万元"),
        (-12_345_678, "-1,234.5678 万元"),
    ] {
        assert_eq!(yuan(n).format_wan(), text);
    }
    assert_eq!(yuan(12_738_000_000).format_yi(), "127.38 亿元");
    assert_eq!(yuan(123_456_789_000_000).format_yi(), "1,234,567.89 亿元");
    assert_eq!(yuan(1_234).format_in(Yuan), "1,234 元");
    assert_eq!(yuan(12_345_678).to_decimal_text(Wan), "1234.5678");
    let min = "-9,223,372,036,854,775,808";
    assert_eq!(yuan(i64::MIN).format_number(Yuan), min);
    assert_eq!(yuan(100_000_000).display_best(), "1 亿元");
    assert_eq!(yuan(99_999_999).display_best(), "9,999.9999 万元");
    assert_eq!(yuan(-250_000_000).display_best(), "-2.5 亿元");
}

#[test]
fn rounds_half_away_from_zero() {
    let yi2 = |n| yuan(n).format_rounded(Yi, 2);
    assert_eq!(yi2(12_738_456_789), "127.38 亿元");
    assert_eq!(yi2(12_738_500_000), "127.39 亿元");
    assert_eq!(yi2(-12_738_500_000), "-127.39 亿元");
    assert_eq!(yi2(12_770_000_000), "127.7 亿元");
    assert_eq!(yi2(i64::MAX), "92,233,720,368.55 亿元");
    assert_eq!(yuan(12_345).format_rounded(Wan, 9), "1.2345 万元");
    assert_eq!(yuan(15_000).format_rounded(Wan, 0), "2 万元");
}

proptest! {
    #[test]
    fn decimal_text_round_trips(n in any::<i64>(), unit in prop::sample::select(vec![Yuan, Wan, Yi])) {
        let money = yuan(n);
        let text = money.to_decimal_text(unit);
        prop_assert_eq!(Money::parse_signed_decimal(&text, unit), Ok(money));
        let grouped = money.format_number(unit);
        prop_assert_eq!(Money::parse_signed_decimal(&grouped, unit), Ok(money));
        let expected = if n < 0 { Err(MoneyError::Negative) } else { Ok(money) };
        prop_assert_eq!(Money::parse_decimal(&text, unit), expected);
    }

    #[test]
    fn parsing_agrees_with_integer_arithmetic(int in 0i64..1_000_000_000, frac in 0i64..10_000) {
        let text = format!("{int}.{frac:04}");
        prop_assert_eq!(Money::parse_decimal(&text, Wan), Ok(yuan(int * 10_000 + frac)));
    }

    #[test]
    fn try_sum_is_exact_or_none(amounts in prop::collection::vec(any::<i64>(), 0..8)) {
        let mut running = 0i128;
        let mut fits = true;
        for &n in &amounts {
            running += i128::from(n);
            fits &= i64::try_from(running).is_ok();
        }
        let total = Money::try_sum(amounts.iter().map(|&n| yuan(n)));
        prop_assert_eq!(total.map(|m| i128::from(m.yuan())), fits.then_some(running));
    }
}
