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
    let json = serde_json::to_vec(&Index { docs }).unwrap_or_else(|_| b"{\"docs\":[]}".to_vec());
    let mut out = Vec::with_capacity(json.len() + 64);
    out.extend_from_slice(b"window.DANGJIAN_SEARCH = ");
    // Bytes, copied a run at a time (a province's index is tens of megabytes): U+2028 and
    // U+2029 are E2 80 A8 and E2 80 A9 in UTF-8, and no other character starts E2 80 A8/A9.
    let mut start = 0;
    let mut i = 0;
    while i < json.len() {
        let rep: Option<(&[u8], usize)> = match json[i] {
            b'<' => Some((b"\\u003c", 1)),
            b'>' => Some((b"\\u003e", 1)),
            b'&' => Some((b"\\u0026", 1)),
            0xE2 if json.get(i + 1) == Some(&0x80) && json.get(i + 2) == Some(&0xA8) => {
                Some((b"\\u2028", 3))
            }
            0xE2 if json.get(i + 1) == Some(&0x80) && json.get(i + 2) == Some(&0xA9) => {
                Some((b"\\u2029", 3))
            }
            _ => None,
        };
        match rep {
            Some((text, len)) => {
                out.extend_from_slice(&json[start..i]);
                out.extend_from_slice(text);
                i += len;
                start = i;
            }
            None => i += 1,
        }
    }
    out.extend_from_slice(&json[start..]);
    out.extend_from_slice(b";\n");
    // Only ASCII was put in place of whole characters: still UTF-8.
    String::from_utf8(out).unwrap_or_default()
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

    #[test]
    fn other_characters_are_kept_as_they_are() {
        let d = Doc {
            t: "党支部\u{2027}\u{202A}…“五好”".into(),
            u: "2026/branch/党.html".into(),
            k: "branch",
            y: 2026,
            s: "\u{2029}末".into(),
        };
        let js = script(&[d]);
        assert!(js.contains("党支部\u{2027}\u{202A}…“五好”"), "{js}");
        assert!(js.contains("\\u2029末"), "{js}");
    }
}
