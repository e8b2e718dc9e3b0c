//! Calendar dates as records write them (`YYYY-MM-DD`): meetings, inspections, rectification
//! deadlines and the data cut-off of a year still in progress.

use std::fmt;

/// A real date; ordered as the calendar is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// `YYYY-MM-DD`, a date that exists (29 February only in a leap year); `None` otherwise.
    pub fn parse(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |s: &str| -> Option<u32> {
            s.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| s.parse().ok())
                .flatten()
        };
        let year = num(&text[0..4])? as i32;
        let month = num(&text[5..7])?;
        let day = num(&text[8..10])?;
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// 31 December of `year`: the cut-off of a year that is complete.
    pub fn end_of_year(year: i32) -> Date {
        Date {
            year,
            month: 12,
            day: 31,
        }
    }

    pub fn tuple(self) -> (i32, u32, u32) {
        (self.year, self.month, self.day)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_dates_only_and_orders_them() {
        let d = |s: &str| Date::parse(s);
        assert_eq!(d("2026-01-08").map(Date::tuple), Some((2026, 1, 8)));
        assert!(d("2024-02-29").is_some());
        assert_eq!(d("2026-02-29"), None);
        assert_eq!(d("2026-13-01"), None);
        assert_eq!(d("2026-1-8"), None);
        assert_eq!(d("2026-04-31"), None);
        assert_eq!(d("１２３４-01-01"), None);
        assert!(d("2026-06-30") < d("2026-07-01"));
        assert!(d("2025-12-31") < d("2026-01-01"));
        assert_eq!(Date::end_of_year(2026).to_string(), "2026-12-31");
    }
}
