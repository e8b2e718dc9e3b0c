//! `dangjian init`: a new project in an empty folder — the default indicator system, this
//! year's district with one street and one branch record whose every field is explained
//! in Chinese (or, with `--example`, the bundled example district), a `.gitignore` for the
//! output and ready-to-use CI pipelines. Every file is embedded in the binary, so an
//! installed `dangjian` needs no source tree; nothing that exists is ever overwritten.

use std::path::{Path, PathBuf};

use super::yaml_text;
use crate::diagnostics::{Diagnostic, Pos};

/// The pinned typst the CI files install (the version `render::pdf` checks for).
pub const TYPST_VERSION: &str = "0.15.1";

/// Entries an otherwise empty folder may already hold: a version-control checkout made
/// first (`git init`, `git clone` of an empty repository).
pub const ALLOWED_EXISTING: [&str; 3] = [".git", ".hg", ".svn"];

mod example {
    include!(concat!(env!("OUT_DIR"), "/example_files.rs"));
}

const DEFAULT_INDICATORS: &str = include_str!("../../indicators.yaml");
const DISTRICT: &str = include_str!("../../scaffold/district.yaml");
const STREET: &str = include_str!("../../scaffold/street.yaml");
const BRANCH: &str = include_str!("../../scaffold/branch.yaml");
const NARRATIVE: &str = include_str!("../../scaffold/branch.md");
const GITIGNORE: &str = include_str!("../../scaffold/gitignore");
const GITLAB_CI: &str = include_str!("../../scaffold/gitlab-ci.yml");
const ACTIONS: &str = include_str!("../../scaffold/actions.yml");

/// The street and branch of a new project (folder and file names are their ids).
pub const STREET_ID: &str = "shifanjiedao";
pub const BRANCH_ID: &str = "shifanshequ";
/// The district's name when `--name` is not given: a blank to fill in, as in a form.
pub const PLACEHOLDER_NAME: &str = "中共××区委";

pub struct InitOptions {
    pub dir: PathBuf,
    /// The district's name (`--name`).
    pub name: Option<String>,
    /// The bundled example district instead of an empty project.
    pub example: bool,
    /// The year folder of a new project (ignored with `example`).
    pub year: i32,
}

/// What `init` wrote.
pub struct Made {
    /// Paths relative to the project folder, in the order written.
    pub files: Vec<String>,
    /// The year folders the project has.
    pub years: Vec<i32>,
}

/// The files of the new project: (path relative to the project, contents).
pub fn files(opts: &InitOptions) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let name = match &opts.name {
        Some(n) if n.trim().is_empty() => {
            return Err(Diagnostic::error(
                "--name",
                Pos::START,
                "区级党组织的名称不能为空",
            ));
        }
        Some(n) => Some(yaml_text::scalar(n.trim())),
        None => None,
    };
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    if opts.example {
        for (rel, bytes) in example::EXAMPLE {
            let mut bytes = bytes.to_vec();
            if let Some(name) = &name
                && is_district_file(rel)
            {
                bytes = with_name(&String::from_utf8_lossy(&bytes), name).into_bytes();
            }
            out.push((rel.to_string(), bytes));
        }
    } else {
        let y = opts.year;
        let fill = |t: &str| {
            t.replace("{{year}}", &y.to_string()).replace(
                "{{name}}",
                name.as_deref()
                    .unwrap_or(&yaml_text::scalar(PLACEHOLDER_NAME)),
            )
        };
        let year = format!("content/{y}");
        let street = format!("{year}/{STREET_ID}");
        out.push(("indicators.yaml".into(), DEFAULT_INDICATORS.into()));
        out.push((format!("{year}/_org.yaml"), fill(DISTRICT).into_bytes()));
        out.push((format!("{street}/_org.yaml"), fill(STREET).into_bytes()));
        out.push((
            format!("{street}/{BRANCH_ID}.yaml"),
            fill(BRANCH).into_bytes(),
        ));
        out.push((
            format!("{street}/{BRANCH_ID}.md"),
            fill(NARRATIVE).into_bytes(),
        ));
    }
    out.push((".gitignore".into(), GITIGNORE.into()));
    out.extend(ci_files());
    Ok(out)
}

/// The CI pipelines: GitLab CI, Gitea Actions and GitHub Actions.
pub fn ci_files() -> Vec<(String, Vec<u8>)> {
    let actions = |system: &str, upload: &str| {
        ACTIONS
            .replace("{{system}}", system)
            .replace("{{typst_version}}", TYPST_VERSION)
            // Gitea's artifact server speaks the protocol of upload-artifact v3.
            .replace("{{upload_artifact}}", upload)
            .into_bytes()
    };
    vec![
        (
            ".gitlab-ci.yml".into(),
            GITLAB_CI
                .replace("{{typst_version}}", TYPST_VERSION)
                .into_bytes(),
        ),
        (
            ".gitea/workflows/dangjian.yml".into(),
            actions("Gitea", "v3"),
        ),
        (
            ".github/workflows/dangjian.yml".into(),
            actions("GitHub", "v4"),
        ),
    ]
}

/// `content/<year>/_org.yaml`: a district's file.
fn is_district_file(rel: &str) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    matches!(parts.as_slice(), ["content", y, "_org.yaml"] if y.len() == 4)
}

/// The file with its top-level `name:` set to `name` (already a YAML scalar).
fn with_name(text: &str, name: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if line.starts_with("name:") {
            let end = if line.ends_with("\r\n") {
                "\r\n"
            } else if line.ends_with('\n') {
                "\n"
            } else {
                ""
            };
            out.push_str(&format!("name: {name}{end}"));
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Writes the new project into `opts.dir`, which must not exist or be empty (apart from
/// [`ALLOWED_EXISTING`]). On any failure, what was written is removed again.
pub fn init(opts: &InitOptions) -> Result<Made, Vec<Diagnostic>> {
    let dir = &opts.dir;
    let shown = dir.display().to_string();
    let files = files(opts).map_err(|d| vec![d])?;
    check_empty(dir)?;
    let mut written: Vec<PathBuf> = Vec::new();
    let mut made_dirs: Vec<PathBuf> = Vec::new();
    let existed = dir.exists();
    let result = (|| -> Result<(), Diagnostic> {
        for (rel, bytes) in &files {
            let path = dir.join(rel);
            if let Some(parent) = path.parent() {
                let mut missing = Vec::new();
                let mut p = parent;
                while !p.exists() {
                    missing.push(p.to_path_buf());
                    match p.parent() {
                        Some(up) => p = up,
                        None => break,
                    }
                }
                std::fs::create_dir_all(parent).map_err(|e| io_error(&shown, rel, &e))?;
                made_dirs.extend(missing);
            }
            write_new(&path, bytes).map_err(|e| io_error(&shown, rel, &e))?;
            written.push(path);
        }
        Ok(())
    })();
    if let Err(d) = result {
        for p in written.iter().rev() {
            let _ = std::fs::remove_file(p);
        }
        made_dirs.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
        for p in &made_dirs {
            if existed || p != dir {
                let _ = std::fs::remove_dir(p);
            }
        }
        return Err(vec![d]);
    }
    let mut years: Vec<i32> = files
        .iter()
        .filter(|(rel, _)| is_district_file(rel))
        .filter_map(|(rel, _)| rel.split('/').nth(1)?.parse().ok())
        .collect();
    years.sort_unstable();
    years.dedup();
    Ok(Made {
        files: files.into_iter().map(|(rel, _)| rel).collect(),
        years,
    })
}

fn io_error(dir: &str, rel: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        &format!("{}/{rel}", dir.trim_end_matches('/')),
        Pos::START,
        format!("无法写入：{e}"),
    )
}

/// Creates `path` with `bytes`; fails when it exists (never overwrites, even a file made
/// since the folder was found empty).
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(bytes)
}

/// A folder `init` may write into: none yet, or one holding nothing but
/// [`ALLOWED_EXISTING`].
fn check_empty(dir: &Path) -> Result<(), Vec<Diagnostic>> {
    let shown = dir.display().to_string();
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        return Err(vec![Diagnostic::error(
            &shown,
            Pos::START,
            "已存在同名文件，不是文件夹",
        )]);
    }
    let entries = std::fs::read_dir(dir).map_err(|e| {
        vec![Diagnostic::error(
            &shown,
            Pos::START,
            format!("无法读取文件夹：{e}"),
        )]
    })?;
    let mut found: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !ALLOWED_EXISTING.contains(&n.as_str()))
        .collect();
    if found.is_empty() {
        return Ok(());
    }
    found.sort();
    let more = found.len().saturating_sub(5);
    found.truncate(5);
    let mut listed = found.join("、");
    if more > 0 {
        listed.push_str(&format!(" 等 {} 项", more + 5));
    }
    Err(vec![
        Diagnostic::error(
            &shown,
            Pos::START,
            format!("文件夹不是空的（已有 {listed}），为免覆盖任何文件，不在这里创建项目"),
        )
        .with_hint("换一个新的文件夹名，或先清空这个文件夹（其中只有 .git 也可以）"),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_districts_name_replaces_only_its_top_level_name() {
        let text = "name: 中共临江区委\nkind: 区委\nwithdrawn:\n  x:\n    name: y\n";
        assert_eq!(
            with_name(text, "中共东湖区委"),
            "name: 中共东湖区委\nkind: 区委\nwithdrawn:\n  x:\n    name: y\n"
        );
        assert!(is_district_file("content/2026/_org.yaml"));
        assert!(!is_district_file("content/2026/xinhe/_org.yaml"));
    }

    #[test]
    fn the_example_is_embedded_whole() {
        let rels: Vec<&str> = example::EXAMPLE.iter().map(|(r, _)| *r).collect();
        assert!(rels.contains(&"indicators.yaml"));
        assert!(rels.contains(&"content/2026/_org.yaml"));
        assert!(rels.iter().filter(|r| r.ends_with(".md")).count() > 10);
    }
}
