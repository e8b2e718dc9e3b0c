//! End-to-end tests of the HTML site (`dangjian build --no-pdf`): every branch has a page,
//! the numbers on the pages are the numbers of `score --format json`, every relative link
//! and anchor resolves, nothing is loaded from the network, narratives cannot inject HTML,
//! a user theme overrides a template, and the output is byte-identical run to run.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

/// Builds the site of `root` into `out` (no PDF), through the binary's `build` command when
/// it has one, otherwise through the library.
fn build(root: &Path, out: &Path, theme: Option<&Path>) -> Result<(), String> {
    let has_build = run(&["build", "--help"]).status.success();
    if has_build {
        let root_s = root.to_string_lossy().into_owned();
        let out_s = out.to_string_lossy().into_owned();
        let mut args = vec!["build", "--root", &root_s, "--no-pdf", "--out", &out_s];
        let theme_s = theme.map(|t| t.to_string_lossy().into_owned());
        if let Some(t) = &theme_s {
            args.extend(["--theme", t]);
        }
        let o = run(&args);
        return if o.status.success() {
            Ok(())
        } else {
            Err(stderr(&o))
        };
    }
    let (scored, _) = dangjian::pipeline::validate(root, false);
    let scored = scored.ok_or("validation failed")?;
    let ctx = dangjian::view::Ctx::new(&scored.project, &scored.assessment, None);
    let theme = dangjian::render::theme::Theme::new(root, theme).map_err(|d| d.to_string())?;
    let years: Vec<usize> = (0..scored.project.years.len()).collect();
    std::fs::create_dir_all(out).unwrap();
    let outputs = dangjian::render::reuse::Outputs::open(None);
    dangjian::render::html::render(&ctx, &years, &theme, false, out, &outputs, None)
        .map(|_| ())
        .map_err(|e| {
            e.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        })
}

fn files(dir: &Path) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, p);
            }
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let hex = (b[i] == b'%' && i + 2 < b.len())
            .then(|| u8::from_str_radix(&s[i + 1..i + 3], 16).ok())
            .flatten();
        if let Some(v) = hex {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Every value of `attr="…"` in the page (the templates always quote with `"`).
fn attrs(html: &str, attr: &str) -> Vec<String> {
    let pat = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&pat) {
        rest = &rest[i + pat.len()..];
        let end = rest.find('"').unwrap();
        out.push(unescape(&rest[..end]));
        rest = &rest[end..];
    }
    out
}

/// Tags with a src/href that loads something: `<link>`, `<script>`, `<img>`, `<iframe>` …
fn resource_urls(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for tag in [
        "<link ", "<script ", "<img ", "<iframe ", "<source ", "<video ", "<audio ", "<embed ",
        "<object ",
    ] {
        let mut rest = html;
        while let Some(i) = rest.find(tag) {
            rest = &rest[i..];
            let end = rest.find('>').unwrap();
            let t = &rest[..end];
            out.extend(attrs(t, "src"));
            out.extend(attrs(t, "href"));
            out.extend(attrs(t, "data"));
            rest = &rest[end..];
        }
    }
    out
}

/// Checks every relative `href`/`src` of every HTML page: the file exists and the `#anchor`
/// is an `id` in it. Returns the broken links.
fn broken_links(site: &Path) -> (usize, Vec<String>) {
    let all = files(site);
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, p) in &all {
        if rel.ends_with(".html") {
            let html = std::fs::read_to_string(p).unwrap();
            ids.insert(rel.clone(), attrs(&html, "id").into_iter().collect());
        }
    }
    let mut checked = 0;
    let mut broken = Vec::new();
    for (rel, p) in &all {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = std::fs::read_to_string(p).unwrap();
        for url in attrs(&html, "href").into_iter().chain(attrs(&html, "src")) {
            if url.starts_with("https://")
                || url.starts_with("http://")
                || url.starts_with("mailto:")
            {
                continue;
            }
            checked += 1;
            let (path, frag) = match url.split_once('#') {
                Some((p, f)) => (p, Some(percent_decode(f))),
                None => (url.as_str(), None),
            };
            let target = if path.is_empty() {
                rel.clone()
            } else {
                let mut parts: Vec<String> = rel.split('/').map(String::from).collect();
                parts.pop();
                for seg in percent_decode(path).split('/') {
                    match seg {
                        "." | "" => {}
                        ".." => {
                            if parts.pop().is_none() {
                                broken.push(format!("{rel}: {url} (leaves the site)"));
                            }
                        }
                        s => parts.push(s.to_string()),
                    }
                }
                parts.join("/")
            };
            if !all.contains_key(&target) {
                broken.push(format!("{rel}: {url} (no file {target})"));
            } else if let Some(f) = frag.filter(|f| !f.is_empty())
                && !ids.get(&target).is_some_and(|s| s.contains(&f))
            {
                broken.push(format!("{rel}: {url} (no id {f} in {target})"));
            }
        }
    }
    (checked, broken)
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The text of the element with `id="…"` (tags stripped, up to its closing tag).
fn text_of_id(html: &str, id: &str) -> String {
    let pat = format!("id=\"{id}\"");
    let i = html.find(&pat).unwrap_or_else(|| panic!("no #{id}"));
    let start = i + html[i..].find('>').unwrap() + 1;
    let end = start + html[start..].find("</dd>").unwrap();
    let mut out = String::new();
    let mut in_tag = false;
    for c in html[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn check_site(root: &Path, site: &Path) {
    let scores = score_json(root, &[]);
    let all = files(site);
    assert!(all.contains_key("index.html"));
    assert!(all.contains_key("search-index.js"));
    assert!(all.contains_key("static/style.css"));
    let mut years = BTreeSet::new();
    for b in scores.as_array().unwrap() {
        let year = b["year"].as_i64().unwrap();
        years.insert(year);
        let id = b["id"].as_str().unwrap();
        let page = site.join(format!("{year}/branch/{id}.html"));
        let html = read(&page);
        let total = format!("{:.2}", b["total"].as_f64().unwrap());
        assert_eq!(
            attrs(&html, "data-total"),
            vec![total.clone()],
            "{year}/{id} total"
        );
        assert!(
            text_of_id(&html, "total").starts_with(&total),
            "{year}/{id}"
        );
        assert_eq!(
            attrs(&html, "data-grade"),
            vec![b["grade"].as_str().unwrap().to_string()],
            "{year}/{id} grade"
        );
        let rank = b["rank"].to_string();
        assert!(
            html.contains(&format!("id=\"rank\" data-rank=\"{rank}\"")),
            "{year}/{id} rank {rank}"
        );
        assert!(
            html.contains(&format!(
                "id=\"rank-in-category\" data-rank=\"{}\"",
                b["rank_in_category"]
            )),
            "{year}/{id}"
        );
        assert_eq!(
            attrs(&html, "data-movement"),
            vec![b["movement"].as_str().unwrap().to_string()],
            "{year}/{id} movement"
        );
        // The ranking page has the same total for the branch.
        let ranking_page = read(&site.join(format!("{year}/ranking.html")));
        assert!(
            ranking_page.contains(&format!("data-sort=\"{}\">{total}</td>", b["total"])),
            "{year}/{id} on the ranking page"
        );
        // A page links to the same branch in its other years.
        for other in scores.as_array().unwrap() {
            if other["id"] == b["id"] && other["year"] != b["year"] {
                let href = format!("../../{}/branch/{}.html", other["year"], id);
                assert!(html.contains(&href), "{year}/{id} links {href}");
            }
        }
    }
    for y in &years {
        assert!(all.contains_key(&format!("{y}/index.html")));
        assert!(all.contains_key(&format!("{y}/indicators.html")));
        // The year page shows the first rows of the ranking; the ranking page has them all,
        // and each category's page has that category's.
        let year_page = read(&site.join(format!("{y}/index.html")));
        let ranking = read(&site.join(format!("{y}/ranking.html")));
        let of_year: Vec<&Value> = scores
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["year"] == *y)
            .collect();
        assert_eq!(
            ranking.matches("/branch/").count(),
            of_year.len(),
            "{y}: every branch once on the ranking page"
        );
        let categories: BTreeSet<&str> = of_year
            .iter()
            .map(|b| b["category"].as_str().unwrap())
            .collect();
        for c in categories {
            let page = read(&site.join(format!("{y}/ranking/{c}.html")));
            let n = of_year.iter().filter(|b| b["category"] == c).count();
            assert_eq!(page.matches("/branch/").count(), n, "{y}/ranking/{c}.html");
            assert!(
                year_page.contains(&format!("/{y}/ranking/{c}.html\"")),
                "{y}: the year page links the {c} ranking"
            );
        }
        assert!(
            year_page.matches("<td class=\"num\" data-sort=").count() <= 20,
            "{y}: top rows only"
        );
        // The rectification page lists every vetoed or lowest-grade branch.
        let rect = read(&site.join(format!("{y}/rectification.html")));
        let expected = scores
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| {
                b["year"] == *y
                    && (!b["vetoes"].as_array().unwrap().is_empty() || b["grade"] == "weak")
            })
            .count();
        assert_eq!(
            rect.matches("<tr><th scope=\"row\" class=\"name\">")
                .count(),
            expected,
            "{y}: rectification rows"
        );
    }
    let latest = years.iter().max().unwrap();
    let home = read(&site.join("index.html"));
    assert!(
        home.contains(&format!("{latest}年度")),
        "home is the latest year"
    );
    assert!(home.contains("lang=\"zh-CN\""));

    let (checked, broken) = broken_links(site);
    assert!(
        broken.is_empty(),
        "{} broken links:\n{}",
        broken.len(),
        broken.join("\n")
    );
    assert!(checked > 100, "only {checked} links checked");

    for (rel, p) in &all {
        if rel.ends_with(".html") {
            let html = read(p);
            for u in resource_urls(&html) {
                assert!(
                    !u.contains("://") && !u.starts_with("//") && !u.starts_with('/'),
                    "{rel} loads {u}"
                );
            }
        }
        if rel.ends_with(".css") {
            let css = read(p);
            assert!(
                !css.contains("@import") && !css.contains("url(http"),
                "{rel} loads remote resources"
            );
        }
    }
}

#[test]
fn example_site() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    build(&repo(), &site, None).unwrap();
    check_site(&repo(), &site);
    // Deterministic: a second build gives the same bytes (but for the bookkeeping in
    // `.dangjian/`, which records when each file was written).
    let again = out.path().join("again");
    build(&repo(), &again, None).unwrap();
    let site_files = |dir: &Path| {
        let mut all = files(dir);
        all.retain(|rel, _| !rel.starts_with(".dangjian/"));
        all
    };
    let (a, b) = (site_files(&site), site_files(&again));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (rel, p) in &a {
        assert!(
            std::fs::read(p).unwrap() == std::fs::read(&b[rel]).unwrap(),
            "{rel} differs between builds"
        );
    }
}

#[test]
fn golden_site() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    build(&fixture("golden"), &site, None).unwrap();
    check_site(&fixture("golden"), &site);
    // Hand-computed numbers (tests/golden.rs): alpha 2026 has 97.25 points, vetoed to fair.
    let alpha = read(&site.join("2026/branch/alpha.html"));
    assert!(alpha.contains("data-total=\"97.25\""));
    assert!(alpha.contains("data-grade=\"fair\""));
    assert!(alpha.contains("触发一票否决"));
    // The callout lists exactly the vetoes the table marks as fired (the page tests the
    // booklet's count and lists from the one list).
    let callout = &alpha[alpha.find("id=\"veto-h\"").unwrap()..];
    let callout = &callout[..callout.find("</section>").unwrap()];
    let fired_rows = alpha.matches("<tr class=\"fired\">").count();
    assert!(fired_rows > 0);
    assert_eq!(callout.matches("<li>").count(), fired_rows);
}

/// A copy of the golden fixture with a Chinese branch id, a hostile narrative and name.
fn hostile() -> tempfile::TempDir {
    let dir = copy_fixture("golden");
    let east = dir.path().join("content/2026/east");
    let record = read(&east.join("beta.yaml")).replacen(
        "name: ",
        "name: </script><b>桥东第一</b>党支部 ",
        1,
    );
    let record = record
        .lines()
        .filter(|l| !l.starts_with("name:"))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(
        east.join("桥东一.yaml"),
        format!("name: \"</script><script>alert(2)</script>桥东第一党支部\"\n{record}\n"),
    )
    .unwrap();
    std::fs::write(
        east.join("桥东一.md"),
        "## 述职\n\n正文<script>alert(1)</script>结束。\n\n<img src=x onerror=alert(3)>\n\n[点我](javascript:alert(4)) ![远程](https://example.com/a.png)\n\n![活动照片](img/照片%201.png)\n",
    )
    .unwrap();
    std::fs::create_dir_all(east.join("img")).unwrap();
    std::fs::write(east.join("img/照片 1.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    dir
}

#[test]
fn hostile_names_and_narratives_are_escaped() {
    let dir = hostile();
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    build(dir.path(), &site, None).unwrap();
    check_site(dir.path(), &site);
    let page = read(&site.join("2026/branch/桥东一.html"));
    assert!(
        page.contains("正文&lt;script&gt;alert(1)&lt;/script&gt;结束。"),
        "narrative escaped"
    );
    assert!(!page.contains("<script>alert"), "no injected script");
    assert!(!page.contains("<img src=x"), "no injected image");
    assert!(!page.contains("javascript:"), "no javascript: link");
    assert!(
        !page.contains("src=\"https://example.com"),
        "no remote image"
    );
    assert!(
        page.contains("&lt;/script&gt;&lt;script&gt;alert(2)"),
        "name escaped"
    );
    // Links to the Chinese id are percent-encoded and resolve (checked by check_site).
    let year = read(&site.join("2026/index.html"));
    assert!(year.contains("2026/branch/%E6%A1%A5%E4%B8%9C%E4%B8%80.html"));
    // The search index cannot end its script.
    let js = read(&site.join("search-index.js"));
    assert!(
        !js.contains("</script") && !js.contains('<'),
        "search index escaped"
    );
    assert!(js.contains("\\u003c/script\\u003e"));
    assert!(js.contains("桥东第一党支部"));
}

#[test]
fn user_theme_overrides_one_template() {
    let theme = tempfile::tempdir().unwrap();
    let tpl = theme.path().join("templates");
    std::fs::create_dir_all(&tpl).unwrap();
    let default = read(&repo().join("themes/default/templates/org.html"));
    std::fs::write(
        tpl.join("org.html"),
        default.replace(
            "<h1><bdi>{{ o.name }}</bdi></h1>",
            "<h1 class=\"mine\">自定义：<bdi>{{ o.name }}</bdi></h1>",
        ),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    build(&fixture("golden"), &site, Some(theme.path())).unwrap();
    assert!(read(&site.join("2026/org/east.html")).contains("<h1 class=\"mine\">自定义："));
    // Other templates still come from the default theme.
    assert!(read(&site.join("2026/branch/alpha.html")).contains("data-total=\"97.25\""));
}

/// Builds the golden fixture with a theme of these templates; the error it must give, and
/// that it left no site.
fn build_error_with_templates(templates: &[(&str, &str)]) -> String {
    let theme = tempfile::tempdir().unwrap();
    let tpl = theme.path().join("templates");
    std::fs::create_dir_all(&tpl).unwrap();
    for (name, text) in templates {
        std::fs::write(tpl.join(name), text).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let err = build(&fixture("golden"), &site, Some(theme.path())).unwrap_err();
    assert!(!site.exists());
    err
}

const UNCLOSED: &str =
    "{% extends \"base.html\" %}\n{% block content %}\n{{ b.branch.name \n{% endblock content %}\n";

#[test]
fn a_broken_user_template_is_an_error_naming_the_file() {
    let err = build_error_with_templates(&[("branch.html", UNCLOSED)]);
    assert!(err.contains("branch.html"), "{err}");

    // A template that parses but uses an unknown field fails when rendering, naming it too.
    let err = build_error_with_templates(&[(
        "branch.html",
        "{% extends \"base.html\" %}{% block content %}{{ b.no_such_field.x }}{% endblock content %}",
    )]);
    assert!(err.contains("branch.html"), "{err}");
}

#[test]
fn every_broken_template_is_reported_at_once() {
    let err = build_error_with_templates(&[
        ("branch.html", UNCLOSED),
        (
            "org.html",
            "{% extends \"base.html\" %}\n{% block content %}\n{% if %}\n{% endblock content %}\n",
        ),
    ]);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("模板语法错误")).collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(lines.iter().any(|l| l.contains("branch.html:")), "{err}");
    assert!(lines.iter().any(|l| l.contains("org.html:3:")), "{err}");
}

/// `pages` hold 1,000 + 1,000 + 300 rows linking branch pages, every one of the `n` branches
/// exactly once, and link each other (previous, next and every page).
fn assert_cut_into_pages(site: &Path, pages: &[String; 3], n: usize) {
    let mut seen = BTreeSet::new();
    for (k, page) in pages.iter().enumerate() {
        let html = read(&site.join(page));
        let rows: Vec<String> = html
            .split("/branch/")
            .skip(1)
            .map(|s| s.split('.').next().unwrap().to_string())
            .collect();
        assert_eq!(rows.len(), [1000, 1000, 300][k], "{page}");
        seen.extend(rows);
        for other in pages {
            let name = other.rsplit('/').next().unwrap();
            if other != page {
                assert!(html.contains(name), "{page} links {other}");
            }
        }
        assert_eq!(html.contains("rel=\"prev\""), k > 0, "{page}");
        assert_eq!(html.contains("rel=\"next\""), k < 2, "{page}");
        assert!(html.contains("aria-current=\"page\">第 "), "{page}");
    }
    assert_eq!(seen.len(), n, "{}: every branch once", pages[0]);
}

#[test]
fn a_long_rectification_list_is_cut_into_linked_pages() {
    // Every copy of the record is 软弱涣散: all of them are on the list.
    let n = 2_300;
    let (_project, _out, site) = many_branch_site(n);
    let pages = [
        "2026/rectification.html".to_string(),
        "2026/rectification.2.html".to_string(),
        "2026/rectification.3.html".to_string(),
    ];
    assert_cut_into_pages(&site, &pages, n);
    assert!(!site.join("2026/rectification.4.html").exists());
    for page in &pages {
        let html = read(&site.join(page));
        assert!(
            html.contains("共 2300 个"),
            "{page}: the whole list's count"
        );
        // The guidance of what the page's rows are told to fix first.
        assert!(html.contains("id=\"guidance\""), "{page}");
    }
    // The year page still links the list's first page.
    assert!(read(&site.join("2026/index.html")).contains("2026/rectification.html"));
    let (_, broken) = broken_links(&site);
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

/// The site of [`many_branches`]: the project, the output folder and the site in it.
fn many_branch_site(n: usize) -> (tempfile::TempDir, tempfile::TempDir, PathBuf) {
    let project = many_branches(n);
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    build(project.path(), &site, None).unwrap();
    (project, out, site)
}

/// A year of `n` branches: `n` copies of one golden record (same scores, so ties at the page
/// boundaries), in one folder.
fn many_branches(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let golden = fixture("golden");
    std::fs::copy(
        golden.join("indicators.yaml"),
        dir.path().join("indicators.yaml"),
    )
    .unwrap();
    let year = dir.path().join("content/2026");
    std::fs::create_dir_all(year.join("east")).unwrap();
    for f in ["_org.yaml", "east/_org.yaml"] {
        std::fs::copy(golden.join("content/2026").join(f), year.join(f)).unwrap();
    }
    let record = read(&golden.join("content/2026/east/beta.yaml"));
    for i in 0..n {
        // Two totals (with and without the bonus), so that ranks tie across a page
        // boundary.
        let r = if i % 2 == 0 {
            record.clone()
        } else {
            record.replace("commend: 1", "commend: 0")
        };
        std::fs::write(year.join(format!("east/b{i:04}.yaml")), r).unwrap();
    }
    dir
}

#[test]
fn a_long_ranking_is_cut_into_linked_pages() {
    let n = 2_300;
    let (project, _out, site) = many_branch_site(n);
    let scores = score_json(project.path(), &[]);
    assert_eq!(scores.as_array().unwrap().len(), n);
    let category = scores[0]["category"].as_str().unwrap().to_string();
    for (first, rest) in [
        ("2026/ranking.html".to_string(), "2026/ranking".to_string()),
        (
            format!("2026/ranking/{category}.html"),
            format!("2026/ranking/{category}"),
        ),
    ] {
        let pages = [
            first.clone(),
            format!("{rest}.2.html"),
            format!("{rest}.3.html"),
        ];
        assert_cut_into_pages(&site, &pages, n);
        assert!(!site.join(format!("{rest}.4.html")).exists());
    }
    let (checked, broken) = broken_links(&site);
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    assert!(checked > 2 * n);
}

#[test]
fn search_index_lists_every_branch_and_org() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    build(&repo(), &site, None).unwrap();
    let js = read(&site.join("search-index.js"));
    let json = js
        .trim()
        .trim_start_matches("window.DANGJIAN_SEARCH = ")
        .trim_end_matches(';');
    let v: Value = serde_json::from_str(json).unwrap();
    let docs = v["docs"].as_array().unwrap();
    let scores = score_json(&repo(), &[]);
    for b in scores.as_array().unwrap() {
        let href = format!("{}/branch/{}.html", b["year"], b["id"].as_str().unwrap());
        assert!(
            docs.iter()
                .any(|d| d["u"] == href.as_str() && d["k"] == "branch"),
            "{href} not in the index"
        );
    }
    assert!(docs.iter().any(|d| d["k"] == "org"));
}
