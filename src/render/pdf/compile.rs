//! Running typst: booklets in bundles, other documents one per process, a few processes at a
//! time; a failed bundle is compiled booklet by booklet to find the culprit.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

use super::job::{PdfJob, PdfOptions, PdfTemplate, Prepared};
use super::messages::{job_error, typst_error_text, typst_warnings};
use super::typst::{self, Typst, TypstMessage};
use crate::diagnostics::{Diagnostic, Pos};

/// Booklets per typst process in bundle mode (memory grows with the bundle: ~0.7 GB for
/// 100 booklets).
pub const BUNDLE_CHUNK: usize = 100;
/// Typst processes run at the same time (typst itself uses several threads).
pub const MAX_WORKERS: usize = 2;
/// At most this many failed documents are reported (a broken template fails them all).
pub(super) const MAX_FAILED_REPORTED: usize = 8;

enum Task {
    /// Several booklets of one creation time through `bundle-booklets.typ`.
    Bundle(Vec<usize>),
    /// One document in its own process.
    Single(usize),
}

pub(super) type Compiled = (Vec<(usize, PathBuf)>, usize, Vec<Diagnostic>);
/// PDFs of a task (or its errors), and typst's warnings.
pub(super) type TaskOutcome = Result<Vec<(usize, PathBuf)>, Vec<Diagnostic>>;
pub(super) type TaskResult = (
    Result<Vec<(usize, PathBuf)>, Vec<Diagnostic>>,
    Vec<Diagnostic>,
);

/// Compiles jobs `todo` in `work`; returns the PDF of each, the number of typst
/// processes and typst's warnings.
pub(super) fn compile_all(
    typst: &Typst,
    jobs: &[PdfJob],
    prepared: &[Prepared],
    todo: &[usize],
    opts: &PdfOptions<'_>,
    work: &Path,
) -> Result<Compiled, Vec<Diagnostic>> {
    if todo.is_empty() {
        return Ok((Vec::new(), 0, Vec::new()));
    }
    let _ = std::fs::remove_dir_all(work);
    let setup = || -> std::io::Result<()> {
        std::fs::create_dir_all(work.join("data"))?;
        std::fs::create_dir_all(work.join("out"))?;
        for (name, bytes) in &opts.theme_typst {
            std::fs::write(work.join(name), bytes)?;
        }
        for &i in todo {
            std::fs::write(work.join(data_name(i)), &prepared[i].json)?;
        }
        Ok(())
    };
    setup().map_err(|e| vec![crate::render::reuse::write_error(work, &e)])?;

    // Booklets of the same creation time go into bundles, the rest one by one.
    let has_bundle = opts
        .theme_typst
        .iter()
        .any(|(n, _)| n == "bundle-booklets.typ")
        // Escape hatch (and for measuring): DANGJIAN_PDF_BUNDLE=0 compiles one by one.
        && std::env::var_os("DANGJIAN_PDF_BUNDLE").is_none_or(|v| v != "0");
    let mut by_epoch: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    let mut tasks = Vec::new();
    for &i in todo {
        if has_bundle && jobs[i].template == PdfTemplate::Booklet {
            by_epoch.entry(jobs[i].epoch).or_default().push(i);
        } else {
            tasks.push(Task::Single(i));
        }
    }
    let mut bundles = Vec::new();
    for (_, list) in by_epoch {
        for chunk in list.chunks(BUNDLE_CHUNK) {
            if chunk.len() == 1 {
                tasks.push(Task::Single(chunk[0]));
            } else {
                bundles.push(Task::Bundle(chunk.to_vec()));
            }
        }
    }
    bundles.extend(tasks);
    let tasks = bundles;

    let runs = AtomicUsize::new(0);
    let results: Mutex<Vec<TaskOutcome>> = Mutex::default();
    let warnings: Mutex<Vec<Diagnostic>> = Mutex::new(Vec::new());
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MAX_WORKERS)
        .min(tasks.len());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let t = next.fetch_add(1, Ordering::SeqCst);
                    let Some(task) = tasks.get(t) else { break };
                    let ctx = Ctx {
                        typst,
                        jobs,
                        opts,
                        work,
                        runs: &runs,
                    };
                    let (r, w) = match task {
                        Task::Single(i) => {
                            let (r, w) = ctx.single(*i);
                            (r.map(|p| vec![(*i, p)]), w)
                        }
                        Task::Bundle(list) => ctx.bundle(t, list),
                    };
                    warnings.lock().expect("no poisoned lock").extend(w);
                    results.lock().expect("no poisoned lock").push(r);
                }
            });
        }
    });
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for r in results.into_inner().expect("no poisoned lock") {
        match r {
            Ok(f) => files.extend(f),
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        if errors.len() > MAX_FAILED_REPORTED {
            let more = errors.len() - MAX_FAILED_REPORTED;
            let files: std::collections::BTreeSet<&str> = errors[MAX_FAILED_REPORTED..]
                .iter()
                .map(|d| d.path.as_str())
                .collect();
            let first = errors[MAX_FAILED_REPORTED].path.clone();
            let n_files = files.len();
            errors.truncate(MAX_FAILED_REPORTED);
            errors.push(Diagnostic::error(
                &first,
                Pos::START,
                format!("另有 {more} 条 PDF 错误未列出，涉及 {n_files} 个文件（多为同一原因）"),
            ));
        }
        return Err(errors);
    }
    files.sort();
    Ok((
        files,
        runs.into_inner(),
        warnings.into_inner().expect("no poisoned lock"),
    ))
}

pub(super) fn data_name(i: usize) -> String {
    format!("data/{i:05}.json")
}

pub(super) struct Ctx<'c, 'a> {
    typst: &'c Typst,
    jobs: &'c [PdfJob<'c>],
    opts: &'c PdfOptions<'a>,
    work: &'c Path,
    runs: &'c AtomicUsize,
}

impl Ctx<'_, '_> {
    /// One document, one process.
    fn single(&self, i: usize) -> (Result<PathBuf, Vec<Diagnostic>>, Vec<Diagnostic>) {
        let job = &self.jobs[i];
        let out = self.work.join("out").join(format!("{i:05}.pdf"));
        let mut cmd = self
            .typst
            .compile_command(self.work, self.opts.font_dir, job.epoch);
        cmd.args(["--format", "pdf", "--input"])
            .arg(format!("data={}", data_name(i)))
            .arg(self.work.join(job.template.file()))
            .arg(&out);
        self.runs.fetch_add(1, Ordering::SeqCst);
        let output = match cmd.output() {
            Ok(o) => o,
            Err(e) => {
                return (
                    Err(vec![job_error(job, format!("无法运行 typst：{e}"), None)]),
                    Vec::new(),
                );
            }
        };
        let msgs = typst::parse_diagnostics(&typst::output_text(&output));
        let warnings = typst_warnings(&msgs);
        if output.status.success() && is_pdf(&out) {
            return (Ok(out), warnings);
        }
        let _ = std::fs::remove_file(&out);
        let errs: Vec<&TypstMessage> = msgs.iter().filter(|m| m.error).collect();
        let diags = if errs.is_empty() {
            vec![job_error(
                job,
                format!(
                    "typst 未能生成 PDF（退出状态 {}）：{}",
                    output.status,
                    typst::output_text(&output).trim()
                ),
                None,
            )]
        } else {
            errs.into_iter()
                .map(|m| job_error(job, typst_error_text(m), Some(m)))
                .collect()
        };
        (Err(diags), warnings)
    }

    /// Many booklets, one process; on failure each is compiled alone to find the culprit.
    fn bundle(&self, t: usize, list: &[usize]) -> TaskResult {
        let out_dir = self.work.join(format!("bundle-{t:04}"));
        let list_name = format!("data/bundle-{t:04}.json");
        let entries: Vec<Value> = list
            .iter()
            .map(|&i| serde_json::json!({"output": format!("{i:05}.pdf"), "data": data_name(i)}))
            .collect();
        let written = std::fs::create_dir_all(&out_dir).and_then(|_| {
            std::fs::write(
                self.work.join(&list_name),
                serde_json::to_vec(&entries).expect("JSON values serialise"),
            )
        });
        if written.is_ok() {
            let epoch = self.jobs[list[0]].epoch;
            let mut cmd = self
                .typst
                .compile_command(self.work, self.opts.font_dir, epoch);
            cmd.args(["--features", "bundle", "--format", "bundle", "--input"])
                .arg(format!("list={list_name}"))
                .arg(self.work.join("bundle-booklets.typ"))
                .arg(&out_dir);
            self.runs.fetch_add(1, Ordering::SeqCst);
            if let Ok(output) = cmd.output() {
                let files: Vec<(usize, PathBuf)> = list
                    .iter()
                    .map(|&i| (i, out_dir.join(format!("{i:05}.pdf"))))
                    .collect();
                if output.status.success() && files.iter().all(|(_, p)| is_pdf(p)) {
                    let msgs = typst::parse_diagnostics(&typst::output_text(&output));
                    return (Ok(files), typst_warnings(&msgs));
                }
            }
        }
        // Find which booklets fail (and keep the ones that do not: same bytes).
        let mut files = Vec::new();
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        for &i in list {
            if errors.len() >= MAX_FAILED_REPORTED {
                break;
            }
            let (r, w) = self.single(i);
            warnings.extend(w);
            match r {
                Ok(p) => files.push((i, p)),
                Err(e) => errors.extend(e),
            }
        }
        if errors.is_empty() {
            (Ok(files), warnings)
        } else {
            (Err(errors), warnings)
        }
    }
}

pub(super) fn is_pdf(p: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 5];
    std::fs::File::open(p)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && &head == b"%PDF-"
}
