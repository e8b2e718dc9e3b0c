//! The reports of the assessment cycle, end to end: the real binary builds the site (and the
//! PDFs, where typst is installed) of `tests/fixtures/cycle` and the tests read the real
//! HTML and PDF text. Every number is worked out by hand below from the fixture.
//!
//! The fixture (system: committee months 0→12 on 12 points, general quarters 0→4 on 8,
//! satisfaction rate 0.6→1 on 30, the secretary review vote (1, 0.8, 0.5, 0) on 40, funding
//! true on 10; grades 好 ≥ 80, 合格 ≥ 60, 软弱涣散; a veto capping at 软弱涣散):
//! - 2025 cun: committee 3 months → 3.00; general 1 quarter → 2.00; satisfaction 0.8 →
//!   0.5 × 30 = 15.00; review (10×1 + 10×0.8 + 10×0.5 + 20×0) / 50 = 23/50 → 18.40;
//!   funding false → 0; total 38.40 → 软弱涣散, on the list.
//! - 2026 (as_of 2026-06-30) cun: committee months {1, 2, 4} → 3.00; general Q1 → 2.00;
//!   satisfaction 0.7 → 0.25 × 30 = 7.50; review (30 + 8 + 4 + 0) / 50 = 84% → 33.60;
//!   funding → 10; total 56.10 → 软弱涣散 again: on the list two years running.
//! - he: 2025 92.50 but the veto fired (on the list); 2026 82.50 → 好, off the list.
//! - gone: 2025 only, withdrawn in 2026 with a reason; lost: 2025 only, not listed.

mod common;
mod pdf_support;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::*;

/// The fixture's site, built once (with PDFs when typst is installed).
fn site() -> &'static (tempfile::TempDir, PathBuf, bool) {
    static SITE: OnceLock<(tempfile::TempDir, PathBuf, bool)> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = copy_fixture("cycle");
        let pdf = dangjian::render::pdf::check_typst().is_ok();
        let extra: &[&str] = if pdf { &[] } else { &["--no-pdf"] };
        let (out, _) = build_site(dir.path(), extra);
        (dir, out, pdf)
    })
}

fn page(rel: &str) -> String {
    std::fs::read_to_string(site().1.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The section of a page from the element with `id` to the next `<section` or `<h2`.
fn section(html: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no element with {marker}"));
    let rest = &html[start..];
    let end = ["<section", "<h2 "]
        .iter()
        .filter_map(|m| rest[1..].find(m).map(|i| i + 1))
        .min()
        .unwrap_or(rest.len());
    rest[..end].to_string()
}

/// The calendar row of a meeting kind: its cells' states (`held`, `missed`, `pending`,
/// `future`), in month order.
fn calendar_row(html: &str, label: &str) -> Vec<String> {
    let cal = section(html, "calendar");
    let row_start = cal
        .find(&format!("<th scope=\"row\">{label}</th>"))
        .unwrap_or_else(|| panic!("no calendar row {label}"));
    let row = &cal[row_start..cal[row_start..].find("</tr>").unwrap() + row_start];
    row.split("<td class=\"cal-")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect()
}

#[test]
fn the_calendar_marks_held_missed_and_months_after_the_cut_off() {
    let html = page("2026/branch/cun.html");
    // Committee meetings in January, February and April; June is the cut-off's month and
    // complete (30 June), so March, May and June are missed; July on have not come.
    let mut want = vec!["held", "held", "missed", "held", "missed", "missed"];
    want.extend(["future"; 6]);
    assert_eq!(calendar_row(&html, "支委会"), want);
    let mut lecture = vec!["missed", "missed", "held", "missed", "missed", "missed"];
    lecture.extend(["future"; 6]);
    assert_eq!(calendar_row(&html, "党课"), lecture);
    // Each state has a mark that reads without colour, and words for screen readers.
    let css = std::fs::read_to_string(site().1.join("static/style.css")).unwrap();
    for rule in [
        "td.cal-held::before { content: \"●\" / \"已开\"; }",
        "td.cal-missed::before { content: \"○\" / \"未开\"; }",
        "td.cal-pending::before { content: \"…\" / \"本月未满\"; }",
        "td.cal-future::before { content: \"–\" / \"未到\"; }",
    ] {
        assert!(css.contains(rule), "style.css lacks {rule}");
    }
    // Months with a meeting, meetings held, how the system counts the kind.
    let t = visible_text(&section(&html, "calendar"));
    assert!(t.contains("党课1/1次—"), "{t}");
    assert!(t.contains("支委会3/3次按月"), "{t}");
    assert!(t.contains("支部党员大会1/1次按季度"), "{t}");
    // A finished year has no month to come.
    let old = page("2025/branch/cun.html");
    let row = calendar_row(&old, "支委会");
    assert_eq!(row.len(), 12);
    assert!(!row.iter().any(|c| c == "future"));
    assert_eq!(row.iter().filter(|c| *c == "held").count(), 3);
    // A cut-off before the month's end leaves that month pending.
    let dir = fixture_with(
        "cycle",
        "content/2026/_org.yaml",
        "name: 周期测试区委\nas_of: 2026-06-29\nwithdrawn:\n  gone: 居民区撤并，党支部合并\n",
    );
    let (out, _) = build_site(dir.path(), &["--no-pdf"]);
    let html = std::fs::read_to_string(out.join("2026/branch/cun.html")).unwrap();
    let row = calendar_row(&html, "支委会");
    assert_eq!(&row[4..7], ["missed", "pending", "future"]);
}

#[test]
fn a_year_in_progress_lists_the_months_and_quarters_passed_without_a_meeting() {
    let t = visible_text(&section(&page("2026/branch/cun.html"), "progress"));
    // Six months passed by 30 June: March, May and June without a committee meeting; two
    // quarters: the second without a general meeting.
    assert!(
        t.contains("支委会（按月考核）：已过6个月，其中3个月开了会；缺开3月、5月、6月。"),
        "{t}"
    );
    assert!(
        t.contains("支部党员大会（按季度考核）：已过2个季度，其中1个季度开了会；缺开第二季度。"),
        "{t}"
    );
    // A finished year has no progress list.
    assert!(!page("2025/branch/cun.html").contains("id=\"progress\""));
}

#[test]
fn the_year_in_progress_is_a_mid_year_inspection_on_every_page() {
    for rel in [
        "2026/index.html",
        "2026/branch/cun.html",
        "2026/ranking.html",
        "2026/indicators.html",
    ] {
        let html = page(rel);
        let banner = visible_text(&section(&html, "stage"));
        assert!(
            banner.contains("年中检查：2026年度考评尚在进行，本次为年中检查：数据截至2026年6月30日，分数、等次和名次均为暂计"),
            "{rel}: {banner}"
        );
        assert!(
            visible_text(&html).contains("数据截至2026年6月30日，分数暂计"),
            "{rel}"
        );
    }
    let year = page("2026/index.html");
    assert!(visible_text(&year).contains("2026年度基层党组织建设质量年中检查报告"));
    assert!(visible_text(&page("2026/branch/cun.html")).contains("总分暂计"));
    // A finished year says nothing of the kind.
    for rel in ["2025/index.html", "2025/branch/cun.html"] {
        let html = page(rel);
        assert!(!html.contains("id=\"stage\""), "{rel}");
        assert!(!visible_text(&html).contains("年中检查"), "{rel}");
    }
}

#[test]
fn the_branch_page_shows_the_inspection_and_what_is_self_reported_only() {
    let html = page("2026/branch/cun.html");
    let t = visible_text(&section(&html, "inspection"));
    assert!(t.contains("检查日期2026年6月20日"), "{t}");
    assert!(t.contains("考评组王五、赵六"), "{t}");
    assert!(t.contains("检查方式抽查"), "{t}");
    assert!(t.contains("检查方法听取汇报、查阅台账"), "{t}");
    // Verified: meetings and votes; given but not verified: the survey, the facts, the
    // incidents.
    assert!(t.contains("已核对原始材料组织生活台账、评议票数"), "{t}");
    assert!(
        t.contains("仅为自报（未核对）问卷测评、工作数据、事件记录"),
        "{t}"
    );
    assert!(
        visible_text(&section(&html, "overall")).contains("班子思想统一，但组织生活仍不经常。")
    );
    assert!(
        visible_text(&section(&html, "opinions"))
            .contains("支委会要按月召开满意度测评要覆盖全体村民代表")
    );
    // Not inspected: every part given is self-reported.
    let xin = visible_text(&section(&page("2026/branch/xin.html"), "inspection"));
    assert!(
        xin.contains("本年度考评组未到本支部检查；工作数据、事件记录均为支部自报，未经核对。"),
        "{xin}"
    );
}

#[test]
fn the_plan_has_each_status_at_the_cut_off_and_last_years_plan_its_effect() {
    let html = page("2026/branch/cun.html");
    let plan = visible_text(&section(&html, "plan"));
    // Cut-off 30 June: r1 done 30 May ≤ due 31 May (done); r2 done 10 June > 31 May
    // (late); r3 not done, due 15 June < 30 June (overdue); r4 due 31 December (open).
    assert!(
        plan.contains("本年度整改计划共4项：按期完成1项，逾期完成1项，逾期未完成1项，整改中1项。状态按截止日期2026年6月30日计算。"),
        "{plan}"
    );
    assert!(plan.contains("支委会仍不按月召开书记牵头制定年度会议计划张书记2026年5月31日按期完成2026年5月30日完成支委会按月召开本年3.00/12.00；2025年3.00"), "{plan}");
    assert!(plan.contains("活动经费无保障争取镇党委专项经费—2026年5月31日逾期完成2026年6月10日完成活动经费保障本年10.00/10.00；2025年0.00"), "{plan}");
    assert!(plan.contains("群众满意率继续下降逐户走访听取意见李委员2026年6月15日逾期未完成群众满意率本年7.50/30.00；2025年15.00"), "{plan}");
    assert!(
        plan.contains("党员活动室改造完成改造并投入使用—2026年12月31日整改中—"),
        "{plan}"
    );

    // 2025's plan: committee 3.00/12 → 3.00/12 (25.0% both: same); review 18.40/40 (46%)
    // → 33.60/40 (84%: improved); satisfaction 15.00/30 → 7.50/30 (worse); the fourth item
    // names no indicator. Statuses at 31 December 2025: c1 done, c2 open (due 2026-03-31),
    // c3 overdue, c4 late.
    let last = visible_text(&section(&html, "last-plan"));
    assert!(
        last.contains(
            "2025年度整改计划共4项，其中3项针对具体指标：本年度得分率提高1项、持平1项、下降1项。"
        ),
        "{last}"
    );
    assert!(
        last.contains(
            "支委会不按月召开每月第一周召开支委会按期完成支委会按月召开3.00/12.003.00/12.00持平"
        ),
        "{last}"
    );
    assert!(
        last.contains(
            "书记述职评议差评多书记走访全体党员整改中书记述职评议18.40/40.0033.60/40.00▲提高"
        ),
        "{last}"
    );
    assert!(
        last.contains(
            "群众满意率不高建立为民办事台账逾期未完成群众满意率15.00/30.007.50/30.00▼下降"
        ),
        "{last}"
    );
    assert!(
        last.contains("活动阵地陈旧改造党员活动室逾期完成———"),
        "{last}"
    );
    // No earlier year: no such section.
    assert!(!page("2025/branch/cun.html").contains("id=\"last-plan\""));
}

#[test]
fn the_votes_show_counts_shares_and_the_score_they_give() {
    let html = page("2026/branch/cun.html");
    let t = visible_text(&section(&html, "votes"));
    // 30 + 10 + 8 + 2 = 50 votes: 60.0%, 20.0%, 16.0%, 4.0%; weighted (30 + 8 + 4) / 50 =
    // 84.0%, 40 × 0.84 = 33.60.
    assert!(t.contains("书记抓党建述职评议（共50票）"), "{t}");
    assert!(t.contains("好3060.0%较好1020.0%一般816.0%差24.0%"), "{t}");
    assert!(
        t.contains("书记述职评议加权得分率84.0%，得33.60/40.00分"),
        "{t}"
    );
    // A branch without the vote.
    let xin = visible_text(&section(&page("2026/branch/xin.html"), "votes"));
    assert!(xin.contains("书记抓党建述职评议：未填报"), "{xin}");
    assert!(
        xin.contains("没有票数，按缺数据计，得0.00/40.00分"),
        "{xin}"
    );
}

#[test]
fn every_view_is_a_chart_with_its_groups() {
    let html = page("2026/branch/cun.html");
    let v = section(&html, "views");
    assert!(v.contains("id=\"view-four_strong\""));
    // One bar chart per view: a bar per group, its length the group's share.
    assert_eq!(v.matches("class=\"bars\"").count(), 1, "one chart per view");
    assert!(v.contains("<span style=\"width: 25.0%\"></span>"), "{v}");
    assert!(v.contains("<span style=\"width: 58.7%\"></span>"), "{v}");
    // team: committee 3.00 + general 2.00 of 12 + 8 → 25.0%; bastion: satisfaction 7.50 +
    // review 33.60 = 41.10 of 70 → 58.7%.
    let t = visible_text(&v);
    assert!(t.contains("5.00/20.00（25.0%）"), "{t}");
    assert!(t.contains("41.10/70.00（58.7%）"), "{t}");
    assert!(t.contains("支部班子强") && t.contains("堡垒作用强"));
}

#[test]
fn the_year_page_tracks_rectification() {
    let html = page("2026/index.html");
    let t = visible_text(&section(&html, "tracking"));
    // cun: 4 items (one of each status); he: 1 item done.
    assert!(
        t.contains("截至2026年6月30日，2个支部制定了整改计划，共5项：按期完成2项，逾期完成1项，逾期未完成1项，整改中1项。"),
        "{t}"
    );
    // By street: 东街道 4 items (1, 1, 1, 1), 西街道 1 (1, 0, 0, 0).
    assert!(t.contains("东街道党工委41111"), "{t}");
    assert!(t.contains("西街道党工委11000"), "{t}");
    let overdue = visible_text(&section(&html, "overdue"));
    assert!(overdue.contains("逾期未完成的整改事项（1项）"), "{overdue}");
    assert!(
        overdue.contains("东村党支部东街道党工委群众满意率继续下降李委员2026年6月15日"),
        "{overdue}"
    );
    let two = visible_text(&section(&html, "two-years"));
    assert!(two.contains("连续两年列入整改名单（1个）"), "{two}");
    assert!(
        two.contains("东村党支部（东街道党工委）：软弱涣散→软弱涣散，总分56.10，本年度整改计划4项"),
        "{two}"
    );
    // he was on 2025's list (the veto) and is 好 in 2026.
    let improved = visible_text(&section(&html, "improved"));
    assert!(
        improved.contains("上次列入整改名单、本年度已移出（1个）"),
        "{improved}"
    );
    assert!(
        improved.contains("河畔社区党支部（西街道党工委）：软弱涣散→好，总分82.50"),
        "{improved}"
    );
    let withdrawn = visible_text(&section(&html, "withdrawn"));
    assert!(
        withdrawn.contains("2025年度有、本年度已撤销的支部（1个）"),
        "{withdrawn}"
    );
    assert!(withdrawn.contains("旧居民区党支部（西街道党工委，2025年度软弱涣散）上年在整改名单上：居民区撤并，党支部合并"), "{withdrawn}");
    let vanished = visible_text(&section(&html, "vanished"));
    assert!(
        vanished.contains("失联村党支部（东街道党工委，2025年度好）"),
        "{vanished}"
    );
    assert!(
        !vanished.contains("无从跟踪"),
        "lost was not on the list: {vanished}"
    );
}

#[test]
fn the_year_page_shows_inspection_coverage_view_means_and_vote_results() {
    let html = page("2026/index.html");
    // 3 branches: cun (sampled, meetings and votes verified), he (every branch, nothing
    // verified), xin (not inspected).
    let t = visible_text(&section(&html, "inspection-coverage"));
    assert!(
        t.contains("考评组检查了2个支部（占66.7%），其中抽查1个、全面检查1个；1个支部的记录有部分经过与原始材料核对（占33.3%）"),
        "{t}"
    );
    assert!(t.contains("组织生活台账133.3%"), "{t}");
    assert!(t.contains("评议票数133.3%"), "{t}");
    assert!(t.contains("问卷测评00.0%"), "{t}");
    // team: cun 5.00, he 6.00 + 4.00 = 10.00, xin 0 → mean 15 / 3 = 5.00 of 20, 15/60 =
    // 25.0%; bastion: cun 41.10, he 22.50 + 40 = 62.50, xin 0 → 103.60 / 3 = 34.53 of 70,
    // 103.6/210 = 49.3%.
    let v = visible_text(&section(&html, "view-means"));
    assert!(v.contains("支部班子强35.00/20.0025.0%"), "{v}");
    assert!(v.contains("堡垒作用强334.53/70.0049.3%"), "{v}");
    // Votes: cun 30/10/8/2, he 40/0/0/0: 90 votes, 70 好 (77.8%), 10 (11.1%), 8 (8.9%),
    // 2 (2.2%); the indicator's mean (33.60 + 40 + 0) / 3 = 24.53.
    let votes = visible_text(&section(&html, "votes"));
    assert!(
        votes.contains("书记抓党建述职评议：2个支部填报，共90票"),
        "{votes}"
    );
    assert!(
        votes.contains("好7077.8%较好1011.1%一般88.9%差22.2%"),
        "{votes}"
    );
    assert!(
        votes.contains("书记述职评议3个支部平均24.53/40.00分"),
        "{votes}"
    );
}

#[test]
fn veto_conditions_and_every_page_show_labels_not_raw_ids() {
    let ids = [
        "incidents.discipline_violations",
        "discipline_violations",
        "surveys.satisfaction",
        "facts.funding_secured",
        "funding_secured",
        "secretary_review",
        "four_strong",
    ];
    let out = &site().1;
    for year in ["2025", "2026"] {
        for entry in std::fs::read_dir(out.join(year).join("branch")).unwrap() {
            let p = entry.unwrap().path();
            let shown = visible_text(&strip_scripts(&std::fs::read_to_string(&p).unwrap()));
            for id in ids {
                assert!(!shown.contains(id), "{}: shows {id}", p.display());
            }
        }
        let shown = visible_text(&strip_scripts(&page(&format!("{year}/index.html"))));
        for id in ids {
            assert!(!shown.contains(id), "{year}/index.html shows {id}");
        }
    }
    let t = visible_text(&page("2026/branch/cun.html"));
    assert!(
        t.contains("“党员违纪违法”起数>0"),
        "the veto's condition in words"
    );
}

/// The page without its `<script>` and `<style>` elements and without attribute values.
fn strip_scripts(html: &str) -> String {
    let mut s = html.to_string();
    for tag in ["script", "style"] {
        while let Some(i) = s.find(&format!("<{tag}")) {
            let end = s[i..]
                .find(&format!("</{tag}>"))
                .map_or(s.len(), |j| i + j + tag.len() + 3);
            s.replace_range(i..end, "");
        }
    }
    // Drop attributes (ids and hrefs hold ids on purpose).
    let mut out = String::new();
    let mut in_tag = false;
    let mut in_quote = false;
    for c in s.chars() {
        match c {
            '<' if !in_quote => {
                in_tag = true;
                out.push(c);
            }
            '>' if in_tag && !in_quote => {
                in_tag = false;
                out.push(c);
            }
            '"' if in_tag => in_quote = !in_quote,
            _ if in_tag && in_quote => {}
            c => out.push(c),
        }
    }
    out
}

fn pdf_text(rel: &str) -> Option<String> {
    let (_, out, pdf) = site();
    if !*pdf || !pdf_support::require("pdftotext", "-v") {
        return None;
    }
    let path: &Path = &out.join(rel);
    Some(pdf_support::pdf_text(path))
}

#[test]
fn the_booklet_prints_the_cycle_and_fills_the_opinion_page() {
    let Some(t) = pdf_text("2026/pdf/cun.pdf") else {
        return;
    };
    assert!(t.contains("基层党组织建设质量年中检查手册"), "{t}");
    assert!(t.contains("年中检查·数据截至2026年6月30日·分数暂计"), "{t}");
    assert!(t.contains("六、组织生活、检查与评议"));
    assert!(t.contains("七、整改计划与落实"));
    // The calendar's committee row and the progress list.
    assert!(t.contains("支委会●●○●○○––––––3按月"), "{t}");
    assert!(t.contains("支委会（按月）"), "{t}");
    assert!(
        t.contains("6个月3个月3月、5月、6月2个季度1个季度第二季度"),
        "{t}"
    );
    assert!(t.contains("已核对原始材料组织生活台账、评议票数"), "{t}");
    assert!(t.contains("好3060.0%"), "{t}");
    assert!(t.contains("加权得分率84.0%，得33.60/40.00分"), "{t}");
    assert!(
        t.contains("群众满意率不高逾期未完成群众满意率15.00/30.007.50/30.00▼下降"),
        "{t}"
    );
    // The opinion page, filled in.
    let op = &t[t.find("九、考评组意见").expect("opinion page")..];
    assert!(
        op.contains("考评组：王五、赵六（2026年6月20日，抽查）"),
        "{op}"
    );
    assert!(
        op.contains("综合评价：班子思想统一，但组织生活仍不经常。"),
        "{op}"
    );
    assert!(
        op.contains("1.支委会要按月召开2.满意度测评要覆盖全体村民代表"),
        "{op}"
    );
    // No inspection: blank lines, no names.
    let Some(x) = pdf_text("2026/pdf/xin.pdf") else {
        return;
    };
    let op = &x[x.find("九、考评组意见").expect("opinion page")..];
    assert!(!op.contains("考评组："), "{op}");
    assert!(!op.contains("综合评价："), "{op}");
}

#[test]
fn the_annual_report_prints_the_follow_up() {
    let Some(t) = pdf_text("2026/pdf/annual-report.pdf") else {
        return;
    };
    assert!(t.contains("2026年度基层党组织建设质量年中检查报告"));
    assert!(t.contains("六、整改跟踪"));
    assert!(
        t.contains("截至2026年6月30日，2个支部制定了整改计划，共5项"),
        "{t}"
    );
    assert!(
        t.contains("东村党支部东街道党工委群众满意率继续下降李委员2026年6月15日"),
        "{t}"
    );
    assert!(
        t.contains("旧居民区党支部软弱涣散在撤销原因居民区撤并，党支部合并"),
        "{t}"
    );
    assert!(t.contains("失联村党支部好不在"), "{t}");
    assert!(t.contains("考评组检查了2个支部（占66.7%）"), "{t}");
    assert!(t.contains("3个支部平均24.53/40.00分"), "{t}");
    for id in [
        "discipline_violations",
        "secretary_review",
        "funding_secured",
    ] {
        assert!(!t.contains(id), "the report shows {id}");
    }
}

/// A character no font can draw in an inspection's or a plan's text is found where it was
/// written (the PDF stage's warning points there, not at 1:1): each text of the inspection
/// and of this year's plan in the branch's record, and last year's plan (shown beside it)
/// in last year's record.
#[test]
fn the_cycles_texts_are_found_where_they_were_written() {
    use dangjian::diagnostics::Pos;
    use dangjian::view::{Ctx, booklet, text};
    let dir = copy_fixture("cycle");
    let now = "content/2026/east/cun.yaml";
    let then = "content/2025/east/cun.yaml";
    // One rare character in each text, each a different one.
    let marks = [
        (now, "赵六", "赵𠀁六"),
        (now, "查阅台账", "查阅𠀂台账"),
        (now, "但组织生活", "但𠀃组织生活"),
        (now, "覆盖全体", "覆盖𠀄全体"),
        (now, "活动经费无保障", "活动𠀅经费无保障"),
        (now, "逐户走访", "逐户𠀆走访"),
        (now, "李委员", "李𠀇委员"),
        (then, "书记走访全体党员", "书记走访𠀈全体党员"),
    ];
    for (file, from, to) in marks {
        let path = dir.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file}: {from}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }
    let (project, diags) = dangjian::load::load(dir.path());
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    let assessment = dangjian::score::assess(&project);
    let ctx = Ctx::new(&project, &assessment, None);
    let y = project.years.iter().position(|x| x.year == 2026).unwrap();
    let k = project.years[y].branch_index("cun").unwrap();
    let b = booklet::booklet(&ctx, y, k, &ctx.stats[y]);
    let sources = b.sources();
    for (file, _, to) in marks {
        let c = to.chars().find(|c| *c as u32 >= 0x20000).unwrap();
        let text = std::fs::read_to_string(dir.path().join(file)).unwrap();
        let at = Pos::at(&text, text.find(c).unwrap());
        assert_eq!(text::locate(&sources, c), Some((file, at)), "{to}");
    }
}
