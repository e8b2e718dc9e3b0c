//! How one value is written in a record's YAML: plain when YAML reads it back as meant,
//! quoted otherwise (a text that looks like a number, a date, a boolean or YAML syntax).
//!
//! Measured (callgrind, `import --dry-run` of `synth --branches 2000 --years 1` with its template, `RAYON_NUM_THREADS=1`, inclusive): `scalar_str` 181 M → 93 M
//! instructions once a text of ASCII and ideographs was told plain by one table pass
//! ([`plain_syntax`]) and everyday Chinese kept without the cache ([`stays_as_written`]).

use super::record::{Style, Val};
use crate::yaml::ScalarValue;
use crate::yaml::read::classify;

/// Whether YAML could read a plain scalar as anything but text: only a text starting
/// like a number, a boolean or a null can (the test before the exact one, which parses).
pub(super) fn could_be_value(t: &str) -> bool {
    matches!(
        t.as_bytes().first(),
        Some(b'0'..=b'9' | b'+' | b'-' | b'.' | b'~' | b't' | b'T' | b'f' | b'F' | b'n' | b'N')
    ) && !matches!(classify(t, true), ScalarValue::Text(_))
}

/// Bytes [`plain_syntax`] must look at: those of YAML's syntax that matter inside a text
/// (`,[]{}#:`, space, controls), bit 1; and those outside printable ASCII and the UTF-8 of
/// U+4000–U+9FFF (continuation bytes, leads `E4`–`E9`), bit 2.
const LOOK: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let special = matches!(
            c as u8,
            b',' | b'[' | b']' | b'{' | b'}' | b'#' | b':' | b' '
        ) || c < 0x20
            || c == 0x7f;
        let common = matches!(c, 0x20..=0x7e | 0x80..=0xbf | 0xe4..=0xe9);
        t[c] = (special as u8) | ((!common as u8) << 1);
        c += 1;
    }
    t
};

/// Whether a text's characters allow it unquoted in block and flow context, read back as
/// the same characters. A text of ASCII letters, ideographs and harmless punctuation
/// (after its first and last byte are checked) is told by one pass that looks each byte
/// up in [`LOOK`]; any other goes through [`plain_syntax_exact`] too. Most texts of a
/// district's records are such (topics, names): 2,000 branches' records, 95,000 texts,
/// 85 M instructions of `plain_syntax` before (callgrind; the module comment has after).
fn plain_syntax(t: &str) -> bool {
    let mut look = 0;
    for &c in t.as_bytes() {
        look |= LOOK[usize::from(c)];
    }
    if look == 0 {
        return edges_plain(t.as_bytes());
    }
    plain_syntax_exact(t)
}

/// Whether a text's first and last bytes allow it plain (`false` for an empty text).
fn edges_plain(b: &[u8]) -> bool {
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return false;
    };
    !(matches!(
        first,
        b'-' | b'?'
            | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
    ) || last == b':'
        // In a flow list the next character is `,` or `]`, and yaml-rust2 refuses a `-`
        // before one after a space inside a plain scalar (`[ೆ -, x]`): quoted, it stays text.
        || last == b'-')
}

/// [`plain_syntax`] byte by byte (one pass over the bytes; a record writes tens of
/// thousands).
fn plain_syntax_exact(t: &str) -> bool {
    let b = t.as_bytes();
    if !edges_plain(b) {
        return false;
    }
    let mut prev = 0u8;
    for &c in b {
        match c {
            b',' | b'[' | b']' | b'{' | b'}' | 0..=0x1f | 0x7f => return false,
            b'#' if prev == b' ' => return false,
            b' ' if prev == b':' => return false,
            _ => {}
        }
        prev = c;
    }
    // A character the loader strips or turns into a line break (crate::invisible) would
    // change the text, or its type once gone (`1` + zero-width space + `2` is `12`):
    // quoted, it stays text.
    // (Invisible characters are never ASCII: an ASCII text skips the check.)
    t.trim() == t && (t.is_ascii() || stays_as_written(t))
}

/// Whether a text holds no character the loader strips or breaks a line at, remembered per
/// text: `invisible::needs_work` costs about 3,900 instructions on a line of Chinese, and a
/// district's records repeat their texts (meeting topics, names of kinds) tens of
/// thousands of times (callgrind: 0.74 G of an import's 9.7 G on 2,000 branches).
fn stays_as_written(t: &str) -> bool {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static SEEN: RefCell<HashMap<Box<str>, bool>> = RefCell::new(HashMap::new());
    }
    if everyday_chinese(t) {
        return true;
    }
    SEEN.with(|seen| {
        let mut seen = seen.borrow_mut();
        if let Some(&ok) = seen.get(t) {
            return ok;
        }
        let ok = kept_as_written(t);
        // Bounded: long unique texts (names, plans) do not pile up.
        if seen.len() >= 4096 {
            seen.clear();
        }
        seen.insert(t.into(), ok);
        ok
    })
}

/// The full test behind [`stays_as_written`].
fn kept_as_written(t: &str) -> bool {
    !crate::invisible::needs_work(t)
        && !t
            .chars()
            .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}'))
}

/// Whether every character of a text is printable ASCII or one of everyday Chinese
/// writing: ideographs (U+4E00–U+9FFF), CJK punctuation (U+3001–U+303F), full-width forms
/// (U+FF01–U+FF5E), dashes, quotes and dots (U+2010–U+2027). None of them is a control,
/// stripped or turned into a line break, so such a text is [`kept_as_written`] (a
/// proptest checks it), told without the cache's hashing: 95,000 of the values of
/// 2,000 branches' records went there, 42 M instructions (callgrind).
fn everyday_chinese(t: &str) -> bool {
    t.chars().all(|c| {
        matches!(
            c,
            ' '..='~'
                | '\u{2010}'..='\u{2027}'
                | '\u{3001}'..='\u{303F}'
                | '\u{4E00}'..='\u{9FFF}'
                | '\u{FF01}'..='\u{FF5E}'
        )
    })
}

/// Whether a text can be written without quotes and still be read back as that text.
fn safe_plain(t: &str) -> bool {
    plain_syntax(t) && !could_be_value(t)
}

fn quoted(t: &str) -> String {
    let mut s = String::with_capacity(t.len() + 2);
    s.push('"');
    for c in t.chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            '"' => s.push_str("\\\""),
            '\n' => s.push_str("\\n"),
            '\t' => s.push_str("\\t"),
            '\r' => s.push_str("\\r"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                s.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// The YAML of one scalar: a `Plain` value (number, date, boolean, id) as it is when YAML
/// reads it as meant, a `Text` unquoted only when YAML reads it back as that text.
pub fn scalar_text(v: &Val) -> std::borrow::Cow<'_, str> {
    scalar_str(&v.text, v.style)
}

/// A text of ASCII letters and digits with `_`, `.` and `-` inside: plain in block and
/// flow context alike (no indicator, no space, nothing the loader strips), which
/// [`plain_syntax`] would say after looking at each byte against YAML's syntax. Most values
/// of a record are such (dates, counts, ids, kinds): about 350 instructions a value
/// before, 3 a byte this way (callgrind, 2,000 branches' import).
fn simple(t: &str) -> bool {
    let b = t.as_bytes();
    b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last() != Some(&b'-')
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_'))
}

/// [`scalar_text`] of a text and style not (yet) in a [`Val`].
pub fn scalar_str(t: &str, style: Style) -> std::borrow::Cow<'_, str> {
    let plain = match style {
        Style::Plain if simple(t) => true,
        Style::Text if simple(t) => !could_be_value(t),
        Style::Plain => plain_syntax(t) || plain_value(t),
        Style::Text => safe_plain(t),
    };
    if plain {
        std::borrow::Cow::Borrowed(t)
    } else {
        std::borrow::Cow::Owned(quoted(t))
    }
}

/// A plain scalar YAML reads as a number or boolean (`-1`, `true`): safe without quotes.
fn plain_value(t: &str) -> bool {
    !t.contains([',', '[', ']', '{', '}', ' '])
        && matches!(
            classify(t, true),
            ScalarValue::Number(_) | ScalarValue::Bool(_)
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        // The shortcut never says plain where the byte-by-byte test would not.
        #[test]
        fn a_simple_text_is_plain_syntax(t in "[a-zA-Z0-9._ :#,\\-]{0,12}") {
            if simple(&t) {
                proptest::prop_assert!(plain_syntax_exact(&t), "{t}");
            }
        }
    }

    proptest::proptest! {
        // The one-pass test says what the byte-by-byte one says.
        #[test]
        fn plain_syntax_is_told_alike(
            t in "[a-z0-9 :#,\\-\\[\\]{}'\"\t\u{3000}-\u{3010}\u{4000}-\u{4010}\u{9FF0}-\u{A010}\u{FF0C}\u{200B}\u{2028}\u{85}\u{A0}]{0,12}"
        ) {
            proptest::prop_assert_eq!(plain_syntax(&t), plain_syntax_exact(&t), "{:?}", t);
        }

        // Everyday Chinese text never holds a character the loader would change.
        #[test]
        fn everyday_chinese_is_kept_as_written(
            t in "[ -~\u{2000}-\u{2030}\u{3000}-\u{3040}\u{4DF0}-\u{4E10}\u{9FF0}-\u{A010}\u{FEF0}-\u{FFFF}\t\n\u{0}-\u{1F}\u{7F}-\u{A0}]{0,12}"
        ) {
            if everyday_chinese(&t) {
                proptest::prop_assert!(kept_as_written(&t), "{t:?}");
            }
        }
    }

    #[test]
    fn simple_texts() {
        for t in [
            "2026-01-08",
            "committee",
            "48",
            "4.5",
            "done",
            "b000784",
            "a_b",
        ] {
            assert!(simple(t) && plain_syntax(t) && plain_syntax_exact(t), "{t}");
        }
        for t in ["", "-1", "a-", ".5", "_x", "a b", "a:b", "支部", "1,2"] {
            assert!(!simple(t), "{t}");
        }
    }
}
