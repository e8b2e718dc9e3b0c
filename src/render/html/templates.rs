//! The theme's Tera templates, parsed once, with the filters the templates use. Errors are
//! diagnostics naming the template file (and its line and column when Tera gives them).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;
use tera::Tera;

use crate::diagnostics::{Diagnostic, Pos};
use crate::view::site::paths;

pub struct Templates {
    pub tera: Tera,
    /// Template name → the file it came from, for diagnostics.
    files: BTreeMap<String, PathBuf>,
    /// Template name and text, in name order: part of every page's fingerprint.
    sources: Vec<(String, String)>,
}

fn year_arg(args: &HashMap<String, Value>) -> tera::Result<i32> {
    args.get("year")
        .and_then(|y| {
            y.as_i64()
                .or_else(|| y.as_str().and_then(|s| s.parse().ok()))
        })
        .and_then(|y| i32::try_from(y).ok())
        .ok_or_else(|| tera::Error::msg("缺少参数 year（年度，整数）"))
}

fn str_value(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn org_path(v: &Value) -> tera::Result<Vec<String>> {
    match v {
        Value::Array(a) => Ok(a.iter().map(str_value).collect()),
        _ => Err(tera::Error::msg("org_href 需要组织路径（字符串数组）")),
    }
}

/// Filters: `seg` (percent-encode one path segment), `branch_href(year=…)` and
/// `org_href(year=…)` (site-relative href of a branch id / an organisation path).
fn register_filters(tera: &mut Tera) {
    tera.register_filter("seg", |v: &Value, _: &HashMap<String, Value>| {
        Ok(Value::String(paths::encode(&str_value(v))))
    });
    tera.register_filter("branch_href", |v: &Value, args: &HashMap<String, Value>| {
        Ok(Value::String(paths::branch_href(
            year_arg(args)?,
            &str_value(v),
        )))
    });
    tera.register_filter("org_href", |v: &Value, args: &HashMap<String, Value>| {
        Ok(Value::String(paths::org_href(
            year_arg(args)?,
            &org_path(v)?,
        )))
    });
}

/// Tera puts ` --> line:col` in parse errors.
fn position(msg: &str) -> Pos {
    msg.split("--> ")
        .nth(1)
        .and_then(|rest| {
            let mut it = rest
                .split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty());
            Some(Pos::new(it.next()?.parse().ok()?, it.next()?.parse().ok()?))
        })
        .unwrap_or(Pos::START)
}

/// The useful part of a Tera parse error: its `= …` explanation.
fn parse_detail(msg: &str) -> String {
    msg.rsplit_once("= ")
        .map_or_else(|| msg.to_string(), |(_, d)| d.trim().to_string())
}

/// An error and its causes, one line each.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        let t = s.to_string();
        if !msg.contains(&t) {
            msg.push('：');
            msg.push_str(&t);
        }
        src = s.source();
    }
    msg.lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

impl Templates {
    /// Parses every `.html` template of the theme; all parse errors at once.
    pub fn load(
        files: BTreeMap<String, PathBuf>,
        root: &Path,
    ) -> Result<Templates, Vec<Diagnostic>> {
        let files: BTreeMap<String, PathBuf> = files
            .into_iter()
            .filter(|(n, _)| n.ends_with(".html"))
            .collect();
        let mut sources = Vec::new();
        let mut errors = Vec::new();
        let shown = |p: &Path| {
            p.strip_prefix(root)
                .map_or_else(|_| p.display().to_string(), crate::links::to_slash)
        };
        for (name, path) in &files {
            match std::fs::read_to_string(path) {
                Ok(text) => sources.push((name.clone(), text)),
                Err(e) => errors.push(Diagnostic::error(
                    &shown(path),
                    Pos::START,
                    format!("无法读取模板：{e}"),
                )),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        // Unlike Tera's default, `/` is not escaped, so `{{ root }}` prints `../`.
        tera.set_escape_fn(crate::escape::html);
        tera.set_escape_into_fn(crate::escape::html_write);
        register_filters(&mut tera);
        if let Err(e) = tera.add_raw_templates(sources.clone()) {
            // Tera stops at the first bad template: parse each on its own to report every
            // syntax error at once (only on failure, since parsing is not free).
            let syntax: Vec<Diagnostic> = sources
                .iter()
                .filter_map(|(name, text)| {
                    let e = tera::Template::new(name, None, text).err()?;
                    let msg = chain(&e);
                    Some(Diagnostic::error(
                        &files.get(name).map_or_else(|| name.clone(), |p| shown(p)),
                        position(&msg),
                        format!("模板语法错误：{}", parse_detail(&msg)),
                    ))
                })
                .collect();
            if !syntax.is_empty() {
                return Err(syntax);
            }
            let msg = chain(&e);
            let file = files
                .iter()
                .find(|(n, _)| msg.contains(&format!("'{n}'")))
                .map_or_else(|| "themes/default/templates".to_string(), |(_, p)| shown(p));
            return Err(vec![Diagnostic::error(
                &file,
                position(&msg),
                format!("模板错误：{msg}"),
            )]);
        }
        let files = files.into_iter().map(|(n, p)| {
            let s = PathBuf::from(shown(&p));
            (n, s)
        });
        Ok(Templates {
            tera,
            sources,
            files: files.collect(),
        })
    }

    /// Adds every template's name and text to `h`, the start of every page's fingerprint
    /// (a page may include or extend any of them).
    pub fn fingerprint(&self, h: &mut crate::render::reuse::Hasher) {
        h.part(&(self.sources.len() as u64).to_le_bytes());
        for (name, text) in &self.sources {
            h.part(name.as_bytes()).part(text.as_bytes());
        }
    }

    pub fn has(&self, name: &str) -> bool {
        self.files.contains_key(name)
    }

    /// Renders one page; an error names the template file.
    /// Renders `name` into `out` (appended; Tera writes bytes, so no UTF-8 check of the page).
    pub fn render_to(
        &self,
        name: &str,
        ctx: &tera::Context,
        out: &mut Vec<u8>,
    ) -> Result<(), Diagnostic> {
        self.tera.render_to(name, ctx, out).map_err(|e| {
            let msg = chain(&e);
            let file = self
                .files
                .get(name)
                .map_or_else(|| name.to_string(), |p| p.display().to_string());
            Diagnostic::error(&file, Pos::START, format!("模板渲染失败：{msg}")).with_hint(
                "检查模板中使用的字段名是否在视图数据中存在（见 themes/default/templates/DATA.md）",
            )
        })
    }
}
