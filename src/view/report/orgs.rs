//! The annual report's organisation nodes: each node's figures, child nodes and own
//! branches.

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::Serialize;

use super::rows::{Row, rows_of};
use crate::model::Year;
use crate::score::{OrgResult, YearResult};
use crate::view::format::Score;
use crate::view::refs::{CoverageRow, coverage};
use crate::view::text::Text;

/// 一个组织（区或其下级）的考评情况。
///
/// One organisation node (the district or a node below it).
#[derive(Serialize, JsonSchema)]
pub struct OrgEntry<'a> {
    /// 组织的标识路径（区为 `[]`）。
    ///
    /// The node's id path (`[]` for the district).
    pub org: &'a [String],
    /// 深度：区为 0，区的下一级为 1。
    ///
    /// Depth: 0 for the district, 1 for its children.
    pub depth: usize,
    /// 组织名称。
    ///
    /// Its name.
    pub name: Text<'a>,
    /// 组织类型；未写时为 null。
    ///
    /// Its kind; null when not given.
    pub kind: Option<Text<'a>>,
    /// 支部数（含下级组织的）。
    ///
    /// Branches in it and below it.
    pub branches: usize,
    /// 这些支部的平均分；没有支部时为 null。
    ///
    /// Their mean total; null without branches.
    pub mean: Option<Score>,
    /// 每个等次的支部数（每个等次都列出）。
    ///
    /// Branches per final grade (every grade listed).
    pub grades: Vec<OrgGradeCount<'a>>,
    /// 两个覆盖情况；未填报时为 `[]`。
    ///
    /// Its coverage (两个覆盖); `[]` when not given.
    pub coverage: Vec<CoverageRow<'a>>,
    /// 直接下级组织（年度页面不给出）。
    ///
    /// Its child nodes (empty on the year page).
    pub children: Vec<ChildOrg<'a>>,
    /// 直属支部（不含下级组织的），按名次（年度页面只给出区的）。
    ///
    /// The branches in its own folder, in ranking order (on the year page: the district's
    /// only).
    pub members: Vec<Row<'a>>,
    /// `_org.yaml` 文件（相对于项目根目录），供诊断使用，不显示。
    ///
    /// Its `_org.yaml` relative to the root, for diagnostics; not shown.
    pub source: &'a str,
}

/// 一个等次的支部数。
///
/// One grade's count of branches.
#[derive(Serialize, JsonSchema)]
pub struct OrgGradeCount<'a> {
    /// 等次标识。
    ///
    /// The grade's id.
    pub id: &'a str,
    /// 等次名称。
    ///
    /// Its label.
    pub label: Text<'a>,
    /// 级别：1 为最高等次。
    ///
    /// Level: 1 is the best grade.
    pub level: usize,
    /// 支部数。
    ///
    /// How many branches.
    pub count: usize,
}

/// 直接下级组织。
///
/// A child node.
#[derive(Serialize, JsonSchema)]
pub struct ChildOrg<'a> {
    /// 组织的标识路径。
    ///
    /// Its id path.
    pub org: &'a [String],
    /// 组织名称。
    ///
    /// Its name.
    pub name: Text<'a>,
    /// 支部数（含下级组织的）。
    ///
    /// Branches in it and below it.
    pub branches: usize,
    /// 平均分；没有支部时为 null。
    ///
    /// Their mean total; null without branches.
    pub mean: Option<Score>,
}

fn org_grades<'a>(year: &'a Year, o: &'a OrgResult) -> Vec<OrgGradeCount<'a>> {
    o.grades
        .iter()
        .enumerate()
        .map(|(i, (id, c))| {
            let label = year
                .system
                .grades
                .get(i)
                .map_or(id.as_str(), |g| g.label.as_str());
            OrgGradeCount {
                id,
                label: label.into(),
                level: i + 1,
                count: *c,
            }
        })
        .collect()
}

/// Each organisation node's own branches (not those of the nodes below it), in ranking
/// order, as indices into `r.branches`; grouped in one pass.
pub fn org_members(r: &YearResult) -> HashMap<&[String], Vec<usize>> {
    let mut members: HashMap<&[String], Vec<usize>> = HashMap::new();
    for &i in &r.order {
        members
            .entry(r.branches[i].org.as_slice())
            .or_default()
            .push(i);
    }
    members
}

/// Node `k` of the year with the rows of `members` (its own branches, indices into
/// `r.branches`) and, when `with_children`, its child nodes.
pub fn org_entry<'a>(
    year: &'a Year,
    r: &'a YearResult,
    k: usize,
    members: &[usize],
    with_children: bool,
) -> OrgEntry<'a> {
    let (node, o) = (&year.orgs[k], &r.orgs[k]);
    // Sorted by path: a node's descendants follow it, so its children are found without
    // scanning every node.
    let children = year.orgs[k + 1..]
        .iter()
        .zip(&r.orgs[k + 1..])
        .take_while(|(c, _)| with_children && c.path.starts_with(&node.path))
        .filter(|(c, _)| c.path.len() == node.path.len() + 1)
        .map(|(c, co)| ChildOrg {
            org: &c.path,
            name: (&c.name).into(),
            branches: co.branches,
            mean: co.mean.map(Score),
        })
        .collect();
    OrgEntry {
        org: &node.path,
        depth: node.path.len(),
        name: (&node.name).into(),
        kind: node.kind.as_ref().map(Text::from),
        branches: o.branches,
        mean: o.mean.map(Score),
        grades: org_grades(year, o),
        coverage: coverage(node),
        children,
        members: rows_of(year, r, members),
        source: &node.file,
    }
}
