//! Attachments that would take a generated file's place or run in a reader's browser or on the
//! web server (the names themselves are judged by [`crate::output_names`]).

use crate::diag::{Code, Diagnostic};
use crate::model::{Standard, Unit};
use crate::output_names::attachment_problem;

/// Checks every attachment of every entry: not named like a generated file, not a type a server
/// executes, and not a type a browser runs unless `allow_active`.
pub fn check_attachments(
    units: &[Unit],
    standard: &Standard,
    allow_active: bool,
    diags: &mut Vec<Diagnostic>,
) {
    for unit in units {
        for entry in &unit.entries {
            let domain = &standard.domains[entry.domain];
            let item = &domain.items[entry.item];
            for attachment in &entry.attachments {
                let name = attachment.name.as_str();
                let Some((message, hint)) = attachment_problem(name, allow_active) else {
                    continue;
                };
                diags.push(
                    Diagnostic::new(Code::UnsafePath, message)
                        .in_file(crate::source::display_path(&attachment.path))
                        .scope(Some(&unit.path), Some(&domain.id), Some(&item.id))
                        .hint(hint),
                );
            }
        }
    }
}
