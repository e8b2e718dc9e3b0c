//! Phase timings for profiling a slow build: `DANGJIAN_TIMINGS=1 dangjian build …` prints how
//! long each phase took to standard error, with the process's resident memory at its end and
//! the peak so far and the process's CPU time in it (user and kernel, all threads: above the
//! wall time when the phase ran on several cores; Linux, from /proc, in 10 ms ticks). Off by
//! default, so the output stays quiet.

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
    cpu: Option<u64>,
}

impl Drop for Phase {
    fn drop(&mut self) {
        if enabled() {
            eprintln!(
                "计时 {:<24} {:>9.1} ms{}{}",
                self.name,
                self.start.elapsed().as_secs_f64() * 1000.0,
                self.cpu
                    .zip(cpu_ms())
                    .map_or_else(String::new, |(a, b)| format!("  CPU {:>6} ms", b - a)),
                memory().map_or_else(String::new, |(now, peak)| format!(
                    "  内存 {now} MB（峰值 {peak} MB）"
                ))
            );
        }
    }
}

/// Resident memory now and at its peak, in MB (`VmRSS`, `VmHWM` of /proc/self/status).
fn memory() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kb: u64 = line[name.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()?;
        Some(kb / 1024)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// The process's user and kernel CPU time so far, in ms (fields 14 and 15 of
/// /proc/self/stat, in ticks of 10 ms on Linux; the name before them is in parentheses and
/// may hold spaces).
fn cpu_ms() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = &stat[stat.rfind(')')? + 1..];
    let mut fields = after.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let kernel: u64 = fields.next()?.parse().ok()?;
    Some((user + kernel) * 10)
}

/// Starts timing a phase; bind it (`let _t = timings::phase("…")`) for the phase's scope.
pub fn phase(name: &'static str) -> Phase {
    Phase {
        name,
        start: Instant::now(),
        cpu: if enabled() { cpu_ms() } else { None },
    }
}
