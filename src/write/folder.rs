//! An open folder that files are looked up in and made in by relative path: the output folder,
//! whose files' stamps an incremental build checks, and the staging folder, where a build writes
//! its ~30,000 files and ~26,000 folders. On Unix both go relative to the open folder
//! (`fstatat`, `openat`, `mkdirat`), so the kernel does not walk the folder's own path again for
//! each of them; elsewhere, or if the folder could not be opened, they go by full path, with the
//! same results.

use crate::incremental::stamp::{Stamp, of_metadata};
use std::path::{Path, PathBuf};

/// A folder, opened once for lookups and for making files and folders inside it.
pub struct Folder {
    path: PathBuf,
    /// The folder, opened (`O_PATH` on Linux); `None` if it could not be opened, in which case
    /// everything goes by full path.
    #[cfg(unix)]
    fd: Option<rustix::fd::OwnedFd>,
}

impl Folder {
    /// Opens `path`. Never fails: a folder that cannot be opened is used by full path, which
    /// gives the same answers (usually "no such file").
    pub fn open(path: &Path) -> Folder {
        #[cfg(unix)]
        {
            use rustix::fs::{Mode, OFlags};
            // `O_PATH` where the system has it (no read permission needed, nothing to read
            // ahead; enough to make things inside); for reading elsewhere (macOS, the BSDs).
            #[cfg(any(target_os = "linux", target_os = "android"))]
            let access = OFlags::PATH;
            #[cfg(not(any(target_os = "linux", target_os = "android")))]
            let access = OFlags::RDONLY;
            let flags = access | OFlags::DIRECTORY | OFlags::CLOEXEC;
            Folder {
                path: path.to_path_buf(),
                fd: rustix::fs::open(path, flags, Mode::empty()).ok(),
            }
        }
        #[cfg(not(unix))]
        Folder {
            path: path.to_path_buf(),
        }
    }

    /// The folder's path, for messages and for what goes by full path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The stamp of the file at `rel` (a path checked by [`crate::files::safe_rel`],
    /// `/`-separated) inside this folder: `None` for a missing file, a folder or a link, as by
    /// full path.
    pub fn stamp(&self, rel: &str) -> Option<Stamp> {
        #[cfg(unix)]
        if let Some(fd) = &self.fd {
            use rustix::fs::{AtFlags, FileType};
            let st = rustix::fs::statat(fd, rel, AtFlags::SYMLINK_NOFOLLOW).ok()?;
            if FileType::from_raw_mode(st.st_mode) != FileType::RegularFile {
                return None;
            }
            let secs = u128::try_from(st.st_mtime).ok()?;
            // `st_mtime_nsec` is unsigned on Linux but signed on other Unix systems.
            #[allow(clippy::unnecessary_fallible_conversions)]
            let nanos = u128::try_from(st.st_mtime_nsec).ok()?;
            let size = u64::try_from(st.st_size).ok()?;
            return Some((size, secs * 1_000_000_000 + nanos));
        }
        by_full_path(&self.path.join(rel))
    }

    /// Creates (or truncates) the file at `rel` for writing, as `File::create` does (mode 666
    /// before the umask). Its folder must exist.
    pub fn create_file(&self, rel: &str) -> std::io::Result<std::fs::File> {
        #[cfg(unix)]
        if let Some(fd) = &self.fd {
            use rustix::fs::{Mode, OFlags};
            let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC;
            return rustix::fs::openat(fd, rel, flags, Mode::from_raw_mode(0o666))
                .map(std::fs::File::from)
                .map_err(std::io::Error::from);
        }
        std::fs::File::create(self.path.join(rel))
    }

    /// Makes the folder `rel`, as `create_dir` does (mode 777 before the umask); a folder
    /// already there is fine. Its parent must exist: if it does not, the error is `NotFound`.
    pub fn create_dir(&self, rel: &str) -> std::io::Result<()> {
        #[cfg(unix)]
        let made = match &self.fd {
            Some(fd) => rustix::fs::mkdirat(fd, rel, rustix::fs::Mode::from_raw_mode(0o777))
                .map_err(std::io::Error::from),
            None => std::fs::create_dir(self.path.join(rel)),
        };
        #[cfg(not(unix))]
        let made = std::fs::create_dir(self.path.join(rel));
        match made {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                if self.path.join(rel).is_dir() {
                    Ok(())
                } else {
                    Err(e)
                }
            }
            other => other,
        }
    }
}

/// The stamp of the file at `path`, or `None` if there is no such file (or its time is before
/// 1970). A symbolic link is not followed: a link in place of a written file is not that file.
fn by_full_path(path: &Path) -> Option<Stamp> {
    of_metadata(&std::fs::symlink_metadata(path).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_and_folders_are_made_inside_the_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        let folder = Folder::open(dir.path());
        folder.create_dir("xian").expect("a new folder");
        folder.create_dir("xian").expect("a folder already there");
        let missing = folder.create_dir("zhen/cun").expect_err("no parent");
        assert_eq!(missing.kind(), std::io::ErrorKind::NotFound);
        let mut file = folder.create_file("xian/index.html").expect("create");
        std::io::Write::write_all(&mut file, "示例".as_bytes()).expect("write");
        drop(file);
        let written = std::fs::read_to_string(dir.path().join("xian/index.html")).expect("read");
        assert_eq!(written, "示例");
        // A file where a folder should be is not a folder already there.
        assert!(folder.create_dir("xian/index.html").is_err());
        assert_eq!(folder.path(), dir.path());
    }

    #[test]
    fn a_folder_gives_the_same_stamps_as_full_paths() {
        let dir = tempfile::tempdir().expect("temp dir");
        let sub = dir.path().join("xian/zhen");
        std::fs::create_dir_all(&sub).expect("folders");
        std::fs::write(sub.join("index.html"), "<p>示例</p>").expect("write");
        let folder = Folder::open(dir.path());
        let expected = by_full_path(&sub.join("index.html")).expect("a file");
        assert_eq!(expected.0, "<p>示例</p>".len() as u64);
        assert_eq!(folder.stamp("xian/zhen/index.html"), Some(expected));
        assert_eq!(Folder::open(&sub).stamp("index.html"), Some(expected));
    }

    #[test]
    fn folders_missing_files_and_links_have_no_stamp() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("xian")).expect("folder");
        std::fs::write(dir.path().join("a.html"), "a").expect("write");
        let folder = Folder::open(dir.path());
        assert_eq!(folder.stamp("xian"), None);
        assert_eq!(folder.stamp("nosuch.html"), None);
        assert_eq!(folder.stamp("xian/nosuch.html"), None);
        assert_eq!(
            Folder::open(&dir.path().join("nosuch")).stamp("a.html"),
            None
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("a.html", dir.path().join("link.html")).expect("link");
            assert_eq!(folder.stamp("link.html"), None);
            assert_eq!(by_full_path(&dir.path().join("link.html")), None);
        }
    }
}
