//! The catalog's git history: when each file first entered the repository and when it changed,
//! read in one `git log` pass over the catalog folder (renames followed), never one process per
//! file. Dates are the committer's, as Beijing dates (UTC+8), so the same commit gives the same
//! answer on any machine. A catalog outside a git work tree, a shallow clone or a missing `git`
//! gives no history at all (never a partial one), with the reason.

use chrono::{DateTime, FixedOffset, NaiveDate};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// What git says about the catalog's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum History {
    /// The history is complete: each committed file (by its path under the catalog folder,
    /// `/`-separated, as it is named now) with its dates.
    Known(BTreeMap<String, FileHistory>),
    /// No history can be trusted; why, in Chinese.
    Unknown(String),
}

/// One file's dates in the history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileHistory {
    /// The day it was first committed (under this name or an earlier one).
    pub first: Option<NaiveDate>,
    /// Every day a commit changed it, oldest first, without repeats.
    pub changes: Vec<NaiveDate>,
}

/// Reads the history of the catalog folder `root`.
pub fn read(root: &Path) -> History {
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["-c", "core.quotepath=false"])
            .args(args)
            .output()
    };
    match git(&[
        "rev-parse",
        "--is-inside-work-tree",
        "--is-shallow-repository",
    ]) {
        Err(_) => return History::Unknown("找不到 git 程序".into()),
        Ok(out) if !out.status.success() => {
            return History::Unknown("目录文件夹不在 git 仓库中".into());
        }
        Ok(out) => {
            let text = String::from_utf8_lossy(&out.stdout);
            let mut lines = text.lines();
            if lines.next() != Some("true") {
                return History::Unknown("目录文件夹不在 git 工作区中".into());
            }
            if lines.next() == Some("true") {
                return History::Unknown(
                    "这是浅克隆（shallow clone，CI 的默认做法），缺少较早的提交记录".into(),
                );
            }
        }
    }
    let out = match git(&[
        "log",
        "-M",
        "--relative",
        "--name-status",
        "--no-merges",
        "--format=%x01%ct",
        "--",
        ".",
    ]) {
        Ok(out) if out.status.success() => out,
        // A repository with no commit yet has no history of anything.
        Ok(_) => return History::Known(BTreeMap::new()),
        Err(_) => return History::Unknown("找不到 git 程序".into()),
    };
    History::Known(parse_log(&String::from_utf8_lossy(&out.stdout)))
}

/// Parses `git log --name-status --format=%x01%ct` output (newest commit first): each file's
/// first commit and change days, following renames back to earlier names.
fn parse_log(text: &str) -> BTreeMap<String, FileHistory> {
    let beijing = FixedOffset::east_opt(8 * 3600).expect("UTC+8");
    // An earlier name → the file's name now.
    let mut now_named: BTreeMap<String, String> = BTreeMap::new();
    let mut files: BTreeMap<String, FileHistory> = BTreeMap::new();
    let mut day: Option<NaiveDate> = None;
    for line in text.lines() {
        if let Some(stamp) = line.strip_prefix('\u{1}') {
            day = stamp
                .trim()
                .parse::<i64>()
                .ok()
                .and_then(|s| DateTime::from_timestamp(s, 0))
                .map(|t| t.with_timezone(&beijing).date_naive());
            continue;
        }
        let Some(day) = day else { continue };
        let mut fields = line.split('\t');
        let (Some(status), Some(path)) = (fields.next(), fields.next()) else {
            continue;
        };
        let renamed_to = fields.next();
        // The newest name is met first: a path not yet seen is named so now.
        let current_path = renamed_to.unwrap_or(path);
        let name = now_named
            .get(current_path)
            .cloned()
            .unwrap_or_else(|| current_path.to_owned());
        if status.starts_with('D') {
            // Deleted: a file of that name committed earlier is another file.
            now_named.insert(path.to_owned(), format!("\u{0}deleted:{path}"));
            continue;
        }
        let file = files.entry(name.clone()).or_default();
        // A pure rename (R100) moves the file without changing what it says.
        if status != "R100" && file.changes.last() != Some(&day) {
            file.changes.push(day);
        }
        if status.starts_with('A') || status.starts_with('C') {
            file.first = Some(day);
        }
        if status.starts_with('R') {
            now_named.insert(path.to_owned(), name);
        }
    }
    files.retain(|name, _| !name.starts_with('\u{0}'));
    for file in files.values_mut() {
        file.changes.reverse();
        file.changes.dedup();
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_keep_the_first_commit_and_deletions_start_over() {
        // 2024-01-01 00:00 +08:00 is 1704038400.
        let day = |d: i64| 1_704_038_400 + d * 86_400;
        let log = format!(
            "\u{1}{}\n\nM\tb.md\n\u{1}{}\n\nR100\ta.md\tb.md\n\u{1}{}\n\nA\ta.md\nA\tgone.md\n\u{1}{}\n\nD\tgone.md\n\u{1}{}\n\nA\tgone.md\n",
            day(30),
            day(20),
            day(10),
            day(5),
            day(1)
        );
        let files = parse_log(&log);
        let d = |n: u32| NaiveDate::from_ymd_opt(2024, 1, n).expect("date");
        assert_eq!(files["b.md"].first, Some(d(11)));
        assert_eq!(
            files["b.md"].changes,
            vec![d(11), d(31)],
            "a pure rename is no change"
        );
        assert!(!files.contains_key("a.md"));
        assert_eq!(
            files["gone.md"].first,
            Some(d(11)),
            "the file committed again"
        );
    }
}
