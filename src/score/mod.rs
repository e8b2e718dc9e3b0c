//! Scoring: pure functions from the input model to the assessment model. No I/O here.

pub mod branch;
pub mod cycle;
pub mod deductions;
pub mod facts;
pub mod model;
pub mod rules;
pub mod year;

pub use model::*;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Pos};
use crate::model::{FactPath, Indicator, Project, Record, Rule};
use crate::progress::{self, Stage};

/// Scores every year. Needs a project that loaded without errors.
pub fn assess(project: &Project) -> Assessment {
    let mut years: Vec<YearResult> = Vec::with_capacity(project.years.len());
    for (i, y) in project.years.iter().enumerate() {
        let ids = branch::ResultIds::new(&y.system);
        progress::expect(Stage::Score, y.branches.len());
        let mut branches: Vec<BranchResult> = y
            .branches
            .par_iter()
            .map(|b| {
                let r = branch::score_with(y.year, b, &y.system, &ids);
                progress::advance(Stage::Score, 1);
                r
            })
            .collect();
        year::rank(&mut branches);
        let previous = i.checked_sub(1).map(|p| {
            (
                years[p].branches.as_slice(),
                project.years[p].system.as_ref(),
            )
        });
        year::movement(&mut branches, &y.system, previous);
        cycle::follow_up(project, i, &mut branches, &years);
        let orgs = year::orgs(y, &branches);
        let mut order: Vec<usize> = (0..branches.len()).collect();
        order.sort_by(|&a, &b| {
            (branches[a].rank, &branches[a].id).cmp(&(branches[b].rank, &branches[b].id))
        });
        years.push(YearResult {
            year: y.year,
            branches,
            orgs,
            order,
        });
    }
    Assessment { years }
}

/// Warnings the scores carry: missing facts (errors under `--strict`), unchecked vetoes
/// (warnings always), and the cycle's warnings across years ([`cycle::carry_over`]).
pub fn diagnostics(project: &Project, assessment: &Assessment, strict: bool) -> Vec<Diagnostic> {
    let mut out = cycle::carry_over(project, &|j, k| {
        assessment.years[j].branches[k].on_rectification_list
    });
    for (y, r) in project.years.iter().zip(&assessment.years) {
        // Both sorted by id: a result's record is the branch at the same place.
        for (branch, b) in y.branches.iter().zip(&r.branches) {
            for i in b.indicators.iter().filter(|i| i.missing) {
                let Some(ind) = y.system.indicator(&i.id) else {
                    continue;
                };
                let msg = match &ind.fact {
                    // Given, but no one voted: not absent data, an empty vote.
                    FactPath::Vote { id, .. } if branch.record.votes.contains_key(id) => {
                        format!(
                            "指标 `{}`（{}）读取的评议 `{id}` 总票数为 0，该项按 0 分计",
                            ind.id, ind.label
                        )
                    }
                    _ => format!(
                        "缺少指标 `{}`（{}）所需的数据 {}，该项按 0 分计",
                        ind.id,
                        ind.label,
                        missing_facts(ind, &branch.record)
                    ),
                };
                out.push(if strict {
                    Diagnostic::error(&b.file, Pos::START, msg)
                } else {
                    Diagnostic::warning(&b.file, Pos::START, msg)
                });
            }
            for v in &b.unchecked_vetoes {
                let Some(veto) = y.system.vetoes.iter().find(|x| x.id == *v) else {
                    continue;
                };
                out.push(
                    Diagnostic::warning(
                        &b.file,
                        Pos::START,
                        format!(
                            "否决项 `{}`（{}）未能检查：缺少数据 `{}`",
                            veto.id, veto.label, veto.when.fact
                        ),
                    )
                    .with_hint("即使为 0 也要填写，否则无法确认没有触及高压线"),
                );
            }
        }
    }
    out
}

/// The facts an indicator lacks, as `a`、`b`: its own, or those of its clauses that are
/// missing.
fn missing_facts(ind: &Indicator, rec: &Record) -> String {
    let mut absent: Vec<String> = Vec::new();
    if let Rule::Deductions(clauses) = &ind.rule {
        for c in clauses
            .iter()
            .filter(|c| facts::value(rec, &c.fact).is_none())
        {
            let shown = format!("`{}`", c.fact);
            if !absent.contains(&shown) {
                absent.push(shown);
            }
        }
    }
    if absent.is_empty() {
        format!("`{}`", ind.fact)
    } else {
        absent.join("、")
    }
}

/// The cycle's warnings across years for a project that did not load cleanly (it is not
/// scored as a whole): each branch that matters is scored on its own to know whether it was
/// on its year's rectification list.
pub fn carry_over_unscored(project: &Project) -> Vec<Diagnostic> {
    cycle::carry_over(project, &|j, k| {
        let y = &project.years[j];
        branch::score(y.year, &y.branches[k], &y.system).on_rectification_list
    })
}
