//! Dates in records: real `YYYY-MM-DD` dates, inside the folder's year and, in a year still
//! in progress, not after its data cut-off (`as_of`).

use crate::model::Date;
use crate::yaml::{Node, Reader};

/// What a record's dates are checked against.
#[derive(Debug, Clone, Copy)]
pub struct YearDates {
    pub year: i32,
    pub as_of: Option<Date>,
}

/// A real date, or an error at the node.
pub fn date(r: &mut Reader, n: &Node, what: &str) -> Option<Date> {
    let text = r.nonblank(n, what)?;
    let d = Date::parse(&text);
    if d.is_none() {
        r.error(
            n.pos,
            format!("{what} `{text}` 不是 YYYY-MM-DD 格式的真实日期"),
        )
        .hint = Some("例如 2026-06-30".into());
    }
    d
}

/// A date of what happened during the year (a meeting, the inspection, a completion): in
/// the folder's year and not after `as_of`.
pub fn in_year(r: &mut Reader, n: &Node, what: &str, y: YearDates) -> Option<Date> {
    let d = date(r, n, what)?;
    if d.year != y.year {
        r.error(
            n.pos,
            format!("日期 {d} 不在所在年度文件夹的 {} 年内", y.year),
        );
        return None;
    }
    if let Some(as_of) = y.as_of
        && d > as_of
    {
        r.error(
            n.pos,
            format!("日期 {d} 晚于本年度的数据截止日 {as_of}（_org.yaml 的 `as_of`）"),
        )
        .hint = Some("截止日之后的事项记入下一次填报；或更新 `as_of`".into());
        return None;
    }
    Some(d)
}
