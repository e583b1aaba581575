//! Reading a table file into plain grids of text: workbooks (`.xlsx`, `.xlsm`, `.xls`, `.ods`)
//! through calamine with merged regions filled from their top-left cell, and CSV files in UTF-8
//! (with or without BOM), UTF-16 with BOM, or GBK/GB18030 as Excel on Chinese Windows saves them.
//!
//! Shared by the importer of standard tables (`crate::import`) and the personal-data scan of
//! attachments (`crate::privacy`): one reader, so a file reads the same for both.

pub mod bounds;
pub mod layout;
pub mod xls;

use crate::model::Limits;
use bounds::{Breach, Refused, guarded, too_long_cell, too_many_cells};
use calamine::{Data, Reader, Sheets, Xlsx, open_workbook_auto};
use std::fmt;
use std::path::Path;

/// Where in a table file something is: the file, and where known the sheet, row and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The file name as given on the command line.
    pub file: String,
    /// The sheet, for workbooks.
    pub sheet: Option<String>,
    /// Excel's row number (for CSV, the line's record number).
    pub row: Option<u32>,
    /// 0-based column index, shown as Excel's letter.
    pub col: Option<usize>,
}

impl Place {
    /// The whole file.
    pub fn file(file: &str) -> Place {
        Place {
            file: file.to_owned(),
            sheet: None,
            row: None,
            col: None,
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, " 工作表「{sheet}」")?;
        }
        if let Some(row) = self.row {
            write!(f, " 第 {row} 行")?;
        }
        if let Some(col) = self.col {
            write!(f, " {} 列", column_letter(col))?;
        }
        Ok(())
    }
}

pub use crate::diag::column_letter;

/// Why a table file could not be read, in Chinese, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableError {
    /// Where the reader stopped.
    pub place: Place,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// Whether the file is beyond one of the [`Limits`] (rather than damaged).
    pub too_big: bool,
}

impl TableError {
    /// A reading failure at `place`.
    pub fn new(place: Place, message: impl Into<String>) -> TableError {
        TableError {
            place,
            message: message.into(),
            hint: None,
            too_big: false,
        }
    }

    /// The error for a file beyond one of the [`Limits`].
    pub fn breach(file: &str, breach: Breach) -> TableError {
        TableError {
            too_big: true,
            ..TableError::new(Place::file(file), format!("{}。", breach.0))
                .hint(bounds::BREACH_HINT)
        }
    }

    /// Adds how to fix it.
    pub fn hint(mut self, hint: impl Into<String>) -> TableError {
        self.hint = Some(hint.into());
        self
    }
}

/// One sheet as a grid of cell texts. Row and column indexes are the sheet's own (0-based), so
/// `rows[r][c]` is Excel's cell at row `r + 1`, column `c`; merged cells all hold the merge's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    /// The sheet's name in a workbook; `None` for a CSV file.
    pub name: Option<String>,
    /// The cells, every row padded to the same width.
    pub rows: Vec<Vec<String>>,
    /// Whether merged regions were known (and filled). Without them (CSV, .ods, .xlsb) a merged
    /// cell's text is in its first row only, and blank cells below may mean "same as above".
    pub merges_known: bool,
    /// Cells holding an Excel error value (`#N/A`, `#REF!`, …): row, column (0-based) and the
    /// value. Their text in `rows` is empty.
    pub error_cells: Vec<(usize, usize, String)>,
    /// What the workbook says beyond the cells (hidden rows and columns, formulas without a
    /// saved value); known for `.xlsx` and `.xlsm` only, empty otherwise.
    pub layout: layout::Layout,
    /// Whether hidden rows and columns could be told: true for `.xlsx`/`.xlsm` (read into
    /// `layout`) and CSV (which hides nothing); false for `.xls`, `.ods` and `.xlsb`, whose
    /// reader does not say which rows and columns are hidden.
    pub visibility_known: bool,
}

/// What a file's first bytes say it is, when that is a workbook: `xlsx` for a zip (an `.xlsx`
/// file is one), `xls` for an OLE compound file (Excel 97-2003). A CSV file never starts so.
pub fn sniff_workbook(path: &Path) -> Option<&'static str> {
    use std::io::Read;
    let mut head = [0u8; 8];
    let mut file = std::fs::File::open(path).ok()?;
    file.read_exact(&mut head).ok()?;
    if head.starts_with(b"PK\x03\x04") {
        Some("xlsx")
    } else if head == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] {
        Some("xls")
    } else {
        None
    }
}

/// Reads every sheet of a workbook, or the one table of a CSV file, within `limits`: the file
/// is checked ([`bounds`]) before any reader unpacks it, cells are counted as they are read, and
/// a panic in a reader is an error like any damaged file.
pub fn read_sheets(path: &Path, display: &str, limits: &Limits) -> Result<Vec<Sheet>, TableError> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match extension.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" => read_workbook(path, display, &extension, limits),
        // A workbook saved (or renamed) as .csv: read as what it is.
        "csv" | "txt" | "tsv" if let Some(kind) = sniff_workbook(path) => {
            read_workbook(path, display, kind, limits)
        }
        "csv" | "txt" | "tsv" => {
            bounds::check_file_size(path, limits).map_err(|r| refused(display, r))?;
            let bytes = std::fs::read(path).map_err(|e| {
                TableError::new(Place::file(display), format!("无法读取文件：{}。", crate::reason::io(&e)))
            })?;
            let text = decode_text(&bytes)
                .map_err(|message| TableError::new(Place::file(display), message))?;
            read_csv(&text, display, limits).map(|sheet| vec![sheet])
        }
        _ => Err(TableError::new(
            Place::file(display),
            if extension.is_empty() {
                "文件没有扩展名，无法判断是什么表格。".to_owned()
            } else {
                format!("不认识“.{extension}”文件。")
            },
        )
        .hint("请提供 Excel 工作簿（.xlsx 或 .xls）或 CSV 文件；Word 表格请先复制到 Excel 中另存为 .xlsx。")),
    }
}

/// The error for a file refused by [`bounds`].
fn refused(display: &str, refused: Refused) -> TableError {
    match refused {
        Refused::TooBig(breach) => TableError::breach(display, breach),
        Refused::Unreadable(why) => workbook_error(display, why),
    }
}

fn workbook_error(display: &str, why: String) -> TableError {
    TableError::new(Place::file(display), format!("无法打开工作簿：{why}。"))
        .hint("确认文件是用 Excel 或 WPS 保存的工作簿，且没有加密码；必要时在 Excel 中另存为 .xlsx 再试。")
}

/// Checks a workbook before calamine opens it: a zip-based one ([`bounds::check_zip`]) with
/// its shared strings (`.xlsx`) or cells (`.ods`) streamed and counted; an `.xls` file (not
/// compressed) by its size and its records ([`xls::check_xls`]).
pub fn check_workbook(path: &Path, extension: &str, limits: &Limits) -> Result<(), Refused> {
    if extension == "xls" {
        bounds::check_file_size(path, limits)?;
        let bytes = std::fs::read(path)
            .map_err(|e| Refused::Unreadable(format!("无法读取文件：{}", crate::reason::io(&e))))?;
        return xls::check_xls(&bytes, limits);
    }
    let mut zip = bounds::check_zip(path, limits)?;
    if extension == "ods" {
        bounds::scan_member(&mut zip, "content.xml", |r| {
            bounds::check_ods_content(r, limits)
        })
    } else {
        bounds::scan_member(&mut zip, "sharedstrings.xml", |r| {
            bounds::check_shared_strings(r, limits)
        })
    }
}

/// The error for a reader that panicked on a file.
pub const READER_PANIC: &str = "文件内容异常，读取程序无法处理";

fn read_workbook(
    path: &Path,
    display: &str,
    extension: &str,
    limits: &Limits,
) -> Result<Vec<Sheet>, TableError> {
    check_workbook(path, extension, limits).map_err(|r| refused(display, r))?;
    let mut layouts = if matches!(extension, "xlsx" | "xlsm") {
        bounds::check_zip(path, limits)
            .and_then(|mut zip| layout::xlsx_layouts(&mut zip))
            .map_err(|r| refused(display, r))?
    } else {
        Default::default()
    };
    guarded(|| read_checked_workbook(path, display, extension, limits, &mut layouts))
        .unwrap_or_else(|| Err(workbook_error(display, READER_PANIC.to_owned())))
}

fn read_checked_workbook(
    path: &Path,
    display: &str,
    extension: &str,
    limits: &Limits,
    layouts: &mut std::collections::BTreeMap<String, layout::Layout>,
) -> Result<Vec<Sheet>, TableError> {
    use crate::reason;
    let fail = |why: String| workbook_error(display, why);
    // By the format found, not the file's name: a workbook named .csv opens too.
    let mut workbook = match extension {
        "xlsx" | "xlsm" => calamine::open_workbook(path)
            .map(Sheets::Xlsx)
            .map_err(|e| fail(reason::xlsx(&e)))?,
        "xls" => calamine::open_workbook(path)
            .map(Sheets::Xls)
            .map_err(|e| fail(reason::workbook(&calamine::Error::Xls(e))))?,
        _ => open_workbook_auto(path).map_err(|e| fail(reason::workbook(&e)))?,
    };
    let names = workbook.sheet_names();
    let mut sheets = Vec::new();
    let mut counted = 0;
    for name in names {
        let cells = match &mut workbook {
            Sheets::Xlsx(x) => {
                xlsx_cells(x, &name, limits, &mut counted).map_err(|r| refused(display, r))?
            }
            // An .xls sheet has at most 65,536 × 256 cells; .ods was checked above.
            other => {
                let range = other
                    .worksheet_range(&name)
                    .map_err(|e| fail(reason::workbook(&e)))?;
                let (top, left) = range.start().unwrap_or((0, 0));
                let mut cells = Vec::new();
                for (r, c, cell) in range.used_cells() {
                    count_cell(cell, limits, &mut counted)
                        .map_err(|b| TableError::breach(display, b))?;
                    cells.push((top as usize + r, left as usize + c, cell.clone()));
                }
                cells
            }
        };
        let (merges, merges_known) = match &mut workbook {
            Sheets::Xlsx(x) => (
                x.merge_cells_by_sheet_name(&name)
                    .map_err(|e| fail(reason::xlsx(&e)))?,
                true,
            ),
            Sheets::Xls(x) => (
                x.merge_cells_by_sheet_name(&name)
                    .map_err(|e| fail(reason::workbook(&e.into())))?,
                true,
            ),
            Sheets::Xlsb(_) | Sheets::Ods(_) => (Vec::new(), false),
        };
        let cells: Vec<_> = cells
            .into_iter()
            .filter(|(.., cell)| *cell != Data::Empty)
            .collect();
        let height = cells.iter().map(|&(r, ..)| r + 1).max().unwrap_or(0);
        let width = cells.iter().map(|&(_, c, _)| c + 1).max().unwrap_or(0);
        if height.saturating_mul(width) as u64 > limits.cells {
            return Err(too_big(display, name, height, width, &cells));
        }
        // Every merge fills its area: together at most the sheet's (already bounded) size.
        let merged: usize = merges
            .iter()
            .map(|m| {
                let rows = (m.end.0 as usize)
                    .min(height)
                    .saturating_sub(m.start.0 as usize)
                    + 1;
                let cols = (m.end.1 as usize)
                    .min(width)
                    .saturating_sub(m.start.1 as usize)
                    + 1;
                rows.saturating_mul(cols)
            })
            .fold(0, usize::saturating_add);
        if merged as u64 > limits.cells {
            return Err(TableError::breach(
                display,
                Breach(format!(
                    "工作表「{name}」的合并单元格共覆盖超过 {} 个单元格（检查上限 cells）",
                    limits.cells
                )),
            ));
        }
        let mut rows = vec![vec![String::new(); width]; height];
        let mut error_cells = Vec::new();
        for (r, c, cell) in cells {
            if let Data::Error(e) = &cell {
                error_cells.push((r, c, e.to_string()));
            }
            rows[r][c] = cell_text(&cell);
        }
        for m in merges {
            let (r0, c0) = (m.start.0 as usize, m.start.1 as usize);
            let Some(text) = rows.get(r0).and_then(|row| row.get(c0)).cloned() else {
                continue;
            };
            let (r1, c1) = (m.end.0 as usize, m.end.1 as usize);
            for (r, row) in rows.iter_mut().enumerate().take(r1 + 1).skip(r0) {
                for (c, cell) in row.iter_mut().enumerate().take(c1 + 1).skip(c0) {
                    if (r, c) != (r0, c0) {
                        cell.clone_from(&text);
                    }
                }
            }
        }
        sheets.push(Sheet {
            visibility_known: matches!(workbook, Sheets::Xlsx(_)),
            layout: layouts.remove(&name).unwrap_or_default(),
            name: Some(name),
            rows,
            merges_known,
            error_cells,
        });
    }
    Ok(sheets)
}

/// Counts a filled cell against `limits` (cells and cell length).
fn count_cell(cell: &Data, limits: &Limits, counted: &mut u64) -> Result<(), Breach> {
    if *cell == Data::Empty {
        return Ok(());
    }
    *counted += 1;
    if *counted > limits.cells {
        return Err(too_many_cells(limits));
    }
    if let Data::String(s) = cell
        && s.len() as u64 > limits.cell_chars
        && s.chars().count() as u64 > limits.cell_chars
    {
        return Err(too_long_cell(limits));
    }
    Ok(())
}

/// A cell of a sheet: row and column (0-based) and its value.
pub type Cell = (usize, usize, Data);

/// The cells of an `.xlsx` sheet one by one as they are stored, row by row, never calamine's
/// whole grid: a sheet with one stray value in XFD1048576 would be 17 billion cells, more
/// memory than any machine has. Filled cells are counted into `counted` (over the workbook's
/// sheets) and stop at `limits.cells`.
pub fn xlsx_cells<RS: std::io::Read + std::io::Seek>(
    workbook: &mut Xlsx<RS>,
    sheet: &str,
    limits: &Limits,
    counted: &mut u64,
) -> Result<Vec<Cell>, Refused> {
    let unreadable = |e: calamine::XlsxError| Refused::Unreadable(crate::reason::xlsx(&e));
    let mut reader = workbook.worksheet_cells_reader(sheet).map_err(unreadable)?;
    let mut cells = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let (r, c) = cell.get_position();
        let value = Data::from(cell.get_value().clone());
        count_cell(&value, limits, counted)?;
        cells.push((r as usize, c as usize, value));
    }
    Ok(cells)
}

/// The error for a sheet whose filled cells span more than [`Limits::cells`]: almost always a
/// stray value far from the table, which it names so that the clerk can delete it.
fn too_big(
    display: &str,
    sheet: String,
    height: usize,
    width: usize,
    cells: &[Cell],
) -> TableError {
    let far = cells
        .iter()
        .max_by_key(|&&(r, c, _)| (r + 1).saturating_mul(c + 1));
    let (row, col, text) = match far {
        Some((r, c, cell)) => (Some(*r as u32 + 1), Some(*c), cell_text(cell)),
        None => (None, None, String::new()),
    };
    TableError::new(
        Place {
            sheet: Some(sheet),
            row,
            col,
            ..Place::file(display)
        },
        format!(
            "工作表的内容跨 {height} 行、{width} 列，太大了，不像一张目录表：最远的内容在这个单元格（“{text}”）。"
        ),
    )
    .hint("删去这个单元格（以及表格以外远处其他单元格）中的内容，或另存一份只含目录表的工作簿，再导入。")
}

/// A cell's text as a reader sees it: whole numbers without `.0`, dates as `2024-03-31` (with the
/// time when there is one), errors as empty (they are reported from `Sheet::error_cells`).
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, m, day, h, min, s, _) = d.to_ymd_hms_milli();
            if (h, min, s) == (0, 0, 0) {
                format!("{y:04}-{m:02}-{day:02}")
            } else if d.as_f64() < 1.0 {
                format!("{h:02}:{min:02}") // a time of day without a date
            } else {
                format!("{y:04}-{m:02}-{day:02} {h:02}:{min:02}")
            }
        }
        Data::DateTime(d) => {
            // A duration ([h]:mm): whole hours and minutes.
            let minutes = (d.as_f64() * 24.0 * 60.0).round() as i64;
            format!("{}:{:02}", minutes / 60, minutes % 60)
        }
        // 2024-03-31T00:00:00 (as .ods files store dates): the date alone when it is midnight.
        Data::DateTimeIso(s) => s
            .strip_suffix("T00:00:00")
            .unwrap_or(s)
            .replacen('T', " ", 1),
        other => other.to_string(),
    }
}

/// Decodes a CSV file's bytes: UTF-8 (BOM optional), UTF-16 with BOM, or GB18030 (a superset of
/// GBK). Fails with a Chinese message when none of them fits.
pub fn decode_text(bytes: &[u8]) -> Result<String, String> {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_with_bom_removal(bytes);
        if had_errors {
            return Err(format!(
                "文件开头标明是 {} 编码，但内容中有无法解码的字节。",
                encoding.name()
            ));
        }
        return Ok(text.into_owned());
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
        if !had_errors {
            return Ok(text.into_owned());
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_owned());
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(
            "文件既不是 UTF-8 也不是 GBK 编码，无法读取。请在 Excel 中“另存为”，文件类型选“CSV UTF-8（逗号分隔）”或“Excel 工作簿”。"
                .to_owned(),
        );
    }
    Ok(text.into_owned())
}

/// UTF-16 without a byte-order mark, as some programs save "Unicode text": a table's digits,
/// separators and line ends are ASCII, so one byte of each pair is zero throughout (the odd
/// bytes for little-endian, the even ones for big-endian), which text in UTF-8 or GBK never is.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    if head.len() < 4 {
        return None;
    }
    let zeros = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    let pairs = head.len() / 2;
    if odd * 4 >= pairs && even * 10 <= odd {
        Some(encoding_rs::UTF_16LE)
    } else if even * 4 >= pairs && odd * 10 <= even {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Parses CSV text (comma, tab or semicolon separated, as the first lines suggest) into a sheet.
/// Reads a CSV file's decoded text ([`decode_text`]) as one sheet within `limits` (its cells
/// counted as they are read); the delimiter (comma, tab or semicolon) is guessed from the text.
pub fn read_csv(text: &str, display: &str, limits: &Limits) -> Result<Sheet, TableError> {
    let delimiter = guess_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut width = 0;
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line() as u32);
            TableError::new(
                Place {
                    file: display.to_owned(),
                    sheet: None,
                    row: line,
                    col: None,
                },
                format!("这一行无法按 CSV 读取：{}。", crate::reason::csv(&e)),
            )
            .hint("检查这一行的英文双引号是否成对。")
        })?;
        // The rows are padded to the widest: their area is what is held.
        width = width.max(record.len());
        let area = (rows.len() as u64 + 1).saturating_mul(width as u64);
        let longest = record.iter().map(str::len).max().unwrap_or(0) as u64;
        if area > limits.cells {
            return Err(TableError::breach(display, too_many_cells(limits)));
        }
        if longest > limits.cell_chars
            && record
                .iter()
                .any(|f| f.chars().count() as u64 > limits.cell_chars)
        {
            return Err(TableError::breach(display, too_long_cell(limits)));
        }
        rows.push(record.iter().map(str::to_owned).collect::<Vec<_>>());
    }
    for row in &mut rows {
        row.resize(width, String::new());
    }
    Ok(Sheet {
        name: None,
        rows,
        merges_known: false,
        error_cells: Vec::new(),
        layout: layout::Layout::default(),
        visibility_known: true,
    })
}

/// The separator that splits the first lines most consistently: `,`, tab or `;`.
fn guess_delimiter(text: &str) -> u8 {
    let head: Vec<&str> = text.lines().take(10).collect();
    [b',', b'\t', b';']
        .into_iter()
        .max_by_key(|d| {
            head.iter()
                .map(|line| line.bytes().filter(|b| b == d).count())
                .sum::<usize>()
        })
        .unwrap_or(b',')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_gbk_utf8_bom_and_utf16() {
        let (gbk, _, _) = encoding_rs::GBK.encode("公开事项,二级事项");
        assert_eq!(decode_text(&gbk).as_deref(), Ok("公开事项,二级事项"));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("序号".as_bytes());
        assert_eq!(decode_text(&bom).as_deref(), Ok("序号"));
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "序号".encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode_text(&utf16).as_deref(), Ok("序号"));
        assert!(decode_text(&[0xFF, 0xFF, 0x81]).is_err());
        let utf16 = |text: &str, le: bool| -> Vec<u8> {
            text.encode_utf16()
                .flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() })
                .collect()
        };
        let table = "姓名,身份证号\r\n张三,11010519491231002X\r\n";
        assert_eq!(decode_text(&utf16(table, true)).as_deref(), Ok(table));
        assert_eq!(decode_text(&utf16(table, false)).as_deref(), Ok(table));
    }

    #[test]
    fn dates_read_as_dates_not_serial_numbers() {
        use calamine::{ExcelDateTime, ExcelDateTimeType};
        let date = |v: f64, t| cell_text(&Data::DateTime(ExcelDateTime::new(v, t, false)));
        assert_eq!(date(45382.0, ExcelDateTimeType::DateTime), "2024-03-31");
        assert_eq!(
            date(45382.5, ExcelDateTimeType::DateTime),
            "2024-03-31 12:00"
        );
        assert_eq!(date(1.5, ExcelDateTimeType::TimeDelta), "36:00");
        assert_eq!(
            cell_text(&Data::DateTimeIso("2024-03-31T00:00:00".into())),
            "2024-03-31"
        );
        assert_eq!(cell_text(&Data::Error(calamine::CellErrorType::NA)), "");
    }

    #[test]
    fn csv_rows_are_padded_and_tabs_detected() {
        let sheet = read_csv("a\tb\tc\nd\n", "t.csv", &Limits::default()).expect("csv");
        assert_eq!(sheet.rows, vec![vec!["a", "b", "c"], vec!["d", "", ""]]);
    }
}
