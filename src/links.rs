//! What a link in a narrative points at, and paths written with `/`: the rules the loader
//! checks links by and the renderers write them by, in one place below both.

use std::path::{Component, Path, PathBuf};

/// The schemes a narrative may link to. `tel:` is kept: a branch's contact number is a
/// common thing to link, and a browser only offers to dial it; it runs nothing.
pub const ALLOWED_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// What a narrative's link destination is, decided as a browser would read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// `http:`, `https:`, `mailto:` or `tel:`: may become an active link. The URL as a
    /// browser reads it (tabs and line breaks removed, outer controls and spaces trimmed).
    External(String),
    /// The page itself or a place on it (`#top`, `?x`, nothing).
    SamePage,
    /// A file of the project: its path (percent-decoded, `\` read as `/` as browsers do,
    /// without query and fragment) and the fragment with its `#` (or empty).
    Local { path: String, fragment: String },
    /// Never a link and never a file: any other scheme (`javascript:`, `vbscript:`,
    /// `data:`, `file:` …), one disguised by entities, controls, invisible characters or
    /// percent-encoding, and a link to another host without a scheme (`//host`).
    Refused,
}

/// Decides a link destination. `dest` is what the Markdown parser gives (CommonMark has
/// already decoded its entities); `email` marks an e-mail autolink (`<a@b.cn>`), which
/// becomes `mailto:`.
///
/// As the WHATWG URL parser does, leading and trailing C0 controls and spaces are trimmed
/// and every tab, line feed and carriage return removed before the scheme is read. To be
/// safe against a second decoding somewhere else, the scheme is also looked for after
/// decoding HTML entities and percent-encoding again and dropping every invisible
/// character: a destination that then shows a scheme it did not show before is refused.
pub fn classify(dest: &str, email: bool) -> Link {
    if email {
        return classify(&format!("mailto:{dest}"), false);
    }
    let url = whatwg_clean(dest);
    if let Some(scheme) = scheme(&url) {
        let scheme = scheme.to_ascii_lowercase();
        let disguised = scheme_of_probe(&url).is_some_and(|p| p != scheme);
        return if ALLOWED_SCHEMES.contains(&scheme.as_str()) && !disguised {
            Link::External(url)
        } else {
            Link::Refused
        };
    }
    let probe = probe(&url);
    if scheme(&probe).is_some() || starts_with_two_slashes(&url) || starts_with_two_slashes(&probe)
    {
        return Link::Refused;
    }
    let (before_fragment, fragment) = url.split_at(url.find('#').unwrap_or(url.len()));
    let path = before_fragment.split('?').next().unwrap_or("");
    if path.is_empty() {
        return Link::SamePage;
    }
    Link::Local {
        path: percent_decode(&path.replace('\\', "/")),
        fragment: fragment.to_string(),
    }
}

/// The local path a link names (see [`classify`]), `None` for anything else.
pub fn local_target(dest: &str, email: bool) -> Option<String> {
    match classify(dest, email) {
        Link::Local { path, .. } => Some(path),
        _ => None,
    }
}

/// The WHATWG URL parser's first steps: trim C0 controls and spaces at both ends, remove
/// ASCII tab and newline everywhere.
fn whatwg_clean(url: &str) -> String {
    url.trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// A URL scheme as the WHATWG parser reads one: an ASCII letter, then letters, digits,
/// `+`, `-` or `.`, then `:`.
fn scheme(url: &str) -> Option<&str> {
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    let mut chars = scheme.chars();
    (chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

fn scheme_of_probe(url: &str) -> Option<String> {
    scheme(&probe(url)).map(str::to_ascii_lowercase)
}

/// The destination with HTML entities and percent-encoding decoded (up to three rounds)
/// and every control, format and white-space character dropped: what a lenient reader
/// further down the line might make of it.
fn probe(url: &str) -> String {
    let mut s = url.to_string();
    for _ in 0..3 {
        let decoded = percent_decode(&html_escape::decode_html_entities(&s));
        if decoded == s {
            break;
        }
        s = decoded;
    }
    s.chars()
        .filter(|&c| !crate::invisible::invisible(c))
        .collect()
}

/// `//host` and its variants with backslashes, which browsers read as another host.
fn starts_with_two_slashes(url: &str) -> bool {
    let mut c = url.chars();
    matches!((c.next(), c.next()), (Some('/' | '\\'), Some('/' | '\\')))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 3 <= bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Joins lexically and refuses anything that climbs above the root.
pub fn resolve(dir: &Path, target: &str) -> Option<PathBuf> {
    let start = if target.starts_with('/') {
        PathBuf::new()
    } else {
        dir.to_path_buf()
    };
    let mut parts: Vec<String> = start
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s.to_string()),
        }
    }
    Some(parts.iter().collect())
}

pub fn to_slash(p: &Path) -> String {
    p.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_links() {
        assert_eq!(
            classify("https://example.org/x", false),
            Link::External("https://example.org/x".into())
        );
        assert_eq!(
            classify("mailto:a@b", false),
            Link::External("mailto:a@b".into())
        );
        assert_eq!(
            classify("a@b.cn", true),
            Link::External("mailto:a@b.cn".into())
        );
        assert_eq!(classify("#top", false), Link::SamePage);
        assert_eq!(
            classify("img/a%20b.png#x", false),
            Link::Local {
                path: "img/a b.png".into(),
                fragment: "#x".into()
            }
        );
        assert_eq!(
            local_target("../x.png?v=1", false).as_deref(),
            Some("../x.png")
        );
        assert_eq!(
            local_target("img\\x.png", false).as_deref(),
            Some("img/x.png")
        );
        // A truncated escape stays as written.
        assert_eq!(local_target("a%2", false).as_deref(), Some("a%2"));
    }

    /// Disguises of a dangerous scheme, as the Markdown parser hands them over (its
    /// entities already decoded): never a link, never a file.
    #[test]
    fn disguised_schemes_are_refused() {
        for dest in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "java\nscript:alert(1)",
            "java\tscript:alert(1)",
            "java\rscript:alert(1)",
            " \u{1}\u{1f}javascript:alert(1)",
            "javascript:alert(1)\u{0} ",
            "vbscript:msgbox(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "file:///etc/passwd",
            "ftp://example.org/x",
            "javascript&#58;alert(1)",
            "javascript&#x3A;alert(1)",
            "javascript&colon;alert(1)",
            "&#106;avascript:alert(1)",
            "javascript%3Aalert(1)",
            "javascript%253Aalert(1)",
            "java\u{200B}script:alert(1)",
            "\u{FEFF}javascript:alert(1)",
            "java\u{AD}script:alert(1)",
            "//evil.example/x",
            "\\\\evil.example\\x",
            "/\\evil.example",
            "\\/evil.example",
            "%2F%2Fevil.example",
            "https&#58;//x.cn\u{200B}javascript:",
            "C:\\Windows\\x.png",
        ] {
            assert_eq!(classify(dest, false), Link::Refused, "{dest:?}");
        }
    }

    #[test]
    fn safe_links_in_any_case_or_wrapping() {
        for (dest, url) in [
            ("HTTPS://EXAMPLE.ORG/a", "HTTPS://EXAMPLE.ORG/a"),
            (" https://x.cn/a ", "https://x.cn/a"),
            ("https://x.cn/a\tb\nc", "https://x.cn/abc"),
            ("\u{1}http://x.cn", "http://x.cn"),
            ("tel:+86-10-12345678", "tel:+86-10-12345678"),
            ("mailto:dangjian@example.org", "mailto:dangjian@example.org"),
            (
                "https://x.cn/?q=javascript:alert(1)",
                "https://x.cn/?q=javascript:alert(1)",
            ),
            ("https://x.cn/%E5%85%9A", "https://x.cn/%E5%85%9A"),
        ] {
            assert_eq!(
                classify(dest, false),
                Link::External(url.into()),
                "{dest:?}"
            );
        }
        assert_eq!(
            local_target("%E5%9B%BE.png", false).as_deref(),
            Some("图.png")
        );
        assert_eq!(
            local_target(" img/a.png\n", false).as_deref(),
            Some("img/a.png")
        );
        assert_eq!(classify("", false), Link::SamePage);
        assert_eq!(classify("?x=1", false), Link::SamePage);
    }

    #[test]
    fn resolves_inside_root_only() {
        let dir = Path::new("content/2026/a");
        assert_eq!(
            resolve(dir, "img/x.png"),
            Some(PathBuf::from("content/2026/a/img/x.png"))
        );
        assert_eq!(resolve(dir, "../../../x.png"), Some(PathBuf::from("x.png")));
        assert_eq!(resolve(dir, "../../../../x.png"), None);
    }
}
