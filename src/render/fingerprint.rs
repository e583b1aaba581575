//! What a unit's pages are made from, hashed: if the fingerprint is unchanged since the last
//! build, none of the unit's files can have changed and the unit is not rendered again.
//! It covers the unit itself (every entry, body and attachment), the standard, the site
//! settings, the theme, gongkai's version, the ancestors shown in breadcrumbs, and the children
//! listed (with their update times) on the unit's home page.

use super::theme::Theme;
use crate::load::cache::FileStamp;
use crate::model::Catalog;
use std::hash::{Hash, Hasher};
use std::path::Path;

/// The fingerprint of what every unit's pages share: gongkai's version, the theme, the site
/// settings and the standard. Computed once per build and folded into each unit's.
pub fn shared_fingerprint(theme: &Theme, catalog: &Catalog) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    theme.fingerprint.hash(&mut h);
    catalog.site.hash(&mut h);
    catalog.standard.hash(&mut h);
    h.finish()
}

/// The fingerprint of unit `u`'s inputs, given [`shared_fingerprint`].
pub fn unit_fingerprint(shared: u64, catalog: &Catalog, u: usize) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    shared.hash(&mut h);
    let unit = &catalog.units[u];
    unit.hash(&mut h);
    catalog.updated_beneath(u).hash(&mut h);
    for a in catalog.ancestry(u) {
        let ancestor = &catalog.units[a];
        (&ancestor.path, &ancestor.name).hash(&mut h);
    }
    for &c in &unit.children {
        let child = &catalog.units[c];
        (
            &child.path,
            &child.name,
            child.level,
            catalog.updated_beneath(c),
        )
            .hash(&mut h);
    }
    for a in unit.entries.iter().flat_map(|e| &e.attachments) {
        copied_file_key(&a.path).hash(&mut h);
    }
    h.finish()
}

/// What tells whether a file copied into the site (an attachment) changed: its size and
/// modification time and, where the system has them, its change time and inode, so that a
/// replacement keeping size and modification time (as `cp -p` does) is still seen. Not its path:
/// where the catalog folder is, or how `--root` was written, does not change what is published.
pub fn copied_file_key(path: &Path) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    match std::fs::metadata(path) {
        Ok(meta) => {
            (meta.len(), meta.modified().ok()).hash(&mut h);
            FileStamp::of(&meta).hash(&mut h);
        }
        Err(e) => e.kind().hash(&mut h),
    }
    h.finish()
}
