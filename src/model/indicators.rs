//! The indicator system (指标体系) of one year, validated.

use rust_decimal::Decimal;

use super::deductions::{Clause, ClauseForm, StepAtMost};
use super::fact::{FactPath, FactType};
use crate::diagnostics::Pos;

#[derive(Debug, Clone)]
pub struct Grade {
    pub id: String,
    pub label: String,
    pub min: Decimal,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub min: Decimal,
    pub share: Decimal,
}

#[derive(Debug, Clone)]
pub enum Rule {
    Goalpost {
        low: Decimal,
        high: Decimal,
    },
    Steps(Vec<Step>),
    Checklist(Vec<String>),
    Boolean(bool),
    Deduct {
        each: Decimal,
    },
    Rating(Vec<(String, Decimal)>),
    /// Lower is better: the share of the first step with x ≤ `max`.
    StepsAtMost(Vec<StepAtMost>),
    /// Points minus every clause's deduction, never below 0; each clause reads its own fact.
    Deductions(Vec<Clause>),
}

impl Rule {
    pub fn kind(&self) -> &'static str {
        match self {
            Rule::Goalpost { .. } => "goalpost",
            Rule::Steps(_) => "steps",
            Rule::Checklist(_) => "checklist",
            Rule::Boolean(_) => "boolean",
            Rule::Deduct { .. } => "deduct",
            Rule::Rating(_) => "rating",
            Rule::StepsAtMost(_) => "steps",
            Rule::Deductions(_) => "deductions",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Indicator {
    pub id: String,
    pub label: String,
    pub points: Decimal,
    /// `None`: every category.
    pub applies_to: Option<Vec<String>>,
    /// The fact the rule reads. A `deductions` rule reads one fact per clause: this is
    /// then its first clause's, so that what shows one fact per indicator still has one.
    pub fact: FactPath,
    pub rule: Rule,
    pub guidance: Option<String>,
    /// How the inspection checks the item (考评方式), as the rulebook prints it.
    pub method: Option<String>,
    pub pos: Pos,
}

impl Indicator {
    pub fn applies(&self, category: &str) -> bool {
        self.applies_to
            .as_ref()
            .is_none_or(|cats| cats.iter().any(|c| c == category))
    }

    /// The levels a record may give under `ratings.<this id>`: those of a `rating` rule or
    /// of a `deductions` rule's `levels` clause (with their share or deduction).
    pub fn rating_levels(&self) -> Option<&[(String, Decimal)]> {
        match &self.rule {
            Rule::Rating(levels) => Some(levels),
            Rule::Deductions(clauses) => clauses.iter().find_map(|c| match &c.form {
                ClauseForm::Levels(levels) => Some(levels.as_slice()),
                _ => None,
            }),
            _ => None,
        }
    }

    /// Every fact the indicator reads: its own, or each clause's.
    pub fn facts(&self) -> impl Iterator<Item = &FactPath> {
        let clauses = match &self.rule {
            Rule::Deductions(clauses) => clauses.as_slice(),
            _ => &[],
        };
        let own = clauses.is_empty().then_some(&self.fact);
        own.into_iter().chain(clauses.iter().map(|c| &c.fact))
    }
}

#[derive(Debug, Clone)]
pub struct Dimension {
    pub id: String,
    pub label: String,
    pub indicators: Vec<Indicator>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Gt,
    Ge,
    Lt,
    Le,
    Eq,
    Ne,
}

impl Op {
    pub fn key(self) -> &'static str {
        match self {
            Op::Gt => "gt",
            Op::Ge => "ge",
            Op::Lt => "lt",
            Op::Le => "le",
            Op::Eq => "eq",
            Op::Ne => "ne",
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Op::Gt => ">",
            Op::Ge => "≥",
            Op::Lt => "<",
            Op::Le => "≤",
            Op::Eq => "=",
            Op::Ne => "≠",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CondValue {
    Number(Decimal),
    Bool(bool),
    Level(String),
}

#[derive(Debug, Clone)]
pub struct Condition {
    pub fact: FactPath,
    pub op: Op,
    pub value: CondValue,
}

#[derive(Debug, Clone)]
pub struct Veto {
    pub id: String,
    pub label: String,
    pub when: Condition,
    /// Index into `grades`.
    pub cap: usize,
}

#[derive(Debug, Clone)]
pub struct Bonus {
    pub id: String,
    pub label: String,
    pub fact: FactPath,
    pub each: Decimal,
    pub max: Option<Decimal>,
}

#[derive(Debug, Clone)]
pub struct Checklist {
    pub id: String,
    pub label: String,
    pub items: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct IndicatorSystem {
    /// Path of the file relative to the root, for messages.
    pub file: String,
    pub name: String,
    pub version: Option<String>,
    pub scale: Decimal,
    pub bonus_cap: Decimal,
    pub self_gap_alert: Option<Decimal>,
    pub categories: Vec<(String, String)>,
    pub meeting_kinds: Vec<(String, String)>,
    pub checklists: Vec<Checklist>,
    pub grades: Vec<Grade>,
    pub dimensions: Vec<Dimension>,
    pub vetoes: Vec<Veto>,
    pub bonuses: Vec<Bonus>,
    /// Types of `facts.<id>` as the system uses them, in order of first use.
    pub fact_types: Vec<(String, FactType)>,
    /// Ids that records may use, named by any indicator, veto or bonus.
    pub survey_ids: Vec<String>,
    pub incident_ids: Vec<String>,
    pub honor_ids: Vec<String>,
    /// Every text of the file beyond printable ASCII (labels, guidance, names), with where
    /// it starts: a report says where a character it cannot print was written from these.
    pub texts: Vec<(Pos, String)>,
}

impl IndicatorSystem {
    pub fn indicators(&self) -> impl Iterator<Item = (&Dimension, &Indicator)> + Clone {
        self.dimensions
            .iter()
            .flat_map(|d| d.indicators.iter().map(move |i| (d, i)))
    }

    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators().map(|(_, i)| i).find(|i| i.id == id)
    }

    pub fn category_label(&self, id: &str) -> Option<&str> {
        lookup(&self.categories, id)
    }

    pub fn meeting_kind_label(&self, id: &str) -> Option<&str> {
        lookup(&self.meeting_kinds, id)
    }

    pub fn checklist(&self, id: &str) -> Option<&Checklist> {
        self.checklists.iter().find(|c| c.id == id)
    }

    pub fn grade_index(&self, id: &str) -> Option<usize> {
        self.grades.iter().position(|g| g.id == id)
    }

    pub fn fact_type(&self, id: &str) -> Option<FactType> {
        self.fact_types
            .iter()
            .find(|(f, _)| f == id)
            .map(|(_, t)| *t)
    }

    /// Index of the first grade whose `min` ≤ total (the last grade has min 0; a negative
    /// total cannot occur, but falls to the last grade all the same).
    pub fn grade_for(&self, total: Decimal) -> usize {
        self.grades
            .iter()
            .position(|g| g.min <= total)
            .unwrap_or(self.grades.len().saturating_sub(1))
    }
}

fn lookup<'a>(pairs: &'a [(String, String)], id: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == id).map(|(_, v)| v.as_str())
}
