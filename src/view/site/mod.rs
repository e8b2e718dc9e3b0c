//! The pages of the static site, as typed values: what each template reads, cut from the
//! booklet and the annual report a page at a time (the top of the ranking on the year
//! page, pages of 1,000 ranking and rectification rows, each organisation's own branches,
//! the chart of each indicator). `crate::render::html` only renders and writes them.

pub mod branch;
pub mod frame;
pub mod indicators;
pub mod org;
pub mod paths;
pub mod ranking;
pub mod rectification;
pub mod rulebook;
pub mod search;
pub mod year;

use std::collections::{BTreeSet, HashMap};

use super::Ctx;

pub use frame::Page;

/// How many rows of the ranking (and of the movers and the rectification list) the year
/// page shows; the ranking pages have them all.
pub const TOP: usize = 20;

/// Rows on one ranking or rectification page. A province has over a hundred thousand
/// branches: one page of them all would be some 90 MB of HTML that no browser can use (and
/// its view alone took hundreds of megabytes to build).
pub const RANKING_PAGE: usize = 1000;

/// The site as a whole: which years it has, whether it has PDFs.
pub struct Site<'a> {
    pub ctx: &'a Ctx<'a>,
    /// Indices into `ctx.project.years` of the years rendered, oldest first.
    pub indices: Vec<usize>,
    /// Those years, oldest first.
    pub years: Vec<i32>,
    pub latest: Option<i32>,
    /// Whether the PDFs are built, so that pages may link to them.
    pub pdf: bool,
    /// Branch id → the rendered years that have it: for the links between years.
    pub years_of: HashMap<&'a str, Vec<i32>>,
}

impl<'a> Site<'a> {
    /// The site of `years` (indices into `ctx.project.years`; unknown ones and repeats are
    /// dropped).
    pub fn new(ctx: &'a Ctx<'a>, years: &[usize], pdf: bool) -> Site<'a> {
        let mut indices: Vec<usize> = years
            .iter()
            .copied()
            .filter(|&y| y < ctx.project.years.len())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        indices.sort_by_key(|&y| ctx.project.years[y].year);
        let mut years_of: HashMap<&str, Vec<i32>> = HashMap::new();
        for &y in &indices {
            let year = &ctx.project.years[y];
            for b in &year.branches {
                years_of.entry(b.id.as_str()).or_default().push(year.year);
            }
        }
        let years: Vec<i32> = indices.iter().map(|&y| ctx.project.years[y].year).collect();
        Site {
            ctx,
            latest: years.last().copied(),
            indices,
            years,
            pdf,
            years_of,
        }
    }

    /// The pages of year `y` (an index into `ctx.project.years`).
    pub fn year(&'a self, y: usize) -> YearPages<'a> {
        YearPages { site: self, y }
    }
}

/// The pages of one year.
#[derive(Clone, Copy)]
pub struct YearPages<'a> {
    pub site: &'a Site<'a>,
    pub y: usize,
}

impl<'a> YearPages<'a> {
    pub fn ctx(&self) -> &'a Ctx<'a> {
        self.site.ctx
    }

    pub fn year(&self) -> i32 {
        self.site.ctx.project.years[self.y].year
    }
}
