//! `dangjian new-year`: opens the next assessment year from the latest one — the same
//! organisation tree and `_org.yaml` files (without `as_of` and `withdrawn`, which belong
//! to the year they were written for), each branch's identity (name, category, secretary,
//! members) with none of last year's ledgers, the year's own `indicators.yaml` when the
//! previous year had one, and the rectification items still open at that year's cut-off as
//! this year's plan.
//!
//! "Still open" is read from the contract's statuses at the source year's cut-off (31
//! December, or its `as_of`), as `score` computes them: `open` and `overdue` items — the ones
//! with no `done` date — are carried; `done` and `late` ones are not, because both were
//! finished (late only says when) and the source year's follow-up already reports them.
//!
//! Carried items keep their id (the following year's follow-up and reports match an item
//! across years by it), problem, measure and owner, and the indicator they name when it is
//! still in the new year's system and applies to the branch. Their deadline: the old one
//! when it already falls in the new year (the contract allows a deadline in the folder's
//! year or the next), otherwise 30 June of the new year — half a year to finish what was
//! left, and a date before the new year's cut-off, so that an item still not done at the
//! year's end shows as overdue rather than open (a 31 December deadline never would). Each
//! carried item says its old status and deadline in a comment; the district may change the
//! new deadline.
//!
//! Nothing that exists is changed: the new folder is written beside the others under a
//! hidden name and renamed into place only when complete, and it is refused when the year
//! already has a folder. The project must pass `check` first, so that what is carried
//! over was valid.

use std::path::{Path, PathBuf};

use super::yaml_text::scalar;
use crate::diagnostics::{Diagnostic, Pos};
use crate::model::{Branch, Date, IndicatorSystem, OrgNode, Project, Year};
use crate::pipeline::{self, Scored};
use crate::score::{cycle, model::RectStatus};

/// Top-level keys of `_org.yaml` that describe one year only and are not carried over.
pub const YEAR_ONLY_KEYS: [&str; 2] = ["as_of", "withdrawn"];
/// The deadline of a carried item whose deadline is not in the new year (month, day).
pub const CARRIED_DUE: (u32, u32) = (6, 30);

pub struct NewYearOptions {
    pub root: PathBuf,
    /// The year to start from (default: the latest).
    pub from: Option<i32>,
    /// The year to open (default: `from` + 1).
    pub to: Option<i32>,
}

/// What `new-year` made.
pub struct Opened {
    pub from: i32,
    pub to: i32,
    pub orgs: usize,
    pub branches: usize,
    /// Rectification items carried over.
    pub carried: usize,
    /// The year's own indicators.yaml was copied.
    pub own_system: bool,
    /// Warnings of the project with the new year (data still to be filled in).
    pub warnings: Vec<Diagnostic>,
}

fn error(path: &str, msg: impl Into<String>) -> Diagnostic {
    Diagnostic::error(path, Pos::START, msg)
}

/// Opens the new year; on any error nothing is left behind.
pub fn new_year(opts: &NewYearOptions) -> Result<Opened, Vec<Diagnostic>> {
    let (scored, diags) = pipeline::validate(&opts.root, false);
    let Some(scored) = scored else {
        let mut diags = diags;
        diags.push(
            error("content", "项目有错误，无法开启新年度")
                .with_hint("先用 dangjian check 改正上面列出的错误"),
        );
        return Err(diags);
    };
    let project = &scored.project;
    let (fi, from) = match opts.from {
        None => match project.years.last() {
            Some(y) => (project.years.len() - 1, y.year),
            None => return Err(vec![error("content", "content/ 下没有年度文件夹")]),
        },
        Some(f) => match project.years.iter().position(|y| y.year == f) {
            Some(i) => (i, f),
            None => {
                return Err(vec![
                    error(&format!("content/{f}"), format!("没有 {f} 年度的文件夹"))
                        .with_hint("--from 要指向已有的年度"),
                ]);
            }
        },
    };
    let to = opts.to.unwrap_or(from + 1);
    let target = format!("content/{to}");
    if !(1000..=9999).contains(&to) {
        return Err(vec![error(&target, format!("年度 {to} 不是四位数字"))]);
    }
    if to <= from {
        return Err(vec![error(
            &target,
            format!("新年度 {to} 必须晚于开启它的年度 {from}"),
        )]);
    }
    let dest = opts.root.join(&target);
    if dest.exists() {
        return Err(vec![
            error(&target, format!("{to} 年度的文件夹已经存在，不会覆盖"))
                .with_hint("要重新开启，先把这个文件夹移走"),
        ]);
    }
    let files = plan(&scored, fi, to)?;
    let opened = Opened {
        from,
        to,
        orgs: project.years[fi].orgs.len(),
        branches: project.years[fi].branches.len(),
        carried: files.carried,
        own_system: files.own_system,
        warnings: Vec::new(),
    };
    write_folder(&opts.root, to, &files.files)?;
    // The new year must be a valid year: a check of the project with it in place.
    let (after, diags) = pipeline::validate(&opts.root, false);
    if after.is_none() {
        let _ = std::fs::remove_dir_all(&dest);
        let mut diags: Vec<Diagnostic> = diags.into_iter().filter(|d| d.is_error()).collect();
        diags.push(error(
            &target,
            "开启的新年度没有通过校验，已删除（这是 dangjian 的缺陷，请报告）",
        ));
        return Err(diags);
    }
    let prefix = format!("{target}/");
    Ok(Opened {
        warnings: diags
            .into_iter()
            .filter(|d| d.path.starts_with(&prefix) || d.path == target)
            .collect(),
        ..opened
    })
}

struct Plan {
    /// Path relative to the new year folder, contents.
    files: Vec<(String, Vec<u8>)>,
    carried: usize,
    own_system: bool,
}

fn plan(scored: &Scored, fi: usize, to: i32) -> Result<Plan, Vec<Diagnostic>> {
    let project: &Project = &scored.project;
    let year = &project.years[fi];
    let base = format!("content/{}/", year.year);
    let rel_in_year = |file: &str| file.strip_prefix(&base).unwrap_or(file).to_string();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for org in &year.orgs {
        match std::fs::read_to_string(project.root.join(&org.file)) {
            Ok(text) => files.push((rel_in_year(&org.file), org_file(&text, org).into_bytes())),
            Err(e) => errors.push(error(&org.file, format!("无法读取：{e}"))),
        }
    }
    let own = format!("{base}indicators.yaml");
    let own_system = project.root.join(&own).is_file();
    if own_system {
        match std::fs::read(project.root.join(&own)) {
            Ok(bytes) => files.push(("indicators.yaml".into(), bytes)),
            Err(e) => errors.push(error(&own, format!("无法读取：{e}"))),
        }
    }
    let mut carried = 0;
    for b in &year.branches {
        let items = carry(year, b, to, &year.system);
        carried += items.len();
        files.push((
            rel_in_year(&b.file),
            record(b, year, to, &items).into_bytes(),
        ));
    }
    if errors.is_empty() {
        Ok(Plan {
            files,
            carried,
            own_system,
        })
    } else {
        Err(errors)
    }
}

/// A rectification item as the new year's plan gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Carried {
    pub id: String,
    pub problem: String,
    pub measure: String,
    pub owner: Option<String>,
    pub due: Date,
    pub indicator: Option<String>,
    /// Its status at the source year's cut-off (open or overdue).
    pub was: RectStatus,
    /// Its deadline in the source year's plan.
    pub old_due: Date,
}

/// The deadline of a carried item in year `to`: the old one when it falls in `to` or later
/// (it is then at most the source year + 1 ≤ `to` + 1, inside what the contract allows),
/// otherwise [`CARRIED_DUE`] of `to`.
pub fn carried_due(old: Date, to: i32) -> Date {
    if old.year >= to {
        old
    } else {
        Date {
            year: to,
            month: CARRIED_DUE.0,
            day: CARRIED_DUE.1,
        }
    }
}

/// The items of `branch` (a branch of `year`) still open at that year's cut-off, as year
/// `to`'s plan; `system` is the new year's indicator system.
pub fn carry(year: &Year, branch: &Branch, to: i32, system: &IndicatorSystem) -> Vec<Carried> {
    let cut_off = year.cut_off();
    branch
        .record
        .rectification
        .iter()
        .filter_map(|item| {
            let was = cycle::status(item, cut_off);
            if !matches!(was, RectStatus::Open | RectStatus::Overdue) {
                return None;
            }
            let indicator = item
                .indicator
                .as_ref()
                .filter(|id| {
                    system
                        .indicator(id)
                        .is_some_and(|ind| ind.applies(&branch.record.category))
                })
                .map(|id| id.to_string());
            Some(Carried {
                id: item.id.clone(),
                problem: item.problem.clone(),
                measure: item.measure.clone(),
                owner: item.owner.clone(),
                due: carried_due(item.due, to),
                indicator,
                was,
                old_due: item.due,
            })
        })
        .collect()
}

/// The branch's record in the new year: who it is, and the plan carried over.
fn record(b: &Branch, from: &Year, to: i32, items: &[Carried]) -> String {
    let cut_off = from.cut_off();
    let from = from.year;
    let r = &b.record;
    let mut out = format!(
        "# {to} 年度记录，由 dangjian new-year 从 {from} 年度开启：只沿用支部的基本情况，\n\
         # 台账（meetings、checklists、surveys、facts、incidents、ratings、honors、self_scores）从零开始填写。\n"
    );
    out.push_str(&format!("name: {}\n", scalar(&r.name)));
    out.push_str(&format!("category: {}\n", scalar(&r.category)));
    if let Some(m) = &r.members {
        out.push_str(&format!("members: {m}\n"));
    }
    if let Some(s) = &r.secretary {
        out.push_str(&format!("secretary: {}\n", scalar(s)));
    }
    if !items.is_empty() {
        out.push_str(&format!(
            "\n# 整改计划：{from} 年度截至 {} 仍未完成的整改事项，沿用原编号以便跟踪；\n\
             # 原期限不在 {to} 年度的改为 {to}-{:02}-{:02}，请按实际核定。完成后填写 done（完成日期）。\n\
             rectification:\n",
            cut_off,
            CARRIED_DUE.0,
            CARRIED_DUE.1
        ));
        for i in items {
            out.push_str(&format!(
                "  - id: {}   # {from} 年度{}，原期限 {}\n",
                scalar(&i.id),
                i.was.label(),
                i.old_due
            ));
            out.push_str(&format!("    problem: {}\n", scalar(&i.problem)));
            out.push_str(&format!("    measure: {}\n", scalar(&i.measure)));
            if let Some(o) = &i.owner {
                out.push_str(&format!("    owner: {}\n", scalar(o)));
            }
            out.push_str(&format!("    due: {}\n", i.due));
            if let Some(ind) = &i.indicator {
                out.push_str(&format!("    indicator: {}\n", scalar(ind)));
            }
        }
    }
    out
}

/// An `_org.yaml` as the new year has it: the same text without the keys of
/// [`YEAR_ONLY_KEYS`] (each with its block; comments and blank lines just before the next
/// key stay with that key). A file written in flow style (`{ name: …, as_of: … }`) is
/// written again from what was read.
pub fn org_file(text: &str, org: &OrgNode) -> String {
    let mut diags = Vec::new();
    let Ok(Some(node)) = crate::yaml::parse(text, &org.file, &mut diags) else {
        return from_model(org);
    };
    let crate::yaml::Kind::Map(entries) = &node.kind else {
        return from_model(org);
    };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let key_lines: Vec<usize> = entries.iter().map(|e| e.key.pos.line).collect();
    let mut drop = vec![false; lines.len()];
    for (k, e) in entries.iter().enumerate() {
        if !YEAR_ONLY_KEYS.contains(&e.key_text()) {
            continue;
        }
        let start = e.key.pos.line;
        let next = key_lines.get(k + 1).copied().unwrap_or(lines.len() + 1);
        if next == start || key_lines[..k].contains(&start) {
            return from_model(org);
        }
        let mut end = next - 1; // the last line of the block (1-based)
        while end > start {
            let l = lines[end - 1].trim();
            if l.is_empty() || l.starts_with('#') {
                end -= 1;
            } else {
                break;
            }
        }
        for flag in drop.iter_mut().take(end).skip(start - 1) {
            *flag = true;
        }
    }
    lines
        .iter()
        .zip(drop)
        .filter(|(_, d)| !d)
        .map(|(l, _)| *l)
        .collect()
}

fn from_model(org: &OrgNode) -> String {
    let mut out = format!("name: {}\n", scalar(&org.name));
    if let Some(k) = &org.kind {
        out.push_str(&format!("kind: {}\n", scalar(k)));
    }
    if let Some(c) = &org.coverage {
        out.push_str("coverage:\n");
        for (key, count) in [
            ("private_enterprises", &c.private_enterprises),
            ("social_organisations", &c.social_organisations),
        ] {
            if let Some(n) = count {
                out.push_str(&format!(
                    "  {key}: {{ total: {}, covered: {} }}\n",
                    n.total, n.covered
                ));
            }
        }
    }
    out
}

/// Writes the files into a hidden folder beside the year folders (the loader ignores
/// names starting with `.`), then renames it to `content/<to>`.
fn write_folder(root: &Path, to: i32, files: &[(String, Vec<u8>)]) -> Result<(), Vec<Diagnostic>> {
    let content = root.join("content");
    let staging = content.join(format!(".{to}.new-year-{}", std::process::id()));
    let dest = content.join(to.to_string());
    let shown = |p: &Path| {
        p.strip_prefix(root)
            .map_or_else(|_| p.display().to_string(), crate::links::to_slash)
    };
    let _ = std::fs::remove_dir_all(&staging);
    let result = (|| -> Result<(), Diagnostic> {
        for (rel, bytes) in files {
            let path = staging.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| error(&shown(parent), format!("无法创建文件夹：{e}")))?;
            }
            std::fs::write(&path, bytes)
                .map_err(|e| error(&shown(&dest.join(rel)), format!("无法写入：{e}")))?;
        }
        if dest.exists() {
            return Err(error(&shown(&dest), "这个年度的文件夹刚刚被创建，不会覆盖"));
        }
        std::fs::rename(&staging, &dest)
            .map_err(|e| error(&shown(&dest), format!("无法创建年度文件夹：{e}")))
    })();
    if let Err(d) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(vec![d]);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(file: &str) -> OrgNode {
        OrgNode {
            path: Vec::new(),
            name: "中共临江区委".into(),
            kind: Some("区委".into()),
            name_at: None,
            kind_at: None,
            coverage: None,
            file: file.into(),
            parent: None,
            as_of: None,
            withdrawn: Vec::new(),
            withdrawn_pos: None,
            withdrawn_unknown: false,
        }
    }

    #[test]
    fn year_only_keys_are_left_out_with_their_blocks() {
        let text = "# 区委\nname: 中共临江区委\nas_of: 2026-06-30   # 截至\nwithdrawn:\n  xinyue: 企业注销\n  # 说明\n  old: 撤销\n\n# 两个覆盖\ncoverage:\n  private_enterprises: { total: 10, covered: 5 }\nkind: 区委\n";
        assert_eq!(
            org_file(text, &org("content/2026/_org.yaml")),
            "# 区委\nname: 中共临江区委\n\n# 两个覆盖\ncoverage:\n  private_enterprises: { total: 10, covered: 5 }\nkind: 区委\n"
        );
        let last = "name: 区委\nwithdrawn:\n  a: b\n";
        assert_eq!(org_file(last, &org("x")), "name: 区委\n");
        let untouched = "name: 区委   # 全称\nkind: 区委\n";
        assert_eq!(org_file(untouched, &org("x")), untouched);
    }

    #[test]
    fn a_carried_deadline_is_kept_only_when_it_falls_in_the_new_year() {
        let d = |s: &str| Date::parse(s).unwrap();
        let due = |old: &str, to: i32| carried_due(d(old), to).to_string();
        assert_eq!(due("2027-02-28", 2027), "2027-02-28");
        assert_eq!(due("2027-01-01", 2027), "2027-01-01");
        // The source year's last day is not in the new year: half a year to finish.
        assert_eq!(due("2026-12-31", 2027), "2027-06-30");
        assert_eq!(due("2026-08-31", 2027), "2027-06-30");
        // Opening a year further on (--to): a deadline in a year in between has passed.
        assert_eq!(due("2027-03-31", 2028), "2028-06-30");
    }

    #[test]
    fn a_flow_style_file_is_written_again_from_what_was_read() {
        let text = "{ name: 中共临江区委, kind: 区委, as_of: 2026-06-30 }\n";
        assert_eq!(
            org_file(text, &org("content/2026/_org.yaml")),
            "name: 中共临江区委\nkind: 区委\n"
        );
    }
}
