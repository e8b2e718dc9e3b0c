//! Hand-computed scores of tests/fixtures/rulebook, a rulebook written as districts publish
//! them (扣分制, SCHEMA.md version 2, part 2). Every number below was worked out by hand;
//! the working is written beside each assertion.
//!
//! The system (tests/fixtures/rulebook/indicators.yaml), scale 100:
//!   org_life     20  deductions: 1 facts.annual_plan = false → 20 (无年度计划不得分);
//!                    2 meetings.general.quarters below 4, each 2;
//!                    3 incidents.late_reports each 2, max 4
//!   committee    15  steps on meetings.committee.months: ≥12 → 1, ≥10 → 0.6
//!   absence      10  steps, lower is better, on incidents.absences: ≤0 → 1, ≤1 → 0.7, ≤2 → 0.5
//!   rules_kept   10  deductions: 1 checklists.rules missing_each 1 (all four items);
//!                    2 missing_each 2 of [dues, finance], max 3
//!   satisfaction 10  deductions: surveys.satisfaction.rate below 0.9, per 0.01, each 0.5
//!   awareness     5  deductions: surveys.awareness.rate below 0.95, each 0.5
//!   work_style   10  deductions: 1 levels of ratings.work_style: good 0, fair 2, poor 6;
//!                    2 incidents.complaints each 1
//!   funding      10  deductions: 1 facts.funding_secured = false → 4; 2 facts.arrears each 1.5
//!   service      10  community only; deductions: 1 honors.brand < 1 → 3;
//!                    2 meetings.all.attendance below 0.8, per 0.05, each 2
//!   members_size 10  office only: goalpost 0 → 10 on members
//!   veto poor_style: ratings.work_style = poor → at most pass.
//!   Grades: excellent 90, good 75, pass 60, weak 0.

mod common;

use common::*;
use serde_json::{Value, json};

fn branch<'a>(all: &'a Value, id: &str) -> &'a Value {
    all.as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == id)
        .unwrap_or_else(|| panic!("no branch {id}"))
}

fn rulebook() -> Value {
    score_json(&fixture("rulebook"), &[])
}

#[test]
fn floor_max_per_on_a_rate_and_rounding_at_half_a_cent() {
    let all = rulebook();
    let b = branch(&all, "floor");
    // org_life: annual_plan false → 20; general meetings in Q1 and Q3 → (4 − 2) × 2 = 4;
    // late_reports 3 → 3 × 2 = 6, at most 4 → 4. Σ 28 > 20: max(0, 20 − 28) = 0.
    assert_eq!(b["indicators"]["org_life"], json!(0));
    // committee: 10 months → 15 × 0.6 = 9. absence: 1 ≤ 1 → 10 × 0.7 = 7.
    assert_eq!(b["indicators"]["committee"], json!(9));
    assert_eq!(b["indicators"]["absence"], json!(7));
    // rules_kept: study and meeting done; dues and finance missing → 2 × 1 = 2, and
    // 2 × 2 = 4 at most 3 → 3. 10 − 5 = 5.
    assert_eq!(b["indicators"]["rules_kept"], json!(5));
    // satisfaction: 884 / 1000 = 0.884; (0.9 − 0.884) ÷ 0.01 = 1.6; × 0.5 = 0.8 exactly.
    // 10 − 0.8 = 9.2.
    assert_eq!(b["indicators"]["satisfaction"], json!(9.2));
    // awareness: 94 / 100 = 0.94; (0.95 − 0.94) × 0.5 = 0.005; 5 − 0.005 = 4.995 → 5.00
    // (rounded once, half away from zero); the clause alone shows round(0.005) = 0.01.
    assert_eq!(b["indicators"]["awareness"], json!(5));
    // work_style: fair → 2; one complaint → 1. 10 − 3 = 7.
    assert_eq!(b["indicators"]["work_style"], json!(7));
    // funding: secured → 0; arrears 2.5 × 1.5 = 3.75. 10 − 3.75 = 6.25.
    assert_eq!(b["indicators"]["funding"], json!(6.25));
    // service: brand 0 < 1 → 3; attendance 15 / 20 = 0.75, (0.8 − 0.75) ÷ 0.05 × 2 = 2.
    // 10 − 5 = 5.
    assert_eq!(b["indicators"]["service"], json!(5));
    // life 0 + 9 + 7 + 5 = 21; effect 9.2 + 5 + 7 + 6.25 + 5 = 32.45; total 53.45 → weak.
    assert_eq!(b["dimensions"], json!({"life": 21, "effect": 32.45}));
    assert_eq!(b["total"], json!(53.45));
    assert_eq!(b["grade"], "weak");
    assert_eq!(b["missing"], json!([]));
    // Every clause that deducted, its own d rounded, before the floor.
    assert_eq!(
        b["deductions"],
        json!({
            "org_life": [
                {"clause": 1, "label": "无年度计划不得分", "points": 20},
                {"clause": 2, "label": null, "points": 4},
                {"clause": 3, "label": "不及时上报每次扣2分，最多扣4分", "points": 4}
            ],
            "rules_kept": [
                {"clause": 1, "label": null, "points": 2},
                {"clause": 2, "label": null, "points": 3}
            ],
            "satisfaction": [{"clause": 1, "label": null, "points": 0.8}],
            "awareness": [{"clause": 1, "label": null, "points": 0.01}],
            "work_style": [
                {"clause": 1, "label": "酌情扣分", "points": 2},
                {"clause": 2, "label": null, "points": 1}
            ],
            "funding": [{"clause": 2, "label": null, "points": 3.75}],
            "service": [
                {"clause": 1, "label": null, "points": 3},
                {"clause": 2, "label": null, "points": 2}
            ]
        })
    );
    // Fix first by indicator, as version 1: lost points, largest first, ties in file order
    // (rules_kept before service at 5, absence before work_style at 3); awareness lost 0.
    assert_eq!(
        b["fix_first"],
        json!([
            {"id": "org_life", "lost": 20},
            {"id": "committee", "lost": 6},
            {"id": "rules_kept", "lost": 5},
            {"id": "service", "lost": 5},
            {"id": "funding", "lost": 3.75},
            {"id": "absence", "lost": 3},
            {"id": "work_style", "lost": 3},
            {"id": "satisfaction", "lost": 0.8}
        ])
    );
}

#[test]
fn nothing_deducted_lists_every_deductions_indicator_empty() {
    let all = rulebook();
    let b = branch(&all, "full");
    // Every clause finds nothing: plan, 4 quarters, no late report; 12 committee months;
    // no absence; all four rules; 0.95 ≥ 0.9; 0.96 ≥ 0.95; good, no complaint; secured,
    // no arrears; a brand, attendance 36 / 40 = 0.9 ≥ 0.8. Total 100.
    assert_eq!(b["total"], json!(100));
    assert_eq!(b["grade"], "excellent");
    assert_eq!(b["fix_first"], json!([]));
    // Only the applicable deductions indicators, in file order, each with no clause.
    let d = b["deductions"].as_object().unwrap();
    let keys: Vec<&str> = d.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "org_life",
            "rules_kept",
            "satisfaction",
            "awareness",
            "work_style",
            "funding",
            "service"
        ]
    );
    assert!(d.values().all(|v| v == &json!([])));
}

#[test]
fn a_clause_at_its_max_and_steps_at_two() {
    let all = rulebook();
    let b = branch(&all, "mid");
    // org_life: plan, 4 quarters; late_reports 2 → 2 × 2 = 4, exactly its max. 20 − 4 = 16.
    assert_eq!(b["indicators"]["org_life"], json!(16));
    // committee 11 months → 9; absence 2 ≤ 2 → 10 × 0.5 = 5; rules all done → 10;
    // satisfaction 0.9 is not below 0.9 → 10; awareness 0.95 → 5; good, 0 complaints → 10;
    // funding not secured → 4, arrears 0 → 6; office: members 8 → 10 × 8 ÷ 10 = 8.
    assert_eq!(b["indicators"]["absence"], json!(5));
    assert_eq!(b["indicators"]["satisfaction"], json!(10));
    assert_eq!(b["indicators"]["funding"], json!(6));
    // life 16 + 9 + 5 + 10 = 40; effect 10 + 5 + 10 + 6 + 8 = 39; total 79 → good.
    assert_eq!(b["total"], json!(79));
    assert_eq!(b["grade"], "good");
    // No `service` (community only): deductions list only what applies.
    assert_eq!(
        b["deductions"],
        json!({
            "org_life": [{"clause": 3, "label": "不及时上报每次扣2分，最多扣4分", "points": 4}],
            "rules_kept": [],
            "satisfaction": [],
            "awareness": [],
            "work_style": [],
            "funding": [{"clause": 1, "label": null, "points": 4}]
        })
    );
}

#[test]
fn a_missing_clause_fact_makes_the_indicator_missing() {
    let all = rulebook();
    let b = branch(&all, "missing");
    // satisfaction: no survey → its only clause's fact is missing → 0, missing.
    // funding: no facts.arrears → missing → 0, although clause 1 (not secured) deducts 4,
    // which is still listed: its d is known.
    assert_eq!(b["indicators"]["satisfaction"], json!(0));
    assert_eq!(b["indicators"]["funding"], json!(0));
    assert_eq!(b["missing"], json!(["satisfaction", "funding"]));
    assert_eq!(b["deductions"]["satisfaction"], json!([]));
    assert_eq!(
        b["deductions"]["funding"],
        json!([{"clause": 1, "label": null, "points": 4}])
    );
    // absence 3 > 2 → 0 (三次以上不得分). rules: finance missing → 1 + 2 = 3 → 7.
    // work_style poor → 6 (the levels clause), 0 complaints → 4.
    assert_eq!(b["indicators"]["absence"], json!(0));
    assert_eq!(b["indicators"]["rules_kept"], json!(7));
    assert_eq!(b["indicators"]["work_style"], json!(4));
    // life 20 + 15 + 0 + 7 = 42; effect 0 + 5 + 4 + 0 + 10 = 19; total 61 → pass.
    assert_eq!(b["total"], json!(61));
    // A veto reads the level a `levels` clause defines.
    assert_eq!(b["vetoes"], json!(["poor_style"]));
    // Missing ones are lost in full: absence, satisfaction, funding 10 each (file order).
    assert_eq!(
        b["fix_first"],
        json!([
            {"id": "absence", "lost": 10},
            {"id": "satisfaction", "lost": 10},
            {"id": "funding", "lost": 10},
            {"id": "work_style", "lost": 6},
            {"id": "rules_kept", "lost": 3}
        ])
    );
}

#[test]
fn steps_where_lower_is_better_at_each_boundary() {
    let all = rulebook();
    // absences 0 → 10 (≤ 0), 1 → 7 (≤ 1), 2 → 5 (≤ 2), 3 → 0 (none).
    for (id, points) in [("full", 10), ("floor", 7), ("mid", 5), ("missing", 0)] {
        assert_eq!(
            branch(&all, id)["indicators"]["absence"],
            json!(points),
            "{id}"
        );
    }
}

#[test]
fn missing_clause_facts_are_named_and_strict_makes_them_errors() {
    let root = fixture("rulebook");
    let o = run(&["check", "--root", &root.to_string_lossy()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("content/2026/west/missing.yaml:1:1: warning: 缺少指标 `funding`（活动经费）所需的数据 `facts.arrears`，该项按 0 分计"),
        "{err}"
    );
    let o = run(&["check", "--root", &root.to_string_lossy(), "--strict"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("missing.yaml:1:1: error: 缺少指标 `satisfaction`"));
}

#[test]
fn table_and_csv_carry_the_same_totals() {
    let root = fixture("rulebook");
    let o = run(&[
        "score",
        "--root",
        &root.to_string_lossy(),
        "--format",
        "csv",
    ]);
    assert!(o.status.success());
    let csv = stdout(&o);
    assert!(csv.contains("53.45"), "{csv}");
    let o = run(&["score", "--root", &root.to_string_lossy()]);
    assert!(stdout(&o).contains("79.00"));
}

#[test]
fn the_site_builds_and_shows_the_rule_as_printed() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let root = fixture("rulebook");
    let o = run(&[
        "build",
        "--root",
        &root.to_string_lossy(),
        "--out",
        &site.to_string_lossy(),
        "--no-pdf",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = std::fs::read_to_string(site.join("2026/indicators.html")).unwrap();
    for text in [
        "扣分制（满分 20 分，扣完为止）：无年度计划不得分；支部党员大会每少一个季度扣2分；不及时上报每次扣2分，最多扣4分",
        "制度每缺一项扣1分；制度中党费制度、财务制度每缺一项扣2分，最多扣3分",
        "分档计分（越低越好）：≤0 得 100.0%，≤1 得 70.0%，≤2 得 50.0%，其余 0 分",
    ] {
        assert!(page.contains(text), "{text} not on the indicators page");
    }
}

#[test]
fn a_version_1_project_gets_an_empty_deductions_object_and_nothing_else_changes() {
    let all = score_json(&fixture("golden"), &[]);
    for b in all.as_array().unwrap() {
        assert_eq!(b["deductions"], json!({}), "{}", b["id"]);
    }
    // The golden numbers themselves are tests/golden.rs's; one of them here for the record.
    let beta = all
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["year"] == 2026 && b["id"] == "beta")
        .unwrap();
    assert_eq!(beta["total"], json!(54.26));
}
