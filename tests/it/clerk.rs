//! The clerk's loop: `new` scaffolds a correct entry, `list` shows the ids, `explain` documents
//! every finding code, and the main error messages stay as reviewed (snapshots).

use crate::harness::Fixture;

#[test]
fn new_takes_the_next_index_number_and_leaves_only_the_body_to_write() {
    let f = Fixture::mini();
    f.fill_in_site();
    // The county already uses 11999100MB0000001X/2024-00001 and -00002.
    let run = f.run(&[
        "new",
        "xian",
        "shehui-jiuzhu/dibao-zhengce",
        "--title",
        "测试县低保政策解读",
        "--date",
        "2024-06-20",
    ]);
    run.expect_code(0);
    let text = f.read("units/xian/shehui-jiuzhu/dibao-zhengce/2024-06-20.md");
    assert!(
        text.contains("index_no = \"11999100MB0000001X/2024-00003\""),
        "{text}"
    );
    assert!(text.contains("title = \"测试县低保政策解读\""), "{text}");
    assert!(
        text.contains("created = 2024-06-20") && text.contains("published = 2024-06-20"),
        "{text}"
    );
    assert!(
        text.contains("# doc_no"),
        "optional keys are offered as comments: {text}"
    );
    // A second one the same day gets a new file and the next number.
    f.run(&[
        "new",
        "xian",
        "shehui-jiuzhu/dibao-zhengce",
        "--date",
        "2024-06-20",
    ])
    .expect_code(0);
    let second = f.read("units/xian/shehui-jiuzhu/dibao-zhengce/2024-06-20-2.md");
    assert!(second.contains("2024-00004"), "{second}");
    let run = f.run(&["build", "--as-of", "2024-06-30"]);
    run.expect_code(0);
    // Everything but the body is ready: the one warning per entry is its stub text.
    let err = run.stderr();
    assert_eq!(err.matches("警告[").count(), 2, "{err}");
    assert_eq!(err.matches("警告[stub-body]").count(), 2, "{err}");
}

#[test]
fn new_never_reuses_a_number_used_by_another_unit_with_the_same_code() {
    let f = Fixture::mini();
    f.write(
        "units/xian/zhen/unit.toml",
        f.read("units/xian/zhen/unit.toml")
            .replace("11999100MB0000101P", "11999100MB0000001X"),
    );
    f.run(&[
        "new",
        "xian/zhen",
        "shehui-jiuzhu/dibao-zhengce",
        "--date",
        "2024-06-20",
    ])
    .expect_code(0);
    let text = f.read("units/xian/zhen/shehui-jiuzhu/dibao-zhengce/2024-06-20.md");
    assert!(text.contains("11999100MB0000001X/2024-00003"), "{text}");
}

#[test]
fn new_refuses_an_item_of_another_level() {
    let f = Fixture::mini();
    let run = f.run(&["new", "xian/zhen", "shehui-jiuzhu/dibao-shenpi"]);
    run.expect_code(2);
    assert!(
        run.stderr().contains("不适用于乡级单位“测试镇”"),
        "{}",
        run.stderr()
    );
}

#[test]
fn new_suggests_the_closest_ids_for_typos() {
    let f = Fixture::mini();
    let run = f.run(&["new", "xian", "shehui-jiuzu/dibao-zhengce"]);
    run.expect_code(2);
    assert!(
        run.stderr().contains("是否想写“shehui-jiuzhu”"),
        "{}",
        run.stderr()
    );
    let run = f.run(&["new", "xian", "shehui-jiuzhu/dibao-zhenche"]);
    assert!(
        run.stderr()
            .contains("是否想写“shehui-jiuzhu/dibao-zhengce”"),
        "{}",
        run.stderr()
    );
    let run = f.run(&["new", "xain", "shehui-jiuzhu/dibao-zhengce"]);
    assert!(run.stderr().contains("是否想写“xian”"), "{}", run.stderr());
}

#[test]
fn list_shows_applicable_items_with_counts() {
    let f = Fixture::mini();
    let run = f.run(&["list", "xian/zhen"]);
    run.expect_code(0);
    let out = run.stdout();
    assert!(
        out.contains("shehui-jiuzhu/linshi-jiuzhu  临时救助 · 办事指南  [1 条，更新 2024-02-02]"),
        "{out}"
    );
    assert!(out.contains("caizheng-yujuesuan/zhengfu-yusuan  财政预决算 · 政府预算  [本级不涉及：本镇预算由县财政统一公开]"), "{out}");
    assert!(
        !out.contains("dibao-shenpi"),
        "county-only items are not listed for a town"
    );
}

#[test]
fn explain_documents_every_code() {
    let f = Fixture::empty();
    let run = f.run(&["explain"]);
    run.expect_code(0);
    for code in gongkai::diag::Code::ALL {
        assert!(run.stdout().contains(code.as_str()), "{code:?}");
    }
    assert_eq!(
        run.stdout().matches("怎么改：").count(),
        gongkai::diag::Code::ALL.len()
    );
    f.run(&["explain", "stale"]).expect_code(0);
    let run = f.run(&["explain", "stail"]);
    run.expect_code(2);
    assert!(run.stderr().contains("是否想查“stale”"));
}

#[test]
fn main_error_messages_snapshot() {
    let f = Fixture::mini();
    f.fill_in_site();
    let entry = "units/xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun.md";
    f.write(
        entry,
        f.read(entry)
            .replace("summary =", "sumary =")
            .replace("published = 2024-01-10", "published = 2024-01-02"),
    );
    f.write(
        "units/xian/unit.toml",
        f.read("units/xian/unit.toml")
            .replace("level = \"county\"", "level = \"县级\""),
    );
    f.write(
        "units/xian/zhen/shehui-jiuzu/linshi-jiuzhu/a.md",
        "+++\ntitle = \"a\"\n+++\n",
    );
    f.write(
        "units/xian/zhen/shehui-jiuzhu/linshi-jiuzhu/b.md",
        "+++\ntitle = “临时救助”\ncreated = 2024-01-01\npublished = 2024-01-02\n+++\n",
    );
    f.write("units/xian/zhen/shehui-jiuzhu/linshi-jiuzhu/c.md", "+++\ntitle = \"c\"\ncreated = 2024-01-01\npublished = 2024-01-02\nvalidity = \"invalid\"\n+++\n");
    let run = f.build();
    run.expect_code(1);
    insta::assert_snapshot!("main_errors", run.stderr());
}

#[test]
fn every_wrong_date_of_a_file_gets_its_exact_line_in_one_run() {
    let f = Fixture::mini();
    let dir = "units/xian/shehui-jiuzhu/dibao-zhengce";
    f.write(
        &format!("{dir}/a.md"),
        "+++\ntitle = \"低保标准\"\ncreated = 2024.6.3\npublished = 2024/6/3\nupdated = 2024年6月13日\nexpires = 2024-6-30\n+++\n正文\n",
    );
    f.write(
        &format!("{dir}/b.md"),
        "+++\ntitle = \"低保名单\"\ncreated = 20240603\npublished = \"2024/6/3\"\n+++\n正文\n",
    );
    let run = f.build();
    run.expect_code(1);
    let err = run.stderr();
    let rule = "按“年-月-日”写，月和日都写两位，用减号“-”分隔";
    for (file, line, key, written, why, fixed) in [
        ("a", 3, "created", "2024.6.3", "", "2024-06-03"),
        ("a", 4, "published", "2024/6/3", "", "2024-06-03"),
        ("a", 5, "updated", "2024年6月13日", "", "2024-06-13"),
        ("a", 6, "expires", "2024-6-30", "", "2024-06-30"),
        ("b", 3, "created", "20240603", "", "2024-06-03"),
        (
            "b",
            4,
            "published",
            "\"2024/6/3\"",
            "日期不加引号；",
            "2024-06-03",
        ),
    ] {
        let expected = format!("catalog/{dir}/{file}.md:{line}\n  `{key}`");
        assert!(err.contains(&expected), "{expected}\n{err}");
        let hint = format!("提示：{why}{rule}。这一行应写成：{key} = {fixed}");
        assert!(err.contains(&hint), "{hint}\n{err}");
        assert!(
            err.contains(&format!("的日期“{written}”写法不对")),
            "{written}\n{err}"
        );
    }
    for english in ["expected", "invalid", "解析器"] {
        assert!(!err.contains(english), "{english}\n{err}");
    }
}

#[test]
fn chinese_names_are_understood_where_a_path_or_id_is_asked() {
    let f = Fixture::sample();
    let list = f.run(&["list", "示例镇"]);
    list.expect_code(0);
    assert!(
        list.stdout().starts_with("示例镇（shiqu/shizhen，乡级）"),
        "{}",
        list.stdout()
    );
    // A part of a name that several units share: the choices, by path.
    let run = f.run(&["list", "示例"]);
    run.expect_code(2);
    assert!(
        run.stderr().contains("名称“示例”对应 2 个单位，请从下面选一个，写它的路径：\n  shiqu（示例区）\n  shiqu/shizhen（示例镇）"),
        "{}",
        run.stderr()
    );
    // Domain and item by name; 一级事项/二级事项 where the 二级事项 recurs.
    let run = f.run(&[
        "new",
        "示例镇",
        "社会救助/最低生活保障/审核信息",
        "--date",
        "2025-06-01",
    ]);
    run.expect_code(0);
    assert!(
        f.dir()
            .join("catalog/units/shiqu/shizhen/shehui-jiuzhu/dibao-shenhe/2025-06-01.md")
            .is_file(),
        "{}",
        run.stderr()
    );
    let run = f.run(&["new", "示例镇", "社会救助/审核信息"]);
    run.expect_code(2);
    let err = run.stderr();
    assert!(
        err.contains("“审核信息”对应")
            && err.contains("  shehui-jiuzhu/dibao-shenhe（最低生活保障 · 审核信息）")
            && err.contains("  shehui-jiuzhu/tekun-shenhe（特困人员救助供养 · 审核信息）"),
        "{err}"
    );
    // explain by the finding's Chinese name, or a part of it.
    let run = f.run(&["explain", "逾期公开"]);
    run.expect_code(0);
    assert!(
        run.stdout().starts_with("late（逾期公开）"),
        "{}",
        run.stdout()
    );
    let run = f.run(&["explain", "公开"]);
    run.expect_code(2);
    assert!(
        run.stderr().contains("late（逾期公开）、missing（未公开）"),
        "{}",
        run.stderr()
    );
}

/// Where each name first appears in `text`, asserting they come in this order.
fn assert_in_order(text: &str, names: &[&str]) {
    let at: Vec<usize> = names
        .iter()
        .map(|n| {
            text.find(n)
                .unwrap_or_else(|| panic!("{n} not found in:\n{text}"))
        })
        .collect();
    assert!(at.is_sorted(), "expected {names:?} in this order:\n{text}");
}

#[test]
fn units_are_listed_by_their_order_key_then_by_path() {
    let f = Fixture::sample();
    f.build().expect_code(0);
    // 区划代码 order (街道 001, 镇 100, 乡 200), not pinyin (dongjie, hexiang, shizhen).
    let by_code = ["东街街道", "示例镇", "河西乡"];
    assert_in_order(&f.page("index.html"), &by_code);
    assert_in_order(&f.page("shiqu/index.html"), &by_code);
    assert_in_order(&f.page("shiqu/sitemap/index.html"), &by_code);
    // 河西乡 first; 东街街道 without an order after those with one.
    f.write(
        "units/shiqu/hexiang/unit.toml",
        f.read("units/shiqu/hexiang/unit.toml")
            .replace("order = 3", "order = 0"),
    );
    f.write(
        "units/shiqu/dongjie/unit.toml",
        f.read("units/shiqu/dongjie/unit.toml")
            .replace("order = 1", ""),
    );
    f.build().expect_code(0);
    let reordered = ["河西乡", "示例镇", "东街街道"];
    assert_in_order(&f.page("index.html"), &reordered);
    assert_in_order(&f.page("shiqu/index.html"), &reordered);
    assert_in_order(&f.page("shiqu/sitemap/index.html"), &reordered);
    let check = f.run(&["check", "--as-of", "2025-06-30"]).stdout();
    assert_in_order(
        &check,
        &["■ 示例区", "■ 河西乡", "■ 示例镇", "■ 人民村", "■ 东街街道"],
    );
    let list = f.run(&["list", "乙乙乙"]);
    list.expect_code(2);
    assert_in_order(
        &list.stderr(),
        &["shiqu/hexiang（", "shiqu/shizhen（", "shiqu/dongjie（"],
    );
}

#[test]
fn a_unit_order_that_is_not_a_number_names_the_file_and_line() {
    let f = Fixture::sample();
    f.write(
        "units/shiqu/shizhen/unit.toml",
        f.read("units/shiqu/shizhen/unit.toml")
            .replace("order = 2", "order = \"2\""),
    );
    let run = f.build();
    run.expect_code(1);
    let err = run.stderr();
    assert!(
        err.contains(
            "catalog/units/shiqu/shizhen/unit.toml:10\n  值的类型不对：这里需要整数，实际写的是文字"
        ),
        "{err}"
    );
}

#[test]
fn init_writes_each_unit_order_from_the_rows_of_the_table() {
    let f = Fixture::empty();
    // The street before the town: the table's order, not pinyin (dongshanzhen < xihejiedao).
    std::fs::write(
        f.dir().join("units.csv"),
        "名称,层级,区划代码,上级区划代码,发布机构\n\
         示例一区,县级,999003000000,,示例一区人民政府办公室\n\
         西河街道,乡级,999003002000,999003000000,西河街道办事处\n\
         东山镇,乡级,999003001000,999003000000,东山镇人民政府\n\
         东山村,村级,999003001201,999003001000,东山镇东山村村民委员会\n",
    )
    .expect("csv");
    f.run(&["init", "catalog", "--units", "units.csv"])
        .expect_code(0);
    for (unit, order) in [
        ("shiliyiqu", 1),
        ("shiliyiqu/xihejiedao", 1),
        ("shiliyiqu/dongshanzhen", 2),
        ("shiliyiqu/dongshanzhen/dongshancun", 1),
    ] {
        let toml = f.read(&format!("units/{unit}/unit.toml"));
        assert!(
            toml.lines()
                .any(|l| l.starts_with(&format!("order = {order} "))),
            "{unit}: {toml}"
        );
    }
    f.run(&["build", "--as-of", "2025-06-30"]).expect_code(0);
    assert_in_order(&f.page("shiliyiqu/index.html"), &["西河街道", "东山镇"]);
}

#[test]
fn a_csv_attachment_gets_a_bom_for_excel_and_is_shown_as_an_escaped_table() {
    let f = Fixture::mini();
    let dir = "units/xian/shehui-jiuzhu/dibao-shenpi/2024-05-mingdan";
    let mut csv = "户主,人数,备注\n".to_owned();
    csv.push_str("<script>alert(1)</script>,3,\"a,<b>\"\n");
    for n in 2..=60 {
        csv.push_str(&format!("户主{n},{n},\n"));
    }
    f.write(&format!("{dir}/低保名单.csv"), &csv);
    // A GBK one (as Excel on Chinese Windows saves it) is published as it is.
    let (gbk, _, _) = encoding_rs::GBK.encode("姓名,人数\n李某某,2\n");
    f.write(&format!("{dir}/旧名单.csv"), &gbk);
    f.write(
        &format!("{dir}/index.md"),
        f.read(&format!("{dir}/index.md")) + "旧名单：[旧名单](旧名单.csv)。\n",
    );
    f.build().expect_code(0);
    let out = f
        .dir()
        .join("public/xian/shehui-jiuzhu/dibao-shenpi/2024-05-mingdan");
    let published = std::fs::read(out.join("低保名单.csv")).expect("published csv");
    assert_eq!(&published[..3], b"\xef\xbb\xbf", "UTF-8 gets a BOM");
    assert_eq!(
        &published[3..],
        csv.as_bytes(),
        "and is otherwise unchanged"
    );
    assert_eq!(
        std::fs::read(out.join("旧名单.csv")).expect("gbk"),
        &gbk[..]
    );
    let page = f.page("xian/shehui-jiuzhu/dibao-shenpi/2024-05-mingdan/index.html");
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(
        page.contains(
            "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td><td>3</td><td>a,&lt;b&gt;</td>"
        ),
        "{page}"
    );
    assert!(
        page.contains("<th scope=\"col\">户主</th><th scope=\"col\">人数</th>"),
        "{page}"
    );
    assert!(
        page.contains("共 60 行，这里显示前 50 行，完整内容请下载"),
        "{page}"
    );
    assert!(page.contains("<td>户主50</td>") && !page.contains("<td>户主51</td>"));
    // The GBK table reads as Chinese.
    assert!(page.contains("<td>李某某</td><td>2</td>"), "{page}");
}

#[test]
fn run_where_there_is_no_catalog_names_the_folder_and_the_catalog_nearby() {
    let f = Fixture::sample();
    let looked = f.dir().join("wrong");
    let catalog = f.dir().join("catalog");
    for command in ["build", "check"] {
        let run = f.run(&[command, "--root", "wrong"]);
        run.expect_code(1);
        let said = run.stderr() + &run.stdout();
        assert!(
            said.contains(&format!(
                "找不到目录：在 {} 中查找，这个文件夹不存在。",
                looked.display()
            )),
            "{said}"
        );
        assert!(said.contains("--root <目录文件夹>"), "{said}");
        assert!(
            said.contains(&format!("是否想用 --root {}？", catalog.display())),
            "{said}"
        );
        // One finding, not one per missing part.
        assert!(!said.contains("找不到 units 文件夹"), "{said}");
    }
    // A catalog two levels up is found too.
    std::fs::create_dir_all(f.dir().join("a/b")).expect("mkdir");
    let run = f.run(&["build", "--root", "a/b/catalog"]);
    assert!(
        run.stderr()
            .contains(&format!("是否想用 --root {}？", catalog.display())),
        "{}",
        run.stderr()
    );
}

#[test]
fn an_abbreviated_name_resolves_from_the_names_in_the_standard() {
    let f = Fixture::sample();
    // 低保 is 最低生活保障's characters in order: no table of abbreviations is kept.
    let run = f.run(&[
        "new",
        "示例镇",
        "社会救助/低保/审核信息",
        "--date",
        "2025-06-01",
    ]);
    run.expect_code(0);
    assert!(
        f.dir()
            .join("catalog/units/shiqu/shizhen/shehui-jiuzhu/dibao-shenhe/2025-06-01.md")
            .is_file(),
        "{}",
        run.stderr()
    );
    // Several items abbreviated alike: the choices, every one a 最低生活保障 item.
    let run = f.run(&["new", "示例镇", "社会救助/低保"]);
    run.expect_code(2);
    let err = run.stderr();
    assert!(err.contains("“低保”对应"), "{err}");
    assert!(
        err.contains("  shehui-jiuzhu/dibao-shenhe（最低生活保障 · 审核信息）"),
        "{err}"
    );
    assert!(!err.contains("特困"), "{err}");
}
