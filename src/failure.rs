//! The one failure type for "could not run" (exit code 2): a bad theme, a disk that refuses a
//! write, an output folder gongkai must not replace, a file that cannot be opened. Problems in
//! the catalog itself are never failures: they are [`crate::diag::Diagnostic`]s, collected and
//! reported with their file and line (exit code 1).
//!
//! A failure carries one thing, its reason in Chinese, ready to print after the command's own
//! prefix (e.g. 构建失败：…).

use std::fmt;
use std::path::Path;

/// Why a command could not run, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure(pub String);

impl Failure {
    /// A failure with its reason.
    pub fn new(reason: impl Into<String>) -> Failure {
        Failure(reason.into())
    }

    /// Writing `path` failed: the reason names the file and says why in Chinese.
    pub fn write(path: &Path, err: &std::io::Error) -> Failure {
        Failure(format!(
            "写入“{}”失败：{}。",
            path.display(),
            crate::reason::io(err)
        ))
    }

    /// Reading `path` failed: the reason names the file or folder and says why in Chinese.
    pub fn read(path: &Path, err: &std::io::Error) -> Failure {
        Failure(format!(
            "读取“{}”失败：{}。",
            path.display(),
            crate::reason::io(err)
        ))
    }

    /// The reason, in Chinese.
    pub fn reason(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Failure {}

impl From<String> for Failure {
    fn from(reason: String) -> Failure {
        Failure(reason)
    }
}
