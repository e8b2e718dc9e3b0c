//! What needs the whole year: ranks, organisation means and grade counts, and movement
//! against the nearest earlier year (SCHEMA.md steps 8–10).

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::model::{BranchResult, Movement, OrgResult};
use crate::decimal::round2;
use crate::model::{IndicatorSystem, Year};

/// Competition ranking ("1, 2, 2, 4") by total, descending, overall and within category.
pub fn rank(branches: &mut [BranchResult]) {
    let mut totals: Vec<Decimal> = branches.iter().map(|b| b.total).collect();
    totals.sort_unstable_by(|a, b| b.cmp(a));
    let mut by_cat: HashMap<String, Vec<Decimal>> = HashMap::new();
    for b in branches.iter() {
        by_cat.entry(b.category.clone()).or_default().push(b.total);
    }
    for v in by_cat.values_mut() {
        v.sort_unstable_by(|a, b| b.cmp(a));
    }
    for b in branches.iter_mut() {
        b.rank = 1 + totals.partition_point(|t| *t > b.total);
        b.rank_in_category = 1 + by_cat[&b.category].partition_point(|t| *t > b.total);
    }
}

pub fn orgs(year: &Year, branches: &[BranchResult]) -> Vec<OrgResult> {
    let sys = &year.system;
    let mut sums = vec![(Decimal::ZERO, 0usize, vec![0usize; sys.grades.len()]); year.orgs.len()];
    for b in branches {
        // The branch's node, then each parent up to the district.
        let mut at = b.org_node;
        while let Some(i) = at {
            let s = &mut sums[i];
            s.0 += b.total;
            s.1 += 1;
            s.2[b.grade] += 1;
            at = year.orgs[i].parent;
        }
    }
    year.orgs
        .iter()
        .zip(sums)
        .map(|(o, (sum, n, counts))| OrgResult {
            year: year.year,
            org: o.path.clone(),
            name: o.name.clone(),
            kind: o.kind.clone(),
            branches: n,
            mean: (n > 0).then(|| round2(sum / Decimal::from(n))),
            grades: sys
                .grades
                .iter()
                .zip(counts)
                .map(|(g, c)| (g.id.clone(), c))
                .collect(),
        })
        .collect()
}

/// Compares final grades by their position in each year's own grade list.
pub fn movement(
    branches: &mut [BranchResult],
    sys: &IndicatorSystem,
    previous: Option<(&[BranchResult], &IndicatorSystem)>,
) {
    let Some((prev, prev_sys)) = previous else {
        return;
    };
    let by_id: HashMap<&str, &BranchResult> = prev.iter().map(|b| (b.id.as_str(), b)).collect();
    for b in branches.iter_mut() {
        let Some(p) = by_id.get(b.id.as_str()) else {
            continue;
        };
        b.movement = match b.grade.cmp(&p.grade) {
            std::cmp::Ordering::Less => Movement::Up,
            std::cmp::Ordering::Greater => Movement::Down,
            std::cmp::Ordering::Equal => Movement::Same,
        };
        b.previous_grade = prev_sys.grades.get(p.grade).map(|g| g.id.clone());
        b.version_changed = sys.version != prev_sys.version;
    }
}
