//! Hand-computed scores of tests/fixtures/v2: every number and status version 2 of the
//! contract adds, worked out by hand from SCHEMA.md ("Version 2 additions"); the working is
//! written beside each assertion.
//!
//! 2026's system (tests/fixtures/v2/indicators.yaml, version C), scale 100, bonus_cap 5:
//!   committee    20  steps on meetings.committee.months: ≥6 → 1, ≥3 → 0.5
//!   review       40  vote on votes.secretary_review: excellent 1, good 0.8, fair 0.4, poor 0
//!   satisfaction 20  goalpost 0 → 1 on surveys.satisfaction.rate
//!   members_vote 10  vote on votes.member_review: excellent 1, qualified 0.8, basic 0.5,
//!                    unqualified 0 (written worst first in the file)
//!   sites        10  community only: goalpost 0 → 5 on facts.service_sites
//!   funding      10  rural and office only: boolean true on facts.funding_secured
//!   vetoes: discipline (all, > 0 → good), no_relapse (rural only, relapsed_households > 0
//!           → good), poor_review (votes.secretary_review.rate.poor ≥ 0.5 → weak)
//!   bonuses: brand 2 each, max 4 (all); star_village 3 each (rural only)
//!   views: four_strong {team_strong: committee, review; bastion: satisfaction, sites,
//!          funding; members_strong: members_vote}, grid {inner: committee, members_vote;
//!          outer: sites}
//!   grades: top 90, good 75, weak 0. 2026's _org.yaml: as_of 2026-06-30, withdrawn: old.
//! 2025 (version B, no as_of: cut-off 2025-12-31): committee 40 (same steps), satisfaction 40,
//!   funding 20 (office only), sites 20 (rural and community; goalpost 0 → 5); veto
//!   discipline (> 0 → good). 2024 (version A, no veto): committee 50, satisfaction 30,
//!   funding 20 (every category).
//! Branches: cun (rural) 2024–2026; shequ (community) 2024–2026; jiguan (office) 2024 and
//! 2026, absent from 2025; old (rural) and gone (community) 2025 only.

mod common;

use common::*;
use serde_json::{Value, json};

fn v2() -> Value {
    score_json(&fixture("v2"), &[])
}

#[test]
fn cun_votes_views_and_a_veto_by_category() {
    let all = v2();
    let b = branch(&all, 2026, "cun");
    // review: (31 × 1 + 12 × 0.8 + 2 × 0.4 + 0 × 0) ÷ (31 + 12 + 2 + 0) = 41.4 ÷ 45 = 0.92;
    // 40 × 0.92 = 36.8.
    assert_eq!(b["indicators"]["review"], json!(36.8));
    // members_vote: (250 × 1 + 75 × 0.8 + 30 × 0.5 + 45 × 0) ÷ 400 = 325 ÷ 400 = 0.8125;
    // 10 × 0.8125 = 8.125, exactly on the rounding boundary: half away from zero → 8.13
    // (banker's rounding would give 8.12).
    assert_eq!(b["indicators"]["members_vote"], json!(8.13));
    // committee 6 months → 20; satisfaction 180 ÷ 200 = 0.9 → 18; funding true → 10.
    // Base 20 + 36.8 + 18 + 8.13 + 10 = 92.93.
    assert_eq!(b["base"], json!(92.93));
    // Bonus: brand has no honor given → 0; star_village (rural) 1 × 3 = 3. Total 95.93.
    assert_eq!(b["bonuses"], json!({"brand": 0, "star_village": 3}));
    assert_eq!(b["total"], json!(95.93));
    // 95.93 ≥ 90 → top, but one relapsed household fires no_relapse (rural) → good.
    assert_eq!(b["grade_before_vetoes"], "top");
    assert_eq!(b["grade"], "good");
    assert_eq!(b["vetoes"], json!(["no_relapse"]));
    assert_eq!(b["unchecked_vetoes"], json!([]));
    // Views: team_strong 20 + 36.8 = 56.8 of 20 + 40; bastion 18 + 10 = 28 of 20 + 10
    // (sites does not apply to a village); members_strong 8.13 of 10; grid inner
    // 20 + 8.13 = 28.13 of 30; grid outer holds only sites, which does not apply: left out.
    assert_eq!(
        b["views"],
        json!({
            "four_strong": {
                "team_strong": {"points": 56.8, "max": 60},
                "bastion": {"points": 28, "max": 30},
                "members_strong": {"points": 8.13, "max": 10}
            },
            "grid": {"inner": {"points": 28.13, "max": 30}}
        })
    );
    // A veto fired: on the list, though the grade is not the lowest.
    assert_eq!(b["on_rectification_list"], json!(true));
    // 2025: weak → on the list.
    assert_eq!(b["previous_on_list"], json!(true));
    assert_eq!(b["inspected"], json!(true));
    assert_eq!(b["sampled"], json!(false));
    assert_eq!(b["as_of"], "2026-06-30");
    // 2025 weak → 2026 good: up.
    assert_eq!(b["movement"], "up");
}

#[test]
fn cun_rectification_at_the_as_of_cut_off() {
    let all = v2();
    let b = branch(&all, 2026, "cun");
    // Cut-off C = as_of 2026-06-30.
    // r1: done 2026-05-31 = due 2026-05-31 → done. committee: 20 now; search back: 2025 has
    //     cun and committee applies → 2 committee months there < 3 → 0.
    // r2: done 2026-06-01 > due 2026-05-31 → late. funding: 10 now; 2025's funding is for
    //     offices only → skip 2025; 2024's applies to every category, funding true → 20.
    // r3: no done, due 2026-06-29 < C → overdue. review exists neither in 2025's system nor
    //     in 2024's → previous null.
    // r4: no done, due 2026-06-30 = C → open. satisfaction: 18 now; 2025 gives no survey,
    //     so it was missing there and scored 0.00, as that year's report shows.
    // r5: no done, due 2027-03-31 ≥ C → open; no indicator → indicator, points null.
    assert_eq!(
        b["rectification"],
        json!([
            {"id": "r1", "status": "done", "indicator": "committee", "points": 20, "previous_points": 0},
            {"id": "r2", "status": "late", "indicator": "funding", "points": 10, "previous_points": 20},
            {"id": "r3", "status": "overdue", "indicator": "review", "points": 36.8, "previous_points": null},
            {"id": "r4", "status": "open", "indicator": "satisfaction", "points": 18, "previous_points": 0},
            {"id": "r5", "status": "open", "indicator": null, "points": null, "previous_points": null}
        ])
    );
    let before = branch(&all, 2025, "cun");
    assert_eq!(before["missing"], json!(["satisfaction"]));
    assert_eq!(before["indicators"]["satisfaction"], json!(0));
}

#[test]
fn shequ_rectification_without_as_of() {
    let all = v2();
    let b = branch(&all, 2025, "shequ");
    // Cut-off C = 31 December 2025 (no as_of in 2025).
    // a: due 2025-12-31 = C, not done → open; sites 1 of 5 → 20 × 0.2 = 4 now; 2024's
    //    system has no sites → previous null.
    // b: due 2025-12-30 < C, not done → overdue.
    // c: done 2025-10-31 = due → done; committee 6 months → 40 now, 50 in 2024.
    // d: done 2025-12-31 > due 2025-10-31 → late.
    // e: due 2026-06-30 (next year) → open.
    assert_eq!(
        b["rectification"],
        json!([
            {"id": "a", "status": "open", "indicator": "sites", "points": 4, "previous_points": null},
            {"id": "b", "status": "overdue", "indicator": null, "points": null, "previous_points": null},
            {"id": "c", "status": "done", "indicator": "committee", "points": 40, "previous_points": 50},
            {"id": "d", "status": "late", "indicator": null, "points": null, "previous_points": null},
            {"id": "e", "status": "open", "indicator": null, "points": null, "previous_points": null}
        ])
    );
    // 40 + 180/200 × 40 = 36 + 4 = 80 → good; discipline 1 > 0 fires (cap good): the grade
    // stays good, but a fired veto puts the branch on the list.
    assert_eq!(b["total"], json!(80));
    assert_eq!(b["grade"], "good");
    assert_eq!(b["on_rectification_list"], json!(true));
    // 2024: 50 + 28.5 + 20 = 98.5 → top, not on the list.
    assert_eq!(b["previous_on_list"], json!(false));
    assert_eq!(b["as_of"], Value::Null);
    assert_eq!(b["inspected"], json!(false));
    assert_eq!(b["sampled"], Value::Null);
}

#[test]
fn shequ_vote_with_no_votes_and_what_does_not_apply() {
    let all = v2();
    let b = branch(&all, 2026, "shequ");
    // review: (1 × 1 + 1 × 0.8 + 1 × 0.4) ÷ 3 = 2.2 ÷ 3 = 0.7333…; 40 × 0.7333… = 29.333…
    // → 29.33 (the share stays exact; only the points are rounded).
    assert_eq!(b["indicators"]["review"], json!(29.33));
    // members_vote: 0 + 0 votes, total 0 → missing, 0 points.
    assert_eq!(b["indicators"]["members_vote"], json!(0));
    assert_eq!(b["missing"], json!(["members_vote"]));
    // committee 3 months → 0.5 × 20 = 10; satisfaction 201/1000 × 20 = 4.02; sites 4 of 5
    // → 8. Base 10 + 29.33 + 4.02 + 0 + 8 = 51.35.
    assert_eq!(b["base"], json!(51.35));
    // brand 1 × 2 = 2; star_village is for villages: the record's village_star adds nothing
    // and the bonus is not listed. Total 53.35 → weak.
    assert_eq!(b["bonuses"], json!({"brand": 2}));
    assert_eq!(b["total"], json!(53.35));
    assert_eq!(b["grade"], "weak");
    // no_relapse is for villages: the record gives no relapsed_households, and the veto is
    // neither fired nor unchecked. rate.poor = 0 ÷ 3 < 0.5: poor_review does not fire.
    assert_eq!(b["vetoes"], json!([]));
    assert_eq!(b["unchecked_vetoes"], json!([]));
    // Views: team_strong 10 + 29.33 = 39.33 of 60; bastion 4.02 + 8 = 12.02 of 30 (funding
    // is not a community's); members_strong 0 of 10; grid inner 10 + 0 = 10 of 30, outer 8
    // of 10.
    assert_eq!(
        b["views"],
        json!({
            "four_strong": {
                "team_strong": {"points": 39.33, "max": 60},
                "bastion": {"points": 12.02, "max": 30},
                "members_strong": {"points": 0, "max": 10}
            },
            "grid": {"inner": {"points": 10, "max": 30}, "outer": {"points": 8, "max": 10}}
        })
    );
    assert_eq!(b["rectification"], json!([]));
    assert_eq!(b["on_rectification_list"], json!(true));
    // 2025: the discipline veto fired → on the list.
    assert_eq!(b["previous_on_list"], json!(true));
    assert_eq!(b["inspected"], json!(false));
    assert_eq!(b["sampled"], Value::Null);
}

#[test]
fn jiguan_vote_rate_veto_and_search_back_over_an_absent_year() {
    let all = v2();
    let b = branch(&all, 2026, "jiguan");
    // review: (10 × 1 + 10 × 0) ÷ 20 = 0.5 → 20; members_vote (5 + 5 × 0.8) ÷ 10 = 0.9 → 9;
    // committee 6 → 20; satisfaction 200/200 → 20; funding 10. Base 79 → good.
    assert_eq!(b["total"], json!(79));
    assert_eq!(b["grade_before_vetoes"], "good");
    // votes.secretary_review.rate.poor = 10 ÷ 20 = 0.5 ≥ 0.5 → poor_review caps at weak.
    assert_eq!(b["vetoes"], json!(["poor_review"]));
    assert_eq!(b["grade"], "weak");
    // j1: done 2026-03-01 ≤ due 2026-03-31 → done. committee 20 now; 2025 has no jiguan,
    // so the search goes on to 2024: 3 months → 0.5 × 50 = 25.
    assert_eq!(
        b["rectification"],
        json!([{"id": "j1", "status": "done", "indicator": "committee", "points": 20, "previous_points": 25}])
    );
    // The nearest earlier year with a record is 2024: 25 + 10 + 20 = 55 → weak, on the list.
    assert_eq!(b["previous_on_list"], json!(true));
    // Movement looks only at the nearest earlier year folder (2025), where it is absent.
    assert_eq!(b["movement"], "new");
    assert_eq!(b["previous_grade"], Value::Null);
    assert_eq!(b["inspected"], json!(true));
    assert_eq!(b["sampled"], json!(true));
    // grid outer (sites) does not apply to an office: left out.
    assert_eq!(
        b["views"]["grid"],
        json!({"inner": {"points": 29, "max": 30}})
    );
    assert_eq!(b["bonuses"], json!({"brand": 0}));
}

#[test]
fn earlier_years_and_lists() {
    let all = v2();
    // 2024 cun: 4 months → 25; 150/200 × 30 = 22.5; funding 20 → 67.5 → weak.
    let cun = branch(&all, 2024, "cun");
    assert_eq!(cun["total"], json!(67.5));
    assert_eq!(cun["on_rectification_list"], json!(true));
    assert_eq!(cun["previous_on_list"], Value::Null);
    // A version 1 system in a version 2 project: the new fields are there, empty.
    assert_eq!(cun["views"], json!({}));
    assert_eq!(cun["rectification"], json!([]));
    // 2025 cun: 2 months → 0; survey missing → 0; 3 sites → 12. Total 12 → weak.
    // Its plan (for 2024's list): done 2025-09-15 ≤ due → done; committee 0 now, 25 in 2024.
    let cun = branch(&all, 2025, "cun");
    assert_eq!(cun["total"], json!(12));
    assert_eq!(
        cun["rectification"],
        json!([{"id": "plan2025", "status": "done", "indicator": "committee", "points": 0, "previous_points": 25}])
    );
    assert_eq!(cun["previous_on_list"], json!(true));
    // 2025 old: 0 + 100/200 × 40 + 0 = 20 → weak; gone: 40 + 40 + 20 = 100 → top.
    assert_eq!(
        branch(&all, 2025, "old")["on_rectification_list"],
        json!(true)
    );
    assert_eq!(branch(&all, 2025, "gone")["total"], json!(100));
    assert_eq!(
        branch(&all, 2025, "gone")["on_rectification_list"],
        json!(false)
    );
    // No branch of a year that is not there: 2026 has no old and no gone.
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .all(|b| b["year"] != 2026 || (b["id"] != "old" && b["id"] != "gone"))
    );
}

#[test]
fn withdrawn_vanished_and_missing_plan_warnings() {
    let root = fixture("v2");
    let o = run(&["check", "--root", &root.to_string_lossy()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    // jiguan (2024, on the list) is absent from 2025 and 2025 lists nothing: a warning at
    // 2025's _org.yaml, 1:1 (it has no `withdrawn`), saying it was on the list.
    assert!(
        lines.iter().any(|l| l
            .starts_with("content/2025/_org.yaml:1:1: warning: 2024 年度的支部 `jiguan`")
            && l.contains("列入了整改名单")),
        "{err}"
    );
    // gone (2025, not on the list) is absent from 2026 and not withdrawn: at the line of
    // `withdrawn` in 2026's _org.yaml (line 4), without the list note.
    let gone = lines
        .iter()
        .find(|l| l.contains("`gone`"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        gone.starts_with("content/2026/_org.yaml:4:1: warning: 2025 年度的支部 `gone`"),
        "{gone}"
    );
    assert!(!gone.contains("整改名单"), "{gone}");
    // old was on 2025's list but is withdrawn with its reason: no warning.
    assert!(!err.contains("`old`"), "{err}");
    // shequ was on 2025's list (veto) and gives no plan in 2026: at its record, 1:1.
    assert!(
        err.contains(
            "content/2026/street/shequ.yaml:1:1: warning: 该支部在 2025 年度列入了整改名单，本年度记录没有整改计划"
        ),
        "{err}"
    );
    // cun was on 2025's list and gives a plan: no warning; jiguan's nearest earlier year is
    // 2025, where it has no record: no warning either.
    assert!(!err.contains("cun.yaml:1:1: warning: 该支部"), "{err}");
    assert!(!err.contains("jiguan.yaml:1:1: warning: 该支部"), "{err}");
    // The empty vote is said as such.
    assert!(
        err.contains("content/2026/street/shequ.yaml:1:1: warning: 指标 `members_vote`（民主评议党员）读取的评议 `member_review` 总票数为 0"),
        "{err}"
    );
    // And 2025 cun's survey, missing (r4's previous points come from it).
    assert!(
        err.contains("content/2025/town/cun.yaml:1:1: warning: 缺少指标 `satisfaction`"),
        "{err}"
    );
    assert!(err.contains("共 5 个警告"), "{err}");
}

#[test]
fn table_says_provisional_and_csv_gains_columns_at_the_end() {
    let root = fixture("v2");
    let root = root.to_string_lossy();
    let o = run(&["score", "--root", &root, "--year", "2026"]);
    assert!(o.status.success());
    let table = stdout(&o);
    assert!(
        table.contains("注：2026 年度的分数为暂定（数据截至 2026-06-30）"),
        "{table}"
    );
    let o = run(&["score", "--root", &root, "--year", "2025"]);
    assert!(!stdout(&o).contains("暂定"));
    let o = run(&[
        "score", "--root", &root, "--year", "2026", "--format", "csv",
    ]);
    let csv = stdout(&o);
    let header = csv.lines().next().unwrap();
    assert!(
        header.ends_with("距上一等次,优先补短板,整改名单,上年整改名单,考评检查,整改事项,四强,grid"),
        "{header}"
    );
    let cun = csv.lines().find(|l| l.contains(",cun,")).unwrap();
    assert!(
        cun.contains(",是,是,全面检查,按期完成1 逾期完成1 逾期未完成1 整改中2,支部班子强 56.8/60；堡垒作用强 28/30；党员队伍强 8.13/10,内部 28.13/30"),
        "{cun}"
    );
}
