//! A new district cannot go live by accident: what `init --units` cannot know stays marked,
//! `build` and `check` warn on every placeholder and on entries still holding `new`'s stub
//! text, and `--strict` refuses them (nothing is written) until they are replaced.

use crate::harness::Fixture;

/// A district made by `init --units` from a CSV naming a real-looking county and two towns.
fn district() -> Fixture {
    let f = Fixture::empty();
    std::fs::write(
        f.dir().join("units.csv"),
        "名称,层级,区划代码,上级区划代码,发布机构\n\
         青溪区,县级,999005000000,,青溪区人民政府办公室\n\
         东山镇,乡级,999005001000,999005000000,东山镇人民政府\n\
         西河街道,乡级,999005002000,999005000000,西河街道办事处\n",
    )
    .expect("csv");
    let run = f.run(&["init", "catalog", "--units", "units.csv"]);
    run.expect_code(0);
    assert!(
        run.stderr().contains("待填写"),
        "init says what is left to fill in: {}",
        run.stderr()
    );
    f
}

const UNITS: [&str; 3] = [
    "units/qingxiqu/unit.toml",
    "units/qingxiqu/dongshanzhen/unit.toml",
    "units/qingxiqu/xihejiedao/unit.toml",
];

#[test]
fn init_fills_the_site_from_the_county_row_and_marks_the_rest() {
    let f = district();
    let site = f.read("site.toml");
    assert!(
        site.contains("title = \"青溪区基层政务公开标准化规范化专栏\""),
        "{site}"
    );
    assert!(
        site.contains("organizer = \"青溪区人民政府办公室\""),
        "{site}"
    );
    for key in ["base_url", "site_id_code", "icp"] {
        let marked = site
            .lines()
            .zip(site.lines().skip(1))
            .any(|(comment, line)| comment.starts_with("# 待填写") && line.starts_with(key));
        assert!(marked, "{key} is marked 待填写: {site}");
    }
    assert!(f.read(UNITS[1]).contains("# 待填写"));
}

#[test]
fn build_strict_refuses_each_placeholder_until_it_is_set() {
    let f = district();
    let run = f.run(&["build", "--as-of", "2025-06-30", "--strict"]);
    run.expect_code(1);
    let err = run.stderr();
    for expected in [
        "警告[placeholder] catalog/site.toml:",
        "site_id_code = \"9999000000\" 是示例值",
        "base_url = \"https://www.example.gov.cn/jczwgk/\" 是示例地址",
        "icp = \"示ICP备00000000号\" 是示例号码",
        "org_code = \"999005000000\" 还是本单位的区划代码",
        "org_code = \"999005001000\" 还是本单位的区划代码",
        "org_code = \"999005002000\" 还是本单位的区划代码",
        // …and each unit's 公开工作机构, which init leaves commented out for the clerk to fill.
        "警告[office-incomplete] catalog/units/qingxiqu/unit.toml",
        "（--strict：警告也须先处理）：0 个错误，9 个警告",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    for unit in UNITS {
        assert!(err.contains(&format!("catalog/{unit}:")), "{unit}\n{err}");
    }
    assert!(!f.dir().join("public").exists(), "nothing is published");
    // check --strict refuses them too; without --strict both report and go on.
    let check = f.run(&["check", "--as-of", "2025-06-30", "--strict"]);
    check.expect_code(1);
    assert!(check.stdout().contains("是示例值"), "{}", check.stdout());
    let json = f.run(&["check", "--as-of", "2025-06-30", "--format", "json"]);
    assert_eq!(json.stdout().matches("\"placeholder\"").count(), 6);
    let plain = f.run(&["build", "--as-of", "2025-06-30"]);
    plain.expect_code(0);
    assert!(
        plain.stderr().contains("目录校验 9 个警告"),
        "{}",
        plain.stderr()
    );

    // The clerk fills in the real values.
    f.write(
        "site.toml",
        f.read("site.toml")
            .replace(
                "https://www.example.gov.cn/jczwgk/",
                "https://www.qingxi.gov.cn/jczwgk/",
            )
            .replace("9999000000", "4401050001")
            .replace("示ICP备00000000号", "粤ICP备12345678号"),
    );
    for (i, unit) in UNITS.iter().enumerate() {
        let text = f.read(unit);
        let code = text
            .lines()
            .find_map(|l| l.strip_prefix("code = \""))
            .and_then(|l| l.split('"').next())
            .expect("code")
            .to_owned();
        let office = "[office]\nname = \"党政办公室\"\naddress = \"青溪路1号\"\nhours = \"工作日9:00—17:00\"\nphone = \"020-12345678\"\nfax = \"020-12345679\"\nemail = \"gk@qingxi.gov.cn\"\n";
        f.write(
            unit,
            text.replace(
                &format!("org_code = \"{code}\""),
                &format!("org_code = \"11440105MB2C0000{i}X\""),
            )
            .replace("# [office]\n", office),
        );
    }
    let run = f.run(&["build", "--as-of", "2025-06-30", "--strict"]);
    run.expect_code(0);
    assert!(
        run.stderr().contains("目录校验 0 个警告"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_base_url_given_on_the_command_line_replaces_the_sample_one() {
    let f = district();
    let run = f.run(&[
        "build",
        "--as-of",
        "2025-06-30",
        "--base-url",
        "https://www.qingxi.gov.cn/jczwgk/",
    ]);
    run.expect_code(0);
    assert!(!run.stderr().contains("base_url ="), "{}", run.stderr());
    let run = f.run(&[
        "build",
        "--as-of",
        "2025-06-30",
        "--base-url",
        "https://jczwgk.example.com/",
    ]);
    assert!(
        run.stderr()
            .contains("--base-url 给出的网站地址“https://jczwgk.example.com/”是示例地址"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_stub_body_is_a_warning_and_fails_strict() {
    let f = Fixture::mini();
    f.run(&[
        "new",
        "xian",
        "shehui-jiuzhu/dibao-zhengce",
        "--title",
        "测试县低保政策解读",
        "--date",
        "2024-06-20",
    ])
    .expect_code(0);
    let file = "units/xian/shehui-jiuzhu/dibao-zhengce/2024-06-20.md";
    let run = f.run(&["check", "--as-of", "2024-06-30", "--format", "json"]);
    assert!(run.stdout().contains("\"stub-body\""), "{}", run.stdout());
    let build = f.build();
    build.expect_code(0);
    let err = build.stderr();
    assert!(
        err.contains(&format!("警告[stub-body] catalog/{file}:15"))
            && err.contains("正文还是 gongkai new 生成的模板文字"),
        "{err}"
    );
    f.run(&["build", "--as-of", "2024-06-30", "--strict"])
        .expect_code(1);
    // Twice: a cached entry keeps its warning.
    f.run(&["build", "--as-of", "2024-06-30", "--strict"])
        .expect_code(1);
    let text = f.read(file);
    let stub_start = text.find("在这里写正文").expect("stub");
    f.write(
        file,
        format!("{}本镇低保标准为每人每月 900 元。\n", &text[..stub_start]),
    );
    let run = f.run(&["build", "--as-of", "2024-06-30", "--strict"]);
    assert!(!run.stderr().contains("stub-body"), "{}", run.stderr());
}
