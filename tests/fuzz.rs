//! Fuzzing on stable Rust: property-based generators (proptest) of arbitrary bytes and of
//! near-valid input (the repository's own records, systems, organisation files and
//! narratives, and the CommonMark spec's examples, mutated) fed to the YAML reader, the
//! record, organisation and indicator validators, Markdown → HTML and Markdown → Typst.
//! Each case must finish without a panic, within a time bound, and within a memory bound
//! (a counting allocator measures each thread's peak).
//!
//! `DANGJIAN_FUZZ_CASES=N` sets the cases per target (default 1000: the whole file runs in
//! well under a minute in a debug build; the nesting target, whose cases are up to 60 KB,
//! runs N/10). A long run: `DANGJIAN_FUZZ_CASES=150000 cargo test --release --test fuzz`
//! (seven targets at 150,000 and one at 15,000: 1.065 million cases). A failing case is
//! shrunk by proptest and printed; once fixed it becomes a
//! regression test in `regressions()` below.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use dangjian::diagnostics::Diagnostic;
use dangjian::load::{indicators, org, record};
use dangjian::model::IndicatorSystem;
use dangjian::yaml::{self, Reader};

// ---------------------------------------------------------------------------------------
// Bounds

/// Longest one case may take (debug builds are slow; a hang is caught by the watchdog).
const CASE_LIMIT: Duration = Duration::from_secs(5);
/// No progress for this long: the case is declared hung.
const HANG_LIMIT: Duration = Duration::from_secs(60);
/// Most memory one case may hold at once: a fixed allowance plus a multiple of its input.
const MEMORY_BASE: usize = 64 << 20;
const MEMORY_PER_INPUT_BYTE: usize = 256;

struct Counting;

thread_local! {
    static NOW: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

fn grew(n: usize) {
    let _ = NOW.try_with(|now| {
        let v = now.get().saturating_add(n);
        now.set(v);
        let _ = PEAK.try_with(|p| p.set(p.get().max(v)));
    });
}

fn shrank(n: usize) {
    let _ = NOW.try_with(|now| now.set(now.get().saturating_sub(n)));
}

// SAFETY: every call is forwarded to the system allocator unchanged; the counters are
// thread-local cells initialised without allocating.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            shrank(layout.size());
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Runs one case: its time and the memory it held at its peak, beyond what the thread
/// held before, must stay within the bounds.
fn bounded(target: &str, input: &str, f: impl FnOnce()) -> Result<(), TestCaseError> {
    let before = NOW.with(Cell::get);
    PEAK.with(|p| p.set(before));
    let start = Instant::now();
    f();
    let took = start.elapsed();
    let peak = PEAK.with(Cell::get).saturating_sub(before);
    let limit = MEMORY_BASE + MEMORY_PER_INPUT_BYTE * input.len();
    prop_assert!(
        took <= CASE_LIMIT,
        "{target}: one case took {took:?} on {} bytes",
        input.len()
    );
    prop_assert!(
        peak <= limit,
        "{target}: one case held {peak} bytes at its peak on {} bytes of input",
        input.len()
    );
    Ok(())
}

fn cases() -> u32 {
    std::env::var("DANGJIAN_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
}

/// Runs `cases() / share` cases (at least 20) of `strategy` through `test` on a worker
/// thread, watched: a case
/// that makes no progress for `HANG_LIMIT` fails the target and prints its input.
/// (The strategy is made on the worker: proptest's boxed strategies stay on one thread.)
fn fuzz(
    target: &'static str,
    share: u32,
    strategy: fn() -> BoxedStrategy<String>,
    test: fn(&str) -> Result<(), TestCaseError>,
) {
    let current = Arc::new(Mutex::new(String::new()));
    let progress = Arc::new(AtomicU64::new(0));
    let epoch = Instant::now();
    let worker = {
        let (current, progress) = (current.clone(), progress.clone());
        std::thread::spawn(move || {
            let config = Config {
                cases: (cases() / share).max(20),
                failure_persistence: None,
                max_shrink_time: 60_000,
                ..Config::default()
            };
            let mut runner = TestRunner::new(config);
            let started = Instant::now();
            let result = runner.run(&strategy(), |input| {
                if let Ok(mut c) = current.lock() {
                    c.clone_from(&input);
                }
                progress.store(epoch.elapsed().as_millis() as u64, Ordering::Relaxed);
                test(&input)
            });
            (result, started.elapsed())
        })
    };
    loop {
        if worker.is_finished() {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
        let last = Duration::from_millis(progress.load(Ordering::Relaxed));
        if epoch.elapsed().saturating_sub(last) > HANG_LIMIT {
            let input = current.lock().map(|c| c.clone()).unwrap_or_default();
            panic!("{target}: a case made no progress for {HANG_LIMIT:?}: {input:?}");
        }
    }
    let (result, took) = worker.join().expect("the fuzz worker does not panic");
    eprintln!(
        "{target}: {} cases in {took:.1?}",
        (cases() / share).max(20)
    );
    if let Err(e) = result {
        panic!("{target}: {e}");
    }
}

// ---------------------------------------------------------------------------------------
// Seeds and mutations

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Seeds {
    records: Vec<String>,
    orgs: Vec<String>,
    systems: Vec<String>,
    markdown: Vec<String>,
}

fn files_under(dir: &Path, ext: &str, out: &mut Vec<(PathBuf, String)>) {
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let Ok(e) = e else { continue };
        if e.file_type().is_file()
            && e.path().extension().is_some_and(|x| x == ext)
            && let Ok(text) = std::fs::read_to_string(e.path())
        {
            out.push((e.path().to_path_buf(), text));
        }
    }
}

fn seeds() -> &'static Seeds {
    static SEEDS: OnceLock<Seeds> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut yaml = Vec::new();
        files_under(&repo().join("content"), "yaml", &mut yaml);
        files_under(&repo().join("tests/fixtures"), "yaml", &mut yaml);
        let mut s = Seeds {
            records: Vec::new(),
            orgs: Vec::new(),
            systems: vec![std::fs::read_to_string(repo().join("indicators.yaml")).unwrap()],
            markdown: Vec::new(),
        };
        for (path, text) in yaml {
            let name = path.file_name().unwrap().to_string_lossy();
            if name == "_org.yaml" {
                s.orgs.push(text);
            } else if name == "indicators.yaml" {
                s.systems.push(text);
            } else {
                s.records.push(text);
            }
        }
        let mut md = Vec::new();
        files_under(&repo().join("content"), "md", &mut md);
        files_under(&repo().join("tests/fixtures"), "md", &mut md);
        s.markdown.extend(md.into_iter().map(|(_, t)| t));
        let spec: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(repo().join("tests/corpora/commonmark-examples.json"))
                .unwrap(),
        )
        .unwrap();
        for ex in spec.as_array().unwrap() {
            s.markdown
                .push(ex["markdown"].as_str().unwrap_or_default().to_string());
        }
        assert!(s.records.len() > 50 && s.orgs.len() > 5 && s.markdown.len() > 600);
        s
    })
}

/// Fragments a mutation inserts: the characters and tokens that matter to each syntax.
const YAML_TOKENS: &[&str] = &[
    ":",
    ": ",
    "- ",
    "-",
    "\t",
    "\n",
    "  ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "\"",
    "'",
    "\\",
    "#",
    " #",
    "&a ",
    "*a",
    "!!str ",
    "!",
    "|",
    ">",
    "|-",
    "? ",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "~",
    "null",
    "true",
    "yes",
    "0.1",
    "1e400",
    "-0",
    "0x1F",
    ".nan",
    "99999999999999999999999",
    "0.00000000001",
    "2026-02-29",
    "\u{FEFF}",
    "\u{202E}",
    "\u{200B}",
    "\u{2028}",
    "\r",
    "\0",
    "名称",
    "𠀾",
    "&a [*a, *a, *a, *a, *a, *a, *a, *a]",
    "\"\\u12",
    "\"\\x",
];
const MD_TOKENS: &[&str] = &[
    "[",
    "]",
    "(",
    ")",
    "](",
    "<",
    ">",
    "![",
    "*",
    "**",
    "_",
    "`",
    "```\n",
    "~~~",
    "|",
    "---\n",
    "#",
    "# ",
    "> ",
    "- ",
    "1. ",
    "\\",
    "<div>",
    "</div>",
    "<!--",
    "-->",
    "[^1]",
    "[^1]: ",
    ":",
    "$",
    "@",
    "&#x0A;",
    "&amp;",
    "&#0;",
    "javascript:",
    "https://x.cn",
    "\t",
    "    ",
    "\n",
    "\n\n",
    "\u{2028}",
    "\u{202E}",
    "\u{FEFF}",
    "\u{0}",
    "\r\n",
    "|---|",
    "[a]: /u",
    "𪚥",
    "中文",
    "*中*文",
    "_中_",
    "~",
    "[x](",
    "<a@b.cn>",
    "#{",
    "//",
];

#[derive(Debug, Clone)]
enum Edit {
    Insert(prop::sample::Index, usize),
    Delete(prop::sample::Index, u8),
    Byte(prop::sample::Index, u8),
    DupLine(prop::sample::Index),
    DropLine(prop::sample::Index),
    SwapLines(prop::sample::Index, prop::sample::Index),
    Indent(prop::sample::Index, u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (any::<prop::sample::Index>(), any::<usize>()).prop_map(|(i, t)| Edit::Insert(i, t)),
        2 => (any::<prop::sample::Index>(), 1u8..8).prop_map(|(i, n)| Edit::Delete(i, n)),
        1 => (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Edit::Byte(i, b)),
        1 => any::<prop::sample::Index>().prop_map(Edit::DupLine),
        1 => any::<prop::sample::Index>().prop_map(Edit::DropLine),
        1 => (any::<prop::sample::Index>(), any::<prop::sample::Index>())
            .prop_map(|(a, b)| Edit::SwapLines(a, b)),
        1 => (any::<prop::sample::Index>(), 0u8..6).prop_map(|(i, n)| Edit::Indent(i, n)),
    ]
}

/// The nearest character boundary at or before `i`.
fn boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(text: &str, edits: &[Edit], tokens: &[&str]) -> String {
    let mut s = text.to_string();
    for e in edits {
        let at = |i: &prop::sample::Index, s: &str| boundary(s, i.index(s.len() + 1));
        match e {
            Edit::Insert(i, t) => {
                let p = at(i, &s);
                s.insert_str(p, tokens[t % tokens.len()]);
            }
            Edit::Delete(i, n) => {
                let p = at(i, &s);
                let q = boundary(&s, p + *n as usize);
                s.replace_range(p..q, "");
            }
            Edit::Byte(i, b) => {
                let p = at(i, &s);
                // A byte as its Latin-1 character: any code point below 256.
                s.insert(p, char::from(*b));
            }
            Edit::DupLine(i) | Edit::DropLine(i) | Edit::Indent(i, _) => {
                let mut lines: Vec<String> = s.split('\n').map(str::to_string).collect();
                let li = i.index(lines.len());
                match e {
                    Edit::DupLine(_) => lines.insert(li, lines[li].clone()),
                    Edit::DropLine(_) => {
                        lines.remove(li);
                    }
                    Edit::Indent(_, n) => lines[li].insert_str(0, &" ".repeat(*n as usize)),
                    _ => {}
                }
                s = lines.join("\n");
            }
            Edit::SwapLines(a, b) => {
                let mut lines: Vec<&str> = s.split('\n').collect();
                let (a, b) = (a.index(lines.len()), b.index(lines.len()));
                lines.swap(a, b);
                s = lines.join("\n");
            }
        }
    }
    s
}

fn mutated(
    pool: fn(&Seeds) -> &Vec<String>,
    tokens: &'static [&'static str],
) -> BoxedStrategy<String> {
    (
        any::<prop::sample::Index>(),
        prop::collection::vec(edit(), 1..10),
    )
        .prop_map(move |(i, edits)| {
            let pool = pool(seeds());
            apply(&pool[i.index(pool.len())], &edits, tokens)
        })
        .boxed()
}

/// Arbitrary bytes, read as the loader would (lossy, so invalid UTF-8 becomes U+FFFD).
fn bytes() -> BoxedStrategy<String> {
    prop::collection::vec(any::<u8>(), 0..600)
        .prop_map(|b| String::from_utf8_lossy(&b).into_owned())
        .boxed()
}

/// Arbitrary characters drawn mostly from the syntax's own tokens.
fn token_soup(tokens: &'static [&'static str]) -> BoxedStrategy<String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(tokens).prop_map(str::to_string),
            1 => any::<char>().prop_map(String::from),
            1 => "[a-z0-9 ]{1,8}",
        ],
        0..80,
    )
    .prop_map(|parts| parts.concat())
    .boxed()
}

/// The version-2 contract's own words: what a mutation of a v2 record, district file or
/// system inserts beside the YAML tokens.
const V2_TOKENS: &[&str] = &[
    "votes:\n  ",
    "secretary_review: ",
    "member_review: ",
    "{ excellent: 1, good: 2, fair: 0, poor: 0 }",
    "excellent: ",
    "unqualified: ",
    "inspection:\n  ",
    "date: 2026-06-20",
    "team: [王五]",
    "sampled: ",
    "verified: [meetings, votes]",
    "opinions: []",
    "rectification:\n  - ",
    "{ id: r1, problem: 问题, measure: 措施, due: 2026-05-31 }",
    "indicator: ",
    "done: 2026-06-01",
    "due: ",
    "as_of: ",
    "withdrawn:\n  ",
    "old: 撤销",
    "rule: { vote: { excellent: 1, good: 0.5 } }",
    "rule:\n  deductions:\n    - ",
    "{ fact: incidents.late_reports, each: 2, max: 4 }",
    "{ fact: checklists.rules, missing_each: 1, items: [dues] }",
    "{ fact: ratings.work_style, levels: { good: 0, poor: 6 } }",
    "{ fact: surveys.satisfaction.rate, below: 0.9, per: 0.01, each: 0.5 }",
    "eq: false",
    "deduct: ",
    "when: { fact: votes.secretary_review.rate.poor, ge: 0.5 }",
    "applies_to: [rural]",
    "views:\n  v:\n    groups: ",
    "cap: ",
    "votes.secretary_review.rate.poor",
    "votes.member_review.score",
    "2026-02-30",
    "2027-01-01",
    "-1",
    "0.5",
];

/// Version-2 records built section by section from the contract's names and arbitrary
/// values: each section well-formed often enough to reach the checks behind the syntax.
fn v2_records() -> BoxedStrategy<String> {
    let value = || {
        prop_oneof![
            3 => prop::sample::select(&[
                "0", "1", "3", "-1", "0.5", "1e3", "true", "~", "\"\"", "[]", "{}",
                "2026-06-20", "2026-13-01", "2025-12-31", "2027-01-01", "王五", "[王五, \"\"]",
                "[meetings, votes, names]", "[meetings, meetings]", "committee", "nosuch",
                "funding", "review", "r1",
            ][..]).prop_map(str::to_string),
            1 => "[a-z0-9 .-]{0,6}",
            1 => any::<char>().prop_map(String::from),
        ]
    };
    let key = || {
        prop_oneof![
            4 => prop::sample::select(&[
                "excellent", "good", "fair", "poor", "qualified", "basic", "unqualified",
                "date", "team", "sampled", "methods", "verified", "overall", "opinions",
                "id", "problem", "measure", "owner", "due", "indicator", "done",
                "secretary_review", "member_review", "satisfaction", "ghost",
            ][..]).prop_map(str::to_string),
            1 => "[a-z_]{1,6}",
        ]
    };
    let entry = move || (key(), value()).prop_map(|(k, v)| format!("{k}: {v}"));
    let map = move || {
        prop::collection::vec(entry(), 0..6).prop_map(|es| format!("{{ {} }}", es.join(", ")))
    };
    let votes = prop::collection::vec((key(), map()), 0..3).prop_map(|vs| {
        let body: String = vs.iter().map(|(k, m)| format!("  {k}: {m}\n")).collect();
        format!("votes:\n{body}")
    });
    let inspection = prop::collection::vec(entry(), 0..8).prop_map(|es| {
        let body: String = es.iter().map(|e| format!("  {e}\n")).collect();
        format!("inspection:\n{body}")
    });
    let rectification = prop::collection::vec(map(), 0..4).prop_map(|ms| {
        let body: String = ms.iter().map(|m| format!("  - {m}\n")).collect();
        format!("rectification:\n{body}")
    });
    let withdrawn = prop::collection::vec(entry(), 0..3).prop_map(|es| {
        let body: String = es.iter().map(|e| format!("  {e}\n")).collect();
        format!("as_of: 2026-06-30\nwithdrawn:\n{body}")
    });
    let head = prop::sample::select(
        &[
            "name: 支部\ncategory: rural\n",
            "name: 支部\ncategory: community\n",
            "name: 支部\ncategory: office\n",
            "name: 区委\nkind: 区委\n",
            "",
        ][..],
    );
    (
        head,
        prop::collection::vec(
            prop_oneof![
                votes.boxed(),
                inspection.boxed(),
                rectification.boxed(),
                withdrawn.boxed()
            ],
            0..4,
        ),
    )
        .prop_map(|(h, parts)| format!("{h}{}", parts.concat()))
        .boxed()
}

// ---------------------------------------------------------------------------------------
// Targets

fn system() -> &'static IndicatorSystem {
    static SYSTEM: OnceLock<IndicatorSystem> = OnceLock::new();
    SYSTEM.get_or_init(|| {
        let text = std::fs::read_to_string(repo().join("indicators.yaml")).unwrap();
        let mut d = Vec::new();
        indicators::load(&text, "indicators.yaml", &mut d).expect("the bundled system is valid")
    })
}

fn ids() -> &'static record::Ids {
    static IDS: OnceLock<record::Ids> = OnceLock::new();
    IDS.get_or_init(|| record::Ids::new(system()))
}

/// Every seed system that loads (the bundled one, the version-2 fixture's three years with
/// votes, label maps and views, the rulebook's deductions), each with its record ids: the
/// version-2 targets validate records against all of them.
fn v2_systems() -> &'static [(IndicatorSystem, record::Ids)] {
    static SYSTEMS: OnceLock<Vec<(IndicatorSystem, record::Ids)>> = OnceLock::new();
    SYSTEMS.get_or_init(|| {
        let out: Vec<_> = seeds()
            .systems
            .iter()
            .filter_map(|text| {
                let mut d = Vec::new();
                let sys = indicators::load(text, "indicators.yaml", &mut d)?;
                let ids = record::Ids::new(&sys);
                Some((sys, ids))
            })
            .collect();
        assert!(out.len() >= 4, "the v2 and rulebook systems load");
        out
    })
}

/// The YAML reader and, on what it reads, the record and organisation validators; every
/// diagnostic must have a position inside the text.
fn yaml_and_validators(text: &str) -> Result<(), TestCaseError> {
    validated("yaml + validators", text, |r, root| {
        let dates = record::dates::YearDates {
            year: 2026,
            as_of: dangjian::model::Date::parse("2026-06-30"),
        };
        let _ = record::read(r, root, system(), ids(), dates);
        // As the district's file, which may also give `as_of` and `withdrawn`.
        let _ = org::read(r, root, true, 2026);
    })
}

/// A record validated against every version-2 system (votes, inspection, rectification,
/// deductions), with and without a cut-off, and the text as a district file (`as_of`,
/// `withdrawn`) and as an organisation's.
fn v2_validators(text: &str) -> Result<(), TestCaseError> {
    validated("v2 validators", text, |r, root| {
        for as_of in [None, dangjian::model::Date::parse("2026-06-30")] {
            let dates = record::dates::YearDates { year: 2026, as_of };
            for (sys, ids) in v2_systems() {
                let _ = record::read(r, root, sys, ids, dates);
            }
        }
        let _ = org::read(r, root, true, 2026);
        let _ = org::read(r, root, false, 2026);
    })
}

/// Parses `text` and runs `read` on what it reads, within the bounds; every diagnostic
/// must have a position inside the text.
fn validated(
    target: &str,
    text: &str,
    read: impl FnOnce(&mut Reader, &yaml::Node),
) -> Result<(), TestCaseError> {
    let mut positions = Vec::new();
    bounded(target, text, || {
        let mut d: Vec<Diagnostic> = Vec::new();
        match yaml::parse(text, "t.yaml", &mut d) {
            Ok(Some(root)) => read(&mut Reader::new("t.yaml", &mut d), &root),
            Ok(None) => {}
            Err(e) => d.push(e),
        }
        positions.extend(d.iter().map(|d| d.pos));
    })?;
    // Line ends as YAML reads them: LF, CRLF and a lone CR.
    let lines = text.replace("\r\n", "\n").split(['\n', '\r']).count() + 1;
    for p in positions {
        prop_assert!(
            p.line >= 1 && p.line <= lines && p.col >= 1,
            "{p:?} outside the text"
        );
    }
    Ok(())
}

fn indicator_system(text: &str) -> Result<(), TestCaseError> {
    bounded("indicators", text, || {
        let mut d = Vec::new();
        let _ = indicators::load(text, "indicators.yaml", &mut d);
    })
}

fn markdown(md: &str) -> Result<(), TestCaseError> {
    bounded("markdown", md, || {
        let assets = vec!["content/2026/east/img/a.png".to_string()];
        let html = dangjian::render::html::narrative_html(
            md,
            "content/2026/east/alpha.md",
            &assets,
            "../../",
        );
        let typst = dangjian::render::pdf::markdown::markdown_to_typst_with(md, 2);
        let mut d = Vec::new();
        let _ = dangjian::load::narrative::local_links(
            Path::new("/nonexistent-dangjian-root"),
            "content/2026/east/alpha.md",
            md,
            &mut d,
        );
        std::hint::black_box((html, typst));
    })
}

#[test]
fn fuzz_yaml_arbitrary_bytes() {
    fuzz("yaml: arbitrary bytes", 1, bytes, yaml_and_validators);
}

#[test]
fn fuzz_yaml_mutated_records_and_orgs() {
    let s = || {
        prop_oneof![
            3 => mutated(|s| &s.records, YAML_TOKENS),
            1 => mutated(|s| &s.orgs, YAML_TOKENS),
            1 => token_soup(YAML_TOKENS),
        ]
        .boxed()
    };
    fuzz("yaml: mutated records", 1, s, yaml_and_validators);
}

#[test]
fn fuzz_indicator_systems() {
    let s = || {
        prop_oneof![
            4 => mutated(|s| &s.systems, YAML_TOKENS),
            1 => bytes(),
        ]
        .boxed()
    };
    fuzz("indicators: mutated systems", 1, s, indicator_system);
}

/// Version 2: records (votes, inspection, rectification) and district files (`as_of`,
/// `withdrawn`) validated against every v2 system (votes, views, deductions).
#[test]
fn fuzz_v2_records() {
    let s = || {
        prop_oneof![
            3 => v2_records(),
            2 => mutated(|s| &s.records, V2_TOKENS),
            2 => mutated(|s| &s.records, YAML_TOKENS),
            1 => mutated(|s| &s.orgs, V2_TOKENS),
        ]
        .boxed()
    };
    fuzz("v2: records and district files", 1, s, v2_validators);
}

/// Version 2: systems with votes, label maps, views and deductions rules, mutated.
#[test]
fn fuzz_v2_systems() {
    let s = || {
        prop_oneof![
            1 => mutated(|s| &s.systems, V2_TOKENS),
            1 => mutated(|s| &s.systems, YAML_TOKENS),
        ]
        .boxed()
    };
    fuzz("v2: mutated systems", 1, s, indicator_system);
}

#[test]
fn fuzz_markdown_arbitrary_bytes() {
    fuzz("markdown: arbitrary bytes", 1, bytes, markdown);
}

#[test]
fn fuzz_markdown_mutated() {
    let s = || {
        prop_oneof![
            3 => mutated(|s| &s.markdown, MD_TOKENS),
            1 => token_soup(MD_TOKENS),
        ]
        .boxed()
    };
    fuzz("markdown: mutated narratives", 1, s, markdown);
}

/// Deeply nested and very long input: the limits must hold without a stack overflow.
#[test]
fn fuzz_nesting_and_length() {
    let s = || {
        let tokens = vec![
            "[", "{", "- ", "> ", "* ", "a: ", "  ", "[a](", "*", "_", "<", "`",
        ];
        (1usize..20_000, prop::sample::select(tokens))
            .prop_map(|(n, t)| t.repeat(n))
            .boxed()
    };
    // Each case is up to 60 KB: a tenth of the others' count.
    fuzz("nesting", 10, s, |text| {
        yaml_and_validators(text)?;
        markdown(text)
    });
}

/// Cases the fuzzer found, kept so that they never come back.
#[test]
fn regressions() {
    for text in [
        "a: !!int\n",
        "a:\n  - [1, 2\n  - 3\n",
        "a: !x 好\n",
        // Lone CRs: yaml-rust2 counts them as line ends, positions must too.
        "\r \r\u{1}",
        "\\:\r\r...\n::",
    ] {
        yaml_and_validators(text).unwrap();
    }
}
