//! An attachment's text as the personal-data scan ([`super`]) reads it: what a reader
//! who downloads the file sees.
//!
//! - Plain-text files are decoded as UTF-8, UTF-16 with BOM or GBK/GB 18030 (as Excel on Chinese
//!   Windows saves CSV), and byte for byte when none fits (the digits of most encodings are
//!   ASCII).
//! - Workbooks (`.xlsx .xlsm .xls .ods`) are read row by row: a 名单 kept as a spreadsheet is
//!   the commonest way 身份证号 reach a government site. `.xlsx` files are read only as far as
//!   their filled cells go ([`crate::tabular::xlsx_cells`]); `.xls` and `.ods` go through the
//!   shared table reader, which holds each sheet whole (an `.xls` sheet has at most
//!   65,536 × 256 cells).
//! - Word documents (`.docx`) are read paragraph by paragraph (a table cell's text is a
//!   paragraph too).
//! - PDF files are read page by page, line by line, as their fonts map glyphs to characters
//!   ([`super::pdf`]).
//!
//! Images (and PDF pages that are scanned images) and old Word (`.doc`) files cannot be read
//! here; README says to mask them before export.

use crate::model::Limits;
use crate::tabular::bounds::{self, Refused, guarded};
use crate::tabular::{cell_text, decode_text, read_sheets, xlsx_cells};
use std::io::Read;
use std::path::Path;

/// How an attachment's text is read, by its file name's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A plain-text file, scanned line by line.
    Text,
    /// A workbook, scanned row by row.
    Workbook,
    /// A Word document, scanned paragraph by paragraph.
    Word,
    /// A PDF file, scanned page by page.
    Pdf,
}

impl Format {
    /// The format of an attachment named `name`; `None` if its text cannot be read here.
    pub fn of(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.').map_or("", |(_, ext)| ext);
        let is = |list: &[&str]| list.iter().any(|e| ext.eq_ignore_ascii_case(e));
        if is(&["csv", "tsv", "txt", "md", "json", "xml", "html", "htm"]) {
            Some(Format::Text)
        } else if is(&["xlsx", "xlsm", "xls", "ods"]) {
            Some(Format::Workbook)
        } else if is(&["docx"]) {
            Some(Format::Word)
        } else if is(&["pdf"]) {
            Some(Format::Pdf)
        } else {
            None
        }
    }

    /// Where a number found on `line` of a piece read at `place` is, for a message: the place
    /// to name and the line to give the finding (only a text file's lines are the file's own).
    pub fn locate(self, place: Option<&str>, line: u32) -> (String, Option<u32>) {
        match (self, place) {
            (Format::Pdf, page) => (format!("{}第 {line} 行", page.unwrap_or("")), None),
            // A workbook's row; a Word document's header, footer, notes or comments.
            (_, Some(place)) => (place.to_owned(), None),
            (Format::Word, None) => (format!("第 {line} 段"), None),
            (_, None) => (String::new(), Some(line)),
        }
    }
}

/// Whether an attachment named `name` is read for personal numbers.
pub fn is_scanned(name: &str) -> bool {
    Format::of(name).is_some()
}

/// A stretch of an attachment's text.
#[derive(Debug, PartialEq, Eq)]
pub struct Piece {
    /// Where it is, to put in a message (工作表“名单”第 5 行, 第 2 页); `None` where the numbers
    /// found are placed by the text's own lines (a text file) or paragraphs (a Word document's
    /// body). [`Format::locate`] turns it and a line into what a message says.
    pub place: Option<String>,
    /// The text.
    pub text: String,
}

/// Why an attachment's text could not be read.
#[derive(Debug)]
pub enum Unreadable {
    /// The file could not be read at all.
    Io(std::io::Error),
    /// It is not a file of its format (damaged, encrypted or misnamed): why, as a Chinese
    /// sentence.
    Format(String),
    /// It is beyond one of the [`Limits`]: which, as a Chinese sentence.
    TooBig(String),
}

impl From<Refused> for Unreadable {
    fn from(r: Refused) -> Unreadable {
        match r {
            Refused::TooBig(b) => Unreadable::TooBig(format!("{}。", b.0)),
            Refused::Unreadable(why) => Unreadable::Format(format!("{why}。")),
        }
    }
}

/// Reads the text of the attachment at `path` (shown as `display`), in `format`, within
/// `limits`. A panic in a third-party reader makes the file unreadable, never the program end.
pub fn read(
    path: &Path,
    display: &str,
    format: Format,
    limits: &Limits,
) -> Result<Vec<Piece>, Unreadable> {
    std::fs::metadata(path).map_err(Unreadable::Io)?;
    guarded(|| read_bounded(path, display, format, limits)).unwrap_or_else(|| {
        Err(Unreadable::Format(format!(
            "{}。",
            crate::tabular::READER_PANIC
        )))
    })
}

fn read_bounded(
    path: &Path,
    display: &str,
    format: Format,
    limits: &Limits,
) -> Result<Vec<Piece>, Unreadable> {
    match format {
        Format::Text => {
            bounds::check_file_size(path, limits)?;
            let bytes = std::fs::read(path).map_err(Unreadable::Io)?;
            let text = decode_text(&bytes)
                .unwrap_or_else(|_| String::from_utf8_lossy(&bytes).into_owned());
            Ok(vec![Piece { place: None, text }])
        }
        Format::Workbook => {
            std::fs::metadata(path).map_err(Unreadable::Io)?;
            let ext = path
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or_default();
            if ["xlsx", "xlsm"].iter().any(|e| ext.eq_ignore_ascii_case(e)) {
                crate::tabular::check_workbook(path, "xlsx", limits).map_err(|r| match r {
                    Refused::Unreadable(why) => {
                        Unreadable::Format(format!("无法打开工作簿：{why}。"))
                    }
                    too_big => too_big.into(),
                })?;
                let mut pieces = xlsx_rows(path, limits)?;
                pieces.extend(xlsx_comments(path, limits)?);
                return Ok(pieces);
            }
            let sheets = read_sheets(path, display, limits).map_err(|f| {
                if f.too_big {
                    Unreadable::TooBig(f.message)
                } else {
                    Unreadable::Format(f.message)
                }
            })?;
            let mut pieces = Vec::new();
            for sheet in sheets {
                let name = sheet.name.unwrap_or_default();
                for (r, row) in sheet.rows.iter().enumerate() {
                    // Merged cells repeat their text in every cell; one copy is enough.
                    let mut cells: Vec<&str> = row.iter().map(String::as_str).collect();
                    cells.dedup();
                    let text = cells.join("\t");
                    if !text.trim().is_empty() {
                        pieces.push(Piece {
                            place: Some(format!("工作表“{name}”第 {} 行", r + 1)),
                            text,
                        });
                    }
                }
            }
            Ok(pieces)
        }
        Format::Pdf => {
            bounds::check_file_size(path, limits)?;
            let bytes = std::fs::read(path).map_err(Unreadable::Io)?;
            let pages = super::pdf::pages_text(bytes, limits).map_err(|e| match e {
                Refused::TooBig(b) => Unreadable::TooBig(format!("{}。", b.0)),
                Refused::Unreadable(why) => {
                    Unreadable::Format(format!("无法读取 PDF 文件：{why}。"))
                }
            })?;
            Ok(pages
                .into_iter()
                .enumerate()
                .map(|(n, text)| Piece {
                    place: Some(format!("第 {} 页", n + 1)),
                    text,
                })
                .collect())
        }
        Format::Word => {
            let not_word =
                |why: String| Unreadable::Format(format!("不是能打开的 Word 文档（{why}）。"));
            // The parts' declared sizes bound what is unpacked (the zip reader enforces them).
            let mut zip = bounds::check_zip(path, limits).map_err(|r| match r {
                Refused::Unreadable(why) => not_word(why),
                too_big => too_big.into(),
            })?;
            // The body first (its numbers are placed by paragraph), then every other part a
            // reader can see: headers, footers, footnotes, endnotes, comments.
            let mut parts: Vec<(String, Option<&str>)> =
                vec![("word/document.xml".to_owned(), None)];
            let mut others: Vec<(String, Option<&str>)> = zip
                .file_names()
                .filter_map(|name| {
                    let name = name.ok()?;
                    let label = word_part_label(&name)?;
                    Some((name.into_owned(), Some(label)))
                })
                .collect();
            others.sort();
            parts.extend(others);
            let mut pieces = Vec::new();
            for (name, place) in parts {
                let mut xml = String::new();
                zip.by_name(&name)
                    .map_err(|e| not_word(crate::reason::zip(&e)))?
                    .read_to_string(&mut xml)
                    .map_err(|e| not_word(crate::reason::io(&e)))?;
                let text = word_paragraphs(&xml)
                    .map_err(|e| not_word(format!("文档内容有误（技术细节：{e}）")))?;
                pieces.push(Piece {
                    place: place.map(str::to_owned),
                    text,
                });
            }
            Ok(pieces)
        }
    }
}

/// An `.xlsx` workbook's rows, read cell by cell as they are stored (never the whole grid:
/// [`xlsx_cells`]), each row's cells once (merged cells are stored once).
fn xlsx_rows(path: &Path, limits: &Limits) -> Result<Vec<Piece>, Unreadable> {
    use calamine::{Reader, Xlsx};
    let fail = |why: String| Unreadable::Format(format!("无法打开工作簿：{why}。"));
    let mut workbook: Xlsx<_> =
        calamine::open_workbook(path).map_err(|e| fail(crate::reason::xlsx(&e)))?;
    let mut pieces = Vec::new();
    let mut counted = 0;
    for name in workbook.sheet_names() {
        let cells =
            xlsx_cells(&mut workbook, &name, limits, &mut counted).map_err(|r| match r {
                Refused::Unreadable(why) => fail(why),
                too_big => too_big.into(),
            })?;
        for row in cells.chunk_by(|a, b| a.0 == b.0) {
            let texts: Vec<String> = row.iter().map(|(.., cell)| cell_text(cell)).collect();
            pieces.push(Piece {
                place: Some(format!("工作表“{name}”第 {} 行", row[0].0 + 1)),
                text: texts.join("\t"),
            });
        }
    }
    Ok(pieces)
}

/// The cell comments (批注) of an `.xlsx` workbook, each a piece placed by its cell: legacy
/// comments (`xl/comments*.xml`) and threaded ones (`xl/threadedComments/*.xml`). The workbook
/// was checked ([`crate::tabular::check_workbook`]), so these parts are within the limits.
fn xlsx_comments(path: &Path, limits: &Limits) -> Result<Vec<Piece>, Unreadable> {
    let mut zip = bounds::check_zip(path, limits)?;
    let names: Vec<String> = (0..zip.len())
        .filter_map(|i| Some(zip.name_for_index(i)?.ok()?.into_owned()))
        .filter(|n| {
            let lower = n.to_ascii_lowercase();
            lower.ends_with(".xml")
                && (lower.starts_with("xl/comments") || lower.starts_with("xl/threadedcomments/"))
        })
        .collect();
    let mut pieces = Vec::new();
    for name in names {
        let mut xml = String::new();
        zip.by_name(&name)
            .map_err(|e| Unreadable::Format(format!("{}。", crate::reason::zip(&e))))?
            .read_to_string(&mut xml)
            .map_err(|e| Unreadable::Format(format!("{}。", crate::reason::io(&e))))?;
        comment_pieces(&xml, &mut pieces)
            .map_err(|e| Unreadable::Format(format!("批注内容有误（技术细节：{e}）。")))?;
    }
    Ok(pieces)
}

/// The text of each `comment` / `threadedComment` element of a comments part, placed by its
/// `ref` cell.
fn comment_pieces(xml: &str, pieces: &mut Vec<Piece>) -> Result<(), quick_xml::Error> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut current: Option<(String, String)> = None;
    let mut in_text = false;
    loop {
        match reader.read_event()? {
            Event::Start(e) if matches!(e.local_name().as_ref(), "comment" | "threadedComment") => {
                let cell = e
                    .try_get_attribute("ref")
                    .ok()
                    .flatten()
                    .map(|a| a.value.into_owned())
                    .unwrap_or_default();
                current = Some((cell, String::new()));
            }
            Event::End(e) if matches!(e.local_name().as_ref(), "comment" | "threadedComment") => {
                if let Some((cell, text)) = current.take() {
                    pieces.push(Piece {
                        place: Some(format!("单元格 {cell} 的批注")),
                        text,
                    });
                }
            }
            Event::Start(e) if matches!(e.local_name().as_ref(), "t" | "text") => in_text = true,
            Event::End(e) if matches!(e.local_name().as_ref(), "t" | "text") => in_text = false,
            Event::Text(t) if in_text => {
                if let Some((_, text)) = &mut current {
                    text.push_str(&t);
                }
            }
            Event::GeneralRef(r) if in_text => {
                if let Some((_, text)) = &mut current {
                    match r.resolve_char_ref()? {
                        Some(c) => text.push(c),
                        None => text.push_str(
                            quick_xml::escape::resolve_predefined_entity(&r).unwrap_or_default(),
                        ),
                    }
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// What a reader calls a part of a Word document other than its body, by the part's name in
/// the file; `None` for the body and for parts that hold no text a reader sees.
fn word_part_label(name: &str) -> Option<&'static str> {
    let stem = name.strip_prefix("word/")?.strip_suffix(".xml")?;
    let kind = stem.trim_end_matches(|c: char| c.is_ascii_digit());
    match kind {
        "header" => Some("页眉"),
        "footer" => Some("页脚"),
        "footnotes" => Some("脚注"),
        "endnotes" => Some("尾注"),
        "comments" => Some("批注"),
        _ => None,
    }
}

/// The text of a part of a Word document, one line per paragraph: the runs' text joined (`w:t`,
/// and `w:delText`: a tracked deletion is still in the file), tabs kept, a line break inside a
/// paragraph read as a space (so lines stay paragraphs).
fn word_paragraphs(xml: &str) -> Result<String, quick_xml::Error> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut text = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event()? {
            Event::Start(e) if matches!(e.local_name().as_ref(), "t" | "delText") => {
                in_text = true;
            }
            Event::End(e) if matches!(e.local_name().as_ref(), "t" | "delText") => {
                in_text = false;
            }
            Event::End(e) if e.local_name().as_ref() == "p" => text.push('\n'),
            Event::Empty(e) if e.local_name().as_ref() == "tab" => text.push('\t'),
            Event::Empty(e) if matches!(e.local_name().as_ref(), "br" | "cr") => text.push(' '),
            Event::Text(t) if in_text => text.push_str(&t),
            Event::GeneralRef(r) if in_text => match r.resolve_char_ref()? {
                Some(c) => text.push(c),
                None => text
                    .push_str(quick_xml::escape::resolve_predefined_entity(&r).unwrap_or_default()),
            },
            Event::Eof => return Ok(text),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_go_by_extension_in_any_case() {
        assert_eq!(Format::of("名单.CSV"), Some(Format::Text));
        assert_eq!(Format::of("名单.xlsx"), Some(Format::Workbook));
        assert_eq!(Format::of("名单.XLS"), Some(Format::Workbook));
        assert_eq!(Format::of("公示.docx"), Some(Format::Word));
        assert_eq!(Format::of("公示.PDF"), Some(Format::Pdf));
        assert_eq!(Format::of("公示.doc"), None);
        assert_eq!(Format::of("csv"), None);
    }

    #[test]
    fn a_word_paragraph_is_one_line_whatever_its_runs() {
        let xml = r#"<w:document xmlns:w="w"><w:body>
            <w:p><w:r><w:t>张三</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">1101051949</w:t></w:r><w:r><w:t>1001123&#88;</w:t></w:r></w:p>
            <w:p><w:r><w:t>李&amp;四</w:t><w:br/><w:t>完</w:t></w:r><w:del><w:r><w:delText>删</w:delText></w:r></w:del></w:p>
        </w:body></w:document>"#;
        assert_eq!(
            word_paragraphs(xml).expect("parses"),
            "张三\t11010519491001123X\n李&四 完删\n"
        );
    }

    #[test]
    fn parts_a_reader_sees_are_named() {
        assert_eq!(word_part_label("word/header2.xml"), Some("页眉"));
        assert_eq!(word_part_label("word/footnotes.xml"), Some("脚注"));
        assert_eq!(word_part_label("word/comments.xml"), Some("批注"));
        assert_eq!(word_part_label("word/document.xml"), None);
        assert_eq!(word_part_label("word/styles.xml"), None);
        assert_eq!(word_part_label("customXml/item1.xml"), None);
    }
}
