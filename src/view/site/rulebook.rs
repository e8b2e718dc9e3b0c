//! The rulebook page (`<year>/rulebook.html`): the year's 考核细则 as the district hands it
//! out, made from the same indicator system the scores come from, with a link to its PDF.

use schemars::JsonSchema;
use serde::Serialize;

use super::YearPages;
use super::frame::{Page, crumb};
use crate::view::rulebook::{Rulebook, rulebook};

/// 考核细则页面的变量（`rulebook.html`）。
///
/// The variables of the rulebook page (`rulebook.html`).
#[derive(Serialize, JsonSchema)]
pub struct RulebookPage<'a> {
    /// 考核细则（与 PDF 相同）。
    ///
    /// The rulebook (as in the PDF).
    pub r: Rulebook<'a>,
    /// 年度。
    ///
    /// The year.
    pub year: i32,
    /// 考核细则 PDF 的链接（相对于网站根目录）；不生成 PDF 时为 null。
    ///
    /// The href of the rulebook's PDF, from the site root; null when no PDF is built.
    pub pdf_href: Option<String>,
}

/// The rulebook page's file, from the site root.
pub fn rulebook_file(year: i32) -> String {
    format!("{year}/rulebook.html")
}

/// The rulebook PDF's file, from the site root.
pub fn rulebook_pdf(year: i32) -> String {
    format!("{year}/pdf/rulebook.pdf")
}

impl<'a> YearPages<'a> {
    pub fn rulebook_page(&self) -> (String, Page<'a, RulebookPage<'a>>) {
        let y = self.year();
        let file = rulebook_file(y);
        let crumbs = vec![self.year_crumb(), crumb("考核细则", &file)];
        let vars = RulebookPage {
            r: rulebook(self.ctx(), self.y),
            year: y,
            pdf_href: self.site.pdf.then(|| rulebook_pdf(y)),
        };
        let page = self.frame(&file, "rulebook", format!("{y} 年度考核细则"), crumbs, vars);
        (file, page)
    }
}
