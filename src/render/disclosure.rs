//! A unit's 政府信息公开指南 (`<unit>/zhinan/`) and 依申请公开 pages (`<unit>/yishenqing/`,
//! with the application form at `<unit>/yishenqing/biao/`), from its `[office]` in `unit.toml`
//! and the catalog. The statutory text ([`APPLY_STEPS`], [`FEES`]) is shared with the printed
//! guide, so the web column and the book say the same thing.

use super::links::PageDir;
use super::theme::Theme;
use super::{
    OutputFile, PageContext, SiteContext, breadcrumbs, date, feed_links, guide_produced,
    page_title, render, site_context, unit_links,
};
use crate::failure::Failure;
use crate::model::{Catalog, Entry, Office, Unit};
use chrono::NaiveDate;
use serde::Serialize;

/// Folder of a unit's 政府信息公开指南 page.
pub const GUIDE_DIR: &str = "zhinan";
/// Folder of a unit's 依申请公开 page.
pub const APPLY_DIR: &str = "yishenqing";
/// Folder of the printable application form, inside [`APPLY_DIR`].
pub const FORM_DIR: &str = "biao";

/// How to apply for disclosure, after 《中华人民共和国政府信息公开条例》 (2019) articles 29, 30,
/// 31, 33, 42 and 51 and 国办函〔2020〕109号: (heading, text), in the order an applicant meets them.
pub const APPLY_STEPS: &[(&str, &str)] = &[
    (
        "提出申请",
        "申请应当采用书面形式（当面提交、邮寄信函、传真、电子邮件或通过网站在线提交）；采用书面形式确有困难的，可以口头提出，由受理机构代为填写政府信息公开申请（条例第二十九条）。",
    ),
    (
        "申请内容",
        "申请人的姓名或者名称、身份证明、联系方式；申请公开的政府信息的名称、文号或者便于查询的其他特征性描述；申请公开的政府信息的形式要求，包括获取信息的方式、途径（条例第二十九条）。",
    ),
    (
        "补正",
        "申请内容不明确的，受理机构自收到申请之日起7个工作日内一次性告知申请人作出补正，说明需要补正的事项和合理的补正期限；答复期限自收到补正的申请之日起计算（条例第三十条）。",
    ),
    (
        "收到申请的时间",
        "当面提交的，以提交之日为收到申请之日；以邮寄方式提交的，以签收之日为收到申请之日；以平常信函等无需签收的邮寄方式提交的，于收到申请的当日与申请人确认，确认之日为收到申请之日；通过互联网渠道或者传真提交的，以双方确认之日为收到申请之日（条例第三十一条）。",
    ),
    (
        "答复期限",
        "能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起20个工作日内予以答复；需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不得超过20个工作日。征求第三方和其他机关意见所需时间不计算在内（条例第三十三条）。",
    ),
    ("费用", FEES),
    (
        "救济途径",
        "认为行政机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼（条例第五十一条）。",
    ),
];

/// Fees for information provided on request (条例 art. 42; 国办函〔2020〕109号).
pub const FEES: &str = "依申请提供政府信息，不收取费用。申请人申请公开政府信息的数量、频次明显超过合理范围的，可以依照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）收取信息处理费（条例第四十二条）。";

/// The office's contacts as the pages list them: (label, text, link).
#[derive(Debug, Serialize)]
struct ContactRow {
    label: &'static str,
    text: String,
    href: Option<String>,
}

fn contact_rows(unit: &Unit) -> Vec<ContactRow> {
    let o: &Office = &unit.office;
    let mut rows = Vec::new();
    let mut push = |label, text: &Option<String>, href: Option<String>| {
        if let Some(text) = text {
            rows.push(ContactRow {
                label,
                text: text.clone(),
                href,
            });
        }
    };
    push("机构名称", &o.name, None);
    push("办公地址", &o.address, None);
    push("邮政编码", &o.postcode, None);
    push("办公时间", &o.hours, None);
    push("联系电话", &o.phone, None);
    push("传真号码", &o.fax, None);
    push(
        "电子邮箱",
        &o.email,
        o.email.as_ref().map(|e| format!("mailto:{e}")),
    );
    push("网站", &o.website, o.website.clone());
    rows
}

/// One way to hand in an application, as the unit configures it.
#[derive(Debug, Serialize)]
struct Channel {
    name: &'static str,
    text: String,
    href: Option<String>,
}

fn channels(unit: &Unit) -> Vec<Channel> {
    let o = &unit.office;
    let receiver = o.name.as_deref().unwrap_or(&unit.publisher);
    let mut out = Vec::new();
    if let Some(address) = &o.address {
        let hours = o
            .hours
            .as_ref()
            .map(|h| format!("，办公时间：{h}"))
            .unwrap_or_default();
        out.push(Channel {
            name: "当面提交",
            text: format!("到{receiver}（{address}）填写申请表{hours}。"),
            href: None,
        });
        let postcode = o
            .postcode
            .as_ref()
            .map(|p| format!("（邮政编码 {p}）"))
            .unwrap_or_default();
        out.push(Channel {
            name: "信函申请",
            text: format!(
                "邮寄至{address}{postcode}，收件人{receiver}，信封左下角注明“政府信息公开申请”。"
            ),
            href: None,
        });
    }
    if let Some(url) = &o.form_url {
        out.push(Channel {
            name: "在线申请",
            text: url.clone(),
            href: Some(url.clone()),
        });
    }
    if let Some(email) = &o.email {
        out.push(Channel {
            name: "电子邮件",
            text: email.clone(),
            href: Some(format!("mailto:{email}")),
        });
    }
    if let Some(fax) = &o.fax {
        out.push(Channel {
            name: "传真",
            text: format!("{fax}，传真后请致电确认收到。"),
            href: None,
        });
    }
    out
}

/// A domain as the 指南 lists it: what applies and how much is published.
#[derive(Debug, Serialize)]
struct GuideDomain {
    name: String,
    href: String,
    applicable: usize,
    covered: usize,
    exempt: usize,
    /// The items that apply: see [`item_list`].
    items: String,
}

/// Items as a reader scans them: the 二级事项 joined with 、, grouped under their 一级事项 where
/// that says something else (`最低生活保障（政策法规文件、办事指南）；临时救助（…）`), each
/// name once.
fn item_list<'a>(items: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for (level1, level2) in items {
        let key = if level1.is_empty() || level1 == level2 {
            ""
        } else {
            level1
        };
        match groups
            .iter_mut()
            .find(|(k, _)| *k == key && !key.is_empty())
        {
            Some((_, names)) => {
                if !names.contains(&level2) {
                    names.push(level2);
                }
            }
            None => groups.push((key, vec![level2])),
        }
    }
    let mut parts: Vec<String> = Vec::new();
    for (key, names) in groups {
        let text = if key.is_empty() {
            names.join("、")
        } else {
            format!("{key}（{}）", names.join("、"))
        };
        if !parts.contains(&text) {
            parts.push(text);
        }
    }
    parts.join("；")
}

/// The unit's notes as paragraphs.
fn paragraphs(notes: &Option<String>) -> Vec<String> {
    notes
        .iter()
        .flat_map(|n| n.split("\n\n"))
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

/// The 更新时间 of the 指南: the later of the unit's `[office] updated` and its newest entry
/// (the page shows what each domain has published). Never the build date.
pub fn guide_updated(unit: &Unit) -> Option<NaiveDate> {
    unit.entries
        .iter()
        .map(Entry::last_update)
        .max()
        .max(unit.office.updated)
}

/// The pages of unit `u`: its 指南, its 依申请公开 page and the application form.
pub fn pages(
    theme: &Theme,
    catalog: &Catalog,
    u: usize,
    unit_dir: &PageDir,
) -> Result<Vec<OutputFile>, Failure> {
    Ok(vec![
        guide_page(theme, catalog, u, unit_dir)?,
        apply_page(theme, catalog, u, unit_dir)?,
        form_page(theme, catalog, u, unit_dir)?,
    ])
}

/// What every page of the three shows about the unit.
#[derive(Serialize)]
struct UnitFacts<'a> {
    name: &'a str,
    /// Who receives applications: the office's name, or the unit's publisher.
    receiver: &'a str,
    contacts: Vec<ContactRow>,
    notes: Vec<String>,
}

fn unit_facts(unit: &Unit) -> UnitFacts<'_> {
    UnitFacts {
        name: &unit.name,
        receiver: unit.office.name.as_deref().unwrap_or(&unit.publisher),
        contacts: contact_rows(unit),
        notes: paragraphs(&unit.office.notes),
    }
}

fn page_at(catalog: &Catalog, u: usize, here: &PageDir, trail: &[(&str, &str)]) -> PageContext {
    let unit = &catalog.units[u];
    let name = trail.last().map_or("", |(n, _)| *n);
    let mut page =
        PageContext::new(catalog, here, page_title(&[name, &unit.name])).column(name.to_owned());
    let tail: Vec<(String, String)> = trail
        .iter()
        .map(|(n, href)| ((*n).to_owned(), (*href).to_owned()))
        .collect();
    page.breadcrumbs = breadcrumbs(catalog, here, u, &tail);
    page.search = format!("{}search/", "../".repeat(trail.len()));
    page.feeds = feed_links(unit, None, trail.len()).into();
    page.unit_links = Some(unit_links(catalog, here, u).into());
    page
}

fn guide_page(
    theme: &Theme,
    catalog: &Catalog,
    u: usize,
    unit_dir: &PageDir,
) -> Result<OutputFile, Failure> {
    #[derive(Serialize)]
    struct Ctx<'a> {
        site: SiteContext<'a>,
        page: PageContext,
        unit: UnitFacts<'a>,
        domains: Vec<GuideDomain>,
        not_applicable: Vec<String>,
        book: bool,
        contact: bool,
        column_url: String,
    }
    let unit = &catalog.units[u];
    let here = unit_dir.join(&[GUIDE_DIR]);
    let mut page = page_at(catalog, u, &here, &[("政府信息公开指南", "./")]);
    page.updated = date(guide_updated(unit));
    let mut domains = Vec::new();
    let mut not_applicable = Vec::new();
    for (d, domain) in catalog.standard.domains.iter().enumerate() {
        if !catalog.has_domain_page(unit, d) {
            not_applicable.push(domain.name.clone());
            continue;
        }
        let coverage = catalog.coverage(unit, Some(d));
        let items = item_list(
            domain
                .items
                .iter()
                .filter(|i| i.applies_to(unit.level))
                .map(|i| (i.level1.as_str(), i.level2.as_str())),
        );
        domains.push(GuideDomain {
            name: domain.name.clone(),
            href: here.link_to(&unit_dir.join(&[&domain.id])),
            applicable: coverage.applicable,
            covered: coverage.covered,
            exempt: coverage.exempt,
            items,
        });
    }
    let ctx = Ctx {
        site: site_context(catalog),
        page,
        unit: unit_facts(unit),
        domains,
        not_applicable,
        book: guide_produced(catalog),
        contact: unit.has_contact_page(),
        column_url: unit_dir.url(&catalog.site.base_url),
    };
    render(theme, "zhinan.html", &here.index_file(), &ctx)
}

fn apply_page(
    theme: &Theme,
    catalog: &Catalog,
    u: usize,
    unit_dir: &PageDir,
) -> Result<OutputFile, Failure> {
    #[derive(Serialize)]
    struct Ctx<'a> {
        site: SiteContext<'a>,
        page: PageContext,
        unit: UnitFacts<'a>,
        channels: Vec<Channel>,
        steps: Vec<Step>,
    }
    #[derive(Serialize)]
    struct Step {
        title: &'static str,
        text: &'static str,
    }
    let unit = &catalog.units[u];
    let here = unit_dir.join(&[APPLY_DIR]);
    let mut page = page_at(catalog, u, &here, &[("依申请公开", "./")]);
    page.updated = date(unit.office.updated);
    let ctx = Ctx {
        site: site_context(catalog),
        page,
        unit: unit_facts(unit),
        channels: channels(unit),
        steps: APPLY_STEPS
            .iter()
            .map(|&(title, text)| Step { title, text })
            .collect(),
    };
    render(theme, "yishenqing.html", &here.index_file(), &ctx)
}

fn form_page(
    theme: &Theme,
    catalog: &Catalog,
    u: usize,
    unit_dir: &PageDir,
) -> Result<OutputFile, Failure> {
    #[derive(Serialize)]
    struct Ctx<'a> {
        site: SiteContext<'a>,
        page: PageContext,
        unit: UnitFacts<'a>,
    }
    let unit = &catalog.units[u];
    let here = unit_dir.join(&[APPLY_DIR, FORM_DIR]);
    let mut page = page_at(
        catalog,
        u,
        &here,
        &[("依申请公开", "../"), ("政府信息公开申请表", "./")],
    );
    page.updated = date(unit.office.updated);
    let ctx = Ctx {
        site: site_context(catalog),
        page,
        unit: unit_facts(unit),
    };
    render(theme, "shenqingbiao.html", &here.index_file(), &ctx)
}

#[cfg(test)]
mod tests {
    use super::item_list;

    #[test]
    fn items_group_under_their_level1_each_name_once() {
        let items = [
            ("最低生活保障", "政策法规文件"),
            ("最低生活保障", "办事指南"),
            ("特困人员救助供养", "政策法规文件"),
            ("预防接种", "预防接种"),
            ("", "校园安全"),
            ("", "校园安全"),
        ];
        assert_eq!(
            item_list(items.into_iter()),
            "最低生活保障（政策法规文件、办事指南）；特困人员救助供养（政策法规文件）；预防接种；校园安全"
        );
    }
}
