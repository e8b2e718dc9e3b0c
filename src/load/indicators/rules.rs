//! Fact paths, rules and conditions: what each reads and whether its parameters are in range.

use crate::decimal;
use crate::diagnostics::Pos;
use crate::model::{CondValue, Condition, FactPath, FactType, IndicatorSystem, Op, Rule, Step};
use crate::suggest;
use crate::yaml::{Node, Reader, ScalarValue};

use super::values::*;

pub(super) const RULE_KINDS: &[&str] = &[
    "goalpost",
    "steps",
    "checklist",
    "boolean",
    "deduct",
    "rating",
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
    let path = match FactPath::parse(&text) {
        Ok(p) => p,
        Err(msg) => {
            r.error(node.pos, msg);
            return None;
        }
    };
    match &path {
        FactPath::Meetings {
            kind: Some(kind), ..
        } if sys.meeting_kind_label(kind).is_none() => {
            let hint = suggest::hint(kind, sys.meeting_kinds.iter().map(|(k, _)| k.as_str()));
            r.err_hint(node.pos, format!("未定义的会议类型 `{kind}`"), hint);
            return None;
        }
        FactPath::Checklist(id) if sys.checklist(id).is_none() => {
            let hint = suggest::hint(id, sys.checklists.iter().map(|c| c.id.as_str()));
            r.err_hint(node.pos, format!("未定义的清单 `{id}`"), hint);
            return None;
        }
        FactPath::Rating(id) => pending.rating_facts.push((id.clone(), node.pos)),
        _ => {}
    }
    if !super::labels::check_named(r, node.pos, &path, sys)
        || !super::votes::check_vote_path(r, node.pos, &path, sys)
    {
        return None;
    }
    Some(path)
}

/// Whether the rule can read this fact; records the type a `facts.<id>` must have.
pub(super) fn check_rule_fact(
    r: &mut Reader,
    rule: &Rule,
    path: &FactPath,
    pos: Pos,
    sys: &IndicatorSystem,
    pending: &mut Pending,
    what: &str,
) -> Option<()> {
    let ty = path.intrinsic_type();
    let fits = match rule {
        Rule::Goalpost { .. } | Rule::Steps(_) => match ty {
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
                if let Some(cl) = sys.checklist(id) {
                    let mut ok = true;
                    for item in items {
                        if !cl.items.iter().any(|(k, _)| k == item) {
                            let hint =
                                suggest::hint(item, cl.items.iter().map(|(k, _)| k.as_str()));
                            r.err_hint(
                                pos,
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
        Rule::Rating(_) => false,
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

pub(super) fn rule_reads(rule: &Rule) -> &'static str {
    match rule {
        Rule::Goalpost { .. } | Rule::Steps(_) => "goalpost 和 steps 读取计数、比率或数值",
        Rule::Deduct { .. } => "deduct 读取计数（如 incidents.<编号>）或整数 facts.<编号>",
        Rule::Boolean(_) => "boolean 读取是/否的 facts.<编号>",
        Rule::Checklist(_) => "checklist 读取 checklists.<编号>",
        Rule::Rating(_) => "rating 读取 ratings.<本指标编号>",
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
    let entries = r.map(node, &format!("{what}的 `rule`"))?;
    if entries.len() != 1 {
        r.error(
            node.pos,
            format!("{what}的 `rule` 必须恰好有一种规则（goalpost、steps、checklist、boolean、deduct、rating 或 vote）"),
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
            let high = f.get("high").and_then(|n| r.number(n, "`high`"));
            let (low, high) = (low?, high?);
            if low == high {
                r.error(
                    v.pos,
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
    let mut steps: Vec<Step> = Vec::new();
    let mut ok = true;
    for item in items {
        let Some(f) = r.fields(item, "steps 的一级", &["min", "share"], &["min", "share"])
        else {
            ok = false;
            continue;
        };
        let min = f.get("min").and_then(|n| r.number(n, "`min`"));
        let sh = f.get("share").and_then(|n| share(r, n, "`share`"));
        let (Some(min), Some(sh)) = (min, sh) else {
            ok = false;
            continue;
        };
        if let Some(prev) = steps.last() {
            if min >= prev.min {
                r.error(
                    item.pos,
                    format!(
                        "steps 的 `min` 必须严格递减：{} 不小于上一级的 {}",
                        decimal::show(min),
                        decimal::show(prev.min)
                    ),
                );
                ok = false;
            }
            if sh > prev.share {
                r.error(
                    item.pos,
                    format!(
                        "steps 的 `share` 必须自上而下不增：{} 大于上一级的 {}",
                        decimal::show(sh),
                        decimal::show(prev.share)
                    ),
                );
                ok = false;
            }
        }
        steps.push(Step { min, share: sh });
    }
    ok.then_some(Rule::Steps(steps))
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
    let f = r.fields(node, &format!("{what}的 `when`"), &allowed, &["fact"])?;
    let ops: Vec<(Op, &Node)> = OPS
        .iter()
        .filter_map(|(k, op)| f.get(k).map(|n| (*op, n)))
        .collect();
    if ops.len() != 1 {
        r.error(
            node.pos,
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
                .push((fact_id(&fact), FactType::Number, fact_node.pos));
            CondValue::Number(n)
        }
        (None, ScalarValue::Bool(b)) if !ordered => {
            pending
                .fact_uses
                .push((fact_id(&fact), FactType::Bool, fact_node.pos));
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
    Some(Condition { fact, op, value })
}
