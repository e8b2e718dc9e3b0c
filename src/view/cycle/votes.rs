//! Graded votes (述职评议、民主评议) in the reports: a branch's counts per level, the share
//! of each level and the score a `vote` rule made of them; the district's totals per vote.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use crate::decimal::round2;
use crate::model::{
    FactPath, IdMap, Indicator, IndicatorSystem, Record, Rule, Vote, VoteStat, Year,
};
use crate::score::{BranchResult, YearResult};
use crate::view::format::{Score, pct, plain, ratio};
use crate::view::text::Text;

/// 一项评议在一个支部的结果。
///
/// One graded vote at one branch.
#[derive(Serialize, JsonSchema)]
pub struct VoteResult<'a> {
    /// 评议标识。
    ///
    /// The vote's id.
    pub id: &'a str,
    /// 评议名称（如“书记抓党建述职评议”）。
    ///
    /// Its label (e.g. 书记抓党建述职评议).
    pub label: Text<'a>,
    /// 记录中填报了这项评议时为 true。
    ///
    /// True when the record gives this vote.
    pub given: bool,
    /// 总票数（字符串）。
    ///
    /// The total of the counts (a string).
    pub total: String,
    /// 各等级，好的在前：票数和占比。
    ///
    /// Each level, the best first: its count and share.
    pub levels: Vec<LevelCount<'a>>,
    /// 按这项评议计分的指标；没有时为 null。
    ///
    /// The indicator scored from this vote; null when none applies.
    pub score: Option<VoteScore<'a>>,
}

/// 一个等级的票数和占比。
///
/// One level's count and share.
#[derive(Serialize, JsonSchema)]
pub struct LevelCount<'a> {
    /// 等级名称（如“好”）。
    ///
    /// Its label (e.g. 好).
    pub label: Text<'a>,
    /// 票数（字符串）。
    ///
    /// The count (a string).
    pub count: String,
    /// 占总票数的比例，如 `"72.1%"`；总票数为 0 时为 null。
    ///
    /// Its share of the total, e.g. `"72.1%"`; null when the total is 0.
    pub share: Option<String>,
}

/// 按评议计分的指标（`vote` 规则）。
///
/// The indicator scored from a vote (a `vote` rule).
#[derive(Serialize, JsonSchema)]
pub struct VoteScore<'a> {
    /// 指标名称。
    ///
    /// The indicator's label.
    pub label: Text<'a>,
    /// 加权得分率：Σ 各等级票数 × 权重 ÷ 总票数；总票数为 0 时为 null（指标缺数据）。
    ///
    /// The weighted share Σ count × weight ÷ total; null when the total is 0 (missing).
    pub share: Option<String>,
    /// 指标得分。
    ///
    /// The points earned.
    pub points: Score,
    /// 指标分值。
    ///
    /// The indicator's points.
    pub max: Score,
}

/// The indicator that scores vote `id` with a `vote` rule, and its weights.
fn scorer<'s>(
    sys: &'s IndicatorSystem,
    id: &str,
) -> Option<(&'s Indicator, &'s [(String, Decimal)])> {
    sys.indicators()
        .find_map(|(_, i)| match (&i.fact, &i.rule) {
            (
                FactPath::Vote {
                    id: v,
                    stat: VoteStat::Tally,
                },
                Rule::Vote(w),
            ) if v == id => Some((i, w.as_slice())),
            _ => None,
        })
}

fn count(counts: Option<&IdMap<Decimal>>, level: &str) -> Decimal {
    counts
        .and_then(|c| c.get(level))
        .copied()
        .unwrap_or_default()
}

fn levels<'a>(
    v: &'a Vote,
    counts: impl Fn(&str) -> Decimal,
    total: Decimal,
) -> Vec<LevelCount<'a>> {
    v.levels
        .iter()
        .map(|(id, label)| {
            let c = counts(id);
            LevelCount {
                label: label.into(),
                count: plain(c),
                share: ratio(c, total),
            }
        })
        .collect()
}

pub fn branch<'a>(sys: &'a IndicatorSystem, rec: &Record, r: &BranchResult) -> Vec<VoteResult<'a>> {
    sys.votes
        .iter()
        .map(|v| {
            let counts = rec.votes.get(&v.id);
            let total: Decimal = v.levels.iter().map(|(l, _)| count(counts, l)).sum();
            let score = scorer(sys, &v.id).and_then(|(ind, weights)| {
                let got = r.indicators.iter().find(|x| x.id == *ind.id)?;
                let weighted: Decimal = weights.iter().map(|(l, w)| count(counts, l) * w).sum();
                Some(VoteScore {
                    label: (&ind.label).into(),
                    share: (counts.is_some() && !total.is_zero()).then(|| pct(weighted / total)),
                    points: Score(got.earned),
                    max: Score(ind.points),
                })
            });
            VoteResult {
                id: &v.id,
                label: (&v.label).into(),
                given: counts.is_some(),
                total: plain(total),
                levels: levels(v, |l| count(counts, l), total),
                score,
            }
        })
        .collect()
}

/// 一项评议的全区结果。
///
/// One graded vote over the district.
#[derive(Serialize, JsonSchema)]
pub struct VoteSummary<'a> {
    /// 评议标识。
    ///
    /// The vote's id.
    pub id: &'a str,
    /// 评议名称。
    ///
    /// Its label.
    pub label: Text<'a>,
    /// 填报了这项评议的支部数。
    ///
    /// Branches that give it.
    pub branches: usize,
    /// 其中总票数为 0 的支部数（按评议计分的指标缺数据）。
    ///
    /// Of them, those whose total is 0 (the vote's indicator is missing).
    pub no_votes: usize,
    /// 全区总票数（字符串）。
    ///
    /// The district's total (a string).
    pub total: String,
    /// 各等级的全区票数和占比，好的在前。
    ///
    /// Each level's district count and share, the best first.
    pub levels: Vec<LevelCount<'a>>,
    /// 按这项评议计分的指标在适用支部中的平均得分；没有这样的指标时为 null。
    ///
    /// The mean points of the indicator scored from it over the branches it applies to;
    /// null when there is none.
    pub score: Option<VoteMean<'a>>,
}

/// 按评议计分的指标的全区均值。
///
/// The district mean of a vote's indicator.
#[derive(Serialize, JsonSchema)]
pub struct VoteMean<'a> {
    /// 指标名称。
    ///
    /// The indicator's label.
    pub label: Text<'a>,
    /// 适用的支部数。
    ///
    /// Branches it applies to.
    pub branches: usize,
    /// 平均得分（两位小数）。
    ///
    /// The mean points, rounded.
    pub mean: Option<Score>,
    /// 指标分值。
    ///
    /// The indicator's points.
    pub max: Score,
}

pub fn summary<'a>(year: &'a Year, result: &YearResult) -> Vec<VoteSummary<'a>> {
    let sys = &year.system;
    sys.votes
        .iter()
        .map(|v| {
            let mut sums = vec![Decimal::ZERO; v.levels.len()];
            let (mut branches, mut no_votes) = (0, 0);
            for b in &year.branches {
                let Some(c) = b.record.votes.get(&v.id) else {
                    continue;
                };
                branches += 1;
                let mut t = Decimal::ZERO;
                for (k, (l, _)) in v.levels.iter().enumerate() {
                    let n = c.get(l).copied().unwrap_or_default();
                    sums[k] += n;
                    t += n;
                }
                no_votes += usize::from(t.is_zero());
            }
            let total: Decimal = sums.iter().sum();
            let score = scorer(sys, &v.id).map(|(ind, _)| {
                let (mut n, mut s) = (0usize, Decimal::ZERO);
                for b in &result.branches {
                    if let Some(x) = b.indicators.iter().find(|x| x.id == *ind.id) {
                        n += 1;
                        s += x.earned;
                    }
                }
                VoteMean {
                    label: (&ind.label).into(),
                    branches: n,
                    mean: (n > 0).then(|| Score(round2(s / Decimal::from(n)))),
                    max: Score(ind.points),
                }
            });
            VoteSummary {
                id: &v.id,
                label: (&v.label).into(),
                branches,
                no_votes,
                total: plain(total),
                levels: levels(
                    v,
                    |l| {
                        v.levels
                            .iter()
                            .position(|(x, _)| x == l)
                            .map_or(Decimal::ZERO, |k| sums[k])
                    },
                    total,
                ),
                score,
            }
        })
        .collect()
}
