//! Exact decimal text: the one grammar for numbers typed into cells and for money amounts.
//!
//! A number is kept as its digits, never as a float, so "127.38" stays 127.38 all the way
//! into the ledger.

/// A decimal number held as digits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Decimal {
    pub negative: bool,
    /// Integer digits without leading zeros ("" for a zero integer part).
    pub int: String,
    /// Fraction digits without trailing zeros.
    pub frac: String,
}

impl Decimal {
    /// Parses `[+|-]integer[.fraction]`. The integer part may group digits by commas in
    /// threes ("1,200", "12,345,678"); any other comma is refused, because "1,5" may be a
    /// European decimal comma and "1,2000" a typo, and guessing would change the amount.
    /// Either part may be empty, not both ("45." and ".5" are accepted, "." is not).
    pub fn parse(text: &str) -> Option<Self> {
        let (negative, body) = match text.as_bytes().first() {
            Some(b'-') => (true, &text[1..]),
            Some(b'+') => (false, &text[1..]),
            _ => (false, text),
        };
        let (int_text, frac_text) = body.split_once('.').unwrap_or((body, ""));
        if int_text.is_empty() && frac_text.is_empty() {
            return None;
        }
        if !frac_text.bytes().all(|b| b.is_ascii_digit()) || !valid_integer(int_text) {
            return None;
        }
        let int: String = int_text.chars().filter(|c| *c != ',').collect();
        let decimal = Self {
            negative,
            int: int.trim_start_matches('0').to_owned(),
            frac: frac_text.trim_end_matches('0').to_owned(),
        };
        Some(decimal.fix_zero())
    }

    /// The decimal text Excel shows for a number cell: at most 15 significant digits (what
    /// Excel keeps and displays), so the noise of binary floats ("0.30000000000000004",
    /// "127.38000000000001") is gone. `None` for NaN and infinities.
    pub fn from_f64(value: f64) -> Option<Self> {
        if !value.is_finite() {
            return None;
        }
        // "-1.27380000000000e2": 15 significant digits and a power of ten.
        let scientific = format!("{value:.14e}");
        let (mantissa, exponent) = scientific.split_once('e')?;
        let exponent: i64 = exponent.parse().ok()?;
        let negative = mantissa.starts_with('-');
        let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
        // The decimal point falls after `exponent + 1` of the digits.
        let point = exponent + 1;
        let (int, frac) = if point <= 0 {
            let zeros = "0".repeat(usize::try_from(-point).ok()?);
            (String::new(), format!("{zeros}{digits}"))
        } else {
            let point = usize::try_from(point).ok()?;
            if point >= digits.len() {
                (format!("{digits:0<point$}"), String::new())
            } else {
                (digits[..point].to_owned(), digits[point..].to_owned())
            }
        };
        let decimal = Self {
            negative,
            int: int.trim_start_matches('0').to_owned(),
            frac: frac.trim_end_matches('0').to_owned(),
        };
        Some(decimal.fix_zero())
    }

    pub fn is_zero(&self) -> bool {
        self.int.is_empty() && self.frac.is_empty()
    }

    /// Multiplies by `10^places`, exactly: "6.5" shifted by 4 is "65000".
    pub fn shifted(&self, places: usize) -> Self {
        let moved = places.min(self.frac.len());
        let mut int = format!("{}{}", self.int, &self.frac[..moved]);
        int.extend(std::iter::repeat_n('0', places - moved));
        let decimal = Self {
            negative: self.negative,
            int: int.trim_start_matches('0').to_owned(),
            frac: self.frac[moved..].to_owned(),
        };
        decimal.fix_zero()
    }

    /// `value / 10^places`, exactly: (12_345_678, 4) is 1234.5678.
    pub fn from_scaled(value: i128, places: usize) -> Self {
        let digits = format!("{:0>width$}", value.unsigned_abs(), width = places + 1);
        let (int, frac) = digits.split_at(digits.len() - places);
        let decimal = Self {
            negative: value < 0,
            int: int.trim_start_matches('0').to_owned(),
            frac: frac.trim_end_matches('0').to_owned(),
        };
        decimal.fix_zero()
    }

    /// The canonical text: no grouping, no leading or trailing zeros, no "-0" ("1200",
    /// "127.38", "-0.5", "0").
    pub fn canonical(&self) -> String {
        self.text(false)
    }

    /// The canonical text with commas grouping the integer digits in threes: "1,234.5678".
    pub fn grouped(&self) -> String {
        self.text(true)
    }

    fn text(&self, grouping: bool) -> String {
        let mut text = String::from(if self.negative { "-" } else { "" });
        let int = if self.int.is_empty() { "0" } else { &self.int };
        for (i, c) in int.chars().enumerate() {
            if grouping && i > 0 && (int.len() - i) % 3 == 0 {
                text.push(',');
            }
            text.push(c);
        }
        if !self.frac.is_empty() {
            text.push('.');
            text.push_str(&self.frac);
        }
        text
    }

    /// Zero has no sign.
    fn fix_zero(mut self) -> Self {
        if self.is_zero() {
            self.negative = false;
        }
        self
    }
}

/// Digits, optionally grouped by commas in threes; the empty string is allowed (".5").
fn valid_integer(text: &str) -> bool {
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !text.contains(',') {
        return all_digits(text);
    }
    let mut groups = text.split(',');
    let first = groups.next().unwrap_or_default();
    (1..=3).contains(&first.len())
        && all_digits(first)
        && groups.all(|group| group.len() == 3 && all_digits(group))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn canonical(text: &str) -> Option<String> {
        Decimal::parse(text).map(|d| d.canonical())
    }

    #[test]
    fn parses_plain_grouped_and_signed_decimals() {
        assert_eq!(canonical("45").as_deref(), Some("45"));
        assert_eq!(canonical("45.50").as_deref(), Some("45.5"));
        assert_eq!(canonical("1,200.0001").as_deref(), Some("1200.0001"));
        assert_eq!(canonical("12,345,678").as_deref(), Some("12345678"));
        assert_eq!(canonical("007").as_deref(), Some("7"));
        assert_eq!(canonical("-3.2").as_deref(), Some("-3.2"));
        assert_eq!(canonical("+3").as_deref(), Some("3"));
        assert_eq!(canonical("-0.000").as_deref(), Some("0"));
        assert_eq!(canonical(".5").as_deref(), Some("0.5"));
        assert_eq!(canonical("45.").as_deref(), Some("45"));
    }

    #[test]
    fn refuses_what_is_not_one_decimal() {
        for bad in [
            "", ".", "-", "+", "--5", "+-5", "1.2.3", "abc", "1,5", "1,2000", ",100", "1,,000",
            "1,000,00", "1.000,5", " 1", "1 ", "1e5", "0x10", "1_000", "١٢",
        ] {
            assert_eq!(Decimal::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn float_cells_lose_their_binary_noise() {
        let text = |v: f64| Decimal::from_f64(v).unwrap().canonical();
        assert_eq!(text(127.38), "127.38");
        assert_eq!(text(0.1 + 0.2), "0.3");
        assert_eq!(text(127.380_000_000_000_01), "127.38");
        assert_eq!(text(1e6), "1000000");
        assert_eq!(text(1e21), "1000000000000000000000");
        assert_eq!(text(0.000_012_5), "0.0000125");
        assert_eq!(text(-45.5), "-45.5");
        assert_eq!(text(-0.0), "0");
        assert_eq!(text(0.0), "0");
        assert_eq!(text(20_200_402.0), "20200402");
        assert_eq!(Decimal::from_f64(f64::NAN), None);
        assert_eq!(Decimal::from_f64(f64::INFINITY), None);
    }

    #[test]
    fn shifting_multiplies_by_powers_of_ten() {
        let shift = |t: &str, n| Decimal::parse(t).unwrap().shifted(n).canonical();
        assert_eq!(shift("6.5", 4), "65000");
        assert_eq!(shift("127.38", 8), "12738000000");
        assert_eq!(shift("1.234567", 4), "12345.67");
        assert_eq!(shift("0.0001", 4), "1");
        assert_eq!(shift("0.00001", 4), "0.1");
        assert_eq!(shift("-0.5", 0), "-0.5");
        assert_eq!(shift("0", 8), "0");
    }

    #[test]
    fn scaled_integers_print_exactly() {
        let scaled = |v, places| Decimal::from_scaled(v, places);
        assert_eq!(scaled(12_345_678, 4).grouped(), "1,234.5678");
        assert_eq!(scaled(12_345_678, 4).canonical(), "1234.5678");
        assert_eq!(scaled(-5_000, 4).canonical(), "-0.5");
        assert_eq!(scaled(1, 8).canonical(), "0.00000001");
        assert_eq!(scaled(0, 8).grouped(), "0");
        assert_eq!(scaled(-999_000, 0).grouped(), "-999,000");
        assert_eq!(scaled(i128::MIN, 0).canonical(), i128::MIN.to_string());
    }

    proptest! {
        #[test]
        fn scaled_integers_parse_back(value in any::<i64>(), places in 0usize..12) {
            let decimal = Decimal::from_scaled(i128::from(value), places);
            prop_assert_eq!(Decimal::parse(&decimal.grouped()), Some(decimal.clone()));
            prop_assert_eq!(decimal.shifted(places).canonical(), value.to_string());
        }

        #[test]
        fn canonical_text_parses_back_to_itself(text in "[+-]?[0-9]{0,6}(\\.[0-9]{0,6})?") {
            if let Some(decimal) = Decimal::parse(&text) {
                let canonical = decimal.canonical();
                prop_assert_eq!(Decimal::parse(&canonical), Some(decimal));
            }
        }

        #[test]
        fn integers_and_their_grouping_agree(n in any::<u64>()) {
            let plain = n.to_string();
            let mut grouped = String::new();
            for (i, c) in plain.chars().enumerate() {
                if i > 0 && (plain.len() - i) % 3 == 0 {
                    grouped.push(',');
                }
                grouped.push(c);
            }
            prop_assert_eq!(canonical(&grouped), Some(plain.clone()));
            prop_assert_eq!(canonical(&plain), Some(plain));
        }

        #[test]
        fn short_floats_keep_their_decimal_text(int in 0u32..1_000_000, frac in 0u32..10_000) {
            let text = format!("{int}.{frac:04}");
            let value: f64 = text.parse().unwrap();
            prop_assert_eq!(Decimal::from_f64(value).map(|d| d.canonical()), canonical(&text));
        }
    }
}
