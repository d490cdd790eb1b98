//! Exact money: a whole number of 元, never a float.
//!
//! Ledgers of key projects count investment in 万元 and 亿元 with up to four decimals
//! ("1,234.5678 万元" is 12,345,678 元), so a count of 元 in an `i64` holds every amount
//! exactly (up to about 9.2 × 10^10 亿元). Amounts are parsed from decimal text and printed
//! back from integers: no step goes through `f64`.

use crate::cells::Decimal;
use serde::{Deserialize, Serialize};

/// The units amounts are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoneyUnit {
    Yuan,
    Wan,
    Yi,
}

impl MoneyUnit {
    /// The most decimal places an amount in the unit can have and still be whole 元.
    pub const fn decimals(self) -> usize {
        match self {
            Self::Yuan => 0,
            Self::Wan => 4,
            Self::Yi => 8,
        }
    }

    /// How many 元 one of the unit is: 1, 10 000, 100 000 000.
    pub const fn yuan_per_unit(self) -> i64 {
        10_i64.pow(self.decimals() as u32)
    }

    /// The unit as written in Chinese: "元", "万元", "亿元".
    pub const fn label(self) -> &'static str {
        match self {
            Self::Yuan => "元",
            Self::Wan => "万元",
            Self::Yi => "亿元",
        }
    }

    /// Reads 元, 万, 万元, 亿 or 亿元, ignoring surrounding spaces and one pair of brackets
    /// ("(万元)", "（万元）"). Other spellings (full-width letters, "人民币万元") are for the
    /// caller to normalise first (`cells::normalize_text`).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let text = [("(", ")"), ("（", "）")]
            .iter()
            .find_map(|(open, close)| text.strip_prefix(open)?.strip_suffix(close))
            .map_or(text, str::trim);
        match text {
            "元" => Some(Self::Yuan),
            "万" | "万元" => Some(Self::Wan),
            "亿" | "亿元" => Some(Self::Yi),
            _ => None,
        }
    }
}

/// Why an amount was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Not a decimal number.
    #[error("money.invalid")]
    Invalid,
    /// A negative amount where only amounts of zero or more make sense (investment).
    #[error("money.negative")]
    Negative,
    /// More decimals than whole 元 allow: "1.23456" 万元 is 12 345.6 元.
    #[error("money.too_precise")]
    TooPrecise,
    /// Beyond what the ledger can hold (about 9.2 × 10^10 亿元).
    #[error("money.overflow")]
    Overflow,
    /// A unit that is not a money unit ("亩", "%").
    #[error("money.unit_unknown")]
    UnknownUnit,
}

impl MoneyError {
    /// The catalog key of the message.
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::Invalid => "money.invalid",
            Self::Negative => "money.negative",
            Self::TooPrecise => "money.too_precise",
            Self::Overflow => "money.overflow",
            Self::UnknownUnit => "money.unit_unknown",
        }
    }
}

/// An amount of money in whole 元. Serialised as the integer count of 元.
///
/// It is signed, so differences (plan minus done) can be negative; amounts typed in by
/// people go through [`Money::parse_decimal`], which refuses negatives.
///
/// There is no `Sum`: a total that saturated or wrapped would print as a plausible wrong
/// number, so totals use [`Money::try_sum`], which says when the total does not fit.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_yuan(yuan: i64) -> Self {
        Self(yuan)
    }

    /// `wan` 万元; `None` when it does not fit.
    pub fn from_wan(wan: i64) -> Option<Self> {
        Self::from_units(wan, MoneyUnit::Wan)
    }

    /// `yi` 亿元; `None` when it does not fit.
    pub fn from_yi(yi: i64) -> Option<Self> {
        Self::from_units(yi, MoneyUnit::Yi)
    }

    /// `count` of `unit`; `None` when it does not fit.
    pub fn from_units(count: i64, unit: MoneyUnit) -> Option<Self> {
        count.checked_mul(unit.yuan_per_unit()).map(Self)
    }

    /// The amount in 元.
    pub const fn yuan(self) -> i64 {
        self.0
    }

    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Self)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Self)
    }

    /// The total, or `None` when it does not fit (never a saturated or wrapped total).
    pub fn try_sum<I: IntoIterator<Item = Money>>(amounts: I) -> Option<Money> {
        amounts
            .into_iter()
            .try_fold(Money::ZERO, |total, amount| total.checked_add(amount))
    }

    /// Reads an amount of zero or more from decimal text in `unit`: "45", "45.5", "127.38",
    /// "1,200.0001" (commas only in threes), surrounding spaces allowed. Refuses negatives
    /// ([`MoneyError::Negative`]: investment is never negative), decimals finer than 1 元
    /// ([`MoneyError::TooPrecise`]: "1.23456" 万), and amounts that do not fit.
    pub fn parse_decimal(text: &str, unit: MoneyUnit) -> Result<Money, MoneyError> {
        let money = Self::parse_signed_decimal(text, unit)?;
        if money.is_negative() {
            return Err(MoneyError::Negative);
        }
        Ok(money)
    }

    /// Like [`Money::parse_decimal`], and accepts negative amounts ("-3.2"), for
    /// adjustments and differences.
    pub fn parse_signed_decimal(text: &str, unit: MoneyUnit) -> Result<Money, MoneyError> {
        let decimal = Decimal::parse(text.trim()).ok_or(MoneyError::Invalid)?;
        if decimal.frac.len() > unit.decimals() {
            return Err(MoneyError::TooPrecise);
        }
        // Shifting by the unit's decimals gives whole 元: the fraction was short enough.
        let yuan = decimal.shifted(unit.decimals());
        let magnitude: i128 = match yuan.int.as_str() {
            "" => 0,
            digits => digits.parse().map_err(|_| MoneyError::Overflow)?,
        };
        let signed = if decimal.negative {
            -magnitude
        } else {
            magnitude
        };
        i64::try_from(signed)
            .map(Money)
            .map_err(|_| MoneyError::Overflow)
    }

    /// The exact amount in `unit` as decimal text without grouping or unit: "1234.5678".
    /// [`Money::parse_signed_decimal`] reads it back to the same amount.
    pub fn to_decimal_text(self, unit: MoneyUnit) -> String {
        Decimal::from_scaled(self.0.into(), unit.decimals()).canonical()
    }

    /// The exact amount in `unit` with thousands separators and no unit: "1,234.5678".
    pub fn format_number(self, unit: MoneyUnit) -> String {
        Decimal::from_scaled(self.0.into(), unit.decimals()).grouped()
    }

    /// The exact amount in 万元: "1,234.5678 万元" (trailing zeros trimmed).
    pub fn format_wan(self) -> String {
        self.format_in(MoneyUnit::Wan)
    }

    /// The exact amount in 亿元: "127.38 亿元" (up to eight decimals, trailing zeros trimmed).
    pub fn format_yi(self) -> String {
        self.format_in(MoneyUnit::Yi)
    }

    /// The exact amount in `unit` with its label: "45 元", "1,234.5678 万元".
    pub fn format_in(self, unit: MoneyUnit) -> String {
        format!("{} {}", self.format_number(unit), unit.label())
    }

    /// In 亿元 from 1 亿 on (either sign), else in 万元; exact either way.
    pub fn display_best(self) -> String {
        if self.0.unsigned_abs() >= MoneyUnit::Yi.yuan_per_unit().unsigned_abs() {
            self.format_yi()
        } else {
            self.format_wan()
        }
    }

    /// Rounded to `places` decimals of `unit`, half away from zero (四舍五入), trailing zeros
    /// trimmed, with the label: 12,738,456,789 元 to two places of 亿 is "127.38 亿元".
    pub fn format_rounded(self, unit: MoneyUnit, places: usize) -> String {
        let places = places.min(unit.decimals());
        let step = 10_i128.pow((unit.decimals() - places) as u32);
        let abs = i128::from(self.0).abs();
        let rounded = (abs + step / 2) / step * step;
        let rounded = if self.0 < 0 { -rounded } else { rounded };
        // Rounding can pass i64::MAX by less than one step: print it from i128.
        let number = Decimal::from_scaled(rounded, unit.decimals()).grouped();
        format!("{number} {}", unit.label())
    }
}

#[cfg(test)]
mod tests;
