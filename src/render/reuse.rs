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

/// Runs `make(path)`, which creates the file `path`; when its folder does not exist yet,
/// creates the folder and runs it again. Nearly every file goes into a folder that is
/// already there: this costs no system call on top of the file's own (a site has a
/// hundred thousand files).
pub fn in_new_folder<T>(
    path: &Path,
    make: impl Fn(&Path) -> std::io::Result<T>,
) -> std::io::Result<T> {
    match make(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            make(path)
        }
        other => other,
    }
}

/// A file's size and modification time (nanoseconds since 1970).
pub fn file_stamp(p: &Path) -> std::io::Result<(u64, u128)> {
    stamp(&std::fs::metadata(p)?)
}

/// Writes `parts`, one after the other, to a new file at `p`; gives its [`file_stamp`],
/// read from the open file.
pub fn write_stamped(p: &Path, parts: &[&[u8]]) -> std::io::Result<(u64, u128)> {
    use std::io::Write as _;
    let mut f = std::fs::File::create(p)?;
    for bytes in parts {
        f.write_all(bytes)?;
    }
    stamp(&f.metadata()?)
}

fn stamp(m: &std::fs::Metadata) -> std::io::Result<(u64, u128)> {
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
    digest(|h| {
        for p in parts {
            h.update(p);
            h.update(&[0]);
        }
    })
}

/// The [`fingerprint`] of one part made of `parts` joined: the same as
/// `fingerprint(&[&parts.concat()])`, without making the joined copy.
pub fn fingerprint_concat(parts: &[&[u8]]) -> String {
    digest(|h| {
        for p in parts {
            h.update(p);
        }
        h.update(&[0]);
    })
}

/// The XXH3-128 of what `feed` hashes, in hex.
fn digest(feed: impl FnOnce(&mut xxhash_rust::xxh3::Xxh3)) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    feed(&mut h);
    format!("{:032x}", h.digest128())
}

/// Appends an unambiguous encoding of `v` to `out`, for fingerprinting: a tag per kind and
/// a length before every string, array and object, so two different values never give the
/// same bytes. Cheaper than serializing to JSON (nothing is escaped or formatted).
pub fn encode_value(v: &serde_json::Value, out: &mut Vec<u8>) {
    use serde_json::Value;
    fn bytes(tag: u8, b: &[u8], out: &mut Vec<u8>) {
        out.push(tag);
        out.extend_from_slice(&(b.len() as u64).to_le_bytes());
        out.extend_from_slice(b);
    }
    match v {
        Value::Null => out.push(b'n'),
        Value::Bool(b) => out.push(if *b { b't' } else { b'f' }),
        Value::Number(n) => bytes(b'#', n.as_str().as_bytes(), out),
        Value::String(s) => bytes(b's', s.as_bytes(), out),
        Value::Array(a) => {
            out.push(b'[');
            out.extend_from_slice(&(a.len() as u64).to_le_bytes());
            for x in a {
                encode_value(x, out);
            }
        }
        Value::Object(m) => encode_object(m, out),
    }
}

/// [`encode_value`] of an object.
pub fn encode_object(m: &serde_json::Map<String, serde_json::Value>, out: &mut Vec<u8>) {
    out.push(b'{');
    out.extend_from_slice(&(m.len() as u64).to_le_bytes());
    for (k, x) in m {
        out.push(b'k');
        out.extend_from_slice(&(k.len() as u64).to_le_bytes());
        out.extend_from_slice(k.as_bytes());
        encode_value(x, out);
    }
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
        let linked = in_new_folder(&dest, |p| std::fs::hard_link(&old, p));
        if linked.is_err() {
            return false;
        }
        self.record_entry(rel, e.clone());
        true
    }

    /// Keeps every file of the previous output that this build did not make or keep and
    /// that `wanted` accepts, whatever it was made from (a partial build that knows they
    /// did not change); a file edited by hand since is left out.
    /// Gives the files it could not keep.
    pub fn keep_the_rest(&self, out: &Path, wanted: impl Fn(&str) -> bool) -> Vec<String> {
        let Some((dir, entries)) = &self.previous else {
            return Vec::new();
        };
        let mut lost = Vec::new();
        let done: std::collections::BTreeSet<String> = self
            .current
            .lock()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        for (rel, e) in entries {
            if done.contains(rel) || !wanted(rel) {
                continue;
            }
            let old = dir.join(rel);
            if unchanged(&old, e.size, e.modified)
                && in_new_folder(&out.join(rel), |p| std::fs::hard_link(&old, p)).is_ok()
            {
                self.record_entry(rel, e.clone());
            } else {
                lost.push(rel.clone());
            }
        }
        lost
    }

    /// Records a file this build wrote at `rel`, with its [`file_stamp`].
    pub fn record(&self, rel: &str, fingerprint: String, (size, modified): (u64, u128)) {
        self.record_entry(
            rel,
            Entry {
                fingerprint,
                size,
                modified,
            },
        );
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
    fn fingerprint_of_parts_joined_is_that_of_the_joined_bytes() {
        let parts: [&[u8]; 4] = [b"window.", b"", b"DANGJIAN", b" = 1;"];
        assert_eq!(fingerprint_concat(&parts), fingerprint(&[&parts.concat()]));
        assert_ne!(fingerprint_concat(&parts), fingerprint(&parts));
    }

    #[test]
    fn files_are_made_in_folders_made_on_demand() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("2026/branch/甲.html");
        let stamp = in_new_folder(&p, |p| write_stamped(p, &[b"<p>x</p>"])).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"<p>x</p>");
        assert_eq!(stamp.0, 8);
        // A second file in the same folder, and an error that is not a missing folder.
        in_new_folder(&dir.path().join("2026/branch/乙.html"), |p| {
            write_stamped(p, &[b""])
        })
        .unwrap();
        let e = in_new_folder(&p, |_| {
            Err::<(), _>(std::io::Error::from(std::io::ErrorKind::PermissionDenied))
        });
        assert_eq!(e.unwrap_err().kind(), std::io::ErrorKind::PermissionDenied);
    }

    #[test]
    fn reuses_only_an_unchanged_file_with_the_same_fingerprint() {
        let old = tempfile::tempdir().unwrap();
        let new = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(old.path().join("a")).unwrap();
        std::fs::write(old.path().join("a/x.html"), "x").unwrap();
        std::fs::write(old.path().join("y.html"), "y").unwrap();
        let first = Files::new(None, "m.json");
        for (rel, f) in [("a/x.html", "fx"), ("y.html", "fy")] {
            first.record(rel, f.into(), file_stamp(&old.path().join(rel)).unwrap());
        }
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

    fn encoded(v: serde_json::Value) -> Vec<u8> {
        let mut out = Vec::new();
        encode_value(&v, &mut out);
        out
    }

    #[test]
    fn different_values_encode_differently() {
        use serde_json::json;
        let values = [
            json!(null),
            json!(true),
            json!(false),
            json!(1),
            json!("1"),
            json!(["a", "b"]),
            json!(["ab"]),
            json!(["a", ["b"]]),
            json!({"a": "b"}),
            json!({"ab": ""}),
            json!({"a": {"b": null}}),
            json!([{"a": 1}, {"b": 1}]),
            json!([{"a": 1, "b": 1}]),
        ];
        let all: Vec<Vec<u8>> = values.iter().cloned().map(encoded).collect();
        for (i, a) in all.iter().enumerate() {
            for (j, b) in all.iter().enumerate() {
                assert_eq!(i == j, a == b, "{} vs {}", values[i], values[j]);
            }
        }
        assert_eq!(
            encoded(json!({"x": [1, "y"]})),
            encoded(json!({"x": [1, "y"]}))
        );
    }
}
