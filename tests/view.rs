//! The view model of the golden fixture carries the hand-computed numbers, formatted.

mod common;

use dangjian::view::{Ctx, booklet, report};
use serde_json::{Value, json};

fn with_view<T>(f: impl FnOnce(&Ctx) -> T) -> T {
    let (project, diags) = dangjian::load::load(&common::fixture("golden"));
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    let assessment = dangjian::score::assess(&project);
    let ctx = Ctx::new(&project, &assessment, None);
    f(&ctx)
}

fn booklet(ctx: &Ctx, year: i32, id: &str) -> Value {
    let y = ctx
        .project
        .years
        .iter()
        .position(|x| x.year == year)
        .unwrap();
    let i = ctx.project.years[y]
        .branches
        .iter()
        .position(|b| b.id == id)
        .unwrap();
    // The typed booklet, as the templates and typst see it.
    serde_json::to_value(booklet::booklet(ctx, y, i, &ctx.stats[y])).unwrap()
}

#[test]
fn booklet_of_a_vetoed_branch() {
    with_view(|ctx| {
        let b = booklet(ctx, 2026, "alpha");
        assert_eq!(b["result"]["total"], "97.25");
        assert_eq!(b["result"]["grade"]["label"], "三星");
        assert_eq!(b["result"]["grade_before_vetoes"]["label"], "五星");
        assert_eq!(
            b["result"]["gap_to_next"]["vetoes"],
            json!([{"id": "discipline", "label": "有违纪违法党员"}])
        );
        assert_eq!(b["result"]["previous_grade"]["label"], "五星");
        assert_eq!(b["result"]["previous_total"], "100.00");
        assert_eq!(b["result"]["movement"], "down");
        assert_eq!(b["date"], "2026年12月31日");
        let att = &b["dimensions"][0]["indicators"][1];
        assert_eq!(att["id"], "attendance");
        assert_eq!(att["earned"], "17.50");
        assert_eq!(att["lost"], "2.50");
        assert_eq!(att["basis"], "95.0%");
        assert_eq!(
            att["rule"],
            "按比例计分：达到 100.0% 得满分，60.0% 及以下得 0 分，其间按比例"
        );
        let ledger = &b["dimensions"][0]["indicators"][2];
        assert_eq!(ledger["basis"], "完成 3/3 项");
        let veto = &b["vetoes"][0];
        assert_eq!(veto["status"], "fired");
        assert_eq!(veto["basis"], "1 起");
        assert_eq!(b["branch"]["org_path"][1]["name"], "东街道党工委");
        assert!(b["chart"]["svg"].as_str().unwrap().starts_with("<svg"));
    });
}

#[test]
fn booklet_with_missing_data_and_self_scores() {
    with_view(|ctx| {
        let d = booklet(ctx, 2026, "delta");
        assert_eq!(
            d["result"]["missing"][0],
            json!({"id": "attendance", "label": "组织生活出席率"})
        );
        assert_eq!(d["dimensions"][0]["indicators"][1]["basis"], "缺少数据");
        assert_eq!(d["vetoes"][0]["status"], "unchecked");
        assert_eq!(d["result"]["self_total"], Value::Null);
        let g = booklet(ctx, 2026, "gamma");
        assert_eq!(g["result"]["self_total"], "60.00");
        assert_eq!(g["result"]["self_assessed"], "47.00");
        assert_eq!(g["result"]["self_gap"], "13.00");
        assert_eq!(g["result"]["self_gap_flag"], true);
        assert_eq!(g["bonus_capped"], true);
        assert_eq!(g["bonuses"][0]["points"], "3.00");
        let b = booklet(ctx, 2026, "beta");
        assert_eq!(
            b["dimensions"][0]["indicators"][2]["basis"],
            "完成 2/3 项，缺综合资料簿"
        );
        assert_eq!(b["fix_first"][0]["label"], "活动经费保障");
    });
}

#[test]
fn annual_report_summary() {
    with_view(|ctx| {
        let r = serde_json::to_value(report::annual_report(ctx, 1, &ctx.stats[1])).unwrap();
        assert_eq!(r["summary"]["branches"], 7);
        assert_eq!(r["summary"]["mean"], "76.50");
        assert_eq!(
            r["summary"]["grades"][2],
            json!({"id": "fair", "label": "三星", "level": 3, "count": 1, "share": "14.3%"})
        );
        assert_eq!(
            r["summary"]["movement"],
            json!({"up": 1, "down": 1, "same": 2, "new": 3})
        );
        assert_eq!(r["system"]["version_changed"], true);
        assert_eq!(r["ranking"][0]["id"], "alpha");
        assert_eq!(r["rankings"][1]["rows"][1]["rank"], 2);
        let names: Vec<&str> = r["rectification"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["alpha", "eta", "beta", "delta"]);
        assert_eq!(r["orgs"][0]["org"], json!([]));
        assert_eq!(r["orgs"][2]["children"][0]["name"], "南社区党委");
        let att = &r["indicator_system"]["dimensions"][0]["indicators"][1];
        assert_eq!(att["stats"]["missing"], 1);
        assert_eq!(r["movers"]["up"][0]["id"], "epsilon");
        for c in r["charts"].as_array().unwrap() {
            assert!(
                c["svg"].as_str().is_some_and(|s| s.starts_with("<svg")),
                "{c}"
            );
        }
    });
}

#[test]
fn every_branch_and_organisation_is_linked_to_its_node_and_parent() {
    let (project, _) = dangjian::load::load(&common::fixture("golden"));
    let mut deepest = 0;
    for year in &project.years {
        for o in &year.orgs {
            match o.path.split_last() {
                None => assert_eq!(o.parent, None),
                Some((_, up)) => {
                    let parent = &year.orgs[o.parent.expect("a parent")];
                    assert_eq!(parent.path, up, "{:?}", o.path);
                }
            }
        }
        for b in &year.branches {
            let node = &year.orgs[b.org_node.expect("a node")];
            assert_eq!(node.path, b.org, "{}", b.id);
            let chain = dangjian::view::org_chain(year, b.org_node);
            assert_eq!(chain.len(), b.org.len() + 1, "{}: district first", b.id);
            for (d, o) in chain.iter().enumerate() {
                assert_eq!(o.path, b.org[..d], "{}", b.id);
            }
            deepest = deepest.max(b.org.len());
        }
    }
    assert!(deepest >= 2, "the fixture has branches two levels down");
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

/// What the PDF stage replaces is the text a reader sees, and each of its characters is
/// found where the user wrote it, from what the model kept at load time: an organisation's
/// name in its `_org.yaml`, a checklist item's label (inside the rule's words) in
/// `indicators.yaml`.
#[test]
fn shown_text_is_replaced_and_found_where_it_was_written() {
    use dangjian::diagnostics::Pos;
    use dangjian::view::text;
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&common::fixture("golden"), dir.path());
    let org = dir.path().join("content/2026/east/_org.yaml");
    let o = std::fs::read_to_string(&org).unwrap();
    std::fs::write(
        &org,
        o.replace("name: 东街道党工委", "name: 东𠀀街道党工委"),
    )
    .unwrap();
    let ind = dir.path().join("indicators.yaml");
    let i = std::fs::read_to_string(&ind)
        .unwrap()
        .replacen("工作台账", "工作🎉台账", 1);
    std::fs::write(&ind, &i).unwrap();

    let (project, diags) = dangjian::load::load(dir.path());
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    let assessment = dangjian::score::assess(&project);
    let ctx = Ctx::new(&project, &assessment, None);
    let y = project.years.iter().position(|x| x.year == 2026).unwrap();
    let k = project.years[y]
        .branches
        .iter()
        .position(|b| b.id == "alpha")
        .unwrap();
    let b = booklet::booklet(&ctx, y, k, &ctx.stats[y]);
    let plain = serde_json::to_string(&b).unwrap();
    assert!(plain.contains("东𠀀街道党工委") && plain.contains("工作🎉台账"));
    let odd = ['𠀀', '🎉'];
    let replaced = text::replacing(
        move |s| s.contains(odd).then(|| s.replace(odd, "〓")),
        || serde_json::to_string(&b).unwrap(),
    );
    assert!(!replaced.contains(odd), "{replaced}");
    assert!(replaced.contains("东〓街道党工委"));
    assert!(replaced.contains("工作〓台账"), "the rule's words");

    let sources = b.sources();
    assert_eq!(
        text::locate(&sources, '𠀀'),
        Some(("content/2026/east/_org.yaml", Pos::new(1, 8)))
    );
    let at = Pos::at(&i, i.find('🎉').unwrap());
    assert_eq!(text::locate(&sources, '🎉'), Some(("indicators.yaml", at)));
    assert_eq!(text::locate(&sources, '龘'), None);
}
