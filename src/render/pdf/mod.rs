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
//!   [`BUNDLE_CHUNK`], two processes at a time); a PDF whose fingerprint (the program,
//!   data, templates, fonts' contents, typst version, creation time: [`fingerprint`])
//!   matches the previous build's, and whose old file is still the one that build left, is
//!   linked from the previous output, not compiled (`render::reuse`: the mechanism the
//!   pages use). Measured on 2 cores, 200 booklets: bundles 5.1 s, one process per booklet
//!   (two at a time) 12.6 s.
//! * Failure: everything is compiled in a work folder first; PDFs are moved into the
//!   staging folder only when every job succeeded, so a failed build leaves no PDF, stale
//!   or half-written. Typst errors are reported against the branch record (and narrative)
//!   the document is made from; a disk that is full or read-only is one error, whoever
//!   met it (typst or this module).

mod compile;
mod data;
mod fingerprint;
pub mod fonts;
mod job;
pub mod markdown;
mod messages;
pub mod typst;

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Pos};
use crate::render::reuse::{self, Outputs};
use compile::compile_all;
pub use compile::{BUNDLE_CHUNK, MAX_WORKERS};
use data::prepare_data;
use fonts::Coverage;
use job::Prepared;
pub use job::{PdfData, PdfJob, PdfOptions, PdfReport, PdfTemplate};

const WORK_DIR: &str = ".dangjian/typst-work";

/// Checks that typst is there and of the supported version (0.15.x); returns the version.
pub fn check_typst() -> Result<String, Diagnostic> {
    typst::locate().map(|t| t.version)
}

/// Writes every job's PDF to `staging/<output>`: kept from the previous output when
/// `outputs` finds it unchanged, compiled otherwise; each is recorded in `outputs` (the
/// caller saves its manifest). `Ok` holds the warnings (characters no font can draw, typst
/// warnings); `Err` the errors, and then no PDF of these jobs is in `staging`.
pub fn render(
    jobs: &[PdfJob],
    opts: &PdfOptions<'_>,
    outputs: &Outputs,
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
    let base = fingerprint::base(outputs, &typst, opts, &coverage);
    let converted: Vec<(Prepared, Vec<Diagnostic>)> = jobs
        .par_iter()
        .map(|job| {
            let (json, warnings) = prepare_data(job, &coverage);
            let fingerprint = fingerprint::of_job(&base, job, &json);
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

    // 2. Keep PDFs whose fingerprint did not change and whose old file is the one the
    // previous build left (same size and modification time).
    let mut to_compile = Vec::new();
    let mut kept = Vec::new();
    for (i, (job, p)) in jobs.iter().zip(&prepared).enumerate() {
        match outputs.previous(&job.output, p.fingerprint) {
            Some(k) => kept.push((i, k)),
            None => to_compile.push(i),
        }
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
            return Err(disk_fault(&errors, staging).map_or(errors, |d| vec![d]));
        }
    };

    // 4. Everything succeeded: move the compiled PDFs into place, link the kept ones; the
    // first that cannot be placed stops it (and removes those placed).
    let mut placed: Vec<PathBuf> = Vec::new();
    let mut error = None;
    for (i, file) in compiled {
        let job = &jobs[i];
        let dest = staging.join(&job.output);
        match reuse::in_new_folder(&dest, |d| reuse::write::move_new(&file, d)) {
            Ok(stamp) => {
                outputs.record(&job.output, prepared[i].fingerprint, stamp);
                report.compiled.push(job.output.clone());
                placed.push(dest);
            }
            Err(e) => {
                error = Some(reuse::write_error(&dest, &e));
                break;
            }
        }
    }
    if error.is_none() {
        for (i, k) in kept {
            let job = &jobs[i];
            match outputs.keep(staging, &job.output, &k) {
                Ok(()) => {
                    report.reused.push(job.output.clone());
                    placed.push(staging.join(&job.output));
                }
                Err(e) => {
                    error = Some(reuse::write_error(&staging.join(&job.output), &e));
                    break;
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    if let Some(e) = error {
        for p in placed {
            let _ = std::fs::remove_file(p);
        }
        return Err(vec![e]);
    }
    Ok(report)
}

/// The one error to report when typst failed because the disk it writes to is full or
/// read-only: every document fails then, and one message says why.
fn disk_fault(errors: &[Diagnostic], staging: &Path) -> Option<Diagnostic> {
    errors.iter().find_map(|d| {
        let text = format!("{} {}", d.message, d.hint.as_deref().unwrap_or(""));
        reuse::write::fault_in_message(&text).map(|e| reuse::write_error(staging, &e))
    })
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
