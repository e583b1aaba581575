//! The personal-data scan (个人信息检查): before an entry is published, its text and the text of
//! its attachments are searched for unmasked 居民身份证号码, 手机号码 and 银行卡号.
//!
//! - [`numbers`] finds the numbers in a text (pure: no I/O);
//! - [`attachments`] reads an attachment's text as a reader who downloads it sees it (text
//!   files, workbooks through [`crate::tabular`], Word documents, and PDFs through [`pdf`]);
//! - this module turns what they find into [`Diagnostic`]s naming the file and where in it, with
//!   the number masked so it never reaches a log.

pub mod attachments;
pub mod numbers;
pub mod pdf;
pub mod reader;

pub use numbers::{
    PersonalNumber, PersonalNumberKind, is_valid_id_card, luhn_valid, scan, scan_seen,
};

use crate::diag::{Code, Diagnostic};
use crate::markup::Parsed;
use crate::model::Limits;
use std::path::Path;

/// Reports every unmasked number in an entry file's text (front matter and body alike), then
/// every one more that a reader sees in the rendered body ([`reader`]) but the source hides
/// from the scan by markup, character references or invisible characters. `body` is the
/// parsed Markdown body, starting on line `body_line` of the file (`None` for a body nested too
/// deeply to be parsed, an error already: only its source is scanned).
pub fn scan_entry(
    display: &str,
    text: &str,
    body: Option<&Parsed<'_>>,
    body_line: u32,
    diags: &mut Vec<Diagnostic>,
) {
    let mut known = Vec::new();
    for number in scan(text) {
        known.push(digits_of(text, &number));
        diags.push(privacy_finding(display, &number, Found::Entry));
    }
    let Some(body) = body else {
        return;
    };
    let seen = reader::reader_text(body);
    for number in scan_seen(&seen.text) {
        let digits = digits_of(&seen.text, &number);
        if let Some(i) = known.iter().position(|k| *k == digits) {
            known.swap_remove(i);
            continue;
        }
        let source = seen.source_offset(number.span.start);
        let mut finding = privacy_finding(display, &number, Found::Seen);
        finding.line = Some(body_line + body.line_at(source) - 1);
        diags.push(finding);
    }
}

/// A found number's digits (and check `X`), without separators: the same number found in the
/// source and in the reader's text compares equal.
fn digits_of(text: &str, number: &PersonalNumber) -> String {
    text.get(number.span.clone())
        .unwrap_or_default()
        .chars()
        .filter_map(|c| match c {
            '0'..='9' | 'X' | 'x' => Some(c.to_ascii_uppercase()),
            '０'..='９' => char::from_u32(u32::from(c) - 0xFEE0),
            'ｘ' | 'Ｘ' => Some('X'),
            _ => None,
        })
        .collect()
}

/// Reports unmasked personal numbers in an attachment whose text can be read (see
/// [`attachments`]): it is published as it is. `name` is the file name shown to the clerk.
/// An attachment beyond `limits` cannot be checked, which is an error like an unreadable one.
pub fn scan_attachment(path: &Path, name: &str, limits: &Limits, diags: &mut Vec<Diagnostic>) {
    let Some(format) = attachments::Format::of(name) else {
        return;
    };
    let display = crate::source::display_path(path);
    let pieces = match attachments::read(path, &display, format, limits) {
        Ok(pieces) => pieces,
        Err(attachments::Unreadable::Io(e)) => {
            diags.push(crate::source::io_error(&display, &e));
            return;
        }
        Err(attachments::Unreadable::Format(why)) => {
            diags.push(
                Diagnostic::new(
                    Code::Privacy,
                    format!(
                        "无法检查附件“{}”中有没有未打码的个人信息：{why}",
                        name
                    ),
                )
                .in_file(display)
                .hint("确认文件能用 Excel、WPS、Word 或 PDF 阅读器打开，没有损坏、没有设置打开密码，另存一份后放回；确需原样公开的，在条目的 front matter 中写 privacy_exception = \"理由\"。"),
            );
            return;
        }
        Err(attachments::Unreadable::TooBig(why)) => {
            diags.push(
                Diagnostic::new(
                    Code::Privacy,
                    format!(
                        "无法检查附件“{name}”中有没有未打码的个人信息，文件超出检查上限：{why}"
                    ),
                )
                .in_file(display)
                .hint(crate::tabular::bounds::BREACH_HINT),
            );
            return;
        }
    };
    for piece in pieces {
        for number in scan(&piece.text) {
            let (place, line) = format.locate(piece.place.as_deref(), number.line);
            let found = Found::Attachment { name, place, line };
            diags.push(privacy_finding(&display, &number, found));
        }
    }
}

/// Where an unmasked number was found.
enum Found<'a> {
    /// In the entry's own file.
    Entry,
    /// In the entry's body as a reader sees it, hidden in the source by markup.
    Seen,
    /// In its attachment `name`: at `place` (a workbook's sheet and row, a document's
    /// paragraph, a PDF's page and line; empty for a text file) and, for a text file, `line`
    /// ([`attachments::Format::locate`]).
    Attachment {
        name: &'a str,
        place: String,
        line: Option<u32>,
    },
}

/// The finding for an unmasked number in `file`. The line holds the number itself, so it is
/// never echoed into logs.
fn privacy_finding(file: &str, number: &PersonalNumber, found: Found) -> Diagnostic {
    let mask_hint = "把号码中间打码（如 4401**********1234、138****5678）";
    let (place, line, hint) = match found {
        Found::Entry => (
            "发现".to_owned(),
            Some(number.line),
            format!(
                "{mask_hint}；确属依法公开的（如单位热线），在 front matter 中写 privacy_exception = \"理由\"。"
            ),
        ),
        Found::Seen => (
            "页面上读者看到的正文中有".to_owned(),
            None,
            format!(
                "源文件中这个号码被 HTML 标记、Markdown 格式、字符实体（如 &#49;）或看不见的字符（如零宽空格）隔开，页面上仍是完整号码：{mask_hint}，并删去隔开它的标记；确属依法公开的，在 front matter 中写 privacy_exception = \"理由\"。"
            ),
        ),
        Found::Attachment { name, place, line } => (
            format!("附件“{name}”{place}中有"),
            line,
            format!(
                "在附件中{mask_hint}后重新保存；确属依法公开的（如单位热线），在条目的 front matter 中写 privacy_exception = \"理由\"。"
            ),
        ),
    };
    let mut finding = Diagnostic::new(
        Code::Privacy,
        format!(
            "{place}未打码的{}“{}”，公开会泄露个人信息。",
            number.kind.label(),
            number.masked
        ),
    )
    .in_file(file)
    .hint(hint);
    finding.line = line;
    finding
}
