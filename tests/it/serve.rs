//! `gongkai serve`: a real server on a free port; a saved change shows up and the open page is
//! told to reload; a broken file shows the error and the last good site; `..` is refused.

use crate::harness::Fixture;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `gongkai serve`, killed however the test ends (a failed assertion must not leave
/// it running, holding the test run's output open).
pub struct Server {
    pub child: Child,
    /// `127.0.0.1:<port>`, as the server printed it.
    pub addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(f: &Fixture) -> Server {
    start_under(f, &[])
}

/// Starts `gongkai serve` in the fixture, run by the command `wrapper` when given (e.g.
/// `prlimit --as=… --`), and waits for its address.
pub fn start_under(f: &Fixture, wrapper: &[&str]) -> Server {
    start_with(f, wrapper, &["--as-of", "2024-06-30"])
}

/// Starts `gongkai serve --port 0 <args>` in the fixture (run by `wrapper`, if any), and waits
/// for its address.
fn start_with(f: &Fixture, wrapper: &[&str], args: &[&str]) -> Server {
    let gongkai = env!("CARGO_BIN_EXE_gongkai");
    let (program, before) = match wrapper.split_first() {
        Some((program, rest)) => (*program, [rest, &[gongkai]].concat()),
        None => (gongkai, Vec::new()),
    };
    let mut child = Command::new(program)
        .args(before)
        .args(["serve", "--port", "0"])
        .args(args)
        .current_dir(f.dir())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn serve");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("http://").nth(1) {
                let _ = tx.send(rest.split('/').next().unwrap_or("").to_owned());
            }
        }
    });
    let addr = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("serve prints its address");
    Server { child, addr }
}

/// GET a path; returns (status, body).
fn get(addr: &str, path: &str) -> (u16, String) {
    let (status, _, body) = request(addr, path, addr);
    (status, body)
}

/// GET a path with this `Host` header; returns (status, head in lower case, body).
fn request(addr: &str, path: &str, host: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("read");
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (status, head.to_lowercase(), body.to_owned())
}

/// Polls `path` until its body satisfies `ok`, for up to ten seconds.
fn wait_for(addr: &str, path: &str, ok: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let (_, body) = get(addr, path);
        if ok(&body) {
            return body;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out waiting on {path}:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

const ENTRY: &str = "units/xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun.md";
const PAGE: &str = "/xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun/";

#[test]
fn edits_show_up_errors_are_shown_and_recovery_works() {
    let f = Fixture::mini();
    let server = start(&f);
    let (status, body) = get(&server.addr, PAGE);
    assert_eq!(status, 200);
    assert!(body.contains("<h1>测试县2024年城乡低保标准</h1>"));
    assert!(
        body.contains("<script src=\"/__gongkai/reload.js\""),
        "pages carry the reload script"
    );
    assert!(
        get(&server.addr, "/__gongkai/reload.js")
            .1
            .contains("/__gongkai/events")
    );

    // Listen for reload events before editing.
    let mut events = TcpStream::connect(&server.addr).expect("events");
    write!(
        events,
        "GET /__gongkai/events HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.addr
    )
    .expect("send");
    events
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut reader = BufReader::new(events);
    let first = read_event(&mut reader);

    revise_title(&f);
    let next = read_event(&mut reader);
    assert!(
        next > first,
        "a reload event follows the save ({first} → {next})"
    );
    wait_for(&server.addr, PAGE, |b| {
        b.contains("<h1>测试县2024年城乡低保标准（修订）</h1>")
    });

    // A syntax error: the error is shown with file and line, the last good page stays.
    let good = f.read(ENTRY);
    f.write(
        ENTRY,
        good.replace("doc_no = \"测民〔2024〕1号\"", "doc_no = 测民〔2024〕1号"),
    );
    let body = wait_for(&server.addr, PAGE, |b| b.contains("gongkai-errors"));
    assert!(
        body.contains(
            "错误[syntax] catalog/units/xian/shehui-jiuzhu/dibao-zhengce/2024-biaozhun.md:6"
        ),
        "{body}"
    );
    assert!(body.contains("提示："), "{body}");
    assert!(
        body.contains("<h1>测试县2024年城乡低保标准（修订）</h1>"),
        "the last good site stays: {body}"
    );

    // Fixed: the banner goes away.
    f.write(ENTRY, good);
    wait_for(&server.addr, PAGE, |b| {
        !b.contains("gongkai-errors") && b.contains("（修订）")
    });
}

/// A rebuild renders only the parts an edit changed and keeps the rest from the last build: what
/// the preview serves afterwards is, file for file, what a full `gongkai build` of the edited
/// catalog writes (less the reload script the preview adds to each page).
#[test]
fn after_an_edit_the_preview_is_the_full_build() {
    let f = Fixture::mini();
    let server = start(&f);
    wait_for(&server.addr, PAGE, |b| {
        b.contains("<h1>测试县2024年城乡低保标准</h1>")
    });
    revise_title(&f);
    wait_for(&server.addr, PAGE, |b| {
        b.contains("<h1>测试县2024年城乡低保标准（修订）</h1>")
    });
    assert_preview_is_the_full_build(&f, &server);
}

/// Edits whose effects reach other entries' pages, each saved while the preview runs (which
/// reads only the edited file again and runs the checks across entries over the model it kept):
/// a title shown on a 解读 in the town's column, a 索引号 removed and derived again (and again
/// when the highest in use is lowered), a date that reorders a list, a relation broken (the
/// error is shown) and mended. After each, the preview serves what a full `gongkai build` writes.
#[test]
fn edits_reaching_other_entries_show_up_as_in_a_full_build() {
    let f = Fixture::mini();
    let town = "units/xian/zhen/shehui-jiuzhu/linshi-jiuzhu";
    f.write(
        &format!("{town}/jiedu.md"),
        "+++\ntitle = \"图解测试县低保标准\"\ncreated = 2024-03-04\npublished = 2024-03-04\nindex_no = \"11999100MB0000101P/2024-00009\"\ninterprets = [\"11999100MB0000001X/2024-00001\"]\n+++\n正文。\n",
    );
    let server = start(&f);
    let jiedu = "/xian/zhen/shehui-jiuzhu/linshi-jiuzhu/jiedu/";
    wait_for(&server.addr, jiedu, |b| {
        b.contains("测试县2024年城乡低保标准")
    });

    // The interpreted document's new title, on the 解读's page in another unit.
    revise_title(&f);
    wait_for(&server.addr, jiedu, |b| {
        b.contains("测试县2024年城乡低保标准（修订）")
    });
    assert_preview_is_the_full_build(&f, &server);

    // A 索引号 removed: derived again, after the highest the town uses (-00009).
    let guide = format!("{town}/临时救助办事指南.md");
    f.write(
        &guide,
        f.read(&guide)
            .replace("index_no = \"11999100MB0000101P/2024-00001\"\n", ""),
    );
    let guide_page = format!(
        "/xian/zhen/shehui-jiuzhu/linshi-jiuzhu/{}/",
        gongkai::render::links::encode("临时救助办事指南")
    );
    wait_for(&server.addr, &guide_page, |b| {
        b.contains("11999100MB0000101P/2024-00010")
    });
    assert_preview_is_the_full_build(&f, &server);
    // The highest number in use lowered: the derived one follows it.
    let jiedu_file = format!("{town}/jiedu.md");
    f.write(
        &jiedu_file,
        f.read(&jiedu_file).replace("2024-00009", "2024-00003"),
    );
    wait_for(&server.addr, &guide_page, |b| {
        b.contains("11999100MB0000101P/2024-00004")
    });
    assert_preview_is_the_full_build(&f, &server);

    // Published before the 2023 standard: the item's list puts it second.
    f.write(
        ENTRY,
        f.read(ENTRY)
            .replace("created = 2024-01-08", "created = 2022-12-01")
            .replace("published = 2024-01-10", "published = 2022-12-02"),
    );
    let item = "/xian/shehui-jiuzhu/dibao-zhengce/";
    wait_for(&server.addr, item, |b| {
        matches!(
            (b.find("测试县2023年城乡低保标准"), b.find("测试县2024年城乡低保标准（修订）")),
            (Some(a), Some(b)) if a < b
        )
    });
    assert_preview_is_the_full_build(&f, &server);

    // The interpreted document's 索引号 changed: the 解读 names one no entry has.
    let good = f.read(ENTRY);
    f.write(ENTRY, good.replace("2024-00001\"", "2024-00007\""));
    let body = wait_for(&server.addr, jiedu, |b| b.contains("gongkai-errors"));
    assert!(body.contains("错误[broken-relation]"), "{body}");
    f.write(ENTRY, good);
    wait_for(&server.addr, jiedu, |b| !b.contains("gongkai-errors"));
    assert_preview_is_the_full_build(&f, &server);
}

/// An entry file named `index.md` right in its item folder is an entry called `index`, not a
/// folder entry whose attachments are the item's other entries: edited while the preview runs
/// (which reads only that file again), it is shown as a full build shows it.
#[test]
fn an_entry_named_index_is_reloaded_as_in_a_full_build() {
    let f = Fixture::mini();
    let file = "units/xian/shehui-jiuzhu/dibao-zhengce/index.md";
    f.write(
        file,
        "+++\ntitle = \"一号通知\"\ncreated = 2024-02-01\npublished = 2024-02-02\nindex_no = \"11999100MB0000001X/2024-00031\"\n+++\n正文。\n",
    );
    let server = start(&f);
    let page = "/xian/shehui-jiuzhu/dibao-zhengce/index/";
    wait_for(&server.addr, page, |b| b.contains("一号通知"));
    f.write(file, f.read(file).replace("一号通知", "二号通知"));
    wait_for(&server.addr, page, |b| b.contains("二号通知"));
    assert_preview_is_the_full_build(&f, &server);
}

/// The text of a plain entry titled `title`, without an 索引号 (one is derived).
fn plain_entry(title: &str) -> String {
    format!("+++\ntitle = \"{title}\"\ncreated = 2024-02-01\npublished = 2024-02-02\n+++\n正文。\n")
}

/// An entry that is a symbolic link to a file in a hidden folder: the watcher names only the
/// path that was written, so the preview of such a catalog loads it in full after every change,
/// and an edit of the link's target shows up as in a full build.
#[cfg(unix)]
#[test]
fn an_entry_behind_a_link_shows_edits_as_in_a_full_build() {
    let f = Fixture::mini();
    f.write("units/xian/.shared/target.md", plain_entry("链接甲"));
    std::os::unix::fs::symlink(
        "../../.shared/target.md",
        f.dir()
            .join("catalog/units/xian/shehui-jiuzhu/dibao-zhengce/2024-lianjie.md"),
    )
    .expect("symlink");
    let server = start(&f);
    let page = "/xian/shehui-jiuzhu/dibao-zhengce/2024-lianjie/";
    wait_for(&server.addr, page, |b| b.contains("链接甲"));
    f.write("units/xian/.shared/target.md", plain_entry("链接乙"));
    wait_for(&server.addr, page, |b| b.contains("链接乙"));
    assert_preview_is_the_full_build(&f, &server);
}

/// Two entries that are one file under two names (a hard link): an edit saved under one name
/// shows up on the other's page too, as in a full build.
#[cfg(unix)]
#[test]
fn an_entry_with_two_names_shows_edits_under_both() {
    let f = Fixture::mini();
    let town = f
        .dir()
        .join("catalog/units/xian/zhen/shehui-jiuzhu/linshi-jiuzhu");
    f.write(
        "units/xian/zhen/shehui-jiuzhu/linshi-jiuzhu/yi.md",
        plain_entry("两名甲"),
    );
    std::fs::hard_link(town.join("yi.md"), town.join("er.md")).expect("hard link");
    let server = start(&f);
    let second = "/xian/zhen/shehui-jiuzhu/linshi-jiuzhu/er/";
    wait_for(&server.addr, second, |b| b.contains("两名甲"));
    f.write(
        "units/xian/zhen/shehui-jiuzhu/linshi-jiuzhu/yi.md",
        plain_entry("两名乙"),
    );
    wait_for(&server.addr, second, |b| b.contains("两名乙"));
    assert_preview_is_the_full_build(&f, &server);
}

/// Hard links made while the preview runs, each followed by an edit under one name that a full
/// build shows under the other: a hidden second name edited in place; a second name renamed over
/// another entry, then the first name edited; a second name in a folder the loader never walks.
/// The watcher reports only the name written, so a file with two names makes the preview forget
/// what it kept and load the catalog in full.
#[cfg(unix)]
#[test]
fn hard_links_made_while_serving_show_edits_as_in_a_full_build() {
    let town = "units/xian/zhen/shehui-jiuzhu/linshi-jiuzhu";
    let first = "/xian/zhen/shehui-jiuzhu/linshi-jiuzhu/yi/";
    let second = "/xian/zhen/shehui-jiuzhu/linshi-jiuzhu/er/";
    let pause = || std::thread::sleep(Duration::from_millis(1500));

    let f = Fixture::mini();
    let folder = f.dir().join("catalog").join(town);
    f.write(&format!("{town}/yi.md"), plain_entry("硬链接甲"));
    let server = start(&f);
    wait_for(&server.addr, first, |b| b.contains("硬链接甲"));
    std::fs::hard_link(folder.join("yi.md"), folder.join(".yi.md.orig")).expect("link");
    pause();
    std::fs::write(folder.join(".yi.md.orig"), plain_entry("硬链接乙")).expect("write");
    wait_for(&server.addr, first, |b| b.contains("硬链接乙"));
    assert_preview_is_the_full_build(&f, &server);
    drop(server);

    let f = Fixture::mini();
    let folder = f.dir().join("catalog").join(town);
    f.write(&format!("{town}/yi.md"), plain_entry("硬链接甲"));
    f.write(&format!("{town}/er.md"), plain_entry("硬链接乙"));
    let server = start(&f);
    wait_for(&server.addr, second, |b| b.contains("硬链接乙"));
    std::fs::hard_link(folder.join("yi.md"), folder.join(".tmp")).expect("link");
    std::fs::rename(folder.join(".tmp"), folder.join("er.md")).expect("rename");
    wait_for(&server.addr, second, |b| b.contains("<h1>硬链接甲</h1>"));
    pause();
    std::fs::write(folder.join("yi.md"), plain_entry("硬链接丙")).expect("write");
    wait_for(&server.addr, second, |b| {
        b.contains("<h1>硬链接丙</h1>") && !b.contains("硬链接甲")
    });
    assert_preview_is_the_full_build(&f, &server);
    drop(server);

    let f = Fixture::mini();
    let folder = f.dir().join("catalog").join(town);
    f.write(&format!("{town}/yi.md"), plain_entry("硬链接甲"));
    let drafts = f.dir().join("catalog/drafts");
    std::fs::create_dir_all(&drafts).expect("drafts");
    // Settled before the first walk, so the stamp in its kept listing is trusted.
    std::thread::sleep(Duration::from_millis(3500));
    let server = start(&f);
    wait_for(&server.addr, first, |b| b.contains("硬链接甲"));
    std::fs::hard_link(folder.join("yi.md"), drafts.join("yi.md")).expect("link");
    pause();
    std::fs::write(drafts.join("yi.md"), plain_entry("硬链接乙")).expect("write");
    wait_for(&server.addr, first, |b| b.contains("硬链接乙"));
    assert_preview_is_the_full_build(&f, &server);
}

/// `site.toml` a symbolic link to a hidden file beside it: an edit of the hidden file (which the
/// loader never lists) changes the site's title, as in a full build.
#[cfg(unix)]
#[test]
fn site_settings_behind_a_link_show_edits() {
    let f = Fixture::mini();
    let root = f.dir().join("catalog");
    std::fs::rename(root.join("site.toml"), root.join(".site.toml")).expect("move");
    std::os::unix::fs::symlink(".site.toml", root.join("site.toml")).expect("symlink");
    let server = start(&f);
    wait_for(&server.addr, "/", |b| b.contains("测试县基层政务公开"));
    let site = std::fs::read_to_string(root.join(".site.toml")).expect("read");
    std::fs::write(
        root.join(".site.toml"),
        site.replace("测试县基层政务公开", "样例县基层政务公开"),
    )
    .expect("write");
    wait_for(&server.addr, "/", |b| b.contains("样例县基层政务公开"));
    assert_preview_is_the_full_build(&f, &server);
}

/// A file added beside an entry, one removed, one renamed, an attachment added to an entry
/// folder: the preview, which takes folders the watcher reports unchanged from its last walk,
/// then serves what a full `gongkai build` writes, and the old pages are gone.
#[test]
fn files_added_removed_and_renamed_show_up_as_in_a_full_build() {
    let f = Fixture::mini();
    let server = start(&f);
    let items = "units/xian/shehui-jiuzhu";
    wait_for(&server.addr, PAGE, |b| {
        b.contains("测试县2024年城乡低保标准")
    });
    f.write(
        &format!("{items}/dibao-zhengce/2022-biaozhun.md"),
        f.read(&format!("{items}/dibao-zhengce/2023-biaozhun.md"))
            .replace("2023", "2022"),
    );
    let folder = f.dir().join("catalog").join(items);
    std::fs::remove_file(folder.join("dibao-zhengce/2023-biaozhun.md")).expect("remove");
    std::fs::rename(
        folder.join("dibao-zhengce/2024-biaozhun.md"),
        folder.join("dibao-zhengce/2024-xiuding.md"),
    )
    .expect("rename");
    f.write(
        &format!("{items}/dibao-shenpi/2024-05-mingdan/补充名单.csv"),
        f.read(&format!(
            "{items}/dibao-shenpi/2024-05-mingdan/低保名单.csv"
        )),
    );
    wait_for(
        &server.addr,
        "/xian/shehui-jiuzhu/dibao-zhengce/2022-biaozhun/",
        |b| b.contains("<h1>测试县2022年城乡低保标准</h1>"),
    );
    wait_for(
        &server.addr,
        "/xian/shehui-jiuzhu/dibao-zhengce/2024-xiuding/",
        |b| b.contains("<h1>测试县2024年城乡低保标准</h1>"),
    );
    wait_for(
        &server.addr,
        "/xian/shehui-jiuzhu/dibao-shenpi/2024-05-mingdan/",
        |b| b.contains("补充名单.csv"),
    );
    for gone in [PAGE, "/xian/shehui-jiuzhu/dibao-zhengce/2023-biaozhun/"] {
        assert_eq!(get(&server.addr, gone).0, 404, "{gone}");
    }
    assert_preview_is_the_full_build(&f, &server);
}

/// Saves [`ENTRY`] with "（修订）" after its title (and everywhere else it names itself).
fn revise_title(f: &Fixture) {
    f.write(
        ENTRY,
        f.read(ENTRY).replace(
            "测试县2024年城乡低保标准",
            "测试县2024年城乡低保标准（修订）",
        ),
    );
}

/// Every file a full `gongkai build` of the fixture writes (less the printed guides) is served by
/// the preview with the same bytes, less the reload script the preview adds to each page.
fn assert_preview_is_the_full_build(f: &Fixture, server: &Server) {
    let built = f.dir().join("full-build");
    let run = f.run(&["build", "--as-of", "2024-06-30", "--out", "full-build"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let mut compared = 0;
    for file in walkdir::WalkDir::new(&built) {
        let file = file.expect("walk");
        if !file.file_type().is_file() {
            continue;
        }
        let rel = file.path().strip_prefix(&built).expect("inside");
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel.ends_with(".pdf") {
            continue; // the printed guides: the preview does not typeset them
        }
        let expected =
            String::from_utf8_lossy(&std::fs::read(file.path()).expect("read")).into_owned();
        let url: Vec<String> = rel.split('/').map(gongkai::render::links::encode).collect();
        let url = url.join("/");
        let (status, served) = get(&server.addr, &format!("/{url}"));
        assert_eq!(status, 200, "/{rel}");
        let served = match served.find("<script src=\"/__gongkai/reload.js\"") {
            Some(at) => {
                let end = at + served[at..].find("</script>").expect("script end") + 9;
                format!("{}{}", &served[..at], &served[end..])
            }
            None => served,
        };
        assert!(served == expected, "/{rel} differs from the full build");
        compared += 1;
    }
    assert!(compared > 20, "only {compared} files compared");
}

fn read_event(reader: &mut BufReader<TcpStream>) -> u64 {
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line).expect("an event");
        if let Some(n) = line.trim().strip_prefix("data: ") {
            return n.parse().expect("generation");
        }
    }
}

#[test]
fn traversal_is_refused_and_types_are_right() {
    let f = Fixture::mini();
    std::fs::write(f.dir().join("secret.txt"), "机密").expect("secret");
    let server = start(&f);
    for path in [
        "/../secret.txt",
        "/xian/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/xian/%2E%2E/%2E%2E/secret.txt",
    ] {
        let (status, body) = get(&server.addr, path);
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(!body.contains("机密"), "{path}");
    }
    let (_, head, _) = request(&server.addr, "/static/style.css", &server.addr);
    assert!(head.contains("content-type: text/css"), "{head}");
    let (status, body) = get(&server.addr, "/nowhere/");
    assert_eq!(status, 404);
    assert!(body.contains("找不到页面"));
}

/// Every response tells the browser not to guess types and carries the site's
/// Content-Security-Policy; an attachment a browser would run (published because site.toml opts
/// in) is only ever a download.
#[test]
fn responses_carry_the_security_headers_and_active_attachments_download() {
    let f = Fixture::mini();
    f.write(
        "site.toml",
        f.read("site.toml") + "active_attachments = true\n",
    );
    let folder = "units/xian/shehui-jiuzhu/dibao-shenpi/2024-05-mingdan";
    f.write(
        &format!("{folder}/说明.html"),
        "<script>alert(document.domain)</script>",
    );
    let server = start(&f);
    let attachment = "/xian/shehui-jiuzhu/dibao-shenpi/2024-05-mingdan/%E8%AF%B4%E6%98%8E.html";
    let (status, head, body) = request(&server.addr, attachment, &server.addr);
    assert_eq!(status, 200, "{head}");
    assert!(
        head.contains("content-disposition: attachment; filename*=utf-8''%e8%af%b4%e6%98%8e.html"),
        "{head}"
    );
    assert!(
        !body.contains("__gongkai"),
        "nothing is injected into a download"
    );
    for path in [
        PAGE,
        "/static/style.css",
        "/static/search.js",
        "/nowhere/",
        attachment,
        "/__gongkai/reload.js",
    ] {
        let (_, head, _) = request(&server.addr, path, &server.addr);
        assert!(
            head.contains("x-content-type-options: nosniff"),
            "{path}: {head}"
        );
        assert!(
            head.contains(
                "content-security-policy: default-src 'self'; script-src 'self'; style-src 'self';"
            ),
            "{path}: {head}"
        );
    }
    // The pages themselves have no inline script the policy would block: the preview's reload
    // script is a file too.
    let (_, _, page) = request(&server.addr, PAGE, &server.addr);
    for (at, _) in page.match_indices("<script") {
        let tag = &page[at..at + page[at..].find('>').expect("tag end")];
        assert!(tag.contains(" src="), "{tag}");
    }
    assert!(!page.contains(" style="), "{page}");
}

/// The preview answered any `Host`, so a web page whose own name was pointed at 127.0.0.1 (DNS
/// rebinding) could read it, drafts included; only the loopback names with the port are
/// answered now.
#[test]
fn only_loopback_host_names_are_answered() {
    let f = Fixture::mini();
    let server = start(&f);
    let port = server.addr.rsplit(':').next().expect("port").to_owned();
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let (status, head, _) = request(&server.addr, PAGE, &host);
        assert_eq!(status, 200, "{host}: {head}");
    }
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_owned(),
        format!("127.0.0.1.evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        "127.0.0.1".to_owned(),
        format!("127.0.0.1:{port}0"),
    ] {
        for path in [PAGE, "/__gongkai/events", "/static/style.css"] {
            let (status, head, body) = request(&server.addr, path, &host);
            assert_eq!(status, 403, "{host} {path}: {head}");
            assert!(body.contains("拒绝访问"), "{body}");
            assert!(!body.contains("测试县"), "nothing of the site: {body}");
        }
    }
    // No Host at all (HTTP/1.0).
    let mut stream = TcpStream::connect(&server.addr).expect("connect");
    write!(stream, "GET {PAGE} HTTP/1.0\r\n\r\n").expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    assert!(
        response.starts_with("HTTP/1.1 403") || response.starts_with("HTTP/1.0 403"),
        "{response}"
    );
}

/// A folder asked for without its slash was sent as a file (application/octet-stream, so a
/// download); it is now redirected to the folder.
#[test]
fn a_folder_without_its_slash_is_redirected() {
    let f = Fixture::mini();
    let server = start(&f);
    let folder = PAGE.trim_end_matches('/');
    for (path, location) in [
        (folder.to_owned(), PAGE.to_owned()),
        (format!("{folder}?q=1"), format!("{PAGE}?q=1")),
        ("/xian".to_owned(), "/xian/".to_owned()),
        ("//xian".to_owned(), "/xian/".to_owned()),
    ] {
        let (status, head, _) = request(&server.addr, &path, &server.addr);
        assert_eq!(status, 301, "{path}: {head}");
        assert!(
            head.contains(&format!("\r\nlocation: {location}\r\n")),
            "{path}: {head}"
        );
    }
    let (status, head, body) = request(&server.addr, PAGE, &server.addr);
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/html"), "{head}");
    assert!(body.contains("<h1>测试县2024年城乡低保标准</h1>"));
    // A file is still a file.
    assert_eq!(get(&server.addr, "/static/style.css").0, 200);
}

/// `serve --unit` builds one township (with the units under and above it): its siblings were
/// listed on the root and county pages, and their links led to 404s. A listed unit is now a
/// built one, and no link of the pages around the unit is dead.
#[test]
fn serve_one_unit_links_no_unit_it_did_not_build() {
    let f = Fixture::sample();
    let server = start_with(
        &f,
        &[],
        &["--as-of", "2025-06-30", "--unit", "shiqu/shizhen"],
    );
    let pages = [
        "/",
        "/shiqu/",
        "/shiqu/sitemap/",
        "/shiqu/shizhen/",
        "/shiqu/shizhen/sitemap/",
        "/shiqu/shizhen/renmincun/",
    ];
    let (_, root) = get(&server.addr, "/");
    assert!(root.contains("示例镇") && root.contains("人民村"), "{root}");
    for page in pages {
        let (status, body) = get(&server.addr, page);
        assert_eq!(status, 200, "{page}");
        for sibling in ["东街街道", "河西乡"] {
            assert!(!body.contains(sibling), "{page} lists {sibling}:\n{body}");
        }
        for href in body
            .split("href=\"")
            .skip(1)
            .filter_map(|h| h.split('"').next())
        {
            if href.starts_with("http") || href.starts_with('#') || href.starts_with("mailto:") {
                continue;
            }
            let target = join(page, href.split(['#', '?']).next().unwrap_or(href));
            let (status, _) = get(&server.addr, &target);
            assert_eq!(status, 200, "{page} links {href} ({target})");
        }
    }
    // A sibling's pages are not in the preview.
    assert_eq!(get(&server.addr, "/shiqu/dongjie/").0, 404);
}

/// The URL path `href` leads to from the page at `page` (both `/`-rooted folders).
fn join(page: &str, href: &str) -> String {
    if href.starts_with('/') {
        return href.to_owned();
    }
    let mut parts: Vec<&str> = page.split('/').filter(|p| !p.is_empty()).collect();
    let trailing = href.ends_with('/') || href.is_empty();
    for piece in href.split('/').filter(|p| !p.is_empty()) {
        match piece {
            "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let joined = format!("/{}", parts.join("/"));
    if trailing && joined != "/" {
        format!("{joined}/")
    } else {
        joined
    }
}

/// The preview serves the 繁體 edition too, with the attachments its pages link in the 简体 tree.
#[test]
fn the_traditional_edition_is_served() {
    let f = Fixture::mini();
    let site = f.read("site.toml");
    f.write("site.toml", format!("{site}traditional = true\n"));
    let server = start(&f);
    let (status, body) = get(&server.addr, "/zh-hant/xian/");
    assert_eq!(status, 200);
    assert!(body.contains("<html lang=\"zh-Hant\">"), "{body}");
    assert!(body.contains("測試縣"), "{body}");
    let (status, _) = get(&server.addr, "/zh-hant/xian/search.json");
    assert_eq!(status, 200);
    let (status, _) = get(
        &server.addr,
        "/xian/shehui-jiuzhu/dibao-shenpi/2024-05-mingdan/%E4%BD%8E%E4%BF%9D%E5%90%8D%E5%8D%95.csv",
    );
    assert_eq!(status, 200);
}

/// `--unit` takes a unit's name as `new` and `list` do.
#[test]
fn serve_one_unit_by_its_chinese_name() {
    let f = Fixture::sample();
    let server = start_with(&f, &[], &["--as-of", "2025-06-30", "--unit", "示例镇"]);
    assert_eq!(get(&server.addr, "/shiqu/shizhen/").0, 200);
    assert_eq!(get(&server.addr, "/shiqu/shizhen/renmincun/").0, 200);
    assert_eq!(get(&server.addr, "/shiqu/dongjie/").0, 404);
}

/// In a git repository, the preview reads the history once and again only after a commit: a
/// change committed while it runs becomes the page's 更新时间.
#[test]
fn a_commit_while_serving_is_the_pages_new_update_date() {
    use crate::history::{commit_all, git};
    let f = Fixture::mini();
    let dir = f.dir().join("catalog");
    let entry = "units/xian/shehui-jiuzhu/dibao-zhengce/on-time.md";
    let page = "/xian/shehui-jiuzhu/dibao-zhengce/on-time/";
    git(&dir, &["init", "-q"], "2024-05-07");
    f.write(
        entry,
        "+++\ntitle = \"标准20\"\ncreated = 2024-05-06\npublished = 2024-05-06\nindex_no = \"11999100MB0000001X/2024-00020\"\n+++\n正文。\n",
    );
    commit_all(&dir, "2024-05-07");
    let server = start(&f);
    wait_for(&server.addr, page, |b| {
        b.contains("更新时间：<time datetime=\"2024-05-06\">")
    });
    f.write(entry, f.read(entry).replace("正文。", "正文（更正错字）。"));
    wait_for(&server.addr, page, |b| b.contains("正文（更正错字）。"));
    commit_all(&dir, "2024-06-25");
    wait_for(&server.addr, page, |b| {
        b.contains("更新时间：<time datetime=\"2024-06-25\">")
    });
}
