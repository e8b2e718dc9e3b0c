//! The annual report's figures of the whole district: counts by grade and movement, the
//! categories' means, the year's charts.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use crate::model::{IndicatorSystem, Year};
use crate::score::{Movement, YearResult};
use crate::view::format::{Score, ratio};
use crate::view::refs::{CoverageRow, YearChart, coverage};
use crate::view::stats::YearStats;
use crate::view::text::Text;
use crate::view::{charts, district};

/// 全区概况。
///
/// The district in figures.
#[derive(Serialize, JsonSchema)]
pub struct Summary<'a> {
    /// 参评支部数。
    ///
    /// How many branches were assessed.
    pub branches: usize,
    /// 全区平均分；没有支部时为 null。
    ///
    /// The mean total; null without branches.
    pub mean: Option<Score>,
    /// 每个等次的支部数和占比（每个等次都列出，包括 0 个的）。
    ///
    /// Branches per grade and their share (every grade, 0 included).
    pub grades: Vec<GradeCount<'a>>,
    /// 等次升降的支部数。
    ///
    /// How many branches moved up, down, stayed or are new.
    pub movement: MovementCounts,
    /// 触发一票否决的支部数。
    ///
    /// Branches with a fired veto.
    pub vetoes_fired: usize,
    /// 有否决项未能核查的支部数。
    ///
    /// Branches with a veto that could not be checked.
    pub unchecked_vetoes: usize,
    /// 有指标缺少数据的支部数。
    ///
    /// Branches with an indicator missing its fact.
    pub missing_data: usize,
    /// 自评与考核差距达到预警线的支部数。
    ///
    /// Branches whose self score exceeds the assessment by the alert or more.
    pub self_gap_flagged: usize,
    /// 区（县）的两个覆盖情况；未填报时为 `[]`。
    ///
    /// The district's coverage (两个覆盖); `[]` when not given.
    pub coverage: Vec<CoverageRow<'a>>,
}

/// 一个等次的支部数和占比。
///
/// One grade's count and share.
#[derive(Serialize, JsonSchema)]
pub struct GradeCount<'a> {
    /// 等次标识。
    ///
    /// The grade's id.
    pub id: &'a str,
    /// 等次名称。
    ///
    /// Its label.
    pub label: Text<'a>,
    /// 级别：1 为最高等次。
    ///
    /// Level: 1 is the best grade.
    pub level: usize,
    /// 支部数。
    ///
    /// How many branches.
    pub count: usize,
    /// 占全部支部的比例，如 `"25.0%"`；没有支部时为 null。
    ///
    /// Their share of all branches, e.g. `"25.0%"`; null without branches.
    pub share: Option<String>,
}

/// 等次升降的支部数。
///
/// Branches by movement against last year.
#[derive(Serialize, JsonSchema)]
pub struct MovementCounts {
    /// 等次上升。
    ///
    /// Moved up.
    pub up: usize,
    /// 等次下降。
    ///
    /// Moved down.
    pub down: usize,
    /// 等次持平。
    ///
    /// Stayed.
    pub same: usize,
    /// 新参评。
    ///
    /// New this year.
    pub new: usize,
}

/// 一个类别的支部数和平均分。
///
/// One category's branches and mean.
#[derive(Serialize, JsonSchema)]
pub struct CategoryStat<'a> {
    /// 类别标识。
    ///
    /// The category's id.
    pub id: &'a str,
    /// 类别名称。
    ///
    /// Its label.
    pub label: Text<'a>,
    /// 支部数。
    ///
    /// How many branches.
    pub branches: usize,
    /// 平均分；没有支部时为 null。
    ///
    /// Their mean total; null without branches.
    pub mean: Option<Score>,
}

pub fn summary<'a>(year: &'a Year, r: &YearResult, stats: &YearStats) -> Summary<'a> {
    let sys = &year.system;
    let n = r.branches.len();
    let mut counts = vec![0usize; sys.grades.len()];
    let mut moves = [0usize; 4];
    for b in &r.branches {
        counts[b.grade] += 1;
        moves[b.movement as usize] += 1;
    }
    let count =
        |f: fn(&crate::score::BranchResult) -> bool| r.branches.iter().filter(|b| f(b)).count();
    Summary {
        branches: n,
        mean: stats.mean.map(Score),
        grades: sys
            .grades
            .iter()
            .zip(&counts)
            .enumerate()
            .map(|(i, (g, c))| GradeCount {
                id: &g.id,
                label: (&g.label).into(),
                level: i + 1,
                count: *c,
                share: ratio(Decimal::from(*c), Decimal::from(n)),
            })
            .collect(),
        movement: MovementCounts {
            up: moves[Movement::Up as usize],
            down: moves[Movement::Down as usize],
            same: moves[Movement::Same as usize],
            new: moves[Movement::New as usize],
        },
        vetoes_fired: count(|b| !b.vetoes.is_empty()),
        unchecked_vetoes: count(|b| !b.unchecked_vetoes.is_empty()),
        missing_data: count(|b| !b.missing.is_empty()),
        self_gap_flagged: count(|b| b.self_gap_flag),
        coverage: district(year).map_or_else(Vec::new, coverage),
    }
}

pub fn categories<'a>(year: &'a Year, stats: &YearStats) -> Vec<CategoryStat<'a>> {
    year.system
        .categories
        .iter()
        .map(|(id, label)| CategoryStat {
            id,
            label: label.into(),
            branches: stats.category_size.get(id).copied().unwrap_or(0),
            mean: stats.category_mean.get(id).map(|m| Score(*m)),
        })
        .collect()
}

/// The year's charts; one that cannot be drawn (no branches yet) is left out, not shown
/// empty.
pub fn year_charts(
    sys: &IndicatorSystem,
    r: &YearResult,
    stats: &YearStats,
) -> Vec<YearChart<'static>> {
    [
        charts::grade_counts(sys, r),
        charts::histogram(sys, r, None),
        charts::category_means(sys, r, stats),
    ]
    .into_iter()
    .filter(|c| c.svg.is_some())
    .collect()
}
