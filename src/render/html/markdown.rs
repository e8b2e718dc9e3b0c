//! Narratives (Markdown) into HTML for a branch page. Raw HTML in a narrative is shown as
//! text, never passed through; links keep only safe targets; a local file a narrative links
//! to is served from the site's `files/` folder; a remote image is never loaded (it becomes
//! a plain link).

use pulldown_cmark::{
    Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};

use std::path::Path;

use super::paths::encode_path;
use crate::links;

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Where a narrative link goes in the site.
enum Target {
    /// Kept as written (`https:`, `mailto:` …).
    External(String),
    /// Rewritten to a copied file.
    Local(String),
    /// Dropped: the text stays, the link goes.
    None,
}

fn target(url: &str, email: bool, dir: &str, assets: &[String], root: &str) -> Target {
    let (path, fragment) = match links::classify(url, email) {
        links::Link::External(u) => return Target::External(u),
        links::Link::Local { path, fragment } => (path, fragment),
        links::Link::SamePage | links::Link::Refused => return Target::None,
    };
    let Some(rel) = links::resolve(Path::new(dir), &path).map(|p| links::to_slash(&p)) else {
        return Target::None;
    };
    if !assets.contains(&rel) {
        return Target::None;
    }
    Target::Local(format!("{root}files/{}{fragment}", encode_path(&rel)))
}

fn link_start<'a>(
    link_type: pulldown_cmark::LinkType,
    url: String,
    title: CowStr<'a>,
    id: CowStr<'a>,
) -> Event<'a> {
    Event::Start(Tag::Link {
        link_type,
        dest_url: CowStr::from(url),
        title,
        id,
    })
}

/// The narrative sits under an `<h2>` of the page: its highest heading becomes `<h3>`, the
/// others keep their distance below it (at most `<h6>`).
fn shift(level: HeadingLevel, top: usize) -> HeadingLevel {
    match (level as usize + 3).saturating_sub(top).clamp(3, 6) {
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// The narrative as HTML. `file`: the narrative's path relative to the project root;
/// `assets`: the files it may link to (root-relative); `root`: from the page to the site root.
pub fn to_html(markdown: &str, file: &str, assets: &[String], root: &str) -> String {
    let dir = file.rsplit_once('/').map_or("", |(d, _)| d);
    // For each open link or image: whether its end event is kept, and as what.
    let mut open: Vec<Option<TagEnd>> = Vec::new();
    let mut events: Vec<Event> = Vec::new();
    let parsed: Vec<Event> = Parser::new_ext(markdown, options()).collect();
    let top = parsed
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as usize),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    for ev in parsed {
        match ev {
            Event::Html(t) | Event::InlineHtml(t) => events.push(Event::Text(t)),
            Event::Start(Tag::Heading { level, .. }) => events.push(Event::Start(Tag::Heading {
                level: shift(level, top),
                id: None,
                classes: vec![],
                attrs: vec![],
            })),
            Event::End(TagEnd::Heading(level)) => {
                events.push(Event::End(TagEnd::Heading(shift(level, top))))
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match target(&dest_url, link_type == LinkType::Email, dir, assets, root) {
                Target::External(u) | Target::Local(u) => {
                    open.push(Some(TagEnd::Link));
                    events.push(link_start(link_type, u, title, id));
                }
                Target::None => open.push(None),
            },
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                match target(&dest_url, false, dir, assets, root) {
                    Target::Local(u) => {
                        open.push(Some(TagEnd::Image));
                        events.push(Event::Start(Tag::Image {
                            link_type,
                            dest_url: CowStr::from(u),
                            title,
                            id,
                        }));
                    }
                    // A remote image is never loaded: its alt text links to it instead.
                    Target::External(u) => {
                        open.push(Some(TagEnd::Link));
                        events.push(link_start(link_type, u, title, id));
                    }
                    Target::None => open.push(None),
                }
            }
            Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
                if let Some(Some(end)) = open.pop() {
                    events.push(Event::End(end));
                }
            }
            other => events.push(other),
        }
    }
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    write_html(&mut out, events);
    out
}

use crate::escape::html_into as esc;

/// Starts a tag whose URL attribute is already open (`<a href="`), with an optional title;
/// leaves the last attribute's quote open.
fn open_url(out: &mut String, start: &str, url: &str, title: &str) {
    out.push_str(start);
    esc(out, url);
    if !title.is_empty() {
        out.push_str("\" title=\"");
        esc(out, title);
    }
}

fn level(l: HeadingLevel) -> usize {
    l as usize
}

/// HTML from the (already filtered) events. Every text is escaped; only the tags below are
/// ever written.
fn write_html(out: &mut String, events: Vec<Event>) {
    let mut aligns: Vec<Alignment> = Vec::new();
    let mut in_head = false;
    let mut cell = 0usize;
    // Inside an image: its inner events are the alt text.
    let mut alt: Option<String> = None;
    for ev in events {
        if let Some(a) = alt.as_mut() {
            match ev {
                Event::End(TagEnd::Image) => {
                    esc(out, a);
                    out.push_str("\">");
                    alt = None;
                }
                Event::Text(t) | Event::Code(t) => a.push_str(&t),
                _ => {}
            }
            continue;
        }
        match ev {
            Event::Start(tag) => match tag {
                Tag::Paragraph => out.push_str("<p>"),
                Tag::Heading { level: l, .. } => out.push_str(&format!("<h{}>", level(l))),
                Tag::BlockQuote(_) => out.push_str("<blockquote>\n"),
                Tag::CodeBlock(kind) => {
                    out.push_str("<pre><code");
                    if let CodeBlockKind::Fenced(lang) = kind {
                        let lang = lang.split_whitespace().next().unwrap_or("");
                        if !lang.is_empty() {
                            out.push_str(" class=\"language-");
                            esc(out, lang);
                            out.push('"');
                        }
                    }
                    out.push('>');
                }
                Tag::List(Some(1)) => out.push_str("<ol>\n"),
                Tag::List(Some(n)) => out.push_str(&format!("<ol start=\"{n}\">\n")),
                Tag::List(None) => out.push_str("<ul>\n"),
                Tag::Item => out.push_str("<li>"),
                Tag::Table(a) => {
                    aligns = a;
                    out.push_str("<div class=\"table-wrap\"><table>");
                }
                Tag::TableHead => {
                    in_head = true;
                    cell = 0;
                    out.push_str("<thead><tr>");
                }
                Tag::TableRow => {
                    cell = 0;
                    out.push_str("<tr>");
                }
                Tag::TableCell => {
                    out.push_str(if in_head { "<th" } else { "<td" });
                    match aligns.get(cell) {
                        Some(Alignment::Left) => out.push_str(" style=\"text-align:left\""),
                        Some(Alignment::Center) => out.push_str(" style=\"text-align:center\""),
                        Some(Alignment::Right) => out.push_str(" style=\"text-align:right\""),
                        _ => {}
                    }
                    out.push('>');
                }
                Tag::Emphasis => out.push_str("<em>"),
                Tag::Strong => out.push_str("<strong>"),
                Tag::Strikethrough => out.push_str("<del>"),
                Tag::Link {
                    dest_url, title, ..
                } => {
                    open_url(out, "<a href=\"", &dest_url, &title);
                    out.push_str("\">");
                }
                Tag::Image {
                    dest_url, title, ..
                } => {
                    open_url(out, "<img src=\"", &dest_url, &title);
                    out.push_str("\" alt=\"");
                    alt = Some(String::new());
                }
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph => out.push_str("</p>\n"),
                TagEnd::Heading(l) => out.push_str(&format!("</h{}>\n", level(l))),
                TagEnd::BlockQuote(_) => out.push_str("</blockquote>\n"),
                TagEnd::CodeBlock => out.push_str("</code></pre>\n"),
                TagEnd::List(true) => out.push_str("</ol>\n"),
                TagEnd::List(false) => out.push_str("</ul>\n"),
                TagEnd::Item => out.push_str("</li>\n"),
                TagEnd::Table => out.push_str("</tbody></table></div>\n"),
                TagEnd::TableHead => {
                    in_head = false;
                    out.push_str("</tr></thead><tbody>\n");
                }
                TagEnd::TableRow => out.push_str("</tr>\n"),
                TagEnd::TableCell => {
                    out.push_str(if in_head { "</th>" } else { "</td>" });
                    cell += 1;
                }
                TagEnd::Emphasis => out.push_str("</em>"),
                TagEnd::Strong => out.push_str("</strong>"),
                TagEnd::Strikethrough => out.push_str("</del>"),
                TagEnd::Link => out.push_str("</a>"),
                _ => {}
            },
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => esc(out, &t),
            Event::Code(t) => {
                out.push_str("<code>");
                esc(out, &t);
                out.push_str("</code>");
            }
            Event::SoftBreak => out.push('\n'),
            Event::HardBreak => out.push_str("<br>\n"),
            Event::Rule => out.push_str("<hr>\n"),
            Event::TaskListMarker(done) => out.push_str(if done {
                "<input type=\"checkbox\" disabled checked> "
            } else {
                "<input type=\"checkbox\" disabled> "
            }),
            _ => {}
        }
    }
}

/// The narrative's text without markup, for the search index (at most `max` characters).
pub fn plain_text(markdown: &str, max: usize) -> String {
    let mut out = String::new();
    // Characters in `out`, counted as they are added (not recounted after every event).
    let mut chars = 0;
    for ev in Parser::new_ext(markdown, options()) {
        match ev {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t);
                chars += t.chars().count();
            }
            // A line break inside a paragraph: a space only between Latin words (a space
            // between Chinese characters would split a search term).
            Event::SoftBreak | Event::HardBreak
                if out.ends_with(|c: char| c.is_ascii_alphanumeric()) =>
            {
                out.push(' ');
                chars += 1;
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock,
            ) if !out.ends_with(' ') && !out.is_empty() => {
                out.push(' ');
                chars += 1;
            }
            _ => {}
        }
        if chars > max {
            break;
        }
    }
    let t = out.trim();
    t.chars().take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(md: &str) -> String {
        to_html(
            md,
            "content/2026/a/x.md",
            &["content/2026/a/img/p.png".to_string()],
            "../../",
        )
    }

    #[test]
    fn raw_html_is_text() {
        let out = h("正文<script>alert(1)</script>\n\n<div onclick=x>块</div>\n");
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("<div"), "{out}");
        assert!(
            out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{out}"
        );
    }

    #[test]
    fn links() {
        let out = h(
            "[a](javascript:alert(1)) [b](https://x.cn/) ![c](img/p.png) ![d](https://x.cn/e.png) [e](../zz.md)",
        );
        assert!(!out.contains("javascript"), "{out}");
        assert!(out.contains(r#"<a href="https://x.cn/">b</a>"#), "{out}");
        assert!(
            out.contains(r#"<img src="../../files/content/2026/a/img/p.png" alt="c""#),
            "{out}"
        );
        assert!(!out.contains("<img src=\"https"), "{out}");
        assert!(
            out.contains(r#"<a href="https://x.cn/e.png">d</a>"#),
            "{out}"
        );
        assert!(out.contains(" e</p>"), "{out}");
    }

    #[test]
    fn headings_shift() {
        assert_eq!(h("# 一\n").trim(), "<h3>一</h3>");
        assert_eq!(h("## 一\n\n### 二\n").trim(), "<h3>一</h3>\n<h4>二</h4>");
    }

    #[test]
    fn plain() {
        assert_eq!(
            plain_text("# 标题\n\n正文**加粗**。\n", 100),
            "标题 正文加粗。"
        );
        assert_eq!(plain_text("一二三四", 2), "一二");
    }
}
