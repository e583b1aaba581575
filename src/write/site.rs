//! Writing the site, fully or incrementally. A manifest beside the output folder records, for
//! every file, the unit that owns it, a content hash, its size and its modification time, and
//! for every unit the fingerprint of everything its pages are made from.
//!
//! - With no usable manifest (first build, corrupt or foreign manifest, missing output), the
//!   whole site is written into a staging folder and swapped in: all or nothing.
//! - With a manifest, units whose fingerprint is unchanged (and whose files on disk still have
//!   the recorded size and time) are not rendered at all; rendered files whose hash is unchanged
//!   are not rewritten (their mtimes stay, so deploys can sync only changes). Changed files are
//!   staged first; only after every page rendered are they renamed into place one by one, stale
//!   files removed, and the manifest written last. An interruption before that leaves the site
//!   untouched; one during the renames leaves every file whole, and the next build repairs the
//!   rest because the disk no longer matches the old manifest.

use super::{Staging, WriteError, io, safe_rel, write_file};
use crate::render::OutputFile;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

/// Manifest format version; a different one means a full build.
const MANIFEST_VERSION: u32 = 1;

/// The manifest: what the last successful build wrote.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    version: u32,
    /// gongkai's version that wrote it (a new binary renders everything again).
    generator: String,
    /// Unit path → fingerprint of its inputs.
    units: BTreeMap<String, u64>,
    /// Output path → record.
    files: BTreeMap<String, FileRecord>,
}

/// One output file in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct FileRecord {
    /// The unit that wrote it (`""` for site-wide files).
    owner: String,
    /// Hash of the content (for copies: of the source's path, size and time).
    hash: u64,
    /// Size in bytes.
    size: u64,
    /// Modification time in nanoseconds since the Unix epoch.
    mtime: u128,
}

/// Where the manifest of `out` lives: beside it, so it is never published.
pub fn manifest_path(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    out.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join(format!(".{name}.gongkai-manifest"))
}

fn read_manifest(out: &Path) -> Option<Manifest> {
    if !out.is_dir() {
        return None;
    }
    let bytes = std::fs::read(manifest_path(out)).ok()?;
    let manifest: Manifest = serde_json::from_slice(&bytes).ok()?;
    (manifest.version == MANIFEST_VERSION && manifest.generator == env!("CARGO_PKG_VERSION"))
        .then_some(manifest)
}

/// Size and modification time of a file on disk.
fn stat(path: &Path) -> Option<(u64, u128)> {
    let meta = std::fs::metadata(path).ok()?;
    let mtime = meta
        .modified()
        .ok()?
        .duration_since(UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some((meta.len(), mtime))
}

fn content_hash(file: &OutputFile) -> u64 {
    match file {
        OutputFile::Bytes { bytes, .. } => xxhash_rust::xxh3::xxh3_64(bytes),
        OutputFile::Copy { from, .. } => {
            let (size, mtime) = stat(from).unwrap_or_default();
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            h.update(from.to_string_lossy().as_bytes());
            h.update(&size.to_le_bytes());
            h.update(&mtime.to_le_bytes());
            h.digest()
        }
    }
}

/// How this build writes.
enum Mode {
    /// Everything into a fresh tree, swapped in at the end.
    Fresh(Staging),
    /// Only changed files, staged in `staging`, renamed into place at the end.
    Update { old: Manifest, staging: PathBuf },
}

/// The site being written.
pub struct SiteOutput {
    out: PathBuf,
    mode: Mode,
    new: Mutex<Manifest>,
    /// Files staged in update mode, to rename at commit.
    staged: Mutex<Vec<String>>,
}

/// Counts of what a build did to the output folder.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    /// Files written (new or changed).
    pub written: usize,
    /// Files left untouched because they did not change.
    pub unchanged: usize,
    /// Stale files removed.
    pub removed: usize,
    /// Units not rendered at all because nothing they show changed.
    pub units_skipped: usize,
}

impl SiteOutput {
    /// Prepares to write the site into `out`: incrementally when a valid manifest exists.
    pub fn create(out: &Path, catalog_root: &Path) -> Result<SiteOutput, WriteError> {
        let mode = match read_manifest(out) {
            Some(old) => {
                // Reuse Staging's checks (never replace the catalog) and its fresh folder.
                let staging = Staging::create(out, Some(catalog_root))?.into_dir();
                Mode::Update { old, staging }
            }
            None => Mode::Fresh(Staging::create(out, Some(catalog_root))?),
        };
        Ok(SiteOutput {
            out: out.to_path_buf(),
            mode,
            new: Mutex::new(Manifest {
                version: MANIFEST_VERSION,
                generator: env!("CARGO_PKG_VERSION").to_owned(),
                ..Manifest::default()
            }),
            staged: Mutex::new(Vec::new()),
        })
    }

    /// Whether a unit with this fingerprint can be skipped: same inputs as last time and its
    /// files still on disk as written. If so, its records carry over to the new manifest.
    pub fn keep_unit(&self, unit: &str, fingerprint: u64) -> bool {
        let Mode::Update { old, .. } = &self.mode else {
            return false;
        };
        if old.units.get(unit) != Some(&fingerprint) {
            return false;
        }
        let owned: Vec<(&String, &FileRecord)> =
            old.files.iter().filter(|(_, r)| r.owner == unit).collect();
        let intact = owned
            .iter()
            .all(|(path, r)| stat(&self.out.join(path.as_str())) == Some((r.size, r.mtime)));
        if !intact {
            return false;
        }
        let Ok(mut new) = self.new.lock() else {
            return false;
        };
        new.units.insert(unit.to_owned(), fingerprint);
        for (path, r) in owned {
            new.files.insert(path.clone(), r.clone());
        }
        true
    }

    /// Records a rendered unit's fingerprint (after its files were written).
    pub fn record_unit(&self, unit: &str, fingerprint: u64) {
        if let Ok(mut new) = self.new.lock() {
            new.units.insert(unit.to_owned(), fingerprint);
        }
    }

    /// Writes (or, if unchanged, keeps) files owned by `owner`. Returns (written, unchanged).
    pub fn write_all(
        &self,
        owner: &str,
        files: Vec<OutputFile>,
    ) -> Result<(usize, usize), WriteError> {
        let mut records = Vec::with_capacity(files.len());
        let (mut written, mut unchanged) = (0, 0);
        for file in files {
            let rel = safe_rel(file.path())?.to_path_buf();
            let path = file.path().to_owned();
            let hash = content_hash(&file);
            match &self.mode {
                Mode::Fresh(staging) => {
                    let dest = staging.dir().join(&rel);
                    write_file(&dest, &file)?;
                    let (size, mtime) = stat(&dest).unwrap_or_default();
                    records.push((
                        path,
                        FileRecord {
                            owner: owner.to_owned(),
                            hash,
                            size,
                            mtime,
                        },
                    ));
                    written += 1;
                }
                Mode::Update { old, staging } => {
                    let current = self.out.join(&rel);
                    if let Some(r) = old.files.get(&path)
                        && r.hash == hash
                        && stat(&current) == Some((r.size, r.mtime))
                    {
                        records.push((
                            path,
                            FileRecord {
                                owner: owner.to_owned(),
                                ..r.clone()
                            },
                        ));
                        unchanged += 1;
                        continue;
                    }
                    write_file(&staging.join(&rel), &file)?;
                    records.push((
                        path.clone(),
                        FileRecord {
                            owner: owner.to_owned(),
                            hash,
                            size: 0,
                            mtime: 0,
                        },
                    ));
                    if let Ok(mut staged) = self.staged.lock() {
                        staged.push(path);
                    }
                    written += 1;
                }
            }
        }
        if let Ok(mut new) = self.new.lock() {
            new.files.extend(records);
        }
        Ok((written, unchanged))
    }

    /// Puts the new site in place, removes stale files and writes the manifest last.
    pub fn commit(self) -> Result<WriteStats, WriteError> {
        let mut new = self
            .new
            .into_inner()
            .map_err(|_| WriteError("内部错误：清单被锁住。".into()))?;
        let mut stats = WriteStats::default();
        match self.mode {
            Mode::Fresh(staging) => {
                stats.written = new.files.len();
                staging.commit()?;
            }
            Mode::Update { old, staging } => {
                let staged = self
                    .staged
                    .into_inner()
                    .map_err(|_| WriteError("内部错误：清单被锁住。".into()))?;
                stats.written = staged.len();
                for path in &staged {
                    let dest = self.out.join(path);
                    if let Some(dir) = dest.parent() {
                        std::fs::create_dir_all(dir).map_err(|e| io(dir, &e))?;
                    }
                    std::fs::rename(staging.join(path), &dest).map_err(|e| io(&dest, &e))?;
                    if let (Some(r), Some((size, mtime))) = (new.files.get_mut(path), stat(&dest)) {
                        r.size = size;
                        r.mtime = mtime;
                    }
                }
                for path in old.files.keys().filter(|p| !new.files.contains_key(*p)) {
                    let dest = self.out.join(path);
                    if std::fs::remove_file(&dest).is_ok() {
                        stats.removed += 1;
                        remove_empty_parents(&self.out, &dest);
                    }
                }
                stats.unchanged = new.files.len() - staged.len();
                let _ = std::fs::remove_dir_all(&staging);
            }
        }
        let manifest = manifest_path(&self.out);
        let tmp = manifest.with_extension("tmp");
        let bytes =
            serde_json::to_vec(&new).map_err(|e| WriteError(format!("写入构建清单失败：{e}。")))?;
        std::fs::write(&tmp, bytes).map_err(|e| io(&tmp, &e))?;
        std::fs::rename(&tmp, &manifest).map_err(|e| io(&manifest, &e))?;
        new.files.clear();
        Ok(stats)
    }

    /// Discards staged files; the output folder is left as it was.
    pub fn abandon(self) {
        match self.mode {
            Mode::Fresh(staging) => staging.abandon(),
            Mode::Update { staging, .. } => {
                let _ = std::fs::remove_dir_all(staging);
            }
        }
    }
}

/// Removes the now-empty folders between a removed file and the output root.
fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == root || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}
