//! The data of each document as typst reads it: the narrative converted from Markdown, and
//! every character no vendored font can draw replaced by 〓, with a warning saying where
//! it came from.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde_json::Value;

use super::fonts::{self, Coverage};
use super::job::PdfJob;
use super::markdown;
use crate::diagnostics::{Diagnostic, Pos};

/// Keys whose string values are never shown (ids, paths for diagnostics).
pub(super) const HIDDEN_KEYS: [&str; 4] = ["id", "schema", "source", "narrative_source"];

/// Converts the narrative, and replaces every character no font can draw by 〓, with a
/// warning naming where it came from.
pub(super) fn prepare_data(
    job: &PdfJob,
    coverage: &Coverage,
    root: &Path,
) -> (Value, Vec<Diagnostic>) {
    let mut data = job.data.clone();
    let mut warnings = Vec::new();
    let mut locator = Locator::new(job, root);

    if let Some(obj) = data.as_object_mut()
        && let Some(n) = obj.get_mut("narrative")
    {
        if let Some(md) = n.as_str() {
            let md = check_narrative(md, coverage, &mut locator, &mut warnings);
            *n = Value::String(markdown::markdown_to_typst(&md));
        } else if !n.is_null() {
            *n = Value::Null;
        }
    }
    replace_strings(&mut data, None, &mut |s: &mut String| {
        let bad = coverage.uncovered(s);
        if bad.is_empty() {
            return;
        }
        let mut done = HashSet::new();
        for (_, c) in bad {
            if done.insert(c) {
                let (path, pos) = locator.in_record(c);
                warnings.push(uncovered_warning(&path, pos, c));
            }
        }
        *s = coverage.replace_uncovered(s);
    });
    (data, warnings)
}

pub(super) fn uncovered_warning(path: &str, pos: Pos, c: char) -> Diagnostic {
    let shown = if c.is_control() || c.is_whitespace() {
        String::new()
    } else {
        format!("“{c}”")
    };
    Diagnostic::warning(
        path,
        pos,
        format!(
            "字符{shown}（{}）不在内置字体中，PDF 中以“〓”代替",
            fonts::code_point(c)
        ),
    )
    .with_hint("改用常用字，或在主题的字体文件夹中加入含有该字的开源字体")
}

/// Checks the Markdown text; returns it with undrawable characters replaced.
pub(super) fn check_narrative(
    md: &str,
    coverage: &Coverage,
    locator: &mut Locator<'_>,
    warnings: &mut Vec<Diagnostic>,
) -> String {
    let path = locator.narrative_path();
    let mut out = String::with_capacity(md.len());
    let mut reported = 0usize;
    for (byte, c) in md.char_indices() {
        // Controls and line separators are dropped or spaced by the converter.
        if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') || coverage.covers(c) {
            out.push(c);
            continue;
        }
        out.push(fonts::PLACEHOLDER);
        reported += 1;
        if reported <= 20 {
            warnings.push(uncovered_warning(&path, Pos::at(md, byte), c));
        }
    }
    out
}

/// Finds where a character of a document came from.
pub(super) struct Locator<'a> {
    job: &'a PdfJob,
    root: &'a Path,
    texts: HashMap<String, Option<String>>,
}

impl<'a> Locator<'a> {
    fn new(job: &'a PdfJob, root: &'a Path) -> Locator<'a> {
        Locator {
            job,
            root,
            texts: HashMap::new(),
        }
    }

    fn narrative_path(&self) -> String {
        self.job
            .data
            .get("narrative_source")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or_else(|| {
                self.job
                    .sources
                    .iter()
                    .find(|s| s.ends_with(".md"))
                    .cloned()
            })
            .or_else(|| self.job.sources.first().cloned())
            .unwrap_or_default()
    }

    /// First occurrence of `c` in the job's non-Markdown sources.
    fn in_record(&mut self, c: char) -> (String, Pos) {
        for src in self.job.sources.iter().filter(|s| !s.ends_with(".md")) {
            let text = self
                .texts
                .entry(src.clone())
                .or_insert_with(|| std::fs::read_to_string(self.root.join(src)).ok());
            if let Some(t) = text
                && let Some(byte) = t.find(c)
            {
                return (src.clone(), Pos::at(t, byte));
            }
        }
        (
            self.job.sources.first().cloned().unwrap_or_default(),
            Pos::START,
        )
    }
}

/// Calls `f` on every shown string of `v` (not ids, paths or the narrative).
pub(super) fn replace_strings(v: &mut Value, key: Option<&str>, f: &mut dyn FnMut(&mut String)) {
    match v {
        Value::String(s) if !key.is_some_and(|k| HIDDEN_KEYS.contains(&k) || k == "narrative") => {
            f(s)
        }
        Value::Array(items) => {
            // `"id": ["wuliqiao"]`, `"org": ["wuliqiao"]`: paths of ids, not shown.
            if key.is_some_and(|k| k == "id" || k == "org") {
                return;
            }
            for item in items {
                replace_strings(item, None, f);
            }
        }
        Value::Object(map) => {
            for (k, item) in map.iter_mut() {
                replace_strings(item, Some(k), f);
            }
        }
        _ => {}
    }
}
