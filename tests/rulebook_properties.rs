//! Properties of the `deductions` rule over random clauses and records: the item never
//! earns less than 0 or more than its points, it earns exactly its points minus the listed
//! deductions (rounded once) unless a fact is missing, and a shortfall never deducts less
//! as it grows.

use dangjian::decimal::round2;
use dangjian::model::{Bound, Clause, ClauseForm, CondValue, FactPath, Op, Record};
use dangjian::score::deductions::{deduction, score};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Cents (two decimals) as a decimal.
fn cents(n: u32) -> Decimal {
    Decimal::new(i64::from(n), 2)
}

/// A clause on one of three incidents `i0`..`i2`: each (bare, below, above, with per and
/// max) or a comparison.
fn clause() -> impl Strategy<Value = Clause> {
    (
        0usize..3,
        0u32..4,
        0u32..1000,
        0u32..20,
        proptest::option::of(1u32..500),
        proptest::option::of(0u32..2000),
    )
        .prop_map(|(fact, form, e, n, per, max)| {
            let n = Decimal::from(n);
            let form = match form {
                0 => ClauseForm::Each {
                    each: cents(e),
                    bound: None,
                    per: per.map(cents),
                },
                1 => ClauseForm::Each {
                    each: cents(e),
                    bound: Some(Bound::Below(n)),
                    per: per.map(cents),
                },
                2 => ClauseForm::Each {
                    each: cents(e),
                    bound: Some(Bound::Above(n)),
                    per: per.map(cents),
                },
                _ => ClauseForm::Compare {
                    op: Op::Gt,
                    value: CondValue::Number(n),
                    deduct: cents(e),
                },
            };
            let is_compare = matches!(form, ClauseForm::Compare { .. });
            Clause {
                fact: FactPath::Incident(format!("i{fact}")),
                form,
                max: max.filter(|_| !is_compare).map(cents),
                label: None,
                pos: Default::default(),
            }
        })
}

fn record(counts: &[Option<u32>]) -> Record {
    let mut rec = Record::default();
    for (k, c) in counts.iter().enumerate() {
        if let Some(c) = c {
            rec.incidents.insert(format!("i{k}"), Decimal::from(*c));
        }
    }
    rec
}

proptest! {
    #[test]
    fn earned_is_points_minus_the_listed_deductions_never_below_zero(
        points in 1u32..10_000,
        clauses in proptest::collection::vec(clause(), 1..6),
        counts in proptest::collection::vec(proptest::option::of(0u32..30), 3),
    ) {
        let points = cents(points);
        let rec = record(&counts);
        let s = score(points, &clauses, &rec);
        prop_assert!(s.earned >= Decimal::ZERO && s.earned <= points);
        // Listed in file order, each above 0.
        prop_assert!(s.clauses.windows(2).all(|w| w[0].clause < w[1].clause));
        prop_assert!(s.clauses.iter().all(|c| c.deduction > Decimal::ZERO));
        let missing = clauses.iter().any(|c| match &c.fact {
            FactPath::Incident(id) => rec.incidents.get(id).is_none(),
            _ => true,
        });
        prop_assert_eq!(s.missing, missing);
        if missing {
            prop_assert_eq!(s.earned, Decimal::ZERO);
        } else {
            let sum: Decimal = s.clauses.iter().map(|c| c.deduction).sum();
            prop_assert_eq!(s.earned, round2((points - sum).max(Decimal::ZERO)));
        }
        // No clause deducts more than its max.
        for c in &s.clauses {
            if let Some(m) = clauses[c.clause].max {
                prop_assert!(c.deduction <= m);
            }
        }
    }

    #[test]
    fn a_larger_shortfall_never_deducts_less(
        e in 0u32..1000, n in 0u32..20, per in proptest::option::of(1u32..500),
        x in 0u32..30, y in 0u32..30,
    ) {
        let c = Clause {
            fact: FactPath::Incident("i0".into()),
            form: ClauseForm::Each {
                each: cents(e),
                bound: Some(Bound::Below(Decimal::from(n))),
                per: per.map(cents),
            },
            max: None,
            label: None,
            pos: Default::default(),
        };
        let (lo, hi) = (x.min(y), x.max(y));
        let d = |v: u32| deduction(&c, &dangjian::model::FactValue::Number(Decimal::from(v)));
        // Fewer meetings (a lower x) is a larger shortfall under `below`.
        prop_assert!(d(lo) >= d(hi));
        prop_assert!(d(lo).is_some_and(|v| v >= Decimal::ZERO));
    }
}
