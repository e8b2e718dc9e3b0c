//! The year page (`<year>/index.html`, and `index.html` for the latest year): the annual
//! report without its long lists, which have pages of their own.

use schemars::JsonSchema;
use serde::Serialize;

use super::frame::Page;
use super::{TOP, YearPages, paths};
use crate::score::Movement;
use crate::view::report::{self, Movers, ReportHead, ReportLists, org_entry, org_members};

/// 年度页面的变量（`year.html`）。
///
/// The variables of the year page (`year.html`).
#[derive(Serialize, JsonSchema)]
pub struct YearPage<'r, 'a> {
    /// 年度报告，去掉了另有页面的长列表。
    ///
    /// The annual report without the long lists that have pages of their own.
    pub report: &'r YearReport<'a>,
    /// 是否为网站首页（`index.html`）。
    ///
    /// Whether this is the home page (`index.html`).
    pub home: bool,
}

/// 年度页面的年度报告。
///
/// The annual report as the year page shows it.
#[derive(Serialize, JsonSchema)]
pub struct YearReport<'a> {
    #[serde(flatten)]
    pub head: ReportHead<'a>,
    #[serde(flatten)]
    pub lists: ReportLists<'a>,
    /// 整改清单的总行数。
    ///
    /// How many rows the whole rectification list has.
    pub rectification_count: usize,
    /// 等次上升和下降的支部总数。
    ///
    /// How many branches rose and fell in all.
    pub movers_count: MoversCount,
    /// 考评周期：整改跟踪（各列表只列前 20 项，个数为全部）、检查覆盖、分组视图均值、评议结果。
    ///
    /// The assessment cycle: the rectification follow-up (each list cut to its first 20,
    /// the counts whole), inspection coverage, the views' group means, the vote results.
    pub cycle: crate::view::cycle::YearCycle<'a>,
}

/// 等次上升和下降的支部数。
///
/// How many branches rose and fell.
#[derive(Serialize, JsonSchema)]
pub struct MoversCount {
    /// 上升。
    ///
    /// Rose.
    pub up: usize,
    /// 下降。
    ///
    /// Fell.
    pub down: usize,
}

impl<'a> YearPages<'a> {
    /// The year page's report, shared by the year page and the home page.
    pub fn year_report(&self) -> YearReport<'a> {
        let ctx = self.ctx();
        let y = self.y;
        let (year, result) = ctx.year(y);
        let stats = &ctx.stats[y];
        let mut rankings = report::rankings(year, result, stats, false);
        for k in &mut rankings {
            k.href = Some(paths::ranking_href(self.year(), Some(k.category.id), 1));
        }
        let district = org_members(result)
            .remove([].as_slice())
            .unwrap_or_default();
        let orgs = (0..year.orgs.len())
            .map(|k| {
                let own: &[usize] = if year.orgs[k].path.is_empty() {
                    &district
                } else {
                    &[]
                };
                org_entry(year, result, k, own, false)
            })
            .collect();
        let rect: Vec<usize> = report::rectification_order(year, result).collect();
        let last = &rect[rect.len().saturating_sub(TOP)..];
        let movers = |m| report::movers_of(ctx, y, m);
        YearReport {
            head: report::head(ctx, y, stats),
            lists: ReportLists {
                ranking: result
                    .ranked()
                    .take(TOP)
                    .map(|b| report::row(year, b))
                    .collect(),
                rankings,
                orgs,
                movers: Movers {
                    up: movers(Movement::Up).take(TOP).collect(),
                    down: movers(Movement::Down).take(TOP).collect(),
                },
                rectification: last
                    .iter()
                    .map(|&i| report::rect_row(year, &result.branches[i]))
                    .collect(),
            },
            rectification_count: rect.len(),
            movers_count: MoversCount {
                up: movers(Movement::Up).count(),
                down: movers(Movement::Down).count(),
            },
            cycle: crate::view::cycle::year(ctx, y, Some(TOP)),
        }
    }

    /// The year page at `path` (`index.html` is the home page).
    pub fn year_page<'r>(
        &self,
        report: &'r YearReport<'a>,
        path: &str,
    ) -> Page<'a, YearPage<'r, 'a>> {
        let title = report.head.title.clone();
        self.frame(
            path,
            "year",
            title,
            vec![self.year_crumb()],
            YearPage {
                report,
                home: path == "index.html",
            },
        )
    }
}
