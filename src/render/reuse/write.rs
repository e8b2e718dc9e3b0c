//! Writing output files: always as new files, in folders made on demand, giving back the
//! size and modification time of what was written (the file's stamp); and the one clear
//! error when the output cannot be written (a full or read-only disk, no permission).
//!
//! A file is never written through a path that already exists: the staging folder is full of
//! hard links to the previous output, and writing through one would change the previous
//! build's file too. Creating with `create_new` makes such a mistake an error instead.

use std::fs::{File, OpenOptions};
use std::io::{self, ErrorKind, Write as _};
use std::path::Path;

use crate::diagnostics::{Diagnostic, Pos};

/// A file's size and modification time (nanoseconds since 1970).
pub type Stamp = (u64, u128);

/// Runs `make(path)`, which creates the file `path`; when its folder does not exist yet,
/// creates the folder and runs it again. Nearly every file goes into a folder that is
/// already there: this costs no system call on top of the file's own (a site has a
/// hundred thousand files).
pub fn in_new_folder<T>(path: &Path, make: impl Fn(&Path) -> io::Result<T>) -> io::Result<T> {
    match make(path) {
        Err(e) if e.kind() == ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            make(path)
        }
        other => other,
    }
}

/// The [`Stamp`] of the file at `p`.
pub fn file_stamp(p: &Path) -> io::Result<Stamp> {
    stamp(&std::fs::metadata(p)?)
}

fn stamp(m: &std::fs::Metadata) -> io::Result<Stamp> {
    let modified = m
        .modified()?
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    Ok((m.len(), modified))
}

/// Whether `p` still has the stamp recorded when it was written.
pub fn unchanged(p: &Path, recorded: Stamp) -> bool {
    file_stamp(p).is_ok_and(|s| s == recorded)
}

fn create_new(p: &Path) -> io::Result<File> {
    OpenOptions::new().write(true).create_new(true).open(p)
}

/// Writes `parts`, one after the other, to a new file at `p`; gives its stamp, read from
/// the open file. A file left half-written by an error is removed.
pub fn write_new(p: &Path, parts: &[&[u8]]) -> io::Result<Stamp> {
    let mut f = create_new(p)?;
    let written = parts
        .iter()
        .try_for_each(|bytes| f.write_all(bytes))
        .and_then(|()| stamp(&f.metadata()?));
    if written.is_err() {
        drop(f);
        let _ = std::fs::remove_file(p);
    }
    written
}

/// Puts the previous build's file `from` at the new path `to`: a hard link (no bytes
/// copied, no new inode), or a copy where linking is not possible (another file system, too
/// many links, a file system without them). Gives the stamp of the file at `to`.
pub fn link_or_copy(from: &Path, to: &Path) -> io::Result<Stamp> {
    match std::fs::hard_link(from, to) {
        Ok(()) => file_stamp(to),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(e),
        Err(_) => copy_new(from, to),
    }
}

/// Moves the file `from` (made in a work folder) to the new path `to`: renamed, or copied
/// where renaming is not possible. Gives the stamp of the file at `to`.
pub fn move_new(from: &Path, to: &Path) -> io::Result<Stamp> {
    if to.symlink_metadata().is_ok() {
        return Err(io::Error::from(ErrorKind::AlreadyExists));
    }
    match std::fs::rename(from, to) {
        Ok(()) => file_stamp(to),
        Err(_) => {
            let s = copy_new(from, to)?;
            let _ = std::fs::remove_file(from);
            Ok(s)
        }
    }
}

fn copy_new(from: &Path, to: &Path) -> io::Result<Stamp> {
    let mut src = File::open(from)?;
    let mut dst = create_new(to)?;
    let copied = io::copy(&mut src, &mut dst).and_then(|_| stamp(&dst.metadata()?));
    if copied.is_err() {
        drop(dst);
        let _ = std::fs::remove_file(to);
    }
    copied
}

/// The error for `path` that could not be written: what is wrong in words a user can act
/// on (a full disk, a read-only disk, no permission), the system's own message after it.
pub fn write_error(path: &Path, e: &io::Error) -> Diagnostic {
    let kept = "；原有的输出未被改动";
    let (what, hint) = match e.kind() {
        ErrorKind::StorageFull => (
            "输出所在的磁盘已满，无法写入",
            "腾出磁盘空间，或用 --out 换一个空间足够的位置，然后重新生成",
        ),
        ErrorKind::QuotaExceeded => (
            "输出所在磁盘的用户配额已用完，无法写入",
            "腾出配额内的空间，或用 --out 换一个位置，然后重新生成",
        ),
        ErrorKind::ReadOnlyFilesystem => (
            "输出所在的磁盘是只读的，无法写入",
            "用 --out 换一个可写的位置，或把该磁盘重新挂载为可写，然后重新生成",
        ),
        ErrorKind::PermissionDenied => (
            "没有写入输出位置的权限",
            "用 --out 换一个有写入权限的位置，或修改该文件夹的权限，然后重新生成",
        ),
        _ => {
            return Diagnostic::error(
                &path.display().to_string(),
                Pos::START,
                format!("无法写入：{e}"),
            );
        }
    };
    Diagnostic::error(
        &path.display().to_string(),
        Pos::START,
        format!("{what}（{e}）"),
    )
    .with_hint(format!("{hint}{kept}"))
}

/// The fault named in another program's message (typst's, which ends its system errors with
/// Rust's `(os error N)`), when it is one that stops every write to the disk: full, over
/// quota or read-only. `None` for anything else, a permission error included (that may be
/// about a file typst reads).
pub fn fault_in_message(text: &str) -> Option<io::Error> {
    text.match_indices("(os error ").find_map(|(i, m)| {
        let rest = &text[i + m.len()..];
        let digits = &rest[..rest.find(|c: char| !c.is_ascii_digit())?];
        let e = io::Error::from_raw_os_error(digits.parse().ok()?);
        matches!(
            e.kind(),
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::ReadOnlyFilesystem
        )
        .then_some(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_made_in_folders_made_on_demand() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("2026/branch/甲.html");
        let stamp = in_new_folder(&p, |p| write_new(p, &[b"<p>", b"x</p>"])).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"<p>x</p>");
        assert_eq!(stamp.0, 8);
        assert!(unchanged(&p, stamp));
        // A second file in the same folder, and an error that is not a missing folder.
        in_new_folder(&dir.path().join("2026/branch/乙.html"), |p| {
            write_new(p, &[b""])
        })
        .unwrap();
        let e = in_new_folder(&p, |_| {
            Err::<(), _>(io::Error::from(ErrorKind::PermissionDenied))
        });
        assert_eq!(e.unwrap_err().kind(), ErrorKind::PermissionDenied);
    }

    #[test]
    fn nothing_is_written_through_a_path_that_exists() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old.html");
        std::fs::write(&old, "previous build").unwrap();
        let linked = dir.path().join("new.html");
        link_or_copy(&old, &linked).unwrap();
        // Writing the linked path again would change the previous build's file: refused.
        let e = write_new(&linked, &[b"new"]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::AlreadyExists);
        assert_eq!(
            link_or_copy(&old, &linked).unwrap_err().kind(),
            ErrorKind::AlreadyExists
        );
        let work = dir.path().join("work.pdf");
        std::fs::write(&work, "pdf").unwrap();
        assert_eq!(
            move_new(&work, &linked).unwrap_err().kind(),
            ErrorKind::AlreadyExists
        );
        assert_eq!(std::fs::read_to_string(&old).unwrap(), "previous build");
        // A move to a free path takes the file along, with its stamp.
        let placed = dir.path().join("placed.pdf");
        let s = move_new(&work, &placed).unwrap();
        assert!(!work.exists() && unchanged(&placed, s));
    }

    #[test]
    fn a_linked_file_keeps_its_stamp_and_a_copy_gets_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("a.pdf");
        std::fs::write(&old, "%PDF-").unwrap();
        let before = file_stamp(&old).unwrap();
        assert_eq!(
            link_or_copy(&old, &dir.path().join("b.pdf")).unwrap(),
            before
        );
        let copy = dir.path().join("c.pdf");
        let s = copy_new(&old, &copy).unwrap();
        assert_eq!(std::fs::read(&copy).unwrap(), b"%PDF-");
        assert!(unchanged(&copy, s));
    }

    #[test]
    fn write_errors_say_what_is_wrong_in_chinese() {
        let p = Path::new("/srv/site");
        let full = write_error(p, &io::Error::from_raw_os_error(28));
        assert_eq!(full.path, "/srv/site");
        assert!(full.message.starts_with("输出所在的磁盘已满"), "{full}");
        assert!(full.hint.as_deref().unwrap().contains("原有的输出未被改动"));
        let ro = write_error(p, &io::Error::from_raw_os_error(30));
        assert!(ro.message.starts_with("输出所在的磁盘是只读的"), "{ro}");
        let denied = write_error(p, &io::Error::from_raw_os_error(13));
        assert!(
            denied.message.starts_with("没有写入输出位置的权限"),
            "{denied}"
        );
        let other = write_error(p, &io::Error::other("坏了"));
        assert_eq!(other.message, "无法写入：坏了");
    }

    #[test]
    fn faults_are_found_in_typst_messages() {
        let full = "error: failed to write PDF file (No space left on device (os error 28))";
        assert_eq!(
            fault_in_message(full).map(|e| e.kind()),
            Some(ErrorKind::StorageFull)
        );
        let ro = "failed to create directory (Read-only file system (os error 30))";
        assert_eq!(
            fault_in_message(ro).map(|e| e.kind()),
            Some(ErrorKind::ReadOnlyFilesystem)
        );
        for other in [
            "failed to load file (Permission denied (os error 13))",
            "unknown variable: x",
            "(os error )",
            "(os error 28",
        ] {
            assert!(fault_in_message(other).is_none(), "{other}");
        }
    }
}
