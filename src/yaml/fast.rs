//! A fast path for the YAML that records are actually written in. It works on the bytes of
//! the text, line by line, and builds the same tree of positioned nodes as the general
//! parser in `node.rs` (yaml-rust2). Whenever it meets anything outside its subset it gives
//! up (`None`) and the caller falls back to the general parser, so it can never change what
//! a file means: it only has to be right on what it accepts, and the differential tests
//! below check exactly that.
//!
//! # The subset
//!
//! - The text: no byte below 0x20 except `\n` (so no tab, no CR, no NUL), no DEL, no BOM
//!   (U+FEFF) anywhere; no line starting with `---`, `...` or `%` (document markers,
//!   directives). The document has content and is one block mapping or one block sequence.
//! - Indentation is spaces. Blank lines and comment lines (first non-space character `#`)
//!   are skipped wherever they are; a comment after a value needs a space before `#`.
//! - Block mappings: `key: value` lines at one column. A key is a plain scalar on one line
//!   (at most 1000 bytes up to its `:`), not starting with an indicator (`-?:,[]{}#&*!|>'"%@`
//!   and backquote), ended by the first `:` followed by a space or the end of the line; `#`
//!   after a space before that colon is a comment, and the line is not a key.
//! - A value on the key's line: a plain scalar (ended by ` #` or the end of the line,
//!   trailing spaces trimmed; a `: ` inside falls back), a quoted scalar, or a flow
//!   collection; only spaces or a comment may follow. A value on the following lines: a
//!   block mapping or block sequence indented deeper than the key, or a sequence at the
//!   key's own column (`key:\n- a`). Nothing (or only a comment) is an empty value (null),
//!   placed where yaml-rust2 places it: at the next token, or one line past the end.
//! - Block sequences: `- item` lines at one column, the item on the dash's line: a scalar,
//!   a quoted scalar, a flow collection, a compact mapping (`- key: value`, further keys at
//!   the column of the first) or a compact sequence (`- - x`).
//! - Plain scalars start with a non-indicator character, or with `-` followed by a
//!   character that is neither a space nor (in flow) one of `,[]{}`.
//! - Quoted scalars end on their line: `'…'` with `''` for a quote, `"…"` without `\`.
//! - Flow collections `[…]` and `{…}` close on the line they open on and nest freely. Items
//!   are plain (ended by `,[]{}`, or by `:` before a space, a flow indicator or the line's
//!   end), quoted or flow; flow mapping keys are plain and followed by `: ` and a value.
//!   No empty entries, no trailing comma, no `[a: b]` pairs, no comment inside.
//! - After a node, the next content line may not be indented deeper than the collection
//!   holding it (that would be a multi-line scalar or an error); on a smaller indentation
//!   it must land on the column of an enclosing collection.
//! - Limits: collections nested less than `MAX_DEPTH` deep, at most `MAX_NODES` nodes.
//!
//! # Positions, as yaml-rust2 gives them
//!
//! Lines and columns from 1, columns in characters. A scalar is at its first character (a
//! quoted one at its quote), a flow collection at its bracket, a block mapping at its first
//! key, an indented block sequence at its first `-`, a sequence at its key's own column
//! (`key:\n- a`) at its first item; an empty value at the next token (the first character
//! of the next content line), or at column 1 of the line after the last one.
//!
//! # Falls back
//!
//! Everything else: anchors, aliases, tags (`!!str` included), block scalars (`|`, `>`),
//! explicit keys (`?`), quoted or flow keys, multi-line scalars or flows, empty sequence
//! items or items starting on the next line, a scalar or flow on its own line as a value,
//! a top-level scalar or flow, empty flow entries, double-quoted escapes, tabs, CR, BOM,
//! `---`, `...`, directives, a `#` glued to a value, a word starting with `-` and a flow
//! indicator inside a flow (` -]`), odd indentation, and every syntax error (so that the
//! general parser reports it with its message and position).
//!
//! # Why it exists (measured)
//!
//! yaml-rust2's scanner and parser take most of the time of reading a record. Callgrind
//! instructions on a 10,000-branch synthetic project (2026-12-06, release build): `check`
//! 8.0 G with this path, 17.9 G with yaml-rust2 alone (2.2×); `build --no-pdf` 28.9 G
//! against 38.8 G. Without it, `check` of 10,000 branches would take about 1.1 s instead
//! of 0.5 s. `DANGJIAN_YAML_FAST=0` turns it off (see `node::parse`), to measure it again
//! or to rule it out; a test checks that the switch changes no score and no diagnostic.

use std::cell::RefCell;

use super::node::{Entry, Kind, MAX_DEPTH, MAX_NODES, Node, Scalar, dedupe};
use crate::diagnostics::{Diagnostic, Pos};

/// Longest key, in bytes from its first character to its `:`; yaml-rust2 refuses a
/// simple key longer than 1024 characters, so this stays clear of that limit.
const MAX_KEY: usize = 1000;

#[derive(Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    /// Absolute offset of the first non-space byte (`end` on a blank line).
    first: usize,
    /// Holds something else than spaces and a comment.
    content: bool,
}

/// Buffers kept from one file to the next on each thread, so that a file costs no
/// allocation but its nodes': the lines, and stacks on which the entries and items of the
/// open collections gather before moving, exactly sized, into their node.
#[derive(Default)]
struct Scratch {
    lines: Vec<Line>,
    entries: Vec<Entry>,
    items: Vec<Node>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::default();
}

struct P<'a> {
    text: &'a str,
    s: &'a [u8],
    lines: Vec<Line>,
    entries: Vec<Entry>,
    items: Vec<Node>,
    /// The first line not consumed yet.
    next: usize,
    nodes: usize,
    path: &'a str,
    diags: Vec<Diagnostic>,
    /// Column cache: line, byte offset, 1-based column of that offset.
    cache: (usize, usize, usize),
    /// Some key holds a character that folds (see `normalise::normalise`).
    keys_may_fold: bool,
}

/// Parses `text` if it lies in the subset: the root node and the diagnostics for repeated
/// keys, exactly as `node::parse_slow` would give them. `None`: not in the subset.
pub(super) fn parse(text: &str, path: &str) -> Option<(Node, Vec<Diagnostic>)> {
    let scratch = SCRATCH.with(|c| c.take());
    let mut p = P {
        text,
        s: text.as_bytes(),
        lines: scratch.lines,
        entries: scratch.entries,
        items: scratch.items,
        next: 0,
        nodes: 0,
        path,
        diags: Vec::new(),
        cache: (usize::MAX, 0, 1),
        keys_may_fold: false,
    };
    let result = p.document();
    // Whatever a fallback left on the stacks goes; the buffers stay, within reason.
    p.lines.clear();
    p.entries.clear();
    p.items.clear();
    p.lines.shrink_to(1 << 14);
    p.entries.shrink_to(1 << 10);
    p.items.shrink_to(1 << 10);
    SCRATCH.with(|c| {
        c.replace(Scratch {
            lines: p.lines,
            entries: p.entries,
            items: p.items,
        })
    });
    let mut diags = p.diags;
    let keys_may_fold = p.keys_may_fold;
    result.map(|mut root| {
        super::normalise::normalise(&mut root, text, path, keys_may_fold, &mut diags);
        (root, diags)
    })
}

/// Splits into lines and checks the characters the subset refuses anywhere.
fn split_lines(text: &str, lines: &mut Vec<Line>) -> Option<()> {
    let s = text.as_bytes();
    // One branch-free pass (it vectorises) for control characters, then memchr-based
    // searches for the BOM and the line ends.
    let bad = s.iter().fold(false, |bad, &b| {
        bad | ((b < 0x20) & (b != b'\n')) | (b == 0x7f)
    });
    // `str::contains` would look for the BOM's last byte, which is in every other Chinese
    // character; `memmem` picks rarer ones. The line ends come from one `memchr` iterator
    // instead of one search per line (together about 50 M of the 1.8 G `check` of 1,000
    // branches over two years).
    if bad || memchr::memmem::find(s, "\u{feff}".as_bytes()).is_some() {
        return None;
    }
    lines.clear();
    let mut start = 0;
    let mut ends = memchr::memchr_iter(b'\n', s);
    loop {
        let end = ends.next().unwrap_or(s.len());
        let line = &s[start..end];
        if line.starts_with(b"---") || line.starts_with(b"...") || line.starts_with(b"%") {
            return None;
        }
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        lines.push(Line {
            start,
            end,
            first: start + indent,
            content: indent < line.len() && line[indent] != b'#',
        });
        if end == s.len() {
            return Some(());
        }
        start = end + 1;
    }
}

/// Bytes at which a plain scalar's scan must look closer: in block context `:`, `#` and
/// the space (which may end the trimmed text); in flow context also `-` and the flow
/// indicators. Every other byte, every byte of a multi-byte character included, only
/// extends the scalar. Skipping those a character at a time in a tight loop made
/// `scan_flow_plain` and `scan_block_plain` less than half as costly on the synthetic
/// records (121 M + 51 M → about 100 M + 40 M with bytes, less by characters, of the 2.1 G
/// `check` of 1,000 branches over two years).
/// The tables give, for the first byte of a character, how far to skip: the character's
/// length, or 0 at a byte to look at (the text is UTF-8 and a line ends at a character's
/// end, so a skip never passes the end of the line).
const BLOCK_STEP: [u8; 256] = steps(b":# ");
const FLOW_STEP: [u8; 256] = steps(b":# -,[]{}");

/// From `i`, past every character whose `steps` entry is not 0 (its length in bytes), up to
/// `end`: where a plain scalar might end.
#[inline]
fn skip_run(s: &[u8], mut i: usize, end: usize, steps: &[u8; 256]) -> usize {
    while i < end {
        let step = usize::from(steps[usize::from(s[i])]);
        if step == 0 {
            break;
        }
        i += step;
    }
    i.min(end)
}

const fn steps(stops: &[u8]) -> [u8; 256] {
    let mut t = [1u8; 256];
    let mut b = 0xC0;
    while b < 256 {
        t[b] = if b >= 0xF0 {
            4
        } else if b >= 0xE0 {
            3
        } else {
            2
        };
        b += 1;
    }
    let mut i = 0;
    while i < stops.len() {
        t[stops[i] as usize] = 0;
        i += 1;
    }
    t
}

fn is_flow(b: u8) -> bool {
    matches!(b, b',' | b'[' | b']' | b'{' | b'}')
}

/// Whether a plain scalar may start at `i` (before `end`, the end of its line).
fn plain_start(s: &[u8], i: usize, end: usize, flow: bool) -> bool {
    if i >= end {
        return false;
    }
    match s[i] {
        b'-' => i + 1 < end && s[i + 1] != b' ' && !(flow && is_flow(s[i + 1])),
        b' ' | b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!'
        | b'|' | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`' => false,
        _ => true,
    }
}

enum Plain {
    /// A key: its trimmed end and its colon.
    Key { end: usize, colon: usize },
    /// A scalar alone on its line (up to a comment): its trimmed end.
    Scalar { end: usize },
}

/// Where an inline block node sits.
#[derive(PartialEq, Clone, Copy)]
enum Ctx {
    MapValue,
    SeqItem,
}

impl<'a> P<'a> {
    /// The whole text: one block mapping or sequence, nothing after it.
    fn document(&mut self) -> Option<Node> {
        split_lines(self.text, &mut self.lines)?;
        let li = self.next_content(0)?;
        let at = self.lines[li].first;
        let root = if self.is_dash(li, at) {
            self.block_seq(li, at, 1, false)?
        } else {
            if !plain_start(self.s, at, self.lines[li].end, false) {
                return None;
            }
            match self.scan_block_plain(li, at) {
                Plain::Key { .. } => self.block_map(li, at, 1)?,
                Plain::Scalar { .. } => return None,
            }
        };
        if self.next_content(self.next).is_some() {
            return None;
        }
        Some(root)
    }

    fn next_content(&self, from: usize) -> Option<usize> {
        (from..self.lines.len()).find(|&i| self.lines[i].content)
    }

    /// Position of byte offset `at` of line `li`, its column counted in characters.
    fn pos(&mut self, li: usize, at: usize) -> Pos {
        let (cl, coff, ccol) = self.cache;
        let (from, col) = if cl == li && coff <= at {
            (coff, ccol)
        } else {
            (self.lines[li].start, 1)
        };
        let col = col
            + self.s[from..at]
                .iter()
                .filter(|&&b| (b & 0xC0) != 0x80)
                .count();
        self.cache = (li, at, col);
        Pos::new(li + 1, col)
    }

    /// Where yaml-rust2 puts the end of the stream: one line past the last one.
    fn eof_pos(&self) -> Pos {
        let last = self.lines[self.lines.len() - 1];
        let n = self.lines.len();
        Pos::new(if last.start == last.end { n } else { n + 1 }, 1)
    }

    fn count(&mut self) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= MAX_NODES).then_some(())
    }

    fn scalar(&mut self, pos: Pos, text: String, plain: bool) -> Option<Node> {
        self.count()?;
        Some(Node {
            pos,
            kind: Kind::Scalar(Scalar { text, plain }),
        })
    }

    /// A key (plain, written as it reads): noted when it may fold.
    fn key(&mut self, pos: Pos, from: usize, to: usize) -> Option<Node> {
        let text = &self.text[from..to];
        self.keys_may_fold |= !text.is_ascii() && crate::invisible::may_fold(text);
        self.scalar(pos, text.to_string(), true)
    }

    fn is_dash(&self, li: usize, at: usize) -> bool {
        let end = self.lines[li].end;
        at < end && self.s[at] == b'-' && (at + 1 == end || self.s[at + 1] == b' ')
    }

    fn skip_spaces(&self, mut i: usize, end: usize) -> usize {
        while i < end && self.s[i] == b' ' {
            i += 1;
        }
        i
    }

    /// Only spaces, or spaces and then a comment, from `at` to the end of line `li`.
    fn rest_ok(&self, li: usize, at: usize) -> bool {
        let end = self.lines[li].end;
        let i = self.skip_spaces(at, end);
        i == end || (self.s[i] == b'#' && i > at)
    }

    /// A plain scalar in block context starting at `at` (already checked by `plain_start`).
    fn scan_block_plain(&self, li: usize, at: usize) -> Plain {
        let s = self.s;
        let end = self.lines[li].end;
        let mut last = at;
        let mut i = at;
        while i < end {
            // Most bytes of a value (every byte of a Chinese one) end nothing: skip them
            // in a tight loop.
            let run = i;
            i = skip_run(s, i, end, &BLOCK_STEP);
            if i > run {
                last = i;
            }
            if i == end {
                break;
            }
            let b = s[i];
            if b == b':' && (i + 1 == end || s[i + 1] == b' ') {
                return Plain::Key {
                    end: last,
                    colon: i,
                };
            }
            if b == b'#' && s[i - 1] == b' ' {
                break;
            }
            if b != b' ' {
                last = i + 1;
            }
            i += 1;
        }
        Plain::Scalar { end: last }
    }

    /// A block mapping whose first key starts at `at` on line `li`.
    fn block_map(&mut self, mut li: usize, mut at: usize, depth: usize) -> Option<Node> {
        if depth >= MAX_DEPTH {
            return None;
        }
        self.count()?;
        let col = at - self.lines[li].start;
        let base = self.entries.len();
        loop {
            let end = self.lines[li].end;
            if !plain_start(self.s, at, end, false) {
                return None;
            }
            let Plain::Key { end: kend, colon } = self.scan_block_plain(li, at) else {
                return None;
            };
            if colon - at > MAX_KEY {
                return None;
            }
            let kpos = self.pos(li, at);
            let key = self.key(kpos, at, kend)?;
            let v = self.skip_spaces(colon + 1, end);
            let value = if v == end || self.s[v] == b'#' {
                self.next = li + 1;
                match self.next_content(li + 1) {
                    None => {
                        let pos = self.eof_pos();
                        self.scalar(pos, String::new(), true)?
                    }
                    Some(nl) => {
                        let nat = self.lines[nl].first;
                        let ind = nat - self.lines[nl].start;
                        if ind > col {
                            self.block_node_below(nl, nat, depth + 1)?
                        } else if ind == col && self.is_dash(nl, nat) {
                            self.block_seq(nl, nat, depth + 1, true)?
                        } else {
                            let pos = self.pos(nl, nat);
                            self.scalar(pos, String::new(), true)?
                        }
                    }
                }
            } else {
                self.block_inline(li, v, depth + 1, Ctx::MapValue)?
            };
            self.entries.push(Entry { key, value });
            let Some(nl) = self.next_content(self.next) else {
                break;
            };
            let nat = self.lines[nl].first;
            let ind = nat - self.lines[nl].start;
            if ind == col {
                li = nl;
                at = nat;
            } else if ind < col {
                break;
            } else {
                return None;
            }
        }
        let pos = self.entries[base].key.pos;
        let entries = self.entries.drain(base..).collect();
        let entries = dedupe(entries, self.path, &mut self.diags);
        Some(Node {
            pos,
            kind: Kind::Map(entries),
        })
    }

    /// A block sequence whose first `-` is at `at` on line `li`. `indentless`: at the
    /// column of the mapping key it is the value of.
    fn block_seq(
        &mut self,
        mut li: usize,
        mut at: usize,
        depth: usize,
        indentless: bool,
    ) -> Option<Node> {
        if depth >= MAX_DEPTH {
            return None;
        }
        self.count()?;
        let col = at - self.lines[li].start;
        let dash_pos = self.pos(li, at);
        let base = self.items.len();
        loop {
            let end = self.lines[li].end;
            let v = self.skip_spaces(at + 1, end);
            if v == end || self.s[v] == b'#' {
                return None;
            }
            let item = self.block_inline(li, v, depth + 1, Ctx::SeqItem)?;
            self.items.push(item);
            let Some(nl) = self.next_content(self.next) else {
                break;
            };
            let nat = self.lines[nl].first;
            let ind = nat - self.lines[nl].start;
            if ind == col && self.is_dash(nl, nat) {
                li = nl;
                at = nat;
            } else if ind == col && !indentless {
                return None;
            } else if ind <= col {
                break;
            } else {
                return None;
            }
        }
        // yaml-rust2 starts an indented sequence at its first `-`, an indentless one at
        // its first item.
        let pos = if indentless {
            self.items[base].pos
        } else {
            dash_pos
        };
        Some(Node {
            pos,
            kind: Kind::Seq(self.items.drain(base..).collect()),
        })
    }

    /// A node starting a line below its key: only a block mapping or sequence.
    fn block_node_below(&mut self, li: usize, at: usize, depth: usize) -> Option<Node> {
        if self.is_dash(li, at) {
            return self.block_seq(li, at, depth, false);
        }
        if !plain_start(self.s, at, self.lines[li].end, false) {
            return None;
        }
        match self.scan_block_plain(li, at) {
            Plain::Key { .. } => self.block_map(li, at, depth),
            Plain::Scalar { .. } => None,
        }
    }

    /// A node starting at `at` on line `li` after `key: ` or `- `. Sets `self.next`.
    fn block_inline(&mut self, li: usize, at: usize, depth: usize, ctx: Ctx) -> Option<Node> {
        let end = self.lines[li].end;
        let b = self.s[at];
        if self.is_dash(li, at) {
            return if ctx == Ctx::SeqItem {
                self.block_seq(li, at, depth, false)
            } else {
                None
            };
        }
        let (node, after) = match b {
            b'[' | b'{' => self.flow(li, at, depth)?,
            b'\'' | b'"' => self.quoted(li, at)?,
            _ => {
                if !plain_start(self.s, at, end, false) {
                    return None;
                }
                match self.scan_block_plain(li, at) {
                    Plain::Key { .. } => {
                        return if ctx == Ctx::SeqItem {
                            self.block_map(li, at, depth)
                        } else {
                            None
                        };
                    }
                    Plain::Scalar { end: send } => {
                        let pos = self.pos(li, at);
                        let node = self.scalar(pos, self.text[at..send].to_string(), true)?;
                        (node, send)
                    }
                }
            }
        };
        if !self.rest_ok(li, after) {
            return None;
        }
        self.next = li + 1;
        Some(node)
    }

    /// A quoted scalar at `at`, closed on its line: the node and the offset after it.
    fn quoted(&mut self, li: usize, at: usize) -> Option<(Node, usize)> {
        let s = self.s;
        let end = self.lines[li].end;
        let q = s[at];
        let mut i = at + 1;
        let mut text = String::new();
        let mut from = i;
        loop {
            if i >= end {
                return None;
            }
            let b = s[i];
            if q == b'"' && b == b'\\' {
                return None;
            }
            if b == q {
                if q == b'\'' && i + 1 < end && s[i + 1] == b'\'' {
                    text.push_str(&self.text[from..=i]);
                    i += 2;
                    from = i;
                    continue;
                }
                text.push_str(&self.text[from..i]);
                break;
            }
            i += 1;
        }
        let pos = self.pos(li, at);
        Some((self.scalar(pos, text, false)?, i + 1))
    }

    /// A flow collection opening at `at`, closed on its line: the node and the offset
    /// after it.
    fn flow(&mut self, li: usize, at: usize, depth: usize) -> Option<(Node, usize)> {
        if depth >= MAX_DEPTH {
            return None;
        }
        self.count()?;
        let end = self.lines[li].end;
        let pos = self.pos(li, at);
        let map = self.s[at] == b'{';
        let close = if map { b'}' } else { b']' };
        let mut i = self.skip_spaces(at + 1, end);
        if i < end && self.s[i] == close {
            let kind = if map {
                Kind::Map(Vec::new())
            } else {
                Kind::Seq(Vec::new())
            };
            return Some((Node { pos, kind }, i + 1));
        }
        let (ebase, ibase) = (self.entries.len(), self.items.len());
        loop {
            if map {
                if !plain_start(self.s, i, end, true) {
                    return None;
                }
                let (kend, after) = self.scan_flow_plain(li, i)?;
                // The key ends at `: `.
                if after + 1 >= end || self.s[after] != b':' || self.s[after + 1] != b' ' {
                    return None;
                }
                if after - i > MAX_KEY {
                    return None;
                }
                let kpos = self.pos(li, i);
                let key = self.key(kpos, i, kend)?;
                let v = self.skip_spaces(after + 1, end);
                let (value, after) = self.flow_item(li, v, depth + 1)?;
                self.entries.push(Entry { key, value });
                i = after;
            } else {
                let (item, after) = self.flow_item(li, i, depth + 1)?;
                self.items.push(item);
                i = after;
            }
            // `,` then the next entry, or the end.
            if i >= end {
                return None;
            }
            if self.s[i] == b',' {
                i = self.skip_spaces(i + 1, end);
                if i >= end || self.s[i] == close || self.s[i] == b',' {
                    return None;
                }
            } else if self.s[i] == close {
                break;
            } else {
                return None;
            }
        }
        let kind = if map {
            let entries = self.entries.drain(ebase..).collect();
            Kind::Map(dedupe(entries, self.path, &mut self.diags))
        } else {
            Kind::Seq(self.items.drain(ibase..).collect())
        };
        Some((Node { pos, kind }, i + 1))
    }

    /// An entry of a flow collection at `at`: the node and the offset of the next
    /// non-space after it.
    fn flow_item(&mut self, li: usize, at: usize, depth: usize) -> Option<(Node, usize)> {
        let end = self.lines[li].end;
        if at >= end {
            return None;
        }
        let (node, after) = match self.s[at] {
            b'[' | b'{' => self.flow(li, at, depth)?,
            b'\'' | b'"' => self.quoted(li, at)?,
            _ => {
                if !plain_start(self.s, at, end, true) {
                    return None;
                }
                let (send, after) = self.scan_flow_plain(li, at)?;
                let pos = self.pos(li, at);
                return Some((
                    self.scalar(pos, self.text[at..send].to_string(), true)?,
                    after,
                ));
            }
        };
        Some((node, self.skip_spaces(after, end)))
    }

    /// A plain scalar in flow context at `at`: its trimmed end and the offset of the
    /// non-space character that ended it. `None` at a comment or the end of the line.
    fn scan_flow_plain(&self, li: usize, at: usize) -> Option<(usize, usize)> {
        let s = self.s;
        let end = self.lines[li].end;
        let mut last = at;
        let mut i = at;
        while i < end {
            let run = i;
            i = skip_run(s, i, end, &FLOW_STEP);
            if i > run {
                last = i;
            }
            if i == end {
                break;
            }
            let b = s[i];
            if is_flow(b) {
                return Some((last, i));
            }
            if b == b':' && (i + 1 == end || s[i + 1] == b' ' || is_flow(s[i + 1])) {
                return Some((last, i));
            }
            if b == b'#' && s[i - 1] == b' ' {
                return None;
            }
            // yaml-rust2 refuses a word starting with `-` and a flow indicator.
            if b == b'-' && s[i - 1] == b' ' && i + 1 < end && is_flow(s[i + 1]) {
                return None;
            }
            if b != b' ' {
                last = i + 1;
            }
            i += 1;
        }
        None
    }
}

#[cfg(test)]
mod tests;
