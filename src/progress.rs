//! Progress of long work — files read, branches scored, pages written, PDFs compiled —
//! reported by the library to whoever listens. The library never draws: the binary installs
//! a [`Listener`] (a bar on a terminal) for as long as a command runs, and every layer
//! reports through the free functions below, which cost one atomic load when nobody
//! listens. A leaf, like `timings`: a listener passed down as an argument would have to
//! cross every layer between the command line and the page writer.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

/// What is being counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    /// Records, narratives and organisation files read.
    Read,
    /// Branches scored.
    Score,
    /// Pages of the site written or kept from the previous build.
    Pages,
    /// PDFs compiled by typst (those kept from the previous build are not counted).
    Pdfs,
}

impl Stage {
    /// What the stage is called on the screen.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Read => "读取文件",
            Stage::Score => "计分",
            Stage::Pages => "生成网页",
            Stage::Pdfs => "生成 PDF",
        }
    }
}

/// Someone who wants to know how far the work has come. Called from many threads at once.
pub trait Listener: Send + Sync {
    /// `n` more units of `stage` are to be done (called again as more work is found, e.g.
    /// once per year).
    fn expect(&self, stage: Stage, n: u64);
    /// `n` units of `stage` are done.
    fn advance(&self, stage: Stage, n: u64);
}

static ACTIVE: AtomicBool = AtomicBool::new(false);
static LISTENER: RwLock<Option<Arc<dyn Listener>>> = RwLock::new(None);

/// Listens until the returned guard is dropped (the previous listener, if any, is put back
/// then).
#[must_use = "the listener is removed when the guard is dropped"]
pub fn install(listener: Arc<dyn Listener>) -> Installed {
    let previous = LISTENER
        .write()
        .map(|mut l| l.replace(listener))
        .unwrap_or_default();
    ACTIVE.store(true, Ordering::Release);
    Installed { previous }
}

/// Removes the listener it installed when dropped.
pub struct Installed {
    previous: Option<Arc<dyn Listener>>,
}

impl Drop for Installed {
    fn drop(&mut self) {
        let previous = self.previous.take();
        let active = previous.is_some();
        if let Ok(mut l) = LISTENER.write() {
            *l = previous;
        }
        ACTIVE.store(active, Ordering::Release);
    }
}

fn with(f: impl FnOnce(&dyn Listener)) {
    if !ACTIVE.load(Ordering::Acquire) {
        return;
    }
    if let Ok(l) = LISTENER.read()
        && let Some(l) = l.as_ref()
    {
        f(l.as_ref());
    }
}

/// `n` more units of `stage` are to be done.
pub fn expect(stage: Stage, n: usize) {
    with(|l| l.expect(stage, n as u64));
}

/// `n` units of `stage` are done.
pub fn advance(stage: Stage, n: usize) {
    with(|l| l.advance(stage, n as u64));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Log(Mutex<Vec<(Stage, &'static str, u64)>>);

    impl Listener for Log {
        fn expect(&self, stage: Stage, n: u64) {
            self.0.lock().unwrap().push((stage, "expect", n));
        }
        fn advance(&self, stage: Stage, n: u64) {
            self.0.lock().unwrap().push((stage, "advance", n));
        }
    }

    #[test]
    fn reports_reach_the_listener_only_while_it_is_installed() {
        // Other tests may report at the same time: odd counts tell this test's reports apart.
        let log = Arc::new(Log::default());
        advance(Stage::Score, 1111);
        {
            let _g = install(log.clone());
            expect(Stage::Pages, 7777);
            advance(Stage::Pages, 4444);
        }
        advance(Stage::Pages, 3333);
        let seen = log.0.lock().unwrap();
        assert!(seen.contains(&(Stage::Pages, "expect", 7777)));
        assert!(seen.contains(&(Stage::Pages, "advance", 4444)));
        assert!(!seen.iter().any(|e| e.2 == 1111 || e.2 == 3333));
    }
}
