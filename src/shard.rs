//! A national site built as N shards and merged: `gongkai build --shard i/N` writes a share of
//! the units (whole counties, each with all its townships and villages) into its own output with
//! a partial manifest, [`PARTIAL_MANIFEST`]; `gongkai merge` puts the shards' outputs together
//! into the site a single `gongkai build` would have written, byte for byte.
//!
//! - **Assignment** ([`assign`]): every county (a unit without parent) weighs the entries of its
//!   whole subtree plus one per unit (a unit without entries still has its pages). Counties
//!   are taken heaviest first (ties by path) and each goes to the lightest shard so far (ties by
//!   the lower shard number): the same catalog gives the same assignment on every machine.
//! - **Shard build**: loads and validates the whole catalog (索引号 are unique and relations
//!   checked across the whole site, so a shard cannot be judged alone), renders and writes only
//!   its counties' pages, and the site-wide files (root index, sitemap index, 404, site search,
//!   `data/index.json`, static files), which need every unit's summary. Its
//!   [`PARTIAL_MANIFEST`] records the build's fingerprint, the whole assignment, its units with
//!   their summaries and the hash of every site-wide file.
//! - **Merge** ([`merge`]): checks that the shards fit together (same fingerprint, same N, each
//!   shard number exactly once, every file of a shard inside its own counties' folders or one of
//!   the site-wide files its manifest lists, with the same hashes in every shard, and every unit
//!   it lists has its home page), then puts every shard's unit folders as they are and the
//!   site-wide files once into a staging folder (hard links where the file system allows, else
//!   copies), swapped in whole ([`crate::write::Staging`]). No unit is rendered again.

use crate::audit::Tally;
use crate::failure::Failure;
use crate::model::Catalog;
use crate::render::OutputFile;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The partial manifest's file name at the top of a shard's output folder (not hidden: CI
/// artifact uploads leave hidden files out). `gongkai merge` reads it and leaves it out of the site.
pub const PARTIAL_MANIFEST: &str = "gongkai-shard.json";

/// The `schema_version` of [`PartialManifest`]; merge refuses any other.
const SCHEMA_VERSION: u32 = 1;

/// Which share of the units a build writes: shard `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1 ..= count.
    pub index: usize,
    /// N, at least 1.
    pub count: usize,
}

impl Shard {
    /// Parses `i/N` (1 ≤ i ≤ N), as `--shard` takes it.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let usage = "分片要写成“第几片/共几片”，如 --shard 2/8（从 1 数起，第几片不大于共几片）";
        let (i, n) = text.split_once('/').ok_or_else(|| usage.to_owned())?;
        let (Ok(index), Ok(count)) = (i.trim().parse::<usize>(), n.trim().parse::<usize>()) else {
            return Err(usage.to_owned());
        };
        if count == 0 || index == 0 || index > count {
            return Err(format!("“{text}”不是有效的分片：{usage}"));
        }
        Ok(Shard { index, count })
    }
}

/// One county in the assignment: its path, name, weight and shard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct County {
    /// The county's path (its folder under `units/` and in the output).
    pub path: String,
    /// e.g. 示例区.
    pub name: String,
    /// Units in its subtree (itself included).
    pub units: usize,
    /// Entries in its subtree.
    pub entries: usize,
    /// The shard it is built in (1-based).
    pub shard: usize,
}

/// Assigns every county to one of `count` shards, balanced by entries (see the module docs).
/// The counties are listed heaviest first.
pub fn assign(catalog: &Catalog, count: usize) -> Vec<County> {
    let mut counties: Vec<County> = catalog
        .roots()
        .map(|root| {
            let mut units = 0;
            let mut entries = 0;
            let mut stack = vec![root];
            while let Some(u) = stack.pop() {
                units += 1;
                entries += catalog.units[u].entries.len();
                stack.extend(&catalog.units[u].children);
            }
            County {
                path: catalog.units[root].path.clone(),
                name: catalog.units[root].name.clone(),
                units,
                entries,
                shard: 0,
            }
        })
        .collect();
    counties.sort_by(|a, b| {
        (b.entries + b.units)
            .cmp(&(a.entries + a.units))
            .then_with(|| a.path.cmp(&b.path))
    });
    let mut load = vec![0usize; count.max(1)];
    for county in &mut counties {
        let lightest = (0..load.len())
            .min_by_key(|&s| (load[s], s))
            .unwrap_or_default();
        load[lightest] += county.entries + county.units;
        county.shard = lightest + 1;
    }
    counties
}

/// Whether each unit (by index) belongs to `shard`: its county was assigned there.
pub fn members(catalog: &Catalog, counties: &[County], shard: Shard) -> Vec<bool> {
    let mine: BTreeSet<&str> = counties
        .iter()
        .filter(|c| c.shard == shard.index)
        .map(|c| c.path.as_str())
        .collect();
    (0..catalog.units.len())
        .map(|u| {
            let mut root = u;
            while let Some(parent) = catalog.units[root].parent {
                root = parent;
            }
            mine.contains(catalog.units[root].path.as_str())
        })
        .collect()
}

/// What makes two shards parts of the same site: merge refuses shards whose fingerprints differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// The gongkai version that built the shard.
    pub gongkai: String,
    /// The catalog's git commit (`git rev-parse HEAD` in the catalog folder), if it is in git.
    pub commit: Option<String>,
    /// Hash of `site.toml`.
    pub site_toml: String,
    /// Hash of the standard, the site settings, the theme and every unit with its entries (their
    /// content: bodies by hash, attachments by name and size).
    pub catalog: String,
    /// `--as-of`.
    pub as_of: String,
    /// The published address (`base_url`, or `--base-url`).
    pub base_url: String,
}

/// A unit built by a shard, with what the site-wide files say of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitSummary {
    /// Its path.
    pub path: String,
    /// Its name.
    pub name: String,
    /// Its entries.
    pub entries: usize,
    /// Its pages (as its sitemap lists them, one edition).
    pub pages: usize,
    /// Its newest 更新时间 (itself and the units beneath it), as the root index shows it.
    pub updated: Option<String>,
}

/// A site-wide file of a shard and the hash of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteFile {
    /// Its path in the output folder.
    pub path: String,
    /// xxh3 of its bytes, in hex.
    pub xxh3: String,
}

/// The partial manifest a shard build writes as [`PARTIAL_MANIFEST`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartialManifest {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// This shard's number (1-based).
    pub shard: usize,
    /// N.
    pub shards: usize,
    /// What the shards must share.
    pub fingerprint: Fingerprint,
    /// The whole assignment, heaviest county first.
    pub counties: Vec<County>,
    /// This shard's units, in the site's order.
    pub units: Vec<UnitSummary>,
    /// The site-wide files every shard writes alike, by path.
    pub site_files: Vec<SiteFile>,
    /// The audit's counts for the whole site (every shard judges the whole catalog), by code in
    /// [`crate::audit::RULES`] order: what `build` prints as 公开情况核查.
    pub audit: Vec<(String, usize)>,
}

fn hex(hash: u64) -> String {
    format!("{hash:016x}")
}

/// The site-wide files of a build as its partial manifest lists them: path and hash, by path.
pub fn site_files(files: &[OutputFile]) -> Vec<SiteFile> {
    let mut listed: Vec<SiteFile> = files
        .iter()
        .map(|f| SiteFile {
            path: f.path().to_owned(),
            xxh3: hex(match f {
                OutputFile::Bytes { bytes, .. } => xxhash_rust::xxh3::xxh3_64(bytes),
                OutputFile::Copy { from, .. } => {
                    xxhash_rust::xxh3::xxh3_64(&std::fs::read(from).unwrap_or_default())
                }
            }),
        })
        .collect();
    listed.sort_by(|a, b| a.path.cmp(&b.path));
    listed
}

/// The partial manifest of `shard`, given the site-wide files it wrote ([`site_files`]), the
/// theme's fingerprint and the audit's counts.
pub fn partial_manifest(
    catalog: &Catalog,
    root: &Path,
    as_of: chrono::NaiveDate,
    shard: Shard,
    theme: u64,
    site_files: Vec<SiteFile>,
    audit: &Tally,
) -> Result<OutputFile, Failure> {
    use std::hash::{Hash, Hasher};
    let counties = assign(catalog, shard.count);
    let member = members(catalog, &counties, shard);
    // What the site is made of, and nothing of where or when its files were checked out (not
    // the units' build fingerprints: those hold attachments' file stamps, which differ between
    // two checkouts of one commit). Units and entries hash their content, not their paths on disk.
    let mut whole = xxhash_rust::xxh3::Xxh3::new();
    crate::incremental::fingerprint::shared_fingerprint(theme, catalog).hash(&mut whole);
    catalog.units.hash(&mut whole);
    let site_toml = std::fs::read(root.join("site.toml")).unwrap_or_default();
    let fingerprint = Fingerprint {
        gongkai: env!("CARGO_PKG_VERSION").to_owned(),
        commit: git_commit(root),
        site_toml: hex(xxhash_rust::xxh3::xxh3_64(&site_toml)),
        catalog: hex(whole.finish()),
        as_of: as_of.to_string(),
        base_url: catalog.site.base_url.clone(),
    };
    let units = catalog
        .units_in_order()
        .into_iter()
        .filter(|&u| member[u])
        .map(|u| UnitSummary {
            path: catalog.units[u].path.clone(),
            name: catalog.units[u].name.clone(),
            entries: catalog.units[u].entries.len(),
            pages: crate::render::unit_page_count(catalog, u),
            updated: catalog.updated_beneath(u).map(|d| d.to_string()),
        })
        .collect();
    let manifest = PartialManifest {
        schema_version: SCHEMA_VERSION,
        shard: shard.index,
        shards: shard.count,
        fingerprint,
        counties,
        units,
        site_files,
        audit: audit
            .counts
            .iter()
            .map(|&(code, n)| (code.as_str().to_owned(), n))
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| Failure(format!("内部错误：分片清单无法写成 JSON：{e}")))?;
    bytes.push(b'\n');
    Ok(OutputFile::Bytes {
        path: PARTIAL_MANIFEST.to_owned(),
        bytes,
    })
}

/// The catalog's git commit, if `root` is in a git work tree and git can be run.
fn git_commit(root: &Path) -> Option<String> {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "HEAD"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let commit = String::from_utf8(output.stdout).ok()?.trim().to_owned();
    (output.status.success() && !commit.is_empty()).then_some(commit)
}

/// What a merge did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// N.
    pub shards: usize,
    /// Counties in the site.
    pub counties: usize,
    /// Units in the site.
    pub units: usize,
    /// Entries in the site.
    pub entries: usize,
    /// Files put into the site (hard-linked or copied).
    pub files: usize,
    /// Their bytes.
    pub bytes: u64,
    /// The audit's counts for the whole site, from the partial manifests.
    pub audit: Tally,
    /// The date the shards judged against (`--as-of`).
    pub as_of: String,
}

/// A shard read for merging: its folder and its partial manifest.
struct ShardOutput {
    dir: PathBuf,
    manifest: PartialManifest,
}

fn shown(dir: &Path) -> String {
    dir.display().to_string()
}

/// Reads and checks the partial manifest of the shard output `dir`.
fn read_shard(dir: &Path) -> Result<ShardOutput, Failure> {
    let how = "请用 gongkai build --shard 第几片/共几片 --out 该文件夹 生成分片，再把各分片的输出文件夹交给 gongkai merge。";
    if !dir.is_dir() {
        return Err(Failure(format!(
            "分片文件夹“{}”不存在或不是文件夹。{how}",
            shown(dir)
        )));
    }
    let path = dir.join(PARTIAL_MANIFEST);
    let text = std::fs::read_to_string(&path).map_err(|_| {
        Failure(format!(
            "“{}”不是分片的输出：其中没有分片清单 {PARTIAL_MANIFEST}。{how}",
            shown(dir)
        ))
    })?;
    let manifest: PartialManifest = serde_json::from_str(&text)
        .ok()
        .filter(|m: &PartialManifest| m.schema_version == SCHEMA_VERSION)
        .ok_or_else(|| {
            Failure(format!(
                "分片“{}”的分片清单 {PARTIAL_MANIFEST} 已损坏，或由另一版本的 gongkai 写成。请用同一版本的 gongkai 重新构建这个分片。",
                shown(dir)
            ))
        })?;
    Ok(ShardOutput {
        dir: dir.to_path_buf(),
        manifest,
    })
}

/// The field in which two fingerprints differ, in words.
fn differs(a: &Fingerprint, b: &Fingerprint) -> Option<String> {
    let pairs = [
        ("gongkai 版本", Some(&a.gongkai), Some(&b.gongkai)),
        ("目录的 git 提交", a.commit.as_ref(), b.commit.as_ref()),
        ("site.toml", Some(&a.site_toml), Some(&b.site_toml)),
        (
            "目录内容（标准目录、主题、单位或信息）",
            Some(&a.catalog),
            Some(&b.catalog),
        ),
        ("核查日期（--as-of）", Some(&a.as_of), Some(&b.as_of)),
        ("网站地址（base_url）", Some(&a.base_url), Some(&b.base_url)),
    ];
    pairs
        .into_iter()
        .find(|(_, x, y)| x != y)
        .map(|(what, x, y)| {
            let value = |v: Option<&String>| v.map_or("（无）".to_owned(), |v| format!("“{v}”"));
            format!("{what}不同（{} 与 {}）", value(x), value(y))
        })
}

/// Checks that `shards` are all the shards of one build, in any order; returns them by number.
fn fit_together(mut shards: Vec<ShardOutput>) -> Result<Vec<ShardOutput>, Failure> {
    let rebuild = "请从同一提交、用同样的 --as-of（和 --base-url）重新构建全部分片后再合并。";
    let Some(first) = shards.first() else {
        return Err(Failure(
            "没有给出分片：用法 gongkai merge 分片文件夹… --out 网站文件夹。".into(),
        ));
    };
    let (n, fp, counties) = (
        first.manifest.shards,
        first.manifest.fingerprint.clone(),
        first.manifest.counties.clone(),
    );
    let first_dir = shown(&first.dir);
    for s in &shards[1..] {
        let m = &s.manifest;
        if m.shards != n {
            return Err(Failure(format!(
                "分片“{}”是共 {} 片中的第 {} 片，而“{first_dir}”是共 {n} 片中的一片：不是同一组分片。请用同一个 N（--shard i/N）构建全部分片后再合并。",
                shown(&s.dir),
                m.shards,
                m.shard
            )));
        }
        if let Some(what) = differs(&fp, &m.fingerprint) {
            return Err(Failure(format!(
                "分片“{}”与分片“{first_dir}”不是同一次构建：{what}。{rebuild}",
                shown(&s.dir)
            )));
        }
        if m.counties != counties {
            return Err(Failure(format!(
                "分片“{}”与分片“{first_dir}”对区县的分配不同。{rebuild}",
                shown(&s.dir)
            )));
        }
    }
    shards.sort_by_key(|s| s.manifest.shard);
    for pair in shards.windows(2) {
        if pair[0].manifest.shard == pair[1].manifest.shard {
            return Err(Failure(format!(
                "分片“{}”和“{}”都是第 {}/{n} 片，内容重复。每一片只给一次：请去掉其中一个文件夹。",
                shown(&pair[0].dir),
                shown(&pair[1].dir),
                pair[0].manifest.shard
            )));
        }
    }
    let present: BTreeSet<usize> = shards.iter().map(|s| s.manifest.shard).collect();
    let missing: Vec<String> = (1..=n)
        .filter(|i| !present.contains(i))
        .map(|i| format!("{i}/{n}"))
        .collect();
    if !missing.is_empty() {
        return Err(Failure(format!(
            "缺少分片 {}（给出的分片中有“{first_dir}”，共 {n} 片）。请把全部 {n} 个分片的输出文件夹都交给 gongkai merge；缺的分片用 gongkai build --shard 第几片/{n} 构建。",
            missing.join("、")
        )));
    }
    for s in &shards {
        let assigned: BTreeSet<&str> = counties
            .iter()
            .filter(|c| c.shard == s.manifest.shard)
            .map(|c| c.path.as_str())
            .collect();
        let built: BTreeSet<&str> = s
            .manifest
            .units
            .iter()
            .map(|u| u.path.split('/').next().unwrap_or_default())
            .collect();
        if !built.is_subset(&assigned) {
            return Err(Failure(format!(
                "分片“{}”的分片清单列出了不属于第 {}/{n} 片的单位：分片清单被改动过。请重新构建这个分片。",
                shown(&s.dir),
                s.manifest.shard
            )));
        }
    }
    let site_files = &shards[0].manifest.site_files;
    for s in &shards[1..] {
        if &s.manifest.site_files != site_files {
            return Err(Failure(format!(
                "分片“{}”与分片“{}”写出的全站文件（首页、网站地图、搜索页等）不同。{rebuild}",
                shown(&s.dir),
                shown(&shards[0].dir)
            )));
        }
    }
    Ok(shards)
}

/// Every file under `dir`, as paths relative to it with `/` between folders, sorted.
fn files_under(dir: &Path) -> Result<Vec<String>, Failure> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let here = dir.join(&rel);
        let read = std::fs::read_dir(&here).map_err(|e| Failure::read(&here, &e))?;
        for entry in read {
            let entry = entry.map_err(|e| Failure::read(&here, &e))?;
            let kind = entry.file_type().map_err(|e| Failure::read(&here, &e))?;
            let child = rel.join(entry.file_name());
            if kind.is_symlink() {
                return Err(Failure(format!(
                    "分片“{}”中的“{}”是符号链接：gongkai 不写符号链接，分片被改动过。请重新构建这个分片。",
                    shown(dir),
                    child.display()
                )));
            }
            if kind.is_dir() {
                stack.push(child);
            } else {
                let text = child.to_str().ok_or_else(|| {
                    Failure(format!(
                        "分片“{}”中的文件名“{}”不是 UTF-8：不是 gongkai 写的文件。请重新构建这个分片。",
                        shown(dir),
                        child.display()
                    ))
                })?;
                out.push(text.replace(std::path::MAIN_SEPARATOR, "/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Puts the files `rels` of `from` at the same places under `to`, on every core: as hard links
/// where the file system allows (nothing is copied, and the shard folder can still be deleted
/// afterwards), else as copies. Returns their bytes.
fn place_all(from: &Path, to: &Path, rels: &[String]) -> Result<u64, Failure> {
    use rayon::prelude::*;
    rels.par_iter()
        .map(|rel| {
            let source = from.join(rel);
            let dest = to.join(crate::files::safe_rel(rel)?);
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Failure::write(parent, &e))?;
            }
            let size = std::fs::metadata(&source)
                .map_err(|e| Failure::read(&source, &e))?
                .len();
            if std::fs::hard_link(&source, &dest).is_err() {
                std::fs::copy(&source, &dest).map_err(|e| Failure::write(&dest, &e))?;
            }
            Ok(size)
        })
        .try_reduce(|| 0, |a, b| Ok(a + b))
}

/// The county folder a unit file of the site lies in (`zh-hant/` copies too), if any.
fn county_of(path: &str) -> Option<&str> {
    let path = path
        .strip_prefix(crate::render::traditional::EDITION_DIR)
        .and_then(|p| p.strip_prefix('/'))
        .unwrap_or(path);
    path.split_once('/').map(|(county, _)| county)
}

/// Merges the shard outputs `dirs` into the site `out` (see the module docs). Holds the lock of
/// `out` (waiting for another writer when `wait`); writes into a staging folder swapped in whole,
/// so a refused or failed merge leaves `out` as it was.
pub fn merge(dirs: &[PathBuf], out: &Path, wait: bool) -> Result<MergeReport, Failure> {
    let abs = |p: &Path| {
        std::path::absolute(p)
            .map(|p| crate::files::normalize(&p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    for dir in dirs {
        if abs(dir).starts_with(abs(out)) || abs(out).starts_with(abs(dir)) {
            return Err(Failure(format!(
                "输出文件夹“{}”与分片文件夹“{}”重叠：合并会覆盖分片。请把网站合并到另一个文件夹（如 --out public）。",
                out.display(),
                shown(dir)
            )));
        }
    }
    let shards = dirs
        .iter()
        .map(|d| read_shard(d))
        .collect::<Result<Vec<_>, _>>()?;
    let shards = fit_together(shards)?;
    let _lock = crate::files::OutputLock::acquire(out, "merge", wait)?;
    let staging = crate::write::Staging::create(out, None, crate::write::Replaces::Site)?;
    let site_files: BTreeMap<&str, &str> = shards[0]
        .manifest
        .site_files
        .iter()
        .map(|f| (f.path.as_str(), f.xxh3.as_str()))
        .collect();
    let mut report = MergeReport {
        shards: shards.len(),
        counties: shards[0].manifest.counties.len(),
        audit: Tally {
            counts: shards[0]
                .manifest
                .audit
                .iter()
                .filter_map(|(code, n)| Some((crate::diag::Code::parse(code)?, *n)))
                .collect(),
        },
        as_of: shards[0].manifest.fingerprint.as_of.clone(),
        ..MergeReport::default()
    };
    let mut site_copied = 0;
    for (n, shard) in shards.iter().enumerate() {
        report.units += shard.manifest.units.len();
        report.entries += shard
            .manifest
            .units
            .iter()
            .map(|u| u.entries)
            .sum::<usize>();
        let counties: BTreeSet<&str> = shard
            .manifest
            .counties
            .iter()
            .filter(|c| c.shard == shard.manifest.shard)
            .map(|c| c.path.as_str())
            .collect();
        let mut wanted = Vec::new();
        for rel in files_under(&shard.dir)? {
            if rel == PARTIAL_MANIFEST {
                continue;
            }
            if let Some(hash) = site_files.get(rel.as_str()) {
                // Every shard wrote the site-wide files alike (their hashes agree); the first
                // shard's are taken, after checking they are what its manifest says.
                if n > 0 {
                    continue;
                }
                let from = shard.dir.join(&rel);
                let bytes = std::fs::read(&from).map_err(|e| Failure::read(&from, &e))?;
                if hex(xxhash_rust::xxh3::xxh3_64(&bytes)) != *hash {
                    return Err(Failure(format!(
                        "分片“{}”中的全站文件 {rel} 与分片清单记录的不同：构建后被改动过。请重新构建这个分片。",
                        shown(&shard.dir)
                    )));
                }
                site_copied += 1;
            } else if !county_of(&rel).is_some_and(|c| counties.contains(c)) {
                return Err(Failure(format!(
                    "分片“{}”中有不属于第 {}/{} 片的文件 {rel}：分片文件夹里混入了别的文件，或被改动过。请重新构建这个分片，不要往分片文件夹里放别的文件。",
                    shown(&shard.dir),
                    shard.manifest.shard,
                    shard.manifest.shards
                )));
            }
            wanted.push(rel);
        }
        for unit in &shard.manifest.units {
            let home = format!("{}/index.html", unit.path);
            if wanted.binary_search(&home).is_err() {
                return Err(Failure(format!(
                    "分片“{}”中缺少单位“{}”的页面 {home}：分片不完整（如制品没有上传或解压完整）。请重新构建或重新下载这个分片。",
                    shown(&shard.dir),
                    unit.name
                )));
            }
        }
        let bytes = place_all(&shard.dir, staging.dir(), &wanted)?;
        report.files += wanted.len();
        report.bytes += bytes;
    }
    if site_copied != site_files.len() {
        return Err(Failure(format!(
            "分片“{}”中缺少分片清单列出的全站文件（首页、网站地图、搜索页等）：构建后被删改过。请重新构建这个分片。",
            shown(&shards[0].dir)
        )));
    }
    staging.commit()?;
    Ok(report)
}
