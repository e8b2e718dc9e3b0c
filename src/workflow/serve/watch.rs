//! Watching the project for changes: the operating system's notifications (inotify,
//! FSEvents, ReadDirectoryChangesW through `notify`), or polling when they cannot be had
//! (too many watches, a network file system) or are asked for with `--poll` — mdBook made
//! polling its default after native watchers missed saves on some systems.
//!
//! What is watched: `content/` and the theme folders, recursively, and the project folder
//! itself without recursing (for `indicators.yaml` and a `content/` made or renamed).
//! Hidden files (editors' swap files) and everything else in the project folder are
//! ignored; the output is written elsewhere.

use std::path::{Path, PathBuf};
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
    _watcher: Box<dyn Watcher + Send>,
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

fn native<F: notify::EventHandler>(
    filter: &Filter,
    handler: F,
) -> notify::Result<Box<dyn Watcher + Send>> {
    let mut w = notify::recommended_watcher(handler)?;
    for (path, mode) in targets(filter) {
        w.watch(&path, mode)?;
    }
    Ok(Box::new(w))
}

fn polling<F: notify::EventHandler>(
    filter: &Filter,
    handler: F,
) -> notify::Result<Box<dyn Watcher + Send>> {
    let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
    let mut w = notify::PollWatcher::new(handler, config)?;
    for (path, mode) in targets(filter) {
        w.watch(&path, mode)?;
    }
    Ok(Box::new(w))
}

#[cfg(test)]
mod tests {
    use super::*;

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
