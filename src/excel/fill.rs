//! Rows of the data sheets into their branches' records: where each row goes, the
//! branches filled in parallel (each branch's rows in sheet order), and what one row adds
//! to a record (a meeting, ratings and self scores, checklist marks, measures, facts, an
//! inspection or a rectification).

use rayon::prelude::*;

use super::layout::{self, Column, SheetLayout, Target};
use super::record::{At, MeasureData, RecordData, Val};
use super::rows::{BranchIn, RowIn, col_of, id_cell};

/// Where a data row goes: the branch's slot among the gathered branches (by id), or why it
/// goes nowhere (its id is blank, is a refused row of the 支部 sheet, or is not there).
#[derive(Clone, Copy)]
pub(super) enum Bound {
    Branch(usize),
    NoId,
    Refused,
    Unknown,
}

/// Adds rows to their branches' records, the branches in parallel and each branch's rows in
/// sheet order (the record is the one a row-by-row fill gives). Filling row by row on one
/// thread was most of the import's single-threaded time (10,000 branches: ≈ 0.3 s of the
/// step from rows to records). Rows are not moved: a branch's rows are runs of the chunk
/// (usually one), put in the branches' order and handed out whole.
pub(super) fn fill_by_branch(
    slots: &mut [&mut BranchIn],
    jobs: &mut [RowIn<Bound>],
    sl: &SheetLayout,
    book: usize,
    targets: &Targets,
) {
    let slot = |r: &RowIn<Bound>| match r.found {
        Bound::Branch(s) => Some(s),
        _ => None,
    };
    let mut runs: Vec<(usize, &mut [RowIn<Bound>])> = jobs
        .chunk_by_mut(|a, b| slot(a) == slot(b))
        .filter_map(|run| Some((slot(&run[0])?, run)))
        .collect();
    // A stable sort: a branch's runs keep the sheet's order.
    runs.sort_by_key(|(s, _)| *s);
    let mut work: Vec<(&mut BranchIn, Vec<&mut [RowIn<Bound>]>)> = Vec::new();
    let mut rest: &mut [&mut BranchIn] = slots;
    let mut offset = 0;
    let mut runs = runs.into_iter().peekable();
    while let Some((s, run)) = runs.next() {
        let mut group = vec![run];
        while let Some((_, more)) = runs.next_if(|(next, _)| *next == s) {
            group.push(more);
        }
        let tail = std::mem::take(&mut rest).split_at_mut(s - offset).1;
        let Some((branch, tail)) = tail.split_first_mut() else {
            break;
        };
        work.push((&mut **branch, group));
        rest = tail;
        offset = s + 1;
    }
    work.into_par_iter().for_each(|(branch, group)| {
        for row in group.into_iter().flatten() {
            let at = id_cell(sl, book, row);
            fill(&mut branch.rec, sl, targets, &mut row.v, &at);
        }
    });
}

/// The columns of a sheet's targets that `fill` takes on every row, found once a sheet
/// (searching the layout for each cost 57 M instructions of 2,000 branches' import).
pub(super) struct Targets {
    meeting: [(&'static str, Option<usize>); 5],
    assessment: [Option<usize>; 3],
}

impl Targets {
    pub(super) fn of(sl: &SheetLayout) -> Targets {
        Targets {
            meeting: [
                ("date", Target::MeetingDate),
                ("kind", Target::MeetingKind),
                ("topic", Target::Topic),
                ("expected", Target::Expected),
                ("present", Target::Present),
            ]
            .map(|(key, t)| (key, col_of(sl, &t))),
            assessment: [Target::IndicatorId, Target::Rating, Target::SelfScore]
                .map(|t| col_of(sl, &t)),
        }
    }
}

/// Adds one row of a data sheet to a branch's record.
pub(super) fn fill(
    rec: &mut RecordData,
    sl: &SheetLayout,
    targets: &Targets,
    v: &mut [Option<Val>],
    at: &At,
) {
    let cols: &[Column] = &sl.columns;
    match sl.name {
        layout::INSPECTION => super::cycle::fill_inspection(rec, cols, v, at),
        layout::RECTIFICATION => super::cycle::fill_rectification(rec, cols, v),
        layout::MEETINGS => {
            let mut m = Vec::with_capacity(targets.meeting.len());
            for (key, i) in targets.meeting {
                if let Some(val) = i.and_then(|i| v[i].take()) {
                    m.push((key, val));
                }
            }
            rec.meetings.push(m);
        }
        layout::ASSESSMENT => {
            let [id, rating, score] = targets.assessment.map(|i| i.and_then(|i| v[i].take()));
            let Some(id) = id else {
                if rating.is_some() || score.is_some() {
                    // Emitted under an empty key: the loader names the missing indicator.
                    let at = rating
                        .as_ref()
                        .or(score.as_ref())
                        .and_then(|x| x.at.clone())
                        .unwrap_or(at.clone());
                    let key = Val::text("", Some(at));
                    if let Some(r) = rating {
                        rec.ratings.push((key.clone(), r));
                    }
                    if let Some(s) = score {
                        rec.self_scores.push((key, s));
                    }
                }
                return;
            };
            // Each key points at its value's cell; the id's text is copied only when the row
            // gives both.
            let key = |v: &Val, id: Val| Val {
                at: v.at.clone(),
                ..id
            };
            match (rating, score) {
                (Some(r), Some(s)) => {
                    rec.ratings.push((key(&r, id.clone()), r));
                    rec.self_scores.push((key(&s, id), s));
                }
                (Some(r), None) => rec.ratings.push((key(&r, id), r)),
                (None, Some(s)) => rec.self_scores.push((key(&s, id), s)),
                (None, None) => {}
            }
        }
        _ => {
            // A checklist is given when any of its items is marked (✗ included): all blank
            // is a checklist not reported, which the contract scores as missing.
            let mut lists: Vec<(&String, Vec<Val>)> = Vec::new();
            for (i, c) in cols.iter().enumerate() {
                let Target::Item { checklist, item } = &c.target else {
                    continue;
                };
                let Some(val) = &v[i] else { continue };
                let p = match lists.iter().position(|(id, _)| *id == checklist) {
                    Some(p) => p,
                    None => {
                        lists.push((checklist, Vec::new()));
                        lists.len() - 1
                    }
                };
                if val.text == "done" {
                    lists[p].1.push(Val::plain(item.clone(), val.at.clone()));
                }
            }
            rec.checklists
                .extend(lists.into_iter().map(|(id, items)| (id.clone(), items)));
            for (i, c) in cols.iter().enumerate() {
                let Some(val) = v[i].take() else { continue };
                match &c.target {
                    Target::Measure { section, id, part } => {
                        let m = match rec
                            .measures
                            .iter()
                            .position(|m| m.id == *id && m.section == *section)
                        {
                            Some(p) => p,
                            None => {
                                rec.measures.push(MeasureData {
                                    section,
                                    id: id.clone(),
                                    parts: Vec::new(),
                                });
                                rec.measures.len() - 1
                            }
                        };
                        rec.measures[m].parts.push((part.clone(), val));
                    }
                    Target::Fact(id) => rec.facts.push((id.clone(), val)),
                    Target::Incident(id) => rec.incidents.push((id.clone(), val)),
                    Target::Honor(id) => rec.honors.push((id.clone(), val)),
                    _ => {}
                }
            }
        }
    }
}
