//! The charts of the view model, drawn once as SVG so that the HTML and the PDF embed the
//! very same picture.

use super::format::{pct, score};
use super::refs::{Chart, YearChart};
use super::stats::YearStats;
use crate::chart::{
    self, Bar, BarChart, HistBin, HistMarker, Histogram, RadarAxis, RadarChart, Tone,
};
use crate::model::IndicatorSystem;
use crate::score::{BranchResult, YearResult};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

fn chart(svg: Result<String, chart::ChartError>, caption: &'static str) -> Option<Chart<'static>> {
    svg.ok().map(|svg| Chart {
        svg: svg.into(),
        caption: Some(caption.into()),
    })
}

fn year_chart(
    id: &'static str,
    title: &'static str,
    caption: &'static str,
    svg: Result<String, chart::ChartError>,
) -> YearChart<'static> {
    YearChart {
        id,
        title: title.into(),
        caption: caption.into(),
        svg: svg.ok().map(Into::into),
    }
}

/// Each dimension's share of its points against the median of the branch's category: a
/// radar with 3 to 8 dimensions, bars otherwise.
pub fn dimensions(
    sys: &IndicatorSystem,
    b: &BranchResult,
    stats: &YearStats,
) -> Option<Chart<'static>> {
    let medians = stats.median_share.get(&b.category);
    let rows: Vec<(&str, Decimal, Decimal)> = b
        .dimensions
        .iter()
        .map(|d| {
            let label = sys
                .dimensions
                .iter()
                .find(|x| x.id == d.id)
                .map_or(d.id.as_str(), |x| x.label.as_str());
            let share = if d.possible.is_zero() {
                Decimal::ZERO
            } else {
                d.earned / d.possible
            };
            let median = medians
                .and_then(|m| m.get(d.id.as_str()))
                .copied()
                .unwrap_or(Decimal::ZERO);
            (label, share, median)
        })
        .collect();
    let texts: Vec<(String, String)> = rows.iter().map(|(_, s, m)| (pct(*s), pct(*m))).collect();
    let caption = "各维度得分率（实线为本支部，虚线为同类支部中位数）";
    if (3..=8).contains(&rows.len()) {
        let axes: Vec<RadarAxis> = rows
            .iter()
            .zip(&texts)
            .map(|((label, s, m), (st, mt))| RadarAxis {
                label,
                value: f(*s),
                value_text: st,
                reference: f(*m),
                reference_text: mt,
            })
            .collect();
        let prefix = format!("radar-{}-{}", b.year, b.id);
        let svg = chart::radar_chart(&RadarChart {
            id_prefix: &prefix,
            title: &format!("{}各维度得分率", b.name),
            series_name: "本支部",
            reference_name: Some("同类中位数"),
            axes: &axes,
        });
        chart(svg, caption)
    } else {
        let bars: Vec<Bar> = rows
            .iter()
            .zip(&texts)
            .map(|((label, s, _), (st, _))| Bar {
                label,
                value: f(*s),
                max: Some(1.0),
                value_text: st,
                tone: Tone::Accent,
            })
            .collect();
        let prefix = format!("dims-{}-{}", b.year, b.id);
        let svg = chart::bar_chart(&BarChart {
            id_prefix: &prefix,
            title: &format!("{}各维度得分率", b.name),
            summary: None,
            bars: &bars,
            scale: Some(1.0),
        });
        chart(svg, "各维度得分率")
    }
}

/// How many branches reached each grade.
pub fn grade_counts(sys: &IndicatorSystem, r: &YearResult) -> YearChart<'static> {
    let mut counts = vec![0usize; sys.grades.len()];
    for b in &r.branches {
        counts[b.grade] += 1;
    }
    let texts: Vec<String> = counts.iter().map(|c| format!("{c} 个")).collect();
    let last = sys.grades.len().saturating_sub(1);
    let bars: Vec<Bar> = sys
        .grades
        .iter()
        .zip(&counts)
        .zip(&texts)
        .enumerate()
        .map(|(i, ((g, c), t))| Bar {
            label: &g.label,
            value: *c as f64,
            max: None,
            value_text: t,
            tone: if i == last && last > 0 {
                Tone::Hatched
            } else if i == 0 {
                Tone::Accent
            } else {
                Tone::Neutral
            },
        })
        .collect();
    let svg = chart::bar_chart(&BarChart {
        id_prefix: &format!("grades-{}", r.year),
        title: &format!("{} 年度各等次支部数", r.year),
        summary: None,
        bars: &bars,
        scale: None,
    });
    year_chart(
        "grades",
        "等次分布",
        "各等次支部数（按最终等次，含一票否决）",
        svg,
    )
}

/// Distribution of totals in bins of 5 points, with the grade boundaries marked.
pub fn histogram(
    sys: &IndicatorSystem,
    r: &YearResult,
    highlight: Option<&BranchResult>,
) -> YearChart<'static> {
    let top = f(sys.scale + sys.bonus_cap).max(5.0);
    let n_bins = (top / 5.0).ceil() as usize;
    let mut counts = vec![0u32; n_bins];
    for b in &r.branches {
        let i = ((f(b.total) / 5.0).floor() as usize).min(n_bins - 1);
        counts[i] += 1;
    }
    let texts: Vec<(String, String)> = (0..n_bins)
        .map(|i| ((i * 5).to_string(), ((i + 1) * 5).to_string()))
        .collect();
    let bins: Vec<HistBin> = texts
        .iter()
        .enumerate()
        .map(|(i, (lo, hi))| HistBin {
            lo: (i * 5) as f64,
            hi: ((i + 1) * 5) as f64,
            lo_text: lo,
            hi_text: hi,
            count: counts[i],
        })
        .collect();
    let labels: Vec<String> = sys
        .grades
        .iter()
        .map(|g| format!("{} {}", g.label, crate::decimal::show(g.min)))
        .collect();
    let markers: Vec<HistMarker> = sys
        .grades
        .iter()
        .zip(&labels)
        .filter(|(g, _)| !g.min.is_zero())
        .map(|(g, l)| HistMarker {
            at: f(g.min),
            label: l,
        })
        .collect();
    let hl_text = highlight.map(|b| format!("本支部 {}", score(b.total)));
    let svg = chart::histogram(&Histogram {
        id_prefix: &format!(
            "hist-{}{}",
            r.year,
            highlight.map_or(String::new(), |b| format!("-{}", b.id))
        ),
        title: &format!("{} 年度总分分布", r.year),
        summary: None,
        bins: &bins,
        markers: &markers,
        highlight: highlight.zip(hl_text.as_deref()).map(|(b, t)| HistMarker {
            at: f(b.total),
            label: t,
        }),
        x_label: "总分",
        count_unit: "个",
    });
    year_chart(
        "histogram",
        "总分分布",
        "每 5 分一组的支部数，虚线为等次分数线",
        svg,
    )
}

/// Mean total per category.
pub fn category_means(
    sys: &IndicatorSystem,
    r: &YearResult,
    stats: &YearStats,
) -> YearChart<'static> {
    let rows: Vec<(&str, Decimal, String)> = sys
        .categories
        .iter()
        .filter_map(|(id, label)| {
            stats
                .category_mean
                .get(id)
                .map(|m| (label.as_str(), *m, score(*m)))
        })
        .collect();
    let bars: Vec<Bar> = rows
        .iter()
        .map(|(label, m, t)| Bar {
            label,
            value: f(*m),
            max: Some(f(sys.scale)),
            value_text: t,
            tone: Tone::Neutral,
        })
        .collect();
    let svg = chart::bar_chart(&BarChart {
        id_prefix: &format!("cats-{}", r.year),
        title: &format!("{} 年度各类别平均分", r.year),
        summary: None,
        bars: &bars,
        scale: Some(f(sys.scale)),
    });
    year_chart("categories", "各类别平均分", "各类别支部总分的平均值", svg)
}

/// A small bar chart of how the year's branches scored on one indicator (`dk`, `ik`: its
/// dimension's index and its index there, for the chart's ids). The sentence beside the
/// chart already gives every number: no caption.
pub fn distribution(
    year: i32,
    (dk, ik): (usize, usize),
    dimension: &str,
    label: &str,
    stats: &crate::view::report::IndicatorStats,
) -> Option<Chart<'static>> {
    let rows = [
        ("满分", stats.full, Tone::Accent),
        ("部分得分", stats.partial, Tone::Neutral),
        ("零分", stats.zero, Tone::Hatched),
        ("缺少数据", stats.missing, Tone::Light),
    ];
    let texts: Vec<String> = rows.iter().map(|(_, c, _)| format!("{c} 个")).collect();
    let bars: Vec<Bar> = rows
        .iter()
        .zip(&texts)
        .map(|((label, c, tone), t)| Bar {
            label,
            value: *c as f64,
            max: None,
            value_text: t,
            tone: *tone,
        })
        .collect();
    let svg = chart::bar_chart(&BarChart {
        id_prefix: &format!("ind-{year}-{dk}-{ik}"),
        title: &format!("{dimension} · {label}：各支部得分情况"),
        summary: Some("适用支部按得分情况分组的个数"),
        bars: &bars,
        scale: Some(stats.branches.max(1) as f64),
    });
    svg.ok().map(|svg| Chart {
        svg: svg.into(),
        caption: None,
    })
}
