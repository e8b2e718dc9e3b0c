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
    let mut out = Vec::new();
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
