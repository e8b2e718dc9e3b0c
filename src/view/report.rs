//! The district annual report of one year (schema `dangjian.annual-report/1`): also what the
//! site's year page, organisation pages and indicator page show.

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::describe;
use super::format::{pct, ratio, score};
use super::stats::YearStats;
use super::{
    Ctx, category_ref, charts, coverage, district, grade_ref, grade_ref_id, grades, issuer, org_of,
};
use crate::decimal::round2;
use crate::model::{IndicatorSystem, Rule, Year};
use crate::score::{BranchResult, Movement, OrgResult, YearResult};

pub fn annual_report(ctx: &Ctx, y: usize, stats: &YearStats) -> Value {
    annual_report_parts(ctx, y, stats, &Parts::ALL)
}

/// Which of the annual report's long lists to build. The site makes each page from the
/// part it needs and drops it before the next, so a province's report never sits in memory
/// whole; the PDF takes every part.
#[derive(Debug, Clone, Copy)]
pub struct Parts {
    /// At most this many rows of `ranking`.
    pub ranking: usize,
    /// The `rows` of each category in `rankings` (its counts and extremes are always there).
    pub category_rows: bool,
    /// `orgs`, with each node's branches.
    pub orgs: bool,
    /// The `members` of every node of `orgs`; without it, only the district's (the site
    /// builds each organisation page's own, a page at a time).
    pub org_members: bool,
    /// `movers` and `rectification`.
    pub movers: bool,
    pub indicator_system: bool,
}

impl Parts {
    pub const ALL: Parts = Parts {
        ranking: usize::MAX,
        category_rows: true,
        orgs: true,
        org_members: true,
        movers: true,
        indicator_system: true,
    };
    pub const NONE: Parts = Parts {
        ranking: 0,
        category_rows: false,
        orgs: false,
        org_members: false,
        movers: false,
        indicator_system: false,
    };
}

/// The annual report with only the `parts` asked for (the others are empty lists or null).
pub fn annual_report_parts(ctx: &Ctx, y: usize, stats: &YearStats, parts: &Parts) -> Value {
    let (year, result) = ctx.year(y);
    let sys = &year.system;
    let previous = ctx.previous(y);
    let d = district(year);
    crate::obj!({
        "schema": "dangjian.annual-report/1",
        "title": format!("{}年度基层党组织建设质量年度报告", year.year),
        "year": year.year,
        "issuer": issuer(year),
        "date": ctx.date(y),
        "district": json!({"name": d.map(|d| d.name.clone()), "kind": d.and_then(|d| d.kind.clone())}),
        "system": json!({
            "name": sys.name,
            "version": sys.version,
            "previous_year": previous.map(|(p, _)| p.year),
            "previous_version": previous.and_then(|(p, _)| p.system.version.clone()),
            "version_changed": previous.is_some_and(|(p, _)| p.system.version != sys.version),
        }),
        "grades": grades(sys),
        "summary": summary(year, result, stats),
        "categories": categories(year, stats),
        "charts": year_charts(sys, result, stats),
        "ranking": result.ranked().take(parts.ranking).map(|b| row(year, b)).collect::<Vec<_>>(),
        "rankings": rankings(year, result, stats, parts.category_rows),
        "orgs": if parts.orgs { orgs(year, result, parts.org_members) } else { Vec::new() },
        "movers": if parts.movers { movers(ctx, y) } else { json!({"up": [], "down": []}) },
        "rectification": if parts.movers { rectification(year, result) } else { Vec::new() },
        "indicator_system": if parts.indicator_system { indicator_system(year, result) } else { Value::Null },
    })
}

/// The year's charts; one that cannot be drawn (no branches yet) is left out, not shown
/// empty.
fn year_charts(sys: &IndicatorSystem, r: &YearResult, stats: &YearStats) -> Vec<Value> {
    [
        charts::grade_counts(sys, r),
        charts::histogram(sys, r, None),
        charts::category_means(sys, r, stats),
    ]
    .into_iter()
    .filter(|c| c["svg"].is_string())
    .collect()
}

fn summary(year: &Year, r: &YearResult, stats: &YearStats) -> Value {
    let sys = &year.system;
    let n = r.branches.len();
    let mut counts = vec![0usize; sys.grades.len()];
    let mut moves = [0usize; 4];
    for b in &r.branches {
        counts[b.grade] += 1;
        moves[b.movement as usize] += 1;
    }
    let grades: Vec<Value> = sys
        .grades
        .iter()
        .zip(&counts)
        .enumerate()
        .map(|(i, (g, c))| {
            json!({"id": g.id, "label": g.label, "level": i + 1, "count": c,
                   "share": ratio(Decimal::from(*c), Decimal::from(n))})
        })
        .collect();
    json!({
        "branches": n,
        "mean": stats.mean.map(score),
        "grades": grades,
        "movement": {"up": moves[Movement::Up as usize], "down": moves[Movement::Down as usize],
                     "same": moves[Movement::Same as usize], "new": moves[Movement::New as usize]},
        "vetoes_fired": r.branches.iter().filter(|b| !b.vetoes.is_empty()).count(),
        "unchecked_vetoes": r.branches.iter().filter(|b| !b.unchecked_vetoes.is_empty()).count(),
        "missing_data": r.branches.iter().filter(|b| !b.missing.is_empty()).count(),
        "self_gap_flagged": r.branches.iter().filter(|b| b.self_gap_flag).count(),
        "coverage": district(year).map_or(Value::Array(vec![]), coverage),
    })
}

fn categories(year: &Year, stats: &YearStats) -> Vec<Value> {
    year.system
        .categories
        .iter()
        .map(|(id, label)| {
            json!({
                "id": id, "label": label,
                "branches": stats.category_size.get(id).copied().unwrap_or(0),
                "mean": stats.category_mean.get(id).map(|m| score(*m)),
            })
        })
        .collect()
}

/// One line of a ranking.
pub fn row(year: &Year, b: &BranchResult) -> Value {
    let sys = &year.system;
    crate::obj!({
        "rank": b.rank,
        "rank_in_category": b.rank_in_category,
        "id": b.id.as_str(),
        "name": b.name.as_str(),
        "org": org_of(year, b).map(|o| o.name.clone()),
        "org_path": json!(b.org),
        "category": category_ref(sys, &b.category),
        "total": score(b.total),
        "total_sort": crate::decimal::show(b.total),
        "grade": grade_ref(sys, b.grade),
        "vetoed": !b.vetoes.is_empty(),
        "movement": b.movement.key(),
        "movement_label": b.movement.label(),
    })
}

/// One line of a category's ranking: `rank` is the rank within the category, `rank_overall`
/// the year's.
pub fn category_row(year: &Year, b: &BranchResult) -> Value {
    let mut v = row(year, b);
    if let Value::Object(m) = &mut v {
        m.insert("rank".into(), Value::from(b.rank_in_category));
        m.insert("rank_overall".into(), Value::from(b.rank));
    }
    v
}

/// The ids of the categories that have branches, in the order of the indicator system, each
/// with its branches in ranking order (indices into `r.branches`): the lists the site's
/// ranking pages are cut from, as `rankings` lists them.
pub fn category_orders(
    year: &Year,
    r: &YearResult,
    stats: &YearStats,
) -> Vec<(String, Vec<usize>)> {
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
            (id.clone(), members)
        })
        .collect()
}

fn rankings(year: &Year, r: &YearResult, stats: &YearStats, with_rows: bool) -> Vec<Value> {
    let sys = &year.system;
    let total = |i: Option<&usize>| i.map(|&i| score(r.branches[i].total));
    category_orders(year, r, stats)
        .into_iter()
        .map(|(id, members)| {
            let rows: Vec<Value> = if with_rows {
                members
                    .iter()
                    .map(|&i| category_row(year, &r.branches[i]))
                    .collect()
            } else {
                Vec::new()
            };
            crate::obj!({
                "category": category_ref(sys, &id),
                "branches": stats.category_size.get(&id).copied().unwrap_or(0),
                "mean": stats.category_mean.get(&id).map(|m| score(*m)),
                "highest": total(members.first()),
                "lowest": total(members.last()),
                "rows": rows,
            })
        })
        .collect()
}

fn org_grades(year: &Year, o: &OrgResult) -> Vec<Value> {
    o.grades
        .iter()
        .enumerate()
        .map(|(i, (id, c))| {
            let label = year
                .system
                .grades
                .get(i)
                .map_or(id.as_str(), |g| g.label.as_str());
            json!({"id": id, "label": label, "level": i + 1, "count": c})
        })
        .collect()
}

/// Each organisation node's own branches (not those of the nodes below it), in ranking
/// order, as indices into `r.branches`; grouped in one pass.
pub fn org_members(r: &YearResult) -> HashMap<&[String], Vec<usize>> {
    let mut members: HashMap<&[String], Vec<usize>> = HashMap::new();
    for &i in &r.order {
        members
            .entry(r.branches[i].org.as_slice())
            .or_default()
            .push(i);
    }
    members
}

/// The ranking rows of `members` (indices into `r.branches`).
pub fn rows_of(year: &Year, r: &YearResult, members: &[usize]) -> Vec<Value> {
    members.iter().map(|&i| row(year, &r.branches[i])).collect()
}

/// Every organisation node, the district first, then depth-first; with the `members` of
/// every node, or (`all_members` false) of the district only.
fn orgs(year: &Year, r: &YearResult, all_members: bool) -> Vec<Value> {
    let mut members = org_members(r);
    year.orgs
        .iter()
        .zip(&r.orgs)
        .enumerate()
        .map(|(k, (node, o))| {
            // Sorted by path: a node's descendants follow it, so its children are found
            // without scanning every node.
            let children: Vec<Value> = year.orgs[k + 1..]
                .iter()
                .zip(&r.orgs[k + 1..])
                .take_while(|(c, _)| c.path.starts_with(&node.path))
                .filter(|(c, _)| c.path.len() == node.path.len() + 1)
                .map(|(c, co)| json!({"org": c.path, "name": c.name, "branches": co.branches, "mean": co.mean.map(score)}))
                .collect();
            crate::obj!({
                "org": json!(node.path),
                "depth": node.path.len(),
                "name": node.name.as_str(),
                "kind": node.kind.clone(),
                "branches": o.branches,
                "mean": o.mean.map(score),
                "grades": org_grades(year, o),
                "coverage": coverage(node),
                "children": children,
                "members": if all_members || node.path.is_empty() {
                    rows_of(year, r, &members.remove(node.path.as_slice()).unwrap_or_default())
                } else {
                    Vec::new()
                },
                "source": node.file.as_str(),
            })
        })
        .collect()
}

fn movers(ctx: &Ctx, y: usize) -> Value {
    let (year, r) = ctx.year(y);
    let Some((prev, _)) = ctx.previous(y) else {
        return json!({"up": [], "down": []});
    };
    let list = |m: Movement| -> Vec<Value> {
        r.ranked()
            .filter(|b| b.movement == m)
            .map(|b| {
                json!({
                    "id": b.id, "name": b.name,
                    "org": org_of(year, b).map(|o| o.name.clone()),
                    "previous_grade": b.previous_grade.as_deref().map(|g| grade_ref_id(&prev.system, g)),
                    "grade": grade_ref(&year.system, b.grade),
                    "total": score(b.total),
                })
            })
            .collect()
    };
    json!({"up": list(Movement::Up), "down": list(Movement::Down)})
}

/// Branches that need a rectification plan: the lowest grade, or a fired veto.
fn rectification(year: &Year, r: &YearResult) -> Vec<Value> {
    let sys = &year.system;
    let last = sys.grades.len().saturating_sub(1);
    r.ranked()
        .filter(|b| (b.grade == last && last > 0) || !b.vetoes.is_empty())
        .map(|b| {
            let mut reasons: Vec<String> = b
                .vetoes
                .iter()
                .filter_map(|v| sys.vetoes.iter().find(|x| x.id == *v))
                .map(|v| format!("触发一票否决：{}", v.label))
                .collect();
            if b.grade == last && last > 0 {
                reasons.push(format!("总分 {}，等次为{}", score(b.total), sys.grades[last].label));
            }
            let fix: Vec<Value> = b
                .fix_first
                .iter()
                .take(3)
                .filter_map(|(id, lost)| {
                    let ind = sys.indicator(id)?;
                    Some(json!({"id": id, "label": ind.label, "lost": score(*lost), "guidance": ind.guidance}))
                })
                .collect();
            json!({
                "id": b.id, "name": b.name,
                "org": org_of(year, b).map(|o| o.name.clone()),
                "rank": b.rank,
                "total": score(b.total),
                "grade": grade_ref(sys, b.grade),
                "reasons": reasons,
                "fix_first": fix,
            })
        })
        .collect()
}

fn indicator_system(year: &Year, r: &YearResult) -> Value {
    let sys = &year.system;
    let dimensions: Vec<Value> = sys
        .dimensions
        .iter()
        .map(|d| {
            // The most points the dimension has for any category.
            let max = sys
                .categories
                .iter()
                .map(|(c, _)| d.indicators.iter().filter(|i| i.applies(c)).map(|i| i.points).sum::<Decimal>())
                .max()
                .unwrap_or(Decimal::ZERO);
            let indicators: Vec<Value> = d
                .indicators
                .iter()
                .map(|i| {
                    let results: Vec<_> = r.branches.iter().filter_map(|b| b.indicators.iter().find(|x| x.id == i.id)).collect();
                    let n = results.len();
                    let sum: Decimal = results.iter().map(|x| x.earned).sum();
                    let full = results.iter().filter(|x| x.earned == x.points).count();
                    let zero = results.iter().filter(|x| x.earned.is_zero() && !x.missing).count();
                    let missing = results.iter().filter(|x| x.missing).count();
                    json!({
                        "id": i.id, "label": i.label,
                        "points": score(i.points),
                        "applies_to": describe::applies_to(sys, i),
                        "fact": describe::fact(sys, &i.fact),
                        "rule": describe::rule(sys, i),
                        "rule_kind": i.rule.kind(),
                        "levels": match &i.rule { Rule::Rating(l) => l.iter().map(|(k, _)| describe::level(k)).collect::<Vec<_>>(), _ => vec![] },
                        "guidance": i.guidance,
                        "stats": {
                            "branches": n,
                            "mean": (n > 0).then(|| score(round2(sum / Decimal::from(n)))),
                            "mean_rate": (n > 0 && !i.points.is_zero()).then(|| pct(sum / Decimal::from(n) / i.points)),
                            "full": full,
                            "partial": n - full - zero - missing,
                            "zero": zero,
                            "missing": missing,
                        },
                    })
                })
                .collect();
            json!({"id": d.id, "label": d.label, "points": score(max), "indicators": indicators})
        })
        .collect();
    let vetoes: Vec<Value> = sys
        .vetoes
        .iter()
        .map(|v| {
            json!({
                "id": v.id, "label": v.label,
                "condition": describe::condition(sys, &v.when),
                "cap": grade_ref(sys, v.cap),
                "fired": r.branches.iter().filter(|b| b.vetoes.contains(&v.id)).count(),
                "unchecked": r.branches.iter().filter(|b| b.unchecked_vetoes.contains(&v.id)).count(),
            })
        })
        .collect();
    let bonuses: Vec<Value> = sys
        .bonuses
        .iter()
        .map(|b| {
            json!({
                "id": b.id, "label": b.label,
                "fact": describe::fact(sys, &b.fact),
                "each": score(b.each),
                "max": b.max.map(score),
                "earned_by": r.branches.iter().filter(|x| x.bonuses.iter().any(|g| g.id == b.id && !g.points.is_zero())).count(),
            })
        })
        .collect();
    json!({
        "name": sys.name,
        "version": sys.version,
        "scale": score(sys.scale),
        "bonus_cap": score(sys.bonus_cap),
        "self_gap_alert": sys.self_gap_alert.map(score),
        "categories": sys.categories.iter().map(|(id, _)| category_ref(sys, id)).collect::<Vec<_>>(),
        "grades": grades(sys),
        "dimensions": dimensions,
        "vetoes": vetoes,
        "bonuses": bonuses,
    })
}
