//! The booklet of one branch (schema `dangjian.booklet/1`): also what its web page shows.

use serde_json::{Value, json};

use super::describe;
use super::format::score;
use super::stats::YearStats;
use super::{Ctx, IndicatorTexts, category_ref, charts, grade_ref, grade_ref_id, grades, issuer};
use crate::model::{Branch, Year};
use crate::score::{BranchResult, GapToNext};

pub fn booklet(ctx: &Ctx, y: usize, i: usize, stats: &YearStats) -> Value {
    let (year, result) = ctx.year(y);
    let b = &year.branches[i];
    let r = &result.branches[i];
    let sys = &year.system;
    crate::obj!({
        "schema": "dangjian.booklet/1",
        "title": "基层党组织建设质量考评手册",
        "year": year.year,
        "issuer": issuer(year),
        "date": ctx.date(y),
        "system": crate::obj!({
            "name": sys.name.clone(),
            "version": sys.version.clone(),
            "scale": score(sys.scale),
            "bonus_cap": score(sys.bonus_cap),
            "version_changed": r.version_changed,
        }),
        "grades": grades(sys),
        "branch": branch_info(year, b, r),
        "result": result_info(ctx, y, r, stats),
        "dimensions": dimensions(year, &ctx.texts[y], b, r),
        "vetoes": vetoes(year, b, r),
        "bonuses": bonuses(year, b, r),
        "bonus_capped": r.bonus_capped,
        "fix_first": fix_first(year, &ctx.texts[y], r),
        "chart": charts::dimensions(sys, r, stats),
        "narrative": b.narrative.as_ref().map(|n| n.markdown.clone()),
        "narrative_source": b.narrative.as_ref().map(|n| n.file.clone()),
    })
}

fn branch_info(year: &Year, b: &Branch, r: &BranchResult) -> Value {
    let sys = &year.system;
    let org_path: Vec<Value> = super::org_chain(year, b.org_node)
        .into_iter()
        .map(|o| crate::obj!({"id": o.path.as_slice(), "name": o.name.as_str(), "kind": o.kind.as_deref()}))
        .collect();
    crate::obj!({
        "id": b.id.as_str(),
        "name": r.name.as_str(),
        "category": category_ref(sys, &r.category),
        "members": json!(b.record.members),
        "secretary": b.record.secretary.clone(),
        "org": b.org.as_slice(),
        "org_path": org_path,
        "source": b.file.as_str(),
    })
}

fn result_info(ctx: &Ctx, y: usize, r: &BranchResult, stats: &YearStats) -> Value {
    let (year, result) = ctx.year(y);
    let sys = &year.system;
    let previous = ctx.previous(y).filter(|_| r.previous_grade.is_some());
    let prev_branch = previous.and_then(|(_, pr)| pr.branches.iter().find(|p| p.id == r.id));
    let gap = match &r.gap_to_next {
        None => Value::Null,
        Some(GapToNext::Points { grade, points }) => crate::obj!({
            "grade": grade_ref_id(sys, grade), "points": score(*points), "vetoes": Value::Null,
        }),
        Some(GapToNext::Vetoes { grade, vetoes }) => crate::obj!({
            "grade": grade_ref_id(sys, grade),
            "points": Value::Null,
            "vetoes": vetoes.iter().map(|v| veto_ref(year, v)).collect::<Vec<_>>(),
        }),
    };
    let assessed = r.self_total.zip(r.self_gap).map(|(t, g)| t - g);
    let missing: Vec<Value> = r
        .missing
        .iter()
        .map(|id| crate::obj!({"id": id.as_str(), "label": sys.indicator(id).map_or(id.as_str(), |i| i.label.as_str())}))
        .collect();
    crate::obj!({
        "base": score(r.base),
        "bonus": score(r.bonus),
        "total": score(r.total),
        "grade": grade_ref(sys, r.grade),
        "grade_before_vetoes": grade_ref(sys, r.grade_before_vetoes),
        "rank_in_category": r.rank_in_category,
        "category_size": stats.category_size.get(&r.category).copied().unwrap_or(0),
        "rank": r.rank,
        "year_size": result.branches.len(),
        "movement": r.movement.key(),
        "movement_label": r.movement.label(),
        "previous_year": previous.map(|(p, _)| p.year),
        "previous_grade": previous.and_then(|(p, _)| r.previous_grade.as_deref().map(|g| grade_ref_id(&p.system, g))),
        "previous_total": prev_branch.map(|p| score(p.total)),
        "version_changed": r.version_changed,
        "gap_to_next": gap,
        "self_total": r.self_total.map(score),
        "self_assessed": assessed.map(score),
        "self_gap": r.self_gap.map(score),
        "self_gap_alert": sys.self_gap_alert.map(score),
        "self_gap_flag": r.self_gap_flag,
        "missing": missing,
    })
}

fn veto_ref(year: &Year, id: &str) -> Value {
    let label = year
        .system
        .vetoes
        .iter()
        .find(|v| v.id == id)
        .map_or(id, |v| v.label.as_str());
    crate::obj!({"id": id, "label": label})
}

fn dimensions(year: &Year, texts: &IndicatorTexts, b: &Branch, r: &BranchResult) -> Vec<Value> {
    let sys = &year.system;
    r.dimensions
        .iter()
        .map(|d| {
            let dim = sys.dimensions.iter().find(|x| x.id == d.id);
            let indicators: Vec<Value> = r
                .indicators
                .iter()
                .filter(|i| i.dimension == d.id)
                .filter_map(|i| {
                    let k = *texts.by_id.get(i.id.as_str())?;
                    let ind = sys.indicators().nth(k).map(|(_, ind)| ind)?;
                    let own = b
                        .record
                        .self_scores
                        .iter()
                        .find(|(id, _)| *id == i.id)
                        .map(|(_, v)| *v);
                    // The year's template with this branch's values, set by position
                    // (INDICATOR_FIELDS): id, label, fact, rule and guidance are in it.
                    let mut m = texts.templates[k].clone();
                    for (f, slot) in m.values_mut().enumerate() {
                        *slot = match f {
                            2 => score(i.points).into(),
                            3 => score(i.earned).into(),
                            4 => score(i.lost()).into(),
                            5 => i.missing.into(),
                            8 => describe::basis(sys, ind, i.value.as_ref()).into(),
                            9 => own.map(score).into(),
                            10 => own.map(|o| score(o - i.earned)).into(),
                            _ => continue,
                        };
                    }
                    Some(Value::Object(m))
                })
                .collect();
            crate::obj!({
                "id": d.id.as_str(),
                "label": dim.map_or(d.id.as_str(), |x| x.label.as_str()),
                "points": score(d.possible),
                "earned": score(d.earned),
                "lost": score(d.possible - d.earned),
                "rate": super::format::ratio(d.earned, d.possible),
                "indicators": indicators,
            })
        })
        .collect()
}

fn vetoes(year: &Year, b: &Branch, r: &BranchResult) -> Vec<Value> {
    let sys = &year.system;
    sys.vetoes
        .iter()
        .filter(|v| v.applies(&b.record.category))
        .map(|v| {
            let status = if r.vetoes.contains(&v.id) {
                "fired"
            } else if r.unchecked_vetoes.contains(&v.id) {
                "unchecked"
            } else {
                "clear"
            };
            let value = crate::score::facts::value(&b.record, &v.when.fact);
            crate::obj!({
                "id": v.id.as_str(),
                "label": v.label.as_str(),
                "status": status,
                "cap": grade_ref(sys, v.cap),
                "condition": describe::condition(sys, &v.when),
                "basis": value.map_or_else(|| "缺少数据".to_string(), |x| describe::value_text(sys, &v.when.fact, &x)),
            })
        })
        .collect()
}

fn bonuses(year: &Year, b: &Branch, r: &BranchResult) -> Vec<Value> {
    let sys = &year.system;
    sys.bonuses
        .iter()
        .filter_map(|bonus| Some((bonus, r.bonuses.iter().find(|g| g.id == bonus.id)?)))
        .map(|(bonus, got)| {
            let value = crate::score::facts::value(&b.record, &bonus.fact);
            crate::obj!({
                "id": bonus.id.as_str(),
                "label": bonus.label.as_str(),
                "points": score(got.points),
                "each": score(bonus.each),
                "max": bonus.max.map(score),
                "basis": value.map_or_else(|| "无".to_string(), |x| describe::value_text(sys, &bonus.fact, &x)),
            })
        })
        .collect()
}

fn fix_first(year: &Year, texts: &IndicatorTexts, r: &BranchResult) -> Vec<Value> {
    let sys = &year.system;
    r.fix_first
        .iter()
        .filter_map(|(id, lost)| {
            let k = *texts.by_id.get(id.as_str())?;
            let (dim, ind) = sys.indicators().nth(k)?;
            Some(crate::obj!({
                "id": id.as_str(),
                "label": ind.label.as_str(),
                "dimension": dim.label.as_str(),
                "lost": score(*lost),
                "guidance": ind.guidance.clone(),
            }))
        })
        .collect()
}
