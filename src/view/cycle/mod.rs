//! The assessment cycle in the reports (SCHEMA.md, version 2): what the branch page and the
//! booklet show of the inspection, the rectification plans, the views, the votes and the
//! meeting calendar ([`BranchCycle`]), what the year page and the annual report show of
//! the whole district ([`YearCycle`]), and how a year still in progress is named
//! ([`Stage`]). Selection and arithmetic live here; the templates only print.

pub mod calendar;
pub mod inspection;
pub mod plan;
pub mod tracking;
pub mod views;
pub mod votes;

use schemars::JsonSchema;
use serde::Serialize;

use super::Ctx;
use super::text::{Source, Text};
use crate::model::{Branch, Date, Year};

pub use calendar::{Calendar, Progress};
pub use inspection::{InspectionCoverage, InspectionView};
pub use plan::{LastPlan, PlanItem, StatusCount};
pub use tracking::Tracking;
pub use views::{ViewMeans, ViewScore};
pub use votes::{VoteResult, VoteSummary};

/// 年中检查：本年度考评尚未结束（区级 `_org.yaml` 写了 `as_of`）；没有 `as_of` 的年度为 null。
///
/// A year in progress (`as_of` in the district's `_org.yaml`); null for a finished year.
#[derive(Serialize, JsonSchema)]
pub struct Stage {
    /// 固定为“年中检查”。
    ///
    /// Always 年中检查.
    pub label: Text<'static>,
    /// 数据截止日期，如“2026年6月30日”。
    ///
    /// The data cut-off, e.g. 2026年6月30日.
    pub as_of: Text<'static>,
    /// 同一日期的 `YYYY-MM-DD` 形式。
    ///
    /// The same date as `YYYY-MM-DD`.
    pub as_of_iso: String,
    /// 分数的标注：“暂计”。
    ///
    /// How scores are marked: 暂计 (provisional).
    pub mark: Text<'static>,
    /// 一句说明，供页面和手册开头使用。
    ///
    /// A sentence for the top of pages and documents.
    pub note: Text<'static>,
}

/// A date as people write it: `2026年6月30日`.
pub fn date_text(d: Date) -> String {
    format!("{}年{}月{}日", d.year, d.month, d.day)
}

/// The stage of a year: `Some` when the year is in progress.
pub fn stage(year: &Year) -> Option<Stage> {
    let d = year.as_of()?;
    let text = date_text(d);
    Some(Stage {
        label: "年中检查".into(),
        note: format!(
            "{} 年度考评尚在进行，本次为年中检查：数据截至{text}，分数、等次和名次均为暂计，年终考评时以全年数据重新评定。",
            year.year
        )
        .into(),
        as_of: text.into(),
        as_of_iso: d.to_string(),
        mark: "暂计".into(),
    })
}

/// 支部的考评周期：检查、整改、分组视图、评议票数和组织生活日历。
///
/// The cycle of one branch: inspection, rectification, views, votes and the meeting
/// calendar.
#[derive(Serialize, JsonSchema)]
pub struct BranchCycle<'a> {
    /// 考评组检查情况。
    ///
    /// The inspection team's findings.
    pub inspection: InspectionView<'a>,
    /// 本年度整改计划，按记录中的顺序，状态按截止日期（12 月 31 日或 `as_of`）计算。
    ///
    /// This year's rectification plan in record order, each item's status at the cut-off.
    pub plan: Vec<PlanItem<'a>>,
    /// 本年度整改事项按状态的个数（四种状态都列出）。
    ///
    /// This year's items counted by status (all four statuses).
    pub plan_counts: Vec<StatusCount>,
    /// 上一次有记录的年度的整改计划及所针对指标是否改善；没有时为 null。
    ///
    /// The plan of the nearest earlier year with a record, and whether the indicators it
    /// targeted improved; null when there is none.
    pub last_plan: Option<LastPlan<'a>>,
    /// 指标体系的各个分组视图（四强等），每个一张图。
    ///
    /// Each view of the system (四强 …) with its chart.
    pub views: Vec<ViewScore<'a>>,
    /// 指标体系的各项评议（述职评议等）及本支部的票数。
    ///
    /// Each graded vote of the system and this branch's counts.
    pub votes: Vec<VoteResult<'a>>,
    /// 组织生活日历：12 个月 × 每种会议。
    ///
    /// The meeting calendar: 12 months × each meeting kind.
    pub calendar: Calendar<'a>,
    /// 年中检查时：截至目前各类会议缺开的月份和季度；全年考评时为 null。
    ///
    /// In a year in progress: the months and quarters passed so far without a meeting of
    /// each kind counted by months or quarters; null for a finished year.
    pub progress: Option<Progress<'a>>,
}

/// The cycle of branch `i` of year `y`.
pub fn branch<'a>(ctx: &'a Ctx, y: usize, i: usize) -> BranchCycle<'a> {
    let (year, result) = ctx.year(y);
    let b = &year.branches[i];
    let r = &result.branches[i];
    let plan = plan::items(year, b, r);
    let counted = &ctx.counted[y];
    BranchCycle {
        inspection: inspection::branch(&b.record),
        plan_counts: plan::counts(r.rectification.iter().map(|x| x.status)),
        plan,
        last_plan: plan::last(ctx, y, i),
        views: views::branch(year, r),
        votes: votes::branch(&year.system, &b.record, r),
        calendar: calendar::calendar(year, &b.record, counted),
        progress: calendar::progress(year, &b.record, counted),
    }
}

/// Where the cycle's user texts of branch `b` of year `y` were written, for warnings about
/// a character no font can draw: the inspection's and this year's plan's texts in its
/// record, then last year's plan's in the record it comes from.
pub(crate) fn sources<'a>(ctx: &'a Ctx, y: usize, b: &'a Branch, out: &mut Vec<Source<'a>>) {
    let push = |out: &mut Vec<Source<'a>>, b: &'a Branch| {
        let file = b.file.as_str();
        let mut add = |at, text| out.push(Source { file, at, text });
        let r = &b.record;
        if let Some(i) = &r.inspection {
            for (text, &at) in i.team.iter().zip(&i.team_at) {
                add(at, text);
            }
            for (text, &at) in i.methods.iter().zip(&i.methods_at) {
                add(at, text);
            }
            if let (Some(text), Some(at)) = (&i.overall, i.overall_at) {
                add(at, text);
            }
            for (text, &at) in i.opinions.iter().zip(&i.opinions_at) {
                add(at, text);
            }
        }
        for item in &r.rectification {
            add(item.problem_at, &item.problem);
            add(item.measure_at, &item.measure);
            if let (Some(text), Some(at)) = (&item.owner, item.owner_at) {
                add(at, text);
            }
        }
    };
    push(out, b);
    if let Some((py, k)) = plan::earlier(ctx, y, &b.id) {
        push(out, &ctx.project.years[py].branches[k]);
    }
}

/// 全区的考评周期：整改跟踪、检查覆盖、分组视图均值和评议结果。
///
/// The cycle of the whole district: rectification follow-up, inspection coverage, the
/// views' group means and the vote results.
#[derive(Serialize, JsonSchema)]
pub struct YearCycle<'a> {
    /// 整改跟踪。
    ///
    /// The rectification follow-up.
    pub tracking: Tracking<'a>,
    /// 检查覆盖情况。
    ///
    /// Inspection coverage.
    pub inspection: InspectionCoverage<'a>,
    /// 各分组视图的组均值。
    ///
    /// The views' group means.
    pub views: Vec<ViewMeans<'a>>,
    /// 各项评议（述职评议等）的全区结果。
    ///
    /// The district's results of each graded vote.
    pub votes: Vec<VoteSummary<'a>>,
}

/// The district's cycle in year `y`; `limit` cuts each list of branches or items (the
/// counts stay whole), for the year page.
pub fn year<'a>(ctx: &'a Ctx, y: usize, limit: Option<usize>) -> YearCycle<'a> {
    let (year, result) = ctx.year(y);
    YearCycle {
        tracking: tracking::tracking(ctx, y, limit),
        inspection: inspection::coverage(year),
        views: views::means(year, result),
        votes: votes::summary(year, result),
    }
}
