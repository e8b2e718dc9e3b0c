//! The layers run one way: every `crate::…` and `super::…` path in `src/**/*.rs` names a
//! top-level module, and a module may only use the layers below it (the order `src/lib.rs`
//! gives) and the leaves; a leaf uses only other leaves; no two top-level modules use each
//! other, directly or round a circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first, as `src/lib.rs` draws them.
const CHAIN: [&str; 8] = [
    "yaml", "model", "load", "score", "view", "render", "build", "cli",
];
/// What every command does first (`pipeline`) and `score`'s printing (`output`): after
/// `score`, before `view`.
const AFTER_SCORE: [&str; 2] = ["pipeline", "output"];
/// Beside `build`, below `cli`: the Excel workbooks (`template` and `import` validate
/// through `pipeline`; the score workbook's sheet helpers are `output`'s).
const BESIDE_BUILD: [&str; 1] = ["excel"];
/// Above `build`, below `cli`: the day-to-day workflow (`init`, `new-year`, `serve`, which
/// rebuilds through `build`).
const ABOVE_BUILD: [&str; 1] = ["workflow"];
/// Modules any layer may use.
const LEAVES: [&str; 9] = [
    "progress",
    "diagnostics",
    "decimal",
    "suggest",
    "links",
    "escape",
    "invisible",
    "chart",
    "timings",
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// A module's height: leaves are 0, the chain counts up from 2 (with `pipeline` and
/// `output` between `score` and `view`).
fn heights() -> BTreeMap<&'static str, usize> {
    let mut h = BTreeMap::new();
    for l in LEAVES {
        h.insert(l, 0);
    }
    for (i, m) in CHAIN.iter().enumerate() {
        h.insert(*m, 2 + 2 * i + usize::from(i > 3));
    }
    for m in AFTER_SCORE {
        h.insert(m, 2 + 2 * 3 + 1);
    }
    let build = h["build"];
    for m in BESIDE_BUILD {
        h.insert(m, build);
    }
    for m in ABOVE_BUILD {
        h.insert(m, build + 1);
    }
    h
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The module path of a file below `src/`: `view/site/year.rs` → `[view, site, year]`,
/// `view/mod.rs` → `[view]`.
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs");
        if stem != "mod" {
            parts.push(stem.to_string());
        }
    }
    parts
}

/// The first segment of each path of a `{…}` group (at its own depth), given the text
/// after the `{`.
fn group_heads(text: &str) -> Vec<String> {
    let (mut depth, mut item, mut heads) = (0usize, String::new(), Vec::new());
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                heads.push(std::mem::take(&mut item));
                continue;
            }
            _ => {}
        }
        if depth == 0 {
            item.push(c);
        }
    }
    heads.push(item);
    heads
        .iter()
        .filter_map(|i| {
            let head = i.trim().split("::").next()?.trim().to_string();
            (!head.is_empty()).then_some(head)
        })
        .collect()
}

/// The top-level modules a line names through `crate::` or `super::` paths, seen from
/// module `here`.
fn named_modules(line: &str, here: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let code = line.split("//").next().unwrap_or("");
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < code.len() {
        let rest = &code[i..];
        let boundary = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        let (base, mut after): (Vec<String>, &str) = if boundary && rest.starts_with("crate::") {
            (Vec::new(), &rest["crate::".len()..])
        } else if boundary && rest.starts_with("super::") {
            let mut up = 0;
            let mut r = rest;
            while let Some(x) = r.strip_prefix("super::") {
                up += 1;
                r = x;
            }
            (here[..here.len().saturating_sub(up)].to_vec(), r)
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let consumed = code.len() - after.len();
        let heads = if let Some(group) = after.strip_prefix('{') {
            after = group;
            group_heads(after)
        } else {
            let head: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            vec![head]
        };
        for head in heads {
            match base.first() {
                Some(top) => out.push(top.clone()),
                None => out.push(head),
            }
        }
        i = consumed.max(i + 1);
    }
    out
}

/// Every use of one top-level module by another: (user, used) → the places.
fn edges() -> BTreeMap<(String, String), Vec<String>> {
    let known = heights();
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.sort();
    let mut out: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for f in files {
        let rel = f.strip_prefix(src()).unwrap().to_path_buf();
        let here = module_path(&rel);
        let Some(top) = here.first().cloned() else {
            continue;
        };
        if top == "lib" || top == "main" {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            for used in named_modules(line, &here) {
                if used != top && known.contains_key(used.as_str()) {
                    out.entry((top.clone(), used)).or_default().push(format!(
                        "src/{}:{}",
                        rel.display(),
                        n + 1
                    ));
                }
            }
        }
    }
    out
}

#[test]
fn the_layers_are_those_lib_rs_draws() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let drawn = CHAIN.join(" → ");
    assert!(lib.contains(&drawn), "src/lib.rs no longer draws {drawn}");
    let h = heights();
    let modules: BTreeSet<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches(';'))
        .collect();
    let unplaced: Vec<&&str> = modules.iter().filter(|m| !h.contains_key(**m)).collect();
    assert!(
        unplaced.is_empty(),
        "top-level modules without a layer (add them to tests/layers.rs and src/lib.rs): {unplaced:?}"
    );
}

#[test]
fn no_module_uses_a_layer_above_it() {
    let h = heights();
    let mut wrong = Vec::new();
    for ((user, used), places) in edges() {
        let (hu, hd) = (h[user.as_str()], h[used.as_str()]);
        if hd != 0 && hd >= hu {
            wrong.push(format!("{user} uses {used} at {}", places.join(", ")));
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_two_top_level_modules_use_each_other() {
    let edges = edges();
    let mut graph: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (user, used) in edges.keys() {
        graph.entry(user).or_default().insert(used);
    }
    // A path from `to` back to `from` closes a circle.
    let reaches = |from: &str, to: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(m) = stack.pop() {
            if m == to {
                return true;
            }
            if seen.insert(m) {
                stack.extend(graph.get(m).into_iter().flatten().copied());
            }
        }
        false
    };
    let circles: Vec<String> = edges
        .iter()
        .filter(|((user, used), _)| reaches(used, user))
        .map(|((user, used), places)| format!("{user} → {used} ({})", places[0]))
        .collect();
    assert!(
        circles.is_empty(),
        "circles between modules:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_scanner_sees_the_paths_it_must() {
    let here = vec!["view".to_string(), "site".to_string(), "year".to_string()];
    assert_eq!(
        named_modules("use crate::score::Movement;", &here),
        ["score"]
    );
    assert_eq!(
        named_modules("use crate::{model::Year, render::x};", &here),
        ["model", "render"]
    );
    assert_eq!(
        named_modules("use super::super::text::Text;", &here),
        ["view"]
    );
    assert_eq!(
        named_modules("let x = foo_crate::view::y; // crate::cli", &here),
        Vec::<String>::new()
    );
    let top = vec!["build".to_string()];
    assert_eq!(named_modules("use super::cli::x;", &top), ["cli"]);
    // And it finds the uses the code is known to make.
    let e = edges();
    for (user, used) in [
        ("render", "view"),
        ("view", "score"),
        ("load", "yaml"),
        ("cli", "build"),
    ] {
        assert!(
            e.contains_key(&(user.to_string(), used.to_string())),
            "{user} → {used} not found"
        );
    }
}
