//! Incremental building: everything that lets a rebuild after a small edit do only the work the
//! edit calls for, and nothing that changes what is built. A build with all of this thrown away
//! writes the same bytes.
//!
//! - [`cache`]: validated entries kept from the last build, keyed by their bytes and
//!   surroundings, and the `stat` stamps ([`cache::FileStamp`]) that let an unchanged catalog
//!   file be trusted without reading it;
//! - [`fingerprint`]: what each part of a unit's pages is made from, hashed;
//! - [`listings`]: folder listings kept between the preview's rebuilds, for folders its
//!   file-system watcher reports unchanged;
//! - [`manifest`]: what the last build wrote, per part, with each part's fingerprint;
//! - [`stamp`]: the size and modification time of files already in the output folder (looked up
//!   through `crate::write::folder`).
//!
//! The loader asks [`cache`] which entries it may take unread; `crate::build` compares
//! fingerprints with the manifest; `crate::write` checks stamps and writes the manifest.

pub mod cache;
pub mod fingerprint;
pub mod listings;
pub mod manifest;
pub mod stamp;
