//! Relations between entries (解读, 征求意见 and 采纳情况, 替代): findings exactly where the
//! fixture marks them (`# expect: <code>` on the line above the key), links on both pages, and
//! validity derived from `replaces` on every surface.

use crate::harness::Fixture;
use serde_json::Value;
use std::collections::BTreeSet;

const XIAN: &str = "units/xian/shehui-jiuzhu/dibao-zhengce";
const ZHEN: &str = "units/xian/zhen/shehui-jiuzhu/dibao-zhengce";
const NO: &str = "11999100MB0000001X/2024";

fn entry(title: &str, published: &str, index: u32, keys: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ncreated = {published}\npublished = {published}\nindex_no = \"{NO}-{index:05}\"\n{keys}+++\n正文。\n"
    )
}

/// The mini fixture (judged at 2024-06-30) with related entries: each new audit code once where
/// marked, and relations that must stay silent (a town's 解读 of a county document on time, a
/// repealed document without 解读, an answered consultation, one not yet due).
fn related() -> Fixture {
    let f = Fixture::mini();
    f.write(
        &format!("{XIAN}/guifan.md"),
        entry(
            "测试县低保审核确认办法",
            "2024-03-01",
            10,
            "normative = true\nkeywords = [\"低保\", \"审核确认\"]\neffective = 2024-04-01\n",
        ),
    );
    f.write(
        &format!("{ZHEN}/jiedu.md"),
        format!(
            "+++\ntitle = \"图解《测试县低保审核确认办法》\"\ncreated = 2024-03-04\npublished = 2024-03-04\nindex_no = \"11999100MB0000101P/2024-00009\"\ninterprets = [\"{NO}-00010\"]\n+++\n正文。\n"
        ),
    );
    f.write(
        &format!("{XIAN}/guifan-late.md"),
        entry(
            "测试县低保资金管理办法",
            "2024-04-01",
            11,
            "normative = true\n",
        ),
    );
    f.write(
        &format!("{XIAN}/jiedu-late.md"),
        entry(
            "《测试县低保资金管理办法》解读",
            "2024-04-12",
            12,
            &format!("# expect: interpretation-late\ninterprets = [\"{NO}-00011\"]\n"),
        ),
    );
    f.write(
        &format!("{XIAN}/guifan-missing.md"),
        entry(
            "测试县低保动态管理办法",
            "2024-05-06",
            13,
            "# expect: interpretation-missing\nnormative = true\n",
        ),
    );
    f.write(
        &format!("{XIAN}/guifan-repealed.md"),
        entry(
            "测试县低保临时办法",
            "2024-02-01",
            14,
            "normative = true\nvalidity = \"repealed\"\nrepealed_on = 2024-05-01\n",
        ),
    );
    f.write(
        &format!("{XIAN}/xin-biaozhun.md"),
        entry(
            "测试县2024年下半年城乡低保标准",
            "2024-06-03",
            15,
            &format!("replaces = [\"{NO}-00001\"]\n"),
        ),
    );
    f.write(
        &format!("{XIAN}/zhengqiu.md"),
        entry(
            "测试县低保边缘家庭认定办法（征求意见稿）",
            "2024-03-01",
            16,
            "# expect: feedback-missing\nconsultation = { opens = 2024-03-01, closes = 2024-03-15 }\n",
        ),
    );
    f.write(
        &format!("{XIAN}/zhengqiu-2.md"),
        entry(
            "测试县特困供养办法（征求意见稿）",
            "2024-04-01",
            17,
            "consultation = { opens = 2024-04-01, closes = 2024-05-06 }\n",
        ),
    );
    f.write(
        &format!("{XIAN}/caina.md"),
        entry(
            "测试县特困供养办法征求意见采纳情况",
            "2024-05-20",
            18,
            &format!("responds_to = \"{NO}-00017\"\n"),
        ),
    );
    f.write(
        &format!("{XIAN}/tekun.md"),
        entry(
            "测试县特困供养办法",
            "2024-05-21",
            19,
            &format!("consulted_in = \"{NO}-00017\"\n"),
        ),
    );
    f.write(
        &format!("{XIAN}/zhengqiu-3.md"),
        entry(
            "测试县临时救助办法（征求意见稿）",
            "2024-06-01",
            20,
            "consultation = { opens = 2024-06-01, closes = 2024-06-25 }\n",
        ),
    );
    f
}

fn check_json(f: &Fixture) -> (i32, Value) {
    let run = f.run(&["check", "--as-of", "2024-06-30", "--format", "json"]);
    let json: Value =
        serde_json::from_str(&run.stdout()).unwrap_or_else(|e| panic!("{e}: {}", run.stdout()));
    (run.code(), json)
}

/// Where a finding is: (file, line, code).
type Located = BTreeSet<(String, u64, String)>;

/// (file, line, code) of every `# expect:` marker, and of every finding with one of `codes`.
fn markers_and_findings(f: &Fixture, json: &Value, codes: &[&str]) -> (Located, Located) {
    let mut expected = BTreeSet::new();
    for entry in walkdir::WalkDir::new(f.dir().join("catalog")) {
        let entry = entry.expect("walk");
        if !entry.file_type().is_file() {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let rel = entry.path().strip_prefix(f.dir()).expect("prefix");
        for (n, line) in text.lines().enumerate() {
            if let Some(code) = line.trim().strip_prefix("# expect: ") {
                expected.insert((
                    rel.to_string_lossy().into_owned(),
                    n as u64 + 2,
                    code.trim().to_owned(),
                ));
            }
        }
    }
    let found = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|x| codes.contains(&x["code"].as_str().unwrap_or("")))
        .map(|x| {
            (
                x["file"].as_str().expect("file").to_owned(),
                x["line"].as_u64().expect("line"),
                x["code"].as_str().expect("code").to_owned(),
            )
        })
        .collect();
    (expected, found)
}

const RELATION_CODES: [&str; 4] = [
    "broken-relation",
    "interpretation-late",
    "interpretation-missing",
    "feedback-missing",
];

#[test]
fn relation_findings_are_exactly_where_the_fixture_marks_them() {
    let f = related();
    let (code, json) = check_json(&f);
    assert_eq!(code, 0, "{json}");
    let (expected, found) = markers_and_findings(&f, &json, &RELATION_CODES);
    assert_eq!(expected.len(), 3);
    assert_eq!(found, expected);
    let run = f.run(&["check", "--as-of", "2024-06-30"]);
    let text = format!("{}{}", run.stdout(), run.stderr());
    assert!(
        text.contains("30 日"),
        "a 15-day consultation is told the usual period: {text}"
    );
}

#[test]
fn unknown_index_numbers_and_replace_cycles_are_errors_with_hints() {
    let f = Fixture::mini();
    f.write(
        &format!("{ZHEN}/jiedu.md"),
        format!(
            "+++\ntitle = \"解读\"\ncreated = 2024-03-04\npublished = 2024-03-04\nindex_no = \"11999100MB0000101P/2024-00009\"\n# expect: broken-relation\ninterprets = [\"{NO}-00091\"]\n+++\n正文。\n"
        ),
    );
    f.write(
        &format!("{XIAN}/a.md"),
        entry(
            "甲",
            "2024-03-01",
            30,
            &format!("# expect: broken-relation\nreplaces = [\"{NO}-00031\"]\n"),
        ),
    );
    f.write(
        &format!("{XIAN}/b.md"),
        entry(
            "乙",
            "2024-03-02",
            31,
            &format!("# expect: broken-relation\nreplaces = \"{NO}-00030\"\n"),
        ),
    );
    f.write(
        &format!("{XIAN}/c.md"),
        entry(
            "丙",
            "2024-03-03",
            32,
            &format!("# expect: broken-relation\nresponds_to = \"{NO}-00030\"\n"),
        ),
    );
    let (code, json) = check_json(&f);
    assert_eq!(code, 1, "{json}");
    let (expected, found) = markers_and_findings(&f, &json, &RELATION_CODES);
    assert_eq!(expected.len(), 4);
    assert_eq!(found, expected);
    let run = f.run(&["check", "--as-of", "2024-06-30"]);
    let said = format!("{}{}", run.stdout(), run.stderr());
    assert!(said.contains("是否想写“"), "{said}");
    let text = json.to_string();
    assert!(text.contains("替代关系成环"), "{text}");
    assert!(text.contains("不是征求意见稿"), "{text}");
    let run = f.run(&["build", "--as-of", "2024-06-30"]);
    assert_ne!(run.code(), 0, "a broken relation stops the build");
}

#[test]
fn relations_show_on_both_pages_and_replaced_documents_lapse_everywhere() {
    let f = related();
    f.build().expect_code(0);
    let doc = f.page("xian/shehui-jiuzhu/dibao-zhengce/guifan/index.html");
    assert!(doc.contains("相关解读"), "{doc}");
    assert!(
        doc.contains("href=\"../../../zhen/shehui-jiuzhu/dibao-zhengce/jiedu/\""),
        "the county document links the town's 解读: {doc}"
    );
    assert!(doc.contains("测试镇"), "the other unit is named");
    assert!(doc.contains("实施日期") && doc.contains("2024-04-01"));
    assert!(doc.contains("低保；审核确认"), "keywords");
    let jiedu = f.page("xian/zhen/shehui-jiuzhu/dibao-zhengce/jiedu/index.html");
    assert!(jiedu.contains("本文解读的文件"), "{jiedu}");
    assert!(jiedu.contains("href=\"../../../../shehui-jiuzhu/dibao-zhengce/guifan/\""));

    let old = f.page("xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun/index.html");
    assert!(old.contains("本文件已失效"), "{old}");
    assert!(
        old.contains("已被<a href=\"../xin-biaozhun/\">《测试县2024年下半年城乡低保标准》</a>替代"),
        "{old}"
    );
    let new = f.page("xian/shehui-jiuzhu/dibao-zhengce/xin-biaozhun/index.html");
    assert!(new.contains("本文件替代"), "{new}");

    let caina = f.page("xian/shehui-jiuzhu/dibao-zhengce/tekun/index.html");
    assert!(
        caina.contains("征求意见稿") && caina.contains("意见采纳情况"),
        "{caina}"
    );
    let draft = f.page("xian/shehui-jiuzhu/dibao-zhengce/zhengqiu-2/index.html");
    assert!(
        draft.contains("征求意见期限") && draft.contains("据此形成的文件"),
        "{draft}"
    );

    let repealed = f.page("xian/shehui-jiuzhu/dibao-zhengce/guifan-repealed/index.html");
    assert!(repealed.contains("废止日期"), "{repealed}");

    let list = f.page("xian/shehui-jiuzhu/dibao-zhengce/index.html");
    let row = list
        .split("</li>")
        .find(|r| r.contains("2024-biaozhun/"))
        .expect("row");
    assert!(row.contains("失效"), "{row}");

    let data: Value = serde_json::from_str(&f.page("xian/catalog.json")).expect("json");
    assert_eq!(data["schema_version"], 2);
    let entries: Vec<&Value> = data["items"]
        .as_array()
        .expect("items")
        .iter()
        .flat_map(|i| i["entries"].as_array().expect("entries"))
        .collect();
    let by_no = |n: u32| {
        entries
            .iter()
            .find(|e| e["index_no"] == format!("{NO}-{n:05}"))
            .expect("entry")
    };
    assert_eq!(by_no(1)["validity"], "expired");
    assert_eq!(
        by_no(1)["relations"]["replaced_by"][0]["index_no"],
        format!("{NO}-00015")
    );
    assert_eq!(
        by_no(10)["relations"]["interpretations"][0]["url"],
        "https://www.example.gov.cn/jczwgk/xian/zhen/shehui-jiuzhu/dibao-zhengce/jiedu/"
    );
    assert!(
        f.page("xian/catalog.csv")
            .contains("测试县2024年城乡低保标准,")
    );
    let feed = f.page("xian/feed.xml");
    assert!(
        feed.contains("已被《测试县2024年下半年城乡低保标准》替代"),
        "{feed}"
    );
    assert!(feed.contains("rel=\"related\""));
    let search = f.page("xian/search.json");
    assert!(search.contains("测试县2024年城乡低保标准"));
}

#[test]
fn the_sample_shows_a_normative_document_with_its_interpretation_consultation_and_what_it_replaced()
{
    let f = Fixture::sample();
    f.build().expect_code(0);
    let dir = "shiqu/shehui-jiuzhu/dibao-zhengce";
    let banfa = f.page(&format!("{dir}/2024-dibao-banfa/index.html"));
    for shown in [
        "相关解读",
        "征求意见稿",
        "意见采纳情况",
        "本文件替代",
        "实施日期",
    ] {
        assert!(banfa.contains(shown), "{shown}: {banfa}");
    }
    let shixing = f.page(&format!("{dir}/2021-dibao-banfa-shixing/index.html"));
    assert!(shixing.contains("本文件已废止"), "{shixing}");
    assert!(shixing.contains("废止日期"));
    assert!(shixing.contains(
        "已被<a href=\"../2024-dibao-banfa/\">《示例区最低生活保障审核确认办法》</a>（示民规〔2024〕1号）替代"
    ));
    let draft = f.page(&format!("{dir}/2024-dibao-banfa-zhengqiu/index.html"));
    assert!(draft.contains("征求意见期限") && draft.contains("据此形成的文件"));
    let run = f.run(&["check", "--as-of", "2025-06-30", "--format", "json"]);
    for code in RELATION_CODES {
        assert!(
            !run.stdout().contains(&format!("\"{code}\"")),
            "the sample keeps 三同步 and reports its consultation: {code}"
        );
    }
}

#[test]
fn new_writes_relation_keys_and_refuses_unknown_index_numbers() {
    let f = Fixture::mini();
    f.run(&[
        "new",
        "xian/zhen",
        "shehui-jiuzhu/dibao-zhengce",
        "--title",
        "图解2024年低保标准",
        "--date",
        "2024-01-11",
        "--interprets",
        &format!("{NO}-00001"),
    ])
    .expect_code(0);
    let written = f.read(&format!("{ZHEN}/2024-01-11.md"));
    assert!(
        written.contains(&format!("interprets = [\"{NO}-00001\"]")),
        "{written}"
    );
    f.run(&["check", "--as-of", "2024-06-30"]).expect_code(0);
    f.build().expect_code(0);
    assert!(
        f.page("xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun/index.html")
            .contains("图解2024年低保标准")
    );

    let run = f.run(&[
        "new",
        "xian",
        "shehui-jiuzhu/dibao-zhengce",
        "--date",
        "2024-06-03",
        "--replaces",
        &format!("{NO}-00091"),
    ]);
    assert_ne!(run.code(), 0);
    assert!(
        run.stderr().contains(&format!("是否想写“{NO}-00001”"))
            || run.stderr().contains("是否想写"),
        "{}",
        run.stderr()
    );
    let run = f.run(&[
        "new",
        "xian",
        "shehui-jiuzhu/dibao-zhengce",
        "--responds-to",
        &format!("{NO}-00001"),
    ]);
    assert_ne!(run.code(), 0);
    assert!(run.stderr().contains("不是征求意见稿"), "{}", run.stderr());
}

#[test]
fn new_puts_an_interpretation_under_the_domains_interpretation_item() {
    let f = Fixture::sample();
    // A county document (农村危房改造) interpreted by the county and by a town.
    let document = "11999001MB0000001X/2022-00002";
    for (unit, item) in [
        ("shiqu", "nongcun-weifang-gaizao/benji-jiedu"),
        ("shiqu/shizhen", "nongcun-weifang-gaizao/shangji-jiedu"),
    ] {
        let run = f.run(&[
            "new",
            unit,
            "--interprets",
            document,
            "--title",
            "图解危房改造补助标准",
            "--date",
            "2025-06-20",
        ]);
        run.expect_code(0);
        let written = f.read(&format!("units/{unit}/{item}/2025-06-20.md"));
        assert!(
            written.contains(&format!("interprets = [\"{document}\"]")),
            "{unit}: {written}"
        );
    }
    f.run(&["check", "--as-of", "2025-06-30"]).expect_code(0);

    // 社会救助 has no 解读 item: the clerk is asked to name one.
    let run = f.run(&[
        "new",
        "shiqu",
        "--interprets",
        "11999001MB0000001X/2021-00001",
    ]);
    assert_ne!(run.code(), 0);
    assert!(
        run.stderr()
            .contains("“社会救助”领域没有适用于县级单位的政策解读事项"),
        "{}",
        run.stderr()
    );
    // Neither an item nor --interprets.
    let run = f.run(&["new", "shiqu"]);
    assert_ne!(run.code(), 0);
    assert!(run.stderr().contains("没有写事项"), "{}", run.stderr());
}
