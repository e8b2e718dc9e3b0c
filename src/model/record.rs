//! A branch record (党支部), validated against its year's indicator system.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::fact::FactValue;

#[derive(Debug, Clone)]
pub struct Meeting {
    /// (year, month, day)
    pub date: (i32, u32, u32),
    pub kind: String,
    pub topic: String,
    pub expected: Option<Decimal>,
    pub present: Option<Decimal>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Survey {
    pub respondents: Decimal,
    pub positive: Decimal,
}

#[derive(Debug, Clone, Default)]
pub struct Record {
    pub name: String,
    pub category: String,
    pub members: Option<Decimal>,
    pub secretary: Option<String>,
    pub meetings: Vec<Meeting>,
    pub checklists: BTreeMap<String, BTreeSet<String>>,
    pub surveys: BTreeMap<String, Survey>,
    pub facts: BTreeMap<String, FactValue>,
    pub incidents: BTreeMap<String, Decimal>,
    pub ratings: BTreeMap<String, String>,
    pub honors: BTreeMap<String, Decimal>,
    /// In the order written.
    pub self_scores: Vec<(String, Decimal)>,
}
