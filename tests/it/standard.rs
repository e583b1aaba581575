//! The 26-domain standard catalogue in `catalog/standard/` and local additions to it.

use crate::harness::{Fixture, repo};
use gongkai::validate::{KNOWN_CHANNELS, is_slug};
use std::collections::BTreeSet;

#[test]
fn the_standard_catalogue_has_26_well_formed_domains() {
    let (catalog, diags) = gongkai::pipeline::load_and_validate(
        &repo().join("catalog"),
        chrono::NaiveDate::from_ymd_opt(2025, 6, 30).expect("date"),
    );
    let catalog = catalog.unwrap_or_else(|| panic!("{diags:#?}"));
    let domains = &catalog.standard.domains;
    assert_eq!(domains.len(), 26);
    let orders: Vec<u8> = domains.iter().map(|d| d.order).collect();
    assert_eq!(
        orders,
        (1..=26).collect::<Vec<u8>>(),
        "orders 1–26 in the standard order"
    );
    let ids: BTreeSet<&str> = domains.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids.len(), 26, "unique domain ids");
    let mut township_domains = 0;
    for d in domains {
        assert!(is_slug(&d.id), "{}", d.id);
        assert!(
            !d.name.is_empty() && !d.guideline.is_empty() && !d.issuer.is_empty(),
            "{}",
            d.id
        );
        assert!(!d.items.is_empty(), "{} has items", d.id);
        let item_ids: BTreeSet<&str> = d.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(item_ids.len(), d.items.len(), "{}: unique item ids", d.id);
        for item in &d.items {
            let at = format!("{}/{}", d.id, item.id);
            assert!(is_slug(&item.id) && item.id.len() <= 30, "{at}");
            for text in [
                &item.level1,
                &item.level2,
                &item.content,
                &item.basis,
                &item.deadline,
                &item.subject,
            ] {
                assert!(!text.trim().is_empty(), "{at}: empty field");
            }
            assert!(
                ["全社会", "特定群体"].contains(&item.audience.label()),
                "{at}"
            );
            assert!(["主动", "依申请"].contains(&item.mode.label()), "{at}");
            assert!(!item.levels.is_empty(), "{at}");
            assert!(!item.channels.is_empty(), "{at}: a channel");
            assert_eq!(
                item.channels.iter().any(|c| c == "政府网站"),
                !NOT_ON_THE_WEBSITE.iter().any(|(id, _)| *id == at),
                "{at}: published on the government website unless listed in NOT_ON_THE_WEBSITE"
            );
            for channel in &item.channels {
                assert!(
                    KNOWN_CHANNELS.contains(&channel.as_str()) || channel.starts_with("其他:"),
                    "{at}: channel {channel} is not on the standard list"
                );
            }
            assert!(!item.local);
        }
        if d.items
            .iter()
            .any(|i| i.applies_to(gongkai::model::Level::Township))
        {
            township_domains += 1;
        }
        // Anything short of a complete, verified list says so.
        if d.id != "caizheng-yujuesuan" {
            assert!(
                d.notes.is_some(),
                "{}: incomplete domains carry notes",
                d.id
            );
        }
    }
    assert!(township_domains >= 20, "most domains have township items");
    for (at, _) in NOT_ON_THE_WEBSITE {
        assert!(
            domains
                .iter()
                .any(|d| d.items.iter().any(|i| format!("{}/{}", d.id, i.id) == *at)),
            "NOT_ON_THE_WEBSITE names {at}, which is not in the standard"
        );
    }
}

/// A standard file's `[defaults]` reaches every item that does not set the key itself, and no
/// item repeats a value it would inherit anyway (城市综合执法: one row per violation, the shared
/// cells written once). Villages publish only what real tables tick at 村级 (乡、村级).
#[test]
fn defaults_are_applied_and_not_repeated_and_village_items_are_the_ticked_ones() {
    let (catalog, diags) = gongkai::pipeline::load_and_validate(
        &repo().join("catalog"),
        chrono::NaiveDate::from_ymd_opt(2025, 6, 30).expect("date"),
    );
    let catalog = catalog.unwrap_or_else(|| panic!("{diags:#?}"));
    for entry in std::fs::read_dir(repo().join("catalog/standard")).expect("standard") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let file: toml::Table =
            toml::from_str(&std::fs::read_to_string(&path).expect("read")).expect("toml");
        let Some(defaults) = file.get("defaults").and_then(|d| d.as_table()) else {
            continue;
        };
        assert!(!defaults.contains_key("id"), "{}", path.display());
        let domain = &catalog.standard.domains[catalog
            .standard
            .domain_index(file["id"].as_str().expect("id"))
            .expect("domain")];
        let written = file["items"].as_array().expect("items");
        assert_eq!(written.len(), domain.items.len());
        for (raw, item) in written.iter().zip(&domain.items) {
            for (key, value) in defaults {
                assert_ne!(
                    raw.get(key),
                    Some(value),
                    "{}/{}: repeats {key} from [defaults]",
                    domain.id,
                    item.id
                );
                if raw.get(key).is_some() {
                    continue;
                }
                let inherited = match key.as_str() {
                    "content" => item.content == value.as_str().expect("text"),
                    "deadline" => item.deadline == value.as_str().expect("text"),
                    "subject" => item.subject == value.as_str().expect("text"),
                    "audience" => item.audience.label() == value.as_str().expect("text"),
                    "mode" => item.mode.label() == value.as_str().expect("text"),
                    "levels" => {
                        let levels: Vec<&str> = item.levels.iter().map(|l| l.as_str()).collect();
                        toml::Value::from(levels) == *value
                    }
                    other => panic!("{}: check inheritance of {other} here", domain.id),
                };
                assert!(
                    inherited,
                    "{}/{}: {key} from [defaults]",
                    domain.id, item.id
                );
            }
        }
    }
    let zhifa = &catalog.standard.domains[catalog
        .standard
        .domain_index("chengshi-zonghe-zhifa")
        .expect("城市综合执法")];
    assert!(
        zhifa.items.iter().all(
            |i| i.content.starts_with("1.机构职能、权责清单、执法人员名单")
                && i.subject == "城市管理行政执法部门或相关行政主管部门"
        ),
        "every violation carries the shared cells"
    );
    let mut village: Vec<String> = catalog
        .standard
        .domains
        .iter()
        .flat_map(|d| {
            d.items
                .iter()
                .filter(|i| i.applies_to(gongkai::model::Level::Village))
                .map(move |i| format!("{}/{}", d.id, i.id))
        })
        .collect();
    village.sort();
    assert_eq!(
        village,
        [
            "gonggong-falv-fuwu/falv-zhishi-puji",
            "gonggong-falv-fuwu/fazhi-wenhua",
            "zhengdi-buchang/qidong-gonggao"
        ],
        "the rows real tables tick at 乡、村级 (standard-research: 三门, 征地 S4)"
    );
    for d in &catalog.standard.domains {
        for i in &d.items {
            assert!(
                i.levels.contains(&gongkai::model::Level::Village)
                    <= i.levels.contains(&gongkai::model::Level::Township),
                "{}/{}: a 村级 item is also a 乡级 one in the national catalogue",
                d.id,
                i.id
            );
        }
    }
}

/// Items whose real tables do not tick 政府网站, each with the reason (see the row's comment in
/// its file). Every other item is published on the government website.
const NOT_ON_THE_WEBSITE: &[(&str, &str)] = &[
    (
        "gonggong-ziyuan-jiaoyi/zige-yushen-gonggao",
        "只在招标投标公共服务平台发布",
    ),
    (
        "gonggong-ziyuan-jiaoyi/zhaobiao-gonggao",
        "只在招标投标公共服务平台发布",
    ),
    (
        "gonggong-ziyuan-jiaoyi/caigou-yusuan-jine",
        "只在中国政府采购网及其地方分网发布",
    ),
    (
        "zhengdi-buchang/xianzhuang-diaocha",
        "在村公示栏公开（荷城街道目录只勾村公示栏）",
    ),
    (
        "guoyou-tudi-fangwu-zhengshou/qidong-yaojian",
        "依申请公开，答复申请人",
    ),
    (
        "guoyou-tudi-fangwu-zhengshou/wending-fengxian-pinggu",
        "依申请公开，答复申请人",
    ),
    (
        "gonggong-falv-fuwu/falv-yuanzhu",
        "决定书、指派通知书精准推送给申请人和受指派人员",
    ),
    (
        "gonggong-falv-fuwu/falv-zixun-fuwu",
        "东莞目录只勾两微一端、现场、公示栏和法律服务网",
    ),
];

/// Where the research rows live: `../shared/reference/standard-research` relative to the
/// repository (CI keeps `../shared` beside it), or `STANDARD_RESEARCH_DIR` when set (a checkout
/// elsewhere, e.g. a git worktree without `../shared`).
fn research_dir() -> std::path::PathBuf {
    let dir = std::env::var_os("STANDARD_RESEARCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/reference/standard-research"));
    assert!(
        dir.join("SUMMARY.md").is_file(),
        "the standard research files are missing: expected {} to hold SUMMARY.md and one \
         <domain-id>.md per researched domain. CI keeps ../shared beside the repository; \
         elsewhere set STANDARD_RESEARCH_DIR to the standard-research folder.",
        dir.display()
    );
    dir
}

/// A name cell as the research writes it: the name, then optional annotations after " (".
/// Full-width punctuation is folded so a transcription's "," matches the table's "，".
fn research_name(cell: &str) -> String {
    let name = cell.split(" (").next().unwrap_or(cell).trim();
    name.chars()
        .map(|c| match c {
            '，' => ',',
            '；' => ';',
            '：' => ':',
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}

/// One research row tagged [V]: seen verbatim in two or more independent real tables.
#[derive(Debug)]
struct VerifiedRow {
    domain: String,
    level1: String,
    level2: String,
}

/// The [V] rows of every `<domain-id>.md` research file: rows of any table whose header names
/// 一级事项, 二级事项 and Tag, and whose Tag cell starts with "[V]". A 二级事项 cell of "─" (the
/// table has no 二级事项 there) stands for the 一级事项 name, as the standard writes such rows.
fn verified_rows(dir: &std::path::Path) -> Vec<VerifiedRow> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("read the research folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter(|p| p.file_stem().is_some_and(|s| s != "SUMMARY"))
        .collect();
    files.sort();
    let mut rows = Vec::new();
    for path in files {
        let domain = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("file stem")
            .to_owned();
        let text = std::fs::read_to_string(path).expect("read research file");
        let mut header: Option<Vec<String>> = None;
        for line in text.lines() {
            let line = line.trim();
            if !line.starts_with('|') {
                header = None;
                continue;
            }
            let cells: Vec<String> = line
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_owned())
                .collect();
            if cells.iter().any(|c| c == "一级事项") && cells.iter().any(|c| c == "二级事项")
            {
                header = Some(cells);
                continue;
            }
            let Some(h) = &header else { continue };
            let col = |name: &str| h.iter().position(|c| c == name);
            let (Some(l1), Some(l2), Some(tag)) = (col("一级事项"), col("二级事项"), col("Tag"))
            else {
                continue;
            };
            if cells.iter().all(|c| c.chars().all(|ch| "-: ".contains(ch))) {
                continue; // the |---| separator
            }
            if !cells.get(tag).is_some_and(|t| t.starts_with("[V]")) {
                continue;
            }
            let level1 = research_name(&cells[l1]);
            let level2 = match research_name(&cells[l2]).as_str() {
                "─" | "—" | "-" | "" => level1.clone(),
                name => name.to_owned(),
            };
            rows.push(VerifiedRow {
                domain: domain.clone(),
                level1,
                level2,
            });
        }
    }
    rows
}

/// [V] rows the standard deliberately does not carry under their research name, with the reason.
/// Empty today: every verified row is in the standard as printed.
const VERIFIED_BUT_NOT_CARRIED: &[(&str, &str, &str)] = &[];

#[test]
fn every_verified_research_row_is_in_the_standard_by_its_exact_name() {
    let (catalog, diags) = gongkai::pipeline::load_and_validate(
        &repo().join("catalog"),
        chrono::NaiveDate::from_ymd_opt(2025, 6, 30).expect("date"),
    );
    let catalog = catalog.unwrap_or_else(|| panic!("{diags:#?}"));
    let rows = verified_rows(&research_dir());
    assert!(
        rows.len() >= 30,
        "the research files hold {} [V] rows; the parser lost some",
        rows.len()
    );
    let mut missing = Vec::new();
    for row in &rows {
        if VERIFIED_BUT_NOT_CARRIED
            .iter()
            .any(|(d, l2, _)| *d == row.domain && *l2 == row.level2)
        {
            continue;
        }
        let Some(domain) = catalog.standard.domains.iter().find(|d| d.id == row.domain) else {
            missing.push(format!("{}: no such domain", row.domain));
            continue;
        };
        let found = domain.items.iter().any(|i| {
            research_name(&i.level1) == row.level1 && research_name(&i.level2) == row.level2
        });
        if !found {
            missing.push(format!("{}: {} / {}", row.domain, row.level1, row.level2));
        }
    }
    assert!(
        missing.is_empty(),
        "[V] rows of the research missing from catalog/standard (一级 / 二级, exact names):\n{}",
        missing.join("\n")
    );
}

#[test]
fn unknown_channel_is_caught_by_the_invariant_list() {
    assert!(KNOWN_CHANNELS.contains(&"社区/企事业单位/村公示栏(电子屏)"));
    assert!(!KNOWN_CHANNELS.contains(&"微信群"));
}

/// The town variants kept in `docs/examples/standard-local/` (not loaded by the build) still
/// work as a district's own additions beside today's standard: no id clashes, valid keys, and
/// their items show as 本级补充 on a township's domain page.
#[test]
fn the_example_local_files_load_as_local_additions() {
    let f = Fixture::sample();
    let examples = repo().join("docs/examples/standard-local");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(examples).expect("read examples") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("name")
            .to_owned();
        f.write(
            &format!("standard/local/{name}"),
            std::fs::read(path).expect("read example"),
        );
        names.push(name.trim_end_matches(".toml").to_owned());
    }
    names.sort();
    assert_eq!(names, ["guoyou-tudi-fangwu-zhengshou", "zhengdi-buchang"]);
    f.build().expect_code(0);
    let page = f.page("shiqu/hexiang/zhengdi-buchang/index.html");
    assert!(
        // A linked row (entries published) or a plain one (暂无信息): either way tagged local.
        page.contains("听证通知书</a> <span class=\"tag\">本级补充</span>")
            || page.contains("听证通知书</span> <span class=\"tag\">本级补充</span>"),
        "{page}"
    );
    let page = f.page("shiqu/hexiang/guoyou-tudi-fangwu-zhengshou/index.html");
    assert!(
        // A linked row (entries published) or a plain one (暂无信息): either way tagged local.
        page.contains("分户补偿</a> <span class=\"tag\">本级补充</span>")
            || page.contains("分户补偿</span> <span class=\"tag\">本级补充</span>"),
        "{page}"
    );
}

const LOCAL: &str = r#"
[[items]]
id = "linshi-jiuzhu-jijin"
level1 = "临时救助"
level2 = "救急难备用金使用情况"
content = "备用金规模、使用人次和金额"
basis = "本县规定"
deadline = "每季度结束后10个工作日内"
cadence = "quarterly"
limit_days = 10
subject = "县民政局"
channels = ["政府网站"]
audience = "全社会"
mode = "主动"
levels = ["county"]

[items.extra]
"责任科室" = "社会救助股"
"#;

#[test]
fn a_local_addition_appears_on_its_domain_page_marked_local() {
    let f = Fixture::mini();
    f.write("standard/local/shehui-jiuzhu.toml", LOCAL);
    f.build().expect_code(0);
    let page = f.page("xian/shehui-jiuzhu/index.html");
    // Nothing is published under it yet: a row without a link.
    assert!(
        page.contains("救急难备用金使用情况 <span class=\"tag\">本级补充</span>"),
        "{page}"
    );
    assert!(page.contains("责任科室：社会救助股"), "{page}");
    // It is audited like any other item: the county has no entry for it.
    let check = f.run(&["check", "--as-of", "2024-06-30", "--format", "json"]);
    assert!(
        check.stdout().contains("\"item\": \"linshi-jiuzhu-jijin\""),
        "{}",
        check.stdout()
    );
    // With an entry it is a page of its own, marked local there too.
    f.write(
        "units/xian/shehui-jiuzhu/linshi-jiuzhu-jijin/2024-q1.md",
        "+++\ntitle = \"2024年第一季度救急难备用金使用情况\"\ncreated = 2024-04-02\npublished = 2024-04-03\nindex_no = \"11999100MB0000001X/2024-00009\"\n+++\n正文\n",
    );
    f.build().expect_code(0);
    assert!(
        f.page("xian/shehui-jiuzhu/index.html")
            .contains("救急难备用金使用情况</a> <span class=\"tag\">本级补充</span>")
    );
    assert!(
        f.page("xian/shehui-jiuzhu/linshi-jiuzhu-jijin/index.html")
            .contains("（本级补充事项）")
    );
}

#[test]
fn a_local_item_clashing_with_a_national_id_is_rejected() {
    let f = Fixture::mini();
    f.write(
        "standard/local/shehui-jiuzhu.toml",
        LOCAL.replace("linshi-jiuzhu-jijin", "dibao-zhengce"),
    );
    let run = f.build();
    run.expect_code(1);
    assert!(
        run.stderr().contains("错误[schema] catalog/standard/local/shehui-jiuzhu.toml:3\n  事项 id “dibao-zhengce”与国家标准目录或本级补充中的事项重复。"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_local_file_for_an_unknown_domain_is_rejected() {
    let f = Fixture::mini();
    f.write("standard/local/shehui-jiuzu.toml", LOCAL);
    let run = f.build();
    run.expect_code(1);
    assert!(
        run.stderr()
            .contains("是否应命名为 local/shehui-jiuzhu.toml"),
        "{}",
        run.stderr()
    );
}
