//! The print HTML (`<unit>/book/index.html`): the same book as the PDF as one self-contained
//! page: inline print CSS (A4 portrait, each domain on a new page, running header and page
//! numbers where the browser supports page margin boxes), QR codes as inline SVG, no script.
//! Published with the site when `build` writes the guides, it carries what every page of a
//! government site carries: the `SiteName`, `SiteDomain`, `SiteIDCode`, `ColumnName` and
//! `ColumnType` tags, a skip link, its 更新时间 and the 网站标识码.

use super::content::{Book, BookDomain, BookEntry, BookItem};
use super::qr;
use crate::render::theme::escape_html as escape;
use std::fmt::Write as _;

/// A CSS string literal: every ASCII character except letters and digits is hex-escaped, so
/// nothing in it can end the string, the rule or the `<style>` element.
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || (!c.is_ascii() && !c.is_control()) {
            out.push(c);
        } else {
            let _ = write!(out, "\\{:x} ", u32::from(c));
        }
    }
    out.push('"');
    out
}

const STYLE: &str = r#"
@page { size: A4 portrait; margin: 22mm 16mm 20mm; }
@page :first { @top-left { content: none; } @bottom-left { content: none; } @bottom-right { content: none; } }
* { box-sizing: border-box; }
html { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", SimSun, serif; font-size: 10.5pt; line-height: 1.65; color: #111; background: #fff; }
body { margin: 0 auto; max-width: 190mm; padding: 0 4mm; }
h1, h2, h3, th, .sans, .cover, nav { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; }
a { color: #1a4f8b; overflow-wrap: anywhere; }
.grey { color: #555; }
.cover { text-align: center; min-height: 250mm; display: flex; flex-direction: column; align-items: center; padding-top: 18mm; }
.cover .unit { font-size: 15pt; letter-spacing: .15em; }
.cover h1 { font-size: 24pt; line-height: 1.4; margin: 18mm 0 6mm; }
.cover h1 span { display: block; }
.cover .spacer { flex: 1; }
.cover svg { width: 40mm; height: 40mm; }
.cover .publisher { font-size: 14pt; margin-top: 12mm; }
nav.toc { break-before: page; }
nav.toc a { color: inherit; text-decoration: none; }
nav.toc ol { list-style: none; padding-left: 0; }
nav.toc > ol > li { font-weight: bold; margin-top: 2mm; }
nav.toc ol ol { padding-left: 2em; font-weight: normal; font-size: 9pt; }
section.part { break-before: page; }
h2 { font-size: 17pt; margin: 0 0 3mm; }
h3 { font-size: 11.5pt; margin: 5mm 0 2mm; break-after: avoid; }
.part-meta { font-size: 9pt; margin-bottom: 4mm; }
table.catalogue { width: 100%; border-collapse: collapse; table-layout: fixed; font-family: "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; font-size: 7.5pt; line-height: 1.35; }
table.catalogue th, table.catalogue td { border: .4pt solid #777; padding: 3pt 2pt; vertical-align: top; overflow-wrap: anywhere; }
table.catalogue th { background: #e8e8e8; vertical-align: middle; }
table.catalogue thead { display: table-header-group; }
table.catalogue tr { break-inside: avoid; }
.c-no { width: 7mm; text-align: center; } .c-l1 { width: 14mm; } .c-l2 { width: 17mm; } .c-basis { width: 9mm; text-align: center; } .c-aud { width: 13mm; }
.c-content { width: 28%; }
.bases { font-size: 8pt; margin-top: 2mm; }
.bases p { margin: 1mm 0; }
article.item { display: grid; grid-template-columns: 1fr 21mm; column-gap: 5mm; }
article.item h3 { grid-column: 1 / -1; }
.item-meta { font-size: 8.5pt; }
.entry { margin-top: 2.6mm; break-inside: avoid; }
.entry .title { font-weight: bold; }
.entry .meta { font-size: 8.5pt; }
.entry .summary { font-size: 9.5pt; }
.omitted { font-size: 9pt; margin-top: 2.6mm; }
.upper { font-size: 9pt; font-weight: bold; margin: 3.2mm 0 0; }
ul.without { font-size: 9pt; padding-left: 0; list-style: none; }
ul.without li { margin: 1mm 0; }
figure.qr { margin: 0; text-align: center; font-size: 7pt; break-inside: avoid; }
figure.qr svg { width: 20mm; height: 20mm; display: block; margin: 0 auto; }
table.contact { border-collapse: collapse; width: 100%; }
table.contact th, table.contact td { border: .4pt solid #777; padding: 3mm; text-align: left; vertical-align: top; }
table.contact th { width: 26mm; }
.note { border: .4pt solid #aaa; padding: 3mm; font-size: 9pt; margin-top: 6mm; }
@media screen { .cover, section.part, nav.toc { border-bottom: 1px dashed #bbb; padding-bottom: 8mm; margin-bottom: 8mm; } }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: 2mm; }
.skip:focus { left: 2mm; }
@media print { .skip { display: none; } }
"#;

/// The print page of `book`.
pub fn page(book: &Book) -> String {
    let mut h = String::with_capacity(64 * 1024);
    let e = escape;
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"gongkai\">\n<title>{title}</title>\n\
         <meta name=\"SiteName\" content=\"{site}\">\n<meta name=\"SiteDomain\" content=\"{domain}\">\n\
         <meta name=\"SiteIDCode\" content=\"{code}\">\n<meta name=\"ColumnName\" content=\"{column}\">\n\
         <meta name=\"ColumnType\" content=\"基层政务公开标准化规范化\">\n<style>{STYLE}\
         @page {{ @top-left {{ content: {running}; font-size: 8pt; color: #555; }} \
         @bottom-left {{ content: {updated}; font-size: 8pt; color: #555; }} \
         @bottom-right {{ content: \"第 \" counter(page) \" 页 / 共 \" counter(pages) \" 页\"; font-size: 8pt; color: #555; }} }}\n\
         </style>\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">跳到正文</a>\n<main id=\"main\">\n",
        title = e(&book.title),
        site = e(&book.site_title),
        domain = e(&book.site_domain),
        code = e(&book.site_id_code),
        column = e(&format!("{}办事一本通", book.unit_name)),
        running = css_string(&format!("{} · 基层政务公开办事一本通", book.unit_name)),
        updated = css_string(&format!("更新时间：{}", book.updated)),
    );
    cover(&mut h, book);
    toc(&mut h, book);
    for domain in &book.domains {
        part(&mut h, domain);
    }
    closing(&mut h, book);
    h.push_str("</main>\n</body>\n</html>\n");
    h
}

fn cover(h: &mut String, book: &Book) {
    let e = escape;
    let _ = write!(
        h,
        "<header class=\"cover\">\n<div class=\"unit\">{unit}</div>\n\
         <h1><span>{l1}</span><span>{l2}</span></h1>\n\
         <div class=\"grey\">{level}政务公开事项标准目录 · 现行有效信息 · 联系方式</div>\n\
         <div class=\"spacer\"></div>\n{qr}\n<div class=\"sans\">扫码访问{unit}基层政务公开专栏</div>\n\
         <div class=\"grey\"><a href=\"{url}\">{url}</a></div>\n\
         <div class=\"publisher\">{publisher}</div>\n<div>更新时间：{updated}</div>\n\
         <div class=\"grey\">本书内容更新至 {content_date}，依据公开事项标准目录和网上专栏已公开的信息编印{upper}</div>\n</header>\n",
        unit = e(&book.unit_name),
        l1 = e(&book.title_lines[0]),
        l2 = e(&book.title_lines[1]),
        level = e(book.level),
        qr = qr::inline_svg(
            &book.qr,
            &format!("{}基层政务公开专栏二维码", book.unit_name)
        ),
        url = e(&book.url),
        publisher = e(&book.publisher),
        updated = e(&book.updated),
        content_date = e(&book.content_date),
        upper = if book.upper.is_empty() {
            String::new()
        } else {
            format!(
                "<br>各事项下一并收录{}发布的、适用于本地居民的现行有效信息",
                e(&book.upper.join("、"))
            )
        },
    );
}

fn domain_anchor(domain: &BookDomain) -> String {
    format!("d-{}", domain.id)
}

fn item_anchor(domain: &BookDomain, item: &BookItem) -> String {
    format!("i-{}-{}", domain.id, item.id)
}

fn toc(h: &mut String, book: &Book) {
    h.push_str("<nav class=\"toc\" aria-label=\"目录\">\n<h2>目录</h2>\n<ol>\n");
    for d in &book.domains {
        let _ = write!(
            h,
            "<li><a href=\"#{}\">{}、{}</a>\n<ol>\n",
            escape(&domain_anchor(d)),
            escape(&d.number),
            escape(&d.name)
        );
        for item in d.items.iter().filter(|i| i.current) {
            let _ = writeln!(
                h,
                "<li><a href=\"#{}\">{}. {}</a></li>",
                escape(&item_anchor(d, item)),
                item.no,
                escape(&item.heading)
            );
        }
        h.push_str("</ol></li>\n");
    }
    h.push_str("<li><a href=\"#contact\">联系方式与依申请公开</a></li>\n</ol>\n</nav>\n");
}

fn part(h: &mut String, d: &BookDomain) {
    let e = escape;
    let _ = write!(
        h,
        "<section class=\"part\" id=\"{anchor}\">\n<h2>{number}、{name}</h2>\n\
         <p class=\"part-meta grey\">标准指引：{guideline}（{issuer}）<br>{updated}网上专栏：<a href=\"{url}\">{url}</a></p>\n",
        anchor = e(&domain_anchor(d)),
        number = e(&d.number),
        name = e(&d.name),
        guideline = e(&d.guideline),
        issuer = e(&d.issuer),
        // A domain where nothing was published has no update time to show (never “暂无”).
        updated = d
            .updated
            .as_ref()
            .map(|u| format!("本领域更新时间：{}　", e(u)))
            .unwrap_or_default(),
        url = e(&d.url),
    );
    if let Some(basis) = &d.basis_common {
        let _ = writeln!(
            h,
            "<p class=\"bases\">公开依据（本领域各事项相同）：{}</p>",
            e(basis)
        );
    }
    catalogue(h, d);
    if d.basis_common.is_none() {
        h.push_str("<div class=\"bases\"><p><strong>公开依据：</strong></p>\n");
        for b in &d.bases {
            let _ = writeln!(h, "<p>{} {}</p>", e(&b.mark), e(&b.text));
        }
        h.push_str("</div>\n");
    }
    for item in d.items.iter().filter(|i| i.current) {
        item_block(h, d, item);
    }
    let without: Vec<&BookItem> = d.items.iter().filter(|i| !i.current).collect();
    if !without.is_empty() {
        let _ = writeln!(
            h,
            "<h3 class=\"without\">暂无现行有效信息的事项（{} 项）</h3>\n<ul class=\"without\">",
            without.len()
        );
        for item in without {
            let why = if let Some(reason) = &item.exempt {
                format!("本级不涉及：{}", e(reason))
            } else if item.omitted > 0 {
                format!(
                    "暂无现行有效信息（另有 {} 条已失效或废止，见 <a href=\"{url}\">{url}</a>）",
                    item.omitted,
                    url = e(&item.url)
                )
            } else {
                "本级暂无公开信息".to_owned()
            };
            let _ = writeln!(h, "<li>{}. {}——{why}</li>", item.no, e(&item.heading));
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</section>\n");
}

fn catalogue(h: &mut String, d: &BookDomain) {
    let e = escape;
    let has_basis = d.basis_common.is_none();
    let _ = write!(
        h,
        "<table class=\"catalogue\">\n<caption class=\"sans\" style=\"text-align:left;font-size:9pt\">{}政务公开事项标准目录（本级适用）</caption>\n<thead><tr>\
         <th class=\"c-no\">序号</th><th class=\"c-l1\">一级事项</th><th class=\"c-l2\">二级事项</th>\
         <th class=\"c-content\">公开内容（要素）</th>{}<th>公开时限</th><th>公开主体</th><th>公开渠道和载体</th>\
         <th class=\"c-aud\">公开对象<br>公开方式</th></tr></thead>\n<tbody>\n",
        e(&d.name),
        if has_basis {
            "<th class=\"c-basis\">公开依据</th>"
        } else {
            ""
        }
    );
    for item in &d.items {
        let _ = write!(h, "<tr><td class=\"c-no\">{}</td>", item.no);
        if item.level1_span > 0 {
            let _ = write!(
                h,
                "<td rowspan=\"{}\">{}</td>",
                item.level1_span,
                e(&item.level1)
            );
        }
        let _ = write!(h, "<td>{}", e(&item.level2));
        if item.local {
            h.push_str("<br><span class=\"grey\">（本级补充事项）</span>");
        }
        if item.exempt.is_some() {
            h.push_str("<br><span class=\"grey\">（本级不涉及）</span>");
        }
        let _ = write!(h, "</td><td>{}</td>", e(&item.content));
        if has_basis {
            let _ = write!(h, "<td class=\"c-basis\">{}</td>", e(&item.basis_mark));
        }
        let _ = write!(h, "<td>{}</td><td>{}", e(&item.deadline), e(&item.subject));
        for (k, v) in &item.extra {
            let _ = write!(h, "<br>{}：{}", e(k), e(v));
        }
        let _ = writeln!(
            h,
            "</td><td>{}</td><td>{}<br>{}</td></tr>",
            e(&item.channels),
            e(&item.audience),
            e(&item.mode)
        );
    }
    h.push_str("</tbody>\n</table>\n");
}

fn item_block(h: &mut String, d: &BookDomain, item: &BookItem) {
    let e = escape;
    let _ = write!(
        h,
        "<article class=\"item\" id=\"{anchor}\">\n<h3>{no}. {heading}</h3>\n<div>\n\
         <div class=\"item-meta grey\">公开时限：{deadline}{updated}</div>\n",
        anchor = e(&item_anchor(d, item)),
        no = item.no,
        heading = e(&item.heading),
        deadline = e(&item.deadline),
        // Items shown only with the county's entries have no update of the unit's own.
        updated = item
            .updated
            .as_ref()
            .map(|u| format!("　更新时间：{}", e(u)))
            .unwrap_or_default(),
    );
    if let Some(reason) = &item.exempt {
        let _ = writeln!(h, "<p class=\"entry\">本级不涉及：{}</p>", e(reason));
    } else if item.entries.is_empty() {
        h.push_str("<p class=\"entry\">本级暂无现行有效的公开信息。</p>\n");
    } else {
        for entry in &item.entries {
            entry_block(h, entry, false);
        }
    }
    for group in &item.upper {
        let _ = writeln!(
            h,
            "<p class=\"upper sans\">{}发布（适用于本地居民）：</p>",
            e(&group.unit)
        );
        for entry in &group.entries {
            entry_block(h, entry, true);
        }
    }
    if item.omitted > 0 {
        let _ = writeln!(
            h,
            "<p class=\"omitted grey\">另有 {} 条已失效或废止的信息未收入本书，请扫码或访问 <a href=\"{url}\">{url}</a> 查看。</p>",
            item.omitted,
            url = e(&item.url)
        );
    }
    let _ = write!(
        h,
        "</div>\n<figure class=\"qr\">{}<figcaption class=\"grey\">扫码查看本事项</figcaption></figure>\n</article>\n",
        qr::inline_svg(&item.qr, &format!("{}二维码：{}", item.heading, item.url))
    );
}

/// One entry; `upper`: published by a unit above, so its 发布机构 is shown.
fn entry_block(h: &mut String, entry: &BookEntry, upper: bool) {
    let e = escape;
    let mut meta = Vec::new();
    if upper {
        meta.push(format!("发布机构：{}", e(&entry.publisher)));
    }
    if let Some(doc_no) = &entry.doc_no {
        meta.push(format!("文号：{}", e(doc_no)));
    }
    meta.push(format!("发布日期：{}", e(&entry.published)));
    if let Some(updated) = &entry.updated {
        meta.push(format!("变更日期：{}", e(updated)));
    }
    meta.push(format!("索引号：{}", e(&entry.index_no)));
    let _ = write!(
        h,
        "<div class=\"entry\"><div class=\"title\">{}</div><div class=\"meta grey\">{}</div>",
        e(&entry.title),
        meta.join("　")
    );
    if let Some(summary) = &entry.summary {
        let _ = write!(h, "<div class=\"summary\">{}</div>", e(summary));
    }
    for line in &entry.related {
        let _ = write!(h, "<div class=\"meta\">{}</div>", e(line));
    }
    h.push_str("</div>\n");
}

fn closing(h: &mut String, book: &Book) {
    let e = escape;
    let c = &book.contact;
    h.push_str("<section class=\"part\" id=\"contact\">\n<h2>联系方式与依申请公开</h2>\n<h3>联系方式</h3>\n<table class=\"contact\">\n");
    let mut rows = vec![("受理机构", c.publisher.as_str())];
    if let Some(a) = &c.address {
        rows.push(("地址", a));
    }
    if let Some(p) = &c.phone {
        rows.push(("电话", p));
    }
    if let Some(t) = &c.hours {
        rows.push(("办公时间", t));
    }
    if let Some(f) = &c.fax {
        rows.push(("传真", f));
    }
    if let Some(m) = &c.email {
        rows.push(("电子邮箱", m));
    }
    for (k, v) in rows {
        let _ = writeln!(h, "<tr><th scope=\"row\">{k}</th><td>{}</td></tr>", e(v));
    }
    for (k, url) in [
        ("网上专栏", &book.url),
        ("政府信息公开指南", &c.guide_url),
        ("依申请公开和申请表", &c.apply_url),
    ] {
        let _ = writeln!(
            h,
            "<tr><th scope=\"row\">{k}</th><td><a href=\"{url}\">{url}</a></td></tr>",
            url = e(url)
        );
    }
    h.push_str("</table>\n");
    let _ = write!(
        h,
        "<h3>依申请公开</h3>\n<p>除本书所列主动公开的信息外，公民、法人或者其他组织可以依照《中华人民共和国政府信息公开条例》，向{}申请获取相关政府信息。</p>\n<ol>\n",
        e(&c.publisher)
    );
    for (k, v) in book.apply_steps {
        let _ = writeln!(h, "<li><strong>{k}</strong>：{v}</li>");
    }
    h.push_str("</ol>\n");
    let on_request: Vec<String> = book
        .domains
        .iter()
        .flat_map(|d| {
            d.items
                .iter()
                .filter(|i| i.mode == crate::model::Mode::OnRequest.label())
                .map(move |i| format!("{} · {}", d.name, i.heading))
        })
        .collect();
    if !on_request.is_empty() {
        h.push_str("<p><strong>本书中公开方式为“依申请”的事项：</strong></p>\n<ul>\n");
        for name in on_request {
            let _ = writeln!(h, "<li>{}</li>", e(&name));
        }
        h.push_str("</ul>\n");
    }
    let t = book.totals;
    let upper = if book.upper.is_empty() {
        String::new()
    } else {
        format!(
            "，以及{}发布的适用于本地居民的信息 {} 条",
            e(&book.upper.join("、")),
            t.upper_entries
        )
    };
    let _ = write!(
        h,
        "<p class=\"note grey\">本书收录{unit}适用的公开事项 {items} 项（其中本级不涉及 {exempt} 项，暂无现行有效信息 {without} 项）、\
         本级现行有效信息 {entries} 条{upper}；本级已失效或废止的 {omitted} 条信息未收入，可在网上专栏查阅。\
         本书与{site}（网站标识码：{code}）由同一目录生成，内容更新至 {content_date}；印制后如有更新，以网上专栏为准。</p>\n</section>\n",
        unit = e(&book.unit_name),
        items = t.items,
        exempt = t.exempt,
        without = t.without,
        entries = t.entries,
        omitted = t.omitted,
        site = e(&book.site_title),
        code = e(&book.site_id_code),
        content_date = e(&book.content_date),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn css_strings_cannot_break_out() {
        let s = css_string("示例\"; } </style><script>");
        assert!(!s[1..s.len() - 1].contains(['"', '<', '>', '}', ';']));
        assert!(s.starts_with("\"示例\\22 "));
    }
}
