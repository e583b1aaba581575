//! For readers and re-users: Atom feeds, the sitemap, robots.txt, the 404 page and the open-data
//! files, checked on the built sample.

use crate::harness::{Fixture, tree};
use std::collections::BTreeSet;

fn xml(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{e}:\n{text}"))
}

fn child_text<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<&'a str> {
    node.children()
        .find(|c| c.has_tag_name(name))
        .and_then(|c| c.text())
}

#[test]
fn feeds_are_atom_newest_first_and_linked_from_pages() {
    let f = Fixture::sample();
    f.build().expect_code(0);
    let public = f.dir().join("public");
    let mut feeds = 0;
    for (path, bytes) in tree(&public) {
        if !path.ends_with("feed.xml") {
            continue;
        }
        feeds += 1;
        let text = String::from_utf8(bytes).expect("utf-8");
        let doc = xml(&text);
        let feed = doc.root_element();
        assert_eq!(feed.tag_name().name(), "feed");
        assert_eq!(
            feed.tag_name().namespace(),
            Some("http://www.w3.org/2005/Atom")
        );
        for required in ["id", "title", "updated"] {
            assert!(
                child_text(feed, required).is_some_and(|t| !t.is_empty()),
                "{path}: {required}"
            );
        }
        let updates: Vec<&str> = feed
            .children()
            .filter(|c| c.has_tag_name("entry"))
            .map(|e| {
                for required in ["id", "title", "updated", "published"] {
                    assert!(
                        child_text(e, required).is_some(),
                        "{path}: entry {required}"
                    );
                }
                assert!(
                    e.children()
                        .any(|c| c.has_tag_name("link") && c.attribute("rel") == Some("alternate"))
                );
                child_text(e, "updated").expect("updated")
            })
            .collect();
        let mut sorted = updates.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(updates, sorted, "{path}: newest first");
        if let Some(first) = updates.first() {
            assert_eq!(
                child_text(feed, "updated"),
                Some(*first),
                "{path}: feed updated = newest entry"
            );
        }
        assert!(updates.iter().all(|u| u.ends_with("T00:00:00+08:00")));
    }
    // One per unit and one per domain page, each beside the page it follows: a domain with no
    // item for a unit has neither.
    let mut unit_feeds = 0;
    for (path, _) in tree(&public) {
        if path.ends_with("feed.xml") {
            let dir = public.join(&path);
            let dir = dir.parent().expect("dir");
            assert!(dir.join("index.html").is_file(), "{path} follows no page");
            unit_feeds += usize::from(dir.join("catalog.json").is_file());
        }
    }
    assert_eq!(unit_feeds, 5, "示例区, its three towns and 人民村");
    assert!(feeds > 5 + 3 * 20 && feeds < 5 * 27, "{feeds} feeds");
    let home = f.page("shiqu/shizhen/index.html");
    assert!(home.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"示例镇政务公开信息订阅\" href=\"feed.xml\">"));
}

#[test]
fn the_sitemap_lists_every_page_with_its_lastmod() {
    let f = Fixture::sample();
    f.build().expect_code(0);
    let public = f.dir().join("public");
    let base = "https://www.example.gov.cn/jczwgk/";
    let index = std::fs::read_to_string(public.join("sitemap.xml")).expect("sitemap");
    let doc = xml(&index);
    assert_eq!(doc.root_element().tag_name().name(), "sitemapindex");
    let mut listed = BTreeSet::new();
    let mut with_lastmod = 0;
    for loc in doc.descendants().filter(|n| n.has_tag_name("loc")) {
        let url = loc.text().expect("loc");
        let rel = url.strip_prefix(base).expect("under base_url");
        let text = std::fs::read_to_string(
            public.join(
                percent_encoding::percent_decode_str(rel)
                    .decode_utf8()
                    .expect("utf-8")
                    .as_ref(),
            ),
        )
        .expect("listed sitemap exists");
        let map = xml(&text);
        assert_eq!(map.root_element().tag_name().name(), "urlset");
        for url in map.descendants().filter(|n| n.has_tag_name("url")) {
            let loc = child_text(url, "loc").expect("loc");
            let rel = percent_encoding::percent_decode_str(loc.strip_prefix(base).expect("base"))
                .decode_utf8()
                .expect("utf-8")
                .into_owned();
            assert!(listed.insert(rel), "{loc} listed twice");
            if let Some(lastmod) = child_text(url, "lastmod") {
                assert_eq!(lastmod.len(), 10);
                with_lastmod += 1;
            }
        }
    }
    let pages: BTreeSet<String> = tree(&public)
        .into_iter()
        .filter(|(p, _)| p.ends_with("index.html"))
        .map(|(p, _)| p.trim_end_matches("index.html").to_owned())
        .filter(|p| !p.ends_with("search/"))
        // The printed guide's print page (book = true) copies the column for printing.
        .filter(|p| !p.ends_with("/book/"))
        .collect();
    let unlisted: Vec<&String> = pages.difference(&listed).collect();
    let extra: Vec<&String> = listed.difference(&pages).collect();
    assert!(
        unlisted.is_empty() && extra.is_empty(),
        "not listed: {unlisted:?}; listed but no page: {extra:?}"
    );
    assert!(with_lastmod > 100);
    let entry = f.page("shiqu/shehui-jiuzhu/zonghe-jiandu/jiandu-jubao-qudao/index.html");
    assert!(entry.contains("更新时间：<time datetime=\"2025-02-10\">"));
    let unit_map = std::fs::read_to_string(public.join("shiqu/sitemap.xml")).expect("unit sitemap");
    assert!(unit_map.contains("<loc>https://www.example.gov.cn/jczwgk/shiqu/shehui-jiuzhu/zonghe-jiandu/jiandu-jubao-qudao/</loc><lastmod>2025-02-10</lastmod>"));
    let robots = std::fs::read_to_string(public.join("robots.txt")).expect("robots");
    assert!(robots.contains("Sitemap: https://www.example.gov.cn/jczwgk/sitemap.xml"));
    let not_found = std::fs::read_to_string(public.join("404.html")).expect("404");
    assert!(not_found.contains("找不到您要访问的页面"));
    assert!(
        not_found.contains("href=\"https://www.example.gov.cn/jczwgk/shiqu/\""),
        "404 links are absolute"
    );
}

#[test]
fn open_data_lists_every_item_and_entry() {
    let f = Fixture::sample();
    f.build().expect_code(0);
    let public = f.dir().join("public");
    let json: serde_json::Value = serde_json::from_slice(
        &std::fs::read(public.join("shiqu/shizhen/catalog.json")).expect("json"),
    )
    .expect("parse");
    assert_eq!(json["schema_version"], 2);
    assert_eq!(json["unit"]["name"], "示例镇");
    let items = json["items"].as_array().expect("items");
    assert_eq!(items.len(), 170, "every applicable item of a township");
    let entries: usize = items
        .iter()
        .map(|i| i["entries"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(entries, 10);
    let covered = items.iter().filter(|i| i["status"] == "covered").count();
    assert_eq!(
        covered,
        items
            .iter()
            .filter(|i| !i["entries"].as_array().expect("entries").is_empty())
            .count()
    );

    let csv_bytes = std::fs::read(public.join("shiqu/shizhen/catalog.csv")).expect("csv");
    assert!(
        csv_bytes.starts_with(b"\xef\xbb\xbf"),
        "UTF-8 with BOM for Excel"
    );
    let mut reader = csv::Reader::from_reader(&csv_bytes[3..]);
    let headers = reader.headers().expect("headers").clone();
    assert_eq!(&headers[0], "领域");
    assert_eq!(&headers[12], "网址");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let entry_rows = rows.iter().filter(|r| !r[4].is_empty()).count();
    assert_eq!(entry_rows, 10);
    assert_eq!(rows.len(), 10 + (items.len() - covered));
    assert!(rows.iter().any(|r| &r[3] == "已公开"
        && r[12].starts_with("https://www.example.gov.cn/jczwgk/shiqu/shizhen/")));

    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(public.join("data/index.json")).expect("index"))
            .expect("parse");
    assert_eq!(index["units"].as_array().map(Vec::len), Some(5));
    assert_eq!(
        index["units"][0]["csv"],
        "https://www.example.gov.cn/jczwgk/shiqu/catalog.csv"
    );
}

#[test]
fn search_finds_every_entry_by_any_word_of_its_title() {
    let f = Fixture::sample();
    f.build().expect_code(0);
    let script = crate::harness::repo().join("tests/search/recall.cjs");
    let output = match std::process::Command::new("node")
        .arg(&script)
        .arg(f.dir().join("public"))
        .output()
    {
        Ok(output) => output,
        Err(e) if std::env::var_os("CI").is_none() => {
            eprintln!("node is not installed ({e}); skipping the search recall test outside CI");
            return;
        }
        Err(e) => panic!("node is required in CI: {e}"),
    };
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let recall = report["recall"].as_f64().expect("recall");
    assert!(
        report["queries"].as_u64().expect("queries") > 1000,
        "{report}"
    );
    assert!(recall >= 0.95, "recall {recall}: {report}");
}

#[test]
fn every_page_has_a_search_box_and_units_have_search_pages() {
    let f = Fixture::mini();
    f.build().expect_code(0);
    let entry = f.page("xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun/index.html");
    assert!(
        entry.contains(
            "<form class=\"search\" role=\"search\" aria-label=\"站内搜索\" action=\"../../../search/\" method=\"get\">"
        ),
        "{entry}"
    );
    assert!(f.page("index.html").contains("action=\"search/\""));
    let page = f.page("xian/search/index.html");
    assert!(
        page.contains("data-indexes=\"[&quot;../search.json&quot;]\""),
        "{page}"
    );
    assert!(
        page.contains("<noscript>"),
        "without JavaScript the page points to the catalogue"
    );
    assert!(
        page.contains("<a id=\"search-site\" href=\"../../search/\">"),
        "{page}"
    );
    let index: serde_json::Value =
        serde_json::from_str(&f.page("xian/search.json")).expect("index");
    assert_eq!(index["base"], "xian/");
    let docs = index["docs"].as_array().expect("docs");
    let entry_doc = docs
        .iter()
        .find(|d| d["t"] == "测试县2024年城乡低保标准")
        .expect("entry indexed");
    assert_eq!(entry_doc["n"], "测民〔2024〕1号");
    assert_eq!(entry_doc["u"], "shehui-jiuzhu/dibao-zhengce/2024-biaozhun/");
    assert!(
        entry_doc["x"].as_str().expect("text").contains("农村"),
        "body text is indexed without markup"
    );
    let site: serde_json::Value = serde_json::from_str(
        &f.page("search/index.html")
            .split("data-indexes=\"")
            .nth(1)
            .expect("attr")
            .split('"')
            .next()
            .expect("value")
            .replace("&quot;", "\""),
    )
    .expect("list");
    assert_eq!(
        site,
        serde_json::json!(["../xian/search.json", "../xian/zhen/search.json"])
    );
}

/// The file a URL of the built site (under `base`) is served from, if it exists.
fn served(public: &std::path::Path, base: &str, url: &str) -> Option<std::path::PathBuf> {
    let rel = url.strip_prefix(base)?;
    let rel = rel.split('#').next().unwrap_or("");
    let rel = percent_encoding::percent_decode_str(rel)
        .decode_utf8()
        .ok()?
        .into_owned();
    let mut path = public.join(rel);
    if path.is_dir() {
        path.push("index.html");
    }
    path.is_file().then_some(path)
}

#[test]
fn sitemaps_search_open_data_and_feeds_reference_only_pages_that_exist() {
    for f in [Fixture::sample(), Fixture::district()] {
        f.build().expect_code(0);
        let public = f.dir().join("public");
        let base = "https://www.example.gov.cn/jczwgk/";
        let mut missing = Vec::new();
        let mut urls = 0;
        for (path, bytes) in tree(&public) {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let mut found: Vec<String> = Vec::new();
            if path.ends_with(".xml") {
                let doc = xml(&text);
                for node in doc.descendants() {
                    if node.has_tag_name("loc") || node.has_tag_name("id") {
                        found.extend(node.text().map(str::to_owned));
                    }
                    if node.has_tag_name("link") {
                        found.extend(node.attribute("href").map(str::to_owned));
                    }
                }
            } else if path.ends_with("catalog.json") {
                let json: serde_json::Value = serde_json::from_str(&text).expect("json");
                for item in json["items"].as_array().expect("items") {
                    found.push(item["url"].as_str().expect("url").to_owned());
                    for e in item["entries"].as_array().expect("entries") {
                        found.push(e["url"].as_str().expect("url").to_owned());
                    }
                }
            } else if path.ends_with("catalog.csv") {
                let mut reader = csv::Reader::from_reader(&bytes[3..]);
                for row in reader.records() {
                    found.push(row.expect("row")[12].to_owned());
                }
            } else if path.ends_with("search.json") {
                let json: serde_json::Value = serde_json::from_str(&text).expect("json");
                let unit = json["base"].as_str().expect("base");
                for doc in json["docs"].as_array().expect("docs") {
                    found.push(format!("{base}{unit}{}", doc["u"].as_str().expect("u")));
                }
            }
            for url in found {
                urls += 1;
                if served(&public, base, &url).is_none() {
                    missing.push(format!("{path}: {url}"));
                }
            }
        }
        assert!(urls > 500, "{urls}");
        assert!(missing.is_empty(), "no such page:\n{}", missing.join("\n"));
    }
}

#[test]
fn an_entry_past_its_expires_date_is_expired_everywhere() {
    // The sample's 2024 高龄津贴 standard ran to 2024-12-31 and its file still says 有效.
    let f = Fixture::sample();
    let file = "units/shiqu/yanglao-fuwu/laonianren-butie/2024-gaoling-jintie.md";
    assert!(
        !f.read(file).contains("validity ="),
        "the file does not mark it"
    );
    f.build().expect_code(0);
    let public = f.dir().join("public");
    let title = "示例区2024年高龄津贴发放标准";
    let page = f.page("shiqu/yanglao-fuwu/laonianren-butie/2024-gaoling-jintie/index.html");
    assert!(page.contains("<strong>本文件已失效</strong>"), "{page}");
    assert!(
        page.contains("<td class=\"validity-flag\">失效（有效期至 2024-12-31）</td>"),
        "{page}"
    );
    let list = f.page("shiqu/yanglao-fuwu/laonianren-butie/index.html");
    let li = list
        .split("<li class=\"entry ")
        .find(|li| li.contains(title))
        .expect("listed");
    assert!(li.starts_with("validity-expired\">"), "{li}");
    assert!(
        li.contains("<span class=\"tag validity\">失效</span>"),
        "{li}"
    );
    let search: serde_json::Value =
        serde_json::from_str(&f.page("shiqu/search.json")).expect("search");
    let doc = search["docs"]
        .as_array()
        .expect("docs")
        .iter()
        .find(|d| d["t"] == title)
        .expect("indexed");
    assert_eq!(doc["v"], "失效");
    assert_eq!(doc["p"], "2024-01-18", "with its 发布日期");
    for feed in ["shiqu/feed.xml", "shiqu/yanglao-fuwu/feed.xml"] {
        let text = f.page(feed);
        let doc = xml(&text);
        let entry = doc
            .descendants()
            .find(|n| n.has_tag_name("entry") && child_text(*n, "title") == Some(title))
            .expect("in the feed");
        assert!(
            child_text(entry, "summary").is_some_and(|s| s.contains(" · 失效")),
            "{feed}"
        );
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(public.join("shiqu/catalog.json")).expect("json"))
            .expect("parse");
    let entry = json["items"]
        .as_array()
        .expect("items")
        .iter()
        .flat_map(|i| i["entries"].as_array().expect("entries"))
        .find(|e| e["title"] == title)
        .expect("in open data");
    assert_eq!(entry["validity"], "expired");
    let csv = std::fs::read(public.join("shiqu/catalog.csv")).expect("csv");
    let mut reader = csv::Reader::from_reader(&csv[3..]);
    let row = reader
        .records()
        .map(|r| r.expect("row"))
        .find(|r| &r[4] == title)
        .expect("in the csv");
    assert_eq!(&row[11], "失效");
}
