//! Timing of many booklets, bundle against one process per booklet (ignored by default):
//!
//! ```sh
//! cargo test --release --test pdf_speed -- --ignored --nocapture
//! ```

mod pdf_support;

use dangjian::render::pdf::{self, PdfJob, PdfOptions, PdfTemplate};
use dangjian::render::reuse::Outputs;
use pdf_support::*;
use serde_json::Value;
use std::time::Instant;

fn jobs(n: usize) -> Vec<PdfJob> {
    let mut data: Value =
        serde_json::from_slice(&std::fs::read(fixture("booklet.json")).unwrap()).unwrap();
    data["narrative"] = Value::String(std::fs::read_to_string(fixture("narrative.md")).unwrap());
    (0..n)
        .map(|i| {
            let mut d = data.clone();
            d["branch"]["name"] = Value::String(format!("第{i}党支部"));
            PdfJob {
                output: format!("2026/pdf/b{i:03}.pdf"),
                template: PdfTemplate::Booklet,
                data: d,
                sources: vec![format!("content/2026/b{i:03}.yaml")],
                epoch: 1_798_675_200,
            }
        })
        .collect()
}

#[test]
#[ignore]
fn bundle_against_processes() {
    if !require_typst() {
        return;
    }
    let fonts = font_dir();
    let root = tempfile::tempdir().unwrap();
    for n in [50, 200] {
        let jobs = jobs(n);
        for mode in ["bundle", "processes"] {
            // SAFETY: single test in this binary.
            unsafe {
                std::env::set_var(
                    "DANGJIAN_PDF_BUNDLE",
                    if mode == "bundle" { "1" } else { "0" },
                )
            };
            let out = tempfile::tempdir().unwrap();
            let opts = PdfOptions {
                theme_typst: default_theme(),
                font_dir: &fonts,
                root: root.path(),
            };
            let t = Instant::now();
            let outputs = Outputs::open(None);
            let rep = pdf::render(&jobs, &opts, &outputs, out.path()).expect("render");
            outputs.save(out.path()).unwrap();
            let secs = t.elapsed().as_secs_f64();
            assert_eq!(rep.compiled.len(), n);
            eprintln!(
                "{n} booklets, {mode}: {secs:.2} s ({:.0} ms per booklet, {} typst runs)",
                secs * 1000.0 / n as f64,
                rep.typst_runs
            );
            // Unchanged: everything reused.
            let again = tempfile::tempdir().unwrap();
            let t = Instant::now();
            let outputs = Outputs::open(Some(out.path()));
            let rep = pdf::render(&jobs, &opts, &outputs, again.path()).expect("render");
            assert_eq!(rep.reused.len(), n);
            if mode == "bundle" {
                eprintln!(
                    "{n} booklets unchanged (reused): {:.2} s",
                    t.elapsed().as_secs_f64()
                );
            }
        }
    }
}

/// Writes the sample booklet and annual report to `$PDF_SAMPLES_OUT` (default
/// `target/pdf-samples`) to look at:
/// `cargo test --test pdf_speed -- --ignored samples`.
#[test]
#[ignore]
fn samples() {
    if !require_typst() {
        return;
    }
    let fonts = font_dir();
    let root = tempfile::tempdir().unwrap();
    let out = std::env::var_os("PDF_SAMPLES_OUT")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| manifest_dir().join("target/pdf-samples"));
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    let mut jobs = jobs(1);
    jobs[0].data["branch"]["name"] = serde_json::json!(
        "五里桥街道桥一居民区第一党支部（打浦桥片区楼组党建与“红色物业”联建示范点）"
    );
    jobs.push(PdfJob {
        output: "2026/pdf/annual-report.pdf".into(),
        template: PdfTemplate::AnnualReport,
        data: serde_json::from_slice(&std::fs::read(fixture("report.json")).unwrap()).unwrap(),
        sources: vec!["content/2026/_org.yaml".into()],
        epoch: 1_798_675_200,
    });
    let opts = PdfOptions {
        theme_typst: default_theme(),
        font_dir: &fonts,
        root: root.path(),
    };
    let rep = pdf::render(&jobs, &opts, &Outputs::open(None), &out).expect("render");
    eprintln!("wrote {:?} to {}", rep.compiled, out.display());
}
