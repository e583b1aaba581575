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
            assert!(is_slug(&item.id) && item.id.len() <= 32, "{at}");
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
                ["全社会", "特定群体"].contains(&item.audience.as_str()),
                "{at}"
            );
            assert!(["主动", "依申请"].contains(&item.mode.as_str()), "{at}");
            assert!(!item.levels.is_empty(), "{at}");
            assert!(
                item.channels.iter().any(|c| c == "政府网站"),
                "{at}: published on the government website"
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
}

#[test]
fn unknown_channel_is_caught_by_the_invariant_list() {
    assert!(KNOWN_CHANNELS.contains(&"社区/企事业单位/村公示栏(电子屏)"));
    assert!(!KNOWN_CHANNELS.contains(&"微信群"));
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
