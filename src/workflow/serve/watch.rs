//! Watching the project for changes: the operating system's notifications (inotify,
//! FSEvents, ReadDirectoryChangesW through `notify`), or polling when they cannot be had
//! (too many watches, a network file system) or are asked for with `--poll` — mdBook made
//! polling its default after native watchers missed saves on some systems.
//!
//! The poller is our own: `notify`'s compares modification times in whole seconds and not
//! sizes, so a file saved twice within a second (a quick fix of a typo) went unseen. Ours
//! compares size and modification time to the nanosecond, which costs one `stat` per file
//! and scan (a 10,000-branch district: a few milliseconds).
//!
//! What is watched: `content/` and the theme folders, recursively, and the project folder
//! itself without recursing (for `indicators.yaml` and a `content/` made or renamed).
//! Hidden files (editors' swap files) and everything else in the project folder are
//! ignored; the output is written elsewhere.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher};

/// How often the polling watcher looks at every file.
pub const POLL_INTERVAL: Duration = Duration::from_millis(300);

/// What the serve loop hears.
#[derive(Debug)]
pub enum Signal {
    /// These files changed (absolute paths).
    Changed(Vec<PathBuf>),
    /// The watcher failed and may have missed changes: load everything again.
    Rescan,
    /// Stop serving.
    Stop,
}

/// A running watcher; stops when dropped.
pub struct Watching {
    _watcher: Box<dyn Send>,
    /// False when the operating system's notifications could not be had and the files are
    /// polled instead; the reason is in `fallback`.
    pub native: bool,
    pub fallback: Option<String>,
}

/// What decides whether a changed path matters.
#[derive(Clone)]
pub struct Filter {
    root: PathBuf,
    themes: Vec<PathBuf>,
}

impl Filter {
    pub fn new(root: &Path, themes: &[PathBuf]) -> Filter {
        Filter {
            root: root.to_path_buf(),
            themes: themes.to_vec(),
        }
    }

    /// Whether a change to `path` can change the site.
    pub fn matters(&self, path: &Path) -> bool {
        let hidden = |rel: &Path| {
            rel.components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        };
        if let Ok(rel) = path.strip_prefix(&self.root) {
            let mut parts = rel.components();
            let first = parts.next().map(|c| c.as_os_str().to_string_lossy());
            let matters = match first.as_deref() {
                Some("content") => true,
                Some("indicators.yaml") => parts.next().is_none(),
                _ => false,
            };
            if matters {
                return !hidden(rel);
            }
        }
        self.themes
            .iter()
            .any(|t| path.strip_prefix(t).is_ok_and(|rel| !hidden(rel)))
    }
}

/// Starts watching; every change that [`Filter::matters`] is sent as [`Signal::Changed`].
pub fn start(filter: Filter, poll: bool, tx: Sender<Signal>) -> notify::Result<Watching> {
    let handler = {
        let filter = filter.clone();
        move |res: notify::Result<notify::Event>| {
            let signal = match res {
                Ok(ev) if matches!(ev.kind, EventKind::Access(_)) => return,
                Ok(ev) => {
                    let paths: Vec<PathBuf> =
                        ev.paths.into_iter().filter(|p| filter.matters(p)).collect();
                    if paths.is_empty() {
                        return;
                    }
                    Signal::Changed(paths)
                }
                Err(_) => Signal::Rescan,
            };
            let _ = tx.send(signal);
        }
    };
    if !poll {
        match native(&filter, handler.clone()) {
            Ok(w) => {
                return Ok(Watching {
                    _watcher: w,
                    native: true,
                    fallback: None,
                });
            }
            Err(e) => {
                let w = polling(&filter, handler)?;
                return Ok(Watching {
                    _watcher: w,
                    native: false,
                    fallback: Some(e.to_string()),
                });
            }
        }
    }
    Ok(Watching {
        _watcher: polling(&filter, handler)?,
        native: false,
        fallback: None,
    })
}

fn targets(filter: &Filter) -> Vec<(PathBuf, RecursiveMode)> {
    let mut t = vec![(filter.root.clone(), RecursiveMode::NonRecursive)];
    let content = filter.root.join("content");
    if content.is_dir() {
        t.push((content, RecursiveMode::Recursive));
    }
    for theme in &filter.themes {
        if theme.is_dir() {
            t.push((theme.clone(), RecursiveMode::Recursive));
        }
    }
    t
}

fn native<F: notify::EventHandler>(filter: &Filter, handler: F) -> notify::Result<Box<dyn Send>> {
    let mut w = notify::recommended_watcher(handler)?;
    for (path, mode) in targets(filter) {
        w.watch(&path, mode)?;
    }
    Ok(Box::new(w))
}

/// A file's kind, size and modification time, as the poller compares them.
type Seen = (bool, u64, u128);

fn snapshot(filter: &Filter) -> HashMap<PathBuf, Seen> {
    let mut out = HashMap::new();
    for (path, mode) in targets(filter) {
        let depth = match mode {
            RecursiveMode::Recursive => usize::MAX,
            RecursiveMode::NonRecursive => 1,
        };
        for e in walkdir::WalkDir::new(&path)
            .max_depth(depth)
            .follow_links(false)
            .into_iter()
            .flatten()
        {
            let p = e.path();
            if !filter.matters(p) {
                continue;
            }
            if let Ok(m) = e.metadata() {
                let modified = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                // A folder changes when its entries do, which are compared themselves.
                let seen = if m.is_dir() {
                    (true, 0, 0)
                } else {
                    (false, m.len(), modified)
                };
                out.insert(p.to_path_buf(), seen);
            }
        }
    }
    out
}

/// The paths added, removed or changed between two snapshots, sorted.
fn differences(old: &HashMap<PathBuf, Seen>, new: &HashMap<PathBuf, Seen>) -> Vec<PathBuf> {
    let mut changed: Vec<PathBuf> = new
        .iter()
        .filter(|(p, s)| old.get(*p) != Some(s))
        .map(|(p, _)| p.clone())
        .chain(old.keys().filter(|p| !new.contains_key(*p)).cloned())
        .collect();
    changed.sort();
    changed
}

/// Scans every [`POLL_INTERVAL`] until dropped.
struct Poller {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Poller {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn polling<F: notify::EventHandler>(
    filter: &Filter,
    mut handler: F,
) -> notify::Result<Box<dyn Send>> {
    let stop = Arc::new(AtomicBool::new(false));
    let filter = filter.clone();
    let mut seen = snapshot(&filter);
    let thread = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                std::thread::sleep(POLL_INTERVAL);
                let now = snapshot(&filter);
                let changed = differences(&seen, &now);
                seen = now;
                if !changed.is_empty() {
                    let mut ev = notify::Event::new(EventKind::Any);
                    ev.paths = changed;
                    handler.handle_event(Ok(ev));
                }
            }
        })
    };
    Ok(Box::new(Poller {
        stop,
        thread: Some(thread),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_poller_sees_a_file_saved_twice_within_a_second() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/2026")).unwrap();
        let record = root.join("content/2026/a.yaml");
        std::fs::write(&record, "name: 甲").unwrap();
        let filter = Filter::new(root, &[]);
        let before = snapshot(&filter);
        // Within the same second (a size the file system records at once).
        std::fs::write(&record, "name: 乙丙").unwrap();
        std::fs::write(root.join("content/2026/b.yaml"), "").unwrap();
        std::fs::write(root.join("README.md"), "").unwrap();
        let after = snapshot(&filter);
        assert_eq!(
            differences(&before, &after),
            [
                root.join("content/2026/a.yaml"),
                root.join("content/2026/b.yaml")
            ]
        );
        std::fs::remove_file(&record).unwrap();
        assert_eq!(
            differences(&after, &snapshot(&filter)),
            [root.join("content/2026/a.yaml")]
        );
    }

    #[test]
    fn only_the_projects_inputs_matter() {
        let f = Filter::new(Path::new("/p"), &[PathBuf::from("/t/default")]);
        assert!(f.matters(Path::new("/p/content/2026/a/b.yaml")));
        assert!(f.matters(Path::new("/p/content")));
        assert!(f.matters(Path::new("/p/indicators.yaml")));
        assert!(f.matters(Path::new("/t/default/templates/branch.html")));
        assert!(!f.matters(Path::new("/p/content/2026/.b.yaml.swp")));
        assert!(!f.matters(Path::new("/p/site/index.html")));
        assert!(!f.matters(Path::new("/p/README.md")));
        assert!(!f.matters(Path::new("/p/.git/index")));
        assert!(!f.matters(Path::new("/t/default/.hidden")));
    }
}
