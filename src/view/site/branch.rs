//! The branch pages (`<year>/branch/<id>.html`): the booklet, and the links a page needs
//! to the branch's other years, its organisation and its PDF.

use schemars::JsonSchema;
use serde::Serialize;

use super::frame::{Page, YearLink, crumb};
use super::{YearPages, paths};
use crate::view::booklet::{Booklet, booklet};

/// 支部页面的变量（`branch.html`）。
///
/// The variables of a branch page (`branch.html`).
#[derive(Serialize, JsonSchema)]
pub struct BranchPage<'a> {
    /// 考评手册的数据（与 PDF 相同，不含工作总结）。
    ///
    /// The booklet (as in the PDF, without the narrative).
    pub b: Booklet<'a>,
    /// 年度。
    ///
    /// The year.
    pub year: i32,
    /// 所属组织页面的链接（相对于网站根目录）。
    ///
    /// The href of its organisation's page, from the site root.
    pub org_href: String,
    /// 本支部在网站中的各个年度。
    ///
    /// The years of the site that have this branch.
    pub other_years: Vec<YearLink>,
    /// 上年支部页面的链接；网站中没有上年页面时为 null。
    ///
    /// The href of last year's page; null when the site has none.
    pub previous_href: Option<String>,
    /// 工作总结的 HTML（Markdown 转换而成，原始 HTML 显示为文字）；没有时为 null。
    ///
    /// The narrative as HTML (from its Markdown, raw HTML shown as text); null without one.
    pub narrative_html: Option<String>,
    /// 考评手册 PDF 的链接；不生成 PDF 时为 null。
    ///
    /// The href of the booklet's PDF; null when no PDF is built.
    pub pdf_href: Option<String>,
}

impl<'a> YearPages<'a> {
    /// The page of branch `i`; `narrative_html` makes the HTML of a narrative's Markdown for
    /// a page whose path to the root is the second argument.
    pub fn branch_page(
        &self,
        i: usize,
        narrative_html: impl Fn(&crate::model::Narrative, &str) -> String,
    ) -> (String, Page<'a, BranchPage<'a>>) {
        let ctx = self.ctx();
        let y = self.year();
        let year = &ctx.project.years[self.y];
        let b = &year.branches[i];
        let file = paths::branch_page(y, &b.id);
        let root = paths::root_of(&file);
        let booklet = booklet(ctx, self.y, i, &ctx.stats[self.y]);
        let mut crumbs = vec![self.year_crumb()];
        for o in booklet.branch.org_path.iter().skip(1) {
            crumbs.push(crumb(o.name.clone(), &paths::org_href(y, o.id)));
        }
        let name = booklet.branch.name.clone();
        crumbs.push(crumb(name.clone(), &paths::branch_href(y, &b.id)));
        let years = self.site.years_of.get(b.id.as_str());
        let other_years = years
            .into_iter()
            .flatten()
            .map(|&other| YearLink {
                year: other,
                href: paths::branch_href(other, &b.id),
                current: other == y,
            })
            .collect();
        let previous_href = booklet
            .result
            .previous_year
            .filter(|p| years.is_some_and(|ys| ys.contains(p)))
            .map(|p| paths::branch_href(p, &b.id));
        let vars = BranchPage {
            narrative_html: booklet.narrative().map(|n| narrative_html(n, &root)),
            b: booklet,
            year: y,
            org_href: paths::org_href(y, &b.org),
            other_years,
            previous_href,
            pdf_href: self.site.pdf.then(|| paths::pdf_href(y, &b.id)),
        };
        let page = self.frame(&file, "branch", name, crumbs, vars);
        (file, page)
    }
}
