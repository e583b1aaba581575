//! Names of what an entry puts on the site as it is: its URL segment and its attachments'
//! file names. An attachment is a file for readers to download, never a page of the site: it may
//! not take the name of a file gongkai writes (an `index.html` beside `index.md` would replace
//! the entry's own page), and a type a browser runs (HTML, SVG, XML, scripts) is refused unless
//! `site.toml` says `active_attachments = true`, in which case the host must serve those files
//! as downloads (see `docs/hosting.md`; `gongkai serve` does). Types a web server itself may
//! execute (PHP, ASP, JSP, server-side includes, `web.config`) are refused always: no response
//! header stops a server from running them.

/// File names gongkai itself writes into the site's folders (pages, feeds, sitemaps, search
/// indexes, open data); `sitemap-<n>.xml` too ([`generated_name`]). No attachment or entry may
/// take one, in any letter case.
pub const GENERATED_NAMES: [&str; 9] = [
    "index.html",
    "404.html",
    "feed.xml",
    "sitemap.xml",
    "sitemap-site.xml",
    "robots.txt",
    "search.json",
    "catalog.json",
    "catalog.csv",
];

/// Extensions of files a browser runs or renders as a document of the site's origin (pages,
/// vector images and XML that may carry script, scripts, web archives, Flash): refused as
/// attachments unless `site.toml` has `active_attachments = true`.
pub const ACTIVE_EXTENSIONS: [&str; 18] = [
    "html", "htm", "xhtml", "xht", "svg", "svgz", "xml", "xsl", "xslt", "js", "mjs", "cjs", "mht",
    "mhtml", "swf", "hta", "htc", "xbl",
];

/// Extensions of files a web server may execute itself (PHP, ASP/ASP.NET, JSP, CGI, server-side
/// includes): refused as attachments always.
pub const SERVER_EXTENSIONS: [&str; 20] = [
    "php", "php3", "php4", "php5", "php7", "phtml", "phar", "pht", "asp", "aspx", "ascx", "ashx",
    "asmx", "asa", "cshtml", "jsp", "jspx", "cgi", "shtml", "shtm",
];

/// File names a web server reads as its own configuration for the folder they are in.
const SERVER_CONFIG_NAMES: [&str; 1] = ["web.config"];

/// A name as a case-insensitive file system or a Windows server sees it: lower case, without
/// the trailing dots and spaces Windows drops.
fn folded(name: &str) -> String {
    name.trim_end_matches(['.', ' ']).to_lowercase()
}

/// The extension of a name, as [`folded`] sees it.
fn extension(name: &str) -> Option<String> {
    let name = folded(name);
    name.rsplit_once('.').map(|(_, ext)| ext.to_owned())
}

/// The generated file `name` would take the place of, if any.
pub fn generated_name(name: &str) -> Option<String> {
    let name = folded(name);
    let numbered_sitemap = name
        .strip_prefix("sitemap-")
        .and_then(|rest| rest.strip_suffix(".xml"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    (GENERATED_NAMES.contains(&name.as_str()) || numbered_sitemap).then_some(name)
}

/// Whether a browser would run or render a file of this name as part of the site (see
/// [`ACTIVE_EXTENSIONS`]): such an attachment must be served as a download.
pub fn is_active(name: &str) -> bool {
    extension(name).is_some_and(|ext| ACTIVE_EXTENSIONS.contains(&ext.as_str()))
}

/// Whether a web server might execute a file of this name or read it as its configuration.
pub fn is_server_side(name: &str) -> bool {
    SERVER_CONFIG_NAMES.contains(&folded(name).as_str())
        || extension(name).is_some_and(|ext| SERVER_EXTENSIONS.contains(&ext.as_str()))
}

/// Why an entry's URL segment cannot be used: an entry named like a generated file (the file
/// `index.html.md` would be the folder `index.html/` beside the item's own `index.html`).
pub fn slug_problem(slug: &str) -> Option<String> {
    let taken = generated_name(slug)?;
    Some(format!(
        "条目名“{slug}”与网站生成的文件“{taken}”同名（不区分大小写），生成的网址会冲突。"
    ))
}

/// What is wrong with an attachment named `name`, and how to fix it.
pub fn attachment_problem(name: &str, allow_active: bool) -> Option<(String, String)> {
    if let Some(taken) = generated_name(name) {
        return Some((
            format!(
                "附件“{name}”与网站生成的文件“{taken}”同名（不区分大小写），发布后会顶替网站自己的网页或数据文件。"
            ),
            format!("给附件改一个名字（如“附件-{name}”）。附件只作为文件供下载，不能充当网页。"),
        ));
    }
    let zip_it =
        "请转换为 PDF（如用浏览器或办公软件“打印 → 另存为 PDF”），或压缩成 .zip 文件后再作为附件";
    if is_server_side(name) {
        return Some((
            format!(
                "附件“{name}”是网站服务器会直接执行的脚本或配置文件（如 PHP、ASP、JSP、SSI、web.config），发布后可能在服务器上运行。"
            ),
            format!("{zip_it}。"),
        ));
    }
    if is_active(name) && !allow_active {
        return Some((
            format!(
                "附件“{name}”是网页、矢量图、XML 或脚本类文件，读者打开时浏览器会运行其中的脚本，等于让它以政府网站的名义运行。"
            ),
            format!(
                "{zip_it}。确需原样发布的，在 site.toml 中写 active_attachments = true，并按 docs/hosting.md 配置网站服务器，让这类文件只能下载、不在浏览器中打开。"
            ),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_names_match_in_any_case_and_with_windows_trailing_dots() {
        for name in [
            "index.html",
            "INDEX.HTML",
            "Index.html",
            "index.html.",
            "index.html ",
            "Feed.XML",
            "sitemap-3.xml",
            "catalog.CSV",
        ] {
            assert!(generated_name(name).is_some(), "{name}");
        }
        for name in [
            "index.htm",
            "index.html.zip",
            "sitemap-.xml",
            "sitemap-a.xml",
            "名单.csv",
        ] {
            assert!(generated_name(name).is_none(), "{name}");
        }
    }

    #[test]
    fn active_and_server_side_types() {
        assert!(is_active("说明.HTML") && is_active("图.svg") && is_active("a.js."));
        assert!(!is_active("名单.csv") && !is_active("公示.pdf") && !is_active("html"));
        assert!(
            is_server_side("a.php") && is_server_side("Web.Config") && is_server_side("a.shtml")
        );
        assert!(!is_server_side("a.pdf"));
        assert!(attachment_problem("a.html", true).is_none());
        assert!(attachment_problem("a.html", false).is_some());
        assert!(attachment_problem("a.php", true).is_some());
        assert!(attachment_problem("index.html", true).is_some());
    }
}
