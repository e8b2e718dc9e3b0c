//! Graded votes (评议、测评: `votes` in `indicators.yaml`), the `votes.<id>…` fact paths that
//! read them and the `vote` rule.

use rust_decimal::Decimal;

use super::super::ids::check_id;
use super::super::ids::labels;
use crate::decimal;
use crate::model::{FactPath, IndicatorSystem, Rule, Vote, VoteStat};
use crate::suggest;
use crate::yaml::{Kind, Node, Reader};

use super::values::{label_or_id, level_shares};

/// Level ids a vote cannot use: `votes.<id>.total` and `votes.<id>.rate.<level>` are paths.
const RESERVED_LEVELS: &[&str] = &["total", "rate"];

/// The votes as written. A vote with a wrong part (reported) is kept with the levels it
/// writes, so that the paths and rules naming it are checked against what the file says and
/// give no second error for the same mistake (a file with any error is refused anyway). A
/// vote whose levels cannot be read is kept with none: its id is written, its levels are
/// unknown, and nothing naming it is checked further.
pub(super) fn read_votes(r: &mut Reader, node: &Node) -> Vec<Vote> {
    let Some(entries) = r.map(node, "`votes`") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries {
        let id = e.key_text().to_string();
        if !check_id(r, &id, e.key.pos, "评议") {
            continue;
        }
        let what = format!("评议 `{id}`");
        let unknown = |id: String| Vote {
            label: id.clone(),
            id,
            levels: Vec::new(),
        };
        let Some(f) = r.fields(&e.value, &what, &["label", "levels"], &["levels"]) else {
            out.push(unknown(id));
            continue;
        };
        let label = label_or_id(r, f.get("label"), &id, "评议");
        let Some(levels_node) = f.get("levels") else {
            out.push(unknown(id));
            continue;
        };
        let Kind::Map(level_entries) = &levels_node.kind else {
            // Reported once, as not a mapping.
            r.map(levels_node, format!("{what}的等级"));
            out.push(unknown(id));
            continue;
        };
        // A reserved level (reported) is no level: nothing must weigh it.
        let mut levels = labels(r, levels_node, &format!("{what}的等级"));
        let written = levels.len();
        levels.retain(|(k, _)| !RESERVED_LEVELS.contains(&k.as_str()));
        for le in level_entries {
            if RESERVED_LEVELS.contains(&le.key_text()) {
                r.error(
                    le.key.pos,
                    format!(
                        "`{}` 是保留字，不能作为评议等级编号（votes.{id}.total、votes.{id}.rate.<等级> 是事实路径）",
                        le.key_text()
                    ),
                );
            }
        }
        if written < 2 {
            r.error(
                levels_node.pos,
                format!("{what}至少要有两个等级（从好到差排列）"),
            );
            out.push(unknown(id));
            continue;
        }
        if levels.len() < 2 {
            out.push(unknown(id));
            continue;
        }
        out.push(Vote { id, label, levels });
    }
    out
}

/// A `votes.<id>…` path must name a vote of the system, and a level of that vote.
pub(super) fn check_vote_path(
    r: &mut Reader,
    node: &Node,
    path: &FactPath,
    sys: &IndicatorSystem,
) -> bool {
    let FactPath::Vote { id, stat } = path else {
        return true;
    };
    // At the vote's id, or at the level: `votes.<id>.<level>`, `votes.<id>.rate.<level>`.
    let pos = super::rules::segment_pos(node, 1);
    let level_pos = match stat {
        VoteStat::Rate(_) => super::rules::segment_pos(node, 3),
        _ => super::rules::segment_pos(node, 2),
    };
    let Some(vote) = sys.vote(id) else {
        let hint = if sys.votes.is_empty() {
            Some("在 indicators.yaml 的 `votes` 中定义这项评议及其等级".to_string())
        } else {
            suggest::hint(id, sys.votes.iter().map(|v| v.id.as_str()))
        };
        r.err_hint(pos, format!("未定义的评议 `{id}`"), hint);
        return false;
    };
    match stat {
        // A vote whose levels could not be read (reported): any level may be meant.
        _ if vote.levels.is_empty() => true,
        VoteStat::Count(level) | VoteStat::Rate(level) if vote.level_label(level).is_none() => {
            let hint = suggest::hint(level, vote.levels.iter().map(|(k, _)| k.as_str()));
            r.err_hint(level_pos, format!("评议 `{id}` 没有等级 `{level}`"), hint);
            false
        }
        _ => true,
    }
}

/// `{ vote: { level: weight, … } }` as written; levels are checked against the vote the
/// indicator reads once its fact is known ([`check_vote_rule`]).
pub(super) fn read_vote_rule(r: &mut Reader, v: &Node) -> Option<Rule> {
    level_shares(
        r,
        v,
        "vote 规则",
        "vote 规则要为评议的每个等级给出权重",
        "权重",
    )
    .map(Rule::Vote)
}

/// Every level of the vote gets a weight, no other level does, and the weights do not rise
/// from the best level down. Gives the rule with its weights in the vote's level order.
pub(super) fn check_vote_rule(
    r: &mut Reader,
    rule: Rule,
    path: &FactPath,
    rule_node: &Node,
    sys: &IndicatorSystem,
) -> Option<Rule> {
    let (Rule::Vote(weights), FactPath::Vote { id, .. }) = (&rule, path) else {
        return Some(rule);
    };
    let vote = sys.vote(id).filter(|v| !v.levels.is_empty())?;
    // The `vote:` mapping inside `rule:`, for positions.
    let body = match &rule_node.kind {
        Kind::Map(entries) => entries.iter().find(|e| e.key_text() == "vote"),
        _ => None,
    };
    let body_pos = body.map_or(rule_node.pos, |e| e.value.pos);
    let level_entries = match body.map(|e| &e.value.kind) {
        Some(Kind::Map(entries)) => entries.as_slice(),
        _ => &[],
    };
    let pos_of = |level: &str, value: bool| {
        level_entries
            .iter()
            .find(|e| e.key_text() == level)
            .map_or(body_pos, |e| if value { e.value.pos } else { e.key.pos })
    };
    let mut ok = true;
    for (level, _) in weights {
        if vote.level_label(level).is_none() {
            let hint = suggest::hint(level, vote.levels.iter().map(|(k, _)| k.as_str()));
            r.err_hint(
                pos_of(level, false),
                format!("评议 `{id}` 没有等级 `{level}`"),
                hint,
            );
            ok = false;
        }
    }
    let missing: Vec<&str> = vote
        .levels
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| weights.iter().all(|(l, _)| l != k))
        .collect();
    if !missing.is_empty() {
        r.error(
            body_pos,
            format!(
                "vote 规则缺少评议 `{id}` 的等级 {} 的权重（每个等级都要给出 0 到 1 之间的权重）",
                missing
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        );
        ok = false;
    }
    if !ok {
        return None;
    }
    let ordered: Vec<(String, Decimal)> = vote
        .levels
        .iter()
        .filter_map(|(k, _)| weights.iter().find(|(l, _)| l == k).cloned())
        .collect();
    for pair in ordered.windows(2) {
        let ((better, wb), (worse, ww)) = (&pair[0], &pair[1]);
        if ww > wb {
            r.error(
                pos_of(worse, true),
                format!(
                    "vote 规则的权重必须从最好的等级起逐级不增：`{worse}` 的 {} 大于更好的等级 `{better}` 的 {}",
                    decimal::show(*ww),
                    decimal::show(*wb)
                ),
            );
            ok = false;
        }
    }
    ok.then_some(Rule::Vote(ordered))
}
