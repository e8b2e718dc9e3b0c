//! From a fact's value to the points an indicator earns, and whether a condition holds.

use rust_decimal::Decimal;

use crate::decimal::round2;
use crate::model::{CondValue, Condition, FactValue, IdMap, Indicator, Op, Rule};

/// The share of its points an indicator earns, in [0, 1]; `None` when the value cannot be
/// read by the rule (which validation rules out) — treated as missing.
pub fn share(rule: &Rule, points: Decimal, value: &FactValue) -> Option<Decimal> {
    let s = match (rule, value) {
        (Rule::Goalpost { low, high }, FactValue::Number(x)) => {
            // (x − a) / (b − a); the same formula serves a > b (lower is better).
            clamp01((*x - *low) / (*high - *low))
        }
        (Rule::Steps(steps), FactValue::Number(x)) => steps
            .iter()
            .find(|s| *x >= s.min)
            .map_or(Decimal::ZERO, |s| s.share),
        (Rule::StepsAtMost(steps), FactValue::Number(x)) => steps
            .iter()
            .find(|s| *x <= s.max)
            .map_or(Decimal::ZERO, |s| s.share),
        (Rule::Checklist(items), FactValue::List(done)) => {
            let hit = items.iter().filter(|i| done.contains(*i)).count();
            Decimal::from(hit) / Decimal::from(items.len())
        }
        (Rule::Boolean(want), FactValue::Bool(b)) => {
            if want == b {
                Decimal::ONE
            } else {
                Decimal::ZERO
            }
        }
        (Rule::Deduct { each }, FactValue::Number(x)) => {
            let earned = (points - *each * *x).max(Decimal::ZERO);
            return Some(earned / points);
        }
        (Rule::Rating(levels), FactValue::Level(level)) => {
            levels.iter().find(|(l, _)| l == level).map(|(_, s)| *s)?
        }
        (Rule::Vote(weights), FactValue::Tally(counts)) => vote_share(weights, counts)?,
        _ => return None,
    };
    Some(s)
}

/// Points earned, rounded once; `(0, true)` for a missing fact.
pub fn earned(ind: &Indicator, value: Option<&FactValue>) -> (Decimal, bool) {
    if let (Rule::Deduct { each }, Some(FactValue::Number(x))) = (&ind.rule, value) {
        // Exact without the detour through a share: max(0, points − d × x).
        return (round2((ind.points - *each * *x).max(Decimal::ZERO)), false);
    }
    match value.and_then(|v| share(&ind.rule, ind.points, v)) {
        Some(s) => (round2(ind.points * s), false),
        None => (Decimal::ZERO, true),
    }
}

/// Σ count(level) × weight(level) ÷ total, exact; `None` (missing) when no one voted.
fn vote_share(weights: &[(String, Decimal)], counts: &IdMap<Decimal>) -> Option<Decimal> {
    let total: Decimal = counts.values().sum();
    if total.is_zero() {
        return None;
    }
    let weighted: Decimal = weights
        .iter()
        .map(|(level, w)| counts.get(level).copied().unwrap_or(Decimal::ZERO) * *w)
        .sum();
    Some(weighted / total)
}

fn clamp01(x: Decimal) -> Decimal {
    x.max(Decimal::ZERO).min(Decimal::ONE)
}

/// `Some(fired)`, or `None` when the fact is missing (the veto is *unchecked*).
pub fn holds(cond: &Condition, value: Option<&FactValue>) -> Option<bool> {
    compare(value?, cond.op, &cond.value)
}

/// Whether `value op against` holds; `None` when the two cannot be compared (which
/// validation rules out).
pub fn compare(value: &FactValue, op: Op, against: &CondValue) -> Option<bool> {
    let ord = match (value, against) {
        (FactValue::Number(x), CondValue::Number(y)) => x.cmp(y),
        (FactValue::Bool(x), CondValue::Bool(y)) => {
            return match op {
                Op::Eq => Some(x == y),
                Op::Ne => Some(x != y),
                _ => None,
            };
        }
        (FactValue::Level(x), CondValue::Level(y)) => {
            return match op {
                Op::Eq => Some(x == y),
                Op::Ne => Some(x != y),
                _ => None,
            };
        }
        _ => return None,
    };
    use std::cmp::Ordering::*;
    Some(match op {
        Op::Gt => ord == Greater,
        Op::Ge => ord != Less,
        Op::Lt => ord == Less,
        Op::Le => ord != Greater,
        Op::Eq => ord == Equal,
        Op::Ne => ord != Equal,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FactPath, IdSet, Step};
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn ind(points: &str, rule: Rule) -> Indicator {
        Indicator {
            id: "i".into(),
            label: "i".into(),
            points: d(points),
            applies_to: None,
            fact: FactPath::Members,
            rule,
            guidance: None,
            method: None,
            pos: Default::default(),
        }
    }

    fn num(s: &str) -> Option<FactValue> {
        Some(FactValue::Number(d(s)))
    }

    #[test]
    fn goalpost_both_directions_and_rounding() {
        let up = ind(
            "6",
            Rule::Goalpost {
                low: d("0.6"),
                high: d("0.9"),
            },
        );
        assert_eq!(earned(&up, num("0.75").as_ref()), (d("3"), false));
        assert_eq!(earned(&up, num("0.95").as_ref()), (d("6"), false));
        assert_eq!(earned(&up, num("0.5").as_ref()), (d("0"), false));
        // 6 × (2/3 − 0.6)/0.3 = 1.3333… → 1.33
        assert_eq!(
            earned(&up, Some(&FactValue::Number(d("2") / d("3")))).0,
            d("1.33")
        );
        let down = ind(
            "4",
            Rule::Goalpost {
                low: d("10"),
                high: d("0"),
            },
        );
        assert_eq!(earned(&down, num("2.5").as_ref()).0, d("3"));
        // 0.201 × 5 = 1.005 → 1.01, half away from zero
        let half = ind(
            "5",
            Rule::Goalpost {
                low: d("0"),
                high: d("1"),
            },
        );
        assert_eq!(earned(&half, num("0.201").as_ref()).0, d("1.01"));
        // 0.125 × 1 → 0.13
        let q = ind(
            "1",
            Rule::Goalpost {
                low: d("0"),
                high: d("1"),
            },
        );
        assert_eq!(earned(&q, num("0.125").as_ref()).0, d("0.13"));
    }

    #[test]
    fn steps_first_match_and_boundary() {
        let r = Rule::Steps(vec![
            Step {
                min: d("12"),
                share: d("1"),
            },
            Step {
                min: d("10"),
                share: d("0.6"),
            },
            Step {
                min: d("6"),
                share: d("0.3"),
            },
        ]);
        let i = ind("6", r);
        assert_eq!(earned(&i, num("12").as_ref()).0, d("6"));
        assert_eq!(earned(&i, num("11").as_ref()).0, d("3.6"));
        assert_eq!(earned(&i, num("10").as_ref()).0, d("3.6"));
        assert_eq!(earned(&i, num("6").as_ref()).0, d("1.8"));
        assert_eq!(earned(&i, num("5").as_ref()).0, d("0"));
        assert_eq!(earned(&i, None), (d("0"), true));
    }

    #[test]
    fn checklist_boolean_deduct_rating() {
        let c = ind(
            "5",
            Rule::Checklist(vec!["a".into(), "b".into(), "c".into()]),
        );
        let done: IdSet = ["a", "c", "z"].into_iter().collect();
        // 5 × 2/3 = 3.333… → 3.33
        assert_eq!(earned(&c, Some(&FactValue::List(done))).0, d("3.33"));
        let b = ind("3", Rule::Boolean(true));
        assert_eq!(earned(&b, Some(&FactValue::Bool(true))).0, d("3"));
        assert_eq!(earned(&b, Some(&FactValue::Bool(false))).0, d("0"));
        let x = ind("5", Rule::Deduct { each: d("2") });
        assert_eq!(earned(&x, num("1").as_ref()).0, d("3"));
        assert_eq!(earned(&x, num("3").as_ref()).0, d("0"));
        assert_eq!(earned(&x, num("0").as_ref()).0, d("5"));
        let r = ind(
            "8",
            Rule::Rating(vec![("good".into(), d("0.75")), ("poor".into(), d("0"))]),
        );
        assert_eq!(earned(&r, Some(&FactValue::Level("good".into()))).0, d("6"));
    }

    #[test]
    fn vote_share_exact_and_missing_without_votes() {
        let weights = vec![
            ("excellent".to_string(), d("1")),
            ("good".to_string(), d("0.8")),
            ("fair".to_string(), d("0.4")),
            ("poor".to_string(), d("0")),
        ];
        let v = ind("10", Rule::Vote(weights));
        let tally = |xs: &[(&str, i64)]| {
            Some(FactValue::Tally(
                xs.iter().map(|(k, n)| (*k, Decimal::from(*n))).collect(),
            ))
        };
        // (31 × 1 + 12 × 0.8 + 2 × 0.4 + 0) ÷ 45 = 41.4 ÷ 45 = 0.92 → 10 × 0.92 = 9.2
        assert_eq!(
            earned(
                &v,
                tally(&[("excellent", 31), ("good", 12), ("fair", 2)]).as_ref()
            ),
            (d("9.2"), false)
        );
        // (1 × 1 + 2 × 0) ÷ 3 = 1/3, kept exact: 10 × 1/3 = 3.333… → 3.33.
        assert_eq!(
            earned(&v, tally(&[("excellent", 1), ("poor", 2)]).as_ref()).0,
            d("3.33")
        );
        // No votes at all: missing.
        assert_eq!(earned(&v, tally(&[("good", 0)]).as_ref()), (d("0"), true));
        assert_eq!(earned(&v, tally(&[]).as_ref()), (d("0"), true));
    }

    #[test]
    fn conditions() {
        let c = Condition {
            fact: FactPath::Members,
            op: Op::Gt,
            value: CondValue::Number(d("0")),
        };
        assert_eq!(holds(&c, num("1").as_ref()), Some(true));
        assert_eq!(holds(&c, num("0").as_ref()), Some(false));
        assert_eq!(holds(&c, None), None);
        let e = Condition {
            fact: FactPath::Members,
            op: Op::Eq,
            value: CondValue::Bool(false),
        };
        assert_eq!(holds(&e, Some(&FactValue::Bool(false))), Some(true));
        let l = Condition {
            fact: FactPath::Members,
            op: Op::Ne,
            value: CondValue::Level("poor".into()),
        };
        assert_eq!(
            holds(&l, Some(&FactValue::Level("poor".into()))),
            Some(false)
        );
    }
}
