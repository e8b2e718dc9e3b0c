//! The staging folder: a build writes into `.<name>.staging-<pid>` beside the output and
//! swaps it in only when everything succeeded. It is removed on every failure, so a failed
//! build leaves the output folder (and its parent) exactly as they were.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Pos};
use crate::render::reuse::write_error;

/// A folder beside the output, removed unless committed.
pub struct Staging {
    pub path: PathBuf,
    committed: bool,
}

fn parent_of(out: &Path) -> &Path {
    out.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn name_of(out: &Path) -> String {
    out.file_name()
        .map_or("site".into(), |n| n.to_string_lossy().into_owned())
}

impl Staging {
    /// Makes the staging folder of `out`. Called with the output's lock held: staging
    /// folders of `out` left by a build that was killed are removed first.
    pub fn create(out: &Path) -> Result<Staging, Vec<Diagnostic>> {
        let parent = parent_of(out);
        std::fs::create_dir_all(parent).map_err(|e| vec![write_error(out, &e)])?;
        let prefix = format!(".{}.staging-", name_of(out));
        remove_stale(parent, &prefix);
        let path = parent.join(format!("{prefix}{}", std::process::id()));
        if path.exists() {
            let _ = std::fs::remove_dir_all(&path);
        }
        std::fs::create_dir(&path).map_err(|e| vec![write_error(out, &e)])?;
        Ok(Staging {
            path,
            committed: false,
        })
    }

    /// Diagnostics about files in the staging folder name them where they were meant to
    /// go: the user never sees the staging folder.
    pub fn shown(&self, mut diags: Vec<Diagnostic>, out: &Path) -> Vec<Diagnostic> {
        let staging = self.path.display().to_string();
        let out = out.display().to_string();
        for d in &mut diags {
            if let Some(rest) = d.path.strip_prefix(&staging)
                && (rest.is_empty() || rest.starts_with(std::path::MAIN_SEPARATOR))
            {
                d.path = format!("{out}{rest}");
            }
        }
        diags
    }

    /// Replaces `out` by the staging folder: two renames, so `out` is never half-written.
    pub fn commit(mut self, out: &Path) -> Result<(), Vec<Diagnostic>> {
        let err = |e: std::io::Error| {
            vec![Diagnostic::error(
                &out.display().to_string(),
                Pos::START,
                format!("无法替换输出文件夹：{e}"),
            )]
        };
        let old = self.path.with_file_name(format!(
            "{}.old",
            self.path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        ));
        let had_old = out.exists();
        if had_old {
            std::fs::rename(out, &old).map_err(err)?;
        }
        if let Err(e) = std::fs::rename(&self.path, out) {
            if had_old {
                let _ = std::fs::rename(&old, out);
            }
            return Err(err(e));
        }
        self.committed = true;
        if had_old {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(())
    }
}

/// Removes the folders `<prefix><pid>` and `<prefix><pid>.old` in `parent`: what a killed
/// build of the same output left (under the lock, no other build is using them).
fn remove_stale(parent: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(prefix) else {
            continue;
        };
        let pid = rest.strip_suffix(".old").unwrap_or(rest);
        if !pid.is_empty()
            && pid.bytes().all(|b| b.is_ascii_digit())
            && e.file_type().is_ok_and(|t| t.is_dir())
        {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staging_folders_of_killed_builds_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        for name in [
            ".site.staging-123",
            ".site.staging-123.old",
            ".site.staging-x",
            ".other.staging-123",
            "site",
        ] {
            std::fs::create_dir(dir.path().join(name)).unwrap();
        }
        std::fs::write(dir.path().join(".site.staging-9"), "a file").unwrap();
        let staging = Staging::create(&out).unwrap();
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        let own = format!(".site.staging-{}", std::process::id());
        let mut want = vec![
            ".other.staging-123",
            ".site.staging-9",
            ".site.staging-x",
            own.as_str(),
            "site",
        ];
        want.sort();
        assert_eq!(left, want);
        drop(staging);
        assert!(!dir.path().join(&own).exists());
    }

    #[test]
    fn diagnostics_name_the_output_not_the_staging_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let staging = Staging::create(&out).unwrap();
        let inside = staging.path.join("2026/index.html");
        let d = Diagnostic::error(&inside.display().to_string(), Pos::START, "x");
        let other = Diagnostic::error("content/2026/a.yaml", Pos::START, "y");
        let shown = staging.shown(vec![d, other], &out);
        assert_eq!(
            shown[0].path,
            out.join("2026/index.html").display().to_string()
        );
        assert_eq!(shown[1].path, "content/2026/a.yaml");
    }
}
