//! Broken catalogs: every error is reported at once, in Chinese, with the file and line, the
//! build exits 1, and the previous output folder is left exactly as it was.

use crate::harness::{Fixture, tree};

const ENTRY: &str = "units/xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun.md";

/// Builds and returns stderr, asserting exit code 1.
fn failing_build(f: &Fixture) -> String {
    let run = f.build();
    run.expect_code(1);
    let stderr = run.stderr();
    assert!(stderr.contains("构建未完成"), "{stderr}");
    stderr
}

/// Asserts that stderr has a finding `code` at `file:line` whose message contains `text`.
fn assert_finding(stderr: &str, code: &str, location: &str, text: &str) {
    let header = format!("错误[{code}] catalog/{location}\n");
    let at = stderr
        .find(&header)
        .unwrap_or_else(|| panic!("no {header:?} in:\n{stderr}"));
    let block = &stderr[at..];
    let block = &block[..block[header.len()..]
        .find("错误[")
        .map_or(block.len(), |i| i + header.len())];
    assert!(block.contains(text), "expected {text:?} in:\n{block}");
    assert!(block.contains("提示："), "a hint is given:\n{block}");
}

#[test]
fn syntax_error_names_file_and_line() {
    let f = Fixture::mini();
    f.write(
        ENTRY,
        f.read(ENTRY)
            .replace("doc_no = \"测民〔2024〕1号\"", "doc_no = “测民〔2024〕1号”"),
    );
    let stderr = failing_build(&f);
    assert_finding(&stderr, "syntax", &format!("{ENTRY}:6"), "TOML 格式错误");
}

#[test]
fn missing_key_is_a_schema_error() {
    let f = Fixture::mini();
    f.write(
        "units/xian/unit.toml",
        f.read("units/xian/unit.toml")
            .replace("level = \"county\"\n", ""),
    );
    let stderr = failing_build(&f);
    assert_finding(
        &stderr,
        "schema",
        "units/xian/unit.toml:1",
        "缺少必填的键 `level`（层级）",
    );
}

#[test]
fn unknown_key_suggests_the_right_one() {
    let f = Fixture::mini();
    f.write(ENTRY, f.read(ENTRY).replace("summary =", "sumary ="));
    let stderr = failing_build(&f);
    assert_finding(
        &stderr,
        "schema",
        &format!("{ENTRY}:9"),
        "未知的键 `sumary`",
    );
    assert!(stderr.contains("是否想写 `summary`"), "{stderr}");
}

#[test]
fn bad_enum_value_lists_the_choices() {
    let f = Fixture::mini();
    f.write(
        ENTRY,
        f.read(ENTRY)
            .replace("topic = \"民政\"", "validity = \"vaild\""),
    );
    let stderr = failing_build(&f);
    assert_finding(
        &stderr,
        "schema",
        &format!("{ENTRY}:8"),
        "`validity` 的值 \"vaild\" 无效",
    );
    assert!(stderr.contains("是否想写 \"valid\""), "{stderr}");
}

#[test]
fn impossible_date_is_reported_at_its_line() {
    let f = Fixture::mini();
    f.write(
        ENTRY,
        f.read(ENTRY)
            .replace("created = 2024-01-08", "created = \"2024-02-30\""),
    );
    let stderr = failing_build(&f);
    assert_finding(
        &stderr,
        "schema",
        &format!("{ENTRY}:3"),
        "2024 年 2 月没有 30 日",
    );
}

#[test]
fn unknown_domain_folder_suggests_the_closest_id() {
    let f = Fixture::mini();
    f.write("units/xian/shehui-jiuzu/dibao-zhengce/a.md", f.read(ENTRY));
    let stderr = failing_build(&f);
    assert_finding(
        &stderr,
        "unknown-domain",
        "units/xian/shehui-jiuzu",
        "既不是标准目录中的领域",
    );
    assert!(stderr.contains("是否应命名为“shehui-jiuzhu”"), "{stderr}");
}

#[test]
fn unknown_item_folder_suggests_the_closest_id() {
    let f = Fixture::mini();
    f.write("units/xian/shehui-jiuzhu/dibao-zhenche/a.md", f.read(ENTRY));
    let stderr = failing_build(&f);
    assert_finding(
        &stderr,
        "unknown-item",
        "units/xian/shehui-jiuzhu/dibao-zhenche",
        "中没有事项“dibao-zhenche”",
    );
    assert!(stderr.contains("是否应命名为“dibao-zhengce”"), "{stderr}");
}

#[test]
fn item_of_another_level_is_refused() {
    let f = Fixture::mini();
    f.write(
        "units/xian/zhen/shehui-jiuzhu/dibao-shenpi/a.md",
        f.read(ENTRY).replace("2024-00001", "2024-00077"),
    );
    let stderr = failing_build(&f);
    assert_finding(
        &stderr,
        "unknown-item",
        "units/xian/zhen/shehui-jiuzhu/dibao-shenpi",
        "公开层级不含乡级",
    );
}

#[test]
fn date_order_is_checked() {
    let f = Fixture::mini();
    f.write(
        ENTRY,
        f.read(ENTRY)
            .replace("published = 2024-01-10", "published = 2024-01-02"),
    );
    let stderr = failing_build(&f);
    assert_finding(&stderr, "date-order", &format!("{ENTRY}:4"), "早于成文日期");
    assert!(!stderr.contains("变更日期 updated（2024-03-01）"));
    f.write(
        ENTRY,
        f.read(ENTRY)
            .replace("published = 2024-01-02", "published = 2024-01-10")
            .replace("updated = 2024-03-01", "updated = 2024-01-09"),
    );
    let stderr = failing_build(&f);
    assert_finding(&stderr, "date-order", &format!("{ENTRY}:5"), "早于发布日期");
}

#[test]
fn duplicate_index_numbers_are_errors() {
    let f = Fixture::mini();
    let other = "units/xian/shehui-jiuzhu/dibao-zhengce/2023-biaozhun.md";
    f.write(other, f.read(other).replace("2023-00001", "2024-00001"));
    let stderr = failing_build(&f);
    assert!(stderr.contains("错误[duplicate-index-no]"), "{stderr}");
    assert!(
        stderr.contains("索引号“11999100MB0000001X/2024-00001”已被"),
        "{stderr}"
    );
}

#[test]
fn gbk_file_is_refused_with_the_encoding_named() {
    let f = Fixture::mini();
    // "+++\ntitle = \"标题\"\n…" with 标题 in GBK.
    let mut bytes = b"+++\ntitle = \"".to_vec();
    bytes.extend([0xB1, 0xEA, 0xCC, 0xE2]);
    bytes.extend(b"\"\ncreated = 2024-01-01\npublished = 2024-01-02\n+++\n");
    f.write("units/xian/shehui-jiuzhu/dibao-zhengce/gbk.md", bytes);
    let stderr = failing_build(&f);
    assert_finding(
        &stderr,
        "encoding",
        "units/xian/shehui-jiuzhu/dibao-zhengce/gbk.md:2",
        "GBK",
    );
    assert!(stderr.contains("UTF-8"), "the fix names UTF-8: {stderr}");
}

#[test]
fn published_after_as_of_is_an_error() {
    let f = Fixture::mini();
    f.write(
        ENTRY,
        f.read(ENTRY)
            .replace("updated = 2024-03-01", "updated = 2024-07-01"),
    );
    let stderr = failing_build(&f);
    assert_finding(
        &stderr,
        "schema",
        &format!("{ENTRY}:5"),
        "晚于核查日期 2024-06-30",
    );
}

#[test]
fn all_errors_are_reported_at_once() {
    let f = Fixture::mini();
    f.write(ENTRY, f.read(ENTRY).replace("summary =", "sumary ="));
    f.write(
        "units/xian/unit.toml",
        f.read("units/xian/unit.toml")
            .replace("code = \"999100000000\"", "code = \"12ab\""),
    );
    f.write("units/xian/shehui-jiuzu/x/a.md", "+++\n");
    let stderr = failing_build(&f);
    assert!(stderr.contains("3 个错误"), "{stderr}");
}

#[test]
fn failed_build_leaves_the_previous_site_byte_for_byte() {
    let f = Fixture::mini();
    f.build().expect_code(0);
    let before = tree(&f.dir().join("public"));
    f.write(
        ENTRY,
        f.read(ENTRY)
            .replace("published = 2024-01-10", "published = 2023-01-02"),
    );
    failing_build(&f);
    assert_eq!(tree(&f.dir().join("public")), before);
    let leftovers: Vec<_> = std::fs::read_dir(f.dir())
        .expect("dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with("gongkai-staging") || n.ends_with("gongkai-old"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no staging folder left behind: {leftovers:?}"
    );
}

#[test]
fn bom_and_crlf_files_build() {
    let f = Fixture::mini();
    let crlf = f.read(ENTRY).replace('\n', "\r\n");
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend(crlf.as_bytes());
    f.write(ENTRY, bytes);
    f.build().expect_code(0);
    assert!(
        f.page("xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun/index.html")
            .contains("<h1>测试县2024年城乡低保标准</h1>")
    );
}

#[test]
fn missing_index_number_is_derived_with_a_warning() {
    let f = Fixture::mini();
    f.write(
        ENTRY,
        f.read(ENTRY)
            .replace("index_no = \"11999100MB0000001X/2024-00001\"\n", ""),
    );
    let run = f.build();
    run.expect_code(0);
    // 2024-00002 is taken, so the next free serial for the county in 2024 is 00003.
    assert!(
        run.stderr().contains("警告[index-no-derived]"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("11999100MB0000001X/2024-00003"),
        "{}",
        run.stderr()
    );
    assert!(
        f.page("xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun/index.html")
            .contains("<td>11999100MB0000001X/2024-00003</td>")
    );
}

#[test]
fn output_folder_that_contains_the_catalog_is_refused() {
    let f = Fixture::mini();
    let run = f.run(&["build", "--as-of", "2024-06-30", "--out", "."]);
    run.expect_code(2);
    assert!(f.dir().join("catalog/site.toml").is_file());
    let run = f.run(&[
        "build",
        "--as-of",
        "2024-06-30",
        "--root",
        "catalog",
        "--out",
        "catalog",
    ]);
    run.expect_code(2);
    assert!(run.stderr().contains("已拒绝"), "{}", run.stderr());
    assert!(f.dir().join("catalog/site.toml").is_file());
}

#[test]
fn an_existing_folder_that_gongkai_did_not_write_is_never_replaced() {
    // Regression: `--out` (and `check --html`) pointed at someone's own folder used to swap
    // the site in and delete the folder with everything in it.
    let f = Fixture::mini();
    let own = f.dir().join("我的文件");
    std::fs::create_dir(&own).expect("mkdir");
    std::fs::write(own.join("工作总结.docx"), "不能丢").expect("fs");
    let refused = |args: &[&str]| {
        let run = f.run(args);
        run.expect_code(2);
        assert!(run.stderr().contains("为免误删已拒绝"), "{}", run.stderr());
        assert!(run.stderr().contains("我的文件"), "{}", run.stderr());
        assert_eq!(
            std::fs::read_to_string(own.join("工作总结.docx")).expect("fs"),
            "不能丢"
        );
    };
    refused(&["build", "--as-of", "2024-06-30", "--out", "我的文件"]);
    refused(&["check", "--as-of", "2024-06-30", "--html", "我的文件"]);

    // A file is not a folder, whatever its name.
    std::fs::write(f.dir().join("public"), "一个文件").expect("fs");
    let run = f.build();
    run.expect_code(2);
    assert!(
        run.stderr().contains("是一个文件，不是文件夹"),
        "{}",
        run.stderr()
    );
    assert_eq!(
        std::fs::read_to_string(f.dir().join("public")).expect("fs"),
        "一个文件"
    );
    std::fs::remove_file(f.dir().join("public")).expect("fs");

    // gongkai's own output is still replaced, even when the manifest beside it was lost,
    // and so is an empty folder.
    f.build().expect_code(0);
    std::fs::remove_file(f.dir().join(".public.gongkai-manifest")).expect("fs");
    f.build().expect_code(0);
    std::fs::create_dir(f.dir().join("空的")).expect("fs");
    f.run(&["build", "--as-of", "2024-06-30", "--out", "空的"])
        .expect_code(0);
    f.run(&["check", "--as-of", "2024-06-30", "--html", "看板"])
        .expect_code(0);
    f.run(&["check", "--as-of", "2024-06-30", "--html", "看板"])
        .expect_code(0);
    // A dashboard from before the mark existed is recognised by its heading.
    let old = f.dir().join("旧看板");
    std::fs::create_dir(&old).expect("mkdir");
    std::fs::write(
        old.join("index.html"),
        "<main>\n<h1>基层政务公开审计（核查日期 2024-05-31）</h1>\n</main>",
    )
    .expect("write");
    f.run(&["check", "--as-of", "2024-06-30", "--html", "旧看板"])
        .expect_code(0);
    assert!(
        std::fs::read_to_string(old.join("index.html"))
            .expect("replaced")
            .contains("2024-06-30")
    );
}

#[test]
fn bad_usage_exits_2() {
    let f = Fixture::mini();
    f.run(&["build", "--as-of", "2024-13-01"]).expect_code(2);
    f.run(&["frobnicate"]).expect_code(2);
}

#[test]
fn stray_file_in_a_unit_folder_stops_the_build() {
    // Regression: errors found while walking the folders (not while validating values) once
    // let the build go ahead.
    let f = Fixture::mini();
    f.write("units/xian/说明.md", "+++\ntitle = \"x\"\n+++\n");
    let stderr = failing_build(&f);
    assert_finding(
        &stderr,
        "schema",
        "units/xian/说明.md",
        "这里不应有这个文件",
    );
}
