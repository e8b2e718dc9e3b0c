//! The ranking pages: the year's branches, then each category's, in ranking order, cut
//! into pages of [`RANKING_PAGE`] rows, each page building only its own rows.

use schemars::JsonSchema;
use serde::Serialize;

use super::frame::{Crumb, Page, Pager, crumb, pager};
use super::{RANKING_PAGE, YearPages, paths};
use crate::view::report::{self, CategoryRanking, Row, Summary};

/// 排名页面的变量（`ranking.html`）。
///
/// The variables of a ranking page (`ranking.html`).
#[derive(Serialize, JsonSchema)]
pub struct RankingPage<'r, 'a> {
    /// 本页的排名行（类别排名页上 `rank` 为类别内名次，`rank_overall` 为全区名次）。
    ///
    /// This page's rows (on a category's page `rank` is the rank within the category and
    /// `rank_overall` the year's).
    pub ranking: Vec<Row<'a>>,
    /// 全区排名页为 null，类别排名页为该类别的概况（不含排名行）。
    ///
    /// Null on the year's ranking, else the category's figures (without rows).
    pub category: Option<&'r CategoryRanking<'a>>,
    /// 各个排名：全区，然后每个类别。
    ///
    /// Every ranking: the year's, then each category's.
    pub lists: Vec<RankingLink<'a>>,
    /// 分页。
    ///
    /// The pager.
    pub pager: Pager,
    /// 全区概况。
    ///
    /// The district in figures.
    pub summary: &'r Summary<'a>,
    /// 年度。
    ///
    /// The year.
    pub year: i32,
}

/// 一个排名的链接。
///
/// A link to one ranking.
#[derive(Serialize, JsonSchema)]
pub struct RankingLink<'a> {
    /// “全部支部”或类别名称。
    ///
    /// 全部支部 or the category's label.
    pub label: crate::view::text::Text<'a>,
    /// 支部数。
    ///
    /// How many branches it has.
    pub branches: usize,
    /// 第一页的链接（相对于网站根目录）。
    ///
    /// The href of its first page, from the site root.
    pub href: String,
    /// 是否为本页所属的排名。
    ///
    /// Whether this page belongs to it.
    pub current: bool,
}

/// One ranking of the site: the whole year (`category` `None`) or one category's branches,
/// in ranking order (indices into the year's results), cut into pages of [`RANKING_PAGE`].
pub struct RankingList<'a> {
    pub category: Option<&'a str>,
    pub members: Vec<usize>,
}

impl RankingList<'_> {
    /// How many pages (at least one, even for an empty list).
    pub fn pages(&self) -> usize {
        self.members.len().div_ceil(RANKING_PAGE).max(1)
    }

    /// The members on page `number` (from 1).
    pub fn page(&self, number: usize) -> &[usize] {
        let start = (number.max(1) - 1) * RANKING_PAGE;
        let end = (start + RANKING_PAGE).min(self.members.len());
        self.members.get(start..end).unwrap_or(&[])
    }
}

/// What every ranking page of a year shares: the lists, each category's figures, the
/// summary.
pub struct Rankings<'a> {
    pub lists: Vec<RankingList<'a>>,
    pub categories: Vec<CategoryRanking<'a>>,
    pub summary: Summary<'a>,
}

impl Rankings<'_> {
    /// Every page as (list, page number).
    pub fn pages(&self) -> Vec<(usize, usize)> {
        self.lists
            .iter()
            .enumerate()
            .flat_map(|(k, l)| (1..=l.pages()).map(move |n| (k, n)))
            .collect()
    }
}

impl<'a> YearPages<'a> {
    /// The year's ranking lists.
    pub fn rankings(&self) -> Rankings<'a> {
        let ctx = self.ctx();
        let (year, result) = ctx.year(self.y);
        let stats = &ctx.stats[self.y];
        let mut lists = vec![RankingList {
            category: None,
            members: result.order.clone(),
        }];
        lists.extend(
            report::category_orders(year, result, stats)
                .into_iter()
                .map(|(id, members)| RankingList {
                    category: Some(id),
                    members,
                }),
        );
        Rankings {
            lists,
            categories: report::rankings(year, result, stats, false),
            summary: report::summary(year, result, stats),
        }
    }

    /// Page `number` (from 1) of ranking list `k`: at most [`RANKING_PAGE`] rows of the
    /// year's ranking or of one category's.
    pub fn ranking_page<'r>(
        &self,
        r: &'r Rankings<'a>,
        k: usize,
        number: usize,
    ) -> (String, Page<'a, RankingPage<'r, 'a>>) {
        let year = self.year();
        let (data, result) = self.ctx().year(self.y);
        let list = &r.lists[k];
        let cat = list.category;
        let file = paths::ranking_page(year, cat, number);
        let count = list.pages();
        let rank_of = |i: usize| {
            let b = &result.branches[i];
            if cat.is_some() {
                b.rank_in_category
            } else {
                b.rank
            }
        };
        let pager = pager(
            number,
            count,
            |n| paths::ranking_href(year, cat, n),
            |n| {
                let part = list.page(n);
                (
                    part.first().map(|&i| rank_of(i)),
                    part.last().map(|&i| rank_of(i)),
                )
            },
        );
        let rows = list
            .page(number)
            .iter()
            .map(|&i| {
                let b = &result.branches[i];
                if cat.is_some() {
                    report::category_row(data, b)
                } else {
                    report::row(data, b)
                }
            })
            .collect();
        let label_of = |c: &'a str| data.system.category_label(c).unwrap_or(c);
        let lists = r
            .lists
            .iter()
            .enumerate()
            .map(|(j, l)| RankingLink {
                label: l.category.map_or("全部支部", label_of).into(),
                branches: l.members.len(),
                href: paths::ranking_href(year, l.category, 1),
                current: j == k,
            })
            .collect();
        let title = match cat {
            None => format!("{year} 年度支部排名"),
            Some(c) => format!("{year} 年度{}类支部排名", label_of(c)),
        };
        let title = if count > 1 {
            format!("{title}（第 {number} 页）")
        } else {
            title
        };
        let mut crumbs: Vec<Crumb> = vec![
            self.year_crumb(),
            crumb("支部排名", &paths::ranking_page(year, None, 1)),
        ];
        if cat.is_some() || number > 1 {
            crumbs.push(crumb(title.clone(), &file));
        }
        let vars = RankingPage {
            ranking: rows,
            category: cat.and_then(|c| r.categories.iter().find(|x| x.category.id == c)),
            lists,
            pager,
            summary: &r.summary,
            year,
        };
        let page = self.frame(&file, "ranking", title, crumbs, vars);
        (file, page)
    }
}
