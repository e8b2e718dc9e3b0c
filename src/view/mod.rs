//! The view model: one set of display-ready values that both renderers read, so the HTML
//! and the PDF can never disagree. Every number is formatted here, once; templates only
//! print. The shapes are documented from these types (`schema_doc`): in
//! themes/default/typst/DATA.md and themes/default/templates/DATA.md.

pub mod booklet;
pub mod charts;
pub mod clauses;
pub mod cycle;
pub mod describe;
pub mod format;
pub mod refs;
pub mod report;
pub mod rulebook;
pub mod schema_doc;
pub mod site;
pub mod stats;
pub mod text;

use std::collections::HashMap;

use crate::diagnostics::Pos;
use crate::model::{IndicatorSystem, OrgNode, Project, Rule, Year};
use crate::score::{Assessment, BranchResult, YearResult};

pub use stats::YearStats;
use text::{Source, Text};

/// What the booklet says of each indicator that is the same for every branch of a year —
/// the words of its fact and rule — made once per year, and where each indicator is.
#[derive(Default)]
pub struct IndicatorTexts {
    /// Indicator id → its position in the system's order.
    pub by_id: HashMap<String, usize>,
    /// Per indicator, in the system's order: the index of its dimension and its index there.
    pub at: Vec<(usize, usize)>,
    /// Per indicator, in the same order: its fact and rule in words.
    pub words: Vec<IndicatorWords>,
    /// Per veto of the system, in its order: its condition in words.
    pub veto_conditions: Vec<String>,
}

pub struct IndicatorWords {
    pub fact: String,
    pub rule: String,
    /// Each clause of a `deductions` rule in words (its label or a sentence); empty for
    /// another rule.
    pub clauses: Vec<String>,
}

impl IndicatorTexts {
    pub fn new(sys: &IndicatorSystem) -> IndicatorTexts {
        let mut t = IndicatorTexts::default();
        for (dk, d) in sys.dimensions.iter().enumerate() {
            for (ik, i) in d.indicators.iter().enumerate() {
                t.by_id.insert(i.id.clone(), t.at.len());
                t.at.push((dk, ik));
                t.words.push(IndicatorWords {
                    fact: describe::fact(sys, &i.fact),
                    rule: describe::rule(sys, i),
                    clauses: match &i.rule {
                        Rule::Deductions(cs) => {
                            cs.iter().map(|c| clauses::text(sys, i, c)).collect()
                        }
                        _ => Vec::new(),
                    },
                });
            }
        }
        t.veto_conditions = sys
            .vetoes
            .iter()
            .map(|v| describe::condition(sys, &v.when))
            .collect();
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
    /// How each year's system counts each meeting kind (for the calendar), by the same
    /// index: the same for every branch page of a year, so made once.
    pub counted: Vec<cycle::calendar::Counted<'a>>,
    /// Each year's documents' date ([`Ctx::date`]), by the same index, made once.
    dates: Vec<String>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        project: &'a Project,
        assessment: &'a Assessment,
        source_date_epoch: Option<i64>,
    ) -> Ctx<'a> {
        let mut ctx = Ctx {
            project,
            assessment,
            source_date_epoch,
            stats: assessment.years.iter().map(YearStats::new).collect(),
            texts: project
                .years
                .iter()
                .map(|y| IndicatorTexts::new(&y.system))
                .collect(),
            counted: project
                .years
                .iter()
                .map(|y| cycle::calendar::Counted::new(&y.system))
                .collect(),
            dates: Vec::new(),
        };
        ctx.dates = (0..project.years.len())
            .map(|y| format::date(ctx.epoch(y)))
            .collect();
        ctx
    }

    /// `SOURCE_DATE_EPOCH` from the environment, when it is a valid number.
    pub fn epoch_from_env() -> Option<i64> {
        std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()
    }

    pub fn year(&self, y: usize) -> (&'a Year, &'a YearResult) {
        (&self.project.years[y], &self.assessment.years[y])
    }

    /// Creation time of a year's documents: `SOURCE_DATE_EPOCH`, else the data cut-off of a
    /// year in progress (`as_of`: a mid-year report is not dated at the end of the year),
    /// else 31 December.
    pub fn epoch(&self, y: usize) -> i64 {
        let year = &self.project.years[y];
        self.source_date_epoch
            .unwrap_or_else(|| match year.as_of() {
                Some(d) => format::day_epoch(d.year, d.month, d.day),
                None => format::year_end_epoch(year.year),
            })
    }

    /// The date printed on year `y`'s documents, e.g. 2026年12月31日.
    pub fn date(&self, y: usize) -> &str {
        &self.dates[y]
    }

    /// The previous year of the project, as movement uses it.
    pub fn previous(&self, y: usize) -> Option<(&'a Year, &'a YearResult)> {
        y.checked_sub(1).map(|p| self.year(p))
    }
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
pub fn issuer(year: &Year) -> Text<'_> {
    district(year).map_or_else(Text::default, |d| (&d.name).into())
}

/// A text of the user's, when it was read with its position.
pub(crate) fn push_source<'a>(
    out: &mut Vec<Source<'a>>,
    file: &'a str,
    at: Option<Pos>,
    text: Option<&'a String>,
) {
    if let (Some(at), Some(text)) = (at, text) {
        out.push(Source { file, at, text });
    }
}

/// The name and kind of an organisation node, where its `_org.yaml` gives them.
pub(crate) fn org_sources<'a>(o: &'a OrgNode, out: &mut Vec<Source<'a>>) {
    push_source(out, &o.file, o.name_at, Some(&o.name));
    push_source(out, &o.file, o.kind_at, o.kind.as_ref());
}

/// Every text of a year's indicator system beyond plain ASCII.
pub(crate) fn system_sources<'a>(year: &'a Year, out: &mut Vec<Source<'a>>) {
    let sys = &year.system;
    out.extend(sys.texts.iter().map(|(at, text)| Source {
        file: &sys.file,
        at: *at,
        text,
    }));
}
