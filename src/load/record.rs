//! Reading and validating a branch record against its year's indicator system. The parts of
//! the assessment cycle live beside it: `dates` (dates in the year and before its cut-off),
//! `votes` (graded votes) and `cycle` (inspection and rectification plan).

pub mod cycle;
pub mod dates;
mod votes;

use std::collections::HashSet;
use std::fmt;

use rust_decimal::Decimal;

use crate::decimal;
use crate::model::{
    Date, FactType, FactValue, Id, IdMap, IdSet, IndicatorSystem, Meeting, Record, Survey,
};
use crate::suggest;
use crate::yaml::{Entry, Node, Reader, ScalarValue};
use dates::YearDates;

pub const FIELDS: &[&str] = &[
    "name",
    "category",
    "members",
    "secretary",
    "meetings",
    "checklists",
    "surveys",
    "facts",
    "incidents",
    "ratings",
    "honors",
    "votes",
    "self_scores",
    "inspection",
    "rectification",
];
const MEETING_FIELDS: &[&str] = &["date", "kind", "topic", "expected", "present"];

/// Every id a valid record can hold, from its year's indicator system: records share
/// these instead of each keeping its own copy.
pub struct Ids(HashSet<Id>);

impl Ids {
    pub fn new(sys: &IndicatorSystem) -> Ids {
        let mut set: HashSet<Id> = HashSet::new();
        let mut add = |s: &str| {
            if !set.contains(s) {
                set.insert(Id::from(s));
            }
        };
        for (k, _) in &sys.meeting_kinds {
            add(k);
        }
        for c in &sys.checklists {
            add(&c.id);
            for (item, _) in &c.items {
                add(item);
            }
        }
        for id in sys
            .survey_ids
            .iter()
            .chain(&sys.incident_ids)
            .chain(&sys.honor_ids)
        {
            add(id);
        }
        for (id, _) in &sys.fact_types {
            add(id);
        }
        for v in &sys.votes {
            add(&v.id);
            for (level, _) in &v.levels {
                add(level);
            }
        }
        for (_, ind) in sys.indicators() {
            add(&ind.id);
            for (level, _) in ind.rating_levels().unwrap_or_default() {
                add(level);
            }
        }
        Ids(set)
    }

    /// The shared id; a fresh one for text the system does not know (which validation
    /// has then reported).
    pub(crate) fn get(&self, s: &str) -> Id {
        self.0.get(s).cloned().unwrap_or_else(|| Id::from(s))
    }
}

/// Reads a record; `None` when a required part is unusable (errors are in the reader).
pub fn read(
    r: &mut Reader,
    root: &Node,
    sys: &IndicatorSystem,
    ids: &Ids,
    y: YearDates,
) -> Option<Record> {
    let f = r.fields(root, "支部记录", FIELDS, &["name", "category"])?;
    let mut rec = Record {
        name: f
            .get("name")
            .and_then(|n| r.nonblank(n, "`name`"))
            .unwrap_or_default(),
        name_at: f.get("name").map(super::shown::text_start),
        secretary_at: f.get("secretary").map(super::shown::text_start),
        ..Record::default()
    };
    if let Some(n) = f.get("category")
        && let Some(cat) = r.nonblank(n, "`category`")
    {
        if sys.category_label(&cat).is_none() {
            let hint = suggest::hint(&cat, sys.categories.iter().map(|(k, _)| k.as_str()));
            r.err_hint(n.pos, format!("未定义的类别 `{cat}`"), hint);
        } else {
            rec.category = cat;
        }
    }
    rec.members = f.get("members").and_then(|n| r.whole(n, "`members`", 0));
    rec.secretary = f.get("secretary").and_then(|n| r.text(n, "`secretary`"));
    if let Some(n) = f.get("meetings") {
        read_meetings(r, n, sys, ids, y, &mut rec);
    }
    if let Some(n) = f.get("checklists") {
        rec.checklists = read_checklists(r, n, sys, ids);
    }
    if let Some(n) = f.get("surveys") {
        rec.surveys = read_surveys(r, n, sys, ids);
    }
    if let Some(n) = f.get("facts") {
        rec.facts = read_facts(r, n, sys, ids);
    }
    if let Some(n) = f.get("incidents") {
        let listed = sys.labels.incidents.is_some();
        rec.incidents = read_counts(r, n, &sys.incident_ids, ids, "事件", "incidents", listed);
    }
    if let Some(n) = f.get("honors") {
        let listed = sys.labels.honors.is_some();
        rec.honors = read_counts(r, n, &sys.honor_ids, ids, "荣誉", "honors", listed);
    }
    if let Some(n) = f.get("ratings") {
        rec.ratings = read_ratings(r, n, sys, ids);
    }
    if let Some(n) = f.get("self_scores") {
        rec.self_scores = read_self_scores(r, n, sys, ids, &rec.category);
    }
    if let Some(n) = f.get("votes") {
        rec.votes = votes::read(r, n, sys, ids);
    }
    if let Some(n) = f.get("inspection") {
        rec.inspection = cycle::inspection(r, n, y);
    }
    if let Some(n) = f.get("rectification") {
        rec.rectification = cycle::rectification(r, n, sys, ids, &rec.category, y);
    }
    rec.shrink_to_fit();
    Some(rec)
}

/// Looks an id up among the known ones; reports it with the nearest name when unknown.
/// `listed`: the system gives a label map of this kind, the complete list of its ids.
fn known(
    r: &mut Reader,
    e: &Entry,
    ids: &[String],
    what: &str,
    section: &str,
    listed: bool,
) -> bool {
    let id = e.key_text();
    if ids.iter().any(|k| k == id) {
        return true;
    }
    let hint = suggest::hint(id, ids.iter().map(String::as_str)).or_else(|| {
        Some(if listed {
            format!("indicators.yaml 的 `{section}` 名称表中没有 `{id}`")
        } else {
            format!("指标体系中没有任何指标、否决项或加分项使用 `{section}.{id}`")
        })
    });
    r.err_hint(e.key.pos, format!("未知的{what}编号 `{id}`"), hint);
    false
}

/// Validates the ledger and adds each meeting to the record's tallies.
fn read_meetings(
    r: &mut Reader,
    node: &Node,
    sys: &IndicatorSystem,
    ids: &Ids,
    y: YearDates,
    rec: &mut Record,
) {
    let Some(items) = r.seq(node, "`meetings`") else {
        return;
    };
    for item in items {
        let Some(f) = r.fields(item, "会议记录", MEETING_FIELDS, &["date", "kind", "topic"])
        else {
            continue;
        };
        let date = f
            .get("date")
            .and_then(|n| dates::in_year(r, n, "会议 `date`", y))
            .map(Date::tuple);
        let kind = f.get("kind").and_then(|n| {
            let k = r.nonblank(n, "会议 `kind`")?;
            if sys.meeting_kind_label(&k).is_none() {
                let hint = suggest::hint(&k, sys.meeting_kinds.iter().map(|(k, _)| k.as_str()));
                r.err_hint(n.pos, format!("未定义的会议类型 `{k}`"), hint);
                return None;
            }
            Some(ids.get(&k))
        });
        // Checked like any field, but not kept: no score or page reads a topic.
        let topic = f
            .get("topic")
            .and_then(|n| r.nonblank(n, "会议 `topic`"))
            .is_some();
        let expected = f.get("expected").and_then(|n| r.whole(n, "`expected`", 1));
        let present = f.get("present").and_then(|n| r.whole(n, "`present`", 0));
        match (f.get("expected"), f.get("present")) {
            (Some(_), None) => {
                r.error(
                    f.key_pos("expected").unwrap_or(f.pos),
                    "会议记录给了 `expected` 却没有 `present`（两者要么都给，要么都不给）",
                );
            }
            (None, Some(_)) => {
                r.error(
                    f.key_pos("present").unwrap_or(f.pos),
                    "会议记录给了 `present` 却没有 `expected`（两者要么都给，要么都不给）",
                );
            }
            _ => {}
        }
        if let (Some(e), Some(p), Some(pn)) = (expected, present, f.get("present"))
            && p > e
        {
            r.error(
                pn.pos,
                format!(
                    "实到人数 `present` {} 大于应到人数 `expected` {}",
                    decimal::show(p),
                    decimal::show(e)
                ),
            );
        }
        if let (Some(date), Some(kind), true) = (date, kind, topic) {
            rec.add_meeting(&Meeting {
                date,
                kind,
                expected,
                present,
            });
        }
    }
}

fn read_checklists(r: &mut Reader, node: &Node, sys: &IndicatorSystem, ids: &Ids) -> IdMap<IdSet> {
    let mut out = IdMap::default();
    let Some(entries) = r.map(node, "`checklists`") else {
        return out;
    };
    for e in entries {
        let id = e.key_text();
        let Some(cl) = sys.checklist(id) else {
            let hint = suggest::hint(id, sys.checklists.iter().map(|c| c.id.as_str()));
            r.err_hint(e.key.pos, format!("未定义的清单 `{id}`"), hint);
            continue;
        };
        let Some(items) = r.seq(&e.value, format_args!("清单 `{id}`")) else {
            continue;
        };
        let mut done = Vec::new();
        for item in items {
            let Some(text) = r.nonblank(item, "清单项目") else {
                continue;
            };
            if cl.items.iter().any(|(k, _)| *k == text) {
                done.push(ids.get(&text));
            } else {
                let hint = suggest::hint(&text, cl.items.iter().map(|(k, _)| k.as_str()));
                r.err_hint(item.pos, format!("清单 `{id}` 中没有项目 `{text}`"), hint);
            }
        }
        out.insert(ids.get(id), done.into_iter().collect());
    }
    out
}

fn read_surveys(r: &mut Reader, node: &Node, sys: &IndicatorSystem, ids: &Ids) -> IdMap<Survey> {
    let mut out = IdMap::default();
    let Some(entries) = r.map(node, "`surveys`") else {
        return out;
    };
    for e in entries {
        let listed = sys.labels.surveys.is_some();
        if !known(r, e, &sys.survey_ids, "调查", "surveys", listed) {
            continue;
        }
        let id = e.key_text();
        let what = fmt::from_fn(|f| write!(f, "调查 `{id}`"));
        let Some(f) = r.fields(
            &e.value,
            &what,
            &["respondents", "positive"],
            &["respondents", "positive"],
        ) else {
            continue;
        };
        let resp = f
            .get("respondents")
            .and_then(|n| r.whole(n, "`respondents`", 0));
        let pos = f.get("positive").and_then(|n| r.whole(n, "`positive`", 0));
        if let (Some(resp), Some(p)) = (resp, pos) {
            if p > resp {
                let at = f.get("positive").map_or(f.pos, |n| n.pos);
                r.error(
                    at,
                    format!(
                        "{what}的正面回答 `positive` {} 大于答卷人数 `respondents` {}",
                        decimal::show(p),
                        decimal::show(resp)
                    ),
                );
                continue;
            }
            out.insert(
                ids.get(id),
                Survey {
                    respondents: resp,
                    positive: p,
                },
            );
        }
    }
    out
}

fn read_facts(r: &mut Reader, node: &Node, sys: &IndicatorSystem, ids: &Ids) -> IdMap<FactValue> {
    let mut out = IdMap::default();
    let Some(entries) = r.map(node, "`facts`") else {
        return out;
    };
    for e in entries {
        let id = e.key_text();
        // The list of fact names is made only for the error (once per record it was
        // 30-odd copies of names).
        let Some(ty) = sys.fact_type(id) else {
            let fact_ids: Vec<String> = sys.fact_types.iter().map(|(k, _)| k.clone()).collect();
            known(r, e, &fact_ids, "事实", "facts", sys.labels.facts.is_some());
            continue;
        };
        let what = fmt::from_fn(|f| write!(f, "`facts.{id}`"));
        let value = match (ty, &e.value) {
            (FactType::Bool, n) => r.boolean(n, &what).map(FactValue::Bool),
            (FactType::Count, n) => r.whole(n, &what, 0).map(FactValue::Number),
            (FactType::Number, n) => r.number(n, &what).map(FactValue::Number),
            (FactType::NonNegative, n) => r.number(n, &what).and_then(|v| {
                if v < Decimal::ZERO {
                    r.error(
                        n.pos,
                        format!("{what} 不能为负数（现为 {}）", decimal::show(v)),
                    )
                    .hint = Some("指标体系按它的数量扣分".into());
                    return None;
                }
                Some(FactValue::Number(v))
            }),
            (_, n) => match r.scalar(n, &what) {
                Some(ScalarValue::Bool(b)) => Some(FactValue::Bool(b)),
                Some(_) => r.number(n, &what).map(FactValue::Number),
                None => None,
            },
        };
        if let Some(v) = value {
            out.insert(ids.get(id), v);
        }
    }
    out
}

fn read_counts(
    r: &mut Reader,
    node: &Node,
    known_ids: &[String],
    ids: &Ids,
    what: &str,
    section: &str,
    listed: bool,
) -> IdMap<Decimal> {
    let mut out = IdMap::default();
    let Some(entries) = r.map(node, format_args!("`{section}`")) else {
        return out;
    };
    for e in entries {
        if !known(r, e, known_ids, what, section, listed) {
            continue;
        }
        let id = e.key_text();
        if let Some(v) = r.whole(&e.value, format_args!("`{section}.{id}`"), 0) {
            out.insert(ids.get(id), v);
        }
    }
    out
}

fn read_ratings(r: &mut Reader, node: &Node, sys: &IndicatorSystem, ids: &Ids) -> IdMap<Id> {
    let mut out = IdMap::default();
    let Some(entries) = r.map(node, "`ratings`") else {
        return out;
    };
    for e in entries {
        let id = e.key_text();
        let levels = match sys.indicator(id).and_then(|i| i.rating_levels()) {
            Some(levels) => levels,
            _ => {
                let rating_ids = sys
                    .indicators()
                    .filter(|(_, i)| i.rating_levels().is_some())
                    .map(|(_, i)| i.id.as_str());
                let hint = suggest::hint(id, rating_ids);
                r.err_hint(e.key.pos, format!("`{id}` 不是带 rating 规则的指标"), hint);
                continue;
            }
        };
        let Some(level) = r.nonblank(&e.value, format_args!("`ratings.{id}`")) else {
            continue;
        };
        if levels.iter().any(|(l, _)| *l == level) {
            out.insert(ids.get(id), ids.get(&level));
        } else {
            let hint = suggest::hint(&level, levels.iter().map(|(l, _)| l.as_str()));
            r.err_hint(
                e.value.pos,
                format!("指标 `{id}` 没有评定等级 `{level}`"),
                hint,
            );
        }
    }
    out
}

fn read_self_scores(
    r: &mut Reader,
    node: &Node,
    sys: &IndicatorSystem,
    ids: &Ids,
    category: &str,
) -> Vec<(Id, Decimal)> {
    let mut out = Vec::new();
    let Some(entries) = r.map(node, "`self_scores`") else {
        return out;
    };
    for e in entries {
        let id = e.key_text();
        let Some(ind) = sys.indicator(id) else {
            let hint = suggest::hint(id, sys.indicators().map(|(_, i)| i.id.as_str()));
            r.err_hint(e.key.pos, format!("自评分中的指标 `{id}` 未定义"), hint);
            continue;
        };
        if !category.is_empty() && !ind.applies(category) {
            r.error(
                e.key.pos,
                format!("指标 `{id}` 不适用于类别 `{category}`，不能自评"),
            );
            continue;
        }
        let what = fmt::from_fn(|f| write!(f, "`self_scores.{id}`"));
        let Some(v) = r.number(&e.value, &what) else {
            continue;
        };
        if v < Decimal::ZERO || v > ind.points {
            r.error(
                e.value.pos,
                format!(
                    "{what} 应在 0 到 {} 之间（现为 {}）",
                    decimal::show(ind.points),
                    decimal::show(v)
                ),
            );
            continue;
        }
        if decimal::fraction_digits(v) > 2 {
            r.error(e.value.pos, format!("{what} 最多两位小数"));
            continue;
        }
        out.push((ids.get(id), v));
    }
    out
}
