//! Invisible and control characters: one policy for every text a user writes (every YAML
//! scalar and every narrative), applied once, when the text is read, so that the site, the
//! PDFs, the JSON and the CSV all show the same text.
//!
//! - **Stripped**, with a warning at the character: controls (C0 but tab and line feed,
//!   DEL, C1), bidirectional controls (U+200E, U+200F, U+061C, U+202A–U+202E,
//!   U+2066–U+2069: a name can then never reorder the text around it), zero-width and
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

/// Whether any character of `s` is not kept. Fast on Chinese and ASCII text: only a few
/// UTF-8 lead bytes can start such a character.
pub fn needs_work(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().any(|(i, &x)| {
        let suspect = (x < 0x20 && x != b'\t' && x != b'\n')
            || x == 0x7F
            || matches!(x, 0xC2 | 0xD8 | 0xE1 | 0xE2 | 0xE3 | 0xEF | 0xF0..=0xF4);
        suspect
            && s.get(i..)
                .and_then(|t| t.chars().next())
                .is_some_and(|c| treatment(c) != Treatment::Keep)
    })
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
            let s = format!("a{c}b");
            assert_eq!(
                needs_work(&s),
                treatment(c) != Treatment::Keep,
                "U+{cp:04X}"
            );
        }
    }
}
