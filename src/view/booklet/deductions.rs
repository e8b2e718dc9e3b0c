//! The 扣分明细 of a branch: for an indicator scored by a `deductions` rule, each clause
//! that cost points (its label or generated sentence, and its own deduction), whether the
//! item hit its floor (扣完为止), and for fix-first the clauses that cost the most.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use crate::decimal::round2;
use crate::score::{BranchResult, ClauseDeduction};
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
    /// 条款序号（从 1 起，按细则中的顺序）。
    ///
    /// The clause's number in its rule, from 1.
    pub clause: usize,
    /// 条款原文（`label`），未写时为由条款生成的句子。
    ///
    /// The clause as the rulebook prints it (`label`), or the sentence made from it.
    pub text: Text<'a>,
    /// 本条款扣分（封底之前，两位小数）。
    ///
    /// Its own deduction, before the floor.
    pub points: Score,
}

/// The 扣分明细 of indicator `id` for a branch, when it has a `deductions` rule; `texts`
/// holds the words of each clause of that rule.
pub fn detail<'a>(
    r: &BranchResult,
    id: &str,
    points: Decimal,
    texts: &'a [String],
) -> Option<DeductionDetail<'a>> {
    let found = r.deductions.iter().find(|d| &*d.indicator == id)?;
    let sum: Decimal = found.clauses.iter().map(|c| c.deduction).sum();
    Some(DeductionDetail {
        clauses: found.clauses.iter().map(|c| line(c, texts)).collect(),
        total: Score(round2(sum)),
        floor: sum > points,
    })
}

/// The clauses of indicator `id` that cost the most, largest first (ties in the
/// rulebook's order); empty for an indicator of another rule.
pub fn costliest<'a>(r: &BranchResult, id: &str, texts: &'a [String]) -> Vec<ClauseLine<'a>> {
    let Some(found) = r.deductions.iter().find(|d| &*d.indicator == id) else {
        return Vec::new();
    };
    let mut clauses: Vec<&ClauseDeduction> = found.clauses.iter().collect();
    // A stable sort keeps the rulebook's order among equal deductions.
    clauses.sort_by_key(|c| std::cmp::Reverse(c.deduction));
    clauses.into_iter().map(|c| line(c, texts)).collect()
}

/// The detail in a few words, for the booklet's 依据 column: `扣 28.00 分（扣完为止）`.
pub fn summary(d: &DeductionDetail) -> String {
    match (d.clauses.len(), d.floor) {
        (0, _) => "未扣分".to_string(),
        (n, true) => format!("{n} 条扣 {} 分，扣完为止", d.total),
        (n, false) => format!("{n} 条扣 {} 分", d.total),
    }
}

fn line<'a>(c: &ClauseDeduction, texts: &'a [String]) -> ClauseLine<'a> {
    ClauseLine {
        clause: c.clause + 1,
        text: texts.get(c.clause).map_or_else(Text::default, Text::from),
        points: Score(round2(c.deduction)),
    }
}
