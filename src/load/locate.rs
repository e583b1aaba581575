//! Where the catalog is, when it is not where a command looked: run from the wrong folder, or
//! without `--root`, a command finds neither `site.toml` nor `units/`. One finding then says
//! which folder was looked in (its absolute path), how to name the right one (`--root`), and
//! where catalogs are nearby: a folder holding `site.toml`, or one named `catalog`, up to two
//! levels above or below.

use crate::diag::{Code, Diagnostic};
use std::path::{Path, PathBuf};

/// Folders looked at below the starting folder before the search gives up (a home folder can
/// hold thousands).
const MAX_FOLDERS: usize = 2000;

/// Catalogs suggested at most.
const MAX_SUGGESTIONS: usize = 3;

/// The finding for a `root` that holds neither `site.toml` nor `units/`, or `None` when it
/// holds either (then each missing part is reported on its own). `display` is `root` as given.
pub fn no_catalog(root: &Path, display: &str) -> Option<Diagnostic> {
    if root.join("site.toml").is_file() || root.join("units").is_dir() {
        return None;
    }
    let looked = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let problem = if !looked.exists() {
        "这个文件夹不存在"
    } else if !looked.is_dir() {
        "这不是文件夹"
    } else {
        "其中没有 site.toml 和 units 文件夹"
    };
    let mut hint = "在目录文件夹所在的位置运行，或用 --root <目录文件夹> 指明目录在哪里（默认是当前位置下的 catalog 文件夹）；还没有目录的，用 gongkai init <文件夹> 新建。".to_owned();
    let found = nearby_catalogs(&looked);
    if !found.is_empty() {
        let shown: Vec<String> = found
            .iter()
            .map(|p| format!("--root {}", p.display()))
            .collect();
        hint = format!("附近有目录文件夹，是否想用 {}？{hint}", shown.join(" 或 "));
    }
    Some(
        Diagnostic::new(
            Code::Schema,
            format!("找不到目录：在 {} 中查找，{problem}。", looked.display()),
        )
        .in_file(display)
        .hint(hint),
    )
}

/// Catalog folders near `looked` (absolute), nearest first: below the nearest existing folder
/// of `looked` (one or two levels down), then in and beside its parent and grandparent.
fn nearby_catalogs(looked: &Path) -> Vec<PathBuf> {
    let Some(start) = looked.ancestors().find(|a| a.is_dir()) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut budget = MAX_FOLDERS;
    let mut level = vec![start.to_path_buf()];
    for _ in 0..2 {
        let mut next = Vec::new();
        for dir in &level {
            for child in sorted_subfolders(dir, &mut budget) {
                if is_catalog(&child) && child != looked {
                    found.push(child.clone());
                }
                next.push(child);
            }
        }
        level = next;
    }
    for above in start.ancestors().skip(1).take(2) {
        for candidate in [above.to_path_buf(), above.join("catalog")] {
            if is_catalog(&candidate) && candidate != looked && !found.contains(&candidate) {
                found.push(candidate);
            }
        }
    }
    found.truncate(MAX_SUGGESTIONS);
    found
}

/// Whether `dir` looks like a catalog: it holds `site.toml`, or it is a folder named `catalog`.
fn is_catalog(dir: &Path) -> bool {
    dir.join("site.toml").is_file()
        || (dir.file_name().is_some_and(|n| n == "catalog") && dir.is_dir())
}

/// The visible subfolders of `dir` (not hidden, not symbolic links), by name, while `budget`
/// lasts.
fn sorted_subfolders(dir: &Path, budget: &mut usize) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut dirs = Vec::new();
    for entry in entries.flatten() {
        if *budget == 0 {
            break;
        }
        *budget -= 1;
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if !hidden && entry.file_type().is_ok_and(|t| t.is_dir()) {
            dirs.push(entry.path());
        }
    }
    dirs.sort();
    dirs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogs_one_or_two_levels_away_are_found() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let base = std::path::absolute(tmp.path()).expect("absolute");
        let work = base.join("work/src");
        std::fs::create_dir_all(&work).expect("mkdir");
        std::fs::create_dir_all(base.join("work/catalog")).expect("mkdir");
        std::fs::create_dir_all(work.join("a/我区目录")).expect("mkdir");
        std::fs::write(work.join("a/我区目录/site.toml"), "").expect("write");
        let found = nearby_catalogs(&work.join("catalog"));
        assert_eq!(found, [work.join("a/我区目录"), base.join("work/catalog")]);
        assert!(no_catalog(&work.join("a/我区目录"), "x").is_none());
        let diag = no_catalog(&work.join("catalog"), "catalog").expect("not a catalog");
        assert!(
            diag.message
                .contains(&work.join("catalog").display().to_string())
        );
    }
}
