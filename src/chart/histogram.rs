//! Histogram of a score distribution (e.g. bins of 5 or 10 points from 0 to scale + bonus),
//! with dashed grade-boundary markers and an optional solid marker for one branch's score.
//! Counts are printed above each bar, so no number needs the axis to be read.

use super::*;
use std::fmt::Write as _;

/// One bin, conventionally `[lo, hi)` (the last one `[lo, hi]`); the caller decides and may
/// say so in `summary`.
#[derive(Debug, Clone, Copy)]
pub struct HistBin<'a> {
    pub lo: f64,
    pub hi: f64,
    /// Printed lower edge, e.g. "85".
    pub lo_text: &'a str,
    /// Printed upper edge, e.g. "90".
    pub hi_text: &'a str,
    pub count: u32,
}

/// A vertical marker at a score, e.g. a grade boundary ("好", at 90) or this branch.
#[derive(Debug, Clone, Copy)]
pub struct HistMarker<'a> {
    pub at: f64,
    /// Printed label, e.g. "好 ≥ 90" or "本支部 92.50".
    pub label: &'a str,
}

/// A histogram.
#[derive(Debug, Clone, Copy)]
pub struct Histogram<'a> {
    pub id_prefix: &'a str,
    pub title: &'a str,
    /// Sentence put first in `<desc>`, e.g. "2024 年 30 个支部总分分布，每组含下限不含上限".
    pub summary: Option<&'a str>,
    /// Contiguous ascending bins.
    pub bins: &'a [HistBin<'a>],
    /// Grade boundaries (dashed lines, labels on the upper row).
    pub markers: &'a [HistMarker<'a>],
    /// Optional branch score (solid accent line, label on the top row).
    pub highlight: Option<HistMarker<'a>>,
    /// X axis caption, e.g. "总分".
    pub x_label: &'a str,
    /// Word after each count in `<desc>`, e.g. "个支部".
    pub count_unit: &'a str,
}

const W: f64 = 600.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 18.0;
const TOP: f64 = 56.0;
const PLOT_H: f64 = 170.0;

/// Render a histogram as an `<svg>` string.
pub fn histogram(c: &Histogram<'_>) -> Result<String, ChartError> {
    if c.bins.is_empty() {
        return Err(ChartError::Empty);
    }
    for (i, b) in c.bins.iter().enumerate() {
        let bad = !(b.lo.is_finite() && b.hi.is_finite() && b.hi > b.lo)
            || (i > 0 && (b.lo - c.bins[i - 1].hi).abs() > 1e-9);
        if bad {
            return Err(ChartError::BadBins { index: i });
        }
    }
    let id = id_prefix(c.id_prefix);
    let lo = c.bins[0].lo;
    let hi = c.bins[c.bins.len() - 1].hi;
    let plot_w = W - LEFT - RIGHT;
    let sx = |v: f64| LEFT + plot_w * clamp((v - lo) / (hi - lo), 0.0, 1.0);
    let base = TOP + PLOT_H;
    let h = base + 52.0;

    let max_count = c.bins.iter().map(|b| b.count).max().unwrap_or(0);
    let step = nice_step(max_count);
    let y_max = (max_count.div_ceil(step).max(1) * step) as f64;
    let sy = |n: f64| base - PLOT_H * n / y_max;

    // Text alternative.
    let mut desc = String::new();
    desc.push_str(c.summary.unwrap_or("直方图"));
    desc.push('：');
    desc.push_str(
        &c.bins
            .iter()
            .map(|b| format!("{}–{} {}{}", b.lo_text, b.hi_text, b.count, c.count_unit))
            .collect::<Vec<_>>()
            .join("；"),
    );
    desc.push('。');
    if !c.markers.is_empty() {
        desc.push_str("分界线：");
        desc.push_str(
            &c.markers
                .iter()
                .map(|m| m.label)
                .collect::<Vec<_>>()
                .join("；"),
        );
        desc.push('。');
    }
    if let Some(m) = c.highlight {
        desc.push_str(m.label);
        desc.push('。');
    }

    let mut out = String::with_capacity(4096);
    svg_open(&mut out, &id, W, h, c.title, &desc, "chart-histogram");
    out.push_str("<g aria-hidden=\"true\">\n");

    // Horizontal grid lines and count ticks.
    let mut t = 0;
    while t as f64 <= y_max {
        let y = sy(t as f64);
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{GRID}\" stroke-width=\"{}\"/>",
            fmt_coord(LEFT),
            fmt_coord(W - RIGHT),
            if t == 0 { "1.2" } else { "0.6" },
            y = fmt_coord(y)
        );
        text(
            &mut out,
            LEFT - 6.0,
            y + 4.0,
            11.0,
            "end",
            MUTED_TEXT,
            "",
            &t.to_string(),
        );
        t += step;
    }

    // Bars; their counts are drawn last (with a white halo) so marker lines never hide them.
    let mut count_labels: Vec<(f64, f64, u32)> = Vec::new();
    for b in c.bins {
        let x1 = sx(b.lo);
        let x2 = sx(b.hi);
        if b.count > 0 {
            let y = sy(b.count as f64);
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#9a9a9a\" stroke=\"#ffffff\" stroke-width=\"1\"/>",
                fmt_coord(x1),
                fmt_coord(y),
                fmt_coord((x2 - x1).max(0.0)),
                fmt_coord(base - y)
            );
            count_labels.push(((x1 + x2) / 2.0, y - 4.0, b.count));
        }
    }

    // X ticks at bin edges; thin out when crowded (first and last always shown).
    let n = c.bins.len();
    let every = if n > 24 {
        4
    } else if n > 12 {
        2
    } else {
        1
    };
    let mut edges: Vec<(f64, &str)> = c.bins.iter().map(|b| (b.lo, b.lo_text)).collect();
    edges.push((hi, c.bins[n - 1].hi_text));
    for (k, (v, label)) in edges.iter().enumerate() {
        if k % every != 0 && k != n {
            continue;
        }
        let x = sx(*v);
        let _ = writeln!(
            out,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{REF_STROKE}\" stroke-width=\"1\"/>",
            fmt_coord(base),
            fmt_coord(base + 4.0),
            x = fmt_coord(x)
        );
        text(
            &mut out,
            x,
            base + 17.0,
            11.0,
            "middle",
            MUTED_TEXT,
            "",
            label,
        );
    }
    text(
        &mut out,
        LEFT + plot_w / 2.0,
        base + 40.0,
        12.0,
        "middle",
        TEXT,
        "",
        c.x_label,
    );

    // Grade boundary markers: dashed lines, labels staggered when they would collide.
    let mut last_end = f64::NEG_INFINITY;
    let mut row = 0;
    for m in c.markers {
        if !m.at.is_finite() {
            continue;
        }
        let x = sx(m.at);
        let w = text_width(m.label, 11.5);
        row = if x - w / 2.0 < last_end + 4.0 {
            1 - row
        } else {
            0
        };
        last_end = x + w / 2.0;
        let ly = TOP - 6.0 - row as f64 * 14.0;
        let _ = writeln!(
            out,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{REF_STROKE}\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\"/>",
            fmt_coord(ly + 3.0),
            fmt_coord(base),
            x = fmt_coord(x)
        );
        let anchor = edge_anchor(x, w);
        text(&mut out, x, ly, 11.5, anchor, TEXT, "", m.label);
    }
    if let Some(m) = c.highlight.filter(|m| m.at.is_finite()) {
        let x = sx(m.at);
        let w = text_width(m.label, 12.0);
        let ly = 14.0;
        let _ = writeln!(
            out,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{ACCENT}\" stroke-width=\"2.5\"/>\n<path d=\"M{} {}l5 -7h-10z\" fill=\"{ACCENT}\"/>",
            fmt_coord(ly + 4.0),
            fmt_coord(base),
            fmt_coord(x),
            fmt_coord(ly + 10.0),
            x = fmt_coord(x)
        );
        text(
            &mut out,
            x,
            ly,
            12.0,
            edge_anchor(x, w),
            ACCENT,
            " font-weight=\"bold\"",
            m.label,
        );
    }
    for (x, y, n) in count_labels {
        text(&mut out, x, y, 11.5, "middle", TEXT, HALO, &n.to_string());
    }
    out.push_str("</g>\n</svg>\n");
    Ok(out)
}

const HALO: &str = " font-weight=\"bold\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"";

/// Keep a centred label inside the canvas near the edges.
fn edge_anchor(x: f64, w: f64) -> &'static str {
    if x - w / 2.0 < 2.0 {
        "start"
    } else if x + w / 2.0 > W - 2.0 {
        "end"
    } else {
        "middle"
    }
}

/// Integer tick step giving at most ~5 grid lines.
fn nice_step(max: u32) -> u32 {
    let mut step = 1;
    for s in [
        1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000,
    ] {
        step = s;
        if max.div_ceil(s) <= 5 {
            break;
        }
    }
    while max.div_ceil(step) > 5 {
        step *= 10;
    }
    step
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use super::*;

    fn bins(texts: &'static [&'static str], counts: &[u32]) -> Vec<HistBin<'static>> {
        (0..counts.len())
            .map(|i| HistBin {
                lo: i as f64 * 10.0,
                hi: (i + 1) as f64 * 10.0,
                lo_text: texts[i],
                hi_text: texts[i + 1],
                count: counts[i],
            })
            .collect()
    }
    const T: &[&str] = &[
        "0", "10", "20", "30", "40", "50", "60", "70", "80", "90", "100", "110",
    ];

    #[test]
    fn distribution_with_markers() {
        let b = bins(T, &[0, 0, 0, 0, 1, 2, 5, 9, 12, 6, 1]);
        let m = [
            HistMarker {
                at: 60.0,
                label: "一般 ≥ 60",
            },
            HistMarker {
                at: 75.0,
                label: "较好 ≥ 75",
            },
            HistMarker {
                at: 90.0,
                label: "好 ≥ 90",
            },
        ];
        let c = Histogram {
            id_prefix: "hist-2024",
            title: "总分分布",
            summary: Some("2024 年 36 个支部总分分布"),
            bins: &b,
            markers: &m,
            highlight: Some(HistMarker {
                at: 92.5,
                label: "本支部 92.50",
            }),
            x_label: "总分（含加分）",
            count_unit: " 个",
        };
        let svg = histogram(&c).unwrap();
        assert_common(&svg, "hist-2024");
        assert!(svg.contains("80–90 12 个"));
        assert!(svg.contains("本支部 92.50。"));
        assert_eq!(svg, histogram(&c).unwrap());
    }

    #[test]
    fn rejects_bad_bins_and_handles_zero() {
        let b = bins(T, &[0, 0, 0]);
        let c = Histogram {
            id_prefix: "h",
            title: "t",
            summary: None,
            bins: &b,
            markers: &[],
            highlight: None,
            x_label: "<x>",
            count_unit: "",
        };
        let svg = histogram(&c).unwrap();
        assert_common(&svg, "h");
        assert!(svg.contains("&lt;x&gt;"));
        let mut bad = b.clone();
        bad[1].lo = 11.0;
        assert_eq!(
            histogram(&Histogram { bins: &bad, ..c }),
            Err(ChartError::BadBins { index: 1 })
        );
        assert_eq!(
            histogram(&Histogram { bins: &[], ..c }),
            Err(ChartError::Empty)
        );
    }

    #[test]
    fn steps() {
        assert_eq!(nice_step(0), 1);
        assert_eq!(nice_step(5), 1);
        assert_eq!(nice_step(6), 2);
        assert_eq!(nice_step(12), 5);
        assert_eq!(nice_step(240), 50);
        assert_eq!(nice_step(4_000_000), 1_000_000);
    }
}
