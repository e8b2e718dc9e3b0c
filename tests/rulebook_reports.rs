//! The reports of a rulebook (扣分制), end to end on tests/fixtures/rulebook: the branch
//! page's and the booklet's 扣分明细 and 考评方式, fix-first naming the costliest clauses,
//! and the year's 考核细则 printed as a page and a PDF — read from the real HTML and the
//! real PDF text (pdftotext). The amounts are those of tests/rulebook.rs, worked out by
//! hand there; the working is repeated here where a line shows one.

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
    assert!(!row.contains("arrears每1扣1.5分−"), "{row}");
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
    // 10 × 0.7 = 7, 10 × 0.5 = 5), then nothing.
    let row = visible_text(between(&html, "id=\"item-absence\"", "</tr>"));
    assert!(
        row.contains(
            "未发生absences的，得10分absences不超过1起的，得7分absences不超过2起的，得5分其余不得分"
        ),
        "{row}"
    );
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
        "查阅会议记录、走访党员",
        "一票否决（高压线）",
        "作风评定为差",
        "加分项",
        "等次评定",
        "75分及以上、不足90分",
    ] {
        assert!(rulebook.contains(line), "rulebook lacks {line}: {rulebook}");
    }
}
