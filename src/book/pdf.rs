//! The PDF: Typst used as a library. A [`BookWorld`] serves two virtual files, the template
//! (`main.typ`, compiled into the binary) and the book's data (`data.json`), plus the fonts
//! found on the machine; nothing else is reachable (no packages, no file system, no network).
//! The result is reproducible: the creation date is the date of the book's content (its newest
//! change, [`Book::content_date`]) and the document ID is derived from the unit path.

use super::content::{Book, Fonts};
use chrono::{Datelike, NaiveDate};
use std::path::PathBuf;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::fonts::{FontPath, FontStore};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

/// The Typst template of the book.
pub(crate) const TEMPLATE: &str = include_str!("book.typ");

/// Characters a usable Chinese font must have (common ones from the book's fixed text).
const CJK_PROBE: &str = "基层政务公开事项标准目录暨办事一本通更新时间《》（）、：；。";

/// Serif (宋体/明体) families to prefer for body text, best first.
const SERIF_FAMILIES: [&str; 10] = [
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "Source Han Serif CN",
    "Noto Serif SC",
    "Source Han Serif",
    "SimSun",
    "NSimSun",
    "Songti SC",
    "STSong",
    "AR PL UMing CN",
];

/// Sans (黑体) families to prefer for headings and tables, best first.
const SANS_FAMILIES: [&str; 12] = [
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans SC",
    "Source Han Sans",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
    "Heiti SC",
    "STHeiti",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
];

/// The fonts found on this machine and the CJK families chosen for the book.
pub struct FontSet {
    store: FontStore,
    /// The chosen families.
    pub families: Fonts,
}

/// The folders searched for fonts, most preferred first: the `GONGKAI_FONT_DIR` environment
/// variable (a path list), then the usual system font folders of Linux, Windows and macOS —
/// unless `GONGKAI_SYSTEM_FONTS=0`, which keeps to the named folders (the same PDF on every
/// machine that has them).
pub fn system_font_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(list) = std::env::var_os("GONGKAI_FONT_DIR") {
        dirs.extend(std::env::split_paths(&list).filter(|p| !p.as_os_str().is_empty()));
    }
    if std::env::var_os("GONGKAI_SYSTEM_FONTS").is_some_and(|v| v == "0") {
        return dirs;
    }
    let home = std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(PathBuf::from);
    if cfg!(windows) {
        if let Some(local) = std::env::var_os("LOCALAPPDATA") {
            dirs.push(PathBuf::from(local).join(r"Microsoft\Windows\Fonts"));
        }
        let windir =
            std::env::var_os("WINDIR").map_or_else(|| PathBuf::from(r"C:\Windows"), PathBuf::from);
        dirs.push(windir.join("Fonts"));
    } else if cfg!(target_os = "macos") {
        dirs.extend(home.map(|h| h.join("Library/Fonts")));
        dirs.push(PathBuf::from("/Library/Fonts"));
        dirs.push(PathBuf::from("/System/Library/Fonts"));
    } else {
        if let Some(home) = home {
            dirs.push(home.join(".local/share/fonts"));
            dirs.push(home.join(".fonts"));
        }
        dirs.push(PathBuf::from("/usr/local/share/fonts"));
        dirs.push(PathBuf::from("/usr/share/fonts"));
    }
    dirs
}

/// Scans `dirs` (recursively, in order) and picks the CJK families, or says in Chinese what to
/// install.
pub fn find_fonts(dirs: &[PathBuf]) -> Result<FontSet, String> {
    let mut found: Vec<(usize, FontPath, FontInfo)> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (rank, dir) in dirs.iter().enumerate() {
        if !dir.is_dir() {
            continue;
        }
        let mut here: Vec<(FontPath, FontInfo)> = typst_kit::fonts::scan(dir).collect();
        // The scan follows the folder's listing order; sort so the choice between two files of
        // the same family and style never depends on the file system.
        here.sort_by(|a, b| (&a.0.path, a.0.index).cmp(&(&b.0.path, b.0.index)));
        for (path, info) in here {
            let key = (
                std::fs::canonicalize(&path.path).unwrap_or_else(|_| path.path.clone()),
                path.index,
            );
            if seen.insert(key) {
                found.push((rank, path, info));
            }
        }
    }
    let book = FontBook::from_infos(found.iter().map(|(_, _, info)| info.clone()));
    let families = choose_families(&book, &found).ok_or_else(|| no_font_message(dirs))?;
    let mut store = FontStore::new();
    store.extend(found.into_iter().map(|(_, path, info)| (path, info)));
    Ok(FontSet { store, families })
}

/// Picks the serif and sans families among those that cover [`CJK_PROBE`]: fonts from earlier
/// folders first, then the preferred lists, then by name.
fn choose_families(book: &FontBook, found: &[(usize, FontPath, FontInfo)]) -> Option<Fonts> {
    let mut candidates: Vec<(usize, String)> = Vec::new();
    for (family, ids) in book.families() {
        let ids: Vec<usize> = ids.collect();
        let covers = ids.iter().any(|&i| {
            book.info(i)
                .is_some_and(|info| CJK_PROBE.chars().all(|c| info.coverage.contains(c as u32)))
        });
        if covers {
            let rank = ids.iter().map(|&i| found[i].0).min().unwrap_or(usize::MAX);
            candidates.push((rank, family.to_owned()));
        }
    }
    let pick = |preferred: &[&str]| {
        candidates
            .iter()
            .min_by_key(|(rank, name)| {
                let known = preferred
                    .iter()
                    .position(|p| p.eq_ignore_ascii_case(name))
                    .unwrap_or(usize::MAX);
                (*rank, known, name.clone())
            })
            .map(|(_, name)| name.clone())
    };
    let serif = pick(&SERIF_FAMILIES)?;
    let sans = pick(&SANS_FAMILIES)?;
    Some(Fonts { serif, sans })
}

fn no_font_message(dirs: &[PathBuf]) -> String {
    let searched: Vec<String> = dirs
        .iter()
        .filter(|d| d.is_dir())
        .map(|d| d.display().to_string())
        .collect();
    let searched = if searched.is_empty() {
        "（没有找到任何字体文件夹）".to_owned()
    } else {
        searched.join("、")
    };
    format!(
        "未找到可用的中文字体，无法生成办事一本通（没有中文字体时 PDF 里的汉字会变成空白方框，所以不生成）。\n\
         已查找的字体文件夹：{searched}。\n\
         解决办法（任选其一）：\n\
         1. Debian/Ubuntu：运行 `sudo apt-get install fonts-noto-cjk` 安装思源（Noto CJK）中文字体；\n\
         2. 把中文字体文件（.ttf、.otf 或 .ttc，如 NotoSerifCJK-Regular.ttc）放进一个文件夹，\
         在 site.toml 中写 font_dir = \"该文件夹的路径\"（相对于目录文件夹）；\n\
         3. 或设置环境变量 GONGKAI_FONT_DIR 指向该文件夹。"
    )
}

/// The Typst standard library, built once and shared by all books.
pub fn library() -> LazyHash<Library> {
    LazyHash::new(Library::builder().build())
}

/// What Typst sees while typesetting one book.
struct BookWorld<'a> {
    library: &'a LazyHash<Library>,
    fonts: &'a FontStore,
    main: Source,
    data_id: FileId,
    data: Bytes,
    today: Option<Datetime>,
}

fn file_id(path: &str) -> Result<FileId, String> {
    let vpath = VirtualPath::new(path).map_err(|e| format!("内部错误：虚拟路径 {path}：{e}"))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl World for BookWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else if id == self.main.id() {
            Ok(Bytes::from_string(self.main.clone()))
        } else {
            Err(not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(PathBuf::from(id.vpath().get_without_slash()))
}

/// A typeset book.
pub struct Pdf {
    /// The PDF file.
    pub bytes: Vec<u8>,
    /// Its page count.
    pub pages: usize,
}

/// Typesets `book` with `fonts`. Typst errors and warnings can only come from the template (the
/// catalog's text is data, never markup), so both are internal errors.
pub fn typeset(book: &Book, fonts: &FontSet, library: &LazyHash<Library>) -> Result<Pdf, String> {
    let mut book = book.clone();
    book.fonts = fonts.families.clone();
    let data =
        serde_json::to_vec(&book).map_err(|e| format!("内部错误：书的数据无法序列化：{e}"))?;
    let content_date = NaiveDate::parse_from_str(&book.content_date, "%Y-%m-%d").ok();
    let today = content_date.map(date).transpose()?;
    let world = BookWorld {
        library,
        fonts: &fonts.store,
        main: Source::new(file_id("main.typ")?, TEMPLATE.to_owned()),
        data_id: file_id("data.json")?,
        data: Bytes::new(data),
        today,
    };
    let warned = typst::compile::<PagedDocument>(&world);
    let document = warned
        .output
        .map_err(|errors| typst_failure(&world, &errors))?;
    if !warned.warnings.is_empty() {
        return Err(typst_failure(&world, &warned.warnings));
    }
    let timestamp = content_date
        .and_then(|d| Datetime::from_ymd_hms(d.year(), month(d), day(d), 0, 0, 0))
        .map(Timestamp::new_utc);
    let options = PdfOptions {
        ident: Smart::Custom(format!("gongkai-book:{}", book.unit_path)),
        creator: Smart::Custom(Some("gongkai".into())),
        timestamp,
        ..PdfOptions::default()
    };
    let bytes =
        typst_pdf::pdf(&document, &options).map_err(|errors| typst_failure(&world, &errors))?;
    Ok(Pdf {
        bytes,
        pages: document.pages().len(),
    })
}

fn month(d: NaiveDate) -> u8 {
    u8::try_from(d.month()).unwrap_or(1)
}

fn day(d: NaiveDate) -> u8 {
    u8::try_from(d.day()).unwrap_or(1)
}

fn date(d: NaiveDate) -> Result<Datetime, String> {
    Datetime::from_ymd(d.year(), month(d), day(d))
        .ok_or_else(|| format!("内部错误：日期 {d} 超出排版程序支持的范围。"))
}

fn typst_failure(world: &BookWorld<'_>, diagnostics: &[SourceDiagnostic]) -> String {
    use typst::WorldExt as _;
    let mut out = String::from("内部错误：排版办事一本通失败（这是 gongkai 的缺陷，请报告）：");
    for d in diagnostics {
        out.push_str("\n  ");
        out.push_str(&d.message);
        if let Some(range) = world.range(d.span) {
            let line = world.main.text()[..range.start.min(world.main.text().len())]
                .matches('\n')
                .count()
                + 1;
            out.push_str(&format!("（book.typ 第 {line} 行）"));
        }
        for hint in &d.hints {
            out.push_str("；提示：");
            out.push_str(&hint.v);
        }
    }
    out
}
