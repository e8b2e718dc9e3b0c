//! Table-driven bad-input cases (tests/error_places.rs, tests/no_cascades.rs): one small
//! change to a valid fixture, `check` run on it through the real binary, and the one
//! diagnostic expected, at its file, line and column, with no other error and no warning
//! the valid fixture lacks.

use std::path::Path;

use super::{at, check, copy_fixture, fixture};

/// One change to a fixture file.
pub enum Edit {
    /// Replace the first occurrence of `.0` by `.1` (the file must hold it).
    Replace(&'static str, &'static str),
    /// Write the file whole (a new file, or one replaced).
    Write(&'static str),
    Bytes(&'static [u8]),
    Remove,
    RemoveDir,
    /// This many bytes of comment lines.
    Big(usize),
    /// A symbolic link to `.0` (relative to the link's folder).
    Symlink(&'static str),
}

pub struct Case {
    /// What the case is about (printed when it fails).
    pub name: &'static str,
    pub fixture: &'static str,
    pub edits: &'static [(&'static str, Edit)],
    /// Where the diagnostic is: the file (or folder), and the marker its place is at in the
    /// file as edited (`1:1` when empty, as for a whole file or folder; `@line:col` written
    /// out where the text cannot hold a marker).
    pub file: &'static str,
    pub marker: &'static str,
    pub msg: &'static str,
    /// A warning rather than an error (then no error at all is expected).
    pub warning: bool,
}

/// An error case.
pub const fn err(
    fixture: &'static str,
    edits: &'static [(&'static str, Edit)],
    file: &'static str,
    marker: &'static str,
    msg: &'static str,
) -> Case {
    Case {
        name: "",
        fixture,
        edits,
        file,
        marker,
        msg,
        warning: false,
    }
}

impl Case {
    /// The same place and message, as a warning.
    pub const fn warning(self) -> Case {
        Case {
            warning: true,
            ..self
        }
    }
}

pub fn apply(root: &Path, edits: &[(&str, Edit)]) {
    for (rel, edit) in edits {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        match edit {
            Edit::Replace(from, to) => {
                let old = std::fs::read_to_string(&path).unwrap();
                assert!(old.contains(from), "{from:?} not in {rel}");
                std::fs::write(&path, old.replacen(from, to, 1)).unwrap();
            }
            Edit::Write(t) => std::fs::write(&path, t).unwrap(),
            Edit::Bytes(b) => std::fs::write(&path, b).unwrap(),
            Edit::Remove => std::fs::remove_file(&path).unwrap(),
            Edit::RemoveDir => std::fs::remove_dir_all(&path).unwrap(),
            Edit::Big(n) => std::fs::write(&path, "#\n".repeat(n / 2)).unwrap(),
            Edit::Symlink(target) => std::os::unix::fs::symlink(target, &path).unwrap(),
        }
    }
}

/// The warnings `check` gives on the fixture as it is: a broken case may lose some (its
/// scores are not computed) but must add none.
pub fn baseline(name: &str) -> Vec<String> {
    let (code, _, err) = check(&fixture(name));
    assert_eq!(code, 0, "{name} is valid:\n{err}");
    err.lines()
        .filter(|l| l.contains(": warning: "))
        .map(str::to_string)
        .collect()
}

pub fn run_case(c: &Case, baseline: &[String]) -> Result<(), String> {
    let dir = copy_fixture(c.fixture);
    apply(dir.path(), c.edits);
    let (code, _, err) = check(dir.path());
    let text = std::fs::read_to_string(dir.path().join(c.file)).unwrap_or_default();
    let place = match c.marker {
        "" => "1:1".to_string(),
        m if m.starts_with('@') => m[1..].to_string(),
        m => at(&text, m),
    };
    let kind = if c.warning { "warning" } else { "error" };
    let prefix = format!("{}:{place}: {kind}: ", c.file);
    let errors = err.lines().filter(|l| l.contains(": error: ")).count();
    let new_warnings = err
        .lines()
        .filter(|l| l.contains(": warning: ") && !baseline.iter().any(|b| b == l))
        .count();
    let found = err
        .lines()
        .any(|l| l.starts_with(&prefix) && l.contains(c.msg));
    let ok = found
        && if c.warning {
            code == 0 && errors == 0 && new_warnings == 1
        } else {
            code == 1 && errors == 1 && new_warnings == 0
        };
    if ok {
        return Ok(());
    }
    Err(format!(
        "{}: expected only `{prefix}…{}…` and no new warning, exit {code}:\n{err}",
        c.name, c.msg
    ))
}

/// Runs every case; fails once, listing every case that failed.
pub fn run_table(cases: &[Case]) {
    let mut baselines: Vec<(&str, Vec<String>)> = Vec::new();
    let mut failures = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        if !baselines.iter().any(|(f, _)| *f == c.fixture) {
            baselines.push((c.fixture, baseline(c.fixture)));
        }
        let (_, base) = baselines.iter().find(|(f, _)| *f == c.fixture).unwrap();
        if let Err(e) = run_case(c, base) {
            failures.push(format!("case {i} {e}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
