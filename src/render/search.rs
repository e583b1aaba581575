//! Site search that works in Chinese without a segmenter: each unit gets a small JSON index of
//! its entries and catalogue items (title, 文号, domain, date, 有效性, plain text), and a dependency-free
//! script (`static/search.js`) matches query terms as substrings, which finds any 2–4 character
//! word (低保, 临时救助) and any 文号 fragment. Indexes are per unit, so a change re-indexes only
//! the units it touches; the whole-site scope loads every unit's index.

use super::links::{PageDir, encode};
use crate::failure::Failure;
use crate::markup::to_plain_text;
use crate::model::{Catalog, Unit, Validity};
use serde::Serialize;
use std::borrow::Cow;

/// The index file in each unit's folder.
pub const INDEX_FILE: &str = "search.json";

/// Characters of body text indexed per entry.
pub const TEXT_CHARS: usize = 3000;

#[derive(Serialize)]
struct Index<'a> {
    schema_version: u32,
    unit: &'a str,
    /// The unit's folder from the site root, percent-encoded, ending in `/`.
    base: String,
    docs: Vec<Doc<'a>>,
}

/// One searchable page, borrowing what the catalog and the rendered pages already hold. Short
/// keys keep the file small.
#[derive(Serialize)]
struct Doc<'a> {
    /// Title.
    t: Cow<'a, str>,
    /// URL relative to the unit's folder.
    u: String,
    /// Domain name.
    d: &'a str,
    /// Date (`YYYY-MM-DD`): an entry's 发布日期, an item's newest update; empty for catalogue
    /// items without entries.
    p: String,
    /// 文号.
    #[serde(skip_serializing_if = "str::is_empty")]
    n: &'a str,
    /// Kind: `e` entry, `i` catalogue item.
    k: &'static str,
    /// An entry's 有效性 on the build's date when it is not 有效 (`失效`, `废止`).
    #[serde(skip_serializing_if = "str::is_empty")]
    v: &'static str,
    /// Plain text.
    x: Cow<'a, str>,
}

/// The search index of one unit. `texts`: by position in `unit.entries`, the body text of the
/// entries whose pages were rendered this time (from their pages' parse: [`to_html_and_text`]);
/// the others' bodies are read here.
///
/// [`to_html_and_text`]: crate::markup::to_html_and_text
pub fn unit_index(
    catalog: &Catalog,
    unit: &Unit,
    texts: &[Option<String>],
) -> Result<Vec<u8>, Failure> {
    let mut docs = Vec::new();
    // The file's size, near enough that its buffer rarely grows: the texts and some room for
    // each document's other fields.
    let mut size = 0;
    for (d, domain) in catalog.standard.domains.iter().enumerate() {
        for (i, item) in domain.items.iter().enumerate() {
            if !item.applies_to(unit.level) {
                continue;
            }
            let item_url = format!("{}/{}/", encode(&domain.id), encode(&item.id));
            let range = unit.item_range(d, i);
            let entries = &unit.entries[range.clone()];
            // An item with nothing published has no page: its row in the domain's table.
            let catalogue_url = if entries.is_empty() {
                format!("{}/#item-{}", encode(&domain.id), encode(&item.id))
            } else {
                item_url.clone()
            };
            docs.push(Doc {
                t: Cow::Owned(item.name()),
                u: catalogue_url,
                d: &domain.name,
                p: entries
                    .iter()
                    .map(|e| e.last_update())
                    .max()
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                n: "",
                k: "i",
                v: "",
                x: Cow::Owned(format!(
                    "{} {} {}",
                    item.level1, item.content, item.deadline
                )),
            });
            for (e, rendered) in entries.iter().zip(&texts[range]) {
                let body = match rendered {
                    Some(body) => Cow::Borrowed(body.as_str()),
                    None => Cow::Owned(to_plain_text(e.body.text_for_page(&e.source)?, TEXT_CHARS)),
                };
                let text = match &e.summary {
                    Some(summary) => Cow::Owned(format!("{summary} {body}")),
                    None => body,
                };
                size += text.len() + e.title.len();
                docs.push(Doc {
                    t: Cow::Borrowed(&e.title),
                    u: format!("{item_url}{}/", encode(&e.slug)),
                    d: &domain.name,
                    p: e.published.to_string(),
                    n: e.doc_no.as_deref().unwrap_or_default(),
                    k: "e",
                    v: match e.validity_at(catalog.as_of) {
                        Validity::Valid => "",
                        other => other.label(),
                    },
                    x: text,
                });
            }
        }
    }
    let base = PageDir::from_path(&unit.path)
        .0
        .iter()
        .map(|s| format!("{}/", encode(s)))
        .collect();
    size += docs.len() * 256;
    let index = Index {
        schema_version: 1,
        unit: &unit.name,
        base,
        docs,
    };
    let mut json = Vec::with_capacity(size);
    serde_json::to_writer(&mut json, &index)
        .map_err(|e| Failure(format!("生成搜索索引 {INDEX_FILE} 失败：{e}")))?;
    Ok(json)
}

/// The list of index files a search page loads, relative to the page: the unit's own, or every
/// unit's for the whole-site search page at `search/`.
pub fn index_urls(catalog: &Catalog, unit: Option<&Unit>) -> Vec<String> {
    match unit {
        Some(_) => vec![format!("../{INDEX_FILE}")],
        None => catalog
            .units
            .iter()
            .map(|u| {
                let dir: String = PageDir::from_path(&u.path)
                    .0
                    .iter()
                    .map(|s| format!("{}/", encode(s)))
                    .collect();
                format!("../{dir}{INDEX_FILE}")
            })
            .collect(),
    }
}
