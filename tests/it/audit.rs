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
        .filter(|x| {
            ["late", "stale", "expired-unmarked"].contains(&x["code"].as_str().unwrap_or(""))
        })
        .map(|x| {
            (
                x["file"].as_str().expect("file").to_owned(),
                x["line"].as_u64().expect("line"),
                x["code"].as_str().expect("code").to_owned(),
            )
        })
        .collect();
    let expected = expected_markers(&f);
    assert_eq!(
        expected.len(),
        4,
        "the fixture marks two late, one stale, one expired-unmarked"
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
    assert_eq!(findings.len(), 4 + 2 + 1 + 1, "{findings:#?}");
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
        json["warnings"], 8,
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
    assert_eq!(coverage.len(), 2);
    for c in coverage {
        assert_eq!(
            keys(c),
            ["applicable", "covered", "exempt", "missing", "unit"]
        );
    }
    assert_eq!(coverage[0]["unit"], "xian");
    assert_eq!(coverage[0]["applicable"], 3);
    assert_eq!(coverage[0]["covered"], 2);
    assert_eq!(coverage[0]["missing"], 1);
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
            "公开情况核查（截至 2024-06-30）：逾期公开 2，未公开 2，未按期更新 1，失效未标注 1"
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
        "逾期公开 {}，未公开 {}，未按期更新 {}，失效未标注 {}",
        count("late"),
        count("missing"),
        count("stale"),
        count("expired-unmarked")
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
fn dashboard_shows_units_by_domain_and_links_findings_to_files() {
    let f = Fixture::audit();
    f.run(&["check", "--as-of", "2024-06-30", "--html", "audit"])
        .expect_code(0);
    let index = std::fs::read_to_string(f.dir().join("audit/index.html")).expect("index");
    assert!(
        index.contains("<a href=\"unit-xian.html\">测试县</a>"),
        "{index}"
    );
    assert!(index.contains("<span class=\"flag\">逾2</span>"), "{index}");
    assert!(index.contains("<span class=\"flag\">滞1</span>"), "{index}");
    assert!(!index.contains("<script"));
    let unit = std::fs::read_to_string(f.dir().join("audit/unit-xian.html")).expect("unit page");
    let href = "../catalog/units/xian/shehui-jiuzhu/dibao-zhengce/qingming-late.md";
    assert!(unit.contains(&format!("<a href=\"{href}\">")), "{unit}");
    assert!(f.dir().join("audit").join(href).is_file());
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
