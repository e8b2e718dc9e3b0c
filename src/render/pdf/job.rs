//! What the PDF stage is given: one job per document, the options shared by all, and what
//! it reports back.

use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::view::booklet::Booklet;
use crate::view::report::AnnualReport;
use crate::view::rulebook::Rulebook;

/// Which template a document uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfTemplate {
    Booklet,
    AnnualReport,
    Rulebook,
}

impl PdfTemplate {
    pub fn file(self) -> &'static str {
        match self {
            PdfTemplate::Booklet => "booklet.typ",
            PdfTemplate::AnnualReport => "annual-report.typ",
            PdfTemplate::Rulebook => "rulebook.typ",
        }
    }
}

/// What a document shows: the view's booklet, annual report or rulebook.
pub enum PdfData<'a> {
    Booklet(Box<Booklet<'a>>),
    AnnualReport(Box<AnnualReport<'a>>),
    Rulebook(Box<Rulebook<'a>>),
}

/// One PDF to write.
pub struct PdfJob<'a> {
    /// Path of the PDF relative to the output root, `/`-separated, e.g. `2026/pdf/qiaoyi.pdf`.
    pub output: String,
    pub template: PdfTemplate,
    /// The document; the narrative of a booklet is converted to Typst markup, and the
    /// characters no font can draw replaced, when its JSON is written.
    pub data: PdfData<'a>,
    /// Files (relative to the project root) the document is made from, for diagnostics:
    /// the branch record first, then the narrative (`.md`) if any. For an annual report,
    /// the files whose text it shows (the year's `_org.yaml` files and records).
    pub sources: Vec<String>,
    /// Creation timestamp written into the PDF (seconds since 1970).
    pub epoch: i64,
}

impl<'a> PdfJob<'a> {
    /// The booklet of a branch, written to `output`.
    pub fn booklet(output: String, booklet: Booklet<'a>, epoch: i64) -> PdfJob<'a> {
        PdfJob {
            output,
            template: PdfTemplate::Booklet,
            sources: booklet.files(),
            data: PdfData::Booklet(Box::new(booklet)),
            epoch,
        }
    }

    /// The annual report of a year, written to `output`.
    pub fn annual_report(output: String, report: AnnualReport<'a>, epoch: i64) -> PdfJob<'a> {
        PdfJob {
            output,
            template: PdfTemplate::AnnualReport,
            sources: report.files(),
            data: PdfData::AnnualReport(Box::new(report)),
            epoch,
        }
    }
}

impl<'a> PdfJob<'a> {
    /// The rulebook (考核细则) of a year, written to `output`.
    pub fn rulebook(output: String, rulebook: Rulebook<'a>, epoch: i64) -> PdfJob<'a> {
        PdfJob {
            output,
            template: PdfTemplate::Rulebook,
            sources: rulebook.files(),
            data: PdfData::Rulebook(Box::new(rulebook)),
            epoch,
        }
    }
}

/// Settings shared by all jobs.
#[derive(Debug, Clone)]
pub struct PdfOptions<'a> {
    /// The theme's `.typ` files by file name (user theme already merged over the default).
    pub theme_typst: Vec<(String, Vec<u8>)>,
    /// Folder of the vendored fonts.
    pub font_dir: &'a Path,
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
