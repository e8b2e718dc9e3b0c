//! `dangjian build` end to end: output layout, atomic replacement, reproducible bytes.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let project = copy_fixture("golden");
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let o = build(project.path(), &site, &["--no-pdf"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = snapshot(&site);
    assert!(before.iter().any(|(p, _)| p == "2026/branch/alpha.html"));
    // Break one record: the next build must fail and change nothing.
    std::fs::write(
        project.path().join("content/2026/east/beta.yaml"),
        "name: 乙\ncategory: nope\n",
    )
    .unwrap();
    let o = build(project.path(), &site, &["--no-pdf"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("content/2026/east/beta.yaml:2:11: error:"),
        "{}",
        stderr(&o)
    );
    assert_eq!(before, snapshot(&site));
    // No staging folder is left behind beside the output.
    let left: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, vec!["site".to_string()]);
}

#[test]
fn unchanged_pages_are_linked_and_changed_ones_made_again() {
    let project = copy_fixture("golden");
    let md = project.path().join("content/2026/east/alpha.md");
    std::fs::write(&md, "# 述职报告\n\n本年度完成了三件事。\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let o = build(project.path(), &site, &["--no-pdf"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pages = [
        "2026/branch/alpha.html",
        "2026/branch/beta.html",
        "2026/index.html",
        "static/style.css",
    ];
    let first: Vec<u64> = pages.iter().map(|p| inode(&site.join(p))).collect();
    let before = snapshot(&site);

    // Nothing changed: every file is the previous build's, and the bytes are the same.
    let o = build(project.path(), &site, &["--no-pdf"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let second: Vec<u64> = pages.iter().map(|p| inode(&site.join(p))).collect();
    assert_eq!(first, second);
    let strip = |v: Vec<(String, Vec<u8>)>| -> Vec<(String, Vec<u8>)> {
        v.into_iter()
            .filter(|(p, _)| !p.starts_with(".dangjian"))
            .collect()
    };
    assert_eq!(strip(before), strip(snapshot(&site)));

    // One narrative changed: its page is made again with the new text, the others are kept.
    std::fs::write(&md, "# 述职报告\n\n本年度完成了四件事。\n").unwrap();
    let o = build(project.path(), &site, &["--no-pdf"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let third: Vec<u64> = pages.iter().map(|p| inode(&site.join(p))).collect();
    assert_ne!(third[0], first[0], "the changed branch's page is new");
    assert_eq!(&third[1..], &first[1..], "the other pages are kept");
    let alpha = std::fs::read_to_string(site.join("2026/branch/alpha.html")).unwrap();
    assert!(alpha.contains("四件事") && !alpha.contains("三件事"));

    // A page edited by hand after the build is made again, not kept.
    std::fs::write(site.join("2026/branch/beta.html"), "edited").unwrap();
    let o = build(project.path(), &site, &["--no-pdf"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let beta = std::fs::read_to_string(site.join("2026/branch/beta.html")).unwrap();
    assert!(beta.contains("<!DOCTYPE html>"));
}

#[test]
fn year_filter_and_default_output_folder() {
    let project = copy_fixture("golden");
    let root = project.path().to_str().unwrap();
    let o = run(&["build", "--root", root, "--no-pdf", "--year", "2025"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let site = project.path().join("site");
    assert!(site.join("2025/index.html").is_file());
    assert!(!site.join("2026").exists());
    let o = run(&["build", "--root", root, "--no-pdf", "--year", "2030"]);
    assert_eq!(o.status.code(), Some(1));
}

fn have(tool: &str) -> bool {
    Command::new(tool).arg("--version").output().is_ok()
}

#[test]
fn pdfs_for_every_branch_reproducible_and_reused() {
    if !have("typst") && std::env::var_os("CI").is_none() {
        eprintln!("typst not installed: skipped");
        return;
    }
    let project = copy_fixture("golden");
    let out = tempfile::tempdir().unwrap();
    let a = out.path().join("a");
    let b = out.path().join("b");
    let o = build(project.path(), &a, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    for year in ["2025", "2026"] {
        assert!(a.join(year).join("pdf/annual-report.pdf").is_file());
    }
    for id in ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"] {
        assert!(
            a.join("2026/pdf").join(format!("{id}.pdf")).is_file(),
            "{id}"
        );
    }
    // A second build into a fresh folder gives the same bytes (dates come from the year).
    let o = build(project.path(), &b, &[]);
    assert!(o.status.success());
    let pdfs = |s: &Path| -> Vec<(String, Vec<u8>)> {
        snapshot(s)
            .into_iter()
            .filter(|(p, _)| p.ends_with(".pdf"))
            .collect()
    };
    assert_eq!(pdfs(&a), pdfs(&b));
    // Rebuilding with nothing changed reuses every PDF.
    let o = build(project.path(), &a, &[]);
    assert!(o.status.success());
    assert!(stderr(&o).contains("PDF：0 份新生成"), "{}", stderr(&o));
    // Run from inside the project with the default root and output: relative paths work.
    let o = Command::new(env!("CARGO_BIN_EXE_dangjian"))
        .arg("build")
        .current_dir(project.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(project.path().join("site/2026/pdf/alpha.pdf").is_file());
    // The branch page links its booklet, and the link resolves.
    let page = std::fs::read_to_string(a.join("2026/branch/alpha.html")).unwrap();
    assert!(page.contains("pdf/alpha.pdf"), "branch page links its PDF");
    // The home page links the latest annual report; each year page links its own.
    let home = std::fs::read_to_string(a.join("index.html")).unwrap();
    assert!(
        home.contains("href=\"2026/pdf/annual-report.pdf\""),
        "home links the annual report"
    );
    let y2025 = std::fs::read_to_string(a.join("2025/index.html")).unwrap();
    assert!(
        y2025.contains("href=\"../2025/pdf/annual-report.pdf\""),
        "{}",
        &y2025[..400]
    );
}

#[test]
fn a_year_without_branches_still_builds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/2026/a")).unwrap();
    std::fs::copy(
        fixture("golden").join("indicators.yaml"),
        root.join("indicators.yaml"),
    )
    .unwrap();
    std::fs::write(root.join("content/2026/_org.yaml"), "name: 空区\n").unwrap();
    std::fs::write(root.join("content/2026/a/_org.yaml"), "name: 空街道\n").unwrap();
    let site = root.join("site");
    let pdf = have("typst") || std::env::var_os("CI").is_some();
    let o = build(root, &site, if pdf { &[] } else { &["--no-pdf"] });
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(site.join("2026/index.html").is_file());
    if pdf {
        assert!(site.join("2026/pdf/annual-report.pdf").is_file());
    }
}
