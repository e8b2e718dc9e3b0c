//! The assessment cycle in the workbook (contract version 2): the inspection team's
//! findings (考评组检查, one row per branch) and the rectification plan (整改计划, one row
//! per item): their columns, a row's cells to the record's `inspection` and
//! `rectification`, and back.

use super::layout::{Column, Kind, Rows, SheetLayout, Target, col, key_columns};
use super::record::{At, Field, InspectionData, MeetingData, RecordData, Val};
pub use crate::load::record::cycle::RECTIFICATION_FIELDS;
use crate::load::record::cycle::VERIFIABLE;

pub const INSPECTION: &str = "考评组检查";
pub const RECTIFICATION: &str = "整改计划";

/// The fields of `inspection` the sheet carries as columns, in the contract's order
/// (`verified` is a column per part).
const INSPECTION_FIELDS: [&str; 6] = ["date", "team", "sampled", "methods", "overall", "opinions"];

/// What people call a part of the record an inspection verifies.
pub fn verified_label(part: &str) -> &str {
    match part {
        "meetings" => "会议记录",
        "checklists" => "清单",
        "surveys" => "测评",
        "facts" => "数据",
        "incidents" => "事件",
        "ratings" => "评价等级",
        "honors" => "荣誉",
        "votes" => "评议票数",
        "self_scores" => "自评分",
        other => other,
    }
}

pub fn inspection_sheet(year: i32) -> SheetLayout {
    let t = Target::Inspection;
    let mut columns = key_columns();
    columns.extend([
        col(
            "检查日期",
            format!("{year} 年内的日期；本行有任何内容时必填"),
            Kind::Date,
            t("date"),
        ),
        col(
            "考评组成员",
            "至少一人；多人用 、 分隔或每行一人",
            Kind::List,
            t("team"),
        ),
        col(
            "是否抽查",
            "是：抽查；否：逐个检查",
            Kind::Bool,
            t("sampled"),
        ),
        col(
            "检查方法",
            "如 听取汇报、查阅台账；每行一种",
            Kind::List,
            t("methods"),
        ),
    ]);
    for part in VERIFIABLE {
        columns.push(col(
            format!("核实·{}", verified_label(part)),
            "✓ 已对照原始资料核实",
            Kind::Mark,
            Target::Verified(part),
        ));
    }
    columns.extend([
        col("综合评价", "考评组的总体评价", Kind::Text, t("overall")),
        col(
            "整改意见",
            "每行一条（单元格内换行：Alt+Enter）",
            Kind::List,
            t("opinions"),
        ),
    ]);
    SheetLayout {
        name: INSPECTION,
        rows: Rows::PerBranch,
        columns,
    }
}

pub fn rectification_sheet(year: i32) -> SheetLayout {
    let t = Target::Rectification;
    let mut columns = key_columns();
    columns.extend([
        col(
            "事项编号",
            "支部内唯一；留空则自动编为 r1、r2…",
            Kind::Id,
            t("id"),
        ),
        col("存在问题", "必填", Kind::Text, t("problem")),
        col("整改措施", "必填", Kind::Text, t("measure")),
        col("责任人", "姓名", Kind::Text, t("owner")),
        col(
            "整改时限",
            format!("{year} 或 {} 年内的日期，必填", year + 1),
            Kind::Due,
            t("due"),
        ),
        col(
            "对应指标",
            "可选；下拉选择本支部适用的指标",
            Kind::Indicator,
            t("indicator"),
        ),
        col(
            "完成日期",
            format!("已完成时填写，{year} 年内"),
            Kind::Date,
            t("done"),
        ),
    ]);
    SheetLayout {
        name: RECTIFICATION,
        rows: Rows::Many,
        columns,
    }
}

/// The items of a cell holding a list: one per line; a team's names may also be separated
/// by 、 or commas (a name never holds one).
fn split(field: &str, v: &Val) -> Vec<Val> {
    let names = field == "team";
    v.text
        .split(|c: char| {
            matches!(c, '\n' | '\r') || (names && matches!(c, '、' | '，' | ',' | '；' | ';'))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| Val::text(t, v.at.clone()))
        .collect()
}

/// Adds a 考评组检查 row to a branch's record: the block is given when any cell is.
pub(super) fn fill_inspection(rec: &mut RecordData, cols: &[Column], v: &[Option<Val>], at: &At) {
    let get = |t: &Target| {
        cols.iter()
            .position(|c| c.target == *t)
            .and_then(|i| v[i].clone())
    };
    let mut fields: Vec<(&'static str, Field)> = Vec::new();
    let mut verified: Option<Vec<Val>> = None;
    for (i, c) in cols.iter().enumerate() {
        if let (Target::Verified(part), Some(val)) = (&c.target, &v[i]) {
            let list = verified.get_or_insert_with(Vec::new);
            if val.text == "done" {
                list.push(Val::plain(*part, val.at.clone()));
            }
        }
    }
    for key in INSPECTION_FIELDS {
        if key == "overall"
            && let Some(list) = verified.take().filter(|l| !l.is_empty())
        {
            fields.push(("verified", Field::List(list)));
        }
        let Some(val) = get(&Target::Inspection(key)) else {
            continue;
        };
        let field = match key {
            "team" | "methods" | "opinions" => Field::List(split(key, &val)),
            _ => Field::One(val),
        };
        fields.push((key, field));
    }
    if fields.is_empty() && verified.is_none() {
        return;
    }
    rec.inspection = Some(InspectionData {
        at: Some(at.clone()),
        fields,
    });
}

/// Adds a 整改计划 row to a branch's record.
pub(super) fn fill_rectification(rec: &mut RecordData, cols: &[Column], v: &[Option<Val>]) {
    let mut item: MeetingData = Vec::new();
    for &key in RECTIFICATION_FIELDS {
        if let Some(val) = cols
            .iter()
            .position(|c| c.target == Target::Rectification(key))
            .and_then(|i| v[i].clone())
        {
            item.push((key, val));
        }
    }
    if !item.is_empty() {
        rec.rectification.push(item);
    }
}

/// Gives every rectification item without an id the first free `r1`, `r2`, ….
pub(super) fn number_items(rec: &mut RecordData) {
    let mut taken: Vec<String> = rec
        .rectification
        .iter()
        .filter_map(|i| {
            i.iter()
                .find(|(k, _)| *k == "id")
                .map(|(_, v)| v.text.clone())
        })
        .collect();
    let mut n = 0;
    for item in &mut rec.rectification {
        if item.iter().any(|(k, _)| *k == "id") {
            continue;
        }
        let id = loop {
            n += 1;
            let id = format!("r{n}");
            if !taken.contains(&id) {
                break id;
            }
        };
        taken.push(id.clone());
        let at = item.first().and_then(|(_, v)| v.at.clone());
        item.insert(0, ("id", Val::plain(id, at)));
    }
}

/// The text a list field's cell shows: its items, one per line.
pub fn list_text(items: &[Val]) -> String {
    items
        .iter()
        .map(|v| v.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The value of an inspection column for a branch (a prefilled template): the field's
/// value or list, or a verified part's mark (✓ or ✗ as the cell shows it).
pub fn inspection_cell(rec: &RecordData, target: &Target) -> Option<Field> {
    let ins = rec.inspection.as_ref()?;
    let field = |key: &str| ins.fields.iter().find(|(k, _)| *k == key).map(|(_, f)| f);
    match target {
        Target::Inspection(key) => field(key).cloned(),
        Target::Verified(part) => {
            let done = matches!(field("verified"), Some(Field::List(l)) if l.iter().any(|v| v.text == *part));
            let mark = if done {
                super::layout::DONE
            } else {
                super::layout::NOT_DONE
            };
            Some(Field::One(Val::plain(mark, None)))
        }
        _ => None,
    }
}
