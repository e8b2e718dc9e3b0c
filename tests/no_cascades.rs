//! No cascades: one defect is reported once, at its cause. Each case breaks one part of a
//! valid fixture that other checks depend on (an indicator, a vote, a label map, a record, a
//! year's system) and runs the real binary's `check`: the only error printed must be the
//! cause, at its file, line and column. Checks that depend on the broken part are skipped
//! or computed from what is known; they never add errors of their own.

mod common;

use common::cases::{Case, Edit, run_table};

const V2_SYSTEM: &str = "indicators.yaml";
const CUN: &str = "content/2026/town/cun.yaml";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
/// The image the narratives of the cases link.
const IMG: &str = "content/2026/town/img/a.png";

const NARRATIVE: &str = "# 桥头村\n\n![活动照片](img/a.png)\n";

const CASES: &[Case] = &[
    // ------------------------------------------------------------- the system's parts
    Case {
        name: "category sums over an indicator whose points did not load",
        fixture: "v2",
        edits: &[(
            V2_SYSTEM,
            Edit::Replace(
                "points: 20\n        fact: meetings",
                "points: 二十\n        fact: meetings",
            ),
        )],
        file: V2_SYSTEM,
        marker: "二十",
        msg: "",
        warning: false,
    },
    Case {
        name: "category sums over an indicator whose rule did not load",
        fixture: "v2",
        edits: &[(
            V2_SYSTEM,
            Edit::Replace("{ min: 3, share: 0.5 }", "{ min: 3, shar: 0.5 }"),
        )],
        file: V2_SYSTEM,
        marker: "shar:",
        msg: "shar",
        warning: false,
    },
    Case {
        name: "category sums over an indicator whose applies_to names an unknown category",
        fixture: "v2",
        edits: &[(
            V2_SYSTEM,
            Edit::Replace("applies_to: [community]", "applies_to: [comunity]"),
        )],
        file: V2_SYSTEM,
        marker: "comunity",
        msg: "comunity",
        warning: false,
    },
    Case {
        name: "a view's group over an indicator whose fact did not load",
        fixture: "v2",
        edits: &[(
            V2_SYSTEM,
            Edit::Replace(
                "fact: votes.secretary_review\n",
                "fact: votes.secretary_reveiw\n",
            ),
        )],
        file: V2_SYSTEM,
        marker: "secretary_reveiw",
        msg: "secretary_reveiw",
        warning: false,
    },
    Case {
        name: "a vote rule over a vote whose levels did not load",
        fixture: "v2",
        edits: &[(
            V2_SYSTEM,
            Edit::Replace(
                "levels: { excellent: 好, good: 较好, fair: 一般, poor: 差 }",
                "levels: [好, 较好]",
            ),
        )],
        file: V2_SYSTEM,
        marker: "[好, 较好]",
        msg: "",
        warning: false,
    },
    Case {
        name: "a vote rule and a veto over a vote whose label did not load",
        fixture: "v2",
        edits: &[(
            V2_SYSTEM,
            Edit::Replace("label: 书记抓党建述职评议", "label: \" \""),
        )],
        file: V2_SYSTEM,
        marker: "\" \"",
        msg: "空白",
        warning: false,
    },
    Case {
        name: "a veto over an incident whose label did not load",
        fixture: "v2",
        edits: &[(
            V2_SYSTEM,
            Edit::Replace(
                "discipline_violations: 违纪违法党员",
                "discipline_violations: [违纪]",
            ),
        )],
        file: V2_SYSTEM,
        marker: "[违纪]",
        msg: "",
        warning: false,
    },
    Case {
        name: "a bonus over an honor whose label did not load",
        fixture: "v2",
        edits: &[(
            V2_SYSTEM,
            Edit::Replace("village_star: 星级村 }", "village_star: \"\" }"),
        )],
        file: V2_SYSTEM,
        marker: "\"\" }",
        msg: "",
        warning: false,
    },
    Case {
        name: "a rule over a fact whose label did not load",
        fixture: "v2",
        edits: &[(
            V2_SYSTEM,
            Edit::Replace(
                "funding_secured: 活动经费有保障 }",
                "funding_secured: { a: 1 } }",
            ),
        )],
        file: V2_SYSTEM,
        marker: "{ a: 1 }",
        msg: "",
        warning: false,
    },
    Case {
        name: "a veto whose cap names a grade that did not load",
        fixture: "v2",
        edits: &[(
            V2_SYSTEM,
            Edit::Replace(
                "{ id: good, label: 四星, min: 75 }",
                "{ id: good, label: 四星, min: 七十五 }",
            ),
        )],
        file: V2_SYSTEM,
        marker: "七十五",
        msg: "",
        warning: false,
    },
    Case {
        name: "deduction clauses over a checklist whose items did not load",
        fixture: "rulebook",
        edits: &[(
            V2_SYSTEM,
            Edit::Replace(
                "items: { study: 学习制度, meeting: 会议制度, dues: 党费制度, finance: 财务制度 }",
                "items: [study, meeting]",
            ),
        )],
        file: V2_SYSTEM,
        marker: "[study, meeting]",
        msg: "",
        warning: false,
    },
    Case {
        name: "a deduction clause over a meeting kind that did not load",
        fixture: "rulebook",
        edits: &[(
            V2_SYSTEM,
            Edit::Replace("general: 支部党员大会", "general: \" \""),
        )],
        file: V2_SYSTEM,
        marker: "\" \"",
        msg: "空白",
        warning: false,
    },
    // ------------------------------------------------------------- records and the system
    Case {
        name: "rectification naming an indicator whose rule did not load",
        fixture: "v2",
        edits: &[(
            V2_SYSTEM,
            Edit::Replace(
                "{ vote: { excellent: 1, good: 0.8, fair: 0.4, poor: 0 } }",
                "{ vote: { excellent: 1, good: 0.8, fair: 0.4, poor: 零 } }",
            ),
        )],
        file: V2_SYSTEM,
        marker: "零",
        msg: "",
        warning: false,
    },
    Case {
        name: "records of a year whose system did not parse",
        fixture: "v2",
        edits: &[
            (V2_SYSTEM, Edit::Replace("scale: 100", "scale: [100")),
            ("content/2026/town/cun.md", Edit::Write(NARRATIVE)),
            (IMG, Edit::Bytes(PNG)),
        ],
        file: V2_SYSTEM,
        marker: "[100",
        msg: "",
        warning: false,
    },
    // ------------------------------------------------------------- records
    Case {
        name: "the narrative's links of a record that did not parse",
        fixture: "v2",
        edits: &[
            (
                CUN,
                Edit::Replace("category: rural", "category: rural\n\tmembers: 3"),
            ),
            ("content/2026/town/cun.md", Edit::Write(NARRATIVE)),
            (IMG, Edit::Bytes(PNG)),
        ],
        file: CUN,
        marker: "\t",
        msg: "",
        warning: false,
    },
    Case {
        name: "the narrative's links of a record that is empty",
        fixture: "v2",
        edits: &[
            (CUN, Edit::Write("")),
            ("content/2026/town/cun.md", Edit::Write(NARRATIVE)),
            (IMG, Edit::Bytes(PNG)),
        ],
        file: CUN,
        marker: "",
        msg: "空",
        warning: false,
    },
    Case {
        name: "the narrative's links of a record whose file name is not an id",
        fixture: "v2",
        edits: &[
            (
                "content/2026/town/cun 2.yaml",
                Edit::Write("name: 新村党支部\ncategory: rural\n"),
            ),
            ("content/2026/town/cun 2.md", Edit::Write(NARRATIVE)),
            (IMG, Edit::Bytes(PNG)),
        ],
        file: "content/2026/town/cun 2.yaml",
        marker: "",
        msg: "cun 2",
        warning: false,
    },
    Case {
        name: "the narrative's links of a record whose id is taken",
        fixture: "v2",
        edits: &[
            (
                "content/2026/street/jiguan.yaml",
                Edit::Write("name: 新机关党支部\ncategory: office\n"),
            ),
            (
                "content/2026/street/jiguan.md",
                Edit::Write("![照片](../town/img/a.png)\n"),
            ),
            (IMG, Edit::Bytes(PNG)),
        ],
        // The second in path order: office/ comes before street/.
        file: "content/2026/street/jiguan.yaml",
        marker: "",
        msg: "重复",
        warning: false,
    },
    Case {
        name: "votes of a record whose category did not load",
        fixture: "v2",
        edits: &[(CUN, Edit::Replace("category: rural", "category: rurall"))],
        file: CUN,
        marker: "rurall",
        msg: "rurall",
        warning: false,
    },
    Case {
        name: "rectification of a record whose inspection date did not load",
        fixture: "v2",
        edits: &[(CUN, Edit::Replace("date: 2026-06-20", "date: 2026-06-31"))],
        file: CUN,
        marker: "2026-06-31",
        msg: "",
        warning: false,
    },
    Case {
        name: "a rectification item whose id is taken",
        fixture: "v2",
        edits: &[(CUN, Edit::Replace("{ id: r2,", "{ id: r1,"))],
        file: CUN,
        marker: "r1, problem: 活动经费",
        msg: "重复",
        warning: false,
    },
    Case {
        name: "rectification ids after one that did not load",
        fixture: "v2",
        edits: &[(CUN, Edit::Replace("{ id: r1,", "{ id: [r1],"))],
        file: CUN,
        marker: "[r1]",
        msg: "",
        warning: false,
    },
    Case {
        name: "a rectification item's done date after a due date that did not load",
        fixture: "v2",
        edits: &[(
            CUN,
            Edit::Replace(
                "due: 2026-05-31, done: 2026-06-01",
                "due: 2026-05-32, done: 2026-06-01",
            ),
        )],
        file: CUN,
        marker: "2026-05-32",
        msg: "",
        warning: false,
    },
    Case {
        name: "vote counts after a level that did not load",
        fixture: "v2",
        edits: &[(
            CUN,
            Edit::Replace("{ excellent: 31, good: 12", "{ excellent: 三十一, good: 12"),
        )],
        file: CUN,
        marker: "三十一",
        msg: "",
        warning: false,
    },
    Case {
        name: "meetings counted after a meeting whose date did not load",
        fixture: "v2",
        edits: &[(
            CUN,
            Edit::Replace("{ date: 2026-01-10,", "{ date: 2026-01-32,"),
        )],
        file: CUN,
        marker: "2026-01-32",
        msg: "",
        warning: false,
    },
    // ------------------------------------------------------------- across files and years
    Case {
        name: "withdrawn naming a branch whose record last year did not parse",
        fixture: "v2",
        edits: &[(
            "content/2025/town/old.yaml",
            Edit::Replace("category: rural", "category: rural\n\tx: 1"),
        )],
        file: "content/2025/town/old.yaml",
        marker: "\t",
        msg: "",
        warning: false,
    },
    Case {
        name: "withdrawn branches of a year whose district file did not parse",
        fixture: "v2",
        edits: &[(
            "content/2026/_org.yaml",
            Edit::Replace("kind: 区委", "kind: [区委"),
        )],
        file: "content/2026/_org.yaml",
        marker: "[区委",
        msg: "",
        warning: false,
    },
    Case {
        name: "withdrawn branches after an as_of that did not load",
        fixture: "v2",
        edits: &[(
            "content/2026/_org.yaml",
            Edit::Replace("as_of: 2026-06-30", "as_of: 2026-06-31"),
        )],
        file: "content/2026/_org.yaml",
        marker: "2026-06-31",
        msg: "",
        warning: false,
    },
    Case {
        name: "withdrawn branches when withdrawn is not a mapping",
        fixture: "v2",
        edits: &[(
            "content/2026/_org.yaml",
            Edit::Replace("withdrawn:\n  old: 村改居，党支部撤销", "withdrawn: [old]"),
        )],
        file: "content/2026/_org.yaml",
        marker: "[old]",
        msg: "",
        warning: false,
    },
    Case {
        name: "a veto over a rating whose levels clause did not load",
        fixture: "rulebook",
        edits: &[(
            V2_SYSTEM,
            Edit::Replace(
                "levels: { good: 0, fair: 2, poor: 6 }",
                "levels: { good: 0, fair: 二, poor: 6 }",
            ),
        )],
        file: V2_SYSTEM,
        marker: "二",
        msg: "",
        warning: false,
    },
    Case {
        name: "a veto over a rating whose deductions clause did not load",
        fixture: "rulebook",
        edits: &[(
            V2_SYSTEM,
            Edit::Replace(
                "levels: { good: 0, fair: 2, poor: 6 }, label: 酌情扣分",
                "levls: { good: 0, fair: 2, poor: 6 }, label: 酌情扣分",
            ),
        )],
        file: V2_SYSTEM,
        marker: "levls",
        msg: "levls",
        warning: false,
    },
    Case {
        name: "last year's branches when last year's system did not load",
        fixture: "v2",
        edits: &[(
            "content/2025/indicators.yaml",
            Edit::Replace("scale: 100", "scale: 一百"),
        )],
        file: "content/2025/indicators.yaml",
        marker: "一百",
        msg: "",
        warning: false,
    },
    Case {
        name: "branches of an organisation whose _org.yaml did not parse",
        fixture: "v2",
        edits: &[("content/2026/town/_org.yaml", Edit::Write("name: [镇\n"))],
        file: "content/2026/town/_org.yaml",
        marker: "[镇",
        msg: "",
        warning: false,
    },
];

#[test]
fn one_defect_one_error() {
    run_table(CASES);
}
