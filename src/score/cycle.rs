//! The assessment cycle across years: the follow-up of each rectification item (status at
//! the cut-off, the targeted indicator's points now and before), whether a branch was on the
//! rectification list the year before, and the warnings about branches that vanished or
//! were on last year's list and give no plan.

use rust_decimal::Decimal;

use super::model::{BranchResult, RectResult, RectStatus, YearResult};
use crate::diagnostics::{Diagnostic, Pos};
use crate::model::{Date, Id, Project, Rectification, Year};

/// Status of an item at the cut-off date `c`.
pub fn status(item: &Rectification, c: Date) -> RectStatus {
    match item.done {
        Some(done) if done <= item.due => RectStatus::Done,
        Some(_) => RectStatus::Late,
        None if item.due < c => RectStatus::Overdue,
        None => RectStatus::Open,
    }
}

/// Fills in the follow-up of year `i`'s branches (`branches`, in the order of
/// `project.years[i].branches`) from the years before it (`earlier`, already scored).
pub fn follow_up(
    project: &Project,
    i: usize,
    branches: &mut [BranchResult],
    earlier: &[YearResult],
) {
    let year = &project.years[i];
    let cut_off = year.cut_off();
    for (b, r) in year.branches.iter().zip(branches.iter_mut()) {
        r.previous_on_list = search_back(
            project,
            i,
            &b.id,
            |_, _, prev| Some(prev.on_rectification_list),
            earlier,
        );
        r.rectification = b
            .record
            .rectification
            .iter()
            .map(|item| {
                let points = item
                    .indicator
                    .as_ref()
                    .and_then(|id| r.indicators.iter().find(|x| x.id == *id))
                    .map(|x| x.earned);
                let previous = item
                    .indicator
                    .as_ref()
                    .and_then(|id| previous_points(project, i, &b.id, id, earlier));
                RectResult {
                    id: item.id.clone(),
                    status: status(item, cut_off),
                    indicator: item.indicator.clone(),
                    points,
                    previous_points: previous.map(|(p, _)| p),
                    previous_year: previous.map(|(_, y)| y),
                }
            })
            .collect();
    }
}

/// Goes back year by year from year `i` over the years in which branch `id` has a record;
/// the first `Some` that `f` gives for (that year, its record, its result) wins.
fn search_back<T>(
    project: &Project,
    i: usize,
    id: &str,
    mut f: impl FnMut(&Year, &crate::model::Branch, &BranchResult) -> Option<T>,
    earlier: &[YearResult],
) -> Option<T> {
    (0..i).rev().find_map(|j| {
        let y = &project.years[j];
        let k = y.branch_index(id)?;
        f(y, &y.branches[k], &earlier[j].branches[k])
    })
}

/// The indicator's rounded points in the nearest earlier year in which the branch has a
/// record and the indicator is in that year's system and applies to the branch there.
fn previous_points(
    project: &Project,
    i: usize,
    branch: &str,
    indicator: &Id,
    earlier: &[YearResult],
) -> Option<(Decimal, i32)> {
    search_back(
        project,
        i,
        branch,
        |y, b, r| {
            let ind = y.system.indicator(indicator)?;
            if !ind.applies(&b.record.category) {
                return None;
            }
            let earned = r.indicators.iter().find(|x| x.id == *indicator)?.earned;
            Some((earned, y.year))
        },
        earlier,
    )
}

/// Warnings that compare each year with the nearest earlier one: a branch that is gone and
/// not listed in `withdrawn`, and a branch on last year's rectification list with no plan.
/// `on_list(j, k)`: whether branch `k` of year `j` was on that year's list.
pub fn carry_over(project: &Project, on_list: &dyn Fn(usize, usize) -> bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for i in 1..project.years.len() {
        let (prev, year) = (&project.years[i - 1], &project.years[i]);
        let district = year.district();
        // An unreadable record (empty category, already an error) tells nothing.
        let usable = |b: &crate::model::Branch| !b.record.category.is_empty();
        // A district whose `withdrawn` could not be read may list any branch.
        let withdrawn_unknown = district.is_some_and(|d| d.withdrawn_unknown);
        for (k, b) in prev.branches.iter().enumerate() {
            if !usable(b)
                || withdrawn_unknown
                || year.branch(&b.id).is_some()
                || district.is_some_and(|d| d.withdrawn.iter().any(|w| w.id == b.id))
            {
                continue;
            }
            let mut msg = format!(
                "{} 年度的支部 `{}`（{}）本年度没有记录，也没有列入 `withdrawn`",
                prev.year, b.id, b.record.name
            );
            if on_list(i - 1, k) {
                msg.push_str(&format!(
                    "；它在 {} 年度列入了整改名单，整改情况无从跟踪",
                    prev.year
                ));
            }
            let d = match district {
                Some(d) => Diagnostic::warning(&d.file, d.withdrawn_pos.unwrap_or(Pos::START), msg),
                None => Diagnostic::warning(&format!("content/{}", year.year), Pos::NONE, msg),
            };
            out.push(d.with_hint(
                "支部已撤销的，在年度 _org.yaml 的 `withdrawn` 中写明编号和原因；仍然存在的，补上本年度记录",
            ));
        }
        for b in &year.branches {
            if !usable(b) || !b.record.rectification.is_empty() {
                continue;
            }
            let Some(k) = prev.branch_index(&b.id) else {
                continue;
            };
            if usable(&prev.branches[k]) && on_list(i - 1, k) {
                out.push(
                    Diagnostic::warning(
                        &b.file,
                        Pos::START,
                        format!(
                            "该支部在 {} 年度列入了整改名单，本年度记录没有整改计划 `rectification`",
                            prev.year
                        ),
                    )
                    .with_hint("在记录中加入 rectification，逐项写明问题、措施和整改期限"),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(due: &str, done: Option<&str>) -> Rectification {
        Rectification {
            id: "x".into(),
            problem: "p".into(),
            measure: "m".into(),
            owner: None,
            due: Date::parse(due).unwrap(),
            indicator: None,
            done: done.map(|d| Date::parse(d).unwrap()),
            problem_at: Default::default(),
            measure_at: Default::default(),
            owner_at: None,
        }
    }

    #[test]
    fn statuses_at_and_around_the_cut_off() {
        let c = Date::parse("2026-06-30").unwrap();
        // Done on the deadline is on time; a day after is late.
        assert_eq!(
            status(&item("2026-05-31", Some("2026-05-31")), c),
            RectStatus::Done
        );
        assert_eq!(
            status(&item("2026-05-31", Some("2026-06-01")), c),
            RectStatus::Late
        );
        // Not done: a deadline the day before the cut-off is overdue, on it still open.
        assert_eq!(status(&item("2026-06-29", None), c), RectStatus::Overdue);
        assert_eq!(status(&item("2026-06-30", None), c), RectStatus::Open);
        assert_eq!(status(&item("2027-03-31", None), c), RectStatus::Open);
    }
}
