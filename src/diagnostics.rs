//! One diagnostic type for every problem the tool reports, so that YAML syntax errors,
//! semantic errors and warnings all read the same: `path:line:col: error: message`.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A position in a source file: 1-based line and column, columns counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl Pos {
    pub const START: Pos = Pos { line: 1, col: 1 };
    pub fn new(line: usize, col: usize) -> Pos {
        Pos { line, col }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the project root, with `/` separators.
    pub path: String,
    pub pos: Pos,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(path: &str, pos: Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            path: path.to_string(),
            pos,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(path: &str, pos: Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, pos, message)
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_hint_opt(mut self, hint: Option<String>) -> Diagnostic {
        self.hint = hint;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.path, self.pos.line, self.pos.col, kind, self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "（提示：{hint}）")?;
        }
        Ok(())
    }
}

/// Sorts diagnostics into a stable reading order: by file, then position, errors first.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.path, a.pos, a.severity, &a.message).cmp(&(&b.path, b.pos, b.severity, &b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_as_path_line_col() {
        let d = Diagnostic::error("content/2026/a.yaml", Pos::new(3, 5), "坏了").with_hint("修好");
        assert_eq!(
            d.to_string(),
            "content/2026/a.yaml:3:5: error: 坏了（提示：修好）"
        );
        let w = Diagnostic::warning("x.yaml", Pos::START, "注意");
        assert_eq!(w.to_string(), "x.yaml:1:1: warning: 注意");
    }
}
