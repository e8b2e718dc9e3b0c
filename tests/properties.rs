//! Properties of the scorer over random records scored against the default indicator
//! system (indicators.yaml at the repository root).

mod common;

use std::sync::{Arc, OnceLock};

use dangjian::model::{
    Branch, FactType, FactValue, IdMap, IdSet, IndicatorSystem, Meeting, MeetingTally, Project,
    Record, Rule, Survey, Year,
};
use dangjian::score::{self, BranchResult};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn system() -> &'static IndicatorSystem {
    static SYS: OnceLock<IndicatorSystem> = OnceLock::new();
    SYS.get_or_init(|| {
        let text = std::fs::read_to_string(common::repo().join("indicators.yaml")).unwrap();
        let mut diags = Vec::new();
        dangjian::load::indicators::load(&text, "indicators.yaml", &mut diags)
            .unwrap_or_else(|| panic!("default system invalid: {diags:?}"))
    })
}

/// (meeting kind, month, day, optional (expected, percent present)).
type RawMeeting = (usize, u32, u32, Option<(u32, u32)>);

/// Raw random choices, turned into a record valid for the system by `record()`.
#[derive(Debug, Clone)]
struct Raw {
    category: usize,
    members: Option<u32>,
    meetings: Vec<RawMeeting>,
    checklists: Vec<Option<Vec<bool>>>,
    surveys: Vec<Option<(u32, u32)>>,
    facts: Vec<Option<(bool, u32)>>,
    incidents: Vec<Option<u32>>,
    honors: Vec<Option<u32>>,
    ratings: Vec<Option<usize>>,
}

fn raw() -> impl Strategy<Value = Raw> {
    let sys = system();
    let n_kinds = sys.meeting_kinds.len();
    (
        0..sys.categories.len(),
        proptest::option::of(0u32..200),
        proptest::collection::vec(
            (
                0..n_kinds,
                1u32..=12,
                1u32..=28,
                proptest::option::of((1u32..40, 0u32..=100)),
            ),
            0..40,
        ),
        proptest::collection::vec(
            proptest::option::of(proptest::collection::vec(any::<bool>(), 8)),
            sys.checklists.len(),
        ),
        proptest::collection::vec(
            proptest::option::of((0u32..300, 0u32..=100)),
            sys.survey_ids.len(),
        ),
        proptest::collection::vec(
            proptest::option::of((any::<bool>(), 0u32..200)),
            sys.fact_types.len(),
        ),
        proptest::collection::vec(proptest::option::of(0u32..4), sys.incident_ids.len()),
        proptest::collection::vec(proptest::option::of(0u32..6), sys.honor_ids.len()),
        proptest::collection::vec(proptest::option::of(0usize..8), 64),
    )
        .prop_map(
            |(
                category,
                members,
                meetings,
                checklists,
                surveys,
                facts,
                incidents,
                honors,
                ratings,
            )| Raw {
                category,
                members,
                meetings,
                checklists,
                surveys,
                facts,
                incidents,
                honors,
                ratings,
            },
        )
}

fn record(raw: &Raw) -> Record {
    let sys = system();
    let d = |n: u32| Decimal::from(n);
    let mut rec = Record {
        name: "支部".into(),
        category: sys.categories[raw.category].0.clone(),
        members: raw.members.map(d),
        ..Record::default()
    };
    for (kind, month, day, att) in &raw.meetings {
        rec.add_meeting(&Meeting {
            date: (2026, *month, *day),
            kind: sys.meeting_kinds[*kind].0.as_str().into(),
            expected: att.map(|(e, _)| d(e)),
            present: att.map(|(e, pct)| d(e * pct / 100)),
        });
    }
    for (cl, pick) in sys.checklists.iter().zip(&raw.checklists) {
        if let Some(pick) = pick {
            let done: IdSet = cl
                .items
                .iter()
                .zip(pick)
                .filter(|(_, p)| **p)
                .map(|((k, _), _)| k.clone())
                .collect();
            rec.checklists.insert(&cl.id, done);
        }
    }
    for (id, s) in sys.survey_ids.iter().zip(&raw.surveys) {
        if let Some((resp, pct)) = s {
            rec.surveys.insert(
                id,
                Survey {
                    respondents: d(*resp),
                    positive: d(resp * pct / 100),
                },
            );
        }
    }
    for ((id, ty), f) in sys.fact_types.iter().zip(&raw.facts) {
        if let Some((b, n)) = f {
            let v = match ty {
                FactType::Bool => FactValue::Bool(*b),
                _ => FactValue::Number(d(*n)),
            };
            rec.facts.insert(id, v);
        }
    }
    for (id, n) in sys.incident_ids.iter().zip(&raw.incidents) {
        if let Some(n) = n {
            rec.incidents.insert(id, d(*n));
        }
    }
    for (id, n) in sys.honor_ids.iter().zip(&raw.honors) {
        if let Some(n) = n {
            rec.honors.insert(id, d(*n));
        }
    }
    let rating_inds = sys.indicators().filter_map(|(_, i)| match &i.rule {
        Rule::Rating(levels) => Some((i.id.clone(), levels)),
        _ => None,
    });
    for ((id, levels), pick) in rating_inds.zip(&raw.ratings) {
        if let Some(p) = pick {
            rec.ratings
                .insert(id, levels[p % levels.len()].0.as_str().into());
        }
    }
    rec
}

fn score_one(rec: &Record) -> BranchResult {
    let b = Branch {
        id: "b".into(),
        org: vec![],
        file: "b.yaml".into(),
        org_node: None,
        record: rec.clone(),
        narrative: None,
    };
    score::branch::score(2026, &b, system())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn scores_stay_in_bounds(raw in raw()) {
        let sys = system();
        let r = score_one(&record(&raw));
        for i in &r.indicators {
            prop_assert!(i.earned >= Decimal::ZERO && i.earned <= i.points, "{i:?}");
            prop_assert!(i.earned.scale() <= 2);
        }
        prop_assert!(r.base <= sys.scale);
        prop_assert!(r.bonus >= Decimal::ZERO && r.bonus <= sys.bonus_cap);
        prop_assert!(r.total <= sys.scale + sys.bonus_cap);
        prop_assert_eq!(r.total, r.base + r.bonus);
        // A fired veto always caps the grade; the grade is never above the score's grade.
        prop_assert!(r.grade >= r.grade_before_vetoes);
        for v in &r.vetoes {
            let cap = sys.vetoes.iter().find(|x| x.id == *v).unwrap().cap;
            prop_assert!(r.grade >= cap);
        }
        // Scoring twice gives the same result.
        prop_assert_eq!(&r, &score_one(&record(&raw)));
    }

    #[test]
    fn more_incidents_never_raise_the_score(raw in raw(), which in 0usize..16, extra in 1u32..4) {
        let sys = system();
        let rec = record(&raw);
        let before = score_one(&rec);
        let mut more = rec.clone();
        if let Some(id) = sys.incident_ids.get(which % sys.incident_ids.len().max(1)) {
            let cur = more.incidents.get(id).copied().unwrap_or(Decimal::ZERO);
            more.incidents.insert(id, cur + Decimal::from(extra));
            let after = score_one(&more);
            // Counting from a missing value is not "more": compare only when it was given.
            if rec.incidents.contains_key(id) {
                prop_assert!(after.total <= before.total);
                prop_assert!(after.grade >= before.grade);
            }
        }
    }

    #[test]
    fn more_of_a_good_thing_never_lowers_the_score(raw in raw(), month in 1u32..=12) {
        let sys = system();
        let rec = record(&raw);
        let before = score_one(&rec);
        // Every checklist item done.
        let mut full = rec.clone();
        for cl in &sys.checklists {
            full.checklists.insert(&cl.id, cl.items.iter().map(|(k, _)| k.as_str()).collect());
        }
        prop_assert!(score_one(&full).base >= before.base);
        // Every survey answer positive.
        let mut happy = rec.clone();
        for s in happy.surveys.values_mut() {
            s.positive = s.respondents;
        }
        prop_assert!(score_one(&happy).base >= before.base);
        // One more meeting of each kind without attendance figures (counts, months and
        // quarters can only grow; attendance is unchanged).
        let mut busier = rec.clone();
        for (k, _) in &sys.meeting_kinds {
            busier.add_meeting(&Meeting { date: (2026, month, 15), kind: k.as_str().into(), expected: None, present: None });
        }
        prop_assert!(score_one(&busier).base >= before.base);
        // More honours never lower the bonus.
        let mut honoured = rec.clone();
        for id in &sys.honor_ids {
            *honoured.honors.get_or_insert(id, Decimal::ZERO) += Decimal::ONE;
        }
        prop_assert!(score_one(&honoured).bonus >= before.bonus);
    }

    #[test]
    fn order_of_records_and_entries_changes_nothing(raws in proptest::collection::vec(raw(), 1..8), seed in any::<u64>()) {
        let sys = Arc::new(system().clone());
        let branches_of = |raws: &[Raw]| -> Vec<Branch> { raws.iter().enumerate().map(|(i, r)| Branch {
            id: format!("b{i:02}"), org: vec![], file: format!("content/2026/b{i:02}.yaml"), org_node: None, record: record(r), narrative: None,
        }).collect() };
        let branches = branches_of(&raws);
        let project = |bs: Vec<Branch>| {
            let mut bs = bs;
            bs.sort_by(|a, b| a.id.cmp(&b.id));
            Project { root: ".".into(), years: vec![Year { year: 2026, system: sys.clone(), orgs: vec![], branches: bs }] }
        };
        let a = score::assess(&project(branches.clone()));
        // Shuffle every record's meetings, then the branches.
        let mut s = seed;
        let mut next = || { s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407); (s >> 33) as usize };
        let mut raws = raws.clone();
        for r in &mut raws {
            let m = &mut r.meetings;
            for i in (1..m.len()).rev() { let j = next() % (i + 1); m.swap(i, j); }
        }
        let mut shuffled = branches_of(&raws);
        for i in (1..shuffled.len()).rev() { let j = next() % (i + 1); shuffled.swap(i, j); }
        let b = score::assess(&project(shuffled));
        prop_assert_eq!(a, b);
    }
}

#[test]
fn checklist_and_facts_maps_are_sorted_containers() {
    // The record model keeps ids in sorted maps, so the written order of a record's
    // sections cannot change a score; this guards that choice.
    let r = Record::default();
    let _: &IdMap<IdSet> = &r.checklists;
    let _: &IdMap<FactValue> = &r.facts;
    let _: &IdMap<MeetingTally> = &r.meetings;
}
