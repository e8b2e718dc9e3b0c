//! Excel end to end for contract version 2's assessment cycle: graded votes on the 测评
//! sheet, the inspection team's findings on 考评组检查 and the rectification plan on 整改计划,
//! typed into a template the way a person would (names separated by 、, several opinions in
//! one cell, an item without an id, an indicator chosen by its name, a deadline typed as
//! text), imported, and compared with a hand-written YAML twin: the same record text and
//! byte-identical scores.

mod common;
mod excel_support;

use std::path::Path;

use common::{copy_fixture, run, score_json, stderr};
use excel_support::{Book, V, t};

fn template(root: &Path, out: &Path) {
    let (r, o) = (root.to_string_lossy(), out.to_string_lossy());
    let res = run(&["template", "--root", &r, "--out", &o, "--year", "2026"]);
    assert!(res.status.success(), "template failed: {}", stderr(&res));
}

fn import(root: &Path, book: &Path) -> (bool, String) {
    let (r, b) = (root.to_string_lossy(), book.to_string_lossy());
    let res = run(&["import", "--root", &r, &b]);
    (res.status.success(), stderr(&res))
}

/// The fixture's 和平社区党支部 after the inspection: two more votes, the findings and a
/// plan of two items (the first numbered by the import).
const SHEQU: &str = "name: 和平社区党支部
category: community
meetings:
  - { date: 2026-02-10, kind: committee, topic: 研究支部工作 }
  - { date: 2026-04-10, kind: committee, topic: 研究支部工作 }
  - { date: 2026-06-10, kind: committee, topic: 研究支部工作 }
surveys:
  satisfaction: { respondents: 1000, positive: 201 }
votes:
  secretary_review: { excellent: 1, good: 1, fair: 1, poor: 2 }
  member_review: { excellent: 0, qualified: 0, basic: 3 }
facts:
  service_sites: 4
incidents:
  discipline_violations: 0
honors:
  district_brand: 1
  village_star: 1
inspection:
  date: 2026-06-15
  team: [张三, 李四]
  sampled: true
  methods: [听取汇报, 走访群众]
  verified: [meetings, votes]
  overall: 服务站点建设较好。
  opinions: [\"述职评议：好评率偏低, 要走访党员\", 满意度测评要覆盖全体居民代表]
rectification:
  - { id: r1, problem: 述职评议好评率不高, measure: 书记走访全体党员, owner: 王五, due: 2027-01-31, indicator: review }
  - { id: sat, problem: 群众满意率低, measure: 建立为民办事台账, due: 2026-06-30, indicator: satisfaction, done: 2026-06-20 }
";

#[test]
fn votes_inspection_and_plan_typed_into_the_template_score_like_their_yaml_twin() {
    let by_book = copy_fixture("v2");
    let by_yaml = copy_fixture("v2");
    let rel = "content/2026/street/shequ.yaml";
    std::fs::write(by_yaml.path().join(rel), SHEQU).unwrap();

    let path = by_book.path().join("t.xlsx");
    template(by_book.path(), &path);
    let mut b = Book::open(&path);
    // Version 2's label maps name the 数据 sheet's columns.
    b.column("数据", "党群服务站点数");
    b.column("数据", "返贫户");
    // The counts the record gives are prefilled; two levels are added.
    let row = b.find("测评", &[(0, "shequ")]);
    let best = b.column("测评", "书记抓党建述职评议·好");
    assert_eq!(
        b.sheet("测评").cells.get(&(row - 1, best)),
        Some(&V::Num(1.0))
    );
    b.set_by_header(
        "测评",
        row,
        &[
            ("书记抓党建述职评议·差", V::Num(2.0)),
            ("民主评议党员·基本合格", t("3")),
        ],
    );
    let row = b.find("考评组检查", &[(0, "shequ")]);
    b.set_by_header(
        "考评组检查",
        row,
        &[
            ("检查日期", V::Date(2026, 6, 15)),
            ("考评组成员", t("张三、李四")),
            ("是否抽查", t("是")),
            ("检查方法", t("听取汇报\n走访群众")),
            ("核实·会议记录", t("✓")),
            ("核实·评议票数", t("✓")),
            ("核实·清单", t("✗")),
            ("综合评价", t("服务站点建设较好。")),
            (
                "整改意见",
                t("述职评议：好评率偏低, 要走访党员\n\n满意度测评要覆盖全体居民代表"),
            ),
        ],
    );
    let s = |x: &str| Some(t(x));
    b.append(
        "整改计划",
        &[
            s("shequ"),
            None,
            None,
            s("述职评议好评率不高"),
            s("书记走访全体党员"),
            s("王五"),
            s("2027/1/31"),
            s("书记述职评议"),
            None,
        ],
    );
    b.append(
        "整改计划",
        &[
            s("shequ"),
            None,
            s("sat"),
            s("群众满意率低"),
            s("建立为民办事台账"),
            None,
            Some(V::Date(2026, 6, 30)),
            s("satisfaction"),
            Some(V::Date(2026, 6, 20)),
        ],
    );
    b.save(&path);

    let (ok, err) = import(by_book.path(), &path);
    assert!(ok, "{err}");
    assert!(err.contains("修改 1 个支部"), "{err}");
    assert_eq!(
        std::fs::read_to_string(by_book.path().join(rel)).unwrap(),
        SHEQU
    );
    let scores = score_json(by_book.path(), &[]);
    assert_eq!(scores, score_json(by_yaml.path(), &[]));
    // The plan's statuses at the cut-off (as_of 2026-06-30): r1 open (due 2027-01-31 ≥ C),
    // sat done (2026-06-20 ≤ due 2026-06-30); the block makes the branch inspected, sampled.
    let text = scores.to_string();
    assert!(
        text.contains(r#"{"id":"r1","indicator":"review","points""#)
            || text.contains(r#""id":"r1""#),
        "{text}"
    );
    assert!(text.contains(r#""status":"open""#) && text.contains(r#""status":"done""#));
}

#[test]
fn mistakes_on_the_cycle_sheets_are_reported_at_their_cells() {
    let dir = copy_fixture("v2");
    let path = dir.path().join("t.xlsx");
    template(dir.path(), &path);
    let before = std::fs::read(dir.path().join("content/2026/street/shequ.yaml")).unwrap();
    let mut b = Book::open(&path);
    let row = b.find("考评组检查", &[(0, "shequ")]);
    // No team, a date after the cut-off, a mark that is not ✓/✗.
    b.set_by_header(
        "考评组检查",
        row,
        &[("检查日期", V::Date(2026, 7, 15)), ("核实·清单", t("有"))],
    );
    let s = |x: &str| Some(t(x));
    // An unknown indicator, a deadline two years on, and no measure.
    b.append(
        "整改计划",
        &[
            s("shequ"),
            None,
            s("x"),
            s("问题"),
            None,
            None,
            s("2028-01-01"),
            s("不存在的指标"),
            None,
        ],
    );
    b.save(&path);
    let (ok, err) = import(dir.path(), &path);
    assert!(!ok);
    for want in [
        &format!("考评组检查!C{row}: error: `inspection`缺少必填字段 `team`") as &str,
        &format!("考评组检查!C{row}: error: 日期 2026-07-15 晚于"),
        &format!("考评组检查!H{row}: error: 核实情况只能填 ✓ 或 ✗，而不是“有”"),
        "整改计划!C9: error: 整改事项缺少必填字段 `measure`",
        "整改计划!G9: error: 整改期限 2028-01-01",
        "整改计划!H9: error: 整改对应的指标 `不存在的指标` 未定义",
        "未写入任何文件",
    ] {
        assert!(err.contains(want), "{want} missing in:\n{err}");
    }
    assert_eq!(
        std::fs::read(dir.path().join("content/2026/street/shequ.yaml")).unwrap(),
        before
    );
}

#[test]
fn assessment_sheet_lists_each_clause_with_where_its_fact_is_filled() {
    let dir = copy_fixture("rulebook");
    let path = dir.path().join("t.xlsx");
    template(dir.path(), &path);
    let mut b = Book::open(&path);
    let row = b.find("考评", &[(2, "org_life")]);
    let method = b.column("考评", "考评方式");
    let basis = b.column("考评", "评分依据");
    let get = |b: &mut Book, c: u16| b.sheet("考评").cells.get(&(row - 1, c)).cloned();
    assert_eq!(get(&mut b, method), Some(t("查阅会议记录、走访党员")));
    let Some(V::Text(text)) = get(&mut b, basis) else {
        panic!("no basis")
    };
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "扣分制，满分 20 分，扣完为止：",
            // Without a label map, a fact's column is named after the indicator reading it.
            "1. 无年度计划不得分（查：数据表“组织生活制度健全（facts.annual_plan）”）",
            // A clause without a label: the sentence made from it.
            "2. 支部党员大会每少一个季度扣2分（查：会议表（按支部党员大会自动统计开会的季度数））",
            "3. 不及时上报每次扣2分，最多扣4分（查：数据表“组织生活制度健全（incidents.late_reports）”）",
        ]
    );
}

#[test]
fn fixtures_of_version_2_round_trip_through_their_workbook() {
    // Template from the records, import unchanged: nothing changes, the same scores.
    for fixture in ["v2", "rulebook"] {
        let dir = copy_fixture(fixture);
        let before = score_json(dir.path(), &[]);
        let path = dir.path().join("t.xlsx");
        template(dir.path(), &path);
        let (ok, err) = import(dir.path(), &path);
        assert!(ok, "{fixture}: {err}");
        assert!(!err.contains("修改"), "{fixture}: {err}");
        assert_eq!(score_json(dir.path(), &[]), before, "{fixture}");
    }
}
