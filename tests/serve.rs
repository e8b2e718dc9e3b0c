//! `dangjian serve` end to end on the real binary: it answers the home page, serves the
//! changed page after an edit, shows a located error after a broken edit and the good page
//! again after the fix, refuses paths outside the site, and stops cleanly on SIGINT and
//! SIGTERM, removing its temporary folder.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// How long a test waits for a rebuild. Generous: the suite runs on a shared machine with
/// a debug build; `examples/serve_bench.rs` measures the real latency.
const DEADLINE: Duration = Duration::from_secs(60);

struct Serving {
    child: Child,
    lines: Receiver<String>,
    addr: String,
    temp: PathBuf,
    seen: Vec<String>,
}

impl Serving {
    fn start(root: &Path, extra: &[&str]) -> Serving {
        let root_s = root.to_string_lossy();
        let mut args = vec!["serve", "--root", &root_s, "--port", "0"];
        args.extend_from_slice(extra);
        let mut child = Command::new(env!("CARGO_BIN_EXE_dangjian"))
            .args(&args)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("serve starts");
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut s = Serving {
            child,
            lines,
            addr: String::new(),
            temp: PathBuf::new(),
            seen: Vec::new(),
        };
        let url = s.wait_line(|l| l.starts_with("本地预览："));
        let url = url
            .trim_start_matches("本地预览：http://")
            .split('/')
            .next()
            .unwrap()
            .to_string();
        s.addr = url;
        let temp = s.wait_line(|l| l.starts_with("网站生成在临时文件夹 "));
        s.temp = PathBuf::from(
            temp.trim_start_matches("网站生成在临时文件夹 ")
                .split('，')
                .next()
                .unwrap(),
        );
        s
    }

    /// The next line of stderr that `pred` accepts (panics after the deadline).
    fn wait_line(&mut self, pred: impl Fn(&str) -> bool) -> String {
        let until = Instant::now() + DEADLINE;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(l) => {
                    self.seen.push(l.clone());
                    if pred(&l) {
                        return l;
                    }
                }
                Err(_) => panic!("no such line; serve said:\n{}", self.seen.join("\n")),
            }
        }
    }

    fn get(&self, path: &str) -> (u16, String) {
        get(&self.addr, path)
    }

    /// Polls `path` until its body satisfies `pred`; the time it took.
    fn wait_page(&self, path: &str, pred: impl Fn(u16, &str) -> bool) -> Duration {
        let start = Instant::now();
        while start.elapsed() < DEADLINE {
            let (status, body) = self.get(path);
            if pred(status, &body) {
                return start.elapsed();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "{path} never changed; serve said:\n{}",
            self.seen.join("\n")
        );
    }

    /// Sends `signal` and waits for the process to end; its exit status and last lines.
    fn stop(mut self, signal: &str) -> (Option<i32>, String) {
        let pid = self.child.id().to_string();
        assert!(
            Command::new("kill")
                .args([signal, &pid])
                .status()
                .unwrap()
                .success()
        );
        let until = Instant::now() + DEADLINE;
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            assert!(Instant::now() < until, "serve did not stop on {signal}");
            std::thread::sleep(Duration::from_millis(20));
        };
        let rest: Vec<String> = self.lines.try_iter().collect();
        (status.code(), rest.join("\n"))
    }
}

impl Drop for Serving {
    /// A test that failed half-way: asked to stop first, so that the server removes its
    /// temporary folder, and killed only if it does not.
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = Command::new("kill")
                .args(["-TERM", &self.child.id().to_string()])
                .status();
            let until = Instant::now() + Duration::from_secs(10);
            while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < until {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One raw GET (the path is sent exactly as given: an HTTP client would tidy `..` away).
fn get(addr: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(DEADLINE)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut bytes = Vec::new();
    s.read_to_end(&mut bytes).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (status, body)
}

/// The first event of the event stream (the current state), as JSON.
fn state(addr: &str) -> serde_json::Value {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(DEADLINE)).unwrap();
    write!(s, "GET /__dangjian/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut r = BufReader::new(s);
    let mut line = String::new();
    loop {
        line.clear();
        assert!(r.read_line(&mut line).unwrap() > 0, "the stream ended");
        if let Some(data) = line.strip_prefix("data: ") {
            return serde_json::from_str(data).unwrap();
        }
    }
}

/// Every file of `a` is in `b` with the same bytes, and `b` has no other (the build's
/// bookkeeping in `.dangjian/` aside).
fn assert_same_files(a: &Path, b: &Path) {
    let list = |dir: &Path| {
        let mut v: Vec<PathBuf> = walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
            .filter(|p| !p.starts_with(".dangjian"))
            .collect();
        v.sort();
        v
    };
    let (la, lb) = (list(a), list(b));
    assert_eq!(la, lb);
    for rel in la {
        assert!(
            std::fs::read(a.join(&rel)).unwrap() == std::fs::read(b.join(&rel)).unwrap(),
            "{} differs",
            rel.display()
        );
    }
}

#[test]
fn serves_rebuilds_shows_errors_and_recovers() {
    let project = common::copy_example();
    let root = project.path();
    let mut s = Serving::start(root, &[]);
    s.wait_line(|l| l.starts_with("已生成网站"));

    // The home page, with the reload script put in while serving.
    let (status, home) = s.get("/");
    assert_eq!(status, 200);
    assert!(home.contains("中共临江区委"));
    assert!(home.contains("/__dangjian/livereload.js"));
    let (status, script) = s.get("/__dangjian/livereload.js");
    assert_eq!(status, 200);
    assert!(script.contains("EventSource"));
    // ... never into the files of the build.
    let on_disk = std::fs::read_to_string(s.temp.join("site/index.html")).unwrap();
    assert!(!on_disk.contains("__dangjian"));
    assert_eq!(state(&s.addr)["ok"], true);

    // A narrative is saved: its page shows it.
    let page = "/2026/branch/chunhui.html";
    let narrative = root.join("content/2026/fengxiang/chunhui.md");
    let mut text = std::fs::read_to_string(&narrative).unwrap();
    text.push_str("\n\n预览测试：刚刚写下的一句话。\n");
    std::fs::write(&narrative, &text).unwrap();
    let took = s.wait_page(page, |st, b| st == 200 && b.contains("刚刚写下的一句话"));
    eprintln!("narrative edit served after {took:?}");
    let line = s.wait_line(|l| l.starts_with("已重新生成"));
    assert!(line.contains("content/2026/fengxiang/chunhui.md"), "{line}");

    // A broken record: the last good page is still served, the error is on the stream with
    // its file and line, and the rebuild's errors are printed.
    let record = root.join("content/2026/fengxiang/chunhui.yaml");
    let good = std::fs::read_to_string(&record).unwrap();
    std::fs::write(&record, good.replacen("members: ", "members: -", 1)).unwrap();
    let line = s.wait_line(|l| l.starts_with("生成失败"));
    assert!(line.contains("1 个错误"), "{line}");
    let st = state(&s.addr);
    assert_eq!(st["ok"], false);
    let error = st["errors"][0].as_str().unwrap();
    assert!(
        error.starts_with("content/2026/fengxiang/chunhui.yaml:") && error.contains("error:"),
        "{error}"
    );
    let (status, body) = s.get(page);
    assert_eq!(status, 200);
    assert!(body.contains("刚刚写下的一句话"));

    // Fixed: good again.
    std::fs::write(&record, &good).unwrap();
    s.wait_line(|l| l.starts_with("已重新生成"));
    assert_eq!(state(&s.addr)["ok"], true);
    assert_eq!(s.get(page).0, 200);

    // A new branch appears as a page, and goes again when its record is removed.
    let new = root.join("content/2026/fengxiang/xinjian.yaml");
    std::fs::write(&new, "name: 新建党支部\ncategory: community\nmembers: 5\n").unwrap();
    s.wait_page("/2026/branch/xinjian.html", |st, b| {
        st == 200 && b.contains("新建党支部")
    });
    std::fs::remove_file(&new).unwrap();
    s.wait_page("/2026/branch/xinjian.html", |st, _| st == 404);

    // After all these partial and full rebuilds, the served site is what a build of the
    // project gives, file for file.
    std::fs::write(&narrative, text.replace("刚刚写下的一句话", "改过的一句话")).unwrap();
    s.wait_page(page, |st, b| st == 200 && b.contains("改过的一句话"));
    let fresh = tempfile::tempdir().unwrap();
    let out = fresh.path().join("site");
    let o = common::run(&[
        "build",
        "--root",
        &root.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
        "--no-pdf",
    ]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert_same_files(&out, &s.temp.join("site"));

    let temp = s.temp.clone();
    assert!(temp.is_dir());
    let (code, said) = s.stop("-INT");
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("已停止预览"), "{said}");
    assert!(
        !temp.exists(),
        "the temporary folder is left: {}",
        temp.display()
    );
}

#[test]
fn refuses_paths_outside_the_site_and_stops_on_sigterm() {
    let project = common::copy_example();
    let root = project.path();
    std::fs::write(root.join("secret.txt"), "secret").unwrap();
    let mut s = Serving::start(root, &[]);
    s.wait_line(|l| l.starts_with("已生成网站"));
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/2026/../../secret.txt",
        "/..%2f..%2fetc%2fpasswd",
        "/static/..%5c..%5csecret.txt",
    ] {
        let (status, body) = s.get(path);
        assert_eq!(status, 403, "{path}: {body}");
        assert!(
            !body.contains("secret") && !body.contains("root:"),
            "{path}"
        );
    }
    // An absolute URL is no path of the site either.
    assert_ne!(s.get("http://example.com/etc/passwd").0, 200);
    assert_eq!(s.get("/no-such-page.html").0, 404);
    assert_eq!(s.get("/2026/").0, 200);

    let temp = s.temp.clone();
    let (code, said) = s.stop("-TERM");
    assert_eq!(code, Some(0), "{said}");
    assert!(!temp.exists());
}

#[test]
fn a_project_that_never_built_shows_its_errors_until_it_is_fixed() {
    let project = common::copy_example();
    let root = project.path();
    let record = root.join("content/2026/fengxiang/chunhui.yaml");
    let good = std::fs::read_to_string(&record).unwrap();
    std::fs::write(&record, good.replacen("category: ", "category: x", 1)).unwrap();
    let mut s = Serving::start(root, &["--poll"]);
    s.wait_line(|l| l.starts_with("生成失败"));
    let (status, body) = s.get("/");
    assert_eq!(status, 503);
    assert!(body.contains("网站还没有生成") && body.contains("livereload.js"));
    let st = state(&s.addr);
    assert!(st["errors"][0].as_str().unwrap().contains("chunhui.yaml:"));
    std::fs::write(&record, &good).unwrap();
    s.wait_page("/", |st, b| st == 200 && b.contains("中共临江区委"));
    let temp = s.temp.clone();
    let (code, said) = s.stop("-TERM");
    assert_eq!(code, Some(0), "{said}");
    assert!(!temp.exists());
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let project = common::copy_example();
    let o = common::run(&[
        "serve",
        "--root",
        &project.path().to_string_lossy(),
        "--port",
        &port,
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = common::stderr(&o);
    assert!(err.contains("无法在") && err.contains("--port"), "{err}");
}
