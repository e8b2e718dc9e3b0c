//! A record (or an `_org.yaml`) on disk read back into workbook rows, in the order the
//! workbook gives them, so that the same data gives the same YAML text whatever comments
//! or order the file had: what prefills a template and tells an import what changed.

use super::cycle::RECTIFICATION_FIELDS;
use super::emit::node_val;
use super::record::{Field, InspectionData, MeasureData, MeetingData, OrgData, RecordData, Val};
use super::scalar::could_be_value;
use crate::decimal;
use crate::load::record::cycle::VERIFIABLE;
use crate::model::IndicatorSystem;
use crate::yaml::read::classify;
use crate::yaml::{Entry, Kind, Node, ScalarValue};

/// A scalar as the workbook would give it back: numbers at their shortest text (`5.0` and
/// `5` are the same count), everything else as written.
fn canonical(n: &Node) -> Val {
    match &n.kind {
        Kind::Scalar(s) if s.plain && !could_be_value(&s.text) => Val::plain(s.text.clone(), None),
        Kind::Scalar(s) if s.plain => match classify(&s.text, true) {
            ScalarValue::Number(v) => Val::plain(decimal::show(v), None),
            ScalarValue::Bool(b) => Val::plain(b.to_string(), None),
            _ => Val::plain(s.text.clone(), None),
        },
        _ => node_val(n),
    }
}

fn entries(n: &Node) -> &[Entry] {
    match &n.kind {
        Kind::Map(e) => e,
        _ => &[],
    }
}

/// Sorts pairs by the position of their id in `order` (unknown ids last, as they were).
fn by_order<T>(mut v: Vec<(String, T)>, order: &[&str]) -> Vec<(String, T)> {
    v.sort_by_cached_key(|(id, _)| order.iter().position(|o| o == id).unwrap_or(usize::MAX));
    v
}

/// A record read from its YAML (already validated by the loader), in the order the
/// workbook gives it: checklist items, measures, facts, ratings and self scores in the
/// system's order, numbers at their shortest text. Two records with the same data give
/// the same [`emit`] text, whatever comments or order the file had.
pub fn record(root: &Node, sys: &IndicatorSystem) -> RecordData {
    let mut rec = RecordData::default();
    let indicator_order: Vec<&str> = sys.indicators().map(|(_, i)| i.id.as_str()).collect();
    let mut votes: Vec<MeasureData> = Vec::new();
    for e in entries(root) {
        let v = &e.value;
        match e.key_text() {
            "name" => rec.name = Some(canonical(v)),
            "category" => rec.category = Some(canonical(v)),
            "members" if !v.is_null() => rec.members = Some(canonical(v)),
            "secretary" if !v.is_null() => rec.secretary = Some(canonical(v)),
            "meetings" if matches!(v.kind, Kind::Seq(_)) => {
                let Kind::Seq(items) = &v.kind else { continue };
                for m in items {
                    let mut fields: MeetingData = Vec::new();
                    for key in ["date", "kind", "topic", "expected", "present"] {
                        if let Some(f) = entries(m).iter().find(|f| f.key_text() == key)
                            && !f.value.is_null()
                        {
                            fields.push((key, canonical(&f.value)));
                        }
                    }
                    rec.meetings.push(fields);
                }
            }
            "checklists" if matches!(v.kind, Kind::Map(_)) => {
                let mut lists = Vec::new();
                for c in entries(v) {
                    let done: Vec<String> = match &c.value.kind {
                        Kind::Seq(items) => items.iter().map(|i| canonical(i).text).collect(),
                        _ => Vec::new(),
                    };
                    let items: Vec<&str> = sys
                        .checklist(c.key_text())
                        .map(|cl| cl.items.iter().map(|(k, _)| k.as_str()).collect())
                        .unwrap_or_default();
                    let mut ordered: Vec<Val> = items
                        .iter()
                        .filter(|i| done.iter().any(|d| d == *i))
                        .map(|i| Val::plain(*i, None))
                        .collect();
                    for d in &done {
                        if !items.contains(&d.as_str()) && !ordered.iter().any(|o| o.text == *d) {
                            ordered.push(Val::plain(d.clone(), None));
                        }
                    }
                    lists.push((c.key_text().to_string(), ordered));
                }
                let order: Vec<&str> = sys.checklists.iter().map(|c| c.id.as_str()).collect();
                rec.checklists = by_order(lists, &order);
            }
            "surveys" if matches!(v.kind, Kind::Map(_)) => {
                let list: Vec<(String, Vec<(String, Val)>)> = entries(v)
                    .iter()
                    .map(|s| {
                        let mut parts = Vec::new();
                        for key in ["respondents", "positive"] {
                            if let Some(p) = entries(&s.value).iter().find(|p| p.key_text() == key)
                            {
                                parts.push((key.to_string(), canonical(&p.value)));
                            }
                        }
                        (s.key_text().to_string(), parts)
                    })
                    .collect();
                let order: Vec<&str> = sys.survey_ids.iter().map(String::as_str).collect();
                rec.measures = by_order(list, &order)
                    .into_iter()
                    .map(|(id, parts)| MeasureData {
                        section: "surveys",
                        id,
                        parts,
                    })
                    .collect();
            }
            "votes" if matches!(v.kind, Kind::Map(_)) => {
                // Levels best first, as the sheet's columns; votes in the system's order.
                let list: Vec<(String, Vec<(String, Val)>)> = entries(v)
                    .iter()
                    .map(|vote| {
                        let given = entries(&vote.value);
                        let levels: Vec<&str> = sys
                            .vote(vote.key_text())
                            .map(|d| d.levels.iter().map(|(l, _)| l.as_str()).collect())
                            .unwrap_or_default();
                        let mut parts: Vec<(String, Val)> = given
                            .iter()
                            .map(|p| (p.key_text().to_string(), canonical(&p.value)))
                            .collect();
                        parts.sort_by_cached_key(|(l, _)| {
                            levels.iter().position(|x| x == l).unwrap_or(usize::MAX)
                        });
                        (vote.key_text().to_string(), parts)
                    })
                    .collect();
                let order: Vec<&str> = sys.votes.iter().map(|x| x.id.as_str()).collect();
                votes = by_order(list, &order)
                    .into_iter()
                    .map(|(id, parts)| MeasureData {
                        section: "votes",
                        id,
                        parts,
                    })
                    .collect();
            }
            "inspection" if matches!(v.kind, Kind::Map(_)) => {
                rec.inspection = Some(inspection(v));
            }
            "rectification" if matches!(v.kind, Kind::Seq(_)) => {
                let Kind::Seq(items) = &v.kind else { continue };
                rec.rectification = items
                    .iter()
                    .map(|item| {
                        RECTIFICATION_FIELDS
                            .iter()
                            .filter_map(|key| {
                                let f = entries(item).iter().find(|f| f.key_text() == *key)?;
                                (!f.value.is_null()).then(|| (*key, canonical(&f.value)))
                            })
                            .collect()
                    })
                    .collect();
            }
            key @ ("facts" | "incidents" | "honors") if matches!(v.kind, Kind::Map(_)) => {
                let list: Vec<(String, Val)> = entries(v)
                    .iter()
                    .map(|f| (f.key_text().to_string(), canonical(&f.value)))
                    .collect();
                match key {
                    "facts" => {
                        let order: Vec<&str> =
                            sys.fact_types.iter().map(|(k, _)| k.as_str()).collect();
                        rec.facts = by_order(list, &order);
                    }
                    "incidents" => {
                        let order: Vec<&str> =
                            sys.incident_ids.iter().map(String::as_str).collect();
                        rec.incidents = by_order(list, &order);
                    }
                    _ => {
                        let order: Vec<&str> = sys.honor_ids.iter().map(String::as_str).collect();
                        rec.honors = by_order(list, &order);
                    }
                }
            }
            key @ ("ratings" | "self_scores") if matches!(v.kind, Kind::Map(_)) => {
                let list: Vec<(String, Val)> = entries(v)
                    .iter()
                    .map(|f| (f.key_text().to_string(), canonical(&f.value)))
                    .collect();
                let pairs: Vec<(Val, Val)> = by_order(list, &indicator_order)
                    .into_iter()
                    .map(|(k, v)| (Val::plain(k, None), v))
                    .collect();
                if key == "ratings" {
                    rec.ratings = pairs;
                } else {
                    rec.self_scores = pairs;
                }
            }
            // Null sections, and every key the workbook does not carry, are kept as written.
            _ => rec.extra.push(e.clone()),
        }
    }
    rec.measures.extend(votes);
    rec
}

/// The inspection block as the sheet gives it: fields in the contract's order, `verified`
/// in the order of its columns, empty lists left out (a blank cell).
fn inspection(v: &Node) -> InspectionData {
    let mut fields = Vec::new();
    let list = |n: &Node| -> Vec<Val> {
        match &n.kind {
            Kind::Seq(items) => items.iter().map(canonical).collect(),
            _ => Vec::new(),
        }
    };
    for key in [
        "date", "team", "sampled", "methods", "verified", "overall", "opinions",
    ] {
        let Some(f) = entries(v).iter().find(|f| f.key_text() == key) else {
            continue;
        };
        if f.value.is_null() {
            continue;
        }
        let field = match key {
            "verified" => {
                let given = list(&f.value);
                Field::List(
                    VERIFIABLE
                        .iter()
                        .filter(|p| given.iter().any(|g| g.text == **p))
                        .map(|p| Val::plain(*p, None))
                        .collect(),
                )
            }
            "team" | "methods" | "opinions" => Field::List(list(&f.value)),
            _ => Field::One(canonical(&f.value)),
        };
        if matches!(&field, Field::List(l) if l.is_empty()) {
            continue;
        }
        fields.push((key, field));
    }
    InspectionData { at: None, fields }
}

/// An `_org.yaml` read from its YAML.
pub fn org(root: &Node) -> OrgData {
    let mut org = OrgData::default();
    for e in entries(root) {
        match e.key_text() {
            "name" => org.name = Some(canonical(&e.value)),
            "kind" if !e.value.is_null() => org.kind = Some(canonical(&e.value)),
            _ => org.extra.push(e.clone()),
        }
    }
    org
}
