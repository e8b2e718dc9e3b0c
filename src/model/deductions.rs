//! The `deductions` rule (扣分制) as a published rulebook prints an item: its standard points
//! minus what each clause finds, never below zero (SCHEMA.md, version 2, part 2), and the
//! steps where lower is better.

use rust_decimal::Decimal;

use super::fact::FactPath;
use super::indicators::{CondValue, Op};
use crate::diagnostics::Pos;

/// One clause of a `deductions` rule, in the rulebook's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    /// Every clause reads its own fact; the indicator has none of its own.
    pub fact: FactPath,
    pub form: ClauseForm,
    /// The most this clause deducts (`each` and `missing_each` only).
    pub max: Option<Decimal>,
    /// The clause as the rulebook prints it; `None` when the file gives none.
    pub label: Option<String>,
    pub pos: Pos,
}

/// Where an `each` clause starts counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// Counts the shortfall under the threshold: max(0, n − x).
    Below(Decimal),
    /// Counts the excess over the threshold: max(0, x − n).
    Above(Decimal),
}

#[derive(Debug, Clone, PartialEq)]
pub enum ClauseForm {
    /// `each: e` per `per: u` (1 when `None`) of x, or of the shortfall/excess of a bound.
    Each {
        each: Decimal,
        bound: Option<Bound>,
        per: Option<Decimal>,
    },
    /// `deduct: d` when the comparison holds.
    Compare {
        op: Op,
        value: CondValue,
        deduct: Decimal,
    },
    /// `missing_each: e` for every item of `items` not done.
    MissingEach {
        each: Decimal,
        /// The items counted: those the clause lists, or every item of the checklist.
        items: Vec<String>,
        /// Whether the clause lists its items (`items:`) rather than taking the checklist's.
        listed: bool,
    },
    /// The deduction of each level of the indicator's own rating.
    Levels(Vec<(String, Decimal)>),
}

impl ClauseForm {
    /// The key that names the form in the file, for messages.
    pub fn key(&self) -> &'static str {
        match self {
            ClauseForm::Each { .. } => "each",
            ClauseForm::Compare { op, .. } => op.key(),
            ClauseForm::MissingEach { .. } => "missing_each",
            ClauseForm::Levels(_) => "levels",
        }
    }
}

/// One step of a lower-is-better `steps` rule: `share` for a value ≤ `max`.
#[derive(Debug, Clone, PartialEq)]
pub struct StepAtMost {
    pub max: Decimal,
    pub share: Decimal,
}
