//! The validated catalog: typed, with parsed dates and enums, built once by `crate::validate`.
//! Everything downstream (site, audit, book) reads these types and never re-checks or re-parses.

use crate::calendar::WorkCalendar;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

pub mod office;
pub use office::Office;

/// Top-level folder names the site itself uses (theme files, open data, site search), so no
/// top-level unit may take them.
pub const RESERVED_SEGMENTS: [&str; 3] = ["static", "data", "search"];

/// Folder names a unit's own pages use inside its folder (its search, 联系我们 and 网站地图
/// pages, its printed guide's `book/`), so no child unit may take them (nor a domain id).
/// `zhinan` is its 政府信息公开指南, `yishenqing` its 依申请公开 page (and application form).
pub const UNIT_RESERVED_SEGMENTS: [&str; 6] = [
    "search",
    "contact",
    "sitemap",
    "book",
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
}

impl Catalog {
    /// Units with no parent (the counties), in path order.
    pub fn roots(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.units.len()).filter(|&i| self.units[i].parent.is_none())
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
    /// Whether attachments a browser would run (HTML, SVG, XML, scripts) may be published; the
    /// host must then serve them as downloads (`docs/hosting.md`).
    pub active_attachments: bool,
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
    pub audience: String,
    /// 公开方式.
    pub mode: String,
    /// 公开层级.
    pub levels: Vec<Level>,
    /// A district's own columns (责任科室, 咨询电话, …).
    pub extra: BTreeMap<String, String>,
    /// 本级补充事项: added by the district, not in the national guideline.
    pub local: bool,
}

impl Item {
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

/// 公开层级 / a unit's level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// 县级: district, county, county-level city.
    County,
    /// 乡级: township, town, sub-district.
    Township,
}

impl Level {
    /// Every level, top first.
    pub const ALL: [Level; 2] = [Level::County, Level::Township];

    /// Parses the spec's value.
    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The spec's value: `county`, `township`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::County => "county",
            Level::Township => "township",
        }
    }

    /// 县级 / 乡级.
    pub fn label(self) -> &'static str {
        match self {
            Level::County => "县级",
            Level::Township => "乡级",
        }
    }

    /// The level a Chinese word names, as clerks write it in a unit list, a `levels` value or a
    /// standard table's 公开层级 column: 县级, 区级, 区县级, 县 …; 乡级, 镇级, 街道, 镇街 ….
    pub fn from_chinese(word: &str) -> Option<Level> {
        match word {
            "县级" | "区级" | "区县级" | "县区级" | "县市区级" | "县区" | "县" | "区县" | "区" => {
                Some(Level::County)
            }
            "乡级" | "镇级" | "镇街级" | "乡村级" | "乡镇级" | "乡镇街道级" | "街道级" | "乡镇"
            | "乡" | "镇" | "乡镇街道" | "街道" | "镇街" | "乡镇街" | "乡街道" | "镇街道" => {
                Some(Level::Township)
            }
            _ => None,
        }
    }
}

/// 区县 or 乡镇: a folder holding `unit.toml`.
#[derive(Debug, Clone, Hash)]
pub struct Unit {
    /// The path under `units/` (e.g. `shiqu/shizhen`); also its URL path.
    pub path: String,
    /// e.g. 示例区.
    pub name: String,
    /// County or township.
    pub level: Level,
    /// 区划代码.
    pub code: String,
    /// The publishing body's code, used in 索引号.
    pub org_code: String,
    /// Default 发布机构.
    pub publisher: String,
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
    /// Child units' indices, in path order.
    pub children: Vec<usize>,
    /// Entries, sorted by domain order, item order, then newest first.
    pub entries: Vec<Entry>,
}

impl Unit {
    /// Entries of one domain, in item order (newest first within an item).
    pub fn domain_entries(&self, domain: usize) -> &[Entry] {
        let start = self.entries.partition_point(|e| e.domain < domain);
        let end = self.entries.partition_point(|e| e.domain <= domain);
        &self.entries[start..end]
    }

    /// Entries of one item, newest first.
    pub fn item_entries(&self, domain: usize, item: usize) -> &[Entry] {
        let start = self
            .entries
            .partition_point(|e| (e.domain, e.item) < (domain, item));
        let end = self
            .entries
            .partition_point(|e| (e.domain, e.item) <= (domain, item));
        &self.entries[start..end]
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
    }
}

impl Entry {
    /// 更新时间 of this entry: its change date, or its publication date.
    pub fn last_update(&self) -> NaiveDate {
        self.updated.unwrap_or(self.published).max(self.published)
    }

    /// 有效性 on `as_of`: what the file says, except that an entry still marked valid whose
    /// `expires` date is before `as_of` is 失效. Every surface that shows an entry (its page,
    /// item lists, search data, feeds, open data) shows this, so an entry lapses everywhere the
    /// day after its `expires`, before its file is corrected (`check` reports
    /// `expired-unmarked` so that it is).
    pub fn validity_at(&self, as_of: NaiveDate) -> Validity {
        match (self.validity, self.expires) {
            (Validity::Valid, Some(expires)) if expires < as_of => Validity::Expired,
            (validity, _) => validity,
        }
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
    fn validity_on_a_date_follows_expires() {
        let day = |d| NaiveDate::from_ymd_opt(2025, 1, d).expect("date");
        let mut entry: Entry = serde_json::from_value(serde_json::json!({
            "domain": 0, "item": 0, "slug": "a", "source": "a.md", "lines": {"published": 1},
            "body_line": 1, "title": "t", "created": "2025-01-01", "published": "2025-01-01",
            "published_time": null, "updated": null, "doc_no": null, "index_no": "X/2025-00001",
            "index_no_derived": false, "publisher": "p", "validity": "Valid",
            "expires": "2025-01-10", "topic": null, "summary": null, "privacy_exception": null,
            "body": {"hash": 0, "at": 0}, "attachments": [], "links": []
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
