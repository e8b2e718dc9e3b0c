//! Reusing unchanged output files from the previous build. Every build writes into a fresh
//! staging folder; a file whose fingerprint (what it is made from) is the one recorded by
//! the previous build, and whose old copy is still the file that build wrote (same size
//! and modification time), is hard-linked from the previous output instead of being made
//! again. A link costs neither rendering nor a new inode, and the old site stays intact
//! until the new one is swapped in.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// A file's size and modification time (nanoseconds since 1970).
pub fn file_stamp(p: &Path) -> std::io::Result<(u64, u128)> {
    let m = std::fs::metadata(p)?;
    let modified = m
        .modified()?
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    Ok((m.len(), modified))
}

/// Whether `p` still has the size and modification time recorded when it was written.
pub fn unchanged(p: &Path, size: u64, modified: u128) -> bool {
    file_stamp(p).is_ok_and(|s| s == (size, modified))
}

/// A 128-bit fingerprint of `parts` (each ended by a 0 byte, so no two lists of parts give
/// the same input). XXH3: change detection, not security, and fast enough to hash every
/// page's variables on every build.
pub fn fingerprint(parts: &[&[u8]]) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for p in parts {
        h.update(p);
        h.update(&[0]);
    }
    format!("{:032x}", h.digest128())
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    pub fingerprint: String,
    pub size: u64,
    pub modified: u128,
}

/// The fingerprints of one kind of output, by path relative to the output root.
#[derive(Default)]
pub struct Files {
    /// What the previous build recorded, and its output folder.
    previous: Option<(std::path::PathBuf, BTreeMap<String, Entry>)>,
    /// What this build wrote or linked.
    current: Mutex<BTreeMap<String, Entry>>,
}

impl Files {
    /// Reads the manifest `name` (e.g. `.dangjian/site-manifest.json`) of the previous
    /// output, if there is one.
    pub fn new(previous_out: Option<&Path>, name: &str) -> Files {
        let previous = previous_out.map(|dir| {
            let entries = std::fs::read(dir.join(name))
                .ok()
                .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
                .and_then(|v| v.get("files").cloned())
                .and_then(|v| serde_json::from_value(v).ok())
                .unwrap_or_default();
            (dir.to_path_buf(), entries)
        });
        Files {
            previous,
            current: Mutex::new(BTreeMap::new()),
        }
    }

    /// Hard-links `rel` from the previous output into `out` when the previous build wrote it
    /// from the same `fingerprint` and it is unchanged since; true when it did.
    pub fn reuse(&self, out: &Path, rel: &str, fingerprint: &str) -> bool {
        let Some((dir, entries)) = &self.previous else {
            return false;
        };
        let Some(e) = entries.get(rel).filter(|e| e.fingerprint == fingerprint) else {
            return false;
        };
        let old = dir.join(rel);
        if !unchanged(&old, e.size, e.modified) {
            return false;
        }
        let dest = out.join(rel);
        let linked = dest
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::hard_link(&old, &dest));
        if linked.is_err() {
            return false;
        }
        self.record_entry(rel, e.clone());
        true
    }

    /// Records a file this build wrote at `out/rel`.
    pub fn record(&self, out: &Path, rel: &str, fingerprint: String) {
        if let Ok((size, modified)) = file_stamp(&out.join(rel)) {
            self.record_entry(
                rel,
                Entry {
                    fingerprint,
                    size,
                    modified,
                },
            );
        }
    }

    fn record_entry(&self, rel: &str, e: Entry) {
        if let Ok(mut m) = self.current.lock() {
            m.insert(rel.to_string(), e);
        }
    }

    /// Writes this build's manifest to `out/name`.
    pub fn save(self, out: &Path, name: &str, schema: &str) -> std::io::Result<()> {
        let files = self.current.into_inner().unwrap_or_default();
        let path = out.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let v = serde_json::json!({ "schema": schema, "files": files });
        let mut text = serde_json::to_string(&v).map_err(std::io::Error::other)?;
        text.push('\n');
        std::fs::write(path, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuses_only_an_unchanged_file_with_the_same_fingerprint() {
        let old = tempfile::tempdir().unwrap();
        let new = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(old.path().join("a")).unwrap();
        std::fs::write(old.path().join("a/x.html"), "x").unwrap();
        std::fs::write(old.path().join("y.html"), "y").unwrap();
        let first = Files::new(None, "m.json");
        first.record(old.path(), "a/x.html", "fx".into());
        first.record(old.path(), "y.html", "fy".into());
        first.save(old.path(), "m.json", "test/1").unwrap();

        // y.html is edited by hand after the build: it is made again, not linked.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(old.path().join("y.html"), "edited").unwrap();
        let second = Files::new(Some(old.path()), "m.json");
        assert!(!second.reuse(new.path(), "a/x.html", "changed"));
        assert!(second.reuse(new.path(), "a/x.html", "fx"));
        assert_eq!(
            std::fs::read_to_string(new.path().join("a/x.html")).unwrap(),
            "x"
        );
        assert!(!second.reuse(new.path(), "y.html", "fy"));
        assert!(!second.reuse(new.path(), "z.html", "fz"));
    }
}
