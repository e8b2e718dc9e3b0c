//! What a PDF's fingerprint covers: the program (every fingerprint starts from it), typst's
//! version, the theme's typst files, the contents of the fonts (hashed once per build, while
//! their character maps are read), and for each document its template, creation time and
//! data.

use super::fonts::Coverage;
use super::job::{PdfJob, PdfOptions};
use super::typst::Typst;
use crate::render::reuse::{Fingerprint, Hasher, Outputs};

/// The part of every PDF's fingerprint that does not depend on the document.
pub(super) fn base(
    outputs: &Outputs,
    typst: &Typst,
    opts: &PdfOptions<'_>,
    coverage: &Coverage,
) -> Hasher {
    let mut h = outputs.hasher("pdf");
    h.part(typst.version.as_bytes());
    let mut theme: Vec<&(String, Vec<u8>)> = opts.theme_typst.iter().collect();
    theme.sort_by(|a, b| a.0.cmp(&b.0));
    h.part(&(theme.len() as u64).to_le_bytes());
    for (name, bytes) in theme {
        h.part(name.as_bytes()).part(bytes);
    }
    h.part(&(coverage.files.len() as u64).to_le_bytes());
    for (name, digest) in &coverage.files {
        h.part(name.as_bytes()).part(&digest.to_le_bytes());
    }
    h
}

/// The fingerprint of one document whose data typst reads as `json`.
pub(super) fn of_job(base: &Hasher, job: &PdfJob, json: &[u8]) -> Fingerprint {
    base.clone()
        .part(job.template.file().as_bytes())
        .part(&job.epoch.to_le_bytes())
        .part(json)
        .finish()
}
