//! What goes into one unit's book, decided once from the catalog: the cover, the domains with
//! their catalogue rows and items, the current entries and the closing section. Both the PDF
//! (via Typst, which reads this as JSON) and the print HTML render exactly this, so the two
//! cannot disagree with each other, and both are derived from the same model as the site.
//!
//! The book is for residents:
//! - an item with information in force at `--as-of` gets a block with its entries and the QR
//!   code of its page; an item without (nothing published, only 失效/废止 entries, or 本级不涉及)
//!   is one line in its domain's compact list, without a QR code;
//! - an entry past its `expires` date is 失效 at `--as-of` whatever its file says, and is not
//!   printed as current (it is counted among the entries left out);
//! - a unit below another (a township under its county) also gets, under each of its items,
//!   the information in force that the units above it published under the same item, marked
//!   with the publishing unit: an item a township publishes is by definition one whose 公开层级
//!   includes 乡级, so what the county published there (its 低保 standard, its 办事指南) is
//!   what the township's residents are served by. Items only the county publishes (许可、处罚)
//!   are not in a township's catalogue and stay out of its book;
//! - the standard's maintainers' `notes` are never part of it.
//!
//! The book does not print the `--as-of` date: what it shows changes only when its content
//! does, so `build` can keep a unit's typeset book until then ([`fingerprint`]).

use super::qr;
use crate::model::{Catalog, Entry, Unit, Validity};
use crate::render::links::PageDir;
use chrono::NaiveDate;
use serde::Serialize;

/// One unit's book.
#[derive(Debug, Clone, Serialize)]
pub struct Book {
    /// The CJK fonts to typeset with (family names); filled in by the PDF step.
    pub fonts: Fonts,
    /// The unit's path under `units/` (e.g. `shiqu/shizhen`).
    pub unit_path: String,
    /// e.g. 示例镇.
    pub unit_name: String,
    /// 县级 / 乡级.
    pub level: &'static str,
    /// 《示例镇基层政务公开事项标准目录暨办事一本通》.
    pub title: String,
    /// The title on the cover, broken into two lines at 暨.
    pub title_lines: [String; 2],
    /// The publishing body (the unit's default 发布机构).
    pub publisher: String,
    /// 更新时间: the newest change of the unit's own entries (`yyyy-mm-dd`), or 暂无.
    pub updated: String,
    /// The newest change of anything the book prints (the unit's entries and those of the
    /// units above it), or 暂无: the date the book's content is as of, and the PDF's date.
    pub content_date: String,
    /// The site's title.
    pub site_title: String,
    /// The site's host (`SiteDomain`).
    pub site_domain: String,
    /// 政府网站标识码 (`SiteIDCode`).
    pub site_id_code: String,
    /// 主办单位 of the site.
    pub organizer: String,
    /// The unit's online column.
    pub url: String,
    /// QR code (SVG) of `url` (filled in by [`add_qr_codes`]).
    pub qr: String,
    /// The units above this one whose information the book includes, nearest first, as
    /// `示例区（县级）`.
    pub upper: Vec<String>,
    /// Domains with at least one item that applies to the unit, in standard order.
    pub domains: Vec<BookDomain>,
    /// Contact details for the closing section.
    pub contact: Contact,
    /// Counts for the closing note.
    pub totals: Totals,
    /// How to apply for disclosure (依申请公开): (heading, text).
    pub apply_steps: &'static [(&'static str, &'static str)],
}

// How to apply for disclosure: the same text as the web column's 依申请公开 page.
use crate::render::disclosure::APPLY_STEPS;

/// Font families (as Typst names them).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Fonts {
    /// Body text (a Song/Ming serif where available).
    pub serif: String,
    /// Headings and tables (a Hei sans where available).
    pub sans: String,
}

/// One domain's part of the book.
#[derive(Debug, Clone, Serialize)]
pub struct BookDomain {
    /// The domain id.
    pub id: String,
    /// The part number in the book: 一, 二, …
    pub number: String,
    /// e.g. 社会救助.
    pub name: String,
    /// 标准指引.
    pub guideline: String,
    /// Issuing ministry.
    pub issuer: String,
    /// The domain's online page.
    pub url: String,
    /// Newest change of the unit's entries in the domain (none when it published nothing).
    pub updated: Option<String>,
    /// When every item has the same 公开依据, it is printed once above the table and the
    /// column is dropped.
    pub basis_common: Option<String>,
    /// Otherwise: the distinct 公开依据 texts, listed under the table; rows refer to them by
    /// their mark (①, ②, …).
    pub bases: Vec<Basis>,
    /// Whether any item has a district's own extra columns (责任科室, 咨询电话, …).
    pub has_extra: bool,
    /// The applicable items, in standard order.
    pub items: Vec<BookItem>,
    /// How many of them have information in force (and so a block of their own).
    pub current: usize,
}

/// A distinct 公开依据 with its mark.
#[derive(Debug, Clone, Serialize)]
pub struct Basis {
    /// ①, ②, …
    pub mark: String,
    /// The text.
    pub text: String,
}

/// One applicable item: its catalogue row and its current information.
#[derive(Debug, Clone, Serialize)]
pub struct BookItem {
    /// The item id.
    pub id: String,
    /// 序号 within the domain (1-based).
    pub no: usize,
    /// 一级事项.
    pub level1: String,
    /// How many rows the 一级事项 cell spans (0 when merged into the row above).
    pub level1_span: usize,
    /// 二级事项, with its 三级事项 where the standard splits it (`二级事项：三级事项`).
    pub level2: String,
    /// The item's heading in the book (一级 · 二级, or the 二级 alone when they agree).
    pub heading: String,
    /// 公开内容（要素）.
    pub content: String,
    /// 公开依据.
    pub basis: String,
    /// The mark of its 公开依据 in the domain's list (empty when the domain has one basis).
    pub basis_mark: String,
    /// 公开时限.
    pub deadline: String,
    /// 公开主体.
    pub subject: String,
    /// 公开渠道和载体, joined with 、.
    pub channels: String,
    /// 公开对象.
    pub audience: String,
    /// 公开方式.
    pub mode: String,
    /// A district's own columns, as (name, value).
    pub extra: Vec<(String, String)>,
    /// 本级补充事项.
    pub local: bool,
    /// 本级不涉及: the reason.
    pub exempt: Option<String>,
    /// The item's online page: the unit's own if it published anything there, else that of
    /// the nearest unit above whose information is printed; empty if neither (no page exists).
    pub url: String,
    /// QR code (SVG) of `url`, for items with information in force (filled in by
    /// [`add_qr_codes`]).
    pub qr: String,
    /// Newest change of the item's entries (none when only units above it published).
    pub updated: Option<String>,
    /// Whether there is information in force to print: the unit's own or from above.
    pub current: bool,
    /// The unit's entries in force, newest first.
    pub entries: Vec<BookEntry>,
    /// The entries in force of the units above, nearest unit first, each newest first.
    pub upper: Vec<UpperEntries>,
    /// The unit's entries left out because they are expired, repealed or past their `expires`
    /// date at `--as-of` (失效).
    pub omitted: usize,
}

/// What one unit above published under an item, printed in a township's book.
#[derive(Debug, Clone, Serialize)]
pub struct UpperEntries {
    /// The publishing unit, as `示例区（县级）`.
    pub unit: String,
    /// Its entries in force, newest first.
    pub entries: Vec<BookEntry>,
}

/// An entry in force.
#[derive(Debug, Clone, Serialize)]
pub struct BookEntry {
    /// 标题.
    pub title: String,
    /// 文号.
    pub doc_no: Option<String>,
    /// 发布日期.
    pub published: String,
    /// 变更日期.
    pub updated: Option<String>,
    /// 索引号.
    pub index_no: String,
    /// 发布机构.
    pub publisher: String,
    /// 摘要.
    pub summary: Option<String>,
    /// 实施日期 and the entry's relations, one line each (相关解读：《…》, 替代：《…》, …).
    pub related: Vec<String>,
}

/// The lines the guide prints under an entry for its 实施日期 and relations, each related entry
/// named with its 索引号 so a reader of the paper can find it on the site.
fn related_lines(entry: &Entry) -> Vec<String> {
    let r = &entry.relations;
    let name = |l: &crate::model::Link| {
        if l.title.contains('《') {
            format!("{}（索引号 {}）", l.title, l.index_no)
        } else {
            format!("《{}》（索引号 {}）", l.title, l.index_no)
        }
    };
    let mut lines: Vec<String> = entry
        .effective
        .map(|d| format!("实施日期：{d}"))
        .into_iter()
        .collect();
    for (label, links) in [
        ("本文解读的文件", r.interprets.iter().collect::<Vec<_>>()),
        ("相关解读", r.interpretations.iter().collect()),
        ("征求意见稿", r.consultation.iter().collect()),
        ("意见采纳情况", r.responses.iter().collect()),
        ("所反馈的征求意见稿", r.responds_to.iter().collect()),
        ("据此形成的文件", r.outcomes.iter().collect()),
        ("本文件替代", r.replaces.iter().collect()),
    ] {
        if !links.is_empty() {
            let names: Vec<String> = links.into_iter().map(name).collect();
            lines.push(format!("{label}：{}", names.join("；")));
        }
    }
    lines
}

/// The closing section's facts.
#[derive(Debug, Clone, Serialize)]
pub struct Contact {
    /// 受理机构 (the 公开工作机构, or the unit's publishing body).
    pub publisher: String,
    /// 地址.
    pub address: Option<String>,
    /// 电话.
    pub phone: Option<String>,
    /// 办公时间.
    pub hours: Option<String>,
    /// 传真.
    pub fax: Option<String>,
    /// 电子邮箱.
    pub email: Option<String>,
    /// The unit's 政府信息公开指南 page.
    pub guide_url: String,
    /// The unit's 依申请公开 page (with the application form).
    pub apply_url: String,
}

/// Counts shown in the closing note.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Totals {
    /// Applicable items.
    pub items: usize,
    /// The unit's own entries printed.
    pub entries: usize,
    /// Entries of the units above printed.
    pub upper_entries: usize,
    /// The unit's entries left out (not in force).
    pub omitted: usize,
    /// Items the unit is exempt from.
    pub exempt: usize,
    /// Items without information in force (the compact lists), exempt ones included.
    pub without: usize,
}

/// Whether an entry is printed: 有效 at `as_of` ([`Entry::validity_at`]: not past its
/// `expires`, not repealed, not replaced by a document in force).
pub fn in_force(entry: &Entry, as_of: NaiveDate) -> bool {
    entry.validity_at(as_of) == Validity::Valid
}

fn book_entry(e: &Entry) -> BookEntry {
    BookEntry {
        title: e.title.clone(),
        doc_no: e.doc_no.clone().filter(|s| !s.trim().is_empty()),
        published: e.published.to_string(),
        updated: e
            .updated
            .filter(|u| *u > e.published)
            .map(|u| u.to_string()),
        index_no: e.index_no.clone(),
        publisher: e.publisher.clone(),
        summary: e.summary.clone().filter(|s| !s.trim().is_empty()),
        related: related_lines(e),
    }
}

/// `示例区（县级）`.
fn unit_label(unit: &Unit) -> String {
    format!("{}（{}）", unit.name, unit.level.label())
}

/// The book of unit `u`, without its QR codes (see [`add_qr_codes`]).
pub fn book(catalog: &Catalog, u: usize, as_of: NaiveDate) -> Book {
    let unit = &catalog.units[u];
    let base_url = &catalog.site.base_url;
    let unit_dir = PageDir::from_path(&unit.path);
    let url = unit_dir.url(base_url);
    // The units above, nearest first.
    let uppers: Vec<usize> = catalog.ancestry(u).into_iter().rev().skip(1).collect();
    let mut totals = Totals::default();
    let mut content_date: Option<NaiveDate> = None;
    let mut domains = Vec::new();
    for (d, domain) in catalog.standard.domains.iter().enumerate() {
        let applicable: Vec<usize> = (0..domain.items.len())
            .filter(|&i| domain.items[i].applies_to(unit.level))
            .collect();
        if applicable.is_empty() {
            continue;
        }
        let mut bases: Vec<Basis> = Vec::new();
        let mut items: Vec<BookItem> = Vec::new();
        for (n, &i) in applicable.iter().enumerate() {
            let item = &domain.items[i];
            let basis_mark = match bases.iter().find(|b| b.text == item.basis) {
                Some(b) => b.mark.clone(),
                None => {
                    let mark = circled(bases.len() + 1);
                    bases.push(Basis {
                        mark: mark.clone(),
                        text: item.basis.clone(),
                    });
                    mark
                }
            };
            let all = unit.item_entries(d, i);
            let current: Vec<&Entry> = all.iter().filter(|e| in_force(e, as_of)).collect();
            let entries: Vec<BookEntry> = current.iter().map(|e| book_entry(e)).collect();
            let omitted = all.len() - entries.len();
            // What the units above published here and is in force, with the nearest such unit
            // (its item page is where a reader finds it online).
            let mut upper = Vec::new();
            let mut upper_page = None;
            for &a in &uppers {
                let above = &catalog.units[a];
                if !item.applies_to(above.level) {
                    continue;
                }
                let theirs: Vec<&Entry> = above
                    .item_entries(d, i)
                    .iter()
                    .filter(|e| in_force(e, as_of))
                    .collect();
                if theirs.is_empty() {
                    continue;
                }
                upper_page.get_or_insert(a);
                content_date = content_date.max(theirs.iter().map(|e| e.last_update()).max());
                totals.upper_entries += theirs.len();
                upper.push(UpperEntries {
                    unit: unit_label(above),
                    entries: theirs.into_iter().map(book_entry).collect(),
                });
            }
            content_date = content_date.max(current.iter().map(|e| e.last_update()).max());
            let exempt = if all.is_empty() {
                unit.exemption(&domain.id, &item.id).map(str::to_owned)
            } else {
                None
            };
            let is_current = !entries.is_empty() || !upper.is_empty();
            totals.items += 1;
            totals.entries += entries.len();
            totals.omitted += omitted;
            totals.exempt += usize::from(exempt.is_some());
            totals.without += usize::from(!is_current);
            // Only units that published under the item have a page for it.
            let page_owner = if all.is_empty() { upper_page } else { Some(u) };
            let item_url = page_owner.map_or_else(String::new, |o| {
                PageDir::from_path(&catalog.units[o].path)
                    .join(&[&domain.id, &item.id])
                    .url(base_url)
            });
            let heading = if item.level1.trim().is_empty() || item.level1 == item.level2 {
                item.name()
            } else {
                format!("{} · {}", item.level1, item.name())
            };
            let level1_span = match items.last() {
                Some(prev) if prev.level1 == item.level1 => {
                    // Merge into the first row of the run.
                    if let Some(first) = items.iter_mut().rev().find(|r| r.level1_span > 0) {
                        first.level1_span += 1;
                    }
                    0
                }
                _ => 1,
            };
            items.push(BookItem {
                id: item.id.clone(),
                no: n + 1,
                level1: item.level1.clone(),
                level1_span,
                level2: item.name(),
                heading,
                content: item.content.clone(),
                basis: item.basis.clone(),
                basis_mark,
                deadline: item.deadline.clone(),
                subject: item.subject.clone(),
                channels: item.channels.join("、"),
                audience: item.audience.label().to_owned(),
                mode: item.mode.label().to_owned(),
                extra: item
                    .extra
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                local: item.local,
                exempt,
                qr: String::new(),
                url: item_url,
                updated: all
                    .iter()
                    .map(Entry::last_update)
                    .max()
                    .map(|d| d.to_string()),
                current: is_current,
                entries,
                upper,
                omitted,
            });
        }
        let basis_common = if bases.len() == 1 {
            for item in &mut items {
                item.basis_mark.clear();
            }
            bases.pop().map(|b| b.text)
        } else {
            None
        };
        domains.push(BookDomain {
            id: domain.id.clone(),
            number: chinese_number(domains.len() + 1),
            name: domain.name.clone(),
            guideline: domain.guideline.clone(),
            issuer: domain.issuer.clone(),
            url: unit_dir.join(&[&domain.id]).url(base_url),
            updated: unit
                .entries
                .iter()
                .filter(|e| e.domain == d)
                .map(Entry::last_update)
                .max()
                .map(|d| d.to_string()),
            basis_common,
            bases,
            has_extra: items.iter().any(|i| !i.extra.is_empty()),
            current: items.iter().filter(|i| i.current).count(),
            items,
        });
    }
    // A village's 指南 and 依申请公开 are its township's (see [`Catalog::disclosure_unit`]).
    let office_unit = &catalog.units[catalog.disclosure_unit(u)];
    let office_url = PageDir::from_path(&office_unit.path).url(base_url);
    let guide_url = format!("{office_url}{}/", crate::render::disclosure::GUIDE_DIR);
    let apply_url = format!("{office_url}{}/", crate::render::disclosure::APPLY_DIR);
    Book {
        fonts: Fonts::default(),
        unit_path: unit.path.clone(),
        unit_name: unit.name.clone(),
        level: unit.level.label(),
        title: format!("《{}基层政务公开事项标准目录暨办事一本通》", unit.name),
        title_lines: [
            format!("《{}基层政务公开事项标准目录", unit.name),
            "暨办事一本通》".to_owned(),
        ],
        publisher: unit.publisher.clone(),
        updated: date_or_none(unit.entries.iter().map(Entry::last_update).max()),
        content_date: date_or_none(content_date),
        site_title: catalog.site.title.clone(),
        site_domain: catalog.site.domain().to_owned(),
        site_id_code: catalog.site.site_id_code.clone(),
        organizer: catalog.site.organizer.clone(),
        qr: String::new(),
        url,
        upper: uppers
            .iter()
            .map(|&a| unit_label(&catalog.units[a]))
            .collect(),
        domains,
        contact: Contact {
            publisher: office_unit
                .office
                .name
                .clone()
                .unwrap_or_else(|| office_unit.publisher.clone()),
            address: office_unit.office.address.clone(),
            phone: office_unit.office.phone.clone(),
            hours: office_unit.office.hours.clone(),
            fax: office_unit.office.fax.clone(),
            email: office_unit.office.email.clone(),
            guide_url,
            apply_url,
        },
        totals,
        apply_steps: APPLY_STEPS,
    }
}

/// Fills in the QR codes: the cover's, and each item's with information in force. Kept apart
/// from [`book`] because making them is most of the work of deciding a book, and `build`
/// fingerprints books it may not have to typeset.
pub fn add_qr_codes(book: &mut Book) {
    book.qr = qr::svg(&book.url);
    for item in book.domains.iter_mut().flat_map(|d| d.items.iter_mut()) {
        if item.current && !item.url.is_empty() {
            item.qr = qr::svg(&item.url);
        }
    }
}

fn date_or_none(date: Option<NaiveDate>) -> String {
    date.map_or_else(|| "暂无".to_owned(), |d| d.to_string())
}

/// ①…⑳, then (21), (22), …
fn circled(n: usize) -> String {
    const MARKS: [char; 20] = [
        '①', '②', '③', '④', '⑤', '⑥', '⑦', '⑧', '⑨', '⑩', '⑪', '⑫', '⑬', '⑭', '⑮', '⑯', '⑰', '⑱',
        '⑲', '⑳',
    ];
    match n.checked_sub(1).and_then(|i| MARKS.get(i)) {
        Some(c) => c.to_string(),
        None => format!("({n})"),
    }
}

/// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 26 → 二十六 (enough for 99 parts).
pub fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n >= 100 {
        return n.to_string();
    }
    let (tens, ones) = (n / 10, n % 10);
    let mut s = String::new();
    if tens > 1 {
        s.push_str(DIGITS[tens]);
    }
    if tens > 0 {
        s.push('十');
    }
    if ones > 0 || tens == 0 {
        s.push_str(DIGITS[ones]);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers() {
        let got: Vec<String> = [1, 9, 10, 11, 19, 20, 21, 26]
            .into_iter()
            .map(chinese_number)
            .collect();
        assert_eq!(
            got,
            ["一", "九", "十", "十一", "十九", "二十", "二十一", "二十六"]
        );
    }

    #[test]
    fn circled_marks() {
        assert_eq!(circled(1), "①");
        assert_eq!(circled(20), "⑳");
        assert_eq!(circled(21), "(21)");
    }
}
