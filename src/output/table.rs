//! Aligned tables for people reading a terminal: Chinese characters are two columns wide.

use unicode_width::UnicodeWidthStr;

use super::Selection;
use crate::decimal::show2;

/// Lays out rows under a header; numeric columns (given by index) are right-aligned.
pub fn render(header: &[&str], rows: &[Vec<String>], right: &[usize]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in rows {
        for (i, c) in row.iter().enumerate() {
            widths[i] = widths[i].max(c.width());
        }
    }
    let mut out = String::new();
    let line = |cells: Vec<&str>, out: &mut String| {
        let mut l = String::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = " ".repeat(widths[i].saturating_sub(c.width()));
            if i > 0 {
                l.push_str("  ");
            }
            if right.contains(&i) {
                l.push_str(&pad);
                l.push_str(c);
            } else {
                l.push_str(c);
                l.push_str(&pad);
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(header.to_vec(), &mut out);
    let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
    line(rule.iter().map(String::as_str).collect(), &mut out);
    for row in rows {
        line(row.iter().map(String::as_str).collect(), &mut out);
    }
    out
}

pub fn branches(sel: &Selection) -> String {
    let header = [
        "年度",
        "排名",
        "编号",
        "支部",
        "类别",
        "基础分",
        "加分",
        "总分",
        "等次",
        "否决",
        "变化",
        "整改名单",
    ];
    let rows: Vec<Vec<String>> = sel
        .ranked()
        .into_iter()
        .map(|(y, b)| {
            let sys = &sel.project.years[y].system;
            let mut grade = sys.grades[b.grade].label.clone();
            if b.grade != b.grade_before_vetoes {
                grade.push_str(&format!(
                    "（原{}）",
                    sys.grades[b.grade_before_vetoes].label
                ));
            }
            vec![
                b.year.to_string(),
                b.rank.to_string(),
                b.id.clone(),
                b.name.clone(),
                sys.category_label(&b.category)
                    .unwrap_or(&b.category)
                    .to_string(),
                show2(b.base),
                show2(b.bonus),
                show2(b.total),
                grade,
                b.vetoes.join(" "),
                b.movement.label().to_string(),
                if b.on_rectification_list { "是" } else { "" }.to_string(),
            ]
        })
        .collect();
    let mut out = render(&header, &rows, &[1, 5, 6, 7]);
    out.push_str(&provisional(sel));
    out
}

/// A note under the table for each selected year still in progress (`as_of`).
fn provisional(sel: &Selection) -> String {
    sel.years
        .iter()
        .filter_map(|&y| {
            let year = &sel.project.years[y];
            year.as_of()
                .map(|d| format!("注：{} 年度的分数为暂定（数据截至 {d}）\n", year.year))
        })
        .collect()
}

pub fn orgs(sel: &Selection) -> String {
    let header = ["年度", "组织", "名称", "支部数", "平均分", "等次分布"];
    let rows: Vec<Vec<String>> = sel
        .orgs()
        .map(|(y, o)| {
            let sys = &sel.project.years[y].system;
            let dist: Vec<String> = o
                .grades
                .iter()
                .zip(&sys.grades)
                .map(|((_, c), g)| format!("{}{c}", g.label))
                .collect();
            vec![
                o.year.to_string(),
                if o.org.is_empty() {
                    "（全区）".to_string()
                } else {
                    o.org.join("/")
                },
                o.name.clone(),
                o.branches.to_string(),
                o.mean.map(show2).unwrap_or_else(|| "—".into()),
                dist.join(" "),
            ]
        })
        .collect();
    render(&header, &rows, &[3, 4])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_wide_characters() {
        let t = render(
            &["名称", "分"],
            &[
                vec!["桥一".into(), "9".into()],
                vec!["ab".into(), "10".into()],
            ],
            &[1],
        );
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[2], "桥一   9");
        assert_eq!(lines[3], "ab    10");
    }
}
