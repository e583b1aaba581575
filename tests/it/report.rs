//! `gongkai report --year N`: the 年度报告 figures, counted by hand on a small catalog (the mini
//! fixture with entries added for each figure), in all four formats; CSV that Excel opens
//! (BOM, parses, formula cells neutralised), JSON's keys, an escaped printable page, Chinese
//! errors for a bad year, and the same bytes every run.

use crate::harness::{Fixture, main_of};
use serde_json::Value;

const ZHENGCE: &str = "units/xian/shehui-jiuzhu/dibao-zhengce";
const NO: &str = "11999100MB0000001X";

/// An entry file of 测试县 (索引号 `<NO>/<year of published>-<n>`), `keys` added to its front
/// matter.
fn entry(title: &str, created: &str, published: &str, n: u32, keys: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ncreated = {created}\npublished = {published}\nindex_no = \"{NO}/{}-{n:05}\"\n{keys}+++\n正文。\n",
        &published[..4]
    )
}

/// The mini fixture (测试县 and 测试镇, judged at 2025-06-30; calendar file for 2024 only) with
/// entries added so that 测试县's 社会救助 in 2024 counts, by hand:
///
/// | entry | 新公开 | 更新 | 逾期 | 失效/废止 | 解读 |
/// |---|---|---|---|---|---|
/// | 2023-biaozhun (fixture; expired 2023) | | | | 1 | |
/// | 2024-biaozhun (fixture; updated 2024-03-01) | 1 | 1 | | | |
/// | 2024-05-mingdan (fixture) | 1 | | | | |
/// | yuqi: created 09-02, published 10-08, limit 10 working days | 1 | | 1 | | |
/// | jiedu: interprets 2024-biaozhun | 1 | | | | 1 |
/// | feizhi: repealed_on 2024-11-01 | 1 | | | 1 | |
/// | guoqi: expires 2024-06-30, still marked valid | 1 | | | 1 | |
/// | jiu-banfa: 2022, replaced by xin-banfa | | | | 1 | |
/// | xin-banfa: replaces jiu-banfa | 1 | | | | |
/// | 2023-gengxin: published 2023, updated 2024-07-01 | | 1 | | | |
/// | 2025-gengxin: published 2024-03-05, updated 2025-02-01 | 1 | | | | |
/// | 2025-xin: published 2025-01-06 | | | | | |
///
/// = 新公开 8, 更新 2, 逾期公开 1, 失效/废止 4, 解读 1; 适用事项 2 (dibao-zhengce,
/// dibao-shenpi), both with information.
fn yearly() -> Fixture {
    let f = Fixture::mini();
    let files = [
        (
            "yuqi.md",
            entry("逾期发布的通知", "2024-09-02", "2024-10-08", 20, ""),
        ),
        (
            "jiedu.md",
            entry(
                "《测试县2024年城乡低保标准》解读",
                "2024-01-11",
                "2024-01-11",
                21,
                &format!("interprets = [\"{NO}/2024-00001\"]\n"),
            ),
        ),
        (
            "feizhi.md",
            entry(
                "测试县低保临时办法",
                "2024-02-01",
                "2024-02-01",
                22,
                "validity = \"repealed\"\nrepealed_on = 2024-11-01\n",
            ),
        ),
        (
            "guoqi.md",
            entry(
                "测试县2024年上半年低保资金安排",
                "2024-01-15",
                "2024-01-15",
                23,
                "expires = 2024-06-30\n",
            ),
        ),
        (
            "jiu-banfa.md",
            entry(
                "测试县低保审核办法（2022年）",
                "2022-05-01",
                "2022-05-01",
                1,
                "",
            ),
        ),
        (
            "xin-banfa.md",
            entry(
                "测试县低保审核办法",
                "2024-04-01",
                "2024-04-01",
                24,
                &format!("replaces = [\"{NO}/2022-00001\"]\n"),
            ),
        ),
        (
            "2023-gengxin.md",
            entry(
                "测试县低保申请须知",
                "2023-06-01",
                "2023-06-01",
                2,
                "updated = 2024-07-01\n",
            ),
        ),
        (
            "2025-gengxin.md",
            entry(
                "测试县低保复核须知",
                "2024-03-04",
                "2024-03-05",
                25,
                "updated = 2025-02-01\n",
            ),
        ),
        (
            "2025-xin.md",
            entry(
                "测试县2025年城乡低保标准",
                "2025-01-06",
                "2025-01-06",
                1,
                "",
            ),
        ),
    ];
    for (name, text) in files {
        f.write(&format!("{ZHENGCE}/{name}"), text);
    }
    f
}

/// Runs `report` on `f` as of 2025-06-30 with `args` after the year; expects exit 0.
fn report(f: &Fixture, year: &str, args: &[&str]) -> Vec<u8> {
    let mut all = vec!["report", "--year", year, "--as-of", "2025-06-30"];
    all.extend_from_slice(args);
    let run = f.run(&all);
    run.expect_code(0);
    run.0.stdout
}

fn json(f: &Fixture, year: &str, args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_slice(&report(f, year, &all)).expect("JSON")
}

fn figures(v: &Value) -> [u64; 7] {
    [
        "applicable",
        "with_information",
        "published",
        "updated",
        "late",
        "lapsed",
        "interpretations",
    ]
    .map(|k| v[k].as_u64().unwrap_or_else(|| panic!("{k} in {v}")))
}

fn domain<'a>(v: &'a Value, unit: &str, domain: &str) -> &'a Value {
    let unit = v["units"]
        .as_array()
        .expect("units")
        .iter()
        .find(|u| u["path"] == unit)
        .unwrap_or_else(|| panic!("unit {unit} in {v}"));
    unit["domains"]
        .as_array()
        .expect("domains")
        .iter()
        .find(|d| d["id"] == domain)
        .unwrap_or_else(|| panic!("domain {domain} in {unit}"))
}

#[test]
fn figures_of_one_domain_are_those_counted_by_hand() {
    let f = yearly();
    let v = json(&f, "2024", &[]);
    assert_eq!(
        figures(domain(&v, "xian", "shehui-jiuzhu")),
        [2, 2, 8, 2, 1, 4, 1],
        "适用、有信息、新公开、更新、逾期、失效/废止、解读"
    );
    // 测试镇: 临时救助 applies (township only); its guide, published 2024-02-02 and 废止.
    assert_eq!(
        figures(domain(&v, "xian/zhen", "shehui-jiuzhu")),
        [2, 1, 1, 0, 0, 1, 0]
    );
    // Totals are the sums: the unit's 小计 over its domains, the 合计 over the units.
    let mut sum = [0; 7];
    for unit in v["units"].as_array().expect("units") {
        let mut unit_sum = [0; 7];
        for d in unit["domains"].as_array().expect("domains") {
            for (s, n) in unit_sum.iter_mut().zip(figures(d)) {
                *s += n;
            }
        }
        assert_eq!(figures(&unit["total"]), unit_sum, "{}", unit["path"]);
        for (s, n) in sum.iter_mut().zip(unit_sum) {
            *s += n;
        }
    }
    assert_eq!(figures(&v["total"]), sum);
    // The text table shows the same row.
    let text = String::from_utf8(report(&f, "2024", &[])).expect("UTF-8");
    let rows: Vec<String> = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert!(
        rows.contains(&"社会救助 2 2 8 2 1 4 1".to_owned()),
        "{text}"
    );
    assert!(text.starts_with(
        "测试县2024年政府信息公开工作年度报告·基层政务公开标准化规范化（重点领域）情况\n"
    ));
    assert!(text.contains("2024-01-01 至 2024-12-31"), "{text}");
    assert!(!text.contains("尚未结束"), "{text}");
    assert!(!text.contains("缺少"), "2024 has its calendar:\n{text}");
}

#[test]
fn a_year_not_over_is_counted_to_the_day_and_says_so() {
    let f = yearly();
    let v = json(&f, "2025", &[]);
    assert_eq!(v["judged"], "2025-06-30");
    assert_eq!(v["year_over"], false);
    // 2025-xin published; 2025-gengxin updated; 测试县's older documents still 失效/废止.
    assert_eq!(
        figures(domain(&v, "xian", "shehui-jiuzhu")),
        [2, 2, 1, 1, 0, 4, 0]
    );
    let text = String::from_utf8(report(&f, "2025", &[])).expect("UTF-8");
    assert!(
        text.contains("2025 年尚未结束：数字截至 2025-06-30"),
        "{text}"
    );
    // The mini fixture has no calendar file for 2025: said, not silently guessed.
    assert_eq!(v["calendar_unknown"], serde_json::json!([2025]));
    assert!(text.contains("缺少 2025 年的工作日历"), "{text}");
}

#[test]
fn csv_opens_in_excel_and_parses() {
    let f = yearly();
    // A unit name a spreadsheet would take for a formula.
    let unit = f.read("units/xian/zhen/unit.toml");
    f.write(
        "units/xian/zhen/unit.toml",
        unit.replacen("name = \"测试镇\"", "name = \"=HYPERLINK(1)测试镇\"", 1),
    );
    let bytes = report(&f, "2024", &["--format", "csv"]);
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8");
    assert!(text.contains("\r\n"), "CRLF line ends");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
            "年度",
            "单位",
            "单位路径",
            "层级",
            "领域",
            "领域id",
            "适用事项",
            "有信息的事项",
            "新公开",
            "更新",
            "逾期公开",
            "失效/废止",
            "解读"
        ]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("row").iter().map(str::to_owned).collect())
        .collect();
    let row = rows
        .iter()
        .find(|r| r[2] == "xian" && r[5] == "shehui-jiuzhu")
        .expect("测试县 社会救助");
    assert_eq!(
        row[..],
        [
            "2024",
            "测试县",
            "xian",
            "县级",
            "社会救助",
            "shehui-jiuzhu",
            "2",
            "2",
            "8",
            "2",
            "1",
            "4",
            "1"
        ]
    );
    assert!(rows.iter().any(|r| r[2] == "xian" && r[4] == "小计"));
    let last = rows.last().expect("rows");
    assert_eq!(last[1], "合计");
    assert!(
        rows.iter().any(|r| r[1] == "'=HYPERLINK(1)测试镇"),
        "formula neutralised: {rows:?}"
    );
    assert!(!rows.iter().any(|r| r[1].starts_with('=')));
}

#[test]
fn json_has_its_documented_shape() {
    let f = yearly();
    let v = json(&f, "2024", &[]);
    let keys = |v: &Value| -> Vec<String> {
        v.as_object()
            .expect("object")
            .keys()
            .map(ToOwned::to_owned)
            .collect()
    };
    let sorted = |mut k: Vec<&str>| {
        k.sort_unstable();
        k.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let figure_keys = [
        "applicable",
        "with_information",
        "published",
        "updated",
        "late",
        "lapsed",
        "interpretations",
    ];
    assert_eq!(
        keys(&v),
        sorted(vec![
            "schema_version",
            "year",
            "judged",
            "year_over",
            "title",
            "subject",
            "calendar_unknown",
            "units",
            "total"
        ])
    );
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["year"], 2024);
    assert_eq!(v["judged"], "2024-12-31");
    assert_eq!(v["year_over"], true);
    assert_eq!(v["subject"], "测试县");
    assert_eq!(v["calendar_unknown"], serde_json::json!([]));
    assert_eq!(keys(&v["total"]), sorted(figure_keys.to_vec()));
    let unit = &v["units"][0];
    assert_eq!(
        keys(unit),
        sorted(vec!["path", "name", "level", "domains", "total"])
    );
    assert_eq!(unit["level"], "county");
    let mut domain_keys = figure_keys.to_vec();
    domain_keys.extend(["id", "name"]);
    assert_eq!(keys(&unit["domains"][0]), sorted(domain_keys));
    // The raw text keeps the order the README documents.
    let raw = String::from_utf8(report(&f, "2024", &["--format", "json"])).expect("UTF-8");
    let at = |k: &str| raw.find(&format!("\"{k}\"")).expect(k);
    assert!(at("schema_version") < at("year") && at("year") < at("judged"));
    assert!(at("units") < at("path") && at("applicable") < at("interpretations"));
}

#[test]
fn printable_page_is_escaped_and_self_contained() {
    let f = yearly();
    let unit = f.read("units/xian/zhen/unit.toml");
    f.write(
        "units/xian/zhen/unit.toml",
        unit.replacen(
            "name = \"测试镇\"",
            "name = \"<script>alert(1)</script>测试镇\"",
            1,
        ),
    );
    f.write(
        &format!("{ZHENGCE}/script.md"),
        entry(
            "<script>alert(2)</script>通知",
            "2024-08-01",
            "2024-08-01",
            30,
            "",
        ),
    );
    let page = String::from_utf8(report(&f, "2024", &["--format", "html"])).expect("UTF-8");
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    assert!(page.contains(
        "<title>测试县2024年政府信息公开工作年度报告·基层政务公开标准化规范化（重点领域）情况</title>"
    ));
    assert!(!page.contains("<script"), "{page}");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;测试镇"));
    assert!(page.contains("@media print"));
    for external in ["<link", "src=", "href="] {
        assert!(!page.contains(external), "{external}: self-contained");
    }
    insta::assert_snapshot!("report_page", main_of(&page));
}

#[test]
fn a_bad_year_is_refused_in_chinese() {
    let f = yearly();
    for (year, says) in [
        ("20x5", "年份应写成四位阿拉伯数字，如 2025"),
        ("1999", "2008 年以后"),
        ("25", "应写成 2025"),
        ("2030", "2030 年还没有开始"),
    ] {
        let run = f.run(&["report", "--year", year, "--as-of", "2025-06-30"]);
        run.expect_code(2);
        let err = run.stderr();
        assert!(err.contains(says), "{year}: {err}");
        assert!(
            err.contains("--year"),
            "{year}: names the option or its fix: {err}"
        );
        assert!(run.0.stdout.is_empty());
    }
    let run = f.run(&["report", "--as-of", "2025-06-30"]);
    run.expect_code(2);
    assert!(
        run.stderr().contains("缺少必须给出的参数"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_unit_and_those_beneath_it_can_be_reported_alone() {
    let f = yearly();
    let v = json(&f, "2024", &["--unit", "测试镇"]);
    let paths: Vec<&str> = v["units"]
        .as_array()
        .expect("units")
        .iter()
        .map(|u| u["path"].as_str().expect("path"))
        .collect();
    assert_eq!(paths, ["xian/zhen"]);
    assert_eq!(v["subject"], "测试镇");
    let run = f.run(&["report", "--year", "2024", "--unit", "不存在镇"]);
    run.expect_code(2);
    assert!(run.stderr().starts_with("错误："), "{}", run.stderr());
}

#[test]
fn same_input_gives_the_same_bytes() {
    let f = yearly();
    for format in ["text", "csv", "json", "html"] {
        let first = report(&f, "2024", &["--format", format]);
        let second = report(&f, "2024", &["--format", format]);
        assert_eq!(first, second, "{format}");
        let file = format!("report.{format}");
        report(&f, "2024", &["--format", format, "--output", &file]);
        let written = std::fs::read(f.dir().join(&file)).expect("written");
        assert_eq!(
            written, first,
            "{format}: --output writes what stdout shows"
        );
    }
}

#[test]
fn a_change_seen_only_in_git_counts_in_its_own_year() {
    use crate::history::commit_all;
    let f = Fixture::mini();
    let dir = f.dir().join("catalog");
    crate::history::git(&dir, &["init", "-q"], "2024-01-05");
    commit_all(&dir, "2024-01-05");
    let file = format!("{ZHENGCE}/gengxin.md");
    let text = entry("测试县低保办理流程", "2024-06-03", "2024-06-03", 20, "");
    f.write(&file, &text);
    commit_all(&dir, "2024-06-03");
    f.write(&file, text.replace("正文。", "正文（修订）。"));
    commit_all(&dir, "2024-08-01");
    f.write(&file, text.replace("正文。", "正文（再次修订）。"));
    commit_all(&dir, "2025-02-01");
    // 2024: 2024-biaozhun's `updated` and gengxin's commit of 2024-08-01, though its file has
    // changed again since; 2025: that later commit alone.
    let updated = |year| figures(domain(&json(&f, year, &[]), "xian", "shehui-jiuzhu"))[3];
    assert_eq!(updated("2024"), 2);
    assert_eq!(updated("2025"), 1);
}
