//! The fingerprints of the PDFs of a build (`.dangjian/pdf-manifest.json`), and putting a
//! compiled or reused PDF in its place.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::fonts::Coverage;
use super::job::PdfOptions;
use super::typst::Typst;
use crate::render::reuse::{file_stamp, hex, unchanged};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct ManifestEntry {
    pub(super) fingerprint: String,
    pub(super) sha256: String,
    /// Size and modification time (ns) of the file written: a file that still has them is
    /// the one written, without reading it again. Absent in manifests of older versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) size: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) modified: Option<u128>,
}

impl ManifestEntry {
    /// Whether `file` is the file this entry was written for.
    pub(super) fn describes(&self, file: &Path) -> bool {
        match (self.size, self.modified) {
            (Some(size), Some(modified)) => unchanged(file, size, modified),
            _ => std::fs::read(file).is_ok_and(|b| hex(&Sha256::digest(&b)) == self.sha256),
        }
    }
}

pub(super) type Manifest = BTreeMap<String, ManifestEntry>;

/// Moves (or, for a reused file, hard-links or copies) `from` to `dest`; returns the
/// SHA-256 of the file (read only when not `known`), its size and modification time.
pub(super) fn place(
    from: &Path,
    dest: &Path,
    keep_source: bool,
    known: Option<String>,
) -> std::io::Result<(String, u64, u128)> {
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let _ = std::fs::remove_file(dest);
    if keep_source {
        if std::fs::hard_link(from, dest).is_err() {
            let tmp = dest.with_extension("pdf.tmp");
            std::fs::copy(from, &tmp)?;
            std::fs::rename(&tmp, dest)?;
        }
    } else if std::fs::rename(from, dest).is_err() {
        let tmp = dest.with_extension("pdf.tmp");
        std::fs::copy(from, &tmp)?;
        std::fs::rename(&tmp, dest)?;
    }
    let sha = match known {
        Some(sha) => sha,
        None => hex(&Sha256::digest(std::fs::read(dest)?)),
    };
    let (size, modified) = file_stamp(dest)?;
    Ok((sha, size, modified))
}

/// The part of every fingerprint that does not depend on the job.
pub(super) fn base_fingerprint(
    typst: &Typst,
    opts: &PdfOptions<'_>,
    coverage: &Coverage,
) -> Sha256 {
    let mut h = Sha256::new();
    h.update(b"dangjian-pdf/1\0");
    h.update(typst.version.as_bytes());
    h.update([0]);
    let mut theme: Vec<&(String, Vec<u8>)> = opts.theme_typst.iter().collect();
    theme.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, bytes) in theme {
        h.update(name.as_bytes());
        h.update([0]);
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    }
    for (name, size) in &coverage.files {
        h.update(name.as_bytes());
        h.update([0]);
        h.update(size.to_le_bytes());
    }
    h
}

pub(super) fn read_manifest(path: &Path) -> Manifest {
    std::fs::read(path)
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        .and_then(|v| v.get("pdfs").cloned())
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

pub(super) fn write_manifest(path: &Path, m: &Manifest) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let v = serde_json::json!({ "schema": "dangjian.pdf-manifest/1", "pdfs": m });
    let mut text = serde_json::to_string_pretty(&v).expect("JSON values serialise");
    text.push('\n');
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}
