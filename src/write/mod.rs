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
    /// or replace `catalog_root`, if given (deleting the catalog would lose data).
    pub fn create(out: &Path, catalog_root: Option<&Path>) -> Result<Staging, WriteError> {
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
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| io(parent, &e))?;
        let staging = beside_output(out, "staging");
        let old = beside_output(out, "old");
        for leftover in [&staging, &old] {
            if leftover.exists() {
                std::fs::remove_dir_all(leftover).map_err(|e| io(leftover, &e))?;
            }
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

/// An output path as a relative path; refuses anything that would leave the output folder.
pub fn safe_rel(path: &str) -> Result<&Path, WriteError> {
    let rel = Path::new(path);
    let safe = !path.is_empty() && rel.components().all(|c| matches!(c, Component::Normal(_)));
    if safe {
        Ok(rel)
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
    WriteError(format!("写入“{}”失败：{err}。", path.display()))
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
