//! `gongkai book`: the printed 办事一本通 of each unit, made from the same validated catalog as the
//! site so the two can never disagree. For every unit (or the named ones) it writes
//! `<out>/<unit>/book.pdf` (typeset by Typst, used as a library) and `<out>/<unit>/book/index.html`
//! (a self-contained print page with the same content).
//!
//! Stages: [`content`] decides what goes into the book → [`pdf`] typesets it (a Typst `World`
//! serving the template, the data as JSON and the machine's fonts) and [`html`] renders the print
//! page → each file is written atomically (temporary file, then rename), leaving the rest of the
//! output folder (the site) alone. Books build in parallel.

pub mod content;
pub mod html;
pub mod pdf;
pub mod qr;

use crate::diag::{Diagnostic, Severity};
use chrono::NaiveDate;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

/// How many compilations Typst's memoized results survive (see `comemo::evict`).
const EVICT_AGE: usize = 2;

/// What `gongkai book` was asked to do.
#[derive(Debug, Clone)]
pub struct BookOptions {
    /// The catalog folder.
    pub root: PathBuf,
    /// The output folder (books go to `<out>/<unit>/book.pdf` and `<out>/<unit>/book/index.html`).
    pub out: PathBuf,
    /// Unit paths (e.g. `shiqu/shizhen`); empty for every unit.
    pub units: Vec<String>,
    /// The date the book is made against: entries in force at this date, the PDF's date.
    pub as_of: NaiveDate,
}

/// What was written.
#[derive(Debug, Clone, Default)]
pub struct BookReport {
    /// Per unit, in catalog order: (unit path, PDF size in bytes, page count).
    pub books: Vec<(String, u64, usize)>,
}

/// Why no book was written.
#[derive(Debug)]
pub enum BookError {
    /// The catalog has errors (exit 1): every finding of loading and validation, sorted; at least
    /// one is an error.
    Catalog(Vec<Diagnostic>),
    /// No usable Chinese font (exit 2): what to install, in Chinese.
    Fonts(String),
    /// A bad unit path, an I/O failure or an internal error (exit 2), in Chinese.
    Other(String),
}

impl std::fmt::Display for BookError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BookError::Catalog(diags) => {
                let errors = diags
                    .iter()
                    .filter(|d| d.severity() == Severity::Error)
                    .count();
                write!(f, "目录有 {errors} 个错误，未生成办事一本通。")
            }
            BookError::Fonts(msg) | BookError::Other(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for BookError {}

/// Writes the books, searching fonts in the standard places (see [`font_dirs`]).
pub fn write_books(options: &BookOptions) -> Result<BookReport, BookError> {
    write_books_with_fonts(options, None)
}

/// The font folders searched, most preferred first: the catalog's `font_dir` (when given), the
/// `GONGKAI_FONT_DIR` environment variable, then the system's font folders.
pub fn font_dirs(site_font_dir: Option<&Path>) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = site_font_dir.map(Path::to_path_buf).into_iter().collect();
    dirs.extend(pdf::system_font_dirs());
    dirs
}

/// Writes the books; `fonts` replaces the font search list when given (tests use it to run
/// without any system font).
pub fn write_books_with_fonts(
    options: &BookOptions,
    fonts: Option<&[PathBuf]>,
) -> Result<BookReport, BookError> {
    let (catalog, diags) = crate::validate::load_and_validate(&options.root, options.as_of);
    let Some(catalog) = catalog else {
        return Err(BookError::Catalog(diags));
    };
    refuse_out_inside_root(&options.out, &options.root)?;
    let selected = select_units(&catalog, &options.units)?;

    let fonts = match fonts {
        Some(dirs) => pdf::find_fonts(dirs),
        None => catalog_fonts(&catalog, &options.root),
    }
    .map_err(BookError::Fonts)?;
    let library = pdf::library();

    let make = |u: usize| -> Result<(String, u64, usize), String> {
        let book = content::book(&catalog, u, options.as_of);
        let typeset = typeset(book, &fonts, &library)?;
        let dir = unit_out_dir(&options.out, &catalog.units[u].path)?;
        write_atomically(&dir.join("book.pdf"), &typeset.pdf)?;
        write_atomically(
            &dir.join("book").join("index.html"),
            typeset.html.as_bytes(),
        )?;
        Ok((
            catalog.units[u].path.clone(),
            typeset.pdf.len() as u64,
            typeset.pages,
        ))
    };
    let results = in_parallel(&selected, make);
    // A CLI run does not need Typst's memoized results afterwards.
    typst::comemo::evict(0);
    let mut report = BookReport::default();
    for result in results {
        report.books.push(result.map_err(BookError::Other)?);
    }
    Ok(report)
}

/// The fonts of a catalog: its `font_dir` (site.toml, relative to the catalog folder) first,
/// then the standard places; or, in Chinese, what to install.
pub fn catalog_fonts(catalog: &crate::model::Catalog, root: &Path) -> Result<pdf::FontSet, String> {
    let site_font_dir = catalog.site.font_dir.as_ref().map(|d| root.join(d));
    pdf::find_fonts(&font_dirs(site_font_dir.as_deref()))
}

/// One unit's book, typeset.
pub struct Typeset {
    /// `book.pdf`.
    pub pdf: Vec<u8>,
    /// Its page count.
    pub pages: usize,
    /// `book/index.html`, the print page.
    pub html: String,
}

/// Where a unit's book goes in the output folder: (`<unit>/book.pdf`, `<unit>/book/index.html`).
pub fn files_of(unit_path: &str) -> (String, String) {
    (
        format!("{unit_path}/book.pdf"),
        format!("{unit_path}/book/index.html"),
    )
}

/// Adds the QR codes to `book` and typesets it: the PDF and the print page.
pub fn typeset(
    mut book: content::Book,
    fonts: &pdf::FontSet,
    library: &typst::utils::LazyHash<typst::Library>,
) -> Result<Typeset, String> {
    content::add_qr_codes(&mut book);
    let typeset = pdf::typeset(&book, fonts, library);
    // Typst memoizes layouts across compilations; books of different units share little,
    // so drop what is older than the last few compilations to bound memory.
    typst::comemo::evict(EVICT_AGE);
    let typeset = typeset?;
    Ok(Typeset {
        pdf: typeset.bytes,
        pages: typeset.pages,
        html: html::page(&book),
    })
}

/// Runs `make` for every unit on a few plain threads (one per core), results in input order.
///
/// Not rayon: Typst parallelizes inside a compilation with rayon, and a rayon worker waiting for
/// that work steals other books, so every book would be in flight at once (memory grows with the
/// number of units: 1.5 GB for 20 townships). Plain threads keep one book per core in flight.
pub fn in_parallel<T: Send>(units: &[usize], make: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(units.len())
        .max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, T)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(&u) = units.get(i) else { break };
                        mine.push((i, make(u)));
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, t)| t).collect()
}

/// The indices of the units to make books for, in catalog order.
fn select_units(
    catalog: &crate::model::Catalog,
    wanted: &[String],
) -> Result<Vec<usize>, BookError> {
    if wanted.is_empty() {
        return Ok((0..catalog.units.len()).collect());
    }
    let mut selected = Vec::new();
    for name in wanted {
        let path = name.replace('\\', "/");
        let path = path.trim_matches('/');
        let path = path.strip_prefix("units/").unwrap_or(path);
        match catalog.units.iter().position(|u| u.path == path) {
            Some(u) => selected.push(u),
            None => {
                let paths = catalog.units.iter().map(|u| u.path.as_str());
                let hint = crate::source::closest(path, paths.clone())
                    .map(|c| format!("是否想写 `{c}`？"))
                    .unwrap_or_default();
                let all: Vec<&str> = paths.collect();
                return Err(BookError::Other(format!(
                    "没有单位“{name}”。{hint}可用的单位路径：{}。",
                    all.join("、")
                )));
            }
        }
    }
    selected.sort_unstable();
    selected.dedup();
    Ok(selected)
}

/// Books written inside the catalog folder would be read back as catalog content: refuse.
fn refuse_out_inside_root(out: &Path, root: &Path) -> Result<(), BookError> {
    let abs = |p: &Path| {
        std::path::absolute(p)
            .map(|p| crate::write::normalize(&p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    if abs(out).starts_with(abs(root)) {
        return Err(BookError::Other(format!(
            "输出文件夹“{}”在目录文件夹“{}”之内：办事一本通会混进目录，已拒绝。请换一个输出文件夹（如 public）。",
            out.display(),
            root.display()
        )));
    }
    Ok(())
}

/// `<out>/<unit path>`, refusing anything that is not plain folder names.
fn unit_out_dir(out: &Path, unit_path: &str) -> Result<PathBuf, String> {
    let rel = Path::new(unit_path);
    if unit_path.is_empty() || !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(format!(
            "内部错误：单位路径“{unit_path}”会离开输出文件夹，已拒绝。"
        ));
    }
    Ok(out.join(rel))
}

/// Writes `bytes` to `dest` through a temporary file in the same folder and a rename, so readers
/// (and an interrupted run) see the old file or the new one, never half of one.
fn write_atomically(dest: &Path, bytes: &[u8]) -> Result<(), String> {
    let io = |path: &Path, e: std::io::Error| {
        format!("写入“{}”失败：{}。", path.display(), crate::reason::io(&e))
    };
    let dir = dest.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.gongkai-tmp"));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        drop(f);
        std::fs::rename(&tmp, dest)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(dest, e));
    }
    Ok(())
}
