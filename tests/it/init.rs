//! `gongkai init`: a new catalog that builds and checks at once, from nothing or from a CSV of
//! the district's units; bad CSVs are refused with the row named; nothing is overwritten.

use crate::harness::Fixture;

const HEADER: &str = "名称,层级,区划代码,上级区划代码,发布机构\n";

/// A CSV with one county and fifteen towns.
fn district_csv() -> String {
    let towns = [
        "东山镇",
        "西山镇",
        "南湖镇",
        "北岭镇",
        "青石乡",
        "白水乡",
        "红旗街道",
        "新华街道",
        "城关镇",
        "长安街道",
        "和平乡",
        "永安镇",
        "太平镇",
        "东山乡",
        "清河镇",
    ];
    let mut csv =
        format!("{HEADER}示例一区,县级,999003000000,999000000000,示例一区人民政府办公室\n");
    for (i, town) in towns.iter().enumerate() {
        csv.push_str(&format!(
            "{town},乡级,999003{:03}000,999003000000,{town}人民政府\n",
            i + 1
        ));
    }
    csv
}

fn write_csv(f: &Fixture, name: &str, bytes: &[u8]) -> String {
    std::fs::write(f.dir().join(name), bytes).expect("csv");
    name.to_owned()
}

#[test]
fn init_then_build_and_check_without_errors() {
    let f = Fixture::empty();
    f.run(&["init", "new"]).expect_code(0);
    for file in [
        "new/site.toml",
        "new/standard/shehui-jiuzhu.toml",
        "new/calendar/2026.toml",
        "new/units/shixian/unit.toml",
        "new/units/shixian/shizhen/unit.toml",
    ] {
        assert!(f.dir().join(file).is_file(), "{file}");
    }
    let site = std::fs::read_to_string(f.dir().join("new/site.toml")).expect("site");
    assert!(
        site.contains("政府网站标识码（10 位"),
        "keys are explained in Chinese"
    );
    let build = f.run(&[
        "build",
        "--root",
        "new",
        "--out",
        "out",
        "--as-of",
        "2025-06-30",
    ]);
    build.expect_code(0);
    assert!(
        f.dir()
            .join("out/shixian/shizhen/shehui-jiuzhu/index.html")
            .is_file()
    );
    let check = f.run(&[
        "check",
        "--root",
        "new",
        "--as-of",
        "2025-06-30",
        "--format",
        "json",
    ]);
    check.expect_code(0);
    assert!(check.stdout().contains("\"errors\": 0"));
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let f = Fixture::empty();
    std::fs::create_dir(f.dir().join("mine")).expect("mkdir");
    std::fs::write(f.dir().join("mine/笔记.txt"), "别删").expect("write");
    let run = f.run(&["init", "mine"]);
    run.expect_code(2);
    assert!(run.stderr().contains("不做任何修改"), "{}", run.stderr());
    assert_eq!(
        std::fs::read_dir(f.dir().join("mine"))
            .expect("dir")
            .count(),
        1
    );
    assert_eq!(
        std::fs::read_to_string(f.dir().join("mine/笔记.txt")).expect("note"),
        "别删"
    );
}

#[test]
fn init_from_a_csv_of_one_county_and_fifteen_towns() {
    let f = Fixture::empty();
    let csv = write_csv(&f, "units.csv", district_csv().as_bytes());
    f.run(&["init", "d", "--units", &csv]).expect_code(0);
    let units = f.dir().join("d/units");
    assert!(units.join("shiliyiqu/unit.toml").is_file());
    assert!(units.join("shiliyiqu/dongshanzhen/unit.toml").is_file());
    assert!(units.join("shiliyiqu/hongqijiedao/unit.toml").is_file());
    // 东山镇 and 东山乡 have different slugs; a true clash would get the code's last digits.
    assert!(units.join("shiliyiqu/dongshanxiang/unit.toml").is_file());
    let town_count = std::fs::read_dir(units.join("shiliyiqu"))
        .expect("county")
        .filter(|e| e.as_ref().is_ok_and(|e| e.path().is_dir()))
        .count();
    assert_eq!(town_count, 15);
    let unit =
        std::fs::read_to_string(units.join("shiliyiqu/dongshanzhen/unit.toml")).expect("unit");
    assert!(unit.contains("name = \"东山镇\""), "{unit}");
    assert!(unit.contains("level = \"township\""), "{unit}");
    assert!(unit.contains("publisher = \"东山镇人民政府\""), "{unit}");
    f.run(&[
        "build",
        "--root",
        "d",
        "--out",
        "out",
        "--as-of",
        "2025-06-30",
    ])
    .expect_code(0);
    assert!(
        f.dir()
            .join("out/shiliyiqu/qinghezhen/index.html")
            .is_file()
    );
    f.run(&["check", "--root", "d", "--as-of", "2025-06-30"])
        .expect_code(0);
    // Deterministic: the same CSV gives the same tree.
    f.run(&["init", "d2", "--units", &csv]).expect_code(0);
    assert_eq!(
        crate::harness::tree(&f.dir().join("d")),
        crate::harness::tree(&f.dir().join("d2"))
    );
}

#[test]
fn csv_with_bom_is_accepted() {
    let f = Fixture::empty();
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend(district_csv().as_bytes());
    let csv = write_csv(&f, "bom.csv", &bytes);
    f.run(&["init", "d", "--units", &csv]).expect_code(0);
    assert!(f.dir().join("d/units/shiliyiqu/unit.toml").is_file());
}

#[test]
fn gbk_csv_is_refused_with_a_fix() {
    let f = Fixture::empty();
    // "名称" in GBK, enough to be recognisably GBK.
    let mut bytes = vec![0xC3, 0xFB, 0xB3, 0xC6];
    bytes.extend(b",x\n");
    let csv = write_csv(&f, "gbk.csv", &bytes);
    let run = f.run(&["init", "d", "--units", &csv]);
    run.expect_code(1);
    assert!(run.stderr().contains("GBK"), "{}", run.stderr());
    assert!(run.stderr().contains("CSV UTF-8"), "{}", run.stderr());
    assert!(!f.dir().join("d").exists(), "nothing is written");
}

#[test]
fn bad_level_names_the_row() {
    let f = Fixture::empty();
    let csv = district_csv().replace("西山镇,乡级", "西山镇,市级");
    let csv = write_csv(&f, "bad.csv", csv.as_bytes());
    let run = f.run(&["init", "d", "--units", &csv]);
    run.expect_code(1);
    assert!(
        run.stderr()
            .contains("错误[schema] bad.csv:4\n  层级“市级”无效。"),
        "{}",
        run.stderr()
    );
    assert!(!f.dir().join("d").exists());
}

#[test]
fn level_words_import_accepts_are_accepted_in_the_unit_list_too() {
    let f = Fixture::empty();
    let csv = district_csv()
        .replace("西山镇,乡级", "西山镇,镇级")
        .replace(",县级,", ",区县级,");
    let csv = write_csv(&f, "words.csv", csv.as_bytes());
    f.run(&["init", "d", "--units", &csv]).expect_code(0);
    let units = std::fs::read_dir(f.dir().join("d/units"))
        .expect("units")
        .count();
    assert!(units >= 1);
}

#[test]
fn town_without_its_county_is_refused() {
    let f = Fixture::empty();
    let csv = write_csv(
        &f,
        "orphan.csv",
        format!("{HEADER}东山镇,乡级,999003001000,999003000000,东山镇人民政府\n").as_bytes(),
    );
    let run = f.run(&["init", "d", "--units", &csv]);
    run.expect_code(1);
    assert!(
        run.stderr().contains("找不到对应的县级单位"),
        "{}",
        run.stderr()
    );
}

#[test]
fn the_new_site_toml_documents_the_page_furniture_and_each_key_works_uncommented() {
    let f = Fixture::district();
    let site = f.read("site.toml");
    for key in [
        "police_record",
        "error_report",
        "conac_url",
        "conac_image",
        "book",
    ] {
        assert!(
            site.contains(&format!("\n# {key} = ")),
            "{key} is explained: {site}"
        );
    }
    f.build().expect_code(0);
    let home = f.page("shiliyiqu/index.html");
    for absent in ["找错", "党政机关", "公网安备", "book.pdf"] {
        assert!(!home.contains(absent), "{absent} without its key");
    }
    let uncommented: String = site
        .lines()
        .map(|line| {
            let key = line.trim_start_matches("# ");
            let furniture = [
                "police_record",
                "error_report",
                "conac_url",
                "conac_image",
                "book",
            ];
            if furniture
                .iter()
                .any(|k| key.starts_with(&format!("{k} = ")))
            {
                key
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    f.write("site.toml", uncommented);
    f.build().expect_code(0);
    let home = f.page("shiliyiqu/index.html");
    for present in [
        "我为政府网站找错",
        "党政机关网站标识",
        "示公网安备",
        "book.pdf",
    ] {
        assert!(home.contains(present), "{present} with its key: {home}");
    }
}
