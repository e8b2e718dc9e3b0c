//! Hostile links in a narrative, decided the same way by the three places that read them:
//! the loader's file check (`check` must pass: no disguise is a missing file), the site's
//! HTML (no active link but http(s), mailto and tel) and the PDF's Typst markup (the same).

mod common;

use common::*;

/// Markdown source of each disguise, as a user (or an attacker) would write it.
const REFUSED: &[&str] = &[
    "[a](javascript:alert(1))",
    "[b](JaVaScRiPt:alert(1))",
    "[c](java&#x0A;script:alert(1))",
    "[d](java&#10;script:alert(1))",
    "[e](java&#x09;script:alert(1))",
    "[f](java&#13;script:alert(1))",
    "[g](&#x20;&#x01;javascript:alert(1))",
    "[h](<  javascript:alert(1)>)",
    "[i](javascript&#58;alert(1))",
    "[j](javascript&colon;alert(1))",
    "[k](&#106;avascript:alert(1))",
    "[l](javascript&amp;#58;alert(1))",
    "[m](javascript%3Aalert(1))",
    "[n](java&#x200B;script:alert(1))",
    "[o](vbscript:msgbox(1))",
    "[p](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[q](file:///etc/passwd)",
    "[r](//evil.example/x)",
    "[s](\\\\\\\\evil.example/x)",
    "[t](/\\evil.example/x)",
    "[u](<java\u{7f}script:alert(1)>)",
    "![v](data:image/png;base64,iVBORw0KGgo=)",
    "<javascript:alert(1)>",
    "[w]: javascript:alert(1)\n\n[w]",
];

/// (Markdown, the URL that may be linked)
const KEPT: &[(&str, &str)] = &[
    ("[外链](https://example.org/a)", "https://example.org/a"),
    ("[大写](HTTPS://EXAMPLE.ORG/b)", "HTTPS://EXAMPLE.ORG/b"),
    (
        "[断行](<https://example.org/c&#x0A;d>)",
        "https://example.org/cd",
    ),
    (
        "[邮件](mailto:dangjian@example.org)",
        "mailto:dangjian@example.org",
    ),
    ("<dangjian@example.org>", "mailto:dangjian@example.org"),
    ("[电话](tel:+86-10-12345678)", "tel:+86-10-12345678"),
];

fn narrative() -> String {
    let mut md = String::from("## 链接\n\n");
    for l in REFUSED {
        md.push_str(l);
        md.push_str("\n\n");
    }
    for (l, _) in KEPT {
        md.push_str(l);
        md.push_str("\n\n");
    }
    // A local file named with a backslash, as browsers read it: `img/a.png`.
    md.push_str("![照片](img\\a.png)\n");
    md
}

/// Every `href="…"` and `src="…"` of an HTML text, unescaped.
fn urls(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for (i, _) in html.match_indices(attr) {
            let rest = &html[i + attr.len()..];
            let end = rest.find('"').unwrap();
            out.push(html_escape::decode_html_entities(&rest[..end]).into_owned());
        }
    }
    out
}

#[test]
fn disguised_links_are_neither_links_nor_files() {
    let dir = copy_fixture("golden");
    let md = narrative();
    std::fs::create_dir_all(dir.path().join("content/2026/east/img")).unwrap();
    std::fs::write(dir.path().join("content/2026/east/img/a.png"), "png").unwrap();
    std::fs::write(dir.path().join("content/2026/east/alpha.md"), &md).unwrap();
    let root = dir.path().to_string_lossy().to_string();

    // The loader: a valid project, the backslashed image a file of it.
    let o = run(&["check", "--root", &root]);
    assert!(o.status.success(), "{}", stderr(&o));
    // (The DEL of one disguise is warned about and stripped, as every control is.)
    let err = stderr(&o);
    assert!(
        !err.lines()
            .any(|l| l.contains("alpha.md") && l.contains(": error: ")),
        "{err}"
    );

    // The site: only safe schemes and the copied file are linked.
    let (out, _) = build_site(dir.path(), &["--no-pdf"]);
    let page = std::fs::read_to_string(out.join("2026/branch/alpha.html")).unwrap();
    let narrative_html = &page[page.find("链接").expect("the narrative is on the page")..];
    let found = urls(narrative_html);
    for u in &found {
        let lower = u.to_ascii_lowercase();
        let relative = !lower.contains(':') && !lower.starts_with("//");
        assert!(
            ["http:", "https:", "mailto:", "tel:"]
                .iter()
                .any(|s| lower.starts_with(s))
                || relative,
            "unsafe URL {u:?} on the page"
        );
        assert!(
            !lower.contains("script") && !lower.contains("evil"),
            "{u:?}"
        );
    }
    for (_, url) in KEPT {
        assert!(
            found.iter().any(|u| u == url),
            "{url} not linked: {found:?}"
        );
    }
    assert!(
        found
            .iter()
            .any(|u| u.ends_with("files/content/2026/east/img/a.png")),
        "{found:?}"
    );
    // The text of a refused link stays.
    for text in ["a", "j", "t"] {
        assert!(narrative_html.contains(&format!("<p>{text}</p>")), "{text}");
    }

    // The PDF: the same links, as Typst `#link`s.
    let typst = dangjian::render::pdf::markdown::markdown_to_typst(&md);
    let links: Vec<&str> = typst
        .match_indices("#link(\"")
        .map(|(i, _)| {
            let rest = &typst[i + 7..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    let wanted: Vec<&str> = KEPT.iter().map(|(_, u)| *u).collect();
    assert_eq!(links, wanted, "{typst}");
}
