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
use super::record::{Field, OrgData, RecordData, Val};
use crate::model::Date;
use crate::model::IndicatorSystem;
use crate::output::xlsx::{MAX_WIDTH, Widths, header_format, properties, text_width};

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
    /// Several lines in one cell (a team, opinions).
    wrap: Format,
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
        Kind::Indicator => Out::Text(label_of(&layout.indicators, &v.text)),
        Kind::Date | Kind::Due => match Date::parse(&v.text).map(Date::tuple) {
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
                Target::Inspection(_) | Target::Verified(_) => {
                    return match super::cycle::inspection_cell(rec, &c.target)? {
                        Field::One(v) => Some(cell(layout, c.kind, &v)),
                        Field::List(items) => Some(Out::Text(super::cycle::list_text(&items))),
                    };
                }
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
            layout::RECTIFICATION => {
                let mut rows = Vec::new();
                for b in &data.branches {
                    let name = b.rec.name.as_ref().map(|v| v.text.as_str()).unwrap_or("");
                    for item in &b.rec.rectification {
                        let mut row = vec![text(&b.id), text(name)];
                        row.extend(s.columns[2..].iter().map(|c| {
                            let Target::Rectification(key) = c.target else {
                                return None;
                            };
                            item.iter()
                                .find(|(k, _)| *k == key)
                                .map(|(_, v)| cell(layout, c.kind, v))
                        }));
                        rows.push(row);
                    }
                }
                rows
            }
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
    // The same for every branch: made once per indicator.
    let basis: Vec<String> = data
        .sys
        .indicators()
        .map(|(_, i)| super::basis::cell(data.sys, layout, i))
        .collect();
    let mut rows = Vec::new();
    for b in &data.branches {
        let category = b
            .rec
            .category
            .as_ref()
            .map(|v| v.text.as_str())
            .unwrap_or("");
        let name = b.rec.name.as_ref().map(|v| v.text.as_str()).unwrap_or("");
        for (k, (_, ind)) in data
            .sys
            .indicators()
            .enumerate()
            .filter(|(_, (_, i))| i.applies(category))
        {
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
                Some(Out::Text(basis[k].clone())),
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
        Kind::Indicator => list(lists.indicators, layout.indicators.len())?,
        Kind::OrgPath if lists.org_count > 0 => list(lists.orgs, lists.org_count)?
            // New organisations may be added in the 组织 sheet: a warning, not a refusal.
            .set_error_style(DataValidationErrorStyle::Warning),
        Kind::Whole => {
            DataValidation::new().allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
        }
        Kind::Score => DataValidation::new()
            .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)),
        Kind::Date | Kind::Due => {
            let y = u16::try_from(year).ok()?;
            let first = ExcelDateTime::from_ymd(y, 1, 1).ok()?;
            let end = if c.kind == Kind::Due { y + 1 } else { y };
            let last = ExcelDateTime::from_ymd(end, 12, 31).ok()?;
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
    indicators: Option<u32>,
    orgs: Option<u32>,
    org_count: usize,
}

fn write_lists(ws: &mut Worksheet, data: &TemplateData) -> Result<ListCols, XlsxError> {
    let layout = data.layout;
    let mut cols = ListCols::default();
    let orgs: Vec<String> = data.orgs.iter().map(|(p, _)| p.join(".")).collect();
    let lists: [(&mut Option<u32>, Vec<&str>); 7] = [
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
        (
            &mut cols.indicators,
            layout.indicators.iter().map(|c| c.label.as_str()).collect(),
        ),
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

/// Every column's width: its header, the first characters of its note, its widest line.
fn sheet_widths(s: &layout::SheetLayout, rows: &[Vec<Option<Out>>]) -> Widths {
    let mut widths = Widths::default();
    for (c, col) in s.columns.iter().enumerate() {
        let c16 = c as u16;
        widths.see(c16, &col.header);
        // A long note wraps (row 2 is three lines high): it counts for at most 10
        // characters of width.
        widths.see(c16, &col.note.chars().take(10).collect::<String>());
        if matches!(col.kind, Kind::Date | Kind::Due) {
            widths.see(c16, "2026-01-08 ");
        }
    }
    for row in rows {
        for (c, v) in row.iter().enumerate() {
            match v {
                Some(Out::Text(t)) => {
                    widths.see_len(c as u16, t.lines().map(text_width).max().unwrap_or(0));
                }
                Some(Out::Number(n)) => widths.see(c as u16, &n.to_string()),
                _ => {}
            }
        }
    }
    widths
}

/// The lines a row needs to show its cells whole: several lines in a cell (a team,
/// opinions, a rule's clauses) or a text wider than its column (LibreOffice keeps a row
/// at one line otherwise).
fn row_lines(widths: &Widths, row: &[Option<Out>]) -> usize {
    row.iter()
        .enumerate()
        .filter_map(|(c, v)| match v {
            Some(Out::Text(t)) if t.len() > 12 => {
                let room = widths.width(c).clamp(6, MAX_WIDTH + 2).saturating_sub(1);
                Some(t.lines().map(|l| text_width(l).div_ceil(room).max(1)).sum())
            }
            _ => None,
        })
        .max()
        .unwrap_or(1)
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
        // Everything at the top of its cell: a row grows for a cell of several lines.
        text: Format::new()
            .set_num_format("@")
            .set_align(FormatAlign::Top),
        date: Format::new()
            .set_num_format("yyyy-mm-dd")
            .set_align(FormatAlign::Top),
        reference: Format::new()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_background_color(Color::RGB(0xEDEDED))
            .set_font_color(Color::RGB(0x555555)),
        plain: Format::new().set_align(FormatAlign::Top),
        wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
    };

    let guide = wb.add_worksheet();
    guide.set_name(layout::GUIDE)?;
    let title = Format::new().set_bold().set_font_size(14);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    for (r, line) in super::guide::guide_lines(data).iter().enumerate() {
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
        // Rows go to a temporary file as they are written (a district's 考评 sheet is
        // hundreds of thousands of rows), strings still shared: so everything about a row
        // (its height from the final column widths) is known before it is written.
        let widths = sheet_widths(s, &sheet_rows);
        let ws = wb.add_worksheet_with_low_memory()?;
        ws.set_name(s.name)?;
        widths.apply(ws)?;
        for (c, col) in s.columns.iter().enumerate() {
            let c16 = c as u16;
            ws.write_string_with_format(0, c16, &col.header, &f.header)?;
            match col.kind {
                Kind::Id => {
                    ws.set_column_format(c16, &f.text)?;
                }
                Kind::Date | Kind::Due => {
                    ws.set_column_format(c16, &f.date)?;
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
        for (c, col) in s.columns.iter().enumerate() {
            ws.write_string_with_format(1, c as u16, &col.note, &f.note)?;
        }
        for (r, row) in sheet_rows.iter().enumerate() {
            let r = r as u32 + layout::FIRST_DATA_ROW;
            let lines = row_lines(&widths, row);
            if lines > 1 {
                ws.set_row_height(r, 2.0 + 16.0 * lines.min(12) as f64)?;
            }
            for (c, v) in row.iter().enumerate() {
                let Some(v) = v else { continue };
                let c16 = c as u16;
                let fmt = match s.columns[c].kind {
                    Kind::Id => &f.text,
                    Kind::Reference => &f.reference,
                    Kind::List | Kind::Text => &f.wrap,
                    _ => &f.plain,
                };
                match v {
                    Out::Text(t) => ws.write_string_with_format(r, c16, t, fmt)?,
                    Out::Number(n) => ws.write_number_with_format(r, c16, *n, fmt)?,
                    Out::Date(d) => ws.write_number_with_format(r, c16, *d, &f.date)?,
                };
            }
        }
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
    super::guide::write_meta(meta, data)?;
    meta.set_hidden(true);
    Ok(wb.save_to_buffer()?)
}
