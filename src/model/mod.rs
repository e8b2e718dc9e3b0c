//! The input model: what a project says, validated, with no scores in it.

pub mod date;
pub mod deductions;
pub mod fact;
pub mod id;
pub mod indicators;
pub mod project;
pub mod record;

pub use date::Date;
pub use deductions::{Bound, Clause, ClauseForm, StepAtMost};
pub use fact::{FactPath, FactType, FactValue, MeetingStat, SurveyStat, VoteStat};
pub use id::{Id, IdMap, IdSet};
pub use indicators::{
    Bonus, CondValue, Condition, Dimension, Grade, Indicator, IndicatorSystem, Labels, Op, Rule,
    Step, Veto, View, ViewGroup, Vote,
};
pub use project::{Branch, Coverage, CoverageCount, Narrative, OrgNode, Project, Withdrawn, Year};
pub use record::{Inspection, Meeting, MeetingTally, Record, Rectification, Survey};
