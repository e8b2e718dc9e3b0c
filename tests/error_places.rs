//! The error-position audit (docs/error-places.md): every diagnostic the loader can give
//! that no other bad-input test places, each from one small change to a valid fixture,
//! through the real binary's `check`. Each case asserts the file, the line and column of
//! the offending character, value or item, the message, and that no other error is printed
//! (nor any warning the valid fixture lacks). The other places are asserted by
//! tests/bad_input.rs, bad_input_v2.rs, rulebook_errors.rs, no_cascades.rs and the YAML
//! reader's unit tests; the audit table says which test holds each.

mod common;

use common::cases::{Case, Edit::*, err, run_table};
use common::check;

/// A warning case: the place and message of [`err`], as a warning.
const fn warn(
    fixture: &'static str,
    edits: &'static [(&'static str, common::cases::Edit)],
    file: &'static str,
    marker: &'static str,
    msg: &'static str,
) -> Case {
    err(fixture, edits, file, marker, msg).warning()
}

const SYS: &str = "indicators.yaml";
const CUN: &str = "content/2026/town/cun.yaml";
const FULL: &str = "content/2026/east/full.yaml";

/// The indicator system: each error at the offending key, value or list item.
#[test]
fn system_errors_at_their_place() {
    run_table(&[
        err(
            "v2",
            &[(
                SYS,
                Replace(
                    "village_star: 星级村 }",
                    "village_star: 星级村, \"a b\": 测试 }",
                ),
            )],
            SYS,
            "\"a b\"",
            "不是合法的编号",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace(
                    "when: { fact: incidents.discipline_violations, gt: 0 }",
                    "when: { fact: ratings.committee, eq: good }",
                ),
            )],
            SYS,
            "committee, eq",
            "没有 rating 规则",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace(
                    "when: { fact: incidents.discipline_violations, gt: 0 }",
                    "when: { fact: ratings.nosuch, eq: good }",
                ),
            )],
            SYS,
            "nosuch",
            "未定义的指标 `nosuch`",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace(
                    "when: { fact: incidents.discipline_violations, gt: 0 }",
                    "when: { fact: facts.service_sites, eq: true }",
                ),
            )],
            SYS,
            "facts.service_sites, eq",
            "每个事实只能有一种类型",
        ),
        err(
            "v2",
            &[(SYS, Replace("\"C\"", "2.0"))],
            SYS,
            "2.0",
            "应为带引号的文本",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace(
                    "meeting_kinds: { committee: 支委会 }",
                    "meeting_kinds: { committee: 支委会, all: 全部 }",
                ),
            )],
            SYS,
            "all:",
            "保留字",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace(
                    "rule: { steps: [ { min: 6, share: 1 }",
                    "rule: { boolean: true, steps: [ { min: 6, share: 1 }",
                ),
            )],
            SYS,
            "steps: [ { min: 6",
            "必须恰好有一种规则",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace(
                    "goalpost: { low: 0, high: 1 }",
                    "goalpost: { low: 1, high: 1 }",
                ),
            )],
            SYS,
            "@45:43",
            "不能相等",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace(
                    "steps: [ { min: 6, share: 1 }, { min: 3, share: 0.5 } ]",
                    "steps: []",
                ),
            )],
            SYS,
            "[]",
            "至少要有一级",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace("{ min: 6, share: 1 }", "{ min: 6, share: 1.5 }"),
            )],
            SYS,
            "1.5",
            "0 到 1 之间",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace("gt: 0 }\n    cap: good", "gt: 0, lt: 5 }\n    cap: good"),
            )],
            SYS,
            "lt: 5",
            "恰好有一个比较",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace("gt: 0 }\n    cap: good", "gt: 很多 }\n    cap: good"),
            )],
            SYS,
            "很多",
            "比较值应为",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace(
                    "{ id: good, label: 四星, min: 75 }",
                    "{ id: good, label: 四星, min: 95 }",
                ),
            )],
            SYS,
            "95",
            "从高到低排列",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace(
                    "{ id: weak, label: 软弱涣散, min: 0 }",
                    "{ id: weak, label: 软弱涣散, min: 10 }",
                ),
            )],
            SYS,
            "10 }",
            "必须是 0",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace(
                    "fact: facts.funding_secured\n        rule: { boolean: true }",
                    "fact: facts.funding_secured\n        rule: { rating: { good: 1, poor: 0 } }",
                ),
            )],
            SYS,
            "facts.funding_secured\n        rule: { rating",
            "评定规则只能读取 `ratings.funding`",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace("        fact: meetings.committee.months\n", ""),
            )],
            SYS,
            "id: committee",
            "缺少 `fact`",
        ),
        err(
            "v2",
            &[(SYS, Replace("applies_to: [community]", "applies_to: []"))],
            SYS,
            "[]",
            "不能为空",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace(
                    "fact: honors.district_brand",
                    "fact: votes.secretary_review",
                ),
            )],
            SYS,
            "votes.secretary_review\n    each",
            "只能读取计数、数值或是/否",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace(
                    "indicators: [committee, review] }",
                    "indicators: [committee, review, satisfaction] }",
                ),
            )],
            SYS,
            "satisfaction, sites",
            "最多出现一次",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace(
                    "levels: { excellent: 好, good: 较好, fair: 一般, poor: 差 }",
                    "levels: { excellent: 好, good: 较好, fair: 一般, poor: 差, total: 总 }",
                ),
            )],
            SYS,
            "total: 总",
            "保留字",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace(
                    "levels: { excellent: 优秀, qualified: 合格, basic: 基本合格, unqualified: 不合格 }",
                    "levels: { excellent: 优秀 }",
                ),
            )],
            SYS,
            "{ excellent: 优秀 }",
            "至少要有两个等级",
        ),
        err(
            "v2",
            &[(SYS, Replace("fair: 0.4, poor: 0 } }", "fair: 0.4 } }"))],
            SYS,
            "{ excellent: 1, good: 0.8",
            "缺少评议 `secretary_review` 的等级 `poor` 的权重",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace("fair: 0.4, poor: 0 } }", "fair: 0.9, poor: 0 } }"),
            )],
            SYS,
            "0.9",
            "逐级不增",
        ),
        warn(
            "v2",
            &[(SYS, Replace("bonus_cap: 5\n", ""))],
            SYS,
            "bonuses:",
            "`bonus_cap` 为 0",
        ),
        err(
            "rulebook",
            &[(
                SYS,
                Replace(
                    "{ fact: facts.annual_plan, eq: false, deduct: 20, label: 无年度计划不得分 }",
                    "{ fact: facts.annual_plan, eq: false, label: 无年度计划不得分 }",
                ),
            )],
            SYS,
            "{ fact: facts.annual_plan",
            "缺少 `deduct`",
        ),
        err(
            "rulebook",
            &[(
                SYS,
                Replace(
                    "{ fact: checklists.rules, missing_each: 1 }",
                    "{ fact: checklists.rulez, missing_each: 1 }",
                ),
            )],
            SYS,
            "rulez",
            "未定义的清单 `rulez`",
        ),
        err(
            "rulebook",
            &[(
                SYS,
                Replace(
                    "        rule:\n          deductions:\n            - { fact: checklists.rules, missing_each: 1 }\n            - { fact: checklists.rules, missing_each: 2, items: [dues, finance], max: 3 }",
                    "        fact: checklists.rules\n        rule: { checklist: [study, meting] }",
                ),
            )],
            SYS,
            "meting",
            "不属于清单 `rules`",
        ),
        err(
            "rulebook",
            &[(
                SYS,
                Replace(
                    "        rule:\n          deductions:\n            - { fact: checklists.rules, missing_each: 1 }\n            - { fact: checklists.rules, missing_each: 2, items: [dues, finance], max: 3 }",
                    "        fact: checklists.rules\n        rule: { checklist: [study, study] }",
                ),
            )],
            SYS,
            "study] }",
            "重复",
        ),
        err(
            "rulebook",
            &[(
                SYS,
                Replace(
                    "        rule:\n          deductions:\n            - { fact: checklists.rules, missing_each: 1 }\n            - { fact: checklists.rules, missing_each: 2, items: [dues, finance], max: 3 }",
                    "        fact: checklists.rules\n        rule: { checklist: [] }",
                ),
            )],
            SYS,
            "[] }",
            "至少要列出一个项目",
        ),
        err(
            "rulebook",
            &[(
                SYS,
                Replace(
                    "items: { study: 学习制度, meeting: 会议制度, dues: 党费制度, finance: 财务制度 }",
                    "items: {}",
                ),
            )],
            SYS,
            "{}",
            "至少要有一个项目",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace(
                    "grades:\n  - { id: top, label: 五星, min: 90 }\n  - { id: good, label: 四星, min: 75 }\n  - { id: weak, label: 软弱涣散, min: 0 }",
                    "grades: []",
                ),
            )],
            SYS,
            "[]",
            "至少要有一个等次",
        ),
        err(
            "v2",
            &[("content/2025/indicators.yaml", Write("# 空\n"))],
            "content/2025/indicators.yaml",
            "",
            "指标体系文件是空的",
        ),
    ]);
}

/// Records and organisation files: each error at the offending value or item.
#[test]
fn record_errors_at_their_place() {
    run_table(&[
        err(
            "v2",
            &[(
                CUN,
                Replace(
                    "{ date: 2026-01-10, kind: committee, topic: 研究支部工作 }",
                    "{ date: 2026-01-10, kind: committee, topic: 研究支部工作, expected: 5 }",
                ),
            )],
            CUN,
            "expected: 5",
            "却没有 `present`",
        ),
        err(
            "v2",
            &[(
                CUN,
                Replace(
                    "{ date: 2026-01-10, kind: committee, topic: 研究支部工作 }",
                    "{ date: 2026-01-10, kind: committee, topic: 研究支部工作, present: 5 }",
                ),
            )],
            CUN,
            "present: 5",
            "却没有 `expected`",
        ),
        err(
            "rulebook",
            &[(
                FULL,
                Replace("checklists: { rules: [", "checklists: { rulez: ["),
            )],
            FULL,
            "rulez",
            "`rulez`",
        ),
        err(
            "v2",
            &[(
                CUN,
                Replace("honors:", "self_scores: { nosuch: 1 }\nhonors:"),
            )],
            CUN,
            "nosuch",
            "自评分中的指标 `nosuch` 未定义",
        ),
        err(
            "v2",
            &[(CUN, Replace("indicator: committee }", "indicator: sites }"))],
            CUN,
            "sites }",
            "不能作为整改对应的指标",
        ),
        err(
            "v2",
            &[(
                CUN,
                Replace(
                    "facts:\n  funding_secured: true",
                    "facts:\n  funding_secured: true\n  ｆｕｎｄｉｎｇ_secured: false",
                ),
            )],
            CUN,
            "ｆｕｎｄｉｎｇ",
            "重复",
        ),
        err(
            "v2",
            &[(
                CUN,
                Replace(
                    "surveys:\n  satisfaction: { respondents: 200, positive: 180 }",
                    "surveys: [satisfaction]",
                ),
            )],
            CUN,
            "[satisfaction]",
            "应为映射",
        ),
        err(
            "v2",
            &[(
                CUN,
                Replace(
                    "opinions: [返贫监测要落实到户]",
                    "opinions: 返贫监测要落实到户",
                ),
            )],
            CUN,
            "返贫监测要落实到户",
            "应为列表",
        ),
        err(
            "v2",
            &[(CUN, Replace("name: 桥头村党支部", "name: [桥头村党支部]"))],
            CUN,
            "[桥头村党支部]",
            "应为文本",
        ),
        err(
            "v2",
            &[(
                CUN,
                Replace("discipline_violations: 0", "discipline_violations: 零"),
            )],
            CUN,
            "零",
            "应为数字",
        ),
        err(
            "v2",
            &[(
                CUN,
                Replace("discipline_violations: 0", "discipline_violations: 1.5"),
            )],
            CUN,
            "1.5",
            "应为整数",
        ),
        err(
            "v2",
            &[(CUN, Replace("sampled: false", "sampled: 否"))],
            CUN,
            "否",
            "应为 true 或 false",
        ),
        err(
            "v2",
            &[(
                CUN,
                Replace("category: rural\n", "category: rural\nmembers: -3\n"),
            )],
            CUN,
            "-3",
            "不能小于 0",
        ),
        err(
            "v2",
            &[(
                "content/2026/town/_org.yaml",
                Write("name: 镇\ncoverage: { private_enterprises: { total: 3, covered: 4 } }\n"),
            )],
            "content/2026/town/_org.yaml",
            "4 } }",
            "大于总数",
        ),
    ]);
}

/// YAML itself: each error at the offending token.
#[test]
fn yaml_errors_at_their_place() {
    run_table(&[
        err(
            "v2",
            &[(
                CUN,
                Replace("category: rural\n", "category: rural\n---\nname: 另一个\n"),
            )],
            CUN,
            "---",
            "只能有一个 YAML 文档",
        ),
        err(
            "v2",
            &[(
                CUN,
                Replace("category: rural\n", "category: rural\nsecretary: *who\n"),
            )],
            CUN,
            "*who",
            "未定义的锚点",
        ),
        err(
            "v2",
            &[(
                CUN,
                Replace("name: 桥头村党支部", "name: !!binary 桥头村党支部"),
            )],
            CUN,
            "!!binary",
            "不支持 YAML 标签",
        ),
        err(
            "v2",
            &[(
                CUN,
                Replace("category: rural\n", "category: rural\n? [a, b]\n: 1\n"),
            )],
            CUN,
            "[a, b]",
            "映射的键必须是简单文本",
        ),
        err(
            "v2",
            &[(
                CUN,
                Replace(
                    "category: rural\n",
                    "category: rural\nx: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
                ),
            )],
            CUN,
            "@3:67",
            "嵌套层级过深",
        ),
        err(
            "v2",
            &[(CUN, Bytes(b"name: \xff\xfe\ncategory: rural\n"))],
            CUN,
            "@1:7",
            "不是 UTF-8",
        ),
    ]);
}

/// The project's folders and files: each error at the file or folder.
#[test]
fn project_errors_at_their_place() {
    run_table(&[
        err(
            "v2",
            &[("content/misc/a.txt", Write("x"))],
            "content/misc",
            "",
            "只能放年度文件夹",
        ),
        err(
            "v2",
            &[("content/2026/town/notes.txt", Write("x"))],
            "content/2026/town/notes.txt",
            "",
            "多余的文件",
        ),
        err(
            "v2",
            &[("content/2026/town/link.yaml", Symlink("cun.yaml"))],
            "content/2026/town/link.yaml",
            "",
            "不允许符号链接",
        ),
        err(
            "v2",
            &[("content/2026/town/indicators.yaml", Write("name: x\n"))],
            "content/2026/town/indicators.yaml",
            "",
            "只能放在项目根目录或年度文件夹中",
        ),
        err(
            "v2",
            &[(
                "content/2026/town/xin.yml",
                Write("name: 新村\ncategory: rural\n"),
            )],
            "content/2026/town/xin.yml",
            "",
            "必须以 .yaml 结尾",
        ),
        err(
            "v2",
            &[("content/2026/indicators/_org.yaml", Write("name: 机构\n"))],
            "content/2026/indicators/_org.yaml",
            "",
            "保留名称",
        ),
        err(
            "v2",
            &[("content/2026/a b/_org.yaml", Write("name: 机构\n"))],
            "content/2026/a b/_org.yaml",
            "",
            "不是合法的编号",
        ),
        err(
            "v2",
            &[(
                "content/2026/town/_draft.yaml",
                Write("name: 草稿\ncategory: rural\n"),
            )],
            "content/2026/town/_draft.yaml",
            "",
            "保留名称",
        ),
        err(
            "v2",
            &[(
                "content/2026/town/sub/xin.yaml",
                Write("name: 新村\ncategory: rural\n"),
            )],
            "content/2026/town/sub/xin.yaml",
            "",
            "所在的文件夹没有 _org.yaml",
        ),
        // A link in content/ is the walk's error; the narrative linking it gives none.
        err(
            "v2",
            &[
                ("content/2026/town/cun.md", Write("![照片](img/link.png)\n")),
                ("content/2026/town/img/link.png", Symlink("../cun.yaml")),
            ],
            "content/2026/town/img/link.png",
            "",
            "不允许符号链接",
        ),
        // Elsewhere in the project, the link is the error, at the link.
        err(
            "v2",
            &[
                (
                    "content/2026/town/cun.md",
                    Write("见\n\n![照片](../../../docs/link.png)\n"),
                ),
                ("docs/link.png", Symlink("../indicators.yaml")),
            ],
            "content/2026/town/cun.md",
            "![照片]",
            "指向符号链接",
        ),
        err("v2", &[(SYS, Remove)], "content/2026", "", "找不到指标体系"),
    ]);
}

/// A fact path wrong in one part is reported at that part; one wrong as a whole (too few
/// or too many parts) at its start.
#[test]
fn fact_paths_at_the_wrong_part() {
    run_table(&[
        err(
            "v2",
            &[(
                SYS,
                Replace(
                    "fact: meetings.committee.months",
                    "fact: meeting.committee.months",
                ),
            )],
            SYS,
            "meeting.committee",
            "无法识别的事实路径",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace(
                    "fact: meetings.committee.months",
                    "fact: meetings.committee.weeks",
                ),
            )],
            SYS,
            "weeks",
            "没有 `weeks`",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace(
                    "fact: meetings.committee.months",
                    "fact: meetings.commit-tee!.months",
                ),
            )],
            SYS,
            "commit-tee!",
            "不是合法的编号",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace(
                    "fact: meetings.committee.months",
                    "fact: meetings.committee",
                ),
            )],
            SYS,
            "meetings.committee\n",
            "无法识别的事实路径",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace(
                    "fact: surveys.satisfaction.rate",
                    "fact: surveys.satisfaction.mean",
                ),
            )],
            SYS,
            "mean",
            "没有 `mean`",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace(
                    "fact: surveys.satisfaction.rate",
                    "fact: surveys.satisfction.rate",
                ),
            )],
            SYS,
            "satisfction",
            "不在 `surveys` 名称表中",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace(
                    "when: { fact: votes.secretary_review.rate.poor",
                    "when: { fact: votes.secretary_review.rate.p#or",
                ),
            )],
            SYS,
            "p#or",
            "不是合法的编号",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace(
                    "when: { fact: votes.secretary_review.rate.poor",
                    "when: { fact: votes.secretary_review.rate.poor.x",
                ),
            )],
            SYS,
            "votes.secretary_review.rate.poor.x",
            "无法识别的评议路径",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace(
                    "when: { fact: votes.secretary_review.rate.poor",
                    "when: { fact: votes.secretary_review.pooor",
                ),
            )],
            SYS,
            "pooor",
            "没有等级 `pooor`",
        ),
        err(
            "rulebook",
            &[(
                SYS,
                Replace(
                    "{ fact: meetings.general.quarters, below: 4, each: 2 }",
                    "{ fact: meetings.genral.quarters, below: 4, each: 2 }",
                ),
            )],
            SYS,
            "genral",
            "未定义的会议类型 `genral`",
        ),
        // Quoted, the path's characters need not be where its text's are: at its start.
        err(
            "v2",
            &[(
                SYS,
                Replace(
                    "fact: meetings.committee.months",
                    "fact: \"meetings.committee.weeks\"",
                ),
            )],
            SYS,
            "\"meetings.committee.weeks",
            "没有 `weeks`",
        ),
    ]);
}

/// Numbers, sizes and limits.
#[test]
fn limits_at_their_place() {
    run_table(&[
        err(
            "v2",
            &[(
                CUN,
                Replace(
                    "discipline_violations: 0",
                    "discipline_violations: 0.00000000001",
                ),
            )],
            CUN,
            "0.00000000001",
            "小数位过多",
        ),
        err(
            "v2",
            &[(
                CUN,
                Replace("discipline_violations: 0", "discipline_violations: .inf"),
            )],
            CUN,
            ".inf",
            "有限的数",
        ),
        err(
            "v2",
            &[(
                CUN,
                Replace(
                    "discipline_violations: 0",
                    "discipline_violations: 99999999999999999999999999999",
                ),
            )],
            CUN,
            "99999999999999999999999999999",
            "超出范围",
        ),
        err(
            "v2",
            &[(
                SYS,
                Replace("applies_to: [rural, office]", "applies_to: [rural, rural]"),
            )],
            SYS,
            "rural]",
            "类别 `rural` 重复",
        ),
        err("v2", &[(CUN, Big(5 << 20))], CUN, "", "文件过大"),
        err(
            "v2",
            &[(
                CUN,
                Write(
                    "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f]\n",
                ),
            )],
            CUN,
            "@6:36",
            "锚点/别名展开过多",
        ),
        err(
            "v2",
            &[
                ("content/2024", RemoveDir),
                ("content/2025", RemoveDir),
                ("content/2026", RemoveDir),
            ],
            "content",
            "",
            "没有年度文件夹",
        ),
    ]);
}

/// Branch ids are file names: two that a reader cannot tell apart are one id taken twice.
#[test]
fn branch_ids_compared_as_read() {
    run_table(&[err(
        "v2",
        &[(
            "content/2026/street/ｊｉｇｕａｎ.yaml",
            Write("name: 新机关党支部\ncategory: office\n"),
        )],
        "content/2026/street/ｊｉｇｕａｎ.yaml",
        "",
        "支部编号 `ｊｉｇｕａｎ` 在本年度重复",
    )]);
}

/// A root that is not there: the one error names it.
#[test]
fn a_missing_root_is_one_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("nowhere");
    let (code, _, err) = check(&root);
    assert_eq!(code, 1, "{err}");
    let errors: Vec<&str> = err.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(errors.len(), 1, "{err}");
    assert!(
        errors[0].starts_with(&format!("{}:1:1: error: 项目根目录不存在", root.display())),
        "{err}"
    );
}
