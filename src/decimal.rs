//! Exact decimal numbers: parsing the text a user wrote, rounding once, formatting.

use rust_decimal::{Decimal, RoundingStrategy};

/// Largest magnitude accepted anywhere in the input. Keeps every product and sum the
/// scorer forms far inside `Decimal`'s range, so no arithmetic can overflow.
pub const MAX_MAGNITUDE: i64 = 1_000_000_000_000;
/// Most fractional digits accepted in an input number.
pub const MAX_FRACTION_DIGITS: u32 = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberError {
    NotANumber,
    NotFinite,
    OutOfRange,
    TooPrecise,
}

/// Parses a YAML 1.2 core-schema number exactly as written (`0.1` is one tenth).
pub fn parse(text: &str) -> Result<Decimal, NumberError> {
    // Nearly every number of a record is a few plain digits (a meeting ledger has hundreds):
    // those skip the general parser's copies. Same result, checked by a differential test.
    match parse_plain(text.as_bytes()) {
        Some(v) => check_range(v),
        None => parse_general(text),
    }
}

/// `-?[0-9]+(\.[0-9]+)?` of at most 18 characters after the sign, or `None` for anything
/// else.
fn parse_plain(b: &[u8]) -> Option<Decimal> {
    let (neg, digits) = match b.first()? {
        b'-' => (true, &b[1..]),
        _ => (false, b),
    };
    // At most 18 digits: the mantissa cannot overflow.
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let (mut m, mut scale, mut dot) = (0i64, 0u32, false);
    for (k, &c) in digits.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                m = m * 10 + i64::from(c - b'0');
                if dot {
                    scale += 1;
                }
            }
            b'.' if !dot && k > 0 && k + 1 < digits.len() => dot = true,
            _ => return None,
        }
    }
    let v = Decimal::new(m, scale);
    Some(if neg { -v } else { v })
}

fn parse_general(text: &str) -> Result<Decimal, NumberError> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    if matches!(
        lower.trim_start_matches(['+', '-']),
        ".inf" | ".nan" | "inf" | "nan"
    ) {
        return Err(NumberError::NotFinite);
    }
    let (neg, body) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let value = if let Some(hex) = body.strip_prefix("0x") {
        parse_radix(hex, 16)?
    } else if let Some(oct) = body.strip_prefix("0o") {
        parse_radix(oct, 8)?
    } else {
        if !is_core_float(body) {
            return Err(NumberError::NotANumber);
        }

        if body.contains(['e', 'E']) {
            Decimal::from_scientific(body).map_err(|_| NumberError::OutOfRange)?
        } else {
            let b = if body.starts_with('.') {
                format!("0{body}")
            } else {
                body.to_string()
            };
            let b = b.strip_suffix('.').unwrap_or(&b);
            Decimal::from_str_exact(b).map_err(|_| NumberError::OutOfRange)?
        }
    };
    let value = if neg { -value } else { value };
    check_range(value)
}

fn parse_radix(digits: &str, radix: u32) -> Result<Decimal, NumberError> {
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(NumberError::NotANumber);
    }
    let v = i64::from_str_radix(digits, radix).map_err(|_| NumberError::OutOfRange)?;
    Ok(Decimal::from(v))
}

fn check_range(value: Decimal) -> Result<Decimal, NumberError> {
    if value.abs() > Decimal::from(MAX_MAGNITUDE) {
        return Err(NumberError::OutOfRange);
    }
    let v = value.normalize();
    if v.scale() > MAX_FRACTION_DIGITS {
        return Err(NumberError::TooPrecise);
    }
    Ok(v)
}

/// `[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?` or `\.[0-9]+(…)?`: the YAML 1.2 core schema.
fn is_core_float(s: &str) -> bool {
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int, frac) = match mantissa.find('.') {
        Some(i) => (&mantissa[..i], Some(&mantissa[i + 1..])),
        None => (mantissa, None),
    };
    let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match frac {
        None => !int.is_empty() && digits(int),
        Some(f) => digits(int) && digits(f) && !(int.is_empty() && f.is_empty()),
    };
    let exp_ok = match exp {
        None => true,
        Some(e) => {
            let e = e.strip_prefix(['+', '-']).unwrap_or(e);
            !e.is_empty() && digits(e)
        }
    };
    mantissa_ok && exp_ok
}

/// Whether a plain scalar would be read as a number by a YAML 1.2 core-schema reader.
pub fn looks_numeric(text: &str) -> bool {
    !matches!(parse(text), Err(NumberError::NotANumber))
}

/// Rounds once, half away from zero, to 2 decimals (1.005 → 1.01, 0.125 → 0.13).
pub fn round2(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// The shortest text of a value: `87.5`, `90`, `-1.25`.
pub fn show(value: Decimal) -> String {
    value.normalize().to_string()
}

/// Fixed two decimals, for tables people read: `87.50`.
pub fn show2(value: Decimal) -> String {
    show2_in(value, &mut [0u8; 48]).to_string()
}

/// [`show2`] written into `buf`, without allocating: the typed view prints its scores
/// straight into the page data.
pub fn show2_in(value: Decimal, buf: &mut [u8; 48]) -> &str {
    fixed_in(round2(value), 2, buf)
}

/// `n` in decimal, without the formatting machinery (charts' coordinates and the import's
/// counts).
pub fn push_uint(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Pushed one by one: a coordinate has a few digits, and checking them as UTF-8 to push
    // them as a `str` cost more than the digits themselves.
    for &d in &buf[at..] {
        out.push(char::from(d));
    }
}

/// `r` (with at most `places` decimals) printed with exactly `places` decimals, as
/// `format!("{r:.places$}")` prints it, into `buf`. Every score on every page goes through
/// here: the digits are printed as integers (Decimal's own formatting is several times
/// slower; `format!` here was 4 % of a site build). Measured (callgrind, 1,000-branch
/// two-year `build --no-pdf`): 98 M instructions with `u128` digits, 65 M in 64 bits; rates
/// (`view::format::pct`) printed here instead of by `format!("{p:.1}%")` too.
pub fn fixed_in(r: Decimal, places: u32, buf: &mut [u8; 48]) -> &str {
    match places.checked_sub(r.scale()) {
        Some(pad) if places <= 8 => {
            let h = r.mantissa().unsigned_abs() * 10u128.pow(pad);
            // In 64 bits when the number fits (every score does): dividing a `u128` by 10
            // is a call each time, about a third of the cost before.
            let mut at = buf.len();
            match u64::try_from(h) {
                Ok(h) => at = digits_before(buf, at, h, places, |r| (r % 10, r / 10)),
                Err(_) => at = digits_before(buf, at, h, places, |r| (r % 10, r / 10)),
            }
            if r.is_sign_negative() {
                at -= 1;
                buf[at] = b'-';
            }
            std::str::from_utf8(&buf[at..]).unwrap_or("0")
        }
        _ => {
            // Not reached by the callers (they round to `places` first).
            use std::io::Write;
            let len = buf.len();
            let mut w = &mut buf[..];
            let _ = write!(w, "{r:.*}", places as usize);
            let used = len - w.len();
            std::str::from_utf8(&buf[..used]).unwrap_or("0")
        }
    }
}

/// Writes `h` units of the last of `places` decimals (`places` ≥ 1) right to left into
/// `buf`, ending before `at`, with at least one digit before the point; gives where the text
/// starts. `step` splits off the last digit.
fn digits_before<T: Copy + PartialEq + From<u8>>(
    buf: &mut [u8; 48],
    mut at: usize,
    h: T,
    places: u32,
    step: impl Fn(T) -> (T, T),
) -> usize
where
    u8: TryFrom<T>,
{
    let zero = T::from(0);
    let mut rest = h;
    let mut digits = 0;
    while rest != zero || digits <= places {
        if digits == places && places > 0 {
            at -= 1;
            buf[at] = b'.';
        }
        let (digit, next) = step(rest);
        at -= 1;
        buf[at] = b'0' + u8::try_from(digit).unwrap_or(0);
        rest = next;
        digits += 1;
    }
    at
}

pub fn is_whole(value: Decimal) -> bool {
    value.fract().is_zero()
}

pub fn fraction_digits(value: Decimal) -> u32 {
    value.normalize().scale()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn fixed_prints_as_decimal_formatting_does() {
        for text in [
            "0",
            "0.0",
            "-0.0",
            "0.05",
            "-0.05",
            "1",
            "7",
            "9.9",
            "10",
            "73.1",
            "100.0",
            "-12.3",
            "123456789.1",
            "0.5",
            "99.95",
            "-0",
            "18446744073709551616.5",
            "79228162514264337593543950335",
        ] {
            let v = d(text);
            for places in [1u32, 2] {
                let r = v.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
                let want = format!("{r:.*}", places as usize);
                let mut buf = [0; 48];
                assert_eq!(fixed_in(r, places, &mut buf), want, "{text} {places}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn fixed_matches_formatting(m in proptest::num::i64::ANY, scale in 0u32..6, places in 1u32..3) {
            let r = Decimal::new(m, scale)
                .round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
            let want = format!("{r:.*}", places as usize);
            let mut buf = [0; 48];
            proptest::prop_assert_eq!(fixed_in(r, places, &mut buf), want);
        }
    }

    #[test]
    fn show2_prints_what_decimal_formatting_prints() {
        let mut cases: Vec<Decimal> = [
            "0",
            "-0",
            "0.001",
            "-0.001",
            "-0.004",
            "0.005",
            "-0.005",
            "1",
            "1.5",
            "-1.5",
            "12.345",
            "12.355",
            "99.995",
            "100",
            "-100.004",
            "123456789.126",
            "0.1",
            "7.00",
        ]
        .iter()
        .map(|s| d(s))
        .collect();
        cases.push(Decimal::ZERO - Decimal::ZERO);
        cases.push(-Decimal::ZERO);
        for k in -2000..2000 {
            cases.push(Decimal::new(k, 3));
            cases.push(Decimal::new(k * 7, 1));
        }
        for v in cases {
            assert_eq!(show2(v), format!("{:.2}", round2(v)), "{v:?}");
        }
    }

    #[test]
    fn the_plain_fast_path_agrees_with_the_general_parser() {
        let mut cases: Vec<String> = [
            "0",
            "-0",
            "00",
            "007",
            "1",
            "-1",
            "8",
            "2026",
            "0.1",
            "-0.1",
            "1.50",
            "0.005",
            "1.",
            ".5",
            "-.5",
            "+5",
            "1.2.3",
            "1e3",
            "-",
            "",
            " 1",
            "1 ",
            "0x1F",
            "1_000",
            "999999999999",
            "1000000000000",
            "1000000000001",
            "-1000000000000.5",
            "0.0000000001",
            "0.00000000001",
            "123456789012345678",
            "1234567890123456789",
            "99999999999999999999",
            "12.3456789012",
            "٣",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for k in -3000i64..3000 {
            cases.push(format!("{}", k * 7));
            cases.push(format!("{}.{:03}", k / 100, k.unsigned_abs() % 1000));
        }
        for c in &cases {
            assert_eq!(parse(c), parse_general(c), "{c:?}");
            if let (Ok(a), Ok(b)) = (parse(c), parse_general(c)) {
                assert_eq!(a.scale(), b.scale(), "{c:?}");
                assert_eq!(a.is_sign_negative(), b.is_sign_negative(), "{c:?}");
            }
        }
    }

    #[test]
    fn parses_exactly_as_written() {
        assert_eq!(parse("0.1"), Ok(d("0.1")));
        assert_eq!(parse("-2.50"), Ok(d("-2.5")));
        assert_eq!(parse("1e2"), Ok(d("100")));
        assert_eq!(parse(".5"), Ok(d("0.5")));
        assert_eq!(parse("5."), Ok(d("5")));
        assert_eq!(parse("0x1F"), Ok(d("31")));
        assert_eq!(parse("0o17"), Ok(d("15")));
        assert_eq!(parse("+3"), Ok(d("3")));
        assert_eq!(parse(".inf"), Err(NumberError::NotFinite));
        assert_eq!(parse("abc"), Err(NumberError::NotANumber));
        assert_eq!(parse("1.2.3"), Err(NumberError::NotANumber));
        assert_eq!(parse("2026-01-08"), Err(NumberError::NotANumber));
        assert_eq!(parse("1e300"), Err(NumberError::OutOfRange));
        assert_eq!(parse("0.00000000001"), Err(NumberError::TooPrecise));
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(round2(d("1.005")), d("1.01"));
        assert_eq!(round2(d("0.125")), d("0.13"));
        assert_eq!(round2(d("89.995")), d("90.00"));
        assert_eq!(round2(d("-1.005")), d("-1.01"));
        assert_eq!(round2(d("2.344")), d("2.34"));
        assert_eq!(show(d("90.00")), "90");
        assert_eq!(show2(d("87.5")), "87.50");
    }
}
