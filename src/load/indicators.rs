//! Reading and validating `indicators.yaml` (the root one, or a year's own).

use rust_decimal::Decimal;

use super::ids::{check_id, labels, unique_id};
use crate::decimal;
use crate::diagnostics::{Diagnostic, Pos};
use crate::model::indicators::Checklist;
use crate::model::{
    Bonus, CondValue, Condition, Dimension, FactPath, FactType, Grade, Indicator, IndicatorSystem,
    Op, Rule, Step, Veto,
};
use crate::suggest;
use crate::yaml::{self, Kind, Node, Reader, ScalarValue};

const TOP: &[&str] = &[
    "name",
    "version",
    "scale",
    "bonus_cap",
    "self_gap_alert",
    "categories",
    "meeting_kinds",
    "checklists",
    "grades",
    "dimensions",
    "vetoes",
    "bonuses",
];
const TOP_REQUIRED: &[&str] = &["name", "scale", "categories", "grades", "dimensions"];
const INDICATOR_FIELDS: &[&str] = &[
    "id",
    "label",
    "points",
    "applies_to",
    "fact",
    "rule",
    "guidance",
];
const RULE_KINDS: &[&str] = &[
    "goalpost",
    "steps",
    "checklist",
    "boolean",
    "deduct",
    "rating",
];
const OPS: &[(&str, Op)] = &[
    ("gt", Op::Gt),
    ("ge", Op::Ge),
    ("lt", Op::Lt),
    ("le", Op::Le),
    ("eq", Op::Eq),
    ("ne", Op::Ne),
];

/// Reads an indicator system. `None` when the file has any error (all of them reported).
pub fn load(text: &str, file: &str, diags: &mut Vec<Diagnostic>) -> Option<IndicatorSystem> {
    let before = diags.iter().filter(|d| d.is_error()).count();
    let root = match yaml::parse(text, file, diags) {
        Ok(Some(root)) => root,
        Ok(None) => {
            diags.push(Diagnostic::error(file, Pos::START, "指标体系文件是空的"));
            return None;
        }
        Err(e) => {
            diags.push(e);
            return None;
        }
    };
    let mut r = Reader::new(file, diags);
    let system = read_system(&mut r, &root, file);
    let after = r.diags.iter().filter(|d| d.is_error()).count();
    if after > before { None } else { system }
}

/// Places in the file kept for checks that need the whole system.
struct Pending {
    rating_facts: Vec<(String, Pos)>,
    fact_uses: Vec<(String, FactType, Pos)>,
}

fn read_system(r: &mut Reader, root: &Node, file: &str) -> Option<IndicatorSystem> {
    let f = r.fields(root, "指标体系", TOP, TOP_REQUIRED)?;
    let name = f.get("name").and_then(|n| r.nonblank(n, "`name`"));
    let version = f.get("version").and_then(|n| read_version(r, n));
    let scale = f.get("scale").and_then(|n| points(r, n, "`scale`"));
    let bonus_cap = f
        .get("bonus_cap")
        .and_then(|n| non_negative(r, n, "`bonus_cap`"))
        .unwrap_or(Decimal::ZERO);
    let self_gap_alert = f
        .get("self_gap_alert")
        .and_then(|n| non_negative(r, n, "`self_gap_alert`"));
    let categories = f
        .get("categories")
        .map(|n| labels(r, n, "类别"))
        .unwrap_or_default();
    if let Some(n) = f.get("categories")
        && categories.is_empty()
    {
        r.error(n.pos, "`categories` 至少要有一个类别");
    }
    let meeting_kinds = f
        .get("meeting_kinds")
        .map(|n| labels(r, n, "会议类型"))
        .unwrap_or_default();
    if let Some(n) = f.get("meeting_kinds")
        && let Kind::Map(entries) = &n.kind
    {
        for e in entries.iter().filter(|e| e.key_text() == "all") {
            r.error(
                e.key.pos,
                "`all` 是保留字，不能作为会议类型编号（meetings.all 表示全部会议）",
            );
        }
    }
    let checklists = f
        .get("checklists")
        .map(|n| read_checklists(r, n))
        .unwrap_or_default();
    let grades = f
        .get("grades")
        .map(|n| read_grades(r, n))
        .unwrap_or_default();

    let mut sys = IndicatorSystem {
        file: file.to_string(),
        name: name.unwrap_or_default(),
        version,
        scale: scale.unwrap_or(Decimal::ZERO),
        bonus_cap,
        self_gap_alert,
        categories,
        meeting_kinds,
        checklists,
        grades,
        dimensions: Vec::new(),
        vetoes: Vec::new(),
        bonuses: Vec::new(),
        fact_types: Vec::new(),
        survey_ids: Vec::new(),
        incident_ids: Vec::new(),
        honor_ids: Vec::new(),
    };
    let mut pending = Pending {
        rating_facts: Vec::new(),
        fact_uses: Vec::new(),
    };
    if let Some(n) = f.get("dimensions") {
        sys.dimensions = read_dimensions(r, n, &sys, &mut pending);
    }
    if let Some(n) = f.get("vetoes") {
        sys.vetoes = read_vetoes(r, n, &sys, &mut pending);
    }
    if let Some(n) = f.get("bonuses") {
        sys.bonuses = read_bonuses(r, n, &sys, &mut pending);
        if !sys.bonuses.is_empty() && sys.bonus_cap.is_zero() {
            r.warning(
                f.key_pos("bonuses").unwrap_or(n.pos),
                "定义了加分项，但 `bonus_cap` 为 0（或未设置），加分不会计入总分",
            );
        }
    }
    check_rating_facts(r, &sys, &pending);
    sys.fact_types = fact_types(r, &pending);
    collect_known_ids(&mut sys);
    if let (Some(scale), Some(cats)) = (scale, f.get("categories")) {
        check_category_sums(r, &sys, scale, cats);
    }
    Some(sys)
}

fn read_version(r: &mut Reader, n: &Node) -> Option<String> {
    match &n.kind {
        Kind::Scalar(s) if s.plain && decimal::looks_numeric(&s.text) => {
            r.error(
                n.pos,
                format!("`version` 应为带引号的文本，而不是数字 {}", s.text),
            )
            .hint = Some(format!("写成 version: \"{}\"", s.text));
            None
        }
        _ => r.nonblank(n, "`version`"),
    }
}

/// A number > 0 with at most 2 decimals.
fn points(r: &mut Reader, n: &Node, what: &str) -> Option<Decimal> {
    let v = r.number(n, what)?;
    if v <= Decimal::ZERO {
        r.error(
            n.pos,
            format!("{what}必须大于 0（现为 {}）", decimal::show(v)),
        );
        return None;
    }
    two_decimals(r, n, what, v)
}

fn two_decimals(r: &mut Reader, n: &Node, what: &str, v: Decimal) -> Option<Decimal> {
    if decimal::fraction_digits(v) > 2 {
        r.error(
            n.pos,
            format!("{what}最多两位小数（现为 {}）", decimal::show(v)),
        );
        return None;
    }
    Some(v)
}

fn non_negative(r: &mut Reader, n: &Node, what: &str) -> Option<Decimal> {
    let v = r.number(n, what)?;
    if v < Decimal::ZERO {
        r.error(
            n.pos,
            format!("{what}不能为负数（现为 {}）", decimal::show(v)),
        );
        return None;
    }
    Some(v)
}

fn share(r: &mut Reader, n: &Node, what: &str) -> Option<Decimal> {
    let v = r.number(n, what)?;
    if v < Decimal::ZERO || v > Decimal::ONE {
        r.error(
            n.pos,
            format!("{what}必须在 0 到 1 之间（现为 {}）", decimal::show(v)),
        );
        return None;
    }
    Some(v)
}

fn label_or_id(r: &mut Reader, n: Option<&Node>, id: &str, what: &str) -> String {
    n.and_then(|n| r.nonblank(n, &format!("{what} `{id}` 的 `label`")))
        .unwrap_or_else(|| id.to_string())
}

fn read_checklists(r: &mut Reader, node: &Node) -> Vec<Checklist> {
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
        let Some(f) = r.fields(&e.value, &what, &["label", "items"], &["items"]) else {
            continue;
        };
        let label = label_or_id(r, f.get("label"), &id, "清单");
        let items = f
            .get("items")
            .map(|n| labels(r, n, &format!("清单 `{id}` 的项目")))
            .unwrap_or_default();
        if items.is_empty() {
            if let Some(n) = f.get("items") {
                r.error(n.pos, format!("{what}至少要有一个项目"));
            }
            continue;
        }
        out.push(Checklist { id, label, items });
    }
    out
}

fn read_grades(r: &mut Reader, node: &Node) -> Vec<Grade> {
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
        if let (Some(id), Some(min)) = (id, min) {
            let label = label_or_id(r, f.get("label"), &id, "等次");
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

fn read_dimensions(
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
                if let Some(i) = read_indicator(r, ind, sys, pending, &mut ind_ids) {
                    indicators.push(i);
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

fn read_indicator(
    r: &mut Reader,
    node: &Node,
    sys: &IndicatorSystem,
    pending: &mut Pending,
    seen: &mut Vec<String>,
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
    let guidance = f
        .get("guidance")
        .and_then(|n| r.nonblank(n, &format!("{what}的 `guidance`")));
    let rule_node = f.get("rule")?;
    let rule = read_rule(r, rule_node, sys, &what)?;
    let id = id?;
    let fact = match (&rule, fact) {
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
            check_rule_fact(r, &rule, &path, pos, sys, pending, &what)?;
            path
        }
    };
    Some(Indicator {
        id,
        label,
        points: pts?,
        applies_to,
        fact,
        rule,
        guidance,
        pos: node.pos,
    })
}

fn read_applies(
    r: &mut Reader,
    node: &Node,
    sys: &IndicatorSystem,
    what: &str,
) -> Option<Vec<String>> {
    let items = r.seq(node, &format!("{what}的 `applies_to`"))?;
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
            r.error(item.pos, format!("类别 `{cat}` 重复"));
        } else {
            out.push(cat);
        }
    }
    ok.then_some(out)
}

/// Parses a fact path and checks that every kind and checklist it names is defined.
fn read_fact(
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
    Some(path)
}

/// Whether the rule can read this fact; records the type a `facts.<id>` must have.
fn check_rule_fact(
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

fn rule_reads(rule: &Rule) -> &'static str {
    match rule {
        Rule::Goalpost { .. } | Rule::Steps(_) => "goalpost 和 steps 读取计数、比率或数值",
        Rule::Deduct { .. } => "deduct 读取计数（如 incidents.<编号>）或整数 facts.<编号>",
        Rule::Boolean(_) => "boolean 读取是/否的 facts.<编号>",
        Rule::Checklist(_) => "checklist 读取 checklists.<编号>",
        Rule::Rating(_) => "rating 读取 ratings.<本指标编号>",
    }
}

fn fact_id(path: &FactPath) -> String {
    match path {
        FactPath::Fact(id) => id.clone(),
        other => other.to_string(),
    }
}

fn read_rule(r: &mut Reader, node: &Node, _sys: &IndicatorSystem, what: &str) -> Option<Rule> {
    let entries = r.map(node, &format!("{what}的 `rule`"))?;
    if entries.len() != 1 {
        r.error(
            node.pos,
            format!("{what}的 `rule` 必须恰好有一种规则（goalpost、steps、checklist、boolean、deduct 或 rating）"),
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
        "rating" => {
            let entries = r.map(v, "rating 规则")?;
            if entries.is_empty() {
                r.error(v.pos, "rating 规则至少要有一个等级");
                return None;
            }
            let mut out = Vec::new();
            for e in entries {
                let level = e.key_text().to_string();
                if let Some(s) = share(r, &e.value, &format!("等级 `{level}` 的得分比例")) {
                    out.push((level, s));
                }
            }
            (out.len() == entries.len()).then_some(Rule::Rating(out))
        }
        other => {
            let hint = suggest::hint(other, RULE_KINDS.iter().copied());
            r.err_hint(e.key.pos, format!("未知的规则 `{other}`"), hint);
            None
        }
    }
}

fn read_steps(r: &mut Reader, v: &Node) -> Option<Rule> {
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

fn read_condition(
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

fn read_vetoes(
    r: &mut Reader,
    node: &Node,
    sys: &IndicatorSystem,
    pending: &mut Pending,
) -> Vec<Veto> {
    let Some(items) = r.seq(node, "`vetoes`") else {
        return Vec::new();
    };
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for item in items {
        let Some(f) = r.fields(
            item,
            "否决项",
            &["id", "label", "when", "cap"],
            &["id", "when", "cap"],
        ) else {
            continue;
        };
        let id = unique_id(r, f.get("id"), "否决项", &mut seen);
        let what = format!("否决项 `{}`", id.clone().unwrap_or_default());
        let when = f
            .get("when")
            .and_then(|n| read_condition(r, n, sys, pending, &what));
        let cap = f.get("cap").and_then(|n| {
            let g = r.nonblank(n, "`cap`")?;
            let idx = sys.grade_index(&g);
            if idx.is_none() {
                let hint = suggest::hint(&g, sys.grades.iter().map(|x| x.id.as_str()));
                r.err_hint(
                    n.pos,
                    format!("{what}的 `cap` 指向未定义的等次 `{g}`"),
                    hint,
                );
            }
            idx
        });
        if let (Some(id), Some(when), Some(cap)) = (id, when, cap) {
            let label = label_or_id(r, f.get("label"), &id, "否决项");
            out.push(Veto {
                id,
                label,
                when,
                cap,
            });
        }
    }
    out
}

fn read_bonuses(
    r: &mut Reader,
    node: &Node,
    sys: &IndicatorSystem,
    pending: &mut Pending,
) -> Vec<Bonus> {
    let Some(items) = r.seq(node, "`bonuses`") else {
        return Vec::new();
    };
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for item in items {
        let Some(f) = r.fields(
            item,
            "加分项",
            &["id", "label", "fact", "each", "max"],
            &["id", "fact", "each"],
        ) else {
            continue;
        };
        let id = unique_id(r, f.get("id"), "加分项", &mut seen);
        let what = format!("加分项 `{}`", id.clone().unwrap_or_default());
        let fact_node = f.get("fact");
        let fact = fact_node.and_then(|n| read_fact(r, n, sys, pending));
        if let (Some(p), Some(n)) = (&fact, fact_node)
            && matches!(p.intrinsic_type(), Some(FactType::List | FactType::Level))
        {
            r.error(
                n.pos,
                format!(
                    "{what}只能读取计数、数值或是/否，而 `{p}` 是{}",
                    p.intrinsic_type().map_or("", FactType::label)
                ),
            );
            continue;
        }
        let each = f
            .get("each")
            .and_then(|n| non_negative(r, n, &format!("{what}的 `each`")));
        let max = f
            .get("max")
            .and_then(|n| non_negative(r, n, &format!("{what}的 `max`")));
        if f.get("max").is_some() && max.is_none() {
            continue;
        }
        if let (Some(id), Some(fact), Some(each)) = (id, fact, each) {
            let label = label_or_id(r, f.get("label"), &id, "加分项");
            out.push(Bonus {
                id,
                label,
                fact,
                each,
                max,
            });
        }
    }
    out
}

/// `ratings.<id>` must name an indicator with a rating rule.
fn check_rating_facts(r: &mut Reader, sys: &IndicatorSystem, pending: &Pending) {
    for (id, pos) in &pending.rating_facts {
        match sys.indicator(id) {
            Some(i) if matches!(i.rule, Rule::Rating(_)) => {}
            Some(_) => {
                r.error(
                    *pos,
                    format!("指标 `{id}` 没有 rating 规则，不能读取 `ratings.{id}`"),
                );
            }
            None => {
                let hint = suggest::hint(id, sys.indicators().map(|(_, i)| i.id.as_str()));
                r.err_hint(
                    *pos,
                    format!("`ratings.{id}` 指向未定义的指标 `{id}`"),
                    hint,
                );
            }
        }
    }
}

/// One type per `facts.<id>`: the first use decides, a conflicting use is an error.
fn fact_types(r: &mut Reader, pending: &Pending) -> Vec<(String, FactType)> {
    let mut out: Vec<(String, FactType, Pos)> = Vec::new();
    for (id, ty, pos) in &pending.fact_uses {
        if id.contains('.') {
            continue;
        }
        match out.iter_mut().find(|(k, _, _)| k == id) {
            None => out.push((id.clone(), *ty, *pos)),
            Some((_, prev, first)) => {
                let numeric = |t: FactType| matches!(t, FactType::Number | FactType::Count);
                if numeric(*prev) && numeric(*ty) {
                    // A deduct needs whole numbers: the stricter use wins.
                    if *ty == FactType::Count {
                        *prev = FactType::Count;
                    }
                } else if prev != ty {
                    r.error(
                        *pos,
                        format!(
                            "`facts.{id}` 在这里被当作{}使用，但在第 {} 行被当作{}使用（每个事实只能有一种类型）",
                            ty.label(),
                            first.line,
                            prev.label()
                        ),
                    );
                }
            }
        }
    }
    out.into_iter().map(|(k, t, _)| (k, t)).collect()
}

fn collect_known_ids(sys: &mut IndicatorSystem) {
    let mut paths: Vec<FactPath> = sys.indicators().map(|(_, i)| i.fact.clone()).collect();
    paths.extend(sys.vetoes.iter().map(|v| v.when.fact.clone()));
    paths.extend(sys.bonuses.iter().map(|b| b.fact.clone()));
    for p in paths {
        let (list, id) = match p {
            FactPath::Survey { id, .. } => (&mut sys.survey_ids, id),
            FactPath::Incident(id) => (&mut sys.incident_ids, id),
            FactPath::Honor(id) => (&mut sys.honor_ids, id),
            FactPath::Fact(id) => {
                if sys.fact_types.iter().all(|(k, _)| *k != id) {
                    sys.fact_types.push((id, FactType::NumberOrBool));
                }
                continue;
            }
            _ => continue,
        };
        if !list.contains(&id) {
            list.push(id);
        }
    }
}

/// Every category's applicable points sum to exactly `scale`.
fn check_category_sums(r: &mut Reader, sys: &IndicatorSystem, scale: Decimal, cats: &Node) {
    let Kind::Map(entries) = &cats.kind else {
        return;
    };
    for (cat, _) in &sys.categories {
        let sum: Decimal = sys
            .indicators()
            .filter(|(_, i)| i.applies(cat))
            .map(|(_, i)| i.points)
            .sum();
        if sum != scale {
            let pos = entries
                .iter()
                .find(|e| e.key_text() == cat)
                .map_or(cats.pos, |e| e.key.pos);
            r.error(
                pos,
                format!(
                    "类别 `{cat}` 适用指标的分值合计 {}，不等于 `scale` {}",
                    decimal::show(sum),
                    decimal::show(scale)
                ),
            )
            .hint = Some(format!(
                "还差 {}；检查各指标的 `points` 和 `applies_to`",
                decimal::show(scale - sum)
            ));
        }
    }
}
