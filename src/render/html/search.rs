//! The search index: one script at the site root, `search-index.js`, defining
//! `window.DANGJIAN_SEARCH = {docs: [{t, u, k, y, s}]}` (title, site-relative href, kind,
//! year, searchable text). A script, not JSON fetched at run time, so search works from
//! `file://`. The documents are the view's (`crate::view::site::search`); this writes them.

pub use crate::view::site::search::SearchDoc as Doc;

const HEAD: &[u8] = b"window.DANGJIAN_SEARCH = {\"docs\":[";
const TAIL: &[u8] = b"]};\n";

/// Appends `doc` as JSON to `out` (after a comma unless `out` is empty), made safe inside a
/// `<script>` context and for JavaScript parsers older than ES2019: `<`, `>`, `&`, U+2028
/// and U+2029 are written as `\uXXXX` (they can only occur inside JSON strings, where the
/// escape means the same character). `json`: a buffer for the plain JSON, reused.
pub fn push_doc(out: &mut Vec<u8>, json: &mut Vec<u8>, doc: &Doc) {
    json.clear();
    if serde_json::to_writer(&mut *json, doc).is_err() {
        return;
    }
    if !out.is_empty() {
        out.push(b',');
    }
    escape_into(out, json);
}

/// The whole script, as the parts to write one after the other: each of `chunks` holds
/// documents made by [`push_doc`]. A province's index is tens of megabytes, made a chunk
/// at a time in parallel and never copied into one buffer.
pub fn script_parts(chunks: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let mut parts = vec![HEAD.to_vec()];
    for c in chunks.into_iter().filter(|c| !c.is_empty()) {
        if parts.len() > 1 {
            parts.push(b",".to_vec());
        }
        parts.push(c);
    }
    parts.push(TAIL.to_vec());
    parts
}

/// The whole script of `docs`, in one string.
#[cfg(test)]
fn script(docs: &[Doc]) -> String {
    let (mut out, mut json) = (Vec::new(), Vec::new());
    for d in docs {
        push_doc(&mut out, &mut json, d);
    }
    // Only ASCII was put in place of whole characters: still UTF-8.
    String::from_utf8(script_parts(vec![out]).concat()).unwrap_or_default()
}

/// Copies `json` to `out` with the script escapes, a run of bytes at a time: U+2028 and
/// U+2029 are E2 80 A8 and E2 80 A9 in UTF-8, and no other character starts E2 80 A8/A9.
fn escape_into(out: &mut Vec<u8>, json: &[u8]) {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cannot_break_out_of_a_script() {
        let d = Doc {
            t: "</script><script>alert(1)</script>",
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
            t: "党支部\u{2027}\u{202A}…“五好”",
            u: "2026/branch/党.html".into(),
            k: "branch",
            y: 2026,
            s: "\u{2029}末".into(),
        };
        let js = script(&[d]);
        assert!(js.contains("党支部\u{2027}\u{202A}…“五好”"), "{js}");
        assert!(js.contains("\\u2029末"), "{js}");
    }

    #[test]
    fn chunks_give_the_script_of_all_documents() {
        let docs: Vec<Doc> = (0..7)
            .map(|i| Doc {
                t: "支部",
                u: format!("2026/branch/b{i}.html"),
                k: "branch",
                y: 2026,
                s: format!("第 {i} 个 <b>&\u{2028}"),
            })
            .collect();
        let whole = script(&docs);
        // Chunks of 0, 3, 0 and 4 documents.
        let mut chunks = vec![Vec::new(), Vec::new(), Vec::new(), Vec::new()];
        let mut json = Vec::new();
        for (i, d) in docs.iter().enumerate() {
            push_doc(&mut chunks[if i < 3 { 1 } else { 3 }], &mut json, d);
        }
        assert_eq!(script_parts(chunks).concat(), whole.as_bytes());
        assert_eq!(
            String::from_utf8(script_parts(Vec::new()).concat()).unwrap(),
            "window.DANGJIAN_SEARCH = {\"docs\":[]};\n"
        );
        let v: serde_json::Value = serde_json::from_str(
            whole
                .trim_start_matches("window.DANGJIAN_SEARCH = ")
                .trim_end()
                .trim_end_matches(';'),
        )
        .unwrap();
        assert_eq!(v["docs"].as_array().unwrap().len(), 7);
        assert_eq!(v["docs"][6]["s"], "第 6 个 <b>&\u{2028}");
    }
}
