//! Facts, rules and conditions in plain Chinese, for people reading a report.

use rust_decimal::Decimal;

use super::format::{pct, plain};
use crate::model::{
    CondValue, Condition, FactPath, FactType, FactValue, Indicator, IndicatorSystem, MeetingStat,
    Rule, SurveyStat, VoteStat,
};

/// Chinese names of the rating levels the bundled system uses; other levels show as written.
pub fn level(l: &str) -> &str {
    match l {
        "excellent" => "优秀",
        "good" => "良好",
        "fair" => "一般",
        "poor" => "较差",
        other => other,
    }
}

/// What a fact path reads, e.g. `支委会召开月份数`.
pub fn fact(sys: &IndicatorSystem, path: &FactPath) -> String {
    match path {
        FactPath::Members => "党员人数".into(),
        FactPath::Meetings { kind, stat } => {
            let k = kind
                .as_deref()
                .map_or("组织生活", |k| sys.meeting_kind_label(k).unwrap_or(k));
            match stat {
                MeetingStat::Count => format!("{k}召开次数"),
                MeetingStat::Months => format!("{k}召开月份数"),
                MeetingStat::Quarters => format!("{k}召开季度数"),
                MeetingStat::Attendance => format!("{k}出席率"),
            }
        }
        FactPath::Checklist(id) => {
            let l = sys.checklist(id).map_or(id.as_str(), |c| c.label.as_str());
            format!("“{l}”完成情况")
        }
        // With a label map, the label; without one (version 1), the id in a phrase.
        FactPath::Survey { id, stat } => match (labelled(sys.survey_label(id), id), stat) {
            (Some(l), SurveyStat::Rate) => format!("“{l}”正面回答率"),
            (Some(l), SurveyStat::Respondents) => format!("“{l}”答卷人数"),
            (None, SurveyStat::Rate) => format!("{}调查正面回答率", survey_name(id)),
            (None, SurveyStat::Respondents) => format!("{}调查答卷人数", survey_name(id)),
        },
        FactPath::Fact(id) => match labelled(sys.fact_label(id), id) {
            Some(l) => format!("“{l}”"),
            None => format!("填报事项 {id}"),
        },
        FactPath::Incident(id) => match labelled(sys.incident_label(id), id) {
            Some(l) => format!("“{l}”起数"),
            None => format!("事件 {id} 起数"),
        },
        FactPath::Honor(id) => match labelled(sys.honor_label(id), id) {
            Some(l) => format!("“{l}”项数"),
            None => format!("荣誉 {id} 项数"),
        },
        FactPath::Rating(id) => {
            let l = sys.indicator(id).map_or(id.as_str(), |i| i.label.as_str());
            format!("考评组对“{l}”的评定")
        }
        FactPath::Vote { id, stat } => {
            let vote = sys.vote(id);
            let l = vote.map_or(id.as_str(), |v| v.label.as_str());
            let level = |k: &str| vote.and_then(|v| v.level_label(k)).unwrap_or(k).to_string();
            match stat {
                VoteStat::Tally => format!("“{l}”票数"),
                VoteStat::Total => format!("“{l}”总票数"),
                VoteStat::Count(k) => format!("“{l}”评为{}的票数", level(k)),
                VoteStat::Rate(k) => format!("“{l}”评为{}的比例", level(k)),
            }
        }
    }
}

/// The label a label map gives an id; `None` when there is none (the lookup gives the id).
fn labelled<'a>(label: &'a str, id: &str) -> Option<&'a str> {
    (label != id).then_some(label)
}

fn survey_name(id: &str) -> String {
    match id {
        "satisfaction" => "满意度".into(),
        "participation" => "参与度".into(),
        "awareness" => "知晓度".into(),
        other => format!("“{other}”"),
    }
}

fn is_rate(sys: &IndicatorSystem, path: &FactPath) -> bool {
    let _ = sys;
    path.intrinsic_type() == Some(FactType::Rate)
}

/// A threshold of a rule, as a percentage when the fact is a rate.
pub fn threshold(sys: &IndicatorSystem, path: &FactPath, v: Decimal) -> String {
    if is_rate(sys, path) { pct(v) } else { plain(v) }
}

/// The rule of an indicator in words.
pub fn rule(sys: &IndicatorSystem, ind: &Indicator) -> String {
    let t = |v: Decimal| threshold(sys, &ind.fact, v);
    match &ind.rule {
        Rule::Goalpost { low, high } if low < high => format!(
            "按比例计分：达到 {} 得满分，{} 及以下得 0 分，其间按比例",
            t(*high),
            t(*low)
        ),
        Rule::Goalpost { low, high } => format!(
            "按比例计分（越低越好）：{} 及以下得满分，{} 及以上得 0 分，其间按比例",
            t(*high),
            t(*low)
        ),
        Rule::Steps(steps) => {
            let parts: Vec<String> = steps
                .iter()
                .map(|s| format!("≥{} 得 {}", t(s.min), pct(s.share)))
                .collect();
            format!("分档计分：{}，其余 0 分", parts.join("，"))
        }
        Rule::Checklist(items) => {
            let labels = checklist_labels(sys, ind, items);
            format!(
                "清单计分：{} 每完成一项得 1/{}",
                labels.join("、"),
                items.len()
            )
        }
        Rule::Boolean(true) => "是则得满分，否则 0 分".into(),
        Rule::Boolean(false) => "否则得满分，是则 0 分".into(),
        Rule::Deduct { each } => format!("每发生 1 起扣 {} 分，扣完为止", plain(*each)),
        Rule::Rating(levels) => {
            let parts: Vec<String> = levels
                .iter()
                .map(|(l, s)| format!("{} {}", level(l), pct(*s)))
                .collect();
            format!("考评组评定：{}", parts.join("、"))
        }
        Rule::StepsAtMost(steps) => {
            let parts: Vec<String> = steps
                .iter()
                .map(|s| format!("≤{} 得 {}", t(s.max), pct(s.share)))
                .collect();
            format!("分档计分（越低越好）：{}，其余 0 分", parts.join("，"))
        }
        Rule::Deductions(clauses) => super::clauses::rule(sys, ind, clauses),
        Rule::Vote(weights) => {
            let vote = match &ind.fact {
                FactPath::Vote { id, .. } => sys.vote(id),
                _ => None,
            };
            let parts: Vec<String> = weights
                .iter()
                .map(|(l, w)| {
                    let name = vote.and_then(|v| v.level_label(l)).unwrap_or(l);
                    format!("{name} {}", pct(*w))
                })
                .collect();
            format!("按评议票数加权计分：{}", parts.join("、"))
        }
    }
}

fn checklist_labels<'a>(
    sys: &'a IndicatorSystem,
    ind: &Indicator,
    items: &'a [String],
) -> Vec<&'a str> {
    let cl = match &ind.fact {
        FactPath::Checklist(id) => sys.checklist(id),
        _ => None,
    };
    // Borrowed: every branch's basis of a checklist indicator names them.
    items
        .iter()
        .map(|i| {
            cl.and_then(|c| c.items.iter().find(|(k, _)| k == i))
                .map_or(i.as_str(), |(_, l)| l.as_str())
        })
        .collect()
}

/// The fact's value as read for this branch, for people: `10 个月`, `82.5%`, `是`.
pub fn basis(sys: &IndicatorSystem, ind: &Indicator, value: Option<&FactValue>) -> String {
    let Some(value) = value else {
        return "缺少数据".into();
    };
    match (value, &ind.rule) {
        (FactValue::List(done), Rule::Checklist(items)) => {
            let labels = checklist_labels(sys, ind, items);
            let missing: Vec<&str> = items
                .iter()
                .zip(&labels)
                .filter(|(i, _)| !done.contains(*i))
                .map(|(_, l)| *l)
                .collect();
            let hit = items.len() - missing.len();
            if missing.is_empty() {
                format!("完成 {hit}/{} 项", items.len())
            } else {
                format!("完成 {hit}/{} 项，缺{}", items.len(), missing.join("、"))
            }
        }
        _ => value_text(sys, &ind.fact, value),
    }
}

/// A fact's value with its unit.
pub fn value_text(sys: &IndicatorSystem, path: &FactPath, value: &FactValue) -> String {
    match value {
        FactValue::Bool(true) => "是".into(),
        FactValue::Bool(false) => "否".into(),
        FactValue::Level(l) => level(l).to_string(),
        FactValue::List(done) => format!("完成 {} 项", done.len()),
        FactValue::Tally(counts) => {
            let vote = match path {
                FactPath::Vote { id, .. } => sys.vote(id),
                _ => None,
            };
            let total: Decimal = counts.values().sum();
            let parts: Vec<String> = vote.map_or_else(Vec::new, |v| {
                v.levels
                    .iter()
                    .map(|(k, l)| {
                        format!("{l} {}", plain(counts.get(k).copied().unwrap_or_default()))
                    })
                    .collect()
            });
            format!("{}（共 {} 票）", parts.join("、"), plain(total))
        }
        FactValue::Number(n) => {
            let n = *n;
            match path {
                FactPath::Members => format!("{} 人", plain(n)),
                FactPath::Meetings { stat, .. } => match stat {
                    MeetingStat::Count => format!("{} 次", plain(n)),
                    MeetingStat::Months => format!("{} 个月", plain(n)),
                    MeetingStat::Quarters => format!("{} 个季度", plain(n)),
                    MeetingStat::Attendance => pct(n),
                },
                FactPath::Survey {
                    stat: SurveyStat::Rate,
                    ..
                } => pct(n),
                FactPath::Survey { .. } => format!("{} 人", plain(n)),
                FactPath::Incident(_) => format!("{} 起", plain(n)),
                FactPath::Honor(_) => format!("{} 项", plain(n)),
                _ if is_rate(sys, path) => pct(n),
                _ => plain(n),
            }
        }
    }
}

/// A veto's condition in words: `“党员违纪违法”起数 > 0` (`事件 discipline_violations 起数 > 0`
/// without an incident label map).
pub fn condition(sys: &IndicatorSystem, c: &Condition) -> String {
    let v = match &c.value {
        CondValue::Number(n) => threshold(sys, &c.fact, *n),
        CondValue::Bool(true) => "是".into(),
        CondValue::Bool(false) => "否".into(),
        CondValue::Level(l) => level(l).to_string(),
    };
    format!("{} {} {v}", fact(sys, &c.fact), c.op.symbol())
}

/// Which categories an indicator applies to, in words.
pub fn applies_to(sys: &IndicatorSystem, ind: &Indicator) -> String {
    match &ind.applies_to {
        None => "全部类别".into(),
        Some(cats) => cats
            .iter()
            .map(|c| sys.category_label(c).unwrap_or(c).to_string())
            .collect::<Vec<_>>()
            .join("、"),
    }
}
