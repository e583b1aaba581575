//! The `check` pipeline: load → validate → audit → report. Writes nothing but the optional
//! dashboard.

use crate::audit::{self, report::CheckReport};
use crate::diag;
use crate::model::Catalog;
use crate::pipeline;
use chrono::NaiveDate;
use std::path::Path;

/// Validates and audits the catalog at `root` as of `as_of`. Also returns the catalog when it
/// had no errors, for printers that want names.
pub fn check(root: &Path, as_of: NaiveDate) -> (CheckReport, Option<Catalog>) {
    let (catalog, mut findings) = pipeline::load_and_validate(root, as_of);
    let units = match &catalog {
        Some(catalog) => {
            let calendar_dir = crate::source::display_path(&root.join("calendar"));
            findings.extend(audit::audit(catalog, as_of, &calendar_dir));
            let root_display = crate::source::display_path(root);
            findings.extend(audit::history::check(catalog, &root_display));
            CheckReport::summarize(catalog)
        }
        None => Vec::new(),
    };
    diag::sort(&mut findings);
    (
        CheckReport {
            as_of,
            findings,
            units,
        },
        catalog,
    )
}
