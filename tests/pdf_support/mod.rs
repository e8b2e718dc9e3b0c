//! Shared by the `pdf_*` integration tests: finding the external tools, the default theme.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether the tool answers. When it does not: under CI (`CI` set) the test fails, else
/// it is skipped with a message (returns false).
pub fn require(tool: &str, arg: &str) -> bool {
    let ok = Command::new(tool)
        .arg(arg)
        .output()
        .map(|o| o.status.success() || !o.stdout.is_empty() || !o.stderr.is_empty())
        .unwrap_or(false);
    if !ok {
        if std::env::var_os("CI").is_some() {
            panic!("`{tool}` is required under CI but was not found on PATH");
        }
        eprintln!("SKIPPED: `{tool}` is not on PATH (install it to run this test)");
    }
    ok
}

/// typst (0.15.x) is there; same CI rule as [`require`].
pub fn require_typst() -> bool {
    match dangjian::render::pdf::check_typst() {
        Ok(_) => true,
        Err(d) => {
            if std::env::var_os("CI").is_some() {
                panic!("typst is required under CI: {d}");
            }
            eprintln!("SKIPPED: {d}");
            false
        }
    }
}

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn font_dir() -> PathBuf {
    manifest_dir().join("themes/default/fonts")
}

/// The default theme's `.typ` files, by name.
pub fn default_theme() -> Vec<(String, Vec<u8>)> {
    let dir = manifest_dir().join("themes/default/typst");
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "typ"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

pub fn fixture(name: &str) -> PathBuf {
    manifest_dir().join("tests/fixtures/pdf").join(name)
}

/// Text of a PDF (`pdftotext -enc UTF-8`), whitespace removed.
pub fn pdf_text(pdf: &Path) -> String {
    let o = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("run pdftotext");
    assert!(o.status.success(), "pdftotext failed on {}", pdf.display());
    String::from_utf8(o.stdout)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Every `.pdf` under `dir`.
pub fn pdfs_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(pdfs_under(&p));
            } else if p.extension().is_some_and(|e| e == "pdf") {
                out.push(p);
            }
        }
    }
    out
}

/// The folder of the sample branches in a [`sample_project`].
pub const SAMPLE_DIR: &str = "content/2026/wuliqiao/qiaoyi_zong";

/// One branch of a [`sample_project`]: the sample record `tests/fixtures/pdf/qiaoyi.yaml`
/// under another id, with `secretary` replaced when given, and a narrative (the sample
/// narrative when `None`).
pub struct SampleBranch<'a> {
    pub id: &'a str,
    pub name: Option<&'a str>,
    pub secretary: Option<&'a str>,
    pub narrative: Option<&'a str>,
}

impl SampleBranch<'_> {
    pub fn qiaoyi() -> SampleBranch<'static> {
        SampleBranch {
            id: "qiaoyi",
            name: None,
            secretary: None,
            narrative: None,
        }
    }
}

/// A project of 2026 in a new temporary folder: the repository's indicator system, the
/// district 中共黄浦区委 and two levels of organisations, and `branches` in
/// [`SAMPLE_DIR`].
pub fn sample_project(branches: &[SampleBranch]) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join(SAMPLE_DIR);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        manifest_dir().join("indicators.yaml"),
        root.path().join("indicators.yaml"),
    )
    .unwrap();
    for (rel, name) in [
        ("content/2026/_org.yaml", "中共黄浦区委"),
        (
            "content/2026/wuliqiao/_org.yaml",
            "中共五里桥街道工作委员会",
        ),
        (&format!("{SAMPLE_DIR}/_org.yaml"), "桥一居民区党总支"),
    ] {
        std::fs::write(root.path().join(rel), format!("name: {name}\n")).unwrap();
    }
    let record = std::fs::read_to_string(fixture("qiaoyi.yaml")).unwrap();
    let sample_md = std::fs::read_to_string(fixture("narrative.md")).unwrap();
    for b in branches {
        let mut yaml = record.clone();
        if let Some(s) = b.secretary {
            yaml = yaml.replacen("secretary: 张晓梅", &format!("secretary: {s}"), 1);
        }
        if let Some(n) = b.name {
            let first = yaml.lines().next().unwrap().to_string();
            yaml = yaml.replacen(&first, &format!("name: {n}"), 1);
        }
        std::fs::write(dir.join(format!("{}.yaml", b.id)), yaml).unwrap();
        let md = b.narrative.unwrap_or(&sample_md);
        std::fs::write(dir.join(format!("{}.md", b.id)), md).unwrap();
    }
    root
}

/// A [`sample_project`] of `n` branches `b<i>` (`i` of `width` digits) named 第i党支部.
pub fn numbered_project(n: usize, width: usize) -> tempfile::TempDir {
    let names: Vec<(String, String)> = (0..n)
        .map(|i| (format!("b{i:0width$}"), format!("第{i}党支部")))
        .collect();
    let branches: Vec<SampleBranch> = names
        .iter()
        .map(|(id, name)| SampleBranch {
            id,
            name: Some(name),
            ..SampleBranch::qiaoyi()
        })
        .collect();
    sample_project(&branches)
}

/// The PDF jobs a build makes of the project at `root` (every booklet in id order, then the
/// annual report), given to `f`.
pub fn with_jobs<R>(root: &Path, f: impl FnOnce(Vec<dangjian::render::pdf::PdfJob>) -> R) -> R {
    let (project, diags) = dangjian::load::load(root);
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    let assessment = dangjian::score::assess(&project);
    let ctx = dangjian::view::Ctx::new(&project, &assessment, None);
    f(dangjian::build::pdf_jobs(&ctx, &[0]))
}
