//! The validated catalog: typed, with parsed dates and enums, built once by `crate::validate`.
//! Everything downstream (site, audit, book) reads these types and never re-checks or re-parses.

use crate::calendar::WorkCalendar;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

pub mod office;
pub use office::Office;

/// Top-level folder names the site itself uses (theme files, open data, site search, the 繁體
/// edition), so no top-level unit may take them.
pub const RESERVED_SEGMENTS: [&str; 4] = ["static", "data", "search", EDITION_DIR];

/// The folder under the output root holding the 繁體 edition (`traditional = true`).
pub const EDITION_DIR: &str = "zh-hant";

/// The folder of a unit's printed guide web page (`<unit>/book/`).
pub const BOOK_DIR: &str = "book";

/// Folder names a unit's own pages use inside its folder (its search, 联系我们 and 网站地图
/// pages, its printed guide's `book/`), so no child unit may take them (nor a domain id).
/// `zhinan` is its 政府信息公开指南, `yishenqing` its 依申请公开 page (and application form).
pub const UNIT_RESERVED_SEGMENTS: [&str; 6] = [
    "search",
    "contact",
    "sitemap",
    BOOK_DIR,
    "zhinan",
    "yishenqing",
];

/// The whole catalog, ready to render or audit.
#[derive(Debug)]
pub struct Catalog {
    /// Site settings (`site.toml`).
    pub site: Site,
    /// The 26-domain standard catalogue (标准目录), with local additions.
    pub standard: Standard,
    /// The official working-day calendar.
    pub calendar: WorkCalendar,
    /// Every unit, sorted by path, so a parent comes before its children.
    pub units: Vec<Unit>,
    /// The date the site shows (`--as-of`): 有效性 is what is true on it
    /// ([`Entry::validity_at`]).
    pub as_of: NaiveDate,
    /// Why the catalog's git history is not known (outside git, a shallow clone), or `None`
    /// when it is and every entry's [`Entry::history`] is filled in.
    pub history_unknown: Option<String>,
}

impl Catalog {
    /// Units with no parent (the counties), in the order pages list them ([`Unit::order`],
    /// then path).
    pub fn roots(&self) -> impl Iterator<Item = usize> + '_ {
        let mut roots: Vec<usize> = (0..self.units.len())
            .filter(|&i| self.units[i].parent.is_none())
            .collect();
        roots.sort_by(|&a, &b| self.units[a].shown_before(&self.units[b]));
        roots.into_iter()
    }

    /// Every unit in the order pages and reports list them: each county, then its townships
    /// (and each township's villages after it), siblings by [`Unit::order`] and then path.
    /// `units` itself stays in path order (parents before children, found by path).
    pub fn units_in_order(&self) -> Vec<usize> {
        fn walk(catalog: &Catalog, u: usize, out: &mut Vec<usize>) {
            out.push(u);
            for &c in &catalog.units[u].children {
                walk(catalog, c, out);
            }
        }
        let mut out = Vec::with_capacity(self.units.len());
        for root in self.roots() {
            walk(self, root, &mut out);
        }
        out
    }

    /// Keeps only the units `keep` says (by index), with their parent and child links
    /// re-numbered: a kept unit's pages then list only kept units (the preview of one unit,
    /// `gongkai serve --unit`, links no unit it did not build). A kept unit's parent must be
    /// kept too; one that is not makes the unit a top unit.
    pub fn retain_units(&mut self, keep: &[bool]) {
        let mut new_index = vec![None; self.units.len()];
        let mut next = 0;
        for (u, slot) in new_index.iter_mut().enumerate() {
            if keep.get(u).copied().unwrap_or(false) {
                *slot = Some(next);
                next += 1;
            }
        }
        let units = std::mem::take(&mut self.units);
        self.units = units
            .into_iter()
            .enumerate()
            .filter(|&(u, _)| new_index[u].is_some())
            .map(|(_, mut unit)| {
                unit.parent = unit.parent.and_then(|p| new_index[p]);
                unit.children = unit.children.iter().filter_map(|&c| new_index[c]).collect();
                unit
            })
            .collect();
    }

    /// The chain of units from the top down to `unit` (inclusive).
    pub fn ancestry(&self, unit: usize) -> Vec<usize> {
        let mut chain = vec![unit];
        let mut current = unit;
        while let Some(parent) = self.units[current].parent {
            chain.push(parent);
            current = parent;
        }
        chain.reverse();
        chain
    }

    /// The unit whose 政府信息公开指南 and 依申请公开 pages serve unit `u`: `u` itself, or for
    /// a village its township. A 村民委员会 is not an administrative organ under the 条例
    /// (art. 2): it publishes under 村务公开, and applications for information go to the
    /// township's office.
    pub fn disclosure_unit(&self, u: usize) -> usize {
        let mut current = u;
        while self.units[current].level == Level::Village {
            match self.units[current].parent {
                Some(parent) => current = parent,
                None => return u,
            }
        }
        current
    }

    /// Counts applicable / covered / exempt / missing items for a unit, over all or one domain.
    /// One pass over the items beside one over the unit's entries (both in catalogue order):
    /// every unit's page and the audit count this for every unit.
    pub fn coverage(&self, unit: &Unit, only_domain: Option<usize>) -> Coverage {
        let mut c = Coverage::default();
        let mut entries = unit.entries.iter().map(|e| (e.domain, e.item)).peekable();
        for (d, domain) in self.standard.domains.iter().enumerate() {
            if only_domain.is_some_and(|o| o != d) {
                continue;
            }
            for (i, item) in domain.items.iter().enumerate() {
                if !item.applies_to(unit.level) {
                    continue;
                }
                c.applicable += 1;
                while entries.next_if(|&at| at < (d, i)).is_some() {}
                if entries.peek() == Some(&(d, i)) {
                    c.covered += 1;
                } else if unit.exemption(&domain.id, &item.id).is_some() {
                    c.exempt += 1;
                } else {
                    c.missing += 1;
                }
            }
        }
        c
    }

    /// Whether `unit` has a page for domain `d`: at least one of the domain's items applies to
    /// the unit's level. A domain none of whose items applies is not a page (it would be a
    /// catalogue table with only a header, a 空白栏目 to an evaluator): the unit's home lists it
    /// once under 未涉及领域事项说明.
    pub fn has_domain_page(&self, unit: &Unit, d: usize) -> bool {
        self.standard.domains[d]
            .items
            .iter()
            .any(|item| item.applies_to(unit.level))
    }

    /// The newest update of anything in `unit` or beneath it.
    pub fn updated_beneath(&self, unit: usize) -> Option<NaiveDate> {
        let own = self.units[unit]
            .entries
            .iter()
            .map(Entry::last_update)
            .max();
        self.units[unit]
            .children
            .iter()
            .map(|&c| self.updated_beneath(c))
            .chain([own])
            .flatten()
            .max()
    }
}

/// Coverage figures of one unit's catalogue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Coverage {
    /// Items that apply to the unit's level.
    pub applicable: usize,
    /// Applicable items with at least one entry.
    pub covered: usize,
    /// Applicable items the unit is exempt from (本级不涉及).
    pub exempt: usize,
    /// Applicable, not exempt, no entry.
    pub missing: usize,
}

/// `site.toml`.
#[derive(Debug, Clone, Hash)]
pub struct Site {
    /// The site's title (e.g. 示例区人民政府 基层政务公开标准化规范化专栏).
    pub title: String,
    /// Absolute URL the site is published at, ending in `/`.
    pub base_url: String,
    /// 政府网站标识码.
    pub site_id_code: String,
    /// 主办单位.
    pub organizer: String,
    /// ICP备案号.
    pub icp: String,
    /// 公安备案号.
    pub police_record: Option<String>,
    /// Theme folder name.
    pub theme: String,
    /// Page language (`zh-CN`).
    pub language: String,
    /// A folder of fonts for the printed guide, relative to the catalog folder.
    pub font_dir: Option<PathBuf>,
    /// Whether pages carry the 我为政府网站找错 link (the national error-report page, with
    /// `site_id_code` and the page's address).
    pub error_report: bool,
    /// Where the 党政机关网站标识 (conac badge) links: the site's registration record.
    pub conac_url: Option<String>,
    /// The badge's image (an absolute URL), shown in the link instead of its text.
    pub conac_image: Option<String>,
    /// Whether `build` also writes each unit's printed guide (办事一本通: `<unit>/book.pdf` and
    /// `<unit>/book/index.html`) and unit homes link it (`book = true`; default false).
    pub book: bool,
    /// Whether `build` also writes the 繁體 edition: every page again under `zh-hant/`,
    /// converted to Traditional characters (`traditional = true`; default false).
    pub traditional: bool,
    /// Whether attachments a browser would run (HTML, SVG, XML, scripts) may be published; the
    /// host must then serve them as downloads (`docs/hosting.md`).
    pub active_attachments: bool,
    /// How much of an attachment the personal-data scan reads before it gives up (`[limits]`).
    pub limits: Limits,
    /// Working days a 解读 may follow its document (三同步; default 3, 国办发〔2016〕19号).
    pub interpretation_days: u32,
    /// Calendar days a file may enter the repository's history after its 发布日期 before it is
    /// `backdated` (default 3).
    pub backdate_days: u32,
    /// Files first committed before this day (a migration) are not judged for back-dating.
    pub history_since: Option<NaiveDate>,
    /// Whether entry pages show their 变更记录: the days commits changed the file after it was
    /// published, from the catalog's git history (`change_log = true`; default false).
    pub change_log: bool,
}

/// How much of a user's file (an attachment the personal-data scan reads, a table
/// `import-standard` reads) gongkai is willing to unpack and hold, so that a small file built to
/// unpack into gigabytes (a "bomb") stops with a finding instead of taking all memory. Set in
/// `site.toml`'s `[limits]` table; README and `docs/limits.md` give the defaults and the memory
/// they bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limits {
    /// Bytes unpacked from one file: the parts of a workbook or Word document (zip members, as
    /// their sizes are declared), a PDF's compressed streams, a CSV or text file.
    pub unpacked_bytes: u64,
    /// Filled cells of one workbook or CSV file, a repeated cell counting once per repeat.
    pub cells: u64,
    /// Characters in one cell (Excel's own limit is 32,767).
    pub cell_chars: u64,
    /// Shared strings of one `.xlsx` workbook.
    pub shared_strings: u64,
    /// Bytes one PDF stream unpacks to.
    pub pdf_stream_bytes: u64,
    /// Glyphs and shapes drawn on one PDF page.
    pub pdf_page_items: u64,
}

impl Limits {
    /// The keys of `[limits]`, each with its largest accepted value.
    pub const KEYS: [(&'static str, u64); 6] = [
        ("unpacked_mb", 4096),
        ("cells", 100_000_000),
        ("cell_chars", 10_000_000),
        ("shared_strings", 100_000_000),
        ("pdf_stream_mb", 4096),
        ("pdf_page_items", 100_000_000),
    ];

    /// Sets the limit `key` of `[limits]` to `value` (megabytes for the `_mb` keys). `Err`
    /// with the largest accepted value when `value` is not a whole number from 1 up to it, or
    /// with 0 for a key that is not one of [`Limits::KEYS`].
    pub fn set(&mut self, key: &str, value: i64) -> Result<(), u64> {
        let max = Limits::KEYS
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(0, |&(_, max)| max);
        let n = u64::try_from(value)
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or(max)?;
        let slot = match key {
            "unpacked_mb" => &mut self.unpacked_bytes,
            "cells" => &mut self.cells,
            "cell_chars" => &mut self.cell_chars,
            "shared_strings" => &mut self.shared_strings,
            "pdf_stream_mb" => &mut self.pdf_stream_bytes,
            _ => &mut self.pdf_page_items,
        };
        *slot = if key.ends_with("_mb") { n << 20 } else { n };
        Ok(())
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            unpacked_bytes: 100 << 20,
            cells: 2_000_000,
            cell_chars: 32_767,
            shared_strings: 1_000_000,
            pdf_stream_bytes: 32 << 20,
            pdf_page_items: 200_000,
        }
    }
}

impl Site {
    /// The host of `base_url`, for the `SiteDomain` meta tag.
    pub fn domain(&self) -> &str {
        let rest = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, r)| r);
        rest.split('/').next().unwrap_or(rest)
    }
}

/// Maintainers' markers of what is still unverified in the standard's text: a full-width
/// parenthesis part holding one of these is not shown to readers.
const MAINTAINER_MARKERS: [&str; 4] = ["待核", "未经核实", "系推定", "待补充"];

/// The standard's reader-facing text without the maintainers' markers of what is unverified,
/// so the site (and everything else built from the model) shows only what is known. A
/// full-width parenthesis is split at its `，`; the parts holding a marker (`文号待核`, `待核`)
/// are dropped, and the parenthesis with them if nothing is left:
/// `《…指引》（住房和城乡建设部印发，文号待核）` → `《…指引》（住房和城乡建设部印发）`,
/// `《…指引》（文号待核）` → `《…指引》`, `住房和城乡建设部（待核）` → `住房和城乡建设部`.
/// Applied once, where the standard's files become the model (`crate::validate`); the files
/// themselves, and their `notes` (never shown), keep the markers for the maintainers.
pub fn strip_maintainer_markers(text: &str) -> String {
    if !MAINTAINER_MARKERS.iter().any(|m| text.contains(m)) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('（') {
        let inner_start = open + '（'.len_utf8();
        let Some(len) = rest[inner_start..].find(['（', '）']) else {
            break;
        };
        let close = inner_start + len;
        out.push_str(&rest[..open]);
        if !rest[close..].starts_with('）') {
            // A nested parenthesis: keep this opening one and look inside.
            out.push('（');
            rest = &rest[inner_start..];
            continue;
        }
        let kept: Vec<&str> = rest[inner_start..close]
            .split('，')
            .filter(|part| !MAINTAINER_MARKERS.iter().any(|m| part.contains(m)))
            .collect();
        if !kept.is_empty() {
            out.push('（');
            out.push_str(&kept.join("，"));
            out.push('）');
        }
        rest = &rest[close + '）'.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// The standard catalogue: the domains in their standard order.
#[derive(Debug, Clone, Hash)]
pub struct Standard {
    /// Sorted by `order`.
    pub domains: Vec<Domain>,
}

impl Standard {
    /// The index of the domain with this id.
    pub fn domain_index(&self, id: &str) -> Option<usize> {
        self.domains.iter().position(|d| d.id == id)
    }
}

/// 试点领域: one of the 26 pilot domains.
#[derive(Debug, Clone, Hash)]
pub struct Domain {
    /// ASCII slug, equal to the file stem.
    pub id: String,
    /// e.g. 社会救助.
    pub name: String,
    /// 1–26.
    pub order: u8,
    /// 标准指引: the national guideline's title.
    pub guideline: String,
    /// The ministry that issued it.
    pub issuer: String,
    /// What is known to be incomplete.
    pub notes: Option<String>,
    /// National items first, then local additions, each in file order.
    pub items: Vec<Item>,
}

impl Domain {
    /// The index of the item with this id.
    pub fn item_index(&self, id: &str) -> Option<usize> {
        self.items.iter().position(|i| i.id == id)
    }
}

/// 公开事项: one catalogue row (a 二级事项).
#[derive(Debug, Clone, Hash)]
pub struct Item {
    /// Stable ASCII slug, unique in the domain.
    pub id: String,
    /// 一级事项.
    pub level1: String,
    /// 二级事项.
    pub level2: String,
    /// 三级事项, where a table splits the 二级事项 further (some 2024 catalogues).
    pub level3: Option<String>,
    /// 公开内容（要素）.
    pub content: String,
    /// 公开依据.
    pub basis: String,
    /// 公开时限, as shown to readers.
    pub deadline: String,
    /// What the deadline means for the audit.
    pub cadence: Cadence,
    /// Days allowed after creation or change.
    pub limit_days: u32,
    /// How `limit_days` counts.
    pub limit_unit: LimitUnit,
    /// 公开主体.
    pub subject: String,
    /// 公开渠道和载体.
    pub channels: Vec<String>,
    /// 公开对象.
    pub audience: Audience,
    /// 公开方式.
    pub mode: Mode,
    /// 公开层级.
    pub levels: Vec<Level>,
    /// A district's own columns (责任科室, 咨询电话, …).
    pub extra: BTreeMap<String, String>,
    /// 本级补充事项: added by the district, not in the national guideline.
    pub local: bool,
}

impl Item {
    /// The item's name for readers: its 二级事项, or `二级事项：三级事项` when the table splits
    /// it further (招标公告：资格预审公告).
    pub fn name(&self) -> String {
        match &self.level3 {
            Some(level3) => format!("{}：{level3}", self.level2),
            None => self.level2.clone(),
        }
    }

    /// Whether the item must be published by a unit of `level`.
    pub fn applies_to(&self, level: Level) -> bool {
        self.levels.contains(&level)
    }
}

/// How often an item must be refreshed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cadence {
    /// Within `limit_days` of the information being created or changed.
    Event,
    /// 每月.
    Monthly,
    /// 每季度.
    Quarterly,
    /// 每半年.
    HalfYearly,
    /// 每年.
    Yearly,
}

impl Cadence {
    /// Parses the spec's value.
    pub fn parse(s: &str) -> Option<Cadence> {
        Some(match s {
            "event" => Cadence::Event,
            "monthly" => Cadence::Monthly,
            "quarterly" => Cadence::Quarterly,
            "half-yearly" => Cadence::HalfYearly,
            "yearly" => Cadence::Yearly,
            _ => return None,
        })
    }

    /// The period in months, for periodic cadences.
    pub fn months(self) -> Option<u32> {
        match self {
            Cadence::Event => None,
            Cadence::Monthly => Some(1),
            Cadence::Quarterly => Some(3),
            Cadence::HalfYearly => Some(6),
            Cadence::Yearly => Some(12),
        }
    }
}

/// How a limit in days counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LimitUnit {
    /// 工作日.
    Working,
    /// 自然日.
    Calendar,
}

/// 公开对象: who the item is published to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Audience {
    /// 全社会.
    Public,
    /// 特定群体.
    Group,
}

impl Audience {
    /// Both, in the spec's order.
    pub const ALL: [Audience; 2] = [Audience::Public, Audience::Group];

    /// Parses the spec's value (`全社会`, `特定群体`).
    pub fn parse(s: &str) -> Option<Audience> {
        Audience::ALL.into_iter().find(|a| a.label() == s)
    }

    /// The spec's value, also shown to people: 全社会 / 特定群体.
    pub fn label(self) -> &'static str {
        match self {
            Audience::Public => "全社会",
            Audience::Group => "特定群体",
        }
    }

    /// The audience a table cell names, as districts write it: 全社会, 社会公众, 公众; 特定群体,
    /// 特定群众, 特定对象, 特定 (whitespace and brackets already removed).
    pub fn from_chinese(text: &str) -> Option<Audience> {
        if text.contains("全社会") || text.contains("社会公众") || text == "公众" {
            Some(Audience::Public)
        } else if text.contains("特定") {
            Some(Audience::Group)
        } else {
            None
        }
    }
}

/// 公开方式: published on the government's own initiative or on request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mode {
    /// 主动.
    Active,
    /// 依申请.
    OnRequest,
}

impl Mode {
    /// Both, in the spec's order.
    pub const ALL: [Mode; 2] = [Mode::Active, Mode::OnRequest];

    /// Parses the spec's value (`主动`, `依申请`).
    pub fn parse(s: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.label() == s)
    }

    /// The spec's value, also shown to people: 主动 / 依申请.
    pub fn label(self) -> &'static str {
        match self {
            Mode::Active => "主动",
            Mode::OnRequest => "依申请",
        }
    }

    /// The mode a table cell names, as districts write it: 主动, 主动公开; 依申请, 依申请公开.
    pub fn from_chinese(text: &str) -> Option<Mode> {
        if text.contains("主动") {
            Some(Mode::Active)
        } else if text.contains("依申请") {
            Some(Mode::OnRequest)
        } else {
            None
        }
    }
}

/// 公开层级 / a unit's level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// 县级: district, county, county-level city.
    County,
    /// 乡级: township, town, sub-district.
    Township,
    /// 村级: a 村民委员会 or 居民委员会 (社区) under a township.
    Village,
}

impl Level {
    /// Every level, top first.
    pub const ALL: [Level; 3] = [Level::County, Level::Township, Level::Village];

    /// Parses the spec's value.
    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The spec's value: `county`, `township`, `village`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::County => "county",
            Level::Township => "township",
            Level::Village => "village",
        }
    }

    /// 县级 / 乡级 / 村级.
    pub fn label(self) -> &'static str {
        match self {
            Level::County => "县级",
            Level::Township => "乡级",
            Level::Village => "村级",
        }
    }

    /// The level a unit of this level sits under: a township under a county, a village under a
    /// township; none for a county.
    pub fn parent(self) -> Option<Level> {
        match self {
            Level::County => None,
            Level::Township => Some(Level::County),
            Level::Village => Some(Level::Township),
        }
    }

    /// The level a Chinese word names, as clerks write it in a unit list, a `levels` value or a
    /// standard table's 公开层级 column: 县级, 区级, 区县级, 县 …; 乡级, 镇级, 街道, 镇街 …;
    /// 村级, 社区, 村（社区）级 ….
    pub fn from_chinese(word: &str) -> Option<Level> {
        match word {
            "县级" | "区级" | "区县级" | "县区级" | "县市区级" | "县区" | "县" | "区县" | "区" => {
                Some(Level::County)
            }
            "乡级" | "镇级" | "镇街级" | "乡镇级" | "乡镇街道级" | "街道级" | "乡镇" | "乡"
            | "镇" | "乡镇街道" | "街道" | "镇街" | "乡镇街" | "乡街道" | "镇街道" => {
                Some(Level::Township)
            }
            "村级" | "村" | "社区" | "社区级" | "村社区" | "村社区级" | "村（社区）"
            | "村（社区）级" | "村居" | "村居级" | "村委会" | "居委会" => {
                Some(Level::Village)
            }
            _ => None,
        }
    }

    /// The levels a 公开层级 heading names, including the joint township-and-village column
    /// real tables carry (乡、村级, 镇（街）、村级, 乡村级): both levels publish what it ticks.
    /// Brackets and `、` may already be removed (乡村级, 镇街村级).
    pub fn set_from_chinese(word: &str) -> Option<Vec<Level>> {
        if let Some(level) = Level::from_chinese(word) {
            return Some(vec![level]);
        }
        let plain: String = word
            .chars()
            .filter(|c| !"、，,（）()/ ".contains(*c))
            .collect();
        let stem = plain.strip_suffix('级').unwrap_or(&plain);
        for village in ["村社区", "村居", "社区", "村"] {
            if let Some(township) = stem.strip_suffix(village)
                && !township.is_empty()
                && Level::from_chinese(township) == Some(Level::Township)
            {
                return Some(vec![Level::Township, Level::Village]);
            }
        }
        None
    }
}

/// 区县, 乡镇 or 村（社区）: a folder holding `unit.toml`.
#[derive(Debug, Clone, Hash)]
pub struct Unit {
    /// The path under `units/` (e.g. `shiqu/shizhen`); also its URL path.
    pub path: String,
    /// e.g. 示例区.
    pub name: String,
    /// County, township or village.
    pub level: Level,
    /// 区划代码.
    pub code: String,
    /// The publishing body's code, used in 索引号.
    pub org_code: String,
    /// Default 发布机构.
    pub publisher: String,
    /// 排列顺序 (`order` in `unit.toml`): where the unit is listed among its siblings (a
    /// county's townships in 区划代码 order, say). Siblings with one come first, by it; the
    /// others follow in path order.
    pub order: Option<i64>,
    /// 地址.
    pub address: Option<String>,
    /// 电话.
    pub phone: Option<String>,
    /// 办公时间.
    pub hours: Option<String>,
    /// 政府信息公开工作机构 (`[office]`), its address, phone and hours filled from the above
    /// when `[office]` leaves them out.
    pub office: Office,
    /// 本级不涉及: domain id → item id → reason.
    pub exempt: BTreeMap<String, BTreeMap<String, String>>,
    /// The parent unit's index.
    pub parent: Option<usize>,
    /// Child units' indices, in the order pages list them ([`Unit::order`], then path).
    pub children: Vec<usize>,
    /// Entries, sorted by domain order, item order, then newest first.
    pub entries: Vec<Entry>,
}

impl Unit {
    /// How this unit and a sibling are listed: those with an [`Unit::order`] first, by it, then
    /// those without; ties by path.
    pub fn shown_before(&self, other: &Unit) -> std::cmp::Ordering {
        let key = |u: &Unit| (u.order.is_none(), u.order);
        key(self)
            .cmp(&key(other))
            .then_with(|| self.path.cmp(&other.path))
    }

    /// Entries of one domain, in item order (newest first within an item).
    pub fn domain_entries(&self, domain: usize) -> &[Entry] {
        &self.entries[self.domain_range(domain)]
    }

    /// Where [`Unit::domain_entries`] are in `entries`.
    pub fn domain_range(&self, domain: usize) -> std::ops::Range<usize> {
        let start = self.entries.partition_point(|e| e.domain < domain);
        let end = self.entries.partition_point(|e| e.domain <= domain);
        start..end
    }

    /// Entries of one item, newest first.
    pub fn item_entries(&self, domain: usize, item: usize) -> &[Entry] {
        &self.entries[self.item_range(domain, item)]
    }

    /// Where [`Unit::item_entries`] are in `entries`.
    pub fn item_range(&self, domain: usize, item: usize) -> std::ops::Range<usize> {
        let start = self
            .entries
            .partition_point(|e| (e.domain, e.item) < (domain, item));
        let end = self
            .entries
            .partition_point(|e| (e.domain, e.item) <= (domain, item));
        start..end
    }

    /// Whether the unit has a page for item `item` of domain `domain`: it has published at least
    /// one entry there. An item with nothing published is not a page (it would say only "nothing
    /// here", a 空白栏目 to an evaluator): its row in the domain's catalogue says 暂无信息 or
    /// 本级不涉及, without a link.
    pub fn has_item_page(&self, domain: usize, item: usize) -> bool {
        !self.item_entries(domain, item).is_empty()
    }

    /// Whether the unit has a 联系我们 page: its `unit.toml` gives an address, a phone or
    /// office hours (a page with none of them would be empty).
    pub fn has_contact_page(&self) -> bool {
        self.address.is_some() || self.phone.is_some() || self.hours.is_some()
    }

    /// The exemption reason for an item, if the unit is exempt from it.
    pub fn exemption(&self, domain: &str, item: &str) -> Option<&str> {
        self.exempt.get(domain)?.get(item).map(String::as_str)
    }
}

/// 政府信息: one published piece of information under an item. Serializable (without its body's
/// text, which is read back from its file) for the validated-entry cache, `crate::load::cache`.
/// Hashed for fingerprints without its file's path (see the `Hash` impl).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    /// Index into `Standard::domains`.
    pub domain: usize,
    /// Index into that domain's items.
    pub item: usize,
    /// The URL segment.
    pub slug: String,
    /// The source file as shown to the user.
    pub source: String,
    /// Lines of its front-matter keys, for findings.
    pub lines: EntryLines,
    /// The line the Markdown body starts on.
    pub body_line: u32,
    /// 标题.
    pub title: String,
    /// 成文日期.
    pub created: NaiveDate,
    /// 发布日期.
    pub published: NaiveDate,
    /// The time of day it was published, as `HH:MM`, if given.
    pub published_time: Option<String>,
    /// 变更日期.
    pub updated: Option<NaiveDate>,
    /// 文号.
    pub doc_no: Option<String>,
    /// 索引号.
    pub index_no: String,
    /// Whether the 索引号 was derived because the file has none.
    pub index_no_derived: bool,
    /// 发布机构.
    pub publisher: String,
    /// 有效性.
    pub validity: Validity,
    /// The date after which the document is no longer in force.
    pub expires: Option<NaiveDate>,
    /// 主题分类.
    pub topic: Option<String>,
    /// One-line description.
    pub summary: Option<String>,
    /// Why personal numbers in this entry may be published.
    pub privacy_exception: Option<String>,
    /// The Markdown body.
    pub body: Body,
    /// Files published with it.
    pub attachments: Vec<Attachment>,
    /// The relative link and image targets in its body, in order, for the audit's
    /// `broken-link` and `attachment-missing` (kept here because a body taken from the
    /// validated-entry cache is not read again).
    pub links: Vec<BodyLink>,
    /// 实施日期.
    pub effective: Option<NaiveDate>,
    /// 废止日期: from this day on the document is 废止.
    pub repealed_on: Option<NaiveDate>,
    /// 关键词.
    pub keywords: Vec<String>,
    /// A 行政规范性文件: a 解读 is expected with it (三同步).
    pub normative: bool,
    /// The comment period, when this entry is a draft published for comment (征求意见稿).
    pub consultation: Option<Consultation>,
    /// The other entries this one names, by 索引号, as its file writes them.
    pub names: RelationNames,
    /// The relations resolved across the catalog, both ways (never cached: they follow from
    /// other files; `crate::validate` fills them in on every run).
    #[serde(skip)]
    pub relations: Relations,
    /// What git's history says of the file (never cached: it follows from the repository;
    /// `crate::pipeline` fills it in on every run).
    #[serde(skip)]
    pub history: EntryHistory,
}

/// An entry file's dates in the catalog's git history (Beijing dates of commits).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct EntryHistory {
    /// The day it was first committed (under this name or an earlier one).
    pub first: Option<NaiveDate>,
    /// The days later commits changed it, oldest first: after the day it was first committed
    /// and after its 发布日期, up to the build's `--as-of` (its 变更记录).
    pub changes: Vec<NaiveDate>,
}

impl EntryHistory {
    /// The last day a commit changed the file after it was published.
    pub fn changed(&self) -> Option<NaiveDate> {
        self.changes.last().copied()
    }
}

/// A consultation's comment period (征求意见期限), both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Consultation {
    /// The first day comments are taken.
    pub opens: NaiveDate,
    /// The last day comments are taken.
    pub closes: NaiveDate,
}

/// The 索引号 an entry's file names in its relation keys.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RelationNames {
    /// `interprets`: the documents this 解读 explains.
    pub interprets: Vec<String>,
    /// `responds_to`: the consultation this adoption report answers.
    pub responds_to: Option<String>,
    /// `consulted_in`: the consultation whose draft became this document.
    pub consulted_in: Option<String>,
    /// `replaces`: the documents this one replaces.
    pub replaces: Vec<String>,
}

impl RelationNames {
    /// Every named 索引号 with its key, in key order.
    pub fn all(&self) -> impl Iterator<Item = (&'static str, &str)> {
        let interprets = self.interprets.iter().map(|n| ("interprets", n.as_str()));
        let responds = self.responds_to.iter().map(|n| ("responds_to", n.as_str()));
        let consulted = self
            .consulted_in
            .iter()
            .map(|n| ("consulted_in", n.as_str()));
        let replaces = self.replaces.iter().map(|n| ("replaces", n.as_str()));
        interprets.chain(responds).chain(consulted).chain(replaces)
    }
}

/// An entry's relations to others, resolved across units and levels, each seen from this side.
/// Every list is in the order of (unit path, domain, item, newest first), so pages are stable.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Relations {
    /// The documents this 解读 explains (its `interprets`).
    pub interprets: Vec<Link>,
    /// 相关解读: the 解读 of this document.
    pub interpretations: Vec<Link>,
    /// 征求意见稿: the consultation this document was drafted in (its `consulted_in`).
    pub consultation: Option<Link>,
    /// 意见采纳情况: the reports on this consultation (entries whose `responds_to` names it), or,
    /// for a document, on the consultation it was drafted in.
    pub responses: Vec<Link>,
    /// The consultation this report answers (its `responds_to`).
    pub responds_to: Option<Link>,
    /// The documents drafted in this consultation (entries whose `consulted_in` names it).
    pub outcomes: Vec<Link>,
    /// The documents this one replaces.
    pub replaces: Vec<Link>,
    /// The documents that replace this one (已被《…》替代).
    pub replaced_by: Vec<Link>,
}

/// Another entry as a page links it: enough to name it and find its page, held by value so that a
/// change to it changes the fingerprint of every page showing the link.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Link {
    /// 索引号.
    pub index_no: String,
    /// 标题.
    pub title: String,
    /// 文号.
    pub doc_no: Option<String>,
    /// The unit's path under `units/`.
    pub unit: String,
    /// The unit's name (示例镇), shown when the link crosses units.
    pub unit_name: String,
    /// Domain id.
    pub domain: String,
    /// Item id.
    pub item: String,
    /// The entry's URL segment.
    pub slug: String,
    /// 发布日期.
    pub published: NaiveDate,
    /// The day it takes effect: its 实施日期, or else its 发布日期 (for a replacing document,
    /// the day the replaced one stops being in force).
    pub in_force_from: NaiveDate,
}

impl Link {
    /// The entry page's path from the site root, its segments as written (not percent-encoded).
    pub fn segments(&self) -> [&str; 4] {
        [&self.unit, &self.domain, &self.item, &self.slug]
    }
}

/// A relative link or image target in an entry's body (`[名单](名单.csv)`): not a URL with a
/// scheme, not only a fragment or query, not an absolute path (those are refused as
/// `unsafe-path`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BodyLink {
    /// The target as written.
    pub target: String,
    /// The 1-based line in the entry file.
    pub line: u32,
}

/// Everything but `source`: the path is the catalog folder as `--root` spelled it, which must not
/// change a fingerprint (`catalog`, `./catalog` and an absolute path build the same site); where
/// the entry is inside the catalog is in `domain`, `item` and `slug`, and its unit's path. Every
/// field is named, so a new one cannot be left out unnoticed.
impl std::hash::Hash for Entry {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let Entry {
            domain,
            item,
            slug,
            source: _,
            lines,
            body_line,
            title,
            created,
            published,
            published_time,
            updated,
            doc_no,
            index_no,
            index_no_derived,
            publisher,
            validity,
            expires,
            topic,
            summary,
            privacy_exception,
            body,
            attachments,
            links: _, // read from the body, which is hashed
            effective,
            repealed_on,
            keywords,
            normative,
            consultation,
            names,
            relations,
            history,
        } = self;
        (
            domain, item, slug, lines, body_line, title, created, published,
        )
            .hash(state);
        (published_time, updated, doc_no, index_no, index_no_derived).hash(state);
        (
            publisher,
            validity,
            expires,
            topic,
            summary,
            privacy_exception,
        )
            .hash(state);
        (body, attachments).hash(state);
        (effective, repealed_on, keywords, normative, consultation).hash(state);
        (names, relations, history).hash(state);
    }
}

impl Entry {
    /// Puts the entry back as validation of its own file left it: without a 索引号 derived for
    /// it, its resolved relations and its git history. Those follow from other files and are
    /// filled in again by every run (`crate::validate`'s passes across the catalog, then
    /// `crate::pipeline`), so a model kept from the last run must be reset before they are.
    pub fn forget_derived(&mut self) {
        if self.index_no_derived {
            self.index_no.clear();
            self.index_no_derived = false;
        }
        self.relations = Relations::default();
        self.history = EntryHistory::default();
    }

    /// 更新时间 of this entry: its change date (`updated`); without one, the last day a commit
    /// changed its file after it was first committed (git history, where known); else its
    /// publication date. Never the build's date.
    pub fn last_update(&self) -> NaiveDate {
        self.updated
            .or(self.history.changed())
            .unwrap_or(self.published)
            .max(self.published)
    }

    /// The days this entry is known to have changed after it was published: its 变更日期
    /// (`updated`) and each day a commit changed its file (git history, where known), each
    /// only when later than its 发布日期. The file keeps only its latest `updated`, so an
    /// earlier change shows only in the history.
    pub fn changes(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.updated
            .into_iter()
            .chain(self.history.changes.iter().copied())
            .filter(|day| *day > self.published)
    }

    /// 有效性 on `as_of`: what the file says, except that an entry still marked valid is
    /// - 废止 from its `repealed_on` date on;
    /// - 失效 once a document replacing it is in force (its 实施日期, or else its 发布日期, is
    ///   on or before `as_of`), or after its `expires` date.
    ///
    /// Every surface that shows an entry (its page, item lists, search data, feeds, open data,
    /// the printed guide) shows this, so an entry lapses everywhere the day after its `expires`,
    /// before its file is corrected (`check` reports `expired-unmarked` so that it is).
    pub fn validity_at(&self, as_of: NaiveDate) -> Validity {
        if self.repealed_on.is_some_and(|r| r <= as_of) {
            return Validity::Repealed;
        }
        let replaced = self
            .relations
            .replaced_by
            .iter()
            .any(|by| by.in_force_from <= as_of);
        match (self.validity, self.expires) {
            (Validity::Valid, _) if replaced => Validity::Expired,
            (Validity::Valid, Some(expires)) if expires < as_of => Validity::Expired,
            (validity, _) => validity,
        }
    }

    /// The day this entry takes effect: its 实施日期, or else its 发布日期.
    pub fn in_force_from(&self) -> NaiveDate {
        self.effective.unwrap_or(self.published)
    }
}

/// An entry's Markdown body. An entry parsed in this build holds its text; one taken unread from
/// the validated-entry cache (its file's `stat` unchanged) holds only where the text is and its
/// hash, and the loader reads it back when a page needs it, refusing text that is not what was
/// validated. The model does no I/O. Hashing and fingerprints use the hash, never the text.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Body {
    /// xxh3 of the text.
    hash: u64,
    /// Where the text starts in the entry file's bytes (after the front matter).
    at: usize,
    /// The text, if it is in memory.
    #[serde(skip)]
    text: Option<String>,
}

impl Body {
    /// A body whose text is in memory; `at` is where it starts in its file's bytes.
    pub fn new(text: String, at: usize) -> Body {
        Body {
            hash: xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
            at,
            text: Some(text),
        }
    }

    /// Takes the text from the entry file's `bytes` if it is the text this body was made from.
    pub fn fill_from(&mut self, bytes: &[u8]) -> bool {
        match self.text_in(bytes) {
            Some(text) => {
                self.text = Some(text.to_owned());
                true
            }
            None => false,
        }
    }

    /// Lets go of the text; `crate::load::read_body` reads it back from the file when a page
    /// needs it.
    pub fn unload(&mut self) {
        self.text = None;
    }

    /// The text, when it is in memory: always for an entry parsed in this build; for one taken
    /// unread from the cache, once the loader has read it back (`crate::load::read_body`).
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// The text for a page: an internal error, naming `file`, if it was never read back.
    pub fn text_for_page(&self, file: &str) -> Result<&str, String> {
        self.text()
            .ok_or_else(|| format!("内部错误：条目 {file} 的正文没有读入。"))
    }

    fn text_in<'b>(&self, bytes: &'b [u8]) -> Option<&'b str> {
        let text = std::str::from_utf8(bytes.get(self.at..)?).ok()?;
        (xxhash_rust::xxh3::xxh3_64(text.as_bytes()) == self.hash).then_some(text)
    }
}

impl std::hash::Hash for Body {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.hash.hash(state);
    }
}

/// Where an entry's keys are in its file (1-based lines), so later findings can point at them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize)]
pub struct EntryLines {
    /// `published`.
    pub published: u32,
    /// `updated`, if present.
    pub updated: Option<u32>,
    /// `expires`, if present.
    pub expires: Option<u32>,
    /// `validity`, if present.
    pub validity: Option<u32>,
    /// `index_no`, if present.
    pub index_no: Option<u32>,
    /// `normative`, if present.
    pub normative: Option<u32>,
    /// `interprets`, if present.
    pub interprets: Option<u32>,
    /// `consultation`, if present.
    pub consultation: Option<u32>,
    /// `responds_to`, if present.
    pub responds_to: Option<u32>,
    /// `consulted_in`, if present.
    pub consulted_in: Option<u32>,
    /// `replaces`, if present.
    pub replaces: Option<u32>,
}

impl EntryLines {
    /// The line of a relation key (`interprets`, `responds_to`, `consulted_in`, `replaces`).
    pub fn of_relation(&self, key: &str) -> Option<u32> {
        match key {
            "interprets" => self.interprets,
            "responds_to" => self.responds_to,
            "consulted_in" => self.consulted_in,
            "replaces" => self.replaces,
            _ => None,
        }
    }
}

/// An attachment file. Hashed for fingerprints by name and size, without its path (like
/// [`Entry::source`]): whether its bytes changed is told by its file's stamp,
/// `crate::render::fingerprint::copied_file_key`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Attachment {
    /// File name and URL segment.
    pub name: String,
    /// Where it is on disk.
    pub path: PathBuf,
    /// Size in bytes.
    pub size: u64,
}

impl std::hash::Hash for Attachment {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let Attachment {
            name,
            path: _,
            size,
        } = self;
        (name, size).hash(state);
    }
}

/// 有效性.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Validity {
    /// 有效.
    Valid,
    /// 失效.
    Expired,
    /// 废止.
    Repealed,
}

impl Validity {
    /// Parses the spec's value.
    pub fn parse(s: &str) -> Option<Validity> {
        match s {
            "valid" => Some(Validity::Valid),
            "expired" => Some(Validity::Expired),
            "repealed" => Some(Validity::Repealed),
            _ => None,
        }
    }

    /// 有效 / 失效 / 废止.
    pub fn label(self) -> &'static str {
        match self {
            Validity::Valid => "有效",
            Validity::Expired => "失效",
            Validity::Repealed => "废止",
        }
    }

    /// The machine value.
    pub fn as_str(self) -> &'static str {
        match self {
            Validity::Valid => "valid",
            Validity::Expired => "expired",
            Validity::Repealed => "repealed",
        }
    }
}

/// A part of a unit's pages that is rendered, and kept when nothing it shows changed, as a
/// whole: an edit in one domain renders that domain's folder and the unit's own files, not the
/// other 25 domains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The unit's files outside its domain folders: home page, 联系我们 and 网站地图 pages,
    /// feed, sitemaps, search, open data.
    Own,
    /// One domain's folder: its page and feed, its item pages, entry pages and attachments
    /// (nothing when no item of the domain applies to the unit).
    Domain(usize),
}

impl Part {
    /// Every part of a unit: its own files, then each domain in standard order.
    pub fn all(catalog: &Catalog) -> impl Iterator<Item = Part> + use<> {
        std::iter::once(Part::Own).chain((0..catalog.standard.domains.len()).map(Part::Domain))
    }

    /// The folder this part's files are in, under the site root (`/`-separated): the unit's for
    /// its own files, the domain's inside it for a domain. Names the part in the build manifest.
    pub fn folder(self, catalog: &Catalog, u: usize) -> String {
        let unit = &catalog.units[u];
        match self {
            Part::Own => unit.path.clone(),
            Part::Domain(d) => format!("{}/{}", unit.path, catalog.standard.domains[d].id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maintainer_markers_are_stripped_and_known_text_kept() {
        for (raw, shown) in [
            (
                "《城市综合执法领域基层政务公开标准指引》（文号待核）",
                "《城市综合执法领域基层政务公开标准指引》",
            ),
            (
                "《扶贫领域基层政务公开标准指引》（国务院扶贫办印发，文号待核）",
                "《扶贫领域基层政务公开标准指引》（国务院扶贫办印发）",
            ),
            ("住房和城乡建设部（待核）", "住房和城乡建设部"),
            (
                "《条例》（国务院令第711号）；《指引》（文号待核）",
                "《条例》（国务院令第711号）；《指引》",
            ),
            (
                "《财政预决算领域基层政务公开标准指引》（财办发〔2019〕77号）",
                "《财政预决算领域基层政务公开标准指引》（财办发〔2019〕77号）",
            ),
            ("甲（乙（待核）丙）", "甲（乙丙）"),
            ("未闭合（待核", "未闭合（待核"),
        ] {
            assert_eq!(strip_maintainer_markers(raw), shown, "{raw}");
        }
    }

    #[test]
    fn level_words_include_villages_and_the_joint_township_village_column() {
        assert_eq!(Level::from_chinese("村级"), Some(Level::Village));
        assert_eq!(Level::from_chinese("社区"), Some(Level::Village));
        assert_eq!(Level::from_chinese("乡村级"), None, "two levels, not one");
        for joint in [
            "乡、村级",
            "乡村级",
            "镇（街）、村级",
            "镇街村级",
            "乡镇（街道）、村（社区）级",
        ] {
            assert_eq!(
                Level::set_from_chinese(joint),
                Some(vec![Level::Township, Level::Village]),
                "{joint}"
            );
        }
        assert_eq!(Level::set_from_chinese("县级"), Some(vec![Level::County]));
        assert_eq!(Level::set_from_chinese("市级"), None);
        assert_eq!(Level::Village.parent(), Some(Level::Township));
    }

    #[test]
    fn validity_on_a_date_follows_expires() {
        let day = |d| NaiveDate::from_ymd_opt(2025, 1, d).expect("date");
        let mut entry: Entry = serde_json::from_value(serde_json::json!({
            "domain": 0, "item": 0, "slug": "a", "source": "a.md", "lines": {"published": 1},
            "body_line": 1, "title": "t", "created": "2025-01-01", "published": "2025-01-01",
            "published_time": null, "updated": null, "doc_no": null, "index_no": "X/2025-00001",
            "index_no_derived": false, "publisher": "p", "validity": "Valid",
            "expires": "2025-01-10", "topic": null, "summary": null, "privacy_exception": null,
            "body": {"hash": 0, "at": 0}, "attachments": [], "links": [],
            "effective": null,
            "repealed_on": null, "keywords": [], "normative": false, "consultation": null,
            "names": {"interprets": [], "responds_to": null, "consulted_in": null, "replaces": []}
        }))
        .expect("entry");
        assert_eq!(
            entry.validity_at(day(10)),
            Validity::Valid,
            "in force on its last day"
        );
        assert_eq!(
            entry.validity_at(day(11)),
            Validity::Expired,
            "lapsed the day after"
        );
        entry.validity = Validity::Repealed;
        assert_eq!(
            entry.validity_at(day(11)),
            Validity::Repealed,
            "the file's 废止 stands"
        );
        entry.validity = Validity::Expired;
        assert_eq!(
            entry.validity_at(day(1)),
            Validity::Expired,
            "the file's 失效 stands"
        );
    }

    #[test]
    fn a_body_read_back_must_be_the_validated_text() {
        let validated = Body::new("正文".to_owned(), 8);
        let unread = Body {
            text: None,
            ..validated.clone()
        };
        let mut filled = unread.clone();
        assert_eq!(unread.text(), None);
        assert!(!filled.fill_from("+++\n+++\n改文".as_bytes()));
        assert!(filled.fill_from("+++\n+++\n正文".as_bytes()));
        assert_eq!(filled.text(), Some("正文"));
    }
}
