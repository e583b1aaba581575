//! History from git: a file committed long after its 发布日期 is `backdated`; files committed
//! before `history_since` are not judged; a rename keeps the first commit; a shallow clone or a
//! catalog outside git is one `history-unknown` and no history-based finding.

use crate::harness::Fixture;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// Runs git in `dir` with author and committer dates at 10:00 Beijing time on `date`.
pub fn git(dir: &Path, args: &[&str], date: &str) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", format!("{date}T10:00:00+08:00"))
        .env("GIT_COMMITTER_DATE", format!("{date}T10:00:00+08:00"))
        .env("GIT_AUTHOR_NAME", "测试")
        .env("GIT_AUTHOR_EMAIL", "t@example.gov.cn")
        .env("GIT_COMMITTER_NAME", "测试")
        .env("GIT_COMMITTER_EMAIL", "t@example.gov.cn")
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Commits everything in `dir` on `date`.
pub fn commit_all(dir: &Path, date: &str) {
    git(dir, &["add", "-A"], date);
    git(dir, &["commit", "-q", "-m", date], date);
}

fn findings(f: &Fixture, root: &str, code: &str) -> Vec<(String, u64)> {
    let run = f.run(&[
        "check",
        "--root",
        root,
        "--as-of",
        "2024-06-30",
        "--format",
        "json",
    ]);
    let json: Value = serde_json::from_str(&run.stdout()).expect("json");
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|x| x["code"] == code)
        .map(|x| {
            (
                x["file"].as_str().unwrap_or("").to_owned(),
                x["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

const DIR: &str = "units/xian/shehui-jiuzhu/dibao-zhengce";

fn entry(published: &str, index: u32) -> String {
    format!(
        "+++\ntitle = \"标准{index}\"\ncreated = {published}\npublished = {published}\nindex_no = \"11999100MB0000001X/2024-{index:05}\"\n+++\n正文。\n"
    )
}

#[test]
fn backdating_is_found_from_the_first_commit_and_renames_keep_it() {
    let f = Fixture::mini();
    let dir = f.dir().join("catalog");
    git(&dir, &["init", "-q"], "2024-01-01");
    // The fixture as migrated on 2024-04-01: its old dates are not judged after history_since.
    let site = f.read("site.toml");
    f.write("site.toml", format!("{site}history_since = 2024-04-02\n"));
    commit_all(&dir, "2024-04-01");
    // On time (committed the day after), and late (committed a month after its 发布日期).
    f.write(&format!("{DIR}/on-time.md"), entry("2024-05-06", 20));
    commit_all(&dir, "2024-05-07");
    f.write(&format!("{DIR}/backdated.md"), entry("2024-05-06", 22));
    commit_all(&dir, "2024-06-10");
    // Renamed later: still first committed on 2024-06-10.
    git(
        &dir,
        &[
            "mv",
            &format!("{DIR}/backdated.md"),
            &format!("{DIR}/moved.md"),
        ],
        "2024-06-20",
    );
    commit_all(&dir, "2024-06-20");

    let found = findings(&f, "catalog", "backdated");
    assert_eq!(
        found,
        vec![(format!("catalog/{DIR}/moved.md"), 4)],
        "only the file committed a month after its 发布日期, through its rename"
    );
    assert!(findings(&f, "catalog", "history-unknown").is_empty());

    // Without history_since, the migrated files' old dates are back-dating too.
    f.write("site.toml", site);
    commit_all(&dir, "2024-06-21");
    assert!(findings(&f, "catalog", "backdated").len() > 1);

    // A change committed after publication is the page's 更新时间 (the file has no `updated`);
    // building twice from the same commit gives the same bytes, and incremental equals clean.
    let on_time = format!("{DIR}/on-time.md");
    f.write(
        &on_time,
        f.read(&on_time).replace("正文。", "正文（更正错字）。"),
    );
    commit_all(&dir, "2024-06-25");
    f.run(&["build", "--as-of", "2024-06-30"]).expect_code(0);
    let page = f.page("xian/shehui-jiuzhu/dibao-zhengce/on-time/index.html");
    assert!(
        page.contains("更新时间：<time datetime=\"2024-06-25\">"),
        "{page}"
    );
    let moved = f.page("xian/shehui-jiuzhu/dibao-zhengce/moved/index.html");
    assert!(
        moved.contains("更新时间：<time datetime=\"2024-05-06\">"),
        "a rename is not a change, nor is the first commit: {moved}"
    );
    f.run(&["build", "--as-of", "2024-06-30", "--out", "clean"])
        .expect_code(0);
    assert_eq!(
        crate::harness::tree(&f.dir().join("public")),
        crate::harness::tree(&f.dir().join("clean")),
        "same commit, same bytes"
    );

    // A shallow clone: one history-unknown, no backdated.
    let url = format!("file://{}", dir.display());
    let out = Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url, "shallow"])
        .current_dir(f.dir())
        .output()
        .expect("clone");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(findings(&f, "shallow", "backdated").is_empty());
    assert_eq!(findings(&f, "shallow", "history-unknown").len(), 1);
}

#[test]
fn a_catalog_outside_git_says_so_once() {
    let f = Fixture::mini();
    assert_eq!(findings(&f, "catalog", "history-unknown").len(), 1);
    assert!(findings(&f, "catalog", "backdated").is_empty());
}

#[test]
fn the_change_log_lists_each_day_a_published_file_changed_when_the_site_asks() {
    let f = Fixture::mini();
    let dir = f.dir().join("catalog");
    git(&dir, &["init", "-q"], "2024-01-01");
    let page_path = "xian/shehui-jiuzhu/dibao-zhengce/changed/index.html";
    let file = format!("{DIR}/changed.md");
    f.write(&file, entry("2024-05-06", 30));
    commit_all(&dir, "2024-05-06");
    for (day, text) in [
        ("2024-05-20", "正文（第一次更正）。"),
        ("2024-06-03", "正文（第二次更正）。"),
        ("2024-07-15", "正文（第三次更正）。"),
    ] {
        f.write(&file, entry("2024-05-06", 30).replace("正文。", text));
        commit_all(&dir, day);
    }
    // Off by default: the page shows its 更新时间 only.
    f.run(&["build", "--as-of", "2024-06-30"]).expect_code(0);
    let page = f.page(page_path);
    assert!(!page.contains("变更记录"), "{page}");
    assert!(
        page.contains("更新时间：<time datetime=\"2024-06-03\">"),
        "{page}"
    );

    f.write(
        "site.toml",
        format!("{}change_log = true\n", f.read("site.toml")),
    );
    commit_all(&dir, "2024-06-04");
    f.run(&["build", "--as-of", "2024-06-30"]).expect_code(0);
    let page = f.page(page_path);
    assert!(
        page.contains("<h2 id=\"changes-heading\">变更记录</h2>"),
        "{page}"
    );
    assert!(page.contains("此后修改过 2 次"), "{page}");
    assert!(page.contains("<li><time datetime=\"2024-05-20\">2024-05-20</time> 修改</li>"));
    assert!(page.contains("<li><time datetime=\"2024-06-03\">2024-06-03</time> 修改</li>"));
    assert!(
        !page.contains("2024-07-15"),
        "a change after --as-of is not yet history: {page}"
    );
    // An entry never changed after publication has no change log.
    let other = f.page("xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun/index.html");
    assert!(!other.contains("变更记录"), "{other}");
    // The incremental build equals a clean one once the later change is history.
    f.run(&["build", "--as-of", "2024-07-31"]).expect_code(0);
    f.run(&["build", "--as-of", "2024-07-31", "--out", "clean"])
        .expect_code(0);
    assert!(f.page(page_path).contains("此后修改过 3 次"));
    assert_eq!(
        crate::harness::tree(&f.dir().join("public")),
        crate::harness::tree(&f.dir().join("clean")),
    );
}
