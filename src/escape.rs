//! Escaping text for HTML and XML, one implementation for pages, narratives and charts.

/// Hands `emit` the pieces of `s` escaped, in order: the runs without special characters as
/// they are (most text has nothing to escape), and an entity for each special byte. The
/// special characters are ASCII, so every cut is on a character boundary.
fn escaped_pieces<E>(s: &str, mut emit: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
    let bytes = s.as_bytes();
    let mut start = 0;
    while let Some(k) = bytes[start..].iter().position(|&b| SPECIAL[usize::from(b)]) {
        let i = start + k;
        emit(&s[start..i])?;
        emit(match bytes[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        })?;
        start = i + 1;
    }
    emit(&s[start..])
}

/// Appends `s` escaped for element content and quoted attribute values. `/` is left alone,
/// so relative paths such as `../` print as written.
pub fn html_into(out: &mut String, s: &str) {
    let _ = escaped_pieces(s, |p| {
        out.push_str(p);
        Ok::<(), std::convert::Infallible>(())
    });
}

/// [`html`] written to `w`, with no copy of the text (Tera prints every `{{ value }}` of
/// every page through here).
pub fn html_write(s: &str, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    escaped_pieces(s, |p| w.write_all(p.as_bytes()))
}

/// The bytes [`escaped_pieces`] replaces, as a table: one load per byte of every page's text.
const SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    t[b'&' as usize] = true;
    t[b'<' as usize] = true;
    t[b'>' as usize] = true;
    t[b'"' as usize] = true;
    t[b'\'' as usize] = true;
    t
};

pub fn html(s: &str) -> String {
    // Tera escapes every printed string with this; most have nothing to escape.
    if !s.bytes().any(|b| SPECIAL[usize::from(b)]) {
        return s.to_owned();
    }
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

    proptest::proptest! {
        #[test]
        fn escapes_like_replacing_each_character(s in "[a&<>\"'党 \\n/]{0,40}") {
            let naive: String = s
                .chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c => c.to_string(),
                })
                .collect();
            proptest::prop_assert_eq!(super::html(&s), naive.clone());
            let mut w = Vec::new();
            super::html_write(&s, &mut w).unwrap();
            proptest::prop_assert_eq!(String::from_utf8(w).unwrap(), naive);
        }
    }

    #[test]
    fn writing_gives_the_same_text() {
        for s in [
            "",
            "plain",
            "<",
            "a&b<c>d\"e'f",
            "&&&",
            "党支部<b>“五好”</b>&",
            "末尾'",
        ] {
            let mut w = Vec::new();
            super::html_write(s, &mut w).unwrap();
            assert_eq!(String::from_utf8(w).unwrap(), super::html(s), "{s:?}");
        }
    }
}
