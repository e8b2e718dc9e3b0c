//! The manifest of a build's output, `.dangjian/manifest.json`: the program that made it, and
//! for every file the build wrote or kept (pages, copied files, PDFs) its fingerprint and
//! the stamp (size, modification time) it was left with. The next build reads it to find
//! what it may keep.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::fingerprint::{Fingerprint, Hasher, Program};
use super::write::{Stamp, in_new_folder, link_or_copy, unchanged};

/// Where the manifest is kept, relative to the output root.
pub const MANIFEST: &str = ".dangjian/manifest.json";
const SCHEMA: &str = "dangjian.manifest/1";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    pub fingerprint: Fingerprint,
    pub size: u64,
    /// Nanoseconds since 1970.
    pub modified: u128,
}

#[derive(serde::Deserialize)]
struct Stored {
    schema: String,
    program: Program,
    files: HashMap<String, Entry>,
}

/// The files of this build and what the previous build recorded: shared by the renderers,
/// which ask it what they may keep and tell it what they wrote.
pub struct Outputs {
    program: Program,
    /// The previous output folder and its files, when its manifest was made by this program
    /// (another program's files can match no fingerprint of this one).
    previous: Option<(PathBuf, HashMap<String, Entry>)>,
    /// What this build wrote or kept, by path relative to the output root.
    current: Mutex<Vec<(String, Entry)>>,
}

/// A file of the previous output that this build may keep.
pub struct Kept {
    path: PathBuf,
    entry: Entry,
}

impl Outputs {
    /// Reads the manifest of `previous_out`, if there is one (a missing, unreadable or
    /// older manifest means nothing is kept), and finds out which program this is.
    pub fn open(previous_out: Option<&Path>) -> Outputs {
        let stored = previous_out.and_then(|dir| {
            let bytes = std::fs::read(dir.join(MANIFEST)).ok()?;
            let s: Stored = serde_json::from_slice(&bytes).ok()?;
            (s.schema == SCHEMA).then(|| (dir.to_path_buf(), s))
        });
        let program = Program::running(stored.as_ref().map(|(_, s)| &s.program));
        let previous = stored
            .filter(|(_, s)| s.program.id == program.id)
            .map(|(dir, s)| (dir, s.files));
        Outputs {
            program,
            previous,
            current: Mutex::new(Vec::new()),
        }
    }

    /// The program this build runs as.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// The start of the fingerprint of a file of `kind`.
    pub fn hasher(&self, kind: &str) -> Hasher {
        Hasher::new(&self.program, kind)
    }

    /// The previous build's `rel`, when it was made from `fingerprint` and is still the
    /// file that build left (same size and modification time: not edited by hand since).
    pub fn previous(&self, rel: &str, fingerprint: Fingerprint) -> Option<Kept> {
        let (dir, entries) = self.previous.as_ref()?;
        let entry = entries.get(rel).filter(|e| e.fingerprint == fingerprint)?;
        let path = dir.join(rel);
        unchanged(&path, (entry.size, entry.modified)).then(|| Kept {
            path,
            entry: entry.clone(),
        })
    }

    /// Puts the kept file at `out/rel` (a hard link, or a copy) and records it.
    pub fn keep(&self, out: &Path, rel: &str, kept: &Kept) -> std::io::Result<()> {
        let stamp = in_new_folder(&out.join(rel), |p| link_or_copy(&kept.path, p))?;
        self.record(rel, kept.entry.fingerprint, stamp);
        Ok(())
    }

    /// Keeps the previous build's `rel` when it was made from `fingerprint` and is
    /// unchanged since; false when this build must make it.
    pub fn reuse(&self, out: &Path, rel: &str, fingerprint: Fingerprint) -> bool {
        self.previous(rel, fingerprint)
            .is_some_and(|k| self.keep(out, rel, &k).is_ok())
    }

    /// Records a file this build wrote at `rel`, with the stamp it was left with.
    pub fn record(&self, rel: &str, fingerprint: Fingerprint, (size, modified): Stamp) {
        let e = Entry {
            fingerprint,
            size,
            modified,
        };
        if let Ok(mut m) = self.current.lock() {
            m.push((rel.to_string(), e));
        }
    }

    /// Writes the manifest of this build into `out` (its files sorted by path).
    pub fn save(self, out: &Path) -> std::io::Result<()> {
        struct Files(Vec<(String, Entry)>);
        impl serde::Serialize for Files {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
            }
        }
        #[derive(serde::Serialize)]
        struct Saved<'a> {
            schema: &'a str,
            program: &'a Program,
            files: Files,
        }
        let mut files = self.current.into_inner().unwrap_or_default();
        files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let saved = Saved {
            schema: SCHEMA,
            program: &self.program,
            files: Files(files),
        };
        let mut text = serde_json::to_vec(&saved).map_err(std::io::Error::other)?;
        text.push(b'\n');
        in_new_folder(&out.join(MANIFEST), |p| {
            super::write::write_new(p, &[&text])
        })
        .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::reuse::write::file_stamp;

    fn fp(outputs: &Outputs, name: &str) -> Fingerprint {
        outputs.hasher("page").part(name.as_bytes()).finish()
    }

    #[test]
    fn keeps_only_an_unchanged_file_with_the_same_fingerprint() {
        let old = tempfile::tempdir().unwrap();
        let new = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(old.path().join("a")).unwrap();
        std::fs::write(old.path().join("a/x.html"), "x").unwrap();
        std::fs::write(old.path().join("y.html"), "y").unwrap();
        let first = Outputs::open(None);
        for rel in ["a/x.html", "y.html"] {
            let f = fp(&first, rel);
            first.record(rel, f, file_stamp(&old.path().join(rel)).unwrap());
        }
        first.save(old.path()).unwrap();

        // y.html is edited by hand after the build: it is made again, not linked.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(old.path().join("y.html"), "edited").unwrap();
        let second = Outputs::open(Some(old.path()));
        assert!(!second.reuse(new.path(), "a/x.html", fp(&second, "changed")));
        assert!(second.reuse(new.path(), "a/x.html", fp(&second, "a/x.html")));
        assert_eq!(
            std::fs::read_to_string(new.path().join("a/x.html")).unwrap(),
            "x"
        );
        assert!(!second.reuse(new.path(), "y.html", fp(&second, "y.html")));
        assert!(!second.reuse(new.path(), "z.html", fp(&second, "z.html")));

        // The new manifest records the kept file with the fingerprint and stamp it had.
        second.save(new.path()).unwrap();
        let third = Outputs::open(Some(new.path()));
        assert!(third.previous("a/x.html", fp(&third, "a/x.html")).is_some());
        assert!(third.previous("y.html", fp(&third, "y.html")).is_none());
    }

    #[test]
    fn nothing_is_kept_from_another_program_or_an_unreadable_manifest() {
        let old = tempfile::tempdir().unwrap();
        std::fs::write(old.path().join("x.html"), "x").unwrap();
        let first = Outputs::open(None);
        let f = fp(&first, "x");
        let id = first.program().id;
        first.record("x.html", f, file_stamp(&old.path().join("x.html")).unwrap());
        first.save(old.path()).unwrap();
        let manifest = old.path().join(MANIFEST);
        let text = std::fs::read_to_string(&manifest).unwrap();
        assert!(text.starts_with("{\"schema\":\"dangjian.manifest/1\",\"program\":"));
        assert!(
            Outputs::open(Some(old.path()))
                .previous("x.html", f)
                .is_some()
        );

        // The same fingerprint recorded by another program is not this program's.
        let mut other: serde_json::Value = serde_json::from_str(&text).unwrap();
        other["program"] = serde_json::json!({
            "id": Fingerprint(id.0 ^ 1),
            "file": null,
        });
        std::fs::write(&manifest, other.to_string()).unwrap();
        assert!(
            Outputs::open(Some(old.path()))
                .previous("x.html", f)
                .is_none()
        );
        std::fs::write(&manifest, "{not json").unwrap();
        assert!(
            Outputs::open(Some(old.path()))
                .previous("x.html", f)
                .is_none()
        );
    }
}
