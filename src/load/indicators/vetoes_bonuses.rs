//! Vetoes (一票否决) and bonuses (加分项).

use super::super::ids::unique_id;
use crate::model::{Bonus, FactType, IndicatorSystem, Veto};
use crate::suggest;
use crate::yaml::{Node, Reader};

use super::rules::{read_condition, read_fact};
use super::values::*;

pub(super) fn read_vetoes(
    r: &mut Reader,
    node: &Node,
    sys: &IndicatorSystem,
    pending: &mut Pending,
) -> Vec<Veto> {
    let Some(items) = r.seq(node, "`vetoes`") else {
        return Vec::new();
    };
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for item in items {
        let Some(f) = r.fields(
            item,
            "否决项",
            &["id", "label", "when", "cap", "applies_to"],
            &["id", "when", "cap"],
        ) else {
            continue;
        };
        let id = unique_id(r, f.get("id"), "否决项", &mut seen);
        let what = format!("否决项 `{}`", id.clone().unwrap_or_default());
        let applies_to = read_applies_to(r, f.get("applies_to"), sys, &what);
        let when = f
            .get("when")
            .and_then(|n| read_condition(r, n, sys, pending, &what));
        let cap = f.get("cap").and_then(|n| {
            let g = r.nonblank(n, "`cap`")?;
            let idx = sys.grade_index(&g);
            // With no grades read (reported), no grade is known to be missing.
            if idx.is_none() && !sys.grades.is_empty() {
                let hint = suggest::hint(&g, sys.grades.iter().map(|x| x.id.as_str()));
                r.err_hint(
                    n.pos,
                    format!("{what}的 `cap` 指向未定义的等次 `{g}`"),
                    hint,
                );
            }
            idx
        });
        if let (Some(id), Some(when), Some(cap), Some(applies_to)) = (id, when, cap, applies_to) {
            let label = label_or_id(r, f.get("label"), &id, "否决项");
            out.push(Veto {
                id,
                label,
                when,
                cap,
                applies_to,
            });
        }
    }
    out
}

pub(super) fn read_bonuses(
    r: &mut Reader,
    node: &Node,
    sys: &IndicatorSystem,
    pending: &mut Pending,
) -> Vec<Bonus> {
    let Some(items) = r.seq(node, "`bonuses`") else {
        return Vec::new();
    };
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for item in items {
        let Some(f) = r.fields(
            item,
            "加分项",
            &["id", "label", "fact", "each", "max", "applies_to"],
            &["id", "fact", "each"],
        ) else {
            continue;
        };
        let id = unique_id(r, f.get("id"), "加分项", &mut seen);
        let what = format!("加分项 `{}`", id.clone().unwrap_or_default());
        let applies_to = read_applies_to(r, f.get("applies_to"), sys, &what);
        let fact_node = f.get("fact");
        let fact = fact_node.and_then(|n| read_fact(r, n, sys, pending));
        if let (Some(p), Some(n)) = (&fact, fact_node)
            && matches!(
                p.intrinsic_type(),
                Some(FactType::List | FactType::Level | FactType::Tally)
            )
        {
            r.error(
                n.pos,
                format!(
                    "{what}只能读取计数、数值或是/否，而 `{p}` 是{}",
                    p.intrinsic_type().map_or("", FactType::label)
                ),
            );
            continue;
        }
        let each = f
            .get("each")
            .and_then(|n| non_negative(r, n, &format!("{what}的 `each`")));
        let max = f
            .get("max")
            .and_then(|n| non_negative(r, n, &format!("{what}的 `max`")));
        if f.get("max").is_some() && max.is_none() {
            continue;
        }
        if let (Some(id), Some(fact), Some(each), Some(applies_to)) = (id, fact, each, applies_to) {
            let label = label_or_id(r, f.get("label"), &id, "加分项");
            out.push(Bonus {
                id,
                label,
                fact,
                each,
                max,
                applies_to,
            });
        }
    }
    out
}

/// `applies_to` of a veto or bonus: `Some(None)` when absent (every category), `None` when
/// it is given and wrong (reported).
fn read_applies_to(
    r: &mut Reader,
    node: Option<&Node>,
    sys: &IndicatorSystem,
    what: &str,
) -> Option<Option<Vec<String>>> {
    match node {
        None => Some(None),
        Some(n) => super::structure::read_applies(r, n, sys, what).map(Some),
    }
}
