//! Excel in and out: the fill-in workbook (台账模板) generated from a year's indicator
//! system and prefilled from its records, and the import of filled workbooks back into the
//! contract's YAML records, validated by the project's own loader before anything is
//! written. The score workbook is in `output::xlsx`.
//!
//! - `layout`: the sheets and columns a system asks for (shared by both directions;
//!   `cycle`: the inspection's and the rectification plan's sheets);
//! - `template`: writing a workbook (`basis`: what 考评 says each indicator is scored on;
//!   `guide`: the instructions and the hidden meta sheet); `project`: what a year holds on disk;
//! - `workbook`: reading one (with limits for hostile files; `xlsx_scan`: an .xlsx's sheets
//!   scanned byte by byte, calamine reading what it does not; `ods`: an .ods's expanded
//!   size and merged cells); `cells`, `convert`: a cell's value; `record`: a record as rows,
//!   and its YAML with the cell of every value;
//! - `import`: workbooks → records → the loader → diagnostics at sheet and cell (`sheets`:
//!   the workbook's own checks; `rows`: rows to records; `same`: whether a record changed);
//!   `commit`: writing the records all or nothing.

pub mod basis;
pub mod cells;
pub mod commit;
pub mod convert;
pub mod cycle;
pub mod emit;
mod fill;
pub mod from_yaml;
mod guide;
pub mod import;
pub mod layout;
mod make_layout;
pub mod merges;
mod ods;
pub mod project;
pub mod record;
mod rows;
mod same;
pub mod scalar;
mod sheets;
pub mod template;
pub mod workbook;
mod xlsx_scan;

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Pos};
use crate::model::fact::is_valid_id;

pub use import::{ImportOptions, ImportOutcome, Summary, import};

pub struct TemplateOptions {
    pub root: PathBuf,
    pub year: Option<i32>,
    /// Organisation nodes (`xinhe.qiaodong`), one workbook each; none: the district.
    pub orgs: Vec<String>,
    /// The workbook (one) or the folder (several); default: the current folder.
    pub out: Option<PathBuf>,
}

/// A workbook written: its path and how many branches it lists.
pub struct Made {
    pub path: PathBuf,
    pub branches: usize,
}

/// Parses `a.b` into an organisation path.
pub fn parse_org_path(text: &str) -> Option<Vec<String>> {
    let t = text.trim();
    if t.is_empty() {
        return Some(Vec::new());
    }
    let parts: Vec<String> = t.split('.').map(|p| p.trim().to_string()).collect();
    parts
        .iter()
        .all(|p| is_valid_id(p) && !p.starts_with('_') && p != "indicators")
        .then_some(parts)
}

fn default_name(year: i32, org: &str) -> String {
    if org.is_empty() {
        format!("台账模板-{year}.xlsx")
    } else {
        format!("台账模板-{year}-{org}.xlsx")
    }
}

/// Writes `bytes` to `path` through a temporary file beside it, so that a reader never
/// sees half a workbook.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let fail = |e: std::io::Error| {
        Diagnostic::error(
            &path.display().to_string(),
            Pos::START,
            format!("无法写入：{e}"),
        )
        .in_sheet(None, None)
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp"));
    std::fs::write(&tmp, bytes).map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}

/// `dangjian template`: validates the project, then writes one workbook per organisation
/// asked for. Gives every diagnostic, and the workbooks written when there was no error.
pub fn template(opts: &TemplateOptions) -> (Vec<Diagnostic>, Option<Vec<Made>>) {
    // The project must be valid; its warnings are `check`'s to print, not the template's.
    let (scored, diags) = crate::pipeline::validate(&opts.root, false);
    let mut diags: Vec<Diagnostic> = diags.into_iter().filter(Diagnostic::is_error).collect();
    let Some(scored) = scored else {
        return (diags, None);
    };
    let project = &scored.project;
    let Some(year) = opts.year.or_else(|| project.years.last().map(|y| y.year)) else {
        diags.push(Diagnostic::error(
            "content",
            Pos::START,
            "没有年度文件夹，请用 --year 指定年度",
        ));
        return (diags, None);
    };
    let existing = project.years.iter().find(|y| y.year == year);
    // A new year: the root system, and the tree of the nearest earlier year.
    let source = existing.or_else(|| project.years.iter().rev().find(|y| y.year < year));
    let (sys, fingerprint) = match existing {
        Some(y) => (
            (*y.system).clone(),
            project::system_fingerprint(&opts.root, &y.system),
        ),
        None => match project::year_system(&opts.root, year, &mut diags) {
            Some(s) => s,
            None => return (diags, None),
        },
    };
    let layout = layout::layout(&sys, year);
    let scopes: Vec<String> = if opts.orgs.is_empty() {
        vec![String::new()]
    } else {
        opts.orgs.clone()
    };
    let mut made = Vec::new();
    for scope_text in &scopes {
        let Some(scope) = parse_org_path(scope_text) else {
            diags.push(Diagnostic::error(
                "content",
                Pos::START,
                format!(
                    "--org `{scope_text}` 不是组织路径（各级组织编号用 . 连接，如 xinhe.qiaodong）"
                ),
            ));
            continue;
        };
        if !scope.is_empty() && !source.is_some_and(|y| y.orgs.iter().any(|o| o.path == scope)) {
            let hint = source.and_then(|y| {
                crate::suggest::hint(
                    scope_text,
                    y.orgs
                        .iter()
                        .filter(|o| !o.path.is_empty())
                        .map(|o| o.path.join("."))
                        .collect::<Vec<_>>()
                        .iter()
                        .map(String::as_str),
                )
            });
            diags.push(
                Diagnostic::error(
                    &format!("content/{year}"),
                    Pos::START,
                    format!("{year} 年度没有组织 `{scope_text}`"),
                )
                .with_hint_opt(hint),
            );
            continue;
        }
        let within = |path: &[String]| path.starts_with(&scope);
        let mut orgs = Vec::new();
        let mut branches = Vec::new();
        if let Some(y) = source {
            let fresh = existing.is_none();
            for o in y
                .orgs
                .iter()
                .filter(|o| !o.path.is_empty() && within(&o.path))
            {
                let data = project::read_org(&opts.root, &o.file).unwrap_or_default();
                orgs.push((
                    o.path.clone(),
                    if fresh {
                        project::org_identity(&data)
                    } else {
                        data
                    },
                ));
            }
            for b in y.branches.iter().filter(|b| within(&b.org)) {
                let rec = project::read_record(&opts.root, &b.file, &y.system).unwrap_or_default();
                branches.push(template::BranchFill {
                    id: b.id.clone(),
                    org: b.org.clone(),
                    rec: if fresh {
                        project::identity_only(&rec)
                    } else {
                        rec
                    },
                });
            }
        }
        // By organisation, then id: each street's branches together.
        branches.sort_by(|a, b| (&a.org, &a.id).cmp(&(&b.org, &b.id)));
        let count = branches.len();
        let data = template::TemplateData {
            sys: &sys,
            layout: &layout,
            year,
            system_fingerprint: fingerprint.clone(),
            scope: scope.clone(),
            orgs,
            branches,
        };
        let bytes = match template::write(&data) {
            Ok(b) => b,
            Err(template::TemplateError::TooManyRows { sheet, rows }) => {
                diags.push(
                    Diagnostic::error(
                        &format!("content/{year}"),
                        Pos::START,
                        format!("“{sheet}”表将有 {rows} 行，超出 Excel 一张表的容量"),
                    )
                    .with_hint("用 --org 按组织分别生成模板"),
                );
                continue;
            }
            Err(template::TemplateError::Xlsx(e)) => {
                diags.push(Diagnostic::error(
                    "content",
                    Pos::START,
                    format!("无法生成工作簿：{e}"),
                ));
                continue;
            }
        };
        let name = default_name(year, scope_text.trim());
        let path = match (&opts.out, scopes.len()) {
            (Some(out), 1) => out.clone(),
            (Some(out), _) => out.join(name),
            (None, _) => PathBuf::from(name),
        };
        match write_file(&path, &bytes) {
            Ok(()) => made.push(Made {
                path,
                branches: count,
            }),
            Err(d) => diags.push(d),
        }
    }
    if diags.iter().any(Diagnostic::is_error) {
        return (diags, None);
    }
    (diags, Some(made))
}
