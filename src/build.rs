//! The `build` pipeline, read top to bottom: load and validate → audit → render → write. Each stage is a
//! free function taking the previous stage's output; this file only strings them together.
//!
//! With `book = true` in `site.toml` the printed guide of every unit is part of the build
//! ([`build_books`]): each unit's guide is an owner in the build manifest (`<unit>/book`) with the
//! fingerprint of its content, so a rebuild typesets again only the guides whose content changed.
//!
//! With `--shard i/N` ([`crate::shard`]) the whole catalog is loaded and validated as always, but
//! only the units of the shard's counties are rendered (with their guides), beside the site-wide
//! files; the partial manifest for `gongkai merge` is written last, with the audit's counts.

use crate::diag::{Code, Diagnostic, Severity};
use crate::failure::Failure;
use crate::incremental::cache::{self, EntryCache, Reuse};
use crate::incremental::fingerprint;
use crate::model::{Catalog, Part};
use crate::pipeline;
use crate::render::{self, theme::Theme};
use crate::timings::Timings;
use crate::write::site::{SiteOutput, WriteStats};

use chrono::NaiveDate;
use rayon::prelude::*;
use std::path::PathBuf;

/// What `gongkai build` is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The catalog folder.
    pub root: PathBuf,
    /// The output folder.
    pub out: PathBuf,
    /// Overrides `base_url` from `site.toml`.
    pub base_url: Option<String>,
    /// The date the build judges against.
    pub as_of: NaiveDate,
    /// Take the output folder to be exactly as the last build's manifest recorded, without
    /// looking up each of its files (see [`SiteOutput::create`]).
    pub trust_output: bool,
    /// When another process is writing the same output folder: wait for it (`true`), or fail
    /// at once (`--no-wait`).
    pub wait: bool,
    /// `--strict`: the catalog's warnings (placeholders, stub bodies, derived 索引号, …) stop the
    /// build as errors do, so nothing is written.
    pub strict: bool,
    /// `--shard i/N`: write only this share of the counties (with the site-wide files and the
    /// partial manifest [`crate::shard::PARTIAL_MANIFEST`]), for `gongkai merge`.
    pub shard: Option<crate::shard::Shard>,
}

/// The result of a build that ran (with or without errors in the catalog).
#[derive(Debug)]
pub struct BuildReport {
    /// Every validation finding, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// How many findings each audit rule has; empty when the catalog had errors.
    pub audit: crate::audit::Tally,
    /// Files rendered (pages, attachments, data files); 0 when the catalog had errors.
    pub files_rendered: usize,
    /// HTML pages among them.
    pub pages_rendered: usize,
    /// What happened on disk: written, unchanged, removed, units skipped.
    pub writes: WriteStats,
    /// Units in the catalog (in this shard's counties, with `--shard`).
    pub units: usize,
    /// Wall time per phase (for `--timings`).
    pub timings: Timings,
    /// The printed guides (`book = true`): how many were typeset, how many kept as they were.
    pub books: BookStats,
}

/// What a build did with the printed guides.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BookStats {
    /// Whether `site.toml` asks for them.
    pub enabled: bool,
    /// Guides typeset by this build (their content changed, or their files did).
    pub typeset: usize,
    /// Guides kept without typesetting: nothing they show changed.
    pub kept: usize,
}

impl BuildReport {
    /// Whether the catalog had errors (and so nothing was written).
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity() == Severity::Error)
    }

    /// Whether the build stopped without writing: the catalog had errors, or warnings under
    /// `strict`.
    pub fn stopped(&self, strict: bool) -> bool {
        self.has_errors() || (strict && !self.diagnostics.is_empty())
    }
}

/// Builds the site. Catalog errors are reported in the returned report (and nothing is written);
/// `Err` is for failures outside the catalog (theme, disk).
pub fn build(options: &BuildOptions) -> Result<BuildReport, Failure> {
    // The only writer of this output folder until the build returns.
    let _lock = crate::files::OutputLock::acquire(&options.out, "build", options.wait)?;
    // Everything that needs only the catalog (loading it, the theme, each unit's fingerprint)
    // runs beside reading the last build's manifest and checking its files on disk.
    let ((prepared, diagnostics, mut timings), output) = rayon::join(
        || prepare(options),
        || SiteOutput::create(&options.out, &options.root, options.trust_output),
    );
    // Under --strict, warnings stop the build before anything is written.
    let prepared = prepared.filter(|_| !options.strict || diagnostics.is_empty());
    let Some(prepared) = prepared else {
        return Ok(BuildReport {
            diagnostics,
            audit: crate::audit::Tally::default(),
            files_rendered: 0,
            pages_rendered: 0,
            writes: WriteStats::default(),
            units: 0,
            timings,
            books: BookStats::default(),
        });
    };
    let output = output?;
    let Prepared {
        mut catalog,
        theme,
        mut fingerprints,
        entry_cache,
    } = prepared;
    let theme = theme?;
    let mut diagnostics = diagnostics;
    // With --shard, the units of this shard's counties; else every unit.
    let member: Vec<bool> = match options.shard {
        Some(shard) => crate::shard::members(
            &catalog,
            &crate::shard::assign(&catalog, shard.count),
            shard,
        ),
        None => vec![true; catalog.units.len()],
    };
    // The guides to typeset need a Chinese font. Without one the site is built without guides,
    // and without links to them (so the unit homes are fingerprinted again).
    let mut books = plan_books(&catalog, options.as_of, &output, &member);
    let fonts = if books.iter().any(|b| b.stale) {
        match crate::book::catalog_fonts(&catalog, &options.root) {
            Ok(fonts) => Some(fonts),
            Err(message) => {
                diagnostics.push(
                    Diagnostic::new(
                        Code::BookFonts,
                        format!("site.toml 写了 book = true，但没有找到中文字体：本次不生成办事一本通，单位首页也不链接它。{message}"),
                    )
                    .in_file(crate::source::display_path(&options.root.join("site.toml"))),
                );
                catalog.site.book = false;
                fingerprints = unit_fingerprints(&theme, &catalog);
                books.clear();
                None
            }
        }
    } else {
        None
    };
    let calendar_dir = crate::source::display_path(&options.root.join("calendar"));
    // A part of a unit is rendered again only if what it shows changed, or its files on disk
    // did.
    let stale: Vec<(usize, Part, u64)> = (0..catalog.units.len())
        .flat_map(|u| {
            Part::all(&catalog)
                .zip(&fingerprints[u])
                .map(move |(p, &f)| (u, p, f))
        })
        .filter(|&(u, ..)| member[u])
        .filter(|&(u, part, fingerprint)| !output.keep(&part.folder(&catalog, u), fingerprint))
        .collect();
    let parts: Vec<(usize, Part)> = stale.iter().map(|&(u, part, _)| (u, part)).collect();
    let mut stale_units: Vec<usize> = stale.iter().map(|&(u, ..)| u).collect();
    stale_units.dedup();
    // Entries taken unread from the cache get their text back only where pages show them.
    read_bodies(&mut catalog, &stale_units)?;
    timings.lap("比对上次构建");
    // The audit is only counted for the summary, and the entry cache only saves work next time
    // (one that cannot be written is not a failure): both run beside the rendering.
    let site_files = std::sync::OnceLock::new();
    let (audit, written) = rayon::join(
        || {
            if let Some(entry_cache) = entry_cache {
                let _ = entry_cache.write(&cache::cache_path(&options.out));
            }
            crate::audit::tally(&catalog, options.as_of, &calendar_dir)
        },
        || {
            render_site(&catalog, &theme, &parts, |owner, files| {
                // A shard's partial manifest lists the site-wide files it wrote.
                if options.shard.is_some() && owner.is_empty() {
                    let _ = site_files.set(crate::shard::site_files(&files));
                }
                output.write_all(owner, files).map(|_| ())
            })
        },
    );
    // A failure returns early: the output, dropped uncommitted, discards what it staged.
    let (files_rendered, pages_rendered) = written?;
    if let Some(shard) = options.shard {
        let manifest = crate::shard::partial_manifest(
            &catalog,
            &options.root,
            options.as_of,
            shard,
            theme.fingerprint,
            site_files.into_inner().unwrap_or_default(),
            &audit,
        )?;
        output.write_all("", vec![manifest])?;
    }
    timings.lap("生成、写入与审计");
    let books = build_books(&catalog, books, fonts, &output)?;
    if books.enabled {
        timings.lap("办事一本通");
    }
    for &(u, part, fingerprint) in &stale {
        output.record(&part.folder(&catalog, u), fingerprint);
    }
    let mut writes = output.commit()?;
    let units = member.iter().filter(|&&m| m).count();
    writes.units_skipped = units - stale_units.len();
    timings.lap("替换与清单");
    free_in_background((catalog, theme, fingerprints));
    Ok(BuildReport {
        diagnostics,
        audit,
        files_rendered,
        pages_rendered,
        writes,
        units,
        timings,
        books,
    })
}

/// One unit's printed guide, decided from the catalog (cheap) before anything is typeset.
struct PlannedBook {
    unit: usize,
    content: crate::book::content::Book,
    fingerprint: u64,
    /// Whether it must be typeset: its content or its files changed since the last build.
    stale: bool,
}

/// The printed guides of the `member` units, when `site.toml` asks for them (else none): each
/// unit's book decided and fingerprinted, and compared with what the last build wrote.
fn plan_books(
    catalog: &Catalog,
    as_of: NaiveDate,
    output: &SiteOutput,
    member: &[bool],
) -> Vec<PlannedBook> {
    if !catalog.site.book {
        return Vec::new();
    }
    (0..catalog.units.len())
        .into_par_iter()
        .filter(|&unit| member[unit])
        .map(|unit| {
            let content = crate::book::content::book(catalog, unit, as_of);
            let fingerprint = crate::book::fingerprint(&content);
            // Only asked: whether the unchanged guides are kept is decided once the fonts are.
            let stale = !output.unchanged(&book_owner(catalog, unit), fingerprint);
            PlannedBook {
                unit,
                content,
                fingerprint,
                stale,
            }
        })
        .collect()
}

/// The manifest owner of a unit's guide.
fn book_owner(catalog: &Catalog, unit: usize) -> String {
    format!("{}/book", catalog.units[unit].path)
}

/// Typesets the stale guides (slow: Typst) on one plain thread per core
/// ([`crate::book::in_parallel`]) and writes each as the `<unit>/book` owner of the manifest;
/// the others are kept as the last build wrote them.
fn build_books(
    catalog: &Catalog,
    books: Vec<PlannedBook>,
    fonts: Option<crate::book::pdf::FontSet>,
    output: &SiteOutput,
) -> Result<BookStats, Failure> {
    use crate::book;
    if !catalog.site.book {
        return Ok(BookStats::default());
    }
    let (stale, kept): (Vec<PlannedBook>, Vec<PlannedBook>) =
        books.into_iter().partition(|b| b.stale);
    for b in &kept {
        // Carries the guide's records over to the new manifest.
        output.keep(&book_owner(catalog, b.unit), b.fingerprint);
    }
    let stats = BookStats {
        enabled: true,
        typeset: stale.len(),
        kept: kept.len(),
    };
    let Some(fonts) = fonts.filter(|_| !stale.is_empty()) else {
        return Ok(stats);
    };
    let library = book::pdf::library();
    let indices: Vec<usize> = (0..stale.len()).collect();
    let results = book::in_parallel(&indices, |i| {
        let planned = &stale[i];
        let typeset = book::typeset(planned.content.clone(), &fonts, &library).map_err(Failure)?;
        let (pdf, html) = book::files_of(&catalog.units[planned.unit].path);
        let files = vec![
            render::OutputFile::Bytes {
                path: pdf,
                bytes: typeset.pdf,
            },
            render::OutputFile::Bytes {
                path: html,
                bytes: typeset.html.into_bytes(),
            },
        ];
        let owner = book_owner(catalog, planned.unit);
        output.write_all(&owner, files)?;
        output.record(&owner, planned.fingerprint);
        Ok::<_, Failure>(())
    });
    // Typst's memoized results are of no use after the last guide.
    typst::comemo::evict(0);
    results.into_iter().collect::<Result<(), _>>()?;
    Ok(stats)
}

/// A valid catalog and what rendering it needs that does not depend on the output folder.
struct Prepared {
    catalog: Catalog,
    /// The theme, or why it could not be loaded.
    theme: Result<Theme, Failure>,
    /// Each unit's [`fingerprint::unit_fingerprints`] (empty without a theme).
    fingerprints: Vec<Vec<u64>>,
    /// The new entry cache, if it differs from the last build's.
    entry_cache: Option<EntryCache>,
}

/// Loads and validates the catalog (taking unchanged entries from the last build's cache), and
/// if it is valid, loads the theme and fingerprints every unit.
fn prepare(options: &BuildOptions) -> (Option<Prepared>, Vec<Diagnostic>, Timings) {
    let mut timings = Timings::default();
    let reuse = Reuse {
        cache: EntryCache::read(&cache::cache_path(&options.out)),
        as_of: options.as_of,
        listings: None,
    };
    let (catalog, mut diagnostics, fresh) =
        pipeline::load_and_validate_reusing(&options.root, &reuse, None, &mut timings);
    if let Some(url) = &options.base_url {
        // The address given on the command line is the one published.
        diagnostics.retain(|d| !crate::validate::is_about_base_url(d));
        if crate::validate::example_url(url) {
            diagnostics.push(
                Diagnostic::new(
                    crate::diag::Code::Placeholder,
                    format!("--base-url 给出的网站地址“{url}”是示例地址。"),
                )
                .hint("写专栏发布后的完整网址，如门户网站上的 https://<本单位网站域名>/jczwgk/。"),
            );
        }
    }
    let Some(mut catalog) = catalog else {
        return (None, diagnostics, timings);
    };
    if let Some(url) = &options.base_url {
        catalog.site.base_url = if url.ends_with('/') {
            url.clone()
        } else {
            format!("{url}/")
        };
    }
    let theme = Theme::load(&options.root, &catalog.site.theme);
    let fingerprints = match &theme {
        Ok(theme) => unit_fingerprints(theme, &catalog),
        Err(_) => Vec::new(),
    };
    let prepared = Prepared {
        catalog,
        theme,
        fingerprints,
        entry_cache: (!fresh.same_as(&reuse.cache)).then_some(fresh),
    };
    (Some(prepared), diagnostics, timings)
}

/// Each unit's [`fingerprint::unit_fingerprints`] under `theme`.
pub(crate) fn unit_fingerprints(theme: &Theme, catalog: &Catalog) -> Vec<Vec<u64>> {
    let shared = fingerprint::shared_fingerprint(theme.fingerprint, catalog);
    (0..catalog.units.len())
        .into_par_iter()
        .map(|u| fingerprint::unit_fingerprints(shared, catalog, u))
        .collect()
}

/// Renders the static files, the root index and `parts` of units (each unit's parts listed
/// together; in parallel, the site-wide files beside the units' parts, see
/// [`render::unit_parts`]), handing each batch of files to `emit` with the folder that owns it
/// as soon as it is ready. With the 繁體 edition, each batch also holds the edition's
/// copies of its pages ([`render::traditional`]). Returns (files, pages) emitted.
pub fn render_site(
    catalog: &Catalog,
    theme: &Theme,
    parts: &[(usize, Part)],
    emit: impl Fn(&str, Vec<render::OutputFile>) -> Result<(), Failure> + Sync,
) -> Result<(usize, usize), Failure> {
    let edition = render::traditional::Edition::of(catalog)?;
    let with_edition = |mut files: Vec<render::OutputFile>| {
        if let Some(edition) = &edition {
            let copies = edition.copies(&files);
            files.extend(copies);
        }
        files
    };
    let (site_wide, units) = rayon::join(
        || {
            // One batch, so the last build's records of site-wide files are looked up once.
            let mut files = render::static_files(theme);
            files.extend(render::root_index(theme, catalog)?);
            files.extend(render::site_files(theme, catalog)?);
            let files = with_edition(files);
            let counts = count(&files);
            emit("", files)?;
            Ok::<_, Failure>(counts)
        },
        || {
            let units: Vec<&[(usize, Part)]> = parts.chunk_by(|a, b| a.0 == b.0).collect();
            units
                .par_iter()
                .map(|unit_parts| {
                    let u = unit_parts[0].0;
                    let parts: Vec<Part> = unit_parts.iter().map(|&(_, part)| part).collect();
                    let counts = std::sync::Mutex::new((0, 0));
                    render::unit_parts(theme, catalog, u, &parts, |part, files| {
                        let files = with_edition(files);
                        let c = count(&files);
                        emit(&part.folder(catalog, u), files)?;
                        if let Ok(mut counts) = counts.lock() {
                            *counts = add(*counts, c);
                        }
                        Ok(())
                    })?;
                    Ok::<_, Failure>(counts.into_inner().unwrap_or_default())
                })
                .try_reduce(|| (0, 0), |a, b| Ok(add(a, b)))
        },
    );
    Ok(add(site_wide?, units?))
}

/// Reads back the bodies of `units`' entries that came from the cache unread.
pub(crate) fn read_bodies(catalog: &mut Catalog, units: &[usize]) -> Result<(), String> {
    catalog
        .units
        .par_iter_mut()
        .enumerate()
        .filter(|(u, _)| units.binary_search(u).is_ok())
        .flat_map(|(_, unit)| unit.entries.par_iter_mut())
        .try_for_each(|entry| crate::load::read_body(&mut entry.body, &entry.source))
}

/// Frees `value` on a pool thread. Freeing a city's catalog and theme takes ~3 ms, all after
/// the site is written: `gongkai build` need not wait for it (a process that exits first gives
/// its memory back at once), and a caller that goes on gets it freed beside its own work.
fn free_in_background<T: Send + 'static>(value: T) {
    rayon::spawn(move || drop(value));
}

fn count(files: &[render::OutputFile]) -> (usize, usize) {
    let pages = files.iter().filter(|f| f.path().ends_with(".html")).count();
    (files.len(), pages)
}

fn add(a: (usize, usize), b: (usize, usize)) -> (usize, usize) {
    (a.0 + b.0, a.1 + b.1)
}
