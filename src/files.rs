//! Writing files safely, for every command that writes: all-or-nothing replacement of a file
//! ([`replace_file`], [`write_postcard`]), the names of gongkai's own files beside an output
//! folder ([`beside_output`]), and relative paths that cannot leave their folder ([`safe_rel`]).
//! Whole folders are replaced all-or-nothing by `crate::write`'s staging folder, built on these.

use crate::failure::Failure;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

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

/// Writes `bytes` to `dest` through a temporary file in the same folder and a rename, so readers
/// (and an interrupted run) see the old file or the new one, never half of one. The folder is
/// created if needed.
pub fn replace_file(dest: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let dir = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Failure::write(dir, &e))?;
    let tmp = temporary(dest);
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        drop(f);
        std::fs::rename(&tmp, dest)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Failure::write(dest, &e));
    }
    Ok(())
}

/// Replaces several files as one change as far as a file system allows: every temporary file is
/// written before the first rename, so a full disk or a missing permission leaves all of them
/// as they were.
pub fn replace_files(files: &[(PathBuf, &str)]) -> Result<(), Failure> {
    let mut temps: Vec<PathBuf> = Vec::new();
    for (path, text) in files {
        let temp = temporary(path);
        let written = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&temp, text));
        if let Err(e) = written {
            for t in temps.iter().chain([&temp]) {
                let _ = std::fs::remove_file(t);
            }
            return Err(Failure::write(path, &e));
        }
        temps.push(temp);
    }
    for ((path, _), temp) in files.iter().zip(&temps) {
        std::fs::rename(temp, path).map_err(|e| Failure::write(path, &e))?;
    }
    Ok(())
}

/// The temporary name `dest` is written under before its rename: hidden, in the same folder.
fn temporary(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dest.with_file_name(format!(".{name}.gongkai-tmp"))
}

/// An output path as a relative path; refuses anything that would leave the output folder.
pub fn safe_rel(path: &str) -> Result<&Path, Failure> {
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
        Err(Failure(format!(
            "内部错误：输出路径“{path}”会离开输出文件夹，已拒绝。"
        )))
    }
}

/// Resolves `.` and `..` lexically.
pub fn normalize(path: &Path) -> PathBuf {
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
