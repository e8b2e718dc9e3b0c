//! Differential tests of the fast path against yaml-rust2: snippets, the bundled records,
//! generated and mutated documents (proptest), and a timing harness for a generated project.

use std::path::Path;

use proptest::prelude::*;

use super::super::node::{self, parse_slow};
use super::*;

/// The fast path gives the slow path's tree and diagnostics, or nothing. Also checks
/// that `node::parse` (fast, then slow) gives exactly what the slow path gives.
/// Returns whether the fast path handled the text.
fn same(text: &str) -> bool {
    let mut slow_d = Vec::new();
    let slow = parse_slow(text, "t.yaml", &mut slow_d);
    let mut both_d = Vec::new();
    let both = node::parse(text, "t.yaml", &mut both_d);
    assert_eq!(both, slow, "node::parse differs on {text:?}");
    assert_eq!(both_d, slow_d, "node::parse diagnostics differ on {text:?}");
    match parse(text, "t.yaml") {
        None => false,
        Some((root, d)) => {
            assert_eq!(slow, Ok(Some(root)), "fast path differs on {text:?}");
            assert_eq!(d, slow_d, "fast path diagnostics differ on {text:?}");
            true
        }
    }
}

/// What the loader hands over: BOM removed, CRLF turned into LF.
fn as_loaded(bytes: Vec<u8>) -> Option<String> {
    let text = String::from_utf8(bytes).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Some(text.replace("\r\n", "\n"))
}

/// Every `.yaml` file under `dir`: (files, handled by the fast path).
fn walk(dir: &Path) -> (usize, usize) {
    let (mut files, mut handled) = (0, 0);
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if !e.file_type().is_file() || e.path().extension().is_none_or(|x| x != "yaml") {
            continue;
        }
        let Some(text) = as_loaded(std::fs::read(e.path()).unwrap()) else {
            continue;
        };
        files += 1;
        if same(&text) {
            handled += 1;
        }
    }
    (files, handled)
}

fn repo(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

#[test]
fn repository_files_agree() {
    let (files, handled) = walk(&repo("content"));
    assert!(files >= 90, "{files} files under content/");
    // The example district is written in the subset, bar none.
    assert_eq!(
        handled, files,
        "content/ files the fast path left to yaml-rust2"
    );
    let (files, _) = walk(&repo("tests/fixtures"));
    assert!(files >= 30, "{files} files under tests/fixtures/");
    assert!(same(
        &std::fs::read_to_string(repo("indicators.yaml")).unwrap()
    ));
}

#[test]
fn synth_records_agree_and_take_the_fast_path() {
    let (files, handled) = walk(&repo("tests/fixtures/yaml/synth"));
    assert!(files >= 9);
    assert_eq!(handled, files);
}

/// A generated project elsewhere, e.g. `DANGJIAN_YAML_DIFF=/tmp/synth10k cargo test
/// --release yaml::fast -- --ignored`.
#[test]
#[ignore]
fn directory_from_env_agrees() {
    let dir = std::env::var("DANGJIAN_YAML_DIFF").expect("DANGJIAN_YAML_DIFF=<dir>");
    let (files, handled) = walk(Path::new(&dir));
    eprintln!("{files} files, {handled} through the fast path");
    let texts: Vec<String> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        .filter_map(|e| as_loaded(std::fs::read(e.path()).ok()?))
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let start = std::time::Instant::now();
    for t in &texts {
        std::hint::black_box(parse(t, "t.yaml"));
    }
    let fast = start.elapsed();
    let start = std::time::Instant::now();
    for t in &texts {
        std::hint::black_box(parse_slow(t, "t.yaml", &mut Vec::new()).ok());
    }
    let slow = start.elapsed();
    eprintln!("{bytes} bytes on one thread: fast path {fast:?}, yaml-rust2 {slow:?}");
}

/// The texts of the example district's and the synth fixtures' records, read once.
fn records() -> &'static [String] {
    static TEXTS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    TEXTS.get_or_init(|| {
        ["content", "tests/fixtures/yaml/synth"]
            .iter()
            .flat_map(|dir| walkdir::WalkDir::new(repo(dir)).sort_by_file_name())
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
            .filter_map(|e| as_loaded(std::fs::read(e.path()).ok()?))
            .filter(|t| !t.is_empty())
            .collect()
    })
}

/// Snippets the fast path must handle (and get right).
const HANDLED: &[&str] = &[
    "a: 1 # c\n",
    "a: 1    # c  \n",
    "key: 'x # y'\n",
    "key: \"x # y\"\n",
    "a: b:c\n",
    "a: b#c\n",
    "a: x :y\n",
    "- - x\n  - y\n- z\n",
    "- - - x\n    - y\n  - z\n",
    "a:\nb: 2\n",
    "a:\n",
    "a:",
    "a:   ",
    "a:\n# c",
    "a: 1\nb:\n# c\n\n",
    "x: 1\na:\n\n  ",
    "a:\n  b:\nc: 1\n",
    "- a:\n- b\n",
    "a: b   \n",
    "a: 1",
    "名称: 桥一居民区党支部\n说明: 中文 文本  和　全角空格\n",
    "支部: { 名称: 桥一, 人数: 48 }\n书记: 张三 # 注释\n",
    "a: -1\nb: .5\nc: ~\nd: null\ne: true\nf: 0.10\ng: 1e3\nh: -.5\n",
    "a: [a, [b, c]]\n",
    "a: { a: 1, b: { c: 2 } }\n",
    "a: [{x: 1}, [y, {z: [w]}], '', \"\"]\n",
    "key with spaces: value with spaces\n",
    "a  : 1\n",
    "a:\n  b:\n    c: 1\n  d: 2\ne: 3\n",
    "key:\n- a\n- b\nnext: 1\n",
    "key:\n  - a\n  - b\n",
    "key:\n    - a\n    - b\n",
    "a:\n b: 1\n",
    "- a: 1\n  b: 2\n- c: 3\n",
    "-   a: 1\n    b: 2\n-  x\n",
    "- a:\n  - x\n  b: 1\n",
    "- a:\n    - x\n  b:\n    c: 1\n",
    "a:\n- b:\n  - x\n  c: 1\nd: 2\n",
    "a: 1\na: 2\nb: {x: 1, x: 2}\n",
    "- {x: 1, y: 2, x: 3}\n- a: 1\n  a: 2\n",
    "a: ''\nb: \"\"\nc: 'it''s'\nd: \"say 'hi'\"\ne: '\"'\nf: ''''\n",
    "a: ' x '' y '\n",
    "a: []\nb: {}\nc: [ ]\nd: {  }\n",
    "a: [ 'x' , \"y\" ]\n",
    "a: [ x , y ]\n",
    "a: {x : 1}\n",
    "a: [a:b, c]\n",
    "a: {k: a:b}\n",
    "a: [x-y, -1, -x]\n",
    "a[0]: 1\nb{c}: d\ne,f: g\nh]: i\n",
    "a: 1\n\n\n",
    "a:\n  b: 1\n\n  # c\n\nc: 2\n",
    "a: [a-, a-]\n",
    "-a: 1\n",
    "a: b [c] {d}, e\n",
    "a: http://example.com/x?y=1&z=#frag\n",
    "a: 全角：冒号，逗号【括号】\n",
    "a: [中文, 文本, 全角：冒号]\n",
    "a: 2026-01-08\n",
    "- [a, b]\n- {c: d}\n- 'q'\n- \"r\"\n- plain\n",
    "a:\n  # c\n  b: 1\n",
    "a: # c\n  b: 1\n",
    "a: # c\n\n\n  b: 1\n",
    "a:\n# c at 0\n    # c at 4\n  b: 1\n",
    "# head\n\na: 1\n\n# tail\n",
    "  a: 1\n  b: 2\n",
    "  - a\n  - b\n",
    "a: 1\n    # deeper comment\nb: 2\n",
    "a:\n- \"x\"\n- 'y'\n",
    "-1: x\n.5: y\n~: z\n",
    "a: [x]   # c\n",
    "a: 'x' # c\n",
    "- - [a]\n  - {b: c}\n",
    "a: 𠀀 emoji 😀\n",
    "😀: [😀, {😀: 😀}]\n",
    "meetings:\n  - { date: 2026-01-07, kind: general, topic: 部署为民服务项目, expected: 48, present: 33 }\n",
];

/// Snippets outside the subset: the fast path must leave them to yaml-rust2.
const FALLBACK: &[&str] = &[
    "",
    "# only a comment\n",
    "\n\n",
    "---\na: 1\n",
    "a: 1\n---\nb: 2\n",
    "a: 1\n...\n",
    "%YAML 1.2\n---\na: 1\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 12\n",
    "a: !!binary abc\n",
    "a: |\n  x\n",
    "a: >\n  x\n",
    "? a\n: b\n",
    "a: b\n  c\n",
    "- a\n  b\n",
    "a: 'x\n  y'\n",
    "a: \"x\n  y\"\n",
    "a: [x,\n  y]\n",
    "a: {x: 1,\n  y: 2}\n",
    "'a': 1\n",
    "\"a\": 1\n",
    "[a]: 1\n",
    "a\n",
    "a: b: c\n",
    "a: b:\n",
    "a:\n  b: 1\n c: 2\n",
    "a: b\n  c: d\n",
    "a:\tb\n",
    "\ta: 1\n",
    "a: \"x\\ny\"\n",
    "\u{feff}a: 1\n",
    "a: 1\r\n",
    "a: x\0\n",
    "- \n- a\n",
    "-\n- a\n",
    "-\n  a: 1\n",
    "- # c\n  a: 1\n",
    "a: [a, ]\n",
    "a: [a, , b]\n",
    "a: {a: }\n",
    "a: {a}\n",
    "a: {a:1}\n",
    "a: [a: b]\n",
    "a: [a # c]\n",
    "[a, b]\n",
    "{a: 1}\n",
    "x\n",
    "'x'\n",
    "a: x #c\n  y\n",
    "a: 'x'#c\n",
    "a: [x]#c\n",
    "a: 'x' y\n",
    "a: [x] y\n",
    "a: @x\n",
    "a: `x\n",
    "a: %x\n",
    "a: - x\n",
    "a: -\n",
    "a: ,x\n",
    "a: ]x\n",
    "a: ?x\n",
    "a: :x\n",
    "a: [-]\n",
    "a: [x, -]\n",
    "a:\n  hello\n",
    "a:\n  [x]\n",
    "a:\n  - x\n  b: 1\n",
    "- a: 1\n  - x\n",
    "- a\nb: 1\n",
    "a: 1\n- b\n",
    "a:1\n",
    "a #b: c\n",
    ": a\n",
    "a: 1\n  # c\n  b\n",
    "a: [a -]\n",
    "a: [a -, b]\n",
];

#[test]
fn handled_snippets_agree() {
    for text in HANDLED {
        assert!(same(text), "fast path fell back on {text:?}");
    }
}

#[test]
fn fallback_snippets_are_left_to_yaml_rust2() {
    for text in FALLBACK {
        assert!(!same(text), "fast path took {text:?}");
    }
}

#[test]
fn long_keys_and_deep_nesting_fall_back() {
    let long = "键".repeat(400);
    assert!(!same(&format!("{long}: 1\n")));
    assert!(!same(&format!("a: {{{long}: 1}}\n")));
    assert!(same(&format!("a: {long}\nb: [{long}]\n")));
    let deep = format!("a: {}x{}\n", "[".repeat(70), "]".repeat(70));
    assert!(!same(&deep));
    let mut deep = String::new();
    for i in 0..70 {
        deep.push_str(&" ".repeat(i));
        deep.push_str("k:\n");
    }
    assert!(!same(&deep));
    let fine = format!("a: {}x{}\n", "[".repeat(20), "]".repeat(20));
    assert!(same(&fine));
}

/// Random documents inside the subset.
#[derive(Debug, Clone)]
enum G {
    Plain(String),
    Single(String),
    Double(String),
    FSeq(Vec<G>),
    FMap(Vec<(String, G)>),
    BSeq(Vec<G>),
    BMap(Vec<(String, G)>),
    Empty,
}

const FIRST: &[char] = &[
    'a', 'b', 'Z', 'k', '0', '7', '_', '~', '.', '(', '支', '部', '党', '员', '会', '议', '𠀀',
    '😀', '（', '＃', '：',
];
const MORE: &[char] = &[
    'a', 'x', 'Y', '1', '9', '_', '.', '/', '-', ' ', ' ', ':', '#', '\'', '"', '(', ')', '学',
    '习', '党', '章', '，', '：', '　', '😀', '𠀀',
];
const BLOCK_MORE: &[char] = &[',', '[', ']', '{', '}', ' ', 'x', '：'];
const TOKENS: &[&str] = &[
    "-1",
    ".5",
    "~",
    "null",
    "Null",
    "true",
    "false",
    "yes",
    "0.10",
    "1e3",
    "-0",
    "+1",
    "2026-01-08",
    "a:b",
    "b#c",
    "x-y",
    "http://x.y/z?q=1#f",
    "中文",
    "全角：冒号",
    "x y  z",
    "12:30",
    "-x",
    "--x",
    "..x",
];

/// What mutations put into a document: indicators, spaces, line ends, text.
const NOISE: &[char] = &[
    ' ', ' ', '\n', '-', ':', '#', ',', '[', ']', '{', '}', '\'', '"', '&', '*', '!', '|', '>',
    '?', '%', '@', '`', '\\', '.', 'x', '1', '党', '\t',
];

/// Drops what would end a plain scalar early or break it in flow: `: `, ` #`, ` -`, a
/// trailing `:` or space.
fn tidy(chars: impl Iterator<Item = char>) -> String {
    let mut s = String::new();
    for c in chars {
        let prev = s.chars().last();
        if (prev == Some(':') && c == ' ') || (prev == Some(' ') && matches!(c, '#' | '-')) {
            continue;
        }
        s.push(c);
    }
    while s.ends_with(' ') || s.ends_with(':') {
        s.pop();
    }
    s
}

fn plain(block: bool) -> BoxedStrategy<String> {
    let more: Vec<char> = if block {
        MORE.iter().chain(BLOCK_MORE).copied().collect()
    } else {
        MORE.to_vec()
    };
    let built = (
        prop::sample::select(FIRST),
        prop::collection::vec(prop::sample::select(more), 0..12),
    )
        .prop_map(|(f, rest)| tidy(std::iter::once(f).chain(rest)));
    prop_oneof![
        3 => built,
        1 => prop::sample::select(TOKENS).prop_map(str::to_string),
    ]
    .boxed()
}

fn key() -> BoxedStrategy<String> {
    prop_oneof![
        // A small pool, so that keys repeat now and then.
        2 => prop::sample::select(&["a", "b", "名称", "key one", "k_2"][..]).prop_map(str::to_string),
        3 => (
            prop::sample::select(&['a', 'k', 'Z', '支', '部', '_', '9'][..]),
            prop::collection::vec(prop::sample::select(&['a', 'x', '1', '_', ' ', '员', '-', '.', ':'][..]), 0..8),
        )
            .prop_map(|(f, rest)| tidy(std::iter::once(f).chain(rest))),
    ]
    .boxed()
}

fn quoted() -> BoxedStrategy<G> {
    let chars = prop::collection::vec(
        prop::sample::select(&['a', ' ', '#', ':', ',', '[', '}', '\'', '学', '😀', '-'][..]),
        0..8,
    );
    prop_oneof![
        chars
            .clone()
            .prop_map(|c| G::Single(c.into_iter().collect())),
        chars.prop_map(|c| G::Double(c.into_iter().filter(|&c| c != '"').collect())),
    ]
    .boxed()
}

fn flow() -> BoxedStrategy<G> {
    let leaf = prop_oneof![2 => plain(false).prop_map(G::Plain), 1 => quoted()];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(G::FSeq),
            prop::collection::vec((key(), inner), 0..4).prop_map(G::FMap),
        ]
    })
    .boxed()
}

fn doc() -> BoxedStrategy<G> {
    let leaf = prop_oneof![
        3 => plain(true).prop_map(G::Plain),
        1 => quoted(),
        2 => flow(),
    ];
    let tree = leaf.prop_recursive(5, 64, 5, |inner| {
        prop_oneof![
            prop::collection::vec(
                (key(), prop_oneof![4 => inner.clone(), 1 => Just(G::Empty)]),
                1..5
            )
            .prop_map(G::BMap),
            prop::collection::vec(inner, 1..5).prop_map(G::BSeq),
        ]
    });
    tree.prop_filter("a block collection at the top", |g| {
        matches!(g, G::BMap(_) | G::BSeq(_))
    })
    .boxed()
}

/// SplitMix64 for the layout choices (spaces, comments, indentation steps).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n
    }
    fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }
    fn spaces(&mut self, max: u64) -> String {
        " ".repeat(self.below(max + 1) as usize)
    }
}

fn render_flow(g: &G, out: &mut String, r: &mut Rng) {
    match g {
        G::Plain(s) => out.push_str(s),
        G::Single(s) => {
            out.push('\'');
            out.push_str(&s.replace('\'', "''"));
            out.push('\'');
        }
        G::Double(s) => {
            out.push('"');
            out.push_str(s);
            out.push('"');
        }
        G::FSeq(items) => {
            out.push('[');
            out.push_str(&r.spaces(1));
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(&r.spaces(1));
                    out.push(',');
                    out.push(' ');
                    out.push_str(&r.spaces(1));
                }
                render_flow(item, out, r);
            }
            out.push_str(&r.spaces(1));
            out.push(']');
        }
        G::FMap(entries) => {
            out.push('{');
            out.push_str(&r.spaces(1));
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(&r.spaces(1));
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push_str(&r.spaces(1));
                out.push_str(": ");
                out.push_str(&r.spaces(1));
                render_flow(v, out, r);
            }
            out.push_str(&r.spaces(1));
            out.push('}');
        }
        G::BSeq(_) | G::BMap(_) | G::Empty => unreachable!("not a flow node"),
    }
}

/// Ends the current line: maybe trailing spaces or a comment, maybe blank or comment
/// lines, then the indentation of the next line.
fn newline(out: &mut String, col: usize, r: &mut Rng) {
    out.push_str(&r.spaces(2));
    if r.one_in(5) {
        out.push_str(" # 注释: x");
    }
    out.push('\n');
    while r.one_in(6) {
        if r.one_in(2) {
            out.push_str(&r.spaces(6));
            out.push_str("# 整行注释 - a: b");
        }
        out.push('\n');
    }
    out.push_str(&" ".repeat(col));
}

/// A block node at column `col`, its first line already indented (`- ` or spaces).
fn render_block(g: &G, col: usize, out: &mut String, r: &mut Rng) {
    match g {
        G::BMap(entries) => {
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    newline(out, col, r);
                }
                out.push_str(k);
                if r.one_in(8) {
                    out.push_str(&r.spaces(2));
                }
                out.push(':');
                match v {
                    G::Empty => {}
                    G::BMap(_) => {
                        let step = [1, 2, 2, 4][r.below(4) as usize];
                        newline(out, col + step, r);
                        render_block(v, col + step, out, r);
                    }
                    G::BSeq(_) => {
                        let step = [0, 0, 2, 3][r.below(4) as usize];
                        newline(out, col + step, r);
                        render_block(v, col + step, out, r);
                    }
                    _ => {
                        out.push(' ');
                        out.push_str(&r.spaces(2));
                        render_block(v, col, out, r);
                    }
                }
            }
        }
        G::BSeq(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    newline(out, col, r);
                }
                let pad = r.spaces(2);
                out.push_str("- ");
                out.push_str(&pad);
                render_block(item, col + 2 + pad.len(), out, r);
            }
        }
        G::Plain(_) | G::Single(_) | G::Double(_) | G::FSeq(_) | G::FMap(_) => {
            render_flow(g, out, r)
        }
        G::Empty => unreachable!("empty values are map values"),
    }
}

fn render(g: &G, seed: u64) -> String {
    let mut r = Rng(seed);
    let mut out = String::new();
    if r.one_in(4) {
        out.push_str("# 头注释\n\n");
    }
    let col = if r.one_in(6) { 2 } else { 0 };
    out.push_str(&" ".repeat(col));
    render_block(g, col, &mut out, &mut r);
    if !r.one_in(5) {
        out.push('\n');
    }
    out
}

/// Applies character edits (0 insert, 1 delete, 2 replace) at the given places.
fn mutate(text: &str, edits: &[(prop::sample::Index, u8, char)]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for (at, op, c) in edits {
        if chars.is_empty() {
            chars.push(*c);
            continue;
        }
        let i = at.index(chars.len());
        match op {
            0 => chars.insert(i, *c),
            1 => {
                chars.remove(i);
            }
            _ => chars[i] = *c,
        }
    }
    chars.into_iter().collect()
}

proptest! {
    // 1000 cases each; `PROPTEST_CASES=300000 cargo test --release yaml::fast` for a
    // deeper search.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(1000)
    ))]

    #[test]
    fn generated_documents_take_the_fast_path_and_agree(g in doc(), seed in any::<u64>()) {
        let text = render(&g, seed);
        let mut d = Vec::new();
        prop_assert!(
            parse_slow(&text, "t.yaml", &mut d).is_ok(),
            "the generator wrote invalid YAML: {:?}", text
        );
        prop_assert!(same(&text), "fast path fell back on {:?}", text);
    }

    /// Real records (the example district, the synth fixtures) with a few characters
    /// inserted, deleted or replaced: the fast path agrees or stays out.
    #[test]
    fn mutated_records_agree_or_fall_back(
        file in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, prop::sample::select(NOISE)), 1..4),
    ) {
        let texts = records();
        same(&mutate(&texts[file.index(texts.len())], &edits));
    }

    /// Generated documents with a few characters inserted, deleted or replaced: valid
    /// or not, in the subset or not, the fast path agrees or stays out.
    #[test]
    fn mutated_documents_agree_or_fall_back(
        g in doc(),
        seed in any::<u64>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, prop::sample::select(NOISE)), 1..4),
    ) {
        same(&mutate(&render(&g, seed), &edits));
    }
}

/// The scans skip runs of bytes that end nothing (every byte of a Chinese character):
/// each byte that may end a scalar, right after such a run and right before one, in both
/// contexts, ends it where yaml-rust2 does.
#[test]
fn runs_of_multibyte_text_end_where_yaml_rust2_ends_them() {
    let mut handled = 0;
    // Characters of one, two, three and four bytes around each byte that may end a scalar.
    let stops = [
        ":", " :", "#", " #", " ", "-", " -", ",", "[", "]", "{", "}", ": ", "x",
    ];
    for stop in stops {
        for w in ["党建", "é", "𠀾🎉", "ab"] {
            for text in [
                format!("键: {w}{stop}工作\n"),
                format!("键: {w}{stop}\n"),
                format!("键{stop}值: {w}\n"),
                format!("- {w}{stop}{w}\n"),
                format!("a: [{w}{stop}{w}, 其他]\n"),
                format!("a: {{键: {w}{stop}{w}}}\n"),
                format!("a: {{{w}{stop}键: 1}}\n"),
                format!("a: [{w}{stop}]\n"),
            ] {
                handled += usize::from(same(&text));
            }
        }
    }
    assert!(handled > 250, "{handled}");
}

/// Keys that fold alike are found by the fast path from its keys alone: full-width keys
/// (`ｃｕｎ`), the ideographic space, in block and flow mappings; values full of `，` and
/// `。` (which fold-prone bytes also start) with plain keys need no such check.
#[test]
fn folding_keys_are_noticed_by_the_fast_path() {
    for text in [
        "cun: 1\nｃｕｎ: 2\n",
        "a: { cun: 1, ｃｕｎ: 2 }\n",
        "- 名\u{3000}称: 1\n  名 称: 2\n",
        "a:\n  b: { x: 1 }\n  c: [1]\nｂ: 3\nb: 4\n",
        "name: 你好，世界。\nnote: “引号”、顿号（括号）\n",
    ] {
        assert!(same(text), "fast path fell back on {text:?}");
    }
    let (_, d) = parse("cun: 1\nｃｕｎ: 2\n", "t.yaml").unwrap();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].pos, Pos::new(2, 1));
    let (_, d) = parse("name: 你好，世界。\nnote: 说明：（略）\n", "t.yaml").unwrap();
    assert!(d.is_empty(), "{d:?}");
}
