//! A real spreadsheet program opens what we write and writes what we read: LibreOffice
//! (headless) converts the template and the score workbook to CSV, whose values are read
//! back, and re-saves a template as .xlsx and .ods, which must import cleanly. Skipped with
//! a message when `soffice` is missing; under `CI=1` that is a failure
//! (`apt-get install -y --no-install-recommends libreoffice-calc-nogui`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

mod excel_support;

use common::{copy_fixture, run, score_json, stderr};
use excel_support::{Book, V, t};

fn soffice() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("soffice"))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false");
        assert!(
            !ci,
            "soffice is missing: apt-get install -y --no-install-recommends libreoffice-calc-nogui"
        );
        eprintln!("skipped: soffice (LibreOffice) is not installed");
    }
    found
}

/// Converts `file` with LibreOffice into `out` (its own profile, so tests run side by side).
fn convert(soffice: &Path, file: &Path, to: &str, out: &Path) {
    let profile = out.join("profile");
    let status = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", to, "--outdir"])
        .arg(out)
        .arg(file)
        .output()
        .expect("soffice runs");
    assert!(
        status.status.success(),
        "soffice failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

/// Every sheet of a workbook as CSV (LibreOffice writes `<stem>-<sheet>.csv`), read back.
fn sheets_as_csv(
    soffice: &Path,
    file: &Path,
    out: &Path,
) -> impl Fn(&str) -> Vec<Vec<String>> + use<> {
    convert(
        soffice,
        file,
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1",
        out,
    );
    let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
    let out = out.to_path_buf();
    move |sheet: &str| {
        let text = std::fs::read_to_string(out.join(format!("{stem}-{sheet}.csv")))
            .unwrap_or_else(|e| panic!("sheet {sheet}: {e}"));
        text.lines()
            .map(|l| {
                l.split(',')
                    .map(|c| c.trim_matches('"').to_string())
                    .collect()
            })
            .collect()
    }
}

/// The 2026 template of a project.
fn template(root: &Path, book: &Path) {
    let o = run(&[
        "template",
        "--root",
        &root.to_string_lossy(),
        "--year",
        "2026",
        "--out",
        &book.to_string_lossy(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn libreoffice_reads_the_template_as_made() {
    let Some(soffice) = soffice() else { return };
    let dir = copy_fixture("golden");
    let root = dir.path();
    let book = root.join("tpl.xlsx");
    template(root, &book);
    let out = root.join("csv");
    let sheet = sheets_as_csv(&soffice, &book, &out);
    let branches = sheet("支部");
    assert_eq!(
        branches[0],
        [
            "支部编号",
            "支部名称",
            "组织路径",
            "类别",
            "党员人数",
            "支部书记"
        ]
    );
    assert!(
        branches
            .iter()
            .any(|r| r[0] == "alpha" && r[2] == "east" && r[3] == "社区")
    );
    // Dates are date cells shown as dates; kinds are their labels.
    let meetings = sheet("会议");
    assert_eq!(
        meetings[2][..4],
        ["alpha", "甲居民区党支部", "2026-01-08", "支委会"]
    );
    let marks = sheet("清单");
    assert_eq!(marks[0][2], "五个一·工作台账");
    assert!(marks.iter().any(|r| r[0] == "alpha" && r[2] == "✓"));
    let meta = sheet("_meta");
    assert_eq!(meta[0], ["格式", "dangjian-template/1"]);
}

#[test]
fn libreoffice_shows_the_score_workbook_with_two_decimals() {
    let Some(soffice) = soffice() else { return };
    let dir = copy_fixture("golden");
    let root = dir.path();
    let book = root.join("scores.xlsx");
    let o = run(&[
        "score",
        "--root",
        &root.to_string_lossy(),
        "--year",
        "2026",
        "--format",
        "xlsx",
        "--out",
        &book.to_string_lossy(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let sheet = sheets_as_csv(&soffice, &book, &root.join("csv"));
    let ranking = sheet("总排名");
    assert_eq!(ranking[0][..4], ["年度", "排名", "类别内排名", "编号"]);
    let json = score_json(root, &["--year", "2026"]);
    for b in json.as_array().unwrap() {
        let row = ranking
            .iter()
            .find(|r| r[3] == b["id"].as_str().unwrap())
            .unwrap();
        let total: f64 = b["total"].to_string().parse().unwrap();
        // As displayed: always two decimals.
        assert_eq!(row[9], format!("{total:.2}"), "{}", b["id"]);
    }
    assert!(!sheet("指标得分").is_empty());
    assert!(!sheet("整改名单").is_empty());
}

#[test]
fn a_workbook_saved_by_libreoffice_imports_cleanly() {
    let Some(soffice) = soffice() else { return };
    let dir = copy_fixture("golden");
    let root = dir.path();
    let book = root.join("tpl.xlsx");
    template(root, &book);
    let before = score_json(root, &[]);
    for (to, ext) in [
        ("xlsx:Calc MS Excel 2007 XML", "xlsx"),
        ("ods", "ods"),
        ("xls:MS Excel 97", "xls"),
    ] {
        let out = root.join(format!("by-lo-{ext}"));
        convert(&soffice, &book, to, &out);
        let saved = out.join(format!("tpl.{ext}"));
        if ext == "xlsx" {
            // LibreOffice's XML, read by the import's scanner and by calamine alike.
            let all = |_: &str| true;
            assert_eq!(
                dangjian::excel::workbook::read(&saved, &all).unwrap(),
                dangjian::excel::workbook::read_by_calamine(&saved, &all).unwrap()
            );
        }
        let o = run(&[
            "import",
            "--root",
            &root.to_string_lossy(),
            &saved.to_string_lossy(),
        ]);
        assert!(o.status.success(), "{ext}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("内容未变 7 个支部"),
            "{ext}: {}",
            stderr(&o)
        );
    }
    assert_eq!(score_json(root, &[]), before);
}

/// The v2 fixture's template with a change on every version 2 sheet, saved by LibreOffice
/// as .xls and as .ods: each imports that change (and nothing else), and scores as the same
/// workbook imported as .xlsx.
#[test]
fn xls_and_ods_saved_by_libreoffice_carry_every_sheet() {
    let Some(soffice) = soffice() else { return };
    let made = copy_fixture("v2");
    let book = made.path().join("tpl.xlsx");
    template(made.path(), &book);
    let mut b = Book::open(&book);
    let row = b.find("测评", &[(0, "shequ")]);
    b.set_by_header("测评", row, &[("书记抓党建述职评议·差", V::Num(2.0))]);
    let row = b.find("考评组检查", &[(0, "shequ")]);
    b.set_by_header(
        "考评组检查",
        row,
        &[
            ("检查日期", V::Date(2026, 6, 15)),
            ("考评组成员", t("张三、李四")),
            ("整改意见", t("第一条\n第二条")),
        ],
    );
    b.append(
        "整改计划",
        &[
            Some(t("shequ")),
            None,
            None,
            Some(t("问题")),
            Some(t("措施")),
            None,
            Some(V::Date(2027, 3, 31)),
            Some(t("书记述职评议")),
            None,
        ],
    );
    b.save(&book);
    let rel = "content/2026/street/shequ.yaml";
    let mut results = Vec::new();
    for (to, ext) in [("xlsx", "xlsx"), ("xls:MS Excel 97", "xls"), ("ods", "ods")] {
        let dir = copy_fixture("v2");
        let file = if ext == "xlsx" {
            book.clone()
        } else {
            let out = dir.path().join("lo");
            convert(&soffice, &book, to, &out);
            out.join(format!("tpl.{ext}"))
        };
        let o = run(&[
            "import",
            "--root",
            &dir.path().to_string_lossy(),
            &file.to_string_lossy(),
        ]);
        assert!(o.status.success(), "{ext}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("修改 1 个支部：shequ"),
            "{ext}: {}",
            stderr(&o)
        );
        let text = std::fs::read_to_string(dir.path().join(rel)).unwrap();
        assert!(
            text.contains("secretary_review: { excellent: 1, good: 1, fair: 1, poor: 2 }")
                && text.contains("inspection:\n  date: 2026-06-15\n  team: [张三, 李四]\n")
                && text.contains("  opinions: [第一条, 第二条]\n")
                && text.contains("  - { id: r1, problem: 问题, measure: 措施, due: 2027-03-31, indicator: review }\n"),
            "{ext}:\n{text}"
        );
        results.push((text, score_json(dir.path(), &[])));
    }
    assert!(results.windows(2).all(|w| w[0] == w[1]));
}

/// The hostile-workbook guards hold for .xls and .ods too: merged cells, formulas and a
/// hidden sheet that is not ours, in a workbook LibreOffice saved.
#[test]
fn guards_apply_to_xls_and_ods() {
    let Some(soffice) = soffice() else { return };
    let dir = copy_fixture("golden");
    let root = dir.path();
    let book = root.join("bad.xlsx");
    template(root, &book);
    let mut b = Book::open(&book);
    let row = b.find("会议", &[(0, "alpha")]);
    b.sheet("会议").merges.push((row - 1, 0, row, 0));
    b.set(
        "会议",
        &format!("F{row}"),
        V::Formula("=2+3".into(), "5".into()),
    );
    b.sheets.push(excel_support::Sheet {
        name: "私下".into(),
        hidden: true,
        cells: [((0, 0), t("秘密"))].into_iter().collect(),
        merges: Vec::new(),
    });
    b.save(&book);
    let before = score_json(root, &[]);
    for (to, ext) in [("xls:MS Excel 97", "xls"), ("ods", "ods")] {
        let out = root.join(format!("lo-{ext}"));
        convert(&soffice, &book, to, &out);
        let file = out.join(format!("bad.{ext}"));
        let o = run(&[
            "import",
            "--root",
            &root.to_string_lossy(),
            &file.to_string_lossy(),
        ]);
        let err = stderr(&o);
        assert!(!o.status.success(), "{ext}: {err}");
        for want in [
            format!("会议!A{row}: error: 合并单元格 A{row}:A{}", row + 1),
            "私下: error: 隐藏的工作表“私下”不是模板的一部分".to_string(),
            "会议: warning: 有 1 个单元格是公式".to_string(),
        ] {
            assert!(err.contains(&want), "{ext}: {want} missing in\n{err}");
        }
    }
    assert_eq!(score_json(root, &[]), before);
}
