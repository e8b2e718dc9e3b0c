//! Loading a project: walking `content/`, reading every file, validating against the
//! contract, and collecting every diagnostic before anything is scored.

pub mod cache;
pub mod files;
pub mod ids;
pub mod indicators;
pub mod narrative;
pub mod org;
pub mod record;
pub mod shown;
pub mod withdrawn;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Pos};
use crate::model::fact::is_valid_id;
use crate::model::{Branch, IndicatorSystem, Narrative, OrgNode, Project, Year};
use crate::yaml::{self, Reader};

use crate::links::to_slash;
pub use cache::Cache;
use files::read_text;

/// An indicator system as read, with the number of its reading (see [`Cache`]): records
/// read against one reading are not reused against another.
type System = (u64, Arc<IndicatorSystem>);

/// Loads everything below `root`. The project is returned even when there are errors
/// (holding what could be read); callers refuse to go on when any diagnostic is an error.
pub fn load(root: &Path) -> (Project, Vec<Diagnostic>) {
    load_with(root, &Overlay::default())
}

/// [`load`], reading again only the files that changed since the cache's last load (the
/// same result as [`load`]).
pub fn load_cached(root: &Path, cache: &Cache) -> (Project, Vec<Diagnostic>) {
    cache.begin();
    let result = load_all(root, &Overlay::default(), Some(cache));
    cache.end();
    result
}

/// Files that stand in for those on disk, or join them, while a project is loaded: YAML
/// files under `content/<year>/` (records and `_org.yaml`), by path relative to the root.
/// An import validates the project it would write this way, through the same loader, before
/// it writes anything.
#[derive(Default)]
pub struct Overlay {
    files: HashMap<String, String>,
}

impl Overlay {
    /// `rel` is relative to the root, with `/` separators: `content/2026/a/b.yaml`.
    pub fn insert(&mut self, rel: String, text: String) {
        self.files.insert(rel, text);
    }

    pub fn get(&self, rel: &str) -> Option<&str> {
        self.files.get(rel).map(String::as_str)
    }

    /// Takes a file's text back out (a caller that lent it for a load).
    pub fn take(&mut self, rel: &str) -> Option<String> {
        self.files.remove(rel)
    }

    /// The year folders the overlay writes into.
    fn years(&self) -> BTreeSet<String> {
        self.files
            .keys()
            .filter_map(|k| k.strip_prefix("content/")?.split('/').next())
            .filter(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
            .map(str::to_string)
            .collect()
    }

    /// Files below one year folder: (path relative to the year folder, file name).
    fn in_year(&self, name: &str) -> Vec<(PathBuf, String)> {
        let prefix = format!("content/{name}/");
        self.files
            .keys()
            .filter_map(|k| k.strip_prefix(&prefix))
            .map(|rest| match rest.rsplit_once('/') {
                Some((dir, file)) => (PathBuf::from(dir), file.to_string()),
                None => (PathBuf::new(), rest.to_string()),
            })
            .collect()
    }
}

/// [`load`], with `overlay`'s files read instead of (or beside) those on disk.
pub fn load_with(root: &Path, overlay: &Overlay) -> (Project, Vec<Diagnostic>) {
    load_all(root, overlay, None)
}

fn load_all(root: &Path, overlay: &Overlay, cache: Option<&Cache>) -> (Project, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut project = Project {
        root: root.to_path_buf(),
        years: Vec::new(),
    };
    if !root.is_dir() {
        diags.push(Diagnostic::error(
            &root.display().to_string(),
            Pos::START,
            "项目根目录不存在或不是文件夹",
        ));
        return (project, diags);
    }
    let root_system = if root.join("indicators.yaml").is_file() {
        load_system(root, "indicators.yaml", cache, &mut diags)
    } else {
        None
    };
    let root_has_file = root.join("indicators.yaml").is_file();
    let content = root.join("content");
    if !content.is_dir() {
        diags.push(
            Diagnostic::error("content", Pos::START, "找不到 content 文件夹")
                .with_hint("用 --root 指向项目根目录（其中有 indicators.yaml 和 content/）"),
        );
        return (project, diags);
    }
    let mut assets: BTreeSet<String> = BTreeSet::new();
    let mut others: Vec<String> = Vec::new();
    let mut year_dirs = Vec::new();
    let mut overlay_years = overlay.years();
    // Year folders whose indicator system could not be read: they are not in the project,
    // and cross-year checks against them would only repeat that error.
    let mut unloaded: Vec<i32> = Vec::new();
    for entry in sorted_dir(&content, &mut diags) {
        let name = entry.0;
        let rel = format!("content/{name}");
        if name.starts_with('.') {
            continue;
        }
        if entry.1.is_symlink() {
            diags.push(symlink_error(&rel));
        } else if entry.1.is_dir() && name.len() == 4 && name.bytes().all(|b| b.is_ascii_digit()) {
            overlay_years.remove(&name);
            year_dirs.push(name);
        } else {
            diags.push(
                Diagnostic::error(
                    &rel,
                    Pos::START,
                    "content/ 下只能放年度文件夹（四位数字，如 2026）",
                )
                .with_hint("把组织文件夹放进对应的年度文件夹里"),
            );
        }
    }
    year_dirs.extend(overlay_years);
    year_dirs.sort();
    if year_dirs.is_empty() && diags.iter().all(|d| !d.is_error()) {
        diags.push(Diagnostic::error(
            "content",
            Pos::START,
            "content/ 下没有年度文件夹",
        ));
    }
    for name in year_dirs {
        let year: i32 = name.parse().unwrap_or_default();
        let own = format!("content/{name}/indicators.yaml");
        let system = if root.join(&own).is_file() {
            load_system(root, &own, cache, &mut diags)
        } else if let Some(sys) = &root_system {
            Some(sys.clone())
        } else {
            if !root_has_file {
                diags.push(
                    Diagnostic::error(
                        &format!("content/{name}"),
                        Pos::START,
                        "找不到指标体系 indicators.yaml",
                    )
                    .with_hint("在项目根目录或该年度文件夹中放一个 indicators.yaml"),
                );
            }
            None
        };
        let y = load_year(
            root,
            overlay,
            cache,
            year,
            &name,
            system,
            &mut assets,
            &mut others,
            &mut diags,
        );
        match y {
            Some(y) => project.years.push(y),
            None => unloaded.push(year),
        }
    }
    withdrawn::check(&project.years, &unloaded, &mut diags);
    for file in others {
        if !assets.contains(&file) {
            diags.push(
                Diagnostic::error(
                    &file,
                    Pos::START,
                    "多余的文件：既不是记录、叙述，也没有被任何叙述链接",
                )
                .with_hint("删除它，或在叙述中链接它；以 `.` 开头的文件会被忽略"),
            );
        }
    }
    crate::diagnostics::sort(&mut diags);
    (project, diags)
}

fn load_system(
    root: &Path,
    rel: &str,
    cache: Option<&Cache>,
    diags: &mut Vec<Diagnostic>,
) -> Option<System> {
    let read = |diags: &mut Vec<Diagnostic>| {
        let text = read_text(root, rel, diags)?;
        indicators::load(&text, rel, diags).map(Arc::new)
    };
    match cache {
        None => read(diags).map(|s| (0, s)),
        Some(c) => Cache::read(Some(c), root, rel, 0, diags, |d, _| {
            read(d).map(|s| (c.new_generation(), s))
        }),
    }
}

fn symlink_error(rel: &str) -> Diagnostic {
    Diagnostic::error(rel, Pos::START, "content/ 下不允许符号链接（不会被跟随）")
        .with_hint("用文件本身替换这个链接")
}

/// Entries of one folder, sorted by name: (name, file type).
fn sorted_dir(dir: &Path, diags: &mut Vec<Diagnostic>) -> Vec<(String, std::fs::FileType)> {
    let mut out = Vec::new();
    match std::fs::read_dir(dir) {
        Ok(rd) => {
            for e in rd.flatten() {
                if let Ok(ft) = e.file_type() {
                    out.push((e.file_name().to_string_lossy().into_owned(), ft));
                }
            }
        }
        Err(e) => diags.push(Diagnostic::error(
            &dir.display().to_string(),
            Pos::START,
            format!("无法读取文件夹：{e}"),
        )),
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Files to read, found by the walk: (path relative to the root, [stem,] organisation path).
#[derive(Default)]
struct Jobs {
    orgs: Vec<(String, Vec<String>)>,
    branches: Vec<(String, String, Vec<String>)>,
    narratives: Vec<(String, String, Vec<String>)>,
}

/// Runs `f` on every job in parallel; keeps the results and the diagnostics in job order.
fn gather<J: Sync, T: Send>(
    jobs: &[J],
    diags: &mut Vec<Diagnostic>,
    f: impl Fn(&J, &mut Vec<Diagnostic>) -> Option<T> + Sync,
) -> Vec<T> {
    crate::progress::expect(crate::progress::Stage::Read, jobs.len());
    let results: Vec<(Option<T>, Vec<Diagnostic>)> = jobs
        .par_iter()
        .map(|j| {
            let mut d = Vec::new();
            let t = f(j, &mut d);
            crate::progress::advance(crate::progress::Stage::Read, 1);
            (t, d)
        })
        .collect();
    let mut out = Vec::with_capacity(results.len());
    for (t, d) in results {
        diags.extend(d);
        out.extend(t);
    }
    out
}

/// What a year folder holds, by folder relative to the year folder.
#[derive(Default)]
struct Folder {
    files: Vec<String>,
    is_org: bool,
}

#[allow(clippy::too_many_arguments)]
fn load_year(
    root: &Path,
    overlay: &Overlay,
    cache: Option<&Cache>,
    year: i32,
    name: &str,
    system: Option<System>,
    assets: &mut BTreeSet<String>,
    others: &mut Vec<String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Year> {
    let year_dir = root.join("content").join(name);
    let base = format!("content/{name}");
    let mut folders: BTreeMap<PathBuf, Folder> = BTreeMap::new();
    folders.insert(PathBuf::new(), Folder::default());
    let walker = WalkDir::new(&year_dir)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
    // A year folder only the overlay has is not walked (there is nothing on disk to find).
    let on_disk = year_dir.is_dir();
    for entry in walker.filter(|_| on_disk) {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e
                    .path()
                    .map(|p| rel_to(root, p))
                    .unwrap_or_else(|| base.clone());
                diags.push(Diagnostic::error(&p, Pos::START, format!("无法读取：{e}")));
                continue;
            }
        };
        let rel = entry
            .path()
            .strip_prefix(&year_dir)
            .unwrap_or(entry.path())
            .to_path_buf();
        let ft = entry.file_type();
        if ft.is_symlink() {
            diags.push(symlink_error(&format!("{base}/{}", to_slash(&rel))));
        } else if ft.is_dir() {
            folders.entry(rel).or_default();
        } else {
            let parent = rel.parent().unwrap_or(Path::new("")).to_path_buf();
            let file = entry.file_name().to_string_lossy().into_owned();
            let folder = folders.entry(parent).or_default();
            if file == "_org.yaml" {
                folder.is_org = true;
            }
            folder.files.push(file);
        }
    }
    for (dir, file) in overlay.in_year(name) {
        let mut up = dir.clone();
        while up.pop() {
            folders.entry(up.clone()).or_default();
        }
        let folder = folders.entry(dir).or_default();
        if file == "_org.yaml" {
            folder.is_org = true;
        }
        if !folder.files.contains(&file) {
            folder.files.push(file);
        }
    }
    let mut jobs = Jobs::default();
    let org_dirs: BTreeSet<PathBuf> = folders
        .iter()
        .filter(|(_, f)| f.is_org)
        .map(|(p, _)| p.clone())
        .collect();
    for (dir, folder) in &folders {
        let dir_rel = if dir.as_os_str().is_empty() {
            base.clone()
        } else {
            format!("{base}/{}", to_slash(dir))
        };
        let org_path: Vec<String> = dir
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if dir.as_os_str().is_empty() && !folder.is_org {
            diags.push(
                Diagnostic::error(
                    &dir_rel,
                    Pos::START,
                    "年度文件夹缺少 _org.yaml（区级党组织）",
                )
                .with_hint("新建 _org.yaml，写上 name 和 kind"),
            );
        }
        if folder.is_org && !dir.as_os_str().is_empty() {
            check_org_folder(dir, &dir_rel, &org_dirs, diags);
        }
        for file in &folder.files {
            let rel = format!("{dir_rel}/{file}");
            if file == "_org.yaml" {
                jobs.orgs.push((rel, org_path.clone()));
            } else if file == "indicators.yaml" {
                if !dir.as_os_str().is_empty() {
                    diags.push(
                        Diagnostic::error(
                            &rel,
                            Pos::START,
                            "indicators.yaml 只能放在项目根目录或年度文件夹中",
                        )
                        .with_hint("`indicators` 是保留名称，不能作为支部编号"),
                    );
                }
            } else if let Some(stem) = file.strip_suffix(".yaml") {
                if check_branch_name(stem, &rel, folder.is_org, diags) {
                    jobs.branches
                        .push((rel, stem.to_string(), org_path.clone()));
                }
            } else if file.ends_with(".yml") {
                diags.push(
                    Diagnostic::error(&rel, Pos::START, "记录文件必须以 .yaml 结尾")
                        .with_hint(format!("改名为 {}", file.replace(".yml", ".yaml"))),
                );
            } else if let Some(stem) = file.strip_suffix(".md") {
                if folder.files.iter().any(|f| *f == format!("{stem}.yaml")) {
                    jobs.narratives
                        .push((rel, stem.to_string(), org_path.clone()));
                } else {
                    diags.push(
                        Diagnostic::error(
                            &rel,
                            Pos::START,
                            format!("叙述 `{file}` 没有对应的记录 `{stem}.yaml`"),
                        )
                        .with_hint("叙述文件名要与支部记录的文件名相同"),
                    );
                }
            } else {
                others.push(rel);
            }
        }
    }
    // Reading and parsing the files is the bulk of the work: in parallel, each job with
    // its own diagnostics, gathered in job order so the result does not depend on timing.
    // What a record's reading depends on besides its own file: the year, its indicator
    // system and the district's cut-off date (dates are checked against it).
    let org_context = year as u64;
    let mut orgs: Vec<OrgNode> = gather(&jobs.orgs, diags, |(rel, path), d| {
        // A district file that cannot be read (its error is reported) still stands for the
        // district: warnings about the year point at it, not at the folder.
        Cache::read(cache, root, rel, org_context, d, |d, _| {
            read_org(root, overlay, rel, path, year, d)
        })
        .or_else(|| path.is_empty().then(|| unread_org(rel)))
    });
    let dates = record::dates::YearDates {
        year,
        as_of: orgs
            .iter()
            .find(|o| o.path.is_empty())
            .and_then(|o| o.as_of),
    };
    let mut branches: Vec<Branch> = match &system {
        Some((generation, sys)) => {
            let ids = record::Ids::new(sys);
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            h.update(&year.to_le_bytes());
            h.update(&generation.to_le_bytes());
            h.update(format!("{:?}", dates.as_of).as_bytes());
            let context = h.digest();
            gather(&jobs.branches, diags, |(rel, stem, path), d| {
                Cache::read(cache, root, rel, context, d, |d, _| {
                    Some(read_branch(
                        root, overlay, rel, stem, path, sys, &ids, dates, d,
                    ))
                })
            })
        }
        None => Vec::new(),
    };
    // Every narrative is read, also one whose record was refused (a file name that is no
    // id, a folder without _org.yaml, a year whose system failed): what it links is no
    // stray file, whatever became of its record.
    let narratives: Vec<(Option<usize>, Narrative)> = {
        let index: HashMap<(&[String], &str), usize> = branches
            .iter()
            .enumerate()
            .map(|(i, b)| ((b.org.as_slice(), b.id.as_str()), i))
            .collect();
        gather(&jobs.narratives, diags, |(rel, stem, path), d| {
            let n = Cache::read(cache, root, rel, 0, d, |d, checked| {
                read_narrative(root, rel, d, checked)
            })?;
            Some((index.get(&(path.as_slice(), stem.as_str())).copied(), n))
        })
    };
    for (i, n) in narratives {
        assets.extend(n.assets.iter().cloned());
        if let Some(i) = i {
            branches[i].narrative = Some(n);
        }
    }
    check_unique_ids(&mut branches, diags);
    let (_, system) = system?;
    orgs.sort_by(|a, b| a.path.cmp(&b.path));
    branches.sort_by(|a, b| a.id.cmp(&b.id));
    link_orgs(&mut orgs, &mut branches);
    Some(Year {
        year,
        system,
        orgs,
        branches,
    })
}

/// Sets each node's parent and each branch's node (indices into `orgs`, sorted by path).
fn link_orgs(orgs: &mut [OrgNode], branches: &mut [Branch]) {
    let find = |orgs: &[OrgNode], path: &[String]| {
        orgs.binary_search_by(|o| o.path.as_slice().cmp(path)).ok()
    };
    for i in 0..orgs.len() {
        let parent = match orgs[i].path.split_last() {
            Some((_, up)) => find(orgs, up),
            None => None,
        };
        orgs[i].parent = parent;
    }
    for b in branches {
        b.org_node = find(orgs, &b.org);
    }
}

fn rel_to(root: &Path, p: &Path) -> String {
    to_slash(p.strip_prefix(root).unwrap_or(p))
}

fn check_org_folder(
    dir: &Path,
    dir_rel: &str,
    org_dirs: &BTreeSet<PathBuf>,
    diags: &mut Vec<Diagnostic>,
) {
    let id = dir
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file = format!("{dir_rel}/_org.yaml");
    if id.starts_with('_') || id == "indicators" {
        diags.push(Diagnostic::error(
            &file,
            Pos::START,
            format!("组织编号 `{id}` 是保留名称（不能叫 indicators，也不能以 `_` 开头）"),
        ));
    } else if !is_valid_id(&id) {
        diags.push(Diagnostic::error(
            &file,
            Pos::START,
            format!("组织文件夹名 `{id}` 不是合法的编号（只能用字母、数字、`_` 和 `-`）"),
        ));
    }
    let parent = dir.parent().unwrap_or(Path::new("")).to_path_buf();
    if !org_dirs.contains(&parent) && !parent.as_os_str().is_empty() {
        diags.push(
            Diagnostic::error(
                &file,
                Pos::START,
                format!("上级文件夹 `{}` 没有 _org.yaml", to_slash(&parent)),
            )
            .with_hint("组织文件夹的每一级上级都必须是组织（有 _org.yaml）"),
        );
    }
}

fn check_branch_name(stem: &str, rel: &str, in_org: bool, diags: &mut Vec<Diagnostic>) -> bool {
    if stem.starts_with('_') || stem == "indicators" {
        diags.push(Diagnostic::error(
            rel,
            Pos::START,
            format!("支部编号 `{stem}` 是保留名称（不能叫 indicators，也不能以 `_` 开头）"),
        ));
        return false;
    }
    if !is_valid_id(stem) {
        diags.push(Diagnostic::error(
            rel,
            Pos::START,
            format!("文件名 `{stem}` 不是合法的支部编号（只能用字母、数字、`_` 和 `-`）"),
        ));
        return false;
    }
    if !in_org {
        diags.push(
            Diagnostic::error(rel, Pos::START, "支部记录所在的文件夹没有 _org.yaml")
                .with_hint("每个放支部记录的文件夹都必须是一个组织（有 _org.yaml）"),
        );
        return false;
    }
    true
}

fn parse_yaml(
    root: &Path,
    overlay: &Overlay,
    rel: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<yaml::Node> {
    let text = match overlay.get(rel) {
        Some(t) => t.to_string(),
        None => read_text(root, rel, diags)?,
    };
    match yaml::parse(&text, rel, diags) {
        Ok(Some(node)) => Some(node),
        Ok(None) => {
            diags.push(Diagnostic::error(rel, Pos::START, "文件是空的"));
            None
        }
        Err(e) => {
            diags.push(e);
            None
        }
    }
}

fn read_org(
    root: &Path,
    overlay: &Overlay,
    rel: &str,
    path: &[String],
    year: i32,
    diags: &mut Vec<Diagnostic>,
) -> Option<OrgNode> {
    let node = parse_yaml(root, overlay, rel, diags)?;
    let mut r = Reader::new(rel, diags);
    let org = org::read(&mut r, &node, path.is_empty(), year)?;
    Some(OrgNode {
        path: path.to_vec(),
        name: org.name,
        kind: org.kind,
        name_at: org.name_at,
        kind_at: org.kind_at,
        coverage: org.coverage,
        file: rel.to_string(),
        parent: None,
        as_of: org.as_of,
        withdrawn: org.withdrawn,
        withdrawn_pos: org.withdrawn_pos,
        withdrawn_unknown: org.withdrawn_unknown,
    })
}

fn unread_org(rel: &str) -> OrgNode {
    OrgNode {
        path: Vec::new(),
        name: String::new(),
        kind: None,
        name_at: None,
        kind_at: None,
        coverage: None,
        file: rel.to_string(),
        parent: None,
        as_of: None,
        withdrawn: Vec::new(),
        withdrawn_pos: None,
        withdrawn_unknown: true,
    }
}

#[allow(clippy::too_many_arguments)]
fn read_branch(
    root: &Path,
    overlay: &Overlay,
    rel: &str,
    id: &str,
    org: &[String],
    sys: &IndicatorSystem,
    ids: &record::Ids,
    dates: record::dates::YearDates,
    diags: &mut Vec<Diagnostic>,
) -> Branch {
    // A record that cannot be read at all (its error is reported) still stands for its
    // branch, with an empty record: its id is taken, it has not vanished from the year and
    // its narrative is no stray file. Its empty category marks it as unusable; a project
    // with any error is never scored.
    let record = parse_yaml(root, overlay, rel, diags)
        .and_then(|node| {
            let mut r = Reader::new(rel, diags);
            record::read(&mut r, &node, sys, ids, dates)
        })
        .unwrap_or_default();
    Branch {
        id: id.to_string(),
        org: org.to_vec(),
        file: rel.to_string(),
        org_node: None,
        record,
        narrative: None,
    }
}

fn read_narrative(
    root: &Path,
    rel: &str,
    diags: &mut Vec<Diagnostic>,
    checked: &mut Vec<PathBuf>,
) -> Option<Narrative> {
    let markdown = read_text(root, rel, diags)?;
    let markdown = crate::invisible::normalise_file(markdown, rel, diags);
    let assets = narrative::local_links_checked(root, rel, &markdown, diags, checked);
    Some(Narrative {
        file: rel.to_string(),
        markdown,
        assets,
    })
}

/// Branch ids are unique within a year, compared as a reader sees them (`ｃｕｎ` is `cun`);
/// the second file (in path order) is the error.
fn check_unique_ids(branches: &mut Vec<Branch>, diags: &mut Vec<Diagnostic>) {
    branches.sort_by(|a, b| a.file.cmp(&b.file));
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    branches.retain(|b| match seen.get(crate::invisible::fold(&b.id).as_ref()) {
        Some(first) => {
            diags.push(
                Diagnostic::error(
                    &b.file,
                    Pos::START,
                    format!("支部编号 `{}` 在本年度重复", b.id),
                )
                .with_hint(format!(
                    "已由 {first} 使用；同一年度内支部编号（文件名）必须唯一"
                )),
            );
            false
        }
        None => {
            seen.insert(crate::invisible::fold(&b.id).into_owned(), b.file.clone());
            true
        }
    });
}
