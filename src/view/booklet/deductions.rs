//! The 扣分明细 of a branch: for an indicator scored by a `deductions` rule, each clause
//! that cost points (its label or generated sentence, and its own deduction), whether the
//! item hit its floor (扣完为止), and for fix-first the clauses that cost the most.

use std::fmt::Write;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use crate::decimal::{round2, show2_in};
use crate::model::{Indicator, Rule};
use crate::score::{BranchResult, ClauseDeduction, IndicatorDeductions};
use crate::view::format::Score;
use crate::view::text::Text;

/// 扣分制指标的扣分明细。
///
/// What a `deductions` indicator lost, clause by clause.
#[derive(Serialize, JsonSchema)]
pub struct DeductionDetail<'a> {
    /// 扣了分的条款，按细则中的顺序。
    ///
    /// The clauses that deducted something, in the rulebook's order.
    pub clauses: Vec<ClauseLine<'a>>,
    /// 各条款扣分之和（精确求和后只舍入一次）。
    ///
    /// The sum of the clauses' deductions (summed exactly, rounded once).
    pub total: Score,
    /// 扣分之和超过分值、本项按 0 分计（扣完为止）时为 true。
    ///
    /// True when the deductions exceed the item's points: it earns 0 (扣完为止).
    pub floor: bool,
}

/// 一条扣了分的条款。
///
/// One clause that deducted points.
#[derive(Serialize, JsonSchema)]
pub struct ClauseLine<'a> {
    /// 条款原文（`label`），未写时为由条款生成的句子。
    ///
    /// The clause as the rulebook prints it (`label`), or the sentence made from it.
    pub text: Text<'a>,
    /// 本条款扣分（封底之前，两位小数）。
    ///
    /// Its own deduction, before the floor.
    pub points: Score,
}

/// What the branch lost on indicator `ind`, clause by clause, when its rule is `deductions`:
/// another rule's indicator is not looked for among the branch's deductions at all.
fn deductions_of<'r>(r: &'r BranchResult, ind: &Indicator) -> Option<&'r IndicatorDeductions> {
    if !matches!(ind.rule, Rule::Deductions(_)) {
        return None;
    }
    r.deductions.iter().find(|d| *d.indicator == *ind.id)
}

/// The 扣分明细 of indicator `ind` for a branch, when it has a `deductions` rule; `texts`
/// holds the words of each clause of that rule.
pub fn detail<'a>(
    r: &BranchResult,
    ind: &Indicator,
    texts: &'a [String],
) -> Option<DeductionDetail<'a>> {
    let found = deductions_of(r, ind)?;
    let sum: Decimal = found.clauses.iter().map(|c| c.deduction).sum();
    Some(DeductionDetail {
        clauses: found.clauses.iter().map(|c| line(c, texts)).collect(),
        total: Score(round2(sum)),
        floor: sum > ind.points,
    })
}

/// The clauses of indicator `ind` that cost the most, largest first (ties in the
/// rulebook's order); empty for an indicator of another rule.
pub fn costliest<'a>(
    r: &BranchResult,
    ind: &Indicator,
    texts: &'a [String],
) -> Vec<ClauseLine<'a>> {
    let Some(found) = deductions_of(r, ind) else {
        return Vec::new();
    };
    let mut clauses: Vec<&ClauseDeduction> = found.clauses.iter().collect();
    // A stable sort keeps the rulebook's order among equal deductions.
    clauses.sort_by_key(|c| std::cmp::Reverse(c.deduction));
    clauses.into_iter().map(|c| line(c, texts)).collect()
}

/// The detail in a few words, for the booklet's 依据 column: `2 条扣 28.00 分，扣完为止`.
///
/// Written piece by piece rather than with `format!`: it is made for every 扣分制 item of
/// every branch, and `format!` made it 0.5 % of a 10,000-branch `build --no-pdf`
/// (callgrind, 213 M of 44.0 G instructions; about 1,600 instructions a call).
pub fn summary(d: &DeductionDetail) -> Text<'static> {
    let n = d.clauses.len();
    if n == 0 {
        return Text::from("未扣分");
    }
    let mut s = String::with_capacity(40);
    // `write!` of the count alone is cheap; it was the whole `format!` that cost.
    let _ = write!(s, "{n}");
    s.push_str(" 条扣 ");
    s.push_str(show2_in(d.total.0, &mut [0u8; 48]));
    s.push_str(" 分");
    if d.floor {
        s.push_str("，扣完为止");
    }
    Text::from(s)
}

fn line<'a>(c: &ClauseDeduction, texts: &'a [String]) -> ClauseLine<'a> {
    ClauseLine {
        text: texts.get(c.clause).map_or_else(Text::default, Text::from),
        points: Score(round2(c.deduction)),
    }
}
