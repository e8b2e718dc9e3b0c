//! Fact paths (`meetings.committee.months`, `surveys.satisfaction.rate` …) and their types.

use std::fmt;

use rust_decimal::Decimal;

use super::id::{Id, IdMap, IdSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MeetingStat {
    Count,
    Months,
    Quarters,
    Attendance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SurveyStat {
    Rate,
    Respondents,
}

/// What a `votes.<id>…` path reads of a graded vote (评议、测评).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum VoteStat {
    /// `votes.<id>`: the whole tally, read by a `vote` rule.
    Tally,
    /// `votes.<id>.total`
    Total,
    /// `votes.<id>.<level>`
    Count(String),
    /// `votes.<id>.rate.<level>`
    Rate(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FactPath {
    Members,
    /// `kind` is `None` for `meetings.all.*`.
    Meetings {
        kind: Option<String>,
        stat: MeetingStat,
    },
    Checklist(String),
    Survey {
        id: String,
        stat: SurveyStat,
    },
    Fact(String),
    Incident(String),
    Honor(String),
    Rating(String),
    Vote {
        id: String,
        stat: VoteStat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactType {
    Count,
    Rate,
    Number,
    /// A `facts.<id>` read as an amount (a `deductions` clause's bare `each`): a number ≥ 0.
    NonNegative,
    Bool,
    List,
    Level,
    /// A `facts.<id>` that nothing in the indicator system constrains to one type.
    NumberOrBool,
    /// The counts per level of a graded vote (`votes.<id>`).
    Tally,
}

impl FactType {
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            FactType::Count | FactType::Rate | FactType::Number | FactType::NonNegative
        )
    }

    pub fn label(self) -> &'static str {
        match self {
            FactType::Count => "计数",
            FactType::Rate => "比率",
            FactType::Number => "数值",
            FactType::NonNegative => "非负数值",
            FactType::Bool => "是/否",
            FactType::List => "清单",
            FactType::Level => "评定等级",
            FactType::NumberOrBool => "数值或是/否",
            FactType::Tally => "评议票数",
        }
    }
}

/// A fact's value for one branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactValue {
    Number(Decimal),
    Bool(bool),
    List(IdSet),
    Level(Id),
    /// A vote's counts by level (levels the record leaves out are absent and count 0).
    Tally(IdMap<Decimal>),
}

impl FactValue {
    pub fn as_number(&self) -> Option<Decimal> {
        match self {
            FactValue::Number(n) => Some(*n),
            _ => None,
        }
    }
}

pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

impl FactPath {
    /// Parses a dotted path; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<FactPath, String> {
        let parts: Vec<&str> = text.split('.').collect();
        let id_ok = |id: &str| -> Result<String, String> {
            if is_valid_id(id) {
                Ok(id.to_string())
            } else {
                Err(format!(
                    "`{id}` 不是合法的编号（只能用字母、数字、`_` 和 `-`）"
                ))
            }
        };
        match parts.as_slice() {
            ["members"] => Ok(FactPath::Members),
            ["meetings", kind, stat] => {
                let stat = match *stat {
                    "count" => MeetingStat::Count,
                    "months" => MeetingStat::Months,
                    "quarters" => MeetingStat::Quarters,
                    "attendance" => MeetingStat::Attendance,
                    other => {
                        return Err(format!(
                            "会议事实只有 `count`、`months`、`quarters`、`attendance`，没有 `{other}`"
                        ));
                    }
                };
                let kind = if *kind == "all" {
                    None
                } else {
                    Some(id_ok(kind)?)
                };
                Ok(FactPath::Meetings { kind, stat })
            }
            ["checklists", id] => Ok(FactPath::Checklist(id_ok(id)?)),
            ["surveys", id, stat] => {
                let stat = match *stat {
                    "rate" => SurveyStat::Rate,
                    "respondents" => SurveyStat::Respondents,
                    other => {
                        return Err(format!(
                            "调查事实只有 `rate` 和 `respondents`，没有 `{other}`"
                        ));
                    }
                };
                Ok(FactPath::Survey {
                    id: id_ok(id)?,
                    stat,
                })
            }
            ["facts", id] => Ok(FactPath::Fact(id_ok(id)?)),
            ["incidents", id] => Ok(FactPath::Incident(id_ok(id)?)),
            ["honors", id] => Ok(FactPath::Honor(id_ok(id)?)),
            ["ratings", id] => Ok(FactPath::Rating(id_ok(id)?)),
            ["votes", id, rest @ ..] => {
                let stat = match rest {
                    [] => VoteStat::Tally,
                    ["total"] => VoteStat::Total,
                    ["rate", level] => VoteStat::Rate(id_ok(level)?),
                    ["rate"] => {
                        return Err(format!("`{text}` 缺少等级：应为 votes.{id}.rate.<等级>"));
                    }
                    [level] => VoteStat::Count(id_ok(level)?),
                    _ => {
                        return Err(format!(
                            "无法识别的评议路径 `{text}`：应为 votes.<编号>、votes.<编号>.total、votes.<编号>.<等级> 或 votes.<编号>.rate.<等级>"
                        ));
                    }
                };
                Ok(FactPath::Vote {
                    id: id_ok(id)?,
                    stat,
                })
            }
            _ => Err(format!(
                "无法识别的事实路径 `{text}`：应为 members、meetings.<类型>.<count|months|quarters|attendance>、checklists.<编号>、surveys.<编号>.<rate|respondents>、facts.<编号>、incidents.<编号>、honors.<编号>、ratings.<指标编号> 或 votes.<评议编号>…"
            )),
        }
    }

    /// The type of the fact, except for `facts.<id>`, whose type the system decides.
    pub fn intrinsic_type(&self) -> Option<FactType> {
        Some(match self {
            FactPath::Members | FactPath::Incident(_) | FactPath::Honor(_) => FactType::Count,
            FactPath::Meetings { stat, .. } => match stat {
                MeetingStat::Attendance => FactType::Rate,
                _ => FactType::Count,
            },
            FactPath::Checklist(_) => FactType::List,
            FactPath::Survey { stat, .. } => match stat {
                SurveyStat::Rate => FactType::Rate,
                SurveyStat::Respondents => FactType::Count,
            },
            FactPath::Fact(_) => return None,
            FactPath::Rating(_) => FactType::Level,
            FactPath::Vote { stat, .. } => match stat {
                VoteStat::Tally => FactType::Tally,
                VoteStat::Total | VoteStat::Count(_) => FactType::Count,
                VoteStat::Rate(_) => FactType::Rate,
            },
        })
    }
}

impl fmt::Display for FactPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FactPath::Members => write!(f, "members"),
            FactPath::Meetings { kind, stat } => {
                let stat = match stat {
                    MeetingStat::Count => "count",
                    MeetingStat::Months => "months",
                    MeetingStat::Quarters => "quarters",
                    MeetingStat::Attendance => "attendance",
                };
                write!(f, "meetings.{}.{stat}", kind.as_deref().unwrap_or("all"))
            }
            FactPath::Checklist(id) => write!(f, "checklists.{id}"),
            FactPath::Survey { id, stat } => {
                let stat = match stat {
                    SurveyStat::Rate => "rate",
                    SurveyStat::Respondents => "respondents",
                };
                write!(f, "surveys.{id}.{stat}")
            }
            FactPath::Fact(id) => write!(f, "facts.{id}"),
            FactPath::Incident(id) => write!(f, "incidents.{id}"),
            FactPath::Honor(id) => write!(f, "honors.{id}"),
            FactPath::Rating(id) => write!(f, "ratings.{id}"),
            FactPath::Vote { id, stat } => match stat {
                VoteStat::Tally => write!(f, "votes.{id}"),
                VoteStat::Total => write!(f, "votes.{id}.total"),
                VoteStat::Count(level) => write!(f, "votes.{id}.{level}"),
                VoteStat::Rate(level) => write!(f, "votes.{id}.rate.{level}"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_every_form() {
        for p in [
            "members",
            "meetings.committee.months",
            "meetings.all.attendance",
            "checklists.five_ones",
            "surveys.satisfaction.rate",
            "surveys.satisfaction.respondents",
            "facts.funding_secured",
            "incidents.discipline_violations",
            "honors.district_brand",
            "ratings.work_style",
            "votes.secretary_review",
            "votes.secretary_review.total",
            "votes.secretary_review.good",
            "votes.secretary_review.rate.poor",
        ] {
            assert_eq!(FactPath::parse(p).unwrap().to_string(), p);
        }
        assert!(FactPath::parse("meetings.committee").is_err());
        assert!(FactPath::parse("meetings.committee.weeks").is_err());
        assert!(FactPath::parse("surveys.x.mean").is_err());
        assert!(FactPath::parse("other.x").is_err());
        assert!(FactPath::parse("facts.a b").is_err());
        assert!(FactPath::parse("votes.x.rate").is_err());
        assert!(FactPath::parse("votes.x.rate.a.b").is_err());
        assert_eq!(
            FactPath::parse("votes.x.rate.poor")
                .unwrap()
                .intrinsic_type(),
            Some(FactType::Rate)
        );
        assert_eq!(
            FactPath::parse("votes.x").unwrap().intrinsic_type(),
            Some(FactType::Tally)
        );
    }
}
