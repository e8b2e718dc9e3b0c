//! Whether two records (or organisation nodes) hold the same rows, so that their YAML would
//! be the same text: what tells an import that a record did not change, without writing the
//! record on disk out again (that second [`emit`](super::record::emit) was a fifth of an
//! unchanged district's import). Only a "yes" is trusted: it compares everything `emit`
//! writes, values by their text (a value read as plain and one given as text are the same
//! when `emit` writes them alike); on a "no" the caller compares the texts.

use super::record::{
    Field, InspectionData, MeasureData, MeetingData, OrgData, RecordData, Val, scalar_text,
};

fn val(a: &Val, b: &Val) -> bool {
    a.text == b.text && (a.style == b.style || scalar_text(a) == scalar_text(b))
}

fn opt(a: &Option<Val>, b: &Option<Val>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => val(a, b),
        _ => false,
    }
}

fn all<T>(a: &[T], b: &[T], eq: impl Fn(&T, &T) -> bool) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| eq(x, y))
}

/// Keyed values in order: a meeting's or plan item's cells, facts, a measure's parts.
fn keyed<K: PartialEq>(a: &[(K, Val)], b: &[(K, Val)]) -> bool {
    all(a, b, |(ka, va), (kb, vb)| ka == kb && val(va, vb))
}

fn pairs(a: &[(Val, Val)], b: &[(Val, Val)]) -> bool {
    all(a, b, |(ka, va), (kb, vb)| val(ka, kb) && val(va, vb))
}

fn measure(a: &MeasureData, b: &MeasureData) -> bool {
    a.section == b.section && a.id == b.id && keyed(&a.parts, &b.parts)
}

fn field(a: &Field, b: &Field) -> bool {
    match (a, b) {
        (Field::One(a), Field::One(b)) => val(a, b),
        (Field::List(a), Field::List(b)) => all(a, b, val),
        _ => false,
    }
}

fn inspection(a: &Option<InspectionData>, b: &Option<InspectionData>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => all(&a.fields, &b.fields, |(ka, fa), (kb, fb)| {
            ka == kb && field(fa, fb)
        }),
        _ => false,
    }
}

/// Whether `a` and `b` certainly give the same YAML.
pub fn record(a: &RecordData, b: &RecordData) -> bool {
    opt(&a.name, &b.name)
        && opt(&a.category, &b.category)
        && opt(&a.members, &b.members)
        && opt(&a.secretary, &b.secretary)
        && all(&a.meetings, &b.meetings, |x: &MeetingData, y| keyed(x, y))
        && all(&a.checklists, &b.checklists, |(ia, la), (ib, lb)| {
            ia == ib && all(la, lb, val)
        })
        && all(&a.measures, &b.measures, measure)
        && keyed(&a.facts, &b.facts)
        && keyed(&a.incidents, &b.incidents)
        && keyed(&a.honors, &b.honors)
        && pairs(&a.ratings, &b.ratings)
        && pairs(&a.self_scores, &b.self_scores)
        && inspection(&a.inspection, &b.inspection)
        && all(&a.rectification, &b.rectification, |x: &MeetingData, y| {
            keyed(x, y)
        })
        && a.extra == b.extra
}

/// Whether two organisation nodes certainly give the same YAML.
pub fn org(a: &OrgData, b: &OrgData) -> bool {
    opt(&a.name, &b.name) && opt(&a.kind, &b.kind) && a.extra == b.extra
}
