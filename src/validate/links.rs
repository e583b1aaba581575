//! Link and image targets in entry bodies: a relative target may not climb out of the catalog
//! folder, and absolute paths or `file:` URLs are refused, so nothing from a clerk's disk is
//! referenced by, or published on, the public site.

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
    let mut found = Vec::new();
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let target = match &event {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => dest_url.to_string(),
            _ => continue,
        };
        if let Some(why) = problem(&target, depth) {
            let line = 1 + body[..range.start.min(body.len())]
                .bytes()
                .filter(|&b| b == b'\n')
                .count() as u32;
            found.push(UnsafeLink { target, line, why });
        }
    }
    found
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
