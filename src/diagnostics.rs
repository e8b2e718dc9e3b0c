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
    /// No place in a file: the diagnostic is about a folder (printed as `path: …`).
    pub const NONE: Pos = Pos { line: 0, col: 0 };
    pub fn new(line: usize, col: usize) -> Pos {
        Pos { line, col }
    }

    /// The position of the character at byte offset `byte` of a file's `text`. Line ends
    /// are `\n` (a `\r` before it belongs to the line, as in the loader); a BOM at the
    /// start of the file is not a column, since no editor shows it.
    pub fn at(text: &str, byte: usize) -> Pos {
        let before = &text[..byte.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let mut col = before[line_start..].chars().count() + 1;
        if line == 1 && text.starts_with('\u{feff}') && byte > 0 {
            col -= 1;
        }
        Pos::new(line, col)
    }
}

/// A place in a workbook (an imported Excel file): a sheet and, when there is one, an A1
/// cell. Shown as `book.xlsx:会议!C17` instead of a line and column.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SheetPlace {
    /// `None` for the workbook as a whole.
    pub sheet: Option<String>,
    pub cell: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the project root, with `/` separators (a workbook: as given).
    pub path: String,
    pub pos: Pos,
    pub message: String,
    pub hint: Option<String>,
    /// Set for a workbook: then `pos` is not shown. Boxed: most diagnostics have none.
    pub sheet: Option<Box<SheetPlace>>,
}

impl Diagnostic {
    pub fn error(path: &str, pos: Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            path: path.to_string(),
            pos,
            message: message.into(),
            hint: None,
            sheet: None,
        }
    }

    /// Points the diagnostic at a workbook's sheet and cell instead of a line and column.
    pub fn in_sheet(mut self, sheet: Option<&str>, cell: Option<String>) -> Diagnostic {
        self.sheet = Some(Box::new(SheetPlace {
            sheet: sheet.map(str::to_string),
            cell,
        }));
        self.pos = Pos::default();
        self
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
        match self.sheet.as_deref() {
            // A folder or a whole file (Pos::NONE): no line to give.
            None if self.pos.line == 0 => write!(f, "{}", self.path)?,
            None => write!(f, "{}:{}:{}", self.path, self.pos.line, self.pos.col)?,
            Some(SheetPlace { sheet: None, .. }) => write!(f, "{}", self.path)?,
            Some(SheetPlace {
                sheet: Some(sheet),
                cell,
            }) => {
                write!(f, "{}:{sheet}", self.path)?;
                if let Some(cell) = cell {
                    write!(f, "!{cell}")?;
                }
            }
        }
        write!(f, ": {kind}: {}", self.message)?;
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
    fn positions_count_characters_not_bytes_nor_the_bom() {
        let text = "name: 张三\nsecretary: 李𠀀\n";
        assert_eq!(Pos::at(text, text.find('𠀀').unwrap()), Pos::new(2, 13));
        assert_eq!(Pos::at(text, 0), Pos::START);
        let bom = "\u{feff}名𠀀";
        assert_eq!(Pos::at(bom, bom.find('𠀀').unwrap()), Pos::new(1, 2));
        let t = "第一行\n中文[链接](x.png)";
        assert_eq!(Pos::at(t, t.find('[').unwrap()), Pos::new(2, 3));
    }

    #[test]
    fn displays_as_path_line_col() {
        let d = Diagnostic::error("content/2026/a.yaml", Pos::new(3, 5), "坏了").with_hint("修好");
        assert_eq!(
            d.to_string(),
            "content/2026/a.yaml:3:5: error: 坏了（提示：修好）"
        );
        let w = Diagnostic::warning("x.yaml", Pos::START, "注意");
        assert_eq!(w.to_string(), "x.yaml:1:1: warning: 注意");
        let folder = Diagnostic::warning("content/2026", Pos::NONE, "文件夹");
        assert_eq!(folder.to_string(), "content/2026: warning: 文件夹");
    }

    #[test]
    fn workbook_places_show_sheet_and_cell() {
        let d = Diagnostic::error("lj.xlsx", Pos::START, "日期不存在")
            .in_sheet(Some("会议"), Some("C17".into()))
            .with_hint("改");
        assert_eq!(
            d.to_string(),
            "lj.xlsx:会议!C17: error: 日期不存在（提示：改）"
        );
        let s = Diagnostic::warning("lj.xlsx", Pos::START, "x").in_sheet(Some("会议"), None);
        assert_eq!(s.to_string(), "lj.xlsx:会议: warning: x");
        let b = Diagnostic::error("lj.xlsx", Pos::START, "坏").in_sheet(None, None);
        assert_eq!(b.to_string(), "lj.xlsx: error: 坏");
    }
}
