//! The rectification pages: the branches that need a plan, in ranking order, cut into
//! pages of [`RANKING_PAGE`] rows, each page with the guidance of the indicators it names.

use std::collections::BTreeSet;

use schemars::JsonSchema;
use serde::Serialize;

use super::frame::{Page, Pager, crumb, pager};
use super::{RANKING_PAGE, YearPages, paths};
use crate::view::refs::{GradeLine, grades};
use crate::view::report::{self, RectRow};
use crate::view::text::Text;

/// 整改清单页面的变量（`rectification.html`）。
///
/// The variables of a rectification page (`rectification.html`).
#[derive(Serialize, JsonSchema)]
pub struct RectificationPage<'a> {
    /// 本页的行。
    ///
    /// This page's rows.
    pub rectification: Vec<RectRow<'a>>,
    /// 整改清单的总行数（所有页）。
    ///
    /// How many rows the whole list has (all pages).
    pub rectification_count: usize,
    /// 本页各行提到的指标的工作指引，按指标体系的顺序，每个指标一次。
    ///
    /// The guidance of the indicators this page's rows name, once each, in the order of the
    /// system.
    pub guidance: Vec<Guidance<'a>>,
    /// 分页（`first`、`last` 为本页首行和末行的全区名次）。
    ///
    /// The pager (`first` and `last` are the ranks of the page's first and last rows).
    pub pager: Pager,
    /// 全部等次，最高的在前。
    ///
    /// Every grade, the best first.
    pub grades: Vec<GradeLine<'a>>,
    /// 年度。
    ///
    /// The year.
    pub year: i32,
}

/// 一个指标的工作指引。
///
/// One indicator's guidance.
#[derive(Serialize, JsonSchema)]
pub struct Guidance<'a> {
    /// 指标标识。
    ///
    /// The indicator's id.
    pub id: &'a str,
    /// 指标名称。
    ///
    /// Its label.
    pub label: Text<'a>,
    /// 工作指引。
    ///
    /// What to do about it.
    pub guidance: Text<'a>,
}

impl<'a> YearPages<'a> {
    /// The year's rectification list in ranking order (indices into the year's results),
    /// cut into pages: at least one, even for an empty list.
    pub fn rectification_parts(&self) -> Vec<Vec<usize>> {
        let (year, result) = self.ctx().year(self.y);
        let all: Vec<usize> = report::rectification_order(year, result).collect();
        if all.is_empty() {
            return vec![Vec::new()];
        }
        all.chunks(RANKING_PAGE).map(<[usize]>::to_vec).collect()
    }

    /// Page `number` (from 1) of the rectification list cut into `parts`.
    pub fn rectification_page(
        &self,
        parts: &[Vec<usize>],
        number: usize,
    ) -> (String, Page<'a, RectificationPage<'a>>) {
        let year = self.year();
        let (data, result) = self.ctx().year(self.y);
        let sys = &data.system;
        let count = parts.len();
        let file = paths::rectification_page(year, number);
        let title = if count > 1 {
            format!("{year} 年度整改清单（第 {number} 页）")
        } else {
            format!("{year} 年度整改清单")
        };
        let mut crumbs = vec![
            self.year_crumb(),
            crumb("整改清单", &paths::rectification_page(year, 1)),
        ];
        if number > 1 {
            crumbs.push(crumb(title.clone(), &file));
        }
        let rows: Vec<RectRow> = parts[number - 1]
            .iter()
            .map(|&i| report::rect_row(data, &result.branches[i]))
            .collect();
        let named: BTreeSet<&str> = rows
            .iter()
            .flat_map(|x| x.fix_first.iter().map(|f| f.id))
            .collect();
        let guidance = sys
            .dimensions
            .iter()
            .flat_map(|d| &d.indicators)
            .filter(|i| named.contains(i.id.as_str()))
            .filter_map(|i| {
                Some(Guidance {
                    id: &i.id,
                    label: (&i.label).into(),
                    guidance: i.guidance.as_ref()?.into(),
                })
            })
            .collect();
        let rank = |i: Option<&usize>| i.map(|&i| result.branches[i].rank);
        let pager = pager(
            number,
            count,
            |n| paths::rectification_page(year, n),
            |n| (rank(parts[n - 1].first()), rank(parts[n - 1].last())),
        );
        let vars = RectificationPage {
            rectification: rows,
            rectification_count: parts.iter().map(Vec::len).sum(),
            guidance,
            pager,
            grades: grades(sys),
            year,
        };
        let page = self.frame(&file, "rectification", title, crumbs, vars);
        (file, page)
    }
}
