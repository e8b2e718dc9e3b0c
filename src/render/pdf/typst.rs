//! Locating, version-checking and running the `typst` CLI.

use crate::diagnostics::{Diagnostic, Pos};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The Typst minor version the templates are written for.
pub const REQUIRED_MINOR: &str = "0.15";
/// The version CI installs (`.ci/run`).
pub const PINNED: &str = "0.15.1";

/// Environment variable naming the typst executable to use instead of the one on PATH.
pub const TYPST_ENV: &str = "DANGJIAN_TYPST";

/// A located typst executable of a supported version.
#[derive(Debug, Clone)]
pub struct Typst {
    pub path: PathBuf,
    pub version: String,
}

fn install_hint() -> String {
    format!(
        "安装：cargo install typst-cli --version {PINNED} --locked；或设置环境变量 {TYPST_ENV} 指向 typst 可执行文件"
    )
}

fn typst_diag(message: String) -> Diagnostic {
    Diagnostic::error("typst", Pos::START, message).with_hint(install_hint())
}

/// Candidates in order: `$DANGJIAN_TYPST`, `typst` on PATH, `~/.cargo/bin/typst`.
fn candidates() -> Vec<PathBuf> {
    if let Some(p) = std::env::var_os(TYPST_ENV).filter(|p| !p.is_empty()) {
        return vec![PathBuf::from(p)];
    }
    let mut v = vec![PathBuf::from("typst")];
    if let Some(home) = std::env::var_os("HOME") {
        v.push(Path::new(&home).join(".cargo/bin/typst"));
    }
    v
}

/// Parses `typst 0.15.1 (abc1234)` into `0.15.1`.
pub fn parse_version(stdout: &str) -> Option<String> {
    let mut words = stdout.split_whitespace();
    if words.next()? != "typst" {
        return None;
    }
    let v = words.next()?;
    v.chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit())
        .then(|| v.to_string())
}

/// Whether `version` is one the templates support (0.15.x).
pub fn supported(version: &str) -> bool {
    version
        .strip_prefix(REQUIRED_MINOR)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('-'))
}

/// Finds typst and checks its version, with a clear message when it is missing or wrong.
pub fn locate() -> Result<Typst, Diagnostic> {
    let mut wrong: Option<(PathBuf, String)> = None;
    for path in candidates() {
        let Ok(out) = Command::new(&path).arg("--version").output() else {
            continue;
        };
        let stdout = String::from_utf8_lossy(&out.stdout);
        match parse_version(&stdout) {
            Some(v) if out.status.success() && supported(&v) => {
                return Ok(Typst { path, version: v });
            }
            Some(v) => {
                wrong.get_or_insert((path, v));
            }
            None => {
                wrong.get_or_insert((path, stdout.trim().to_string()));
            }
        }
    }
    Err(match wrong {
        Some((path, v)) => typst_diag(format!(
            "typst 版本不符：{} 的版本是 {}，生成 PDF 需要 typst {REQUIRED_MINOR}.x",
            path.display(),
            if v.is_empty() {
                "（无法识别）".to_string()
            } else {
                v
            }
        )),
        None => typst_diag(format!(
            "找不到 typst 命令：生成 PDF 需要 typst-cli {REQUIRED_MINOR}.x（已在 PATH、~/.cargo/bin 中查找）"
        )),
    })
}

impl Typst {
    /// A `typst compile` command with the flags every PDF shares: vendored fonts only,
    /// PDF/A-2b, a fixed creation time, short diagnostics, and none of the `TYPST_*`
    /// environment variables that could change the result.
    pub fn compile_command(&self, root: &Path, font_dir: &Path, epoch: i64) -> Command {
        let mut cmd = Command::new(&self.path);
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("TYPST_") {
                cmd.env_remove(&k);
            }
        }
        cmd.env_remove("SOURCE_DATE_EPOCH");
        // Typst names files relative to its working directory: run it in the root.
        cmd.current_dir(root)
            .arg("compile")
            .arg("--root")
            .arg(root)
            .arg("--ignore-system-fonts")
            .arg("--font-path")
            .arg(font_dir)
            .args(["--pdf-standard", "a-2b"])
            .arg("--creation-timestamp")
            .arg(epoch.to_string())
            .args(["--diagnostic-format", "short"]);
        cmd
    }
}

/// One problem typst reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypstMessage {
    /// File as typst names it (relative to `--root`), when given.
    pub file: Option<String>,
    pub line: usize,
    pub col: usize,
    pub error: bool,
    pub message: String,
}

impl TypstMessage {
    /// `booklet.typ:12:3: unknown variable: x` (or the bare message).
    pub fn display(&self) -> String {
        match &self.file {
            Some(f) => format!("{f}:{}:{}: {}", self.line, self.col, self.message),
            None => self.message.clone(),
        }
    }
}

/// Parses typst's `--diagnostic-format short` output: `path:line:col: error: msg`,
/// `error: msg`, and the `hint:` lines that follow (appended to the message).
pub fn parse_diagnostics(stderr: &str) -> Vec<TypstMessage> {
    let mut out: Vec<TypstMessage> = Vec::new();
    for line in stderr.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            continue;
        }
        if let Some(m) = parse_line(line) {
            out.push(m);
        } else if let Some(last) = out.last_mut() {
            let extra = line.trim();
            let extra = extra.split_once(": hint: ").map_or(extra, |(_, h)| h);
            last.message.push('；');
            last.message.push_str(extra);
        }
    }
    out
}

fn parse_line(line: &str) -> Option<TypstMessage> {
    for (tag, error) in [(": error: ", true), (": warning: ", false)] {
        if let Some((loc, msg)) = line.split_once(tag) {
            let mut parts = loc.rsplitn(3, ':');
            let col = parts.next()?.trim().parse().ok();
            let lno = parts.next().and_then(|l| l.trim().parse().ok());
            let file = parts.next();
            return Some(match (file, lno, col) {
                (Some(f), Some(l), Some(c)) => TypstMessage {
                    file: Some(f.to_string()),
                    line: l,
                    col: c,
                    error,
                    message: msg.to_string(),
                },
                _ => TypstMessage {
                    file: Some(loc.to_string()),
                    line: 0,
                    col: 0,
                    error,
                    message: msg.to_string(),
                },
            });
        }
    }
    for (tag, error) in [("error: ", true), ("warning: ", false)] {
        if let Some(msg) = line.strip_prefix(tag) {
            return Some(TypstMessage {
                file: None,
                line: 0,
                col: 0,
                error,
                message: msg.to_string(),
            });
        }
    }
    None
}

/// stderr and stdout of a finished process, as text.
pub fn output_text(o: &Output) -> String {
    let mut s = String::from_utf8_lossy(&o.stderr).into_owned();
    s.push_str(&String::from_utf8_lossy(&o.stdout));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(
            parse_version("typst 0.15.1 (unknown commit)\n").as_deref(),
            Some("0.15.1")
        );
        assert_eq!(
            parse_version("typst 0.14.0 (abc)").as_deref(),
            Some("0.14.0")
        );
        assert_eq!(parse_version("something else"), None);
        assert!(supported("0.15.1"));
        assert!(supported("0.15.0-rc1"));
        assert!(!supported("0.14.2"));
        assert!(!supported("0.150.0"));
        assert!(!supported("1.15.0"));
    }

    #[test]
    fn short_diagnostics() {
        let err = "booklet.typ:12:3: error: unknown variable: foo\n  hint: if you meant to display multiple letters as is, try adding spaces\nwarning: bundle export is experimental\nerror: PDF/A-2b error: missing glyph\n";
        let d = parse_diagnostics(err);
        assert_eq!(d.len(), 3);
        assert_eq!(d[0].file.as_deref(), Some("booklet.typ"));
        assert_eq!((d[0].line, d[0].col), (12, 3));
        assert!(d[0].error);
        assert!(d[0].message.starts_with("unknown variable: foo；"));
        assert!(!d[1].error);
        assert_eq!(d[2].file, None);
        assert_eq!(d[2].display(), "PDF/A-2b error: missing glyph");
        assert_eq!(
            d[0].display().split('；').next(),
            Some("booklet.typ:12:3: unknown variable: foo")
        );
        let win = parse_diagnostics("C:\\w\\a.typ:1:2: error: x");
        assert_eq!(win[0].file.as_deref(), Some("C:\\w\\a.typ"));
    }
}
