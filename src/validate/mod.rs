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

use crate::diag::Diagnostic;
use crate::incremental::cache::Record;
use crate::load::RawCatalog;
use crate::model::Catalog;
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
    // Over cached entries too: the rule depends on site.toml, which no entry's cache key holds.
    attachments::check_attachments(&units, &standard, allow_active, &mut diags);
    index_no::assign_index_numbers(&mut units, &standard, &mut diags);
    relations::resolve(&mut units, &standard, &mut diags);

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
