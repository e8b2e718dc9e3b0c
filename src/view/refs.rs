//! The small shapes every document repeats: a grade, a category or indicator by id and
//! label, the grade list, coverage rows and charts.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use super::format::{self, Score};
use super::text::Text;
use crate::model::{IndicatorSystem, OrgNode};

/// 等次引用：等次的标识、名称和级别。
///
/// A grade: its id, label and level.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GradeRef<'a> {
    /// 等次标识，如 `five_star`。
    ///
    /// The grade's id, e.g. `five_star`.
    pub id: &'a str,
    /// 等次名称，如“五星”。
    ///
    /// The grade's label, e.g. 五星.
    pub label: Text<'a>,
    /// 级别：1 为最高等次；等次不在本年度体系中时为 null。
    ///
    /// Level: 1 is the best grade; null when the grade is not in this year's system.
    pub level: Option<usize>,
}

/// 等次表中的一行：标识、名称、分数线和级别。
///
/// A line of the grade list: id, label, minimum total and level.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GradeLine<'a> {
    /// 等次标识。
    ///
    /// The grade's id.
    pub id: &'a str,
    /// 等次名称。
    ///
    /// The grade's label.
    pub label: Text<'a>,
    /// 分数线（两位小数的字符串），如 `"90.00"`。
    ///
    /// The lowest total of the grade, two decimals, e.g. `"90.00"`.
    pub min: Score,
    /// 级别：1 为最高等次。
    ///
    /// Level: 1 is the best grade.
    pub level: usize,
}

/// 标识和名称：类别、指标、否决项等。
///
/// An id and its label: a category, an indicator, a veto.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct IdLabel<'a> {
    /// 标识。
    ///
    /// The id.
    pub id: &'a str,
    /// 名称（未写名称时同标识）。
    ///
    /// The label (the id when none is given).
    pub label: Text<'a>,
}

/// 两个覆盖中的一行：非公有制企业或社会组织。
///
/// One row of the coverage (两个覆盖): private enterprises or social organisations.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CoverageRow<'a> {
    /// 类型：“非公有制企业”或“社会组织”。
    ///
    /// The kind: 非公有制企业 or 社会组织.
    pub label: Text<'a>,
    /// 总数（字符串）。
    ///
    /// How many there are (a string).
    #[schemars(with = "String")]
    pub total: Decimal,
    /// 已建立党组织的数量（字符串）。
    ///
    /// How many have a Party organisation (a string).
    #[schemars(with = "String")]
    pub covered: Decimal,
    /// 覆盖率，如 `"73.1%"`；总数为 0 时为 null。
    ///
    /// The rate, e.g. `"73.1%"`; null when the total is 0.
    pub rate: Option<String>,
}

/// 图表：SVG 文本和图注。
///
/// A chart: its SVG text and caption.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Chart<'a> {
    /// SVG 文本（由本工具绘制，每个 `<text>` 都指定了字体）。
    ///
    /// The SVG text (drawn by this tool; every `<text>` names its font).
    pub svg: Text<'a>,
    /// 图注；正文已给出全部数字时为 null。
    ///
    /// The caption; null where the text beside the chart already gives every number.
    pub caption: Option<Text<'a>>,
}

/// 年度报告中的图表，带标识和标题。
///
/// A chart of the annual report, with its id and title.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct YearChart<'a> {
    /// 标识：`grades`（等次分布）、`histogram`（总分分布）、`categories`（各类别平均分）。
    ///
    /// The id: `grades`, `histogram` or `categories`.
    pub id: &'static str,
    /// 标题。
    ///
    /// The title.
    pub title: Text<'a>,
    /// 图注。
    ///
    /// The caption.
    pub caption: Text<'a>,
    /// SVG 文本；无法绘制时为 null（年度报告只列出能绘制的图表）。
    ///
    /// The SVG text; null when it cannot be drawn (the report lists only charts that can).
    pub svg: Option<Text<'a>>,
}

pub fn grade_ref(sys: &IndicatorSystem, i: usize) -> GradeRef<'_> {
    let g = &sys.grades[i];
    GradeRef {
        id: &g.id,
        label: (&g.label).into(),
        level: Some(i + 1),
    }
}

/// The grade of that id; one the system does not have is shown by its id, with no level.
pub fn grade_ref_id<'a>(sys: &'a IndicatorSystem, id: &'a str) -> GradeRef<'a> {
    match sys.grade_index(id) {
        Some(i) => grade_ref(sys, i),
        None => GradeRef {
            id,
            label: id.into(),
            level: None,
        },
    }
}

pub fn grades(sys: &IndicatorSystem) -> Vec<GradeLine<'_>> {
    sys.grades
        .iter()
        .enumerate()
        .map(|(i, g)| GradeLine {
            id: &g.id,
            label: (&g.label).into(),
            min: Score(g.min),
            level: i + 1,
        })
        .collect()
}

pub fn category_ref<'a>(sys: &'a IndicatorSystem, id: &'a str) -> IdLabel<'a> {
    IdLabel {
        id,
        label: sys.category_label(id).unwrap_or(id).into(),
    }
}

pub fn coverage(org: &OrgNode) -> Vec<CoverageRow<'static>> {
    let mut out = Vec::new();
    if let Some(c) = &org.coverage {
        for (label, count) in [
            ("非公有制企业", c.private_enterprises),
            ("社会组织", c.social_organisations),
        ] {
            if let Some(n) = count {
                out.push(CoverageRow {
                    label: label.into(),
                    total: n.total,
                    covered: n.covered,
                    rate: format::ratio(n.covered, n.total),
                });
            }
        }
    }
    out
}
