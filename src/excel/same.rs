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
//! The blocks not alike byte for byte are, in such a district, a mapping in another order
//! (`facts`, `self_scores` with `1.0`) and a plan written as block mappings: told without
//! canonicalising or allocating ([`lines_reordered`], [`items_alike`]), `reordered` went
//! from 162 M to 118 M instructions and [`blocks`] from 95 M to none (callgrind,
//! `import --dry-run` of `synth --branches 2000 --years 1`, `RAYON_NUM_THREADS=1`,
//! inclusive); what is left is mostly finding the blocks ([`raw_blocks`], 60 M).

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
        if !flow_entry(entry) {
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

/// Whether a `key: value` line of a block mapping reads the same inside a flow mapping.
fn flow_entry(entry: &str) -> bool {
    let Some((key, value)) = entry.split_once(": ") else {
        return false;
    };
    let unsafe_ = |t: &str| t.is_empty() || t.contains([',', '[', ']', '{', '}', '#']);
    !(unsafe_(key) || unsafe_(value) || value.contains(": ") || value.ends_with(':'))
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
    // A record has about 15 top-level keys.
    let mut out = Vec::with_capacity(16);
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
                || lines_reordered(x, y)
                || items_alike(x, y)
                || match (blocks(x.1), blocks(y.1)) {
                    (Some(p), Some(q)) => p == q,
                    _ => false,
                }
        })
}

/// The most indented lines a block may have to be told by [`lines_reordered`].
const MOST_LINES: usize = 64;

/// Whether two blocks with one first line hold the same indented lines, byte for byte but
/// for a number's trailing zeros, in another order, none an item of a sequence (`  - `): a
/// mapping's keys reordered, which [`blocks`] would also say after canonicalising and
/// sorting every line (a proptest checks it). Most blocks of an unchanged record that are
/// not byte-identical are such (`facts`, `self_scores` in another order): their lines
/// compared sorted, on the stack, without canonicalising them (the module comment has the
/// numbers). Anything else says "no" and goes to [`blocks`].
fn lines_reordered(x: &RawBlock<'_>, y: &RawBlock<'_>) -> bool {
    if !(x.2 && y.2 && x.0 == y.0) {
        return false;
    }
    let (mut p, mut q) = ([""; MOST_LINES], [""; MOST_LINES]);
    let (Some(p), Some(q)) = (indented(x.1, &mut p), indented(y.1, &mut q)) else {
        return false;
    };
    if p.len() != q.len() || p.iter().any(|l| l.starts_with("  - ")) {
        return false;
    }
    for l in p.iter_mut().chain(q.iter_mut()) {
        *l = without_trailing_zeros(l);
    }
    p.sort_unstable();
    q.sort_unstable();
    p == q
}

/// A `key: value` line whose value is a decimal number written with zeros after its last
/// significant digit (`1.0`, `2.50`, how `synth` writes self-assessed scores) up to that
/// digit (`1`, `2.5`): as [`canonical_line`] gives it, but a slice of the line. Any other
/// line as it is.
fn without_trailing_zeros(line: &str) -> &str {
    let b = line.as_bytes();
    if b.last() != Some(&b'0') {
        return line;
    }
    let Some(split) = memchr::memchr_iter(b':', b).find(|&i| b.get(i + 1) == Some(&b' ')) else {
        return line;
    };
    let value = &b[split + 2..];
    let digits = value.strip_prefix(b"-").unwrap_or(value);
    let Some(dot) = digits.iter().position(|&c| c == b'.') else {
        return line;
    };
    let (whole, frac) = (&digits[..dot], &digits[dot + 1..]);
    if whole.is_empty()
        || frac.is_empty()
        || !whole.iter().all(u8::is_ascii_digit)
        || !frac.iter().all(u8::is_ascii_digit)
    {
        return line;
    }
    let kept = frac.len() - frac.iter().rev().take_while(|&&c| c == b'0').count();
    // The point goes with the last of the decimals.
    let cut = b.len() - (frac.len() - kept) - usize::from(kept == 0);
    &line[..cut]
}

/// Whether a block of sequence items of `disk` (`rectification:`), each written as a block
/// mapping (`  - id: a` and `    problem: b` below it) or as one line, holds the lines `new`
/// holds (`  - { id: a, problem: b }`): what [`blocks`] says after making each item's
/// [`flow_item`], told without making it (callgrind, 2,000 branches: 949 such plans, about
/// 13,000 instructions each side through [`blocks`]).
fn items_alike(new: &RawBlock<'_>, disk: &RawBlock<'_>) -> bool {
    if new.0 != disk.0 || !new.2 {
        return false;
    }
    let mut want = new.1.split_terminator('\n').skip(1);
    let mut lines = disk.1.split_terminator('\n').skip(1).peekable();
    while let Some(line) = lines.next() {
        let (Some(first), Some(item)) = (line.strip_prefix("  - "), want.next()) else {
            return false;
        };
        let mut below = std::iter::from_fn(|| {
            lines
                .next_if(|l| l.starts_with("    ") && !l[4..].starts_with(' '))
                .map(|l| &l[4..])
        })
        .peekable();
        if below.peek().is_none() {
            if line != item {
                return false;
            }
            continue;
        }
        if first.starts_with('{') {
            return false;
        }
        let Some(mut rest) = item
            .strip_prefix("  - { ")
            .and_then(|i| i.strip_suffix(" }"))
        else {
            return false;
        };
        for (k, entry) in std::iter::once(first).chain(below).enumerate() {
            let next = flow_entry(entry)
                .then_some(rest)
                .and_then(|r| if k > 0 { r.strip_prefix(", ") } else { Some(r) })
                .and_then(|r| r.strip_prefix(entry));
            let Some(next) = next else {
                return false;
            };
            rest = next;
        }
        if !rest.is_empty() {
            return false;
        }
    }
    want.next().is_none()
}

/// The lines of a block after its first, in `out`; `None` when there are more than it holds.
fn indented<'a, 'b>(
    block: &'a str,
    out: &'b mut [&'a str; MOST_LINES],
) -> Option<&'b mut [&'a str]> {
    let mut n = 0;
    for line in block.split_terminator('\n').skip(1) {
        *out.get_mut(n)? = line;
        n += 1;
    }
    Some(&mut out[..n])
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
        // Told block by block, the byte-identical blocks not read line by line, the facts
        // by their lines sorted.
        assert!(super::by_block(moved, NEW));
        let (a, b) = (
            super::raw_blocks(moved).unwrap(),
            super::raw_blocks(NEW).unwrap(),
        );
        assert!(
            super::lines_reordered(&b[1], &a[1]),
            "{:?} {:?}",
            b[1],
            a[1]
        );
        // Not a sequence's items in another order, nor a line written otherwise.
        let swapped = NEW.replace(
            "  - { date: 2026-01-05, kind: general }\n  - { date: 2026-02-05, kind: group }",
            "  - { date: 2026-02-05, kind: group }\n  - { date: 2026-01-05, kind: general }",
        );
        let c = super::raw_blocks(&swapped).unwrap();
        assert_eq!(c[2].0, "meetings:");
        assert!(!super::lines_reordered(
            &super::raw_blocks(NEW).unwrap()[2],
            &c[2]
        ));
        let longer = moved.replace("a: 1", "a: 1.0");
        let d = super::raw_blocks(&longer).unwrap();
        assert!(super::lines_reordered(&b[1], &d[1]));
        for (line, cut) in [
            ("  a: 1.0", "  a: 1"),
            ("  a: -10.500", "  a: -10.5"),
            ("  a: 10", "  a: 10"),
            ("  a: 1.", "  a: 1."),
            ("  a: .50", "  a: .50"),
            ("  a: x1.0", "  a: x1.0"),
            ("  a: 1.0.0", "  a: 1.0.0"),
            ("  a: 2026-01.0", "  a: 2026-01.0"),
            ("  - { a: 1.0 }", "  - { a: 1.0 }"),
        ] {
            assert_eq!(super::without_trailing_zeros(line), cut);
        }
        assert!(super::by_block(&longer, NEW));
        assert!(!super::by_block(&moved.replace("a: 1", "a: 2"), NEW));
        assert!(!super::by_block(&format!("{moved}\n"), NEW));
        // 1.0 is the number 1, as the workbook gives it back.
        assert!(reordered(&NEW.replace("a: 1\n", "a: 1.00\n"), NEW));
        assert!(reordered(&NEW.replace("b: true", "b: True"), NEW));
        // A plan item written as a block mapping is the flow line emit writes.
        let plan = "rectification:\n  - { id: item1, problem: 台账不全, due: 2026-09-28 }\n";
        let block = "rectification:\n  - id: item1\n    problem: 台账不全\n    due: 2026-09-28\n";
        assert!(reordered(block, plan));
        let (p, b) = (
            super::raw_blocks(plan).unwrap(),
            super::raw_blocks(block).unwrap(),
        );
        assert!(super::items_alike(&p[0], &b[0]));
        let two = format!("{plan}  - {{ id: item2 }}\n");
        let p2 = super::raw_blocks(&two).unwrap();
        for (disk, alike) in [
            (format!("{block}  - {{ id: item2 }}\n"), true),
            (format!("{block}  - id: item2\n"), false),
            (
                format!("{block}  - {{ id: item2 }}\n  - {{ id: item3 }}\n"),
                false,
            ),
            (block.to_string(), false),
            (block.replace("item1", "item9"), false),
            (format!("{block}  - id: item2\n    x: y\n"), false),
            (block.replace("    due", "     due"), false),
            (block.replace("    due", "  due"), false),
        ] {
            let d = super::raw_blocks(&disk).unwrap();
            assert_eq!(super::items_alike(&p2[0], &d[0]), alike, "{disk}");
            // Never "yes" where the whole texts compared would say "no".
            if alike {
                assert!(super::blocks(&two) == super::blocks(&disk), "{disk}");
            }
        }
    }

    /// Lines a block of a record may hold, alike and not.
    const LINES: [&str; 18] = [
        "  a: 1",
        "  a: 1.0",
        "  a: 1.50",
        "  a: 1.5",
        "  a: 00.0",
        "  b: x",
        "  b: x, y",
        "  - { id: x, p: y }",
        "  - { id: x }",
        "  - id: x",
        "    p: y",
        "    p: y, z",
        "     q: 1",
        "   c: d",
        "",
        "  - x",
        "  a: 1 # c",
        "b: 1",
    ];

    proptest::proptest! {
        // The shortcuts for a block never say "yes" where its lines canonicalised and
        // compared would not.
        #[test]
        fn a_blocks_shortcuts_agree_with_its_lines(
            x in proptest::collection::vec(0..LINES.len(), 0..8),
            y in proptest::collection::vec(0..LINES.len(), 0..8),
        ) {
            let text = |ix: &[usize]| {
                let mut t = String::from("k:\n");
                for &i in ix {
                    t.push_str(LINES[i]);
                    t.push('\n');
                }
                t
            };
            let (tx, ty) = (text(&x), text(&y));
            let (a, b) = (super::raw_blocks(&tx).unwrap(), super::raw_blocks(&ty).unwrap());
            for p in &a {
                for q in &b {
                    if super::lines_reordered(p, q) || super::items_alike(p, q) {
                        let (bp, bq) = (super::blocks(p.1), super::blocks(q.1));
                        proptest::prop_assert!(bp.is_some() && bp == bq, "{:?} {:?}", p, q);
                    }
                }
            }
        }
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
