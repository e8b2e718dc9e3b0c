//! From a workbook's rows to records: the rows of each sheet by layout column, each cell
//! converted (in parallel), rows matched to the branches of the workbook's 支部 sheet, and
//! every branch's record and organisation row gathered across all workbooks.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use super::cells::Value;
use super::cells::a1;
use super::convert;
use super::fill::{Bound, Targets, fill_by_branch};
use super::layout::{self, Kind, Layout, Rows, SheetLayout, Target};
use super::project::YearFiles;
use super::record::{At, OrgData, RecordData, Val};
use super::sheets::{Input, Say};
use super::workbook::Row;

/// A row's cells that have a layout column: (layout column, sheet column, value).
fn layout_cells<'a>(
    row: &'a Row,
    map: &'a [Option<usize>],
) -> impl Iterator<Item = (usize, u32, &'a Value)> + 'a {
    row.cells
        .iter()
        .filter_map(|(c, v)| map.get(*c as usize).copied().flatten().map(|i| (i, *c, v)))
}

/// Rows of a sheet (all, or a run of them) with the sheet's merged ranges.
pub(super) type SheetRows<'a> = (&'a [Row], &'a [(u32, u32, u32, u32)]);

/// A data row converted in parallel: its index, the sheet column of its first layout cell,
/// its values by layout column, and what the caller worked out from them on the same worker.
pub(super) struct RowIn<T> {
    pub(super) index: u32,
    pub(super) first: u32,
    pub(super) v: Vec<Option<Val>>,
    pub(super) found: T,
    /// The cells no record can hold, until reported.
    errors: Vec<(At, convert::CellError)>,
}

/// The values of a sheet's data rows by layout column (value, its cell), converted in
/// parallel, each with what `find` makes of them; the cells no record can hold are reported
/// in row order. A row left empty (reference columns aside) is left out, and so is a row
/// whose first column lies inside a merged range below its first cell: the merge was
/// reported, and the row's missing id would only repeat it. Each row is read straight from
/// the sheet's cells on the worker that converts it, and nothing is moved on the caller's
/// thread afterwards (a list of each row's cells made on one thread and freed on another,
/// and each row moved once more on one thread, were most of the import's single-threaded
/// time from rows to records).
pub(super) fn row_values<T: Send>(
    say: &mut Say,
    layout: &Layout,
    book: usize,
    sl: &SheetLayout,
    sheet: SheetRows,
    map: &[Option<usize>],
    find: impl Fn(&[Option<Val>]) -> T + Sync,
) -> Vec<RowIn<T>> {
    let (rows, merged) = sheet;
    let covered = |r: u32| {
        merged
            .iter()
            .any(|&(r0, c0, r1, _)| c0 == 0 && r > r0 && r <= r1)
    };
    let mut converted: Vec<RowIn<T>> = rows
        .par_iter()
        .filter(|r| r.index >= layout::FIRST_DATA_ROW && !covered(r.index))
        .filter_map(|row| {
            if layout_cells(row, map)
                .all(|(i, _, v)| v.is_empty() || sl.columns[i].kind == Kind::Reference)
            {
                return None;
            }
            // Not `vec![None; n]`, which clones `None` into each place: 430 instructions a
            // row, 61 M of 2,000 branches' import.
            let mut v: Vec<Option<Val>> = Vec::with_capacity(sl.columns.len());
            v.resize_with(sl.columns.len(), || None);
            let mut errors = Vec::new();
            let mut first = None;
            for (i, col, value) in layout_cells(row, map) {
                first.get_or_insert(col);
                let at = At {
                    book,
                    sheet: sl.name,
                    row: row.index,
                    col,
                };
                match convert::value(layout, sl.columns[i].kind, value, &at) {
                    Ok(val) => v[i] = val,
                    Err(e) => errors.push((at, e)),
                }
            }
            Some(RowIn {
                index: row.index,
                first: first.unwrap_or(0),
                found: find(&v),
                v,
                errors,
            })
        })
        .collect();
    for row in &mut converted {
        for (at, (msg, hint)) in row.errors.drain(..) {
            say.error(&at, msg, hint);
        }
    }
    converted
}

/// A row's branch id (its first value), with its cell; a row without one is reported.
pub(super) fn id_at(
    say: &mut Say,
    sl: &SheetLayout,
    book: usize,
    row: &RowIn<impl Sized>,
) -> Option<At> {
    let at = id_cell(sl, book, row);
    if row.v[0].is_none() {
        say.error(&at, "缺少支部编号", Some("每一行都要填写支部编号".into()));
        return None;
    }
    Some(at)
}

/// The cell of a row's branch id (the row's first cell when the id has none).
pub(super) fn id_cell(sl: &SheetLayout, book: usize, row: &RowIn<impl Sized>) -> At {
    row.v
        .first()
        .and_then(Option::as_ref)
        .and_then(|id| id.at.clone())
        .unwrap_or(At {
            book,
            sheet: sl.name,
            row: row.index,
            col: 0,
        })
}

/// A row's branch id (its first value; empty when there is none).
fn id_of(v: &[Option<Val>]) -> &str {
    v.first()
        .and_then(Option::as_ref)
        .map_or("", |id| id.text.as_str())
}

/// A branch as the workbooks give it.
pub(super) struct BranchIn {
    /// The 支部 row's id cell (where record-wide messages point).
    pub(super) at: At,
    pub(super) org: Vec<String>,
    pub(super) rec: RecordData,
}

/// An organisation row.
pub(super) struct OrgIn {
    pub(super) at: At,
    pub(super) data: OrgData,
}

pub(super) fn col_of(sl: &SheetLayout, target: &Target) -> Option<usize> {
    sl.columns.iter().position(|c| c.target == *target)
}

/// Sorts pairs keyed by an indicator id into the system's order (`order`: each id's
/// place); unknown ids go last.
pub(super) fn by_indicator(v: &mut [(Val, Val)], order: &HashMap<&str, usize>) {
    v.sort_by_cached_key(|(k, _)| order.get(k.text.as_str()).copied().unwrap_or(usize::MAX));
}

pub(super) struct Gathered {
    pub(super) branches: BTreeMap<String, BranchIn>,
    pub(super) orgs: BTreeMap<Vec<String>, OrgIn>,
}

/// Reads every usable sheet of every workbook into branches and organisation rows.
pub(super) fn gather(
    say: &mut Say,
    inputs: &mut [Input],
    layout: &Layout,
    files: &YearFiles,
    sys: &crate::model::IndicatorSystem,
) -> Gathered {
    let mut g = Gathered {
        branches: BTreeMap::new(),
        orgs: BTreeMap::new(),
    };
    let mut indicator_order: HashMap<&str, usize> = HashMap::new();
    for (n, (_, i)) in sys.indicators().enumerate() {
        indicator_order.entry(i.id.as_str()).or_insert(n);
    }
    for (b, slot) in inputs.iter_mut().enumerate() {
        let input = &*slot;
        let Some(book) = &input.book else { continue };
        let scope = &input.meta.scope;
        // A sheet's layout, rows and merged ranges, and its columns' layout columns.
        type Of<'a> = (&'a SheetLayout, SheetRows<'a>, &'a [Option<usize>]);
        let sheet_of = |name: &str| -> Option<Of> {
            let sl = layout.sheet(name)?;
            let map = input.columns.get(sl.name)?;
            let sheet = book.sheet(name)?;
            Some((sl, (&sheet.rows[..], &sheet.merged[..]), &map[..]))
        };
        // 组织
        if let Some((sl, sheet, map)) = sheet_of(layout::ORGS) {
            for RowIn {
                index, first, v, ..
            } in row_values(say, layout, b, sl, sheet, map, |_| ())
            {
                let at = At {
                    book: b,
                    sheet: sl.name,
                    row: index,
                    col: first,
                };
                let Some(path_val) = &v[0] else {
                    say.error(
                        &at,
                        "缺少组织路径",
                        Some(
                            "区（县）委本身不在此表中；其下各级组织写成 xinhe 或 xinhe.qiaodong"
                                .into(),
                        ),
                    );
                    continue;
                };
                let at = path_val.at.clone().unwrap_or(at);
                let Some(path) = super::parse_org_path(&path_val.text).filter(|p| !p.is_empty())
                else {
                    say.error(
                        &at,
                        format!("“{}”不是组织路径", path_val.text),
                        Some(
                            "各级组织编号（字母、数字、_ 或 -）用 . 连接，如 xinhe.qiaodong".into(),
                        ),
                    );
                    continue;
                };
                if !path.starts_with(scope) {
                    say.error(
                        &at,
                        format!(
                            "组织 {} 不在本工作簿的范围 {} 内",
                            path.join("."),
                            scope.join(".")
                        ),
                        None,
                    );
                    continue;
                }
                let data = OrgData {
                    name: v[1].clone(),
                    kind: v[2].clone(),
                    extra: Vec::new(),
                };
                if let Some(first) = g.orgs.get(&path) {
                    // The district's workbook and a street's both list the street: fine
                    // when they agree.
                    let same =
                        super::emit::emit_org(&first.data).0 == super::emit::emit_org(&data).0;
                    if !same || first.at.book == b {
                        let where_ = format!(
                            "{}:{}!{}",
                            say.names[first.at.book],
                            first.at.sheet,
                            a1(first.at.row, first.at.col)
                        );
                        let msg = if same {
                            format!("组织 {} 重复", path.join("."))
                        } else {
                            format!("组织 {} 重复，且名称或级别不一致", path.join("."))
                        };
                        say.error(&at, msg, Some(format!("已在 {where_} 填写")));
                    }
                    continue;
                }
                g.orgs.insert(path, OrgIn { at, data });
            }
        }
        // 支部
        // Ids this workbook's 支部 sheet lists (true when the row was usable): rows of the
        // other sheets for a refused row are skipped without a message of their own.
        let mut here: BTreeMap<String, bool> = BTreeMap::new();
        if let Some((sl, sheet, map)) = sheet_of(layout::BRANCHES) {
            for mut row in row_values(say, layout, b, sl, sheet, map, |_| ()) {
                let Some(at) = id_at(say, sl, b, &row) else {
                    continue;
                };
                let v = &mut row.v;
                let id = id_of(v).to_string();
                here.insert(id.clone(), false);
                if super::parse_org_path(&id).is_none_or(|p| p.len() != 1) {
                    say.error(
                        &at,
                        format!("“{id}”不是合法的支部编号"),
                        Some("只能用字母（含汉字）、数字、_ 和 -，不能以 _ 开头".into()),
                    );
                    continue;
                }
                if let Some(first) = g.branches.get(&id) {
                    let where_ = format!(
                        "{}:{}!{}",
                        say.names[first.at.book],
                        first.at.sheet,
                        a1(first.at.row, first.at.col)
                    );
                    let msg = if first.at.book == b {
                        format!("支部编号 {id} 重复")
                    } else {
                        format!("支部编号 {id} 同时出现在两个工作簿中")
                    };
                    say.error(
                        &at,
                        msg,
                        Some(format!(
                            "已在 {where_} 填写；每个支部只能在一个工作簿中填一行"
                        )),
                    );
                    continue;
                }
                let org_col = col_of(sl, &Target::OrgPath).unwrap_or(2);
                // The organisation's cell (the id's when it is blank).
                let org_at = v[org_col]
                    .as_ref()
                    .and_then(|o| o.at.clone())
                    .unwrap_or_else(|| at.clone());
                let org_text = v[org_col]
                    .as_ref()
                    .map(|o| o.text.clone())
                    .unwrap_or_default();
                let Some(org) = super::parse_org_path(&org_text) else {
                    say.error(
                        &org_at,
                        format!("“{org_text}”不是组织路径"),
                        Some("各级组织编号用 . 连接，如 xinhe.qiaodong".into()),
                    );
                    continue;
                };
                if !org.starts_with(scope) {
                    say.error(
                        &org_at,
                        format!(
                            "支部 {id} 的组织 {} 不在本工作簿的范围 {} 内",
                            org.join("."),
                            scope.join(".")
                        ),
                        Some("每个街道、社区只填写自己的支部".into()),
                    );
                    continue;
                }
                if let Some((old_org, file)) = files.branches.get(&id)
                    && *old_org != org
                {
                    say.error(
                        &org_at,
                        format!("支部 {id} 的组织路径与现有记录 {file} 不同"),
                        Some("导入不会移动支部；要调整隶属关系，请先在 content/ 中移动文件".into()),
                    );
                    continue;
                }
                let mut get = |t: Target| col_of(sl, &t).and_then(|i| v[i].take());
                let rec = RecordData {
                    name: get(Target::Name),
                    category: get(Target::Category),
                    members: get(Target::Members),
                    secretary: get(Target::Secretary),
                    ..RecordData::default()
                };
                here.insert(id.clone(), true);
                g.branches.insert(id, BranchIn { at, org, rec });
            }
        }
        // The other sheets: rows of branches this workbook lists, each found by its place
        // among all branches gathered (a search of the branches' ids, each in its own
        // allocation, cost 45 ms of 10,000 branches' import on one core: a cache miss a
        // step), looked up only when the id changes from the row above.
        let slot_of: HashMap<String, usize> = g
            .branches
            .keys()
            .enumerate()
            .filter(|(_, id)| here.get(*id) == Some(&true))
            .map(|(slot, id)| (id.clone(), slot))
            .collect();
        let mut seen_once: HashMap<(&str, String), u32> = HashMap::new();
        for sheet_name in [
            layout::MEETINGS,
            layout::CHECKLISTS,
            layout::MEASURES,
            layout::DATA,
            layout::ASSESSMENT,
            layout::INSPECTION,
            layout::RECTIFICATION,
        ] {
            // The sheet's rows are taken out of it: they are records once read, and freed
            // before the next sheet's records grow (会议 and 考评 are most of a district's
            // cells).
            let Input { book, columns, .. } = &mut *slot;
            let Some(book) = book else { break };
            let (Some(sl), Some(sheet)) = (layout.sheet(sheet_name), book.sheet_mut(sheet_name))
            else {
                continue;
            };
            let Some(map) = columns.get(sl.name) else {
                continue;
            };
            let rows = std::mem::take(&mut sheet.rows);
            let merged = &sheet.merged[..];
            let targets = Targets::of(sl);
            // The branches in the map's order, which `slot_of` numbers.
            let mut slots: Vec<&mut BranchIn> = g.branches.values_mut().collect();
            // Each row's branch is found on the worker that converts it.
            let bound = |v: &[Option<Val>]| match v.first().and_then(Option::as_ref) {
                None => Bound::NoId,
                Some(id) => match slot_of.get(id.text.as_str()) {
                    Some(&slot) => Bound::Branch(slot),
                    None if here.contains_key(&id.text) => Bound::Refused,
                    None => Bound::Unknown,
                },
            };
            // Converted a few thousand rows at a time: a district's 考评 sheet is 400,000 rows,
            // whose values all at once took hundreds of megabytes.
            for chunk in rows.chunks(8192) {
                let mut jobs = row_values(say, layout, b, sl, (chunk, merged), map, bound);
                for row in &mut jobs {
                    match row.found {
                        Bound::Refused => {}
                        Bound::NoId => {
                            id_at(say, sl, b, row);
                        }
                        Bound::Unknown => {
                            let id = id_of(&row.v);
                            let hint = crate::suggest::hint(id, here.keys().map(String::as_str));
                            say.error(
                                &id_cell(sl, b, row),
                                format!("支部 {} 不在本工作簿的支部表中", id),
                                hint.or_else(|| Some("先在支部表中添加这个支部".into())),
                            );
                        }
                        Bound::Branch(_) if sl.rows == Rows::PerBranch => {
                            let key = (sl.name, id_of(&row.v).to_string());
                            if let Some(r) = seen_once.get(&key) {
                                say.error(
                                    &id_cell(sl, b, row),
                                    format!("支部 {} 在本表中有两行", key.1),
                                    Some(format!("已在第 {} 行填写；每个支部一行", r + 1)),
                                );
                                row.found = Bound::Refused;
                            } else {
                                seen_once.insert(key, row.index);
                            }
                        }
                        Bound::Branch(_) => {}
                    }
                }
                fill_by_branch(&mut slots, &mut jobs, sl, b, &targets);
                // Freed by both cores, not one after the other on this thread.
                jobs.into_par_iter().for_each(drop);
            }
            // Freed by both cores (a district's 会议 rows took 20 ms on one).
            rows.into_par_iter().for_each(drop);
        }
    }
    g.branches.par_iter_mut().for_each(|(_, branch)| {
        super::cycle::number_items(&mut branch.rec);
        by_indicator(&mut branch.rec.ratings, &indicator_order);
        by_indicator(&mut branch.rec.self_scores, &indicator_order);
    });
    g
}
