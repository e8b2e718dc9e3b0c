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
    /// Weight per level of the vote the indicator reads, in the vote's level order.
    Vote(Vec<(String, Decimal)>),
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
            Rule::Vote(_) => "vote",
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
    /// `None`: every category. For another category the veto does not exist.
    pub applies_to: Option<Vec<String>>,
}

impl Veto {
    pub fn applies(&self, category: &str) -> bool {
        applies(&self.applies_to, category)
    }
}

#[derive(Debug, Clone)]
pub struct Bonus {
    pub id: String,
    pub label: String,
    pub fact: FactPath,
    pub each: Decimal,
    pub max: Option<Decimal>,
    /// `None`: every category. For another category the bonus does not exist.
    pub applies_to: Option<Vec<String>>,
}

impl Bonus {
    pub fn applies(&self, category: &str) -> bool {
        applies(&self.applies_to, category)
    }
}

fn applies(cats: &Option<Vec<String>>, category: &str) -> bool {
    cats.as_ref()
        .is_none_or(|cats| cats.iter().any(|c| c == category))
}

/// A graded vote (评议、测评): its levels, best first.
#[derive(Debug, Clone)]
pub struct Vote {
    pub id: String,
    pub label: String,
    /// Level id → label, best first.
    pub levels: Vec<(String, String)>,
}

impl Vote {
    pub fn level_label(&self, level: &str) -> Option<&str> {
        lookup(&self.levels, level)
    }
}

/// A grouping of indicators (a *view*: 四强, 五项能力 …) that changes no score.
#[derive(Debug, Clone)]
pub struct View {
    pub id: String,
    pub label: String,
    pub groups: Vec<ViewGroup>,
}

#[derive(Debug, Clone)]
pub struct ViewGroup {
    pub id: String,
    pub label: String,
    /// Indicator ids, each at most once in the whole view.
    pub indicators: Vec<String>,
}

/// The label maps of ids the system does not define elsewhere. `None`: the file gives no
/// such map (version 1: an id is known when anything names it, and shows as itself).
#[derive(Debug, Clone, Default)]
pub struct Labels {
    pub surveys: Option<Vec<(String, String)>>,
    pub facts: Option<Vec<(String, String)>>,
    pub incidents: Option<Vec<(String, String)>>,
    pub honors: Option<Vec<(String, String)>>,
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
    pub labels: Labels,
    /// Graded votes, in file order.
    pub votes: Vec<Vote>,
    pub views: Vec<View>,
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

    pub fn vote(&self, id: &str) -> Option<&Vote> {
        self.votes.iter().find(|v| v.id == id)
    }

    /// The label of a survey id, the id itself when the system gives none.
    pub fn survey_label<'a>(&'a self, id: &'a str) -> &'a str {
        label_in(&self.labels.surveys, id)
    }

    pub fn fact_label<'a>(&'a self, id: &'a str) -> &'a str {
        label_in(&self.labels.facts, id)
    }

    pub fn incident_label<'a>(&'a self, id: &'a str) -> &'a str {
        label_in(&self.labels.incidents, id)
    }

    pub fn honor_label<'a>(&'a self, id: &'a str) -> &'a str {
        label_in(&self.labels.honors, id)
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

fn label_in<'a>(map: &'a Option<Vec<(String, String)>>, id: &'a str) -> &'a str {
    map.as_deref().and_then(|m| lookup(m, id)).unwrap_or(id)
}

fn lookup<'a>(pairs: &'a [(String, String)], id: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == id).map(|(_, v)| v.as_str())
}
