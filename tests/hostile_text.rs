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

/// Names in right-to-left scripts, with digits and neutral characters beside them: each is
/// isolated (`<bdi>`) wherever the site shows it as text, so that its direction cannot
/// reorder what surrounds it (a rank, a score, the Chinese around it), and each comes back
/// whole from the page's text.
#[test]
fn right_to_left_names_are_isolated_on_every_page() {
    const BRANCH: &str = "אבג 党支部 2026";
    const ORG: &str = "مركز الشارع 12";
    const SECRETARY: &str = "דוד 3";
    const DISTRICT: &str = "מחוז 7 区委";
    let dir = copy_fixture("golden");
    let edit = |rel: &str, from: &str, to: &str| {
        let path = dir.path().join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from} in {rel}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit(
        "content/2026/east/alpha.yaml",
        "name: 甲居民区党支部\n",
        &format!("name: \"{BRANCH}\"\nsecretary: \"{SECRETARY}\"\n"),
    );
    edit(
        "content/2026/east/_org.yaml",
        "name: 东街道党工委",
        &format!("name: \"{ORG}\""),
    );
    edit(
        "content/2026/_org.yaml",
        "name: 测试区委",
        &format!("name: \"{DISTRICT}\""),
    );
    let (out, _) = build_site(dir.path(), &["--no-pdf", "--year", "2026"]);
    let mut seen = [0usize; 4];
    for e in walkdir::WalkDir::new(&out) {
        let e = e.unwrap();
        if e.path().extension().is_none_or(|x| x != "html") {
            continue;
        }
        let page = std::fs::read_to_string(e.path()).unwrap();
        for (k, name) in [BRANCH, ORG, SECRETARY, DISTRICT].iter().enumerate() {
            for (i, _) in page.match_indices(name) {
                seen[k] += 1;
                let before = &page[..i];
                // Inside a tag (an attribute such as aria-label): not drawn as text.
                if before.rfind('<') > before.rfind('>') {
                    continue;
                }
                // The page's <title> and a chart's (SVG) hold text only; a table's caption
                // is one sentence built around the name (left as it is).
                let inside = |open: &str, close: &str| before.rfind(open) > before.rfind(close);
                if inside("<title>", "</title>")
                    || inside("<svg", "</svg>")
                    || inside("<caption", "</caption>")
                {
                    continue;
                }
                let after = &page[i + name.len()..];
                assert!(
                    before.ends_with("<bdi>") && after.starts_with("</bdi>"),
                    "{name} not isolated in {}: …{}…",
                    e.path().display(),
                    &page[before.len().saturating_sub(80)..(i + name.len() + 40).min(page.len())]
                );
            }
        }
    }
    // Each name is shown: on its own page, in the rankings, the organisation pages, the
    // site's header and footer.
    assert!(seen.iter().all(|&n| n > 0), "{seen:?}");
    let branch = std::fs::read_to_string(out.join("2026/branch/alpha.html")).unwrap();
    let text = html_text(&branch);
    for name in [BRANCH, ORG, SECRETARY, DISTRICT] {
        assert!(text.contains(name), "{name} whole in the page's text");
    }
}

/// The text of an HTML page: tags removed, the common entities decoded.
fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}
