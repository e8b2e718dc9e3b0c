//! The input model: what a project says, validated, with no scores in it.

pub mod deductions;
pub mod fact;
pub mod id;
pub mod indicators;
pub mod project;
pub mod record;

pub use deductions::{Bound, Clause, ClauseForm, StepAtMost};
pub use fact::{FactPath, FactType, FactValue, MeetingStat, SurveyStat};
pub use id::{Id, IdMap, IdSet};
pub use indicators::{
    Bonus, CondValue, Condition, Dimension, Grade, Indicator, IndicatorSystem, Op, Rule, Step, Veto,
};
pub use project::{Branch, Coverage, CoverageCount, Narrative, OrgNode, Project, Year};
pub use record::{Meeting, MeetingTally, Record, Survey};
