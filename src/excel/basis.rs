//! What the 考评 sheet says an indicator is scored on (评分依据): for a `deductions` rule
//! each clause in the rulebook's words (its label, or the sentence `view::clauses` makes)
//! with the sheet and column where the fact it reads is filled, so an inspector checks and
//! fills findings clause by clause; for any other rule the one fact it reads.

use super::layout::{self, Layout, Target};
use crate::model::{FactPath, Indicator, IndicatorSystem, MeetingStat, Rule, SurveyStat};
use crate::view::clauses;

/// Where a fact is filled in the workbook: `数据表“活动经费有保障”`, `会议表（按支委会自动统计月数）`.
pub fn source(sys: &IndicatorSystem, layout: &Layout, path: &FactPath) -> String {
    let header = |sheet: &str, t: &Target| {
        layout
            .sheet(sheet)
            .and_then(|s| s.columns.iter().find(|c| c.target == *t))
            .map(|c| format!("{sheet}表“{}”", c.header))
            .unwrap_or_else(|| format!("{sheet}表"))
    };
    match path {
        FactPath::Members => header(layout::BRANCHES, &Target::Members),
        FactPath::Meetings { kind, stat } => {
            let k = kind
                .as_deref()
                .map_or("各类会议", |k| sys.meeting_kind_label(k).unwrap_or(k));
            let what = match stat {
                MeetingStat::Count => "次数",
                MeetingStat::Months => "开会的月数",
                MeetingStat::Quarters => "开会的季度数",
                MeetingStat::Attendance => "出席率",
            };
            format!("{}表（按{k}自动统计{what}）", layout::MEETINGS)
        }
        FactPath::Checklist(id) => {
            let l = sys.checklist(id).map_or(id.as_str(), |c| c.label.as_str());
            format!("{}表“{l}”各项", layout::CHECKLISTS)
        }
        FactPath::Survey { id, stat } => {
            let t = Target::Measure {
                section: "surveys",
                id: id.clone(),
                part: "respondents".to_string(),
            };
            let h = header(layout::MEASURES, &t);
            match stat {
                SurveyStat::Rate => format!("{h}和肯定人数"),
                SurveyStat::Respondents => h,
            }
        }
        FactPath::Fact(id) => header(layout::DATA, &Target::Fact(id.clone())),
        FactPath::Incident(id) => header(layout::DATA, &Target::Incident(id.clone())),
        FactPath::Honor(id) => header(layout::DATA, &Target::Honor(id.clone())),
        FactPath::Rating(_) => "本表“评价等级”（考评组评定）".to_string(),
        FactPath::Vote { id, .. } => {
            let l = sys.vote(id).map_or(id.as_str(), |v| v.label.as_str());
            format!("{}表“{l}”各等次票数", layout::MEASURES)
        }
    }
}

/// The 评分依据 cell of an indicator's row: the clauses one per line, or the fact it reads.
pub fn cell(sys: &IndicatorSystem, layout: &Layout, ind: &Indicator) -> String {
    match &ind.rule {
        Rule::Deductions(list) => {
            let mut lines = vec![format!(
                "扣分制，满分 {} 分，扣完为止：",
                crate::decimal::show(ind.points)
            )];
            for (n, c) in list.iter().enumerate() {
                lines.push(format!(
                    "{}. {}（查：{}）",
                    n + 1,
                    clauses::text(sys, ind, c),
                    source(sys, layout, &c.fact)
                ));
            }
            lines.join("\n")
        }
        _ => format!("查：{}", source(sys, layout, &ind.fact)),
    }
}
