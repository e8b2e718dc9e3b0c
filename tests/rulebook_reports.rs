//! The reports of a rulebook (扣分制), end to end on tests/fixtures/rulebook: the branch
//! page's and the booklet's 扣分明细 and 考评方式, fix-first naming the costliest clauses,
//! and the year's 考核细则 printed as a page and a PDF — read from the real HTML and the
//! real PDF text (pdftotext). The amounts are those of tests/rulebook.rs, worked out by
//! hand there; the working is repeated here where a line shows one. The rulebook's
//! template is also given a dimension longer than a page directly, to see it named again
//! on the next.

mod common;
mod pdf_support;

use std::path::Path;

use common::*;

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The part of `text` after `from` (and after the end of the tag `from` is in, when it is
/// an attribute) to the next `to`.
fn between<'a>(text: &'a str, from: &str, to: &str) -> &'a str {
    let i = text
        .find(from)
        .unwrap_or_else(|| panic!("{from:?} not in {text}"));
    let mut rest = &text[i + from.len()..];
    if from.contains('=') {
        rest = &rest[rest.find('>').map_or(0, |k| k + 1)..];
    }
    &rest[..rest.find(to).unwrap_or(rest.len())]
}

fn site() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = copy_fixture("rulebook");
    let (out, _) = build_site(dir.path(), &["--no-pdf"]);
    (dir, out)
}

#[test]
fn branch_page_lists_the_clauses_that_cost_points_and_the_floor() {
    let (_dir, out) = site();
    let html = read(&out.join("2026/branch/floor.html"));
    let row = visible_text(between(&html, "id=\"ind-org_life\"", "</tr>"));
    // org_life (20): 无年度计划 → 20; general meetings in two quarters → (4 − 2) × 2 = 4;
    // three late reports → 6, at most 4. Σ 28 > 20: the floor, 0 points.
    assert!(row.contains("考评方式：查阅会议记录、走访党员"), "{row}");
    assert!(
        row.contains(
            "扣分明细：无年度计划不得分−20.00支部党员大会每少一个季度扣2分−4.00不及时上报每次扣2分，最多扣4分−4.00合计扣28.00分，超过分值，扣完为止"
        ),
        "{row}"
    );
    assert!(row.contains("0.00/20.00"), "{row}");
    // rules_kept (10): two items missing → 2 × 1 = 2; dues and finance → 2 × 2 = 4, at its
    // max 3. Σ 5 ≤ 10: no floor line.
    let row = visible_text(between(&html, "id=\"ind-rules_kept\"", "</tr>"));
    assert!(
        row.contains(
            "扣分明细：制度每缺一项扣1分−2.00制度中党费制度、财务制度每缺一项扣2分，最多扣3分−3.00"
        ),
        "{row}"
    );
    assert!(!row.contains("超过分值"), "{row}");
    // satisfaction: (0.9 − 0.884) ÷ 0.01 × 0.5 = 0.8 exactly.
    let row = visible_text(between(&html, "id=\"ind-satisfaction\"", "</tr>"));
    assert!(row.contains("每低1个百分点扣0.5分−0.80"), "{row}");
    // A rule that is not 扣分制 keeps its basis and shows no 扣分明细.
    let row = visible_text(between(&html, "id=\"ind-committee\"", "</tr>"));
    assert!(row.contains("考评方式：查阅会议记录"), "{row}");
    assert!(!row.contains("扣分明细"), "{row}");
    assert!(row.contains("10个月"), "{row}");

    // Fix-first: rules_kept's clauses, the costliest first (3 before 2, against the file's
    // order); service's 3 (未获得 brand) before 2.
    let fix_html = between(&html, "id=\"fix-first\"", "</ol>");
    let fix = visible_text(fix_html);
    assert!(
        fix.contains("扣分最多的条款：制度中党费制度、财务制度每缺一项扣2分，最多扣3分（−3.00）；制度每缺一项扣1分（−2.00）"),
        "{fix}"
    );
    assert!(
        fix.contains("扣分最多的条款：无年度计划不得分（−20.00）；支部党员大会每少一个季度扣2分（−4.00）；不及时上报每次扣2分，最多扣4分（−4.00）"),
        "{fix}"
    );
    // committee is a steps rule: listed, without clauses.
    let committee = between(fix_html, "支委会按月召开", "</li>");
    assert!(!committee.contains("扣分最多的条款"), "{committee}");
}

#[test]
fn branch_page_of_a_clean_and_of_a_missing_branch() {
    let (_dir, out) = site();
    // Nothing deducted: every 扣分制 indicator says so.
    let html = read(&out.join("2026/branch/full.html"));
    let row = visible_text(between(&html, "id=\"ind-org_life\"", "</tr>"));
    assert!(row.contains("扣分明细：未扣分"), "{row}");
    assert!(row.contains("20.00/20.00"), "{row}");
    // A clause fact missing: funding is missing (0 points), and still shows the clause
    // whose deduction is known (funding_secured false → 4); the arrears clause has no d.
    let html = read(&out.join("2026/branch/missing.html"));
    let row = visible_text(between(&html, "id=\"ind-funding\"", "</tr>"));
    assert!(row.contains("−4.00"), "{row}");
    assert!(row.contains("缺数据"), "{row}");
    assert!(row.contains("活动经费相关数量每1扣1.5分"), "{row}");
    assert!(!row.contains("活动经费相关数量每1扣1.5分−"), "{row}");
}

#[test]
fn rulebook_page_prints_every_clause_method_veto_bonus_and_band() {
    let (_dir, out) = site();
    let html = read(&out.join("2026/rulebook.html"));
    let text = visible_text(&html);
    // One line per clause, from its label or the generated sentence, in the file's order.
    let row = visible_text(between(&html, "id=\"item-org_life\"", "</tr>"));
    assert_eq!(
        row,
        // (the numbers of the lines are the list's markers, not text)
        "1.组织生活制度健全20无年度计划不得分支部党员大会每少一个季度扣2分不及时上报每次扣2分，最多扣4分扣完为止，不计负分。查阅会议记录、走访党员"
    );
    let row = visible_text(between(&html, "id=\"item-rules_kept\"", "</tr>"));
    assert!(
        row.contains("制度每缺一项扣1分制度中党费制度、财务制度每缺一项扣2分，最多扣3分"),
        "{row}"
    );
    // Lower-is-better steps: one line per step, the points worked out (10 × 1 = 10,
    // 10 × 0.7 = 7, 10 × 0.5 = 5), then nothing. The fixture has no `incidents:` labels:
    // `incidents.absences` is named after its indicator, not shown as its id.
    let row = visible_text(between(&html, "id=\"item-absence\"", "</tr>"));
    assert!(
        row.contains(
            "未发生无故缺席组织生活相关情况的，得10分无故缺席组织生活相关情况不超过1起的，得7分无故缺席组织生活相关情况不超过2起的，得5分其余不得分"
        ),
        "{row}"
    );
    assert!(!row.contains("absences"), "{row}");
    assert!(row.contains("其余不得分"), "{row}");
    // An item of one category says which.
    let row = visible_text(between(&html, "id=\"item-service\"", "</tr>"));
    assert!(row.contains("（社区）"), "{row}");
    // The dimension heads with their points; the veto, the grade bands.
    assert!(text.contains("1.组织生活（55分）"), "{text}");
    assert!(text.contains("作风评定为差"), "{text}");
    assert!(text.contains("90分及以上"), "{text}");
    assert!(text.contains("75分及以上、不足90分"), "{text}");
    assert!(text.contains("不足60分"), "{text}");
    // 10 items, 7 of them 扣分制 (org_life, rules_kept, satisfaction, awareness,
    // work_style, funding, service).
    assert!(text.contains("共10个考评项目，其中7项按条款扣分"), "{text}");
    // In the navigation of every page, and linked from the year page; no PDF link
    // without PDFs.
    assert!(!html.contains("pdf/rulebook.pdf"));
    let year = read(&out.join("2026/index.html"));
    assert!(year.contains("href=\"../2026/rulebook.html\""), "year page");
    let branch = read(&out.join("2026/branch/floor.html"));
    assert!(branch.contains("2026/rulebook.html\">考核细则</a>"), "nav");
}

#[test]
fn booklet_and_rulebook_pdfs_carry_the_clauses() {
    if !pdf_support::require_typst() || !pdf_support::require("pdftotext", "-v") {
        return;
    }
    let dir = copy_fixture("rulebook");
    let (out, _) = build_site(dir.path(), &[]);
    let booklet = pdf_support::pdf_text(&out.join("2026/pdf/floor.pdf"));
    for line in [
        "考评方式：查阅会议记录、走访党员",
        "扣分明细：",
        "无年度计划不得分−20.00",
        "支部党员大会每少一个季度扣2分−4.00",
        "不及时上报每次扣2分，最多扣4分−4.00",
        "合计扣28.00分，超过分值，扣完为止",
        "3条扣28.00分，扣完为止",
        "制度中党费制度、财务制度每缺一项扣2分，最多扣3分−3.00",
        "扣分最多的条款制度中党费制度、财务制度每缺一项扣2分，最多扣3分（−3.00）；制度每缺一项扣1分（−2.00）",
    ] {
        assert!(booklet.contains(line), "booklet lacks {line}: {booklet}");
    }
    let rulebook = pdf_support::pdf_text(&out.join("2026/pdf/rulebook.pdf"));
    for line in [
        "2026年度基层党组织建设质量考核细则",
        "考评项目",
        "评分标准",
        "考评方式",
        "1.无年度计划不得分",
        "2.支部党员大会每少一个季度扣2分",
        "3.不及时上报每次扣2分，最多扣4分",
        // The dimension as a band above its items.
        "（一）组织生活（55分）",
        // A step on an incident the fixture does not label, named after its indicator.
        "1.未发生无故缺席组织生活相关情况的，得10分",
        // The method wraps in its narrow column, and pdftotext reads a wrapped cell's lines
        // between the next cell's: its two lines are looked for one by one.
        "查阅会议记录、",
        "走访党员",
        "一票否决（高压线）",
        "作风评定为差",
        "加分项",
        "等次评定",
        "75分及以上、不足90分",
    ] {
        assert!(rulebook.contains(line), "rulebook lacks {line}: {rulebook}");
    }
}

/// The text of page `n` of `pdf`, without whitespace; `None` past the last page.
fn page_text(pdf: &Path, n: usize) -> Option<String> {
    let o = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-f", &n.to_string(), "-l", &n.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("run pdftotext");
    o.status.success().then(|| {
        String::from_utf8_lossy(&o.stdout)
            .split_whitespace()
            .collect()
    })
}

/// A dimension of 40 items runs over two pages and more: its band is repeated at the top
/// of every page its items continue on, marked （续）, so that no page has rows without
/// their dimension (as a merged first column, its name stood only where the rows began).
#[test]
fn a_dimension_across_pages_is_named_again_at_the_top_of_each() {
    if !pdf_support::require_typst() || !pdf_support::require("pdftotext", "-v") {
        return;
    }
    use serde_json::json;
    let item = |n: usize, label: String| {
        json!({"number": n, "id": format!("i{n}"), "label": label, "points": "2",
            "applies_to": null, "deductions": true, "method": "查阅会议记录",
            "standard": ["支部党员大会每少一个季度扣0.5分", "无年度计划不得分"]})
    };
    let data = json!({
        "schema": "dangjian.rulebook/1", "title": "基层党组织建设质量考核细则", "year": 2026,
        "issuer": "中共测试区委", "date": "2026年12月31日", "name": "测试细则", "version": null,
        "scale": "86", "bonus_cap": "0", "categories": [{"id": "c", "label": "社区"}],
        "dimensions": [
            {"id": "short", "label": "支部建设", "points": "6",
             "items": (1..=3).map(|n| item(n, format!("短项目{n}"))).collect::<Vec<_>>()},
            {"id": "long", "label": "作用发挥明显", "points": "80",
             "items": (4..=43).map(|n| item(n, format!("长项目{n}"))).collect::<Vec<_>>()},
        ],
        "deduction_items": 43, "items": 43, "vetoes": [], "bonuses": [],
        "grades": [{"grade": {"id": "ok", "label": "合格", "level": 1}, "band": "0 分及以上"}],
    });
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in pdf_support::default_theme() {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    std::fs::write(dir.path().join("data.json"), data.to_string()).unwrap();
    let typst = dangjian::render::pdf::typst::locate().unwrap();
    let out = typst
        .compile_command(dir.path(), &pdf_support::font_dir(), 0)
        .args(["--input", "data=data.json", "rulebook.typ", "out.pdf"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = dir.path().join("out.pdf");
    let band = "（二）作用发挥明显（80分）";
    let continued = format!("{band}（续）");
    let mut long_pages = Vec::new();
    for n in 1.. {
        let Some(text) = page_text(&pdf, n).filter(|t| !t.is_empty()) else {
            break;
        };
        // The first of the long dimension's items on this page, if any.
        let Some(first) = (4..=43).find_map(|k| text.find(&format!("{k}.长项目{k}"))) else {
            continue;
        };
        long_pages.push(n);
        let at = text
            .find(band)
            .unwrap_or_else(|| panic!("page {n} has items of {band} without it: {text}"));
        assert!(
            at < first,
            "page {n}: the band comes after the rows: {text}"
        );
        if long_pages.len() == 1 {
            assert!(
                !text.contains(&continued),
                "page {n} is where it begins: {text}"
            );
            assert!(text.contains("（一）支部建设（6分）"), "page {n}: {text}");
        } else {
            assert_eq!(text.find(&continued), Some(at), "page {n}: {text}");
        }
    }
    assert!(
        long_pages.len() >= 2,
        "the dimension fits one page: {long_pages:?}"
    );
}
