//! The bad-input matrix of version 2: one broken project per new error, each checked for the
//! exit code, the file, the line and column, the message and that it is the only error; and
//! the new warnings at the places the contract gives them. Every case starts from a copy of
//! tests/fixtures/v2 (valid; 2026 has `as_of: 2026-06-30`) and breaks exactly one thing.

mod common;

use std::path::Path;

use common::*;

/// `check` on a root: (exit code, stderr); it prints nothing on stdout.
fn check_v2(root: &Path) -> (i32, String) {
    let (code, out, err) = check(root);
    assert!(out.is_empty(), "check prints nothing on stdout");
    (code, err)
}

/// Writes `text` to `rel` in a fresh copy of the v2 fixture and expects exactly one error,
/// at the place of `marker` (`1:1` when empty), whose message contains `msg`.
fn expect_error(rel: &str, text: &str, marker: &str, msg: &str) -> String {
    let dir = fixture_with("v2", rel, text);
    let (code, err) = check_v2(dir.path());
    assert_eq!(code, 1, "exit code for {rel}: {err}");
    assert_error_at(&err, rel, text, marker, msg);
    let errors = err.lines().filter(|l| l.contains(": error: ")).count();
    assert_eq!(errors, 1, "exactly one error expected:\n{err}");
    err
}

/// The same, with a hint containing `hint`.
fn expect_error_hint(rel: &str, text: &str, marker: &str, msg: &str, hint: &str) {
    let err = expect_error(rel, text, marker, msg);
    let line = err.lines().find(|l| l.contains(msg)).unwrap();
    assert!(line.contains("（提示：") && line.contains(hint), "{line}");
}

const SYSTEM: &str = "indicators.yaml";

/// Replaces `from` by `to` in the fixture's indicators.yaml and expects one error at `marker`.
fn bad_system(from: &str, to: &str, marker: &str, msg: &str) -> String {
    let text = std::fs::read_to_string(fixture("v2").join(SYSTEM)).unwrap();
    assert!(text.contains(from), "{from:?} not in indicators.yaml");
    let text = text.replacen(from, to, 1);
    expect_error(SYSTEM, &text, marker, msg)
}

fn bad_system_hint(from: &str, to: &str, marker: &str, msg: &str, hint: &str) {
    let err = bad_system(from, to, marker, msg);
    let line = err.lines().find(|l| l.contains(msg)).unwrap();
    assert!(line.contains(hint), "{line}");
}

const REC: &str = "content/2026/street/shequ.yaml";
const BASE: &str = "name: 和平社区党支部\ncategory: community\n";

fn record(extra: &str) -> String {
    format!("{BASE}{extra}")
}

// ---------------------------------------------------------------- label maps

#[test]
fn ids_missing_from_a_label_map() {
    bad_system_hint(
        "surveys: { satisfaction: 群众满意度测评 }",
        "surveys: { satisfactoin: 群众满意度测评 }",
        "satisfaction.rate",
        "调查编号 `satisfaction` 不在 `surveys` 名称表中",
        "是否应为 `satisfactoin`？",
    );
    bad_system(
        "facts: { service_sites: 党群服务站点数, funding_secured: 活动经费有保障 }",
        "facts: { service_sites: 党群服务站点数 }",
        "funding_secured\n        rule",
        "事实编号 `funding_secured` 不在 `facts` 名称表中",
    );
    bad_system(
        "incidents: { discipline_violations: 违纪违法党员, relapsed_households: 返贫户 }",
        "incidents: { discipline_violations: 违纪违法党员 }",
        "relapsed_households, gt",
        "事件编号 `relapsed_households` 不在 `incidents` 名称表中",
    );
    bad_system(
        "honors: { district_brand: 区级党建品牌, village_star: 星级村 }",
        "honors: { district_brand: 区级党建品牌 }",
        "village_star\n    each",
        "荣誉编号 `village_star` 不在 `honors` 名称表中",
    );
    bad_system(
        "honors: { district_brand: 区级党建品牌, village_star: 星级村 }",
        "honors: { district_brand: 区级党建品牌, village_star: \" \" }",
        "\" \"",
        "不能为空白",
    );
}

#[test]
fn record_ids_outside_a_label_map() {
    expect_error_hint(
        REC,
        &record("surveys: { satisfation: { respondents: 1, positive: 1 } }\n"),
        "satisfation",
        "未知的调查编号 `satisfation`",
        "是否应为 `satisfaction`？",
    );
    expect_error_hint(
        REC,
        &record("honors: { city_brand: 1 }\n"),
        "city_brand",
        "未知的荣誉编号 `city_brand`",
        "可用的有：`district_brand`、`village_star`",
    );
    expect_error(
        REC,
        &record("incidents: { petitions: 0 }\n"),
        "petitions",
        "未知的事件编号 `petitions`",
    );
    expect_error(
        REC,
        &record("facts: { new_members: 2 }\n"),
        "new_members",
        "未知的事实编号 `new_members`",
    );
}

// ---------------------------------------------------------------- votes in indicators.yaml

#[test]
fn vote_definitions() {
    // A vote nothing reads yet, with one level.
    bad_system(
        "dimensions:",
        "  extra:\n    levels: { yes: 同意 }\ndimensions:",
        "{ yes: 同意 }",
        "评议 `extra`至少要有两个等级",
    );
    // A level with a blank label: the vote stays whole for the paths that name it.
    bad_system("basic: 基本合格", "basic: \"\"", "\"\"", "的名称不能为空白");
    bad_system(
        "dimensions:",
        "  extra:\n    levels: { yes: 同意, total: 合计 }\ndimensions:",
        "total: 合计",
        "`total` 是保留字",
    );
    bad_system(
        "    label: 民主评议党员\n",
        "    label: 民主评议党员\n    weights: 1\n",
        "weights",
        "未知字段 `weights`",
    );
}

#[test]
fn vote_fact_paths() {
    bad_system_hint(
        "fact: votes.secretary_review\n",
        "fact: votes.secretary_reveiw\n",
        "secretary_reveiw",
        "未定义的评议 `secretary_reveiw`",
        "是否应为 `secretary_review`？",
    );
    bad_system_hint(
        "fact: votes.secretary_review.rate.poor",
        "fact: votes.secretary_review.rate.pooor",
        "pooor",
        "评议 `secretary_review` 没有等级 `pooor`",
        "是否应为 `poor`？",
    );
    bad_system(
        "fact: votes.secretary_review.rate.poor",
        "fact: votes.secretary_review.rate",
        "rate, ge",
        "缺少等级",
    );
    // A condition cannot compare a whole vote; a bonus cannot count one.
    bad_system(
        "fact: votes.secretary_review.rate.poor",
        "fact: votes.secretary_review",
        "votes.secretary_review, ge",
        "条件不能比较整项评议 `votes.secretary_review`",
    );
    bad_system(
        "fact: honors.village_star",
        "fact: votes.member_review",
        "votes.member_review\n    each",
        "只能读取计数、数值或是/否",
    );
}

#[test]
fn votes_required_when_used() {
    // 2024's system defines no votes: a fact path naming one is an error with the hint.
    let rel = "content/2024/indicators.yaml";
    let text = std::fs::read_to_string(fixture("v2").join(rel)).unwrap();
    let text = text.replacen(
        "fact: surveys.satisfaction.rate",
        "fact: votes.satisfaction.rate.good",
        1,
    );
    let err = expect_error(
        rel,
        &text,
        "satisfaction.rate.good",
        "未定义的评议 `satisfaction`",
    );
    assert!(
        err.contains("在 indicators.yaml 的 `votes` 中定义"),
        "{err}"
    );
    // And a record giving votes in a year whose system has none.
    let rel = "content/2024/town/cun.yaml";
    let text = std::fs::read_to_string(fixture("v2").join(rel)).unwrap()
        + "votes:\n  secretary_review: { excellent: 1 }\n";
    let err = expect_error(
        rel,
        &text,
        "secretary_review",
        "未知的评议编号 `secretary_review`",
    );
    assert!(err.contains("没有定义任何评议"), "{err}");
}

#[test]
fn vote_rules() {
    let from = "rule: { vote: { excellent: 1, good: 0.8, fair: 0.4, poor: 0 } }";
    bad_system(
        from,
        "rule: { vote: { excellent: 1, good: 0.8, fair: 0.4 } }",
        "{ excellent: 1, good: 0.8, fair: 0.4 }",
        "vote 规则缺少评议 `secretary_review` 的等级 `poor` 的权重",
    );
    bad_system_hint(
        from,
        "rule: { vote: { excellent: 1, good: 0.8, fair: 0.4, poor: 0, bad: 0 } }",
        "bad: 0",
        "评议 `secretary_review` 没有等级 `bad`",
        "可用的有",
    );
    bad_system(
        from,
        "rule: { vote: { excellent: 1.2, good: 0.8, fair: 0.4, poor: 0 } }",
        "1.2",
        "必须在 0 到 1 之间",
    );
    // Weights must not rise from the best level down (the vote's order, not the rule's).
    bad_system(
        from,
        "rule: { vote: { poor: 0, fair: 0.9, good: 0.8, excellent: 1 } }",
        "0.9",
        "`fair` 的 0.9 大于更好的等级 `good` 的 0.8",
    );
    bad_system(
        from,
        "rule: { vote: { excellent: 1, good: 0.8, fair: 0.4, poor: 0.5 } }",
        "0.5 } }",
        "`poor` 的 0.5 大于更好的等级 `fair` 的 0.4",
    );
    // A vote rule reads a whole vote; other rules cannot.
    bad_system(
        "fact: votes.secretary_review\n",
        "fact: votes.secretary_review.total\n",
        "votes.secretary_review.total",
        "`vote` 规则不能读取 `votes.secretary_review.total`",
    );
    bad_system(
        "fact: surveys.satisfaction.rate\n        rule: { goalpost: { low: 0, high: 1 } }",
        "fact: votes.member_review\n        rule: { goalpost: { low: 0, high: 1 } }",
        "votes.member_review\n        rule: { goal",
        "`goalpost` 规则不能读取 `votes.member_review`（它是评议票数）",
    );
    bad_system(
        "rule: { boolean: true }",
        "rule: { vot: { a: 1 } }",
        "vot:",
        "未知的规则 `vot`",
    );
}

// ---------------------------------------------------------------- applies_to, views

#[test]
fn applies_to_on_vetoes_and_bonuses() {
    bad_system_hint(
        "    applies_to: [rural]\n    when",
        "    applies_to: [rurl]\n    when",
        "rurl",
        "未定义的类别 `rurl`",
        "是否应为 `rural`？",
    );
    bad_system(
        "    applies_to: [rural]\n    fact: honors.village_star",
        "    applies_to: []\n    fact: honors.village_star",
        "[]\n    fact: honors",
        "`applies_to` 不能为空",
    );
}

#[test]
fn views() {
    bad_system_hint(
        "indicators: [committee, review] }",
        "indicators: [committee, reveiw] }",
        "reveiw",
        "视图 `four_strong`中的指标 `reveiw` 未定义",
        "是否应为 `review`？",
    );
    // An indicator in two groups of one view, at its second place.
    bad_system(
        "indicators: [members_vote] }",
        "indicators: [members_vote, committee] }",
        "committee] }\n  grid",
        "指标 `committee` 已在视图 `four_strong`的分组 `team_strong` 中",
    );
    bad_system(
        "{ id: bastion,",
        "{ id: team_strong,",
        "team_strong, label: 堡垒",
        "分组编号 `team_strong` 重复",
    );
    bad_system(
        "{ id: outer, label: 外部, indicators: [sites] }",
        "{ id: outer, label: 外部, indicators: [] }",
        "[] }",
        "分组 `outer` 至少要有一个指标",
    );
    bad_system(
        "      - { id: outer, label: 外部, indicators: [sites] }",
        "      - { id: outer, label: 外部, indicators: [sites], colour: red }",
        "colour",
        "未知字段 `colour`",
    );
    bad_system(
        "  grid:\n    groups:\n      - { id: inner, label: 内部, indicators: [committee, members_vote] }\n      - { id: outer, label: 外部, indicators: [sites] }",
        "  grid:\n    groups: []",
        "[]",
        "至少要有一个分组",
    );
}

// ---------------------------------------------------------------- votes in records

#[test]
fn votes_in_records() {
    expect_error_hint(
        REC,
        &record("votes:\n  member_reviw: { excellent: 1 }\n"),
        "member_reviw",
        "未知的评议编号 `member_reviw`",
        "是否应为 `member_review`？",
    );
    expect_error_hint(
        REC,
        &record("votes:\n  member_review: { excelent: 1 }\n"),
        "excelent",
        "评议 `member_review` 没有等级 `excelent`",
        "是否应为 `excellent`？",
    );
    expect_error(
        REC,
        &record("votes:\n  member_review: { excellent: -1 }\n"),
        "-1",
        "不能小于 0",
    );
    expect_error(
        REC,
        &record("votes:\n  member_review: { excellent: 2.5 }\n"),
        "2.5",
        "应为整数",
    );
    expect_error(
        REC,
        &record("votes:\n  member_review: [1, 2]\n"),
        "[1, 2]",
        "应为映射",
    );
}

// ---------------------------------------------------------------- inspection

#[test]
fn inspection_block() {
    let insp = |body: &str| record(&format!("inspection:\n{body}"));
    expect_error(
        REC,
        &insp("  team: [王五]\n"),
        "team",
        "`inspection`缺少必填字段 `date`",
    );
    expect_error(
        REC,
        &insp("  date: 2026-06-01\n"),
        "date",
        "`inspection`缺少必填字段 `team`",
    );
    expect_error(
        REC,
        &insp("  date: 2025-11-20\n  team: [王五]\n"),
        "2025-11-20",
        "不在所在年度文件夹的 2026 年内",
    );
    // 2026 has as_of 2026-06-30: a later inspection is an error, the cut-off itself is not.
    expect_error_hint(
        REC,
        &insp("  date: 2026-07-01\n  team: [王五]\n"),
        "2026-07-01",
        "晚于本年度的数据截止日 2026-06-30",
        "as_of",
    );
    expect_error(
        REC,
        &insp("  date: 2026-06-31\n  team: [王五]\n"),
        "2026-06-31",
        "不是 YYYY-MM-DD 格式的真实日期",
    );
    expect_error(
        REC,
        &insp("  date: 2026-06-01\n  team: []\n"),
        "[]",
        "至少要有一名成员",
    );
    expect_error(
        REC,
        &insp("  date: 2026-06-01\n  team: [王五, \"  \"]\n"),
        "\"  \"",
        "不能为空白",
    );
    expect_error(
        REC,
        &insp("  date: 2026-06-01\n  team: [王五]\n  sampled: yes\n"),
        "yes",
        "应为 true 或 false",
    );
    expect_error_hint(
        REC,
        &insp("  date: 2026-06-01\n  team: [王五]\n  verified: [meetings, survey]\n"),
        "survey]",
        "`verified` 中的 `survey` 不是记录中可核实的部分",
        "是否应为 `surveys`？",
    );
    expect_error(
        REC,
        &insp("  date: 2026-06-01\n  team: [王五]\n  verified: [votes, meetings, votes]\n"),
        "votes]",
        "`verified` 中的 `votes` 重复",
    );
    expect_error_hint(
        REC,
        &insp("  date: 2026-06-01\n  team: [王五]\n  opinion: [x]\n"),
        "opinion:",
        "未知字段 `opinion`",
        "是否应为 `opinions`？",
    );
    // Everything the block may hold, valid: no error.
    let dir = copy_fixture("v2");
    std::fs::write(
        dir.path().join(REC),
        insp("  date: 2026-06-30\n  team: [王五, 赵六]\n  sampled: true\n  methods: [听取汇报, 查阅台账]\n  verified: [meetings, checklists, surveys, facts, incidents, ratings, honors, votes, self_scores]\n  overall: 好\n  opinions: [一, 二]\n"),
    )
    .unwrap();
    let (code, err) = check_v2(dir.path());
    assert_eq!(code, 0, "{err}");
}

// ---------------------------------------------------------------- rectification

#[test]
fn rectification_plan() {
    let item = |body: &str| record(&format!("rectification:\n  - {{ {body} }}\n"));
    let ok = "id: r1, problem: 问题, measure: 措施, due: 2026-06-30";
    expect_error(
        REC,
        &item("id: r1, problem: 问题, measure: 措施"),
        "{ id",
        "整改事项缺少必填字段 `due`",
    );
    expect_error(
        REC,
        &item("id: r1, problem: \" \", measure: 措施, due: 2026-06-30"),
        "\" \"",
        "不能为空白",
    );
    expect_error(
        REC,
        &item("problem: 问题, measure: 措施, due: 2026-06-30"),
        "{ problem",
        "整改事项缺少必填字段 `id`",
    );
    expect_error(
        REC,
        &record(&format!(
            "rectification:\n  - {{ {ok} }}\n  - {{ id: r1, problem: 又一个, measure: 措施, due: 2026-06-30 }}\n"
        )),
        "r1, problem: 又",
        "整改事项编号 `r1` 在本记录中重复",
    );
    // due: this year or the next; the next year's end is fine, the year after is not.
    expect_error(
        REC,
        &item("id: r1, problem: 问题, measure: 措施, due: 2028-01-01"),
        "2028-01-01",
        "整改期限 2028-01-01 应在本年度（2026）或下一年度（2027）内",
    );
    expect_error(
        REC,
        &item("id: r1, problem: 问题, measure: 措施, due: 2025-12-31"),
        "2025-12-31",
        "应在本年度（2026）或下一年度（2027）内",
    );
    expect_error(
        REC,
        &item("id: r1, problem: 问题, measure: 措施, due: 2026-02-30"),
        "2026-02-30",
        "不是 YYYY-MM-DD 格式的真实日期",
    );
    expect_error_hint(
        REC,
        &item(&format!("{ok}, indicator: comittee")),
        "comittee",
        "整改对应的指标 `comittee` 未定义",
        "是否应为 `committee`？",
    );
    // funding is for villages and offices; shequ is a community.
    expect_error(
        REC,
        &item(&format!("{ok}, indicator: funding")),
        "funding",
        "指标 `funding`（经费保障）不适用于类别 `community`",
    );
    // done: inside the folder's year and not after as_of.
    expect_error(
        REC,
        &item(&format!("{ok}, done: 2026-07-01")),
        "2026-07-01",
        "晚于本年度的数据截止日 2026-06-30",
    );
    expect_error(
        REC,
        &item(&format!("{ok}, done: 2025-12-01")),
        "2025-12-01",
        "不在所在年度文件夹的 2026 年内",
    );
    expect_error(
        REC,
        &item(&format!("{ok}, due_date: 2026-01-01")),
        "due_date",
        "未知字段 `due_date`",
    );
    // Valid: due next year, done on the cut-off, an owner, an indicator that applies.
    let dir = copy_fixture("v2");
    std::fs::write(
        dir.path().join(REC),
        item("id: r1, problem: 问题, measure: 措施, owner: 张三, due: 2027-12-31, done: 2026-06-30, indicator: sites"),
    )
    .unwrap();
    let (code, err) = check_v2(dir.path());
    assert_eq!(code, 0, "{err}");
}

#[test]
fn meeting_after_the_cut_off() {
    expect_error(
        REC,
        &record("meetings:\n  - { date: 2026-07-01, kind: committee, topic: 学习 }\n"),
        "2026-07-01",
        "晚于本年度的数据截止日 2026-06-30",
    );
}

// ---------------------------------------------------------------- _org.yaml

#[test]
fn as_of_and_withdrawn_in_org_files() {
    let district = "content/2026/_org.yaml";
    expect_error(
        district,
        "name: 区委\nas_of: 2025-06-30\n",
        "2025-06-30",
        "数据截止日 `as_of` 2025-06-30 不在所在年度文件夹的 2026 年内",
    );
    expect_error(
        district,
        "name: 区委\nas_of: 2026-6-30\n",
        "2026-6-30",
        "不是 YYYY-MM-DD 格式的真实日期",
    );
    // Only the district's own _org.yaml may give them.
    expect_error_hint(
        "content/2026/street/_org.yaml",
        "name: 街道\nas_of: 2026-06-30\n",
        "as_of",
        "`as_of` 只能写在年度文件夹的 _org.yaml（区级党组织）中",
        "content/<年度>/_org.yaml",
    );
    expect_error(
        "content/2026/street/_org.yaml",
        "name: 街道\nwithdrawn: { gone: 撤销 }\n",
        "withdrawn",
        "`withdrawn` 只能写在年度文件夹的 _org.yaml",
    );
    expect_error(
        district,
        "name: 区委\nwithdrawn:\n  old: \"\"\n",
        "\"\"",
        "撤销原因不能为空白",
    );
}

#[test]
fn withdrawn_ids_must_be_last_years_gone_branches() {
    let district = "content/2026/_org.yaml";
    // Not a branch of 2025: the hint names the 2025 branches gone this year.
    let err = expect_error(
        district,
        "name: 区委\nwithdrawn:\n  old: 撤销\n  gonne: 撤销\n",
        "gonne",
        "`withdrawn` 中的 `gonne` 不是上一年度（2025）的支部",
    );
    assert!(err.contains("是否应为 `gone`？"), "{err}");
    // jiguan exists in 2024 but not in 2025: the nearest earlier year is what counts.
    expect_error(
        district,
        "name: 区委\nwithdrawn:\n  old: 撤销\n  gone: 撤销\n  jiguan: 撤销\n",
        "jiguan",
        "`withdrawn` 中的 `jiguan` 不是上一年度（2025）的支部",
    );
    // Still has a record this year.
    let err = expect_error(
        district,
        "name: 区委\nwithdrawn:\n  old: 撤销\n  shequ: 撤销\n",
        "shequ",
        "支部 `shequ` 列为撤销，但本年度仍有它的记录 content/2026/street/shequ.yaml",
    );
    assert!(err.contains("从 `withdrawn` 中去掉它"), "{err}");
    // The first year has no earlier year.
    expect_error(
        "content/2024/_org.yaml",
        "name: 区委\nwithdrawn:\n  x: 撤销\n",
        "x: ",
        "2024 年度之前没有年度文件夹，无从撤销",
    );
}

// ---------------------------------------------------------------- warnings

/// Runs check on a changed copy of the fixture and gives stderr (which must exit 0).
fn warnings_after(change: impl FnOnce(&Path)) -> String {
    let dir = copy_fixture("v2");
    change(dir.path());
    let (code, err) = check_v2(dir.path());
    assert_eq!(code, 0, "{err}");
    err
}

#[test]
fn vanished_branches_warn_where_the_contract_says() {
    // Listing gone in `withdrawn` silences its warning.
    let err = warnings_after(|root| {
        std::fs::write(
            root.join("content/2026/_org.yaml"),
            "name: 区委\nas_of: 2026-06-30\nwithdrawn:\n  old: 撤销\n  gone: 并入和平社区\n",
        )
        .unwrap();
    });
    assert!(!err.contains("`gone`"), "{err}");
    // With no `withdrawn` at all: both old (on 2025's list) and gone warn at 1:1; old's
    // warning says it was on the list.
    let err = warnings_after(|root| {
        std::fs::write(root.join("content/2026/_org.yaml"), "name: 区委\n").unwrap();
    });
    let old = err
        .lines()
        .find(|l| l.contains("`old`"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        old.starts_with("content/2026/_org.yaml:1:1: warning: 2025 年度的支部 `old`（老街村党支部）本年度没有记录，也没有列入 `withdrawn`；它在 2025 年度列入了整改名单"),
        "{old}"
    );
    assert!(
        err.contains("content/2026/_org.yaml:1:1: warning: 2025 年度的支部 `gone`"),
        "{err}"
    );
}

#[test]
fn vanished_branch_of_a_year_without_org_file_points_at_the_folder() {
    let dir = copy_fixture("v2");
    std::fs::remove_file(dir.path().join("content/2026/_org.yaml")).unwrap();
    let (code, err) = check_v2(dir.path());
    // The missing _org.yaml is an error; the warnings still say what vanished, at the year
    // folder itself, with no line.
    assert_eq!(code, 1);
    assert!(
        err.contains("content/2026:1:1: error: 年度文件夹缺少 _org.yaml"),
        "{err}"
    );
    assert!(
        err.lines().any(
            |l| l.starts_with("content/2026: warning: 2025 年度的支部 `old`")
                && l.contains("列入了整改名单")
        ),
        "{err}"
    );
    assert!(
        err.contains("content/2026: warning: 2025 年度的支部 `gone`"),
        "{err}"
    );
}

/// A district file that cannot be read may list any branch in `withdrawn`: no branch is
/// said to have vanished unlisted (that would be a second report of the one defect).
#[test]
fn vanished_branches_of_a_year_whose_org_file_is_broken_are_not_warned_about() {
    let dir = fixture_with("v2", "content/2026/_org.yaml", "name: [区委\n");
    let (code, err) = check_v2(dir.path());
    assert_eq!(code, 1);
    assert!(err.contains("content/2026/_org.yaml:1:7: error: "), "{err}");
    assert!(
        !err.contains("本年度没有记录，也没有列入 `withdrawn`；它在 2025"),
        "{err}"
    );
    assert!(!err.contains("2025 年度的支部 `gone`"), "{err}");
}

#[test]
fn missing_plan_warns_at_the_record_and_an_empty_plan_counts_as_none() {
    // shequ already warns (no plan in 2026). Giving it a plan silences it.
    let err = warnings_after(|root| {
        let p = root.join(REC);
        let text = std::fs::read_to_string(&p).unwrap()
            + "rectification:\n  - { id: r1, problem: 问题, measure: 措施, due: 2026-12-31 }\n";
        std::fs::write(p, text).unwrap();
    });
    assert!(!err.contains("整改计划"), "{err}");
    // `rectification: []` gives no plan.
    let err = warnings_after(|root| {
        let p = root.join(REC);
        let text = std::fs::read_to_string(&p).unwrap() + "rectification: []\n";
        std::fs::write(p, text).unwrap();
    });
    assert!(
        err.contains(&format!(
            "{REC}:1:1: warning: 该支部在 2025 年度列入了整改名单，本年度记录没有整改计划 `rectification`"
        )),
        "{err}"
    );
    // cun (on 2025's list) without its plan warns too.
    let err = warnings_after(|root| {
        let p = root.join("content/2026/town/cun.yaml");
        let text = std::fs::read_to_string(&p).unwrap();
        let cut = text.find("rectification:").unwrap();
        std::fs::write(p, &text[..cut]).unwrap();
    });
    assert!(
        err.contains("content/2026/town/cun.yaml:1:1: warning: 该支部在 2025 年度列入了整改名单"),
        "{err}"
    );
}
