//! From a cell to a record's value, by what its column holds. Numbers keep their exact
//! decimal text (a binary float at its shortest round-trip text); ids and dates stored as
//! text are read as written; dropdown labels become ids. Anything that does not fit is
//! passed on as text, so that the loader reports it exactly as it reports a YAML file —
//! except a checklist mark, which has no YAML of its own and is checked here.
//!
//! Measured (callgrind, `import --dry-run` of `synth --branches 2000 --years 1` with its template, `RAYON_NUM_THREADS=1`, inclusive): `value` 318 M → 277 M
//! instructions, `number_val` 94 M → 72 M, once a number cell's text skipped the round trip
//! through Decimal and a dropdown's cell was read in place.

use super::cells::{
    MAX_EXACT_INTEGER, Value, civil_from_days, date_text, int_text, normalise_date_text,
    number_text,
};
use super::layout::{self, Choice, Kind, Layout};
use super::record::{At, Val};
use crate::decimal;

/// Why a cell cannot be used at all (a workbook error at that cell).
pub type CellError = (String, Option<String>);

/// A number at its canonical text (`2.50` → `2.5`), or `None` when it is not a number the
/// contract reads.
fn canonical_number(text: &str) -> Option<String> {
    decimal::parse(text).ok().map(decimal::show)
}

fn number_val(v: &Value, at: &At) -> Val {
    let at = Some(at.clone());
    match v {
        // A whole number (nearly every number cell: counts) is its integer's text, without
        // the round trip through float text and Decimal (a third of converting a sheet).
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
            Val::plain(int_text(*n as i64), at)
        }
        // Already canonical: a double's shortest text has no exponent, no `+`, no leading
        // zero and no trailing zero after the point, so the round trip through Decimal
        // gave it back as it was (or failed, and the text was kept): a proptest checks it.
        // That round trip cost about 1,400 instructions a number with decimals (callgrind,
        // 2,000 branches; the module comment has the totals).
        Value::Number(n) => Val::plain(number_text(*n), at),
        Value::Text(t) => match canonical_number(t.trim()) {
            Some(n) => Val::plain(n, at),
            None => Val::text(t.trim(), at),
        },
        other => Val::text(other.display(), at),
    }
}

/// A dropdown's id for its label (or id) in a cell, else the cell's text. A text cell is
/// read in place: made into a `String` first, then found or copied again, it cost 14 M of
/// 2,000 branches' import (callgrind).
fn choice(list: &[Choice], v: &Value, at: &At) -> Val {
    let at = Some(at.clone());
    let shown;
    let t = match v {
        Value::Text(t) => t.trim(),
        other => {
            shown = other.display();
            shown.trim()
        }
    };
    match list.iter().find(|c| c.label == t || c.id == t) {
        Some(c) => Val::plain(c.id.clone(), at),
        None => Val::text(t, at),
    }
}

fn boolean(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) if *n == 1.0 => Some(true),
        Value::Number(n) if *n == 0.0 => Some(false),
        Value::Text(t) => match t.trim() {
            layout::YES | "true" | "TRUE" | "True" | "√" | "✓" => Some(true),
            layout::NO | "false" | "FALSE" | "False" | "×" | "✗" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Excel's serial dates run from 1 (1900-01-01) to 2,958,465 (9999-12-31).
fn serial_date(n: f64) -> Option<String> {
    if !(61.0..=2_958_465.0).contains(&n) || n.fract() != 0.0 {
        return None;
    }
    let (y, m, d) = civil_from_days(n as i64 - 25_569);
    Some(date_text(y, m, d))
}

/// The record's value of a non-empty cell in a column of `kind`. `Err` for a cell no
/// record can hold.
pub fn value(layout: &Layout, kind: Kind, v: &Value, at: &At) -> Result<Option<Val>, CellError> {
    if v.is_empty() {
        return Ok(None);
    }
    if let Value::Error(e) = v {
        return Err((
            format!("单元格是错误值 {e}"),
            Some("填入实际的值；若是公式，检查它引用的单元格".into()),
        ));
    }
    let some_at = Some(at.clone());
    Ok(Some(match kind {
        Kind::Reference => return Ok(None),
        Kind::Id => match v {
            Value::Number(n) if n.fract() == 0.0 && n.abs() < MAX_EXACT_INTEGER => {
                Val::plain(number_text(*n), some_at)
            }
            Value::Number(_) => {
                return Err((
                    format!("编号被 Excel 存成了数字 {}，已失去原来的写法", v.display()),
                    Some("把该列设为“文本”格式后重新输入编号".into()),
                ));
            }
            other => Val::plain(other.display(), some_at),
        },
        Kind::Text | Kind::OrgPath | Kind::List => Val::text(v.display(), some_at),
        Kind::Indicator => choice(&layout.indicators, v, at),
        Kind::Category => choice(&layout.categories, v, at),
        Kind::MeetingKind => choice(&layout.meeting_kinds, v, at),
        Kind::Level => choice(&layout.levels, v, at),
        Kind::Date | Kind::Due => match v {
            Value::Date(y, m, d, _) => Val::plain(date_text(*y, *m, *d), some_at),
            Value::Number(n) => match serial_date(*n) {
                Some(d) => Val::plain(d, some_at),
                None => Val::text(v.display(), some_at),
            },
            Value::Text(t) => match normalise_date_text(t) {
                Some(d) => Val::plain(d, some_at),
                None => Val::text(t.trim(), some_at),
            },
            other => Val::text(other.display(), some_at),
        },
        Kind::Whole | Kind::Number | Kind::Score => number_val(v, at),
        Kind::Bool => match boolean(v) {
            Some(b) => Val::plain(b.to_string(), some_at),
            None => Val::text(v.display(), some_at),
        },
        Kind::NumberOrBool => match (v, boolean(v)) {
            (Value::Number(_), _) => number_val(v, at),
            (_, Some(b)) => Val::plain(b.to_string(), some_at),
            _ => number_val(v, at),
        },
        Kind::Mark => match boolean(v) {
            Some(b) => Val::plain(if b { "done" } else { "not_done" }, some_at),
            None => {
                let (what, yes, no) = if at.sheet == layout::INSPECTION {
                    ("核实情况", "已核实", "未核实")
                } else {
                    ("清单项目", "完成", "未完成")
                };
                return Err((
                    format!(
                        "{what}只能填 {} 或 {}，而不是“{}”",
                        layout::DONE,
                        layout::NOT_DONE,
                        v.display()
                    ),
                    Some(format!(
                        "{yes}填 {}，{no}填 {}",
                        layout::DONE,
                        layout::NOT_DONE
                    )),
                ));
            }
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::excel::layout::layout;

    fn at() -> At {
        At {
            book: 0,
            sheet: "会议",
            row: 2,
            col: 3,
        }
    }

    fn sys() -> crate::model::IndicatorSystem {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/indicators.yaml"))
            .unwrap();
        let mut d = Vec::new();
        crate::load::indicators::load(&text, "indicators.yaml", &mut d).unwrap()
    }

    #[test]
    fn numbers_are_exact_and_text_stays_text() {
        let sys = sys();
        let l = layout(&sys, 2026);
        let get = |k, v: Value| value(&l, k, &v, &at()).unwrap().unwrap();
        assert_eq!(get(Kind::Score, Value::Number(2.83)).text, "2.83");
        assert_eq!(get(Kind::Score, Value::Number(2.835)).text, "2.835");
        assert_eq!(get(Kind::Whole, Value::Number(27.0)).text, "27");
        assert_eq!(get(Kind::Whole, Value::Number(-0.0)).text, "0");
        assert_eq!(get(Kind::Whole, Value::Number(-3.0)).text, "-3");
        assert_eq!(
            get(Kind::Whole, Value::Number(1e15)).text,
            "1000000000000000"
        );
        assert_eq!(get(Kind::Whole, Value::Text(" 27 ".into())).text, "27");
        let t = get(Kind::Whole, Value::Text("二十七".into()));
        assert_eq!(
            (t.text.as_str(), t.style),
            ("二十七", crate::excel::record::Style::Text)
        );
        assert_eq!(get(Kind::Id, Value::Number(1234.0)).text, "1234");
        assert!(value(&l, Kind::Id, &Value::Number(1.2345678901234567e19), &at()).is_err());
        assert_eq!(get(Kind::Id, Value::Text("007".into())).text, "007");
    }

    proptest::proptest! {
        // A number cell's text needs no round trip through Decimal: it comes back as it
        // was, or the round trip fails and keeps it (any double: bits, and cell-like ones).
        #[test]
        fn a_numbers_text_is_already_canonical(
            bits in proptest::num::u64::ANY,
            cents in -10_000_000i64..10_000_000,
            scale in 0u32..12,
        ) {
            for n in [f64::from_bits(bits), cents as f64 / 10f64.powi(scale as i32)] {
                let t = number_text(n);
                let old = canonical_number(&t).unwrap_or_else(|| t.clone());
                proptest::prop_assert_eq!(&number_val(&Value::Number(n), &at()).text, &old);
            }
        }
    }

    /// The columns the import leaves unread are exactly the layout's reference columns.
    #[test]
    fn reference_columns_are_known_by_their_headers() {
        let sys = sys();
        for sl in &layout(&sys, 2026).sheets {
            for c in &sl.columns {
                assert_eq!(
                    c.kind == Kind::Reference,
                    layout::is_reference(sl.name, &c.header),
                    "{} {}",
                    sl.name,
                    c.header
                );
            }
        }
    }

    #[test]
    fn dates_labels_and_marks() {
        let sys = sys();
        let l = layout(&sys, 2026);
        let get = |k, v: Value| value(&l, k, &v, &at()).unwrap().unwrap().text;
        assert_eq!(
            get(Kind::Date, Value::Date(2026, 1, 8, false)),
            "2026-01-08"
        );
        assert_eq!(get(Kind::Date, Value::Number(46_030.0)), "2026-01-08");
        assert_eq!(
            get(Kind::Date, Value::Text("2026/2/30".into())),
            "2026-02-30"
        );
        assert_eq!(
            get(Kind::MeetingKind, Value::Text("支委会".into())),
            "committee"
        );
        assert_eq!(
            get(Kind::MeetingKind, Value::Text("committee".into())),
            "committee"
        );
        assert_eq!(
            get(Kind::MeetingKind, Value::Text("座谈会".into())),
            "座谈会"
        );
        assert_eq!(get(Kind::Level, Value::Text("优秀".into())), "excellent");
        assert_eq!(get(Kind::Bool, Value::Text("是".into())), "true");
        assert_eq!(get(Kind::Mark, Value::Text("✓".into())), "done");
        assert_eq!(get(Kind::Mark, Value::Text("✗".into())), "not_done");
        assert!(value(&l, Kind::Mark, &Value::Text("有".into()), &at()).is_err());
        assert!(value(&l, Kind::Whole, &Value::Error("#N/A".into()), &at()).is_err());
        assert_eq!(
            value(&l, Kind::Text, &Value::Text("  ".into()), &at()).unwrap(),
            None
        );
    }
}
