//! Narratives: the links they make to local files must resolve inside the project.

use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{Event, Options, Parser, Tag};

use crate::diagnostics::{Diagnostic, Pos};

/// Files a narrative links to, relative to the root with `/` separators; every broken or
/// escaping link is reported with its line and column in the Markdown file.
pub fn local_links(
    root: &Path,
    file: &str,
    markdown: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut out = Vec::new();
    let dir = Path::new(file).parent().unwrap_or(Path::new(""));
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    for (event, range) in parser.into_offset_iter() {
        let url = match &event {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => dest_url.to_string(),
            _ => continue,
        };
        let Some(target) = local_target(&url) else {
            continue;
        };
        let pos = pos_at(markdown, range.start);
        match resolve(dir, &target) {
            None => diags.push(
                Diagnostic::error(file, pos, format!("链接 `{url}` 指向项目根目录之外"))
                    .with_hint("叙述只能链接项目内的文件"),
            ),
            Some(rel) => {
                let abs = root.join(&rel);
                let meta = std::fs::symlink_metadata(&abs);
                match meta {
                    Ok(m) if m.is_file() => {
                        let rel = to_slash(&rel);
                        if !out.contains(&rel) {
                            out.push(rel);
                        }
                    }
                    Ok(m) if m.file_type().is_symlink() => diags.push(Diagnostic::error(
                        file,
                        pos,
                        format!("链接 `{url}` 指向符号链接，不会被跟随"),
                    )),
                    _ => diags.push(Diagnostic::error(
                        file,
                        pos,
                        format!("链接 `{url}` 指向的文件 `{}` 不存在", to_slash(&rel)),
                    )),
                }
            }
        }
    }
    out
}

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

/// Line and column (1-based, in characters) of a byte offset.
pub fn pos_at(text: &str, offset: usize) -> Pos {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Pos::new(line, before[line_start..].chars().count() + 1)
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

    #[test]
    fn positions_count_characters() {
        let t = "第一行\n中文[链接](x.png)";
        assert_eq!(pos_at(t, t.find('[').unwrap()), Pos::new(2, 3));
    }
}
