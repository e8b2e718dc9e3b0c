//! The annual report's lists of branches: ranking rows, each category's ranking, the
//! movers and the rectification list. Each list is also given as the order of its members
//! (indices into the year's results), so that the site can build it a page at a time.

use schemars::JsonSchema;
use serde::Serialize;

use crate::model::Year;
use crate::score::{BranchResult, Movement, YearResult};
use crate::view::format::Score;
use crate::view::refs::{GradeRef, IdLabel, category_ref, grade_ref, grade_ref_id};
use crate::view::stats::YearStats;
use crate::view::text::Text;
use crate::view::{Ctx, org_of};

/// 排名表的一行。
///
/// One line of a ranking.
#[derive(Serialize, JsonSchema)]
pub struct Row<'a> {
    /// 名次（类别排名中为类别内名次）。
    ///
    /// The rank (within the category on a category's ranking).
    pub rank: usize,
    /// 类别内名次。
    ///
    /// The rank within the category.
    pub rank_in_category: usize,
    /// 支部标识。
    ///
    /// The branch id.
    pub id: &'a str,
    /// 支部名称。
    ///
    /// The branch's name.
    pub name: Text<'a>,
    /// 所属组织的名称；不在任何组织下时为 null。
    ///
    /// The name of its organisation; null when it has none.
    pub org: Option<Text<'a>>,
    /// 所属组织的标识路径。
    ///
    /// Its organisation's id path.
    pub org_path: &'a [String],
    /// 类别。
    ///
    /// The category.
    pub category: IdLabel<'a>,
    /// 总分。
    ///
    /// The total.
    pub total: Score,
    /// 供排序用的总分（不补零的数字文字）。
    ///
    /// The total for sorting (the plain number).
    pub total_sort: String,
    /// 最终等次。
    ///
    /// The final grade.
    pub grade: GradeRef<'a>,
    /// 触发一票否决时为 true。
    ///
    /// True when a veto fired.
    pub vetoed: bool,
    /// 等次较上年：`up`、`down`、`same`、`new`。
    ///
    /// Movement: `up`, `down`, `same` or `new`.
    pub movement: &'static str,
    /// 升降的文字。
    ///
    /// The movement in words.
    pub movement_label: Text<'static>,
    /// 全区名次：只在类别排名中给出。
    ///
    /// The rank in the year: on a category's ranking only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank_overall: Option<usize>,
}

/// 一个类别的排名及其概况。
///
/// One category's ranking and figures.
#[derive(Serialize, JsonSchema)]
pub struct CategoryRanking<'a> {
    /// 类别。
    ///
    /// The category.
    pub category: IdLabel<'a>,
    /// 支部数。
    ///
    /// How many branches.
    pub branches: usize,
    /// 平均分。
    ///
    /// Their mean total.
    pub mean: Option<Score>,
    /// 最高分。
    ///
    /// The highest total.
    pub highest: Option<Score>,
    /// 最低分。
    ///
    /// The lowest total.
    pub lowest: Option<Score>,
    /// 本类别的排名行（`rank` 为类别内名次）：只在年度报告中给出，网站的排名页面分页列出。
    ///
    /// The category's ranking (`rank` within the category): in the annual report only; the
    /// site lists it on the ranking pages.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<Row<'a>>,
    /// 本类别排名页的链接（相对于网站根目录）：只在年度页面给出。
    ///
    /// The href of the category's ranking page, from the site root: on the year page only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
}

/// 等次上升和下降的支部。
///
/// The branches whose grade rose or fell.
#[derive(Serialize, JsonSchema)]
pub struct Movers<'a> {
    /// 等次上升的支部，按名次。
    ///
    /// Those that rose, in ranking order.
    pub up: Vec<Mover<'a>>,
    /// 等次下降的支部，按名次。
    ///
    /// Those that fell, in ranking order.
    pub down: Vec<Mover<'a>>,
}

/// 等次升降的一个支部。
///
/// A branch whose grade moved.
#[derive(Serialize, JsonSchema)]
pub struct Mover<'a> {
    /// 支部标识。
    ///
    /// The branch id.
    pub id: &'a str,
    /// 支部名称。
    ///
    /// Its name.
    pub name: Text<'a>,
    /// 所属组织的名称；没有时为 null。
    ///
    /// Its organisation's name; null when it has none.
    pub org: Option<Text<'a>>,
    /// 上年等次。
    ///
    /// Last year's grade.
    pub previous_grade: Option<GradeRef<'a>>,
    /// 本年度等次。
    ///
    /// This year's grade.
    pub grade: GradeRef<'a>,
    /// 总分。
    ///
    /// The total.
    pub total: Score,
}

/// 需要整改的一个支部。
///
/// A branch that needs a rectification plan.
#[derive(Serialize, JsonSchema)]
pub struct RectRow<'a> {
    /// 支部标识。
    ///
    /// The branch id.
    pub id: &'a str,
    /// 支部名称。
    ///
    /// Its name.
    pub name: Text<'a>,
    /// 所属组织的名称；没有时为 null。
    ///
    /// Its organisation's name; null when it has none.
    pub org: Option<Text<'a>>,
    /// 全区名次。
    ///
    /// Its rank in the year.
    pub rank: usize,
    /// 总分。
    ///
    /// The total.
    pub total: Score,
    /// 最终等次。
    ///
    /// The final grade.
    pub grade: GradeRef<'a>,
    /// 需要整改的原因，如“触发一票否决：有违纪违法党员”。
    ///
    /// Why, e.g. 触发一票否决：有违纪违法党员.
    pub reasons: Vec<Text<'a>>,
    /// 失分最多的（至多 3 个）指标。
    ///
    /// The (at most 3) indicators with the most points lost.
    pub fix_first: Vec<RectFix<'a>>,
}

/// 整改清单中应优先整改的指标。
///
/// An indicator to fix first, on the rectification list.
#[derive(Serialize, JsonSchema)]
pub struct RectFix<'a> {
    /// 指标标识。
    ///
    /// The indicator's id.
    pub id: &'a str,
    /// 指标名称。
    ///
    /// Its label.
    pub label: Text<'a>,
    /// 失分。
    ///
    /// Points lost.
    pub lost: Score,
    /// 工作指引；未写时为 null。
    ///
    /// What to do about it; null when the system gives nothing.
    pub guidance: Option<Text<'a>>,
}

/// One line of a ranking.
pub fn row<'a>(year: &'a Year, b: &'a BranchResult) -> Row<'a> {
    let sys = &year.system;
    Row {
        rank: b.rank,
        rank_in_category: b.rank_in_category,
        id: &b.id,
        name: (&b.name).into(),
        org: org_of(year, b).map(|o| (&o.name).into()),
        org_path: &b.org,
        category: category_ref(sys, &b.category),
        total: Score(b.total),
        total_sort: crate::decimal::show(b.total),
        grade: grade_ref(sys, b.grade),
        vetoed: !b.vetoes.is_empty(),
        movement: b.movement.key(),
        movement_label: b.movement.label().into(),
        rank_overall: None,
    }
}

/// One line of a category's ranking: `rank` is the rank within the category, `rank_overall`
/// the year's.
pub fn category_row<'a>(year: &'a Year, b: &'a BranchResult) -> Row<'a> {
    Row {
        rank: b.rank_in_category,
        rank_overall: Some(b.rank),
        ..row(year, b)
    }
}

/// The ranking rows of `members` (indices into `r.branches`).
pub fn rows_of<'a>(year: &'a Year, r: &'a YearResult, members: &[usize]) -> Vec<Row<'a>> {
    members.iter().map(|&i| row(year, &r.branches[i])).collect()
}

/// The ids of the categories that have branches, in the order of the indicator system, each
/// with its branches in ranking order (indices into `r.branches`): the lists the site's
/// ranking pages are cut from, as `rankings` lists them.
pub fn category_orders<'a>(
    year: &'a Year,
    r: &YearResult,
    stats: &YearStats,
) -> Vec<(&'a str, Vec<usize>)> {
    year.system
        .categories
        .iter()
        .filter(|(id, _)| stats.category_size.contains_key(id))
        .map(|(id, _)| {
            // The year's order filtered: within a category, ranks follow the totals too.
            let members = r
                .order
                .iter()
                .copied()
                .filter(|&i| r.branches[i].category == *id)
                .collect();
            (id.as_str(), members)
        })
        .collect()
}

/// Each category's ranking, with its rows or (`with_rows` false) only its figures.
pub fn rankings<'a>(
    year: &'a Year,
    r: &'a YearResult,
    stats: &YearStats,
    with_rows: bool,
) -> Vec<CategoryRanking<'a>> {
    let sys = &year.system;
    let total = |i: Option<&usize>| i.map(|&i| Score(r.branches[i].total));
    category_orders(year, r, stats)
        .into_iter()
        .map(|(id, members)| CategoryRanking {
            category: category_ref(sys, id),
            branches: stats.category_size.get(id).copied().unwrap_or(0),
            mean: stats.category_mean.get(id).map(|m| Score(*m)),
            highest: total(members.first()),
            lowest: total(members.last()),
            rows: if with_rows {
                members
                    .iter()
                    .map(|&i| category_row(year, &r.branches[i]))
                    .collect()
            } else {
                Vec::new()
            },
            href: None,
        })
        .collect()
}

/// The branches that moved `m`, in ranking order (none in a project's first year).
pub fn movers_of<'a>(ctx: &'a Ctx, y: usize, m: Movement) -> impl Iterator<Item = Mover<'a>> {
    let (year, r) = ctx.year(y);
    let prev = ctx.previous(y).map(|(p, _)| p);
    r.ranked()
        .filter(move |b| prev.is_some() && b.movement == m)
        .map(move |b| mover(year, prev, b))
}

pub fn mover<'a>(year: &'a Year, prev: Option<&'a Year>, b: &'a BranchResult) -> Mover<'a> {
    Mover {
        id: &b.id,
        name: (&b.name).into(),
        org: org_of(year, b).map(|o| (&o.name).into()),
        previous_grade: prev.and_then(|p| {
            b.previous_grade
                .as_deref()
                .map(|g| grade_ref_id(&p.system, g))
        }),
        grade: grade_ref(&year.system, b.grade),
        total: Score(b.total),
    }
}

/// Whether a branch needs a rectification plan: the lowest grade, or a fired veto.
fn needs_plan(year: &Year, b: &BranchResult) -> bool {
    let last = year.system.grades.len().saturating_sub(1);
    (b.grade == last && last > 0) || !b.vetoes.is_empty()
}

/// The branches that need a rectification plan, in ranking order (indices into
/// `r.branches`).
pub fn rectification_order<'a>(
    year: &'a Year,
    r: &'a YearResult,
) -> impl Iterator<Item = usize> + 'a {
    r.order
        .iter()
        .copied()
        .filter(move |&i| needs_plan(year, &r.branches[i]))
}

/// The rectification list's line of a branch.
pub fn rect_row<'a>(year: &'a Year, b: &'a BranchResult) -> RectRow<'a> {
    let sys = &year.system;
    let last = sys.grades.len().saturating_sub(1);
    let mut reasons: Vec<Text> = b
        .vetoes
        .iter()
        .filter_map(|v| sys.vetoes.iter().find(|x| x.id == *v))
        .map(|v| format!("触发一票否决：{}", v.label).into())
        .collect();
    if b.grade == last && last > 0 {
        reasons.push(format!("总分 {}，等次为{}", Score(b.total), sys.grades[last].label).into());
    }
    RectRow {
        id: &b.id,
        name: (&b.name).into(),
        org: org_of(year, b).map(|o| (&o.name).into()),
        rank: b.rank,
        total: Score(b.total),
        grade: grade_ref(sys, b.grade),
        reasons,
        fix_first: b
            .fix_first
            .iter()
            .take(3)
            .filter_map(|(id, lost)| {
                let ind = sys.indicator(id)?;
                Some(RectFix {
                    id: id.as_ref(),
                    label: (&ind.label).into(),
                    lost: Score(*lost),
                    guidance: ind.guidance.as_ref().map(Text::from),
                })
            })
            .collect(),
    }
}
