//! The validated-entry cache that makes a rebuild after a small edit cheap. Parsing an entry's
//! front matter and checking it (dates, links, personal numbers) is most of the work of loading
//! a catalog; the result depends only on the entry file's bytes and a few facts around it (its
//! path, attachments, unit file and `--as-of`). `build` keeps the results of its last run beside
//! the output ([`cache_path`]): each valid entry's [`Entry`] (with its body's hash, not its text),
//! under a key hashing all of those inputs.
//!
//! An entry is taken from the cache in one of two ways:
//! - **unread**, when everything around it is unchanged and its file's `stat` (size, modification
//!   and change times, inode) is exactly as recorded, the way git trusts its index. A stamp is
//!   recorded only for a file last changed at least [`SETTLE`] before it was read, so a second
//!   change within the file system's time-stamp tick cannot hide (git's "racy" case). The change
//!   time cannot be set back by programs, so an edit that restores the old modification time is
//!   still seen. Its body is read back only if a page showing it is rendered, and must then hash
//!   to what was validated;
//! - **read**: otherwise the file is read and hashed, and an entry whose key matches is taken
//!   from the cache instead of being parsed and checked.
//!
//! The cache only saves work: a missing, damaged or foreign cache, or one written by another
//! version of gongkai, is ignored, and every entry is parsed as if it were the first build.

use crate::model::Entry;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The cache file starts with this line; a file without it is not used. Raised whenever what
/// validation checks changes (v3: attachments' text is read in more formats; v4: PDF
/// attachments too; v5: raw HTML and percent-encoded links are checked; v6: unclosed raw-text
/// HTML elements and nesting depth; v7: control characters in front matter text; v8: entries
/// keep their body's relative links; v9: bounded reading, the text readers see, 15-digit ID
/// numbers; v10: `new`'s stub body is a warning, and entries with any finding are not kept;
/// v11: relation keys, 实施日期, 废止日期), so no entry keeps a verdict given under older rules.
const CACHE_MAGIC: &[u8] = b"gongkai entry cache v11\n";

/// How long before it was read a file must have last changed for its stamp to be trusted.
/// Longer than any file system's time-stamp tick (FAT's is 2 s; ext4's a few milliseconds).
pub const SETTLE: Duration = Duration::from_secs(3);

/// Validated entries of the last build, by source file (as shown to the user).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct EntryCache {
    /// gongkai's version that wrote it (another version's cache is not used).
    generator: String,
    /// Source file → its record.
    records: BTreeMap<String, Record>,
}

/// One entry as the last build validated it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// [`entry_key`] of the inputs it was made from.
    pub key: u64,
    /// [`context_key`] of those inputs besides the file's bytes.
    pub context: u64,
    /// The file's stamp when it was read, if it had settled ([`FileStamp::settled`]).
    pub stamp: Option<FileStamp>,
    /// The validated entry (before 索引号 were derived), as postcard bytes; decoded only when
    /// the record is used. Shared: a record carried into the next cache is not copied. Only entries validation found nothing wrong with are kept, so there
    /// are no findings to keep with them.
    pub validated: std::sync::Arc<[u8]>,
}

impl Record {
    /// Packs a freshly validated entry. `entry` must be as validation made it, before
    /// `assign_index_numbers` filled in missing 索引号.
    pub fn new(key: u64, context: u64, stamp: Option<FileStamp>, entry: &Entry) -> Option<Record> {
        let validated = postcard::to_allocvec(entry).ok()?.into();
        Some(Record {
            key,
            context,
            stamp,
            validated,
        })
    }

    /// The entry, its body's text not yet read; `None` if the record does not decode.
    pub fn unpack(&self) -> Option<Entry> {
        postcard::from_bytes(&self.validated).ok()
    }

    /// The entry with its body's text taken from the file's `bytes`; `None` if the record does
    /// not decode or the bytes do not hold the body it was made from.
    pub fn unpack_with(&self, bytes: &[u8]) -> Option<Entry> {
        let mut entry = self.unpack()?;
        entry.body.fill_from(bytes).then_some(entry)
    }
}

/// What `stat` tells of a file: if all of it is as recorded, the file has not been written since.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FileStamp {
    len: u64,
    modified: (i64, i64),
    changed: (i64, i64),
    inode: u64,
    device: u64,
}

impl FileStamp {
    /// The stamp of a file as its metadata shows it now (`None` where the platform has no
    /// change time or inode).
    pub fn of(meta: &std::fs::Metadata) -> Option<FileStamp> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(FileStamp {
                len: meta.len(),
                modified: (meta.mtime(), meta.mtime_nsec()),
                changed: (meta.ctime(), meta.ctime_nsec()),
                inode: meta.ino(),
                device: meta.dev(),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            None
        }
    }

    /// The stamp of a file read at `read_at`, if it is safe to trust later: its last change
    /// (modification and change time) is at least [`SETTLE`] older than the read.
    pub fn settled(meta: &std::fs::Metadata, read_at: SystemTime) -> Option<FileStamp> {
        let stamp = FileStamp::of(meta)?;
        let limit = read_at
            .checked_sub(SETTLE)?
            .duration_since(SystemTime::UNIX_EPOCH)
            .ok()?;
        let limit = (limit.as_secs() as i64, i64::from(limit.subsec_nanos()));
        (stamp.modified <= limit && stamp.changed <= limit).then_some(stamp)
    }
}

/// What the cache needs to know while loading: the cache of the last build and the date this
/// build judges against (part of every key).
#[derive(Debug)]
pub struct Reuse {
    /// The last build's cache (empty if there was none).
    pub cache: EntryCache,
    /// `--as-of`.
    pub as_of: NaiveDate,
    /// Folder listings kept from the last walk (`gongkai serve`, whose watcher says which are
    /// still true), or none: every folder is listed.
    pub listings: Option<std::sync::Arc<crate::incremental::listings::Listings>>,
}

/// The facts besides its own bytes that an entry's validation depends on.
pub struct EntryContext<'a> {
    /// The file as shown to the user (names the unit, domain and item folders).
    pub display: &'a str,
    /// The URL segment.
    pub slug: &'a str,
    /// Whether it is `<slug>/index.md`.
    pub in_folder: bool,
    /// [`attachments_key`] of its attachments.
    pub attachments: u64,
    /// [`unit_key`] of its unit.
    pub unit: u64,
    /// `--as-of`.
    pub as_of: NaiveDate,
    /// A hash of `site.toml`'s `[limits]` (how much of an attachment the scan reads).
    pub limits: u64,
}

/// The key of an entry: a hash of its file's bytes and of everything else its validation reads
/// (its [`context_key`]).
pub fn entry_key(bytes: &[u8], context: u64) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(bytes);
    context.hash(&mut h);
    h.finish()
}

/// A hash of everything besides its bytes that an entry's validation reads.
pub fn context_key(context: &EntryContext) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    context.display.hash(&mut h);
    context.slug.hash(&mut h);
    context.in_folder.hash(&mut h);
    context.attachments.hash(&mut h);
    context.unit.hash(&mut h);
    context.as_of.hash(&mut h);
    context.limits.hash(&mut h);
    h.finish()
}

/// An attachment as its entry's key sees it.
#[derive(Debug, Clone, Copy)]
pub struct AttachmentStamp<'a> {
    /// Its file name.
    pub name: &'a str,
    /// Where it is on disk.
    pub path: &'a Path,
    /// Its size in bytes.
    pub size: u64,
    /// Its stamp when listed, if it had settled.
    pub stamp: Option<FileStamp>,
}

/// A hash of an entry's attachments: names, places and sizes, and for an attachment the
/// personal-data scan reads, its stamp too (any change to it must validate the entry again).
pub fn attachments_key<'a>(attachments: impl IntoIterator<Item = AttachmentStamp<'a>>) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for a in attachments {
        (a.name, a.path, a.size).hash(&mut h);
        if crate::privacy::attachments::is_scanned(a.name) {
            a.stamp.hash(&mut h);
        }
    }
    h.finish()
}

/// The part of an entry's key that comes from its unit: the unit's path and `unit.toml` text
/// (the default 发布机构, the 机构代码 and the path's depth enter an entry's validation).
pub fn unit_key(path: &str, unit_toml: &str) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    path.hash(&mut h);
    unit_toml.hash(&mut h);
    h.finish()
}

/// Where the cache of the site built into `out` lives: beside it, never published.
pub fn cache_path(out: &Path) -> PathBuf {
    crate::files::beside_output(out, "cache")
}

impl EntryCache {
    /// The cache at `path`, or an empty one if it is missing, damaged or another version's.
    pub fn read(path: &Path) -> EntryCache {
        std::fs::read(path)
            .ok()
            .and_then(|bytes| {
                postcard::from_bytes::<EntryCache>(bytes.strip_prefix(CACHE_MAGIC)?).ok()
            })
            .filter(|cache| cache.generator == env!("CARGO_PKG_VERSION"))
            .unwrap_or_default()
    }

    /// A cache holding `records`.
    pub fn from_records(records: impl IntoIterator<Item = (String, Record)>) -> EntryCache {
        EntryCache {
            generator: env!("CARGO_PKG_VERSION").to_owned(),
            records: records.into_iter().collect(),
        }
    }

    /// The record of `display` if its key is `key`.
    pub fn get(&self, display: &str, key: u64) -> Option<&Record> {
        self.records.get(display).filter(|r| r.key == key)
    }

    /// The record of `display` if its context is `context` and its file still has the stamp
    /// `now`, so the file need not be read.
    pub fn get_unread(&self, display: &str, context: u64, now: FileStamp) -> Option<&Record> {
        self.records
            .get(display)
            .filter(|r| r.context == context && r.stamp == Some(now))
    }

    /// Whether this cache holds the same records as `other` (so it need not be written again).
    pub fn same_as(&self, other: &EntryCache) -> bool {
        self.generator == other.generator
            && self.records.len() == other.records.len()
            && self
                .records
                .iter()
                .zip(&other.records)
                .all(|((a, ra), (b, rb))| {
                    a == b && ra.key == rb.key && ra.context == rb.context && ra.stamp == rb.stamp
                })
    }

    /// Writes the cache to `path` (a temporary file renamed into place, so a reader never sees
    /// half of it).
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        crate::files::write_postcard(path, CACHE_MAGIC, self)
    }

    /// Whether it holds no record.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An attachment as the loader lists it.
    struct AttachmentFile {
        name: String,
        path: PathBuf,
        size: u64,
        stamp: Option<FileStamp>,
    }

    fn context<'a>(display: &'a str, attachments: &'a [AttachmentFile]) -> EntryContext<'a> {
        EntryContext {
            display,
            slug: "a",
            in_folder: false,
            attachments: attachments_key(attachments.iter().map(|a| AttachmentStamp {
                name: &a.name,
                path: &a.path,
                size: a.size,
                stamp: a.stamp,
            })),
            unit: unit_key("shiqu", "name = \"示例区\""),
            as_of: NaiveDate::from_ymd_opt(2025, 6, 30).expect("date"),
            limits: 0,
        }
    }

    #[test]
    fn key_changes_with_every_input() {
        let none: Vec<AttachmentFile> = Vec::new();
        let attachment = |name: &str, stamp| AttachmentFile {
            name: name.to_owned(),
            path: PathBuf::from("x").join(name),
            size: 10,
            stamp,
        };
        let one = vec![attachment("a.jpg", None)];
        let key = |bytes: &[u8], context: &EntryContext| entry_key(bytes, context_key(context));
        let base = key(b"body", &context("u/a.md", &none));
        assert_eq!(base, key(b"body", &context("u/a.md", &none)));
        assert_ne!(base, key(b"body!", &context("u/a.md", &none)));
        assert_ne!(base, key(b"body", &context("u/b.md", &none)));
        assert_ne!(base, key(b"body", &context("u/a.md", &one)));
        // A text, office or PDF attachment is read for personal numbers: its stamp is an input
        // too (stamps exist where the system has change times and inodes); an image's is not.
        #[cfg(unix)]
        {
            let dir = tempfile::tempdir().expect("tempdir");
            std::fs::write(dir.path().join("f"), "x").expect("write");
            let stamp = FileStamp::of(&std::fs::metadata(dir.path().join("f")).expect("meta"));
            let list = |stamp| vec![attachment("名单.csv", stamp)];
            let (settled, unsettled) = (list(stamp), list(None));
            assert_ne!(
                key(b"body", &context("u/a.md", &settled)),
                key(b"body", &context("u/a.md", &unsettled))
            );
            let pdf = |stamp| vec![attachment("a.pdf", stamp)];
            assert_ne!(
                key(b"body", &context("u/a.md", &pdf(stamp))),
                key(b"body", &context("u/a.md", &pdf(None)))
            );
            let image = vec![attachment("a.jpg", stamp)];
            assert_eq!(
                key(b"body", &context("u/a.md", &image)),
                key(b"body", &context("u/a.md", &one))
            );
        }
        let mut later = context("u/a.md", &none);
        later.as_of = NaiveDate::from_ymd_opt(2025, 7, 1).expect("date");
        assert_ne!(base, key(b"body", &later));
        let mut other_unit = context("u/a.md", &none);
        other_unit.unit = unit_key("shiqu", "name = \"示例区2\"");
        assert_ne!(base, key(b"body", &other_unit));
    }

    #[test]
    fn damaged_or_foreign_files_give_an_empty_cache() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(".public.gongkai-cache");
        assert!(EntryCache::read(&path).is_empty());
        std::fs::write(&path, b"not a cache").expect("write");
        assert!(EntryCache::read(&path).is_empty());
        let record = Record {
            key: 7,
            context: 9,
            stamp: None,
            validated: vec![1, 2, 3].into(),
        };
        let cache = EntryCache::from_records([("u/a.md".to_owned(), record.clone())]);
        cache.write(&path).expect("write cache");
        let back = EntryCache::read(&path);
        assert!(back.same_as(&cache));
        assert_eq!(back.get("u/a.md", 7), Some(&record));
        assert_eq!(back.get("u/a.md", 8), None);
        let bytes = std::fs::read(&path).expect("read");
        std::fs::write(&path, &bytes[..bytes.len() - 2]).expect("truncate");
        assert!(EntryCache::read(&path).is_empty());
        // A record that does not decode is a miss, not a panic.
        assert!(record.unpack().is_none());
        assert!(record.unpack_with(b"abcdef").is_none());
    }

    #[test]
    fn only_a_settled_file_gets_a_stamp_and_only_the_same_stamp_is_trusted() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("a.md");
        std::fs::write(&file, "正文").expect("write");
        let meta = std::fs::metadata(&file).expect("stat");
        let now = SystemTime::now();
        // Just written: a second write within the same time-stamp tick could hide.
        assert_eq!(FileStamp::settled(&meta, now), None);
        let stamp = FileStamp::settled(&meta, now + SETTLE + Duration::from_secs(1));
        assert_eq!(stamp, FileStamp::of(&meta));
        let Some(stamp) = stamp else { return }; // no stamps off Unix
        let record = Record {
            key: 1,
            context: 2,
            stamp: Some(stamp),
            validated: Vec::new().into(),
        };
        let cache = EntryCache::from_records([("u/a.md".to_owned(), record)]);
        assert!(cache.get_unread("u/a.md", 2, stamp).is_some());
        assert!(
            cache.get_unread("u/a.md", 3, stamp).is_none(),
            "other context"
        );
        assert!(cache.get_unread("u/b.md", 2, stamp).is_none());
        // Same size, modification time set back: the change time still differs.
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(&file, "正本").expect("rewrite");
        let f = std::fs::File::options()
            .write(true)
            .open(&file)
            .expect("open");
        f.set_modified(meta.modified().expect("mtime"))
            .expect("set mtime");
        let again = FileStamp::of(&std::fs::metadata(&file).expect("stat")).expect("stamp");
        assert!(cache.get_unread("u/a.md", 2, again).is_none());
    }
}
