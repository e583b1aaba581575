//! What calamine does not say about an `.xlsx` sheet, read from its XML with the bounded
//! [`scan_xml`](super::bounds::scan_xml): which rows and columns are hidden (`<row hidden="1">`,
//! `<col min max hidden="1">`) and which cells hold a formula without a saved value (`<f>` and
//! no `<v>`: calamine reads them as empty, so the formula's result would silently be lost).

use super::bounds::{Refused, Token, attribute, local_name, scan_member, scan_xml};
use std::collections::BTreeMap;
use std::io::{Read, Seek};

/// One sheet's layout. Rows and columns are 0-based, as in [`Sheet::rows`](super::Sheet).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    /// Hidden rows, ascending.
    pub hidden_rows: Vec<usize>,
    /// Hidden columns, ascending.
    pub hidden_cols: Vec<usize>,
    /// Cells with a formula and no saved value: row, column.
    pub formulas_without_value: Vec<(usize, usize)>,
}

/// The most columns a sheet has (XFD): a `<col max>` beyond it is clamped.
const MAX_COLS: usize = 16_384;

/// The layout of every sheet of an `.xlsx` workbook, by sheet name. Parts that are missing or
/// cannot be followed leave a sheet without a layout (as if nothing were hidden); the sheet
/// itself was read by calamine, which reports damage.
pub fn xlsx_layouts<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
) -> Result<BTreeMap<String, Layout>, Refused> {
    // workbook.xml: sheet name → relationship id.
    let mut sheets: Vec<(String, String)> = Vec::new();
    scan_member(zip, "xl/workbook.xml", |input| {
        scan_xml(input, |token| {
            if let Token::Start(tag) | Token::Empty(tag) = token
                && local_name(tag) == b"sheet"
                && let (Some(name), Some(id)) = (attribute(tag, b"name"), attribute(tag, b"r:id"))
            {
                sheets.push((unescape(name), unescape(id)));
            }
            Ok(())
        })
    })?;
    // workbook.xml.rels: relationship id → part.
    let mut targets: BTreeMap<String, String> = BTreeMap::new();
    scan_member(zip, "xl/_rels/workbook.xml.rels", |input| {
        scan_xml(input, |token| {
            if let Token::Start(tag) | Token::Empty(tag) = token
                && local_name(tag) == b"Relationship"
                && let (Some(id), Some(target)) = (attribute(tag, b"Id"), attribute(tag, b"Target"))
            {
                targets.insert(unescape(id), unescape(target));
            }
            Ok(())
        })
    })?;
    let mut layouts = BTreeMap::new();
    for (name, id) in sheets {
        let Some(target) = targets.get(&id) else {
            continue;
        };
        let part = match target.strip_prefix('/') {
            Some(absolute) => absolute.to_owned(),
            None => format!("xl/{target}"),
        };
        let mut layout = Layout::default();
        scan_member(zip, &part, |input| sheet_layout(input, &mut layout))?;
        layouts.insert(name, layout);
    }
    Ok(layouts)
}

/// Streams one worksheet part into `layout`.
fn sheet_layout(input: &mut dyn std::io::BufRead, layout: &mut Layout) -> Result<(), Refused> {
    let number = |tag: &[u8], name: &[u8]| -> Option<usize> {
        std::str::from_utf8(attribute(tag, name)?)
            .ok()?
            .trim()
            .parse()
            .ok()
    };
    let truthy = |tag: &[u8]| matches!(attribute(tag, b"hidden"), Some(b"1" | b"true"));
    // Rows and cells without `r` follow the one before.
    let mut row: usize = 0;
    let mut next_row: usize = 0;
    let mut col: usize = 0;
    // The current cell: its place, whether it has a formula, whether a value.
    let mut cell: Option<(usize, usize, bool, bool)> = None;
    let mut in_value = false;
    scan_xml(input, |token| {
        match token {
            Token::Start(tag) | Token::Empty(tag) => {
                let empty = matches!(token, Token::Empty(_));
                match local_name(tag) {
                    b"col" if truthy(tag) => {
                        if let (Some(min), Some(max)) = (number(tag, b"min"), number(tag, b"max")) {
                            let max = max.min(MAX_COLS);
                            layout.hidden_cols.extend((min.max(1)..=max).map(|c| c - 1));
                        }
                    }
                    b"row" => {
                        row = number(tag, b"r").map_or(next_row, |r| r.saturating_sub(1));
                        next_row = row + 1;
                        col = 0;
                        if truthy(tag) {
                            layout.hidden_rows.push(row);
                        }
                    }
                    b"c" => {
                        let (r, c) = attribute(tag, b"r")
                            .and_then(cell_reference)
                            .unwrap_or((row, col));
                        col = c + 1;
                        cell = Some((r, c, false, false));
                        if empty {
                            cell = None;
                        }
                    }
                    b"f" => {
                        if let Some(c) = &mut cell {
                            c.2 = true;
                        }
                    }
                    b"v" | b"is" => {
                        in_value = !empty;
                    }
                    _ => {}
                }
            }
            Token::Text(_) if in_value => {
                if let Some(c) = &mut cell {
                    c.3 = true;
                }
            }
            Token::End(name) => match local_name(name) {
                b"v" | b"is" => in_value = false,
                b"c" => {
                    if let Some((r, c, true, false)) = cell.take() {
                        layout.formulas_without_value.push((r, c));
                    }
                }
                _ => {}
            },
            Token::Text(_) => {}
        }
        Ok(())
    })?;
    layout.hidden_rows.sort_unstable();
    layout.hidden_rows.dedup();
    layout.hidden_cols.sort_unstable();
    layout.hidden_cols.dedup();
    Ok(())
}

/// `B12` → (11, 1).
fn cell_reference(text: &[u8]) -> Option<(usize, usize)> {
    let letters = text.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = text[..letters].iter().fold(0usize, |n, b| {
        n * 26 + (b.to_ascii_uppercase() - b'A') as usize + 1
    });
    let row: usize = std::str::from_utf8(&text[letters..]).ok()?.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

/// An attribute's text with XML's entities replaced (`&amp;` → `&`, `&#x4E00;` → 一).
fn unescape(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_ref();
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let Some(end) = after.find(';') else {
            out.push_str(after);
            return out;
        };
        let entity = &after[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => out.push(c),
            None => out.push_str(&after[..=end]),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_rows_columns_and_formulas_without_values_are_read() {
        let xml = r#"<worksheet><cols><col min="2" max="3" hidden="1" width="0"/><col min="4" max="4"/></cols><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="3" hidden="1"><c r="B3"><f>1+1</f></c><c r="C3"><f>1+1</f><v>2</v></c><c><f t="shared" si="0"/></c></row><row><c r="A4" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>"#;
        let mut layout = Layout::default();
        sheet_layout(&mut xml.as_bytes(), &mut layout).expect("scans");
        assert_eq!(layout.hidden_cols, vec![1, 2]);
        assert_eq!(layout.hidden_rows, vec![2]);
        assert_eq!(layout.formulas_without_value, vec![(2, 1), (2, 3)]);
    }

    #[test]
    fn references_and_entities() {
        assert_eq!(cell_reference(b"A1"), Some((0, 0)));
        assert_eq!(cell_reference(b"AB12"), Some((11, 27)));
        assert_eq!(cell_reference(b"A0"), None);
        assert_eq!(unescape(b"R&amp;D &#x4E00;&#20108;"), "R&D 一二");
    }
}
