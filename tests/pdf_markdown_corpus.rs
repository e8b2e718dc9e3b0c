//! Corpus test: every CommonMark spec example, plus Chinese traps, converted
//! to Typst, compiled by the real `typst` CLI, and read back with `pdftotext`.
//!
//! For each example it checks:
//! 1. **It compiles.** All examples go into one document (each on its own
//!    `height: auto` page, after a marker paragraph); a compile error is
//!    mapped back to the example by its line number. The same converted
//!    texts are also compiled a second time through `eval(…, mode: "markup")`
//!    from JSON data, the path the templates use.
//! 2. **No text is lost or reordered.** The visible text of the expected HTML
//!    (tags stripped, entities decoded, whitespace removed) must be a
//!    subsequence of the PDF's text for that example (whitespace removed).
//!    The expected HTML is the spec's own `html` field, except where our
//!    parser options (GFM tables, strikethrough, footnotes) or our raw-HTML
//!    policy (shown as text, never interpreted) legitimately change the
//!    result: there it is pulldown-cmark's HTML for the same options with raw
//!    HTML turned into text.
//! 3. **Nothing is invented.** Every character in the PDF's text for that
//!    example appears in the Markdown source or in the expected visible text,
//!    or is one of the few characters the layout itself adds (list bullets,
//!    enumeration numbers, the image placeholder `〔图：…〕`). This catches
//!    Typst interpreting input: smart quotes (`"` → “), dashes (`--` → –),
//!    ellipses, non-breaking `~`, or code running.
//!
//! Skipped, with a message, when `typst` or `pdftotext` is missing; failed instead when
//! the `CI` environment variable is set. The corpus is `tests/corpora/commonmark-examples.json`
//! in this repository (licence in `tests/corpora/NOTICE`), or the file `$COMMONMARK_EXAMPLES`
//! names; a missing corpus fails the test, it is never skipped.

mod pdf_support;

use dangjian::render::pdf::markdown::{markdown_to_typst, parser_options};
use pulldown_cmark::{Event, Options, Parser, html};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

struct Case {
    name: String,
    markdown: String,
    /// Expected HTML (oracle) and where it came from.
    html: String,
    oracle: &'static str,
}

fn corpus_path() -> PathBuf {
    std::env::var_os("COMMONMARK_EXAMPLES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpora/commonmark-examples.json")
        })
}

fn pulldown_html(md: &str, opts: Options, raw_html_as_text: bool) -> String {
    let events = Parser::new_ext(md, opts).map(|ev| match ev {
        Event::Html(h) | Event::InlineHtml(h) if raw_html_as_text => Event::Text(h),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

fn has_raw_html(md: &str) -> bool {
    Parser::new_ext(md, parser_options())
        .any(|ev| matches!(ev, Event::Html(_) | Event::InlineHtml(_)))
}

/// Visible text of HTML: tags removed, entities decoded, whitespace removed.
fn visible_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match (in_tag, c) {
            (false, '<') => in_tag = true,
            (true, '>') => in_tag = false,
            (false, c) => text.push(c),
            (true, _) => {}
        }
    }
    let decoded = html_escape::decode_html_entities(&text);
    decoded
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control() && drawable(*c))
        .collect()
}

/// Characters the fonts of this test cannot draw (vendored Noto/Source Han SC,
/// Typst's embedded Libertinus, New Computer Modern, DejaVu Sans Mono). Typst
/// draws them as a box, and `pdftotext` cannot give them back reliably (all
/// boxes share one glyph), so they are not expected in the text. The
/// product replaces them before compiling (see themes/default/fonts/README.md).
fn drawable(c: char) -> bool {
    !matches!(c as u32,
        0x0900..=0x0DFF      // Indic scripts (example 27 has Malayalam, Kannada)
        | 0x1F000..=0x1FAFF  // emoji and pictographs
        | 0x20000..=0x3FFFF  // CJK Extension B and later
    )
}

fn is_subsequence(needle: &str, hay: &str) -> Result<(), String> {
    let mut hay_chars = hay.chars();
    let mut matched = String::new();
    for c in needle.chars() {
        if !hay_chars.any(|h| h == c) {
            return Err(format!(
                "expected text lost after {:?}: missing {:?}",
                tail(&matched, 30),
                c
            ));
        }
        matched.push(c);
    }
    Ok(())
}

fn tail(s: &str, n: usize) -> String {
    let v: Vec<char> = s.chars().collect();
    v[v.len().saturating_sub(n)..].iter().collect()
}

fn chinese_traps() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "cn-underscore",
            "变量_名 与 变量_名_二 以及 snake_case_name",
        ),
        (
            "cn-emphasis",
            "这是*强调*内容，这是**加粗**内容，变*强调*量，~~删除~~线",
        ),
        (
            "cn-typst-chars",
            "井号 # 美元 $x$ 艾特 @ref 标签 <label> 注释 // 不是注释 /* 也不是 */",
        ),
        (
            "cn-url",
            "网址 http://example.cn/a_b?c=1&d=2 与 https://例子.中国/路径",
        ),
        (
            "cn-backslash",
            "反斜杠 \\ 与 \\\\ 与 C:\\路径\\文件 与 \\u{1F600}",
        ),
        (
            "cn-line-starts",
            "第一行\n= 不是标题\n\\- 不是列表\n\\+ 不是编号\n1\\. 不是编号\n/ 术语: 不是术语",
        ),
        ("cn-heading-like", "\\= 等号开头\n\n\\== 两个等号"),
        (
            "cn-soft-break",
            "党支部按照要求\n召开支委会，\n研究部署工作。\nEnglish words\nstay apart.",
        ),
        (
            "cn-list",
            "1. 学习\n2. 实践\n   - 子项*强调*\n   - 子项`代码`\n10. 总结",
        ),
        ("cn-list-start", "3. 第三\n4. 第四"),
        ("cn-quote", "> 引用：不忘初心，\n> 牢记使命。"),
        (
            "cn-code",
            "行内 `#let x = \"1\"` 代码\n\n```typst\n#set page(paper: \"a4\")\n= 标题 $x$ \\\n```",
        ),
        (
            "cn-link",
            "[党建网](http://www.example.cn/a?b=\"c\"&d=\\) 与 <mailto:zhibu@example.cn> 与 <https://例子.cn>",
        ),
        (
            "cn-image",
            "![活动照片：“主题党日”](img/photo.jpg \"标题\") 之后",
        ),
        (
            "cn-table",
            "| 指标 | 得分 | 说明 |\n|:--|--:|:-:|\n| 支委会 | 6.5 | `#x` *好* |\n| 党课 | 3 |\n| 主题党日 | 4 | 多余 | 列 |",
        ),
        (
            "cn-html",
            "<div onclick=\"x()\">内容</div>\n\n行内 <b>粗</b> 与 <!-- 注释 --> 与 <script>alert(1)</script>",
        ),
        (
            "cn-footnote",
            "正文有注释[^1]，未定义[^x]，另一注[^长标签_2]。\n\n[^1]: 注释*内容*，含 `代码` 与 #号。\n\n[^长标签_2]: 第二个注释。",
        ),
        (
            "cn-shorthands",
            "破折号 -- 与 --- 与 ... 与 ~ 与 -? 与 'single' \"double\"",
        ),
        ("cn-hardbreak", "第一行  \n第二行\\\n第三行"),
        ("cn-rule", "上文\n\n---\n\n下文\n\n***"),
        ("cn-setext", "标题\n===\n\n副标题\n---"),
        (
            "cn-brackets",
            "[未闭合 与 ] 与 [[双]] 与 {花括号} 与 (圆括号",
        ),
        (
            "cn-controls",
            "控制\u{7}字符\u{2028}行分隔\u{2029}段分隔\u{85}下一行",
        ),
        ("cn-rare", "生僻字：𠀀 𪚥 与 emoji 🎉"),
    ]
}

fn build_cases() -> Vec<Case> {
    let path = corpus_path();
    let json = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the CommonMark examples at {} ({e}). They ship with the repository as \
             tests/corpora/commonmark-examples.json (restore it with `git checkout -- tests/corpora`), \
             or set COMMONMARK_EXAMPLES to a copy of the spec's examples (JSON array of \
             {{example, markdown, html}}).",
            path.display()
        )
    });
    let examples: serde_json::Value = serde_json::from_str(&json).expect("parse examples");
    let mut cases = Vec::new();
    for ex in examples.as_array().expect("array") {
        let n = ex["example"].as_u64().expect("example number");
        let md = ex["markdown"].as_str().expect("markdown").to_string();
        let spec_html = ex["html"].as_str().expect("html").to_string();
        // Does the spec HTML still apply under our options and policy?
        let ours = pulldown_html(&md, parser_options(), false);
        let plain = pulldown_html(&md, Options::empty(), false);
        let (html, oracle) = if has_raw_html(&md) {
            (
                pulldown_html(&md, parser_options(), true),
                "pulldown, raw HTML as text",
            )
        } else if ours != plain {
            (ours, "pulldown, GFM options")
        } else {
            (spec_html, "spec")
        };
        cases.push(Case {
            name: format!("example {n}"),
            markdown: md,
            html,
            oracle,
        });
    }
    assert_eq!(
        cases.len(),
        655,
        "the CommonMark 0.31 spec has 655 examples"
    );
    for (name, md) in chinese_traps() {
        cases.push(Case {
            name: name.to_string(),
            markdown: md.to_string(),
            html: pulldown_html(md, parser_options(), true),
            oracle: "pulldown, raw HTML as text",
        });
    }
    cases
}

const PREAMBLE: &str = r#"#set page(width: 40cm, height: auto, margin: 1cm)
#set text(font: ("Libertinus Serif", "Noto Serif SC"), hyphenate: false, size: 10pt)
#show raw: set text(font: ("DejaVu Sans Mono", "Noto Sans SC"))
#set list(marker: ([•], [◦], [–]))
"#;

fn marker(i: usize) -> String {
    format!("QQMARK{i:04}QQ")
}

fn typst_compile(dir: &Path, main: &str, out: &str) -> (bool, String, f64) {
    let typst = dangjian::render::pdf::typst::locate().expect("typst");
    let t = Instant::now();
    let o = Command::new(&typst.path)
        .current_dir(dir)
        .args(["compile", "--ignore-system-fonts", "--font-path"])
        .arg(pdf_support::font_dir())
        .args(["--diagnostic-format", "short", main, out])
        .output()
        .expect("run typst");
    let secs = t.elapsed().as_secs_f64();
    let mut msg = String::from_utf8_lossy(&o.stderr).into_owned();
    msg.push_str(&String::from_utf8_lossy(&o.stdout));
    (o.status.success(), msg, secs)
}

#[test]
fn commonmark_and_chinese_corpus_compiles_and_keeps_text() {
    if !pdf_support::require_typst() || !pdf_support::require("pdftotext", "-v") {
        return;
    }
    let cases = build_cases();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("commonmark-corpus");
    std::fs::create_dir_all(&dir).unwrap();

    // 1. One document, every case on its own page, line ranges recorded.
    let mut doc = String::from(PREAMBLE);
    let mut ranges = Vec::new(); // (first line, last line) per case, 1-based
    let mut converted = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let typ = markdown_to_typst(&case.markdown);
        doc.push_str(&format!("#pagebreak(weak: true)\n{}\n\n", marker(i)));
        let first = doc.lines().count() + 1;
        doc.push_str(&typ);
        doc.push('\n');
        let last = doc.lines().count();
        ranges.push((first, last));
        converted.push(typ);
    }
    std::fs::write(dir.join("main.typ"), &doc).unwrap();
    let (ok, msg, secs) = typst_compile(&dir, "main.typ", "main.pdf");
    if !ok {
        let mut failing = Vec::new();
        for line in msg.lines().filter(|l| l.contains(": error:")) {
            let lno = line
                .split(':')
                .nth(1)
                .and_then(|s| s.parse::<usize>().ok())
                .unwrap_or(0);
            let who = ranges
                .iter()
                .position(|&(a, b)| a <= lno && lno <= b)
                .map(|i| cases[i].name.clone())
                .unwrap_or_else(|| "preamble".into());
            failing.push(format!("{who}: {line}"));
        }
        panic!(
            "typst failed to compile the corpus:\n{}\n{msg}",
            failing.join("\n")
        );
    }
    eprintln!(
        "compiled {} cases in one document in {secs:.2} s",
        cases.len()
    );

    // 1b. The same texts through eval(…, mode: "markup") from JSON data.
    let data = serde_json::to_string(&converted).unwrap();
    std::fs::write(dir.join("data.json"), data).unwrap();
    let eval_doc = format!(
        "{PREAMBLE}#for (i, m) in json(\"data.json\").enumerate() {{\n  pagebreak(weak: true)\n  eval(m, mode: \"markup\")\n}}\n"
    );
    std::fs::write(dir.join("eval.typ"), eval_doc).unwrap();
    let (ok, msg, secs) = typst_compile(&dir, "eval.typ", "eval.pdf");
    assert!(ok, "eval path failed:\n{msg}");
    eprintln!("compiled the same through eval() in {secs:.2} s");

    // 2 + 3. Text survives, nothing is invented.
    let o = Command::new("pdftotext")
        // -raw: content-stream order, and no de-hyphenation (the default
        // mode joins a line ending in `-` with the next and drops the `-`).
        .args(["-raw", "-enc", "UTF-8"])
        .arg(dir.join("main.pdf"))
        .arg("-")
        .output()
        .expect("run pdftotext");
    assert!(o.status.success(), "pdftotext failed");
    let text = String::from_utf8(o.stdout).expect("utf-8 text");
    let generated: HashSet<char> = "•◦–0123456789.)〔图：〕□■".chars().collect();
    let mut failures = Vec::new();
    let mut oracles = std::collections::BTreeMap::<&str, usize>::new();
    for (i, case) in cases.iter().enumerate() {
        *oracles.entry(case.oracle).or_default() += 1;
        let start = text.find(&marker(i)).map(|p| p + marker(i).len());
        let end = text.find(&marker(i + 1)).unwrap_or(text.len());
        let Some(start) = start else {
            failures.push(format!("{}: marker not found in PDF text", case.name));
            continue;
        };
        let got: String = text[start..end]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let want = visible_text(&case.html);
        if let Err(e) = is_subsequence(&want, &got) {
            failures.push(format!(
                "{} [{}]: {e}\n  markdown: {:?}\n  want: {want:?}\n  got:  {got:?}\n  typst: {:?}",
                case.name, case.oracle, case.markdown, converted[i]
            ));
            continue;
        }
        let decoded = html_escape::decode_html_entities(&case.html).into_owned();
        let source: HashSet<char> = case.markdown.chars().chain(decoded.chars()).collect();
        let invented: String = got
            .chars()
            .filter(|c| !source.contains(c) && !generated.contains(c))
            .collect();
        if !invented.is_empty() {
            failures.push(format!(
                "{} [{}]: invented characters {invented:?}\n  markdown: {:?}\n  got: {got:?}\n  typst: {:?}",
                case.name, case.oracle, case.markdown, converted[i]
            ));
        }
    }
    eprintln!("oracles used: {oracles:?}");
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
