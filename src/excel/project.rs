//! What a year of the project holds on disk, as the workbook sees it: its indicator system
//! (and that file's fingerprint), its organisation nodes and branch records with their
//! paths, and the records themselves read into workbook rows (for prefilling a template,
//! and for telling an import what changed).

use std::collections::BTreeMap;
use std::path::Path;

use walkdir::WalkDir;

use super::from_yaml;
use super::layout::text_fingerprint;
use super::record::{OrgData, RecordData};
use crate::diagnostics::{Diagnostic, Pos};
use crate::load::files::read_text;
use crate::model::IndicatorSystem;

/// A year folder's files: organisation nodes and branch records by path.
#[derive(Debug, Default)]
pub struct YearFiles {
    /// Organisation path → `_org.yaml` (relative to the root); the district is `[]`.
    pub orgs: BTreeMap<Vec<String>, String>,
    /// Branch id → (organisation path, record file relative to the root).
    pub branches: BTreeMap<String, (Vec<String>, String)>,
}

/// Lists a year folder without reading the files (the loader validates them later).
pub fn year_files(root: &Path, year: i32) -> YearFiles {
    let mut out = YearFiles::default();
    let dir = root.join("content").join(year.to_string());
    if !dir.is_dir() {
        return out;
    }
    let walker = WalkDir::new(&dir)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
    for e in walker.flatten() {
        if !e.file_type().is_file() {
            continue;
        }
        let Ok(rel) = e.path().strip_prefix(&dir) else {
            continue;
        };
        let mut parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let Some(file) = parts.pop() else { continue };
        let path = format!("content/{year}/{}", crate::links::to_slash(rel));
        if file == "_org.yaml" {
            out.orgs.insert(parts, path);
        } else if let Some(stem) = file.strip_suffix(".yaml")
            && stem != "indicators"
            && !stem.starts_with('_')
        {
            out.branches
                .entry(stem.to_string())
                .or_insert((parts, path));
        }
    }
    out
}

/// The indicator system a year is scored with (its own file, else the root's), the file's
/// path and fingerprint.
pub fn year_system(
    root: &Path,
    year: i32,
    diags: &mut Vec<Diagnostic>,
) -> Option<(IndicatorSystem, String)> {
    let own = format!("content/{year}/indicators.yaml");
    let rel = if root.join(&own).is_file() {
        own
    } else {
        "indicators.yaml".to_string()
    };
    if !root.join(&rel).is_file() {
        diags.push(
            Diagnostic::error(&rel, Pos::START, "找不到指标体系 indicators.yaml")
                .with_hint("用 --root 指向项目根目录"),
        );
        return None;
    }
    let text = read_text(root, &rel, diags)?;
    let sys = crate::load::indicators::load(&text, &rel, diags)?;
    Some((sys, text_fingerprint(&text)))
}

/// The fingerprint of the indicators.yaml a year is scored with, as a template records it.
pub fn system_fingerprint(root: &Path, sys: &IndicatorSystem) -> String {
    let mut d = Vec::new();
    read_text(root, &sys.file, &mut d)
        .map(|t| text_fingerprint(&t))
        .unwrap_or_default()
}

fn parse(root: &Path, rel: &str) -> Option<crate::yaml::Node> {
    let mut d = Vec::new();
    let text = read_text(root, rel, &mut d)?;
    crate::yaml::parse(&text, rel, &mut d).ok().flatten()
}

/// A record on disk as workbook rows (`None` when it cannot be read; the loader says why).
pub fn read_record(root: &Path, rel: &str, sys: &IndicatorSystem) -> Option<RecordData> {
    parse(root, rel).map(|n| from_yaml::record(&n, sys))
}

pub fn read_org(root: &Path, rel: &str) -> Option<OrgData> {
    parse(root, rel).map(|n| from_yaml::org(&n))
}

/// The identity of a branch carried to a new year: name, category and secretary, none of
/// the year's data.
pub fn identity_only(rec: &RecordData) -> RecordData {
    RecordData {
        name: rec.name.clone(),
        category: rec.category.clone(),
        secretary: rec.secretary.clone(),
        ..RecordData::default()
    }
}

/// An organisation node carried to a new year: name and kind only.
pub fn org_identity(org: &OrgData) -> OrgData {
    OrgData {
        name: org.name.clone(),
        kind: org.kind.clone(),
        extra: Vec::new(),
    }
}
