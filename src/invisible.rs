//! Invisible and control characters: one policy for every text a user writes (every YAML
//! scalar and every narrative), applied once, when the text is read, so that the site, the
//! PDFs, the JSON and the CSV all show the same text.
//!
//! - **Stripped**, with a warning at the character: controls (C0 but tab and line feed,
//!   DEL, C1), bidirectional controls (U+200E, U+200F, U+061C, U+202A–U+202E,
//!   U+2066–U+2069: a name can then never reorder the text around it; the site also
//!   prints every name inside `<bdi>`, for names in right-to-left scripts), zero-width and
//!   other invisible format characters (U+200B, U+2060–U+2064, U+206A–U+206F, U+FEFF,
//!   U+00AD, U+180E, U+FFF9–U+FFFB, tags U+E0000–U+E007F, …), Hangul fillers and
//!   noncharacters.
//! - **Turned into a line feed**, with a warning: the line and paragraph separators
//!   U+2028, U+2029, NEL (U+0085), vertical tab, form feed and a lone carriage return.
//! - **Kept**: everything else, including the characters that change how their neighbours
//!   are drawn without being drawn themselves — zero-width joiner and non-joiner (emoji
//!   sequences, some scripts), variation selectors (U+FE00–U+FE0F and the ideographic
//!   variation selectors U+E0100–U+E01EF, which pick the glyph of a rare character in a
//!   name), the combining grapheme joiner, Mongolian variation selectors — and every
//!   space. [`not_drawn`] names these for the PDF's font check, which must not report
//!   them as missing from the fonts.
//! - **Compared folded**: keys and ids are compared as a reader sees them ([`fold`]): after
//!   the stripping above, and with full-width ASCII forms (U+FF01–U+FF5E) and the
//!   ideographic space read as their ASCII counterparts. Two keys of one mapping, two ids
//!   of one list or two branch ids of one year that fold alike are duplicates: an error at
//!   the second, naming the first's place. The text itself keeps what was written.

use crate::diagnostics::{Diagnostic, Pos};

/// What the policy does with a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Treatment {
    Keep,
    Strip,
    LineBreak,
}

/// The treatment of `c`.
pub fn treatment(c: char) -> Treatment {
    match c {
        '\t' | '\n' => Treatment::Keep,
        '\u{B}' | '\u{C}' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => Treatment::LineBreak,
        '\0'..='\u{1F}' | '\u{7F}'..='\u{9F}' => Treatment::Strip,
        '\u{AD}'
        | '\u{61C}'
        | '\u{115F}'
        | '\u{1160}'
        | '\u{180E}'
        | '\u{200B}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{3164}'
        | '\u{FDD0}'..='\u{FDEF}'
        | '\u{FEFF}'
        | '\u{FFA0}'
        | '\u{FFF9}'..='\u{FFFB}'
        | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E007F}' => Treatment::Strip,
        c if (c as u32) & 0xFFFE == 0xFFFE => Treatment::Strip,
        _ => Treatment::Keep,
    }
}

/// Characters that are laid out or change their neighbours but are never drawn as glyphs
/// of their own: no font needs to hold them.
pub fn not_drawn(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200C}'
                | '\u{200D}'
                | '\u{34F}'
                | '\u{180B}'..='\u{180D}'
                | '\u{180F}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{E0100}'..='\u{E01EF}'
        )
}

/// Characters a reader cannot see at all: what the policy strips or turns into line
/// breaks, the kept invisible ones and white space (used where a text is compared as
/// seen, e.g. a link's scheme).
pub fn invisible(c: char) -> bool {
    treatment(c) != Treatment::Keep || not_drawn(c)
}

/// Whether any character of `s` is not kept. Every file read is checked, so this works on
/// blocks of 64 bytes with loops that vectorise: a cheap test of each byte and the next
/// (true for every UTF-8 form of such a character below U+10000, and for the common
/// curly quotes too), then, only in a block where it fired, the exact test of each byte
/// and the two after it. A four-byte character (emoji, Extension B) or a hit sends the
/// text to the exact check character by character.
pub fn needs_work(s: &str) -> bool {
    const BLOCK: usize = 64;
    let b = s.as_bytes();
    let n = b.len();
    let mut start = 0;
    while start + BLOCK + 2 <= n {
        let end = start + BLOCK;
        let (xs, ys, zs) = (
            &b[start..end],
            &b[start + 1..end + 1],
            &b[start + 2..end + 2],
        );
        let mut cheap = 0u8;
        for i in 0..BLOCK {
            cheap |= u8::from(lead(xs[i], ys[i]));
        }
        if cheap != 0 {
            let mut exact = 0u8;
            for i in 0..BLOCK {
                exact |= u8::from(lead(xs[i], ys[i]) & third(xs[i], ys[i], zs[i]));
            }
            if exact != 0 {
                return s.chars().any(|c| treatment(c) != Treatment::Keep);
            }
        }
        start = end;
    }
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    (start..n).any(|i| lead(b[i], at(i + 1)) & third(b[i], at(i + 1), at(i + 2)))
        && s.chars().any(|c| treatment(c) != Treatment::Keep)
}

/// `s` as a reader compares it: full-width ASCII forms and the ideographic space as their
/// ASCII counterparts (the stripping is done when a text is read). Borrowed when nothing
/// folds, as for nearly every key.
pub fn fold(s: &str) -> std::borrow::Cow<'_, str> {
    let folds = |c: char| matches!(c, '\u{FF01}'..='\u{FF5E}' | '\u{3000}');
    if !s.chars().any(folds) {
        return std::borrow::Cow::Borrowed(s);
    }
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// Whether any character of `text` may fold ([`fold`]): a full-width form or the
/// ideographic space (UTF-8 EF BC xx, EF BD xx, E3 80 80).
pub fn may_fold(text: &str) -> bool {
    text.as_bytes()
        .windows(2)
        .any(|w| (w[0] == 0xEF && (w[1] == 0xBC || w[1] == 0xBD)) || (w[0] == 0xE3 && w[1] == 0x80))
}

/// The first two bytes of a character that may not be kept (see [`needs_work`]).
fn lead(x: u8, y: u8) -> bool {
    ((x < 0x20) & (x != b'\t') & (x != b'\n'))
        | (x == 0x7F)
        // C1 controls, soft hyphen
        | ((x == 0xC2) & ((y < 0xA0) | (y == 0xAD)))
        // U+061C
        | ((x == 0xD8) & (y == 0x9C))
        // U+115F, U+1160, U+180E
        | ((x == 0xE1) & ((y == 0x85) | (y == 0xA0)))
        // U+2000–U+207F
        | ((x == 0xE2) & ((y == 0x80) | (y == 0x81)))
        // U+3164
        | ((x == 0xE3) & (y == 0x85))
        // U+FDC0–U+FDFF, U+FEC0–U+FEFF, U+FF80–U+FFFF
        | ((x == 0xEF) & ((y == 0xB7) | (y == 0xBB) | (y == 0xBE) | (y == 0xBF)))
        | (x >= 0xF0)
}

/// Given [`lead`], whether the third byte completes a character that may not be kept.
fn third(x: u8, y: u8, z: u8) -> bool {
    let r = |v: u8, lo: u8, hi: u8| (v >= lo) & (v <= hi);
    let three = |v: u8| (0xE0..0xF0).contains(&v);
    !three(x)
        | ((x == 0xE1)
            & (((y == 0x85) & ((z == 0x9F) | (z == 0xA0))) | ((y == 0xA0) & (z == 0x8E))))
        | ((x == 0xE2)
            & (((y == 0x80) & ((z == 0x8B) | (z == 0x8E) | (z == 0x8F) | r(z, 0xA8, 0xAE)))
                | ((y == 0x81) & r(z, 0xA0, 0xAF))))
        | ((x == 0xE3) & (z == 0xA4))
        | ((x == 0xEF)
            & (((y == 0xB7) & r(z, 0x90, 0xAF))
                | ((y == 0xBB) & (z == 0xBF))
                | ((y == 0xBE) & (z == 0xA0))
                | ((y == 0xBF) & (r(z, 0xB9, 0xBB) | (z >= 0xBE)))))
}

/// One character the policy changed: its byte offset in the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub byte: usize,
    pub c: char,
    pub treatment: Treatment,
}

/// `s` under the policy and what changed; `None` when nothing did.
pub fn normalise(s: &str) -> Option<(String, Vec<Change>)> {
    if !needs_work(s) {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let mut changes = Vec::new();
    for (byte, c) in s.char_indices() {
        match treatment(c) {
            Treatment::Keep => out.push(c),
            t => {
                // CR LF is one line end (a file's own are already LF).
                if !(c == '\r' && s[byte + 1..].starts_with('\n')) && t == Treatment::LineBreak {
                    out.push('\n');
                }
                changes.push(Change {
                    byte,
                    c,
                    treatment: t,
                });
            }
        }
    }
    Some((out, changes))
}

/// What a changed character is, in words a user recognises.
pub fn describe(c: char) -> &'static str {
    match c {
        '\u{200B}' => "零宽空格",
        '\u{FEFF}' => "字节顺序标记（BOM）",
        '\u{2060}' => "零宽不换行符",
        '\u{AD}' => "软连字符",
        '\u{2028}' => "行分隔符",
        '\u{2029}' => "段落分隔符",
        '\u{85}' => "下一行控制符",
        '\u{B}' | '\u{C}' => "换页或垂直制表符",
        '\r' => "回车符",
        '\u{200E}' | '\u{200F}' | '\u{61C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
            "双向文字控制符"
        }
        c if c.is_control() => "控制字符",
        _ => "不可见字符",
    }
}

/// The warning for one change, in Chinese.
pub fn message(change: &Change) -> String {
    let what = describe(change.c);
    let code = format!("U+{:04X}", change.c as u32);
    match change.treatment {
        Treatment::LineBreak => format!("{what}（{code}）已换成换行"),
        _ => format!("不可见的{what}（{code}）已删除"),
    }
}

/// A whole text file (a narrative) under the policy, with a warning at each changed
/// character (at most [`MAX_WARNINGS`], then one more with the count).
pub fn normalise_file(text: String, path: &str, diags: &mut Vec<Diagnostic>) -> String {
    let Some((clean, changes)) = normalise(&text) else {
        return text;
    };
    // Positions are counted in one pass, not from the start for each change.
    let mut pos = Pos::START;
    let mut from = 0;
    for ch in changes.iter().take(MAX_WARNINGS) {
        let seg = &text[from..ch.byte];
        match seg.rfind('\n') {
            Some(nl) => {
                pos.line += seg.matches('\n').count();
                pos.col = seg[nl + 1..].chars().count() + 1;
            }
            None => pos.col += seg.chars().count(),
        }
        from = ch.byte;
        diags.push(Diagnostic::warning(path, pos, message(ch)));
    }
    if changes.len() > MAX_WARNINGS {
        diags.push(Diagnostic::warning(
            path,
            Pos::START,
            format!(
                "另有 {} 处不可见字符或控制字符已按同样的规则处理",
                changes.len() - MAX_WARNINGS
            ),
        ));
    }
    clean
}

/// At most this many warnings per file: one pasted text can hold thousands of them.
pub const MAX_WARNINGS: usize = 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy() {
        for c in [
            '\u{200B}',
            '\u{FEFF}',
            '\u{202E}',
            '\u{2066}',
            '\u{200F}',
            '\0',
            '\u{7}',
            '\u{9F}',
            '\u{E0041}',
            '\u{FFFF}',
            '\u{AD}',
        ] {
            assert_eq!(treatment(c), Treatment::Strip, "U+{:04X}", c as u32);
        }
        for c in ['\u{2028}', '\u{2029}', '\u{85}', '\r', '\u{C}'] {
            assert_eq!(treatment(c), Treatment::LineBreak, "U+{:04X}", c as u32);
        }
        for c in [
            '党',
            '𠀾',
            '🎉',
            '\u{200D}',
            '\u{FE0F}',
            '\u{E0100}',
            '\t',
            '\n',
            ' ',
            '\u{3000}',
            'é',
        ] {
            assert_eq!(treatment(c), Treatment::Keep, "U+{:04X}", c as u32);
        }
        assert!(not_drawn('\u{200D}') && not_drawn('\u{E0101}') && not_drawn('\u{3000}'));
        assert!(!not_drawn('党'));
    }

    #[test]
    fn keys_fold_as_a_reader_sees_them() {
        assert_eq!(fold("cun"), "cun");
        assert!(matches!(fold("桥头村"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(fold("ｃｕｎ＿１"), "cun_1");
        assert_eq!(fold("a\u{3000}b"), "a b");
        assert_eq!(fold("～！"), "~!");
        assert!(may_fold("ｃ") && may_fold("a\u{3000}") && may_fold("，"));
        assert!(!may_fold("桥头村 cun"));
    }

    #[test]
    fn normalises_and_says_where() {
        assert_eq!(normalise("桥一居民区党支部 ABC 🎉"), None);
        let (s, ch) = normalise("桥\u{200B}一\u{202E}居民区\u{2028}x").unwrap();
        assert_eq!(s, "桥一居民区\nx");
        assert_eq!(
            ch.iter().map(|c| (c.byte, c.c)).collect::<Vec<_>>(),
            vec![(3, '\u{200B}'), (9, '\u{202E}'), (21, '\u{2028}')]
        );
        assert_eq!(normalise("a\r\nb").unwrap().0, "a\nb");
        assert_eq!(normalise("a\rb").unwrap().0, "a\nb");
        assert!(message(&ch[1]).contains("U+202E"));
    }

    #[test]
    fn a_file_is_warned_about_at_each_character() {
        let mut d = Vec::new();
        let text = "# 标题\n\n桥\u{200B}一\u{202E}居民区\n第三行\u{2028}末尾\n".to_string();
        let clean = normalise_file(text, "a.md", &mut d);
        assert_eq!(clean, "# 标题\n\n桥一居民区\n第三行\n末尾\n");
        let at: Vec<(usize, usize)> = d.iter().map(|d| (d.pos.line, d.pos.col)).collect();
        assert_eq!(at, vec![(3, 2), (3, 4), (4, 4)]);
        let mut d = Vec::new();
        normalise_file("\u{200B}".repeat(30), "a.md", &mut d);
        assert_eq!(d.len(), MAX_WARNINGS + 1);
        assert_eq!(d[19].pos, Pos::new(1, 20));
    }

    #[test]
    fn the_fast_check_agrees_with_the_policy() {
        for cp in (0..0x3_0000u32)
            .chain(0xE_0000..0xE_0200)
            .chain([0x10_FFFF])
        {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            // Inside a text, at its end, alone, and across a 64-byte block's end.
            let tail = "中".repeat(30);
            let long = [61, 62, 63].map(|k| format!("{}{c}{tail}", "a".repeat(k)));
            for s in [format!("a{c}b"), format!("ab{c}"), c.to_string()]
                .iter()
                .chain(&long)
            {
                assert_eq!(
                    needs_work(s),
                    treatment(c) != Treatment::Keep,
                    "U+{cp:04X} in {s:?}"
                );
            }
        }
    }
}
