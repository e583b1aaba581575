//! A small harness: copy a fixture catalog to a temp dir, change files, run the binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A catalog copied into a temporary folder (as `<tmp>/catalog`), run from `<tmp>`.
pub struct Fixture {
    dir: tempfile::TempDir,
    as_of: &'static str,
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

impl Fixture {
    /// The small two-domain fixture in `tests/fixtures/mini`.
    pub fn mini() -> Fixture {
        Fixture::copy_of(&repo().join("tests/fixtures/mini/catalog"), "2024-06-30")
    }

    /// The audit fixture in `tests/fixtures/audit`, whose files mark expected findings with
    /// `# expect: <code>` on the line above the key.
    pub fn audit() -> Fixture {
        Fixture::copy_of(&repo().join("tests/fixtures/audit/catalog"), "2024-06-30")
    }

    /// An empty folder, for commands that create catalogs.
    pub fn empty() -> Fixture {
        Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
            as_of: "2025-06-30",
        }
    }

    /// A fresh district made by `gongkai init --units` from a CSV of a county and two towns, as
    /// `<tmp>/catalog` (nothing published yet), judged at 2025-06-30.
    pub fn district() -> Fixture {
        let f = Fixture::empty();
        std::fs::write(
            f.dir().join("units.csv"),
            "名称,层级,区划代码,上级区划代码,发布机构\n\
             示例一区,县级,999003000000,,示例一区人民政府办公室\n\
             东山镇,乡级,999003001000,999003000000,东山镇人民政府\n\
             西河街道,乡级,999003002000,999003000000,西河街道办事处\n",
        )
        .expect("csv");
        f.run(&["init", "catalog", "--units", "units.csv"])
            .expect_code(0);
        f
    }

    /// The repository's sample catalog.
    pub fn sample() -> Fixture {
        Fixture::copy_of(&repo().join("catalog"), "2025-06-30")
    }

    fn copy_of(catalog: &Path, as_of: &'static str) -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(catalog, &dir.path().join("catalog"));
        Fixture { dir, as_of }
    }

    /// The temporary folder (the working directory of runs).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file under the catalog, creating folders.
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) {
        let path = self.dir().join("catalog").join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, content).expect("write");
    }

    /// Replaces the sample values of `site.toml` (web address, 网站标识码, ICP) with real-looking
    /// ones, as a district does before going live, so no `placeholder` warning is left.
    pub fn fill_in_site(&self) {
        let site = self
            .read("site.toml")
            .replace(
                "https://www.example.gov.cn/",
                "https://www.ceshixian.gov.cn/",
            )
            .replace("\"9999000009\"", "\"4400000009\"")
            .replace("测ICP备00000001号", "粤ICP备00000009号");
        self.write("site.toml", site);
    }

    /// Reads a file under the catalog.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir().join("catalog").join(rel)).expect("read")
    }

    /// Runs `gongkai <args>` in the fixture's folder.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .args(args)
            .current_dir(self.dir())
            .output()
            .expect("run gongkai");
        Run(output)
    }

    /// Runs `gongkai <args>` in the fixture's folder with extra environment variables.
    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .args(args)
            .envs(env.iter().copied())
            .current_dir(self.dir())
            .output()
            .expect("run gongkai");
        Run(output)
    }

    /// Runs `gongkai build` into `public/`, judged at the fixture's date (2024-06-30 for the
    /// mini fixture, 2025-06-30 for the sample).
    pub fn build(&self) -> Run {
        self.run(&["build", "--as-of", self.as_of])
    }

    /// A file of the built site.
    pub fn page(&self, rel: &str) -> String {
        let path = self.dir().join("public").join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }
}

/// The outcome of one run.
pub struct Run(pub Output);

impl Run {
    /// The exit code.
    pub fn code(&self) -> i32 {
        self.0.status.code().expect("exit code")
    }

    /// Standard error as text.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }

    /// Standard output as text.
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }

    /// Asserts the exit code, showing stderr when it differs.
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code(),
            code,
            "stderr:\n{}\nstdout:\n{}",
            self.stderr(),
            self.stdout()
        );
        self
    }
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let target = to.join(entry.path().strip_prefix(from).expect("prefix"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Asserts two [`tree`]s hold the same files with the same bytes; `what` names the comparison
/// in the failure.
pub fn assert_same_tree(a: &[(String, Vec<u8>)], b: &[(String, Vec<u8>)], what: &str) {
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(a), names(b), "{what}: the same files");
    for ((path, x), (_, y)) in a.iter().zip(b) {
        assert!(x == y, "{what}: {path} differs");
    }
}

/// Every file under `dir` with its bytes, sorted by relative path.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
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
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect();
    files.sort();
    files
}

/// The `<main>` element of a page, for snapshots.
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("<main>");
    let end = html.find("</main>").expect("</main>") + "</main>".len();
    &html[start..end]
}

/// A 居民身份证号码 with a correct GB 11643 check character, built here so no real one is stored.
pub fn id_card(prefix17: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = prefix17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).expect("digit") * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{prefix17}{check}")
}
