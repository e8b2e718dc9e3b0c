//! PDF output through the `typst` CLI: a booklet (考评手册) per branch and the district's
//! annual report (年度报告) per year.
//!
//! * Data reaches the templates as JSON files (the shapes of `themes/default/typst/DATA.md`);
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

pub mod fonts;
pub mod markdown;
pub mod typst;

use crate::diagnostics::{Diagnostic, Pos};
use fonts::Coverage;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::render::reuse::{file_stamp, hex, unchanged};
use std::sync::atomic::{AtomicUsize, Ordering};
use typst::{Typst, TypstMessage};

/// Booklets per typst process in bundle mode (memory grows with the bundle: ~0.7 GB for
/// 100 booklets).
pub const BUNDLE_CHUNK: usize = 100;
/// Typst processes run at the same time (typst itself uses several threads).
pub const MAX_WORKERS: usize = 2;
/// At most this many failed documents are reported (a broken template fails them all).
const MAX_FAILED_REPORTED: usize = 8;
/// Where the fingerprints of the PDFs are kept, relative to the output root.
pub const MANIFEST: &str = ".dangjian/pdf-manifest.json";
const WORK_DIR: &str = ".dangjian/typst-work";

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
    /// The previous output folder, to reuse unchanged PDFs (may not exist).
    pub previous_out: Option<&'a Path>,
}

/// What `render` did.
#[derive(Debug, Clone, Default)]
pub struct PdfReport {
    pub warnings: Vec<Diagnostic>,
    /// Outputs compiled by typst in this run.
    pub compiled: Vec<String>,
    /// Outputs copied unchanged from `previous_out`.
    pub reused: Vec<String>,
    /// Typst processes started (0 when everything was reused).
    pub typst_runs: usize,
}

/// Checks that typst is there and of the supported version (0.15.x); returns the version.
pub fn check_typst() -> Result<String, Diagnostic> {
    typst::locate().map(|t| t.version)
}

/// A job after conversion: the JSON typst reads and its fingerprint.
struct Prepared {
    json: Vec<u8>,
    fingerprint: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct ManifestEntry {
    fingerprint: String,
    sha256: String,
    /// Size and modification time (ns) of the file written: a file that still has them is
    /// the one written, without reading it again. Absent in manifests of older versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    size: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    modified: Option<u128>,
}

impl ManifestEntry {
    /// Whether `file` is the file this entry was written for.
    fn describes(&self, file: &Path) -> bool {
        match (self.size, self.modified) {
            (Some(size), Some(modified)) => unchanged(file, size, modified),
            _ => std::fs::read(file).is_ok_and(|b| hex(&Sha256::digest(&b)) == self.sha256),
        }
    }
}

type Manifest = BTreeMap<String, ManifestEntry>;

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

    // 1. Convert narratives, replace undrawable characters, fingerprint: in parallel, the
    // warnings kept in job order.
    let base = base_fingerprint(&typst, opts, &coverage);
    let converted: Vec<(Prepared, Vec<Diagnostic>)> = jobs
        .par_iter()
        .map(|job| {
            let (data, warnings) = prepare_data(job, &coverage, opts.root);
            let json = serde_json::to_vec(&data).expect("JSON values serialise");
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

/// Moves (or, for a reused file, hard-links or copies) `from` to `dest`; returns the
/// SHA-256 of the file (read only when not `known`), its size and modification time.
fn place(
    from: &Path,
    dest: &Path,
    keep_source: bool,
    known: Option<String>,
) -> std::io::Result<(String, u64, u128)> {
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let _ = std::fs::remove_file(dest);
    if keep_source {
        if std::fs::hard_link(from, dest).is_err() {
            let tmp = dest.with_extension("pdf.tmp");
            std::fs::copy(from, &tmp)?;
            std::fs::rename(&tmp, dest)?;
        }
    } else if std::fs::rename(from, dest).is_err() {
        let tmp = dest.with_extension("pdf.tmp");
        std::fs::copy(from, &tmp)?;
        std::fs::rename(&tmp, dest)?;
    }
    let sha = match known {
        Some(sha) => sha,
        None => hex(&Sha256::digest(std::fs::read(dest)?)),
    };
    let (size, modified) = file_stamp(dest)?;
    Ok((sha, size, modified))
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

/// The part of every fingerprint that does not depend on the job.
fn base_fingerprint(typst: &Typst, opts: &PdfOptions<'_>, coverage: &Coverage) -> Sha256 {
    let mut h = Sha256::new();
    h.update(b"dangjian-pdf/1\0");
    h.update(typst.version.as_bytes());
    h.update([0]);
    let mut theme: Vec<&(String, Vec<u8>)> = opts.theme_typst.iter().collect();
    theme.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, bytes) in theme {
        h.update(name.as_bytes());
        h.update([0]);
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    }
    for (name, size) in &coverage.files {
        h.update(name.as_bytes());
        h.update([0]);
        h.update(size.to_le_bytes());
    }
    h
}

fn read_manifest(path: &Path) -> Manifest {
    std::fs::read(path)
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        .and_then(|v| v.get("pdfs").cloned())
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

fn write_manifest(path: &Path, m: &Manifest) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let v = serde_json::json!({ "schema": "dangjian.pdf-manifest/1", "pdfs": m });
    let mut text = serde_json::to_string_pretty(&v).expect("JSON values serialise");
    text.push('\n');
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

// ---- Data preparation -------------------------------------------------------------------

/// Keys whose string values are never shown (ids, paths for diagnostics).
const HIDDEN_KEYS: [&str; 4] = ["id", "schema", "source", "narrative_source"];

/// Converts the narrative, and replaces every character no font can draw by 〓, with a
/// warning naming where it came from.
fn prepare_data(job: &PdfJob, coverage: &Coverage, root: &Path) -> (Value, Vec<Diagnostic>) {
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

fn uncovered_warning(path: &str, pos: Pos, c: char) -> Diagnostic {
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
fn check_narrative(
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
            let (line, col) = fonts::line_col(md, byte);
            warnings.push(uncovered_warning(&path, Pos::new(line, col), c));
        }
    }
    out
}

/// Finds where a character of a document came from.
struct Locator<'a> {
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
                let (line, col) = fonts::line_col(t, byte);
                return (src.clone(), Pos::new(line, col));
            }
        }
        (
            self.job.sources.first().cloned().unwrap_or_default(),
            Pos::START,
        )
    }
}

/// Calls `f` on every shown string of `v` (not ids, paths or the narrative).
fn replace_strings(v: &mut Value, key: Option<&str>, f: &mut dyn FnMut(&mut String)) {
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

// ---- Compiling --------------------------------------------------------------------------

enum Task {
    /// Several booklets of one creation time through `bundle-booklets.typ`.
    Bundle(Vec<usize>),
    /// One document in its own process.
    Single(usize),
}

type Compiled = (Vec<(usize, PathBuf)>, usize, Vec<Diagnostic>);
/// PDFs of a task (or its errors), and typst's warnings.
type TaskOutcome = Result<Vec<(usize, PathBuf)>, Vec<Diagnostic>>;
type TaskResult = (
    Result<Vec<(usize, PathBuf)>, Vec<Diagnostic>>,
    Vec<Diagnostic>,
);

/// Compiles jobs `todo` in `work`; returns the PDF of each, the number of typst
/// processes and typst's warnings.
fn compile_all(
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
    setup().map_err(|e| {
        vec![Diagnostic::error(
            &work.to_string_lossy(),
            Pos::START,
            format!("无法准备 PDF 工作文件夹：{e}"),
        )]
    })?;

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

fn data_name(i: usize) -> String {
    format!("data/{i:05}.json")
}

struct Ctx<'c, 'a> {
    typst: &'c Typst,
    jobs: &'c [PdfJob],
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

fn is_pdf(p: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 5];
    std::fs::File::open(p)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && &head == b"%PDF-"
}

/// A typst error as a diagnostic of the document's own files.
fn job_error(job: &PdfJob, message: String, m: Option<&TypstMessage>) -> Diagnostic {
    let path = job.sources.first().map_or("", String::as_str);
    let narrative = job.sources.iter().find(|s| s.ends_with(".md"));
    let mut hint = format!("生成 {} 时出错", job.output);
    if let Some(n) = narrative {
        hint.push_str(&format!("；本文档还使用了 {n}"));
    }
    if let Some(f) = m.and_then(|m| m.file.as_deref())
        && f.ends_with(".typ")
    {
        let name = Path::new(f)
            .file_name()
            .map_or(f.to_string(), |n| n.to_string_lossy().into_owned());
        hint.push_str(&format!(
            "；出错位置在主题模板 {name}，若改过主题请检查该文件"
        ));
    }
    Diagnostic::error(path, Pos::START, format!("PDF 生成失败：{message}")).with_hint(hint)
}

fn typst_error_text(m: &TypstMessage) -> String {
    match m.file.as_deref() {
        Some(f) if f.ends_with(".typ") => format!(
            "主题模板 {f} 第 {} 行第 {} 列出错：{}",
            m.line, m.col, m.message
        ),
        Some(f) if f.starts_with("data/") => format!("typst 读取数据出错（{f}）：{}", m.message),
        _ => format!("typst 报错：{}", m.display()),
    }
}

/// Typst's warnings worth showing (not the notice that bundles are experimental).
fn typst_warnings(msgs: &[TypstMessage]) -> Vec<Diagnostic> {
    msgs.iter()
        .filter(|m| !m.error && !m.message.contains("experimental"))
        .map(|m| {
            let file = m
                .file
                .as_deref()
                .map(|f| {
                    Path::new(f)
                        .file_name()
                        .map_or(f.to_string(), |n| n.to_string_lossy().into_owned())
                })
                .unwrap_or_else(|| "typst".to_string());
            Diagnostic::warning(
                &file,
                Pos::new(m.line.max(1), m.col.max(1)),
                format!("typst 警告：{}", m.message),
            )
        })
        .collect()
}
