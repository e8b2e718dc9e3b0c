//! Where theme files come from: a user's theme folder overrides the project's
//! `themes/default/` file by file (as Zola does), which overrides the default theme shipped
//! beside the tool's own source.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Pos};

pub struct Theme {
    /// Highest priority first.
    layers: Vec<PathBuf>,
}

impl Theme {
    /// `user`: the `--theme` folder, if any; `root`: the project root.
    pub fn new(root: &Path, user: Option<&Path>) -> Result<Theme, Diagnostic> {
        let mut layers = Vec::new();
        if let Some(u) = user {
            if !u.is_dir() {
                return Err(Diagnostic::error(
                    &u.display().to_string(),
                    Pos::START,
                    "主题文件夹不存在",
                ));
            }
            layers.push(std::path::absolute(u).unwrap_or_else(|_| u.to_path_buf()));
        }
        // Absolute paths: typst runs in its own working folder.
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        for dir in [
            root.join("themes/default"),
            Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"),
        ] {
            if dir.is_dir() && !layers.iter().any(|l| same(l, &dir)) {
                layers.push(dir);
            }
        }
        if layers.is_empty() {
            return Err(Diagnostic::error(
                "themes/default",
                Pos::START,
                "找不到默认主题 themes/default",
            )
            .with_hint("从 dangjian 的源代码中复制 themes/default 到项目根目录，或用 --theme 指定主题文件夹"));
        }
        Ok(Theme { layers })
    }

    /// The theme folders, highest priority first (what `serve` watches).
    pub fn layers(&self) -> Vec<PathBuf> {
        self.layers.clone()
    }

    /// Every file below `sub` (e.g. `templates`), by relative path with `/`, the highest
    /// layer winning: (relative path, absolute path).
    pub fn files(&self, sub: &str) -> BTreeMap<String, PathBuf> {
        let mut out = BTreeMap::new();
        for layer in self.layers.iter().rev() {
            let base = layer.join(sub);
            for e in walkdir::WalkDir::new(&base)
                .follow_links(false)
                .sort_by_file_name()
                .into_iter()
                .flatten()
            {
                if e.file_type().is_file()
                    && let Ok(rel) = e.path().strip_prefix(&base)
                {
                    out.insert(crate::links::to_slash(rel), e.path().to_path_buf());
                }
            }
        }
        out
    }

    /// The folder of fonts: the first layer that has any `.otf`/`.ttf` file in `fonts/`.
    pub fn font_dir(&self) -> Option<PathBuf> {
        self.layers.iter().map(|l| l.join("fonts")).find(|d| {
            std::fs::read_dir(d).is_ok_and(|rd| {
                rd.flatten().any(|e| {
                    let n = e.file_name().to_string_lossy().to_lowercase();
                    n.ends_with(".otf") || n.ends_with(".ttf")
                })
            })
        })
    }
}

fn same(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}
