//! The views of the system (四强, 五项能力 …: other groupings of the same indicators) in the
//! reports: each branch's groups as a bar chart, and each group's mean over the district.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use schemars::JsonSchema;
use serde::Serialize;

use crate::chart::{self, Bar, BarChart, Tone};
use crate::decimal::round2;
use crate::model::{IndicatorSystem, Year};
use crate::score::{BranchResult, GroupResult, YearResult};
use crate::view::format::{Score, pct, ratio};
use crate::view::refs::Chart;
use crate::view::text::Text;

/// 一个分组视图在一个支部的得分。
///
/// One view for one branch.
#[derive(Serialize, JsonSchema)]
pub struct ViewScore<'a> {
    /// 视图标识。
    ///
    /// The view's id.
    pub id: &'a str,
    /// 视图名称（如“四强”）。
    ///
    /// Its label (e.g. 四强).
    pub label: Text<'a>,
    /// 有适用指标的各组，按指标体系的顺序；模板把它画成条形图（条长为得分率）。
    ///
    /// Its groups with an applicable indicator, in the order of the system; the templates
    /// draw them as a bar chart (each bar's length is the group's share). Drawn by the
    /// templates rather than as SVG: three charts on every branch page cost a tenth of a
    /// 10,000-branch build as SVG.
    pub groups: Vec<GroupScore<'a>>,
}

/// 一组的得分。
///
/// One group's points.
#[derive(Serialize, JsonSchema)]
pub struct GroupScore<'a> {
    /// 组名称。
    ///
    /// Its label.
    pub label: Text<'a>,
    /// 得分：组内适用指标的得分之和。
    ///
    /// Points: the sum of its applicable indicators' points.
    pub points: Score,
    /// 满分：组内适用指标的分值之和。
    ///
    /// Full points: the sum of their points.
    pub max: Score,
    /// 得分率，如 `"80.0%"`；满分为 0 时为 `"0.0%"`。也是条形图中条的长度。
    ///
    /// The share, e.g. `"80.0%"` (`"0.0%"` when the max is 0); also the bar's length.
    pub rate: String,
}

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// A bar per group, its share of the group's points: groups of different sizes compare.
fn bars_chart(
    prefix: &str,
    title: &str,
    rows: &[(&str, Decimal, String)],
) -> Option<Chart<'static>> {
    let bars: Vec<Bar> = rows
        .iter()
        .map(|(label, share, text)| Bar {
            label,
            value: f(*share),
            max: Some(1.0),
            value_text: text,
            tone: Tone::Accent,
        })
        .collect();
    chart::bar_chart(&BarChart {
        id_prefix: prefix,
        title,
        summary: Some("各组得分率（组内指标得分之和 ÷ 分值之和）"),
        bars: &bars,
        scale: Some(1.0),
    })
    .ok()
    .map(|svg| Chart {
        svg: svg.into(),
        caption: None,
    })
}

fn share(points: Decimal, max: Decimal) -> Decimal {
    if max.is_zero() {
        Decimal::ZERO
    } else {
        points / max
    }
}

pub fn branch<'a>(year: &'a Year, r: &'a BranchResult) -> Vec<ViewScore<'a>> {
    let sys: &'a IndicatorSystem = &year.system;
    sys.views
        .iter()
        .zip(&r.views)
        .map(|(v, got)| ViewScore {
            id: &v.id,
            label: (&v.label).into(),
            groups: got
                .groups
                .iter()
                .map(|g: &GroupResult| {
                    // The group as the system names it (the result's id is shared).
                    let label = v
                        .groups
                        .iter()
                        .find(|x| x.id == *g.id)
                        .map_or(g.id.as_str(), |x| x.label.as_str());
                    GroupScore {
                        label: label.into(),
                        points: Score(g.points),
                        max: Score(g.max),
                        rate: pct(share(g.points, g.max)),
                    }
                })
                .collect(),
        })
        .collect()
}

/// 一个分组视图的全区组均值。
///
/// One view's group means over the district.
#[derive(Serialize, JsonSchema)]
pub struct ViewMeans<'a> {
    /// 视图标识。
    ///
    /// The view's id.
    pub id: &'a str,
    /// 视图名称。
    ///
    /// Its label.
    pub label: Text<'a>,
    /// 各组，按指标体系的顺序（没有任何支部适用的组不列）。
    ///
    /// Its groups in the order of the system (a group that applies to no branch is left
    /// out).
    pub groups: Vec<GroupMean<'a>>,
    /// 各组总得分率的条形图；无法绘制时为 null。
    ///
    /// A bar chart of the groups' overall shares; null when it cannot be drawn.
    pub chart: Option<Chart<'static>>,
}

/// 一组的全区均值。
///
/// One group over the district.
#[derive(Serialize, JsonSchema)]
pub struct GroupMean<'a> {
    /// 组名称。
    ///
    /// The group's label.
    pub label: Text<'a>,
    /// 有该组（至少一个适用指标）的支部数。
    ///
    /// Branches the group applies to (at least one applicable indicator).
    pub branches: usize,
    /// 平均得分（两位小数）。
    ///
    /// The mean points, rounded to 2 decimals.
    pub mean: Score,
    /// 平均满分（各支部适用指标不同，满分可能不同）。
    ///
    /// The mean full points (the applicable indicators differ by category).
    pub mean_max: Score,
    /// 总得分率：得分之和 ÷ 满分之和。
    ///
    /// The overall share: Σ points ÷ Σ full points.
    pub rate: Option<String>,
}

pub fn means<'a>(year: &'a Year, result: &YearResult) -> Vec<ViewMeans<'a>> {
    let sys = &year.system;
    sys.views
        .iter()
        .enumerate()
        .map(|(k, v)| {
            // Per group of the system: branches, Σ points, Σ max.
            let mut sums = vec![(0usize, Decimal::ZERO, Decimal::ZERO); v.groups.len()];
            for b in &result.branches {
                let Some(got) = b.views.get(k) else { continue };
                for g in &got.groups {
                    if let Some(n) = v.groups.iter().position(|x| x.id == *g.id) {
                        sums[n].0 += 1;
                        sums[n].1 += g.points;
                        sums[n].2 += g.max;
                    }
                }
            }
            let groups: Vec<(GroupMean, Decimal)> = v
                .groups
                .iter()
                .zip(&sums)
                .filter(|(_, s)| s.0 > 0)
                .map(|(g, &(n, points, max))| {
                    let n_d = Decimal::from(n);
                    (
                        GroupMean {
                            label: (&g.label).into(),
                            branches: n,
                            mean: Score(round2(points / n_d)),
                            mean_max: Score(round2(max / n_d)),
                            rate: ratio(points, max),
                        },
                        share(points, max),
                    )
                })
                .collect();
            let rows: Vec<(&str, Decimal, String)> = groups
                .iter()
                .map(|(g, s)| (g.label.as_str(), *s, pct(*s)))
                .collect();
            let chart = bars_chart(
                &format!("view-{}-{}", year.year, v.id),
                &format!("{} 年度{}：各组得分率", year.year, v.label),
                &rows,
            );
            ViewMeans {
                id: &v.id,
                label: (&v.label).into(),
                groups: groups.into_iter().map(|(g, _)| g).collect(),
                chart,
            }
        })
        .collect()
}
