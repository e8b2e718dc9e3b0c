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
