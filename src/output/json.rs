//! JSON exactly as the command-line contract lists it, numbers with at most 2 decimals.

use rust_decimal::Decimal;
use serde_json::{Map, Number, Value, json};

use super::Selection;
use crate::decimal;
use crate::score::{BranchResult, GapToNext, OrgResult};

pub fn num(d: Decimal) -> Value {
    decimal::show(decimal::round2(d))
        .parse::<Number>()
        .map_or(Value::Null, Value::Number)
}

fn opt(d: Option<Decimal>) -> Value {
    d.map_or(Value::Null, num)
}

pub fn branch(sel: &Selection, y: usize, b: &BranchResult) -> Value {
    let sys = &sel.project.years[y].system;
    let grade_id = |i: usize| Value::String(sys.grades[i].id.clone());
    let dims: Map<String, Value> = b
        .dimensions
        .iter()
        .map(|d| (d.id.to_string(), num(d.earned)))
        .collect();
    let inds: Map<String, Value> = b
        .indicators
        .iter()
        .map(|i| (i.id.to_string(), num(i.earned)))
        .collect();
    let bonuses: Map<String, Value> = b
        .bonuses
        .iter()
        .map(|x| (x.id.to_string(), num(x.points)))
        .collect();
    let gap = match &b.gap_to_next {
        None => Value::Null,
        Some(GapToNext::Points { grade, points }) => {
            json!({"grade": grade, "points": num(*points)})
        }
        Some(GapToNext::Vetoes { grade, vetoes }) => json!({"grade": grade, "vetoes": vetoes}),
    };
    let fix: Vec<Value> = b
        .fix_first
        .iter()
        .map(|(id, lost)| json!({"id": id, "lost": num(*lost)}))
        .collect();
    json!({
        "year": b.year,
        "id": b.id,
        "name": b.name,
        "category": b.category,
        "org": b.org,
        "file": b.file,
        "base": num(b.base),
        "bonus": num(b.bonus),
        "total": num(b.total),
        "grade": grade_id(b.grade),
        "grade_before_vetoes": grade_id(b.grade_before_vetoes),
        "vetoes": b.vetoes,
        "unchecked_vetoes": b.unchecked_vetoes,
        "dimensions": dims,
        "indicators": inds,
        "bonuses": bonuses,
        "missing": b.missing,
        "rank_in_category": b.rank_in_category,
        "rank": b.rank,
        "movement": b.movement.key(),
        "previous_grade": b.previous_grade,
        "version": b.version,
        "version_changed": b.version_changed,
        "self_total": opt(b.self_total),
        "self_gap": opt(b.self_gap),
        "self_gap_flag": b.self_gap_flag,
        "gap_to_next": gap,
        "fix_first": fix,
    })
}

pub fn org(o: &OrgResult) -> Value {
    let grades: Map<String, Value> = o
        .grades
        .iter()
        .map(|(g, c)| (g.clone(), Value::from(*c)))
        .collect();
    json!({
        "year": o.year,
        "org": o.org,
        "name": o.name,
        "kind": o.kind,
        "branches": o.branches,
        "mean": opt(o.mean),
        "grades": grades,
    })
}

pub fn branches(sel: &Selection) -> String {
    let v: Vec<Value> = sel.branches().map(|(y, b)| branch(sel, y, b)).collect();
    pretty(&Value::Array(v))
}

pub fn orgs(sel: &Selection) -> String {
    let v: Vec<Value> = sel.orgs().map(|(_, o)| org(o)).collect();
    pretty(&Value::Array(v))
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}
