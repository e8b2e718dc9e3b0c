//! 整改跟踪 on the year page and in the annual report: the year's rectification items by
//! status and by street, the overdue ones, the branches on the list two years running,
//! those of last year's list that left it, and the branches gone since last year (withdrawn
//! with their reason, or vanished without a word).

use schemars::JsonSchema;
use serde::Serialize;

use super::date_text;
use super::plan::{STATUSES, StatusCount, counts, index};
use crate::model::{Branch, IndicatorSystem, Year};
use crate::score::{BranchResult, RectStatus};
use crate::view::format::Score;
use crate::view::refs::{GradeRef, grade_ref, grade_ref_id};
use crate::view::text::Text;
use crate::view::{Ctx, org_at};

/// 整改跟踪。
///
/// The rectification follow-up of a year.
#[derive(Serialize, JsonSchema)]
pub struct Tracking<'a> {
    /// 状态的计算日期（12 月 31 日，或年中检查的截止日期）。
    ///
    /// The date statuses are computed at (31 December, or the cut-off of a year in progress).
    pub cut_off: Text<'static>,
    /// 上一年度；没有时为 null。
    ///
    /// The previous year; null when there is none.
    pub previous_year: Option<i32>,
    /// 有整改计划的支部数。
    ///
    /// Branches with a plan.
    pub branches_with_plan: usize,
    /// 整改事项总数。
    ///
    /// Items in all.
    pub items: usize,
    /// 各状态的事项数（四种状态都列出）。
    ///
    /// Items by status (all four).
    pub by_status: Vec<StatusCount>,
    /// 各街道（区的下一级组织）的事项数，按状态；只列有事项的组织。
    ///
    /// Items by street (the district's child organisations) and status; only those with items.
    pub by_org: Vec<OrgItems<'a>>,
    /// 逾期未完成的事项总数。
    ///
    /// Overdue items in all.
    pub overdue_count: usize,
    /// 逾期未完成的事项，按街道、支部排列（年度页面上只列前 20 项）。
    ///
    /// The overdue items, by street then branch (the first 20 on the year page).
    pub overdue: Vec<OverdueItem<'a>>,
    /// 连续两年列入整改名单的支部数。
    ///
    /// Branches on the list two years running.
    pub two_years_count: usize,
    /// 连续两年列入整改名单的支部，按名次（年度页面上只列前 20 个）。
    ///
    /// Those branches, in ranking order (the first 20 on the year page).
    pub two_years: Vec<ListBranch<'a>>,
    /// 上一次列入整改名单、本年度已不在名单上的支部数。
    ///
    /// Branches on their previous list that left it this year.
    pub improved_count: usize,
    /// 这些支部，按名次（年度页面上只列前 20 个）。
    ///
    /// Those branches, in ranking order (the first 20 on the year page).
    pub improved: Vec<ListBranch<'a>>,
    /// 上一年度有、本年度已撤销的支部及原因（区级 `_org.yaml` 的 `withdrawn`）。
    ///
    /// The branches of last year withdrawn this year, with their reasons.
    pub withdrawn: Vec<GoneBranch<'a>>,
    /// 上一年度有、本年度既无记录也未说明撤销的支部。
    ///
    /// The branches of last year with no record this year and no word why.
    pub vanished: Vec<GoneBranch<'a>>,
}

/// 一个街道的整改事项。
///
/// The items of one street.
#[derive(Serialize, JsonSchema)]
pub struct OrgItems<'a> {
    /// 组织名称（区直属的支部为“区直属”）。
    ///
    /// The organisation's name (区直属 for branches directly under the district).
    pub name: Text<'a>,
    /// 组织的标识路径（区直属为 `[]`）。
    ///
    /// Its id path (`[]` for the district itself).
    pub org: &'a [String],
    /// 事项总数。
    ///
    /// Items in all.
    pub items: usize,
    /// 各状态的事项数，顺序同 `by_status`。
    ///
    /// Items per status, in the order of `by_status`.
    pub counts: Vec<usize>,
    /// 逾期未完成的事项数。
    ///
    /// Overdue items.
    pub overdue: usize,
}

/// 一项逾期未完成的整改事项。
///
/// One overdue item.
#[derive(Serialize, JsonSchema)]
pub struct OverdueItem<'a> {
    /// 支部标识。
    ///
    /// The branch's id.
    pub id: &'a str,
    /// 支部名称。
    ///
    /// The branch's name.
    pub name: Text<'a>,
    /// 所属街道的名称。
    ///
    /// Its street's name.
    pub street: Text<'a>,
    /// 存在的问题。
    ///
    /// The problem.
    pub problem: Text<'a>,
    /// 责任人；未写时为 null。
    ///
    /// The owner; null when not given.
    pub owner: Option<Text<'a>>,
    /// 整改期限。
    ///
    /// The deadline.
    pub due: Text<'static>,
}

/// 整改名单相关的一个支部。
///
/// A branch of the follow-up lists.
#[derive(Serialize, JsonSchema)]
pub struct ListBranch<'a> {
    /// 支部标识。
    ///
    /// The branch's id.
    pub id: &'a str,
    /// 支部名称。
    ///
    /// Its name.
    pub name: Text<'a>,
    /// 所属街道的名称。
    ///
    /// Its street's name.
    pub street: Text<'a>,
    /// 本年度总分。
    ///
    /// This year's total.
    pub total: Score,
    /// 本年度等次。
    ///
    /// This year's grade.
    pub grade: GradeRef<'a>,
    /// 上年等次；上年没有记录时为 null。
    ///
    /// Last year's grade; null without a record last year.
    pub previous_grade: Option<GradeRef<'a>>,
    /// 本年度整改计划的事项数。
    ///
    /// Items in this year's plan.
    pub plan_items: usize,
}

/// 上一年度有、本年度没有的支部。
///
/// A branch of last year that is gone.
#[derive(Serialize, JsonSchema)]
pub struct GoneBranch<'a> {
    /// 支部标识。
    ///
    /// The branch's id.
    pub id: &'a str,
    /// 上一年度的支部名称。
    ///
    /// Its name last year.
    pub name: Text<'a>,
    /// 上一年度所属街道的名称。
    ///
    /// Its street last year.
    pub street: Text<'a>,
    /// 上年等次。
    ///
    /// Last year's grade.
    pub previous_grade: GradeRef<'a>,
    /// 上一年度在整改名单上时为 true。
    ///
    /// True when it was on last year's list.
    pub was_on_list: bool,
    /// 撤销原因；未说明时为 null。
    ///
    /// Why it was withdrawn; null when no reason is given.
    pub reason: Option<Text<'a>>,
}

/// The name of the street (the district's child) a branch sits in.
fn street<'a>(year: &'a Year, b: &'a Branch) -> (Text<'a>, &'a [String]) {
    match b.org.first() {
        Some(_) => {
            let path = &b.org[..1];
            let name = org_at(year, path).map_or(b.org[0].as_str(), |o| o.name.as_str());
            (name.into(), path)
        }
        None => ("区直属".into(), &[]),
    }
}

fn list_branch<'a>(
    year: &'a Year,
    prev: Option<&'a IndicatorSystem>,
    b: &'a Branch,
    r: &'a BranchResult,
) -> ListBranch<'a> {
    let sys = &year.system;
    ListBranch {
        id: &b.id,
        name: (&r.name).into(),
        street: street(year, b).0,
        total: Score(r.total),
        grade: grade_ref(sys, r.grade),
        previous_grade: prev
            .zip(r.previous_grade.as_deref())
            .map(|(p, g)| grade_ref_id(p, g)),
        plan_items: b.record.rectification.len(),
    }
}

/// Cuts a list to `limit` (the count is taken before).
fn cut<T>(mut v: Vec<T>, limit: Option<usize>) -> Vec<T> {
    if let Some(n) = limit {
        v.truncate(n);
    }
    v
}

pub fn tracking<'a>(ctx: &'a Ctx, y: usize, limit: Option<usize>) -> Tracking<'a> {
    let (year, result) = ctx.year(y);
    let previous = ctx.previous(y);
    let prev_sys = previous.map(|(p, _)| p.system.as_ref());

    let mut by_org: Vec<OrgItems> = Vec::new();
    let mut overdue = Vec::new();
    let mut branches_with_plan = 0;
    for (b, r) in year.branches.iter().zip(&result.branches) {
        if r.rectification.is_empty() {
            continue;
        }
        branches_with_plan += 1;
        let (name, org) = street(year, b);
        let at = match by_org.iter().position(|o| o.org == org) {
            Some(k) => k,
            None => {
                by_org.push(OrgItems {
                    name: name.clone(),
                    org,
                    items: 0,
                    counts: vec![0; STATUSES.len()],
                    overdue: 0,
                });
                by_org.len() - 1
            }
        };
        let o = &mut by_org[at];
        for (item, f) in b.record.rectification.iter().zip(&r.rectification) {
            o.items += 1;
            o.counts[index(f.status)] += 1;
            if f.status == RectStatus::Overdue {
                o.overdue += 1;
                overdue.push((
                    org,
                    OverdueItem {
                        id: &b.id,
                        name: (&r.name).into(),
                        street: name.clone(),
                        problem: (&item.problem).into(),
                        owner: item.owner.as_ref().map(Text::from),
                        due: date_text(item.due).into(),
                    },
                ));
            }
        }
    }
    by_org.sort_by(|a, b| a.org.cmp(b.org));
    // By street, then branch id (the branches are already in id order), then record order.
    overdue.sort_by(|a, b| a.0.cmp(b.0));
    let overdue_count = overdue.len();

    let ranked = || {
        result
            .order
            .iter()
            .map(|&i| (&year.branches[i], &result.branches[i]))
    };
    let two: Vec<ListBranch> = ranked()
        .filter(|(_, r)| r.on_rectification_list && r.previous_on_list == Some(true))
        .map(|(b, r)| list_branch(year, prev_sys, b, r))
        .collect();
    let improved: Vec<ListBranch> = ranked()
        .filter(|(_, r)| !r.on_rectification_list && r.previous_on_list == Some(true))
        .map(|(b, r)| list_branch(year, prev_sys, b, r))
        .collect();

    let (mut withdrawn, mut vanished) = (Vec::new(), Vec::new());
    if let Some((prev, prev_result)) = previous {
        let listed = year.district().map_or(&[][..], |d| d.withdrawn.as_slice());
        for (b, r) in prev.branches.iter().zip(&prev_result.branches) {
            if year.branch_index(&b.id).is_some() {
                continue;
            }
            let reason = listed.iter().find(|w| w.id == b.id).map(|w| &w.reason);
            let gone = GoneBranch {
                id: &b.id,
                name: (&r.name).into(),
                street: street(prev, b).0,
                previous_grade: grade_ref(&prev.system, r.grade),
                was_on_list: r.on_rectification_list,
                reason: reason.map(Text::from),
            };
            if reason.is_some() {
                withdrawn.push(gone);
            } else {
                vanished.push(gone);
            }
        }
    }

    let statuses = result
        .branches
        .iter()
        .flat_map(|r| r.rectification.iter().map(|x| x.status));
    Tracking {
        cut_off: date_text(year.cut_off()).into(),
        previous_year: previous.map(|(p, _)| p.year),
        branches_with_plan,
        items: by_org.iter().map(|o| o.items).sum(),
        by_status: counts(statuses),
        by_org,
        overdue_count,
        overdue: cut(overdue.into_iter().map(|(_, x)| x).collect(), limit),
        two_years_count: two.len(),
        two_years: cut(two, limit),
        improved_count: improved.len(),
        improved: cut(improved, limit),
        withdrawn,
        vanished,
    }
}
