//! The layout made from one year's indicator system: each sheet's columns in the system's
//! order, the dropdowns' labels made unique, the label people read for each fact.

use super::layout::*;
use crate::model::{FactPath, FactType, IndicatorSystem};
/// Labels made unique: a label shared by two ids gets its id in brackets.
fn unique(pairs: Vec<(String, String)>) -> Vec<Choice> {
    pairs
        .iter()
        .map(|(id, label)| {
            let shared = pairs.iter().filter(|(_, l)| l == label).count() > 1;
            Choice {
                label: if shared {
                    format!("{label}（{id}）")
                } else {
                    label.clone()
                },
                id: id.clone(),
            }
        })
        .collect()
}

/// The label people read for a fact, survey, incident or honor: its own label in the
/// system's label map (contract version 2); without one, the label of the first indicator,
/// veto or bonus that reads it (its id when nothing does).
fn fact_label(sys: &IndicatorSystem, wanted: &dyn Fn(&FactPath) -> bool, id: &str) -> String {
    // Version 2's label maps name the id itself.
    let own = |map: &Option<Vec<(String, String)>>| {
        map.as_ref()
            .and_then(|m| m.iter().find(|(k, _)| k == id))
            .map(|(_, l)| l.clone())
    };
    let labels = &sys.labels;
    let probe = [
        (
            FactPath::Survey {
                id: id.to_string(),
                stat: crate::model::SurveyStat::Rate,
            },
            &labels.surveys,
        ),
        (FactPath::Fact(id.to_string()), &labels.facts),
        (FactPath::Incident(id.to_string()), &labels.incidents),
        (FactPath::Honor(id.to_string()), &labels.honors),
    ];
    if let Some(l) = probe
        .iter()
        .find(|(p, _)| wanted(p))
        .and_then(|(_, m)| own(m))
    {
        return l;
    }
    sys.indicators()
        .find(|(_, i)| i.facts().any(wanted))
        .map(|(_, i)| i.label.clone())
        .or_else(|| {
            sys.vetoes
                .iter()
                .find(|v| wanted(&v.when.fact))
                .map(|v| v.label.clone())
        })
        .or_else(|| {
            sys.bonuses
                .iter()
                .find(|b| wanted(&b.fact))
                .map(|b| b.label.clone())
        })
        .unwrap_or_else(|| id.to_string())
}

/// Headers made unique within a sheet: a repeated header gets the column's id in brackets.
fn dedupe_headers(columns: &mut [Column], ids: &[String]) {
    let headers: Vec<String> = columns.iter().map(|c| c.header.clone()).collect();
    for (i, c) in columns.iter_mut().enumerate() {
        if headers.iter().filter(|h| **h == headers[i]).count() > 1 {
            c.header = format!("{}（{}）", c.header, ids[i]);
        }
    }
}

/// The measures of the 测评 sheet, in the system's order: surveys, then votes (a count
/// per level, best first).
pub fn measures(sys: &IndicatorSystem) -> Vec<Measure> {
    let votes = sys.votes.iter().map(|v| Measure {
        section: "votes",
        id: v.id.clone(),
        label: v.label.clone(),
        parts: v.levels.clone(),
    });
    sys.survey_ids
        .iter()
        .map(|id| Measure {
            section: "surveys",
            id: id.clone(),
            label: fact_label(
                sys,
                &|p| matches!(p, FactPath::Survey { id: s, .. } if s == id),
                id,
            ),
            parts: vec![
                ("respondents".to_string(), "参与人数".to_string()),
                ("positive".to_string(), "肯定人数".to_string()),
            ],
        })
        .chain(votes)
        .collect()
}

pub fn layout(sys: &IndicatorSystem, year: i32) -> Layout {
    let categories = unique(sys.categories.clone());
    let meeting_kinds = unique(sys.meeting_kinds.clone());
    let mut levels: Vec<(String, String)> = Vec::new();
    for (_, ind) in sys.indicators() {
        // A `rating` rule's levels, or a `deductions` rule's `levels` clause's.
        if let Some(ls) = ind.rating_levels() {
            for (l, _) in ls {
                if !levels.iter().any(|(id, _)| id == l) {
                    levels.push((l.clone(), level_label(l).unwrap_or(l).to_string()));
                }
            }
        }
    }
    let levels = unique(levels);
    let choices_note = |list: &[Choice]| {
        let labels: Vec<&str> = list.iter().map(|c| c.label.as_str()).collect();
        format!("下拉选择：{}", labels.join("、"))
    };

    let orgs = SheetLayout {
        name: ORGS,
        rows: Rows::Orgs,
        columns: vec![
            col(
                "组织路径",
                "各级组织编号，用 . 连接，如 xinhe.qiaodong",
                Kind::OrgPath,
                Target::OrgPath,
            ),
            col("组织名称", "必填", Kind::Text, Target::OrgName),
            col(
                "组织级别",
                "如 街道党工委、社区党委",
                Kind::Text,
                Target::OrgKind,
            ),
        ],
    };
    let branches = SheetLayout {
        name: BRANCHES,
        rows: Rows::Branch,
        columns: vec![
            col(
                "支部编号",
                "字母、数字、_ 或 -，年度内唯一",
                Kind::Id,
                Target::BranchId,
            ),
            col("支部名称", "必填", Kind::Text, Target::Name),
            col(
                "组织路径",
                "见组织表；留空表示直属区（县）委",
                Kind::OrgPath,
                Target::OrgPath,
            ),
            col(
                "类别",
                choices_note(&categories),
                Kind::Category,
                Target::Category,
            ),
            col("党员人数", "整数 ≥ 0", Kind::Whole, Target::Members),
            col("支部书记", "姓名", Kind::Text, Target::Secretary),
        ],
    };
    let mut meetings_cols = key_columns();
    meetings_cols.extend([
        col(
            "日期",
            format!("{year} 年内的日期，如 {year}-01-08"),
            Kind::Date,
            Target::MeetingDate,
        ),
        col(
            "会议类型",
            choices_note(&meeting_kinds),
            Kind::MeetingKind,
            Target::MeetingKind,
        ),
        col("议题", "必填", Kind::Text, Target::Topic),
        col(
            "应到人数",
            "整数 ≥ 1，可与实到一起留空",
            Kind::Whole,
            Target::Expected,
        ),
        col("实到人数", "整数，不超过应到", Kind::Whole, Target::Present),
    ]);
    let meetings = SheetLayout {
        name: MEETINGS,
        rows: Rows::Many,
        columns: meetings_cols,
    };

    let mut cl_cols = key_columns();
    for c in &sys.checklists {
        for (item, label) in &c.items {
            cl_cols.push(col(
                format!("{}·{label}", c.label),
                format!("{DONE} 已完成，{NOT_DONE} 未完成"),
                Kind::Mark,
                Target::Item {
                    checklist: c.id.clone(),
                    item: item.clone(),
                },
            ));
        }
    }
    let checklists = SheetLayout {
        name: CHECKLISTS,
        rows: Rows::PerBranch,
        columns: cl_cols,
    };

    let mut m_cols = key_columns();
    let mut m_ids = vec![String::new(), String::new()];
    for m in measures(sys) {
        let note = if m.section == "votes" {
            "票数（人数），整数 ≥ 0"
        } else {
            "整数 ≥ 0"
        };
        for (part, suffix) in &m.parts {
            m_cols.push(col(
                format!("{}·{suffix}", m.label),
                note,
                Kind::Whole,
                Target::Measure {
                    section: m.section,
                    id: m.id.clone(),
                    part: part.clone(),
                },
            ));
            m_ids.push(format!("{}.{part}", m.id));
        }
    }
    dedupe_headers(&mut m_cols, &m_ids);
    let measures_sheet = SheetLayout {
        name: MEASURES,
        rows: Rows::PerBranch,
        columns: m_cols,
    };

    let mut d_cols = key_columns();
    let mut d_ids = vec![String::new(), String::new()];
    for (id, ty) in &sys.fact_types {
        let label = fact_label(sys, &|p| matches!(p, FactPath::Fact(f) if f == id), id);
        let (kind, note) = match ty {
            FactType::Bool => (Kind::Bool, format!("{YES} / {NO}")),
            FactType::Count => (Kind::Whole, "整数 ≥ 0".to_string()),
            FactType::NumberOrBool => (Kind::NumberOrBool, format!("数字，或 {YES} / {NO}")),
            _ => (Kind::Number, "数字".to_string()),
        };
        d_cols.push(col(label, note, kind, Target::Fact(id.clone())));
        d_ids.push(format!("facts.{id}"));
    }
    for id in &sys.incident_ids {
        let label = fact_label(sys, &|p| matches!(p, FactPath::Incident(f) if f == id), id);
        d_cols.push(col(
            label,
            "事件次数，整数 ≥ 0；未发生填 0",
            Kind::Whole,
            Target::Incident(id.clone()),
        ));
        d_ids.push(format!("incidents.{id}"));
    }
    for id in &sys.honor_ids {
        let label = fact_label(sys, &|p| matches!(p, FactPath::Honor(f) if f == id), id);
        d_cols.push(col(
            label,
            "荣誉次数，整数 ≥ 0",
            Kind::Whole,
            Target::Honor(id.clone()),
        ));
        d_ids.push(format!("honors.{id}"));
    }
    dedupe_headers(&mut d_cols, &d_ids);
    let data = SheetLayout {
        name: DATA,
        rows: Rows::PerBranch,
        columns: d_cols,
    };

    let mut a_cols = key_columns();
    a_cols.extend([
        col("指标编号", "不要修改", Kind::Id, Target::IndicatorId),
        col("指标", "仅供查看，不导入", Kind::Reference, Target::None),
        col("分值", "仅供查看，不导入", Kind::Reference, Target::None),
        col(
            "考评方式",
            "仅供查看，不导入",
            Kind::Reference,
            Target::None,
        ),
        col(
            "评分依据",
            "扣分条款及其所查数据填在哪张表，仅供查看",
            Kind::Reference,
            Target::None,
        ),
        col(
            "评价等级",
            "仅定性评价（评定等级）指标填写；下拉选择",
            Kind::Level,
            Target::Rating,
        ),
        col(
            "自评分",
            "0 至分值之间，最多两位小数",
            Kind::Score,
            Target::SelfScore,
        ),
    ]);
    let assessment = SheetLayout {
        name: ASSESSMENT,
        rows: Rows::Many,
        columns: a_cols,
    };

    let indicators = unique(
        sys.indicators()
            .map(|(_, i)| (i.id.clone(), i.label.clone()))
            .collect(),
    );
    Layout {
        sheets: vec![
            orgs,
            branches,
            meetings,
            checklists,
            measures_sheet,
            data,
            assessment,
            super::cycle::inspection_sheet(year),
            super::cycle::rectification_sheet(year),
        ],
        indicators,
        categories,
        meeting_kinds,
        marks: vec![
            Choice {
                label: DONE.into(),
                id: "done".into(),
            },
            Choice {
                label: NOT_DONE.into(),
                id: "not_done".into(),
            },
        ],
        booleans: vec![
            Choice {
                label: YES.into(),
                id: "true".into(),
            },
            Choice {
                label: NO.into(),
                id: "false".into(),
            },
        ],
        levels,
    }
}
