//! `gongkai book`: the printed 办事一本通, checked the way a reader would check it: the PDF opens
//! (poppler's pdfinfo), its text (pdftotext) has the cover title and every applicable item, its
//! bookmarks exist (pdftohtml -xml), its QR codes decode (pdftoppm + rqrr) to the right pages, two
//! runs give the same bytes, and without a Chinese font it refuses with a message saying what to
//! install. Needs poppler-utils and fonts-noto-cjk (Debian).

use chrono::NaiveDate;
use gongkai::book::{BookOptions, write_books, write_books_with_fonts};
use gongkai::model::Level;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const TOWN: &str = "shiqu/shizhen";
const BASE: &str = "https://www.example.gov.cn/jczwgk/";

fn sample_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog")
}

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 30).expect("valid date")
}

fn options(root: &Path, out: &Path, units: &[&str]) -> BookOptions {
    BookOptions {
        wait: true,
        root: root.to_path_buf(),
        out: out.to_path_buf(),
        units: units.iter().map(|s| (*s).to_owned()).collect(),
        as_of: as_of(),
    }
}

/// The township's book, built once for the tests that only read it.
fn town_book() -> &'static Path {
    static OUT: OnceLock<tempfile::TempDir> = OnceLock::new();
    OUT.get_or_init(|| {
        let out = tempfile::tempdir().expect("temp dir");
        let report = write_books(&options(&sample_root(), out.path(), &[TOWN])).expect("book");
        assert_eq!(report.books.len(), 1);
        assert_eq!(report.books[0].0, TOWN);
        out
    })
    .path()
}

fn tool(name: &str, args: &[&str]) -> String {
    let output = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("{name} 无法运行（{e}）：请安装 poppler-utils（apt-get install poppler-utils）")
    });
    assert!(
        output.status.success(),
        "{name} {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn pdf_text(pdf: &Path) -> String {
    tool("pdftotext", &[pdf.to_str().expect("utf-8 path"), "-"])
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn page_count(pdf: &Path) -> usize {
    let info = tool("pdfinfo", &[pdf.to_str().expect("utf-8 path")]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo prints Pages:")
}

/// The sample catalog, for the applicable items of a unit.
fn catalog() -> gongkai::model::Catalog {
    let (catalog, diags) = gongkai::pipeline::load_and_validate(&sample_root(), as_of());
    catalog.unwrap_or_else(|| panic!("sample catalog has errors: {diags:?}"))
}

/// Renders one page to PNG at `dpi` and returns every QR code on it, decoded.
fn qr_codes_on_page(pdf: &Path, page: usize, dpi: u32) -> Vec<String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let prefix = dir.path().join("p");
    let page = page.to_string();
    tool(
        "pdftoppm",
        &[
            "-r",
            &dpi.to_string(),
            "-f",
            &page,
            "-l",
            &page,
            "-singlefile",
            "-gray",
            "-png",
            pdf.to_str().expect("utf-8 path"),
            prefix.to_str().expect("utf-8 path"),
        ],
    );
    let img = image::open(dir.path().join("p.png"))
        .expect("pdftoppm wrote a PNG")
        .to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    prepared
        .detect_grids()
        .into_iter()
        .filter_map(|g| g.decode().ok().map(|(_, text)| text))
        .collect()
}

#[test]
fn the_attachment_scan_reads_a_typeset_pdf_as_poppler_does() {
    // A PDF with embedded, subset CJK fonts (as Typst, Word and WPS write them): the reader
    // the personal-number scan uses gets the same text as pdftotext, page for page.
    let pdf = town_book().join(TOWN).join("book.pdf");
    let pages = gongkai::privacy::pdf::pages_text(
        std::fs::read(&pdf).expect("book"),
        &gongkai::model::Limits::default(),
    )
    .expect("readable");
    assert_eq!(pages.len(), page_count(&pdf));
    let ours = squash(&pages.concat());
    let poppler = squash(&pdf_text(&pdf));
    for line in [
        "《示例镇基层政务公开事项标准目录暨办事一本通》",
        "示例镇人民政府",
        "0000-12345601",
    ] {
        assert!(ours.contains(line), "{line} not read");
    }
    // The same characters, each as often (the order differs where pdftotext lays table
    // columns out side by side), except that pdftotext drops the hyphen of a word broken at a
    // line's end and adds word joiners (U+2060) before page numbers.
    let count = |s: &str| {
        let mut counts = std::collections::BTreeMap::<char, i64>::new();
        for c in s.chars().filter(|&c| c != '\u{2060}') {
            *counts.entry(c).or_default() += 1;
        }
        counts
    };
    let (ours, poppler) = (count(&ours), count(&poppler));
    let differ: Vec<(char, i64)> = ours
        .keys()
        .chain(poppler.keys())
        .map(|&c| {
            (
                c,
                ours.get(&c).unwrap_or(&0) - poppler.get(&c).unwrap_or(&0),
            )
        })
        .filter(|&(c, n)| n != 0 && !(c == '-' && n > 0))
        .collect();
    assert!(
        differ.is_empty(),
        "read differently from pdftotext: {differ:?}"
    );
}

#[test]
fn township_book_has_cover_every_item_and_a_sensible_length() {
    let pdf = town_book().join(TOWN).join("book.pdf");
    let pages = page_count(&pdf);
    assert!((25..=90).contains(&pages), "unexpected page count {pages}");
    let text = squash(&pdf_text(&pdf));
    assert!(text.contains("《示例镇基层政务公开事项标准目录暨办事一本通》"));
    assert!(text.contains("示例镇人民政府"));
    assert!(
        text.contains("0000-12345601"),
        "contact phone in the closing section"
    );
    assert!(text.contains("依申请公开"));
    let catalog = catalog();
    let unit = catalog.units.iter().find(|u| u.path == TOWN).expect("town");
    assert_eq!(unit.level, Level::Township);
    let mut checked = 0;
    for domain in &catalog.standard.domains {
        for item in domain.items.iter().filter(|i| i.applies_to(unit.level)) {
            assert!(
                text.contains(&squash(&item.level2)),
                "{}/{}: 二级事项 {} missing",
                domain.id,
                item.id,
                item.level2
            );
            checked += 1;
        }
        assert!(
            text.contains(&squash(&domain.name))
                || !domain.items.iter().any(|i| i.applies_to(unit.level))
        );
    }
    assert!(checked > 100, "only {checked} items applied");
    // Every current entry is printed with its title (an expired one only as a count and a link).
    for e in unit
        .entries
        .iter()
        .filter(|e| e.validity_at(as_of()) == gongkai::model::Validity::Valid)
    {
        assert!(
            text.contains(&squash(&e.title)),
            "entry {} missing",
            e.title
        );
    }
    // A county-only item is not in a township's book.
    let county_only = catalog
        .standard
        .domains
        .iter()
        .flat_map(|d| d.items.iter())
        .find(|i| !i.applies_to(Level::Township) && i.level2.chars().count() > 6);
    if let Some(item) = county_only {
        let applicable_same_name = catalog
            .standard
            .domains
            .iter()
            .flat_map(|d| d.items.iter())
            .any(|i| i.applies_to(Level::Township) && i.level2 == item.level2);
        if !applicable_same_name {
            assert!(
                !text.contains(&squash(&item.level2)),
                "{} is county-only",
                item.level2
            );
        }
    }
}

#[test]
fn township_book_has_bookmarks_for_domains_and_items() {
    let pdf = town_book().join(TOWN).join("book.pdf");
    let xml = tool(
        "pdftohtml",
        &[
            "-xml",
            "-stdout",
            "-i",
            "-q",
            pdf.to_str().expect("utf-8 path"),
        ],
    );
    let items = xml.matches("<item").count();
    assert!(xml.contains("<outline"), "no outline in the PDF");
    assert!(xml.contains("社会救助"), "no domain bookmark");
    assert!(xml.contains("最低生活保障 · 审批信息"), "no item bookmark");
    // A bookmark per domain and per item with information in force (the others are one line
    // each in their domain's list), besides the contents and the closing section.
    let book = town_content();
    let current: usize = book.domains.iter().map(|d| d.current).sum();
    assert!(current >= 10, "only {current} items with information");
    let item_marks = xml
        .lines()
        .filter(|l| {
            l.starts_with("<item")
                && l.split('>')
                    .nth(1)
                    .is_some_and(|t| t.starts_with(|c: char| c.is_ascii_digit()))
        })
        .count();
    assert_eq!(item_marks, current, "{xml}");
    assert!(
        items > book.domains.len() + current,
        "only {items} bookmarks"
    );
}

/// The township's book content, as `gongkai book` decides it.
fn town_content() -> gongkai::book::content::Book {
    let catalog = catalog();
    let u = catalog
        .units
        .iter()
        .position(|u| u.path == TOWN)
        .expect("town");
    gongkai::book::content::book(&catalog, u, as_of())
}

#[test]
fn township_book_qr_codes_decode_to_the_online_pages() {
    let pdf = town_book().join(TOWN).join("book.pdf");
    let cover = qr_codes_on_page(&pdf, 1, 150);
    assert_eq!(cover, vec![format!("{BASE}{TOWN}/")]);

    // An item page: find the page that prints the item's heading, then decode its codes.
    let text_pages: Vec<String> = pdf_text(&pdf).split('\u{c}').map(squash).collect();
    let page = text_pages
        .iter()
        .position(|t| t.contains("最低生活保障·审批信息") && t.contains("扫码查看本事项"))
        .expect("the page of 最低生活保障 · 审批信息")
        + 1;
    // The item's page and its neighbours (the county's 低保 policy item, set before it, may
    // fall on the page before).
    let codes: Vec<String> = (page - 1..=page + 1)
        .flat_map(|p| qr_codes_on_page(&pdf, p, 300))
        .collect();
    let expected = format!("{BASE}{TOWN}/shehui-jiuzhu/dibao-shenpi/");
    assert!(
        codes.contains(&expected),
        "page {page}: decoded {codes:?}, expected {expected}"
    );
    // The town's own items lead to its pages; items where only the county published lead to
    // the county's page of the item (the town has none).
    for code in &codes {
        assert!(code.starts_with(&format!("{BASE}shiqu/")), "{code}");
    }
    assert!(
        codes.contains(&format!("{BASE}shiqu/shehui-jiuzhu/dibao-zhengce/")),
        "page {page}: {codes:?}"
    );
}

#[test]
fn items_without_information_are_one_line_each_without_a_qr_code() {
    let text = pdf_text(&town_book().join(TOWN).join("book.pdf"));
    let book = town_content();
    let current: usize = book.domains.iter().map(|d| d.current).sum();
    let without: usize = book.domains.iter().map(|d| d.items.len() - d.current).sum();
    assert_eq!(without, book.totals.without);
    assert!(without > 140, "{without} items without information");
    // One QR caption per item with information: none for the rest.
    assert_eq!(squash(&text).matches("扫码查看本事项").count(), current);
    // Each item without information is one entry of its domain's list (a long item name may
    // wrap, so the marks are counted in the text with line breaks removed).
    let flat = squash(&text);
    let lines = flat.matches("——本级暂无公开信息").count()
        + flat.matches("——本级不涉及").count()
        + flat.matches("——暂无现行有效信息（另有").count();
    assert_eq!(lines, without, "{text}");
    assert!(!squash(&text).contains("本级暂无现行有效的公开信息。扫码"));
    let html = std::fs::read_to_string(town_book().join(TOWN).join("book/index.html"))
        .expect("print page");
    assert_eq!(html.matches("<figure class=\"qr\">").count(), current);
    assert_eq!(
        html.matches("——本级暂无公开信息</li>").count()
            + html.matches("——本级不涉及").count()
            + html.matches("——暂无现行有效信息（另有").count(),
        without
    );
}

#[test]
fn a_towns_book_has_the_countys_dibao_standard_marked_as_the_countys() {
    let text = squash(&pdf_text(&town_book().join(TOWN).join("book.pdf")));
    let title = "示例区民政局关于公布2025年城乡最低生活保障标准的公告";
    let at = text
        .find(title)
        .expect("the county's 低保 standard in the town's book");
    // The nearest label before it names the county, and its 发布机构 follows.
    let label = "发布（适用于本地居民）：";
    let before = &text[..at];
    let labelled = before.rfind(label).expect("a label before it");
    assert!(
        before[..labelled].ends_with("示例区（县级）"),
        "{}",
        &before[labelled.saturating_sub(60)..]
    );
    assert!(text[at..].starts_with(&format!("{title}发布机构：示例区民政局")));
    // Also the county's 低保 办事指南, and the cover says whose information is included.
    assert!(text.contains("示例区最低生活保障办事指南"));
    assert!(text.contains("各事项下一并收录示例区（县级）发布的"));
    // Not the county's expired or repealed documents (named only where the document replacing
    // them says so), nor its county-only items.
    for replaced in [
        "示例区民政局关于调整2024年城乡最低生活保障标准的公告",
        "示例区最低生活保障审核确认办法（试行）",
    ] {
        assert_eq!(
            text.matches(replaced).count(),
            text.matches(&format!("替代：《{replaced}》")).count(),
            "{replaced}"
        );
    }
    assert!(!text.contains("示例区2024年高龄津贴发放标准"));
    let html = std::fs::read_to_string(town_book().join(TOWN).join("book/index.html"))
        .expect("print page");
    assert!(html.contains("示例区（县级）发布（适用于本地居民）："));
    assert!(html.contains("发布机构：示例区民政局"));
}

#[test]
fn the_standards_maintainers_notes_never_appear_in_a_book() {
    let catalog = catalog();
    let notes: Vec<String> = catalog
        .standard
        .domains
        .iter()
        .filter_map(|d| d.notes.as_deref())
        .flat_map(|n| n.split('。'))
        .map(squash)
        .filter(|sentence| sentence.chars().count() >= 10)
        .collect();
    assert!(notes.len() > 50, "the sample standard has notes");
    let out = tempfile::tempdir().expect("temp dir");
    write_books(&options(&sample_root(), out.path(), &["shiqu", TOWN])).expect("books");
    for unit in ["shiqu", TOWN] {
        let text = squash(&pdf_text(&out.path().join(unit).join("book.pdf")));
        let html = squash(
            &std::fs::read_to_string(out.path().join(unit).join("book/index.html"))
                .expect("print page"),
        );
        for sentence in &notes {
            assert!(
                !text.contains(sentence),
                "{unit}: note in the PDF: {sentence}"
            );
            assert!(
                !html.contains(sentence),
                "{unit}: note in the print page: {sentence}"
            );
        }
    }
}

#[test]
fn print_html_is_self_contained_and_matches() {
    let html = std::fs::read_to_string(town_book().join(TOWN).join("book/index.html"))
        .expect("book/index.html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<html lang=\"zh-CN\">"));
    assert!(html.contains("@page"));
    assert!(html.contains("size: A4 portrait"));
    assert!(!html.contains("<script"), "no JavaScript");
    assert!(!html.contains("<link "), "no external resources");
    assert!(
        !html.contains("<?xml"),
        "inline SVG without XML declarations"
    );
    assert!(html.contains("<svg"));
    assert!(html.contains("示例镇基层政务公开事项标准目录"));
    assert!(html.contains("示例镇2025年4月新增最低生活保障对象名单公布"));
}

#[test]
fn two_runs_give_identical_bytes() {
    let again = tempfile::tempdir().expect("temp dir");
    write_books(&options(&sample_root(), again.path(), &[TOWN])).expect("book");
    for file in ["book.pdf", "book/index.html"] {
        let a = std::fs::read(town_book().join(TOWN).join(file)).expect("first");
        let b = std::fs::read(again.path().join(TOWN).join(file)).expect("second");
        assert!(a == b, "{file} differs between runs");
    }
    let info = tool(
        "pdfinfo",
        &[again
            .path()
            .join(TOWN)
            .join("book.pdf")
            .to_str()
            .expect("utf-8")],
    );
    assert!(
        info.contains("Apr 10") && info.contains("2025"),
        "creation date: the newest change the book prints (2025-04-10): {info}"
    );
}

/// The book prints nothing that depends on the date it was made but what is in force then, so
/// an unchanged catalog gives the same book on another day (and `build` can keep it).
#[test]
fn a_later_as_of_with_nothing_expiring_gives_the_same_book() {
    let later = tempfile::tempdir().expect("temp dir");
    let mut opts = options(&sample_root(), later.path(), &[TOWN]);
    opts.as_of = NaiveDate::from_ymd_opt(2025, 7, 15).expect("date");
    write_books(&opts).expect("book");
    let a = std::fs::read(town_book().join(TOWN).join("book.pdf")).expect("first");
    let b = std::fs::read(later.path().join(TOWN).join("book.pdf")).expect("later");
    assert!(a == b, "the book changed with --as-of alone");
}

#[test]
fn county_book_leaves_out_expired_and_repealed_entries() {
    let out = tempfile::tempdir().expect("temp dir");
    let report = write_books(&options(&sample_root(), out.path(), &["shiqu"])).expect("book");
    assert_eq!(report.books.len(), 1);
    let text = squash(&pdf_text(&out.path().join("shiqu/book.pdf")));
    assert!(text.contains("《示例区基层政务公开事项标准目录暨办事一本通》"));
    // Expired, repealed: left out, and the item says where to find them.
    assert!(!text.contains("示例区民政局关于公布2023年城乡最低生活保障标准的通知"));
    // The repealed 试行 办法 is named only where its successor says what it replaced.
    assert_eq!(
        text.matches("示例区最低生活保障审核确认办法（试行）")
            .count(),
        1,
        "{text}"
    );
    assert!(text.contains(&squash(
        "本文件替代：《示例区最低生活保障审核确认办法（试行）》"
    )));
    // Past its expires date (2024-12-31) but still marked valid: 失效 at --as-of, not current.
    assert!(!text.contains("示例区2024年高龄津贴发放标准"));
    assert!(text.contains("示例区2025年高龄津贴发放标准"));
    assert!(text.contains("示例区民政局关于公布2025年城乡最低生活保障标准的公告"));
    assert!(text.contains("示例区最低生活保障审核确认办法"));
    assert!(text.contains("条已失效或废止的信息未收入本书"));
    // Relations are printed under the document, with 索引号 to find them on the site.
    assert!(text.contains(&squash(
        "相关解读：《示例区最低生活保障审核确认办法》政策解读（索引号 11999001MB0000001X/2024-00016）"
    )), "{text}");
    assert!(text.contains(&squash("实施日期：2024-06-01")));
    assert!(text.contains(&squash(&format!(
        "{BASE}shiqu/shehui-jiuzhu/dibao-zhengce/"
    ))));
    // Only the county's own book was written.
    assert!(!out.path().join(TOWN).exists());
}

#[test]
fn all_units_get_a_book() {
    let out = tempfile::tempdir().expect("temp dir");
    // Something already in the output folder (the site) stays.
    std::fs::write(out.path().join("index.html"), "site").expect("write");
    let report = write_books(&options(&sample_root(), out.path(), &[])).expect("books");
    let units: Vec<&str> = report.books.iter().map(|b| b.0.as_str()).collect();
    assert_eq!(
        units,
        [
            "shiqu",
            "shiqu/dongjie",
            "shiqu/hexiang",
            "shiqu/shizhen",
            "shiqu/shizhen/renmincun"
        ]
    );
    for (unit, size, pages) in &report.books {
        let pdf = out.path().join(unit).join("book.pdf");
        assert_eq!(std::fs::metadata(&pdf).expect("pdf").len(), *size);
        assert_eq!(page_count(&pdf), *pages);
        assert!(out.path().join(unit).join("book/index.html").is_file());
    }
    assert_eq!(
        std::fs::read_to_string(out.path().join("index.html")).expect("site"),
        "site"
    );
    let leftovers: Vec<_> = walk(out.path())
        .into_iter()
        .filter(|p| p.to_string_lossy().contains("gongkai-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        }
        out.push(p);
    }
    out
}

#[test]
fn without_a_chinese_font_it_refuses_and_says_what_to_install() {
    let out = tempfile::tempdir().expect("temp dir");
    let fonts = tempfile::tempdir().expect("temp dir");
    // A folder with a non-CJK "font" file in it must not count either.
    std::fs::write(fonts.path().join("broken.ttf"), b"not a font").expect("write");
    let err = write_books_with_fonts(
        &options(&sample_root(), out.path(), &[TOWN]),
        Some(&[fonts.path().to_path_buf()]),
    )
    .expect_err("no CJK font");
    let message = err.reason();
    assert!(message.contains("未找到可用的中文字体"), "{message}");
    assert!(
        message.contains("apt-get install fonts-noto-cjk"),
        "{message}"
    );
    assert!(message.contains("site.toml"), "{message}");
    assert!(message.contains("font_dir"), "{message}");
    assert!(!out.path().join(TOWN).exists(), "nothing written");
}

#[test]
fn unknown_unit_is_refused_with_a_suggestion() {
    let out = tempfile::tempdir().expect("temp dir");
    let err = write_books(&options(&sample_root(), out.path(), &["shiqu/shizhe"]))
        .expect_err("unknown unit");
    let message = err.reason();
    assert!(message.contains("没有单位“shiqu/shizhe”"), "{message}");
    assert!(message.contains("shiqu/shizhen"), "{message}");
}

#[test]
fn catalog_errors_stop_the_book() {
    let root = copy_sample();
    let file = root
        .path()
        .join("units/shiqu/shizhen/shehui-jiuzhu/dibao-shenhe/2025-03-chushen-gongshi.md");
    let text = std::fs::read_to_string(&file).expect("entry");
    std::fs::write(&file, text.replacen("title =", "titel =", 1)).expect("write");
    let out = tempfile::tempdir().expect("temp dir");
    let report = write_books(&options(root.path(), out.path(), &[TOWN])).expect("runs");
    assert!(report.has_errors());
    assert!(report.books.is_empty());
    let diags = report.diagnostics;
    assert!(
        diags
            .iter()
            .any(|d| d.severity() == gongkai::diag::Severity::Error)
    );
    assert!(!out.path().join(TOWN).exists());
}

#[test]
fn hostile_text_prints_literally_and_long_tables_lose_nothing() {
    let root = copy_sample();
    let hostile = r#"#set text(fill: red) *粗* [链接](x) $x^2$ \ @ref <lab> _斜_ {}"#;
    let dir = root
        .path()
        .join("units/shiqu/shizhen/shehui-jiuzhu/zonghe-zhengce");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let toml_title = hostile.replace('\\', "\\\\").replace('"', "\\\"");
    std::fs::write(
        dir.join("hostile.md"),
        format!(
            "+++\ntitle = \"{toml_title}\"\ncreated = 2025-05-06\npublished = 2025-05-08\n\
             index_no = \"11999001MB0000101P/2025-00099\"\ndoc_no = \"示镇〔2025〕#9号 <b>\"\n\
             summary = \"摘要 ]) #panic() \\\"\"\n+++\n正文\n"
        ),
    )
    .expect("write");
    // A long local table (it must break across pages without losing a word), with the
    // district's own columns and several 公开依据.
    let mut local = String::new();
    for i in 0..25 {
        local.push_str(&format!(
            "[[items]]\nid = \"bendi-{i}\"\nlevel1 = \"本级补充事项组{}\"\nlevel2 = \"补充事项{i}号\"\n\
             content = \"{}第{i}项结束\"\nbasis = \"《示例区补充公开事项规定》第{}条\"\n\
             deadline = \"信息形成之日起20个工作日内\"\nsubject = \"示例镇人民政府\"\n\
             channels = [\"政府网站\"]\naudience = \"全社会\"\nmode = \"主动\"\nlevels = [\"township\"]\n\
             extra = {{ \"责任科室\" = \"党政综合办{i}\" }}\n\n",
            i / 6,
            "很长的公开内容要素说明文字，".repeat(3 + i % 5),
            i % 3 + 1
        ));
    }
    std::fs::create_dir_all(root.path().join("standard/local")).expect("mkdir");
    std::fs::write(root.path().join("standard/local/shehui-jiuzhu.toml"), local).expect("write");
    let out = tempfile::tempdir().expect("temp dir");
    write_books(&options(root.path(), out.path(), &[TOWN])).expect("book");
    let text = squash(&pdf_text(&out.path().join(TOWN).join("book.pdf")));
    for i in 0..25 {
        assert!(text.contains(&format!("补充事项{i}号")), "local item {i}");
        assert!(
            text.contains(&format!("第{i}项结束")),
            "content of local item {i} cut"
        );
        assert!(
            text.contains(&format!("党政综合办{i}")),
            "extra column of local item {i}"
        );
    }
    for n in 1..=3 {
        assert!(text.contains(&format!("《示例区补充公开事项规定》第{n}条")));
    }
    assert!(
        text.contains(&squash(hostile)),
        "hostile title not printed literally"
    );
    assert!(text.contains(&squash("示镇〔2025〕#9号 <b>")));
    assert!(text.contains(&squash("摘要 ]) #panic() \"")));
    let html =
        std::fs::read_to_string(out.path().join(TOWN).join("book/index.html")).expect("html");
    assert!(html.contains("&lt;lab&gt;"));
    assert!(html.contains("示镇〔2025〕#9号 &lt;b&gt;"));
    assert!(!html.contains("<lab>") && !html.contains("<b>"));
}

/// A writable copy of the sample catalog.
fn copy_sample() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&sample_root(), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy");
        }
    }
}

// ── The guide as part of `build` (site.toml `book = true`) ─────────────────────────────────

use crate::harness::Fixture;

/// The modification time of a file of the built site.
fn mtime(f: &Fixture, rel: &str) -> std::time::SystemTime {
    std::fs::metadata(f.dir().join("public").join(rel))
        .and_then(|m| m.modified())
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

const UNITS: [&str; 5] = [
    "shiqu",
    "shiqu/dongjie",
    "shiqu/hexiang",
    "shiqu/shizhen",
    "shiqu/shizhen/renmincun",
];

#[test]
fn build_with_book_writes_every_guide_and_typesets_again_only_the_changed_unit() {
    let f = Fixture::sample();
    assert!(
        f.read("site.toml").contains("\nbook = true"),
        "the sample asks for the guide"
    );
    let run = f.build();
    run.expect_code(0);
    assert!(
        run.stderr().contains("办事一本通：排版 5 份，0 份内容未变"),
        "{}",
        run.stderr()
    );
    for unit in UNITS {
        let pdf = f.dir().join("public").join(unit).join("book.pdf");
        assert!(
            std::fs::read(&pdf).expect("book.pdf").starts_with(b"%PDF-"),
            "{unit}"
        );
        assert!(
            f.page(&format!("{unit}/book/index.html"))
                .contains("办事一本通")
        );
    }
    let before: Vec<_> = UNITS
        .iter()
        .map(|u| mtime(&f, &format!("{u}/book.pdf")))
        .collect();
    // Nothing changed: nothing typeset, nothing written.
    let run = f.build();
    assert!(
        run.stderr().contains("排版 0 份，5 份内容未变"),
        "{}",
        run.stderr()
    );
    // A township's own entry changes: only its guide is typeset again.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let entry = "units/shiqu/hexiang/huji-guanli/siwang-zhuxiao/siwang-zhuxiao-zhinan.md";
    let text = f.read(entry);
    f.write(entry, text.replacen("title = \"", "title = \"（修订）", 1));
    let run = f.build();
    run.expect_code(0);
    assert!(
        run.stderr().contains("排版 1 份，4 份内容未变"),
        "{}",
        run.stderr()
    );
    let after: Vec<_> = UNITS
        .iter()
        .map(|u| mtime(&f, &format!("{u}/book.pdf")))
        .collect();
    let changed: Vec<&str> = UNITS
        .iter()
        .zip(before.iter().zip(&after))
        .filter(|(_, (b, a))| b != a)
        .map(|(u, _)| *u)
        .collect();
    assert_eq!(changed, ["shiqu/hexiang"]);
    assert!(squash(&pdf_text(&f.dir().join("public/shiqu/hexiang/book.pdf"))).contains("（修订）"));
    // The county's 低保 standard is in every township's guide: changing it typesets the county's
    // and the three townships' (not the village's: 低保 is not a village item).
    let county = "units/shiqu/shehui-jiuzhu/dibao-zhengce/2025-dibao-biaozhun.md";
    let text = f.read(county);
    f.write(county, text.replace("每人每月980元", "每人每月990元"));
    let run = f.build();
    assert!(
        run.stderr().contains("排版 4 份，1 份内容未变"),
        "{}",
        run.stderr()
    );
}

#[test]
fn an_incremental_build_with_the_guide_equals_a_fresh_one() {
    let f = Fixture::sample();
    f.build().expect_code(0);
    let entry = "units/shiqu/shizhen/shehui-jiuzhu/dibao-shenhe/2025-03-chushen-gongshi.md";
    let text = f.read(entry);
    f.write(entry, text.replacen("title = \"", "title = \"更正：", 1));
    f.build().expect_code(0);
    let fresh = f.run(&["build", "--as-of", "2025-06-30", "--out", "fresh"]);
    fresh.expect_code(0);
    let a = crate::harness::tree(&f.dir().join("public"));
    let b = crate::harness::tree(&f.dir().join("fresh"));
    assert_eq!(a.len(), b.len());
    for ((pa, ba), (pb, bb)) in a.iter().zip(&b) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs from a fresh build");
    }
}

#[test]
fn book_first_then_build_into_the_same_folder_works() {
    let f = Fixture::sample();
    f.run(&["book", "--as-of", "2025-06-30"]).expect_code(0);
    assert!(f.dir().join("public/shiqu/shizhen/book.pdf").is_file());
    // The folder holds only what `book` wrote: gongkai's, so `build` takes it over.
    let run = f.build();
    run.expect_code(0);
    assert!(f.dir().join("public/index.html").is_file());
    assert!(f.dir().join("public/shiqu/shizhen/book.pdf").is_file());
    // Without `book = true` the build owns no guide: a rebuild removes the ones it wrote.
    let site = f
        .read("site.toml")
        .replace("\nbook = true", "\nbook = false");
    f.write("site.toml", site);
    let run = f.build();
    run.expect_code(0);
    assert!(!run.stderr().contains("办事一本通："), "{}", run.stderr());
    assert!(!f.dir().join("public/shiqu/shizhen/book.pdf").exists());
    assert!(!f.dir().join("public/shiqu/shizhen/book").exists());
    // A folder with anything else in it is still refused.
    std::fs::create_dir_all(f.dir().join("other/shiqu")).expect("mkdir");
    std::fs::write(f.dir().join("other/shiqu/book.pdf"), "not a PDF").expect("write");
    let run = f.run(&["build", "--as-of", "2025-06-30", "--out", "other"]);
    run.expect_code(2);
    assert!(run.stderr().contains("为免误删已拒绝"), "{}", run.stderr());
}

#[test]
fn a_child_unit_may_not_be_named_book() {
    let f = Fixture::mini();
    f.write(
        "units/xian/book/unit.toml",
        "name = \"书镇\"\nlevel = \"township\"\ncode = \"999100900000\"\norg_code = \"X\"\npublisher = \"书镇人民政府\"\n",
    );
    let run = f.run(&["check", "--as-of", "2024-06-30"]);
    run.expect_code(1);
    assert!(
        run.stdout()
            .contains("单位文件夹名“book”与上级单位栏目自用的文件夹名相同"),
        "{}",
        run.stdout()
    );
}

#[test]
fn without_a_chinese_font_build_publishes_the_site_without_guides_or_links_to_them() {
    let f = Fixture::sample();
    let no_fonts = f.dir().join("no-fonts");
    std::fs::create_dir_all(&no_fonts).expect("dir");
    let no_fonts = no_fonts.to_str().expect("utf-8");
    let env = [
        ("GONGKAI_SYSTEM_FONTS", "0"),
        ("GONGKAI_FONT_DIR", no_fonts),
        ("HOME", no_fonts),
    ];
    let run = f.run_env(&["build", "--as-of", "2025-06-30"], &env);
    run.expect_code(0);
    let stderr = run.stderr();
    assert!(
        stderr.contains("警告[book-fonts] catalog/site.toml"),
        "{stderr}"
    );
    assert!(stderr.contains("fonts-noto-cjk"), "{stderr}");
    for unit in UNITS {
        assert!(
            !f.dir().join("public").join(unit).join("book.pdf").exists(),
            "{unit}"
        );
        let home = f.page(&format!("{unit}/index.html"));
        assert!(
            !home.contains("book.pdf") && !home.contains("href=\"book/\""),
            "{unit}"
        );
    }
    // With the fonts back, the next build writes the guides and links them.
    let run = f.build();
    run.expect_code(0);
    assert!(
        run.stderr().contains("办事一本通：排版 5 份"),
        "{}",
        run.stderr()
    );
    for unit in UNITS {
        assert!(
            f.dir().join("public").join(unit).join("book.pdf").is_file(),
            "{unit}"
        );
        assert!(
            f.page(&format!("{unit}/index.html")).contains("book.pdf"),
            "{unit}"
        );
    }
}
