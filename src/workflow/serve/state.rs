//! What the rebuilding loop and the HTTP threads share: where the site is, the number of
//! the latest build and what it said, and a condition variable that wakes the event
//! streams when that changes.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crate::diagnostics::Diagnostic;

pub struct Shared {
    /// The last good build's output folder (absent before the first good build).
    pub site: PathBuf,
    pub stopping: AtomicBool,
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Default)]
struct State {
    /// Counts the builds, good or failed; the pages reload when it moves to a good one.
    version: u64,
    /// A good build has written the site.
    has_site: bool,
    /// The state as the event stream sends it (JSON).
    json: String,
}

/// What the page's script is told (JSON): `ok` false with the errors of the failed build.
#[derive(serde::Serialize)]
struct Said<'a> {
    version: u64,
    ok: bool,
    building: bool,
    errors: Vec<String>,
    warnings: usize,
    /// What the script shows on the overlay's first line.
    title: &'a str,
}

impl Shared {
    pub fn new(site: PathBuf) -> Shared {
        let s = Shared {
            site,
            stopping: AtomicBool::new(false),
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
        };
        s.set(0, false, true, &[], "正在生成网站……");
        s
    }

    fn set(&self, version: u64, ok: bool, building: bool, diags: &[Diagnostic], title: &str) {
        let errors: Vec<String> = diags
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.to_string())
            .collect();
        let said = Said {
            version,
            ok,
            building,
            warnings: diags.len() - errors.len(),
            errors,
            title,
        };
        let json = serde_json::to_string(&said).unwrap_or_else(|_| "{}".into());
        if let Ok(mut st) = self.state.lock() {
            st.version = version;
            st.has_site |= ok;
            st.json = json;
        }
        self.changed.notify_all();
    }

    /// A good build is in place: the pages reload.
    pub fn built(&self, warnings: &[Diagnostic]) {
        let v = self.version() + 1;
        self.set(v, true, false, warnings, "");
    }

    /// A build failed (its diagnostics): the pages keep the last good site and show them.
    pub fn failed(&self, diags: &[Diagnostic]) {
        let v = self.version() + 1;
        let errors = diags.iter().filter(|d| d.is_error()).count();
        let title = format!(
            "生成失败：{errors} 个错误。网站仍是上一次成功生成的版本；改正后页面会自动刷新。"
        );
        self.set(v, false, false, diags, &title);
    }

    pub fn version(&self) -> u64 {
        self.state.lock().map_or(0, |s| s.version)
    }

    pub fn has_site(&self) -> bool {
        self.state.lock().is_ok_and(|s| s.has_site)
    }

    /// Waits until the version differs from `seen` (at once when `seen` is `None`), at most
    /// `timeout`; gives the version and its JSON.
    pub fn wait_change(&self, seen: Option<u64>, timeout: Duration) -> (u64, String) {
        let Ok(guard) = self.state.lock() else {
            return (0, String::new());
        };
        let waited = self.changed.wait_timeout_while(guard, timeout, |s| {
            Some(s.version) == seen && !self.stopping.load(std::sync::atomic::Ordering::SeqCst)
        });
        match waited {
            Ok((s, _)) => (s.version, s.json.clone()),
            Err(_) => (0, String::new()),
        }
    }

    /// Wakes every event stream (to stop).
    pub fn wake_all(&self) {
        self.changed.notify_all();
    }
}
