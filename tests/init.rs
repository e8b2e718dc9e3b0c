//! `dangjian init` end to end: a new project that `check` accepts and `build` turns into a
//! site, the example district, the refusal to write into a folder that is not empty, and
//! the generated CI pipelines run command by command on a fresh project.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{run, stderr};

/// 2026-05-28 (UTC): `init` takes "this year" from here.
const EPOCH: &str = "1780000000";

fn init(dir: &Path, extra: &[&str]) -> std::process::Output {
    let d = dir.to_string_lossy();
    let mut args = vec!["init", &d];
    args.extend_from_slice(extra);
    Command::new(env!("CARGO_BIN_EXE_dangjian"))
        .args(&args)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .expect("the binary runs")
}

fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).unwrap();
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    out
}

#[test]
fn a_new_project_checks_and_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("东湖区");
    let o = init(&dir, &["--name", "中共东湖区委"]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert_eq!(
        files(&dir),
        [
            ".gitea/workflows/dangjian.yml",
            ".github/workflows/dangjian.yml",
            ".gitignore",
            ".gitlab-ci.yml",
            "content/2026/_org.yaml",
            "content/2026/shifanjiedao/_org.yaml",
            "content/2026/shifanjiedao/shifanshequ.md",
            "content/2026/shifanjiedao/shifanshequ.yaml",
            "indicators.yaml",
        ]
    );
    // It says what it made and what to do next.
    assert!(
        err.contains("content/2026/shifanjiedao/shifanshequ.yaml"),
        "{err}"
    );
    assert!(err.contains("dangjian serve --open"), "{err}");
    let district = std::fs::read_to_string(dir.join("content/2026/_org.yaml")).unwrap();
    assert!(district.contains("name: 中共东湖区委"), "{district}");
    // The record explains every field in Chinese: each top-level key has a comment.
    let record =
        std::fs::read_to_string(dir.join("content/2026/shifanjiedao/shifanshequ.yaml")).unwrap();
    let identity = ["name:", "category:", "members:", "secretary:"];
    for key in identity.iter().chain(&common::LEDGER_KEYS) {
        let line = record.lines().position(|l| l.starts_with(key)).unwrap();
        let commented = record.lines().nth(line).unwrap().contains('#')
            || record.lines().nth(line - 1).unwrap().starts_with('#');
        assert!(commented, "{key} has no comment");
    }
    assert_eq!(
        std::fs::read(dir.join("indicators.yaml")).unwrap(),
        std::fs::read(common::repo().join("indicators.yaml")).unwrap()
    );

    let root = dir.to_string_lossy();
    let o = run(&["check", "--root", &root]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("校验通过：1 个年度（2026），1 个支部"));
    // No warning either: the sample record gives every fact the default system reads.
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    let (site, _) = common::build_site(&dir, &["--no-pdf"]);
    let home = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(home.contains("中共东湖区委"));
    assert!(site.join("2026/branch/shifanshequ.html").is_file());
    // The .gitignore keeps the output out of the repository.
    let ignore = std::fs::read_to_string(dir.join(".gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "/site/"));
}

/// The text with the commented-out YAML from the first line starting with `from` on
/// written in: a `# ` before a key or an indented line is removed; the headings (Chinese
/// text after the `# `) stay comments.
fn uncomment_from(text: &str, from: &str) -> String {
    let start = text.find(from).unwrap();
    let tail: String = text[start..]
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest) if rest.starts_with(|c: char| c.is_ascii_lowercase() || c == ' ') => {
                format!("{rest}\n")
            }
            _ => format!("{l}\n"),
        })
        .collect();
    format!("{}{tail}", &text[..start])
}

#[test]
fn the_commented_optional_blocks_are_valid_once_uncommented() {
    // The record shows the inspection and the rectification plan commented out: written in,
    // they are what the contract accepts and what the reports follow up.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    assert!(init(&dir, &[]).status.success());
    let path = dir.join("content/2026/shifanjiedao/shifanshequ.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, uncomment_from(&text, "# inspection:")).unwrap();
    let o = run(&["check", "--root", &dir.to_string_lossy()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    let json = common::score_json(&dir, &[]);
    let b = &json[0];
    assert_eq!(b["inspected"], true);
    assert_eq!(b["sampled"], true);
    assert_eq!(b["rectification"][0]["id"], "committee_monthly");
    assert_eq!(b["rectification"][0]["status"], "done");

    // The district's cut-off, written in, is checked against the record's dates: the
    // November inspection is after a 30 June cut-off.
    let district = dir.join("content/2026/_org.yaml");
    let text = std::fs::read_to_string(&district).unwrap();
    std::fs::write(&district, text.replace("# as_of:", "as_of:")).unwrap();
    let o = run(&["check", "--root", &dir.to_string_lossy()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("晚于本年度的数据截止日 2026-06-30"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_year_comes_from_the_clock_and_the_name_has_a_blank_to_fill() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    let o = Command::new(env!("CARGO_BIN_EXE_dangjian"))
        .args(["init", &dir.to_string_lossy()])
        .env("SOURCE_DATE_EPOCH", "1800000000") // 2027-01-15
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let district = std::fs::read_to_string(dir.join("content/2027/_org.yaml")).unwrap();
    assert!(district.contains("name: 中共××区委"), "{district}");
    let record =
        std::fs::read_to_string(dir.join("content/2027/shifanjiedao/shifanshequ.yaml")).unwrap();
    assert!(record.contains("date: 2027-01-10"));
    let o = run(&["check", "--root", &dir.to_string_lossy()]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_name_that_looks_like_yaml_is_written_quoted() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    let o = init(&dir, &["--name", "2026: #区委"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&[
        "score",
        "--root",
        &dir.to_string_lossy(),
        "--orgs",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let orgs: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(orgs[0]["name"], "2026: #区委");
    let o = init(&tmp.path().join("q"), &["--name", "  "]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!tmp.path().join("q").exists());
}

#[test]
fn the_example_is_the_bundled_district() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("example");
    let o = init(&dir, &["--example"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for rel in files(&common::repo().join("content")) {
        assert_eq!(
            std::fs::read(dir.join("content").join(&rel)).unwrap(),
            std::fs::read(common::repo().join("content").join(&rel)).unwrap(),
            "{rel}"
        );
    }
    assert!(dir.join(".gitlab-ci.yml").is_file());
    let ours = common::score_json(&dir, &[]);
    let bundled = common::score_json(&common::repo(), &[]);
    assert_eq!(
        ours.as_array().unwrap().len(),
        bundled.as_array().unwrap().len()
    );

    // With --name, the district is renamed in every year, nothing else changes.
    let named = tmp.path().join("named");
    let o = init(&named, &["--example", "--name", "中共西岭区委"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for year in ["2025", "2026"] {
        let text =
            std::fs::read_to_string(named.join(format!("content/{year}/_org.yaml"))).unwrap();
        assert!(text.starts_with("name: 中共西岭区委\n"), "{text}");
    }
}

#[test]
fn a_folder_that_is_not_empty_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("笔记.txt"), "我的笔记").unwrap();
    let o = init(&dir, &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("文件夹不是空的") && err.contains("笔记.txt"),
        "{err}"
    );
    assert_eq!(files(&dir), ["笔记.txt"]);

    // A file in place of the folder.
    let file = tmp.path().join("f");
    std::fs::write(&file, "x").unwrap();
    assert_eq!(init(&file, &[]).status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");

    // Only a version-control checkout counts as empty.
    let repo = tmp.path().join("r");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::write(repo.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    let o = init(&repo, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(repo.join(".git/HEAD")).unwrap(),
        "ref: refs/heads/main\n"
    );
    assert!(repo.join("indicators.yaml").is_file());
}

// ---------------------------------------------------------------------------------------
// The CI pipelines: their shell commands, taken from the generated YAML, run in order on a
// fresh project with this build of dangjian (and the installed typst) on the PATH.

/// The value of a YAML mapping's key.
fn get<'a>(node: &'a yaml_rust2::Yaml, key: &str) -> &'a yaml_rust2::Yaml {
    &node[key]
}

fn yaml(path: &Path) -> yaml_rust2::Yaml {
    let text = std::fs::read_to_string(path).unwrap();
    yaml_rust2::YamlLoader::load_from_str(&text)
        .unwrap()
        .remove(0)
}

/// A mapping of texts to texts (a pipeline's variables), in file order.
fn string_pairs(node: &yaml_rust2::Yaml) -> Vec<(String, String)> {
    let text = |y: &yaml_rust2::Yaml| y.as_str().unwrap().to_string();
    node.as_hash()
        .unwrap()
        .iter()
        .map(|(k, v)| (text(k), text(v)))
        .collect()
}

/// GitLab: the `pages` job's script lines and the pipeline's variables.
fn gitlab_commands(dir: &Path) -> (Vec<String>, Vec<(String, String)>) {
    let doc = yaml(&dir.join(".gitlab-ci.yml"));
    let vars = string_pairs(get(&doc, "variables"));
    let script = get(get(&doc, "pages"), "script")
        .as_vec()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect();
    (script, vars)
}

/// Actions (GitHub or Gitea): every `run` of the job's steps, and the workflow's env.
fn actions_commands(file: &Path) -> (Vec<String>, Vec<(String, String)>) {
    let doc = yaml(file);
    let vars = string_pairs(get(&doc, "env"));
    let job = get(get(&doc, "jobs"), "site");
    let runs = get(job, "steps")
        .as_vec()
        .unwrap()
        .iter()
        .filter_map(|s| s["run"].as_str().map(str::to_string))
        .collect();
    (runs, vars)
}

/// A folder with `dangjian` (this build) and, when installed, the pinned `typst`.
fn tool_path(tmp: &Path) -> Option<String> {
    let bin = tmp.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_dangjian"), bin.join("dangjian")).unwrap();
    let typst = std::env::var_os("DANGJIAN_TYPST")
        .map(PathBuf::from)
        .or_else(|| {
            let home = std::env::var_os("HOME")?;
            let p = Path::new(&home).join(".cargo/bin/typst");
            p.is_file().then_some(p)
        })?;
    #[cfg(unix)]
    std::os::unix::fs::symlink(typst, bin.join("typst")).unwrap();
    let path = std::env::var("PATH").unwrap_or_default();
    Some(format!("{}:{path}", bin.display()))
}

/// Runs `script` with `sh -e` in `dir`, with the runner's variables and `env`; gives what
/// it printed.
fn run_script(dir: &Path, script: &str, env: &[(String, String)], path: &str) -> String {
    let mut cmd = Command::new("sh");
    cmd.arg("-ec")
        .arg(script)
        .current_dir(dir)
        .env("PATH", path);
    cmd.env("CI_PROJECT_DIR", dir)
        .env("GITHUB_ENV", dir.join(".github-env"))
        .env("GITHUB_PATH", dir.join(".github-path"));
    for (k, v) in env {
        cmd.env(k, v.replace("$CI_PROJECT_DIR", &dir.to_string_lossy()));
    }
    let o = cmd.output().unwrap();
    let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert!(o.status.success(), "`{script}` failed:\n{out}");
    out
}

/// GitLab runs a job's script lines one after the other in one shell.
fn run_gitlab(dir: &Path, lines: &[String], env: &[(String, String)], path: &str) -> String {
    run_script(dir, &lines.join("\n"), env, path)
}

/// Actions run each step in a shell of its own; a step passes variables and PATH entries
/// on through the files `$GITHUB_ENV` and `$GITHUB_PATH`.
fn run_actions(dir: &Path, steps: &[String], env: &[(String, String)], path: &str) -> String {
    let mut env = env.to_vec();
    let mut path = path.to_string();
    let mut all = String::new();
    for step in steps {
        let _ = std::fs::remove_file(dir.join(".github-env"));
        let _ = std::fs::remove_file(dir.join(".github-path"));
        all.push_str(&run_script(dir, step, &env, &path));
        let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        for line in read(".github-env").lines() {
            if let Some((k, v)) = line.split_once('=') {
                env.push((k.to_string(), v.to_string()));
            }
        }
        for line in read(".github-path").lines() {
            path = format!("{line}:{path}");
        }
    }
    all
}

#[test]
fn the_generated_pipelines_validate_build_and_reuse_the_previous_pdfs() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(path) = tool_path(tmp.path()) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "typst is required under CI"
        );
        eprintln!("typst is not installed: the pipelines are not run");
        return;
    };
    let dir = tmp.path().join("p");
    assert!(init(&dir, &["--name", "中共东湖区委"]).status.success());
    let (gitlab, gitlab_env) = gitlab_commands(&dir);
    assert!(gitlab.iter().any(|c| c == "dangjian check"));

    // What the runner keeps: the cache folder, and the site (and Pages' copy) as artifacts.
    let doc = yaml(&dir.join(".gitlab-ci.yml"));
    let texts = |y: &yaml_rust2::Yaml| -> Vec<String> {
        y.as_vec()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(texts(&doc["pages"]["cache"]["paths"]), [".cache/"]);
    assert_eq!(
        texts(&doc["pages"]["artifacts"]["paths"]),
        ["site/", "public/"]
    );

    // The first run builds the site and the PDFs, the second reuses every PDF.
    let first = run_gitlab(&dir, &gitlab, &gitlab_env, &path);
    assert!(first.contains("校验通过"), "{first}");
    assert!(first.contains("PDF：3 份新生成，0 份未变沿用"), "{first}");
    assert!(dir.join("site/2026/pdf/shifanshequ.pdf").is_file());
    assert!(dir.join("public/index.html").is_file());
    assert!(dir.join("public/2026/pdf/shifanshequ.pdf").is_file());
    assert!(!dir.join("public/.dangjian").exists());
    // The cache holds the previous output with its manifest, `.dangjian/manifest.json`.
    let listed = Command::new("tar")
        .arg("-tf")
        .arg(dir.join(".cache/site.tar"))
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&listed.stdout).into_owned();
    assert!(
        listed
            .lines()
            .any(|l| l.starts_with("site/.dangjian/") && l.ends_with(".json")),
        "{listed}"
    );
    assert!(
        listed.lines().any(|l| l == "site/2026/pdf/shifanshequ.pdf"),
        "{listed}"
    );
    std::fs::remove_dir_all(dir.join("site")).unwrap();
    std::fs::remove_dir_all(dir.join("public")).unwrap();
    let second = run_gitlab(&dir, &gitlab, &gitlab_env, &path);
    assert!(second.contains("PDF：0 份新生成，3 份未变沿用"), "{second}");

    for file in [
        ".github/workflows/dangjian.yml",
        ".gitea/workflows/dangjian.yml",
    ] {
        let (runs, env) = actions_commands(&dir.join(file));
        // It restores and saves `.cache/` and uploads `site/` as the run's artifact.
        let doc = yaml(&dir.join(file));
        let steps = doc["jobs"]["site"]["steps"].as_vec().unwrap();
        let step = |action: &str| {
            steps
                .iter()
                .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(action)))
                .unwrap_or_else(|| panic!("{file}: no {action} step"))
        };
        assert_eq!(
            step("actions/cache@")["with"]["path"].as_str(),
            Some(".cache")
        );
        let upload = step("actions/upload-artifact@");
        assert_eq!(upload["with"]["path"].as_str(), Some("site/"));
        assert_eq!(upload["with"]["name"].as_str(), Some("site"));
        std::fs::remove_dir_all(dir.join("site")).unwrap();
        let out = run_actions(&dir, &runs, &env, &path);
        assert!(out.contains("校验通过"), "{file}: {out}");
        assert!(
            out.contains("PDF：0 份新生成，3 份未变沿用"),
            "{file}: {out}"
        );
        assert!(dir.join("site/index.html").is_file());
    }
}

#[test]
fn a_pipeline_stops_at_an_error_with_its_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    assert!(init(&dir, &[]).status.success());
    let record = dir.join("content/2026/shifanjiedao/shifanshequ.yaml");
    let text = std::fs::read_to_string(&record).unwrap();
    std::fs::write(&record, text.replace("members: 36", "members: -1")).unwrap();
    let (gitlab, _) = gitlab_commands(&dir);
    let check = gitlab.iter().find(|c| *c == "dangjian check").unwrap();
    let path = format!(
        "{}:{}",
        Path::new(env!("CARGO_BIN_EXE_dangjian"))
            .parent()
            .unwrap()
            .display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let o = Command::new("sh")
        .arg("-ec")
        .arg(check)
        .current_dir(&dir)
        .env("PATH", path)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("content/2026/shifanjiedao/shifanshequ.yaml:9:10:"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_pipelines_match_their_systems_schemas() {
    // check-jsonschema (PyPI) ships the schemas GitLab and GitHub publish for these files;
    // Gitea Actions reads the GitHub workflow syntax. Skipped where it is not installed.
    let tool = Command::new("check-jsonschema").arg("--version").output();
    if !tool.is_ok_and(|o| o.status.success()) {
        eprintln!("check-jsonschema is not installed: the schemas are not checked");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    assert!(init(&dir, &[]).status.success());
    for (schema, file) in [
        ("vendor.gitlab-ci", ".gitlab-ci.yml"),
        ("vendor.github-workflows", ".github/workflows/dangjian.yml"),
        ("vendor.github-workflows", ".gitea/workflows/dangjian.yml"),
    ] {
        let o = Command::new("check-jsonschema")
            .args(["--builtin-schema", schema])
            .arg(dir.join(file))
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{file}: {}{}",
            String::from_utf8_lossy(&o.stdout),
            stderr(&o)
        );
    }
}
