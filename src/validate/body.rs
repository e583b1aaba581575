//! Entry bodies checked before they are rendered. Raw HTML pasted into a body can hide the rest
//! of it: after a `<style>`, `<script>`, `<textarea>`, `<title>`, `<xmp>`, `<iframe>`,
//! `<noscript>`, `<noembed>` or `<noframes>` start tag a browser (and the sanitizer's parser)
//! reads everything up to the matching end tag as that element's text, and the sanitizer drops
//! the element with its text; with no end tag, the whole rest of the body vanishes from the page
//! without a word. The same happens after an HTML comment that is never closed, and after
//! `<plaintext>`, which never ends. Each is an error naming the line where it starts.
//!
//! Nesting is bounded too: the sanitizer's HTML parser takes time quadratic in how deeply
//! elements nest (a 100 KB body of `>` characters, 100,000 nested quotes, took over a minute to
//! render), so quotes, lists and raw HTML elements may nest at most [`MAX_NESTING`] deep. The
//! depth is first read from each line's leading `>` and list markers, before the Markdown parser
//! (whose memory grows with the depth) runs, then exactly from the parsed body.

use super::links::RawHtml;
use crate::markup::Parsed;
use pulldown_cmark::{Event, Tag, TagEnd};

/// Elements whose content a browser reads as plain text up to their own end tag.
const RAW_TEXT_ELEMENTS: [&str; 10] = [
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noscript",
    "noembed",
    "noframes",
    "plaintext",
];

/// How deeply quotes (`>`), lists and raw HTML elements may nest in a body, together. Far more
/// than any document needs; at this depth rendering stays instant.
pub const MAX_NESTING: usize = 50;

/// Void elements, and elements whose end tag may be left out (the next one closes them): they
/// do not deepen the nesting.
const NOT_NESTING: [&str; 37] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "keygen", "frame", "basefont", "bgsound", "image", "p", "li", "dt", "dd", "tr",
    "td", "th", "option", "optgroup", "thead", "tbody", "tfoot", "colgroup", "caption", "rb", "rt",
    "rp", "rtc",
];

/// Something in a body that would not render as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyProblem {
    /// Quotes, lists and HTML elements nest `depth` deep at body line `line`, more than
    /// [`MAX_NESTING`].
    TooDeep {
        /// The depth reached.
        depth: usize,
        /// Line within the body (1-based).
        line: u32,
    },
    /// A raw-text element (lower-case `tag`) started on body line `line` is never closed.
    Unclosed {
        /// The element's name, lower case.
        tag: String,
        /// Line within the body (1-based).
        line: u32,
    },
    /// An HTML comment started on body line `line` is never closed.
    UnclosedComment {
        /// Line within the body (1-based).
        line: u32,
    },
}

impl BodyProblem {
    /// The line within the body (1-based).
    pub fn line(&self) -> u32 {
        match self {
            BodyProblem::TooDeep { line, .. }
            | BodyProblem::Unclosed { line, .. }
            | BodyProblem::UnclosedComment { line } => *line,
        }
    }

    /// Whether the body nests too deeply to be parsed any further.
    pub fn is_too_deep(&self) -> bool {
        matches!(self, BodyProblem::TooDeep { .. })
    }

    /// What is wrong and how to fix it, in Chinese.
    pub fn message_and_hint(&self) -> (String, String) {
        match self {
            BodyProblem::TooDeep { depth, .. } => (
                format!(
                    "正文嵌套太深：这里的引用（>）、列表和 HTML 标签合计嵌套了 {depth} 层，超过 {MAX_NESTING} 层的上限。"
                ),
                "减少引用和列表的层次；从网页或 Word 粘贴来的 HTML，请删去层层嵌套的多余标签。嵌套过深会让生成网页变得极慢，所以不予生成。".to_owned(),
            ),
            BodyProblem::Unclosed { tag, .. } if tag == "plaintext" => (
                "这里的 <plaintext> 标签会把它后面的全部正文都变成无格式的文字，网页上无法正常显示。".to_owned(),
                "删除这个标签。".to_owned(),
            ),
            BodyProblem::Unclosed { tag, .. } => (
                format!(
                    "这里的 <{tag}> 没有对应的结束标签 </{tag}>：浏览器会把它后面直到正文结尾的内容都当成 <{tag}> 的内容，网页上这些正文都不会显示。"
                ),
                format!(
                    "在该结束的地方加上 </{tag}>，或删除这个标签（网页本来就会去掉 <{tag}> 及其内容）。"
                ),
            ),
            BodyProblem::UnclosedComment { .. } => (
                "这里的 HTML 注释 <!-- 没有结束（缺少 -->）：它后面直到正文结尾的内容都会被当成注释，网页上不会显示。".to_owned(),
                "在注释结束的地方加上 -->，或删除这个注释。".to_owned(),
            ),
        }
    }
}

/// Parses a body and checks it for quotes, lists and raw HTML elements nesting deeper than
/// [`MAX_NESTING`] (then nothing else is reported) and for raw HTML that would swallow the rest
/// of it. A body whose lines' markers alone nest too deep is not parsed at all: no parse is
/// returned, and the other checks of the body (links, what a reader sees) are skipped.
pub fn parse_and_check(text: &str) -> (Option<Parsed<'_>>, Vec<BodyProblem>) {
    if let Some(problem) = deep_line(text) {
        return (None, vec![problem]);
    }
    let parsed = Parsed::new(text);
    let problems = check(&parsed);
    (Some(parsed), problems)
}

/// [`parse_and_check`]'s checks of the parsed body.
fn check(body: &Parsed<'_>) -> Vec<BodyProblem> {
    let line_at = |offset: usize| body.line_at(offset);
    let mut scanner = Scanner::default();
    let mut block: Option<RawHtml> = None;
    for (event, range) in &body.events {
        if let Some((depth, at)) = scanner.too_deep {
            return vec![BodyProblem::TooDeep {
                depth,
                line: line_at(at),
            }];
        }
        match &event {
            Event::Start(Tag::BlockQuote(_) | Tag::List(_)) => {
                scanner.markdown_depth += 1;
                scanner.deepened(range.start);
            }
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_)) => {
                scanner.markdown_depth = scanner.markdown_depth.saturating_sub(1);
            }
            Event::Start(Tag::HtmlBlock) => block = Some(RawHtml::default()),
            Event::Html(piece) => {
                if let Some(block) = &mut block {
                    block.push(piece, range.start);
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(html) = block.take() {
                    scanner.scan(&html);
                }
            }
            Event::InlineHtml(piece) => {
                let mut html = RawHtml::default();
                html.push(piece, range.start);
                scanner.scan(&html);
            }
            _ => {}
        }
    }
    if let Some((depth, at)) = scanner.too_deep {
        return vec![BodyProblem::TooDeep {
            depth,
            line: line_at(at),
        }];
    }
    match scanner.state {
        State::Data => Vec::new(),
        State::RawText { tag, at } => vec![BodyProblem::Unclosed {
            tag,
            line: line_at(at),
        }],
        State::Comment { at } => vec![BodyProblem::UnclosedComment { line: line_at(at) }],
    }
}

/// The first line whose leading quote and list markers alone (`>>>>`, `- - - -`, `1. - >`)
/// nest deeper than [`MAX_NESTING`]: found without parsing, in one pass.
fn deep_line(body: &str) -> Option<BodyProblem> {
    for (n, line) in body.lines().enumerate() {
        let mut rest = line;
        let (mut quotes, mut markers) = (0, 0);
        loop {
            rest = rest.trim_start_matches([' ', '\t']);
            if let Some(after) = rest.strip_prefix('>') {
                quotes += 1;
                rest = after;
                continue;
            }
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            let marker = match rest.as_bytes().get(digits) {
                Some(b'-' | b'*' | b'+') if digits == 0 => 1,
                Some(b'.' | b')') if (1..=9).contains(&digits) => digits + 1,
                _ => break,
            };
            if !rest[marker..].starts_with([' ', '\t']) {
                break;
            }
            markers += 1;
            rest = &rest[marker..];
        }
        // `- - -` and `* * *` are a thematic break, not lists.
        let line_after_quotes = line.trim_start_matches(['>', ' ', '\t']);
        let rule = ['-', '*', '_'].into_iter().any(|c| {
            line_after_quotes
                .chars()
                .all(|x| x == c || x == ' ' || x == '\t')
                && line_after_quotes.chars().filter(|&x| x == c).count() >= 3
        });
        let depth = quotes + if rule { 0 } else { markers };
        if depth > MAX_NESTING {
            return Some(BodyProblem::TooDeep {
                depth,
                line: n as u32 + 1,
            });
        }
    }
    None
}

/// Where the HTML tokenizer is, across the pieces of raw HTML of one body (the Markdown between
/// them is escaped text, which cannot end a comment or a raw-text element).
#[derive(Debug, Default)]
enum State {
    /// Between tags.
    #[default]
    Data,
    /// Inside a raw-text element started at body offset `at`.
    RawText { tag: String, at: usize },
    /// Inside a comment started at body offset `at`.
    Comment { at: usize },
}

#[derive(Debug, Default)]
struct Scanner {
    state: State,
    /// Quotes and lists open at the point reached.
    markdown_depth: usize,
    /// Raw HTML elements open at the point reached (end tags close them; an upper bound of
    /// what the parser will build, which also closes elements left open).
    html_depth: usize,
    /// The first depth over [`MAX_NESTING`], and the body offset where it was reached.
    too_deep: Option<(usize, usize)>,
}

impl Scanner {
    /// Notes the depth reached at body offset `at`, once something was opened there.
    fn deepened(&mut self, at: usize) {
        let depth = self.markdown_depth + self.html_depth;
        if depth > MAX_NESTING && self.too_deep.is_none() {
            self.too_deep = Some((depth, at));
        }
    }

    /// Reads one piece of raw HTML, as the HTML tokenizer does (tags, comments, raw text).
    fn scan(&mut self, html: &RawHtml) {
        let text = html.text.as_str();
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match &self.state {
                State::Comment { .. } => match text[i..].find("-->") {
                    Some(end) => {
                        self.state = State::Data;
                        i += end + 3;
                    }
                    None => return,
                },
                State::RawText { tag, .. } => match end_tag(text, i, tag) {
                    Some(after) if tag != "plaintext" => {
                        self.state = State::Data;
                        i = after;
                    }
                    _ => return,
                },
                State::Data => {
                    let Some(lt) = text[i..].find('<').map(|p| i + p) else {
                        return;
                    };
                    let rest = &bytes[lt + 1..];
                    if text[lt..].starts_with("<!--") {
                        self.state = State::Comment {
                            at: html.body_offset(lt),
                        };
                        i = lt + 4;
                    } else if rest.first().is_some_and(u8::is_ascii_alphabetic) {
                        let (name, after) = tag_at(text, lt + 1);
                        if RAW_TEXT_ELEMENTS.contains(&name.as_str()) {
                            self.state = State::RawText {
                                tag: name,
                                at: html.body_offset(lt),
                            };
                        } else if !NOT_NESTING.contains(&name.as_str()) {
                            self.html_depth += 1;
                            self.deepened(html.body_offset(lt));
                        }
                        i = after;
                    } else if rest.first() == Some(&b'/')
                        && rest.get(1).is_some_and(u8::is_ascii_alphabetic)
                    {
                        let (name, after) = tag_at(text, lt + 2);
                        if !NOT_NESTING.contains(&name.as_str()) {
                            self.html_depth = self.html_depth.saturating_sub(1);
                        }
                        i = after;
                    } else if rest.first() == Some(&b'/')
                        || rest.first() == Some(&b'!')
                        || rest.first() == Some(&b'?')
                    {
                        i = text[lt..].find('>').map_or(bytes.len(), |p| lt + p + 1);
                    } else {
                        i = lt + 1;
                    }
                }
            }
        }
    }
}

/// The lower-case name of the start tag whose name starts at `start`, and the offset after the
/// tag's `>` (attribute values in quotes may hold `>`).
fn tag_at(text: &str, start: usize) -> (String, usize) {
    let bytes = text.as_bytes();
    let mut i = start;
    while i < bytes.len()
        && !matches!(
            bytes[i],
            b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>'
        )
    {
        i += 1;
    }
    let name = text[start..i].to_ascii_lowercase();
    // Attributes: a name, then optionally `=` and a value, quoted or not.
    while i < bytes.len() {
        match bytes[i] {
            b'>' => return (name, i + 1),
            b'=' => {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                if let Some(&quote) = bytes.get(i).filter(|b| matches!(b, b'"' | b'\'')) {
                    i = text[i + 1..]
                        .find(char::from(quote))
                        .map_or(bytes.len(), |p| i + 1 + p + 1);
                }
            }
            _ => i += 1,
        }
    }
    (name, bytes.len())
}

/// The offset after the end tag `</tag` (any case, followed by a space, `/` or `>`) found at or
/// after `from`, if any.
fn end_tag(text: &str, from: usize, tag: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while let Some(p) = text[i..].find("</") {
        let name_start = i + p + 2;
        let name_end = name_start + tag.len();
        let matches = bytes
            .get(name_start..name_end)
            .is_some_and(|n| n.eq_ignore_ascii_case(tag.as_bytes()))
            && bytes
                .get(name_end)
                .is_none_or(|b| matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>'));
        if matches {
            return Some(
                text[name_end..]
                    .find('>')
                    .map_or(bytes.len(), |q| name_end + q + 1),
            );
        }
        i = name_start;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(body: &str) -> Vec<(String, u32)> {
        parse_and_check(body)
            .1
            .into_iter()
            .map(|p| match p {
                BodyProblem::Unclosed { tag, line } => (tag, line),
                BodyProblem::UnclosedComment { line } => ("<!--".to_owned(), line),
                BodyProblem::TooDeep { depth, line } => (format!("{depth}"), line),
            })
            .collect()
    }

    #[test]
    fn an_unclosed_raw_text_element_is_found_with_its_line() {
        assert_eq!(
            lines("第一段\n\n<style>p{color:red}\n\n第二段\n\n第三段\n"),
            [("style".to_owned(), 3)]
        );
        assert_eq!(
            lines("正文 <TEXTAREA rows=\"3\"> 后面\n\n更多\n"),
            [("textarea".to_owned(), 1)]
        );
        assert_eq!(
            lines("a\n\n<div>\n<title>标题\n</div>\n"),
            [("title".to_owned(), 4)]
        );
        assert_eq!(lines("a\n\n<!-- 注释\n\n正文\n"), [("<!--".to_owned(), 3)]);
        assert_eq!(
            lines("<plaintext>x</plaintext>\n"),
            [("plaintext".to_owned(), 1)]
        );
    }

    fn depth(body: &str) -> Option<(usize, u32)> {
        parse_and_check(body).1.into_iter().find_map(|p| match p {
            BodyProblem::TooDeep { depth, line } => Some((depth, line)),
            _ => None,
        })
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_found_with_its_line() {
        let at_limit = ">".repeat(MAX_NESTING);
        assert_eq!(depth(&format!("a\n\n{at_limit} 引用\n")), None);
        assert_eq!(
            depth(&format!("a\n\n{at_limit}> 引用\n")),
            Some((MAX_NESTING + 1, 3))
        );
        // A 100 KB body of `>`: found before the Markdown parser runs.
        assert_eq!(depth(&">".repeat(100_000)), Some((100_000, 1)));
        assert!(parse_and_check(&">".repeat(100_000)).0.is_none());
        assert_eq!(depth(&format!("{}列表", "- ".repeat(60))), Some((60, 1)));
        assert_eq!(depth(&"1. > ".repeat(30)), Some((60, 1)));
        // Nested by indentation, one level a line: found in the parsed body.
        let indented: String = (0..60)
            .map(|i| format!("{}- 第{i}层\n", "  ".repeat(i)))
            .collect();
        assert_eq!(
            depth(&indented),
            Some((MAX_NESTING + 1, MAX_NESTING as u32 + 1))
        );
        // Raw HTML elements count, inside quotes too; closed ones do not add up.
        let divs = format!("> {}\n", "<div>".repeat(MAX_NESTING));
        assert_eq!(depth(&divs), Some((MAX_NESTING + 1, 1)));
        let closed = "<div>x</div>".repeat(1000);
        assert_eq!(depth(&closed), None);
        // Unclosed paragraphs and cells, and void elements, do not nest.
        assert_eq!(depth(&"<p>段落<br><img src=x>".repeat(1000)), None);
        // A thematic break is not a list.
        assert_eq!(depth(&format!("{}\n", "- ".repeat(80))), None);
        assert_eq!(depth(&format!("> > {}\n", "* ".repeat(80))), None);
    }

    #[test]
    fn closed_escaped_and_commented_tags_are_fine() {
        for body in [
            "<style>p{}</style>\n\n正文\n",
            "<script>x</SCRIPT >\n\n正文\n",
            "行内 <textarea>a</textarea> 后面\n",
            "<iframe src=\"x\">\n\n正文\n\n</iframe>\n",
            "`<style>` 是代码\n",
            "    <script>\n",
            "<!-- <style> -->\n\n正文\n",
            "<a title=\"<style>\">链接</a>\n",
            "<div title='a>b'><xmp>x</xmp></div>\n",
            "<stylesheet>正文\n",
        ] {
            assert_eq!(parse_and_check(body).1, [], "{body}");
        }
    }
}
