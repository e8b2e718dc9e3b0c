//! JSON exactly as the command-line contract lists it, numbers with at most 2 decimals.

use std::io::Write;

use rust_decimal::Decimal;
use serde_json::{Map, Number, Value, json};

use super::Selection;
use crate::decimal;
use crate::model::{IndicatorSystem, Rule};
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
    let deductions = deductions(sys, b);
    let mut out = json!({
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
        "deductions": deductions,
    });
    if let Value::Object(m) = &mut out {
        m.extend(cycle_fields(sel, y, b));
    }
    out
}

/// Version 2's fields: views, the rectification follow-up, the inspection and the lists,
/// and the year's cut-off (`as_of`, null for a complete year: an addition to the contract).
fn cycle_fields(sel: &Selection, y: usize, b: &BranchResult) -> Map<String, Value> {
    let views: Map<String, Value> = b
        .views
        .iter()
        .map(|v| {
            let groups: Map<String, Value> = v
                .groups
                .iter()
                .map(|g| {
                    (
                        g.id.to_string(),
                        json!({"points": num(g.points), "max": num(g.max)}),
                    )
                })
                .collect();
            (v.id.to_string(), Value::Object(groups))
        })
        .collect();
    let rectification: Vec<Value> = b
        .rectification
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "status": r.status.key(),
                "indicator": r.indicator,
                "points": opt(r.points),
                "previous_points": opt(r.previous_points),
            })
        })
        .collect();
    let as_of = sel.project.years[y].as_of().map(|d| d.to_string());
    let mut m = Map::new();
    m.insert("views".into(), Value::Object(views));
    m.insert("rectification".into(), Value::Array(rectification));
    m.insert("inspected".into(), Value::Bool(b.inspected));
    m.insert("sampled".into(), json!(b.sampled));
    m.insert(
        "on_rectification_list".into(),
        Value::Bool(b.on_rectification_list),
    );
    m.insert("previous_on_list".into(), json!(b.previous_on_list));
    m.insert("as_of".into(), json!(as_of));
    m
}

/// Indicator id → `[{clause, label, points}]`: the clauses that deducted, numbered from 1,
/// each with its own deduction rounded (before the floor at 0).
fn deductions(sys: &IndicatorSystem, b: &BranchResult) -> Value {
    let map: Map<String, Value> = b
        .deductions
        .iter()
        .map(|x| {
            let clauses = match sys.indicator(&x.indicator).map(|i| &i.rule) {
                Some(Rule::Deductions(clauses)) => clauses.as_slice(),
                _ => &[],
            };
            let list: Vec<Value> = x
                .clauses
                .iter()
                .map(|c| {
                    let label = clauses.get(c.clause).and_then(|k| k.label.as_deref());
                    json!({"clause": c.clause + 1, "label": label, "points": num(c.deduction)})
                })
                .collect();
            (x.indicator.to_string(), Value::Array(list))
        })
        .collect();
    Value::Object(map)
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

/// Writes the branches' JSON array to `w`, pretty-printed, as `to_string_pretty` would print
/// the whole array. A province's array would take gigabytes as one `Value`: it is made and
/// written a slice of branches at a time (slices in parallel, written in order).
pub fn write_branches(sel: &Selection, w: &mut dyn Write) -> std::io::Result<()> {
    let all: Vec<(usize, &BranchResult)> = sel.branches().collect();
    write_array(w, &all, |(y, b)| branch(sel, *y, b))
}

pub fn write_orgs(sel: &Selection, w: &mut dyn Write) -> std::io::Result<()> {
    let all: Vec<&OrgResult> = sel.orgs().map(|(_, o)| o).collect();
    write_array(w, &all, |o| org(o))
}

/// `[`, each element pretty-printed one level in, `]`: the bytes of printing the array
/// whole (a JSON string never holds a raw newline, so indenting every line is exact).
fn write_array<T: Sync>(
    w: &mut dyn Write,
    items: &[T],
    element: impl Fn(&T) -> Value + Sync,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    if items.is_empty() {
        return w.write_all(b"[]\n");
    }
    w.write_all(b"[\n")?;
    for (k, chunk) in items.chunks(512).enumerate() {
        let texts: Vec<String> = chunk
            .par_iter()
            .map(|x| {
                let one = serde_json::to_string_pretty(&element(x)).unwrap_or_default();
                let mut out = String::with_capacity(one.len() + one.len() / 8);
                for (n, line) in one.lines().enumerate() {
                    if n > 0 {
                        out.push('\n');
                    }
                    out.push_str("  ");
                    out.push_str(line);
                }
                out
            })
            .collect();
        for (n, t) in texts.iter().enumerate() {
            if k > 0 || n > 0 {
                w.write_all(b",\n")?;
            }
            w.write_all(t.as_bytes())?;
        }
    }
    w.write_all(b"\n]\n")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn an_array_written_in_slices_is_the_array_printed_whole() {
        let values: Vec<serde_json::Value> = (0..1100)
            .map(|i| json!({"id": format!("b{i}"), "n": i, "nested": {"a": [1, 2, {"b": "x\ny"}]}, "e": [], "o": {}}))
            .collect();
        for n in [0, 1, 2, 512, 513, 1100] {
            let mut out = Vec::new();
            super::write_array(&mut out, &values[..n], |v| v.clone()).unwrap();
            let mut whole = serde_json::to_string_pretty(&values[..n]).unwrap();
            whole.push('\n');
            assert_eq!(String::from_utf8(out).unwrap(), whole, "{n} elements");
        }
    }
}
