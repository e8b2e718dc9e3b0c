//! Glyph coverage of the vendored fonts: which characters the PDF can draw.
//!
//! Typst draws a character no font has as an empty box (and refuses the document under
//! PDF/A). Before compiling, every string sent to the templates is checked against the
//! union of the fonts' character maps; an uncovered character is reported with its file,
//! line and code point and replaced by 〓 (U+3013 GETA MARK, the conventional placeholder
//! for a missing glyph in CJK typesetting).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The placeholder written instead of a character no font can draw.
pub const PLACEHOLDER: char = '\u{3013}';

/// The union of the character maps of a set of fonts.
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    chars: HashSet<u32>,
    /// Font files read, by name, with the XXH3-128 of their contents (for fingerprints).
    pub files: Vec<(String, u128)>,
}

impl Coverage {
    /// Reads every `.otf`, `.ttf`, `.otc` and `.ttc` file in `dir` (not recursive).
    pub fn load(dir: &Path) -> Result<Coverage, String> {
        let entries = std::fs::read_dir(dir)
            .map_err(|e| format!("无法读取字体文件夹 {}：{e}", dir.display()))?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                    matches!(
                        e.to_ascii_lowercase().as_str(),
                        "otf" | "ttf" | "otc" | "ttc"
                    )
                })
            })
            .collect();
        paths.sort();
        let mut cov = Coverage::default();
        for path in &paths {
            let data =
                std::fs::read(path).map_err(|e| format!("无法读取字体 {}：{e}", path.display()))?;
            // The contents' hash (for the PDFs' fingerprints) beside the character map.
            let (parsed, digest) = rayon::join(
                || cov.add_font_data(&data),
                || crate::render::reuse::fingerprint::digest(&data),
            );
            parsed.map_err(|e| format!("无法解析字体 {}：{e}", path.display()))?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            cov.files.push((name, digest));
        }
        if cov.files.is_empty() {
            return Err(format!(
                "字体文件夹 {} 中没有字体文件（.otf/.ttf）",
                dir.display()
            ));
        }
        Ok(cov)
    }

    /// Adds the character map of a font file (every face of a collection).
    pub fn add_font_data(&mut self, data: &[u8]) -> Result<(), String> {
        let faces = ttf_parser::fonts_in_collection(data).unwrap_or(1);
        for index in 0..faces {
            let face = ttf_parser::Face::parse(data, index).map_err(|e| e.to_string())?;
            let Some(cmap) = face.tables().cmap else {
                continue;
            };
            for sub in cmap.subtables {
                if !sub.is_unicode() {
                    continue;
                }
                sub.codepoints(|c| {
                    if sub.glyph_index(c).is_some_and(|g| g.0 != 0) {
                        self.chars.insert(c);
                    }
                });
            }
        }
        Ok(())
    }

    /// Whether the fonts can draw `c`. White space, line ends, joiners and variation
    /// selectors are always fine: they are laid out or shape their neighbours, never drawn
    /// (`crate::invisible::not_drawn`).
    pub fn covers(&self, c: char) -> bool {
        crate::invisible::not_drawn(c) || self.chars.contains(&(c as u32))
    }

    /// Number of code points covered.
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// The characters of `s` the fonts cannot draw, in order, with their char index.
    pub fn uncovered(&self, s: &str) -> Vec<(usize, char)> {
        s.chars()
            .enumerate()
            .filter(|&(_, c)| !self.covers(c))
            .collect()
    }

    /// `s` with every uncovered character replaced by [`PLACEHOLDER`].
    pub fn replace_uncovered(&self, s: &str) -> String {
        s.chars()
            .map(|c| if self.covers(c) { c } else { PLACEHOLDER })
            .collect()
    }
}

/// `U+20000` style name of a code point.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vendored() -> Coverage {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/fonts");
        Coverage::load(&dir).expect("vendored fonts load")
    }

    #[test]
    fn vendored_fonts_cover_chinese_extension_b_and_emoji() {
        let cov = vendored();
        assert!(cov.len() > 45_000, "only {} code points", cov.len());
        assert_eq!(cov.files.len(), 5);
        // Extension B characters with a Mandarin reading (𪚥 zhé) or of a regional
        // standard (𠀾, HKSCS), and emoji, from the fallback fonts.
        for c in "党支部桥一居民区〓，。“”《》（）—…·ABCxyz0123456789%℃①㐀𠀾𪚥𠀀🎉😀✅".chars()
        {
            assert!(cov.covers(c), "{} should be covered", code_point(c));
        }
        // Joiners and variation selectors are never drawn on their own.
        for c in ['\u{200D}', '\u{FE0F}', '\u{E0100}', '\u{3000}'] {
            assert!(cov.covers(c), "{} should count as covered", code_point(c));
        }
        // Beyond the subset: an Extension B character without a Mandarin reading and
        // outside every regional standard, a Tangut character, a control.
        for c in ['\u{2A6DF}', '\u{17000}', '\u{7}'] {
            assert!(!cov.covers(c), "{} should not be covered", code_point(c));
        }
    }

    #[test]
    fn uncovered_characters_are_found_and_replaced() {
        let cov = vendored();
        let s = "张\u{17000}明\u{2A6DF}";
        assert_eq!(cov.uncovered(s), vec![(1, '\u{17000}'), (3, '\u{2A6DF}')]);
        assert_eq!(cov.replace_uncovered(s), "张〓明〓");
        assert_eq!(cov.replace_uncovered("全部可显示𪚥🎉"), "全部可显示𪚥🎉");
    }

    #[test]
    fn code_points_and_positions() {
        assert_eq!(code_point('𠀀'), "U+20000");
        assert_eq!(code_point('a'), "U+0061");
    }

    #[test]
    fn missing_folder_is_an_error() {
        let err = Coverage::load(Path::new("/nonexistent/fonts")).unwrap_err();
        assert!(err.contains("无法读取字体文件夹"), "{err}");
    }
}
