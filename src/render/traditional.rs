//! The 繁體 edition (`traditional = true` in `site.toml`): Guangdong's portals serve every column
//! a second time in Traditional characters. The edition is made from the rendered files, so every
//! word a reader sees is converted, the theme's own text included, and the two editions can never
//! show different content: each page is copied under `zh-hant/` with its text converted by
//! OpenCC's standard Simplified → Traditional tables (`s2t`: STPhrases, then STCharacters; no
//! Taiwan or Hong Kong vocabulary).
//!
//! What is converted in a page: text between tags and the attributes written for people (`title`,
//! `alt`, `aria-label`, `placeholder`, a `<meta>`'s `content`). What is never converted: tag and
//! attribute names, ids, classes, `data-` attributes, scripts and styles, and addresses, which
//! are rewritten instead so that the 繁體 tree is self-contained where it is mirrored and points
//! back to the one 简体 copy where it is not:
//!
//! - pages (folders, `index.html`, `404.html`), each unit's `search.json` and the theme's
//!   scripts and style sheet are mirrored: a relative link to them works unchanged under
//!   `zh-hant/`, and an absolute one (`base_url…`) gets `zh-hant/` inserted;
//! - attachments, feeds, sitemaps, open data, the printed guide (`<unit>/book.pdf`,
//!   `<unit>/book/`) and theme images are not duplicated: links to them go up out of
//!   `zh-hant/` to the 简体 tree;
//! - a link into `zh-hant/` is the page's link to its other edition (marked
//!   `hreflang="zh-Hant"`): in the 繁體 copy it leads back to the 简体 page and reads 简体.
//!
//! The copies join the batch of the files they were made from, so the build manifest, the
//! incremental build and the removal of stale files treat them like any other page.

use super::OutputFile;
use super::links::encode;
use crate::failure::Failure;
use crate::model::Catalog;
use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use std::collections::BTreeSet;

pub use crate::model::EDITION_DIR;
/// The language of the 繁體 pages (`<html lang>`).
pub const LANG: &str = "zh-Hant";
/// The language the 繁體 pages' link back to the 简体 edition is marked with.
const SIMPLIFIED_LANG: &str = "zh-Hans";
/// What the 繁體 pages' link back to the 简体 edition reads.
const SIMPLIFIED_LABEL: &str = "简体";

/// Attributes whose value is text for people, converted like the page's text.
const HUMAN_ATTRIBUTES: [&str; 7] = [
    "title",
    "alt",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "placeholder",
    "label",
];
/// Attributes whose value is an address.
const URL_ATTRIBUTES: [&str; 5] = ["href", "src", "action", "cite", "poster"];

/// The converter and what it must know of the site to keep every link alive.
pub struct Edition {
    opencc: OpenCC,
    base_url: String,
    /// Every unit's folder, percent-encoded as links write it (`shiqu/shizhen`).
    units: BTreeSet<String>,
}

impl Edition {
    /// The 繁體 edition of `catalog`'s site, or `None` when `site.toml` does not ask for it.
    pub fn of(catalog: &Catalog) -> Result<Option<Edition>, Failure> {
        if !catalog.site.traditional {
            return Ok(None);
        }
        let opencc = OpenCC::from_config(BuiltinConfig::S2t)
            .map_err(|e| Failure::new(format!("无法载入简繁转换表（OpenCC s2t）：{e}")))?;
        let units = catalog
            .units
            .iter()
            .map(|u| u.path.split('/').map(encode).collect::<Vec<_>>().join("/"))
            .collect();
        Ok(Some(Edition {
            opencc,
            base_url: catalog.site.base_url.clone(),
            units,
        }))
    }

    /// `text` in Traditional characters (OpenCC `s2t`). Only Chinese characters change.
    pub fn convert(&self, text: &str) -> String {
        self.opencc.convert(text)
    }

    /// The 繁體 copies of those of `files` the edition mirrors, at `zh-hant/<path>`.
    pub fn copies(&self, files: &[OutputFile]) -> Vec<OutputFile> {
        files
            .iter()
            .filter_map(|file| {
                let OutputFile::Bytes { path, bytes } = file else {
                    return None;
                };
                let segments: Vec<String> = path.split('/').map(encode).collect();
                if !self.mirrored(&segments, false) {
                    return None;
                }
                let text = std::str::from_utf8(bytes).ok()?;
                let converted = if path.ends_with(".html") {
                    self.page(&segments[..segments.len() - 1], text)
                } else if path.ends_with(super::search::INDEX_FILE) {
                    with_fold(text, self.convert(text))
                } else {
                    // An index (JSON whose addresses are percent-encoded ASCII) or a script or
                    // style sheet (ASCII syntax): only the Chinese text in them changes.
                    self.convert(text)
                };
                Some(OutputFile::Bytes {
                    path: format!("{EDITION_DIR}/{path}"),
                    bytes: converted.into_bytes(),
                })
            })
            .collect()
    }

    /// Whether the file or folder at `segments` (percent-encoded, from the site root) has a
    /// copy in the 繁體 edition.
    fn mirrored(&self, segments: &[String], folder: bool) -> bool {
        let parent = |n: usize| segments[..segments.len().saturating_sub(n)].join("/");
        let Some(last) = segments.last() else {
            return true; // the site root
        };
        let printed_guide = |folder_name: &str, n: usize| {
            folder_name == crate::model::BOOK_DIR && self.units.contains(&parent(n))
        };
        if folder {
            return !printed_guide(last, 1);
        }
        match last.as_str() {
            "index.html" => segments.len() < 2 || !printed_guide(&segments[segments.len() - 2], 2),
            "404.html" => segments.len() == 1,
            super::search::INDEX_FILE => self.units.contains(&parent(1)),
            name => {
                segments[0] == super::STATIC_DIR
                    && (name.ends_with(".js") || name.ends_with(".css"))
            }
        }
    }

    /// The 繁體 copy of the page whose folder is `dir` (percent-encoded segments).
    fn page(&self, dir: &[String], html: &str) -> String {
        let mut out = String::with_capacity(html.len() + html.len() / 4);
        let mut rest = html;
        // Inside the link to the other edition: its text is replaced.
        let mut in_switch = false;
        while !rest.is_empty() {
            let Some(open) = rest.find('<') else {
                self.text(&mut out, rest, in_switch);
                break;
            };
            self.text(&mut out, &rest[..open], in_switch);
            rest = &rest[open..];
            if let Some(comment) = rest.strip_prefix("<!--") {
                let end = comment.find("-->").map_or(rest.len(), |e| e + 4 + 3);
                out.push_str(&rest[..end]);
                rest = &rest[end..];
                continue;
            }
            let end = tag_end(rest);
            let tag = &rest[..end];
            rest = &rest[end..];
            if tag.starts_with("</") || tag.starts_with("<!") || !tag.ends_with('>') {
                if tag
                    .get(2..)
                    .is_some_and(|n| n.trim_end_matches('>').trim().eq_ignore_ascii_case("a"))
                {
                    in_switch = false;
                }
                out.push_str(tag);
                continue;
            }
            let (name, attributes) = parse_tag(tag);
            in_switch |= self.start_tag(&mut out, dir, &name, &attributes, tag);
            // Scripts and styles are copied as they are, up to their end tag.
            if name == "script" || name == "style" {
                let close = format!("</{name}");
                let end = rest.to_ascii_lowercase().find(&close).unwrap_or(rest.len());
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            }
        }
        out
    }

    /// Text between tags: converted, or, inside the link to the 简体 edition, its label.
    fn text(&self, out: &mut String, text: &str, in_switch: bool) {
        if in_switch {
            if !text.trim().is_empty() {
                out.push_str(SIMPLIFIED_LABEL);
            }
        } else if text.bytes().any(|b| b >= 0x80) {
            out.push_str(&self.convert(text));
        } else {
            out.push_str(text);
        }
    }

    /// Writes the 繁體 form of a start tag; returns whether it opens the link to the other
    /// edition.
    fn start_tag(
        &self,
        out: &mut String,
        dir: &[String],
        name: &str,
        attributes: &[Attribute<'_>],
        original: &str,
    ) -> bool {
        // The link to the 繁體 page: marked so, and leading into `zh-hant/` (a link of an
        // entry's text may be marked zh-Hant too, but never leads there).
        let value = |n: &str| {
            attributes
                .iter()
                .find(|a| a.name.eq_ignore_ascii_case(n))
                .and_then(|a| a.value)
        };
        let switch = name == "a"
            && value("hreflang") == Some(LANG)
            && value("href").is_some_and(|href| self.leads_into_edition(dir, href));
        out.push('<');
        out.push_str(&original[1..1 + name.len()]);
        for a in attributes {
            out.push(' ');
            out.push_str(a.name);
            let Some(value) = a.value else { continue };
            let lower = a.name.to_ascii_lowercase();
            // A `<meta>`'s content is an address (`Url`) or text (`ArticleTitle`).
            let address = URL_ATTRIBUTES.contains(&lower.as_str())
                || (lower == "content" && value.starts_with(&self.base_url));
            let new = if address {
                self.link(dir, value)
            } else if lower == "content" || HUMAN_ATTRIBUTES.contains(&lower.as_str()) {
                Some(self.convert(value))
            } else if lower == "lang" && name == "html" {
                Some(LANG.to_owned())
            } else if switch && (lower == "lang" || lower == "hreflang") {
                Some(SIMPLIFIED_LANG.to_owned())
            } else {
                None
            };
            out.push('=');
            out.push(a.quote);
            out.push_str(new.as_deref().unwrap_or(value));
            out.push(a.quote);
        }
        out.push_str(if original.ends_with("/>") { "/>" } else { ">" });
        switch
    }

    /// The address `href`, written in the page at `dir`, as the 繁體 copy of that page must
    /// write it; `None` when it stays as it is.
    fn link(&self, dir: &[String], href: &str) -> Option<String> {
        let split = href.find(['?', '#']).unwrap_or(href.len());
        let (path, suffix) = href.split_at(split);
        if let Some(site_path) = path.strip_prefix(&self.base_url) {
            let (segments, folder) = resolve(&[], site_path)?;
            let target = if segments.first().map(String::as_str) == Some(EDITION_DIR) {
                join(&segments[1..], folder)
            } else if self.mirrored(&segments, folder) {
                format!("{EDITION_DIR}/{}", join(&segments, folder))
            } else {
                return None;
            };
            return Some(format!("{}{target}{suffix}", self.base_url));
        }
        if path.is_empty() || path.starts_with('/') || has_scheme(path) {
            return self.page_address_in_query(href);
        }
        let (segments, folder) = resolve(dir, path)?;
        let up = "../".repeat(dir.len() + 1);
        if segments.first().map(String::as_str) == Some(EDITION_DIR) {
            Some(format!("{up}{}{suffix}", join(&segments[1..], folder)))
        } else if self.mirrored(&segments, folder) {
            None
        } else {
            Some(format!("{up}{}{suffix}", join(&segments, folder)))
        }
    }
}

/// A converted search index with its `fold`: the pairs (Traditional character, the Simplified one
/// it was converted from) that `search.js` folds both the query and the text with, so that a
/// query typed in either script finds the 繁體 text. Only one-for-one pairs of single UTF-16
/// units are kept, so folding never moves a match's position in the text it highlights.
fn with_fold(original: &str, converted: String) -> String {
    let mut pairs = std::collections::BTreeMap::new();
    if original.chars().count() == converted.chars().count() {
        for (s, t) in original.chars().zip(converted.chars()) {
            if s != t && s.len_utf16() == 1 && t.len_utf16() == 1 {
                pairs.entry(t).or_insert(s);
            }
        }
    }
    let Some(object) = converted.trim_end().strip_suffix('}') else {
        return converted;
    };
    let fold: String = pairs.iter().flat_map(|(t, s)| [*t, *s]).collect();
    format!("{object},\"fold\":\"{fold}\"}}")
}

impl Edition {
    /// Whether `href`, written in the page at `dir`, leads into the 繁體 edition.
    fn leads_into_edition(&self, dir: &[String], href: &str) -> bool {
        let path = href.split(['?', '#']).next().unwrap_or("");
        let resolved = match path.strip_prefix(&self.base_url) {
            Some(site_path) => resolve(&[], site_path),
            None if has_scheme(path) || path.starts_with('/') => None,
            None => resolve(dir, path),
        };
        resolved
            .is_some_and(|(segments, _)| segments.first().map(String::as_str) == Some(EDITION_DIR))
    }

    /// An outside address that carries a page of this site in its query, as the 我为政府网站找错
    /// link does (`…&url=<the page's address, percent-encoded>`), names the 繁體 page instead.
    fn page_address_in_query(&self, href: &str) -> Option<String> {
        let marker = format!("={}", encode(&self.base_url));
        let at = href.find(&marker)? + marker.len();
        let value = href[at..].split('&').next().unwrap_or("");
        // Only pages (folders) are mirrored.
        let folder = value.is_empty() || value.ends_with("%2F");
        (folder && !value.starts_with(&format!("{EDITION_DIR}%2F")))
            .then(|| format!("{}{EDITION_DIR}%2F{}", &href[..at], &href[at..]))
    }
}

/// One attribute of a start tag: its name and (unescaped-as-written) value.
struct Attribute<'a> {
    name: &'a str,
    value: Option<&'a str>,
    quote: char,
}

/// Where the tag starting `text` (at its `<`) ends: after its `>`, skipping `>` inside quoted
/// attribute values.
fn tag_end(text: &str) -> usize {
    let mut quote = None;
    for (i, c) in text.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    text.len()
}

/// A start tag's lowercased name and its attributes.
fn parse_tag(tag: &str) -> (String, Vec<Attribute<'_>>) {
    let body = tag[1..].trim_end_matches('>').trim_end_matches('/');
    let name_end = body
        .find(|c: char| c.is_ascii_whitespace())
        .unwrap_or(body.len());
    let name = body[..name_end].to_ascii_lowercase();
    let mut rest = &body[name_end..];
    let mut attributes = Vec::new();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let end = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '=')
            .unwrap_or(rest.len());
        let attr_name = &rest[..end];
        rest = rest[end..].trim_start();
        let Some(after) = rest.strip_prefix('=') else {
            attributes.push(Attribute {
                name: attr_name,
                value: None,
                quote: '"',
            });
            continue;
        };
        let after = after.trim_start();
        let (value, quote, next) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let close = after[1..].find(q).map_or(after.len(), |c| c + 1);
                (&after[1..close], q, (close + 1).min(after.len()))
            }
            _ => {
                let close = after
                    .find(|c: char| c.is_ascii_whitespace())
                    .unwrap_or(after.len());
                (&after[..close], '"', close)
            }
        };
        attributes.push(Attribute {
            name: attr_name,
            value: Some(value),
            quote,
        });
        rest = &after[next..];
    }
    (name, attributes)
}

/// Whether `path` starts with a scheme (`https:`, `mailto:`, `tel:`, …).
fn has_scheme(path: &str) -> bool {
    path.find(':')
        .is_some_and(|colon| !path[..colon].contains('/'))
}

/// `path` resolved against the folder `dir`: its segments from the site root and whether it
/// names a folder; `None` when it climbs above the root.
fn resolve(dir: &[String], path: &str) -> Option<(Vec<String>, bool)> {
    let mut segments: Vec<String> = dir.to_vec();
    let parts: Vec<&str> = path.split('/').collect();
    let mut folder = false;
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        match *part {
            ".." => {
                segments.pop()?;
                folder = last;
            }
            "." | "" => folder = last,
            segment => {
                segments.push(segment.to_owned());
                folder = false;
            }
        }
    }
    Some((segments, folder))
}

/// Segments joined into a path, with a trailing `/` for a folder.
fn join(segments: &[String], folder: bool) -> String {
    let mut path = segments.join("/");
    if folder && !segments.is_empty() {
        path.push('/');
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edition() -> Edition {
        Edition {
            opencc: OpenCC::from_config(BuiltinConfig::S2t).unwrap_or_else(|e| panic!("{e}")),
            base_url: "https://example.gov.cn/".into(),
            units: ["shiqu".to_owned(), "shiqu/shizhen".to_owned()].into(),
        }
    }

    fn dir(path: &str) -> Vec<String> {
        path.split('/').map(str::to_owned).collect()
    }

    #[test]
    fn ascii_and_markup_characters_pass_unchanged() {
        let e = edition();
        let ascii: String = (0x20u8..0x7f).map(char::from).collect();
        assert_eq!(e.convert(&ascii), ascii);
        assert_eq!(
            e.convert("社会救助〔2024〕12号《规定》"),
            "社會救助〔2024〕12號《規定》"
        );
    }

    #[test]
    fn links_stay_in_the_edition_or_reach_the_one_copy() {
        let e = edition();
        let here = dir("shiqu/shehui-jiuzhu/dibao/2025");
        // Pages: unchanged.
        assert_eq!(e.link(&here, "../../"), None);
        assert_eq!(e.link(&here, "../../../../"), None);
        assert_eq!(e.link(&here, "../../../../static/style.css"), None);
        // Attachments, feeds, the printed guide: the 简体 copy.
        assert_eq!(
            e.link(&here, "%E5%90%8D%E5%8D%95.csv"),
            Some("../../../../../shiqu/shehui-jiuzhu/dibao/2025/%E5%90%8D%E5%8D%95.csv".into())
        );
        assert_eq!(
            e.link(&dir("shiqu"), "book/"),
            Some("../../shiqu/book/".into())
        );
        assert_eq!(
            e.link(&dir("shiqu"), "atom.xml"),
            Some("../../shiqu/atom.xml".into())
        );
        // The other edition: back to the 简体 page.
        assert_eq!(
            e.link(&dir("shiqu"), "../zh-hant/shiqu/#top"),
            Some("../../shiqu/#top".into())
        );
        // Absolute addresses of the site, and others.
        assert_eq!(
            e.link(&here, "https://example.gov.cn/shiqu/"),
            Some("https://example.gov.cn/zh-hant/shiqu/".into())
        );
        assert_eq!(e.link(&here, "https://www.gov.cn/"), None);
        // The 找错 report names the page the reader is on.
        assert_eq!(
            e.link(&here, "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=1&amp;url=https%3A%2F%2Fexample.gov.cn%2Fshiqu%2F"),
            Some("https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=1&amp;url=https%3A%2F%2Fexample.gov.cn%2Fzh-hant%2Fshiqu%2F".into())
        );
        assert_eq!(e.link(&here, "mailto:a@b.cn"), None);
        assert_eq!(e.link(&here, "#main"), None);
    }

    #[test]
    fn a_page_keeps_its_markup_and_converts_its_words() {
        let e = edition();
        let html = concat!(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><title>社会救助</title>",
            "<meta name=\"Url\" content=\"https://example.gov.cn/shiqu/\">",
            "<script>var 说 = \"这\";</script></head><body class=\"社会\">",
            "<a href=\"../zh-hant/shiqu/\" hreflang=\"zh-Hant\" lang=\"zh-Hant\">繁體</a>",
            "<!-- 注释 --><img src=\"%E5%9B%BE.png\" alt=\"图表\" title='说明'><p>发布机构</p></body></html>"
        );
        // A link of an entry's text marked zh-Hant is an ordinary link.
        assert_eq!(
            e.page(
                &dir("shiqu"),
                "<a href=\"https://www.gov.hk/\" hreflang=\"zh-Hant\">香港政府</a>"
            ),
            "<a href=\"https://www.gov.hk/\" hreflang=\"zh-Hant\">香港政府</a>"
        );
        assert_eq!(
            e.page(&dir("shiqu"), html),
            concat!(
                "<!DOCTYPE html>\n<html lang=\"zh-Hant\"><head><title>社會救助</title>",
                "<meta name=\"Url\" content=\"https://example.gov.cn/zh-hant/shiqu/\">",
                "<script>var 说 = \"这\";</script></head><body class=\"社会\">",
                "<a href=\"../../shiqu/\" hreflang=\"zh-Hans\" lang=\"zh-Hans\">简体</a>",
                "<!-- 注释 --><img src=\"../../shiqu/%E5%9B%BE.png\" alt=\"圖表\" title='說明'><p>發佈機構</p></body></html>"
            )
        );
    }
}
