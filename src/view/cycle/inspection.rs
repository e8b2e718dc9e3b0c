//! The inspection team's findings (考评组：听、查、评) on a branch, what of its record was
//! checked against the originals and what is self-reported only, and how much of the
//! district the inspection covered.

use schemars::JsonSchema;
use serde::Serialize;

use super::date_text;
use crate::model::{Record, Year};
use crate::view::format::ratio;
use crate::view::refs::IdLabel;
use crate::view::text::Text;

/// The parts of a record an inspection can verify, in the contract's order, with the names
/// a reader knows them by.
pub const PARTS: [(&str, &str); 9] = [
    ("meetings", "组织生活台账"),
    ("checklists", "工作清单"),
    ("surveys", "问卷测评"),
    ("facts", "工作数据"),
    ("incidents", "事件记录"),
    ("ratings", "定性评价"),
    ("honors", "荣誉"),
    ("votes", "评议票数"),
    ("self_scores", "自评分"),
];

/// Whether the record gives that part at all.
fn gives(r: &Record, part: &str) -> bool {
    match part {
        "meetings" => !r.meetings.is_empty(),
        "checklists" => !r.checklists.is_empty(),
        "surveys" => !r.surveys.is_empty(),
        "facts" => !r.facts.is_empty(),
        "incidents" => !r.incidents.is_empty(),
        "ratings" => !r.ratings.is_empty(),
        "honors" => !r.honors.is_empty(),
        "votes" => !r.votes.is_empty(),
        "self_scores" => !r.self_scores.is_empty(),
        _ => false,
    }
}

fn part(id: &'static str, label: &'static str) -> IdLabel<'static> {
    IdLabel {
        id,
        label: label.into(),
    }
}

/// 考评组对一个支部的检查情况。
///
/// What the inspection team found at one branch.
#[derive(Serialize, JsonSchema)]
pub struct InspectionView<'a> {
    /// 记录中有检查情况（`inspection`）时为 true。
    ///
    /// True when the record gives an `inspection` block.
    pub inspected: bool,
    /// 检查日期，如“2026年11月20日”；未检查时为 null。
    ///
    /// The date, e.g. 2026年11月20日; null when not inspected.
    pub date: Option<Text<'static>>,
    /// 考评组成员。
    ///
    /// The team.
    pub team: Vec<Text<'a>>,
    /// 检查方式：“抽查”或“全面检查”；未检查时为 null。
    ///
    /// 抽查 (sampled) or 全面检查 (every branch); null when not inspected.
    pub mode: Option<Text<'static>>,
    /// 抽查时为 true；未检查时为 null。
    ///
    /// True when sampled; null when not inspected.
    pub sampled: Option<bool>,
    /// 检查方法（听、查、评）。
    ///
    /// The methods (听、查、评).
    pub methods: Vec<Text<'a>>,
    /// 经考评组与原始材料核对的部分。
    ///
    /// The parts of the record checked against the originals.
    pub verified: Vec<IdLabel<'static>>,
    /// 记录中填报了、但未经核对的部分（仅为自报）。
    ///
    /// The parts the record gives that were not checked (self-reported only).
    pub self_reported: Vec<IdLabel<'static>>,
    /// 综合评价；没有时为 null。
    ///
    /// The overall view; null when none is given.
    pub overall: Option<Text<'a>>,
    /// 整改意见。
    ///
    /// The rectification opinions.
    pub opinions: Vec<Text<'a>>,
}

pub fn branch(r: &Record) -> InspectionView<'_> {
    let ins = r.inspection.as_ref();
    let verified_ids: &[String] = ins.map_or(&[], |i| i.verified.as_slice());
    let is_verified = |id: &str| verified_ids.iter().any(|v| v == id);
    InspectionView {
        inspected: ins.is_some(),
        date: ins.map(|i| date_text(i.date).into()),
        team: ins.map_or_else(Vec::new, |i| i.team.iter().map(Text::from).collect()),
        mode: ins.map(|i| if i.sampled { "抽查" } else { "全面检查" }.into()),
        sampled: ins.map(|i| i.sampled),
        methods: ins.map_or_else(Vec::new, |i| i.methods.iter().map(Text::from).collect()),
        verified: PARTS
            .iter()
            .filter(|(id, _)| is_verified(id))
            .map(|&(id, label)| part(id, label))
            .collect(),
        self_reported: PARTS
            .iter()
            .filter(|(id, _)| gives(r, id) && !is_verified(id))
            .map(|&(id, label)| part(id, label))
            .collect(),
        overall: ins.and_then(|i| i.overall.as_ref()).map(Text::from),
        opinions: ins.map_or_else(Vec::new, |i| i.opinions.iter().map(Text::from).collect()),
    }
}

/// 全区的检查覆盖情况。
///
/// How much of the district the inspection covered.
#[derive(Serialize, JsonSchema)]
pub struct InspectionCoverage<'a> {
    /// 参评支部数。
    ///
    /// Branches in the year.
    pub branches: usize,
    /// 接受检查的支部数。
    ///
    /// Branches inspected.
    pub inspected: usize,
    /// 接受检查的比例，如 `"40.0%"`；没有支部时为 null。
    ///
    /// The share inspected, e.g. `"40.0%"`; null without branches.
    pub inspected_share: Option<String>,
    /// 其中抽查的支部数。
    ///
    /// Of them, sampled.
    pub sampled: usize,
    /// 其中全面检查的支部数。
    ///
    /// Of them, inspected as part of an inspection of every branch.
    pub full: usize,
    /// 至少有一部分记录经过核对的支部数。
    ///
    /// Branches with at least one part of the record verified.
    pub verified: usize,
    /// 记录经过核对的支部比例；没有支部时为 null。
    ///
    /// The share of records with something verified; null without branches.
    pub verified_share: Option<String>,
    /// 各部分记录经过核对的支部数及比例（占全部支部）。
    ///
    /// Per part of the record: how many branches had it verified, and the share of all.
    pub parts: Vec<PartCoverage<'a>>,
}

/// 某一部分记录的核对情况。
///
/// How many records had one part verified.
#[derive(Serialize, JsonSchema)]
pub struct PartCoverage<'a> {
    /// 部分：标识（如 `meetings`）和名称。
    ///
    /// The part: id (e.g. `meetings`) and name.
    pub part: IdLabel<'a>,
    /// 经过核对的支部数。
    ///
    /// Branches that had it verified.
    pub count: usize,
    /// 占全部支部的比例；没有支部时为 null。
    ///
    /// The share of all branches; null without branches.
    pub share: Option<String>,
}

pub fn coverage(year: &Year) -> InspectionCoverage<'static> {
    let n = year.branches.len();
    let mut inspected = 0;
    let mut sampled = 0;
    let mut verified = 0;
    let mut parts = [0usize; PARTS.len()];
    for b in &year.branches {
        let Some(i) = &b.record.inspection else {
            continue;
        };
        inspected += 1;
        sampled += usize::from(i.sampled);
        verified += usize::from(!i.verified.is_empty());
        for (k, (id, _)) in PARTS.iter().enumerate() {
            parts[k] += usize::from(i.verified.iter().any(|v| v == id));
        }
    }
    let share = |c: usize| ratio(c.into(), n.into());
    InspectionCoverage {
        branches: n,
        inspected,
        inspected_share: share(inspected),
        sampled,
        full: inspected - sampled,
        verified,
        verified_share: share(verified),
        parts: PARTS
            .iter()
            .zip(parts)
            .map(|(&(id, label), count)| PartCoverage {
                part: part(id, label),
                count,
                share: share(count),
            })
            .collect(),
    }
}
