//! Link and image targets in entry bodies: a relative target may not climb out of the catalog
//! folder, and absolute paths or `file:` URLs are refused, so nothing from a clerk's disk is
//! referenced by, or published on, the public site. Raw HTML pasted into a body is checked too:
//! its URL attributes are read by the sanitizer's own HTML parser
//! ([`crate::markup::raw_html_urls`]), so the targets checked are exactly the ones
//! published (character references decoded), and percent-encoded dots and slashes (`%2e%2e%2f`)
//! are decoded before a path is walked, as a browser or web server would.
//! The relative targets are kept with the entry ([`relative_links`]) for the audit, which
//! checks that they lead somewhere.

use crate::markup::{Parsed, raw_html_urls};
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::borrow::Cow;

/// A link target that points outside the catalog, with the 1-based line in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsafeLink {
    /// The target as written.
    pub target: String,
    /// Line within the body (1-based).
    pub line: u32,
    /// Why it is refused, in Chinese.
    pub why: &'static str,
}

/// A piece of raw HTML in a body: its text, and where each of its parts starts in the body
/// (an HTML block comes as one part per line, each without the block quote's `>` marks).
#[derive(Default)]
pub(super) struct RawHtml {
    pub(super) text: String,
    /// (offset in `text`, offset in the body) of each part.
    parts: Vec<(usize, usize)>,
}

impl RawHtml {
    /// Adds a part found at body offset `at`.
    pub(super) fn push(&mut self, piece: &str, at: usize) {
        self.parts.push((self.text.len(), at));
        self.text.push_str(piece);
    }

    /// The body offset of offset `at` in the text.
    pub(super) fn body_offset(&self, at: usize) -> usize {
        let (text_start, body_start) = self
            .parts
            .iter()
            .rev()
            .find(|(t, _)| *t <= at)
            .copied()
            .unwrap_or((0, 0));
        body_start + (at - text_start)
    }

    /// The body offset of `url` as written in this HTML (its first part's if it is not written
    /// literally, e.g. with character references).
    fn offset_of(&self, url: &str, from: &mut usize) -> usize {
        let found = (!url.is_empty())
            .then(|| self.text.get(*from..)?.find(url).map(|i| *from + i))
            .flatten();
        let Some(at) = found else {
            return self.parts.first().map_or(0, |p| p.1);
        };
        *from = at + url.len();
        self.body_offset(at)
    }
}

/// Checks every link and image target in `body`, Markdown and raw HTML. `depth` is how many
/// folders the entry file's folder lies below the catalog root (e.g. 4 for
/// `units/shiqu/<domain>/<item>/x.md`).
pub fn unsafe_links(body: &Parsed<'_>, depth: usize) -> Vec<UnsafeLink> {
    let line_at = |offset: usize| body.line_at(offset);
    let mut found = Vec::new();
    let mut report = |target: &str, offset: usize| {
        if let Some(why) = problem(target, depth) {
            found.push(UnsafeLink {
                target: target.to_owned(),
                line: line_at(offset),
                why,
            });
            true
        } else {
            false
        }
    };
    // Raw HTML is read piece by piece (an inline tag, a whole HTML block) for the line numbers,
    // then, once more, as the whole body the sanitizer sees, for a tag a piece cannot show
    // (one whose attribute runs on from one HTML block into the next).
    let mut block: Option<RawHtml> = None;
    let mut first_html: Option<usize> = None;
    let mut reported: Vec<String> = Vec::new();
    let mut check_html = |html: RawHtml, report: &mut dyn FnMut(&str, usize) -> bool| {
        let mut from = 0;
        for url in raw_html_urls(&html.text) {
            let at = html.offset_of(&url, &mut from);
            if report(&url, at) {
                reported.push(url);
            }
        }
    };
    for (event, range) in &body.events {
        match event {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                report(dest_url, range.start);
            }
            Event::Start(Tag::HtmlBlock) => block = Some(RawHtml::default()),
            Event::Html(piece) => {
                first_html.get_or_insert(range.start);
                if let Some(block) = &mut block {
                    block.push(piece, range.start);
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(html) = block.take() {
                    check_html(html, &mut report);
                }
            }
            Event::InlineHtml(piece) => {
                first_html.get_or_insert(range.start);
                let mut html = RawHtml::default();
                html.push(piece, range.start);
                check_html(html, &mut report);
            }
            _ => {}
        }
    }
    if let Some(first_html) = first_html {
        for url in raw_html_urls(&html_without_markdown_links(body)) {
            if let Some(i) = reported.iter().position(|r| *r == url) {
                reported.swap_remove(i);
            } else {
                report(&url, first_html);
            }
        }
    }
    found
}

/// The relative link and image targets in `body` with their 1-based lines in the body: those
/// that are paths (`名单.csv`, `../其他/`), not URLs with a scheme, fragments, queries or
/// absolute paths.
pub fn relative_links(body: &Parsed<'_>) -> Vec<(String, u32)> {
    body.events
        .iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if is_relative_path(dest_url) =>
            {
                Some((dest_url.to_string(), body.line_at(range.start)))
            }
            _ => None,
        })
        .collect()
}

/// Whether a target is a relative path: not empty, not only a fragment or query, not absolute,
/// and without a URL scheme (a colon before the first slash).
fn is_relative_path(target: &str) -> bool {
    let t = target.trim();
    let path = t.split(['?', '#']).next().unwrap_or("");
    let scheme = t
        .find(':')
        .is_some_and(|colon| t.find(['/', '\\']).is_none_or(|slash| colon < slash));
    !path.is_empty() && !t.starts_with(['/', '\\']) && !scheme
}

/// The body as HTML, before sanitizing, with Markdown link and image targets left out (they are
/// checked from the Markdown itself, with their own lines).
fn html_without_markdown_links(body: &Parsed<'_>) -> String {
    let events = body.events.iter().map(|(event, _)| match event.clone() {
        Event::Start(Tag::Link {
            link_type,
            title,
            id,
            ..
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            title,
            id,
            ..
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        }),
        other => other,
    });
    let mut html = String::with_capacity(body.text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// Why a link target is refused, if it is. The target is read as a browser reads a URL (tabs
/// and line breaks inside it dropped), and its path with percent-encoding decoded, as a web
/// server maps it to a file.
fn problem(target: &str, depth: usize) -> Option<&'static str> {
    let t: String = target
        .trim()
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let t = t.as_str();
    let lower = t.to_ascii_lowercase();
    if lower.starts_with("file:") {
        return Some("指向本机文件（file:），读者打不开，也可能泄露本机路径");
    }
    if t.starts_with('/')
        || t.starts_with('\\')
        || (t.len() > 2
            && t.as_bytes()[1] == b':'
            && t.as_bytes()[0].is_ascii_alphabetic()
            && matches!(t.as_bytes()[2], b'\\' | b'/'))
    {
        return Some("是绝对路径，发布后会指向网站以外的位置");
    }
    if lower.contains(':') || t.starts_with('#') || t.starts_with('?') {
        // A URL with a scheme (sanitized later) or a fragment: not a path.
        let scheme_end = lower.find(':').unwrap_or(0);
        let before_slash = lower.find('/').is_none_or(|s| scheme_end < s);
        if before_slash || t.starts_with('#') || t.starts_with('?') {
            return None;
        }
    }
    let path = decoded(t.split(['?', '#']).next().unwrap_or(""));
    let mut level = depth as i64;
    for segment in path.split(['/', '\\']) {
        match segment {
            "" | "." => {}
            ".." => {
                level -= 1;
                if level < 0 {
                    return Some("用 ../ 指到了目录文件夹以外");
                }
            }
            _ => level += 1,
        }
    }
    None
}

/// A path with its percent-encoding decoded, again while that changes it (`%252e` is `%2e`
/// once decoded: a server that decodes twice would read a dot).
fn decoded(path: &str) -> Cow<'_, str> {
    let mut path = Cow::Borrowed(path);
    for _ in 0..3 {
        let next = percent_encoding::percent_decode_str(&path).decode_utf8_lossy();
        if next == path {
            break;
        }
        path = Cow::Owned(next.into_owned());
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_found_with_their_line() {
        let body = "正文\n\n[名单](名单.csv) [上级](../other/x.md)\n\n![图](../../../../../etc/passwd)\n[本机](file:///C:/Users/a.doc) [绝对](/etc/hosts) [盘符](C:\\a.doc)\n";
        let found = unsafe_links(&Parsed::new(body), 4);
        let targets: Vec<(&str, u32)> = found.iter().map(|l| (l.target.as_str(), l.line)).collect();
        assert_eq!(
            targets,
            [
                ("../../../../../etc/passwd", 5),
                ("file:///C:/Users/a.doc", 6),
                ("/etc/hosts", 6),
                ("C:\\a.doc", 6)
            ]
        );
    }

    #[test]
    fn encoded_and_raw_html_escapes_are_found() {
        let body = "[a](%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/x) [b](%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2Fx)\n\
                    [c](..%2f..%2F%2e./.%2E/../x)\n\
                    text <a href=\"../../../../../x\">d</a>\n\n\
                    <div>\n<img\nsrc=\"&#46;&#46;/&#46;&#46;/&period;./../../y\">\n</div>\n\n\
                    <p><a href=\".\t./../../../../z\">e</a></p>\n\n\
                    [ok](../sibling/) <a href=\"../../other/\">ok</a> <a href=\"%2e%2e/x\">ok</a>\n";
        let found: Vec<(String, u32)> = unsafe_links(&Parsed::new(body), 4)
            .into_iter()
            .map(|l| (l.target, l.line))
            .collect();
        assert_eq!(
            found,
            [
                ("%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/x".to_owned(), 1),
                (
                    "%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2Fx".to_owned(),
                    1
                ),
                ("..%2f..%2F%2e./.%2E/../x".to_owned(), 2),
                ("../../../../../x".to_owned(), 3),
                // Written with character references: reported at the start of its HTML block.
                ("../../../../../y".to_owned(), 5),
                (".\t./../../../../z".to_owned(), 10),
            ]
        );
    }

    #[test]
    fn a_tag_running_on_from_one_html_block_into_the_next_is_still_read() {
        let body = "正文\n\n<div><a href=\".\n\n<div>./../../../../../../../x\">y</a></div>\n";
        let found = unsafe_links(&Parsed::new(body), 4);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].line, 3);
    }

    #[test]
    fn relative_links_are_the_paths() {
        let body = "[名单](名单.csv)\n\n[网](https://www.gov.cn/) [注](#fn1) [邮](mailto:a@b.cn)\n[上](../other/?a=1) [根](/etc/hosts) [盘](C:\\a.doc) ![图](图%201.png#x)\n";
        assert_eq!(
            relative_links(&Parsed::new(body)),
            [
                ("名单.csv".to_owned(), 1),
                ("../other/?a=1".to_owned(), 4),
                ("图%201.png#x".to_owned(), 4)
            ]
        );
    }

    #[test]
    fn urls_and_fragments_are_not_paths() {
        assert!(
            unsafe_links(
                &Parsed::new(
                    "[a](https://www.gov.cn/) [b](#fn1) [c](mailto:a@b.cn) [d](tel:12345)"
                ),
                4
            )
            .is_empty()
        );
    }
}
