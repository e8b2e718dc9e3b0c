//! The XML of a workbook's parts read in chunks, token by token (tags, text), with the
//! byte-level shortcuts for the shapes a sheet repeats: a cell's tag, and its value.

use std::io::Read;

use memchr::{memchr, memmem};

use super::{CellTag, Res, Scan, Type, cell_type};

/// The most bytes one token (a tag, or the text between two tags) may span: a cell holds
/// at most 32,767 characters.
pub(super) const MAX_TOKEN: usize = 4 << 20;
pub(super) const CHUNK: usize = 256 << 10;

/// A byte stream read in chunks, looked at token by token.
pub(super) struct Bytes<R> {
    r: R,
    pub(super) buf: Vec<u8>,
    pos: usize,
    end: usize,
    eof: bool,
}

impl<R: Read> Bytes<R> {
    pub(super) fn new(r: R) -> Self {
        Bytes {
            r,
            buf: vec![0; CHUNK],
            pos: 0,
            end: 0,
            eof: false,
        }
    }

    /// Reads more, keeping `pos..end`; false at the end of the stream.
    pub(super) fn more(&mut self) -> Res<bool> {
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
    pub(super) fn find(&mut self, b: u8) -> Res<Option<usize>> {
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
    pub(super) fn find_seq(&mut self, pat: &[u8]) -> Res<Option<usize>> {
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
    pub(super) fn tag_end(&mut self) -> Res<Option<usize>> {
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
    pub(super) fn ensure(&mut self, n: usize) -> Res<bool> {
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
    pub(super) fn quick_cell(&mut self) -> Res<Option<CellTag>> {
        const MAX: usize = 256;
        if self.end - self.pos < MAX {
            self.ensure(MAX)?;
        }
        let b = &self.buf[self.pos..self.end.min(self.pos + MAX)];
        if !b.starts_with(b"<c ") {
            return Ok(None);
        }
        if let Some((mut tag, n)) = plain_cell(b) {
            let start = self.pos;
            self.pos += n;
            if !tag.empty
                && tag.t != Some(Type::Inline)
                && let Some((from, to, len)) = plain_value(&b[n..])
            {
                tag.value = Some((start + n + from, start + n + to));
                self.pos += len;
            }
            return Ok(Some(tag));
        }
        let (mut r, mut s, mut t) = (None, None, None);
        let mut i = 3;
        let empty = loop {
            while b.get(i) == Some(&b' ') {
                i += 1;
            }
            match b.get(i) {
                Some(b'>') => {
                    self.pos += i + 1;
                    break false;
                }
                Some(b'/') if b.get(i + 1) == Some(&b'>') => {
                    self.pos += i + 2;
                    break true;
                }
                None => return Ok(None),
                _ => {}
            }
            let key_start = i;
            while let Some(&c) = b.get(i)
                && c != b'='
                && c != b' '
                && c != b'>'
            {
                i += 1;
            }
            let key = &b[key_start..i];
            if b.get(i) != Some(&b'=') || b.get(i + 1) != Some(&b'"') {
                return Ok(None);
            }
            // The value's end and whether it holds an entity, in one pass over its few
            // bytes (`memchr` and `contains` on each were a fifth of reading a sheet).
            let v_start = i + 2;
            let mut j = v_start;
            let mut entity = false;
            while let Some(&c) = b.get(j)
                && c != b'"'
            {
                entity |= c == b'&';
                j += 1;
            }
            if j >= b.len() || entity {
                // An entity is read by the tokeniser (which steps aside).
                return Ok(None);
            }
            let v = &b[v_start..j];
            match key {
                b"r" => r = Some(v),
                b"s" => s = Some(v),
                b"t" => t = Some(v),
                _ => {}
            }
            i = j + 1;
        };
        Ok(Some(CellTag {
            pos: r.map(|r| a1(r).ok_or(Scan::Fallback)).transpose()?,
            style: s.map(|s| number(s).unwrap_or(0)),
            t: cell_type(t)?,
            empty,
            value: None,
        }))
    }

    /// A row's end `</row>`, or its start in the plain form `<row r="12">`, read at once:
    /// `Some(None)` for an end, `Some(Some(r))` for a start (1-based `r`), `None` (nothing
    /// consumed) for anything else, which the tokeniser then reads. A district's sheets
    /// hold 700,000 rows; the tokeniser took about 450 instructions a row tag.
    pub(super) fn quick_row(&mut self) -> Res<Option<Option<u32>>> {
        // `quick_cell` made 256 bytes available, or all there are.
        let b = &self.buf[self.pos..self.end];
        if b.starts_with(b"</row>") {
            self.pos += 6;
            return Ok(Some(None));
        }
        let Some(rest) = b.strip_prefix(b"<row r=\"") else {
            return Ok(None);
        };
        let Some(len) = rest[..rest.len().min(11)].iter().position(|&c| c == b'"') else {
            return Ok(None);
        };
        if rest.get(len + 1) != Some(&b'>') {
            return Ok(None);
        }
        let Some(r) = number(&rest[..len]) else {
            return Ok(None);
        };
        self.pos += 8 + len + 2;
        Ok(Some(Some(r)))
    }

    /// The common cell body `<v>…</v></c>` read at once: the value's byte range, and the
    /// bytes consumed. `None` (nothing consumed) for any other shape.
    pub(super) fn quick_value(&mut self) -> Res<Option<(usize, usize)>> {
        if !self.ensure(3)? || &self.buf[self.pos..self.pos + 3] != b"<v>" {
            return Ok(None);
        }
        // A value is a few bytes: found byte by byte, faster than a search.
        let rest = &self.buf[self.pos + 3..self.end];
        let found = rest.iter().take(32).position(|&c| c == b'<');
        let Some(lt) = found.or_else(|| memchr(b'<', rest)) else {
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

/// The cell tag every spreadsheet program writes, `<c r="AB12" s="3" t="s">` (`s` and `t`
/// optional, in this order, nothing else), read in one pass: the tag and its length. `None`
/// for anything else, however valid, which the general reading above then reads (and
/// refuses or hands to calamine as it always did). The general reading took about 335
/// instructions a cell (the attribute loop, then the reference and the style parsed
/// again); see the module comment of `xlsx_scan` for the measured whole.
#[inline]
fn plain_cell(b: &[u8]) -> Option<(CellTag, usize)> {
    let rest = b.strip_prefix(b"<c r=\"")?;
    let mut i = 0;
    let mut col = 0u32;
    while let Some(&c) = rest.get(i)
        && c.is_ascii_uppercase()
        && i < 3
    {
        col = col * 26 + u32::from(c - b'A' + 1);
        i += 1;
    }
    let (row, n) = digits(&rest[i..])?;
    if i == 0 || rest.get(i + n) != Some(&b'"') {
        return None;
    }
    let pos = (row.checked_sub(1)?, col - 1);
    let mut rest = &rest[i + n + 1..];
    let mut style = None;
    if let Some(s) = rest.strip_prefix(b" s=\"") {
        let (v, n) = digits(s)?;
        if s.get(n) != Some(&b'"') {
            return None;
        }
        style = Some(v);
        rest = &s[n + 1..];
    }
    let mut t = None;
    if let Some(s) = rest.strip_prefix(b" t=\"") {
        // A shared string's `t="s"` (two cells in three) without the general match.
        if let Some(after) = s.strip_prefix(b"s\"") {
            t = Some(Type::Shared);
            rest = after;
        } else {
            let n = s[..s.len().min(10)].iter().position(|&c| c == b'"')?;
            t = cell_type(Some(&s[..n])).ok()?;
            rest = &s[n + 1..];
        }
    }
    let empty = match rest {
        [b'>', ..] => false,
        [b'/', b'>', ..] => true,
        _ => return None,
    };
    let len = b.len() - rest.len() + 1 + usize::from(empty);
    Some((
        CellTag {
            pos: Some(pos),
            style,
            t,
            empty,
            value: None,
        },
        len,
    ))
}

/// A number of 1 to 9 ASCII digits at the start of `b`, and how many digits.
#[inline]
fn digits(b: &[u8]) -> Option<(u32, usize)> {
    let mut n = 0u32;
    let mut i = 0;
    // Over a window of known length: no bounds check or count check at each digit.
    for &c in &b[..b.len().min(10)] {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        n = n.wrapping_mul(10).wrapping_add(u32::from(d));
        i += 1;
    }
    (1..=9).contains(&i).then_some((n, i))
}

/// A cell's body in its common form `<v>…</v></c>` at the start of `b` (bytes already in
/// the buffer): the value's range in `b`, and the body's length.
#[inline]
fn plain_value(b: &[u8]) -> Option<(usize, usize, usize)> {
    let rest = b.strip_prefix(b"<v>")?;
    let lt = rest[..rest.len().min(32)].iter().position(|&c| c == b'<')?;
    if rest.get(lt..lt + 8)? != b"</v></c>" {
        return None;
    }
    Some((3, 3 + lt, 3 + lt + 8))
}

/// One token of the XML.
pub(super) enum Tok {
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

pub(super) struct Xml<R> {
    pub(super) b: Bytes<R>,
}

pub(super) fn local(name: &[u8]) -> &[u8] {
    match memchr(b':', name) {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

impl<R: Read> Xml<R> {
    /// The next token; its ranges stay valid until the next call.
    pub(super) fn next(&mut self) -> Res<Tok> {
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

    pub(super) fn bytes(&self, r: (usize, usize)) -> &[u8] {
        &self.b.buf[r.0..r.1]
    }

    /// The text up to the end tag of the element just opened (`</name>`), entities
    /// resolved; a nested element makes it step aside.
    pub(super) fn text_until_end(&mut self, out: &mut String) -> Res<()> {
        loop {
            match self.next()? {
                Tok::Text(a, z) => unescape(&self.b.buf[a..z], out)?,
                Tok::End(..) => return Ok(()),
                _ => return Err(Scan::Fallback),
            }
        }
    }

    /// Skips to the end of the element just opened, whatever it holds.
    pub(super) fn skip(&mut self) -> Res<()> {
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
    pub(super) fn string(&mut self) -> Res<String> {
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

pub(super) fn trim_end(s: &[u8]) -> &[u8] {
    let n = s
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    &s[..n]
}

/// The raw value of attribute `name` (exact name, prefix included) in a tag's attribute
/// bytes.
pub(super) fn attr<'a>(attrs: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
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
pub(super) fn each_attr<'a>(attrs: &'a [u8], mut f: impl FnMut(&'a [u8], &'a [u8]) -> bool) {
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
pub(super) fn unescape(raw: &[u8], out: &mut String) -> Res<()> {
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
#[inline]
pub(super) fn a1(r: &[u8]) -> Option<(u32, u32)> {
    // The form every cell reference takes (upper-case letters, then at most 9 digits) read
    // in one pass: the general reading below cost 158 instructions a cell.
    let mut col = 0u32;
    let mut i = 0;
    while i < r.len() && i < 4 && r[i].is_ascii_uppercase() {
        col = col * 26 + u32::from(r[i] - b'A' + 1);
        i += 1;
    }
    let digits = &r[i..];
    if (1..=3).contains(&i) && !digits.is_empty() && digits.len() <= 9 {
        let mut row = 0u32;
        let mut all = true;
        for &d in digits {
            all &= d.is_ascii_digit();
            row = row
                .wrapping_mul(10)
                .wrapping_add(u32::from(d.wrapping_sub(b'0')));
        }
        if all {
            return Some((row.checked_sub(1)?, col - 1));
        }
    }
    a1_general(r)
}

#[cold]
#[inline(never)]
fn a1_general(r: &[u8]) -> Option<(u32, u32)> {
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

pub(super) fn number(d: &[u8]) -> Option<u32> {
    if d.is_empty() || d.len() > 9 {
        return None;
    }
    let mut n = 0u32;
    for &b in d {
        let x = b.wrapping_sub(b'0');
        if x > 9 {
            return None;
        }
        n = n * 10 + u32::from(x);
    }
    Some(n)
}
