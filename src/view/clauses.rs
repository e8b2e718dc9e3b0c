//! The clauses of a `deductions` rule in words, as a rulebook prints them (每少一个季度扣1分,
//! 制度每缺一项扣1分, 无计划不得分): a clause's own `label` when the file gives one, else a
//! sentence made from the clause and the system's labels. A survey, fact, incident or honor
//! id the label maps do not name is called after the indicator it is read for
//! (`发展党员相关数量`, `无故缺席组织生活相关情况`), never by its id: a district's own system
//! need not label every id, and its rulebook is read by people who never see the file.

use rust_decimal::Decimal;

use crate::model::{
    Bound, Clause, ClauseForm, CondValue, Condition, FactPath, FactType, Indicator,
    IndicatorSystem, MeetingStat, Op, SurveyStat, VoteStat,
};

/// The clause as reports show it: its `label`, or the sentence made from it.
pub fn text(sys: &IndicatorSystem, ind: &Indicator, clause: &Clause) -> String {
    clause
        .label
        .clone()
        .unwrap_or_else(|| sentence(sys, ind, clause))
}

/// The whole rule in words: `满分 5 分，扣完为止：…；…`.
pub fn rule(sys: &IndicatorSystem, ind: &Indicator, clauses: &[Clause]) -> String {
    let parts: Vec<String> = clauses.iter().map(|c| text(sys, ind, c)).collect();
    format!(
        "扣分制（满分 {} 分，扣完为止）：{}",
        num(ind.points),
        parts.join("；")
    )
}

/// A sentence for a clause, made from its form and the system's labels.
pub fn sentence(sys: &IndicatorSystem, ind: &Indicator, clause: &Clause) -> String {
    let subject = Subject::of(sys, &clause.fact, Some(&ind.label));
    let mut out = match &clause.form {
        ClauseForm::Each { each, bound, per } => each_sentence(&subject, *each, *bound, *per),
        ClauseForm::Compare { op, value, deduct } => format!(
            "{}，{}",
            condition(&subject, *op, value),
            deduct_text(*deduct, ind.points)
        ),
        ClauseForm::MissingEach {
            each,
            items,
            listed,
        } => missing_sentence(sys, &subject, &clause.fact, *each, items, *listed),
        ClauseForm::Levels(levels) => {
            let parts: Vec<String> = levels
                .iter()
                .map(|(l, d)| {
                    let what = if d.is_zero() {
                        "不扣分".to_string()
                    } else {
                        deduct_text(*d, ind.points)
                    };
                    format!("{}的{what}", level_name(l))
                })
                .collect();
            format!("考评组评定为{}", parts.join("，"))
        }
    };
    if let Some(m) = clause.max {
        out.push_str(&format!("，最多扣{}分", num(m)));
    }
    out
}

/// A condition (a veto's `when`) as a rulebook words it, ending in 的: `发生违纪违法党员的`.
/// An unlabeled id is `该项情况` (the veto's own label stands beside the condition).
pub fn condition_sentence(sys: &IndicatorSystem, c: &Condition) -> String {
    condition(&Subject::of(sys, &c.fact, None), c.op, &c.value)
}

/// The fact of indicator `ind` compared with a value, ending in 的: `发展党员数达到2及以上的`,
/// `未发生…的` (a step of a `steps` rule).
pub fn threshold_sentence(
    sys: &IndicatorSystem,
    ind: &Indicator,
    op: Op,
    value: &CondValue,
) -> String {
    condition(&Subject::of(sys, &ind.fact, Some(&ind.label)), op, value)
}

/// What a clause's fact is about and how one unit of it is named.
struct Subject {
    /// `支部党员大会`, `群众满意度测评结果`, `不及时上报`.
    name: String,
    /// The measure word of one unit (`个季度`, `次`, `起`); empty for a plain number.
    unit: &'static str,
    what: What,
    /// The count a year cannot exceed (4 quarters, 12 months): a `below` at it needs no
    /// mention of the threshold.
    natural_max: Option<Decimal>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum What {
    Members,
    Meetings,
    Incident,
    Honor,
    OtherCount,
    Rate,
    /// A `facts.<id>`: a number or true/false.
    Fact,
    Level,
    List,
}

impl Subject {
    /// The subject of `path`; `about` is the label of the indicator it is read for (`None`
    /// for a veto), which names an id the label maps leave out.
    fn of(sys: &IndicatorSystem, path: &FactPath, about: Option<&str>) -> Subject {
        let s = |name: String, unit, what| Subject {
            name,
            unit,
            what,
            natural_max: None,
        };
        match path {
            FactPath::Members => s("党员".into(), "名", What::Members),
            FactPath::Meetings { kind, stat } => {
                let k = kind
                    .as_deref()
                    .map_or("组织生活", |k| sys.meeting_kind_label(k).unwrap_or(k))
                    .to_string();
                match stat {
                    MeetingStat::Count => s(k, "次", What::Meetings),
                    MeetingStat::Months => Subject {
                        natural_max: Some(Decimal::from(12)),
                        ..s(k, "个月", What::OtherCount)
                    },
                    MeetingStat::Quarters => Subject {
                        natural_max: Some(Decimal::from(4)),
                        ..s(k, "个季度", What::OtherCount)
                    },
                    MeetingStat::Attendance => s(format!("{k}出席率"), "", What::Rate),
                }
            }
            FactPath::Checklist(id) => {
                let l = sys.checklist(id).map_or(id.as_str(), |c| c.label.as_str());
                s(l.to_string(), "项", What::List)
            }
            FactPath::Survey { id, stat } => {
                let l = id_name(sys, IdKind::Survey, id, about);
                match stat {
                    // A label that names a rate (群众满意率) is the rate itself.
                    SurveyStat::Rate if l.ends_with('率') => s(l, "", What::Rate),
                    SurveyStat::Rate => s(format!("{l}结果"), "", What::Rate),
                    SurveyStat::Respondents => s(format!("{l}答卷"), "份", What::OtherCount),
                }
            }
            FactPath::Fact(id) => s(id_name(sys, IdKind::Fact, id, about), "", What::Fact),
            FactPath::Incident(id) => s(
                id_name(sys, IdKind::Incident, id, about),
                "起",
                What::Incident,
            ),
            FactPath::Honor(id) => s(id_name(sys, IdKind::Honor, id, about), "项", What::Honor),
            FactPath::Rating(id) => {
                let l = sys.indicator(id).map_or(id.as_str(), |i| i.label.as_str());
                s(format!("“{l}”的评定"), "", What::Level)
            }
            FactPath::Vote { id, stat } => {
                let vote = sys.vote(id);
                let l = vote.map_or(id.as_str(), |v| v.label.as_str());
                let level = |x: &str| vote.and_then(|v| v.level_label(x)).unwrap_or(x).to_string();
                match stat {
                    VoteStat::Tally | VoteStat::Total => {
                        s(format!("{l}票数"), "票", What::OtherCount)
                    }
                    VoteStat::Count(x) => s(format!("{l}“{}”票", level(x)), "票", What::OtherCount),
                    VoteStat::Rate(x) => s(format!("{l}“{}”票比例", level(x)), "", What::Rate),
                }
            }
        }
    }

    fn is_rate(&self) -> bool {
        self.what == What::Rate
    }

    fn is_count(&self) -> bool {
        !self.unit.is_empty() && self.what != What::List
    }

    /// A threshold with its unit: `4次`, `90%`, `2.5`.
    fn amount(&self, n: Decimal) -> String {
        if self.is_rate() {
            percent(n)
        } else {
            format!("{}{}", num(n), self.unit)
        }
    }

    /// One step of `per`: `一个季度`, `2次`, `1个百分点`, `0.5`.
    fn step(&self, per: Option<Decimal>) -> String {
        let u = per.unwrap_or(Decimal::ONE);
        if self.is_rate() {
            format!("{}个百分点", num(u * Decimal::ONE_HUNDRED))
        } else if self.is_count() && u == Decimal::ONE {
            format!("一{}", self.unit)
        } else {
            format!("{}{}", num(u), self.unit)
        }
    }
}

enum IdKind {
    Survey,
    Fact,
    Incident,
    Honor,
}

/// The name of a survey, fact, incident or honor id: its label from the system's label
/// maps (`surveys:`, `facts:`, `incidents:`, `honors:`); without one, a phrase made from
/// `about` (the indicator's label): `<指标名称>相关测评`, `…相关数量` (a number),
/// `…相关情况` (true/false, an incident), `…相关荣誉`; `该项…` when there is no indicator.
fn id_name(sys: &IndicatorSystem, kind: IdKind, id: &str, about: Option<&str>) -> String {
    let (map, noun) = match kind {
        IdKind::Survey => (&sys.labels.surveys, "测评"),
        IdKind::Fact if sys.fact_type(id) == Some(FactType::Bool) => (&sys.labels.facts, "情况"),
        IdKind::Fact => (&sys.labels.facts, "数量"),
        IdKind::Incident => (&sys.labels.incidents, "情况"),
        IdKind::Honor => (&sys.labels.honors, "荣誉"),
    };
    let label = map
        .as_deref()
        .and_then(|m| m.iter().find(|(k, _)| k == id))
        .map(|(_, l)| l.as_str());
    match (label, about) {
        (Some(l), _) => l.to_string(),
        (None, Some(about)) => format!("{about}相关{noun}"),
        (None, None) => format!("该项{noun}"),
    }
}

fn each_sentence(s: &Subject, each: Decimal, bound: Option<Bound>, per: Option<Decimal>) -> String {
    // A rate is a fraction: without `per`, one unit is 100 percentage points, which a
    // rulebook writes as so much per percentage point.
    let (step, e) = match per {
        None if s.is_rate() => (
            s.step(Some(Decimal::new(1, 2))),
            num(each / Decimal::ONE_HUNDRED),
        ),
        _ => (s.step(per), num(each)),
    };
    let (less, more) = if s.is_count() {
        ("少", "多")
    } else {
        ("低", "高")
    };
    match bound {
        Some(Bound::Below(n)) if s.natural_max == Some(n) => {
            format!("{}每{less}{step}扣{e}分", s.name)
        }
        Some(Bound::Below(n)) => {
            let under = if s.is_count() { "不足" } else { "低于" };
            format!("{}{under}{}的，每{less}{step}扣{e}分", s.name, s.amount(n))
        }
        Some(Bound::Above(n)) if !(s.is_count() && n.is_zero()) => {
            let over = if s.is_count() { "超过" } else { "高于" };
            format!("{}{over}{}的，每{more}{step}扣{e}分", s.name, s.amount(n))
        }
        // Above 0 of a count is every unit of it.
        _ => match s.what {
            What::Incident => format!("{}每发生{step}扣{e}分", s.name),
            _ => format!("{}每{step}扣{e}分", s.name),
        },
    }
}

/// The condition of a comparison clause, ending in 的: `年度计划为否的`, `发生违纪的`.
fn condition(s: &Subject, op: Op, value: &CondValue) -> String {
    let name = &s.name;
    match value {
        CondValue::Bool(b) => {
            let holds_true = (op == Op::Eq) == *b;
            format!("{name}为{}的", if holds_true { "是" } else { "否" })
        }
        CondValue::Level(l) => {
            let l = level_name(l);
            match op {
                Op::Ne => format!("{name}不为{l}的"),
                _ => format!("{name}为{l}的"),
            }
        }
        CondValue::Number(n) => {
            let any = (op == Op::Gt && n.is_zero()) || (op == Op::Ge && *n == Decimal::ONE);
            let none = (op == Op::Eq || op == Op::Le) && n.is_zero()
                || (op == Op::Lt && *n == Decimal::ONE);
            if s.is_count() && (any || none) {
                let (yes, no) = match s.what {
                    What::Incident => ("发生", "未发生"),
                    What::Meetings => ("召开", "未召开"),
                    What::Honor => ("获得", "未获得"),
                    _ => ("有", "无"),
                };
                return format!("{}{name}的", if any { yes } else { no });
            }
            let t = s.amount(*n);
            let rel = match (op, s.is_count()) {
                (Op::Gt, true) => "超过",
                (Op::Gt, false) => "高于",
                (Op::Ge, _) => "达到",
                (Op::Lt, true) => "不足",
                (Op::Lt, false) => "低于",
                (Op::Le, _) => "不超过",
                (Op::Eq, _) => "为",
                (Op::Ne, _) => "不为",
            };
            let tail = if op == Op::Ge { "及以上" } else { "" };
            format!("{name}{rel}{t}{tail}的")
        }
    }
}

fn missing_sentence(
    sys: &IndicatorSystem,
    subject: &Subject,
    fact: &FactPath,
    each: Decimal,
    items: &[String],
    listed: bool,
) -> String {
    let (name, labels) = match fact {
        FactPath::Checklist(id) => {
            let cl = sys.checklist(id);
            let label = |item: &String| {
                cl.and_then(|c| c.items.iter().find(|(k, _)| k == item))
                    .map_or_else(|| item.clone(), |(_, l)| l.clone())
            };
            let name = cl.map_or(id.as_str(), |c| c.label.as_str()).to_string();
            (name, items.iter().map(label).collect::<Vec<_>>())
        }
        _ => (subject.name.clone(), items.to_vec()),
    };
    if listed {
        format!("{name}中{}每缺一项扣{}分", labels.join("、"), num(each))
    } else {
        format!("{name}每缺一项扣{}分", num(each))
    }
}

/// `扣5分`, or `不得分` when the deduction takes the whole item.
fn deduct_text(d: Decimal, points: Decimal) -> String {
    if d >= points {
        "不得分".into()
    } else {
        format!("扣{}分", num(d))
    }
}

/// Chinese names of rating levels, as the rest of the reports show them.
fn level_name(l: &str) -> &str {
    super::describe::level(l)
}

fn num(d: Decimal) -> String {
    crate::decimal::show(d)
}

/// A rate as a rulebook writes it: `90%`, `88.5%`.
fn percent(rate: Decimal) -> String {
    format!("{}%", num(rate * Decimal::ONE_HUNDRED))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Rule;

    const SYSTEM: &str = r#"
name: 测试
scale: 100
categories: { community: 社区 }
meeting_kinds: { general: 支部党员大会, committee: 支委会 }
surveys: { satisfaction: 群众满意度测评 }
incidents: { late_reports: 不及时上报, discipline: 违纪 }
checklists:
  rules:
    label: 制度
    items: { study: 学习制度, meeting: 会议制度, dues: 党费制度 }
grades: [ { id: ok, min: 0 } ]
dimensions:
  - id: d
    indicators:
      - id: org_life
        label: 组织生活
        points: 90
        rule:
          deductions:
            - { fact: meetings.general.quarters, below: 4, each: 1 }
            - { fact: meetings.committee.count, below: 10, each: 0.5 }
            - { fact: meetings.committee.count, below: 10, per: 2, each: 1 }
            - { fact: incidents.late_reports, each: 2, max: 4 }
            - { fact: incidents.late_reports, above: 1, each: 1 }
            - { fact: surveys.satisfaction.rate, below: 0.9, per: 0.01, each: 0.5 }
            - { fact: meetings.all.attendance, above: 0.95, per: 0.005, each: 1 }
            - { fact: meetings.all.attendance, below: 0.8, each: 2 }
            - { fact: facts.funding_gap, each: 0.5 }
            - { fact: facts.annual_plan, eq: false, deduct: 5 }
            - { fact: facts.annual_plan, ne: false, deduct: 90 }
            - { fact: incidents.discipline, gt: 0, deduct: 10 }
            - { fact: meetings.general.count, eq: 0, deduct: 3 }
            - { fact: members, lt: 3, deduct: 2 }
            - { fact: surveys.satisfaction.rate, lt: 0.6, deduct: 4 }
            - { fact: meetings.committee.months, ge: 13, deduct: 1 }
            - { fact: ratings.org_life, ne: good, deduct: 1 }
            - { fact: checklists.rules, missing_each: 1 }
            - { fact: checklists.rules, missing_each: 1.5, items: [study, dues], max: 2 }
            - { fact: ratings.org_life, levels: { good: 0, fair: 1, poor: 90 } }
            - { fact: honors.brand, lt: 1, deduct: 1, label: 未创建品牌扣1分 }
      - id: rest
        points: 10
        fact: members
        rule: { goalpost: { low: 0, high: 1 } }
"#;

    fn sentences() -> Vec<String> {
        let mut diags = Vec::new();
        let sys = crate::load::indicators::load(SYSTEM, "indicators.yaml", &mut diags)
            .unwrap_or_else(|| panic!("{diags:?}"));
        let ind = sys.indicator("org_life").unwrap().clone();
        let Rule::Deductions(clauses) = &ind.rule else {
            panic!("not a deductions rule")
        };
        clauses.iter().map(|c| text(&sys, &ind, c)).collect()
    }

    #[test]
    fn every_form_and_option_reads_like_a_rulebook() {
        let s = sentences();
        let expected = [
            // below at the natural maximum of quarters: no threshold to mention
            "支部党员大会每少一个季度扣1分",
            "支委会不足10次的，每少一次扣0.5分",
            // per on a count
            "支委会不足10次的，每少2次扣1分",
            // bare each on an incident, with max
            "不及时上报每发生一起扣2分，最多扣4分",
            "不及时上报超过1起的，每多一起扣1分",
            // rates as percentages, per as percentage points
            "群众满意度测评结果低于90%的，每低1个百分点扣0.5分",
            "组织生活出席率高于95%的，每高0.5个百分点扣1分",
            // a rate without per: so much per percentage point
            "组织生活出席率低于80%的，每低1个百分点扣0.02分",
            // bare each on a number; the system has no `facts:` labels, so the fact is
            // named after the indicator, never by its id
            "组织生活相关数量每1扣0.5分",
            // comparisons on true/false; a deduction of the whole item is 不得分
            "组织生活相关情况为否的，扣5分",
            "组织生活相关情况为是的，不得分",
            // comparisons on counts
            "发生违纪的，扣10分",
            "未召开支部党员大会的，扣3分",
            "党员不足3名的，扣2分",
            // on a rate
            "群众满意度测评结果低于60%的，扣4分",
            "支委会达到13个月及以上的，扣1分",
            // on a level
            "“组织生活”的评定不为良好的，扣1分",
            // missing_each, with and without items, with max
            "制度每缺一项扣1分",
            "制度中学习制度、党费制度每缺一项扣1.5分，最多扣2分",
            // levels
            "考评组评定为良好的不扣分，一般的扣1分，较差的不得分",
            // a label is printed as written
            "未创建品牌扣1分",
        ];
        for (n, want) in expected.iter().enumerate() {
            assert_eq!(s[n], *want, "clause {}", n + 1);
        }
        assert_eq!(s.len(), expected.len());
    }

    #[test]
    fn the_rule_in_words() {
        let mut diags = Vec::new();
        let sys = crate::load::indicators::load(SYSTEM, "indicators.yaml", &mut diags).unwrap();
        let ind = sys.indicator("org_life").unwrap();
        let Rule::Deductions(clauses) = &ind.rule else {
            panic!("not a deductions rule")
        };
        let r = rule(&sys, ind, &clauses[..2]);
        assert_eq!(
            r,
            "扣分制（满分 90 分，扣完为止）：支部党员大会每少一个季度扣1分；支委会不足10次的，每少一次扣0.5分"
        );
    }

    /// A district's own system need not label its ids: without `facts:`, `incidents:`,
    /// `surveys:` or `honors:` maps, its rulebook names them after the indicator.
    const UNLABELED: &str = r#"
name: 测试
scale: 100
categories: { community: 社区 }
grades: [ { id: top, min: 90 }, { id: ok, min: 0 } ]
dimensions:
  - id: d
    indicators:
      - id: new_members
        label: 发展党员
        points: 50
        fact: facts.recruits
        rule: { steps: [ { min: 2, share: 1 }, { min: 1, share: 0.6 } ] }
      - id: absence
        label: 无故缺席组织生活
        points: 30
        fact: incidents.absences
        rule: { steps: [ { max: 0, share: 1 }, { max: 1, share: 0.7 } ] }
      - id: service
        label: 服务群众
        points: 20
        rule:
          deductions:
            - { fact: surveys.residents.rate, below: 0.9, per: 0.01, each: 0.5 }
            - { fact: honors.brand, lt: 1, deduct: 2 }
            - { fact: facts.plan_filed, eq: false, deduct: 1 }
vetoes:
  - id: violations
    label: 有违纪违法党员
    when: { fact: incidents.violations, gt: 0 }
    cap: ok
"#;

    #[test]
    fn unlabeled_ids_are_named_after_their_indicator_never_by_id() {
        let mut diags = Vec::new();
        let sys = crate::load::indicators::load(UNLABELED, "indicators.yaml", &mut diags)
            .unwrap_or_else(|| panic!("{diags:?}"));
        let n = |x: i64| CondValue::Number(Decimal::from(x));
        let recruits = sys.indicator("new_members").unwrap();
        let absence = sys.indicator("absence").unwrap();
        // The steps of a `steps` rule (higher and lower is better), as the rulebook's step
        // lines begin.
        assert_eq!(
            threshold_sentence(&sys, recruits, Op::Ge, &n(2)),
            "发展党员相关数量达到2及以上的"
        );
        assert_eq!(
            threshold_sentence(&sys, absence, Op::Le, &n(0)),
            "未发生无故缺席组织生活相关情况的"
        );
        assert_eq!(
            threshold_sentence(&sys, absence, Op::Le, &n(1)),
            "无故缺席组织生活相关情况不超过1起的"
        );
        // Clauses on an unlabeled survey, honor and true/false fact.
        let service = sys.indicator("service").unwrap();
        let Rule::Deductions(clauses) = &service.rule else {
            panic!("not a deductions rule")
        };
        let texts: Vec<String> = clauses.iter().map(|c| text(&sys, service, c)).collect();
        assert_eq!(
            texts,
            [
                "服务群众相关测评结果低于90%的，每低1个百分点扣0.5分",
                "未获得服务群众相关荣誉的，扣2分",
                "服务群众相关情况为否的，扣1分",
            ]
        );
        // A veto's condition: its own label stands beside it.
        assert_eq!(
            condition_sentence(&sys, &sys.vetoes[0].when),
            "发生该项情况的"
        );
        for t in texts {
            for id in ["recruits", "absences", "residents", "brand", "plan_filed"] {
                assert!(!t.contains(id), "{t}");
            }
        }
    }
}
