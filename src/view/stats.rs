//! Per-year aggregates that several views show: category medians of dimension shares,
//! category sizes and means. Computed once per year.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::decimal::round2;
use crate::score::YearResult;

pub struct YearStats {
    /// (category, dimension) → median share of the dimension's points, in [0, 1].
    pub median_share: HashMap<(String, String), Decimal>,
    /// category → number of branches.
    pub category_size: HashMap<String, usize>,
    /// category → mean total, rounded.
    pub category_mean: HashMap<String, Decimal>,
    /// The district's mean total, rounded (None without branches).
    pub mean: Option<Decimal>,
}

impl YearStats {
    pub fn new(r: &YearResult) -> YearStats {
        let mut shares: HashMap<(String, String), Vec<Decimal>> = HashMap::new();
        let mut sums: HashMap<String, (Decimal, usize)> = HashMap::new();
        for b in &r.branches {
            for d in &b.dimensions {
                if !d.possible.is_zero() {
                    shares
                        .entry((b.category.clone(), d.id.clone()))
                        .or_default()
                        .push(d.earned / d.possible);
                }
            }
            let e = sums.entry(b.category.clone()).or_insert((Decimal::ZERO, 0));
            e.0 += b.total;
            e.1 += 1;
        }
        let median_share = shares
            .into_iter()
            .map(|(k, mut v)| {
                v.sort();
                let n = v.len();
                let m = if n % 2 == 1 {
                    v[n / 2]
                } else {
                    (v[n / 2 - 1] + v[n / 2]) / Decimal::TWO
                };
                (k, m)
            })
            .collect();
        let total: Decimal = r.branches.iter().map(|b| b.total).sum();
        YearStats {
            median_share,
            category_size: sums.iter().map(|(k, (_, n))| (k.clone(), *n)).collect(),
            category_mean: sums
                .iter()
                .map(|(k, (s, n))| (k.clone(), round2(*s / Decimal::from(*n))))
                .collect(),
            mean: (!r.branches.is_empty()).then(|| round2(total / Decimal::from(r.branches.len()))),
        }
    }
}
