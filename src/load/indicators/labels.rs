//! The label maps of `indicators.yaml` (`surveys`, `facts`, `incidents`, `honors`): names for
//! the ids records use. A map that is present is the complete list of its kind: every id the
//! system's indicators, vetoes and bonuses name, and every id a record gives, must be in it.

use super::super::ids::labels;
use crate::diagnostics::Pos;
use crate::model::{FactPath, FactType, IndicatorSystem, Labels};
use crate::suggest;
use crate::yaml::{Fields, Reader};

/// The four maps, each `None` when the file does not give it.
pub(super) fn read_labels(r: &mut Reader, f: &Fields) -> Labels {
    let mut map = |key: &str, what: &str| f.get(key).map(|n| labels(r, n, what));
    Labels {
        surveys: map("surveys", "调查"),
        facts: map("facts", "事实"),
        incidents: map("incidents", "事件"),
        honors: map("honors", "荣誉"),
    }
}

/// The label map a fact path's id belongs to: the map, its key, what it names and the id.
struct MapOf<'a> {
    map: &'a Option<Vec<(String, String)>>,
    key: &'static str,
    what: &'static str,
    id: &'a str,
}

fn map_of<'a>(sys: &'a IndicatorSystem, path: &'a FactPath) -> Option<MapOf<'a>> {
    let (map, key, what, id) = match path {
        FactPath::Survey { id, .. } => (&sys.labels.surveys, "surveys", "调查", id),
        FactPath::Fact(id) => (&sys.labels.facts, "facts", "事实", id),
        FactPath::Incident(id) => (&sys.labels.incidents, "incidents", "事件", id),
        FactPath::Honor(id) => (&sys.labels.honors, "honors", "荣誉", id),
        _ => return None,
    };
    Some(MapOf { map, key, what, id })
}

/// With a label map present, an id the system names must be in it. Reports at `pos` (the
/// fact path) and returns false when it is not.
pub(super) fn check_named(
    r: &mut Reader,
    pos: Pos,
    path: &FactPath,
    sys: &IndicatorSystem,
) -> bool {
    let Some(MapOf {
        map: Some(map),
        key,
        what,
        id,
    }) = map_of(sys, path)
    else {
        return true;
    };
    if map.iter().any(|(k, _)| k == id) {
        return true;
    }
    let hint = suggest::hint(id, map.iter().map(|(k, _)| k.as_str()))
        .or_else(|| Some(format!("在 `{key}` 中为 `{id}` 写上名称")));
    r.err_hint(
        pos,
        format!("{what}编号 `{id}` 不在 `{key}` 名称表中（有名称表时，它就是该类编号的完整清单）"),
        hint,
    );
    false
}

/// With a label map present, the ids records may use are exactly its keys.
pub(super) fn known_ids(sys: &mut IndicatorSystem) {
    let keys = |m: &Option<Vec<(String, String)>>| -> Option<Vec<String>> {
        m.as_ref()
            .map(|m| m.iter().map(|(k, _)| k.clone()).collect())
    };
    if let Some(ids) = keys(&sys.labels.surveys) {
        sys.survey_ids = ids;
    }
    if let Some(ids) = keys(&sys.labels.incidents) {
        sys.incident_ids = ids;
    }
    if let Some(ids) = keys(&sys.labels.honors) {
        sys.honor_ids = ids;
    }
    if let Some(ids) = keys(&sys.labels.facts) {
        // Facts nothing reads take whatever a record gives: a number or true/false.
        for id in ids {
            if sys.fact_types.iter().all(|(k, _)| *k != id) {
                sys.fact_types.push((id, FactType::NumberOrBool));
            }
        }
    }
}
