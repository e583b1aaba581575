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

use super::stamp::{self, Folder};
use super::{Staging, WriteError, io, safe_rel};
use crate::render::OutputFile;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The manifest file starts with this line; the format's version is part of it, so a manifest
/// from another format means a full build.
const MANIFEST_MAGIC: &[u8] = b"gongkai build manifest v3\n";

/// The manifest: what the last successful build wrote, grouped by the unit that owns each file
/// (`""` for site-wide files), so a unit's files are found without scanning the whole site.
/// Stored as compact binary (postcard) after [`MANIFEST_MAGIC`]: a province's manifest holds
/// hundreds of thousands of records and is read and written on every build.
#[derive(Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// gongkai's version that wrote it (a new binary renders everything again).
    generator: String,
    /// Owner (unit path, or `""`) → its fingerprint and files.
    owners: BTreeMap<String, Owned>,
}

/// What one unit (or the site itself) wrote.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Owned {
    /// Fingerprint of the unit's inputs (0 for site-wide files, which are always rendered).
    fingerprint: u64,
    /// Output path → record. Stored front-coded: sorted paths share long prefixes, and this
    /// shrinks a city's manifest, which every build reads and most write, from 3.1 to 1.8 MB.
    #[serde(with = "front_coded")]
    files: BTreeMap<String, FileRecord>,
}

/// Sorted paths stored as (bytes shared with the previous path, the rest).
mod front_coded {
    use super::FileRecord;
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};
    use std::collections::BTreeMap;

    pub fn serialize<S: Serializer>(
        files: &BTreeMap<String, FileRecord>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut previous = "";
        serializer.collect_seq(files.iter().map(|(path, record)| {
            let mut shared = previous
                .bytes()
                .zip(path.bytes())
                .take_while(|(a, b)| a == b)
                .count();
            while !path.is_char_boundary(shared) {
                shared -= 1;
            }
            previous = path;
            (shared, &path[shared..], record)
        }))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<BTreeMap<String, FileRecord>, D::Error> {
        // The rest of each path is borrowed from the manifest's bytes, and each path is built
        // once; the sorted list then becomes the map in one pass (a no-op build reads every
        // record of a city's 40,000).
        let coded = Vec::<(usize, &'de str, FileRecord)>::deserialize(deserializer)?;
        let mut files: Vec<(String, FileRecord)> = Vec::with_capacity(coded.len());
        for (shared, rest, record) in coded {
            let previous = files.last().map_or("", |(path, _)| path.as_str());
            let prefix = previous
                .get(..shared)
                .ok_or_else(|| D::Error::custom("bad prefix"))?;
            let mut path = String::with_capacity(shared + rest.len());
            path.push_str(prefix);
            path.push_str(rest);
            files.push((path, record));
        }
        Ok(files.into_iter().collect())
    }
}

/// One output file in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct FileRecord {
    /// Hash of the content (for copies: of the source's path, size and time).
    hash: u64,
    /// Size in bytes.
    size: u64,
    /// Modification time in nanoseconds since the Unix epoch.
    mtime: u128,
}

/// Where the manifest of `out` lives: beside it, so it is never published.
pub fn manifest_path(out: &Path) -> PathBuf {
    super::beside_output(out, "manifest")
}

/// The manifest of `out`, if it is one this binary wrote and every path in it stays inside the
/// output folder (a damaged or doctored manifest must never make a build touch other files).
fn read_manifest(out: &Path) -> Option<Manifest> {
    if !out.is_dir() {
        return None;
    }
    let bytes = std::fs::read(manifest_path(out)).ok()?;
    let manifest: Manifest = postcard::from_bytes(bytes.strip_prefix(MANIFEST_MAGIC)?).ok()?;
    let sound = manifest.generator == env!("CARGO_PKG_VERSION")
        && manifest
            .owners
            .values()
            .flat_map(|o| o.files.keys())
            .all(|path| safe_rel(path).is_ok());
    sound.then_some(manifest)
}

/// The owners whose files are all still on disk exactly as the manifest recorded them (same
/// size and modification time): one lookup per file, relative to the owner's own folder, spread
/// over the cores. Site-wide files are always rendered again, so they are not checked.
fn intact_owners(out: &Folder, manifest: &Manifest) -> HashSet<String> {
    manifest
        .owners
        .par_iter()
        .filter(|(owner, _)| !owner.is_empty())
        .filter(|(owner, owned)| {
            let prefix = format!("{owner}/");
            let own = Folder::open(&out.path().join(owner.as_str()));
            owned.files.iter().all(|(path, r)| {
                let now = match path.strip_prefix(&prefix) {
                    Some(rel) => own.stamp(rel),
                    None => out.stamp(path),
                };
                now == Some((r.size, r.mtime))
            })
        })
        .map(|(owner, _)| owner.clone())
        .collect()
}

fn content_hash(file: &OutputFile) -> u64 {
    match file {
        OutputFile::Bytes { bytes, .. } => xxhash_rust::xxh3::xxh3_64(bytes),
        OutputFile::Copy { from, .. } => {
            let (size, mtime) = std::fs::metadata(from)
                .ok()
                .and_then(|meta| stamp::of_metadata(&meta))
                .unwrap_or_default();
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
    Update {
        /// The last build's manifest.
        old: Manifest,
        /// Owners whose files on disk still match `old`.
        intact: HashSet<String>,
        /// The output folder, for looking up its files' stamps.
        folder: Folder,
        staging: PathBuf,
    },
}

/// The site being written.
pub struct SiteOutput {
    out: PathBuf,
    mode: Mode,
    /// The manifest of the files rendered by this build (kept units are added at commit).
    new: Mutex<Manifest>,
    /// Units not rendered because nothing they show changed: their records carry over.
    kept: Mutex<Vec<String>>,
    /// Files staged in update mode, as (owner, path), to rename at commit.
    staged: Mutex<Vec<(String, String)>>,
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
    /// Prepares to write the site into `out`: incrementally when a valid manifest exists, after
    /// checking which units' files are still on disk as written.
    pub fn create(out: &Path, catalog_root: &Path) -> Result<SiteOutput, WriteError> {
        let mode = match read_manifest(out) {
            Some(old) => {
                // Reuse Staging's checks (never replace the catalog) and its fresh folder.
                let staging = Staging::create(out, Some(catalog_root))?.into_dir();
                let folder = Folder::open(out);
                let intact = intact_owners(&folder, &old);
                Mode::Update {
                    old,
                    intact,
                    folder,
                    staging,
                }
            }
            None => Mode::Fresh(Staging::create(out, Some(catalog_root))?),
        };
        Ok(SiteOutput {
            out: out.to_path_buf(),
            mode,
            new: Mutex::new(Manifest {
                generator: env!("CARGO_PKG_VERSION").to_owned(),
                ..Manifest::default()
            }),
            kept: Mutex::new(Vec::new()),
            staged: Mutex::new(Vec::new()),
        })
    }

    /// Whether a unit with this fingerprint can be skipped: same inputs as last time and its
    /// files still on disk as written. If so, its records carry over to the new manifest.
    pub fn keep_unit(&self, unit: &str, fingerprint: u64) -> bool {
        let Mode::Update { old, intact, .. } = &self.mode else {
            return false;
        };
        let same = old
            .owners
            .get(unit)
            .is_some_and(|o| o.fingerprint == fingerprint);
        if !same || !intact.contains(unit) {
            return false;
        }
        match self.kept.lock() {
            Ok(mut kept) => {
                kept.push(unit.to_owned());
                true
            }
            Err(_) => false,
        }
    }

    /// Records a rendered unit's fingerprint (after its files were written).
    pub fn record_unit(&self, unit: &str, fingerprint: u64) {
        if let Ok(mut new) = self.new.lock() {
            new.owners.entry(unit.to_owned()).or_default().fingerprint = fingerprint;
        }
    }

    /// Writes (or, if unchanged, keeps) files owned by `owner`. Returns (written, unchanged).
    pub fn write_all(
        &self,
        owner: &str,
        files: Vec<OutputFile>,
    ) -> Result<(usize, usize), WriteError> {
        let mut records = BTreeMap::new();
        let mut staged = Vec::new();
        let mut unchanged = 0;
        let mut dirs = DirCache::default();
        for file in files {
            let rel = safe_rel(file.path())?.to_path_buf();
            let path = file.path().to_owned();
            let hash = content_hash(&file);
            match &self.mode {
                Mode::Fresh(staging) => {
                    let (size, mtime) = dirs.write(&staging.dir().join(&rel), &file)?;
                    records.insert(path, FileRecord { hash, size, mtime });
                }
                Mode::Update {
                    old,
                    staging,
                    folder,
                    ..
                } => {
                    let previous = old.owners.get(owner).and_then(|o| o.files.get(&path));
                    if let Some(r) = previous
                        && r.hash == hash
                        && folder.stamp(&path) == Some((r.size, r.mtime))
                    {
                        records.insert(path, r.clone());
                        unchanged += 1;
                        continue;
                    }
                    dirs.write(&staging.join(&rel), &file)?;
                    records.insert(
                        path.clone(),
                        FileRecord {
                            hash,
                            size: 0,
                            mtime: 0,
                        },
                    );
                    staged.push((owner.to_owned(), path));
                }
            }
        }
        let written = records.len() - unchanged;
        if let Ok(mut new) = self.new.lock() {
            new.owners
                .entry(owner.to_owned())
                .or_default()
                .files
                .extend(records);
        }
        if let Ok(mut all) = self.staged.lock() {
            all.extend(staged);
        }
        Ok((written, unchanged))
    }

    /// Puts the new site in place, removes stale files and writes the manifest last.
    pub fn commit(self) -> Result<WriteStats, WriteError> {
        let poisoned = || WriteError("内部错误：清单被锁住。".into());
        let mut new = self.new.into_inner().map_err(|_| poisoned())?;
        let mut stats = WriteStats::default();
        match self.mode {
            Mode::Fresh(staging) => {
                stats.written = new.owners.values().map(|o| o.files.len()).sum();
                staging.commit()?;
            }
            Mode::Update {
                mut old,
                staging,
                folder,
                ..
            } => {
                let staged = self.staged.into_inner().map_err(|_| poisoned())?;
                stats.written = staged.len();
                for (owner, path) in &staged {
                    let dest = self.out.join(path);
                    if let Some(dir) = dest.parent() {
                        std::fs::create_dir_all(dir).map_err(|e| io(dir, &e))?;
                    }
                    std::fs::rename(staging.join(path), &dest).map_err(|e| io(&dest, &e))?;
                    let record = new
                        .owners
                        .get_mut(owner)
                        .and_then(|o| o.files.get_mut(path));
                    if let (Some(r), Some((size, mtime))) = (record, folder.stamp(path)) {
                        r.size = size;
                        r.mtime = mtime;
                    }
                }
                let _ = std::fs::remove_dir_all(&staging);
                // Kept units' records move over unchanged; what is left of the old manifest is
                // what this build rendered again (or no longer has), so only there can files
                // have gone stale.
                let mut kept = BTreeMap::new();
                for unit in self.kept.into_inner().map_err(|_| poisoned())? {
                    if let Some(owned) = old.owners.remove(&unit) {
                        stats.unchanged += owned.files.len();
                        kept.insert(unit, owned);
                    }
                }
                for (owner, owned) in &old.owners {
                    let current = new.owners.get(owner).map(|o| &o.files);
                    for path in owned.files.keys() {
                        if current.is_some_and(|f| f.contains_key(path))
                            || new.owners.values().any(|o| o.files.contains_key(path))
                        {
                            continue;
                        }
                        let dest = self.out.join(path);
                        if std::fs::remove_file(&dest).is_ok() {
                            stats.removed += 1;
                            remove_empty_parents(&self.out, &dest);
                        }
                    }
                }
                let rendered: usize = new.owners.values().map(|o| o.files.len()).sum();
                stats.unchanged += rendered - staged.len();
                let unchanged_manifest =
                    staged.is_empty() && stats.removed == 0 && new.owners == old.owners;
                new.owners.append(&mut kept);
                if unchanged_manifest {
                    return Ok(stats); // a no-op build leaves even the manifest alone
                }
            }
        }
        write_manifest(&self.out, &new)?;
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

/// Writes the manifest beside `out`, atomically (temporary file, then rename).
fn write_manifest(out: &Path, manifest: &Manifest) -> Result<(), WriteError> {
    let path = manifest_path(out);
    let tmp = path.with_extension("tmp");
    let bytes = postcard::to_extend(manifest, MANIFEST_MAGIC.to_vec())
        .map_err(|e| WriteError(format!("写入构建清单失败：{e}。")))?;
    std::fs::write(&tmp, bytes).map_err(|e| io(&tmp, &e))?;
    std::fs::rename(&tmp, &path).map_err(|e| io(&path, &e))
}

/// Writes files, creating each folder once per batch instead of once per file.
#[derive(Default)]
struct DirCache {
    made: std::collections::HashSet<PathBuf>,
}

impl DirCache {
    /// Writes `file` at `dest` and returns its size and modification time.
    fn write(&mut self, dest: &Path, file: &OutputFile) -> Result<(u64, u128), WriteError> {
        if let Some(dir) = dest.parent()
            && !self.made.contains(dir)
        {
            std::fs::create_dir_all(dir).map_err(|e| io(dir, &e))?;
            self.made.insert(dir.to_path_buf());
        }
        write_file_no_dirs(dest, file)
    }
}

/// Writes one file whose folder exists; returns its size and modification time.
fn write_file_no_dirs(dest: &Path, file: &OutputFile) -> Result<(u64, u128), WriteError> {
    let meta = match file {
        OutputFile::Bytes { bytes, .. } => {
            let mut f = std::fs::File::create(dest).map_err(|e| io(dest, &e))?;
            std::io::Write::write_all(&mut f, bytes).map_err(|e| io(dest, &e))?;
            f.metadata().map_err(|e| io(dest, &e))?
        }
        OutputFile::Copy { from, .. } => {
            std::fs::copy(from, dest).map_err(|e| io(from, &e))?;
            std::fs::metadata(dest).map_err(|e| io(dest, &e))?
        }
    };
    Ok(stamp::of_metadata(&meta).unwrap_or((meta.len(), 0)))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest_with(path: &str) -> Manifest {
        let record = FileRecord {
            hash: 1,
            size: 2,
            mtime: 3,
        };
        let owned = Owned {
            fingerprint: 4,
            files: BTreeMap::from([(path.to_owned(), record)]),
        };
        Manifest {
            generator: env!("CARGO_PKG_VERSION").to_owned(),
            owners: BTreeMap::from([("xian".to_owned(), owned)]),
        }
    }

    #[test]
    fn a_manifest_reads_back_as_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("public");
        std::fs::create_dir(&out).expect("out");
        let manifest = manifest_with("xian/index.html");
        write_manifest(&out, &manifest).expect("write");
        assert_eq!(read_manifest(&out), Some(manifest));
    }

    #[test]
    fn paths_sharing_part_of_a_character_round_trip() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("public");
        std::fs::create_dir(&out).expect("out");
        let mut manifest = manifest_with("xian/你/index.html");
        let files = &mut manifest.owners.get_mut("xian").expect("owner").files;
        for path in [
            "xian/佢/index.html",
            "xian/佢/附件.pdf",
            "xian/index.html",
            "y",
        ] {
            let record = FileRecord {
                hash: 5,
                size: 6,
                mtime: 7,
            };
            files.insert(path.to_owned(), record);
        }
        write_manifest(&out, &manifest).expect("write");
        assert_eq!(read_manifest(&out), Some(manifest));
    }

    #[test]
    fn a_manifest_pointing_outside_the_output_or_damaged_is_not_used() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("public");
        std::fs::create_dir(&out).expect("out");
        for path in ["../catalog/site.toml", "/etc/passwd", "xian/../../x", ""] {
            write_manifest(&out, &manifest_with(path)).expect("write");
            assert_eq!(read_manifest(&out), None, "{path}");
        }
        let file = manifest_path(&out);
        for bytes in [
            &b"{\"version\":1,\"owners\":{}}"[..],
            b"",
            MANIFEST_MAGIC,
            b"gongkai build manifest v1\n\x00",
        ] {
            std::fs::write(&file, bytes).expect("write");
            assert_eq!(read_manifest(&out), None);
        }
        write_manifest(&out, &manifest_with("xian/index.html")).expect("write");
        let mut truncated = std::fs::read(&file).expect("read");
        truncated.truncate(truncated.len() - 3);
        std::fs::write(&file, truncated).expect("write");
        assert_eq!(read_manifest(&out), None, "a truncated manifest");
    }
}
