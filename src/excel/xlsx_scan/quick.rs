//! The byte-level shortcuts for the shapes a sheet repeats — a cell's tag, its value, a
//! row's tag, a cell reference — read straight from [`Bytes`]' buffer without tokenising.
//! Each says `None` (nothing consumed) for any other shape, which the tokeniser in
//! `xml.rs` then reads as it always did.

use std::io::Read;

use memchr::memchr;

use super::xml::{Bytes, number};
use super::{CellTag, Res, Scan, Type, cell_type};

impl<R: Read> Bytes<R> {
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
