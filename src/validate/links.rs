//! Link and image targets in entry bodies: a relative target may not climb out of the catalog
//! folder, and absolute paths or `file:` URLs are refused, so nothing from a clerk's disk is
//! referenced by, or published on, the public site. The relative targets are kept with the entry
//! ([`relative_links`]) for the audit, which checks that they lead somewhere.

use pulldown_cmark::{Event, Options, Parser, Tag};

/// A link target that points outside the catalog, with the 1-based line in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsafeLink {
    /// The target as written.
    pub target: String,
    /// Line within the body (1-based).
    pub line: u32,
    /// Why it is refused, in Chinese.
    pub why: &'static str,
}

/// Checks every link and image target in `body`. `depth` is how many folders the entry file's
/// folder lies below the catalog root (e.g. 4 for `units/shiqu/<domain>/<item>/x.md`).
pub fn unsafe_links(body: &str, depth: usize) -> Vec<UnsafeLink> {
    targets(body)
        .filter_map(|(target, line)| {
            problem(&target, depth).map(|why| UnsafeLink { target, line, why })
        })
        .collect()
}

/// The relative link and image targets in `body` with their 1-based lines in the body: those
/// that are paths (`名单.csv`, `../其他/`), not URLs with a scheme, fragments, queries or
/// absolute paths.
pub fn relative_links(body: &str) -> Vec<(String, u32)> {
    targets(body)
        .filter(|(target, _)| is_relative_path(target))
        .collect()
}

/// Every link and image target in `body`, as written, with its 1-based line.
fn targets(body: &str) -> impl Iterator<Item = (String, u32)> + '_ {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    Parser::new_ext(body, options)
        .into_offset_iter()
        .filter_map(move |(event, range)| {
            let target = match &event {
                Event::Start(Tag::Link { dest_url, .. })
                | Event::Start(Tag::Image { dest_url, .. }) => dest_url.to_string(),
                _ => return None,
            };
            let line = 1 + body[..range.start.min(body.len())]
                .bytes()
                .filter(|&b| b == b'\n')
                .count() as u32;
            Some((target, line))
        })
}

/// Whether a target is a relative path: not empty, not only a fragment or query, not absolute,
/// and without a URL scheme (a colon before the first slash).
fn is_relative_path(target: &str) -> bool {
    let t = target.trim();
    let path = t.split(['?', '#']).next().unwrap_or("");
    let scheme = t
        .find(':')
        .is_some_and(|colon| t.find(['/', '\\']).is_none_or(|slash| colon < slash));
    !path.is_empty() && !t.starts_with(['/', '\\']) && !scheme
}

fn problem(target: &str, depth: usize) -> Option<&'static str> {
    let t = target.trim();
    let lower = t.to_ascii_lowercase();
    if lower.starts_with("file:") {
        return Some("指向本机文件（file:），读者打不开，也可能泄露本机路径");
    }
    if t.starts_with('/')
        || t.starts_with('\\')
        || (t.len() > 2
            && t.as_bytes()[1] == b':'
            && t.as_bytes()[0].is_ascii_alphabetic()
            && matches!(t.as_bytes()[2], b'\\' | b'/'))
    {
        return Some("是绝对路径，发布后会指向网站以外的位置");
    }
    if lower.contains(':') || t.starts_with('#') || t.starts_with('?') {
        // A URL with a scheme (sanitized later) or a fragment: not a path.
        let scheme_end = lower.find(':').unwrap_or(0);
        let before_slash = lower.find('/').is_none_or(|s| scheme_end < s);
        if before_slash || t.starts_with('#') || t.starts_with('?') {
            return None;
        }
    }
    let path = t.split(['?', '#']).next().unwrap_or("");
    let mut level = depth as i64;
    for segment in path.split(['/', '\\']) {
        match segment {
            "" | "." => {}
            ".." => {
                level -= 1;
                if level < 0 {
                    return Some("用 ../ 指到了目录文件夹以外");
                }
            }
            _ => level += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_found_with_their_line() {
        let body = "正文\n\n[名单](名单.csv) [上级](../other/x.md)\n\n![图](../../../../../etc/passwd)\n[本机](file:///C:/Users/a.doc) [绝对](/etc/hosts) [盘符](C:\\a.doc)\n";
        let found = unsafe_links(body, 4);
        let targets: Vec<(&str, u32)> = found.iter().map(|l| (l.target.as_str(), l.line)).collect();
        assert_eq!(
            targets,
            [
                ("../../../../../etc/passwd", 5),
                ("file:///C:/Users/a.doc", 6),
                ("/etc/hosts", 6),
                ("C:\\a.doc", 6)
            ]
        );
    }

    #[test]
    fn relative_links_are_the_paths() {
        let body = "[名单](名单.csv)\n\n[网](https://www.gov.cn/) [注](#fn1) [邮](mailto:a@b.cn)\n[上](../other/?a=1) [根](/etc/hosts) [盘](C:\\a.doc) ![图](图%201.png#x)\n";
        assert_eq!(
            relative_links(body),
            [
                ("名单.csv".to_owned(), 1),
                ("../other/?a=1".to_owned(), 4),
                ("图%201.png#x".to_owned(), 4)
            ]
        );
    }

    #[test]
    fn urls_and_fragments_are_not_paths() {
        assert!(
            unsafe_links(
                "[a](https://www.gov.cn/) [b](#fn1) [c](mailto:a@b.cn) [d](tel:12345)",
                4
            )
            .is_empty()
        );
    }
}
