//! Scoring one branch: SCHEMA.md steps 1–7 and 11 (ranks and movement need the year).

use rust_decimal::Decimal;

use super::model::{
    BonusResult, BranchResult, DimensionResult, GapToNext, GroupResult, IndicatorDeductions,
    IndicatorResult, Movement, ViewResult,
};
use super::{deductions, facts, rules};
use crate::decimal::round2;
use crate::model::{Branch, FactValue, Id, IndicatorSystem, Rule};

/// The ids that results name, allocated once per year rather than once per branch.
pub struct ResultIds {
    /// In the order of `IndicatorSystem::indicators`.
    indicators: Vec<Id>,
    /// In the order of `IndicatorSystem::dimensions`.
    dimensions: Vec<Id>,
    /// In the order of `IndicatorSystem::bonuses`.
    bonuses: Vec<Id>,
    /// In the order of `IndicatorSystem::views`.
    views: Vec<ViewIds>,
}

/// A view's id, its groups' ids, and for each indicator of the system (in the order of
/// `IndicatorSystem::indicators`) the group it stands in, if any: one pass over a branch's
/// indicators fills every group.
struct ViewIds {
    id: Id,
    groups: Vec<Id>,
    group_of: Vec<Option<usize>>,
}

impl ResultIds {
    pub fn new(sys: &IndicatorSystem) -> ResultIds {
        ResultIds {
            indicators: sys.indicators().map(|(_, i)| Id::from(&i.id)).collect(),
            dimensions: sys.dimensions.iter().map(|d| Id::from(&d.id)).collect(),
            bonuses: sys.bonuses.iter().map(|b| Id::from(&b.id)).collect(),
            views: sys
                .views
                .iter()
                .map(|v| ViewIds {
                    id: Id::from(&v.id),
                    groups: v.groups.iter().map(|g| Id::from(&g.id)).collect(),
                    group_of: sys
                        .indicators()
                        .map(|(_, i)| v.groups.iter().position(|g| g.indicators.contains(&i.id)))
                        .collect(),
                })
                .collect(),
        }
    }
}

pub fn score(year: i32, branch: &Branch, sys: &IndicatorSystem) -> BranchResult {
    score_with(year, branch, sys, &ResultIds::new(sys))
}

/// [`score`] with the year's shared ids.
pub fn score_with(
    year: i32,
    branch: &Branch,
    sys: &IndicatorSystem,
    ids: &ResultIds,
) -> BranchResult {
    let rec = &branch.record;
    // Results stay alive for the whole run, one set per branch: sized exactly, not grown.
    let applicable = sys
        .indicators()
        .filter(|(_, i)| i.applies(&rec.category))
        .count();
    let mut indicators = Vec::with_capacity(applicable);
    let mut dimensions = Vec::with_capacity(sys.dimensions.len());
    // Position in `ids.indicators` of each result, for `fix_first`.
    let mut system_index = Vec::with_capacity(applicable);
    let mut next_index = 0;
    let mut deduction_results = Vec::new();
    for (dim, dim_id) in sys.dimensions.iter().zip(&ids.dimensions) {
        let mut possible = Decimal::ZERO;
        let mut earned_sum = Decimal::ZERO;
        let mut any = false;
        let first_index = next_index;
        next_index += dim.indicators.len();
        for (n, ind) in dim.indicators.iter().enumerate() {
            if !ind.applies(&rec.category) {
                continue;
            }
            any = true;
            system_index.push(first_index + n);
            let (value, earned, missing) = match &ind.rule {
                Rule::Deductions(clauses) => {
                    let s = deductions::score(ind.points, clauses, rec);
                    deduction_results.push(IndicatorDeductions {
                        indicator: ids.indicators[first_index + n].clone(),
                        clauses: s.clauses,
                    });
                    (s.value, s.earned, s.missing)
                }
                _ => {
                    let value = facts::value(rec, &ind.fact);
                    let (earned, missing) = rules::earned(ind, value.as_ref());
                    (value, earned, missing)
                }
            };
            possible += ind.points;
            earned_sum += earned;
            indicators.push(IndicatorResult {
                id: ids.indicators[first_index + n].clone(),
                dimension: dim_id.clone(),
                points: ind.points,
                earned,
                missing,
                value,
            });
        }
        if any {
            dimensions.push(DimensionResult {
                id: dim_id.clone(),
                possible,
                earned: earned_sum,
            });
        }
    }
    dimensions.shrink_to_fit();
    let base: Decimal = dimensions.iter().map(|d| d.earned).sum();

    let mut bonuses = Vec::with_capacity(sys.bonuses.len());
    let mut bonus_sum = Decimal::ZERO;
    for (b, bonus_id) in sys.bonuses.iter().zip(&ids.bonuses) {
        // A bonus of another category does not exist for this branch.
        if !b.applies(&rec.category) {
            continue;
        }
        let value = facts::value(rec, &b.fact);
        let units = match &value {
            Some(FactValue::Number(n)) => Some(*n),
            Some(FactValue::Bool(true)) => Some(Decimal::ONE),
            Some(FactValue::Bool(false)) => Some(Decimal::ZERO),
            _ => None,
        };
        let mut got = b.each * units.unwrap_or(Decimal::ZERO);
        if let Some(max) = b.max {
            got = got.min(max);
        }
        let got = got.max(Decimal::ZERO);
        bonus_sum += got;
        bonuses.push(BonusResult {
            id: bonus_id.clone(),
            points: round2(got),
            missing: units.is_none(),
        });
    }
    let bonus = round2(bonus_sum.min(sys.bonus_cap));
    let total = base + bonus;

    let grade_before_vetoes = sys.grade_for(total);
    let mut grade = grade_before_vetoes;
    let mut vetoes = Vec::new();
    let mut unchecked_vetoes = Vec::new();
    let mut fired_caps = Vec::new();
    for v in sys.vetoes.iter().filter(|v| v.applies(&rec.category)) {
        match rules::holds(&v.when, facts::value(rec, &v.when.fact).as_ref()) {
            Some(true) => {
                vetoes.push(v.id.clone());
                fired_caps.push((v.id.clone(), v.cap));
                grade = grade.max(v.cap);
            }
            Some(false) => {}
            None => unchecked_vetoes.push(v.id.clone()),
        }
    }

    let gap_to_next = grade.checked_sub(1).map(|next| {
        let blocking: Vec<String> = fired_caps
            .iter()
            .filter(|(_, cap)| *cap > next)
            .map(|(id, _)| id.clone())
            .collect();
        let grade_id = sys.grades[next].id.clone();
        if blocking.is_empty() {
            GapToNext::Points {
                grade: grade_id,
                points: round2(sys.grades[next].min - total),
            }
        } else {
            GapToNext::Vetoes {
                grade: grade_id,
                vetoes: blocking,
            }
        }
    });

    let (self_total, self_gap, self_gap_flag) = self_assessment(branch, &indicators, sys);

    let mut fix_order: Vec<usize> = (0..indicators.len())
        .filter(|&n| indicators[n].lost() > Decimal::ZERO)
        .collect();
    fix_order.sort_by(|&a, &b| {
        indicators[b]
            .lost()
            .cmp(&indicators[a].lost())
            .then(a.cmp(&b))
    });
    let fix_first: Vec<(Id, Decimal)> = fix_order
        .iter()
        .map(|&n| {
            (
                ids.indicators[system_index[n]].clone(),
                indicators[n].lost(),
            )
        })
        .collect();

    let views = views(ids, &indicators, &system_index);
    let on_rectification_list = grade + 1 == sys.grades.len() || !vetoes.is_empty();
    BranchResult {
        year,
        id: branch.id.clone(),
        name: rec.name.clone(),
        category: rec.category.clone(),
        org: branch.org.clone(),
        org_node: branch.org_node,
        file: branch.file.clone(),
        base,
        bonus,
        bonus_capped: bonus_sum > sys.bonus_cap,
        total,
        grade,
        grade_before_vetoes,
        vetoes,
        unchecked_vetoes,
        missing: indicators
            .iter()
            .filter(|i| i.missing)
            .map(|i| i.id.to_string())
            .collect(),
        dimensions,
        indicators,
        bonuses,
        rank_in_category: 0,
        rank: 0,
        movement: Movement::New,
        previous_grade: None,
        version: sys.version.clone(),
        version_changed: false,
        self_total,
        self_gap,
        self_gap_flag,
        gap_to_next,
        fix_first,
        deductions: deduction_results,
        views,
        rectification: Vec::new(),
        inspected: rec.inspection.is_some(),
        sampled: rec.inspection.as_ref().map(|i| i.sampled),
        on_rectification_list,
        previous_on_list: None,
    }
}

/// Each view's groups: Σ rounded points and Σ `points` of the indicators that apply; a group
/// with none is left out.
fn views(
    ids: &ResultIds,
    indicators: &[IndicatorResult],
    system_index: &[usize],
) -> Vec<ViewResult> {
    ids.views
        .iter()
        .map(|v| {
            // (points, max, any indicator applies) per group.
            let mut sums = vec![(Decimal::ZERO, Decimal::ZERO, false); v.groups.len()];
            for (i, &k) in indicators.iter().zip(system_index) {
                if let Some(g) = v.group_of[k] {
                    let s = &mut sums[g];
                    s.0 += i.earned;
                    s.1 += i.points;
                    s.2 = true;
                }
            }
            ViewResult {
                id: v.id.clone(),
                groups: v
                    .groups
                    .iter()
                    .zip(sums)
                    .filter(|(_, s)| s.2)
                    .map(|(id, (points, max, _))| GroupResult {
                        id: id.clone(),
                        points,
                        max,
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Self total, self gap (self total − points earned by the same indicators) and its flag.
fn self_assessment(
    branch: &Branch,
    indicators: &[IndicatorResult],
    sys: &IndicatorSystem,
) -> (Option<Decimal>, Option<Decimal>, bool) {
    let scores = &branch.record.self_scores;
    if scores.is_empty() {
        return (None, None, false);
    }
    let total: Decimal = scores.iter().map(|(_, v)| *v).sum();
    let assessed: Decimal = scores
        .iter()
        .filter_map(|(id, _)| indicators.iter().find(|i| *id == i.id))
        .map(|i| i.earned)
        .sum();
    let gap = total - assessed;
    let flag = sys.self_gap_alert.is_some_and(|alert| gap >= alert);
    (Some(total), Some(gap), flag)
}
