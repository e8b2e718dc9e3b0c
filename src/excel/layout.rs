//! The fill-in workbook's layout: its sheets, their columns (header, what to fill, where
//! the value goes in a record) and the dropdown lists, made from one year's indicator
//! system by [`make_layout`](super::make_layout). The template writer and the import both read it, so a workbook and its import
//! can never disagree about what a column means.

use sha2::{Digest, Sha256};

/// Made in [`make_layout`](super::make_layout).
pub use super::make_layout::{layout, measures};

pub const GUIDE: &str = "填表说明";
pub const ORGS: &str = "组织";
pub const BRANCHES: &str = "支部";
pub const MEETINGS: &str = "会议";
pub const CHECKLISTS: &str = "清单";
pub const MEASURES: &str = "测评";
pub const DATA: &str = "数据";
pub const ASSESSMENT: &str = "考评";
pub use super::cycle::{INSPECTION, RECTIFICATION};
/// Hidden: the dropdown lists (Excel refuses an inline list over 255 characters).
pub const LISTS: &str = "_lists";
/// Hidden: what the workbook was made from (year, system, fingerprints, scope).
pub const META: &str = "_meta";
/// The first row of data (0-based): row 1 holds the headers, row 2 what to fill.
pub const FIRST_DATA_ROW: u32 = 2;
/// What the meta sheet's first cell says, so an import knows the workbook is ours.
pub const FORMAT: &str = "dangjian-template/1";

/// The marks of a checklist item and the two answers of a true/false column.
pub const DONE: &str = "✓";
pub const NOT_DONE: &str = "✗";
pub const YES: &str = "是";
pub const NO: &str = "否";

/// What a column holds, which decides how a cell is read and how it is formatted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An id (text format, so Excel keeps long numbers and leading zeros).
    Id,
    /// Shown to help reading (the branch's name beside its id); never imported.
    Reference,
    Text,
    /// An organisation path, ids joined by `.`; blank is the district itself.
    OrgPath,
    Category,
    MeetingKind,
    Date,
    /// A date in the year or the next (a rectification's deadline).
    Due,
    /// Several texts, one per line of the cell.
    List,
    /// An indicator of the system (a dropdown of their names).
    Indicator,
    /// A whole number ≥ 0.
    Whole,
    Number,
    Bool,
    NumberOrBool,
    /// A checklist item's ✓ or ✗.
    Mark,
    Level,
    /// A self score (at most 2 decimals).
    Score,
}

/// Where a column's value goes in a record (or an `_org.yaml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    None,
    BranchId,
    Name,
    OrgPath,
    Category,
    Members,
    Secretary,
    MeetingDate,
    MeetingKind,
    Topic,
    Expected,
    Present,
    Item {
        checklist: String,
        item: String,
    },
    /// A part of a measure: a survey's `respondents` or `positive`, a vote's count of a
    /// level.
    Measure {
        section: &'static str,
        id: String,
        part: String,
    },
    Fact(String),
    Incident(String),
    Honor(String),
    /// A field of the `inspection` block (`date`, `team`, …).
    Inspection(&'static str),
    /// A part of the record the inspection checked (`verified`).
    Verified(&'static str),
    /// A field of a rectification item (`id`, `problem`, …).
    Rectification(&'static str),
    IndicatorId,
    Rating,
    SelfScore,
    OrgName,
    OrgKind,
}

#[derive(Debug, Clone)]
pub struct Column {
    pub header: String,
    /// Row 2: what to fill, in plain words.
    pub note: String,
    pub kind: Kind,
    pub target: Target,
}

/// How a sheet's rows relate to branches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    /// One row per organisation node.
    Orgs,
    /// One row per branch (the key).
    Branch,
    /// One row per branch at most, beside the 支部 row.
    PerBranch,
    /// Any number of rows per branch (meetings, indicators).
    Many,
}

#[derive(Debug, Clone)]
pub struct SheetLayout {
    pub name: &'static str,
    pub rows: Rows,
    pub columns: Vec<Column>,
}

/// A value of a dropdown: what the cell shows and the id it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub label: String,
    pub id: String,
}

/// A kind of data the records hold per branch with several numbers each: the measures of
/// the 测评 sheet, surveys and graded votes.
#[derive(Debug, Clone)]
pub struct Measure {
    /// The record's section: `surveys` or `votes`.
    pub section: &'static str,
    pub id: String,
    pub label: String,
    /// (key in the record, header suffix).
    pub parts: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct Layout {
    pub sheets: Vec<SheetLayout>,
    pub categories: Vec<Choice>,
    pub meeting_kinds: Vec<Choice>,
    pub marks: Vec<Choice>,
    pub booleans: Vec<Choice>,
    /// Every level of every rating rule, in first-seen order.
    pub levels: Vec<Choice>,
    /// Every indicator, in the system's order (a rectification item's indicator).
    pub indicators: Vec<Choice>,
}

impl Layout {
    pub fn sheet(&self, name: &str) -> Option<&SheetLayout> {
        self.sheets.iter().find(|s| s.name == name)
    }

    /// The dropdown of a column kind, if it has one.
    pub fn choices(&self, kind: Kind) -> Option<&[Choice]> {
        Some(match kind {
            Kind::Category => &self.categories,
            Kind::MeetingKind => &self.meeting_kinds,
            Kind::Mark => &self.marks,
            Kind::Bool => &self.booleans,
            Kind::Level => &self.levels,
            Kind::Indicator => &self.indicators,
            _ => return None,
        })
    }

    /// A digest of everything an import relies on: sheet names, headers, targets and the
    /// dropdowns. Two systems with the same fingerprint fill the same workbook.
    pub fn fingerprint(&self) -> String {
        let mut h = Sha256::new();
        for s in &self.sheets {
            h.update(format!("sheet {} {:?}\n", s.name, s.rows));
            for c in &s.columns {
                h.update(format!("col {} {:?} {:?}\n", c.header, c.kind, c.target));
            }
        }
        for (name, list) in [
            ("categories", &self.categories),
            ("kinds", &self.meeting_kinds),
            ("levels", &self.levels),
            ("indicators", &self.indicators),
        ] {
            for c in list {
                h.update(format!("{name} {} {}\n", c.label, c.id));
            }
        }
        hex16(&h.finalize())
    }
}

pub fn hex16(bytes: &[u8]) -> String {
    bytes.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// The fingerprint of an indicators.yaml's text.
pub fn text_fingerprint(text: &str) -> String {
    hex16(&Sha256::digest(text.as_bytes()))
}

/// Chinese names for the rating levels people write in English (the contract's levels are
/// ids without labels): the dropdown shows these, and the import takes either.
pub fn level_label(id: &str) -> Option<&'static str> {
    Some(match id {
        "excellent" => "优秀",
        "good" => "良好",
        "fair" => "一般",
        "poor" => "较差",
        "pass" | "passed" | "qualified" => "合格",
        "fail" | "failed" | "unqualified" => "不合格",
        "basic" => "基本合格",
        _ => return None,
    })
}

pub(super) fn col(
    header: impl Into<String>,
    note: impl Into<String>,
    kind: Kind,
    target: Target,
) -> Column {
    Column {
        header: header.into(),
        note: note.into(),
        kind,
        target,
    }
}

/// Whether a sheet's column of this header is only shown for reference (`Kind::Reference`,
/// never imported). They are the same in every system — the branch's name beside its id,
/// and on 考评 the indicator's label, points, way and basis — so the import leaves their
/// cells unread before it knows the system (a test holds this to [`layout`]).
pub fn is_reference(sheet: &str, header: &str) -> bool {
    match sheet {
        MEETINGS | CHECKLISTS | MEASURES | DATA => header == "支部名称",
        ASSESSMENT => matches!(
            header,
            "支部名称" | "指标" | "分值" | "考评方式" | "评分依据"
        ),
        s if s == super::cycle::INSPECTION || s == super::cycle::RECTIFICATION => {
            header == "支部名称"
        }
        _ => false,
    }
}

pub(super) fn key_columns() -> Vec<Column> {
    vec![
        col("支部编号", "与支部表一致", Kind::Id, Target::BranchId),
        col(
            "支部名称",
            "仅供查看，不导入",
            Kind::Reference,
            Target::None,
        ),
    ]
}
