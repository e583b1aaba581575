//! `gongkai build` on good catalogs: the pages a reader gets.

use crate::harness::{Fixture, assert_same_tree, main_of, tree};
use std::path::Path;

const META_ALL: [&str; 3] = ["SiteName", "SiteDomain", "SiteIDCode"];

#[test]
fn sample_builds_every_unit_home_and_a_page_for_each_domain_that_applies() {
    let f = Fixture::sample();
    f.build().expect_code(0);
    let (catalog, _) = gongkai::pipeline::load_and_validate(
        &f.dir().join("catalog"),
        chrono::NaiveDate::from_ymd_opt(2025, 6, 30).expect("date"),
    );
    let catalog = catalog.expect("valid sample");
    assert_eq!(catalog.standard.domains.len(), 26);
    assert!(
        catalog.units.len() >= 4,
        "sample has a county and at least three towns"
    );
    let mut not_applicable = 0;
    for unit in &catalog.units {
        let home = f.page(&format!("{}/index.html", unit.path));
        assert!(
            home.contains("基层政务公开标准化规范化专栏"),
            "{}",
            unit.path
        );
        for domain in &catalog.standard.domains {
            let applies = domain.items.iter().any(|i| i.levels.contains(&unit.level));
            let page = f
                .dir()
                .join(format!("public/{}/{}/index.html", unit.path, domain.id));
            assert_eq!(page.is_file(), applies, "{}/{}", unit.path, domain.id);
            if applies {
                let page = std::fs::read_to_string(page).expect("page");
                assert!(page.contains("<th scope=\"col\">公开内容（要素）</th>"));
            } else {
                not_applicable += 1;
                let explained = home
                    .split("<h2 id=\"na-heading\">未涉及领域事项说明</h2>")
                    .nth(1)
                    .is_some_and(|rest| rest.contains(&format!("<li>{}：", domain.name)));
                assert!(explained, "{}: {} explained once", unit.path, domain.name);
            }
        }
    }
    assert!(
        not_applicable > 0,
        "towns have domains with no township item"
    );
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
        // A page listing or showing information says when it was last updated.
        if html.contains("class=\"entry-list\"") || html.contains("<article class=\"entry-page") {
            assert!(html.contains("更新时间：<time"), "{path}");
        }
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
    assert!(pages > 150, "sample writes {pages} pages");
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
        ("zhinan", "xian/zhinan/index.html"),
        ("yishenqing", "xian/yishenqing/index.html"),
        ("shenqingbiao", "xian/yishenqing/biao/index.html"),
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
    assert_same_tree(&a, &b, "two builds");
    let dir = f.dir().to_string_lossy().into_owned();
    for (path, bytes) in &a {
        assert!(
            !String::from_utf8_lossy(bytes).contains(&dir),
            "{path} leaks the absolute build path"
        );
    }
}

/// Resolves a relative href against a page's folder, decoding percent-escapes.
pub(crate) fn resolve(page_dir: &Path, href: &str) -> std::path::PathBuf {
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

/// The `base_url` of the sample, the mini fixture and an `init` district.
pub(crate) const BASE: &str = "https://www.example.gov.cn/jczwgk/";

/// Every `href` and `src` value of a page, with `&amp;` decoded.
fn links(html: &str) -> Vec<String> {
    [" href=\"", " src=\""]
        .iter()
        .flat_map(|attr| html.split(attr).skip(1))
        .filter_map(|s| s.split('"').next())
        .map(|v| v.replace("&amp;", "&"))
        .collect()
}

/// A crawler over a built site: every relative `href` and `src` in every HTML file (and every
/// absolute one under `base`, as the 404 page writes them), and every search index a search
/// page loads, must be a file of the site or a folder with `index.html`. Returns the broken
/// ones as `page: link`.
pub(crate) fn broken_links(public: &Path, base: &str) -> Vec<String> {
    let mut broken = Vec::new();
    for (path, bytes) in tree(public) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).expect("utf-8");
        let dir = public.join(&path);
        let dir = dir.parent().expect("page dir");
        let mut targets = links(&html);
        if let Some(indexes) = html.split("data-indexes=\"").nth(1) {
            let list = indexes
                .split('"')
                .next()
                .unwrap_or("")
                .replace("&quot;", "\"");
            let list: Vec<String> = serde_json::from_str(&list).expect("index list");
            targets.extend(list);
        }
        for link in targets {
            let (from, link) = match link.strip_prefix(base) {
                Some(rest) => (public, rest.to_owned()),
                None => (dir, link),
            };
            let external = ["http://", "https://", "mailto:", "tel:", "//", "#", "data:"]
                .iter()
                .any(|p| link.starts_with(p));
            if external {
                continue;
            }
            let file = link.split(['#', '?']).next().unwrap_or("");
            if !resolve(from, file).is_file() {
                broken.push(format!("{path}: {link}"));
            }
        }
    }
    broken
}

#[test]
fn a_crawler_finds_no_broken_link_in_the_sample_or_a_new_district() {
    for (name, f) in [
        ("sample", Fixture::sample()),
        ("district", Fixture::district()),
    ] {
        f.build().expect_code(0);
        let broken = broken_links(&f.dir().join("public"), BASE);
        assert!(
            broken.is_empty(),
            "{name}: broken links:\n{}",
            broken.join("\n")
        );
    }
}

#[test]
fn the_crawler_reports_a_broken_link() {
    let f = Fixture::mini();
    f.build().expect_code(0);
    let public = f.dir().join("public");
    std::fs::remove_dir_all(public.join("xian/shehui-jiuzhu/dibao-zhengce/2023-biaozhun"))
        .expect("remove a page");
    let broken = broken_links(&public, BASE);
    assert!(
        broken
            .iter()
            .any(|b| b.starts_with("xian/shehui-jiuzhu/dibao-zhengce/index.html: 2023-biaozhun/")),
        "{broken:?}"
    );
}

/// The unit folders of a built site: those holding `catalog.json`.
fn unit_dirs(public: &Path) -> std::collections::BTreeSet<std::path::PathBuf> {
    walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "catalog.json")
        .filter_map(|e| e.path().parent().map(Path::to_path_buf))
        .collect()
}

/// What readers are never shown: a page about nothing.
const NOTHING_HERE: [&str; 5] = [
    "暂无已公开的信息",
    "本事项暂无",
    "事项 0/0",
    "没有了",
    "更新时间：暂无",
];

/// The blank pages of a built site. A unit home is blank without a link to one of its domain
/// pages or child units, a domain page without a catalogue row, an item page without an entry;
/// and any page that says there is nothing here is blank too.
fn blank_pages(public: &Path) -> Vec<String> {
    let units = unit_dirs(public);
    let mut blank = Vec::new();
    for (path, bytes) in tree(public) {
        if !path.ends_with("index.html") {
            continue;
        }
        let html = String::from_utf8(bytes).expect("utf-8");
        let main = main_of(&html);
        if let Some(says) = NOTHING_HERE.iter().find(|s| html.contains(*s)) {
            blank.push(format!("{path}: says “{says}”"));
        }
        let page = public.join(&path);
        let dir = page.parent().expect("dir");
        let parent = dir.parent();
        let grandparent = parent.and_then(Path::parent);
        let is_unit = |d: Option<&Path>| d.is_some_and(|d| units.contains(d));
        let own = [
            "search",
            "contact",
            "sitemap",
            "book",
            "zhinan",
            "yishenqing",
        ];
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let parent_name = parent
            .and_then(Path::file_name)
            .and_then(|n| n.to_str())
            .unwrap_or("");
        if is_unit(Some(dir)) {
            let reaches = links(main).iter().any(|href| {
                let target = resolve(dir, href);
                let target_dir = target.parent().expect("dir");
                target.is_file()
                    && target_dir.parent() == Some(dir)
                    && !own.contains(
                        &target_dir
                            .file_name()
                            .and_then(|n| n.to_str())
                            .unwrap_or(""),
                    )
            });
            if !reaches {
                blank.push(format!(
                    "{path}: a unit home that links no domain or child unit"
                ));
            }
        } else if is_unit(parent) && !own.contains(&name) {
            if !main.contains("<tr id=\"item-") {
                blank.push(format!("{path}: a domain page without a catalogue row"));
            }
        } else if is_unit(grandparent)
            && !is_unit(parent)
            && !own.contains(&parent_name)
            && !main.contains("<li class=\"entry ")
        {
            blank.push(format!("{path}: an item page without an entry"));
        }
    }
    blank
}

#[test]
fn no_reachable_page_is_blank_in_the_sample_or_a_new_district() {
    for (name, f) in [
        ("sample", Fixture::sample()),
        ("district", Fixture::district()),
    ] {
        f.build().expect_code(0);
        let public = f.dir().join("public");
        let blank = blank_pages(&public);
        assert!(
            blank.is_empty(),
            "{name}: blank pages:\n{}",
            blank.join("\n")
        );
    }
}

#[test]
fn an_item_with_nothing_published_is_a_row_without_a_link() {
    let f = Fixture::mini();
    f.build().expect_code(0);
    // The town has no entry under 财政预决算 (exempt) nor under 低保政策 (nothing yet).
    assert!(
        !f.dir()
            .join("public/xian/zhen/shehui-jiuzhu/dibao-zhengce")
            .exists()
    );
    assert!(
        !f.dir()
            .join("public/xian/zhen/caizheng-yujuesuan/zhengfu-yusuan")
            .exists()
    );
    let domain = f.page("xian/zhen/shehui-jiuzhu/index.html");
    let row = domain
        .split("<tr id=\"item-dibao-zhengce\">")
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .expect("the item's row");
    assert!(!row.contains("<a "), "{row}");
    assert!(row.contains("暂无信息"), "{row}");
    let exempt = f.page("xian/zhen/caizheng-yujuesuan/index.html");
    assert!(exempt.contains("本级不涉及：本镇预算由县财政统一公开"));
    assert!(!exempt.contains("href=\"zhengfu-yusuan/\""), "{exempt}");
    // The item that has an entry is linked.
    assert!(
        domain.contains("<a href=\"linshi-jiuzhu/\">办事指南</a>"),
        "{domain}"
    );
}

/// The maintainers' notes of the standard files under `standard`: each sentence of every
/// `notes` (long enough to be telling), and the markers they use.
fn maintainer_texts(standard: &Path) -> Vec<String> {
    let mut texts: Vec<String> = ["待核", "未经核实", "系推定", "待补充"]
        .map(str::to_owned)
        .to_vec();
    for entry in std::fs::read_dir(standard)
        .expect("standard")
        .filter_map(Result::ok)
    {
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let Ok(value) = text.parse::<toml::Table>() else {
            continue;
        };
        if let Some(notes) = value.get("notes").and_then(|n| n.as_str()) {
            texts.extend(
                notes
                    .split(['。', '；'])
                    .map(str::trim)
                    .filter(|s| s.chars().count() >= 8)
                    .map(str::to_owned),
            );
        }
    }
    texts
}

#[test]
fn no_maintainers_note_is_published() {
    for (name, f) in [
        ("sample", Fixture::sample()),
        ("district", Fixture::district()),
    ] {
        f.build().expect_code(0);
        let texts = maintainer_texts(&f.dir().join("catalog/standard"));
        assert!(texts.len() > 100, "{name}: the standard carries notes");
        let mut found = Vec::new();
        for (path, bytes) in tree(&f.dir().join("public")) {
            let Ok(text) = String::from_utf8(bytes) else {
                continue;
            };
            for t in &texts {
                if text.contains(t.as_str()) {
                    found.push(format!("{path}: “{t}”"));
                }
            }
        }
        assert!(found.is_empty(), "{name}:\n{}", found.join("\n"));
    }
    // What is known of a guideline whose 文号 is not is still shown.
    let f = Fixture::sample();
    f.build().expect_code(0);
    let page = f.page("shiqu/fupin/index.html");
    assert!(
        page.contains("依据：《扶贫领域基层政务公开标准指引》（国务院扶贫办印发）。"),
        "{}",
        main_of(&page)
    );
    let page = f.page("shiqu/chengshi-zonghe-zhifa/index.html");
    assert!(
        page.contains("依据：《城市综合执法领域基层政务公开标准指引》（住房和城乡建设部）。"),
        "{}",
        main_of(&page)
    );
}

#[test]
fn attachments_are_copied_and_listed_with_size() {
    let f = Fixture::mini();
    f.build().expect_code(0);
    let page = f.page("xian/shehui-jiuzhu/dibao-shenpi/2024-05-mingdan/index.html");
    assert!(
        page.contains("低保名单.csv</a> <span class=\"size\">（29 B）</span>"),
        "{page}"
    );
    // A UTF-8 CSV is published with a BOM (3 bytes), so Chinese Excel reads it right.
    assert_eq!(
        f.page("xian/shehui-jiuzhu/dibao-shenpi/2024-05-mingdan/低保名单.csv"),
        "\u{feff}姓名,人数\n张某某,3\n"
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
                || !href.contains("gk.example.gov.cn"),
            "absolute link to the site itself: {href}"
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

#[test]
fn furniture_keys_render_and_absent_keys_render_nothing() {
    let f = Fixture::mini();
    f.build().expect_code(0);
    // Without the optional keys: ICP linked, no empty labels.
    let home = f.page("xian/index.html");
    assert!(
        home.contains(
            "<a class=\"nowrap\" href=\"https://beian.miit.gov.cn/\">测ICP备00000001号</a>"
        ),
        "{home}"
    );
    for absent in ["找错", "党政机关", "公网安备", "book.pdf", "办事一本通"] {
        for (path, bytes) in tree(&f.dir().join("public")) {
            if path.ends_with(".html") {
                assert!(
                    !String::from_utf8_lossy(&bytes).contains(absent),
                    "{path}: {absent}"
                );
            }
        }
    }
    // 网站地图 on every unit page; 联系我们 only for a unit with contacts (the county).
    assert!(
        home.contains("<li><a href=\"sitemap/\">网站地图</a></li>"),
        "{home}"
    );
    assert!(
        home.contains("<li><a href=\"contact/\">联系我们</a></li>"),
        "{home}"
    );
    let contact = f.page("xian/contact/index.html");
    for fact in ["测试县人民路1号", "0000-00000001", "工作日 9:00–17:00"] {
        assert!(contact.contains(fact), "{contact}");
    }
    let town = f.page("xian/zhen/shehui-jiuzhu/index.html");
    assert!(
        town.contains("<li><a href=\"../sitemap/\">网站地图</a></li>"),
        "{town}"
    );
    assert!(
        !town.contains("联系我们"),
        "the town gives no contacts: {town}"
    );
    assert!(!f.dir().join("public/xian/zhen/contact").exists());
    let map = f.page("xian/zhen/sitemap/index.html");
    assert!(
        map.contains("<a href=\"../shehui-jiuzhu/linshi-jiuzhu/\">办事指南</a>"),
        "{map}"
    );
    // The 大字模式/高对比度 controls are labelled as the 无障碍/长者 entry.
    assert!(home.contains("<span class=\"a11y-label\">无障碍/长者模式</span>"));

    // With every key set.
    let site = f.read("site.toml");
    f.write(
        "site.toml",
        format!(
            "{site}police_record = \"测公网安备 11010502000001号\"\nerror_report = true\nconac_url = \"https://bszs.conac.cn/sitename?method=show&id=0000\"\nconac_image = \"https://dcs.conac.cn/image/red.png\"\nbook = true\n"
        ),
    );
    f.build().expect_code(0);
    let page = f.page("xian/shehui-jiuzhu/index.html");
    assert!(
        page.contains("<a href=\"https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=9999000009&amp;url=https%3A%2F%2Fwww.example.gov.cn%2Fjczwgk%2Fxian%2Fshehui-jiuzhu%2F\">我为政府网站找错</a>"),
        "{page}"
    );
    assert!(
        page.contains("<a class=\"nowrap\" href=\"https://beian.mps.gov.cn/#/query/webSearch?code=11010502000001\">测公网安备 11010502000001号</a>"),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"https://bszs.conac.cn/sitename?method=show&amp;id=0000\"><img src=\"https://dcs.conac.cn/image/red.png\" alt=\"党政机关网站标识\""),
        "{page}"
    );
    let home = f.page("xian/index.html");
    assert!(
        home.contains("<a href=\"book.pdf\">下载 PDF</a> · <a href=\"book/\">打印版网页</a>"),
        "{home}"
    );
    // The 404 page, served at any address, names no page to report.
    assert!(!f.page("404.html").contains("找错"));

    // A conac link without an image is a text link; a bad address is refused with its line.
    f.write(
        "site.toml",
        format!("{site}conac_url = \"https://bszs.conac.cn/x\"\n"),
    );
    f.build().expect_code(0);
    assert!(
        f.page("xian/index.html")
            .contains("<a href=\"https://bszs.conac.cn/x\">党政机关网站标识</a>")
    );
    f.write("site.toml", format!("{site}conac_image = \"red.png\"\n"));
    let run = f.build();
    run.expect_code(1);
    assert!(run.stderr().contains("site.toml:6"), "{}", run.stderr());
    assert!(run.stderr().contains("conac_image"), "{}", run.stderr());
}

#[test]
fn items_of_the_same_name_have_titles_and_breadcrumbs_that_tell_them_apart() {
    let f = Fixture::sample();
    f.build().expect_code(0);
    let public = f.dir().join("public");
    let mut titles: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    for (path, bytes) in tree(&public) {
        if !path.ends_with("index.html") {
            continue;
        }
        let html = String::from_utf8(bytes).expect("utf-8");
        let title = html
            .split("<title>")
            .nth(1)
            .and_then(|t| t.split("</title>").next())
            .expect("title")
            .to_owned();
        if let Some(other) = titles.insert(title.clone(), path.clone()) {
            panic!("{path} and {other} share the title {title}");
        }
    }
    let item = f.page("shiqu/shehui-jiuzhu/dibao-zhengce/index.html");
    assert!(
        item.contains("<title>政策法规文件 · 最低生活保障 · 社会救助 · 示例区</title>"),
        "{item}"
    );
    assert!(
        item.contains("<li><a href=\"../#item-dibao-zhengce\">最低生活保障</a></li>\n    <li><span aria-current=\"page\">政策法规文件</span></li>"),
        "{item}"
    );
    // An item whose name is its own needs no 一级事项 in its breadcrumbs.
    let unique = f.page("shiqu/shehui-jiuzhu/zonghe-jiandu/index.html");
    let crumbs = unique
        .split("<nav class=\"breadcrumbs")
        .nth(1)
        .expect("crumbs");
    let crumbs = crumbs.split("</nav>").next().expect("crumbs");
    assert_eq!(crumbs.matches("<li>").count(), 4, "{crumbs}");
}

/// A unit's 联系我们 and 网站地图 pages live in `contact/` and `sitemap/` inside its folder: a
/// child unit of either name would overwrite them, and is refused with the fix.
#[test]
fn child_units_named_like_the_contact_or_sitemap_page_are_refused() {
    let f = Fixture::mini();
    let units = f.dir().join("catalog/units/xian");
    let mut from = units.join("zhen");
    for name in ["contact", "sitemap", "zhinan", "yishenqing"] {
        let to = units.join(name);
        std::fs::rename(&from, &to).expect("rename town");
        let run = f.build();
        run.expect_code(1);
        assert!(
            run.stderr().contains(&format!(
                "单位文件夹名“{name}”与上级单位栏目自用的文件夹名相同"
            )),
            "{}",
            run.stderr()
        );
        from = to;
    }
}

/// Every unit has its 政府信息公开指南 and 依申请公开 pages. A fresh district (whose `unit.toml`
/// has no `[office]`) still gets both, and `check` warns that the 公开工作机构's contacts the
/// 条例 art. 12 asks for are missing; the sample gives them all, so it has no such warning, and
/// its pages show the office's fax, e-mail (as a link) and the way to the application form.
#[test]
fn guide_and_application_pages_for_the_sample_and_a_new_district() {
    let district = Fixture::district();
    district.build().expect_code(0);
    let run = district.run(&["check", "--as-of", "2025-06-30"]);
    let text = format!("{}{}", run.stdout(), run.stderr());
    assert!(text.contains("office-incomplete"), "{text}");
    assert!(text.contains("机构名称"), "{text}");
    let explain = district.run(&["explain", "office-incomplete"]).stdout();
    assert!(explain.contains("第十二条"), "{explain}");
    for unit in unit_dirs(&district.dir().join("public")) {
        for page in [
            "zhinan/index.html",
            "yishenqing/index.html",
            "yishenqing/biao/index.html",
        ] {
            assert!(unit.join(page).is_file(), "{}/{page}", unit.display());
        }
    }

    let sample = Fixture::sample();
    sample.build().expect_code(0);
    let run = sample.run(&["check", "--as-of", "2025-06-30"]);
    let text = format!("{}{}", run.stdout(), run.stderr());
    assert!(!text.contains("office-incomplete"), "{text}");
    let guide = sample.page("shiqu/shizhen/zhinan/index.html");
    for fact in [
        "示例镇人民政府党政办公室",
        "0000-12345611",
        "<a href=\"mailto:shizhen@shiqu.example.gov.cn\">",
        "<a href=\"../yishenqing/\">依申请公开</a>",
        "<a href=\"../catalog.csv\">",
        "更新时间",
    ] {
        assert!(guide.contains(fact), "{fact}: {guide}");
    }
    let apply = sample.page("shiqu/yishenqing/index.html");
    for fact in [
        "20个工作日",
        "国办函〔2020〕109号",
        "<a href=\"https://www.example.gov.cn/ysqgk/shiqu/\">",
        "<a href=\"biao/\">政府信息公开申请表</a>",
    ] {
        assert!(apply.contains(fact), "{fact}: {apply}");
    }
    let home = sample.page("shiqu/index.html");
    assert!(home.contains("<a href=\"zhinan/\">政府信息公开指南</a>"));
    assert!(home.contains("<li><a href=\"yishenqing/\">依申请公开</a></li>"));
}
