//! The search index: one script at the site root, `search-index.js`, defining
//! `window.DANGJIAN_SEARCH = {docs: [{t, u, k, y, s}]}` (title, site-relative href, kind,
//! year, searchable text). A script, not JSON fetched at run time, so search works from
//! `file://`.

use serde::Serialize;

#[derive(Serialize)]
pub struct Doc {
    /// Title.
    pub t: String,
    /// Href relative to the site root.
    pub u: String,
    /// Kind: `branch`, `org`, `indicator`.
    pub k: &'static str,
    /// Year.
    pub y: i32,
    /// Text searched and shown as a snippet.
    pub s: String,
}

/// The whole script. The JSON is made safe inside a `<script>` context and for JavaScript
/// parsers older than ES2019: `<`, `>`, `&`, U+2028 and U+2029 are written as `\uXXXX`
/// (they can only occur inside JSON strings, where the escape means the same character).
pub fn script(docs: &[Doc]) -> String {
    #[derive(Serialize)]
    struct Index<'a> {
        docs: &'a [Doc],
    }
    let json = serde_json::to_string(&Index { docs }).unwrap_or_else(|_| "{\"docs\":[]}".into());
    let mut out = String::with_capacity(json.len() + 64);
    out.push_str("window.DANGJIAN_SEARCH = ");
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push_str(";\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cannot_break_out_of_a_script() {
        let d = Doc {
            t: "</script><script>alert(1)</script>".into(),
            u: "2026/branch/a.html".into(),
            k: "branch",
            y: 2026,
            s: "a\u{2028}b & <!--".into(),
        };
        let js = script(&[d]);
        assert!(
            !js.contains('<') && !js.contains('>') && !js.contains('&'),
            "{js}"
        );
        assert!(!js.contains('\u{2028}'));
        let json = js
            .trim_start_matches("window.DANGJIAN_SEARCH = ")
            .trim_end()
            .trim_end_matches(';');
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(v["docs"][0]["t"], "</script><script>alert(1)</script>");
        assert_eq!(v["docs"][0]["s"], "a\u{2028}b & <!--");
    }
}
