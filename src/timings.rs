//! Phase timings for profiling a slow build: `DANGJIAN_TIMINGS=1 dangjian build …` prints how
//! long each phase took to standard error. Off by default, so the output stays quiet.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("DANGJIAN_TIMINGS").is_some_and(|v| !v.is_empty()))
}

/// A running phase; prints its time when dropped.
pub struct Phase {
    name: &'static str,
    start: Instant,
}

impl Drop for Phase {
    fn drop(&mut self) {
        if enabled() {
            eprintln!(
                "计时 {:<24} {:>9.1} ms",
                self.name,
                self.start.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}

/// Starts timing a phase; bind it (`let _t = timings::phase("…")`) for the phase's scope.
pub fn phase(name: &'static str) -> Phase {
    Phase {
        name,
        start: Instant::now(),
    }
}
