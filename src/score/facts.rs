//! Derived facts: what a fact path reads from one record (SCHEMA.md, "Derived facts").

use rust_decimal::Decimal;

use crate::model::{FactPath, FactValue, MeetingStat, MeetingTally, Record, SurveyStat, VoteStat};

/// The value of a fact for a record, or `None` when it is *missing*.
pub fn value(record: &Record, path: &FactPath) -> Option<FactValue> {
    match path {
        FactPath::Members => record.members.map(FactValue::Number),
        FactPath::Meetings { kind, stat } => meetings(record, kind.as_deref(), *stat),
        FactPath::Checklist(id) => record
            .checklists
            .get(id)
            .map(|done| FactValue::List(done.clone())),
        FactPath::Survey { id, stat } => {
            let s = record.surveys.get(id)?;
            match stat {
                SurveyStat::Respondents => Some(FactValue::Number(s.respondents)),
                SurveyStat::Rate if s.respondents.is_zero() => None,
                SurveyStat::Rate => Some(FactValue::Number(s.positive / s.respondents)),
            }
        }
        FactPath::Fact(id) => record.facts.get(id).cloned(),
        FactPath::Incident(id) => record.incidents.get(id).copied().map(FactValue::Number),
        FactPath::Honor(id) => record.honors.get(id).copied().map(FactValue::Number),
        FactPath::Rating(id) => record
            .ratings
            .get(id)
            .map(|level| FactValue::Level(level.clone())),
        FactPath::Vote { id, stat } => {
            // Every path of a vote the record does not give is missing.
            let counts = record.votes.get(id)?;
            let total: Decimal = counts.values().sum();
            let count = |level: &str| counts.get(level).copied().unwrap_or(Decimal::ZERO);
            Some(match stat {
                VoteStat::Tally => FactValue::Tally(counts.clone()),
                VoteStat::Total => FactValue::Number(total),
                VoteStat::Count(level) => FactValue::Number(count(level)),
                VoteStat::Rate(_) if total.is_zero() => return None,
                VoteStat::Rate(level) => FactValue::Number(count(level) / total),
            })
        }
    }
}

fn meetings(record: &Record, kind: Option<&str>, stat: MeetingStat) -> Option<FactValue> {
    let tally = match kind {
        Some(k) => record.meetings.get(k).copied().unwrap_or_default(),
        None => record
            .meetings
            .values()
            .fold(MeetingTally::default(), |mut all, t| {
                all.merge(t);
                all
            }),
    };
    let n = match stat {
        MeetingStat::Count => Decimal::from(tally.count),
        MeetingStat::Months => Decimal::from(tally.months.count_ones()),
        MeetingStat::Quarters => {
            // Months 1–3 are quarter 0, and so on.
            let quarters = (0..4u32)
                .filter(|q| tally.months & (0b1110 << (3 * q)) != 0)
                .count();
            Decimal::from(quarters)
        }
        MeetingStat::Attendance => {
            if tally.expected.is_zero() {
                return None;
            }
            tally.present / tally.expected
        }
    };
    Some(FactValue::Number(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Meeting, Survey};
    use std::str::FromStr;

    fn meeting(date: (i32, u32, u32), kind: &str, attendance: Option<(i64, i64)>) -> Meeting {
        Meeting {
            date,
            kind: kind.into(),
            expected: attendance.map(|a| Decimal::from(a.0)),
            present: attendance.map(|a| Decimal::from(a.1)),
        }
    }

    #[test]
    fn meeting_facts() {
        let mut rec = Record::default();
        for m in [
            meeting((2026, 1, 8), "committee", Some((5, 5))),
            meeting((2026, 1, 20), "committee", Some((5, 3))),
            meeting((2026, 4, 2), "committee", None),
            meeting((2026, 12, 2), "lecture", Some((10, 9))),
        ] {
            rec.add_meeting(&m);
        }
        let get = |p: &str| value(&rec, &FactPath::parse(p).unwrap());
        let n = |s: &str| Some(FactValue::Number(Decimal::from_str(s).unwrap()));
        assert_eq!(get("meetings.committee.count"), n("3"));
        assert_eq!(get("meetings.committee.months"), n("2"));
        assert_eq!(get("meetings.committee.quarters"), n("2"));
        assert_eq!(get("meetings.committee.attendance"), n("0.8"));
        assert_eq!(get("meetings.all.quarters"), n("3"));
        assert_eq!(get("meetings.all.attendance"), n("0.85"));
        assert_eq!(get("meetings.general.count"), n("0"));
        assert_eq!(get("meetings.general.attendance"), None);
        assert_eq!(get("members"), None);
    }

    #[test]
    fn vote_facts_and_what_is_missing() {
        let mut rec = Record::default();
        let counts: crate::model::IdMap<Decimal> = [
            ("excellent", Decimal::from(31)),
            ("good", Decimal::from(12)),
            ("fair", Decimal::from(2)),
        ]
        .into_iter()
        .collect();
        rec.votes.insert("review", counts);
        rec.votes.insert("empty", crate::model::IdMap::default());
        let get = |p: &str| value(&rec, &FactPath::parse(p).unwrap());
        let n = |s: &str| Some(FactValue::Number(Decimal::from_str(s).unwrap()));
        // 31 + 12 + 2 = 45; an absent level counts 0.
        assert_eq!(get("votes.review.total"), n("45"));
        assert_eq!(get("votes.review.good"), n("12"));
        assert_eq!(get("votes.review.poor"), n("0"));
        // 2 ÷ 45, exactly as the division gives it.
        assert_eq!(
            get("votes.review.rate.fair"),
            Some(FactValue::Number(Decimal::from(2) / Decimal::from(45)))
        );
        // A vote given with no votes: total 0, rates missing; a vote not given: all missing.
        assert_eq!(get("votes.empty.total"), n("0"));
        assert_eq!(get("votes.empty.rate.good"), None);
        assert_eq!(get("votes.other.total"), None);
        assert_eq!(get("votes.other"), None);
    }

    #[test]
    fn survey_with_no_respondents_has_no_rate() {
        let mut rec = Record::default();
        rec.surveys.insert(
            "s",
            Survey {
                respondents: Decimal::ZERO,
                positive: Decimal::ZERO,
            },
        );
        assert_eq!(
            value(&rec, &FactPath::parse("surveys.s.rate").unwrap()),
            None
        );
        assert_eq!(
            value(&rec, &FactPath::parse("surveys.s.respondents").unwrap()),
            Some(FactValue::Number(Decimal::ZERO))
        );
        assert_eq!(
            value(&rec, &FactPath::parse("surveys.t.respondents").unwrap()),
            None
        );
    }
}
