//! Bounded reading of users' files: what keeps a small file built to unpack into gigabytes (a
//! "bomb") from taking all memory or minutes, before any third-party reader sees it.
//!
//! - [`check_zip`] reads a zip-based file's directory: the XML parts a reader would unpack must
//!   together declare at most [`Limits::unpacked_bytes`]. The zip reader stops any part at its
//!   declared size, so the declaration bounds what is unpacked.
//! - [`check_shared_strings`] and [`check_ods_content`] then stream the parts whose contents a
//!   reader would hold whole (an `.xlsx` file's shared strings, an `.ods` file's cells with their
//!   repeat counts) with [`scan_xml`], which never holds more than one tag, counting as they go.
//! - [`guarded`] runs a third-party reader so that a panic in it comes back as a value and
//!   prints nothing; the caller turns it into a Chinese finding.
//!
//! Every breach is a [`Breach`]: a Chinese sentence naming the limit and how to change it.

use crate::model::Limits;
use std::cell::Cell;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// A file beyond one of the [`Limits`]: what was exceeded, as a Chinese sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breach(pub String);

/// The hint for every breach.
pub const BREACH_HINT: &str = "这样大的文件多半是导出出错或被人为构造的；确需公开时，请拆成几个小文件，或在 site.toml 的 [limits] 中调高对应的上限（见 docs/limits.md）。";

/// Megabytes, for messages.
pub fn mb(bytes: u64) -> u64 {
    bytes >> 20
}

/// Why a file could not be checked: too big for the limits, or not readable as its format.
#[derive(Debug)]
pub enum Refused {
    /// Beyond a limit.
    TooBig(Breach),
    /// Damaged or not of its format: why, as a Chinese phrase.
    Unreadable(String),
}

impl From<Breach> for Refused {
    fn from(b: Breach) -> Refused {
        Refused::TooBig(b)
    }
}

thread_local! {
    /// Set while [`guarded`] runs a reader on this thread: its panics print nothing.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `read` (a third-party reader on a user's file) so that a panic in it, however deep,
/// returns `None` instead of ending the program, and writes nothing to the terminal: the
/// caller reports the file as unreadable, in Chinese. Panics elsewhere still print as usual.
pub fn guarded<T>(read: impl FnOnce() -> T) -> Option<T> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    QUIET.with(|q| q.set(was));
    result.ok()
}

/// Whether a zip member is one a workbook or Word reader unpacks (its XML parts).
fn is_read_part(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".xml") || lower.ends_with(".rels") || lower == "mimetype"
}

/// Checks a zip-based file (`.xlsx`, `.ods`, `.docx`) before it is unpacked: the parts a reader
/// unpacks declare together at most `limits.unpacked_bytes`. Returns the open archive.
pub fn check_zip(
    path: &Path,
    limits: &Limits,
) -> Result<zip::ZipArchive<BufReader<std::fs::File>>, Refused> {
    let file = std::fs::File::open(path)
        .map_err(|e| Refused::Unreadable(format!("无法读取文件：{}", crate::reason::io(&e))))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file))
        .map_err(|e| Refused::Unreadable(crate::reason::zip(&e)))?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index_raw(i) else {
            continue;
        };
        if !entry.name().is_ok_and(|name| is_read_part(&name)) {
            continue;
        }
        total = total.saturating_add(entry.size());
        if total > limits.unpacked_bytes {
            return Err(Breach(format!(
                "文件解压后超过 {} MB（检查上限 unpacked_mb），不再继续解压",
                mb(limits.unpacked_bytes)
            ))
            .into());
        }
    }
    Ok(zip)
}

/// Reads the member of `zip` whose name ends with `suffix` (in any letter case) through
/// `scan`; `Ok` when there is none.
pub fn scan_member<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    suffix: &str,
    scan: impl FnOnce(&mut dyn BufRead) -> Result<(), Refused>,
) -> Result<(), Refused> {
    let suffix = suffix.to_ascii_lowercase();
    let Some(index) = (0..zip.len()).find(|&i| {
        zip.name_for_index(i)
            .and_then(Result::ok)
            .is_some_and(|n| n.to_ascii_lowercase().ends_with(&suffix))
    }) else {
        return Ok(());
    };
    let member = zip
        .by_index(index)
        .map_err(|e| Refused::Unreadable(crate::reason::zip(&e)))?;
    scan(&mut BufReader::new(member))
}

/// One piece of XML as [`scan_xml`] reports it.
#[derive(Debug, PartialEq, Eq)]
pub enum Token<'a> {
    /// `<name …>`: the whole tag's inside (name and attributes).
    Start(&'a [u8]),
    /// `</name>`: the name.
    End(&'a [u8]),
    /// `<name …/>`.
    Empty(&'a [u8]),
    /// Characters between tags: how many (an entity reference counts as written).
    Text(u64),
}

/// The longest tag kept (a tag is its name and attributes; real ones are far shorter).
const MAX_TAG: usize = 64 << 10;

/// Streams XML from `input`, calling `on` for each tag and each run of text, holding at most one
/// tag ([`MAX_TAG`] bytes) at a time: a huge text costs a count, never memory. Comments,
/// processing instructions and declarations are skipped; CDATA counts as text.
pub fn scan_xml(
    input: &mut dyn BufRead,
    mut on: impl FnMut(Token<'_>) -> Result<(), Refused>,
) -> Result<(), Refused> {
    let bad = |why: &str| Refused::Unreadable(format!("文件内容不是正确的 XML（{why}）"));
    let mut tag: Vec<u8> = Vec::new();
    let mut in_tag = false;
    let mut quote: Option<u8> = None;
    loop {
        let buf = input
            .fill_buf()
            .map_err(|e| Refused::Unreadable(crate::reason::io(&e)))?;
        if buf.is_empty() {
            return if in_tag {
                Err(bad("文件在标记中间结束"))
            } else {
                Ok(())
            };
        }
        let len = buf.len();
        let mut text: u64 = 0;
        for &b in buf {
            if !in_tag {
                if b == b'<' {
                    if text > 0 {
                        on(Token::Text(text))?;
                        text = 0;
                    }
                    in_tag = true;
                    tag.clear();
                } else if b & 0xC0 != 0x80 {
                    text += 1;
                }
                continue;
            }
            if let Some(q) = quote {
                if b == q {
                    quote = None;
                }
            } else if b == b'>' && tag_closes(&tag) {
                in_tag = false;
                emit(&tag, &mut on)?;
                continue;
            } else if (b == b'"' || b == b'\'') && !tag.starts_with(b"!") && !tag.starts_with(b"?")
            {
                quote = Some(b);
            }
            if tag.len() >= MAX_TAG {
                return Err(bad("标记过长"));
            }
            tag.push(b);
        }
        if text > 0 {
            on(Token::Text(text))?;
        }
        input.consume(len);
    }
}

/// Whether a `>` ends the tag collected so far (comments and CDATA end only with `-->`, `]]>`).
fn tag_closes(tag: &[u8]) -> bool {
    if tag.starts_with(b"!--") {
        tag.len() >= 5 && tag.ends_with(b"--")
    } else if tag.starts_with(b"![CDATA[") {
        tag.ends_with(b"]]")
    } else {
        true
    }
}

fn emit(tag: &[u8], on: &mut impl FnMut(Token<'_>) -> Result<(), Refused>) -> Result<(), Refused> {
    if let Some(cdata) = tag.strip_prefix(b"![CDATA[") {
        let body = cdata.strip_suffix(b"]]").unwrap_or(cdata);
        let chars = body.iter().filter(|&&b| b & 0xC0 != 0x80).count() as u64;
        return on(Token::Text(chars));
    }
    if tag.starts_with(b"!") || tag.starts_with(b"?") {
        return Ok(());
    }
    if let Some(name) = tag.strip_prefix(b"/") {
        return on(Token::End(name.trim_ascii()));
    }
    match tag.strip_suffix(b"/") {
        Some(inner) => on(Token::Empty(inner)),
        None => on(Token::Start(tag)),
    }
}

/// A tag's local name (without its prefix): `w:t a="1"` → `t`.
pub fn local_name(tag: &[u8]) -> &[u8] {
    let end = tag
        .iter()
        .position(|b| b.is_ascii_whitespace())
        .unwrap_or(tag.len());
    let name = &tag[..end];
    match name.iter().rposition(|&b| b == b':') {
        Some(colon) => &name[colon + 1..],
        None => name,
    }
}

/// The tag's qualified name: `table:table-cell a="1"` → `table:table-cell`.
fn qualified_name(tag: &[u8]) -> &[u8] {
    let end = tag
        .iter()
        .position(|b| b.is_ascii_whitespace())
        .unwrap_or(tag.len());
    &tag[..end]
}

/// The value of attribute `name` (qualified, as written) in a tag.
pub fn attribute<'a>(tag: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let mut rest = tag;
    loop {
        let at = rest.windows(name.len()).position(|w| w == name)?;
        let before_ok = at > 0 && rest[at - 1].is_ascii_whitespace();
        let after = rest[at + name.len()..].trim_ascii_start();
        if before_ok && let Some(after) = after.strip_prefix(b"=") {
            let after = after.trim_ascii_start();
            let quote = *after.first()?;
            let body = &after[1..];
            let end = body.iter().position(|&b| b == quote)?;
            return Some(&body[..end]);
        }
        rest = &rest[at + name.len()..];
    }
}

/// A whole-number attribute (a repeat count); absent or unreadable is 1.
fn count_attribute(tag: &[u8], name: &[u8]) -> u64 {
    attribute(tag, name)
        .and_then(|v| std::str::from_utf8(v).ok())
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1)
}

/// The breach of [`Limits::cells`].
pub fn too_many_cells(limits: &Limits) -> Breach {
    Breach(format!(
        "表格的单元格超过 {} 个（检查上限 cells，重复的单元格按重复次数计）",
        limits.cells
    ))
}

/// The breach of [`Limits::cell_chars`].
pub fn too_long_cell(limits: &Limits) -> Breach {
    Breach(format!(
        "有单元格超过 {} 个字（检查上限 cell_chars）",
        limits.cell_chars
    ))
}

/// Streams an `.xlsx` file's shared strings (`xl/sharedStrings.xml`), which readers hold
/// whole: at most `limits.shared_strings` of them, none longer than `limits.cell_chars`.
pub fn check_shared_strings(input: &mut dyn BufRead, limits: &Limits) -> Result<(), Refused> {
    let mut count: u64 = 0;
    let mut chars: u64 = 0;
    let mut in_text = false;
    scan_xml(input, |token| {
        match token {
            Token::Start(tag) | Token::Empty(tag) if local_name(tag) == b"si" => {
                count += 1;
                chars = 0;
                if count > limits.shared_strings {
                    return Err(Breach(format!(
                        "工作簿的共享字符串超过 {} 个（检查上限 shared_strings）",
                        limits.shared_strings
                    ))
                    .into());
                }
            }
            Token::Start(tag) if local_name(tag) == b"t" => in_text = true,
            Token::End(name) if local_name(name) == b"t" => in_text = false,
            Token::Text(n) if in_text => {
                chars += n;
                if chars > limits.cell_chars {
                    return Err(too_long_cell(limits).into());
                }
            }
            _ => {}
        }
        Ok(())
    })
}

/// Streams an `.ods` file's `content.xml`, whose sheets readers hold whole with every repeated
/// cell and row written out: the area from the first to the last filled row and the first
/// column to the last filled one (counted with repeats, over all sheets), the cells of the rows
/// as stored, and the filled cells are each at most `limits.cells`; no cell is longer than
/// `limits.cell_chars`.
pub fn check_ods_content(input: &mut dyn BufRead, limits: &Limits) -> Result<(), Refused> {
    #[derive(Default)]
    struct State {
        /// Rows of the current sheet so far, repeats counted.
        row: u64,
        row_repeat: u64,
        /// Columns of the current row so far, repeats counted.
        col: u64,
        /// Where the current row's last filled cell ends.
        row_end: u64,
        first_row: Option<u64>,
        last_row_end: u64,
        max_col_end: u64,
        /// The current cell: repeats, filled, characters; `None` outside a cell.
        cell: Option<(u64, bool, u64)>,
        /// Inside an annotation (a comment, not the cell's value).
        annotation: u32,
        /// Totals over the sheets done so far.
        area: u64,
        stored: u64,
        filled: u64,
    }
    let mut s = State::default();
    let cells_breach = || Refused::from(too_many_cells(limits));
    let end_cell = |s: &mut State| -> Result<(), Refused> {
        if let Some((repeat, filled, _)) = s.cell.take() {
            if filled {
                s.row_end = s.col.saturating_add(repeat);
                s.filled = s.filled.saturating_add(repeat.saturating_mul(s.row_repeat));
            }
            s.col = s.col.saturating_add(repeat);
        }
        if s.filled > limits.cells {
            return Err(cells_breach());
        }
        Ok(())
    };
    let end_row = |s: &mut State| -> Result<(), Refused> {
        if s.row_end > 0 {
            s.first_row.get_or_insert(s.row);
            s.last_row_end = s.row.saturating_add(s.row_repeat);
            s.max_col_end = s.max_col_end.max(s.row_end);
            s.stored = s.stored.saturating_add(s.row_end);
        }
        s.row = s.row.saturating_add(s.row_repeat);
        let area = s
            .last_row_end
            .saturating_sub(s.first_row.unwrap_or(0))
            .saturating_mul(s.max_col_end);
        if s.stored > limits.cells || s.area.saturating_add(area) > limits.cells {
            return Err(cells_breach());
        }
        Ok(())
    };
    scan_xml(input, |token| {
        match token {
            Token::Start(tag) | Token::Empty(tag) => {
                let empty = matches!(token, Token::Empty(_));
                match qualified_name(tag) {
                    b"table:table" => {
                        s.row = 0;
                        s.first_row = None;
                        s.last_row_end = 0;
                        s.max_col_end = 0;
                    }
                    b"table:table-row" => {
                        s.row_repeat = count_attribute(tag, b"table:number-rows-repeated");
                        s.col = 0;
                        s.row_end = 0;
                        if empty {
                            end_row(&mut s)?;
                        }
                    }
                    b"table:table-cell" | b"table:covered-table-cell" => {
                        let repeat = count_attribute(tag, b"table:number-columns-repeated");
                        let valued = attribute(tag, b"office:value-type").is_some();
                        s.cell = Some((repeat, valued, 0));
                        if empty {
                            end_cell(&mut s)?;
                        }
                    }
                    b"office:annotation" if !empty => s.annotation += 1,
                    b"text:s" => {
                        let spaces = count_attribute(tag, b"text:c");
                        if let Some((_, filled, chars)) = &mut s.cell {
                            *chars = chars.saturating_add(spaces);
                            *filled = true;
                            if *chars > limits.cell_chars {
                                return Err(too_long_cell(limits).into());
                            }
                        }
                    }
                    _ => {}
                }
            }
            Token::End(name) => match name {
                b"table:table-cell" | b"table:covered-table-cell" => end_cell(&mut s)?,
                b"table:table-row" => end_row(&mut s)?,
                b"office:annotation" => s.annotation = s.annotation.saturating_sub(1),
                b"table:table" => {
                    let area = s
                        .last_row_end
                        .saturating_sub(s.first_row.unwrap_or(0))
                        .saturating_mul(s.max_col_end);
                    s.area = s.area.saturating_add(area);
                }
                _ => {}
            },
            Token::Text(n) => {
                if s.annotation == 0
                    && let Some((_, filled, chars)) = &mut s.cell
                {
                    *chars = chars.saturating_add(n);
                    *filled = true;
                    if *chars > limits.cell_chars {
                        return Err(too_long_cell(limits).into());
                    }
                }
            }
        }
        Ok(())
    })
}

/// Checks a CSV or text file's size before it is read: at most `limits.unpacked_bytes`.
pub fn check_file_size(path: &Path, limits: &Limits) -> Result<(), Refused> {
    let meta = std::fs::metadata(path)
        .map_err(|e| Refused::Unreadable(format!("无法读取文件：{}", crate::reason::io(&e))))?;
    if meta.len() > limits.unpacked_bytes {
        return Err(Breach(format!(
            "文件超过 {} MB（检查上限 unpacked_mb）",
            mb(limits.unpacked_bytes)
        ))
        .into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(xml: &str) -> Vec<String> {
        let mut out = Vec::new();
        scan_xml(&mut xml.as_bytes(), |t| {
            out.push(match t {
                Token::Start(t) => format!("<{}>", String::from_utf8_lossy(t)),
                Token::End(t) => format!("</{}>", String::from_utf8_lossy(t)),
                Token::Empty(t) => format!("<{}/>", String::from_utf8_lossy(t)),
                Token::Text(n) => n.to_string(),
            });
            Ok(())
        })
        .expect("scans");
        out
    }

    #[test]
    fn xml_is_streamed_tag_by_tag_with_text_counted() {
        assert_eq!(
            tokens(
                r#"<?xml v="1"?><a x="1>2"><!-- <b> --><t>张三&amp;</t><e/><![CDATA[a<b]]></a>"#
            ),
            ["<a x=\"1>2\">", "<t>", "7", "</t>", "<e/>", "3", "</a>"]
        );
        assert_eq!(
            attribute(br#"c  table:n="5" x='y'"#, b"table:n"),
            Some(&b"5"[..])
        );
        assert_eq!(attribute(br#"c xtable:n="5""#, b"table:n"), None);
        assert_eq!(local_name(b"w:t xml:space=\"p\""), b"t");
    }

    fn ods(body: &str, limits: &Limits) -> Result<(), Refused> {
        check_ods_content(&mut body.as_bytes(), limits)
    }

    #[test]
    fn ods_repeats_are_counted_without_being_written_out() {
        let limits = Limits {
            cells: 100,
            ..Limits::default()
        };
        // Calc's trailing empty rows and columns cost nothing.
        let normal = r#"<table:table table:name="a"><table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16383"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>"#;
        assert!(ods(normal, &limits).is_ok());
        let bomb = r#"<table:table table:name="a"><table:table-row table:number-rows-repeated="100000"><table:table-cell table:number-columns-repeated="1000" office:value-type="float" office:value="1"/></table:table-row></table:table>"#;
        assert!(matches!(ods(bomb, &limits), Err(Refused::TooBig(_))));
        // Two values far apart make a large area.
        let far = r#"<table:table table:name="a"><table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row><table:table-row table:number-rows-repeated="500"><table:table-cell/></table:table-row><table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row></table:table>"#;
        assert!(matches!(ods(far, &limits), Err(Refused::TooBig(_))));
        let long = format!(
            r#"<table:table><table:table-row><table:table-cell><text:p>{}</text:p></table:table-cell></table:table-row></table:table>"#,
            "字".repeat(40_000)
        );
        assert!(matches!(
            ods(&long, &Limits::default()),
            Err(Refused::TooBig(_))
        ));
    }

    #[test]
    fn shared_strings_are_counted_and_measured() {
        let limits = Limits {
            shared_strings: 2,
            cell_chars: 5,
            ..Limits::default()
        };
        let ok = "<sst><si><t>12345</t></si><si><r><t>ab</t></r><r><t>c</t></r></si></sst>";
        assert!(check_shared_strings(&mut ok.as_bytes(), &limits).is_ok());
        let many = "<sst><si/><si/><si/></sst>";
        assert!(check_shared_strings(&mut many.as_bytes(), &limits).is_err());
        let long = "<sst><si><t>123</t><t>456</t></si></sst>";
        assert!(check_shared_strings(&mut long.as_bytes(), &limits).is_err());
    }

    #[test]
    fn a_panic_in_a_reader_is_a_value() {
        assert_eq!(guarded(|| 1), Some(1));
        assert_eq!(guarded(|| -> i32 { panic!("boom") }), None);
    }
}
