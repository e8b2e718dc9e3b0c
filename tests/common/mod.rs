//! Running the real binary on fixture projects.
#![allow(dead_code)]

pub mod cases;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dangjian"))
        .args(args)
        .output()
        .expect("the binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `score --format json` on a root, parsed; panics with stderr when it fails.
pub fn score_json(root: &Path, extra: &[&str]) -> serde_json::Value {
    let root = root.to_string_lossy();
    let mut args = vec!["score", "--root", &root, "--format", "json"];
    args.extend_from_slice(extra);
    let o = run(&args);
    assert!(o.status.success(), "score failed: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("valid JSON")
}

/// The bundled example project (`content/` and the default `indicators.yaml`) in a fresh
/// temporary folder that a test may change.
pub fn copy_example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&repo().join("content"), &dir.path().join("content"));
    std::fs::copy(
        repo().join("indicators.yaml"),
        dir.path().join("indicators.yaml"),
    )
    .expect("copy indicators.yaml");
    dir
}

/// The keys of a branch record that hold a year's ledgers (what `new-year` leaves behind).
pub const LEDGER_KEYS: [&str; 8] = [
    "meetings:",
    "checklists:",
    "surveys:",
    "facts:",
    "incidents:",
    "ratings:",
    "honors:",
    "self_scores:",
];

/// Copies a fixture tree into a fresh temporary folder that a test may change.
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixture(name), dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read fixture") {
        let e = e.expect("entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy");
        }
    }
}

/// `dangjian build --root ROOT --out OUT EXTRA…`.
pub fn build(root: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "build",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run(&args)
}

/// Every file under `root` (path relative to it, bytes), in path order.
pub fn snapshot(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(root).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(root).unwrap().display().to_string();
            out.push((rel, std::fs::read(e.path()).unwrap()));
        }
    }
    out
}

/// The file's inode: the same inode after a rebuild means the file was linked from the
/// previous build, not made again.
pub fn inode(p: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(p).unwrap().ino()
}

/// Appends `bytes` to the file at `path`.
pub fn append(path: &Path, bytes: &[u8]) {
    use std::io::Write as _;
    std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .unwrap()
        .write_all(bytes)
        .unwrap();
}

/// `build --out <root>/site` with `extra` arguments; panics with stderr when it fails.
/// Returns the output folder and what the build printed on stderr.
pub fn build_site(root: &Path, extra: &[&str]) -> (PathBuf, String) {
    let out = root.join("site");
    let (root_s, out_s) = (root.to_string_lossy(), out.to_string_lossy());
    let mut args = vec!["build", "--root", &root_s, "--out", &out_s];
    args.extend_from_slice(extra);
    let o = run(&args);
    let err = stderr(&o);
    assert!(o.status.success(), "build failed: {err}");
    (out, err)
}

/// The branch `id` of `year` in `score --format json`'s array.
pub fn branch<'a>(all: &'a serde_json::Value, year: i64, id: &str) -> &'a serde_json::Value {
    all.as_array()
        .unwrap()
        .iter()
        .find(|b| b["year"] == year && b["id"] == id)
        .unwrap_or_else(|| panic!("no branch {year}/{id}"))
}

/// `line:col` (1-based, columns in characters) of the first occurrence of `marker`.
pub fn at(text: &str, marker: &str) -> String {
    let i = text
        .find(marker)
        .unwrap_or_else(|| panic!("marker {marker:?} not in text"));
    let before = &text[..i];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |p| p + 1)..]
        .chars()
        .count()
        + 1;
    format!("{line}:{col}")
}

/// `check` on a root: (exit code, stdout, stderr).
pub fn check(root: &Path) -> (i32, String, String) {
    let o = run(&["check", "--root", &root.to_string_lossy()]);
    (o.status.code().unwrap_or(-1), stdout(&o), stderr(&o))
}

/// A fresh copy of fixture `name` with `text` written to `rel`.
pub fn fixture_with(name: &str, rel: &str, text: &str) -> tempfile::TempDir {
    let dir = copy_fixture(name);
    let path = dir.path().join(rel);
    std::fs::create_dir_all(path.parent().expect("a file in a folder")).expect("mkdir");
    std::fs::write(&path, text).expect("write");
    dir
}

/// Asserts that `err` holds an error at `rel`, at the place of `marker` in `text` (`1:1`
/// when `marker` is empty), whose message contains `msg`.
pub fn assert_error_at(err: &str, rel: &str, text: &str, marker: &str, msg: &str) {
    let place = if marker.is_empty() {
        "1:1".to_string()
    } else {
        at(text, marker)
    };
    let prefix = format!("{rel}:{place}: error: ");
    assert!(
        err.lines()
            .any(|l| l.starts_with(&prefix) && l.contains(msg)),
        "expected `{prefix}…{msg}…` in:\n{err}"
    );
}

/// The text a reader sees in an HTML fragment: tags dropped, the escaper's entities decoded,
/// whitespace removed (so that assertions do not depend on the templates' line breaks).
pub fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag && !c.is_whitespace() => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
}
