//! The pipeline benchmark: generates synthetic projects (examples/synth.rs) and times the
//! real binary on them, reporting wall time (median of runs), throughput and peak memory.
//!
//!     cargo bench --bench pipeline                      # 1,000 and 10,000 branches
//!     DANGJIAN_BENCH_SIZES=1000,10000,100000 cargo bench --bench pipeline
//!     DANGJIAN_BENCH_RUNS=5 DANGJIAN_BENCH_DIR=/tmp/bench cargo bench --bench pipeline
//!
//! For each size: `check`, `score --format json`, `score --format xlsx`, `template` (the
//! district's workbook), `import` of it (nothing changed, then every record written anew),
//! `build --no-pdf` (cold, then with nothing changed); for sizes up to 1,000 also `build` with PDFs (cold, one narrative changed,
//! nothing changed), and the share of the cold PDF build spent outside typst. Peak memory
//! and CPU seconds (user, kernel) come from `/usr/bin/time -v` when it is installed; each
//! run is also printed on standard error.
//!
//! Before each run: `sync`, and every file of the project is read once (as when it was just
//! generated or checked out; this machine pages out files not read for a minute). With
//! `DANGJIAN_BENCH_SETTLE=15`, also the page cache is dropped and the machine left alone for
//! 15 s first, so that every run starts from the same memory state (see `settle`).
//!
//! Beside each cold build, `examples/write_floor.rs` writes the same files and nothing
//! else: the floor that the machine's kernel and file system set under any build.
//!
//! A cold build writes into a folder no earlier run used, as on a fresh CI machine: right
//! after deleting a big site, ext4 spends seconds skipping the just-freed inodes when it
//! creates the next files, which would measure the file system, not dangjian.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn env_list(name: &str, default: &str) -> Vec<usize> {
    std::env::var(name)
        .unwrap_or_else(|_| default.to_string())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

struct Run {
    seconds: f64,
    peak_kb: Option<u64>,
    /// CPU seconds in user space and in the kernel (`/usr/bin/time -v`), when known.
    user_s: Option<f64>,
    sys_s: Option<f64>,
    /// Milliseconds spent running typst (`DANGJIAN_TIMINGS`), when it ran.
    typst_ms: Option<f64>,
}

/// Runs the binary once; wall time and peak resident memory.
fn run_once(args: &[&str]) -> Run {
    run_program(Path::new(env!("CARGO_BIN_EXE_dangjian")), args)
}

/// Runs `bin` once, as [`run_once`].
fn run_program(bin: &Path, args: &[&str]) -> Run {
    let name = bin
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let gnu_time = Path::new("/usr/bin/time").is_file();
    let mut cmd = if gnu_time {
        let mut c = Command::new("/usr/bin/time");
        c.arg("-v").arg(bin);
        c
    } else {
        Command::new(bin)
    };
    cmd.args(args).env("DANGJIAN_TIMINGS", "1");
    let start = Instant::now();
    let out = cmd.output().expect("run the binary");
    let seconds = start.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{name} {args:?} failed:\n{stderr}");
    let peak_kb = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|v| v.trim().parse().ok());
    // "计时 pdf typst   12345.6 ms  内存 …"
    let cpu = |name: &str| {
        stderr
            .lines()
            .find_map(|l| l.trim().strip_prefix(name))
            .and_then(|v| v.trim().parse().ok())
    };
    let user_s = cpu("User time (seconds):");
    let sys_s = cpu("System time (seconds):");
    let typst_ms = stderr.lines().find_map(|l| {
        l.strip_prefix("计时 pdf typst")?
            .split_once("ms")?
            .0
            .trim()
            .parse()
            .ok()
    });
    eprintln!(
        "  {:.3} s wall, {} user, {} sys, peak {}: {name} {}",
        seconds,
        user_s.map_or("?".into(), |v: f64| format!("{v:.2} s")),
        sys_s.map_or("?".into(), |v: f64| format!("{v:.2} s")),
        peak_kb.map_or("?".into(), |k: u64| format!("{} MB", k / 1024)),
        args.join(" ")
    );
    Run {
        seconds,
        peak_kb,
        user_s,
        sys_s,
        typst_ms,
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The medians of a step's runs (peak: the largest).
struct Summary {
    secs: f64,
    peak: Option<u64>,
    user: Option<f64>,
    sys: Option<f64>,
    /// The share of the wall time spent outside typst, when typst ran.
    outside: Option<f64>,
}

/// Runs `prepare` then the command `runs` times.
fn measure(runs: usize, args: &[&str], prepare: &dyn Fn()) -> Summary {
    measure_runs(
        runs,
        &|_| args.iter().map(|a| a.to_string()).collect(),
        prepare,
    )
}

/// Like `measure`, with the arguments of run k from `args(k)`.
fn measure_runs(runs: usize, args: &dyn Fn(usize) -> Vec<String>, prepare: &dyn Fn()) -> Summary {
    measure_program(
        Path::new(env!("CARGO_BIN_EXE_dangjian")),
        runs,
        args,
        prepare,
    )
}

/// Like `measure_runs`, of the program `bin`.
fn measure_program(
    bin: &Path,
    runs: usize,
    args: &dyn Fn(usize) -> Vec<String>,
    prepare: &dyn Fn(),
) -> Summary {
    let mut times = Vec::new();
    let mut outside = Vec::new();
    let (mut users, mut syss) = (Vec::new(), Vec::new());
    let mut peak = None;
    for k in 0..runs {
        prepare();
        // The previous run's files go to disk first: a site is hundreds of megabytes, and
        // its writeback would otherwise land in this run's time (2 cores).
        let _ = Command::new("sync").status();
        settle();
        // The project as just written or checked out: in memory, not on disk. (This
        // machine pages out whatever was not read for a minute, so a 100,000-branch
        // project read a few steps earlier is back on disk by the time it is built.)
        if let Some(root) = root_of(&args(k)) {
            warm(&root);
        }
        let a = args(k);
        let r = run_program(bin, &a.iter().map(String::as_str).collect::<Vec<_>>());
        times.push(r.seconds);
        if let Some(ms) = r.typst_ms {
            outside.push(1.0 - ms / 1000.0 / r.seconds);
        }
        users.extend(r.user_s);
        syss.extend(r.sys_s);
        peak = peak.max(r.peak_kb);
    }
    let med = |v: Vec<f64>| (!v.is_empty()).then(|| median(v));
    Summary {
        secs: median(times),
        peak,
        user: med(users),
        sys: med(syss),
        outside: med(outside),
    }
}

/// With `DANGJIAN_BENCH_SETTLE=<seconds>`: drops the page cache (root only: the sites the
/// earlier runs wrote) and waits that long for the kernel's background work, so that every
/// run starts from the same state, with the memory the earlier runs used free again. This
/// project's virtual machines hand memory that stays free back to their host, and touching
/// such memory again costs several times more; without settling, a run's time depends on
/// how much memory the runs before it used and for how long it has been free.
fn settle() {
    let Some(secs) = std::env::var("DANGJIAN_BENCH_SETTLE")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    else {
        return;
    };
    if let Err(e) = std::fs::write("/proc/sys/vm/drop_caches", "3") {
        eprintln!("  (page cache not dropped: {e})");
    }
    std::thread::sleep(std::time::Duration::from_secs(secs));
}

/// The `--root` of a command line.
fn root_of(args: &[String]) -> Option<PathBuf> {
    args.iter()
        .position(|a| a == "--root")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
}

/// Every file below `site` with its size, one `<relative path>\t<size>` line each, for
/// `examples/write_floor.rs`.
fn file_list(site: &Path) -> String {
    let mut list = String::new();
    for e in walkdir::WalkDir::new(site)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if e.file_type().is_file()
            && let (Ok(rel), Ok(m)) = (e.path().strip_prefix(site), e.metadata())
        {
            list.push_str(&format!("{}\t{}\n", rel.to_string_lossy(), m.len()));
        }
    }
    list
}

/// The floor writer, built next to this benchmark (`target/release/examples/`).
fn floor_writer() -> Option<PathBuf> {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--release", "--example", "write_floor"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .ok()?;
    let exe = std::env::current_exe().ok()?;
    // target/release/deps/pipeline-… → target/release/examples/write_floor
    let bin = exe.parent()?.parent()?.join("examples").join("write_floor");
    (status.success() && bin.is_file()).then_some(bin)
}

/// Reads every file below `dir` once.
fn warm(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            warm(&p);
        } else {
            let _ = std::fs::read(&p);
        }
    }
}

fn row(what: &str, branches: usize, s: &Summary) {
    let mb = s
        .peak
        .map_or("–".to_string(), |k| format!("{:.0}", k as f64 / 1024.0));
    let cpu = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.2}"));
    println!(
        "| {what} | {branches} | {:.3} | {:.0} | {} | {} | {mb} |",
        s.secs,
        branches as f64 / s.secs,
        cpu(s.user),
        cpu(s.sys)
    );
}

fn synth(branches: usize, out: &Path) {
    let status = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--release", "--example", "synth", "--"])
        .args(["--branches", &branches.to_string(), "--years", "1", "--out"])
        .arg(out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("run the generator");
    assert!(status.success());
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else to parse.
    let sizes = env_list("DANGJIAN_BENCH_SIZES", "1000,10000");
    let runs = env_list("DANGJIAN_BENCH_RUNS", "3")
        .first()
        .copied()
        .unwrap_or(3)
        .max(1);
    let base = std::env::var_os("DANGJIAN_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("dangjian-bench"));
    let have_typst = Command::new("typst").arg("--version").output().is_ok();
    let floor = floor_writer();
    println!("| step | branches | median s | branches/s | user s | sys s | peak MB |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for &n in &sizes {
        let project = base.join(format!("p{n}"));
        let site = base.join(format!("site{n}"));
        synth(n, &project);
        let root = project.to_str().expect("utf-8 path");
        let out = site.to_str().expect("utf-8 path");
        let nothing = || {};
        // Cold runs: a new folder each time, all removed only at the end.
        let cold_dir = |step: &str, k: usize| base.join(format!("cold{n}-{step}-{k}"));
        row(
            "check",
            n,
            &measure(runs, &["check", "--root", root], &nothing),
        );
        row(
            "score --format json",
            n,
            &measure(
                runs,
                &["score", "--root", root, "--format", "json"],
                &nothing,
            ),
        );
        excel_rows(runs, n, root, &base);
        let cold = |step: &'static str, extra: &'static [&'static str]| {
            move |k: usize| {
                let mut a: Vec<String> = ["build", "--root", root, "--out"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect();
                a.push(cold_dir(step, k).to_string_lossy().into_owned());
                a.extend(extra.iter().map(|s| s.to_string()));
                a
            }
        };
        row(
            "build --no-pdf, cold",
            n,
            &measure_runs(runs, &cold("html", &["--no-pdf"]), &nothing),
        );
        if let Some(bin) = &floor {
            // The same files as the first cold site, written by a program that does
            // nothing else: what this machine charges for the site's bytes and files.
            let list = base.join(format!("files{n}.tsv"));
            let _ = std::fs::write(&list, file_list(&cold_dir("html", 0)));
            let list = list.to_string_lossy().into_owned();
            let floor_args = |k: usize| {
                vec![
                    list.clone(),
                    cold_dir("floor", k).to_string_lossy().into_owned(),
                ]
            };
            row(
                "the same files by a minimal writer",
                n,
                &measure_program(bin, runs, &floor_args, &nothing),
            );
        }
        let html = ["build", "--root", root, "--out", out, "--no-pdf"];
        run_once(&html);
        row(
            "build --no-pdf, nothing changed",
            n,
            &measure(runs, &html, &nothing),
        );
        if n <= 1000 && have_typst {
            let pdf = ["build", "--root", root, "--out", out];
            let cold_pdf = measure_runs(runs, &cold("pdf", &[]), &nothing);
            row("build with PDFs, cold", n, &cold_pdf);
            if let Some(share) = cold_pdf.outside {
                println!(
                    "| share of the cold PDF build outside typst | {n} | {:.1} % | | | | |",
                    share * 100.0
                );
            }
            run_once(&pdf);
            let md = project.join("content/2026/s000/c0000/b000000.md");
            let original = std::fs::read_to_string(&md).unwrap_or_default();
            let k = std::cell::Cell::new(0);
            let touch = || {
                // A different sentence each run, so the booklet really changes.
                k.set(k.get() + 1);
                let _ = std::fs::write(&md, format!("{original}\n补充说明第 {} 条。\n", k.get()));
            };
            row(
                "build with PDFs, one narrative changed",
                n,
                &measure(runs, &pdf, &touch),
            );
            let _ = std::fs::write(&md, &original);
            run_once(&pdf);
            row(
                "build with PDFs, nothing changed",
                n,
                &measure(runs, &pdf, &nothing),
            );
        }
    }
    // Only now: for a minute or more after many files are deleted, ext4 skips their inodes
    // when it makes new files, which would slow the next size's builds down.
    for &n in &sizes {
        let _ = std::fs::remove_dir_all(base.join(format!("site{n}")));
        let _ = std::fs::remove_file(base.join(format!("files{n}.tsv")));
        for step in ["html", "pdf", "floor"] {
            for k in 0..runs {
                let _ = std::fs::remove_dir_all(base.join(format!("cold{n}-{step}-{k}")));
            }
        }
    }
}

/// Excel: the score workbook, the district's template, and its import — with nothing
/// changed (every record read, validated and compared) and with every record to write (the
/// year's records replaced by placeholders before each run, so that all are written anew).
fn excel_rows(runs: usize, n: usize, root: &str, base: &Path) {
    let scores = base.join(format!("scores{n}.xlsx"));
    let book = base.join(format!("template{n}.xlsx"));
    let (scores, book) = (scores.to_string_lossy(), book.to_string_lossy());
    let nothing = || {};
    row(
        "score --format xlsx",
        n,
        &measure(
            runs,
            &[
                "score", "--root", root, "--format", "xlsx", "--out", &scores,
            ],
            &nothing,
        ),
    );
    row(
        "template",
        n,
        &measure(
            runs,
            &["template", "--root", root, "--out", &book],
            &nothing,
        ),
    );
    row(
        "import, nothing changed",
        n,
        &measure(runs, &["import", "--root", root, &book], &nothing),
    );
    let records: Vec<PathBuf> = walk_records(Path::new(root));
    let placeholders = || {
        for r in &records {
            std::fs::write(r, "name: 占位\ncategory: x\n").expect("write a placeholder");
        }
        warm(Path::new(root));
    };
    row(
        "import, every record written",
        n,
        &measure(runs, &["import", "--root", root, &book], &placeholders),
    );
}

/// The branch records of the project's latest year.
fn walk_records(root: &Path) -> Vec<PathBuf> {
    let content = root.join("content");
    let mut years: Vec<PathBuf> = std::fs::read_dir(&content)
        .expect("content")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    years.sort();
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = years.last().cloned().into_iter().collect();
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("folder").flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if p.is_dir() {
                stack.push(p);
            } else if name.ends_with(".yaml") && name != "_org.yaml" && name != "indicators.yaml" {
                out.push(p);
            }
        }
    }
    out
}
