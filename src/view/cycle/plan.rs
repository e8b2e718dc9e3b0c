//! A branch's rectification plan (整改) in the reports: this year's items with their status
//! at the cut-off, and the plan of the nearest earlier year with the verdict on each
//! indicator it targeted (did it improve this year?).

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use super::date_text;
use crate::model::{Branch, IndicatorSystem, Rectification, Year};
use crate::score::{BranchResult, RectStatus};
use crate::view::Ctx;
use crate::view::format::{Score, pct};
use crate::view::refs::IdLabel;
use crate::view::text::Text;

/// Every status, in the order reports list them.
pub const STATUSES: [RectStatus; 4] = [
    RectStatus::Done,
    RectStatus::Late,
    RectStatus::Overdue,
    RectStatus::Open,
];

/// A status's place in [`STATUSES`].
pub fn index(s: RectStatus) -> usize {
    match s {
        RectStatus::Done => 0,
        RectStatus::Late => 1,
        RectStatus::Overdue => 2,
        RectStatus::Open => 3,
    }
}

/// 整改事项的一种状态及其个数。
///
/// One status and how many items have it.
#[derive(Serialize, JsonSchema)]
pub struct StatusCount {
    /// 状态：`done`（按期完成）、`late`（逾期完成）、`overdue`（逾期未完成）、`open`（整改中）。
    ///
    /// The status: `done`, `late`, `overdue` or `open`.
    pub status: &'static str,
    /// 状态的文字。
    ///
    /// The status in words.
    pub label: Text<'static>,
    /// 个数。
    ///
    /// How many.
    pub count: usize,
}

/// Items counted by status, every status listed.
pub fn counts(statuses: impl Iterator<Item = RectStatus>) -> Vec<StatusCount> {
    let mut n = [0usize; 4];
    for s in statuses {
        n[index(s)] += 1;
    }
    STATUSES
        .iter()
        .zip(n)
        .map(|(s, count)| StatusCount {
            status: s.key(),
            label: s.label().into(),
            count,
        })
        .collect()
}

/// 整改计划中的一项。
///
/// One item of a rectification plan.
#[derive(Serialize, JsonSchema)]
pub struct PlanItem<'a> {
    /// 事项标识。
    ///
    /// The item's id.
    pub id: &'a str,
    /// 存在的问题。
    ///
    /// The problem.
    pub problem: Text<'a>,
    /// 整改措施。
    ///
    /// The measure.
    pub measure: Text<'a>,
    /// 责任人；未写时为 null。
    ///
    /// The owner; null when not given.
    pub owner: Option<Text<'a>>,
    /// 整改期限，如“2026年6月30日”。
    ///
    /// The deadline, e.g. 2026年6月30日.
    pub due: Text<'static>,
    /// 完成日期；未完成时为 null。
    ///
    /// When it was done; null when not done.
    pub done: Option<Text<'static>>,
    /// 状态：`done`、`late`、`overdue`、`open`。
    ///
    /// The status: `done`, `late`, `overdue` or `open`.
    pub status: &'static str,
    /// 状态的文字：按期完成、逾期完成、逾期未完成、整改中。
    ///
    /// The status in words: 按期完成, 逾期完成, 逾期未完成, 整改中.
    pub status_label: Text<'static>,
    /// 针对的指标；未指定时为 null。
    ///
    /// The indicator it targets; null when none.
    pub indicator: Option<IdLabel<'a>>,
    /// 该指标本年度得分；未指定指标时为 null。
    ///
    /// That indicator's points this year; null without an indicator.
    pub points: Option<Score>,
    /// 该指标的分值；未指定指标时为 null。
    ///
    /// That indicator's full points; null without an indicator.
    pub max: Option<Score>,
    /// 该指标在此前最近一个有记录且适用的年度的得分；没有这样的年度时为 null。
    ///
    /// Its points in the nearest earlier year with a record where it applied; null when
    /// there is none.
    pub previous_points: Option<Score>,
    /// 上述年度；没有时为 null。
    ///
    /// That year; null when there is none.
    pub previous_year: Option<i32>,
}

fn indicator_ref<'a>(sys: &'a IndicatorSystem, id: &'a str) -> IdLabel<'a> {
    IdLabel {
        id,
        label: sys.indicator(id).map_or(id, |i| i.label.as_str()).into(),
    }
}

fn texts(item: &Rectification) -> (Text<'_>, Text<'_>, Option<Text<'_>>) {
    (
        (&item.problem).into(),
        (&item.measure).into(),
        item.owner.as_ref().map(Text::from),
    )
}

/// This year's plan of a branch, followed up as scored.
pub fn items<'a>(year: &'a Year, b: &'a Branch, r: &'a BranchResult) -> Vec<PlanItem<'a>> {
    let sys = &year.system;
    b.record
        .rectification
        .iter()
        .zip(&r.rectification)
        .map(|(item, f)| {
            let (problem, measure, owner) = texts(item);
            PlanItem {
                id: &item.id,
                problem,
                measure,
                owner,
                due: date_text(item.due).into(),
                done: item.done.map(|d| date_text(d).into()),
                status: f.status.key(),
                status_label: f.status.label().into(),
                indicator: item.indicator.as_deref().map(|id| indicator_ref(sys, id)),
                points: f.points.map(Score),
                max: item
                    .indicator
                    .as_deref()
                    .and_then(|id| sys.indicator(id))
                    .map(|i| Score(i.points)),
                previous_points: f.previous_points.map(Score),
                previous_year: f.previous_year,
            }
        })
        .collect()
}

/// 上一年度整改计划的跟踪：各事项当时的状态，及所针对指标本年度是否改善。
///
/// Last year's plan followed up: each item's status then, and whether the indicator it
/// targeted improved this year.
#[derive(Serialize, JsonSchema)]
pub struct LastPlan<'a> {
    /// 计划所在的年度（此前最近一个有本支部记录的年度）。
    ///
    /// The plan's year (the nearest earlier year with a record of this branch).
    pub year: i32,
    /// 各事项，按当年记录中的顺序。
    ///
    /// Its items, in that record's order.
    pub items: Vec<LastPlanItem<'a>>,
    /// 针对指标的事项数。
    ///
    /// How many items target an indicator.
    pub targeted: usize,
    /// 其中本年度得分率提高的事项数。
    ///
    /// Of them, how many improved this year.
    pub improved: usize,
    /// 其中得分率持平的事项数。
    ///
    /// How many stayed the same.
    pub same: usize,
    /// 其中得分率下降的事项数。
    ///
    /// How many got worse.
    pub worse: usize,
}

/// 上一年度整改计划中的一项及其效果。
///
/// One item of last year's plan and its effect.
#[derive(Serialize, JsonSchema)]
pub struct LastPlanItem<'a> {
    /// 存在的问题。
    ///
    /// The problem.
    pub problem: Text<'a>,
    /// 整改措施。
    ///
    /// The measure.
    pub measure: Text<'a>,
    /// 责任人；未写时为 null。
    ///
    /// The owner; null when not given.
    pub owner: Option<Text<'a>>,
    /// 整改期限。
    ///
    /// The deadline.
    pub due: Text<'static>,
    /// 当年截止日的状态：`done`、`late`、`overdue`、`open`。
    ///
    /// Its status at that year's cut-off.
    pub status: &'static str,
    /// 状态的文字。
    ///
    /// The status in words.
    pub status_label: Text<'static>,
    /// 针对的指标；未指定时为 null。
    ///
    /// The indicator it targeted; null when none.
    pub indicator: Option<IdLabel<'a>>,
    /// 该指标当年的得分 / 分值；未指定指标时为 null。
    ///
    /// Its points / full points that year; null without an indicator.
    pub then: Option<Points>,
    /// 该指标本年度的得分 / 分值；本年度不适用或没有该指标时为 null。
    ///
    /// Its points / full points this year; null when it is not in this year's system or
    /// does not apply.
    pub now: Option<Points>,
    /// 效果：`improved`（得分率提高）、`same`（持平）、`worse`（下降）、`gone`（本年度无此指标）；未指定指标时为 null。
    ///
    /// The effect: `improved`, `same`, `worse`, or `gone` (not scored this year); null
    /// without an indicator.
    pub trend: Option<&'static str>,
    /// 效果的文字：提高、持平、下降、本年度不再考核。
    ///
    /// The effect in words.
    pub trend_label: Option<Text<'static>>,
}

/// 指标的得分、分值和得分率。
///
/// An indicator's points, full points and share.
#[derive(Serialize, JsonSchema)]
pub struct Points {
    /// 得分。
    ///
    /// Points earned.
    pub points: Score,
    /// 分值。
    ///
    /// Full points.
    pub max: Score,
    /// 得分率，如 `"50.0%"`。
    ///
    /// The share, e.g. `"50.0%"`.
    pub rate: String,
    #[serde(skip)]
    share: Decimal,
}

fn points(sys: &IndicatorSystem, r: &BranchResult, id: &str) -> Option<Points> {
    let ind = sys.indicator(id)?;
    let got = r.indicators.iter().find(|x| x.id == *id)?;
    let share = if ind.points.is_zero() {
        Decimal::ZERO
    } else {
        got.earned / ind.points
    };
    Some(Points {
        points: Score(got.earned),
        max: Score(ind.points),
        rate: pct(share),
        share,
    })
}

/// The plan of the nearest earlier year in which branch `i` of year `y` has a record (the
/// same search as the follow-up's `previous_points`), with the effect on each indicator:
/// the shares are compared, as a system's version may change an indicator's points.
/// The nearest year before `y` that has branch `id`, and the branch's index in it.
pub fn earlier(ctx: &Ctx, y: usize, id: &str) -> Option<(usize, usize)> {
    (0..y)
        .rev()
        .find_map(|j| Some((j, ctx.project.years[j].branch_index(id)?)))
}

pub fn last<'a>(ctx: &'a Ctx, y: usize, i: usize) -> Option<LastPlan<'a>> {
    let (year, result) = ctx.year(y);
    let id = &year.branches[i].id;
    let now_r = &result.branches[i];
    let (py, k) = earlier(ctx, y, id)?;
    let (prev, prev_result) = ctx.year(py);
    let pb = &prev.branches[k];
    if pb.record.rectification.is_empty() {
        return None;
    }
    let pr = &prev_result.branches[k];
    let mut plan = LastPlan {
        year: prev.year,
        items: Vec::new(),
        targeted: 0,
        improved: 0,
        same: 0,
        worse: 0,
    };
    for (item, f) in pb.record.rectification.iter().zip(&pr.rectification) {
        let (problem, measure, owner) = texts(item);
        let ind = item.indicator.as_deref();
        let then = ind.and_then(|x| points(&prev.system, pr, x));
        let now = ind.and_then(|x| points(&year.system, now_r, x));
        let trend = ind.map(|_| match (&then, &now) {
            (Some(t), Some(n)) if n.share > t.share => ("improved", "提高"),
            (Some(t), Some(n)) if n.share < t.share => ("worse", "下降"),
            (Some(_), Some(_)) => ("same", "持平"),
            _ => ("gone", "本年度不再考核"),
        });
        if ind.is_some() {
            plan.targeted += 1;
        }
        match trend.map(|t| t.0) {
            Some("improved") => plan.improved += 1,
            Some("same") => plan.same += 1,
            Some("worse") => plan.worse += 1,
            _ => {}
        }
        plan.items.push(LastPlanItem {
            problem,
            measure,
            owner,
            due: date_text(item.due).into(),
            status: f.status.key(),
            status_label: f.status.label().into(),
            indicator: ind.map(|x| indicator_ref(&prev.system, x)),
            then,
            now,
            trend: trend.map(|t| t.0),
            trend_label: trend.map(|t| t.1.into()),
        });
    }
    Some(plan)
}
