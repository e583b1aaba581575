//! `gongkai import-standard`: a district's own catalogue table (Excel with merged cells and two
//! header rows, GBK CSV, single-column tables, local columns, odd tick marks) becomes a standard
//! file that builds; re-import changes nothing; a dry run shows the diff; rows that cannot be
//! understood are named by sheet, row and column, and nothing is written.
//!
//! The fixtures in `tests/fixtures/import/` are made by `make_fixtures.py` there (openpyxl).

use crate::harness::{Fixture, Run, repo, tree};

fn table(name: &str) -> String {
    repo()
        .join("tests/fixtures/import")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn import(f: &Fixture, args: &[&str]) -> Run {
    let mut all = vec!["import-standard"];
    all.extend_from_slice(args);
    f.run(&all)
}

/// `import-standard <args> --dry-run`, checking that it left the catalog's standard/ folder as
/// it was.
fn dry_run(f: &Fixture, args: &[&str]) -> Run {
    let standard = f.dir().join("catalog/standard");
    let before = tree(&standard);
    let mut all = args.to_vec();
    all.push("--dry-run");
    let run = import(f, &all);
    assert_eq!(tree(&standard), before, "a dry run writes nothing");
    run
}

#[test]
fn workbook_with_merged_cells_and_two_header_rows_imports_and_builds() {
    let f = Fixture::mini();
    let run = import(&f, &[&table("shehui-jiuzhu.xlsx")]);
    run.expect_code(0);
    let out = run.stdout();
    assert!(
        out.contains("standard/shehui-jiuzhu.toml（社会救助，来自 shehui-jiuzhu.xlsx 工作表「社会救助」）：新增 4 项，修改 3 项，删除 0 项"),
        "{out}"
    );
    let err = run.stderr();
    assert!(
        err.contains("shehui-jiuzhu.xlsx 工作表「社会救助」 第 10 行 F 列\n  公开时限“长期公开”没有写明天数或周期"),
        "a vague deadline is reported where it is: {err}"
    );
    assert!(
        err.contains("第 12 行\n  说明行未导入"),
        "the notes row is named: {err}"
    );
    // Existing items keep their ids (entries are filed under them); values from the table.
    insta::assert_snapshot!(
        "imported_standard_file",
        f.read("standard/shehui-jiuzhu.toml")
    );

    f.build().expect_code(0);
    let county = f.page("xian/shehui-jiuzhu/index.html");
    for text in [
        "资金使用情况",     // a new item
        "特困人员救助供养", // written twice, not merged
        "责任科室",         // a local column kept as `extra`
        "0000-1234569",
    ] {
        assert!(county.contains(text), "{text} on the county's domain page");
    }
    let town = f.page("xian/zhen/shehui-jiuzhu/index.html");
    assert!(
        town.contains("救助对象名单"),
        "a new 乡级 item under a merged 一级事项"
    );
    assert!(
        town.contains("村务公开栏"),
        "■其他：村务公开栏 keeps its text"
    );
    // The entries filed under the existing items are still there.
    let item = f.page("xian/shehui-jiuzhu/dibao-zhengce/index.html");
    assert!(
        item.contains("2024"),
        "entries still listed under dibao-zhengce"
    );
    // ▄/◆ boxes ticked, 口 not; ✓ for 特定群众, ● for 主动, only 区县级 ticked.
    let shenpi = f.read("standard/shehui-jiuzhu.toml");
    let shenpi = &shenpi[shenpi.find("id = \"dibao-shenpi\"").expect("dibao-shenpi")..];
    let shenpi = &shenpi[..shenpi.find("[[items]]").unwrap_or(shenpi.len())];
    assert!(shenpi.contains(
        "channels = [\"政府网站\", \"社区/企事业单位/村公示栏(电子屏)\"]\naudience = \"特定群体\"\nmode = \"主动\"\nlevels = [\"county\"]"
    ), "{shenpi}");
}

#[test]
fn reimporting_the_same_table_changes_nothing() {
    let f = Fixture::mini();
    import(&f, &[&table("shehui-jiuzhu.xlsx")]).expect_code(0);
    let path = f.dir().join("catalog/standard/shehui-jiuzhu.toml");
    let before = std::fs::read(&path).expect("read");
    let mtime = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .expect("mtime");
    let again = import(&f, &[&table("shehui-jiuzhu.xlsx")]);
    again.expect_code(0);
    assert!(
        again
            .stdout()
            .contains("新增 0 项，修改 0 项，删除 0 项，不变 7 项"),
        "{}",
        again.stdout()
    );
    assert!(again.stderr().contains("没有改动"));
    assert_eq!(std::fs::read(&path).expect("read"), before);
    assert_eq!(
        std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .expect("mtime"),
        mtime
    );
}

#[test]
fn gbk_csv_and_old_xls_of_the_workbook_give_the_same_file() {
    let from_xlsx = Fixture::mini();
    import(&from_xlsx, &[&table("shehui-jiuzhu.xlsx")]).expect_code(0);
    let from_csv = Fixture::mini();
    let run = import(&from_csv, &[&table("shehui-jiuzhu-gbk.csv")]);
    run.expect_code(0);
    assert!(
        run.stderr().contains("沿用了上一行的内容"),
        "blank cells of merged columns are said to be filled: {}",
        run.stderr()
    );
    assert_eq!(
        from_csv.read("standard/shehui-jiuzhu.toml"),
        from_xlsx.read("standard/shehui-jiuzhu.toml"),
        "GBK decoded, title, two header rows, merged cells and notes row read alike"
    );
    let from_xls = Fixture::mini();
    let run = import(&from_xls, &[&table("shehui-jiuzhu-2003.xls")]);
    run.expect_code(0);
    // An .xls file does not say which rows and columns are hidden: the import says so.
    assert!(
        run.stderr().contains(
            "警告[import-doubt] shehui-jiuzhu-2003.xls\n  shehui-jiuzhu-2003.xls 是 .xls 格式，gongkai 读不出这种格式中哪些行和列被隐藏"
        ),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("另存为 .xlsx"), "{}", run.stderr());
    let again = dry_run(
        &from_xls,
        &[&table("shehui-jiuzhu-2003.xls"), "--include-hidden"],
    );
    assert!(!again.stderr().contains("读不出"), "{}", again.stderr());
    assert_eq!(
        from_xls.read("standard/shehui-jiuzhu.toml"),
        from_xlsx.read("standard/shehui-jiuzhu.toml"),
        "an Excel 97-2003 workbook with the same merges reads alike"
    );
}

#[test]
fn single_column_table_becomes_local_additions() {
    let f = Fixture::mini();
    let run = import(
        &f,
        &[
            &table("single-column-bom.csv"),
            "--domain",
            "shehui-jiuzhu",
            "--as",
            "local",
        ],
    );
    run.expect_code(0);
    assert!(
        run.stdout().contains("standard/local/shehui-jiuzhu.toml"),
        "{}",
        run.stdout()
    );
    let local = f.read("standard/local/shehui-jiuzhu.toml");
    assert!(local.contains("level2 = \"救助资金年度报告\""));
    assert!(
        local.contains("deadline = \"每半年\"\ncadence = \"half-yearly\""),
        "{local}"
    );
    assert!(
        local.contains("\"备注\" = \"涉及个人隐私的内容不公开\""),
        "{local}"
    );
    assert!(
        local.contains("channels = [\"政府网站\", \"便民服务站\"]"),
        "政府网站；便民服务站 split"
    );
    assert!(local.contains("mode = \"依申请\""));
    // The national file is untouched.
    let national = std::fs::read_to_string(
        repo().join("tests/fixtures/mini/catalog/standard/shehui-jiuzhu.toml"),
    )
    .expect("read");
    assert_eq!(f.read("standard/shehui-jiuzhu.toml"), national);

    f.build().expect_code(0);
    let county = f.page("xian/shehui-jiuzhu/index.html");
    assert!(county.contains("救助资金年度报告") && county.contains("本级补充"));
    let town = f.page("xian/zhen/shehui-jiuzhu/index.html");
    assert!(
        town.contains("临时救助审批结果"),
        "a 乡级 item on the town's page"
    );
    assert!(
        !county.contains("临时救助审批结果"),
        "and not on the county's"
    );
}

#[test]
fn local_import_skips_rows_the_national_catalogue_has() {
    let f = Fixture::mini();
    let run = import(&f, &[&table("shehui-jiuzhu.xlsx"), "--as", "local"]);
    run.expect_code(0);
    assert!(
        run.stderr()
            .contains("3 个事项已在国家标准目录中，未写入本级补充文件"),
        "{}",
        run.stderr()
    );
    let local = f.read("standard/local/shehui-jiuzhu.toml");
    assert_eq!(local.matches("[[items]]").count(), 4, "{local}");
    assert!(!local.contains("id = \"dibao-zhengce\""));
    f.build().expect_code(0);
}

#[test]
fn rows_that_cannot_be_understood_are_named_and_nothing_is_written() {
    let f = Fixture::mini();
    let before = f.read("standard/shehui-jiuzhu.toml");
    let run = import(&f, &[&table("bad-rows.csv"), "--domain", "shehui-jiuzhu"]);
    run.expect_code(1);
    let err = run.stderr();
    for expected in [
        "错误[import-refused] bad-rows.csv 第 3 行 B 列\n  一级事项为空，上面也没有可沿用的一级事项。",
        "错误[import-refused] bad-rows.csv 第 5 行 I 列\n  “资金发放”一行的公开对象没有勾选",
        "错误[import-refused] bad-rows.csv 第 6 行 K 列\n  无法识别的标记“x?”。",
        "未写入任何文件",
    ] {
        assert!(err.contains(expected), "{expected}\n---\n{err}");
    }
    assert_eq!(f.read("standard/shehui-jiuzhu.toml"), before);
}

#[test]
fn dry_run_shows_added_changed_and_removed_without_writing() {
    let f = Fixture::mini();
    // Without entries under linshi-jiuzhu, the two-row table may drop it.
    std::fs::remove_dir_all(f.dir().join("catalog/units/xian/zhen/shehui-jiuzhu")).expect("rm");
    let run = dry_run(&f, &[&table("two-domains.xlsx"), "--sheet", "社会救助"]);
    run.expect_code(0);
    let out = run.stdout();
    assert!(
        out.contains("新增 0 项，修改 2 项，删除 1 项，不变 0 项"),
        "{out}"
    );
    assert!(
        // The sheet's 乡、村级 column now also names the villages: 公开层级 changes too.
        out.contains(
            "  ~ dibao-zhengce  最低生活保障 / 政策法规文件（公开依据、公开主体、公开层级）"
        ),
        "{out}"
    );
    assert!(
        out.contains("  - linshi-jiuzhu  临时救助 / 办事指南"),
        "{out}"
    );
    assert!(run.stderr().contains("试运行"));

    let run = dry_run(&f, &[&table("shehui-jiuzhu.xlsx")]);
    let out = run.stdout();
    assert!(
        out.contains("  + jiuzhu-duixiang-mingdan  临时救助 / 救助对象名单"),
        "{out}"
    );
    assert!(
        out.contains("  ~ linshi-jiuzhu  临时救助 / 办事指南（公开内容、公开依据、公开时限、审计期限、公开主体、公开层级、本地栏目）"),
        "{out}"
    );
}

#[test]
fn removing_an_item_that_has_entries_is_refused() {
    let f = Fixture::mini();
    let before = f.read("standard/shehui-jiuzhu.toml");
    let run = import(&f, &[&table("two-domains.xlsx"), "--sheet", "社会救助"]);
    run.expect_code(1);
    assert!(
        run.stderr().contains(
            "表格中没有事项“临时救助 / 办事指南”（linshi-jiuzhu），但 units/ 中已有 1 条信息"
        ),
        "{}",
        run.stderr()
    );
    assert_eq!(f.read("standard/shehui-jiuzhu.toml"), before);
}

#[test]
fn a_workbook_of_several_domains_is_read_sheet_by_sheet() {
    let f = Fixture::mini();
    std::fs::remove_dir_all(f.dir().join("catalog/units/xian/zhen/shehui-jiuzhu")).expect("rm");
    let run = import(&f, &[&table("two-domains.xlsx")]);
    run.expect_code(0);
    let out = run.stdout();
    assert!(
        out.contains(
            "standard/shehui-jiuzhu.toml（社会救助，来自 two-domains.xlsx 工作表「社会救助」）"
        ),
        "{out}"
    );
    assert!(out.contains("standard/caizheng-yujuesuan.toml（财政预决算，来自 two-domains.xlsx 工作表「财政预决算」）"), "{out}");
    assert!(
        run.stderr().contains("工作表「说明」\n  没有找到目录表头"),
        "{}",
        run.stderr()
    );
    let budget = f.read("standard/caizheng-yujuesuan.toml");
    assert!(
        budget.contains(
            "deadline = \"本级人大或其常委会批准后20日内\"\ncadence = \"yearly\"\nlimit_unit = \"calendar\""
        ),
        "an unchanged 公开时限 keeps the file's audit reading: {budget}"
    );
    f.build().expect_code(0);

    let both = import(
        &f,
        &[&table("two-domains.xlsx"), "--domain", "shehui-jiuzhu"],
    );
    both.expect_code(2);
    assert!(both.stderr().contains("--domain 只能用于一张表"));
}

#[test]
fn unreadable_inputs_are_usage_errors_in_chinese() {
    let f = Fixture::mini();
    f.write("../notes.docx", "not a table");
    let run = import(&f, &["notes.docx"]);
    run.expect_code(2);
    assert!(
        run.stderr().contains("不认识“.docx”文件"),
        "{}",
        run.stderr()
    );
    let run = import(&f, &[&table("single-column-bom.csv")]);
    run.expect_code(1);
    assert!(
        run.stderr().contains("无法从标题、工作表名或文件名判断"),
        "{}",
        run.stderr()
    );
    let run = import(
        &f,
        &[&table("shehui-jiuzhu.xlsx"), "--domain", "shehui-jiuzu"],
    );
    run.expect_code(2);
    assert!(
        run.stderr().contains("是否想写“shehui-jiuzhu”"),
        "{}",
        run.stderr()
    );
}

/// The repository's 26-domain standard written out as the tables districts publish (GBK CSV, title
/// row, two header rows, 一级事项 blank below its first row, ■/□ channel boxes, √ ticks) and
/// imported back: every file comes back byte for byte, ids, comments and hand-set audit cadences
/// (a yearly item whose 公开时限 text does not say so) included.
#[test]
fn the_national_standard_survives_a_round_trip_through_table_form() {
    const KNOWN: [&str; 12] = [
        "政府网站",
        "政府公报",
        "两微一端",
        "发布会/听证会",
        "广播电视",
        "纸质媒体",
        "公开查阅点",
        "政务服务中心",
        "便民服务站",
        "入户/现场",
        "社区/企事业单位/村公示栏(电子屏)",
        "精准推送",
    ];
    let f = Fixture::sample();
    let mut stems = Vec::new();
    for entry in std::fs::read_dir(f.dir().join("catalog/standard")).expect("standard") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            stems.push(path);
        }
    }
    stems.sort();
    assert_eq!(stems.len(), 26);
    let originals: Vec<String> = stems
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("read"))
        .collect();
    for (path, text) in stems.iter().zip(&originals) {
        let domain: toml::Table = toml::from_str(text).expect("toml");
        // An item takes what it does not set from the file's [defaults], as a table repeats it.
        let defaults = domain
            .get("defaults")
            .cloned()
            .unwrap_or_else(|| toml::Value::Table(toml::Table::new()));
        let get = |v: &toml::Value, k: &str| v.get(k).or(defaults.get(k)).cloned();
        let s = |v: &toml::Value, k: &str| {
            get(v, k)
                .and_then(|x| x.as_str().map(str::to_owned))
                .expect(k)
        };
        let mut rows: Vec<Vec<String>> = vec![
            vec![format!(
                "示例区{}领域基层政务公开标准目录",
                domain["name"].as_str().expect("name")
            )],
            [
                "序号",
                "公开事项",
                "",
                "公开内容（要素）",
                "公开依据",
                "公开时限",
                "公开主\n体",
                "公开渠道和载体",
                "公开对象",
                "",
                "公开方式",
                "",
                "公开层级",
                "",
                "",
            ]
            .map(String::from)
            .to_vec(),
            [
                "",
                "一级事项",
                "二级事项",
                "",
                "",
                "",
                "",
                "",
                "全社会",
                "特定群众",
                "主动",
                "依申请公开",
                "区县级",
                "乡镇级",
                "村（社区）级",
            ]
            .map(String::from)
            .to_vec(),
        ];
        let mut previous = String::new();
        for (i, item) in domain["items"]
            .as_array()
            .expect("items")
            .iter()
            .enumerate()
        {
            let channels: Vec<String> = get(item, "channels")
                .expect("channels")
                .as_array()
                .expect("channels")
                .iter()
                .map(|c| c.as_str().expect("channel").to_owned())
                .collect();
            let mut boxes: Vec<String> = KNOWN
                .iter()
                .map(|k| {
                    format!(
                        "{}{k}",
                        if channels.iter().any(|c| c == k) {
                            "■"
                        } else {
                            "□"
                        }
                    )
                })
                .collect();
            let others: Vec<&str> = channels
                .iter()
                .map(String::as_str)
                .filter(|c| !KNOWN.contains(c))
                .collect();
            if !others.is_empty() {
                boxes.push(format!("■其他：{}", others.join("、")));
            }
            let levels = get(item, "levels").expect("levels");
            let levels = levels.as_array().expect("levels");
            let has = |v: &str| levels.iter().any(|l| l.as_str() == Some(v));
            let tick = |b: bool| if b { "√".to_owned() } else { String::new() };
            let level1 = s(item, "level1");
            rows.push(vec![
                (i + 1).to_string(),
                if level1 == previous {
                    String::new()
                } else {
                    level1.clone()
                },
                s(item, "level2"),
                s(item, "content"),
                s(item, "basis"),
                s(item, "deadline"),
                s(item, "subject"),
                boxes.join(" "),
                tick(s(item, "audience") == "全社会"),
                tick(s(item, "audience") == "特定群体"),
                tick(s(item, "mode") == "主动"),
                tick(s(item, "mode") == "依申请"),
                tick(has("county")),
                tick(has("township")),
                tick(has("village")),
            ]);
            previous = level1;
        }
        let mut csv = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        for row in &rows {
            csv.write_record(row).expect("csv");
        }
        let utf8 = String::from_utf8(csv.into_inner().expect("csv")).expect("utf8");
        let (gbk, _, unmappable) = encoding_rs::GBK.encode(&utf8);
        assert!(!unmappable, "{} fits GBK", path.display());
        let name = format!("{}.csv", path.file_stem().expect("stem").to_string_lossy());
        std::fs::write(f.dir().join(&name), &gbk).expect("write");
        import(&f, &[&name]).expect_code(0);
    }
    // The items come back as they were (comments between them are not kept when the file is
    // rewritten); the description is now the table's (its title).
    let items = |text: &str| text.parse::<toml::Table>().expect("toml")["items"].clone();
    for (path, original) in stems.iter().zip(&originals) {
        let now = std::fs::read_to_string(path).expect("read");
        assert_eq!(items(&now), items(original), "{}", path.display());
        assert!(now.contains("guideline = \"示例区"), "{now}");
        assert!(now.contains("issuer = \"\"\n"), "{now}");
    }
    f.build().expect_code(0);
}

/// A table with the traps found in review: only the channels split into sub-columns, a section
/// heading and a note written in the 公开事项 column, 律 (pinyin lü) in a name, a date in the
/// 公开时限, 村（社区） as the level (村级), and two columns both headed 备注.
const TRICKY: &str = "\
序号,公开事项,公开内容,公开时限,公开渠道和载体,,公开对象,公开方式,公开层级,备注,备注
,,,,政府网站,公开查阅点,,,,,
,一、法律法规,,,,,,,,,
1,法律法规,相关法律法规,信息形成之日起20个工作日内,√,,全社会,主动,县级、乡级,甲,乙
2,年度报告,年度工作报告,于每年3月31日之前,√,√,全社会,主动,村（社区）,,
,注：本表由示例县民政局编制,,,,,,,,,
";

#[test]
fn review_traps_are_read_as_a_person_would() {
    let f = Fixture::mini();
    f.write("../tricky.csv", TRICKY);
    let run = import(
        &f,
        &["tricky.csv", "--domain", "shehui-jiuzhu", "--as", "local"],
    );
    run.expect_code(0);
    assert!(
        run.stderr()
            .contains("第 6 行\n  说明行未导入：“注：本表由示例县民政局编制”"),
        "{}",
        run.stderr()
    );
    let local = f.read("standard/local/shehui-jiuzhu.toml");
    let expected = "\
[[items]]
id = \"falv-fagui\"
level1 = \"法律法规\"
level2 = \"法律法规\"
content = \"相关法律法规\"
basis = \"\"
deadline = \"信息形成之日起20个工作日内\"
limit_days = 20
subject = \"\"
channels = [\"政府网站\"]
audience = \"全社会\"
mode = \"主动\"
levels = [\"county\", \"township\"]

[items.extra]
\"备注\" = \"甲\"
\"备注（2）\" = \"乙\"

[[items]]
id = \"niandu-baogao\"
level1 = \"法律法规\"
level2 = \"年度报告\"
content = \"年度工作报告\"
basis = \"\"
deadline = \"于每年3月31日之前\"
cadence = \"yearly\"
subject = \"\"
channels = [\"政府网站\", \"公开查阅点\"]
audience = \"全社会\"
mode = \"主动\"
levels = [\"village\"]
";
    assert!(local.ends_with(expected), "{local}");
    f.build().expect_code(0);

    // Entries filed under a local item keep it from being dropped by a later import.
    f.write(
        "units/xian/shehui-jiuzhu/falv-fagui/2024-01.md",
        "+++\n+++\n",
    );
    f.write(
        "../smaller.csv",
        TRICKY.replace("1,法律法规,", "1,法律法规汇编,"),
    );
    let run = import(
        &f,
        &["smaller.csv", "--domain", "shehui-jiuzhu", "--as", "local"],
    );
    run.expect_code(1);
    assert!(
        run.stderr().contains("standard/local/shehui-jiuzhu.toml\n  表格中没有事项“法律法规 / 法律法规”（falv-fagui），但 units/ 中已有 1 条信息"),
        "{}",
        run.stderr()
    );
}

/// A title naming two domains of equal length (社会救助, 养老服务) used to be read as the last one.
#[test]
fn a_title_naming_two_domains_is_not_guessed() {
    let f = Fixture::mini();
    f.write(
        "standard/yanglao-fuwu.toml",
        std::fs::read(repo().join("catalog/standard/yanglao-fuwu.toml")).expect("read"),
    );
    let table = "\
社会救助和养老服务公开事项标准目录,,,
序号,公开事项,公开内容,公开层级
1,救助资金年度报告,资金总额,县级
";
    f.write("../mulu.csv", table);
    let before = f.read("standard/yanglao-fuwu.toml");
    let run = import(&f, &["mulu.csv", "--as", "local"]);
    run.expect_code(1);
    let err = run.stderr();
    for expected in [
        "错误[import-refused] mulu.csv\n  标题、工作表名或文件名中同时出现了 2 个领域：“社会救助”（shehui-jiuzhu）、“养老服务”（yanglao-fuwu）",
        "用 --domain <id> 指定领域",
    ] {
        assert!(err.contains(expected), "{expected}\n---\n{err}");
    }
    assert_eq!(f.read("standard/yanglao-fuwu.toml"), before);
    assert!(!f.dir().join("catalog/standard/local").exists());

    // A later text (here the file name) that names just one of them decides.
    f.write("../shehui-jiuzhu-mulu.csv", table);
    let run = import(&f, &["shehui-jiuzhu-mulu.csv", "--as", "local"]);
    run.expect_code(0);
    assert!(
        run.stdout().contains("standard/local/shehui-jiuzhu.toml"),
        "{}",
        run.stdout()
    );
    // And --domain always does.
    let run = import(
        &f,
        &["mulu.csv", "--as", "local", "--domain", "yanglao-fuwu"],
    );
    run.expect_code(0);
}

/// A row with text in the 一级事项 column only (a merged heading row saved as CSV) was dropped with
/// a hint to write it in the 一级事项 column, and the rows below kept the group above it.
#[test]
fn a_row_with_only_a_level1_heads_the_rows_below() {
    let f = Fixture::mini();
    f.write(
        "../heading.csv",
        "\
序号,公开事项,,公开内容,公开层级
,一级事项,二级事项,,
1,最低生活保障,资金发放,低保资金发放情况,县级
,临时救助,,,
2,,救助标准,临时救助标准,县级
",
    );
    let run = import(
        &f,
        &["heading.csv", "--domain", "shehui-jiuzhu", "--as", "local"],
    );
    run.expect_code(0);
    let err = run.stderr();
    assert!(
        err.contains(
            "heading.csv 第 4 行 B 列\n  这一行只有一级事项“临时救助”，作为下面各行的一级事项"
        ),
        "{err}"
    );
    assert!(!err.contains("若它是一级事项"), "{err}");
    let local = f.read("standard/local/shehui-jiuzhu.toml");
    assert_eq!(local.matches("[[items]]").count(), 2, "{local}");
    assert!(
        local.contains("level1 = \"临时救助\"\nlevel2 = \"救助标准\""),
        "{local}"
    );
    f.build().expect_code(0);
}

/// An import that leaves a unit's [[exempt]] pointing at a removed item, or takes a level away
/// from an item a unit of that level files entries under, gives a catalog `build` rejects.
#[test]
fn exempt_items_and_levels_with_entries_are_not_stranded() {
    let f = Fixture::mini();
    // The town exempts caizheng-yujuesuan/zhengfu-yusuan (units/xian/zhen/unit.toml line 8).
    f.write(
        "../budget.csv",
        "一级事项,二级事项,公开内容,公开层级\n财政预决算,部门预算,部门预算表,县级、乡级\n",
    );
    let before = f.read("standard/caizheng-yujuesuan.toml");
    let run = import(&f, &["budget.csv", "--domain", "caizheng-yujuesuan"]);
    run.expect_code(1);
    let err = run.stderr();
    assert!(
        err.contains("错误[import-refused] standard/caizheng-yujuesuan.toml\n  表格中没有事项“财政预决算 / 政府预算”（zhengfu-yusuan），但 units/xian/zhen/unit.toml 第 8 行的不涉及事项 [[exempt]] item = \"caizheng-yujuesuan/zhengfu-yusuan\" 指向它"),
        "{err}"
    );
    assert_eq!(f.read("standard/caizheng-yujuesuan.toml"), before);

    // The town files an entry under linshi-jiuzhu (乡级); the table makes it 县级 only.
    let table = "\
一级事项,二级事项,公开内容,公开层级
最低生活保障,政策法规文件,最低生活保障相关法律法规、规章和规范性文件,县级、乡级
最低生活保障,审批信息,低保对象名单,县级
临时救助,办事指南,申请条件、所需材料、办理程序,县级
";
    f.write("../levels.csv", table);
    let before = f.read("standard/shehui-jiuzhu.toml");
    let run = import(&f, &["levels.csv", "--domain", "shehui-jiuzhu"]);
    run.expect_code(1);
    let err = run.stderr();
    assert!(
        err.contains("错误[import-refused] levels.csv 第 4 行 D 列\n  事项“临时救助 / 办事指南”（linshi-jiuzhu）的公开层级将改为县级，不再含乡级；但乡级单位“测试镇”（units/xian/zhen/unit.toml）在 units/xian/zhen/shehui-jiuzhu/linshi-jiuzhu/ 下已有 1 条信息"),
        "{err}"
    );
    assert_eq!(f.read("standard/shehui-jiuzhu.toml"), before);

    // With 乡级 kept, the import goes through and the catalog builds.
    f.write(
        "../levels.csv",
        table.replace("办理程序,县级", "办理程序,县级、乡级"),
    );
    import(&f, &["levels.csv", "--domain", "shehui-jiuzhu"]).expect_code(0);
    f.build().expect_code(0);
}

/// One sub-heading gongkai did not know (乡镇（街道）, 全社会公众, then 村级, now 州级) made the whole
/// second header row be read as an item named 一级事项.
#[test]
fn a_second_header_row_with_unknown_sub_headings_is_still_a_header() {
    let f = Fixture::mini();
    f.write(
        "../subheads.csv",
        "\
序号,公开事项,,公开内容,公开对象,,公开方式,,公开层级,,
,一级事项,二级事项,,全社会公众,特定群体（个人）,主动,依申请,县级,乡镇（街道）,州级
1,临时救助,救助标准,临时救助标准,√,,√,,√,√,√
",
    );
    let run = import(
        &f,
        &["subheads.csv", "--domain", "shehui-jiuzhu", "--as", "local"],
    );
    run.expect_code(0);
    let err = run.stderr();
    assert!(
        err.contains(
            "警告[import-doubt] subheads.csv 第 2 行 K 列\n  “公开层级”下的“州级”一栏无法理解"
        ),
        "{err}"
    );
    assert!(err.contains("本地栏目“公开层级/州级”"), "{err}");
    let local = f.read("standard/local/shehui-jiuzhu.toml");
    assert!(!local.contains("一级事项"), "{local}");
    assert_eq!(local.matches("[[items]]").count(), 1, "{local}");
    for expected in [
        "level1 = \"临时救助\"\nlevel2 = \"救助标准\"",
        "audience = \"全社会\"\nmode = \"主动\"\nlevels = [\"county\", \"township\"]",
        "\"公开层级/州级\" = \"√\"",
    ] {
        assert!(local.contains(expected), "{expected}\n---\n{local}");
    }
    f.build().expect_code(0);
}

/// A city without counties (不设区的市) heads its level column 市级, and many tables head the
/// group column 特定: both are understood; beside a 县级 column, 市级 is not taken for it.
#[test]
fn city_level_and_specific_audience_sub_headings_are_understood() {
    let f = Fixture::mini();
    f.write(
        "../city.csv",
        "\
序号,公开事项,,公开内容,公开对象,,公开方式,,公开层级,
,一级事项,二级事项,,全社会,特定,主动,依申请,市级,镇（街）级
1,临时救助,救助标准,临时救助标准,,√,√,,√,√
",
    );
    let run = import(
        &f,
        &["city.csv", "--domain", "shehui-jiuzhu", "--as", "local"],
    );
    run.expect_code(0);
    let err = run.stderr();
    assert!(
        err.contains(
            "说明[import-note] city.csv 第 2 行 I 列\n  “公开层级”下的“市级”一栏按县级导入"
        ),
        "{err}"
    );
    assert!(!err.contains("无法理解"), "{err}");
    let local = f.read("standard/local/shehui-jiuzhu.toml");
    assert!(
        local.contains(
            "audience = \"特定群体\"\nmode = \"主动\"\nlevels = [\"county\", \"township\"]"
        ),
        "{local}"
    );
    assert!(!local.contains("市级"), "{local}");
    f.build().expect_code(0);

    // Beside a 县级 column, 市级 is a level above the catalogue's: kept as a local column.
    f.write(
        "../city-and-county.csv",
        "\
序号,公开事项,,公开内容,公开层级,,
,一级事项,二级事项,,市级,县级,乡级
1,临时救助,救助标准,临时救助标准,√,√,√
",
    );
    let run = dry_run(
        &f,
        &[
            "city-and-county.csv",
            "--domain",
            "shehui-jiuzhu",
            "--as",
            "local",
        ],
    );
    run.expect_code(0);
    assert!(
        run.stderr().contains("“公开层级”下的“市级”一栏无法理解"),
        "{}",
        run.stderr()
    );
}

/// ○ and ◎ were not boxes, so "●政府网站 ○政府公报" gave one channel named "政府网站 ○政府公报".
#[test]
fn hollow_circles_are_empty_channel_boxes() {
    let f = Fixture::mini();
    f.write(
        "../circles.csv",
        "\
序号,公开事项,公开内容,公开渠道和载体,公开层级
1,救助标准,临时救助标准,●政府网站 ○政府公报 ◎两微一端,县级
2,救助名单,临时救助对象,○政府网站 ○政府公报,县级
",
    );
    let run = import(
        &f,
        &["circles.csv", "--domain", "shehui-jiuzhu", "--as", "local"],
    );
    run.expect_code(0);
    let err = run.stderr();
    assert!(
        err.contains(
            "警告[import-doubt] circles.csv 第 3 行 D 列\n  公开渠道和载体中的方框都没有勾选"
        ),
        "{err}"
    );
    assert!(!err.contains("第 2 行 D 列"), "{err}");
    let local = f.read("standard/local/shehui-jiuzhu.toml");
    assert!(
        local.contains("level2 = \"救助标准\"") && local.contains("channels = [\"政府网站\"]\n"),
        "{local}"
    );
}

/// A date typed into a cell came out as its serial number (45382), and an error value (#N/A) as
/// an empty cell, silently.
#[test]
fn excel_dates_are_dates_and_error_values_are_named() {
    let f = Fixture::mini();
    let run = import(
        &f,
        &[
            &table("dates-and-errors.xlsx"),
            "--sheet",
            "社会救助",
            "--as",
            "local",
        ],
    );
    run.expect_code(0);
    let local = f.read("standard/local/shehui-jiuzhu.toml");
    assert!(local.contains("deadline = \"2024-03-31\""), "{local}");
    assert!(!local.contains("45382"), "{local}");

    let run = import(
        &f,
        &[
            &table("dates-and-errors.xlsx"),
            "--sheet",
            "社会救助（有错误值）",
            "--as",
            "local",
        ],
    );
    run.expect_code(1);
    let err = run.stderr();
    for expected in [
        "错误[import-refused] dates-and-errors.xlsx 工作表「社会救助（有错误值）」 第 2 行 C 列\n  单元格是 Excel 的错误值“#N/A”",
        "警告[import-doubt] dates-and-errors.xlsx 工作表「社会救助（有错误值）」 第 2 行 A 列\n  单元格是 Excel 的错误值“#REF!”",
    ] {
        assert!(err.contains(expected), "{expected}\n---\n{err}");
    }
    assert_eq!(f.read("standard/local/shehui-jiuzhu.toml"), local);
}

/// A clerk's stray note in a sheet's very last cell (XFD1048576) makes the sheet 17 billion cells
/// wide and tall: the importer reads it cell by cell, names that cell and stops, instead of
/// asking for the whole grid's memory and being killed.
#[test]
fn a_stray_value_far_from_the_table_is_named_not_allocated() {
    let f = Fixture::mini();
    f.write(
        "../社会救助.xlsx",
        crate::hostile::xlsx(
            "社会救助",
            &[
                &["一级事项", "二级事项", "公开内容"],
                &["救助政策", "最低生活保障", "低保标准"],
            ],
        ),
    );
    let before = crate::harness::tree(f.dir());
    let run = import(&f, &["社会救助.xlsx"]);
    run.expect_code(2); // like any table that cannot be read
    let err = run.stderr();
    assert!(
        err.contains("社会救助.xlsx 工作表「社会救助」 第 1048576 行 XFD 列"),
        "{err}"
    );
    assert!(err.contains("1048576 行、16384 列"), "{err}");
    assert!(err.contains("“备注”"), "{err}");
    assert!(err.contains("删去这个单元格"), "{err}");
    assert!(
        crate::harness::tree(f.dir()) == before,
        "nothing is written"
    );
}

// ---- Real workbooks' layouts (issue #25): built here, cell by cell, as Excel writes them. ----

/// The header of the tables below: every standard column, and a local 联系电话.
const HEADER: [&str; 12] = [
    "序号",
    "一级事项",
    "二级事项",
    "公开内容",
    "公开依据",
    "公开时限",
    "公开主体",
    "公开渠道和载体",
    "公开对象",
    "公开方式",
    "公开层级",
    "联系电话",
];

/// The mini catalogue's three 社会救助 items as table rows (so that no item with entries goes).
fn jiuzhu_rows() -> Vec<Vec<&'static str>> {
    vec![
        vec![
            "1",
            "最低生活保障",
            "政策法规文件",
            "最低生活保障相关法律法规",
            "《中华人民共和国政府信息公开条例》",
            "制定或获取信息之日起10个工作日内",
            "县级人民政府民政部门",
            "政府网站、公开查阅点",
            "全社会",
            "主动",
            "县级、乡级",
            "0000-1234567",
        ],
        vec![
            "2",
            "最低生活保障",
            "审批信息",
            "低保对象名单",
            "《中华人民共和国政府信息公开条例》",
            "制定或获取信息之日起10个工作日内",
            "县级人民政府民政部门",
            "政府网站",
            "特定群体",
            "主动",
            "县级",
            "0000-1234567",
        ],
        vec![
            "3",
            "临时救助",
            "办事指南",
            "申请条件、所需材料、办理程序",
            "《社会救助暂行办法》",
            "制定或获取信息之日起20个工作日内",
            "乡镇人民政府（街道办事处）",
            "政府网站、便民服务站",
            "全社会",
            "主动",
            "县级、乡级",
            "0000-7654321",
        ],
    ]
}

fn xml_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// What a sheet of [`xlsx_sheets`] holds beyond its cells.
#[derive(Default)]
struct Extras {
    /// Hidden rows (0-based).
    hidden_rows: Vec<usize>,
    /// Hidden columns (0-based).
    hidden_cols: Vec<usize>,
    /// Cells (0-based) holding a formula and no saved value, as a generator writes them.
    formulas: Vec<(usize, usize)>,
}

/// An `.xlsx` workbook of `sheets` (name, rows of inline strings, extras), written part by part.
fn xlsx_sheets(sheets: &[(&str, Vec<Vec<&str>>, Extras)]) -> Vec<u8> {
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let letter = |c: usize| ((b'A' + c as u8) as char).to_string();
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    let mut listed = String::new();
    let mut rels = String::new();
    for (k, (name, rows, extras)) in sheets.iter().enumerate() {
        let n = k + 1;
        listed.push_str(&format!(
            r#"<sheet name="{}" sheetId="{n}" r:id="rId{n}"/>"#,
            xml_text(name)
        ));
        rels.push_str(&format!(
            r#"<Relationship Id="rId{n}" Type="{R}/worksheet" Target="worksheets/sheet{n}.xml"/>"#
        ));
        let mut xml =
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">"#);
        if !extras.hidden_cols.is_empty() {
            xml.push_str("<cols>");
            for c in &extras.hidden_cols {
                xml.push_str(&format!(
                    r#"<col min="{0}" max="{0}" width="0" hidden="1" customWidth="1"/>"#,
                    c + 1
                ));
            }
            xml.push_str("</cols>");
        }
        xml.push_str("<sheetData>");
        for (r, row) in rows.iter().enumerate() {
            let hidden = if extras.hidden_rows.contains(&r) {
                r#" hidden="1""#
            } else {
                ""
            };
            xml.push_str(&format!(r#"<row r="{}"{hidden}>"#, r + 1));
            for (c, text) in row.iter().enumerate() {
                let at = format!("{}{}", letter(c), r + 1);
                if extras.formulas.contains(&(r, c)) {
                    xml.push_str(&format!(r#"<c r="{at}" t="str"><f>A1&amp;"号"</f></c>"#));
                } else if !text.is_empty() {
                    xml.push_str(&format!(
                        r#"<c r="{at}" t="inlineStr"><is><t>{}</t></is></c>"#,
                        xml_text(text)
                    ));
                }
            }
            xml.push_str("</row>");
        }
        xml.push_str("</sheetData></worksheet>");
        parts.push((format!("xl/worksheets/sheet{n}.xml"), xml.into_bytes()));
    }
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{R}"><sheets>{listed}</sheets></workbook>"#
    );
    let rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#
    );
    parts.push(("xl/workbook.xml".into(), workbook.into_bytes()));
    parts.push(("xl/_rels/workbook.xml.rels".into(), rels.into_bytes()));
    parts.push(("[Content_Types].xml".into(), br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#.to_vec()));
    parts.push(("_rels/.rels".into(), br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_vec()));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in &parts {
        zip.start_file(name.as_str(), options).expect("part");
        std::io::Write::write_all(&mut zip, content).expect("write part");
    }
    zip.finish().expect("zip").into_inner()
}

/// A 社会救助 sheet: title, header, the rows given.
fn jiuzhu_sheet(rows: Vec<Vec<&'static str>>) -> Vec<Vec<&'static str>> {
    let mut all = vec![
        vec!["测试县社会救助领域基层政务公开标准目录"],
        HEADER.to_vec(),
    ];
    all.extend(rows);
    all
}

/// Writes `bytes` as `name` in the fixture's folder and returns its path.
fn put(f: &Fixture, name: &str, bytes: &[u8]) -> String {
    let path = f.dir().join(name);
    std::fs::write(&path, bytes).expect("write table");
    path.to_string_lossy().into_owned()
}

/// Writes a one-sheet 社会救助 workbook of `rows` (under [`jiuzhu_sheet`]'s title and header)
/// as `name` in the fixture's folder and returns its path.
fn put_jiuzhu(f: &Fixture, name: &str, rows: Vec<Vec<&'static str>>) -> String {
    put(
        f,
        name,
        &xlsx_sheets(&[("社会救助", jiuzhu_sheet(rows), Extras::default())]),
    )
}

/// Every file of the built site, as text.
fn built_site(f: &Fixture) -> String {
    crate::harness::tree(&f.dir().join("public"))
        .into_iter()
        .map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned())
        .collect()
}

#[test]
fn hidden_rows_and_columns_are_skipped_listed_and_never_published() {
    let f = Fixture::mini();
    let mut rows = jiuzhu_rows();
    rows[0][11] = "13900001111";
    // A hidden row: an item a clerk set aside.
    rows.insert(
        1,
        vec![
            "9",
            "最低生活保障",
            "隐藏事项甲",
            "隐藏内容乙",
            "依据",
            "10个工作日内",
            "民政部门",
            "政府网站",
            "全社会",
            "主动",
            "县级",
            "",
        ],
    );
    let book = xlsx_sheets(&[(
        "社会救助",
        jiuzhu_sheet(rows),
        Extras {
            hidden_rows: vec![3],
            hidden_cols: vec![11],
            ..Extras::default()
        },
    )]);
    let file = put(&f, "hidden.xlsx", &book);
    // The dry run shows the domain's description becoming the district's.
    let dry = dry_run(&f, &[&file]);
    dry.expect_code(0);
    for line in [
        "  * 标准指引（guideline）：“《民政部办公厅关于印发社会救助和养老服务领域基层政务公开标准指引的通知》（民办函〔2019〕52号）” → “测试县社会救助领域基层政务公开标准目录”（表格标题）",
        "  * 发布机关（issuer）：“民政部办公厅” → 清空（表格没有写明）",
        "  * 说明（notes）：“测试用的精简目录。” → 清空（表格没有说明）",
    ] {
        assert!(dry.stdout().contains(line), "{line}\n---\n{}", dry.stdout());
    }
    let run = import(&f, &[&file]);
    run.expect_code(0);
    let err = run.stderr();
    assert!(
        err.contains("hidden.xlsx 工作表「社会救助」\n  隐藏的列未导入：L 列（联系电话）。"),
        "{err}"
    );
    assert!(err.contains("隐藏的行未导入：第 4 行。"), "{err}");
    assert!(err.contains("--include-hidden"), "{err}");
    let standard = f.read("standard/shehui-jiuzhu.toml");
    for hidden in ["13900001111", "隐藏事项甲", "隐藏内容乙", "0000-7654321"] {
        assert!(!standard.contains(hidden), "{hidden} imported: {standard}");
    }
    f.build().expect_code(0);
    let site = built_site(&f);
    assert!(
        site.contains("便民服务站"),
        "the visible cells are published"
    );
    for hidden in ["13900001111", "隐藏事项甲", "隐藏内容乙", "0000-7654321"] {
        assert!(!site.contains(hidden), "{hidden} published");
    }
    let domain = f.page("xian/shehui-jiuzhu/index.html");
    assert!(
        domain.contains("依据：测试县社会救助领域基层政务公开标准目录。"),
        "the domain page names the district's catalogue"
    );
    // Idempotent: the same workbook again changes nothing.
    let again = import(&f, &[&file]);
    again.expect_code(0);
    assert!(
        again
            .stdout()
            .contains("新增 0 项，修改 0 项，删除 0 项，不变 3 项"),
        "{}",
        again.stdout()
    );
    assert_eq!(f.read("standard/shehui-jiuzhu.toml"), standard);
    // Asked for, the hidden cells are imported.
    let run = dry_run(&f, &[&file, "--include-hidden"]);
    run.expect_code(0);
    assert!(run.stdout().contains("隐藏事项甲"), "{}", run.stdout());
    assert!(!run.stderr().contains("隐藏的列未导入"), "{}", run.stderr());
}

#[test]
fn empty_required_cells_are_errors_and_nothing_is_written() {
    let f = Fixture::mini();
    let before = f.read("standard/shehui-jiuzhu.toml");
    let mut rows = jiuzhu_rows();
    rows[1][4] = ""; // 公开依据
    rows[2][6] = ""; // 公开主体
    let file = put_jiuzhu(&f, "empty.xlsx", rows);
    let run = import(&f, &[&file]);
    run.expect_code(1);
    let err = run.stderr();
    for expected in [
        "错误[import-refused] empty.xlsx 工作表「社会救助」 第 4 行 E 列\n  “审批信息”一行的公开依据为空。",
        "错误[import-refused] empty.xlsx 工作表「社会救助」 第 5 行 G 列\n  “办事指南”一行的公开主体为空。",
        "未写入任何文件",
    ] {
        assert!(err.contains(expected), "{expected}\n---\n{err}");
    }
    assert_eq!(f.read("standard/shehui-jiuzhu.toml"), before);
    // A row with an error in a dry run: its item is not listed as deleted.
    let mut rows = jiuzhu_rows();
    rows[2][8] = "x?"; // 公开对象 not understood: the row is left out
    let file = put_jiuzhu(&f, "bad.xlsx", rows);
    let run = dry_run(&f, &[&file]);
    run.expect_code(1);
    let out = run.stdout();
    assert!(out.contains("删除待定（表格改正后才能确定）"), "{out}");
    assert!(!out.contains("  - "), "{out}");
    assert!(
        !run.stderr().contains("无处归属"),
        "no refusal for an item only its bad row hid: {}",
        run.stderr()
    );
    // In a CSV, a blank under a filled cell is a merged cell; a blank in the first row is not.
    let mut csv = String::from("测试县社会救助领域基层政务公开标准目录\n");
    csv.push_str(&HEADER.join(","));
    csv.push('\n');
    let mut rows = jiuzhu_rows();
    rows[0][5] = "";
    for row in rows {
        csv.push_str(&row.join(","));
        csv.push('\n');
    }
    let file = put(&f, "empty.csv", csv.as_bytes());
    let run = import(&f, &[&file, "--domain", "shehui-jiuzhu"]);
    run.expect_code(1);
    assert!(
        run.stderr().contains(
            "错误[import-refused] empty.csv 第 3 行 F 列\n  “政策法规文件”一行的公开时限为空。"
        ),
        "{}",
        run.stderr()
    );
    assert_eq!(f.read("standard/shehui-jiuzhu.toml"), before);
}

#[test]
fn a_formula_without_a_saved_value_says_to_save_it_in_excel() {
    let f = Fixture::mini();
    let before = f.read("standard/shehui-jiuzhu.toml");
    let file = put(
        &f,
        "formula.xlsx",
        &xlsx_sheets(&[(
            "社会救助",
            jiuzhu_sheet(jiuzhu_rows()),
            Extras {
                formulas: vec![(3, 3)],
                ..Extras::default()
            },
        )]),
    );
    let run = import(&f, &[&file]);
    run.expect_code(1);
    let err = run.stderr();
    assert!(
        err.contains("错误[import-refused] formula.xlsx 工作表「社会救助」 第 4 行 D 列\n  单元格是公式，但工作簿没有保存它的计算结果"),
        "{err}"
    );
    assert!(err.contains("在 Excel 中打开并保存后再导入"), "{err}");
    assert!(
        !err.contains("公开内容为空"),
        "one error for the cell, not two: {err}"
    );
    assert_eq!(f.read("standard/shehui-jiuzhu.toml"), before);
}

#[test]
fn csv_saved_from_merged_cells_fills_every_merged_column() {
    let f = Fixture::mini();
    let mut csv = String::from("测试县社会救助领域基层政务公开标准目录\n");
    csv.push_str(&HEADER.join(","));
    csv.push('\n');
    let mut rows = jiuzhu_rows();
    // Rows 2 and 3 were merged with row 1 in every column but the item's names.
    for row in &mut rows[1..] {
        for c in [3, 4, 5, 6, 7, 8, 9, 10, 11] {
            row[c] = "";
        }
    }
    for row in rows {
        csv.push_str(&row.join(","));
        csv.push('\n');
    }
    let file = put(&f, "merged.csv", csv.as_bytes());
    let run = import(&f, &[&file, "--domain", "shehui-jiuzhu"]);
    run.expect_code(0);
    let err = run.stderr();
    assert!(
        err.contains("这些空白单元格沿用了上一行的内容：D 列（公开内容）第 4–5 行；E 列（公开依据）第 4–5 行；F 列（公开时限）第 4–5 行；G 列（公开主体）第 4–5 行；H 列第 4–5 行；I 列第 4–5 行；J 列第 4–5 行；K 列第 4–5 行。"),
        "{err}"
    );
    let standard = f.read("standard/shehui-jiuzhu.toml");
    let guide = &standard[standard
        .find("id = \"linshi-jiuzhu\"")
        .expect("linshi-jiuzhu")..];
    assert!(
        guide.contains("channels = [\"政府网站\", \"公开查阅点\"]"),
        "channels filled down, not an empty list: {guide}"
    );
    assert!(
        guide.contains("levels = [\"county\", \"township\"]"),
        "{guide}"
    );
    f.build().expect_code(0);
}

/// The 财政预决算 table stacked under the 社会救助 one.
fn stacked_sheet(second_title: &'static str) -> Vec<Vec<&'static str>> {
    let mut rows = jiuzhu_sheet(jiuzhu_rows());
    rows.push(vec![]);
    rows.push(vec![second_title]);
    rows.push(HEADER.to_vec());
    rows.push(vec![
        "1",
        "财政预决算",
        "政府预算",
        "政府预算报告和报表",
        "《中华人民共和国预算法》",
        "批准后20日内",
        "县级财政部门",
        "政府网站",
        "全社会",
        "主动",
        "县级、乡级",
        "",
    ]);
    rows
}

#[test]
fn tables_stacked_in_one_sheet_go_to_their_own_domains() {
    let f = Fixture::mini();
    let file = put(
        &f,
        "stacked.xlsx",
        &xlsx_sheets(&[(
            "目录",
            stacked_sheet("测试县财政预决算领域基层政务公开标准目录"),
            Extras::default(),
        )]),
    );
    let run = import(&f, &[&file]);
    run.expect_code(0);
    let out = run.stdout();
    assert!(
        out.contains(
            "standard/shehui-jiuzhu.toml（社会救助，来自 stacked.xlsx 工作表「目录」 第 1 行）："
        ),
        "{out}"
    );
    assert!(
        out.contains("standard/caizheng-yujuesuan.toml（财政预决算，来自 stacked.xlsx 工作表「目录」 第 7 行）"),
        "{out}"
    );
    assert!(
        run.stderr().contains("上下排着 2 张目录表"),
        "{}",
        run.stderr()
    );
    let caizheng = f.read("standard/caizheng-yujuesuan.toml");
    assert!(caizheng.contains("《中华人民共和国预算法》"), "{caizheng}");
    assert!(!f.read("standard/shehui-jiuzhu.toml").contains("预算法"));
    f.build().expect_code(0);

    // A stacked table whose title names no domain: the whole import is refused.
    let g = Fixture::mini();
    let before = g.read("standard/shehui-jiuzhu.toml");
    let file = put(
        &g,
        "stacked.xlsx",
        &xlsx_sheets(&[("目录", stacked_sheet("附表二"), Extras::default())]),
    );
    let run = import(&g, &[&file]);
    run.expect_code(1);
    assert!(
        run.stderr().contains(
            "错误[import-refused] stacked.xlsx 工作表「目录」 第 7 行\n  这张表的标题“附表二”没有写明领域"
        ),
        "{}",
        run.stderr()
    );
    assert_eq!(g.read("standard/shehui-jiuzhu.toml"), before);
    // Nor is a table without a title under a blank row taken for rows of the one above.
    let mut rows = stacked_sheet("");
    rows.remove(rows.len() - 3);
    let file = put(
        &g,
        "untitled.xlsx",
        &xlsx_sheets(&[("目录", rows, Extras::default())]),
    );
    let run = import(&g, &[&file]);
    run.expect_code(1);
    assert!(
        run.stderr().contains(
            "错误[import-refused] untitled.xlsx 工作表「目录」 第 7 行\n  这张表没有标题，无法判断它属于哪个领域"
        ),
        "{}",
        run.stderr()
    );
    assert_eq!(g.read("standard/shehui-jiuzhu.toml"), before);
}

#[test]
fn a_workbook_named_csv_is_read_as_a_workbook() {
    let as_xlsx = Fixture::mini();
    import(
        &as_xlsx,
        &[&put_jiuzhu(&as_xlsx, "mulu.xlsx", jiuzhu_rows())],
    )
    .expect_code(0);
    let as_csv = Fixture::mini();
    let run = import(&as_csv, &[&put_jiuzhu(&as_csv, "mulu.csv", jiuzhu_rows())]);
    run.expect_code(0);
    assert!(
        run.stderr()
            .contains("mulu.csv\n  这是 Excel 工作簿（.xlsx），不是 CSV 文件：已按工作簿读取。"),
        "{}",
        run.stderr()
    );
    assert_eq!(
        as_csv.read("standard/shehui-jiuzhu.toml"),
        as_xlsx.read("standard/shehui-jiuzhu.toml")
    );
    as_csv.build().expect_code(0);
}

#[test]
fn dry_run_output_with_a_changed_a_new_and_a_failing_row() {
    let f = Fixture::mini();
    let rows = jiuzhu_rows();
    let mut failing = rows[2].clone();
    failing[8] = "x?"; // 公开对象 not understood: the row is refused
    let new = vec![
        "4",
        "最低生活保障",
        "资金发放",
        "低保资金发放情况",
        "《社会救助暂行办法》",
        "每月10日前",
        "县级人民政府民政部门",
        "政府网站",
        "全社会",
        "主动",
        "县级",
        "0000-1234567",
    ];
    // dibao-zhengce's content differs from the standard file's: a changed row.
    let table = vec![rows[0].clone(), new, failing];
    let file = put_jiuzhu(&f, "dry-run.xlsx", table);
    let run = dry_run(&f, &[&file]);
    run.expect_code(1);
    insta::assert_snapshot!(
        "import_dry_run",
        format!("--- stdout\n{}--- stderr\n{}", run.stdout(), run.stderr())
    );

    // The same findings as JSON, in the shape of check --format json, with the cell's sheet and
    // column; `removed` is unknown while a row is refused.
    let run = dry_run(&f, &[&file, "--format", "json"]);
    run.expect_code(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).expect("JSON on stdout");
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["errors"], 1);
    assert_eq!(json["written"], false);
    let finding = &json["findings"][0];
    assert_eq!(finding["code"], "import-refused");
    assert_eq!(finding["severity"], "error");
    assert_eq!(finding["file"], "dry-run.xlsx");
    assert_eq!(finding["sheet"], "社会救助");
    assert_eq!(finding["line"], 5);
    assert_eq!(finding["column"], "I");
    let changes = &json["files"][0];
    assert_eq!(changes["path"], "standard/shehui-jiuzhu.toml");
    assert_eq!(changes["added"], serde_json::json!(["zijin-fafang"]));
    assert_eq!(changes["changed"], serde_json::json!(["dibao-zhengce"]));
    assert!(changes["removed"].is_null(), "{json}");

    // Each import code is explained.
    for code in ["import-refused", "import-doubt", "import-note"] {
        let run = f.run(&["explain", code]);
        run.expect_code(0);
        assert!(run.stdout().contains("import-standard"), "{}", run.stdout());
    }
}
