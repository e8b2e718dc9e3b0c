//! PDF output through the `typst` CLI: a booklet (考评手册) per branch and the district's
//! annual report (年度报告) per year.
//!
//! * Data reaches the templates as JSON files (the view's booklet and annual report, as
//!   `themes/default/typst/DATA.md` documents them);
//!   user text is never pasted into Typst source. The only evaluated string is the
//!   narrative, converted from Markdown by [`markdown`], which escapes all user text.
//! * Fonts: only the vendored ones (`--ignore-system-fonts --font-path …`), PDF/A-2b, a
//!   fixed creation time: the same input gives the same bytes on every machine. A character
//!   none of the fonts can draw is a warning (file, line, code point) and becomes 〓.
//! * Speed: booklets are compiled many per typst process (`--format bundle`, chunks of
//!   [`BUNDLE_CHUNK`], two processes at a time); a PDF whose fingerprint (data, templates,
//!   fonts, typst version, creation time) matches the previous build is copied, not
//!   compiled. Measured on 2 cores, 200 booklets: bundles 5.1 s, one process per booklet
//!   (two at a time) 12.6 s.
//! * Failure: everything is compiled in a work folder first; PDFs are moved into the
//!   staging folder only when every job succeeded, so a failed build leaves no PDF, stale
//!   or half-written. Typst errors are reported against the branch record (and narrative)
//!   the document is made from.

mod compile;
mod data;
pub mod fonts;
mod job;
mod manifest;
pub mod markdown;
mod messages;
pub mod typst;

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use sha2::Digest;

use crate::diagnostics::{Diagnostic, Pos};
use crate::render::reuse::hex;
use compile::compile_all;
pub use compile::{BUNDLE_CHUNK, MAX_WORKERS};
use data::prepare_data;
use fonts::Coverage;
use job::Prepared;
pub use job::{PdfData, PdfJob, PdfOptions, PdfReport, PdfTemplate};
use manifest::{ManifestEntry, base_fingerprint, place, read_manifest, write_manifest};

/// Where the fingerprints of the PDFs are kept, relative to the output root.
pub const MANIFEST: &str = ".dangjian/pdf-manifest.json";
const WORK_DIR: &str = ".dangjian/typst-work";

/// Checks that typst is there and of the supported version (0.15.x); returns the version.
pub fn check_typst() -> Result<String, Diagnostic> {
    typst::locate().map(|t| t.version)
}

/// Writes every job's PDF to `staging/<output>`, and the fingerprints to
/// `staging/.dangjian/pdf-manifest.json`. `Ok` holds the warnings (characters no font
/// can draw, typst warnings); `Err` the errors, and then no PDF of these jobs is in
/// `staging`.
pub fn render(
    jobs: &[PdfJob],
    opts: &PdfOptions<'_>,
    staging: &Path,
) -> Result<PdfReport, Vec<Diagnostic>> {
    let mut report = PdfReport::default();
    if jobs.is_empty() {
        return Ok(report);
    }
    check_jobs(jobs, opts)?;
    // typst runs in a working folder of its own: every path it is given must be absolute.
    let staging_abs = std::path::absolute(staging).unwrap_or_else(|_| staging.to_path_buf());
    let font_abs =
        std::path::absolute(opts.font_dir).unwrap_or_else(|_| opts.font_dir.to_path_buf());
    let opts = &PdfOptions {
        font_dir: &font_abs,
        ..opts.clone()
    };
    let staging = staging_abs.as_path();
    let typst = typst::locate().map_err(|d| vec![d])?;
    let coverage = Coverage::load(opts.font_dir).map_err(|e| {
        vec![Diagnostic::error(
            &opts.font_dir.to_string_lossy(),
            Pos::START,
            e,
        )]
    })?;
    let coverage = std::sync::Arc::new(coverage);

    // 1. Convert narratives, replace undrawable characters, fingerprint: in parallel, the
    // warnings kept in job order.
    let base = base_fingerprint(&typst, opts, &coverage);
    let converted: Vec<(Prepared, Vec<Diagnostic>)> = jobs
        .par_iter()
        .map(|job| {
            let (json, warnings) = prepare_data(job, &coverage);
            let mut h = base.clone();
            h.update(job.template.file().as_bytes());
            h.update([0]);
            h.update(job.epoch.to_le_bytes());
            h.update(&json);
            let fingerprint = hex(&h.finalize());
            (Prepared { json, fingerprint }, warnings)
        })
        .collect();
    let mut seen = HashSet::new();
    let mut prepared = Vec::with_capacity(jobs.len());
    for (p, warnings) in converted {
        for w in warnings {
            if seen.insert((w.path.clone(), w.pos.line, w.pos.col, w.message.clone())) {
                report.warnings.push(w);
            }
        }
        prepared.push(p);
    }

    // 2. Reuse PDFs whose fingerprint did not change and whose file is the one the
    // manifest describes (same size and modification time; a file without them is hashed).
    let previous = opts
        .previous_out
        .map(|p| (p, read_manifest(&p.join(MANIFEST))))
        .filter(|(_, m)| !m.is_empty());
    let mut manifest = read_manifest(&staging.join(MANIFEST));
    let mut to_compile = Vec::new();
    let mut reuse: Vec<(usize, PathBuf, String)> = Vec::new();
    for (i, (job, p)) in jobs.iter().zip(&prepared).enumerate() {
        if let Some((dir, m)) = &previous
            && let Some(e) = m.get(&job.output)
            && e.fingerprint == p.fingerprint
        {
            let old = dir.join(&job.output);
            if e.describes(&old) {
                reuse.push((i, old, e.sha256.clone()));
                continue;
            }
        }
        to_compile.push(i);
    }

    // 3. Compile the rest in a work folder.
    let work = staging.join(WORK_DIR);
    let t = crate::timings::phase("pdf typst");
    let result = compile_all(&typst, jobs, &prepared, &to_compile, opts, &work);
    drop(t);
    let compiled = match result {
        Ok((files, runs, warnings)) => {
            report.typst_runs = runs;
            for w in warnings {
                if seen.insert((w.path.clone(), w.pos.line, w.pos.col, w.message.clone())) {
                    report.warnings.push(w);
                }
            }
            files
        }
        Err(errors) => {
            let _ = std::fs::remove_dir_all(&work);
            return Err(errors);
        }
    };

    // 4. Everything succeeded: move the PDFs into place.
    let mut errors = Vec::new();
    let mut placed: Vec<PathBuf> = Vec::new();
    // Compiled PDFs are moved from the work folder; reused ones are copied (or linked)
    // from the previous output, whose hash is already known.
    let fresh = compiled.into_iter().map(|(i, file)| (i, file, false, None));
    let kept = reuse
        .into_iter()
        .map(|(i, old, sha)| (i, old, true, Some(sha)));
    for (i, from, reused, known) in fresh.chain(kept) {
        let job = &jobs[i];
        let dest = staging.join(&job.output);
        match place(&from, &dest, reused, known) {
            Ok((sha256, size, modified)) => {
                manifest.insert(
                    job.output.clone(),
                    ManifestEntry {
                        fingerprint: prepared[i].fingerprint.clone(),
                        sha256,
                        size: Some(size),
                        modified: Some(modified),
                    },
                );
                let list = if reused {
                    &mut report.reused
                } else {
                    &mut report.compiled
                };
                list.push(job.output.clone());
                placed.push(dest);
            }
            Err(e) => errors.push(io_error(job, &dest, &e)),
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    if errors.is_empty()
        && let Err(e) = write_manifest(&staging.join(MANIFEST), &manifest)
    {
        errors.push(Diagnostic::error(
            MANIFEST,
            Pos::START,
            format!("无法写入 PDF 指纹清单：{e}"),
        ));
    }
    if !errors.is_empty() {
        for p in placed {
            let _ = std::fs::remove_file(p);
        }
        return Err(errors);
    }
    Ok(report)
}

fn io_error(job: &PdfJob, dest: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        job.sources.first().map_or("", String::as_str),
        Pos::START,
        format!("无法写入 PDF {}：{e}", dest.display()),
    )
}

fn check_jobs(jobs: &[PdfJob], opts: &PdfOptions<'_>) -> Result<(), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut outputs = HashSet::new();
    for job in jobs {
        let p = Path::new(&job.output);
        let plain = !job.output.is_empty()
            && job.output.ends_with(".pdf")
            && p.components().all(|c| matches!(c, Component::Normal(_)))
            && !job.output.starts_with(".dangjian");
        let src = job.sources.first().map_or("", String::as_str);
        if !plain {
            errors.push(Diagnostic::error(
                src,
                Pos::START,
                format!("PDF 输出路径无效：{}", job.output),
            ));
        } else if !outputs.insert(job.output.as_str()) {
            errors.push(Diagnostic::error(
                src,
                Pos::START,
                format!("两个文档要写入同一个 PDF：{}", job.output),
            ));
        }
    }
    let names: HashSet<&str> = opts.theme_typst.iter().map(|(n, _)| n.as_str()).collect();
    for (name, _) in &opts.theme_typst {
        if !name.ends_with(".typ") || name.contains(['/', '\\']) || name.starts_with('.') {
            errors.push(Diagnostic::error(
                name,
                Pos::START,
                "主题模板文件名无效（应为 typst 文件夹中的 .typ 文件）",
            ));
        }
    }
    let mut needed: Vec<&str> = jobs.iter().map(|j| j.template.file()).collect();
    needed.sort_unstable();
    needed.dedup();
    for t in needed {
        if !names.contains(t) {
            errors.push(Diagnostic::error(
                t,
                Pos::START,
                format!("主题中缺少 PDF 模板 {t}"),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}
