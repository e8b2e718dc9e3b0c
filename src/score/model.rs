//! The assessment model: every number the reports show, computed once, here.

use rust_decimal::Decimal;

use crate::model::{FactValue, Id};

#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorResult {
    /// Shared with every other result of the year (one allocation per indicator).
    pub id: Id,
    pub dimension: Id,
    pub points: Decimal,
    pub earned: Decimal,
    pub missing: bool,
    pub value: Option<FactValue>,
}

impl IndicatorResult {
    pub fn lost(&self) -> Decimal {
        self.points - self.earned
    }
}

/// A clause of a `deductions` rule that deducted something from a branch.
#[derive(Debug, Clone, PartialEq)]
pub struct ClauseDeduction {
    /// Index of the clause in the rule (0 for the first).
    pub clause: usize,
    /// Its deduction d, exact, before the floor at 0.
    pub deduction: Decimal,
}

/// The clauses that deducted from one `deductions` indicator, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorDeductions {
    pub indicator: Id,
    pub clauses: Vec<ClauseDeduction>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DimensionResult {
    pub id: Id,
    /// The points of its applicable indicators.
    pub possible: Decimal,
    pub earned: Decimal,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BonusResult {
    pub id: Id,
    /// This bonus's own contribution, before the cap, rounded for display.
    pub points: Decimal,
    pub missing: bool,
}

/// One group of a view for one branch: Σ the rounded points of its indicators that apply
/// to the branch, and Σ their `points`.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupResult {
    pub id: Id,
    pub points: Decimal,
    pub max: Decimal,
}

/// A view for one branch: its groups with at least one applicable indicator, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewResult {
    pub id: Id,
    pub groups: Vec<GroupResult>,
}

/// Where a rectification item stands at the year's cut-off date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RectStatus {
    /// Done on or before its deadline.
    Done,
    /// Done after its deadline.
    Late,
    /// Not done, and the deadline is before the cut-off.
    Overdue,
    /// Not done, and the deadline is on or after the cut-off.
    Open,
}

impl RectStatus {
    pub fn key(self) -> &'static str {
        match self {
            RectStatus::Done => "done",
            RectStatus::Late => "late",
            RectStatus::Overdue => "overdue",
            RectStatus::Open => "open",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RectStatus::Done => "按期完成",
            RectStatus::Late => "逾期完成",
            RectStatus::Overdue => "逾期未完成",
            RectStatus::Open => "整改中",
        }
    }
}

/// The follow-up of one rectification item.
#[derive(Debug, Clone, PartialEq)]
pub struct RectResult {
    pub id: String,
    pub status: RectStatus,
    /// The indicator the item targets, if any.
    pub indicator: Option<Id>,
    /// That indicator's rounded points this year.
    pub points: Option<Decimal>,
    /// Its rounded points in the nearest earlier year where the branch has a record and the
    /// indicator applies to it; with that year.
    pub previous_points: Option<Decimal>,
    pub previous_year: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Movement {
    Up,
    Down,
    Same,
    New,
}

impl Movement {
    pub fn key(self) -> &'static str {
        match self {
            Movement::Up => "up",
            Movement::Down => "down",
            Movement::Same => "same",
            Movement::New => "new",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Movement::Up => "上升",
            Movement::Down => "下降",
            Movement::Same => "持平",
            Movement::New => "新参评",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum GapToNext {
    Points { grade: String, points: Decimal },
    Vetoes { grade: String, vetoes: Vec<String> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct BranchResult {
    pub year: i32,
    pub id: String,
    pub name: String,
    pub category: String,
    pub org: Vec<String>,
    /// The branch's [`crate::model::Branch::org_node`].
    pub org_node: Option<usize>,
    pub file: String,
    pub base: Decimal,
    pub bonus: Decimal,
    /// Whether `bonus_cap` cut the sum of the bonuses.
    pub bonus_capped: bool,
    pub total: Decimal,
    /// Index into the year's grades.
    pub grade: usize,
    pub grade_before_vetoes: usize,
    pub vetoes: Vec<String>,
    pub unchecked_vetoes: Vec<String>,
    pub dimensions: Vec<DimensionResult>,
    pub indicators: Vec<IndicatorResult>,
    pub missing: Vec<String>,
    pub bonuses: Vec<BonusResult>,
    pub rank_in_category: usize,
    pub rank: usize,
    pub movement: Movement,
    pub previous_grade: Option<String>,
    pub version: Option<String>,
    pub version_changed: bool,
    pub self_total: Option<Decimal>,
    pub self_gap: Option<Decimal>,
    pub self_gap_flag: bool,
    pub gap_to_next: Option<GapToNext>,
    pub fix_first: Vec<(Id, Decimal)>,
    /// Every applicable indicator with a `deductions` rule, in file order.
    pub deductions: Vec<IndicatorDeductions>,
    /// The system's views, in file order.
    pub views: Vec<ViewResult>,
    /// The record's rectification items, in record order, followed up at the cut-off.
    pub rectification: Vec<RectResult>,
    /// The record gives an `inspection` block.
    pub inspected: bool,
    /// The block's `sampled`; `None` when not inspected.
    pub sampled: Option<bool>,
    /// The final grade is the lowest grade, or a veto fired.
    pub on_rectification_list: bool,
    /// The same in the nearest earlier year where the branch has a record; `None` when
    /// there is none.
    pub previous_on_list: Option<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrgResult {
    pub year: i32,
    pub org: Vec<String>,
    pub name: String,
    pub kind: Option<String>,
    pub branches: usize,
    pub mean: Option<Decimal>,
    /// Grade id → count, every grade in the year's order.
    pub grades: Vec<(String, usize)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct YearResult {
    pub year: i32,
    /// Sorted by id.
    pub branches: Vec<BranchResult>,
    /// Sorted by org path; the district first.
    pub orgs: Vec<OrgResult>,
    /// Indices into `branches` in ranking order: by rank, equals by id.
    pub order: Vec<usize>,
}

impl YearResult {
    /// Branches in ranking order: by rank, equals by id.
    pub fn ranked(&self) -> impl Iterator<Item = &BranchResult> {
        self.order.iter().map(|&i| &self.branches[i])
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub years: Vec<YearResult>,
}
