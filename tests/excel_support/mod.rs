//! Filling in a workbook the way a program (or a person with a spreadsheet) would: every
//! sheet read back with calamine, cells changed or added, and the whole saved anew with
//! rust_xlsxwriter — hidden sheets stay hidden, dates stay dates.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{Data, Reader, SheetVisible, open_workbook_auto};
use rust_xlsxwriter::{Format, Formula, Workbook};

#[derive(Debug, Clone, PartialEq)]
pub enum V {
    Text(String),
    Num(f64),
    Date(u16, u8, u8),
    Bool(bool),
    /// A formula and the result Excel saved with it.
    Formula(String, String),
}

pub fn t(s: &str) -> V {
    V::Text(s.to_string())
}

pub struct Sheet {
    pub name: String,
    pub hidden: bool,
    pub cells: BTreeMap<(u32, u16), V>,
    pub merges: Vec<(u32, u16, u32, u16)>,
}

pub struct Book {
    pub sheets: Vec<Sheet>,
}

/// `C17` → (16, 2).
pub fn cell(a1: &str) -> (u32, u16) {
    let letters: String = a1.chars().take_while(char::is_ascii_alphabetic).collect();
    let digits = &a1[letters.len()..];
    let col = letters.bytes().fold(0u32, |n, b| {
        n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1)
    }) - 1;
    (digits.parse::<u32>().expect("row") - 1, col as u16)
}

impl Book {
    pub fn open(path: &Path) -> Book {
        let mut wb = open_workbook_auto(path).expect("workbook opens");
        let metas: Vec<(String, bool)> = wb
            .sheets_metadata()
            .iter()
            .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
            .collect();
        let mut sheets = Vec::new();
        for (name, hidden) in metas {
            let range = wb.worksheet_range(&name).expect("sheet");
            let (r0, c0) = range.start().unwrap_or((0, 0));
            let mut cells = BTreeMap::new();
            for (r, c, v) in range.used_cells() {
                let v = match v {
                    Data::String(s) => V::Text(s.clone()),
                    Data::Float(f) => V::Num(*f),
                    Data::Int(i) => V::Num(*i as f64),
                    Data::Bool(b) => V::Bool(*b),
                    Data::DateTime(d) => {
                        let (y, m, d, ..) = d.to_ymd_hms_milli();
                        V::Date(y, m, d)
                    }
                    Data::DateTimeIso(s) => V::Text(s.clone()),
                    _ => continue,
                };
                cells.insert((r0 + r as u32, (c0 + c as u32) as u16), v);
            }
            sheets.push(Sheet {
                name,
                hidden,
                cells,
                merges: Vec::new(),
            });
        }
        Book { sheets }
    }

    pub fn sheet(&mut self, name: &str) -> &mut Sheet {
        self.sheets
            .iter_mut()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no sheet {name}"))
    }

    pub fn set(&mut self, sheet: &str, a1: &str, v: V) {
        self.sheet(sheet).cells.insert(cell(a1), v);
    }

    pub fn clear(&mut self, sheet: &str, a1: &str) {
        self.sheet(sheet).cells.remove(&cell(a1));
    }

    pub fn get(&mut self, sheet: &str, a1: &str) -> Option<V> {
        self.sheet(sheet).cells.get(&cell(a1)).cloned()
    }

    /// Adds a row after the last one; gives its 1-based Excel row number.
    pub fn append(&mut self, sheet: &str, values: &[Option<V>]) -> u32 {
        let s = self.sheet(sheet);
        let next = s.cells.keys().map(|(r, _)| r + 1).max().unwrap_or(0).max(2);
        for (c, v) in values.iter().enumerate() {
            if let Some(v) = v {
                s.cells.insert((next, c as u16), v.clone());
            }
        }
        next + 1
    }

    /// The 0-based column whose header (row 1) is `header`.
    pub fn column(&mut self, sheet: &str, header: &str) -> u16 {
        let s = self.sheet(sheet);
        s.cells
            .iter()
            .find(|((r, _), v)| *r == 0 && **v == V::Text(header.to_string()))
            .map(|((_, c), _)| *c)
            .unwrap_or_else(|| panic!("no column {header} in {sheet}"))
    }

    /// Sets the cells of a row (1-based Excel row) by header.
    pub fn set_by_header(&mut self, sheet: &str, row: u32, cells: &[(&str, V)]) {
        for (header, v) in cells {
            let c = self.column(sheet, header);
            self.sheet(sheet).cells.insert((row - 1, c), v.clone());
        }
    }

    /// The 1-based Excel row of the first row whose columns hold these texts.
    pub fn find(&mut self, sheet: &str, wanted: &[(u16, &str)]) -> u32 {
        let s = self.sheet(sheet);
        let rows: std::collections::BTreeSet<u32> = s.cells.keys().map(|(r, _)| *r).collect();
        for r in rows {
            if wanted
                .iter()
                .all(|(c, w)| s.cells.get(&(r, *c)) == Some(&V::Text(w.to_string())))
            {
                return r + 1;
            }
        }
        panic!("no row {wanted:?} in {sheet}");
    }

    pub fn save(&self, path: &Path) {
        let mut wb = Workbook::new();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        for s in &self.sheets {
            let ws = wb.add_worksheet();
            ws.set_name(&s.name).expect("name");
            for (&(r, c), v) in &s.cells {
                match v {
                    V::Text(t) => ws.write_string(r, c, t).map(|_| ()),
                    V::Num(n) => ws.write_number(r, c, *n).map(|_| ()),
                    V::Bool(b) => ws.write_boolean(r, c, *b).map(|_| ()),
                    V::Date(y, m, d) => {
                        let dt =
                            rust_xlsxwriter::ExcelDateTime::from_ymd(*y, *m, *d).expect("date");
                        ws.write_datetime_with_format(r, c, &dt, &date).map(|_| ())
                    }
                    V::Formula(f, result) => ws
                        .write_formula(r, c, Formula::new(f).set_result(result))
                        .map(|_| ()),
                }
                .expect("write");
            }
            for &(r0, c0, r1, c1) in &s.merges {
                ws.merge_range(r0, c0, r1, c1, "", &Format::new())
                    .expect("merge");
                if let Some(V::Text(t)) = s.cells.get(&(r0, c0)) {
                    ws.write_string(r0, c0, t).expect("write");
                }
            }
            if s.hidden {
                ws.set_hidden(true);
            }
        }
        wb.save(path).expect("save");
    }
}
