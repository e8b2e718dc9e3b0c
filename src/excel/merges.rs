//! The merged ranges of an .xlsx's sheets, found by inflating each sheet's XML once more and
//! scanning its bytes for `<mergeCell ref="A8:A9"/>`: calamine finds them by parsing the
//! whole sheet a second time as XML events, which cost a district's import more than
//! reading its cells.

use std::collections::HashMap;
use std::io::{Read, Seek};

use memchr::memmem;

type Zip<R> = zip::ZipArchive<R>;

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The value of `name="…"` in one tag's text (any namespace prefix before `name`).
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut from = 0;
    while let Some(i) = tag[from..].find(name) {
        let at = from + i;
        let before = tag[..at].chars().last();
        let rest = &tag[at + name.len()..];
        if matches!(before, Some(' ' | ':' | '\t' | '\n' | '\r'))
            && let Some(v) = rest.strip_prefix("=\"")
        {
            return v.find('"').map(|end| &v[..end]);
        }
        from = at + name.len();
    }
    None
}

/// The tags `<local …>` of an XML text (with or without a namespace prefix).
fn tags<'a>(xml: &'a str, local: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    xml.split('<').filter_map(move |t| {
        let name_end = t.find([' ', '/', '>']).unwrap_or(t.len());
        let name = &t[..name_end];
        let bare = name.rsplit(':').next().unwrap_or(name);
        (bare == local).then(|| t.split('>').next().unwrap_or(t))
    })
}

fn read_entry<R: Read + Seek>(zip: &mut Zip<R>, name: &str, limit: u64) -> Option<String> {
    let entry = zip.by_name(name).ok()?;
    let mut s = String::new();
    entry.take(limit).read_to_string(&mut s).ok()?;
    Some(s)
}

/// Sheet name → the sheet's XML file in the zip.
pub fn sheet_files<R: Read + Seek>(zip: &mut Zip<R>) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let (Some(book), Some(rels)) = (
        read_entry(zip, "xl/workbook.xml", 16 << 20),
        read_entry(zip, "xl/_rels/workbook.xml.rels", 16 << 20),
    ) else {
        return out;
    };
    let targets: HashMap<&str, &str> = tags(&rels, "Relationship")
        .filter_map(|t| Some((attr(t, "Id")?, attr(t, "Target")?)))
        .collect();
    for t in tags(&book, "sheet") {
        let (Some(name), Some(id)) = (attr(t, "name"), attr(t, "id")) else {
            continue;
        };
        if let Some(target) = targets.get(id) {
            let path = match target.strip_prefix('/') {
                Some(abs) => abs.to_string(),
                None => format!("xl/{target}"),
            };
            out.insert(unescape(name), path);
        }
    }
    out
}

/// `AB12` → 0-based (row, column).
fn cell(a1: &str) -> Option<(u32, u32)> {
    let a1 = a1.replace('$', "");
    let split = a1.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = a1.split_at(split);
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut col = 0u32;
    for b in letters.bytes() {
        col = col * 26 + u32::from(b.to_ascii_uppercase().checked_sub(b'A')? + 1);
    }
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

/// The merged ranges of one sheet: (first row, first column, last row, last column).
pub fn merged<R: Read + Seek>(zip: &mut Zip<R>, file: &str) -> Vec<(u32, u32, u32, u32)> {
    let Ok(mut entry) = zip.by_name(file) else {
        return Vec::new();
    };
    let finder = memmem::Finder::new(b"mergeCell ");
    let mut out = Vec::new();
    // Chunks with an overlap long enough for a whole `<mergeCell ref="…"/>` tag.
    const CHUNK: usize = 1 << 20;
    const OVERLAP: usize = 256;
    let mut buf = vec![0u8; CHUNK + OVERLAP];
    let mut kept = 0usize;
    loop {
        let n = match entry.read(&mut buf[kept..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let end = kept + n;
        let hay = &buf[..end];
        for at in finder.find_iter(hay) {
            // A tag cut by the chunk's end is whole in the next chunk (the overlap); one
            // seen in both is kept once.
            let tag_end = hay[at..].iter().position(|&b| b == b'>').map(|e| at + e);
            let Some(tag_end) = tag_end else { continue };
            let tag = String::from_utf8_lossy(&hay[at..tag_end]);
            if let Some(r) = attr(&tag, "ref")
                && let Some((a, b)) = r.split_once(':')
                && let (Some(a), Some(b)) = (cell(a), cell(b))
                && !out.contains(&(a.0, a.1, b.0, b.1))
            {
                out.push((a.0, a.1, b.0, b.1));
            }
        }
        if end > OVERLAP {
            buf.copy_within(end - OVERLAP..end, 0);
            kept = OVERLAP;
        } else {
            kept = end;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_tags_and_cells() {
        let t = r#"sheet name="会议 &amp; 其他" sheetId="4" r:id="rId4"/"#;
        assert_eq!(attr(t, "name"), Some("会议 &amp; 其他"));
        assert_eq!(attr(t, "id"), Some("rId4"));
        assert_eq!(attr(t, "Id"), None);
        let xml =
            r#"<sheets><sheet name="a" r:id="rId1"/><x:sheet name="b" r:id="rId2"/></sheets>"#;
        assert_eq!(tags(xml, "sheet").count(), 2);
        assert_eq!(cell("A8"), Some((7, 0)));
        assert_eq!(cell("$AB$12"), Some((11, 27)));
        assert_eq!(cell("12"), None);
    }
}
