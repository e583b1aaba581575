//! Attachment and table bombs: small files built here that unpack into far more than any real
//! attachment (a cell repeated a hundred million times, gigabytes of cells, a million shared
//! strings, one enormous cell, an enormous PDF stream or page). Each run of gongkai is held to
//! an address-space limit with `prlimit`, so a reader that tried to hold the bomb would fail the
//! test; each must end with a Chinese finding naming the file and the limit, never English.
//! Peak memory and time are measured with `/usr/bin/time` where present and printed (run with
//! `--nocapture` to see them), never asserted.

use crate::harness::{Fixture, Run};
use std::io::Write;
use std::path::Path;
use std::process::Command;

/// The entry folder the bombs are attached to (it has an `index.md`).
const LIST_DIR: &str = "units/xian/shehui-jiuzhu/dibao-shenpi/2024-05-mingdan";

/// The address space each run may use: far below what any bomb would need held whole.
const ADDRESS_SPACE: u64 = 1 << 30;

/// Runs gongkai with `args` in the fixture under [`ADDRESS_SPACE`], printing its peak memory
/// and time under `label`.
fn run_limited(f: &Fixture, label: &str, args: &[&str]) -> Run {
    let gongkai = env!("CARGO_BIN_EXE_gongkai");
    let stats = f.dir().join("time.txt");
    let timed = Path::new("/usr/bin/time").exists();
    let mut command = if timed {
        let mut c = Command::new("/usr/bin/time");
        c.arg("-f")
            .arg("%M %e")
            .arg("-o")
            .arg(&stats)
            .arg("prlimit");
        c
    } else {
        Command::new("prlimit")
    };
    command
        .arg(format!("--as={ADDRESS_SPACE}"))
        .arg("--")
        .arg(gongkai)
        .args(args)
        .current_dir(f.dir());
    let output = command.output().expect("run gongkai under prlimit");
    if timed && let Ok(text) = std::fs::read_to_string(&stats) {
        // The last line: a line before it says the command exited with a failure.
        let mut parts = text.lines().last().unwrap_or("").split_whitespace();
        let (kb, secs) = (parts.next().unwrap_or("?"), parts.next().unwrap_or("?"));
        eprintln!("bomb {label}: peak RSS {kb} KB, {secs} s");
    }
    Run(output)
}

fn build_limited(f: &Fixture, label: &str) -> Run {
    run_limited(f, label, &["build", "--as-of", "2024-06-30"])
}

/// Asserts a build refused `file` with the privacy finding for a breach of `limit`, in Chinese.
fn assert_refused(run: &Run, file: &str, limit: &str) {
    run.expect_code(1);
    let stderr = run.stderr();
    let name = file.rsplit('/').next().expect("name");
    assert!(
        stderr.contains(&format!(
            "错误[privacy] catalog/{LIST_DIR}/{file}\n  无法检查附件“{name}”中有没有未打码的个人信息，文件超出检查上限："
        )),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("（检查上限 {limit}")), "{stderr}");
    assert!(stderr.contains("[limits]"), "{stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("memory allocation"),
        "{stderr}"
    );
}

/// A zip of `parts`, deflated (as Office and LibreOffice write them).
fn zip_file(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, content) in parts {
        zip.start_file(*name, deflated).expect("part");
        zip.write_all(content).expect("write part");
    }
    zip.finish().expect("zip").into_inner()
}

/// An `.ods` spreadsheet whose one sheet's rows are `rows` (`table:table-row` elements).
fn ods(rows: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="名单">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    zip_file(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("content.xml", content.as_bytes()),
        (
            "META-INF/manifest.xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#,
        ),
    ])
}

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

/// An `.xlsx` workbook with one sheet of `sheet_data` and, when given, shared strings.
fn xlsx(sheet_data: &[u8], shared: Option<&[u8]>) -> Vec<u8> {
    xlsx_with(sheet_data, shared, &[])
}

/// [`xlsx`] with `extra` parts (comments, say).
pub(crate) fn xlsx_with(
    sheet_data: &[u8],
    shared: Option<&[u8]>,
    extra: &[(&str, &[u8])],
) -> Vec<u8> {
    let mut sheet =
        format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>"#)
            .into_bytes();
    sheet.extend_from_slice(sheet_data);
    sheet.extend_from_slice(b"</sheetData></worksheet>");
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#),
        ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#),
        ("xl/worksheets/sheet1.xml", &sheet),
    ];
    let shared_part;
    if let Some(strings) = shared {
        let mut part =
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">"#).into_bytes();
        part.extend_from_slice(strings);
        part.extend_from_slice(b"</sst>");
        shared_part = part;
        parts.push(("xl/sharedStrings.xml", &shared_part));
    }
    parts.extend_from_slice(extra);
    zip_file(&parts)
}

/// `piece` repeated `times`.
fn repeated(piece: &str, times: usize) -> Vec<u8> {
    piece.as_bytes().repeat(times)
}

#[test]
fn an_ods_cell_repeated_a_hundred_million_times_is_refused_without_being_written_out() {
    let f = Fixture::mini();
    // 6,000 rows × 16,384 columns of one number: 98 million cells, in well under a kilobyte.
    let bomb = ods(
        r#"<table:table-row table:number-rows-repeated="6000"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>"#,
    );
    assert!(bomb.len() < 2048, "{} bytes", bomb.len());
    f.write(&format!("{LIST_DIR}/名单.ods"), &bomb);
    let run = build_limited(&f, "ods-repeat");
    assert_refused(&run, "名单.ods", "cells");
}

#[test]
fn import_standard_refuses_a_table_bomb_in_chinese() {
    let f = Fixture::mini();
    let bomb = ods(
        r#"<table:table-row table:number-rows-repeated="6000"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>事项</text:p></table:table-cell></table:table-row>"#,
    );
    std::fs::write(f.dir().join("标准.ods"), &bomb).expect("write");
    let run = run_limited(
        &f,
        "import-ods-repeat",
        &[
            "import-standard",
            "标准.ods",
            "--root",
            "catalog",
            "--dry-run",
        ],
    );
    let stderr = run.stderr();
    assert_eq!(run.code(), 2, "{stderr}");
    assert!(stderr.contains("标准.ods"), "{stderr}");
    assert!(stderr.contains("（检查上限 cells"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    // A CSV table of 3 million cells, 6 MB on disk.
    let csv = repeated("1,2,3,4,5,6,7,8,9,10\n", 300_001);
    std::fs::write(f.dir().join("标准.csv"), &csv).expect("write");
    let run = run_limited(
        &f,
        "import-csv-cells",
        &[
            "import-standard",
            "标准.csv",
            "--root",
            "catalog",
            "--dry-run",
        ],
    );
    let stderr = run.stderr();
    assert_eq!(run.code(), 2, "{stderr}");
    assert!(stderr.contains("（检查上限 cells"), "{stderr}");

    // The catalog's own limits apply: 20 cells against `cells = 10`.
    std::fs::write(f.dir().join("小表.csv"), repeated("1,2,3,4,5\n", 4)).expect("write");
    let site = f.read("site.toml");
    f.write("site.toml", format!("{site}\n[limits]\ncells = 10\n"));
    let run = run_limited(
        &f,
        "import-csv-20-cells-limit-10",
        &[
            "import-standard",
            "小表.csv",
            "--root",
            "catalog",
            "--dry-run",
        ],
    );
    let stderr = run.stderr();
    assert_eq!(run.code(), 2, "{stderr}");
    assert!(stderr.contains("表格的单元格超过 10 个"), "{stderr}");
}

#[test]
fn an_xlsx_of_millions_of_cells_is_refused_while_streaming() {
    let f = Fixture::mini();
    // 2.5 million number cells (rows of 10,000), 37 MB of XML.
    let row = format!("<row>{}</row>", "<c><v>1</v></c>".repeat(10_000));
    let bomb = xlsx(&repeated(&row, 250), None);
    f.write(&format!("{LIST_DIR}/名单.xlsx"), &bomb);
    let run = build_limited(&f, "xlsx-cells");
    assert_refused(&run, "名单.xlsx", "cells");
}

#[test]
fn an_xlsx_that_unpacks_past_the_limit_is_refused_before_unpacking() {
    let f = Fixture::mini();
    // 150 MB of XML for a limit of 100 MB.
    let row = format!(
        "<row>{}</row>",
        "<c t=\"inlineStr\"><is><t>0</t></is></c>".repeat(1000)
    );
    let bomb = xlsx(&repeated(&row, 4_000), None);
    f.write(&format!("{LIST_DIR}/名单.xlsx"), &bomb);
    let run = build_limited(&f, "xlsx-unpacked");
    assert_refused(&run, "名单.xlsx", "unpacked_mb");
}

#[test]
fn shared_string_bombs_are_refused_while_streaming() {
    let f = Fixture::mini();
    let file = format!("{LIST_DIR}/名单.xlsx");
    // 1.2 million shared strings.
    let many = xlsx(
        b"<row><c t=\"s\"><v>0</v></c></row>",
        Some(&repeated("<si><t>a</t></si>", 1_200_000)),
    );
    f.write(&file, &many);
    assert_refused(
        &build_limited(&f, "xlsx-shared-strings"),
        "名单.xlsx",
        "shared_strings",
    );
    // One string of 60 million characters.
    let mut cell = b"<si><t>".to_vec();
    cell.extend(std::iter::repeat_n(b'1', 60_000_000));
    cell.extend_from_slice(b"</t></si>");
    f.write(
        &file,
        xlsx(b"<row><c t=\"s\"><v>0</v></c></row>", Some(&cell)),
    );
    assert_refused(
        &build_limited(&f, "xlsx-long-cell"),
        "名单.xlsx",
        "cell_chars",
    );
}

#[test]
fn a_word_document_that_unpacks_past_the_limit_is_refused() {
    let f = Fixture::mini();
    let mut body = br#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#.to_vec();
    body.extend(repeated("<w:p><w:r><w:t>公示</w:t></w:r></w:p>", 4_000_000));
    body.extend_from_slice(b"</w:body></w:document>");
    let bomb = zip_file(&[
        ("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#),
        ("word/document.xml", &body),
    ]);
    f.write(&format!("{LIST_DIR}/公示.docx"), &bomb);
    assert_refused(
        &build_limited(&f, "docx-unpacked"),
        "公示.docx",
        "unpacked_mb",
    );
}

/// A one-page PDF whose content stream is `content`, deflated, in Helvetica.
fn pdf(content: &[u8]) -> Vec<u8> {
    let mut deflated = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    deflated.write_all(content).expect("deflate");
    let stream = deflated.finish().expect("deflate");
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
        {
            let mut s = format!("<< /Length {} /Filter /FlateDecode >>\nstream\n", stream.len()).into_bytes();
            s.extend_from_slice(&stream);
            s.extend_from_slice(b"\nendstream");
            s
        },
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
    ];
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[test]
fn pdf_bombs_are_refused_a_stream_before_unpacking_a_page_while_drawing() {
    let f = Fixture::mini();
    let file = format!("{LIST_DIR}/公示名单.pdf");
    // A content stream of 200 MB of spaces.
    f.write(&file, pdf(&vec![b' '; 200 << 20]));
    assert_refused(
        &build_limited(&f, "pdf-stream"),
        "公示名单.pdf",
        "pdf_stream_mb",
    );
    // One page drawing 1.2 million glyphs (a 2.4 MB stream, well within the stream limit).
    let mut page = b"BT /F1 1 Tf 0 0 Td (".to_vec();
    page.extend(std::iter::repeat_n(b'1', 1_200_000));
    page.extend_from_slice(b") Tj ET");
    f.write(&file, pdf(&page));
    assert_refused(
        &build_limited(&f, "pdf-page"),
        "公示名单.pdf",
        "pdf_page_items",
    );
}

#[test]
fn limits_are_set_in_site_toml() {
    let f = Fixture::mini();
    let row = "<row><c><v>1</v></c><c><v>2</v></c></row>".repeat(60);
    f.write(&format!("{LIST_DIR}/名单.xlsx"), xlsx(row.as_bytes(), None));
    let site = f.read("site.toml");
    f.write("site.toml", format!("{site}\n[limits]\ncells = 100\n"));
    let run = build_limited(&f, "xlsx-120-cells-limit-100");
    assert_refused(&run, "名单.xlsx", "cells");
    assert!(run.stderr().contains("超过 100 个"), "{}", run.stderr());
    // A limit that is not a positive whole number is a schema error on its line.
    f.write("site.toml", format!("{site}\n[limits]\ncells = 0\n"));
    let run = f.build();
    run.expect_code(1);
    assert!(
        run.stderr()
            .contains("[limits] 中的 cells 应是 1 到 100000000 之间的整数，现在是 0。"),
        "{}",
        run.stderr()
    );
}

/// `gongkai serve` under the address-space limit: a bomb saved while it runs is shown as an
/// error on the page, and the server keeps serving.
#[test]
fn serve_shows_a_bomb_as_an_error_and_keeps_serving() {
    use std::io::Read;
    use std::net::TcpStream;
    use std::time::{Duration, Instant};
    let f = Fixture::mini();
    let limit = format!("--as={ADDRESS_SPACE}");
    let mut server = crate::serve::start_under(&f, &["prlimit", &limit, "--"]);
    let addr = server.addr.clone();
    let get = |path: &str| -> String {
        let mut stream = TcpStream::connect(&addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .expect("timeout");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut response = Vec::new();
        stream.read_to_end(&mut response).expect("read");
        String::from_utf8_lossy(&response).into_owned()
    };
    f.write(
        &format!("{LIST_DIR}/名单.ods"),
        ods(
            r#"<table:table-row table:number-rows-repeated="6000"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>"#,
        ),
    );
    let start = Instant::now();
    let page = loop {
        let page = get("/");
        if page.contains("gongkai-errors") {
            break page;
        }
        // Generous: a debug build on a busy machine rebuilds slowly.
        assert!(start.elapsed() < Duration::from_secs(180), "{page}");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("（检查上限 cells"), "{page}");
    assert!(
        server.child.try_wait().expect("status").is_none(),
        "serve is still running"
    );
    assert!(get("/").starts_with("HTTP/1.1 200"));
}

/// An old Excel workbook (`.xls`, a compound document) whose `Workbook` stream holds `records`.
fn xls(records: &[(u16, Vec<u8>)]) -> Vec<u8> {
    let mut stream = Vec::new();
    for (typ, data) in records {
        stream.extend_from_slice(&typ.to_le_bytes());
        stream.extend_from_slice(&(data.len() as u16).to_le_bytes());
        stream.extend_from_slice(data);
    }
    // EOF records as padding.
    while stream.len() < 4096 {
        stream.extend_from_slice(&[0x0A, 0x00, 0x00, 0x00]);
    }
    let size = stream.len();
    stream.resize(size.div_ceil(512) * 512, 0);
    let sectors = stream.len() / 512;
    let mut header = vec![0u8; 512];
    header[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    header[0x1E..0x20].copy_from_slice(&9u16.to_le_bytes());
    header[0x20..0x22].copy_from_slice(&6u16.to_le_bytes());
    header[0x2C..0x30].copy_from_slice(&1u32.to_le_bytes());
    header[0x30..0x34].copy_from_slice(&1u32.to_le_bytes());
    header[0x38..0x3C].copy_from_slice(&4096u32.to_le_bytes());
    header[0x3C..0x40].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
    header[0x44..0x48].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
    for i in 0..109 {
        let v = if i == 0 { 0 } else { 0xFFFF_FFFFu32 };
        header[0x4C + 4 * i..0x50 + 4 * i].copy_from_slice(&v.to_le_bytes());
    }
    let mut fat = vec![0xFFFF_FFFDu32, 0xFFFF_FFFEu32];
    for i in 0..sectors {
        fat.push(if i + 1 == sectors {
            0xFFFF_FFFEu32
        } else {
            (i + 3) as u32
        });
    }
    fat.resize(128, 0xFFFF_FFFFu32);
    let mut directory = vec![0u8; 512];
    let name = |d: &mut [u8], text: &str, typ: u8, start: u32, size: u32| {
        let units: Vec<u16> = text.encode_utf16().chain([0]).collect();
        for (i, u) in units.iter().enumerate() {
            d[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
        }
        d[0x40..0x42].copy_from_slice(&((units.len() * 2) as u16).to_le_bytes());
        d[0x42] = typ;
        d[0x74..0x78].copy_from_slice(&start.to_le_bytes());
        d[0x78..0x7C].copy_from_slice(&size.to_le_bytes());
    };
    name(&mut directory[..128], "Root Entry", 5, 0xFFFF_FFFEu32, 0);
    name(&mut directory[128..256], "Workbook", 2, 2, size as u32);
    let mut out = header;
    out.extend(fat.iter().flat_map(|v| v.to_le_bytes()));
    out.extend_from_slice(&directory);
    out.extend_from_slice(&stream);
    out
}

#[test]
fn an_xls_with_two_cells_far_apart_is_refused_before_its_reader_spans_them() {
    let f = Fixture::mini();
    let number = |row: u16, col: u16| {
        let mut d = row.to_le_bytes().to_vec();
        d.extend_from_slice(&col.to_le_bytes());
        d.extend_from_slice(&[0; 10]);
        (0x0203u16, d)
    };
    // A1 and IV65536: the reader would make one block of 16.7 million cells.
    let bomb = xls(&[(0x0809, vec![0; 16]), number(0, 0), number(65535, 255)]);
    f.write(&format!("{LIST_DIR}/名单.xls"), &bomb);
    assert_refused(&build_limited(&f, "xls-far-cells"), "名单.xls", "cells");
}
