//! Timing of many booklets, bundle against one process per booklet (ignored by default):
//!
//! ```sh
//! cargo test --release --test pdf_speed -- --ignored --nocapture
//! ```

mod pdf_support;

use dangjian::render::pdf::{self, PdfJob, PdfOptions};
use dangjian::render::reuse::Outputs;
use pdf_support::*;
use std::time::Instant;

/// Its booklets (not the annual report nor the rulebook).
fn booklets(mut jobs: Vec<PdfJob>) -> Vec<PdfJob> {
    jobs.retain(|j| j.template == dangjian::render::pdf::PdfTemplate::Booklet);
    jobs
}

#[test]
#[ignore]
fn bundle_against_processes() {
    if !require_typst() {
        return;
    }
    let fonts = font_dir();
    for n in [50, 200] {
        let root = numbered_project(n, 3);
        with_jobs(root.path(), |jobs| {
            let jobs = booklets(jobs);
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
        });
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
    let out = std::env::var_os("PDF_SAMPLES_OUT")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| manifest_dir().join("target/pdf-samples"));
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    let root = sample_project(&[SampleBranch::qiaoyi()]);
    let opts = PdfOptions {
        theme_typst: default_theme(),
        font_dir: &fonts,
    };
    let rep = with_jobs(root.path(), |jobs| {
        pdf::render(&jobs, &opts, &Outputs::open(None), &out).expect("render")
    });
    eprintln!("wrote {:?} to {}", rep.compiled, out.display());
}
