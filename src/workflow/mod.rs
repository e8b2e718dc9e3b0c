//! The day-to-day workflow around a project: starting one (`init`), opening the next
//! assessment year (`new_year`) and previewing it live while it is written (`serve`).
//! Above `build` (serve rebuilds through it), below `cli` (only the command line prints).

pub mod init;
pub mod new_year;
pub mod serve;
pub mod yaml_text;

/// The current calendar year: from `SOURCE_DATE_EPOCH` when set (reproducible runs and
/// tests), otherwise from the clock (UTC).
pub fn this_year() -> i32 {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    let (y, _, _) = crate::view::format::civil_from_days(secs.div_euclid(86_400));
    y as i32
}
