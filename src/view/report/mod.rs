//! The district annual report of one year (schema `dangjian.annual-report/1`), made whole
//! for the PDF. The site's year, ranking, rectification, organisation and indicator pages
//! are cut from the same parts (`crate::view::site`), a page at a time.

mod indicators;
mod orgs;
mod rows;
mod summary;

use schemars::JsonSchema;
use serde::Serialize;

use super::refs::{GradeLine, YearChart, grades};
use super::stats::YearStats;
use super::text::{Source, Text};
use super::{Ctx, district, issuer};
use crate::model::Year;

pub use indicators::{
    IndicatorStats, IndicatorSystemView, SystemBonus, SystemDimension, SystemIndicator, SystemVeto,
    indicator_system,
};
pub use orgs::{ChildOrg, OrgEntry, OrgGradeCount, org_entry, org_members};
pub use rows::{
    CategoryRanking, Mover, Movers, RectFix, RectRow, Row, category_orders, category_row, mover,
    movers_of, rankings, rect_row, rectification_order, row, rows_of,
};
pub use summary::{
    CategoryStat, GradeCount, MovementCounts, Summary, categories, summary, year_charts,
};

/// 年度报告（`dangjian.annual-report/1`）：一个年度全区的考评结果。
///
/// The district's annual report of one year (`dangjian.annual-report/1`).
#[derive(Serialize, JsonSchema)]
pub struct AnnualReport<'a> {
    #[serde(flatten)]
    pub head: ReportHead<'a>,
    #[serde(flatten)]
    pub lists: ReportLists<'a>,
    /// 指标体系及各指标的全区得分情况。
    ///
    /// The indicator system with how the branches scored on each indicator.
    pub indicator_system: IndicatorSystemView<'a>,
    /// 考评周期：整改跟踪、检查覆盖、分组视图均值、评议结果。
    ///
    /// The assessment cycle: rectification follow-up, inspection coverage, the views' group
    /// means, the vote results.
    pub cycle: super::cycle::YearCycle<'a>,
    #[serde(skip)]
    origin: Origin<'a>,
}

/// 年度报告的支部和组织列表（年度页面上只有各列表的开头，长列表另有页面）。
///
/// The lists of the annual report (on the year page, the start of each: the long lists have
/// pages of their own).
#[derive(Serialize, JsonSchema)]
pub struct ReportLists<'a> {
    /// 全区排名：年度报告中为全部支部，年度页面为前 20 名。
    ///
    /// The ranking: every branch in the report, the first 20 on the year page.
    pub ranking: Vec<Row<'a>>,
    /// 各类别的排名，按指标体系的顺序（只列有支部的类别）。
    ///
    /// Each category's ranking, in the order of the system (categories with branches only).
    pub rankings: Vec<CategoryRanking<'a>>,
    /// 全部组织，区在前，随后深度优先（年度页面上不含下级组织列表，只有区列出直属支部）。
    ///
    /// Every organisation node, the district first, then depth-first (on the year page
    /// without child lists, and only the district lists its branches).
    pub orgs: Vec<OrgEntry<'a>>,
    /// 等次上升和下降的支部，按名次（年度页面上各为前 20 个）。
    ///
    /// The branches whose grade rose or fell, in ranking order (the first 20 of each on the
    /// year page).
    pub movers: Movers<'a>,
    /// 需要整改的支部（最低等次或触发一票否决），按名次（年度页面上为最后 20 行）。
    ///
    /// The branches that need a rectification plan (the lowest grade or a fired veto), in
    /// ranking order (the last 20 rows on the year page).
    pub rectification: Vec<RectRow<'a>>,
}

/// 年度报告的开头部分：标题、指标体系、概况和图表（年度页面的 `report` 也有这些）。
///
/// The first part of the annual report: title, system, figures and charts (the year page's
/// `report` has them too).
#[derive(Serialize, JsonSchema)]
pub struct ReportHead<'a> {
    /// 固定为 `dangjian.annual-report/1`。
    ///
    /// Always `dangjian.annual-report/1`.
    pub schema: &'static str,
    /// 标题，如“2026年度基层党组织建设质量年度报告”。
    ///
    /// The title, e.g. 2026年度基层党组织建设质量年度报告.
    pub title: Text<'a>,
    /// 考评年度。
    ///
    /// The assessment year.
    pub year: i32,
    /// 年中检查（本年度考评尚未结束）：截止日期和“暂计”的说明；全年考评时为 null。
    ///
    /// A year in progress: the cut-off and the provisional mark; null for a finished year.
    pub stage: Option<super::cycle::Stage>,
    /// 印发单位：区（县）党组织的名称。
    ///
    /// The issuer: the name of the district's organisation.
    pub issuer: Text<'a>,
    /// 日期，如“2026年12月31日”。
    ///
    /// The date, e.g. 2026年12月31日.
    pub date: Text<'a>,
    /// 区（县）党组织。
    ///
    /// The district's organisation.
    pub district: DistrictInfo<'a>,
    /// 本年度的指标体系及与上年的比较。
    ///
    /// The year's indicator system, against last year's.
    pub system: ReportSystem<'a>,
    /// 全部等次，最高的在前。
    ///
    /// Every grade, the best first.
    pub grades: Vec<GradeLine<'a>>,
    /// 全区概况。
    ///
    /// The district in figures.
    pub summary: Summary<'a>,
    /// 各类别的支部数和平均分，按指标体系的顺序。
    ///
    /// Each category's branches and mean, in the order of the system.
    pub categories: Vec<CategoryStat<'a>>,
    /// 能绘制的年度图表，按显示顺序。
    ///
    /// The year's charts that can be drawn, in the order shown.
    pub charts: Vec<YearChart<'a>>,
}

#[derive(Clone, Copy)]
struct Origin<'a> {
    year: &'a Year,
    previous: Option<&'a Year>,
}

/// 区（县）党组织的名称和类型。
///
/// The district's name and kind.
#[derive(Serialize, JsonSchema)]
pub struct DistrictInfo<'a> {
    /// 名称；没有区级 `_org.yaml` 时为 null。
    ///
    /// Its name; null without the year's `_org.yaml`.
    pub name: Option<Text<'a>>,
    /// 类型；未写时为 null。
    ///
    /// Its kind; null when not given.
    pub kind: Option<Text<'a>>,
}

/// 年度报告中的指标体系信息。
///
/// The indicator system as the report names it.
#[derive(Serialize, JsonSchema)]
pub struct ReportSystem<'a> {
    /// 指标体系名称。
    ///
    /// The system's name.
    pub name: Text<'a>,
    /// 版本；未标版本时为 null。
    ///
    /// Its version; null when none is given.
    pub version: Option<Text<'a>>,
    /// 上一年度；没有上一年度时为 null。
    ///
    /// The previous year; null when there is none.
    pub previous_year: Option<i32>,
    /// 上一年度的指标体系版本；无上年或上年未标版本时为 null。
    ///
    /// Last year's system version; null when there is none.
    pub previous_version: Option<Text<'a>>,
    /// 与上年的指标体系版本不同时为 true。
    ///
    /// True when last year's system had another version.
    pub version_changed: bool,
}

pub fn district_info(year: &Year) -> DistrictInfo<'_> {
    let d = district(year);
    DistrictInfo {
        name: d.map(|d| (&d.name).into()),
        kind: d.and_then(|d| d.kind.as_ref().map(Text::from)),
    }
}

pub fn report_system<'a>(ctx: &'a Ctx, y: usize) -> ReportSystem<'a> {
    let sys = &ctx.project.years[y].system;
    let previous = ctx.previous(y);
    ReportSystem {
        name: (&sys.name).into(),
        version: sys.version.as_ref().map(Text::from),
        previous_year: previous.map(|(p, _)| p.year),
        previous_version: previous.and_then(|(p, _)| p.system.version.as_ref().map(Text::from)),
        version_changed: previous.is_some_and(|(p, _)| p.system.version != sys.version),
    }
}

/// The report's title: a year in progress has a mid-year inspection report.
pub fn title(year: &Year) -> Text<'static> {
    let kind = if year.as_of().is_some() {
        "年中检查报告"
    } else {
        "年度报告"
    };
    format!("{}年度基层党组织建设质量{kind}", year.year).into()
}

/// The report's first part.
pub fn head<'a>(ctx: &'a Ctx, y: usize, stats: &YearStats) -> ReportHead<'a> {
    let (year, result) = ctx.year(y);
    let sys = &year.system;
    ReportHead {
        schema: "dangjian.annual-report/1",
        title: title(year),
        year: year.year,
        stage: super::cycle::stage(year),
        issuer: issuer(year),
        date: ctx.date(y).into(),
        district: district_info(year),
        system: report_system(ctx, y),
        grades: grades(sys),
        summary: summary(year, result, stats),
        categories: categories(year, stats),
        charts: year_charts(sys, result, stats),
    }
}

/// The whole annual report.
pub fn annual_report<'a>(ctx: &'a Ctx, y: usize, stats: &'a YearStats) -> AnnualReport<'a> {
    let (year, result) = ctx.year(y);
    AnnualReport {
        head: head(ctx, y, stats),
        lists: ReportLists {
            ranking: result.ranked().map(|b| row(year, b)).collect(),
            rankings: rankings(year, result, stats, true),
            orgs: {
                let mut members = org_members(result);
                (0..year.orgs.len())
                    .map(|k| {
                        let own = members.remove(year.orgs[k].path.as_slice());
                        org_entry(year, result, k, own.as_deref().unwrap_or_default(), true)
                    })
                    .collect()
            },
            movers: Movers {
                up: movers_of(ctx, y, crate::score::Movement::Up).collect(),
                down: movers_of(ctx, y, crate::score::Movement::Down).collect(),
            },
            rectification: rectification_order(year, result)
                .map(|i| rect_row(year, &result.branches[i]))
                .collect(),
        },
        indicator_system: indicator_system(year, result),
        cycle: super::cycle::year(ctx, y, None),
        origin: Origin {
            year,
            previous: ctx.previous(y).map(|(p, _)| p),
        },
    }
}

impl<'a> AnnualReport<'a> {
    /// The files the report shows text of, for diagnostics: the year's `_org.yaml` files,
    /// then its records.
    pub fn files(&self) -> Vec<String> {
        let year = self.origin.year;
        let mut files: Vec<String> = year.orgs.iter().map(|o| o.file.clone()).collect();
        files.extend(year.branches.iter().map(|b| b.file.clone()));
        files
    }

    /// Where the user text of the report was written, in the order a character is looked
    /// for: the organisations, the records, the year's indicator system, last year's.
    pub fn sources(&self) -> Vec<Source<'a>> {
        let Origin { year, previous } = self.origin;
        let mut out = Vec::new();
        for o in &year.orgs {
            super::org_sources(o, &mut out);
        }
        for b in &year.branches {
            super::push_source(&mut out, &b.file, b.record.name_at, Some(&b.record.name));
        }
        super::system_sources(year, &mut out);
        if let Some(p) = previous {
            super::system_sources(p, &mut out);
        }
        out
    }
}
