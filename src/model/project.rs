//! A whole project: every year with its organisation tree and branches.

use std::path::PathBuf;
use std::sync::Arc;

use rust_decimal::Decimal;

use super::date::Date;
use super::indicators::IndicatorSystem;
use super::record::Record;
use crate::diagnostics::Pos;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoverageCount {
    pub total: Decimal,
    pub covered: Decimal,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    pub private_enterprises: Option<CoverageCount>,
    pub social_organisations: Option<CoverageCount>,
}

/// An organisation node (a folder holding an `_org.yaml`); the district is the year folder.
#[derive(Debug, Clone)]
pub struct OrgNode {
    /// Ids from the district's child down to this node; empty for the district.
    pub path: Vec<String>,
    pub name: String,
    pub kind: Option<String>,
    /// Where the values of `name` and `kind` start in `file` (see `Record::name_at`).
    pub name_at: Option<Pos>,
    pub kind_at: Option<Pos>,
    pub coverage: Option<Coverage>,
    /// `_org.yaml`, relative to the root.
    pub file: String,
    /// Index of the parent node in the year's `orgs` (None for the district, or when the
    /// parent folder has no `_org.yaml`). Set once the year's nodes are sorted.
    pub parent: Option<usize>,
    /// District only: the data cut-off of a year in progress.
    pub as_of: Option<Date>,
    /// District only: branches of the nearest earlier year that are gone, in file order.
    pub withdrawn: Vec<Withdrawn>,
    /// District only: where `withdrawn` is written (warnings about absent branches point here).
    pub withdrawn_pos: Option<Pos>,
    /// District only: `withdrawn` could not be read (the file, or the list; the error is
    /// reported), so any branch may be on it: none is said to have vanished unlisted.
    pub withdrawn_unknown: bool,
}

/// A branch of the nearest earlier year that no longer exists, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawn {
    pub id: String,
    pub reason: String,
    /// The id's place in `_org.yaml`.
    pub pos: Pos,
}

impl OrgNode {
    pub fn id(&self) -> &str {
        self.path.last().map_or("", String::as_str)
    }
}

#[derive(Debug, Clone)]
pub struct Narrative {
    /// Relative to the root.
    pub file: String,
    pub markdown: String,
    /// Files the narrative links to, relative to the root.
    pub assets: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Branch {
    pub id: String,
    /// Organisation ids from the district's child down to the branch's folder.
    pub org: Vec<String>,
    /// The record file, relative to the root.
    pub file: String,
    /// Index of the branch's organisation node in the year's `orgs` (found once at load:
    /// a province's pages look it up a million times).
    pub org_node: Option<usize>,
    pub record: Record,
    pub narrative: Option<Narrative>,
}

#[derive(Debug, Clone)]
pub struct Year {
    pub year: i32,
    pub system: Arc<IndicatorSystem>,
    /// Sorted by path; the district (empty path) first.
    pub orgs: Vec<OrgNode>,
    /// Sorted by id.
    pub branches: Vec<Branch>,
}

impl Year {
    /// The district: the year folder's own `_org.yaml`, when it has one.
    pub fn district(&self) -> Option<&OrgNode> {
        self.orgs.first().filter(|o| o.path.is_empty())
    }

    /// The data cut-off of a year in progress (`as_of`), if any.
    pub fn as_of(&self) -> Option<Date> {
        self.district().and_then(|d| d.as_of)
    }

    /// The date rectification statuses are computed at: `as_of`, else 31 December.
    pub fn cut_off(&self) -> Date {
        self.as_of().unwrap_or(Date::end_of_year(self.year))
    }

    /// The branch with this id (branches are sorted by id).
    pub fn branch(&self, id: &str) -> Option<&Branch> {
        self.branch_index(id).map(|i| &self.branches[i])
    }

    pub fn branch_index(&self, id: &str) -> Option<usize> {
        self.branches
            .binary_search_by(|b| b.id.as_str().cmp(id))
            .ok()
    }
}

#[derive(Debug, Clone)]
pub struct Project {
    pub root: PathBuf,
    /// Sorted by year.
    pub years: Vec<Year>,
}
