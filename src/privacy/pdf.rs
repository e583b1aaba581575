//! The text of a PDF attachment, page by page, for the personal-number scan. The pages are run
//! through hayro's PDF interpreter (already in the build for Typst) with a device that draws
//! nothing and only writes down, in drawing order, the character each glyph stands for (from
//! the font's `ToUnicode` map or its encoding). Glyphs on a new line start a new line; glyphs
//! more than two em apart on one line (table cells, mostly) are separated by a space. Closer
//! glyphs are joined even across a gap, so a number typeset with spacing instead of space
//! characters is still read whole. A page whose text is an image (a scan) gives no text: no
//! numbers can be found in it, and none are claimed.

use hayro_interpret::font::Glyph;
use hayro_interpret::hayro_syntax::Pdf;
use hayro_interpret::util::TransformExt as _;
use hayro_interpret::{
    BlendMode, ClipPath, Context, Device, GlyphDrawMode, Image, InterpreterCache,
    InterpreterSettings, Paint, PathDrawMode, SoftMask, interpret_page,
};
use kurbo::{Affine, BezPath, Point, Rect};

/// The most characters read from one PDF (a small file can hold far more text).
const MAX_CHARS: usize = 10_000_000;

/// The text of each page, in page order; or why it could not be read, as a Chinese phrase.
pub fn pages_text(bytes: Vec<u8>) -> Result<Vec<String>, String> {
    // The interpreter is young; a file it trips over must stop this entry, not the build.
    std::panic::catch_unwind(|| read_pages(bytes))
        .unwrap_or_else(|_| Err("文件内容不符合 PDF 格式，无法读取".to_owned()))
}

fn read_pages(bytes: Vec<u8>) -> Result<Vec<String>, String> {
    let pdf = Pdf::new(bytes).map_err(|e| crate::reason::pdf(&e))?;
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
        let mut reader = TextReader::default();
        interpret_page(page, &mut context, &mut reader);
        budget = budget
            .checked_sub(reader.chars)
            .ok_or_else(|| format!("文件的文字超过 {} 万字，无法完整检查", MAX_CHARS / 10_000))?;
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
}

impl TextReader {
    fn glyph(&mut self, glyph: &Glyph<'_>, transform: Affine, glyph_transform: Affine) {
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
    fn draw_path(&mut self, _: &BezPath, _: Affine, _: &Paint<'a>, _: &PathDrawMode) {}
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
    fn draw_image(&mut self, _: Image<'a, '_>, _: Affine) {}
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
        let pages = pages_text(fixture("unmasked.pdf")).expect("reads");
        assert_eq!(pages, ["张三 2024\n李四 110101199003071233"]);
        let masked = pages_text(fixture("masked.pdf")).expect("reads");
        assert_eq!(masked, ["张三 2024\n李四 1101**********1233"]);
    }

    #[test]
    fn cut_or_corrupted_files_give_an_answer_never_a_crash() {
        let whole = fixture("unmasked.pdf");
        // `read_pages`, not `pages_text`: the catch of a panic must not hide one here.
        for len in (0..whole.len()).step_by(7) {
            let _ = read_pages(whole[..len].to_vec());
            let mut flipped = whole.clone();
            flipped[len] ^= 0x5a;
            let _ = read_pages(flipped);
        }
    }

    #[test]
    fn a_file_that_is_not_a_pdf_is_called_damaged() {
        let err = pages_text(b"%PDF-1.7\n\xe4\xb8\x8d\xe6\x98\xaf".to_vec()).expect_err("damaged");
        assert_eq!(err, "文件已损坏，或者不是 PDF 文件");
    }
}
