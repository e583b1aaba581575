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
    pub police_record: Option<Spanned<String>>,
    pub theme: Option<Spanned<String>>,
    pub language: Option<String>,
    pub font_dir: Option<String>,
    pub error_report: Option<bool>,
    pub conac_url: Option<Spanned<String>>,
    pub conac_image: Option<Spanned<String>>,
    pub book: Option<bool>,
    pub traditional: Option<bool>,
    pub active_attachments: Option<bool>,
    pub limits: Option<RawLimits>,
    pub interpretation_days: Option<Spanned<i64>>,
    pub backdate_days: Option<Spanned<i64>>,
    pub history_since: Option<Spanned<toml::value::Datetime>>,
    pub change_log: Option<bool>,
}

/// `[limits]` in `site.toml`: how much of an attachment the personal-data scan reads.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLimits {
    pub unpacked_mb: Option<Spanned<i64>>,
    pub cells: Option<Spanned<i64>>,
    pub cell_chars: Option<Spanned<i64>>,
    pub shared_strings: Option<Spanned<i64>>,
    pub pdf_stream_mb: Option<Spanned<i64>>,
    pub pdf_page_items: Option<Spanned<i64>>,
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
    /// Keys every item of the file inherits unless it sets them.
    pub defaults: Option<Spanned<RawItem>>,
    #[serde(default)]
    pub items: Vec<Spanned<RawItem>>,
}

/// `standard/local/<domain-id>.toml`: a district's own items (本级补充事项) for a domain.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLocalDomain {
    pub notes: Option<String>,
    /// Keys every item of the file inherits unless it sets them.
    pub defaults: Option<Spanned<RawItem>>,
    #[serde(default)]
    pub items: Vec<Spanned<RawItem>>,
}

/// One `[[items]]` row of a standard file, or its `[defaults]` table. Every key may be left out
/// here: an item takes what it lacks from `[defaults]`, and validation reports a required key
/// that neither gives.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawItem {
    pub id: Option<Spanned<String>>,
    pub level1: Option<Spanned<String>>,
    pub level2: Option<Spanned<String>>,
    pub level3: Option<Spanned<String>>,
    pub content: Option<Spanned<String>>,
    pub basis: Option<Spanned<String>>,
    pub deadline: Option<Spanned<String>>,
    pub cadence: Option<Spanned<String>>,
    pub limit_days: Option<Spanned<i64>>,
    pub limit_unit: Option<Spanned<String>>,
    pub subject: Option<Spanned<String>>,
    pub channels: Option<Spanned<Vec<String>>>,
    pub audience: Option<Spanned<String>>,
    pub mode: Option<Spanned<String>>,
    pub levels: Option<Spanned<Vec<String>>>,
    pub extra: Option<BTreeMap<String, String>>,
}

impl RawItem {
    /// The item with every key it lacks taken from `defaults`; `extra` is merged key by key
    /// (the item's own value wins).
    pub fn inheriting(&self, defaults: &RawItem) -> RawItem {
        let extra = match (&defaults.extra, &self.extra) {
            (Some(d), Some(own)) => {
                let mut merged = d.clone();
                merged.extend(own.clone());
                Some(merged)
            }
            (d, own) => own.clone().or_else(|| d.clone()),
        };
        RawItem {
            id: self.id.clone(),
            level1: self.level1.clone().or_else(|| defaults.level1.clone()),
            level2: self.level2.clone().or_else(|| defaults.level2.clone()),
            level3: self.level3.clone().or_else(|| defaults.level3.clone()),
            content: self.content.clone().or_else(|| defaults.content.clone()),
            basis: self.basis.clone().or_else(|| defaults.basis.clone()),
            deadline: self.deadline.clone().or_else(|| defaults.deadline.clone()),
            cadence: self.cadence.clone().or_else(|| defaults.cadence.clone()),
            limit_days: self
                .limit_days
                .clone()
                .or_else(|| defaults.limit_days.clone()),
            limit_unit: self
                .limit_unit
                .clone()
                .or_else(|| defaults.limit_unit.clone()),
            subject: self.subject.clone().or_else(|| defaults.subject.clone()),
            channels: self.channels.clone().or_else(|| defaults.channels.clone()),
            audience: self.audience.clone().or_else(|| defaults.audience.clone()),
            mode: self.mode.clone().or_else(|| defaults.mode.clone()),
            levels: self.levels.clone().or_else(|| defaults.levels.clone()),
            extra,
        }
    }
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
    /// 排列顺序 among sibling units (see `crate::model::Unit::order`).
    pub order: Option<Spanned<i64>>,
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
    pub effective: Option<Spanned<toml::Value>>,
    pub repealed_on: Option<Spanned<toml::Value>>,
    pub keywords: Option<Spanned<Vec<String>>>,
    pub normative: Option<Spanned<bool>>,
    /// A list of 索引号 (one written as a plain string is accepted too).
    pub interprets: Option<Spanned<toml::Value>>,
    pub consultation: Option<Spanned<RawConsultation>>,
    pub responds_to: Option<Spanned<String>>,
    pub consulted_in: Option<Spanned<String>>,
    /// A list of 索引号 (one written as a plain string is accepted too).
    pub replaces: Option<Spanned<toml::Value>>,
}

/// An entry's `consultation = { opens = …, closes = … }`: the comment period of a draft.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConsultation {
    pub opens: Spanned<toml::Value>,
    pub closes: Spanned<toml::Value>,
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
                && let Err(found) = parse_toml::<RawEntryMeta>(&source, fm.toml, fm.toml_line_offset)
            {
                for d in found {
                    let line = d.line.expect("a line");
                    proptest::prop_assert!(line >= 1 && line as usize <= source.text.lines().count().max(1));
                }
            }
        }
    }
}
