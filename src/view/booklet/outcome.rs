//! The booklet's result: total, grade, ranks, movement, the gap to the next grade, self
//! scores against the assessment.

use schemars::JsonSchema;
use serde::Serialize;

use crate::model::Year;
use crate::score::{BranchResult, GapToNext};
use crate::view::Ctx;
use crate::view::format::Score;
use crate::view::refs::{GradeRef, IdLabel, grade_ref, grade_ref_id};
use crate::view::stats::YearStats;
use crate::view::text::Text;

/// 支部的考评结果。
///
/// What the branch scored.
#[derive(Serialize, JsonSchema)]
pub struct BranchOutcome<'a> {
    /// 基础分。
    ///
    /// The base score.
    pub base: Score,
    /// 加分（封顶后）。
    ///
    /// The bonus, after the cap.
    pub bonus: Score,
    /// 总分。
    ///
    /// The total.
    pub total: Score,
    /// 最终等次（一票否决之后）。
    ///
    /// The final grade (after vetoes).
    pub grade: GradeRef<'a>,
    /// 按分数应得的等次（一票否决之前）。
    ///
    /// The grade the total gives, before vetoes.
    pub grade_before_vetoes: GradeRef<'a>,
    /// 类别内名次。
    ///
    /// The rank within the category.
    pub rank_in_category: usize,
    /// 本年度该类别的支部数。
    ///
    /// How many branches of that category the year has.
    pub category_size: usize,
    /// 全区名次。
    ///
    /// The rank in the year.
    pub rank: usize,
    /// 本年度参评支部数。
    ///
    /// How many branches the year has.
    pub year_size: usize,
    /// 等次较上年：`up`、`down`、`same`、`new`。
    ///
    /// Movement against last year: `up`, `down`, `same` or `new`.
    pub movement: &'static str,
    /// 升降的文字：上升、下降、持平、新参评。
    ///
    /// The movement in words: 上升, 下降, 持平, 新参评.
    pub movement_label: Text<'static>,
    /// 上一年度；新参评时为 null。
    ///
    /// The previous year; null for a new branch.
    pub previous_year: Option<i32>,
    /// 上年等次；新参评时为 null。
    ///
    /// Last year's grade; null for a new branch.
    pub previous_grade: Option<GradeRef<'a>>,
    /// 上年总分；新参评时为 null。
    ///
    /// Last year's total; null for a new branch.
    pub previous_total: Option<Score>,
    /// 与上年的指标体系版本不同时为 true。
    ///
    /// True when last year's system had another version.
    pub version_changed: bool,
    /// 距上一等次的差距；已是最高等次时为 null。
    ///
    /// The gap to the next grade up; null at the top grade.
    pub gap_to_next: Option<GapView<'a>>,
    /// 自评分合计；未自评时为 null。
    ///
    /// The sum of the self scores; null without self scores.
    pub self_total: Option<Score>,
    /// 相同指标的考核得分合计；未自评时为 null。
    ///
    /// The points earned on the same indicators; null without self scores.
    pub self_assessed: Option<Score>,
    /// 自评与考核之差；未自评时为 null。
    ///
    /// Self total minus assessed; null without self scores.
    pub self_gap: Option<Score>,
    /// 指标体系设定的差距预警线；未设定时为 null。
    ///
    /// The system's alert threshold for the gap; null when it sets none.
    pub self_gap_alert: Option<Score>,
    /// 差距达到预警线时为 true。
    ///
    /// True when the gap reaches the alert.
    pub self_gap_flag: bool,
    /// 缺少数据的指标。
    ///
    /// The indicators whose fact is missing.
    pub missing: Vec<IdLabel<'a>>,
}

/// 距上一等次的差距：差多少分，或受哪些一票否决项限制。
///
/// The gap to the next grade: points short, or the vetoes that hold the branch below it.
#[derive(Serialize, JsonSchema)]
pub struct GapView<'a> {
    /// 上一等次。
    ///
    /// The next grade up.
    pub grade: GradeRef<'a>,
    /// 还差的分数；受否决限制时为 null。
    ///
    /// The points short; null when vetoes hold the branch back.
    pub points: Option<Score>,
    /// 限制晋升的一票否决项；差分数时为 null。
    ///
    /// The vetoes that hold the branch back; null when it is points short.
    pub vetoes: Option<Vec<IdLabel<'a>>>,
}

pub(super) fn outcome<'a>(
    ctx: &'a Ctx,
    y: usize,
    r: &'a BranchResult,
    stats: &YearStats,
) -> BranchOutcome<'a> {
    let (year, result) = ctx.year(y);
    let sys = &year.system;
    let previous = ctx.previous(y).filter(|_| r.previous_grade.is_some());
    // Years keep their branches sorted by id, results in the same order: a binary search,
    // not a scan of last year's branches for every branch (quadratic on a whole district).
    let prev_branch = previous.and_then(|(py, pr)| {
        py.branch_index(&r.id)
            .and_then(|k| pr.branches.get(k))
            .filter(|p| p.id == r.id)
    });
    let gap = r.gap_to_next.as_ref().map(|g| match g {
        GapToNext::Points { grade, points } => GapView {
            grade: grade_ref_id(sys, grade),
            points: Some(Score(*points)),
            vetoes: None,
        },
        GapToNext::Vetoes { grade, vetoes } => GapView {
            grade: grade_ref_id(sys, grade),
            points: None,
            vetoes: Some(vetoes.iter().map(|v| veto_ref(year, v)).collect()),
        },
    });
    let assessed = r.self_total.zip(r.self_gap).map(|(t, g)| t - g);
    BranchOutcome {
        base: Score(r.base),
        bonus: Score(r.bonus),
        total: Score(r.total),
        grade: grade_ref(sys, r.grade),
        grade_before_vetoes: grade_ref(sys, r.grade_before_vetoes),
        rank_in_category: r.rank_in_category,
        category_size: stats.category_size.get(&r.category).copied().unwrap_or(0),
        rank: r.rank,
        year_size: result.branches.len(),
        movement: r.movement.key(),
        movement_label: r.movement.label().into(),
        previous_year: previous.map(|(p, _)| p.year),
        previous_grade: previous.and_then(|(p, _)| {
            r.previous_grade
                .as_deref()
                .map(|g| grade_ref_id(&p.system, g))
        }),
        previous_total: prev_branch.map(|p| Score(p.total)),
        version_changed: r.version_changed,
        gap_to_next: gap,
        self_total: r.self_total.map(Score),
        self_assessed: assessed.map(Score),
        self_gap: r.self_gap.map(Score),
        self_gap_alert: sys.self_gap_alert.map(Score),
        self_gap_flag: r.self_gap_flag,
        missing: r
            .missing
            .iter()
            .map(|id| IdLabel {
                id,
                label: sys.indicator(id).map_or(id.as_str(), |i| &i.label).into(),
            })
            .collect(),
    }
}

fn veto_ref<'a>(year: &'a Year, id: &'a str) -> IdLabel<'a> {
    let label = year
        .system
        .vetoes
        .iter()
        .find(|v| v.id == id)
        .map_or(id, |v| v.label.as_str());
    IdLabel {
        id,
        label: label.into(),
    }
}
