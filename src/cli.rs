//! The command line: parsing arguments, running the stages, printing, exit codes.
//! Exit 0 on success, 1 when the project has errors, 2 for a misused command line.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::build;
use crate::diagnostics::Diagnostic;
use crate::excel;
use crate::model::Project;
use crate::output::{self, Selection};
use crate::pipeline;
use crate::score::Assessment;

#[derive(Parser, Debug)]
#[command(
    name = "dangjian",
    version,
    about = "基层党组织建设质量评价：校验、计分、排名并生成报告"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// 校验 indicators.yaml 和 content/ 下的全部文件，列出所有错误和警告
    Check {
        /// 项目根目录（含 indicators.yaml 和 content/）
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 把缺少数据的指标也当作错误
        #[arg(long)]
        strict: bool,
    },
    /// 校验后输出计分结果
    Score {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 只输出这一年度（默认：全部年度）
        #[arg(long)]
        year: Option<i32>,
        /// 输出格式
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// 输出组织（街道、社区等）的汇总，而不是各支部
        #[arg(long)]
        orgs: bool,
        /// 把缺少数据的指标也当作错误
        #[arg(long)]
        strict: bool,
        /// 写入的文件（--format xlsx 时必填）
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// 生成填报台账的 Excel 模板（按指标体系生成，已有记录会预先填好）
    Template {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 年度（默认：最新年度；新年度按上一年度的组织和支部预填）
        #[arg(long)]
        year: Option<i32>,
        /// 只为这个组织生成（如 xinhe.qiaodong），可多次给出，每个组织一个工作簿
        #[arg(long = "org", value_name = "ID.ID…")]
        orgs: Vec<String>,
        /// 写入的工作簿（多个 --org 时为文件夹；默认：当前文件夹下的 台账模板-<年度>.xlsx）
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// 导入填好的 Excel 台账（.xlsx、.xls、.ods），写成该年度的 YAML 记录
    Import {
        /// 一个或多个工作簿
        #[arg(required = true, value_name = "FILE.xlsx")]
        files: Vec<PathBuf>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 年度（默认：模板记录的年度）
        #[arg(long)]
        year: Option<i32>,
        /// 只检查并说明会做什么，不写入任何文件
        #[arg(long)]
        dry_run: bool,
    },
    /// 校验后生成 HTML 网站和 PDF 考评手册、年度报告
    Build {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 输出文件夹（默认：项目根目录下的 site）；PDF 在其中的 <年度>/pdf/ 下
        #[arg(long)]
        out: Option<PathBuf>,
        /// 只生成这一年度（默认：全部年度）
        #[arg(long)]
        year: Option<i32>,
        /// 不生成 PDF
        #[arg(long)]
        no_pdf: bool,
        /// 自己的主题文件夹，其中的文件按名称覆盖默认主题
        #[arg(long)]
        theme: Option<PathBuf>,
        /// 把缺少数据的指标也当作错误
        #[arg(long)]
        strict: bool,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Table,
    Csv,
    Json,
    Xlsx,
}

pub fn run<I: IntoIterator<Item = OsString>>(args: I) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match cli.command {
        Command::Check { root, strict } => check(&root, strict),
        Command::Score {
            root,
            year,
            format,
            orgs,
            strict,
            out,
        } => score_cmd(&root, year, format, orgs, strict, out.as_deref()),
        Command::Template {
            root,
            year,
            orgs,
            out,
        } => template_cmd(&excel::TemplateOptions {
            root,
            year,
            orgs,
            out,
        }),
        Command::Import {
            files,
            root,
            year,
            dry_run,
        } => import_cmd(&excel::ImportOptions {
            root,
            files,
            year,
            dry_run,
        }),
        Command::Build {
            root,
            out,
            year,
            no_pdf,
            theme,
            strict,
        } => build_cmd(&build::BuildOptions {
            out: out.unwrap_or_else(|| root.join("site")),
            root,
            year,
            no_pdf,
            theme,
            strict,
        }),
    }
}

/// Loads, validates and scores; prints every diagnostic. `None` when there were errors.
fn validate(root: &Path, strict: bool) -> Option<(Project, Assessment)> {
    let (scored, diags) = pipeline::validate(root, strict);
    report(&diags);
    scored.map(|s| (s.project, s.assessment))
}

fn report(diags: &[Diagnostic]) {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for d in diags {
        let _ = writeln!(err, "{d}");
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    if errors > 0 {
        let _ = writeln!(err, "共 {errors} 个错误，{warnings} 个警告");
    } else if warnings > 0 {
        let _ = writeln!(err, "共 {warnings} 个警告");
    }
}

/// Prints what the build said, in the order it happened: validation, the PDFs, the output,
/// then the warnings of rendering.
fn build_cmd(opts: &build::BuildOptions) -> i32 {
    let outcome = build::build(opts, &mut |waiting| eprintln!("{waiting}"));
    report(&outcome.validation);
    match outcome.result {
        Ok(built) => {
            if let Some(pdf) = built.pdf {
                eprintln!("PDF：{} 份新生成，{} 份未变沿用", pdf.compiled, pdf.reused);
            }
            eprintln!(
                "已生成 {}：{} 个年度，{} 个支部{}",
                opts.out.display(),
                built.years,
                built.branches,
                if opts.no_pdf {
                    "（未生成 PDF）"
                } else {
                    ""
                }
            );
            built.warnings.iter().for_each(|d| eprintln!("{d}"));
            0
        }
        Err(errors) => {
            errors.iter().for_each(|d| eprintln!("{d}"));
            1
        }
    }
}

fn check(root: &Path, strict: bool) -> i32 {
    match validate(root, strict) {
        None => 1,
        Some((project, assessment)) => {
            let branches: usize = assessment.years.iter().map(|y| y.branches.len()).sum();
            let years: Vec<String> = project.years.iter().map(|y| y.year.to_string()).collect();
            eprintln!(
                "校验通过：{} 个年度（{}），{branches} 个支部",
                years.len(),
                years.join("、")
            );
            // The process ends here: freeing a whole district's model would only cost time.
            std::mem::forget((project, assessment));
            0
        }
    }
}

fn score_cmd(
    root: &Path,
    year: Option<i32>,
    format: Format,
    orgs: bool,
    strict: bool,
    out: Option<&Path>,
) -> i32 {
    // Checked before any work: a workbook is binary, never written to a terminal.
    if format == Format::Xlsx && out.is_none() {
        eprintln!("error: --format xlsx 需要用 --out FILE.xlsx 指定写入的文件");
        return 2;
    }
    if format != Format::Xlsx && out.is_some() {
        eprintln!("error: --out 只用于 --format xlsx（其他格式输出到标准输出）");
        return 2;
    }
    let Some((project, assessment)) = validate(root, strict) else {
        return 1;
    };
    let years = match pipeline::select_years(&project, year) {
        Ok(years) => years,
        Err(d) => {
            eprintln!("{d}");
            return 1;
        }
    };
    let sel = Selection {
        project: &project,
        assessment: &assessment,
        years,
    };
    let text = match (format, orgs) {
        (Format::Xlsx, _) => {
            let path = out.unwrap_or(Path::new("scores.xlsx"));
            let written = output::xlsx::scores(&sel)
                .map_err(|e| {
                    Diagnostic::error(
                        &path.display().to_string(),
                        crate::diagnostics::Pos::START,
                        format!("无法生成工作簿：{e}"),
                    )
                    .in_sheet(None, None)
                })
                .and_then(|bytes| excel::write_file(path, &bytes));
            std::mem::forget((project, assessment));
            return match written {
                Ok(()) => {
                    eprintln!("已写入 {}", path.display());
                    0
                }
                Err(d) => {
                    eprintln!("{d}");
                    1
                }
            };
        }
        (Format::Json, _) => {
            // Written as it is made: a province's JSON is hundreds of megabytes.
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let written = if orgs {
                output::json::write_orgs(&sel, &mut out)
            } else {
                output::json::write_branches(&sel, &mut out)
            };
            // A closed pipe (`| head`) is not an error worth a message.
            let _ = written.and_then(|()| out.flush());
            std::mem::forget((project, assessment));
            return 0;
        }
        (Format::Csv, false) => output::csv::branches(&sel),
        (Format::Csv, true) => output::csv::orgs(&sel),
        (Format::Table, false) => output::table::branches(&sel),
        (Format::Table, true) => output::table::orgs(&sel),
    };
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    // The process ends here: freeing a whole district's model would only cost time.
    std::mem::forget((project, assessment, text));
    0
}

fn template_cmd(opts: &excel::TemplateOptions) -> i32 {
    let (diags, made) = excel::template(opts);
    report(&diags);
    match made {
        Some(made) => {
            for m in made {
                eprintln!("已生成 {}（{} 个支部）", m.path.display(), m.branches);
            }
            0
        }
        None => 1,
    }
}

fn import_cmd(opts: &excel::ImportOptions) -> i32 {
    let outcome = excel::import(opts);
    report(&outcome.diagnostics);
    let Some(s) = outcome.summary else {
        eprintln!("未写入任何文件");
        return 1;
    };
    let verb = if s.written { "" } else { "将" };
    let list = |v: &[String]| {
        let shown: Vec<&str> = v.iter().take(20).map(String::as_str).collect();
        let more = if v.len() > 20 {
            format!(" 等 {} 个", v.len())
        } else {
            String::new()
        };
        format!("{}{more}", shown.join("、"))
    };
    eprintln!("{} 年度：", s.year);
    if !s.added.is_empty() {
        eprintln!("  {verb}新增 {} 个支部：{}", s.added.len(), list(&s.added));
    }
    if !s.changed.is_empty() {
        eprintln!(
            "  {verb}修改 {} 个支部：{}",
            s.changed.len(),
            list(&s.changed)
        );
    }
    if !s.orgs_added.is_empty() {
        eprintln!(
            "  {verb}新增 {} 个组织：{}",
            s.orgs_added.len(),
            list(&s.orgs_added)
        );
    }
    if !s.orgs_changed.is_empty() {
        eprintln!(
            "  {verb}修改 {} 个组织：{}",
            s.orgs_changed.len(),
            list(&s.orgs_changed)
        );
    }
    eprintln!(
        "  内容未变 {} 个支部；工作簿之外的 {} 个支部未涉及",
        s.unchanged, s.left_alone
    );
    if s.written {
        eprintln!("导入完成");
    } else {
        eprintln!("（--dry-run：未写入任何文件）");
    }
    0
}
