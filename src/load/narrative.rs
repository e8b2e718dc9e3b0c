//! Narratives: the links they make to local files must resolve inside the project.

use std::path::Path;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};

use crate::diagnostics::{Diagnostic, Pos};
use crate::links::{local_target, resolve, to_slash};

/// Files a narrative links to, relative to the root with `/` separators; every broken or
/// escaping link is reported with its line and column in the Markdown file.
pub fn local_links(
    root: &Path,
    file: &str,
    markdown: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<String> {
    local_links_checked(root, file, markdown, diags, &mut Vec::new())
}

/// [`local_links`], also listing in `checked` every file it looked at (whether or not it
/// was there): what the result depends on besides the narrative itself.
pub fn local_links_checked(
    root: &Path,
    file: &str,
    markdown: &str,
    diags: &mut Vec<Diagnostic>,
    checked: &mut Vec<std::path::PathBuf>,
) -> Vec<String> {
    let mut out = Vec::new();
    // Every link and image is written with a `]` (inline, reference, shortcut) or a `<`
    // (autolink): a narrative with neither has none, and parsing it as Markdown to find
    // that out cost about 40,000 instructions per narrative of the synthetic project
    // (72 M of the 2.1 G `check` of 1,000 branches over two years).
    if memchr::memchr2(b']', b'<', markdown.as_bytes()).is_none() {
        return out;
    }
    let dir = Path::new(file).parent().unwrap_or(Path::new(""));
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    for (event, range) in parser.into_offset_iter() {
        let (url, link_type) = match &event {
            Event::Start(Tag::Link {
                dest_url,
                link_type,
                ..
            })
            | Event::Start(Tag::Image {
                dest_url,
                link_type,
                ..
            }) => (dest_url.to_string(), *link_type),
            _ => continue,
        };
        // Only a file of the project is checked: external links, in-page anchors and
        // refused schemes (`javascript:` in any disguise) are no files (`links::classify`).
        let Some(target) = local_target(&url, link_type == LinkType::Email) else {
            continue;
        };
        let pos = Pos::at(markdown, range.start);
        match resolve(dir, &target) {
            None => diags.push(
                Diagnostic::error(file, pos, format!("链接 `{url}` 指向项目根目录之外"))
                    .with_hint("叙述只能链接项目内的文件"),
            ),
            Some(rel) => {
                let abs = root.join(&rel);
                let meta = std::fs::symlink_metadata(&abs);
                checked.push(abs);
                match meta {
                    Ok(m) if m.is_file() => {
                        let rel = to_slash(&rel);
                        if !out.contains(&rel) {
                            out.push(rel);
                        }
                    }
                    // A link inside content/ is reported where the walk finds it; the link
                    // to it is no second error.
                    Ok(m) if m.file_type().is_symlink() && walked(&rel) => {}
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

/// Whether the walk of `content/` meets `rel` (a path relative to the root): below
/// `content/`, in no hidden folder.
fn walked(rel: &Path) -> bool {
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    parts.next().is_some_and(|first| first == "content") && parts.all(|p| !p.starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Links of every form are still found after the quick test for `]` and `<`; a text
    /// without either is not parsed and has none.
    #[test]
    fn every_form_of_link_is_checked() {
        let root = Path::new("/nonexistent-dangjian-root");
        for md in [
            "见[附件](a.pdf)。",
            "![照片](a.png)",
            "见[附件][r]。\n\n[r]: a.pdf\n",
            "见[a.pdf]。\n\n[a.pdf]: a.pdf\n",
            "<mailto:x@example.com> [x](a.pdf)",
            "| 表 |\n|---|\n| [x](a.pdf) |\n",
        ] {
            let mut d = Vec::new();
            local_links(root, "content/2026/b.md", md, &mut d);
            assert_eq!(d.len(), 1, "{md:?}: {d:?}");
            assert!(d[0].message.contains("不存在"), "{md:?}: {d:?}");
        }
        let mut d = Vec::new();
        let text = "## 述职报告\n\n本年度，支部推进“一支部一品牌”建设 [无链接 (a.pdf)\n";
        assert!(local_links(root, "content/2026/b.md", text, &mut d).is_empty());
        assert!(d.is_empty(), "{d:?}");
    }
}
