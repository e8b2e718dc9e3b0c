//! The command line of the day-to-day workflow: `init`, `new-year` and `serve` — running
//! them and printing what they did (the library only returns it).

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::workflow::init::{self, InitOptions};
use crate::workflow::serve::{Event, ServeOptions, Server};

fn print_all(diags: &[Diagnostic]) {
    for d in diags {
        eprintln!("{d}");
    }
}

pub fn init_cmd(dir: PathBuf, name: Option<String>, example: bool) -> i32 {
    let opts = InitOptions {
        dir,
        name,
        example,
        year: crate::workflow::this_year(),
    };
    match init::init(&opts) {
        Err(diags) => {
            print_all(&diags);
            1
        }
        Ok(made) => {
            let years: Vec<String> = made.years.iter().map(|y| y.to_string()).collect();
            let what = if example {
                "示例项目（虚构的临江区）"
            } else {
                "新项目"
            };
            eprintln!(
                "已在 {} 创建{what}，年度：{}",
                opts.dir.display(),
                years.join("、")
            );
            for f in &made.files {
                if !f.starts_with("content/") || !example {
                    eprintln!("  {f}");
                }
            }
            if example {
                let n = made
                    .files
                    .iter()
                    .filter(|f| f.starts_with("content/"))
                    .count();
                eprintln!("  content/…（{n} 个文件）");
            }
            let cd = if opts.dir == Path::new(".") {
                String::new()
            } else {
                format!("  cd {}\n", opts.dir.display())
            };
            eprintln!(
                "\n下一步：\n{cd}  dangjian check            校验全部数据，列出每个错误和警告\n  \
                 dangjian serve --open     在浏览器中预览，修改文件后页面自动刷新\n  \
                 dangjian build            生成网站和 PDF（在 site/ 中）\n\
                 编辑 content/ 下的组织（_org.yaml）和支部记录（*.yaml、*.md）；\
                 CI 配置（.gitlab-ci.yml、.gitea/、.github/）中的 DANGJIAN_GIT 要改成本单位的仓库地址。"
            );
            0
        }
    }
}

pub fn new_year_cmd(root: PathBuf, from: Option<i32>, to: Option<i32>) -> i32 {
    let opts = crate::workflow::new_year::NewYearOptions {
        root: root.clone(),
        from,
        to,
    };
    match crate::workflow::new_year::new_year(&opts) {
        Err(diags) => {
            print_all(&diags);
            1
        }
        Ok(o) => {
            let folder = root.join("content").join(o.to.to_string());
            eprintln!(
                "已从 {} 年度开启 {} 年度：{}",
                o.from,
                o.to,
                folder.display()
            );
            eprintln!(
                "  {} 个组织、{} 个支部（只沿用名称、类别、书记和党员人数，台账从零开始）",
                o.orgs, o.branches
            );
            if o.own_system {
                eprintln!("  沿用 {} 年度自己的 indicators.yaml", o.from);
            }
            eprintln!("  转入未完成的整改事项 {} 项", o.carried);
            eprintln!(
                "  校验通过；{} 个警告是还没有填写的数据（dangjian check 查看）",
                o.warnings.len()
            );
            eprintln!(
                "\n下一步：在 content/{}/ 中填写各支部的台账，dangjian serve --open 边写边看。",
                o.to
            );
            0
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub fn serve_cmd(
    root: PathBuf,
    port: u16,
    open: bool,
    bind: IpAddr,
    pdf: bool,
    theme: Option<PathBuf>,
    strict: bool,
    poll: bool,
) -> i32 {
    let opts = ServeOptions {
        root,
        bind,
        port,
        pdf,
        theme,
        strict,
        poll,
    };
    let mut server = match Server::start(opts) {
        Ok(s) => s,
        Err(diags) => {
            print_all(&diags);
            return 1;
        }
    };
    let url = server.url();
    let stopper = server.stopper();
    if let Err(e) = ctrlc::set_handler(move || stopper.stop()) {
        eprintln!("警告：无法处理 Ctrl+C：{e}");
    }
    if !bind.is_loopback() {
        eprintln!("警告：预览在 {bind} 上，同一网络中的其他计算机也能访问");
    }
    eprintln!("本地预览：{url}（按 Ctrl+C 停止）");
    eprintln!(
        "网站生成在临时文件夹 {}，停止时删除",
        server.temp_dir().display()
    );
    match server.watching() {
        (true, _) => {}
        (false, Some(why)) => {
            eprintln!("无法使用系统的文件通知（{why}），改为每 0.3 秒检查一次文件")
        }
        (false, None) => eprintln!("每 0.3 秒检查一次文件的变化"),
    }
    let mut opened = !open;
    server.run(&mut |event| {
        match event {
            Event::Built {
                first,
                took,
                changed,
                reused,
                read,
                warnings,
            } => {
                let ms = took.as_millis();
                let warned = if warnings.is_empty() {
                    String::new()
                } else {
                    format!("，{} 个警告（dangjian check 查看）", warnings.len())
                };
                if first {
                    eprintln!("已生成网站（{ms} ms{warned}）");
                } else {
                    eprintln!(
                        "已重新生成（{ms} ms，读取 {read} 个文件，沿用 {reused} 个{warned}）：{}",
                        shorten(changed)
                    );
                }
            }
            Event::Failed {
                first,
                took,
                diagnostics,
            } => {
                let errors: Vec<&Diagnostic> =
                    diagnostics.iter().filter(|d| d.is_error()).collect();
                for d in &errors {
                    eprintln!("{d}");
                }
                let kept = if first {
                    "还没有可以预览的网站"
                } else {
                    "仍在提供上一次成功生成的网站"
                };
                eprintln!(
                    "生成失败（{} ms）：{} 个错误，{kept}；改正后自动重新生成",
                    took.as_millis(),
                    errors.len()
                );
            }
        }
        if !opened {
            opened = true;
            if let Err(e) = opener::open(&url) {
                eprintln!("无法打开浏览器（{e}），请手动访问 {url}");
            }
        }
    });
    drop(server);
    eprintln!("已停止预览，临时文件夹已删除");
    0
}

/// The changed files for one line: the first three, then how many more.
fn shorten(changed: &[String]) -> String {
    let mut s = changed
        .iter()
        .take(3)
        .cloned()
        .collect::<Vec<_>>()
        .join("、");
    if changed.len() > 3 {
        s.push_str(&format!(" 等 {} 个文件", changed.len()));
    }
    s
}
