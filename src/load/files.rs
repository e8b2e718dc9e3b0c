//! Reading one file as text, with the limits and encodings the contract allows.

use std::io::Read;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Pos};

/// Largest file read; records are a few kilobytes, so anything bigger is a mistake or an
/// attack, refused before it is read.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// UTF-8 text with a leading BOM removed and CRLF line ends turned into LF.
pub fn read_text(root: &Path, rel: &str, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let cannot =
        |e: std::io::Error| Diagnostic::error(rel, Pos::START, format!("无法读取文件：{e}"));
    // One open, one fstat, the reads: symbolic links under content/ were already refused by
    // the walk, so the file is opened directly.
    let mut file = match std::fs::File::open(root.join(rel)) {
        Ok(f) => f,
        Err(e) => {
            diags.push(cannot(e));
            return None;
        }
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > MAX_FILE_BYTES {
        diags.push(
            Diagnostic::error(
                rel,
                Pos::START,
                format!("文件过大（{len} 字节，上限 {MAX_FILE_BYTES} 字节）"),
            )
            .with_hint("一个支部的记录不会这么大；检查是否放错了文件"),
        );
        return None;
    }
    let mut bytes = Vec::with_capacity(len as usize + 1);
    // `take` guards against a file that grows while it is read.
    if let Err(e) = (&mut file).take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes) {
        diags.push(cannot(e));
        return None;
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        diags.push(Diagnostic::error(
            rel,
            Pos::START,
            format!("文件过大（上限 {MAX_FILE_BYTES} 字节）"),
        ));
        return None;
    }
    decode(rel, bytes, diags)
}

pub fn decode(rel: &str, bytes: Vec<u8>, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            diags.push(
                Diagnostic::error(
                    rel,
                    crate::diagnostics::Pos::at(&prefix, prefix.len()),
                    "文件不是 UTF-8 编码",
                )
                .with_hint("用 UTF-8 编码另存此文件（GBK/GB18030 编码的文件需要转换）"),
            );
            return None;
        }
    };
    // The text read is handed on as it is unless it has a BOM or a CR (no copy of every
    // file: 2 % of `check`'s instructions went to copying texts that needed nothing).
    let mut text = text;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        text = text.replace("\r\n", "\n");
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_crlf_and_bad_utf8() {
        let mut d = Vec::new();
        assert_eq!(
            decode("a", "\u{feff}a: 1\r\nb: 2\r\n".as_bytes().to_vec(), &mut d).as_deref(),
            Some("a: 1\nb: 2\n")
        );
        let mut bytes = "name: 好\nx: ".as_bytes().to_vec();
        bytes.extend([0xC4, 0xE3]);
        assert_eq!(decode("a", bytes, &mut d), None);
        assert_eq!(d[0].pos, Pos::new(2, 4));
    }
}
