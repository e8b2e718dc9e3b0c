//! A branch record (党支部), validated against its year's indicator system.

use rust_decimal::Decimal;

use super::date::Date;
use super::fact::FactValue;
use super::id::{Id, IdMap, IdSet};
use crate::diagnostics::Pos;

/// One meeting of the ledger, as read. Records keep only the tally of each kind (see
/// [`MeetingTally`]); the topic is validated and dropped, as nothing reports it.
#[derive(Debug, Clone)]
pub struct Meeting {
    /// (year, month, day)
    pub date: (i32, u32, u32),
    pub kind: Id,
    pub expected: Option<Decimal>,
    pub present: Option<Decimal>,
}

/// What the meeting facts read from the meetings of one kind. A ledger has dozens of
/// meetings per branch; this is all the scorer asks of them, in a fixed size per kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MeetingTally {
    pub count: u32,
    /// Bit `m` is set when a meeting was held in month `m` (1–12).
    pub months: u16,
    /// Sums over the meetings that give both `expected` and `present`. Each meeting's
    /// numbers are whole and at most `decimal::MAX_MAGNITUDE`, so the sums are exact
    /// whatever the order of the meetings.
    pub expected: Decimal,
    pub present: Decimal,
}

impl MeetingTally {
    pub fn add(&mut self, m: &Meeting) {
        self.count += 1;
        self.months |= 1 << m.date.1;
        if let (Some(e), Some(p)) = (m.expected, m.present) {
            self.expected += e;
            self.present += p;
        }
    }

    pub fn merge(&mut self, other: &MeetingTally) {
        self.count += other.count;
        self.months |= other.months;
        self.expected += other.expected;
        self.present += other.present;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Survey {
    pub respondents: Decimal,
    pub positive: Decimal,
}

/// The inspection team's findings (考评组：听、查、评).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    pub date: Date,
    pub team: Vec<String>,
    /// 抽查 (true) or part of an inspection of every branch (false).
    pub sampled: bool,
    pub methods: Vec<String>,
    /// Parts of the record checked against the originals, in the order written.
    pub verified: Vec<String>,
    pub overall: Option<String>,
    pub opinions: Vec<String>,
    /// Where each text above starts in the record (for warnings about a character no font
    /// can draw): one position per member of `team`, `methods` and `opinions`, in order.
    pub team_at: Vec<Pos>,
    pub methods_at: Vec<Pos>,
    pub overall_at: Option<Pos>,
    pub opinions_at: Vec<Pos>,
}

/// One item of the branch's rectification plan (整改).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rectification {
    pub id: String,
    pub problem: String,
    pub measure: String,
    pub owner: Option<String>,
    pub due: Date,
    /// An indicator of the year's system that applies to the branch.
    pub indicator: Option<Id>,
    pub done: Option<Date>,
    /// Where `problem`, `measure` and `owner` start in the record (for warnings about a
    /// character no font can draw).
    pub problem_at: Pos,
    pub measure_at: Pos,
    pub owner_at: Option<Pos>,
}

#[derive(Debug, Clone, Default)]
pub struct Record {
    pub name: String,
    pub category: String,
    pub members: Option<Decimal>,
    pub secretary: Option<String>,
    /// Where the values of `name` and `secretary` start in the file, for a report that must
    /// say where a character it cannot print was written.
    pub name_at: Option<Pos>,
    pub secretary_at: Option<Pos>,
    /// By meeting kind; kinds without meetings are absent.
    pub meetings: IdMap<MeetingTally>,
    /// Checklist id → the items done.
    pub checklists: IdMap<IdSet>,
    pub surveys: IdMap<Survey>,
    pub facts: IdMap<FactValue>,
    pub incidents: IdMap<Decimal>,
    /// Indicator id → level id.
    pub ratings: IdMap<Id>,
    pub honors: IdMap<Decimal>,
    /// In the order written.
    pub self_scores: Vec<(Id, Decimal)>,
    /// Vote id → level → count; levels the record leaves out are absent (count 0).
    pub votes: IdMap<IdMap<Decimal>>,
    pub inspection: Option<Inspection>,
    /// In record order.
    pub rectification: Vec<Rectification>,
}

impl Record {
    pub fn add_meeting(&mut self, m: &Meeting) {
        self.meetings
            .get_or_insert(m.kind.clone(), MeetingTally::default())
            .add(m);
    }

    /// Gives back the room the record's collections grew into while it was read.
    pub fn shrink_to_fit(&mut self) {
        self.meetings.shrink_to_fit();
        self.checklists.shrink_to_fit();
        self.surveys.shrink_to_fit();
        self.facts.shrink_to_fit();
        self.incidents.shrink_to_fit();
        self.ratings.shrink_to_fit();
        self.honors.shrink_to_fit();
        self.self_scores.shrink_to_fit();
        self.votes.shrink_to_fit();
        self.rectification.shrink_to_fit();
    }
}
