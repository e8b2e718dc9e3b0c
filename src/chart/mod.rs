//! SVG charts written by our own code: radar (dimensions), horizontal bars, histogram.
//!
//! Rules every chart follows:
//! - pure functions: data in, `String` (a complete `<svg>` element) out; no I/O, no randomness;
//! - numbers *printed* on a chart arrive preformatted as `&str` (so HTML, PDF and chart agree
//!   to the last digit); `f64` is used for geometry only;
//! - every label goes through [`escape_xml`];
//! - `role="img"`, `<title>` and `<desc>` in Chinese with the actual numbers, referenced by
//!   `aria-labelledby`; all ids derive from a caller-provided prefix (see [`id_prefix`]);
//! - `viewBox` only (no fixed width/height), so the SVG scales to its container;
//! - an explicit font family naming concrete CJK fonts on the root element, which every
//!   `<text>` inherits (Typst/usvg do not resolve generic families; both resolve inherited
//!   ones, and a radar is drawn on every branch page, so it is not repeated on each text);
//! - series are distinguished by line style, marker shape, hatching or direct labels, never by
//!   colour alone, so charts survive grayscale printing.

pub mod bars;
pub mod histogram;
pub mod radar;

pub use bars::{Bar, BarChart, Tone, bar_chart};
pub use histogram::{HistBin, HistMarker, Histogram, histogram};
pub use radar::{RadarAxis, RadarChart, radar_chart};

use std::fmt;
use std::fmt::Write as _;

/// Font stack of every chart, on its root element. Concrete families first; the generic one
/// last.
pub const FONT_FAMILY: &str =
    "'Noto Sans SC', 'Source Han Sans SC', 'Noto Sans CJK SC', sans-serif";

/// Smallest text any chart draws, in user units of its `viewBox` (every chart is 600
/// units wide). Printed, a chart's text is this × its printed width ÷ 600.
pub const MIN_TEXT_SIZE: f64 = 11.0;
/// The narrowest a chart may be printed for its smallest text to stay at 6 pt or more on
/// paper: 600 × 6 ÷ 11 ≈ 327 pt. The Typst templates print charts at 340 pt or wider
/// (`themes/default/typst/`, checked on the PDFs by `tests/pdf_print.rs`).
pub const MIN_PRINT_WIDTH_PT: f64 = 600.0 * 6.0 / MIN_TEXT_SIZE;

/// Palette. Dark enough for WCAG AA text contrast on white; distinguishable in grayscale
/// by lightness (accent ~ 30% luminance, reference grey ~ 35%, track ~ 90%).
pub(crate) const ACCENT: &str = "#b3261e"; // restrained Party-building red
pub(crate) const REF_STROKE: &str = "#4a4a4a";
pub(crate) const GRID: &str = "#c8c8c8";
pub(crate) const TEXT: &str = "#1f1f1f";
pub(crate) const MUTED_TEXT: &str = "#555555";
pub(crate) const TRACK: &str = "#ececec";

/// Errors a chart can refuse with. Rendering code should fall back to a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChartError {
    /// A radar needs 3..=8 axes.
    AxisCount(usize),
    /// Nothing to draw (no bars, no bins).
    Empty,
    /// Bins are not contiguous and ascending (`index` is the first offending bin).
    BadBins { index: usize },
}

impl fmt::Display for ChartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChartError::AxisCount(n) => write!(f, "雷达图需要 3 至 8 个维度，实际为 {n} 个"),
            ChartError::Empty => write!(f, "图表没有数据"),
            ChartError::BadBins { index } => {
                write!(f, "直方图分组不连续或未按升序排列（第 {} 组）", index + 1)
            }
        }
    }
}

impl std::error::Error for ChartError {}

/// Escape text for XML element content and double- or single-quoted attribute values.
/// Characters XML 1.0 forbids (C0 controls other than tab/LF/CR, U+FFFE, U+FFFF) are dropped;
/// tab/LF/CR become spaces (labels are single-line).
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_xml_into(&mut out, s);
    out
}

/// [`escape_xml`] appended to `out`. Text without a control character or U+FFFE/U+FFFF
/// (nearly all of it) is escaped straight into `out`, not first copied character by
/// character: a radar with its labels is drawn on every branch page (with the coordinates'
/// digits pushed without a UTF-8 check, the radar's share of the 1,000-branch two-year
/// build went from 0.15 G to 0.06 G instructions, callgrind).
pub fn escape_xml_into(out: &mut String, s: &str) {
    if !needs_cleaning(s.as_bytes()) {
        crate::escape::html_into(out, s);
        return;
    }
    let cleaned: String = s
        .chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            c if (c as u32) < 0x20 => None,
            '\u{FFFE}' | '\u{FFFF}' => None,
            c => Some(c),
        })
        .collect();
    crate::escape::html_into(out, &cleaned);
}

/// Whether `s` has a C0 control character or U+FFFE/U+FFFF (`EF BF BE`, `EF BF BF`): a
/// test of every byte without a branch (the compiler makes it vector code), and the two
/// characters searched for only after a `\u{FFFE}`-like lead pair `EF BF` is found.
fn needs_cleaning(s: &[u8]) -> bool {
    let control = s
        .iter()
        .map(|&b| u8::from(b < 0x20))
        .fold(0, |any, x| any | x);
    control != 0
        || memchr::memmem::find_iter(s, b"\xEF\xBF")
            .any(|i| matches!(s.get(i + 2), Some(0xBE | 0xBF)))
}

/// Turn a caller prefix into a safe XML id prefix: ASCII letters, digits, `-`, `_` kept,
/// anything else replaced by `_`; a leading non-letter gets `c` in front; empty becomes `chart`.
/// Two different charts on one page need two different prefixes (e.g. `radar-b0123`).
pub fn id_prefix(prefix: &str) -> String {
    let mut out: String = prefix
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() {
        out.push_str("chart");
    } else if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert(0, 'c');
    }
    out
}

/// A geometry coordinate as printed: at most 2 decimals, trailing zeros trimmed, no `-0`,
/// non-finite values as `0`. Used only for positions, never for printed numbers. Written
/// straight into the SVG (`write!`), as every point of every chart on every page is one.
#[derive(Debug, Clone, Copy)]
pub struct Coord(f64);

pub fn fmt_coord(v: f64) -> Coord {
    Coord(v)
}

impl fmt::Display for Coord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        push_coord(&mut s, self.0);
        f.write_str(&s)
    }
}

/// Appends `v` as [`fmt_coord`] prints it. Charts write every point through here: digits
/// are made by hand because float formatting (and `write!` itself) is slow, and a radar is
/// drawn on every branch page.
pub fn push_coord(out: &mut String, v: f64) {
    if !v.is_finite() {
        out.push('0');
        return;
    }
    // In hundredths as an integer.
    let h = (v * 100.0).round();
    if h.abs() >= 1e15 {
        let _ = write!(out, "{}", h / 100.0);
        return;
    }
    let h = h as i64;
    let (whole, frac) = (h.unsigned_abs() / 100, h.unsigned_abs() % 100);
    if h < 0 {
        out.push('-');
    }
    crate::decimal::push_uint(out, whole);
    if frac != 0 {
        out.push('.');
        out.push(char::from(b'0' + (frac / 10) as u8));
        if frac % 10 != 0 {
            out.push(char::from(b'0' + (frac % 10) as u8));
        }
    }
}

/// Appends ` name="v"` with `v` as a coordinate.
pub(crate) fn attr_coord(out: &mut String, name: &str, v: f64) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    push_coord(out, v);
    out.push('"');
}

/// Clamp to `[lo, hi]`, treating NaN as `lo`.
pub(crate) fn clamp(v: f64, lo: f64, hi: f64) -> f64 {
    if v.is_nan() { lo } else { v.max(lo).min(hi) }
}

/// Rough advance width of `s` at `font_size` px: CJK and full-width ≈ 1 em, others ≈ 0.55 em.
/// Good enough for layout decisions (label column width, wrapping); never exact.
pub fn text_width(s: &str, font_size: f64) -> f64 {
    s.chars()
        .map(|c| {
            if is_wide(c) {
                1.0
            } else if c == ' ' {
                0.3
            } else {
                0.58
            }
        })
        .sum::<f64>()
        * font_size
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF |
        0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// Split a label into at most two balanced lines of at most `max_em` ems each (no orphan
/// single character on the second line). Overlong labels are cut with "…" on the second line;
/// the full label always stays in `<title>`/`<desc>`.
pub(crate) fn wrap_label(s: &str, max_em: f64) -> Vec<String> {
    let em = |c: char| if is_wide(c) { 1.0 } else { 0.58 };
    let total: f64 = s.chars().map(em).sum();
    if total <= max_em {
        return vec![s.to_string()];
    }
    let target = (total / 2.0).min(max_em);
    let chars: Vec<char> = s.chars().collect();
    let mut split = 0;
    let mut w1 = 0.0;
    while split < chars.len()
        && (split == 0
            || (w1 + em(chars[split]) <= target + 0.5 && w1 + em(chars[split]) <= max_em))
    {
        w1 += em(chars[split]);
        split += 1;
    }
    let first: String = chars[..split].iter().collect();
    let rest = &chars[split..];
    let mut second = String::new();
    if rest.iter().map(|&c| em(c)).sum::<f64>() <= max_em {
        second.extend(rest);
    } else {
        let mut w2 = 0.0;
        for &c in rest {
            if w2 + em(c) > max_em - 1.0 {
                break;
            }
            second.push(c);
            w2 += em(c);
        }
        second.push('…');
    }
    vec![first, second]
}

/// Deterministic sine and cosine (Taylor series on basic IEEE operations only), so chart
/// geometry never depends on the platform's libm. Accurate to ~1e-12 on [-2π, 2π].
pub(crate) fn sin_cos(x: f64) -> (f64, f64) {
    const PI: f64 = std::f64::consts::PI;
    // Reduce to [-π, π].
    let mut a = x % (2.0 * PI);
    if a > PI {
        a -= 2.0 * PI;
    } else if a < -PI {
        a += 2.0 * PI;
    }
    let (mut s, mut c) = (0.0, 0.0);
    let (mut ts, mut tc) = (a, 1.0);
    for n in 0..30 {
        s += ts;
        c += tc;
        let k = 2.0 * n as f64;
        ts *= -a * a / ((k + 2.0) * (k + 3.0));
        tc *= -a * a / ((k + 1.0) * (k + 2.0));
    }
    (s, c)
}

/// Opening `<svg>` element with the common accessibility and font attributes, plus title/desc.
pub(crate) fn svg_open(
    out: &mut String,
    id: &str,
    w: f64,
    h: f64,
    title: &str,
    desc: &str,
    class: &str,
) {
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart {class}\" viewBox=\"0 0 {} {}\" \
         role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"{FONT_FAMILY}\" \
         preserveAspectRatio=\"xMidYMid meet\">",
        fmt_coord(w),
        fmt_coord(h)
    );
    for (tag, suffix, text) in [("title", "title", title), ("desc", "desc", desc)] {
        let _ = write!(out, "<{tag} id=\"{id}-{suffix}\">");
        escape_xml_into(out, text);
        let _ = writeln!(out, "</{tag}>");
    }
}

/// A `<text>` element; its font family is inherited from the `<svg>`. `anchor`: start |
/// middle | end (start, SVG's default, is not written); `fill` is not written when empty
/// (inherited). `extra` is raw attribute text we build ourselves (never user input).
#[allow(clippy::too_many_arguments)]
pub(crate) fn text(
    out: &mut String,
    x: f64,
    y: f64,
    size: f64,
    anchor: &str,
    fill: &str,
    extra: &str,
    content: &str,
) {
    TextTag {
        x,
        y,
        size,
        anchor,
        fill,
        extra,
    }
    .open(out);
    escape_xml_into(out, content);
    out.push_str("</text>\n");
}

/// The opening tag of a [`text`] element, for text made of several `<tspan>`s.
pub(crate) struct TextTag<'a> {
    pub x: f64,
    pub y: f64,
    pub size: f64,
    pub anchor: &'a str,
    pub fill: &'a str,
    pub extra: &'a str,
}

impl TextTag<'_> {
    pub fn open(&self, out: &mut String) {
        debug_assert!(
            self.size >= MIN_TEXT_SIZE,
            "chart text below the print minimum"
        );
        out.push_str("<text");
        attr_coord(out, "x", self.x);
        attr_coord(out, "y", self.y);
        attr_coord(out, "font-size", self.size);
        if self.anchor != "start" {
            out.push_str(" text-anchor=\"");
            out.push_str(self.anchor);
            out.push('"');
        }
        if !self.fill.is_empty() {
            out.push_str(" fill=\"");
            out.push_str(self.fill);
            out.push('"');
        }
        out.push_str(self.extra);
        out.push('>');
    }
}

#[cfg(test)]
pub(crate) mod test_util {
    /// Parse with a real XML parser; panics with the SVG on failure.
    pub fn assert_well_formed(svg: &str) -> roxmltree::Document<'_> {
        match roxmltree::Document::parse(svg) {
            Ok(d) => d,
            Err(e) => panic!("not well-formed XML: {e}\n{svg}"),
        }
    }

    /// Common checks for every chart.
    pub fn assert_common(svg: &str, prefix: &str) {
        let doc = assert_well_formed(svg);
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(root.attribute("role"), Some("img"));
        assert!(root.attribute("viewBox").is_some());
        assert!(
            root.attribute("width").is_none(),
            "fixed width breaks responsiveness"
        );
        let title = root
            .children()
            .find(|n| n.has_tag_name("title"))
            .expect("title");
        assert_eq!(
            title.attribute("id"),
            Some(format!("{prefix}-title").as_str())
        );
        assert!(root.children().any(|n| n.has_tag_name("desc")));
        for t in root.descendants().filter(|n| n.has_tag_name("text")) {
            // The nearest font family, on the text or inherited from an ancestor.
            let ff = t
                .ancestors()
                .find_map(|n| n.attribute("font-family"))
                .expect("a font family for every <text>");
            assert!(ff.contains("Noto Sans SC"), "{ff}");
            // Big enough to print at 6 pt or more (`MIN_PRINT_WIDTH_PT`).
            let size: f64 = t
                .attribute("font-size")
                .expect("a font size")
                .parse()
                .unwrap();
            assert!(size >= super::MIN_TEXT_SIZE, "font-size {size}");
        }
        let vb = root.attribute("viewBox").unwrap_or_default();
        assert!(
            vb.starts_with("0 0 600 "),
            "every chart is 600 units wide: {vb}"
        );
        // All ids carry the prefix and are unique.
        let mut ids: Vec<&str> = root
            .descendants()
            .filter_map(|n| n.attribute("id"))
            .collect();
        for id in &ids {
            assert!(id.starts_with(prefix), "id {id} lacks prefix {prefix}");
        }
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(n, ids.len(), "duplicate ids");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_dangerous() {
        assert_eq!(
            escape_xml("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(escape_xml("党建\u{0}\u{8}工作\n"), "党建工作 ");
        assert_eq!(escape_xml("𠀾字"), "𠀾字");
        // Only U+FFFE and U+FFFF go; their neighbours (`EF BF AE`, `EF BC 8C`) stay.
        assert_eq!(
            escape_xml("a\u{FFFE}b\u{FFFF}c\u{FFEE}，\t"),
            "abc\u{FFEE}， "
        );
        let mut out = String::from("<t>");
        escape_xml_into(&mut out, "各维度\r<得分>");
        assert_eq!(out, "<t>各维度 &lt;得分&gt;");
    }

    #[test]
    fn id_prefix_is_safe() {
        assert_eq!(id_prefix("radar-b01"), "radar-b01");
        assert_eq!(id_prefix("第一支部"), "c____");
        assert_eq!(id_prefix(""), "chart");
        assert_eq!(id_prefix("a\"><script>"), "a___script_");
    }

    #[test]
    fn coords_print_like_float_formatting_rounded_to_hundredths() {
        for k in -200_000..200_000i64 {
            let v = k as f64 / 1000.0 + 0.000_1;
            let h = (v * 100.0).round() / 100.0;
            let want = if h == 0.0 {
                "0".to_string()
            } else {
                format!("{h}")
            };
            assert_eq!(fmt_coord(v).to_string(), want, "{v}");
        }
        let mut s = String::new();
        attr_coord(&mut s, "x", 12.345);
        assert_eq!(s, " x=\"12.35\"");
    }

    #[test]
    fn coords() {
        assert_eq!(fmt_coord(1.0).to_string(), "1");
        assert_eq!(fmt_coord(1.005_1).to_string(), "1.01");
        assert_eq!(fmt_coord(-0.001).to_string(), "0");
        assert_eq!(fmt_coord(f64::NAN).to_string(), "0");
        assert_eq!(fmt_coord(12.5).to_string(), "12.5");
    }

    #[test]
    fn sin_cos_matches_std() {
        for i in -40..=40 {
            let x = i as f64 * 0.157;
            let (s, c) = sin_cos(x);
            assert!((s - x.sin()).abs() < 1e-10, "{x}");
            assert!((c - x.cos()).abs() < 1e-10, "{x}");
        }
    }

    #[test]
    fn wraps_long_labels() {
        assert_eq!(wrap_label("组织建设", 6.0), vec!["组织建设"]);
        assert_eq!(
            wrap_label("党员教育管理与监督", 6.0),
            vec!["党员教育管", "理与监督"]
        );
        assert_eq!(
            wrap_label("作用发挥与群众工作", 7.0),
            vec!["作用发挥与", "群众工作"]
        );
        let l = wrap_label("一二三四五六七八九十一二三四五", 6.0);
        assert_eq!(l.len(), 2);
        assert!(l[1].ends_with('…'));
    }
}
