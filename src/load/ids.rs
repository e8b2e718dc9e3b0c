//! Reading id → label maps and checking ids, shared by the indicator and record loaders.

use crate::diagnostics::Pos;
use crate::invisible::fold;
use crate::model::fact::is_valid_id;
use crate::yaml::{Entry, Node, Reader};

/// Checks the form of an id; reports and returns false when it is not usable.
pub fn check_id(r: &mut Reader, id: &str, pos: Pos, what: &str) -> bool {
    if is_valid_id(id) {
        true
    } else {
        r.error(
            pos,
            format!("{what} `{id}` 不是合法的编号（只能用字母、数字、`_` 和 `-`）"),
        );
        false
    }
}

/// `id: label` pairs in file order.
pub fn labels(r: &mut Reader, node: &Node, what: &str) -> Vec<(String, String)> {
    let Some(entries) = r.map(node, what) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for Entry { key, value } in entries {
        let id = match &key.kind {
            crate::yaml::Kind::Scalar(s) => s.text.clone(),
            _ => continue,
        };
        if !check_id(r, &id, key.pos, what) {
            continue;
        }
        // An id whose label is wrong (reported) stays, with its id as label: it is still
        // written, and the system is refused anyway, so what names it needs no second error.
        let label = r
            .nonblank(value, format!("{what} `{id}` 的名称"))
            .unwrap_or_else(|| id.clone());
        out.push((id, label));
    }
    out
}

/// An `id` field from a list item, checked for form and uniqueness among `seen` (ids and
/// their places), compared as a reader sees them ([`crate::invisible::fold`]).
pub fn unique_id(
    r: &mut Reader,
    node: Option<&Node>,
    what: &str,
    seen: &mut Vec<(String, Pos)>,
) -> Option<String> {
    let node = node?;
    let id = r.nonblank(node, format!("{what}编号"))?;
    if !check_id(r, &id, node.pos, what) {
        return None;
    }
    if let Some(first) = taken(seen, &id, node.pos) {
        r.error(node.pos, format!("{what}编号 `{id}` 重复")).hint = Some(first);
        return None;
    }
    Some(id)
}

/// Whether `id` folds like one of `seen`: then a hint naming the first's place (and how it
/// was written when that differs); otherwise `id` joins `seen`.
pub fn taken(seen: &mut Vec<(String, Pos)>, id: &str, pos: Pos) -> Option<String> {
    let key = fold(id);
    match seen.iter().find(|(s, _)| fold(s) == key) {
        Some((first, at)) => {
            let written = if first == id {
                String::new()
            } else {
                format!("写作 `{first}`，")
            };
            Some(format!(
                "第一次出现在第 {} 行第 {} 列（{written}只差不可见字符或全角、半角的编号视为相同）",
                at.line, at.col
            ))
        }
        None => {
            seen.push((id.to_string(), pos));
            None
        }
    }
}
