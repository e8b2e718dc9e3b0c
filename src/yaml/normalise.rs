//! The invisible-character policy (`crate::invisible`) applied to every scalar of a parsed
//! file, keys included, with a warning at each changed character as written in the file.
//! Both parsers end here, so the fast path and yaml-rust2 still give the same tree.

use super::node::{Kind, Node, Scalar};
use crate::diagnostics::{Diagnostic, Pos};
use crate::invisible;

/// Cleans every scalar of `root` (parsed from `text`) and warns about what changed.
pub(super) fn normalise(root: &mut Node, text: &str, path: &str, diags: &mut Vec<Diagnostic>) {
    if !invisible::needs_work(text) {
        return;
    }
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
