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

/// Writes `magic` and then `value` as postcard to `path` through a small buffer (never the
/// whole encoding in memory), by [`replace_with`]: a reader sees the old file or the whole new
/// one.
pub fn write_postcard<T: serde::Serialize>(
    path: &Path,
    magic: &[u8],
    value: &T,
) -> std::io::Result<()> {
    replace_with(path, |file| {
        let mut file = std::io::BufWriter::with_capacity(1 << 16, file);
        file.write_all(magic)?;
        let file = postcard::to_io(value, file).map_err(std::io::Error::other)?;
        file.into_inner()
            .map_err(std::io::IntoInnerError::into_error)?;
        Ok(())
    })
}

/// The one temp-and-rename step every writer of the crate goes through: `write` fills a new
/// hidden file beside `path` (see [`temporary`]), which is then renamed over `path`; on any
/// failure the temporary file is removed and `path` is as it was.
pub fn replace_with(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let temp = temporary(path);
    let mut written = write_temporary(&temp, write);
    if written.is_ok() {
        written = std::fs::rename(&temp, path);
    }
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// Creates `temp` and fills it with `write`.
fn write_temporary(
    temp: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut file = std::fs::File::create(temp)?;
    write(&mut file)
}

/// Writes `bytes` to `dest` through a temporary file in the same folder and a rename, so readers
/// (and an interrupted run) see the old file or the new one, never half of one. The folder is
/// created if needed.
pub fn replace_file(dest: &Path, bytes: &[u8]) -> Result<(), Failure> {
    replace_files(&[(dest.to_path_buf(), bytes)])
}

/// Replaces several files as one change as far as a file system allows: every temporary file is
/// written before the first rename, so a full disk or a missing permission leaves all of them
/// as they were. With [`replace_with`] (the build cache and manifest, through [`write_postcard`])
/// this is how every file the crate replaces is written: the printed guide, the report, the
/// importer's standard files; the site itself is staged as a folder by `crate::write`.
pub fn replace_files(files: &[(PathBuf, &[u8])]) -> Result<(), Failure> {
    let mut temps: Vec<PathBuf> = Vec::new();
    for (path, bytes) in files {
        let temp = temporary(path);
        let written = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| write_temporary(&temp, |f| f.write_all(bytes)));
        if let Err(e) = written {
            for t in temps.iter().chain([&temp]) {
                let _ = std::fs::remove_file(t);
            }
            return Err(Failure::write(path, &e));
        }
        temps.push(temp);
    }
    for ((path, _), temp) in files.iter().zip(&temps) {
        if let Err(e) = std::fs::rename(temp, path) {
            let _ = std::fs::remove_file(temp);
            return Err(Failure::write(path, &e));
        }
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

/// The lock that makes gongkai the only writer of an output folder while it runs: an exclusive
/// lock on the file `.<name>.gongkai-lock` beside the folder ([`beside_output`]). The operating
/// system releases it when the process ends, however it ends, so a killed build never leaves a
/// folder locked. The file names the holder (process, command, start time) for the message a
/// second writer shows.
#[derive(Debug)]
pub struct OutputLock {
    /// Held open for as long as the lock is: closing it releases the lock.
    _file: std::fs::File,
}

impl OutputLock {
    /// Takes the lock of `out` for `command` (e.g. `build`). When another process holds it:
    /// with `wait`, says so on standard error and waits for it; without, fails naming the holder.
    pub fn acquire(out: &Path, command: &str, wait: bool) -> Result<OutputLock, Failure> {
        let path = beside_output(out, "lock");
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Failure::write(parent, &e))?;
        }
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Failure::write(&path, &e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let holder = std::fs::read_to_string(&path).unwrap_or_default();
                let holder = holder.trim();
                let holder = if holder.is_empty() {
                    "另一个 gongkai 进程".to_owned()
                } else {
                    holder.to_owned()
                };
                let shown = out.display();
                if !wait {
                    return Err(Failure(format!(
                        "{holder}正在写入“{shown}”，为免两次写入互相覆盖，本次没有运行。\
                         请等它结束后再运行；去掉 --no-wait 则会自动等待。"
                    )));
                }
                eprintln!("{holder}正在写入“{shown}”，等它结束后再继续……");
                file.lock().map_err(|e| Failure::write(&path, &e))?;
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(Failure::write(&path, &e)),
        }
        let now = chrono::Utc::now() + chrono::Duration::hours(8);
        let holder = format!(
            "进程 {}（gongkai {command}，北京时间 {} 开始）",
            std::process::id(),
            now.format("%Y-%m-%d %H:%M:%S")
        );
        // Best effort: the holder's name only makes a waiting writer's message clearer.
        let _ = file.set_len(0).and_then(|()| {
            use std::io::Seek as _;
            file.rewind()?;
            file.write_all(holder.as_bytes())
        });
        Ok(OutputLock { _file: file })
    }
}
