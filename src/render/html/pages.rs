//! The context of each page: the view values as they are, plus where the page sits (its
//! `root`, navigation, breadcrumb) and the hrefs a template cannot work out by itself.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::markdown;
use super::paths::{self, branch_href, org_href, root_of};
use super::search::Doc;
use crate::render::chart::{self, Bar, BarChart, Tone};
use crate::view::{Ctx, YearStats, branch};

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
    /// The year's annual report view.
    pub report: &'a Value,
}

fn crumb(label: &str, href: &str) -> Value {
    json!({"label": label, "href": href})
}

impl Pages<'_> {
    pub fn year(&self) -> i32 {
        self.ctx.project.years[self.y].year
    }

    fn district_name(&self) -> String {
        self.report["district"]["name"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// What every page gets: `root`, `site`, `nav`, `page`, `pdf`.
    fn base(&self, page: &str, kind: &str, title: &str, crumbs: Vec<Value>) -> tera::Context {
        let year = self.year();
        let nav = [
            ("年度概览", format!("{year}/index.html"), kind == "year"),
            ("组织", format!("{year}/index.html#orgs"), false),
            ("支部排名", format!("{year}/index.html#ranking"), false),
            (
                "指标体系",
                format!("{year}/indicators.html"),
                kind == "indicators",
            ),
        ]
        .into_iter()
        .map(|(label, href, current)| json!({"label": label, "href": href, "current": current}))
        .collect::<Vec<_>>();
        let years: Vec<Value> = self
            .site
            .years
            .iter()
            .map(|y| json!({"year": y, "href": format!("{y}/index.html"), "current": *y == year}))
            .collect();
        let mut c = tera::Context::new();
        c.insert("root", &root_of(page));
        c.insert(
            "site",
            &json!({
                "title": "基层党组织建设质量评价",
                "issuer": self.district_name(),
                "year": year,
                "latest": self.site.latest,
                "years": years,
                "date": self.ctx.date(self.y),
                "generator": concat!("dangjian ", env!("CARGO_PKG_VERSION")),
                "system_name": self.report["system"]["name"],
                "system_version": self.report["system"]["version"],
            }),
        );
        c.insert("nav", &nav);
        c.insert(
            "page",
            &json!({"path": page, "kind": kind, "title": title, "crumbs": crumbs}),
        );
        c.insert("pdf", &self.pdf);
        c
    }

    fn year_crumb(&self) -> Value {
        crumb(
            &format!("{} 年度", self.year()),
            &format!("{}/index.html", self.year()),
        )
    }

    pub fn year_page(&self, page: &str) -> tera::Context {
        let title = self.report["title"].as_str().unwrap_or("");
        let mut c = self.base(page, "year", title, vec![self.year_crumb()]);
        c.insert("report", self.report);
        c.insert("home", &(page == "index.html"));
        c
    }

    /// The page of one organisation node (`None` for the district: its page is the year page).
    pub fn org_page(&self, _k: usize, org: &Value) -> Option<(String, tera::Context)> {
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
            let name = year
                .orgs
                .binary_search_by(|o| o.path.as_slice().cmp(&path[..d]))
                .ok()
                .map_or_else(|| path[d - 1].clone(), |i| year.orgs[i].name.clone());
            crumbs.push(crumb(&name, &org_href(self.year(), &path[..d])));
        }
        let name = org["name"].as_str().unwrap_or("");
        crumbs.push(crumb(name, &org_href(self.year(), &path)));
        let parent = &path[..path.len() - 1];
        let mut c = self.base(&file, "org", name, crumbs);
        c.insert("org", org);
        c.insert("parent_href", &org_href(self.year(), parent));
        c.insert("year", &self.year());
        c.insert("grades", &self.report["grades"]);
        c.insert("system", &self.report["system"]);
        Some((file, c))
    }

    pub fn indicators_page(&self, page: &str) -> tera::Context {
        let mut system = self.report["indicator_system"].clone();
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
        c.insert("indicator_system", &system);
        c.insert("system", &self.report["system"]);
        c.insert("year", &self.year());
        c
    }

    pub fn branch_page(&self, i: usize, stats: &YearStats) -> (String, tera::Context) {
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
            .map(|y| json!({"year": y, "href": branch_href(*y, &b.id), "current": *y == self.year()}))
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
        c.insert("b", &booklet);
        c.insert("year", &self.year());
        c.insert("org_href", &org_href(self.year(), &b.org));
        c.insert("other_years", &other_years);
        c.insert("previous_href", &previous_href);
        c.insert("narrative_html", &narrative);
        c.insert(
            "pdf_href",
            &self.pdf.then(|| paths::pdf_href(self.year(), &b.id)),
        );
        (file, c)
    }

    /// Branches and organisation nodes of the year, for the search index.
    pub fn search_docs(&self, docs: &mut Vec<Doc>) {
        let year = &self.ctx.project.years[self.y];
        let result = &self.ctx.assessment.years[self.y];
        let y = self.year();
        for o in &year.orgs {
            docs.push(Doc {
                t: o.name.clone(),
                u: org_href(y, &o.path),
                k: "org",
                y,
                s: o.kind.clone().unwrap_or_default(),
            });
        }
        for (b, r) in year.branches.iter().zip(&result.branches) {
            let org = year
                .orgs
                .binary_search_by(|o| o.path.cmp(&b.org))
                .ok()
                .map_or("", |i| year.orgs[i].name.as_str());
            let mut s = org.to_string();
            if let Some(n) = &b.narrative {
                s.push_str(" · ");
                s.push_str(&markdown::plain_text(&n.markdown, SEARCH_TEXT));
            }
            docs.push(Doc {
                t: r.name.clone(),
                u: branch_href(y, &b.id),
                k: "branch",
                y,
                s,
            });
        }
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
