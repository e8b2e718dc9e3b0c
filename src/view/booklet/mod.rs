//! The booklet of one branch (schema `dangjian.booklet/1`): also what its web page shows.

use schemars::JsonSchema;
use serde::Serialize;

pub mod deductions;
mod outcome;
mod scores;

use crate::model::{Branch, Narrative, Year};
use crate::score::BranchResult;
use crate::view::format::Score;
use crate::view::refs::{Chart, GradeLine, IdLabel, category_ref, grades};
use crate::view::stats::YearStats;
use crate::view::text::{Source, Text};
use crate::view::{Ctx, charts, issuer};

pub use deductions::{ClauseLine, DeductionDetail};
use outcome::outcome;
pub use outcome::{BranchOutcome, GapView};
pub use scores::{BonusScore, DimensionScore, FixFirst, IndicatorScore, VetoCheck};
use scores::{bonuses, dimensions, fix_first, vetoes};

/// 考评手册（`dangjian.booklet/1`）：一个支部一个年度的全部考评结果；也是支部页面的 `b`。
///
/// The booklet of one branch in one year (`dangjian.booklet/1`); also the branch page's `b`.
#[derive(Serialize, JsonSchema)]
pub struct Booklet<'a> {
    /// 固定为 `dangjian.booklet/1`。
    ///
    /// Always `dangjian.booklet/1`.
    pub schema: &'static str,
    /// 封面标题（年度由模板加在前面）；年中检查时为“……年中检查手册”。
    ///
    /// The cover title (the template puts the year before it); …年中检查手册 in a year in
    /// progress.
    pub title: Text<'static>,
    /// 年中检查（本年度考评尚未结束）：截止日期和“暂计”的说明；全年考评时为 null。
    ///
    /// A year in progress: the cut-off and the provisional mark; null for a finished year.
    pub stage: Option<crate::view::cycle::Stage>,
    /// 考评年度。
    ///
    /// The assessment year.
    pub year: i32,
    /// 印发单位：区（县）党组织的名称。
    ///
    /// The issuer: the name of the district's organisation.
    pub issuer: Text<'a>,
    /// 日期，如“2026年12月31日”（取自 `SOURCE_DATE_EPOCH`，否则为该年 12 月 31 日）。
    ///
    /// The date, e.g. 2026年12月31日 (from `SOURCE_DATE_EPOCH`, else 31 December of the year).
    pub date: Text<'a>,
    /// 本年度的指标体系。
    ///
    /// The year's indicator system.
    pub system: BookletSystem<'a>,
    /// 全部等次，最高的在前。
    ///
    /// Every grade, the best first.
    pub grades: Vec<GradeLine<'a>>,
    /// 支部本身。
    ///
    /// The branch itself.
    pub branch: BranchInfo<'a>,
    /// 考评结果。
    ///
    /// The result.
    pub result: BranchOutcome<'a>,
    /// 各维度（按指标体系的顺序），各含适用于本支部的指标。
    ///
    /// The dimensions in the order of the system, each with the indicators that apply.
    pub dimensions: Vec<DimensionScore<'a>>,
    /// 指标体系的全部一票否决项及核查结果。
    ///
    /// Every veto of the system and what was found.
    pub vetoes: Vec<VetoCheck<'a>>,
    /// `vetoes` 中已触发的个数（`status` 为 `fired`）。
    ///
    /// How many of `vetoes` fired (`status` `fired`): a page tests this number instead of
    /// filtering the list.
    pub vetoes_fired: usize,
    /// `vetoes` 中未能核查的个数（`status` 为 `unchecked`）。
    ///
    /// How many of `vetoes` could not be checked (`status` `unchecked`).
    pub vetoes_unchecked: usize,
    /// 指标体系的全部加分项（封顶前的分数）。
    ///
    /// Every bonus of the system (points before the cap).
    pub bonuses: Vec<BonusScore<'a>>,
    /// 加分之和超过加分上限、按上限计时为 true。
    ///
    /// True when the bonus cap cut the sum of the bonuses.
    pub bonus_capped: bool,
    /// 优先整改：失分的指标，失分多的在前。
    ///
    /// Fix first: the indicators with points lost, the largest loss first.
    pub fix_first: Vec<FixFirst<'a>>,
    /// 各维度得分率与同类支部中位数的对比图（3–8 个维度为雷达图，否则为条形图）；无法绘制时为 null。
    ///
    /// Each dimension's share against the category median (a radar for 3–8 dimensions, bars
    /// otherwise); null when it cannot be drawn.
    pub chart: Option<Chart<'a>>,
    /// 考评周期：检查情况、整改计划及跟踪、分组视图、评议票数、组织生活日历、年中进度。
    ///
    /// The assessment cycle: inspection, rectification and its follow-up, views, votes, the
    /// meeting calendar and, in a year in progress, the progress list.
    pub cycle: crate::view::cycle::BranchCycle<'a>,
    #[serde(skip)]
    pub(crate) origin: Origin<'a>,
}

/// What a booklet was made from: where its user text was written.
#[derive(Clone, Copy)]
pub(crate) struct Origin<'a> {
    pub(crate) ctx: &'a Ctx<'a>,
    pub(crate) y: usize,
    pub(crate) year: &'a Year,
    pub(crate) previous: Option<&'a Year>,
    pub(crate) branch: &'a Branch,
}

/// 考评手册中的指标体系信息。
///
/// The indicator system as the booklet names it.
#[derive(Serialize, JsonSchema)]
pub struct BookletSystem<'a> {
    /// 指标体系名称。
    ///
    /// The system's name.
    pub name: Text<'a>,
    /// 版本；未标版本时为 null。
    ///
    /// Its version; null when none is given.
    pub version: Option<Text<'a>>,
    /// 基础分满分。
    ///
    /// The full base score.
    pub scale: Score,
    /// 加分上限。
    ///
    /// The bonus cap.
    pub bonus_cap: Score,
    /// 与上年的指标体系版本不同时为 true。
    ///
    /// True when last year's system had another version.
    pub version_changed: bool,
}

/// 支部的基本信息。
///
/// Who the branch is.
#[derive(Serialize, JsonSchema)]
pub struct BranchInfo<'a> {
    /// 支部标识（记录文件名）。
    ///
    /// The branch id (its record's file stem).
    pub id: &'a str,
    /// 支部名称。
    ///
    /// The branch's name.
    pub name: Text<'a>,
    /// 类别。
    ///
    /// The category.
    pub category: IdLabel<'a>,
    /// 党员人数（字符串）；未填报时为 null。
    ///
    /// Members (a string); null when not given.
    #[schemars(with = "Option<String>")]
    pub members: Option<rust_decimal::Decimal>,
    /// 支部书记；未填报时为 null。
    ///
    /// The secretary; null when not given.
    pub secretary: Option<Text<'a>>,
    /// 所属组织的标识路径（从区的下一级到支部所在文件夹）。
    ///
    /// The organisation ids from the district's child down to the branch's folder.
    pub org: &'a [String],
    /// 所属组织链，区在前。
    ///
    /// The organisations above the branch, the district first.
    pub org_path: Vec<OrgLink<'a>>,
    /// 记录文件（相对于项目根目录），供诊断使用，不显示。
    ///
    /// The record file relative to the root, for diagnostics; not shown.
    pub source: &'a str,
}

/// 组织链中的一级组织。
///
/// One organisation of a branch's chain.
#[derive(Serialize, JsonSchema)]
pub struct OrgLink<'a> {
    /// 组织的标识路径（区为 `[]`）。
    ///
    /// The organisation's id path (`[]` for the district).
    pub id: &'a [String],
    /// 组织名称。
    ///
    /// Its name.
    pub name: Text<'a>,
    /// 组织类型（如“街道党工委”）；未写时为 null。
    ///
    /// Its kind (e.g. 街道党工委); null when not given.
    pub kind: Option<Text<'a>>,
}

pub fn booklet<'a>(ctx: &'a Ctx, y: usize, i: usize, stats: &YearStats) -> Booklet<'a> {
    let (year, result) = ctx.year(y);
    let b = &year.branches[i];
    let r = &result.branches[i];
    let sys = &year.system;
    let stage = crate::view::cycle::stage(year);
    let vetoes = vetoes(year, &ctx.texts[y], b, r);
    Booklet {
        schema: "dangjian.booklet/1",
        title: if stage.is_some() {
            "基层党组织建设质量年中检查手册"
        } else {
            "基层党组织建设质量考评手册"
        }
        .into(),
        stage,
        year: year.year,
        issuer: issuer(year),
        date: ctx.date(y).into(),
        system: BookletSystem {
            name: (&sys.name).into(),
            version: sys.version.as_ref().map(Text::from),
            scale: Score(sys.scale),
            bonus_cap: Score(sys.bonus_cap),
            version_changed: r.version_changed,
        },
        grades: grades(sys),
        branch: branch_info(year, b, r),
        result: outcome(ctx, y, r, stats),
        dimensions: dimensions(year, &ctx.texts[y], b, r),
        vetoes_fired: vetoes.iter().filter(|v| v.status == "fired").count(),
        vetoes_unchecked: vetoes.iter().filter(|v| v.status == "unchecked").count(),
        vetoes,
        bonuses: bonuses(year, b, r),
        bonus_capped: r.bonus_capped,
        fix_first: fix_first(year, &ctx.texts[y], r),
        chart: charts::dimensions(sys, r, stats),
        cycle: crate::view::cycle::branch(ctx, y, i),
        origin: Origin {
            ctx,
            y,
            year,
            previous: ctx.previous(y).map(|(p, _)| p),
            branch: b,
        },
    }
}

impl<'a> Booklet<'a> {
    /// The branch's narrative, which the HTML and the PDF each convert in their own way.
    pub fn narrative(&self) -> Option<&'a Narrative> {
        self.origin.branch.narrative.as_ref()
    }

    /// The files the booklet is made from, for diagnostics: the record, then the narrative.
    pub fn files(&self) -> Vec<String> {
        let b = self.origin.branch;
        let mut files = vec![b.file.clone()];
        files.extend(b.narrative.as_ref().map(|n| n.file.clone()));
        files
    }

    /// Where the user text of the booklet was written, in the order a character is looked
    /// for: the record, the organisations above it, the year's indicator system, last year's.
    pub fn sources(&self) -> Vec<Source<'a>> {
        let Origin {
            ctx,
            y,
            year,
            previous,
            branch,
        } = self.origin;
        let mut out = Vec::new();
        let r = &branch.record;
        crate::view::push_source(&mut out, &branch.file, r.name_at, Some(&r.name));
        crate::view::push_source(&mut out, &branch.file, r.secretary_at, r.secretary.as_ref());
        crate::view::cycle::sources(ctx, y, branch, &mut out);
        for o in crate::view::org_chain(year, branch.org_node) {
            crate::view::org_sources(o, &mut out);
        }
        crate::view::system_sources(year, &mut out);
        if let Some(p) = previous {
            crate::view::system_sources(p, &mut out);
        }
        out
    }
}

fn branch_info<'a>(year: &'a Year, b: &'a Branch, r: &'a BranchResult) -> BranchInfo<'a> {
    let sys = &year.system;
    BranchInfo {
        id: &b.id,
        name: (&r.name).into(),
        category: category_ref(sys, &r.category),
        members: b.record.members,
        secretary: b.record.secretary.as_ref().map(Text::from),
        org: &b.org,
        org_path: crate::view::org_chain(year, b.org_node)
            .into_iter()
            .map(|o| OrgLink {
                id: &o.path,
                name: (&o.name).into(),
                kind: o.kind.as_ref().map(Text::from),
            })
            .collect(),
        source: &b.file,
    }
}

/// 考评手册 PDF 的数据：考评手册的全部字段，加上工作总结。
///
/// What typst reads for a booklet: every field of the booklet, then the narrative.
#[derive(Serialize, JsonSchema)]
pub struct BookletDocument<'r, 'a> {
    #[serde(flatten)]
    pub booklet: &'r Booklet<'a>,
    /// 工作总结：由 Markdown 转换成的 Typst 标记（所有用户文字均已转义，字体无法显示的字符已换成“〓”），模板用 `eval(…, mode: "markup")` 显示；没有工作总结时为 null。
    ///
    /// The narrative as Typst markup converted from its Markdown (every character of user
    /// text escaped, characters no font can draw replaced by 〓), shown with
    /// `eval(…, mode: "markup")`; null without a narrative.
    pub narrative: Option<String>,
    /// 工作总结文件（相对于项目根目录），供诊断使用，不显示。
    ///
    /// The narrative's file relative to the root, for diagnostics; not shown.
    pub narrative_source: Option<&'a str>,
}
