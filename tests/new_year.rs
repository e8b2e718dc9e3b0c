//! `dangjian new-year` end to end on the bundled example: the new year passes `check`, has
//! the same organisation tree and each branch's identity without last year's ledgers, and
//! not one byte of the earlier years changes; it refuses an existing year and a project with
//! errors, writing nothing.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{run, stderr};

fn example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::repo().join("content"), &dir.path().join("content"));
    std::fs::copy(
        common::repo().join("indicators.yaml"),
        dir.path().join("indicators.yaml"),
    )
    .unwrap();
    dir
}

/// Every file below `dir` with its bytes, by path relative to it.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn new_year(root: &Path, extra: &[&str]) -> std::process::Output {
    let r = root.to_string_lossy();
    let mut args = vec!["new-year", "--root", &r];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn the_next_year_passes_check_and_changes_no_earlier_byte() {
    let project = example();
    let root = project.path();
    let before = snapshot(root);
    let o = new_year(root, &[]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("已从 2026 年度开启 2027 年度"), "{err}");

    // Not one byte of what existed changed.
    let after = snapshot(root);
    for (rel, bytes) in &before {
        assert!(after.get(rel) == Some(bytes), "{rel} changed");
    }
    let added: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    assert!(
        added.iter().all(|k| k.starts_with("content/2027/")),
        "{added:?}"
    );
    // Nothing hidden is left beside the year folders.
    let left: Vec<String> = std::fs::read_dir(root.join("content"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left.len(), 3, "{left:?}");

    // The new year passes check (its warnings are the data still to be filled in).
    let o = run(&["check", "--root", &root.to_string_lossy()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("3 个年度（2025、2026、2027）"),
        "{}",
        stderr(&o)
    );

    // The same organisation tree and branches; narratives and linked files stay behind.
    let tree = |year: &str| -> Vec<String> {
        snapshot(&root.join("content").join(year))
            .into_keys()
            .filter(|k| k.ends_with(".yaml") && k != "indicators.yaml")
            .collect()
    };
    assert_eq!(tree("2027"), tree("2026"));
    assert!(!added.iter().any(|k| k.ends_with(".md")));
    assert!(!added.iter().any(|k| !k.ends_with(".yaml")));

    // Each record: its identity and no ledger.
    let json = common::score_json(root, &["--year", "2027"]);
    let last = common::score_json(root, &["--year", "2026"]);
    let branches = json.as_array().unwrap();
    assert_eq!(branches.len(), last.as_array().unwrap().len());
    for (b, l) in branches.iter().zip(last.as_array().unwrap()) {
        assert_eq!(b["id"], l["id"]);
        assert_eq!(b["name"], l["name"]);
        assert_eq!(b["category"], l["category"]);
        assert_eq!(b["org"], l["org"]);
    }
    let record = std::fs::read_to_string(root.join("content/2027/fengxiang/chunhui.yaml")).unwrap();
    let old = std::fs::read_to_string(root.join("content/2026/fengxiang/chunhui.yaml")).unwrap();
    for key in ["name:", "category:", "members:", "secretary:"] {
        let line = |t: &str| t.lines().find(|l| l.starts_with(key)).map(str::to_string);
        assert_eq!(line(&record), line(&old), "{key}");
    }
    for ledger in [
        "meetings:",
        "checklists:",
        "surveys:",
        "facts:",
        "incidents:",
        "ratings:",
        "honors:",
        "self_scores:",
        "inspection:",
    ] {
        assert!(
            !record.lines().any(|l| l.starts_with(ledger)),
            "{ledger} carried"
        );
    }
    // The organisation files are copied as written, comments included.
    assert_eq!(
        std::fs::read(root.join("content/2027/xinhe/_org.yaml")).unwrap(),
        std::fs::read(root.join("content/2026/xinhe/_org.yaml")).unwrap()
    );
}

#[test]
fn a_years_own_indicator_system_is_carried() {
    let project = example();
    let root = project.path();
    let o = new_year(root, &["--from", "2025", "--to", "2030"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(root.join("content/2030/indicators.yaml")).unwrap(),
        std::fs::read(root.join("content/2025/indicators.yaml")).unwrap()
    );
    assert!(stderr(&o).contains("沿用 2025 年度自己的 indicators.yaml"));
    // The root system serves a year that did not have its own.
    let o = new_year(root, &["--from", "2026", "--to", "2031"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!root.join("content/2031/indicators.yaml").exists());
    let o = run(&["check", "--root", &root.to_string_lossy()]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn an_existing_year_or_a_broken_project_is_refused_and_nothing_written() {
    let project = example();
    let root = project.path();
    let before = snapshot(root);
    let o = new_year(root, &["--to", "2026"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("必须晚于"), "{}", stderr(&o));
    let o = new_year(root, &["--from", "2025", "--to", "2026"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("2026 年度的文件夹已经存在"),
        "{}",
        stderr(&o)
    );
    let o = new_year(root, &["--from", "2019"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("没有 2019 年度的文件夹"),
        "{}",
        stderr(&o)
    );
    assert_eq!(snapshot(root), before);

    let record = root.join("content/2026/fengxiang/chunhui.yaml");
    let text = std::fs::read_to_string(&record).unwrap();
    std::fs::write(&record, text.replacen("members: ", "members: -", 1)).unwrap();
    let before = snapshot(root);
    let o = new_year(root, &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("content/2026/fengxiang/chunhui.yaml:") && err.contains("dangjian check"),
        "{err}"
    );
    assert_eq!(snapshot(root), before);
}
