//! What a unit's pages are made from, hashed, per [`Part`]: if a part's fingerprint is
//! unchanged since the last build, none of its files can have changed and it is not rendered
//! again.
//!
//! - Every part covers the standard, the site settings, the theme, gongkai's version, the unit
//!   itself (but not its entries) and the ancestors shown in breadcrumbs.
//! - A domain's folder adds that domain's entries (with their bodies and attachments, and their
//!   有效性 on the build's date, which changes when one's `expires` passes).
//! - The unit's own files (home page, feed, sitemaps, search, open data) list every entry, so
//!   they add every domain's fingerprint, and the children listed (with their update times) on
//!   the home page.

use super::cache::FileStamp;
use crate::model::Part;
use crate::model::{Catalog, Unit};
use std::hash::{Hash, Hasher};
use std::path::Path;

/// The fingerprint of what every unit's pages share: gongkai's version, the theme (its own
/// fingerprint, `theme`), the site settings and the standard. Computed once per build and folded into each unit's.
pub fn shared_fingerprint(theme: u64, catalog: &Catalog) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    theme.hash(&mut h);
    catalog.site.hash(&mut h);
    catalog.standard.hash(&mut h);
    h.finish()
}

/// The fingerprints of unit `u`'s parts, in [`Part::all`] order, given [`shared_fingerprint`].
pub fn unit_fingerprints(shared: u64, catalog: &Catalog, u: usize) -> Vec<u64> {
    let unit = &catalog.units[u];
    // What every part shows: the unit itself and its ancestors (breadcrumbs).
    let mut common = xxhash_rust::xxh3::Xxh3::new();
    shared.hash(&mut common);
    hash_unit_itself(unit, &mut common);
    for a in catalog.ancestry(u) {
        let ancestor = &catalog.units[a];
        // The level too: whether the parent has a page of a domain the unit lacks follows it.
        (&ancestor.path, &ancestor.name, ancestor.level).hash(&mut common);
    }
    let common = common.finish();
    let domains: Vec<u64> = (0..catalog.standard.domains.len())
        .map(|d| {
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            common.hash(&mut h);
            for entry in unit.domain_entries(d) {
                entry.hash(&mut h);
                entry.validity_at(catalog.as_of).hash(&mut h);
                for a in &entry.attachments {
                    copied_file_key(&a.path).hash(&mut h);
                }
            }
            h.finish()
        })
        .collect();
    let mut own = xxhash_rust::xxh3::Xxh3::new();
    common.hash(&mut own);
    domains.hash(&mut own);
    catalog.updated_beneath(u).hash(&mut own);
    for &c in &unit.children {
        let child = &catalog.units[c];
        (
            &child.path,
            &child.name,
            child.level,
            catalog.updated_beneath(c),
        )
            .hash(&mut own);
    }
    Part::all(catalog)
        .map(|part| match part {
            Part::Own => own.finish(),
            Part::Domain(d) => domains[d],
        })
        .collect()
}

/// Hashes what a unit's pages show of the unit itself: everything but its entries (hashed per
/// domain) and its place in the tree (hashed as the ancestors' and children's names). Every
/// field is named, so a field added later must be placed here or left out on purpose.
fn hash_unit_itself(unit: &Unit, h: &mut impl Hasher) {
    let Unit {
        path,
        name,
        level,
        code,
        org_code,
        publisher,
        // Where the unit is listed among its siblings: the parent's children, hashed in order.
        order: _,
        address,
        phone,
        hours,
        office,
        exempt,
        parent: _,
        children: _,
        entries: _,
    } = unit;
    (path, name, level, code, org_code, publisher).hash(h);
    (address, phone, hours, office, exempt).hash(h);
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
