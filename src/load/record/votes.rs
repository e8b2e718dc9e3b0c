//! `votes` in a record: counts per level of each graded vote (评议、测评).

use rust_decimal::Decimal;

use super::Ids;
use crate::model::{IdMap, IndicatorSystem};
use crate::suggest;
use crate::yaml::{Node, Reader};

pub fn read(
    r: &mut Reader,
    node: &Node,
    sys: &IndicatorSystem,
    ids: &Ids,
) -> IdMap<IdMap<Decimal>> {
    let mut out = IdMap::default();
    let Some(entries) = r.map(node, "`votes`") else {
        return out;
    };
    for e in entries {
        let id = e.key_text();
        let Some(vote) = sys.vote(id) else {
            let hint = if sys.votes.is_empty() {
                Some("指标体系（indicators.yaml）没有定义任何评议 `votes`".to_string())
            } else {
                suggest::hint(id, sys.votes.iter().map(|v| v.id.as_str()))
            };
            r.err_hint(e.key.pos, format!("未知的评议编号 `{id}`"), hint);
            continue;
        };
        let Some(levels) = r.map(&e.value, format_args!("评议 `{id}`")) else {
            continue;
        };
        let mut counts = IdMap::default();
        for le in levels {
            let level = le.key_text();
            if vote.level_label(level).is_none() {
                let hint = suggest::hint(level, vote.levels.iter().map(|(k, _)| k.as_str()));
                r.err_hint(le.key.pos, format!("评议 `{id}` 没有等级 `{level}`"), hint);
                continue;
            }
            if let Some(n) = r.whole(&le.value, format_args!("`votes.{id}.{level}`"), 0) {
                counts.insert(ids.get(level), n);
            }
        }
        counts.shrink_to_fit();
        out.insert(ids.get(id), counts);
    }
    out
}
