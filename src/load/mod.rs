//! Stage 1, load: read every file under the catalog folder into `Raw*` structs, keeping each
//! file's source for line numbers. The folder tree is walked in sorted order; entry files are
//! decoded and parsed in parallel. Problems with the tree itself (stray files, folders that are
//! neither a unit nor a domain) are reported here; everything that needs the standard to judge
//! is left to `crate::validate`.

pub mod history;
pub mod locate;
pub mod raw;

use crate::diag::{Code, Diagnostic};
use crate::incremental::cache::{self, AttachmentStamp, EntryContext, FileStamp, Record, Reuse};
use crate::incremental::listings::Listed;
use crate::model::Entry;
use crate::source::{self, Source};
use raw::*;
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// A parsed TOML file with the source it came from.
#[derive(Debug)]
pub struct Loaded<T> {
    /// The decoded file.
    pub source: Source,
    /// Its parsed content.
    pub raw: T,
    /// Lines before the TOML text in the file (1 for front matter, 0 for `.toml` files).
    pub line_offset: u32,
}

impl<T> Loaded<T> {
    /// The absolute line of a span inside the TOML text.
    pub fn line<S>(&self, spanned: &toml::Spanned<S>) -> u32 {
        self.source
            .line_of(self.toml_start() + spanned.span().start)
    }

    fn toml_start(&self) -> usize {
        if self.line_offset == 0 {
            0
        } else {
            // Front matter: the TOML starts after the first line (`+++`).
            self.source.text.find('\n').map_or(0, |i| i + 1)
        }
    }
}

/// Everything read from a catalog folder.
#[derive(Debug, Default)]
pub struct RawCatalog {
    /// `site.toml`, if it parsed.
    pub site: Option<Loaded<RawSite>>,
    /// `standard/*.toml`, with each file's stem.
    pub domains: Vec<(String, Loaded<RawDomain>)>,
    /// `standard/local/*.toml`, with each file's stem.
    pub local_domains: Vec<(String, Loaded<RawLocalDomain>)>,
    /// `calendar/*.toml`.
    pub calendars: Vec<Loaded<RawCalendar>>,
    /// Every folder holding a `unit.toml`, parents before children.
    pub units: Vec<UnitDir>,
}

/// A unit folder.
#[derive(Debug)]
pub struct UnitDir {
    /// The path under `units/`, `/`-separated (e.g. `shiqu/shizhen`).
    pub path: String,
    /// `unit.toml`, if it parsed.
    pub unit: Option<Loaded<RawUnit>>,
    /// [`cache::unit_key`] of the unit's path and `unit.toml`.
    pub key: u64,
    /// Sub-folders that are not units: domain folders, by folder name.
    pub domain_dirs: Vec<DomainDir>,
}

/// A folder inside a unit that should be named after a domain id.
#[derive(Debug)]
pub struct DomainDir {
    /// The folder name.
    pub name: String,
    /// The folder as shown to the user.
    pub display: String,
    /// Its sub-folders, which should be item ids.
    pub items: Vec<ItemDir>,
}

/// A folder inside a domain folder that should be named after an item id.
#[derive(Debug)]
pub struct ItemDir {
    /// The folder name.
    pub name: String,
    /// The folder as shown to the user.
    pub display: String,
    /// The entries in it, in the order of their files.
    pub entries: Vec<LoadedEntry>,
}

/// An entry file, parsed now or taken from the last build's cache.
#[derive(Debug)]
pub enum LoadedEntry {
    /// Parsed, still to be validated.
    Parsed(Box<EntryFile>),
    /// Unchanged since the last build, which validated it.
    Cached(Box<CachedEntry>),
}

/// An entry whose file and surroundings are as the last build found them (when validation
/// found nothing wrong), so its validated model comes from the cache.
#[derive(Debug)]
pub struct CachedEntry {
    /// The entry as validation made it.
    pub entry: Entry,
    /// Its cache record, carried into the next cache.
    pub record: Record,
}

/// One entry: `<slug>.md`, or `<slug>/index.md` with attachments beside it.
#[derive(Debug)]
pub struct EntryFile {
    /// The URL segment: the file stem or the folder name.
    pub slug: String,
    /// The parsed front matter.
    pub meta: Loaded<RawEntryMeta>,
    /// Byte offset of the Markdown body in `meta.source.text`.
    pub body_start: usize,
    /// The line the body starts on.
    pub body_line: u32,
    /// Files beside `index.md`, sorted by name.
    pub attachments: Vec<AttachmentFile>,
    /// Whether the entry is a folder (`<slug>/index.md`) rather than a file.
    pub in_folder: bool,
    /// [`cache::entry_key`] of the file and its surroundings (0 when loading without a cache).
    pub key: u64,
    /// [`cache::context_key`] of its surroundings (0 when loading without a cache).
    pub context: u64,
    /// The file's stamp when it was read, if it had settled (none when loading without a cache).
    pub stamp: Option<FileStamp>,
    /// Where the body starts in the file's bytes (after a BOM, if any).
    pub body_at: usize,
}

impl EntryFile {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.meta.source.text[self.body_start..]
    }

    /// Whether its validation may be kept in the cache: not while an attachment read for
    /// personal numbers changed too recently for its stamp to tell a later change.
    pub fn cacheable(&self) -> bool {
        self.attachments
            .iter()
            .all(|a| a.stamp.is_some() || !crate::privacy::attachments::is_scanned(&a.name))
    }
}

/// A file published with an entry.
#[derive(Debug, Clone)]
pub struct AttachmentFile {
    /// Its name, which is also its URL segment.
    pub name: String,
    /// Where it is on disk.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: u64,
    /// Its stamp when listed, if it had settled ([`FileStamp::settled`]). An attachment read
    /// for personal numbers is part of its entry's cache key through it.
    pub stamp: Option<FileStamp>,
}

/// Reads back into memory the body of an entry taken unread from the validated-entry cache, from
/// `file` (its source). Fails, in Chinese, when the file cannot be read or no longer holds the
/// text that was validated (it was changed while the build ran).
pub fn read_body(body: &mut crate::model::Body, file: &str) -> Result<(), String> {
    if body.text().is_some() {
        return Ok(());
    }
    let bytes = std::fs::read(file)
        .map_err(|e| format!("{file}：无法读取条目文件：{}。", crate::reason::io(&e)))?;
    if body.fill_from(&bytes) {
        Ok(())
    } else {
        Err(format!(
            "{file}：条目文件在构建过程中被修改，与校验时的内容不同。请保存好文件后重新运行 gongkai build。"
        ))
    }
}

/// Reads the catalog at `root`. `root` is shown in messages as given (e.g. `catalog`).
pub fn load(root: &Path) -> (RawCatalog, Vec<Diagnostic>) {
    load_reusing(root, None)
}

/// [`load`], taking entries whose inputs are unchanged from the last build's cache instead of
/// parsing them.
pub fn load_reusing(root: &Path, reuse: Option<&Reuse>) -> (RawCatalog, Vec<Diagnostic>) {
    let mut walker = Walker::new(root, reuse);
    if let Some(lost) = locate::no_catalog(root, &walker.display(root)) {
        return (RawCatalog::default(), vec![lost]);
    }
    let mut diags = Vec::new();
    let mut catalog = RawCatalog::default();

    let site_path = root.join("site.toml");
    // Read by its path, not from a listing: a link here, or a second name, is noted as a
    // folder with one would be.
    if let Some(listings) = reuse.and_then(|r| r.listings.as_deref())
        && std::fs::symlink_metadata(&site_path)
            .is_ok_and(|m| m.file_type().is_symlink() || !one_name(&m))
    {
        listings.note_unseen();
    }
    if site_path.is_file() {
        catalog.site = walker.toml_file(&site_path, &mut diags);
        walker.limits_key = catalog.site.as_ref().map_or(0, |site| {
            xxhash_rust::xxh3::xxh3_64(format!("{:?}", site.raw.limits).as_bytes())
        });
    } else {
        diags.push(
            Diagnostic::new(Code::Schema, "找不到站点设置文件 site.toml。")
                .in_file(walker.display(&site_path))
                .hint("用 `gongkai init <文件夹>` 新建目录，或从示例目录复制 site.toml 后修改。"),
        );
    }

    for (stem, path) in walker.toml_files_in(&root.join("standard"), &mut diags) {
        if let Some(loaded) = walker.toml_file(&path, &mut diags) {
            catalog.domains.push((stem, loaded));
        }
    }
    for (stem, path) in walker.toml_files_in(&root.join("standard").join("local"), &mut diags) {
        if let Some(loaded) = walker.toml_file(&path, &mut diags) {
            catalog.local_domains.push((stem, loaded));
        }
    }
    for (_, path) in walker.toml_files_in(&root.join("calendar"), &mut diags) {
        if let Some(loaded) = walker.toml_file(&path, &mut diags) {
            catalog.calendars.push(loaded);
        }
    }

    let units_dir = root.join("units");
    let mut tops = Vec::new();
    if units_dir.is_dir() && walker.outside_catalog(&units_dir) {
        diags.push(walker.outside(&units_dir));
    } else if units_dir.is_dir() {
        for child in walker.sorted_children(&units_dir, &mut diags) {
            if child.is_dir {
                let listing = walker.sorted_children(&child.path, &mut diags);
                if is_unit(&listing) {
                    tops.push((child, listing));
                } else {
                    diags.push(
                        Diagnostic::new(
                            Code::Schema,
                            format!("units/ 下的文件夹“{}”不是单位：缺少 unit.toml。", child.name),
                        )
                        .in_file(walker.display(&child.path))
                        .hint("每个区县、乡镇的文件夹里都要有一个 unit.toml（名称、层级、区划代码等）。"),
                    );
                }
            } else {
                diags.push(stray_file(
                    &walker.display(&child.path),
                    "units/ 下只能放单位文件夹。",
                ));
            }
        }
    } else {
        diags.push(
            Diagnostic::new(Code::Schema, "找不到 units 文件夹。")
                .in_file(walker.display(&units_dir))
                .hint("在目录下新建 units/<区县>/unit.toml。"),
        );
    }

    // Each top-level unit's tree is walked and its entries parsed on its own (in parallel, so a
    // core done with its trees takes entries of another's), then the trees are joined in name
    // order, parents before children.
    let walked: Vec<Walked> = tops
        .into_par_iter()
        .map(|(top, listing)| {
            let mut tree = Walked::default();
            walker.unit_dir(&top.path, top.name, listing, &mut tree);
            walker.parse_pending(&mut tree);
            tree
        })
        .collect();
    for tree in walked {
        catalog.units.extend(tree.units);
        diags.extend(tree.diags);
    }
    (catalog, diags)
}

/// Reads the one entry file `file` of the catalog at `root` again, as [`load`] read it in its
/// item folder: `<slug>.md`, or (`in_folder`) `<slug>/index.md` with the attachments beside it.
/// Without a cache: for a caller that knows only this file changed since the rest was loaded.
pub fn entry_file(
    root: &Path,
    file: &Path,
    slug: &str,
    in_folder: bool,
) -> Result<EntryFile, Vec<Diagnostic>> {
    let walker = Walker::new(root, None);
    let folder = file.parent().filter(|_| in_folder).map(|dir| {
        let mut diags = Vec::new();
        let listing = walker.sorted_children(dir, &mut diags);
        EntryFolder { listing, diags }
    });
    walker.entry_uncached(slug.to_owned(), file, folder)
}

/// The most entries one thread parses in a run before its work can be shared again.
const PARSE_RUN: usize = 64;

/// Where a pending entry goes once parsed: indices into its tree's units / domain_dirs / items.
#[derive(Debug, Clone, Copy)]
struct Slot {
    unit: usize,
    domain: usize,
    item: usize,
}

/// What walking one top-level unit's tree found.
#[derive(Default)]
struct Walked {
    /// The units, parents before children; `Slot::unit` indexes this list.
    units: Vec<UnitDir>,
    /// Entries to parse.
    pending: Vec<PendingEntry>,
    /// Problems with the tree itself.
    diags: Vec<Diagnostic>,
}

/// A folder's child as listed by [`Walker::sorted_children`].
struct Child {
    name: String,
    path: PathBuf,
    /// A folder, or a link to one (from the listing's file type; no extra `stat`).
    is_dir: bool,
    /// A symbolic link.
    is_link: bool,
    /// For anything but a folder: its metadata, looked up relative to the open folder (cheaper
    /// than by full path, which the kernel walks one folder at a time), following a link.
    meta: Option<std::io::Result<std::fs::Metadata>>,
}

impl Child {
    /// What [`crate::incremental::listings::Listings`] keeps of it (its listing is kept only
    /// when every child's metadata was read).
    fn listed(&self) -> Listed {
        Listed {
            name: self.name.clone(),
            path: self.path.clone(),
            is_dir: self.is_dir,
            meta: self.meta.as_ref().and_then(|m| m.as_ref().ok()).cloned(),
        }
    }
}

impl From<&Listed> for Child {
    fn from(listed: &Listed) -> Child {
        Child {
            name: listed.name.clone(),
            path: listed.path.clone(),
            is_dir: listed.is_dir,
            is_link: false,
            meta: listed.meta.clone().map(Ok),
        }
    }
}

/// An entry found during the walk, parsed afterwards in parallel.
struct PendingEntry {
    slot: Slot,
    slug: String,
    file: PathBuf,
    /// For an entry folder (`index.md` and attachments): the folder's listing.
    folder: Option<EntryFolder>,
    /// The entry file's metadata, from its folder's listing.
    meta: Option<std::fs::Metadata>,
}

/// An entry folder as listed during the walk.
struct EntryFolder {
    listing: Vec<Child>,
    /// What listing it found wrong (they stop the entry, as its attachments' problems do).
    diags: Vec<Diagnostic>,
}

struct Walker<'a> {
    /// The catalog folder as given.
    root: PathBuf,
    canonical_root: PathBuf,
    reuse: Option<&'a Reuse>,
    /// A hash of `site.toml`'s `[limits]`, part of every entry's cache key.
    limits_key: u64,
}

impl<'a> Walker<'a> {
    /// A walker of the catalog at `root`, taking unchanged entries from `reuse` when given; its
    /// `limits_key` is set once `site.toml` is read.
    fn new(root: &Path, reuse: Option<&'a Reuse>) -> Walker<'a> {
        Walker {
            root: root.to_path_buf(),
            canonical_root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            reuse,
            limits_key: 0,
        }
    }

    /// Parses the entries `tree`'s walk found, in parallel, and hands each to its item folder.
    /// In short runs: a core that finishes early can only take entries not yet in another's
    /// run, and rayon's own runs (a quarter of the list on two cores) left one core idle for
    /// the last run's tail.
    fn parse_pending(&self, tree: &mut Walked) {
        let units = &tree.units;
        let parsed: Vec<(Slot, Result<LoadedEntry, Vec<Diagnostic>>)> =
            std::mem::take(&mut tree.pending)
                .into_par_iter()
                .with_max_len(PARSE_RUN)
                .map(|p| {
                    let unit_key = units[p.slot.unit].key;
                    let entry = self.entry(p.slug, &p.file, p.folder, p.meta, unit_key);
                    (p.slot, entry)
                })
                .collect();
        for (slot, result) in parsed {
            let item = &mut tree.units[slot.unit].domain_dirs[slot.domain].items[slot.item];
            match result {
                Ok(entry) => item.entries.push(entry),
                Err(mut ds) => tree.diags.append(&mut ds),
            }
        }
    }

    fn display(&self, path: &Path) -> String {
        source::display_path(path)
    }

    fn toml_file<T: DeserializeOwned>(
        &self,
        path: &Path,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Loaded<T>> {
        if self.outside_catalog(path) {
            // Refused unread: a parse error would show a line of whatever it points at.
            diags.push(self.outside(path));
            return None;
        }
        let source = Source::read(path, self.display(path))
            .map_err(|d| diags.push(d))
            .ok()?;
        let raw = source::parse_toml(&source, &source.text, 0)
            .map_err(|d| diags.extend(d))
            .ok()?;
        Some(Loaded {
            source,
            raw,
            line_offset: 0,
        })
    }

    /// `*.toml` files directly in `dir`, sorted by name, as (stem, path).
    fn toml_files_in(&self, dir: &Path, diags: &mut Vec<Diagnostic>) -> Vec<(String, PathBuf)> {
        if !dir.is_dir() {
            return Vec::new();
        }
        if self.outside_catalog(dir) {
            diags.push(self.outside(dir));
            return Vec::new();
        }
        self.sorted_children(dir, diags)
            .into_iter()
            .filter(|c| !c.is_dir)
            .filter_map(|c| {
                let stem = c.name.strip_suffix(".toml")?.to_owned();
                Some((stem, c.path))
            })
            .collect()
    }

    /// The children of `dir` sorted by name, hidden files left out; links that lead outside the
    /// catalog are refused.
    fn sorted_children(&self, dir: &Path, diags: &mut Vec<Diagnostic>) -> Vec<Child> {
        let Some((listings, folder)) = self
            .reuse
            .and_then(|r| r.listings.as_deref())
            .zip(dir.strip_prefix(&self.root).ok())
        else {
            return self.list(dir, diags);
        };
        if let Some(kept) = listings.get(folder) {
            return kept.iter().map(Child::from).collect();
        }
        let found = diags.len();
        let children = self.list(dir, diags);
        // Kept only when listing it found nothing wrong and a watcher sees every change in it:
        // no link among its children, no file with another name, no link on the way to it.
        let keep = diags.len() == found
            && children.iter().all(|c| {
                !c.is_link
                    && c.meta
                        .as_ref()
                        .is_none_or(|m| m.as_ref().is_ok_and(one_name))
            })
            && dir
                .canonicalize()
                .is_ok_and(|real| real == self.canonical_root.join(folder));
        if keep {
            listings.put(
                folder.to_path_buf(),
                children.iter().map(Child::listed).collect(),
            );
        } else {
            listings.note_unseen();
        }
        children
    }

    /// Lists `dir` from the file system (see [`Walker::sorted_children`]).
    fn list(&self, dir: &Path, diags: &mut Vec<Diagnostic>) -> Vec<Child> {
        let read = match std::fs::read_dir(dir) {
            Ok(read) => read,
            Err(e) => {
                diags.push(
                    Diagnostic::new(
                        Code::Schema,
                        format!("无法读取文件夹：{}。", crate::reason::io(&e)),
                    )
                    .in_file(self.display(dir)),
                );
                return Vec::new();
            }
        };
        let mut children: Vec<Child> = Vec::new();
        for entry in read.flatten() {
            let path = entry.path();
            let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                diags.push(
                    Diagnostic::new(Code::Encoding, "文件名不是有效的 UTF-8 编码。")
                        .in_file(self.display(&path))
                        .hint("把文件重命名为只含汉字、字母、数字和连字符的名字。"),
                );
                continue;
            };
            if is_hidden(&name) {
                continue;
            }
            let file_type = entry.file_type();
            let is_link = file_type.as_ref().is_ok_and(|t| t.is_symlink());
            if is_link && !self.inside_catalog(&path) {
                diags.push(self.outside(&path));
                continue;
            }
            let is_dir = if is_link {
                path.is_dir()
            } else {
                file_type.is_ok_and(|t| t.is_dir())
            };
            let meta = match (is_dir, is_link) {
                (true, _) => None,
                (false, true) => Some(std::fs::metadata(&path)),
                (false, false) => Some(entry.metadata()),
            };
            children.push(Child {
                name,
                path,
                is_dir,
                is_link,
                meta,
            });
        }
        children.sort_by(|a, b| a.name.cmp(&b.name));
        // Names that differ only by case collide on Windows and macOS checkouts.
        let mut seen: Vec<(String, String)> = Vec::with_capacity(children.len());
        children.retain(|Child { name, path, .. }| {
            let folded = name.to_lowercase();
            if let Some((_, first)) = seen.iter().find(|(f, _)| *f == folded) {
                diags.push(
                    Diagnostic::new(
                        Code::UnsafePath,
                        format!("“{name}”与“{first}”只差大小写，在 Windows 和 macOS 上会被当成同一个文件。"),
                    )
                    .in_file(self.display(path))
                    .hint("给其中一个改名，或合并两者。"),
                );
                return false;
            }
            seen.push((folded, name.clone()));
            true
        });
        children
    }

    fn inside_catalog(&self, path: &Path) -> bool {
        path.canonicalize()
            .is_ok_and(|p| p.starts_with(&self.canonical_root))
    }

    /// Whether `path` resolves (through symbolic links) to somewhere outside the catalog folder.
    fn outside_catalog(&self, path: &Path) -> bool {
        path.canonicalize()
            .is_ok_and(|p| !p.starts_with(&self.canonical_root))
    }

    /// The refusal of a link leading out of the catalog (naming the link, not what it leads to).
    fn outside(&self, path: &Path) -> Diagnostic {
        Diagnostic::new(
            Code::UnsafePath,
            "这个链接指向目录文件夹以外的位置，已拒绝。",
        )
        .in_file(self.display(path))
        .hint("把需要发布的文件直接复制到目录中，不要使用指向外部的快捷方式或符号链接。")
    }

    /// Walks a unit folder, given its listing, and, after its own domain folders, its sub-unit
    /// folders. Each child folder is listed once, which also tells a sub-unit (it has a
    /// `unit.toml`) from a domain folder.
    fn unit_dir(&self, dir: &Path, path: String, listing: Vec<Child>, tree: &mut Walked) {
        let unit_index = tree.units.len();
        let unit = self.toml_file::<RawUnit>(&dir.join("unit.toml"), &mut tree.diags);
        let key = unit
            .as_ref()
            .map_or(0, |u| cache::unit_key(&path, &u.source.text));
        tree.units.push(UnitDir {
            path: path.clone(),
            unit,
            key,
            domain_dirs: Vec::new(),
        });
        let mut child_units = Vec::new();
        for child in listing {
            if child.is_dir {
                let grandchildren = self.sorted_children(&child.path, &mut tree.diags);
                if is_unit(&grandchildren) {
                    child_units.push((format!("{path}/{}", child.name), child.path, grandchildren));
                } else {
                    let domain = self.domain_dir(child, grandchildren, unit_index, tree);
                    tree.units[unit_index].domain_dirs.push(domain);
                }
            } else if child.name != "unit.toml" {
                tree.diags.push(stray_file(
                    &self.display(&child.path),
                    "单位文件夹里只能有 unit.toml、领域文件夹和下级单位文件夹；条目应放在 <领域>/<事项>/ 文件夹下。",
                ));
            }
        }
        for (child_path, child_dir, listing) in child_units {
            self.unit_dir(&child_dir, child_path, listing, tree);
        }
    }

    /// A domain folder, given its listing.
    fn domain_dir(
        &self,
        dir: Child,
        listing: Vec<Child>,
        unit: usize,
        tree: &mut Walked,
    ) -> DomainDir {
        let domain_index = tree.units[unit].domain_dirs.len();
        let mut items = Vec::new();
        for item in listing {
            if !item.is_dir {
                tree.diags.push(stray_file(
                    &self.display(&item.path),
                    "领域文件夹里只能有事项文件夹（以事项 id 命名），条目文件放在事项文件夹中。",
                ));
                continue;
            }
            let slot = Slot {
                unit,
                domain: domain_index,
                item: items.len(),
            };
            self.item_entries(&item.path, slot, tree);
            items.push(ItemDir {
                display: self.display(&item.path),
                name: item.name,
                entries: Vec::new(),
            });
        }
        DomainDir {
            name: dir.name,
            display: self.display(&dir.path),
            items,
        }
    }

    fn item_entries(&self, dir: &Path, slot: Slot, tree: &mut Walked) {
        let diags = &mut tree.diags;
        let mut seen: Vec<(String, String)> = Vec::new();
        for Child {
            name,
            path,
            is_dir,
            meta,
            ..
        } in self.sorted_children(dir, diags)
        {
            let (slug, file, folder, meta) = if is_dir {
                let mut folder_diags = Vec::new();
                let listing = self.sorted_children(&path, &mut folder_diags);
                let Some(index) = listing.iter().find(|c| c.name == "index.md" && !c.is_dir) else {
                    diags.push(
                        Diagnostic::new(Code::Schema, "条目文件夹里缺少 index.md。")
                            .in_file(self.display(&path))
                            .hint("带附件的条目：在文件夹里放 index.md（正文）和附件文件。"),
                    );
                    continue;
                };
                let file = index.path.clone();
                let meta = index.meta.as_ref().and_then(|m| m.as_ref().ok()).cloned();
                let folder = EntryFolder {
                    listing,
                    diags: folder_diags,
                };
                (name.clone(), file, Some(folder), meta)
            } else if let Some(stem) = name.strip_suffix(".md") {
                (
                    stem.to_owned(),
                    path.clone(),
                    None,
                    meta.and_then(Result::ok),
                )
            } else {
                diags.push(stray_file(
                    &self.display(&path),
                    "事项文件夹里只能放条目（.md 文件，或含 index.md 的文件夹）；附件请放进条目文件夹。",
                ));
                continue;
            };
            if let Some(problem) = crate::output_names::slug_problem(&slug) {
                diags.push(
                    Diagnostic::new(Code::UnsafePath, problem)
                        .in_file(self.display(&path))
                        .hint("给条目改一个名字（文件名就是网址的一部分），如“2024年通知.md”。"),
                );
                continue;
            }
            let key = slug.to_lowercase();
            if let Some((_, other)) = seen.iter().find(|(k, _)| *k == key) {
                diags.push(
                    Diagnostic::new(
                        Code::UnsafePath,
                        format!("“{name}”与“{other}”会生成同一个网址（名称只差大小写或扩展名）。"),
                    )
                    .in_file(self.display(&path))
                    .hint("给其中一个条目改名。"),
                );
                continue;
            }
            seen.push((key, name.clone()));
            tree.pending.push(PendingEntry {
                slot,
                slug,
                file,
                folder,
                meta,
            });
        }
    }

    /// Reads an entry: from the cache, unread, when its file's stamp and surroundings are as
    /// recorded; from the cache when its bytes and surroundings hash to the recorded key; parsed
    /// otherwise.
    fn entry(
        &self,
        slug: String,
        file: &Path,
        folder: Option<EntryFolder>,
        meta: Option<std::fs::Metadata>,
        unit_key: u64,
    ) -> Result<LoadedEntry, Vec<Diagnostic>> {
        let Some(reuse) = self.reuse else {
            let parsed = self.entry_uncached(slug, file, folder)?;
            return Ok(LoadedEntry::Parsed(Box::new(parsed)));
        };
        let display = self.display(file);
        let in_folder = folder.is_some();
        let attachments = self.entry_attachments(folder)?;
        // The hash of everything but the file's bytes that validation reads.
        let context = cache::context_key(&EntryContext {
            display: &display,
            slug: &slug,
            in_folder,
            attachments: cache::attachments_key(attachments.iter().map(|a| AttachmentStamp {
                name: &a.name,
                path: &a.path,
                size: a.size,
                stamp: a.stamp,
            })),
            unit: unit_key,
            as_of: reuse.as_of,
            limits: self.limits_key,
        });
        let unread = meta
            .or_else(|| std::fs::metadata(file).ok())
            .and_then(|meta| FileStamp::of(&meta))
            .and_then(|now| reuse.cache.get_unread(&display, context, now))
            .and_then(|record| {
                Some(CachedEntry {
                    entry: record.unpack()?,
                    record: record.clone(),
                })
            });
        if let Some(hit) = unread {
            return Ok(LoadedEntry::Cached(Box::new(hit)));
        }
        let (bytes, meta) = Source::read_bytes_and_metadata(file, &display).map_err(|d| vec![d])?;
        let key = cache::entry_key(&bytes, context);
        let stamp = FileStamp::settled(&meta, SystemTime::now());
        let hit = reuse.cache.get(&display, key).and_then(|record| {
            Some(CachedEntry {
                entry: record.unpack_with(&bytes)?,
                record: Record {
                    stamp,
                    ..record.clone()
                },
            })
        });
        if let Some(hit) = hit {
            return Ok(LoadedEntry::Cached(Box::new(hit)));
        }
        let parsed = parse_entry(
            slug,
            display,
            bytes,
            attachments,
            in_folder,
            (key, context, stamp),
        )?;
        Ok(LoadedEntry::Parsed(Box::new(parsed)))
    }

    /// Reads and parses an entry without a cache.
    fn entry_uncached(
        &self,
        slug: String,
        file: &Path,
        folder: Option<EntryFolder>,
    ) -> Result<EntryFile, Vec<Diagnostic>> {
        let display = self.display(file);
        let in_folder = folder.is_some();
        let attachments = self.entry_attachments(folder)?;
        let (bytes, _) = Source::read_bytes_and_metadata(file, &display).map_err(|d| vec![d])?;
        parse_entry(slug, display, bytes, attachments, in_folder, (0, 0, None))
    }

    /// The attachments of an entry in a folder (none for `<slug>.md`), or what is wrong with
    /// the folder.
    fn entry_attachments(
        &self,
        folder: Option<EntryFolder>,
    ) -> Result<Vec<AttachmentFile>, Vec<Diagnostic>> {
        let Some(EntryFolder { listing, mut diags }) = folder else {
            return Ok(Vec::new());
        };
        let attachments = self.attachments(listing, &mut diags);
        if diags.is_empty() {
            Ok(attachments)
        } else {
            Err(diags)
        }
    }

    /// The attachments in an entry folder's listing (everything but `index.md`).
    fn attachments(&self, listing: Vec<Child>, diags: &mut Vec<Diagnostic>) -> Vec<AttachmentFile> {
        let mut files = Vec::new();
        for Child {
            name, path, meta, ..
        } in listing
        {
            if name == "index.md" {
                continue;
            }
            match meta {
                Some(Ok(meta)) if meta.is_file() => files.push(AttachmentFile {
                    name,
                    path,
                    size: meta.len(),
                    stamp: FileStamp::settled(&meta, SystemTime::now()),
                }),
                None | Some(Ok(_)) => diags.push(
                    Diagnostic::new(Code::Schema, "条目文件夹里不能再有子文件夹。")
                        .in_file(self.display(&path))
                        .hint("把附件直接放在条目文件夹中（与 index.md 并列）。"),
                ),
                Some(Err(e)) => diags.push(
                    Diagnostic::new(
                        Code::Schema,
                        format!("无法读取附件：{}。", crate::reason::io(&e)),
                    )
                    .in_file(self.display(&path)),
                ),
            }
        }
        files
    }
}

/// Parses an entry file's `bytes` (shown as `display`) into its front matter and body, with
/// its attachments and its cache key, context key and stamp (`keyed`: zeros and none when
/// loading without a cache).
fn parse_entry(
    slug: String,
    display: String,
    bytes: Vec<u8>,
    attachments: Vec<AttachmentFile>,
    in_folder: bool,
    keyed: (u64, u64, Option<FileStamp>),
) -> Result<EntryFile, Vec<Diagnostic>> {
    let (key, context, stamp) = keyed;
    let file_len = bytes.len();
    let source = Source::decode(bytes, display).map_err(|d| vec![d])?;
    let fm = source::split_front_matter(&source).map_err(|d| vec![d])?;
    let body_at = file_len - fm.body.len();
    let raw: RawEntryMeta = source::parse_toml(&source, fm.toml, fm.toml_line_offset)?;
    let body_start = source.text.len() - fm.body.len();
    let body_line = fm.body_line;
    let line_offset = fm.toml_line_offset;
    Ok(EntryFile {
        slug,
        meta: Loaded {
            source,
            raw,
            line_offset,
        },
        body_start,
        body_line,
        attachments,
        in_folder,
        key,
        context,
        stamp,
        body_at,
    })
}

/// Whether a file has only this one name: not hard-linked elsewhere, where it could be changed
/// under another name. Always true where the platform does not say (not Unix).
pub fn one_name(meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        meta.nlink() <= 1
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        true
    }
}

/// Whether a folder with this listing is a unit: it has a `unit.toml` file.
fn is_unit(listing: &[Child]) -> bool {
    listing.iter().any(|c| c.name == "unit.toml" && !c.is_dir)
}

/// Whether a file or folder name is left out of the catalog as hidden: a dot file (`.git`, an
/// editor's swap file) or what Windows leaves behind.
pub fn is_hidden(name: &str) -> bool {
    name.starts_with('.') || name == "Thumbs.db" || name == "desktop.ini"
}

fn stray_file(display: &str, hint: &str) -> Diagnostic {
    Diagnostic::new(Code::Schema, "这里不应有这个文件。")
        .in_file(display)
        .hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Body;

    #[test]
    fn a_body_read_back_must_be_the_validated_text() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("a.md");
        std::fs::write(&file, "+++\n+++\n正文").expect("write");
        let file = file.to_string_lossy().into_owned();
        let mut unread = Body::new("正文".to_owned(), 8);
        let mut fresh = unread.clone();
        // As the cache stores it: the hash and place, not the text.
        unread =
            postcard::from_bytes(&postcard::to_allocvec(&unread).expect("encode")).expect("decode");
        assert_eq!(unread.text(), None);
        let mut changed = unread.clone();
        read_body(&mut unread, &file).expect("same text");
        assert_eq!(unread.text(), Some("正文"));
        std::fs::write(&file, "+++\n+++\n改文").expect("write");
        let err = read_body(&mut changed, &file).expect_err("changed while building");
        assert!(err.contains("构建过程中被修改"), "{err}");
        read_body(&mut fresh, "不存在.md").expect("already in memory");
    }
}
