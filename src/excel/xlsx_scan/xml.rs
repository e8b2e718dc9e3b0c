//! The XML of a workbook's parts read in chunks, token by token (tags, text); the
//! byte-level shortcuts for the shapes a sheet repeats are in `quick.rs`.

use std::io::Read;

use memchr::{memchr, memmem};

use super::{Res, Scan};

/// The most bytes one token (a tag, or the text between two tags) may span: a cell holds
/// at most 32,767 characters.
pub(super) const MAX_TOKEN: usize = 4 << 20;
pub(super) const CHUNK: usize = 256 << 10;

/// A byte stream read in chunks, looked at token by token.
pub(super) struct Bytes<R> {
    r: R,
    pub(super) buf: Vec<u8>,
    pub(super) pos: usize,
    pub(super) end: usize,
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
