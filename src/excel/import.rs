//! `dangjian import`: filled workbooks → the records of one year. Each workbook is read
//! and checked as a workbook (ours? for this system? headers as made? merged cells, hidden
//! sheets, formulas, rows for unknown branches, a branch in two workbooks); then each
//! branch's record is written as YAML with the cell of every value, the project as it would
//! be is validated by the loader itself (an overlay, nothing written), and every diagnostic
//! on those records is pointed back at its cell. Only when nothing is wrong are the changed
//! records written, all or nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::emit;
use super::layout::{self, Layout};
use super::project::{self, YearFiles};
use super::record::{self, At, Mark};
use super::rows::{BranchIn, Gathered, gather};
use super::sheets::{Input, Meta, Say, check_sheet, map_headers, our_sheet, read_meta};
use super::workbook::{self, Visibility};
use crate::diagnostics::{Diagnostic, Pos, Severity};
use crate::load::Overlay;

pub struct ImportOptions {
    pub root: PathBuf,
    pub files: Vec<PathBuf>,
    pub year: Option<i32>,
    pub dry_run: bool,
}

/// What an import did (or, with `--dry-run`, would do).
#[derive(Debug, Default)]
pub struct Summary {
    pub year: i32,
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub unchanged: usize,
    /// Branches of the year no workbook lists.
    pub left_alone: usize,
    pub orgs_added: Vec<String>,
    pub orgs_changed: Vec<String>,
    pub written: bool,
}

pub struct ImportOutcome {
    /// Every diagnostic, errors and warnings, in reading order.
    pub diagnostics: Vec<Diagnostic>,
    /// `None` when there was an error (then nothing was written).
    pub summary: Option<Summary>,
}

/// A file the import would write, with what maps its text back to cells.
struct Planned {
    rel: String,
    text: String,
    marks: Vec<Mark>,
    /// Where record-wide messages (line 1, column 1) point.
    origin: At,
    /// Whether the text differs from the file on disk (or there is none).
    new: bool,
    changed: bool,
    /// The file on disk holds exactly `text` (the loader reads it there).
    on_disk: bool,
    label: String,
    is_org: bool,
}

/// Reads and checks every workbook, then validates the records they would write.
pub fn import(opts: &ImportOptions) -> ImportOutcome {
    let names: Vec<String> = opts.files.iter().map(|p| p.display().to_string()).collect();
    let mut say = Say {
        names,
        diags: Vec::new(),
    };
    let mut inputs: Vec<Input> = Vec::new();
    for (b, path) in opts.files.iter().enumerate() {
        let t = crate::timings::phase("read workbook");
        let book = match workbook::read_leaving(path, &|n| our_sheet(n), &layout::is_reference) {
            Ok(book) => Some(book),
            Err(e) => {
                say.book(b, Severity::Error, e, None);
                None
            }
        };
        drop(t);
        let mut meta = Meta::default();
        if let Some(book) = &book {
            for s in &book.sheets {
                if s.visibility == Visibility::Hidden
                    && s.name != layout::LISTS
                    && s.name != layout::META
                {
                    say.sheet(
                        b,
                        Severity::Error,
                        &s.name,
                        format!(
                            "隐藏的工作表“{}”不是模板的一部分，其中的内容不会导入",
                            s.name
                        ),
                        Some("取消隐藏后把数据移到对应的表，或删除这张表".into()),
                    );
                } else if !our_sheet(&s.name) {
                    say.sheet(
                        b,
                        Severity::Warning,
                        &s.name,
                        format!("工作表“{}”不是模板的一部分，已忽略", s.name),
                        None,
                    );
                }
            }
            match book.sheet(layout::META).and_then(read_meta) {
                Some(m) => meta = m,
                None => say.book(
                    b,
                    Severity::Error,
                    "不是由 dangjian template 生成的台账模板（缺少隐藏的 _meta 表）",
                    Some("用 dangjian template 生成模板，把数据复制进去后再导入".into()),
                ),
            }
        }
        inputs.push(Input {
            book,
            meta,
            columns: HashMap::new(),
        });
    }
    // The year: --year, else the workbooks' (all the same).
    let years: Vec<i32> = inputs.iter().filter_map(|i| i.meta.year).collect();
    let year = opts.year.or_else(|| years.first().copied());
    let Some(year) = year else {
        return finish(say, Vec::new(), None);
    };
    for (b, input) in inputs.iter().enumerate() {
        if let Some(y) = input.meta.year
            && y != year
        {
            say.book(
                b,
                Severity::Error,
                format!("这是 {y} 年度的模板，本次导入的是 {year} 年度"),
                Some("每次只导入同一年度的工作簿；用对应年度的模板填写".into()),
            );
        }
    }
    let mut project_diags = Vec::new();
    let Some((sys, sys_fingerprint)) = project::year_system(&opts.root, year, &mut project_diags)
    else {
        return finish(say, project_diags, None);
    };
    let layout = layout::layout(&sys, year);
    let fingerprint = layout.fingerprint();
    // The year's files are listed while the sheets' headers are checked.
    let (files, ()) = rayon::join(
        || project::year_files(&opts.root, year),
        || {
            check_headers(
                &mut say,
                &mut inputs,
                &layout,
                &fingerprint,
                &sys_fingerprint,
                year,
            )
        },
    );
    let t = crate::timings::phase("workbook rows");
    let g = gather(&mut say, &mut inputs, &layout, &files, &sys);
    // The cells are records now: freed before the loader reads the project (a district's
    // workbook is 400 MB of cells).
    for input in &mut inputs {
        input.book = None;
    }
    drop(t);
    let t = crate::timings::phase("records as YAML");
    // The records become their texts one by one, each freed once written.
    let listed: std::collections::BTreeSet<String> = g.branches.keys().cloned().collect();
    let mut plans = plan(&opts.root, year, g, &files, &sys);
    drop(t);

    // The texts are lent to the loader, not copied (a district's records are 60 MB), and
    // taken back for writing.
    let mut overlay = Overlay::default();
    for p in plans.iter_mut().filter(|p| !p.on_disk) {
        overlay.insert(p.rel.clone(), std::mem::take(&mut p.text));
    }
    let (scored, found) = crate::pipeline::validate_with(&opts.root, false, &overlay);
    // Only the messages are needed: the project as loaded is freed on another thread (a
    // district's took 65 ms here).
    rayon::spawn(move || drop(scored));
    let by_rel: HashMap<&str, &Planned> = plans.iter().map(|p| (p.rel.as_str(), p)).collect();
    for d in found {
        match by_rel.get(d.path.as_str()) {
            Some(p) => {
                let at = if d.pos == Pos::START {
                    p.origin.clone()
                } else {
                    record::place(&p.marks, d.pos.line, d.pos.col)
                        .cloned()
                        .unwrap_or(p.origin.clone())
                };
                let hint = choices_hint(&layout, &d).or(d.hint.clone());
                say.at(d.severity, &at, d.message.clone(), hint);
            }
            // Other files' errors still stop the import; their warnings are `check`'s.
            None if d.is_error() => project_diags.push(d),
            None => {}
        }
    }
    let mut summary = Summary {
        year,
        ..Summary::default()
    };
    for p in &plans {
        match (p.is_org, p.new, p.changed) {
            (false, true, _) => summary.added.push(p.label.clone()),
            (false, false, true) => summary.changed.push(p.label.clone()),
            (false, false, false) => summary.unchanged += 1,
            (true, true, _) => summary.orgs_added.push(p.label.clone()),
            (true, false, true) => summary.orgs_changed.push(p.label.clone()),
            (true, false, false) => {}
        }
    }
    // Branches in a workbook's scope that no workbook lists: left as they are, but said.
    let scopes: Vec<(usize, &Vec<String>)> = inputs
        .iter()
        .enumerate()
        .filter(|(_, i)| i.meta.year.is_some())
        .map(|(b, i)| (b, &i.meta.scope))
        .collect();
    for (id, (org, file)) in &files.branches {
        if listed.contains(id) {
            continue;
        }
        summary.left_alone += 1;
        if let Some((b, _)) = scopes.iter().find(|(_, s)| org.starts_with(s)) {
            say.sheet(
                *b,
                Severity::Warning,
                layout::BRANCHES,
                format!("支部 {id}（{file}）没有出现在工作簿中，其记录未作改动"),
                None,
            );
        }
    }
    let has_error = say.diags.iter().any(|(_, d, _)| d.is_error())
        || project_diags.iter().any(Diagnostic::is_error);
    if has_error {
        return finish(say, project_diags, None);
    }
    if !opts.dry_run {
        let writes: Vec<(String, String)> = plans
            .iter()
            .filter(|p| p.new || p.changed)
            .map(|p| {
                let text = overlay.take(&p.rel).unwrap_or_else(|| p.text.clone());
                (p.rel.clone(), text)
            })
            .collect();
        if let Err(d) = super::commit::write_all(&opts.root, &writes) {
            project_diags.push(d);
            return finish(say, project_diags, None);
        }
        summary.written = true;
    }
    finish(say, project_diags, Some(summary))
}

/// Checks each workbook against the year's layout (a stale template, a changed indicator
/// system, missing sheets, renamed headers, merged cells, formulas, stray columns) and keeps
/// each usable sheet's columns.
fn check_headers(
    say: &mut Say,
    inputs: &mut [Input],
    layout: &Layout,
    fingerprint: &str,
    sys_fingerprint: &str,
    year: i32,
) {
    for (b, input) in inputs.iter_mut().enumerate() {
        let Some(book) = &input.book else { continue };
        if input.meta.year.is_none() {
            continue;
        }
        if input.meta.layout != fingerprint {
            say.book(
                b,
                Severity::Error,
                format!("模板已过期：{year} 年度的指标体系改过，表格的列已与它不一致"),
                Some("用 dangjian template 重新生成模板，把已填的内容复制过去".into()),
            );
            continue;
        }
        if input.meta.system != sys_fingerprint {
            say.book(
                b,
                Severity::Warning,
                "生成模板后指标体系文件有改动（表格的列未变）",
                Some("导入照常进行，按现在的指标体系校验".into()),
            );
        }
        for sl in &layout.sheets {
            let Some(sheet) = book.sheet(sl.name) else {
                say.book(
                    b,
                    Severity::Error,
                    format!("缺少工作表“{}”", sl.name),
                    Some("不要删除或改名模板中的工作表".into()),
                );
                continue;
            };
            if let Some(map) = map_headers(say, b, sheet, sl) {
                check_sheet(say, b, sheet, sl, &map);
                input.columns.insert(sl.name, map);
            }
        }
    }
}

/// For a value a dropdown should have given, the dropdown's labels instead of the ids the
/// loader suggests.
fn choices_hint(layout: &Layout, d: &Diagnostic) -> Option<String> {
    let list = if d.message.starts_with("未定义的类别") {
        &layout.categories
    } else if d.message.starts_with("未定义的会议类型") {
        &layout.meeting_kinds
    } else if d.message.contains("没有评定等级") {
        &layout.levels
    } else {
        return None;
    };
    let labels: Vec<&str> = list.iter().map(|c| c.label.as_str()).collect();
    Some(format!("从下拉列表中选择：{}", labels.join("、")))
}

fn finish(say: Say, mut project: Vec<Diagnostic>, summary: Option<Summary>) -> ImportOutcome {
    let mut diags = say.diags;
    diags.sort_by(|a, b| (a.0, &a.2, a.1.severity).cmp(&(b.0, &b.2, b.1.severity)));
    crate::diagnostics::sort(&mut project);
    let mut all: Vec<Diagnostic> = diags.into_iter().map(|(_, d, _)| d).collect();
    all.extend(project);
    let failed = all.iter().any(Diagnostic::is_error);
    ImportOutcome {
        diagnostics: all,
        summary: if failed { None } else { summary },
    }
}

/// The files the workbooks would write: every branch they list (new text, and whether it
/// differs from the file on disk), the organisation nodes they add or rename, and a new
/// year's district.
fn plan(
    root: &Path,
    year: i32,
    g: Gathered,
    files: &YearFiles,
    sys: &crate::model::IndicatorSystem,
) -> Vec<Planned> {
    // Writing each record anew and telling whether it differs from the one on disk is most
    // of an import's own work: in parallel, in id order. A record whose text is the file's
    // bytes is unchanged without parsing the file (an import of unchanged workbooks, the
    // common case, parsed every record twice: 4.1 of 12 s on 10,000 branches), and so is
    // one whose lines are the text's with keys in another order; any other is read back
    // into rows, keeping the keys the workbook does not carry, and compared
    // as the rows it holds (so comments or another order alone change nothing).
    // A new year's district points at the first branch's row.
    let first_at = g.branches.values().next().map(|b| b.at.clone());
    let branches: Vec<(String, BranchIn)> = g.branches.into_iter().collect();
    let mut out: Vec<Planned> = branches
        .into_par_iter()
        .map(|(id, b)| {
            let Some((_, rel)) = files.branches.get(&id) else {
                let dir = if b.org.is_empty() {
                    String::new()
                } else {
                    format!("{}/", b.org.join("/"))
                };
                let (text, marks) = emit::emit(&b.rec);
                return Planned {
                    rel: format!("content/{year}/{dir}{id}.yaml"),
                    text,
                    marks,
                    origin: b.at.clone(),
                    new: true,
                    changed: true,
                    on_disk: false,
                    label: id.clone(),
                    is_org: false,
                };
            };
            let (mut text, mut marks) = emit::emit(&b.rec);
            let disk = std::fs::read(root.join(rel)).ok();
            let same = b.rec.extra.is_empty() && disk.as_deref() == Some(text.as_bytes());
            // Keys in another order: the same data, read by the loader from `text` (whose
            // lines the marks know).
            let reordered = !same
                && b.rec.extra.is_empty()
                && disk
                    .as_deref()
                    .and_then(|d| std::str::from_utf8(d).ok())
                    .is_some_and(|d| super::same::reordered(d, &text));
            let changed = !same
                && !reordered
                && match project::read_record(root, rel, sys) {
                    None => true,
                    Some(old) if old.extra.is_empty() => {
                        !super::same::record(&b.rec, &old) && emit::emit(&old).0 != text
                    }
                    Some(old) => {
                        let mut rec = b.rec;
                        rec.extra = old.extra.clone();
                        (text, marks) = emit::emit(&rec);
                        !super::same::record(&rec, &old) && emit::emit(&old).0 != text
                    }
                };
            Planned {
                rel: rel.clone(),
                text,
                marks,
                origin: b.at.clone(),
                new: false,
                changed,
                on_disk: same,
                label: id.clone(),
                is_org: false,
            }
        })
        .collect();
    for (path, o) in &g.orgs {
        let existing = files.orgs.get(path);
        let old = existing.and_then(|rel| project::read_org(root, rel));
        let mut data = o.data.clone();
        if let Some(old) = &old {
            data.extra = old.extra.clone();
        }
        let (text, marks) = emit::emit_org(&data);
        let changed = old
            .as_ref()
            .is_none_or(|x| !super::same::org(&data, x) && emit::emit_org(x).0 != text);
        let rel = existing
            .cloned()
            .unwrap_or_else(|| format!("content/{year}/{}/_org.yaml", path.join("/")));
        out.push(Planned {
            rel,
            text,
            marks,
            origin: o.at.clone(),
            new: existing.is_none(),
            changed,
            on_disk: false,
            label: path.join("."),
            is_org: true,
        });
    }
    // A new year's district: the nearest earlier year's name and kind.
    if !files.orgs.contains_key(&Vec::new())
        && let Some(first_at) = first_at
    {
        let earlier = (1..=50).map(|k| year - k).find_map(|y| {
            let rel = format!("content/{y}/_org.yaml");
            root.join(&rel).is_file().then_some(rel)
        });
        if let Some(rel) = earlier
            && let Some(old) = project::read_org(root, &rel)
        {
            let data = project::org_identity(&old);
            let (text, marks) = emit::emit_org(&data);
            out.push(Planned {
                rel: format!("content/{year}/_org.yaml"),
                text,
                marks,
                origin: first_at,
                new: true,
                changed: true,
                on_disk: false,
                label: "（区县）".into(),
                is_org: true,
            });
        }
    }
    out
}
