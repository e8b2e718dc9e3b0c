//! Whether two records (or organisation nodes) hold the same rows, so that their YAML would
//! be the same text: what tells an import that a record did not change, without writing the
//! record on disk out again (that second [`emit`](super::emit::emit) was a fifth of an
//! unchanged district's import). Only a "yes" is trusted: it compares everything `emit`
//! writes, values by their text (a value read as plain and one given as text are the same
//! when `emit` writes them alike); on a "no" the caller compares the texts.
//!
//! [`reordered`] tells it from the file's text alone, before any of that: a record whose
//! lines are the new text's with only mapping keys in another order or numbers written
//! longer (how `synth`, and people, write them: `1.0`) holds the same data. Reading each such record back into rows
//! to find that out was 1.9 G of the 8.24 G instructions of an unchanged import of 2,000
//! synthetic branches (callgrind); the line comparison costs a few thousand a record.

use std::borrow::Cow;

use super::record::{Field, InspectionData, MeasureData, MeetingData, OrgData, RecordData, Val};
use super::scalar::{could_be_value, scalar_text};
use crate::decimal;
use crate::yaml::ScalarValue;
use crate::yaml::read::classify;

fn val(a: &Val, b: &Val) -> bool {
    a.text == b.text && (a.style == b.style || scalar_text(a) == scalar_text(b))
}

fn opt(a: &Option<Val>, b: &Option<Val>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => val(a, b),
        _ => false,
    }
}

fn all<T>(a: &[T], b: &[T], eq: impl Fn(&T, &T) -> bool) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| eq(x, y))
}

/// Keyed values in order: a meeting's or plan item's cells, facts, a measure's parts.
fn keyed<K: PartialEq>(a: &[(K, Val)], b: &[(K, Val)]) -> bool {
    all(a, b, |(ka, va), (kb, vb)| ka == kb && val(va, vb))
}

fn pairs(a: &[(Val, Val)], b: &[(Val, Val)]) -> bool {
    all(a, b, |(ka, va), (kb, vb)| val(ka, kb) && val(va, vb))
}

fn measure(a: &MeasureData, b: &MeasureData) -> bool {
    a.section == b.section && a.id == b.id && keyed(&a.parts, &b.parts)
}

fn field(a: &Field, b: &Field) -> bool {
    match (a, b) {
        (Field::One(a), Field::One(b)) => val(a, b),
        (Field::List(a), Field::List(b)) => all(a, b, val),
        _ => false,
    }
}

fn inspection(a: &Option<InspectionData>, b: &Option<InspectionData>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => all(&a.fields, &b.fields, |(ka, fa), (kb, fb)| {
            ka == kb && field(fa, fb)
        }),
        _ => false,
    }
}

/// Whether `a` and `b` certainly give the same YAML.
pub fn record(a: &RecordData, b: &RecordData) -> bool {
    opt(&a.name, &b.name)
        && opt(&a.category, &b.category)
        && opt(&a.members, &b.members)
        && opt(&a.secretary, &b.secretary)
        && all(&a.meetings, &b.meetings, |x: &MeetingData, y| keyed(x, y))
        && all(&a.checklists, &b.checklists, |(ia, la), (ib, lb)| {
            ia == ib && all(la, lb, val)
        })
        && all(&a.measures, &b.measures, measure)
        && keyed(&a.facts, &b.facts)
        && keyed(&a.incidents, &b.incidents)
        && keyed(&a.honors, &b.honors)
        && pairs(&a.ratings, &b.ratings)
        && pairs(&a.self_scores, &b.self_scores)
        && inspection(&a.inspection, &b.inspection)
        && all(&a.rectification, &b.rectification, |x: &MeetingData, y| {
            keyed(x, y)
        })
        && a.extra == b.extra
}

/// Whether two organisation nodes certainly give the same YAML.
pub fn org(a: &OrgData, b: &OrgData) -> bool {
    opt(&a.name, &b.name) && opt(&a.kind, &b.kind) && a.extra == b.extra
}

/// Whether a value is a number already at its shortest text (`12`, `0.9`, not `012` or
/// `1.0`) or `true`/`false`: nearly every value that is not text, told without parsing.
fn shortest(value: &str) -> bool {
    if matches!(value, "true" | "false") {
        return true;
    }
    let b = value.strip_prefix('-').unwrap_or(value).as_bytes();
    let (whole, frac) = match b.iter().position(|&c| c == b'.') {
        Some(p) => (&b[..p], Some(&b[p + 1..])),
        None => (b, None),
    };
    !whole.is_empty()
        && whole.iter().all(u8::is_ascii_digit)
        && (whole.len() == 1 || whole[0] != b'0')
        && frac.is_none_or(|f| {
            !f.is_empty() && f.iter().all(u8::is_ascii_digit) && f.last() != Some(&b'0')
        })
        && value != "-0"
}

/// A `key: value` line with its value as the workbook would give it back (a number at its
/// shortest text, `1.0` as `1`; a boolean as `true`), by the rule of
/// [`from_yaml`](super::from_yaml)'s `canonical`; any other line as it is.
fn canonical_line(line: &str) -> Cow<'_, str> {
    // A sequence item (a meeting, most lines of a record) is compared as written; `: ` is
    // found by its `:` (a `str` pattern search cost 500 instructions a line).
    let b = line.as_bytes();
    let split = memchr::memchr_iter(b':', b).find(|&i| b.get(i + 1) == Some(&b' '));
    let Some(split) = split.filter(|_| !line.trim_start().starts_with('-')) else {
        return Cow::Borrowed(line);
    };
    let (key, value) = (&line[..split], &line[split + 2..]);
    if shortest(value) || !could_be_value(value) {
        return Cow::Borrowed(line);
    }
    let shown = match classify(value, true) {
        ScalarValue::Number(v) => decimal::show(v),
        ScalarValue::Bool(b) => b.to_string(),
        _ => return Cow::Borrowed(line),
    };
    if shown == value {
        Cow::Borrowed(line)
    } else {
        Cow::Owned(format!("{key}: {shown}"))
    }
}

type Blocks<'a> = Vec<(Cow<'a, str>, Vec<Cow<'a, str>>)>;

/// A sequence item written as a block mapping (`  - id: a` and `    problem: b` below it,
/// how people and `synth` write a rectification plan) as the one flow line `emit` writes
/// (`  - { id: a, problem: b }`). `None` unless every key and value reads the same in a
/// flow mapping: none of `,[]{}#`, no `: ` inside a value.
fn flow_item(first: &str, rest: &[&str]) -> Option<String> {
    let mut out = String::from("  - { ");
    for (k, entry) in std::iter::once(first)
        .chain(rest.iter().copied())
        .enumerate()
    {
        let (key, value) = entry.split_once(": ")?;
        let unsafe_ = |t: &str| t.is_empty() || t.contains([',', '[', ']', '{', '}', '#']);
        if unsafe_(key) || unsafe_(value) || value.contains(": ") || value.ends_with(':') {
            return None;
        }
        if k > 0 {
            out.push_str(", ");
        }
        out.push_str(entry);
    }
    out.push_str(" }");
    Some(out)
}

/// The blocks of a text `emit` writes: each top-level line with the lines indented two
/// spaces below it, a mapping's sorted (key order means nothing), a sequence's (`  - `) as
/// they are, values as [`canonical_line`] gives them, an item written as a block mapping
/// as [`flow_item`] gives it. `None` for any other shape (deeper indentation, a blank line,
/// a child before any key): the caller reads such a file the slow way.
fn blocks(text: &str) -> Option<Blocks<'_>> {
    let mut out: Blocks = Vec::new();
    let lines: Vec<&str> = text.split_terminator('\n').collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        match line.strip_prefix("  ") {
            Some(child) if child.starts_with(' ') => return None,
            Some(child) => {
                let below = lines[i..]
                    .iter()
                    .take_while(|l| l.starts_with("    ") && !l[4..].starts_with(' '))
                    .count();
                let line = if below == 0 {
                    canonical_line(line)
                } else {
                    let first = child.strip_prefix("- ").filter(|f| !f.starts_with('{'))?;
                    let rest: Vec<&str> = lines[i..i + below].iter().map(|l| &l[4..]).collect();
                    i += below;
                    Cow::Owned(flow_item(first, &rest)?)
                };
                out.last_mut()?.1.push(line);
            }
            None if line.is_empty() || line.starts_with(' ') => return None,
            None => out.push((canonical_line(line), Vec::new())),
        }
    }
    for (_, children) in &mut out {
        if !children.first().is_some_and(|c| c.starts_with("  - ")) {
            children.sort_unstable();
        }
    }
    out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Some(out)
}

/// Whether `disk` holds what `new` (a text [`emit`](super::emit::emit) wrote) holds,
/// written with mapping keys in another order or numbers at a longer text (`1.0`): the
/// same lines, each under the same parent, every sequence in the same order. Each line of
/// `new` stands alone (a scalar, or a flow collection, on one line), so such a file reads
/// as the same data. Only a "yes" is trusted: comments, blank lines, other quoting or
/// spacing say "no".
pub fn reordered(disk: &str, new: &str) -> bool {
    by_block(disk, new)
        || match (blocks(new), blocks(disk)) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        }
}

/// A top-level block of a text: its first line, its text (line ends included), and whether
/// [`blocks`] reads it line by line as written (no blank line; every indented line a child
/// two spaces in, not deeper, not one space).
type RawBlock<'a> = (&'a str, &'a str, bool);

/// The top-level blocks of a text (a line at the margin with the indented lines below it),
/// sorted by their first line; `None` when the text starts indented.
fn raw_blocks(text: &str) -> Option<Vec<RawBlock<'_>>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    // The block being read: where it starts, where its first line ends, whether it is plain.
    let mut block: Option<(usize, usize, bool)> = None;
    let mut start = 0;
    while start < b.len() {
        let end = memchr::memchr(b'\n', &b[start..]).map_or(b.len(), |i| start + i);
        if b[start] != b' ' {
            if let Some((s, h, plain)) = block {
                out.push((&text[s..h], &text[s..start], plain));
            }
            block = Some((start, end, end > start));
        } else {
            let Some((_, _, plain)) = &mut block else {
                return None;
            };
            *plain &= b.get(start + 1) == Some(&b' ') && b.get(start + 2) != Some(&b' ');
        }
        start = end + 1;
    }
    if let Some((s, h, plain)) = block {
        out.push((&text[s..h], &text[s..], plain));
    }
    out.sort_unstable_by(|x, y| x.0.cmp(y.0));
    Some(out)
}

/// [`reordered`] block by block: the top-level blocks of both texts paired by their first
/// line, a pair alike byte for byte taken as it is, any other compared as [`blocks`]
/// gives it. Most of an unchanged record's blocks are byte-identical (a record `synth`
/// writes differs in where `votes` stands and the order of a few facts): canonicalising
/// and sorting every line of both texts cost 362 M instructions of 2,000 branches' import
/// (callgrind). Only a "yes" is trusted: blocks paired otherwise (two with one first line,
/// a header written longer) say "no", and the whole texts are compared.
fn by_block(disk: &str, new: &str) -> bool {
    let (Some(a), Some(b)) = (raw_blocks(new), raw_blocks(disk)) else {
        return false;
    };
    a.len() == b.len()
        && a.iter().zip(&b).all(|(x, y)| {
            (x.1 == y.1 && x.2)
                || match (blocks(x.1), blocks(y.1)) {
                    (Some(p), Some(q)) => p == q,
                    _ => false,
                }
        })
}

#[cfg(test)]
mod tests {
    use super::{reordered, shortest};

    #[test]
    fn numbers_at_their_shortest_are_told_without_parsing() {
        for t in ["0", "12", "0.9", "-3.25", "true", "false"] {
            assert!(shortest(t), "{t}");
        }
        for t in [
            "012",
            "1.0",
            "1.",
            ".5",
            "-0",
            "1e3",
            "True",
            "",
            "-",
            "2026-01-05",
        ] {
            assert!(!shortest(t), "{t}");
        }
    }

    const NEW: &str = "name: 一支部\ncategory: rural\nmeetings:\n  - { date: 2026-01-05, kind: general }\n  - { date: 2026-02-05, kind: group }\nfacts:\n  a: 1\n  b: true\nvotes:\n  v: { excellent: 3, good: 1 }\n";

    #[test]
    fn keys_in_another_order_are_the_same_record() {
        assert!(reordered(NEW, NEW));
        let moved = "category: rural\nvotes:\n  v: { excellent: 3, good: 1 }\nname: 一支部\nfacts:\n  b: true\n  a: 1\nmeetings:\n  - { date: 2026-01-05, kind: general }\n  - { date: 2026-02-05, kind: group }\n";
        assert!(reordered(moved, NEW));
        // Told block by block, the byte-identical blocks not read line by line.
        assert!(super::by_block(moved, NEW));
        assert!(!super::by_block(&moved.replace("a: 1", "a: 2"), NEW));
        assert!(!super::by_block(&format!("{moved}\n"), NEW));
        // 1.0 is the number 1, as the workbook gives it back.
        assert!(reordered(&NEW.replace("a: 1\n", "a: 1.00\n"), NEW));
        assert!(reordered(&NEW.replace("b: true", "b: True"), NEW));
        // A plan item written as a block mapping is the flow line emit writes.
        let plan = "rectification:\n  - { id: item1, problem: 台账不全, due: 2026-09-28 }\n";
        let block = "rectification:\n  - id: item1\n    problem: 台账不全\n    due: 2026-09-28\n";
        assert!(reordered(block, plan));
    }

    #[test]
    fn anything_else_is_not_taken_as_the_same() {
        assert!(!reordered(
            "rectification:\n  - x: a, y: b\n",
            "rectification:\n  - { x: a, y: b }\n"
        ));
        assert!(!reordered(
            "rectification:\n  - x: a\n    y: [b]\n",
            "rectification:\n  - { x: a, y: [b] }\n"
        ));
        // Meetings in another order, a value changed, a key moved to another section, a
        // comment, a blank line, a nested block, a parts order inside a flow mapping.
        for disk in [
            NEW.replace(
                "  - { date: 2026-01-05, kind: general }\n  - { date: 2026-02-05, kind: group }",
                "  - { date: 2026-02-05, kind: group }\n  - { date: 2026-01-05, kind: general }",
            ),
            NEW.replace("a: 1", "a: 2"),
            NEW.replace("a: 1", "a: 1.01"),
            NEW.replace("a: 1", "a: \"1\""),
            NEW.replace("facts:\n  a: 1\n", "facts:\n")
                .replace("votes:\n", "votes:\n  a: 1\n"),
            NEW.replace("name: 一支部", "name: 一支部 # x"),
            NEW.replace("facts:", "\nfacts:"),
            NEW.replace("  b: true", "  b:\n    c: 1"),
            NEW.replace("{ excellent: 3, good: 1 }", "{ good: 1, excellent: 3 }"),
            NEW.replace('\n', "\r\n"),
            format!("---\n{NEW}"),
            // `{ x: a, y: b }` is two keys; `x: a, y: b` in a block, one.
            "rectification:\n  - x: a, y: b\n".into(),
        ] {
            assert!(!reordered(&disk, NEW), "{disk}");
        }
    }
}
