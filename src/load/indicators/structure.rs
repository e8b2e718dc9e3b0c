//! The structure of an indicator system: checklists, grades, dimensions and their indicators.

use rust_decimal::Decimal;

use super::super::ids::{check_id, labels, unique_id};
use crate::decimal;
use crate::diagnostics::Pos;
use crate::model::indicators::Checklist;
use crate::model::{Dimension, FactPath, Grade, Indicator, IndicatorSystem, Rule};
use crate::suggest;
use crate::yaml::{Kind, Node, Reader};

use super::deductions;
use super::rules::{check_rule_fact, read_fact, read_rule};
use super::values::*;

const INDICATOR_FIELDS: &[&str] = &[
    "id",
    "label",
    "points",
    "applies_to",
    "fact",
    "rule",
    "guidance",
    "method",
];

pub(super) fn read_checklists(r: &mut Reader, node: &Node) -> Vec<Checklist> {
    let Some(entries) = r.map(node, "`checklists`") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries {
        let id = e.key_text().to_string();
        if !check_id(r, &id, e.key.pos, "清单") {
            continue;
        }
        let what = format!("清单 `{id}`");
        // A checklist whose items cannot be read (reported) is kept without items: its id
        // is written, so what names it is not also undefined, and its items are unknown, so
        // what names them is not checked (a file with any error is refused anyway).
        let unknown = |id: String| Checklist {
            label: id.clone(),
            id,
            items: Vec::new(),
        };
        let Some(f) = r.fields(&e.value, &what, &["label", "items"], &["items"]) else {
            out.push(unknown(id));
            continue;
        };
        let label = label_or_id(r, f.get("label"), &id, "清单");
        let items = match f.get("items") {
            Some(n) if matches!(n.kind, Kind::Map(_)) => labels(r, n, &format!("{what}的项目")),
            Some(n) => {
                r.map(n, format!("{what}的项目"));
                out.push(unknown(id));
                continue;
            }
            None => Vec::new(),
        };
        if items.is_empty() {
            if let Some(n) = f.get("items") {
                r.error(n.pos, format!("{what}至少要有一个项目"));
            }
            out.push(unknown(id));
            continue;
        }
        out.push(Checklist { id, label, items });
    }
    out
}

pub(super) fn read_grades(r: &mut Reader, node: &Node) -> Vec<Grade> {
    let Some(items) = r.seq(node, "`grades`") else {
        return Vec::new();
    };
    if items.is_empty() {
        r.error(node.pos, "`grades` 至少要有一个等次");
        return Vec::new();
    }
    let mut seen = Vec::new();
    let mut out: Vec<Grade> = Vec::new();
    let mut last: Option<(Decimal, Pos)> = None;
    for item in items {
        let Some(f) = r.fields(item, "等次", &["id", "label", "min"], &["id", "min"]) else {
            continue;
        };
        let id = unique_id(r, f.get("id"), "等次", &mut seen);
        let min_node = f.get("min");
        let min = min_node.and_then(|n| {
            let v = non_negative(r, n, "等次的 `min`")?;
            two_decimals(r, n, "等次的 `min`", v)
        });
        if let (Some(min), Some(n)) = (min, min_node) {
            if let Some((prev, _)) = last
                && min >= prev
            {
                r.error(
                    n.pos,
                    format!(
                        "等次必须从高到低排列，`min` 严格递减：{} 不小于上一个等次的 {}",
                        decimal::show(min),
                        decimal::show(prev)
                    ),
                );
            }
            last = Some((min, n.pos));
        }
        // A grade whose `min` is wrong (reported) keeps its id, so that a veto's `cap`
        // naming it is not also undefined; the system is refused anyway.
        if let Some(id) = id {
            let label = label_or_id(r, f.get("label"), &id, "等次");
            let min = min.unwrap_or(Decimal::ZERO);
            out.push(Grade { id, label, min });
        }
    }
    if let Some((min, pos)) = last
        && !min.is_zero()
    {
        r.error(
            pos,
            format!(
                "最后一个等次的 `min` 必须是 0（现为 {}）",
                decimal::show(min)
            ),
        )
        .hint = Some("最低等次要接住所有总分".into());
    }
    out
}

pub(super) fn read_dimensions(
    r: &mut Reader,
    node: &Node,
    sys: &IndicatorSystem,
    pending: &mut Pending,
) -> Vec<Dimension> {
    let Some(items) = r.seq(node, "`dimensions`") else {
        return Vec::new();
    };
    if items.is_empty() {
        r.error(node.pos, "`dimensions` 至少要有一个维度");
    }
    let mut dim_ids = Vec::new();
    let mut ind_ids = Vec::new();
    let mut out = Vec::new();
    for item in items {
        let Some(f) = r.fields(
            item,
            "维度",
            &["id", "label", "indicators"],
            &["id", "indicators"],
        ) else {
            continue;
        };
        let id = unique_id(r, f.get("id"), "维度", &mut dim_ids);
        let mut indicators = Vec::new();
        if let Some(list) = f.get("indicators").and_then(|n| r.seq(n, "`indicators`")) {
            for ind in list {
                match read_indicator(r, ind, sys, pending, &mut ind_ids) {
                    Some(i) => indicators.push(i),
                    None => pending.unread.extend(written_id(ind)),
                }
            }
        }
        if let Some(id) = id {
            let label = label_or_id(r, f.get("label"), &id, "维度");
            out.push(Dimension {
                id,
                label,
                indicators,
            });
        }
    }
    out
}

/// The `id` an indicator's node writes, whatever else is wrong with it.
fn written_id(node: &Node) -> Option<String> {
    let Kind::Map(entries) = &node.kind else {
        return None;
    };
    match &entries.iter().find(|e| e.key_text() == "id")?.value.kind {
        Kind::Scalar(s) => Some(s.text.clone()),
        _ => None,
    }
}

pub(super) fn read_indicator(
    r: &mut Reader,
    node: &Node,
    sys: &IndicatorSystem,
    pending: &mut Pending,
    seen: &mut Vec<(String, Pos)>,
) -> Option<Indicator> {
    let f = r.fields(node, "指标", INDICATOR_FIELDS, &["id", "points", "rule"])?;
    let id = unique_id(r, f.get("id"), "指标", seen);
    let shown = id.clone().unwrap_or_default();
    let what = format!("指标 `{shown}`");
    let label = label_or_id(r, f.get("label"), &shown, "指标");
    let pts = f
        .get("points")
        .and_then(|n| points(r, n, &format!("{what}的 `points`")));
    let applies_to = f
        .get("applies_to")
        .and_then(|n| read_applies(r, n, sys, &what));
    let fact = match f.get("fact") {
        Some(n) => read_fact(r, n, sys, pending).map(|p| (p, n.pos)),
        None => None,
    };
    // A `fact` that is given but wrong is reported already; not as a missing one too.
    let fact_unreadable = f.get("fact").is_some() && fact.is_none();
    let guidance = f
        .get("guidance")
        .and_then(|n| r.nonblank(n, format!("{what}的 `guidance`")));
    let method = f
        .get("method")
        .and_then(|n| r.nonblank(n, format!("{what}的 `method`")));
    let rule_node = f.get("rule")?;
    let rule = match deductions::rule_node(rule_node) {
        Some(clauses) => deductions::read(r, clauses, sys, pending, id.as_deref(), &what),
        None => read_rule(r, rule_node, sys, &what),
    }?;
    let id = id?;
    // Given but wrong (reported): read as "all categories" it would throw the sums off.
    let applies_unreadable = f.get("applies_to").is_some() && applies_to.is_none();
    if fact_unreadable || applies_unreadable {
        return None;
    }
    let fact = match (&rule, fact) {
        (Rule::Deductions(clauses), None) => clauses.first()?.fact.clone(),
        (Rule::Deductions(_), Some(_)) => {
            r.error(
                f.key_pos("fact").unwrap_or(f.pos),
                format!("{what}是扣分制（deductions），没有自己的 `fact`"),
            )
            .hint = Some("删除这里的 `fact`：每条扣分项各自写 `fact`".into());
            return None;
        }
        (Rule::Rating(_), None) => FactPath::Rating(id.clone()),
        (Rule::Rating(_), Some((path, pos))) => {
            if path != FactPath::Rating(id.clone()) {
                r.error(
                    pos,
                    format!("评定规则只能读取 `ratings.{id}`，而不是 `{path}`"),
                )
                .hint = Some("删除 `fact`，或写成本指标自己的 ratings 路径".into());
                return None;
            }
            path
        }
        (_, None) => {
            r.error(
                f.pos,
                format!("{what}缺少 `fact`（只有 rating 规则可以省略）"),
            );
            return None;
        }
        (_, Some((path, pos))) => {
            check_rule_fact(r, &rule, rule_node, (&path, pos), sys, pending, &what)?;
            path
        }
    };
    let rule = super::votes::check_vote_rule(r, rule, &fact, rule_node, sys)?;
    Some(Indicator {
        id,
        label,
        points: pts?,
        applies_to,
        fact,
        rule,
        guidance,
        method,
        pos: node.pos,
    })
}

pub(super) fn read_applies(
    r: &mut Reader,
    node: &Node,
    sys: &IndicatorSystem,
    what: &str,
) -> Option<Vec<String>> {
    let items = r.seq(node, format!("{what}的 `applies_to`"))?;
    if items.is_empty() {
        r.error(
            node.pos,
            format!("{what}的 `applies_to` 不能为空（省略则适用于所有类别）"),
        );
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    let mut ok = true;
    for item in items {
        let Some(cat) = r.nonblank(item, "类别") else {
            ok = false;
            continue;
        };
        if sys.category_label(&cat).is_none() {
            let hint = suggest::hint(&cat, sys.categories.iter().map(|(k, _)| k.as_str()));
            r.err_hint(item.pos, format!("未定义的类别 `{cat}`"), hint);
            ok = false;
        } else if out.contains(&cat) {
            // Refused, not read as the list without it: the category sums would be off.
            r.error(item.pos, format!("类别 `{cat}` 重复"));
            ok = false;
        } else {
            out.push(cat);
        }
    }
    ok.then_some(out)
}
