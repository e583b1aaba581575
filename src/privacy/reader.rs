//! An entry body's text as a reader sees it on the page, for the personal-number scan: the
//! Markdown rendered, tags dropped, character references decoded, invisible format characters
//! (zero-width space U+200B, soft hyphen U+00AD, word joiner U+2060, …) removed, inline
//! elements joined and block elements kept apart. A number the source hides from the scan —
//! `110105<span>1949…</span>`, `&#49;10105…`, `110105**1949**…`, a zero-width space inside — is
//! whole here, as the reader reads it.
//!
//! Pure: no I/O. Each stretch of the text remembers where in the Markdown it came from, so a
//! number found in it is placed on its source line ([`ReaderText::source_offset`]).

use crate::bytes::{ByteSet, byte_set};
use crate::markup::Parsed;
use pulldown_cmark::{Event, TagEnd};

/// The text a reader sees, with where each stretch came from.
#[derive(Debug, Default)]
pub struct ReaderText {
    /// The text.
    pub text: String,
    /// `(offset in text, offset in the Markdown)` at the start of each stretch, in order.
    origins: Vec<(usize, usize)>,
}

impl ReaderText {
    /// The offset in the Markdown of the stretch holding `offset` of the text.
    pub fn source_offset(&self, offset: usize) -> usize {
        let i = self.origins.partition_point(|&(at, _)| at <= offset);
        i.checked_sub(1).map_or(0, |i| self.origins[i].1)
    }

    fn push(&mut self, piece: &str, origin: usize) {
        self.origins.push((self.text.len(), origin));
        // Whole runs between invisible characters, not one character at a time, found from
        // their bytes without decoding the rest.
        let bytes = piece.as_bytes();
        let (mut run, mut at) = (0, 0);
        while let Some(start) = MAY_BE_INVISIBLE.find(bytes, at) {
            match invisible_len(bytes, start) {
                Some(len) => {
                    self.text.push_str(&piece[run..start]);
                    run = start + len;
                    at = run;
                }
                None => at = start + 1,
            }
        }
        self.text.push_str(&piece[run..]);
    }
}

/// Whether byte `b` may start an invisible format character ([`is_invisible_format`]): each
/// starts with one of these bytes, none of which occurs inside a character.
const fn may_be_invisible(b: u8) -> bool {
    matches!(
        b,
        0xC2 | 0xCD | 0xD8 | 0xE1 | 0xE2 | 0xE3 | 0xEF | 0xF0 | 0xF3
    )
}

/// [`may_be_invisible`] for every byte.
static MAY_BE_INVISIBLE: ByteSet = byte_set!(may_be_invisible);

/// The length in bytes of the character at `at` if it is an invisible format character
/// ([`is_invisible_format`]), told from its UTF-8 bytes: most Chinese punctuation shares their
/// first byte, so deciding on the next bytes saves decoding it.
fn invisible_len(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at..)? {
        [0xC2, 0xAD, ..] | [0xCD, 0x8F, ..] | [0xD8, 0x9C, ..] => Some(2),
        [0xE1, 0x85, 0x9F | 0xA0, ..]
        | [0xE1, 0x9E, 0xB4 | 0xB5, ..]
        | [0xE1, 0xA0, 0x8B..=0x8F, ..]
        | [0xE2, 0x80, 0x8B..=0x8F | 0xAA..=0xAE, ..]
        | [0xE2, 0x81, 0xA0..=0xAF, ..]
        | [0xE3, 0x85, 0xA4, ..]
        | [0xEF, 0xB8, 0x80..=0x8F, ..]
        | [0xEF, 0xBB, 0xBF, ..]
        | [0xEF, 0xBE, 0xA0, ..] => Some(3),
        [0xF0, 0x9D, 0x85, 0xB3..=0xBA, ..] | [0xF3, 0xA0, _, _, ..] => Some(4),
        _ => None,
    }
}

/// Characters that take no room on a page (Unicode format characters and fillers): a number
/// with one inside reads whole.
pub fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{AD}' | '\u{34F}' | '\u{61C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

/// The readable text of a Markdown body, rendered as the site renders it.
pub fn reader_text(markdown: &Parsed<'_>) -> ReaderText {
    // The text is at most about as long as the Markdown; a stretch starts at most once per event.
    let mut out = ReaderText {
        text: String::with_capacity(markdown.text.len()),
        origins: Vec::with_capacity(markdown.events.len()),
    };
    let mut html = HtmlState::default();
    for (event, range) in &markdown.events {
        let at = range.start;
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                out.push(t, at);
            }
            Event::Html(h) | Event::InlineHtml(h) => html.feed(h, at, &mut out),
            Event::SoftBreak => out.push(" ", at),
            Event::HardBreak | Event::Rule => out.push("\n", at),
            Event::End(TagEnd::TableCell) => out.push("\t", at),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition
                | TagEnd::HtmlBlock
                | TagEnd::List(_)
                | TagEnd::Table,
            ) => out.push("\n", at),
            _ => {}
        }
    }
    out
}

/// Elements a browser lays out apart from what is around them (or that show no text): their
/// tags separate text. Every other tag (`span`, `b`, `font`, `sup`, unknown ones, which the
/// sanitizer drops keeping their text) joins what is on either side.
const SEPARATING: [&str; 48] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "button",
    "caption",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "iframe",
    "img",
    "input",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "select",
    "summary",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "tr",
];

/// Raw HTML read across the events it comes in (an HTML block arrives line by line).
#[derive(Default)]
struct HtmlState {
    /// Inside a tag: what of it has been read.
    tag: Option<String>,
    quote: Option<char>,
    /// Inside a comment (never shown).
    comment: bool,
}

impl HtmlState {
    fn feed(&mut self, html: &str, origin: usize, out: &mut ReaderText) {
        let mut text_start = None;
        let mut chars = html.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if self.comment {
                if c == '>' && html[..i].ends_with("--") {
                    self.comment = false;
                }
                continue;
            }
            if let Some(tag) = &mut self.tag {
                match (self.quote, c) {
                    (Some(q), c) if c == q => self.quote = None,
                    (Some(_), _) => {}
                    (None, '"' | '\'') => self.quote = Some(c),
                    (None, '>') => {
                        let name: String = tag
                            .trim_start_matches('/')
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric())
                            .collect::<String>()
                            .to_ascii_lowercase();
                        self.tag = None;
                        if SEPARATING.contains(&name.as_str()) {
                            out.push("\n", origin + i);
                        }
                        continue;
                    }
                    _ => {}
                }
                if let Some(tag) = &mut self.tag
                    && tag.len() < 64
                {
                    tag.push(c);
                }
                continue;
            }
            let opens = c == '<'
                && chars
                    .peek()
                    .is_some_and(|&(_, n)| n.is_ascii_alphabetic() || n == '/' || n == '!');
            if opens {
                if let Some(start) = text_start.take() {
                    push_decoded(&html[start..i], origin + start, out);
                }
                if html[i..].starts_with("<!--") {
                    self.comment = true;
                    // Skip past "<!--" so its dashes do not close it.
                    chars.next();
                    chars.next();
                    chars.next();
                } else {
                    self.tag = Some(String::new());
                }
                continue;
            }
            text_start.get_or_insert(i);
        }
        if let Some(start) = text_start {
            push_decoded(&html[start..], origin + start, out);
        }
    }
}

/// Text from raw HTML with its character references decoded.
fn push_decoded(text: &str, origin: usize, out: &mut ReaderText) {
    let mut decoded = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        decoded.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let reference = after
            .find(';')
            .filter(|&end| end <= 32)
            .and_then(|end| Some((decode_reference(&after[..end])?, end)));
        match reference {
            Some((c, end)) => {
                decoded.push(c);
                rest = &after[end + 1..];
            }
            None => {
                decoded.push('&');
                rest = after;
            }
        }
    }
    decoded.push_str(rest);
    out.push(&decoded, origin);
}

/// A character reference's character: numeric (`#49`, `#x31`) or one of the named ones that
/// matter around a number (spaces, invisible characters, signs and the basic five).
fn decode_reference(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" | "NonBreakingSpace" => '\u{A0}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        "shy" => '\u{AD}',
        "zwsp" | "ZeroWidthSpace" => '\u{200B}',
        "zwnj" => '\u{200C}',
        "zwj" => '\u{200D}',
        "lrm" => '\u{200E}',
        "rlm" => '\u{200F}',
        "NoBreak" => '\u{2060}',
        "InvisibleTimes" | "it" => '\u{2062}',
        "hyphen" | "dash" => '\u{2010}',
        "minus" => '\u{2212}',
        "ast" | "midast" => '*',
        "times" => '×',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(markdown: &str) -> String {
        reader_text(&Parsed::new(markdown)).text
    }

    #[test]
    fn invisible_characters_are_told_from_their_bytes_as_when_decoded() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut utf8 = [0; 4];
            let bytes = c.encode_utf8(&mut utf8).as_bytes();
            let expected = is_invisible_format(c).then_some(bytes.len());
            assert_eq!(invisible_len(bytes, 0), expected, "{c:?}");
            if expected.is_some() {
                assert!(may_be_invisible(bytes[0]), "{c:?}");
            }
        }
    }

    /// `piece` pushed, and the same piece with its invisible characters dropped one by one.
    fn pushed_and_filtered(piece: &str) -> (String, String) {
        let mut text = ReaderText::default();
        text.push(piece, 0);
        let expected: String = piece.chars().filter(|&c| !is_invisible_format(c)).collect();
        (text.text, expected)
    }

    proptest::proptest! {
        #[test]
        fn a_pushed_piece_loses_exactly_its_invisible_characters(piece in ".{0,80}") {
            let (pushed, expected) = pushed_and_filtered(&piece);
            proptest::prop_assert_eq!(pushed, expected);
        }

        #[test]
        fn a_pushed_chinese_piece_loses_exactly_its_invisible_characters(
            piece in "[一-龥，。“”、\u{AD}\u{200B}-\u{200F}\u{2060}\u{FEFF}\u{3164}\u{E0001}0-9a]{0,80}"
        ) {
            let (pushed, expected) = pushed_and_filtered(&piece);
            proptest::prop_assert_eq!(pushed, expected);
        }
    }

    #[test]
    fn markup_inside_a_number_is_gone_and_blocks_stay_apart() {
        assert!(seen("号码 110105<span>1949</span>1001123X").contains("11010519491001123X"));
        assert!(seen("&#49;10105&#x31;9491001123X").contains("11010519491001123X"));
        assert!(seen("110105**1949**1001123X").contains("11010519491001123X"));
        assert!(seen("110105\u{200B}19491001\u{AD}123X").contains("11010519491001123X"));
        assert!(
            seen("<p>110105<!-- x --><b>1949</b>1001&shy;123X</p>").contains("11010519491001123X")
        );
        assert!(
            seen("<div>\n<font\ncolor=\"red\">110105</font>19491001123X\n</div>")
                .contains("11010519491001123X")
        );
        // Separate cells and paragraphs are not joined.
        let cells = seen("<table><tr><td>110105</td><td>19491001123X</td></tr></table>");
        assert!(!cells.contains("11010519491001123X"), "{cells:?}");
        let table = seen("| a | b |\n|---|---|\n| 110105 | 19491001123X |\n");
        assert!(!table.contains("11010519491001123X"), "{table:?}");
    }

    #[test]
    fn stretches_remember_their_source() {
        let md = "第一段\n\n第二段 <span>1</span>";
        let text = reader_text(&Parsed::new(md));
        let one = text.text.find('1').expect("digit");
        assert_eq!(&md[text.source_offset(one)..][..1], "1");
    }
}
