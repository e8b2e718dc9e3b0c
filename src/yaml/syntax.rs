//! YAML syntax errors told at the place of their cause, in Chinese.
//!
//! yaml-rust2 stops where its scanner noticed the problem, which is often not where the
//! writer went wrong: a tab used as indentation is reported at the start of the value
//! before it, an unclosed `[` at the end of the file, a line that lacks its `:` at the next
//! line. This module looks at the text around yaml-rust2's marker and moves the position to
//! the character to fix (the tab, the bracket, the backslash, the first character of the
//! line without a colon), with a message and a hint a user can act on. Every message
//! yaml-rust2 0.10 can produce is mapped; an unknown one keeps its marker and its English
//! text in the hint, so that an upgrade of yaml-rust2 degrades the words, never the
//! position.

use yaml_rust2::scanner::ScanError;

use crate::diagnostics::{Diagnostic, Pos};

/// A text with its line starts, for moving between (line, column) and byte offsets.
struct Text<'a> {
    s: &'a str,
    starts: Vec<usize>,
}

impl<'a> Text<'a> {
    fn new(s: &'a str) -> Text<'a> {
        let mut starts = vec![0];
        starts.extend(s.match_indices('\n').map(|(i, _)| i + 1));
        Text { s, starts }
    }

    fn lines(&self) -> usize {
        self.starts.len()
    }

    /// Line `li` (0-based) without its line end.
    fn line(&self, li: usize) -> &'a str {
        let start = self.starts[li];
        let end = self.starts.get(li + 1).map_or(self.s.len(), |&n| n - 1);
        &self.s[start..end]
    }

    /// Byte offset of yaml-rust2's marker (1-based line, 0-based column in characters);
    /// past the end of the text when the marker is.
    fn offset(&self, line: usize, col: usize) -> usize {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return self.s.len();
        };
        let line = self.line(line.saturating_sub(1));
        start + line.char_indices().nth(col).map_or(line.len(), |(i, _)| i)
    }

    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    fn pos(&self, offset: usize) -> Pos {
        Pos::at(self.s, offset)
    }

    /// Offset of the first character of line `li` that is not a space or a tab.
    fn content_start(&self, li: usize) -> usize {
        let line = self.line(li);
        self.starts[li] + (line.len() - line.trim_start_matches([' ', '\t']).len())
    }

    /// Whether line `li` holds more than blanks and a comment.
    fn has_content(&self, li: usize) -> bool {
        let t = self.line(li).trim_start_matches([' ', '\t']);
        !t.is_empty() && !t.starts_with('#')
    }

    fn indent(&self, li: usize) -> usize {
        self.content_start(li) - self.starts[li]
    }

    /// The nearest line above `li` with content.
    fn content_above(&self, li: usize) -> Option<usize> {
        (0..li).rev().find(|&l| self.has_content(l))
    }
}

/// Where and what, for one syntax error.
struct Told {
    at: usize,
    message: String,
    hint: Option<String>,
}

fn told(at: usize, message: impl Into<String>, hint: impl Into<String>) -> Told {
    Told {
        at,
        message: message.into(),
        hint: Some(hint.into()),
    }
}

const TAB_HINT: &str = "YAML 只能用空格缩进和分隔：把制表符（Tab）换成空格";
const QUOTE_HINT: &str = "若这是一段文字，请给整个值加引号";

/// The diagnostic for yaml-rust2's error `e` on `text`.
pub(super) fn diagnose(text: &str, path: &str, e: &ScanError) -> Diagnostic {
    let t = Text::new(text);
    let m = e.marker();
    let at = t.offset(m.line(), m.col()).min(text.len());
    let told = explain(&t, at, e.info());
    let message = format!("YAML 语法错误：{}", told.message);
    let d = Diagnostic::error(path, t.pos(told.at.min(text.len())), message);
    match told.hint {
        Some(h) => d.with_hint(h),
        None => d,
    }
}

/// The `!` of the tag of the node yaml-rust2 places at `at` (an empty node sits at the
/// next token, possibly lines below its tag).
pub(super) fn tag_pos(text: &str, at: Pos) -> Pos {
    let t = Text::new(text);
    let end = t.offset(at.line, at.col.saturating_sub(1));
    // Up to and including the character at the node's position.
    let end = end + text[end..].chars().next().map_or(0, char::len_utf8);
    let bytes = text.as_bytes();
    text[..end]
        .rmatch_indices('!')
        .map(|(i, _)| i)
        .find(|&i| i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'[' | b'{' | b','))
        .map_or(at, |i| t.pos(i))
}

/// yaml-rust2's marker at `at` and its message `info`, turned into the cause.
fn explain(t: &Text, at: usize, info: &str) -> Told {
    let s = t.s;
    let li = t.line_of(at);
    match info {
        "while scanning a plain scalar, found a tab"
        | "tabs disallowed within this context (block indentation)"
        | "tabs disallowed in this context"
        | "tab cannot be used as indentation"
        | "a block scalar content cannot start with a tab" => told(
            tab_after(t, at).unwrap_or(at),
            "用了制表符（Tab）缩进",
            TAB_HINT,
        ),
        "':' must be followed by a valid YAML whitespace" => {
            let colon = s[..at].rfind(':').unwrap_or(at);
            told(colon + 1, "冒号后用了制表符（Tab）", TAB_HINT)
        }
        "'-' must be followed by a valid YAML whitespace" => told(
            tab_after(t, at).unwrap_or(at),
            "`-` 后用了制表符（Tab）",
            TAB_HINT,
        ),
        "while scanning a quoted scalar, found unexpected end of stream"
        | "invalid indentation in quoted scalar" => told(
            at,
            format!("引号 {} 没有闭合", quote_at(s, at)),
            "在这段文字的末尾补上同样的引号",
        ),
        "while scanning a quoted scalar, found unexpected document indicator" => {
            let marker = (li + 1..t.lines())
                .find(|&l| t.line(l).starts_with("---") || t.line(l).starts_with("..."))
                .map_or(at, |l| t.starts[l]);
            told(
                marker,
                format!("第 {} 行的引号没有闭合，文档分隔符被包进了引号", li + 1),
                "在引号内文字的末尾补上引号",
            )
        }
        "while parsing a quoted scalar, found unknown escape character"
        | "while parsing a quoted scalar, did not find expected hexadecimal number"
        | "while parsing a quoted scalar, found invalid Unicode character escape code" => {
            let bad = bad_escape(s, at).unwrap_or(at);
            let shown: String = s[bad..].chars().take(2).collect();
            told(
                bad,
                format!("双引号中的转义 `{shown}` 无效"),
                "要写反斜杠本身，请写成 `\\\\`，或改用单引号",
            )
        }
        "while parsing a flow mapping, did not find expected ',' or '}'"
        | "while parsing a flow sequence, expected ',' or ']'"
        | "illegal placement of ':' indicator"
        | "invalid indentation in flow construct"
        | "while parsing a node, did not find expected node content" => flow(t, at, info),
        "mapping values are not allowed in this context"
        | "simple key expect ':'"
        | "simple key expected" => colon_out_of_place(t, at, info),
        "while parsing a block mapping, did not find expected key" => block_key(t, at),
        "while parsing a block collection, did not find expected '-' indicator" => told(
            line_token(t, at),
            "这里是列表，每一项应以 `- ` 开头",
            "同一层不能混用列表项（`- 值`）和 `键: 值`；检查这一行的缩进",
        ),
        "block sequence entries are not allowed in this context" => told(
            at,
            "列表项 `- ` 不能出现在这里",
            "列表项要另起一行，并比它所属的键缩进更深；或写成 [a, b]",
        ),
        "comments must be separated from other tokens by whitespace" => {
            told(at, "注释符号 `#` 前需要空格", QUOTE_HINT)
        }
        "invalid trailing content after double-quoted scalar" => told(
            at,
            "引号闭合之后还有多余的内容",
            "把整个值放进引号里，或删除多余的内容",
        ),
        "while parsing node, found unknown anchor" => {
            told(at, "引用了未定义的锚点（别名 `*…`）", QUOTE_HINT)
        }
        "while scanning an anchor or alias, did not find expected alphabetic or numeric character" => {
            told(at, "`&` 或 `*` 开头的值应是锚点或别名", QUOTE_HINT)
        }
        "plain scalar cannot start with '-' followed by ,[]{}" => {
            told(at, "值不能以 `-` 加括号或逗号开头", QUOTE_HINT)
        }
        "did not find expected <document start>" | "did not find expected <document-start>"
            if let Some(d) = (0..=li).find(|&l| t.line(l).starts_with('%')) =>
        {
            told(
                t.starts[d],
                "不支持 YAML 指令（以 `%` 开头的行）",
                "删除这一行",
            )
        }
        "invalid content after document end marker"
        | "did not find expected <document start>"
        | "did not find expected <document-start>" => told(
            at,
            "文档结束标记 `...` 之后还有内容",
            "一个文件只能有一个 YAML 文档：删除 `...` 或其后的内容",
        ),
        "recursion limit exceeded" => told(at, "嵌套层级过深", "记录不需要这么多层嵌套"),
        "mapping keys are not allowed in this context" => {
            told(at, "`?` 不能出现在这里", QUOTE_HINT)
        }
        "invalid indentation" => block_key(t, at),
        "wrongly indented line in block scalar" => told(
            t.content_start(li),
            "多行文字（`|` 或 `>`）中这一行的缩进不足",
            "多行文字的每一行都要比它的键缩进更深",
        ),
        _ if info.starts_with("unexpected character") => {
            let c = s[at.min(s.len())..].chars().next().unwrap_or(' ');
            told(at, format!("值不能以 `{c}` 开头"), QUOTE_HINT)
        }
        _ if info.contains("block scalar") => told(
            // The indicator after `|` or `>` is what is wrong.
            at + usize::from(matches!(s.as_bytes().get(at), Some(b'|' | b'>'))),
            "多行文字（`|` 或 `>`）的写法有误",
            "`|` 或 `>` 后只能跟 `-`、`+` 或 1–9 的缩进数字，然后换行",
        ),
        _ if info.contains("tag") || info.contains("handle") => told(
            at,
            "不支持 YAML 标签（以 `!` 开头）",
            "删除标签，直接写值；若这是文字，请加引号",
        ),
        _ if info.contains("directive") || info.contains("YAML document") => told(
            t.starts[li],
            "不支持 YAML 指令（以 `%` 开头的行）",
            "删除这一行",
        ),
        _ => Told {
            at,
            message: "YAML 语法错误".to_string(),
            hint: Some(format!("解析器的说明：{info}")),
        },
    }
}

/// The first tab used as indentation or separation at or after the line of `at` (a tab
/// inside quotes or a comment is no syntax error, and yaml-rust2 marks the start of the
/// value before a bad tab, so the tab is searched for, not taken from the marker).
fn tab_after(t: &Text, at: usize) -> Option<usize> {
    let first = t.line_of(at);
    (first..t.lines()).find_map(|li| {
        let line = t.line(li);
        let lead = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(i) = line[..lead].find('\t') {
            return Some(t.starts[li] + i);
        }
        // A tab after an indicator: `key:\tvalue`, `-\tvalue`.
        let code = strip_comment(line);
        code.match_indices('\t')
            .map(|(i, _)| i)
            .find(|&i| {
                i > 0 && matches!(code.as_bytes()[i - 1], b':' | b'-') && !inside_quotes(code, i)
            })
            .map(|i| t.starts[li] + i)
    })
}

/// The line up to a comment (a `#` after a blank or at the start, outside quotes).
fn strip_comment(line: &str) -> &str {
    let b = line.as_bytes();
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i < b.len() {
        match (quote, b[i]) {
            (None, b'\'' | b'"') => quote = Some(b[i]),
            (Some(b'"'), b'\\') => i += 1,
            (Some(q), c) if c == q => quote = None,
            (None, b'#') if i == 0 || matches!(b[i - 1], b' ' | b'\t') => return &line[..i],
            _ => {}
        }
        i += 1;
    }
    line
}

fn inside_quotes(line: &str, at: usize) -> bool {
    let before = &line.as_bytes()[..at];
    let single = before.iter().filter(|&&c| c == b'\'').count();
    let double = before.iter().filter(|&&c| c == b'"').count();
    single % 2 == 1 || double % 2 == 1
}

fn quote_at(s: &str, at: usize) -> &'static str {
    match s.as_bytes().get(at) {
        Some(b'\'') => "'",
        _ => "\"",
    }
}

/// The first invalid escape of the double-quoted scalar opening at `at`.
fn bad_escape(s: &str, at: usize) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = at + 1;
    while i < b.len() && b[i] != b'"' {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        let Some(&c) = b.get(i + 1) else {
            return Some(i);
        };
        let hex = match c {
            b'0' | b'a' | b'b' | b't' | b'\t' | b'n' | b'v' | b'f' | b'r' | b'e' | b' ' | b'"'
            | b'/' | b'\\' | b'N' | b'_' | b'L' | b'P' | b'\n' | b'\r' => 0,
            b'x' => 2,
            b'u' => 4,
            b'U' => 8,
            _ => return Some(i),
        };
        if hex > 0 {
            let digits = s.get(i + 2..i + 2 + hex)?;
            let ok = digits.bytes().all(|d| d.is_ascii_hexdigit())
                && u32::from_str_radix(digits, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .is_some();
            if !ok {
                return Some(i);
            }
        }
        i += 2 + hex;
    }
    None
}

/// The innermost `[` or `{` still open at `at` (quotes and comments skipped).
fn open_bracket(s: &str, at: usize) -> Option<usize> {
    open_brackets(s, at).pop()
}

/// The `[` and `{` still open at `at`, outermost first.
fn open_brackets(s: &str, at: usize) -> Vec<usize> {
    let b = s.as_bytes();
    let mut stack = Vec::new();
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i < at.min(b.len()) {
        let c = b[i];
        match quote {
            Some(b'"') if c == b'\\' => i += 1,
            Some(q) if c == q => {
                if q == b'\'' && b.get(i + 1) == Some(&b'\'') {
                    i += 1;
                } else {
                    quote = None;
                }
            }
            Some(_) => {}
            None => match c {
                b'\'' | b'"' if i == 0 || !b[i - 1].is_ascii_alphanumeric() => quote = Some(c),
                b'#' if i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n') => {
                    i = s[i..].find('\n').map_or(b.len(), |n| i + n);
                    continue;
                }
                b'[' | b'{' => stack.push(i),
                b']' | b'}' => {
                    stack.pop();
                }
                _ => {}
            },
        }
        i += 1;
    }
    stack
}

/// A bracket opened on an earlier line than `at` (or before the end of the file) and never
/// closed: the cause of whatever yaml-rust2 stumbled on after it.
fn unclosed_before(t: &Text, at: usize) -> Option<Told> {
    let s = t.s;
    let open = open_bracket(s, at)?;
    if !open_brackets(s, s.len()).contains(&open)
        || (t.line_of(open) >= t.line_of(at) && at < s.len())
    {
        return None;
    }
    let (o, c) = if s.as_bytes()[open] == b'[' {
        ("[", "]")
    } else {
        ("{", "}")
    };
    Some(told(
        open,
        format!("`{o}` 没有闭合"),
        format!("在这一行的末尾补上 `{c}`（列表和映射的方括号、花括号要在同一行闭合）"),
    ))
}

/// An error inside a flow collection: when the collection opened on an earlier line (or the
/// file ended), the bracket that was never closed is the cause.
fn flow(t: &Text, at: usize, info: &str) -> Told {
    if let Some(told) = unclosed_before(t, at) {
        return told;
    }
    if info == "invalid indentation in flow construct" {
        return told(
            at,
            "括号跨行时，这一行的缩进不足",
            "让括号中的后续行比键缩进更深，或把整个括号写在一行",
        );
    }
    let message = if info.contains("node content") {
        "这里缺少一个值"
    } else {
        "括号中这里应为 `,` 或闭合的括号"
    };
    told(
        at,
        message,
        "括号中的项用 `, ` 分隔；含有 `: `、`,` 或括号的文字请加引号",
    )
}

/// A `: ` where no key may start: either inside a value (`a: b: c`), on a line indented
/// deeper than a key that already has its value, or on the line after one that lacks its
/// colon (yaml-rust2 reads both lines as one multi-line value and stops at this colon).
fn colon_out_of_place(t: &Text, at: usize, info: &str) -> Told {
    let li = t.line_of(at);
    let start = t.content_start(li);
    let above = t.content_above(li);
    let on_first_token = start < at && !t.s[start..at].contains(": ");
    let no_colon = info.starts_with("simple key expect");
    if no_colon || (on_first_token && li > 0) {
        // The line at the marker (or the one above it, when yaml-rust2 noticed the missing
        // colon only at the next line) is the culprit.
        let culprit = if no_colon { above.unwrap_or(li) } else { li };
        if let Some(up) = above.filter(|_| !no_colon) {
            let up_line = t.line(up);
            let up_has_colon = strip_comment(up_line).contains(": ")
                || strip_comment(up_line).trim_end().ends_with(':');
            if !up_has_colon && !up_line.trim_start().starts_with("- ") {
                return missing_colon(t, up);
            }
            if t.indent(li) > t.indent(up) {
                return told(
                    start,
                    "这一行缩进过深：上一行的键已经有值",
                    "与上一行的键对齐；若这一行是上一行文字的延续，请给那段文字加引号",
                );
            }
        }
        return missing_colon(t, culprit);
    }
    told(
        at,
        "值中含有 `: `（冒号加空格）",
        "给整个值加引号，例如 `topic: \"议题: 内容\"`",
    )
}

fn missing_colon(t: &Text, li: usize) -> Told {
    told(
        t.content_start(li),
        "这一行既不是 `键: 值`，也不是列表项 `- 值`",
        "是否漏了冒号？键和值之间写 `: `（冒号加空格）",
    )
}

/// The first token of the marker's line when the marker sits after a line-start token
/// (yaml-rust2 marks `- b` at the `b` and ` c: 2` at the colon).
fn line_token(t: &Text, at: usize) -> usize {
    let li = t.line_of(at);
    let start = t.content_start(li);
    let lead = &t.s[start..at.max(start)];
    let is_lead = lead.chars().all(|c| matches!(c, '-' | ' ' | '?'))
        || !lead.contains([':', '"', '\'', '[', '{', ']', '}', '#']);
    if at > start && at < t.s.len() && is_lead {
        start
    } else {
        at
    }
}

/// A mapping where the next token is no key: a list item or a line whose indentation
/// matches no level above, or something left after a complete value.
fn block_key(t: &Text, at: usize) -> Told {
    // A bracket left open above reads the lines after it as its own (`a: [[]`).
    if let Some(told) = unclosed_before(t, at) {
        return told;
    }
    let at = line_token(t, at);
    let li = t.line_of(at);
    if at >= t.s.len() {
        return told(at, "文件意外结束", "检查最后一个值是否完整");
    }
    if at == t.content_start(li) {
        if t.s[at..].starts_with('-') {
            return told(
                at,
                "映射中不能突然出现列表项 `- `",
                "列表项应写在它所属的键下面，并比键缩进更深",
            );
        }
        return told(
            at,
            "缩进不一致：这一行没有与同级的键对齐",
            "同一层的键要从同一列开始（只用空格缩进）",
        );
    }
    told(at, "值后面还有多余的内容", QUOTE_HINT)
}

#[cfg(test)]
mod tests;
