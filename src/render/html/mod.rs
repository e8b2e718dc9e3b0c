//! The static HTML site: the view model through the theme's Tera templates.
//!
//! Layout (relative to the site root): `index.html` (the latest year's page),
//! `<year>/index.html`, `<year>/ranking.html` (and `ranking.<n>.html`, `ranking/<category>.html`,
//! `ranking/<category>.<n>.html`: see [`pages::RANKING_PAGE`]), `<year>/rectification.html` (and `rectification.<n>.html`), `<year>/org/<ids joined by '.'>.html`,
//! `<year>/branch/<id>.html`, `<year>/indicators.html`, `static/…` (the theme's static files), `files/…` (files the
//! narratives link to), `search-index.js`. Every link is relative.
//!
//! Each page's context is built once from the view values; no page looks at every branch,
//! except the ranking page and the search index, so the work grows linearly with the
//! branches.

mod markdown;
mod pages;
pub mod paths;
mod search;
mod templates;

use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::diagnostics::{Diagnostic, Pos};
use crate::render::reuse;
use crate::render::theme::Theme;
use crate::view::{Ctx, report};

pub use markdown::to_html as narrative_html;

/// The templates a theme must provide (the default theme has them all).
pub const TEMPLATES: [&str; 6] = [
    "year.html",
    "ranking.html",
    "rectification.html",
    "org.html",
    "branch.html",
    "indicators.html",
];

/// Writes the whole site into `out` (an empty folder). `years`: indices into
/// `ctx.project.years`; the latest of them is also the home page. `pdf`: whether the PDF
/// booklets are built (`<year>/pdf/<id>.pdf`), so the branch pages may link to them.
/// `outputs`: the previous build's files, whose unchanged ones are linked instead of made
/// again, and this build's (see [`crate::render::reuse`]); the caller saves its manifest.
/// Writing stops at the first file that cannot be written (a full disk, say): that one
/// error is reported.
pub fn render(
    ctx: &Ctx,
    years: &[usize],
    theme: &Theme,
    pdf: bool,
    out: &Path,
    outputs: &reuse::Outputs,
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

    let mut years: Vec<usize> = years
        .iter()
        .copied()
        .filter(|&y| y < ctx.project.years.len())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    years.sort_by_key(|&y| ctx.project.years[y].year);
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

    for (rel, path) in theme.files("static") {
        w.copy(&format!("static/{rel}"), &path);
    }

    // Which rendered years hold each branch id: for the links between years.
    let mut years_of: HashMap<&str, Vec<i32>> = HashMap::new();
    for &y in &years {
        let year = &ctx.project.years[y];
        for b in &year.branches {
            years_of.entry(b.id.as_str()).or_default().push(year.year);
        }
    }
    let site = pages::SiteInfo::new(ctx, &years);
    let pages_of = |y: usize| pages::Pages {
        ctx,
        y,
        site: &site,
        pdf,
        years_of: &years_of,
    };
    let mut assets = BTreeSet::new();
    let latest = years.last().copied();
    rayon::join(
        || {
            // The search index does not depend on the pages: made beside them. The latest
            // year first, so that equal matches list this year's pages before last year's.
            let _t = crate::timings::phase("html search index");
            let mut chunks = Vec::new();
            for &y in years.iter().rev() {
                pages_of(y).search_chunks(&mut chunks);
            }
            let parts = search::script_parts(chunks);
            let parts: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
            w.write_parts("search-index.js", &parts);
        },
        || {
            for &y in &years {
                let stats = &ctx.stats[y];
                let p = pages_of(y);
                // The branch pages are most of the work; the pages built from the annual
                // report (one big serial view) are rendered beside them, not before them.
                rayon::join(
                    || {
                        let _t = crate::timings::phase("html report pages");
                        report_pages(&w, &tpl, &p, Some(y) == latest);
                    },
                    || {
                        let _t = crate::timings::phase("html branch pages");
                        let branches = &ctx.project.years[y].branches;
                        w.pages(&tpl, "branch.html", branches.len(), |i| {
                            Some(p.branch_page(i, stats))
                        });
                    },
                );
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
    let errors = w.errors.into_inner().unwrap_or_default();
    if errors.is_empty() {
        Ok(Vec::new())
    } else {
        Err(errors)
    }
}

/// The pages built from the year's annual report view: the organisation pages, the year
/// page (and the home page), the full ranking, the rectification list and the indicator
/// page. The report is built a part at a time, and each part is moved into its page and
/// dropped before the next is built: a province's report is never in memory whole.
fn report_pages(w: &Writer, tpl: &templates::Templates, p: &pages::Pages, home: bool) {
    use report::Parts;
    let (ctx, y) = (p.ctx, p.y);
    let stats = &ctx.stats[y];
    {
        // The organisations, movers and rectification list, the first rows of the ranking
        // and the categories' counts (for the ranking pages).
        let parts = Parts {
            ranking: pages::TOP,
            orgs: true,
            movers: true,
            ..Parts::NONE
        };
        let mut rep = report::annual_report_parts(ctx, y, stats, &parts);
        {
            // Each organisation page builds the rows of its own branches.
            let members = report::org_members(&ctx.assessment.years[y]);
            let orgs: &[serde_json::Value] = rep["orgs"].as_array().map_or(&[], Vec::as_slice);
            w.pages(tpl, "org.html", orgs.len(), |k| {
                p.org_page(&rep, &orgs[k], &members)
            });
        }
        if home {
            w.page(
                tpl,
                "year.html",
                "index.html",
                p.year_page(&rep, "index.html"),
            );
        }
        let page = format!("{}/index.html", p.year());
        w.page(tpl, "year.html", &page, p.year_page(&rep, &page));
        ranking_pages(w, tpl, p, &rep);
        let rect = p.rectification_pages(&mut rep);
        drop(rep);
        w.render_all(tpl, "rectification.html", rect.into_par_iter());
    }
    let parts = Parts {
        indicator_system: true,
        ..Parts::NONE
    };
    let mut rep = report::annual_report_parts(ctx, y, stats, &parts);
    let page = format!("{}/indicators.html", p.year());
    let indicators = p.indicators_page(&mut rep, &page);
    drop(rep);
    w.page(tpl, "indicators.html", &page, indicators);
}

/// The ranking pages, the whole year's then each category's, a page of rows at a time:
/// each page builds only its own rows. `rep`: the report, for its summary and categories.
fn ranking_pages(
    w: &Writer,
    tpl: &templates::Templates,
    p: &pages::Pages,
    rep: &serde_json::Value,
) {
    let (ctx, y) = (p.ctx, p.y);
    let result = &ctx.assessment.years[y];
    let mut lists = vec![pages::RankingList {
        category: None,
        members: result.order.clone(),
    }];
    lists.extend(
        report::category_orders(&ctx.project.years[y], result, &ctx.stats[y])
            .into_iter()
            .map(|(id, members)| pages::RankingList {
                category: Some(id),
                members,
            }),
    );
    let jobs: Vec<(usize, usize)> = lists
        .iter()
        .enumerate()
        .flat_map(|(k, l)| (1..=l.pages()).map(move |n| (k, n)))
        .collect();
    w.pages(tpl, "ranking.html", jobs.len(), |j| {
        let (k, n) = jobs[j];
        Some(p.ranking_page(rep, &lists, k, n))
    });
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

/// A page's variables as Tera's context: moved, not copied.
fn context(vars: pages::Vars) -> tera::Context {
    tera::Context::from_value(serde_json::Value::Object(vars)).unwrap_or_default()
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
        vars: pages::Vars,
    ) -> Result<(), Diagnostic> {
        thread_local! {
            // Reused by every page a thread makes: the page's encoded variables, then its HTML.
            static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        if self.stopped() {
            return Ok(());
        }
        BUF.with_borrow_mut(|buf| {
            buf.clear();
            reuse::encode_object(&vars, buf);
            let fingerprint = self
                .page_base
                .clone()
                .part(name.as_bytes())
                .part(rel.as_bytes())
                .part(buf)
                .finish();
            if self.files.reuse(self.out, rel, fingerprint) {
                return Ok(());
            }
            let c = context(vars);
            buf.clear();
            tpl.render_to(name, &c, buf)?;
            drop(c);
            self.write_file(rel, fingerprint, &[buf]);
            Ok(())
        })
    }

    /// Renders and writes `n` pages of one template in parallel; `make(k)` gives the k-th
    /// page's file and variables.
    fn pages<F>(&self, tpl: &templates::Templates, name: &str, n: usize, make: F)
    where
        F: Fn(usize) -> Option<(String, pages::Vars)> + Sync,
    {
        // Once a file could not be written, the remaining pages' variables are not built.
        let pages = (0..n)
            .into_par_iter()
            .filter(|_| !self.stopped())
            .filter_map(&make);
        self.render_all(tpl, name, pages);
    }

    /// Renders and writes the pages (file, variables) of one template, in parallel. A
    /// failing template is reported once, not once per page.
    fn render_all(
        &self,
        tpl: &templates::Templates,
        name: &str,
        pages: impl ParallelIterator<Item = (String, pages::Vars)>,
    ) {
        if self.has_failed(name) {
            return;
        }
        let errors: Vec<Diagnostic> = pages
            .filter_map(|(rel, vars)| self.render_page(tpl, name, &rel, vars).err())
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

    fn page(&self, tpl: &templates::Templates, name: &str, rel: &str, vars: pages::Vars) {
        if self.has_failed(name) {
            return;
        }
        if let Err(d) = self.render_page(tpl, name, rel, vars) {
            self.fail(name);
            self.error(d);
        }
    }
}
