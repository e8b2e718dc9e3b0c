//! One build at a time into an output folder: a lock file beside it, `.<name>.lock`
//! (`site` → `.site.lock`), held with the operating system's file lock (`flock` on Linux)
//! from before the previous output is read until the new one is swapped in.
//!
//! A second build into the same `--out` waits for the first to finish, after saying who
//! holds the lock: the holder writes its process id and the time its build started into the
//! file. It waits rather than fails because the usual second build is the same command run
//! again (by hand, or by a script or file watcher) on newer input: it should still happen,
//! and it starts from the first one's output, keeping its unchanged files.
//!
//! The operating system releases the lock when its process ends, however it ends: a lock
//! file left by a process that was killed, crashed or lost its machine is held by nobody,
//! and the next build takes it over at once. The holder removes the file before releasing
//! the lock; a build that was waiting on that file sees that the path no longer names it
//! and starts again with the new one, so two builds never hold two different files. The
//! lock is advisory: it keeps dangjian builds apart, not other programs.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The lock of one output folder, held until dropped.
pub struct OutputLock {
    path: PathBuf,
    file: File,
}

/// Who holds a lock, as the holder wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub pid: u32,
    /// Seconds since 1970 when the holder's build started.
    pub started: i64,
}

/// The lock file of the output folder `out`.
pub fn lock_path(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map_or("site".into(), |n| n.to_string_lossy().into_owned());
    out.with_file_name(format!(".{name}.lock"))
}

impl OutputLock {
    /// Takes the lock of `out`, waiting while another build holds it; `waiting` is told
    /// who that is (again whenever the holder changes). `started`: when this build started,
    /// written into the lock for others to read.
    pub fn acquire(
        out: &Path,
        started: SystemTime,
        waiting: &mut dyn FnMut(&str),
    ) -> io::Result<OutputLock> {
        let path = lock_path(out);
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        let mut told: Option<Option<Holder>> = None;
        loop {
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    let holder = read_holder(&file);
                    if told.as_ref() != Some(&holder) {
                        waiting(&waiting_message(out, holder.as_ref()));
                        told = Some(holder);
                    }
                    file.lock()?;
                }
                Err(TryLockError::Error(e)) => return Err(e),
            }
            if names(&path, &file) {
                // Only for the message of a build that waits: a full disk must not stop
                // the build here, where it can still fail cleanly later.
                let _ = write_holder(&file, started);
                return Ok(OutputLock { path, file });
            }
        }
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still held (the lock goes with the file handle, dropped after this).
        if names(&self.path, &self.file) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Whether `path` still names the open `file` (the holder removes it before unlocking).
#[cfg(unix)]
fn names(path: &Path, file: &File) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(path), file.metadata()) {
        (Ok(a), Ok(b)) => (a.dev(), a.ino()) == (b.dev(), b.ino()),
        _ => false,
    }
}

#[cfg(not(unix))]
fn names(path: &Path, _: &File) -> bool {
    path.exists()
}

fn write_holder(mut file: &File, started: SystemTime) -> io::Result<()> {
    let secs = started
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    file.set_len(0)?;
    let text = format!("pid={}\nstarted={secs}\n", std::process::id());
    file.write_all(text.as_bytes())
}

/// The holder written in the lock file, if it can be read. The holder writes it just
/// after taking the lock: an empty file is read again a few times.
fn read_holder(file: &File) -> Option<Holder> {
    for _ in 0..10 {
        let mut text = String::new();
        let mut f = file;
        use std::io::Seek as _;
        if f.seek(io::SeekFrom::Start(0)).is_ok()
            && f.read_to_string(&mut text).is_ok()
            && let Some(h) = parse_holder(&text)
        {
            return Some(h);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

fn parse_holder(text: &str) -> Option<Holder> {
    let field = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
            .map(str::trim)
    };
    Some(Holder {
        pid: field("pid")?.parse().ok()?,
        started: field("started")?.parse().ok()?,
    })
}

/// "site 正由另一个生成进程写入（进程号 1234，开始于 2026-12-06 02:39:05 UTC，已运行 12 秒），等待它结束……"
fn waiting_message(out: &Path, holder: Option<&Holder>) -> String {
    let who = holder.map_or_else(String::new, |h| {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        format!(
            "（进程号 {}，开始于 {}，已运行 {} 秒）",
            h.pid,
            utc(h.started),
            (now - h.started).max(0)
        )
    });
    format!(
        "{} 正由另一个 dangjian 生成进程写入{who}，等待它结束……",
        out.display()
    )
}

/// `2026-12-06 02:39:05 UTC`.
fn utc(secs: i64) -> String {
    let (y, m, d) = crate::view::format::civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_file_sits_beside_the_output() {
        assert_eq!(
            lock_path(Path::new("/srv/site")),
            Path::new("/srv/.site.lock")
        );
        assert_eq!(lock_path(Path::new("out")), Path::new(".out.lock"));
    }

    #[test]
    fn holders_are_read_back_and_shown() {
        let h = parse_holder("pid=4321\nstarted=1796526000\n").unwrap();
        assert_eq!(
            h,
            Holder {
                pid: 4321,
                started: 1_796_526_000
            }
        );
        assert!(parse_holder("").is_none());
        assert!(parse_holder("pid=x\nstarted=1\n").is_none());
        // 1796526000 s = 20,793 days (to 2026-12-06) and 10,800 s (3 hours).
        assert_eq!(utc(1_796_526_000), "2026-12-06 03:00:00 UTC");
        let m = waiting_message(Path::new("site"), Some(&h));
        assert!(
            m.starts_with("site 正由另一个 dangjian 生成进程写入（进程号 4321，开始于 2026-12-06 03:00:00 UTC，已运行 "),
            "{m}"
        );
        assert_eq!(
            waiting_message(Path::new("site"), None),
            "site 正由另一个 dangjian 生成进程写入，等待它结束……"
        );
    }

    #[test]
    fn a_lock_is_taken_over_when_its_holder_is_gone_and_removed_when_released() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        // A lock file left by a process that died: nobody holds it.
        std::fs::write(lock_path(&out), "pid=999999\nstarted=1\n").unwrap();
        let mut told = Vec::new();
        let lock = OutputLock::acquire(&out, SystemTime::now(), &mut |m| told.push(m.to_string()))
            .unwrap();
        let text = std::fs::read_to_string(lock_path(&out)).unwrap();
        assert!(
            text.starts_with(&format!("pid={}\n", std::process::id())),
            "{text}"
        );
        drop(lock);
        assert!(told.is_empty(), "{told:?}");
        assert!(!lock_path(&out).exists());
    }

    #[test]
    fn a_second_lock_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let first = OutputLock::acquire(&out, UNIX_EPOCH, &mut |_| {}).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let out2 = out.clone();
        let second = std::thread::spawn(move || {
            let mut told = Vec::new();
            let lock =
                OutputLock::acquire(&out2, SystemTime::now(), &mut |m| told.push(m.to_string()))
                    .unwrap();
            tx.send(()).unwrap();
            drop(lock);
            told
        });
        // Still waiting while the first is held.
        assert!(rx.recv_timeout(Duration::from_millis(300)).is_err());
        drop(first);
        rx.recv_timeout(Duration::from_secs(10)).unwrap();
        let told = second.join().unwrap();
        assert_eq!(told.len(), 1, "{told:?}");
        assert!(
            told[0].contains(&format!(
                "进程号 {}，开始于 1970-01-01 00:00:00 UTC",
                std::process::id()
            )),
            "{told:?}"
        );
        assert!(!lock_path(&out).exists());
    }
}
