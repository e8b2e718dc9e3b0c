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

/// The first words of fact paths.
const ROOTS: &[&str] = &[
    "members",
    "meetings",
    "checklists",
    "surveys",
    "facts",
    "incidents",
    "honors",
    "ratings",
    "votes",
];

/// What is wrong with a fact path, and which of its dot-separated segments (0-based) when
/// the path is wrong in one of them (then the error points at that segment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    pub message: String,
    pub segment: Option<usize>,
}

impl FactPath {
    /// Parses a dotted path; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<FactPath, String> {
        FactPath::parse_at(text).map_err(|e| e.message)
    }

    /// [`FactPath::parse`], saying which segment is wrong.
    pub fn parse_at(text: &str) -> Result<FactPath, PathError> {
        let parts: Vec<&str> = text.split('.').collect();
        let wrong = |segment: usize, message: String| PathError {
            message,
            segment: Some(segment),
        };
        let id_ok = |id: &str, segment: usize| -> Result<String, PathError> {
            if is_valid_id(id) {
                Ok(id.to_string())
            } else {
                Err(wrong(
                    segment,
                    format!("`{id}` 不是合法的编号（只能用字母、数字、`_` 和 `-`）"),
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
                        return Err(wrong(
                            2,
                            format!(
                                "会议事实只有 `count`、`months`、`quarters`、`attendance`，没有 `{other}`"
                            ),
                        ));
                    }
                };
                let kind = if *kind == "all" {
                    None
                } else {
                    Some(id_ok(kind, 1)?)
                };
                Ok(FactPath::Meetings { kind, stat })
            }
            ["checklists", id] => Ok(FactPath::Checklist(id_ok(id, 1)?)),
            ["surveys", id, stat] => {
                let stat = match *stat {
                    "rate" => SurveyStat::Rate,
                    "respondents" => SurveyStat::Respondents,
                    other => {
                        return Err(wrong(
                            2,
                            format!("调查事实只有 `rate` 和 `respondents`，没有 `{other}`"),
                        ));
                    }
                };
                Ok(FactPath::Survey {
                    id: id_ok(id, 1)?,
                    stat,
                })
            }
            ["facts", id] => Ok(FactPath::Fact(id_ok(id, 1)?)),
            ["incidents", id] => Ok(FactPath::Incident(id_ok(id, 1)?)),
            ["honors", id] => Ok(FactPath::Honor(id_ok(id, 1)?)),
            ["ratings", id] => Ok(FactPath::Rating(id_ok(id, 1)?)),
            ["votes", id, rest @ ..] => {
                let stat = match rest {
                    [] => VoteStat::Tally,
                    ["total"] => VoteStat::Total,
                    ["rate", level] => VoteStat::Rate(id_ok(level, 3)?),
                    ["rate"] => {
                        return Err(wrong(
                            2,
                            format!("`{text}` 缺少等级：应为 votes.{id}.rate.<等级>"),
                        ));
                    }
                    [level] => VoteStat::Count(id_ok(level, 2)?),
                    _ => {
                        return Err(PathError {
                            message: format!(
                                "无法识别的评议路径 `{text}`：应为 votes.<编号>、votes.<编号>.total、votes.<编号>.<等级> 或 votes.<编号>.rate.<等级>"
                            ),
                            segment: None,
                        });
                    }
                };
                Ok(FactPath::Vote {
                    id: id_ok(id, 1)?,
                    stat,
                })
            }
            // An unknown first word is the wrong segment; a known one with the wrong
            // number of parts is the whole path.
            _ => Err(PathError {
                segment: (!ROOTS.contains(&parts[0])).then_some(0),
                message: format!(
                    "无法识别的事实路径 `{text}`：应为 members、meetings.<类型>.<count|months|quarters|attendance>、checklists.<编号>、surveys.<编号>.<rate|respondents>、facts.<编号>、incidents.<编号>、honors.<编号>、ratings.<指标编号> 或 votes.<评议编号>…"
                ),
            }),
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
    fn a_path_wrong_in_one_part_names_it() {
        let seg = |p: &str| FactPath::parse_at(p).unwrap_err().segment;
        assert_eq!(seg("meeting.committee.months"), Some(0));
        assert_eq!(seg("meetings.a b.months"), Some(1));
        assert_eq!(seg("meetings.committee.weeks"), Some(2));
        assert_eq!(seg("surveys.s.mean"), Some(2));
        assert_eq!(seg("facts.a!"), Some(1));
        assert_eq!(seg("votes.v.rate"), Some(2));
        assert_eq!(seg("votes.v.rate.p!"), Some(3));
        assert_eq!(seg("votes.v.p!"), Some(2));
        // Known first word, wrong number of parts: the whole path.
        assert_eq!(seg("meetings.committee"), None);
        assert_eq!(seg("votes.v.rate.a.b"), None);
        assert_eq!(seg("facts"), None);
    }

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
