//! Folder listings kept from one walk of the catalog to the next, for `gongkai serve`: a folder
//! nothing has changed in since the last walk (as the preview's file-system watcher reports) is
//! taken from here, names, kinds and metadata, without listing it or `stat`ing its files again.
//! On 19,064 entries that walk is 7,986 folders and 21,347 files, about half of a rebuild.
//!
//! Only what a watcher sees is kept: a listing with a symbolic link in it, or a file with more
//! than one name (a hard link), or of a folder reached through a link, is listed afresh every time
//! (a change made through another name is reported under that name). A walk with this thrown
//! away finds the same. Such a listing is also noted ([`Listings::take_unseen`]): the preview
//! then does not trust the watcher to name every changed entry. A hard link made while the
//! preview runs is seen in the events (a file with two names) and forgets every listing. One made
//! from outside the watched folders, or any on a platform that does not count names (Windows),
//! is not seen.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// One child of a listed folder, as the loader's walk found it.
#[derive(Debug, Clone)]
pub struct Listed {
    /// Its file name.
    pub name: String,
    /// Its path (the folder's path joined with the name).
    pub path: PathBuf,
    /// Whether it is a folder.
    pub is_dir: bool,
    /// For anything but a folder, its metadata.
    pub meta: Option<std::fs::Metadata>,
}

/// Listings by folder, relative to the catalog folder. Ordered by path, so a folder's whole
/// tree is one range: a `git checkout` of thousands of files forgets each in a few steps.
#[derive(Debug, Default)]
pub struct Listings {
    by_folder: Mutex<BTreeMap<PathBuf, Arc<[Listed]>>>,
    /// Whether a folder listed since the last [`Listings::take_unseen`] could not be kept.
    unseen: AtomicBool,
}

impl Listings {
    /// The listing kept for `folder` (relative to the catalog folder), if nothing has changed in
    /// it since.
    pub fn get(&self, folder: &Path) -> Option<Arc<[Listed]>> {
        self.by_folder.lock().ok()?.get(folder).cloned()
    }

    /// Keeps `listing` as the listing of `folder` (relative to the catalog folder).
    pub fn put(&self, folder: PathBuf, listing: Vec<Listed>) {
        if let Ok(mut by_folder) = self.by_folder.lock() {
            by_folder.insert(folder, listing.into());
        }
    }

    /// Forgets what a change at `path` (relative to the catalog folder) may have made stale:
    /// the listing of the folder it is in (the change's name or metadata), and its own listing
    /// and those of every folder under it (a folder renamed or moved away).
    pub fn forget(&self, path: &Path) {
        let Ok(mut by_folder) = self.by_folder.lock() else {
            return;
        };
        if let Some(parent) = path.parent() {
            by_folder.remove(parent);
        }
        // Paths compare by component, so `path` and everything under it come first from `path`.
        let beneath: Vec<PathBuf> = by_folder
            .range(path.to_path_buf()..)
            .map(|(folder, _)| folder)
            .take_while(|folder| folder.starts_with(path))
            .cloned()
            .collect();
        for folder in beneath {
            by_folder.remove(&folder);
        }
    }

    /// Notes that a folder was listed but could not be kept: a change in it may be reported
    /// under another path than the one the walk found.
    pub fn note_unseen(&self) {
        self.unseen.store(true, Ordering::Relaxed);
    }

    /// Whether a folder listed since the last call could not be kept ([`Listings::note_unseen`]);
    /// starts over.
    pub fn take_unseen(&self) -> bool {
        self.unseen.swap(false, Ordering::Relaxed)
    }

    /// Forgets every listing (the watcher lost track of what changed).
    pub fn forget_all(&self) {
        if let Ok(mut by_folder) = self.by_folder.lock() {
            by_folder.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(name: &str) -> Vec<Listed> {
        vec![Listed {
            name: name.to_owned(),
            path: PathBuf::from(name),
            is_dir: false,
            meta: None,
        }]
    }

    #[test]
    fn a_change_forgets_its_folder_and_everything_under_it() {
        let listings = Listings::default();
        for folder in [
            "units",
            "units/a",
            "units/a/d",
            "units/a/d/i",
            "units/a0",
            "units/b",
        ] {
            listings.put(PathBuf::from(folder), listed(folder));
        }
        // A file changed in units/a/d/i: that folder's listing, not its parent's.
        listings.forget(Path::new("units/a/d/i/x.md"));
        assert!(listings.get(Path::new("units/a/d/i")).is_none());
        assert!(listings.get(Path::new("units/a/d")).is_some());
        // units/a renamed: its parent's listing and all of its own tree.
        listings.forget(Path::new("units/a"));
        for gone in ["units", "units/a", "units/a/d"] {
            assert!(listings.get(Path::new(gone)).is_none(), "{gone}");
        }
        assert!(listings.get(Path::new("units/a0")).is_some());
        assert!(listings.get(Path::new("units/b")).is_some());
        listings.forget_all();
        assert!(listings.get(Path::new("units/b")).is_none());
    }
}
