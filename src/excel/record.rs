//! A branch record (and an `_org.yaml`) as the workbook carries it: every value with the
//! cell it came from, and where a text written from it ([`emit`](super::emit)) put each
//! value, so a diagnostic of the loader on that text points back at the cell.
//! (`from_yaml` reads a record on disk back into rows.)

use crate::yaml::Entry;

/// Where `workflow` has always found it.
pub use super::scalar::scalar_text;

/// A cell of a workbook: which workbook (index in the import's list), sheet, 0-based row
/// and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At {
    pub book: usize,
    pub sheet: &'static str,
    pub row: u32,
    pub col: u32,
}

/// How a scalar is written: `Plain` as it is (numbers, dates, booleans, ids), `Text` as
/// text, quoted when YAML would read it otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    Text,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Val {
    pub text: String,
    pub style: Style,
    pub at: Option<At>,
}

impl Val {
    pub fn plain(text: impl Into<String>, at: Option<At>) -> Val {
        Val {
            text: text.into(),
            style: Style::Plain,
            at,
        }
    }

    pub fn text(text: impl Into<String>, at: Option<At>) -> Val {
        Val {
            text: text.into(),
            style: Style::Text,
            at,
        }
    }
}

/// The fields of one meeting (or rectification item), in the contract's order, only those
/// given.
pub type MeetingData = Vec<(&'static str, Val)>;

/// A field of the inspection block: one value, or a list (several lines of one cell).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    One(Val),
    List(Vec<Val>),
}

/// The inspection team's findings (`inspection`), its fields in the contract's order,
/// only those given.
#[derive(Debug, Clone, Default)]
pub struct InspectionData {
    /// The row it came from (where a missing field is reported).
    pub at: Option<At>,
    pub fields: Vec<(&'static str, Field)>,
}

/// A measure of one branch: section (`surveys` or `votes`), id, its parts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeasureData {
    pub section: &'static str,
    pub id: String,
    pub parts: Vec<(String, Val)>,
}

#[derive(Debug, Clone, Default)]
pub struct RecordData {
    pub name: Option<Val>,
    pub category: Option<Val>,
    pub members: Option<Val>,
    pub secretary: Option<Val>,
    pub meetings: Vec<MeetingData>,
    /// Checklist id → the items done.
    pub checklists: Vec<(String, Vec<Val>)>,
    pub measures: Vec<MeasureData>,
    pub facts: Vec<(String, Val)>,
    pub incidents: Vec<(String, Val)>,
    pub honors: Vec<(String, Val)>,
    /// (indicator id, level).
    pub ratings: Vec<(Val, Val)>,
    /// (indicator id, score).
    pub self_scores: Vec<(Val, Val)>,
    pub inspection: Option<InspectionData>,
    /// The rectification plan's items, their fields in the contract's order.
    pub rectification: Vec<MeetingData>,
    /// Top-level keys the workbook does not carry, kept from the record on disk as they are.
    pub extra: Vec<Entry>,
}

#[derive(Debug, Clone, Default)]
pub struct OrgData {
    pub name: Option<Val>,
    pub kind: Option<Val>,
    /// `coverage` and anything else the workbook does not carry, kept as they are.
    pub extra: Vec<Entry>,
}

/// Where the text put a value: 1-based line and column (in characters), and its cell.
#[derive(Debug, Clone)]
pub struct Mark {
    pub line: usize,
    pub col: usize,
    pub at: At,
}

/// The cell a diagnostic at (line, col) of an emitted text points at: the last value on
/// that line that starts at or before the column, else the line's first value. `None` when
/// the line holds no value from a cell (a section key, a kept block).
pub fn place(marks: &[Mark], line: usize, col: usize) -> Option<&At> {
    let start = marks.partition_point(|m| m.line < line);
    let on_line = marks[start..].iter().take_while(|m| m.line == line);
    let mut best = None;
    for (k, m) in on_line.enumerate() {
        if k == 0 || m.col <= col {
            best = Some(&m.at);
        }
    }
    best
}
