//! CSV for Excel: UTF-8 with a BOM so Chinese opens intact, and text cells that Excel
//! would run as formulas written with a leading `'`.

use super::Selection;
use crate::decimal::show;
use crate::model::IndicatorSystem;
use crate::score::{BranchResult, GapToNext, OrgResult, RectStatus};

pub enum Cell {
    Text(String),
    Number(String),
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn number(s: impl Into<String>) -> Cell {
    Cell::Number(s.into())
}

pub fn write_row(out: &mut String, cells: &[Cell]) {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let raw = match c {
            Cell::Number(n) => n.clone(),
            Cell::Text(t) => defuse(t),
        };
        if raw.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&raw.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&raw);
        }
    }
    out.push_str("\r\n");
}

/// A text cell beginning with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`.
pub fn defuse(t: &str) -> String {
    if t.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{t}")
    } else {
        t.to_string()
    }
}

pub fn branches(sel: &Selection) -> String {
    let mut out = String::from("\u{feff}");
    // One more column per view (四强 …), by the views of the selected years.
    let views = view_columns(sel);
    let mut header: Vec<Cell> = BRANCH_HEADER.map(text).into_iter().collect();
    header.extend(views.iter().map(|(_, label)| text(label.clone())));
    write_row(&mut out, &header);
    for (y, b) in sel.ranked() {
        let sys = &sel.project.years[y].system;
        let mut row = branch_row(sel, y, b);
        for (id, _) in &views {
            row.push(text(view_cell(sys, b, id)));
        }
        write_row(&mut out, &row);
    }
    out
}

/// The columns of a branch's row, in CSV and in the score workbook.
pub const BRANCH_HEADER: [&str; 26] = [
    "年度",
    "排名",
    "类别内排名",
    "编号",
    "名称",
    "类别",
    "组织",
    "基础分",
    "加分",
    "总分",
    "等次",
    "否决前等次",
    "触发否决",
    "未检查否决",
    "缺数据指标",
    "变化",
    "上年等次",
    "自评总分",
    "自评差距",
    "自评差距预警",
    "距上一等次",
    "优先补短板",
    "整改名单",
    "上年整改名单",
    "考评检查",
    "整改事项",
];

/// One branch's row under [`BRANCH_HEADER`]; `y` indexes the project's years.
pub fn branch_row(sel: &Selection, y: usize, b: &BranchResult) -> Vec<Cell> {
    let year = &sel.project.years[y];
    let sys = &year.system;
    let org_names: Vec<String> = (1..=b.org.len())
        .map(|d| {
            year.orgs
                .iter()
                .find(|o| o.path == b.org[..d])
                .map_or_else(|| b.org[d - 1].clone(), |o| o.name.clone())
        })
        .collect();
    let gap = match &b.gap_to_next {
        None => String::new(),
        Some(GapToNext::Points { grade, points }) => {
            format!("{} 差 {} 分", grade_label(sys, grade), show(*points))
        }
        Some(GapToNext::Vetoes { grade, vetoes }) => {
            format!(
                "{} 受否决项限制：{}",
                grade_label(sys, grade),
                vetoes.join("、")
            )
        }
    };
    let fix = fix_first(sys, b);
    let mut row = vec![
        number(b.year.to_string()),
        number(b.rank.to_string()),
        number(b.rank_in_category.to_string()),
        text(&b.id),
        text(&b.name),
        text(sys.category_label(&b.category).unwrap_or(&b.category)),
        text(org_names.join(" / ")),
        number(show(b.base)),
        number(show(b.bonus)),
        number(show(b.total)),
        text(&sys.grades[b.grade].label),
        text(&sys.grades[b.grade_before_vetoes].label),
        text(b.vetoes.join(" ")),
        text(b.unchecked_vetoes.join(" ")),
        text(b.missing.join(" ")),
        text(b.movement.label()),
        text(
            b.previous_grade
                .as_deref()
                .map(|g| grade_label_prev(sel, y, g))
                .unwrap_or_default(),
        ),
        number(b.self_total.map(show).unwrap_or_default()),
        number(b.self_gap.map(show).unwrap_or_default()),
        text(if b.self_gap_flag { "是" } else { "" }),
        text(gap),
        text(fix.join("；")),
    ];
    row.extend(cycle_cells(b));
    row
}

/// The three indicators to fix first, as people read them: `支委会按月召开（-2）`.
pub fn fix_first(sys: &crate::model::IndicatorSystem, b: &BranchResult) -> Vec<String> {
    b.fix_first
        .iter()
        .take(3)
        .map(|(id, lost)| {
            let label = sys.indicator(id).map_or(id.as_str(), |i| i.label.as_str());
            format!("{label}（-{}）", show(*lost))
        })
        .collect()
}

/// A category's label (its id when the system has none).
pub fn category_label(sys: &crate::model::IndicatorSystem, id: &str) -> String {
    sys.category_label(id).unwrap_or(id).to_string()
}

/// The list this year and the year before, the inspection, and the plan's items by status.
fn cycle_cells(b: &BranchResult) -> Vec<Cell> {
    let yes_no = |x: bool| if x { "是" } else { "否" };
    let inspection = match b.sampled {
        None => "",
        Some(true) => "抽查",
        Some(false) => "全面检查",
    };
    let statuses = [
        RectStatus::Done,
        RectStatus::Late,
        RectStatus::Overdue,
        RectStatus::Open,
    ];
    let items: Vec<String> = statuses
        .iter()
        .filter_map(|s| {
            let n = b.rectification.iter().filter(|r| r.status == *s).count();
            (n > 0).then(|| format!("{}{n}", s.label()))
        })
        .collect();
    vec![
        text(if b.on_rectification_list { "是" } else { "" }),
        text(b.previous_on_list.map(yes_no).unwrap_or_default()),
        text(inspection),
        text(items.join(" ")),
    ]
}

/// (view id, label) of every view of the selected years, first use first.
fn view_columns(sel: &Selection) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for &y in &sel.years {
        for v in &sel.project.years[y].system.views {
            if out.iter().all(|(id, _)| *id != v.id) {
                out.push((v.id.clone(), v.label.clone()));
            }
        }
    }
    out
}

/// A view's groups for one branch: `支部班子强 56.8/60；堡垒作用强 28/30`.
fn view_cell(sys: &IndicatorSystem, b: &BranchResult, view: &str) -> String {
    let Some(result) = b.views.iter().find(|v| v.id == *view) else {
        return String::new();
    };
    let def = sys.views.iter().find(|v| v.id == view);
    result
        .groups
        .iter()
        .map(|g| {
            let label = def
                .and_then(|d| d.groups.iter().find(|x| x.id == *g.id))
                .map_or(g.id.as_str(), |x| x.label.as_str());
            format!("{label} {}/{}", show(g.points), show(g.max))
        })
        .collect::<Vec<_>>()
        .join("；")
}

fn grade_label(sys: &crate::model::IndicatorSystem, id: &str) -> String {
    sys.grade_index(id)
        .map_or_else(|| id.to_string(), |i| sys.grades[i].label.clone())
}

/// A previous grade is labelled by the earlier year's own system.
fn grade_label_prev(sel: &Selection, y: usize, id: &str) -> String {
    match y.checked_sub(1) {
        Some(p) => grade_label(&sel.project.years[p].system, id),
        None => id.to_string(),
    }
}

pub fn orgs(sel: &Selection) -> String {
    let mut out = String::from("\u{feff}");
    let (header, grade_ids) = org_header(sel);
    write_row(&mut out, &header);
    for (_, o) in sel.orgs() {
        write_row(&mut out, &org_row(o, &grade_ids));
    }
    out
}

/// The columns of an organisation's row, and the grade ids of its last columns (every
/// grade of the selected years).
pub fn org_header(sel: &Selection) -> (Vec<Cell>, Vec<String>) {
    let mut header = vec![
        text("年度"),
        text("组织"),
        text("名称"),
        text("类型"),
        text("支部数"),
        text("平均分"),
    ];
    let mut grade_ids: Vec<String> = Vec::new();
    for &y in &sel.years {
        for g in &sel.project.years[y].system.grades {
            if !grade_ids.contains(&g.id) {
                grade_ids.push(g.id.clone());
                header.push(text(g.label.clone()));
            }
        }
    }
    (header, grade_ids)
}

pub fn org_row(o: &OrgResult, grade_ids: &[String]) -> Vec<Cell> {
    let mut row = vec![
        number(o.year.to_string()),
        text(o.org.join("/")),
        text(&o.name),
        text(o.kind.clone().unwrap_or_default()),
        number(o.branches.to_string()),
        number(o.mean.map(show).unwrap_or_default()),
    ];
    for g in grade_ids {
        let c = o
            .grades
            .iter()
            .find(|(id, _)| id == g)
            .map(|(_, c)| c.to_string());
        row.push(number(c.unwrap_or_default()));
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_quotes_escaped() {
        assert_eq!(defuse("=1+1"), "'=1+1");
        assert_eq!(defuse("@SUM"), "'@SUM");
        assert_eq!(defuse("-x"), "'-x");
        assert_eq!(defuse("\tx"), "'\tx");
        assert_eq!(defuse("桥一"), "桥一");
        let mut s = String::new();
        write_row(&mut s, &[text("a,\"b\""), number("-1.5"), text("+x")]);
        assert_eq!(s, "\"a,\"\"b\"\"\",-1.5,'+x\r\n");
    }
}
