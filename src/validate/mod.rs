//! Stage 2, validate: the one boundary where `Raw*` file contents become the typed model. Every
//! value is checked here and every problem becomes a [`Diagnostic`] naming the file and line; after
//! this nothing re-checks or re-parses. Problems are collected, never first-only.

pub mod body;
pub mod links;

mod attachments;
mod calendar;
mod entries;
mod fields;
mod index_no;
mod office;
mod placeholders;
mod relations;
mod site;
mod standard;
mod units;

pub use fields::is_slug;
pub use placeholders::{example_url, is_about_base_url};
pub use standard::KNOWN_CHANNELS;
pub use units::sort_entries;

use crate::diag::Diagnostic;
use crate::incremental::cache::Record;
use crate::load::{EntryFile, LoadedEntry, RawCatalog};
use crate::model::{Catalog, Entry, Limits, Standard, Unit};
use chrono::NaiveDate;

/// Validates a loaded catalog against itself and `as_of` (the date the build judges against).
/// Returns the model when there are no errors; the diagnostics (errors and warnings) always.
pub fn validate(raw: RawCatalog, as_of: NaiveDate) -> (Option<Catalog>, Vec<Diagnostic>) {
    validate_recording(raw, as_of, None)
}

/// [`validate`], adding to `records` (when given) a cache record for every valid entry.
pub(crate) fn validate_recording(
    raw: RawCatalog,
    as_of: NaiveDate,
    records: Option<&mut Vec<(String, Record)>>,
) -> (Option<Catalog>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let site = raw.site.as_ref().and_then(|s| site::site(s, &mut diags));
    let standard = standard::standard(&raw, &mut diags);
    let calendar = calendar::calendar(&raw.calendars, &mut diags);
    // Read from the file even when another key of it is wrong, so attachments are judged by it.
    let allow_active = raw
        .site
        .as_ref()
        .and_then(|s| s.raw.active_attachments)
        .unwrap_or(false);
    // A site.toml with errors still gives its limits, or the defaults, to the scan.
    let limits = raw
        .site
        .as_ref()
        .map_or_else(crate::model::Limits::default, |s| {
            site::limits(s, &mut Vec::new())
        });
    let mut units = units::units(raw.units, &standard, as_of, &limits, &mut diags, records);
    across_entries(&mut units, &standard, allow_active, &mut diags);

    let has_errors = diags
        .iter()
        .any(|d| d.severity() == crate::diag::Severity::Error);
    let catalog = match site {
        Some(site) if !has_errors => Some(Catalog {
            site,
            standard,
            calendar,
            units,
            as_of,
            history_unknown: Some("尚未读取提交历史".into()),
        }),
        _ => None,
    };
    (catalog, diags)
}

/// The checks that look at every entry at once, after each entry was checked on its own:
/// attachments against `site.toml` (over cached entries too: the rule depends on site.toml, which
/// no entry's cache key holds), 索引号 unique and the missing ones derived, and relations
/// resolved. Entries kept from an earlier run must first be reset
/// ([`Entry::forget_derived`]), and each unit's entries be in page order ([`sort_entries`]).
pub fn across_entries(
    units: &mut [Unit],
    standard: &Standard,
    allow_active: bool,
    diags: &mut Vec<Diagnostic>,
) {
    attachments::check_attachments(units, standard, allow_active, diags);
    index_no::assign_index_numbers(units, standard, diags);
    relations::resolve(units, standard, diags);
}

/// Checks one entry file of item `item` of domain `domain` in `unit` on its own, as a full
/// validation would: its model (none when it has errors) and its findings, scoped to the
/// unit, domain and item. The checks across entries ([`across_entries`]) are the caller's.
pub fn entry(
    file: EntryFile,
    unit: &Unit,
    (domain, item): (usize, usize),
    standard: &Standard,
    as_of: NaiveDate,
    limits: &Limits,
) -> (Option<Entry>, Vec<Diagnostic>) {
    let checks = units::EntryChecks {
        standard,
        as_of,
        limits,
        recording: false,
    };
    let (model, found, _) = checks.entry(unit, domain, item, LoadedEntry::Parsed(Box::new(file)));
    (model, found)
}
