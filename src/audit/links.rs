//! `broken-link` (不可用链接) and `attachment-missing` (附件无法下载): a relative link in an
//! entry's body that leads nowhere on the built site. Both are 扣分 items of 国办秘函〔2019〕19号,
//! and monitoring tools follow every link of a page. One check serves both rules: a target that
//! names a file (it has an extension other than `.html` or `.md`) is a missing attachment, any
//! other a broken link.
//!
//! A target is resolved the way a browser resolves it on the entry's page (`<unit>/<domain>/
//! <item>/<entry>/`), not beside the entry's file: a flat `<entry>.md` has no folder of its own
//! on the site, so `[名单](名单.csv)` in it never works. Only targets landing inside one of a
//! unit's domain folders are judged, where the catalog alone decides what exists: the unit's
//! pages for domains with an item of its level, items with entries, entries, and their
//! attachments. Targets elsewhere (a unit's feed, the site's search) are not judged.

use super::Rule;
use crate::diag::{Code, Diagnostic};
use crate::model::{Catalog, Entry, Unit};
use std::collections::HashMap;
use std::path::Path;

/// The documentation of `broken-link`.
pub const BROKEN_LINK: Rule = Rule {
    code: Code::BrokenLink,
    name: "不可用链接",
    explanation: "信息正文中的相对链接指向的网页在本网站上不存在，读者点开是“页面不存在”。《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）扣分指标把“不可用链接”（死链）计入扣分，网站监测工具会逐个检查页面上的链接。gongkai 按发布后的网址判断：条目的网页是 <单位>/<领域id>/<事项id>/<条目名>/，链接从这里算起。\n怎么改：链接本网站的其他信息，写它的网页地址（条目文件名去掉 .md 再加 /，如同一事项下的 ../2024-gonggao/），不要写 .md 文件名；链接外部网站写完整的 https:// 地址；指向已删除或改名的信息的链接，改正或删去。",
};

/// The documentation of `attachment-missing`.
pub const ATTACHMENT_MISSING: Rule = Rule {
    code: Code::AttachmentMissing,
    name: "附件无法下载",
    explanation: "信息正文链接了一个附件文件（如 [名单](名单.csv)），但这个文件没有随信息发布：文件不在条目文件夹里、文件名写得不一致，或者条目是单个 .md 文件（单个文件的条目不能带附件）。读者点击会下载失败。《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）扣分指标把“附件无法下载”计入扣分。\n怎么改：把条目改成文件夹形式（<条目名>/index.md），附件放在 index.md 旁边，链接只写文件名，并与文件名完全一致（包括扩展名和大小写）；不需要附件时删去链接。",
};

/// What exists inside the units' domain folders of the built site, looked up in the catalog
/// (a unit by its path, a domain by its id) instead of listed: a site has tens of thousands of
/// pages, and only the targets of links are ever asked about.
struct SiteIndex<'a> {
    catalog: &'a Catalog,
    /// Each unit by its path.
    units: HashMap<&'a str, usize>,
    /// Each domain by its id.
    domains: HashMap<&'a str, usize>,
}

impl<'a> SiteIndex<'a> {
    fn of(catalog: &'a Catalog) -> SiteIndex<'a> {
        SiteIndex {
            catalog,
            units: (catalog.units.iter().enumerate())
                .map(|(u, unit)| (unit.path.as_str(), u))
                .collect(),
            domains: (catalog.standard.domains.iter().enumerate())
                .map(|(d, domain)| (domain.id.as_str(), d))
                .collect(),
        }
    }

    /// Every way `segments` lies inside a unit's domain folder: (unit, domain, the segments
    /// after the domain's).
    fn folders<'s>(
        &self,
        segments: &'s [String],
    ) -> impl Iterator<Item = (usize, usize, &'s [String])> + use<'_, 's> {
        (1..segments.len()).filter_map(move |k| {
            let unit = *self.units.get(segments[..k].join("/").as_str())?;
            let domain = *self.domains.get(segments[k].as_str())?;
            Some((unit, domain, &segments[k + 1..]))
        })
    }

    /// Whether `segments` name something on the site: `None` when they lie inside no unit's
    /// domain folder (only targets inside one are judged), else whether they name a page (a
    /// folder holding `index.html`) or an attachment there: the unit's page for a domain with an
    /// item of its level, an item's page when it has entries, an entry's page, an entry's
    /// attachment.
    fn exists(&self, segments: &[String]) -> Option<bool> {
        let mut folders = self.folders(segments).peekable();
        folders.peek()?;
        Some(folders.any(|(u, d, rest)| {
            let unit = &self.catalog.units[u];
            let domain = &self.catalog.standard.domains[d];
            let Some((item_id, rest)) = rest.split_first() else {
                return domain.items.iter().any(|i| i.applies_to(unit.level));
            };
            (domain.items.iter().enumerate())
                .filter(|(_, item)| item.id == *item_id)
                .map(|(i, _)| unit.item_entries(d, i))
                .any(|entries| match rest {
                    [] => !entries.is_empty(),
                    [slug] => entries.iter().any(|e| e.slug == *slug),
                    [slug, name] => entries
                        .iter()
                        .filter(|e| e.slug == *slug)
                        .any(|e| e.attachments.iter().any(|a| a.name == *name)),
                    _ => false,
                })
        }))
    }
}

/// A target resolved against the folder `page`: its segments, or `None` if it climbs above the
/// site root (reported as `unsafe-path` by validation) or names only the page itself.
fn resolve(page: &[&str], target: &str) -> Option<Vec<String>> {
    let path = target.trim().split(['?', '#']).next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let mut segments: Vec<String> = page.iter().map(|s| (*s).to_owned()).collect();
    for part in decoded.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                segments.pop()?;
            }
            name => segments.push(name.to_owned()),
        }
    }
    if segments.last().is_some_and(|s| s == "index.html") {
        segments.pop();
    }
    Some(segments)
}

/// Whether the last segment names a file to download: it has an extension other than a page's
/// (`.html`) or an entry file's (`.md`, which is a page on the site).
fn names_a_file(segments: &[String]) -> bool {
    segments
        .last()
        .and_then(|name| name.rsplit_once('.'))
        .is_some_and(|(stem, ext)| {
            let ext = ext.to_ascii_lowercase();
            !stem.is_empty() && !ext.is_empty() && !matches!(ext.as_str(), "html" | "htm" | "md")
        })
}

/// Finds relative links in entry bodies that lead to nothing on the built site.
pub fn check(catalog: &Catalog) -> Vec<Diagnostic> {
    let any = catalog
        .units
        .iter()
        .any(|u| u.entries.iter().any(|e| !e.links.is_empty()));
    if !any {
        return Vec::new();
    }
    let index = SiteIndex::of(catalog);
    let mut findings = Vec::new();
    for unit in &catalog.units {
        for entry in unit.entries.iter().filter(|e| !e.links.is_empty()) {
            entry_check(catalog, unit, entry, &index, &mut findings);
        }
    }
    findings
}

fn entry_check(
    catalog: &Catalog,
    unit: &Unit,
    entry: &Entry,
    index: &SiteIndex,
    findings: &mut Vec<Diagnostic>,
) {
    let domain = &catalog.standard.domains[entry.domain];
    let item = &domain.items[entry.item];
    let page: Vec<&str> = unit
        .path
        .split('/')
        .chain([domain.id.as_str(), item.id.as_str(), entry.slug.as_str()])
        .collect();
    for link in &entry.links {
        let Some(segments) = resolve(&page, &link.target) else {
            continue;
        };
        if index.exists(&segments) != Some(false) {
            continue;
        }
        let joined = segments.join("/");
        let target = link.target.trim();
        let (code, message, hint) = if names_a_file(&segments) {
            let message = format!(
                "附件无法下载：链接“{target}”指向的文件没有随信息发布（网站上没有 {joined}）。"
            );
            (
                Code::AttachmentMissing,
                message,
                attachment_hint(entry, &segments),
            )
        } else {
            let message =
                format!("不可用链接：链接“{target}”指向的网页在网站上不存在（{joined}）。");
            let hint = if target.ends_with(".md") {
                "链接本网站的其他信息要写网页地址：条目文件名去掉 .md 再加 /（如 ../2024-gonggao/）。".to_owned()
            } else {
                "改正链接地址（条目的网页是 <单位>/<领域id>/<事项id>/<条目名>/），或删去这个链接；外部网站写完整的 https:// 地址。".to_owned()
            };
            (Code::BrokenLink, message, hint)
        };
        let mut f = Diagnostic::new(code, message)
            .in_file(&entry.source)
            .scope(Some(&unit.path), Some(&domain.id), Some(&item.id))
            .hint(hint);
        f.line = Some(link.line);
        findings.push(f);
    }
}

/// How to fix a link to a file that is not published: give the entry a folder, or correct the
/// name (with the closest attachment name, if one is close).
fn attachment_hint(entry: &Entry, segments: &[String]) -> String {
    let in_folder = Path::new(&entry.source)
        .file_name()
        .is_some_and(|n| n == "index.md");
    if !in_folder {
        return format!(
            "本条信息是单个 .md 文件，不能带附件：新建文件夹 {slug}/，把 {slug}.md 移进去并改名为 index.md，附件放在它旁边，链接只写文件名。",
            slug = entry.slug
        );
    }
    let name = segments.last().map_or("", String::as_str);
    let names = entry.attachments.iter().map(|a| a.name.as_str());
    match crate::names::closest(name, names) {
        Some(best) => format!("是否想写“{best}”？链接中的文件名要与附件的文件名完全一致。"),
        None => "把附件放进条目文件夹（index.md 旁边），链接只写文件名；不需要附件时删去链接。"
            .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved(target: &str) -> Option<String> {
        resolve(&["xian", "d", "i", "e"], target).map(|s| s.join("/"))
    }

    #[test]
    fn targets_resolve_from_the_entry_page() {
        assert_eq!(resolved("名单.csv").as_deref(), Some("xian/d/i/e/名单.csv"));
        assert_eq!(
            resolved("%E5%90%8D%E5%8D%95%201.csv?x=1#p").as_deref(),
            Some("xian/d/i/e/名单 1.csv")
        );
        assert_eq!(resolved("../other/").as_deref(), Some("xian/d/i/other"));
        assert_eq!(
            resolved("../other/index.html").as_deref(),
            Some("xian/d/i/other")
        );
        assert_eq!(resolved("..\\..\\").as_deref(), Some("xian/d"));
        assert_eq!(resolved("../../../../../x"), None);
    }

    #[test]
    fn files_are_what_has_an_extension_but_html() {
        let file = |s: &str| names_a_file(&[s.to_owned()]);
        assert!(file("名单.csv") && file("a.PDF"));
        assert!(!file("other") && !file("index.htm") && !file("other.md") && !file(".hidden"));
    }
}
