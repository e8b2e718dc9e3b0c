//! `score --format xlsx`: the scores as a workbook people sort, filter and print — the
//! ranking, one sheet per category, the organisation nodes, every branch × indicator and the
//! rectification list; numbers as numbers with two decimals, Chinese headers, frozen header
//! rows, autofilters, print titles and landscape A4. Also the sheet helpers the fill-in
//! template shares: column widths that count a Chinese character as two (rust_xlsxwriter's
//! autofit counts one), and document properties without the clock, so the same scores give
//! the same bytes.

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};
use unicode_width::UnicodeWidthStr;

use super::Selection;
use super::csv::{self, Cell};
use crate::decimal::show;
use crate::score::BranchResult;

/// Widest column set, in Excel's character units; longer text wraps or is cut on screen.
pub const MAX_WIDTH: usize = 60;

/// Display width of text: a CJK (wide) character counts 2.
pub fn text_width(text: &str) -> usize {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// The widest text written in each column, to set the widths once at the end.
#[derive(Default)]
pub struct Widths(Vec<usize>);

impl Widths {
    pub fn see(&mut self, col: u16, text: &str) {
        let c = usize::from(col);
        if self.0.len() <= c {
            self.0.resize(c + 1, 0);
        }
        self.0[c] = self.0[c].max(text_width(text));
    }

    pub fn see_len(&mut self, col: u16, width: usize) {
        let c = usize::from(col);
        if self.0.len() <= c {
            self.0.resize(c + 1, 0);
        }
        self.0[c] = self.0[c].max(width);
    }

    /// The width a column will be given (its widest text plus a margin, uncapped).
    pub fn width(&self, col: usize) -> usize {
        self.0.get(col).map_or(0, |w| w + 2)
    }

    /// Sets every column's width: its widest text plus a margin, within limits.
    pub fn apply(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        self.apply_capped(ws, MAX_WIDTH).map(|_| ())
    }

    /// [`Widths::apply`] with columns at most `cap` wide; gives the total width.
    pub fn apply_capped(&self, ws: &mut Worksheet, cap: usize) -> Result<usize, XlsxError> {
        let mut total = 0;
        for (c, w) in self.0.iter().enumerate() {
            let width = (*w + 2).clamp(6, cap + 2);
            ws.set_column_width(c as u16, width as f64)?;
            total += width;
        }
        Ok(total)
    }
}

/// Document properties with a fixed creation time (1 January of `year`): rust_xlsxwriter
/// stamps the current time otherwise, and the same input must give the same bytes.
pub fn properties(title: &str, year: i32) -> Result<DocProperties, XlsxError> {
    let y = u16::try_from(year.clamp(1900, 9999)).unwrap_or(2000);
    let date = ExcelDateTime::from_ymd(y, 1, 1)?;
    Ok(DocProperties::new()
        .set_title(title)
        .set_author("dangjian")
        .set_creation_datetime(&date))
}

pub fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xF2DCDB))
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
}

/// Headers whose column holds a score (two decimals); other number columns are whole.
const SCORE_HEADERS: [&str; 6] = ["基础分", "加分", "总分", "自评总分", "自评差距", "平均分"];

struct Formats {
    header: Format,
    score: Format,
    whole: Format,
    /// Text starts one indent in, so an id or name never touches the right-aligned number
    /// before it (类别内排名 then 编号 read as one "1 huaxin" without it).
    text: Format,
    wrap: Format,
}

/// Text wider than this wraps in its cell (the column stays this wide).
const WRAP_AT: usize = 36;
/// A table at most this wide (character units) prints scaled to the page's width; a wider
/// one prints at 80 % across pages, its first columns repeated on each.
const FIT_WIDTH: usize = 190;

/// One sheet of a table: header row, rows of cells, then widths, frozen header, autofilter
/// and print setup. `key_cols` columns (year, rank, id, name …) repeat on every printed page
/// of a table too wide for one.
fn table(
    wb: &mut Workbook,
    name: &str,
    header: &[String],
    rows: &[Vec<Cell>],
    key_cols: u16,
    f: &Formats,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    let mut widths = Widths::default();
    for (c, h) in header.iter().enumerate() {
        // Headers wrap; their width counts for at most 8 characters.
        widths.see(c as u16, &h.chars().take(8).collect::<String>());
    }
    for row in rows {
        for (c, cell) in row.iter().enumerate() {
            match cell {
                Cell::Number(n) => widths.see_len(c as u16, n.len() + 3),
                Cell::Text(t) => widths.see(c as u16, t),
            }
        }
    }
    let wrap: Vec<bool> = widths.0.iter().map(|w| *w > WRAP_AT).collect();
    let score_cols: Vec<bool> = header
        .iter()
        .map(|h| SCORE_HEADERS.contains(&h.as_str()) || h.ends_with("分）"))
        .collect();
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &f.header)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c16 = c as u16;
            match cell {
                Cell::Number(n) if n.is_empty() => {}
                Cell::Number(n) => match n.parse::<f64>() {
                    Ok(v) => {
                        let fmt = if score_cols.get(c).copied().unwrap_or(false) {
                            &f.score
                        } else {
                            &f.whole
                        };
                        ws.write_number_with_format(r, c16, v, fmt)?;
                    }
                    Err(_) => {
                        ws.write_string(r, c16, n)?;
                    }
                },
                // Written as strings, never as formulas: no text can run in Excel.
                Cell::Text(t) if t.is_empty() => {}
                Cell::Text(t) if wrap.get(c).copied().unwrap_or(false) => {
                    ws.write_string_with_format(r, c16, t, &f.wrap)?;
                }
                Cell::Text(t) => {
                    ws.write_string_with_format(r, c16, t, &f.text)?;
                }
            }
        }
    }
    let total = widths.apply_capped(ws, WRAP_AT)?;
    let last_col = header.len().saturating_sub(1) as u16;
    ws.set_freeze_panes(1, key_cols.min(last_col))?;
    ws.autofilter(0, 0, rows.len() as u32, last_col)?;
    ws.set_repeat_rows(0, 0)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    if total <= FIT_WIDTH {
        ws.set_print_fit_to_pages(1, 0);
    } else {
        ws.set_print_scale(80);
        ws.set_repeat_columns(0, key_cols.saturating_sub(1).min(last_col))?;
    }
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, unique.
fn sheet_name(wanted: &str, taken: &mut Vec<String>) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(28)
        .collect();
    let mut name = clean.clone();
    let mut n = 2;
    while taken
        .iter()
        .any(|t| t.to_lowercase() == name.to_lowercase())
    {
        name = format!("{clean}_{n}");
        n += 1;
    }
    taken.push(name.clone());
    name
}

fn on_rectification_list(sel: &Selection, y: usize, b: &BranchResult) -> bool {
    let last = sel.project.years[y].system.grades.len().saturating_sub(1);
    (b.grade == last && last > 0) || !b.vetoes.is_empty()
}

/// The score workbook's bytes.
pub fn scores(sel: &Selection) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let year = sel
        .years
        .last()
        .map_or(2000, |&y| sel.project.years[y].year);
    let title = match sel.years.first().map(|&y| &sel.project.years[y].system) {
        Some(sys) => format!("{} 计分结果", sys.name),
        None => "计分结果".to_string(),
    };
    wb.set_properties(&properties(&title, year)?);
    let f = Formats {
        header: header_format(),
        score: Format::new().set_num_format("0.00"),
        whole: Format::new().set_num_format("0"),
        text: Format::new().set_indent(1),
        wrap: Format::new()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_indent(1),
    };
    let mut taken = vec!["总排名".to_string()];
    let header: Vec<String> = csv::BRANCH_HEADER.iter().map(|h| h.to_string()).collect();
    let ranked = sel.ranked();
    let rows: Vec<Vec<Cell>> = ranked
        .iter()
        .map(|&(y, b)| csv::branch_row(sel, y, b))
        .collect();
    table(&mut wb, "总排名", &header, &rows, 5, &f)?;

    // One sheet per category, in the first selected year's display order (then any
    // category only a later year has), each ranked within the category.
    let mut categories: Vec<(String, String)> = Vec::new();
    for &y in &sel.years {
        for (id, label) in &sel.project.years[y].system.categories {
            if !categories.iter().any(|(c, _)| c == id) {
                categories.push((id.clone(), label.clone()));
            }
        }
    }
    for (id, label) in &categories {
        let mut members: Vec<(usize, &BranchResult)> = ranked
            .iter()
            .filter(|(_, b)| b.category == *id)
            .copied()
            .collect();
        members.sort_by(|a, b| {
            (a.1.year, a.1.rank_in_category, &a.1.id).cmp(&(
                b.1.year,
                b.1.rank_in_category,
                &b.1.id,
            ))
        });
        let rows: Vec<Vec<Cell>> = members
            .iter()
            .map(|&(y, b)| csv::branch_row(sel, y, b))
            .collect();
        let name = sheet_name(label, &mut taken);
        table(&mut wb, &name, &header, &rows, 5, &f)?;
    }

    let (org_header, grade_ids) = csv::org_header(sel);
    let org_header: Vec<String> = org_header
        .into_iter()
        .map(|c| match c {
            Cell::Text(t) | Cell::Number(t) => t,
        })
        .collect();
    let org_rows: Vec<Vec<Cell>> = sel
        .orgs()
        .map(|(_, o)| csv::org_row(o, &grade_ids))
        .collect();
    let name = sheet_name("组织", &mut taken);
    table(&mut wb, &name, &org_header, &org_rows, 3, &f)?;

    let (ind_header, ind_rows) = indicator_table(sel, &ranked);
    let name = sheet_name("指标得分", &mut taken);
    table(&mut wb, &name, &ind_header, &ind_rows, 4, &f)?;

    let list: Vec<Vec<Cell>> = ranked
        .iter()
        .filter(|&&(y, b)| on_rectification_list(sel, y, b))
        .map(|&(y, b)| rectification_row(sel, y, b))
        .collect();
    let header: Vec<String> = RECTIFICATION_HEADER.iter().map(|h| h.to_string()).collect();
    let name = sheet_name("整改名单", &mut taken);
    table(&mut wb, &name, &header, &list, 4, &f)?;
    wb.save_to_buffer()
}

/// Every branch × indicator: a column per indicator of the selected years (by first
/// appearance), headed by its label and points; blank where it does not apply.
fn indicator_table(
    sel: &Selection,
    ranked: &[(usize, &BranchResult)],
) -> (Vec<String>, Vec<Vec<Cell>>) {
    let mut ids: Vec<String> = Vec::new();
    let mut header: Vec<String> = ["年度", "排名", "编号", "名称", "类别", "总分"]
        .iter()
        .map(|h| h.to_string())
        .collect();
    for &y in &sel.years {
        for (_, ind) in sel.project.years[y].system.indicators() {
            if !ids.contains(&ind.id) {
                ids.push(ind.id.clone());
                header.push(format!("{}（{}分）", ind.label, show(ind.points)));
            }
        }
    }
    let rows = ranked
        .iter()
        .map(|&(y, b)| {
            let sys = &sel.project.years[y].system;
            let mut row = vec![
                Cell::Number(b.year.to_string()),
                Cell::Number(b.rank.to_string()),
                Cell::Text(b.id.clone()),
                Cell::Text(b.name.clone()),
                Cell::Text(csv::category_label(sys, &b.category)),
                Cell::Number(show(b.total)),
            ];
            for id in &ids {
                let points = b.indicators.iter().find(|i| i.id.as_str() == id);
                row.push(Cell::Number(
                    points.map(|i| show(i.earned)).unwrap_or_default(),
                ));
            }
            row
        })
        .collect();
    (header, rows)
}

const RECTIFICATION_HEADER: [&str; 10] = [
    "年度",
    "排名",
    "编号",
    "名称",
    "类别",
    "组织",
    "总分",
    "等次",
    "列入原因",
    "优先整改",
];

fn rectification_row(sel: &Selection, y: usize, b: &BranchResult) -> Vec<Cell> {
    let year = &sel.project.years[y];
    let sys = &year.system;
    let last = sys.grades.len().saturating_sub(1);
    let mut reasons: Vec<String> = b
        .vetoes
        .iter()
        .filter_map(|v| sys.vetoes.iter().find(|x| x.id == *v))
        .map(|v| format!("触发一票否决：{}", v.label))
        .collect();
    if b.grade == last && last > 0 {
        reasons.push(format!("等次为{}", sys.grades[last].label));
    }
    let fix = csv::fix_first(sys, b);
    let org = b
        .org_node
        .and_then(|i| year.orgs.get(i))
        .map(|o| o.name.clone())
        .unwrap_or_default();
    vec![
        Cell::Number(b.year.to_string()),
        Cell::Number(b.rank.to_string()),
        Cell::Text(b.id.clone()),
        Cell::Text(b.name.clone()),
        Cell::Text(csv::category_label(sys, &b.category)),
        Cell::Text(org),
        Cell::Number(show(b.total)),
        Cell::Text(sys.grades[b.grade].label.clone()),
        Cell::Text(reasons.join("；")),
        Cell::Text(fix.join("；")),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_cjk_as_two() {
        assert_eq!(text_width("支部编号"), 8);
        assert_eq!(text_width("ab"), 2);
        assert_eq!(text_width("a\n支部"), 4);
    }

    #[test]
    fn sheet_names_excel_accepts() {
        let mut taken = vec!["总排名".to_string()];
        assert_eq!(sheet_name("农村", &mut taken), "农村");
        assert_eq!(sheet_name("a/b:c", &mut taken), "a_b_c");
        assert_eq!(sheet_name("农村", &mut taken), "农村_2");
        let long = "很".repeat(40);
        assert_eq!(sheet_name(&long, &mut taken).chars().count(), 28);
    }
}
