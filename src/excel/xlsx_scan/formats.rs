//! What every sheet refers to: each cell style's number format (does it show a date?) and
//! the shared strings.

use std::collections::HashMap;
use std::io::Read;

use super::xml::{Bytes, Tok, Xml, attr, number, unescape};
use super::{Format, Res};

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
