//! QR codes of online pages, as SVG (vector in the PDF, inline in the print HTML).

use qrcode::{Color, EcLevel, QrCode};
use std::fmt::Write as _;

/// Modules of light margin around the code (the standard's quiet zone).
const QUIET: usize = 4;

/// The QR code of `url` as a standalone SVG document, one user unit per module with the quiet
/// zone, dark modules drawn as one path of horizontal runs (a few KB per code); empty if the text
/// cannot be encoded (then only the printed URL is shown).
pub fn svg(url: &str) -> String {
    let Ok(code) = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M) else {
        return String::new();
    };
    let width = code.width();
    let colors = code.to_colors();
    let size = width + 2 * QUIET;
    let mut path = String::new();
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let start = x;
                while x < width && row[x] == Color::Dark {
                    x += 1;
                }
                let _ = write!(
                    path,
                    "M{} {}h{}v1h-{}z",
                    start + QUIET,
                    y + QUIET,
                    x - start,
                    x - start
                );
            } else {
                x += 1;
            }
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><svg xmlns=\"http://www.w3.org/2000/svg\" \
         version=\"1.1\" width=\"{size}\" height=\"{size}\" viewBox=\"0 0 {size} {size}\" \
         shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\
         <path fill=\"#000\" d=\"{path}\"/></svg>"
    )
}

/// The same SVG without its XML declaration, for inlining into HTML, with an accessible label.
pub fn inline_svg(svg: &str, label: &str) -> String {
    let body = svg
        .find("<svg")
        .map_or(svg, |start| &svg[start..])
        .to_owned();
    body.replacen(
        "<svg ",
        &format!(
            "<svg role=\"img\" aria-label=\"{}\" ",
            crate::render::theme::escape_html(label)
        ),
        1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_is_vector_and_deterministic() {
        let a = svg("https://www.example.gov.cn/jczwgk/shiqu/");
        assert!(a.starts_with("<?xml"));
        assert!(a.contains("<path"));
        assert_eq!(a, svg("https://www.example.gov.cn/jczwgk/shiqu/"));
        let inline = inline_svg(&a, "二维码 <x>");
        assert!(inline.starts_with("<svg role=\"img\" aria-label=\"二维码 &lt;x&gt;\" "));
    }
}
