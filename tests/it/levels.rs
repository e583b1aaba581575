//! What real catalogue tables carry beyond 一级/二级事项, end to end: the 三级事项 (`level3`), the
//! 村级 level (`"village"`) for items and for units (a 村/社区 under a township), and a standard
//! file's `[defaults]` table. Validation, pages, the audit, open data, the printed guide, `list`,
//! `new`, `init --units` and `import-standard` all understand them.

use crate::harness::Fixture;

/// The sample's village: 人民村 under 示例镇.
const VILLAGE: &str = "shiqu/shizhen/renmincun";

fn coverage(f: &Fixture, unit: &str) -> serde_json::Value {
    let run = f.run(&["check", "--format", "json", "--as-of", "2025-06-30"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout()).expect("json");
    report["coverage"]
        .as_array()
        .expect("coverage")
        .iter()
        .find(|c| c["unit"] == unit)
        .unwrap_or_else(|| panic!("no coverage for {unit}: {report}"))
        .clone()
}

#[test]
fn a_village_is_built_like_any_unit_with_only_its_village_items() {
    let f = Fixture::sample();
    f.build().expect_code(0);
    let home = f.page(&format!("{VILLAGE}/index.html"));
    assert!(home.contains("人民村"), "{home}");
    let domain = f.page(&format!("{VILLAGE}/gonggong-falv-fuwu/index.html"));
    for item in ["法律知识普及服务", "推广法治文化服务"] {
        assert!(domain.contains(item), "{item} on the village's page");
    }
    assert!(
        !domain.contains("对在法治宣传教育工作中作出显著成绩"),
        "an item published only by counties and towns is not the village's"
    );
    let item = f.page(&format!(
        "{VILLAGE}/gonggong-falv-fuwu/falv-zhishi-puji/index.html"
    ));
    assert!(item.contains("人民村2025年普法宣传活动安排"), "{item}");
    assert!(
        !f.dir()
            .join("public")
            .join(VILLAGE)
            .join("shehui-jiuzhu")
            .exists(),
        "no page for a domain none of whose items applies to villages"
    );
    let town = f.page("shiqu/shizhen/index.html");
    assert!(
        town.contains("人民村") && town.contains("村级"),
        "the town lists its village"
    );
    let data: serde_json::Value =
        serde_json::from_str(&f.page(&format!("{VILLAGE}/catalog.json"))).expect("json");
    assert_eq!(data["unit"]["level"], "村级");
    assert_eq!(data["items"].as_array().map(Vec::len), Some(3));

    let list = f.run(&["list", VILLAGE]);
    list.expect_code(0);
    assert!(
        list.stdout()
            .contains("人民村（shiqu/shizhen/renmincun，村级）"),
        "{}",
        list.stdout()
    );
    assert!(list.stdout().contains("gonggong-falv-fuwu/fazhi-wenhua"));
    // `new` refuses an item villages do not publish, naming its levels.
    let refused = f.run(&["new", VILLAGE, "gonggong-falv-fuwu/biaozhang-jiangli"]);
    assert_ne!(refused.code(), 0);
    assert!(
        refused
            .stderr()
            .contains("公开层级是县级、乡级，不适用于村级单位“人民村”"),
        "{}",
        refused.stderr()
    );
}

#[test]
fn the_audit_counts_village_items_only_for_villages() {
    let f = Fixture::sample();
    let village = coverage(&f, VILLAGE);
    assert_eq!(
        (
            &village["applicable"],
            &village["covered"],
            &village["exempt"],
            &village["missing"]
        ),
        (
            &serde_json::json!(3),
            &serde_json::json!(2),
            &serde_json::json!(1),
            &serde_json::json!(0)
        ),
        "{village}"
    );
    let town_before = coverage(&f, "shiqu/shizhen");
    // An item only villages publish counts for the village and for no one else.
    f.write(
        "standard/local/gonggong-falv-fuwu.toml",
        r#"notes = "本区补充的村务公开事项（测试）"

[[items]]
id = "cun-falv-guwen"
level1 = "法律服务"
level2 = "村（居）法律顾问"
content = "法律顾问姓名、执业机构、联系方式、服务时间"
basis = "《中华人民共和国政府信息公开条例》"
deadline = "信息形成或者变更之日起20个工作日内"
subject = "村（居）民委员会"
channels = ["社区/企事业单位/村公示栏(电子屏)"]
audience = "全社会"
mode = "主动"
levels = ["village"]
"#,
    );
    let village = coverage(&f, VILLAGE);
    assert_eq!(village["applicable"], 4, "{village}");
    assert_eq!(village["missing"], 1, "{village}");
    assert_eq!(coverage(&f, "shiqu/shizhen"), town_before);
    let run = f.run(&["check", "--format", "json", "--as-of", "2025-06-30"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout()).expect("json");
    let missing: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|d| d["code"] == "missing" && d["item"] == "cun-falv-guwen")
        .collect();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert_eq!(missing[0]["unit"], VILLAGE);
}

#[test]
fn a_village_gets_its_own_printed_guide() {
    let f = Fixture::sample();
    f.run(&["book", "--out", "books", "--unit", VILLAGE])
        .expect_code(0);
    let html = std::fs::read_to_string(f.dir().join("books").join(VILLAGE).join("book/index.html"))
        .expect("book/index.html");
    assert!(html.contains("人民村"), "{html}");
    assert!(html.contains("村级"), "the guide names the level");
    assert!(html.contains("法律知识普及服务"));
    assert!(!html.contains("最低生活保障"), "no township-only items");
}

#[test]
fn a_village_must_sit_under_a_township() {
    let f = Fixture::mini();
    f.write(
        "units/xian/cun/unit.toml",
        "name = \"某村\"\nlevel = \"village\"\ncode = \"999100000201\"\norg_code = \"54999100MF0000201K\"\npublisher = \"某村村民委员会\"\n",
    );
    let run = f.run(&["check"]);
    run.expect_code(1);
    let err = run.stdout() + &run.stderr();
    assert!(
        err.contains("catalog/units/xian/cun/unit.toml:2")
            && err.contains("村级单位“某村”应放在乡镇（街道）的文件夹中，但上级“测试县”是县级单位"),
        "{err}"
    );
    // Under the town it is a unit like any other.
    std::fs::rename(
        f.dir().join("catalog/units/xian/cun"),
        f.dir().join("catalog/units/xian/zhen/cun"),
    )
    .expect("move");
    f.build().expect_code(0);
    assert!(f.page("xian/zhen/cun/index.html").contains("某村"));
}

/// The mini fixture's 社会救助 with local items that share their cells through `[defaults]` and
/// split one 二级事项 into two 三级事项.
const LEVEL3_LOCAL: &str = r#"notes = "本县补充事项（测试）"

[defaults]
level1 = "临时救助"
level2 = "救助结果"
content = "救助对象、救助金额"
basis = "《社会救助暂行办法》"
deadline = "信息形成或者变更之日起20个工作日内"
subject = "县民政局、乡镇人民政府（街道办事处）"
channels = ["政府网站"]
audience = "全社会"
mode = "主动"
levels = ["county", "township"]

[[items]]
id = "jieguo-geren"
level3 = "个人救助结果"

[[items]]
id = "jieguo-jiating"
level3 = "家庭救助结果"
levels = ["township"]
"#;

#[test]
fn level3_and_defaults_show_on_pages_data_book_list_and_new() {
    let f = Fixture::mini();
    f.write("standard/local/shehui-jiuzhu.toml", LEVEL3_LOCAL);
    f.write(
        "units/xian/shehui-jiuzhu/jieguo-geren/2024-05.md",
        "+++\ntitle = \"2024年5月临时救助个人救助结果\"\ncreated = 2024-06-03\npublished = 2024-06-05\nindex_no = \"11999100MB0000001X/2024-00090\"\n+++\n共救助3人。\n",
    );
    f.build().expect_code(0);
    let item = f.page("xian/shehui-jiuzhu/jieguo-geren/index.html");
    assert!(item.contains("<h1>救助结果：个人救助结果"), "{item}");
    assert!(
        item.contains("<dt>三级事项</dt><dd>个人救助结果（本级补充事项）</dd>"),
        "{item}"
    );
    assert!(
        item.contains("<dd>《社会救助暂行办法》</dd>"),
        "inherited from [defaults]"
    );
    let county = f.page("xian/shehui-jiuzhu/index.html");
    assert!(county.contains("二级事项：三级事项"), "the table's heading");
    assert!(!county.contains("家庭救助结果"), "a 乡级-only item");
    let town = f.page("xian/zhen/shehui-jiuzhu/index.html");
    assert!(town.contains("救助结果：家庭救助结果"), "{town}");
    let data: serde_json::Value = serde_json::from_str(&f.page("xian/catalog.json")).expect("json");
    let row = data["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["item"] == "jieguo-geren")
        .expect("the item")
        .clone();
    assert_eq!(
        (&row["level2"], &row["level3"]),
        (&"救助结果".into(), &"个人救助结果".into())
    );
    let csv = f.page("xian/catalog.csv");
    assert!(csv.contains(",网址,三级事项\r\n"), "the column comes last");
    assert!(csv.contains(",个人救助结果\r\n"), "{csv}");

    f.run(&["book", "--out", "books", "--unit", "xian"])
        .expect_code(0);
    let book = std::fs::read_to_string(f.dir().join("books/xian/book/index.html")).expect("book");
    assert!(
        book.contains("救助结果：个人救助结果"),
        "the printed guide names the 三级事项"
    );

    let list = f.run(&["list", "xian/zhen"]);
    assert!(
        list.stdout()
            .contains("shehui-jiuzhu/jieguo-jiating  临时救助 · 救助结果：家庭救助结果"),
        "{}",
        list.stdout()
    );
    let new = f.run(&["new", "xian/zhen", "shehui-jiuzhu/jieguo-jiating"]);
    new.expect_code(0);
    let dir = f
        .dir()
        .join("catalog/units/xian/zhen/shehui-jiuzhu/jieguo-jiating");
    let file = std::fs::read_dir(&dir)
        .expect("folder")
        .next()
        .expect("a file")
        .expect("entry")
        .path();
    let text = std::fs::read_to_string(file).expect("read");
    assert!(
        text.contains("title = \"救助结果：家庭救助结果（请修改标题）\""),
        "{text}"
    );
}

#[test]
fn defaults_cannot_hold_an_id_and_a_key_neither_gives_is_named() {
    let f = Fixture::mini();
    f.write(
        "standard/local/shehui-jiuzhu.toml",
        LEVEL3_LOCAL
            .replace("[defaults]\n", "[defaults]\nid = \"x\"\n")
            .replace("content = \"救助对象、救助金额\"\n", ""),
    );
    let run = f.run(&["check"]);
    run.expect_code(1);
    let err = run.stdout() + &run.stderr();
    assert!(
        err.contains("catalog/standard/local/shehui-jiuzhu.toml:4")
            && err.contains("[defaults] 中不能写事项 id"),
        "{err}"
    );
    assert!(
        err.contains("catalog/standard/local/shehui-jiuzhu.toml:16")
            && err.contains(
                "事项“jieguo-geren”缺少公开内容（要素） `content`，本文件的 [defaults] 也没有给出。"
            ),
        "{err}"
    );
}

#[test]
fn init_places_villages_under_their_township() {
    let f = Fixture::empty();
    std::fs::write(
        f.dir().join("units.csv"),
        "名称,层级,区划代码,上级区划代码,发布机构\n\
         示例一区,县级,999003000000,,示例一区人民政府办公室\n\
         东山镇,乡级,999003001000,999003000000,东山镇人民政府\n\
         东山村,村级,999003001201,999003001000,东山镇东山村村民委员会\n\
         新街社区,社区,999003001001,999003001000,东山镇新街社区居民委员会\n",
    )
    .expect("csv");
    f.run(&["init", "catalog", "--units", "units.csv"])
        .expect_code(0);
    let village = f.read("units/shiliyiqu/dongshanzhen/dongshancun/unit.toml");
    assert!(village.contains("level = \"village\""), "{village}");
    assert!(
        f.read("units/shiliyiqu/dongshanzhen/xinjieshequ/unit.toml")
            .contains("level = \"village\"")
    );
    f.build().expect_code(0);

    let bad = Fixture::empty();
    std::fs::write(
        bad.dir().join("units.csv"),
        "名称,层级,区划代码,上级区划代码,发布机构\n\
         示例一区,县级,999003000000,,示例一区人民政府办公室\n\
         东山村,村级,999003001201,999003000000,东山村村民委员会\n",
    )
    .expect("csv");
    let run = bad.run(&["init", "catalog", "--units", "units.csv"]);
    assert_ne!(run.code(), 0);
    assert!(
        run.stderr()
            .contains("村级单位“东山村”的上级“示例一区”不是乡级单位"),
        "{}",
        run.stderr()
    );
}

/// A district's table with a 三级事项 column (the 二级事项 merged over its rows, so written once),
/// and level columns for 县级, the joint 乡、村级 and 村级 alone.
const LEVEL3_TABLE: &str = "\
序号,一级事项,二级事项,三级事项,公开内容（要素）,公开依据,公开时限,公开主体,公开渠道和载体,公开对象,公开方式,公开层级,,
,,,,,,,,,,,县级,乡、村级,村级
1,临时救助,救助结果,个人救助结果,救助对象、救助金额,《社会救助暂行办法》,信息形成之日起20个工作日内,县民政局,■政府网站,全社会,主动,√,√,
2,,,家庭救助结果,救助家庭、救助金额,《社会救助暂行办法》,信息形成之日起20个工作日内,县民政局,■政府网站,全社会,主动,,√,
3,,村务公开,救助对象公示,拟救助对象,《社会救助暂行办法》,信息形成之日起20个工作日内,村民委员会,■社区/企事业单位/村公示栏(电子屏),全社会,主动,,,√
";

#[test]
fn import_maps_level3_and_village_columns_and_reimport_changes_nothing() {
    let f = Fixture::mini();
    f.write("../level3.csv", LEVEL3_TABLE);
    let args = [
        "import-standard",
        "level3.csv",
        "--domain",
        "shehui-jiuzhu",
        "--as",
        "local",
    ];
    f.run(&args).expect_code(0);
    let local = f.read("standard/local/shehui-jiuzhu.toml");
    for expected in [
        "level2 = \"救助结果\"\nlevel3 = \"个人救助结果\"",
        "levels = [\"county\", \"township\", \"village\"]",
        "level2 = \"救助结果\"\nlevel3 = \"家庭救助结果\"",
        "levels = [\"township\", \"village\"]",
        "level2 = \"村务公开\"\nlevel3 = \"救助对象公示\"",
        "levels = [\"village\"]",
    ] {
        assert!(local.contains(expected), "{expected}\n---\n{local}");
    }
    assert!(
        !local.contains("三级事项 ="),
        "no longer kept as extra text"
    );
    let again = f.run(&args);
    again.expect_code(0);
    assert!(
        again
            .stdout()
            .contains("新增 0 项，修改 0 项，删除 0 项，不变 3 项")
            || again.stdout().contains("没有变化"),
        "{}",
        again.stdout()
    );
    assert_eq!(f.read("standard/local/shehui-jiuzhu.toml"), local);
    f.build().expect_code(0);
    let parsed: toml::Table = toml::from_str(&local).expect("toml");
    let id = parsed["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i.get("level3").and_then(|v| v.as_str()) == Some("个人救助结果"))
        .and_then(|i| i["id"].as_str())
        .expect("id")
        .to_owned();
    let domain = f.page("xian/shehui-jiuzhu/index.html");
    assert!(
        domain.contains(&format!("id=\"item-{id}\"")) && domain.contains("救助结果：个人救助结果"),
        "{domain}"
    );
}

/// 城市综合执法 as a district's table gives it: one row per violation, the same cells repeated on
/// every row, the 一级事项 written once per group (merged), the groups in another order. A violation
/// the district adds is a new item (test data: this row is not in the national file).
#[test]
fn reimporting_a_real_style_enforcement_table_keeps_ids_and_defaults() {
    let f = Fixture::sample();
    let rel = "standard/chengshi-zonghe-zhifa.toml";
    let before = f.read(rel);
    let file: toml::Table = toml::from_str(&before).expect("toml");
    let defaults = file["defaults"].as_table().expect("[defaults]").clone();
    let items = file["items"].as_array().expect("items");
    let get = |item: &toml::Value, k: &str| {
        item.get(k)
            .or(defaults.get(k))
            .and_then(|v| v.as_str())
            .expect(k)
            .to_owned()
    };
    let mut csv = String::from(
        "序号,一级事项,二级事项,公开内容（要素）,公开依据,公开时限,公开主体,公开渠道和载体,公开对象,,公开方式,,公开层级,\n\
         ,,,,,,,,全社会,特定群体,主动,依申请,县级,镇（街）级\n",
    );
    let mut order: Vec<&toml::Value> = items.iter().collect();
    order.reverse();
    let mut previous = String::new();
    let mut ids = Vec::new();
    for (n, item) in order.iter().enumerate() {
        ids.push(get(item, "id"));
        let level1 = get(item, "level1");
        let channels: Vec<String> = item["channels"]
            .as_array()
            .expect("channels")
            .iter()
            .map(|c| format!("■{}", c.as_str().expect("channel")))
            .collect();
        csv.push_str(&format!(
            "{},{},\"{}\",\"{}\",\"{}\",\"{}\",\"{}\",{},√,,√,,√,√\n",
            n + 1,
            if level1 == previous { "" } else { &level1 },
            get(item, "level2"),
            get(item, "content"),
            get(item, "basis"),
            get(item, "deadline"),
            get(item, "subject"),
            channels.join(" "),
        ));
        previous = level1;
    }
    csv.push_str(&format!(
        "{},市容环境卫生管理,在城市道路两侧擅自堆放物料,\"{}\",《城市市容和环境卫生管理条例》,\"{}\",\"{}\",■政府网站,√,,√,,√,√\n",
        items.len() + 1,
        defaults["content"].as_str().expect("content"),
        defaults["deadline"].as_str().expect("deadline"),
        defaults["subject"].as_str().expect("subject"),
    ));
    f.write("../zhifa.csv", &csv);
    let run = f.run(&[
        "import-standard",
        "zhifa.csv",
        "--domain",
        "chengshi-zonghe-zhifa",
    ]);
    run.expect_code(0);
    assert!(
        run.stdout().contains(&format!(
            "新增 1 项，修改 0 项，删除 0 项，不变 {} 项",
            items.len()
        )),
        "{}",
        run.stdout()
    );
    let after = f.read(rel);
    let reread: toml::Table = toml::from_str(&after).expect("toml");
    assert_eq!(
        reread["defaults"].as_table(),
        Some(&defaults),
        "[defaults] kept"
    );
    let new_ids: Vec<String> = reread["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_str().expect("id").to_owned())
        .collect();
    for id in &ids {
        assert!(new_ids.contains(id), "{id} kept");
    }
    assert_eq!(new_ids.len(), ids.len() + 1);
    assert_eq!(
        after.matches("content = ").count(),
        1,
        "items inherit the shared cells instead of repeating them:\n{after}"
    );
    f.build().expect_code(0);
}

#[test]
fn a_village_points_to_its_townships_guide_and_application_office() {
    let f = Fixture::sample();
    f.build().expect_code(0);
    let public = f.dir().join("public");
    for page in ["zhinan", "yishenqing"] {
        assert!(
            !public.join(VILLAGE).join(page).exists(),
            "a 村民委员会 has no {page} page of its own"
        );
        assert!(
            public
                .join("shiqu/shizhen")
                .join(page)
                .join("index.html")
                .is_file()
        );
    }
    let home = f.page(&format!("{VILLAGE}/index.html"));
    assert!(
        home.contains("href=\"../zhinan/\"") && home.contains("href=\"../yishenqing/\""),
        "the village's footer links its township's 指南 and 依申请公开 pages: {home}"
    );
    let sitemap = f.page(&format!("{VILLAGE}/sitemap.xml"));
    assert!(!sitemap.contains("zhinan"), "{sitemap}");
    // Its unit.toml has no [office]: no warning asks for one.
    let check = f.run(&["check", "--as-of", "2025-06-30"]);
    let out = check.stdout();
    assert!(
        !out.lines()
            .any(|l| l.contains("office-incomplete") && l.contains("renmincun")),
        "{out}"
    );
}
