//! What every page of the site gets around its own variables: where it sits (`root`,
//! `page`), the site's name and years, the navigation, breadcrumbs, and the pager of the
//! pages that come in parts.

use schemars::JsonSchema;
use serde::Serialize;

use super::YearPages;
use super::paths::root_of;
use crate::view::text::Text;

/// 一个页面的全部变量：每个页面都有的 `root`、`site`、`nav`、`page`、`pdf`，加上该页面自己的变量。
///
/// Every variable of one page: `root`, `site`, `nav`, `page` and `pdf`, which every page
/// has, and the page's own.
#[derive(Serialize, JsonSchema)]
pub struct Page<'a, T> {
    /// 从本页到网站根目录的相对路径：`""`、`"../"`、`"../../"`；每个链接都以它开头。
    ///
    /// The path from this page to the site root: `""`, `"../"`, `"../../"`; every href
    /// starts with it.
    pub root: String,
    /// 网站信息。
    ///
    /// The site.
    pub site: SiteHead<'a>,
    /// 主导航。
    ///
    /// The main navigation.
    pub nav: Vec<NavItem>,
    /// 本页。
    ///
    /// This page.
    pub page: PageInfo<'a>,
    /// 是否生成了 PDF（考评手册和年度报告）。
    ///
    /// Whether the PDFs (booklets, annual report) are built.
    pub pdf: bool,
    #[serde(flatten)]
    pub vars: T,
}

/// 网站信息。
///
/// The site.
#[derive(Serialize, JsonSchema)]
pub struct SiteHead<'a> {
    /// 网站名称：“基层党组织建设质量评价”。
    ///
    /// The site's title.
    pub title: Text<'static>,
    /// 区（县）党组织的名称。
    ///
    /// The district's name.
    pub issuer: Text<'a>,
    /// 本页的年度。
    ///
    /// This page's year.
    pub year: i32,
    /// 网站中最新的年度。
    ///
    /// The latest year of the site.
    pub latest: Option<i32>,
    /// 网站中的全部年度，早的在前。
    ///
    /// Every year of the site, oldest first.
    pub years: Vec<YearLink>,
    /// 数据日期。
    ///
    /// The date of the data.
    pub date: Text<'a>,
    /// 生成工具及版本，如“dangjian 0.1.0”。
    ///
    /// The generator and its version, e.g. `dangjian 0.1.0`.
    pub generator: &'static str,
    /// 指标体系名称。
    ///
    /// The indicator system's name.
    pub system_name: Text<'a>,
    /// 指标体系版本；未标版本时为 null。
    ///
    /// Its version; null when none is given.
    pub system_version: Option<Text<'a>>,
    /// 本页年度为年中检查时：截止日期和“暂计”的说明（每个页面顶部显示）；全年考评时为 null。
    ///
    /// When this page's year is in progress: its cut-off and the provisional mark (shown at
    /// the top of every page); null for a finished year.
    pub stage: Option<crate::view::cycle::Stage>,
}

/// 一个年度及其页面的链接。
///
/// A year and the href of its page.
#[derive(Serialize, JsonSchema)]
pub struct YearLink {
    /// 年度。
    ///
    /// The year.
    pub year: i32,
    /// 链接（相对于网站根目录）。
    ///
    /// Its href, from the site root.
    pub href: String,
    /// 是否为本页的年度。
    ///
    /// Whether it is this page's year.
    pub current: bool,
}

/// 导航中的一项。
///
/// One item of the navigation.
#[derive(Serialize, JsonSchema)]
pub struct NavItem {
    /// 文字。
    ///
    /// Its text.
    pub label: Text<'static>,
    /// 链接（相对于网站根目录）。
    ///
    /// Its href, from the site root.
    pub href: String,
    /// 是否为本页所在的一项。
    ///
    /// Whether this page is under it.
    pub current: bool,
}

/// 本页的位置和标题。
///
/// Where this page is and what it is called.
#[derive(Serialize, JsonSchema)]
pub struct PageInfo<'a> {
    /// 本页文件（相对于网站根目录）。
    ///
    /// This page's file, from the site root.
    pub path: String,
    /// 页面类型：`year`、`ranking`、`rectification`、`org`、`branch`、`indicators`、`rulebook`。
    ///
    /// The kind of page.
    pub kind: &'static str,
    /// 页面标题。
    ///
    /// Its title.
    pub title: Text<'a>,
    /// 面包屑导航，最后一项为本页。
    ///
    /// The breadcrumb, this page last.
    pub crumbs: Vec<Crumb<'a>>,
}

/// 面包屑导航中的一项。
///
/// One step of the breadcrumb.
#[derive(Serialize, JsonSchema)]
pub struct Crumb<'a> {
    /// 文字。
    ///
    /// Its text.
    pub label: Text<'a>,
    /// 链接（相对于网站根目录）。
    ///
    /// Its href, from the site root.
    pub href: String,
}

/// 分页：排名和整改清单每页 1000 行。
///
/// The pager of a list cut into pages of 1,000 rows.
#[derive(Serialize, JsonSchema)]
pub struct Pager {
    /// 本页是第几页（从 1 开始）。
    ///
    /// This page's number, from 1.
    pub number: usize,
    /// 共几页（至少 1 页）。
    ///
    /// How many pages (at least one).
    pub count: usize,
    /// 本页第一行的名次；本页为空时为 null。
    ///
    /// The rank of this page's first row; null when it is empty.
    pub first: Option<usize>,
    /// 本页最后一行的名次；本页为空时为 null。
    ///
    /// The rank of its last row; null when it is empty.
    pub last: Option<usize>,
    /// 上一页的链接；没有时为 null。
    ///
    /// The previous page's href; null on the first.
    pub prev: Option<String>,
    /// 下一页的链接；没有时为 null。
    ///
    /// The next page's href; null on the last.
    pub next: Option<String>,
    /// 每一页。
    ///
    /// Every page.
    pub pages: Vec<PagerLink>,
}

/// 分页中的一页。
///
/// One page of a pager.
#[derive(Serialize, JsonSchema)]
pub struct PagerLink {
    /// 第几页。
    ///
    /// Its number.
    pub number: usize,
    /// 链接（相对于网站根目录）。
    ///
    /// Its href, from the site root.
    pub href: String,
    /// 该页第一行的名次。
    ///
    /// The rank of its first row.
    pub first: Option<usize>,
    /// 该页最后一行的名次。
    ///
    /// The rank of its last row.
    pub last: Option<usize>,
    /// 是否为本页。
    ///
    /// Whether it is this page.
    pub current: bool,
}

/// The pager of page `number` of `count`: `href(n)` is page n's site-relative href, `range(n)`
/// the ranks of its first and last rows.
pub fn pager(
    number: usize,
    count: usize,
    href: impl Fn(usize) -> String,
    range: impl Fn(usize) -> (Option<usize>, Option<usize>),
) -> Pager {
    let pages = (1..=count)
        .map(|n| {
            let (first, last) = range(n);
            PagerLink {
                number: n,
                href: href(n),
                first,
                last,
                current: n == number,
            }
        })
        .collect();
    let link = |n: usize| (1..=count).contains(&n).then(|| href(n));
    let (first, last) = range(number.clamp(1, count.max(1)));
    Pager {
        number,
        count,
        first,
        last,
        prev: link(number.wrapping_sub(1)),
        next: link(number + 1),
        pages,
    }
}

pub fn crumb<'a>(label: impl Into<Text<'a>>, href: &str) -> Crumb<'a> {
    Crumb {
        label: label.into(),
        href: href.to_string(),
    }
}

impl<'a> YearPages<'a> {
    /// Page `path` of `kind` with `title`, `crumbs` and its own variables.
    pub fn frame<T>(
        &self,
        path: &str,
        kind: &'static str,
        title: impl Into<Text<'a>>,
        crumbs: Vec<Crumb<'a>>,
        vars: T,
    ) -> Page<'a, T> {
        let year = self.year();
        let data = &self.ctx().project.years[self.y];
        let nav = [
            ("年度概览", format!("{year}/index.html"), kind == "year"),
            ("组织", format!("{year}/index.html#orgs"), false),
            (
                "支部排名",
                format!("{year}/ranking.html"),
                kind == "ranking",
            ),
            (
                "指标体系",
                format!("{year}/indicators.html"),
                kind == "indicators",
            ),
            (
                "考核细则",
                super::rulebook::rulebook_file(year),
                kind == "rulebook",
            ),
        ]
        .into_iter()
        .map(|(label, href, current)| NavItem {
            label: label.into(),
            href,
            current,
        })
        .collect();
        Page {
            root: root_of(path),
            site: SiteHead {
                title: "基层党组织建设质量评价".into(),
                issuer: crate::view::issuer(data),
                year,
                latest: self.site.latest,
                years: self
                    .site
                    .years
                    .iter()
                    .map(|&y| YearLink {
                        year: y,
                        href: format!("{y}/index.html"),
                        current: y == year,
                    })
                    .collect(),
                date: self.ctx().date(self.y).into(),
                generator: concat!("dangjian ", env!("CARGO_PKG_VERSION")),
                system_name: (&data.system.name).into(),
                system_version: data.system.version.as_ref().map(Text::from),
                stage: crate::view::cycle::stage(data),
            },
            nav,
            page: PageInfo {
                path: path.to_string(),
                kind,
                title: title.into(),
                crumbs,
            },
            pdf: self.site.pdf,
            vars,
        }
    }

    /// The breadcrumb of the year page.
    pub fn year_crumb(&self) -> Crumb<'a> {
        crumb(
            format!("{} 年度", self.year()),
            &format!("{}/index.html", self.year()),
        )
    }
}
