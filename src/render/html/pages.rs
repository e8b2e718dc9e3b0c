//! The context of each page: the view values as they are, plus where the page sits (its
//! `root`, navigation, breadcrumb) and the hrefs a template cannot work out by itself.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::markdown;
use super::paths::{self, branch_href, org_href, root_of};
use super::search::{self, Doc};
use crate::chart::{self, Bar, BarChart, Tone};
use crate::view::{self, Ctx, YearStats, branch, report};

/// The longest narrative text put in the search index, in characters.
const SEARCH_TEXT: usize = 2000;

pub struct SiteInfo {
    /// Every rendered year, oldest first.
    years: Vec<i32>,
    latest: Option<i32>,
}

impl SiteInfo {
    pub fn new(ctx: &Ctx, years: &[usize]) -> SiteInfo {
        let years: Vec<i32> = years.iter().map(|&y| ctx.project.years[y].year).collect();
        SiteInfo {
            latest: years.last().copied(),
            years,
        }
    }
}

pub struct Pages<'a> {
    pub ctx: &'a Ctx<'a>,
    pub y: usize,
    pub site: &'a SiteInfo,
    pub pdf: bool,
    pub years_of: &'a HashMap<&'a str, Vec<i32>>,
}

/// How many rows of the ranking the year page shows; the ranking pages have them all.
pub const TOP: usize = 20;

/// Rows on one ranking page. A province has over a hundred thousand branches: one page of
/// them all would be some 90 MB of HTML that no browser can use (and its view alone took
/// hundreds of megabytes to build).
pub const RANKING_PAGE: usize = 1000;

/// One ranking of the site: the whole year (`category` `None`) or one category's branches,
/// in ranking order (indices into the year's results), cut into pages of [`RANKING_PAGE`].
pub struct RankingList {
    pub category: Option<String>,
    pub members: Vec<usize>,
}

impl RankingList {
    /// How many pages (at least one, even for an empty list).
    pub fn pages(&self) -> usize {
        self.members.len().div_ceil(RANKING_PAGE).max(1)
    }

    /// The members on page `number` (from 1).
    pub fn page(&self, number: usize) -> &[usize] {
        let start = (number.max(1) - 1) * RANKING_PAGE;
        let end = (start + RANKING_PAGE).min(self.members.len());
        self.members.get(start..end).unwrap_or(&[])
    }
}

/// A page's variables.
pub type Vars = serde_json::Map<String, Value>;

/// The pager of page `number` of `count`: `href(n)` is page n's site-relative href, `range(n)`
/// the ranks of its first and last rows.
fn pager(
    number: usize,
    count: usize,
    href: impl Fn(usize) -> String,
    range: impl Fn(usize) -> (Option<usize>, Option<usize>),
) -> Value {
    let pages: Vec<Value> = (1..=count)
        .map(|n| {
            let (first, last) = range(n);
            crate::obj!({
                "number": n,
                "href": href(n),
                "first": first,
                "last": last,
                "current": n == number,
            })
        })
        .collect();
    let link = |n: usize| (1..=count).contains(&n).then(|| href(n));
    let (first, last) = range(number.clamp(1, count.max(1)));
    crate::obj!({
        "number": number,
        "count": count,
        "first": first,
        "last": last,
        "prev": link(number.wrapping_sub(1)),
        "next": link(number + 1),
        "pages": pages,
    })
}

fn crumb(label: &str, href: &str) -> Value {
    crate::obj!({"label": label, "href": href})
}

/// A copy of `v` without the keys in `drop`.
fn without(v: &Value, drop: &[&str]) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !drop.contains(&k.as_str()))
                .map(|(k, x)| (k.clone(), x.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

impl Pages<'_> {
    pub fn year(&self) -> i32 {
        self.ctx.project.years[self.y].year
    }

    /// What every page gets: `root`, `site`, `nav`, `page`, `pdf`.
    fn base(&self, page: &str, kind: &str, title: &str, crumbs: Vec<Value>) -> Vars {
        let year = self.year();
        let data = &self.ctx.project.years[self.y];
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
        ]
        .into_iter()
        .map(|(label, href, current)| crate::obj!({"label": label, "href": href, "current": current}))
        .collect::<Vec<_>>();
        let years: Vec<Value> = self
            .site
            .years
            .iter()
            .map(|y| crate::obj!({"year": *y, "href": format!("{y}/index.html"), "current": *y == year}))
            .collect();
        let mut c = Vars::new();
        c.insert("root".into(), Value::String(root_of(page)));
        c.insert(
            "site".into(),
            json!({
                "title": "基层党组织建设质量评价",
                "issuer": view::issuer(data),
                "year": year,
                "latest": self.site.latest,
                "years": years,
                "date": self.ctx.date(self.y),
                "generator": concat!("dangjian ", env!("CARGO_PKG_VERSION")),
                "system_name": data.system.name,
                "system_version": data.system.version,
            }),
        );
        c.insert("nav".into(), Value::Array(nav));
        c.insert(
            "page".into(),
            crate::obj!({"path": page, "kind": kind, "title": title, "crumbs": crumbs}),
        );
        c.insert("pdf".into(), Value::Bool(self.pdf));
        c
    }

    fn year_crumb(&self) -> Value {
        crumb(
            &format!("{} 年度", self.year()),
            &format!("{}/index.html", self.year()),
        )
    }

    /// The year page: the report without the long lists, which have pages of their own
    /// (the ranking page, the organisation pages); the first rows of the ranking.
    pub fn year_page(&self, rep: &Value, page: &str) -> Vars {
        let title = rep["title"].as_str().unwrap_or("");
        let mut c = self.base(page, "year", title, vec![self.year_crumb()]);
        let mut r = without(
            rep,
            &[
                "ranking",
                "rankings",
                "orgs",
                "indicator_system",
                "rectification",
            ],
        );
        let ranking = rep["ranking"].as_array().map_or(&[][..], Vec::as_slice);
        r["ranking"] = Value::Array(ranking.iter().take(TOP).cloned().collect());
        // Each category with the href of its ranking page.
        r["rankings"] = Value::Array(
            rep["rankings"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|k| {
                    let mut k = without(k, &["rows"]);
                    let href = paths::ranking_href(self.year(), k["category"]["id"].as_str(), 1);
                    k["href"] = Value::String(href);
                    k
                })
                .collect(),
        );
        // Only the district's own branches are listed here; every other node's are on its page.
        r["orgs"] = Value::Array(
            rep["orgs"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|o| {
                    if o["depth"] == 0 {
                        without(o, &["children"])
                    } else {
                        without(o, &["children", "members"])
                    }
                })
                .collect(),
        );
        let rect = rep["rectification"]
            .as_array()
            .map_or(&[][..], Vec::as_slice);
        r["rectification_count"] = json!(rect.len());
        r["rectification"] = Value::Array(rect[rect.len().saturating_sub(TOP)..].to_vec());
        let mut counts = Vars::new();
        for dir in ["up", "down"] {
            let list = rep["movers"][dir].as_array().map_or(&[][..], Vec::as_slice);
            counts.insert(dir.into(), json!(list.len()));
            r["movers"][dir] = Value::Array(list.iter().take(TOP).cloned().collect());
        }
        r["movers_count"] = Value::Object(counts);
        c.insert("report".into(), r);
        c.insert("home".into(), Value::Bool(page == "index.html"));
        c
    }

    /// Page `number` (from 1) of ranking list `k` of `lists`: at most [`RANKING_PAGE`] rows
    /// of the year's ranking or of one category's. `rep` is the report without its long
    /// lists (its `rankings` give each category's counts).
    pub fn ranking_page(
        &self,
        rep: &Value,
        lists: &[RankingList],
        k: usize,
        number: usize,
    ) -> (String, Vars) {
        let year = self.year();
        let data = &self.ctx.project.years[self.y];
        let result = &self.ctx.assessment.years[self.y];
        let list = &lists[k];
        let cat = list.category.as_deref();
        let file = paths::ranking_page(year, cat, number);
        let count = list.pages();
        let summaries = rep["rankings"].as_array().map_or(&[][..], Vec::as_slice);
        let summary_of = |id: &str| {
            summaries
                .iter()
                .find(|c| c["category"]["id"] == id)
                .cloned()
                .unwrap_or(Value::Null)
        };
        let rank_of = |i: usize| {
            let b = &result.branches[i];
            if cat.is_some() {
                b.rank_in_category
            } else {
                b.rank
            }
        };
        let this = list.page(number);
        let pager = pager(
            number,
            count,
            |n| paths::ranking_href(year, cat, n),
            |n| {
                let part = list.page(n);
                (
                    part.first().map(|&i| rank_of(i)),
                    part.last().map(|&i| rank_of(i)),
                )
            },
        );
        let rows: Vec<Value> = this
            .iter()
            .map(|&i| {
                let b = &result.branches[i];
                if cat.is_some() {
                    report::category_row(data, b)
                } else {
                    report::row(data, b)
                }
            })
            .collect();
        let nav: Vec<Value> = lists
            .iter()
            .enumerate()
            .map(|(j, l)| {
                let label = l.category.as_deref().map_or("全部支部", |c| {
                    data.system.category_label(c).unwrap_or(c)
                });
                crate::obj!({
                    "label": label,
                    "branches": l.members.len(),
                    "href": paths::ranking_href(year, l.category.as_deref(), 1),
                    "current": j == k,
                })
            })
            .collect();
        let category = cat.map_or(Value::Null, summary_of);
        let title = match cat {
            None => format!("{year} 年度支部排名"),
            Some(c) => format!(
                "{year} 年度{}类支部排名",
                data.system.category_label(c).unwrap_or(c)
            ),
        };
        let title = if count > 1 {
            format!("{title}（第 {number} 页）")
        } else {
            title
        };
        let mut crumbs = vec![
            self.year_crumb(),
            crumb("支部排名", &paths::ranking_page(year, None, 1)),
        ];
        if cat.is_some() || number > 1 {
            crumbs.push(crumb(&title, &file));
        }
        let mut c = self.base(&file, "ranking", &title, crumbs);
        c.insert("ranking".into(), Value::Array(rows));
        c.insert("category".into(), category);
        c.insert("lists".into(), Value::Array(nav));
        c.insert("pager".into(), pager);
        c.insert("summary".into(), rep["summary"].clone());
        c.insert("year".into(), json!(year));
        (file, c)
    }

    /// The rectification list, [`RANKING_PAGE`] branches a page (in ranking order), each
    /// page with the guidance of the indicators its rows name (once each, in the order of
    /// the indicator system); the rows are moved out of the report.
    pub fn rectification_pages(&self, rep: &mut Value) -> Vec<(String, Vars)> {
        let year = self.year();
        let rows = match rep["rectification"].take() {
            Value::Array(rows) => rows,
            _ => Vec::new(),
        };
        let total = rows.len();
        // At least one page, even for an empty list.
        let mut parts: Vec<Vec<Value>> = vec![Vec::new()];
        for row in rows {
            if parts.last().is_some_and(|p| p.len() == RANKING_PAGE) {
                parts.push(Vec::new());
            }
            if let Some(p) = parts.last_mut() {
                p.push(row);
            }
        }
        let count = parts.len();
        let rank = |row: Option<&Value>| row.and_then(|r| r["rank"].as_u64()).map(|r| r as usize);
        let ranges: Vec<(Option<usize>, Option<usize>)> = parts
            .iter()
            .map(|p| (rank(p.first()), rank(p.last())))
            .collect();
        let sys = &self.ctx.project.years[self.y].system;
        parts
            .into_iter()
            .zip(1..)
            .map(|(page_rows, number)| {
                let file = paths::rectification_page(year, number);
                let title = if count > 1 {
                    format!("{year} 年度整改清单（第 {number} 页）")
                } else {
                    format!("{year} 年度整改清单")
                };
                let mut crumbs = vec![
                    self.year_crumb(),
                    crumb("整改清单", &paths::rectification_page(year, 1)),
                ];
                if number > 1 {
                    crumbs.push(crumb(&title, &file));
                }
                let mut c = self.base(&file, "rectification", &title, crumbs);
                let named: std::collections::BTreeSet<&str> = page_rows
                    .iter()
                    .flat_map(|x| x["fix_first"].as_array().into_iter().flatten())
                    .filter_map(|f| f["id"].as_str())
                    .collect();
                let guidance: Vec<Value> = sys
                    .dimensions
                    .iter()
                    .flat_map(|d| &d.indicators)
                    .filter(|i| named.contains(i.id.as_str()))
                    .filter_map(|i| {
                        let g = i.guidance.as_ref()?;
                        Some(json!({"id": i.id, "label": i.label, "guidance": g}))
                    })
                    .collect();
                let pager = pager(
                    number,
                    count,
                    |n| paths::rectification_page(year, n),
                    |n| ranges[n - 1],
                );
                c.insert("guidance".into(), Value::Array(guidance));
                c.insert("rectification".into(), Value::Array(page_rows));
                c.insert("rectification_count".into(), json!(total));
                c.insert("pager".into(), pager);
                c.insert("grades".into(), rep["grades"].clone());
                c.insert("year".into(), json!(year));
                (file, c)
            })
            .collect()
    }

    /// The page of one organisation node (`None` for the district: its page is the year page),
    /// with the rows of its own branches (`members`: indices by node, from
    /// [`report::org_members`]).
    pub fn org_page(
        &self,
        rep: &Value,
        org: &Value,
        members: &HashMap<&[String], Vec<usize>>,
    ) -> Option<(String, Vars)> {
        let path: Vec<String> = org["org"]
            .as_array()?
            .iter()
            .filter_map(|s| s.as_str().map(String::from))
            .collect();
        let file = paths::org_page(self.year(), &path);
        if path.is_empty() {
            return None;
        }
        let year = &self.ctx.project.years[self.y];
        let mut crumbs = vec![self.year_crumb()];
        for d in 1..path.len() {
            let name = view::org_at(year, &path[..d])
                .map_or_else(|| path[d - 1].clone(), |o| o.name.clone());
            crumbs.push(crumb(&name, &org_href(self.year(), &path[..d])));
        }
        let name = org["name"].as_str().unwrap_or("");
        crumbs.push(crumb(name, &org_href(self.year(), &path)));
        let parent = &path[..path.len() - 1];
        let mut c = self.base(&file, "org", name, crumbs);
        let mut org = org.clone();
        let own = members.get(path.as_slice()).map_or(&[][..], Vec::as_slice);
        org["members"] = Value::Array(report::rows_of(
            year,
            &self.ctx.assessment.years[self.y],
            own,
        ));
        c.insert("org".into(), org);
        c.insert(
            "parent_href".into(),
            Value::String(org_href(self.year(), parent)),
        );
        c.insert("year".into(), json!(self.year()));
        c.insert("grades".into(), rep["grades"].clone());
        c.insert("system".into(), rep["system"].clone());
        Some((file, c))
    }

    /// The indicator system with a chart per indicator; moved out of the report.
    pub fn indicators_page(&self, rep: &mut Value, page: &str) -> Vars {
        let mut system = rep["indicator_system"].take();
        if let Some(dims) = system["dimensions"].as_array_mut() {
            for (dk, d) in dims.iter_mut().enumerate() {
                let dim_label = d["label"].as_str().unwrap_or("").to_string();
                if let Some(inds) = d["indicators"].as_array_mut() {
                    for (ik, ind) in inds.iter_mut().enumerate() {
                        ind["chart"] = distribution_chart(self.year(), dk, ik, &dim_label, ind);
                    }
                }
            }
        }
        let crumbs = vec![self.year_crumb(), crumb("指标体系", page)];
        let mut c = self.base(
            page,
            "indicators",
            &format!("{} 年度指标体系", self.year()),
            crumbs,
        );
        c.insert("indicator_system".into(), system);
        c.insert("system".into(), rep["system"].clone());
        c.insert("year".into(), json!(self.year()));
        c
    }

    pub fn branch_page(&self, i: usize, stats: &YearStats) -> (String, Vars) {
        let year = &self.ctx.project.years[self.y];
        let b = &year.branches[i];
        let file = paths::branch_page(self.year(), &b.id);
        let root = root_of(&file);
        let booklet = branch::booklet(self.ctx, self.y, i, stats);
        let name = booklet["branch"]["name"]
            .as_str()
            .unwrap_or(&b.id)
            .to_string();
        let mut crumbs = vec![self.year_crumb()];
        for o in booklet["branch"]["org_path"]
            .as_array()
            .into_iter()
            .flatten()
            .skip(1)
        {
            let path: Vec<String> = o["id"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s.as_str().map(String::from))
                .collect();
            crumbs.push(crumb(
                o["name"].as_str().unwrap_or(""),
                &org_href(self.year(), &path),
            ));
        }
        crumbs.push(crumb(&name, &branch_href(self.year(), &b.id)));
        let other_years: Vec<Value> = self
            .years_of
            .get(b.id.as_str())
            .into_iter()
            .flatten()
            .map(|y| crate::obj!({"year": *y, "href": branch_href(*y, &b.id), "current": *y == self.year()}))
            .collect();
        let previous_href = booklet["result"]["previous_year"]
            .as_i64()
            .and_then(|p| i32::try_from(p).ok())
            .filter(|p| {
                self.years_of
                    .get(b.id.as_str())
                    .is_some_and(|ys| ys.contains(p))
            })
            .map(|p| branch_href(p, &b.id));
        let narrative = b
            .narrative
            .as_ref()
            .map(|n| markdown::to_html(&n.markdown, &n.file, &n.assets, &root));
        let mut c = self.base(&file, "branch", &name, crumbs);
        c.insert("b".into(), booklet);
        c.insert("year".into(), json!(self.year()));
        c.insert(
            "org_href".into(),
            Value::String(org_href(self.year(), &b.org)),
        );
        c.insert("other_years".into(), Value::Array(other_years));
        c.insert("previous_href".into(), json!(previous_href));
        c.insert("narrative_html".into(), json!(narrative));
        c.insert(
            "pdf_href".into(),
            json!(self.pdf.then(|| paths::pdf_href(self.year(), &b.id))),
        );
        (file, c)
    }

    /// The year's organisation nodes and branches for the search index, as chunks of
    /// [`search::push_doc`] documents, appended to `chunks`: made in parallel, a chunk of
    /// branches at a time (the text of each narrative is read out of its Markdown).
    pub fn search_chunks(&self, chunks: &mut Vec<Vec<u8>>) {
        use rayon::prelude::*;
        const CHUNK: usize = 512;
        let year = &self.ctx.project.years[self.y];
        let result = &self.ctx.assessment.years[self.y];
        let y = self.year();
        let (mut orgs, mut json) = (Vec::new(), Vec::new());
        for o in &year.orgs {
            let doc = Doc {
                t: &o.name,
                u: org_href(y, &o.path),
                k: "org",
                y,
                s: o.kind.clone().unwrap_or_default(),
            };
            search::push_doc(&mut orgs, &mut json, &doc);
        }
        chunks.push(orgs);
        let branches: Vec<Vec<u8>> = year
            .branches
            .par_chunks(CHUNK)
            .zip(result.branches.par_chunks(CHUNK))
            .map(|(bs, rs)| {
                let (mut out, mut json) = (Vec::new(), Vec::new());
                for (b, r) in bs.iter().zip(rs) {
                    let org = b
                        .org_node
                        .and_then(|i| year.orgs.get(i))
                        .map_or("", |o| o.name.as_str());
                    let mut s = org.to_string();
                    if let Some(n) = &b.narrative {
                        s.push_str(" · ");
                        s.push_str(&markdown::plain_text(&n.markdown, SEARCH_TEXT));
                    }
                    let doc = Doc {
                        t: &r.name,
                        u: branch_href(y, &b.id),
                        k: "branch",
                        y,
                        s,
                    };
                    search::push_doc(&mut out, &mut json, &doc);
                }
                out
            })
            .collect();
        chunks.extend(branches);
    }
}

/// A small bar chart of how the year's branches scored on one indicator.
fn distribution_chart(year: i32, dk: usize, ik: usize, dim: &str, ind: &Value) -> Value {
    let s = &ind["stats"];
    let n = |k: &str| s[k].as_u64().unwrap_or(0);
    let rows = [
        ("满分", n("full"), Tone::Accent),
        ("部分得分", n("partial"), Tone::Neutral),
        ("零分", n("zero"), Tone::Hatched),
        ("缺少数据", n("missing"), Tone::Light),
    ];
    let texts: Vec<String> = rows.iter().map(|(_, c, _)| format!("{c} 个")).collect();
    let bars: Vec<Bar> = rows
        .iter()
        .zip(&texts)
        .map(|((label, c, tone), t)| Bar {
            label,
            value: *c as f64,
            max: None,
            value_text: t,
            tone: *tone,
        })
        .collect();
    let label = ind["label"].as_str().unwrap_or("");
    let title = format!("{dim} · {label}：各支部得分情况");
    let svg = chart::bar_chart(&BarChart {
        id_prefix: &format!("ind-{year}-{dk}-{ik}"),
        title: &title,
        summary: Some("适用支部按得分情况分组的个数"),
        bars: &bars,
        scale: Some(n("branches").max(1) as f64),
    });
    match svg {
        // The sentence beside the chart already gives every number: no caption.
        Ok(svg) => json!({"svg": svg, "caption": Value::Null}),
        Err(_) => Value::Null,
    }
}
