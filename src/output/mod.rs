//! The `score` command's formats: table, CSV, JSON and the Excel workbook. Only formatting here: every number comes from
//! the assessment model.

pub mod csv;
pub mod json;
pub mod table;
pub mod xlsx;

use crate::model::Project;
use crate::score::{Assessment, BranchResult, OrgResult};

/// The branches and organisation nodes of the selected years, with their systems.
pub struct Selection<'a> {
    pub project: &'a Project,
    pub assessment: &'a Assessment,
    /// Indices into `project.years` / `assessment.years`.
    pub years: Vec<usize>,
}

impl<'a> Selection<'a> {
    pub fn branches(&self) -> impl Iterator<Item = (usize, &'a BranchResult)> + '_ {
        self.years.iter().flat_map(move |&y| {
            self.assessment.years[y]
                .branches
                .iter()
                .map(move |b| (y, b))
        })
    }

    pub fn orgs(&self) -> impl Iterator<Item = (usize, &'a OrgResult)> + '_ {
        self.years
            .iter()
            .flat_map(move |&y| self.assessment.years[y].orgs.iter().map(move |o| (y, o)))
    }

    /// Branches by year, then rank, then id: the order people read a ranking in.
    pub fn ranked(&self) -> Vec<(usize, &'a BranchResult)> {
        let mut v: Vec<_> = self.branches().collect();
        v.sort_by(|a, b| (a.1.year, a.1.rank, &a.1.id).cmp(&(b.1.year, b.1.rank, &b.1.id)));
        v
    }
}
