//! Reading `_org.yaml`, an organisation node.

use crate::diagnostics::Pos;
use crate::model::{Coverage, CoverageCount};
use crate::yaml::{Node, Reader};

pub struct OrgFile {
    pub name: String,
    pub kind: Option<String>,
    pub name_at: Option<Pos>,
    pub kind_at: Option<Pos>,
    pub coverage: Option<Coverage>,
}

pub fn read(r: &mut Reader, root: &Node) -> Option<OrgFile> {
    let f = r.fields(root, "组织", &["name", "kind", "coverage"], &["name"])?;
    let name = f.get("name").and_then(|n| r.nonblank(n, "`name`"));
    let kind = f.get("kind").and_then(|n| r.text(n, "`kind`"));
    let coverage = f.get("coverage").and_then(|n| {
        let c = r.fields(
            n,
            "`coverage`",
            &["private_enterprises", "social_organisations"],
            &[],
        )?;
        Some(Coverage {
            private_enterprises: c.get("private_enterprises").and_then(|n| count(r, n)),
            social_organisations: c.get("social_organisations").and_then(|n| count(r, n)),
        })
    });
    Some(OrgFile {
        name: name?,
        kind,
        name_at: f.get("name").map(super::shown::text_start),
        kind_at: f.get("kind").map(super::shown::text_start),
        coverage,
    })
}

fn count(r: &mut Reader, node: &Node) -> Option<CoverageCount> {
    let f = r.fields(
        node,
        "覆盖情况",
        &["total", "covered"],
        &["total", "covered"],
    )?;
    let total = f.get("total").and_then(|n| r.whole(n, "`total`", 0));
    let covered = f.get("covered").and_then(|n| r.whole(n, "`covered`", 0));
    let (total, covered) = (total?, covered?);
    if covered > total {
        let at = f.get("covered").map_or(f.pos, |n| n.pos);
        r.error(
            at,
            format!("已覆盖数 `covered` {covered} 大于总数 `total` {total}"),
        );
        return None;
    }
    Some(CoverageCount { total, covered })
}
