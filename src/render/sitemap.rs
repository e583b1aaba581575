//! `sitemap.xml` and `robots.txt`. Each unit writes its own sitemap (its pages with `lastmod`
//! from their update times); the root `sitemap.xml` is a sitemap index of those files, so no file
//! approaches the protocol's 50,000-URL limit and a change re-writes only its unit's sitemap.

use super::links::PageDir;
use crate::render::feeds::esc;
use chrono::NaiveDate;
use std::fmt::Write as _;

/// The protocol's limit of URLs per sitemap file.
pub const MAX_URLS: usize = 50_000;

/// One page in a sitemap.
#[derive(Debug, Clone)]
pub struct SitemapUrl {
    /// The page's folder.
    pub dir: PageDir,
    /// Its 更新时间, if anything beneath it has been published.
    pub lastmod: Option<NaiveDate>,
}

/// Sitemap files for a unit's pages: `sitemap.xml`, then `sitemap-2.xml`, … if over the limit.
/// Returns (file name, content) pairs.
pub fn unit_sitemaps(base_url: &str, urls: &[SitemapUrl]) -> Vec<(String, Vec<u8>)> {
    urls.chunks(MAX_URLS)
        .enumerate()
        .map(|(n, chunk)| {
            let name = if n == 0 { "sitemap.xml".to_owned() } else { format!("sitemap-{}.xml", n + 1) };
            let mut x = String::with_capacity(chunk.len() * 120 + 200);
            x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
            for u in chunk {
                let _ = write!(x, "  <url><loc>{}</loc>", esc(&u.dir.url(base_url)));
                if let Some(d) = u.lastmod {
                    let _ = write!(x, "<lastmod>{}</lastmod>", d);
                }
                x.push_str("</url>\n");
            }
            x.push_str("</urlset>\n");
            (name, x.into_bytes())
        })
        .collect()
}

/// The root sitemap index: the site's own sitemap plus every unit's.
pub fn index(base_url: &str, sitemaps: &[(String, Option<NaiveDate>)]) -> Vec<u8> {
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, lastmod) in sitemaps {
        let _ = write!(
            x,
            "  <sitemap><loc>{}</loc>",
            esc(&format!("{base_url}{path}"))
        );
        if let Some(d) = lastmod {
            let _ = write!(x, "<lastmod>{}</lastmod>", d);
        }
        x.push_str("</sitemap>\n");
    }
    x.push_str("</sitemapindex>\n");
    x.into_bytes()
}

/// `robots.txt`: everything may be crawled; the sitemap is named.
pub fn robots(base_url: &str) -> Vec<u8> {
    format!("User-agent: *\nAllow: /\n\nSitemap: {base_url}sitemap.xml\n").into_bytes()
}
