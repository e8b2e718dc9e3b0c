//! Parsing YAML text into a tree of positioned nodes, with limits for hostile input.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::diagnostics::{Diagnostic, Pos};

/// Most nodes a document may expand to, aliases included: a "billion laughs" file stops
/// here in milliseconds instead of exhausting memory.
pub const MAX_NODES: usize = 1_000_000;
/// Deepest nesting accepted; the records of the contract need five levels.
pub const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    pub text: String,
    /// A plain (unquoted, not block) scalar: only these can be numbers, booleans or null.
    pub plain: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

impl Entry {
    pub fn key_text(&self) -> &str {
        match &self.key.kind {
            Kind::Scalar(s) => &s.text,
            _ => "",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub kind: Kind,
}

impl Node {
    fn size(&self) -> usize {
        match &self.kind {
            Kind::Scalar(_) => 1,
            Kind::Seq(items) => 1 + items.iter().map(Node::size).sum::<usize>(),
            Kind::Map(entries) => {
                1 + entries
                    .iter()
                    .map(|e| e.key.size() + e.value.size())
                    .sum::<usize>()
            }
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(&self.kind, Kind::Scalar(s) if s.plain && matches!(s.text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }
}

fn pos(m: &Marker) -> Pos {
    Pos::new(m.line(), m.col() + 1)
}

enum Frame {
    Seq(Pos, usize, Vec<Node>),
    Map(Pos, usize, Vec<Entry>, Option<Node>),
}

/// Parses one YAML document. `Ok(None)` for an empty file. Syntax errors are fatal (the
/// first one is returned); repeated keys are reported in `diags` and the first kept.
///
/// The subset records are written in goes through the byte-oriented fast path
/// (`fast.rs`); anything else through yaml-rust2, which gives the same tree.
/// `DANGJIAN_YAML_FAST=0` turns the fast path off (to measure it, or to rule it out).
pub fn parse(
    text: &str,
    path: &str,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<Node>, Diagnostic> {
    // YAML (and every editor) reads a lone CR as a line end: so must every position the
    // tool reports, which count lines by LF. The loader has already turned CRLF into LF.
    if text.contains('\r') {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        return parse(&text, path, diags);
    }
    if fast_path_enabled()
        && let Some((root, found)) = super::fast::parse(text, path)
    {
        diags.extend(found);
        return Ok(Some(root));
    }
    parse_slow(text, path, diags)
}

pub const FAST_PATH_ENV: &str = "DANGJIAN_YAML_FAST";

fn fast_path_enabled() -> bool {
    static ENABLED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ENABLED.get_or_init(|| std::env::var_os(FAST_PATH_ENV).is_none_or(|v| v != "0"))
}

/// The general parser: yaml-rust2's events turned into nodes.
pub(super) fn parse_slow(
    text: &str,
    path: &str,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<Node>, Diagnostic> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut root: Option<Node> = None;
    let mut nodes = 0usize;
    let mut documents = 0usize;
    loop {
        let (event, mark) = parser
            .next_token()
            .map_err(|e| super::syntax::diagnose(text, path, &e))?;
        let at = pos(&mark);
        let finished: Option<(Node, usize)> = match event {
            Event::StreamEnd => break,
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    let at = document_marker(text, at);
                    return Err(Diagnostic::error(path, at, "一个文件只能有一个 YAML 文档")
                        .with_hint("删除多余的 `---` 分隔符及其后的内容"));
                }
                None
            }
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => None,
            Event::Alias(id) => {
                let node = anchors
                    .get(&id)
                    .ok_or_else(|| Diagnostic::error(path, at, "引用了未定义的锚点（alias）"))?;
                nodes += node.size();
                if nodes > MAX_NODES {
                    return Err(alias_budget(path, at));
                }
                let mut node = node.clone();
                node.pos = at;
                Some((node, 0))
            }
            Event::Scalar(value, style, anchor, tag) => {
                nodes += 1;
                let mut plain = style == TScalarStyle::Plain;
                if let Some(tag) = tag {
                    if tag.suffix == "str" {
                        plain = false;
                    } else {
                        return Err(Diagnostic::error(
                            path,
                            super::syntax::tag_pos(text, at),
                            format!("不支持 YAML 标签 `{}{}`", tag.handle, tag.suffix),
                        )
                        .with_hint("删除标签，直接写值"));
                    }
                }
                Some((
                    Node {
                        pos: at,
                        kind: Kind::Scalar(Scalar { text: value, plain }),
                    },
                    anchor,
                ))
            }
            Event::SequenceStart(anchor, _) => {
                nodes += 1;
                stack.push(Frame::Seq(at, anchor, Vec::new()));
                if stack.len() > MAX_DEPTH {
                    return Err(Diagnostic::error(path, at, "嵌套层级过深"));
                }
                None
            }
            Event::MappingStart(anchor, _) => {
                nodes += 1;
                stack.push(Frame::Map(at, anchor, Vec::new(), None));
                if stack.len() > MAX_DEPTH {
                    return Err(Diagnostic::error(path, at, "嵌套层级过深"));
                }
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq(p, anchor, items)) => {
                    let p = items.first().map_or(p, |first| p.min(first.pos));
                    Some((
                        Node {
                            pos: p,
                            kind: Kind::Seq(items),
                        },
                        anchor,
                    ))
                }
                _ => return Err(Diagnostic::error(path, at, "YAML 结构错误")),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(p, anchor, entries, _)) => {
                    let p = entries.first().map_or(p, |first| p.min(first.key.pos));
                    let entries = dedupe(entries, path, diags);
                    Some((
                        Node {
                            pos: p,
                            kind: Kind::Map(entries),
                        },
                        anchor,
                    ))
                }
                _ => return Err(Diagnostic::error(path, at, "YAML 结构错误")),
            },
        };
        if nodes > MAX_NODES {
            return Err(alias_budget(path, at));
        }
        let Some((node, anchor)) = finished else {
            continue;
        };
        if anchor != 0 {
            anchors.insert(anchor, node.clone());
        }
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq(_, _, items)) => items.push(node),
            Some(Frame::Map(_, _, entries, pending)) => match pending.take() {
                None => {
                    if !matches!(node.kind, Kind::Scalar(_)) {
                        return Err(Diagnostic::error(path, node.pos, "映射的键必须是简单文本"));
                    }
                    *pending = Some(node);
                }
                Some(key) => entries.push(Entry { key, value: node }),
            },
        }
    }
    if let Some(root) = &mut root {
        let keys_may_fold = crate::invisible::may_fold(text);
        super::normalise::normalise(root, text, path, keys_may_fold, diags);
    }
    Ok(root)
}

/// The `---` or `...` line that ended the first document: the first such line after
/// content, at or before yaml-rust2's start of the second document (which it puts at the
/// second document's first token).
fn document_marker(text: &str, at: Pos) -> Pos {
    let mut content = false;
    for (i, line) in text.split('\n').take(at.line).enumerate() {
        let marker = line.starts_with("---") || line.starts_with("...");
        if marker && content {
            return Pos::new(i + 1, 1);
        }
        let t = line.trim_start();
        content |= !marker && !t.is_empty() && !t.starts_with('#') && !t.starts_with('%');
    }
    at
}

fn alias_budget(path: &str, at: Pos) -> Diagnostic {
    Diagnostic::error(
        path,
        at,
        format!("YAML 展开后超过 {MAX_NODES} 个节点（锚点/别名展开过多）"),
    )
    .with_hint("不要用锚点和别名层层复制数据")
}

/// A key repeated in one mapping is an error at its second occurrence; the first is kept.
pub(super) fn dedupe(entries: Vec<Entry>, path: &str, diags: &mut Vec<Diagnostic>) -> Vec<Entry> {
    // Small mappings (nearly all of them) are checked without hashing or copying keys.
    if entries.len() <= 32
        && entries
            .iter()
            .enumerate()
            .all(|(i, e)| entries[..i].iter().all(|f| f.key_text() != e.key_text()))
    {
        return entries;
    }
    let mut seen: HashMap<String, Pos> = HashMap::new();
    let mut kept = Vec::with_capacity(entries.len());
    for e in entries {
        let key = e.key_text().to_string();
        if let Some(first) = seen.get(&key) {
            diags.push(
                Diagnostic::error(path, e.key.pos, format!("键 `{key}` 重复")).with_hint(format!(
                    "第一次出现在第 {} 行第 {} 列",
                    first.line, first.col
                )),
            );
        } else {
            seen.insert(key, e.key.pos);
            kept.push(e);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> (Result<Option<Node>, Diagnostic>, Vec<Diagnostic>) {
        let mut d = Vec::new();
        let r = parse(text, "t.yaml", &mut d);
        (r, d)
    }

    #[test]
    fn keeps_positions_and_text() {
        let (r, d) = p("name: 桥一\nlist:\n  - 0.10\n");
        assert!(d.is_empty());
        let root = r.unwrap().unwrap();
        let Kind::Map(entries) = &root.kind else {
            panic!()
        };
        assert_eq!(entries[0].key.pos, Pos::new(1, 1));
        assert_eq!(entries[0].value.pos, Pos::new(1, 7));
        let Kind::Seq(items) = &entries[1].value.kind else {
            panic!()
        };
        assert_eq!(items[0].pos, Pos::new(3, 5));
        assert_eq!(
            items[0].kind,
            Kind::Scalar(Scalar {
                text: "0.10".into(),
                plain: true
            })
        );
    }

    #[test]
    fn duplicate_key_is_reported_at_second() {
        let (r, d) = p("a: 1\nb: 2\na: 3\n");
        assert!(r.is_ok());
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].pos, Pos::new(3, 1));
    }

    #[test]
    fn syntax_error_has_position() {
        let (r, _) = p("a: b\n  c: d\n");
        let e = r.unwrap_err();
        assert_eq!(e.pos.line, 2);
    }

    #[test]
    fn billion_laughs_fails_fast() {
        let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            s.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let start = std::time::Instant::now();
        let (r, _) = p(&s);
        assert!(r.unwrap_err().message.contains("节点"));
        assert!(start.elapsed().as_secs() < 5);
    }

    #[test]
    fn empty_and_multi_document() {
        assert_eq!(p("").0.unwrap(), None);
        assert!(p("a: 1\n---\nb: 2\n").0.is_err());
        assert!(p("a: !!binary abc\n").0.is_err());
        let root = p("a: !!str 12\n").0.unwrap().unwrap();
        let Kind::Map(e) = &root.kind else { panic!() };
        assert_eq!(
            e[0].value.kind,
            Kind::Scalar(Scalar {
                text: "12".into(),
                plain: false
            })
        );
    }
}
