//! Markdown → Typst markup, for branch narratives in the PDF booklets.
//!
//! The output is Typst *markup* meant to be evaluated with
//! `eval(text, mode: "markup")` (or written to a `.typ` file and `#include`d).
//! It is safe for any input:
//!
//! * every ASCII punctuation character of user text is backslash-escaped
//!   (Typst reads `\` + any non-space character as that character), so no
//!   input can start code (`#`), math (`$`), a label (`<…>`), a reference (`@`),
//!   a comment (`//`), a heading (`=`), a list (`-`, `+`, `1.`), emphasis
//!   (`*`, `_`), raw text (`` ` ``), a content block (`[`, `]`), an auto-link
//!   (`http://`) or a shorthand (`--`, `...`, `~`, smart quotes);
//! * control characters and the characters Typst treats as line breaks
//!   (U+0085, U+2028, U+2029, VT, FF) are written as `\u{…}` escapes;
//! * code, URLs and code-block languages are written as Typst *string
//!   literals* with `\\`, `\"`, `\n`, `\r`, `\t` and `\u{…}` escapes;
//! * structure is emitted only through a fixed set of standard-library calls:
//!   `heading`, `strong`, `emph`, `strike`, `super`, `sub`, `list`, `enum`,
//!   `quote`, `raw`, `link`, `table`, `line`, `linebreak`, `footnote`.
//!
//! Chinese details: a soft line break between two East-Asian wide characters
//! (Han, kana, CJK and full-width punctuation) is dropped, as CSS does, so
//! `中文\n段落` stays `中文段落`; between anything else it is a space.
//! Emphasis is emitted as `#strong[…]`/`#emph[…]` calls, never as `*`/`_`
//! markup, so it works between Han characters (`变*强调*量`).
//!
//! Images cannot be assumed to exist in the PDF build: an image becomes its
//! alt text between `〔图：` and `〕`. Raw HTML is shown as literal text.

use pulldown_cmark::{
    Alignment, CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use std::collections::HashMap;
use std::fmt::Write as _;

use crate::links;

/// Parser options used for narratives: CommonMark + GFM tables,
/// strikethrough and footnotes. The HTML renderer should use the same set
/// so that both outputs agree.
pub fn parser_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES
}

/// Converts Markdown to Typst markup, keeping heading levels (`#` → depth 1).
/// Headings are emitted as `#heading(depth: n)`, so a template's
/// `set heading(offset: k)` pushes them below the document's own headings
/// (level = offset + depth); [`markdown_to_typst_with`] shifts them in the
/// markup instead.
pub fn markdown_to_typst(md: &str) -> String {
    markdown_to_typst_with(md, 0)
}

/// Like [`markdown_to_typst`], adding `heading_offset` to every heading
/// depth (`#` becomes depth `1 + heading_offset`).
pub fn markdown_to_typst_with(md: &str, heading_offset: u8) -> String {
    let events: Vec<Event<'_>> = Parser::new_ext(md, parser_options()).collect();
    let (body, footnotes) = split_footnotes(events);
    let mut w = Writer {
        out: String::with_capacity(md.len() * 2),
        footnotes: &footnotes,
        footnote_depth: 0,
        heading_offset: usize::from(heading_offset),
        last_char: None,
    };
    w.render(&body);
    let trimmed = w.out.trim_end().len();
    w.out.truncate(trimmed);
    if !w.out.is_empty() {
        w.out.push('\n');
    }
    w.out
}

type Footnotes<'a> = HashMap<String, Vec<Event<'a>>>;

/// Takes footnote definitions out of the event stream; they are rendered
/// where they are referenced (`#footnote[…]`).
fn split_footnotes(events: Vec<Event<'_>>) -> (Vec<Event<'_>>, Footnotes<'_>) {
    let mut body = Vec::with_capacity(events.len());
    let mut notes: Footnotes<'_> = HashMap::new();
    let mut current: Option<(String, Vec<Event<'_>>, usize)> = None;
    for ev in events {
        if let Some((_, buf, depth)) = current.as_mut() {
            match &ev {
                Event::Start(Tag::FootnoteDefinition(_)) => *depth += 1,
                Event::End(TagEnd::FootnoteDefinition) => {
                    if *depth == 0 {
                        let (label, buf, _) = current.take().expect("inside a definition");
                        notes.entry(label).or_insert(buf);
                        continue;
                    }
                    *depth -= 1;
                }
                _ => {}
            }
            buf.push(ev);
            continue;
        }
        match ev {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                current = Some((label.to_string(), Vec::new(), 0));
            }
            other => body.push(other),
        }
    }
    (body, notes)
}

struct Writer<'f, 'a> {
    out: String,
    footnotes: &'f Footnotes<'a>,
    footnote_depth: usize,
    heading_offset: usize,
    /// Last character of user text written, for the soft-break rule.
    last_char: Option<char>,
}

impl Writer<'_, '_> {
    fn render(&mut self, events: &[Event<'_>]) {
        let mut i = 0;
        while i < events.len() {
            i = self.event(events, i);
        }
    }

    /// Handles `events[i]` and returns the index of the next event to handle.
    fn event(&mut self, events: &[Event<'_>], i: usize) -> usize {
        match &events[i] {
            Event::Start(tag) => return self.start(tag, events, i),
            Event::End(tag) => self.end(*tag),
            Event::Text(t) => self.text(t),
            Event::Code(c) => {
                self.out.push_str("#raw(");
                push_string_literal(&mut self.out, c);
                self.out.push(')');
                self.last_char = c.chars().last();
            }
            Event::InlineMath(m) => self.text(m),
            Event::DisplayMath(m) => {
                self.block_start();
                self.text(m);
                self.out.push_str("\n\n");
            }
            Event::Html(h) | Event::InlineHtml(h) => self.html_text(h),
            Event::FootnoteReference(label) => self.footnote(label),
            Event::SoftBreak => {
                let next = next_text_char(events, i + 1);
                match (self.last_char, next) {
                    (Some(a), Some(b)) if soft_break_joins(a, b) => {}
                    _ => self.out.push(' '),
                }
            }
            Event::HardBreak => {
                self.out.push_str("#linebreak()");
                self.last_char = None;
            }
            Event::Rule => {
                self.block_start();
                self.out.push_str("#line(length: 100%)\n\n");
            }
            Event::TaskListMarker(done) => {
                self.out.push_str(if *done { "■ " } else { "□ " });
            }
        }
        i + 1
    }

    fn start(&mut self, tag: &Tag<'_>, events: &[Event<'_>], i: usize) -> usize {
        match tag {
            Tag::Paragraph => self.block_start(),
            Tag::Heading { level, .. } => {
                self.block_start();
                let level = heading_level(*level) + self.heading_offset;
                let _ = write!(self.out, "#heading(depth: {level})[");
            }
            Tag::BlockQuote(_) => {
                self.block_start();
                self.out.push_str("#quote(block: true)[\n");
            }
            Tag::CodeBlock(kind) => return self.code_block(kind, events, i),
            Tag::HtmlBlock => return self.html_block(events, i),
            Tag::List(start) => {
                self.block_start();
                let tight = list_is_tight(events, i);
                match start {
                    Some(n) => {
                        let _ = writeln!(self.out, "#enum(start: {n}, tight: {tight},");
                    }
                    None => {
                        let _ = writeln!(self.out, "#list(tight: {tight},");
                    }
                }
            }
            Tag::Item => {
                self.out.push('[');
                self.last_char = None;
            }
            Tag::FootnoteDefinition(_) => {
                // Only reachable for definitions nested in unusual places;
                // render them inline as a paragraph.
                self.block_start();
            }
            Tag::DefinitionList => self.block_start(),
            Tag::DefinitionListTitle => {
                self.block_start();
                self.out.push_str("#strong[");
            }
            Tag::DefinitionListDefinition => {
                self.block_start();
                self.out.push_str("#pad(left: 2em)[");
            }
            Tag::Table(aligns) => return self.table(aligns, events, i),
            Tag::TableHead | Tag::TableRow | Tag::TableCell => {
                // Handled by `table`.
            }
            Tag::Emphasis => self.out.push_str("#emph["),
            Tag::Strong => self.out.push_str("#strong["),
            Tag::Strikethrough => self.out.push_str("#strike["),
            Tag::Superscript => self.out.push_str("#super["),
            Tag::Subscript => self.out.push_str("#sub["),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                // Only what may be an active link on the site becomes one in the PDF
                // (`links::classify`); anything else keeps its text, unlinked.
                match links::classify(dest_url, *link_type == LinkType::Email) {
                    links::Link::External(url) => {
                        self.out.push_str("#link(");
                        push_string_literal(&mut self.out, &url);
                        self.out.push_str(")[");
                    }
                    _ => self.out.push_str("#box["),
                }
            }
            Tag::Image { .. } => {
                self.out.push_str("#box[〔图：");
                self.last_char = Some('：');
            }
            Tag::MetadataBlock(_) => {
                // Not enabled by `parser_options`; skip the whole block.
                return skip_to_end(events, i);
            }
        }
        i + 1
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.out.push_str("\n\n"),
            TagEnd::Heading(_) => self.out.push_str("]\n\n"),
            TagEnd::BlockQuote(_) => self.out.push_str("]\n\n"),
            TagEnd::List(_) => self.out.push_str(")\n\n"),
            TagEnd::Item => {
                trim_trailing_newlines(&mut self.out);
                self.out.push_str("],\n");
            }
            TagEnd::DefinitionListTitle | TagEnd::DefinitionListDefinition => {
                trim_trailing_newlines(&mut self.out);
                self.out.push_str("]\n\n");
            }
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link => self.out.push(']'),
            TagEnd::Image => {
                self.out.push_str("〕]");
                self.last_char = Some('〕');
            }
            TagEnd::FootnoteDefinition | TagEnd::DefinitionList => self.out.push_str("\n\n"),
            TagEnd::CodeBlock
            | TagEnd::HtmlBlock
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::TableCell
            | TagEnd::MetadataBlock(_) => {}
        }
    }

    /// Separates a new block from inline content written before it.
    fn block_start(&mut self) {
        if !(self.out.is_empty() || self.out.ends_with('\n') || self.out.ends_with('[')) {
            self.out.push_str("\n\n");
        }
        self.last_char = None;
    }

    fn text(&mut self, t: &str) {
        push_escaped(&mut self.out, t);
        if let Some(c) = t.chars().last() {
            self.last_char = Some(c);
        }
    }

    /// Raw HTML is never interpreted: it is shown as the text it is.
    fn html_text(&mut self, h: &str) {
        let mut lines = h.split('\n').peekable();
        while let Some(line) = lines.next() {
            self.text(line.trim_end_matches('\r'));
            if lines.peek().is_some_and(|l| !l.is_empty()) {
                self.out.push_str("#linebreak()");
            }
        }
    }

    fn html_block(&mut self, events: &[Event<'_>], i: usize) -> usize {
        self.block_start();
        let mut j = i + 1;
        let mut html = String::new();
        while j < events.len() {
            match &events[j] {
                Event::End(TagEnd::HtmlBlock) => break,
                Event::Html(h) | Event::Text(h) | Event::InlineHtml(h) => html.push_str(h),
                _ => {}
            }
            j += 1;
        }
        let html = html.trim_end_matches(['\n', '\r']);
        if !html.trim().is_empty() {
            self.html_text(html);
            self.out.push_str("\n\n");
        }
        j + 1
    }

    fn code_block(&mut self, kind: &CodeBlockKind<'_>, events: &[Event<'_>], i: usize) -> usize {
        self.block_start();
        let mut j = i + 1;
        let mut code = String::new();
        while j < events.len() {
            match &events[j] {
                Event::End(TagEnd::CodeBlock) => break,
                Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) | Event::Code(t) => {
                    code.push_str(t)
                }
                _ => {}
            }
            j += 1;
        }
        if code.ends_with('\n') {
            code.pop();
        }
        self.out.push_str("#raw(block: true, ");
        if let CodeBlockKind::Fenced(info) = kind {
            let lang: String = info
                .split_whitespace()
                .next()
                .unwrap_or("")
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '.' | '#'))
                .take(32)
                .collect();
            if !lang.is_empty() {
                self.out.push_str("lang: ");
                push_string_literal(&mut self.out, &lang);
                self.out.push_str(", ");
            }
        }
        push_string_literal(&mut self.out, &code);
        self.out.push_str(")\n\n");
        j + 1
    }

    fn table(&mut self, aligns: &[Alignment], events: &[Event<'_>], i: usize) -> usize {
        self.block_start();
        let columns = aligns.len().max(1);
        let _ = write!(self.out, "#table(columns: {columns}, align: (");
        for a in aligns {
            self.out.push_str(match a {
                Alignment::None | Alignment::Left => "left, ",
                Alignment::Center => "center, ",
                Alignment::Right => "right, ",
            });
        }
        self.out.push_str("),\n");
        let mut j = i + 1;
        let mut cells_in_row = 0usize;
        while j < events.len() {
            match &events[j] {
                Event::End(TagEnd::Table) => break,
                Event::Start(Tag::TableHead) => {
                    cells_in_row = 0;
                    self.out.push_str("table.header(");
                }
                Event::End(TagEnd::TableHead) => {
                    self.pad_row(cells_in_row, columns);
                    self.out.push_str("),\n");
                }
                Event::Start(Tag::TableRow) => cells_in_row = 0,
                Event::End(TagEnd::TableRow) => {
                    self.pad_row(cells_in_row, columns);
                    self.out.push('\n');
                }
                Event::Start(Tag::TableCell) => {
                    if cells_in_row >= columns {
                        // Extra cells are dropped by GFM; never emit more
                        // cells than columns.
                        j = skip_to_end(events, j);
                        continue;
                    }
                    cells_in_row += 1;
                    self.out.push('[');
                    self.last_char = None;
                }
                Event::End(TagEnd::TableCell) => self.out.push_str("], "),
                _ => {
                    j = self.event(events, j);
                    continue;
                }
            }
            j += 1;
        }
        self.out.push_str(")\n\n");
        j + 1
    }

    fn pad_row(&mut self, cells: usize, columns: usize) {
        for _ in cells..columns {
            self.out.push_str("[], ");
        }
    }

    fn footnote(&mut self, label: &str) {
        let note = self.footnotes.get(label);
        match note {
            Some(events) if self.footnote_depth == 0 => {
                self.footnote_depth += 1;
                self.out.push_str("#footnote[");
                let saved = self.last_char;
                self.render(events);
                trim_trailing_newlines(&mut self.out);
                self.out.push(']');
                self.last_char = saved;
                self.footnote_depth -= 1;
            }
            _ => {
                self.text("[^");
                self.text(label);
                self.text("]");
            }
        }
    }
}

fn trim_trailing_newlines(out: &mut String) {
    let len = out.trim_end_matches('\n').len();
    out.truncate(len);
}

fn heading_level(level: HeadingLevel) -> usize {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Index just past the `End` matching the `Start` at `i`.
fn skip_to_end(events: &[Event<'_>], i: usize) -> usize {
    let mut depth = 0usize;
    let mut j = i;
    while j < events.len() {
        match &events[j] {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            _ => {}
        }
        j += 1;
    }
    j
}

/// A list is loose when any of its own items holds a paragraph.
fn list_is_tight(events: &[Event<'_>], i: usize) -> bool {
    let mut depth = 0usize;
    for ev in &events[i..] {
        match ev {
            Event::Start(tag) => {
                // depth 1 = the list, 2 = an item, 3 = a direct child of an item
                depth += 1;
                if depth == 3 && matches!(tag, Tag::Paragraph) {
                    return false;
                }
            }
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
    }
    true
}

/// First character of the text that follows a soft break, looking through
/// inline tags (`*`, `**`, links …) only.
fn next_text_char(events: &[Event<'_>], from: usize) -> Option<char> {
    for ev in &events[from..] {
        match ev {
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) | Event::InlineMath(t) => {
                if let Some(c) = t.chars().next() {
                    return Some(c);
                }
            }
            Event::Start(
                Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. },
            )
            | Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link,
            ) => {}
            _ => return None,
        }
    }
    None
}

/// East-Asian wide characters: Han (all extensions), kana, bopomofo, CJK
/// symbols and punctuation, full-width forms. Hangul is not included: Korean
/// separates words with spaces.
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FFF // CJK radicals, Kangxi radicals, ideographic description
        | 0x3000..=0x303F // CJK symbols and punctuation
        | 0x3040..=0x30FF // Hiragana, Katakana
        | 0x3100..=0x312F // Bopomofo
        | 0x3190..=0x31FF // Kanbun, Bopomofo ext., CJK strokes, Katakana ext.
        | 0x3200..=0x33FF // enclosed CJK, CJK compatibility
        | 0x3400..=0x4DBF // Extension A
        | 0x4E00..=0x9FFF // Unified Ideographs
        | 0xF900..=0xFAFF // Compatibility Ideographs
        | 0xFE30..=0xFE4F // CJK compatibility forms
        | 0xFF01..=0xFF60 // full-width forms
        | 0xFFE0..=0xFFE6 // full-width signs
        | 0x20000..=0x3FFFF // Extensions B–H, compatibility supplement
    )
}

/// Punctuation of "ambiguous" width that Chinese text uses as full-width:
/// curly quotes, dashes, the ellipsis and the middle dot.
fn is_cjk_ambiguous(c: char) -> bool {
    matches!(
        c,
        '\u{2018}'
            | '\u{2019}'
            | '\u{201C}'
            | '\u{201D}'
            | '\u{2014}'
            | '\u{2015}'
            | '\u{2026}'
            | '\u{00B7}'
    )
}

/// Whether a soft line break between `a` and `b` disappears (CSS Text 3
/// segment-break rule, extended to the ambiguous punctuation Chinese uses):
/// `中文\n段落` and `，\n“引文”` join; `English\nwords` and `中文\nEnglish` get
/// a space.
pub fn soft_break_joins(a: char, b: char) -> bool {
    let wa = is_wide(a);
    let wb = is_wide(b);
    (wa || is_cjk_ambiguous(a)) && (wb || is_cjk_ambiguous(b)) && (wa || wb)
}

/// Characters Typst's lexer treats as a line break (besides `\n`, `\r`).
fn is_typst_newline(c: char) -> bool {
    matches!(c, '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Writes user text as Typst markup that shows exactly that text.
/// Control characters have no glyph (a box on paper, and a refused PDF/A):
/// they are dropped; line and paragraph separators become spaces.
pub fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_typst_newline(c) => out.push(' '),
            c if c.is_control() => {}
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
}

/// Writes `s` as a Typst string literal (with the quotes). Line separators
/// become `\n`; other control characters except tab are dropped.
pub fn push_string_literal(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_typst_newline(c) => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(md: &str) -> String {
        markdown_to_typst(md)
    }

    #[test]
    fn escapes_every_ascii_punctuation() {
        let all: String = (0x21u8..0x7f)
            .map(char::from)
            .filter(|c| c.is_ascii_punctuation())
            .collect();
        let mut out = String::new();
        push_escaped(&mut out, &all);
        for (i, c) in out.chars().enumerate() {
            if i % 2 == 0 {
                assert_eq!(c, '\\');
            }
        }
        assert_eq!(out.chars().count(), all.chars().count() * 2);
    }

    #[test]
    fn typst_syntax_in_text_is_literal() {
        let out = t("变量_名 #let x = 1 $a$ @ref <label> // 注释 http://x.cn \\ 反斜杠");
        assert_eq!(
            out,
            "变量\\_名 \\#let x \\= 1 \\$a\\$ \\@ref \\<label\\> \\/\\/ 注释 http\\:\\/\\/x\\.cn \\\\ 反斜杠\n"
        );
    }

    #[test]
    fn emphasis_between_han_characters() {
        assert_eq!(t("变**强调**量"), "变#strong[强调]量\n");
        assert_eq!(t("这是*重点*内容"), "这是#emph[重点]内容\n");
        assert_eq!(t("~~删除~~"), "#strike[删除]\n");
    }

    #[test]
    fn soft_break_between_han_is_dropped() {
        assert_eq!(t("第一行\n第二行"), "第一行第二行\n");
        assert_eq!(t("句号。\n下一句"), "句号。下一句\n");
        assert_eq!(t("first\nsecond"), "first second\n");
        assert_eq!(t("中文\nEnglish"), "中文 English\n");
        assert_eq!(t("中文\n**加粗**"), "中文#strong[加粗]\n");
        assert_eq!(t("次，\n“三会一课”\n台账"), "次，“三会一课”台账\n");
        assert_eq!(t("say\n“hi”"), "say “hi”\n");
        assert_eq!(t("한국어\n문장"), "한국어 문장\n");
    }

    #[test]
    fn line_starts_are_not_markup() {
        // Lines that would be Typst markup at a line start.
        let out = t("\\= 不是标题\n\n\\- 不是列表\n\n\\+ 不是编号\n\n1\\. 不是编号");
        assert!(out.contains("\\= 不是标题"));
        assert!(out.contains("\\- 不是列表"));
        assert!(out.contains("\\+ 不是编号"));
        assert!(out.contains("1\\. 不是编号"));
    }

    #[test]
    fn headings_lists_and_quotes() {
        assert_eq!(t("# 标题"), "#heading(depth: 1)[标题]\n");
        assert_eq!(
            markdown_to_typst_with("## 标题", 2),
            "#heading(depth: 4)[标题]\n"
        );
        assert_eq!(t("- 甲\n- 乙"), "#list(tight: true,\n[甲],\n[乙],\n)\n");
        assert_eq!(
            t("3. 丙\n4. 丁"),
            "#enum(start: 3, tight: true,\n[丙],\n[丁],\n)\n"
        );
        assert_eq!(t("- 甲\n\n- 乙"), "#list(tight: false,\n[甲],\n[乙],\n)\n");
        assert_eq!(
            t("- 甲\n  - 子\n- 乙"),
            "#list(tight: true,\n[甲\n\n#list(tight: true,\n[子],\n)],\n[乙],\n)\n"
        );
        assert_eq!(t("> 引用"), "#quote(block: true)[\n引用\n\n]\n");
    }

    #[test]
    fn code_links_images() {
        assert_eq!(t("`a\"b\\c`"), "#raw(\"a\\\"b\\\\c\")\n");
        assert_eq!(
            t("```rust x\nfn main() {}\n```"),
            "#raw(block: true, lang: \"rust\", \"fn main() {}\")\n"
        );
        assert_eq!(
            t("[链接](https://例子.cn/a?b=\"c\")"),
            "#link(\"https://例子.cn/a?b=\\\"c\\\"\")[链接]\n"
        );
        assert_eq!(t("![图](a.png)"), "#box[〔图：图〕]\n");
        assert_eq!(
            t("<mailto@x.cn>"),
            "#link(\"mailto:mailto@x.cn\")[mailto\\@x\\.cn]\n"
        );
    }

    #[test]
    fn html_is_text() {
        assert_eq!(
            t("<script>alert(1)</script>"),
            "\\<script\\>alert\\(1\\)\\<\\/script\\>\n"
        );
        assert_eq!(t("一<b>二</b>三"), "一\\<b\\>二\\<\\/b\\>三\n");
    }

    #[test]
    fn tables_and_rules() {
        let out = t("| 项 | 分 |\n|:--|--:|\n| 甲 | 1 |\n| 乙 |\n\n---");
        assert_eq!(
            out,
            "#table(columns: 2, align: (left, right, ),\ntable.header([项], [分], ),\n[甲], [1], \n[乙], [], \n)\n\n#line(length: 100%)\n"
        );
    }

    #[test]
    fn footnotes() {
        let out = t("正文[^1]。\n\n[^1]: 注释*内容*。");
        assert_eq!(out, "正文#footnote[注释#emph[内容]。]。\n");
        // A reference without a definition stays text.
        assert_eq!(t("见[^x]"), "见\\[\\^x\\]\n");
    }

    #[test]
    fn controls_and_line_separators_are_escaped() {
        let out = t("甲\u{2028}乙\u{7}丙\u{0}丁");
        assert_eq!(out, "甲 乙丙丁\n");
        let mut s = String::new();
        push_string_literal(&mut s, "a\u{2029}b\u{1b}c");
        assert_eq!(s, "\"a\\nbc\"");
    }

    #[test]
    fn hard_break() {
        assert_eq!(t("一  \n二"), "一#linebreak()二\n");
        assert_eq!(t("一\\\n二"), "一#linebreak()二\n");
    }

    #[test]
    fn empty_input() {
        assert_eq!(t(""), "");
        assert_eq!(t("\n\n"), "");
    }
}
