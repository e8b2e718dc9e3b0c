//! What a long-running process (`dangjian serve`) keeps between two loads of the same
//! project: every file's parsed and validated result with its diagnostics, reused while the
//! file has the same size and modification time, was not reported changed, and was read in
//! the same context (the year, its indicator system, the district's file). A reload then
//! reads only the files that changed: the walk, the checks across files and the scoring run
//! as in a first load, so the result is the one a fresh load would give.
//!
//! A narrative's result also depends on the files it links to (they must exist and not be
//! symbolic links): their kind is recorded and checked again on every reuse.

use std::any::Any;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::diagnostics::Diagnostic;

/// A file's size and modification time (nanoseconds since 1970).
type Stamp = (u64, u128);

struct Entry {
    stamp: Stamp,
    context: u64,
    value: Box<dyn Any + Send + Sync>,
    diags: Vec<Diagnostic>,
    /// Files the result depends on besides the file itself, with the kind each had.
    deps: Vec<(PathBuf, Kind)>,
    /// The load that last used it.
    seen: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Missing,
    File,
    Link,
    Other,
}

fn kind(p: &Path) -> Kind {
    match std::fs::symlink_metadata(p) {
        Err(_) => Kind::Missing,
        Ok(m) if m.file_type().is_symlink() => Kind::Link,
        Ok(m) if m.is_file() => Kind::File,
        Ok(_) => Kind::Other,
    }
}

fn stamp(p: &Path) -> Option<Stamp> {
    let m = std::fs::symlink_metadata(p).ok()?;
    let modified = m
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    Some((m.len(), modified))
}

/// Parsed files kept between loads. Shared by the loader's threads.
#[derive(Default)]
pub struct Cache {
    entries: Mutex<HashMap<String, Entry>>,
    /// Counts loads; entries not seen by the latest one are dropped after it.
    load: AtomicU64,
    /// Hands out a new number every time an indicator system is read again, so records
    /// read against the old one never match the new one.
    generation: AtomicU64,
    hits: AtomicU64,
    misses: AtomicU64,
    /// The files the latest load read (not taken from the cache).
    read: Mutex<Vec<String>>,
}

/// How many files the last load took from the cache and how many it read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub reused: u64,
    pub read: u64,
}

impl Cache {
    pub fn new() -> Cache {
        Cache::default()
    }

    /// Forgets these files (paths relative to the root, with `/`): a watcher said they
    /// changed, which a modification time too coarse to tell may not show.
    pub fn forget<'a>(&self, rels: impl IntoIterator<Item = &'a str>) {
        if let Ok(mut e) = self.entries.lock() {
            for rel in rels {
                e.remove(rel);
            }
        }
    }

    /// Forgets everything.
    pub fn clear(&self) {
        if let Ok(mut e) = self.entries.lock() {
            e.clear();
        }
    }

    pub(super) fn begin(&self) {
        self.load.fetch_add(1, Ordering::SeqCst);
        self.hits.store(0, Ordering::SeqCst);
        self.misses.store(0, Ordering::SeqCst);
        if let Ok(mut r) = self.read.lock() {
            r.clear();
        }
    }

    /// The files the latest load read rather than took from the cache, sorted.
    pub fn read_files(&self) -> Vec<String> {
        let mut r = self.read.lock().map(|r| r.clone()).unwrap_or_default();
        r.sort();
        r
    }

    /// Drops the files the latest load did not see (deleted or renamed since).
    pub(super) fn end(&self) {
        let load = self.load.load(Ordering::SeqCst);
        if let Ok(mut e) = self.entries.lock() {
            e.retain(|_, v| v.seen == load);
        }
    }

    /// Files reused and read by the latest load.
    pub fn counts(&self) -> Counts {
        Counts {
            reused: self.hits.load(Ordering::SeqCst),
            read: self.misses.load(Ordering::SeqCst),
        }
    }

    /// A new number for a context that must not match any earlier one.
    pub(super) fn new_generation(&self) -> u64 {
        self.generation.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// The result of reading `rel` in `context`: the cached one when the file and what it
    /// depends on are unchanged, otherwise `read(diags, deps)`'s (which lists in `deps` the
    /// other files it looked at), kept for next time. Without a cache, `read`'s.
    pub(super) fn read<T: Clone + Send + Sync + 'static>(
        cache: Option<&Cache>,
        root: &Path,
        rel: &str,
        context: u64,
        diags: &mut Vec<Diagnostic>,
        read: impl FnOnce(&mut Vec<Diagnostic>, &mut Vec<PathBuf>) -> Option<T>,
    ) -> Option<T> {
        let Some(this) = cache else {
            return read(diags, &mut Vec::new());
        };
        let load = this.load.load(Ordering::SeqCst);
        let now = stamp(&root.join(rel));
        if let Some(now) = now
            && let Ok(mut e) = this.entries.lock()
            && let Some(entry) = e.get_mut(rel)
            && entry.stamp == now
            && entry.context == context
            && entry.deps.iter().all(|(p, k)| kind(p) == *k)
            && let Some(value) = entry.value.downcast_ref::<Option<T>>()
        {
            entry.seen = load;
            diags.extend(entry.diags.iter().cloned());
            this.hits.fetch_add(1, Ordering::Relaxed);
            return value.clone();
        }
        this.misses.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut r) = this.read.lock() {
            r.push(rel.to_string());
        }
        let mut own = Vec::new();
        let mut deps = Vec::new();
        let value = read(&mut own, &mut deps);
        diags.extend(own.iter().cloned());
        if let Some(now) = now {
            let deps = deps.into_iter().map(|p| (p.clone(), kind(&p))).collect();
            let entry = Entry {
                stamp: now,
                context,
                value: Box::new(value.clone()),
                diags: own,
                deps,
                seen: load,
            };
            if let Ok(mut e) = this.entries.lock() {
                e.insert(rel.to_string(), entry);
            }
        }
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_again_when_it_its_context_or_a_linked_file_changes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("a.yaml"), "1").unwrap();
        let cache = Cache::new();
        let reads = std::cell::Cell::new(0);
        let get = |context: u64, dep: Option<&str>| {
            let mut d = Vec::new();
            Cache::read(Some(&cache), root, "a.yaml", context, &mut d, |_, deps| {
                reads.set(reads.get() + 1);
                deps.extend(dep.map(|p| root.join(p)));
                Some(std::fs::read_to_string(root.join("a.yaml")).unwrap())
            })
        };
        cache.begin();
        assert_eq!(get(1, Some("img.png")).as_deref(), Some("1"));
        assert_eq!(get(1, Some("img.png")).as_deref(), Some("1"));
        assert_eq!(reads.get(), 1);
        // The linked file appears: read again.
        std::fs::write(root.join("img.png"), "").unwrap();
        get(1, Some("img.png"));
        assert_eq!(reads.get(), 2);
        // Another context: read again.
        get(2, None);
        assert_eq!(reads.get(), 3);
        // The file changes size: read again.
        std::fs::write(root.join("a.yaml"), "22").unwrap();
        assert_eq!(get(2, None).as_deref(), Some("22"));
        assert_eq!(reads.get(), 4);
        // Reported changed (as a watcher would, within the same modification time).
        cache.forget(["a.yaml"]);
        get(2, None);
        assert_eq!(reads.get(), 5);
        // A load that does not see it drops it.
        cache.begin();
        cache.end();
        get(2, None);
        assert_eq!(reads.get(), 6);
    }
}
