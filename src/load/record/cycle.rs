//! The assessment cycle in a record: the inspection team's findings (`inspection`) and the
//! branch's rectification plan (`rectification`).

use super::Ids;
use super::dates::{self, YearDates};
use crate::diagnostics::Pos;
use crate::load::shown::text_start;
use crate::model::{Date, IndicatorSystem, Inspection, Rectification};
use crate::suggest;
use crate::yaml::{Node, Reader};

const INSPECTION_FIELDS: &[&str] = &[
    "date", "team", "sampled", "methods", "verified", "overall", "opinions",
];

/// The parts of a record an inspection can check against the originals: the record's
/// fields from `meetings` to `self_scores`.
pub const VERIFIABLE: &[&str] = super::FIELDS.split_at(4).1.split_at(9).0;

pub const RECTIFICATION_FIELDS: &[&str] = &[
    "id",
    "problem",
    "measure",
    "owner",
    "due",
    "indicator",
    "done",
];

pub fn inspection(r: &mut Reader, node: &Node, y: YearDates) -> Option<Inspection> {
    let f = r.fields(node, "`inspection`", INSPECTION_FIELDS, &["date", "team"])?;
    let date = f
        .get("date")
        .and_then(|n| dates::in_year(r, n, "检查日期 `date`", y));
    let team = f.get("team").and_then(|n| {
        let names = texts(r, n, "考评组成员 `team`", true)?;
        if names.0.is_empty() {
            r.error(n.pos, "考评组 `team` 至少要有一名成员");
            return None;
        }
        Some(names)
    });
    let sampled = match f.get("sampled") {
        Some(n) => r.boolean(n, "`sampled`"),
        None => Some(false),
    };
    let methods = f.get("methods").map_or(Some(Texts::default()), |n| {
        texts(r, n, "检查方法 `methods`", false)
    });
    let verified = f
        .get("verified")
        .map_or(Some(Vec::new()), |n| verified(r, n));
    let overall = f
        .get("overall")
        .and_then(|n| Some((r.text(n, "综合评价 `overall`")?, text_start(n))));
    let opinions = f.get("opinions").map_or(Some(Texts::default()), |n| {
        texts(r, n, "整改意见 `opinions`", false)
    });
    let ((team, team_at), (methods, methods_at)) = (team?, methods?);
    let (opinions, opinions_at) = opinions?;
    let (overall, overall_at) = overall.unzip();
    Some(Inspection {
        date: date?,
        team,
        sampled: sampled?,
        methods,
        verified: verified?,
        overall,
        opinions,
        team_at,
        methods_at,
        overall_at,
        opinions_at,
    })
}

/// Texts and where each starts.
type Texts = (Vec<String>, Vec<Pos>);

/// A list of texts (`nonblank`: none of them blank) with where each starts; `None` when any
/// is wrong (reported).
fn texts(r: &mut Reader, n: &Node, what: &str, nonblank: bool) -> Option<Texts> {
    let items = r.seq(n, what)?;
    let mut out = (
        Vec::with_capacity(items.len()),
        Vec::with_capacity(items.len()),
    );
    let mut ok = true;
    for item in items {
        let t = if nonblank {
            r.nonblank(item, what)
        } else {
            r.text(item, what)
        };
        match t {
            Some(t) => {
                out.0.push(t);
                out.1.push(text_start(item));
            }
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn verified(r: &mut Reader, n: &Node) -> Option<Vec<String>> {
    let items = r.seq(n, "核实的部分 `verified`")?;
    let mut out: Vec<String> = Vec::new();
    let mut ok = true;
    for item in items {
        let Some(part) = r.nonblank(item, "核实的部分") else {
            ok = false;
            continue;
        };
        if !VERIFIABLE.contains(&part.as_str()) {
            let hint = suggest::hint(&part, VERIFIABLE.iter().copied());
            r.err_hint(
                item.pos,
                format!("`verified` 中的 `{part}` 不是记录中可核实的部分"),
                hint,
            );
            ok = false;
        } else if out.contains(&part) {
            r.error(item.pos, format!("`verified` 中的 `{part}` 重复"));
            ok = false;
        } else {
            out.push(part);
        }
    }
    ok.then_some(out)
}

pub fn rectification(
    r: &mut Reader,
    node: &Node,
    sys: &IndicatorSystem,
    ids: &Ids,
    category: &str,
    y: YearDates,
) -> Vec<Rectification> {
    let mut out = Vec::new();
    let Some(items) = r.seq(node, "`rectification`") else {
        return out;
    };
    let mut seen = Vec::new();
    for item in items {
        let Some(f) = r.fields(
            item,
            "整改事项",
            RECTIFICATION_FIELDS,
            &["id", "problem", "measure", "due"],
        ) else {
            continue;
        };
        let id = f.get("id").and_then(|n| {
            let id = r.nonblank(n, "整改事项编号 `id`")?;
            if let Some(first) = crate::load::ids::taken(&mut seen, &id, n.pos) {
                r.error(n.pos, format!("整改事项编号 `{id}` 在本记录中重复"))
                    .hint = Some(first);
                return None;
            }
            Some(id)
        });
        let problem = f
            .get("problem")
            .and_then(|n| Some((r.nonblank(n, "问题 `problem`")?, text_start(n))));
        let measure = f
            .get("measure")
            .and_then(|n| Some((r.nonblank(n, "措施 `measure`")?, text_start(n))));
        let owner = f
            .get("owner")
            .and_then(|n| Some((r.text(n, "责任人 `owner`")?, text_start(n))));
        let due = f.get("due").and_then(|n| due(r, n, y.year));
        let indicator = match f.get("indicator") {
            None => Some(None),
            Some(n) => target(r, n, sys, ids, category).map(Some),
        };
        let done = match f.get("done") {
            None => Some(None),
            Some(n) => dates::in_year(r, n, "完成日期 `done`", y).map(Some),
        };
        if let (Some(id), Some(problem), Some(measure), Some(due), Some(indicator), Some(done)) =
            (id, problem, measure, due, indicator, done)
        {
            let (owner, owner_at) = owner.unzip();
            out.push(Rectification {
                id,
                problem: problem.0,
                measure: measure.0,
                owner,
                due,
                indicator,
                done,
                problem_at: problem.1,
                measure_at: measure.1,
                owner_at,
            });
        }
    }
    out
}

/// A deadline: in the folder's year or the next (a plan may run into the next year).
fn due(r: &mut Reader, n: &Node, year: i32) -> Option<Date> {
    let d = dates::date(r, n, "整改期限 `due`")?;
    if d.year != year && d.year != year + 1 {
        r.error(
            n.pos,
            format!(
                "整改期限 {d} 应在本年度（{year}）或下一年度（{}）内",
                year + 1
            ),
        );
        return None;
    }
    Some(d)
}

/// The indicator an item targets: one of this year's system that applies to the branch.
fn target(
    r: &mut Reader,
    n: &Node,
    sys: &IndicatorSystem,
    ids: &Ids,
    category: &str,
) -> Option<crate::model::Id> {
    let id = r.nonblank(n, "整改对应的指标 `indicator`")?;
    let Some(ind) = sys.indicator(&id) else {
        let applicable = sys
            .indicators()
            .filter(|(_, i)| category.is_empty() || i.applies(category))
            .map(|(_, i)| i.id.as_str());
        let hint = suggest::hint(&id, applicable);
        r.err_hint(n.pos, format!("整改对应的指标 `{id}` 未定义"), hint);
        return None;
    };
    if !category.is_empty() && !ind.applies(category) {
        r.error(
            n.pos,
            format!(
                "指标 `{id}`（{}）不适用于类别 `{category}`，不能作为整改对应的指标",
                ind.label
            ),
        );
        return None;
    }
    Some(ids.get(&id))
}

#[cfg(test)]
mod tests {
    #[test]
    fn verifiable_parts_are_the_contracts() {
        assert_eq!(
            super::VERIFIABLE,
            [
                "meetings",
                "checklists",
                "surveys",
                "facts",
                "incidents",
                "ratings",
                "honors",
                "votes",
                "self_scores"
            ]
        );
    }
}
