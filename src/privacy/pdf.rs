//! The text of a PDF attachment, page by page, for the personal-number scan. The pages are run
//! through hayro's PDF interpreter (already in the build for Typst) with a device that draws
//! nothing and only writes down, in drawing order, the character each glyph stands for (from
//! the font's `ToUnicode` map or its encoding). Glyphs on a new line start a new line; glyphs
//! more than two em apart on one line (table cells, mostly) are separated by a space. Closer
//! glyphs are joined even across a gap, so a number typeset with spacing instead of space
//! characters is still read whole. A page whose text is an image (a scan) gives no text: no
//! numbers can be found in it, and none are claimed.
//!
//! Bounded: before the interpreter sees the file, every Flate-compressed stream is unpacked
//! with a cap ([`check_streams`]): each to at most [`Limits::pdf_stream_bytes`], all together
//! to [`Limits::unpacked_bytes`]. While a page is read, the glyphs and shapes drawn are
//! counted and reading stops mid-page past [`Limits::pdf_page_items`].

use crate::model::Limits;
use crate::tabular::bounds::{Breach, Refused, guarded, mb};
use hayro_interpret::font::Glyph;
use hayro_interpret::hayro_syntax::Pdf;
use hayro_interpret::util::TransformExt as _;
use hayro_interpret::{
    BlendMode, ClipPath, Context, Device, GlyphDrawMode, Image, InterpreterCache,
    InterpreterSettings, Paint, PathDrawMode, SoftMask, interpret_page,
};
use kurbo::{Affine, BezPath, Point, Rect};
use std::io::Read;

/// The most characters read from one PDF (a small file can hold far more text).
const MAX_CHARS: usize = 10_000_000;

/// The text of each page, in page order; or why it could not be read (a Chinese phrase), or
/// which limit it is beyond.
pub fn pages_text(bytes: Vec<u8>, limits: &Limits) -> Result<Vec<String>, Refused> {
    check_streams(&bytes, limits)?;
    // The interpreter is young; a file it trips over must stop this entry, not the build.
    guarded(|| read_pages(bytes, limits)).unwrap_or_else(|| {
        Err(Refused::Unreadable(
            "文件内容不符合 PDF 格式，无法读取".to_owned(),
        ))
    })
}

/// Unpacks every Flate-compressed stream of the file with a cap, counting bytes and keeping
/// none: a stream found by its `stream` keyword, compressed when its dictionary (between the
/// object's `obj` and the keyword) names `/FlateDecode`.
fn check_streams(bytes: &[u8], limits: &Limits) -> Result<(), Refused> {
    let mut total: u64 = 0;
    let mut from = 0;
    while let Some(found) = find(&bytes[from..], b"stream") {
        let at = from + found;
        from = at + b"stream".len();
        if bytes[..at].ends_with(b"end") {
            continue;
        }
        let rest = &bytes[from..];
        let data = if let Some(d) = rest.strip_prefix(b"\r\n") {
            d
        } else if let Some(d) = rest
            .strip_prefix(b"\n")
            .or_else(|| rest.strip_prefix(b"\r"))
        {
            d
        } else {
            continue;
        };
        let window = &bytes[at.saturating_sub(4096)..at];
        let dict = match rfind(window, b"obj") {
            Some(i) => &window[i..],
            None => window,
        };
        if find(dict, b"/FlateDecode").is_none() {
            continue;
        }
        let cap = limits.pdf_stream_bytes;
        let mut unpacked = inflated_len(flate2::read::ZlibDecoder::new(data), cap);
        if unpacked == 0 {
            unpacked = inflated_len(flate2::read::DeflateDecoder::new(data), cap);
        }
        if unpacked > cap {
            return Err(Breach(format!(
                "PDF 文件中有内容流解压后超过 {} MB（检查上限 pdf_stream_mb）",
                mb(cap)
            ))
            .into());
        }
        total = total.saturating_add(unpacked);
        if total > limits.unpacked_bytes {
            return Err(Breach(format!(
                "PDF 文件的内容解压后超过 {} MB（检查上限 unpacked_mb）",
                mb(limits.unpacked_bytes)
            ))
            .into());
        }
    }
    Ok(())
}

/// How many bytes `decoder` gives, up to `cap + 1` (stopping at the first error: the stream's
/// end is wherever its data stops making sense).
fn inflated_len(decoder: impl Read, cap: u64) -> u64 {
    let mut decoder = decoder.take(cap + 1);
    let mut buf = vec![0u8; 64 << 10];
    let mut total = 0;
    while let Ok(n) = decoder.read(&mut buf) {
        if n == 0 {
            break;
        }
        total += n as u64;
    }
    total
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// What stops a page whose drawing goes past [`Limits::pdf_page_items`] (unwound without a
/// message, caught in `read_pages`).
struct PageFull;

fn read_pages(bytes: Vec<u8>, limits: &Limits) -> Result<Vec<String>, Refused> {
    let pdf = Pdf::new(bytes).map_err(|e| Refused::Unreadable(crate::reason::pdf(&e)))?;
    let cache = InterpreterCache::default();
    let settings = InterpreterSettings::default();
    let mut pages = Vec::new();
    let mut budget = MAX_CHARS;
    for page in pdf.pages().iter() {
        let (width, height) = page.render_dimensions();
        let mut context = Context::new(
            page.initial_transform(true).to_kurbo(),
            Rect::new(0.0, 0.0, f64::from(width), f64::from(height)),
            &cache,
            page.xref(),
            settings.clone(),
        );
        let mut reader = TextReader {
            items_left: limits.pdf_page_items,
            ..TextReader::default()
        };
        let drawn = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            interpret_page(page, &mut context, &mut reader);
        }));
        if let Err(payload) = drawn {
            if payload.is::<PageFull>() {
                return Err(Breach(format!(
                    "PDF 文件第 {} 页画出的文字和图形超过 {} 个（检查上限 pdf_page_items）",
                    pages.len() + 1,
                    limits.pdf_page_items
                ))
                .into());
            }
            std::panic::resume_unwind(payload);
        }
        budget = budget.checked_sub(reader.chars).ok_or_else(|| {
            Refused::from(Breach(format!(
                "PDF 文件的文字超过 {} 万字",
                MAX_CHARS / 10_000
            )))
        })?;
        pages.push(reader.text);
    }
    Ok(pages)
}

/// A device that keeps only the text.
#[derive(Default)]
struct TextReader {
    text: String,
    chars: usize,
    /// Where the last glyph was drawn, and its size (both in page space).
    last: Option<(Point, f64)>,
    /// How many more glyphs and shapes the page may draw.
    items_left: u64,
}

impl TextReader {
    /// Counts one glyph or shape; past the page's limit, stops reading the page.
    fn count(&mut self) {
        match self.items_left.checked_sub(1) {
            Some(left) => self.items_left = left,
            None => std::panic::resume_unwind(Box::new(PageFull)),
        }
    }

    fn glyph(&mut self, glyph: &Glyph<'_>, transform: Affine, glyph_transform: Affine) {
        self.count();
        let Some(unicode) = glyph.as_unicode() else {
            return;
        };
        let placed = transform * glyph_transform;
        let origin = placed * Point::ZERO;
        // Glyph outlines are in units of 1/1000 em: the em is the transform's scale × 1000.
        let size = placed.determinant().abs().sqrt() * 1000.0;
        if let Some((last, last_size)) = self.last {
            let em = last_size.max(size).max(1.0);
            let (dx, dy) = (origin.x - last.x, origin.y - last.y);
            if dy.abs() > em * 0.5 || dx < -em {
                self.text.push('\n');
            } else if dx > em * 2.0 {
                self.text.push(' ');
            }
        }
        self.last = Some((origin, size));
        let before = self.text.len();
        match unicode {
            hayro_interpret::hayro_cmap::BfString::Char(c) => self.text.push(c),
            hayro_interpret::hayro_cmap::BfString::String(s) => self.text.push_str(&s),
        }
        self.chars += self.text[before..].chars().count();
    }
}

impl<'a> Device<'a> for TextReader {
    fn set_soft_mask(&mut self, _: Option<SoftMask<'a>>) {}
    fn set_blend_mode(&mut self, _: BlendMode) {}
    fn draw_path(&mut self, _: &BezPath, _: Affine, _: &Paint<'a>, _: &PathDrawMode) {
        self.count();
    }
    fn push_clip_path(&mut self, _: &ClipPath) {}
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}
    fn draw_glyph(
        &mut self,
        glyph: &Glyph<'a>,
        transform: Affine,
        glyph_transform: Affine,
        _: &Paint<'a>,
        _: &GlyphDrawMode,
    ) {
        self.glyph(glyph, transform, glyph_transform);
    }
    fn draw_image(&mut self, _: Image<'a, '_>, _: Affine) {
        self.count();
    }
    fn pop_clip_path(&mut self) {}
    fn pop_transparency_group(&mut self) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/tests/fixtures/pdf/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn a_page_is_read_in_lines_with_table_cells_apart() {
        // Chinese names from a CID font's ToUnicode map, digits from Helvetica (neither
        // embedded), each name 60 pt left of its number.
        let limits = Limits::default();
        let pages = pages_text(fixture("unmasked.pdf"), &limits).expect("reads");
        assert_eq!(pages, ["张三 2024\n李四 110101199003071233"]);
        let masked = pages_text(fixture("masked.pdf"), &limits).expect("reads");
        assert_eq!(masked, ["张三 2024\n李四 1101**********1233"]);
    }

    #[test]
    fn cut_or_corrupted_files_give_an_answer_never_a_crash() {
        let whole = fixture("unmasked.pdf");
        // `read_pages`, not `pages_text`: the catch of a panic must not hide one here.
        for len in (0..whole.len()).step_by(7) {
            let limits = Limits::default();
            let _ = read_pages(whole[..len].to_vec(), &limits);
            let mut flipped = whole.clone();
            flipped[len] ^= 0x5a;
            let _ = read_pages(flipped, &limits);
        }
    }

    #[test]
    fn a_file_that_is_not_a_pdf_is_called_damaged() {
        let err = pages_text(
            b"%PDF-1.7\n\xe4\xb8\x8d\xe6\x98\xaf".to_vec(),
            &Limits::default(),
        );
        assert!(
            matches!(&err, Err(Refused::Unreadable(why)) if why == "文件已损坏，或者不是 PDF 文件"),
            "{err:?}"
        );
    }
}
