//! Reading `_org.yaml`, an organisation node. The district's (the year folder's own) may
//! also give the data cut-off (`as_of`) and the branches withdrawn since the year before.

use crate::diagnostics::Pos;
use crate::model::{Coverage, CoverageCount, Date, Withdrawn};
use crate::yaml::{Kind, Node, Reader};

pub struct OrgFile {
    pub name: String,
    pub kind: Option<String>,
    pub name_at: Option<Pos>,
    pub kind_at: Option<Pos>,
    pub coverage: Option<Coverage>,
    pub as_of: Option<Date>,
    pub withdrawn: Vec<Withdrawn>,
    pub withdrawn_pos: Option<Pos>,
    /// `withdrawn` is given but is not a mapping (reported): its ids are unknown.
    pub withdrawn_unknown: bool,
}

const FIELDS: &[&str] = &["name", "kind", "coverage", "as_of", "withdrawn"];

/// `district`: the file is the year folder's own; `year`: that folder's year.
pub fn read(r: &mut Reader, root: &Node, district: bool, year: i32) -> Option<OrgFile> {
    let f = r.fields(root, "组织", FIELDS, &["name"])?;
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
    if !district {
        for key in ["as_of", "withdrawn"] {
            if let Some(pos) = f.key_pos(key) {
                r.error(
                    pos,
                    format!("`{key}` 只能写在年度文件夹的 _org.yaml（区级党组织）中"),
                )
                .hint = Some("移到 content/<年度>/_org.yaml".into());
            }
        }
    }
    let as_of = match f.get("as_of") {
        Some(n) if district => read_as_of(r, n, year),
        _ => None,
    };
    let withdrawn = match f.get("withdrawn") {
        Some(n) if district => read_withdrawn(r, n),
        _ => Some(Vec::new()),
    };
    let withdrawn_unknown = withdrawn.is_none();
    let withdrawn = withdrawn.unwrap_or_default();
    let withdrawn_pos = if district {
        f.key_pos("withdrawn")
    } else {
        None
    };
    // A missing or blank name is reported; the rest is kept (the district's `withdrawn`
    // still silences its warnings).
    Some(OrgFile {
        name: name.unwrap_or_default(),
        kind,
        name_at: f.get("name").map(super::shown::text_start),
        kind_at: f.get("kind").map(super::shown::text_start),
        coverage,
        as_of,
        withdrawn,
        withdrawn_pos,
        withdrawn_unknown,
    })
}

fn read_as_of(r: &mut Reader, n: &Node, year: i32) -> Option<Date> {
    let date = super::record::dates::date(r, n, "`as_of`")?;
    if date.year != year {
        r.error(
            n.pos,
            format!("数据截止日 `as_of` {date} 不在所在年度文件夹的 {year} 年内"),
        );
        return None;
    }
    Some(date)
}

/// `id: reason` pairs in file order; whether each id was a branch the year before is checked
/// once every year is loaded. `None` when `withdrawn` is not a mapping (reported).
fn read_withdrawn(r: &mut Reader, n: &Node) -> Option<Vec<Withdrawn>> {
    let entries = r.map(n, "`withdrawn`")?;
    let mut out = Vec::new();
    for e in entries {
        let Kind::Scalar(key) = &e.key.kind else {
            continue;
        };
        // A blank reason (reported) still withdraws the branch: it is not also missing.
        let reason = r
            .nonblank(&e.value, format!("支部 `{}` 的撤销原因", key.text))
            .unwrap_or_default();
        out.push(Withdrawn {
            id: key.text.clone(),
            reason,
            pos: e.key.pos,
        });
    }
    Some(out)
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
