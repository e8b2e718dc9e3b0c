//! Escaping text for HTML and XML, one implementation for pages, narratives and charts.
//!
//! The search for the bytes to replace is hand-written ([`first_special`]): on the
//! 1,000-branch two-year `build --no-pdf` it took the escaping from 0.32 G to 0.17 G
//! instructions (callgrind, one thread).

/// Hands `emit` the pieces of `s` escaped, in order: the runs without special characters as
/// they are (most text has nothing to escape), and an entity for each special byte. The
/// special characters are ASCII, so every cut is on a character boundary.
fn escaped_pieces<E>(s: &str, mut emit: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
    let bytes = s.as_bytes();
    let mut start = 0;
    while let Some(k) = first_special(&bytes[start..]) {
        let i = start + k;
        emit(&s[start..i])?;
        emit(match bytes[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        })?;
        start = i + 1;
    }
    emit(&s[start..])
}

/// Appends `s` escaped for element content and quoted attribute values. `/` is left alone,
/// so relative paths such as `../` print as written.
pub fn html_into(out: &mut String, s: &str) {
    let _ = escaped_pieces(s, |p| {
        out.push_str(p);
        Ok::<(), std::convert::Infallible>(())
    });
}

/// [`html`] written to `w`, with no copy of the text (Tera prints every `{{ value }}` of
/// every page through here).
pub fn html_write(s: &str, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    escaped_pieces(s, |p| w.write_all(p.as_bytes()))
}

/// Bytes looked at together by [`first_special`]: one SSE2 register.
const LANES: usize = 16;

/// Where the first byte [`escaped_pieces`] replaces is. Every string Tera prints on every
/// page goes through here, most of them a few words long, so no byte is looked at alone
/// unless a special one is near: chunks of [`LANES`] bytes are tested with comparisons the
/// compiler turns into vector instructions, the last partial chunk by testing the string's
/// last [`LANES`] bytes again, and a string of 8 to 15 bytes as two overlapping 64-bit words.
/// Measured (callgrind, 1,000-branch two-year `build --no-pdf`): the byte-by-byte search
/// cost 0.29 G instructions (0.32 G with `html`), this one 0.11 G (0.17 G in all; see
/// docs/performance.md, "The branch pages' escaping, numbers and links").
fn first_special(bytes: &[u8]) -> Option<usize> {
    let n = bytes.len();
    if n < 8 {
        return position(bytes, 0);
    }
    if n < LANES {
        let (head, tail) = (word(&bytes[..8]), word(&bytes[n - 8..]));
        return if word_has_special(head) || word_has_special(tail) {
            position(bytes, 0)
        } else {
            None
        };
    }
    let mut at = 0;
    while at + LANES <= n {
        if chunk_has_special(&bytes[at..at + LANES]) {
            return position(bytes, at);
        }
        at += LANES;
    }
    if at < n && chunk_has_special(&bytes[n - LANES..]) {
        return position(bytes, at);
    }
    None
}

/// The first special byte at or after `from`, byte by byte.
#[inline(always)]
fn position(bytes: &[u8], from: usize) -> Option<usize> {
    bytes[from..]
        .iter()
        .position(|&b| SPECIAL[usize::from(b)])
        .map(|k| from + k)
}

/// Whether one of [`LANES`] bytes is special. Written as a fold of bytes over a fixed-size
/// array: it becomes about twenty vector instructions (a fold of `bool`s does not).
#[inline(always)]
fn chunk_has_special(chunk: &[u8]) -> bool {
    let chunk: &[u8; LANES] = chunk.try_into().unwrap_or(&[0; LANES]);
    chunk
        .iter()
        .map(|&b| u8::from(is_special(b)))
        .fold(0, |any, x| any | x)
        != 0
}

#[inline(always)]
fn word(b: &[u8]) -> u64 {
    u64::from_le_bytes(b.try_into().unwrap_or([0; 8]))
}

/// Whether one of the eight bytes of `w` is special: `<` and `>` differ in one bit, `&` and
/// `'` too, so three tests for a zero byte cover the five.
#[inline(always)]
fn word_has_special(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Nonzero exactly when some byte of `x` is zero.
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let angle = (w & (ONES * 0xFD)) ^ (ONES * u64::from(b'<'));
    let amp = (w & (ONES * 0xFE)) ^ (ONES * u64::from(b'&'));
    let quote = w ^ (ONES * u64::from(b'"'));
    (zero(angle) | zero(amp) | zero(quote)) != 0
}

#[inline(always)]
fn is_special(b: u8) -> bool {
    (b == b'&') | (b == b'<') | (b == b'>') | (b == b'"') | (b == b'\'')
}

/// The bytes [`escaped_pieces`] replaces, as a table: one load per byte of every page's text.
const SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    t[b'&' as usize] = true;
    t[b'<' as usize] = true;
    t[b'>' as usize] = true;
    t[b'"' as usize] = true;
    t[b'\'' as usize] = true;
    t
};

pub fn html(s: &str) -> String {
    // Tera escapes every printed string with this; most have nothing to escape.
    if first_special(s.as_bytes()).is_none() {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 8);
    html_into(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup() {
        assert_eq!(
            super::html("<a href=\"x\">'&'</a> ../"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt; ../"
        );
        assert_eq!(
            super::html("党支部<b>“五好”</b>&"),
            "党支部&lt;b&gt;“五好”&lt;/b&gt;&amp;"
        );
        assert_eq!(super::html(""), "");
        assert_eq!(super::html("无需转义"), "无需转义");
    }

    proptest::proptest! {
        #[test]
        fn escapes_like_replacing_each_character(s in "[a&<>\"'党 \\n/]{0,40}") {
            let naive: String = s
                .chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c => c.to_string(),
                })
                .collect();
            proptest::prop_assert_eq!(super::html(&s), naive.clone());
            let mut w = Vec::new();
            super::html_write(&s, &mut w).unwrap();
            proptest::prop_assert_eq!(String::from_utf8(w).unwrap(), naive);
        }
    }

    #[test]
    fn finds_the_first_special_byte_at_every_place_and_length() {
        // Bytes next to the special ones (`=` between `<` and `>`, `$`, `%`, `(` around `&`
        // and `'`, `!` and `#` around `"`) and Chinese text, whose bytes are all above 0x7F.
        let filler = "=$%(!#;?:党支部ABZ";
        let fill: Vec<char> = filler.chars().collect();
        for len in 0..60 {
            let plain: String = (0..len).map(|k| fill[k % fill.len()]).collect();
            assert_eq!(super::first_special(plain.as_bytes()), None, "{plain:?}");
            for at in 0..plain.chars().count() {
                for special in ['&', '<', '>', '"', '\''] {
                    let s: String = plain
                        .chars()
                        .enumerate()
                        .map(|(k, c)| if k == at { special } else { c })
                        .collect();
                    let naive = s.bytes().position(|b| super::SPECIAL[usize::from(b)]);
                    assert_eq!(super::first_special(s.as_bytes()), naive, "{s:?}");
                }
            }
        }
    }

    #[test]
    fn writing_gives_the_same_text() {
        for s in [
            "",
            "plain",
            "<",
            "a&b<c>d\"e'f",
            "&&&",
            "党支部<b>“五好”</b>&",
            "末尾'",
        ] {
            let mut w = Vec::new();
            super::html_write(s, &mut w).unwrap();
            assert_eq!(String::from_utf8(w).unwrap(), super::html(s), "{s:?}");
        }
    }
}
