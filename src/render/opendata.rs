//! Open data (可检索、可核查、可利用): per unit, `catalog.json` and `catalog.csv` listing every
//! applicable item and every entry with its metadata (有效性 as on the build's date) and URL; a
//! site-wide `data/index.json`
//! lists those files. The JSON shape is documented in `docs/open-data.md` and carries a
//! `schema_version`.

use super::date;
use super::links::PageDir;
use crate::model::{Catalog, Domain, Entry, Item, Link, Relations, Unit};
use serde::Serialize;

/// The open-data JSON schema version.
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Serialize)]
struct UnitData<'a> {
    schema_version: u32,
    unit: UnitInfo<'a>,
    items: Vec<ItemData<'a>>,
}

#[derive(Serialize)]
struct UnitInfo<'a> {
    path: &'a str,
    name: &'a str,
    level: &'static str,
    code: &'a str,
    publisher: &'a str,
    url: String,
}

#[derive(Serialize)]
struct ItemData<'a> {
    domain: &'a str,
    domain_name: &'a str,
    item: &'a str,
    level1: &'a str,
    level2: &'a str,
    /// 三级事项, where the standard splits the 二级事项.
    level3: Option<&'a str>,
    local: bool,
    deadline: &'a str,
    status: &'static str,
    exempt_reason: Option<&'a str>,
    url: String,
    entries: Vec<EntryData<'a>>,
}

#[derive(Serialize)]
struct EntryData<'a> {
    title: &'a str,
    url: String,
    index_no: &'a str,
    doc_no: Option<&'a str>,
    publisher: &'a str,
    topic: Option<&'a str>,
    created: String,
    published: String,
    updated: Option<String>,
    validity: &'static str,
    expires: Option<String>,
    summary: Option<&'a str>,
    effective: Option<String>,
    repealed_on: Option<String>,
    keywords: &'a [String],
    normative: bool,
    consultation: Option<ConsultationData>,
    relations: RelationsData,
}

#[derive(Serialize)]
struct ConsultationData {
    opens: String,
    closes: String,
}

/// An entry's relations, each seen from this side (schema version 2).
#[derive(Serialize)]
struct RelationsData {
    interprets: Vec<RelatedData>,
    interpretations: Vec<RelatedData>,
    consultation: Option<RelatedData>,
    responses: Vec<RelatedData>,
    responds_to: Option<RelatedData>,
    outcomes: Vec<RelatedData>,
    replaces: Vec<RelatedData>,
    replaced_by: Vec<RelatedData>,
}

#[derive(Serialize)]
struct RelatedData {
    index_no: String,
    title: String,
    url: String,
}

fn relations_data(base: &str, r: &Relations) -> RelationsData {
    let one = |l: &Link| RelatedData {
        index_no: l.index_no.clone(),
        title: l.title.clone(),
        url: PageDir::of_link(l).url(base),
    };
    let many = |ls: &[Link]| ls.iter().map(one).collect();
    RelationsData {
        interprets: many(&r.interprets),
        interpretations: many(&r.interpretations),
        consultation: r.consultation.as_ref().map(one),
        responses: many(&r.responses),
        responds_to: r.responds_to.as_ref().map(one),
        outcomes: many(&r.outcomes),
        replaces: many(&r.replaces),
        replaced_by: many(&r.replaced_by),
    }
}

/// An applicable item of a unit: (domain index, item index).
fn applicable(catalog: &Catalog, unit: &Unit) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (d, domain) in catalog.standard.domains.iter().enumerate() {
        for (i, item) in domain.items.iter().enumerate() {
            if item.applies_to(unit.level) {
                out.push((d, i));
            }
        }
    }
    out
}

/// Where an item is shown: its page when it has entries, else its row in the domain's
/// catalogue table (an item with nothing published has no page).
fn item_url(
    base: &str,
    unit_dir: &PageDir,
    domain: &Domain,
    item: &Item,
    entries: &[Entry],
) -> String {
    let domain_dir = unit_dir.join(&[&domain.id]);
    if entries.is_empty() {
        format!(
            "{}#item-{}",
            domain_dir.url(base),
            super::links::encode(&item.id)
        )
    } else {
        domain_dir.join(&[&item.id]).url(base)
    }
}

fn status(
    unit: &Unit,
    entries: &[Entry],
    domain: &str,
    item: &str,
) -> (&'static str, &'static str) {
    if !entries.is_empty() {
        ("covered", "已公开")
    } else if unit.exemption(domain, item).is_some() {
        ("exempt", "本级不涉及")
    } else {
        ("missing", "暂无信息")
    }
}

/// `catalog.json` for a unit.
pub fn unit_json(catalog: &Catalog, unit: &Unit) -> Vec<u8> {
    let base = &catalog.site.base_url;
    let unit_dir = PageDir::from_path(&unit.path);
    let items = applicable(catalog, unit)
        .into_iter()
        .map(|(d, i)| {
            let domain = &catalog.standard.domains[d];
            let item = &domain.items[i];
            let entries = unit.item_entries(d, i);
            let item_dir = unit_dir.join(&[&domain.id, &item.id]);
            ItemData {
                domain: &domain.id,
                domain_name: &domain.name,
                item: &item.id,
                level1: &item.level1,
                level2: &item.level2,
                level3: item.level3.as_deref(),
                local: item.local,
                deadline: &item.deadline,
                status: status(unit, entries, &domain.id, &item.id).0,
                exempt_reason: unit.exemption(&domain.id, &item.id),
                url: item_url(base, &unit_dir, domain, item, entries),
                entries: entries
                    .iter()
                    .map(|e| EntryData {
                        title: &e.title,
                        url: item_dir.join(&[&e.slug]).url(base),
                        index_no: &e.index_no,
                        doc_no: e.doc_no.as_deref(),
                        publisher: &e.publisher,
                        topic: e.topic.as_deref(),
                        created: e.created.to_string(),
                        published: e.published.to_string(),
                        updated: date(e.updated),
                        validity: e.validity_at(catalog.as_of).as_str(),
                        expires: date(e.expires),
                        summary: e.summary.as_deref(),
                        effective: date(e.effective),
                        repealed_on: date(e.repealed_on),
                        keywords: &e.keywords,
                        normative: e.normative,
                        consultation: e.consultation.map(|c| ConsultationData {
                            opens: c.opens.to_string(),
                            closes: c.closes.to_string(),
                        }),
                        relations: relations_data(base, &e.relations),
                    })
                    .collect(),
            }
        })
        .collect();
    let data = UnitData {
        schema_version: SCHEMA_VERSION,
        unit: UnitInfo {
            path: &unit.path,
            name: &unit.name,
            level: unit.level.label(),
            code: &unit.code,
            publisher: &unit.publisher,
            url: unit_dir.url(base),
        },
        items,
    };
    // About 700 bytes an item and 1,500 an entry, so the buffer seldom grows while it is written.
    let entries: usize = data.items.iter().map(|item| item.entries.len()).sum();
    let mut json = Vec::with_capacity(data.items.len() * 700 + entries * 1500);
    if serde_json::to_writer_pretty(&mut json, &data).is_err() {
        json.clear();
    }
    json.push(b'\n');
    json
}

/// One cell of a CSV file gongkai writes; every CSV writer goes through it. A cell a spreadsheet
/// would evaluate as a formula (OWASP's CSV injection advice: starting with `=`, `+`, `-`, `@`,
/// a tab or a carriage return, or the full-width `＝＋－＠` an input method types) gets a
/// leading `'`, which Excel and WPS show as text and hide; then a cell holding a comma, quote or
/// line break is quoted. No CSV gongkai writes has a number column (dates are `YYYY-MM-DD`
/// text), so no negative number is touched.
pub fn csv_cell(s: &str) -> String {
    let mut cell = String::with_capacity(s.len() + 2);
    push_csv_cell(&mut cell, s);
    cell
}

/// [`csv_cell`] appended to `out`, without a string of its own.
fn push_csv_cell(out: &mut String, s: &str) {
    let quoted = s.contains([',', '"', '\n', '\r']);
    if quoted {
        out.push('"');
    }
    if s.starts_with(['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠']) {
        out.push('\'');
    }
    if quoted {
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// `catalog.csv` for a unit: UTF-8 with BOM (so Excel shows the Chinese correctly), one row per
/// entry, and one row for each applicable item without entries.
pub fn unit_csv(catalog: &Catalog, unit: &Unit) -> Vec<u8> {
    let base = &catalog.site.base_url;
    let unit_dir = PageDir::from_path(&unit.path);
    let mut out = String::from(
        "\u{feff}领域,一级事项,二级事项,事项状态,标题,索引号,文号,发布机构,成文日期,发布日期,变更日期,有效性,网址,三级事项\r\n",
    );
    for (d, i) in applicable(catalog, unit) {
        let domain = &catalog.standard.domains[d];
        let item = &domain.items[i];
        let entries = unit.item_entries(d, i);
        let item_dir = unit_dir.join(&[&domain.id, &item.id]);
        let state = status(unit, entries, &domain.id, &item.id).1;
        let head = [domain.name.as_str(), &item.level1, &item.level2, state]
            .map(csv_cell)
            .join(",");
        // The 三级事项 column came later than the others, so it is the last one.
        let level3 = csv_cell(item.level3.as_deref().unwrap_or(""));
        if entries.is_empty() {
            out.push_str(&format!(
                "{head},,,,,,,,,{},{level3}\r\n",
                csv_cell(&item_url(base, &unit_dir, domain, item, entries))
            ));
        }
        for e in entries {
            out.push_str(&head);
            let validity = e.validity_at(catalog.as_of).label();
            let url = item_dir.join(&[&e.slug]).url(base);
            let dates = [Some(e.created), Some(e.published), e.updated].map(date);
            let fields = [
                e.title.as_str(),
                &e.index_no,
                e.doc_no.as_deref().unwrap_or(""),
                &e.publisher,
                dates[0].as_deref().unwrap_or(""),
                dates[1].as_deref().unwrap_or(""),
                dates[2].as_deref().unwrap_or(""),
                validity,
                &url,
            ];
            for field in fields {
                out.push(',');
                push_csv_cell(&mut out, field);
            }
            out.push(',');
            out.push_str(&level3);
            out.push_str("\r\n");
        }
    }
    out.into_bytes()
}

#[derive(Serialize)]
struct SiteIndex<'a> {
    schema_version: u32,
    site: &'a str,
    units: Vec<IndexUnit<'a>>,
}

#[derive(Serialize)]
struct IndexUnit<'a> {
    path: &'a str,
    name: &'a str,
    level: &'static str,
    json: String,
    csv: String,
    feed: String,
}

/// `data/index.json`: every unit's open-data files and feed.
pub fn site_index(catalog: &Catalog) -> Vec<u8> {
    let base = &catalog.site.base_url;
    let index = SiteIndex {
        schema_version: SCHEMA_VERSION,
        site: &catalog.site.title,
        units: catalog
            .units
            .iter()
            .map(|u| {
                let url = PageDir::from_path(&u.path).url(base);
                IndexUnit {
                    path: &u.path,
                    name: &u.name,
                    level: u.level.label(),
                    json: format!("{url}catalog.json"),
                    csv: format!("{url}catalog.csv"),
                    feed: format!("{url}{}", super::feeds::FEED_FILE),
                }
            })
            .collect(),
    };
    let mut json = serde_json::to_vec_pretty(&index).unwrap_or_default();
    json.push(b'\n');
    json
}

#[cfg(test)]
mod tests {
    #[test]
    fn formula_cells_are_made_inert_then_quoted() {
        use super::csv_cell;
        assert_eq!(csv_cell("=1+1"), "'=1+1");
        assert_eq!(csv_cell("=SUM(A1,B1)"), "\"'=SUM(A1,B1)\"");
        assert_eq!(csv_cell("＠通知"), "'＠通知");
        assert_eq!(csv_cell("通知-1"), "通知-1");
        assert_eq!(csv_cell("2024-06-03"), "2024-06-03");
        assert_eq!(csv_cell("a\"b"), "\"a\"\"b\"");
    }
}
