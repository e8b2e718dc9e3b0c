//! Invisible and control characters in names and narratives: one policy, applied when the
//! text is read, so that `check` warns at each character and the JSON, the CSV, the site
//! and the PDFs all show the same clean text (`src/invisible.rs`).

mod common;
mod pdf_support;

use common::*;

/// A branch name holding a zero-width space, a right-to-left override, a left-to-right
/// isolate with its pop, a BOM, a soft hyphen and a line separator.
const NAME: &str = "甲\u{200B}居民区\u{202E}党\u{2066}支\u{2069}部\u{FEFF}\u{AD}\u{2028}";
/// The name as every output shows it (the line break the separator became ends it, and
/// the end of a name is trimmed).
const CLEAN: &str = "甲居民区党支部";
/// Characters that must appear nowhere in any output.
const BANNED: &[char] = &[
    '\u{200B}', '\u{202E}', '\u{2066}', '\u{2069}', '\u{FEFF}', '\u{AD}', '\u{2028}',
];

fn project() -> tempfile::TempDir {
    let dir = copy_fixture("golden");
    let rec = dir.path().join("content/2026/east/alpha.yaml");
    let text = std::fs::read_to_string(&rec).unwrap();
    // Double-quoted, so that the line separator stays in the value.
    let text = text.replacen("name: 甲居民区党支部", &format!("name: \"{NAME}\""), 1);
    std::fs::write(&rec, text).unwrap();
    std::fs::write(
        dir.path().join("content/2026/east/alpha.md"),
        "## 述职\n\n书记\u{200B}张三\u{202E}带领支部\u{2028}完成任务。\n",
    )
    .unwrap();
    dir
}

fn no_banned(what: &str, text: &str) {
    for c in BANNED {
        assert!(!text.contains(*c), "U+{:04X} in {what}", *c as u32);
    }
}

#[test]
fn check_warns_at_each_character_and_passes() {
    let dir = project();
    let o = run(&["check", "--root", &dir.path().to_string_lossy()]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    let rec = "content/2026/east/alpha.yaml";
    // `name: "` is 7 characters: the name's first character is column 8.
    for (col, code) in [
        (9, "U+200B"),
        (13, "U+202E"),
        (15, "U+2066"),
        (17, "U+2069"),
        (19, "U+FEFF"),
        (20, "U+00AD"),
        (21, "U+2028"),
    ] {
        assert!(
            err.lines()
                .any(|l| l.starts_with(&format!("{rec}:1:{col}: warning: ")) && l.contains(code)),
            "no warning for {code} at 1:{col}:\n{err}"
        );
    }
    let md = "content/2026/east/alpha.md";
    for (col, code) in [(3, "U+200B"), (6, "U+202E"), (11, "U+2028")] {
        assert!(
            err.lines()
                .any(|l| l.starts_with(&format!("{md}:3:{col}: warning: ")) && l.contains(code)),
            "no warning for {code} at 3:{col}:\n{err}"
        );
    }
}

#[test]
fn json_csv_and_site_show_the_same_clean_name() {
    let dir = project();
    let root = dir.path().to_string_lossy().to_string();
    let json = score_json(dir.path(), &[]);
    let alpha = json
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == "alpha")
        .unwrap();
    assert_eq!(alpha["name"], CLEAN);

    let o = run(&["score", "--root", &root, "--format", "csv"]);
    let csv = stdout(&o);
    // The CSV's own BOM (so that Excel reads UTF-8) is the only one.
    no_banned("the CSV", csv.strip_prefix('\u{FEFF}').unwrap());
    assert!(csv.contains("甲居民区党支部"), "{csv}");

    let (out, _) = build_site(dir.path(), &["--no-pdf"]);
    for e in walkdir::WalkDir::new(&out) {
        let e = e.unwrap();
        if e.file_type().is_file()
            && e.path()
                .extension()
                .is_some_and(|x| x == "html" || x == "js")
        {
            let text = std::fs::read_to_string(e.path()).unwrap();
            no_banned(&e.path().display().to_string(), &text);
        }
    }
    let page = std::fs::read_to_string(out.join("2026/branch/alpha.html")).unwrap();
    assert!(page.contains("甲居民区党支部"));
    assert!(page.contains("书记张三带领支部"));
}

/// The PDFs: the booklet holds the name whole (pdftotext finds it, nothing between its
/// characters) and no character of the policy is reported as missing from the fonts.
#[test]
fn the_booklet_prints_the_clean_name_without_font_warnings() {
    if !pdf_support::require_typst() || !pdf_support::require("pdftotext", "-v") {
        return;
    }
    let dir = project();
    let (out, err) = build_site(dir.path(), &["--year", "2026"]);
    assert!(!err.contains("不在内置字体中"), "{err}");
    let text = pdf_support::pdf_text(&out.join("2026/pdf/alpha.pdf"));
    assert!(text.contains(CLEAN), "{text}");
    assert!(text.contains("书记张三带领支部"), "{text}");
    no_banned("the booklet", &text);
}
