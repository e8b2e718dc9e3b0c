//! `dangjian build`: validate, then write the HTML site and the PDFs into a staging folder
//! beside `--out`, and swap it in only when everything succeeded, so that a failed build
//! leaves the previous output exactly as it was.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Pos};
use crate::pipeline::Scored;
use crate::render::pdf::{self, PdfJob, PdfOptions};
use crate::render::{html, theme::Theme};
use crate::view::{self, Ctx};

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

/// Validates, then builds; nothing is printed.
pub fn build(opts: &BuildOptions) -> Outcome {
    let (scored, validation) = crate::pipeline::validate(&opts.root, opts.strict);
    let result = match scored {
        None => Err(Vec::new()),
        Some(scored) => write(opts, &scored),
    };
    Outcome { validation, result }
}

fn write(opts: &BuildOptions, scored: &Scored) -> Result<Built, Vec<Diagnostic>> {
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
    let staging = Staging::create(&out)?;
    let t = crate::timings::phase("html");
    let previous = out.is_dir().then_some(out.as_path());
    let mut warnings = html::render(&ctx, &years, &theme, !opts.no_pdf, &staging.path, previous)?;
    drop(t);
    let mut pdf_counts = None;
    if !opts.no_pdf {
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
                previous_out: previous,
            },
            &staging.path,
        )?;
        pdf_counts = Some(PdfCounts {
            compiled: done.compiled.len(),
            reused: done.reused.len(),
        });
        warnings.extend(done.warnings);
    }
    let t = crate::timings::phase("commit");
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

/// A folder beside the output, removed unless committed.
struct Staging {
    path: PathBuf,
    committed: bool,
}

impl Staging {
    fn create(out: &Path) -> Result<Staging, Vec<Diagnostic>> {
        let err = |e: std::io::Error, p: &Path| {
            vec![Diagnostic::error(
                &p.display().to_string(),
                Pos::START,
                format!("无法创建输出文件夹：{e}"),
            )]
        };
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| err(e, parent))?;
        let name = out
            .file_name()
            .map_or("site".into(), |n| n.to_string_lossy().into_owned());
        let path = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if path.exists() {
            let _ = std::fs::remove_dir_all(&path);
        }
        std::fs::create_dir(&path).map_err(|e| err(e, &path))?;
        Ok(Staging {
            path,
            committed: false,
        })
    }

    /// Replaces `out` by the staging folder: two renames, so `out` is never half-written.
    fn commit(mut self, out: &Path) -> Result<(), Vec<Diagnostic>> {
        let err = |e: std::io::Error| {
            vec![Diagnostic::error(
                &out.display().to_string(),
                Pos::START,
                format!("无法替换输出文件夹：{e}"),
            )]
        };
        let old = self.path.with_file_name(format!(
            "{}.old",
            self.path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        ));
        let had_old = out.exists();
        if had_old {
            std::fs::rename(out, &old).map_err(err)?;
        }
        if let Err(e) = std::fs::rename(&self.path, out) {
            if had_old {
                let _ = std::fs::rename(&old, out);
            }
            return Err(err(e));
        }
        self.committed = true;
        if had_old {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}
