//! Stage 4, render: the model becomes pages. Each template gets an explicit, serializable context
//! built here (no Tera globals reaching into the site), so what a page shows is exactly what its
//! context holds. Units render independently, which lets the caller run them in parallel and
//! write each unit's pages before the next is built.

pub mod csv_attachment;
pub mod disclosure;
pub mod feeds;
pub mod links;
pub mod opendata;
pub mod search;
pub mod sitemap;
pub mod theme;
pub mod traditional;

use crate::failure::Failure;
use crate::model::{Catalog, Coverage, Domain, Entry, Item, Part, Unit, Validity};
use chrono::NaiveDate;
use csv_attachment::{CsvAttachment, CsvTable};
use links::{PageDir, encode};
use rayon::prelude::*;
use serde::Serialize;
use std::path::PathBuf;
use theme::{Theme, template_error};

/// One file of the built site.
#[derive(Debug)]
pub enum OutputFile {
    /// Generated content.
    Bytes {
        /// Path under the output folder, `/`-separated.
        path: String,
        /// Content.
        bytes: Vec<u8>,
    },
    /// A file copied as is (an attachment).
    Copy {
        /// Path under the output folder.
        path: String,
        /// Source on disk.
        from: PathBuf,
    },
}

impl OutputFile {
    /// The path under the output folder.
    pub fn path(&self) -> &str {
        match self {
            OutputFile::Bytes { path, .. } | OutputFile::Copy { path, .. } => path,
        }
    }
}

/// Folder under the output root holding the theme's static files.
pub const STATIC_DIR: &str = "static";

/// Site-wide values every page shows (footer, meta tags). Optional furniture that `site.toml`
/// does not set is `None` and renders nothing.
#[derive(Debug, Serialize)]
struct SiteContext<'a> {
    title: &'a str,
    organizer: &'a str,
    icp: &'a str,
    /// Where the ICP number links (the MIIT registration search).
    icp_url: &'static str,
    police_record: Option<&'a str>,
    /// Where the 公安备案 number links: the MPS registration search for its digits.
    police_record_url: Option<String>,
    /// The 党政机关网站标识: its link, and its image if one is set.
    conac: Option<Conac<'a>>,
    site_id_code: &'a str,
    domain: &'a str,
    language: &'a str,
}

#[derive(Debug, Serialize)]
struct Conac<'a> {
    url: &'a str,
    image: Option<&'a str>,
}

/// What `base.html` needs about the page itself.
#[derive(Debug, Serialize)]
struct PageContext {
    /// The `<title>`.
    title: String,
    /// Relative prefix to the site root.
    root: String,
    /// Absolute canonical URL.
    canonical: String,
    /// 更新时间 (`YYYY-MM-DD`), if anything beneath has been published.
    updated: Option<String>,
    /// `ColumnName`, on column and list pages.
    column_name: Option<String>,
    /// `ColumnType`, on column and list pages.
    column_type: Option<&'static str>,
    /// `ArticleTitle`, `PubDate`, `ContentSource` on entry pages.
    article: Option<ArticleMeta>,
    /// Breadcrumbs from the site root to this page (the last one has no link).
    breadcrumbs: Vec<Shared<Crumb>>,
    /// Atom feeds announced with `<link rel="alternate">`.
    feeds: Shared<Vec<FeedLink>>,
    /// The search page the header's search box submits to (the unit's, or the whole site's).
    search: String,
    /// The 我为政府网站找错 link for this page, when `site.toml` asks for it.
    error_report: Option<String>,
    /// The footer's 网站地图 and 联系我们 links of the unit the page belongs to.
    unit_links: Option<Shared<UnitLinks>>,
    /// The same page in the 繁體 edition, when `site.toml` asks for one (the header links it;
    /// the edition's copy of the page links back, see [`traditional`]).
    edition: Option<String>,
}

impl PageContext {
    /// A page at `here` titled `title`: its address and the furniture every page has are filled
    /// in, what the page shows is left empty for the caller to set.
    fn new(catalog: &Catalog, here: &PageDir, title: String) -> PageContext {
        let canonical = here.url(&catalog.site.base_url);
        PageContext {
            title,
            root: here.to_root(),
            error_report: error_report_link(catalog, &canonical),
            canonical,
            updated: None,
            column_name: None,
            column_type: None,
            article: None,
            breadcrumbs: Vec::new(),
            feeds: Shared::Own(Vec::new()),
            search: "search/".into(),
            unit_links: None,
            edition: catalog.site.traditional.then(|| {
                let mut copy = vec![traditional::EDITION_DIR.to_owned()];
                copy.extend(here.0.iter().cloned());
                here.link_to(&PageDir(copy))
            }),
        }
    }

    /// A column or list page: `ColumnName` and `ColumnType` set.
    fn column(mut self, name: String) -> PageContext {
        self.column_name = Some(name);
        self.column_type = Some(COLUMN_TYPE);
        self
    }
}

/// A part of a page's context that is either the page's own or shared with the pages around
/// it, already turned into a Tera value (which the context then takes by reference count, not
/// by copying it again). Every entry page of an item has the same feeds, footer links and
/// breadcrumbs down to the item ([`EntryFurniture`]); only its own last crumb differs.
#[derive(Debug)]
enum Shared<T> {
    /// Built for this page.
    Own(T),
    /// Built once for many pages.
    Value(tera::Value),
}

impl<T> From<T> for Shared<T> {
    fn from(part: T) -> Shared<T> {
        Shared::Own(part)
    }
}

impl<T: Serialize> Serialize for Shared<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Shared::Own(part) => part.serialize(serializer),
            Shared::Value(value) => value.serialize(serializer),
        }
    }
}

/// The national 我为政府网站找错 page for the page at `canonical` (monitoring platforms check
/// every government site's footer for this entry), as a plain link: no third-party script runs
/// on the page.
fn error_report_link(catalog: &Catalog, canonical: &str) -> Option<String> {
    catalog.site.error_report.then(|| {
        format!(
            "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code={}&url={}",
            encode(&catalog.site.site_id_code),
            encode(canonical)
        )
    })
}

/// A unit's 网站地图 page, its 政府信息公开指南 and 依申请公开 pages and, if it has contacts,
/// its 联系我们 page, linked from the footer.
#[derive(Debug, Serialize)]
struct UnitLinks {
    sitemap: String,
    guide: String,
    apply: String,
    contact: Option<String>,
}

/// Folder of a unit's 联系我们 page.
pub const CONTACT_DIR: &str = "contact";
/// Folder of a unit's 网站地图 page.
pub const SITEMAP_DIR: &str = "sitemap";

/// The footer links of unit `u` from the page at `here`.
fn unit_links(catalog: &Catalog, here: &PageDir, u: usize) -> UnitLinks {
    let unit = &catalog.units[u];
    let dir = PageDir::from_path(&unit.path);
    let office_dir = PageDir::from_path(&catalog.units[catalog.disclosure_unit(u)].path);
    UnitLinks {
        sitemap: here.link_to(&dir.join(&[SITEMAP_DIR])),
        guide: here.link_to(&office_dir.join(&[disclosure::GUIDE_DIR])),
        apply: here.link_to(&office_dir.join(&[disclosure::APPLY_DIR])),
        contact: unit
            .has_contact_page()
            .then(|| here.link_to(&dir.join(&[CONTACT_DIR]))),
    }
}

/// The footer links of the site-wide pages: those of the one top unit, when there is one
/// (a district's site); with several top units, the root page lists them instead.
fn site_unit_links(catalog: &Catalog, here: &PageDir) -> Option<UnitLinks> {
    let mut roots = catalog.roots();
    match (roots.next(), roots.next()) {
        (Some(u), None) => Some(unit_links(catalog, here, u)),
        _ => None,
    }
}

#[derive(Debug, Serialize)]
struct FeedLink {
    title: String,
    href: String,
}

/// The feed links of a page `depth` folders below its unit's home (0 = the home itself):
/// the unit's feed, and the domain's feed for pages inside a domain.
fn feed_links(unit: &Unit, domain: Option<&Domain>, depth: usize) -> Vec<FeedLink> {
    let mut links = vec![FeedLink {
        title: format!("{}政务公开信息订阅", unit.name),
        href: format!("{}{}", "../".repeat(depth), feeds::FEED_FILE),
    }];
    if let Some(domain) = domain {
        links.push(FeedLink {
            title: format!("{}{}领域信息订阅", unit.name, domain.name),
            href: format!(
                "{}{}",
                "../".repeat(depth.saturating_sub(1)),
                feeds::FEED_FILE
            ),
        });
    }
    links
}

#[derive(Debug, Serialize)]
struct ArticleMeta {
    title: String,
    pub_date: String,
    source: String,
}

#[derive(Debug, Serialize)]
struct Crumb {
    name: String,
    href: Option<String>,
}

/// The column type on every column and list page.
const COLUMN_TYPE: &str = "基层政务公开标准化规范化";

fn site_context(catalog: &Catalog) -> SiteContext<'_> {
    let site = &catalog.site;
    SiteContext {
        title: &site.title,
        organizer: &site.organizer,
        icp: &site.icp,
        icp_url: "https://beian.miit.gov.cn/",
        police_record: site.police_record.as_deref(),
        police_record_url: site.police_record.as_deref().and_then(|record| {
            let digits: String = record.chars().filter(char::is_ascii_digit).collect();
            (!digits.is_empty())
                .then(|| format!("https://beian.mps.gov.cn/#/query/webSearch?code={digits}"))
        }),
        conac: site.conac_url.as_deref().map(|url| Conac {
            url,
            image: site.conac_image.as_deref(),
        }),
        site_id_code: &site.site_id_code,
        domain: site.domain(),
        language: &site.language,
    }
}

/// A date as pages show it, `2025-06-30`. `NaiveDate`'s `Display` writes the digits straight
/// out, the same text as `%Y-%m-%d` (held by a test) without parsing a format for each date.
fn date(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// Renders a template with a context, naming the template and page in any error.
fn render<T: Serialize>(
    theme: &Theme,
    template: &str,
    page_path: &str,
    context: &T,
) -> Result<OutputFile, Failure> {
    render_shared(theme, template, page_path, context, &[])
}

/// The `site`, `unit` and `domain` variables of the pages of one domain of a unit, turned into
/// Tera values once for the domain rather than once per page (a Tera map is shared by
/// reference count, not copied).
struct DomainShared {
    values: [(&'static str, tera::Value); 3],
}

impl DomainShared {
    fn new(catalog: &Catalog, unit: &Unit, domain: &Domain) -> Result<DomainShared, Failure> {
        let what = |name: &str| format!("{}：{name}", domain.name);
        Ok(DomainShared {
            values: [
                ("site", tera_value(&site_context(catalog), &what("site"))?),
                ("unit", tera_value(&unit_context(unit), &what("unit"))?),
                (
                    "domain",
                    tera_value(&domain_context(domain), &what("domain"))?,
                ),
            ],
        })
    }
}

/// `part` of a context as a Tera value, to share between pages (`what` names it in an error).
fn tera_value<T: Serialize>(part: &T, what: &str) -> Result<tera::Value, Failure> {
    tera::Value::try_from_serializable(part).map_err(|e| template_error(what, &e))
}

/// [`render`], with `shared` variables added to the page's own.
fn render_shared<T: Serialize>(
    theme: &Theme,
    template: &str,
    page_path: &str,
    context: &T,
    shared: &[(&'static str, tera::Value)],
) -> Result<OutputFile, Failure> {
    let mut ctx = tera::Context::from_serialize(context)
        .map_err(|e| template_error(&format!("{template}，页面 {page_path}"), &e))?;
    for (name, value) in shared {
        ctx.insert_value(*name, value.clone());
    }
    // Straight into bytes: `Tera::render` would check the whole page is UTF-8 again.
    let mut bytes = Vec::with_capacity(16 * 1024);
    theme
        .tera
        .render_to(template, &ctx, &mut bytes)
        .map_err(|e| template_error(&format!("{template}，页面 {page_path}"), &e))?;
    Ok(OutputFile::Bytes {
        path: page_path.to_owned(),
        bytes,
    })
}

/// The theme's static files, under `static/`.
pub fn static_files(theme: &Theme) -> Vec<OutputFile> {
    theme
        .static_files
        .iter()
        .map(|(path, bytes)| OutputFile::Bytes {
            path: format!("{STATIC_DIR}/{path}"),
            bytes: bytes.clone(),
        })
        .collect()
}

/// A unit in the root index tree.
#[derive(Debug, Serialize)]
struct UnitNode {
    name: String,
    href: String,
    level: &'static str,
    updated: Option<String>,
    entries: usize,
    coverage: Coverage,
    children: Vec<UnitNode>,
}

fn unit_node(catalog: &Catalog, from: &PageDir, u: usize) -> UnitNode {
    let unit = &catalog.units[u];
    UnitNode {
        name: unit.name.clone(),
        href: from.link_to(&PageDir::from_path(&unit.path)),
        level: unit.level.label(),
        updated: date(catalog.updated_beneath(u)),
        entries: unit.entries.len(),
        coverage: catalog.coverage(unit, None),
        children: unit
            .children
            .iter()
            .map(|&c| unit_node(catalog, from, c))
            .collect(),
    }
}

/// The root `index.html`: all units by hierarchy.
pub fn root_index(theme: &Theme, catalog: &Catalog) -> Result<Vec<OutputFile>, Failure> {
    #[derive(Serialize)]
    struct Ctx<'a> {
        site: SiteContext<'a>,
        page: PageContext,
        units: Vec<UnitNode>,
    }
    let here = PageDir::root();
    let updated = catalog
        .roots()
        .filter_map(|u| catalog.updated_beneath(u))
        .max();
    let mut page = PageContext::new(
        catalog,
        &here,
        page_title(&["各单位专栏", &catalog.site.title]),
    )
    .column(catalog.site.title.clone());
    page.updated = date(updated);
    page.breadcrumbs = vec![Crumb::current("首页").into()];
    page.unit_links = site_unit_links(catalog, &here).map(Shared::Own);
    let ctx = Ctx {
        site: site_context(catalog),
        page,
        units: catalog
            .roots()
            .map(|u| unit_node(catalog, &here, u))
            .collect(),
    };
    Ok(vec![render(theme, "index.html", &here.index_file(), &ctx)?])
}

/// The breadcrumbs of a page in unit `unit`: the site root, the unit's ancestors and the unit,
/// then `tail` (name and link from `from`); the last one is the page itself.
fn breadcrumbs(
    catalog: &Catalog,
    from: &PageDir,
    unit: usize,
    tail: &[(String, String)],
) -> Vec<Shared<Crumb>> {
    let mut crumbs = linked_crumbs(catalog, from, unit, tail);
    if let Some(last) = crumbs.last_mut() {
        last.href = None;
    }
    crumbs.into_iter().map(Shared::Own).collect()
}

/// [`breadcrumbs`] with every crumb linked, the last one too: the start of a longer trail.
fn linked_crumbs(
    catalog: &Catalog,
    from: &PageDir,
    unit: usize,
    tail: &[(String, String)],
) -> Vec<Crumb> {
    let mut crumbs = vec![Crumb::link("首页", from.link_to(&PageDir::root()))];
    for u in catalog.ancestry(unit) {
        let dir = PageDir::from_path(&catalog.units[u].path);
        crumbs.push(Crumb::link(&catalog.units[u].name, from.link_to(&dir)));
    }
    for (name, href) in tail {
        crumbs.push(Crumb::link(name, href.clone()));
    }
    crumbs
}

impl Crumb {
    fn link(name: &str, href: String) -> Crumb {
        Crumb {
            name: name.to_owned(),
            href: Some(href),
        }
    }

    fn current(name: &str) -> Crumb {
        Crumb {
            name: name.to_owned(),
            href: None,
        }
    }
}

/// The breadcrumbs below the domain for item `i` of domain `d`, from the page at `from`: the
/// 一级事项 (linked to its first row in the domain's catalogue) when another item of the domain
/// has the same 二级事项 name (社会救助 has four called 政策法规文件), then the item.
fn item_crumbs(
    catalog: &Catalog,
    unit: &Unit,
    d: usize,
    i: usize,
    from: &PageDir,
) -> Vec<(String, String)> {
    let domain = &catalog.standard.domains[d];
    let item = &domain.items[i];
    let domain_dir = PageDir::from_path(&unit.path).join(&[&domain.id]);
    let mut crumbs = Vec::new();
    if let Some(first) = level1_needed(domain, i, unit) {
        crumbs.push((
            item.level1.clone(),
            format!("{}#{}", from.link_to(&domain_dir), row_anchor(first)),
        ));
    }
    crumbs.push((item.name(), from.link_to(&domain_dir.join(&[&item.id]))));
    crumbs
}

/// Whether item `i`'s 一级事项 is needed to tell it apart (another item of the domain has the
/// same 二级事项 name and the 一级事项 says something else): if so, the first item of its
/// 一级事项 that applies to the unit, whose row the 一级事项 links to.
fn level1_needed<'a>(domain: &'a Domain, i: usize, unit: &Unit) -> Option<&'a Item> {
    let item = &domain.items[i];
    let repeated = domain
        .items
        .iter()
        .enumerate()
        .any(|(j, other)| j != i && other.name() == item.name());
    if !repeated || item.level1.is_empty() || item.level1 == item.level2 {
        return None;
    }
    domain
        .items
        .iter()
        .find(|other| other.level1 == item.level1 && other.applies_to(unit.level))
}

/// The `id` of an item's row in its domain's catalogue table (`#item-<id>`), where search,
/// open data and breadcrumbs point for an item that has no page of its own.
fn row_anchor(item: &Item) -> String {
    format!("item-{}", item.id)
}

/// `<title>` of a page in a unit: its own name, then what tells it apart, then the unit
/// (`政策法规文件 · 最低生活保障 · 社会救助 · 示例镇`).
fn page_title(parts: &[&str]) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for part in parts {
        if !part.is_empty() && !seen.contains(part) {
            seen.push(part);
        }
    }
    seen.join(" · ")
}

/// The unit's contact block.
#[derive(Debug, Serialize)]
struct UnitContext<'a> {
    name: &'a str,
    level: &'static str,
    code: &'a str,
    publisher: &'a str,
    address: Option<&'a str>,
    phone: Option<&'a str>,
    hours: Option<&'a str>,
}

fn unit_context(unit: &Unit) -> UnitContext<'_> {
    UnitContext {
        name: &unit.name,
        level: unit.level.label(),
        code: &unit.code,
        publisher: &unit.publisher,
        address: unit.address.as_deref(),
        phone: unit.phone.as_deref(),
        hours: unit.hours.as_deref(),
    }
}

/// Renders `parts` of unit `u`, handing each part's files to `emit` as soon as they are ready:
/// its domains in parallel, then its own files. Its search index takes the text of each entry
/// from the parse that rendered the entry's page; only the entries of domains not rendered this
/// time are parsed again for it.
pub fn unit_parts(
    theme: &Theme,
    catalog: &Catalog,
    u: usize,
    parts: &[Part],
    emit: impl Fn(Part, Vec<OutputFile>) -> Result<(), Failure> + Sync,
) -> Result<(), Failure> {
    let unit = &catalog.units[u];
    let unit_dir = PageDir::from_path(&unit.path);
    let texts = parts
        .par_iter()
        .filter_map(|&part| match part {
            Part::Domain(d) => Some(d),
            Part::Own => None,
        })
        .map(|d| {
            let (files, texts) = domain_files(theme, catalog, u, d, &unit_dir)?;
            emit(Part::Domain(d), files)?;
            Ok((d, texts))
        })
        .collect::<Result<Vec<_>, Failure>>()?;
    if parts.contains(&Part::Own) {
        let mut search_texts = vec![None; unit.entries.len()];
        for (d, texts) in texts {
            for (slot, text) in search_texts[unit.domain_range(d)].iter_mut().zip(texts) {
                *slot = Some(text);
            }
        }
        emit(
            Part::Own,
            unit_own_files(theme, catalog, u, &unit_dir, &search_texts)?,
        )?;
    }
    Ok(())
}

/// A unit's files outside its domain folders: home page, 联系我们 and 网站地图 pages, its
/// 政府信息公开指南 and 依申请公开 pages, feed, sitemaps, search and open data. `search_texts`:
/// the search text of the unit's entries whose pages were rendered this time (see
/// [`search::unit_index`]).
fn unit_own_files(
    theme: &Theme,
    catalog: &Catalog,
    u: usize,
    unit_dir: &PageDir,
    search_texts: &[Option<String>],
) -> Result<Vec<OutputFile>, Failure> {
    let unit = &catalog.units[u];
    let mut out = vec![unit_home(theme, catalog, u, unit_dir)?];
    if unit.has_contact_page() {
        out.push(contact_page(theme, catalog, u, unit_dir)?);
    }
    out.push(sitemap_page(theme, catalog, u, unit_dir)?);
    if catalog.disclosure_unit(u) == u {
        out.extend(disclosure::pages(theme, catalog, u, unit_dir)?);
    }
    let unit_entries: Vec<&Entry> = unit.entries.iter().collect();
    let unit_feed = feeds::atom(
        catalog,
        unit,
        unit_dir,
        &format!("{}政务公开信息", unit.name),
        &unit_entries,
    );
    out.push(bytes(unit_dir.file(feeds::FEED_FILE), unit_feed));
    for (name, content) in sitemap::unit_sitemaps(
        &catalog.site.base_url,
        &edition_urls(catalog, unit_page_urls(catalog, u)),
    ) {
        out.push(bytes(unit_dir.file(&name), content));
    }
    out.push(bytes(
        unit_dir.file(search::INDEX_FILE),
        search::unit_index(catalog, unit, search_texts)?,
    ));
    out.push(search_page(theme, catalog, Some(u))?);
    out.push(bytes(
        unit_dir.file("catalog.json"),
        opendata::unit_json(catalog, unit),
    ));
    out.push(bytes(
        unit_dir.file("catalog.csv"),
        opendata::unit_csv(catalog, unit),
    ));
    Ok(out)
}

/// One domain's pages in a unit: the domain page and feed, the pages of its items that have
/// entries, and their entries. Nothing when no item of the domain applies to the unit. With the
/// files, the search text of each entry of the domain, in the unit's order
/// ([`Unit::domain_entries`]).
fn domain_files(
    theme: &Theme,
    catalog: &Catalog,
    u: usize,
    d: usize,
    unit_dir: &PageDir,
) -> Result<(Vec<OutputFile>, Vec<String>), Failure> {
    let unit = &catalog.units[u];
    if !catalog.has_domain_page(unit, d) {
        return Ok((Vec::new(), Vec::new()));
    }
    let mut texts = Vec::with_capacity(unit.domain_entries(d).len());
    let domain = &catalog.standard.domains[d];
    let domain_dir = unit_dir.join(&[&domain.id]);
    let shared = DomainShared::new(catalog, unit, domain)?;
    let mut out = vec![domain_page(theme, catalog, u, d, &domain_dir, &shared)?];
    let domain_entries: Vec<&Entry> = unit.domain_entries(d).iter().collect();
    let title = format!("{}{}领域政务公开信息", unit.name, domain.name);
    out.push(bytes(
        domain_dir.file(feeds::FEED_FILE),
        feeds::atom(catalog, unit, &domain_dir, &title, &domain_entries),
    ));
    for (i, item) in domain.items.iter().enumerate() {
        if !unit.has_item_page(d, i) {
            continue;
        }
        let item_dir = domain_dir.join(&[&item.id]);
        out.push(item_page(theme, catalog, u, d, i, &item_dir, &shared)?);
        let entries = unit.item_entries(d, i);
        let Some(first) = entries.first() else {
            continue;
        };
        let furniture =
            EntryFurniture::new(catalog, u, d, i, &item_dir.join(&[&first.slug]), &shared)?;
        for (n, entry) in entries.iter().enumerate() {
            let entry_dir = item_dir.join(&[&entry.slug]);
            let neighbours = (n.checked_sub(1).map(|p| &entries[p]), entries.get(n + 1));
            let csvs: Vec<Option<CsvAttachment>> = entry
                .attachments
                .iter()
                .map(|a| {
                    csv_attachment::is_csv(&a.name)
                        .then(|| csv_attachment::read(&a.path, &catalog.site.limits))
                })
                .collect();
            let (page, text) = entry_page(
                theme, catalog, u, d, i, entry, neighbours, &csvs, &entry_dir, &furniture,
            )?;
            out.push(page);
            texts.push(text);
            for (a, csv) in entry.attachments.iter().zip(csvs) {
                let path = entry_dir.file(&a.name);
                out.push(match csv.and_then(|c| c.published) {
                    Some(published) => bytes(path, published),
                    None => OutputFile::Copy {
                        path,
                        from: a.path.clone(),
                    },
                });
            }
        }
    }
    Ok((out, texts))
}

fn bytes(path: String, bytes: Vec<u8>) -> OutputFile {
    OutputFile::Bytes { path, bytes }
}

/// Every page of a unit with its 更新时间: its home, 联系我们, 网站地图, 指南 and 依申请公开
/// pages (with the application form), then each
/// domain's pages (only those that exist: see [`Catalog::has_domain_page`] and
/// [`Unit::has_item_page`]). Its search page is left out: it shows nothing until asked.
pub fn unit_page_urls(catalog: &Catalog, u: usize) -> Vec<sitemap::SitemapUrl> {
    let unit = &catalog.units[u];
    let unit_dir = PageDir::from_path(&unit.path);
    let newest = |entries: &mut dyn Iterator<Item = &Entry>| entries.map(Entry::last_update).max();
    let mut urls = vec![sitemap::SitemapUrl {
        dir: unit_dir.clone(),
        lastmod: catalog.updated_beneath(u),
    }];
    if unit.has_contact_page() {
        urls.push(sitemap::SitemapUrl {
            dir: unit_dir.join(&[CONTACT_DIR]),
            lastmod: None,
        });
    }
    urls.push(sitemap::SitemapUrl {
        dir: unit_dir.join(&[SITEMAP_DIR]),
        lastmod: catalog.updated_beneath(u),
    });
    if catalog.disclosure_unit(u) == u {
        urls.push(sitemap::SitemapUrl {
            dir: unit_dir.join(&[disclosure::GUIDE_DIR]),
            lastmod: disclosure::guide_updated(unit),
        });
        for dir in [
            unit_dir.join(&[disclosure::APPLY_DIR]),
            unit_dir.join(&[disclosure::APPLY_DIR, disclosure::FORM_DIR]),
        ] {
            urls.push(sitemap::SitemapUrl {
                dir,
                lastmod: unit.office.updated,
            });
        }
    }
    for (d, domain) in catalog.standard.domains.iter().enumerate() {
        if !catalog.has_domain_page(unit, d) {
            continue;
        }
        let domain_dir = unit_dir.join(&[&domain.id]);
        urls.push(sitemap::SitemapUrl {
            dir: domain_dir.clone(),
            lastmod: newest(&mut unit.domain_entries(d).iter()),
        });
        for (i, item) in domain.items.iter().enumerate() {
            if !unit.has_item_page(d, i) {
                continue;
            }
            let item_dir = domain_dir.join(&[&item.id]);
            let entries = unit.item_entries(d, i);
            urls.push(sitemap::SitemapUrl {
                dir: item_dir.clone(),
                lastmod: newest(&mut entries.iter()),
            });
            for e in entries {
                urls.push(sitemap::SitemapUrl {
                    dir: item_dir.join(&[&e.slug]),
                    lastmod: Some(e.last_update()),
                });
            }
        }
    }
    urls
}

/// How many pages [`unit_page_urls`] lists for unit `u`, counted without building them (the
/// sitemap index needs every unit's count on every build, even when no unit changed).
pub fn unit_page_count(catalog: &Catalog, u: usize) -> usize {
    let unit = &catalog.units[u];
    // Home, 网站地图, 指南, 依申请公开 and its form (a village's are its township's), and
    // 联系我们 when there is one.
    let disclosure_pages = if catalog.disclosure_unit(u) == u {
        3
    } else {
        0
    };
    let own = 2 + disclosure_pages + usize::from(unit.has_contact_page());
    let domains = (0..catalog.standard.domains.len()).filter(|&d| catalog.has_domain_page(unit, d));
    // Every entry has a page, and so has every item with an entry.
    let items = (0..unit.entries.len())
        .filter(|&n| {
            n == 0
                || (unit.entries[n - 1].domain, unit.entries[n - 1].item)
                    != (unit.entries[n].domain, unit.entries[n].item)
        })
        .count();
    own + domains.count() + items + unit.entries.len()
}

/// `urls` and, with the 繁體 edition, their copies under `zh-hant/` (a unit's sitemap lists
/// both editions of its pages).
fn edition_urls(catalog: &Catalog, mut urls: Vec<sitemap::SitemapUrl>) -> Vec<sitemap::SitemapUrl> {
    if catalog.site.traditional {
        let copies: Vec<sitemap::SitemapUrl> = urls
            .iter()
            .map(|url| {
                let mut dir = vec![traditional::EDITION_DIR.to_owned()];
                dir.extend(url.dir.0.iter().cloned());
                sitemap::SitemapUrl {
                    dir: PageDir(dir),
                    lastmod: url.lastmod,
                }
            })
            .collect();
        urls.extend(copies);
    }
    urls
}

/// Site-wide files: the sitemap index, `robots.txt`, the 404 page and `data/index.json`.
pub fn site_files(theme: &Theme, catalog: &Catalog) -> Result<Vec<OutputFile>, Failure> {
    let base = &catalog.site.base_url;
    let root = PageDir::root();
    let newest = catalog
        .roots()
        .filter_map(|u| catalog.updated_beneath(u))
        .max();
    let mut maps = vec![("sitemap-site.xml".to_owned(), newest)];
    for u in 0..catalog.units.len() {
        let editions = if catalog.site.traditional { 2 } else { 1 };
        let pages = unit_page_count(catalog, u) * editions;
        let dir = PageDir::from_path(&catalog.units[u].path);
        for n in 0..pages.div_ceil(sitemap::MAX_URLS) {
            let name = if n == 0 {
                "sitemap.xml".to_owned()
            } else {
                format!("sitemap-{}.xml", n + 1)
            };
            let path: Vec<String> = dir.0.iter().map(|s| links::encode(s)).collect();
            maps.push((
                format!("{}/{name}", path.join("/")),
                catalog.updated_beneath(u),
            ));
        }
    }
    let own = sitemap::unit_sitemaps(
        base,
        &edition_urls(
            catalog,
            vec![sitemap::SitemapUrl {
                dir: root.clone(),
                lastmod: newest,
            }],
        ),
    );
    let mut out: Vec<OutputFile> = own
        .into_iter()
        .map(|(_, content)| bytes("sitemap-site.xml".into(), content))
        .collect();
    out.push(bytes("sitemap.xml".into(), sitemap::index(base, &maps)));
    out.push(bytes("robots.txt".into(), sitemap::robots(base)));
    out.push(bytes(
        "data/index.json".into(),
        opendata::site_index(catalog),
    ));
    out.push(not_found_page(theme, catalog)?);
    out.push(search_page(theme, catalog, None)?);
    Ok(out)
}

/// A search page: the unit's (`<unit>/search/`) or the whole site's (`search/`).
fn search_page(theme: &Theme, catalog: &Catalog, u: Option<usize>) -> Result<OutputFile, Failure> {
    #[derive(Serialize)]
    struct Ctx<'a> {
        site: SiteContext<'a>,
        page: PageContext,
        scope: Option<&'a str>,
        indexes: String,
        catalogue: String,
        site_search: Option<String>,
    }
    let unit = u.map(|u| &catalog.units[u]);
    let here = match unit {
        Some(unit) => PageDir::from_path(&unit.path).join(&["search"]),
        None => PageDir::root().join(&["search"]),
    };
    let title = match unit {
        Some(unit) => page_title(&["站内搜索", &unit.name]),
        None => page_title(&["站内搜索", &catalog.site.title]),
    };
    let mut page = PageContext::new(catalog, &here, title).column("站内搜索".into());
    page.breadcrumbs = match u {
        Some(u) => breadcrumbs(catalog, &here, u, &[("站内搜索".into(), "./".into())]),
        None => vec![
            Crumb::link("首页", "../".into()).into(),
            Crumb::current("站内搜索").into(),
        ],
    };
    page.feeds = unit
        .map(|unit| feed_links(unit, None, 1))
        .unwrap_or_default()
        .into();
    page.search = "./".into();
    page.unit_links = match u {
        Some(u) => Some(unit_links(catalog, &here, u).into()),
        None => site_unit_links(catalog, &here).map(Shared::Own),
    };
    let ctx = Ctx {
        site: site_context(catalog),
        page,
        scope: unit.map(|u| u.name.as_str()),
        indexes: serde_json::to_string(&search::index_urls(catalog, unit)).unwrap_or_default(),
        catalogue: "../".into(),
        site_search: unit.map(|_| format!("{}search/", here.to_root())),
    };
    render(theme, "search.html", &here.index_file(), &ctx)
}

/// `404.html`: served for any missing path, so its links are absolute (from `base_url`).
fn not_found_page(theme: &Theme, catalog: &Catalog) -> Result<OutputFile, Failure> {
    #[derive(Serialize)]
    struct Ctx<'a> {
        site: SiteContext<'a>,
        page: PageContext,
        units: Vec<UnitNode>,
    }
    let base = catalog.site.base_url.clone();
    let here = PageDir::root();
    let mut page = PageContext::new(
        catalog,
        &here,
        page_title(&["找不到页面", &catalog.site.title]),
    );
    page.root = base.clone();
    if page.edition.is_some() {
        page.edition = Some(format!("{base}{}/", traditional::EDITION_DIR));
    }
    page.breadcrumbs = vec![
        Crumb::link("首页", base.clone()).into(),
        Crumb::current("找不到页面").into(),
    ];
    page.search = format!("{base}search/");
    // Served at any address: the 找错 report would name a page that does not exist.
    page.error_report = None;
    page.unit_links = site_unit_links(catalog, &here).map(|links| {
        UnitLinks {
            sitemap: format!("{base}{}", links.sitemap),
            guide: format!("{base}{}", links.guide),
            apply: format!("{base}{}", links.apply),
            contact: links.contact.map(|c| format!("{base}{c}")),
        }
        .into()
    });
    let ctx = Ctx {
        site: site_context(catalog),
        page,
        units: catalog
            .roots()
            .map(|u| {
                let mut node = unit_node(catalog, &here, u);
                absolutize(&mut node, &base);
                node
            })
            .collect(),
    };
    render(theme, "404.html", "404.html", &ctx)
}

fn absolutize(node: &mut UnitNode, base: &str) {
    node.href = format!("{base}{}", node.href);
    for child in &mut node.children {
        absolutize(child, base);
    }
}

/// A domain as the unit's home and 网站地图 list it.
#[derive(Debug, Serialize)]
struct DomainSummary {
    name: String,
    href: String,
    entries: usize,
    updated: Option<String>,
    coverage: Coverage,
    /// The domain's items that have a page (some entry), with their links.
    items: Vec<ItemSummary>,
}

#[derive(Debug, Serialize)]
struct ItemSummary {
    name: String,
    href: String,
    entries: usize,
}

/// A domain none of whose items applies to the unit, listed under 未涉及领域事项说明.
#[derive(Debug, Serialize)]
struct DomainNotApplicable {
    name: String,
    /// The levels its items are published at (县级, 乡级).
    levels: String,
    /// The parent unit's page of the domain, if it has one.
    parent: Option<Link>,
}

#[derive(Debug, Serialize)]
struct Link {
    name: String,
    href: String,
}

#[derive(Debug, Serialize)]
struct ChildLink {
    name: String,
    href: String,
    level: &'static str,
    updated: Option<String>,
}

/// The domains of unit `u` from the page at `here`: those with a page (in standard order) and
/// those without (no item applies to the unit).
fn domain_summaries(
    catalog: &Catalog,
    u: usize,
    here: &PageDir,
) -> (Vec<DomainSummary>, Vec<DomainNotApplicable>) {
    let unit = &catalog.units[u];
    let unit_dir = PageDir::from_path(&unit.path);
    let mut pages = Vec::new();
    let mut not_applicable = Vec::new();
    for (d, domain) in catalog.standard.domains.iter().enumerate() {
        let domain_dir = unit_dir.join(&[&domain.id]);
        if !catalog.has_domain_page(unit, d) {
            let mut levels: Vec<crate::model::Level> =
                domain.items.iter().flat_map(|i| i.levels.clone()).collect();
            levels.sort();
            levels.dedup();
            let parent = unit
                .parent
                .filter(|&p| catalog.has_domain_page(&catalog.units[p], d));
            not_applicable.push(DomainNotApplicable {
                name: domain.name.clone(),
                levels: levels
                    .iter()
                    .map(|l| l.label())
                    .collect::<Vec<_>>()
                    .join("、"),
                parent: parent.map(|p| {
                    let parent = &catalog.units[p];
                    let dir = PageDir::from_path(&parent.path).join(&[&domain.id]);
                    Link {
                        name: format!("{}{}", parent.name, domain.name),
                        href: here.link_to(&dir),
                    }
                }),
            });
            continue;
        }
        let entries = unit.domain_entries(d);
        pages.push(DomainSummary {
            name: domain.name.clone(),
            href: here.link_to(&domain_dir),
            entries: entries.len(),
            updated: date(entries.iter().map(Entry::last_update).max()),
            coverage: catalog.coverage(unit, Some(d)),
            items: domain
                .items
                .iter()
                .enumerate()
                .filter(|&(i, _)| unit.has_item_page(d, i))
                .map(|(i, item)| ItemSummary {
                    name: match level1_needed(domain, i, unit) {
                        Some(_) => format!("{}（{}）", item.name(), item.level1),
                        None => item.name(),
                    },
                    href: here.link_to(&domain_dir.join(&[&item.id])),
                    entries: unit.item_entries(d, i).len(),
                })
                .collect(),
        });
    }
    (pages, not_applicable)
}

fn child_links(
    catalog: &Catalog,
    unit: &Unit,
    here: &PageDir,
    into: Option<&str>,
) -> Vec<ChildLink> {
    unit.children
        .iter()
        .map(|&c| {
            let dir = PageDir::from_path(&catalog.units[c].path);
            ChildLink {
                name: catalog.units[c].name.clone(),
                href: here.link_to(&into.map_or(dir.clone(), |sub| dir.join(&[sub]))),
                level: catalog.units[c].level.label(),
                updated: date(catalog.updated_beneath(c)),
            }
        })
        .collect()
}

/// Whether unit homes link the printed guide (办事一本通, `book.pdf` and `book/`): only when
/// the build writes it. For now that is `book = true` in `site.toml`.
fn guide_produced(catalog: &Catalog) -> bool {
    catalog.site.book
}

fn unit_home(
    theme: &Theme,
    catalog: &Catalog,
    u: usize,
    here: &PageDir,
) -> Result<OutputFile, Failure> {
    let unit = &catalog.units[u];
    #[derive(Serialize)]
    struct Ctx<'a> {
        site: SiteContext<'a>,
        page: PageContext,
        unit: UnitContext<'a>,
        coverage: Coverage,
        /// Domains with a page and published information.
        with_entries: Vec<DomainSummary>,
        /// Domains with a page (their catalogue) and nothing published yet.
        without_entries: Vec<DomainSummary>,
        /// Domains none of whose items applies to the unit (未涉及领域事项说明).
        not_applicable: Vec<DomainNotApplicable>,
        children: Vec<ChildLink>,
        /// Whether the printed guide is produced (and linked).
        guide: bool,
    }
    let (domains, not_applicable) = domain_summaries(catalog, u, here);
    let (with_entries, without_entries) = domains.into_iter().partition(|d| d.entries > 0);
    let column = format!("{}基层政务公开标准化规范化专栏", unit.name);
    let mut page =
        PageContext::new(catalog, here, page_title(&[&column, &catalog.site.title])).column(column);
    page.updated = date(catalog.updated_beneath(u));
    page.breadcrumbs = breadcrumbs(catalog, here, u, &[]);
    page.feeds = feed_links(unit, None, 0).into();
    page.unit_links = Some(unit_links(catalog, here, u).into());
    let ctx = Ctx {
        site: site_context(catalog),
        page,
        unit: unit_context(unit),
        coverage: catalog.coverage(unit, None),
        with_entries,
        without_entries,
        not_applicable,
        children: child_links(catalog, unit, here, None),
        guide: guide_produced(catalog),
    };
    render(theme, "unit.html", &here.index_file(), &ctx)
}

/// A unit's 联系我们 page (`<unit>/contact/`): the publishing body and its address, phone and
/// office hours from `unit.toml`. Written only when the unit gives one of them.
fn contact_page(
    theme: &Theme,
    catalog: &Catalog,
    u: usize,
    unit_dir: &PageDir,
) -> Result<OutputFile, Failure> {
    let unit = &catalog.units[u];
    #[derive(Serialize)]
    struct Ctx<'a> {
        site: SiteContext<'a>,
        page: PageContext,
        unit: UnitContext<'a>,
        home: String,
    }
    let here = unit_dir.join(&[CONTACT_DIR]);
    let mut page = PageContext::new(catalog, &here, page_title(&["联系我们", &unit.name]))
        .column("联系我们".into());
    page.breadcrumbs = breadcrumbs(catalog, &here, u, &[("联系我们".into(), "./".into())]);
    page.search = "../search/".into();
    page.unit_links = Some(unit_links(catalog, &here, u).into());
    let ctx = Ctx {
        site: site_context(catalog),
        page,
        unit: unit_context(unit),
        home: "../".into(),
    };
    render(theme, "contact.html", &here.index_file(), &ctx)
}

/// A unit's 网站地图 page (`<unit>/sitemap/`): every column of the unit that is a page — its
/// domains and the items with information — its other pages, data files and child units.
fn sitemap_page(
    theme: &Theme,
    catalog: &Catalog,
    u: usize,
    unit_dir: &PageDir,
) -> Result<OutputFile, Failure> {
    let unit = &catalog.units[u];
    #[derive(Serialize)]
    struct Ctx<'a> {
        site: SiteContext<'a>,
        page: PageContext,
        unit: UnitContext<'a>,
        domains: Vec<DomainSummary>,
        not_applicable: Vec<DomainNotApplicable>,
        children: Vec<ChildLink>,
        contact: bool,
        guide: bool,
    }
    let here = unit_dir.join(&[SITEMAP_DIR]);
    let (domains, not_applicable) = domain_summaries(catalog, u, &here);
    let mut page = PageContext::new(catalog, &here, page_title(&["网站地图", &unit.name]))
        .column("网站地图".into());
    page.updated = date(catalog.updated_beneath(u));
    page.breadcrumbs = breadcrumbs(catalog, &here, u, &[("网站地图".into(), "./".into())]);
    page.feeds = feed_links(unit, None, 1).into();
    page.search = "../search/".into();
    page.unit_links = Some(unit_links(catalog, &here, u).into());
    let ctx = Ctx {
        site: site_context(catalog),
        page,
        unit: unit_context(unit),
        domains,
        not_applicable,
        children: child_links(catalog, unit, &here, Some(SITEMAP_DIR)),
        contact: unit.has_contact_page(),
        guide: guide_produced(catalog),
    };
    render(theme, "sitemap.html", &here.index_file(), &ctx)
}

/// One catalogue row as a template sees it.
#[derive(Debug, Serialize)]
struct ItemRow<'a> {
    number: usize,
    id: &'a str,
    /// The row's `id` in the domain's table.
    anchor: String,
    level1: &'a str,
    /// How many rows the 一级事项 cell spans; 0 when an earlier row's cell covers this one.
    level1_rowspan: usize,
    level2: &'a str,
    /// 三级事项, if the table splits the 二级事项.
    level3: Option<&'a str>,
    /// What readers know the item by: its 二级事项, with its 三级事项 if any.
    name: String,
    /// The item's page, if it has one (some entry).
    href: Option<String>,
    local: bool,
    content: &'a str,
    basis: &'a str,
    deadline: &'a str,
    subject: &'a str,
    channels: String,
    audience: &'a str,
    mode: &'a str,
    levels: String,
    extra: Vec<(&'a str, &'a str)>,
    exempt: Option<&'a str>,
    entries: usize,
    updated: Option<String>,
}

fn item_row<'a>(
    catalog: &Catalog,
    unit: &'a Unit,
    d: usize,
    i: usize,
    item: &'a Item,
    number: usize,
    href: Option<String>,
) -> ItemRow<'a> {
    let domain: &Domain = &catalog.standard.domains[d];
    let entries = unit.item_entries(d, i);
    ItemRow {
        number,
        id: &item.id,
        anchor: row_anchor(item),
        level1: &item.level1,
        level1_rowspan: 1,
        level2: &item.level2,
        level3: item.level3.as_deref(),
        name: item.name(),
        href,
        local: item.local,
        content: &item.content,
        basis: &item.basis,
        deadline: &item.deadline,
        subject: &item.subject,
        channels: item.channels.join("、"),
        audience: item.audience.label(),
        mode: item.mode.label(),
        levels: item
            .levels
            .iter()
            .map(|l| l.label())
            .collect::<Vec<_>>()
            .join("、"),
        extra: item
            .extra
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect(),
        exempt: unit.exemption(&domain.id, &item.id),
        entries: entries.len(),
        updated: date(entries.iter().map(|e| e.last_update()).max()),
    }
}

/// What pages show of a domain. Its maintainers' `notes` are not among it: they are for the
/// people who keep the standard files, not for readers.
#[derive(Debug, Serialize)]
struct DomainContext<'a> {
    id: &'a str,
    name: &'a str,
    guideline: &'a str,
    /// The guideline's issuer, unless the guideline's title already names it.
    issuer: Option<&'a str>,
}

fn domain_context(domain: &Domain) -> DomainContext<'_> {
    DomainContext {
        id: &domain.id,
        name: &domain.name,
        guideline: &domain.guideline,
        issuer: Some(domain.issuer.as_str())
            .filter(|issuer| !issuer.is_empty() && !domain.guideline.contains(issuer)),
    }
}

fn domain_page(
    theme: &Theme,
    catalog: &Catalog,
    u: usize,
    d: usize,
    here: &PageDir,
    shared: &DomainShared,
) -> Result<OutputFile, Failure> {
    let unit = &catalog.units[u];
    let domain = &catalog.standard.domains[d];
    #[derive(Serialize)]
    struct Ctx<'a> {
        page: PageContext,
        rows: Vec<ItemRow<'a>>,
        coverage: Coverage,
        has_local: bool,
        has_extra: bool,
        has_level3: bool,
    }
    let mut rows: Vec<ItemRow> = domain
        .items
        .iter()
        .enumerate()
        .filter(|(_, item)| item.applies_to(unit.level))
        .enumerate()
        .map(|(n, (i, item))| {
            let href = unit
                .has_item_page(d, i)
                .then(|| here.link_to(&here.join(&[&item.id])));
            item_row(catalog, unit, d, i, item, n + 1, href)
        })
        .collect();
    // Merge the 一级事项 cells of consecutive rows with the same 一级事项.
    let mut start = 0;
    while start < rows.len() {
        let mut end = start + 1;
        while end < rows.len() && rows[end].level1 == rows[start].level1 {
            rows[end].level1_rowspan = 0;
            end += 1;
        }
        rows[start].level1_rowspan = end - start;
        start = end;
    }
    let mut page = PageContext::new(catalog, here, page_title(&[&domain.name, &unit.name]))
        .column(domain.name.clone());
    page.updated = date(unit.domain_entries(d).iter().map(Entry::last_update).max());
    page.breadcrumbs = breadcrumbs(catalog, here, u, &[(domain.name.clone(), "./".into())]);
    page.feeds = feed_links(unit, Some(domain), 1).into();
    page.search = "../search/".into();
    page.unit_links = Some(unit_links(catalog, here, u).into());
    let ctx = Ctx {
        page,
        has_local: rows.iter().any(|r| r.local),
        has_extra: rows.iter().any(|r| !r.extra.is_empty()),
        has_level3: rows.iter().any(|r| r.level3.is_some()),
        rows,
        coverage: catalog.coverage(unit, Some(d)),
    };
    render_shared(
        theme,
        "domain.html",
        &here.index_file(),
        &ctx,
        &shared.values,
    )
}

/// An entry in a list, with its 有效性 on the build's date.
#[derive(Debug, Serialize)]
struct EntryLink<'a> {
    title: &'a str,
    href: String,
    published: String,
    updated: Option<String>,
    doc_no: Option<&'a str>,
    validity: &'static str,
    validity_label: &'static str,
    summary: Option<&'a str>,
}

fn entry_link<'a>(catalog: &Catalog, entry: &'a Entry, href: String) -> EntryLink<'a> {
    let validity = entry.validity_at(catalog.as_of);
    EntryLink {
        title: &entry.title,
        href,
        published: entry.published.to_string(),
        updated: date(entry.updated),
        doc_no: entry.doc_no.as_deref(),
        validity: validity.as_str(),
        validity_label: validity.label(),
        summary: entry.summary.as_deref(),
    }
}

fn item_page(
    theme: &Theme,
    catalog: &Catalog,
    u: usize,
    d: usize,
    i: usize,
    here: &PageDir,
    shared: &DomainShared,
) -> Result<OutputFile, Failure> {
    let unit = &catalog.units[u];
    let domain = &catalog.standard.domains[d];
    let item = &domain.items[i];
    #[derive(Serialize)]
    struct Ctx<'a> {
        page: PageContext,
        item: ItemRow<'a>,
        entries: Vec<EntryLink<'a>>,
    }
    let entries = unit.item_entries(d, i);
    let mut page = PageContext::new(
        catalog,
        here,
        page_title(&[&item.name(), &item.level1, &domain.name, &unit.name]),
    )
    .column(item.name());
    page.updated = date(entries.iter().map(Entry::last_update).max());
    let mut tail = vec![(domain.name.clone(), "../".to_owned())];
    tail.extend(item_crumbs(catalog, unit, d, i, here));
    page.breadcrumbs = breadcrumbs(catalog, here, u, &tail);
    page.feeds = feed_links(unit, Some(domain), 2).into();
    page.search = "../../search/".into();
    page.unit_links = Some(unit_links(catalog, here, u).into());
    let ctx = Ctx {
        page,
        item: item_row(catalog, unit, d, i, item, 0, Some("./".into())),
        entries: entries
            .iter()
            .map(|e| entry_link(catalog, e, format!("{}/", encode(&e.slug))))
            .collect(),
    };
    render_shared(theme, "item.html", &here.index_file(), &ctx, &shared.values)
}

/// A related entry as a page links it.
#[derive(Debug, Serialize)]
struct RelatedLink {
    title: String,
    href: String,
    index_no: String,
    doc_no: Option<String>,
    published: String,
    /// The unit's name, when it is another unit's entry (a town's 解读 of a county document).
    unit_name: Option<String>,
}

/// An entry's relations as its page shows them, each seen from this side, in a fixed order;
/// a kind with no link is left out.
#[derive(Debug, Serialize)]
struct RelationsContext {
    /// (label, links): 本文解读的文件, 相关解读, 征求意见稿, 意见采纳情况, ….
    groups: Vec<RelatedGroup>,
    /// 已被《…》替代: the documents in force by the build's date that replace this one.
    replaced_by: Vec<RelatedLink>,
}

#[derive(Debug, Serialize)]
struct RelatedGroup {
    label: &'static str,
    links: Vec<RelatedLink>,
}

fn relations_context(
    catalog: &Catalog,
    unit: &Unit,
    entry: &Entry,
    here: &PageDir,
) -> RelationsContext {
    let one = |l: &crate::model::Link| RelatedLink {
        title: l.title.clone(),
        href: here.link_to(&PageDir::of_link(l)),
        index_no: l.index_no.clone(),
        doc_no: l.doc_no.clone(),
        published: l.published.to_string(),
        unit_name: (l.unit != unit.path).then(|| l.unit_name.clone()),
    };
    let r = &entry.relations;
    let groups = [
        ("本文解读的文件", r.interprets.iter().collect::<Vec<_>>()),
        ("相关解读", r.interpretations.iter().collect()),
        ("征求意见稿", r.consultation.iter().collect()),
        ("意见采纳情况", r.responses.iter().collect()),
        ("所反馈的征求意见稿", r.responds_to.iter().collect()),
        ("据此形成的文件", r.outcomes.iter().collect()),
        ("本文件替代", r.replaces.iter().collect()),
        ("替代本文件的文件", r.replaced_by.iter().collect()),
    ]
    .into_iter()
    .filter(|(_, links)| !links.is_empty())
    .map(|(label, links)| RelatedGroup {
        label,
        links: links.into_iter().map(one).collect(),
    })
    .collect();
    RelationsContext {
        groups,
        replaced_by: r
            .replaced_by
            .iter()
            .filter(|l| l.in_force_from <= catalog.as_of)
            .map(one)
            .collect(),
    }
}

#[derive(Debug, Serialize)]
struct AttachmentLink<'a> {
    name: &'a str,
    href: String,
    size: String,
    /// A CSV attachment's first rows, shown below the link.
    table: Option<&'a CsvTable>,
}

/// A byte count as shown to readers (`12.3 KB`).
pub fn human_size(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} B")
    } else if b < KB * KB {
        format!("{:.1} KB", b / KB)
    } else {
        format!("{:.1} MB", b / KB / KB)
    }
}

/// What every entry page of one item shows alike, as Tera values built once for the item: the
/// domain's shared variables, the breadcrumbs from the site root down to the item, the feeds
/// and the footer's unit links (entry pages all sit at the same depth, so their relative links
/// are the same).
struct EntryFurniture<'a> {
    shared: &'a DomainShared,
    crumbs: Vec<tera::Value>,
    feeds: tera::Value,
    unit_links: tera::Value,
}

impl<'a> EntryFurniture<'a> {
    /// The furniture of item `i` of domain `d` in unit `u`, seen from `here`, any of its entry
    /// pages, with the domain's `shared` variables.
    fn new(
        catalog: &Catalog,
        u: usize,
        d: usize,
        i: usize,
        here: &PageDir,
        shared: &'a DomainShared,
    ) -> Result<EntryFurniture<'a>, Failure> {
        let unit = &catalog.units[u];
        let domain = &catalog.standard.domains[d];
        let what = format!("{}：{}", domain.name, domain.items[i].name());
        let mut tail = vec![(domain.name.clone(), "../../".to_owned())];
        tail.extend(item_crumbs(catalog, unit, d, i, here));
        Ok(EntryFurniture {
            shared,
            crumbs: linked_crumbs(catalog, here, u, &tail)
                .iter()
                .map(|crumb| tera_value(crumb, &what))
                .collect::<Result<_, _>>()?,
            feeds: tera_value(&feed_links(unit, Some(domain), 3), &what)?,
            unit_links: tera_value(&unit_links(catalog, here, u), &what)?,
        })
    }
}

#[allow(clippy::too_many_arguments)]
fn entry_page(
    theme: &Theme,
    catalog: &Catalog,
    u: usize,
    d: usize,
    i: usize,
    entry: &Entry,
    (newer, older): (Option<&Entry>, Option<&Entry>),
    csvs: &[Option<CsvAttachment>],
    here: &PageDir,
    furniture: &EntryFurniture,
) -> Result<(OutputFile, String), Failure> {
    let unit = &catalog.units[u];
    let domain = &catalog.standard.domains[d];
    let item = &domain.items[i];
    let (body, text) = crate::markup::to_html_and_text(
        entry.body.text_for_page(&entry.source)?,
        search::TEXT_CHARS,
    );
    #[derive(Serialize)]
    struct Ctx<'a> {
        page: PageContext,
        item_name: String,
        item_href: &'static str,
        entry: EntryContext<'a>,
        body: String,
        attachments: Vec<AttachmentLink<'a>>,
        newer: Option<EntryLink<'a>>,
        older: Option<EntryLink<'a>>,
        relations: RelationsContext,
    }
    #[derive(Serialize)]
    struct EntryContext<'a> {
        title: &'a str,
        index_no: &'a str,
        topic: &'a str,
        publisher: &'a str,
        created: String,
        doc_no: Option<&'a str>,
        published: String,
        updated: Option<String>,
        /// 有效期至, shown beside 有效 and 失效 (a 废止 document's term no longer matters).
        expires: Option<String>,
        /// 有效性 on the build's date.
        validity: &'static str,
        validity_label: &'static str,
        summary: Option<&'a str>,
        /// 实施日期.
        effective: Option<String>,
        /// 废止日期, once it has come.
        repealed_on: Option<String>,
        keywords: String,
        /// The comment period of a draft (征求意见稿).
        consultation: Option<Period>,
        /// 变更记录: the days the file changed after publication, when the site shows them.
        changes: Vec<String>,
    }
    #[derive(Serialize)]
    struct Period {
        opens: String,
        closes: String,
    }
    let validity = entry.validity_at(catalog.as_of);
    let sibling = |e: &'_ Entry| format!("../{}/", encode(&e.slug));
    let topic = entry.topic.as_deref().unwrap_or(&domain.name);
    let mut page = PageContext::new(catalog, here, page_title(&[&entry.title, &unit.name]))
        .column(item.name());
    page.updated = date(Some(entry.last_update()));
    page.article = Some(ArticleMeta {
        title: entry.title.clone(),
        pub_date: format!(
            "{} {}",
            entry.published,
            entry.published_time.as_deref().unwrap_or("00:00")
        ),
        source: entry.publisher.clone(),
    });
    page.breadcrumbs = Vec::with_capacity(furniture.crumbs.len() + 1);
    page.breadcrumbs
        .extend(furniture.crumbs.iter().cloned().map(Shared::Value));
    page.breadcrumbs.push(Crumb::current(&entry.title).into());
    page.feeds = Shared::Value(furniture.feeds.clone());
    page.search = "../../../search/".into();
    page.unit_links = Some(Shared::Value(furniture.unit_links.clone()));
    let ctx = Ctx {
        page,
        item_name: item.name(),
        item_href: "../",
        entry: EntryContext {
            title: &entry.title,
            index_no: &entry.index_no,
            topic,
            publisher: &entry.publisher,
            created: entry.created.to_string(),
            doc_no: entry.doc_no.as_deref(),
            published: entry.published.to_string(),
            updated: date(entry.updated),
            expires: date(entry.expires).filter(|_| validity != Validity::Repealed),
            validity: validity.as_str(),
            validity_label: validity.label(),
            summary: entry.summary.as_deref(),
            effective: date(entry.effective),
            repealed_on: date(entry.repealed_on.filter(|r| *r <= catalog.as_of)),
            keywords: entry.keywords.join("；"),
            consultation: entry.consultation.map(|c| Period {
                opens: c.opens.to_string(),
                closes: c.closes.to_string(),
            }),
            changes: if catalog.site.change_log {
                entry
                    .history
                    .changes
                    .iter()
                    .map(|d| d.to_string())
                    .collect()
            } else {
                Vec::new()
            },
        },
        relations: relations_context(catalog, unit, entry, here),
        body,
        attachments: entry
            .attachments
            .iter()
            .zip(csvs)
            .map(|(a, csv)| {
                let csv = csv.as_ref();
                let published = csv.and_then(|c| c.published.as_ref());
                AttachmentLink {
                    name: &a.name,
                    href: encode(&a.name),
                    size: human_size(published.map_or(a.size, |p| p.len() as u64)),
                    table: csv.and_then(|c| c.table.as_ref()),
                }
            })
            .collect(),
        newer: newer.map(|e| entry_link(catalog, e, sibling(e))),
        older: older.map(|e| entry_link(catalog, e, sibling(e))),
    };
    Ok((
        render_shared(
            theme,
            "entry.html",
            &here.index_file(),
            &ctx,
            &furniture.shared.values,
        )?,
        text,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Every date a TOML file can hold (years 0000 to 9999) is shown as `%Y-%m-%d`.
        #[test]
        fn dates_show_as_year_month_day(days in 0i32..3_652_059) {
            let d = NaiveDate::from_num_days_from_ce_opt(days + 1).expect("a date");
            proptest::prop_assert_eq!(date(Some(d)), Some(d.format("%Y-%m-%d").to_string()));
        }
    }

    #[test]
    fn dates_at_the_edges_of_the_toml_range_show_as_year_month_day() {
        for (y, m, d) in [
            (0, 1, 1),
            (1, 1, 1),
            (999, 12, 31),
            (9999, 12, 31),
            (2024, 2, 29),
        ] {
            let d = NaiveDate::from_ymd_opt(y, m, d).expect("a date");
            assert_eq!(date(Some(d)), Some(d.format("%Y-%m-%d").to_string()));
        }
    }

    #[test]
    fn page_counts_match_the_pages_listed() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog");
        let as_of = NaiveDate::from_ymd_opt(2025, 6, 30).expect("date");
        let (catalog, _) = crate::validate::validate(crate::load::load(&root).0, as_of);
        let catalog = catalog.expect("the sample catalog is valid");
        for u in 0..catalog.units.len() {
            assert_eq!(
                unit_page_count(&catalog, u),
                unit_page_urls(&catalog, u).len()
            );
        }
    }
}
