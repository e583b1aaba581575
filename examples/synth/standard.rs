//! The standard catalogue as the generator needs it (which items exist, at which levels, with
//! which cadence and limit), and copying of the shared catalog files into the new catalog.

use serde::Deserialize;
use std::path::Path;

/// One 二级事项 of the standard, flattened with its domain.
#[derive(Debug, Clone)]
pub struct Item {
    /// Index of the domain in [`Standard::domains`].
    pub domain: usize,
    /// Item id (folder name).
    pub id: String,
    /// 一级事项.
    pub level1: String,
    /// 二级事项.
    pub level2: String,
    /// 公开内容.
    pub content: String,
    /// 公开依据, first document only.
    pub basis: String,
    /// Months between issues for periodic items; `None` for event items.
    pub period_months: Option<u32>,
    /// Days allowed between creation and publication.
    pub limit_days: u32,
    /// Applies to county-level units.
    pub county: bool,
    /// Applies to townships.
    pub township: bool,
}

/// A pilot domain.
#[derive(Debug, Clone)]
pub struct Domain {
    /// Domain id (folder name).
    pub id: String,
    /// Chinese name, e.g. 社会救助.
    pub name: String,
}

/// The whole standard: domains sorted by id, items in file order.
#[derive(Debug, Clone, Default)]
pub struct Standard {
    /// The domains.
    pub domains: Vec<Domain>,
    /// Every item of every domain, local additions included.
    pub items: Vec<Item>,
}

#[derive(Deserialize)]
struct RawDomain {
    id: String,
    name: String,
    #[serde(default)]
    defaults: RawItem,
    #[serde(default)]
    items: Vec<RawItem>,
}

#[derive(Deserialize)]
struct RawLocal {
    #[serde(default)]
    defaults: RawItem,
    #[serde(default)]
    items: Vec<RawItem>,
}

/// An item, or the file's `[defaults]` whose keys every item takes when it lacks them.
#[derive(Deserialize, Default, Clone)]
struct RawItem {
    id: Option<String>,
    level1: Option<String>,
    level2: Option<String>,
    content: Option<String>,
    basis: Option<String>,
    cadence: Option<String>,
    limit_days: Option<u32>,
    levels: Option<Vec<String>>,
}

impl RawItem {
    fn inheriting(self, d: &RawItem) -> RawItem {
        RawItem {
            id: self.id,
            level1: self.level1.or_else(|| d.level1.clone()),
            level2: self.level2.or_else(|| d.level2.clone()),
            content: self.content.or_else(|| d.content.clone()),
            basis: self.basis.or_else(|| d.basis.clone()),
            cadence: self.cadence.or_else(|| d.cadence.clone()),
            limit_days: self.limit_days.or(d.limit_days),
            levels: self.levels.or_else(|| d.levels.clone()),
        }
    }
}

/// Reads `standard/*.toml` and `standard/local/*.toml` under `catalog`.
pub fn load(catalog: &Path) -> Result<Standard, String> {
    let mut standard = Standard::default();
    for path in toml_files(&catalog.join("standard"))? {
        let raw: RawDomain = read_toml(&path)?;
        let domain = standard.domains.len();
        standard.domains.push(Domain {
            id: raw.id,
            name: raw.name,
        });
        let defaults = raw.defaults;
        standard.items.extend(
            raw.items
                .into_iter()
                .map(|r| item(domain, r.inheriting(&defaults))),
        );
    }
    let local = catalog.join("standard").join("local");
    if local.is_dir() {
        for path in toml_files(&local)? {
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let Some(domain) = standard.domains.iter().position(|d| d.id == stem) else {
                continue;
            };
            let raw: RawLocal = read_toml(&path)?;
            let defaults = raw.defaults;
            standard.items.extend(
                raw.items
                    .into_iter()
                    .map(|r| item(domain, r.inheriting(&defaults))),
            );
        }
    }
    if standard.items.is_empty() {
        return Err(format!(
            "在 {} 中没有找到标准目录事项",
            catalog.join("standard").display()
        ));
    }
    Ok(standard)
}

fn item(domain: usize, r: RawItem) -> Item {
    let period_months = match r.cadence.as_deref() {
        Some("monthly") => Some(1),
        Some("quarterly") => Some(3),
        Some("half-yearly") => Some(6),
        Some("yearly") => Some(12),
        _ => None,
    };
    let levels = r.levels.unwrap_or_default();
    let text = |t: Option<String>| t.unwrap_or_default().trim().to_owned();
    Item {
        domain,
        level1: text(r.level1),
        level2: text(r.level2),
        content: text(r.content).trim_end_matches('。').to_owned(),
        basis: text(r.basis)
            .split('；')
            .next()
            .unwrap_or("")
            .trim()
            .to_owned(),
        period_months,
        limit_days: r.limit_days.unwrap_or(20),
        county: levels.iter().any(|l| l == "county"),
        township: levels.iter().any(|l| l == "township"),
        id: r.id.unwrap_or_default(),
    }
}

fn read_toml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("无法读取 {}：{e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("无法解析 {}：{e}", path.display()))
}

/// `*.toml` files directly in `dir`, sorted by name.
fn toml_files(dir: &Path) -> Result<Vec<std::path::PathBuf>, String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("无法读取文件夹 {}：{e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

/// Copies `site.toml`, `standard/` and `calendar/` from `from` into `to`. Returns (files, bytes).
pub fn copy_shared(from: &Path, to: &Path) -> Result<(u64, u64), String> {
    let mut total = (0, 0);
    for name in ["site.toml", "standard", "calendar"] {
        let (files, bytes) = copy_tree(&from.join(name), &to.join(name))?;
        total = (total.0 + files, total.1 + bytes);
    }
    Ok(total)
}

/// Copies a file or a folder tree, in sorted order. Returns (files, bytes).
fn copy_tree(from: &Path, to: &Path) -> Result<(u64, u64), String> {
    let io = |e: std::io::Error, p: &Path| format!("复制 {} 失败：{e}", p.display());
    if from.is_file() {
        let bytes = std::fs::copy(from, to).map_err(|e| io(e, from))?;
        return Ok((1, bytes));
    }
    std::fs::create_dir_all(to).map_err(|e| io(e, to))?;
    let mut children: Vec<_> = std::fs::read_dir(from)
        .map_err(|e| io(e, from))?
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .filter(|n| !n.to_string_lossy().starts_with('.'))
        .collect();
    children.sort();
    let mut total = (0, 0);
    for name in children {
        let (files, bytes) = copy_tree(&from.join(&name), &to.join(&name))?;
        total = (total.0 + files, total.1 + bytes);
    }
    Ok(total)
}
