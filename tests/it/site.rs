//! `gongkai build` on good catalogs: the pages a reader gets.

use crate::harness::{Fixture, main_of, tree};
use std::path::Path;

const META_ALL: [&str; 3] = ["SiteName", "SiteDomain", "SiteIDCode"];

#[test]
fn sample_builds_every_unit_with_home_and_26_domain_pages() {
    let f = Fixture::sample();
    f.build().expect_code(0);
    let domains: Vec<String> = std::fs::read_dir(f.dir().join("catalog/standard"))
        .expect("standard")
        .filter_map(|e| {
            e.ok()?
                .file_name()
                .to_str()?
                .strip_suffix(".toml")
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(domains.len(), 26);
    let units: Vec<String> = walkdir::WalkDir::new(f.dir().join("catalog/units"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "unit.toml")
        .map(|e| {
            let dir = e.path().parent().expect("unit dir");
            dir.strip_prefix(f.dir().join("catalog/units"))
                .expect("prefix")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert!(
        units.len() >= 4,
        "sample has a county and at least three towns"
    );
    for unit in &units {
        let home = f.page(&format!("{unit}/index.html"));
        assert!(home.contains("基层政务公开标准化规范化专栏"), "{unit}");
        for domain in &domains {
            let page = f.page(&format!("{unit}/{domain}/index.html"));
            assert!(
                page.contains("<th scope=\"col\">公开内容（要素）</th>"),
                "{unit}/{domain}"
            );
        }
    }
}

#[test]
fn every_page_has_meta_tags_update_time_and_footer() {
    let f = Fixture::sample();
    f.build().expect_code(0);
    let mut pages = 0;
    for (path, bytes) in tree(&f.dir().join("public")) {
        if !path.ends_with(".html") {
            continue;
        }
        pages += 1;
        let html = String::from_utf8(bytes).expect("utf-8");
        for name in META_ALL {
            assert!(
                html.contains(&format!("<meta name=\"{name}\"")),
                "{path} lacks {name}"
            );
        }
        assert!(html.contains("<html lang=\"zh-CN\">"), "{path}");
        assert!(html.contains("更新时间："), "{path}");
        assert!(
            html.contains("href=\"#main\""),
            "{path} lacks the skip link"
        );
        assert!(html.contains("网站标识码：9999000001"), "{path}");
        let is_entry = html.contains("<article class=\"entry-page");
        for name in ["ArticleTitle", "PubDate", "ContentSource"] {
            assert_eq!(
                html.contains(&format!("<meta name=\"{name}\"")),
                is_entry,
                "{path}: {name}"
            );
        }
        if !is_entry && path != "404.html" {
            assert!(html.contains("<meta name=\"ColumnName\""), "{path}");
            assert!(html.contains("<meta name=\"ColumnType\""), "{path}");
        }
    }
    assert!(pages > 800, "sample writes {pages} pages");
}

#[test]
fn snapshots_of_each_page_kind() {
    let f = Fixture::mini();
    f.build().expect_code(0);
    for (name, page) in [
        ("root", "index.html"),
        ("unit", "xian/index.html"),
        ("domain", "xian/shehui-jiuzhu/index.html"),
        ("domain_exempt", "xian/zhen/caizheng-yujuesuan/index.html"),
        ("item", "xian/shehui-jiuzhu/dibao-zhengce/index.html"),
        (
            "entry",
            "xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun/index.html",
        ),
        (
            "entry_attachment",
            "xian/shehui-jiuzhu/dibao-shenpi/2024-05-mingdan/index.html",
        ),
    ] {
        insta::assert_snapshot!(name, main_of(&f.page(page)));
    }
    let head = f.page("xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun/index.html");
    let head = &head[..head.find("</head>").expect("head")];
    insta::assert_snapshot!("entry_head", head);
}

#[test]
fn two_builds_are_byte_identical() {
    let f = Fixture::sample();
    f.run(&["build", "--as-of", "2025-06-30", "--out", "a"])
        .expect_code(0);
    f.run(&["build", "--as-of", "2025-06-30", "--out", "b"])
        .expect_code(0);
    let (a, b) = (tree(&f.dir().join("a")), tree(&f.dir().join("b")));
    assert_eq!(a.len(), b.len());
    for ((pa, ba), (pb, bb)) in a.iter().zip(&b) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs between builds");
    }
    let dir = f.dir().to_string_lossy().into_owned();
    for (path, bytes) in &a {
        assert!(
            !String::from_utf8_lossy(bytes).contains(&dir),
            "{path} leaks the absolute build path"
        );
    }
}

/// Resolves a relative href against a page's folder, decoding percent-escapes.
fn resolve(page_dir: &Path, href: &str) -> std::path::PathBuf {
    let decoded = percent_encoding::percent_decode_str(href)
        .decode_utf8()
        .expect("utf-8 href");
    let mut path = page_dir.to_path_buf();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                path.pop();
            }
            s => path.push(s),
        }
    }
    if href.ends_with('/') || path.is_dir() {
        path.push("index.html");
    }
    path
}

/// All `href="…"` values of a page.
fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn chinese_file_name_produces_a_working_link() {
    let f = Fixture::mini();
    f.build().expect_code(0);
    let item_dir = f.dir().join("public/xian/zhen/shehui-jiuzhu/linshi-jiuzhu");
    let html = f.page("xian/zhen/shehui-jiuzhu/linshi-jiuzhu/index.html");
    let href = hrefs(&html)
        .into_iter()
        .find(|h| h.contains("%E4%B8%B4%E6%97%B6"))
        .expect("an encoded link to 临时救助办事指南");
    let target = resolve(&item_dir, &href);
    assert!(target.is_file(), "{href} → {}", target.display());
    assert!(
        std::fs::read_to_string(target)
            .expect("entry")
            .contains("测试镇临时救助办事指南")
    );
}

#[test]
fn every_relative_link_in_the_sample_resolves() {
    let f = Fixture::sample();
    f.build().expect_code(0);
    let public = f.dir().join("public");
    for (path, bytes) in tree(&public) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).expect("utf-8");
        let dir = public.join(&path);
        let dir = dir.parent().expect("page dir");
        for href in hrefs(&html) {
            if href.starts_with("http") || href.starts_with('#') || href.starts_with("mailto:") {
                continue;
            }
            // The printed guide is written by `gongkai book`, not `build` (tested in book.rs).
            if href == "book.pdf" || href == "book/" {
                continue;
            }
            let target = resolve(dir, href.split('#').next().unwrap_or(""));
            assert!(target.exists(), "{path}: broken link {href}");
        }
    }
}

#[test]
fn attachments_are_copied_and_listed_with_size() {
    let f = Fixture::mini();
    f.build().expect_code(0);
    let page = f.page("xian/shehui-jiuzhu/dibao-shenpi/2024-05-mingdan/index.html");
    assert!(
        page.contains("低保名单.csv</a> <span class=\"size\">（26 B）</span>"),
        "{page}"
    );
    assert_eq!(
        f.page("xian/shehui-jiuzhu/dibao-shenpi/2024-05-mingdan/低保名单.csv"),
        "姓名,人数\n张某某,3\n"
    );
}

#[test]
fn expired_and_repealed_entries_are_marked_where_listed() {
    let f = Fixture::mini();
    f.build().expect_code(0);
    let item = f.page("xian/shehui-jiuzhu/dibao-zhengce/index.html");
    assert!(
        item.contains("<span class=\"tag validity\">失效</span>"),
        "{item}"
    );
    let newest = item.find("测试县2024年城乡低保标准").expect("2024");
    let oldest = item.find("测试县2023年城乡低保标准").expect("2023");
    assert!(newest < oldest, "entries are newest first");
    let town = f.page("xian/zhen/shehui-jiuzhu/linshi-jiuzhu/index.html");
    assert!(
        town.contains("<span class=\"tag validity\">废止</span>"),
        "{town}"
    );
}

#[test]
fn pages_not_applicable_to_a_level_are_left_out_and_exemptions_shown() {
    let f = Fixture::mini();
    f.build().expect_code(0);
    let town_domain = f.page("xian/zhen/shehui-jiuzhu/index.html");
    assert!(
        !town_domain.contains("审批信息"),
        "county-only item must not show on a town page"
    );
    assert!(town_domain.contains("办事指南"));
    assert!(
        !f.dir()
            .join("public/xian/zhen/shehui-jiuzhu/dibao-shenpi")
            .exists()
    );
    let exempt = f.page("xian/zhen/caizheng-yujuesuan/index.html");
    assert!(
        exempt.contains("本级不涉及：本镇预算由县财政统一公开"),
        "{exempt}"
    );
}

#[test]
fn update_times_roll_up_to_the_newest_change_beneath() {
    let f = Fixture::mini();
    f.build().expect_code(0);
    // 2024-05-08 (低保名单) is the newest date in the county; the town's newest is 2024-02-02.
    assert!(
        f.page("index.html")
            .contains("更新时间：<time datetime=\"2024-05-08\">")
    );
    assert!(
        f.page("xian/index.html")
            .contains("更新时间：<time datetime=\"2024-05-08\">")
    );
    assert!(
        f.page("xian/zhen/index.html")
            .contains("更新时间：<time datetime=\"2024-02-02\">")
    );
    // An entry's 变更日期 counts as its update.
    let entry = f.page("xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun/index.html");
    assert!(entry.contains("<th scope=\"row\">变更日期</th><td><time datetime=\"2024-03-01\">"));
    assert!(entry.contains("更新时间：<time datetime=\"2024-03-01\">"));
}

#[test]
fn links_are_relative_and_base_url_only_in_canonical() {
    let f = Fixture::mini();
    f.run(&[
        "build",
        "--as-of",
        "2024-06-30",
        "--base-url",
        "https://gk.example.gov.cn/a/b",
    ])
    .expect_code(0);
    let page = f.page("xian/shehui-jiuzhu/index.html");
    assert!(page.contains(
        "<link rel=\"canonical\" href=\"https://gk.example.gov.cn/a/b/xian/shehui-jiuzhu/\">"
    ));
    assert!(page.contains("<meta name=\"SiteDomain\" content=\"gk.example.gov.cn\">"));
    for href in hrefs(&page) {
        assert!(
            href.starts_with("https://gk.example.gov.cn/a/b/xian/shehui-jiuzhu/")
                || !href.contains("://"),
            "absolute link {href}"
        );
    }
}

#[test]
fn body_html_from_an_entry_cannot_run_script() {
    let f = Fixture::mini();
    f.write(
        "units/xian/shehui-jiuzhu/dibao-zhengce/xss.md",
        "+++\ntitle = \"<script>alert(1)</script>标题\"\ncreated = 2024-06-01\npublished = 2024-06-03\nindex_no = \"X/2024-00009\"\n+++\n<script>alert(2)</script>\n\n<img src=x onerror=\"alert(3)\">\n\n[点我](javascript:alert(4))\n",
    );
    f.build().expect_code(0);
    let page = f.page("xian/shehui-jiuzhu/dibao-zhengce/xss/index.html");
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(!page.contains("onerror"), "{page}");
    assert!(!page.contains("href=\"javascript"), "{page}");
    assert!(
        page.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt;标题</h1>"),
        "{page}"
    );
}
