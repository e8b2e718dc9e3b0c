//! The meeting calendar of a branch (12 months × each meeting kind: held, not held, not yet
//! come) and, in a year still in progress, the months and quarters passed so far without a
//! meeting of each kind the system counts by months or quarters.

use schemars::JsonSchema;
use serde::Serialize;

use crate::model::{Date, FactPath, IndicatorSystem, MeetingStat, MeetingTally, Record, Year};
use crate::view::text::Text;

const MONTHS: [&str; 12] = [
    "1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月",
];
const QUARTERS: [&str; 4] = ["第一季度", "第二季度", "第三季度", "第四季度"];

/// 组织生活日历：每种会议一行，每月一格。
///
/// The meeting calendar: a row per meeting kind, a cell per month.
#[derive(Serialize, JsonSchema)]
pub struct Calendar<'a> {
    /// 每种会议一行，按指标体系的顺序。
    ///
    /// One row per meeting kind, in the order of the system.
    pub rows: Vec<CalendarRow<'a>>,
    /// 年中检查时数据截止的月份（其后的月份标为“未到”）；全年考评时为 null。
    ///
    /// In a year in progress, the month of the cut-off (the months after it are not yet
    /// come); null for a finished year.
    pub as_of_month: Option<u32>,
}

/// 日历中的一行：一种会议。
///
/// One row of the calendar: a meeting kind.
#[derive(Serialize, JsonSchema)]
pub struct CalendarRow<'a> {
    /// 会议类型名称。
    ///
    /// Its label.
    pub label: Text<'a>,
    /// 指标体系的考核方式：“按月”“按季度”；不按月或季度考核时为 null。
    ///
    /// How the system counts it: 按月 or 按季度; null when it counts neither.
    pub counted: Option<Text<'static>>,
    /// 开过会的月数。
    ///
    /// Months with a meeting.
    pub held: u32,
    /// 全年会议次数。
    ///
    /// Meetings in the year.
    pub count: u32,
    /// 12 个月（1 月在前）每月的情况：`held`（开过，符号 ●，“已开”）、`missed`（没有开，○，“未开”）、`pending`（截止日所在月份，尚未开，…，“本月未满”）、`future`（截止日之后，–，“未到”）。模板按状态显示符号和文字，不只靠颜色。
    ///
    /// The 12 months, January first: `held` (● 已开), `missed` (○ 未开), `pending` (the
    /// cut-off's month, none yet: … 本月未满) or `future` (after the cut-off: – 未到). The
    /// templates print the mark and the words for each state, never colour alone. (Keys
    /// rather than a struct per cell: 60 cells on every branch page.)
    pub cells: Vec<&'static str>,
}

/// The last day of a month.
fn month_end(year: i32, month: u32) -> Date {
    (28..=31)
        .rev()
        .find_map(|d| Date::parse(&format!("{year:04}-{month:02}-{d:02}")))
        .unwrap_or(Date::end_of_year(year))
}

/// The months wholly passed at the cut-off `as_of` (12 for a finished year).
fn months_passed(year: i32, as_of: Option<Date>) -> u32 {
    match as_of {
        None => 12,
        Some(c) if c >= month_end(year, c.month) => c.month,
        Some(c) => c.month - 1,
    }
}

/// How the system counts each meeting kind (`None` for `meetings.all`): by months, by
/// quarters, in the order first named.
fn counted(sys: &IndicatorSystem) -> Vec<(Option<&str>, MeetingStat)> {
    let facts = sys
        .indicators()
        .flat_map(|(_, i)| i.facts())
        .chain(sys.vetoes.iter().map(|v| &v.when.fact))
        .chain(sys.bonuses.iter().map(|b| &b.fact));
    let mut out: Vec<(Option<&str>, MeetingStat)> = Vec::new();
    for f in facts {
        if let FactPath::Meetings { kind, stat } = f
            && matches!(stat, MeetingStat::Months | MeetingStat::Quarters)
        {
            let key = (kind.as_deref(), *stat);
            if !out.contains(&key) {
                out.push(key);
            }
        }
    }
    out
}

fn tally(r: &Record, kind: Option<&str>) -> MeetingTally {
    match kind {
        Some(k) => r.meetings.get(k).copied().unwrap_or_default(),
        None => {
            let mut all = MeetingTally::default();
            for t in r.meetings.values() {
                all.merge(t);
            }
            all
        }
    }
}

fn held_in(t: &MeetingTally, month: u32) -> bool {
    t.months & (1 << month) != 0
}

/// How the system counts each meeting kind, for [`calendar`] and [`progress`]: made once
/// per branch page.
pub struct Counted<'s>(Vec<(Option<&'s str>, MeetingStat)>);

impl<'s> Counted<'s> {
    pub fn new(sys: &'s IndicatorSystem) -> Counted<'s> {
        Counted(counted(sys))
    }
}

pub fn calendar<'a>(year: &'a Year, r: &Record, counts: &Counted) -> Calendar<'a> {
    let sys = &year.system;
    let as_of = year.as_of();
    let passed = months_passed(year.year, as_of);
    let counts = &counts.0;
    let rows = sys
        .meeting_kinds
        .iter()
        .map(|(id, label)| {
            let t = tally(r, Some(id));
            let by = |s| counts.contains(&(Some(id.as_str()), s));
            let counted = if by(MeetingStat::Months) {
                Some("按月".into())
            } else if by(MeetingStat::Quarters) {
                Some("按季度".into())
            } else {
                None
            };
            let cells = (1..=12)
                .map(|m| {
                    if held_in(&t, m) {
                        "held"
                    } else if m <= passed {
                        "missed"
                    } else if as_of.is_some_and(|c| c.month == m) {
                        "pending"
                    } else {
                        "future"
                    }
                })
                .collect();
            CalendarRow {
                label: label.into(),
                counted,
                held: t.months.count_ones(),
                count: t.count,
                cells,
            }
        })
        .collect();
    Calendar {
        rows,
        as_of_month: as_of.map(|c| c.month),
    }
}

/// 年中检查的进度：截至目前各类会议缺开的月份和季度。
///
/// The progress of a year in progress: the months and quarters passed so far without a
/// meeting of each kind the system counts by months or quarters.
#[derive(Serialize, JsonSchema)]
pub struct Progress<'a> {
    /// 截止日期，如“2026年6月30日”。
    ///
    /// The cut-off, e.g. 2026年6月30日.
    pub as_of: Text<'static>,
    /// 每种按月或按季度考核的会议一行（同一种会议两种方式都考核时两行）。
    ///
    /// A row per meeting kind counted by months or quarters (two when it is counted both
    /// ways).
    pub rows: Vec<ProgressRow<'a>>,
    /// 没有任何缺开时为 true。
    ///
    /// True when nothing was missed.
    pub complete: bool,
}

/// 进度中的一行。
///
/// One row of the progress list.
#[derive(Serialize, JsonSchema)]
pub struct ProgressRow<'a> {
    /// 会议类型名称（`meetings.all` 为“全部组织生活”）。
    ///
    /// The meeting kind's label (全部组织生活 for `meetings.all`).
    pub label: Text<'a>,
    /// 考核单位：“月”或“季度”。
    ///
    /// The unit: 月 or 季度.
    pub unit: Text<'static>,
    /// 截至目前已过去的月数或季度数。
    ///
    /// Months or quarters passed so far.
    pub passed: u32,
    /// 其中开过会的个数。
    ///
    /// Of them, with a meeting.
    pub held: u32,
    /// 已过去而没有开会的月份或季度，如“2月”“第一季度”。
    ///
    /// Those passed without a meeting, e.g. 2月, 第一季度.
    pub missed: Vec<Text<'static>>,
}

/// The progress list of a branch in a year with `as_of`; `None` for a finished year.
pub fn progress<'a>(year: &'a Year, r: &Record, counts: &Counted<'a>) -> Option<Progress<'a>> {
    let as_of = year.as_of()?;
    let months = months_passed(year.year, Some(as_of));
    let quarters = months / 3;
    let sys = &year.system;
    let rows: Vec<ProgressRow> = counts
        .0
        .iter()
        .copied()
        .map(|(kind, stat)| {
            let t = tally(r, kind);
            let label: Text = match kind {
                Some(k) => sys.meeting_kind_label(k).unwrap_or(k).into(),
                None => "全部组织生活".into(),
            };
            let (unit, missed): (&str, Vec<Text>) = if stat == MeetingStat::Months {
                let missed = (1..=months)
                    .filter(|&m| !held_in(&t, m))
                    .map(|m| MONTHS[m as usize - 1].into())
                    .collect();
                ("月", missed)
            } else {
                let missed = (0..quarters)
                    .filter(|q| !(1..=3).any(|k| held_in(&t, q * 3 + k)))
                    .map(|q| QUARTERS[q as usize].into())
                    .collect();
                ("季度", missed)
            };
            let passed = if stat == MeetingStat::Months {
                months
            } else {
                quarters
            };
            ProgressRow {
                label,
                unit: unit.into(),
                passed,
                held: passed - missed.len() as u32,
                missed,
            }
        })
        .collect();
    Some(Progress {
        as_of: super::date_text(as_of).into(),
        complete: rows.iter().all(|x| x.missed.is_empty()),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_passed_at_the_cut_off() {
        let d = |s| Date::parse(s);
        // The last day of June completes June; the 29th does not.
        assert_eq!(months_passed(2026, d("2026-06-30")), 6);
        assert_eq!(months_passed(2026, d("2026-06-29")), 5);
        assert_eq!(months_passed(2026, d("2026-01-01")), 0);
        assert_eq!(months_passed(2024, d("2024-02-29")), 2);
        assert_eq!(months_passed(2026, d("2026-02-28")), 2);
        assert_eq!(months_passed(2026, None), 12);
    }
}
