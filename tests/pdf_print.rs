//! Print: every PDF of the bundled example, read back with `pdftotext -bbox` (poppler),
//! has no text below 6 pt (chart labels included); long names are shortened with "…"
//! only where they are shown whole elsewhere; rare characters print as themselves.
//! Needs typst 0.15 and poppler-utils: skipped when missing, failed when missing under CI.

mod common;
mod pdf_support;

use std::path::Path;
use std::process::Command;

use common::*;

/// Smallest text height allowed on paper, in points.
const MIN_PT: f64 = 6.0;

/// (height in points, the word) of every word of a PDF, from `pdftotext -bbox`.
fn word_heights(pdf: &Path) -> Vec<(f64, String)> {
    words(pdf).into_iter().map(|w| (w.height, w.text)).collect()
}

struct Word {
    height: f64,
    right: f64,
    text: String,
}

fn words(pdf: &Path) -> Vec<Word> {
    let o = Command::new("pdftotext")
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("run pdftotext");
    assert!(
        o.status.success(),
        "pdftotext -bbox failed on {}",
        pdf.display()
    );
    let html = String::from_utf8_lossy(&o.stdout);
    let attr = |tag: &str, name: &str| -> f64 {
        let k = format!("{name}=\"");
        let i = tag.find(&k).unwrap() + k.len();
        tag[i..i + tag[i..].find('"').unwrap()].parse().unwrap()
    };
    html.split("<word ")
        .skip(1)
        .map(|w| {
            let (tag, rest) = w.split_once('>').unwrap();
            let word = rest.split("</word>").next().unwrap_or_default();
            Word {
                height: attr(tag, "yMax") - attr(tag, "yMin"),
                right: attr(tag, "xMax"),
                text: word.to_string(),
            }
        })
        .collect()
}

fn tools() -> bool {
    pdf_support::require_typst() && pdf_support::require("pdftotext", "-v")
}

#[test]
fn every_pdf_of_the_bundled_example_prints_text_at_6pt_or_more() {
    if !tools() {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let o = run(&[
        "build",
        "--root",
        &repo().to_string_lossy(),
        "--out",
        &out.path().join("site").to_string_lossy(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdfs = pdf_support::pdfs_under(&out.path().join("site"));
    assert!(pdfs.len() >= 90, "{} PDFs", pdfs.len());
    let mut small = Vec::new();
    for pdf in &pdfs {
        let words = word_heights(pdf);
        assert!(words.len() > 100, "{} has no text", pdf.display());
        if let Some((h, w)) = words
            .into_iter()
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .filter(|(h, _)| *h < MIN_PT)
        {
            small.push(format!("{}: “{w}” at {h:.2} pt", pdf.display()));
        }
    }
    assert!(
        small.is_empty(),
        "text below {MIN_PT} pt:\n{}",
        small.join("\n")
    );
}

/// A project with a very long branch name and district name.
fn long_names() -> (tempfile::TempDir, String, String) {
    let dir = copy_fixture("golden");
    // With a long run of Latin letters: no break opportunity in Chinese line breaking.
    let branch = "中共临江区新河街道桥东第一居民区联合党总支部第二党支部（含两新组织及流动党员服务站）\
                  ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let district =
        "中共临江区委员会组织部城市基层党建工作领导小组办公室暨全区基层党组织建设质量考评工作专班";
    let rec = dir.path().join("content/2026/east/alpha.yaml");
    let text = std::fs::read_to_string(&rec)
        .unwrap()
        .replacen("甲居民区党支部", branch, 1);
    std::fs::write(&rec, text).unwrap();
    std::fs::write(
        dir.path().join("content/2026/_org.yaml"),
        format!("name: {district}\n"),
    )
    .unwrap();
    (dir, branch.to_string(), district.to_string())
}

/// Text of one page, line by line (`pdftotext -layout`).
fn page_lines(pdf: &Path, page: usize) -> Vec<String> {
    let p = page.to_string();
    let o = Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-layout", "-f", &p, "-l", &p])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("run pdftotext");
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn long_names_are_whole_in_tables_and_shortened_with_an_ellipsis_only_in_headers() {
    if !tools() {
        return;
    }
    let (dir, branch, district) = long_names();
    let (out, _) = build_site(dir.path(), &["--year", "2026"]);
    let booklet = out.join("2026/pdf/alpha.pdf");
    let report = out.join("2026/pdf/annual-report.pdf");
    // The running header of page 2: one line, ending in "…", a prefix of the name.
    for (pdf, name) in [(&booklet, &branch), (&report, &district)] {
        let header = page_lines(pdf, 2)
            .into_iter()
            .find(|l| !l.trim().is_empty())
            .unwrap();
        let left = header.split("  ").next().unwrap().trim();
        let shown = left
            .strip_suffix('…')
            .unwrap_or_else(|| panic!("no “…” in {header:?}"));
        assert!(
            name.starts_with(shown) && shown.chars().count() > 10,
            "{header:?}"
        );
    }
    // Nothing runs into the right margin of an A4 page (595 pt wide, margins of 2.3 cm
    // or more; punctuation may hang a few points into it): the Latin run wraps inside its
    // cell.
    for pdf in [&booklet, &report] {
        for w in words(pdf) {
            assert!(
                w.right <= 540.0,
                "“{}” ends at {:.1} pt in {}",
                w.text,
                w.right,
                pdf.display()
            );
        }
    }
    // The whole name on the booklet's cover and in the report's tables (wrapped).
    assert!(pdf_support::pdf_text(&booklet).contains(&branch));
    let report_text = pdf_support::pdf_text(&report);
    assert!(
        report_text.matches(&branch).count() >= 3,
        "the branch in the report's tables"
    );
    assert!(report_text.contains(&district));
}

/// Rare characters print as themselves from the vendored fallback fonts: 𠀾 (U+2003E,
/// HKSCS) and 𪚥 (U+2A6A5, CJK Extension B) in a branch's name and secretary, an emoji
/// with a variation selector and a ZWJ sequence in its narrative; `pdftotext` finds each,
/// and no character is reported as missing from the fonts.
#[test]
fn extension_b_and_emoji_print_as_themselves() {
    if !tools() {
        return;
    }
    let dir = copy_fixture("golden");
    let rec = dir.path().join("content/2026/east/alpha.yaml");
    let text = std::fs::read_to_string(&rec)
        .unwrap()
        .replacen("甲居民区党支部", "𠀾𪚥居民区党支部", 1)
        .replacen("members: 30", "members: 30\nsecretary: 张𪚥", 1);
    std::fs::write(&rec, text).unwrap();
    std::fs::write(
        dir.path().join("content/2026/east/alpha.md"),
        "## 述职\n\n活动圆满成功🎉，群众点赞👍️，全家👨\u{200D}👩\u{200D}👧参加。\n",
    )
    .unwrap();
    let (out, err) = build_site(dir.path(), &["--year", "2026"]);
    assert!(!err.contains("不在内置字体中"), "{err}");
    let booklet = pdf_support::pdf_text(&out.join("2026/pdf/alpha.pdf"));
    for s in ["𠀾𪚥居民区党支部", "张𪚥", "活动圆满成功🎉", "👍"] {
        assert!(booklet.contains(s), "{s} not in the booklet's text");
    }
    assert!(
        booklet.contains('👨') && booklet.contains('👧'),
        "the ZWJ sequence"
    );
    let report = pdf_support::pdf_text(&out.join("2026/pdf/annual-report.pdf"));
    assert!(report.contains("𠀾𪚥居民区党支部"));
}
