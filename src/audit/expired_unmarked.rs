//! `expired-unmarked` (失效未标注): the document's `expires` date has passed but it is still
//! marked 有效. Evaluators check that expired documents are marked wherever they are listed.

use super::Rule;
use crate::diag::{Code, Diagnostic};
use crate::model::{Catalog, Validity};
use chrono::NaiveDate;

/// The rule's documentation.
pub const RULE: Rule = Rule {
    code: Code::ExpiredUnmarked,
    name: "失效未标注",
    explanation: "信息的有效期（expires）已过，但有效性仍是“有效”。失效、废止的文件必须在网站上明确标注，避免群众按过期政策办事。\n怎么改：在 front matter 中写 validity = \"expired\"（失效）或 validity = \"repealed\"（废止）；如果有效期已延长，改正 expires。",
};

/// Finds entries past their `expires` date that are still marked valid.
pub fn check(catalog: &Catalog, as_of: NaiveDate) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    for unit in &catalog.units {
        for entry in &unit.entries {
            let Some(expires) = entry.expires else {
                continue;
            };
            if expires >= as_of || entry.validity != Validity::Valid {
                continue;
            }
            let domain = &catalog.standard.domains[entry.domain];
            let item = &domain.items[entry.item];
            let mut d = Diagnostic::new(
                Code::ExpiredUnmarked,
                format!("失效未标注：有效期至 {expires}，已过期，但有效性仍为“有效”。"),
            )
            .in_file(&entry.source)
            .scope(Some(&unit.path), Some(&domain.id), Some(&item.id))
            .hint("在 front matter 中加一行 validity = \"expired\"；有效期延长了就改正 expires。");
            d.line = entry.lines.expires;
            findings.push(d);
        }
    }
    findings
}
