//! Where each page lives in the site, and how one page links to another. Every link is
//! relative (the site works from `file://`, a USB stick or any sub-path); a file name keeps
//! the id as written (Chinese included) and the href percent-encodes it.

/// Percent-encodes one path segment or fragment: everything but unreserved ASCII
/// (`A-Z a-z 0-9 - _ . ~`) becomes `%XX` of its UTF-8 bytes.
pub fn encode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let keep = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~');
    // Every link of every page is made here, and most ids need nothing encoded: copied
    // whole, and the rest without `format!` per byte (the 1,000-branch two-year build
    // 5.807 G → 5.751 G instructions, callgrind).
    let Some(first) = s.bytes().position(|b| !keep(b)) else {
        return s.to_string();
    };
    let mut out = String::with_capacity(s.len() + 2 * (s.len() - first));
    // The bytes before `first` are ASCII, so it is a character boundary.
    out.push_str(&s[..first]);
    for b in s[first..].bytes() {
        if keep(b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
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

/// Site-relative file of page `number` (from 1) of a ranking: of the whole year when
/// `category` is `None`, else of that category. Ids never contain `.`, so the `.<number>`
/// of a later page cannot clash with another category's first page.
pub fn ranking_page(year: i32, category: Option<&str>, number: usize) -> String {
    let base = match category {
        None => format!("{year}/ranking"),
        Some(c) => format!("{year}/ranking/{c}"),
    };
    if number <= 1 {
        format!("{base}.html")
    } else {
        format!("{base}.{number}.html")
    }
}

/// Site-relative file of page `number` (from 1) of the year's rectification list.
pub fn rectification_page(year: i32, number: usize) -> String {
    if number <= 1 {
        format!("{year}/rectification.html")
    } else {
        format!("{year}/rectification.{number}.html")
    }
}

/// [`ranking_page`] as an href (percent-encoded).
pub fn ranking_href(year: i32, category: Option<&str>, number: usize) -> String {
    ranking_page(year, category.map(encode).as_deref(), number)
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
        assert_eq!(encode(""), "");
        assert_eq!(encode("x-1.桥/~\u{7f}Z"), "x-1.%E6%A1%A5%2F~%7FZ");
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
        assert_eq!(ranking_page(2026, None, 1), "2026/ranking.html");
        assert_eq!(ranking_page(2026, None, 3), "2026/ranking.3.html");
        assert_eq!(
            ranking_page(2026, Some("社区"), 1),
            "2026/ranking/社区.html"
        );
        assert_eq!(
            ranking_page(2026, Some("x-2"), 2),
            "2026/ranking/x-2.2.html"
        );
        assert_eq!(
            ranking_href(2026, Some("社区"), 2),
            "2026/ranking/%E7%A4%BE%E5%8C%BA.2.html"
        );
    }
}
