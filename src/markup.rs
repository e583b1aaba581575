//! Entry bodies: CommonMark with GFM tables, strikethrough and footnotes, turned into HTML that is
//! safe to put on a government page. Raw HTML a clerk pasted is sanitized with ammonia's
//! allow-list (no script, no event handlers, no `javascript:` links); headings are shifted down
//! one level because the page's `<h1>` is the entry title; tables are wrapped in a scrollable,
//! focusable region so they stay readable on a phone.

use crate::bytes::{ByteSet, byte_set};
use pulldown_cmark::{
    Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html,
};
use std::borrow::{Borrow, Cow};
use std::ops::Range;
use std::sync::{Arc, LazyLock, Mutex};

/// The Markdown extensions entry bodies are written with (validation parses them the same way).
pub const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_GFM);

/// A Markdown body parsed once, each event with the bytes of the body it came from. The checks
/// of a body before it is published (its nesting and raw HTML, its links, the text a reader
/// sees for the personal-data scan) all read these events instead of each parsing the body.
pub struct Parsed<'a> {
    /// The Markdown.
    pub text: &'a str,
    /// Its events in order, each with its byte range in `text`.
    pub events: Vec<(Event<'a>, Range<usize>)>,
}

impl<'a> Parsed<'a> {
    /// Parses `text` with [`OPTIONS`].
    pub fn new(text: &'a str) -> Parsed<'a> {
        let mut events = Vec::with_capacity(events_capacity(text));
        events.extend(Parser::new_ext(text, OPTIONS).into_offset_iter());
        Parsed { text, events }
    }

    /// The 1-based line of the body holding byte `offset`.
    pub fn line_at(&self, offset: usize) -> u32 {
        crate::source::line_in(self.text, offset)
    }
}

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = allow_list();
    // A second line of defence behind validation's link check.
    b.url_relative(ammonia::UrlRelative::Custom(Box::new(KeepPaths)));
    b
});

/// Drops an absolute path (or a protocol-relative `//host/…` address) from a relative URL
/// attribute: it would leave the published column.
struct KeepPaths;

impl<'a> ammonia::UrlRelativeEvaluate<'a> for KeepPaths {
    fn evaluate<'url>(&self, url: &'url str) -> Option<Cow<'url, str>> {
        (!url.trim_start().starts_with(['/', '\\'])).then_some(Cow::Borrowed(url))
    }
}

/// Collects every relative URL the sanitizer keeps, unchanged.
struct Collect(Arc<Mutex<Vec<String>>>);

impl<'a> ammonia::UrlRelativeEvaluate<'a> for Collect {
    fn evaluate<'url>(&self, url: &'url str) -> Option<Cow<'url, str>> {
        if let Ok(mut urls) = self.0.lock() {
            urls.push(url.to_owned());
        }
        Some(Cow::Borrowed(url))
    }
}

/// The relative URLs (link, image and other URL attributes) the sanitizer keeps from a piece of
/// raw HTML, as a browser reads them (character references decoded), in document order. Used
/// by validation to check raw HTML links exactly as they will be published.
pub fn raw_html_urls(html: &str) -> Vec<String> {
    let found = Arc::new(Mutex::new(Vec::new()));
    let mut b = allow_list();
    b.url_relative(ammonia::UrlRelative::Custom(Box::new(Collect(
        found.clone(),
    ))));
    b.clean(html);
    found.lock().map(|urls| urls.clone()).unwrap_or_default()
}

/// The tags and attributes entry bodies may use.
fn allow_list() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.add_tags(["figure", "figcaption", "caption", "colgroup", "col"])
        .add_tag_attributes("td", ["colspan", "rowspan", "align"])
        .add_tag_attributes("th", ["colspan", "rowspan", "align", "scope"])
        .add_tag_attributes("a", ["id"])
        .add_tag_attributes("li", ["id"])
        .add_tag_attributes("div", ["id"])
        .add_tag_attributes("sup", ["id"])
        .add_generic_attributes(["class"])
        .attribute_filter(|_, attribute, value| match attribute {
            "class" => class_names(value),
            _ => Some(value.into()),
        })
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"));
    b
}

/// Keeps only the plain class names (letters, digits, `-`, `_`) of a `class` attribute, so a
/// code block's language (```` ```javascript: ````) or a pasted class cannot put URL-like text
/// into a tag; `None` (the attribute is dropped) when none is left.
fn class_names(value: &str) -> Option<Cow<'_, str>> {
    let names: Vec<&str> = value
        .split_ascii_whitespace()
        .filter(|name| {
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .collect();
    (!names.is_empty()).then(|| names.join(" ").into())
}

/// Renders a Markdown body to sanitized HTML, and gives its readable text ([`to_plain_text`],
/// cut at `max_chars`) from the same parse: an entry's page and its line in the search index.
///
/// A body made only of plain structure (paragraphs, headings, lists, quotes, emphasis, tables,
/// code without a language, line breaks) cannot carry a tag, attribute or URL of the clerk's:
/// pulldown-cmark escapes its text and writes a fixed set of bare tags, all on the allow-list.
/// Such a body is written directly, byte for byte as the sanitizer would write it (a property
/// test holds the two paths equal); anything else — raw HTML, links, images, footnotes, task
/// lists, code with a language, rules, characters the sanitizer spells differently — goes
/// through ammonia.
pub fn to_html_and_text(markdown: &str, max_chars: usize) -> (String, String) {
    let events = page_events(markdown);
    let text = plain_text_of(&events, max_chars, markdown.len());
    (html_of(events, markdown.len()), text)
}

/// A body's events as its page shows them: headings one level down.
fn page_events(markdown: &str) -> Vec<Event<'_>> {
    let mut events = Vec::with_capacity(events_capacity(markdown));
    events.extend(Parser::new_ext(markdown, OPTIONS).map(|event| match event {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: demote(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(demote(level))),
        other => other,
    }));
    events
}

/// Room for a body's events: about one per 32 bytes of a plain Chinese notice, so twice that
/// leaves room for links and emphasis without growing the list as it fills.
fn events_capacity(markdown: &str) -> usize {
    markdown.len() / 16 + 8
}

/// The sanitized HTML of a body's page events (`len`: the Markdown's length, to size buffers).
fn html_of(events: Vec<Event<'_>>, len: usize) -> String {
    let clean = match plain_html(&events, len) {
        Some(html) => html,
        None => sanitized_html(events, len),
    };
    wrap_tables(clean)
}

/// The body through pulldown-cmark's writer and then ammonia's allow-list.
fn sanitized_html(events: Vec<Event<'_>>, len: usize) -> String {
    let mut raw = String::with_capacity(len * 3 / 2);
    html::push_html(&mut raw, events.into_iter());
    SANITIZER.clean(&raw).to_string()
}

/// The HTML of a body made only of plain structure, exactly as ammonia would write it; `None`
/// when any event could carry markup, an attribute or a URL (see [`to_html_and_text`]).
fn plain_html(events: &[Event<'_>], len: usize) -> Option<String> {
    if !events.iter().all(|event| plain_event(event).is_some()) {
        return None;
    }
    let mut out = String::with_capacity(len * 3 / 2);
    html::push_html(&mut out, events.iter().filter_map(plain_event));
    // The sanitizer re-reads the HTML as a browser would (carriage returns folded, a no-break
    // space written `&nbsp;`, NUL replaced): leave such bodies to it.
    written_alike(&out).then_some(out)
}

/// An event of plain structure as the sanitizer would leave it, or `None` for one that could
/// carry markup, an attribute or a URL. Cloning a borrowed event copies no text.
fn plain_event<'a>(event: &Event<'a>) -> Option<Event<'a>> {
    Some(match event {
        Event::Start(tag) => Event::Start(plain_tag(tag)?),
        Event::End(
            TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::BlockQuote(None)
            | TagEnd::CodeBlock
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::TableCell,
        )
        | Event::Text(_)
        | Event::Code(_)
        | Event::SoftBreak => event.clone(),
        // pulldown-cmark writes `<br />`; the sanitizer's serializer writes `<br>`.
        Event::HardBreak => Event::InlineHtml("<br>\n".into()),
        _ => return None,
    })
}

/// Whether `html` has no control character but line feeds and tabs, and no no-break space:
/// read byte by byte (U+0080 to U+00A0 are the only such characters beyond ASCII, and all
/// start with byte 0xC2), skipping by a table the bytes that can be neither.
fn written_alike(html: &str) -> bool {
    let bytes = html.as_bytes();
    let mut at = 0;
    while let Some(i) = REWRITTEN_FROM.find(bytes, at) {
        if bytes[i] != 0xC2 || matches!(bytes.get(i + 1), Some(0x80..=0xA0)) {
            return false;
        }
        at = i + 1;
    }
    true
}

/// The bytes [`written_alike`] stops at: control characters but line feed and tab, DEL, and
/// 0xC2, which starts U+0080 to U+00BF.
const fn rewritten_from(b: u8) -> bool {
    matches!(b, 0x00..=0x08 | 0x0B..=0x1F | 0x7F | 0xC2)
}

/// [`rewritten_from`] for every byte.
static REWRITTEN_FROM: ByteSet = byte_set!(rewritten_from);

/// A start tag pulldown-cmark writes bare (no attribute), or `None`. Table alignment becomes a
/// `style` attribute the sanitizer drops, so it is dropped here too.
fn plain_tag<'a>(tag: &Tag<'a>) -> Option<Tag<'a>> {
    Some(match tag {
        Tag::Heading {
            id: None,
            classes,
            attrs,
            ..
        } if classes.is_empty() && attrs.is_empty() => tag.clone(),
        Tag::CodeBlock(CodeBlockKind::Fenced(info)) if info.split(' ').next() == Some("") => {
            tag.clone()
        }
        Tag::List(Some(1) | None)
        | Tag::Paragraph
        | Tag::BlockQuote(None)
        | Tag::CodeBlock(CodeBlockKind::Indented)
        | Tag::Item
        | Tag::Emphasis
        | Tag::Strong
        | Tag::Strikethrough
        | Tag::TableHead
        | Tag::TableRow
        | Tag::TableCell => tag.clone(),
        Tag::Table(alignments) => Tag::Table(vec![Alignment::None; alignments.len()]),
        _ => return None,
    })
}

/// The readable text of a Markdown body (no markup, no raw HTML), for search indexes and
/// excerpts, cut to at most `max_chars` characters.
pub fn to_plain_text(markdown: &str, max_chars: usize) -> String {
    plain_text_of(
        Parser::new_ext(markdown, OPTIONS),
        max_chars,
        markdown.len(),
    )
}

/// [`to_plain_text`] of a body's events (`markdown_len`: the body's length, to size the text).
fn plain_text_of<'e, E: Borrow<Event<'e>>>(
    events: impl IntoIterator<Item = E>,
    max_chars: usize,
    markdown_len: usize,
) -> String {
    // Room for about the Markdown's length, and never more than `max_chars` characters need.
    let mut text = String::with_capacity(markdown_len.min(max_chars.saturating_mul(4)));
    let mut chars = 0;
    for event in events {
        let piece = match event.borrow() {
            Event::Text(t) | Event::Code(t) => t.as_ref(),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => " ",
            _ => continue,
        };
        if piece == " " && (text.is_empty() || text.ends_with(' ')) {
            continue;
        }
        let n = piece.chars().count();
        if chars + n > max_chars {
            text.extend(piece.chars().take(max_chars - chars));
            break;
        }
        text.push_str(piece);
        chars += n;
    }
    text.truncate(text.trim_end().len());
    text
}

fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// Wraps each table in a horizontally scrollable region reachable by keyboard. Runs on
/// sanitized output, whose tags are normalised (bare `<table>`, `</table>`) and which escapes
/// `<` everywhere else, in text and in attribute values alike, so matching the tags as strings
/// finds the tables and nothing else.
fn wrap_tables(html: String) -> String {
    const WRAP: &str =
        "<div class=\"table-wrap\" role=\"region\" aria-label=\"表格\" tabindex=\"0\">";
    // Both tags end in `table>`: one pass finds them all.
    let bytes = html.as_bytes();
    let mut tags = memchr::memmem::find_iter(bytes, b"table>").peekable();
    if tags.peek().is_none() {
        return html;
    }
    let mut out = String::with_capacity(html.len() + 256);
    let mut copied = 0;
    for at in tags {
        if bytes[..at].ends_with(b"</") {
            let end = at + "table>".len();
            out.push_str(&html[copied..end]);
            out.push_str("</div>");
            copied = end;
        } else if bytes[..at].ends_with(b"<") {
            out.push_str(&html[copied..at - 1]);
            out.push_str(WRAP);
            copied = at - 1;
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// The first words of the body `gongkai new` writes, to be replaced by the entry's text; a body
/// still holding them is reported (`stub-body`).
pub const STUB_BODY: &str = "在这里写正文。";

/// The 1-based line of the body where `new`'s stub text still stands, if it does.
pub fn stub_line(body: &str) -> Option<u32> {
    memchr::memmem::find(body.as_bytes(), STUB_BODY.as_bytes())
        .map(|at| crate::source::line_in(body, at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to_html(markdown: &str) -> String {
        to_html_and_text(markdown, 0).0
    }

    #[test]
    fn tables_and_strikethrough_render() {
        let html = to_html("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~旧~~");
        assert!(html.contains("<div class=\"table-wrap\""), "{html}");
        assert!(html.contains("<th>a</th>"), "{html}");
        assert!(html.contains("<del>旧</del>"), "{html}");
    }

    /// What lets [`wrap_tables`] match tags as strings: the sanitizer escapes `<` inside the
    /// attribute values it keeps, so no `<table>` is left there.
    #[test]
    fn a_table_tag_inside_an_attribute_value_is_escaped_not_wrapped() {
        let html = to_html(
            "<abbr title=\"<table>\">注</abbr> <span title=\"a > </table>\">乙</span>\n\n| a |\n|---|\n| 1 |\n",
        );
        assert_eq!(html.matches("<table>").count(), 1, "{html}");
        assert_eq!(html.matches("</table>").count(), 1, "{html}");
        assert_eq!(
            html.matches("<div class=\"table-wrap\"").count(),
            1,
            "{html}"
        );
        assert!(html.contains("title=\"&lt;table&gt;\""), "{html}");
        assert!(html.contains("</table></div>"), "{html}");
    }

    #[test]
    fn script_and_handlers_are_removed() {
        let html = to_html(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("href=\"javascript"), "{html}");
        assert!(
            html.contains("<a rel=\"noopener noreferrer\">x</a>"),
            "{html}"
        );
    }

    #[test]
    fn class_attributes_keep_only_plain_names() {
        let html = to_html(
            "```&#106;avascript:\nx\n```\n\n```rust\ny\n```\n\n<span class=\"a javascript:b\">z</span>",
        );
        assert!(!html.contains("javascript"), "{html}");
        assert!(html.contains("<code class=\"language-rust\">"), "{html}");
        assert!(html.contains("<span class=\"a\">z</span>"), "{html}");
        assert!(html.contains("<pre><code>x"), "{html}");
    }

    #[test]
    fn absolute_paths_are_dropped_from_raw_html() {
        let html = to_html(
            "<a href=\"/etc/hosts\">a</a> <img src=\"//evil.example/x.png\"> <a href=\"名单.csv\">b</a>",
        );
        assert!(
            !html.contains("/etc/hosts") && !html.contains("evil.example"),
            "{html}"
        );
        assert!(html.contains("href=\"名单.csv\""), "{html}");
    }

    #[test]
    fn headings_are_demoted() {
        assert!(to_html("# 一").contains("<h2>一</h2>"));
    }

    /// The events `to_html` would write for `markdown`.
    fn events(markdown: &str) -> Vec<Event<'_>> {
        Parser::new_ext(markdown, OPTIONS).collect()
    }

    #[test]
    fn plain_bodies_skip_the_sanitizer_and_others_do_not() {
        let plain = "# 标题\n\n正文 **粗** *斜* ~~删~~ `代码`\n\n| 甲 | 乙 |\n|:--|--:|\n| 1 | 2 |\n\n- 一\n- 二\n\n> 引用\n";
        assert!(plain_html(&events(plain), plain.len()).is_some());
        for other in [
            "[链接](https://example.com)",
            "<b>粗</b>",
            "![图](a.png)",
            "注[^1]\n\n[^1]: 脚注",
            "```rust\nx\n```",
            "3. 三",
            "---",
            "不间断\u{a0}空格",
        ] {
            assert!(plain_html(&events(other), other.len()).is_none(), "{other}");
        }
    }

    #[test]
    fn bytes_the_sanitizer_rewrites_are_found_without_decoding() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let expected = c == '\n' || c == '\t' || !(c.is_control() || c == '\u{a0}');
            assert_eq!(written_alike(&format!("甲{c}乙")), expected, "{c:?}");
        }
    }

    proptest::proptest! {
        /// Tables are wrapped as two plain replacements would wrap them.
        #[test]
        fn tables_are_wrapped_as_by_replacing_their_tags(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "<table>", "</table>", "table>", "<", "/", "<tbody>", "甲", "</", "<p>表</p>", "",
            ]), 0..16),
        ) {
            let html = parts.concat();
            let reference = html
                .replace(
                    "<table>",
                    "<div class=\"table-wrap\" role=\"region\" aria-label=\"表格\" tabindex=\"0\"><table>",
                )
                .replace("</table>", "</table></div>");
            proptest::prop_assert_eq!(wrap_tables(html), reference);
        }

        /// The search text is the body's readable text cut at `max` characters, then trimmed:
        /// checked against the plain character-by-character cut.
        #[test]
        fn plain_text_is_cut_at_the_character_limit(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "正文", "ab", " ", "\n", "\n\n", "**粗**", "`码`", "| a | b |\n|---|---|\n| 1 | 2 |\n", "# 题\n", "- 项\n", "",
            ]), 0..16),
            max in 0usize..40,
        ) {
            let markdown = parts.concat();
            let mut reference = String::new();
            let mut chars = 0;
            'events: for event in Parser::new_ext(&markdown, OPTIONS) {
                let piece = match &event {
                    Event::Text(t) | Event::Code(t) => t.as_ref(),
                    Event::SoftBreak | Event::HardBreak | Event::End(_) => " ",
                    _ => continue,
                };
                if piece == " " && (reference.is_empty() || reference.ends_with(' ')) {
                    continue;
                }
                for c in piece.chars() {
                    if chars >= max {
                        break 'events;
                    }
                    reference.push(c);
                    chars += 1;
                }
            }
            proptest::prop_assert_eq!(to_plain_text(&markdown, max), reference.trim_end());
            // A page rendered this time and one kept from the last build index the same text.
            proptest::prop_assert_eq!(to_html_and_text(&markdown, max).1, reference.trim_end());
        }

        /// Wherever the sanitizer is skipped, the page is byte for byte what it would have
        /// written.
        #[test]
        fn the_plain_path_writes_what_the_sanitizer_would(parts in proptest::collection::vec(proptest::sample::select(vec![
            "正文", "text", " ", "\n", "\n\n", "  \n", "\\\n", "# ", "## ", "###### ", "- ", "* ", "1. ", "   ", "    ",
            "> ", "**", "*", "_", "~~", "`", "```\n", "~~~\n", "|", "| a | b |\n|---|:-:|\n| 1 | 2 |\n", "|---|",
            "&amp;", "&lt;", "&quot;", "&#39;", "\"", "'", "<", ">", "&", "=", "\t", "。", "，", "\u{3000}",
            "[", "]", "(", ")", "\\", "!", "^", "\r\n", "{#id}", "\\*", "+ ", "- a\n  - b\n", "1) ",
        ]), 0..24)) {
            let markdown = parts.concat();
            let events = events(&markdown);
            if let Some(plain) = plain_html(&events, markdown.len()) {
                proptest::prop_assert_eq!(plain, sanitized_html(events, markdown.len()));
            }
        }

        /// Whatever a clerk pastes, the HTML has no script element, no event-handler attribute
        /// and no script URL.
        #[test]
        fn no_executable_script_survives(parts in proptest::collection::vec(proptest::sample::select(vec![
            "<script>alert(1)</script>", "<scr", "ipt>", "<img src=x onerror=alert(1)>", "onload=",
            "<a href=\"javascript:alert(1)\">x</a>", "[x](javascript:alert(1))", "java\tscript:",
            "<svg/onload=alert(1)>", "<iframe src=//evil>", "\"", "'", ">", "<", "`", "\n", "\n\n",
            "| a | b |\n|---|---|\n| <b onclick=x>1</b> | 2 |", "&#106;avascript:", "<style>", "<!--", "-->",
            "正文", "**粗**", "[^1]", "[^1]: 注", "<math><mi xlink:href=javascript:x>", "data:text/html,<script>",
        ]), 0..12)) {
            let html = to_html(&parts.concat()).to_lowercase();
            proptest::prop_assert!(!html.contains("<script"), "{}", html);
            proptest::prop_assert!(!html.contains("<iframe") && !html.contains("<svg") && !html.contains("<style"), "{}", html);
            for (at, _) in html.match_indices('<') {
                let tag = &html[at..html[at..].find('>').map_or(html.len(), |e| at + e)];
                proptest::prop_assert!(!tag.contains(" on"), "{}", tag);
                proptest::prop_assert!(!tag.contains("javascript:") && !tag.contains("data:"), "{}", tag);
            }
        }
    }
}
