//! The theme: Tera templates plus static files (CSS, a small optional script). A theme folder is
//! looked up beside the catalog; the default theme is also built into the binary, so a catalog
//! made with `gongkai init` anywhere still builds.

use crate::failure::Failure;
use std::path::{Path, PathBuf};
use tera::Tera;

/// The templates every theme must provide.
pub const TEMPLATES: [&str; 8] = [
    "404.html",
    "base.html",
    "index.html",
    "unit.html",
    "domain.html",
    "item.html",
    "entry.html",
    "search.html",
];

/// Templates added after themes were first copied: a theme folder without one uses the
/// default theme's (which extends the theme's own `base.html`).
pub const OPTIONAL_TEMPLATES: [&str; 6] = [
    "components.html",
    "contact.html",
    "sitemap.html",
    "zhinan.html",
    "yishenqing.html",
    "shenqingbiao.html",
];

const EMBEDDED_TEMPLATES: [(&str, &str); 14] = [
    (
        "components.html",
        include_str!("../../themes/default/templates/components.html"),
    ),
    (
        "zhinan.html",
        include_str!("../../themes/default/templates/zhinan.html"),
    ),
    (
        "yishenqing.html",
        include_str!("../../themes/default/templates/yishenqing.html"),
    ),
    (
        "shenqingbiao.html",
        include_str!("../../themes/default/templates/shenqingbiao.html"),
    ),
    (
        "contact.html",
        include_str!("../../themes/default/templates/contact.html"),
    ),
    (
        "sitemap.html",
        include_str!("../../themes/default/templates/sitemap.html"),
    ),
    (
        "search.html",
        include_str!("../../themes/default/templates/search.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "index.html",
        include_str!("../../themes/default/templates/index.html"),
    ),
    (
        "unit.html",
        include_str!("../../themes/default/templates/unit.html"),
    ),
    (
        "domain.html",
        include_str!("../../themes/default/templates/domain.html"),
    ),
    (
        "item.html",
        include_str!("../../themes/default/templates/item.html"),
    ),
    (
        "entry.html",
        include_str!("../../themes/default/templates/entry.html"),
    ),
];

const EMBEDDED_STATIC: [(&str, &[u8]); 3] = [
    (
        "search.js",
        include_bytes!("../../themes/default/static/search.js"),
    ),
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "a11y.js",
        include_bytes!("../../themes/default/static/a11y.js"),
    ),
];

/// A loaded theme.
pub struct Theme {
    /// The compiled templates.
    pub tera: Tera,
    /// Static files: path under `static/` → content.
    pub static_files: Vec<(String, Vec<u8>)>,
    /// A hash of every template and static file, for incremental builds.
    pub fingerprint: u64,
}

/// Hashes template sources and static files into a theme fingerprint.
fn fingerprint<'a>(
    templates: impl Iterator<Item = (&'a str, &'a str)>,
    statics: &[(String, Vec<u8>)],
) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for (name, text) in templates {
        h.update(name.as_bytes());
        h.update(&[0]);
        h.update(text.as_bytes());
        h.update(&[0]);
    }
    for (name, bytes) in statics {
        h.update(name.as_bytes());
        h.update(&[0]);
        h.update(bytes);
    }
    h.digest()
}

impl Theme {
    /// Finds theme `name` in `<root>/themes/`, `<root>/../themes/`, or built in (`default`).
    pub fn load(root: &Path, name: &str) -> Result<Theme, Failure> {
        let candidates = [
            root.join("themes").join(name),
            root.join("..").join("themes").join(name),
        ];
        match candidates.iter().find(|p| p.join("templates").is_dir()) {
            Some(dir) => Theme::from_dir(dir),
            None if name == "default" => Theme::embedded(),
            None => Err(Failure(format!(
                "找不到主题“{name}”：{} 和 {} 都不存在。",
                candidates[0].join("templates").display(),
                candidates[1].join("templates").display()
            ))),
        }
    }

    /// The default theme compiled into the binary.
    pub fn embedded() -> Result<Theme, Failure> {
        let mut tera = new_tera();
        tera.add_raw_templates(EMBEDDED_TEMPLATES.to_vec())
            .map_err(|e| template_error("内置主题", &e))?;
        let static_files: Vec<(String, Vec<u8>)> = EMBEDDED_STATIC
            .iter()
            .map(|(n, b)| ((*n).to_owned(), b.to_vec()))
            .collect();
        Ok(Theme {
            tera,
            fingerprint: fingerprint(EMBEDDED_TEMPLATES.iter().copied(), &static_files),
            static_files,
        })
    }

    fn from_dir(dir: &Path) -> Result<Theme, Failure> {
        let unreadable = |what: &str, path: &Path, e: std::io::Error| {
            let why = crate::reason::io(&e);
            Failure(format!("无法读取{what} {}：{why}。", path.display()))
        };
        let mut templates = Vec::new();
        for name in TEMPLATES {
            let path = dir.join("templates").join(name);
            let text = std::fs::read_to_string(&path).map_err(|e| unreadable("模板", &path, e))?;
            templates.push((name, text));
        }
        for name in OPTIONAL_TEMPLATES {
            let path = dir.join("templates").join(name);
            let text = if path.exists() {
                std::fs::read_to_string(&path).map_err(|e| unreadable("模板", &path, e))?
            } else {
                EMBEDDED_TEMPLATES
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, t)| (*t).to_owned())
                    .unwrap_or_default()
            };
            templates.push((name, text));
        }
        let mut tera = new_tera();
        let sources: Vec<(&str, String)> = templates.clone();
        tera.add_raw_templates(templates)
            .map_err(|e| template_error(&dir.display().to_string(), &e))?;
        let mut static_files = Vec::new();
        let static_dir = dir.join("static");
        if static_dir.is_dir() {
            let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(&static_dir)
                .follow_links(false)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .collect();
            paths.sort();
            for path in paths {
                let rel = path
                    .strip_prefix(&static_dir)
                    .map_err(|_| Failure(format!("主题文件路径异常：{}", path.display())))?
                    .to_string_lossy()
                    .replace('\\', "/");
                let bytes = std::fs::read(&path).map_err(|e| unreadable("主题文件", &path, e))?;
                static_files.push((rel, bytes));
            }
        }
        Ok(Theme {
            tera,
            fingerprint: fingerprint(sources.iter().map(|(n, t)| (*n, t.as_str())), &static_files),
            static_files,
        })
    }
}

/// A Tera instance that escapes the five HTML-significant characters (`&<>"'`) and leaves `/`
/// alone, so URLs in attributes stay readable.
fn new_tera() -> Tera {
    let mut tera = Tera::new();
    tera.set_escape_fn(write_escaped);
    tera
}

/// Escapes `input` for HTML element content and quoted attribute values, handing `push` runs of
/// text as they are and an entity for each of `&<>"'`. All five are ASCII, so byte positions
/// are character boundaries. This runs for every variable on every page, so plain text is never
/// copied character by character.
fn escape_with(input: &str, mut push: impl FnMut(&str)) {
    let mut copied = 0;
    for (i, byte) in input.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        push(&input[copied..i]);
        push(entity);
        copied = i + 1;
    }
    push(&input[copied..]);
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 8);
    escape_with(input, |piece| out.push_str(piece));
    out
}

/// Tera's escape function: [`escape_html`] written straight into the page (the first write
/// error, if any, is returned).
fn write_escaped(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut written = Ok(());
    escape_with(input, |piece| {
        if written.is_ok() {
            written = out.write_all(piece.as_bytes());
        }
    });
    written
}

/// Formats a Tera error with its whole cause chain, which names the template and the line.
pub fn template_error(theme: &str, err: &tera::Error) -> Failure {
    let mut message = format!("主题模板有错误（{theme}）：{err}");
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        message.push_str(&format!("\n  原因：{cause}"));
        source = cause.source();
    }
    // Tera's report quotes the offending line, so a theme written for Tera 1 shows its macros.
    if message.contains("{% macro") || message.contains("self::") {
        message.push_str(
            "\n  提示：模板使用 Tera 2 语法，Tera 1 的宏（macro）已改为组件（component），\
             写法见 README 的“自定义主题”和默认主题的 index.html。",
        );
    }
    Failure(message)
}

#[cfg(test)]
mod tests {
    use super::escape_html;
    use proptest::prelude::*;

    #[test]
    fn escapes_the_five_characters_beside_chinese_text() {
        assert_eq!(
            escape_html("“文号”<b>&'x'\"公开\""),
            "“文号”&lt;b&gt;&amp;&#39;x&#39;&quot;公开&quot;"
        );
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("示例区"), "示例区");
        assert_eq!(escape_html("<"), "&lt;");
    }

    #[test]
    fn a_tera_1_macro_gets_a_hint_about_components() {
        let mut tera = super::new_tera();
        let err = tera
            .add_raw_template("index.html", "{% macro list(units) %}{% endmacro list %}")
            .expect_err("Tera 2 has no macros");
        let message = super::template_error("主题", &err).0;
        assert!(message.contains("index.html:1"), "{message}");
        assert!(message.contains("组件（component）"), "{message}");
    }

    #[test]
    fn tera_writes_the_same_escaping_into_the_page() {
        let mut page = Vec::new();
        super::write_escaped("“文号”<b>&'x'\"公开\"", &mut page).expect("write");
        assert_eq!(page, escape_html("“文号”<b>&'x'\"公开\"").into_bytes());
    }

    proptest! {
        #[test]
        fn matches_escaping_character_by_character(text in "([&<>\"'示a]|\\PC){0,40}") {
            let expected: String = text
                .chars()
                .map(|c| match c {
                    '&' => "&amp;".to_owned(),
                    '<' => "&lt;".to_owned(),
                    '>' => "&gt;".to_owned(),
                    '"' => "&quot;".to_owned(),
                    '\'' => "&#39;".to_owned(),
                    c => c.to_string(),
                })
                .collect();
            prop_assert_eq!(escape_html(&text), expected);
        }
    }
}
