//! Scoring a `deductions` rule (扣分制): each clause's deduction, exact; the item earns its
//! points minus their sum, never below zero, rounded once (SCHEMA.md, version 2, part 2).

use rust_decimal::Decimal;

use super::facts;
use super::model::ClauseDeduction;
use super::rules::compare;
use crate::decimal::round2;
use crate::model::{Bound, Clause, ClauseForm, FactPath, FactValue, Record};

/// What a `deductions` indicator earns for one record.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// round(max(0, points − Σ d)); 0 when a clause's fact is missing.
    pub earned: Decimal,
    pub missing: bool,
    /// The first clause's fact, read (see [`crate::model::Indicator::fact`]).
    pub value: Option<FactValue>,
    /// The clauses that deduct something (d > 0), in file order; a clause whose fact is
    /// missing has no deduction and is not among them.
    pub clauses: Vec<ClauseDeduction>,
}

pub fn score(points: Decimal, clauses: &[Clause], rec: &Record) -> Scored {
    let mut sum = Decimal::ZERO;
    let mut missing = false;
    let mut out = Vec::new();
    let mut first = None;
    for (n, c) in clauses.iter().enumerate() {
        let d = if n == 0 {
            // Read once: the first clause's value is also the indicator's.
            first = facts::value(rec, &c.fact);
            first.as_ref().and_then(|v| deduction(c, v))
        } else {
            deduction_for(c, rec)
        };
        match d {
            Some(d) => {
                sum += d;
                if d > Decimal::ZERO {
                    out.push(ClauseDeduction {
                        clause: n,
                        deduction: d,
                    });
                }
            }
            None => missing = true,
        }
    }
    let earned = if missing {
        Decimal::ZERO
    } else {
        round2((points - sum).max(Decimal::ZERO))
    };
    Scored {
        earned,
        missing,
        value: first,
        clauses: out,
    }
}

/// A clause's deduction for a record; `None` when its fact is missing.
fn deduction_for(c: &Clause, rec: &Record) -> Option<Decimal> {
    if let (ClauseForm::MissingEach { .. }, FactPath::Checklist(id)) = (&c.form, &c.fact) {
        // The items done, read in place rather than copied out as a fact value.
        let done = rec.checklists.get(id)?;
        return Some(missing_each(c, |item| done.contains(item)));
    }
    deduction(c, &facts::value(rec, &c.fact)?)
}

/// A clause's deduction d for the value of its fact, exact (SCHEMA.md's table of forms);
/// `None` when the value is not of the clause's form (which validation rules out).
pub fn deduction(c: &Clause, value: &FactValue) -> Option<Decimal> {
    let d = match (&c.form, value) {
        (ClauseForm::Each { each, bound, per }, FactValue::Number(x)) => {
            let a = match bound {
                None => *x,
                Some(Bound::Below(n)) => (*n - *x).max(Decimal::ZERO),
                Some(Bound::Above(n)) => (*x - *n).max(Decimal::ZERO),
            };
            match per {
                Some(u) => *each * a / *u,
                None => *each * a,
            }
        }
        (ClauseForm::Compare { op, value, deduct }, v) => {
            if compare(v, *op, value)? {
                *deduct
            } else {
                Decimal::ZERO
            }
        }
        (ClauseForm::MissingEach { .. }, FactValue::List(done)) => {
            return Some(missing_each(c, |item| done.contains(item)));
        }
        (ClauseForm::Levels(levels), FactValue::Level(level)) => {
            levels.iter().find(|(l, _)| l == level).map(|(_, d)| *d)?
        }
        _ => return None,
    };
    Some(capped(c, d))
}

fn missing_each(c: &Clause, done: impl Fn(&str) -> bool) -> Decimal {
    let ClauseForm::MissingEach { each, items, .. } = &c.form else {
        return Decimal::ZERO;
    };
    let missing = items.iter().filter(|i| !done(i)).count();
    capped(c, *each * Decimal::from(missing))
}

fn capped(c: &Clause, d: Decimal) -> Decimal {
    c.max.map_or(d, |m| d.min(m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CondValue, IdSet, Op};
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn clause(fact: &str, form: ClauseForm, max: Option<&str>) -> Clause {
        Clause {
            fact: FactPath::parse(fact).unwrap(),
            form,
            max: max.map(d),
            label: None,
            pos: Default::default(),
        }
    }

    fn each(e: &str, bound: Option<Bound>, per: Option<&str>) -> ClauseForm {
        ClauseForm::Each {
            each: d(e),
            bound,
            per: per.map(d),
        }
    }

    fn num(s: &str) -> FactValue {
        FactValue::Number(d(s))
    }

    #[test]
    fn each_below_above_per_and_max() {
        // 3 × 2 = 6, capped at 4.
        let c = clause("incidents.late", each("2", None, None), Some("4"));
        assert_eq!(deduction(&c, &num("1")), Some(d("2")));
        assert_eq!(deduction(&c, &num("2")), Some(d("4")));
        assert_eq!(deduction(&c, &num("3")), Some(d("4")));
        // below 4: (4 − 1) × 1 = 3; at or over 4: 0.
        let c = clause(
            "meetings.general.quarters",
            each("1", Some(Bound::Below(d("4"))), None),
            None,
        );
        assert_eq!(deduction(&c, &num("1")), Some(d("3")));
        assert_eq!(deduction(&c, &num("4")), Some(d("0")));
        // (0.9 − 0.884) ÷ 0.01 × 0.5 = 1.6 × 0.5 = 0.8, exactly.
        let c = clause(
            "surveys.s.rate",
            each("0.5", Some(Bound::Below(d("0.9"))), Some("0.01")),
            None,
        );
        assert_eq!(deduction(&c, &num("0.884")), Some(d("0.8")));
        // above 2: (5 − 2) × 1.5 = 4.5.
        let c = clause(
            "incidents.x",
            each("1.5", Some(Bound::Above(d("2"))), None),
            None,
        );
        assert_eq!(deduction(&c, &num("5")), Some(d("4.5")));
        assert_eq!(deduction(&c, &num("1")), Some(d("0")));
    }

    #[test]
    fn comparisons_missing_items_and_levels() {
        let c = clause(
            "facts.plan",
            ClauseForm::Compare {
                op: Op::Eq,
                value: CondValue::Bool(false),
                deduct: d("5"),
            },
            None,
        );
        assert_eq!(deduction(&c, &FactValue::Bool(false)), Some(d("5")));
        assert_eq!(deduction(&c, &FactValue::Bool(true)), Some(d("0")));
        let c = clause(
            "checklists.rules",
            ClauseForm::MissingEach {
                each: d("1"),
                items: vec!["a".into(), "b".into(), "c".into()],
                listed: false,
            },
            Some("2"),
        );
        let done: IdSet = ["b"].into_iter().collect();
        // a and c missing: 2 × 1 = 2 (at max 2).
        assert_eq!(deduction(&c, &FactValue::List(done)), Some(d("2")));
        let c = clause(
            "ratings.i",
            ClauseForm::Levels(vec![("good".into(), d("0")), ("poor".into(), d("3"))]),
            None,
        );
        assert_eq!(
            deduction(&c, &FactValue::Level("poor".into())),
            Some(d("3"))
        );
        assert_eq!(deduction(&c, &FactValue::Level("great".into())), None);
    }

    #[test]
    fn floor_rounding_once_and_missing() {
        let mut rec = Record::default();
        rec.incidents.insert("late", d("3"));
        rec.incidents.insert("other", d("1"));
        let clauses = vec![
            clause("incidents.late", each("2", None, None), None),
            clause("incidents.other", each("0.005", None, None), None),
        ];
        // 5 − (6 + 0.005) < 0 → 0; both clauses listed with their own d.
        let s = score(d("5"), &clauses, &rec);
        assert_eq!(s.earned, d("0"));
        assert!(!s.missing);
        assert_eq!(
            s.clauses,
            vec![
                ClauseDeduction {
                    clause: 0,
                    deduction: d("6")
                },
                ClauseDeduction {
                    clause: 1,
                    deduction: d("0.005")
                }
            ]
        );
        // 10 − 6.005 = 3.995 → 4.00: rounded once, at the end.
        assert_eq!(score(d("10"), &clauses, &rec).earned, d("4"));
        // A clause whose fact is missing makes the item missing.
        let with_missing = vec![
            clause("incidents.late", each("2", None, None), None),
            clause("incidents.absent", each("1", None, None), None),
        ];
        let s = score(d("10"), &with_missing, &rec);
        assert_eq!((s.earned, s.missing), (d("0"), true));
        assert_eq!(s.clauses.len(), 1);
    }
}
