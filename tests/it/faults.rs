//! Faults: builds killed at many points (while rendering, while staging, during the final
//! renames, in fresh and in incremental mode) and builds raced in pairs into one output folder.
//! Whatever a killed or raced build leaves, the next ordinary build must equal a clean build
//! byte for byte, and two builds at once must never leave a mix of both.

use crate::harness::{Fixture, copy_dir, tree};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const AS_OF: &str = "2025-06-30";

fn spawn_build(dir: &Path, root: &str, out: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["build", "--as-of", AS_OF, "--root", root, "--out", out])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start gongkai")
}

fn build(dir: &Path, root: &str, out: &str) {
    let output = spawn_build(dir, root, out)
        .wait_with_output()
        .expect("gongkai ran");
    assert!(
        output.status.success(),
        "build --root {root} --out {out} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A catalog that changes every page: the site's title.
fn retitled(f: &Fixture, from: &str, to: &str) {
    let site = std::fs::read_to_string(f.dir().join(from).join("site.toml")).expect("site.toml");
    assert!(site.contains("title = \""), "site.toml has a title");
    copy_dir(&f.dir().join(from), &f.dir().join(to));
    std::fs::write(
        f.dir().join(to).join("site.toml"),
        site.replacen("title = \"", "title = \"（改）", 1),
    )
    .expect("write site.toml");
}

fn describe(a: &[(String, Vec<u8>)], b: &[(String, Vec<u8>)]) -> String {
    let names = |t: &[(String, Vec<u8>)]| -> std::collections::BTreeSet<String> {
        t.iter().map(|(n, _)| n.clone()).collect()
    };
    let (na, nb) = (names(a), names(b));
    let differ = a
        .iter()
        .zip(b)
        .filter(|((p, x), (q, y))| p == q && x != y)
        .count();
    format!(
        "{} files vs {}; only in the first: {:?}; only in the second: {:?}; {differ} differ",
        a.len(),
        b.len(),
        na.difference(&nb).take(5).collect::<Vec<_>>(),
        nb.difference(&na).take(5).collect::<Vec<_>>(),
    )
}

#[test]
fn a_build_killed_anywhere_is_repaired_by_the_next_build() {
    let f = Fixture::sample();
    retitled(&f, "catalog", "catalog-b");
    let dir = f.dir();
    build(dir, "catalog", "ref-a");
    build(dir, "catalog-b", "ref-b");
    let (ref_a, ref_b) = (tree(&dir.join("ref-a")), tree(&dir.join("ref-b")));
    assert_ne!(ref_a, ref_b);

    // How long an uninterrupted change of every page takes, to spread the kills over it.
    build(dir, "catalog", "public");
    let started = Instant::now();
    build(dir, "catalog-b", "public");
    let span = started.elapsed().max(Duration::from_millis(50));
    build(dir, "catalog", "public");

    // Each round kills a build that changes every page (towards the other catalog), then
    // repairs with an ordinary build; the next round goes back the other way.
    let points = 10;
    let mut interrupted = 0;
    let mut current = "catalog";
    for k in 0..points {
        for fresh in [false, true] {
            let (target, reference) = if current == "catalog" {
                ("catalog-b", &ref_b)
            } else {
                ("catalog", &ref_a)
            };
            // In fresh mode (no manifest) the whole site is staged and swapped in.
            if fresh {
                let _ = std::fs::remove_file(dir.join(".public.gongkai-manifest"));
            }
            let mut child = spawn_build(dir, target, "public");
            std::thread::sleep(span * k / points);
            if child.try_wait().expect("poll").is_none() {
                interrupted += 1;
            }
            let _ = child.kill();
            let _ = child.wait();
            build(dir, target, "public");
            let now = tree(&dir.join("public"));
            assert!(
                now == *reference,
                "after a kill at {k}/{points} ({}), the next build differs from a clean build: {}",
                if fresh { "fresh" } else { "incremental" },
                describe(&now, reference)
            );
            current = target;
        }
    }
    // The kills must have hit running builds, or this test proves nothing.
    assert!(
        interrupted >= points,
        "only {interrupted} of {} kills hit a running build",
        2 * points
    );
}

#[test]
fn two_builds_at_once_never_leave_a_mix_and_the_next_build_is_clean() {
    let f = Fixture::sample();
    retitled(&f, "catalog", "catalog-b");
    let dir = f.dir();
    build(dir, "catalog", "ref-a");
    build(dir, "catalog-b", "ref-b");
    let (ref_a, ref_b) = (tree(&dir.join("ref-a")), tree(&dir.join("ref-b")));
    for round in 0..6 {
        if round % 2 == 1 {
            // Every other round starts fresh (no output, no manifest).
            let _ = std::fs::remove_dir_all(dir.join("public"));
            let _ = std::fs::remove_file(dir.join(".public.gongkai-manifest"));
        }
        let a = spawn_build(dir, "catalog", "public");
        let b = spawn_build(dir, "catalog-b", "public");
        for (name, child) in [("A", a), ("B", b)] {
            let output = child.wait_with_output().expect("gongkai ran");
            assert!(
                output.status.success(),
                "round {round}: build {name} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let now = tree(&dir.join("public"));
        assert!(
            now == ref_a || now == ref_b,
            "round {round}: two builds at once left a site that is neither: {} / {}",
            describe(&now, &ref_a),
            describe(&now, &ref_b)
        );
        build(dir, "catalog-b", "public");
        assert!(
            tree(&dir.join("public")) == ref_b,
            "round {round}: the next build is not clean"
        );
    }
}

#[test]
fn a_second_writer_waits_for_the_first_or_says_who_holds_the_folder() {
    let f = Fixture::sample();
    let dir = f.dir();
    // Hold the output's lock as a running build would.
    let lock = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(dir.join(".public.gongkai-lock"))
        .expect("lock file");
    lock.lock().expect("lock");
    std::fs::write(
        dir.join(".public.gongkai-lock"),
        "进程 4242（gongkai build，北京时间 2026-12-04 10:00:00 开始）",
    )
    .expect("holder");

    let refused = f.run(&["build", "--as-of", AS_OF, "--no-wait"]);
    refused.expect_code(2);
    assert!(
        refused.stderr().contains("进程 4242（gongkai build")
            && refused.stderr().contains("正在写入“public”"),
        "{}",
        refused.stderr()
    );
    assert!(!dir.join("public").exists(), "nothing was written");

    let mut waiting = spawn_build(dir, "catalog", "public");
    std::thread::sleep(Duration::from_millis(700));
    assert!(
        waiting.try_wait().expect("poll").is_none(),
        "the second build waits while the folder is held"
    );
    drop(lock);
    let output = waiting.wait_with_output().expect("ran");
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("等它结束后再继续"), "{stderr}");
    assert!(dir.join("public/index.html").is_file());
}
