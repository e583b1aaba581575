//! The catalog's files exactly as written: serde structs with `deny_unknown_fields`, every value
//! that later validation reports on wrapped in [`Spanned`] so its line can be named. Nothing here
//! is checked beyond its TOML type; `crate::validate` turns these into the typed model.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// `site.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    pub title: Spanned<String>,
    pub base_url: Spanned<String>,
    pub site_id_code: Spanned<String>,
    pub organizer: Spanned<String>,
    pub icp: Spanned<String>,
    pub police_record: Option<String>,
    pub theme: Option<Spanned<String>>,
    pub language: Option<String>,
    pub font_dir: Option<String>,
    pub error_report: Option<bool>,
    pub conac_url: Option<Spanned<String>>,
    pub conac_image: Option<Spanned<String>>,
    pub book: Option<bool>,
    pub active_attachments: Option<bool>,
}

/// `standard/<domain-id>.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDomain {
    pub id: Spanned<String>,
    pub name: Spanned<String>,
    pub order: Spanned<i64>,
    pub guideline: String,
    pub issuer: String,
    pub notes: Option<String>,
    #[serde(default)]
    pub items: Vec<RawItem>,
}

/// `standard/local/<domain-id>.toml`: a district's own items (本级补充事项) for a domain.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLocalDomain {
    pub notes: Option<String>,
    #[serde(default)]
    pub items: Vec<RawItem>,
}

/// One `[[items]]` row of a standard file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawItem {
    pub id: Spanned<String>,
    pub level1: String,
    pub level2: Spanned<String>,
    pub content: String,
    pub basis: String,
    pub deadline: String,
    pub cadence: Option<Spanned<String>>,
    pub limit_days: Option<Spanned<i64>>,
    pub limit_unit: Option<Spanned<String>>,
    pub subject: String,
    pub channels: Vec<String>,
    pub audience: Spanned<String>,
    pub mode: Spanned<String>,
    pub levels: Spanned<Vec<String>>,
    #[serde(default)]
    pub extra: BTreeMap<String, String>,
}

/// `calendar/<year>.toml`: one State Council holiday notice.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCalendar {
    pub year: Spanned<i64>,
    pub notice: Option<String>,
    pub amended: Option<String>,
    #[serde(default)]
    pub days: Vec<RawCalendarDay>,
}

/// One `[[days]]` row of a calendar file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCalendarDay {
    pub date: Spanned<toml::value::Datetime>,
    pub name: String,
    pub off: bool,
}

/// `units/**/unit.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUnit {
    pub name: Spanned<String>,
    pub level: Spanned<String>,
    pub code: Spanned<String>,
    pub org_code: Spanned<String>,
    pub publisher: Spanned<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub hours: Option<String>,
    pub office: Option<RawOffice>,
    #[serde(default)]
    pub exempt: Vec<RawExempt>,
}

/// `[office]` in `unit.toml`: the 政府信息公开工作机构 (see `crate::model::Office`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOffice {
    pub name: Option<Spanned<String>>,
    pub address: Option<Spanned<String>>,
    pub postcode: Option<Spanned<String>>,
    pub hours: Option<Spanned<String>>,
    pub phone: Option<Spanned<String>>,
    pub fax: Option<Spanned<String>>,
    pub email: Option<Spanned<String>>,
    pub website: Option<Spanned<String>>,
    pub form_url: Option<Spanned<String>>,
    pub notes: Option<Spanned<String>>,
    pub updated: Option<Spanned<toml::value::Datetime>>,
}

/// One `[[exempt]]` row: an item that does not apply to this unit (本级不涉及).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExempt {
    pub item: Spanned<String>,
    pub reason: Spanned<String>,
}

/// An entry's front matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEntryMeta {
    pub title: Spanned<String>,
    pub created: Spanned<toml::Value>,
    pub published: Spanned<toml::Value>,
    pub updated: Option<Spanned<toml::Value>>,
    pub doc_no: Option<Spanned<String>>,
    pub index_no: Option<Spanned<String>>,
    pub publisher: Option<Spanned<String>>,
    pub validity: Option<Spanned<String>>,
    pub expires: Option<Spanned<toml::Value>>,
    pub topic: Option<Spanned<String>>,
    pub summary: Option<Spanned<String>>,
    pub privacy_exception: Option<Spanned<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Source, parse_toml, split_front_matter};

    // Entry front matter as clerks type it, or as anything at all, never panics the parser,
    // and every syntax error points at a line of the file.
    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_as_an_entry_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..600)) {
            if let Ok(source) = Source::decode(bytes, "x.md".into())
                && let Ok(fm) = split_front_matter(&source)
            {
                let _ = parse_toml::<RawEntryMeta>(&source, fm.toml, fm.toml_line_offset);
            }
        }

        #[test]
        fn front_matter_shaped_text_never_panics(
            key in "[a-z_\u{3000}\t ]{0,12}",
            value in "[0-9\\-\"“”a-z\u{4e00}-\u{4e10} ]{0,20}",
            body in "\\PC{0,80}",
        ) {
            let text = format!("+++\r\n{key} = {value}\ntitle = \"t\"\n+++\n{body}");
            let source = Source::decode(text.into_bytes(), "x.md".into()).expect("utf-8");
            if let Ok(fm) = split_front_matter(&source)
                && let Err(d) = parse_toml::<RawEntryMeta>(&source, fm.toml, fm.toml_line_offset)
            {
                let line = d.line.expect("a line");
                proptest::prop_assert!(line >= 1 && line as usize <= source.text.lines().count().max(1));
            }
        }
    }
}
