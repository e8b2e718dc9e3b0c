//! Running the real binary on fixture projects.
#![allow(dead_code)]

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
