//! `dangjian import`: filled workbooks → the records of one year. Each workbook is read
//! and checked as a workbook (ours? for this system? headers as made? merged cells, hidden
//! sheets, formulas, rows for unknown branches, a branch in two workbooks); then each
//! branch's record is written as YAML with the cell of every value, the project as it would
//! be is validated by the loader itself (an overlay, nothing written), and every diagnostic
//! on those records is pointed back at its cell. Only when nothing is wrong are the changed
//! records written, all or nothing.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::cells::a1;
use super::convert;
use super::layout::{self, Column, Kind, Layout, Rows, SheetLayout, Target};
use super::project::{self, YearFiles};
use super::record::{self, At, Mark, MeasureData, OrgData, RecordData, Val};
use super::workbook::{self, Book, Row, Sheet, Visibility};
use crate::diagnostics::{Diagnostic, Pos, Severity};
use crate::load::Overlay;

pub struct ImportOptions {
    pub root: PathBuf,
    pub files: Vec<PathBuf>,
    pub year: Option<i32>,
    pub dry_run: bool,
}

/// What an import did (or, with `--dry-run`, would do).
#[derive(Debug, Default)]
pub struct Summary {
    pub year: i32,
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub unchanged: usize,
    /// Branches of the year no workbook lists.
    pub left_alone: usize,
    pub orgs_added: Vec<String>,
    pub orgs_changed: Vec<String>,
    pub written: bool,
}

pub struct ImportOutcome {
    /// Every diagnostic, errors and warnings, in reading order.
    pub diagnostics: Vec<Diagnostic>,
    /// `None` when there was an error (then nothing was written).
    pub summary: Option<Summary>,
}

/// One workbook's metadata (the hidden `_meta` sheet).
#[derive(Debug, Default)]
struct Meta {
    year: Option<i32>,
    layout: String,
    system: String,
    scope: Vec<String>,
}

/// A workbook being imported.
struct Input {
    book: Option<Book>,
    meta: Meta,
    /// Layout column of each sheet column, by sheet name (only sheets whose headers are
    /// usable).
    columns: HashMap<&'static str, Vec<Option<usize>>>,
}

/// Messages of the workbooks themselves, collected with their place.
struct Say {
    names: Vec<String>,
    diags: Vec<(usize, Diagnostic, (usize, u32, u32))>,
}

fn sheet_order(name: &str) -> usize {
    [
        layout::GUIDE,
        layout::ORGS,
        layout::BRANCHES,
        layout::MEETINGS,
        layout::CHECKLISTS,
        layout::MEASURES,
        layout::DATA,
        layout::ASSESSMENT,
        layout::LISTS,
        layout::META,
    ]
    .iter()
    .position(|s| *s == name)
    .unwrap_or(99)
}

impl Say {
    fn at(&mut self, sev: Severity, at: &At, msg: impl Into<String>, hint: Option<String>) {
        let d = Diagnostic::error(&self.names[at.book], Pos::START, msg)
            .with_hint_opt(hint)
            .in_sheet(Some(at.sheet), Some(a1(at.row, at.col)));
        let d = Diagnostic { severity: sev, ..d };
        self.diags
            .push((at.book, d, (sheet_order(at.sheet), at.row, at.col)));
    }

    fn error(&mut self, at: &At, msg: impl Into<String>, hint: Option<String>) {
        self.at(Severity::Error, at, msg, hint);
    }

    fn sheet(
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

    fn book(&mut self, book: usize, sev: Severity, msg: impl Into<String>, hint: Option<String>) {
        let d = Diagnostic::error(&self.names[book], Pos::START, msg)
            .with_hint_opt(hint)
            .in_sheet(None, None);
        let d = Diagnostic { severity: sev, ..d };
        self.diags.push((book, d, (0, 0, 0)));
    }
}

fn our_sheet(name: &str) -> bool {
    sheet_order(name) < 99
}

fn read_meta(sheet: &Sheet) -> Option<Meta> {
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
fn map_headers(
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
fn check_sheet(say: &mut Say, book: usize, sheet: &Sheet, sl: &SheetLayout, map: &[Option<usize>]) {
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
            .find(|(c, v)| !v.is_empty() && map.get(*c as usize).is_none_or(Option::is_none))
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

/// A data row's cells by layout column.
struct DataRow<'a> {
    index: u32,
    cells: Vec<(usize, u32, &'a super::cells::Value)>,
}

impl DataRow<'_> {
    fn is_empty(&self, sl: &SheetLayout) -> bool {
        self.cells
            .iter()
            .all(|(i, _, v)| v.is_empty() || sl.columns[*i].kind == Kind::Reference)
    }
}

/// The data rows of a sheet, by layout column. A row whose first column lies inside a
/// merged range (below its first cell) is left out: the merge was reported, and the row's
/// missing id would only repeat it.
fn data_rows<'a>(sheet: &'a Sheet, map: &[Option<usize>]) -> Vec<DataRow<'a>> {
    let covered = |r: u32| {
        sheet
            .merged
            .iter()
            .any(|&(r0, c0, r1, _)| c0 == 0 && r > r0 && r <= r1)
    };
    sheet
        .rows
        .iter()
        .filter(|r| r.index >= layout::FIRST_DATA_ROW && !covered(r.index))
        .map(|r: &Row| DataRow {
            index: r.index,
            cells: r
                .cells
                .iter()
                .filter_map(|(c, v)| map.get(*c as usize).copied().flatten().map(|i| (i, *c, v)))
                .collect(),
        })
        .collect()
}

/// The values of one row by layout column: (value, its cell); cells no record can hold are
/// reported.
fn row_values(
    say: &mut Say,
    layout: &Layout,
    book: usize,
    sl: &SheetLayout,
    rows: &[DataRow],
) -> Vec<Vec<Option<Val>>> {
    // Converted in parallel (a district's meetings are hundreds of thousands of rows); the
    // cells no record can hold are reported in row order afterwards.
    type Converted = (Vec<Option<Val>>, Vec<(At, convert::CellError)>);
    let converted: Vec<Converted> = rows
        .par_iter()
        .map(|row| {
            let mut out = vec![None; sl.columns.len()];
            let mut errors = Vec::new();
            for &(i, col, v) in &row.cells {
                let at = At {
                    book,
                    sheet: sl.name,
                    row: row.index,
                    col,
                };
                match convert::value(layout, sl.columns[i].kind, v, &at) {
                    Ok(val) => out[i] = val,
                    Err(e) => errors.push((at, e)),
                }
            }
            (out, errors)
        })
        .collect();
    converted
        .into_iter()
        .map(|(out, errors)| {
            for (at, (msg, hint)) in errors {
                say.error(&at, msg, hint);
            }
            out
        })
        .collect()
}

/// The non-empty rows of a sheet keyed by a branch id in its first column: (row, values,
/// the id and its cell). A row without an id is reported and left out.
fn id_rows<'r>(
    say: &mut Say,
    layout: &Layout,
    book: usize,
    sl: &SheetLayout,
    rows: Vec<DataRow<'r>>,
) -> Vec<(Vec<Option<Val>>, String, At)> {
    let rows: Vec<DataRow> = rows.into_iter().filter(|r| !r.is_empty(sl)).collect();
    let values = row_values(say, layout, book, sl, &rows);
    let mut out = Vec::with_capacity(rows.len());
    for (row, v) in rows.iter().zip(values) {
        let first = At {
            book,
            sheet: sl.name,
            row: row.index,
            col: 0,
        };
        let Some(id_val) = &v[0] else {
            say.error(
                &first,
                "缺少支部编号",
                Some("每一行都要填写支部编号".into()),
            );
            continue;
        };
        let (id, at) = (id_val.text.clone(), id_val.at.clone().unwrap_or(first));
        out.push((v, id, at));
    }
    out
}

/// A branch as the workbooks give it.
struct BranchIn {
    /// The 支部 row's id cell (where record-wide messages point).
    at: At,
    org: Vec<String>,
    rec: RecordData,
}

/// An organisation row.
struct OrgIn {
    at: At,
    data: OrgData,
}

fn col_of(sl: &SheetLayout, target: &Target) -> Option<usize> {
    sl.columns.iter().position(|c| c.target == *target)
}

/// Sorts pairs keyed by an indicator id into the system's order.
fn by_indicator(v: &mut [(Val, Val)], order: &[&str]) {
    v.sort_by_key(|(k, _)| {
        order
            .iter()
            .position(|o| *o == k.text)
            .unwrap_or(usize::MAX)
    });
}

struct Gathered {
    branches: BTreeMap<String, BranchIn>,
    orgs: BTreeMap<Vec<String>, OrgIn>,
}

/// Reads every usable sheet of every workbook into branches and organisation rows.
fn gather(
    say: &mut Say,
    inputs: &[Input],
    layout: &Layout,
    files: &YearFiles,
    sys: &crate::model::IndicatorSystem,
) -> Gathered {
    let mut g = Gathered {
        branches: BTreeMap::new(),
        orgs: BTreeMap::new(),
    };
    let indicator_order: Vec<&str> = sys.indicators().map(|(_, i)| i.id.as_str()).collect();
    for (b, input) in inputs.iter().enumerate() {
        let Some(book) = &input.book else { continue };
        let scope = &input.meta.scope;
        let rows_of = |name: &str| -> Option<(&SheetLayout, Vec<DataRow>)> {
            let sl = layout.sheet(name)?;
            let map = input.columns.get(sl.name)?;
            Some((sl, data_rows(book.sheet(name)?, map)))
        };
        // 组织
        if let Some((sl, rows)) = rows_of(layout::ORGS) {
            let rows: Vec<DataRow> = rows.into_iter().filter(|r| !r.is_empty(sl)).collect();
            let values = row_values(say, layout, b, sl, &rows);
            for (row, v) in rows.iter().zip(values) {
                let at = At {
                    book: b,
                    sheet: sl.name,
                    row: row.index,
                    col: row.cells.first().map_or(0, |c| c.1),
                };
                let Some(path_val) = &v[0] else {
                    say.error(
                        &at,
                        "缺少组织路径",
                        Some(
                            "区（县）委本身不在此表中；其下各级组织写成 xinhe 或 xinhe.qiaodong"
                                .into(),
                        ),
                    );
                    continue;
                };
                let at = path_val.at.clone().unwrap_or(at);
                let Some(path) = super::parse_org_path(&path_val.text).filter(|p| !p.is_empty())
                else {
                    say.error(
                        &at,
                        format!("“{}”不是组织路径", path_val.text),
                        Some(
                            "各级组织编号（字母、数字、_ 或 -）用 . 连接，如 xinhe.qiaodong".into(),
                        ),
                    );
                    continue;
                };
                if !path.starts_with(scope) {
                    say.error(
                        &at,
                        format!(
                            "组织 {} 不在本工作簿的范围 {} 内",
                            path.join("."),
                            scope.join(".")
                        ),
                        None,
                    );
                    continue;
                }
                let data = OrgData {
                    name: v[1].clone(),
                    kind: v[2].clone(),
                    extra: Vec::new(),
                };
                if let Some(first) = g.orgs.get(&path) {
                    // The district's workbook and a street's both list the street: fine
                    // when they agree.
                    let same = record::emit_org(&first.data).0 == record::emit_org(&data).0;
                    if !same || first.at.book == b {
                        let where_ = format!(
                            "{}:{}!{}",
                            say.names[first.at.book],
                            first.at.sheet,
                            a1(first.at.row, first.at.col)
                        );
                        let msg = if same {
                            format!("组织 {} 重复", path.join("."))
                        } else {
                            format!("组织 {} 重复，且名称或级别不一致", path.join("."))
                        };
                        say.error(&at, msg, Some(format!("已在 {where_} 填写")));
                    }
                    continue;
                }
                g.orgs.insert(path, OrgIn { at, data });
            }
        }
        // 支部
        // Ids this workbook's 支部 sheet lists (true when the row was usable): rows of the
        // other sheets for a refused row are skipped without a message of their own.
        let mut here: BTreeMap<String, bool> = BTreeMap::new();
        if let Some((sl, rows)) = rows_of(layout::BRANCHES) {
            for (v, id, at) in id_rows(say, layout, b, sl, rows) {
                here.insert(id.clone(), false);
                if super::parse_org_path(&id).is_none_or(|p| p.len() != 1) {
                    say.error(
                        &at,
                        format!("“{id}”不是合法的支部编号"),
                        Some("只能用字母（含汉字）、数字、_ 和 -，不能以 _ 开头".into()),
                    );
                    continue;
                }
                if let Some(first) = g.branches.get(&id) {
                    let where_ = format!(
                        "{}:{}!{}",
                        say.names[first.at.book],
                        first.at.sheet,
                        a1(first.at.row, first.at.col)
                    );
                    let msg = if first.at.book == b {
                        format!("支部编号 {id} 重复")
                    } else {
                        format!("支部编号 {id} 同时出现在两个工作簿中")
                    };
                    say.error(
                        &at,
                        msg,
                        Some(format!(
                            "已在 {where_} 填写；每个支部只能在一个工作簿中填一行"
                        )),
                    );
                    continue;
                }
                let org_col = col_of(sl, &Target::OrgPath).unwrap_or(2);
                // The organisation's cell (the id's when it is blank).
                let org_at = v[org_col]
                    .as_ref()
                    .and_then(|o| o.at.clone())
                    .unwrap_or_else(|| at.clone());
                let org_text = v[org_col]
                    .as_ref()
                    .map(|o| o.text.clone())
                    .unwrap_or_default();
                let Some(org) = super::parse_org_path(&org_text) else {
                    say.error(
                        &org_at,
                        format!("“{org_text}”不是组织路径"),
                        Some("各级组织编号用 . 连接，如 xinhe.qiaodong".into()),
                    );
                    continue;
                };
                if !org.starts_with(scope) {
                    say.error(
                        &org_at,
                        format!(
                            "支部 {id} 的组织 {} 不在本工作簿的范围 {} 内",
                            org.join("."),
                            scope.join(".")
                        ),
                        Some("每个街道、社区只填写自己的支部".into()),
                    );
                    continue;
                }
                if let Some((old_org, file)) = files.branches.get(&id)
                    && *old_org != org
                {
                    say.error(
                        &org_at,
                        format!("支部 {id} 的组织路径与现有记录 {file} 不同"),
                        Some("导入不会移动支部；要调整隶属关系，请先在 content/ 中移动文件".into()),
                    );
                    continue;
                }
                let get = |t: Target| col_of(sl, &t).and_then(|i| v[i].clone());
                let rec = RecordData {
                    name: get(Target::Name),
                    category: get(Target::Category),
                    members: get(Target::Members),
                    secretary: get(Target::Secretary),
                    ..RecordData::default()
                };
                here.insert(id.clone(), true);
                g.branches.insert(id, BranchIn { at, org, rec });
            }
        }
        // The other sheets: rows of branches this workbook lists.
        let mut seen_once: HashMap<(&str, String), u32> = HashMap::new();
        for sheet_name in [
            layout::MEETINGS,
            layout::CHECKLISTS,
            layout::MEASURES,
            layout::DATA,
            layout::ASSESSMENT,
        ] {
            let Some((sl, rows)) = rows_of(sheet_name) else {
                continue;
            };
            for (v, id, at) in id_rows(say, layout, b, sl, rows) {
                match here.get(&id) {
                    Some(true) => {}
                    Some(false) => continue,
                    None => {
                        let hint = crate::suggest::hint(&id, here.keys().map(String::as_str));
                        say.error(
                            &at,
                            format!("支部 {} 不在本工作簿的支部表中", id),
                            hint.or_else(|| Some("先在支部表中添加这个支部".into())),
                        );
                        continue;
                    }
                }
                let Some(branch) = g.branches.get_mut(&id) else {
                    continue;
                };
                if sl.rows == Rows::PerBranch {
                    if let Some(r) = seen_once.get(&(sl.name, id.clone())) {
                        say.error(
                            &at,
                            format!("支部 {} 在本表中有两行", id),
                            Some(format!("已在第 {} 行填写；每个支部一行", r + 1)),
                        );
                        continue;
                    }
                    seen_once.insert((sl.name, id.clone()), at.row);
                }
                fill(&mut branch.rec, sl, &v, &at);
            }
        }
    }
    for branch in g.branches.values_mut() {
        by_indicator(&mut branch.rec.ratings, &indicator_order);
        by_indicator(&mut branch.rec.self_scores, &indicator_order);
    }
    g
}

/// Adds one row of a data sheet to a branch's record.
fn fill(rec: &mut RecordData, sl: &SheetLayout, v: &[Option<Val>], at: &At) {
    let cols: &[Column] = &sl.columns;
    match sl.name {
        layout::MEETINGS => {
            let mut m = Vec::new();
            for (key, t) in [
                ("date", Target::MeetingDate),
                ("kind", Target::MeetingKind),
                ("topic", Target::Topic),
                ("expected", Target::Expected),
                ("present", Target::Present),
            ] {
                if let Some(val) = col_of(sl, &t).and_then(|i| v[i].clone()) {
                    m.push((key, val));
                }
            }
            rec.meetings.push(m);
        }
        layout::ASSESSMENT => {
            let id = col_of(sl, &Target::IndicatorId).and_then(|i| v[i].clone());
            let rating = col_of(sl, &Target::Rating).and_then(|i| v[i].clone());
            let score = col_of(sl, &Target::SelfScore).and_then(|i| v[i].clone());
            let Some(id) = id else {
                if rating.is_some() || score.is_some() {
                    // Emitted under an empty key: the loader names the missing indicator.
                    let at = rating
                        .as_ref()
                        .or(score.as_ref())
                        .and_then(|x| x.at.clone())
                        .unwrap_or(at.clone());
                    let key = Val::text("", Some(at));
                    if let Some(r) = rating {
                        rec.ratings.push((key.clone(), r));
                    }
                    if let Some(s) = score {
                        rec.self_scores.push((key, s));
                    }
                }
                return;
            };
            if let Some(r) = rating {
                rec.ratings.push((
                    Val {
                        at: r.at.clone(),
                        ..id.clone()
                    },
                    r,
                ));
            }
            if let Some(s) = score {
                rec.self_scores.push((
                    Val {
                        at: s.at.clone(),
                        ..id.clone()
                    },
                    s,
                ));
            }
        }
        _ => {
            // A checklist is given when any of its items is marked (✗ included): all blank
            // is a checklist not reported, which the contract scores as missing.
            let mut lists: Vec<(&String, Vec<Val>)> = Vec::new();
            for (i, c) in cols.iter().enumerate() {
                let Target::Item { checklist, item } = &c.target else {
                    continue;
                };
                let Some(val) = &v[i] else { continue };
                let p = match lists.iter().position(|(id, _)| *id == checklist) {
                    Some(p) => p,
                    None => {
                        lists.push((checklist, Vec::new()));
                        lists.len() - 1
                    }
                };
                if val.text == "done" {
                    lists[p].1.push(Val::plain(item.clone(), val.at.clone()));
                }
            }
            rec.checklists
                .extend(lists.into_iter().map(|(id, items)| (id.clone(), items)));
            for (i, c) in cols.iter().enumerate() {
                let Some(val) = &v[i] else { continue };
                match &c.target {
                    Target::Measure { section, id, part } => {
                        let m = match rec
                            .measures
                            .iter()
                            .position(|m| m.id == *id && m.section == *section)
                        {
                            Some(p) => p,
                            None => {
                                rec.measures.push(MeasureData {
                                    section,
                                    id: id.clone(),
                                    parts: Vec::new(),
                                });
                                rec.measures.len() - 1
                            }
                        };
                        rec.measures[m].parts.push((part.clone(), val.clone()));
                    }
                    Target::Fact(id) => rec.facts.push((id.clone(), val.clone())),
                    Target::Incident(id) => rec.incidents.push((id.clone(), val.clone())),
                    Target::Honor(id) => rec.honors.push((id.clone(), val.clone())),
                    _ => {}
                }
            }
        }
    }
}

/// A file the import would write, with what maps its text back to cells.
struct Planned {
    rel: String,
    text: String,
    marks: Vec<Mark>,
    /// Where record-wide messages (line 1, column 1) point.
    origin: At,
    /// Whether the text differs from the file on disk (or there is none).
    new: bool,
    changed: bool,
    label: String,
    is_org: bool,
}

/// Reads and checks every workbook, then validates the records they would write.
pub fn import(opts: &ImportOptions) -> ImportOutcome {
    let names: Vec<String> = opts.files.iter().map(|p| p.display().to_string()).collect();
    let mut say = Say {
        names,
        diags: Vec::new(),
    };
    let mut inputs: Vec<Input> = Vec::new();
    for (b, path) in opts.files.iter().enumerate() {
        let t = crate::timings::phase("read workbook");
        let book = match workbook::read(path, &|n| our_sheet(n)) {
            Ok(book) => Some(book),
            Err(e) => {
                say.book(b, Severity::Error, e, None);
                None
            }
        };
        drop(t);
        let mut meta = Meta::default();
        if let Some(book) = &book {
            for s in &book.sheets {
                if s.visibility == Visibility::Hidden
                    && s.name != layout::LISTS
                    && s.name != layout::META
                {
                    say.sheet(
                        b,
                        Severity::Error,
                        &s.name,
                        format!(
                            "隐藏的工作表“{}”不是模板的一部分，其中的内容不会导入",
                            s.name
                        ),
                        Some("取消隐藏后把数据移到对应的表，或删除这张表".into()),
                    );
                } else if !our_sheet(&s.name) {
                    say.sheet(
                        b,
                        Severity::Warning,
                        &s.name,
                        format!("工作表“{}”不是模板的一部分，已忽略", s.name),
                        None,
                    );
                }
            }
            match book.sheet(layout::META).and_then(read_meta) {
                Some(m) => meta = m,
                None => say.book(
                    b,
                    Severity::Error,
                    "不是由 dangjian template 生成的台账模板（缺少隐藏的 _meta 表）",
                    Some("用 dangjian template 生成模板，把数据复制进去后再导入".into()),
                ),
            }
        }
        inputs.push(Input {
            book,
            meta,
            columns: HashMap::new(),
        });
    }
    // The year: --year, else the workbooks' (all the same).
    let years: Vec<i32> = inputs.iter().filter_map(|i| i.meta.year).collect();
    let year = opts.year.or_else(|| years.first().copied());
    let Some(year) = year else {
        return finish(say, Vec::new(), None);
    };
    for (b, input) in inputs.iter().enumerate() {
        if let Some(y) = input.meta.year
            && y != year
        {
            say.book(
                b,
                Severity::Error,
                format!("这是 {y} 年度的模板，本次导入的是 {year} 年度"),
                Some("每次只导入同一年度的工作簿；用对应年度的模板填写".into()),
            );
        }
    }
    let mut project_diags = Vec::new();
    let Some((sys, sys_fingerprint)) = project::year_system(&opts.root, year, &mut project_diags)
    else {
        return finish(say, project_diags, None);
    };
    let layout = layout::layout(&sys, year);
    let fingerprint = layout.fingerprint();
    for (b, input) in inputs.iter_mut().enumerate() {
        let Some(book) = &input.book else { continue };
        if input.meta.year.is_none() {
            continue;
        }
        if input.meta.layout != fingerprint {
            say.book(
                b,
                Severity::Error,
                format!("模板已过期：{year} 年度的指标体系改过，表格的列已与它不一致"),
                Some("用 dangjian template 重新生成模板，把已填的内容复制过去".into()),
            );
            continue;
        }
        if input.meta.system != sys_fingerprint {
            say.book(
                b,
                Severity::Warning,
                "生成模板后指标体系文件有改动（表格的列未变）",
                Some("导入照常进行，按现在的指标体系校验".into()),
            );
        }
        for sl in &layout.sheets {
            let Some(sheet) = book.sheet(sl.name) else {
                say.book(
                    b,
                    Severity::Error,
                    format!("缺少工作表“{}”", sl.name),
                    Some("不要删除或改名模板中的工作表".into()),
                );
                continue;
            };
            if let Some(map) = map_headers(&mut say, b, sheet, sl) {
                check_sheet(&mut say, b, sheet, sl, &map);
                input.columns.insert(sl.name, map);
            }
        }
    }
    let files = project::year_files(&opts.root, year);
    let t = crate::timings::phase("workbook rows");
    let g = gather(&mut say, &inputs, &layout, &files, &sys);
    drop(t);
    let t = crate::timings::phase("records as YAML");
    let plans = plan(&opts.root, year, &g, &files, &sys);
    drop(t);

    let mut overlay = Overlay::default();
    for p in &plans {
        overlay.insert(p.rel.clone(), p.text.clone());
    }
    let (_, found) = crate::pipeline::validate_with(&opts.root, false, &overlay);
    let by_rel: HashMap<&str, &Planned> = plans.iter().map(|p| (p.rel.as_str(), p)).collect();
    for d in found {
        match by_rel.get(d.path.as_str()) {
            Some(p) => {
                let at = if d.pos == Pos::START {
                    p.origin.clone()
                } else {
                    record::place(&p.marks, d.pos.line, d.pos.col)
                        .cloned()
                        .unwrap_or(p.origin.clone())
                };
                let hint = choices_hint(&layout, &d).or(d.hint.clone());
                say.at(d.severity, &at, d.message.clone(), hint);
            }
            // Other files' errors still stop the import; their warnings are `check`'s.
            None if d.is_error() => project_diags.push(d),
            None => {}
        }
    }
    let mut summary = Summary {
        year,
        ..Summary::default()
    };
    for p in &plans {
        match (p.is_org, p.new, p.changed) {
            (false, true, _) => summary.added.push(p.label.clone()),
            (false, false, true) => summary.changed.push(p.label.clone()),
            (false, false, false) => summary.unchanged += 1,
            (true, true, _) => summary.orgs_added.push(p.label.clone()),
            (true, false, true) => summary.orgs_changed.push(p.label.clone()),
            (true, false, false) => {}
        }
    }
    // Branches in a workbook's scope that no workbook lists: left as they are, but said.
    let scopes: Vec<(usize, &Vec<String>)> = inputs
        .iter()
        .enumerate()
        .filter(|(_, i)| i.meta.year.is_some())
        .map(|(b, i)| (b, &i.meta.scope))
        .collect();
    for (id, (org, file)) in &files.branches {
        if g.branches.contains_key(id) {
            continue;
        }
        summary.left_alone += 1;
        if let Some((b, _)) = scopes.iter().find(|(_, s)| org.starts_with(s)) {
            say.sheet(
                *b,
                Severity::Warning,
                layout::BRANCHES,
                format!("支部 {id}（{file}）没有出现在工作簿中，其记录未作改动"),
                None,
            );
        }
    }
    let has_error = say.diags.iter().any(|(_, d, _)| d.is_error())
        || project_diags.iter().any(Diagnostic::is_error);
    if has_error {
        return finish(say, project_diags, None);
    }
    if !opts.dry_run {
        let writes: Vec<(String, String)> = plans
            .iter()
            .filter(|p| p.new || p.changed)
            .map(|p| (p.rel.clone(), p.text.clone()))
            .collect();
        if let Err(d) = super::commit::write_all(&opts.root, &writes) {
            project_diags.push(d);
            return finish(say, project_diags, None);
        }
        summary.written = true;
    }
    finish(say, project_diags, Some(summary))
}

/// For a value a dropdown should have given, the dropdown's labels instead of the ids the
/// loader suggests.
fn choices_hint(layout: &Layout, d: &Diagnostic) -> Option<String> {
    let list = if d.message.starts_with("未定义的类别") {
        &layout.categories
    } else if d.message.starts_with("未定义的会议类型") {
        &layout.meeting_kinds
    } else if d.message.contains("没有评定等级") {
        &layout.levels
    } else {
        return None;
    };
    let labels: Vec<&str> = list.iter().map(|c| c.label.as_str()).collect();
    Some(format!("从下拉列表中选择：{}", labels.join("、")))
}

fn finish(say: Say, mut project: Vec<Diagnostic>, summary: Option<Summary>) -> ImportOutcome {
    let mut diags = say.diags;
    diags.sort_by(|a, b| (a.0, &a.2, a.1.severity).cmp(&(b.0, &b.2, b.1.severity)));
    crate::diagnostics::sort(&mut project);
    let mut all: Vec<Diagnostic> = diags.into_iter().map(|(_, d, _)| d).collect();
    all.extend(project);
    let failed = all.iter().any(Diagnostic::is_error);
    ImportOutcome {
        diagnostics: all,
        summary: if failed { None } else { summary },
    }
}

/// The files the workbooks would write: every branch they list (new text, and whether it
/// differs from the file on disk), the organisation nodes they add or rename, and a new
/// year's district.
fn plan(
    root: &Path,
    year: i32,
    g: &Gathered,
    files: &YearFiles,
    sys: &crate::model::IndicatorSystem,
) -> Vec<Planned> {
    // Reading each record on disk and writing each anew is most of an import's own work:
    // in parallel, in id order.
    let branches: Vec<(&String, &BranchIn)> = g.branches.iter().collect();
    let mut out: Vec<Planned> = branches
        .par_iter()
        .map(|&(id, b)| {
            let (rel, old) = match files.branches.get(id) {
                Some((_, rel)) => (rel.clone(), project::read_record(root, rel, sys)),
                None => {
                    let dir = if b.org.is_empty() {
                        String::new()
                    } else {
                        format!("{}/", b.org.join("/"))
                    };
                    (format!("content/{year}/{dir}{id}.yaml"), None)
                }
            };
            let mut rec = b.rec.clone();
            if let Some(old) = &old {
                rec.extra = old.extra.clone();
            }
            let (text, marks) = record::emit(&rec);
            let changed = old.as_ref().is_none_or(|o| record::emit(o).0 != text);
            Planned {
                rel,
                text,
                marks,
                origin: b.at.clone(),
                new: old.is_none(),
                changed,
                label: id.clone(),
                is_org: false,
            }
        })
        .collect();
    for (path, o) in &g.orgs {
        let existing = files.orgs.get(path);
        let old = existing.and_then(|rel| project::read_org(root, rel));
        let mut data = o.data.clone();
        if let Some(old) = &old {
            data.extra = old.extra.clone();
        }
        let (text, marks) = record::emit_org(&data);
        let changed = old.as_ref().is_none_or(|x| record::emit_org(x).0 != text);
        let rel = existing
            .cloned()
            .unwrap_or_else(|| format!("content/{year}/{}/_org.yaml", path.join("/")));
        out.push(Planned {
            rel,
            text,
            marks,
            origin: o.at.clone(),
            new: existing.is_none(),
            changed,
            label: path.join("."),
            is_org: true,
        });
    }
    // A new year's district: the nearest earlier year's name and kind.
    if !files.orgs.contains_key(&Vec::new()) && !g.branches.is_empty() {
        let earlier = (1..=50).map(|k| year - k).find_map(|y| {
            let rel = format!("content/{y}/_org.yaml");
            root.join(&rel).is_file().then_some(rel)
        });
        if let Some(rel) = earlier
            && let Some(old) = project::read_org(root, &rel)
        {
            let data = project::org_identity(&old);
            let (text, marks) = record::emit_org(&data);
            let origin = g
                .branches
                .values()
                .next()
                .map(|b| b.at.clone())
                .unwrap_or(At {
                    book: 0,
                    sheet: layout::BRANCHES,
                    row: 0,
                    col: 0,
                });
            out.push(Planned {
                rel: format!("content/{year}/_org.yaml"),
                text,
                marks,
                origin,
                new: true,
                changed: true,
                label: "（区县）".into(),
                is_org: true,
            });
        }
    }
    out
}
