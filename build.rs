//! Embeds the bundled example district (`indicators.yaml` and every file under `content/`)
//! into the binary for `dangjian init --example`, so an installed binary with no source
//! tree can still write it. A generated list of `include_bytes!` rather than a directory
//! macro: cargo reruns this script whenever a file under `content/` is added, removed or
//! changed, so the embedded copy is never stale.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let hidden = e.file_name().to_string_lossy().starts_with('.');
        match e.file_type() {
            Ok(t) if t.is_dir() && !hidden => files(&p, out),
            Ok(t) if t.is_file() && !hidden => out.push(p),
            _ => {}
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    println!("cargo:rerun-if-changed=content");
    println!("cargo:rerun-if-changed=indicators.yaml");
    let mut list = vec![root.join("indicators.yaml")];
    files(&root.join("content"), &mut list);
    list.sort();
    let mut code = String::from("pub static EXAMPLE: &[(&str, &[u8])] = &[\n");
    for p in &list {
        let rel = p
            .strip_prefix(&root)
            .expect("below the root")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        // Named from CARGO_MANIFEST_DIR when the crate compiles, not as an absolute path
        // now: two checkouts sharing one target folder (CI tests a clone that way) reuse
        // this script's output, and a path into the other checkout would be read instead.
        let _ = writeln!(
            code,
            "    ({rel:?}, include_bytes!(concat!(env!(\"CARGO_MANIFEST_DIR\"), {:?}))),",
            format!("/{rel}")
        );
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    std::fs::write(out.join("example_files.rs"), code).expect("write the example's file list");
}
