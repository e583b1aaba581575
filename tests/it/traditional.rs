//! The 繁體 edition (`traditional = true`): every page again under `zh-hant/`, in Traditional
//! characters, linked both ways with its 简体 page; attachments and the like stay one copy.

use crate::harness::{Fixture, assert_same_tree, main_of, tree};
use crate::site::{BASE, broken_links, resolve};
use std::path::Path;

/// The mini fixture with the 繁體 edition asked for.
fn mini_with_edition() -> Fixture {
    let f = Fixture::mini();
    let site = f.read("site.toml");
    f.write("site.toml", format!("{site}traditional = true\n"));
    f
}

/// The `href` of the page's link to its other edition (the one marked with `hreflang`).
fn edition_link(html: &str) -> String {
    let at = html.find("hreflang=").expect("an edition link");
    let start = html[..at].rfind("href=\"").expect("its href") + 6;
    html[start..].split('"').next().expect("href").to_owned()
}

const ENTRY: &str = "xian/shehui-jiuzhu/dibao-shenpi/2024-05-mingdan/index.html";

#[test]
fn every_page_has_a_traditional_copy_that_links_back() {
    let f = mini_with_edition();
    f.build().expect_code(0);
    let public = f.dir().join("public");
    let pages: Vec<String> = tree(&public)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p.ends_with(".html") && !p.starts_with("zh-hant/"))
        .collect();
    assert!(pages.len() > 15, "{pages:?}");
    for page in &pages {
        let simplified = f.page(page);
        let traditional = f.page(&format!("zh-hant/{page}"));
        assert!(simplified.contains("<html lang=\"zh-CN\">"), "{page}");
        assert!(
            traditional.contains("<html lang=\"zh-Hant\">"),
            "zh-hant/{page}"
        );
        if page == "404.html" {
            // Served at any address: its links are absolute.
            assert_eq!(edition_link(&simplified), format!("{BASE}zh-hant/"));
            assert_eq!(edition_link(&traditional), BASE);
            continue;
        }
        // 简体 → 繁體 and back, each to the same page.
        let dir = public.join(page);
        let dir = dir.parent().expect("dir");
        assert_eq!(
            resolve(dir, &edition_link(&simplified)),
            public.join("zh-hant").join(page),
            "{page}"
        );
        let dir = public.join("zh-hant").join(page);
        let dir = dir.parent().expect("dir");
        assert_eq!(
            resolve(dir, &edition_link(&traditional)),
            public.join(page),
            "zh-hant/{page}"
        );
        assert!(traditional.contains(">简体</a>"), "zh-hant/{page}");
        assert!(simplified.contains(">繁體</a>"), "{page}");
    }
    let broken = broken_links(&public, BASE);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    // Canonical addresses name the page's own edition.
    let entry = f.page(&format!("zh-hant/{ENTRY}"));
    assert!(entry.contains(&format!(
        "<link rel=\"canonical\" href=\"{BASE}zh-hant/xian/"
    )));
}

#[test]
fn a_traditional_entry_page_converts_its_text_and_nothing_else() {
    let f = mini_with_edition();
    f.build().expect_code(0);
    let page = f.page(&format!("zh-hant/{ENTRY}"));
    insta::assert_snapshot!("traditional_entry", main_of(&page));
    let header = &page[page.find("<header").expect("header")..page.find("</header>").expect("end")];
    insta::assert_snapshot!("traditional_header", header);
    assert!(page.contains("社會救助") && !page.contains("社会救助"));
    // Ids, classes and script names are left as they are.
    assert!(page.contains("id=\"site-search\"") && page.contains("static/a11y.js"));
}

#[test]
fn attachments_feeds_and_data_are_not_duplicated_but_linked() {
    let f = mini_with_edition();
    f.build().expect_code(0);
    let public = f.dir().join("public");
    let copied: Vec<String> = tree(&public.join("zh-hant"))
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| {
            !(p.ends_with(".html")
                || p.ends_with("/search.json")
                || p.ends_with(".css")
                || p.ends_with(".js"))
        })
        .collect();
    assert!(copied.is_empty(), "{copied:?}");
    let page = f.page(&format!("zh-hant/{ENTRY}"));
    let href = page
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .find(|h| h.ends_with(".csv"))
        .expect("a link to the attachment");
    assert!(href.starts_with("../../../../../xian/"), "{href}");
    let dir = public.join("zh-hant").join(ENTRY);
    let target = resolve(dir.parent().expect("dir"), href);
    assert_eq!(
        target,
        public.join("xian/shehui-jiuzhu/dibao-shenpi/2024-05-mingdan/低保名单.csv")
    );
    assert!(target.is_file());
    // The feed it announces is the 简体 one.
    let home = f.page("zh-hant/xian/index.html");
    assert!(home.contains("href=\"../../xian/feed.xml\""), "{home}");
}

#[test]
fn search_finds_traditional_words_in_the_traditional_index() {
    let f = mini_with_edition();
    f.build().expect_code(0);
    let index = f.page("zh-hant/xian/search.json");
    let index: serde_json::Value = serde_json::from_str(&index).expect("json");
    let text = index.to_string();
    assert!(text.contains("社會救助"), "{text}");
    assert!(!text.contains("社会救助"));
    // Addresses stay as they were: the search page under zh-hant/ loads this index and links
    // the 繁體 pages.
    assert_eq!(index["base"], "xian/");
    // The fold lets search.js find the 繁體 text with a Simplified query too: 會 → 会, 號 → 号.
    let fold = index["fold"].as_str().expect("a fold");
    assert!(fold.contains("會会") && fold.contains("號号"), "{fold}");
    assert!(f.page("zh-hant/static/search.js").contains("fold"));
    let search = f.page("zh-hant/xian/search/index.html");
    assert!(search.contains("search.json"), "{search}");
    let simplified = f.page("xian/search.json");
    assert!(simplified.contains("社会救助"));
    // Both editions are in the unit's sitemap.
    let sitemap = f.page("xian/sitemap.xml");
    assert!(sitemap.contains(&format!("<loc>{BASE}xian/</loc>")));
    assert!(sitemap.contains(&format!("<loc>{BASE}zh-hant/xian/</loc>")));
}

#[test]
fn without_the_key_there_is_no_edition_and_no_link_to_one() {
    let f = Fixture::mini();
    f.build().expect_code(0);
    let public = f.dir().join("public");
    assert!(!public.join("zh-hant").exists());
    for (path, bytes) in tree(&public) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("hreflang"),
            "{path}"
        );
    }
}

#[test]
fn the_edition_is_deterministic_and_incremental() {
    let f = mini_with_edition();
    f.run(&["build", "--as-of", "2024-06-30", "--out", "a"])
        .expect_code(0);
    f.run(&["build", "--as-of", "2024-06-30", "--out", "b"])
        .expect_code(0);
    let (a, b) = (tree(&f.dir().join("a")), tree(&f.dir().join("b")));
    assert_same_tree(&a, &b, "two builds");
    // A build with nothing changed writes nothing, the 繁體 copies included.
    f.build().expect_code(0);
    let run = f.build();
    run.expect_code(0);
    assert!(run.stderr().contains("写入 0 个文件"), "{}", run.stderr());
    // Dropping the key removes the edition and its links.
    f.write(
        "site.toml",
        f.read("site.toml").replace("traditional = true\n", ""),
    );
    f.build().expect_code(0);
    let public = f.dir().join("public");
    assert!(!Path::new(&public.join("zh-hant/index.html")).exists());
    assert!(!f.page("xian/index.html").contains("hreflang"));
}

#[test]
fn a_top_unit_cannot_take_the_editions_folder() {
    let f = Fixture::mini();
    let unit = f.read("units/xian/unit.toml");
    f.write(
        "units/zh-hant/unit.toml",
        unit.replace("999100000000", "999200000000"),
    );
    let run = f.build();
    run.expect_code(1);
    assert!(
        run.stderr()
            .contains("单位文件夹名“zh-hant”与网站自用的文件夹名相同"),
        "{}",
        run.stderr()
    );
}
