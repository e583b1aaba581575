//! The pipeline's front door: the first stages every command shares, one function each,
//! strung together in order — [`load`] reads the catalog folder into `Raw*` structs, then
//! [`validate`] checks them and builds the typed [`Catalog`]. `build`, `check`, `book`, `serve`,
//! `new`, `list` and `report` all enter here; what they do with the model (audit, render, write,
//! typeset) is theirs. `serve`, which keeps its model between rebuilds, brings it up to date here
//! when only entry files changed ([`reload_edited`]).

use crate::diag::{self, Diagnostic, Severity};
use crate::incremental::cache::{EntryCache, Reuse};
use crate::load;
use crate::load::history::History;
use crate::model::Catalog;
use crate::timings::Timings;
use crate::validate;
use chrono::NaiveDate;
use std::path::Path;

/// Loads and validates the catalog at `root`: the model when nothing anywhere (loading or
/// validation) is an error, and every finding, sorted, always.
pub fn load_and_validate(root: &Path, as_of: NaiveDate) -> (Option<Catalog>, Vec<Diagnostic>) {
    load_and_validate_judged(root, as_of, as_of)
}

/// [`load_and_validate`] for figures of an earlier day (`gongkai report`'s 31 December):
/// validated as of `as_of` (today — an entry published since is not a date in the future), but
/// the model is judged on `judged` (no later than `as_of`): it is the catalog's
/// [`Catalog::as_of`], and each entry's git history is its last change on or before that day.
/// Entries published after `judged` stay in the model; the caller leaves them out.
pub fn load_and_validate_judged(
    root: &Path,
    as_of: NaiveDate,
    judged: NaiveDate,
) -> (Option<Catalog>, Vec<Diagnostic>) {
    let mut timings = Timings::default();
    let (catalog, diags, _) = load_and_validate_with(root, as_of, judged, None, None, &mut timings);
    (catalog, diags)
}

/// [`load_and_validate`] for `build` and `serve`: entries unchanged since the last build come
/// from its cache (`reuse`), the git history is `history` when the caller knows it is current
/// (`serve`, whose watcher sees every commit) or is read, stages are timed, and the cache for
/// the next build is returned beside the model and findings (they are the same as without a
/// cache).
pub fn load_and_validate_reusing(
    root: &Path,
    reuse: &Reuse,
    history: Option<&History>,
    timings: &mut Timings,
) -> (Option<Catalog>, Vec<Diagnostic>, EntryCache) {
    load_and_validate_with(
        root,
        reuse.as_of,
        reuse.as_of,
        Some(reuse),
        history,
        timings,
    )
}

/// The model `kept` from the last run (as [`load_and_validate_reusing`] or this function made
/// it), brought up to date after only the entry files `edited` changed: each is read and checked
/// again on its own, the checks across entries run again over every entry, and the git history
/// (`history`, current) is attached again. The result is the model a full run would make, for
/// `gongkai serve`, whose watcher knows that nothing else changed (no file added, removed or
/// renamed, no settings, standard, unit or attachment changed).
///
/// None when a full run is needed instead: a file is not an entry of `kept`, or anything is
/// wrong (an error in an edited entry or across entries; the full run reports it in full).
pub fn reload_edited(
    mut kept: Catalog,
    root: &Path,
    edited: &[std::path::PathBuf],
    as_of: NaiveDate,
    history: &History,
) -> Option<Catalog> {
    use rayon::prelude::*;
    let catalog = &mut kept;
    let wanted: std::collections::BTreeMap<String, &Path> = edited
        .iter()
        .map(|file| (crate::source::display_path(file), file.as_path()))
        .collect();
    let mut found = Vec::new();
    for (u, unit) in catalog.units.iter().enumerate() {
        for (i, entry) in unit.entries.iter().enumerate() {
            if let Some(file) = wanted.get(&entry.source) {
                found.push((u, i, *file));
            }
        }
    }
    if found.len() != wanted.len() {
        return None;
    }
    let fresh: Vec<(usize, usize, crate::model::Entry)> = found
        .par_iter()
        .map(|&(u, i, file)| {
            let (unit, old) = (&catalog.units[u], &catalog.units[u].entries[i]);
            // `<domain>/<item>/<slug>.md`, or `<domain>/<item>/<slug>/index.md` in the unit's folder.
            let unit_dir = root.join("units").join(&unit.path);
            let depth = Path::new(&old.source)
                .strip_prefix(&unit_dir)
                .ok()?
                .components()
                .count();
            let parsed = load::entry_file(root, file, &old.slug, depth == 4).ok()?;
            let (model, diags) = validate::entry(
                parsed,
                unit,
                (old.domain, old.item),
                &catalog.standard,
                as_of,
                &catalog.site.limits,
            );
            let ok = diags.iter().all(|d| d.severity() != Severity::Error);
            Some((u, i, model.filter(|_| ok)?))
        })
        .collect::<Option<_>>()?;
    for unit in &mut catalog.units {
        for entry in &mut unit.entries {
            entry.forget_derived();
        }
    }
    let mut touched = std::collections::BTreeSet::new();
    for (u, i, entry) in fresh {
        catalog.units[u].entries[i] = entry;
        touched.insert(u);
    }
    for u in touched {
        validate::sort_entries(&mut catalog.units[u].entries);
    }
    let mut diags = Vec::new();
    validate::across_entries(
        &mut catalog.units,
        &catalog.standard,
        catalog.site.active_attachments,
        &mut diags,
    );
    if diags.iter().any(|d| d.severity() == Severity::Error) {
        return None;
    }
    attach_history(catalog, root, Some(history));
    Some(kept)
}

/// Loads and validates as of `as_of`, judging the model on `judged`, timing the two stages;
/// with `reuse`, also collects the next cache (empty without); with `history`, takes it as the
/// catalog's git history instead of reading it.
fn load_and_validate_with(
    root: &Path,
    as_of: NaiveDate,
    judged: NaiveDate,
    reuse: Option<&Reuse>,
    history: Option<&History>,
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
        catalog.as_of = judged;
        attach_history(catalog, root, history);
        timings.lap("提交历史");
    }
    (catalog, diags, cache)
}

/// Reads the catalog's git history (one `git log` pass, unless `known` is it already) into each
/// entry's [`crate::model::EntryHistory`], or records why it is unknown.
fn attach_history(catalog: &mut Catalog, root: &Path, known: Option<&History>) {
    let read;
    let history = match known {
        Some(history) => history,
        None => {
            read = load::history::read(root);
            &read
        }
    };
    let files = match history {
        History::Unknown(why) => {
            catalog.history_unknown = Some(why.clone());
            return;
        }
        History::Known(files) => files,
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
