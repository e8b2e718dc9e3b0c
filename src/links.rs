//! What a link in a narrative points at, and paths written with `/`: the rules the loader
//! checks links by and the renderers write them by, in one place below both.

use std::path::{Component, Path, PathBuf};

/// The scheme of an absolute URL (`https` of `https://…`), if it has one.
pub fn scheme(url: &str) -> Option<&str> {
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    (!scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

/// The local path a URL names, percent-decoded, without query and fragment; `None` for
/// external links and in-page anchors.
pub fn local_target(url: &str) -> Option<String> {
    let url = url.trim();
    if url.is_empty() || url.starts_with('#') || url.starts_with("//") || scheme(url).is_some() {
        return None;
    }
    let path = url.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() {
        return None;
    }
    Some(percent_decode(path))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
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
        assert_eq!(local_target("https://example.org/x"), None);
        assert_eq!(local_target("mailto:a@b"), None);
        assert_eq!(local_target("#top"), None);
        assert_eq!(
            local_target("img/a%20b.png#x").as_deref(),
            Some("img/a b.png")
        );
        assert_eq!(local_target("../x.png?v=1").as_deref(), Some("../x.png"));
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
