//! Rebuilds end to end: what a build keeps from the previous output and what it makes
//! again. The same program keeps every page, file and PDF (the same inodes: hard links); a
//! changed program, template or font makes again what depends on it, and nothing else.
//! The PDF parts need typst 0.15 (skipped with a message when it is missing, failed under
//! CI).

mod common;
mod pdf_support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;

/// The inode of every file of the site but the bookkeeping, by path.
fn inodes(site: &Path) -> BTreeMap<String, u64> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(site).unwrap().display().to_string())
        .filter(|rel| !rel.starts_with(".dangjian"))
        .map(|rel| {
            let ino = inode(&site.join(&rel));
            (rel, ino)
        })
        .collect()
}

/// The files whose inode is `same` (or not) in `after` as in `before`.
fn kept(before: &BTreeMap<String, u64>, after: &BTreeMap<String, u64>) -> Vec<String> {
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "the same files"
    );
    before
        .iter()
        .filter(|(rel, ino)| after[*rel] == **ino)
        .map(|(rel, _)| rel.clone())
        .collect()
}

fn site_bytes(site: &Path) -> Vec<(String, Vec<u8>)> {
    snapshot(site)
        .into_iter()
        .filter(|(p, _)| !p.starts_with(".dangjian"))
        .collect()
}

/// Runs the program `bin` (a copy of dangjian) with `args`. A program just written may be
/// "busy" for a moment (another test's child, between fork and exec, still holds a handle
/// to it): tried again then.
fn run_program(bin: &Path, args: &[&str]) -> Output {
    for _ in 0..50 {
        match Command::new(bin).args(args).output() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            other => return other.expect("the copied program runs"),
        }
    }
    panic!("{} stayed busy", bin.display());
}

fn ok(o: &Output) {
    assert!(o.status.success(), "{}", stderr(o));
}

/// The PDF line a build prints: (made, kept).
fn pdf_counts(o: &Output) -> Option<(usize, usize)> {
    let err = stderr(o);
    let line = err.lines().find(|l| l.starts_with("PDF："))?;
    let n: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    Some((n[0], n[1]))
}

fn is_pdf(rel: &str) -> bool {
    rel.ends_with(".pdf")
}

#[test]
fn the_same_program_keeps_everything_and_a_changed_one_makes_everything_again() {
    let pdf = pdf_support::require_typst();
    let project = copy_fixture("golden");
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let mut args = vec![
        "build",
        "--root",
        project.path().to_str().unwrap(),
        "--out",
        site.to_str().unwrap(),
        "--year",
        "2026",
    ];
    if !pdf {
        args.push("--no-pdf");
    }
    let this = PathBuf::from(env!("CARGO_BIN_EXE_dangjian"));
    let o = run_program(&this, &args);
    ok(&o);
    let first = inodes(&site);
    let bytes = site_bytes(&site);
    assert!(first.contains_key("2026/branch/alpha.html"));
    assert_eq!(
        first.keys().filter(|p| is_pdf(p)).count(),
        // 7 booklets, the annual report and the rulebook
        if pdf { 9 } else { 0 }
    );

    // The same program again: every file is the previous build's, the rulebook's page and
    // PDF included.
    let o = run_program(&this, &args);
    ok(&o);
    let again = kept(&first, &inodes(&site));
    assert_eq!(again.len(), first.len());
    assert!(again.contains(&"2026/rulebook.html".to_string()));
    if pdf {
        assert!(again.contains(&"2026/pdf/rulebook.pdf".to_string()));
    }
    if pdf {
        assert_eq!(pdf_counts(&o), Some((0, 9)));
    }

    // A copy of the program is the same program: still everything kept.
    let copy = dir.path().join("dangjian-copy");
    std::fs::copy(&this, &copy).unwrap();
    let o = run_program(&copy, &args);
    ok(&o);
    assert_eq!(kept(&first, &inodes(&site)).len(), first.len());

    // Another build of the program (here: the same code with bytes appended, which still
    // runs): every page, copied file and PDF is made again, with the same bytes.
    let changed = dir.path().join("dangjian-changed");
    let mut b = std::fs::read(&this).unwrap();
    b.extend_from_slice(b"another build");
    std::fs::write(&changed, b).unwrap();
    std::fs::set_permissions(
        &changed,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let o = run_program(&changed, &args);
    ok(&o);
    assert_eq!(kept(&first, &inodes(&site)), Vec::<String>::new());
    if pdf {
        assert_eq!(pdf_counts(&o), Some((9, 0)));
    }
    assert_eq!(site_bytes(&site), bytes);

    // And back to this program: made again once more (it is not the last one's).
    let o = run_program(&this, &args);
    ok(&o);
    let back = inodes(&site);
    let o = run_program(&this, &args);
    ok(&o);
    assert_eq!(kept(&back, &inodes(&site)).len(), back.len());
}

/// A theme folder overriding `branch.html` and holding copies of the vendored fonts.
fn theme_with_fonts(dir: &Path) -> PathBuf {
    let theme = dir.join("theme");
    let repo = repo().join("themes/default");
    std::fs::create_dir_all(theme.join("templates")).unwrap();
    std::fs::copy(
        repo.join("templates/branch.html"),
        theme.join("templates/branch.html"),
    )
    .unwrap();
    copy_dir(&repo.join("fonts"), &theme.join("fonts"));
    theme
}

#[test]
fn a_changed_template_makes_the_pages_again_and_a_changed_font_the_pdfs() {
    let pdf = pdf_support::require_typst();
    let project = copy_fixture("golden");
    let dir = tempfile::tempdir().unwrap();
    let theme = theme_with_fonts(dir.path());
    let site = dir.path().join("site");
    let mut extra = vec!["--year", "2026", "--theme", theme.to_str().unwrap()];
    if !pdf {
        extra.push("--no-pdf");
    }
    let o = build(project.path(), &site, &extra);
    ok(&o);
    let first = inodes(&site);
    let bytes = site_bytes(&site);
    let pages: Vec<String> = first
        .keys()
        .filter(|p| p.ends_with(".html"))
        .cloned()
        .collect();
    assert!(pages.len() > 10, "{pages:?}");

    // A template changed (a comment: the pages' bytes stay the same): every page is made
    // again, since a page may include any template; copied files and PDFs are kept.
    append(&theme.join("templates/branch.html"), b"{# changed #}\n");
    let o = build(project.path(), &site, &extra);
    ok(&o);
    let second = inodes(&site);
    let kept_now = kept(&first, &second);
    assert!(
        pages.iter().all(|p| !kept_now.contains(p)),
        "pages kept: {kept_now:?}"
    );
    let others: Vec<String> = first
        .keys()
        .filter(|p| !p.ends_with(".html"))
        .cloned()
        .collect();
    assert_eq!(kept_now, others);
    assert!(kept_now.contains(&"static/style.css".to_string()));
    assert_eq!(site_bytes(&site), bytes);
    if !pdf {
        return;
    }
    assert_eq!(pdf_counts(&o), Some((0, 9)));

    // A font's contents changed (bytes appended, same name): every PDF is made again, and
    // nothing else.
    append(&theme.join("fonts/NotoSerifSC-Regular.otf"), b"\0");
    let o = build(project.path(), &site, &extra);
    ok(&o);
    assert_eq!(pdf_counts(&o), Some((9, 0)));
    let kept_now = kept(&second, &inodes(&site));
    let not_pdfs: Vec<String> = second.keys().filter(|p| !is_pdf(p)).cloned().collect();
    assert_eq!(kept_now, not_pdfs);
}
