//! The invisible-character policy (`crate::invisible`) applied to every scalar of a parsed
//! file, keys included, with a warning at each changed character as written in the file.
//! Both parsers end here, so the fast path and yaml-rust2 still give the same tree.

use std::borrow::Cow;
use std::collections::HashMap;

use super::node::{Entry, Kind, Node, Scalar};
use crate::diagnostics::{Diagnostic, Pos};
use crate::invisible;

/// Cleans every scalar of `root` (parsed from `text`) and warns about what changed; then
/// keys of one mapping that are the same as a reader sees them are duplicates.
/// `keys_may_fold`: some key holds a character that folds ([`invisible::may_fold`]). The
/// fast path knows it from the keys it read; nearly every Chinese text has `，` or `。`,
/// so asking it of the whole text sent every record through [`dedupe_folded`] (0.16 G of
/// the 2.1 G `check` of 1,000 branches over two years, and 0.1 G for the scan itself).
pub(super) fn normalise(
    root: &mut Node,
    text: &str,
    path: &str,
    keys_may_fold: bool,
    diags: &mut Vec<Diagnostic>,
) {
    let strip = invisible::needs_work(text);
    if strip {
        clean(root, text, path, diags);
    }
    if strip || keys_may_fold {
        dedupe_folded(root, path, strip, diags);
    }
}

/// Keys that differ only by what the policy strips or folds (`cun` and `cun` with a
/// zero-width space, `ｃｕｎ`): the parser's own check saw them as different. The second
/// is an error naming the first's place and is dropped, as an exact duplicate is. With
/// nothing stripped (`stripped` false), only a mapping with a key that folds can hold one.
fn dedupe_folded(node: &mut Node, path: &str, stripped: bool, diags: &mut Vec<Diagnostic>) {
    match &mut node.kind {
        Kind::Scalar(_) => {}
        Kind::Seq(items) => items
            .iter_mut()
            .for_each(|n| dedupe_folded(n, path, stripped, diags)),
        Kind::Map(entries) => {
            let folds = |e: &Entry| matches!(invisible::fold(e.key_text()), Cow::Owned(_));
            let mut dupes = Vec::new();
            if stripped || entries.iter().any(folds) {
                let keys: Vec<Cow<str>> = entries
                    .iter()
                    .map(|e| invisible::fold(e.key_text()))
                    .collect();
                let mut first: HashMap<&str, usize> = HashMap::with_capacity(keys.len());
                for (i, k) in keys.iter().enumerate() {
                    match first.get(k.as_ref()) {
                        Some(&f) => dupes.push((i, f)),
                        None => {
                            first.insert(k.as_ref(), i);
                        }
                    }
                }
            }
            for &(i, f) in &dupes {
                let (e, first) = (&entries[i], &entries[f]);
                diags.push(
                    Diagnostic::error(
                        path,
                        e.key.pos,
                        format!(
                            "键 `{}` 与 `{}` 重复（只差不可见字符或全角、半角）",
                            e.key_text(),
                            first.key_text()
                        ),
                    )
                    .with_hint(format!(
                        "第一次出现在第 {} 行第 {} 列；看起来相同的键只能写一次",
                        first.key.pos.line, first.key.pos.col
                    )),
                );
            }
            for &(i, _) in dupes.iter().rev() {
                entries.remove(i);
            }
            for e in entries {
                dedupe_folded(&mut e.value, path, stripped, diags);
            }
        }
    }
}

fn clean(root: &mut Node, text: &str, path: &str, diags: &mut Vec<Diagnostic>) {
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    let offset = |p: Pos| -> usize {
        let Some(&start) = starts.get(p.line.saturating_sub(1)) else {
            return text.len();
        };
        text[start..]
            .char_indices()
            .nth(p.col.saturating_sub(1))
            .map_or(text.len(), |(i, _)| start + i)
    };
    let mut scalars: Vec<(Pos, &mut Scalar)> = Vec::new();
    collect(root, &mut scalars);
    let mut changed = 0usize;
    for i in 0..scalars.len() {
        // A scalar's characters lie between its start and the next scalar's (an alias's
        // copy lies elsewhere: then the warning is at the alias).
        let next = scalars.get(i + 1).map_or(text.len(), |(p, _)| offset(*p));
        let (pos, scalar) = &mut scalars[i];
        let Some((clean, changes)) = invisible::normalise(&scalar.text) else {
            continue;
        };
        let mut search = offset(*pos);
        for ch in changes {
            changed += 1;
            if changed > invisible::MAX_WARNINGS {
                continue;
            }
            let found = text
                .get(search..next.max(search))
                .and_then(|w| w.find(ch.c))
                .map(|k| search + k);
            let at = match found {
                Some(b) => {
                    search = b + ch.c.len_utf8();
                    Pos::at(text, b)
                }
                None => *pos,
            };
            diags.push(
                Diagnostic::warning(path, at, invisible::message(&ch))
                    .with_hint("这些字符看不见，却会打乱名称的比较、排序和显示；已按统一规则处理"),
            );
        }
        scalar.text = clean;
    }
    if changed > invisible::MAX_WARNINGS {
        diags.push(Diagnostic::warning(
            path,
            Pos::START,
            format!(
                "另有 {} 处不可见字符或控制字符已按同样的规则处理",
                changed - invisible::MAX_WARNINGS
            ),
        ));
    }
}

/// The scalars of `node` in document order (a key before its value).
fn collect<'a>(node: &'a mut Node, out: &mut Vec<(Pos, &'a mut Scalar)>) {
    let pos = node.pos;
    match &mut node.kind {
        Kind::Scalar(s) => out.push((pos, s)),
        Kind::Seq(items) => items.iter_mut().for_each(|n| collect(n, out)),
        Kind::Map(entries) => {
            for e in entries {
                collect(&mut e.key, out);
                collect(&mut e.value, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::Pos;
    use crate::yaml::{Kind, Node, parse};

    fn texts(n: &Node, out: &mut Vec<String>) {
        match &n.kind {
            Kind::Scalar(s) => out.push(s.text.clone()),
            Kind::Seq(items) => items.iter().for_each(|i| texts(i, out)),
            Kind::Map(entries) => entries.iter().for_each(|e| {
                texts(&e.key, out);
                texts(&e.value, out);
            }),
        }
    }

    /// The fast path (plain and quoted scalars) and yaml-rust2 (escapes, block scalars)
    /// clean the same way and place each warning at the character as written.
    #[test]
    fn every_scalar_is_cleaned_with_a_warning_at_the_character() {
        let text = "name: 桥\u{200B}一\u{202E}居民区\nsecretary: '张\u{2066}三'\nna\u{200B}me2: x\ntopic: \"a\\u200Bb\"\nlist: [\u{FEFF}a, b\u{2028}c]\n";
        let mut d = Vec::new();
        let root = parse(text, "t.yaml", &mut d).unwrap().unwrap();
        let mut t = Vec::new();
        texts(&root, &mut t);
        assert_eq!(
            t,
            [
                "name",
                "桥一居民区",
                "secretary",
                "张三",
                "name2",
                "x",
                "topic",
                "ab",
                "list",
                "a",
                "b\nc"
            ]
        );
        let at: Vec<Pos> = d.iter().map(|d| d.pos).collect();
        assert_eq!(
            at,
            [
                Pos::new(1, 8),
                Pos::new(1, 10),
                Pos::new(2, 14),
                Pos::new(3, 3),
                // Written as an escape: at the value.
                Pos::new(4, 8),
                Pos::new(5, 8),
                Pos::new(5, 13),
            ]
        );
        assert!(d.iter().all(|d| !d.is_error()));
        assert!(d[1].message.contains("U+202E") && d[1].message.contains("双向"));
        assert!(d[6].message.contains("换行"));
    }

    /// Keys a reader cannot tell apart are duplicates: the second is an error at its key,
    /// naming the first's place, and is dropped; keys that only look alike are not.
    #[test]
    fn keys_equal_once_stripped_or_folded_are_duplicates() {
        for (text, second, first) in [
            ("cun: 1\ncun\u{200B}: 2\n", Pos::new(2, 1), "第 1 行第 1 列"),
            (
                "a: 1\nb: { cun: 1, ｃｕｎ: 2 }\n",
                Pos::new(2, 14),
                "第 2 行第 6 列",
            ),
            (
                "- { \u{FEFF}id: 1, \"id\": 2 }\n",
                Pos::new(1, 13),
                "第 1 行第 5 列",
            ),
        ] {
            let mut d = Vec::new();
            let root = parse(text, "t.yaml", &mut d).unwrap().unwrap();
            let errors: Vec<_> = d.iter().filter(|d| d.is_error()).collect();
            assert_eq!(errors.len(), 1, "{text:?}: {d:?}");
            assert_eq!(errors[0].pos, second, "{text:?}");
            assert!(errors[0].message.contains("重复"), "{:?}", errors[0]);
            assert!(
                errors[0].hint.as_deref().unwrap().contains(first),
                "{:?}",
                errors[0]
            );
            let mut t = Vec::new();
            texts(&root, &mut t);
            assert_eq!(
                t.iter().filter(|s| *s == "2").count(),
                0,
                "second dropped: {t:?}"
            );
        }
        // Full-width punctuation in values and different keys: nothing.
        let mut d = Vec::new();
        parse("名称：: 1\n名称: 2\nnote: 说明，备注\n", "t.yaml", &mut d).unwrap();
        assert!(d.is_empty(), "{d:?}");
    }

    /// Past the limit, one warning says how many more there were.
    #[test]
    fn many_changes_are_summed_up() {
        let text = format!("name: 桥{}一\n", "\u{200B}".repeat(25));
        let mut d = Vec::new();
        parse(&text, "t.yaml", &mut d).unwrap();
        assert_eq!(d.len(), crate::invisible::MAX_WARNINGS + 1, "{d:?}");
        let last = d.last().unwrap();
        assert_eq!(last.pos, Pos::START);
        assert!(last.message.contains("另有 5 处"), "{last:?}");
        assert_eq!(d[0].pos, Pos::new(1, 8));
        assert_eq!(d[19].pos, Pos::new(1, 27));
    }

    #[test]
    fn clean_text_is_left_alone() {
        let mut d = Vec::new();
        let a = parse("name: 桥一\n", "t.yaml", &mut d).unwrap();
        assert!(d.is_empty());
        let b = parse("name: 桥一\u{200B}\n", "t.yaml", &mut d).unwrap();
        assert_eq!(a, b);
        assert_eq!(d.len(), 1);
    }
}
