//! The data of each document as typst reads it: the view's booklet or annual report as
//! JSON, the narrative converted from Markdown, and every character no vendored font can
//! draw replaced by 〓, with a warning saying where it was written. Which strings are shown
//! is the view's to say (its `Text` fields), and so is where the user wrote them (the
//! positions the model kept at load time): nothing is read from disk here.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use super::fonts::{self, Coverage};
use super::job::{PdfData, PdfJob};
use super::markdown;
use crate::diagnostics::{Diagnostic, Pos};
use crate::view::booklet::BookletDocument;
use crate::view::text::{self, Source};

/// The JSON typst reads for `job`, and the warnings of the characters no font can draw.
pub(super) fn prepare_data(job: &PdfJob, coverage: &Arc<Coverage>) -> (Vec<u8>, Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    // The characters replaced in shown text, in the order they were first met.
    let found: Rc<RefCell<Vec<char>>> = Rc::default();
    let replace = {
        let (coverage, found) = (Arc::clone(coverage), Rc::clone(&found));
        move |s: &str| {
            if s.chars().all(|c| coverage.covers(c)) {
                return None;
            }
            let mut found = found.borrow_mut();
            for c in s.chars().filter(|&c| !coverage.covers(c)) {
                if !found.contains(&c) {
                    found.push(c);
                }
            }
            Some(coverage.replace_uncovered(s))
        }
    };
    let (json, sources) = match &job.data {
        PdfData::Booklet(b) => {
            let narrative = b.narrative().map(|n| {
                let md = check_narrative(&n.markdown, &n.file, coverage, &mut warnings);
                markdown::markdown_to_typst(&md)
            });
            let doc = BookletDocument {
                booklet: b,
                narrative,
                narrative_source: b.narrative().map(|n| n.file.as_str()),
            };
            let json = text::replacing(replace, || serde_json::to_vec(&doc));
            (json, found_sources(&found, || b.sources()))
        }
        PdfData::AnnualReport(r) => {
            let json = text::replacing(replace, || serde_json::to_vec(r));
            (json, found_sources(&found, || r.sources()))
        }
        PdfData::Rulebook(r) => {
            let json = text::replacing(replace, || serde_json::to_vec(r));
            (json, found_sources(&found, || r.sources()))
        }
    };
    let fallback = job.sources.first().map_or("", String::as_str);
    for &c in found.borrow().iter() {
        let (path, pos) = text::locate(&sources, c).unwrap_or((fallback, Pos::START));
        warnings.push(uncovered_warning(path, pos, c));
    }
    // The view's values always serialise; an empty object would fail in typst, not here.
    (json.unwrap_or_else(|_| b"{}".to_vec()), warnings)
}

/// The sources of a document, made only when a character has to be located.
fn found_sources<'a>(
    found: &Rc<RefCell<Vec<char>>>,
    sources: impl FnOnce() -> Vec<Source<'a>>,
) -> Vec<Source<'a>> {
    if found.borrow().is_empty() {
        Vec::new()
    } else {
        sources()
    }
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

/// Checks the Markdown text of the narrative in `path`; returns it with undrawable
/// characters replaced (the first 20 of them reported where they are).
pub(super) fn check_narrative(
    md: &str,
    path: &str,
    coverage: &Coverage,
    warnings: &mut Vec<Diagnostic>,
) -> String {
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
            warnings.push(uncovered_warning(path, Pos::at(md, byte), c));
        }
    }
    out
}
