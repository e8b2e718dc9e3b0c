//! The bundled example district in `content/` is valid and scores the same every time.

mod common;

use common::*;

#[test]
fn bundled_example_checks_clean() {
    let root = repo();
    let o = run(&["check", "--root", &root.to_string_lossy()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("校验通过：2 个年度（2025、2026）"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn bundled_example_json_is_stable_and_complete() {
    let root = repo();
    let a = run(&[
        "score",
        "--root",
        &root.to_string_lossy(),
        "--format",
        "json",
    ]);
    let b = run(&[
        "score",
        "--root",
        &root.to_string_lossy(),
        "--format",
        "json",
    ]);
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout, "same input, same bytes");
    let v: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    let all = v.as_array().unwrap();
    let per_year = |y: i64| all.iter().filter(|b| b["year"] == y).count();
    assert!(per_year(2025) >= 40 && per_year(2026) >= 40);
    let grades: std::collections::BTreeSet<&str> = all
        .iter()
        .filter(|b| b["year"] == 2026)
        .map(|b| b["grade"].as_str().unwrap())
        .collect();
    assert_eq!(
        grades.len(),
        4,
        "every grade represented in 2026: {grades:?}"
    );
    let categories: std::collections::BTreeSet<&str> = all
        .iter()
        .map(|b| b["category"].as_str().unwrap())
        .collect();
    assert_eq!(categories.len(), 5);
    assert!(
        all.iter()
            .any(|b| !b["vetoes"].as_array().unwrap().is_empty())
    );
    for key in [
        "year",
        "id",
        "name",
        "category",
        "org",
        "base",
        "bonus",
        "total",
        "grade",
        "grade_before_vetoes",
        "vetoes",
        "unchecked_vetoes",
        "dimensions",
        "indicators",
        "missing",
        "rank_in_category",
        "rank",
        "movement",
        "previous_grade",
        "version",
        "version_changed",
        "self_total",
        "self_gap",
        "self_gap_flag",
        "gap_to_next",
        "fix_first",
        "views",
        "rectification",
        "inspected",
        "sampled",
        "on_rectification_list",
        "previous_on_list",
    ] {
        assert!(
            all.iter().all(|b| b.get(key).is_some()),
            "every branch has `{key}`"
        );
    }
    for m in ["up", "down", "same", "new"] {
        assert!(
            all.iter().any(|b| b["movement"] == m),
            "some branch moved `{m}`"
        );
    }
    // The assessment cycle of version 2: every rectification status, inspections with and
    // without sampling, the three views of the default system, and the lists.
    let statuses: std::collections::BTreeSet<&str> = all
        .iter()
        .flat_map(|b| b["rectification"].as_array().unwrap())
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses.into_iter().collect::<Vec<_>>(),
        ["done", "late", "open", "overdue"]
    );
    let this_year: Vec<&serde_json::Value> = all.iter().filter(|b| b["year"] == 2026).collect();
    assert!(this_year.iter().all(|b| b["inspected"] == true));
    assert!(this_year.iter().any(|b| b["sampled"] == true));
    assert!(this_year.iter().any(|b| b["sampled"] == false));
    for b in &this_year {
        let views = b["views"].as_object().unwrap();
        assert_eq!(
            views.keys().map(String::as_str).collect::<Vec<_>>(),
            ["four_strong", "five_capabilities", "cohesion"]
        );
        // Both votes of the default system are scored for every branch.
        assert!(b["indicators"]["secretary_review"].is_number());
        assert!(b["indicators"]["member_review"].is_number());
    }
    // Every branch on 2025's list that is still there gives a plan in 2026.
    for b in &this_year {
        if b["previous_on_list"] == true {
            assert!(
                !b["rectification"].as_array().unwrap().is_empty(),
                "{} was on 2025's list and gives no plan",
                b["id"]
            );
        }
    }
    assert!(this_year.iter().any(|b| b["on_rectification_list"] == true));
}

/// The branches of 2025 that are gone in 2026 are all withdrawn with their reasons, and the
/// 六无 lines apply to villages and communities only: `check` warns about neither.
#[test]
fn bundled_example_withdraws_what_is_gone() {
    let root = repo();
    let o = run(&["check", "--root", &root.to_string_lossy()]);
    let err = stderr(&o);
    assert!(!err.contains("本年度没有记录"), "{err}");
    assert!(!err.contains("本年度记录没有整改计划"), "{err}");
    let org = std::fs::read_to_string(root.join("content/2026/_org.yaml")).unwrap();
    for id in ["qiaosan", "shiqiao", "xinyue"] {
        assert!(org.contains(&format!("  {id}: ")), "{id} withdrawn");
        assert!(
            std::fs::read_dir(root.join("content/2025"))
                .unwrap()
                .flatten()
                .any(|d| d.path().is_dir() && walk_has(&d.path(), &format!("{id}.yaml"))),
            "{id} was a branch of 2025"
        );
    }
}

fn walk_has(dir: &std::path::Path, name: &str) -> bool {
    std::fs::read_dir(dir).unwrap().flatten().any(|e| {
        let p = e.path();
        if p.is_dir() {
            walk_has(&p, name)
        } else {
            p.file_name().is_some_and(|n| n == name)
        }
    })
}

/// `DANGJIAN_YAML_FAST=0` (the general parser only) reads the example and the golden
/// fixture exactly as the fast path does: same scores, same diagnostics.
#[test]
fn yaml_fast_path_switch_changes_nothing() {
    let with = |fast: &str, args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_dangjian"))
            .args(args)
            .env("DANGJIAN_YAML_FAST", fast)
            .output()
            .expect("the binary runs")
    };
    for root in [repo(), fixture("golden")] {
        let root = root.to_string_lossy().into_owned();
        for args in [
            vec!["score", "--root", &root, "--format", "json"],
            vec!["check", "--root", &root, "--strict"],
        ] {
            let (fast, slow) = (with("1", &args), with("0", &args));
            assert_eq!(fast.status.code(), slow.status.code(), "{args:?}");
            assert_eq!(fast.stdout, slow.stdout, "{args:?}");
            assert_eq!(stderr(&fast), stderr(&slow), "{args:?}");
        }
    }
}

/// The default system is written as a district publishes its 百分考核细则: at least a third
/// of its items in 扣分制, a 考评方式 on every item, a lower-is-better step rule; and the
/// example's records give what the clauses read, with an item at its floor and a clause at
/// its `max` (both worked out by hand below, and in the README).
#[test]
fn bundled_system_is_a_published_rulebook() {
    use dangjian::model::Rule;
    let text = std::fs::read_to_string(repo().join("indicators.yaml")).unwrap();
    let mut diags = Vec::new();
    let sys = dangjian::load::indicators::load(&text, "indicators.yaml", &mut diags)
        .unwrap_or_else(|| panic!("{diags:?}"));
    let all: Vec<_> = sys.dimensions.iter().flat_map(|d| &d.indicators).collect();
    let deductions = all
        .iter()
        .filter(|i| matches!(i.rule, Rule::Deductions(_)))
        .count();
    assert!(3 * deductions >= all.len(), "{deductions} of {}", all.len());
    for i in &all {
        assert!(i.method.is_some(), "{} has no method", i.id);
    }
    assert!(all.iter().any(|i| matches!(i.rule, Rule::StepsAtMost(_))));
    assert_eq!(sys.version.as_deref(), Some("2026.2"));

    let scores = score_json(&repo(), &["--year", "2026"]);
    // nanshan, general_meetings (2): general meetings in Q2 and Q3 → (4 − 2) × 0.5 = 1; no
    // annual plan → 1.5. Σ 2.5 > 2: the floor, 0 points.
    let nanshan = branch(&scores, 2026, "nanshan");
    assert_eq!(nanshan["indicators"]["general_meetings"], 0);
    assert_eq!(
        nanshan["deductions"]["general_meetings"],
        serde_json::json!([
            {"clause": 1, "label": null, "points": 1},
            {"clause": 2, "label": "无年度党建工作计划扣1.5分", "points": 1.5}
        ])
    );
    // nanshan, satisfaction (12): 126 of 162 = 0.7777…; (0.95 − 0.7777…) ÷ 0.01 × 0.5 =
    // 8.6111…; 12 − 8.6111… = 3.3888… → 3.39, the clause alone round(8.6111…) = 8.61.
    assert_eq!(nanshan["indicators"]["satisfaction"], 3.39);
    assert_eq!(nanshan["deductions"]["satisfaction"][0]["points"], 8.61);
    // nanshan, absent_members (lower is better, ≤0 → 1, ≤2 → 0.5): 3 → none of the steps, 0.
    assert_eq!(nanshan["indicators"]["absent_members"], 0);
    // lvyuan, six_haves (2): clause 1 (0.5 for each of 重要制度有揭挂, 党内事务有公示, 党员有
    // 活动室 missing): all three done, 0; clause 2 (0.25 for each of the other three, max
    // 0.5): all three missing → 0.75, at its max 0.5. 2 − 0.5 = 1.5.
    let lvyuan = branch(&scores, 2026, "lvyuan");
    assert_eq!(lvyuan["indicators"]["six_haves"], 1.5);
    assert_eq!(
        lvyuan["deductions"]["six_haves"],
        serde_json::json!([{"clause": 2, "label": null, "points": 0.5}])
    );
    // lvyuan, absent_members: 1 → not ≤ 0, ≤ 2 → 1 × 0.5.
    assert_eq!(lvyuan["indicators"]["absent_members"], 0.5);
}
