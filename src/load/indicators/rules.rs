//! Fact paths, rules and conditions: what each reads and whether its parameters are in range.

use rust_decimal::Decimal;

use crate::decimal;
use crate::diagnostics::Pos;
use crate::model::{
    CondValue, Condition, FactPath, FactType, IndicatorSystem, Op, Rule, Step, StepAtMost,
};
use crate::suggest;
use crate::yaml::{Kind, Node, Reader, ScalarValue};

use super::values::*;

pub(super) const RULE_KINDS: &[&str] = &[
    "goalpost",
    "steps",
    "checklist",
    "boolean",
    "deduct",
    "rating",
    "deductions",
    "vote",
];
pub(super) const OPS: &[(&str, Op)] = &[
    ("gt", Op::Gt),
    ("ge", Op::Ge),
    ("lt", Op::Lt),
    ("le", Op::Le),
    ("eq", Op::Eq),
    ("ne", Op::Ne),
];

/// Parses a fact path and checks that every kind and checklist it names is defined.
pub(super) fn read_fact(
    r: &mut Reader,
    node: &Node,
    sys: &IndicatorSystem,
    pending: &mut Pending,
) -> Option<FactPath> {
    let text = r.nonblank(node, "事实路径")?;
    let path = match FactPath::parse_at(&text) {
        Ok(p) => p,
        Err(e) => {
            let at = e.segment.map_or(node.pos, |s| segment_pos(node, s));
            r.error(at, e.message);
            return None;
        }
    };
    // Every id a path names is its second segment (`meetings.<kind>.…`, `facts.<id>`…).
    let id_at = segment_pos(node, 1);
    match &path {
        FactPath::Meetings {
            kind: Some(kind), ..
        } if sys.meeting_kind_label(kind).is_none() => {
            let hint = suggest::hint(kind, sys.meeting_kinds.iter().map(|(k, _)| k.as_str()));
            r.err_hint(id_at, format!("未定义的会议类型 `{kind}`"), hint);
            return None;
        }
        FactPath::Checklist(id) if sys.checklist(id).is_none() => {
            let hint = suggest::hint(id, sys.checklists.iter().map(|c| c.id.as_str()));
            r.err_hint(id_at, format!("未定义的清单 `{id}`"), hint);
            return None;
        }
        FactPath::Rating(id) => pending.rating_facts.push((id.clone(), id_at)),
        _ => {}
    }
    if !super::labels::check_named(r, id_at, &path, sys)
        || !super::votes::check_vote_path(r, node, &path, sys)
    {
        return None;
    }
    Some(path)
}

/// Where segment `seg` (0-based, between dots) of a fact path starts: the wrong part of a
/// path wrong in one part. Only a plain scalar's characters are where its text's are (a
/// quoted one may hold escapes); any other is placed at its start.
pub(super) fn segment_pos(node: &Node, seg: usize) -> Pos {
    match &node.kind {
        Kind::Scalar(s) if s.plain && !s.text.contains('\n') => {
            let before: usize = s
                .text
                .split('.')
                .take(seg)
                .map(|p| p.chars().count() + 1)
                .sum();
            Pos::new(node.pos.line, node.pos.col + before)
        }
        _ => node.pos,
    }
}

/// Whether the rule can read this fact; records the type a `facts.<id>` must have.
pub(super) fn check_rule_fact(
    r: &mut Reader,
    rule: &Rule,
    rule_node: &Node,
    (path, pos): (&FactPath, Pos),
    sys: &IndicatorSystem,
    pending: &mut Pending,
    what: &str,
) -> Option<()> {
    let ty = path.intrinsic_type();
    let fits = match rule {
        Rule::Goalpost { .. } | Rule::Steps(_) | Rule::StepsAtMost(_) => match ty {
            None => {
                pending
                    .fact_uses
                    .push((fact_id(path), FactType::Number, pos));
                true
            }
            Some(t) => t.is_numeric(),
        },
        Rule::Deduct { .. } => match ty {
            None => {
                pending
                    .fact_uses
                    .push((fact_id(path), FactType::Count, pos));
                true
            }
            Some(t) => t == FactType::Count,
        },
        Rule::Boolean(_) => match ty {
            None => {
                pending.fact_uses.push((fact_id(path), FactType::Bool, pos));
                true
            }
            Some(_) => false,
        },
        Rule::Checklist(items) => match path {
            FactPath::Checklist(id) => {
                // A checklist whose items could not be read (reported) checks nothing.
                if let Some(cl) = sys.checklist(id).filter(|c| !c.items.is_empty()) {
                    let mut ok = true;
                    for (i, item) in items.iter().enumerate() {
                        if !cl.items.iter().any(|(k, _)| k == item) {
                            let hint =
                                suggest::hint(item, cl.items.iter().map(|(k, _)| k.as_str()));
                            r.err_hint(
                                checklist_item_pos(rule_node, i).unwrap_or(pos),
                                format!("清单规则的项目 `{item}` 不属于清单 `{id}`"),
                                hint,
                            );
                            ok = false;
                        }
                    }
                    if !ok {
                        return None;
                    }
                }
                true
            }
            _ => false,
        },
        // A rating reads its own level; each clause of `deductions` reads its own fact.
        Rule::Rating(_) | Rule::Deductions(_) => false,
        Rule::Vote(_) => ty == Some(FactType::Tally),
    };
    if !fits {
        let has = ty.map_or("数值或是/否", FactType::label);
        r.error(
            pos,
            format!(
                "{what}的 `{}` 规则不能读取 `{path}`（它是{has}）",
                rule.kind()
            ),
        )
        .hint = Some(rule_reads(rule).into());
        return None;
    }
    Some(())
}

/// Where the `i`-th item of a `{ checklist: [...] }` rule is written.
fn checklist_item_pos(rule_node: &Node, i: usize) -> Option<Pos> {
    let Kind::Map(entries) = &rule_node.kind else {
        return None;
    };
    match &entries.first()?.value.kind {
        Kind::Seq(items) => items.get(i).map(|n| n.pos),
        _ => None,
    }
}

pub(super) fn rule_reads(rule: &Rule) -> &'static str {
    match rule {
        Rule::Goalpost { .. } | Rule::Steps(_) | Rule::StepsAtMost(_) => {
            "goalpost 和 steps 读取计数、比率或数值"
        }
        Rule::Deduct { .. } => "deduct 读取计数（如 incidents.<编号>）或整数 facts.<编号>",
        Rule::Boolean(_) => "boolean 读取是/否的 facts.<编号>",
        Rule::Checklist(_) => "checklist 读取 checklists.<编号>",
        Rule::Rating(_) => "rating 读取 ratings.<本指标编号>",
        Rule::Deductions(_) => "deductions 的每条扣分项各自用 `fact` 读取一个事实",
        Rule::Vote(_) => "vote 读取 votes.<评议编号>（整项评议的票数）",
    }
}

pub(super) fn fact_id(path: &FactPath) -> String {
    match path {
        FactPath::Fact(id) => id.clone(),
        other => other.to_string(),
    }
}

pub(super) fn read_rule(
    r: &mut Reader,
    node: &Node,
    _sys: &IndicatorSystem,
    what: &str,
) -> Option<Rule> {
    let entries = r.map(node, format!("{what}的 `rule`"))?;
    if entries.len() != 1 {
        // At the second rule when there are several, at the empty mapping otherwise.
        let at = entries.get(1).map_or(node.pos, |e| e.key.pos);
        r.error(
            at,
            format!("{what}的 `rule` 必须恰好有一种规则（goalpost、steps、checklist、boolean、deduct、rating、deductions 或 vote）"),
        );
        return None;
    }
    let e = &entries[0];
    let kind = e.key_text();
    let v = &e.value;
    match kind {
        "goalpost" => {
            let f = r.fields(v, "goalpost 规则", &["low", "high"], &["low", "high"])?;
            let low = f.get("low").and_then(|n| r.number(n, "`low`"));
            let high_node = f.get("high");
            let high = high_node.and_then(|n| r.number(n, "`high`"));
            let (low, high) = (low?, high?);
            if low == high {
                r.error(
                    high_node.map_or(v.pos, |n| n.pos),
                    format!(
                        "goalpost 的 `low` 和 `high` 不能相等（都是 {}）",
                        decimal::show(low)
                    ),
                );
                return None;
            }
            Some(Rule::Goalpost { low, high })
        }
        "steps" => read_steps(r, v),
        "checklist" => {
            let items = r.seq(v, "checklist 规则")?;
            if items.is_empty() {
                r.error(v.pos, "checklist 规则至少要列出一个项目");
                return None;
            }
            let mut out: Vec<String> = Vec::new();
            for item in items {
                let id = r.nonblank(item, "清单项目")?;
                if out.contains(&id) {
                    r.error(item.pos, format!("清单规则中的项目 `{id}` 重复"));
                    return None;
                }
                out.push(id);
            }
            Some(Rule::Checklist(out))
        }
        "boolean" => r.boolean(v, "boolean 规则的值").map(Rule::Boolean),
        "deduct" => {
            let f = r.fields(v, "deduct 规则", &["each"], &["each"])?;
            let each = non_negative(r, f.get("each")?, "deduct 的 `each`")?;
            Some(Rule::Deduct { each })
        }
        "rating" => level_shares(
            r,
            v,
            "rating 规则",
            "rating 规则至少要有一个等级",
            "得分比例",
        )
        .map(Rule::Rating),
        "vote" => super::votes::read_vote_rule(r, v),
        other => {
            let hint = suggest::hint(other, RULE_KINDS.iter().copied());
            r.err_hint(e.key.pos, format!("未知的规则 `{other}`"), hint);
            None
        }
    }
}

pub(super) fn read_steps(r: &mut Reader, v: &Node) -> Option<Rule> {
    let items = r.seq(v, "steps 规则")?;
    if items.is_empty() {
        r.error(v.pos, "steps 规则至少要有一级");
        return None;
    }
    // (bound, share) of each step; the first step decides whether every step gives `min`
    // (higher is better) or `max` (lower is better).
    let mut steps: Vec<(Decimal, Decimal)> = Vec::new();
    let mut lower: Option<bool> = None;
    let mut ok = true;
    for item in items {
        let Some(f) = r.fields(item, "steps 的一级", &["min", "max", "share"], &["share"])
        else {
            ok = false;
            continue;
        };
        let (key, node) = match (f.get("min"), f.get("max")) {
            (Some(n), None) => ("min", n),
            (None, Some(n)) => ("max", n),
            (Some(_), Some(_)) => {
                let second = f.key_pos("min").max(f.key_pos("max")).unwrap_or(f.pos);
                r.error(second, "steps 的一级不能同时有 `min` 和 `max`")
                    .hint = Some("越高越好用 `min`，越低越好用 `max`".into());
                ok = false;
                continue;
            }
            (None, None) => {
                r.error(
                    item.pos,
                    "steps 的一级缺少 `min`（越高越好）或 `max`（越低越好）",
                );
                ok = false;
                continue;
            }
        };
        let is_max = key == "max";
        match lower {
            Some(first) if first != is_max => {
                let (was, other) = if first {
                    ("max", "min")
                } else {
                    ("min", "max")
                };
                r.error(
                    f.key_pos(key).unwrap_or(item.pos),
                    format!("steps 的各级不能混用 `min` 和 `max`：第一级用的是 `{was}`"),
                )
                .hint = Some(format!(
                    "把 `{other}` 改成 `{was}`（`min` 越高越好，`max` 越低越好）"
                ));
                ok = false;
                continue;
            }
            _ => lower = Some(is_max),
        }
        let bound = r.number(node, format!("`{key}`"));
        let share_node = f.get("share");
        let sh = share_node.and_then(|n| share(r, n, "`share`"));
        let (Some(bound), Some(sh)) = (bound, sh) else {
            ok = false;
            continue;
        };
        if let Some(&(prev, prev_share)) = steps.last() {
            let (ordered, order, not) = if is_max {
                (bound > prev, "严格递增", "不大于")
            } else {
                (bound < prev, "严格递减", "不小于")
            };
            if !ordered {
                r.error(
                    node.pos,
                    format!(
                        "steps 的 `{key}` 必须{order}：{} {not}上一级的 {}",
                        decimal::show(bound),
                        decimal::show(prev)
                    ),
                );
                ok = false;
            }
            if sh > prev_share {
                r.error(
                    share_node.map_or(item.pos, |n| n.pos),
                    format!(
                        "steps 的 `share` 必须自上而下不增：{} 大于上一级的 {}",
                        decimal::show(sh),
                        decimal::show(prev_share)
                    ),
                );
                ok = false;
            }
        }
        steps.push((bound, sh));
    }
    if !ok {
        return None;
    }
    Some(if lower == Some(true) {
        Rule::StepsAtMost(
            steps
                .into_iter()
                .map(|(max, share)| StepAtMost { max, share })
                .collect(),
        )
    } else {
        Rule::Steps(
            steps
                .into_iter()
                .map(|(min, share)| Step { min, share })
                .collect(),
        )
    })
}

pub(super) fn read_condition(
    r: &mut Reader,
    node: &Node,
    sys: &IndicatorSystem,
    pending: &mut Pending,
    what: &str,
) -> Option<Condition> {
    let mut allowed = vec!["fact"];
    allowed.extend(OPS.iter().map(|(k, _)| *k));
    let f = r.fields(node, format!("{what}的 `when`"), &allowed, &["fact"])?;
    let ops: Vec<(Op, &Node)> = OPS
        .iter()
        .filter_map(|(k, op)| f.get(k).map(|n| (*op, n)))
        .collect();
    if ops.len() != 1 {
        // At the second comparison when there are several, at `when` when there is none.
        let mut given: Vec<Pos> = OPS.iter().filter_map(|(k, _)| f.key_pos(k)).collect();
        given.sort();
        let at = given.get(1).copied().unwrap_or(node.pos);
        r.error(
            at,
            format!(
                "{what}的 `when` 必须恰好有一个比较（gt、ge、lt、le、eq 或 ne），现有 {} 个",
                ops.len()
            ),
        );
        return None;
    }
    let fact_node = f.get("fact")?;
    let fact = read_fact(r, fact_node, sys, pending)?;
    let (op, vnode) = ops[0];
    let value = compare_value(r, &fact, fact_node, op, vnode, pending)?;
    Some(Condition { fact, op, value })
}

/// The value a comparison compares its fact with, checked against the fact's type (and
/// recording the type a `facts.<id>` then has).
pub(super) fn compare_value(
    r: &mut Reader,
    fact: &FactPath,
    fact_node: &Node,
    op: Op,
    vnode: &Node,
    pending: &mut Pending,
) -> Option<CondValue> {
    let value = r.scalar(vnode, "比较值")?;
    let ty = fact.intrinsic_type();
    let ordered = matches!(op, Op::Gt | Op::Ge | Op::Lt | Op::Le);
    let value = match (ty, value) {
        (Some(FactType::List), _) => {
            r.error(fact_node.pos, format!("条件不能比较清单 `{fact}`"));
            return None;
        }
        (Some(FactType::Tally), _) => {
            r.error(fact_node.pos, format!("条件不能比较整项评议 `{fact}`"))
                .hint = Some(format!("比较某一等级的票数或比例，如 `{fact}.rate.<等级>`"));
            return None;
        }
        (Some(FactType::Level), ScalarValue::Text(level)) if !ordered => CondValue::Level(level),
        (Some(FactType::Level), _) => {
            r.error(
                vnode.pos,
                format!("`{fact}` 是评定等级，只能用 eq 或 ne 与等级名比较"),
            );
            return None;
        }
        (Some(t), ScalarValue::Number(n)) if t.is_numeric() => CondValue::Number(n),
        (None, ScalarValue::Number(n)) => {
            pending
                .fact_uses
                .push((fact_id(fact), FactType::Number, fact_node.pos));
            CondValue::Number(n)
        }
        (None, ScalarValue::Bool(b)) if !ordered => {
            pending
                .fact_uses
                .push((fact_id(fact), FactType::Bool, fact_node.pos));
            CondValue::Bool(b)
        }
        (_, _) => {
            let expects = if ordered {
                "数字"
            } else {
                "数字或 true/false"
            };
            r.error(vnode.pos, format!("`{fact}` 的比较值应为{expects}"));
            return None;
        }
    };
    Some(value)
}
