//! What the PDF stage is given: one job per document, the options shared by all, and what
//! it reports back.

use std::path::Path;

use serde_json::Value;

use crate::diagnostics::Diagnostic;

/// Which template a document uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfTemplate {
    Booklet,
    AnnualReport,
}

impl PdfTemplate {
    pub fn file(self) -> &'static str {
        match self {
            PdfTemplate::Booklet => "booklet.typ",
            PdfTemplate::AnnualReport => "annual-report.typ",
        }
    }
}

/// One PDF to write.
#[derive(Debug, Clone)]
pub struct PdfJob {
    /// Path of the PDF relative to the output root, `/`-separated, e.g. `2026/pdf/qiaoyi.pdf`.
    pub output: String,
    pub template: PdfTemplate,
    /// The DATA.md shape, except that `narrative` holds the *Markdown* text (or null).
    pub data: Value,
    /// Files (relative to the project root) the document is made from, for diagnostics:
    /// the branch record first, then the narrative (`.md`) if any. For an annual report,
    /// the files whose text it shows (the year's `_org.yaml` files and records).
    pub sources: Vec<String>,
    /// Creation timestamp written into the PDF (seconds since 1970).
    pub epoch: i64,
}

/// Settings shared by all jobs.
#[derive(Debug, Clone)]
pub struct PdfOptions<'a> {
    /// The theme's `.typ` files by file name (user theme already merged over the default).
    pub theme_typst: Vec<(String, Vec<u8>)>,
    /// Folder of the vendored fonts.
    pub font_dir: &'a Path,
    /// Project root: sources are re-read from here to locate uncovered characters.
    pub root: &'a Path,
}

/// What `render` did.
#[derive(Debug, Clone, Default)]
pub struct PdfReport {
    pub warnings: Vec<Diagnostic>,
    /// Outputs compiled by typst in this run.
    pub compiled: Vec<String>,
    /// Outputs kept unchanged from the previous output (linked or copied).
    pub reused: Vec<String>,
    /// Typst processes started (0 when everything was reused).
    pub typst_runs: usize,
}

/// A job after conversion: the JSON typst reads and its fingerprint.
pub(super) struct Prepared {
    pub(super) json: Vec<u8>,
    pub(super) fingerprint: crate::render::reuse::Fingerprint,
}
