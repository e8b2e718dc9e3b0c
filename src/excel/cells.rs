//! One cell's value as the import sees it, whatever program saved the workbook: A1 names,
//! numbers at their shortest round-trip text, dates from serial numbers and from the ways
//! people type them.

/// A cell as read, before any column gives it a meaning.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    /// Shared: an .xlsx cell of a shared string holds the table's text, not a copy (a
    /// copy a cell was about 400 instructions of allocating, copying and freeing, on 750,000
    /// text cells of 2,000 branches' workbook).
    Text(std::sync::Arc<str>),
    /// An IEEE double, as every spreadsheet stores numbers.
    Number(f64),
    Bool(bool),
    /// A date cell: (year, month, day), and whether it also held a time of day.
    Date(i32, u32, u32, bool),
    /// `#DIV/0!`, `#N/A` …
    Error(String),
}

impl Value {
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as a person reads it: text trimmed, a number at its shortest round-trip
    /// decimal text, a date as YYYY-MM-DD.
    pub fn display(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(t) => t.trim().to_string(),
            Value::Number(n) => number_text(*n),
            Value::Bool(b) => (if *b { "TRUE" } else { "FALSE" }).to_string(),
            Value::Date(y, m, d, _) => date_text(*y, *m, *d),
            Value::Error(e) => e.clone(),
        }
    }
}

/// The shortest decimal text that reads back as the same double (Rust's `Display` for f64
/// is exactly that, and never uses an exponent): 0.1 → `0.1`, 2.83 → `2.83`, 27.0 → `27`.
pub fn number_text(n: f64) -> String {
    if n == 0.0 {
        // -0.0 prints as `-0`.
        return "0".to_string();
    }
    n.to_string()
}

/// `YYYY-MM-DD` as `format!("{y:04}-{m:02}-{d:02}")` writes it, without the formatting
/// machinery (about 1,000 instructions a call; a district's workbook holds a date a
/// meeting).
pub fn date_text(y: i32, m: u32, d: u32) -> String {
    if !(0..=9999).contains(&y) || m > 99 || d > 99 {
        return format!("{y:04}-{m:02}-{d:02}");
    }
    let y = y.unsigned_abs();
    let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
    let mut s = String::with_capacity(10);
    for c in [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        '-',
        digit(m / 10),
        digit(m),
        '-',
        digit(d / 10),
        digit(d),
    ] {
        s.push(c);
    }
    s
}

/// An integer's decimal text, as `to_string` writes it, without the formatting machinery.
pub fn int_text(n: i64) -> String {
    let mut s = String::with_capacity(20);
    if n < 0 {
        s.push('-');
    }
    crate::decimal::push_uint(&mut s, n.unsigned_abs());
    s
}

/// Largest integer a double holds exactly; an id typed as a longer number lost digits.
pub const MAX_EXACT_INTEGER: f64 = 9_007_199_254_740_992.0;

/// `A`, `B`, … `Z`, `AA` … for a 0-based column.
pub fn column_name(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

/// `C17` for 0-based (row 16, column 2).
pub fn a1(row: u32, col: u32) -> String {
    format!("{}{}", column_name(col), row + 1)
}

/// Days since 1970-01-01 → (year, month, day).
pub fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let (y, m, d) = crate::view::format::civil_from_days(z);
    (i32::try_from(y).unwrap_or(i32::MAX), m, d)
}

/// (year, month, day) → days since 1970-01-01.
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(if m <= 2 { y - 1 } else { y });
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The Excel serial number of a date (1900 date system: day 1 is 1900-01-01, with Excel's
/// phantom 1900-02-29, so every date from March 1900 on is 25,569 days before 1970).
pub fn excel_serial(y: i32, m: u32, d: u32) -> f64 {
    (days_from_civil(y, m, d) + 25_569) as f64
}

/// A date typed as text the ways Chinese offices type it: `2026-01-08`, `2026/1/8`,
/// `2026.1.8`, `2026年1月8日`. Gives `YYYY-MM-DD` with zero-padded parts; the loader
/// decides whether that date exists. `None` for anything else.
pub fn normalise_date_text(text: &str) -> Option<String> {
    let t = text.trim();
    let t = t.strip_suffix('日').unwrap_or(t);
    let parts: Vec<&str> = t.split(['-', '/', '.', '年', '月']).collect();
    if parts.len() != 3 {
        return None;
    }
    fn digits(s: &str, max: usize) -> Option<&str> {
        (!s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())).then_some(s)
    }
    let y = digits(parts[0], 4).filter(|y| y.len() == 4)?;
    let m = digits(parts[1], 2)?;
    let d = digits(parts[2], 2)?;
    Some(format!("{y}-{m:0>2}-{d:0>2}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_integers_as_format_writes_them() {
        for (y, m, d) in [
            (2026, 1, 8),
            (1900, 3, 1),
            (9999, 12, 31),
            (0, 1, 1),
            (7, 5, 9),
        ] {
            assert_eq!(date_text(y, m, d), format!("{y:04}-{m:02}-{d:02}"));
        }
        for (y, m, d) in [(-1, 1, 1), (10000, 1, 1), (2026, 100, 1)] {
            assert_eq!(date_text(y, m, d), format!("{y:04}-{m:02}-{d:02}"));
        }
        for n in [
            0,
            7,
            -7,
            10,
            99,
            100,
            -1234,
            999_999_999_999_999,
            i64::MAX,
            i64::MIN,
        ] {
            assert_eq!(int_text(n), n.to_string());
        }
    }

    #[test]
    fn a1_names() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(16, 2), "C17");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
        assert_eq!(column_name(16_383), "XFD");
    }

    #[test]
    fn numbers_at_their_shortest_round_trip_text() {
        assert_eq!(number_text(0.1), "0.1");
        assert_eq!(number_text(2.83), "2.83");
        assert_eq!(number_text(27.0), "27");
        assert_eq!(number_text(-0.0), "0");
        assert_eq!(number_text(1.005), "1.005");
        assert_eq!(number_text(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(number_text(1e21), "1000000000000000000000");
    }

    #[test]
    fn dates_both_ways() {
        for (y, m, d) in [
            (1970, 1, 1),
            (2026, 2, 28),
            (2024, 2, 29),
            (1900, 3, 1),
            (9999, 12, 31),
        ] {
            assert_eq!(civil_from_days(days_from_civil(y, m, d)), (y, m, d));
        }
        // Excel: 2026-01-08 is serial 46030; 1900-03-01 is 61.
        assert_eq!(excel_serial(2026, 1, 8), 46_030.0);
        assert_eq!(excel_serial(1900, 3, 1), 61.0);
    }

    #[test]
    fn dates_typed_as_text() {
        assert_eq!(
            normalise_date_text("2026/1/8").as_deref(),
            Some("2026-01-08")
        );
        assert_eq!(
            normalise_date_text("2026年1月8日").as_deref(),
            Some("2026-01-08")
        );
        assert_eq!(
            normalise_date_text(" 2026.12.31 ").as_deref(),
            Some("2026-12-31")
        );
        assert_eq!(
            normalise_date_text("2026-02-30").as_deref(),
            Some("2026-02-30")
        );
        assert_eq!(normalise_date_text("26/1/8"), None);
        assert_eq!(normalise_date_text("一月八日"), None);
        assert_eq!(normalise_date_text("2026-001-08"), None);
    }
}
