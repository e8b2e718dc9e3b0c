//! Escaping text for HTML and XML, one implementation for pages, narratives and charts.

/// Appends `s` escaped for element content and quoted attribute values. `/` is left alone,
/// so relative paths such as `../` print as written.
pub fn html_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    html_into(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup() {
        assert_eq!(
            super::html("<a href=\"x\">'&'</a> ../"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt; ../"
        );
    }
}
