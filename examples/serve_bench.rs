//! The live preview's benchmark: how long after a file is saved `dangjian serve` serves the
//! changed page, and whether its memory stays flat over many edits.
//!
//!     cargo build --release && cargo run --release --example serve_bench -- --root content-root
//!     cargo run --release --example serve_bench -- --root /tmp/district --edits 100 --bin target/release/dangjian
//!
//! It starts the real binary (`--bin`, default `target/release/dangjian`) on the project
//! (`--root`; it edits the files, so use a copy), waits for the first build, then makes
//! `--edits` edits (default 20), alternating: a sentence appended to one branch's narrative,
//! and that branch's `members` changed in its record (a re-score). After each save it asks
//! for the branch's page every 2 ms until the page shows the edit, and reads the server's
//! resident memory (`/proc/<pid>/status`). It prints, for each kind of edit, the median and
//! slowest time from save to served page, the rebuild time the server reported, the CPU
//! time the server spent on the rebuild (steadier than wall time on a shared machine; with
//! both cores free a rebuild takes about half of it), and the memory over the edits. The files are put back at the end.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn get(addr: &str, path: &str) -> String {
    let Ok(mut s) = TcpStream::connect(addr) else {
        return String::new();
    };
    let _ = write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    );
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn rss_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// CPU seconds (user + system) the process has used so far (`/proc/<pid>/stat`, in clock
/// ticks of 1/100 s): a measure that a busy machine does not inflate as it does wall time.
fn cpu_s(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(") ").map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split(' ').collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn wait_line(lines: &Receiver<String>, prefix: &str) -> String {
    loop {
        let l = lines
            .recv_timeout(Duration::from_secs(600))
            .expect("serve answers");
        if l.starts_with(prefix) || l.starts_with("生成失败") {
            return l;
        }
    }
}

/// "已重新生成（123 ms，…" → 123.
fn reported_ms(line: &str) -> f64 {
    line.split('（')
        .nth(1)
        .and_then(|s| s.split(" ms").next())
        .and_then(|s| s.parse().ok())
        .unwrap_or(f64::NAN)
}

fn summary(name: &str, mut served: Vec<f64>, mut reported: Vec<f64>, mut cpu: Vec<f64>) {
    if served.is_empty() {
        return;
    }
    served.sort_by(f64::total_cmp);
    reported.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    let median = |v: &[f64]| v[v.len() / 2];
    println!(
        "{name:<10} {:>3} edits  served after: median {:>7.1} ms, slowest {:>7.1} ms;  \
         rebuild reported: median {:>7.1} ms;  CPU per rebuild: median {:>6.0} ms",
        served.len(),
        median(&served),
        served[served.len() - 1],
        median(&reported),
        median(&cpu) * 1000.0,
    );
}

fn main() {
    let root = PathBuf::from(arg("--root").expect("--root PROJECT (a copy: it is edited)"));
    let edits: usize = arg("--edits").and_then(|v| v.parse().ok()).unwrap_or(20);
    let bin = arg("--bin").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/dangjian"),
        PathBuf::from,
    );
    let mut child = Command::new(&bin)
        .args(["serve", "--root", &root.to_string_lossy(), "--port", "0"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("run dangjian serve");
    let (tx, lines) = channel();
    let stderr = child.stderr.take().expect("stderr");
    std::thread::spawn(move || {
        for l in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(l);
        }
    });
    let url = wait_line(&lines, "本地预览：");
    let addr = url
        .trim_start_matches("本地预览：http://")
        .split('/')
        .next()
        .expect("an address")
        .to_string();
    let started = Instant::now();
    let first = wait_line(&lines, "已生成网站");
    println!(
        "first build: {first} ({:.1} s)",
        started.elapsed().as_secs_f64()
    );

    // The branch edited: the first record that has a narrative beside it.
    let record = walkdir::WalkDir::new(root.join("content"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .map(|e| e.path().to_path_buf())
        .find(|p| p.extension().is_some_and(|e| e == "md") && p.with_extension("yaml").is_file())
        .expect("a branch with a narrative")
        .with_extension("yaml");
    let narrative = record.with_extension("md");
    let id = record
        .file_stem()
        .expect("a name")
        .to_string_lossy()
        .into_owned();
    let year = record
        .strip_prefix(root.join("content"))
        .expect("under content")
        .iter()
        .next()
        .expect("a year")
        .to_string_lossy()
        .into_owned();
    let page = format!("/{year}/branch/{id}.html");
    let (md0, yaml0) = (
        std::fs::read_to_string(&narrative).expect("read"),
        std::fs::read_to_string(&record).expect("read"),
    );
    let members0 = yaml0
        .lines()
        .find_map(|l| l.strip_prefix("members: "))
        .and_then(|v| v.trim().parse::<u64>().ok())
        .expect("the record gives members");
    println!("editing {} and {}", narrative.display(), record.display());

    let (mut md_served, mut md_reported, mut rec_served, mut rec_reported) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut md_cpu, mut rec_cpu) = (Vec::new(), Vec::new());
    let mut memory = Vec::new();
    for k in 0..edits {
        let narrative_edit = k % 2 == 0;
        let marker;
        let cpu_before = cpu_s(child.id());
        let saved = Instant::now();
        if narrative_edit {
            marker = format!("基准测试第{k}次修改");
            std::fs::write(&narrative, format!("{md0}\n\n{marker}。\n")).expect("write");
        } else {
            let members = members0 + 1 + k as u64;
            marker = format!("党员 {members} 名");
            let text = yaml0.replacen(
                &format!("members: {members0}"),
                &format!("members: {members}"),
                1,
            );
            std::fs::write(&record, text).expect("write");
        }
        let mut served = None;
        while saved.elapsed() < Duration::from_secs(120) {
            if get(&addr, &page).contains(&marker) {
                served = Some(saved.elapsed());
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        let line = wait_line(&lines, "已重新生成");
        let cpu = cpu_s(child.id()) - cpu_before;
        let served = served.map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0);
        if narrative_edit {
            md_served.push(served);
            md_reported.push(reported_ms(&line));
            md_cpu.push(cpu);
        } else {
            rec_served.push(served);
            rec_reported.push(reported_ms(&line));
            rec_cpu.push(cpu);
        }
        memory.push(rss_mb(child.id()));
        // Settle before the next save, as a person typing would.
        std::thread::sleep(Duration::from_millis(100));
    }
    std::fs::write(&narrative, &md0).expect("restore");
    std::fs::write(&record, &yaml0).expect("restore");
    summary("narrative", md_served, md_reported, md_cpu);
    summary("record", rec_served, rec_reported, rec_cpu);
    if let (Some(a), Some(b)) = (memory.first(), memory.last()) {
        let peak = memory.iter().copied().fold(0.0, f64::max);
        println!(
            "server memory: {a:.0} MB after the first edit, {b:.0} MB after the last, peak {peak:.0} MB"
        );
        let marks: Vec<String> = (1..=10)
            .map(|k| memory.len() * k / 10)
            .filter(|&n| n > 0)
            .map(|n| format!("{n}: {:.0}", memory[n - 1]))
            .collect();
        println!("  after edit n (MB): {}", marks.join(", "));
    }
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let _ = child.wait();
}
