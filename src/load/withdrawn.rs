//! `withdrawn` in a district's `_org.yaml`: every id must be a branch of the nearest earlier
//! year and absent from this one. Checked once every year is loaded.

use crate::diagnostics::Diagnostic;
use crate::model::Year;
use crate::suggest;

/// `years` sorted by year; `unloaded`: year folders whose indicator system failed (their
/// branches are unknown, so a year right after one is not checked).
pub fn check(years: &[Year], unloaded: &[i32], diags: &mut Vec<Diagnostic>) {
    for (i, y) in years.iter().enumerate() {
        let Some(district) = y.district() else {
            continue;
        };
        if district.withdrawn.is_empty() {
            continue;
        }
        let prev = i.checked_sub(1).map(|p| &years[p]);
        let after = prev.map_or(i32::MIN, |p| p.year);
        if unloaded.iter().any(|&u| u > after && u < y.year) {
            continue;
        }
        for w in &district.withdrawn {
            let Some(p) = prev else {
                diags.push(Diagnostic::error(
                    &district.file,
                    w.pos,
                    format!(
                        "`withdrawn` 中的支部 `{}`：{} 年度之前没有年度文件夹，无从撤销",
                        w.id, y.year
                    ),
                ));
                continue;
            };
            if p.branch(&w.id).is_none() {
                // The likely meant ones: last year's branches that are gone this year.
                let gone = p
                    .branches
                    .iter()
                    .filter(|b| y.branch(&b.id).is_none())
                    .map(|b| b.id.as_str());
                let hint = suggest::hint(&w.id, gone);
                diags.push(
                    Diagnostic::error(
                        &district.file,
                        w.pos,
                        format!(
                            "`withdrawn` 中的 `{}` 不是上一年度（{}）的支部",
                            w.id, p.year
                        ),
                    )
                    .with_hint_opt(hint),
                );
            } else if let Some(b) = y.branch(&w.id) {
                diags.push(
                    Diagnostic::error(
                        &district.file,
                        w.pos,
                        format!("支部 `{}` 列为撤销，但本年度仍有它的记录 {}", w.id, b.file),
                    )
                    .with_hint("删除该记录，或从 `withdrawn` 中去掉它"),
                );
            }
        }
    }
}
