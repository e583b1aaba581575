//! The build manifest: what the last successful build wrote, grouped by the unit that owns each
//! file (`""` for site-wide files), kept beside the output folder so it is never published.
//!
//! It is read and written on every incremental build, and a city's holds ~40,000 records, so
//! each owner's records stay encoded as they are stored ([`Files`]): a build decodes them once,
//! while checking them against the disk, and writes the records of units it did not render
//! again back byte for byte. Only the units it rendered are encoded anew.

use crate::failure::Failure;
use crate::files::safe_rel;
use serde::de::{Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The manifest file starts with this line; the format's version is part of it, so a manifest
/// from another format means a full build.
const MAGIC: &[u8] = b"gongkai build manifest v5\n";

/// The manifest. Stored as compact binary (postcard) after [`MAGIC`].
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// gongkai's version that wrote it (a new binary renders everything again).
    generator: String,
    /// Owner (unit path, or `""`) → its fingerprint and files.
    pub owners: BTreeMap<String, Owned>,
}

/// What one unit (or the site itself) wrote.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owned {
    /// Fingerprint of the unit's inputs (0 for site-wide files, which are always rendered).
    pub fingerprint: u64,
    /// Its files' records.
    pub files: Files,
}

/// One output file in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    /// Hash of the content (for copies: of the source's stamp, `copied_file_key`).
    pub hash: u64,
    /// Size in bytes.
    pub size: u64,
    /// Modification time in nanoseconds since the Unix epoch.
    pub mtime: u128,
}

/// An owner's file records, encoded: their number, then in path order each path, stored as the
/// number of bytes it shares with the one before and the rest (sorted paths share long
/// prefixes, which shrinks a city's manifest from 3.1 to 1.8 MB), and its record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Files(Vec<u8>);

impl Files {
    /// Encodes `records`.
    pub fn encode(records: &BTreeMap<String, FileRecord>) -> Result<Files, Failure> {
        let fail = |e: postcard::Error| Failure(format!("写入构建清单失败：{e}。"));
        let mut bytes = postcard::to_allocvec(&records.len()).map_err(fail)?;
        let mut previous = "";
        for (path, record) in records {
            let mut shared = previous
                .bytes()
                .zip(path.bytes())
                .take_while(|(a, b)| a == b)
                .count();
            while !path.is_char_boundary(shared) {
                shared -= 1;
            }
            bytes = postcard::to_extend(&(shared, &path[shared..], record), bytes).map_err(fail)?;
            previous = path;
        }
        Ok(Files(bytes))
    }

    /// The number of records, read from the front of the encoding; `None` if it is damaged
    /// there.
    pub fn count(&self) -> Option<usize> {
        postcard::take_from_bytes::<usize>(&self.0)
            .ok()
            .map(|(count, _)| count)
    }

    /// Calls `visit` with each path and record, in path order. Returns `false`, having stopped,
    /// if the records are damaged or a path would leave the output folder: then nothing in
    /// them can be trusted.
    pub fn visit(&self, mut visit: impl FnMut(&str, &FileRecord)) -> bool {
        let Ok((count, mut rest)) = postcard::take_from_bytes::<usize>(&self.0) else {
            return false;
        };
        let mut path = String::new();
        for _ in 0..count {
            let Ok(((shared, tail, record), after)) =
                postcard::take_from_bytes::<(usize, &str, FileRecord)>(rest)
            else {
                return false;
            };
            // Also false past the end of the path before.
            if !path.is_char_boundary(shared) {
                return false;
            }
            path.truncate(shared);
            path.push_str(tail);
            if safe_rel(&path).is_err() {
                return false;
            }
            visit(&path, &record);
            rest = after;
        }
        rest.is_empty()
    }

    /// The records as a map, or `None` if they are damaged (see [`Files::visit`]).
    pub fn decode(&self) -> Option<BTreeMap<String, FileRecord>> {
        let mut records = Vec::new();
        let sound = self.visit(|path, record| records.push((path.to_owned(), record.clone())));
        // Visited in path order, so the map is built in one pass.
        sound.then(|| records.into_iter().collect())
    }
}

impl Serialize for Files {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for Files {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Files, D::Error> {
        struct Bytes;
        impl Visitor<'_> for Bytes {
            type Value = Files;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("encoded file records")
            }
            fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Files, E> {
                Ok(Files(bytes.to_vec()))
            }
        }
        deserializer.deserialize_bytes(Bytes)
    }
}

impl Default for Manifest {
    fn default() -> Manifest {
        Manifest::new()
    }
}

impl Manifest {
    /// An empty manifest of this gongkai version.
    pub fn new() -> Manifest {
        Manifest {
            generator: env!("CARGO_PKG_VERSION").to_owned(),
            owners: BTreeMap::new(),
        }
    }

    /// The manifest of `out`, if it is one this gongkai version wrote and its owners are
    /// folders inside the output. The records are checked as they are used ([`Files::visit`]):
    /// a damaged or doctored manifest must never make a build touch other files.
    pub fn read(out: &Path) -> Option<Manifest> {
        if !out.is_dir() {
            return None;
        }
        let bytes = std::fs::read(path(out)).ok()?;
        let manifest: Manifest = postcard::from_bytes(bytes.strip_prefix(MAGIC)?).ok()?;
        let sound = manifest.generator == env!("CARGO_PKG_VERSION")
            && manifest
                .owners
                .keys()
                .all(|owner| owner.is_empty() || safe_rel(owner).is_ok());
        sound.then_some(manifest)
    }

    /// Writes the manifest beside `out`, atomically (temporary file, then rename).
    pub fn write(&self, out: &Path) -> Result<(), Failure> {
        let path = path(out);
        crate::files::write_postcard(&path, MAGIC, self).map_err(|e| Failure::write(&path, &e))
    }
}

/// Where the manifest of `out` lives: beside it, so it is never published.
pub fn path(out: &Path) -> PathBuf {
    crate::files::beside_output(out, "manifest")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(n: u64) -> FileRecord {
        FileRecord {
            hash: n,
            size: n + 1,
            mtime: u128::from(n) + 2,
        }
    }

    fn records(paths: &[&str]) -> BTreeMap<String, FileRecord> {
        (0..)
            .zip(paths)
            .map(|(n, path)| (path.to_string(), record(n)))
            .collect()
    }

    fn manifest_with(owner: &str, paths: &[&str]) -> Manifest {
        let files = Files::encode(&records(paths)).expect("encode");
        let mut manifest = Manifest::new();
        manifest.owners.insert(
            owner.to_owned(),
            Owned {
                fingerprint: 4,
                files,
            },
        );
        manifest
    }

    fn out_folder() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("public");
        std::fs::create_dir(&out).expect("out");
        (dir, out)
    }

    #[test]
    fn a_manifest_reads_back_as_written() {
        let (_dir, out) = out_folder();
        let manifest = manifest_with("xian", &["xian/index.html"]);
        manifest.write(&out).expect("write");
        assert_eq!(Manifest::read(&out), Some(manifest));
    }

    #[test]
    fn records_sharing_part_of_a_character_decode_as_encoded() {
        let paths = [
            "xian/index.html",
            "xian/你/index.html",
            "xian/佢/index.html",
            "xian/佢/附件.pdf",
            "y",
        ];
        let files = Files::encode(&records(&paths)).expect("encode");
        assert_eq!(files.decode(), Some(records(&paths)));
        let none = Files::encode(&BTreeMap::new()).expect("encode");
        assert_eq!(none.decode(), Some(BTreeMap::new()));
    }

    #[test]
    fn records_pointing_outside_the_output_or_damaged_are_not_trusted() {
        for path in ["../catalog/site.toml", "/etc/passwd", "xian/../../x", ""] {
            let files = Files::encode(&records(&[path])).expect("encode");
            assert_eq!(files.decode(), None, "{path}");
            assert!(!files.visit(|_, _| {}), "{path}");
        }
        let files = Files::encode(&records(&["xian/a.html", "xian/b.html"])).expect("encode");
        for cut in 0..files.0.len() {
            let damaged = Files(files.0[..cut].to_vec());
            assert_eq!(damaged.decode(), None, "cut at {cut}");
        }
        // A shared length longer than the path before it.
        let bad = postcard::to_extend(&(9_usize, "x", record(0)), vec![1]).expect("encode");
        assert_eq!(Files(bad).decode(), None);
        // Bytes left after the last record.
        let mut extra = files.0.clone();
        extra.push(0);
        assert_eq!(Files(extra).decode(), None);
    }

    #[test]
    fn a_manifest_from_elsewhere_or_damaged_is_not_used() {
        let (_dir, out) = out_folder();
        for owner in ["../catalog", "/etc"] {
            manifest_with(owner, &[]).write(&out).expect("write");
            assert_eq!(Manifest::read(&out), None, "{owner}");
        }
        let file = path(&out);
        for bytes in [
            &b"{\"version\":1,\"owners\":{}}"[..],
            b"",
            MAGIC,
            b"gongkai build manifest v3\n\x00",
        ] {
            std::fs::write(&file, bytes).expect("write");
            assert_eq!(Manifest::read(&out), None);
        }
        manifest_with("xian", &["xian/index.html"])
            .write(&out)
            .expect("write");
        let mut truncated = std::fs::read(&file).expect("read");
        truncated.truncate(truncated.len() - 3);
        std::fs::write(&file, truncated).expect("write");
        assert_eq!(Manifest::read(&out), None, "a truncated manifest");
    }
}
