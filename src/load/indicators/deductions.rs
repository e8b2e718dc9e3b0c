//! The `deductions` rule (扣分制): its clauses, each with exactly one of four forms, read and
//! checked where they stand, every error at the clause or at the key that is wrong.

use rust_decimal::Decimal;

use crate::decimal;
use crate::diagnostics::Pos;
use crate::model::{
    Bound, Clause, ClauseForm, CondValue, FactPath, FactType, IndicatorSystem, Op, Rule,
};
use crate::suggest;
use crate::yaml::{Entry, Fields, Kind, Node, Reader};

use super::rules::{OPS, compare_value, fact_id, read_fact};
use super::values::*;

const KEYS: &[&str] = &[
    "fact",
    "label",
    "each",
    "below",
    "above",
    "per",
    "max",
    "gt",
    "ge",
    "lt",
    "le",
    "eq",
    "ne",
    "deduct",
    "missing_each",
    "items",
    "levels",
];

/// Keys that belong to one form only, with what they need (for the hint).
const DEPENDENT: &[(&str, &str)] = &[
    ("below", "`each`"),
    ("above", "`each`"),
    ("per", "`each`"),
    ("deduct", "一个比较（eq、ne、gt、ge、lt、le）"),
    ("items", "`missing_each`"),
    ("max", "`each` 或 `missing_each`"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Each,
    Compare(Op),
    MissingEach,
    Levels,
}

impl Form {
    fn name(self) -> &'static str {
        match self {
            Form::Each => "“每…扣”（each）",
            Form::Compare(_) => "比较式（deduct）",
            Form::MissingEach => "“每缺一项扣”（missing_each）",
            Form::Levels => "按评定等级扣分（levels）",
        }
    }

    /// Keys of this form besides `fact` and `label`.
    fn keys(self) -> &'static [&'static str] {
        match self {
            Form::Each => &["each", "below", "above", "per", "max"],
            Form::Compare(_) => &["deduct"],
            Form::MissingEach => &["missing_each", "items", "max"],
            Form::Levels => &["levels"],
        }
    }
}

/// The value of `rule` when it is a `deductions` rule.
pub(super) fn rule_node(rule: &Node) -> Option<&Entry> {
    match &rule.kind {
        Kind::Map(entries) if entries.len() == 1 && entries[0].key_text() == "deductions" => {
            Some(&entries[0])
        }
        _ => None,
    }
}

/// Reads the clauses of indicator `own` (`None` when its id is unusable, already reported).
pub(super) fn read(
    r: &mut Reader,
    rule: &Entry,
    sys: &IndicatorSystem,
    pending: &mut Pending,
    own: Option<&str>,
    what: &str,
) -> Option<Rule> {
    let node = &rule.value;
    let items = r.seq(node, format!("{what}的 deductions 规则"))?;
    if items.is_empty() {
        // An empty value has no place of its own: its key has.
        let at = if node.is_null() {
            rule.key.pos
        } else {
            node.pos
        };
        r.error(at, format!("{what}的 deductions 规则至少要有一条扣分项"))
            .hint = Some("例如 - { fact: incidents.late_reports, each: 2, max: 4 }".into());
        return None;
    }
    let mut clauses = Vec::with_capacity(items.len());
    let mut levels_at: Option<usize> = None;
    let mut ok = true;
    for (n, item) in items.iter().enumerate() {
        let what = format!("{what}的第 {} 条扣分项", n + 1);
        match read_clause(r, item, (sys, own, &what), pending, n + 1, &mut levels_at) {
            Some(c) => clauses.push(c),
            None => ok = false,
        }
    }
    ok.then_some(Rule::Deductions(clauses))
}

/// One clause being read: its fields and what messages call it.
struct Context<'a> {
    sys: &'a IndicatorSystem,
    /// The indicator's id (`None` when unusable, already reported).
    own: Option<&'a str>,
    /// "指标 `x`的第 n 条扣分项".
    what: &'a str,
    item: &'a Node,
    f: Fields<'a>,
}

impl<'a> Context<'a> {
    /// The amount under `key` (≥ 0, at most 2 decimals); `None` when absent or wrong.
    fn amount(&self, r: &mut Reader, key: &str) -> Option<Decimal> {
        let n = self.f.get(key)?;
        amount(r, n, &format!("{}的 `{key}`", self.what))
    }

    /// The clause's fact and its node; `None` when absent or wrong (already reported).
    fn fact(&self, r: &mut Reader, pending: &mut Pending) -> Option<(&'a Node, FactPath)> {
        let n = self.f.get("fact")?;
        Some((n, read_fact(r, n, self.sys, pending)?))
    }
}

fn read_clause(
    r: &mut Reader,
    item: &Node,
    (sys, own, what): (&IndicatorSystem, Option<&str>, &str),
    pending: &mut Pending,
    number: usize,
    levels_at: &mut Option<usize>,
) -> Option<Clause> {
    let f = r.fields(item, what, KEYS, &[])?;
    if f.get("fact").is_none() {
        r.error(
            f.key_pos("fact").unwrap_or(item.pos),
            format!("{what}缺少 `fact`"),
        )
        .hint = Some("每条扣分项用 `fact` 写明读取的事实，如 fact: incidents.late_reports".into());
    }
    let mut ok = match &item.kind {
        Kind::Map(entries) => entries.iter().all(|e| KEYS.contains(&e.key_text())),
        _ => false,
    };
    let present = |key: &str| f.get(key).and_then(|_| f.key_pos(key));

    // The forms the clause writes, in file order.
    let mut forms: Vec<(Form, &str, Pos)> = Vec::new();
    for (key, form) in [
        ("each", Form::Each),
        ("missing_each", Form::MissingEach),
        ("levels", Form::Levels),
    ] {
        if let Some(pos) = present(key) {
            forms.push((form, key, pos));
        }
    }
    for (key, op) in OPS {
        if let Some(pos) = present(key) {
            forms.push((Form::Compare(*op), key, pos));
        }
    }
    forms.sort_by_key(|(_, _, pos)| *pos);
    let form = match forms.as_slice() {
        // A misspelt key (reported) is most likely the form.
        [] if !ok => return None,
        [] => {
            no_form(r, what, item.pos, &present);
            return None;
        }
        [(form, _, _)] => *form,
        [(first, k1, _), (second, k2, pos), ..] => {
            let both_compare = matches!((first, second), (Form::Compare(_), Form::Compare(_)));
            let (msg, hint) = if both_compare {
                (
                    format!("{what}只能有一个比较，`{k1}` 之后又有 `{k2}`"),
                    "要在两种情况下扣分，就写成两条扣分项",
                )
            } else {
                (
                    format!("{what}只能有一种扣分方式，`{k1}` 之后又有 `{k2}`"),
                    "一条扣分项只写一种扣法；两种扣法写成两条扣分项",
                )
            };
            r.error(*pos, msg).hint = Some(hint.into());
            return None;
        }
    };

    // A key of another form: at that key, saying what it needs.
    for (key, need) in DEPENDENT {
        if form.keys().contains(key) {
            continue;
        }
        if let Some(pos) = present(key) {
            let hint = match (*key, form) {
                ("max", Form::Compare(_)) => {
                    "`max` 只用于 `each` 和 `missing_each`；比较成立时扣的就是 `deduct`".into()
                }
                ("max", Form::Levels) => {
                    "`max` 只用于 `each` 和 `missing_each`；levels 按等级扣分".into()
                }
                _ => needs(key, need),
            };
            r.error(pos, format!("{what}是{}，不能有 `{key}`", form.name()))
                .hint = Some(hint);
            ok = false;
        }
    }

    let label = f
        .get("label")
        .and_then(|n| r.nonblank(n, format!("{what}的 `label`")));
    ok &= f.get("label").is_none() || label.is_some();
    let has_max = f.get("max").is_some() && form.keys().contains(&"max");
    let levels_key = present("levels");
    let ctx = Context {
        sys,
        own,
        what,
        item,
        f,
    };
    let max = if has_max {
        let m = ctx.amount(r, "max");
        ok &= m.is_some();
        m
    } else {
        None
    };

    let parsed = match form {
        Form::Each => read_each(r, &ctx, pending),
        Form::Compare(op) => read_compare(r, &ctx, op, pending),
        Form::MissingEach => read_missing(r, &ctx, pending),
        Form::Levels => {
            let levels = read_levels(r, &ctx, pending);
            if let (Some(first), Some(pos)) = (*levels_at, levels_key) {
                r.error(
                    pos,
                    format!("{what}又用 `levels` 扣分，而第 {first} 条扣分项已经用了"),
                )
                .hint = Some("一个指标最多一条 levels 扣分项：把各等级的扣分合并到一条".into());
                ok = false;
            }
            levels_at.get_or_insert(number);
            levels
        }
    };
    let (fact, form) = parsed?;
    ok.then_some(Clause {
        fact,
        form,
        max,
        label,
        pos: item.pos,
    })
}

/// A clause with none of the four forms: at the first key that needs one, or at the clause.
fn no_form(r: &mut Reader, what: &str, at: Pos, present: &dyn Fn(&str) -> Option<Pos>) {
    let first = DEPENDENT
        .iter()
        .filter_map(|(key, need)| present(key).map(|pos| (pos, *key, *need)))
        .min_by_key(|(pos, _, _)| *pos);
    match first {
        Some((pos, key, need)) => {
            r.error(pos, format!("{what}有 `{key}`，却没有扣分方式"))
                .hint = Some(needs(key, need));
        }
        None => {
            r.error(at, format!("{what}没有扣分方式")).hint = Some(
                "写 each（每…扣）、一个比较加 deduct、missing_each（每缺一项扣）或 levels（按评定等级扣）中的一种"
                    .into(),
            );
        }
    }
}

/// "`per` 需要 `each`", "`deduct` 需要一个比较…": a space only beside code.
fn needs(key: &str, need: &str) -> String {
    let gap = if need.starts_with('`') { " " } else { "" };
    format!("`{key}` 需要{gap}{need}")
}

/// A deduction, a maximum or a level's deduction: ≥ 0 with at most 2 decimals.
fn amount(r: &mut Reader, n: &Node, what: &str) -> Option<Decimal> {
    let before = r.diags.len();
    let v = non_negative(r, n, what).and_then(|v| two_decimals(r, n, what, v));
    if v.is_none()
        && r.diags.len() > before
        && let Some(d) = r.diags.last_mut()
    {
        d.hint
            .get_or_insert_with(|| "扣分写 0 或正数，最多两位小数，如 0.5、1.25".into());
    }
    v
}

fn wrong_fact(r: &mut Reader, at: &Node, form: &str, path: &FactPath, reads: &str) {
    let has = path.intrinsic_type().map_or("数值或是/否", FactType::label);
    r.error(
        at.pos,
        format!("{form} 扣分项不能读取 `{path}`（它是{has}）"),
    )
    .hint = Some(reads.into());
}

type Parsed = Option<(FactPath, ClauseForm)>;

fn read_each(r: &mut Reader, ctx: &Context, pending: &mut Pending) -> Parsed {
    let (what, f) = (ctx.what, &ctx.f);
    let each = ctx.amount(r, "each");
    let below = f.get("below").map(|n| r.number(n, "`below`"));
    let above = f.get("above").map(|n| r.number(n, "`above`"));
    let mut ok = !matches!(below, Some(None)) && !matches!(above, Some(None));
    let bound = match (below.flatten(), above.flatten()) {
        (Some(_), Some(_)) => {
            let later = f.key_pos("below").max(f.key_pos("above")).unwrap_or(f.pos);
            r.error(later, format!("{what}不能同时有 `below` 和 `above`"))
                .hint =
                Some("少于某数时扣用 below，超过某数时扣用 above；两种都扣就写成两条".into());
            ok = false;
            None
        }
        (Some(n), None) => Some(Bound::Below(n)),
        (None, Some(n)) => Some(Bound::Above(n)),
        (None, None) => None,
    };
    let per = match f.get("per") {
        Some(n) => match r.number(n, format!("{what}的 `per`")) {
            Some(u) if u > Decimal::ZERO => Some(u),
            Some(u) => {
                r.error(
                    n.pos,
                    format!("{what}的 `per` 必须大于 0（现为 {}）", decimal::show(u)),
                )
                .hint =
                    Some("`per` 是每扣一次 `each` 的单位，例如比率的 0.01（一个百分点）".into());
                ok = false;
                None
            }
            None => {
                ok = false;
                None
            }
        },
        None => None,
    };
    let (node, path) = ctx.fact(r, pending)?;
    match path.intrinsic_type() {
        // A bare `each` counts the fact itself, which cannot then be negative.
        None => {
            let ty = if bound.is_none() {
                FactType::NonNegative
            } else {
                FactType::Number
            };
            pending.fact_uses.push((fact_id(&path), ty, node.pos));
        }
        Some(t) if t.is_numeric() => {}
        Some(_) => {
            wrong_fact(r, node, "each", &path, "each 读取计数、数值或比率");
            return None;
        }
    }
    let each = each?;
    ok.then_some((path, ClauseForm::Each { each, bound, per }))
}

fn read_compare(r: &mut Reader, ctx: &Context, op: Op, pending: &mut Pending) -> Parsed {
    let what = ctx.what;
    let deduct = match ctx.f.get("deduct") {
        Some(_) => ctx.amount(r, "deduct"),
        None => {
            r.error(
                ctx.item.pos,
                format!("{what}是比较式，缺少 `deduct`（比较成立时扣的分）"),
            )
            .hint = Some(format!("例如 {{ fact: …, {}: …, deduct: 2 }}", op.key()));
            None
        }
    };
    let (node, path) = ctx.fact(r, pending)?;
    let vnode = ctx.f.get(op.key())?;
    let value = compare_value(r, &path, node, op, vnode, pending)?;
    if let (FactPath::Rating(id), CondValue::Level(level)) = (&path, &value) {
        pending
            .levels_named
            .push((id.clone(), level.clone(), vnode.pos));
    }
    Some((
        path,
        ClauseForm::Compare {
            op,
            value,
            deduct: deduct?,
        },
    ))
}

fn read_missing(r: &mut Reader, ctx: &Context, pending: &mut Pending) -> Parsed {
    let what = ctx.what;
    let each = ctx.amount(r, "missing_each");
    let (node, path) = ctx.fact(r, pending)?;
    let FactPath::Checklist(id) = &path else {
        wrong_fact(
            r,
            node,
            "missing_each",
            &path,
            "missing_each 读取清单 checklists.<编号>",
        );
        return None;
    };
    // A checklist whose items could not be read (reported) checks nothing.
    let checklist = ctx.sys.checklist(id).filter(|c| !c.items.is_empty())?;
    let known = || checklist.items.iter().map(|(k, _)| k.as_str());
    let (items, listed) = match ctx.f.get("items") {
        None => (known().map(str::to_string).collect(), false),
        Some(n) => {
            let list = r.seq(n, format!("{what}的 `items`"))?;
            if list.is_empty() {
                r.error(n.pos, format!("{what}的 `items` 至少要列出一个项目"))
                    .hint = Some(format!("省略 `items` 则按清单 `{id}` 的全部项目"));
                return None;
            }
            let mut out: Vec<String> = Vec::with_capacity(list.len());
            let mut ok = true;
            for item in list {
                let Some(text) = r.nonblank(item, "清单项目") else {
                    ok = false;
                    continue;
                };
                if !known().any(|k| k == text) {
                    let hint = suggest::hint(&text, known());
                    r.err_hint(
                        item.pos,
                        format!("{what}的项目 `{text}` 不属于清单 `{id}`"),
                        hint,
                    );
                    ok = false;
                } else if out.contains(&text) {
                    r.error(item.pos, format!("{what}的项目 `{text}` 重复"))
                        .hint = Some("每个项目只列一次".into());
                    ok = false;
                } else {
                    out.push(text);
                }
            }
            if !ok {
                return None;
            }
            (out, true)
        }
    };
    Some((
        path,
        ClauseForm::MissingEach {
            each: each?,
            items,
            listed,
        },
    ))
}

fn read_levels(r: &mut Reader, ctx: &Context, pending: &mut Pending) -> Parsed {
    let what = ctx.what;
    let node = ctx.f.get("levels")?;
    let entries = r.map(node, format!("{what}的 `levels`"))?;
    let mut levels = Vec::with_capacity(entries.len());
    let mut ok = true;
    if entries.is_empty() {
        r.error(node.pos, format!("{what}的 `levels` 至少要有一个等级"))
            .hint = Some("例如 levels: { good: 0, fair: 1, poor: 3 }".into());
        ok = false;
    }
    for e in entries {
        let level = e.key_text().to_string();
        match amount(r, &e.value, &format!("等级 `{level}` 的扣分")) {
            Some(d) => levels.push((level, d)),
            None => ok = false,
        }
    }
    let (fact_node, path) = ctx.fact(r, pending)?;
    if matches!(path, FactPath::Rating(_)) {
        // read_fact left it for the check of rating facts; the levels of this very clause
        // answer it, and another indicator's rating is reported here instead.
        pending.rating_facts.pop();
    }
    let own = ctx.own?;
    match &path {
        FactPath::Rating(id) if id == own => {}
        FactPath::Rating(other) => {
            r.error(
                fact_node.pos,
                format!("{what}的 `levels` 只能读取本指标的评定 `ratings.{own}`，而不是 `ratings.{other}`"),
            )
            .hint = Some(format!(
                "写成 fact: ratings.{own}；读取其他指标的评定用比较式，如 {{ fact: ratings.{other}, eq: poor, deduct: 2 }}"
            ));
            return None;
        }
        _ => {
            wrong_fact(
                r,
                fact_node,
                "levels",
                &path,
                &format!("levels 读取本指标的评定 ratings.{own}"),
            );
            return None;
        }
    }
    ok.then_some((path, ClauseForm::Levels(levels)))
}

/// A comparison clause's rating level must be a level of that indicator's rating.
pub(super) fn check_levels_named(r: &mut Reader, sys: &IndicatorSystem, pending: &Pending) {
    for (id, level, pos) in &pending.levels_named {
        let Some(levels) = sys.indicator(id).and_then(|i| i.rating_levels()) else {
            continue; // reported by the check of rating facts
        };
        if !levels.iter().any(|(l, _)| l == level) {
            let hint = suggest::hint(level, levels.iter().map(|(l, _)| l.as_str()));
            r.err_hint(*pos, format!("指标 `{id}` 没有评定等级 `{level}`"), hint);
        }
    }
}
