//! The organisation pages (`<year>/org/<ids joined by '.'>.html`): one per node below the
//! district, with its child nodes and its own branches only.

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::Serialize;

use super::frame::{Page, crumb};
use super::{YearPages, paths};
use crate::view::refs::{GradeLine, grades};
use crate::view::report::{self, OrgEntry, ReportSystem};

/// 组织页面的变量（`org.html`）。
///
/// The variables of an organisation page (`org.html`).
#[derive(Serialize, JsonSchema)]
pub struct OrgPage<'r, 'a> {
    /// 本组织，含下级组织和直属支部。
    ///
    /// The node, with its child nodes and its own branches.
    pub org: OrgEntry<'a>,
    /// 上级组织页面的链接（相对于网站根目录）。
    ///
    /// The href of the parent node's page, from the site root.
    pub parent_href: String,
    /// 年度。
    ///
    /// The year.
    pub year: i32,
    /// 全部等次，最高的在前。
    ///
    /// Every grade, the best first.
    pub grades: &'r [GradeLine<'a>],
    /// 本年度的指标体系。
    ///
    /// The year's indicator system.
    pub system: &'r ReportSystem<'a>,
}

/// What every organisation page of a year shares.
pub struct OrgPages<'a> {
    /// Each node's own branches in ranking order, by path.
    pub members: HashMap<&'a [String], Vec<usize>>,
    pub grades: Vec<GradeLine<'a>>,
    pub system: ReportSystem<'a>,
}

impl<'a> YearPages<'a> {
    pub fn org_pages(&self) -> OrgPages<'a> {
        let ctx = self.ctx();
        let (year, result) = ctx.year(self.y);
        OrgPages {
            members: report::org_members(result),
            grades: grades(&year.system),
            system: report::report_system(ctx, self.y),
        }
    }

    /// The page of organisation node `k`; `None` for the district, whose page is the year
    /// page.
    pub fn org_page<'r>(
        &self,
        shared: &'r OrgPages<'a>,
        k: usize,
    ) -> Option<(String, Page<'a, OrgPage<'r, 'a>>)> {
        let (year, result) = self.ctx().year(self.y);
        let node = &year.orgs[k];
        let path = &node.path;
        if path.is_empty() {
            return None;
        }
        let y = self.year();
        let file = paths::org_page(y, path);
        let mut crumbs = vec![self.year_crumb()];
        for d in 1..path.len() {
            let name = crate::view::org_at(year, &path[..d]).map_or(&path[d - 1], |o| &o.name);
            crumbs.push(crumb(name, &paths::org_href(y, &path[..d])));
        }
        crumbs.push(crumb(&node.name, &paths::org_href(y, path)));
        let own = shared
            .members
            .get(path.as_slice())
            .map_or(&[][..], Vec::as_slice);
        let vars = OrgPage {
            org: report::org_entry(year, result, k, own, true),
            parent_href: paths::org_href(y, &path[..path.len() - 1]),
            year: y,
            grades: &shared.grades,
            system: &shared.system,
        };
        let page = self.frame(&file, "org", &node.name, crumbs, vars);
        Some((file, page))
    }
}
