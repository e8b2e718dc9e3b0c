//! A record's text in the contract's YAML: stable key order, no comments, one meeting per
//! line, each value's place remembered as a [`Mark`].
//!
//! Measured (callgrind, `import --dry-run` of `synth --branches 2000 --years 1` with its template, `RAYON_NUM_THREADS=1`, inclusive): `emit` 369 M → 304 M
//! instructions (`Out::scalar` 281 M → 202 M), with the column counted only at a mark and
//! [`scalar_str`] cheaper.

use super::record::{At, Field, Mark, MeetingData, OrgData, RecordData, Style, Val};
use super::scalar::{scalar_str, scalar_text};
use crate::yaml::{Entry, Kind, Node};

/// The text being written, with the line reached and the marks made. The column is
/// counted only when a mark needs it, from where the last count stopped: counting it at
/// every piece written cost about 20 instructions a piece, four pieces a value.
struct Out {
    s: String,
    line: usize,
    /// The column (in characters) of the byte `counted` of `s`.
    col: usize,
    counted: usize,
    marks: Vec<Mark>,
}

impl Out {
    fn new() -> Out {
        Out {
            s: String::new(),
            line: 1,
            col: 1,
            counted: 0,
            marks: Vec::new(),
        }
    }

    fn raw(&mut self, t: &str) {
        self.s.push_str(t);
    }

    fn nl(&mut self) {
        self.s.push('\n');
        self.line += 1;
        self.col = 1;
        self.counted = self.s.len();
    }

    fn mark(&mut self, at: &Option<At>) {
        if let Some(at) = at {
            // Characters counted as the bytes that start one (a loop that vectorises).
            let since = &self.s.as_bytes()[self.counted..];
            self.col += since.iter().filter(|&&b| (b as i8) >= -0x40).count();
            self.counted = self.s.len();
            self.marks.push(Mark {
                line: self.line,
                col: self.col,
                at: at.clone(),
            });
        }
    }

    fn val(&mut self, v: &Val) {
        self.scalar(&v.text, v.style, &v.at);
    }

    /// A scalar marked with the cell `at`.
    fn scalar(&mut self, text: &str, style: Style, at: &Option<At>) {
        self.mark(at);
        match scalar_str(text, style) {
            std::borrow::Cow::Borrowed(t) => self.raw(t),
            std::borrow::Cow::Owned(t) => self.raw(&t),
        }
    }

    /// `key: value` on a line of its own; the key carries the value's cell too.
    fn field(&mut self, indent: &str, key: &str, v: &Val) {
        self.raw(indent);
        self.scalar(key, Style::Plain, &v.at);
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
            self.field("  ", id, v);
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

    /// `{ key: value, … }` on one line, each value marked with its cell.
    fn flow_mapping<K: AsRef<str>>(&mut self, pairs: &[(K, Val)]) {
        self.raw("{ ");
        for (k, (key, v)) in pairs.iter().enumerate() {
            if k > 0 {
                self.raw(", ");
            }
            self.mark(&v.at);
            self.raw(key.as_ref());
            self.raw(": ");
            self.val(v);
        }
        self.raw(" }");
    }

    /// A list of flow mappings, one per line (`  - { date: …, kind: … }`), left out when
    /// empty; each item's `{` carries its first cell.
    fn flow_items(&mut self, section: &str, items: &[MeetingData]) {
        if items.is_empty() {
            return;
        }
        self.section(section);
        for m in items {
            self.raw("  - ");
            self.flow_mapping(m);
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
    // Sized from the record: growing the marks and the text as they filled cost 70 M of the
    // 530 M instructions 2,000 branches' records took.
    let values = 8
        + 5 * (rec.meetings.len() + rec.rectification.len())
        + rec.checklists.iter().map(|(_, l)| l.len()).sum::<usize>()
        + rec.measures.iter().map(|m| m.parts.len()).sum::<usize>()
        + rec.facts.len()
        + rec.incidents.len()
        + rec.honors.len()
        + 2 * (rec.ratings.len() + rec.self_scores.len());
    let mut o = Out {
        s: String::with_capacity(24 * values),
        marks: Vec::with_capacity(values),
        ..Out::new()
    };
    for (key, v) in [
        ("name", &rec.name),
        ("category", &rec.category),
        ("members", &rec.members),
        ("secretary", &rec.secretary),
    ] {
        if let Some(v) = v {
            o.field("", key, v);
        }
    }
    o.flow_items("meetings", &rec.meetings);
    if !rec.checklists.is_empty() {
        o.section("checklists");
        for (id, items) in &rec.checklists {
            o.list_line(&scalar_str(id, Style::Plain), items);
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
            o.raw(&scalar_str(&m.id, Style::Plain));
            o.raw(": ");
            o.flow_mapping(&m.parts);
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
                Field::One(v) => o.field("  ", key, v),
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
            o.field("", key, v);
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
    use crate::excel::record::place;
    use crate::yaml::read::classify;
    use crate::yaml::{ScalarValue, parse};

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
