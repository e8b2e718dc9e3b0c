//! Writing an import's files all or nothing: every file is first written in full to a
//! temporary name beside its place (a name starting with `.`, which the loader ignores),
//! and only when all are written are they renamed into place; on any failure the temporary
//! files and the folders made for them are removed and `content/` is as it was.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Pos};

fn tmp_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.import-tmp"))
}

/// Writes `files` (path relative to `root`, text). The folders are made first, one by one;
/// the temporary files are written in parallel (a district's import writes 10,000 files,
/// most of its time in the kernel); the renames follow in order.
pub fn write_all(root: &Path, files: &[(String, String)]) -> Result<(), Diagnostic> {
    let mut made_dirs: Vec<PathBuf> = Vec::new();
    let undo = |written: &[(PathBuf, PathBuf)], made_dirs: &[PathBuf]| {
        for (tmp, _) in written {
            let _ = std::fs::remove_file(tmp);
        }
        for d in made_dirs.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
    };
    let fail =
        |rel: &str, e: std::io::Error| Diagnostic::error(rel, Pos::START, format!("无法写入：{e}"));
    // Folders known to exist: each record's folder is looked at once, not once a file.
    let mut exists: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    for (rel, _) in files {
        let path = root.join(rel);
        let Some(dir) = path.parent() else { continue };
        if exists.contains(dir) {
            continue;
        }
        // Each missing folder, top down, so that a failure removes exactly those.
        let mut missing: Vec<PathBuf> = dir
            .ancestors()
            .take_while(|a| !exists.contains(*a) && !a.exists())
            .map(Path::to_path_buf)
            .collect();
        missing.reverse();
        for d in missing {
            if let Err(e) = std::fs::create_dir(&d) {
                undo(&[], &made_dirs);
                return Err(fail(rel, e));
            }
            made_dirs.push(d);
        }
        exists.insert(dir.to_path_buf());
    }
    let results: Vec<Result<(PathBuf, PathBuf), std::io::Error>> = files
        .par_iter()
        .map(|(rel, text)| {
            let path = root.join(rel);
            let tmp = tmp_name(&path);
            match std::fs::write(&tmp, text) {
                Ok(()) => Ok((tmp, path)),
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    Err(e)
                }
            }
        })
        .collect();
    let mut written: Vec<(PathBuf, PathBuf)> = Vec::with_capacity(results.len());
    let mut first_error = None;
    for ((rel, _), r) in files.iter().zip(results) {
        match r {
            Ok(w) => written.push(w),
            Err(e) if first_error.is_none() => first_error = Some(fail(rel, e)),
            Err(_) => {}
        }
    }
    if let Some(d) = first_error {
        undo(&written, &made_dirs);
        return Err(d);
    }
    for (k, (tmp, path)) in written.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, path) {
            // Renames within one folder do not fail short of the disk going away; the files
            // not yet renamed are removed, and the message says which were written.
            undo(&written[k..], &[]);
            return Err(Diagnostic::error(
                &path.display().to_string(),
                Pos::START,
                format!("无法写入：{e}（此前的 {k} 个文件已写入）"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_everything_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/2026")).unwrap();
        write_all(
            root,
            &[
                ("content/2026/a/b/x.yaml".into(), "name: x\n".into()),
                ("content/2026/y.yaml".into(), "name: y\n".into()),
            ],
        )
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(root.join("content/2026/a/b/x.yaml")).unwrap(),
            "name: x\n"
        );
        // A file that cannot be written (its folder is a file): nothing of the batch stays.
        std::fs::write(root.join("content/2026/blocked"), "").unwrap();
        let err = write_all(
            root,
            &[
                ("content/2026/new/z.yaml".into(), "name: z\n".into()),
                ("content/2026/blocked/w.yaml".into(), "name: w\n".into()),
            ],
        );
        assert!(err.is_err());
        assert!(!root.join("content/2026/new").exists());
        let left: Vec<_> = walkdir::WalkDir::new(root.join("content"))
            .into_iter()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains("import-tmp"))
            .collect();
        assert!(left.is_empty());
    }
}
