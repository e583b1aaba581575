//! Numbers hidden from a scan of the source but whole on the page: split by HTML tags or
//! Markdown bold, written as character references, broken by invisible characters, glued to
//! letters. The privacy scan reads the body as a reader sees it, so each is refused on its line.

use crate::harness::{Fixture, id_card};

const DIR: &str = "units/xian/shehui-jiuzhu/dibao-zhengce";

#[test]
fn numbers_hidden_by_markup_are_found_as_readers_see_them() {
    let f = Fixture::mini();
    let id = id_card("11010519491001123");
    let (head, tail) = id.split_at(6);
    let (mid, end) = tail.split_at(8);
    let entities: String = id.chars().map(|c| format!("&#{};", c as u32)).collect();
    let hidden = [
        format!("张某 {head}<span>{mid}</span>{end}"),
        format!("张某 {entities}"),
        format!("张某 {head}\u{200B}{mid}{end}"),
        format!("张某 {head}\u{AD}{mid}\u{2060}{end}"),
        format!("张某 {head}**{mid}**{end}"),
        format!("张某 IDNo{id}"),
        format!("张某 <b>{head}</b><font color=\"red\">{mid}{end}</font>"),
    ];
    let body = hidden.join("\n\n");
    f.write(&format!("{DIR}/hidden.md"), format!(
        "+++\ntitle = \"名单\"\ncreated = 2024-06-01\npublished = 2024-06-03\nindex_no = \"H/2024-00077\"\n+++\n{body}\n"
    ));
    let run = f.build();
    run.expect_code(1);
    let stderr = run.stderr();
    // The body starts on line 7; the pieces are two lines apart.
    for (i, _) in hidden.iter().enumerate() {
        let line = 7 + 2 * i;
        assert!(
            stderr.contains(&format!(
                "错误[privacy] catalog/{DIR}/hidden.md:{line}\n  页面上读者看到的正文中有未打码的居民身份证号码“1101**********"
            )),
            "line {line}: {stderr}"
        );
    }
    assert_eq!(
        stderr.matches("错误[privacy]").count(),
        hidden.len(),
        "{stderr}"
    );
    assert!(!stderr.contains(&id), "{stderr}");
}

#[test]
fn a_number_plain_in_the_source_is_reported_once_and_codes_still_pass() {
    let f = Fixture::mini();
    let id = id_card("44010619800101123");
    f.write(&format!("{DIR}/plain.md"), format!(
        "+++\ntitle = \"名单\"\ncreated = 2024-06-01\npublished = 2024-06-03\nindex_no = \"H/2024-00078\"\n+++\n| 姓名 | 身份证号 |\n|---|---|\n| 张某 | <b>{id}</b> |\n\n文号 示政发〔2024〕1号，索引号 11999001MB0000001X/2024-00001，统一社会信用代码 91110105MA01234567，旧身份证 110105491001124。\n"
    ));
    let run = f.build();
    run.expect_code(1);
    let stderr = run.stderr();
    assert_eq!(stderr.matches("错误[privacy]").count(), 2, "{stderr}");
    assert!(
        stderr.contains("发现未打码的居民身份证号码“4401**********"),
        "{stderr}"
    );
    assert!(
        stderr.contains("发现未打码的居民身份证号码“1101*******1124”"),
        "{stderr}"
    );
}

const LIST_DIR: &str = "units/xian/shehui-jiuzhu/dibao-shenpi/2024-05-mingdan";

#[test]
fn a_number_in_an_excel_cell_comment_or_a_utf16_csv_without_bom_is_found() {
    let f = Fixture::mini();
    let id = id_card("44010619800101123");
    let comments = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author>办事员</author></authors><commentList><comment ref="B2" authorId="0"><text><r><t>身份证 {id}</t></r></text></comment></commentList></comments>"#
    );
    let workbook = crate::bombs::xlsx_with(
        "<row><c t=\"inlineStr\"><is><t>张某</t></is></c></row>".as_bytes(),
        None,
        &[("xl/comments1.xml", comments.as_bytes())],
    );
    f.write(&format!("{LIST_DIR}/名单.xlsx"), workbook);
    let csv: Vec<u8> = "姓名,手机\r\n李某,13912345678\r\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    f.write(&format!("{LIST_DIR}/电话.csv"), csv);
    let run = f.build();
    run.expect_code(1);
    let stderr = run.stderr();
    assert!(
        stderr.contains("附件“名单.xlsx”单元格 B2 的批注中有未打码的居民身份证号码“4401**********"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "错误[privacy] catalog/{LIST_DIR}/电话.csv:2\n  附件“电话.csv”中有未打码的手机号码“139****5678”"
        )),
        "{stderr}"
    );
}
