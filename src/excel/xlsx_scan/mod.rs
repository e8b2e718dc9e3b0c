//! An .xlsx sheet read by scanning its XML bytes: cells (with their formulas) and merged
//! ranges in one pass over the inflated sheet, in chunks of bounded size. calamine's cell
//! reader (quick-xml events, about 4,900 instructions a cell) and a second inflate of each
//! sheet for its merged ranges took 6.0 G instructions of an import's 14.2 G on 2,000
//! synthetic branches, where all of `check` takes 2.15 G (callgrind); this scanner took
//! 2.1 G, inflating included (0.35 G), and 1.47 G once a cell's tag, value and row tags
//! were read without searching byte by byte, indices and whole numbers straight from their
//! bytes, and a shared string's cells came to share its text instead of copying it. Then
//! (same 2,000 branches, `import --dry-run`: 4.71 → 4.27 G in all) 1.55 → 1.18 G, inflating
//! still 0.37 G of it: a cell of a column the import never reads (a third of them) is
//! skipped before its value is decoded — only counted, for the budget — and the cell tag
//! every program writes, `<c r="B7" s="3" t="s"><v>12</v></c>`, is read in one pass
//! (`xml::Bytes::quick_cell`, about 560 → 365 M instructions for 1.43 M tags and rows).
//!
//! It reads only what spreadsheet programs write (`<c>` with `<v>`, `<f>`, `<is>`; entities
//! and character references); anything else — CDATA, Excel's `_xHHHH_` escapes, an unknown
//! cell type or element — makes it step aside ([`Scan::Fallback`]) and the workbook is read
//! by calamine as before, so a value never means something else here than there. The
//! values follow calamine's rules (`read_v`, `read_string`, the built-in and custom date
//! formats of its `formats.rs`, MIT, © Johann Tuffe); tests read a workbook of every kind of
//! cell (workbook.rs) and the template as LibreOffice saves it (excel_libreoffice.rs) both
//! ways and compare.

use std::io::Read;

use calamine::{ExcelDateTime, ExcelDateTimeType};
use memchr::memchr;

use super::cells::Value;

mod formats;
mod quick;
mod xml;

pub use formats::{read_formats, read_strings};
use quick::a1;
use xml::{Tok, Xml, attr, each_attr, number, unescape};

/// Why the scanner stopped.
#[derive(Debug)]
pub enum Scan {
    /// Something this scanner does not read: let calamine read the workbook.
    Fallback,
    /// A limit was passed (refused, whichever reader).
    Refused(String),
}

type Res<T> = Result<T, Scan>;

/// How a style shows a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Other,
    DateTime,
    TimeDelta,
}

/// What every sheet of a workbook refers to: its shared strings, each style's number
/// format, its date system.
#[derive(Debug, Default)]
pub struct Shared {
    pub strings: Vec<std::sync::Arc<str>>,
    pub formats: Vec<Format>,
    pub is_1904: bool,
}

/// A sheet's formulas and merged ranges (its values go to [`Limits::cell`]).
#[derive(Debug, Default)]
pub struct Cells {
    pub formulas: Vec<(u32, u32)>,
    /// (first row, first column, last row, last column), 0-based.
    pub merged: Vec<(u32, u32, u32, u32)>,
    /// A header cell naming an unread column came after cells below the header were
    /// given to [`Limits::cell`]: those of its column are still to be left out.
    pub header_late: bool,
}

/// Limits a sheet is read under, and where its values go: `cell` takes each non-empty
/// cell (0-based row and column, in the file's order) and may refuse (the workbook's
/// budget of cells). A cell below the header (row 0) in a column `unread` named by its
/// header comes as `None`: counted, its value not decoded.
pub struct Limits<'a> {
    pub max_row: u32,
    pub too_many_rows: &'a dyn Fn() -> String,
    /// Whether the column under this header cell is left out.
    pub unread: &'a dyn Fn(&Value) -> bool,
    pub cell: &'a mut dyn FnMut(u32, u32, Option<Value>) -> Result<(), String>,
}

/// A cell's type (`t`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Type {
    Number,
    Shared,
    Bool,
    Error,
    Str,
    Date,
    Inline,
}

fn cell_type(t: Option<&[u8]>) -> Res<Option<Type>> {
    Ok(match t {
        None => None,
        Some(b"n") => Some(Type::Number),
        Some(b"s") => Some(Type::Shared),
        Some(b"b") => Some(Type::Bool),
        Some(b"e") => Some(Type::Error),
        Some(b"str") => Some(Type::Str),
        Some(b"d") => Some(Type::Date),
        Some(b"inlineStr" | b"is") => Some(Type::Inline),
        Some(_) => return Err(Scan::Fallback),
    })
}

fn dimension_end_row(r: &[u8]) -> Option<(u32, u32)> {
    let (a, b) = match memchr(b':', r) {
        Some(i) => (&r[..i], &r[i + 1..]),
        None => (r, r),
    };
    Some((a1(a)?.0, a1(b)?.0))
}

/// The value of a cell from its type, style and raw text (calamine's `read_v`).
fn cell_value(shared: &Shared, t: Option<Type>, style: Option<u32>, v: &str) -> Res<Value> {
    // An empty `<v/>` of these types is an empty cell (calamine never parses it).
    if v.is_empty()
        && matches!(
            t,
            None | Some(Type::Number | Type::Shared | Type::Bool | Type::Error)
        )
    {
        return Ok(Value::Empty);
    }
    Ok(match t {
        Some(Type::Shared) => {
            if v.is_empty() {
                return Ok(Value::Empty);
            }
            let i = number(v.as_bytes()).ok_or(Scan::Fallback)?;
            Value::Text(
                shared
                    .strings
                    .get(i as usize)
                    .ok_or(Scan::Fallback)?
                    .clone(),
            )
        }
        Some(Type::Bool) => match v.trim() {
            "" => Value::Empty,
            "1" | "true" => Value::Bool(true),
            "0" | "false" => Value::Bool(false),
            _ => return Err(Scan::Fallback),
        },
        Some(Type::Error) => match v {
            "#DIV/0!" | "#N/A" | "#NAME?" | "#NULL!" | "#NUM!" | "#REF!" | "#VALUE!" => {
                Value::Error(v.to_string())
            }
            _ => return Err(Scan::Fallback),
        },
        Some(Type::Str) => Value::Text(v.into()),
        Some(Type::Date) => super::workbook::iso_date(v),
        Some(Type::Inline) => Value::Empty,
        Some(Type::Number) | None => {
            if v.is_empty() {
                return Ok(Value::Empty);
            }
            let Ok(n) = v.parse::<f64>() else {
                return match t {
                    None => Ok(Value::Text(v.into())),
                    _ => Err(Scan::Fallback),
                };
            };
            let format = match style {
                Some(i) => shared
                    .formats
                    .get(i as usize)
                    .copied()
                    .unwrap_or(Format::Other),
                None => Format::Other,
            };
            let kind = match format {
                Format::Other => return Ok(Value::Number(n)),
                Format::DateTime => ExcelDateTimeType::DateTime,
                Format::TimeDelta => ExcelDateTimeType::TimeDelta,
            };
            super::workbook::date(&ExcelDateTime::new(n, kind, shared.is_1904))
        }
    })
}

/// The value of a cell from the raw bytes of its `<v>`: numbers and indices as they are,
/// texts with their entities resolved (`buf` is reused).
fn value_of(
    shared: &Shared,
    t: Option<Type>,
    style: Option<u32>,
    raw: &[u8],
    buf: &mut String,
) -> Res<Value> {
    // The two values nearly every cell holds, read from their bytes: a shared string's
    // index, and a whole number (at most 15 digits: the double is exact, the value
    // `parse::<f64>` gives) in a style that shows no date. Checking the bytes, `from_utf8`
    // and the float parser cost about 300 instructions a cell.
    match t {
        Some(Type::Shared) if !raw.is_empty() => {
            if let Some(i) = number(raw) {
                return Ok(Value::Text(
                    shared
                        .strings
                        .get(i as usize)
                        .ok_or(Scan::Fallback)?
                        .clone(),
                ));
            }
        }
        None | Some(Type::Number)
            if (1..=15).contains(&raw.len())
                && style
                    .and_then(|i| shared.formats.get(i as usize))
                    .is_none_or(|f| *f == Format::Other) =>
        {
            let (neg, digits) = match raw.split_first() {
                Some((b'-', rest)) if !rest.is_empty() => (true, rest),
                _ => (false, raw),
            };
            if digits.iter().all(u8::is_ascii_digit) {
                let n = digits
                    .iter()
                    .fold(0i64, |n, &d| n * 10 + i64::from(d - b'0'));
                let n = n as f64;
                return Ok(Value::Number(if neg { -n } else { n }));
            }
        }
        _ => {}
    }
    if matches!(t, None | Some(Type::Number | Type::Shared | Type::Bool))
        && raw.iter().all(|&b| b.is_ascii() && b != b'&' && b != b'\r')
    {
        // ASCII without entities: the bytes are the text.
        let text = std::str::from_utf8(raw).map_err(|_| Scan::Fallback)?;
        return cell_value(shared, t, style, text);
    }
    buf.clear();
    unescape(raw, buf)?;
    cell_value(shared, t, style, buf)
}

/// Reads one sheet's XML.
pub fn read_sheet(xml: impl Read, shared: &Shared, limits: &mut Limits) -> Res<Cells> {
    let mut x = Xml {
        b: xml::Bytes::new(xml),
    };
    let mut at = At::default();
    let mut in_data = false;
    let too_many = |l: &Limits| Scan::Refused((l.too_many_rows)());
    loop {
        if in_data && let Some(tag) = x.b.quick_cell()? {
            cell(&mut x, shared, limits, &mut at, tag)?;
            continue;
        }
        if in_data && let Some(row) = x.b.quick_row()? {
            match row {
                // As the tokeniser reads `<row r="…">` and `</row>` below.
                Some(r) => at.row = r.checked_sub(1).ok_or(Scan::Fallback)?,
                None => {
                    at.row = at.row.saturating_add(1);
                    at.col = 0;
                }
            }
            continue;
        }
        match x.next()? {
            Tok::Eof => return Ok(at.out),
            Tok::Text(..) => {}
            Tok::End(a, z) => match &x.b.buf[a..z] {
                b"row" if in_data => {
                    at.row = at.row.saturating_add(1);
                    at.col = 0;
                }
                b"sheetData" => in_data = false,
                _ => {}
            },
            Tok::Start { name, attrs, empty } => {
                let a = x.bytes(attrs);
                match x.bytes(name) {
                    b"dimension" if !in_data => {
                        if let Some((start, end)) = attr(a, b"ref").and_then(dimension_end_row)
                            && end > limits.max_row
                            && end != start
                        {
                            return Err(too_many(limits));
                        }
                    }
                    b"sheetData" => in_data = !empty,
                    b"row" if in_data => {
                        if let Some(r) = attr(a, b"r") {
                            at.row = number(r)
                                .and_then(|r| r.checked_sub(1))
                                .ok_or(Scan::Fallback)?;
                        }
                        if empty {
                            at.row = at.row.saturating_add(1);
                            at.col = 0;
                        }
                    }
                    b"c" if in_data => {
                        let (mut r, mut s, mut t) = (None, None, None);
                        each_attr(a, |k, v| {
                            match k {
                                b"r" => r = Some(a1(v)),
                                b"s" => s = Some(v),
                                b"t" => t = Some(v),
                                _ => {}
                            }
                            true
                        });
                        let tag = CellTag {
                            pos: r.map(|r| r.ok_or(Scan::Fallback)).transpose()?,
                            // calamine reads an unreadable style as style 0.
                            style: s.map(|s| number(s).unwrap_or(0)),
                            t: cell_type(t)?,
                            empty,
                            value: None,
                        };
                        cell(&mut x, shared, limits, &mut at, tag)?;
                    }
                    b"mergeCell" if !in_data => {
                        if let Some(r) = attr(a, b"ref")
                            && let Some(i) = memchr(b':', r)
                            && let (Some(p), Some(q)) = (a1(&r[..i]), a1(&r[i + 1..]))
                            && !at.out.merged.contains(&(p.0, p.1, q.0, q.1))
                        {
                            at.out.merged.push((p.0, p.1, q.0, q.1));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

/// Where a sheet's reading is: the row and the next cell's column (for cells without `r`),
/// what it found, a buffer for values, the columns left out (by their header), and
/// whether a cell below the header was given out yet.
#[derive(Default)]
struct At {
    row: u32,
    col: u32,
    out: Cells,
    buf: String,
    unread: Vec<bool>,
    below: bool,
}

impl At {
    fn unread(&self, row: u32, col: u32) -> bool {
        row > 0 && self.unread.get(col as usize).copied().unwrap_or(false)
    }
}

/// A `<c>` tag's attributes, and, when [`xml::Bytes::quick_cell`] read the whole cell in
/// its common form `<v>…</v></c>`, its value's byte range in the buffer.
struct CellTag {
    pos: Option<(u32, u32)>,
    style: Option<u32>,
    t: Option<Type>,
    empty: bool,
    value: Option<(usize, usize)>,
}

/// Gives a cell's value to [`Limits::cell`]: a header cell first marks its column when it
/// is unread; a cell of an unread column below the header goes as `None`.
fn give(limits: &mut Limits, at: &mut At, pos: (u32, u32), value: Value) -> Res<()> {
    if value == Value::Empty {
        return Ok(());
    }
    let value = if pos.0 == 0 {
        if (limits.unread)(&value) {
            let c = pos.1 as usize;
            if at.unread.len() <= c {
                at.unread.resize(c + 1, false);
            }
            at.unread[c] = true;
            at.out.header_late |= at.below;
        }
        Some(value)
    } else if at.unread(pos.0, pos.1) {
        None
    } else {
        at.below = true;
        Some(value)
    };
    (limits.cell)(pos.0, pos.1, value).map_err(Scan::Refused)
}

/// Reads one cell whose tag was just read: its value (to `limits.cell`) and formula.
fn cell<R: Read>(
    x: &mut Xml<R>,
    shared: &Shared,
    limits: &mut Limits,
    at: &mut At,
    tag: CellTag,
) -> Res<()> {
    let CellTag {
        pos,
        style,
        t,
        empty,
        value,
    } = tag;
    let pos = pos.unwrap_or((at.row, at.col));
    at.col = pos.1.saturating_add(1);
    if pos.0 > limits.max_row {
        return Err(Scan::Refused((limits.too_many_rows)()));
    }
    if empty {
        return Ok(());
    }
    let quick = match value {
        Some(range) => Some(range),
        None if t != Some(Type::Inline) => x.b.quick_value()?,
        None => None,
    };
    if let Some((from, to)) = quick {
        // A reference column's value is never decoded: its bytes only count toward the
        // budget (a third of a district's cells: 1.4 M on 2,000 branches).
        if at.unread(pos.0, pos.1) {
            if from < to {
                (limits.cell)(pos.0, pos.1, None).map_err(Scan::Refused)?;
            }
            return Ok(());
        }
        let value = value_of(shared, t, style, &x.b.buf[from..to], &mut at.buf)?;
        return give(limits, at, pos, value);
    }
    let mut value = Value::Empty;
    let mut formula = false;
    loop {
        match x.next()? {
            Tok::End(..) => break,
            Tok::Text(..) => {}
            Tok::Eof => return Err(Scan::Fallback),
            Tok::Start { name, empty, .. } => match x.bytes(name) {
                b"f" => {
                    formula = true;
                    if !empty {
                        x.skip()?;
                    }
                }
                b"v" if t == Some(Type::Inline) => {
                    if !empty {
                        x.skip()?;
                    }
                    value = Value::Empty;
                }
                b"v" => {
                    let mut text = String::new();
                    if !empty {
                        x.text_until_end(&mut text)?;
                    }
                    value = cell_value(shared, t, style, &text)?;
                }
                b"is" => {
                    value = if empty {
                        Value::Text("".into())
                    } else {
                        Value::Text(x.string()?.into())
                    };
                }
                _ => return Err(Scan::Fallback),
            },
        }
    }
    if formula {
        at.out.formulas.push(pos);
    }
    give(limits, at, pos, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cell given out: row, column, value (`None` for a cell left unread).
    type Given = (u32, u32, Option<Value>);

    /// What `read_sheet` gives out for a sheet, and what it found.
    fn scan(xml: &str) -> (Vec<Given>, Res<Cells>) {
        let shared = Shared {
            strings: vec!["支部名称".into(), "议题".into(), "一支部".into()],
            formats: vec![Format::Other],
            is_1904: false,
        };
        let mut out = Vec::new();
        let mut limits = Limits {
            max_row: 100,
            too_many_rows: &|| "行太多".to_string(),
            unread: &|v| v.display() == "支部名称",
            cell: &mut |r, c, v| {
                out.push((r, c, v));
                Ok(())
            },
        };
        let found = read_sheet(xml.as_bytes(), &shared, &mut limits);
        (out, found)
    }

    fn text(s: &str) -> Option<Value> {
        Some(Value::Text(s.into()))
    }

    /// Below the header, an unread column's cells come undecoded (even an index no string
    /// has: its value is never looked at), counted; its formulas are still found.
    #[test]
    fn unread_columns_are_skipped_undecoded() {
        let (cells, found) = scan(concat!(
            "<worksheet><sheetData>",
            r#"<row r="1"><c r="A1" s="0" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>"#,
            r#"<row r="2"><c r="A2" s="0" t="s"><v>99</v></c><c r="B2" t="s"><v>2</v></c></row>"#,
            r#"<row r="3"><c r="A3"><f>1+1</f><v>2</v></c><c r="B3"><v>7</v></c><c r="A9"/></row>"#,
            "</sheetData></worksheet>"
        ));
        let found = found.unwrap();
        assert_eq!(
            cells,
            vec![
                (0, 0, text("支部名称")),
                (0, 1, text("议题")),
                (1, 0, None),
                (1, 1, text("一支部")),
                (2, 0, None),
                (2, 1, Some(Value::Number(7.0))),
            ]
        );
        assert_eq!(found.formulas, vec![(2, 0)]);
        assert!(!found.header_late);
    }

    /// A header listed after the cells below it: they were given out, and the caller is
    /// told to leave them out.
    #[test]
    fn a_late_header_is_told() {
        let (cells, found) = scan(concat!(
            "<worksheet><sheetData>",
            r#"<row r="2"><c r="A2" t="s"><v>2</v></c></row>"#,
            r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#,
            "</sheetData></worksheet>"
        ));
        assert_eq!(
            cells,
            vec![(1, 0, text("一支部")), (0, 0, text("支部名称"))]
        );
        assert!(found.unwrap().header_late);
    }

    /// The plain cell tag and the general reading agree: the same cells written both ways.
    #[test]
    fn plain_and_general_tags_read_alike() {
        let plain = concat!(
            r#"<sheetData><row r="4"><c r="AB4" s="0" t="n"><v>3.5</v></c>"#,
            r#"<c r="C4" t="s"><v>1</v></c><c r="D4" s="0"/><c r="E4"><v>-12</v></c></row></sheetData>"#
        );
        let general = concat!(
            r#"<sheetData><row r="4"><c  t="n" s='0' r="AB4"><v>3.5</v></c>"#,
            r#"<c t="s" r="C4" ><v>1</v></c><c s="0" r="D4" /><c r="E4" ><v>-12</v></c></row></sheetData>"#
        );
        let (a, _) = scan(plain);
        let (b, _) = scan(general);
        assert_eq!(a, b);
        assert_eq!(
            a,
            vec![
                (3, 27, Some(Value::Number(3.5))),
                (3, 2, text("议题")),
                (3, 4, Some(Value::Number(-12.0))),
            ]
        );
    }
}

/// The scanner reads bytes anyone can put in a workbook: whatever they are, it returns a
/// value, a refusal or a fallback, never a panic, and never more cells than the budget.
#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    const PIECES: &[&str] = &[
        "<?xml version=\"1.0\"?>",
        "<worksheet xmlns=\"x\">",
        "<dimension ref=\"A1:C9\"/>",
        "<dimension ref=\"A1:XFD1048576\"/>",
        "<sheetData>",
        "</sheetData>",
        "<row r=\"1\">",
        "<row r=\"99999999999\">",
        "</row>",
        "<c r=\"A1\" t=\"s\"><v>0</v></c>",
        "<c r=\"B1\" t=\"s\"><v>7</v></c>",
        "<c r=\"C2\" s=\"1\"><v>45000.5</v></c>",
        "<c r=\"D3\" t=\"inlineStr\"><is><t>党建&amp;&#x4E2D;</t></is></c>",
        "<c r=\"E4\" t=\"str\"><f>A1&amp;B1</f><v>x</v></c>",
        "<c r=\"F5\" t=\"b\"><v>1</v></c>",
        "<c r=\"G6\" t=\"e\"><v>#N/A</v></c>",
        "<c r=\"H7\" t=\"d\"><v>2026-03-01T00:00:00</v></c>",
        "<c r=\"ZZZZZ1\"><v>1</v></c>",
        "<c r=\"A\"><v>",
        "<c t=\"n\"/>",
        "<c r=\"A1\" t=\"q\">",
        "<v>1e309</v>",
        "<v>-</v>",
        "&#xFFFFFF;",
        "&bogus;",
        "&#;",
        "<![CDATA[x]]>",
        "_x0041_",
        "<mergeCells><mergeCell ref=\"A1:B2\"/><mergeCell ref=\"B2:A1\"/></mergeCells>",
        "<mergeCell ref=\":\"/>",
        "<!-- c -->",
        "<",
        ">",
        "\"",
        "/>",
        "</c>",
        "</worksheet>",
    ];

    fn sheet() -> impl Strategy<Value = Vec<u8>> {
        prop::collection::vec(
            prop_oneof![
                4 => prop::sample::select(PIECES).prop_map(|p| p.as_bytes().to_vec()),
                1 => prop::collection::vec(any::<u8>(), 0..6),
            ],
            0..40,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(
            std::env::var("DANGJIAN_FUZZ_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(3000)
        ))]
        #[test]
        fn any_bytes_are_read_refused_or_handed_back(bytes in sheet()) {
            let shared = Shared {
                strings: vec!["一".into(), "二".into()],
                formats: vec![Format::Other, Format::DateTime],
                is_1904: false,
            };
            let mut cells = 0usize;
            let mut take = |_r: u32, _c: u32, _v: Option<Value>| {
                cells += 1;
                if cells > 50 { Err("太多".to_string()) } else { Ok(()) }
            };
            let mut limits = Limits {
                max_row: 1000,
                too_many_rows: &|| "行太多".to_string(),
                unread: &|v| *v == Value::Text("一".into()),
                cell: &mut take,
            };
            let _ = read_sheet(&bytes[..], &shared, &mut limits);
            prop_assert!(cells <= 51);
            let _ = read_strings(&bytes[..]);
            let _ = read_formats(&bytes[..]);
        }
    }
}
