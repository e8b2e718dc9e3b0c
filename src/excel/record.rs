//! A branch record (and an `_org.yaml`) as the workbook carries it, and its text in the
//! contract's YAML: stable key order, no comments, one meeting per line. Every value
//! remembers the cell it came from, and the text remembers where it wrote each value, so a
//! diagnostic of the loader on that text points back at the cell. (`from_yaml` reads a
//! record on disk back into rows.)

use crate::yaml::read::classify;
use crate::yaml::{Entry, Kind, Node, ScalarValue};

/// A cell of a workbook: which workbook (index in the import's list), sheet, 0-based row
/// and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At {
    pub book: usize,
    pub sheet: &'static str,
    pub row: u32,
    pub col: u32,
}

/// How a scalar is written: `Plain` as it is (numbers, dates, booleans, ids), `Text` as
/// text, quoted when YAML would read it otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    Text,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Val {
    pub text: String,
    pub style: Style,
    pub at: Option<At>,
}

impl Val {
    pub fn plain(text: impl Into<String>, at: Option<At>) -> Val {
        Val {
            text: text.into(),
            style: Style::Plain,
            at,
        }
    }

    pub fn text(text: impl Into<String>, at: Option<At>) -> Val {
        Val {
            text: text.into(),
            style: Style::Text,
            at,
        }
    }
}

/// The fields of one meeting (or rectification item), in the contract's order, only those
/// given.
pub type MeetingData = Vec<(&'static str, Val)>;

/// A field of the inspection block: one value, or a list (several lines of one cell).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    One(Val),
    List(Vec<Val>),
}

/// The inspection team's findings (`inspection`), its fields in the contract's order,
/// only those given.
#[derive(Debug, Clone, Default)]
pub struct InspectionData {
    /// The row it came from (where a missing field is reported).
    pub at: Option<At>,
    pub fields: Vec<(&'static str, Field)>,
}

/// A measure of one branch: section (`surveys` or `votes`), id, its parts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeasureData {
    pub section: &'static str,
    pub id: String,
    pub parts: Vec<(String, Val)>,
}

#[derive(Debug, Clone, Default)]
pub struct RecordData {
    pub name: Option<Val>,
    pub category: Option<Val>,
    pub members: Option<Val>,
    pub secretary: Option<Val>,
    pub meetings: Vec<MeetingData>,
    /// Checklist id → the items done.
    pub checklists: Vec<(String, Vec<Val>)>,
    pub measures: Vec<MeasureData>,
    pub facts: Vec<(String, Val)>,
    pub incidents: Vec<(String, Val)>,
    pub honors: Vec<(String, Val)>,
    /// (indicator id, level).
    pub ratings: Vec<(Val, Val)>,
    /// (indicator id, score).
    pub self_scores: Vec<(Val, Val)>,
    pub inspection: Option<InspectionData>,
    /// The rectification plan's items, their fields in the contract's order.
    pub rectification: Vec<MeetingData>,
    /// Top-level keys the workbook does not carry, kept from the record on disk as they are.
    pub extra: Vec<Entry>,
}

#[derive(Debug, Clone, Default)]
pub struct OrgData {
    pub name: Option<Val>,
    pub kind: Option<Val>,
    /// `coverage` and anything else the workbook does not carry, kept as they are.
    pub extra: Vec<Entry>,
}

/// Where the text put a value: 1-based line and column (in characters), and its cell.
#[derive(Debug, Clone)]
pub struct Mark {
    pub line: usize,
    pub col: usize,
    pub at: At,
}

/// The cell a diagnostic at (line, col) of an emitted text points at: the last value on
/// that line that starts at or before the column, else the line's first value. `None` when
/// the line holds no value from a cell (a section key, a kept block).
pub fn place(marks: &[Mark], line: usize, col: usize) -> Option<&At> {
    let start = marks.partition_point(|m| m.line < line);
    let on_line = marks[start..].iter().take_while(|m| m.line == line);
    let mut best = None;
    for (k, m) in on_line.enumerate() {
        if k == 0 || m.col <= col {
            best = Some(&m.at);
        }
    }
    best
}

/// Whether YAML could read a plain scalar as anything but text: only a text starting
/// like a number, a boolean or a null can (the test before the exact one, which parses).
pub(super) fn could_be_value(t: &str) -> bool {
    matches!(
        t.as_bytes().first(),
        Some(b'0'..=b'9' | b'+' | b'-' | b'.' | b'~' | b't' | b'T' | b'f' | b'F' | b'n' | b'N')
    ) && !matches!(classify(t, true), ScalarValue::Text(_))
}

/// Whether a text's characters allow it unquoted in block and flow context, read back as
/// the same characters (one pass over the bytes; a record writes tens of thousands).
fn plain_syntax(t: &str) -> bool {
    let b = t.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return false;
    };
    if matches!(
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
        || last == b'-'
    {
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
    let work = |t: &str| {
        !crate::invisible::needs_work(t)
            && !t
                .chars()
                .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}'))
    };
    SEEN.with(|seen| {
        let mut seen = seen.borrow_mut();
        if let Some(&ok) = seen.get(t) {
            return ok;
        }
        let ok = work(t);
        // Bounded: long unique texts (names, plans) do not pile up.
        if seen.len() >= 4096 {
            seen.clear();
        }
        seen.insert(t.into(), ok);
        ok
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
    let t = v.text.as_str();
    let plain = match v.style {
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

/// The text being written, with the line and column reached and the marks made.
struct Out {
    s: String,
    line: usize,
    col: usize,
    marks: Vec<Mark>,
}

impl Out {
    fn new() -> Out {
        Out {
            s: String::new(),
            line: 1,
            col: 1,
            marks: Vec::new(),
        }
    }

    fn raw(&mut self, t: &str) {
        self.s.push_str(t);
        self.col += t.chars().count();
    }

    fn nl(&mut self) {
        self.s.push('\n');
        self.line += 1;
        self.col = 1;
    }

    fn mark(&mut self, at: &Option<At>) {
        if let Some(at) = at {
            self.marks.push(Mark {
                line: self.line,
                col: self.col,
                at: at.clone(),
            });
        }
    }

    fn val(&mut self, v: &Val) {
        self.mark(&v.at);
        match scalar_text(v) {
            std::borrow::Cow::Borrowed(t) => self.raw(t),
            std::borrow::Cow::Owned(t) => self.raw(&t),
        }
    }

    /// `key: value` on a line of its own; the key carries the value's cell too.
    fn field(&mut self, indent: &str, key: &Val, v: &Val) {
        self.raw(indent);
        self.val(&Val {
            at: v.at.clone(),
            ..key.clone()
        });
        self.raw(": ");
        self.val(v);
        self.nl();
    }

    /// A section of `id: value` lines, left out when empty.
    fn keyed(&mut self, section: &str, list: &[(String, Val)]) {
        if list.is_empty() {
            return;
        }
        self.section(section);
        for (id, v) in list {
            self.field("  ", &Val::plain(id.clone(), None), v);
        }
    }

    /// A section of `key: value` lines whose keys came from cells, left out when empty.
    fn pairs(&mut self, section: &str, list: &[(Val, Val)]) {
        if list.is_empty() {
            return;
        }
        self.section(section);
        for (k, v) in list {
            self.raw("  ");
            self.val(k);
            self.raw(": ");
            self.val(v);
            self.nl();
        }
    }

    /// `  key: [a, b]` on a line of its own; the line carries the first item's cell.
    fn list_line(&mut self, key: &str, items: &[Val]) {
        self.raw("  ");
        if let Some(first) = items.first() {
            self.mark(&first.at);
        }
        self.raw(key);
        self.raw(": [");
        for (k, v) in items.iter().enumerate() {
            if k > 0 {
                self.raw(", ");
            }
            self.val(v);
        }
        self.raw("]");
        self.nl();
    }

    /// A list of flow mappings, one per line (`  - { date: …, kind: … }`), left out when
    /// empty; each item's `{` carries its first cell.
    fn flow_items(&mut self, section: &str, items: &[MeetingData]) {
        if items.is_empty() {
            return;
        }
        self.section(section);
        for m in items {
            self.raw("  - { ");
            for (k, (key, v)) in m.iter().enumerate() {
                if k > 0 {
                    self.raw(", ");
                }
                self.mark(&v.at);
                self.raw(key);
                self.raw(": ");
                self.val(v);
            }
            self.raw(" }");
            self.nl();
        }
    }

    fn section(&mut self, key: &str) {
        self.raw(key);
        self.raw(":");
        self.nl();
    }

    /// A kept block, written generically (block mappings, flow collections inside lists).
    fn node(&mut self, indent: usize, n: &Node) {
        let pad = " ".repeat(indent);
        match &n.kind {
            Kind::Map(entries) if !entries.is_empty() => {
                for e in entries {
                    self.raw(&pad);
                    self.entry_at(indent, e);
                }
            }
            Kind::Seq(items) if !items.is_empty() => {
                for i in items {
                    self.raw(&pad);
                    self.raw("- ");
                    self.raw(&flow(i));
                    self.nl();
                }
            }
            _ => {
                self.raw(&pad);
                self.raw(&flow(n));
                self.nl();
            }
        }
    }

    /// A top-level kept entry.
    fn entry(&mut self, e: &Entry) {
        self.entry_at(0, e);
    }

    /// `key: value` of a kept block at `indent`: a scalar or an empty collection on the
    /// line, anything else below it.
    fn entry_at(&mut self, indent: usize, e: &Entry) {
        self.raw(&key_text(e));
        self.raw(":");
        if matches!(&e.value.kind, Kind::Scalar(_)) || is_empty_collection(&e.value) {
            self.raw(" ");
            self.raw(&flow(&e.value));
            self.nl();
        } else {
            self.nl();
            self.node(indent + 2, &e.value);
        }
    }
}

fn is_empty_collection(n: &Node) -> bool {
    match &n.kind {
        Kind::Map(e) => e.is_empty(),
        Kind::Seq(i) => i.is_empty(),
        Kind::Scalar(_) => false,
    }
}

pub(super) fn node_val(n: &Node) -> Val {
    match &n.kind {
        Kind::Scalar(s) if s.plain => Val::plain(s.text.clone(), None),
        Kind::Scalar(s) => Val::text(s.text.clone(), None),
        _ => Val::text(String::new(), None),
    }
}

fn key_text(e: &Entry) -> String {
    scalar_text(&node_val(&e.key)).into_owned()
}

/// A node in flow style: `{ a: 1, b: [x, y] }`.
fn flow(n: &Node) -> String {
    match &n.kind {
        Kind::Scalar(_) => scalar_text(&node_val(n)).into_owned(),
        Kind::Seq(items) => {
            let parts: Vec<String> = items.iter().map(flow).collect();
            format!("[{}]", parts.join(", "))
        }
        Kind::Map(entries) if entries.is_empty() => "{}".to_string(),
        Kind::Map(entries) => {
            let parts: Vec<String> = entries
                .iter()
                .map(|e| format!("{}: {}", key_text(e), flow(&e.value)))
                .collect();
            format!("{{ {} }}", parts.join(", "))
        }
    }
}

/// The record's YAML and where each cell's value went.
pub fn emit(rec: &RecordData) -> (String, Vec<Mark>) {
    let mut o = Out::new();
    for (key, v) in [
        ("name", &rec.name),
        ("category", &rec.category),
        ("members", &rec.members),
        ("secretary", &rec.secretary),
    ] {
        if let Some(v) = v {
            o.field("", &Val::plain(key, None), v);
        }
    }
    o.flow_items("meetings", &rec.meetings);
    if !rec.checklists.is_empty() {
        o.section("checklists");
        for (id, items) in &rec.checklists {
            o.list_line(&scalar_text(&Val::plain(id.clone(), None)), items);
        }
    }
    let mut sections: Vec<&'static str> = Vec::new();
    for m in &rec.measures {
        if !sections.contains(&m.section) {
            sections.push(m.section);
        }
    }
    for section in sections {
        o.section(section);
        for m in rec.measures.iter().filter(|m| m.section == section) {
            o.raw("  ");
            if let Some((_, first)) = m.parts.first() {
                o.mark(&first.at);
            }
            o.raw(&scalar_text(&Val::plain(m.id.clone(), None)));
            o.raw(": { ");
            for (k, (part, v)) in m.parts.iter().enumerate() {
                if k > 0 {
                    o.raw(", ");
                }
                o.mark(&v.at);
                o.raw(part);
                o.raw(": ");
                o.val(v);
            }
            o.raw(" }");
            o.nl();
        }
    }
    o.keyed("facts", &rec.facts);
    o.keyed("incidents", &rec.incidents);
    o.pairs("ratings", &rec.ratings);
    o.keyed("honors", &rec.honors);
    o.pairs("self_scores", &rec.self_scores);
    if let Some(ins) = &rec.inspection {
        o.mark(&ins.at);
        o.section("inspection");
        for (key, f) in &ins.fields {
            match f {
                Field::One(v) => o.field("  ", &Val::plain(*key, None), v),
                Field::List(items) => o.list_line(key, items),
            }
        }
    }
    o.flow_items("rectification", &rec.rectification);
    for e in &rec.extra {
        o.entry(e);
    }
    (o.s, o.marks)
}

/// An `_org.yaml`'s YAML and where each cell's value went.
pub fn emit_org(org: &OrgData) -> (String, Vec<Mark>) {
    let mut o = Out::new();
    for (key, v) in [("name", &org.name), ("kind", &org.kind)] {
        if let Some(v) = v {
            o.field("", &Val::plain(key, None), v);
        }
    }
    for e in &org.extra {
        o.entry(e);
    }
    (o.s, o.marks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse;

    fn at(row: u32, col: u32) -> Option<At> {
        Some(At {
            book: 0,
            sheet: "会议",
            row,
            col,
        })
    }

    #[test]
    fn text_that_yaml_would_misread_is_quoted_and_reads_back() {
        for t in [
            "12",
            "true",
            "null",
            "~",
            "",
            " 前后空格 ",
            "a: b",
            "x #y",
            "[1]",
            "{a}",
            "a, b",
            "- 列表",
            "\u{cc6} -",
            "中 -",
            "a -",
            "# 注释",
            "引号\"和\\",
            "换\n行",
            "制表\t符",
            "'单引号",
            "@at",
            "%p",
            "正常的议题：学习党章",
            "yes",
            "0x1F",
            "1e3",
            ".5",
            "2026-01-08",
        ] {
            let v = Val::text(t, None);
            let yaml = format!("k: {}\nl: [{}]\n", scalar_text(&v), scalar_text(&v));
            let mut d = Vec::new();
            let root = parse(&yaml, "t.yaml", &mut d).unwrap().unwrap();
            let Kind::Map(e) = &root.kind else { panic!() };
            let Kind::Scalar(s) = &e[0].value.kind else {
                panic!("{yaml}")
            };
            assert_eq!(s.text, t, "{yaml}");
            assert!(
                matches!(classify(&s.text, s.plain), ScalarValue::Text(_)),
                "{yaml} must stay text"
            );
            let Kind::Seq(items) = &e[1].value.kind else {
                panic!("{yaml}")
            };
            let Kind::Scalar(s) = &items[0].kind else {
                panic!("{yaml}")
            };
            assert_eq!(s.text, t, "{yaml}");
        }
        assert_eq!(
            scalar_text(&Val::text("桥一居民区党支部", None)),
            "桥一居民区党支部"
        );
        assert_eq!(scalar_text(&Val::plain("4.5", None)), "4.5");
        assert_eq!(scalar_text(&Val::plain("-1", None)), "-1");
    }

    proptest::proptest! {
        // Whatever a cell holds, the record reads back exactly that text (never a number,
        // a boolean, a null, a comment or a second key).
        #[test]
        fn any_text_reads_back_as_itself(t in "[\\PC\t\n]{0,40}") {
            let v = Val::text(t.clone(), None);
            let yaml = format!("k: {}\nl: [{}, x]\n", scalar_text(&v), scalar_text(&v));
            let mut d = Vec::new();
            let root = parse(&yaml, "t.yaml", &mut d).unwrap().unwrap();
            let Kind::Map(e) = &root.kind else { panic!() };
            proptest::prop_assert_eq!(e.len(), 2);
            // As written, or as the loader's policy for invisible characters leaves it (the
            // same for a YAML file and a cell; an escaped character is not normalised).
            let clean = crate::invisible::normalise(&t).map_or(t.clone(), |(clean, _)| clean);
            let Kind::Scalar(s) = &e[0].value.kind else { panic!("{yaml}") };
            proptest::prop_assert!(s.text == t || s.text == clean, "{yaml}");
            let t = s.text.clone();
            proptest::prop_assert!(matches!(classify(&s.text, s.plain), ScalarValue::Text(_)));
            let Kind::Seq(items) = &e[1].value.kind else { panic!("{yaml}") };
            proptest::prop_assert_eq!(items.len(), 2);
            let Kind::Scalar(s) = &items[0].kind else { panic!("{yaml}") };
            proptest::prop_assert_eq!(&s.text, &t);
        }
    }

    #[test]
    fn marks_point_back_at_cells() {
        let rec = RecordData {
            name: Some(Val::text("一支部", at(2, 1))),
            meetings: vec![vec![
                ("date", Val::plain("2026-02-30", at(5, 2))),
                ("kind", Val::plain("committee", at(5, 3))),
            ]],
            ..RecordData::default()
        };
        let (text, marks) = emit(&rec);
        assert_eq!(
            text,
            "name: 一支部\nmeetings:\n  - { date: 2026-02-30, kind: committee }\n"
        );
        assert_eq!(place(&marks, 1, 7).unwrap().col, 1);
        assert_eq!(place(&marks, 3, 15).unwrap().col, 2);
        assert_eq!(place(&marks, 3, 33).unwrap().col, 3);
        // The `{` of the meeting: its first cell.
        assert_eq!(place(&marks, 3, 5).unwrap().col, 2);
        assert!(place(&marks, 2, 1).is_none());
    }
}
