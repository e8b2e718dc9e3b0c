//! The view model: one set of display-ready values that both renderers read, so the HTML
//! and the PDF can never disagree. Every number is formatted here, once; templates only
//! print. The shapes are documented in themes/default/typst/DATA.md.

pub mod branch;
pub mod charts;
pub mod clauses;
pub mod describe;
pub mod format;
pub mod report;
pub mod stats;

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::model::{IndicatorSystem, OrgNode, Project, Year};
use crate::score::{Assessment, BranchResult, YearResult};

pub use stats::YearStats;

/// A JSON object whose values are moved in (`Value::from`), where `json!` would serialise
/// (deep-copy) every nested value: the views are built for every page, so this matters.
#[macro_export]
macro_rules! obj {
    ({ $($k:literal : $v:expr),* $(,)? }) => {{
        // Sized once: growing an index map rehashes it.
        let mut m = serde_json::Map::with_capacity([$($k),*].len());
        $( m.insert(String::from($k), serde_json::Value::from($v)); )*
        serde_json::Value::Object(m)
    }};
}

/// What the booklet says of each indicator that is the same for every branch of a year —
/// its id, label, the words of its fact and rule, its guidance — written once per year.
#[derive(Default)]
pub struct IndicatorTexts {
    /// Indicator id → its position in `templates`.
    pub by_id: HashMap<String, usize>,
    /// Per indicator, in the order of the system: the booklet's indicator object with those
    /// values filled in and every other field null, in the order of [`INDICATOR_FIELDS`].
    /// A branch's object is a copy with the rest set by position: copying a map costs less
    /// than inserting (and hashing) every key again, and there is one per indicator on
    /// every branch page.
    pub templates: Vec<serde_json::Map<String, Value>>,
}

/// The fields of a booklet indicator, in their order (see `themes/default/typst/DATA.md`).
pub const INDICATOR_FIELDS: [&str; 12] = [
    "id",
    "label",
    "points",
    "earned",
    "lost",
    "missing",
    "fact",
    "rule",
    "basis",
    "self",
    "self_diff",
    "guidance",
];

impl IndicatorTexts {
    pub fn new(sys: &IndicatorSystem) -> IndicatorTexts {
        let mut t = IndicatorTexts::default();
        for (k, (_, i)) in sys.indicators().enumerate() {
            t.by_id.insert(i.id.clone(), k);
            let fact = describe::fact(sys, &i.fact);
            let rule = describe::rule(sys, i);
            let mut m = serde_json::Map::with_capacity(INDICATOR_FIELDS.len());
            for f in INDICATOR_FIELDS {
                let v = match f {
                    "id" => Value::from(i.id.as_str()),
                    "label" => Value::from(i.label.as_str()),
                    "fact" => Value::from(fact.as_str()),
                    "rule" => Value::from(rule.as_str()),
                    "guidance" => Value::from(i.guidance.clone()),
                    _ => Value::Null,
                };
                m.insert(f.to_string(), v);
            }
            t.templates.push(m);
        }
        t
    }
}

/// Everything the view builders need.
pub struct Ctx<'a> {
    pub project: &'a Project,
    pub assessment: &'a Assessment,
    /// `SOURCE_DATE_EPOCH`, when set; otherwise each year's documents are dated 31 December.
    pub source_date_epoch: Option<i64>,
    /// Aggregates of each year, by the same index as `project.years`.
    pub stats: Vec<YearStats>,
    /// The words of each year's indicators, by the same index.
    pub texts: Vec<IndicatorTexts>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        project: &'a Project,
        assessment: &'a Assessment,
        source_date_epoch: Option<i64>,
    ) -> Ctx<'a> {
        Ctx {
            project,
            assessment,
            source_date_epoch,
            stats: assessment.years.iter().map(YearStats::new).collect(),
            texts: project
                .years
                .iter()
                .map(|y| IndicatorTexts::new(&y.system))
                .collect(),
        }
    }

    /// `SOURCE_DATE_EPOCH` from the environment, when it is a valid number.
    pub fn epoch_from_env() -> Option<i64> {
        std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()
    }

    pub fn year(&self, y: usize) -> (&'a Year, &'a YearResult) {
        (&self.project.years[y], &self.assessment.years[y])
    }

    /// Creation time of a year's documents.
    pub fn epoch(&self, y: usize) -> i64 {
        self.source_date_epoch
            .unwrap_or_else(|| format::year_end_epoch(self.project.years[y].year))
    }

    pub fn date(&self, y: usize) -> String {
        format::date(self.epoch(y))
    }

    /// The previous year of the project, as movement uses it.
    pub fn previous(&self, y: usize) -> Option<(&'a Year, &'a YearResult)> {
        y.checked_sub(1).map(|p| self.year(p))
    }
}

pub fn grade_ref(sys: &IndicatorSystem, i: usize) -> Value {
    let g = &sys.grades[i];
    crate::obj!({"id": g.id.as_str(), "label": g.label.as_str(), "level": i + 1})
}

pub fn grade_ref_id(sys: &IndicatorSystem, id: &str) -> Value {
    match sys.grade_index(id) {
        Some(i) => grade_ref(sys, i),
        None => crate::obj!({"id": id, "label": id, "level": Value::Null}),
    }
}

pub fn grades(sys: &IndicatorSystem) -> Value {
    Value::Array(
        sys.grades
            .iter()
            .enumerate()
            .map(|(i, g)| crate::obj!({"id": g.id.as_str(), "label": g.label.as_str(), "min": format::score(g.min), "level": i + 1}))
            .collect(),
    )
}

pub fn category_ref(sys: &IndicatorSystem, id: &str) -> Value {
    crate::obj!({"id": id, "label": sys.category_label(id).unwrap_or(id)})
}

/// The organisation node a branch sits in.
pub fn org_of<'a>(year: &'a Year, b: &BranchResult) -> Option<&'a OrgNode> {
    b.org_node.and_then(|i| year.orgs.get(i))
}

/// A node and its ancestors, the district first.
pub fn org_chain(year: &Year, node: Option<usize>) -> Vec<&OrgNode> {
    let mut chain = Vec::new();
    let mut at = node;
    while let Some(o) = at.and_then(|i| year.orgs.get(i)) {
        chain.push(o);
        at = o.parent;
    }
    chain.reverse();
    chain
}

/// The organisation node at a path (`year.orgs` is sorted by path).
pub fn org_at<'a>(year: &'a Year, path: &[String]) -> Option<&'a OrgNode> {
    year.orgs
        .binary_search_by(|o| o.path.as_slice().cmp(path))
        .ok()
        .map(|i| &year.orgs[i])
}

pub fn district(year: &Year) -> Option<&OrgNode> {
    org_at(year, &[])
}

/// The district's name, which issues the documents.
pub fn issuer(year: &Year) -> String {
    district(year).map_or_else(String::new, |d| d.name.clone())
}

pub fn coverage(org: &OrgNode) -> Value {
    let mut out = Vec::new();
    if let Some(c) = &org.coverage {
        for (label, count) in [
            ("非公有制企业", c.private_enterprises),
            ("社会组织", c.social_organisations),
        ] {
            if let Some(n) = count {
                out.push(json!({
                    "label": label,
                    "total": n.total,
                    "covered": n.covered,
                    "rate": format::ratio(n.covered, n.total),
                }));
            }
        }
    }
    Value::Array(out)
}

#[cfg(test)]
mod tests {
    use super::INDICATOR_FIELDS;

    #[test]
    fn the_booklet_sets_indicator_fields_where_they_are() {
        // view::branch::dimensions sets these by position.
        for (k, f) in [
            (2, "points"),
            (3, "earned"),
            (4, "lost"),
            (5, "missing"),
            (8, "basis"),
            (9, "self"),
            (10, "self_diff"),
        ] {
            assert_eq!(INDICATOR_FIELDS[k], f);
        }
    }
}
