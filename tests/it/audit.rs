//! `gongkai check`: every finding code exactly where the fixture marks it and nowhere else, the
//! contract's JSON shape, the text report, `--strict`, and the dashboard.

use crate::harness::{Fixture, repo};
use serde_json::Value;
use std::collections::BTreeSet;

fn check_json(f: &Fixture, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["check", "--as-of", "2024-06-30", "--format", "json"];
    args.extend_from_slice(extra);
    let run = f.run(&args);
    let json: Value =
        serde_json::from_str(&run.stdout()).unwrap_or_else(|e| panic!("{e}: {}", run.stdout()));
    (run.code(), json)
}

/// (file, line, code) of every `# expect: <code>` marker: the finding is on the next line.
fn expected_markers(f: &Fixture) -> BTreeSet<(String, u64, String)> {
    let mut expected = BTreeSet::new();
    for entry in walkdir::WalkDir::new(f.dir().join("catalog")) {
        let entry = entry.expect("walk");
        if !entry.file_type().is_file() {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let rel = entry
            .path()
            .strip_prefix(f.dir())
            .expect("prefix")
            .to_string_lossy()
            .into_owned();
        for (n, line) in text.lines().enumerate() {
            if let Some(code) = line.trim().strip_prefix("# expect: ") {
                expected.insert((rel.clone(), n as u64 + 2, code.trim().to_owned()));
            }
        }
    }
    expected
}

#[test]
fn every_finding_is_exactly_where_the_fixture_marks_it() {
    let f = Fixture::audit();
    let (code, json) = check_json(&f, &[]);
    assert_eq!(code, 0, "warnings alone exit 0 without --strict");
    let findings = json["findings"].as_array().expect("findings");
    let located: BTreeSet<(String, u64, String)> = findings
        .iter()
        .filter(|x| LOCATED.contains(&x["code"].as_str().unwrap_or("")))
        .map(|x| {
            (
                x["file"].as_str().expect("file").to_owned(),
                x["line"].as_u64().expect("line"),
                x["code"].as_str().expect("code").to_owned(),
            )
        })
        .collect();
    let expected = expected_markers(&f);
    let marked = |code: &str| expected.iter().filter(|(_, _, c)| c == code).count();
    assert_eq!(
        LOCATED.map(marked),
        [2, 1, 1, 1, 2, 3],
        "the fixture marks two late, one stale, one expired-unmarked, one unit-inactive, two \
         broken-link and three attachment-missing"
    );
    assert_eq!(located, expected);

    let missing: BTreeSet<(String, String, String)> = findings
        .iter()
        .filter(|x| x["code"] == "missing")
        .map(|x| {
            let s = |k: &str| x[k].as_str().expect(k).to_owned();
            (s("unit"), s("domain"), s("item"))
        })
        .collect();
    let want: BTreeSet<(String, String, String)> = [
        ("xian", "shehui-jiuzhu", "dibao-shenpi"),
        ("xian/xiang", "caizheng-yujuesuan", "zhengfu-yusuan"),
        ("xian/xiang", "shehui-jiuzhu", "dibao-zhengce"),
        ("xian/zhen", "shehui-jiuzhu", "dibao-zhengce"),
    ]
    .iter()
    .map(|(a, b, c)| ((*a).into(), (*b).into(), (*c).into()))
    .collect();
    assert_eq!(missing, want);

    let unknown: Vec<&Value> = findings
        .iter()
        .filter(|x| x["code"] == "calendar-unknown")
        .collect();
    assert_eq!(
        unknown.len(),
        1,
        "one warning for the one year without a calendar"
    );
    assert_eq!(unknown[0]["file"], "catalog/calendar/2023.toml");
    let outside_git: Vec<&Value> = findings
        .iter()
        .filter(|x| x["code"] == "history-unknown")
        .collect();
    assert_eq!(outside_git.len(), 1, "said once: the fixture is not in git");
    assert_eq!(findings.len(), 10 + 4 + 1 + 1, "{findings:#?}");
}

/// The codes the fixture marks with `# expect:` on the line before the finding.
const LOCATED: [&str; 6] = [
    "late",
    "stale",
    "expired-unmarked",
    "unit-inactive",
    "broken-link",
    "attachment-missing",
];

/// The three rules added for the inspection (国办秘函〔2019〕19号) say what they found in words a
/// clerk can act on, and their fixes differ by case.
#[test]
fn link_and_inactivity_findings_say_what_to_do() {
    let f = Fixture::audit();
    let (_, json) = check_json(&f, &[]);
    let findings = json["findings"].as_array().expect("findings");
    let at = |file: &str, line: u64| {
        findings
            .iter()
            .find(|x| x["file"].as_str().is_some_and(|f| f.ends_with(file)) && x["line"] == line)
            .unwrap_or_else(|| panic!("no finding at {file}:{line}"))
    };
    let message = |x: &Value| x["message"].as_str().expect("message").to_owned();
    let mingdan = "dibao-zhengce/2024-mingdan/index.md";
    assert!(message(at(mingdan, 10)).contains("说明.docx"));
    assert!(message(at(mingdan, 18)).contains("../2023-mingdan/"));
    let inactive = at("linshi-jiuzhu/2023-zhinan.md", 6);
    assert_eq!(inactive["severity"], "warning");
    assert_eq!(
        inactive["domain"],
        Value::Null,
        "the whole unit, not one domain"
    );
    assert!(message(inactive).contains("2023-11-20"), "{inactive}");
    let text = f.run(&["check", "--as-of", "2024-06-30"]).stdout();
    for hint in [
        "是否想写“执行情况.csv”",
        "本条信息是单个 .md 文件，不能带附件",
        "条目文件名去掉 .md 再加 /",
    ] {
        assert!(text.contains(hint), "{hint}\n{text}");
    }
}

/// A link into another unit's domain folder is judged against that unit's pages: its entry and
/// its items with entries exist; an entry it lacks, an item it has nothing under and an
/// attachment its entry does not carry are reported; a folder that is no domain is not judged.
#[test]
fn links_into_another_units_folders_are_judged_by_that_units_pages() {
    let f = Fixture::audit();
    let rel = "units/xian/shehui-jiuzhu/dibao-zhengce/2024-mingdan/index.md";
    let mut text = std::fs::read_to_string(f.dir().join("catalog").join(rel)).expect("read");
    let town = "../../../xiang/shehui-jiuzhu";
    let targets = [
        (format!("{town}/"), false),
        (format!("{town}/linshi-jiuzhu/"), false),
        (format!("{town}/linshi-jiuzhu/2023-zhinan/"), false),
        (
            format!("{town}/linshi-jiuzhu/2023-zhinan/index.html"),
            false,
        ),
        (format!("{town}/linshi-jiuzhu/2099-nope/"), true),
        (format!("{town}/dibao-zhengce/"), true),
        (format!("{town}/linshi-jiuzhu/2023-zhinan/表.pdf"), true),
        ("../../../xiang/no-such-domain/x/".to_owned(), false),
    ];
    for (target, _) in &targets {
        text.push_str(&format!("\n见[链接]({target})。\n"));
    }
    f.write(rel, text);
    let (_, json) = check_json(&f, &[]);
    let reported: Vec<String> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|x| {
            matches!(
                x["code"].as_str(),
                Some("broken-link" | "attachment-missing")
            )
        })
        .map(|x| x["message"].as_str().expect("message").to_owned())
        .collect();
    for (target, broken) in &targets {
        let named = reported.iter().any(|m| m.contains(&format!("“{target}”")));
        assert_eq!(named, *broken, "{target}: {reported:#?}");
    }
}

/// A unit with 5 空白栏目 reaches the inspection's 单项否决 line; the text report says so, the
/// JSON lists it under `veto`; one with 4 does not.
#[test]
fn the_report_says_when_a_unit_reaches_the_veto_line() {
    let f = Fixture::audit();
    let veto = "单项否决：空白栏目";
    assert!(
        !f.run(&["check", "--as-of", "2024-06-30"])
            .stdout()
            .contains(veto)
    );
    let mut items = String::new();
    for n in 1..=4 {
        items.push_str(&format!(
            "\n[[items]]\nid = \"extra-{n}\"\nlevel1 = \"其他\"\nlevel2 = \"补充事项{n}\"\ncontent = \"c\"\nbasis = \"b\"\n\
             deadline = \"d\"\nsubject = \"s\"\nchannels = [\"政府网站\"]\naudience = \"全社会\"\nmode = \"主动\"\nlevels = [\"county\"]\n"
        ));
    }
    f.write("standard/local/shehui-jiuzhu.toml", items);
    let text = f.run(&["check", "--as-of", "2024-06-30"]).stdout();
    let county = text
        .split("■ ")
        .find(|u| u.starts_with("测试县"))
        .expect("county");
    assert!(county.contains("未公开（空白栏目）5"), "{county}");
    assert!(
        county.contains("单项否决：空白栏目（没有任何信息的适用事项）5 个")
            && county.contains("国办秘函〔2019〕19号"),
        "{county}"
    );
    let (_, json) = check_json(&f, &[]);
    let veto = |unit: &str| {
        json["coverage"]
            .as_array()
            .expect("coverage")
            .iter()
            .find(|c| c["unit"] == unit)
            .map(|c| c["veto"].clone())
            .expect("unit")
    };
    assert_eq!(veto("xian"), serde_json::json!(["missing"]));
    assert_eq!(veto("xian/zhen"), serde_json::json!([]));
}

#[test]
fn explain_cites_the_inspection_indicator_for_the_new_codes() {
    let f = Fixture::empty();
    for (code, indicator) in [
        ("unit-inactive", "栏目不更新"),
        ("broken-link", "不可用链接"),
        ("attachment-missing", "附件无法下载"),
        ("missing", "空白栏目"),
        ("stale", "应更新但长期未更新"),
    ] {
        let run = f.run(&["explain", code]);
        run.expect_code(0);
        let text = run.stdout();
        assert!(
            text.contains("国办秘函〔2019〕19号") && text.contains(indicator),
            "{code}: {text}"
        );
        assert!(text.starts_with(&format!("{code}（")), "{text}");
        assert!(text.contains("警告"), "{text}");
    }
}

#[test]
fn json_has_exactly_the_contract_keys() {
    let f = Fixture::audit();
    let (_, json) = check_json(&f, &[]);
    let keys = |v: &Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(
        keys(&json),
        [
            "as_of",
            "coverage",
            "errors",
            "findings",
            "schema_version",
            "warnings"
        ]
    );
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["as_of"], "2024-06-30");
    assert_eq!(json["errors"], 0);
    assert_eq!(
        json["warnings"], 16,
        "with history-unknown: the fixture is not in git"
    );
    for finding in json["findings"].as_array().expect("findings") {
        assert_eq!(
            keys(finding),
            [
                "code", "domain", "file", "item", "line", "message", "severity", "unit"
            ]
        );
        assert_eq!(finding["severity"], "warning");
        assert!(
            finding["message"].as_str().is_some_and(|m| !m.is_ascii()),
            "messages are Chinese"
        );
    }
    let coverage = json["coverage"].as_array().expect("coverage");
    assert_eq!(coverage.len(), 3);
    for c in coverage {
        // The contract's five keys, then the per-unit counters added as new keys (schema 1).
        assert_eq!(
            keys(c),
            [
                "applicable",
                "attachment_missing",
                "broken_link",
                "covered",
                "exempt",
                "expired_unmarked",
                "inactive",
                "last_published",
                "late",
                "missing",
                "stale",
                "unit",
                "veto"
            ]
        );
    }
    assert_eq!(coverage[0]["unit"], "xian");
    assert_eq!(coverage[0]["applicable"], 3);
    assert_eq!(coverage[0]["covered"], 2);
    assert_eq!(coverage[0]["missing"], 1);
    let counters = |c: &Value| {
        [
            "late",
            "stale",
            "expired_unmarked",
            "broken_link",
            "attachment_missing",
        ]
        .map(|k| c[k].as_u64().expect(k))
    };
    assert_eq!(counters(&coverage[0]), [2, 0, 1, 2, 2]);
    assert_eq!(coverage[0]["inactive"], false);
    assert_eq!(coverage[0]["last_published"], "2024-05-08");
    assert_eq!(coverage[0]["veto"], serde_json::json!([]));
    assert_eq!(coverage[1]["unit"], "xian/xiang");
    assert_eq!(counters(&coverage[1]), [0, 0, 0, 0, 1]);
    assert_eq!(coverage[1]["inactive"], true);
    assert_eq!(coverage[2]["unit"], "xian/zhen");
    assert_eq!(counters(&coverage[2]), [0, 1, 0, 0, 0]);
    // The per-unit counters are the findings, counted.
    let findings = json["findings"].as_array().expect("findings");
    for c in coverage {
        for (key, code) in [("late", "late"), ("broken_link", "broken-link")] {
            let n = findings
                .iter()
                .filter(|x| x["unit"] == c["unit"] && x["code"] == code)
                .count();
            assert_eq!(c[key].as_u64(), Some(n as u64), "{key} of {}", c["unit"]);
        }
    }
}

#[test]
fn findings_come_sorted_by_unit_domain_item_file() {
    let f = Fixture::audit();
    let (_, json) = check_json(&f, &[]);
    let keys: Vec<(String, String, String, String)> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|x| {
            let s = |k: &str| x[k].as_str().unwrap_or("").to_owned();
            (s("unit"), s("domain"), s("item"), s("file"))
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn text_report_snapshot() {
    let f = Fixture::audit();
    let run = f.run(&["check", "--as-of", "2024-06-30"]);
    run.expect_code(0);
    insta::assert_snapshot!("check_text", run.stdout());
}

#[test]
fn strict_fails_on_warnings_and_passes_a_clean_catalog() {
    let f = Fixture::mini();
    f.fill_in_site();
    f.run(&["check", "--as-of", "2024-06-30"]).expect_code(0);
    f.run(&["check", "--as-of", "2024-06-30", "--strict"])
        .expect_code(1);
    // Cover the two missing items and give 2023 its calendar: no warnings left.
    std::fs::copy(
        repo().join("catalog/calendar/2023.toml"),
        f.dir().join("catalog/calendar/2023.toml"),
    )
    .expect("copy");
    f.write(
        "units/xian/caizheng-yujuesuan/zhengfu-yusuan/2024.md",
        "+++\ntitle = \"2024年预算\"\ncreated = 2024-02-01\npublished = 2024-02-05\nindex_no = \"C/2024-00001\"\n+++\n正文\n",
    );
    f.write(
        "units/xian/zhen/shehui-jiuzhu/dibao-zhengce/a.md",
        "+++\ntitle = \"镇低保政策\"\ncreated = 2024-02-01\npublished = 2024-02-05\nindex_no = \"C/2024-00002\"\n+++\n正文\n",
    );
    // In git, migrated in one commit and marked so (history_since): nothing about history either.
    let site = f.read("site.toml");
    f.write("site.toml", format!("{site}history_since = 2024-02-06\n"));
    let catalog = f.dir().join("catalog");
    crate::history::git(&catalog, &["init", "-q"], "2024-02-05");
    crate::history::commit_all(&catalog, "2024-02-05");
    let run = f.run(&["check", "--as-of", "2024-06-30", "--strict"]);
    run.expect_code(0);
    assert!(
        run.stdout().contains("0 个错误，0 个警告"),
        "{}",
        run.stdout()
    );
    // Errors fail with or without --strict.
    f.write(
        "units/xian/zhen/shehui-jiuzhu/dibao-zhengce/a.md",
        "+++\ntitle = \"x\"\n+++\n",
    );
    f.run(&["check", "--as-of", "2024-06-30"]).expect_code(1);
}

#[test]
fn errors_are_reported_in_json_too() {
    let f = Fixture::audit();
    f.write(
        "units/xian/shehui-jiuzhu/dibao-zhengce/still-valid.md",
        "+++\ntitle = 1\n+++\n",
    );
    let (code, json) = check_json(&f, &[]);
    assert_eq!(code, 1);
    assert_eq!(json["errors"], 1);
    assert_eq!(json["coverage"].as_array().map(Vec::len), Some(0));
    let error = &json["findings"].as_array().expect("findings")[0];
    assert_eq!(error["code"], "schema");
    assert_eq!(error["line"], 2);
}

#[test]
fn build_reports_the_audit_but_fails_only_on_errors() {
    let f = Fixture::audit();
    let run = f.build();
    run.expect_code(0);
    assert!(
        run.stderr().contains(
            "公开情况核查（截至 2024-06-30）：逾期公开 2，未公开 4，未按期更新 1，失效未标注 1，栏目长期未更新 1，不可用链接 2，附件无法下载 3"
        ),
        "{}",
        run.stderr()
    );
    // `build` only counts the findings; its counts are `check`'s, rule by rule.
    let (_, json) = check_json(&f, &[]);
    let count = |code: &str| {
        json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|finding| finding["code"] == code)
            .count()
    };
    let mut expected = format!(
        "逾期公开 {}，未公开 {}，未按期更新 {}，失效未标注 {}，栏目长期未更新 {}，不可用链接 {}，附件无法下载 {}",
        count("late"),
        count("missing"),
        count("stale"),
        count("expired-unmarked"),
        count("unit-inactive"),
        count("broken-link"),
        count("attachment-missing"),
    );
    if count("calendar-unknown") > 0 {
        expected.push_str(&format!(
            "，缺少工作日历的年份 {}",
            count("calendar-unknown")
        ));
    }
    expected.push('。');
    assert!(
        run.stderr().contains(&expected),
        "{expected}\n{}",
        run.stderr()
    );
}

#[test]
fn dashboard_shows_units_by_domain_and_links_only_inside_its_folder() {
    let f = Fixture::audit();
    f.run(&["check", "--as-of", "2024-06-30", "--html", "audit"])
        .expect_code(0);
    let dir = f.dir().join("audit");
    let index = std::fs::read_to_string(dir.join("index.html")).expect("index");
    assert!(
        index.contains("<a href=\"unit-xian.html\">测试县</a>"),
        "{index}"
    );
    assert!(!index.contains("<script"));
    // The county's 社会救助 cell: late, expired-unmarked and link counts in text, linked to the
    // domain's part of the county's page.
    let cell = index
        .split("<td")
        .find(|c| c.contains("href=\"unit-xian.html#d-shehui-jiuzhu\""))
        .expect("the county's 社会救助 cell");
    for mark in ["空1", "逾1", "失1", "链4"] {
        assert!(
            cell.contains(&format!("<span>{mark}</span>")),
            "{mark}: {cell}"
        );
    }
    assert!(
        cell.contains("测试县 社会救助：适用事项 2 项，未公开（空白栏目） 1 项"),
        "{cell}"
    );
    // Worst first: by 空白栏目 (the town with two before the units with one), then by 未按期更新
    // (the town with one before the county with none).
    let rows: Vec<&str> = index
        .split("<tr><th scope=\"row\"")
        .skip(1)
        .filter_map(|r| r.split("</a>").next()?.rsplit('>').next())
        .collect();
    assert_eq!(rows, ["测试乡", "测试镇", "测试县"]);
    let unit = std::fs::read_to_string(dir.join("unit-xian.html")).expect("unit page");
    assert!(unit.contains("<section id=\"d-shehui-jiuzhu\">"), "{unit}");
    assert!(
        unit.contains(
            "<code>catalog/units/xian/shehui-jiuzhu/dibao-zhengce/qingming-late.md:5</code>"
        ),
        "{unit}"
    );
    let town = std::fs::read_to_string(dir.join("unit-xian--xiang.html")).expect("town page");
    assert!(town.contains("[unit-inactive]"), "{town}");
    // Every link is relative and leads to a file (and anchor) of the dashboard's own folder, so
    // the folder works wherever it is copied.
    for page in std::fs::read_dir(&dir).expect("dashboard").flatten() {
        let html = std::fs::read_to_string(page.path()).expect("page");
        for href in html
            .split("href=\"")
            .skip(1)
            .filter_map(|h| h.split('"').next())
        {
            let (file, anchor) = href.split_once('#').unwrap_or((href, ""));
            assert!(
                !file.contains('/') && !file.contains(':'),
                "{}: {href}",
                page.path().display()
            );
            let target = if file.is_empty() {
                page.path()
            } else {
                dir.join(file)
            };
            let text = std::fs::read_to_string(&target).unwrap_or_else(|_| panic!("{href}"));
            assert!(
                anchor.is_empty() || text.contains(&format!("id=\"{anchor}\"")),
                "{href}"
            );
        }
    }
}

/// The town declares one item 本级不涉及 (`[[exempt]]` in its unit.toml): it counts as exempt,
/// not missing, beside its county's figures.
#[test]
fn an_exempt_item_is_counted_as_exempt_not_missing() {
    let f = Fixture::mini();
    let (_, json) = check_json(&f, &[]);
    let figures: Vec<(String, u64, u64, u64, u64)> = json["coverage"]
        .as_array()
        .expect("coverage")
        .iter()
        .map(|c| {
            let n = |k: &str| c[k].as_u64().expect("a count");
            let unit = c["unit"].as_str().expect("unit").to_owned();
            (
                unit,
                n("applicable"),
                n("covered"),
                n("exempt"),
                n("missing"),
            )
        })
        .collect();
    assert_eq!(
        figures,
        [
            ("xian".into(), 3, 2, 0, 1),
            ("xian/zhen".into(), 3, 1, 1, 1)
        ]
    );
}

/// 信息未标注发布时间 (a deduction of 国办秘函〔2019〕19号) cannot happen: `published` is
/// required, and an entry without it is an error that stops the build, with a hint saying why.
#[test]
fn an_entry_without_a_publication_date_is_an_error_citing_the_indicator() {
    let f = Fixture::audit();
    f.write(
        "units/xian/shehui-jiuzhu/dibao-zhengce/still-valid.md",
        "+++\ntitle = \"无发布日期\"\ncreated = 2024-01-02\nindex_no = \"A/2024-00005\"\n+++\n正文。\n",
    );
    let (code, json) = check_json(&f, &[]);
    assert_eq!(code, 1);
    let error = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|x| x["severity"] == "error")
        .expect("an error");
    assert_eq!(error["code"], "schema");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("`published`（发布日期）")),
        "{error}"
    );
    let text = f.run(&["check", "--as-of", "2024-06-30"]).stdout();
    assert!(
        text.contains("信息未标注发布时间") && text.contains("国办秘函〔2019〕19号"),
        "{text}"
    );
}

/// Regression: with errors in the catalog there are no unit summaries, and the findings of a
/// unit's folder were printed neither in the text report nor on the dashboard.
#[test]
fn a_units_errors_are_reported_when_the_catalog_has_errors() {
    let f = Fixture::audit();
    f.write(
        "units/xian/zhen/shehui-jiuzhu/linshi-jiuzhu/zhinan.md",
        "+++\ntitle = 1\n+++\n",
    );
    let run = f.run(&["check", "--as-of", "2024-06-30", "--html", "audit"]);
    run.expect_code(1);
    let text = run.stdout();
    assert!(
        text.contains(
            "错误[schema] catalog/units/xian/zhen/shehui-jiuzhu/linshi-jiuzhu/zhinan.md:2"
        ),
        "{text}"
    );
    let index = std::fs::read_to_string(f.dir().join("audit/index.html")).expect("index");
    assert!(index.contains("zhinan.md:2"), "{index}");
}
