//! Hostile and careless input: whatever lands in the catalog is either published safely or
//! refused with a Chinese message naming the file and line — never a panic, never a script on a
//! reader's page, never a path outside the catalog, never a half-written site.

use crate::harness::{Fixture, id_card, tree};

const DIR: &str = "units/xian/shehui-jiuzhu/dibao-zhengce";

fn entry(title: &str, body: &str) -> String {
    format!(
        "+++\ntitle = {}\ncreated = 2024-06-01\npublished = 2024-06-03\nindex_no = \"H/2024-{:05}\"\n+++\n{body}\n",
        toml_str(title),
        title.len()
    )
}

fn toml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

#[test]
fn xss_payloads_in_title_body_and_attachment_names_are_neutralised() {
    let f = Fixture::mini();
    let payloads = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "<a href=\"javascript:alert(1)\">点我</a>",
        "<a href=\"JaVaScRiPt:alert(1)\">点我</a>",
        "<iframe src=\"https://evil.example/\"></iframe>",
        "<object data=\"x.swf\"></object>",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
        "[链接](javascript:alert(1))",
        "![图](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<form action=\"https://evil.example/\"><input name=p></form>",
        "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
        "<base href=\"https://evil.example/\">",
        "<style>body{display:none}</style>",
    ];
    f.write(
        &format!("{DIR}/xss.md"),
        entry("\"><script>alert('t')</script>", &payloads.join("\n\n")),
    );
    f.write(&format!("{DIR}/att/index.md"), entry("附件名", "见附件。"));
    f.write(&format!("{DIR}/att/<img src=x onerror=alert(1)>.txt"), "x");
    f.build().expect_code(0);
    for page in [
        "xian/shehui-jiuzhu/dibao-zhengce/xss/index.html",
        "xian/shehui-jiuzhu/dibao-zhengce/att/index.html",
        "xian/shehui-jiuzhu/dibao-zhengce/index.html",
    ] {
        let html = f.page(page).to_lowercase();
        let body = &html[html.find("<body").expect("body")..];
        assert!(
            !body.contains("<script"),
            "{page}: no script element in the body:\n{body}"
        );
        assert_eq!(
            body.matches("<form").count(),
            1,
            "{page}: only the theme's search form"
        );
        assert!(!in_a_tag(body, "evil.example"), "{page}");
        for bad in [
            "<iframe",
            "<object",
            "<meta http-equiv",
            "<base",
            "<style",
            "<svg",
            "<math",
        ] {
            assert!(!body.contains(bad), "{page} contains {bad}:\n{body}");
        }
        for attr in [
            " onerror=",
            " onload=",
            "javascript:",
            "data:text/html",
            " style=",
        ] {
            assert!(
                !in_a_tag(body, attr),
                "{page} has {attr} inside a tag:\n{body}"
            );
        }
    }
    let entry_page = f.page("xian/shehui-jiuzhu/dibao-zhengce/xss/index.html");
    assert!(
        entry_page.contains("<h1>&quot;&gt;&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;</h1>"),
        "{entry_page}"
    );
    let att = f.page("xian/shehui-jiuzhu/dibao-zhengce/att/index.html");
    assert!(
        att.contains("&lt;img src=x onerror=alert(1)&gt;.txt</a>"),
        "{att}"
    );
}

/// Whether `needle` occurs inside markup (between `<` and `>`) rather than in escaped text.
fn in_a_tag(html: &str, needle: &str) -> bool {
    html.match_indices(needle).any(|(at, _)| {
        let before = &html[..at];
        before
            .rfind('<')
            .is_some_and(|lt| before.rfind('>').is_none_or(|gt| lt > gt))
    })
}

#[test]
fn links_out_of_the_catalog_are_refused_with_file_and_line() {
    let f = Fixture::mini();
    f.write(
        &format!("{DIR}/escape.md"),
        entry("越界链接", "第一行\n\n[密码](../../../../../etc/passwd)\n\n![本机](file:///C:/Users/a.png)\n\n[绝对](/etc/hosts)"),
    );
    let run = f.build();
    run.expect_code(1);
    let stderr = run.stderr();
    for (line, target) in [
        (9, "../../../../../etc/passwd"),
        (11, "file:///C:/Users/a.png"),
        (13, "/etc/hosts"),
    ] {
        let header = format!("错误[unsafe-path] catalog/{DIR}/escape.md:{line}\n  链接“{target}”");
        assert!(stderr.contains(&header), "{header}\n{stderr}");
    }
}

#[test]
fn a_link_to_an_attachment_beside_the_entry_is_fine() {
    let f = Fixture::mini();
    f.build().expect_code(0);
    let page = f.page("xian/shehui-jiuzhu/dibao-shenpi/2024-05-mingdan/index.html");
    assert!(
        page.contains("href=\"低保名单.csv\"") || page.contains("href=\"%E4%BD%8E"),
        "{page}"
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_leading_out_of_the_catalog_is_refused() {
    let f = Fixture::mini();
    std::fs::write(f.dir().join("secret.txt"), "机密").expect("secret");
    f.write(&format!("{DIR}/att/index.md"), entry("附件", "见附件"));
    std::os::unix::fs::symlink(
        f.dir().join("secret.txt"),
        f.dir().join("catalog").join(DIR).join("att/secret.txt"),
    )
    .expect("symlink");
    let run = f.build();
    run.expect_code(1);
    assert!(
        run.stderr().contains("错误[unsafe-path]"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("att/secret.txt"), "{}", run.stderr());
    assert!(!f.dir().join("public").exists());
}

#[test]
fn names_differing_only_by_case_are_an_error() {
    let f = Fixture::mini();
    f.write(&format!("{DIR}/Notice.md"), entry("甲", "甲"));
    f.write(&format!("{DIR}/notice.md"), entry("乙", "乙"));
    let run = f.build();
    run.expect_code(1);
    assert!(run.stderr().contains("只差大小写"), "{}", run.stderr());
}

#[test]
fn entry_file_and_entry_folder_with_one_name_are_an_error() {
    let f = Fixture::mini();
    f.write(
        &format!("{DIR}/2024-biaozhun/index.md"),
        entry("同名", "同名"),
    );
    let run = f.build();
    run.expect_code(1);
    assert!(
        run.stderr().contains("会生成同一个网址"),
        "{}",
        run.stderr()
    );
}

#[test]
fn careless_files_get_precise_errors_not_panics() {
    let cases: [(&str, &[u8], &str, &str); 6] = [
        ("empty.md", b"", "empty.md", "条目文件是空的"),
        (
            "open.md",
            b"+++\ntitle = \"a\"\ncreated = 2024-01-01\n",
            "open.md:1",
            "front matter 没有结束",
        ),
        (
            "nofm.md",
            "只有正文，没有 front matter".as_bytes(),
            "nofm.md:1",
            "第一行应为 +++",
        ),
        (
            "fullwidth.md",
            "+++\ntitle　= \"a\"\n+++\n".as_bytes(),
            "fullwidth.md:2",
            "全角空格",
        ),
        (
            "tab.md",
            b"+++\nti\ttle = \"a\"\n+++\n",
            "tab.md:2",
            "TOML 格式错误",
        ),
        (
            "badday.md",
            b"+++\ntitle = \"a\"\ncreated = 2024-02-30\npublished = 2024-03-01\n+++\n",
            "badday.md:3",
            "这个月只有 29 天",
        ),
    ];
    for (name, bytes, location, text) in cases {
        let f = Fixture::mini();
        f.write(&format!("{DIR}/{name}"), bytes);
        let run = f.build();
        run.expect_code(1);
        let stderr = run.stderr();
        assert!(
            stderr.contains(&format!("catalog/{DIR}/{location}\n")),
            "{name}: {stderr}"
        );
        assert!(stderr.contains(text), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    }
}

#[test]
fn an_enormous_file_is_refused() {
    let f = Fixture::mini();
    let mut big = entry("大文件", "").into_bytes();
    big.resize(17 * 1024 * 1024, b'a');
    f.write(&format!("{DIR}/big.md"), big);
    let run = f.build();
    run.expect_code(1);
    assert!(run.stderr().contains("文件过大"), "{}", run.stderr());
}

#[test]
fn an_interrupted_build_leaves_the_previous_site() {
    let f = Fixture::mini();
    // Enough entries that the build takes a while.
    for i in 0..3000 {
        f.write(&format!("{DIR}/bulk-{i:04}.md"), format!("+++\ntitle = \"第{i}条\"\ncreated = 2024-06-01\npublished = 2024-06-03\nindex_no = \"K/2024-{i:05}\"\n+++\n{}\n", "正文内容。".repeat(200)));
    }
    f.build().expect_code(0);
    let before = tree(&f.dir().join("public"));
    f.write(
        &format!("{DIR}/bulk-0000.md"),
        f.read(&format!("{DIR}/bulk-0000.md"))
            .replace("第0条", "第0条（改）"),
    );
    let mut interrupted = 0;
    for delay_ms in [5u64, 20, 60, 150] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .args(["build", "--as-of", "2024-06-30"])
            .current_dir(f.dir())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let status = child.wait().expect("wait");
        if !status.success() {
            interrupted += 1;
            assert!(
                tree(&f.dir().join("public")) == before,
                "killed after {delay_ms} ms: public/ changed"
            );
        }
    }
    assert!(interrupted > 0, "at least one build was killed midway");
    // The next build cleans up the leftover staging folder and succeeds.
    f.build().expect_code(0);
    assert!(
        f.page("xian/shehui-jiuzhu/dibao-zhengce/bulk-0000/index.html")
            .contains("第0条（改）")
    );
    let leftovers = std::fs::read_dir(f.dir())
        .expect("dir")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().ends_with("gongkai-staging"))
        })
        .count();
    assert_eq!(leftovers, 0);
}

#[test]
fn personal_numbers_are_refused_unless_masked_or_excepted() {
    let f = Fixture::mini();
    let id = id_card("11010519491001123");
    let mut wrong = id.clone();
    wrong.replace_range(17.., if id.ends_with('0') { "1" } else { "0" });
    let body = format!(
        "| 姓名 | 身份证号 | 电话 |\n|---|---|---|\n| 张某某 | {id} | 138****5678 |\n| 李某某 | 4401**********1234 | 13912345678 |\n\n流水号 {wrong} 不是身份证号。\n"
    );
    f.write(&format!("{DIR}/leak.md"), entry("低保名单", &body));
    let run = f.build();
    run.expect_code(1);
    let stderr = run.stderr();
    assert!(
        stderr.contains(&format!(
            "错误[privacy] catalog/{DIR}/leak.md:9\n  发现未打码的居民身份证号码“1101**********"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "错误[privacy] catalog/{DIR}/leak.md:10\n  发现未打码的手机号码“139****5678”"
        )),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("错误[privacy]").count(),
        2,
        "masked and check-digit-invalid numbers pass: {stderr}"
    );
    assert!(
        !stderr.contains(&id) && !stderr.contains("13912345678"),
        "the numbers themselves are never printed: {stderr}"
    );

    // A declared exception lets a published hotline through, and check lists it.
    f.write(
        &format!("{DIR}/leak.md"),
        entry("热线", "监督电话：13912345678").replace(
            "+++\ntitle",
            "+++\nprivacy_exception = \"公布的是单位值班手机\"\ntitle",
        ),
    );
    f.build().expect_code(0);
    let check = f.run(&["check", "--as-of", "2024-06-30"]);
    assert!(
        check.stdout().contains(
            "隐私例外 catalog/units/xian/shehui-jiuzhu/dibao-zhengce/leak.md：公布的是单位值班手机"
        ),
        "{}",
        check.stdout()
    );
}

/// The mini fixture's entry folder with a CSV attachment, and that attachment.
const LIST_DIR: &str = "units/xian/shehui-jiuzhu/dibao-shenpi/2024-05-mingdan";
const LIST_CSV: &str = "units/xian/shehui-jiuzhu/dibao-shenpi/2024-05-mingdan/低保名单.csv";

#[test]
fn personal_numbers_in_a_text_attachment_are_refused_too() {
    let f = Fixture::mini();
    let id = id_card("44010619800101123");
    f.write(
        LIST_CSV,
        format!(
            "姓名,身份证号,电话\n张某某,{id},138****5678\n李某某,4401**********1234,13912345678\n"
        ),
    );
    // An image is not read (its numbers cannot be found here).
    f.write(
        &format!("{LIST_DIR}/扫描件.jpg"),
        format!("\u{ff}\u{d8}{id}"),
    );
    let run = f.build();
    run.expect_code(1);
    let stderr = run.stderr();
    assert!(
        stderr.contains(&format!(
            "错误[privacy] catalog/{LIST_CSV}:2\n  附件“低保名单.csv”中有未打码的居民身份证号码“4401**********"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "错误[privacy] catalog/{LIST_CSV}:3\n  附件“低保名单.csv”中有未打码的手机号码“139****5678”"
        )),
        "{stderr}"
    );
    assert_eq!(stderr.matches("错误[privacy]").count(), 2, "{stderr}");
    assert!(
        !stderr.contains(&id) && !stderr.contains("13912345678"),
        "the numbers themselves are never printed: {stderr}"
    );
    assert!(!f.dir().join("public").exists(), "nothing is published");

    // The entry's declared exception covers what it publishes, attachments included.
    let index = format!("{LIST_DIR}/index.md");
    f.write(
        &index,
        f.read(&index).replacen(
            "+++\n",
            "+++\nprivacy_exception = \"依法公示的联系人电话\"\n",
            1,
        ),
    );
    f.build().expect_code(0);
}

/// An Office file (a zip of `parts`, stored uncompressed) as Excel or Word would write it.
fn office_file(parts: &[(&str, String)]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, content) in parts {
        zip.start_file(*name, stored).expect("part");
        zip.write_all(content.as_bytes()).expect("write part");
    }
    zip.finish().expect("zip").into_inner()
}

const OFFICE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="TARGET"/></Relationships>"#;

/// A one-sheet workbook named `sheet`: each row's cells are text, except those given as
/// `=digits`, which are number cells (as a phone number typed into Excel is).
pub(crate) fn xlsx(sheet: &str, rows: &[&[&str]]) -> Vec<u8> {
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let mut data = String::new();
    for (r, row) in rows.iter().enumerate() {
        data += &format!(r#"<row r="{}">"#, r + 1);
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{}", char::from(b'A' + c as u8), r + 1);
            data += &match cell.strip_prefix('=') {
                Some(number) => format!(r#"<c r="{at}"><v>{number}</v></c>"#),
                None => format!(r#"<c r="{at}" t="inlineStr"><is><t>{cell}</t></is></c>"#),
            };
        }
        data += "</row>";
    }
    // A stray note in the sheet's very last cell, as a clerk leaves one: the workbook is still
    // read cell by cell, not as a grid of 17 billion cells.
    data += r#"<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>备注</t></is></c></row>"#;
    office_file(&[
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_owned()),
        ("_rels/.rels", OFFICE_RELS.replace("TARGET", "xl/workbook.xml")),
        ("xl/workbook.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>"#)),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_owned()),
        ("xl/worksheets/sheet1.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>{data}</sheetData></worksheet>"#)),
    ])
}

/// A Word document with these paragraphs, each split into runs at `|` (as Word splits text
/// it has checked for spelling), and a page header.
fn docx(paragraphs: &[&str], header: &str) -> Vec<u8> {
    let body: String = paragraphs
        .iter()
        .map(|p| {
            let runs: String = p
                .split('|')
                .map(|r| format!(r#"<w:r><w:t xml:space="preserve">{r}</w:t></w:r>"#))
                .collect();
            format!("<w:p>{runs}</w:p>")
        })
        .collect();
    office_file(&[
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_owned()),
        ("_rels/.rels", OFFICE_RELS.replace("TARGET", "word/document.xml")),
        ("word/document.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#)),
        ("word/header1.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:r><w:t>{header}</w:t></w:r></w:p></w:hdr>"#)),
    ])
}

#[test]
fn personal_numbers_in_a_workbook_or_a_word_attachment_are_refused_too() {
    let f = Fixture::mini();
    let id = id_card("44010619800101123");
    let workbook = format!("{LIST_DIR}/低保名单.xlsx");
    let document = format!("{LIST_DIR}/公示.docx");
    f.write(
        &workbook,
        xlsx(
            "名单",
            &[
                &["姓名", "身份证号", "电话"],
                &["张某某", &id, "138****5678"],
                &["李某某", "4401**********1234", "=13912345678"],
            ],
        ),
    );
    f.write(
        &document,
        docx(
            &[
                "关于2024年5月低保对象的公示",
                "王某某，联系电话 137|0000|1234。",
            ],
            "经办人 13600001111",
        ),
    );
    let run = f.build();
    run.expect_code(1);
    let stderr = run.stderr();
    for expected in [
        format!(
            "错误[privacy] catalog/{workbook}\n  附件“低保名单.xlsx”工作表“名单”第 2 行中有未打码的居民身份证号码“4401**********"
        ),
        format!(
            "错误[privacy] catalog/{workbook}\n  附件“低保名单.xlsx”工作表“名单”第 3 行中有未打码的手机号码“139****5678”"
        ),
        format!(
            "错误[privacy] catalog/{document}\n  附件“公示.docx”第 2 段中有未打码的手机号码“137****1234”"
        ),
        format!(
            "错误[privacy] catalog/{document}\n  附件“公示.docx”页眉中有未打码的手机号码“136****1111”"
        ),
    ] {
        assert!(
            stderr.contains(&expected),
            "{expected}\n--- in ---\n{stderr}"
        );
    }
    assert_eq!(stderr.matches("错误[privacy]").count(), 4, "{stderr}");
    assert!(
        !stderr.contains(&id) && !stderr.contains("13912345678") && !stderr.contains("13700001234"),
        "the numbers themselves are never printed: {stderr}"
    );
    assert!(!f.dir().join("public").exists(), "nothing is published");

    // A workbook that cannot be opened cannot be checked: the build says so.
    f.write(&workbook, "这不是工作簿");
    f.write(
        &document,
        docx(&["关于2024年5月低保对象的公示"], "经办人 136****1111"),
    );
    let run = f.build();
    run.expect_code(1);
    assert!(
        run.stderr()
            .contains("无法检查附件“低保名单.xlsx”中有没有未打码的个人信息：无法打开工作簿：文件已损坏，或者不是它的扩展名所说的格式"),
        "{}",
        run.stderr()
    );
    // Said in Chinese: not the zip library's "invalid Zip archive".
    assert!(!run.stderr().contains("Zip"), "{}", run.stderr());

    // Masked, the files are published as they are.
    f.write(
        &workbook,
        xlsx(
            "名单",
            &[&["姓名", "身份证号"], &["张某某", "4401**********1234"]],
        ),
    );
    f.build().expect_code(0);
    assert!(
        f.dir()
            .join("public/xian/shehui-jiuzhu/dibao-shenpi/2024-05-mingdan/低保名单.xlsx")
            .is_file()
    );
}

#[test]
fn personal_numbers_in_a_pdf_attachment_are_refused_with_page_and_line() {
    let f = Fixture::mini();
    let fixtures = crate::harness::repo().join("tests/fixtures/pdf");
    let pdf = format!("{LIST_DIR}/公示名单.pdf");
    let put = |name: &str| {
        f.write(&pdf, std::fs::read(fixtures.join(name)).expect("fixture"));
    };
    put("unmasked.pdf");
    let run = f.build();
    run.expect_code(1);
    let expected = format!(
        "错误[privacy] catalog/{pdf}\n  附件“公示名单.pdf”第 1 页第 2 行中有未打码的居民身份证号码“1101**********1233”"
    );
    assert!(run.stderr().contains(&expected), "{}", run.stderr());
    assert!(!run.stderr().contains("110101199003071233"));
    assert!(!f.dir().join("public").exists(), "nothing is published");

    // A PDF that cannot be read cannot be checked.
    f.write(&pdf, "%PDF-1.7\n只有开头");
    let run = f.build();
    run.expect_code(1);
    assert!(
        run.stderr().contains(
            "无法检查附件“公示名单.pdf”中有没有未打码的个人信息：无法读取 PDF 文件：文件已损坏，或者不是 PDF 文件。"
        ),
        "{}",
        run.stderr()
    );

    // Masked, it is published as it is.
    put("masked.pdf");
    f.build().expect_code(0);
    assert_eq!(
        std::fs::read(
            f.dir()
                .join("public/xian/shehui-jiuzhu/dibao-shenpi/2024-05-mingdan/公示名单.pdf")
        )
        .expect("published"),
        std::fs::read(fixtures.join("masked.pdf")).expect("fixture")
    );
}

/// The entry cache must not hide a number written into an attachment later, however the
/// change hides (same size, the entry file itself untouched and settled).
#[test]
fn a_number_written_into_a_cached_entrys_attachment_is_still_found() {
    let f = Fixture::mini();
    let before = f.read(LIST_CSV);
    // Only files last changed a while before a build reads them get a trusted stamp.
    std::thread::sleep(gongkai::incremental::cache::SETTLE + std::time::Duration::from_millis(300));
    f.build().expect_code(0);
    f.build().expect_code(0);
    // The same number of bytes: a mobile number in place of the name and count.
    let leak = "姓名,人数\n13912345678\n";
    assert_eq!(leak.len(), before.len(), "same size as {before:?}");
    std::fs::write(f.dir().join("catalog").join(LIST_CSV), leak).expect("write");
    let run = f.build();
    run.expect_code(1);
    assert!(
        run.stderr()
            .contains("附件“低保名单.csv”中有未打码的手机号码“139****5678”"),
        "{}",
        run.stderr()
    );
}

/// A unit folder named like a folder the site writes beside it (the site's `data/` and
/// `search/`, a unit's own `search/` page) would overwrite those pages: refused, with the fix.
#[test]
fn unit_folders_named_like_the_sites_own_folders_are_refused() {
    let f = Fixture::mini();
    let units = f.dir().join("catalog/units");
    std::fs::rename(units.join("xian/zhen"), units.join("xian/search")).expect("rename town");
    let run = f.build();
    run.expect_code(1);
    assert!(
        run.stderr()
            .contains("单位文件夹名“search”与上级单位栏目自用的文件夹名相同，生成的网址会冲突。"),
        "{}",
        run.stderr()
    );
    std::fs::rename(units.join("xian/search"), units.join("xian/zhen")).expect("rename back");
    std::fs::rename(units.join("xian"), units.join("data")).expect("rename county");
    let run = f.build();
    run.expect_code(1);
    assert!(
        run.stderr()
            .contains("单位文件夹名“data”与网站自用的文件夹名相同"),
        "{}",
        run.stderr()
    );
    assert!(!f.dir().join("public").exists(), "nothing is published");
}

/// An attachment named like a file the site writes (`index.html` beside `index.md` replaced the
/// entry's own page, silently) is refused in any letter case.
#[test]
fn an_attachment_named_like_a_generated_file_is_refused() {
    for name in [
        "index.html",
        "INDEX.HTML",
        "Index.html",
        "feed.xml",
        "sitemap.xml",
        "search.json",
        "catalog.csv",
    ] {
        let f = Fixture::mini();
        let file = format!("{LIST_DIR}/{name}");
        f.write(&file, "<h1>冒充的网页</h1>");
        let run = f.build();
        run.expect_code(1);
        let expected = format!(
            "错误[unsafe-path] catalog/{file}\n  附件“{name}”与网站生成的文件“{}”同名（不区分大小写）",
            name.to_lowercase()
        );
        assert!(
            run.stderr().contains(&expected),
            "{expected}\n{}",
            run.stderr()
        );
        assert!(
            !f.dir().join("public").exists(),
            "{name}: nothing is published"
        );
    }
}

/// Pages, SVG, XML and scripts attached to an entry would run on the site's origin: refused
/// unless site.toml opts in; server-executed types are refused even then.
#[test]
fn active_content_attachments_are_refused_unless_the_site_opts_in() {
    let f = Fixture::mini();
    let active = ["说明.html", "图示.SVG", "数据.xml", "脚本.js", "存档.mht"];
    for name in active {
        f.write(&format!("{LIST_DIR}/{name}"), "<script>alert(1)</script>");
    }
    let run = f.build();
    run.expect_code(1);
    let stderr = run.stderr();
    for name in active {
        let expected = format!(
            "错误[unsafe-path] catalog/{LIST_DIR}/{name}\n  附件“{name}”是网页、矢量图、XML 或脚本类文件"
        );
        assert!(stderr.contains(&expected), "{expected}\n{stderr}");
    }
    assert!(stderr.contains("转换为 PDF"), "{stderr}");
    assert!(stderr.contains("active_attachments = true"), "{stderr}");
    assert_eq!(
        stderr.matches("错误[unsafe-path]").count(),
        active.len(),
        "{stderr}"
    );

    // Opted in: published as they are (the host serves them as downloads, docs/hosting.md).
    let site = f.read("site.toml");
    f.write("site.toml", format!("{site}active_attachments = true\n"));
    f.build().expect_code(0);
    for name in active {
        assert!(
            f.dir()
                .join("public/xian/shehui-jiuzhu/dibao-shenpi/2024-05-mingdan")
                .join(name)
                .is_file(),
            "{name}"
        );
    }

    // A file the web server itself may execute is refused even then.
    for name in ["后台.php", "web.config", "页面.shtml", "a.aspx"] {
        f.write(
            &format!("{LIST_DIR}/{name}"),
            "<?php system($_GET['c']); ?>",
        );
        let run = f.build();
        run.expect_code(1);
        let expected = format!(
            "错误[unsafe-path] catalog/{LIST_DIR}/{name}\n  附件“{name}”是网站服务器会直接执行的脚本或配置文件"
        );
        assert!(
            run.stderr().contains(&expected),
            "{expected}\n{}",
            run.stderr()
        );
        std::fs::remove_file(f.dir().join("catalog").join(LIST_DIR).join(name)).expect("rm");
    }
    f.build().expect_code(0);
}

/// An entry named `index.html.md` would be the folder `index.html/` beside the item's own page
/// `index.html`: it stopped the build with an internal write error; now it is a clear error.
#[test]
fn an_entry_named_like_a_generated_file_is_refused() {
    for name in ["index.html.md", "INDEX.HTML.md", "index.html/index.md"] {
        let f = Fixture::mini();
        f.write(&format!("{DIR}/{name}"), entry("冒名条目", "正文"));
        let run = f.build();
        run.expect_code(1);
        let shown = name.trim_end_matches("/index.md");
        let slug = shown.trim_end_matches(".md");
        let expected = format!(
            "错误[unsafe-path] catalog/{DIR}/{shown}\n  条目名“{slug}”与网站生成的文件“index.html”同名"
        );
        assert!(
            run.stderr().contains(&expected),
            "{expected}\n{}",
            run.stderr()
        );
        assert!(!run.stderr().contains("构建失败"), "{}", run.stderr());
        assert!(!f.dir().join("public").exists(), "{name}");
    }
}

/// Raw HTML links and percent-encoded `../` escaped the check Markdown links get; both are now
/// refused with the file and line.
#[test]
fn raw_html_and_percent_encoded_links_out_of_the_catalog_are_refused() {
    let f = Fixture::mini();
    let body = [
        "第一行",
        "<a href=\"../../../../../etc/passwd\">密码</a>",
        "<img src='../../../../../../etc/shadow'>",
        "[编码](%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd)",
        "[大写](%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd)",
        "[混合](..%2f%2E./.%2e/..%2F../etc/passwd)",
        "<a href=\"%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd\">HTML 里编码</a>",
        "<a href=\"/etc/hosts\">绝对</a>",
        "[附件旁的链接](../2024-biaozhun/) <a href=\"../2023-biaozhun/\">去年</a>",
    ]
    .join("\n\n");
    f.write(&format!("{DIR}/escape.md"), entry("越界链接", &body));
    let run = f.build();
    run.expect_code(1);
    let stderr = run.stderr();
    for (line, target) in [
        (9, "../../../../../etc/passwd"),
        (11, "../../../../../../etc/shadow"),
        (13, "%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd"),
        (
            15,
            "%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        ),
        (17, "..%2f%2E./.%2e/..%2F../etc/passwd"),
        (19, "%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd"),
        (21, "/etc/hosts"),
    ] {
        let header = format!("错误[unsafe-path] catalog/{DIR}/escape.md:{line}\n  链接“{target}”");
        assert!(stderr.contains(&header), "{header}\n{stderr}");
    }
    assert_eq!(stderr.matches("错误[unsafe-path]").count(), 7, "{stderr}");
}

/// A catalog file that is a symbolic link out of the catalog (site.toml pointing at a system
/// file) was followed and a line of what it pointed at was shown in the syntax error. Every file
/// and folder the loader reads by name is now refused unread.
#[cfg(unix)]
#[test]
fn catalog_files_linked_out_of_the_catalog_are_refused_unread() {
    let secret_line = "root:x:0:0:机密:/root:/bin/bash";
    for (rel, is_dir) in [
        ("site.toml", false),
        ("units/xian/unit.toml", false),
        ("standard/shehui-jiuzhu.toml", false),
        ("calendar/2024.toml", false),
        ("standard", true),
        ("calendar", true),
        ("units", true),
    ] {
        let f = Fixture::mini();
        let outside = f.dir().join("outside");
        std::fs::create_dir_all(&outside).expect("mkdir");
        std::fs::write(outside.join("secret"), format!("{secret_line}\n")).expect("secret");
        std::fs::write(outside.join("x.toml"), format!("{secret_line}\n")).expect("secret");
        let link = f.dir().join("catalog").join(rel);
        if is_dir {
            std::fs::remove_dir_all(&link).expect("rm");
        } else {
            std::fs::remove_file(&link).expect("rm");
        }
        let target = if is_dir {
            outside.clone()
        } else {
            outside.join("secret")
        };
        std::os::unix::fs::symlink(&target, &link).expect("symlink");
        let run = f.build();
        run.expect_code(1);
        let stderr = run.stderr();
        let expected = format!(
            "错误[unsafe-path] catalog/{rel}\n  这个链接指向目录文件夹以外的位置，已拒绝。"
        );
        assert!(stderr.contains(&expected), "{rel}: {stderr}");
        assert!(
            !stderr.contains("root:x"),
            "{rel}: the target is never shown: {stderr}"
        );
        assert!(!stderr.contains("outside"), "{rel}: {stderr}");
        assert!(!f.dir().join("public").exists(), "{rel}");
    }
}

/// Pasted HTML with an unclosed `<style>` silently dropped the rest of the body from the page;
/// now the build stops and names the line, for every element that would swallow what follows.
#[test]
fn pasted_html_that_would_swallow_the_rest_of_the_body_is_an_error() {
    for (pasted, tag) in [
        ("<style>p { color: red }", "style"),
        ("<script>var a = 1;", "script"),
        ("说明 <textarea rows=\"3\">", "textarea"),
        ("<title>通知", "title"),
        ("<xmp>", "xmp"),
        ("<iframe src=\"https://www.gov.cn/\">", "iframe"),
        ("<NoScript>", "noscript"),
    ] {
        let f = Fixture::mini();
        let body = format!("第一段。\n\n{pasted}\n\n第二段，不能消失。\n\n第三段。");
        f.write(&format!("{DIR}/paste.md"), entry("粘贴", &body));
        let run = f.build();
        run.expect_code(1);
        let expected = format!(
            "错误[syntax] catalog/{DIR}/paste.md:9\n  这里的 <{tag}> 没有对应的结束标签 </{tag}>"
        );
        assert!(
            run.stderr().contains(&expected),
            "{expected}\n{}",
            run.stderr()
        );
        assert!(!f.dir().join("public").exists(), "{tag}");

        // Closed, it is sanitized away and the rest of the body is published.
        f.write(
            &format!("{DIR}/paste.md"),
            entry("粘贴", &format!("{body}\n\n</{tag}>后记")),
        );
        let run = f.build();
        run.expect_code(0);
    }
    let f = Fixture::mini();
    f.write(
        &format!("{DIR}/paste.md"),
        entry("粘贴", "第一段。\n\n<!-- 旧版本\n\n第二段。"),
    );
    let run = f.build();
    run.expect_code(1);
    assert!(
        run.stderr().contains(&format!(
            "错误[syntax] catalog/{DIR}/paste.md:9\n  这里的 HTML 注释 <!-- 没有结束"
        )),
        "{}",
        run.stderr()
    );
}

/// A 100 KB body of `>` (100,000 nested quotes) took over a minute to render, the time growing
/// with the square of the depth; quotes, lists and HTML elements may now nest 50 deep, and a
/// deeper body is an error naming the line, found before anything renders.
#[test]
fn nesting_deeper_than_fifty_is_refused_before_rendering() {
    let f = Fixture::mini();
    let deep_quotes = ">".repeat(100_000);
    let deep_lists: String = (0..60)
        .map(|i| format!("{}- 第{i}层\n", "  ".repeat(i)))
        .collect();
    let deep_html = format!("{}正文", "<div>".repeat(20_000));
    for (name, body) in [
        ("quotes", deep_quotes.as_str()),
        ("lists", deep_lists.as_str()),
        ("html", deep_html.as_str()),
    ] {
        f.write(&format!("{DIR}/{name}.md"), entry(name, body));
    }
    let run = f.build();
    run.expect_code(1);
    let stderr = run.stderr();
    for (name, line, depth) in [("quotes", 7, 100_000), ("lists", 57, 51), ("html", 7, 51)] {
        let expected = format!(
            "错误[syntax] catalog/{DIR}/{name}.md:{line}\n  正文嵌套太深：这里的引用（>）、列表和 HTML 标签合计嵌套了 {depth} 层，超过 50 层的上限。"
        );
        assert!(stderr.contains(&expected), "{expected}\n{stderr}");
    }
    assert!(!f.dir().join("public").exists());

    // Fifty deep is published.
    for name in ["quotes", "lists", "html"] {
        std::fs::remove_file(f.dir().join("catalog").join(DIR).join(format!("{name}.md")))
            .expect("rm");
    }
    f.write(
        &format!("{DIR}/fifty.md"),
        entry("五十层", &format!("{} 最深的引用", ">".repeat(50))),
    );
    f.build().expect_code(0);
    assert!(
        f.page("xian/shehui-jiuzhu/dibao-zhengce/fifty/index.html")
            .contains("最深的引用")
    );
}

/// A title with a control character (written as a TOML escape) made the Atom feeds ill-formed
/// XML. Control characters in front matter text are now an error naming the key and line, and
/// the feed writer leaves out whatever XML 1.0 forbids should one come from elsewhere.
#[test]
fn control_characters_never_reach_the_feeds() {
    let f = Fixture::mini();
    f.write(
        &format!("{DIR}/ctl.md"),
        "+++\ntitle = \"通知\\u0001标题\"\ncreated = 2024-06-01\npublished = 2024-06-03\nindex_no = \"C/2024-00001\"\nsummary = \"摘要\\b\"\ndoc_no = \"测\\u001F民\"\n+++\n正文\n",
    );
    let run = f.build();
    run.expect_code(1);
    let stderr = run.stderr();
    for (line, key, code) in [
        (2, "`title`（标题）", "U+0001"),
        (6, "`summary`", "U+0008"),
        (7, "`doc_no`（文号）", "U+001F"),
    ] {
        let expected =
            format!("错误[schema] catalog/{DIR}/ctl.md:{line}\n  {key} 中有控制字符 {code}");
        assert!(stderr.contains(&expected), "{expected}\n{stderr}");
    }

    // Text the catalog does not check for them (the standard's item names) still cannot break
    // a feed.
    std::fs::remove_file(f.dir().join("catalog").join(DIR).join("ctl.md")).expect("rm");
    let standard = "standard/shehui-jiuzhu.toml";
    f.write(
        standard,
        f.read(standard)
            .replacen("level2 = \"", "level2 = \"\\u0002\\uFFFF", 1),
    );
    f.build().expect_code(0);
    let (mut feeds, mut with_item_name) = (0, 0);
    for entry in walkdir::WalkDir::new(f.dir().join("public")) {
        let entry = entry.expect("walk");
        if entry.file_name() == "feed.xml" {
            let xml = std::fs::read_to_string(entry.path()).expect("feed");
            roxmltree::Document::parse(&xml)
                .unwrap_or_else(|e| panic!("{}: {e}\n{xml}", entry.path().display()));
            assert!(!xml.contains(['\u{2}', '\u{FFFF}']), "{xml}");
            feeds += 1;
            with_item_name += usize::from(xml.contains("政策法规文件"));
        }
    }
    assert!(feeds >= 4, "{feeds} feeds");
    assert!(with_item_name > 0, "the item's name is in a feed");
}

/// Text a spreadsheet would run as a formula went into catalog.csv as it was; every cell that
/// starts like a formula now gets a leading `'` (OWASP's advice), whatever the column.
#[test]
fn csv_cells_that_start_like_formulas_are_inert_in_spreadsheets() {
    let f = Fixture::mini();
    let titles = [
        "=HYPERLINK(\"https://evil.example/\",\"点我\")",
        "+1+1",
        "-2+3",
        "@SUM(A1:A9)",
        "＝１＋１",
        "＋通知",
        "－通知",
        "＠通知",
    ];
    for (n, title) in titles.iter().enumerate() {
        f.write(
            &format!("{DIR}/csv-{n}.md"),
            format!(
                "+++\ntitle = {}\ncreated = 2024-06-01\npublished = 2024-06-03\nindex_no = \"V/2024-{n:05}\"\n+++\n正文\n",
                toml_str(title)
            ),
        );
    }
    // A tab or carriage return can only start a 文号 (titles are trimmed).
    f.write(
        &format!("{DIR}/csv-tab.md"),
        "+++\ntitle = \"制表符\"\ncreated = 2024-06-01\npublished = 2024-06-03\nindex_no = \"V/2024-00100\"\ndoc_no = \"\\t=1+1\"\npublisher = \"\\r=2+2\"\n+++\n正文\n",
    );
    f.build().expect_code(0);
    let bytes = std::fs::read(f.dir().join("public/xian/catalog.csv")).expect("csv");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let cell = |column: usize, value: &str| rows.iter().any(|r| &r[column] == value);
    for title in titles {
        assert!(
            cell(4, &format!("'{title}")),
            "{title} made inert: {rows:?}"
        );
        assert!(!cell(4, title), "{title} as it was: {rows:?}");
    }
    assert!(cell(6, "'\t=1+1"), "{rows:?}");
    assert!(cell(7, "'\r=2+2"), "{rows:?}");
    // Nothing else in the file starts like a formula.
    for row in &rows {
        for value in row {
            assert!(
                !value.starts_with(['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠']),
                "{value:?} in {row:?}"
            );
        }
    }
}
