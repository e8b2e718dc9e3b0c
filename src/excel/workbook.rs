//! Reading a workbook someone filled in (.xlsx, .xls or .ods, saved by Excel, WPS or
//! LibreOffice) into rows of cell values, refusing hostile files early: a file or a zip
//! entry too big, a zip bomb (an entry that inflates far beyond its packed size), a sheet
//! declaring more rows than any district fills, more cells than a workbook may hold. An
//! .xlsx sheet is streamed cell by cell (never a whole bounding box in memory), with each
//! cell's formula, if any, in the same pass.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use calamine::{Data, DataRef, Ods, Reader, SheetVisible, Xls, Xlsx};
use rayon::prelude::*;

use super::cells::Value;
use super::merges;
use super::xlsx_scan;

type Zip = zip::ZipArchive<BufReader<File>>;

/// Largest workbook file read: a district of 10,000 branches fills about 20 MB.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// Most bytes the zip entries of one workbook may inflate to, together.
pub const MAX_UNPACKED_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// An entry inflating more than this many times its packed size is a zip bomb (spreadsheet
/// XML packs 5 to 30 times; a zip bomb, thousands of times).
pub const MAX_RATIO: u64 = 200;
/// Most data rows a sheet may hold; a bigger district is split with `template --org`.
pub const MAX_ROWS: u32 = 600_000;
/// Most non-empty cells one workbook may hold.
pub const MAX_CELLS: usize = 20_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    Visible,
    Hidden,
}

#[derive(Debug, Default, PartialEq)]
pub struct Row {
    /// 0-based row number.
    pub index: u32,
    /// (0-based column, value), by column; empty cells left out.
    pub cells: Vec<(u32, Value)>,
}

impl Row {
    pub fn get(&self, col: u32) -> Option<&Value> {
        self.cells
            .binary_search_by_key(&col, |(c, _)| *c)
            .ok()
            .map(|i| &self.cells[i].1)
    }
}

#[derive(Debug, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub visibility: Visibility,
    /// Rows with at least one value, in order.
    pub rows: Vec<Row>,
    /// Cells holding a formula (their cached value is in `rows`).
    pub formulas: Vec<(u32, u32)>,
    /// Merged ranges: (first row, first column, last row, last column).
    pub merged: Vec<(u32, u32, u32, u32)>,
}

impl Sheet {
    fn new(name: &str, visibility: Visibility) -> Sheet {
        Sheet {
            name: name.to_string(),
            visibility,
            rows: Vec::new(),
            formulas: Vec::new(),
            merged: Vec::new(),
        }
    }
}

#[derive(Debug, PartialEq)]
pub struct Book {
    pub sheets: Vec<Sheet>,
}

impl Book {
    pub fn sheet(&self, name: &str) -> Option<&Sheet> {
        self.sheets.iter().find(|s| s.name == name)
    }

    pub fn sheet_mut(&mut self, name: &str) -> Option<&mut Sheet> {
        self.sheets.iter_mut().find(|s| s.name == name)
    }
}

/// Why a workbook cannot be read at all (the message names no cell).
pub type ReadError = String;

/// Reads the sheets `wanted` says to read (every other sheet is listed, not read).
pub fn read(path: &Path, wanted: &(dyn Fn(&str) -> bool + Sync)) -> Result<Book, ReadError> {
    read_leaving(path, wanted, &|_, _| false)
}

/// Which columns' values are never used, by sheet and header: left out of the rows read
/// (the header row itself is kept).
pub type Unread = dyn Fn(&str, &str) -> bool + Sync;

/// [`read`], leaving out the cells of the columns `unread` names by their header: the
/// import never reads the columns shown for reference (a branch's name beside its id on
/// every sheet, an indicator's label, points and basis on 考评), which are nearly half the
/// cells of a district's workbook.
pub fn read_leaving(
    path: &Path,
    wanted: &(dyn Fn(&str) -> bool + Sync),
    unread: &Unread,
) -> Result<Book, ReadError> {
    let (mut book, left_out) = read_any(path, wanted, unread)?;
    if !left_out {
        book.sheets
            .par_iter_mut()
            .for_each(|sheet| leave_out(sheet, unread));
    }
    Ok(book)
}

/// The columns of a sheet whose values are left out, from its header row as it is read.
struct Columns<'a> {
    sheet: &'a str,
    unread: &'a Unread,
    out: Vec<bool>,
}

impl Columns<'_> {
    fn keep(&mut self, row: u32, col: u32, v: &Value) -> bool {
        if row == 0 {
            if (self.unread)(self.sheet, &v.display()) {
                let c = col as usize;
                if self.out.len() <= c {
                    self.out.resize(c + 1, false);
                }
                self.out[c] = true;
            }
            return true;
        }
        !self.out.get(col as usize).copied().unwrap_or(false)
    }
}

/// Leaves out a sheet's unread columns (for the readers that do not while reading, and
/// for a sheet whose header came after the cells below it).
fn leave_out(sheet: &mut Sheet, unread: &Unread) {
    let mut cols = Columns {
        sheet: &sheet.name,
        unread,
        out: Vec::new(),
    };
    for r in &sheet.rows {
        for (c, v) in &r.cells {
            cols.keep(r.index, *c, v);
        }
        if r.index > 0 {
            break;
        }
    }
    if !cols.out.contains(&true) {
        return;
    }
    let out = cols.out;
    for r in sheet.rows.iter_mut().filter(|r| r.index > 0) {
        r.cells
            .retain(|(c, _)| !out.get(*c as usize).copied().unwrap_or(false));
    }
    sheet.rows.retain(|r| !r.cells.is_empty());
}

/// The workbook, and whether its unread columns were left out already (by the scanner).
fn read_any(
    path: &Path,
    wanted: &(dyn Fn(&str) -> bool + Sync),
    unread: &Unread,
) -> Result<(Book, bool), ReadError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let meta = std::fs::metadata(path).map_err(|e| format!("无法读取：{e}"))?;
    if !meta.is_file() {
        return Err("不是文件".into());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "文件过大（{} MB，上限 {} MB）",
            meta.len() / 1_048_576,
            MAX_FILE_BYTES / 1_048_576
        ));
    }
    let file = File::open(path).map_err(|e| format!("无法读取：{e}"))?;
    match ext.as_str() {
        "xlsx" | "xlsm" => {
            check_zip(&mut BufReader::new(file))?;
            read_xlsx(path, wanted, unread)
        }
        "ods" => {
            let mut file = BufReader::new(file);
            check_zip(&mut file)?;
            let merges = super::ods::scan(&mut file)?;
            file.rewind().map_err(|e| format!("无法读取：{e}"))?;
            let mut wb: Ods<_> = Ods::new(file).map_err(|e| not_readable(&e))?;
            read_ranges(&mut wb, wanted, |_, name| {
                merges.get(name).cloned().unwrap_or_default()
            })
            .map(|book| (book, false))
        }
        "xls" => {
            let mut wb: Xls<_> = Xls::new(BufReader::new(file)).map_err(|e| not_readable(&e))?;
            read_ranges(&mut wb, wanted, |wb, name| {
                wb.merge_cells_by_sheet_name(name)
                    .unwrap_or_default()
                    .iter()
                    .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
                    .collect()
            })
            .map(|book| (book, false))
        }
        _ => Err("不是 .xlsx、.xls 或 .ods 工作簿".into()),
    }
}

fn not_readable(e: &dyn std::fmt::Display) -> ReadError {
    format!("无法作为工作簿读取（{e}）；请用 Excel、WPS 或 LibreOffice 另存为 .xlsx 后再导入")
}

/// Looks at the zip's directory before anything is inflated: sizes and packing ratios.
fn check_zip<R: Read + Seek>(file: &mut R) -> Result<(), ReadError> {
    let mut zip = zip::ZipArchive::new(&mut *file).map_err(|e| not_readable(&e))?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| not_readable(&e))?;
        let (size, packed) = (entry.size(), entry.compressed_size());
        total = total.saturating_add(size);
        if size > 32 * 1024 * 1024 && size / packed.max(1) > MAX_RATIO {
            return Err(format!(
                "疑似压缩炸弹：其中 {} 由 {} 字节解压为 {} 字节；已拒绝",
                entry.name().unwrap_or_default(),
                packed,
                size
            ));
        }
    }
    if total > MAX_UNPACKED_BYTES {
        return Err(format!(
            "解压后过大（{} MB，上限 {} MB）；疑似压缩炸弹，已拒绝",
            total / 1_048_576,
            MAX_UNPACKED_BYTES / 1_048_576
        ));
    }
    drop(zip);
    file.rewind().map_err(|e| format!("无法读取：{e}"))?;
    Ok(())
}

fn visibility(v: SheetVisible) -> Visibility {
    match v {
        SheetVisible::Visible => Visibility::Visible,
        _ => Visibility::Hidden,
    }
}

fn too_many_rows(sheet: &str) -> ReadError {
    format!(
        "工作表“{sheet}”超过 {MAX_ROWS} 行；请用 dangjian template --org 按组织分开生成、分别填写"
    )
}

fn too_many_cells() -> ReadError {
    format!("工作簿的非空单元格超过 {MAX_CELLS} 个，已拒绝")
}

fn value_ref(v: &DataRef) -> Value {
    match v {
        DataRef::Empty => Value::Empty,
        DataRef::String(s) => Value::Text(s.as_str().into()),
        DataRef::SharedString(s) => Value::Text((*s).into()),
        DataRef::Int(i) => Value::Number(*i as f64),
        DataRef::Float(f) => Value::Number(*f),
        DataRef::Bool(b) => Value::Bool(*b),
        DataRef::DateTime(d) => date(d),
        DataRef::DateTimeIso(s) => iso_date(s),
        DataRef::DurationIso(s) => Value::Text(s.as_str().into()),
        DataRef::Error(e) => Value::Error(e.to_string()),
    }
}

fn value(v: &Data) -> Value {
    match v {
        Data::Empty => Value::Empty,
        Data::String(s) => Value::Text(s.as_str().into()),
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(d) => date(d),
        Data::DateTimeIso(s) => iso_date(s),
        Data::DurationIso(s) => Value::Text(s.as_str().into()),
        Data::Error(e) => Value::Error(e.to_string()),
    }
}

pub(super) fn date(d: &calamine::ExcelDateTime) -> Value {
    if d.is_duration() {
        return Value::Number(d.as_f64());
    }
    let (y, m, day, h, min, s, ms) = d.to_ymd_hms_milli();
    Value::Date(
        i32::from(y),
        u32::from(m),
        u32::from(day),
        (h, min, s, ms) != (0, 0, 0, 0),
    )
}

/// An ODS date (`2026-01-08` or `2026-01-08T09:30:00`).
pub(super) fn iso_date(s: &str) -> Value {
    let (day, time) = s.split_once('T').unwrap_or((s, ""));
    match crate::model::Date::parse(day).map(crate::model::Date::tuple) {
        Some((y, m, d)) => Value::Date(
            y,
            m,
            d,
            !time.trim_start_matches(['0', ':', '.']).is_empty(),
        ),
        None => Value::Text(s.into()),
    }
}

fn open_xlsx(path: &Path) -> Result<Xlsx<BufReader<File>>, ReadError> {
    let file = File::open(path).map_err(|e| format!("无法读取：{e}"))?;
    Xlsx::new(BufReader::new(file)).map_err(|e| not_readable(&e))
}

fn open_zip(path: &Path) -> Result<Zip, ReadError> {
    let file = File::open(path).map_err(|e| format!("无法读取：{e}"))?;
    zip::ZipArchive::new(BufReader::new(file)).map_err(|e| not_readable(&e))
}

/// The sheets of an .xlsx, read in parallel (a district's 会议 and 考评 sheets are a hundred
/// megabytes of XML each): calamine lists them, [`xlsx_scan`] reads them, and calamine
/// reads the whole workbook instead when the scanner meets something it does not read.
/// True with the book when the scanner read it (unread columns left out).
fn read_xlsx(
    path: &Path,
    wanted: &(dyn Fn(&str) -> bool + Sync),
    unread: &Unread,
) -> Result<(Book, bool), ReadError> {
    let wb = open_xlsx(path)?;
    let metas: Vec<(String, Visibility)> = wb
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), visibility(s.visible)))
        .collect();
    let is_1904 = wb.has_1904_epoch();
    drop(wb);
    match scan_xlsx(path, &metas, is_1904, wanted, unread) {
        Ok(book) => Ok((book, true)),
        Err(xlsx_scan::Scan::Refused(e)) => Err(e),
        Err(xlsx_scan::Scan::Fallback) => {
            read_xlsx_calamine(path, metas, wanted).map(|book| (book, false))
        }
    }
}

/// The strings and number formats every sheet refers to, read once.
fn scan_shared(zip: &mut Zip, is_1904: bool) -> Result<xlsx_scan::Shared, xlsx_scan::Scan> {
    use xlsx_scan::Scan::Fallback;
    let strings = match zip.by_name("xl/sharedStrings.xml") {
        Ok(entry) => xlsx_scan::read_strings(BufReader::new(entry))?
            .into_iter()
            .map(std::sync::Arc::from)
            .collect(),
        Err(zip::result::ZipError::FileNotFound) => Vec::new(),
        Err(_) => return Err(Fallback),
    };
    // Without its styles a date would read as a number: calamine finds them.
    let formats = match zip.by_name("xl/styles.xml") {
        Ok(entry) => xlsx_scan::read_formats(BufReader::new(entry))?,
        Err(_) => return Err(Fallback),
    };
    Ok(xlsx_scan::Shared {
        strings,
        formats,
        is_1904,
    })
}

fn scan_xlsx(
    path: &Path,
    metas: &[(String, Visibility)],
    is_1904: bool,
    wanted: &(dyn Fn(&str) -> bool + Sync),
    unread: &Unread,
) -> Result<Book, xlsx_scan::Scan> {
    use xlsx_scan::Scan;
    let mut zip = open_zip(path).map_err(Scan::Refused)?;
    let files = merges::sheet_files(&mut zip);
    let shared = scan_shared(&mut zip, is_1904)?;
    let seen = AtomicUsize::new(0);
    let results: Vec<Result<Sheet, Scan>> = metas
        .par_iter()
        .map_init(
            || None,
            |worker: &mut Option<Zip>, (name, vis)| {
                let mut sheet = Sheet::new(name, *vis);
                if !wanted(name) {
                    return Ok(sheet);
                }
                if worker.is_none() {
                    *worker = Some(open_zip(path).map_err(Scan::Refused)?);
                }
                let (Some(zip), Some(file)) = (worker.as_mut(), files.get(name)) else {
                    return Err(Scan::Fallback);
                };
                let entry = zip.by_name(file).map_err(|_| Scan::Fallback)?;
                let mut count = 0usize;
                let rows = &mut sheet.rows;
                // A cell of an unread column comes as `None`: counted, never kept.
                let mut cell = |r: u32, c: u32, v: Option<Value>| -> Result<(), String> {
                    count += 1;
                    // The budget is shared by the workers, counted in steps so they rarely
                    // meet.
                    if count.is_multiple_of(4096)
                        && seen.fetch_add(4096, Ordering::Relaxed) + 4096 > MAX_CELLS
                    {
                        return Err(too_many_cells());
                    }
                    if let Some(v) = v {
                        push(rows, r, c, v);
                    }
                    Ok(())
                };
                let too_many = || too_many_rows(name);
                let unread_column = |v: &Value| unread(name, &v.display());
                let mut limits = xlsx_scan::Limits {
                    max_row: MAX_ROWS + 2,
                    too_many_rows: &too_many,
                    unread: &unread_column,
                    cell: &mut cell,
                };
                let found = xlsx_scan::read_sheet(BufReader::new(entry), &shared, &mut limits)?;
                sheet.formulas = found.formulas;
                sheet.merged = found.merged;
                sort_rows(&mut sheet.rows);
                if found.header_late {
                    leave_out(&mut sheet, unread);
                }
                Ok(sheet)
            },
        )
        .collect();
    Ok(Book {
        sheets: results.into_iter().collect::<Result<Vec<_>, _>>()?,
    })
}

/// An .xlsx read by calamine alone (the reader the scanner steps aside for): what tests
/// compare [`read`] with.
pub fn read_by_calamine(
    path: &Path,
    wanted: &(dyn Fn(&str) -> bool + Sync),
) -> Result<Book, ReadError> {
    let metas: Vec<(String, Visibility)> = open_xlsx(path)?
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), visibility(s.visible)))
        .collect();
    read_xlsx_calamine(path, metas, wanted)
}

/// The sheets of an .xlsx read by calamine's cell reader, in parallel: every worker opens
/// the file once for the sheets it reads.
fn read_xlsx_calamine(
    path: &Path,
    metas: Vec<(String, Visibility)>,
    wanted: &(dyn Fn(&str) -> bool + Sync),
) -> Result<Book, ReadError> {
    let open = || open_xlsx(path);
    let seen = AtomicUsize::new(0);
    type Worker = Option<(Xlsx<BufReader<File>>, Zip, HashMap<String, String>)>;
    let results: Vec<Result<Sheet, ReadError>> = metas
        .into_par_iter()
        .map_init(
            || None,
            |worker: &mut Worker, (name, vis)| {
                let mut sheet = Sheet::new(&name, vis);
                if wanted(&name) {
                    if worker.is_none() {
                        let file = File::open(path).map_err(|e| format!("无法读取：{e}"))?;
                        let mut zip = zip::ZipArchive::new(BufReader::new(file))
                            .map_err(|e| not_readable(&e))?;
                        let files = merges::sheet_files(&mut zip);
                        *worker = Some((open()?, zip, files));
                    }
                    if let Some((wb, zip, files)) = worker.as_mut() {
                        read_xlsx_sheet(wb, &mut sheet, &seen)?;
                        if let Some(file) = files.get(&name) {
                            sheet.merged = merges::merged(zip, file);
                        }
                    }
                }
                Ok(sheet)
            },
        )
        .collect();
    let mut sheets = Vec::with_capacity(results.len());
    for r in results {
        sheets.push(r?);
    }
    Ok(Book { sheets })
}

fn read_xlsx_sheet<R: Read + Seek>(
    wb: &mut Xlsx<R>,
    sheet: &mut Sheet,
    seen: &AtomicUsize,
) -> Result<(), ReadError> {
    let name = sheet.name.clone();
    let mut reader = wb
        .worksheet_cells_reader(&name)
        .map_err(|e| not_readable(&e))?;
    // The declared size first: a sheet claiming a million rows is refused before a single
    // cell is read.
    let dim = reader.dimensions();
    if dim.end.0 > MAX_ROWS + 2 && dim.end.0 != dim.start.0 {
        return Err(too_many_rows(&name));
    }
    let mut count = 0usize;
    while let Some(c) = reader
        .next_cell_with_formula_metadata()
        .map_err(|e| not_readable(&e))?
    {
        let (r, col) = c.pos;
        if r > MAX_ROWS + 2 {
            return Err(too_many_rows(&name));
        }
        if c.formula.is_some() {
            sheet.formulas.push((r, col));
        }
        let v = value_ref(&c.value);
        if v == Value::Empty {
            continue;
        }
        count += 1;
        // The budget is shared by the workers, counted in steps so they rarely meet.
        if count.is_multiple_of(4096) && seen.fetch_add(4096, Ordering::Relaxed) + 4096 > MAX_CELLS
        {
            return Err(too_many_cells());
        }
        push(&mut sheet.rows, r, col, v);
    }
    sort_rows(&mut sheet.rows);
    Ok(())
}

fn push(rows: &mut Vec<Row>, r: u32, col: u32, v: Value) {
    match rows.last_mut() {
        Some(last) if last.index == r => last.cells.push((col, v)),
        last => {
            // A row as long as the one before (a sheet's rows are alike): one allocation a
            // row instead of three or four as it grows.
            let mut cells = Vec::with_capacity(last.map_or(1, |l| l.cells.len()));
            cells.push((col, v));
            rows.push(Row { index: r, cells });
        }
    }
}

/// Rows and cells in order, whatever order the file listed them in.
fn sort_rows(rows: &mut Vec<Row>) {
    if !rows.is_sorted_by_key(|r| r.index) {
        rows.sort_by_key(|r| r.index);
        // Cells of one row listed apart: merge them.
        let mut merged: Vec<Row> = Vec::with_capacity(rows.len());
        for r in rows.drain(..) {
            match merged.last_mut() {
                Some(last) if last.index == r.index => last.cells.extend(r.cells),
                _ => merged.push(r),
            }
        }
        *rows = merged;
    }
    for r in rows.iter_mut() {
        if !r.cells.is_sorted_by_key(|(c, _)| *c) {
            r.cells.sort_by_key(|(c, _)| *c);
        }
    }
}

/// .xls and .ods: calamine reads whole ranges (an .xls holds at most 65,536 × 256 cells;
/// an .ods was size-checked as a zip and its expanded cells counted by `ods::scan`).
fn read_ranges<R: Reader<BufReader<File>>>(
    wb: &mut R,
    wanted: &dyn Fn(&str) -> bool,
    merges: impl Fn(&R, &str) -> Vec<(u32, u32, u32, u32)>,
) -> Result<Book, ReadError>
where
    R::Error: std::fmt::Display,
{
    let metas: Vec<(String, Visibility)> = wb
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), visibility(s.visible)))
        .collect();
    let mut sheets = Vec::new();
    let mut cells_seen = 0usize;
    for (name, vis) in metas {
        let mut sheet = Sheet::new(&name, vis);
        if wanted(&name) {
            let range = wb.worksheet_range(&name).map_err(|e| not_readable(&e))?;
            if let Some(end) = range.end()
                && end.0 > MAX_ROWS + 2
            {
                return Err(too_many_rows(&name));
            }
            for (r, col, v) in range.used_cells() {
                let v = value(v);
                if v == Value::Empty {
                    continue;
                }
                cells_seen += 1;
                if cells_seen > MAX_CELLS {
                    return Err(too_many_cells());
                }
                let start = range.start().unwrap_or((0, 0));
                push(&mut sheet.rows, start.0 + r as u32, start.1 + col as u32, v);
            }
            if let Ok(formulas) = wb.worksheet_formula(&name) {
                let start = formulas.start().unwrap_or((0, 0));
                for (r, c, f) in formulas.used_cells() {
                    if !f.is_empty() {
                        sheet
                            .formulas
                            .push((start.0 + r as u32, start.1 + c as u32));
                    }
                }
            }
            sheet.merged = merges(wb, &name);
        }
        sheets.push(sheet);
    }
    for s in &mut sheets {
        sort_rows(&mut s.rows);
    }
    Ok(Book { sheets })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{ExcelDateTime, Format, FormatScript, Formula, Workbook};

    /// Every kind of cell a spreadsheet program writes, read by the scanner and by calamine
    /// alike.
    #[test]
    fn the_scanner_reads_what_calamine_reads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kinds.xlsx");
        let mut wb = Workbook::new();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let cjk_date = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
        let time = Format::new().set_num_format("[h]:mm:ss");
        let quoted = Format::new().set_num_format("0.00\"d\"");
        let ws = wb.add_worksheet().set_name("会议").unwrap();
        ws.write(0, 0, "支部编号").unwrap();
        ws.write(0, 1, "  前后空格  ").unwrap();
        ws.write(1, 0, "a&b<c>\"d\" 'e'").unwrap();
        ws.write(1, 1, 2.83).unwrap();
        ws.write(1, 2, 0.1 + 0.2).unwrap();
        ws.write(1, 3, true).unwrap();
        ws.write(1, 4, "换\n行\t制表").unwrap();
        ws.write_with_format(2, 0, ExcelDateTime::from_ymd(2026, 1, 8).unwrap(), &date)
            .unwrap();
        ws.write_with_format(2, 1, 46030.5, &cjk_date).unwrap();
        ws.write_with_format(2, 2, 1.25, &time).unwrap();
        ws.write_with_format(2, 3, 7.0, &quoted).unwrap();
        ws.write_formula(3, 0, Formula::new("=1+1").set_result("2"))
            .unwrap();
        ws.write_formula(3, 1, Formula::new("=\"x\"&\"y\"").set_result("xy"))
            .unwrap();
        ws.write_formula(3, 2, Formula::new("=1/0").set_result("#DIV/0!"))
            .unwrap();
        let sup = Format::new().set_font_script(FormatScript::Superscript);
        ws.write_rich_string(4, 0, &[(&Format::default(), "富"), (&sup, "文本")])
            .unwrap();
        ws.write(4, 3, "").unwrap();
        ws.write(600, 5, -0.0).unwrap();
        ws.merge_range(6, 0, 7, 1, "合并", &Format::default())
            .unwrap();
        ws.write(8, 0, "12345678901234567890").unwrap();
        let ws = wb.add_worksheet().set_name("空").unwrap();
        ws.set_hidden(true);
        // Constant-memory sheets hold inline strings (`<is>`), as the template's do.
        let ws = wb
            .add_worksheet_with_constant_memory()
            .unwrap()
            .set_name("内联")
            .unwrap();
        ws.write(0, 0, " 内联 & 文本 ").unwrap();
        ws.write(1, 1, 42).unwrap();
        wb.add_worksheet()
            .set_name("_lists")
            .unwrap()
            .write(0, 0, 1)
            .unwrap();
        wb.save(&path).unwrap();

        let all = |_: &str| true;
        let fast = scan_xlsx(
            &path,
            &[
                ("会议".into(), Visibility::Visible),
                ("空".into(), Visibility::Hidden),
                ("内联".into(), Visibility::Visible),
                ("_lists".into(), Visibility::Visible),
            ],
            false,
            &all,
            &|_, _| false,
        )
        .unwrap();
        let slow = read_by_calamine(&path, &all).unwrap();
        assert_eq!(fast, slow);
        assert_eq!(read(&path, &all).unwrap(), slow);
        let s = &fast.sheets[0];
        assert_eq!(s.merged, vec![(6, 0, 7, 1)]);
        assert_eq!(s.formulas.len(), 3);
        assert_eq!(s.rows[2].get(0), Some(&Value::Date(2026, 1, 8, false)));
        assert_eq!(s.rows[2].get(1), Some(&Value::Date(2026, 1, 8, true)));
        assert_eq!(s.rows[3].get(2), Some(&Value::Error("#DIV/0!".into())));
        assert_eq!(
            fast.sheets[2].rows[0].get(0),
            Some(&Value::Text(" 内联 & 文本 ".into()))
        );
    }

    /// Reference columns are left out below their header, by whichever reader.
    #[test]
    fn unread_columns_are_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ref.xlsx");
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet().set_name("会议").unwrap();
        for (c, h) in ["支部编号", "支部名称", "议题"].iter().enumerate() {
            ws.write(0, c as u16, *h).unwrap();
        }
        ws.write(1, 0, "b1").unwrap();
        ws.write(1, 1, "一支部").unwrap();
        ws.write(1, 2, "学习").unwrap();
        ws.write(2, 1, "只有名称").unwrap();
        wb.save(&path).unwrap();
        let unread = |s: &str, h: &str| crate::excel::layout::is_reference(s, h);
        let book = read_leaving(&path, &|_| true, &unread).unwrap();
        let rows = &book.sheets[0].rows;
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].cells.len(), 3);
        assert_eq!(rows[1].get(1), None);
        assert_eq!(rows[1].get(2), Some(&Value::Text("学习".into())));
        let mut slow = read_by_calamine(&path, &|_| true).unwrap();
        leave_out(&mut slow.sheets[0], &unread);
        assert_eq!(book, slow);
    }

    /// A sheet declaring a million rows is refused before its cells are read; a cell
    /// beyond the limit too.
    #[test]
    fn the_scanner_keeps_the_limits() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tall.xlsx");
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet().set_name("会议").unwrap();
        ws.write(0, 0, "x").unwrap();
        ws.write(MAX_ROWS + 10, 0, 1).unwrap();
        wb.save(&path).unwrap();
        let e = read(&path, &|_| true).unwrap_err();
        assert!(e.contains("超过 600000 行"), "{e}");
    }
}
