//! `render::pdf::render` on the sample data: valid, embedded-font, PDF/A-2b, reproducible
//! PDFs; unchanged PDFs reused; template errors mapped back; undrawable characters warned.
//! Needs `typst` 0.15, `pdffonts`/`pdftotext` (poppler-utils) and `qpdf`: skipped with a
//! message when missing, failed when missing under CI.

mod pdf_support;

use dangjian::render::pdf::{self, PdfJob, PdfOptions, PdfReport};
use dangjian::render::reuse::{MANIFEST, Outputs};
use pdf_support::*;
use std::path::{Path, PathBuf};
use std::process::Command;

const RECORD: &str = "content/2026/wuliqiao/qiaoyi_zong/qiaoyi.yaml";
const NARRATIVE: &str = "content/2026/wuliqiao/qiaoyi_zong/qiaoyi.md";

fn tools() -> bool {
    require_typst()
        && require("pdftotext", "-v")
        && require("pdffonts", "-v")
        && require("qpdf", "--version")
}

fn run(
    jobs: &[PdfJob],
    theme: Vec<(String, Vec<u8>)>,
    previous: Option<&Path>,
    staging: &Path,
) -> Result<PdfReport, Vec<dangjian::diagnostics::Diagnostic>> {
    let fonts = font_dir();
    let opts = PdfOptions {
        theme_typst: theme,
        font_dir: &fonts,
    };
    // As a build does: the previous output's manifest read, this one's saved on success.
    let outputs = Outputs::open(previous);
    let report = pdf::render(jobs, &opts, &outputs, staging)?;
    outputs.save(staging).expect("manifest written");
    Ok(report)
}

fn check_pdf(pdf: &Path, must_contain: &[&str]) {
    let bytes = std::fs::read(pdf).unwrap();
    assert!(
        bytes.starts_with(b"%PDF-"),
        "{} is not a PDF",
        pdf.display()
    );
    // Only embedded fonts.
    let o = Command::new("pdffonts").arg(pdf).output().unwrap();
    assert!(o.status.success());
    let table = String::from_utf8_lossy(&o.stdout).into_owned();
    let rows: Vec<&str> = table.lines().skip(2).collect();
    assert!(!rows.is_empty(), "no fonts listed:\n{table}");
    for row in &rows {
        // name type encoding emb sub uni object ID: `emb` is the 4th column from the end
        // of the fixed part; the name and type may contain spaces, so read from the right.
        let cols: Vec<&str> = row.split_whitespace().collect();
        let emb = cols[cols.len() - 5];
        assert_eq!(emb, "yes", "font not embedded in {}: {row}", pdf.display());
    }
    // The text comes back.
    let text = pdf_text(pdf);
    for want in must_contain {
        let want: String = want.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(text.contains(&want), "{} lacks {want:?}", pdf.display());
    }
    // Structure.
    let o = Command::new("qpdf")
        .arg("--check")
        .arg(pdf)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "qpdf --check failed on {}:\n{}{}",
        pdf.display(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    // PDF/A-2b declared in the XMP metadata.
    let s = String::from_utf8_lossy(&bytes);
    assert!(
        s.contains("<pdfaid:part>2</pdfaid:part>") || s.contains("pdfaid:part=\"2\""),
        "no PDF/A part 2 in the XMP of {}",
        pdf.display()
    );
    assert!(
        s.contains("<pdfaid:conformance>B</pdfaid:conformance>")
            || s.contains("pdfaid:conformance=\"B\""),
        "no PDF/A conformance B in the XMP of {}",
        pdf.display()
    );
}

fn staging(parent: &Path, name: &str) -> PathBuf {
    let p = parent.join(name);
    std::fs::create_dir_all(&p).unwrap();
    p
}

#[test]
fn render_writes_reproducible_pdfa_and_reuses_unchanged() {
    if !tools() {
        return;
    }
    let root = sample_project(&[SampleBranch::qiaoyi()]);
    let out = tempfile::tempdir().unwrap();
    with_jobs(root.path(), |jobs| {
        assert_eq!(
            jobs.len(),
            3,
            "the booklet, the annual report and the rulebook"
        );
        let first = staging(out.path(), "first");
        let rep = run(&jobs, default_theme(), None, &first).expect("render succeeds");
        assert!(
            rep.warnings.is_empty(),
            "unexpected warnings: {:?}",
            rep.warnings
        );
        assert_eq!(rep.compiled.len(), 3);
        assert!(rep.reused.is_empty());
        assert!(rep.typst_runs >= 1);
        let booklet = first.join("2026/pdf/qiaoyi.pdf");
        let report = first.join("2026/pdf/annual-report.pdf");
        check_pdf(
            &booklet,
            &[
                "五里桥街道桥一居民区第一党支部（打浦桥片区楼组党建与“红色物业”联建示范点）",
                "牵头成立“楼组议事会”，协调解决加装电梯、停车难等问题共17件。",
                // soft line break between Han characters joined, Markdown syntax shown literally
                "坚持以党建引领基层治理，围绕“一支部一品牌”目标",
                "变量_名、#号、$符号、@某人、<标签>、//双斜线、http://example.cn与C:\\路径",
            ],
        );
        check_pdf(
            &report,
            &["2026年度基层党组织建设质量年度报告", "中共黄浦区委"],
        );
        check_pdf(
            &first.join("2026/pdf/rulebook.pdf"),
            &["2026年度基层党组织建设质量考核细则", "考评方式"],
        );
        assert!(first.join(MANIFEST).is_file(), "manifest written");
        assert!(
            !first.join(".dangjian/typst-work").exists(),
            "work folder removed"
        );

        // Same input, fresh build: identical bytes.
        let second = staging(out.path(), "second");
        let rep2 = run(&jobs, default_theme(), None, &second).unwrap();
        assert_eq!(rep2.compiled.len(), 3);
        for rel in [
            "2026/pdf/qiaoyi.pdf",
            "2026/pdf/annual-report.pdf",
            "2026/pdf/rulebook.pdf",
        ] {
            assert!(
                std::fs::read(first.join(rel)).unwrap() == std::fs::read(second.join(rel)).unwrap(),
                "{rel} differs between two builds"
            );
        }

        // With the first build as the previous output: nothing is compiled.
        let third = staging(out.path(), "third");
        let rep3 = run(&jobs, default_theme(), Some(&first), &third).unwrap();
        assert_eq!(rep3.typst_runs, 0, "typst ran although nothing changed");
        assert!(rep3.compiled.is_empty());
        assert_eq!(rep3.reused.len(), 3);
        assert_eq!(
            std::fs::read(&booklet).unwrap(),
            std::fs::read(third.join("2026/pdf/qiaoyi.pdf")).unwrap()
        );

        // A changed narrative recompiles that booklet only.
        let md = std::fs::read_to_string(fixture("narrative.md"))
            .unwrap()
            .replace("共17件", "共18件");
        let changed_root = sample_project(&[SampleBranch {
            narrative: Some(&md),
            ..SampleBranch::qiaoyi()
        }]);
        let fourth = staging(out.path(), "fourth");
        with_jobs(changed_root.path(), |changed| {
            let rep4 = run(&changed, default_theme(), Some(&third), &fourth).unwrap();
            assert_eq!(rep4.compiled, vec!["2026/pdf/qiaoyi.pdf".to_string()]);
            assert_eq!(
                rep4.reused,
                vec![
                    "2026/pdf/annual-report.pdf".to_string(),
                    "2026/pdf/rulebook.pdf".to_string()
                ]
            );
        });
        assert!(pdf_text(&fourth.join("2026/pdf/qiaoyi.pdf")).contains("共18件"));

        // A changed template recompiles everything.
        let mut theme = default_theme();
        for (name, bytes) in &mut theme {
            if name == "common.typ" {
                bytes.extend_from_slice(b"\n// changed\n");
            }
        }
        let fifth = staging(out.path(), "fifth");
        let rep5 = run(&jobs, theme, Some(&first), &fifth).unwrap();
        assert_eq!(rep5.compiled.len(), 3);
        assert!(rep5.reused.is_empty());
    });
}

#[test]
fn many_booklets_in_a_bundle_match_single_compiles() {
    if !tools() {
        return;
    }
    let root = numbered_project(3, 1);
    let out = tempfile::tempdir().unwrap();
    with_jobs(root.path(), |mut jobs| {
        jobs.truncate(3); // the booklets only, not the annual report and the rulebook
        let bundled = staging(out.path(), "bundled");
        let rep = run(&jobs, default_theme(), None, &bundled).unwrap();
        assert_eq!(rep.compiled.len(), 3);
        assert_eq!(rep.typst_runs, 1, "three booklets in one bundle");
        // The same booklet alone (one job: a single process).
        let alone = staging(out.path(), "alone");
        let rep = run(&jobs[1..2], default_theme(), None, &alone).unwrap();
        assert_eq!(rep.typst_runs, 1);
        assert_eq!(
            std::fs::read(bundled.join("2026/pdf/b1.pdf")).unwrap(),
            std::fs::read(alone.join("2026/pdf/b1.pdf")).unwrap(),
            "bundle and single compile give different bytes"
        );
        for i in 0..3 {
            assert!(
                pdf_text(&bundled.join(format!("2026/pdf/b{i}.pdf")))
                    .contains(&format!("第{i}党支部"))
            );
        }
    });
}

#[test]
fn template_error_names_the_source_and_leaves_no_pdf() {
    if !tools() {
        return;
    }
    let other = SampleBranch {
        id: "other",
        ..SampleBranch::qiaoyi()
    };
    let root = sample_project(&[SampleBranch::qiaoyi(), other]);
    let out = tempfile::tempdir().unwrap();
    let mut theme = default_theme();
    for (name, bytes) in &mut theme {
        if name == "booklet.typ" {
            let s = String::from_utf8(bytes.clone()).unwrap();
            *bytes = s
                .replace(
                    "  fix-first(d)\n",
                    "  fix-first(d)\n  no-such-function(d)\n",
                )
                .into_bytes();
        }
    }
    // Two booklets (one bundle), the report and the rulebook, which still compile.
    let st = staging(out.path(), "staging");
    let errors = with_jobs(root.path(), |jobs| {
        assert_eq!(jobs.len(), 4);
        run(&jobs, theme, None, &st).expect_err("broken template fails")
    });
    assert!(errors.iter().all(|d| d.is_error()));
    let text: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
    eprintln!("{}", text.join("\n"));
    assert!(
        errors.iter().any(|d| d.path == RECORD),
        "no error names the record: {text:#?}"
    );
    assert!(
        errors
            .iter()
            .any(|d| d.path == format!("{SAMPLE_DIR}/other.yaml")),
        "{text:#?}"
    );
    assert!(
        errors
            .iter()
            .any(|d| d.message.contains("no-such-function")
                || d.message.contains("unknown variable")),
        "typst's message is kept: {text:#?}"
    );
    assert!(
        errors.iter().any(|d| d
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("booklet.typ") && h.contains(NARRATIVE))),
        "hint names the template and narrative: {text:#?}"
    );
    assert!(
        pdfs_under(&st).is_empty(),
        "PDFs left in staging: {:?}",
        pdfs_under(&st)
    );
    assert!(!st.join(MANIFEST).exists());
}

#[test]
fn undrawable_characters_warn_with_code_point_and_still_build() {
    if !tools() {
        return;
    }
    // A Tangut character (U+17000) in the secretary's name, a Linear B syllable (U+10000) in
    // the narrative: no vendored font has them (Extension B and emoji have fallbacks now).
    let md = "# 述职\n\n第一段。\n\n活动圆满成功\u{10000}，群众满意。\n";
    let root = sample_project(&[SampleBranch {
        secretary: Some("张\u{17000}明"),
        narrative: Some(md),
        ..SampleBranch::qiaoyi()
    }]);
    let out = tempfile::tempdir().unwrap();
    let st = staging(out.path(), "staging");
    let rep = with_jobs(root.path(), |mut jobs| {
        jobs.truncate(1); // the booklet only
        run(&jobs, default_theme(), None, &st).expect("still builds")
    });
    let w: Vec<String> = rep.warnings.iter().map(|d| d.to_string()).collect();
    eprintln!("{}", w.join("\n"));
    let ext_b = rep
        .warnings
        .iter()
        .find(|d| d.message.contains("U+17000"))
        .unwrap_or_else(|| panic!("no U+17000 warning: {w:#?}"));
    assert_eq!(ext_b.path, RECORD);
    assert_eq!((ext_b.pos.line, ext_b.pos.col), (4, 13), "{w:#?}");
    let emoji = rep
        .warnings
        .iter()
        .find(|d| d.message.contains("U+10000"))
        .unwrap_or_else(|| panic!("no U+10000 warning: {w:#?}"));
    assert_eq!(emoji.path, NARRATIVE);
    assert_eq!((emoji.pos.line, emoji.pos.col), (5, 7), "{w:#?}");
    let pdf = st.join("2026/pdf/qiaoyi.pdf");
    check_pdf(&pdf, &["张〓明", "活动圆满成功〓，群众满意。"]);
}
