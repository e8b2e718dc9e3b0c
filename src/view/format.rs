//! How numbers and dates are printed, once, for every renderer.

use std::borrow::Cow;

use rust_decimal::{Decimal, RoundingStrategy};
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Serialize, Serializer};

/// A score with exactly two decimals: `"88.50"`.
pub fn score(d: Decimal) -> String {
    crate::decimal::show2(d)
}

/// A score in the view: printed with exactly two decimals (`"88.50"`, as [`score`]) where
/// it is written, so that the view holds a number and a page's data holds the only copy of
/// its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Score(pub Decimal);

impl Serialize for Score {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(crate::decimal::show2_in(self.0, &mut [0u8; 48]))
    }
}

impl std::fmt::Display for Score {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(crate::decimal::show2_in(self.0, &mut [0u8; 48]))
    }
}

impl JsonSchema for Score {
    fn schema_name() -> Cow<'static, str> {
        "Score".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        String::json_schema(generator)
    }
}

/// A rate as a percentage with one decimal: `"73.1%"`.
pub fn pct(rate: Decimal) -> String {
    let p = (rate * Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
    // As `format!("{p:.1}%")`, without Decimal's formatting (every rate of every page).
    let mut buf = [0u8; 48];
    let text = crate::decimal::fixed_in(p, 1, &mut buf);
    let mut out = String::with_capacity(text.len() + 1);
    out.push_str(text);
    out.push('%');
    out
}

/// A ratio `part / whole` as a percentage; `None` when `whole` is zero.
pub fn ratio(part: Decimal, whole: Decimal) -> Option<String> {
    (!whole.is_zero()).then(|| pct(part / whole))
}

/// The shortest text of a plain number: `12`, `0.5`.
pub fn plain(d: Decimal) -> String {
    crate::decimal::show(d)
}

/// A date as people write it: `2026年12月31日`.
pub fn date(epoch: i64) -> String {
    let (y, m, d) = civil_from_days(epoch.div_euclid(86_400));
    format!("{y}年{m}月{d}日")
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (Howard Hinnant's).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Seconds since the epoch of 31 December of `year`, 00:00 UTC: the default creation time
/// of a year's documents, so that a build without SOURCE_DATE_EPOCH is still reproducible.
pub fn year_end_epoch(year: i32) -> i64 {
    day_epoch(year, 12, 31)
}

/// Seconds since the epoch of a day, 00:00 UTC (days_from_civil, proleptic Gregorian).
pub fn day_epoch(year: i32, month: u32, day: u32) -> i64 {
    let (m, d) = (i64::from(month), i64::from(day));
    let yy = i64::from(year) - i64::from(m <= 2);
    let era = yy.div_euclid(400);
    let yoe = yy.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) * 86_400
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn numbers() {
        assert_eq!(score(Decimal::from_str("87.5").unwrap()), "87.50");
        assert_eq!(pct(Decimal::from_str("0.7305").unwrap()), "73.1%");
        assert_eq!(pct(Decimal::ONE), "100.0%");
        assert_eq!(ratio(Decimal::ONE, Decimal::ZERO), None);
    }

    #[test]
    fn dates() {
        assert_eq!(date(0), "1970年1月1日");
        assert_eq!(date(year_end_epoch(2026)), "2026年12月31日");
        assert_eq!(date(year_end_epoch(2024) + 86_399), "2024年12月31日");
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(date(day_epoch(2024, 2, 29)), "2024年2月29日");
        assert_eq!(date(day_epoch(2026, 6, 30)), "2026年6月30日");
        assert_eq!(date(day_epoch(2026, 1, 1)), "2026年1月1日");
    }
}
