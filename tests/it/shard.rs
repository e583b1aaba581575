//! National scale on one engine: `build --shard i/N` builds whole counties per shard, `merge`
//! puts the shards together, and the result is byte for byte the single build's site; shards
//! that do not belong together are refused with a Chinese message and exit code 2.

use crate::harness::{Fixture, Run, assert_same_tree, tree};

/// A catalog of three counties of different sizes (甲区 with a township and a village, 乙县
/// with one township, 丙县 with two), made by `init --units`, with a few entries each.
fn counties() -> Fixture {
    let f = Fixture::empty();
    std::fs::write(
        f.dir().join("units.csv"),
        "名称,层级,区划代码,上级区划代码,发布机构\n\
         甲区,县级,999003000000,,甲区人民政府办公室\n\
         东山镇,乡级,999003001000,999003000000,东山镇人民政府\n\
         东山村,村级,999003001201,999003001000,东山镇东山村村民委员会\n\
         乙县,县级,999004000000,,乙县人民政府办公室\n\
         西河镇,乡级,999004001000,999004000000,西河镇人民政府\n\
         丙县,县级,999005000000,,丙县人民政府办公室\n\
         南岭乡,乡级,999005001000,999005000000,南岭乡人民政府\n\
         北坡乡,乡级,999005002000,999005000000,北坡乡人民政府\n",
    )
    .expect("csv");
    f.run(&["init", "catalog", "--units", "units.csv"])
        .expect_code(0);
    let entries = [
        ("甲区", "shehui-jiuzhu/dibao-zhengce", "2025-03-01"),
        ("甲区", "shehui-jiuzhu/dibao-zhengce", "2025-04-01"),
        ("甲区", "shehui-jiuzhu/dibao-zhengce", "2025-05-01"),
        ("东山镇", "shehui-jiuzhu/dibao-shenpi", "2025-03-02"),
        ("东山镇", "shehui-jiuzhu/dibao-shenpi", "2025-06-02"),
        ("乙县", "shehui-jiuzhu/dibao-zhengce", "2025-02-10"),
        ("南岭乡", "shehui-jiuzhu/dibao-shenpi", "2025-01-15"),
        ("南岭乡", "shehui-jiuzhu/dibao-shenpi", "2025-05-15"),
        ("北坡乡", "shehui-jiuzhu/dibao-shenpi", "2025-04-20"),
    ];
    for (unit, item, date) in entries {
        f.run(&["new", unit, item, "--date", date]).expect_code(0);
    }
    f
}

/// The audit's summary line a build or merge printed.
fn audit_line(stderr: &str) -> String {
    stderr
        .lines()
        .find(|l| l.starts_with("公开情况核查"))
        .unwrap_or_else(|| panic!("no audit summary in:\n{stderr}"))
        .to_owned()
}

/// `gongkai build --as-of <as_of> --shard <i>/<n> --out <out>`.
fn build_shard(f: &Fixture, as_of: &str, i: usize, n: usize, out: &str) -> Run {
    f.run(&[
        "build",
        "--as-of",
        as_of,
        "--shard",
        &format!("{i}/{n}"),
        "--out",
        out,
    ])
}

/// Builds `n` shards into `shard-<n>-<i>/` and merges them into `merged-<n>/`; the merge prints
/// the same audit summary as the single build (`audit`).
fn shards_merged(f: &Fixture, as_of: &str, n: usize, audit: &str) -> Vec<(String, Vec<u8>)> {
    let mut dirs = Vec::new();
    for i in 1..=n {
        let dir = format!("shard-{n}-{i}");
        let run = build_shard(f, as_of, i, n, &dir);
        run.expect_code(0);
        assert!(
            run.stderr().contains(&format!("这是第 {i}/{n} 片")),
            "{}",
            run.stderr()
        );
        dirs.push(dir);
    }
    let out = format!("merged-{n}");
    let mut args = vec!["merge"];
    args.extend(dirs.iter().map(String::as_str));
    args.extend(["--out", out.as_str()]);
    let run = f.run(&args);
    run.expect_code(0);
    assert!(run.stderr().contains("合并完成"), "{}", run.stderr());
    assert_eq!(audit_line(&run.stderr()), audit);
    tree(&f.dir().join(out))
}

#[test]
fn the_sample_built_as_shards_and_merged_is_the_single_build() {
    let f = Fixture::sample();
    let audit = audit_line(&f.build().expect_code(0).stderr());
    let single = tree(&f.dir().join("public"));
    assert!(single.len() > 100, "the sample's site has its pages");
    // One county: the second (and third) shard has no unit, and still merges.
    for n in [2, 3] {
        assert_same_tree(
            &single,
            &shards_merged(&f, "2025-06-30", n, &audit),
            &format!("N={n}"),
        );
    }
}

#[test]
fn several_counties_built_as_shards_and_merged_are_the_single_build() {
    let f = counties();
    let audit = audit_line(
        &f.run(&["build", "--as-of", "2025-06-30"])
            .expect_code(0)
            .stderr(),
    );
    let single = tree(&f.dir().join("public"));
    // N=2 puts two counties together, N=3 one each, N=5 leaves two shards empty.
    for n in [2, 3, 5] {
        assert_same_tree(
            &single,
            &shards_merged(&f, "2025-06-30", n, &audit),
            &format!("N={n}"),
        );
    }
    // Each county is in exactly one shard, with all its townships and villages.
    let manifest = std::fs::read_to_string(f.dir().join("shard-2-1/gongkai-shard.json"))
        .expect("partial manifest");
    assert!(
        manifest.contains("\"path\": \"jiaqu/dongshanzhen/dongshancun\""),
        "{manifest}"
    );
    assert!(!f.dir().join("shard-2-1/bingxian").exists());
    assert!(
        f.dir()
            .join("shard-2-2/bingxian/nanlingxiang/index.html")
            .exists()
    );
    assert!(
        f.dir()
            .join("shard-2-2/yixian/xihezhen/index.html")
            .exists()
    );
    // After an edit the shards are rebuilt in place (incrementally) and merged again: still
    // the single build's site.
    let entry = "units/bingxian/nanlingxiang/shehui-jiuzhu/dibao-shenpi/2025-05-15.md";
    f.write(
        entry,
        f.read(entry)
            .replace("\n+++\n", "\n+++\n第二段补充说明。\n"),
    );
    let audit = audit_line(
        &f.run(&["build", "--as-of", "2025-06-30"])
            .expect_code(0)
            .stderr(),
    );
    let edited = tree(&f.dir().join("public"));
    assert_ne!(edited, single, "the edit shows");
    assert_same_tree(
        &edited,
        &shards_merged(&f, "2025-06-30", 2, &audit),
        "after an edit",
    );
    // With the 繁體 edition, each unit's copies under zh-hant/ go with its county.
    f.write(
        "site.toml",
        format!("traditional = true\n{}", f.read("site.toml")),
    );
    let audit = audit_line(
        &f.run(&["build", "--as-of", "2025-06-30"])
            .expect_code(0)
            .stderr(),
    );
    let both = tree(&f.dir().join("public"));
    assert!(both.iter().any(|(p, _)| p.starts_with("zh-hant/bingxian/")));
    assert_same_tree(
        &both,
        &shards_merged(&f, "2025-06-30", 3, &audit),
        "繁體 edition",
    );
}

#[test]
fn shards_that_do_not_fit_together_are_refused() {
    let f = counties();
    for (i, as_of) in [(1, "2025-06-30"), (2, "2025-06-30")] {
        build_shard(&f, as_of, i, 2, &format!("a{i}")).expect_code(0);
    }
    build_shard(&f, "2025-07-31", 2, 2, "late2").expect_code(0);
    build_shard(&f, "2025-06-30", 2, 3, "third").expect_code(0);
    let refused = |args: &[&str], says: &[&str]| {
        let run = f.run(args);
        run.expect_code(2);
        let err = run.stderr();
        for s in says {
            assert!(err.contains(s), "missing “{s}” in:\n{err}");
        }
        assert!(!f.dir().join("site").exists(), "nothing written: {err}");
    };
    refused(
        &["merge", "a1", "late2", "--out", "site"],
        &[
            "合并失败",
            "“late2”",
            "不是同一次构建",
            "核查日期（--as-of）不同（“2025-06-30” 与 “2025-07-31”）",
            "重新构建全部分片",
        ],
    );
    refused(
        &["merge", "a1", "third", "--out", "site"],
        &["“third”", "共 3 片", "--shard i/N"],
    );
    refused(
        &["merge", "a1", "--out", "site"],
        &["缺少分片 2/2", "gongkai build --shard 第几片/2"],
    );
    refused(
        &["merge", "a1", "a1", "a2", "--out", "site"],
        &["都是第 1/2 片", "去掉其中一个"],
    );
    refused(
        &["merge", "a1", "catalog", "--out", "site"],
        &["“catalog”不是分片的输出", "gongkai-shard.json"],
    );
    // A file that no shard owns (put in by hand) is refused too.
    std::fs::write(f.dir().join("a2/jiaqu.html"), "x").expect("write");
    refused(
        &["merge", "a1", "a2", "--out", "site"],
        &["“a2”", "jiaqu.html", "不属于第 2/2 片"],
    );
    std::fs::remove_file(f.dir().join("a2/jiaqu.html")).expect("remove");
    // An existing site is left as it was when the merge is refused, and replaced when not.
    f.run(&["merge", "a1", "a2", "--out", "site"])
        .expect_code(0);
    let before = tree(&f.dir().join("site"));
    let run = f.run(&["merge", "a1", "late2", "--out", "site"]);
    run.expect_code(2);
    assert_eq!(tree(&f.dir().join("site")), before);
    // A shard that lost files on the way (an artifact not wholly uploaded) is refused.
    std::fs::remove_file(f.dir().join("a2/bingxian/index.html")).expect("remove");
    let run = f.run(&["merge", "a1", "a2", "--out", "site"]);
    run.expect_code(2);
    assert!(
        run.stderr()
            .contains("“a2”中缺少单位“丙县”的页面 bingxian/index.html"),
        "{}",
        run.stderr()
    );
    assert_eq!(tree(&f.dir().join("site")), before);
    // A shard without --as-of is judged today, and told to give every shard the same date.
    let run = f.run(&["build", "--shard", "1/2", "--out", "today"]);
    run.expect_code(0);
    assert!(
        run.stderr().contains("请给全部分片写同一个 --as-of"),
        "{}",
        run.stderr()
    );
    // A bad --shard is a usage error in Chinese.
    let run = f.run(&["build", "--shard", "3/2"]);
    run.expect_code(2);
    assert!(run.stderr().contains("--shard 2/8"), "{}", run.stderr());
}

/// Regression: the shard fingerprint once hashed attachments' file stamps (modification time,
/// inode), so shards built on different CI runners — each with its own checkout — never merged.
#[test]
fn shards_built_from_separate_checkouts_merge() {
    let f = Fixture::sample();
    let audit = audit_line(&f.build().expect_code(0).stderr());
    let single = tree(&f.dir().join("public"));
    // A second checkout of the same catalog: the same bytes, new files (stamps, inodes).
    std::thread::sleep(std::time::Duration::from_millis(20));
    crate::harness::copy_dir(&f.dir().join("catalog"), &f.dir().join("runner-2/catalog"));
    // The sample's one county (with its attachments) is built from the second checkout.
    f.run(&[
        "build",
        "--root",
        "runner-2/catalog",
        "--as-of",
        "2025-06-30",
        "--shard",
        "1/2",
        "--out",
        "s1",
    ])
    .expect_code(0);
    build_shard(&f, "2025-06-30", 2, 2, "s2").expect_code(0);
    let run = f.run(&["merge", "s1", "s2", "--out", "merged"]);
    run.expect_code(0);
    assert_eq!(audit_line(&run.stderr()), audit);
    assert_same_tree(&single, &tree(&f.dir().join("merged")), "two checkouts");
}
