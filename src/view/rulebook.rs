//! The year's 考核细则 as a district hands it out at the start of the year (schema
//! `dangjian.rulebook/1`): one table of 考评项目 | 分值 | 评分标准 | 考评方式, made from the
//! same `indicators.yaml` the scores come from, then the vetoes (高压线), the bonuses
//! (加分项) and the grade bands. The site's rulebook page and the rulebook PDF both read it.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use super::format::plain;
use super::refs::{GradeRef, IdLabel, category_ref, grade_ref};
use super::text::{Source, Text};
use super::{Ctx, clauses, describe, issuer};
use crate::decimal::round2;
use crate::model::{CondValue, Indicator, IndicatorSystem, Op, Rule, Year};

/// 考核细则（`dangjian.rulebook/1`）：一个年度的指标体系，按考核细则的样式排列。
///
/// The rulebook of one year (`dangjian.rulebook/1`): its indicator system as a 考核细则.
#[derive(Serialize, JsonSchema)]
pub struct Rulebook<'a> {
    /// 固定为 `dangjian.rulebook/1`。
    ///
    /// Always `dangjian.rulebook/1`.
    pub schema: &'static str,
    /// 标题（年度由模板加在前面），如“基层党组织建设质量考核细则”。
    ///
    /// The title (the template puts the year before it).
    pub title: Text<'static>,
    /// 考评年度。
    ///
    /// The assessment year.
    pub year: i32,
    /// 印发单位：区（县）党组织的名称。
    ///
    /// The issuer: the name of the district's organisation.
    pub issuer: Text<'a>,
    /// 日期，如“2026年12月31日”。
    ///
    /// The date, e.g. 2026年12月31日.
    pub date: Text<'a>,
    /// 指标体系名称。
    ///
    /// The system's name.
    pub name: Text<'a>,
    /// 版本；未标版本时为 null。
    ///
    /// Its version; null when none is given.
    pub version: Option<Text<'a>>,
    /// 基础分满分，如“100”（细则中的写法：不补零）。
    ///
    /// The full base score, as a rulebook writes it (`100`, no trailing zeros).
    pub scale: String,
    /// 加分上限，如“5”。
    ///
    /// The bonus cap, e.g. `5`.
    pub bonus_cap: String,
    /// 党组织类别，按指标体系的顺序。
    ///
    /// The categories, in the system's order.
    pub categories: Vec<IdLabel<'a>>,
    /// 各维度及其考评项目。
    ///
    /// The dimensions and their items.
    pub dimensions: Vec<RulebookDimension<'a>>,
    /// 扣分制（按条款扣分）的考评项目数。
    ///
    /// How many items are scored by clauses (扣分制).
    pub deduction_items: usize,
    /// 考评项目总数。
    ///
    /// How many items there are.
    pub items: usize,
    /// 一票否决项（高压线）。
    ///
    /// The vetoes (高压线).
    pub vetoes: Vec<RulebookVeto<'a>>,
    /// 加分项。
    ///
    /// The bonuses.
    pub bonuses: Vec<RulebookBonus<'a>>,
    /// 等次及分数段，最高的在前。
    ///
    /// The grade bands, the best first.
    pub grades: Vec<GradeBand<'a>>,
    #[serde(skip)]
    origin: &'a Year,
}

/// 考核细则中的一个维度。
///
/// One dimension of the rulebook.
#[derive(Serialize, JsonSchema)]
pub struct RulebookDimension<'a> {
    /// 维度标识。
    ///
    /// The dimension's id.
    pub id: &'a str,
    /// 维度名称。
    ///
    /// Its label.
    pub label: Text<'a>,
    /// 分值：各类别相同时为一个数，如“20”；不同时按类别列出，如“农村 32、社区 32”。
    ///
    /// Its points: one number when every category has the same (`20`), else per category
    /// (`农村 32、社区 32`).
    pub points: Text<'a>,
    /// 考评项目，按指标体系的顺序。
    ///
    /// Its items, in the system's order.
    pub items: Vec<RulebookItem<'a>>,
}

/// 考核细则中的一个考评项目（指标）。
///
/// One item (indicator) of the rulebook.
#[derive(Serialize, JsonSchema)]
pub struct RulebookItem<'a> {
    /// 序号（全表连续编号，从 1 起）。
    ///
    /// Its number, counted through the whole table from 1.
    pub number: usize,
    /// 指标标识。
    ///
    /// The indicator's id.
    pub id: &'a str,
    /// 考评项目名称。
    ///
    /// Its label.
    pub label: Text<'a>,
    /// 分值，如“3”“0.5”（细则中的写法：不补零）。
    ///
    /// Its points, as a rulebook writes them (`3`, `0.5`).
    pub points: String,
    /// 只适用于部分类别时为这些类别的名称，如“农村”；适用于全部类别时为 null。
    ///
    /// The categories it applies to, when not all (e.g. 农村); null for every category.
    pub applies_to: Option<Text<'a>>,
    /// 评分标准，一条一行：扣分制为每个条款（原文或生成的句子），其他规则为规则的文字说明。
    ///
    /// The scoring standard, one line each: every clause of a `deductions` rule (its label
    /// or a sentence made from it), else the rule in words.
    pub standard: Vec<Text<'a>>,
    /// 扣分制（扣完为止）时为 true。
    ///
    /// True for an item scored by clauses (deductions, never below 0).
    pub deductions: bool,
    /// 考评方式；未写时为 null。
    ///
    /// How the inspection checks it (考评方式); null when the system gives none.
    pub method: Option<Text<'a>>,
}

/// 一条高压线（一票否决项）。
///
/// One veto (高压线).
#[derive(Serialize, JsonSchema)]
pub struct RulebookVeto<'a> {
    /// 否决项名称。
    ///
    /// Its label.
    pub label: Text<'a>,
    /// 触发条件，如“发生违纪违法党员的”。
    ///
    /// When it fires, e.g. 发生违纪违法党员的.
    pub condition: Text<'a>,
    /// 触发后等次最高为。
    ///
    /// The highest grade a branch can get once it fires.
    pub cap: GradeRef<'a>,
    /// 只适用于部分类别时为这些类别的名称；适用于全部类别时为 null。
    ///
    /// The categories it applies to, when not all; null for every category.
    pub applies_to: Option<Text<'a>>,
}

/// 一个加分项。
///
/// One bonus.
#[derive(Serialize, JsonSchema)]
pub struct RulebookBonus<'a> {
    /// 加分项名称。
    ///
    /// Its label.
    pub label: Text<'a>,
    /// 加分标准，如“每项加 1 分，本项最多加 2 分”。
    ///
    /// How it adds points, e.g. 每项加 1 分，本项最多加 2 分.
    pub standard: Text<'a>,
    /// 只适用于部分类别时为这些类别的名称；适用于全部类别时为 null。
    ///
    /// The categories it applies to, when not all; null for every category.
    pub applies_to: Option<Text<'a>>,
}

/// 一个等次及其分数段。
///
/// A grade and its band of totals.
#[derive(Serialize, JsonSchema)]
pub struct GradeBand<'a> {
    /// 等次。
    ///
    /// The grade.
    pub grade: GradeRef<'a>,
    /// 分数段，如“80 分及以上、不足 90 分”。
    ///
    /// Its band, e.g. 80 分及以上、不足 90 分.
    pub band: Text<'a>,
}

pub fn rulebook<'a>(ctx: &'a Ctx, y: usize) -> Rulebook<'a> {
    let year = &ctx.project.years[y];
    let sys = &year.system;
    let mut number = 0;
    let (mut items, mut deduction_items) = (0, 0);
    let dimensions = sys
        .dimensions
        .iter()
        .map(|d| {
            let rows: Vec<RulebookItem> = d
                .indicators
                .iter()
                .map(|ind| {
                    number += 1;
                    item(sys, ind, number)
                })
                .collect();
            items += rows.len();
            deduction_items += rows.iter().filter(|r| r.deductions).count();
            RulebookDimension {
                id: &d.id,
                label: (&d.label).into(),
                points: dimension_points(sys, &d.indicators).into(),
                items: rows,
            }
        })
        .collect();
    Rulebook {
        schema: "dangjian.rulebook/1",
        title: "基层党组织建设质量考核细则".into(),
        year: year.year,
        issuer: issuer(year),
        date: ctx.date(y).into(),
        name: (&sys.name).into(),
        version: sys.version.as_ref().map(Text::from),
        scale: plain(sys.scale),
        bonus_cap: plain(sys.bonus_cap),
        categories: sys
            .categories
            .iter()
            .map(|(id, _)| category_ref(sys, id))
            .collect(),
        dimensions,
        deduction_items,
        items,
        vetoes: sys
            .vetoes
            .iter()
            .map(|v| RulebookVeto {
                label: (&v.label).into(),
                condition: clauses::condition_sentence(sys, &v.when).into(),
                cap: grade_ref(sys, v.cap),
                applies_to: categories(sys, v.applies_to.as_deref()).map(Text::from),
            })
            .collect(),
        bonuses: sys
            .bonuses
            .iter()
            .map(|b| RulebookBonus {
                label: (&b.label).into(),
                standard: match b.max {
                    Some(m) => format!("每项加 {} 分，本项最多加 {} 分", plain(b.each), plain(m)),
                    None => format!("每项加 {} 分", plain(b.each)),
                }
                .into(),
                applies_to: categories(sys, b.applies_to.as_deref()).map(Text::from),
            })
            .collect(),
        grades: bands(sys),
        origin: year,
    }
}

impl<'a> Rulebook<'a> {
    /// The file the rulebook is made from, for diagnostics.
    pub fn files(&self) -> Vec<String> {
        vec![self.origin.system.file.clone()]
    }

    /// Where its user text was written: the year's indicator system, and the district's
    /// name.
    pub fn sources(&self) -> Vec<Source<'a>> {
        let mut out = Vec::new();
        if let Some(d) = super::district(self.origin) {
            super::org_sources(d, &mut out);
        }
        super::system_sources(self.origin, &mut out);
        out
    }
}

fn item<'a>(sys: &'a IndicatorSystem, ind: &'a Indicator, number: usize) -> RulebookItem<'a> {
    let is_deductions = matches!(ind.rule, Rule::Deductions(_));
    RulebookItem {
        number,
        id: &ind.id,
        label: (&ind.label).into(),
        points: plain(ind.points),
        applies_to: categories(sys, ind.applies_to.as_deref()).map(Text::from),
        standard: standard(sys, ind).into_iter().map(Text::from).collect(),
        deductions: is_deductions,
        method: ind.method.as_ref().map(Text::from),
    }
}

/// The scoring standard of an item, one line each, as a rulebook prints it.
fn standard(sys: &IndicatorSystem, ind: &Indicator) -> Vec<String> {
    let pts = |share: Decimal| plain(round2(ind.points * share));
    let reach =
        |op: Op, n: Decimal| clauses::threshold_sentence(sys, ind, op, &CondValue::Number(n));
    match &ind.rule {
        Rule::Deductions(cs) => cs.iter().map(|c| clauses::text(sys, ind, c)).collect(),
        Rule::Steps(steps) => {
            step_lines(steps.iter().map(|s| (reach(Op::Ge, s.min), s.share)), pts)
        }
        Rule::StepsAtMost(steps) => {
            step_lines(steps.iter().map(|s| (reach(Op::Le, s.max), s.share)), pts)
        }
        Rule::Rating(levels) => levels
            .iter()
            .map(|(l, s)| format!("考评组评定为{}的，得 {} 分", describe::level(l), pts(*s)))
            .collect(),
        _ => vec![describe::rule(sys, ind)],
    }
}

/// One line per step (`…的，得 2 分`), then 其余不得分.
fn step_lines(
    steps: impl Iterator<Item = (String, Decimal)>,
    pts: impl Fn(Decimal) -> String,
) -> Vec<String> {
    let mut lines: Vec<String> = steps
        .map(|(when, share)| format!("{when}，得 {} 分", pts(share)))
        .collect();
    lines.push("其余不得分".into());
    lines
}

/// The labels of `cats`, joined; `None` for every category.
fn categories(sys: &IndicatorSystem, cats: Option<&[String]>) -> Option<String> {
    let cats = cats?;
    (cats.len() < sys.categories.len()).then(|| {
        cats.iter()
            .map(|c| sys.category_label(c).unwrap_or(c))
            .collect::<Vec<_>>()
            .join("、")
    })
}

/// A dimension's points: the same for every category, or listed by category.
fn dimension_points(sys: &IndicatorSystem, indicators: &[Indicator]) -> String {
    let per: Vec<(&str, Decimal)> = sys
        .categories
        .iter()
        .map(|(id, label)| {
            let sum = indicators
                .iter()
                .filter(|i| i.applies(id))
                .map(|i| i.points)
                .sum();
            (label.as_str(), sum)
        })
        .collect();
    match per.first() {
        Some((_, first)) if per.iter().all(|(_, p)| p == first) => plain(*first),
        _ => per
            .iter()
            .filter(|(_, p)| !p.is_zero())
            .map(|(l, p)| format!("{l} {}", plain(*p)))
            .collect::<Vec<_>>()
            .join("、"),
    }
}

/// Each grade and the totals it covers: the best from its `min` up, the others up to the
/// grade above.
fn bands(sys: &IndicatorSystem) -> Vec<GradeBand<'_>> {
    sys.grades
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let above = i.checked_sub(1).map(|k| plain(sys.grades[k].min));
            let band = match (above, g.min.is_zero()) {
                (None, _) => format!("{} 分及以上", plain(g.min)),
                (Some(a), true) => format!("不足 {a} 分"),
                (Some(a), false) => format!("{} 分及以上、不足 {a} 分", plain(g.min)),
            };
            GradeBand {
                grade: grade_ref(sys, i),
                band: band.into(),
            }
        })
        .collect()
}
