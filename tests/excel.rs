//! Excel end to end, on the real binary: the template of a year, filled in by a program,
//! imported back, scored; the bundled example round-trips to the same scores; a workbook
//! full of mistakes reports every one at its sheet and cell and writes nothing.

mod common;
mod excel_support;

use std::collections::BTreeMap;
use std::path::Path;

use common::{copy_dir, copy_fixture, repo, run, score_json, stderr};
use excel_support::{Book, V, t};

/// Every file under `content/`, with its bytes.
fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(root).unwrap().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn template(root: &Path, out: &Path, extra: &[&str]) {
    let (r, o) = (root.to_string_lossy(), out.to_string_lossy());
    let mut args = vec!["template", "--root", &r, "--out", &o];
    args.extend_from_slice(extra);
    let res = run(&args);
    assert!(res.status.success(), "template failed: {}", stderr(&res));
}

fn import(root: &Path, books: &[&Path], extra: &[&str]) -> (bool, String) {
    let r = root.to_string_lossy().into_owned();
    let names: Vec<String> = books
        .iter()
        .map(|b| b.to_string_lossy().into_owned())
        .collect();
    let mut args = vec!["import", "--root", r.as_str()];
    args.extend(names.iter().map(String::as_str));
    args.extend_from_slice(extra);
    let res = run(&args);
    (res.status.success(), stderr(&res))
}

fn example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("content"), &dir.path().join("content"));
    std::fs::copy(
        repo().join("indicators.yaml"),
        dir.path().join("indicators.yaml"),
    )
    .unwrap();
    dir
}

#[test]
fn the_bundled_example_round_trips_to_byte_identical_scores() {
    let dir = example();
    let root = dir.path();
    let before = snapshot(root);
    let scores = run(&[
        "score",
        "--root",
        &root.to_string_lossy(),
        "--format",
        "json",
    ]);
    assert!(scores.status.success());
    let books = tempfile::tempdir().unwrap();
    for year in ["2025", "2026"] {
        let book = books.path().join(format!("{year}.xlsx"));
        template(root, &book, &["--year", year]);
        let (ok, err) = import(root, &[&book], &[]);
        assert!(ok, "{err}");
        assert!(err.contains("内容未变"), "{err}");
        assert!(!err.contains("修改") && !err.contains("新增"), "{err}");
    }
    // Nothing had changed, so nothing was written: the records keep their comments.
    assert_eq!(snapshot(root), before);
    let again = run(&[
        "score",
        "--root",
        &root.to_string_lossy(),
        "--format",
        "json",
    ]);
    assert_eq!(again.stdout, scores.stdout);
}

#[test]

fn the_example_rewritten_from_its_workbook_scores_the_same() {
    // The records written from the workbook (no comments, the contract's key order) give
    // byte-identical scores: forced by removing the records before importing.
    let dir = example();
    let root = dir.path();
    let scores = run(&[
        "score",
        "--root",
        &root.to_string_lossy(),
        "--format",
        "json",
    ]);
    let book = root.join("2026.xlsx");
    template(root, &book, &["--year", "2026"]);
    for (path, _) in snapshot(root) {
        if path.starts_with("content/2026/")
            && path.ends_with(".yaml")
            && !path.ends_with("_org.yaml")
        {
            std::fs::write(root.join(&path), "name: 临时\ncategory: rural\n").unwrap();
        }
    }
    let (ok, err) = import(root, &[&book], &[]);
    assert!(ok, "{err}");
    assert!(err.contains("修改 46 个支部"), "{err}");
    let again = run(&[
        "score",
        "--root",
        &root.to_string_lossy(),
        "--format",
        "json",
    ]);
    assert_eq!(
        String::from_utf8_lossy(&again.stdout),
        String::from_utf8_lossy(&scores.stdout)
    );
    let written =
        std::fs::read_to_string(root.join("content/2026/fengxiang/fengxiaoxue.yaml")).unwrap();
    assert!(written.starts_with("name: 凤翔路小学党支部\ncategory: institution\nmembers: 27\n"));
    assert!(written.contains("  - { date: 2026-01-15, kind: theme_day, topic: 走访慰问困难党员和老党员, expected: 27, present: 24 }\n"));
    assert!(written.contains("  six_haves: 1.42\n"));
    // Version 2: votes, the inspection and the plan come back from their sheets.
    assert!(
        written
            .contains("votes:\n  secretary_review: { excellent: 24, good: 7, fair: 3, poor: 1 }\n")
    );
    assert!(written.contains(
        "inspection:\n  date: 2026-11-25\n  team: [林国栋, 何敏, 马骏]\n  sampled: true\n  methods: [听取汇报, 查阅台账, 问卷测评, 走访群众]\n  verified: [meetings, checklists, surveys, votes]\n"
    ));
    assert!(!written.contains('#'));
    let plan = std::fs::read_to_string(root.join("content/2026/fengxiang/chunhui.yaml")).unwrap();
    assert!(plan.contains("rectification:\n  - { id: petition, problem: 发生 1 起越级上访，矛盾化解不及时, measure: 建立楼组矛盾排查机制，每周研判，重点诉求书记包案, owner: 居民区党总支书记, due: 2027-02-28 }\n"), "{plan}");
    // The narratives are untouched.
    assert_eq!(
        std::fs::read(root.join("content/2026/fengxiang/fengxiaoxue.md")).unwrap(),
        std::fs::read(repo().join("content/2026/fengxiang/fengxiaoxue.md")).unwrap()
    );
}

/// The hand-written twin of the branch the next test types into the workbook.
const NEWBIE: &str = "name: 新苗居民区党支部
category: community
members: 25
secretary: 王五
meetings:
  - { date: 2026-03-05, kind: committee, topic: 研究年度计划, expected: 5, present: 5 }
  - { date: 2026-06-05, kind: committee, topic: 学习党章, expected: 5, present: 4 }
  - { date: 2026-09-05, kind: lecture, topic: \"党课: 初心使命\", expected: 25, present: 20 }
checklists:
  five_ones: [a, b]
surveys:
  satisfaction: { respondents: 200, positive: 181 }
facts:
  funding_secured: true
  service_points: 3.5
incidents:
  complaints: 1
  discipline_violations: 0
ratings:
  work_style: good
honors:
  brand: 1
self_scores:
  committee_months: 4.5
  satisfaction: 4.53
  work_style: 8
";

#[test]
fn a_branch_typed_into_the_template_scores_like_its_yaml_twin() {
    let by_book = copy_fixture("golden");
    let by_yaml = copy_fixture("golden");
    std::fs::write(by_yaml.path().join("content/2026/east/newbie.yaml"), NEWBIE).unwrap();

    let book_path = by_book.path().join("t.xlsx");
    template(by_book.path(), &book_path, &["--year", "2026"]);
    let mut b = Book::open(&book_path);
    let s = |x: &str| Some(t(x));
    b.append(
        "支部",
        &[
            s("newbie"),
            s("新苗居民区党支部"),
            s("east"),
            s("社区"),
            Some(V::Num(25.0)),
            s("王五"),
        ],
    );
    // A date cell, a date typed as text, and a topic YAML would misread unquoted.
    b.append(
        "会议",
        &[
            s("newbie"),
            None,
            Some(V::Date(2026, 3, 5)),
            s("支委会"),
            s("研究年度计划"),
            Some(V::Num(5.0)),
            Some(V::Num(5.0)),
        ],
    );
    b.append(
        "会议",
        &[
            s("newbie"),
            None,
            s("2026/6/5"),
            s("支委会"),
            s("学习党章"),
            Some(V::Num(5.0)),
            Some(V::Num(4.0)),
        ],
    );
    b.append(
        "会议",
        &[
            s("newbie"),
            None,
            Some(V::Date(2026, 9, 5)),
            s("党课"),
            s("党课: 初心使命"),
            s("25"),
            Some(V::Num(20.0)),
        ],
    );
    // 五个一: a ✓, b ✓, c ✗, d and e blank.
    b.append("清单", &[s("newbie"), None, s("✓"), s("✓"), s("✗")]);
    b.append(
        "测评",
        &[s("newbie"), None, Some(V::Num(200.0)), Some(V::Num(181.0))],
    );
    // funding, service points (a binary float: 3.5), complaints, discipline, brand, commend.
    b.append(
        "数据",
        &[
            s("newbie"),
            None,
            s("是"),
            Some(V::Num(3.5)),
            Some(V::Num(1.0)),
            Some(V::Num(0.0)),
            Some(V::Num(1.0)),
            None,
        ],
    );
    for (ind, rating, score) in [
        ("committee_months", None, Some(V::Num(4.5))),
        ("attendance", None, None),
        ("work_style", s("良好"), Some(V::Num(8.0))),
        // 4.53 is not exactly representable as a double: read at its shortest text.
        ("satisfaction", None, Some(V::Num(4.53))),
    ] {
        b.append(
            "考评",
            &[
                s("newbie"),
                None,
                s(ind),
                None,
                None,
                None,
                None,
                rating,
                score,
            ],
        );
    }
    b.save(&book_path);

    let (ok, err) = import(by_book.path(), &[&book_path], &[]);
    assert!(ok, "{err}");
    assert!(err.contains("新增 1 个支部：newbie"), "{err}");
    assert_eq!(
        std::fs::read_to_string(by_book.path().join("content/2026/east/newbie.yaml")).unwrap(),
        NEWBIE
    );
    assert_eq!(
        score_json(by_book.path(), &[]),
        score_json(by_yaml.path(), &[])
    );
    // newbie by hand: committee 2 months → steps 0 (20 × 0); attendance (5+4+20)/(5+5+25)
    // = 29/35 = 0.828571… → 20 × (0.828571 − 0.6)/0.4 = 11.43; ledger 2 of 3 → 10;
    // satisfaction 181/200 → 4.525 → 4.53; funding 10; complaints 10 − 4 = 6; work_style
    // good 0.8 → 8; service points 3.5/10 × 10 = 3.5. Base 53.46, bonus brand 2 → 55.46.
    let json = score_json(by_book.path(), &["--year", "2026"]);
    let newbie = json
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == "newbie")
        .unwrap();
    assert_eq!(newbie["total"].to_string(), "55.46");
    assert_eq!(newbie["self_total"].to_string(), "17.03");
}

#[test]
fn a_workbook_full_of_mistakes_reports_each_at_its_cell_and_writes_nothing() {
    let dir = copy_fixture("golden");
    let root = dir.path();
    let before = snapshot(root);
    let district = root.join("临江.xlsx");
    let west = root.join("west.xlsx");
    let stale = root.join("stale.xlsx");
    template(root, &district, &["--year", "2026"]);
    template(root, &west, &["--year", "2026", "--org", "west"]);
    template(root, &stale, &["--year", "2026", "--org", "east"]);

    let mut b = Book::open(&district);
    let alpha = b.find("会议", &[(0, "alpha")]);
    b.set("会议", &format!("C{alpha}"), t("2026-02-30"));
    b.set("会议", &format!("D{}", alpha + 1), t("座谈会"));
    b.set("会议", &format!("G{}", alpha + 2), V::Num(99.0));
    b.set("会议", &format!("C{}", alpha + 3), t("2025-12-31"));
    let beta = b.find("支部", &[(0, "beta")]);
    b.set("支部", &format!("E{beta}"), t("二十"));
    b.set("支部", &format!("D{beta}"), t("街道"));
    b.set("数据", "E1", t("投诉次数"));
    let self_row = b.find("考评", &[(0, "gamma"), (2, "attendance")]);
    b.set("考评", &format!("I{self_row}"), V::Num(2.835));
    let nobody = b.append(
        "会议",
        &[
            Some(t("nobody")),
            None,
            Some(V::Date(2026, 1, 8)),
            Some(t("支委会")),
            Some(t("x")),
        ],
    );
    let cl = b.find("清单", &[(0, "alpha")]);
    b.set("清单", &format!("C{cl}"), t("有"));
    let survey = b.find("测评", &[(0, "alpha")]);
    b.set(
        "测评",
        &format!("C{survey}"),
        V::Formula("=100+20".into(), "120".into()),
    );
    b.sheet("会议")
        .merges
        .push((alpha - 1 + 5, 0, alpha - 1 + 6, 0));
    b.sheets.push(excel_support::Sheet {
        name: "备用".into(),
        hidden: true,
        cells: [((0, 0), t("x"))].into_iter().collect(),
        merges: Vec::new(),
    });
    b.save(&district);

    let mut s = Book::open(&stale);
    s.set("_meta", "B6", t("0000000000000000"));
    s.save(&stale);

    let (ok, err) = import(root, &[&district, &west, &stale], &[]);
    assert!(!ok, "{err}");
    let d = district.to_string_lossy();
    let w = west.to_string_lossy();
    for expected in [
        format!(
            "{d}:会议!C{alpha}: error: 会议 `date` `2026-02-30` 不是 YYYY-MM-DD 格式的真实日期"
        ),
        format!(
            "{d}:会议!D{}: error: 未定义的会议类型 `座谈会`（提示：从下拉列表中选择：支委会、党课）",
            alpha + 1
        ),
        format!(
            "{d}:会议!G{}: error: 实到人数 `present` 99 大于应到人数 `expected` 5",
            alpha + 2
        ),
        format!(
            "{d}:会议!C{}: error: 日期 2025-12-31 不在所在年度文件夹的 2026 年内",
            alpha + 3
        ),
        format!("{d}:会议!A{nobody}: error: 支部 nobody 不在本工作簿的支部表中"),
        format!(
            "{d}:会议!A{}: error: 合并单元格 A{}:A{}",
            alpha + 5,
            alpha + 5,
            alpha + 6
        ),
        format!("{d}:支部!E{beta}: error: `members`应为数字，而不是 `二十`"),
        format!(
            "{d}:支部!D{beta}: error: 未定义的类别 `街道`（提示：从下拉列表中选择：社区、机关）"
        ),
        format!("{d}:数据!E1: error: “投诉次数”不是模板中的列名（列名被修改或增加了列）"),
        format!("{d}:数据: error: 缺少列“群众投诉”"),
        format!("{d}:考评!I{self_row}: error: `self_scores.attendance` 最多两位小数"),
        format!("{d}:清单!C{cl}: error: 清单项目只能填 ✓ 或 ✗，而不是“有”"),
        format!("{d}:测评: warning: 有 1 个单元格是公式"),
        format!("{d}:备用: error: 隐藏的工作表“备用”不是模板的一部分"),
        format!("{w}:支部!A3: error: 支部编号 delta 同时出现在两个工作簿中"),
        format!("{}: error: 模板已过期", stale.to_string_lossy()),
    ] {
        assert!(err.contains(&expected), "missing:\n{expected}\nin:\n{err}");
    }
    assert!(err.contains("未写入任何文件"), "{err}");
    if std::env::var_os("SHOW").is_some() {
        eprintln!("{err}");
    }
    assert_eq!(snapshot(root), before);
}

/// Rows of the data sheets that reach no branch: each reported once at its id cell, except
/// the rows of a branch whose 支部 row was refused (that row's message is enough).
#[test]
fn rows_that_reach_no_branch_are_reported_at_their_cells() {
    let dir = copy_fixture("golden");
    let root = dir.path();
    let before = snapshot(root);
    let book = root.join("临江.xlsx");
    template(root, &book, &["--year", "2026"]);
    let mut b = Book::open(&book);
    // beta's 支部 row gets an id the contract refuses; its meetings name it so too.
    let beta = b.find("支部", &[(0, "beta")]);
    b.set("支部", &format!("A{beta}"), t("_beta"));
    let refused = b.append(
        "会议",
        &[
            Some(t("_beta")),
            None,
            Some(V::Date(2026, 3, 2)),
            Some(t("支委会")),
            Some(t("x")),
        ],
    );
    // A meeting without its branch's id.
    let blank = b.append(
        "会议",
        &[None, None, Some(V::Date(2026, 3, 9)), Some(t("支委会"))],
    );
    // alpha twice on a sheet of one row a branch.
    let first = b.find("数据", &[(0, "alpha")]);
    let again = b.append("数据", &[Some(t("alpha"))]);
    // A branch no 支部 row lists, on two rows.
    let nobody = b.append("考评", &[Some(t("nobody"))]);
    b.set("考评", &format!("C{nobody}"), t("attendance"));
    let nobody2 = b.append("考评", &[Some(t("nobody"))]);
    b.set("考评", &format!("C{nobody2}"), t("rectify"));
    b.save(&book);

    let (ok, err) = import(root, &[&book], &[]);
    assert!(!ok, "{err}");
    let d = book.to_string_lossy();
    for expected in [
        format!("{d}:支部!A{beta}: error: “_beta”不是合法的支部编号"),
        format!("{d}:会议!A{blank}: error: 缺少支部编号"),
        format!(
            "{d}:数据!A{again}: error: 支部 alpha 在本表中有两行（提示：已在第 {first} 行填写；每个支部一行）"
        ),
        format!("{d}:考评!A{nobody}: error: 支部 nobody 不在本工作簿的支部表中"),
        format!("{d}:考评!A{nobody2}: error: 支部 nobody 不在本工作簿的支部表中"),
    ] {
        assert!(err.contains(&expected), "missing:\n{expected}\nin:\n{err}");
    }
    assert!(!err.contains(&format!("会议!A{refused}")), "{err}");
    assert_eq!(err.matches("在本表中有两行").count(), 1, "{err}");
    assert_eq!(snapshot(root), before);
}

#[test]
fn dry_run_says_what_it_would_do_and_writes_nothing() {
    let dir = copy_fixture("golden");
    let root = dir.path();
    let before = snapshot(root);
    let book = root.join("t.xlsx");
    template(root, &book, &["--year", "2026"]);
    let mut b = Book::open(&book);
    let beta = b.find("支部", &[(0, "beta")]);
    b.set("支部", &format!("E{beta}"), V::Num(41.0));
    b.save(&book);
    let (ok, err) = import(root, &[&book], &["--dry-run"]);
    assert!(ok, "{err}");
    assert!(err.contains("将修改 1 个支部：beta"), "{err}");
    assert!(err.contains("--dry-run"), "{err}");
    assert_eq!(snapshot(root), before);
    let (ok, err) = import(root, &[&book], &[]);
    assert!(ok, "{err}");
    assert!(err.contains("修改 1 个支部：beta"), "{err}");
    let beta_yaml = std::fs::read_to_string(root.join("content/2026/east/beta.yaml")).unwrap();
    assert!(beta_yaml.contains("members: 41\n"), "{beta_yaml}");
}

/// A record's text with its top-level keys, and each mapping's keys, in reverse order
/// (sequences kept): the same data, written otherwise.
fn reversed_keys(text: &str) -> String {
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    for line in text.lines() {
        if line.starts_with(' ') {
            blocks.last_mut().unwrap().push(line);
        } else {
            blocks.push(vec![line]);
        }
    }
    blocks.reverse();
    let mut out = String::new();
    for b in &mut blocks {
        if b.len() > 1 && !b[1].starts_with("  - ") {
            b[1..].reverse();
        }
        for line in b.iter() {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[test]
fn a_record_is_changed_by_its_data_not_by_its_key_order() {
    let dir = copy_fixture("golden");
    let root = dir.path();
    let book = root.join("t.xlsx");
    template(root, &book, &["--year", "2026"]);
    // The records as the import writes them, then written back with their keys reversed;
    // alpha's also with one number changed.
    let (alpha, beta) = (
        root.join("content/2026/east/alpha.yaml"),
        root.join("content/2026/east/beta.yaml"),
    );
    for f in [&alpha, &beta] {
        std::fs::write(f, "name: 临时\ncategory: community\n").unwrap();
    }
    let (ok, err) = import(root, &[&book], &[]);
    assert!(ok, "{err}");
    let alpha_text = std::fs::read_to_string(&alpha).unwrap();
    let beta_text = std::fs::read_to_string(&beta).unwrap();
    let beta_reversed = reversed_keys(&beta_text);
    assert_ne!(beta_reversed, beta_text);
    assert!(alpha_text.contains("present: 4 }\n"), "{alpha_text}");
    let alpha_changed = reversed_keys(&alpha_text).replacen("present: 4 }", "present: 3 }", 1);
    std::fs::write(&alpha, &alpha_changed).unwrap();
    std::fs::write(&beta, &beta_reversed).unwrap();

    let (ok, err) = import(root, &[&book], &["--dry-run"]);
    assert!(ok, "{err}");
    assert!(err.contains("将修改 1 个支部：alpha"), "{err}");
    assert!(!err.contains("beta"), "{err}");
    assert_eq!(std::fs::read_to_string(&alpha).unwrap(), alpha_changed);

    let (ok, err) = import(root, &[&book], &[]);
    assert!(ok, "{err}");
    assert!(err.contains("修改 1 个支部：alpha"), "{err}");
    // The workbook's value written back; the same data in another order left as it was.
    assert_eq!(std::fs::read_to_string(&alpha).unwrap(), alpha_text);
    assert_eq!(std::fs::read_to_string(&beta).unwrap(), beta_reversed);
}

#[test]
fn a_new_year_starts_from_last_years_tree() {
    let dir = copy_fixture("golden");
    let root = dir.path();
    let book = root.join("2027.xlsx");
    template(root, &book, &["--year", "2027"]);
    let mut b = Book::open(&book);
    // Last year's branches, with their identity only.
    let alpha = b.find("支部", &[(0, "alpha")]);
    assert_eq!(b.get("会议", "A3"), None);
    b.set("支部", &format!("E{alpha}"), V::Num(12.0));
    b.save(&book);
    let (ok, err) = import(root, &[&book], &[]);
    assert!(ok, "{err}");
    assert!(err.contains("新增 7 个支部"), "{err}");
    assert!(root.join("content/2027/_org.yaml").is_file());
    assert!(root.join("content/2027/west/south/_org.yaml").is_file());
    let check = run(&["check", "--root", &root.to_string_lossy()]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn score_workbook_needs_out_and_holds_numbers() {
    let dir = copy_fixture("golden");
    let root = dir.path().to_string_lossy().into_owned();
    let no_out = run(&["score", "--root", &root, "--format", "xlsx"]);
    assert_eq!(no_out.status.code(), Some(2));
    assert!(no_out.stdout.is_empty());
    let out = dir.path().join("scores.xlsx");
    let o = run(&[
        "score",
        "--root",
        &root,
        "--year",
        "2026",
        "--format",
        "xlsx",
        "--out",
        &out.to_string_lossy(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let b = Book::open(&out);
    let names: Vec<&str> = b.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        ["总排名", "社区", "机关", "组织", "指标得分", "整改名单"]
    );
    let json = score_json(dir.path(), &["--year", "2026"]);
    let ranking = &b.sheets[0];
    // Totals are numbers equal to the JSON's, on the row of their branch.
    for branch in json.as_array().unwrap() {
        let row = ranking
            .cells
            .iter()
            .find(|((_, c), v)| *c == 3 && **v == V::Text(branch["id"].as_str().unwrap().into()))
            .map(|((r, _), _)| *r)
            .unwrap();
        let total: f64 = branch["total"].to_string().parse().unwrap();
        assert_eq!(ranking.cells.get(&(row, 9)), Some(&V::Num(total)));
    }
    // Text is indented one step, so 编号 never touches the right-aligned 类别内排名 before
    // it: the style of cell D2 (the first branch's id) is an xf with indent="1".
    let part = |name: &str| {
        use std::io::Read;
        let mut z = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
        let mut s = String::new();
        z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let sheet = part("xl/worksheets/sheet1.xml");
    let d2 = &sheet[sheet.find("<c r=\"D2\"").unwrap()..];
    let d2 = &d2[..d2.find('>').unwrap()];
    let style: usize = d2
        .split("s=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let styles = part("xl/styles.xml");
    let xfs = &styles[styles.find("<cellXfs").unwrap()..];
    let xf = xfs.split("<xf ").nth(style + 1).unwrap();
    let xf = &xf[..xf.find("</xf>").or_else(|| xf.find("/>")).unwrap()];
    assert!(xf.contains("indent=\"1\""), "D2: {d2}; xf {style}: {xf}");
    // The same input gives the same bytes.
    let again = dir.path().join("again.xlsx");
    run(&[
        "score",
        "--root",
        &root,
        "--year",
        "2026",
        "--format",
        "xlsx",
        "--out",
        &again.to_string_lossy(),
    ]);
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&again).unwrap());
}

#[test]
fn hostile_workbooks_are_refused_quickly() {
    use std::io::Write;
    let dir = copy_fixture("golden");
    let root = dir.path();
    let before = snapshot(root);
    // A zip bomb: 48 MB of spaces packed into about 50 KB.
    let bomb = root.join("bomb.xlsx");
    {
        let f = std::fs::File::create(&bomb).unwrap();
        let mut z = zip::ZipWriter::new(f);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(9));
        z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..48 {
            z.write_all(&chunk).unwrap();
        }
        z.finish().unwrap();
    }
    // A sheet that claims a million rows.
    let tall = root.join("tall.xlsx");
    template(root, &tall, &["--year", "2026"]);
    let mut b = Book::open(&tall);
    b.set("会议", "A1000000", t("alpha"));
    b.save(&tall);
    // Not a workbook at all.
    let fake = root.join("fake.xlsx");
    std::fs::write(&fake, "name,category\n").unwrap();

    let started = std::time::Instant::now();
    let (ok, err) = import(root, &[&bomb, &tall, &fake], &[]);
    assert!(!ok);
    assert!(
        started.elapsed().as_secs() < 10,
        "took {:?}",
        started.elapsed()
    );
    let b = bomb.to_string_lossy();
    assert!(err.contains(&format!("{b}: error: 疑似压缩炸弹")), "{err}");
    assert!(err.contains("工作表“会议”超过 600000 行"), "{err}");
    assert!(
        err.contains(&format!(
            "{}: error: 无法作为工作簿读取",
            fake.to_string_lossy()
        )),
        "{err}"
    );
    assert_eq!(snapshot(root), before);
}
