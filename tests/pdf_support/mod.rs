//! Shared by the `pdf_*` integration tests: finding the external tools, the default theme.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether the tool answers. When it does not: under CI (`CI` set) the test fails, else
/// it is skipped with a message (returns false).
pub fn require(tool: &str, arg: &str) -> bool {
    let ok = Command::new(tool)
        .arg(arg)
        .output()
        .map(|o| o.status.success() || !o.stdout.is_empty() || !o.stderr.is_empty())
        .unwrap_or(false);
    if !ok {
        if std::env::var_os("CI").is_some() {
            panic!("`{tool}` is required under CI but was not found on PATH");
        }
        eprintln!("SKIPPED: `{tool}` is not on PATH (install it to run this test)");
    }
    ok
}

/// typst (0.15.x) is there; same CI rule as [`require`].
pub fn require_typst() -> bool {
    match dangjian::render::pdf::check_typst() {
        Ok(_) => true,
        Err(d) => {
            if std::env::var_os("CI").is_some() {
                panic!("typst is required under CI: {d}");
            }
            eprintln!("SKIPPED: {d}");
            false
        }
    }
}

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn font_dir() -> PathBuf {
    manifest_dir().join("themes/default/fonts")
}

/// The default theme's `.typ` files, by name.
pub fn default_theme() -> Vec<(String, Vec<u8>)> {
    let dir = manifest_dir().join("themes/default/typst");
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "typ"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

pub fn fixture(name: &str) -> PathBuf {
    manifest_dir().join("tests/fixtures/pdf").join(name)
}

/// Text of a PDF (`pdftotext -enc UTF-8`), whitespace removed.
pub fn pdf_text(pdf: &Path) -> String {
    let o = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("run pdftotext");
    assert!(o.status.success(), "pdftotext failed on {}", pdf.display());
    String::from_utf8(o.stdout)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Every `.pdf` under `dir`.
pub fn pdfs_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(pdfs_under(&p));
            } else if p.extension().is_some_and(|e| e == "pdf") {
                out.push(p);
            }
        }
    }
    out
}
