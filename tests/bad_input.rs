//! The bad-input matrix: one broken project per class of error, each checked for the exit
//! code, the file, the line and column, and the message. Every case starts from a copy of
//! the golden fixture (which is valid) and breaks exactly one thing.

mod common;

use std::path::Path;

use common::*;

/// Writes `text` to `rel` in a fresh copy of the golden fixture and expects one error at
/// the place of `marker` (or `1:1` when `marker` is empty) whose message contains `msg`.
fn expect_error(rel: &str, text: &str, marker: &str, msg: &str) {
    let dir = fixture_with("golden", rel, text);
    expect_in(dir.path(), rel, text, marker, msg);
}

fn expect_in(root: &Path, rel: &str, text: &str, marker: &str, msg: &str) {
    let (code, out, err) = check(root);
    assert_eq!(code, 1, "exit code for {rel}: {err}");
    assert!(out.is_empty());
    assert_error_at(&err, rel, text, marker, msg);
}

const GOOD: &str = "name: 新支部\ncategory: community\nmembers: 12\n";

fn record(extra: &str) -> String {
    format!("{GOOD}{extra}")
}

const REC: &str = "content/2026/east/newbie.yaml";

#[test]
fn yaml_syntax_error() {
    let t = "name: 新支部\ncategory: community\n  members: 3\n";
    let dir = copy_fixture("golden");
    std::fs::write(dir.path().join(REC), t).unwrap();
    let (code, _, err) = check(dir.path());
    assert_eq!(code, 1);
    assert!(err.contains(&format!("{REC}:3:")), "{err}");
    assert!(err.contains("YAML 语法错误"), "{err}");
}

#[test]
fn misspelt_field_gets_nearest_name() {
    let t = "name: 新支部\ncatgory: community\n";
    expect_error(REC, t, "catgory", "未知字段 `catgory`");
    let dir = copy_fixture("golden");
    std::fs::write(dir.path().join(REC), t).unwrap();
    let (_, _, err) = check(dir.path());
    assert!(err.contains("是否应为 `category`"), "{err}");
    // Once, at the misspelling: the field it names is not also reported missing.
    assert!(!err.contains("缺少必填字段 `category`"), "{err}");
    assert_eq!(err.matches(": error: ").count(), 1, "{err}");
}

#[test]
fn unknown_category_gets_nearest() {
    let t = "name: 新支部\ncategory: comunity\n";
    expect_error(
        REC,
        t,
        "comunity",
        "未定义的类别 `comunity`（提示：是否应为 `community`？）",
    );
}

#[test]
fn present_over_expected() {
    let t = record(
        "meetings:\n  - { date: 2026-03-01, kind: committee, topic: 学习, expected: 5, present: 6 }\n",
    );
    expect_error(
        REC,
        &t,
        "6 }",
        "实到人数 `present` 6 大于应到人数 `expected` 5",
    );
}

#[test]
fn expected_without_present() {
    let t =
        record("meetings:\n  - { date: 2026-03-01, kind: committee, topic: 学习, expected: 5 }\n");
    expect_error(REC, &t, "expected: 5", "没有 `present`");
    let t = record(
        "meetings:\n  - date: 2026-03-01\n    kind: committee\n    topic: 学习\n    present: 5\n",
    );
    expect_error(REC, &t, "present: 5", "没有 `expected`");
}

#[test]
fn positive_over_respondents() {
    let t = record("surveys:\n  satisfaction: { respondents: 10, positive: 11 }\n");
    expect_error(REC, &t, "11 }", "大于答卷人数");
}

#[test]
fn date_outside_the_year_and_impossible_date() {
    let t = record("meetings:\n  - { date: 2025-12-31, kind: committee, topic: 学习 }\n");
    expect_error(REC, &t, "2025-12-31", "不在所在年度文件夹的 2026 年内");
    let t = record("meetings:\n  - { date: 2026-02-30, kind: committee, topic: 学习 }\n");
    expect_error(REC, &t, "2026-02-30", "不是 YYYY-MM-DD 格式的真实日期");
}

#[test]
fn unknown_meeting_kind_and_blank_topic() {
    let t = record("meetings:\n  - { date: 2026-03-01, kind: comittee, topic: 学习 }\n");
    expect_error(
        REC,
        &t,
        "comittee",
        "未定义的会议类型 `comittee`（提示：是否应为 `committee`？）",
    );
    let t = record("meetings:\n  - { date: 2026-03-01, kind: committee, topic: \"  \" }\n");
    expect_error(REC, &t, "\"  \"", "不能为空白");
}

#[test]
fn unknown_checklist_item_and_unknown_ids() {
    let t = record("checklists: { five_ones: [a, f] }\n");
    expect_error(REC, &t, "f]", "清单 `five_ones` 中没有项目 `f`");
    let t = record("incidents: { complaint: 0 }\n");
    expect_error(
        REC,
        &t,
        "complaint:",
        "未知的事件编号 `complaint`（提示：是否应为 `complaints`？）",
    );
    let t = record("facts: { funding: true }\n");
    expect_error(REC, &t, "funding:", "未知的事实编号 `funding`");
    let t = record("surveys: { happiness: { respondents: 1, positive: 1 } }\n");
    expect_error(REC, &t, "happiness", "未知的调查编号 `happiness`");
    let t = record("honors: { brnd: 1 }\n");
    expect_error(REC, &t, "brnd", "未知的荣誉编号 `brnd`");
}

#[test]
fn wrong_value_types() {
    let t = record("facts: { funding_secured: 1 }\n");
    expect_error(REC, &t, "1 }", "应为 true 或 false");
    let t = "name: 新支部\ncategory: community\nmembers: \"12\"\n";
    expect_error(REC, t, "\"12\"", "应为数字，而不是文本");
    let t = "name: 新支部\ncategory: community\nmembers: -1\n";
    expect_error(REC, t, "-1", "不能小于 0");
    let t = "name: 新支部\ncategory: community\nmembers: 2.5\n";
    expect_error(REC, t, "2.5", "应为整数");
    let t = record("ratings: { work_style: great }\n");
    expect_error(REC, &t, "great", "指标 `work_style` 没有评定等级 `great`");
    let t = record("ratings: { funding: good }\n");
    expect_error(REC, &t, "funding:", "不是带 rating 规则的指标");
}

#[test]
fn self_scores_out_of_range_or_not_applicable() {
    let t = record("self_scores: { committee_months: 21 }\n");
    expect_error(REC, &t, "21", "应在 0 到 20 之间");
    let t = record("self_scores: { lecture_quarters: 5 }\n");
    expect_error(REC, &t, "lecture_quarters", "不适用于类别 `community`");
    let t = record("self_scores: { funding: 2.555 }\n");
    expect_error(REC, &t, "2.555", "最多两位小数");
}

#[test]
fn duplicate_key_at_second_occurrence() {
    let t = "name: 新支部\ncategory: community\nname: 又一个\n";
    expect_error(REC, t, "name: 又", "键 `name` 重复");
}

#[test]
fn duplicate_branch_id_across_folders() {
    // east/alpha.yaml exists; west/alpha.yaml repeats the id and comes second in path order.
    expect_error(
        "content/2026/west/alpha.yaml",
        GOOD,
        "",
        "支部编号 `alpha` 在本年度重复",
    );
}

#[test]
fn record_folder_without_org_and_reserved_names() {
    expect_error("content/2026/east/loose/x.yaml", GOOD, "", "没有 _org.yaml");
    expect_error("content/2026/east/_x.yaml", GOOD, "", "保留名称");
    expect_error(
        "content/2026/east/indicators.yaml",
        GOOD,
        "",
        "indicators.yaml 只能放在",
    );
}

#[test]
fn files_that_do_not_belong() {
    expect_error("content/2026/east/x.yml", GOOD, "", "必须以 .yaml 结尾");
    expect_error(
        "content/2026/east/ghost.md",
        "# 叙述\n",
        "",
        "没有对应的记录 `ghost.yaml`",
    );
    expect_error("content/2026/east/notes.txt", "x", "", "多余的文件");
    expect_error("content/readme.txt", "x", "", "只能放年度文件夹");
    // A hidden file is ignored.
    let dir = copy_fixture("golden");
    std::fs::write(dir.path().join("content/2026/east/.DS_Store"), "x").unwrap();
    assert_eq!(check(dir.path()).0, 0);
}

#[test]
fn narrative_links_must_resolve_inside_the_root() {
    let md = "## 述职报告\n\n见![照片](img/missing.png)。\n";
    expect_error(
        "content/2026/east/alpha.md",
        md,
        "![",
        "指向的文件 `content/2026/east/img/missing.png` 不存在",
    );
    let md = "见[文件](../../../../secret.txt)\n";
    expect_error(
        "content/2026/east/alpha.md",
        md,
        "[文件",
        "指向项目根目录之外",
    );
    // A linked file is allowed, and then is no stray file.
    let dir = copy_fixture("golden");
    std::fs::create_dir_all(dir.path().join("content/2026/east/img")).unwrap();
    std::fs::write(dir.path().join("content/2026/east/img/a.png"), "png").unwrap();
    std::fs::write(
        dir.path().join("content/2026/east/alpha.md"),
        "![a](img/a.png) [外链](https://example.org)\n",
    )
    .unwrap();
    let (code, _, err) = check(dir.path());
    assert_eq!(code, 0, "{err}");
}

#[test]
fn not_utf8_huge_and_billion_laughs() {
    let dir = copy_fixture("golden");
    let mut bytes = "name: 新支部\ncategory: community\nsecretary: "
        .as_bytes()
        .to_vec();
    bytes.extend([0xD5, 0xC5, 0xC8, 0xFD, b'\n']); // 张三 in GBK
    std::fs::write(dir.path().join(REC), bytes).unwrap();
    let (code, _, err) = check(dir.path());
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!("{REC}:3:12: error: 文件不是 UTF-8 编码")),
        "{err}"
    );

    let big = format!("{GOOD}# {}\n", "x".repeat(5 * 1024 * 1024));
    expect_error(REC, &big, "", "文件过大");

    let mut lol = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        lol.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let start = std::time::Instant::now();
    let dir = copy_fixture("golden");
    std::fs::write(dir.path().join(REC), &lol).unwrap();
    let (code, _, err) = check(dir.path());
    assert_eq!(code, 1);
    assert!(err.contains("锚点/别名展开过多"), "{err}");
    // Not a timing assertion on speed, only that it does not hang or exhaust memory.
    assert!(start.elapsed().as_secs() < 30);
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_refused() {
    let dir = copy_fixture("golden");
    std::os::unix::fs::symlink("alpha.yaml", dir.path().join("content/2026/east/link.yaml"))
        .unwrap();
    let (code, _, err) = check(dir.path());
    assert_eq!(code, 1);
    assert!(
        err.contains("content/2026/east/link.yaml:1:1: error: content/ 下不允许符号链接"),
        "{err}"
    );
}

/// Replaces `from` by `to` in the fixture's indicators.yaml and expects an error at `marker`.
fn bad_system(from: &str, to: &str, marker: &str, msg: &str) {
    let text = std::fs::read_to_string(fixture("golden").join("indicators.yaml")).unwrap();
    assert!(text.contains(from), "{from:?} not in indicators.yaml");
    let text = text.replacen(from, to, 1);
    expect_error("indicators.yaml", &text, marker, msg);
}

#[test]
fn indicator_system_errors() {
    bad_system(
        "points: 15",
        "points: 14",
        "community: 社区",
        "类别 `community` 适用指标的分值合计 99，不等于 `scale` 100",
    );
    bad_system("min: 80 }", "min: 95 }", "95 }", "等次必须从高到低排列");
    bad_system(
        "min: 0 }",
        "min: 10 }",
        "10 }",
        "最后一个等次的 `min` 必须是 0",
    );
    bad_system(
        "cap: fair",
        "cap: fiar",
        "fiar",
        "`cap` 指向未定义的等次 `fiar`（提示：是否应为 `fair`？）",
    );
    bad_system(
        "version: \"T1\"",
        "version: 2026.1",
        "2026.1",
        "`version` 应为带引号的文本",
    );
    bad_system(
        "{ min: 10, share: 0.6 }",
        "{ min: 13, share: 0.6 }",
        "13, share",
        "steps 的 `min` 必须严格递减",
    );
    bad_system(
        "{ min: 10, share: 0.6 }",
        "{ min: 10, share: 1.6 }",
        "1.6",
        "必须在 0 到 1 之间",
    );
    bad_system(
        "low: 0.6, high: 1",
        "low: 1, high: 1",
        "1 } }",
        "`low` 和 `high` 不能相等",
    );
    bad_system(
        "fact: meetings.committee.months",
        "fact: meetings.comittee.months",
        "comittee.months",
        "未定义的会议类型 `comittee`",
    );
    bad_system(
        "fact: meetings.committee.months",
        "fact: meetings.committee.weeks",
        "weeks",
        "没有 `weeks`",
    );
    bad_system(
        "fact: facts.funding_secured\n        rule: { boolean: true }",
        "fact: meetings.committee.count\n        rule: { boolean: true }",
        "meetings.committee.count\n        rule: { boolean",
        "`boolean` 规则不能读取 `meetings.committee.count`",
    );
    bad_system(
        "rule: { checklist: [a, b, c] }",
        "rule: { checklist: [a, b, x] }",
        "x] }",
        "项目 `x` 不属于清单 `five_ones`",
    );
    bad_system(
        "applies_to: [community]",
        "applies_to: [comunity]",
        "comunity]",
        "未定义的类别 `comunity`",
    );
    bad_system("gt: 0 }", "gt: 0, lt: 5 }", "lt: 5", "恰好有一个比较");
    bad_system("points: 15", "points: 15.001", "15.001", "最多两位小数");
    bad_system(
        "id: complaints",
        "id: funding",
        "funding\n        label: 群众投诉",
        "指标编号 `funding` 重复",
    );
    bad_system(
        "label: 社区服务站点",
        "label: 社区服务站点\n        colour: red",
        "colour",
        "未知字段 `colour`",
    );
    bad_system("eq: poor", "gt: poor", "poor }", "只能用 eq 或 ne");
    // The share of a lower step above the one before: at that `share`.
    bad_system(
        "{ min: 6, share: 0.3 }",
        "{ min: 6, share: 0.7 }",
        "0.7 }",
        "`share` 必须自上而下不增",
    );
    // Two rules in one `rule`: at the second.
    bad_system(
        "rule: { boolean: true }",
        "rule: { boolean: true, deduct: { each: 1 } }",
        "deduct: { each: 1 }",
        "必须恰好有一种规则",
    );
}

#[test]
fn every_error_is_reported_in_one_run() {
    let dir = copy_fixture("golden");
    std::fs::write(
        dir.path().join("content/2026/east/a1.yaml"),
        "name: 甲\ncategory: nope\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("content/2026/west/a2.yaml"),
        "name: 乙\ncategory: office\nmembers: x\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("content/2025/east/a3.yml"), GOOD).unwrap();
    let (code, _, err) = check(dir.path());
    assert_eq!(code, 1);
    assert!(
        err.contains("content/2026/east/a1.yaml:2:11: error:"),
        "{err}"
    );
    assert!(
        err.contains("content/2026/west/a2.yaml:3:10: error:"),
        "{err}"
    );
    assert!(
        err.contains("content/2025/east/a3.yml:1:1: error:"),
        "{err}"
    );
    assert!(err.contains("共 3 个错误"), "{err}");
}

#[test]
fn score_prints_nothing_on_error_and_nothing_changes_on_disk() {
    let dir = copy_fixture("golden");
    std::fs::write(dir.path().join(REC), "name: x\n").unwrap();
    let before = snapshot(dir.path());
    let o = run(&[
        "score",
        "--root",
        &dir.path().to_string_lossy(),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert_eq!(before, snapshot(dir.path()));
}

fn snapshot(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(root).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            out.push((
                e.path().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            ));
        }
    }
    out
}

#[test]
fn missing_project_parts() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = check(dir.path());
    assert_eq!(code, 1);
    assert!(
        err.contains("content:1:1: error: 找不到 content 文件夹"),
        "{err}"
    );
    std::fs::create_dir_all(dir.path().join("content/2026")).unwrap();
    std::fs::write(dir.path().join("content/2026/_org.yaml"), "name: 区\n").unwrap();
    let (code, _, err) = check(dir.path());
    assert_eq!(code, 1);
    assert!(
        err.contains("content/2026:1:1: error: 找不到指标体系"),
        "{err}"
    );
    let o = run(&["check", "--root", "/nonexistent/dangjian"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("项目根目录不存在"));
}

#[test]
fn bad_command_line_exits_2() {
    assert_eq!(run(&["score", "--format", "xml"]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(run(&["--version"]).status.code(), Some(0));
}

/// A tab used as indentation is reported at the tab (yaml-rust2 marks the value before it).
#[test]
fn yaml_tab_is_reported_at_the_tab() {
    let t =
        "name: 新支部\ncategory: community\nmeetings:\n  - date: 2026-01-08\n\tkind: committee\n";
    expect_error(REC, t, "\tkind", "YAML 语法错误：用了制表符（Tab）缩进");
    // A line without its colon is reported at that line, not at the next one.
    let t = "name: 新支部\ncategory community\nmembers: 3\n";
    expect_error(REC, t, "category community", "既不是 `键: 值`");
    // An unclosed bracket at the bracket, not at the end of the file.
    let t = "name: 新支部\ncategory: community\nchecklists:\n  five_ones: [a, b\n";
    expect_error(REC, t, "[a, b", "`[` 没有闭合");
}
