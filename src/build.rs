//! `dangjian build`: validate, then write the HTML site and the PDFs into a staging folder
//! beside `--out` ([`staging`]), and swap it in only when everything succeeded, so that a
//! failed build — bad input, a template error, a full or read-only disk — leaves the
//! previous output exactly as it was. One build at a time writes into an output folder
//! ([`lock`]). Unchanged files are kept from the previous output (`render::reuse`).

mod lock;
mod staging;

use std::path::PathBuf;

use crate::diagnostics::{Diagnostic, Pos};
use crate::pipeline::Scored;
use crate::render::pdf::{self, PdfJob, PdfOptions};
use crate::render::reuse::{self, Outputs};
use crate::render::{html, theme::Theme};
use crate::view::{self, Ctx};
pub use lock::lock_path;
use staging::Staging;

pub struct BuildOptions {
    pub root: PathBuf,
    pub out: PathBuf,
    pub year: Option<i32>,
    pub no_pdf: bool,
    pub theme: Option<PathBuf>,
    pub strict: bool,
}

/// What a build said and made. `validation` holds the diagnostics of loading and scoring
/// (none of them an error when `result` is `Ok`).
pub struct Outcome {
    pub validation: Vec<Diagnostic>,
    pub result: Result<Built, Vec<Diagnostic>>,
}

/// A build that succeeded.
pub struct Built {
    pub years: usize,
    pub branches: usize,
    /// `None` with `--no-pdf`.
    pub pdf: Option<PdfCounts>,
    /// Warnings of rendering (the site and the PDFs).
    pub warnings: Vec<Diagnostic>,
}

pub struct PdfCounts {
    pub compiled: usize,
    pub reused: usize,
}

/// Validates, then builds; nothing is printed. When another build is writing into the
/// same output folder, this one waits for it, and `waiting` is given a message saying who
/// that is.
pub fn build(opts: &BuildOptions, waiting: &mut dyn FnMut(&str)) -> Outcome {
    let started = std::time::SystemTime::now();
    let (scored, validation) = crate::pipeline::validate(&opts.root, opts.strict);
    let result = match scored {
        None => Err(Vec::new()),
        Some(scored) => write(opts, &scored, None, started, waiting),
    };
    Outcome { validation, result }
}

/// Builds a project that was already validated and scored (`dangjian serve` keeps it in
/// memory between rebuilds); the same lock, staging and swap as [`build`].
pub fn build_scored(
    opts: &BuildOptions,
    scored: &Scored,
    waiting: &mut dyn FnMut(&str),
) -> Result<Built, Vec<Diagnostic>> {
    write(opts, scored, None, std::time::SystemTime::now(), waiting)
}

/// [`build_scored`] of only the pages `only` names, every other file kept from the previous
/// output (see [`html::Only`]: right only when nothing but those branches' narratives
/// changed since it was made with the same options). No PDFs.
pub fn build_only(
    opts: &BuildOptions,
    scored: &Scored,
    only: &html::Only,
    waiting: &mut dyn FnMut(&str),
) -> Result<Built, Vec<Diagnostic>> {
    if !opts.no_pdf {
        return Err(vec![Diagnostic::error(
            &opts.out.display().to_string(),
            Pos::START,
            "只生成部分页面时不能生成 PDF",
        )]);
    }
    write(
        opts,
        scored,
        Some(only),
        std::time::SystemTime::now(),
        waiting,
    )
}

fn write(
    opts: &BuildOptions,
    scored: &Scored,
    only: Option<&html::Only>,
    started: std::time::SystemTime,
    waiting: &mut dyn FnMut(&str),
) -> Result<Built, Vec<Diagnostic>> {
    let (project, assessment) = (&scored.project, &scored.assessment);
    let years = crate::pipeline::select_years(project, opts.year).map_err(|d| vec![d])?;
    // Absolute, because typst runs in a working folder of its own.
    let root = std::path::absolute(&opts.root).unwrap_or_else(|_| opts.root.clone());
    let out = std::path::absolute(&opts.out).unwrap_or_else(|_| opts.out.clone());
    let theme = Theme::new(&root, opts.theme.as_deref()).map_err(|d| vec![d])?;
    if !opts.no_pdf {
        pdf::check_typst().map_err(|d| vec![d])?;
    }
    let t = crate::timings::phase("view stats");
    let ctx = Ctx::new(project, assessment, Ctx::epoch_from_env());
    drop(t);
    // Held until the new output is in place: the previous output is read under it.
    let _lock = lock::OutputLock::acquire(&out, started, waiting)
        .map_err(|e| vec![reuse::write_error(&out, &e)])?;
    let staging = Staging::create(&out)?;
    let outputs = Outputs::open(out.is_dir().then_some(out.as_path()));
    let t = crate::timings::phase("html");
    if only.is_some() && !out.is_dir() {
        return Err(vec![Diagnostic::error(
            &out.display().to_string(),
            Pos::START,
            "没有上一次生成的网站，不能只生成部分页面",
        )]);
    }
    let mut warnings = html::render(
        &ctx,
        &years,
        &theme,
        !opts.no_pdf,
        &staging.path,
        &outputs,
        only,
    )
    .map_err(|e| staging.shown(e, &out))?;
    drop(t);
    let mut pdf_counts = None;
    if !opts.no_pdf && only.is_none() {
        let font_dir = theme.font_dir().ok_or_else(|| {
            vec![Diagnostic::error(
                "themes/default/fonts",
                Pos::START,
                "找不到字体文件夹（需要 .otf 或 .ttf 字体）",
            )]
        })?;
        let theme_typst = read_theme_files(&theme, "typst")?;
        let t = crate::timings::phase("pdf views");
        let jobs = pdf_jobs(&ctx, &years);
        drop(t);
        let _t = crate::timings::phase("pdf");
        let done = pdf::render(
            &jobs,
            &PdfOptions {
                theme_typst,
                font_dir: &font_dir,
            },
            &outputs,
            &staging.path,
        )
        .map_err(|e| staging.shown(e, &out))?;
        pdf_counts = Some(PdfCounts {
            compiled: done.compiled.len(),
            reused: done.reused.len(),
        });
        warnings.extend(done.warnings);
    }
    let t = crate::timings::phase("commit");
    let manifest = staging.path.join(reuse::MANIFEST);
    outputs
        .save(&staging.path)
        .map_err(|e| staging.shown(vec![reuse::write_error(&manifest, &e)], &out))?;
    staging.commit(&out)?;
    drop(t);
    Ok(Built {
        years: years.len(),
        branches: years.iter().map(|&y| project.years[y].branches.len()).sum(),
        pdf: pdf_counts,
        warnings,
    })
}

fn read_theme_files(theme: &Theme, sub: &str) -> Result<Vec<(String, Vec<u8>)>, Vec<Diagnostic>> {
    theme
        .files(sub)
        .into_iter()
        .filter(|(name, _)| name.ends_with(".typ") && !name.contains('/'))
        .map(|(name, path)| {
            std::fs::read(&path)
                .map(|bytes| (name, bytes))
                .map_err(|e| {
                    vec![Diagnostic::error(
                        &path.display().to_string(),
                        Pos::START,
                        format!("无法读取主题文件：{e}"),
                    )]
                })
        })
        .collect()
}

/// A booklet per branch, the annual report and the rulebook, for every selected year; the views are
/// built in parallel.
pub fn pdf_jobs<'a>(ctx: &'a Ctx, years: &[usize]) -> Vec<PdfJob<'a>> {
    use rayon::prelude::*;
    let mut jobs = Vec::new();
    for &y in years {
        let year = &ctx.project.years[y];
        let epoch = ctx.epoch(y);
        let (booklets, report) = rayon::join(
            || {
                year.branches
                    .par_iter()
                    .enumerate()
                    .map(|(i, b)| {
                        let output = format!("{}/pdf/{}.pdf", year.year, b.id);
                        let booklet = view::booklet::booklet(ctx, y, i, &ctx.stats[y]);
                        PdfJob::booklet(output, booklet, epoch)
                    })
                    .collect::<Vec<_>>()
            },
            || view::report::annual_report(ctx, y, &ctx.stats[y]),
        );
        jobs.extend(booklets);
        let output = format!("{}/pdf/annual-report.pdf", year.year);
        jobs.push(PdfJob::annual_report(output, report, epoch));
        let rulebook = view::rulebook::rulebook(ctx, y);
        let output = view::site::rulebook::rulebook_pdf(year.year);
        jobs.push(PdfJob::rulebook(output, rulebook, epoch));
    }
    jobs
}
