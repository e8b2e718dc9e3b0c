//! Horizontal bar chart: grade counts, dimension points against their maximum, and the like.
//! Every bar carries its label on the left and its printed value on the right (direct labels),
//! so no legend and no colour is needed to read it.

use super::*;
use std::fmt::Write as _;

/// Fill style of a bar. Each tone differs in lightness *and* (for `Hatched`) in texture,
/// so the chart reads in grayscale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tone {
    /// Solid accent red (default; e.g. "this branch", the best grade).
    #[default]
    Accent,
    /// Solid dark grey.
    Neutral,
    /// Light grey with a dark outline.
    Light,
    /// Diagonal hatching (e.g. the weakest grade, vetoed).
    Hatched,
}

/// One bar.
#[derive(Debug, Clone, Copy)]
pub struct Bar<'a> {
    pub label: &'a str,
    /// Length of the bar in scale units.
    pub value: f64,
    /// Optional per-bar maximum drawn as a track behind the bar (e.g. a dimension's full marks).
    pub max: Option<f64>,
    /// Printed value, e.g. "17.5 / 20" or "12 个（40.0%）".
    pub value_text: &'a str,
    pub tone: Tone,
}

/// A horizontal bar chart.
#[derive(Debug, Clone, Copy)]
pub struct BarChart<'a> {
    /// Id prefix, unique on the page.
    pub id_prefix: &'a str,
    pub title: &'a str,
    /// Optional sentence put before the values in `<desc>` (e.g. "各等次支部数量及占比").
    pub summary: Option<&'a str>,
    pub bars: &'a [Bar<'a>],
    /// Full length of the axis in scale units. `None`: the largest `max` or `value`.
    pub scale: Option<f64>,
}

const W: f64 = 600.0;
const ROW: f64 = 30.0;
const BAR_H: f64 = 16.0;
const LABEL_SIZE: f64 = 13.0;
const VALUE_SIZE: f64 = 12.5;

/// Render a horizontal bar chart as an `<svg>` string.
pub fn bar_chart(c: &BarChart<'_>) -> Result<String, ChartError> {
    if c.bars.is_empty() {
        return Err(ChartError::Empty);
    }
    let id = id_prefix(c.id_prefix);
    let scale = c
        .scale
        .filter(|s| s.is_finite() && *s > 0.0)
        .unwrap_or_else(|| {
            c.bars
                .iter()
                .map(|b| b.max.unwrap_or(0.0).max(b.value))
                .filter(|v| v.is_finite())
                .fold(0.0, f64::max)
        });
    let scale = if scale > 0.0 { scale } else { 1.0 };

    // Labels longer than 12 em are wrapped onto two lines (the row is tall enough).
    let labels: Vec<Vec<String>> = c.bars.iter().map(|b| wrap_label(b.label, 12.0)).collect();
    let label_w = labels
        .iter()
        .flat_map(|l| l.iter())
        .map(|l| text_width(l, LABEL_SIZE))
        .fold(0.0, f64::max)
        .min(12.0 * LABEL_SIZE)
        + 12.0;
    let value_w = c
        .bars
        .iter()
        .map(|b| text_width(b.value_text, VALUE_SIZE))
        .fold(0.0, f64::max)
        + 10.0;
    let x0 = 8.0 + label_w;
    let bar_area = (W - x0 - value_w - 8.0).max(80.0);
    let top = 8.0;
    let h = top + ROW * c.bars.len() as f64 + 8.0;

    let mut desc = String::new();
    desc.push_str(c.summary.unwrap_or("条形图"));
    desc.push('：');
    desc.push_str(
        &c.bars
            .iter()
            .map(|b| format!("{} {}", b.label, b.value_text))
            .collect::<Vec<_>>()
            .join("；"),
    );
    desc.push('。');

    let mut out = String::with_capacity(2048);
    svg_open(&mut out, &id, W, h, c.title, &desc, "chart-bars");
    if c.bars.iter().any(|b| b.tone == Tone::Hatched) {
        let _ = writeln!(
            out,
            "<defs><pattern id=\"{id}-hatch\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" patternTransform=\"rotate(45)\">\
             <rect width=\"6\" height=\"6\" fill=\"#ffffff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"{REF_STROKE}\" stroke-width=\"3\"/></pattern></defs>"
        );
    }
    out.push_str("<g aria-hidden=\"true\">\n");
    // Baseline.
    let _ = writeln!(
        out,
        "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{REF_STROKE}\" stroke-width=\"1\"/>",
        fmt_coord(top),
        fmt_coord(h - 8.0),
        x = fmt_coord(x0)
    );
    for (i, (b, lines)) in c.bars.iter().zip(&labels).enumerate() {
        let yc = top + ROW * i as f64 + ROW / 2.0;
        let by = yc - BAR_H / 2.0;
        let len = |v: f64| bar_area * clamp(v / scale, 0.0, 1.0);
        let bw = len(b.value);
        let mut end = bw;
        if let Some(m) = b.max {
            let tw = len(m);
            end = end.max(tw);
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{TRACK}\" stroke=\"{GRID}\" stroke-width=\"1\"/>",
                fmt_coord(x0),
                fmt_coord(by),
                fmt_coord(tw),
                fmt_coord(BAR_H)
            );
        }
        let (fill, stroke) = match b.tone {
            Tone::Accent => (ACCENT.to_string(), "none".to_string()),
            Tone::Neutral => (REF_STROKE.to_string(), "none".to_string()),
            Tone::Light => ("#d9d9d9".to_string(), REF_STROKE.to_string()),
            Tone::Hatched => (format!("url(#{id}-hatch)"), REF_STROKE.to_string()),
        };
        if bw > 0.0 {
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1\"/>",
                fmt_coord(x0),
                fmt_coord(by),
                fmt_coord(bw),
                fmt_coord(BAR_H)
            );
        }
        let n = lines.len() as f64;
        for (k, l) in lines.iter().enumerate() {
            let ly = yc + 4.5 - (n - 1.0) * 7.0 + k as f64 * 14.0;
            let size = if n > 1.0 { 11.5 } else { LABEL_SIZE };
            text(&mut out, x0 - 8.0, ly, size, "end", TEXT, "", l);
        }
        text(
            &mut out,
            x0 + end + 6.0,
            yc + 4.5,
            VALUE_SIZE,
            "start",
            TEXT,
            "",
            b.value_text,
        );
    }
    out.push_str("</g>\n</svg>\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use super::*;

    #[test]
    fn grade_counts() {
        let bars = [
            Bar {
                label: "好",
                value: 12.0,
                max: None,
                value_text: "12 个（40.0%）",
                tone: Tone::Accent,
            },
            Bar {
                label: "较好",
                value: 10.0,
                max: None,
                value_text: "10 个（33.3%）",
                tone: Tone::Neutral,
            },
            Bar {
                label: "一般",
                value: 6.0,
                max: None,
                value_text: "6 个（20.0%）",
                tone: Tone::Light,
            },
            Bar {
                label: "差",
                value: 2.0,
                max: None,
                value_text: "2 个（6.7%）",
                tone: Tone::Hatched,
            },
        ];
        let c = BarChart {
            id_prefix: "grades-2024",
            title: "等次分布",
            summary: Some("2024 年各等次支部数量及占比"),
            bars: &bars,
            scale: None,
        };
        let svg = bar_chart(&c).unwrap();
        assert_common(&svg, "grades-2024");
        assert!(svg.contains("url(#grades-2024-hatch)"));
        assert!(svg.contains("差 2 个（6.7%）"));
        assert_eq!(svg, bar_chart(&c).unwrap());
    }

    #[test]
    fn tracks_and_escaping() {
        let bars = [
            Bar {
                label: "A&B <维度>",
                value: 17.5,
                max: Some(20.0),
                value_text: "17.5 / 20",
                tone: Tone::Accent,
            },
            Bar {
                label: "一个非常非常非常长的维度名称需要换行显示",
                value: 30.0,
                max: Some(25.0),
                value_text: "30 / 25",
                tone: Tone::Accent,
            },
            Bar {
                label: "零",
                value: 0.0,
                max: Some(10.0),
                value_text: "0 / 10",
                tone: Tone::Accent,
            },
            Bar {
                label: "坏数",
                value: f64::NAN,
                max: Some(f64::INFINITY),
                value_text: "—",
                tone: Tone::Accent,
            },
        ];
        let c = BarChart {
            id_prefix: "dims",
            title: "各维度得分",
            summary: None,
            bars: &bars,
            scale: None,
        };
        let svg = bar_chart(&c).unwrap();
        assert_common(&svg, "dims");
        assert!(svg.contains("A&amp;B &lt;维度&gt;"));
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
        assert!(!svg.contains("-hatch"));
        assert_eq!(
            bar_chart(&BarChart { bars: &[], ..c }),
            Err(ChartError::Empty)
        );
    }
}
