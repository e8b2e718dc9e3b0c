//! The fill-in workbook's layout, generated from one year's indicator system: its sheets,
//! their columns (header, what to fill, where the value goes in a record) and the dropdown
//! lists. The template writer and the import both read it, so a workbook and its import
//! can never disagree about what a column means.

use sha2::{Digest, Sha256};

use crate::model::{FactPath, FactType, IndicatorSystem};

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

/// Labels made unique: a label shared by two ids gets its id in brackets.
fn unique(pairs: Vec<(String, String)>) -> Vec<Choice> {
    pairs
        .iter()
        .map(|(id, label)| {
            let shared = pairs.iter().filter(|(_, l)| l == label).count() > 1;
            Choice {
                label: if shared {
                    format!("{label}（{id}）")
                } else {
                    label.clone()
                },
                id: id.clone(),
            }
        })
        .collect()
}

/// The label people read for a fact, survey, incident or honor: its own label in the
/// system's label map (contract version 2); without one, the label of the first indicator,
/// veto or bonus that reads it (its id when nothing does).
fn fact_label(sys: &IndicatorSystem, wanted: &dyn Fn(&FactPath) -> bool, id: &str) -> String {
    // Version 2's label maps name the id itself.
    let own = |map: &Option<Vec<(String, String)>>| {
        map.as_ref()
            .and_then(|m| m.iter().find(|(k, _)| k == id))
            .map(|(_, l)| l.clone())
    };
    let labels = &sys.labels;
    let probe = [
        (
            FactPath::Survey {
                id: id.to_string(),
                stat: crate::model::SurveyStat::Rate,
            },
            &labels.surveys,
        ),
        (FactPath::Fact(id.to_string()), &labels.facts),
        (FactPath::Incident(id.to_string()), &labels.incidents),
        (FactPath::Honor(id.to_string()), &labels.honors),
    ];
    if let Some(l) = probe
        .iter()
        .find(|(p, _)| wanted(p))
        .and_then(|(_, m)| own(m))
    {
        return l;
    }
    sys.indicators()
        .find(|(_, i)| i.facts().any(wanted))
        .map(|(_, i)| i.label.clone())
        .or_else(|| {
            sys.vetoes
                .iter()
                .find(|v| wanted(&v.when.fact))
                .map(|v| v.label.clone())
        })
        .or_else(|| {
            sys.bonuses
                .iter()
                .find(|b| wanted(&b.fact))
                .map(|b| b.label.clone())
        })
        .unwrap_or_else(|| id.to_string())
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

/// Headers made unique within a sheet: a repeated header gets the column's id in brackets.
fn dedupe_headers(columns: &mut [Column], ids: &[String]) {
    let headers: Vec<String> = columns.iter().map(|c| c.header.clone()).collect();
    for (i, c) in columns.iter_mut().enumerate() {
        if headers.iter().filter(|h| **h == headers[i]).count() > 1 {
            c.header = format!("{}（{}）", c.header, ids[i]);
        }
    }
}

/// The measures of the 测评 sheet, in the system's order: surveys, then votes (a count
/// per level, best first).
pub fn measures(sys: &IndicatorSystem) -> Vec<Measure> {
    let votes = sys.votes.iter().map(|v| Measure {
        section: "votes",
        id: v.id.clone(),
        label: v.label.clone(),
        parts: v.levels.clone(),
    });
    sys.survey_ids
        .iter()
        .map(|id| Measure {
            section: "surveys",
            id: id.clone(),
            label: fact_label(
                sys,
                &|p| matches!(p, FactPath::Survey { id: s, .. } if s == id),
                id,
            ),
            parts: vec![
                ("respondents".to_string(), "参与人数".to_string()),
                ("positive".to_string(), "肯定人数".to_string()),
            ],
        })
        .chain(votes)
        .collect()
}

pub fn layout(sys: &IndicatorSystem, year: i32) -> Layout {
    let categories = unique(sys.categories.clone());
    let meeting_kinds = unique(sys.meeting_kinds.clone());
    let mut levels: Vec<(String, String)> = Vec::new();
    for (_, ind) in sys.indicators() {
        // A `rating` rule's levels, or a `deductions` rule's `levels` clause's.
        if let Some(ls) = ind.rating_levels() {
            for (l, _) in ls {
                if !levels.iter().any(|(id, _)| id == l) {
                    levels.push((l.clone(), level_label(l).unwrap_or(l).to_string()));
                }
            }
        }
    }
    let levels = unique(levels);
    let choices_note = |list: &[Choice]| {
        let labels: Vec<&str> = list.iter().map(|c| c.label.as_str()).collect();
        format!("下拉选择：{}", labels.join("、"))
    };

    let orgs = SheetLayout {
        name: ORGS,
        rows: Rows::Orgs,
        columns: vec![
            col(
                "组织路径",
                "各级组织编号，用 . 连接，如 xinhe.qiaodong",
                Kind::OrgPath,
                Target::OrgPath,
            ),
            col("组织名称", "必填", Kind::Text, Target::OrgName),
            col(
                "组织级别",
                "如 街道党工委、社区党委",
                Kind::Text,
                Target::OrgKind,
            ),
        ],
    };
    let branches = SheetLayout {
        name: BRANCHES,
        rows: Rows::Branch,
        columns: vec![
            col(
                "支部编号",
                "字母、数字、_ 或 -，年度内唯一",
                Kind::Id,
                Target::BranchId,
            ),
            col("支部名称", "必填", Kind::Text, Target::Name),
            col(
                "组织路径",
                "见组织表；留空表示直属区（县）委",
                Kind::OrgPath,
                Target::OrgPath,
            ),
            col(
                "类别",
                choices_note(&categories),
                Kind::Category,
                Target::Category,
            ),
            col("党员人数", "整数 ≥ 0", Kind::Whole, Target::Members),
            col("支部书记", "姓名", Kind::Text, Target::Secretary),
        ],
    };
    let mut meetings_cols = key_columns();
    meetings_cols.extend([
        col(
            "日期",
            format!("{year} 年内的日期，如 {year}-01-08"),
            Kind::Date,
            Target::MeetingDate,
        ),
        col(
            "会议类型",
            choices_note(&meeting_kinds),
            Kind::MeetingKind,
            Target::MeetingKind,
        ),
        col("议题", "必填", Kind::Text, Target::Topic),
        col(
            "应到人数",
            "整数 ≥ 1，可与实到一起留空",
            Kind::Whole,
            Target::Expected,
        ),
        col("实到人数", "整数，不超过应到", Kind::Whole, Target::Present),
    ]);
    let meetings = SheetLayout {
        name: MEETINGS,
        rows: Rows::Many,
        columns: meetings_cols,
    };

    let mut cl_cols = key_columns();
    for c in &sys.checklists {
        for (item, label) in &c.items {
            cl_cols.push(col(
                format!("{}·{label}", c.label),
                format!("{DONE} 已完成，{NOT_DONE} 未完成"),
                Kind::Mark,
                Target::Item {
                    checklist: c.id.clone(),
                    item: item.clone(),
                },
            ));
        }
    }
    let checklists = SheetLayout {
        name: CHECKLISTS,
        rows: Rows::PerBranch,
        columns: cl_cols,
    };

    let mut m_cols = key_columns();
    let mut m_ids = vec![String::new(), String::new()];
    for m in measures(sys) {
        let note = if m.section == "votes" {
            "票数（人数），整数 ≥ 0"
        } else {
            "整数 ≥ 0"
        };
        for (part, suffix) in &m.parts {
            m_cols.push(col(
                format!("{}·{suffix}", m.label),
                note,
                Kind::Whole,
                Target::Measure {
                    section: m.section,
                    id: m.id.clone(),
                    part: part.clone(),
                },
            ));
            m_ids.push(format!("{}.{part}", m.id));
        }
    }
    dedupe_headers(&mut m_cols, &m_ids);
    let measures_sheet = SheetLayout {
        name: MEASURES,
        rows: Rows::PerBranch,
        columns: m_cols,
    };

    let mut d_cols = key_columns();
    let mut d_ids = vec![String::new(), String::new()];
    for (id, ty) in &sys.fact_types {
        let label = fact_label(sys, &|p| matches!(p, FactPath::Fact(f) if f == id), id);
        let (kind, note) = match ty {
            FactType::Bool => (Kind::Bool, format!("{YES} / {NO}")),
            FactType::Count => (Kind::Whole, "整数 ≥ 0".to_string()),
            FactType::NumberOrBool => (Kind::NumberOrBool, format!("数字，或 {YES} / {NO}")),
            _ => (Kind::Number, "数字".to_string()),
        };
        d_cols.push(col(label, note, kind, Target::Fact(id.clone())));
        d_ids.push(format!("facts.{id}"));
    }
    for id in &sys.incident_ids {
        let label = fact_label(sys, &|p| matches!(p, FactPath::Incident(f) if f == id), id);
        d_cols.push(col(
            label,
            "事件次数，整数 ≥ 0；未发生填 0",
            Kind::Whole,
            Target::Incident(id.clone()),
        ));
        d_ids.push(format!("incidents.{id}"));
    }
    for id in &sys.honor_ids {
        let label = fact_label(sys, &|p| matches!(p, FactPath::Honor(f) if f == id), id);
        d_cols.push(col(
            label,
            "荣誉次数，整数 ≥ 0",
            Kind::Whole,
            Target::Honor(id.clone()),
        ));
        d_ids.push(format!("honors.{id}"));
    }
    dedupe_headers(&mut d_cols, &d_ids);
    let data = SheetLayout {
        name: DATA,
        rows: Rows::PerBranch,
        columns: d_cols,
    };

    let mut a_cols = key_columns();
    a_cols.extend([
        col("指标编号", "不要修改", Kind::Id, Target::IndicatorId),
        col("指标", "仅供查看，不导入", Kind::Reference, Target::None),
        col("分值", "仅供查看，不导入", Kind::Reference, Target::None),
        col(
            "考评方式",
            "仅供查看，不导入",
            Kind::Reference,
            Target::None,
        ),
        col(
            "评分依据",
            "扣分条款及其所查数据填在哪张表，仅供查看",
            Kind::Reference,
            Target::None,
        ),
        col(
            "评价等级",
            "仅定性评价（评定等级）指标填写；下拉选择",
            Kind::Level,
            Target::Rating,
        ),
        col(
            "自评分",
            "0 至分值之间，最多两位小数",
            Kind::Score,
            Target::SelfScore,
        ),
    ]);
    let assessment = SheetLayout {
        name: ASSESSMENT,
        rows: Rows::Many,
        columns: a_cols,
    };

    let indicators = unique(
        sys.indicators()
            .map(|(_, i)| (i.id.clone(), i.label.clone()))
            .collect(),
    );
    Layout {
        sheets: vec![
            orgs,
            branches,
            meetings,
            checklists,
            measures_sheet,
            data,
            assessment,
            super::cycle::inspection_sheet(year),
            super::cycle::rectification_sheet(year),
        ],
        indicators,
        categories,
        meeting_kinds,
        marks: vec![
            Choice {
                label: DONE.into(),
                id: "done".into(),
            },
            Choice {
                label: NOT_DONE.into(),
                id: "not_done".into(),
            },
        ],
        booleans: vec![
            Choice {
                label: YES.into(),
                id: "true".into(),
            },
            Choice {
                label: NO.into(),
                id: "false".into(),
            },
        ],
        levels,
    }
}
