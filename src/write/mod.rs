//! Stage 5, write: pages go into a staging folder beside the output folder; only when every page
//! is written is the staging folder swapped in (two renames), so a failed or interrupted build
//! never leaves a half-written site, and the previous site stays exactly as it was.

use crate::render::OutputFile;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

mod manifest;
pub mod site;
mod stamp;

/// A site being written.
#[derive(Debug)]
pub struct Staging {
    out: PathBuf,
    staging: PathBuf,
    old: PathBuf,
}

/// What a staging folder replaces when it is swapped in. An existing folder is replaced only if
/// it is empty or recognisably one of these, so a mistyped `--out` (a desktop, a documents
/// folder) is refused instead of deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replaces {
    /// A site built by gongkai: it has the site-wide `data/index.json` or a manifest beside it,
    /// or it holds only the printed guides `gongkai book` wrote.
    Site,
    /// An audit dashboard: its `index.html` carries [`DASHBOARD_MARK`] (or, written before the
    /// mark existed, the overview's heading).
    Dashboard,
    /// Nothing: the folder must be missing or empty.
    Nothing,
}

/// The line in a dashboard's `index.html` that marks the folder as gongkai's to replace.
pub const DASHBOARD_MARK: &str = "<meta name=\"generator\" content=\"gongkai check\">";

/// The overview heading of dashboards written before [`DASHBOARD_MARK`] existed.
const OLD_DASHBOARD: &str = "<h1>基层政务公开审计（核查日期 ";

/// A write failure, in Chinese.
#[derive(Debug)]
pub struct WriteError(pub String);

/// The file or folder `.<name>.gongkai-<what>` beside the output folder `out` (`<name>` is the
/// output folder's name): the build's own files live there, never published with the site.
pub fn beside_output(out: &Path, what: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    out.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join(format!(".{name}.gongkai-{what}"))
}

/// Writes `magic` and then `value` as postcard into `tmp` through a small buffer (never the
/// whole encoding in memory), then renames `tmp` to `path`: a reader sees the old file or the
/// whole new one.
pub fn write_postcard<T: serde::Serialize>(
    path: &Path,
    tmp: &Path,
    magic: &[u8],
    value: &T,
) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = std::io::BufWriter::with_capacity(1 << 16, std::fs::File::create(tmp)?);
    file.write_all(magic)?;
    let file = postcard::to_io(value, file).map_err(std::io::Error::other)?;
    file.into_inner()
        .map_err(std::io::IntoInnerError::into_error)?;
    std::fs::rename(tmp, path)
}

impl Staging {
    /// Prepares a fresh staging folder for `out`. Refuses an output folder that would contain
    /// or replace `catalog_root`, if given, and an existing `out` that is not what `replaces`
    /// says (deleting either would lose data).
    pub fn create(
        out: &Path,
        catalog_root: Option<&Path>,
        replaces: Replaces,
    ) -> Result<Staging, WriteError> {
        out.file_name()
            .and_then(|n| n.to_str())
            .filter(|n| !n.is_empty() && *n != "." && *n != "..")
            .ok_or_else(|| {
                WriteError(format!(
                    "输出文件夹“{}”无效：请指定一个具体的文件夹名，如 public。",
                    out.display()
                ))
            })?;
        let abs = |p: &Path| {
            std::path::absolute(p)
                .map(|p| normalize(&p))
                .unwrap_or_else(|_| p.to_path_buf())
        };
        if let Some(catalog_root) = catalog_root
            && abs(catalog_root).starts_with(abs(out))
        {
            return Err(WriteError(format!(
                "输出文件夹“{}”包含目录文件夹“{}”：构建会覆盖目录，已拒绝。请换一个输出文件夹（如 public）。",
                out.display(),
                catalog_root.display()
            )));
        }
        check_replaceable(out, replaces)?;
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| io(parent, &e))?;
        let staging = beside_output(out, "staging");
        let old = beside_output(out, "old");
        for leftover in [&staging, &old] {
            // Both names are gongkai's own; whatever is there is a previous build's leftover.
            match std::fs::symlink_metadata(leftover) {
                Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(leftover),
                Ok(_) => std::fs::remove_file(leftover),
                Err(_) => Ok(()),
            }
            .map_err(|e| io(leftover, &e))?;
        }
        std::fs::create_dir(&staging).map_err(|e| io(&staging, &e))?;
        Ok(Staging {
            out: out.to_path_buf(),
            staging,
            old,
        })
    }

    /// Writes files into the staging folder.
    pub fn write_all(&self, files: Vec<OutputFile>) -> Result<(), WriteError> {
        for file in files {
            write_file(&self.staging.join(safe_rel(file.path())?), &file)?;
        }
        Ok(())
    }

    /// The staging folder.
    pub fn dir(&self) -> &Path {
        &self.staging
    }

    /// Keeps the staging folder for the caller to fill and clean up itself.
    pub fn into_dir(self) -> PathBuf {
        self.staging
    }

    /// Swaps the staging folder in place of the output folder and removes the previous site.
    pub fn commit(self) -> Result<(), WriteError> {
        let had_previous = self.out.exists();
        if had_previous {
            std::fs::rename(&self.out, &self.old).map_err(|e| io(&self.out, &e))?;
        }
        if let Err(e) = std::fs::rename(&self.staging, &self.out) {
            if had_previous {
                let _ = std::fs::rename(&self.old, &self.out);
            }
            return Err(io(&self.out, &e));
        }
        if had_previous {
            std::fs::remove_dir_all(&self.old).map_err(|e| io(&self.old, &e))?;
        }
        Ok(())
    }

    /// Removes the staging folder, leaving the output folder untouched.
    pub fn abandon(self) {
        let _ = std::fs::remove_dir_all(&self.staging);
    }
}

/// Refuses to go on if `out` exists and is not a folder that `replaces` allows replacing.
fn check_replaceable(out: &Path, replaces: Replaces) -> Result<(), WriteError> {
    let Ok(meta) = std::fs::symlink_metadata(out) else {
        return Ok(()); // nothing there yet
    };
    let shown = out.display();
    if meta.file_type().is_symlink() {
        return Err(WriteError(format!(
            "输出文件夹“{shown}”是一个符号链接：换上新网站时会把链接本身换成文件夹，链接指向的地方不会更新。\
             请直接指定链接指向的真实文件夹。"
        )));
    }
    if !meta.is_dir() {
        return Err(WriteError(format!(
            "“{shown}”是一个文件，不是文件夹：请换一个输出文件夹名（如 public）。"
        )));
    }
    let empty = std::fs::read_dir(out)
        .map_err(|e| io(out, &e))?
        .next()
        .is_none();
    let ours = empty
        || match replaces {
            Replaces::Site => {
                out.join("data/index.json").is_file()
                    || manifest::path(out).exists()
                    || only_books(out)
            }
            Replaces::Dashboard => std::fs::read_to_string(out.join("index.html"))
                .is_ok_and(|page| page.contains(DASHBOARD_MARK) || page.contains(OLD_DASHBOARD)),
            Replaces::Nothing => false,
        };
    if ours {
        return Ok(());
    }
    let what = match replaces {
        Replaces::Site => " gongkai 生成的网站（其中没有 data/index.json）或办事一本通",
        Replaces::Dashboard => " gongkai 生成的核查看板（其中的 index.html 不是看板）",
        Replaces::Nothing => "空文件夹",
    };
    Err(WriteError(format!(
        "文件夹“{shown}”里已有内容，但它不是{what}。写入会用新内容替换整个文件夹，为免误删已拒绝。\
         请换一个新的或空的文件夹；如果确定里面的内容不再需要，请先手动删除它。"
    )))
}

/// Whether `out` holds nothing but printed guides `gongkai book` wrote (`<unit>/book.pdf`,
/// `<unit>/book/index.html` with gongkai's generator tag, and its temporary files): a folder
/// gongkai wrote, whichever command wrote it, is gongkai's to replace.
fn only_books(out: &Path) -> bool {
    fn walk(dir: &Path, files: &mut usize) -> bool {
        let Ok(listing) = std::fs::read_dir(dir) else {
            return false;
        };
        listing.flatten().all(|e| {
            let path = e.path();
            let name = e.file_name();
            let name = name.to_string_lossy();
            match e.file_type() {
                Ok(t) if t.is_dir() => walk(&path, files),
                Ok(t) if t.is_file() => {
                    *files += 1;
                    let head = |n: usize| {
                        let mut buf = vec![0; n];
                        std::fs::File::open(&path)
                            .and_then(|mut f| std::io::Read::read(&mut f, &mut buf))
                            .map(|read| String::from_utf8_lossy(&buf[..read]).into_owned())
                            .unwrap_or_default()
                    };
                    match &*name {
                        "book.pdf" => head(5) == "%PDF-",
                        "index.html" => {
                            path.parent().and_then(Path::file_name) == Some("book".as_ref())
                                && head(1024)
                                    .contains("<meta name=\"generator\" content=\"gongkai\">")
                        }
                        other => other.starts_with('.') && other.ends_with(".gongkai-tmp"),
                    }
                }
                _ => false,
            }
        })
    }
    let mut files = 0;
    walk(out, &mut files) && files > 0
}

/// An output path as a relative path; refuses anything that would leave the output folder.
pub fn safe_rel(path: &str) -> Result<&Path, WriteError> {
    // Stricter than `Path::components` (which would skip `a//b` and a trailing `.`), and a
    // plain byte scan: every manifest record goes through here on every build. On Windows a
    // backslash separates folders too, and a colon would name a drive.
    let separator = |c: char| c == '/' || (cfg!(windows) && c == '\\');
    let odd = path.is_empty() || path.contains('\0') || (cfg!(windows) && path.contains(':'));
    let safe = !odd
        && path
            .split(separator)
            .all(|part| !matches!(part, "" | "." | ".."));
    if safe {
        Ok(Path::new(path))
    } else {
        Err(WriteError(format!(
            "内部错误：输出路径“{path}”会离开输出文件夹，已拒绝。"
        )))
    }
}

/// Writes one output file at `dest`, creating its folder.
pub fn write_file(dest: &Path, file: &OutputFile) -> Result<(), WriteError> {
    if let Some(dir) = dest.parent() {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, &e))?;
    }
    match file {
        OutputFile::Bytes { bytes, .. } => {
            let f = std::fs::File::create(dest).map_err(|e| io(dest, &e))?;
            let mut w = std::io::BufWriter::new(f);
            w.write_all(bytes).map_err(|e| io(dest, &e))?;
            w.flush().map_err(|e| io(dest, &e))?;
        }
        OutputFile::Copy { from, .. } => {
            std::fs::copy(from, dest).map_err(|e| io(from, &e))?;
        }
    }
    Ok(())
}

pub(crate) fn io(path: &Path, err: &std::io::Error) -> WriteError {
    WriteError(format!(
        "写入“{}”失败：{}。",
        path.display(),
        crate::reason::io(err)
    ))
}

/// Resolves `.` and `..` lexically.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::safe_rel;

    #[test]
    fn only_plain_relative_paths_stay_inside_the_output() {
        for good in [
            "index.html",
            "xian/zhen/index.html",
            "static/附件 1.pdf",
            "a..b/c",
        ] {
            assert!(safe_rel(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a/..",
            "./a",
            "a/./b",
            "a//b",
            "a/",
            "a\0b",
        ] {
            assert!(safe_rel(bad).is_err(), "{bad:?}");
        }
    }
}
