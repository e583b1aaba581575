//! Writing the site, fully or incrementally. A manifest beside the output folder records, for
//! every file, its owner (a part of a unit, named by its folder: the unit's own files or one of
//! its domains; `""` for site-wide files), a content hash, its size and its modification time,
//! and for every owner the fingerprint of everything its pages are made from.
//!
//! - With no usable manifest (first build, corrupt or foreign manifest, missing output), the
//!   whole site is written into a staging folder and swapped in: all or nothing.
//! - With a manifest, owners whose fingerprint is unchanged (and whose files on disk still have
//!   the recorded size and time) are not rendered at all; rendered files whose hash is unchanged
//!   are not rewritten (their mtimes stay, so deploys can sync only changes). Changed files are
//!   staged first; only after every page rendered are they renamed into place one by one, stale
//!   files removed, and the manifest written last. An interruption before that leaves the site
//!   untouched; one during the renames leaves every file whole, and the next build repairs the
//!   rest because the disk no longer matches the old manifest.

use super::folder::Folder;
use super::{Replaces, Staging};
use crate::failure::Failure;
use crate::files::safe_rel;
use crate::incremental::fingerprint::copied_file_key;
use crate::incremental::manifest::{FileRecord, Files, Manifest, Owned};
use crate::incremental::stamp;
use crate::render::OutputFile;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The owners whose files are all still on disk exactly as the manifest recorded them (same
/// size and modification time), with their number of files: one lookup per file, relative to
/// the open output folder, spread over the cores. Site-wide files are always rendered again, so
/// they are not looked up. `None` if any owner's records are damaged: then the manifest is not
/// used at all.
///
/// With `trust`, every owner is taken as intact without looking anything up (or decoding its
/// records: an owner rendered again is decoded before its records are used, and a kept owner's
/// records are only copied).
fn intact_owners(out: &Folder, manifest: &Manifest, trust: bool) -> Option<HashMap<String, usize>> {
    if trust {
        let owners = manifest
            .owners
            .iter()
            .filter(|(owner, _)| !owner.is_empty());
        return owners
            .map(|(owner, owned)| Some((owner.clone(), owned.files.count()?)))
            .collect();
    }
    // Per owner: `None` if its records are damaged, `Some(None)` if a file changed.
    let checked: Option<Vec<Option<(String, usize)>>> = manifest
        .owners
        .par_iter()
        .map(|(owner, owned)| {
            if owner.is_empty() {
                return owned.files.visit(|_, _| {}).then_some(None);
            }
            let mut intact = true;
            let mut files = 0;
            let sound = owned.files.visit(|path, r| {
                files += 1;
                // Once one file differs the owner is rendered again; the rest is only decoded.
                intact = intact && out.stamp(path) == Some((r.size, r.mtime));
            });
            sound.then(|| intact.then(|| (owner.clone(), files)))
        })
        .collect();
    Some(checked?.into_iter().flatten().collect())
}

/// What the manifest records of a file's content: a hash of its bytes, or for a copied file of
/// its source's stamp (reading every attachment on every build would cost more than copying).
fn content_hash(file: &OutputFile) -> u64 {
    match file {
        OutputFile::Bytes { bytes, .. } => xxhash_rust::xxh3::xxh3_64(bytes),
        OutputFile::Copy { from, .. } => copied_file_key(from),
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
        /// Owners whose files on disk still match `old`, with their number of files.
        intact: HashMap<String, usize>,
        /// The output folder, for looking up its files' stamps.
        folder: Folder,
        /// Where changed files wait; removed when dropped.
        staging: Staging,
    },
}

/// What this build rendered for one owner.
#[derive(Debug, Default)]
struct Rendered {
    fingerprint: u64,
    files: BTreeMap<String, FileRecord>,
}

/// The site being written. Dropped without [`SiteOutput::commit`], it discards what it staged
/// and leaves the output folder as it was.
pub struct SiteOutput {
    out: PathBuf,
    mode: Mode,
    /// The staging folder, opened once: every batch of files is made inside it.
    staging: Folder,
    /// The records of the files rendered by this build, by owner (kept owners are added at
    /// commit).
    new: Mutex<BTreeMap<String, Rendered>>,
    /// Owners not rendered because nothing they show changed: their records carry over.
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
    /// Prepares to write the site into `out`: incrementally when a sound manifest exists, after
    /// checking which owners' files are still on disk as written (unless `trust_output`: then
    /// a file changed or deleted by hand stays so until its part is rendered again).
    pub fn create(
        out: &Path,
        catalog_root: &Path,
        trust_output: bool,
    ) -> Result<SiteOutput, Failure> {
        let folder = Folder::open(out);
        let last = Manifest::read(out)
            .and_then(|old| intact_owners(&folder, &old, trust_output).map(|intact| (old, intact)));
        let mode = match last {
            Some((old, intact)) => {
                // Reuse Staging's checks (never replace the catalog) and its fresh folder.
                let staging = Staging::create(out, Some(catalog_root), Replaces::Site)?;
                Mode::Update {
                    old,
                    intact,
                    folder,
                    staging,
                }
            }
            None => Mode::Fresh(Staging::create(out, Some(catalog_root), Replaces::Site)?),
        };
        let staging = match &mode {
            Mode::Fresh(staging) | Mode::Update { staging, .. } => Folder::open(staging.dir()),
        };
        Ok(SiteOutput {
            out: out.to_path_buf(),
            mode,
            staging,
            new: Mutex::new(BTreeMap::new()),
            kept: Mutex::new(Vec::new()),
            staged: Mutex::new(Vec::new()),
        })
    }

    /// Whether the files of `owner` (a part of a unit, named by its folder) with this
    /// fingerprint can be kept without rendering them: same inputs as last time and its files
    /// still on disk as written. If so, its records carry over to the new manifest.
    pub fn keep(&self, owner: &str, fingerprint: u64) -> bool {
        if !self.unchanged(owner, fingerprint) {
            return false;
        }
        match self.kept.lock() {
            Ok(mut kept) => {
                kept.push(owner.to_owned());
                true
            }
            Err(_) => false,
        }
    }

    /// Whether [`SiteOutput::keep`] would keep `owner`, without keeping it.
    pub fn unchanged(&self, owner: &str, fingerprint: u64) -> bool {
        let Mode::Update { old, intact, .. } = &self.mode else {
            return false;
        };
        old.owners
            .get(owner)
            .is_some_and(|o| o.fingerprint == fingerprint)
            && intact.contains_key(owner)
    }

    /// Records a rendered owner's fingerprint (after its files were written).
    pub fn record(&self, owner: &str, fingerprint: u64) {
        if let Ok(mut new) = self.new.lock() {
            new.entry(owner.to_owned()).or_default().fingerprint = fingerprint;
        }
    }

    /// Writes (or, if unchanged, keeps) files owned by `owner`. Returns (written, unchanged).
    pub fn write_all(
        &self,
        owner: &str,
        files: Vec<OutputFile>,
    ) -> Result<(usize, usize), Failure> {
        let mut records = BTreeMap::new();
        let mut staged = Vec::new();
        let mut unchanged = 0;
        // What the last build wrote for this owner (already checked when the manifest was read).
        let previous = match &self.mode {
            Mode::Update { old, .. } => old.owners.get(owner).and_then(|o| o.files.decode()),
            Mode::Fresh(_) => None,
        }
        .unwrap_or_default();
        let mut dirs = DirCache::new(&self.staging);
        for file in files {
            safe_rel(file.path())?;
            let path = file.path().to_owned();
            let hash = content_hash(&file);
            match &self.mode {
                Mode::Fresh(_) => {
                    let (size, mtime) = dirs.write(&path, &file)?;
                    records.insert(path, FileRecord { hash, size, mtime });
                }
                Mode::Update { folder, .. } => {
                    if let Some(r) = previous.get(&path)
                        && r.hash == hash
                        && folder.stamp(&path) == Some((r.size, r.mtime))
                    {
                        records.insert(path, r.clone());
                        unchanged += 1;
                        continue;
                    }
                    dirs.write(&path, &file)?;
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
            new.entry(owner.to_owned())
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
    pub fn commit(self) -> Result<WriteStats, Failure> {
        let poisoned = || Failure("内部错误：清单被锁住。".into());
        let mut rendered = self.new.into_inner().map_err(|_| poisoned())?;
        let mut stats = WriteStats::default();
        let mut manifest = Manifest::new();
        match self.mode {
            Mode::Fresh(staging) => {
                stats.written = rendered.values().map(|o| o.files.len()).sum();
                staging.commit()?;
            }
            Mode::Update {
                mut old,
                intact,
                staging,
                folder,
            } => {
                let staged = self.staged.into_inner().map_err(|_| poisoned())?;
                stats.written = staged.len();
                for (owner, path) in &staged {
                    let dest = self.out.join(path);
                    if let Some(dir) = dest.parent() {
                        std::fs::create_dir_all(dir).map_err(|e| Failure::write(dir, &e))?;
                    }
                    std::fs::rename(staging.dir().join(path), &dest)
                        .map_err(|e| Failure::write(&dest, &e))?;
                    let record = rendered.get_mut(owner).and_then(|o| o.files.get_mut(path));
                    if let (Some(r), Some((size, mtime))) = (record, folder.stamp(path)) {
                        r.size = size;
                        r.mtime = mtime;
                    }
                }
                drop(staging);
                // Kept owners' records move over as they were stored; what is left of the old
                // manifest is what this build rendered again (or no longer has), so only there
                // can files have gone stale.
                for owner in self.kept.into_inner().map_err(|_| poisoned())? {
                    if let Some(owned) = old.owners.remove(&owner) {
                        stats.unchanged += intact.get(&owner).copied().unwrap_or_default();
                        manifest.owners.insert(owner, owned);
                    }
                }
                let mut unchanged_manifest = staged.is_empty();
                // Every path rendered now, made only if a file left its owner's list.
                let mut rendered_paths: Option<HashSet<&str>> = None;
                for (owner, owned) in &old.owners {
                    let current = rendered.get(owner);
                    unchanged_manifest &=
                        current.is_some_and(|c| c.fingerprint == owned.fingerprint);
                    // Checked when the manifest was read; a build never removes by damaged records.
                    let Some(files) = owned.files.decode() else {
                        continue;
                    };
                    unchanged_manifest &= current.is_some_and(|c| c.files == files);
                    for path in files.keys() {
                        if current.is_some_and(|c| c.files.contains_key(path)) {
                            continue;
                        }
                        let rendered_paths = rendered_paths.get_or_insert_with(|| {
                            let paths = rendered.values().flat_map(|o| o.files.keys());
                            paths.map(String::as_str).collect()
                        });
                        if rendered_paths.contains(path.as_str()) {
                            continue;
                        }
                        let dest = self.out.join(path);
                        if std::fs::remove_file(&dest).is_ok() {
                            stats.removed += 1;
                            remove_empty_parents(&self.out, &dest);
                        }
                    }
                }
                let rendered_files: usize = rendered.values().map(|o| o.files.len()).sum();
                stats.unchanged += rendered_files - staged.len();
                unchanged_manifest &= stats.removed == 0 && rendered.len() == old.owners.len();
                if unchanged_manifest {
                    return Ok(stats); // a no-op build leaves even the manifest alone
                }
            }
        }
        for (owner, Rendered { fingerprint, files }) in rendered {
            let files = Files::encode(&files)?;
            manifest.owners.insert(owner, Owned { fingerprint, files });
        }
        manifest.write(&self.out)?;
        Ok(stats)
    }
}

/// Writes files into one folder, creating each of their folders once per batch instead of once
/// per file.
struct DirCache<'a> {
    folder: &'a Folder,
    /// Folders made (or found) so far, relative to the folder.
    made: HashSet<String>,
}

impl<'a> DirCache<'a> {
    /// Writes into `folder`.
    fn new(folder: &'a Folder) -> DirCache<'a> {
        DirCache {
            folder,
            made: HashSet::new(),
        }
    }

    /// Writes `file` at `rel` (checked by [`safe_rel`], `/`-separated) and returns its size and
    /// modification time.
    fn write(&mut self, rel: &str, file: &OutputFile) -> Result<(u64, u128), Failure> {
        let dest = || self.folder.path().join(rel);
        if let Some((dir, _)) = rel.rsplit_once('/')
            && !self.made.contains(dir)
        {
            self.make_dir(dir)
                .map_err(|e| Failure::write(&self.folder.path().join(dir), &e))?;
            self.made.insert(dir.to_owned());
        }
        let meta = match file {
            OutputFile::Bytes { bytes, .. } => {
                let mut f = self
                    .folder
                    .create_file(rel)
                    .map_err(|e| Failure::write(&dest(), &e))?;
                std::io::Write::write_all(&mut f, bytes)
                    .map_err(|e| Failure::write(&dest(), &e))?;
                f.metadata().map_err(|e| Failure::write(&dest(), &e))?
            }
            OutputFile::Copy { from, .. } => {
                std::fs::copy(from, dest()).map_err(|e| Failure::write(from, &e))?;
                std::fs::metadata(dest()).map_err(|e| Failure::write(&dest(), &e))?
            }
        };
        Ok(stamp::of_metadata(&meta).unwrap_or((meta.len(), 0)))
    }

    /// Makes the folder `dir` and any folders above it that are missing, as `create_dir_all`
    /// does: the folder itself first, its parents only if that fails.
    fn make_dir(&self, dir: &str) -> std::io::Result<()> {
        match self.folder.create_dir(dir) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some((parent, _)) = dir.rsplit_once('/') {
                    self.make_dir(parent)?;
                }
                self.folder.create_dir(dir)
            }
            other => other,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(owner: &str, paths: &[(&str, u64, u128)]) -> Manifest {
        let records = paths
            .iter()
            .map(|&(path, size, mtime)| {
                let record = FileRecord {
                    hash: 0,
                    size,
                    mtime,
                };
                (path.to_owned(), record)
            })
            .collect();
        let mut manifest = Manifest::new();
        let files = Files::encode(&records).expect("encode");
        let owned = Owned {
            fingerprint: 1,
            files,
        };
        manifest.owners.insert(owner.to_owned(), owned);
        manifest
    }

    #[test]
    fn files_are_written_with_their_folders_whether_or_not_those_exist() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("xian/a")).expect("dirs");
        let page = |path: &str, text: &str| OutputFile::Bytes {
            path: path.to_owned(),
            bytes: text.as_bytes().to_vec(),
        };
        let folder = Folder::open(dir.path());
        let mut dirs = DirCache::new(&folder);
        // A folder already there, one missing with its parents, and the root itself.
        for (path, text) in [
            ("xian/a/index.html", "甲"),
            ("xian/b/c/d/index.html", "乙"),
            ("index.html", "丙"),
            ("xian/b/c/index.html", "丁"),
        ] {
            let (size, _) = dirs.write(path, &page(path, text)).expect("write");
            assert_eq!(size, text.len() as u64);
            let written = std::fs::read_to_string(dir.path().join(path)).expect("read");
            assert_eq!(written, text);
        }
        // A second batch finds the folders the first one made.
        let mut again = DirCache::new(&folder);
        again
            .write("xian/b/c/d/index.html", &page("", "戊"))
            .expect("rewrite");
        let rewritten = std::fs::read_to_string(dir.path().join("xian/b/c/d/index.html"));
        assert_eq!(rewritten.expect("read"), "戊");
        // A file where a folder should be is an error naming the place, not a panic.
        std::fs::write(dir.path().join("xian/e"), "").expect("file");
        let err = again
            .write("xian/e/index.html", &page("", "己"))
            .expect_err("a file in the way");
        assert!(err.0.contains("xian"), "{}", err.0);
    }

    #[test]
    fn owners_are_intact_only_if_every_file_is_as_recorded_and_the_records_are_sound() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("xian/a")).expect("dirs");
        std::fs::write(dir.path().join("xian/a/index.html"), "页面").expect("write");
        let out = Folder::open(dir.path());
        let (size, mtime) = out.stamp("xian/a/index.html").expect("stamp");
        let intact = intact_owners(
            &out,
            &manifest("xian", &[("xian/a/index.html", size, mtime)]),
            false,
        );
        assert_eq!(intact, Some(HashMap::from([("xian".to_owned(), 1)])));
        let changed = manifest("xian", &[("xian/a/index.html", size + 1, mtime)]);
        assert_eq!(intact_owners(&out, &changed, false), Some(HashMap::new()));
        let missing = manifest("xian", &[("xian/b/index.html", size, mtime)]);
        assert_eq!(intact_owners(&out, &missing, false), Some(HashMap::new()));
        // A record leading outside the output makes the whole manifest unusable.
        let outside = manifest("xian", &[("xian/../../etc/passwd", size, mtime)]);
        assert_eq!(intact_owners(&out, &outside, false), None);
    }

    #[test]
    fn trusting_the_output_takes_every_owner_as_intact_without_looking() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = Folder::open(dir.path());
        let gone = manifest("xian", &[("xian/a/index.html", 1, 1), ("xian/b.css", 2, 2)]);
        assert_eq!(
            intact_owners(&out, &gone, true),
            Some(HashMap::from([("xian".to_owned(), 2)]))
        );
    }
}
