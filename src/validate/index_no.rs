//! 索引号: unique across the catalog; missing ones derived in a fixed order.

use crate::diag::{Code, Diagnostic};
use crate::model::*;
use chrono::Datelike;
use std::collections::HashMap;

/// Checks 索引号 are unique across the catalog and derives the missing ones: for each unit's
/// `org_code` and publication year, the next serial after the highest in use, in order of
/// (unit path, publication date, file), so the result is deterministic.
pub(super) fn assign_index_numbers(
    units: &mut [Unit],
    standard: &Standard,
    diags: &mut Vec<Diagnostic>,
) {
    let ids = |e: &Entry| {
        let domain = &standard.domains[e.domain];
        (domain.id.clone(), domain.items[e.item].id.clone())
    };
    // Borrowed from the entries while they are only read: one lookup per entry, no copies.
    let entries = units.iter().map(|u| u.entries.len()).sum();
    let mut seen: HashMap<&str, &str> = HashMap::with_capacity(entries);
    let mut highest: HashMap<&str, u32> = HashMap::new();
    for unit in units.iter() {
        for e in unit.entries.iter().filter(|e| !e.index_no.is_empty()) {
            if let Some(first) = seen.insert(&e.index_no, &e.source) {
                let mut d = Diagnostic::new(
                    Code::DuplicateIndexNo,
                    format!("索引号“{}”已被 {first} 使用。", e.index_no),
                )
                .in_file(&e.source)
                .scope(Some(&unit.path), Some(&ids(e).0), Some(&ids(e).1))
                .hint(
                    "索引号一经分配不得重复使用：删除这一行让系统自动编号，或改用未被占用的序号。",
                );
                d.line = e.lines.index_no;
                diags.push(d);
            }
            if let Some((prefix, serial)) = split_index_no(&e.index_no) {
                let max = highest.entry(prefix).or_default();
                *max = (*max).max(serial);
            }
        }
    }
    // Owned from here on, since the derived numbers are written into the entries.
    let mut highest: HashMap<String, u32> = highest
        .into_iter()
        .map(|(prefix, serial)| (prefix.to_owned(), serial))
        .collect();
    let mut order: Vec<(usize, usize)> = Vec::new();
    for (u, unit) in units.iter().enumerate() {
        for (i, e) in unit.entries.iter().enumerate() {
            if e.index_no.is_empty() {
                order.push((u, i));
            }
        }
    }
    order.sort_by(|&(ua, ia), &(ub, ib)| {
        let (a, b) = (&units[ua].entries[ia], &units[ub].entries[ib]);
        (&units[ua].path, a.published, &a.source).cmp(&(&units[ub].path, b.published, &b.source))
    });
    for (u, i) in order {
        let prefix = format!(
            "{}/{}",
            units[u].org_code,
            units[u].entries[i].published.year()
        );
        let serial = highest.entry(prefix.clone()).or_default();
        *serial += 1;
        let index_no = format!("{prefix}-{:05}", serial);
        let (domain_id, item_id) = ids(&units[u].entries[i]);
        let entry = &mut units[u].entries[i];
        diags.push(
            Diagnostic::new(
                Code::IndexNoDerived,
                format!("条目没有索引号，已自动编为“{index_no}”。"),
            )
            .in_file(&entry.source)
            .scope(Some(&units[u].path), Some(&domain_id), Some(&item_id))
            .hint(format!(
                "索引号应固定不变：请在 front matter 中加一行 index_no = \"{index_no}\"。"
            )),
        );
        entry.index_no = index_no;
        entry.index_no_derived = true;
    }
}

/// `<prefix>/<year>-<serial>` → (`<prefix>/<year>`, serial).
pub(super) fn split_index_no(index_no: &str) -> Option<(&str, u32)> {
    let (prefix, serial) = index_no.rsplit_once('-')?;
    prefix.contains('/').then_some(())?;
    Some((prefix, serial.parse().ok()?))
}
