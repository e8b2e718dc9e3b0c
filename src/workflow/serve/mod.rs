//! `dangjian serve`: a local preview. The site is built into a temporary folder through the
//! same staging, swap and reuse of unchanged files as `dangjian build`, served over HTTP on
//! 127.0.0.1 (another address only when `--bind` names it), and built again whenever
//! `content/`, `indicators.yaml` or the theme change; the open pages then reload. A failed
//! build leaves the last good site in place and its errors are shown over the pages.
//!
//! Between rebuilds the parsed files stay in memory (`load::Cache`): a rebuild reads only
//! the files that changed, scores again, and writes only the pages whose fingerprint
//! changed. PDFs are off unless asked for (`--pdf`): a branch's booklet takes longer to
//! typeset than the whole site takes to rebuild.

mod http;
mod state;
pub mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, Sender};
use std::time::{Duration, Instant};

use crate::build::{self, BuildOptions};
use crate::diagnostics::{Diagnostic, Pos};
use crate::load::Cache;
use crate::pipeline::Scored;
use crate::render::html::Only;
use crate::render::theme::Theme;
pub use http::{PREFIX, Resolved, inject, resolve};
use state::Shared;
use watch::Signal;

/// After a change, how long the files must stay quiet before the rebuild starts (an editor
/// may write a file in several steps, a `git checkout` many files at once).
pub const QUIET: Duration = Duration::from_millis(30);
/// A stream of changes never delays a rebuild longer than this.
pub const MAX_WAIT: Duration = Duration::from_millis(500);
/// Threads answering requests (an event stream gets a thread of its own).
const WORKERS: usize = 4;

pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0: any free port.
    pub port: u16,
    pub pdf: bool,
    pub theme: Option<PathBuf>,
    pub strict: bool,
    /// Poll the files instead of asking the operating system for notifications.
    pub poll: bool,
}

/// What the preview tells the command line as it goes.
pub enum Event<'a> {
    /// A build finished: the first one or a rebuild after `changed` files changed.
    Built {
        first: bool,
        took: Duration,
        changed: &'a [String],
        /// Files the cache reused and read again.
        reused: u64,
        read: u64,
        warnings: &'a [Diagnostic],
    },
    /// A build failed; the last good site is still served.
    Failed {
        first: bool,
        took: Duration,
        diagnostics: &'a [Diagnostic],
    },
}

/// A preview being served.
pub struct Server {
    opts: ServeOptions,
    shared: Arc<Shared>,
    http: Arc<tiny_http::Server>,
    addr: SocketAddr,
    workers: Vec<std::thread::JoinHandle<()>>,
    tx: Sender<Signal>,
    rx: Receiver<Signal>,
    watching: watch::Watching,
    cache: Cache,
    /// The project and scores of the last good build.
    last: Option<Scored>,
    /// Holds the output; removed when the server is dropped.
    temp: tempfile::TempDir,
}

/// Stops a running [`Server`] from another thread (a signal handler).
#[derive(Clone)]
pub struct Stopper(Sender<Signal>);

impl Stopper {
    pub fn stop(&self) {
        let _ = self.0.send(Signal::Stop);
    }
}

impl Server {
    /// Binds the address and starts watching; nothing is built yet ([`Server::run`] does).
    pub fn start(opts: ServeOptions) -> Result<Server, Vec<Diagnostic>> {
        let err = |what: &str, msg: String| vec![Diagnostic::error(what, Pos::START, msg)];
        let root = std::path::absolute(&opts.root).unwrap_or_else(|_| opts.root.clone());
        if !root.is_dir() {
            return Err(err(
                &opts.root.display().to_string(),
                "项目根目录不存在或不是文件夹".into(),
            ));
        }
        let theme = Theme::new(&root, opts.theme.as_deref()).map_err(|d| vec![d])?;
        let temp = tempfile::Builder::new()
            .prefix("dangjian-serve-")
            .tempdir()
            .map_err(|e| err("serve", format!("无法创建临时文件夹：{e}")))?;
        let shared = Arc::new(Shared::new(temp.path().join("site")));
        let addr = SocketAddr::new(opts.bind, opts.port);
        let http = tiny_http::Server::http(addr).map_err(|e| {
            let mut d = Diagnostic::error(
                &addr.to_string(),
                Pos::START,
                format!("无法在 {addr} 上提供预览：{e}"),
            );
            if opts.port != 0 {
                d = d.with_hint("端口可能已被占用：用 --port 换一个端口，或 --port 0 自动选择");
            }
            vec![d]
        })?;
        let addr = http
            .server_addr()
            .to_ip()
            .ok_or_else(|| err("serve", "无法取得监听地址".into()))?;
        let http = Arc::new(http);
        let workers = (0..WORKERS)
            .map(|_| {
                let (http, shared) = (http.clone(), shared.clone());
                std::thread::spawn(move || {
                    while let Ok(req) = http.recv() {
                        if shared.stopping.load(Ordering::SeqCst) {
                            break;
                        }
                        http::handle(&shared, req);
                    }
                })
            })
            .collect();
        let (tx, rx) = std::sync::mpsc::channel();
        let filter = watch::Filter::new(&root, &theme.layers());
        let watching = watch::start(filter, opts.poll, tx.clone())
            .map_err(|e| err("content", format!("无法监视文件的变化：{e}")))?;
        Ok(Server {
            opts: ServeOptions { root, ..opts },
            shared,
            http,
            addr,
            workers,
            tx,
            rx,
            watching,
            cache: Cache::new(),
            last: None,
            temp,
        })
    }

    /// The address the preview answers on.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Where the site is written (a temporary folder, removed when serving stops).
    pub fn site_dir(&self) -> &std::path::Path {
        &self.shared.site
    }

    pub fn temp_dir(&self) -> &std::path::Path {
        self.temp.path()
    }

    /// Whether the operating system's notifications are used (else polling), and why not.
    pub fn watching(&self) -> (bool, Option<&str>) {
        (self.watching.native, self.watching.fallback.as_deref())
    }

    pub fn stopper(&self) -> Stopper {
        Stopper(self.tx.clone())
    }

    fn build_options(&self) -> BuildOptions {
        BuildOptions {
            root: self.opts.root.clone(),
            out: self.shared.site.clone(),
            year: None,
            no_pdf: !self.opts.pdf,
            theme: self.opts.theme.clone(),
            strict: self.opts.strict,
        }
    }

    /// Builds once, then again after every change, until stopped; `on` hears each build.
    /// Returns when a [`Stopper`] stops it; the temporary folder is removed on drop.
    pub fn run(&mut self, on: &mut dyn FnMut(Event)) {
        self.rebuild(true, &[], on);
        while let Ok(first) = self.rx.recv() {
            let mut changed: Vec<PathBuf> = Vec::new();
            let mut rescan = false;
            match first {
                Signal::Stop => break,
                Signal::Changed(p) => changed.extend(p),
                Signal::Rescan => rescan = true,
            }
            // Let a burst of changes settle.
            let started = Instant::now();
            let mut stop = false;
            while started.elapsed() < MAX_WAIT {
                match self.rx.recv_timeout(QUIET) {
                    Ok(Signal::Changed(p)) => changed.extend(p),
                    Ok(Signal::Rescan) => rescan = true,
                    Ok(Signal::Stop) => {
                        stop = true;
                        break;
                    }
                    Err(_) => break,
                }
            }
            if stop {
                break;
            }
            let rels = self.relative(&changed);
            if rescan {
                self.cache.clear();
                self.last = None;
            } else {
                self.cache.forget(rels.iter().map(String::as_str));
            }
            self.rebuild(false, &rels, on);
        }
        self.shutdown();
    }

    /// Changed paths relative to the root (with `/`), sorted, each once.
    fn relative(&self, paths: &[PathBuf]) -> Vec<String> {
        let mut rels: Vec<String> = paths
            .iter()
            .map(|p| {
                p.strip_prefix(&self.opts.root)
                    .map_or_else(|_| p.display().to_string(), crate::links::to_slash)
            })
            .collect();
        rels.sort();
        rels.dedup();
        rels
    }

    fn rebuild(&mut self, first: bool, changed: &[String], on: &mut dyn FnMut(Event)) {
        let started = Instant::now();
        let narratives_only =
            !changed.is_empty() && changed.iter().all(|r| narrative_path(r)) && !self.opts.pdf;
        let fast = match self.last.take() {
            Some(last) if narratives_only => self.narratives(last, changed),
            _ => None,
        };
        let (result, mut diags) = match fast {
            Some(done) => done,
            None => {
                let (scored, diags) = crate::pipeline::validate_cached(
                    &self.opts.root,
                    self.opts.strict,
                    &self.cache,
                );
                let result = match scored {
                    None => Err(Vec::new()),
                    Some(scored) => {
                        let r = build::build_scored(&self.build_options(), &scored, &mut unshared);
                        if r.is_ok() {
                            self.last = Some(scored);
                        }
                        r
                    }
                };
                (result, diags)
            }
        };
        let counts = self.cache.counts();
        match result {
            Ok(built) => {
                diags.extend(built.warnings);
                self.shared.built(&diags);
                on(Event::Built {
                    first,
                    took: started.elapsed(),
                    changed,
                    reused: counts.reused,
                    read: counts.read,
                    warnings: &diags,
                });
            }
            Err(errors) => {
                diags.extend(errors);
                self.shared.failed(&diags);
                on(Event::Failed {
                    first,
                    took: started.elapsed(),
                    diagnostics: &diags,
                });
            }
        }
    }

    /// The rebuild after only narratives changed: the records are the last build's, so are
    /// the scores; only the pages of the branches whose narrative changed, the search index
    /// and the linked files are made again. `None` (and the last build forgotten) when the
    /// load read anything but narratives — a change the watcher did not report — or the
    /// partial build failed: then everything is built.
    fn narratives(&mut self, last: Scored, changed: &[String]) -> Option<BuildResult> {
        let (project, mut diags) = crate::load::load_cached(&self.opts.root, &self.cache);
        let read = self.cache.read_files();
        let only_narratives_read = read.iter().all(|r| narrative_path(r));
        if diags.iter().any(Diagnostic::is_error) {
            // Still the last good build once the narrative is put right.
            if only_narratives_read {
                self.last = Some(last);
            }
            return Some((Err(Vec::new()), diags));
        }
        let same_branches = project.years.len() == last.project.years.len()
            && project.years.iter().zip(&last.project.years).all(|(a, b)| {
                a.year == b.year
                    && a.branches.len() == b.branches.len()
                    && a.branches
                        .iter()
                        .zip(&b.branches)
                        .all(|(x, y)| x.file == y.file)
            });
        if !same_branches || !only_narratives_read {
            return None;
        }
        let mut only = Only {
            branches: Default::default(),
        };
        // What the watcher reported (a narrative deleted is read by nobody) and what the
        // load found changed.
        for rel in changed.iter().chain(&read) {
            let record = format!("{}.yaml", rel.trim_end_matches(".md"));
            for (y, year) in project.years.iter().enumerate() {
                if let Some(i) = year.branches.iter().position(|b| b.file == record) {
                    only.branches.insert((y, i));
                }
            }
        }
        diags.extend(crate::score::diagnostics(
            &project,
            &last.assessment,
            self.opts.strict,
        ));
        crate::diagnostics::sort(&mut diags);
        let scored = Scored {
            project,
            assessment: last.assessment,
        };
        let result =
            build::build_only(&self.build_options(), &scored, &only, &mut unshared).ok()?;
        self.last = Some(scored);
        Some((Ok(result), diags))
    }

    fn shutdown(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        self.shared.wake_all();
        self.http.unblock();
        for _ in 1..WORKERS {
            self.http.unblock();
        }
        for w in self.workers.drain(..) {
            let _ = w.join();
        }
    }
}

/// What the preview's builds say while another build holds their output folder: nothing,
/// as none can — the folder is the preview's own temporary one — and the library prints
/// nothing.
fn unshared(_: &str) {}

type BuildResult = (Result<build::Built, Vec<Diagnostic>>, Vec<Diagnostic>);

/// A narrative's path (relative to the root): a `.md` file under `content/`.
fn narrative_path(rel: &str) -> bool {
    rel.starts_with("content/") && rel.ends_with(".md")
}

impl Drop for Server {
    fn drop(&mut self) {
        if !self.shared.stopping.load(Ordering::SeqCst) {
            self.shutdown();
        }
    }
}
