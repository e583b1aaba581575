//! The pipeline's front door: the first stages every command shares, one function each,
//! strung together in order — [`load`] reads the catalog folder into `Raw*` structs, then
//! [`validate`] checks them and builds the typed [`Catalog`]. `build`, `check`, `book`, `serve`,
//! `new` and `list` all enter here; what they do with the model (audit, render, write, typeset)
//! is theirs.

use crate::diag::{self, Diagnostic, Severity};
use crate::incremental::cache::{EntryCache, Reuse};
use crate::load;
use crate::model::Catalog;
use crate::timings::Timings;
use crate::validate;
use chrono::NaiveDate;
use std::path::Path;

/// Loads and validates the catalog at `root`: the model when nothing anywhere (loading or
/// validation) is an error, and every finding, sorted, always.
pub fn load_and_validate(root: &Path, as_of: NaiveDate) -> (Option<Catalog>, Vec<Diagnostic>) {
    let (catalog, diags, _) = load_and_validate_with(root, as_of, None, &mut Timings::default());
    (catalog, diags)
}

/// [`load_and_validate`] for `build`: entries unchanged since the last build come from its
/// cache (`reuse`), stages are timed, and the cache for the next build is returned beside the
/// model and findings (they are the same as without a cache).
pub fn load_and_validate_reusing(
    root: &Path,
    reuse: &Reuse,
    timings: &mut Timings,
) -> (Option<Catalog>, Vec<Diagnostic>, EntryCache) {
    load_and_validate_with(root, reuse.as_of, Some(reuse), timings)
}

/// Loads and validates, timing the two stages; with `reuse`, also collects the next cache
/// (empty without).
fn load_and_validate_with(
    root: &Path,
    as_of: NaiveDate,
    reuse: Option<&Reuse>,
    timings: &mut Timings,
) -> (Option<Catalog>, Vec<Diagnostic>, EntryCache) {
    let (raw, mut diags) = load::load_reusing(root, reuse);
    timings.lap("读取目录");
    let mut records = Vec::new();
    let (catalog, mut more) = validate::validate_recording(raw, as_of, reuse.map(|_| &mut records));
    timings.lap("校验");
    diags.append(&mut more);
    diag::sort(&mut diags);
    let has_errors = diags.iter().any(|d| d.severity() == Severity::Error);
    let cache = EntryCache::from_records(records);
    let mut catalog = catalog.filter(|_| !has_errors);
    if let Some(catalog) = &mut catalog {
        attach_history(catalog, root);
        timings.lap("提交历史");
    }
    (catalog, diags, cache)
}

/// Reads the catalog's git history (one `git log` pass) into each entry's
/// [`crate::model::EntryHistory`], or records why it is unknown.
fn attach_history(catalog: &mut Catalog, root: &Path) {
    let files = match load::history::read(root) {
        load::history::History::Unknown(why) => {
            catalog.history_unknown = Some(why);
            return;
        }
        load::history::History::Known(files) => files,
    };
    catalog.history_unknown = None;
    let prefix = format!(
        "{}/",
        crate::source::display_path(root).trim_end_matches('/')
    );
    for unit in &mut catalog.units {
        for entry in &mut unit.entries {
            let Some(file) = entry
                .source
                .strip_prefix(&prefix)
                .and_then(|rel| files.get(rel))
            else {
                continue;
            };
            entry.history.first = file.first;
            // Judged at --as-of: a commit after that day is not yet history (a page built as of
            // 2025-06-30 never shows a later 更新时间). A commit on the day the file was first
            // committed or published is part of making it, not a change.
            let as_of = catalog.as_of;
            let published = entry.published;
            entry.history.changes = file
                .changes
                .iter()
                .copied()
                .filter(|day| {
                    *day <= as_of && *day > published && file.first.is_some_and(|f| *day > f)
                })
                .collect();
        }
    }
}
