//! Writing the fill-in workbook (台账模板) from a layout and the rows to prefill: the
//! instructions sheet, one sheet per kind of data, dropdowns on whole columns (the lists on
//! a hidden sheet), text-formatted id columns, real date cells, frozen headers, widths that
//! fit Chinese text, and a hidden sheet saying what the workbook was made from.

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, ExcelDateTime, Format,
    FormatAlign, Formula, Workbook, Worksheet, XlsxError,
};

use super::cells::{column_name, excel_serial};
use super::layout::{self, Choice, Column, Kind, Layout, Rows, Target};
use super::record::{OrgData, RecordData, Val};
use crate::model::Date;
use crate::model::IndicatorSystem;
use crate::output::xlsx::{Widths, header_format, properties};

/// Rows Excel holds in a sheet.
pub const MAX_ROWS: u32 = 1_048_576;

pub struct BranchFill {
    pub id: String,
    pub org: Vec<String>,
    pub rec: RecordData,
}

/// What a template is made from.
pub struct TemplateData<'a> {
    pub sys: &'a IndicatorSystem,
    pub layout: &'a Layout,
    pub year: i32,
    /// The fingerprint of the year's indicators.yaml.
    pub system_fingerprint: String,
    /// The organisation node the workbook is for (empty: the district).
    pub scope: Vec<String>,
    pub orgs: Vec<(Vec<String>, OrgData)>,
    pub branches: Vec<BranchFill>,
}

/// A cell to write.
#[derive(Debug, Clone, PartialEq)]
enum Out {
    Text(String),
    Number(f64),
    Date(f64),
}

struct Formats {
    header: Format,
    note: Format,
    text: Format,
    date: Format,
    reference: Format,
    plain: Format,
}

/// Errors of making a template: too many rows, or the writer's own.
#[derive(Debug)]
pub enum TemplateError {
    TooManyRows { sheet: &'static str, rows: usize },
    Xlsx(XlsxError),
}

impl From<XlsxError> for TemplateError {
    fn from(e: XlsxError) -> Self {
        TemplateError::Xlsx(e)
    }
}

fn label_of(list: &[Choice], id: &str) -> String {
    list.iter()
        .find(|c| c.id == id)
        .map_or_else(|| id.to_string(), |c| c.label.clone())
}

/// A number the cell can hold exactly (its shortest text is the decimal's), else text, so
/// that what the import reads back is what the record said.
fn number_cell(v: &Val) -> Out {
    match v.text.parse::<f64>() {
        Ok(n) if n.is_finite() && super::cells::number_text(n) == v.text => Out::Number(n),
        _ => Out::Text(v.text.clone()),
    }
}

fn cell(layout: &Layout, kind: Kind, v: &Val) -> Out {
    match kind {
        Kind::Category => Out::Text(label_of(&layout.categories, &v.text)),
        Kind::MeetingKind => Out::Text(label_of(&layout.meeting_kinds, &v.text)),
        Kind::Level => Out::Text(label_of(&layout.levels, &v.text)),
        Kind::Date => match Date::parse(&v.text).map(Date::tuple) {
            Some((y, m, d)) => Out::Date(excel_serial(y, m, d)),
            None => Out::Text(v.text.clone()),
        },
        Kind::Whole | Kind::Number | Kind::Score => number_cell(v),
        Kind::Bool | Kind::NumberOrBool => match v.text.as_str() {
            "true" => Out::Text(layout::YES.into()),
            "false" => Out::Text(layout::NO.into()),
            _ => number_cell(v),
        },
        _ => Out::Text(v.text.clone()),
    }
}

fn find<'v>(list: &'v [(String, Val)], id: &str) -> Option<&'v Val> {
    list.iter().find(|(k, _)| k == id).map(|(_, v)| v)
}

/// The cells of one branch's row of a per-branch sheet (after the id and name).
fn per_branch_row(layout: &Layout, cols: &[Column], b: &BranchFill) -> Vec<Option<Out>> {
    let rec = &b.rec;
    cols.iter()
        .map(|c| {
            let v = match &c.target {
                Target::Item { checklist, item } => {
                    let done = rec.checklists.iter().find(|(id, _)| id == checklist)?;
                    let mark = if done.1.iter().any(|v| v.text == *item) {
                        layout::DONE
                    } else {
                        layout::NOT_DONE
                    };
                    return Some(Out::Text(mark.into()));
                }
                Target::Measure { section, id, part } => rec
                    .measures
                    .iter()
                    .find(|m| m.section == *section && m.id == *id)
                    .and_then(|m| find(&m.parts, part)),
                Target::Fact(id) => find(&rec.facts, id),
                Target::Incident(id) => find(&rec.incidents, id),
                Target::Honor(id) => find(&rec.honors, id),
                _ => None,
            }?;
            Some(cell(layout, c.kind, v))
        })
        .collect()
}

/// Every sheet's rows, in the layout's order.
fn sheet_rows(data: &TemplateData) -> Vec<Vec<Vec<Option<Out>>>> {
    let layout = data.layout;
    let text = |s: &str| Some(Out::Text(s.to_string()));
    let val = |kind: Kind, v: &Option<Val>| v.as_ref().map(|v| cell(layout, kind, v));
    layout
        .sheets
        .iter()
        .map(|s| match s.name {
            layout::ORGS => data
                .orgs
                .iter()
                .map(|(path, o)| {
                    vec![
                        text(&path.join(".")),
                        val(Kind::Text, &o.name),
                        val(Kind::Text, &o.kind),
                    ]
                })
                .collect(),
            layout::BRANCHES => data
                .branches
                .iter()
                .map(|b| {
                    vec![
                        text(&b.id),
                        val(Kind::Text, &b.rec.name),
                        text(&b.org.join(".")),
                        val(Kind::Category, &b.rec.category),
                        val(Kind::Whole, &b.rec.members),
                        val(Kind::Text, &b.rec.secretary),
                    ]
                })
                .collect(),
            layout::MEETINGS => {
                let mut rows = Vec::new();
                for b in &data.branches {
                    let name = b.rec.name.as_ref().map(|v| v.text.as_str()).unwrap_or("");
                    for m in &b.rec.meetings {
                        let get = |key: &str, kind: Kind| {
                            m.iter()
                                .find(|(k, _)| *k == key)
                                .map(|(_, v)| cell(layout, kind, v))
                        };
                        rows.push(vec![
                            text(&b.id),
                            text(name),
                            get("date", Kind::Date),
                            get("kind", Kind::MeetingKind),
                            get("topic", Kind::Text),
                            get("expected", Kind::Whole),
                            get("present", Kind::Whole),
                        ]);
                    }
                }
                rows
            }
            layout::ASSESSMENT => assessment_rows(data),
            _ => data
                .branches
                .iter()
                .map(|b| {
                    let name = b.rec.name.as_ref().map(|v| v.text.as_str()).unwrap_or("");
                    let mut row = vec![text(&b.id), text(name)];
                    row.extend(per_branch_row(layout, &s.columns[2..], b));
                    row
                })
                .collect(),
        })
        .collect()
}

/// 考评: a row per branch and applicable indicator, with its rating and self score.
fn assessment_rows(data: &TemplateData) -> Vec<Vec<Option<Out>>> {
    let layout = data.layout;
    let mut rows = Vec::new();
    for b in &data.branches {
        let category = b
            .rec
            .category
            .as_ref()
            .map(|v| v.text.as_str())
            .unwrap_or("");
        let name = b.rec.name.as_ref().map(|v| v.text.as_str()).unwrap_or("");
        for (_, ind) in data.sys.indicators().filter(|(_, i)| i.applies(category)) {
            let rating = b
                .rec
                .ratings
                .iter()
                .find(|(k, _)| k.text == ind.id)
                .map(|(_, v)| cell(layout, Kind::Level, v));
            let score = b
                .rec
                .self_scores
                .iter()
                .find(|(k, _)| k.text == ind.id)
                .map(|(_, v)| cell(layout, Kind::Score, v));
            rows.push(vec![
                Some(Out::Text(b.id.clone())),
                Some(Out::Text(name.to_string())),
                Some(Out::Text(ind.id.clone())),
                Some(Out::Text(ind.label.clone())),
                Some(number_cell(&Val::plain(
                    crate::decimal::show(ind.points),
                    None,
                ))),
                ind.method.as_ref().map(|m| Out::Text(m.clone())),
                rating,
                score,
            ]);
        }
    }
    rows
}

fn validation(layout: &Layout, c: &Column, year: i32, lists: &ListCols) -> Option<DataValidation> {
    let list = |col: Option<u32>, n: usize| {
        let col = col?;
        let letter = column_name(col);
        Some(
            DataValidation::new().allow_list_formula(Formula::new(format!(
                "='{}'!${letter}$1:${letter}${}",
                layout::LISTS,
                n.max(1)
            ))),
        )
    };
    let dv = match c.kind {
        Kind::Category => list(lists.categories, layout.categories.len())?,
        Kind::MeetingKind => list(lists.kinds, layout.meeting_kinds.len())?,
        Kind::Mark => list(lists.marks, layout.marks.len())?,
        Kind::Bool => list(lists.booleans, layout.booleans.len())?,
        Kind::Level if !layout.levels.is_empty() => list(lists.levels, layout.levels.len())?,
        Kind::OrgPath if lists.org_count > 0 => list(lists.orgs, lists.org_count)?
            // New organisations may be added in the 组织 sheet: a warning, not a refusal.
            .set_error_style(DataValidationErrorStyle::Warning),
        Kind::Whole => {
            DataValidation::new().allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
        }
        Kind::Score => DataValidation::new()
            .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)),
        Kind::Date => {
            let y = u16::try_from(year).ok()?;
            let first = ExcelDateTime::from_ymd(y, 1, 1).ok()?;
            let last = ExcelDateTime::from_ymd(y, 12, 31).ok()?;
            DataValidation::new().allow_date(DataValidationRule::Between(first, last))
        }
        _ => return None,
    };
    dv.set_error_message(format!("请按第 2 行的说明填写：{}", c.note))
        .ok()
}

/// Columns of the hidden list sheet.
#[derive(Default)]
struct ListCols {
    categories: Option<u32>,
    kinds: Option<u32>,
    marks: Option<u32>,
    booleans: Option<u32>,
    levels: Option<u32>,
    orgs: Option<u32>,
    org_count: usize,
}

fn write_lists(ws: &mut Worksheet, data: &TemplateData) -> Result<ListCols, XlsxError> {
    let layout = data.layout;
    let mut cols = ListCols::default();
    let orgs: Vec<String> = data.orgs.iter().map(|(p, _)| p.join(".")).collect();
    let lists: [(&mut Option<u32>, Vec<&str>); 6] = [
        (
            &mut cols.categories,
            layout.categories.iter().map(|c| c.label.as_str()).collect(),
        ),
        (
            &mut cols.kinds,
            layout
                .meeting_kinds
                .iter()
                .map(|c| c.label.as_str())
                .collect(),
        ),
        (
            &mut cols.marks,
            layout.marks.iter().map(|c| c.label.as_str()).collect(),
        ),
        (
            &mut cols.booleans,
            layout.booleans.iter().map(|c| c.label.as_str()).collect(),
        ),
        (
            &mut cols.levels,
            layout.levels.iter().map(|c| c.label.as_str()).collect(),
        ),
        (&mut cols.orgs, orgs.iter().map(String::as_str).collect()),
    ];
    for (c, (slot, values)) in lists.into_iter().enumerate() {
        for (r, v) in values.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v)?;
        }
        *slot = Some(c as u32);
    }
    cols.org_count = orgs.len();
    Ok(cols)
}

fn write_meta(ws: &mut Worksheet, data: &TemplateData) -> Result<(), XlsxError> {
    let rows = [
        ("格式", layout::FORMAT.to_string()),
        ("年度", data.year.to_string()),
        ("指标体系", data.sys.name.clone()),
        ("版本", data.sys.version.clone().unwrap_or_default()),
        ("指标体系指纹", data.system_fingerprint.clone()),
        ("结构指纹", data.layout.fingerprint()),
        ("范围", data.scope.join(".")),
        (
            "生成工具",
            format!("dangjian {}", env!("CARGO_PKG_VERSION")),
        ),
    ];
    for (r, (k, v)) in rows.iter().enumerate() {
        ws.write_string(r as u32, 0, *k)?;
        ws.write_string(r as u32, 1, v)?;
    }
    Ok(())
}

fn guide_lines(data: &TemplateData) -> Vec<String> {
    let sys = data.sys;
    let version = sys
        .version
        .as_deref()
        .map(|v| format!("（版本 {v}）"))
        .unwrap_or_default();
    let scope = if data.scope.is_empty() {
        "全区（县）".to_string()
    } else {
        format!("组织 {}", data.scope.join("."))
    };
    let mut lines = vec![
        format!("{} 年度党支部工作台账", data.year),
        format!("指标体系：{}{version}；本表范围：{scope}", sys.name),
        String::new(),
        "怎么填".to_string(),
        "1. 每张表第 1 行是列名，第 2 行是填写说明，从第 3 行起填写；不要修改、删除或挪动列名，不要合并单元格。".to_string(),
        "2. 支部：每个党支部一行。支部编号是它的固定代号（字母、数字、_ 或 -），其余各表都用它对应到支部。".to_string(),
        "3. 会议：每次会议一行（支委会、党员大会、党小组会、党课、主题党日等），日期写成 2026-01-08 这样的日期；应到、实到人数要么都填，要么都空。".to_string(),
        format!("4. 清单：每个支部一行，完成的项目选 {}，未完成选 {}；一份清单全部留空表示未填报（按缺少数据计分）。", layout::DONE, layout::NOT_DONE),
        "5. 测评：每个支部一行，填写各项测评的参与人数和肯定（满意）人数。".to_string(),
        "6. 数据：每个支部一行；事件（如违纪、投诉）未发生也要填 0，留空表示未填报。".to_string(),
        "7. 考评：每个支部、每个适用指标一行；评价等级由考核组填写，自评分由支部填写（不超过分值，最多两位小数）。".to_string(),
        "8. 组织：列出各级党组织（路径用 . 连接各级编号，如 xinhe.qiaodong）；新增组织在此添加一行。".to_string(),
        "9. 标灰的列仅供查看，导入时不读取。有下拉箭头的单元格请从下拉列表中选择。".to_string(),
        String::new(),
        "填好后交回组织部，由组织部用 dangjian import 导入；导入前会逐格检查，发现的问题会写明工作表和单元格（如 会议!C17）。".to_string(),
        String::new(),
        "指标一览（指标编号、名称、分值、适用类别）".to_string(),
    ];
    for (_, ind) in sys.indicators() {
        let cats = match &ind.applies_to {
            None => "全部类别".to_string(),
            Some(c) => c
                .iter()
                .map(|id| sys.category_label(id).unwrap_or(id))
                .collect::<Vec<_>>()
                .join("、"),
        };
        let rating = if ind.rating_levels().is_some() {
            "；定性评价"
        } else {
            ""
        };
        lines.push(format!(
            "{}　{}　{} 分　{cats}{rating}",
            ind.id,
            ind.label,
            crate::decimal::show(ind.points)
        ));
    }
    lines
}

/// The workbook's bytes.
pub fn write(data: &TemplateData) -> Result<Vec<u8>, TemplateError> {
    let layout = data.layout;
    let rows = sheet_rows(data);
    for (s, r) in layout.sheets.iter().zip(&rows) {
        if r.len() as u32 + layout::FIRST_DATA_ROW > MAX_ROWS {
            return Err(TemplateError::TooManyRows {
                sheet: s.name,
                rows: r.len(),
            });
        }
    }
    let mut wb = Workbook::new();
    wb.set_properties(&properties(
        &format!("{} 年度党支部工作台账", data.year),
        data.year,
    )?);
    let f = Formats {
        header: header_format(),
        note: Format::new()
            .set_italic()
            .set_font_size(9)
            .set_font_color(Color::RGB(0x666666))
            .set_background_color(Color::RGB(0xF7F7F7))
            .set_text_wrap()
            .set_align(FormatAlign::Top),
        text: Format::new().set_num_format("@"),
        date: Format::new().set_num_format("yyyy-mm-dd"),
        reference: Format::new()
            .set_background_color(Color::RGB(0xEDEDED))
            .set_font_color(Color::RGB(0x555555)),
        plain: Format::new(),
    };

    let guide = wb.add_worksheet();
    guide.set_name(layout::GUIDE)?;
    let title = Format::new().set_bold().set_font_size(14);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    for (r, line) in guide_lines(data).iter().enumerate() {
        let fmt = if r == 0 || line == "怎么填" || line.starts_with("指标一览") {
            &title
        } else {
            &wrap
        };
        guide.write_string_with_format(r as u32, 0, line, fmt)?;
    }
    guide.set_column_width(0, 110)?;
    guide.set_landscape();
    guide.set_paper_size(9);

    // The lists first (written to a sheet added last), so validations can name their cells.
    let mut lists_ws = Worksheet::new();
    lists_ws.set_name(layout::LISTS)?;
    let list_cols = write_lists(&mut lists_ws, data)?;

    for (s, sheet_rows) in layout.sheets.iter().zip(rows) {
        let ws = wb.add_worksheet();
        ws.set_name(s.name)?;
        let mut widths = Widths::default();
        for (c, col) in s.columns.iter().enumerate() {
            let c16 = c as u16;
            ws.write_string_with_format(0, c16, &col.header, &f.header)?;
            ws.write_string_with_format(1, c16, &col.note, &f.note)?;
            widths.see(c16, &col.header);
            // A long note wraps (row 2 is three lines high): it counts for at most 10
            // characters of width.
            widths.see(c16, &col.note.chars().take(10).collect::<String>());
            match col.kind {
                Kind::Id => {
                    ws.set_column_format(c16, &f.text)?;
                }
                Kind::Date => {
                    ws.set_column_format(c16, &f.date)?;
                    widths.see(c16, "2026-01-08 ");
                }
                Kind::Reference => {
                    ws.set_column_format(c16, &f.reference)?;
                }
                _ => {}
            }
            if let Some(dv) = validation(layout, col, data.year, &list_cols) {
                ws.add_data_validation(layout::FIRST_DATA_ROW, c16, MAX_ROWS - 1, c16, &dv)?;
            }
        }
        ws.set_row_height(1, 45)?;
        for (r, row) in sheet_rows.iter().enumerate() {
            let r = r as u32 + layout::FIRST_DATA_ROW;
            for (c, v) in row.iter().enumerate() {
                let Some(v) = v else { continue };
                let c16 = c as u16;
                let fmt = match s.columns[c].kind {
                    Kind::Id => &f.text,
                    Kind::Reference => &f.reference,
                    _ => &f.plain,
                };
                match v {
                    Out::Text(t) => {
                        ws.write_string_with_format(r, c16, t, fmt)?;
                        widths.see(c16, t);
                    }
                    Out::Number(n) => {
                        ws.write_number_with_format(r, c16, *n, fmt)?;
                        widths.see(c16, &n.to_string());
                    }
                    Out::Date(d) => {
                        ws.write_number_with_format(r, c16, *d, &f.date)?;
                    }
                }
            }
        }
        widths.apply(ws)?;
        let frozen_cols = if s.rows == Rows::Orgs { 1 } else { 2 };
        ws.set_freeze_panes(layout::FIRST_DATA_ROW, frozen_cols)?;
        ws.set_repeat_rows(0, 1)?;
        ws.set_landscape();
        ws.set_paper_size(9);
        ws.set_print_fit_to_pages(1, 0);
    }
    lists_ws.set_hidden(true);
    wb.push_worksheet(lists_ws);
    let meta = wb.add_worksheet();
    meta.set_name(layout::META)?;
    write_meta(meta, data)?;
    meta.set_hidden(true);
    Ok(wb.save_to_buffer()?)
}
