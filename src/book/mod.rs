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
use crate::failure::Failure;
use chrono::NaiveDate;
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
    /// When another process is writing the same output folder: wait for it, or fail at once.
    pub wait: bool,
}

/// What was written, or why nothing was: the catalog's findings.
#[derive(Debug, Clone, Default)]
pub struct BookReport {
    /// Every finding of loading and validation, sorted; when one is an error (exit 1), no
    /// book was written.
    pub diagnostics: Vec<Diagnostic>,
    /// Per unit, in catalog order: (unit path, PDF size in bytes, page count).
    pub books: Vec<(String, u64, usize)>,
}

impl BookReport {
    /// Whether the catalog had errors (and so no book was written).
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity() == Severity::Error)
    }
}

/// Writes the books, searching fonts in the standard places (see [`font_dirs`]).
pub fn write_books(options: &BookOptions) -> Result<BookReport, Failure> {
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
) -> Result<BookReport, Failure> {
    let (catalog, diags) = crate::pipeline::load_and_validate(&options.root, options.as_of);
    let Some(catalog) = catalog else {
        return Ok(BookReport {
            diagnostics: diags,
            books: Vec::new(),
        });
    };
    refuse_out_inside_root(&options.out, &options.root)?;
    let _lock = crate::files::OutputLock::acquire(&options.out, "book", options.wait)?;
    let selected = select_units(&catalog, &options.units)?;

    let fonts = match fonts {
        Some(dirs) => pdf::find_fonts(dirs),
        None => catalog_fonts(&catalog, &options.root),
    }
    .map_err(Failure)?;
    let library = pdf::library();

    let make = |u: usize| -> Result<(String, u64, usize), String> {
        let book = content::book(&catalog, u, options.as_of);
        let typeset = typeset(book, &fonts, &library)?;
        let dir = unit_out_dir(&options.out, &catalog.units[u].path)?;
        crate::files::replace_file(&dir.join("book.pdf"), &typeset.pdf).map_err(|f| f.0)?;
        crate::files::replace_file(
            &dir.join("book").join("index.html"),
            typeset.html.as_bytes(),
        )
        .map_err(|f| f.0)?;
        Ok((
            catalog.units[u].path.clone(),
            typeset.pdf.len() as u64,
            typeset.pages,
        ))
    };
    let results = in_parallel(&selected, make);
    // A CLI run does not need Typst's memoized results afterwards.
    typst::comemo::evict(0);
    let mut report = BookReport {
        diagnostics: diags,
        books: Vec::new(),
    };
    for result in results {
        report.books.push(result?);
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
        format!("{unit_path}/{}/index.html", crate::model::BOOK_DIR),
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

/// The fingerprint of what a unit's typeset book is made from: gongkai's version, the
/// template, and the book's content (before QR codes, which follow from its URLs). Two books
/// with the same fingerprint typeset to the same PDF and print page with the same fonts.
pub fn fingerprint(book: &content::Book) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(pdf::TEMPLATE.as_bytes());
    // Serializing into the hasher never fails (no map with non-string keys in a Book).
    let _ = serde_json::to_writer(HashWriter(&mut h), book);
    h.digest()
}

/// Feeds what is written into a hasher.
struct HashWriter<'a>(&'a mut xxhash_rust::xxh3::Xxh3);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
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
fn select_units(catalog: &crate::model::Catalog, wanted: &[String]) -> Result<Vec<usize>, Failure> {
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
                let hint = crate::names::closest(path, paths.clone())
                    .map(|c| format!("是否想写 `{c}`？"))
                    .unwrap_or_default();
                let all: Vec<&str> = paths.collect();
                return Err(Failure(format!(
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
fn refuse_out_inside_root(out: &Path, root: &Path) -> Result<(), Failure> {
    let abs = |p: &Path| {
        std::path::absolute(p)
            .map(|p| crate::files::normalize(&p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    if abs(out).starts_with(abs(root)) {
        return Err(Failure(format!(
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
