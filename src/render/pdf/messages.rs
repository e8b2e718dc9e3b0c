//! Typst's errors and warnings, as diagnostics of the files a document is made from.

use std::path::Path;

use super::job::PdfJob;
use super::typst::TypstMessage;
use crate::diagnostics::{Diagnostic, Pos};

/// A typst error as a diagnostic of the document's own files.
pub(super) fn job_error(job: &PdfJob, message: String, m: Option<&TypstMessage>) -> Diagnostic {
    let path = job.sources.first().map_or("", String::as_str);
    let narrative = job.sources.iter().find(|s| s.ends_with(".md"));
    let mut hint = format!("生成 {} 时出错", job.output);
    if let Some(n) = narrative {
        hint.push_str(&format!("；本文档还使用了 {n}"));
    }
    if let Some(f) = m.and_then(|m| m.file.as_deref())
        && f.ends_with(".typ")
    {
        let name = Path::new(f)
            .file_name()
            .map_or(f.to_string(), |n| n.to_string_lossy().into_owned());
        hint.push_str(&format!(
            "；出错位置在主题模板 {name}，若改过主题请检查该文件"
        ));
    }
    Diagnostic::error(path, Pos::START, format!("PDF 生成失败：{message}")).with_hint(hint)
}

pub(super) fn typst_error_text(m: &TypstMessage) -> String {
    match m.file.as_deref() {
        Some(f) if f.ends_with(".typ") => format!(
            "主题模板 {f} 第 {} 行第 {} 列出错：{}",
            m.line, m.col, m.message
        ),
        Some(f) if f.starts_with("data/") => format!("typst 读取数据出错（{f}）：{}", m.message),
        _ => format!("typst 报错：{}", m.display()),
    }
}

/// Typst's warnings worth showing (not the notice that bundles are experimental).
pub(super) fn typst_warnings(msgs: &[TypstMessage]) -> Vec<Diagnostic> {
    msgs.iter()
        .filter(|m| !m.error && !m.message.contains("experimental"))
        .map(|m| {
            let file = m
                .file
                .as_deref()
                .map(|f| {
                    Path::new(f)
                        .file_name()
                        .map_or(f.to_string(), |n| n.to_string_lossy().into_owned())
                })
                .unwrap_or_else(|| "typst".to_string());
            Diagnostic::warning(
                &file,
                Pos::new(m.line.max(1), m.col.max(1)),
                format!("typst 警告：{}", m.message),
            )
        })
        .collect()
}
