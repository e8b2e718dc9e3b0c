//! Where each page lives in the site, and how one page links to another. Every link is
//! relative (the site works from `file://`, a USB stick or any sub-path); a file name keeps
//! the id as written (Chinese included) and the href percent-encodes it.

/// Percent-encodes one path segment or fragment: everything but unreserved ASCII
/// (`A-Z a-z 0-9 - _ . ~`) becomes `%XX` of its UTF-8 bytes.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-encodes a relative path, keeping its `/` separators.
pub fn encode_path(p: &str) -> String {
    p.split('/').map(encode).collect::<Vec<_>>().join("/")
}

/// The file name of an organisation page below `<year>/org/`, or `None` for the district
/// (whose page is the year page).
pub fn org_file(path: &[String]) -> Option<String> {
    (!path.is_empty()).then(|| format!("{}.html", path.join(".")))
}

/// Site-relative file path of an organisation page (the district: the year page).
pub fn org_page(year: i32, path: &[String]) -> String {
    match org_file(path) {
        Some(f) => format!("{year}/org/{f}"),
        None => format!("{year}/index.html"),
    }
}

/// Site-relative href of an organisation page (percent-encoded).
pub fn org_href(year: i32, path: &[String]) -> String {
    match org_file(path) {
        Some(_) => format!(
            "{year}/org/{}.html",
            path.iter().map(|s| encode(s)).collect::<Vec<_>>().join(".")
        ),
        None => format!("{year}/index.html"),
    }
}

pub fn branch_page(year: i32, id: &str) -> String {
    format!("{year}/branch/{id}.html")
}

pub fn branch_href(year: i32, id: &str) -> String {
    format!("{year}/branch/{}.html", encode(id))
}

pub fn pdf_href(year: i32, id: &str) -> String {
    format!("{year}/pdf/{}.pdf", encode(id))
}

/// The path from a page to the site root: `""`, `"../"`, `"../../"`.
pub fn root_of(page: &str) -> String {
    "../".repeat(page.matches('/').count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_chinese_and_reserved() {
        assert_eq!(encode("qiao-yi_2"), "qiao-yi_2");
        assert_eq!(encode("桥一"), "%E6%A1%A5%E4%B8%80");
        assert_eq!(encode("a b#?%"), "a%20b%23%3F%25");
        assert_eq!(
            encode_path("content/2026/图 1.png"),
            "content/2026/%E5%9B%BE%201.png"
        );
    }

    #[test]
    fn pages() {
        let p = vec!["xinhe".to_string(), "桥东".to_string()];
        assert_eq!(org_page(2026, &p), "2026/org/xinhe.桥东.html");
        assert_eq!(org_href(2026, &p), "2026/org/xinhe.%E6%A1%A5%E4%B8%9C.html");
        assert_eq!(org_page(2026, &[]), "2026/index.html");
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("2026/branch/a.html"), "../../");
    }
}
