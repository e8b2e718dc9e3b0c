//! The floor under a site build: writes files of the sizes listed, and nothing else, as fast
//! as a program can on this machine, for the pipeline benchmark to set beside the build
//! that made a site of those files:
//!
//!     cargo run --release --example write_floor -- LIST OUT
//!
//! LIST has one line per file, `<path relative to OUT>\t<size in bytes>`. Files are written
//! in parallel on every core, each folder made when its first file needs it (as the build
//! does), with filler bytes; no rendering, no fingerprints, no manifest. What this costs is
//! what the machine's kernel and file system charge for the site's bytes and inodes.

use rayon::prelude::*;
use std::io::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [list, out] = args.as_slice() else {
        eprintln!("usage: write_floor LIST OUT");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(list) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{list}: {e}");
            std::process::exit(1);
        }
    };
    let files: Vec<(PathBuf, usize)> = text
        .lines()
        .filter_map(|l| {
            let (rel, size) = l.rsplit_once('\t')?;
            Some((Path::new(out).join(rel), size.parse().ok()?))
        })
        .collect();
    // Page-like filler, written a slice at a time.
    let filler: Vec<u8> = "<tr><td>党支部</td><td>1.50</td></tr>\n"
        .bytes()
        .cycle()
        .take(1 << 20)
        .collect();
    let failed = files
        .par_iter()
        .filter(|(path, size)| write(path, *size, &filler).is_err())
        .count();
    if failed > 0 {
        eprintln!("{failed} files could not be written");
        std::process::exit(1);
    }
}

fn write(path: &Path, size: usize, filler: &[u8]) -> std::io::Result<()> {
    let mut f = match std::fs::File::create(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::File::create(path)?
        }
        other => other?,
    };
    let mut left = size;
    while left > 0 {
        let n = left.min(filler.len());
        f.write_all(&filler[..n])?;
        left -= n;
    }
    Ok(())
}
