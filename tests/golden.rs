//! Hand-computed golden scores for tests/fixtures/golden. Every number below was worked
//! out by hand from SCHEMA.md; the working is written beside each assertion.
//!
//! The system (tests/fixtures/golden/indicators.yaml), scale 100, bonus_cap 3:
//!   committee_months 20  steps on meetings.committee.months: ≥12 → 1, ≥10 → 0.6, ≥6 → 0.3
//!   attendance       20  goalpost 0.6 → 1 on meetings.all.attendance
//!   ledger           15  checklist [a, b, c] of five_ones
//!   satisfaction      5  goalpost 0 → 1 on surveys.satisfaction.rate
//!   funding          10  boolean true on facts.funding_secured
//!   complaints       10  deduct 4 each on incidents.complaints
//!   work_style       10  rating excellent 1, good 0.8, fair 0.5, poor 0
//!   service_points   10  community only: goalpost 0 → 10 on facts.service_points
//!   lecture_quarters 10  office only: steps ≥4 → 1, ≥2 → 0.5 on meetings.lecture.quarters
//!   vetoes: discipline (incidents.discipline_violations > 0 → cap fair),
//!           bad_style (ratings.work_style = poor → cap good)
//!   bonuses: brand 2 each, max 3; commend 1 each. Grades: top 90, good 80, fair 60, weak 0.

mod common;

use common::*;
use serde_json::{Value, json};

fn golden() -> Value {
    score_json(&fixture("golden"), &[])
}

#[test]
fn alpha_veto_on_a_97_point_branch() {
    let all = golden();
    let b = branch(&all, 2026, "alpha");
    // committee 12 months → 20; attendance 57/60 = 0.95 → (0.95−0.6)/0.4 × 20 = 17.5;
    // ledger a,b,c of [a,b,c,d] → 15; satisfaction 190/200 = 0.95 × 5 = 4.75; funding 10;
    // complaints 0 → 10; excellent → 10; service_points 10 → 10. Base 97.25, bonus 0.
    assert_eq!(b["indicators"]["attendance"], json!(17.5));
    assert_eq!(b["indicators"]["satisfaction"], json!(4.75));
    assert_eq!(b["dimensions"], json!({"org": 52.5, "effect": 44.75}));
    assert_eq!(b["base"], json!(97.25));
    assert_eq!(b["total"], json!(97.25));
    // 97.25 ≥ 90 → top, but discipline_violations 1 > 0 caps at fair.
    assert_eq!(b["grade_before_vetoes"], "top");
    assert_eq!(b["grade"], "fair");
    assert_eq!(b["vetoes"], json!(["discipline"]));
    // Next grade above fair is good; the veto caps below it, so points cannot lift it.
    assert_eq!(
        b["gap_to_next"],
        json!({"grade": "good", "vetoes": ["discipline"]})
    );
    // The veto changes neither the total nor the rank: still first of seven.
    assert_eq!(b["rank"], json!(1));
    assert_eq!(b["rank_in_category"], json!(1));
    // 2025: 100 points, top → fair now: down; versions T0 → T1 differ.
    assert_eq!(b["movement"], "down");
    assert_eq!(b["previous_grade"], "top");
    assert_eq!(b["version_changed"], json!(true));
    assert_eq!(
        b["fix_first"],
        json!([{"id": "attendance", "lost": 2.5}, {"id": "satisfaction", "lost": 0.25}])
    );
    assert_eq!(b["org"], json!(["east"]));
}

#[test]
fn beta_rounds_half_away_from_zero() {
    let all = golden();
    let b = branch(&all, 2026, "beta");
    // satisfaction 201/1000 = 0.201 × 5 = 1.005 → 1.01 (banker's rounding would give 1.00).
    assert_eq!(b["indicators"]["satisfaction"], json!(1.01));
    // committee 10 months → 0.6 × 20 = 12; attendance 66/80 = 0.825 → 0.5625 × 20 = 11.25;
    // ledger a,b → 2/3 × 15 = 10; funding false → 0; complaints 1 → 10 − 4 = 6;
    // good → 8; service_points 5 → 5. Base 53.26; commend 1 → bonus 1; total 54.26.
    assert_eq!(b["indicators"]["committee_months"], json!(12));
    assert_eq!(b["indicators"]["attendance"], json!(11.25));
    assert_eq!(b["indicators"]["ledger"], json!(10));
    assert_eq!(b["indicators"]["complaints"], json!(6));
    assert_eq!(b["base"], json!(53.26));
    assert_eq!(b["bonus"], json!(1));
    assert_eq!(b["total"], json!(54.26));
    assert_eq!(b["grade"], "weak");
    // fair needs 60: 60 − 54.26 = 5.74.
    assert_eq!(b["gap_to_next"], json!({"grade": "fair", "points": 5.74}));
    // Losses: funding 10, attendance 8.75, committee 8, ledger 5 and service_points 5
    // (tie: file order), complaints 4, satisfaction 3.99, work_style 2.
    assert_eq!(
        b["fix_first"],
        json!([
            {"id": "funding", "lost": 10}, {"id": "attendance", "lost": 8.75},
            {"id": "committee_months", "lost": 8}, {"id": "ledger", "lost": 5},
            {"id": "service_points", "lost": 5}, {"id": "complaints", "lost": 4},
            {"id": "satisfaction", "lost": 3.99}, {"id": "work_style", "lost": 2}
        ])
    );
    // 2025: 0 points, weak → weak: same.
    assert_eq!(b["movement"], "same");
    assert_eq!(b["rank"], json!(6));
    assert_eq!(b["rank_in_category"], json!(3));
}

#[test]
fn gamma_exactly_at_the_boundary_with_bonus_over_cap() {
    let all = golden();
    let b = branch(&all, 2026, "gamma");
    // 20 + 20 + 15 + 5 + 10 + 10 + fair 5 + service 2/10 × 10 = 2 → base 87.
    // Bonus: brand 2 × 2 = 4 capped by max 3 → 3; commend 2 × 1 = 2; Σ 5 over cap 3 → 3.
    assert_eq!(b["base"], json!(87));
    assert_eq!(b["bonus"], json!(3));
    assert_eq!(b["total"], json!(90));
    // Exactly 90: the top grade's min is inclusive.
    assert_eq!(b["grade"], "top");
    assert_eq!(b["gap_to_next"], Value::Null);
    // Self: 20 + 20 + 10 + 10 = 60 against earned 20 + 20 + 5 + 2 = 47 → gap 13 ≥ 5.
    assert_eq!(b["self_total"], json!(60));
    assert_eq!(b["self_gap"], json!(13));
    assert_eq!(b["self_gap_flag"], json!(true));
    assert_eq!(b["movement"], "new");
    assert_eq!(b["previous_grade"], Value::Null);
    assert_eq!(b["version_changed"], json!(false));
}

#[test]
fn delta_missing_facts_and_unchecked_veto() {
    let all = golden();
    let b = branch(&all, 2026, "delta");
    // committee 6 months → 0.3 × 20 = 6; no attendance given → missing 0; no checklist →
    // missing 0; no survey → missing 0; funding 10; no incidents → complaints missing 0;
    // good → 8; lectures in Q1, Q2, Q3 → 3 ≥ 2 → 0.5 × 10 = 5. Base 29.
    assert_eq!(b["total"], json!(29));
    assert_eq!(
        b["missing"],
        json!(["attendance", "ledger", "satisfaction", "complaints"])
    );
    assert_eq!(b["unchecked_vetoes"], json!(["discipline"]));
    assert_eq!(b["vetoes"], json!([]));
    assert_eq!(b["grade"], "weak");
    assert_eq!(b["gap_to_next"], json!({"grade": "fair", "points": 31}));
    // Office: lecture_quarters applies, service_points does not exist for it.
    assert!(b["indicators"].get("service_points").is_none());
    assert_eq!(b["indicators"]["lecture_quarters"], json!(5));
    assert_eq!(b["fix_first"][0], json!({"id": "attendance", "lost": 20}));
    // satisfaction and lecture_quarters both lost 5: file order.
    assert_eq!(b["fix_first"][4], json!({"id": "satisfaction", "lost": 5}));
    assert_eq!(
        b["fix_first"][5],
        json!({"id": "lecture_quarters", "lost": 5})
    );
    assert_eq!(b["rank"], json!(7));
    assert_eq!(b["self_total"], Value::Null);
    assert_eq!(b["self_gap_flag"], json!(false));
}

#[test]
fn ties_share_the_better_rank() {
    let all = golden();
    // epsilon: 20 + attendance 128/160 = 0.8 → 10 + 15 + 4.5 + 10 + 10 + 8 + 10 = 87.5.
    // zeta: 11 months → 12 + 20 + ledger a,b,c (c twice counts once) 15 + 2.5 + 10 + 10 + 8
    //       + 10 = 87.5.
    let e = branch(&all, 2026, "epsilon");
    let z = branch(&all, 2026, "zeta");
    assert_eq!(e["total"], json!(87.5));
    assert_eq!(z["total"], json!(87.5));
    // Totals: alpha 97.25, gamma 90, eta 90, epsilon 87.5, zeta 87.5, beta 54.26, delta 29.
    assert_eq!(branch(&all, 2026, "gamma")["rank"], json!(2));
    assert_eq!(branch(&all, 2026, "eta")["rank"], json!(2));
    assert_eq!(e["rank"], json!(4));
    assert_eq!(z["rank"], json!(4));
    // Office: eta 90 (1), epsilon and zeta 87.5 (2, 2), delta 29 (4).
    assert_eq!(e["rank_in_category"], json!(2));
    assert_eq!(z["rank_in_category"], json!(2));
    assert_eq!(branch(&all, 2026, "delta")["rank_in_category"], json!(4));
    // epsilon 2025: 70 fair → good: up; zeta 2025: 88 good → good: same.
    assert_eq!(e["movement"], "up");
    assert_eq!(e["previous_grade"], "fair");
    assert_eq!(z["movement"], "same");
    // epsilon self: 20 + 12 = 32 against 20 + 10 = 30 → gap 2, under the alert of 5.
    assert_eq!(e["self_gap"], json!(2));
    assert_eq!(e["self_gap_flag"], json!(false));
    assert_eq!(e["gap_to_next"], json!({"grade": "top", "points": 2.5}));
}

#[test]
fn eta_level_veto_blocks_the_top_grade() {
    let all = golden();
    let b = branch(&all, 2026, "eta");
    // 20 + 20 + 15 + 5 + 10 + 10 + poor 0 + 10 = 90 → top; work_style = poor caps at good.
    assert_eq!(b["total"], json!(90));
    assert_eq!(b["grade_before_vetoes"], "top");
    assert_eq!(b["grade"], "good");
    assert_eq!(
        b["gap_to_next"],
        json!({"grade": "top", "vetoes": ["bad_style"]})
    );
    assert_eq!(b["org"], json!(["west", "south"]));
}

#[test]
fn year_2025_and_branch_order() {
    let all = golden();
    let ids: Vec<(i64, &str)> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["year"].as_i64().unwrap(), b["id"].as_str().unwrap()))
        .collect();
    assert_eq!(
        ids,
        vec![
            (2025, "alpha"),
            (2025, "beta"),
            (2025, "epsilon"),
            (2025, "omega"),
            (2025, "zeta"),
            (2026, "alpha"),
            (2026, "beta"),
            (2026, "delta"),
            (2026, "epsilon"),
            (2026, "eta"),
            (2026, "gamma"),
            (2026, "zeta"),
        ]
    );
    // 2025 beta: every indicator 0 (complaints 3 × 4 = 12 > 10 → 0); poor fires bad_style
    // although weak is already below its cap.
    let b = branch(&all, 2025, "beta");
    assert_eq!(b["total"], json!(0));
    assert_eq!(b["vetoes"], json!(["bad_style"]));
    assert_eq!(b["grade"], "weak");
    assert_eq!(b["version"], "T0");
    // Ranks 2025: alpha 100 (1), zeta 88 (2), epsilon 70 (3), beta 0 and omega 0 (4, 4).
    assert_eq!(branch(&all, 2025, "omega")["rank"], json!(4));
    assert_eq!(branch(&all, 2025, "epsilon")["total"], json!(70));
    assert_eq!(branch(&all, 2025, "zeta")["total"], json!(88));
    assert_eq!(branch(&all, 2025, "alpha")["movement"], "new");
}

#[test]
fn organisation_means_and_grade_counts() {
    let orgs = score_json(&fixture("golden"), &["--orgs"]);
    let find = |year: i64, org: Value| {
        orgs.as_array()
            .unwrap()
            .iter()
            .find(|o| o["year"] == year && o["org"] == org)
            .cloned()
            .unwrap()
    };
    // 2026 district: (97.25 + 54.26 + 90 + 29 + 87.5 + 87.5 + 90) / 7 = 535.51 / 7
    // = 76.5014… → 76.50.
    let d = find(2026, json!([]));
    assert_eq!(d["mean"], json!(76.5));
    assert_eq!(d["branches"], json!(7));
    assert_eq!(
        d["grades"],
        json!({"top": 1, "good": 3, "fair": 1, "weak": 2})
    );
    assert_eq!(d["name"], "测试区委");
    // east: (97.25 + 54.26 + 90) / 3 = 80.5033… → 80.50; west and below: (29 + 87.5 + 87.5
    // + 90) / 4 = 73.5; west/south: 90.
    assert_eq!(find(2026, json!(["east"]))["mean"], json!(80.5));
    assert_eq!(find(2026, json!(["west"]))["mean"], json!(73.5));
    assert_eq!(
        find(2026, json!(["west"]))["grades"],
        json!({"top": 0, "good": 3, "fair": 0, "weak": 1})
    );
    assert_eq!(find(2026, json!(["west", "south"]))["mean"], json!(90));
    // 2025: east (100 + 0 + 0) / 3 = 33.33…; district 258 / 5 = 51.6.
    assert_eq!(find(2025, json!(["east"]))["mean"], json!(33.33));
    assert_eq!(find(2025, json!([]))["mean"], json!(51.6));
    // Order: by (year, org).
    let keys: Vec<(i64, Vec<String>)> = orgs
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["year"].as_i64().unwrap(),
                serde_json::from_value(o["org"].clone()).unwrap(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn year_filter_keeps_movement() {
    let all = score_json(&fixture("golden"), &["--year", "2026"]);
    assert_eq!(all.as_array().unwrap().len(), 7);
    assert_eq!(branch(&all, 2026, "alpha")["movement"], "down");
    let o = run(&[
        "score",
        "--root",
        &fixture("golden").to_string_lossy(),
        "--year",
        "2031",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).is_empty());
}

#[test]
fn warnings_name_the_file_and_strict_makes_missing_an_error() {
    let root = fixture("golden");
    let root = root.to_string_lossy();
    let o = run(&["check", "--root", &root]);
    assert_eq!(o.status.code(), Some(0));
    let err = stderr(&o);
    assert!(
        err.contains("content/2026/west/delta.yaml:1:1: warning: 缺少指标 `attendance`"),
        "{err}"
    );
    assert!(
        err.contains("content/2026/west/delta.yaml:1:1: warning: 否决项 `discipline`"),
        "{err}"
    );
    let o = run(&["check", "--root", &root, "--strict"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("delta.yaml:1:1: error: 缺少指标 `attendance`"),
        "{err}"
    );
    // An unchecked veto stays a warning under --strict.
    assert!(
        err.contains("delta.yaml:1:1: warning: 否决项 `discipline`"),
        "{err}"
    );
    let o = run(&["score", "--root", &root, "--strict", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).is_empty());
}

#[test]
fn csv_and_table_carry_the_same_numbers() {
    let root = fixture("golden");
    let root = root.to_string_lossy();
    let o = run(&[
        "score", "--root", &root, "--format", "csv", "--year", "2026",
    ]);
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(
        text.starts_with('\u{feff}'),
        "CSV starts with a BOM for Excel"
    );
    let alpha = text.lines().find(|l| l.contains(",alpha,")).unwrap();
    assert!(
        alpha.starts_with(
            "2026,1,1,alpha,甲居民区党支部,社区,东街道党工委,97.25,0,97.25,三星,五星,discipline"
        ),
        "{alpha}"
    );
    let o = run(&["score", "--root", &root, "--year", "2026"]);
    let table = stdout(&o);
    let line = table.lines().find(|l| l.contains("beta")).unwrap();
    assert!(
        line.contains("53.26") && line.contains("54.26") && line.contains("软弱涣散"),
        "{line}"
    );
}
