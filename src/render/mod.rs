//! Stage 4, render: the model becomes pages. Each template gets an explicit, serializable context
//! built here (no Tera globals reaching into the site), so what a page shows is exactly what its
//! context holds. Units render independently, which lets the caller run them in parallel and
//! write each unit's pages before the next is built.

pub mod feeds;
pub mod links;
pub mod markdown;
pub mod opendata;
pub mod search;
pub mod sitemap;
pub mod theme;

use crate::failure::Failure;
use crate::model::{Catalog, Coverage, Domain, Entry, Item, Part, Unit};
use chrono::NaiveDate;
use links::{PageDir, encode};
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

/// Site-wide values every page shows (footer, meta tags).
#[derive(Debug, Serialize)]
struct SiteContext<'a> {
    title: &'a str,
    organizer: &'a str,
    icp: &'a str,
    police_record: Option<&'a str>,
    site_id_code: &'a str,
    domain: &'a str,
    language: &'a str,
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
    breadcrumbs: Vec<Crumb>,
    /// Atom feeds announced with `<link rel="alternate">`.
    feeds: Vec<FeedLink>,
    /// The search page the header's search box submits to (the unit's, or the whole site's).
    search: String,
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
        police_record: site.police_record.as_deref(),
        site_id_code: &site.site_id_code,
        domain: site.domain(),
        language: &site.language,
    }
}

fn date(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

/// Renders a template with a context, naming the template and page in any error.
fn render<T: Serialize>(
    theme: &Theme,
    template: &str,
    page_path: &str,
    context: &T,
) -> Result<OutputFile, Failure> {
    let ctx = tera::Context::from_serialize(context)
        .map_err(|e| template_error(&format!("{template}，页面 {page_path}"), &e))?;
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
    let ctx = Ctx {
        site: site_context(catalog),
        page: PageContext {
            title: catalog.site.title.clone(),
            root: here.to_root(),
            canonical: here.url(&catalog.site.base_url),
            updated: date(updated),
            column_name: Some(catalog.site.title.clone()),
            column_type: Some(COLUMN_TYPE),
            article: None,
            breadcrumbs: vec![Crumb {
                name: "首页".into(),
                href: None,
            }],
            feeds: Vec::new(),
            search: "search/".into(),
        },
        units: catalog
            .roots()
            .map(|u| unit_node(catalog, &here, u))
            .collect(),
    };
    Ok(vec![render(theme, "index.html", &here.index_file(), &ctx)?])
}

fn breadcrumbs(
    catalog: &Catalog,
    from: &PageDir,
    unit: usize,
    tail: &[(String, PageDir)],
) -> Vec<Crumb> {
    let mut crumbs = vec![Crumb {
        name: "首页".into(),
        href: Some(from.link_to(&PageDir::root())),
    }];
    for u in catalog.ancestry(unit) {
        let dir = PageDir::from_path(&catalog.units[u].path);
        crumbs.push(Crumb {
            name: catalog.units[u].name.clone(),
            href: Some(from.link_to(&dir)),
        });
    }
    for (name, dir) in tail {
        crumbs.push(Crumb {
            name: name.clone(),
            href: Some(from.link_to(dir)),
        });
    }
    if let Some(last) = crumbs.last_mut() {
        last.href = None;
    }
    crumbs
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

/// The files of one part of unit `u`.
pub fn part_files(
    theme: &Theme,
    catalog: &Catalog,
    u: usize,
    part: Part,
) -> Result<Vec<OutputFile>, Failure> {
    let unit_dir = PageDir::from_path(&catalog.units[u].path);
    match part {
        Part::Own => unit_own_files(theme, catalog, u, &unit_dir),
        Part::Domain(d) => domain_files(theme, catalog, u, d, &unit_dir),
    }
}

/// A unit's files outside its domain folders: home page, feed, sitemaps, search and open data.
fn unit_own_files(
    theme: &Theme,
    catalog: &Catalog,
    u: usize,
    unit_dir: &PageDir,
) -> Result<Vec<OutputFile>, Failure> {
    let unit = &catalog.units[u];
    let mut out = vec![unit_home(theme, catalog, u, unit_dir)?];
    let unit_entries: Vec<&Entry> = unit.entries.iter().collect();
    let unit_feed = feeds::atom(
        catalog,
        unit,
        unit_dir,
        &format!("{}政务公开信息", unit.name),
        &unit_entries,
    );
    out.push(bytes(unit_dir.file(feeds::FEED_FILE), unit_feed));
    for (name, content) in
        sitemap::unit_sitemaps(&catalog.site.base_url, &unit_page_urls(catalog, u))
    {
        out.push(bytes(unit_dir.file(&name), content));
    }
    out.push(bytes(
        unit_dir.file(search::INDEX_FILE),
        search::unit_index(catalog, unit)?,
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

/// One domain's pages in a unit: the domain page and feed, its item pages and their entries.
fn domain_files(
    theme: &Theme,
    catalog: &Catalog,
    u: usize,
    d: usize,
    unit_dir: &PageDir,
) -> Result<Vec<OutputFile>, Failure> {
    let unit = &catalog.units[u];
    let domain = &catalog.standard.domains[d];
    let domain_dir = unit_dir.join(&[&domain.id]);
    let mut out = vec![domain_page(theme, catalog, u, d, &domain_dir)?];
    let domain_entries: Vec<&Entry> = unit.domain_entries(d).iter().collect();
    let title = format!("{}{}领域政务公开信息", unit.name, domain.name);
    out.push(bytes(
        domain_dir.file(feeds::FEED_FILE),
        feeds::atom(catalog, unit, &domain_dir, &title, &domain_entries),
    ));
    for (i, item) in domain.items.iter().enumerate() {
        if !item.applies_to(unit.level) {
            continue;
        }
        let item_dir = domain_dir.join(&[&item.id]);
        out.push(item_page(theme, catalog, u, d, i, &item_dir)?);
        let entries = unit.item_entries(d, i);
        for (n, entry) in entries.iter().enumerate() {
            let entry_dir = item_dir.join(&[&entry.slug]);
            let neighbours = (n.checked_sub(1).map(|p| &entries[p]), entries.get(n + 1));
            out.push(entry_page(
                theme, catalog, u, d, i, entry, neighbours, &entry_dir,
            )?);
            for a in &entry.attachments {
                out.push(OutputFile::Copy {
                    path: entry_dir.file(&a.name),
                    from: a.path.clone(),
                });
            }
        }
    }
    Ok(out)
}

fn bytes(path: String, bytes: Vec<u8>) -> OutputFile {
    OutputFile::Bytes { path, bytes }
}

/// Every page of a unit with its 更新时间: its home page, then each domain's pages.
pub fn unit_page_urls(catalog: &Catalog, u: usize) -> Vec<sitemap::SitemapUrl> {
    let unit = &catalog.units[u];
    let unit_dir = PageDir::from_path(&unit.path);
    let newest = |entries: &mut dyn Iterator<Item = &Entry>| entries.map(Entry::last_update).max();
    let mut urls = vec![sitemap::SitemapUrl {
        dir: unit_dir.clone(),
        lastmod: catalog.updated_beneath(u),
    }];
    for (d, domain) in catalog.standard.domains.iter().enumerate() {
        let domain_dir = unit_dir.join(&[&domain.id]);
        urls.push(sitemap::SitemapUrl {
            dir: domain_dir.clone(),
            lastmod: newest(&mut unit.entries.iter().filter(|e| e.domain == d)),
        });
        for (i, item) in domain.items.iter().enumerate() {
            if !item.applies_to(unit.level) {
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
    let domains = catalog.standard.domains.iter().enumerate();
    1 + domains
        .map(|(d, domain)| {
            let items = domain.items.iter().enumerate();
            1 + items
                .filter(|(_, item)| item.applies_to(unit.level))
                .map(|(i, _)| 1 + unit.item_entries(d, i).len())
                .sum::<usize>()
        })
        .sum::<usize>()
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
        let pages = unit_page_count(catalog, u);
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
        &[sitemap::SitemapUrl {
            dir: root.clone(),
            lastmod: newest,
        }],
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
    let mut crumbs = match u {
        Some(u) => breadcrumbs(catalog, &here, u, &[("站内搜索".into(), here.clone())]),
        None => vec![
            Crumb {
                name: "首页".into(),
                href: Some("../".into()),
            },
            Crumb {
                name: "站内搜索".into(),
                href: None,
            },
        ],
    };
    if let Some(last) = crumbs.last_mut() {
        last.href = None;
    }
    let ctx = Ctx {
        site: site_context(catalog),
        page: PageContext {
            title: format!(
                "站内搜索{} - {}",
                unit.map(|u| format!(" - {}", u.name)).unwrap_or_default(),
                catalog.site.title
            ),
            root: here.to_root(),
            canonical: here.url(&catalog.site.base_url),
            updated: None,
            column_name: Some("站内搜索".into()),
            column_type: Some(COLUMN_TYPE),
            article: None,
            breadcrumbs: crumbs,
            feeds: unit
                .map(|unit| feed_links(unit, None, 1))
                .unwrap_or_default(),
            search: "./".into(),
        },
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
    let ctx = Ctx {
        site: site_context(catalog),
        page: PageContext {
            title: format!("找不到页面 - {}", catalog.site.title),
            root: base.clone(),
            canonical: base.clone(),
            updated: None,
            column_name: None,
            column_type: None,
            article: None,
            breadcrumbs: vec![
                Crumb {
                    name: "首页".into(),
                    href: Some(base.clone()),
                },
                Crumb {
                    name: "找不到页面".into(),
                    href: None,
                },
            ],
            feeds: Vec::new(),
            search: format!("{base}search/"),
        },
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

#[derive(Debug, Serialize)]
struct DomainSummary {
    name: String,
    href: String,
    entries: usize,
    updated: Option<String>,
    coverage: Coverage,
}

#[derive(Debug, Serialize)]
struct ChildLink {
    name: String,
    href: String,
    level: &'static str,
    updated: Option<String>,
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
        domains: Vec<DomainSummary>,
        children: Vec<ChildLink>,
    }
    let domains = catalog
        .standard
        .domains
        .iter()
        .enumerate()
        .map(|(d, domain)| {
            let entries: Vec<&Entry> = unit.entries.iter().filter(|e| e.domain == d).collect();
            DomainSummary {
                name: domain.name.clone(),
                href: here.link_to(&here.join(&[&domain.id])),
                entries: entries.len(),
                updated: date(entries.iter().map(|e| e.last_update()).max()),
                coverage: catalog.coverage(unit, Some(d)),
            }
        })
        .collect();
    let children = unit
        .children
        .iter()
        .map(|&c| ChildLink {
            name: catalog.units[c].name.clone(),
            href: here.link_to(&PageDir::from_path(&catalog.units[c].path)),
            level: catalog.units[c].level.label(),
            updated: date(catalog.updated_beneath(c)),
        })
        .collect();
    let column = format!("{}基层政务公开标准化规范化专栏", unit.name);
    let ctx = Ctx {
        site: site_context(catalog),
        page: PageContext {
            title: format!("{column} - {}", catalog.site.title),
            root: here.to_root(),
            canonical: here.url(&catalog.site.base_url),
            updated: date(catalog.updated_beneath(u)),
            column_name: Some(column),
            column_type: Some(COLUMN_TYPE),
            article: None,
            breadcrumbs: breadcrumbs(catalog, here, u, &[]),
            feeds: feed_links(unit, None, 0),
            search: "search/".into(),
        },
        unit: unit_context(unit),
        coverage: catalog.coverage(unit, None),
        domains,
        children,
    };
    render(theme, "unit.html", &here.index_file(), &ctx)
}

/// One catalogue row as a template sees it.
#[derive(Debug, Serialize)]
struct ItemRow<'a> {
    number: usize,
    id: &'a str,
    level1: &'a str,
    /// How many rows the 一级事项 cell spans; 0 when an earlier row's cell covers this one.
    level1_rowspan: usize,
    level2: &'a str,
    href: String,
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
    href: String,
) -> ItemRow<'a> {
    let domain: &Domain = &catalog.standard.domains[d];
    let entries = unit.item_entries(d, i);
    ItemRow {
        number,
        id: &item.id,
        level1: &item.level1,
        level1_rowspan: 1,
        level2: &item.level2,
        href,
        local: item.local,
        content: &item.content,
        basis: &item.basis,
        deadline: &item.deadline,
        subject: &item.subject,
        channels: item.channels.join("、"),
        audience: &item.audience,
        mode: &item.mode,
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

#[derive(Debug, Serialize)]
struct DomainContext<'a> {
    id: &'a str,
    name: &'a str,
    guideline: &'a str,
    issuer: &'a str,
    notes: Option<&'a str>,
}

fn domain_context(domain: &Domain) -> DomainContext<'_> {
    DomainContext {
        id: &domain.id,
        name: &domain.name,
        guideline: &domain.guideline,
        issuer: &domain.issuer,
        notes: domain.notes.as_deref(),
    }
}

fn domain_page(
    theme: &Theme,
    catalog: &Catalog,
    u: usize,
    d: usize,
    here: &PageDir,
) -> Result<OutputFile, Failure> {
    let unit = &catalog.units[u];
    let domain = &catalog.standard.domains[d];
    #[derive(Serialize)]
    struct Ctx<'a> {
        site: SiteContext<'a>,
        page: PageContext,
        unit: UnitContext<'a>,
        domain: DomainContext<'a>,
        rows: Vec<ItemRow<'a>>,
        coverage: Coverage,
        has_local: bool,
        has_extra: bool,
    }
    let mut rows: Vec<ItemRow> = domain
        .items
        .iter()
        .enumerate()
        .filter(|(_, item)| item.applies_to(unit.level))
        .enumerate()
        .map(|(n, (i, item))| {
            item_row(
                catalog,
                unit,
                d,
                i,
                item,
                n + 1,
                here.link_to(&here.join(&[&item.id])),
            )
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
    let entries = unit.entries.iter().filter(|e| e.domain == d);
    let ctx = Ctx {
        site: site_context(catalog),
        page: PageContext {
            title: format!("{} - {} - {}", domain.name, unit.name, catalog.site.title),
            root: here.to_root(),
            canonical: here.url(&catalog.site.base_url),
            updated: date(entries.map(Entry::last_update).max()),
            column_name: Some(domain.name.clone()),
            column_type: Some(COLUMN_TYPE),
            article: None,
            breadcrumbs: breadcrumbs(catalog, here, u, &[(domain.name.clone(), here.clone())]),
            feeds: feed_links(unit, Some(domain), 1),
            search: "../search/".into(),
        },
        unit: unit_context(unit),
        domain: domain_context(domain),
        has_local: rows.iter().any(|r| r.local),
        has_extra: rows.iter().any(|r| !r.extra.is_empty()),
        rows,
        coverage: catalog.coverage(unit, Some(d)),
    };
    render(theme, "domain.html", &here.index_file(), &ctx)
}

/// An entry in a list.
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

fn entry_link<'a>(entry: &'a Entry, href: String) -> EntryLink<'a> {
    EntryLink {
        title: &entry.title,
        href,
        published: entry.published.format("%Y-%m-%d").to_string(),
        updated: date(entry.updated),
        doc_no: entry.doc_no.as_deref(),
        validity: entry.validity.as_str(),
        validity_label: entry.validity.label(),
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
) -> Result<OutputFile, Failure> {
    let unit = &catalog.units[u];
    let domain = &catalog.standard.domains[d];
    let item = &domain.items[i];
    #[derive(Serialize)]
    struct Ctx<'a> {
        site: SiteContext<'a>,
        page: PageContext,
        unit: UnitContext<'a>,
        domain: DomainContext<'a>,
        item: ItemRow<'a>,
        entries: Vec<EntryLink<'a>>,
    }
    let domain_dir = PageDir(here.0[..here.0.len() - 1].to_vec());
    let entries = unit.item_entries(d, i);
    let ctx = Ctx {
        site: site_context(catalog),
        page: PageContext {
            title: format!(
                "{} - {} - {} - {}",
                item.level2, domain.name, unit.name, catalog.site.title
            ),
            root: here.to_root(),
            canonical: here.url(&catalog.site.base_url),
            updated: date(entries.iter().map(Entry::last_update).max()),
            column_name: Some(item.level2.clone()),
            column_type: Some(COLUMN_TYPE),
            article: None,
            breadcrumbs: breadcrumbs(
                catalog,
                here,
                u,
                &[
                    (domain.name.clone(), domain_dir),
                    (item.level2.clone(), here.clone()),
                ],
            ),
            feeds: feed_links(unit, Some(domain), 2),
            search: "../../search/".into(),
        },
        unit: unit_context(unit),
        domain: domain_context(domain),
        item: item_row(catalog, unit, d, i, item, 0, "./".into()),
        entries: entries
            .iter()
            .map(|e| entry_link(e, format!("{}/", encode(&e.slug))))
            .collect(),
    };
    render(theme, "item.html", &here.index_file(), &ctx)
}

#[derive(Debug, Serialize)]
struct AttachmentLink<'a> {
    name: &'a str,
    href: String,
    size: String,
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

#[allow(clippy::too_many_arguments)]
fn entry_page(
    theme: &Theme,
    catalog: &Catalog,
    u: usize,
    d: usize,
    i: usize,
    entry: &Entry,
    (newer, older): (Option<&Entry>, Option<&Entry>),
    here: &PageDir,
) -> Result<OutputFile, Failure> {
    let unit = &catalog.units[u];
    let domain = &catalog.standard.domains[d];
    let item = &domain.items[i];
    #[derive(Serialize)]
    struct Ctx<'a> {
        site: SiteContext<'a>,
        page: PageContext,
        unit: UnitContext<'a>,
        domain: DomainContext<'a>,
        item_name: &'a str,
        item_href: &'static str,
        entry: EntryContext<'a>,
        body: String,
        attachments: Vec<AttachmentLink<'a>>,
        newer: Option<EntryLink<'a>>,
        older: Option<EntryLink<'a>>,
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
        expires: Option<String>,
        validity: &'static str,
        validity_label: &'static str,
        summary: Option<&'a str>,
    }
    let item_dir = PageDir(here.0[..here.0.len() - 1].to_vec());
    let domain_dir = PageDir(item_dir.0[..item_dir.0.len() - 1].to_vec());
    let sibling = |e: &'_ Entry| format!("../{}/", encode(&e.slug));
    let topic = entry.topic.as_deref().unwrap_or(&domain.name);
    let ctx = Ctx {
        site: site_context(catalog),
        page: PageContext {
            title: format!("{} - {} - {}", entry.title, unit.name, catalog.site.title),
            root: here.to_root(),
            canonical: here.url(&catalog.site.base_url),
            updated: date(Some(entry.last_update())),
            column_name: Some(item.level2.clone()),
            column_type: Some(COLUMN_TYPE),
            article: Some(ArticleMeta {
                title: entry.title.clone(),
                pub_date: format!(
                    "{} {}",
                    entry.published.format("%Y-%m-%d"),
                    entry.published_time.as_deref().unwrap_or("00:00")
                ),
                source: entry.publisher.clone(),
            }),
            breadcrumbs: breadcrumbs(
                catalog,
                here,
                u,
                &[
                    (domain.name.clone(), domain_dir),
                    (item.level2.clone(), item_dir),
                    (entry.title.clone(), here.clone()),
                ],
            ),
            feeds: feed_links(unit, Some(domain), 3),
            search: "../../../search/".into(),
        },
        unit: unit_context(unit),
        domain: domain_context(domain),
        item_name: &item.level2,
        item_href: "../",
        entry: EntryContext {
            title: &entry.title,
            index_no: &entry.index_no,
            topic,
            publisher: &entry.publisher,
            created: entry.created.format("%Y-%m-%d").to_string(),
            doc_no: entry.doc_no.as_deref(),
            published: entry.published.format("%Y-%m-%d").to_string(),
            updated: date(entry.updated),
            expires: date(entry.expires),
            validity: entry.validity.as_str(),
            validity_label: entry.validity.label(),
            summary: entry.summary.as_deref(),
        },
        body: markdown::to_html(entry.body.text_for_page(&entry.source)?),
        attachments: entry
            .attachments
            .iter()
            .map(|a| AttachmentLink {
                name: &a.name,
                href: encode(&a.name),
                size: human_size(a.size),
            })
            .collect(),
        newer: newer.map(|e| entry_link(e, sibling(e))),
        older: older.map(|e| entry_link(e, sibling(e))),
    };
    render(theme, "entry.html", &here.index_file(), &ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

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
