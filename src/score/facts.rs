//! Derived facts: what a fact path reads from one record (SCHEMA.md, "Derived facts").

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use crate::model::{FactPath, FactValue, MeetingStat, Record, SurveyStat};

/// The value of a fact for a record, or `None` when it is *missing*.
pub fn value(record: &Record, path: &FactPath) -> Option<FactValue> {
    match path {
        FactPath::Members => record.members.map(FactValue::Number),
        FactPath::Meetings { kind, stat } => meetings(record, kind.as_deref(), *stat),
        FactPath::Checklist(id) => record.checklists.get(id).cloned().map(FactValue::List),
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
        FactPath::Rating(id) => record.ratings.get(id).cloned().map(FactValue::Level),
    }
}

fn meetings(record: &Record, kind: Option<&str>, stat: MeetingStat) -> Option<FactValue> {
    let selected = record
        .meetings
        .iter()
        .filter(|m| kind.is_none_or(|k| m.kind == k));
    let n = match stat {
        MeetingStat::Count => Decimal::from(selected.count()),
        MeetingStat::Months => {
            let months: BTreeSet<u32> = selected.map(|m| m.date.1).collect();
            Decimal::from(months.len())
        }
        MeetingStat::Quarters => {
            let quarters: BTreeSet<u32> = selected.map(|m| (m.date.1 - 1) / 3).collect();
            Decimal::from(quarters.len())
        }
        MeetingStat::Attendance => {
            let (mut present, mut expected) = (Decimal::ZERO, Decimal::ZERO);
            for m in selected {
                if let (Some(e), Some(p)) = (m.expected, m.present) {
                    expected += e;
                    present += p;
                }
            }
            if expected.is_zero() {
                return None;
            }
            present / expected
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
            topic: "t".into(),
            expected: attendance.map(|a| Decimal::from(a.0)),
            present: attendance.map(|a| Decimal::from(a.1)),
        }
    }

    #[test]
    fn meeting_facts() {
        let rec = Record {
            meetings: vec![
                meeting((2026, 1, 8), "committee", Some((5, 5))),
                meeting((2026, 1, 20), "committee", Some((5, 3))),
                meeting((2026, 4, 2), "committee", None),
                meeting((2026, 12, 2), "lecture", Some((10, 9))),
            ],
            ..Record::default()
        };
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
    fn survey_with_no_respondents_has_no_rate() {
        let mut rec = Record::default();
        rec.surveys.insert(
            "s".into(),
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
