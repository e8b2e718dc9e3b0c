//! Checks that need the whole system: rating facts, one type per fact, the ids records may
//! use, and the sum of each category's points.

use rust_decimal::Decimal;

use crate::decimal;
use crate::diagnostics::Pos;
use crate::model::{FactPath, FactType, IndicatorSystem};
use crate::suggest;
use crate::yaml::{Kind, Node, Reader};

use super::values::*;

/// `ratings.<id>` must name an indicator with a rating rule.
pub(super) fn check_rating_facts(r: &mut Reader, sys: &IndicatorSystem, pending: &Pending) {
    for (id, pos) in &pending.rating_facts {
        match sys.indicator(id) {
            Some(i) if i.rating_levels().is_some() => {}
            Some(_) => {
                r.error(
                    *pos,
                    format!("指标 `{id}` 没有 rating 规则，不能读取 `ratings.{id}`"),
                )
                .hint = Some("评定等级由 rating 规则或扣分项的 `levels` 定义".into());
            }
            // An indicator written but not read: its own error says why.
            None if pending.unread.contains(id) => {}
            None => {
                let hint = suggest::hint(id, sys.indicators().map(|(_, i)| i.id.as_str()));
                r.err_hint(
                    *pos,
                    format!("`ratings.{id}` 指向未定义的指标 `{id}`"),
                    hint,
                );
            }
        }
    }
}

/// One type per `facts.<id>`: the first use decides, a conflicting use is an error.
pub(super) fn fact_types(r: &mut Reader, pending: &Pending) -> Vec<(String, FactType)> {
    let mut out: Vec<(String, FactType, Pos)> = Vec::new();
    for (id, ty, pos) in &pending.fact_uses {
        if id.contains('.') {
            continue;
        }
        match out.iter_mut().find(|(k, _, _)| k == id) {
            None => out.push((id.clone(), *ty, *pos)),
            Some((_, prev, first)) => {
                // Numeric uses agree, and the strictest wins: a deduct needs whole numbers
                // ≥ 0, a clause's bare `each` numbers ≥ 0, the rest any number.
                let strictness = |t: FactType| match t {
                    FactType::Number => Some(0),
                    FactType::NonNegative => Some(1),
                    FactType::Count => Some(2),
                    _ => None,
                };
                if let (Some(a), Some(b)) = (strictness(*prev), strictness(*ty)) {
                    if b > a {
                        *prev = *ty;
                    }
                } else if prev != ty {
                    r.error(
                        *pos,
                        format!(
                            "`facts.{id}` 在这里被当作{}使用，但在第 {} 行被当作{}使用（每个事实只能有一种类型）",
                            ty.label(),
                            first.line,
                            prev.label()
                        ),
                    );
                }
            }
        }
    }
    out.into_iter().map(|(k, t, _)| (k, t)).collect()
}

pub(super) fn collect_known_ids(sys: &mut IndicatorSystem) {
    let mut paths: Vec<FactPath> = sys
        .indicators()
        .flat_map(|(_, i)| i.facts().cloned())
        .collect();
    paths.extend(sys.vetoes.iter().map(|v| v.when.fact.clone()));
    paths.extend(sys.bonuses.iter().map(|b| b.fact.clone()));
    for p in paths {
        let (list, id) = match p {
            FactPath::Survey { id, .. } => (&mut sys.survey_ids, id),
            FactPath::Incident(id) => (&mut sys.incident_ids, id),
            FactPath::Honor(id) => (&mut sys.honor_ids, id),
            FactPath::Fact(id) => {
                if sys.fact_types.iter().all(|(k, _)| *k != id) {
                    sys.fact_types.push((id, FactType::NumberOrBool));
                }
                continue;
            }
            _ => continue,
        };
        if !list.contains(&id) {
            list.push(id);
        }
    }
}

/// Every category's applicable points sum to exactly `scale`.
pub(super) fn check_category_sums(
    r: &mut Reader,
    sys: &IndicatorSystem,
    scale: Decimal,
    cats: &Node,
) {
    let Kind::Map(entries) = &cats.kind else {
        return;
    };
    for (cat, _) in &sys.categories {
        let sum: Decimal = sys
            .indicators()
            .filter(|(_, i)| i.applies(cat))
            .map(|(_, i)| i.points)
            .sum();
        if sum != scale {
            let pos = entries
                .iter()
                .find(|e| e.key_text() == cat)
                .map_or(cats.pos, |e| e.key.pos);
            r.error(
                pos,
                format!(
                    "类别 `{cat}` 适用指标的分值合计 {}，不等于 `scale` {}",
                    decimal::show(sum),
                    decimal::show(scale)
                ),
            )
            .hint = Some(format!(
                "还差 {}；检查各指标的 `points` 和 `applies_to`",
                decimal::show(scale - sum)
            ));
        }
    }
}
