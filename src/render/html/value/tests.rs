//! Tests of the converter: the trees serde_json makes, whatever was taken back before, and
//! an encoding that tells every two different trees apart.

use super::*;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize, Clone)]
struct Row {
    id: String,
    n: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    extra: Option<f64>,
    tags: Vec<String>,
    inner: Option<Inner>,
}

#[derive(Serialize, Clone)]
struct Inner {
    x: bool,
}

#[derive(Serialize, Clone)]
enum Kind {
    Plain,
    One(i32),
    Pair(u8, String),
    Named { a: i64, b: Option<Inner> },
}

#[derive(Serialize, Clone)]
struct Page {
    title: String,
    #[serde(flatten)]
    rows: Rows,
}

#[derive(Serialize, Clone)]
struct Rows {
    rows: Vec<Row>,
    kinds: Vec<Kind>,
    by: BTreeMap<String, Inner>,
    number: serde_json::Value,
    unit: (),
    c: char,
}

fn page(seed: usize) -> Page {
    let rows = (0..seed % 7)
        .map(|i| Row {
            id: format!("r{}", i * seed),
            n: i + seed,
            extra: (i + seed).is_multiple_of(2).then_some(0.5 * i as f64),
            tags: vec!["x".repeat(i + seed % 3); i],
            inner: (i > 2).then_some(Inner {
                x: seed.is_multiple_of(2),
            }),
        })
        .collect();
    Page {
        title: format!("page {seed}"),
        rows: Rows {
            rows,
            kinds: vec![
                Kind::Plain,
                Kind::One(seed as i32),
                Kind::Pair(3, "p".into()),
                Kind::Named {
                    a: -(seed as i64),
                    b: seed.is_multiple_of(3).then_some(Inner { x: true }),
                },
            ],
            by: (0..seed % 3)
                .map(|i| (format!("k{i}"), Inner { x: i == 1 }))
                .collect(),
            number: serde_json::json!(seed * 10),
            unit: (),
            c: '党',
        },
    }
}

/// Converts `p` as the renderer does, taking the tree back through a Tera context.
fn through(c: &mut Converter, p: &Page) -> Value {
    let v = c.convert(p).unwrap();
    let copy = v.clone();
    c.recycle_context(tera::Context::from_value(v).unwrap());
    copy
}

#[test]
fn gives_what_serde_json_gives_on_every_page_after_any_other() {
    let mut c = Converter::default();
    // Pages of other shapes one after the other, so that objects, strings and arrays of
    // each are taken back and made again into the next.
    for seed in [0, 5, 6, 1, 4, 6, 6, 3, 12, 2, 5, 0, 8] {
        let p = page(seed);
        let fast = through(&mut c, &p);
        let slow = serde_json::to_value(&p).unwrap();
        assert_eq!(fast, slow, "page {seed}");
        assert_eq!(
            fast.to_string(),
            slow.to_string(),
            "the same order, page {seed}"
        );
        assert!(!c.poisoned, "page {seed} was taken back");
    }
    assert!(!c.strings.is_empty() && !c.arrays.is_empty());
    assert!(c.skeletons.iter().any(|s| !s.spare.is_empty()));
    // Taken back without a context (a page whose previous output is kept).
    for seed in [6, 6, 3] {
        let p = page(seed);
        let v = c.convert(&p).unwrap();
        assert_eq!(v, serde_json::to_value(&p).unwrap());
        c.recycle(v);
    }
    let n = serde_json::Number::from(7u64);
    assert_eq!(c.convert(&n).unwrap(), serde_json::json!(7));
    assert_eq!(
        c.convert(&serde_json::json!({"a": [1, "b"]})).unwrap(),
        serde_json::json!({"a": [1, "b"]})
    );
}

#[test]
fn a_key_given_twice_keeps_the_tree_from_being_taken_back() {
    #[derive(Serialize)]
    struct Twice {
        a: u8,
        #[serde(flatten)]
        more: BTreeMap<&'static str, Inner>,
    }
    let mut c = Converter::default();
    let p = Twice {
        a: 1,
        more: [("a", Inner { x: true })].into_iter().collect(),
    };
    let v = c.convert(&p).unwrap();
    assert_eq!(v, serde_json::to_value(&p).unwrap());
    assert!(c.poisoned);
    c.recycle(v);
    assert!(c.skeletons.iter().all(|s| s.spare.is_empty()));
}

fn encoding<T: Serialize>(c: &mut Converter, v: &T) -> Vec<u8> {
    let tree = c.convert(v).unwrap();
    let enc = c.encoding().to_vec();
    c.recycle(tree);
    enc
}

#[test]
fn different_trees_encode_differently() {
    use serde_json::json;
    let mut c = Converter::default();
    let values = [
        json!(null),
        json!(true),
        json!(false),
        json!(1),
        json!(1.5),
        json!("1"),
        json!(""),
        json!([]),
        json!({}),
        json!(["a", "b"]),
        json!(["ab"]),
        json!(["a", ["b"]]),
        json!([["a"], "b"]),
        json!({"a": "b"}),
        json!({"ab": ""}),
        json!({"a": {"b": null}}),
        json!([{"a": 1}, {"b": 1}]),
        json!([{"a": 1, "b": 1}]),
        // Lengths around the one-byte limit of the length prefix.
        json!("x".repeat(254)),
        json!("x".repeat(255)),
        json!("x".repeat(256)),
        json!(["x".repeat(255), "x"]),
        json!(["x".repeat(254), "xx"]),
    ];
    let mut all: Vec<(String, Vec<u8>)> = values
        .iter()
        .map(|v| (v.to_string(), encoding(&mut c, v)))
        .collect();
    // Pages differing in one place each, and the same pages met again.
    for seed in 0..16 {
        let p = page(seed);
        let tree = serde_json::to_value(&p).unwrap().to_string();
        all.push((tree, encoding(&mut c, &p)));
    }
    let mut p = page(5);
    p.rows.rows[1].tags[0].push('y');
    all.push((
        serde_json::to_value(&p).unwrap().to_string(),
        encoding(&mut c, &p),
    ));
    let mut p = page(5);
    p.rows.rows[2].extra = None;
    all.push((
        serde_json::to_value(&p).unwrap().to_string(),
        encoding(&mut c, &p),
    ));
    for (i, (ta, a)) in all.iter().enumerate() {
        for (tb, b) in &all[i + 1..] {
            assert_eq!(ta == tb, a == b, "{ta} vs {tb}");
        }
    }
    assert_eq!(encoding(&mut c, &page(9)), encoding(&mut c, &page(9)));
}

#[test]
fn struct_keys_are_in_the_encoding() {
    // Two structs with the same values under other names.
    #[derive(Serialize)]
    struct A {
        x: u8,
    }
    #[derive(Serialize)]
    struct B {
        y: u8,
    }
    let mut c = Converter::default();
    assert_ne!(encoding(&mut c, &A { x: 1 }), encoding(&mut c, &B { y: 1 }));
    // A struct and a map of the same keys make the same tree; a different encoding only
    // costs one render too many, but the same tree never gets two different ones by chance.
    assert_eq!(encoding(&mut c, &A { x: 1 }), encoding(&mut c, &A { x: 1 }));
}
