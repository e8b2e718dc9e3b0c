//! Escaping text for HTML and XML, one implementation for pages, narratives and charts.

/// Appends `s` escaped for element content and quoted attribute values. `/` is left alone,
/// so relative paths such as `../` print as written.
pub fn html_into(out: &mut String, s: &str) {
    // Most text has nothing to escape: copy the runs between special bytes whole. The
    // special characters are ASCII, so every cut is on a character boundary.
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        out.push_str(rep);
        start = i + 1;
    }
    out.push_str(&s[start..]);
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
        assert_eq!(
            super::html("党支部<b>“五好”</b>&"),
            "党支部&lt;b&gt;“五好”&lt;/b&gt;&amp;"
        );
        assert_eq!(super::html(""), "");
        assert_eq!(super::html("无需转义"), "无需转义");
    }
}
