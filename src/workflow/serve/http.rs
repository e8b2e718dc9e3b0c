//! The preview's HTTP side (tiny_http parses the requests): files of the last good build,
//! with the live-reload script put into every HTML page as it is sent (never into the
//! build's files), the script itself, and a stream of Server-Sent Events that tells the
//! open pages when to reload and what the last failed build said.
//!
//! Only files inside the site are served: a path with `..` or `.` segments (also when
//! percent-encoded), a backslash, a NUL or a drive letter is refused, and the file found
//! must lie inside the site once every symbolic link is resolved.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::state::Shared;

/// Where the preview's own files are served; no site path starts like this.
pub const PREFIX: &str = "/__dangjian/";
const SCRIPT: &str = include_str!("livereload.js");
/// How often an idle event stream sends a comment, to find out that its page was closed.
const KEEPALIVE: Duration = Duration::from_secs(10);

/// `response` with the header `name: value` (every one given here is plain ASCII, which
/// tiny_http accepts).
fn with<R: std::io::Read>(response: Response<R>, name: &str, value: &str) -> Response<R> {
    match Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        Ok(h) => response.with_header(h),
        Err(()) => response,
    }
}

/// Answers one request (on the calling thread, except an event stream, which gets its own).
pub fn handle(shared: &std::sync::Arc<Shared>, request: Request) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let r = Response::from_string("只支持 GET 和 HEAD 请求").with_status_code(405);
        let r = with(r, "Allow", "GET, HEAD");
        let _ = request.respond(with(r, "Content-Type", "text/plain; charset=utf-8"));
        return;
    }
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("");
    if path == "/__dangjian/livereload.js" {
        respond_bytes(
            request,
            200,
            "text/javascript; charset=utf-8",
            SCRIPT.as_bytes().to_vec(),
        );
        return;
    }
    if path == "/__dangjian/events" {
        let shared = shared.clone();
        std::thread::spawn(move || events(&shared, request));
        return;
    }
    match resolve(&shared.site, path) {
        Resolved::Refused => {
            let page = message_page(shared, "拒绝访问", "这个地址指向网站以外的位置。");
            respond_bytes(request, 403, "text/html; charset=utf-8", page);
        }
        Resolved::Bad => {
            let page = message_page(shared, "无效的地址", "地址不是合法的 UTF-8 路径。");
            respond_bytes(request, 400, "text/html; charset=utf-8", page);
        }
        Resolved::File(file) => serve_file(shared, request, &file),
        Resolved::Missing => {
            let (status, title, text) = if shared.has_site() {
                (404, "找不到页面", "网站中没有这个页面。")
            } else {
                (
                    503,
                    "网站还没有生成",
                    "第一次生成还没有完成或失败了；生成成功后这个页面会自动刷新。",
                )
            };
            let page = message_page(shared, title, text);
            respond_bytes(request, status, "text/html; charset=utf-8", page);
        }
    }
}

fn respond_bytes(request: Request, status: u16, content_type: &str, body: Vec<u8>) {
    let r = Response::from_data(body).with_status_code(StatusCode(status));
    let r = with(r, "Content-Type", content_type);
    // A preview: always the latest build.
    let r = with(r, "Cache-Control", "no-store");
    let _ = request.respond(with(r, "X-Content-Type-Options", "nosniff"));
}

fn serve_file(shared: &Shared, request: Request, file: &Path) {
    let content_type = content_type(file);
    match std::fs::read(file) {
        Ok(bytes) if content_type.starts_with("text/html") => {
            let page = inject(&bytes, shared.version());
            respond_bytes(request, 200, content_type, page);
        }
        Ok(bytes) => respond_bytes(request, 200, content_type, bytes),
        Err(_) => {
            let page = message_page(shared, "找不到页面", "网站中没有这个页面。");
            respond_bytes(request, 404, "text/html; charset=utf-8", page);
        }
    }
}

/// The page with the live-reload script before its last `</body>` (at its end when it has
/// none). `version`: the build the page comes from, so the script can tell whether it
/// missed a rebuild while the page was loading.
pub fn inject(page: &[u8], version: u64) -> Vec<u8> {
    let tag = format!("<script src=\"{PREFIX}livereload.js\" data-version=\"{version}\"></script>");
    let at = find_last(page, b"</body>").unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + tag.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&page[at..]);
    out
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

/// A small page of the preview itself (errors, not found), with the live-reload script so
/// it turns into the real page as soon as there is one.
fn message_page(shared: &Shared, title: &str, text: &str) -> Vec<u8> {
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>body{{font-family:sans-serif;margin:3em auto;max-width:40em;line-height:1.6;color:#222}}\
         a{{color:#b3261e}}</style></head><body><h1>{title}</h1><p>{text}</p>\
         <p><a href=\"/\">返回首页</a></p></body></html>\n",
        title = crate::escape::html(title),
        text = crate::escape::html(text),
    );
    inject(page.as_bytes(), shared.version())
}

#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File(PathBuf),
    Missing,
    Refused,
    Bad,
}

/// The file of the site that `path` (the request's path, percent-encoded) names: a folder
/// means its `index.html`.
pub fn resolve(site: &Path, path: &str) -> Resolved {
    let Some(rest) = path.strip_prefix('/') else {
        return Resolved::Refused;
    };
    let Ok(decoded) = percent_encoding::percent_decode_str(rest).decode_utf8() else {
        return Resolved::Bad;
    };
    let mut target = site.to_path_buf();
    for seg in decoded.split('/') {
        if seg.is_empty() {
            continue;
        }
        if seg == "." || seg == ".." || seg.contains(['\\', '\0', ':']) {
            return Resolved::Refused;
        }
        target.push(seg);
    }
    if target.is_dir() {
        target.push("index.html");
    }
    // Symbolic links may point anywhere: the file must still be inside the site.
    let (Ok(real), Ok(base)) = (target.canonicalize(), site.canonicalize()) else {
        return Resolved::Missing;
    };
    if !real.starts_with(&base) {
        return Resolved::Refused;
    }
    if real.is_file() {
        Resolved::File(real)
    } else {
        Resolved::Missing
    }
}

fn content_type(p: &Path) -> &'static str {
    let ext = p
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "txt" | "md" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "otf" => "font/otf",
        "ttf" => "font/ttf",
        _ => "application/octet-stream",
    }
}

/// A stream of Server-Sent Events: the state at once, then every new state, with a comment
/// now and then to notice a closed page.
///
/// tiny_http keeps a response body it sends with chunked encoding in a buffer until the
/// body ends, which would hold every event back; so the stream takes the connection over
/// and writes its (fixed) response head and each event itself, flushing after each one,
/// and closes the connection when done.
fn events(shared: &Shared, request: Request) {
    let mut w = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
                Cache-Control: no-store\r\nConnection: close\r\nX-Accel-Buffering: no\r\n\r\n\
                retry: 500\n\n";
    if w.write_all(head.as_bytes())
        .and_then(|()| w.flush())
        .is_err()
    {
        return;
    }
    let mut seen = None;
    while !shared.stopping.load(Ordering::SeqCst) {
        let (version, json) = shared.wait_change(seen, KEEPALIVE);
        let text = if seen == Some(version) {
            ": ping\n\n".to_string()
        } else {
            seen = Some(version);
            format!("event: state\ndata: {json}\n\n")
        };
        if w.write_all(text.as_bytes())
            .and_then(|()| w.flush())
            .is_err()
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_inside_the_site_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("2026/branch")).unwrap();
        std::fs::write(site.join("index.html"), "home").unwrap();
        std::fs::write(site.join("2026/branch/甲.html"), "甲").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        let file = |rel: &str| Resolved::File(site.join(rel).canonicalize().unwrap());
        assert_eq!(resolve(&site, "/"), file("index.html"));
        assert_eq!(
            resolve(&site, "/2026/branch/%E7%94%B2.html"),
            file("2026/branch/甲.html")
        );
        assert_eq!(
            resolve(&site, "/2026/branch/甲.html"),
            file("2026/branch/甲.html")
        );
        assert_eq!(resolve(&site, "/nope.html"), Resolved::Missing);
        for bad in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E/secret.txt",
            "/2026/../../secret.txt",
            "/..%2fsecret.txt",
            "/..%5csecret.txt",
            "/./index.html",
            "/C:/secret.txt",
            "//etc/passwd/..",
            "secret.txt",
        ] {
            assert_eq!(resolve(&site, bad), Resolved::Refused, "{bad}");
        }
        assert_eq!(resolve(&site, "/%ff"), Resolved::Bad);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), site.join("out.txt"))
                .unwrap();
            assert_eq!(resolve(&site, "/out.txt"), Resolved::Refused);
        }
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let page = inject(b"<html><body><p>x</p></body></html>", 7);
        let text = String::from_utf8(page).unwrap();
        assert!(text.ends_with(
            "<script src=\"/__dangjian/livereload.js\" data-version=\"7\"></script></body></html>"
        ));
        assert!(
            String::from_utf8(inject(b"no body", 1))
                .unwrap()
                .starts_with("no body<script")
        );
    }
}
