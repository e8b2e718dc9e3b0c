//! Reading and validating `indicators.yaml` (the root one, or a year's own). This file reads
//! the top level and calls the parts, each in a file of its own: `structure` (checklists,
//! grades, dimensions, indicators), `rules` (fact paths, rules, conditions), `deductions`
//! (the clauses of a `deductions` rule),
//! `vetoes_bonuses`, `checks` (what needs the whole system: fact types, known ids, category
//! sums) and `values` (points, shares and labels, read the same way everywhere).

mod checks;
mod deductions;
mod labels;
mod rules;
mod structure;
mod values;
mod vetoes_bonuses;
mod views;
mod votes;

use rust_decimal::Decimal;

use super::ids::labels;
use crate::decimal;
use crate::diagnostics::{Diagnostic, Pos};
use crate::model::IndicatorSystem;
use crate::yaml::{self, Kind, Node, Reader};
use checks::{check_category_sums, check_rating_facts, collect_known_ids, fact_types};
use structure::{read_checklists, read_dimensions, read_grades};
use values::{Pending, non_negative, points};
use vetoes_bonuses::{read_bonuses, read_vetoes};

const TOP: &[&str] = &[
    "name",
    "version",
    "scale",
    "bonus_cap",
    "self_gap_alert",
    "categories",
    "meeting_kinds",
    "checklists",
    "grades",
    "dimensions",
    "vetoes",
    "bonuses",
    "surveys",
    "facts",
    "incidents",
    "honors",
    "votes",
    "views",
];
const TOP_REQUIRED: &[&str] = &["name", "scale", "categories", "grades", "dimensions"];

/// Reads an indicator system. `None` when the file has any error (all of them reported).
pub fn load(text: &str, file: &str, diags: &mut Vec<Diagnostic>) -> Option<IndicatorSystem> {
    let before = diags.iter().filter(|d| d.is_error()).count();
    let root = match yaml::parse(text, file, diags) {
        Ok(Some(root)) => root,
        Ok(None) => {
            diags.push(Diagnostic::error(file, Pos::START, "指标体系文件是空的"));
            return None;
        }
        Err(e) => {
            diags.push(e);
            return None;
        }
    };
    let mut r = Reader::new(file, diags);
    let mut system = read_system(&mut r, &root, file);
    if let Some(s) = &mut system {
        crate::load::shown::non_ascii_texts(&root, &mut s.texts);
    }
    let after = r.diags.iter().filter(|d| d.is_error()).count();
    if after > before { None } else { system }
}

fn read_system(r: &mut Reader, root: &Node, file: &str) -> Option<IndicatorSystem> {
    let f = r.fields(root, "指标体系", TOP, TOP_REQUIRED)?;
    let name = f.get("name").and_then(|n| r.nonblank(n, "`name`"));
    let version = f.get("version").and_then(|n| read_version(r, n));
    let scale = f.get("scale").and_then(|n| points(r, n, "`scale`"));
    let bonus_cap = f
        .get("bonus_cap")
        .and_then(|n| non_negative(r, n, "`bonus_cap`"))
        .unwrap_or(Decimal::ZERO);
    let self_gap_alert = f
        .get("self_gap_alert")
        .and_then(|n| non_negative(r, n, "`self_gap_alert`"));
    let categories = f
        .get("categories")
        .map(|n| labels(r, n, "类别"))
        .unwrap_or_default();
    if let Some(n) = f.get("categories")
        && categories.is_empty()
    {
        r.error(n.pos, "`categories` 至少要有一个类别");
    }
    let meeting_kinds = f
        .get("meeting_kinds")
        .map(|n| labels(r, n, "会议类型"))
        .unwrap_or_default();
    if let Some(n) = f.get("meeting_kinds")
        && let Kind::Map(entries) = &n.kind
    {
        for e in entries.iter().filter(|e| e.key_text() == "all") {
            r.error(
                e.key.pos,
                "`all` 是保留字，不能作为会议类型编号（meetings.all 表示全部会议）",
            );
        }
    }
    let checklists = f
        .get("checklists")
        .map(|n| read_checklists(r, n))
        .unwrap_or_default();
    let grades = f
        .get("grades")
        .map(|n| read_grades(r, n))
        .unwrap_or_default();

    let mut sys = IndicatorSystem {
        file: file.to_string(),
        name: name.unwrap_or_default(),
        version,
        scale: scale.unwrap_or(Decimal::ZERO),
        bonus_cap,
        self_gap_alert,
        categories,
        meeting_kinds,
        checklists,
        grades,
        dimensions: Vec::new(),
        vetoes: Vec::new(),
        bonuses: Vec::new(),
        labels: labels::read_labels(r, &f),
        votes: f
            .get("votes")
            .map(|n| votes::read_votes(r, n))
            .unwrap_or_default(),
        views: Vec::new(),
        fact_types: Vec::new(),
        survey_ids: Vec::new(),
        incident_ids: Vec::new(),
        honor_ids: Vec::new(),
        texts: Vec::new(),
    };
    let mut pending = Pending {
        rating_facts: Vec::new(),
        fact_uses: Vec::new(),
        levels_named: Vec::new(),
        unread: Vec::new(),
    };
    if let Some(n) = f.get("dimensions") {
        sys.dimensions = read_dimensions(r, n, &sys, &mut pending);
    }
    if let Some(n) = f.get("vetoes") {
        sys.vetoes = read_vetoes(r, n, &sys, &mut pending);
    }
    if let Some(n) = f.get("bonuses") {
        sys.bonuses = read_bonuses(r, n, &sys, &mut pending);
        if !sys.bonuses.is_empty() && sys.bonus_cap.is_zero() {
            r.warning(
                f.key_pos("bonuses").unwrap_or(n.pos),
                "定义了加分项，但 `bonus_cap` 为 0（或未设置），加分不会计入总分",
            );
        }
    }
    if let Some(n) = f.get("views") {
        let written = f
            .get("dimensions")
            .map(views::written_indicators)
            .unwrap_or_default();
        sys.views = views::read_views(r, n, &written);
    }
    check_rating_facts(r, &sys, &pending);
    deductions::check_levels_named(r, &sys, &pending);
    sys.fact_types = fact_types(r, &pending);
    collect_known_ids(&mut sys);
    labels::known_ids(&mut sys);
    // An indicator that could not be read (its error reported) would throw every
    // category's sum off: the sums are checked once every indicator was read.
    let written = f.get("dimensions").map_or(0, indicators_written);
    if let (Some(scale), Some(cats), true) = (
        scale,
        f.get("categories"),
        written == sys.indicators().count(),
    ) {
        check_category_sums(r, &sys, scale, cats);
    }
    Some(sys)
}

fn read_version(r: &mut Reader, n: &Node) -> Option<String> {
    match &n.kind {
        Kind::Scalar(s) if s.plain && decimal::looks_numeric(&s.text) => {
            r.error(
                n.pos,
                format!("`version` 应为带引号的文本，而不是数字 {}", s.text),
            )
            .hint = Some(format!("写成 version: \"{}\"", s.text));
            None
        }
        _ => r.nonblank(n, "`version`"),
    }
}

/// How many indicators the file writes, read or not.
fn indicators_written(dimensions: &Node) -> usize {
    let Kind::Seq(dims) = &dimensions.kind else {
        return 0;
    };
    dims.iter()
        .filter_map(|d| match &d.kind {
            Kind::Map(entries) => entries.iter().find(|e| e.key_text() == "indicators"),
            _ => None,
        })
        .map(|e| match &e.value.kind {
            Kind::Seq(items) => items.len(),
            _ => 0,
        })
        .sum()
}
