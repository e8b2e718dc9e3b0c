//! The data the templates read, documented from the view's types: their JSON schemas
//! (`schemars`; each doc comment gives a Chinese paragraph, then an English one) written as
//! Markdown tables. `themes/default/typst/DATA.md` (what typst reads) and
//! `themes/default/templates/DATA.md` (the variables of each HTML page) are made here; a
//! test fails when a committed one is stale, and `DANGJIAN_BLESS=1` rewrites them.

use std::collections::BTreeSet;
use std::fmt::Write;

use schemars::generate::{SchemaGenerator, SchemaSettings};
use schemars::{JsonSchema, Schema};
use serde::Serialize;
use serde_json::{Map, Value};

use super::booklet::BookletDocument;
use super::report::AnnualReport;
use super::rulebook::Rulebook;
use super::site::Page;
use super::site::branch::BranchPage;
use super::site::indicators::IndicatorsPage;
use super::site::org::OrgPage;
use super::site::ranking::RankingPage;
use super::site::rectification::RectificationPage;
use super::site::rulebook::RulebookPage;
use super::site::search::SearchDoc;
use super::site::year::YearPage;

/// Where the documents are, relative to the repository.
pub const TYPST_DATA: &str = "themes/default/typst/DATA.md";
pub const HTML_DATA: &str = "themes/default/templates/DATA.md";

const GENERATED: &str = "<!-- Made from the view's types (src/view/) by src/view/schema_doc.rs: do not edit; \
`DANGJIAN_BLESS=1 cargo test --lib view::schema_doc` rewrites it. -->";

const CONVENTIONS: &str = "\
## 约定 · Conventions

- 分数是字符串，两位小数，半数进位：`\"88.50\"`、`\"0.00\"`；比率是带 `%` 的字符串：`\"73.1%\"`；个数、名次、年度是整数。模板只显示，不计算。
  Scores are strings with two decimals, rounded half away from zero (`\"88.50\"`); rates are
  strings with a `%` (`\"73.1%\"`); counts, ranks and years are integers. Templates only print.
- 类型 `text` 是读者看到的文字（名称、说明、图表）；`string` 是标识、路径或固定的键，不显示。
  `text` is what a reader sees (names, sentences, charts); `string` is an id, a path or a fixed
  key, never shown. In a PDF, a character of a `text` that no vendored font can draw is
  replaced by 〓, with a warning naming the file, line and column where it was written.
- `null` 表示没有（如未自评、无上年、已是最高等次）；列表从不为 null，没有时为 `[]`。
  `null` means none (no self scores, no previous year, the top grade); lists are never null.
- 图表是本工具绘制的 SVG 文本（每个 `<text>` 都指定了字体），原样嵌入。
  Charts are SVG text drawn by this tool (every `<text>` names its font), embedded as they are.
";

/// The variables of a page with nothing of its own: the frame every page has.
#[derive(Serialize, JsonSchema)]
struct Frame {}

/// The document of the data typst reads.
pub fn typst_data() -> String {
    let mut d = Doc::new();
    d.out
        .push_str("# Typst 模板的数据 · Data given to the Typst templates\n\n");
    d.out.push_str(GENERATED);
    d.out.push_str(
        "\n\nRust 为每个 PDF 写一个 JSON 文件，模板读取并显示它；模板从不计算分数、名次或等次。\
         调用 typst 的方法见同一文件夹的 `README.md`。\n\
         The Rust side writes one JSON file per PDF; the template reads and shows it and never\n\
         computes a score, a rank or a grade. How typst is called: `README.md` in this folder.\n\n",
    );
    d.out.push_str(CONVENTIONS);
    d.root::<BookletDocument>(
        "考评手册 · Booklet (`booklet.typ`, `dangjian.booklet/1`)",
        "每个支部一份。\n\nOne per branch.",
        &[],
    );
    d.root::<AnnualReport>(
        "年度报告 · Annual report (`annual-report.typ`, `dangjian.annual-report/1`)",
        "每个年度一份。\n\nOne per year.",
        &[],
    );
    d.root::<Rulebook>(
        "考核细则 · Rulebook (`rulebook.typ`, `dangjian.rulebook/1`)",
        "每个年度一份：由指标体系生成的考核细则。\n\nOne per year: the rulebook made from the indicator system.",
        &[],
    );
    d.types();
    d.out
}

/// The document of the HTML templates' variables.
pub fn html_data() -> String {
    let mut d = Doc::new();
    d.out
        .push_str("# 网页模板的变量 · Variables of the HTML templates\n\n");
    d.out.push_str(GENERATED);
    d.out.push_str(
        "\n\n每个页面的变量都是视图模型中的类型（`src/view/site/`），与 PDF 使用同样的数值。\
         过滤器和主题的覆盖方法见同一文件夹的 `README.md`。\n\
         Every page's variables are types of the view model (`src/view/site/`), with the same\n\
         values the PDFs print. Filters and theme overrides: `README.md` in this folder.\n\n",
    );
    d.out.push_str(CONVENTIONS);
    d.root::<Page<Frame>>(
        "每个页面 · Every page (`base.html`)",
        "每个页面都有这些变量，另加下面各页面自己的变量。\n\nEvery page has these, and the variables of its own below.",
        &[],
    );
    let frame: Vec<String> = ["root", "site", "nav", "page", "pdf"]
        .into_iter()
        .map(String::from)
        .collect();
    d.root::<YearPage>(
        "`year.html`",
        "`index.html`（最新年度）和 `<year>/index.html`。\n\n`index.html` (the latest year) and `<year>/index.html`.",
        &frame,
    );
    d.root::<RankingPage>(
        "`ranking.html`",
        "`<year>/ranking.html`、`<year>/ranking.<n>.html`、`<year>/ranking/<category>.html`、`<year>/ranking/<category>.<n>.html`：每页 1000 行。\n\nThe year's and each category's ranking, 1,000 rows a page.",
        &frame,
    );
    d.root::<RectificationPage>(
        "`rectification.html`",
        "`<year>/rectification.html`、`<year>/rectification.<n>.html`：每页 1000 行，按名次。\n\nThe rectification list, 1,000 rows a page in ranking order.",
        &frame,
    );
    d.root::<OrgPage>(
        "`org.html`",
        "`<year>/org/<ids joined by '.'>.html`：区以下的每个组织。\n\nEvery organisation node below the district.",
        &frame,
    );
    d.root::<BranchPage>(
        "`branch.html`",
        "`<year>/branch/<id>.html`：每个支部。\n\nEvery branch.",
        &frame,
    );
    d.root::<IndicatorsPage>(
        "`indicators.html`",
        "`<year>/indicators.html`：指标体系。\n\nThe indicator system.",
        &frame,
    );
    d.root::<RulebookPage>(
        "`rulebook.html`",
        "`<year>/rulebook.html`：考核细则。\n\nThe rulebook (考核细则).",
        &frame,
    );
    d.root::<SearchDoc>(
        "搜索索引 · `search-index.js`",
        "`window.DANGJIAN_SEARCH = {docs: […]}` 中的每个文档。\n\nEach document of `window.DANGJIAN_SEARCH = {docs: […]}`.",
        &[],
    );
    d.types();
    d.out
}

struct Doc {
    generator: SchemaGenerator,
    out: String,
    /// Named types met in the tables, in the order first met.
    queue: Vec<String>,
}

impl Doc {
    fn new() -> Doc {
        Doc {
            generator: SchemaSettings::draft2020_12().into_generator(),
            out: String::new(),
            queue: Vec::new(),
        }
    }

    /// A section of a document's root type `T`, leaving out the `skip` fields.
    fn root<T: JsonSchema>(&mut self, title: &str, about: &str, skip: &[String]) {
        let schema = self.generator.subschema_for::<T>();
        let body = self.resolve(&schema).clone();
        let _ = write!(self.out, "\n## {title}\n\n{}\n", bilingual(about));
        self.table(&body, skip);
    }

    /// The definition a `$ref` points to, or the schema itself.
    fn resolve<'s>(&'s self, schema: &'s Schema) -> &'s Value {
        let v = schema.as_value();
        match ref_name(v) {
            Some(name) => self.generator.definitions().get(name).unwrap_or(v),
            None => v,
        }
    }

    fn table(&mut self, body: &Value, skip: &[String]) {
        let empty = Map::new();
        let props = body
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        self.out
            .push_str("\n| 字段 field | 类型 type | 说明 | meaning |\n|---|---|---|---|\n");
        for (name, p) in props.iter().filter(|(n, _)| !skip.contains(n)) {
            let ty = self.type_of(p);
            let (zh, en) = split(p.get("description").and_then(Value::as_str).unwrap_or(""));
            let _ = writeln!(self.out, "| `{name}` | {ty} | {zh} | {en} |");
        }
    }

    /// A property's type in words, with links to the named types it uses.
    fn type_of(&mut self, p: &Value) -> String {
        if let Some(name) = ref_name(p) {
            if !self.queue.iter().any(|q| q == name) {
                self.queue.push(name.to_string());
            }
            return format!("[{name}](#{})", name.to_lowercase());
        }
        if let Some(alts) = p
            .get("anyOf")
            .or_else(|| p.get("oneOf"))
            .and_then(Value::as_array)
        {
            let mut seen = BTreeSet::new();
            let parts: Vec<String> = alts
                .iter()
                .flat_map(|a| {
                    self.type_of(a)
                        .split(" \\| ")
                        .map(String::from)
                        .collect::<Vec<_>>()
                })
                .filter(|t| seen.insert(t.clone()))
                .collect();
            return parts.join(" \\| ");
        }
        let shown = p.get("x-shown").and_then(Value::as_bool) == Some(true);
        let types: Vec<&str> = match p.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let mut out: Vec<String> = types
            .iter()
            .map(|t| match *t {
                "array" => {
                    let item = p.get("items").map_or_else(String::new, |i| self.type_of(i));
                    format!("[{item}]")
                }
                "string" if shown => "text".to_string(),
                other => other.to_string(),
            })
            .collect();
        if out.is_empty() {
            out.push("any".to_string());
        }
        out.join(" \\| ")
    }

    /// A section per named type, in the order first met.
    fn types(&mut self) {
        self.out.push_str("\n## 类型 · Types\n");
        let mut k = 0;
        while k < self.queue.len() {
            let name = self.queue[k].clone();
            k += 1;
            let Some(body) = self.generator.definitions().get(&name).cloned() else {
                continue;
            };
            let about = body
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or("");
            let _ = write!(self.out, "\n### {name}\n\n{}\n", bilingual(about));
            self.table(&body, &[]);
        }
    }
}

fn ref_name(v: &Value) -> Option<&str> {
    v.get("$ref")?.as_str()?.rsplit('/').next()
}

/// A doc comment's Chinese paragraph and its English one, each on one line, `|` escaped.
fn split(description: &str) -> (String, String) {
    let one_line = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace('|', "\\|")
    };
    let (zh, en) = description.split_once("\n\n").unwrap_or((description, ""));
    (one_line(zh), one_line(en))
}

fn bilingual(about: &str) -> String {
    let (zh, en) = split(about);
    format!("{zh}\n{en}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn check(rel: &str, made: &str) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
        if std::env::var_os("DANGJIAN_BLESS").is_some() {
            std::fs::write(&path, made).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == made,
            "{rel} is not what the view's types say: run `DANGJIAN_BLESS=1 cargo test --lib view::schema_doc` and commit it"
        );
    }

    #[test]
    fn the_committed_documents_are_current() {
        check(TYPST_DATA, &typst_data());
        check(HTML_DATA, &html_data());
    }

    #[test]
    fn every_field_is_described_in_chinese_and_english() {
        let is_cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        for doc in [typst_data(), html_data()] {
            for row in doc.lines().filter(|l| l.starts_with("| `")) {
                let cells: Vec<&str> = row.split(" | ").collect();
                assert_eq!(cells.len(), 4, "{row}");
                assert!(is_cjk(cells[2]), "no Chinese: {row}");
                let en = cells[3].trim_end_matches(" |");
                assert!(
                    en.chars().any(|c| c.is_ascii_alphabetic()),
                    "no English: {row}"
                );
            }
        }
    }

    #[test]
    fn the_documents_name_what_the_templates_read() {
        let typst = typst_data();
        for field in [
            "`narrative`",
            "`self_gap_flag`",
            "`indicator_system`",
            "`rank_overall`",
            "`deduction_items`",
            "`floor`",
        ] {
            assert!(typst.contains(field), "{field}");
        }
        let html = html_data();
        for field in [
            "`narrative_html`",
            "`movers_count`",
            "`pager`",
            "`crumbs`",
            "`t`",
        ] {
            assert!(html.contains(field), "{field}");
        }
    }
}
