//! The static HTML site: the view's pages (`crate::view::site`) through the theme's Tera
//! templates, written into the output folder.
//!
//! Layout (relative to the site root): `index.html` (the latest year's page),
//! `<year>/index.html`, `<year>/ranking.html` (and `ranking.<n>.html`, `ranking/<category>.html`,
//! `ranking/<category>.<n>.html`: see [`crate::view::site::RANKING_PAGE`]),
//! `<year>/rectification.html` (and `rectification.<n>.html`), `<year>/org/<ids joined by '.'>.html`,
//! `<year>/branch/<id>.html`, `<year>/indicators.html`, `<year>/rulebook.html`, `static/…` (the theme's static files), `files/…` (files the
//! narratives link to), `search-index.js`. Every link is relative.
//!
//! Each page's variables are built once by the view; no page looks at every branch,
//! except the ranking page and the search index, so the work grows linearly with the
//! branches.

mod markdown;
mod search;
mod templates;
mod value;

use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Pos};
use crate::progress::{self, Stage};
use crate::render::reuse;
use crate::render::theme::Theme;
use crate::view::Ctx;
use crate::view::site::{Site, YearPages};

pub use markdown::to_html as narrative_html;
// The site's paths are the view's; `markdown` links by them.
use crate::view::site::paths;

/// The templates a theme must provide (the default theme has them all).
pub const TEMPLATES: [&str; 7] = [
    "year.html",
    "ranking.html",
    "rectification.html",
    "org.html",
    "branch.html",
    "indicators.html",
    "rulebook.html",
];

/// The pages a partial render makes again: the search index, the files the narratives link
/// to, and the pages of these branches (year, branch index). Every other file of the
/// previous output is kept as it was, unlooked at.
///
/// Right only when nothing but these branches' narratives changed since the previous
/// output was made (by the same program, theme and options): no other page shows a
/// narrative, and a narrative changes no score. `dangjian serve` uses it after an edit of
/// narratives, where fingerprinting every page would cost more than the edit's own page.
pub struct Only {
    pub branches: BTreeSet<(usize, usize)>,
}

/// Writes the whole site into `out` (an empty folder). `years`: indices into
/// `ctx.project.years`; the latest of them is also the home page. `pdf`: whether the PDF
/// booklets are built (`<year>/pdf/<id>.pdf`), so the branch pages may link to them.
/// `outputs`: the previous build's files, whose unchanged ones are linked instead of made
/// again, and this build's (see [`crate::render::reuse`]); the caller saves its manifest.
/// Writing stops at the first file that cannot be written (a full disk, say): that one
/// error is reported. With `only`, just the pages it names are made and every other file
/// of the previous output is kept (see [`Only`]).
pub fn render(
    ctx: &Ctx,
    years: &[usize],
    theme: &Theme,
    pdf: bool,
    out: &Path,
    outputs: &reuse::Outputs,
    only: Option<&Only>,
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let root = &ctx.project.root;
    let tpl = templates::Templates::load(theme.files("templates"), root)?;
    let missing: Vec<Diagnostic> = TEMPLATES
        .iter()
        .filter(|t| !tpl.has(t))
        .map(|t| {
            Diagnostic::error(
                &format!("themes/default/templates/{t}"),
                Pos::START,
                format!("主题缺少模板 {t}"),
            )
            .with_hint("从 dangjian 的 themes/default/templates 复制该文件")
        })
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }

    let site = Site::new(ctx, years, pdf);
    let mut page_base = outputs.hasher("page");
    tpl.fingerprint(&mut page_base);
    let w = Writer {
        out,
        errors: Mutex::new(Vec::new()),
        failed: Mutex::new(BTreeSet::new()),
        stopped: AtomicBool::new(false),
        files: outputs,
        page_base,
        file_base: outputs.hasher("file"),
    };

    if only.is_none() {
        for (rel, path) in theme.files("static") {
            w.copy(&format!("static/{rel}"), &path);
        }
    }

    let mut assets = BTreeSet::new();
    let latest = site.indices.last().copied();
    rayon::join(
        || {
            // The search index does not depend on the pages: made beside them. The latest
            // year first, so that equal matches list this year's pages before last year's.
            let _t = crate::timings::phase("html search index");
            let mut chunks = Vec::new();
            for &y in site.indices.iter().rev() {
                search_chunks(&site.year(y), &mut chunks);
            }
            let parts = search::script_parts(chunks);
            let parts: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
            w.write_parts("search-index.js", &parts);
        },
        || {
            for &y in &site.indices {
                let p = site.year(y);
                let branch_page = |i: usize| {
                    Some(p.branch_page(i, |n, root| {
                        markdown::to_html(&n.markdown, &n.file, &n.assets, root)
                    }))
                };
                if let Some(only) = only {
                    let list: Vec<usize> = only
                        .branches
                        .range((y, 0)..(y + 1, 0))
                        .map(|&(_, i)| i)
                        .collect();
                    w.pages(&tpl, "branch.html", list.len(), |k| branch_page(list[k]));
                } else {
                    // The branch pages are most of the work; the pages cut from the annual
                    // report are rendered beside them, not before them.
                    rayon::join(
                        || {
                            let _t = crate::timings::phase("html report pages");
                            report_pages(&w, &tpl, &p, Some(y) == latest);
                        },
                        || {
                            let _t = crate::timings::phase("html branch pages");
                            let branches = &ctx.project.years[y].branches;
                            w.pages(&tpl, "branch.html", branches.len(), branch_page);
                        },
                    );
                }
                let branches = &ctx.project.years[y].branches;
                for n in branches.iter().filter_map(|b| b.narrative.as_ref()) {
                    assets.extend(n.assets.iter().cloned());
                }
            }
        },
    );
    for a in &assets {
        w.copy(&format!("files/{a}"), &root.join(a));
    }
    let mut errors = w.errors.into_inner().unwrap_or_default();
    if only.is_some() && errors.is_empty() {
        // Everything else is what the previous output has; the files the narratives link
        // to were all made again above (one may be gone).
        let lost = outputs.keep_the_rest(out, |rel| !rel.starts_with("files/"));
        errors.extend(
            lost.iter().map(|rel| {
                Diagnostic::error(rel, Pos::START, "上一次生成的文件已被改动，无法沿用")
            }),
        );
    }
    if errors.is_empty() {
        Ok(Vec::new())
    } else {
        Err(errors)
    }
}

/// The pages cut from the year's annual report: the organisation pages, the year page (and
/// the home page), the ranking and rectification pages and the indicator page. Each builds
/// only its own part: a province's report is never in memory whole.
fn report_pages(w: &Writer, tpl: &templates::Templates, p: &YearPages, home: bool) {
    let orgs = p.org_pages();
    let n = p.ctx().project.years[p.y].orgs.len();
    w.pages(tpl, "org.html", n, |k| p.org_page(&orgs, k));
    drop(orgs);
    {
        let report = p.year_report();
        if home {
            w.page(
                tpl,
                "year.html",
                "index.html",
                &p.year_page(&report, "index.html"),
            );
        }
        let page = format!("{}/index.html", p.year());
        w.page(tpl, "year.html", &page, &p.year_page(&report, &page));
    }
    let rankings = p.rankings();
    let jobs = rankings.pages();
    w.pages(tpl, "ranking.html", jobs.len(), |j| {
        let (k, n) = jobs[j];
        Some(p.ranking_page(&rankings, k, n))
    });
    drop(rankings);
    let parts = p.rectification_parts();
    w.pages(tpl, "rectification.html", parts.len(), |k| {
        Some(p.rectification_page(&parts, k + 1))
    });
    let (file, page) = p.indicators_page();
    w.page(tpl, "indicators.html", &file, &page);
    let (file, page) = p.rulebook_page();
    w.page(tpl, "rulebook.html", &file, &page);
}

/// The year's organisation nodes and branches for the search index, as chunks of
/// [`search::push_doc`] documents, appended to `chunks`: made in parallel, a chunk of
/// branches at a time (the text of each narrative is read out of its Markdown).
fn search_chunks(p: &YearPages, chunks: &mut Vec<Vec<u8>>) {
    const CHUNK: usize = 512;
    let (mut orgs, mut json) = (Vec::new(), Vec::new());
    for doc in p.org_docs() {
        search::push_doc(&mut orgs, &mut json, &doc);
    }
    chunks.push(orgs);
    let n = p.ctx().project.years[p.y].branches.len();
    let starts: Vec<usize> = (0..n).step_by(CHUNK).collect();
    let branches: Vec<Vec<u8>> = starts
        .par_iter()
        .map(|&start| {
            let (mut out, mut json) = (Vec::new(), Vec::new());
            for i in start..(start + CHUNK).min(n) {
                let doc = p.branch_doc(i, markdown::plain_text);
                search::push_doc(&mut out, &mut json, &doc);
            }
            out
        })
        .collect();
    chunks.extend(branches);
}

struct Writer<'a> {
    out: &'a Path,
    errors: Mutex<Vec<Diagnostic>>,
    /// Templates that failed once: not tried again on every other page.
    failed: Mutex<BTreeSet<String>>,
    /// A file could not be written: nothing more is rendered or written.
    stopped: AtomicBool,
    files: &'a reuse::Outputs,
    /// The start of every page's fingerprint: this program and the templates.
    page_base: reuse::Hasher,
    /// The start of every other file's fingerprint: this program.
    file_base: reuse::Hasher,
}

impl Writer<'_> {
    fn error(&self, d: Diagnostic) {
        if let Ok(mut e) = self.errors.lock() {
            e.push(d);
        }
    }

    fn has_failed(&self, name: &str) -> bool {
        self.failed.lock().is_ok_and(|f| f.contains(name))
    }

    fn fail(&self, name: &str) {
        if let Ok(mut f) = self.failed.lock() {
            f.insert(name.to_string());
        }
    }

    /// Writes a file that is not a page (its fingerprint is its bytes), or links the
    /// previous build's identical copy.
    fn write(&self, rel: &str, bytes: &[u8]) {
        self.write_parts(rel, &[bytes]);
    }

    /// [`Self::write`] of the file made of `parts`, one after the other.
    fn write_parts(&self, rel: &str, parts: &[&[u8]]) {
        if self.stopped() {
            return;
        }
        let fingerprint = self.file_base.clone().part_joined(parts).finish();
        if !self.files.reuse(self.out, rel, fingerprint) {
            self.write_file(rel, fingerprint, parts);
        }
    }

    /// Writes `parts` one after the other to the new file `out/rel`, creating its folder,
    /// and records it; the first file that cannot be written stops the writer.
    fn write_file(&self, rel: &str, fingerprint: reuse::Fingerprint, parts: &[&[u8]]) {
        let path = self.out.join(rel);
        match reuse::in_new_folder(&path, |p| reuse::write_new(p, parts)) {
            Ok(stamp) => self.files.record(rel, fingerprint, stamp),
            Err(e) => {
                if !self.stopped.swap(true, Ordering::Relaxed) {
                    self.error(reuse::write_error(&path, &e));
                }
            }
        }
    }

    fn stopped(&self) -> bool {
        self.stopped.load(Ordering::Relaxed)
    }

    /// Renders and writes one page, unless the previous build made it from the same
    /// template and variables: then its file is linked. `Err` is a template error.
    fn render_page(
        &self,
        tpl: &templates::Templates,
        name: &str,
        rel: &str,
        page: &impl Serialize,
    ) -> Result<(), Diagnostic> {
        thread_local! {
            // Reused by every page a thread makes: the page's HTML.
            static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
            // Reused likewise: the converter and the trees it takes back.
            static VALUES: std::cell::RefCell<value::Converter> =
                std::cell::RefCell::new(value::Converter::default());
        }
        if self.stopped() {
            return Ok(());
        }
        let mut fresh = value::Converter::default();
        VALUES.with(|values| {
            // Never borrowed twice on a thread (nothing below renders another page), but a
            // fresh converter is right too.
            let mut values = values.try_borrow_mut();
            let values = values.as_deref_mut().unwrap_or(&mut fresh);
            let vars = match values.convert(page) {
                Ok(serde_json::Value::Object(vars)) => vars,
                Ok(_) | Err(_) => {
                    return Err(Diagnostic::error(
                        rel,
                        Pos::START,
                        "页面数据无法转换为模板变量",
                    ));
                }
            };
            let fingerprint = self
                .page_base
                .clone()
                .part(name.as_bytes())
                .part(rel.as_bytes())
                .part(values.encoding())
                .finish();
            if self.files.reuse(self.out, rel, fingerprint) {
                values.recycle(serde_json::Value::Object(vars));
                return Ok(());
            }
            // The variables are moved into Tera's context, not copied, and taken back after.
            let c = tera::Context::from_value(serde_json::Value::Object(vars)).unwrap_or_default();
            BUF.with_borrow_mut(|buf| {
                buf.clear();
                let rendered = tpl.render_to(name, &c, buf);
                values.recycle_context(c);
                rendered?;
                self.write_file(rel, fingerprint, &[buf]);
                Ok(())
            })
        })
    }

    /// Renders and writes `n` pages of one template in parallel; `make(k)` gives the k-th
    /// page's file and variables.
    fn pages<T, F>(&self, tpl: &templates::Templates, name: &str, n: usize, make: F)
    where
        T: Serialize,
        F: Fn(usize) -> Option<(String, T)> + Sync,
    {
        if self.has_failed(name) {
            return;
        }
        progress::expect(Stage::Pages, n);
        let errors: Vec<Diagnostic> = (0..n)
            .into_par_iter()
            // Once a file could not be written, the remaining pages are not even built.
            .filter(|_| !self.stopped())
            .filter_map(|k| {
                let made = make(k);
                progress::advance(Stage::Pages, 1);
                let (rel, page) = made?;
                self.render_page(tpl, name, &rel, &page).err()
            })
            .collect();
        let mut seen = BTreeSet::new();
        for d in errors {
            if seen.insert(d.message.clone()) {
                self.error(d);
            }
        }
        if !seen.is_empty() {
            self.fail(name);
        }
    }

    fn copy(&self, rel: &str, from: &Path) {
        match std::fs::read(from) {
            Ok(bytes) => self.write(rel, &bytes),
            Err(e) => self.error(Diagnostic::error(
                &from.display().to_string(),
                Pos::START,
                format!("无法读取文件：{e}"),
            )),
        }
    }

    fn page(&self, tpl: &templates::Templates, name: &str, rel: &str, page: &impl Serialize) {
        if self.has_failed(name) {
            return;
        }
        progress::expect(Stage::Pages, 1);
        let rendered = self.render_page(tpl, name, rel, page);
        progress::advance(Stage::Pages, 1);
        if let Err(d) = rendered {
            self.fail(name);
            self.error(d);
        }
    }
}
