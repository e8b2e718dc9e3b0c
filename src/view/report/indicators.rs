//! The annual report's indicator system: every indicator in words, with how the year's
//! branches scored on it.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use crate::decimal::round2;
use crate::model::{Rule, Year};
use crate::score::YearResult;
use crate::view::describe;
use crate::view::format::{Score, pct};
use crate::view::refs::{Chart, GradeLine, GradeRef, IdLabel, category_ref, grade_ref, grades};
use crate::view::text::Text;

/// 指标体系及各指标的全区得分情况。
///
/// The indicator system, with how the branches scored on each indicator.
#[derive(Serialize, JsonSchema)]
pub struct IndicatorSystemView<'a> {
    /// 指标体系名称。
    ///
    /// The system's name.
    pub name: Text<'a>,
    /// 版本；未标版本时为 null。
    ///
    /// Its version; null when none is given.
    pub version: Option<Text<'a>>,
    /// 基础分满分。
    ///
    /// The full base score.
    pub scale: Score,
    /// 加分上限。
    ///
    /// The bonus cap.
    pub bonus_cap: Score,
    /// 自评差距预警线；未设定时为 null。
    ///
    /// The self-gap alert; null when the system sets none.
    pub self_gap_alert: Option<Score>,
    /// 全部类别，按指标体系的顺序。
    ///
    /// Every category, in the order of the system.
    pub categories: Vec<IdLabel<'a>>,
    /// 全部等次，最高的在前。
    ///
    /// Every grade, the best first.
    pub grades: Vec<GradeLine<'a>>,
    /// 各维度及其指标。
    ///
    /// The dimensions and their indicators.
    pub dimensions: Vec<SystemDimension<'a>>,
    /// 一票否决项。
    ///
    /// The vetoes.
    pub vetoes: Vec<SystemVeto<'a>>,
    /// 加分项。
    ///
    /// The bonuses.
    pub bonuses: Vec<SystemBonus<'a>>,
}

/// 指标体系的一个维度。
///
/// One dimension of the system.
#[derive(Serialize, JsonSchema)]
pub struct SystemDimension<'a> {
    /// 维度标识。
    ///
    /// Its id.
    pub id: &'a str,
    /// 维度名称。
    ///
    /// Its label.
    pub label: Text<'a>,
    /// 任一类别在本维度的最高分值。
    ///
    /// The most points the dimension has for any category.
    pub points: Score,
    /// 本维度的指标。
    ///
    /// Its indicators.
    pub indicators: Vec<SystemIndicator<'a>>,
}

/// 一个指标及其全区得分情况。
///
/// One indicator and how the branches scored on it.
#[derive(Serialize, JsonSchema)]
pub struct SystemIndicator<'a> {
    /// 指标标识。
    ///
    /// Its id.
    pub id: &'a str,
    /// 指标名称。
    ///
    /// Its label.
    pub label: Text<'a>,
    /// 分值。
    ///
    /// Its points.
    pub points: Score,
    /// 适用的类别，如“全部类别”“农村、社区”。
    ///
    /// The categories it applies to, in words.
    pub applies_to: Text<'a>,
    /// 读取的事实。
    ///
    /// What is read, in words.
    pub fact: Text<'a>,
    /// 计分规则的文字说明。
    ///
    /// The rule in words.
    pub rule: Text<'a>,
    /// 规则类型：`goalpost`、`steps`、`checklist`、`boolean`、`deduct`、`rating`。
    ///
    /// The kind of rule.
    pub rule_kind: &'static str,
    /// 评定规则的各级名称（其他规则为 `[]`）。
    ///
    /// The levels of a rating rule in words (`[]` for other rules).
    pub levels: Vec<Text<'a>>,
    /// 工作指引；未写时为 null。
    ///
    /// What to do about it; null when the system gives nothing.
    pub guidance: Option<Text<'a>>,
    /// 全区得分情况。
    ///
    /// How the branches scored.
    pub stats: IndicatorStats,
    /// 各支部得分情况的条形图：只在网站的指标体系页面给出（无法绘制时为 null）。
    ///
    /// A bar chart of how the branches scored: on the site's indicator page only (null when
    /// it cannot be drawn).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chart: Option<Option<Chart<'a>>>,
}

/// 一个指标的全区得分情况。
///
/// How the year's branches scored on one indicator.
#[derive(Serialize, JsonSchema)]
pub struct IndicatorStats {
    /// 适用的支部数。
    ///
    /// Branches it applies to.
    pub branches: usize,
    /// 平均得分；没有适用的支部时为 null。
    ///
    /// The mean points; null when it applies to none.
    pub mean: Option<Score>,
    /// 平均得分率；没有适用的支部或分值为 0 时为 null。
    ///
    /// The mean share of the points; null when it applies to none or has no points.
    pub mean_rate: Option<String>,
    /// 得满分的支部数。
    ///
    /// Branches with full points.
    pub full: usize,
    /// 部分得分的支部数。
    ///
    /// Branches with some points.
    pub partial: usize,
    /// 得 0 分（不含缺少数据）的支部数。
    ///
    /// Branches with none (missing data aside).
    pub zero: usize,
    /// 缺少数据的支部数。
    ///
    /// Branches missing its fact.
    pub missing: usize,
}

/// 一个一票否决项及本年度的触发情况。
///
/// One veto and how often it fired.
#[derive(Serialize, JsonSchema)]
pub struct SystemVeto<'a> {
    /// 否决项标识。
    ///
    /// Its id.
    pub id: &'a str,
    /// 否决项名称。
    ///
    /// Its label.
    pub label: Text<'a>,
    /// 触发条件的文字说明。
    ///
    /// The condition in words.
    pub condition: Text<'a>,
    /// 触发时等次最高为。
    ///
    /// The highest grade it allows.
    pub cap: GradeRef<'a>,
    /// 触发的支部数。
    ///
    /// Branches where it fired.
    pub fired: usize,
    /// 未能核查的支部数。
    ///
    /// Branches where it could not be checked.
    pub unchecked: usize,
}

/// 一个加分项及获得加分的支部数。
///
/// One bonus and how many branches earned it.
#[derive(Serialize, JsonSchema)]
pub struct SystemBonus<'a> {
    /// 加分项标识。
    ///
    /// Its id.
    pub id: &'a str,
    /// 加分项名称。
    ///
    /// Its label.
    pub label: Text<'a>,
    /// 读取的事实。
    ///
    /// What is read, in words.
    pub fact: Text<'a>,
    /// 每项加分。
    ///
    /// Points for each.
    pub each: Score,
    /// 最多加分；不限时为 null。
    ///
    /// Its maximum; null when unlimited.
    pub max: Option<Score>,
    /// 获得加分的支部数。
    ///
    /// Branches that earned it.
    pub earned_by: usize,
}

pub fn indicator_system<'a>(year: &'a Year, r: &YearResult) -> IndicatorSystemView<'a> {
    let sys = &year.system;
    let dimensions = sys
        .dimensions
        .iter()
        .map(|d| {
            // The most points the dimension has for any category.
            let max = sys
                .categories
                .iter()
                .map(|(c, _)| {
                    d.indicators
                        .iter()
                        .filter(|i| i.applies(c))
                        .map(|i| i.points)
                        .sum::<Decimal>()
                })
                .max()
                .unwrap_or(Decimal::ZERO);
            let indicators = d
                .indicators
                .iter()
                .map(|i| {
                    let results: Vec<_> = r
                        .branches
                        .iter()
                        .filter_map(|b| b.indicators.iter().find(|x| x.id == i.id))
                        .collect();
                    let n = results.len();
                    let sum: Decimal = results.iter().map(|x| x.earned).sum();
                    let full = results.iter().filter(|x| x.earned == x.points).count();
                    let zero = results
                        .iter()
                        .filter(|x| x.earned.is_zero() && !x.missing)
                        .count();
                    let missing = results.iter().filter(|x| x.missing).count();
                    SystemIndicator {
                        id: &i.id,
                        label: (&i.label).into(),
                        points: Score(i.points),
                        applies_to: describe::applies_to(sys, i).into(),
                        fact: describe::fact(sys, &i.fact).into(),
                        rule: describe::rule(sys, i).into(),
                        rule_kind: i.rule.kind(),
                        levels: match &i.rule {
                            Rule::Rating(l) => {
                                l.iter().map(|(k, _)| describe::level(k).into()).collect()
                            }
                            _ => Vec::new(),
                        },
                        guidance: i.guidance.as_ref().map(Text::from),
                        stats: IndicatorStats {
                            branches: n,
                            mean: (n > 0).then(|| Score(round2(sum / Decimal::from(n)))),
                            mean_rate: (n > 0 && !i.points.is_zero())
                                .then(|| pct(sum / Decimal::from(n) / i.points)),
                            full,
                            partial: n - full - zero - missing,
                            zero,
                            missing,
                        },
                        chart: None,
                    }
                })
                .collect();
            SystemDimension {
                id: &d.id,
                label: (&d.label).into(),
                points: Score(max),
                indicators,
            }
        })
        .collect();
    IndicatorSystemView {
        name: (&sys.name).into(),
        version: sys.version.as_ref().map(Text::from),
        scale: Score(sys.scale),
        bonus_cap: Score(sys.bonus_cap),
        self_gap_alert: sys.self_gap_alert.map(Score),
        categories: sys
            .categories
            .iter()
            .map(|(id, _)| category_ref(sys, id))
            .collect(),
        grades: grades(sys),
        dimensions,
        vetoes: sys
            .vetoes
            .iter()
            .map(|v| SystemVeto {
                id: &v.id,
                label: (&v.label).into(),
                condition: describe::condition(sys, &v.when).into(),
                cap: grade_ref(sys, v.cap),
                fired: r
                    .branches
                    .iter()
                    .filter(|b| b.vetoes.contains(&v.id))
                    .count(),
                unchecked: r
                    .branches
                    .iter()
                    .filter(|b| b.unchecked_vetoes.contains(&v.id))
                    .count(),
            })
            .collect(),
        bonuses: sys
            .bonuses
            .iter()
            .map(|b| SystemBonus {
                id: &b.id,
                label: (&b.label).into(),
                fact: describe::fact(sys, &b.fact).into(),
                each: Score(b.each),
                max: b.max.map(Score),
                earned_by: r
                    .branches
                    .iter()
                    .filter(|x| {
                        x.bonuses
                            .iter()
                            .any(|g| g.id == b.id && !g.points.is_zero())
                    })
                    .count(),
            })
            .collect(),
    }
}
