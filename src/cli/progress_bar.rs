//! The progress display of a long build on a terminal: one line on standard error with the
//! stage (读取文件, 计分, 生成网页, 生成 PDF), a bar, the count and the time left (indicatif).
//! Drawn only when standard error is a terminal, not asked to be quiet, and not printing
//! phase timings; it appears after half a second (a quick build shows nothing) and is
//! cleared before any diagnostic is printed.

use std::io::IsTerminal as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::progress::{self, Listener, Stage};

/// How long a build runs before the bar appears.
const DELAY: Duration = Duration::from_millis(500);

struct Bar {
    bar: ProgressBar,
    started: Instant,
    /// The stage the bar shows, with its done and expected counts.
    shown: Mutex<Option<Stage>>,
}

impl Listener for Bar {
    fn expect(&self, stage: Stage, n: u64) {
        let Ok(mut shown) = self.shown.lock() else {
            return;
        };
        if *shown == Some(stage) {
            self.bar.inc_length(n);
        } else {
            *shown = Some(stage);
            self.bar.set_prefix(stage.label());
            self.bar.set_length(n);
            self.bar.set_position(0);
            self.bar.reset_eta();
        }
    }

    fn advance(&self, stage: Stage, n: u64) {
        if self.shown.lock().is_ok_and(|s| *s == Some(stage)) {
            self.bar.inc(n);
        }
        if self.bar.is_hidden() && self.started.elapsed() >= DELAY {
            self.bar
                .set_draw_target(ProgressDrawTarget::stderr_with_hz(8));
        }
    }
}

/// Shows progress until dropped (then the line is cleared).
pub struct Shown {
    bar: Option<Arc<Bar>>,
    _installed: Option<progress::Installed>,
}

impl Drop for Shown {
    fn drop(&mut self) {
        if let Some(b) = &self.bar {
            b.bar.finish_and_clear();
        }
    }
}

impl Shown {
    /// Prints a line on standard error without mixing it into the bar: the bar is cleared,
    /// the line printed, and the bar drawn again below it.
    pub fn say(&self, line: &str) {
        match &self.bar {
            Some(b) => b.bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }
}

/// Starts showing progress, unless `quiet`, standard error is not a terminal, or phase
/// timings are printed.
pub fn show(quiet: bool) -> Shown {
    let timings = std::env::var_os("DANGJIAN_TIMINGS").is_some_and(|v| !v.is_empty());
    if quiet || timings || !std::io::stderr().is_terminal() {
        return Shown {
            bar: None,
            _installed: None,
        };
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    let style = ProgressStyle::with_template(
        "{prefix:>8} [{bar:30}] {human_pos}/{human_len}  已用 {elapsed}，剩余约 {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ");
    bar.set_style(style);
    let bar = Arc::new(Bar {
        bar,
        started: Instant::now(),
        shown: Mutex::new(None),
    });
    let installed = progress::install(bar.clone());
    Shown {
        bar: Some(bar),
        _installed: Some(installed),
    }
}
