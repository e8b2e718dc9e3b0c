//! The workbook's own checks, before any record is made: is it ours (its hidden `_meta`
//! sheet), for this system (fingerprints), with its headers as made, without merged cells,
//! hidden sheets that are not ours or values outside the columns; formulas are noted. And
//! where such messages go: each with its workbook, sheet and cell, in reading order.

use std::collections::HashMap;

use super::cells::a1;
use super::layout::{self, SheetLayout};
use super::record::At;
use super::workbook::{Book, Sheet};
use crate::diagnostics::{Diagnostic, Pos, Severity};

/// One workbook's metadata (the hidden `_meta` sheet).
#[derive(Debug, Default)]
pub(super) struct Meta {
    pub(super) year: Option<i32>,
    pub(super) layout: String,
    pub(super) system: String,
    pub(super) scope: Vec<String>,
}

/// A workbook being imported.
pub(super) struct Input {
    pub(super) book: Option<Book>,
    pub(super) meta: Meta,
    /// Layout column of each sheet column, by sheet name (only sheets whose headers are
    /// usable).
    pub(super) columns: HashMap<&'static str, Vec<Option<usize>>>,
}

/// Messages of the workbooks themselves, collected with their place.
pub(super) struct Say {
    pub(super) names: Vec<String>,
    pub(super) diags: Vec<(usize, Diagnostic, (usize, u32, u32))>,
}

pub(super) fn sheet_order(name: &str) -> usize {
    [
        layout::GUIDE,
        layout::ORGS,
        layout::BRANCHES,
        layout::MEETINGS,
        layout::CHECKLISTS,
        layout::MEASURES,
        layout::DATA,
        layout::ASSESSMENT,
        layout::INSPECTION,
        layout::RECTIFICATION,
        layout::LISTS,
        layout::META,
    ]
    .iter()
    .position(|s| *s == name)
    .unwrap_or(99)
}

impl Say {
    pub(super) fn at(
        &mut self,
        sev: Severity,
        at: &At,
        msg: impl Into<String>,
        hint: Option<String>,
    ) {
        let d = Diagnostic::error(&self.names[at.book], Pos::START, msg)
            .with_hint_opt(hint)
            .in_sheet(Some(at.sheet), Some(a1(at.row, at.col)));
        let d = Diagnostic { severity: sev, ..d };
        self.diags
            .push((at.book, d, (sheet_order(at.sheet), at.row, at.col)));
    }

    pub(super) fn error(&mut self, at: &At, msg: impl Into<String>, hint: Option<String>) {
        self.at(Severity::Error, at, msg, hint);
    }

    pub(super) fn sheet(
        &mut self,
        book: usize,
        sev: Severity,
        sheet: &str,
        msg: impl Into<String>,
        hint: Option<String>,
    ) {
        let d = Diagnostic::error(&self.names[book], Pos::START, msg)
            .with_hint_opt(hint)
            .in_sheet(Some(sheet), None);
        let d = Diagnostic { severity: sev, ..d };
        self.diags.push((book, d, (sheet_order(sheet), 0, 0)));
    }

    pub(super) fn book(
        &mut self,
        book: usize,
        sev: Severity,
        msg: impl Into<String>,
        hint: Option<String>,
    ) {
        let d = Diagnostic::error(&self.names[book], Pos::START, msg)
            .with_hint_opt(hint)
            .in_sheet(None, None);
        let d = Diagnostic { severity: sev, ..d };
        self.diags.push((book, d, (0, 0, 0)));
    }
}

pub(super) fn our_sheet(name: &str) -> bool {
    sheet_order(name) < 99
}

pub(super) fn read_meta(sheet: &Sheet) -> Option<Meta> {
    let mut kv: HashMap<String, String> = HashMap::new();
    for r in &sheet.rows {
        if let (Some(k), Some(v)) = (r.get(0), r.get(1)) {
            kv.insert(k.display(), v.display());
        }
    }
    if kv.get("格式").map(String::as_str) != Some(layout::FORMAT) {
        return None;
    }
    Some(Meta {
        year: kv.get("年度").and_then(|y| y.parse().ok()),
        layout: kv.get("结构指纹").cloned().unwrap_or_default(),
        system: kv.get("指标体系指纹").cloned().unwrap_or_default(),
        scope: kv
            .get("范围")
            .and_then(|s| super::parse_org_path(s))
            .unwrap_or_default(),
    })
}

/// Maps a sheet's header row onto the layout's columns; reports renamed, missing and
/// repeated headers. `None` when the sheet's data cannot be read safely.
pub(super) fn map_headers(
    say: &mut Say,
    book: usize,
    sheet: &Sheet,
    sl: &SheetLayout,
) -> Option<Vec<Option<usize>>> {
    let header = sheet.rows.first().filter(|r| r.index == 0);
    let mut map: Vec<Option<usize>> = Vec::new();
    let mut ok = true;
    let mut found = vec![false; sl.columns.len()];
    let expected: Vec<&str> = sl.columns.iter().map(|c| c.header.as_str()).collect();
    if let Some(h) = header {
        for (col, v) in &h.cells {
            let text = v.display();
            if text.is_empty() {
                continue;
            }
            let at = At {
                book,
                sheet: sl.name,
                row: 0,
                col: *col,
            };
            match expected.iter().position(|e| *e == text) {
                Some(i) if found[i] => {
                    say.error(&at, format!("列名“{text}”重复"), None);
                    ok = false;
                }
                Some(i) => {
                    found[i] = true;
                    if map.len() <= *col as usize {
                        map.resize(*col as usize + 1, None);
                    }
                    map[*col as usize] = Some(i);
                }
                None => {
                    let missing: Vec<&str> = expected
                        .iter()
                        .zip(&found)
                        .filter(|(_, f)| !**f)
                        .map(|(e, _)| *e)
                        .collect();
                    let hint = crate::suggest::hint(&text, missing.iter().copied())
                        .map(|h| format!("{h}；列名必须与模板一致，不要改名、增加或删除列"))
                        .or_else(|| Some("列名必须与模板一致，不要改名、增加或删除列".into()));
                    say.error(
                        &at,
                        format!("“{text}”不是模板中的列名（列名被修改或增加了列）"),
                        hint,
                    );
                    ok = false;
                }
            }
        }
    }
    for (i, f) in found.iter().enumerate() {
        if !f {
            say.sheet(
                book,
                Severity::Error,
                sl.name,
                format!("缺少列“{}”", expected[i]),
                Some("从新生成的模板复制表头；不要删除或改名".into()),
            );
            ok = false;
        }
    }
    ok.then_some(map)
}

/// Workbook-level checks of one sheet: merged cells, formulas, values in columns without a
/// header.
pub(super) fn check_sheet(
    say: &mut Say,
    book: usize,
    sheet: &Sheet,
    sl: &SheetLayout,
    map: &[Option<usize>],
) {
    for &(r0, c0, r1, c1) in &sheet.merged {
        let at = At {
            book,
            sheet: sl.name,
            row: r0,
            col: c0,
        };
        say.error(
            &at,
            format!("合并单元格 {}:{}", a1(r0, c0), a1(r1, c1)),
            Some("取消合并，在每一行都填上值（合并后只有第一格有值）".into()),
        );
    }
    if let Some(&(r, c)) = sheet
        .formulas
        .iter()
        .find(|(r, _)| *r >= layout::FIRST_DATA_ROW)
    {
        let n = sheet.formulas.len();
        say.sheet(
            book,
            Severity::Warning,
            sl.name,
            format!(
                "有 {n} 个单元格是公式（如 {}），按保存时的计算结果导入",
                a1(r, c)
            ),
            Some("公式不会重新计算；导入前请在 Excel 中保存一次，确保结果是最新的".into()),
        );
    }
    let mut stray = None;
    for row in sheet
        .rows
        .iter()
        .filter(|r| r.index >= layout::FIRST_DATA_ROW)
    {
        if let Some((c, _)) = row
            .cells
            .iter()
            // The column first: nearly every cell has one, and telling a cell empty trims
            // its text (a district's 2 million cells took 25 ms on one core).
            .find(|(c, v)| map.get(*c as usize).is_none_or(Option::is_none) && !v.is_empty())
        {
            stray = Some((row.index, *c));
            break;
        }
    }
    if let Some((r, c)) = stray {
        say.error(
            &At {
                book,
                sheet: sl.name,
                row: r,
                col: c,
            },
            "这一列没有列名，其中的内容不会导入",
            Some("把内容移到对应的列，或删除它".into()),
        );
    }
}
