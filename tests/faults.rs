//! A build under faults: a full disk, a read-only output, two builds into the same
//! `--out` at once, a build that was killed. Each failure is one clear error and leaves the
//! previous site exactly as it was, with nothing left beside it.
//!
//! The full and read-only disks are small tmpfs mounts: they need root (CI runs as root).
//! Without root they are skipped with a message, or fail under CI; a read-only folder is
//! then tested with its permissions instead. The PDF parts need typst 0.15 (same rule).

mod common;
mod pdf_support;

use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|s| {
        s.lines()
            .find(|l| l.starts_with("Uid:"))
            .and_then(|l| l.split_whitespace().nth(2))
            == Some("0")
    })
}

/// Whether this test can mount a tmpfs; when not, says why (and fails under CI when not
/// root). Root inside a container may still be denied mounts (no CAP_SYS_ADMIN): that is
/// said and the test skipped, because no other way makes a disk full or read-only for root.
fn can_mount(what: &str) -> bool {
    if is_root() {
        let probe =
            std::env::temp_dir().join(format!("dangjian-mount-probe-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&probe);
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
            .arg(&probe)
            .output()
            .is_ok_and(|o| o.status.success());
        if mounted {
            let _ = Command::new("umount").arg(&probe).status();
        }
        let _ = std::fs::remove_dir(&probe);
        if !mounted {
            eprintln!("SKIPPED: {what}: root, but this machine denies mounting a tmpfs");
        }
        return mounted;
    }
    if std::env::var_os("CI").is_some() {
        panic!("{what}: needs root to mount a tmpfs, and CI runs as root");
    }
    eprintln!("SKIPPED: {what}: needs root to mount a small tmpfs (run as root, as CI does)");
    false
}

/// A tmpfs mounted at a new folder; unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Tmpfs {
        std::fs::create_dir_all(dir).unwrap();
        let o = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .output()
            .unwrap();
        assert!(o.status.success(), "mount: {}", stderr(&o));
        Tmpfs(dir.to_path_buf())
    }

    fn remount(&self, opts: &str) {
        let o = Command::new("mount")
            .args(["-o", &format!("remount,{opts}")])
            .arg(&self.0)
            .output()
            .unwrap();
        assert!(o.status.success(), "remount: {}", stderr(&o));
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Fills the disk of `path` with a file, leaving `leave` bytes free.
fn fill(path: &Path, leave: u64) {
    let mut f = File::create(path).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    let mut written = 0u64;
    loop {
        match f.write(&chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => written += n as u64,
        }
    }
    f.set_len(written.saturating_sub(leave)).unwrap();
}

/// The errors a build printed.
fn errors(o: &std::process::Output) -> Vec<String> {
    stderr(o)
        .lines()
        .filter(|l| l.contains(": error: "))
        .map(str::to_string)
        .collect()
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A theme folder overriding one template and one typst file, to change them at will.
fn theme(dir: &Path) -> PathBuf {
    let theme = dir.join("theme");
    let default = repo().join("themes/default");
    for f in ["templates/branch.html", "typst/common.typ"] {
        std::fs::create_dir_all(theme.join(f).parent().unwrap()).unwrap();
        std::fs::copy(default.join(f), theme.join(f)).unwrap();
    }
    theme
}

/// Builds `site` once, then once more after `fault` (which gets the theme folder) with
/// `extra` options: the second build must fail with exactly one error containing `want`
/// and naming `site`, and leave the site and its folder as they were.
fn fails_cleanly(
    disk: &Path,
    extra: &[&str],
    fault: impl FnOnce(&Path),
    want: &str,
) -> (String, std::process::Output) {
    let project = copy_fixture("golden");
    let work = tempfile::tempdir().unwrap();
    let theme = theme(work.path());
    let site = disk.join("site");
    let mut args = vec!["--year", "2026", "--theme", theme.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = build(project.path(), &site, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = snapshot(&site);
    fault(&theme);
    let around = names(disk);
    let o = build(project.path(), &site, &args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let errs = errors(&o);
    assert_eq!(errs.len(), 1, "one error: {errs:#?}");
    assert!(errs[0].contains(want), "{}", errs[0]);
    assert!(
        errs[0].starts_with(&site.display().to_string()),
        "names the output: {}",
        errs[0]
    );
    assert!(
        errs[0].contains("原有的输出未被改动"),
        "says the site is kept: {}",
        errs[0]
    );
    assert!(before == snapshot(&site), "the previous site changed");
    assert_eq!(names(disk), around, "no staging folder or lock left");
    (errs[0].clone(), o)
}

#[test]
fn a_full_disk_fails_with_one_error_and_leaves_the_previous_site() {
    if !can_mount("full disk") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let disk = dir.path().join("disk");
    let fs = Tmpfs::mount(&disk, "8m");
    // A changed template: every page must be written again, on a disk with no room.
    let (err, _) = fails_cleanly(
        &disk,
        &["--no-pdf"],
        |theme| {
            fill(&disk.join("filler"), 0);
            append(&theme.join("templates/branch.html"), b"{# changed #}\n");
        },
        "输出所在的磁盘已满",
    );
    eprintln!("{err}");
    drop(fs);
}

#[test]
fn a_disk_that_fills_up_while_typst_writes_fails_with_one_error() {
    if !can_mount("full disk under typst") || !pdf_support::require_typst() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let disk = dir.path().join("disk");
    let fs = Tmpfs::mount(&disk, "40m");
    // The pages are kept (links take no room); typst's work files fit in the room left,
    // its PDFs (about 150 KB each) do not: typst's own error becomes the one error, naming
    // the output folder itself.
    let (err, _) = fails_cleanly(
        &disk,
        &[],
        |theme| {
            fill(&disk.join("filler"), 600 * 1024);
            append(&theme.join("typst/common.typ"), b"\n// changed\n");
        },
        "输出所在的磁盘已满",
    );
    let site = disk.join("site").display().to_string();
    assert!(err.starts_with(&format!("{site}:1:1: error:")), "{err}");
    drop(fs);
}

#[test]
fn a_read_only_output_fails_with_one_error_and_leaves_the_previous_site() {
    let dir = tempfile::tempdir().unwrap();
    let disk = dir.path().join("disk");
    if is_root() {
        // Root may write anywhere the permissions say not to: a read-only file system.
        let fs = Tmpfs::mount(&disk, "8m");
        fails_cleanly(
            &disk,
            &["--no-pdf"],
            |_| fs.remount("ro"),
            "输出所在的磁盘是只读的",
        );
        fs.remount("rw");
    } else {
        use std::os::unix::fs::PermissionsExt;
        std::fs::create_dir_all(&disk).unwrap();
        let mode = |m| std::fs::set_permissions(&disk, std::fs::Permissions::from_mode(m));
        fails_cleanly(
            &disk,
            &["--no-pdf"],
            |_| mode(0o555).unwrap(),
            "没有写入输出位置的权限",
        );
        mode(0o755).unwrap();
    }
}

/// Starts `dangjian build` without waiting for it; its standard error goes to `log`.
fn start_build(root: &Path, out: &Path, extra: &[&str], log: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_dangjian"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .args(extra)
        .stdout(Stdio::null())
        .stderr(File::create(log).unwrap())
        .spawn()
        .unwrap()
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "timed out: {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

const WAITING: &str = "正由另一个 dangjian 生成进程写入";

/// The site is whole: every file its manifest lists is there with the recorded size, and
/// every file there is listed.
fn assert_whole(site: &Path) {
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join(".dangjian/manifest.json")).unwrap())
            .unwrap();
    let files = m["files"].as_object().unwrap();
    let on_disk: std::collections::BTreeSet<String> = snapshot(site)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| !p.starts_with(".dangjian"))
        .collect();
    assert_eq!(
        files
            .keys()
            .cloned()
            .collect::<std::collections::BTreeSet<_>>(),
        on_disk
    );
    for (rel, e) in files {
        let len = std::fs::metadata(site.join(rel)).unwrap().len();
        assert_eq!(Some(len), e["size"].as_u64(), "{rel}");
    }
}

#[test]
fn a_build_waits_while_another_holds_the_output_and_says_who_it_is() {
    let project = copy_fixture("golden");
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let reference = dir.path().join("reference");
    let o = build(project.path(), &reference, &["--no-pdf"]);
    assert!(o.status.success(), "{}", stderr(&o));

    // This test holds the lock, as a running build would.
    let lock = dangjian::build::lock_path(&site);
    let holder = File::create(&lock).unwrap();
    holder.lock().unwrap();
    writeln!(&holder, "pid={}\nstarted=1796526000", std::process::id()).unwrap();
    let logs = [dir.path().join("a.log"), dir.path().join("b.log")];
    let mut builds: Vec<Child> = logs
        .iter()
        .map(|log| start_build(project.path(), &site, &["--no-pdf"], log))
        .collect();
    let log = |i: usize| std::fs::read_to_string(&logs[i]).unwrap_or_default();
    wait_until("both builds say they wait", || {
        log(0).contains(WAITING) && log(1).contains(WAITING)
    });
    std::thread::sleep(Duration::from_millis(300));
    for (i, b) in builds.iter_mut().enumerate() {
        assert!(b.try_wait().unwrap().is_none(), "build {i} did not wait");
        assert!(
            log(i).contains(&format!(
                "{} {WAITING}（进程号 {}，开始于 2026-12-06 03:00:00 UTC",
                site.display(),
                std::process::id()
            )),
            "{}",
            log(i)
        );
        assert!(!site.exists(), "nothing written while waiting");
    }
    // Released as a build releases it: the file removed, then the lock.
    std::fs::remove_file(&lock).unwrap();
    drop(holder);
    for (i, b) in builds.iter_mut().enumerate() {
        assert!(b.wait().unwrap().success(), "{}", log(i));
    }
    // One after the other: the second also waits for the first (and says so, unless the
    // first was done before it looked again).
    let both = format!("{}{}", log(0), log(1));
    eprintln!("{both}");
    let strip = |v: Vec<(String, Vec<u8>)>| -> Vec<(String, Vec<u8>)> {
        v.into_iter()
            .filter(|(p, _)| !p.starts_with(".dangjian"))
            .collect()
    };
    assert!(strip(snapshot(&site)) == strip(snapshot(&reference)));
    assert_whole(&site);
    let mut left = names(dir.path());
    left.retain(|n| !n.ends_with(".log"));
    assert_eq!(left, ["reference", "site"], "no lock or staging left");
}

#[test]
fn two_builds_started_together_run_one_after_the_other() {
    // With PDFs a build takes seconds, so the two surely meet; without typst they may not.
    let pdf = pdf_support::require_typst();
    let project = copy_fixture("golden");
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let logs = [dir.path().join("a.log"), dir.path().join("b.log")];
    let extra: &[&str] = if pdf {
        &["--year", "2026"]
    } else {
        &["--year", "2026", "--no-pdf"]
    };
    let mut builds: Vec<Child> = logs
        .iter()
        .map(|log| start_build(project.path(), &site, extra, log))
        .collect();
    let pids: Vec<u32> = builds.iter().map(Child::id).collect();
    let log = |i: usize| std::fs::read_to_string(&logs[i]).unwrap();
    for (i, b) in builds.iter_mut().enumerate() {
        assert!(b.wait().unwrap().success(), "{}", log(i));
    }
    let waited: Vec<usize> = (0..2).filter(|&i| log(i).contains(WAITING)).collect();
    if pdf {
        assert_eq!(waited.len(), 1, "{}\n{}", log(0), log(1));
    }
    for i in waited {
        assert!(
            log(i).contains(&format!("进程号 {}", pids[1 - i])),
            "names the other build: {}",
            log(i)
        );
        // The second found the first one's output and kept all of it.
        if pdf {
            assert!(
                // 7 booklets, the annual report and the rulebook
                log(i).contains("PDF：0 份新生成，9 份未变沿用"),
                "{}",
                log(i)
            );
        }
    }
    assert_whole(&site);
    let mut left = names(dir.path());
    left.retain(|n| !n.ends_with(".log"));
    assert_eq!(left, ["site"], "no lock or staging left");
}

#[test]
fn what_a_killed_build_left_is_taken_over_and_cleared() {
    let project = copy_fixture("golden");
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    // A process that has ended: its lock file and staging folders are what a build killed
    // midway leaves behind.
    let mut gone = Command::new("true").spawn().unwrap();
    gone.wait().unwrap();
    let pid = gone.id();
    std::fs::write(
        dangjian::build::lock_path(&site),
        format!("pid={pid}\nstarted=1796526000\n"),
    )
    .unwrap();
    for stale in [
        format!(".site.staging-{pid}"),
        format!(".site.staging-{pid}.old"),
    ] {
        std::fs::create_dir_all(dir.path().join(&stale).join("2026")).unwrap();
        std::fs::write(dir.path().join(&stale).join("2026/index.html"), "half").unwrap();
    }
    let o = build(project.path(), &site, &["--no-pdf"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains(WAITING), "{}", stderr(&o));
    assert_eq!(names(dir.path()), ["site"]);
    assert_whole(&site);
}
