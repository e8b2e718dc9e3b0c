//! Bad rulebooks (扣分制): every error of SCHEMA.md's version 2, part 2, each from a copy of
//! tests/fixtures/rulebook (which is valid) with exactly one thing broken, and each checked
//! for the file, line and column, the message, the hint, and that it is the only error.

mod common;

use std::path::Path;

use common::*;
use dangjian::diagnostics::Pos;

/// `line:col` of the first occurrence of `marker`, as the tool counts them.
fn at(text: &str, marker: &str) -> String {
    let i = text
        .find(marker)
        .unwrap_or_else(|| panic!("marker {marker:?} not in text"));
    let p = Pos::at(text, i);
    format!("{}:{}", p.line, p.col)
}

/// Replaces `from` by `to` in `rel` of a fresh copy of the fixture, runs `check`, and
/// expects exactly one error: at `marker`, with `msg` in it and `hint` as its hint.
fn only_error(rel: &str, from: &str, to: &str, marker: &str, msg: &str, hint: Option<&str>) {
    let dir = copy_fixture("rulebook");
    let path = dir.path().join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from:?} not in {rel}");
    let text = text.replacen(from, to, 1);
    std::fs::write(&path, &text).unwrap();
    let (code, out, err) = check(dir.path());
    assert_eq!(code, 1, "exit code: {err}");
    assert!(out.is_empty());
    let errors: Vec<&str> = err.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(errors.len(), 1, "expected one error, got:\n{err}");
    let prefix = format!("{rel}:{}: error: ", at(&text, marker));
    let line = errors[0];
    assert!(
        line.starts_with(&prefix) && line.contains(msg),
        "expected `{prefix}…{msg}…`, got:\n{line}"
    );
    if let Some(h) = hint {
        assert!(line.contains(&format!("（提示：{h}")), "hint {h:?}: {line}");
    }
}

fn bad_rule(from: &str, to: &str, marker: &str, msg: &str, hint: Option<&str>) {
    only_error("indicators.yaml", from, to, marker, msg, hint);
}

fn check(root: &Path) -> (i32, String, String) {
    let o = run(&["check", "--root", &root.to_string_lossy()]);
    (o.status.code().unwrap_or(-1), stdout(&o), stderr(&o))
}

const COMPLAINTS: &str = "{ fact: incidents.complaints, each: 1 }";
const BRAND: &str = "{ fact: honors.brand, lt: 1, deduct: 3 }";
const RULES_ALL: &str = "{ fact: checklists.rules, missing_each: 1 }";
const SECURED: &str = "{ fact: facts.funding_secured, eq: false, deduct: 4 }";

#[test]
fn a_clause_without_a_form() {
    bad_rule(
        COMPLAINTS,
        "{ fact: incidents.complaints, label: 投诉 }",
        "{ fact: incidents.complaints, label",
        "指标 `work_style`的第 2 条扣分项没有扣分方式",
        Some("写 each（每…扣）、一个比较加 deduct、missing_each（每缺一项扣）或 levels"),
    );
    // A key that needs a form, with none: at that key, saying what it needs.
    bad_rule(
        COMPLAINTS,
        "{ fact: incidents.complaints, per: 2 }",
        "per: 2",
        "第 2 条扣分项有 `per`，却没有扣分方式",
        Some("`per` 需要 `each`"),
    );
    bad_rule(
        COMPLAINTS,
        "{ fact: incidents.complaints, max: 2 }",
        "max: 2 }",
        "有 `max`，却没有扣分方式",
        Some("`max` 需要 `each` 或 `missing_each`"),
    );
}

#[test]
fn a_clause_with_two_forms_or_two_comparisons() {
    bad_rule(
        COMPLAINTS,
        "{ fact: incidents.complaints, each: 1, gt: 0, deduct: 2 }",
        "gt: 0, deduct: 2",
        "只能有一种扣分方式，`each` 之后又有 `gt`",
        Some("一条扣分项只写一种扣法"),
    );
    bad_rule(
        RULES_ALL,
        "{ fact: checklists.rules, levels: { good: 1 }, missing_each: 1 }",
        "missing_each: 1 }",
        "`levels` 之后又有 `missing_each`",
        None,
    );
    bad_rule(
        BRAND,
        "{ fact: honors.brand, lt: 1, gt: 5, deduct: 3 }",
        "gt: 5",
        "只能有一个比较，`lt` 之后又有 `gt`",
        Some("要在两种情况下扣分，就写成两条扣分项"),
    );
}

#[test]
fn a_key_of_another_form() {
    bad_rule(
        RULES_ALL,
        "{ fact: checklists.rules, missing_each: 1, per: 2 }",
        "per: 2",
        "指标 `rules_kept`的第 1 条扣分项是“每缺一项扣”（missing_each），不能有 `per`",
        Some("`per` 需要 `each`"),
    );
    bad_rule(
        SECURED,
        "{ fact: facts.funding_secured, eq: false, deduct: 4, max: 2 }",
        "max: 2 }",
        "是比较式（deduct），不能有 `max`",
        Some("`max` 只用于 `each` 和 `missing_each`"),
    );
    bad_rule(
        "poor: 6 }, label",
        "poor: 6 }, max: 5, label",
        "max: 5",
        "是按评定等级扣分（levels），不能有 `max`",
        Some("`max` 只用于 `each` 和 `missing_each`"),
    );
    bad_rule(
        COMPLAINTS,
        "{ fact: incidents.complaints, each: 1, deduct: 2 }",
        "deduct: 2 }",
        "不能有 `deduct`",
        Some("`deduct` 需要一个比较（eq、ne、gt、ge、lt、le）"),
    );
    bad_rule(
        COMPLAINTS,
        "{ fact: incidents.complaints, each: 1, items: [study] }",
        "items: [study]",
        "不能有 `items`",
        Some("`items` 需要 `missing_each`"),
    );
    bad_rule(
        BRAND,
        "{ fact: honors.brand, lt: 1, deduct: 3, below: 2 }",
        "below: 2",
        "不能有 `below`",
        Some("`below` 需要 `each`"),
    );
    bad_rule(
        "below: 0.9, per",
        "below: 0.9, above: 0.99, per",
        "above",
        "不能同时有 `below` 和 `above`",
        None,
    );
    bad_rule(
        BRAND,
        "{ fact: honors.brand, lt: 1 }",
        "{ fact: honors.brand",
        "指标 `service`的第 1 条扣分项是比较式，缺少 `deduct`",
        None,
    );
    bad_rule(
        "below: 0.9, per: 0.01",
        "below: 0.9, pre: 0.01",
        "pre",
        "未知字段 `pre`",
        Some("是否应为 `per`？"),
    );
    bad_rule(
        COMPLAINTS,
        "{ each: 1 }",
        "{ each: 1 }",
        "指标 `work_style`的第 2 条扣分项缺少 `fact`",
        Some("每条扣分项用 `fact` 写明读取的事实"),
    );
    // A misspelt form is that, not also a clause without a form; block style as well.
    bad_rule(
        COMPLAINTS,
        "fact: incidents.complaints\n              eahc: 1",
        "eahc",
        "未知字段 `eahc`",
        Some("是否应为 `each`？"),
    );
}

#[test]
fn a_fact_of_the_wrong_type_for_the_form() {
    bad_rule(
        RULES_ALL,
        "{ fact: checklists.rules, each: 1 }",
        "checklists.rules, each",
        "each 扣分项不能读取 `checklists.rules`（它是清单）",
        Some("each 读取计数、数值或比率"),
    );
    bad_rule(
        COMPLAINTS,
        "{ fact: incidents.complaints, missing_each: 1 }",
        "incidents.complaints, missing_each",
        "missing_each 扣分项不能读取 `incidents.complaints`（它是计数）",
        Some("missing_each 读取清单 checklists.<编号>"),
    );
    bad_rule(
        "{ fact: ratings.work_style, levels",
        "{ fact: members, levels",
        "members, levels",
        "levels 扣分项不能读取 `members`（它是计数）",
        Some("levels 读取本指标的评定 ratings.work_style"),
    );
    bad_rule(
        COMPLAINTS,
        "{ fact: ratings.work_style, each: 1 }",
        "ratings.work_style, each",
        "each 扣分项不能读取 `ratings.work_style`（它是评定等级）",
        None,
    );
    bad_rule(
        BRAND,
        "{ fact: checklists.rules, eq: 1, deduct: 3 }",
        "checklists.rules, eq",
        "条件不能比较清单 `checklists.rules`",
        None,
    );
    bad_rule(
        BRAND,
        "{ fact: ratings.work_style, lt: 1, deduct: 3 }",
        "1, deduct: 3",
        "`ratings.work_style` 是评定等级，只能用 eq 或 ne 与等级名比较",
        None,
    );
    // facts.annual_plan is true/false (org_life's first clause): an amount elsewhere is a
    // second type for one fact.
    bad_rule(
        "{ fact: facts.arrears, each: 1.5 }",
        "{ fact: facts.annual_plan, each: 1.5 }",
        "facts.annual_plan, each",
        "`facts.annual_plan` 在这里被当作非负数值使用，但在第 26 行被当作是/否使用",
        None,
    );
    bad_rule(
        BRAND,
        "{ fact: ratings.work_style, eq: pooor, deduct: 3 }",
        "pooor",
        "指标 `work_style` 没有评定等级 `pooor`",
        Some("是否应为 `poor`？"),
    );
}

#[test]
fn checklist_items_of_a_clause() {
    bad_rule(
        "items: [dues, finance]",
        "items: [dues, finanse]",
        "finanse",
        "指标 `rules_kept`的第 2 条扣分项的项目 `finanse` 不属于清单 `rules`",
        Some("是否应为 `finance`？"),
    );
    bad_rule(
        "items: [dues, finance]",
        "items: [dues, dues]",
        "dues]",
        "的项目 `dues` 重复",
        None,
    );
    bad_rule(
        "items: [dues, finance]",
        "items: []",
        "[]",
        "的 `items` 至少要列出一个项目",
        None,
    );
}

#[test]
fn levels_clauses() {
    bad_rule(
        RULES_ALL,
        "{ fact: ratings.work_style, levels: { good: 0 } }",
        "ratings.work_style, levels: { good: 0 } }",
        "指标 `rules_kept`的第 1 条扣分项的 `levels` 只能读取本指标的评定 `ratings.rules_kept`，而不是 `ratings.work_style`",
        Some("写成 fact: ratings.rules_kept"),
    );
    bad_rule(
        COMPLAINTS,
        "{ fact: ratings.work_style, levels: { poor: 1 } }",
        "levels: { poor: 1",
        "指标 `work_style`的第 2 条扣分项又用 `levels` 扣分，而第 1 条扣分项已经用了",
        Some("一个指标最多一条 levels 扣分项"),
    );
    bad_rule(
        "levels: { good: 0, fair: 2, poor: 6 }",
        "levels: {}",
        "{}",
        "的 `levels` 至少要有一个等级",
        None,
    );
}

#[test]
fn amounts_negative_or_with_more_than_two_decimals() {
    bad_rule(
        "each: 1.5 }",
        "each: -1.5 }",
        "-1.5",
        "指标 `funding`的第 2 条扣分项的 `each`不能为负数（现为 -1.5）",
        Some("扣分写 0 或正数，最多两位小数"),
    );
    bad_rule(
        "deduct: 4 }",
        "deduct: 4.125 }",
        "4.125",
        "的 `deduct`最多两位小数（现为 4.125）",
        None,
    );
    bad_rule("max: 3 }", "max: -3 }", "-3", "的 `max`不能为负数", None);
    bad_rule(
        RULES_ALL,
        "{ fact: checklists.rules, missing_each: 0.001 }",
        "0.001",
        "的 `missing_each`最多两位小数",
        None,
    );
    bad_rule(
        "poor: 6 }",
        "poor: 6.001 }",
        "6.001",
        "等级 `poor` 的扣分最多两位小数",
        None,
    );
    bad_rule(
        "per: 0.05",
        "per: 0",
        "0, each: 2",
        "的 `per` 必须大于 0（现为 0）",
        None,
    );
    bad_rule(
        "per: 0.01",
        "per: -0.01",
        "-0.01",
        "的 `per` 必须大于 0（现为 -0.01）",
        None,
    );
}

#[test]
fn a_rule_without_clauses_and_an_indicator_fact_beside_it() {
    bad_rule(
        "deductions:\n            - { fact: surveys.awareness.rate, below: 0.95, each: 0.5 }",
        "deductions: []",
        "[]",
        "指标 `awareness`的 deductions 规则至少要有一条扣分项",
        None,
    );
    // Nothing at all after the key: at the key.
    bad_rule(
        "deductions:\n            - { fact: surveys.awareness.rate, below: 0.95, each: 0.5 }",
        "deductions:",
        "deductions:\n      - id: work_style",
        "指标 `awareness`的 deductions 规则至少要有一条扣分项",
        None,
    );
    bad_rule(
        "label: 群众满意率\n        points: 10\n",
        "label: 群众满意率\n        points: 10\n        fact: surveys.satisfaction.rate\n",
        "fact: surveys.satisfaction.rate\n",
        "指标 `satisfaction`是扣分制（deductions），没有自己的 `fact`",
        Some("删除这里的 `fact`：每条扣分项各自写 `fact`"),
    );
}

#[test]
fn steps_that_mix_or_misorder_min_and_max() {
    bad_rule(
        "{ max: 1, share: 0.7 }",
        "{ min: 1, share: 0.7 }",
        "min: 1, share: 0.7",
        "steps 的各级不能混用 `min` 和 `max`：第一级用的是 `max`",
        Some("把 `min` 改成 `max`"),
    );
    bad_rule(
        "{ min: 10, share: 0.6 }",
        "{ max: 10, share: 0.6 }",
        "max: 10, share: 0.6",
        "第一级用的是 `min`",
        None,
    );
    bad_rule(
        "{ max: 2, share: 0.5 }",
        "{ max: 1, share: 0.5 }",
        "1, share: 0.5 }",
        "steps 的 `max` 必须严格递增：1 不大于上一级的 1",
        None,
    );
    bad_rule(
        "{ max: 2, share: 0.5 }",
        "{ max: 2, share: 0.8 }",
        "0.8 }",
        "steps 的 `share` 必须自上而下不增：0.8 大于上一级的 0.7",
        None,
    );
    bad_rule(
        "{ max: 2, share: 0.5 }",
        "{ max: 2, min: 1, share: 0.5 }",
        "min: 1, share: 0.5",
        "steps 的一级不能同时有 `min` 和 `max`",
        None,
    );
    bad_rule(
        "{ max: 2, share: 0.5 }",
        "{ share: 0.5 }",
        "{ share: 0.5 }",
        "steps 的一级缺少 `min`（越高越好）或 `max`（越低越好）",
        None,
    );
}

#[test]
fn method_is_text() {
    bad_rule(
        "method: 查阅会议记录\n",
        "method: \"  \"\n",
        "\"  \"",
        "指标 `committee`的 `method`不能为空白",
        None,
    );
}

#[test]
fn records_against_a_rulebook() {
    // A level the `levels` clause does not define.
    only_error(
        "content/2026/east/floor.yaml",
        "work_style: fair",
        "work_style: fiar",
        "fiar",
        "指标 `work_style` 没有评定等级 `fiar`",
        Some("是否应为 `fair`？"),
    );
    // An amount a bare `each` counts cannot be negative.
    only_error(
        "content/2026/east/floor.yaml",
        "arrears: 2.5",
        "arrears: -2.5",
        "-2.5",
        "`facts.arrears` 不能为负数（现为 -2.5）",
        None,
    );
    // Ids named only by clauses are known ids, with the nearest as a hint.
    only_error(
        "content/2026/east/floor.yaml",
        "late_reports: 3",
        "late_report: 3",
        "late_report:",
        "未知的事件编号 `late_report`",
        Some("是否应为 `late_reports`？"),
    );
    only_error(
        "content/2026/east/floor.yaml",
        "honors: { brand: 0 }",
        "honors: { brnd: 0 }",
        "brnd",
        "未知的荣誉编号 `brnd`",
        Some("是否应为 `brand`？"),
    );
    // A rating for a deductions indicator without a `levels` clause.
    only_error(
        "content/2026/east/floor.yaml",
        "ratings: { work_style: fair }",
        "ratings: { work_style: fair, funding: good }",
        "funding: good",
        "`funding` 不是带 rating 规则的指标",
        None,
    );
}
