//! `dangjian new-year` end to end on the bundled example: the new year passes `check`, has
//! the same organisation tree and each branch's identity without last year's ledgers, and
//! not one byte of the earlier years changes; the rectification items still open at the
//! source year's cut-off become the new year's plan, which the year after follows up; it
//! refuses an existing year and a project with errors, writing nothing.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{run, stderr};

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

/// `new-year` that succeeds and changes no byte of what existed; gives what it printed.
fn open_unchanged(root: &Path, extra: &[&str]) -> String {
    let before = snapshot(root);
    let o = new_year(root, extra);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    let after = snapshot(root);
    for (rel, bytes) in &before {
        assert!(after.get(rel) == Some(bytes), "{rel} changed");
    }
    err
}

fn new_year(root: &Path, extra: &[&str]) -> std::process::Output {
    let r = root.to_string_lossy();
    let mut args = vec!["new-year", "--root", &r];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn the_next_year_passes_check_and_changes_no_earlier_byte() {
    let project = common::copy_example();
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
    for ledger in common::LEDGER_KEYS.iter().chain(&["inspection:"]) {
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

/// (branch id, item id, status) of every rectification item of `year` in `score`'s JSON.
fn items(root: &Path, year: &str) -> Vec<(String, String, String)> {
    let json = common::score_json(root, &["--year", year]);
    let mut out = Vec::new();
    for b in json.as_array().unwrap() {
        for r in b["rectification"].as_array().unwrap() {
            out.push((
                b["id"].as_str().unwrap().to_string(),
                r["id"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
            ));
        }
    }
    out
}

/// The rectification block of a record, as lines.
fn plan_lines(root: &Path, rel: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    text.lines()
        .skip_while(|l| !l.starts_with("rectification:"))
        .map(str::to_string)
        .collect()
}

fn set_done(root: &Path, rel: &str, item: &str, done: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    let marker = format!("  - id: {item}");
    let start = text.find(&marker).unwrap();
    let end = text[start + 1..]
        .find("  - id:")
        .map_or(text.len(), |i| start + 1 + i);
    let block = &text[start..end];
    let block_done = format!("{}    done: {done}\n", block);
    std::fs::write(&path, text.replacen(block, &block_done, 1)).unwrap();
}

#[test]
fn open_rectification_items_are_carried_as_the_next_years_plan() {
    let project = common::copy_example();
    let root = project.path();
    // 2026's items at its cut-off (31 December), as the engine gives them.
    let last = items(root, "2026");
    let err = open_unchanged(root, &[]);
    assert!(err.contains("转入未完成的整改事项 6 项"), "{err}");

    // The open and overdue ones, by hand from the 2026 records: chunhui's petition (due
    // 2027-02-28), jinqiaocun's discipline (2027-03-31), nanshan's collective_income
    // (2027-06-30) and ruida's lectures (2026-12-31: due on the cut-off is still open) are
    // open; hepinger's service_network (2026-08-31) and nanshan's unqualified (2026-10-31)
    // are overdue. None of the done or late ones.
    let carried: Vec<(String, String)> = items(root, "2027")
        .into_iter()
        .map(|(b, i, _)| (b, i))
        .collect();
    let pair = |b: &str, i: &str| (b.to_string(), i.to_string());
    assert_eq!(
        carried,
        vec![
            pair("chunhui", "petition"),
            pair("hepinger", "service_network"),
            pair("jinqiaocun", "discipline"),
            pair("nanshan", "unqualified"),
            pair("nanshan", "collective_income"),
            pair("ruida", "lectures"),
        ]
    );
    let still_open: Vec<(String, String)> = last
        .iter()
        .filter(|(_, _, s)| s == "open" || s == "overdue")
        .map(|(b, i, _)| (b.clone(), i.clone()))
        .collect();
    assert_eq!(carried, still_open);
    assert!(last.iter().any(|(_, _, s)| s == "done"));
    assert!(last.iter().any(|(_, _, s)| s == "late"));

    // As the contract writes a plan: a deadline in 2027 is kept, an older one becomes 30
    // June 2027; the old status and deadline in a comment; no done date.
    assert_eq!(
        plan_lines(root, "content/2027/jinqiao/nanshan.yaml"),
        [
            "rectification:",
            "  - id: unqualified   # 2026 年度逾期未完成，原期限 2026-10-31",
            "    problem: 不合格党员未作组织处置",
            "    measure: 按规定开展谈心谈话、限期改正，期满仍不改正的依规处置",
            "    owner: 组织委员",
            "    due: 2027-06-30",
            "  - id: collective_income   # 2026 年度整改中，原期限 2027-06-30",
            "    problem: 村集体经济收入仅 56 万元，增长乏力",
            "    measure: 盘活闲置厂房发展物业经济，引进合作社开展特色种植",
            "    owner: 村委会主任",
            "    due: 2027-06-30",
            "    indicator: collective_income",
        ]
    );
    let chunhui = plan_lines(root, "content/2027/fengxiang/chunhui.yaml");
    assert!(
        chunhui.contains(&"    due: 2027-02-28".to_string()),
        "{chunhui:?}"
    );
    let ruida = plan_lines(root, "content/2027/xinhe/ruida.yaml");
    assert!(
        ruida.contains(&"    due: 2027-06-30".to_string()),
        "{ruida:?}"
    );
    assert!(
        ruida.contains(&"    indicator: lectures".to_string()),
        "{ruida:?}"
    );

    // The year after follows them up: one done in May 2027 is done, its indicator's points
    // compared with 2026's (nanshan's collective_income: 3.34 there).
    set_done(
        root,
        "content/2027/jinqiao/nanshan.yaml",
        "collective_income",
        "2027-05-10",
    );
    let o = run(&["check", "--root", &root.to_string_lossy()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json = common::score_json(root, &["--year", "2027"]);
    let nanshan = common::branch(&json, 2027, "nanshan");
    let r = &nanshan["rectification"];
    assert_eq!(r[0]["id"], "unqualified");
    assert_eq!(r[0]["status"], "overdue");
    assert_eq!(r[1]["id"], "collective_income");
    assert_eq!(r[1]["status"], "done");
    assert_eq!(r[1]["indicator"], "collective_income");
    assert_eq!(r[1]["previous_points"].to_string(), "3.34");
    let old = common::score_json(root, &["--year", "2026"]);
    let before_points =
        common::branch(&old, 2026, "nanshan")["indicators"]["collective_income"].to_string();
    assert_eq!(before_points, "3.34");

    // And the year after that carries only what is still not done, with its own deadline.
    let o = new_year(root, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let next = plan_lines(root, "content/2028/jinqiao/nanshan.yaml");
    assert_eq!(
        next[..2],
        [
            "rectification:",
            "  - id: unqualified   # 2027 年度逾期未完成，原期限 2027-06-30",
        ]
    );
    assert!(
        next.contains(&"    due: 2028-06-30".to_string()),
        "{next:?}"
    );
    assert!(!next.iter().any(|l| l.contains("collective_income")));
}

#[test]
fn a_year_in_progress_is_followed_up_at_its_cut_off() {
    // The v2 fixture's 2026 has `as_of: 2026-06-30`; the village branch's r1 was done on
    // time, r2 late, r3 (due 29 June) is overdue at the cut-off, r4 (due 30 June, the cut-off
    // itself) and r5 (due 2027-03-31) open.
    let project = common::copy_fixture("v2");
    let root = project.path();
    let err = open_unchanged(root, &[]);
    assert!(err.contains("转入未完成的整改事项 3 项"), "{err}");
    let plan = plan_lines(root, "content/2027/town/cun.yaml");
    let ids: Vec<&str> = plan
        .iter()
        .filter_map(|l| l.strip_prefix("  - id: "))
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    assert_eq!(ids, ["r3", "r4", "r5"]);
    let dues: Vec<&str> = plan
        .iter()
        .filter_map(|l| l.strip_prefix("    due: "))
        .collect();
    assert_eq!(dues, ["2027-06-30", "2027-06-30", "2027-03-31"]);
    assert!(plan.contains(&"    owner: 李四".to_string()), "{plan:?}");
    // The cut-off was the year's own: the comment says so; the new year has none.
    let text = std::fs::read_to_string(root.join("content/2027/town/cun.yaml")).unwrap();
    assert!(text.contains("2026 年度截至 2026-06-30 仍未完成"), "{text}");
    let district = std::fs::read_to_string(root.join("content/2027/_org.yaml")).unwrap();
    assert!(!district.contains("as_of"), "{district}");
    let o = run(&["check", "--root", &root.to_string_lossy()]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_years_own_indicator_system_is_carried() {
    let project = common::copy_example();
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
    let project = common::copy_example();
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
