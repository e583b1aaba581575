//! Stage 5, write: pages go into a staging folder beside the output folder; only when every page
//! is written is the staging folder swapped in (two renames), so a failed build never leaves a
//! half-written site, and the previous site stays exactly as it was. Every writer holds the
//! output's [`crate::files::OutputLock`] first, so each run stages in a folder of its own and
//! never meets another run's files.

use crate::failure::Failure;
use crate::files::{beside_output, safe_rel};
use crate::render::OutputFile;
use std::io::Write as _;
use std::path::{Path, PathBuf};

pub mod folder;
pub mod site;

/// A folder being written beside the output folder it will replace. It cleans itself up: unless
/// [`Staging::commit`] swapped it in, dropping it (an error returned early, a panic unwinding)
/// removes the staging folder and leaves the output folder as it was.
#[derive(Debug)]
pub struct Staging {
    out: PathBuf,
    staging: PathBuf,
    old: PathBuf,
    /// Set once the staging folder has become the output folder.
    committed: bool,
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
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

impl Staging {
    /// Prepares a fresh staging folder for `out`. Refuses an output folder that would contain
    /// or replace `catalog_root`, if given, and an existing `out` that is not what `replaces`
    /// says (deleting either would lose data).
    pub fn create(
        out: &Path,
        catalog_root: Option<&Path>,
        replaces: Replaces,
    ) -> Result<Staging, Failure> {
        out.file_name()
            .and_then(|n| n.to_str())
            .filter(|n| !n.is_empty() && *n != "." && *n != "..")
            .ok_or_else(|| {
                Failure(format!(
                    "输出文件夹“{}”无效：请指定一个具体的文件夹名，如 public。",
                    out.display()
                ))
            })?;
        let abs = |p: &Path| {
            std::path::absolute(p)
                .map(|p| crate::files::normalize(&p))
                .unwrap_or_else(|_| p.to_path_buf())
        };
        if let Some(catalog_root) = catalog_root
            && abs(catalog_root).starts_with(abs(out))
        {
            return Err(Failure(format!(
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
        std::fs::create_dir_all(parent).map_err(|e| Failure::write(parent, &e))?;
        remove_leftovers(out);
        // This build's own names: a leftover that could not be removed never blocks it.
        let own = |what: &str| {
            (0..)
                .map(|n| beside_output(out, &format!("{what}-{}-{n}", std::process::id())))
                .find(|p| std::fs::symlink_metadata(p).is_err())
                .unwrap_or_else(|| beside_output(out, what))
        };
        let staging = own("staging");
        let old = own("old");
        std::fs::create_dir(&staging).map_err(|e| Failure::write(&staging, &e))?;
        Ok(Staging {
            out: out.to_path_buf(),
            staging,
            old,
            committed: false,
        })
    }

    /// Writes files into the staging folder.
    pub fn write_all(&self, files: Vec<OutputFile>) -> Result<(), Failure> {
        for file in files {
            write_file(&self.staging.join(safe_rel(file.path())?), &file)?;
        }
        Ok(())
    }

    /// The staging folder.
    pub fn dir(&self) -> &Path {
        &self.staging
    }

    /// Swaps the staging folder in place of the output folder and removes the previous site.
    pub fn commit(mut self) -> Result<(), Failure> {
        let had_previous = self.out.exists();
        if had_previous {
            std::fs::rename(&self.out, &self.old).map_err(|e| Failure::write(&self.out, &e))?;
        }
        if let Err(e) = std::fs::rename(&self.staging, &self.out) {
            if had_previous {
                let _ = std::fs::rename(&self.old, &self.out);
            }
            return Err(Failure::write(&self.out, &e));
        }
        self.committed = true;
        if had_previous && let Err(e) = std::fs::remove_dir_all(&self.old) {
            // The new folder is in place: the command succeeded. What is left is never
            // published (it is beside the output folder) and the next run removes it.
            eprintln!(
                "提示：“{}”已经换成新的内容，但旧版本“{}”没能删除：{}。它不会被发布，可以手动删除。",
                self.out.display(),
                self.old.display(),
                crate::reason::io(&e)
            );
        }
        Ok(())
    }
}

/// Removes what earlier runs left beside `out` (`.<name>.gongkai-staging…` and `-old…`
/// folders): the caller holds the output's lock, so no other writer is using them. Best effort:
/// what cannot be removed stays, and new runs use other names.
fn remove_leftovers(out: &Path) {
    let Some(name) = out.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Ok(listing) = std::fs::read_dir(parent) else {
        return;
    };
    let prefixes = [
        format!(".{name}.gongkai-staging"),
        format!(".{name}.gongkai-old"),
    ];
    for entry in listing.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if !prefixes.iter().any(|p| file_name.starts_with(p.as_str())) {
            continue;
        }
        let path = entry.path();
        let _ = match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(&path),
            _ => std::fs::remove_file(&path),
        };
    }
}

/// Refuses to go on if `out` exists and is not a folder that `replaces` allows replacing.
fn check_replaceable(out: &Path, replaces: Replaces) -> Result<(), Failure> {
    let Ok(meta) = std::fs::symlink_metadata(out) else {
        return Ok(()); // nothing there yet
    };
    let shown = out.display();
    if meta.file_type().is_symlink() {
        return Err(Failure(format!(
            "输出文件夹“{shown}”是一个符号链接：换上新网站时会把链接本身换成文件夹，链接指向的地方不会更新。\
             请直接指定链接指向的真实文件夹。"
        )));
    }
    if !meta.is_dir() {
        return Err(Failure(format!(
            "“{shown}”是一个文件，不是文件夹：请换一个输出文件夹名（如 public）。"
        )));
    }
    let empty = std::fs::read_dir(out)
        .map_err(|e| Failure::write(out, &e))?
        .next()
        .is_none();
    let ours = empty
        || match replaces {
            Replaces::Site => {
                out.join("data/index.json").is_file()
                    || crate::incremental::manifest::path(out).exists()
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
    Err(Failure(format!(
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

/// Writes one output file at `dest`, creating its folder.
pub fn write_file(dest: &Path, file: &OutputFile) -> Result<(), Failure> {
    if let Some(dir) = dest.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Failure::write(dir, &e))?;
    }
    match file {
        OutputFile::Bytes { bytes, .. } => {
            let f = std::fs::File::create(dest).map_err(|e| Failure::write(dest, &e))?;
            let mut w = std::io::BufWriter::new(f);
            w.write_all(bytes).map_err(|e| Failure::write(dest, &e))?;
            w.flush().map_err(|e| Failure::write(dest, &e))?;
        }
        OutputFile::Copy { from, .. } => {
            std::fs::copy(from, dest).map_err(|e| Failure::write(from, &e))?;
        }
    }
    Ok(())
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
