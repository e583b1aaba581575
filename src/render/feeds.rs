//! Atom feeds (订阅): one per unit and one per domain within a unit, newest first, so readers
//! and aggregators are told when information is published or changed.

use super::links::PageDir;
use crate::model::{Catalog, Entry, Unit};
use crate::render::theme::escape_html;
use chrono::NaiveDate;
use std::fmt::Write as _;

/// Text escaped for XML, without the characters XML 1.0 does not allow at all (control
/// characters other than tab and line breaks, U+FFFE, U+FFFF): validation refuses them in the
/// catalog's text, and a feed must stay well-formed even if one got through.
pub fn esc(text: &str) -> String {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r')
            || matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
    };
    if text.chars().all(allowed) {
        escape_html(text)
    } else {
        escape_html(&text.chars().filter(|&c| allowed(c)).collect::<String>())
    }
}

/// The file name of a feed in its page's folder.
pub const FEED_FILE: &str = "feed.xml";

/// Most entries a feed lists.
const FEED_LIMIT: usize = 50;

/// A date as an Atom timestamp, midnight Beijing time.
fn stamp(date: NaiveDate) -> String {
    format!("{}T00:00:00+08:00", date)
}

/// The Atom document for `entries` of `unit`, listed on the page at `dir`. `fallback` is the
/// feed's `updated` when it has no entries (the programme's start, so an empty feed is stable).
pub fn atom(
    catalog: &Catalog,
    unit: &Unit,
    dir: &PageDir,
    title: &str,
    entries: &[&Entry],
) -> Vec<u8> {
    let base = &catalog.site.base_url;
    let mut sorted: Vec<&Entry> = entries.to_vec();
    sorted.sort_by(|a, b| {
        b.last_update()
            .cmp(&a.last_update())
            .then_with(|| b.published.cmp(&a.published))
            .then_with(|| a.index_no.cmp(&b.index_no))
    });
    sorted.truncate(FEED_LIMIT);
    let updated = sorted
        .first()
        .map(|e| e.last_update())
        .unwrap_or(NaiveDate::from_ymd_opt(2019, 1, 1).unwrap_or_default());
    let mut x = String::with_capacity(1024 + sorted.len() * 512);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n");
    let _ = writeln!(x, "  <title>{}</title>", esc(title));
    let _ = writeln!(
        x,
        "  <id>{}</id>",
        esc(&format!("{}{FEED_FILE}", dir.url(base)))
    );
    let _ = writeln!(
        x,
        "  <link rel=\"self\" href=\"{}\"/>",
        esc(&format!("{}{FEED_FILE}", dir.url(base)))
    );
    let _ = writeln!(
        x,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        esc(&dir.url(base))
    );
    let _ = writeln!(x, "  <updated>{}</updated>", stamp(updated));
    let _ = writeln!(
        x,
        "  <author><name>{}</name></author>",
        esc(&unit.publisher)
    );
    for e in sorted {
        let domain = &catalog.standard.domains[e.domain];
        let item = &domain.items[e.item];
        let url = PageDir::from_path(&unit.path)
            .join(&[&domain.id, &item.id, &e.slug])
            .url(base);
        x.push_str("  <entry>\n");
        let _ = writeln!(x, "    <title>{}</title>", esc(&e.title));
        let _ = writeln!(x, "    <id>{}</id>", esc(&url));
        let _ = writeln!(
            x,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            esc(&url)
        );
        let _ = writeln!(x, "    <published>{}</published>", stamp(e.published));
        let _ = writeln!(x, "    <updated>{}</updated>", stamp(e.last_update()));
        let _ = writeln!(x, "    <author><name>{}</name></author>", esc(&e.publisher));
        let _ = writeln!(
            x,
            "    <category term=\"{}\" label=\"{}\"/>",
            esc(&domain.id),
            esc(&domain.name)
        );
        let r = &e.relations;
        for link in r
            .interprets
            .iter()
            .chain(&r.interpretations)
            .chain(&r.consultation)
            .chain(&r.responses)
            .chain(&r.responds_to)
            .chain(&r.outcomes)
            .chain(&r.replaces)
            .chain(&r.replaced_by)
        {
            let _ = writeln!(
                x,
                "    <link rel=\"related\" href=\"{}\" title=\"{}\"/>",
                esc(&PageDir::of_link(link).url(&catalog.site.base_url)),
                esc(&link.title)
            );
        }
        let mut summary = format!("{} · {}", domain.name, item.name());
        if let Some(doc_no) = &e.doc_no {
            let _ = write!(summary, " · {doc_no}");
        }
        let validity = e.validity_at(catalog.as_of);
        if validity != crate::model::Validity::Valid {
            let _ = write!(summary, " · {}", validity.label());
            for by in r
                .replaced_by
                .iter()
                .filter(|l| l.in_force_from <= catalog.as_of)
            {
                let _ = write!(summary, " · 已被《{}》替代", by.title);
            }
        }
        if let Some(s) = &e.summary {
            let _ = write!(summary, "。{s}");
        }
        let _ = writeln!(x, "    <summary>{}</summary>", esc(&summary));
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x.into_bytes()
}

#[cfg(test)]
mod tests {
    #[test]
    fn characters_xml_forbids_are_left_out() {
        assert_eq!(
            super::esc("标题\u{1}\u{8}\u{b}\u{c}\u{1f}\u{fffe}\u{ffff}<b>\t二\n"),
            "标题&lt;b&gt;\t二\n"
        );
    }
}
