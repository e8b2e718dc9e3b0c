//! The context of each page: the view values as they are, plus where the page sits (its
//! `root`, navigation, breadcrumb) and the hrefs a template cannot work out by itself.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::markdown;
use super::paths::{self, branch_href, org_href, root_of};
use super::search::Doc;
use crate::render::chart::{self, Bar, BarChart, Tone};
use crate::view::{self, Ctx, YearStats, branch};

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

/// How many rows of the ranking the year page shows; the ranking page has them all.
pub const TOP: usize = 20;

/// A page's variables.
pub type Vars = serde_json::Map<String, Value>;

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
        r["rankings"] = Value::Array(
            rep["rankings"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|k| without(k, &["rows"]))
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

    /// The whole ranking, overall and by category; moved out of the report.
    pub fn ranking_page(&self, rep: &mut Value, page: &str) -> Vars {
        let crumbs = vec![self.year_crumb(), crumb("支部排名", page)];
        let mut c = self.base(
            page,
            "ranking",
            &format!("{} 年度支部排名", self.year()),
            crumbs,
        );
        c.insert("ranking".into(), rep["ranking"].take());
        c.insert("rankings".into(), rep["rankings"].take());
        c.insert("summary".into(), rep["summary"].clone());
        c.insert("year".into(), json!(self.year()));
        c
    }

    /// Every branch that needs a rectification plan, and the guidance of the indicators the
    /// list names (once each, in the order of the indicator system); moved out of the report.
    pub fn rectification_page(&self, rep: &mut Value, page: &str) -> Vars {
        let crumbs = vec![self.year_crumb(), crumb("整改清单", page)];
        let mut c = self.base(
            page,
            "rectification",
            &format!("{} 年度整改清单", self.year()),
            crumbs,
        );
        let rows = rep["rectification"].take();
        let named: std::collections::BTreeSet<&str> = rows
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|x| x["fix_first"].as_array().into_iter().flatten())
            .filter_map(|f| f["id"].as_str())
            .collect();
        let sys = &self.ctx.project.years[self.y].system;
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
        c.insert("guidance".into(), Value::Array(guidance));
        c.insert("rectification".into(), rows);
        c.insert("grades".into(), rep["grades"].clone());
        c.insert("year".into(), json!(self.year()));
        c
    }

    /// The page of one organisation node (`None` for the district: its page is the year page).
    pub fn org_page(&self, rep: &Value, org: &Value) -> Option<(String, Vars)> {
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
        c.insert("org".into(), org.clone());
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
