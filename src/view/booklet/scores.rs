//! The booklet's detail: each dimension and indicator scored, every veto checked, every
//! bonus, the indicators to fix first.

use schemars::JsonSchema;
use serde::Serialize;

use super::deductions::{self, ClauseLine, DeductionDetail};
use crate::model::{Branch, Year};
use crate::score::BranchResult;
use crate::view::IndicatorTexts;
use crate::view::describe;
use crate::view::format::{Score, ratio};
use crate::view::refs::{GradeRef, grade_ref};
use crate::view::text::Text;

/// 一个维度的得分。
///
/// One dimension's score.
#[derive(Serialize, JsonSchema)]
pub struct DimensionScore<'a> {
    /// 维度标识。
    ///
    /// The dimension's id.
    pub id: &'a str,
    /// 维度名称。
    ///
    /// Its label.
    pub label: Text<'a>,
    /// 适用指标的分值之和。
    ///
    /// The points of its applicable indicators.
    pub points: Score,
    /// 得分。
    ///
    /// Points earned.
    pub earned: Score,
    /// 失分。
    ///
    /// Points lost.
    pub lost: Score,
    /// 得分率，如 `"88.0%"`；分值为 0 时为 null。
    ///
    /// Earned ÷ points, e.g. `"88.0%"`; null when the points are 0.
    pub rate: Option<String>,
    /// 适用于本支部的指标，按指标体系的顺序。
    ///
    /// The indicators that apply to the branch, in the order of the system.
    pub indicators: Vec<IndicatorScore<'a>>,
}

/// 一个指标的得分和依据。
///
/// One indicator's score and what it was scored on.
#[derive(Serialize, JsonSchema)]
pub struct IndicatorScore<'a> {
    /// 指标标识。
    ///
    /// The indicator's id.
    pub id: &'a str,
    /// 指标名称。
    ///
    /// Its label.
    pub label: Text<'a>,
    /// 分值。
    ///
    /// Its points.
    pub points: Score,
    /// 得分。
    ///
    /// Points earned.
    pub earned: Score,
    /// 失分。
    ///
    /// Points lost.
    pub lost: Score,
    /// 缺少数据（按 0 分计）时为 true。
    ///
    /// True when its fact is missing (scored 0).
    pub missing: bool,
    /// 读取的事实，如“支委会召开月份数”。
    ///
    /// What is read, e.g. 支委会召开月份数.
    pub fact: Text<'a>,
    /// 计分规则的文字说明。
    ///
    /// The rule in words.
    pub rule: Text<'a>,
    /// 从本支部记录中读出的事实，如“10 个月”“完成 2/3 项，缺综合资料簿”。
    ///
    /// The fact as read for this branch, e.g. 10 个月.
    pub basis: Text<'a>,
    /// 自评分；未自评时为 null。
    ///
    /// The self score; null when none was given.
    #[serde(rename = "self")]
    pub self_score: Option<Score>,
    /// 自评分减得分；未自评时为 null。
    ///
    /// Self score minus earned; null when none was given.
    pub self_diff: Option<Score>,
    /// 工作指引；未写时为 null。
    ///
    /// What to do about it; null when the system gives nothing.
    pub guidance: Option<Text<'a>>,
    /// 考评方式（如“查阅会议记录、走访党员”）；未写时为 null。
    ///
    /// How the inspection checks it (考评方式); null when the system gives nothing.
    pub method: Option<Text<'a>>,
    /// 扣分明细：扣分制（`deductions`）指标扣了分的条款；其他计分规则为 null。
    ///
    /// The clauses that cost points, for an indicator scored by a `deductions` rule; null
    /// for another rule.
    pub deductions: Option<DeductionDetail<'a>>,
}

/// 一个一票否决项的核查结果。
///
/// What was found for one veto.
#[derive(Serialize, JsonSchema)]
pub struct VetoCheck<'a> {
    /// 否决项标识。
    ///
    /// The veto's id.
    pub id: &'a str,
    /// 否决项名称。
    ///
    /// Its label.
    pub label: Text<'a>,
    /// `fired`（已触发）、`unchecked`（缺数据，未能核查）或 `clear`（未触发）。
    ///
    /// `fired`, `unchecked` (its fact is missing) or `clear`.
    pub status: &'static str,
    /// 触发时等次最高为。
    ///
    /// The highest grade it allows when fired.
    pub cap: GradeRef<'a>,
    /// 触发条件的文字说明。
    ///
    /// The condition in words.
    pub condition: Text<'a>,
    /// 从记录中读出的事实；缺数据时为“缺少数据”。
    ///
    /// The fact as read; 缺少数据 when missing.
    pub basis: Text<'a>,
}

/// 一个加分项的得分。
///
/// One bonus's points.
#[derive(Serialize, JsonSchema)]
pub struct BonusScore<'a> {
    /// 加分项标识。
    ///
    /// The bonus's id.
    pub id: &'a str,
    /// 加分项名称。
    ///
    /// Its label.
    pub label: Text<'a>,
    /// 本项加分（封顶前）。
    ///
    /// Its points, before the cap.
    pub points: Score,
    /// 每项加分。
    ///
    /// Points for each.
    pub each: Score,
    /// 本项最多加分；不限时为 null。
    ///
    /// Its maximum; null when unlimited.
    pub max: Option<Score>,
    /// 从记录中读出的事实；未填报时为“无”。
    ///
    /// The fact as read; 无 when not given.
    pub basis: Text<'a>,
}

/// 优先整改的一个指标。
///
/// One indicator to fix first.
#[derive(Serialize, JsonSchema)]
pub struct FixFirst<'a> {
    /// 指标标识。
    ///
    /// The indicator's id.
    pub id: &'a str,
    /// 指标名称。
    ///
    /// Its label.
    pub label: Text<'a>,
    /// 所属维度的名称。
    ///
    /// Its dimension's label.
    pub dimension: Text<'a>,
    /// 失分。
    ///
    /// Points lost.
    pub lost: Score,
    /// 工作指引；未写时为 null。
    ///
    /// What to do about it; null when the system gives nothing.
    pub guidance: Option<Text<'a>>,
    /// 扣分制指标扣分最多的条款，扣分多的在前（扣分相同的按细则顺序）；其他指标为空。
    ///
    /// For a `deductions` indicator, the clauses that cost the most, the largest first
    /// (equal ones in the rulebook's order); empty for another rule.
    pub clauses: Vec<ClauseLine<'a>>,
}

pub(super) fn dimensions<'a>(
    year: &'a Year,
    texts: &'a IndicatorTexts,
    b: &'a Branch,
    r: &'a BranchResult,
) -> Vec<DimensionScore<'a>> {
    let sys = &year.system;
    r.dimensions
        .iter()
        .map(|d| {
            let dim = sys.dimensions.iter().find(|x| x.id == d.id);
            let indicators = r
                .indicators
                .iter()
                .filter(|i| i.dimension == d.id)
                .filter_map(|i| {
                    let k = *texts.by_id.get(i.id.as_str())?;
                    let (dk, ik) = texts.at[k];
                    let ind = &sys.dimensions[dk].indicators[ik];
                    let own = b
                        .record
                        .self_scores
                        .iter()
                        .find(|(id, _)| *id == i.id)
                        .map(|(_, v)| *v);
                    let deductions = deductions::detail(r, ind, &texts.words[k].clauses);
                    // What a clause rule found is its deductions, not its first clause's fact.
                    let basis = match &deductions {
                        Some(d) => deductions::summary(d),
                        None => describe::basis(sys, ind, i.value.as_ref()).into(),
                    };
                    Some(IndicatorScore {
                        id: &ind.id,
                        label: (&ind.label).into(),
                        points: Score(i.points),
                        earned: Score(i.earned),
                        lost: Score(i.lost()),
                        missing: i.missing,
                        fact: (&texts.words[k].fact).into(),
                        rule: (&texts.words[k].rule).into(),
                        basis,
                        self_score: own.map(Score),
                        self_diff: own.map(|o| Score(o - i.earned)),
                        guidance: ind.guidance.as_ref().map(Text::from),
                        method: ind.method.as_ref().map(Text::from),
                        deductions,
                    })
                })
                .collect();
            DimensionScore {
                id: &d.id,
                label: dim.map_or(d.id.as_str(), |x| &x.label).into(),
                points: Score(d.possible),
                earned: Score(d.earned),
                lost: Score(d.possible - d.earned),
                rate: ratio(d.earned, d.possible),
                indicators,
            }
        })
        .collect()
}

pub(super) fn vetoes<'a>(
    year: &'a Year,
    texts: &'a IndicatorTexts,
    b: &Branch,
    r: &BranchResult,
) -> Vec<VetoCheck<'a>> {
    let sys = &year.system;
    sys.vetoes
        .iter()
        .zip(&texts.veto_conditions)
        .filter(|(v, _)| v.applies(&b.record.category))
        .map(|(v, condition)| {
            let status = if r.vetoes.contains(&v.id) {
                "fired"
            } else if r.unchecked_vetoes.contains(&v.id) {
                "unchecked"
            } else {
                "clear"
            };
            let value = crate::score::facts::value(&b.record, &v.when.fact);
            VetoCheck {
                id: &v.id,
                label: (&v.label).into(),
                status,
                cap: grade_ref(sys, v.cap),
                condition: condition.into(),
                basis: value
                    .map_or_else(
                        || "缺少数据".to_string(),
                        |x| describe::value_text(sys, &v.when.fact, &x),
                    )
                    .into(),
            }
        })
        .collect()
}

pub(super) fn bonuses<'a>(year: &'a Year, b: &Branch, r: &BranchResult) -> Vec<BonusScore<'a>> {
    let sys = &year.system;
    sys.bonuses
        .iter()
        .filter_map(|bonus| Some((bonus, r.bonuses.iter().find(|g| g.id == bonus.id)?)))
        .map(|(bonus, got)| {
            let value = crate::score::facts::value(&b.record, &bonus.fact);
            BonusScore {
                id: &bonus.id,
                label: (&bonus.label).into(),
                points: Score(got.points),
                each: Score(bonus.each),
                max: bonus.max.map(Score),
                basis: value
                    .map_or_else(
                        || "无".to_string(),
                        |x| describe::value_text(sys, &bonus.fact, &x),
                    )
                    .into(),
            }
        })
        .collect()
}

pub(super) fn fix_first<'a>(
    year: &'a Year,
    texts: &'a IndicatorTexts,
    r: &'a BranchResult,
) -> Vec<FixFirst<'a>> {
    let sys = &year.system;
    r.fix_first
        .iter()
        .filter_map(|(id, lost)| {
            let k = *texts.by_id.get(id.as_str())?;
            let (dk, ik) = texts.at[k];
            let dim = &sys.dimensions[dk];
            let ind = &dim.indicators[ik];
            Some(FixFirst {
                id: id.as_ref(),
                label: (&ind.label).into(),
                dimension: (&dim.label).into(),
                lost: Score(*lost),
                guidance: ind.guidance.as_ref().map(Text::from),
                clauses: deductions::costliest(r, ind, &texts.words[k].clauses),
            })
        })
        .collect()
}
