//! Per-year aggregates that several views show: category medians of dimension shares,
//! category sizes and means. Computed once per year.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::decimal::round2;
use crate::model::Id;
use crate::score::YearResult;

pub struct YearStats {
    /// category → dimension → median share of the dimension's points, in [0, 1].
    pub median_share: HashMap<String, HashMap<Id, Decimal>>,
    /// category → number of branches.
    pub category_size: HashMap<String, usize>,
    /// category → mean total, rounded.
    pub category_mean: HashMap<String, Decimal>,
    /// The district's mean total, rounded (None without branches).
    pub mean: Option<Decimal>,
}

impl YearStats {
    pub fn new(r: &YearResult) -> YearStats {
        // By category, then dimension: a category's key is copied once, not per branch.
        let mut shares: HashMap<&str, HashMap<Id, Vec<Decimal>>> = HashMap::new();
        let mut sums: HashMap<String, (Decimal, usize)> = HashMap::new();
        for b in &r.branches {
            let of_category = shares.entry(b.category.as_str()).or_default();
            for d in &b.dimensions {
                if !d.possible.is_zero() {
                    of_category
                        .entry(d.id.clone())
                        .or_default()
                        .push(d.earned / d.possible);
                }
            }
            match sums.get_mut(&b.category) {
                Some(e) => {
                    e.0 += b.total;
                    e.1 += 1;
                }
                None => {
                    sums.insert(b.category.clone(), (b.total, 1));
                }
            }
        }
        let median = |mut v: Vec<Decimal>| {
            v.sort();
            let n = v.len();
            if n % 2 == 1 {
                v[n / 2]
            } else {
                (v[n / 2 - 1] + v[n / 2]) / Decimal::TWO
            }
        };
        let median_share = shares
            .into_iter()
            .map(|(c, dims)| {
                let dims = dims.into_iter().map(|(d, v)| (d, median(v))).collect();
                (c.to_string(), dims)
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
