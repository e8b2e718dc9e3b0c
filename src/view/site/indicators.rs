//! The indicator page (`<year>/indicators.html`): the indicator system with a chart of how
//! the branches scored on each indicator.

use schemars::JsonSchema;
use serde::Serialize;

use super::YearPages;
use super::frame::{Page, crumb};
use crate::view::charts;
use crate::view::report::{self, IndicatorSystemView, ReportSystem};

/// 指标体系页面的变量（`indicators.html`）。
///
/// The variables of the indicator page (`indicators.html`).
#[derive(Serialize, JsonSchema)]
pub struct IndicatorsPage<'a> {
    /// 指标体系，每个指标带 `chart`。
    ///
    /// The indicator system, each indicator with its `chart`.
    pub indicator_system: IndicatorSystemView<'a>,
    /// 本年度的指标体系及与上年的比较。
    ///
    /// The year's system, against last year's.
    pub system: ReportSystem<'a>,
    /// 年度。
    ///
    /// The year.
    pub year: i32,
}

impl<'a> YearPages<'a> {
    pub fn indicators_page(&self) -> (String, Page<'a, IndicatorsPage<'a>>) {
        let ctx = self.ctx();
        let (year, result) = ctx.year(self.y);
        let y = self.year();
        let mut system = report::indicator_system(year, result);
        for (dk, d) in system.dimensions.iter_mut().enumerate() {
            for (ik, ind) in d.indicators.iter_mut().enumerate() {
                let chart = charts::distribution(
                    y,
                    (dk, ik),
                    d.label.as_str(),
                    ind.label.as_str(),
                    &ind.stats,
                );
                ind.chart = Some(chart);
            }
        }
        let file = format!("{y}/indicators.html");
        let crumbs = vec![self.year_crumb(), crumb("指标体系", &file)];
        let vars = IndicatorsPage {
            indicator_system: system,
            system: report::report_system(ctx, self.y),
            year: y,
        };
        let page = self.frame(
            &file,
            "indicators",
            format!("{y} 年度指标体系"),
            crumbs,
            vars,
        );
        (file, page)
    }
}
