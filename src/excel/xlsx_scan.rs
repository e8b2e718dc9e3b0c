//! An .xlsx sheet read by scanning its XML bytes: cells (with their formulas) and merged
//! ranges in one pass over the inflated sheet, in chunks of bounded size. calamine's cell
//! reader (quick-xml events) cost about 4,900 instructions a cell and its merged ranges a
//! second inflate of the sheet — 2.6 times all of `check` on a district's workbook
//! (callgrind, 2,000 synthetic branches: 5.6 G instructions of an import's 14.2 G, where
//! `check` takes 2.15 G); this scanner takes a tenth of that.
//!
//! It reads only what spreadsheet programs write (`<c>` with `<v>`, `<f>`, `<is>`; entities
//! and character references); anything else — CDATA, Excel's `_xHHHH_` escapes, an unknown
//! cell type or element — makes it step aside ([`Scan::Fallback`]) and the workbook is read
//! by calamine as before, so a value never means something else here than there. The
//! values follow calamine's rules (`read_v`, `read_string`, the built-in and custom date
//! formats of `formats.rs`, MIT, © Johann Tuffe), and a test reads every workbook of the
//! test suite both ways.

use std::collections::HashMap;
use std::io::Read;

use calamine::{ExcelDateTime, ExcelDateTimeType};
use memchr::{memchr, memmem};

use super::cells::Value;

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
    pub strings: Vec<String>,
    pub formats: Vec<Format>,
    pub is_1904: bool,
}

/// The most bytes one token (a tag, or the text between two tags) may span: a cell holds
/// at most 32,767 characters.
const MAX_TOKEN: usize = 4 << 20;
const CHUNK: usize = 256 << 10;

/// A byte stream read in chunks, looked at token by token.
struct Bytes<R> {
    r: R,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    eof: bool,
}

impl<R: Read> Bytes<R> {
    fn new(r: R) -> Self {
        Bytes {
            r,
            buf: vec![0; CHUNK],
            pos: 0,
            end: 0,
            eof: false,
        }
    }

    /// Reads more, keeping `pos..end`; false at the end of the stream.
    fn more(&mut self) -> Res<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.end, 0);
            self.end -= self.pos;
            self.pos = 0;
        }
        if self.end == self.buf.len() {
            if self.buf.len() >= MAX_TOKEN {
                return Err(Scan::Fallback);
            }
            self.buf.resize(self.buf.len() * 2, 0);
        }
        let n = self
            .r
            .read(&mut self.buf[self.end..])
            .map_err(|_| Scan::Fallback)?;
        if n == 0 {
            self.eof = true;
        }
        self.end += n;
        Ok(n > 0)
    }

    /// The offset (from `pos`) of the first `b`, reading as needed.
    fn find(&mut self, b: u8) -> Res<Option<usize>> {
        let mut from = 0;
        loop {
            if let Some(i) = memchr(b, &self.buf[self.pos + from..self.end]) {
                return Ok(Some(from + i));
            }
            from = self.end - self.pos;
            if !self.more()? {
                return Ok(None);
            }
        }
    }

    /// The offset (from `pos`) just past the first `pat`, reading as needed.
    fn find_seq(&mut self, pat: &[u8]) -> Res<Option<usize>> {
        let mut from = 0;
        loop {
            if let Some(i) = memmem::find(&self.buf[self.pos + from..self.end], pat) {
                return Ok(Some(from + i + pat.len()));
            }
            from = (self.end - self.pos).saturating_sub(pat.len());
            if !self.more()? {
                return Ok(None);
            }
        }
    }

    /// The offset (from `pos`) of the `>` ending a tag, outside quoted attribute values.
    fn tag_end(&mut self) -> Res<Option<usize>> {
        let mut i = 0;
        let mut quote = 0u8;
        loop {
            let Some(gt) = memchr(b'>', &self.buf[self.pos + i..self.end]) else {
                // Bytes after `i` are counted once a `>` is found.
                if !self.more()? {
                    return Ok(None);
                }
                continue;
            };
            // Tags are short: the quotes before the `>` are counted byte by byte.
            for &c in &self.buf[self.pos + i..self.pos + i + gt] {
                if quote == 0 {
                    if c == b'"' || c == b'\'' {
                        quote = c;
                    }
                } else if c == quote {
                    quote = 0;
                }
            }
            i += gt + 1;
            if quote == 0 {
                return Ok(Some(i - 1));
            }
        }
    }

    /// Makes at least `n` bytes available from `pos` (fewer at the end of the stream).
    fn ensure(&mut self, n: usize) -> Res<bool> {
        while self.end - self.pos < n {
            if !self.more()? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// A `<c …>` tag in its common form (`r`, `s`, `t` and other attributes in double
    /// quotes) read in one pass over its bytes, without tokenising; `None` (nothing
    /// consumed) for anything else, which the tokeniser then reads.
    fn quick_cell(&mut self) -> Res<Option<CellTag>> {
        const MAX: usize = 256;
        self.ensure(MAX)?;
        let b = &self.buf[self.pos..self.end.min(self.pos + MAX)];
        if !b.starts_with(b"<c ") {
            return Ok(None);
        }
        let (mut r, mut s, mut t) = (None, None, None);
        let mut i = 3;
        loop {
            while i < b.len() && b[i] == b' ' {
                i += 1;
            }
            match b.get(i) {
                Some(b'>') => {
                    self.pos += i + 1;
                    break;
                }
                Some(b'/') if b.get(i + 1) == Some(&b'>') => {
                    self.pos += i + 2;
                    return Ok(Some(CellTag {
                        pos: r.map(|r: &[u8]| a1(r).ok_or(Scan::Fallback)).transpose()?,
                        style: s.map(|s| number(s).unwrap_or(0)),
                        t: cell_type(t)?,
                        empty: true,
                    }));
                }
                None => return Ok(None),
                _ => {}
            }
            let key_start = i;
            while i < b.len() && b[i] != b'=' && b[i] != b' ' && b[i] != b'>' {
                i += 1;
            }
            let key = &b[key_start..i];
            if b.get(i) != Some(&b'=') || b.get(i + 1) != Some(&b'"') {
                return Ok(None);
            }
            let v_start = i + 2;
            let Some(len) = b[v_start..].iter().position(|&c| c == b'"') else {
                return Ok(None);
            };
            let v = &b[v_start..v_start + len];
            if v.contains(&b'&') {
                return Ok(None);
            }
            match key {
                b"r" => r = Some(v),
                b"s" => s = Some(v),
                b"t" => t = Some(v),
                _ => {}
            }
            i = v_start + len + 1;
        }
        Ok(Some(CellTag {
            pos: r.map(|r| a1(r).ok_or(Scan::Fallback)).transpose()?,
            style: s.map(|s| number(s).unwrap_or(0)),
            t: cell_type(t)?,
            empty: false,
        }))
    }

    /// The common cell body `<v>…</v></c>` read at once: the value's byte range, and the
    /// bytes consumed. `None` (nothing consumed) for any other shape.
    fn quick_value(&mut self) -> Res<Option<(usize, usize)>> {
        if !self.ensure(3)? || &self.buf[self.pos..self.pos + 3] != b"<v>" {
            return Ok(None);
        }
        let Some(lt) = memchr(b'<', &self.buf[self.pos + 3..self.end]) else {
            return Ok(None);
        };
        if !self.ensure(3 + lt + 8)?
            || &self.buf[self.pos + 3 + lt..self.pos + 3 + lt + 8] != b"</v></c>"
        {
            return Ok(None);
        }
        let start = self.pos + 3;
        self.pos = start + lt + 8;
        Ok(Some((start, start + lt)))
    }
}

/// One token of the XML.
enum Tok {
    /// `<name …>` or `<name …/>`: the local name and attributes as byte ranges of the buffer.
    Start {
        name: (usize, usize),
        attrs: (usize, usize),
        empty: bool,
    },
    End(usize, usize),
    /// Text before the next tag (raw, entities not yet resolved).
    Text(usize, usize),
    Eof,
}

struct Xml<R> {
    b: Bytes<R>,
}

fn local(name: &[u8]) -> &[u8] {
    match memchr(b':', name) {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

impl<R: Read> Xml<R> {
    /// The next token; its ranges stay valid until the next call.
    fn next(&mut self) -> Res<Tok> {
        let b = &mut self.b;
        if b.pos == b.end && !b.more()? {
            return Ok(Tok::Eof);
        }
        if b.buf[b.pos] != b'<' {
            // `find` may move the unread bytes to the front: the text starts at `pos`.
            let len = b.find(b'<')?.unwrap_or(b.end - b.pos);
            let s = b.pos;
            b.pos += len;
            return Ok(Tok::Text(s, s + len));
        }
        // `<?…?>`, `<!--…-->`, `<!DOCTYPE…>`; CDATA is calamine's to read.
        if b.end - b.pos < 9 {
            b.more()?;
        }
        let rest = &b.buf[b.pos..b.end];
        if rest.starts_with(b"<?") {
            let Some(n) = b.find_seq(b"?>")? else {
                return Err(Scan::Fallback);
            };
            b.pos += n;
            return self.next();
        }
        if rest.starts_with(b"<!--") {
            let Some(n) = b.find_seq(b"-->")? else {
                return Err(Scan::Fallback);
            };
            b.pos += n;
            return self.next();
        }
        if rest.starts_with(b"<!") {
            return Err(Scan::Fallback);
        }
        let Some(gt) = b.tag_end()? else {
            return Err(Scan::Fallback);
        };
        let s = b.pos;
        b.pos += gt + 1;
        let inner = &b.buf[s + 1..s + gt];
        if inner.first() == Some(&b'/') {
            let name = trim_end(&inner[1..]);
            let l = local(name);
            let off = s + 1 + 1 + (name.len() - l.len());
            return Ok(Tok::End(off, off + l.len()));
        }
        let empty = inner.last() == Some(&b'/');
        let inner = if empty {
            &inner[..inner.len() - 1]
        } else {
            inner
        };
        let name_len = inner
            .iter()
            .position(|c| c.is_ascii_whitespace())
            .unwrap_or(inner.len());
        let name = &inner[..name_len];
        let l = local(name);
        let name_off = s + 1 + (name.len() - l.len());
        Ok(Tok::Start {
            name: (name_off, name_off + l.len()),
            attrs: (s + 1 + name_len, s + 1 + inner.len()),
            empty,
        })
    }

    fn bytes(&self, r: (usize, usize)) -> &[u8] {
        &self.b.buf[r.0..r.1]
    }

    /// The text up to the end tag of the element just opened (`</name>`), entities
    /// resolved; a nested element makes it step aside.
    fn text_until_end(&mut self, out: &mut String) -> Res<()> {
        loop {
            match self.next()? {
                Tok::Text(a, z) => unescape(&self.b.buf[a..z], out)?,
                Tok::End(..) => return Ok(()),
                _ => return Err(Scan::Fallback),
            }
        }
    }

    /// Skips to the end of the element just opened, whatever it holds.
    fn skip(&mut self) -> Res<()> {
        let mut depth = 1usize;
        loop {
            match self.next()? {
                Tok::Start { empty: false, .. } => depth += 1,
                Tok::End(..) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                Tok::Eof => return Err(Scan::Fallback),
                _ => {}
            }
        }
    }

    /// The text of a rich or plain string (`<si>`, `<is>`) up to its end tag: its `<t>`s
    /// together, phonetic runs (`<rPh>`) left out, each `<t>` trimmed of ASCII white space
    /// unless `xml:space="preserve"` (as calamine's `read_string`).
    fn string(&mut self) -> Res<String> {
        let mut out = String::new();
        let mut t = String::new();
        loop {
            match self.next()? {
                Tok::Start { name, attrs, empty } => {
                    let n = self.bytes(name);
                    if n == b"rPh" && !empty {
                        self.skip()?;
                    } else if n == b"t" {
                        let preserve =
                            attr(self.bytes(attrs), b"xml:space").is_some_and(|v| v == b"preserve");
                        t.clear();
                        if !empty {
                            self.text_until_end(&mut t)?;
                        }
                        if preserve {
                            out.push_str(&t);
                        } else {
                            out.push_str(t.trim_matches([' ', '\t', '\r', '\n']));
                        }
                    } else if n != b"r" && n != b"rPr" && !empty {
                        // Run properties hold no text.
                        self.skip()?;
                    }
                }
                Tok::End(a, z) if &self.b.buf[a..z] == b"r" || &self.b.buf[a..z] == b"rPr" => {}
                Tok::End(..) => return Ok(out),
                Tok::Text(..) => {}
                Tok::Eof => return Err(Scan::Fallback),
            }
        }
    }
}

fn trim_end(s: &[u8]) -> &[u8] {
    let n = s
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    &s[..n]
}

/// The raw value of attribute `name` (exact name, prefix included) in a tag's attribute
/// bytes.
fn attr<'a>(attrs: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let mut found = None;
    each_attr(attrs, |k, v| {
        if k == name {
            found = Some(v);
        }
        found.is_none()
    });
    found
}

/// Calls `f` with each attribute's name and raw value until it returns false.
fn each_attr<'a>(attrs: &'a [u8], mut f: impl FnMut(&'a [u8], &'a [u8]) -> bool) {
    let mut i = 0;
    while i < attrs.len() {
        while i < attrs.len() && attrs[i].is_ascii_whitespace() {
            i += 1;
        }
        let key_start = i;
        while i < attrs.len() && attrs[i] != b'=' && !attrs[i].is_ascii_whitespace() {
            i += 1;
        }
        let key = &attrs[key_start..i];
        while i < attrs.len() && (attrs[i].is_ascii_whitespace() || attrs[i] == b'=') {
            i += 1;
        }
        let Some(&q) = attrs.get(i) else { return };
        if q != b'"' && q != b'\'' {
            return;
        }
        let v_start = i + 1;
        let Some(v_len) = memchr(q, &attrs[v_start..]) else {
            return;
        };
        if !f(key, &attrs[v_start..v_start + v_len]) {
            return;
        }
        i = v_start + v_len + 1;
    }
}

/// Appends XML text with its entities and character references resolved and its line
/// ends normalised (`\r\n`, `\r` → `\n`, as quick-xml's `xml10_content`). Excel's own
/// `_xHHHH_` escapes are calamine's to resolve.
fn unescape(raw: &[u8], out: &mut String) -> Res<()> {
    let Ok(s) = std::str::from_utf8(raw) else {
        return Err(Scan::Fallback);
    };
    if memchr::memchr_iter(b'_', raw).any(|i| raw.get(i + 1) == Some(&b'x')) {
        return Err(Scan::Fallback);
    }
    if memchr::memchr2(b'&', b'\r', raw).is_none() {
        out.push_str(s);
        return Ok(());
    }
    let mut rest = s;
    while let Some(i) = rest.find(['&', '\r']) {
        out.push_str(&rest[..i]);
        if rest.as_bytes()[i] == b'\r' {
            out.push('\n');
            rest = rest[i + 1..].strip_prefix('\n').unwrap_or(&rest[i + 1..]);
            continue;
        }
        let Some(semi) = rest[i..].find(';') else {
            return Err(Scan::Fallback);
        };
        let entity = &rest[i + 1..i + semi];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(h) = entity.strip_prefix("#x") {
                    u32::from_str_radix(h, 16).ok()
                } else if let Some(d) = entity.strip_prefix('#') {
                    d.parse().ok()
                } else {
                    None
                };
                code.and_then(char::from_u32).ok_or(Scan::Fallback)?
            }
        };
        out.push(c);
        rest = &rest[i + semi + 1..];
    }
    out.push_str(rest);
    Ok(())
}

/// `AB12` → 0-based (row, column).
fn a1(r: &[u8]) -> Option<(u32, u32)> {
    let split = r.iter().position(u8::is_ascii_digit)?;
    let (letters, digits) = r.split_at(split);
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut col = 0u32;
    for &b in letters {
        col = col * 26 + u32::from(b.to_ascii_uppercase().checked_sub(b'A')?.min(26) + 1);
    }
    let row = number(digits)?;
    Some((row.checked_sub(1)?, col - 1))
}

fn number(d: &[u8]) -> Option<u32> {
    if d.is_empty() || d.len() > 9 || !d.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(d.iter().fold(0u32, |n, b| n * 10 + u32::from(b - b'0')))
}

/// A number format code shows a date or time (calamine's `detect_custom_number_format`).
fn custom_format(format: &str) -> Format {
    let mut escaped = false;
    let mut is_quote = false;
    let mut brackets = 0u8;
    let mut prev = ' ';
    let mut hms = false;
    let mut ap = false;
    for s in format.chars() {
        match (s, escaped, is_quote, ap, brackets) {
            (_, true, ..) => escaped = false,
            ('_' | '\\' | '*', ..) => escaped = true,
            ('"', _, true, _, _) => is_quote = false,
            (_, _, true, _, _) => (),
            ('"', _, _, _, _) => is_quote = true,
            (';', ..) => return Format::Other,
            ('[', ..) => brackets += 1,
            (']', .., 1) if hms => return Format::TimeDelta,
            (']', ..) => brackets = brackets.saturating_sub(1),
            ('a' | 'A', _, _, false, 0) => ap = true,
            ('p' | 'm' | '/' | 'P' | 'M', _, _, true, 0) => return Format::DateTime,
            ('d' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S', _, _, false, 0) => {
                return Format::DateTime;
            }
            _ => {
                if !(hms && s.eq_ignore_ascii_case(&prev)) {
                    hms = prev == '[' && matches!(s, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                }
            }
        }
        prev = s;
    }
    Format::Other
}

/// Excel's built-in number formats that show dates and times (calamine's
/// `builtin_format_by_id`).
fn builtin_format(id: &[u8]) -> Format {
    match number(id) {
        Some(14..=22 | 27..=36 | 45 | 47 | 50..=58) => Format::DateTime,
        Some(46) => Format::TimeDelta,
        _ => Format::Other,
    }
}

/// Each cell style's number format (`styles.xml`: `numFmts`, then `cellXfs`).
pub fn read_formats(xml: impl Read) -> Res<Vec<Format>> {
    let mut x = Xml { b: Bytes::new(xml) };
    let mut custom: HashMap<Vec<u8>, Format> = HashMap::new();
    let mut out = Vec::new();
    let mut in_xfs = false;
    loop {
        match x.next()? {
            Tok::Start { name, attrs, .. } => {
                let a = x.bytes(attrs);
                match x.bytes(name) {
                    b"numFmt" => {
                        if let (Some(id), Some(code)) =
                            (attr(a, b"numFmtId"), attr(a, b"formatCode"))
                        {
                            let mut c = String::new();
                            unescape(code, &mut c)?;
                            custom.insert(id.to_vec(), custom_format(&c));
                        }
                    }
                    b"cellXfs" => in_xfs = true,
                    b"xf" if in_xfs => out.push(match attr(a, b"numFmtId") {
                        Some(id) => custom
                            .get(id)
                            .copied()
                            .unwrap_or_else(|| builtin_format(id)),
                        None => Format::Other,
                    }),
                    _ => {}
                }
            }
            Tok::End(a, z) if &x.b.buf[a..z] == b"cellXfs" => in_xfs = false,
            Tok::Eof => return Ok(out),
            _ => {}
        }
    }
}

/// The shared strings (`sharedStrings.xml`).
pub fn read_strings(xml: impl Read) -> Res<Vec<String>> {
    let mut x = Xml { b: Bytes::new(xml) };
    let mut out = Vec::new();
    loop {
        match x.next()? {
            Tok::Start { name, empty, .. } if x.bytes(name) == b"si" => {
                out.push(if empty { String::new() } else { x.string()? });
            }
            Tok::Eof => return Ok(out),
            _ => {}
        }
    }
}

/// A sheet's formulas and merged ranges (its values go to [`Limits::cell`]).
#[derive(Debug, Default)]
pub struct Cells {
    pub formulas: Vec<(u32, u32)>,
    /// (first row, first column, last row, last column), 0-based.
    pub merged: Vec<(u32, u32, u32, u32)>,
}

/// Limits a sheet is read under, and where its values go: `cell` takes each non-empty
/// cell (0-based row and column, in the file's order) and may refuse (the workbook's
/// budget of cells).
pub struct Limits<'a> {
    pub max_row: u32,
    pub too_many_rows: &'a dyn Fn() -> String,
    pub cell: &'a mut dyn FnMut(u32, u32, Value) -> Result<(), String>,
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
        Some(Type::Str) => Value::Text(v.to_string()),
        Some(Type::Date) => super::workbook::iso_date(v),
        Some(Type::Inline) => Value::Empty,
        Some(Type::Number) | None => {
            if v.is_empty() {
                return Ok(Value::Empty);
            }
            let Ok(n) = v.parse::<f64>() else {
                return match t {
                    None => Ok(Value::Text(v.to_string())),
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
    let mut x = Xml { b: Bytes::new(xml) };
    let mut out = Cells::default();
    let mut in_data = false;
    let (mut row, mut col) = (0u32, 0u32);
    let mut v = String::new();
    let too_many = |l: &Limits| Scan::Refused((l.too_many_rows)());
    loop {
        if in_data && let Some(tag) = x.b.quick_cell()? {
            cell(
                &mut x,
                shared,
                limits,
                &mut out,
                tag,
                (&mut row, &mut col),
                &mut v,
            )?;
            continue;
        }
        match x.next()? {
            Tok::Eof => return Ok(out),
            Tok::Text(..) => {}
            Tok::End(a, z) => match &x.b.buf[a..z] {
                b"row" if in_data => {
                    row = row.saturating_add(1);
                    col = 0;
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
                            row = number(r)
                                .and_then(|r| r.checked_sub(1))
                                .ok_or(Scan::Fallback)?;
                        }
                        if empty {
                            row = row.saturating_add(1);
                            col = 0;
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
                        };
                        cell(
                            &mut x,
                            shared,
                            limits,
                            &mut out,
                            tag,
                            (&mut row, &mut col),
                            &mut v,
                        )?;
                    }
                    b"mergeCell" if !in_data => {
                        if let Some(r) = attr(a, b"ref")
                            && let Some(i) = memchr(b':', r)
                            && let (Some(p), Some(q)) = (a1(&r[..i]), a1(&r[i + 1..]))
                            && !out.merged.contains(&(p.0, p.1, q.0, q.1))
                        {
                            out.merged.push((p.0, p.1, q.0, q.1));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

/// A `<c>` tag's attributes.
struct CellTag {
    pos: Option<(u32, u32)>,
    style: Option<u32>,
    t: Option<Type>,
    empty: bool,
}

/// Reads one cell whose tag was just read: its value (to `limits.cell`) and formula.
fn cell<R: Read>(
    x: &mut Xml<R>,
    shared: &Shared,
    limits: &mut Limits,
    out: &mut Cells,
    tag: CellTag,
    (row, col): (&mut u32, &mut u32),
    buf: &mut String,
) -> Res<()> {
    let CellTag {
        pos,
        style,
        t,
        empty,
    } = tag;
    let pos = pos.unwrap_or((*row, *col));
    *col = pos.1.saturating_add(1);
    if pos.0 > limits.max_row {
        return Err(Scan::Refused((limits.too_many_rows)()));
    }
    if empty {
        return Ok(());
    }
    if t != Some(Type::Inline)
        && let Some((from, to)) = x.b.quick_value()?
    {
        let value = value_of(shared, t, style, &x.b.buf[from..to], buf)?;
        if value != Value::Empty {
            (limits.cell)(pos.0, pos.1, value).map_err(Scan::Refused)?;
        }
        return Ok(());
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
                        Value::Text(String::new())
                    } else {
                        Value::Text(x.string()?)
                    };
                }
                _ => return Err(Scan::Fallback),
            },
        }
    }
    if formula {
        out.formulas.push(pos);
    }
    if value != Value::Empty {
        (limits.cell)(pos.0, pos.1, value).map_err(Scan::Refused)?;
    }
    Ok(())
}
