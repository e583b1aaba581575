//! `.csv` attachments as readers get them. Excel on Chinese Windows opens a CSV file without a
//! byte-order mark in the system's code page (GBK), so a UTF-8 名单 saved by another program
//! shows as mojibake: such a file is published with the UTF-8 BOM in front (one that is GBK, or
//! already has a BOM, or is plain ASCII, as it is). And the entry page shows the table itself,
//! its first rows, so a reader on a phone need not download it to see what it says; the
//! template escapes every cell like any other text.
//!
//! The file is read with the crate's one CSV reader ([`crate::tabular`]), within the catalog's
//! [`Limits`]; a file beyond them or not readable as a table is published as it is, without a
//! table (the personal-data scan, which reads the same file, reports what it cannot read).

use crate::model::Limits;
use crate::tabular::{bounds, decode_text, read_csv};
use serde::Serialize;
use std::path::Path;

/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// Rows of a table shown on the entry page (below its header row).
pub const PREVIEW_ROWS: usize = 50;

/// Columns of a table shown on the entry page.
pub const PREVIEW_COLUMNS: usize = 20;

/// Characters of a cell shown on the entry page; a longer one ends in `…`.
pub const PREVIEW_CELL_CHARS: usize = 200;

/// A `.csv` attachment, read for publishing.
pub struct CsvAttachment {
    /// The bytes to publish instead of the file's own (it with a BOM in front), if any.
    pub published: Option<Vec<u8>>,
    /// The table shown on the entry page, if the file reads as one.
    pub table: Option<CsvTable>,
}

/// The first rows and columns of a CSV attachment, as the entry page shows them.
#[derive(Debug, Serialize)]
pub struct CsvTable {
    /// The first row (the column names), at most [`PREVIEW_COLUMNS`] cells.
    pub header: Vec<String>,
    /// The next rows, at most [`PREVIEW_ROWS`].
    pub rows: Vec<Vec<String>>,
    /// Rows in the file below the header (blank rows not counted).
    pub total_rows: usize,
    /// Columns in the file.
    pub total_columns: usize,
}

/// Whether an attachment's name says it is a CSV file (`.csv`, in any case).
pub fn is_csv(name: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// Reads the CSV attachment at `path` within `limits`.
pub fn read(path: &Path, limits: &Limits) -> CsvAttachment {
    let unread = CsvAttachment {
        published: None,
        table: None,
    };
    if bounds::check_file_size(path, limits).is_err() {
        return unread;
    }
    let Ok(bytes) = std::fs::read(path) else {
        return unread;
    };
    let table = decode_text(&bytes)
        .ok()
        .and_then(|text| read_csv(&text, "", limits).ok())
        .and_then(|sheet| preview(sheet.rows));
    CsvAttachment {
        published: needs_bom(&bytes).then(|| [BOM, &bytes].concat()),
        table,
    }
}

/// Whether Excel would misread `bytes` for want of a BOM: UTF-8 with some text beyond ASCII
/// (Chinese), and no byte-order mark. A NUL byte means UTF-16 without a mark, which
/// [`decode_text`] reads as such.
fn needs_bom(bytes: &[u8]) -> bool {
    encoding_rs::Encoding::for_bom(bytes).is_none()
        && !bytes.is_ascii()
        && !bytes.contains(&0)
        && std::str::from_utf8(bytes).is_ok()
}

/// The shown part of a table's rows: the first non-blank row as header, then up to
/// [`PREVIEW_ROWS`] non-blank rows, each cut to [`PREVIEW_COLUMNS`] cells of at most
/// [`PREVIEW_CELL_CHARS`] characters. `None` for a table with no text at all.
fn preview(rows: Vec<Vec<String>>) -> Option<CsvTable> {
    let total_columns = rows.first().map_or(0, Vec::len);
    let mut rows = rows
        .into_iter()
        .filter(|row| row.iter().any(|cell| !cell.trim().is_empty()));
    let shown = |row: Vec<String>| -> Vec<String> {
        row.into_iter()
            .take(PREVIEW_COLUMNS)
            .map(|cell| cut(cell.trim()))
            .collect()
    };
    let header = shown(rows.next()?);
    let mut body = Vec::new();
    let mut total_rows = 0;
    for row in rows {
        total_rows += 1;
        if body.len() < PREVIEW_ROWS {
            body.push(shown(row));
        }
    }
    Some(CsvTable {
        header,
        rows: body,
        total_rows,
        total_columns,
    })
}

/// A cell's text, cut to [`PREVIEW_CELL_CHARS`] characters.
fn cut(cell: &str) -> String {
    match cell.char_indices().nth(PREVIEW_CELL_CHARS) {
        Some((end, _)) => format!("{}…", &cell[..end]),
        None => cell.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_utf8_chinese_without_a_mark_gets_one() {
        assert!(needs_bom("姓名,人数\n张某某,3\n".as_bytes()));
        assert!(!needs_bom(b"\xef\xbb\xbfname\n\xe5\xbc\xa0\n"));
        assert!(
            !needs_bom(b"name,count\na,3\n"),
            "plain ASCII reads the same"
        );
        let (gbk, _, _) = encoding_rs::GBK.encode("姓名,人数\n张某某,3\n");
        assert!(!needs_bom(&gbk), "GBK is what Excel expects without a mark");
    }

    #[test]
    fn the_preview_is_bounded_and_counts_every_row() {
        let mut rows = vec![vec!["户主".to_owned(), "人数".to_owned()]];
        rows.push(vec![String::new(), " ".to_owned()]);
        for n in 0..PREVIEW_ROWS + 7 {
            rows.push(vec!["长".repeat(PREVIEW_CELL_CHARS + 1), n.to_string()]);
        }
        let table = preview(rows).expect("a table");
        assert_eq!(table.header, ["户主", "人数"]);
        assert_eq!(
            table.total_rows,
            PREVIEW_ROWS + 7,
            "blank rows are not counted"
        );
        assert_eq!(table.rows.len(), PREVIEW_ROWS);
        assert_eq!(table.rows[0][0].chars().count(), PREVIEW_CELL_CHARS + 1);
        assert!(table.rows[0][0].ends_with('…'));
        assert!(preview(vec![vec![String::new()]]).is_none());
    }
}
