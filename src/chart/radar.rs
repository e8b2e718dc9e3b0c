//! Radar chart: each dimension's share of its maximum (0–1), this branch against a reference
//! series (the category median). 3–8 axes, first axis at the top, clockwise.

use super::*;
use std::fmt::Write as _;

/// One dimension (axis) of the radar.
#[derive(Debug, Clone, Copy)]
pub struct RadarAxis<'a> {
    /// Dimension name, e.g. "组织建设".
    pub label: &'a str,
    /// This branch's share of the dimension's maximum, 0–1 (clamped for drawing).
    pub value: f64,
    /// Printed form of `value`, e.g. "85.0%".
    pub value_text: &'a str,
    /// Reference (category median) share, 0–1. Ignored when the chart has no reference.
    pub reference: f64,
    /// Printed form of `reference`, e.g. "78.0%".
    pub reference_text: &'a str,
}

/// A radar chart.
#[derive(Debug, Clone, Copy)]
pub struct RadarChart<'a> {
    /// Id prefix, unique on the page (e.g. "radar-b0123"); made safe by [`id_prefix`].
    pub id_prefix: &'a str,
    /// Short title, e.g. "各维度得分率".
    pub title: &'a str,
    /// Name of the main series, e.g. "本支部".
    pub series_name: &'a str,
    /// Name of the reference series, e.g. "同类中位数"; `None` draws the main series only.
    pub reference_name: Option<&'a str>,
    /// 3 to 8 axes.
    pub axes: &'a [RadarAxis<'a>],
}

const W: f64 = 600.0;
const CX: f64 = 300.0;
const R: f64 = 130.0;
const LABEL_SIZE: f64 = 13.0;
const VALUE_SIZE: f64 = 11.5;
const LINE: f64 = 15.0;

/// Render a radar chart as an `<svg>` string.
pub fn radar_chart(c: &RadarChart<'_>) -> Result<String, ChartError> {
    let n = c.axes.len();
    if !(3..=8).contains(&n) {
        return Err(ChartError::AxisCount(n));
    }
    let id = id_prefix(c.id_prefix);
    let has_ref = c.reference_name.is_some();

    // Layout: label blocks need up to 3 lines above the top vertex and below the bottom one.
    let block = 3.0 * LINE + 4.0;
    let cy = 10.0 + block + 12.0 + R;
    let legend_y = cy + R + 12.0 + block + 18.0;
    let h = legend_y + 22.0;

    let desc = describe(c);
    let mut out = String::with_capacity(4096);
    svg_open(&mut out, &id, W, h, c.title, &desc, "chart-radar");

    let dirs: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let theta =
                -std::f64::consts::FRAC_PI_2 + 2.0 * std::f64::consts::PI * i as f64 / n as f64;
            let (s, co) = sin_cos(theta);
            (co, s)
        })
        .collect();
    let pt = |i: usize, r: f64| (CX + dirs[i].0 * r, cy + dirs[i].1 * r);
    // Shared presentation attributes sit on the groups (SVG inherits them): a radar is on
    // every branch page.
    let poly = |out: &mut String, vals: &dyn Fn(usize) -> f64| {
        out.push_str("<polygon points=\"");
        for i in 0..n {
            let (x, y) = pt(i, R * clamp(vals(i), 0.0, 1.0));
            if i > 0 {
                out.push(' ');
            }
            push_coord(out, x);
            out.push(',');
            push_coord(out, y);
        }
        out.push('"');
    };

    // Grid rings and spokes (decorative).
    out.push_str("<g class=\"grid\" aria-hidden=\"true\">\n");
    out.push_str("<g fill=\"none\" stroke=\"");
    out.push_str(GRID);
    out.push_str("\" stroke-width=\"0.8\">\n");
    for (k, ring) in [0.25, 0.5, 0.75, 1.0].iter().enumerate() {
        poly(&mut out, &|_| *ring);
        out.push_str(if k == 3 {
            " stroke-width=\"1.2\"/>\n"
        } else {
            "/>\n"
        });
    }
    for i in 0..n {
        let (x, y) = pt(i, R);
        out.push_str("<line");
        attr_coord(&mut out, "x1", CX);
        attr_coord(&mut out, "y1", cy);
        attr_coord(&mut out, "x2", x);
        attr_coord(&mut out, "y2", y);
        out.push_str("/>\n");
    }
    out.push_str("</g>\n");
    for (ring, label) in [(0.5, "50%"), (1.0, "100%")] {
        text(
            &mut out,
            CX + 4.0,
            cy - R * ring + 12.0,
            MIN_TEXT_SIZE,
            "start",
            MUTED_TEXT,
            "",
            label,
        );
    }
    out.push_str("</g>\n");

    // Reference series: dashed dark grey outline, square markers, no fill.
    if has_ref {
        out.push_str("<g class=\"series-ref\" aria-hidden=\"true\" stroke=\"");
        out.push_str(REF_STROKE);
        out.push_str("\">\n");
        poly(&mut out, &|i| c.axes[i].reference);
        out.push_str(
            " fill=\"none\" stroke-width=\"1.8\" stroke-dasharray=\"6 4\" stroke-linejoin=\"round\"/>\n",
        );
        out.push_str("<g fill=\"#ffffff\" stroke-width=\"1.5\">\n");
        for (i, a) in c.axes.iter().enumerate() {
            let (x, y) = pt(i, R * clamp(a.reference, 0.0, 1.0));
            out.push_str("<rect");
            attr_coord(&mut out, "x", x - 3.5);
            attr_coord(&mut out, "y", y - 3.5);
            out.push_str(" width=\"7\" height=\"7\"/>\n");
        }
        out.push_str("</g>\n</g>\n");
    }

    // Main series: solid accent outline, translucent fill, round markers.
    out.push_str("<g class=\"series-main\" aria-hidden=\"true\">\n");
    poly(&mut out, &|i| c.axes[i].value);
    out.push_str(" fill=\"");
    out.push_str(ACCENT);
    out.push_str("\" fill-opacity=\"0.16\" stroke=\"");
    out.push_str(ACCENT);
    out.push_str("\" stroke-width=\"2.2\" stroke-linejoin=\"round\"/>\n");
    out.push_str("<g fill=\"");
    out.push_str(ACCENT);
    out.push_str("\" stroke=\"#ffffff\" stroke-width=\"1\">\n");
    for (i, a) in c.axes.iter().enumerate() {
        let (x, y) = pt(i, R * clamp(a.value, 0.0, 1.0));
        out.push_str("<circle");
        attr_coord(&mut out, "cx", x);
        attr_coord(&mut out, "cy", y);
        out.push_str(" r=\"4\"/>\n");
    }
    out.push_str("</g>\n</g>\n");

    // Axis labels with direct values ("85.0% / 78.0%"), outside the outer ring.
    out.push_str("<g class=\"labels\" aria-hidden=\"true\" fill=\"");
    out.push_str(TEXT);
    out.push_str("\">\n");
    for (i, a) in c.axes.iter().enumerate() {
        let (dx, dy) = dirs[i];
        let (x, y) = pt(i, R + 12.0);
        let anchor = if dx.abs() < 0.3 {
            "middle"
        } else if dx > 0.0 {
            "start"
        } else {
            "end"
        };
        let lines = wrap_label(a.label, 7.0);
        let count = lines.len() as f64 + 1.0;
        // y of the first baseline.
        let top = if dy < -0.3 {
            y - (count - 1.0) * LINE - 2.0
        } else if dy > 0.3 {
            y + LINE - 2.0
        } else {
            y - (count - 1.0) * LINE / 2.0 + 4.0
        };
        for (k, l) in lines.iter().enumerate() {
            text(
                &mut out,
                x,
                top + k as f64 * LINE,
                LABEL_SIZE,
                anchor,
                "",
                " font-weight=\"bold\"",
                l,
            );
        }
        let vy = top + lines.len() as f64 * LINE;
        TextTag {
            x,
            y: vy,
            size: VALUE_SIZE,
            anchor,
            fill: "",
            extra: "",
        }
        .open(&mut out);
        out.push_str("<tspan fill=\"");
        out.push_str(ACCENT);
        out.push_str("\" font-weight=\"bold\">");
        escape_xml_into(&mut out, a.value_text);
        out.push_str("</tspan>");
        if has_ref {
            out.push_str("<tspan fill=\"");
            out.push_str(MUTED_TEXT);
            out.push_str("\"> / ");
            escape_xml_into(&mut out, a.reference_text);
            out.push_str("</tspan>");
        }
        out.push_str("</text>\n");
    }
    out.push_str("</g>\n");

    // Legend: line style + marker shape + name, so grayscale prints stay readable.
    out.push_str("<g class=\"legend\" aria-hidden=\"true\">\n");
    let main_name = c.series_name;
    let mut items: Vec<(&str, bool)> = vec![(main_name, true)];
    if let Some(r) = c.reference_name {
        items.push((r, false));
    }
    let widths: Vec<f64> = items
        .iter()
        .map(|(s, _)| 36.0 + text_width(s, 12.0) + 24.0)
        .collect();
    let total: f64 = widths.iter().sum();
    let mut x = (W - total) / 2.0;
    for ((name, main), w) in items.iter().zip(widths) {
        let ly = legend_y - 4.0;
        out.push_str("<line");
        attr_coord(&mut out, "x1", x);
        attr_coord(&mut out, "y1", ly);
        attr_coord(&mut out, "x2", x + 28.0);
        attr_coord(&mut out, "y2", ly);
        if *main {
            out.push_str(" stroke=\"");
            out.push_str(ACCENT);
            out.push_str("\" stroke-width=\"2.2\"/><circle");
            attr_coord(&mut out, "cx", x + 14.0);
            attr_coord(&mut out, "cy", ly);
            out.push_str(" r=\"4\" fill=\"");
            out.push_str(ACCENT);
            out.push_str("\"/>\n");
        } else {
            out.push_str(" stroke=\"");
            out.push_str(REF_STROKE);
            out.push_str("\" stroke-width=\"1.8\" stroke-dasharray=\"6 4\"/><rect");
            attr_coord(&mut out, "x", x + 10.5);
            attr_coord(&mut out, "y", ly - 3.5);
            out.push_str(" width=\"7\" height=\"7\" fill=\"#ffffff\" stroke=\"");
            out.push_str(REF_STROKE);
            out.push_str("\" stroke-width=\"1.5\"/>\n");
        }
        text(&mut out, x + 36.0, legend_y, 12.0, "start", TEXT, "", name);
        x += w;
    }
    out.push_str("</g>\n</svg>\n");
    Ok(out)
}

/// The Chinese text alternative with every number.
fn describe(c: &RadarChart<'_>) -> String {
    let mut d = format!(
        "雷达图，共 {} 个维度，数值为各维度得分占该维度满分的比例。",
        c.axes.len()
    );
    for (i, a) in c.axes.iter().enumerate() {
        let sep = if i == 0 { "" } else { "；" };
        let _ = match c.reference_name {
            Some(r) => write!(
                d,
                "{sep}{}：{} {}，{} {}",
                a.label, c.series_name, a.value_text, r, a.reference_text
            ),
            None => write!(d, "{sep}{}：{} {}", a.label, c.series_name, a.value_text),
        };
    }
    d.push('。');
    d
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use super::*;

    fn axes() -> Vec<RadarAxis<'static>> {
        vec![
            RadarAxis {
                label: "组织建设",
                value: 0.85,
                value_text: "85.0%",
                reference: 0.78,
                reference_text: "78.0%",
            },
            RadarAxis {
                label: "党员教育管理",
                value: 0.6,
                value_text: "60.0%",
                reference: 0.7,
                reference_text: "70.0%",
            },
            RadarAxis {
                label: "组织生活<&>",
                value: 1.2,
                value_text: "120%",
                reference: f64::NAN,
                reference_text: "—",
            },
            RadarAxis {
                label: "作用发挥",
                value: 0.0,
                value_text: "0.0%",
                reference: 0.5,
                reference_text: "50.0%",
            },
            RadarAxis {
                label: "基础保障",
                value: 0.95,
                value_text: "95.0%",
                reference: 0.9,
                reference_text: "90.0%",
            },
        ]
    }

    #[test]
    fn well_formed_accessible_deterministic() {
        let a = axes();
        let c = RadarChart {
            id_prefix: "radar-b01",
            title: "各维度得分率",
            series_name: "本支部",
            reference_name: Some("同类中位数"),
            axes: &a,
        };
        let svg = radar_chart(&c).unwrap();
        assert_common(&svg, "radar-b01");
        assert_eq!(svg, radar_chart(&c).unwrap());
        assert!(svg.contains("组织生活&lt;&amp;&gt;"));
        assert!(!svg.contains("组织生活<&>"));
        assert!(svg.contains("组织建设：本支部 85.0%，同类中位数 78.0%"));
        assert!(!svg.contains("NaN"));
    }

    #[test]
    fn every_axis_count_3_to_8() {
        let a = axes();
        let more: Vec<RadarAxis> = a.iter().chain(a.iter()).copied().collect();
        for n in 3..=8 {
            let c = RadarChart {
                id_prefix: "r",
                title: "t",
                series_name: "本支部",
                reference_name: None,
                axes: &more[..n],
            };
            let svg = radar_chart(&c).unwrap();
            assert_common(&svg, "r");
            assert!(!svg.contains("series-ref"));
        }
        for n in [0, 2, 9] {
            let many: Vec<RadarAxis> = more.iter().cycle().take(n).copied().collect();
            let c = RadarChart {
                id_prefix: "r",
                title: "t",
                series_name: "本支部",
                reference_name: None,
                axes: &many,
            };
            assert_eq!(radar_chart(&c), Err(ChartError::AxisCount(n)));
        }
    }

    #[test]
    fn hostile_prefix_and_title() {
        let a = axes();
        let c = RadarChart {
            id_prefix: "x\" onload=\"alert(1)",
            title: "</title><script>",
            series_name: "'本'",
            reference_name: Some("\"中\""),
            axes: &a,
        };
        let svg = radar_chart(&c).unwrap();
        let doc = assert_well_formed(&svg);
        assert!(doc.descendants().all(|n| !n.has_tag_name("script")));
        assert!(doc.root_element().attribute("onload").is_none());
    }
}
