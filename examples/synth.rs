//! Generates a synthetic project for benchmarks and load tests, valid against the default
//! indicators.yaml and deterministic from a seed:
//!
//!     cargo run --release --example synth -- --branches 10000 --years 2 --out /tmp/district
//!
//! Each branch gets a realistic meeting ledger (dozens of meetings), surveys, checklists,
//! facts, incidents, ratings, votes, honours, self scores, an inspection (a third of them
//! sampled), a rectification plan when its quality is low (items in every status, most
//! naming an indicator) and a narrative of a few hundred Chinese characters with a list and a
//! table, spread over a tree of streets and communities; a quality profile per branch spreads
//! the grades from 软弱涣散 to 五星, with a few vetoes. With several years, a few branches join
//! in the last year and a few others leave it, withdrawn in the district's `_org.yaml`.
//!
//! `--deductions` writes the same records against the default system as it ships, a third of
//! its items written as a rulebook prints them (扣分制: `deductions` rules); without it, each
//! of those rules is written back as the plain rule reading its first clause's fact (a
//! goalpost, `deduct`, `boolean`, a checklist or a rating), so that the speed of the two
//! forms can be compared on the same records.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use dangjian::model::{FactType, IndicatorSystem, Rule};

const DEFAULT_SYSTEM: &str = include_str!("../indicators.yaml");

struct Args {
    branches: usize,
    years: usize,
    out: PathBuf,
    seed: u64,
    narratives: bool,
    deductions: bool,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        branches: 1000,
        years: 1,
        out: PathBuf::from("synth"),
        seed: 1,
        narratives: true,
        deductions: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let mut v = || it.next().ok_or(format!("{k} needs a value"));
        match k.as_str() {
            "--branches" => a.branches = v()?.parse().map_err(|e| format!("--branches: {e}"))?,
            "--years" => a.years = v()?.parse().map_err(|e| format!("--years: {e}"))?,
            "--out" => a.out = PathBuf::from(v()?),
            "--seed" => a.seed = v()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--no-narratives" => a.narratives = false,
            "--deductions" => a.deductions = true,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if a.years == 0 || a.years > 20 {
        return Err("--years must be 1 to 20".into());
    }
    Ok(a)
}

/// SplitMix64: small, fast, deterministic everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗",
];
const GIVEN: &[&str] = &[
    "建国", "晓梅", "志强", "秀英", "海燕", "明华", "丽萍", "伟", "静", "军", "红霞", "国庆",
    "春燕", "文斌", "玉兰",
];
const PLACES: &[&str] = &[
    "东湖", "西岭", "南塘", "北苑", "新河", "金桥", "凤翔", "临江", "桃源", "梅溪", "长乐", "安泰",
    "和平", "兴旺", "青松", "翠竹",
];
const TOPICS: &[&str] = &[
    "学习贯彻党的创新理论",
    "研究年度工作计划",
    "讨论发展党员工作",
    "开展批评与自我批评",
    "部署为民服务项目",
    "学习党章党规",
    "研究党费收缴管理",
    "组织志愿服务活动",
    "研究基层治理难题",
    "学习先进典型事迹",
    "讨论民主评议党员",
    "部署安全生产检查",
];
const DEEDS: &[&str] = &[
    "坚持每月召开支委会，集体研究支部重要事项",
    "组织党员开展“亮身份、作承诺”活动",
    "推进“一支部一品牌”建设，打造服务特色",
    "建立党员联系群众制度，定期走访困难家庭",
    "规范“三会一课”记录，做到应记尽记",
    "开展主题党日活动，组织党员参与志愿服务",
    "完善党费收缴台账，按月公示缴纳情况",
    "落实发展党员“双推双评”，严把入口关",
];
const FIXES: &[&str] = &[
    "党员参加组织生活的出席率还不够高",
    "台账资料整理不够及时，个别记录不完整",
    "群众满意度调查的覆盖面需要扩大",
    "党课内容与实际工作结合不够紧密",
    "青年党员作用发挥还不够充分",
];

fn main() {
    let a = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("synth: {e}");
            std::process::exit(2);
        }
    };
    let mut diags = Vec::new();
    let Some(sys) = dangjian::load::indicators::load(DEFAULT_SYSTEM, "indicators.yaml", &mut diags)
    else {
        eprintln!("synth: the default indicators.yaml is invalid: {diags:?}");
        std::process::exit(1);
    };
    if let Err(e) = write_project(&a, &sys) {
        eprintln!("synth: {e}");
        std::process::exit(1);
    }
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p)?;
    }
    std::fs::write(path, text)
}

fn write_project(a: &Args, sys: &IndicatorSystem) -> std::io::Result<()> {
    if a.out.exists() {
        std::fs::remove_dir_all(&a.out)?;
    }
    let system = if a.deductions {
        DEFAULT_SYSTEM.to_string()
    } else {
        plain_system(DEFAULT_SYSTEM, sys)
    };
    write(&a.out.join("indicators.yaml"), &system)?;
    // ~20 branches per community, ~10 communities per street.
    let communities = a.branches.div_ceil(20).max(1);
    let streets = communities.div_ceil(10).max(1);
    let first_year = 2026 - a.years as i32 + 1;
    for (k, year) in (first_year..=2026).enumerate() {
        let mut rng = Rng(a.seed ^ (year as u64).wrapping_mul(0x1000_0000_01B3));
        let base = a.out.join("content").join(year.to_string());
        let last = k + 1 == a.years;
        // In the last of several years, a few branches of the year before are gone.
        let leaves = |b: usize| a.years > 1 && b % 97 == 13 && b % 50 != 49;
        let mut district = String::from("name: 中共合成区委\nkind: 区委\n");
        if last && (0..a.branches).any(leaves) {
            district.push_str("withdrawn:\n");
            for b in (0..a.branches).filter(|&b| leaves(b)) {
                let _ = writeln!(district, "  b{b:06}: 所在单位撤销，党支部随之撤销");
            }
        }
        write(&base.join("_org.yaml"), &district)?;
        for s in 0..streets {
            let place = PLACES[s % PLACES.len()];
            write(
                &base.join(format!("s{s:03}/_org.yaml")),
                &format!(
                    "name: {place}{}街道党工委\nkind: 街道党工委\ncoverage:\n  private_enterprises: {{ total: {}, covered: {} }}\n  social_organisations: {{ total: {}, covered: {} }}\n",
                    s + 1,
                    200 + s * 7,
                    140 + s * 5,
                    60 + s,
                    35 + s
                ),
            )?;
        }
        for c in 0..communities {
            write(
                &base.join(format!("s{:03}/c{c:04}/_org.yaml", c % streets)),
                &format!(
                    "name: {}第{}社区党委\nkind: 社区党委\n",
                    PLACES[c % PLACES.len()],
                    c + 1
                ),
            )?;
        }
        // A few branches leave and join between years.
        for b in 0..a.branches {
            if (!last && b % 50 == 49) || (last && leaves(b)) {
                continue;
            }
            let c = b % communities;
            let id = format!("b{b:06}");
            let dir = base.join(format!("s{:03}/c{c:04}", c % streets));
            let quality = ((b as u64).wrapping_mul(2_654_435_761) % 1000) as f64 / 1000.0;
            let quality = (quality * 0.6 + 0.4 + (k as f64) * 0.02 * rng.unit()).min(1.0);
            let (record, category) = record(sys, &mut rng, year, b, quality);
            write(&dir.join(format!("{id}.yaml")), &record)?;
            if a.narratives && b % 10 != 3 {
                write(
                    &dir.join(format!("{id}.md")),
                    &narrative(&mut rng, &category, quality),
                )?;
            }
        }
    }
    Ok(())
}

/// The system's text with every `deductions` rule written back as the plain rule that reads
/// its first clause's fact with about the same arithmetic: a shortfall below a threshold as
/// a goalpost ending there, a bare count as `deduct`, a true/false comparison as `boolean`,
/// `missing_each` as a checklist, `levels` as a rating. A rule this cannot rewrite is kept.
/// The file's own layout is kept: an indicator is the block under its `- id:` line.
fn plain_system(text: &str, sys: &IndicatorSystem) -> String {
    let mut rules: Vec<(String, String)> = Vec::new();
    for (_, ind) in sys.indicators() {
        if let Some(rule) = plain_rule(ind) {
            rules.push((ind.id.clone(), rule));
        }
    }
    let lines: Vec<&str> = text.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut out = String::with_capacity(text.len());
    let mut in_dimensions = false;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if !line.starts_with([' ', '#']) && !line.is_empty() {
            in_dimensions = line.starts_with("dimensions:");
        }
        let id = line.trim_start().strip_prefix("- id: ").map(str::trim);
        let converted = id.and_then(|id| rules.iter().find(|(k, _)| k == id));
        let (true, Some((_, rule))) = (in_dimensions, converted) else {
            out.push_str(line);
            out.push('\n');
            i += 1;
            continue;
        };
        // The indicator's keys sit two columns right of its dash.
        let keys = indent(line) + 2;
        out.push_str(line);
        out.push('\n');
        i += 1;
        while i < lines.len() && (lines[i].trim().is_empty() || indent(lines[i]) >= keys) {
            let l = lines[i];
            let key_line = indent(l) == keys;
            if key_line && l.trim_start().starts_with("fact:") {
                i += 1;
            } else if key_line && l.trim_start().starts_with("rule:") {
                for r in rule.lines() {
                    out.push_str(&format!("{}{r}\n", " ".repeat(keys)));
                }
                i += 1;
                while i < lines.len() && indent(lines[i]) > keys && !lines[i].trim().is_empty() {
                    i += 1;
                }
            } else {
                out.push_str(l);
                out.push('\n');
                i += 1;
            }
        }
    }
    out
}

/// The plain rule (with its `fact:` line) standing for a `deductions` rule, from its first
/// clause; `None` for another rule or a clause this generator does not rewrite.
fn plain_rule(ind: &dangjian::model::Indicator) -> Option<String> {
    use dangjian::decimal::show;
    use dangjian::model::{Bound, ClauseForm, CondValue, Op};
    let Rule::Deductions(clauses) = &ind.rule else {
        return None;
    };
    let c = clauses.first()?;
    let (fact, p) = (&c.fact, ind.points);
    let rule = match &c.form {
        // points ÷ e steps of u below n take the whole item: a goalpost from there to n.
        ClauseForm::Each {
            each,
            bound: Some(Bound::Below(n)),
            per,
        } if !each.is_zero() => {
            let span = p / *each * per.unwrap_or(rust_decimal::Decimal::ONE);
            format!(
                "fact: {fact}\nrule: {{ goalpost: {{ low: {}, high: {} }} }}",
                show((*n - span).round_dp(4)),
                show(*n)
            )
        }
        ClauseForm::Each {
            each, bound: None, ..
        } => format!(
            "fact: {fact}\nrule: {{ deduct: {{ each: {} }} }}",
            show(*each)
        ),
        ClauseForm::Compare {
            op,
            value: CondValue::Bool(v),
            ..
        } if matches!(op, Op::Eq | Op::Ne) => {
            // The item is lost when the fact equals v (eq) or differs (ne).
            let good = if *op == Op::Eq { !*v } else { *v };
            format!("fact: {fact}\nrule: {{ boolean: {good} }}")
        }
        ClauseForm::MissingEach { items, .. } => {
            format!(
                "fact: {fact}\nrule: {{ checklist: [{}] }}",
                items.join(", ")
            )
        }
        ClauseForm::Levels(levels) => {
            let shares: Vec<String> = levels
                .iter()
                .map(|(l, d)| {
                    let share =
                        (rust_decimal::Decimal::ONE - *d / p).max(rust_decimal::Decimal::ZERO);
                    format!("{l}: {}", show(share.round_dp(4)))
                })
                .collect();
            format!("rule: {{ rating: {{ {} }} }}", shares.join(", "))
        }
        _ => return None,
    };
    Some(rule)
}

fn record(sys: &IndicatorSystem, rng: &mut Rng, year: i32, b: usize, q: f64) -> (String, String) {
    let (category, cat_label) = &sys.categories[b % sys.categories.len()];
    let mut s = String::with_capacity(4096);
    let place = PLACES[b % PLACES.len()];
    let _ = writeln!(s, "name: {place}{cat_label}第{}党支部", b + 1);
    let _ = writeln!(s, "category: {category}");
    let members = 8 + rng.below(60);
    let _ = writeln!(s, "members: {members}");
    let _ = writeln!(s, "secretary: {}{}", rng.pick(SURNAMES), rng.pick(GIVEN));
    let _ = writeln!(s, "meetings:");
    for (kind, _) in &sys.meeting_kinds {
        let per_year = match kind.as_str() {
            "committee" | "group" | "theme_day" => 12,
            _ => 4,
        };
        for m in 0..per_year {
            if !rng.chance(0.35 + 0.65 * q) {
                continue;
            }
            let month = if per_year == 12 {
                m + 1
            } else {
                m * 3 + 1 + rng.below(3) as usize
            };
            let day = 1 + rng.below(28);
            let expected = (members / if kind == "committee" { 6 } else { 1 }).max(3);
            let present =
                ((expected as f64) * (0.55 + 0.45 * q * (0.8 + 0.2 * rng.unit()))).round() as u64;
            let _ = writeln!(
                s,
                "  - {{ date: {year}-{month:02}-{day:02}, kind: {kind}, topic: {}, expected: {expected}, present: {} }}",
                rng.pick(TOPICS),
                present.min(expected)
            );
        }
    }
    let _ = writeln!(s, "checklists:");
    for cl in &sys.checklists {
        let done: Vec<&str> = cl
            .items
            .iter()
            .filter(|_| rng.chance(0.3 + 0.7 * q))
            .map(|(k, _)| k.as_str())
            .collect();
        let _ = writeln!(s, "  {}: [{}]", cl.id, done.join(", "));
    }
    let _ = writeln!(s, "surveys:");
    for id in &sys.survey_ids {
        let resp = 30 + rng.below(200);
        let pos = ((resp as f64) * (0.5 + 0.5 * q * (0.85 + 0.15 * rng.unit()))).round() as u64;
        let _ = writeln!(
            s,
            "  {id}: {{ respondents: {resp}, positive: {} }}",
            pos.min(resp)
        );
    }
    let _ = writeln!(s, "facts:");
    for (id, ty) in &sys.fact_types {
        match ty {
            FactType::Bool => {
                let _ = writeln!(s, "  {id}: {}", rng.chance(0.4 + 0.6 * q));
            }
            _ => {
                let v = (q * 12.0 * (0.5 + rng.unit())).round() as u64;
                let _ = writeln!(s, "  {id}: {v}");
            }
        }
    }
    let _ = writeln!(s, "incidents:");
    for id in &sys.incident_ids {
        let n = if rng.chance(0.004 + 0.02 * (1.0 - q)) {
            1 + rng.below(2)
        } else {
            0
        };
        let _ = writeln!(s, "  {id}: {n}");
    }
    let _ = writeln!(s, "ratings:");
    let levels_for = |q: f64| {
        if q > 0.8 {
            0
        } else if q > 0.55 {
            1
        } else if q > 0.3 {
            2
        } else {
            3
        }
    };
    let mut self_scores = String::new();
    for (_, ind) in sys.indicators() {
        if let Some(levels) = ind.rating_levels()
            && ind.applies(category)
        {
            let l = &levels[levels_for(q * (0.8 + 0.4 * rng.unit())).min(levels.len() - 1)].0;
            let _ = writeln!(s, "  {}: {l}", ind.id);
        }
        if ind.applies(category) && rng.chance(0.5) {
            let v = (ind.points * rust_decimal::Decimal::from((60.0 + 40.0 * q) as i64)
                / rust_decimal::Decimal::ONE_HUNDRED)
                .round_dp(1);
            let _ = writeln!(self_scores, "  {}: {v}", ind.id);
        }
    }
    let _ = writeln!(s, "honors:");
    for id in &sys.honor_ids {
        let n = if rng.chance(0.1 * q) { 1 } else { 0 };
        let _ = writeln!(s, "  {id}: {n}");
    }
    if !self_scores.is_empty() {
        let _ = writeln!(s, "self_scores:");
        s.push_str(&self_scores);
    }
    votes(sys, rng, &mut s, members, q);
    inspection(rng, &mut s, year, q);
    if q < 0.65 || rng.chance(0.1) {
        rectification(sys, rng, &mut s, year, category);
    }
    (s, category.clone())
}

/// Counts per level of every vote: each level gets a share r times the one above it, r
/// smaller as quality rises; rounding leftovers go to the best level.
fn votes(sys: &IndicatorSystem, rng: &mut Rng, s: &mut String, members: u64, q: f64) {
    if sys.votes.is_empty() {
        return;
    }
    let _ = writeln!(s, "votes:");
    for v in &sys.votes {
        let voters = members + members / 3;
        let r = (0.65 - 0.55 * q * (0.8 + 0.2 * rng.unit())).max(0.05);
        let weights: Vec<f64> = (0..v.levels.len()).map(|i| r.powi(i as i32)).collect();
        let sum: f64 = weights.iter().sum();
        let mut counts: Vec<u64> = weights
            .iter()
            .map(|w| ((voters as f64) * w / sum).floor() as u64)
            .collect();
        counts[0] += voters - counts.iter().sum::<u64>();
        let parts: Vec<String> = v
            .levels
            .iter()
            .zip(&counts)
            .map(|((level, _), n)| format!("{level}: {n}"))
            .collect();
        let _ = writeln!(s, "  {}: {{ {} }}", v.id, parts.join(", "));
    }
}

const TEAM: &[&str] = &["王立新", "黄静", "陈建国", "刘晓梅", "林国栋", "何敏"];

fn inspection(rng: &mut Rng, s: &mut String, year: i32, q: f64) {
    let sampled = rng.chance(0.3);
    let _ = writeln!(s, "inspection:");
    let _ = writeln!(
        s,
        "  date: {year}-{:02}-{:02}",
        11 + rng.below(2),
        1 + rng.below(28)
    );
    let first = rng.below(TEAM.len() as u64 - 1) as usize;
    let _ = writeln!(s, "  team: [{}, {}]", TEAM[first], TEAM[first + 1]);
    let _ = writeln!(s, "  sampled: {sampled}");
    let _ = writeln!(s, "  methods: [听取汇报, 查阅台账, 问卷测评]");
    let _ = writeln!(
        s,
        "  verified: [{}]",
        if sampled {
            "meetings, checklists, surveys, votes"
        } else {
            "meetings, checklists"
        }
    );
    let _ = writeln!(
        s,
        "  overall: {}",
        if q > 0.7 {
            "支部班子坚强，组织生活规范，群众评价高。"
        } else {
            "支部基础工作基本到位，作用发挥仍有差距。"
        }
    );
    let _ = writeln!(s, "  opinions: [{}]", rng.pick(FIXES));
}

/// One to three items, due from mid-year to the spring after, some done on time, some late,
/// some not yet; most name an indicator of the branch's category.
fn rectification(sys: &IndicatorSystem, rng: &mut Rng, s: &mut String, year: i32, category: &str) {
    let applicable: Vec<&str> = sys
        .indicators()
        .filter(|(_, i)| i.applies(category))
        .map(|(_, i)| i.id.as_str())
        .collect();
    let _ = writeln!(s, "rectification:");
    for n in 0..1 + rng.below(3) {
        let due_month = 6 + rng.below(10) as u32;
        let (due_year, due_month) = if due_month > 12 {
            (year + 1, due_month - 12)
        } else {
            (year, due_month)
        };
        let _ = writeln!(s, "  - id: item{}", n + 1);
        let _ = writeln!(s, "    problem: {}", rng.pick(FIXES));
        let _ = writeln!(
            s,
            "    measure: 制定整改清单，明确责任人和完成时限，按月督办"
        );
        let _ = writeln!(s, "    owner: {}{}", rng.pick(SURNAMES), rng.pick(GIVEN));
        let _ = writeln!(s, "    due: {due_year}-{due_month:02}-28");
        if rng.chance(0.8) {
            let _ = writeln!(s, "    indicator: {}", rng.pick(&applicable));
        }
        if due_year == year && rng.chance(0.7) {
            // Done in the month it was due or the one after (late).
            let month = (due_month + rng.below(2) as u32).min(12);
            let _ = writeln!(s, "    done: {year}-{month:02}-{:02}", 1 + rng.below(28));
        }
    }
}

fn narrative(rng: &mut Rng, category: &str, q: f64) -> String {
    let mut s = String::with_capacity(2048);
    let _ = writeln!(s, "## 述职报告\n");
    let _ = writeln!(
        s,
        "本年度，支部在上级党组织的坚强领导下，{}，{}。全体党员积极参与，支部凝聚力和战斗力不断增强。\n",
        rng.pick(DEEDS),
        rng.pick(DEEDS)
    );
    let _ = writeln!(s, "主要做法：\n");
    for _ in 0..3 {
        let _ = writeln!(s, "- {}；", rng.pick(DEEDS));
    }
    let _ = writeln!(s, "\n## 品牌亮点\n");
    let brand = match category {
        "rural" => "“田间党课”把学习送到村民家门口，带动集体经济增收",
        "community" => "“楼组议事会”让居民的事情居民商量着办",
        "new_orgs" => "“党员先锋岗”在生产一线攻坚克难",
        "office" => "“机关党员进社区”常态化开展志愿服务",
        _ => "“党员示范岗”提升服务质量和群众满意度",
    };
    let _ = writeln!(s, "{brand}，得到群众广泛好评。\n");
    let _ = writeln!(s, "| 项目 | 次数 | 参与党员 |\n|---|---:|---:|");
    for t in 0..3 {
        let _ = writeln!(
            s,
            "| {} | {} | {} |",
            TOPICS[(t * 5 + rng.below(4) as usize) % TOPICS.len()],
            2 + rng.below(10),
            5 + rng.below(40)
        );
    }
    let _ = writeln!(s, "\n## 整改措施\n");
    let n = if q < 0.5 { 3 } else { 1 };
    for i in 0..n {
        let _ = writeln!(
            s,
            "{}. 针对{}的问题，制定整改清单，明确责任人和完成时限。",
            i + 1,
            rng.pick(FIXES)
        );
    }
    s
}
