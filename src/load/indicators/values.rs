//! Values every part of an indicator system reads the same way (points, shares, labels),
//! and what the parts leave for the checks that need the whole system.

use rust_decimal::Decimal;

use crate::decimal;
use crate::diagnostics::Pos;
use crate::model::FactType;
use crate::yaml::{Node, Reader};

/// Places in the file kept for checks that need the whole system.
pub(super) struct Pending {
    pub(super) rating_facts: Vec<(String, Pos)>,
    pub(super) fact_uses: Vec<(String, FactType, Pos)>,
    /// (indicator id, level, where): rating levels a deductions clause compares with.
    pub(super) levels_named: Vec<(String, String, Pos)>,
    /// Ids of indicators written but not read (their errors reported): what names them
    /// is not reported again.
    pub(super) unread: Vec<String>,
}

/// A number > 0 with at most 2 decimals.
pub(super) fn points(r: &mut Reader, n: &Node, what: &str) -> Option<Decimal> {
    let v = r.number(n, what)?;
    if v <= Decimal::ZERO {
        r.error(
            n.pos,
            format!("{what}必须大于 0（现为 {}）", decimal::show(v)),
        );
        return None;
    }
    two_decimals(r, n, what, v)
}

pub(super) fn two_decimals(r: &mut Reader, n: &Node, what: &str, v: Decimal) -> Option<Decimal> {
    if decimal::fraction_digits(v) > 2 {
        r.error(
            n.pos,
            format!("{what}最多两位小数（现为 {}）", decimal::show(v)),
        );
        return None;
    }
    Some(v)
}

pub(super) fn non_negative(r: &mut Reader, n: &Node, what: &str) -> Option<Decimal> {
    let v = r.number(n, what)?;
    if v < Decimal::ZERO {
        r.error(
            n.pos,
            format!("{what}不能为负数（现为 {}）", decimal::show(v)),
        );
        return None;
    }
    Some(v)
}

pub(super) fn share(r: &mut Reader, n: &Node, what: &str) -> Option<Decimal> {
    let v = r.number(n, what)?;
    if v < Decimal::ZERO || v > Decimal::ONE {
        r.error(
            n.pos,
            format!("{what}必须在 0 到 1 之间（现为 {}）", decimal::show(v)),
        );
        return None;
    }
    Some(v)
}

/// `{ level: share, … }` in file order (a rating's shares, a vote's weights), each in [0, 1];
/// `None` when it is empty (`empty` says so) or any share is wrong.
pub(super) fn level_shares(
    r: &mut Reader,
    v: &Node,
    what: &str,
    empty: &str,
    share_of: &str,
) -> Option<Vec<(String, Decimal)>> {
    let entries = r.map(v, what)?;
    if entries.is_empty() {
        r.error(v.pos, empty);
        return None;
    }
    let mut out = Vec::new();
    for e in entries {
        let level = e.key_text().to_string();
        if let Some(s) = share(r, &e.value, &format!("等级 `{level}` 的{share_of}")) {
            out.push((level, s));
        }
    }
    (out.len() == entries.len()).then_some(out)
}

pub(super) fn label_or_id(r: &mut Reader, n: Option<&Node>, id: &str, what: &str) -> String {
    n.and_then(|n| r.nonblank(n, format!("{what} `{id}` 的 `label`")))
        .unwrap_or_else(|| id.to_string())
}
