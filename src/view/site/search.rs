//! The documents of the site's search index: every organisation node and branch, with the
//! text a search matches (a branch's organisation and the start of its narrative).

use schemars::JsonSchema;
use serde::Serialize;

use super::{YearPages, paths};

/// The longest narrative text put in the search index, in characters.
pub const SEARCH_TEXT: usize = 2000;

/// 搜索索引中的一个文档（`search-index.js` 中的 `docs`）。
///
/// One document of the search index (`docs` of `search-index.js`).
#[derive(Serialize, JsonSchema)]
pub struct SearchDoc<'a> {
    /// 标题：组织或支部的名称。
    ///
    /// The title: the node's or branch's name.
    pub t: &'a str,
    /// 页面链接（相对于网站根目录）。
    ///
    /// The page's href, from the site root.
    pub u: String,
    /// 类型：`branch` 或 `org`。
    ///
    /// The kind: `branch` or `org`.
    pub k: &'static str,
    /// 年度。
    ///
    /// The year.
    pub y: i32,
    /// 搜索的文字，也作为摘要显示：组织的类型，或支部所属组织和工作总结的开头。
    ///
    /// The text searched and shown as a snippet: a node's kind, or a branch's organisation
    /// and the start of its narrative.
    pub s: String,
}

impl<'a> YearPages<'a> {
    /// The year's organisation nodes.
    pub fn org_docs(&self) -> Vec<SearchDoc<'a>> {
        let y = self.year();
        self.ctx().project.years[self.y]
            .orgs
            .iter()
            .map(|o| SearchDoc {
                t: &o.name,
                u: paths::org_href(y, &o.path),
                k: "org",
                y,
                s: o.kind.clone().unwrap_or_default(),
            })
            .collect()
    }

    /// Branch `i`; `plain_text(markdown, limit)` gives the start of a narrative as text.
    pub fn branch_doc(
        &self,
        i: usize,
        plain_text: impl Fn(&str, usize) -> String,
    ) -> SearchDoc<'a> {
        let (year, result) = self.ctx().year(self.y);
        let (b, r) = (&year.branches[i], &result.branches[i]);
        let org = b
            .org_node
            .and_then(|i| year.orgs.get(i))
            .map_or("", |o| o.name.as_str());
        let mut s = org.to_string();
        if let Some(n) = &b.narrative {
            s.push_str(" · ");
            s.push_str(&plain_text(&n.markdown, SEARCH_TEXT));
        }
        SearchDoc {
            t: &r.name,
            u: paths::branch_href(self.year(), &b.id),
            k: "branch",
            y: self.year(),
            s,
        }
    }
}
