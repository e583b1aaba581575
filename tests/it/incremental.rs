//! Incremental builds: after any edit, an incremental build gives exactly the bytes of a clean
//! build, rewrites only what changed (unchanged files keep their mtimes), and a build with
//! nothing changed writes nothing.

use crate::harness::{Fixture, copy_dir, repo, tree};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

fn mtimes(dir: &Path) -> BTreeMap<String, SystemTime> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .into_owned();
            (rel, e.metadata().expect("meta").modified().expect("mtime"))
        })
        .collect()
}

/// Builds incrementally into `public`, then cleanly into `clean`, and asserts they are equal.
/// Returns the paths whose mtime changed in `public`.
fn incremental_equals_clean(f: &Fixture) -> Vec<String> {
    let before = mtimes(&f.dir().join("public"));
    // Make a later write distinguishable from an earlier one on coarse-mtime file systems.
    std::thread::sleep(std::time::Duration::from_millis(20));
    f.run(&["build", "--as-of", "2024-06-30"]).expect_code(0);
    let _ = std::fs::remove_dir_all(f.dir().join("clean"));
    let _ = std::fs::remove_file(f.dir().join(".clean.gongkai-manifest"));
    let _ = std::fs::remove_file(f.dir().join(".clean.gongkai-cache"));
    f.run(&["build", "--as-of", "2024-06-30", "--out", "clean"])
        .expect_code(0);
    let (inc, clean) = (tree(&f.dir().join("public")), tree(&f.dir().join("clean")));
    let inc_paths: Vec<&String> = inc.iter().map(|(p, _)| p).collect();
    let clean_paths: Vec<&String> = clean.iter().map(|(p, _)| p).collect();
    assert_eq!(inc_paths, clean_paths, "same files");
    for ((p, a), (_, b)) in inc.iter().zip(&clean) {
        assert!(a == b, "{p} differs from a clean build");
    }
    let after = mtimes(&f.dir().join("public"));
    after
        .iter()
        .filter(|(p, t)| before.get(*p) != Some(t))
        .map(|(p, _)| p.clone())
        .collect()
}

#[test]
fn a_no_op_build_writes_nothing() {
    let f = Fixture::mini();
    f.build().expect_code(0);
    let run = f.build();
    run.expect_code(0);
    assert!(
        run.stderr().contains("2 个单位中 0 个有变化"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("写入 0 个文件"), "{}", run.stderr());
    assert!(incremental_equals_clean(&f).is_empty());
}

#[test]
fn the_catalog_folder_written_another_way_is_the_same_catalog() {
    let f = Fixture::mini();
    f.build().expect_code(0);
    let before = mtimes(&f.dir().join("public"));
    let absolute = f.dir().join("catalog");
    let absolute = absolute.to_str().expect("utf-8 temp dir");
    for root in ["./catalog", "catalog/", absolute] {
        let run = f.run(&["build", "--root", root, "--as-of", "2024-06-30"]);
        run.expect_code(0);
        let said = run.stderr();
        assert!(said.contains("2 个单位中 0 个有变化"), "{root}: {said}");
        assert!(said.contains("写入 0 个文件"), "{root}: {said}");
    }
    assert_eq!(mtimes(&f.dir().join("public")), before);
}

#[cfg(unix)]
#[test]
fn an_attachment_replaced_keeping_its_size_and_time_is_copied_again() {
    let f = Fixture::mini();
    // A text file is copied as it is (a UTF-8 CSV would be rewritten with a BOM).
    let rel = "units/xian/shehui-jiuzhu/dibao-shenpi/2024-05-mingdan/说明.txt";
    f.write(rel, "名单按户主姓名笔画排序。\n");
    f.build().expect_code(0);
    let source = f.dir().join("catalog").join(rel);
    let modified = std::fs::metadata(&source)
        .and_then(|m| m.modified())
        .expect("mtime");
    // What `cp -p` of a same-sized file does: other bytes, the old modification time.
    let other: String = f.read(rel).chars().rev().collect();
    std::fs::write(&source, &other).expect("replace");
    std::fs::File::options()
        .write(true)
        .open(&source)
        .and_then(|file| file.set_modified(modified))
        .expect("set mtime");
    f.build().expect_code(0);
    let published = "public/xian/shehui-jiuzhu/dibao-shenpi/2024-05-mingdan/说明.txt";
    let copied = std::fs::read_to_string(f.dir().join(published)).expect("copy");
    assert_eq!(copied, other);
}

#[test]
fn each_kind_of_edit_rebuilds_exactly_like_a_clean_build() {
    let f = Fixture::mini();
    f.build().expect_code(0);
    let entry = "units/xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun.md";

    // A body change: the entry page and the data files that carry its text change, nothing else.
    f.write(
        entry,
        f.read(entry)
            .replace("自2024年1月1日起执行", "自2024年2月1日起执行"),
    );
    let changed = incremental_equals_clean(&f);
    assert!(
        changed.contains(&"xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun/index.html".to_owned()),
        "{changed:?}"
    );
    assert!(
        !changed.iter().any(|p| p.starts_with("xian/zhen/")),
        "the town is untouched: {changed:?}"
    );
    assert!(
        !changed.contains(&"xian/caizheng-yujuesuan/index.html".to_owned()),
        "{changed:?}"
    );

    // A title.
    f.write(
        entry,
        f.read(entry).replace(
            "测试县2024年城乡低保标准",
            "测试县2024年城乡最低生活保障标准",
        ),
    );
    let changed = incremental_equals_clean(&f);
    assert!(
        changed.contains(&"xian/shehui-jiuzhu/dibao-zhengce/index.html".to_owned()),
        "the item list shows titles: {changed:?}"
    );

    // A date, which moves update times up the tree.
    f.write(
        entry,
        f.read(entry)
            .replace("updated = 2024-03-01", "updated = 2024-06-01"),
    );
    let changed = incremental_equals_clean(&f);
    assert!(
        changed.contains(&"index.html".to_owned())
            && changed.contains(&"xian/index.html".to_owned()),
        "{changed:?}"
    );

    // A new entry and a deleted one. The town's first entry under an item makes the item's
    // page appear (and its row link to it); deleting the last makes both disappear.
    let town_item = f.dir().join("public/xian/zhen/shehui-jiuzhu/dibao-zhengce");
    let row_link = "<a href=\"dibao-zhengce/\">政策法规文件</a>";
    assert!(!town_item.exists());
    assert!(
        !f.page("xian/zhen/shehui-jiuzhu/index.html")
            .contains(row_link)
    );
    let town_entry = "units/xian/zhen/shehui-jiuzhu/dibao-zhengce/new.md";
    f.write(town_entry, "+++\ntitle = \"镇低保政策\"\ncreated = 2024-06-01\npublished = 2024-06-03\nindex_no = \"N/2024-00001\"\n+++\n正文\n");
    incremental_equals_clean(&f);
    assert!(town_item.join("index.html").is_file() && town_item.join("new/index.html").is_file());
    assert!(
        f.page("xian/zhen/shehui-jiuzhu/index.html")
            .contains(row_link)
    );
    assert!(
        f.page("xian/zhen/sitemap.xml")
            .contains("/xian/zhen/shehui-jiuzhu/dibao-zhengce/</loc>")
    );
    std::fs::remove_file(f.dir().join("catalog").join(town_entry)).expect("delete");
    incremental_equals_clean(&f);
    assert!(
        !town_item.exists(),
        "the item's page is gone with its last entry"
    );
    assert!(
        !f.page("xian/zhen/shehui-jiuzhu/index.html")
            .contains(row_link)
    );
    assert!(!f.page("xian/zhen/sitemap.xml").contains("dibao-zhengce"));
    assert!(!f.page("xian/zhen/search.json").contains("dibao-zhengce/\""));
    f.write(town_entry, "+++\ntitle = \"镇低保政策\"\ncreated = 2024-06-01\npublished = 2024-06-03\nindex_no = \"N/2024-00001\"\n+++\n正文\n");
    incremental_equals_clean(&f);
    std::fs::remove_file(f.dir().join("catalog").join(entry)).expect("delete");
    incremental_equals_clean(&f);
    assert!(
        !f.dir()
            .join("public/xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun")
            .exists(),
        "a deleted entry's page is removed"
    );

    // A new unit.
    f.write("units/xian/cun/unit.toml", "name = \"测试乡\"\nlevel = \"township\"\ncode = \"999100200000\"\norg_code = \"CUN\"\npublisher = \"测试乡人民政府\"\n");
    let changed = incremental_equals_clean(&f);
    assert!(
        changed.contains(&"xian/cun/index.html".to_owned()),
        "{changed:?}"
    );

    // A template change re-renders every page.
    copy_dir(
        &repo().join("themes/default"),
        &f.dir().join("catalog/themes/default"),
    );
    incremental_equals_clean(&f);
    let base = f.read("themes/default/templates/base.html");
    f.write(
        "themes/default/templates/base.html",
        base.replace("跳到正文", "跳到主要内容"),
    );
    let changed = incremental_equals_clean(&f);
    let pages = tree(&f.dir().join("public"))
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .count();
    assert_eq!(
        changed.iter().filter(|p| p.ends_with(".html")).count(),
        pages,
        "every page changed: {changed:?}"
    );
    assert!(f.page("xian/index.html").contains("跳到主要内容"));
}

#[test]
fn an_entry_lapses_on_every_surface_when_the_date_passes_its_expires() {
    let f = Fixture::mini();
    let entry = "units/xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun.md";
    f.write(
        entry,
        f.read(entry)
            .replace("topic = ", "expires = 2024-06-15\ntopic = "),
    );
    let page = "xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun/index.html";
    f.run(&["build", "--as-of", "2024-06-15"]).expect_code(0);
    assert!(
        f.page(page)
            .contains("<td>有效（有效期至 2024-06-15）</td>"),
        "{}",
        f.page(page)
    );
    let search: serde_json::Value =
        serde_json::from_str(&f.page("xian/search.json")).expect("search");
    let doc = |search: &serde_json::Value| {
        search["docs"]
            .as_array()
            .expect("docs")
            .iter()
            .find(|d| d["t"] == "测试县2024年城乡低保标准")
            .expect("indexed")
            .clone()
    };
    assert_eq!(doc(&search).get("v"), None);
    // The next day nothing in the catalog changed, but the entry has lapsed: the build renders
    // it again, exactly as a clean build of that day.
    let changed = incremental_equals_clean(&f);
    assert!(
        f.page(page).contains("<strong>本文件已失效</strong>"),
        "{}",
        f.page(page)
    );
    let search: serde_json::Value =
        serde_json::from_str(&f.page("xian/search.json")).expect("search");
    assert_eq!(doc(&search)["v"], "失效");
    for file in [
        page,
        "xian/shehui-jiuzhu/dibao-zhengce/index.html",
        "xian/search.json",
        "xian/feed.xml",
        "xian/shehui-jiuzhu/feed.xml",
        "xian/catalog.json",
        "xian/catalog.csv",
    ] {
        assert!(
            changed.contains(&file.to_owned()),
            "{file} not rewritten: {changed:?}"
        );
    }
    assert!(
        !changed
            .iter()
            .any(|p| p.starts_with("xian/caizheng-yujuesuan/") || p.starts_with("xian/zhen/")),
        "{changed:?}"
    );
}

/// The pages a build says it rendered ("生成 N 个页面").
fn pages_rendered(run: &crate::harness::Run) -> usize {
    let said = run.stderr();
    let count = said
        .split("生成 ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok());
    count.unwrap_or_else(|| panic!("no page count in: {said}"))
}

/// The pages (`.html` files) in the output folder `dir`, leaving out those under `except`.
fn pages_under(f: &Fixture, dir: &str, except: &[&str]) -> usize {
    let public = f.dir().join("public");
    mtimes(&public.join(dir))
        .keys()
        .filter(|p| p.ends_with(".html"))
        .filter(|p| !except.iter().any(|e| p.starts_with(&format!("{e}/"))))
        .count()
}

#[test]
fn an_edit_renders_only_its_domain_and_the_units_own_pages() {
    let f = Fixture::mini();
    f.build().expect_code(0);
    // A build with nothing changed renders only the site-wide pages.
    let site_wide = pages_rendered(f.build().expect_code(0));
    let entry = "units/xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun.md";
    f.write(entry, f.read(entry) + "\n补充说明一句。\n");
    let run = f.build();
    run.expect_code(0);
    let domain = pages_under(&f, "xian/shehui-jiuzhu", &[]);
    let elsewhere = ["shehui-jiuzhu", "caizheng-yujuesuan", "zhen"];
    let own = pages_under(&f, "xian", &elsewhere);
    assert!(domain > 0 && own > 0 && pages_under(&f, "xian/caizheng-yujuesuan", &[]) > 0);
    assert_eq!(
        pages_rendered(&run),
        site_wide + domain + own,
        "the other domain and the town are not rendered: {}",
        run.stderr()
    );
    incremental_equals_clean(&f);

    // A damaged file in one domain renders that domain again, not the unit.
    std::fs::write(
        f.dir().join("public/xian/caizheng-yujuesuan/index.html"),
        "被改坏的页面",
    )
    .expect("tamper");
    let run = f.build();
    run.expect_code(0);
    assert_eq!(
        pages_rendered(&run),
        site_wide + pages_under(&f, "xian/caizheng-yujuesuan", &[]),
        "{}",
        run.stderr()
    );
    incremental_equals_clean(&f);
}

#[test]
fn a_corrupt_or_missing_manifest_falls_back_to_a_full_build() {
    let f = Fixture::mini();
    f.build().expect_code(0);
    let manifest = f.dir().join(".public.gongkai-manifest");
    std::fs::write(&manifest, "{ not json").expect("corrupt");
    let entry = "units/xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun.md";
    f.write(
        entry,
        f.read(entry)
            .replace("测试县2024年城乡低保标准", "改过的标题"),
    );
    let run = f.build();
    run.expect_code(0);
    assert!(
        run.stderr().contains("2 个单位中 2 个有变化"),
        "{}",
        run.stderr()
    );
    incremental_equals_clean(&f);
    // Damaged inside, where each unit's records are kept: whatever still decodes must not
    // leave a wrong site.
    let mut bytes = std::fs::read(&manifest).expect("manifest");
    let half = bytes.len() / 2;
    for b in &mut bytes[half..] {
        *b ^= 0x5a;
    }
    std::fs::write(&manifest, bytes).expect("damage");
    f.build().expect_code(0);
    incremental_equals_clean(&f);
    std::fs::remove_file(&manifest).expect("remove");
    f.build().expect_code(0);
    incremental_equals_clean(&f);
}

#[test]
fn a_hand_edited_output_file_is_repaired() {
    let f = Fixture::mini();
    f.build().expect_code(0);
    std::fs::write(f.dir().join("public/xian/index.html"), "被改坏的页面").expect("tamper");
    std::fs::remove_file(f.dir().join("public/xian/zhen/index.html")).expect("delete");
    f.build().expect_code(0);
    incremental_equals_clean(&f);
    assert!(
        f.page("xian/index.html")
            .contains("<h1>测试县基层政务公开标准化规范化专栏</h1>")
    );
}

#[test]
fn trusting_the_output_rebuilds_edits_exactly_but_leaves_hand_damage_until_a_checked_build() {
    let f = Fixture::mini();
    f.build().expect_code(0);
    let trusted = || {
        f.run(&["build", "--as-of", "2024-06-30", "--trust-output"])
            .expect_code(0);
    };
    // The town's page is damaged by hand; then an entry of the county is edited.
    let town = f.dir().join("public/xian/zhen/index.html");
    std::fs::write(&town, "被改坏的页面").expect("tamper");
    let entry = "units/xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun.md";
    f.write(
        entry,
        f.read(entry)
            .replace("自2024年1月1日起执行", "自2024年2月1日起执行"),
    );
    trusted();
    // The edit is on the site; the town's part was not looked at, so its damage stays.
    assert!(
        f.page("xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun/index.html")
            .contains("自2024年2月1日起执行")
    );
    assert_eq!(f.page("xian/zhen/index.html"), "被改坏的页面");
    // The next build without the flag finds and repairs it: the site equals a clean build.
    incremental_equals_clean(&f);
    assert!(f.page("xian/zhen/index.html").contains("<h1"));
    // With nothing damaged, a trusted build after an edit is a clean build's site too.
    f.write(entry, f.read(entry).replace("2月1日", "3月1日"));
    trusted();
    let changed = incremental_equals_clean(&f);
    assert!(
        changed.is_empty(),
        "the trusted build did it all: {changed:?}"
    );
}

#[test]
fn output_files_rewritten_in_place_or_replaced_by_links_are_repaired() {
    let f = Fixture::mini();
    f.build().expect_code(0);
    let public = f.dir().join("public");
    // The same number of bytes, written in place: only the modification time tells.
    let page = public.join("xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun/index.html");
    let size = std::fs::metadata(&page).expect("page").len();
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&page, vec![b'x'; size as usize]).expect("tamper");
    // An attachment replaced by a link to a file with the same bytes and time outside the
    // output: followed, the link would look exactly like the file the build wrote.
    let csv = public.join("xian/shehui-jiuzhu/dibao-shenpi/2024-05-mingdan/低保名单.csv");
    #[cfg(unix)]
    {
        let elsewhere = f.dir().join("elsewhere.csv");
        std::fs::copy(&csv, &elsewhere).expect("copy");
        let written = std::fs::metadata(&csv).and_then(|m| m.modified());
        std::fs::File::options()
            .write(true)
            .open(&elsewhere)
            .and_then(|file| file.set_modified(written?))
            .expect("same time");
        std::fs::remove_file(&csv).expect("remove");
        std::os::unix::fs::symlink(&elsewhere, &csv).expect("link");
    }
    let changed = incremental_equals_clean(&f);
    assert!(
        changed
            .iter()
            .any(|p| p.ends_with("2024-biaozhun/index.html"))
    );
    assert!(
        f.page("xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun/index.html")
            .contains("<h1")
    );
    let meta = std::fs::symlink_metadata(&csv).expect("attachment");
    assert!(
        meta.is_file(),
        "the link was replaced by the attachment itself"
    );
}

/// What a build printed about the catalog, without the summary line (counts and time differ
/// between an incremental and a full build).
fn findings(run: &crate::harness::Run) -> Vec<String> {
    run.stderr()
        .lines()
        .filter(|l| !l.starts_with("构建完成") && !l.starts_with("构建未完成"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_entry_cache_never_changes_what_a_build_reports_or_writes() {
    let f = Fixture::mini();
    f.build().expect_code(0);
    let cache = f.dir().join(".public.gongkai-cache");
    assert!(cache.is_file(), "the cache lives beside the output");
    assert!(!f.dir().join("public/.public.gongkai-cache").exists());

    // The unit's default 发布机构 is part of every entry without its own.
    let unit = "units/xian/unit.toml";
    f.write(
        unit,
        f.read(unit)
            .replace("测试县人民政府办公室", "测试县政府办公室"),
    );
    incremental_equals_clean(&f);
    assert!(
        f.page("xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun/index.html")
            .contains("测试县政府办公室")
    );

    // An attachment replaced by a bigger one: its size is shown on the entry page.
    f.write(
        "units/xian/shehui-jiuzhu/dibao-shenpi/2024-05-mingdan/低保名单.csv",
        "姓名,金额\n张*,940\n李*,720\n王*,940\n",
    );
    incremental_equals_clean(&f);

    // `--as-of` is part of every key: an earlier date still finds every early publication.
    let cold = {
        let _ = std::fs::remove_file(&cache);
        f.run(&["build", "--as-of", "2024-01-09"])
    };
    cold.expect_code(1);
    f.build().expect_code(0);
    let warm = f.run(&["build", "--as-of", "2024-01-09"]);
    warm.expect_code(1);
    assert_eq!(findings(&warm), findings(&cold));
    assert!(
        warm.stderr().contains("晚于核查日期 2024-01-09"),
        "{}",
        warm.stderr()
    );

    // Warnings and the audit read the same with the cache as without.
    let warm = f.build();
    let _ = std::fs::remove_file(&cache);
    let cold = f.build();
    assert_eq!(findings(&warm), findings(&cold));

    // A damaged cache is not used.
    std::fs::write(&cache, b"gongkai entry cache v1\n\xff\xff\xff").expect("damage");
    f.write(
        unit,
        f.read(unit)
            .replace("测试县政府办公室", "测试县人民政府办公室"),
    );
    incremental_equals_clean(&f);
}

/// Entries whose files have not changed since a build that read them settled are taken from the
/// cache without being read; pages that show them read their bodies back. Whatever is edited,
/// however the edit hides (same size, modification time set back), the site is a clean build's.
#[test]
fn entries_left_unread_still_give_a_clean_builds_site() {
    let f = Fixture::mini();
    // Only files last changed a while before a build reads them get a trusted stamp.
    std::thread::sleep(gongkai::incremental::cache::SETTLE + std::time::Duration::from_millis(300));
    f.build().expect_code(0);
    assert!(incremental_equals_clean(&f).is_empty(), "nothing changed");

    // Another entry of the same unit changes: the unit is rendered again, and the pages of the
    // entries that were not read need their bodies back from their files.
    let edited = "units/xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun.md";
    f.write(
        edited,
        f.read(edited)
            .replace("自2024年1月1日起执行", "自2024年3月1日起执行"),
    );
    let changed = incremental_equals_clean(&f);
    assert!(
        changed.contains(&"xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun/index.html".to_owned()),
        "{changed:?}"
    );
    let untouched = "xian/shehui-jiuzhu/dibao-zhengce/2023-biaozhun/index.html";
    assert!(!changed.contains(&untouched.to_owned()), "{changed:?}");
    assert!(f.page(untouched).contains("已被2024年标准取代"));

    // An edit of the same size whose modification time is set back is still seen: the file's
    // change time (which programs cannot set) differs from the recorded one.
    let hidden = "units/xian/shehui-jiuzhu/dibao-zhengce/2023-biaozhun.md";
    let path = f.dir().join("catalog").join(hidden);
    let old_mtime = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .expect("mtime");
    let text = f.read(hidden);
    let same_size = text.replace("已被2024年标准取代", "已被2024年标准代替");
    assert_eq!(same_size.len(), text.len());
    f.write(hidden, same_size);
    std::fs::File::options()
        .write(true)
        .open(&path)
        .and_then(|file| file.set_modified(old_mtime))
        .expect("set mtime back");
    incremental_equals_clean(&f);
    assert!(f.page(untouched).contains("已被2024年标准代替"));
}

#[test]
fn adding_a_relation_in_a_town_rebuilds_the_county_document_like_a_clean_build() {
    let f = Fixture::mini();
    f.build().expect_code(0);
    // A town's 解读 of the county's 2024 standard, and a county document replacing it.
    f.write(
        "units/xian/zhen/shehui-jiuzhu/dibao-zhengce/jiedu.md",
        "+++\ntitle = \"解读\"\ncreated = 2024-01-11\npublished = 2024-01-11\nindex_no = \"11999100MB0000101P/2024-00009\"\ninterprets = [\"11999100MB0000001X/2024-00001\"]\n+++\n正文。\n",
    );
    let changed = incremental_equals_clean(&f);
    assert!(
        changed.contains(&"xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun/index.html".to_owned()),
        "the county document now lists its 解读: {changed:?}"
    );
    f.write(
        "units/xian/shehui-jiuzhu/dibao-zhengce/xin.md",
        "+++\ntitle = \"新标准\"\ncreated = 2024-06-03\npublished = 2024-06-03\nindex_no = \"11999100MB0000001X/2024-00020\"\nreplaces = [\"11999100MB0000001X/2024-00001\"]\n+++\n正文。\n",
    );
    incremental_equals_clean(&f);
    assert!(
        f.page("xian/zhen/shehui-jiuzhu/dibao-zhengce/jiedu/index.html")
            .contains("本文解读的文件")
    );
    // Retitling the replacing document changes the replaced one's notice.
    f.write(
        "units/xian/shehui-jiuzhu/dibao-zhengce/xin.md",
        f.read("units/xian/shehui-jiuzhu/dibao-zhengce/xin.md")
            .replace("新标准", "更新的标准"),
    );
    incremental_equals_clean(&f);
    assert!(
        f.page("xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun/index.html")
            .contains("已被<a href=\"../xin/\">《更新的标准》</a>替代")
    );
}
