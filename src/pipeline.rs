//! What every command does first: load and validate the project, then score it, and pick the
//! years asked for. The library returns diagnostics; only the command line prints them.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Pos};
use crate::model::Project;
use crate::score::{self, Assessment};

/// A project that loaded without errors, and its scores.
pub struct Scored {
    pub project: Project,
    pub assessment: Assessment,
}

/// Loads, validates and scores. Gives every diagnostic, sorted, and the scored project when
/// none of them is an error. Scoring is skipped when loading failed: its checks would only
/// repeat what the loader already said.
pub fn validate(root: &Path, strict: bool) -> (Option<Scored>, Vec<Diagnostic>) {
    validate_with(root, strict, &crate::load::Overlay::default())
}

/// [`validate`] of the project as it would be with `overlay`'s files written (see
/// [`crate::load::Overlay`]); nothing is read from disk where the overlay has a file.
pub fn validate_with(
    root: &Path,
    strict: bool,
    overlay: &crate::load::Overlay,
) -> (Option<Scored>, Vec<Diagnostic>) {
    let t = crate::timings::phase("load");
    let (project, diags) = crate::load::load_with(root, overlay);
    drop(t);
    finish(project, diags, strict)
}

/// [`validate`], reading again only the files that changed since the cache's last load.
pub fn validate_cached(
    root: &Path,
    strict: bool,
    cache: &crate::load::Cache,
) -> (Option<Scored>, Vec<Diagnostic>) {
    let t = crate::timings::phase("load");
    let (project, diags) = crate::load::load_cached(root, cache);
    drop(t);
    finish(project, diags, strict)
}

/// Scores a project that was loaded, unless loading found errors.
fn finish(
    project: crate::model::Project,
    mut diags: Vec<Diagnostic>,
    strict: bool,
) -> (Option<Scored>, Vec<Diagnostic>) {
    if diags.iter().any(Diagnostic::is_error) {
        // Still say which branches vanished or lack a plan: those warnings do not need the
        // project to be valid, only its branches.
        diags.extend(score::carry_over_unscored(&project));
        crate::diagnostics::sort(&mut diags);
        return (None, diags);
    }
    let t = crate::timings::phase("score");
    let assessment = score::assess(&project);
    drop(t);
    diags.extend(score::diagnostics(&project, &assessment, strict));
    crate::diagnostics::sort(&mut diags);
    if diags.iter().any(Diagnostic::is_error) {
        return (None, diags);
    }
    (
        Some(Scored {
            project,
            assessment,
        }),
        diags,
    )
}

/// The indexes of the years a command works on: all of them, or the one `--year` names
/// (an error when there is no such year folder).
pub fn select_years(project: &Project, year: Option<i32>) -> Result<Vec<usize>, Diagnostic> {
    match year {
        None => Ok((0..project.years.len()).collect()),
        Some(y) => match project.years.iter().position(|py| py.year == y) {
            Some(i) => Ok(vec![i]),
            None => Err(Diagnostic::error(
                &format!("content/{y}"),
                Pos::START,
                format!("没有 {y} 年度的文件夹"),
            )),
        },
    }
}
