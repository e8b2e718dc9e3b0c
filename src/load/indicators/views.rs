//! Views (`views` in `indicators.yaml`): other groupings of the same indicators (四强,
//! 五项能力 …). An indicator stands in at most one group of a view; views change no score.

use super::super::ids::{check_id, unique_id};
use crate::diagnostics::Pos;
use crate::model::{View, ViewGroup};
use crate::suggest;
use crate::yaml::{Kind, Node, Reader};

use super::values::label_or_id;

/// `written`: the ids of every indicator the file writes, read or not (a view naming an
/// indicator whose own error is reported gets no second error).
pub(super) fn read_views(r: &mut Reader, node: &Node, written: &[String]) -> Vec<View> {
    let Some(entries) = r.map(node, "`views`") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries {
        let id = e.key_text().to_string();
        if !check_id(r, &id, e.key.pos, "视图") {
            continue;
        }
        let what = format!("视图 `{id}`");
        let Some(f) = r.fields(&e.value, &what, &["label", "groups"], &["groups"]) else {
            continue;
        };
        let label = label_or_id(r, f.get("label"), &id, "视图");
        let Some(groups_node) = f.get("groups") else {
            continue;
        };
        let Some(items) = r.seq(groups_node, format!("{what}的 `groups`")) else {
            continue;
        };
        if items.is_empty() {
            r.error(groups_node.pos, format!("{what}至少要有一个分组"));
            continue;
        }
        let mut ok = true;
        let mut group_ids = Vec::new();
        // Indicator id → the group that already holds it, for "at most once per view".
        let mut placed: Vec<(String, String)> = Vec::new();
        let mut groups = Vec::new();
        for item in items {
            match read_group(r, item, written, &what, &mut group_ids, &mut placed) {
                Some(g) => groups.push(g),
                None => ok = false,
            }
        }
        if ok {
            out.push(View { id, label, groups });
        }
    }
    out
}

fn read_group(
    r: &mut Reader,
    item: &Node,
    written: &[String],
    view: &str,
    group_ids: &mut Vec<(String, Pos)>,
    placed: &mut Vec<(String, String)>,
) -> Option<ViewGroup> {
    let f = r.fields(
        item,
        format!("{view}的分组"),
        &["id", "label", "indicators"],
        &["id", "indicators"],
    )?;
    let id = unique_id(r, f.get("id"), &format!("{view}的分组"), group_ids);
    let shown = id.clone().unwrap_or_default();
    let label = label_or_id(r, f.get("label"), &shown, "分组");
    let list_node = f.get("indicators")?;
    let list = r.seq(list_node, format!("分组 `{shown}` 的 `indicators`"))?;
    if list.is_empty() {
        r.error(list_node.pos, format!("分组 `{shown}` 至少要有一个指标"));
        return None;
    }
    let mut ok = true;
    let mut indicators = Vec::new();
    for n in list {
        let Some(ind) = r.nonblank(n, "指标编号") else {
            ok = false;
            continue;
        };
        if !written.contains(&ind) {
            let hint = suggest::hint(&ind, written.iter().map(String::as_str));
            r.err_hint(n.pos, format!("{view}中的指标 `{ind}` 未定义"), hint);
            ok = false;
            continue;
        }
        if let Some((_, first)) = placed.iter().find(|(k, _)| *k == ind) {
            r.error(
                n.pos,
                format!(
                    "指标 `{ind}` 已在{view}的分组 `{first}` 中（一个指标在同一视图中最多出现一次）"
                ),
            );
            ok = false;
            continue;
        }
        placed.push((ind.clone(), shown.clone()));
        indicators.push(ind);
    }
    let id = id?;
    ok.then_some(ViewGroup {
        id,
        label,
        indicators,
    })
}

/// The `id` of every indicator under `dimensions`, as written.
pub(super) fn written_indicators(dimensions: &Node) -> Vec<String> {
    fn field<'n>(n: &'n Node, key: &str) -> Option<&'n Node> {
        match &n.kind {
            Kind::Map(entries) => entries
                .iter()
                .find(|e| e.key_text() == key)
                .map(|e| &e.value),
            _ => None,
        }
    }
    fn items(n: Option<&Node>) -> &[Node] {
        match n.map(|n| &n.kind) {
            Some(Kind::Seq(items)) => items,
            _ => &[],
        }
    }
    let mut out = Vec::new();
    for dim in items(Some(dimensions)) {
        for ind in items(field(dim, "indicators")) {
            if let Some(Kind::Scalar(s)) = field(ind, "id").map(|n| &n.kind) {
                out.push(s.text.clone());
            }
        }
    }
    out
}
